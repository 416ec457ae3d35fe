// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat layout: a v6 file's block chain walked before libtracecmd
 * mallocs what its lengths say, cpu data past the end clipped, trailing
 * data trimmed, a pipe or decompressed stream spooled to a file, and where
 * each cpu's uncompressed data lies (for the page checks).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "dat_internal.h"
#include "dat_zcpu.h"
#include "decoder.h"

/*
 * libtracecmd needs to seek: copy a pipe or a decompressed stream to a file
 * (bounded; input.c says how much and why it stopped).
 */
int dat_spool(struct nft_input *in, struct nft_diag *diag, const char *fname)
{
	(void)fname;
	nft_input_set_diag(in, diag);
	return nft_input_spool(in);
}

/*
 * A v6 file is a chain of length-prefixed blocks that libtracecmd mallocs
 * as they come: a damaged length asks for exabytes.  Walk the chain first
 * and refuse a length that runs past the end of the file.
 */

struct cursor {
	int fd;
	unsigned long long pos, size;
	bool big_endian;
	bool bad;
	unsigned int page_size;
	int nranges;			/* cpu data of every buffer */
	struct { unsigned long long off, len; int cpu, buf; } range[MAX_RANGES];
	int nbuffers;
	unsigned long long buffer[MAX_RANGES];
	char name[MAX_RANGES][64];	/* of buffer[i] */
	int flyrecords;			/* tables read; the first is the top level */
	int tables;			/* of them, with a "flyrecord" tag */
	unsigned long long table_end;	/* where the last table ends */
	unsigned long long data_end;	/* where the cpu data says it ends */
	int nclips;			/* cpu data past the end of the file */
	struct {
		unsigned long long field, keep;
		int cpu;
		bool top;
	} clip[MAX_RANGES];
};

static unsigned long long get_num(struct cursor *c, int n)
{
	unsigned char b[8];
	unsigned long long v = 0;
	int i;

	if (c->bad || c->pos + n > c->size ||
	    pread(c->fd, b, n, c->pos) != n) {
		c->bad = true;
		return 0;
	}
	c->pos += n;
	for (i = 0; i < n; i++)
		v |= (unsigned long long)b[c->big_endian ? n - 1 - i : i] << (8 * i);
	return v;
}

static void skip(struct cursor *c, unsigned long long n)
{
	if (c->bad || n > c->size - c->pos)
		c->bad = true;
	else
		c->pos += n;
}

static void skip_string(struct cursor *c)
{
	char b[64];
	ssize_t got, i;

	while (!c->bad) {
		got = pread(c->fd, b, sizeof(b), c->pos);
		if (got <= 0) {
			c->bad = true;
			return;
		}
		for (i = 0; i < got && b[i]; i++)
			;
		c->pos += i < got ? i + 1 : got;
		if (i < got)
			return;
	}
}

static void skip_blocks(struct cursor *c, int count_bytes, int size_bytes)
{
	unsigned long long n = get_num(c, count_bytes), i;

	for (i = 0; i < n && !c->bad; i++)
		skip(c, get_num(c, size_bytes));
}

static bool is_tag(struct cursor *c, const char *tag)
{
	char b[10];

	if (c->bad || pread(c->fd, b, sizeof(b), c->pos) != sizeof(b))
		return false;
	return !memcmp(b, tag, sizeof(b));
}

/* Options; a BUFFER option's offset must be in the file.  1: no options */
static int v6_options(struct cursor *c)
{
	unsigned long long opt, len, at;

	if (!is_tag(c, "options  "))
		return 1;
	skip(c, 10);
	while (!c->bad) {
		opt = get_num(c, 2);
		if (!opt)
			break;
		len = get_num(c, 4);
		at = c->pos;
		if (opt == 3) {				/* BUFFER */
			unsigned long long off = get_num(c, 8);

			if (off >= c->size) {
				c->bad = true;
			} else if (c->nbuffers < MAX_RANGES) {
				char *name = c->name[c->nbuffers];
				size_t n = len > 8 ? len - 8 : 0;

				if (n >= sizeof(c->name[0]))
					n = sizeof(c->name[0]) - 1;
				if (pread(c->fd, name, n, at + 8) != (ssize_t)n)
					n = 0;
				name[n] = 0;
				c->buffer[c->nbuffers++] = off;
			}
		}
		c->pos = at;
		skip(c, len);
	}
	return 0;
}

