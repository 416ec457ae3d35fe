// SPDX-License-Identifier: GPL-2.0
/*
 * decoders/dat_page.c: which ring-buffer pages kbuffer may be given, and
 * what the guard gives it instead.  Pages are built here in the layout of
 * struct buffer_data_page (kernel/trace/ring_buffer.c): u64 time_stamp,
 * an 8- or 4-byte commit word, data.
 */
#include <stdlib.h>
#include <string.h>

#include <kbuffer.h>

#include "decoders/dat_page.h"
#include "tap.h"

#define PAGE 4096

static void put(unsigned char *b, int n, uint64_t v, bool be)
{
	int i;

	for (i = 0; i < n; i++)
		b[be ? n - 1 - i : i] = v >> (8 * i);
}

/* Three 8-byte records (type_len 1, delta 10 each), commit 24. */
static void good_page(unsigned char *p, int lsize, bool be)
{
	int i, hdr = 8 + lsize;

	memset(p, 0, PAGE);
	put(p, 8, 1000000, be);
	put(p + 8, lsize, 24, be);
	for (i = 0; i < 3; i++) {
		uint32_t head = be ? (1u << 27) | 10 : (10u << 5) | 1;

		put(p + hdr + i * 8, 4, head, be);
		put(p + hdr + i * 8 + 4, 4, 0x1234 + i, be);
	}
}

static void test_verdicts(int lsize, bool be)
{
	struct nft_page_fmt f = { PAGE, lsize, be };
	struct nft_page_verdict v;
	unsigned char *p = malloc(PAGE);
	int hdr = 8 + lsize;
	bool r;
	const char *what = lsize == 8 ? (be ? "8 BE" : "8 LE") : (be ? "4 BE" : "4 LE");

	good_page(p, lsize, be);
	r = nft_page_sound(&f, p, &v);
	ok(r && !v.why && v.good == 24,
	   "%s: a sound page (good %u)", what, v.good);
	put(p + 8, lsize, 24 | (1u << 31), be);
	r = nft_page_sound(&f, p, &v);
	ok(r && v.missed, "%s: missed events flagged", what);
	put(p + 8, lsize, 24 | (3u << 30), be);
	r = nft_page_sound(&f, p, &v);
	ok(r, "%s: the count stored after the data", what);
	put(p + 8, lsize, (PAGE - hdr) | (3u << 30), be);
	r = nft_page_sound(&f, p, &v);
	ok(!r && v.why && strstr(v.why, "stored"),
	   "%s: a stored count past the page: %s", what, v.why);
	put(p + 8, lsize, ~0ULL, be);
	r = nft_page_sound(&f, p, &v);
	ok(!r && !v.good && strstr(v.why, "commit size"),
	   "%s: commit word all ones: %s", what, v.why);
	put(p + 8, lsize, PAGE - hdr + 1, be);
	r = nft_page_sound(&f, p, &v);
	ok(!r && strstr(v.why, "commit size"),
	   "%s: commit one past the page", what);
	put(p + 8, lsize, PAGE - hdr, be);
	r = nft_page_sound(&f, p, &v);
	ok(!r || v.good == (unsigned int)(PAGE - hdr),
	   "%s: a full page of zero padding is walked or refused", what);
	if (lsize == 8) {
		put(p + 8, 8, 24 | (1ULL << 40), be);
		r = nft_page_sound(&f, p, &v);
	ok(!r && strstr(v.why, "flag bits"),
		   "%s: a bit above the flags: %s", what, v.why);
	}
	/* the third record: type_len 0, its length word says 64 KiB */
	good_page(p, lsize, be);
	put(p + hdr + 16, 4, 0, be);
	put(p + hdr + 20, 4, 0x10000, be);
	r = nft_page_sound(&f, p, &v);
	ok(!r && v.good == 16 && strstr(v.why, "past the committed"),
	   "%s: the last event runs past commit: the first two kept (good %u)",
	   what, v.good);
	free(p);
}

/* The guard: kbuffer is handed the sound records of a damaged page. */
static void test_guard(void)
{
	struct nft_page_fmt f = { PAGE, 8, false };
	struct kbuffer *kb = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	unsigned char *p = malloc(PAGE);
	unsigned long long ts;
	int n = 0;
	void *rec;

	good_page(p, 8, false);
	put(p + 16 + 16, 4, 0, false);
	put(p + 16 + 20, 4, 0x10000, false);
	nft_page_guard(&f);
	kbuffer_load_subbuffer(kb, p);
	for (rec = kbuffer_read_event(kb, &ts); rec; rec = kbuffer_next_event(kb, &ts))
		n++;
	is(n, 2, "guarded: the two records before the damage");
	is(nft_page_guard_hits(), 1, "one page replaced");
	put(p + 8, 8, ~0ULL, false);
	kbuffer_load_subbuffer(kb, p);
	ok(!kbuffer_read_event(kb, &ts), "guarded: a commit word of all ones gives an empty page");
	nft_page_guard(NULL);
	good_page(p, 8, false);
	kbuffer_load_subbuffer(kb, p);
	for (n = 0, rec = kbuffer_read_event(kb, &ts); rec; rec = kbuffer_next_event(kb, &ts))
		n++;
	is(n, 3, "unguarded, a sound page: all three");
	kbuffer_free(kb);
	free(p);
}

int main(void)
{
	test_verdicts(8, false);
	test_verdicts(8, true);
	test_verdicts(4, false);
	test_verdicts(4, true);
	test_guard();
	return tap_done();
}
