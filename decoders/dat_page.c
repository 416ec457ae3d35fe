// SPDX-License-Identifier: GPL-2.0
/*
 * Ring-buffer pages checked before kbuffer reads them.
 *
 * kbuffer_load_subbuffer() (libtraceevent) trusts a page's commit word: it
 * reads a stored missed-events count at data + commit and walks records up
 * to commit, so a damaged page of any cpu, anywhere in the file, makes it
 * read far outside the page (trace-cmd report dies the same way).
 * libtracecmd loads every page through it, the first page of every cpu
 * already while it opens the file.  So this file defines
 * kbuffer_load_subbuffer() itself (the executable's definition wins over
 * libtraceevent's for libtracecmd's calls, as tep_parse_kallsyms() does in
 * tracedat.c): while decode_trace_dat() holds the guard, a page that is not
 * sound is replaced by a copy with only its sound records, and the real
 * function loads that.  Reporting (which cpu, page and offset) is done by
 * the callers, which know the layout; this only keeps the libraries safe.
 *
 * Page layout (kernel/trace/ring_buffer.c, struct buffer_data_page):
 *   u64 time_stamp; local_t commit; data[].  commit's low 27 bits are the
 *   bytes of data; bit 31 RB_MISSED_EVENTS, bit 30 RB_MISSED_STORED (then
 *   a long with the count follows the data).  Events: a u32 with type_len
 *   (5 bits) and time_delta (27 bits), then: type_len 0: u32 length, data;
 *   1..28: type_len * 4 bytes of data; 29 padding: u32 length; 30 time
 *   extend, 31 time stamp: one u32.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kbuffer.h>

#include "dat_page.h"
#include "rb_page.h"


static uint64_t get(const struct nft_page_fmt *f, const unsigned char *b,
		    int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)b[f->big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

bool nft_page_sound(const struct nft_page_fmt *f, const void *page,
		    struct nft_page_verdict *v)
{
	const unsigned char *p = page;
	unsigned int hdr = 8 + f->lsize, room = f->page_size - hdr, at = 0;
	uint64_t word = get(f, p + 8, f->lsize), commit = word & COMMIT_MASK;
	uint64_t extra = word & ~(COMMIT_MASK | RB_MISSED_EVENTS | RB_MISSED_STORED);

	v->why = NULL;
	v->good = 0;
	v->missed = false;
	if (f->lsize == 4)
		extra &= 0xffffffffULL;
	if (commit > room) {
		v->why = "commit size past the page";
		return false;
	}
	if (extra) {
		v->why = "garbage in the commit word's flag bits";
		return false;
	}
	if ((word & RB_MISSED_STORED) && !(word & RB_MISSED_EVENTS)) {
		v->why = "missed-events count stored without the missed-events flag";
		return false;
	}
	if ((word & RB_MISSED_STORED) && commit + f->lsize > room) {
		v->why = "stored missed-events count past the page";
		return false;
	}
	v->missed = word & RB_MISSED_EVENTS;
	while (at < commit) {
		uint64_t left = commit - at, head, type, span;

		if (left < 8) {
			v->why = "an event header runs past the committed data";
			return false;
		}
		head = get(f, p + hdr + at, 4);
		type = f->big_endian ? head >> 27 : head & 31;
		if (type == 0) {
			uint64_t len = get(f, p + hdr + at + 4, 4);

			if (len < 4) {
				v->why = "an event with a length below its own header";
				return false;
			}
			span = 8 + ((len - 4 + 3) & ~3ULL);
		} else if (type == TYPE_PADDING) {
			span = 4 + get(f, p + hdr + at + 4, 4);
		} else if (type == TYPE_TIME_EXTEND || type == TYPE_TIME_STAMP) {
			span = 8;
		} else {
			span = 4 + type * 4;
		}
		if (span > left) {
			v->why = "an event runs past the committed data";
			return false;
		}
		at += span;
		v->good = at;
	}
	return true;
}

bool nft_page_fmt_read(int fd, struct nft_page_fmt *f)
{
	unsigned char h[18];

	memset(f, 0, sizeof(*f));
	if (pread(fd, h, sizeof(h), 0) != sizeof(h) ||
	    memcmp(h, "\027\010\104tracing", 10) || h[11] != 0)
		return false;
	f->big_endian = h[12];
	f->lsize = h[13] == 4 ? 4 : 8;
	f->page_size = get(f, h + 14, 4);
	if (f->page_size < 64 || f->page_size > (64u << 20)) {
		f->page_size = 0;
		return false;
	}
	return true;
}

void nft_page_mend(const struct nft_page_fmt *f, void *page,
		   const struct nft_page_verdict *v)
{
	unsigned char *p = (unsigned char *)page + 8;
	uint64_t word = v->good | (v->missed ? RB_MISSED_EVENTS : 0);
	int i;

	for (i = 0; i < f->lsize; i++)
		p[f->big_endian ? f->lsize - 1 - i : i] = word >> (8 * i);
}

/* ---- the guard ---- */

struct scratch {
	struct kbuffer *kb;
	unsigned char *buf[2];	/* a record handed out may still point into
				 * the previous one */
	int which;
};

static struct nft_page_fmt guard;
static struct scratch *scratch;
static int nscratch, cap_scratch;
static unsigned long hits;
static unsigned char empty_page[64];

void nft_page_guard(const struct nft_page_fmt *f)
{
	int i;

	for (i = 0; i < nscratch; i++) {
		free(scratch[i].buf[0]);
		free(scratch[i].buf[1]);
	}
	free(scratch);
	scratch = NULL;
	nscratch = cap_scratch = 0;
	hits = 0;
	if (f)
		guard = *f;
	else
		memset(&guard, 0, sizeof(guard));
}

unsigned long nft_page_guard_hits(void)
{
	return hits;
}

static unsigned char *scratch_page(struct kbuffer *kb)
{
	struct scratch *s = NULL;
	int i;

	for (i = 0; i < nscratch && !s; i++)
		if (scratch[i].kb == kb)
			s = &scratch[i];
	if (!s) {
		if (nscratch == cap_scratch) {
			int cap = cap_scratch ? cap_scratch * 2 : 16;
			struct scratch *n = realloc(scratch, cap * sizeof(*n));

			if (!n)
				return NULL;
			scratch = n;
			cap_scratch = cap;
		}
		s = &scratch[nscratch++];
		memset(s, 0, sizeof(*s));
		s->kb = kb;
	}
	s->which ^= 1;
	if (!s->buf[s->which])
		s->buf[s->which] = malloc(guard.page_size);
	return s->buf[s->which];
}

int kbuffer_load_subbuffer(struct kbuffer *kbuf, void *subbuffer)
{
	static int (*real)(struct kbuffer *, void *);
	struct nft_page_verdict v;
	unsigned char *copy;

	if (!real)
		real = (int (*)(struct kbuffer *, void *))
			dlsym(RTLD_NEXT, "kbuffer_load_subbuffer");
	if (!real)
		return -1;
	if (!guard.page_size || !kbuf || !subbuffer ||
	    nft_page_sound(&guard, subbuffer, &v))
		return real(kbuf, subbuffer);
	hits++;
	copy = scratch_page(kbuf);
	if (!copy)
		return real(kbuf, empty_page);
	memcpy(copy, subbuffer, guard.page_size);
	nft_page_mend(&guard, copy, &v);
	return real(kbuf, copy);
}