/*
 * Each cpu's data must lie inside the file; data that runs past its end was
 * cut off (whole pages of it are kept, see dat_check_v6()).
 */
static void v6_flyrecord(struct cursor *c, unsigned long long cpus)
{
	unsigned long long i, off, len, field;
	bool top = !c->flyrecords++;

	if (!is_tag(c, "flyrecord"))
		return;
	c->tables++;
	skip(c, 10);
	for (i = 0; i < cpus && !c->bad; i++) {
		off = get_num(c, 8);
		field = c->pos;
		len = get_num(c, 8);
		if (!c->bad && len && off + len > c->data_end)
			c->data_end = off + len;
		if (!c->bad && len > c->size - (off < c->size ? off : c->size)) {
			if (c->nclips == MAX_RANGES) {
				c->bad = true;
				break;
			}
			len = off < c->size ?
			      (c->size - off) / c->page_size * c->page_size : 0;
			c->clip[c->nclips].field = field;
			c->clip[c->nclips].keep = len;
			c->clip[c->nclips].cpu = i;
			c->clip[c->nclips++].top = top;
		}
		if (c->pos > c->table_end)
			c->table_end = c->pos;
		if (len && c->nranges < MAX_RANGES) {
			c->range[c->nranges].off = off;
			c->range[c->nranges].cpu = i;
			c->range[c->nranges].buf = c->flyrecords - 1;
			c->range[c->nranges++].len = len;
		}
	}
}

/* Offset of the first length that cannot be right, or 0 if none. */
static unsigned long long v6_bad_length(struct cursor *cp)
{
	struct cursor c = *cp;
	unsigned long long systems, i, cpus;
	int b;

	skip_string(&c);			/* version */
	c.big_endian = get_num(&c, 1);
	skip(&c, 1);				/* long size */
	c.page_size = get_num(&c, 4);
	if (c.page_size < 64 || c.page_size > (1u << 24))
		c.bad = true;
	skip(&c, 12);				/* "header_page" */
	skip(&c, get_num(&c, 8));
	skip(&c, 13);				/* "header_event" */
	skip(&c, get_num(&c, 8));
	skip_blocks(&c, 4, 8);			/* ftrace formats */
	systems = get_num(&c, 4);
	for (i = 0; i < systems && !c.bad; i++) {
		skip_string(&c);
		skip_blocks(&c, 4, 8);
	}
	skip(&c, get_num(&c, 4));		/* kallsyms */
	skip(&c, get_num(&c, 4));		/* printk */
	skip(&c, get_num(&c, 8));		/* cmdlines */
	cpus = get_num(&c, 4);
	if (cpus > 65536)
		c.bad = true;
	if (!v6_options(&c))
		v6_flyrecord(&c, cpus);
	for (b = 0; b < c.nbuffers && !c.bad; b++) {
		c.pos = c.buffer[b];
		v6_flyrecord(&c, cpus);
	}
	*cp = c;
	return c.bad ? c.pos : 0;
}

/*
 * libtracecmd refused the file: say whether it is no trace.dat at all or a
 * damaged one.  (tracecmd_open_head() would tell headers from data, but it
 * leaks its descriptor when it fails.)
 */
void dat_explain_open_failure(struct nft_diag *diag, const char *fname,
			      int fd)
{
	static const char magic[10] = "\027\010\104tracing";
	char where[64], head[sizeof(magic)];
	struct stat sb;
	long long size = fstat(fd, &sb) ? -1 : (long long)sb.st_size;
	ssize_t got = pread(fd, head, sizeof(head), 0);

	uint64_t end;

	snprintf(where, sizeof(where), "offset %lld", size > 0 ? size : 0);
	if (!size)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"empty file, not a trace.dat");
	else if (got != (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic)))
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"not a trace.dat (no trace-cmd magic); no records can be read");
	else if (nft_dat7_end(fd, &end) == 1)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short (truncated) at offset %lld: the options that say where its cpu data is are lost, no records can be read",
				size);
	else
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"trace.dat truncated or corrupt: libtracecmd cannot read its headers, event formats or options (the file has %lld bytes); no records can be read",
				size);
}

