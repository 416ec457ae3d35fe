// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: decode_trace_dat() on arbitrary bytes.  The decoder
 * (libtracecmd underneath) wants a file, so each input is written to one
 * memfd, reopened by path through /proc/self/fd like any capture.
 *
 * The same bytes are also one ring-buffer page (the page-header path,
 * which a whole file rarely reaches with a fresh mutation): its first
 * byte picks the commit word's size and the endianness, the rest is the
 * page, in a heap block of its own size.  Whatever decoders/dat_page.c
 * lets through to kbuffer must be walked without a read outside the page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kbuffer.h>

#include "decoders/dat_page.h"
#include "decoders/decoder.h"
#include "sinks.h"

static int fd = -1;
static char path[64];

static void fuzz_page(const uint8_t *data, size_t size)
{
	struct nft_page_fmt f;
	struct kbuffer *kb;
	unsigned long long ts;
	unsigned char *page;
	unsigned char *rec;
	unsigned int sum = 0;
	int i, n;

	if (size < 65 || size > 65537)
		return;
	f.lsize = data[0] & 1 ? 4 : 8;
	f.big_endian = data[0] & 2;
	f.page_size = size - 1;
	page = malloc(f.page_size);
	kb = kbuffer_alloc(f.lsize == 4 ? KBUFFER_LSIZE_4 : KBUFFER_LSIZE_8,
			   f.big_endian ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
	if (page && kb) {
		memcpy(page, data + 1, f.page_size);
		nft_page_guard(&f);
		kbuffer_load_subbuffer(kb, page);
		for (rec = kbuffer_read_event(kb, &ts); rec;
		     rec = kbuffer_next_event(kb, &ts)) {
			n = kbuffer_event_size(kb);
			for (i = 0; i < n; i++)
				sum += rec[i];
		}
		(void)kbuffer_missed_events(kb);
		nft_page_guard(NULL);
	}
	if (sum == 0xdeadbeef)
		fputs("", stderr);
	kbuffer_free(kb);
	free(page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_sink sink = { drop, NULL };
	struct nft_diag diag = { .report = quiet };
	struct nft_dat_opts opts = { .want_raw = 1 };
	struct nft_input *in;

	fuzz_page(data, size);
	if (fd < 0) {
		fd = memfd_create("fuzz-dat", 0);
		if (fd < 0)
			return 0;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	in = nft_input_open(path);
	if (!in)
		return 0;
	decode_trace_dat(in, &opts, &sink, &diag, NULL);
	nft_input_close(in);
	return 0;
}
