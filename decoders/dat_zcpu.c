// SPDX-License-Identifier: GPL-2.0
/*
 * The compressed per-CPU data of a trace-cmd v7 trace.dat, one chunk at a
 * time, cut into records as kbuffer does (inline: next_rec()).
 *
 * Why not libtracecmd: libtracecmd 3.1 (Debian 12's 3.1.6) decompresses a
 * CPU's data chunk by chunk into a per-CPU cache, and free_zpage() never
 * finds the chunk a page came from (its range test is inverted), so no chunk
 * leaves the cache before tracecmd_close().  Memory grows with the
 * uncompressed size of the capture (251 MiB for a 6.4 M-event file), and
 * every page lookup walks that cache, so time grows faster than the file.
 * trace-cmd report has the same growth.  Here each CPU holds one
 * decompressed chunk at a time.  libtracecmd still opens the file and parses
 * its event formats.  Uncompressed cpu data (v6, v7 without compression) is
 * read by the same page loop, a window of pages per CPU at a time with
 * pread() (nft_zcpu_open_raw()): libtracecmd's reader mallocs every record
 * and its mapping of the cpu data counted in RSS, growing with the file.
 *
 * Layout read here (trace-cmd.dat.v7(5); numbers in the file's endianness):
 *   "\027\010\104tracing" "7\0", endian (u8), long size (u8), page size (u32),
 *   compression name "\0", compression version "\0", options offset (u64).
 *   A section: id (u16), flags (u16, 1 = compressed), description (u32),
 *   size (u64), then its data; compressed data is one block: compressed
 *   size (u32), uncompressed size (u32), the compressed bytes.
 *   An options section (id 0) holds options: id (u16), size (u32), data.
 *   Option 0 (DONE) holds the offset of the next options section, 0 = none.
 *   Option 3 (BUFFER): section offset (u64), name "\0", clock "\0", page size
 *   (u32), cpus (u32), then per CPU: cpu (u32), data offset (u64), data
 *   size (u64).  The buffer section's flags say whether its CPU data is
 *   compressed; compressed CPU data is: chunk count (u32), then per chunk
 *   compressed size (u32), uncompressed size (u32), the compressed bytes;
 *   the data size in the BUFFER option does not count the chunk count.
 *
 * Timestamps: libtracecmd adds the DATE and OFFSET options to every
 * timestamp, and so do we; files whose timestamps it converts further
 * (TSC2NSEC, TIME_SHIFT of a guest) are left to libtracecmd.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event-parse.h>
#include <trace-cmd.h>
#include <zlib.h>
#include <zstd.h>

#include "../libnetfs-trace/idmap.h"
#include "dat_page.h"
#include "dat_syms.h"
#include "dat_zcpu.h"
#include "rb_page.h"

#define OPT_DONE 0
#define OPT_DATE 1
#define OPT_BUFFER 3
#define OPT_OFFSET 7
#define OPT_TIME_SHIFT 12
#define OPT_TSC2NSEC 14
#define SEC_FL_COMPRESS 1
#define SEC_HDR 16
#define MAX_OPTION_SECTIONS 64
/* trace-cmd writes chunks of a few pages; anything near this is damage */
#define MAX_CHUNK (64u << 20)
#define PAGE_SLACK 16
#define MAX_CHECKED_CPUS 4096

enum zalgo { Z_ZSTD, Z_ZLIB };

struct zstream {
	int cpu;
	uint64_t pos, end;	/* file offset of the next chunk; end of data */
	uint64_t chunk_at;	/* file offset of the chunk in buf */
	uint64_t start;		/* raw: file offset of the cpu's data */
	uint32_t chunks, chunks_left, chunk_no;
	uint64_t voff;		/* uncompressed offset of buf[0] (raw: in
				 * the file) */
	uint64_t bytes;		/* uncompressed bytes of the chunks read */
	char *buf;
	size_t len, cap;
	size_t page;		/* offset in buf of the page being cut */
	/* the page being cut and its current record (next_rec()) */
	struct nft_rb_cursor rb;
	long long page_missed;	/* what the page header says was dropped */
	long long missed;	/* for the current record, -1: count unknown */
	bool consumed;		/* handed out: advance on the next call */
	bool have_first;
	unsigned long long first_ts;
	bool lost_pending;	/* records were lost: say so on the next one */
	bool hidden_said;	/* data past the declared chunks reported */
	char *fix;		/* a damaged page's sound records */
	char *cur;		/* the page being cut */
	unsigned int damaged;	/* pages page_error() reported */
};

struct nft_zcpu {
	int fd;
	uint64_t file_size;
	bool big_endian;
	unsigned int page_size;
	int lsize;		/* bytes of the page header's commit field */
	enum zalgo algo;
	ZSTD_DCtx *dctx;
	long long ts_offset;
	int n;
	struct zstream *s;
	struct nft_diag *diag;
	const char *fname;
	struct nft_page_fmt fmt;
	bool swap;		/* the file's byte order is not the host's */
	bool raw;		/* uncompressed cpu data: windows of pages */
	bool prechecked;	/* raw: every page found sound beforehand */
	size_t window;		/* bytes of a raw window, whole pages */
	uint64_t opt_end;	/* end of the last options section walked */
	bool past_end;		/* the options chain leads past the file */
	bool fill_cache;	/* a look ahead: keep what it decompresses */
	dev_t dev;		/* the file, for the chunk cache */
	ino_t ino;
	struct timespec mtime;
};

/* ---- reading the layout ---- */

