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
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "decoder.h"

#define RAW_BUF_SIZE (1u << 20)
#define SNIFF_SIZE 4096u
#define PEEK_SIZE 4096

/* xz: a header asking for more is damage or a bomb (xz -9 needs 65 MiB) */
#define XZ_MEMLIMIT (1024ull << 20)
/* text with no line break in this much is not line-oriented text */
#define TEXT_NO_NEWLINE_MAX (64ull << 20)
/* spool: the default cap, and what no real trace.dat compresses to */
#define SPOOL_CAP (8ull << 30)
#define BOMB_RATIO 1000
#define BOMB_AFTER (8ull << 20)

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
	struct nft_diag *diag;	/* where damage is reported (NULL: stderr) */
	uint64_t raw_total;	/* bytes read from fd */
	uint64_t out_total;	/* decompressed bytes produced */
	int faulted;		/* damage reported: reads return 0 from now on */
	int pending;		/* damage seen, reported once the output
				 * decoded before it is handed out */
	enum nft_diag_level pend_level;
	char pend_what[160];
	uint64_t pend_back;	/* bytes of the damage already consumed */
	struct nft_input_fault fault;
	char fault_what[160];
	int kind;		/* nft_input_kind()'s verdict, -1 before */
	uint64_t since_nl;	/* text: bytes read since the last '\n' */
	uint64_t spool_max;	/* 0: from TMPDIR's free space */
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
	in->raw_total += r;
	return r;
}

/* Compressed bytes the decompressor has consumed. */
static uint64_t comp_offset(const struct nft_input *in)
{
	return in->raw_total - (in->raw_len - in->raw_off);
}

/*
 * The compressed stream is damaged (cut short, corrupt, or over a limit):
 * say so once, naming the decompressor and both offsets, and end the
 * stream there, so the decoders read what came before as they read a file
 * that ends.  @level is an error unless the decompressed data was complete.
 */
