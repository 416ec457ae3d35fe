// SPDX-License-Identifier: GPL-2.0
/*
 * Input: a file or standard input, with xz, gzip or zstd undone on the fly.
 *
 * The compression is recognized from the first bytes, never from the file
 * name, so "trace.txt" that is really xz works and so does a pipe.  The
 * decompressed stream can be peeked at (nft_input_kind()) without being
 * consumed: peeked bytes are kept in a small buffer that nft_input_read()
 * drains first.
 *
 * Ownership: nft_input_open() returns a struct nft_input the caller owns and
 * frees with nft_input_close(), which also closes the file descriptor (but
 * never standard input).  Strings returned by nft_input_name(),
 * nft_input_path() and nft_input_compression() belong to @in and stay valid
 * until nft_input_close().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "decoder.h"

#define RAW_BUF_SIZE (1u << 20)
#define PEEK_SIZE 4096

enum comp { COMP_NONE, COMP_XZ, COMP_GZIP, COMP_ZSTD };

static const char *const comp_names[] = {
	[COMP_NONE] = "none",
	[COMP_XZ] = "xz",
	[COMP_GZIP] = "gzip",
	[COMP_ZSTD] = "zstd",
};

struct nft_input {
	int fd;
	int own_fd;
	char *path;		/* NULL for stdin */
	char *name;
	enum comp comp;
	int raw_eof;
	int stream_end;		/* decompressor saw the end of all data */

	unsigned char *raw;	/* compressed bytes read from fd */
	size_t raw_off, raw_len;

	unsigned char peek[PEEK_SIZE];	/* decompressed, not yet consumed */
	size_t peek_off, peek_len;

	lzma_stream xz;
	z_stream gz;
	ZSTD_DStream *zs;

	/* UTF-16 text (a trace saved by a Windows editor): 1 LE, 2 BE */
	int utf16;
	unsigned char u16_carry;	/* the odd byte of the last read */
	int u16_have;
};

static long read_fd(int fd, void *buf, size_t n)
{
	ssize_t r;

	do {
		r = read(fd, buf, n);
	} while (r < 0 && errno == EINTR);
	return r;
}

/* Top up in->raw; returns bytes now available, 0 at end, -1 on error. */
static long fill_raw(struct nft_input *in)
{
	long r;

	if (in->raw_off < in->raw_len)
		return in->raw_len - in->raw_off;
	in->raw_off = in->raw_len = 0;
	if (in->raw_eof)
		return 0;
	r = read_fd(in->fd, in->raw, RAW_BUF_SIZE);
	if (r < 0)
		return -1;
	if (r == 0)
		in->raw_eof = 1;
	in->raw_len = r;
	return r;
}

static enum comp sniff(const unsigned char *p, size_t n)
{
	static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (n >= sizeof(xz_magic) && !memcmp(p, xz_magic, sizeof(xz_magic)))
		return COMP_XZ;
	if (n >= sizeof(zstd_magic) &&
	    !memcmp(p, zstd_magic, sizeof(zstd_magic)))
		return COMP_ZSTD;
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return COMP_GZIP;
	return COMP_NONE;
}

static int start_decompressor(struct nft_input *in)
{
	lzma_stream xz_init = LZMA_STREAM_INIT;

	switch (in->comp) {
	case COMP_XZ:
		in->xz = xz_init;
		if (lzma_stream_decoder(&in->xz, UINT64_MAX,
					LZMA_CONCATENATED) != LZMA_OK) {
			errno = ENOMEM;
			return -1;
		}
		break;
	case COMP_GZIP:
		memset(&in->gz, 0, sizeof(in->gz));
		/* 15 + 32: zlib or gzip header, detected automatically */
		if (inflateInit2(&in->gz, 15 + 32) != Z_OK) {
			errno = ENOMEM;
			return -1;
		}
		break;
	case COMP_ZSTD:
		in->zs = ZSTD_createDStream();
		if (!in->zs || ZSTD_isError(ZSTD_initDStream(in->zs))) {
			errno = ENOMEM;
			return -1;
		}
		break;
	case COMP_NONE:
		break;
	}
	return 0;
}

struct nft_input *nft_input_open(const char *path)
{
	struct nft_input *in;
	int saved;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	in = calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->raw = malloc(RAW_BUF_SIZE);
	if (!in->raw)
		goto fail;

	if (!strcmp(path, "-")) {
		in->fd = STDIN_FILENO;
		in->name = strdup("<stdin>");
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			goto fail;
		in->own_fd = 1;
		in->path = strdup(path);
		in->name = strdup(path);
		if (!in->path)
			goto fail;
	}
	if (!in->name)
		goto fail;

	/* Need a few bytes to see a magic number; a pipe may give fewer. */
	while (in->raw_len < 6 && !in->raw_eof) {
		long r = read_fd(in->fd, in->raw + in->raw_len,
				 RAW_BUF_SIZE - in->raw_len);

		if (r < 0)
			goto fail;
		if (r == 0)
			in->raw_eof = 1;
		in->raw_len += r;
	}
	in->comp = sniff(in->raw, in->raw_len);
	if (start_decompressor(in) < 0)
		goto fail;
	return in;

fail:
	saved = errno;
	nft_input_close(in);
	errno = saved;
	return NULL;
}