/* @n (<= 8) bytes at @b as a number of the file's byte order, and back */
static uint64_t num_at(const unsigned char *b, int n, bool big_endian)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)b[big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

static void put_at(unsigned char *b, int n, bool big_endian, uint64_t v)
{
	int i;

	for (i = 0; i < n; i++)
		b[big_endian ? n - 1 - i : i] = v >> (8 * i);
}

static uint64_t get_num(const struct nft_zcpu *z, const unsigned char *b,
			int n)
{
	return num_at(b, n, z->big_endian);
}

/* Read @n (<= 8) bytes at @off as a number; -1 past the end of the file. */
static int read_num(const struct nft_zcpu *z, uint64_t off, int n, uint64_t *v)
{
	unsigned char b[8];

	if (off > z->file_size || z->file_size - off < (uint64_t)n ||
	    pread(z->fd, b, n, off) != n)
		return -1;
	*v = get_num(z, b, n);
	return 0;
}

static int decompress(struct nft_zcpu *z, const void *src, size_t zlen,
		      void *dst, size_t len)
{
	if (z->algo == Z_ZSTD) {
		size_t r = ZSTD_decompressDCtx(z->dctx, dst, len, src, zlen);

		return ZSTD_isError(r) || r != len ? -1 : 0;
	} else {
		uLongf out = len;

		return uncompress(dst, &out, src, zlen) != Z_OK || out != len ?
			-1 : 0;
	}
}

/*
 * ---- chunks decompressed once ----
 *
 * Opening a small compressed file decompresses its cpu data up to three
 * times: the first chunk of every cpu in nft_zcpu_check() (what libtracecmd
 * will touch), every chunk in nft_zcpu_record_ids() (which formats the lean
 * copy keeps), then every chunk again for the records.  On a 6.1 capture of
 * 7,000 records that was 7.5 M of 32 M instructions.  The look-aheads keep
 * what they decompressed here (up to ZC_BYTES), the reader takes it: each
 * chunk is decompressed once.  Per thread, keyed by the file's identity
 * and the chunk's offset; nft_zcpu_release() empties it after each file.
 * ZSTD_createDCtx() (160 KiB, a page fault a page) is kept here too.
 */
#define ZC_BYTES (8u << 20)

struct zchunk {
	uint64_t zlen, ulen;
	char data[];
};

static __thread struct {
	struct nft_idmap map;	/* chunk offset -> struct zchunk */
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	size_t bytes;
	ZSTD_DCtx *spare;
} zc;

static ZSTD_DCtx *dctx_get(void)
{
	ZSTD_DCtx *d = zc.spare;

	if (!d)
		return ZSTD_createDCtx();
	zc.spare = NULL;
	return d;
}

static void dctx_put(ZSTD_DCtx *d)
{
	if (d && !zc.spare) {
		ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
		zc.spare = d;
	} else {
		ZSTD_freeDCtx(d);
	}
}

static void zc_drop(void)
{
	size_t i;

	for (i = 0; i < zc.map.cap; i++)
		free(zc.map.vals ? zc.map.vals[i] : NULL);
	nft_idmap_release(&zc.map);
	zc.bytes = 0;
}

void nft_zcpu_release(void)
{
	zc_drop();
	ZSTD_freeDCtx(zc.spare);
	zc.spare = NULL;
}

static bool zc_same_file(const struct nft_zcpu *z)
{
	return z->ino && zc.map.cap && zc.dev == z->dev && zc.ino == z->ino &&
	       zc.mtime.tv_sec == z->mtime.tv_sec &&
	       zc.mtime.tv_nsec == z->mtime.tv_nsec;
}

/* The chunk at @at from the cache into @dst; the reader takes it out. */
static bool zc_get(struct nft_zcpu *z, uint64_t at, uint64_t zlen, char *dst,
		   uint64_t ulen)
{
	struct zchunk *c;

	if (!zc_same_file(z) || !zc.map.len ||
	    !(c = nft_idmap_get(&zc.map, at)) || c->zlen != zlen ||
	    c->ulen != ulen)
		return false;
	memcpy(dst, c->data, ulen);
	if (!z->fill_cache) {
		nft_idmap_del(&zc.map, at);
		zc.bytes -= ulen;
		free(c);
	}
	return true;
}

static void zc_put(struct nft_zcpu *z, uint64_t at, uint64_t zlen,
		   const char *data, uint64_t ulen)
{
	struct zchunk *c;

	if (!z->ino)
		return;
	if (!zc_same_file(z)) {
		zc_drop();
		if (nft_idmap_init(&zc.map, 64))
			return;
		zc.dev = z->dev;
		zc.ino = z->ino;
		zc.mtime = z->mtime;
	}
	if (zc.bytes + ulen > ZC_BYTES || nft_idmap_get(&zc.map, at) ||
	    !(c = malloc(sizeof(*c) + ulen)))
		return;
	c->zlen = zlen;
	c->ulen = ulen;
	memcpy(c->data, data, ulen);
	if (nft_idmap_put(&zc.map, at, c)) {
		free(c);
		return;
	}
	zc.bytes += ulen;
}

static struct nft_zcpu *open_z(int fd, const char *instance,
			       struct tep_handle *tep, struct nft_diag *diag,
			       const char *fname, bool fill_cache);

static void zc_ident(struct nft_zcpu *z, const struct stat *st)
{
	z->dev = st->st_dev;
	z->ino = st->st_ino;
	z->mtime = st->st_mtim;
}

/*
 * The @zlen compressed bytes at @at, decompressed into @dst (@ulen bytes):
 * from the cache when a look-ahead left them there.  -1 when they cannot
 * be read or do not decompress.
 */
static int read_chunk(struct nft_zcpu *z, uint64_t at, uint64_t zlen,
		      char *dst, uint64_t ulen)
{
	void *zbuf;
	int bad;

	if (zc_get(z, at, zlen, dst, ulen))
		return 0;
	zbuf = malloc(zlen ? zlen : 1);
	bad = !zbuf || pread(z->fd, zbuf, zlen, at) != (ssize_t)zlen ||
	      decompress(z, zbuf, zlen, dst, ulen);
	free(zbuf);
	if (bad)
		return -1;
	if (z->fill_cache)
		zc_put(z, at, zlen, dst, ulen);
	return 0;
}

/* The data of the section at @off, decompressed if need be; malloc'd. */
static char *read_section(struct nft_zcpu *z, uint64_t off, int want_id,
			  uint64_t *len)
{
	uint64_t id, flags, size, zlen, ulen;
	char *zbuf = NULL, *buf;

	if (read_num(z, off, 2, &id) || read_num(z, off + 2, 2, &flags) ||
	    read_num(z, off + 8, 8, &size) || id != (uint64_t)want_id ||
	    size > z->file_size - off - SEC_HDR)
		return NULL;
	off += SEC_HDR;
	if (!(flags & SEC_FL_COMPRESS)) {
		zlen = ulen = size;
	} else if (read_num(z, off, 4, &zlen) || read_num(z, off + 4, 4, &ulen) ||
		   zlen + 8 > size || ulen > MAX_CHUNK) {
		return NULL;
	} else {
		off += 8;
	}
	buf = malloc(ulen ? ulen : 1);
	zbuf = (flags & SEC_FL_COMPRESS) ? malloc(zlen ? zlen : 1) : buf;
	if (!buf || !zbuf || pread(z->fd, zbuf, zlen, off) != (ssize_t)zlen ||
	    (zbuf != buf && decompress(z, zbuf, zlen, buf, ulen))) {
		if (zbuf != buf)
			free(zbuf);
		free(buf);
		return NULL;
	}
	if (zbuf != buf)
		free(zbuf);
	*len = ulen;
	return buf;
}

struct buffer_opt {
	bool found;
	uint64_t section;
	unsigned int page_size;
	uint32_t cpus;
	unsigned char *cpu;	/* the per-CPU entries, 20 bytes each */
};

/* Option 3 (BUFFER); a malformed one is -1.  @name points into @d. */
static int buffer_option(struct nft_zcpu *z, const unsigned char *d,
			 uint64_t size, const char **name, struct buffer_opt *b)
{
	const unsigned char *clock, *end = d + size;

	*name = (const char *)d + 8;
	if (size < 8 || !memchr(*name, 0, end - d - 8))
		return -1;
	clock = d + 8 + strlen(*name) + 1;
	if (clock >= end || !memchr(clock, 0, end - clock))
		return -1;
	b->section = get_num(z, d, 8);
	d = clock + strlen((const char *)clock) + 1;
	if (end - d < 8)
		return -1;
	b->page_size = get_num(z, d, 4);
	b->cpus = get_num(z, d + 4, 4);
	d += 8;
	if ((uint64_t)(end - d) < (uint64_t)b->cpus * 20)
		return -1;
	b->cpu = (unsigned char *)d;
	return 0;
}

/* As libtracecmd reads them: a number as text, DATE in microseconds. */
static long long option_offset(const unsigned char *v, uint64_t sz, uint64_t id)
{
	char num[32];

	if (sz >= sizeof(num))
		sz = sizeof(num) - 1;
	memcpy(num, v, sz);
	num[sz] = 0;
	return strtoll(num, NULL, 0) * (id == OPT_DATE ? 1000 : 1);
}

/*
 * Called for every option but DONE: @at is the file offset of the option's
 * data, 0 when its section is compressed.  Non-zero ends the walk.
 */
typedef int (*option_fn)(struct nft_zcpu *z, uint64_t id,
			 const unsigned char *v, uint64_t sz, uint64_t at,
			 void *arg);

/* Every options section, in the file's chain; -1: malformed. */
static int walk_options(struct nft_zcpu *z, uint64_t off, option_fn fn,
			void *arg)
{
	int sections = 0;

	while (off) {
		uint64_t len, p = 0, next = 0, flags = 0;
		unsigned char *d;
		int ret = 0;

		if (++sections > MAX_OPTION_SECTIONS)
			return -1;
		d = (unsigned char *)read_section(z, off, OPT_DONE, &len);
		if (!d || read_num(z, off + 2, 2, &flags) ||
		    read_num(z, off + 8, 8, &next)) {
			uint64_t sz = 0;

			z->past_end = off >= z->file_size ||
				      z->file_size - off < SEC_HDR ||
				      (!read_num(z, off + 8, 8, &sz) &&
				       sz > z->file_size - off - SEC_HDR);
			free(d);
			return -1;
		}
		if (off + SEC_HDR + next > z->opt_end)
			z->opt_end = off + SEC_HDR + next;
		next = 0;
		while (!ret && len - p >= 6) {
			uint64_t id = get_num(z, d + p, 2);
			uint64_t sz = get_num(z, d + p + 2, 4);
			const unsigned char *v = d + p + 6;

			p += 6;
			if (sz > len - p) {
				ret = -1;
				break;
			}
			if (id == OPT_DONE) {
				next = sz >= 8 ? get_num(z, v, 8) : 0;
				break;
			}
			ret = fn(z, id, v, sz, flags & SEC_FL_COMPRESS ? 0 :
				 off + SEC_HDR + p, arg);
			p += sz;
		}
		free(d);
		if (ret)
			return ret;
		off = next;
	}
	return 0;
}

struct want_buffer {
	const char *name;
	struct buffer_opt b;
};

/* 1: the file needs libtracecmd's timestamp conversion; -1: malformed. */
static int open_option(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
		       uint64_t sz, uint64_t at, void *arg)
{
	struct want_buffer *w = arg;
	struct buffer_opt b = { 0 };
	const char *name;

	(void)at;
	if (id == OPT_TSC2NSEC || id == OPT_TIME_SHIFT)
		return 1;
	if (id == OPT_DATE || id == OPT_OFFSET)
		z->ts_offset += option_offset(v, sz, id);
	if (id != OPT_BUFFER)
		return 0;
	if (buffer_option(z, v, sz, &name, &b))
		return -1;
	if (strcmp(name, w->name))
		return 0;
	free(w->b.cpu);
	w->b = b;
	w->b.found = true;
	w->b.cpu = malloc(b.cpus * 20 + 1);
	if (!w->b.cpu)
		return -1;
	memcpy(w->b.cpu, b.cpu, b.cpus * 20);
	return 0;
}

/* The file header up to the options offset. */
static int read_header(struct nft_zcpu *z, uint64_t *options)
{
	unsigned char h[512];
	const char *name, *ver;
	ssize_t n = pread(z->fd, h, sizeof(h) - 1, 0);
	size_t p;

	if (n < 20 || memcmp(h, "\027\010\104tracing7", 12))
		return -1;
	h[n] = 0;
	z->big_endian = h[12];
	name = (const char *)h + 18;
	ver = name + strlen(name) + 1;
	if (ver >= (const char *)h + n)
		return -1;
	p = (const unsigned char *)ver + strlen(ver) + 1 - h;
	if (p + 8 > (size_t)n)
		return -1;
	*options = get_num(z, h + p, 8);
	if (!strcmp(name, "zstd"))
		z->algo = Z_ZSTD;
	else if (!strcmp(name, "zlib"))
		z->algo = Z_ZLIB;
	else
		return 1;	/* "none", or one we do not know */
	return 0;
}

/* ---- what libtracecmd's open will touch ---- */

/*
 * libtracecmd 3.1 reads every chunk header of every cpu, decompresses the
 * first chunk and loads its first page when it opens a file or a buffer
 * instance; damage there makes it fail, or crash in its error path.
 */
static bool first_chunk_sound(struct nft_zcpu *z, uint64_t at, uint64_t zlen,
			      uint64_t ulen, unsigned int page_size, int lsize)
{
	char *buf;
	bool ok;

	if (ulen < page_size)
		return false;
	buf = malloc(ulen);
	ok = buf && !read_chunk(z, at + 8, zlen, buf, ulen) &&
	     (get_num(z, (unsigned char *)buf + 8, lsize) & COMMIT_MASK) <=
		page_size - 8 - lsize;
	free(buf);
	return ok;
}

static bool cpu_data_sound(struct nft_zcpu *z, uint64_t off, uint64_t size,
			   unsigned int page_size, int lsize)
{
	uint64_t count, p, end, zlen, ulen, i;

	if (off > z->file_size || z->file_size - off < 4 ||
	    size > z->file_size - off - 4 || read_num(z, off, 4, &count))
		return false;
	p = off + 4;
	end = off + 4 + size;
	for (i = 0; i < count; i++) {
		if (end - p < 8 || read_num(z, p, 4, &zlen) ||
		    read_num(z, p + 4, 4, &ulen) || zlen > end - p - 8 ||
		    ulen > MAX_CHUNK)
			return false;
		if (!i && !first_chunk_sound(z, p, zlen, ulen, page_size, lsize))
			return false;
		p += 8 + zlen;
	}
	return true;
}

struct check_state {
	int lsize;
	int damaged;
	bool unpatchable;
	uint64_t zero[MAX_CHECKED_CPUS];	/* offsets of their size fields */
};

static int check_option(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
			uint64_t sz, uint64_t at, void *arg)
{
	struct check_state *c = arg;
	struct buffer_opt b = { 0 };
	uint64_t sid, flags;
	const char *name;
	uint32_t i;

	if (id != OPT_BUFFER)
		return 0;
	if (buffer_option(z, v, sz, &name, &b) ||
	    read_num(z, b.section, 2, &sid) || sid != OPT_BUFFER ||
	    read_num(z, b.section + 2, 2, &flags) ||
	    b.page_size < 64 || b.page_size > MAX_CHUNK)
		return -1;
	if (!(flags & SEC_FL_COMPRESS))
		return 0;
	for (i = 0; i < b.cpus; i++) {
		const unsigned char *e = b.cpu + i * 20;
		uint64_t size = get_num(z, e + 12, 8);

		if (!size || cpu_data_sound(z, get_num(z, e + 4, 8), size,
					    b.page_size, c->lsize))
			continue;
		if (!at || c->damaged == MAX_CHECKED_CPUS)
			c->unpatchable = true;
		else
			c->zero[c->damaged] = at + (e - v) + 12;
		c->damaged++;
	}
	return 0;
}

/* An unlinked copy of the file with the given 8-byte fields zeroed. */
static int copy_zeroed(int fd, const uint64_t *zero, int n)
{
	static const char zeros[8];
	int out = nft_tmpcopy(fd), i;

	for (i = 0; out >= 0 && i < n; i++)
		if (pwrite(out, zeros, 8, zero[i]) != 8) {
			close(out);
			return -1;
		}
	return out;
}

int nft_zcpu_check(int fd, int *copy_fd)
{
	struct check_state c = { 0 };
	struct nft_zcpu z = { .fd = fd };
	unsigned char h[14];
	uint64_t options;
	struct stat st;
	int ret;

	*copy_fd = -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || pread(fd, h, 14, 0) != 14)
		return -1;
	z.file_size = st.st_size;
	z.fill_cache = true;
	zc_ident(&z, &st);
	c.lsize = h[13] == 4 ? 4 : 8;
	ret = read_header(&z, &options);
	if (ret > 0)
		return 0;
	if (ret < 0 || !(z.dctx = dctx_get()))
		return -1;
	ret = walk_options(&z, options, check_option, &c);
	dctx_put(z.dctx);
	if (ret || c.unpatchable)
		return -1;
	if (c.damaged && (*copy_fd = copy_zeroed(fd, c.zero, c.damaged)) < 0)
		return -1;
	return c.damaged;
}