/* A private copy of @fd's file to mend, unlinked; -1 on failure. */

/* Make *fd a private copy we may change (the spool already is one). */
static bool own_copy(int *fd, int *spool_fd)
{
	int copy;

	if (*spool_fd >= 0)
		return true;
	copy = nft_tmpcopy(*fd);
	if (copy < 0)
		return false;
	close(*fd);
	*fd = *spool_fd = copy;
	return true;
}

/*
 * v6 cpu data cut off by the end of the file: in a private copy, each such
 * cpu's size becomes the whole pages the file still holds.
 */
static bool v6_clip(struct cursor *c, int *fd, int *spool_fd,
		    struct nft_dat_cut *cut)
{
	unsigned char b[8];
	int i, j;

	if (!own_copy(fd, spool_fd))
		return false;
	cut->found = true;
	cut->what = NFT_CUT_WHERE_INSTANCE;
	cut->ncpus = 0;
	for (i = 0; i < c->nclips; i++)
		if (c->clip[i].top && c->clip[i].cpu >= cut->ncpus)
			cut->ncpus = c->clip[i].cpu + 1;
	cut->cpu = calloc(cut->ncpus ? cut->ncpus : 1, 1);
	if (!cut->cpu)
		return false;
	for (i = 0; i < c->nclips; i++) {
		for (j = 0; j < 8; j++)
			b[c->big_endian ? 7 - j : j] = c->clip[i].keep >> (8 * j);
		if (pwrite(*fd, b, 8, c->clip[i].field) != 8)
			return false;
		if (!c->clip[i].top)
			continue;
		cut->what = NFT_CUT_WHERE_TOP;
		cut->cpu[c->clip[i].cpu] = c->clip[i].keep ? NFT_CUT_SHORT :
					   NFT_CUT_ALL;
	}
	return true;
}

/* Where the trace.dat on @fd ends by its own layout; false: unknown. */
static bool dat_end(int fd, unsigned long long size, unsigned long long *end)
{
	static const char magic6[12] = "\027\010\104tracing6";
	char head[sizeof(magic6)];
	struct cursor c;
	uint64_t e;

	if (pread(fd, head, sizeof(head), 0) != sizeof(head))
		return false;
	if (memcmp(head, magic6, sizeof(head))) {
		if (memcmp(head, magic6, 10) || head[10] != '7' ||
		    nft_dat7_end(fd, &e) != 0 || !e)
			return false;
		*end = e;
		return true;
	}
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.pos = 10;
	c.size = size;
	if (v6_bad_length(&c) || !c.tables)
		return false;	/* a latency trace runs to the end */
	/* cut short (dat_check_v6() says so), not followed by data */
	*end = c.table_end > c.data_end ? c.table_end : c.data_end;
	return *end <= size;
}

/* An unlinked copy of the first @len bytes of @fd; -1 on failure. */
static int copy_prefix(int fd, unsigned long long len)
{
	char buf[65536];
	unsigned long long at = 0;
	int out = nft_tmpfile();

	while (out >= 0 && at < len) {
		size_t want = len - at < sizeof(buf) ? len - at : sizeof(buf);
		ssize_t n = pread(fd, buf, want, at);

		if (n <= 0 || write(out, buf, n) != n) {
			close(out);
			return -1;
		}
		at += n;
	}
	if (out >= 0 && lseek(out, 0, SEEK_SET) < 0) {
		close(out);
		return -1;
	}
	return out;
}

/*
 * Data after the end of the trace.dat (zeros a full disk or a bad copy
 * left, another file appended): say how much and where, and give the
 * readers the trace.dat only.  libtracecmd would otherwise read it in 2-
 * to 8-byte steps (a second per MB of zeros) while it opens the file.
 */