void nft_input_close(struct nft_input *in)
{
	if (!in)
		return;
	switch (in->comp) {
	case COMP_XZ:
		lzma_end(&in->xz);
		break;
	case COMP_GZIP:
		inflateEnd(&in->gz);
		break;
	case COMP_ZSTD:
		ZSTD_freeDStream(in->zs);
		break;
	case COMP_NONE:
		break;
	}
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	free(in->raw);
	free(in->path);
	free(in->name);
	free(in);
}

const char *nft_input_name(const struct nft_input *in)
{
	return in->name;
}

const char *nft_input_path(const struct nft_input *in)
{
	return in->path;
}

const char *nft_input_compression(const struct nft_input *in)
{
	return comp_names[in->comp];
}

static long read_xz(struct nft_input *in, unsigned char *out, size_t n)
{
	lzma_ret ret;
	long avail;

	if (in->stream_end)
		return 0;
	in->xz.next_out = out;
	in->xz.avail_out = n;
	while (in->xz.avail_out == n) {
		avail = fill_raw(in);
		if (avail < 0)
			return -1;
		in->xz.next_in = in->raw + in->raw_off;
		in->xz.avail_in = avail;
		ret = lzma_code(&in->xz, avail ? LZMA_RUN : LZMA_FINISH);
		in->raw_off = in->xz.next_in - in->raw;
		if (ret == LZMA_STREAM_END) {
			in->stream_end = 1;
			break;
		}
		if (ret != LZMA_OK) {
			errno = ret == LZMA_MEM_ERROR ? ENOMEM : EIO;
			return -1;
		}
		if (!avail && in->xz.avail_out == n) {
			errno = EIO;	/* truncated stream */
			return -1;
		}
	}
	return n - in->xz.avail_out;
}

static long read_gzip(struct nft_input *in, unsigned char *out, size_t n)
{
	long avail;
	int ret;

	in->gz.next_out = out;
	in->gz.avail_out = n;
	while (in->gz.avail_out == n) {
		avail = fill_raw(in);
		if (avail < 0)
			return -1;
		if (!avail && in->stream_end)
			break;
		/* With no input left, inflate() may still flush output. */
		in->gz.next_in = in->raw + in->raw_off;
		in->gz.avail_in = avail;
		ret = inflate(&in->gz, Z_NO_FLUSH);
		in->raw_off = in->gz.next_in - in->raw;
		if (!avail && in->gz.avail_out == n && ret != Z_STREAM_END) {
			errno = EIO;	/* truncated member */
			return -1;
		}
		in->stream_end = 0;
		if (ret == Z_STREAM_END) {
			/* gzip allows several members back to back */
			in->stream_end = 1;
			inflateReset(&in->gz);
			continue;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			errno = ret == Z_MEM_ERROR ? ENOMEM : EIO;
			return -1;
		}
	}
	return n - in->gz.avail_out;
}

static long read_zstd(struct nft_input *in, unsigned char *out, size_t n)
{
	ZSTD_outBuffer ob = { out, n, 0 };
	long avail;
	size_t ret;

	while (ob.pos == 0) {
		ZSTD_inBuffer ib;

		avail = fill_raw(in);
		if (avail < 0)
			return -1;
		if (!avail && in->stream_end)
			break;
		/* With no input left, the decoder may still flush output. */
		ib.src = in->raw + in->raw_off;
		ib.size = avail;
		ib.pos = 0;
		ret = ZSTD_decompressStream(in->zs, &ob, &ib);
		in->raw_off += ib.pos;
		if (ZSTD_isError(ret) || (!avail && ob.pos == 0)) {
			errno = EIO;	/* corrupt or truncated frame */
			return -1;
		}
		in->stream_end = ret == 0;
	}
	return ob.pos;
}

static long read_plain(struct nft_input *in, unsigned char *out, size_t n)
{
	size_t have = in->raw_len - in->raw_off;

	/* The sniffed head first, then straight from the fd. */
	if (have) {
		if (have > n)
			have = n;
		memcpy(out, in->raw + in->raw_off, have);
		in->raw_off += have;
		return have;
	}
	if (in->raw_eof)
		return 0;
	return read_fd(in->fd, out, n);
}

static long read_decoded(struct nft_input *in, unsigned char *out, size_t n)
{
	if (!n)
		return 0;
	switch (in->comp) {
	case COMP_XZ:
		return read_xz(in, out, n);
	case COMP_GZIP:
		return read_gzip(in, out, n);
	case COMP_ZSTD:
		return read_zstd(in, out, n);
	default:
		return read_plain(in, out, n);
	}
}

/*
 * UTF-16 code units to bytes: ASCII as itself, U+00A0 as a blank, anything
 * else as '?' (trace text is ASCII).  Returns the bytes written (at most
 * half of @n).
 */