/* ---- which formats the records use ---- */

/* The "ID: N" line of a format text; -1 when it has none. */
static long format_id(const unsigned char *t, uint64_t len)
{
	const unsigned char *p = t, *end = t + len;

	while (p < end) {
		const unsigned char *nl = memchr(p, '\n', end - p);
		const unsigned char *e = nl ? nl : end;

		if (e - p > 4 && !memcmp(p, "ID: ", 4)) {
			long v = 0;

			for (p += 4; p < e && *p >= '0' && *p <= '9'; p++)
				if ((v = v * 10 + (*p - '0')) >= NFT_DAT_IDS)
					return -1;
			return p == e || *p == ' ' ? v : -1;
		}
		p = nl ? nl + 1 : end;
	}
	return -1;
}

/* A 4-byte count of formats, each an 8-byte size and its text. */
static long long format_block(const unsigned char *d, uint64_t len,
			      bool big_endian, unsigned char *ids)
{
	uint64_t n, i, p = 4, sz;
	long id;

	if (len < 4)
		return -1;
	n = num_at(d, 4, big_endian);
	for (i = 0; i < n; i++) {
		if (len - p < 8)
			return -1;
		sz = num_at(d + p, 8, big_endian);
		p += 8;
		if (sz > len - p || (id = format_id(d + p, sz)) < 0)
			return -1;
		ids[id >> 3] |= 1u << (id & 7);
		p += sz;
	}
	return p;
}

long long nft_dat_ftrace_ids(const unsigned char *d, uint64_t len,
			     bool big_endian, unsigned char *ids)
{
	return format_block(d, len, big_endian, ids);
}

long long nft_dat_event_ids(const unsigned char *d, uint64_t len,
			    bool big_endian, unsigned char *ids)
{
	uint64_t n, i, p = 4;
	const unsigned char *nul;
	long long used;

	if (len < 4)
		return -1;
	n = num_at(d, 4, big_endian);
	for (i = 0; i < n; i++) {
		nul = memchr(d + p, 0, len - p);
		if (!nul)
			return -1;
		p = nul + 1 - d;
		used = format_block(d + p, len - p, big_endian, ids);
		if (used < 0)
			return -1;
		p += used;
	}
	return p;
}

/*
 * Pruning a list of systems to the formats the records use.  The decoder
 * (tep_event.c) looks at the format of each event that has records, at the
 * common_type field of the first event, and -- for a __print_symbolic()
 * entry whose value is an enum name libtraceevent could not evaluate
 * (resolve_elsewhere()) -- at the tables of every other event holding the
 * same string.  So a format stays when a record uses it, when its text
 * holds a string such an entry of a kept format names, or when it is the
 * first by id; and only when every format has the same common_type field.
 */
#define COMMON_TYPE "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;"

struct fmt_ref {
	const unsigned char *at;	/* the 8-byte size, then the text */
	uint64_t size;
	long id;
	int sys;
	bool keep;
};

struct str_ref {
	const unsigned char *s;
	size_t len;
};

static bool plain_number(const unsigned char *v, size_t len)
{
	size_t i = 0;

	while (len && v[len - 1] == ' ')
		len--;
	while (i < len && v[i] == ' ')
		i++;
	if (i < len && v[i] == '-')
		i++;
	if (len - i > 2 && v[i] == '0' && (v[i + 1] == 'x' || v[i + 1] == 'X')) {
		for (i += 2; i < len && isxdigit(v[i]); i++)
			;
		return i == len;
	}
	if (i == len)
		return false;
	for (; i < len && isdigit(v[i]); i++)
		;
	return i == len;
}

/*
 * The strings of the table entries of @t whose value is not a number, into
 * @strs.  -1 when a '{' is not followed by "value, \"string\"" (then
 * nothing is pruned).
 */
static int enum_names(const unsigned char *t, uint64_t len,
		      struct str_ref **strs, int *n, int *cap)
{
	const unsigned char *p = memmem(t, len, "print fmt:", 10), *end = t + len;
	const unsigned char *v, *comma, *q;

	if (!p)
		return 0;
	while ((p = memchr(p, '{', end - p))) {
		v = ++p;
		comma = memchr(v, ',', end - v);
		if (!comma)
			return -1;
		for (q = comma + 1; q < end && *q == ' '; q++)
			;
		if (q >= end || *q != '"')
			return -1;
		if (plain_number(v, comma - v))
			continue;
		v = ++q;
		q = memchr(v, '"', end - v);
		if (!q)
			return -1;
		while (v < q && *v == ' ')
			v++;
		while (q > v && q[-1] == ' ')
			q--;
		if (q == v)
			return -1;
		if (*n == *cap) {
			int c = *cap ? *cap * 2 : 32;
			struct str_ref *m = realloc(*strs, c * sizeof(**strs));

			if (!m)
				return -1;
			*strs = m;
			*cap = c;
		}
		(*strs)[*n].s = v;
		(*strs)[(*n)++].len = q - v;
	}
	return 0;
}

static bool has_id(const unsigned char *ids, long id)
{
	return id >= 0 && (ids[id >> 3] & (1u << (id & 7)));
}

long long nft_dat_prune_events(const unsigned char *d, uint64_t len,
			       bool big_endian, const unsigned char *records,
			       unsigned char **out, int *kept, int *all,
			       struct nft_dat_syms *syms)
{
	struct fmt_ref *f = NULL;
	struct str_ref *strs = NULL;
	uint64_t nsys, i, p = 4, o = 0, cnt, j;
	int nf = 0, capf = 0, ns = 0, caps = 0, k, first = -1, sys;
	long long ret = -1;
	unsigned char *w = NULL;
	const unsigned char *nul;

	*out = NULL;
	*kept = *all = 0;
	if (len < 4)
		return -1;
	nsys = num_at(d, 4, big_endian);
	if (nsys > 4096)
		return -1;
	for (sys = 0; (uint64_t)sys < nsys; sys++) {
		nul = memchr(d + p, 0, len - p);
		if (!nul || len - (nul + 1 - d) < 4)
			goto out;
		p = nul + 1 - d;
		cnt = num_at(d + p, 4, big_endian);
		p += 4;
		for (j = 0; j < cnt; j++) {
			if (len - p < 8)
				goto out;
			if (nf == capf) {
				int c = capf ? capf * 2 : 64;
				struct fmt_ref *m = realloc(f, c * sizeof(*f));

				if (!m)
					goto out;
				f = m;
				capf = c;
			}
			f[nf].at = d + p;
			f[nf].size = num_at(d + p, 8, big_endian);
			p += 8;
			if (f[nf].size > len - p)
				goto out;
			f[nf].id = format_id(d + p, f[nf].size);
			f[nf].sys = sys;
			f[nf].keep = has_id(records, f[nf].id);
			if (f[nf].id < 0 ||
			    !memmem(d + p, f[nf].size, COMMON_TYPE, sizeof(COMMON_TYPE) - 1))
				goto out;
			if (first < 0 || f[nf].id < f[first].id)
				first = nf;
			p += f[nf].size;
			nf++;
		}
	}
	if (p != len || first < 0)
		goto out;
	f[first].keep = true;
	for (k = 0; k < nf; k++)
		if (f[k].keep &&
		    enum_names(f[k].at + 8, f[k].size, &strs, &ns, &caps))
			goto out;
	for (k = 0; k < nf; k++) {
		int m;

		for (m = 0; !f[k].keep && m < ns; m++)
			if (memmem(f[k].at + 8, f[k].size, strs[m].s, strs[m].len))
				f[k].keep = true;
	}
	w = malloc(len);
	if (!w)
		goto out;
	/* the systems with a format kept, each with its kept formats */
	o = 4;
	cnt = 0;
	p = 4;
	k = 0;
	for (i = 0; i < nsys; i++) {
		uint64_t n = 0, at = o, cpos, nlen;

		nul = memchr(d + p, 0, len - p);
		nlen = nul + 1 - (d + p);
		memcpy(w + o, d + p, nlen);
		cpos = o + nlen;
		o = cpos + 4;
		p += nlen + 4;
		for (; k < nf && (uint64_t)f[k].sys == i; k++) {
			char *lean;
			size_t llen;

			p += 8 + f[k].size;
			if (!f[k].keep)
				continue;
			if (syms && !nft_dat_syms_strip(syms, f[k].id,
					(const char *)f[k].at + 8, f[k].size,
					&lean, &llen)) {
				/* shorter: still inside w */
				put_at(w + o, 8, big_endian, llen);
				memcpy(w + o + 8, lean, llen);
				free(lean);
				o += 8 + llen;
			} else {
				memcpy(w + o, f[k].at, 8 + f[k].size);
				o += 8 + f[k].size;
			}
			n++;
			(*kept)++;
		}
		if (!n) {
			o = at;		/* no format left: no system */
			continue;
		}
		put_at(w + cpos, 4, big_endian, n);
		cnt++;
	}
	put_at(w, 4, big_endian, cnt);
	*all = nf;
	*out = w;
	w = NULL;
	ret = o;
out:
	free(w);
	free(strs);
	free(f);
	return ret;
}

