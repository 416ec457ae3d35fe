// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the compressed readers of decoders/input.c (xz, gzip,
 * zstd, and plain) on arbitrary bytes, as a capture file would reach them.
 * The first byte picks what reads the rest:
 *   0  nft_input_kind() then nft_input_read() to the end in odd pieces
 *   1  nft_input_spool() with a 1 MiB bound (the trace.dat path)
 *   2  decode_ftrace_text() (what the text decoder makes of it)
 * Bounded time: at most 16 MiB is decompressed per input, whatever it
 * claims.  Every damage must end the stream with one fault, never a crash
 * or a read past a buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decoders/decoder.h"
#include "sinks.h"

#define OUT_MAX (16u << 20)

static int fd = -1;
static char path[64];

static void read_all(struct nft_input *in)
{
	static char buf[65536];
	unsigned long total = 0, n = 1;
	long r;

	nft_input_kind(in);
	while (total < OUT_MAX) {
		r = nft_input_read(in, buf, n);
		if (r <= 0)
			break;
		total += r;
		n = n * 7 % sizeof(buf) + 1;	/* odd sizes, 1 byte to 64 KiB */
	}
	/* a fault ends the stream for good */
	if (nft_input_fault(in) && nft_input_read(in, buf, sizeof(buf)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_diag diag = { .report = quiet };
	struct nft_input *in;
	int mode, sfd;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	data++;
	size--;
	if (fd < 0) {
		fd = memfd_create("fuzz-compressed", 0);
		if (fd < 0)
			return 0;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	in = nft_input_open(path);
	if (!in)
		return 0;
	nft_input_set_diag(in, &diag);
	switch (mode) {
	case 0:
		read_all(in);
		break;
	case 1:
		nft_input_set_spool_max(in, 1u << 20);
		sfd = nft_input_spool(in);
		if (sfd >= 0) {
			if (lseek(sfd, 0, SEEK_END) > (1 << 20))
				abort();	/* over the bound */
			close(sfd);
		}
		break;
	default: {
		struct nft_sink sink = { drop, NULL };

		decode_ftrace_text(in, NULL, &sink, &diag, NULL);
		break;
	}
	}
	nft_input_close(in);
	return 0;
}