static size_t u16_to_bytes(int utf16, unsigned char *out,
			   const unsigned char *in, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i + 1 < n; i += 2) {
		unsigned int u = utf16 == 1 ? in[i] | in[i + 1] << 8
					    : in[i] << 8 | in[i + 1];

		out[o++] = u < 0x80 ? (unsigned char)u : u == 0xa0 ? ' ' : '?';
	}
	return o;
}

/* read_decoded() of a UTF-16 input, as bytes. */
static long read_u16(struct nft_input *in, unsigned char *out, size_t n)
{
	unsigned char tmp[8192];
	size_t want, total, o;
	long r;

	for (;;) {
		want = 2 * n < sizeof(tmp) ? 2 * n : sizeof(tmp);
		tmp[0] = in->u16_carry;
		r = read_decoded(in, tmp + in->u16_have, want - in->u16_have);
		if (r < 0)
			return -1;
		total = in->u16_have + r;
		if (r == 0) {
			in->u16_have = 0;	/* an odd last byte: dropped */
			return 0;
		}
		o = u16_to_bytes(in->utf16, out, tmp, total);
		in->u16_have = total & 1;
		if (in->u16_have)
			in->u16_carry = tmp[total - 1];
		if (o)
			return o;
	}
}

static long read_text(struct nft_input *in, unsigned char *out, size_t n)
{
	return in->utf16 ? read_u16(in, out, n) : read_decoded(in, out, n);
}

long nft_input_read(struct nft_input *in, void *buf, unsigned long n)
{
	size_t have = in->peek_len - in->peek_off;

	if (have) {
		if (have > n)
			have = n;
		memcpy(buf, in->peek + in->peek_off, have);
		in->peek_off += have;
		return have;
	}
	return read_text(in, buf, n);
}

/*
 * UTF-16 from its byte order mark, or from ASCII with a NUL after (LE) or
 * before (BE) every character.  The peek buffer is converted in place.
 */
static void detect_utf16(struct nft_input *in)
{
	unsigned char *p = in->peek;
	size_t n = in->peek_len, i, skip = 0, m;
	int le = 1, be = 1;

	if (n >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		in->utf16 = 1;
		skip = 2;
	} else if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		in->utf16 = 2;
		skip = 2;
	} else {
		m = n < 512 ? n & ~(size_t)1 : 512;
		if (m < 16)
			return;
		for (i = 0; i < m; i += 2) {
			le &= p[i] && !p[i + 1];
			be &= !p[i] && p[i + 1];
		}
		if (!le && !be)
			return;
		in->utf16 = le ? 1 : 2;
	}
	n -= skip;
	m = u16_to_bytes(in->utf16, p, p + skip, n);
	in->u16_have = n & 1;
	if (in->u16_have)
		in->u16_carry = p[skip + n - 1];
	in->peek_len = m;
}

static int printable(unsigned char c)
{
	if (c >= 0x20 && c != 0x7f)
		return 1;	/* ASCII and UTF-8 bytes */
	return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int nft_input_kind(struct nft_input *in)
{
	static const char dat_magic[] = "\x17\x08\x44tracing";
	size_t i, bad = 0;
	long r;

	/* Compact, then fill the peek buffer as far as the input allows. */
	if (in->peek_off) {
		memmove(in->peek, in->peek + in->peek_off,
			in->peek_len - in->peek_off);
		in->peek_len -= in->peek_off;
		in->peek_off = 0;
	}
	while (in->peek_len < PEEK_SIZE) {
		r = read_text(in, in->peek + in->peek_len,
			      PEEK_SIZE - in->peek_len);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		in->peek_len += r;
	}
	if (!in->utf16 && memchr(in->peek, 0, in->peek_len))
		detect_utf16(in);

	if (!in->peek_len)
		return NFT_INPUT_EMPTY;
	if (in->peek_len >= sizeof(dat_magic) - 1 &&
	    !memcmp(in->peek, dat_magic, sizeof(dat_magic) - 1))
		return NFT_INPUT_TRACE_DAT;
	if (in->peek_len >= 8 && !memcmp(in->peek, "PERFILE2", 8))
		return NFT_INPUT_PERF_DATA;
	if (memchr(in->peek, 0, in->peek_len))
		return NFT_INPUT_BINARY;
	for (i = 0; i < in->peek_len; i++)
		bad += !printable(in->peek[i]);
	/* A stray escape sequence is fine; a tenth of control bytes is not. */
	if (bad * 10 > in->peek_len)
		return NFT_INPUT_BINARY;
	return NFT_INPUT_TEXT;
}

/* ---- temporary files ---- */

int nft_tmpfile(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/netfs-trace.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

int nft_tmpcopy(int fd)
{
	char buf[65536];
	off_t at = 0;
	ssize_t n;
	int out = nft_tmpfile();

	if (out < 0)
		return -1;
	while ((n = pread(fd, buf, sizeof(buf), at)) > 0) {
		if (write(out, buf, n) != n)
			break;
		at += n;
	}
	if (n != 0 || lseek(out, 0, SEEK_SET) < 0) {
		int e = n < 0 ? errno : EIO;

		close(out);
		errno = e;
		return -1;
	}
	return out;
}