bool nft_dat_ftrace_unused(const unsigned char *ftrace,
			   const unsigned char *events,
			   const unsigned char *records)
{
	int i;

	for (i = 0; i < NFT_DAT_IDS / 8; i++)
		if ((records[i] & ftrace[i]) ||
		    (records[i] & ~(ftrace[i] | events[i])))
			return false;
	return true;
}

/* NETFS_REPLAY_DAT_FTRACE=1 keeps the ftrace formats in every lean copy. */
bool nft_dat_drop_ftrace_ok(void)
{
	const char *env = getenv("NETFS_REPLAY_DAT_FTRACE");

	return !env || strcmp(env, "1");
}

static void damage_seen(void *ctx, enum nft_diag_level level,
			const char *file, const char *where, const char *msg)
{
	(void)level, (void)file, (void)where, (void)msg;
	*(bool *)ctx = true;
}

int nft_zcpu_record_ids(int fd, const struct nft_dat_range *r, int n,
			unsigned long max, unsigned char *ids)
{
	bool bad = false;
	struct nft_diag quiet = { .report = damage_seen, .ctx = &bad };
	struct tep_record rec;
	unsigned long count = 0;
	struct nft_zcpu *z = n ? nft_zcpu_open_raw(fd, r, n, NULL, &quiet, "") :
			     open_z(fd, "", NULL, &quiet, "", true);

	if (!z)
		return -1;
	while (!bad && nft_zcpu_next(z, &rec) == 1) {
		unsigned int id;

		if (++count > max || rec.size < 2) {
			bad = true;
			break;
		}
		id = num_at(rec.data, 2, z->big_endian);
		ids[id >> 3] |= 1u << (id & 7);
	}
	nft_zcpu_close(z);
	return bad || quiet.errors || quiet.warnings ? -1 : 0;
}

/* ---- an uncompressed copy of the metadata ---- */

/*
 * Options HEADER_INFO (16) ... CMDLINES (21) hold the offset of a section of
 * their own id, and so does BUFFER_TEXT (22, a latency buffer) in its first
 * 8 bytes; BUFFER (3) points at its cpu data's section.
 */
#define OPT_HEADER_INFO 16
#define OPT_FTRACE_EVENTS 17
#define OPT_EVENT_FORMATS 18
#define OPT_KALLSYMS 19
#define OPT_BUFFER_TEXT 22

struct unpack {
	int out;
	uint64_t end;		/* where the next section goes */
	unsigned char *opts;	/* the options, as they will be written */
	size_t len, cap;
	bool lean;		/* kallsyms left out */
	bool no_ftrace;		/* and the ftrace formats */
	unsigned char *records;	/* then only their formats: event ids */
	struct nft_dat_syms *syms;	/* and their tables read by us */
	int kept, all;
};

static void put_num(const struct nft_zcpu *z, unsigned char *b, int n,
		    uint64_t v)
{
	put_at(b, n, z->big_endian, v);
}

/* A section of @id with @len bytes of uncompressed data at u->end. */
static int write_section(struct nft_zcpu *z, struct unpack *u, uint64_t id,
			 uint64_t desc, const void *data, uint64_t len,
			 uint64_t *at)
{
	unsigned char h[SEC_HDR];

	put_num(z, h, 2, id);
	put_num(z, h + 2, 2, 0);
	put_num(z, h + 4, 4, desc);
	put_num(z, h + 8, 8, len);
	if (pwrite(u->out, h, SEC_HDR, u->end) != SEC_HDR ||
	    (len && pwrite(u->out, data, len, u->end + SEC_HDR) != (ssize_t)len))
		return -1;
	*at = u->end;
	u->end += SEC_HDR + len;
	return 0;
}

static int add_unpacked(struct unpack *u, const struct nft_zcpu *z,
			uint64_t id, const unsigned char *v, uint64_t sz)
{
	if (u->len + 6 + sz > u->cap) {
		size_t cap = (u->len + 6 + sz) * 2;
		unsigned char *n = realloc(u->opts, cap);

		if (!n)
			return -1;
		u->opts = n;
		u->cap = cap;
	}
	put_num(z, u->opts + u->len, 2, id);
	put_num(z, u->opts + u->len + 2, 4, sz);
	memcpy(u->opts + u->len + 6, v, sz);
	u->len += 6 + sz;
	return 0;
}

/* The option, its section copied uncompressed, cpu data left out. */
static int unpack_option(struct nft_zcpu *z, uint64_t id,
			 const unsigned char *v, uint64_t sz, uint64_t at,
			 void *arg)
{
	struct unpack *u = arg;
	unsigned char *val = malloc(sz ? sz : 1);
	struct buffer_opt b = { 0 };
	uint64_t off, desc, len = 0, new_at;
	const char *name;
	char *data = NULL;
	int ret = -1;
	uint32_t i;

	(void)at;
	if (!val)
		return -1;
	memcpy(val, v, sz);
	if ((id >= OPT_HEADER_INFO && id <= OPT_BUFFER_TEXT) ||
	    id == OPT_BUFFER) {
		if (sz < 8)
			goto out;
		off = get_num(z, v, 8);
		if (read_num(z, off + 4, 4, &desc))
			goto out;
		if ((u->lean && id == OPT_KALLSYMS) ||
		    (u->no_ftrace && id == OPT_FTRACE_EVENTS)) {
			/* an empty list: its 4-byte size or count, 0 */
			static const char none[4];

			if (write_section(z, u, id, desc, none, sizeof(none),
					  &new_at))
				goto out;
			put_num(z, val, 8, new_at);
			ret = add_unpacked(u, z, id, val, sz);
			goto out;
		}
		if (id != OPT_BUFFER &&
		    !(data = read_section(z, off, id, &len)))
			goto out;
		if (id == OPT_EVENT_FORMATS && u->records) {
			unsigned char *pruned;
			long long plen = nft_dat_prune_events((unsigned char *)data,
					len, z->big_endian, u->records, &pruned,
					&u->kept, &u->all, u->syms);

			if (plen >= 0) {
				free(data);
				data = (char *)pruned;
				len = plen;
			}
		}
		if (write_section(z, u, id, desc, data, len, &new_at))
			goto out;
		put_num(z, val, 8, new_at);
	}
	if (id == OPT_BUFFER) {
		if (buffer_option(z, val, sz, &name, &b))
			goto out;
		for (i = 0; i < b.cpus; i++) {
			put_num(z, b.cpu + i * 20 + 4, 8, new_at + SEC_HDR);
			put_num(z, b.cpu + i * 20 + 12, 8, 0);
		}
	}
	ret = add_unpacked(u, z, id, val, sz);
out:
	free(data);
	free(val);
	return ret;
}

/*
 * The header as libtracecmd expects it of an uncompressed v7 file: the
 * first 18 bytes as they are, compression "none" version "", and where the
 * options are.
 */
static int write_header(struct nft_zcpu *z, struct unpack *u, uint64_t options)
{
	unsigned char h[18 + 6 + 8];

	if (pread(z->fd, h, 18, 0) != 18)
		return -1;
	memcpy(h + 18, "none\0", 6);
	put_num(z, h + 24, 8, options);
	return pwrite(u->out, h, sizeof(h), 0) == sizeof(h) ? 0 : -1;
}

struct fmt_ids {
	unsigned char *ftrace, *events;
	bool other_buffers;	/* instances or a latency buffer */
};

static int collect_ids(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
		       uint64_t sz, uint64_t at, void *arg)
{
	struct fmt_ids *f = arg;
	unsigned char *d;
	uint64_t len;
	long long used;

	(void)at;
	if (id == OPT_BUFFER) {
		/* nft_zcpu_record_ids() reads the top level's records only */
		if (sz <= 8 || v[8])
			f->other_buffers = true;
		return 0;
	}
	if (id == OPT_BUFFER_TEXT)
		f->other_buffers = true;
	if (id != OPT_FTRACE_EVENTS && id != OPT_EVENT_FORMATS)
		return 0;
	if (sz < 8 ||
	    !(d = (unsigned char *)read_section(z, get_num(z, v, 8), id, &len)))
		return -1;
	used = id == OPT_FTRACE_EVENTS ?
	       nft_dat_ftrace_ids(d, len, z->big_endian, f->ftrace) :
	       nft_dat_event_ids(d, len, z->big_endian, f->events);
	free(d);
	return used < 0 ? -1 : 0;
}

/*
 * The ftrace formats (18 or so, a quarter of every open's parsing) can be
 * left out when no record is of an ftrace event and every record's event
 * has a format: a small file only (its records are read once more here).
 */
static bool ftrace_unused(struct nft_zcpu *z, uint64_t options, bool raw,
			  unsigned char **records)
{
	struct nft_dat_range r[64];
	int n = 0;
	unsigned char *b = calloc(3, NFT_DAT_IDS / 8);
	struct fmt_ids f = { b, b + NFT_DAT_IDS / 8, false };
	bool ok;

	*records = NULL;
	if (!b)
		return false;
	ok = !walk_options(z, options, collect_ids, &f) && !f.other_buffers &&
	     (!raw || (n = nft_dat7_ranges(z->fd, "", r, 64)) > 0) &&
	     !nft_zcpu_record_ids(z->fd, raw ? r : NULL, raw ? n : 0,
				  NFT_DAT_SCAN_MAX, b + 2 * NFT_DAT_IDS / 8) &&
	     nft_dat_ftrace_unused(f.ftrace, f.events, b + 2 * NFT_DAT_IDS / 8);
	if (ok) {
		/* the bitmap of the records' ids, at the start of its block */
		memmove(b, b + 2 * NFT_DAT_IDS / 8, NFT_DAT_IDS / 8);
		*records = b;
	} else {
		free(b);
	}
	return ok;
}

/* An uncompressed v7 file: only the top level, no latency buffer. */
static int top_only(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
		    uint64_t sz, uint64_t at, void *arg)
{
	(void)z, (void)at, (void)arg;
	if ((id == OPT_BUFFER && (sz <= 8 || v[8])) || id == OPT_BUFFER_TEXT)
		return 1;
	return 0;
}

