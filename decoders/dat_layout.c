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
#include "dat_page.h"
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

/* ---- a lean metadata copy of a v6 file ---- */

/*
 * Options that change no record and add no buffer: libtracecmd applies
 * DATE (1), OFFSET (7), TIME_SHIFT (12), GUEST (13) and TSC2NSEC (14) to
 * the timestamps, and BUFFER (3) adds an instance; a file with any other
 * option keeps libtracecmd's open of the whole file (and its comparison of
 * the first records, dat_merge.c same_first_records()).
 */
static bool v6_plain_option(unsigned long long opt)
{
	switch (opt) {
	case 2:		/* CPUSTAT */
	case 4:		/* TRACECLOCK */
	case 5:		/* UNAME */
	case 8:		/* CPUCOUNT */
	case 9:		/* VERSION */
	case 10:	/* PROCMAPS */
	case 11:	/* TRACEID */
		return true;
	}
	return false;
}

static int copy_bytes(int in, int out, unsigned long long from,
		      unsigned long long len, unsigned long long *at)
{
	char buf[65536];

	while (len) {
		size_t want = len < sizeof(buf) ? len : sizeof(buf);

		if (pread(in, buf, want, from) != (ssize_t)want ||
		    pwrite(out, buf, want, *at) != (ssize_t)want)
			return -1;
		from += want;
		*at += want;
		len -= want;
	}
	return 0;
}

/*
 * Is every page of the top level's uncompressed cpu data whole, inside the
 * file and sound (nft_page_sound(), as scan_pages() will check it)?  Only
 * then can our page loop read all of it with no help from libtracecmd.
 */
static bool pages_sound(int fd, unsigned long long size)
{
	struct nft_dat_range r[MAX_RANGES];
	struct nft_page_fmt f;
	unsigned char *buf;
	size_t block;
	bool ok = true;
	int i, n;

	if (!nft_page_fmt_read(fd, &f) || !f.page_size ||
	    (n = dat_data_ranges(fd, "", r, MAX_RANGES)) <= 0 || n == MAX_RANGES)
		return false;
	block = f.page_size >= (1u << 20) ? f.page_size :
		(1u << 20) / f.page_size * f.page_size;
	buf = malloc(block);
	if (!buf)
		return false;
	for (i = 0; ok && i < n; i++) {
		unsigned long long done = 0;

		if (r[i].len % f.page_size || r[i].off > size ||
		    r[i].len > size - r[i].off) {
			ok = false;
			break;
		}
		while (ok && done < r[i].len) {
			size_t want = r[i].len - done < block ? r[i].len - done : block;
			size_t k;

			if (pread(fd, buf, want, r[i].off + done) != (ssize_t)want) {
				ok = false;
				break;
			}
			for (k = 0; ok && k < want; k += f.page_size) {
				struct nft_page_verdict v;

				ok = nft_page_sound(&f, buf + k, &v);
			}
			done += want;
		}
	}
	free(buf);
	return ok;
}

/*
 * For a sound v6 file whose cpu data our page loop reads: a copy for
 * libtracecmd (and the checking child) with the headers, event formats,
 * cmdlines and options as they are, the kallsyms and printk formats empty
 * and every cpu's data empty -- libtracecmd read 4 MB of symbols and the
 * printk list twice (child and process) for names nothing but raw
 * rendering prints; and without the ftrace formats when no record is of
 * an ftrace event (*no_ftrace).  0: *copy_fd holds it; 1: the file does not qualify
 * (not v6, buffer instances, options that change timestamps, a latency
 * file, any damaged or partial page); -1: error.
 */
/*
 * May the v6 copy leave out the ftrace formats at @fpos..@kall?  *sound:
 * every record was read.  *pruned (*plen bytes): the systems' formats
 * pruned to those the records need, when ok.
 */
static bool v6_ftrace_unused(int fd, bool big_endian, unsigned long long fpos,
			     unsigned long long spos, unsigned long long kall,
			     bool *sound, unsigned char **pruned,
			     long long *plen, int *kept, int *all,
			     struct nft_dat_syms *syms)
{
	struct nft_dat_range r[MAX_RANGES];
	unsigned char *b, *d;
	bool ok = false;
	int n;

	*sound = false;
	*pruned = NULL;
	if (!nft_dat_drop_ftrace_ok() || kall - fpos > (64u << 20) ||
	    (n = dat_data_ranges(fd, "", r, MAX_RANGES)) <= 0 || n == MAX_RANGES)
		return false;
	b = calloc(3, NFT_DAT_IDS / 8);
	d = malloc(kall - fpos);
	if (b && d && pread(fd, d, kall - fpos, fpos) == (ssize_t)(kall - fpos) &&
	    nft_dat_ftrace_ids(d, spos - fpos, big_endian, b) ==
	    (long long)(spos - fpos) &&
	    nft_dat_event_ids(d + (spos - fpos), kall - spos, big_endian,
			      b + NFT_DAT_IDS / 8) == (long long)(kall - spos) &&
	    !nft_zcpu_record_ids(fd, r, n, NFT_DAT_SCAN_MAX, b + 2 * NFT_DAT_IDS / 8)) {
		*sound = true;
		ok = nft_dat_ftrace_unused(b, b + NFT_DAT_IDS / 8,
					   b + 2 * NFT_DAT_IDS / 8);
		if (ok)
			*plen = nft_dat_prune_events(d + (spos - fpos),
						     kall - spos, big_endian,
						     b + 2 * NFT_DAT_IDS / 8,
						     pruned, kept, all, syms);
	}
	free(d);
	free(b);
	return ok;
}