bool dat_trim_trailing(struct nft_diag *diag, const char *fname, int *fd,
		       int *spool_fd)
{
	unsigned long long end, tail, k;
	unsigned char probe[65536];
	char where[64];
	struct stat sb;
	ssize_t n;
	bool zeros = true;
	int copy;

	if (fstat(*fd, &sb) || !S_ISREG(sb.st_mode) ||
	    !dat_end(*fd, sb.st_size, &end) || end >= (unsigned long long)sb.st_size)
		return true;
	tail = sb.st_size - end;
	n = pread(*fd, probe, tail < sizeof(probe) ? tail : sizeof(probe), end);
	for (k = 0; n > 0 && k < (unsigned long long)n && zeros; k++)
		zeros = !probe[k];
	snprintf(where, sizeof(where), "offset %llu", end);
	nft_diag_report(diag, NFT_DIAG_WARNING, fname, where,
			"%llu bytes of data after the end of the trace.dat (%s): not part of the capture, ignored",
			tail, zeros && (unsigned long long)n == tail ? "all zeros" :
			zeros ? "starting with zeros" : "not zeros");
	if (*spool_fd >= 0)
		return !ftruncate(*fd, end);
	copy = copy_prefix(*fd, end);
	if (copy < 0)
		return true;	/* read it as it is */
	close(*fd);
	*fd = *spool_fd = copy;
	return true;
}

/*
 * v6 files are read with no checks in libtracecmd/kbuffer: refuse lengths
 * past the end, and empty the pages whose header cannot be right (in a
 * private copy) so that the rest is still read.  Returns false to refuse.
 */
bool dat_check_v6(struct nft_diag *diag, const char *fname, int *fd,
		  int *spool_fd, struct nft_dat_cut *cut)
{
	static const char magic6[12] = "\027\010\104tracing6";
	char head[sizeof(magic6)], where[64];
	unsigned long long bad;
	struct cursor c;
	struct stat sb;

	if (fstat(*fd, &sb) || pread(*fd, head, sizeof(head), 0) != sizeof(head) ||
	    memcmp(head, magic6, sizeof(head)))
		return true;	/* not v6: libtracecmd's own checks */
	memset(&c, 0, sizeof(c));
	c.fd = *fd;
	c.pos = 10;
	c.size = cut->size = sb.st_size;
	bad = v6_bad_length(&c);
	if (bad) {
		snprintf(where, sizeof(where), "offset %llu", bad);
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat (v6) cut short or corrupt: the length field at this offset runs past the end of the file (the file has %lld bytes); no records can be read",
				(long long)sb.st_size);
		return false;
	}
	/* damaged pages: see dat_page.c and scan_pages() */
	return !c.nclips || v6_clip(&c, fd, spool_fd, cut);
}

/* ---- damaged pages ---- */

/*
 * The uncompressed cpu data of buffer @instance ("" = the top level):
 * what libtracecmd will hand kbuffer page by page.  Compressed data is
 * checked page by page by dat_zcpu.c as it decompresses it.
 */
int dat_data_ranges(int fd, const char *instance, struct nft_dat_range *r,
		    int max)
{
	static const char magic6[12] = "\027\010\104tracing6";
	char head[sizeof(magic6)];
	struct cursor c;
	struct stat sb;
	int i, b = 0, n = 0;

	if (fstat(fd, &sb) || pread(fd, head, sizeof(head), 0) != sizeof(head))
		return -1;
	if (memcmp(head, magic6, sizeof(head)))
		return nft_dat7_ranges(fd, instance, r, max);
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.pos = 10;
	c.size = sb.st_size;
	if (v6_bad_length(&c))
		return -1;
	if (*instance) {
		for (b = 0; b < c.nbuffers && strcmp(c.name[b], instance); b++)
			;
		if (b == c.nbuffers)
			return 0;
		b++;
	}
	for (i = 0; i < c.nranges && n < max; i++) {
		if (c.range[i].buf != b)
			continue;
		r[n].cpu = c.range[i].cpu;
		r[n].off = c.range[i].off;
		r[n++].len = c.range[i].len;
	}
	return n;
}