static int unpack(int fd, int *copy_fd, bool lean, bool *no_ftrace,
		  int *kept, int *all, bool raw, struct nft_dat_syms *syms)
{
	struct nft_zcpu z = { .fd = fd };
	struct unpack u = { .out = -1, .end = 18 + 6 + 8, .lean = lean,
			    .syms = syms };
	static const unsigned char done[8];
	uint64_t options, at;
	struct stat st;
	int ret = -1;

	*copy_fd = -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -1;
	z.file_size = st.st_size;
	ret = read_header(&z, &options);
	if (raw && ret == 1) {
		/* "none": its sections are read as they are */
		char name[5] = "";

		if (pread(fd, name, 5, 18) != 5 || memcmp(name, "none", 5))
			return 1;
		ret = 0;
	} else if (raw) {
		return 1;
	}
	if (ret)
		return ret;
	ret = -1;
	if (!(z.dctx = dctx_get()))
		return -1;
	if (raw && walk_options(&z, options, top_only, NULL)) {
		dctx_put(z.dctx);
		return 1;
	}
	if (no_ftrace && nft_dat_drop_ftrace_ok())
		u.no_ftrace = *no_ftrace = ftrace_unused(&z, options, raw,
							 &u.records);
	u.out = nft_tmpfile();
	if (u.out < 0 || walk_options(&z, options, unpack_option, &u) ||
	    add_unpacked(&u, &z, OPT_DONE, done, 8) ||
	    write_section(&z, &u, OPT_DONE, 0, u.opts, u.len, &at) ||
	    write_header(&z, &u, at))
		goto out;
	*copy_fd = u.out;
	u.out = -1;
	ret = 0;
	if (kept) {
		*kept = u.kept;
		*all = u.all;
	}
out:
	if (u.out >= 0)
		close(u.out);
	free(u.records);
	free(u.opts);
	dctx_put(z.dctx);
	return ret;
}

int nft_zcpu_unpack(int fd, int *copy_fd)
{
	return unpack(fd, copy_fd, false, NULL, NULL, NULL, false, NULL);
}

/*
 * The same copy without the kallsyms: a compressed file's 4 MB of symbols
 * were most of the cost of opening it (decompressed in libtracecmd, twice
 * with the checking child) for names no netfs format prints.
 */
int nft_zcpu_unpack_lean(int fd, int *copy_fd, bool *no_ftrace,
			 int *kept, int *all, struct nft_dat_syms *syms)
{
	*no_ftrace = false;
	*kept = *all = 0;
	return unpack(fd, copy_fd, true, no_ftrace, kept, all, false, syms);
}

int nft_zcpu_unpack_lean_none(int fd, int *copy_fd, bool *no_ftrace,
			      int *kept, int *all, struct nft_dat_syms *syms)
{
	*no_ftrace = false;
	*kept = *all = 0;
	return unpack(fd, copy_fd, true, no_ftrace, kept, all, true, syms);
}

/* ---- a file cut short ---- */

#define OPT_CPUSTAT 2
#define OPT_TRACECLOCK 4
#define OPT_CPUCOUNT 8

/* What the intact part of a cut file's options chain says. */
struct cut_walk {
	uint64_t end;		/* end of the last intact options section */
	uint64_t done_at;	/* its DONE value's offset; 0: compressed */
	bool cut;		/* the chain leads past the end of the file */
	bool top_seen;		/* the top-level BUFFER option is intact */
	uint32_t cpus;
	char clock[32];
	uint8_t *empty;		/* CPUSTAT of cpu i: nothing recorded */
	uint32_t nempty;
};

/* "CPU: 1\nentries: 0\n...read events: 0\n": did that cpu record nothing? */
static void cpustat_option(struct cut_walk *w, const unsigned char *v,
			   uint64_t sz)
{
	char text[512], *p;
	unsigned long cpu;

	if (sz >= sizeof(text))
		sz = sizeof(text) - 1;
	memcpy(text, v, sz);
	text[sz] = 0;
	p = strstr(text, "CPU: ");
	if (!p || (cpu = strtoul(p + 5, NULL, 10)) >= MAX_CHECKED_CPUS ||
	    !strstr(text, "\nentries: 0\n") || !strstr(text, "read events: 0"))
		return;
	if (cpu >= w->nempty) {
		uint8_t *n = realloc(w->empty, cpu + 1);

		if (!n)
			return;
		memset(n + w->nempty, 0, cpu + 1 - w->nempty);
		w->empty = n;
		w->nempty = cpu + 1;
	}
	w->empty[cpu] = 1;
}

/* "... [local] global ...": the clock in brackets */
static void clock_option(struct cut_walk *w, const unsigned char *v,
			 uint64_t sz)
{
	const unsigned char *a = memchr(v, '[', sz), *b;

	if (!a || !(b = memchr(a, ']', sz - (a - v))) ||
	    (size_t)(b - a - 1) >= sizeof(w->clock))
		return;
	memcpy(w->clock, a + 1, b - a - 1);
	w->clock[b - a - 1] = 0;
}

static void cut_option(struct cut_walk *w, const struct nft_zcpu *z,
		       uint64_t id, const unsigned char *v, uint64_t sz)
{
	if (id == OPT_BUFFER && sz > 8 && !v[8])
		w->top_seen = true;
	else if (id == OPT_CPUCOUNT && sz >= 4)
		w->cpus = get_num(z, v, 4);
	else if (id == OPT_CPUSTAT)
		cpustat_option(w, v, sz);
	else if (id == OPT_TRACECLOCK)
		clock_option(w, v, sz);
}

/* Follow the options chain as far as the file holds it. */
static int walk_cut(struct nft_zcpu *z, uint64_t off, struct cut_walk *w)
{
	int sections = 0;

	while (off) {
		uint64_t len, p = 0, next = 0, flags = 0, size;
		unsigned char *d;

		if (read_num(z, off + 8, 8, &size) ||
		    size > z->file_size - off - SEC_HDR) {
			w->cut = true;
			return 0;
		}
		if (++sections > MAX_OPTION_SECTIONS ||
		    !(d = (unsigned char *)read_section(z, off, OPT_DONE, &len)) ||
		    read_num(z, off + 2, 2, &flags))
			return -1;
		w->done_at = 0;
		while (len - p >= 6) {
			uint64_t id = get_num(z, d + p, 2);
			uint64_t sz = get_num(z, d + p + 2, 4);

			p += 6;
			if (sz > len - p)
				break;
			if (id == OPT_DONE) {
				next = sz >= 8 ? get_num(z, d + p, 8) : 0;
				if (!(flags & SEC_FL_COMPRESS))
					w->done_at = off + SEC_HDR + p;
				break;
			}
			cut_option(w, z, id, d + p, sz);
			p += sz;
		}
		free(d);
		w->end = off + SEC_HDR + size;
		off = next;
	}
	return 0;
}

static uint64_t page_align(uint64_t off, unsigned int page)
{
	return (off + page - 1) / page * page;
}

/*
 * One cpu's compressed data at @at: how many chunks, and how many bytes of
 * them, lie wholly inside the file.  false when the first one cannot be a
 * chunk.
 */
static bool whole_chunks(struct nft_zcpu *z, uint64_t at, uint64_t *count,
			 uint64_t *kept, uint64_t *declared)
{
	uint64_t p = at + 4, zlen, ulen, i;

	*count = *kept = 0;
	if (read_num(z, at, 4, declared))
		return false;
	for (i = 0; i < *declared; i++) {
		if (read_num(z, p, 4, &zlen) || read_num(z, p + 4, 4, &ulen) ||
		    zlen > z->file_size - p - 8)
			break;
		if (ulen > MAX_CHUNK || zlen > MAX_CHUNK)
			return i > 0;
		p += 8 + zlen;
		(*count)++;
	}
	*kept = p - at - 4;
	return *count > 0 || !*declared;
}

/*
 * Cpu @i's entry @e of the rebuilt BUFFER option: its data starts at *pos
 * (on the page after the previous cpu's), none for a cpu that recorded
 * nothing; whatever comes after a cpu the cut went through is lost.  Its
 * chunk count is cut to the whole chunks in the copy @out.
 */
static int place_cpu(struct nft_zcpu *z, const struct cut_walk *w, uint32_t i,
		     int out, unsigned char *e, struct nft_dat_cut *cut,
		     uint64_t *pos, uint64_t *end, bool *ended)
{
	bool empty = i < w->nempty && w->empty[i];
	uint64_t count = 0, kept = 0, declared = 0;
	unsigned char b[4];

	if (!empty && (*ended ||
		       !whole_chunks(z, *pos, &count, &kept, &declared))) {
		cut->cpu[i] = NFT_CUT_ALL;
	} else if (!empty && count < declared) {
		cut->cpu[i] = count ? NFT_CUT_SHORT : NFT_CUT_ALL;
		put_num(z, b, 4, count);
		if (pwrite(out, b, 4, *pos) != 4)
			return -1;
	}
	put_num(z, e, 4, i);
	put_num(z, e + 4, 8, *pos);
	put_num(z, e + 12, 8, cut->cpu[i] == NFT_CUT_ALL ? 0 : kept);
	if (kept)
		*end = *pos + 4 + kept;
	if (!empty)
		*pos = page_align(*pos + 4 + kept, z->page_size);
	*ended = *ended || cut->cpu[i];
	return 0;
}

/*
 * The top-level buffer's cpu data at @sec, whose BUFFER option the cut took
 * away: writes that option into @opt (@optlen bytes), marks the cpus that
 * lost data in @cut, and fixes the section's size in the copy @out.
 */
static int rebuild_buffer(struct nft_zcpu *z, const struct cut_walk *w,
			  uint64_t sec, int out, unsigned char *opt,
			  size_t *optlen, struct nft_dat_cut *cut)
{
	uint64_t pos = page_align(sec + SEC_HDR, z->page_size), end = pos;
	const char *clock = w->clock[0] ? w->clock : "local";
	size_t clen = strlen(clock) + 1;
	unsigned char b[8];
	bool ended = false;
	uint32_t i;

	put_num(z, opt, 8, sec);
	opt[8] = 0;			/* the top level's name: "" */
	memcpy(opt + 9, clock, clen);
	put_num(z, opt + 9 + clen, 4, z->page_size);
	put_num(z, opt + 13 + clen, 4, w->cpus);
	*optlen = 17 + clen + (size_t)w->cpus * 20;
	for (i = 0; i < w->cpus; i++)
		if (place_cpu(z, w, i, out, opt + 17 + clen + i * 20, cut,
			      &pos, &end, &ended))
			return -1;
	put_num(z, b, 8, end - sec - SEC_HDR);
	return pwrite(out, b, 8, sec + 8) == 8 ? 0 : -1;
}