static long fault(struct nft_input *in, enum nft_diag_level level,
		  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static long fault(struct nft_input *in, enum nft_diag_level level,
		  const char *fmt, ...)
{
	char where[48];
	va_list ap;

	if (in->faulted)
		return 0;
	va_start(ap, fmt);
	vsnprintf(in->fault_what, sizeof(in->fault_what), fmt, ap);
	va_end(ap);
	in->faulted = 1;
	in->fault.decompressor = in->comp == COMP_NONE ? NULL :
				 nft_input_compression(in);
	in->fault.what = in->fault_what;
	in->fault.comp_offset = comp_offset(in) - in->pend_back;
	in->fault.offset = in->out_total;
	in->fault.error = level == NFT_DIAG_ERROR;
	if (in->comp == COMP_NONE) {
		snprintf(where, sizeof(where), "offset %" PRIu64, in->out_total);
		nft_diag_report(in->diag, level, in->name, where,
				"%s; reading stops there, what came before is read",
				in->fault_what);
		return 0;
	}
	snprintf(where, sizeof(where), "offset %" PRIu64, in->fault.comp_offset);
	nft_diag_report(in->diag, level, in->name, where,
			"%s: %s at compressed offset %" PRIu64 ", decompressed offset %" PRIu64 "; %s",
			in->fault.decompressor, in->fault_what,
			in->fault.comp_offset, in->out_total,
			level == NFT_DIAG_ERROR ?
			"what was decompressed before it is read, the rest is lost" :
			"the data before it is complete and read");
	return 0;
}

/* Trailing bytes after a complete stream: how many, for the message. */
static uint64_t bytes_left(struct nft_input *in)
{
	struct stat st;
	uint64_t at = comp_offset(in) - in->pend_back;

	if (!fstat(in->fd, &st) && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > at)
		return st.st_size - at;
	return 0;
}

/* Damage seen: report it once the data decoded before it is handed out. */
static void damage(struct nft_input *in, enum nft_diag_level level,
		   const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void damage(struct nft_input *in, enum nft_diag_level level,
		   const char *fmt, ...)
{
	va_list ap;

	if (in->pending)
		return;
	va_start(ap, fmt);
	vsnprintf(in->pend_what, sizeof(in->pend_what), fmt, ap);
	va_end(ap);
	in->pending = 1;
	in->pend_level = level;
}

static void trailing_garbage(struct nft_input *in, const char *what,
			     uint64_t consumed)
{
	uint64_t left;

	in->pend_back = consumed;
	left = bytes_left(in);

	if (left)
		damage(in, NFT_DIAG_WARNING,
		       "%" PRIu64 " bytes after the end of the last complete %s are not %s data (trailing garbage, ignored)",
		       left, what, nft_input_compression(in));
	else
		damage(in, NFT_DIAG_WARNING,
		       "the data after the end of the last complete %s is not %s data (trailing garbage, ignored)",
		       what, nft_input_compression(in));
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
		if (lzma_stream_decoder(&in->xz, XZ_MEMLIMIT,
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
	in->kind = -1;
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
	{
		struct stat st;

		/* a directory opens; its read() would fail with EISDIR */
		if (!fstat(in->fd, &st) && S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			goto fail;
		}
	}

	/*
	 * Need a few bytes to see a magic number; a pipe may give fewer.  A
	 * page, not the whole buffer: a trace.dat is then read by offset
	 * (pread), and a 1 MiB first read was a quarter of a small capture's
	 * page faults, for bytes nobody looked at.
	 */
	while (in->raw_len < 6 && !in->raw_eof) {
		long r = read_fd(in->fd, in->raw + in->raw_len,
				 SNIFF_SIZE - in->raw_len);

		if (r < 0)
			goto fail;
		if (r == 0)
			in->raw_eof = 1;
		in->raw_len += r;
		in->raw_total += r;
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

static const char *xz_error(lzma_ret ret)
{
	switch (ret) {
	case LZMA_FORMAT_ERROR:
		return "not xz data (damaged stream header)";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options in a stream or block header (damaged header)";
	case LZMA_DATA_ERROR:
		return "compressed data is corrupt";
	case LZMA_BUF_ERROR:
		return "stream cut short (truncated)";
	default:
		return "decompression failed";
	}
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
		if (ret == LZMA_MEM_ERROR) {
			errno = ENOMEM;
			return -1;
		}
		if (ret == LZMA_MEMLIMIT_ERROR) {
			damage(in, NFT_DIAG_ERROR,
			       "a block needs %" PRIu64 " MiB to decompress, over the %llu MiB limit (damaged header or a compression bomb)",
			       lzma_memusage(&in->xz) >> 20, XZ_MEMLIMIT >> 20);
			break;
		}
		if (ret != LZMA_OK) {
			/* LZMA_CONCATENATED: junk where a next stream would be */
			if (ret == LZMA_FORMAT_ERROR && in->out_total)
				trailing_garbage(in, "stream", 0);
			else
				damage(in, NFT_DIAG_ERROR, "%s", xz_error(ret));
			break;
		}
		if (!avail && in->xz.avail_out == n) {
			damage(in, NFT_DIAG_ERROR, "%s", xz_error(LZMA_BUF_ERROR));
			break;
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
		if (ret == Z_STREAM_END) {
			/* gzip allows several members back to back */
			in->stream_end = 1;
			inflateReset(&in->gz);
			continue;
		}
		if (ret == Z_MEM_ERROR) {
			errno = ENOMEM;
			return -1;
		}
		if (ret != Z_OK && ret != Z_BUF_ERROR) {
			/* not a gzip header where a next member would be */
			if (in->stream_end && in->gz.total_in <= 2)
				trailing_garbage(in, "member",
						 in->gz.total_in);
			else if (in->gz.msg && strstr(in->gz.msg, "check"))
				/* gzip checks a member's data only at its end */
				damage(in, NFT_DIAG_ERROR,
				       "%s: a member's data is damaged somewhere before this point (the lines before may be wrong too)",
				       in->gz.msg);
			else
				damage(in, NFT_DIAG_ERROR, "%s",
				       in->gz.msg ? in->gz.msg :
				       "compressed data is corrupt");
			break;
		}
		if (!avail && in->gz.avail_out == n) {
			damage(in, NFT_DIAG_ERROR, "stream cut short (truncated)");
			break;
		}
		if (in->gz.total_in)
			in->stream_end = 0;
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
		int at_frame = in->stream_end;

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
		if (ZSTD_isError(ret)) {
			if (at_frame && in->out_total &&
			    ZSTD_getErrorCode(ret) == ZSTD_error_prefix_unknown)
				trailing_garbage(in, "frame", 0);
			else
				damage(in, NFT_DIAG_ERROR, "%s",
				       ZSTD_getErrorName(ret));
			break;
		}
		if (!avail && ob.pos == 0) {
			damage(in, NFT_DIAG_ERROR, "frame cut short (truncated)");
			break;
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
	long r;

	if (!n || in->faulted)
		return 0;
	if (in->pending)
		return fault(in, in->pend_level, "%s", in->pend_what);
	switch (in->comp) {
	case COMP_XZ:
		r = read_xz(in, out, n);
		break;
	case COMP_GZIP:
		r = read_gzip(in, out, n);
		break;
	case COMP_ZSTD:
		r = read_zstd(in, out, n);
		break;
	default:
		r = read_plain(in, out, n);
		break;
	}
	if (r > 0)
		in->out_total += r;
	else if (!r && in->pending)
		return fault(in, in->pend_level, "%s", in->pend_what);
	return r;
}

/*
 * Text that never breaks its line (/dev/zero turned into letters, a bomb
 * of one symbol) would be read for ever, a line over 64 KiB at a time
 * being skipped: stop it.
 */
static void watch_lines(struct nft_input *in, const void *buf, long r)
{
	const char *nl;

	if (r <= 0 || in->kind != NFT_INPUT_TEXT)
		return;
	nl = memrchr(buf, '\n', r);
	in->since_nl = nl ? (uint64_t)((const char *)buf + r - nl - 1) :
			    in->since_nl + r;
	if (in->since_nl > TEXT_NO_NEWLINE_MAX)
		fault(in, NFT_DIAG_ERROR,
		      "no line break in %llu MiB: not line-oriented text",
		      TEXT_NO_NEWLINE_MAX >> 20);
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
	long r;

	if (have) {
		if (have > n)
			have = n;
		memcpy(buf, in->peek + in->peek_off, have);
		in->peek_off += have;
		watch_lines(in, buf, have);
		return have;
	}
	r = read_text(in, buf, n);
	watch_lines(in, buf, r);
	return r;
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

static int peek_kind(struct nft_input *in)
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

int nft_input_kind(struct nft_input *in)
{
	in->kind = peek_kind(in);
	return in->kind;
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

static bool all_zero(const unsigned char *p, size_t n)
{
	return n && !p[0] && !memcmp(p, p + 1, n - 1);
}

/*
 * Write @n bytes at the end of @fd, a block of zeros as a hole (a bomb of
 * zeros or a trace.dat's padding takes no disk).  *@end is the logical
 * size; the caller sets it with ftruncate() once done.
 */
static int write_sparse(int fd, const unsigned char *p, size_t n,
			uint64_t *end)
{
	if (all_zero(p, n)) {
		*end += n;
		return 0;
	}
	if (lseek(fd, *end, SEEK_SET) < 0)
		return -1;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
		*end += w;
	}
	return 0;
}

int nft_tmpcopy(int fd)
{
	unsigned char buf[65536];
	uint64_t at = 0, end = 0;
	ssize_t n;
	int out = nft_tmpfile();

	if (out < 0)
		return -1;
	errno = 0;
	while ((n = pread(fd, buf, sizeof(buf), at)) > 0) {
		if (write_sparse(out, buf, n, &end) < 0)
			break;
		at += n;
	}
	if (n != 0 || ftruncate(out, end) < 0 || lseek(out, 0, SEEK_SET) < 0) {
		int e = errno ? errno : EIO;

		close(out);
		errno = e;
		return -1;
	}
	return out;
}

/* ---- bounds, special files, spooling ---- */

void nft_input_set_diag(struct nft_input *in, struct nft_diag *diag)
{
	in->diag = diag;
}

const struct nft_input_fault *nft_input_fault(const struct nft_input *in)
{
	return in->faulted ? &in->fault : NULL;
}

void nft_input_set_spool_max(struct nft_input *in, uint64_t bytes)
{
	in->spool_max = bytes;
}

int nft_parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	case 0:
		break;
	default:
		return -1;
	}
	if (*end && end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
		return -1;
	if (!v || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*bytes = (uint64_t)v << shift;
	return 0;
}

static const char *tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

uint64_t nft_spool_default_max(void)
{
	struct statvfs sv;
	uint64_t half;

	if (statvfs(tmpdir(), &sv))
		return SPOOL_CAP;
	half = (uint64_t)sv.f_bavail * sv.f_frsize / 2;
	return half < SPOOL_CAP ? half : SPOOL_CAP;
}

static void spool_stopped(struct nft_input *in, uint64_t total,
			  uint64_t max, const char *why)
{
	char where[48];

	snprintf(where, sizeof(where), "offset %" PRIu64, total);
	nft_diag_report(in->diag, NFT_DIAG_ERROR, in->name, where,
			"spooling stopped after %" PRIu64 " %sbytes (%" PRIu64 " compressed bytes read): %s; what was spooled is read, the rest is not",
			total, in->comp == COMP_NONE ? "" : "decompressed ",
			comp_offset(in), why);
	(void)max;
}

int nft_input_spool(struct nft_input *in)
{
	unsigned char buf[65536];
	uint64_t total = 0, end = 0, max = in->spool_max;
	char why[256];
	long n;
	int fd = nft_tmpfile();

	if (fd < 0)
		return -1;
	if (!max)
		max = nft_spool_default_max();
	for (;;) {
		size_t want = sizeof(buf);

		if (total >= max) {
			/* one more byte says whether there was more */
			n = nft_input_read(in, buf, 1);
			if (n < 0)
				goto fail;
			if (n > 0) {
				snprintf(why, sizeof(why),
					 "the spool limit is %" PRIu64 " bytes (%s; NETFS_REPLAY_SPOOL_MAX=SIZE sets it)",
					 max, in->spool_max ? "as set" :
					 "half the free space in TMPDIR, at most 8 GiB");
				spool_stopped(in, total, max, why);
			}
			break;
		}
		if (want > max - total)
			want = max - total;
		n = nft_input_read(in, buf, want);
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		if (write_sparse(fd, buf, n, &end) < 0) {
			if (errno != ENOSPC && errno != EDQUOT && errno != EFBIG)
				goto fail;
			snprintf(why, sizeof(why), "writing to TMPDIR (%s) failed: %s",
				 tmpdir(), strerror(errno));
			total = end;
			spool_stopped(in, total, max, why);
			break;
		}
		total += n;
		/* no trace.dat compresses that well: a bomb, not a capture */
		if (in->comp != COMP_NONE && total > BOMB_AFTER &&
		    total / BOMB_RATIO > comp_offset(in)) {
			snprintf(why, sizeof(why),
				 "the data decompresses at more than %d:1, which no capture does (a compression bomb?)",
				 BOMB_RATIO);
			spool_stopped(in, total, max, why);
			break;
		}
	}
	if (ftruncate(fd, end) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	if (in->comp != COMP_NONE)
		nft_diag_report(in->diag, NFT_DIAG_NOTE, in->name, "offset 0",
				"%s-compressed: spooled %" PRIu64 " decompressed bytes to a temporary file",
				nft_input_compression(in), total);
	else
		nft_diag_report(in->diag, NFT_DIAG_NOTE, in->name, "offset 0",
				"not seekable: spooled %" PRIu64 " bytes to a temporary file",
				total);
	return fd;
fail:
	{
		int e = errno;

		close(fd);
		errno = e;
	}
	return -1;
}

int nft_input_file_fd(const struct nft_input *in)
{
	struct stat st;
	int fd;

	if (in->comp != COMP_NONE || fstat(in->fd, &st) || !S_ISREG(st.st_mode))
		return -1;
	fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

const char *nft_input_open_error(const char *path, int err)
{
	struct stat st;

	if (path && strcmp(path, "-") && !stat(path, &st)) {
		if (S_ISDIR(st.st_mode))
			return "a directory, not a capture: give a file, a pipe or '-'";
		if (S_ISSOCK(st.st_mode))
			return "a socket, not a capture: give a file, a pipe or '-'";
	}
	return strerror(err);
}