int dat_v6_lean(int fd, int *copy_fd, bool *no_ftrace, int *kept, int *all,
		struct nft_dat_syms *syms)
{
	static const char magic6[12] = "\027\010\104tracing6";
	static const char zeros[16];
	unsigned long long kall, cmd, table, cpus, systems, i, opt, at = 0;
	unsigned long long fpos, spos;
	unsigned char *pruned = NULL;
	long long plen = -1;
	bool sound;
	char head[sizeof(magic6)];
	struct cursor c;
	struct stat sb;
	int out;

	*copy_fd = -1;
	*no_ftrace = false;
	*kept = *all = 0;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    pread(fd, head, sizeof(head), 0) != sizeof(head) ||
	    memcmp(head, magic6, sizeof(head)))
		return 1;
	memset(&c, 0, sizeof(c));
	c.fd = fd;
	c.pos = 10;
	c.size = sb.st_size;
	skip_string(&c);			/* version */
	c.big_endian = get_num(&c, 1);
	skip(&c, 1);				/* long size */
	c.page_size = get_num(&c, 4);
	skip(&c, 12);				/* "header_page" */
	skip(&c, get_num(&c, 8));
	skip(&c, 13);				/* "header_event" */
	skip(&c, get_num(&c, 8));
	fpos = c.pos;
	skip_blocks(&c, 4, 8);			/* ftrace formats */
	spos = c.pos;
	systems = get_num(&c, 4);
	for (i = 0; i < systems && !c.bad; i++) {
		skip_string(&c);
		skip_blocks(&c, 4, 8);
	}
	kall = c.pos;
	skip(&c, get_num(&c, 4));		/* kallsyms */
	skip(&c, get_num(&c, 4));		/* printk */
	cmd = c.pos;
	skip(&c, get_num(&c, 8));		/* cmdlines */
	cpus = get_num(&c, 4);
	if (c.bad || !cpus || cpus >= MAX_RANGES)
		return 1;
	if (is_tag(&c, "options  ")) {
		skip(&c, 10);
		while (!c.bad) {
			opt = get_num(&c, 2);
			if (!opt)
				break;
			if (!v6_plain_option(opt))
				return 1;
			skip(&c, get_num(&c, 4));
		}
	}
	if (c.bad || !is_tag(&c, "flyrecord"))
		return 1;
	table = c.pos + 10;
	if (cpus * 16 > c.size - table)
		return 1;
	/*
	 * every page checked as scan_pages() would (the record scan below
	 * does not report every kind of damage)
	 */
	if (!pages_sound(fd, c.size))
		return 1;
	*no_ftrace = v6_ftrace_unused(fd, c.big_endian, fpos, spos, kall,
				      &sound, &pruned, &plen, kept, all, syms);
	out = nft_tmpfile();
	if (out < 0) {
		free(pruned);
		return -1;
	}
	if (*no_ftrace) {
		/*
		 * no ftrace formats: their count 0, the systems pruned to
		 * the formats the records use (nft_dat_prune_events())
		 */
		if (copy_bytes(fd, out, 0, fpos, &at) ||
		    pwrite(out, zeros, 4, at) != 4)
			goto fail;
		at += 4;
		if (pruned && plen >= 0) {
			if (pwrite(out, pruned, plen, at) != plen)
				goto fail;
			at += plen;
		} else if (copy_bytes(fd, out, spos, kall - spos, &at)) {
			goto fail;
		}
		if (
		    pwrite(out, zeros, 8, at) != 8 ||
		    (at += 8, copy_bytes(fd, out, cmd, table - cmd, &at)))
			goto fail;
	} else if (copy_bytes(fd, out, 0, kall, &at) ||
	    pwrite(out, zeros, 8, at) != 8 ||	/* kallsyms, printk: none */
	    (at += 8, copy_bytes(fd, out, cmd, table - cmd, &at)))
		goto fail;
	/* every cpu: offset 0, size 0 */
	for (i = 0; i < cpus; i++, at += 16)
		if (pwrite(out, zeros, 16, at) != 16)
			goto fail;
	free(pruned);
	*copy_fd = out;
	return 0;
fail:
	free(pruned);
	close(out);
	return -1;
}

static void lean_quiet(void *ctx, enum nft_diag_level level, const char *file,
		       const char *where, const char *msg)
{
	(void)ctx, (void)level, (void)file, (void)where, (void)msg;
}

/*
 * dat_v6_lean() for a v6 file; for a v7 file without compression the same
 * copy nft_zcpu_unpack_lean() makes of a compressed one, when every page
 * is sound and our page loop can read the top level's data (no option
 * that changes timestamps: nft_zcpu_open_raw() refuses those).
 */
int dat_lean_raw_copy(int fd, int *copy_fd, bool *no_ftrace, int *kept,
		      int *all, struct nft_dat_syms *syms)
{
	static const char magic7[12] = "\027\010\104tracing7";
	struct nft_diag quiet = { .report = NULL };
	struct nft_dat_range r[MAX_RANGES];
	struct nft_zcpu *z;
	char head[sizeof(magic7)];
	struct stat sb;
	int n;

	*copy_fd = -1;
	*no_ftrace = false;
	*kept = *all = 0;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    pread(fd, head, sizeof(head), 0) != sizeof(head))
		return 1;
	if (memcmp(head, magic7, sizeof(head)))
		return dat_v6_lean(fd, copy_fd, no_ftrace, kept, all, syms);
	n = dat_data_ranges(fd, "", r, MAX_RANGES);
	if (n <= 0 || n == MAX_RANGES || !pages_sound(fd, sb.st_size))
		return 1;
	quiet.report = lean_quiet;
	z = nft_zcpu_open_raw(fd, r, n, NULL, &quiet, "");
	if (!z)
		return 1;
	nft_zcpu_close(z);
	return nft_zcpu_unpack_lean_none(fd, copy_fd, no_ftrace, kept, all,
					 syms);
}