/* Append the options section, point the last intact DONE at it. */
static int append_options(struct nft_zcpu *z, int out, uint64_t done_at,
			  const unsigned char *opt, size_t optlen)
{
	unsigned char h[SEC_HDR + 6], tail[6 + 8] = { 0 }, b[8];
	uint64_t at = page_align(z->file_size, 8);
	size_t hlen = optlen ? sizeof(h) : SEC_HDR;

	put_num(z, h, 2, OPT_DONE);
	put_num(z, h + 2, 2, 0);
	put_num(z, h + 4, 4, 0);
	put_num(z, h + 8, 8, (optlen ? 6 + optlen : 0) + sizeof(tail));
	put_num(z, h + SEC_HDR, 2, OPT_BUFFER);
	put_num(z, h + SEC_HDR + 2, 4, optlen);
	put_num(z, tail + 2, 4, 8);
	put_num(z, b, 8, at);
	if (pwrite(out, h, hlen, at) != (ssize_t)hlen ||
	    (optlen && pwrite(out, opt, optlen, at + sizeof(h)) != (ssize_t)optlen) ||
	    pwrite(out, tail, sizeof(tail), at + SEC_HDR + (optlen ? 6 + optlen : 0)) !=
		    sizeof(tail) ||
	    pwrite(out, b, 8, done_at) != 8)
		return -1;
	return 0;
}

static int mend(struct nft_zcpu *z, struct cut_walk *w, int *copy_fd,
		struct nft_dat_cut *cut)
{
	uint64_t sec = w->end, id = 0, flags = 0;
	unsigned char *opt = NULL;
	size_t optlen = 0;
	int out;

	cut->what = NFT_CUT_WHERE_NONE;
	if (!w->done_at)
		return -1;
	if (!read_num(z, sec, 2, &id) && id == OPT_BUFFER &&
	    !read_num(z, sec + 2, 2, &flags))
		cut->what = w->top_seen ? NFT_CUT_WHERE_INSTANCE :
			    NFT_CUT_WHERE_TOP;
	if (!w->top_seen && (cut->what != NFT_CUT_WHERE_TOP ||
			     !(flags & SEC_FL_COMPRESS) || !w->cpus ||
			     w->cpus > MAX_CHECKED_CPUS))
		return -1;
	out = nft_tmpcopy(z->fd);
	if (out < 0)
		return -1;
	if (!w->top_seen) {
		cut->ncpus = w->cpus;
		cut->cpu = calloc(w->cpus, 1);
		opt = malloc(17 + sizeof(w->clock) + (size_t)w->cpus * 20);
		if (!cut->cpu || !opt ||
		    rebuild_buffer(z, w, sec, out, opt, &optlen, cut))
			goto fail;
	}
	if (append_options(z, out, w->done_at, opt, optlen))
		goto fail;
	free(opt);
	*copy_fd = out;
	return 1;
fail:
	free(opt);
	close(out);
	return -1;
}

int nft_zcpu_mend(int fd, int *copy_fd, struct nft_dat_cut *cut)
{
	struct nft_zcpu z = { .fd = fd };
	struct cut_walk w = { 0 };
	uint64_t options;
	unsigned char h[18];
	struct stat st;
	int ret;

	*copy_fd = -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || pread(fd, h, 18, 0) != 18)
		return 0;
	z.file_size = st.st_size;
	if (read_header(&z, &options))
		return 0;	/* not a compressed v7 file: @cut untouched */
	z.page_size = get_num(&z, h + 14, 4);	/* read_header() set the endianness */
	if (z.page_size < 64 || z.page_size > MAX_CHUNK ||
	    !(z.dctx = dctx_get()))
		return 0;
	memset(cut, 0, sizeof(*cut));
	cut->size = st.st_size;
	ret = walk_cut(&z, options, &w);
	cut->found = w.cut;
	if (!ret && w.cut)
		ret = mend(&z, &w, copy_fd, cut);
	dctx_put(z.dctx);
	free(w.empty);
	if (ret < 0) {
		free(cut->cpu);
		cut->cpu = NULL;
		cut->ncpus = 0;
	}
	return ret < 0 ? -1 : w.cut;
}

/* ---- cutting chunks into records ---- */

static void stream_error(struct nft_zcpu *z, struct zstream *s,
			 uint64_t off, const char *why)
{
	char where[64];

	snprintf(where, sizeof(where), "offset %" PRIu64, off);
	nft_diag_report(z->diag, NFT_DIAG_ERROR, z->fname, where,
			"cpu %d: chunk %u of %u: %s", s->cpu, s->chunk_no, s->chunks,
			why);
}

/*
 * Past the chunks the count declares, the cpu's data size may say more
 * follow (a damaged count, 0 in the worst case, hides them: libtracecmd
 * and trace-cmd report read none of them).  Read them as chunks too, and
 * say so.  false when nothing more is there.
 */
static bool more_chunks(struct nft_zcpu *z, struct zstream *s)
{
	char where[64];

	if (s->chunks_left) {
		s->chunks_left--;
		return true;
	}
	if (s->pos >= s->end)
		return false;
	if (!s->hidden_said) {
		s->hidden_said = true;
		snprintf(where, sizeof(where), "offset %" PRIu64, s->pos);
		nft_diag_report(z->diag, NFT_DIAG_ERROR, z->fname, where,
				"cpu %d: its chunk count says %u chunks, but its data size says %" PRIu64 " more bytes follow them (libtracecmd and trace-cmd report read none of them): read as chunks too",
				s->cpu, s->chunks, s->end - s->pos);
	}
	return true;
}

/*
 * Uncompressed cpu data: the next window of whole pages into s->buf (one
 * buffer per cpu, allocated once: memory stays flat however long the
 * file).  false at the end.
 */
static bool load_window(struct nft_zcpu *z, struct zstream *s)
{
	uint64_t want = s->end - s->pos;
	char where[64];

	if (s->pos >= s->end)
		return false;
	if (want > z->window)
		want = z->window;
	if (!s->buf) {
		s->buf = malloc(z->window + PAGE_SLACK);
		if (!s->buf)
			goto lost;
		s->cap = z->window;
	}
	if (pread(z->fd, s->buf, want, s->pos) == (ssize_t)want) {
		s->chunk_at = s->voff = s->pos;
		s->pos += want;
		s->len = want;
		s->page = 0;
		return true;
	}
lost:
	snprintf(where, sizeof(where), "offset %" PRIu64, s->pos);
	nft_diag_report(z->diag, NFT_DIAG_ERROR, z->fname, where,
			"cpu %d: its data cannot be read from here on (%s); the rest of its records are lost",
			s->cpu, s->buf ? "short read" : "out of memory");
	s->pos = s->end;
	s->lost_pending = true;
	return false;
}

/* Decompress the next good chunk into s->buf; false at the end. */
static bool load_chunk(struct nft_zcpu *z, struct zstream *s)
{
	if (z->raw)
		return load_window(z, s);
	while (more_chunks(z, s)) {
		uint64_t zlen, ulen, at = s->pos;
		int bad;

		s->chunk_no++;
		s->chunk_at = at;
		if (at > s->end || s->end - at < 8 || read_num(z, at, 4, &zlen) ||
		    read_num(z, at + 4, 4, &ulen) || zlen > s->end - at - 8 ||
		    ulen > MAX_CHUNK) {
			stream_error(z, s, at, "bad chunk header; the rest of this cpu's data is lost");
			s->chunks_left = 0;
			s->pos = s->end;
			s->lost_pending = true;
			return false;
		}
		s->pos = at + 8 + zlen;
		if (ulen > s->cap) {
			/* slack: kbuffer may look at a header past the last page */
			char *nb = realloc(s->buf, ulen + PAGE_SLACK);

			if (!nb) {
				stream_error(z, s, at, "out of memory");
				s->lost_pending = true;
				continue;
			}
			s->buf = nb;
			s->cap = ulen;
		}
		bad = read_chunk(z, at + 8, zlen, s->buf, ulen);
		s->voff = s->bytes;
		s->bytes += ulen;
		if (bad) {
			stream_error(z, s, at, "does not decompress; its records are lost");
			s->lost_pending = true;
			continue;
		}
		s->len = ulen;
		s->page = 0;
		return true;
	}
	return false;
}

static void page_error(struct nft_zcpu *z, struct zstream *s, const char *what,
		       unsigned int good)
{
	char where[64];
	uint64_t page = (s->voff + s->page) / z->page_size;

	s->damaged++;
	if (z->raw) {
		snprintf(where, sizeof(where), "offset %" PRIu64,
			 s->voff + s->page);
		nft_diag_report(z->diag, NFT_DIAG_ERROR, z->fname, where,
				"cpu %d: ring-buffer page %" PRIu64 " of the cpu data corrupt (%s): %s",
				s->cpu, (s->voff + s->page - s->start) / z->page_size + 1,
				what, good ? "its records before the damage are read, the rest of the page is lost" :
				"page skipped, its records are lost");
		return;
	}
	snprintf(where, sizeof(where), "offset %" PRIu64, s->chunk_at);
	nft_diag_report(z->diag, NFT_DIAG_ERROR, z->fname, where,
			"cpu %d: ring-buffer page %" PRIu64 " of the cpu data corrupt (%s): %s (in compressed chunk %u of %u at that offset, uncompressed offset %" PRIu64 ")",
			s->cpu, page + 1, what,
			good ? "its records before the damage are read, the rest of the page is lost" :
			"page skipped, its records are lost",
			s->chunk_no, s->chunks, s->voff + s->page);
}

/* Does the current record end inside its page? */
static bool record_fits(struct nft_zcpu *z, struct zstream *s)
{
	size_t at = (const char *)s->rb.data - s->cur;

	return at <= z->page_size && s->rb.len <= z->page_size - at;
}

/*
 * Drops said by pages without a record go to the next record: -1 (a count
 * not stored) wins.
 */
static long long add_missed(long long pending, long long page)
{
	if (pending < 0 || page < 0)
		return -1;
	return pending + page;
}

/* ---- records cut out of a page, as libtraceevent's kbuffer does ---- */


