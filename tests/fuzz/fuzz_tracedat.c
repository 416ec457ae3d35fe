// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: decode_trace_dat() on arbitrary bytes.  The decoder
 * (libtracecmd underneath) wants a file, so each input is written to one
 * memfd, reopened by path through /proc/self/fd like any capture.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decoders/decoder.h"

static int fd = -1;
static char path[64];

static int drop(void *ctx, const struct nft_event *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

static void quiet(void *ctx, enum nft_diag_level level, const char *file,
		  const char *where, const char *msg)
{
	(void)ctx; (void)level; (void)file; (void)where; (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_sink sink = { drop, NULL };
	struct nft_diag diag = { .report = quiet };
	struct nft_dat_opts opts = { .want_raw = 1 };
	struct nft_input *in;

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