static inline uint32_t rd4(const struct nft_zcpu *z, const unsigned char *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return z->swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t rd8(const struct nft_zcpu *z, const unsigned char *b)
{
	uint64_t v;

	memcpy(&v, b, 8);
	return z->swap ? __builtin_bswap64(v) : v;
}

static inline uint64_t rdlong(const struct nft_zcpu *z, const unsigned char *b)
{
	return z->lsize == 8 ? rd8(z, b) : rd4(z, b);
}

/*
 * kbuffer_load_subbuffer() without a call: the page's time stamp, committed
 * size and missed-events count.  @page is sound (nft_page_sound()) or mended.
 */
static void load_page(struct nft_zcpu *z, struct zstream *s, const char *page)
{
	const unsigned char *p = (const unsigned char *)page;
	uint64_t word = rdlong(z, p + 8);

	uint32_t room = z->page_size - 8 - z->lsize;

	s->rb.ts = rd8(z, p);
	s->rb.pg = p + 8 + z->lsize;
	s->rb.size = word & COMMIT_MASK;
	s->rb.next = 0;
	s->rb.data = NULL;
	s->page_missed = 0;
	/* never past the page, whatever was checked before */
	if (s->rb.size > room)
		s->rb.size = 0;
	if (word & RB_MISSED_EVENTS)
		s->page_missed = (word & RB_MISSED_STORED) &&
				 s->rb.size + z->lsize <= room ?
			(long long)rdlong(z, s->rb.pg + s->rb.size) : -1;
}

/*
 * kbuffer_next_event() without a call and two function pointers per word
 * (the same walk as decoders/live.c next_record(), which test_live.c holds
 * to kbuffer): 1 with s->rb.data on the next record, 0 at the end of the
 * page, -1 when a record runs past the committed data.
 */
static inline int next_rec(struct nft_zcpu *z, struct zstream *s)
{
	return nft_rb_next(&s->rb, z->big_endian, z->swap);
}

/* Position @s on the first record of its next page that has one. */
static void next_page(struct nft_zcpu *z, struct zstream *s, bool first)
{
	struct nft_page_verdict v;
	bool mended;
	char *page;

	s->rb.data = NULL;
	for (;;) {
		if (!first)
			s->page += z->page_size;
		first = false;
		while (s->page + z->page_size > s->len) {
			if (s->page < s->len && !z->raw) {
				stream_error(z, s, s->chunk_at, "ends in a partial page; its records are lost");
				s->lost_pending = true;
			}
			if (!load_chunk(z, s))
				return;
		}
		page = s->buf + s->page;
		mended = false;
		/* next_rec() stays inside the page either way */
		if (!z->prechecked && !nft_page_sound(&z->fmt, page, &v)) {
			page_error(z, s, v.why, v.good);
			if (!v.good) {
				s->lost_pending = true;
				continue;
			}
			/* its sound records first, then the loss */
			if (!s->fix && !(s->fix = malloc(z->page_size + PAGE_SLACK)))
				continue;
			memcpy(s->fix, page, z->page_size);
			nft_page_mend(&z->fmt, s->fix, &v);
			page = s->fix;
			mended = true;
		}
		if (s->lost_pending)
			s->missed = add_missed(s->missed, -1);
		s->lost_pending = mended;
		s->cur = page;
		load_page(z, s, page);
		if (next_rec(z, s) < 0) {
			page_error(z, s, "a record runs past the page", 0);
			s->lost_pending = true;
			continue;
		}
		/* kbuffer_missed_events(): only before a record at offset 0 */
		s->missed = add_missed(s->missed,
				       (s->rb.data ? s->rb.at : s->rb.next) ? 0 : s->page_missed);
		if (!s->rb.data)
			continue;
		if (record_fits(z, s))
			return;
		page_error(z, s, "a record runs past the page", 0);
		s->lost_pending = true;
	}
}

static void advance(struct nft_zcpu *z, struct zstream *s)
{
	s->consumed = false;
	s->missed = 0;
	if (next_rec(z, s) < 0 || (s->rb.data && !record_fits(z, s))) {
		page_error(z, s, "a record runs past the page", 0);
		s->lost_pending = true;
	} else if (s->rb.data)
		return;
	next_page(z, s, false);
}

/* ---- opening ---- */

static int by_cpu(const void *a, const void *b)
{
	const struct zstream *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

static int add_streams(struct nft_zcpu *z, const struct buffer_opt *b)
{
	uint32_t i;

	z->s = calloc(b->cpus ? b->cpus : 1, sizeof(*z->s));
	if (!z->s)
		return -1;
	for (i = 0; i < b->cpus; i++) {
		const unsigned char *e = b->cpu + i * 20;
		struct zstream *s = &z->s[z->n];
		uint64_t off = get_num(z, e + 4, 8), size = get_num(z, e + 12, 8);
		uint64_t count;

		if (!size)
			continue;
		/* the size counts the chunks, not the chunk count before them */
		if (off > z->file_size || z->file_size - off < 4 ||
		    size > z->file_size - off - 4 || read_num(z, off, 4, &count))
			return -1;
		s->cpu = get_num(z, e, 4);
		s->pos = off + 4;
		s->end = off + 4 + size;
		s->chunks = s->chunks_left = count;
		z->n++;
	}
	qsort(z->s, z->n, sizeof(*z->s), by_cpu);
	for (i = 0; i < (uint32_t)z->n; i++) {
		struct zstream *s = &z->s[i];

		next_page(z, s, true);
		s->have_first = s->rb.data != NULL;
		s->first_ts = s->rb.ts + z->ts_offset;
	}
	return 0;
}

/* Without a tep (nft_zcpu_record_ids()): the file's long size. */
static int file_lsize(struct nft_zcpu *z)
{
	unsigned char b;

	return pread(z->fd, &b, 1, 13) == 1 && b == 4 ? 4 : 8;
}

static int layout(struct nft_zcpu *z, const char *instance,
		  struct tep_handle *tep)
{
	struct want_buffer w = { instance, { 0 } };
	struct buffer_opt b;
	uint64_t options, flags;
	int ret = read_header(z, &options);

	if (ret)
		return ret < 0 ? -EINVAL : -ENOTSUP;
	ret = walk_options(z, options, open_option, &w);
	b = w.b;
	if (ret) {
		free(b.cpu);
		return ret < 0 ? -EINVAL : -ENOTSUP;
	}
	if (!b.found)
		return -ENOENT;
	ret = 0;
	if (read_num(z, b.section, 2, &flags) || flags != OPT_BUFFER ||
	    read_num(z, b.section + 2, 2, &flags))
		ret = -EINVAL;		/* a latency buffer, or damage */
	else if (!(flags & SEC_FL_COMPRESS))
		ret = -ENOTSUP;
	else if (b.page_size < 64 || b.page_size > MAX_CHUNK)
		ret = -EINVAL;
	z->page_size = b.page_size;
	z->lsize = tep ? (tep_get_header_page_size(tep) == 4 ? 4 : 8) :
		   file_lsize(z);
	z->fmt.page_size = z->page_size;
	z->fmt.lsize = z->lsize;
	z->fmt.big_endian = z->big_endian;
	z->swap = z->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	if (!ret && add_streams(z, &b))
		ret = errno == ENOMEM ? -ENOMEM : -EINVAL;
	free(b.cpu);
	return ret;
}

static struct nft_zcpu *open_z(int fd, const char *instance,
			       struct tep_handle *tep, struct nft_diag *diag,
			       const char *fname, bool fill_cache)
{
	struct nft_zcpu *z = calloc(1, sizeof(*z));
	struct stat st;
	int ret;

	if (!z)
		return NULL;
	z->fd = fd;
	z->diag = diag;
	z->fname = fname;
	z->fill_cache = fill_cache;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		free(z);
		errno = ENOTSUP;
		return NULL;
	}
	z->file_size = st.st_size;
	zc_ident(z, &st);
	z->dctx = dctx_get();
	ret = z->dctx ? layout(z, instance ? instance : "", tep) : -ENOMEM;
	if (ret) {
		nft_zcpu_close(z);
		errno = -ret;
		return NULL;
	}
	return z;
}

struct nft_zcpu *nft_zcpu_open(int fd, const char *instance,
			       struct tep_handle *tep, struct nft_diag *diag,
			       const char *fname)
{
	return open_z(fd, instance, tep, diag, fname, false);
}

static void quiet_report(void *ctx, enum nft_diag_level level,
			 const char *file, const char *where, const char *msg)
{
	(void)ctx, (void)level, (void)file, (void)where, (void)msg;
}

/* Window of a raw stream: whole pages, about 256 KiB. */
#define RAW_WINDOW (256u << 10)

/* v7 without compression: the timestamp options, as layout() reads them */
static int raw_v7_options(struct nft_zcpu *z)
{
	struct want_buffer w = { "\001", { 0 } };	/* no buffer has this name */
	uint64_t options;
	int ret = read_header(z, &options);

	if (ret <= 0)
		return -ENOTSUP;	/* compressed (nft_zcpu_open()) or damage */
	/* a section flagged compressed in it would be damage, but decompress */
	if (!z->dctx && !(z->dctx = dctx_get()))
		return -ENOMEM;
	ret = walk_options(z, options, open_option, &w);
	free(w.b.cpu);
	return ret ? -ENOTSUP : 0;
}

struct nft_zcpu *nft_zcpu_open_raw(int fd, const struct nft_dat_range *r,
				   int n, struct tep_handle *tep,
				   struct nft_diag *diag, const char *fname)
{
	struct nft_zcpu *z = calloc(1, sizeof(*z));
	unsigned char magic[12];
	struct stat st;
	int i, ret = 0;

	if (!z) {
		errno = ENOMEM;
		return NULL;
	}
	z->fd = fd;
	z->diag = diag;
	z->fname = fname;
	z->raw = true;
	z->s = calloc(n > 0 ? n : 1, sizeof(*z->s));
	if (!z->s)
		ret = -ENOMEM;
	else if (n <= 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
		 !nft_page_fmt_read(fd, &z->fmt) ||
		 pread(fd, magic, sizeof(magic), 0) != sizeof(magic))
		ret = -ENOTSUP;
	if (!ret) {
		z->file_size = st.st_size;
		z->big_endian = z->fmt.big_endian;
		z->swap = z->big_endian !=
			  (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
		z->page_size = z->fmt.page_size;
		z->lsize = !tep ? z->fmt.lsize :
			   tep_get_header_page_size(tep) == 4 ? 4 : 8;
		if (z->lsize != z->fmt.lsize)
			ret = -ENOTSUP;
		else if (!memcmp(magic, "\027\010\104tracing7", 12))
			ret = raw_v7_options(z);
		else if (memcmp(magic, "\027\010\104tracing6", 12))
			ret = -ENOTSUP;
	}
	z->window = RAW_WINDOW > z->page_size ?
		    RAW_WINDOW / (z->page_size ? z->page_size : 1) * z->page_size :
		    z->page_size;
	for (i = 0; !ret && i < n; i++) {
		struct zstream *s = &z->s[z->n];

		if (!r[i].len)
			continue;
		/* whole pages inside the file, else libtracecmd reads it */
		if (r[i].len % z->page_size || r[i].off > z->file_size ||
		    r[i].len > z->file_size - r[i].off) {
			ret = -ENOTSUP;
			break;
		}
		s->cpu = r[i].cpu;
		s->start = s->pos = r[i].off;
		s->end = r[i].off + r[i].len;
		s->bytes = r[i].len;
		z->n++;
	}
	if (ret) {
		nft_zcpu_close(z);
		errno = -ret;
		return NULL;
	}
	qsort(z->s, z->n, sizeof(*z->s), by_cpu);
	/*
	 * Quiet while the first pages load: the caller checks every page
	 * (tracedat.c scan_pages()) and hands a damaged file to libtracecmd
	 * with its own messages.
	 */
	{
		struct nft_diag quiet = { .report = quiet_report };

		z->diag = &quiet;
		for (i = 0; i < z->n; i++) {
			struct zstream *s = &z->s[i];

			next_page(z, s, true);
			s->have_first = s->rb.data != NULL;
			s->first_ts = s->rb.ts + z->ts_offset;
		}
		z->diag = diag;
	}
	return z;
}

bool nft_zcpu_is_raw(const struct nft_zcpu *z)
{
	return z && z->raw;
}

void nft_zcpu_prechecked(struct nft_zcpu *z)
{
	if (z && z->raw)
		z->prechecked = true;
}

void nft_zcpu_close(struct nft_zcpu *z)
{
	int i;

	if (!z)
		return;
	for (i = 0; z->s && i < z->n; i++) {
		free(z->s[i].buf);
		free(z->s[i].fix);
	}
	free(z->s);
	dctx_put(z->dctx);
	free(z);
}

/* ---- records ---- */

int nft_zcpu_next(struct nft_zcpu *z, struct tep_record *rec)
{
	struct zstream *best = NULL;
	int i;

	for (i = 0; i < z->n; i++) {
		struct zstream *s = &z->s[i];

		if (s->consumed)
			advance(z, s);
		if (s->rb.data && (!best || s->rb.ts < best->rb.ts))
			best = s;
	}
	if (!best)
		return 0;
	memset(rec, 0, sizeof(*rec));
	rec->ts = best->rb.ts + z->ts_offset;
	rec->cpu = best->cpu;
	rec->data = (void *)best->rb.data;
	rec->size = best->rb.len;
	rec->record_size = best->rb.next - best->rb.at;
	rec->offset = best->voff + best->page + 8 + z->lsize + best->rb.at;
	rec->missed_events = best->missed;
	rec->ref_count = 1;
	best->consumed = true;
	return 1;
}

int nft_zcpu_cpus(const struct nft_zcpu *z)
{
	return z->n;
}

int nft_zcpu_cpu(const struct nft_zcpu *z, int i)
{
	return i >= 0 && i < z->n ? z->s[i].cpu : -1;
}

bool nft_zcpu_count_hides(const struct nft_zcpu *z, int i)
{
	return i >= 0 && i < z->n && !z->s[i].chunks;
}

int nft_zcpu_first_ts(const struct nft_zcpu *z, int i, unsigned long long *ts)
{
	if (i < 0 || i >= z->n || !z->s[i].have_first)
		return -1;
	*ts = z->s[i].first_ts;
	return 0;
}

bool nft_zcpu_lost_at_end_of(const struct nft_zcpu *z, int i)
{
	return i >= 0 && i < z->n && !z->s[i].rb.data && z->s[i].lost_pending;
}

bool nft_zcpu_cpu_damaged(const struct nft_zcpu *z, int cpu)
{
	int i;

	for (i = 0; i < z->n; i++)
		if (z->s[i].cpu == cpu)
			return z->s[i].damaged;
	return false;
}

unsigned long long nft_zcpu_cpu_bytes(const struct nft_zcpu *z, int cpu)
{
	int i;

	for (i = 0; i < z->n; i++)
		if (z->s[i].cpu == cpu)
			return z->s[i].bytes;
	return ~0ULL;
}

bool nft_zcpu_cpu_done(struct nft_zcpu *z, int cpu)
{
	int i;

	for (i = 0; i < z->n; i++) {
		struct zstream *s = &z->s[i];

		if (s->cpu != cpu)
			continue;
		/* step to its next record now; nft_zcpu_next() will not again */
		if (s->consumed)
			advance(z, s);
		return !s->rb.data;
	}
	return true;
}

/* ---- where the uncompressed cpu data is ---- */

/* A walk over the options for the cpu ranges of instance @name. */
struct buffer_walk {
	const char *name;
	struct nft_dat_range *r;
	int n, max;
};

/*
 * Is option @id/@v the BUFFER option of @w's instance?  -1: no; 0: yes, but
 * its cpu data is (@compressed false) or is not (@compressed true)
 * compressed; 1: yes.  Ranges found so far are dropped when it is.
 */
static int buffer_of(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
		     uint64_t sz, struct buffer_walk *w, bool compressed,
		     struct buffer_opt *b)
{
	const char *name;
	uint64_t flags;

	if (id != OPT_BUFFER || buffer_option(z, v, sz, &name, b) ||
	    strcmp(name, w->name))
		return -1;
	w->n = 0;
	if (read_num(z, b->section + 2, 2, &flags))
		return 0;
	return !(flags & SEC_FL_COMPRESS) == !compressed;
}

static int range_option(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
			uint64_t sz, uint64_t at, void *arg)
{
	struct buffer_walk *w = arg;
	struct buffer_opt b = { 0 };
	uint32_t i;

	(void)at;
	if (buffer_of(z, id, v, sz, w, false, &b) <= 0)
		return 0;
	for (i = 0; i < b.cpus && w->n < w->max; i++) {
		const unsigned char *e = b.cpu + i * 20;

		w->r[w->n].cpu = get_num(z, e, 4);
		w->r[w->n].off = get_num(z, e + 4, 8);
		w->r[w->n].len = get_num(z, e + 12, 8);
		if (w->r[w->n].len)
			w->n++;
	}
	return 0;
}

int nft_dat7_ranges(int fd, const char *instance, struct nft_dat_range *r,
		    int max)
{
	struct nft_zcpu z = { .fd = fd };
	struct buffer_walk w = { instance, r, 0, max };
	uint64_t options;
	struct stat st;
	int ret;

	if (fstat(fd, &st))
		return -1;
	z.file_size = st.st_size;
	if (read_header(&z, &options) < 0 || !(z.dctx = dctx_get()))
		return -1;
	ret = walk_options(&z, options, range_option, &w);
	dctx_put(z.dctx);
	return ret < 0 ? -1 : w.n;
}

/* ---- where the file ends ---- */

#define OPT_STRINGS 15
#define OPT_HEADER_INFO_FIRST 16
#define OPT_BUFFER_TEXT_LAST 22

static void end_at(uint64_t *end, uint64_t e)
{
	if (e > *end)
		*end = e;
}

static int end_option(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
		      uint64_t sz, uint64_t at, void *arg)
{
	uint64_t *end = arg, off, size, flags;
	struct buffer_opt b = { 0 };
	const char *name;
	uint32_t i;

	(void)at;
	if (!((id >= OPT_HEADER_INFO_FIRST && id <= OPT_BUFFER_TEXT_LAST) ||
	      id == OPT_BUFFER) || sz < 8)
		return 0;
	off = get_num(z, v, 8);
	if (!read_num(z, off + 8, 8, &size))
		end_at(end, off + SEC_HDR + size);
	if (id != OPT_BUFFER || buffer_option(z, v, sz, &name, &b) ||
	    read_num(z, off + 2, 2, &flags))
		return 0;
	for (i = 0; i < b.cpus; i++) {
		const unsigned char *e = b.cpu + i * 20;

		size = get_num(z, e + 12, 8);
		if (size)
			end_at(end, get_num(z, e + 4, 8) + size +
			       (flags & SEC_FL_COMPRESS ? 4 : 0));
	}
	return 0;
}

int nft_dat7_end(int fd, uint64_t *end)
{
	struct nft_zcpu z = { .fd = fd };
	uint64_t options;
	struct stat st;
	int ret;

	*end = 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -1;
	z.file_size = st.st_size;
	if (read_header(&z, &options) < 0)
		return -1;
	if (options >= z.file_size)
		return 1;
	if (!(z.dctx = dctx_get()))
		return -1;
	ret = walk_options(&z, options, end_option, end);
	dctx_put(z.dctx);
	if (ret < 0)
		return z.past_end ? 1 : -1;
	end_at(end, z.opt_end);
	/*
	 * trace-cmd writes the section descriptions last, in a STRINGS
	 * section no option points at (libtracecmd finds it by walking every
	 * section header to the end of the file).
	 */
	for (;;) {
		uint64_t id, size;

		if (read_num(&z, *end, 2, &id) || id != OPT_STRINGS ||
		    read_num(&z, *end + 8, 8, &size) ||
		    size > z.file_size - *end - SEC_HDR)
			break;
		*end += SEC_HDR + size;
	}
	return *end > z.file_size;
}

/* ---- chunks a count hides from libtracecmd ---- */

/* w->r[].off: where the hidden bytes start */
static int hidden_option(struct nft_zcpu *z, uint64_t id, const unsigned char *v,
			 uint64_t sz, uint64_t at, void *arg)
{
	struct buffer_walk *w = arg;
	struct buffer_opt b = { 0 };
	uint32_t i;

	(void)at;
	if (buffer_of(z, id, v, sz, w, true, &b) <= 0)
		return 0;
	for (i = 0; i < b.cpus && w->n < w->max; i++) {
		const unsigned char *e = b.cpu + i * 20;
		uint64_t off = get_num(z, e + 4, 8), size = get_num(z, e + 12, 8);
		uint64_t count, p, end, zlen, k;

		if (!size || off > z->file_size || z->file_size - off < 4 ||
		    size > z->file_size - off - 4 || read_num(z, off, 4, &count))
			continue;
		p = off + 4;
		end = off + 4 + size;
		for (k = 0; k < count && end - p >= 8; k++) {
			if (read_num(z, p, 4, &zlen) || zlen > end - p - 8)
				break;
			p += 8 + zlen;
		}
		if (k < count || end - p < 8)
			continue;	/* damage, not a count that hides */
		w->r[w->n].cpu = get_num(z, e, 4);
		w->r[w->n].off = p;
		w->r[w->n].all = !count;
		w->r[w->n++].len = end - p;
	}
	return 0;
}

int nft_zcpu_hidden(int fd, const char *instance, struct nft_dat_range *r,
		    int max)
{
	struct nft_zcpu z = { .fd = fd };
	struct buffer_walk w = { instance, r, 0, max };
	uint64_t options;
	struct stat st;
	int ret;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return -1;
	z.file_size = st.st_size;
	if (read_header(&z, &options) || !(z.dctx = dctx_get()))
		return -1;
	ret = walk_options(&z, options, hidden_option, &w);
	dctx_put(z.dctx);
	return ret < 0 ? -1 : w.n;
}
