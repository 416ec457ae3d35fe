// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd trace.dat decoder, on top of libtracecmd and libtraceevent.
 *
 * Records become events in tep_event.c, shared with the live decoder: every
 * field is read by name from the event's own format in the file, and every
 * symbolic field goes through that file's __print_symbolic() table.  This
 * file only opens the file, picks the buffer instance and keeps the order.
 *
 * pos: the 1-based ordinal of the record (or lost-events marker) in the
 * merged stream, plus NFT_DAT_POS_BASE.  The tracefs "trace" file of the same
 * capture has a 12-line header and then one line per record (and one per
 * "[LOST n EVENTS]" marker), so pos is the line the event would have there,
 * and the same event decoded from the text twin and from the .dat carries
 * the same pos as long as both list the cpus' events in the same order.
 *
 * Instances: opts->instance names one; "" is the top level; NULL is the top
 * level unless it has no netfs/fscache/cachefiles record and exactly one
 * instance has.  The choice goes to stats->instance and a note.
 *
 * Lost events: a record whose page says the ring buffer dropped events is
 * preceded by an NFT_EV_LOST event for its cpu (lost = 0 when the count was
 * not stored).
 *
 * Damage: a file libtracecmd cannot open is an error and -1/EINVAL; records
 * of unknown event ids, and cpu data pages that yield no record (libtracecmd
 * quietly ends a cpu's stream at a page it cannot read), are errors naming
 * the record and offset, and everything readable is still decoded.
 *
 * The decoder by concern: this file (records, lost events, damaged pages,
 * instances); dat_open.c (compression, the lean metadata copy, crash
 * isolation); dat_layout.c (the v6 block chain, clipping, trailing data,
 * spooling, where the cpu data lies); dat_merge.c (cpus merged by time);
 * dat_zcpu.c (compressed cpu data, and uncompressed cpu data whose pages
 * scan_pages() found sound); dat_page.c (pages checked before
 * kbuffer); tep_event.c (records to events, __print_symbolic() names).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "dat_internal.h"
#include "dat_page.h"
#include "dat_syms.h"
#include "dat_zcpu.h"
#include "decoder.h"
#include "tep_event.h"

#define NFT_DAT_POS_BASE 12

struct dat_ctx {
	struct dat_source src;
	struct tep_handle *tep;
	struct nft_sink *sink;
	struct nft_diag *diag;
	struct nft_dat_stats *stats;
	const char *fname;
	int want_raw;
	bool lean_raw;			/* libtracecmd has a dat_v6_lean() copy */
	int stop;
	uint64_t ordinal;
	struct nft_tep_decoder *dec;
	struct trace_seq seq;
	char *line;
	size_t line_cap;
	unsigned long bad_records;
	struct cpu_seen *seen;		/* per cpu, to find unread pages */
	int nr_seen;
	int page_size;
	struct nft_dat_cut cut;		/* what a cut short file lost */
	struct bad_list *bad;		/* per cpu (nr_seen), see scan_pages() */
	unsigned long backwards;	/* records earlier than their cpu's last */
};

/* Where a cpu's damaged pages lost records: file offsets, ascending. */
struct bad_list {
	unsigned long long *at;
	int n, cap, next;
	int skipped;			/* pages without a sound record */
};

/* Which ring-buffer pages of a cpu gave us records. */
struct cpu_seen {
	unsigned long long last_ts;
	uint64_t pages;
	uint64_t last_page;
	uint64_t last_ordinal;
	unsigned long long last_offset;
};



static void render_raw(struct dat_ctx *c, struct tep_record *rec,
		       struct nft_event *ev)
{
	unsigned long long us = rec->ts / 1000;
	size_t need;
	int n;

	trace_seq_reset(&c->seq);
	tep_print_event(c->tep, &c->seq, rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&c->seq);
	need = c->seq.len + strlen(ev->comm) + strlen(ev->name) + 96;
	if (need > c->line_cap) {
		char *p = realloc(c->line, need);

		if (!p)
			return;
		c->line = p;
		c->line_cap = need;
	}
	n = snprintf(c->line, c->line_cap, "%16s-%-7d [%03d] %s %5llu.%06llu: %s: %s",
		     ev->comm, ev->pid, ev->cpu, ev->irqs, us / 1000000,
		     us % 1000000, ev->name, c->seq.buffer ? c->seq.buffer : "");
	if (n < 0)
		return;
	ev->raw = c->line;
	ev->raw_len = (size_t)n < c->line_cap ? (size_t)n : c->line_cap - 1;
}

static int emit_lost(struct dat_ctx *c, int cpu, long long missed,
		     unsigned int flags)
{
	struct nft_event ev;

	nft_event_init(&ev);
	ev.kind = NFT_EV_LOST;
	ev.flags = flags;
	ev.cpu = cpu;
	ev.have = NFT_HAVE_CPU;
	ev.lost = missed > 0 ? (uint64_t)missed : 0;
	ev.pos = ++c->ordinal + NFT_DAT_POS_BASE;
	if (c->stats)
		c->stats->lost_events += ev.lost;
	return c->sink->event(c->sink->ctx, &ev);
}

static void bad_record(struct dat_ctx *c, struct tep_record *rec, int cpu,
		       const char *why)
{
	char where[64];

	c->bad_records++;
	if (c->bad_records > 10)
		return;
	snprintf(where, sizeof(where), "record %" PRIu64 " (offset %llu)",
		 c->ordinal, rec->offset);
	nft_diag_report(c->diag, NFT_DIAG_WARNING, c->fname, where,
			"cpu %d: %s", cpu, why);
}

static void note_page(struct dat_ctx *c, const struct tep_record *rec, int cpu)
{
	struct cpu_seen *s;
	uint64_t page = rec->offset / c->page_size;

	if (cpu < 0 || cpu >= c->nr_seen)
		return;
	s = &c->seen[cpu];
	if (!s->pages || page != s->last_page) {
		s->pages++;
		s->last_page = page;
	}
	s->last_ordinal = c->ordinal;
	s->last_offset = rec->offset;
}

/*
 * The last record a cut cpu still has: what it recorded after that is
 * lost, so the objects alive now may miss events.
 */
static int cut_cpu_ends(struct dat_ctx *c, int cpu)
{
	if (cpu < 0 || cpu >= c->cut.ncpus || c->cut.cpu[cpu] != NFT_CUT_SHORT ||
	    !dat_source_cpu_done(&c->src, cpu))
		return 0;
	c->cut.cpu[cpu] = NFT_CUT_NONE;
	return emit_lost(c, cpu, 0, NFT_LOST_TO_END);
}

/* Cpus whose whole data a cut took: nothing of them is certain. */
static int cut_cpus_lost(struct dat_ctx *c)
{
	int cpu, stop = 0;

	for (cpu = 0; cpu < c->cut.ncpus && !stop; cpu++)
		if (c->cut.cpu[cpu] == NFT_CUT_ALL)
			stop = emit_lost(c, cpu, 0, NFT_LOST_TO_END);
	return stop;
}

/*
 * Has libtracecmd passed a damaged page of @cpu (scan_pages() found it;
 * dat_page.c gave libtracecmd its sound records only)?  Records are lost
 * before @rec.  (dat_zcpu.c marks its own damage in missed_events.)
 */
static bool damage_before(struct dat_ctx *c, const struct tep_record *rec,
			  int cpu)
{
	struct bad_list *b;
	bool passed = false;

	if (!c->bad || c->src.z || cpu < 0 || cpu >= c->nr_seen)
		return false;
	b = &c->bad[cpu];
	while (b->next < b->n && rec->offset >= b->at[b->next]) {
		b->next++;
		passed = true;
	}
	return passed;
}

/* Damage after a cpu's last record: its events from there on are lost. */
static int damage_at_end(struct dat_ctx *c)
{
	int cpu, stop = 0;

	if (c->src.z) {
		struct nft_zcpu *z = c->src.z;
		int i;

		for (i = 0; i < nft_zcpu_cpus(z) && !stop; i++)
			if (nft_zcpu_lost_at_end_of(z, i))
				stop = emit_lost(c, nft_zcpu_cpu(z, i), 0,
						 NFT_LOST_TO_END);
		return stop;
	}
	for (cpu = 0; c->bad && cpu < c->nr_seen && !stop; cpu++)
		if (c->bad[cpu].next < c->bad[cpu].n)
			stop = emit_lost(c, cpu, 0, NFT_LOST_TO_END);
	return stop;
}

/*
 * A cpu's ring buffer hands out its records in time order, so one earlier
 * than the cpu's previous record is damage (or a clock that jumped).
 */
static void check_order(struct dat_ctx *c, const struct tep_record *rec,
			int cpu)
{
	struct cpu_seen *s;
	char where[96];

	if (cpu < 0 || cpu >= c->nr_seen)
		return;
	s = &c->seen[cpu];
	if (s->pages && rec->ts < s->last_ts && ++c->backwards <= 5) {
		snprintf(where, sizeof(where), "record %" PRIu64 " (offset %llu)",
			 c->ordinal, rec->offset);
		nft_diag_report(c->diag, NFT_DIAG_WARNING, c->fname, where,
				"cpu %d: timestamp %llu.%09llu goes back %llu ns from the cpu's previous record",
				cpu, rec->ts / 1000000000, rec->ts % 1000000000,
				s->last_ts - rec->ts);
	}
	s->last_ts = rec->ts;
}

static int on_record(struct tep_record *rec, int cpu, void *data)
{
	struct dat_ctx *c = data;
	struct nft_event ev;
	int r;

	if (rec->missed_events || damage_before(c, rec, cpu)) {
		c->stop = emit_lost(c, cpu, rec->missed_events, 0);
		if (c->stop)
			return ITER_STOP;
	}
	c->ordinal++;
	if (c->stats)
		c->stats->records++;
	check_order(c, rec, cpu);
	note_page(c, rec, cpu);
	r = nft_tep_decode(c->dec, rec, cpu, &ev);
	if (r == NFT_TEP_UNKNOWN) {
		bad_record(c, rec, cpu, "record of an unknown event type, skipped");
		return 0;
	}
	ev.pos = c->ordinal + NFT_DAT_POS_BASE;
	if (r == NFT_TEP_SHORT)
		bad_record(c, rec, cpu, "record shorter than its format");
	if (r != NFT_TEP_OTHER && c->stats)
		c->stats->events++;
	if (c->want_raw)
		render_raw(c, rec, &ev);
	c->stop = c->sink->event(c->sink->ctx, &ev);
	if (!c->stop)
		c->stop = cut_cpu_ends(c, cpu);
	return c->stop ? ITER_STOP : 0;
}


#define MAX_PAGE_REPORTS 10

static void add_bad_page(struct dat_ctx *c, int cpu, unsigned long long lost_at,
			 bool skipped)
{
	struct bad_list *b;

	if (cpu < 0 || cpu >= c->nr_seen)
		return;
	b = &c->bad[cpu];
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 8;
		unsigned long long *n = realloc(b->at, cap * sizeof(*n));

		if (!n)
			return;
		b->at = n;
		b->cap = cap;
	}
	b->at[b->n++] = lost_at;
	b->skipped += skipped;
}

/*
 * Check every page of the buffer's uncompressed cpu data as dat_page.c
 * will when libtracecmd loads it: say which are damaged (cpu, page, file
 * offset), and remember where records are lost, for the lost-events
 * markers.  Reads the data once.
 */
static unsigned long long scan_pages(struct dat_ctx *c, int fd,
				     const char *instance, bool *whole)
{
	struct nft_dat_range r[MAX_RANGES];
	struct nft_page_fmt f;
	unsigned long long total = 0;
	unsigned char *buf;
	size_t block;
	int i, n;

	*whole = false;
	if (fd < 0 || !nft_page_fmt_read(fd, &f) ||
	    (n = dat_data_ranges(fd, instance ? instance : "", r, MAX_RANGES)) <= 0)
		return 0;
	block = f.page_size >= (1u << 20) ? f.page_size :
		(1u << 20) / f.page_size * f.page_size;
	buf = malloc(block);
	if (!buf)
		return 0;
	*whole = true;
	for (i = 0; i < n; i++) {
		unsigned long long pages = r[i].len / f.page_size, p = 0;

		while (p < pages) {
			size_t want = (pages - p) * f.page_size < block ?
				      (pages - p) * f.page_size : block;
			unsigned long long at = r[i].off + p * f.page_size;
			ssize_t got = pread(fd, buf, want, at);
			size_t k;

			if (got < (ssize_t)f.page_size) {
				*whole = false;
				break;
			}
			for (k = 0; k + f.page_size <= (size_t)got; k += f.page_size, p++) {
				struct nft_page_verdict v;
				char where[64];

				if (nft_page_sound(&f, buf + k, &v))
					continue;
				add_bad_page(c, r[i].cpu, at + k + 8 + f.lsize + v.good,
					     !v.good);
				if (++total > MAX_PAGE_REPORTS)
					continue;
				snprintf(where, sizeof(where), "offset %llu", at + k);
				nft_diag_report(c->diag, NFT_DIAG_ERROR, c->fname, where,
						"cpu %d: ring-buffer page %llu of %llu of the cpu data corrupt (%s): %s",
						r[i].cpu, p + 1, pages, v.why,
						v.good ? "its records before the damage are read, the rest of the page is lost" :
						"page skipped, its records are lost");
			}
		}
	}
	free(buf);
	if (total > MAX_PAGE_REPORTS)
		nft_diag_report(c->diag, NFT_DIAG_ERROR, c->fname, "offset 0",
				"%llu corrupt ring-buffer pages in all (the first %d are listed): their records are lost",
				total, MAX_PAGE_REPORTS);
	return total;
}

/*
 * libtracecmd reads the compressed chunks a cpu's chunk count declares; a
 * damaged count (0 in the worst case) hides the rest, which dat_zcpu.c
 * reads but libtracecmd does not: say so, and lose that cpu's end.
 */
static void hidden_chunks(struct dat_ctx *c, int fd, const char *instance)
{
	struct nft_dat_range r[64];
	char where[64];
	int i, n = fd < 0 ? 0 : nft_zcpu_hidden(fd, instance ? instance : "", r, 64);

	for (i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "offset %" PRIu64, r[i].off);
		nft_diag_report(c->diag, NFT_DIAG_ERROR, c->fname, where,
				"cpu %d: its chunk count stops short of its data size: %" PRIu64 " more bytes of compressed chunks follow, which libtracecmd does not read (their records are lost; the built-in chunk reader reads them)",
				r[i].cpu, r[i].len);
		if (r[i].all) {
			/* none read at all: nothing of that cpu is certain */
			if (!c->stop)
				c->stop = emit_lost(c, r[i].cpu, 0, NFT_LOST_TO_END);
		} else {
			/* past every record: lost from that cpu's last one on */
			add_bad_page(c, r[i].cpu, ~0ULL, false);
		}
	}
}


struct probe {
	struct tep_handle *tep;
	bool found;
};

static int probe_record(struct tep_record *rec, int cpu, void *data)
{
	struct probe *p = data;
	struct tep_event *e = tep_find_event(p->tep, tep_data_type(p->tep, rec));

	(void)cpu;
	if (e && nft_tep_is_our_system(e->system))
		p->found = true;
	return p->found ? ITER_STOP : 0;
}

static void quiet_report(void *ctx, enum nft_diag_level level,
			 const char *file, const char *where, const char *msg)
{
	(void)ctx, (void)level, (void)file, (void)where, (void)msg;
}

/*
 * Does buffer @name, behind @h, hold any netfs/fscache/cachefiles record?
 * Damage is reported when the chosen buffer is read, not here.
 */
static bool has_netfs_records(struct tracecmd_input *h, int fd, bool blind,
			      const char *name)
{
	struct probe p = { tracecmd_get_tep(h), false };
	struct nft_diag quiet = { .report = quiet_report };
	struct dat_source src;

	if (!p.tep)
		return false;
	dat_source_open(&src, h, fd, blind, false, name, &quiet, "");
	dat_for_each_record(&src, probe_record, &p);
	nft_zcpu_close(src.z);
	return p.found;
}

static void list_instances(struct tracecmd_input *top, char *buf, size_t size)
{
	int i, n = tracecmd_buffer_instances(top);
	size_t len = 0;

	buf[0] = 0;
	len += snprintf(buf, size, "\"\" (top level)");
	for (i = 0; i < n && len < size; i++) {
		const char *name = tracecmd_buffer_instance_name(top, i);

		len += snprintf(buf + len, size - len, ", %s", name ? name : "?");
	}
}

/*
 * Pick the buffer to decode.  Returns the handle to iterate (@top itself or
 * an instance handle the caller must close), NULL with errno on failure.
 * The probe consumes records of the handles it looks at, so the top level
 * is probed through a second open of the same file.
 */
static struct tracecmd_input *pick_instance(struct tracecmd_input *top,
					    const struct nft_dat_opts *opts,
					    struct nft_diag *diag,
					    const char *fname, int reopen_fd,
					    int data_fd, bool blind,
					    const char *path, char *used,
					    size_t used_size)
{
	int i, n = tracecmd_buffer_instances(top);
	const char *want = opts ? opts->instance : NULL;
	int only = -1, with = 0;
	bool top_has = true;
	char others[256] = "";
	size_t len = 0;

	used[0] = 0;
	if (want && !*want)
		return top;	/* "" asks for the top level by name */
	if (want) {
		for (i = 0; i < n; i++) {
			const char *name = tracecmd_buffer_instance_name(top, i);

			if (name && !strcmp(name, want)) {
				snprintf(used, used_size, "%s", name);
				return tracecmd_buffer_instance_handle(top, i);
			}
		}
		{
			char list[512];

			list_instances(top, list, sizeof(list));
			nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
					"no buffer instance \"%s\"; available: %s",
					want, list);
		}
		errno = ENOENT;
		return NULL;
	}
	if (n <= 0)
		return top;
	{
		char procpath[64];
		struct tracecmd_input *again;

		if (reopen_fd >= 0) {
			snprintf(procpath, sizeof(procpath), "/proc/self/fd/%d",
				 reopen_fd);
			path = procpath;
		}
		again = path ? tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS) : NULL;
		top_has = !again || has_netfs_records(again, data_fd, blind, "");
		if (again)
			tracecmd_close(again);
	}
	for (i = 0; i < n; i++) {
		struct tracecmd_input *ih = tracecmd_buffer_instance_handle(top, i);
		const char *name = tracecmd_buffer_instance_name(top, i);

		if (!ih)
			continue;
		if (has_netfs_records(ih, data_fd, blind, name)) {
			only = i;
			with++;
			len += snprintf(others + len, sizeof(others) - len,
					"%s\"%s\"", len ? ", " : "",
					name ? name : "");
			if (len >= sizeof(others))
				len = sizeof(others) - 1;
		}
		tracecmd_close(ih);
	}
	if (with && (top_has || with > 1))
		nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
				"netfs events are %sin buffer instance(s) %s: --instance NAME reads one",
				top_has ? "also " : "", others);
	if (top_has || with != 1)
		return top;
	snprintf(used, used_size, "%s", tracecmd_buffer_instance_name(top, only));
	return tracecmd_buffer_instance_handle(top, only);
}

static void fill_kernel(struct tracecmd_input *h, struct nft_dat_stats *st)
{
	const char *u = tracecmd_get_uname(h);
	char sys[64], node[64], rel[64];

	/* The option holds "sysname nodename release machine". */
	if (u && sscanf(u, "%63s %63s %63s", sys, node, rel) == 3)
		snprintf(st->kernel, sizeof(st->kernel), "%s", rel);
}

static int run(struct dat_ctx *c, struct tracecmd_input *h, int fd,
	       int data_fd, bool blind, const char *instance)
{
	struct tep_event *any;

	dat_source_open(&c->src, h, fd, blind, c->lean_raw, instance, c->diag,
			c->fname);
	c->tep = tracecmd_get_tep(h);
	if (!c->tep)
		return -1;
	any = tep_get_first_event(c->tep);
	if (!any || !tep_find_common_field(any, "common_type"))
		return 0;	/* no event formats: nothing can be decoded */
	if (c->want_raw)
		nft_tep_resolve_enum_names(c->tep);
	c->dec = nft_tep_decoder_new(c->tep);
	if (!c->dec)
		return -1;
	c->page_size = tep_get_page_size(c->tep);
	if (c->page_size <= 0)
		c->page_size = 4096;
	c->nr_seen = tep_get_cpus(c->tep);
	c->seen = calloc(c->nr_seen > 0 ? c->nr_seen : 1, sizeof(*c->seen));
	c->bad = calloc(c->nr_seen > 0 ? c->nr_seen : 1, sizeof(*c->bad));
	if (!c->seen || !c->bad)
		return -1;
	if (c->lean_raw) {
		/* dat_v6_lean() found every page sound */
		nft_zcpu_prechecked(c->src.z);
	} else if (!c->src.z || nft_zcpu_is_raw(c->src.z)) {
		/*
		 * Damaged uncompressed pages: libtracecmd reads them (the
		 * page guard mends them) and these markers and messages say
		 * what was lost; sound ones are read by our page loop.
		 */
		bool whole;

		if (scan_pages(c, data_fd, instance, &whole) && c->src.z) {
			nft_zcpu_close(c->src.z);
			c->src.z = NULL;
		}
		if (whole)
			nft_zcpu_prechecked(c->src.z);
		hidden_chunks(c, data_fd, instance);
	}
	if (!c->stop)
		c->stop = cut_cpus_lost(c);
	if (!c->stop)
		dat_for_each_record(&c->src, on_record, c);
	if (!c->stop)
		c->stop = damage_at_end(c);
	return 0;
}

/*
 * libtracecmd ends a cpu's stream quietly at a page it cannot decompress
 * or parse (trace-cmd report shows the same short output).  Every page
 * trace-cmd writes holds records, so fewer pages with records than the
 * cpu's data has pages means the rest was unreadable.
 */
static void check_unread_pages(struct dat_ctx *c)
{
	int cpu;

	if (c->stop)
		return;
	for (cpu = 0; cpu < c->nr_seen; cpu++) {
		unsigned long long size = dat_source_cpu_bytes(&c->src, cpu);
		unsigned long long want;
		char where[96];

		if (size == ~0ULL || !size)
			continue;
		want = size / c->page_size;
		if ((!c->src.z && c->bad && c->bad[cpu].n) ||
		    (c->src.z && nft_zcpu_cpu_damaged(c->src.z, cpu)))
			continue;	/* already said which and why */
		if (c->seen[cpu].pages >= want)
			continue;
		snprintf(where, sizeof(where), "record %" PRIu64 " (cpu %d offset %llu)",
			 c->seen[cpu].last_ordinal, cpu, c->seen[cpu].last_offset);
		nft_diag_report(c->diag, NFT_DIAG_ERROR, c->fname, where,
				"cpu %d: records came from %" PRIu64 " of its %llu data pages; the others were corrupt or unreadable, their records are lost",
				cpu, c->seen[cpu].pages, want);
		/* where is not known: what is alive at the end is uncertain */
		if (!c->stop)
			c->stop = emit_lost(c, cpu, 0, NFT_LOST_TO_END);
	}
}

static void report_summary(struct dat_ctx *c, struct nft_dat_stats *st)
{
	if (st->records == 0)
		nft_diag_report(c->diag, NFT_DIAG_WARNING, c->fname, "offset 0",
				"the trace.dat holds no event records");
	else if (st->events == 0)
		nft_diag_report(c->diag, NFT_DIAG_WARNING, c->fname, "offset 0",
				"no netfs, fscache or cachefiles events among %" PRIu64 " records",
				st->records);
	if (c->backwards > 5)
		nft_diag_report(c->diag, NFT_DIAG_WARNING, c->fname, "offset 0",
				"%lu records in all have a timestamp earlier than their cpu's previous record (the first 5 are listed)",
				c->backwards);
	if (c->bad_records)
		nft_diag_report(c->diag, NFT_DIAG_ERROR, c->fname, "offset 0",
				"%lu records could not be decoded (corrupt data); events around them may be missing",
				c->bad_records);
}

int decode_trace_dat(struct nft_input *in, const struct nft_dat_opts *opts,
		     struct nft_sink *sink, struct nft_diag *diag,
		     struct nft_dat_stats *stats)
{
	struct nft_dat_stats local;
	struct dat_ctx c;
	struct tracecmd_input *top, *h;
	int spool_fd, data_fd, lean_fd, fd, ret;
	struct nft_dat_syms *syms;
	bool own_reader = !(opts && opts->libtracecmd_only), blind;

	memset(&local, 0, sizeof(local));
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	memset(&c, 0, sizeof(c));
	c.sink = sink;
	c.diag = diag;
	c.stats = stats;
	c.fname = nft_input_name(in);
	c.want_raw = opts && opts->want_raw;
	dat_silence_libs();

	dat_skip_kallsyms = !c.want_raw;
	syms = nft_dat_syms_enabled() ? nft_dat_syms_new() : NULL;
	top = dat_open_input(in, diag, c.fname, own_reader, &spool_fd, &data_fd,
			     &blind, &lean_fd, &c.lean_raw, &c.cut, syms);
	if (!top) {
		int e = errno;

		nft_dat_syms_free(syms);
		dat_skip_kallsyms = false;
		nft_page_guard(NULL);
		nft_zcpu_release();
		if (spool_fd >= 0)
			close(spool_fd);
		free(c.cut.cpu);
		errno = e;
		return -1;
	}
	if (lean_fd >= 0 && nft_dat_syms_attach(syms, tracecmd_get_tep(top))) {
		nft_diag_report(diag, NFT_DIAG_ERROR, c.fname, "offset 0",
				"out of memory");
		ret = -1;
		goto out;
	}
	fill_kernel(top, stats);
	fd = own_reader ? data_fd : -1;
	/* a second open reads what the checking child opened */
	h = pick_instance(top, opts, diag, c.fname,
			  lean_fd >= 0 ? lean_fd : spool_fd, fd, blind,
			  nft_input_path(in), stats->instance,
			  sizeof(stats->instance));
	dat_skip_kallsyms = false;
	/* a second open of the lean copy: its formats too */
	if (h && h != top && lean_fd >= 0 &&
	    nft_dat_syms_attach(syms, tracecmd_get_tep(h))) {
		nft_diag_report(diag, NFT_DIAG_ERROR, c.fname, "offset 0",
				"out of memory");
		tracecmd_close(h);
		h = NULL;
	}
	if (!h) {
		ret = -1;
		goto out;
	}
	stats->cpus = tep_get_cpus(tracecmd_get_tep(h));
	nft_diag_report(diag, NFT_DIAG_NOTE, c.fname, "offset 0",
			"buffer instance: %s",
			*stats->instance ? stats->instance : "top level");
	trace_seq_init(&c.seq);
	ret = run(&c, h, fd, data_fd, blind, stats->instance);
	trace_seq_destroy(&c.seq);
	if (!ret) {
		check_unread_pages(&c);
		report_summary(&c, stats);
		ret = c.stop;
	}
	nft_zcpu_close(c.src.z);
	nft_tep_decoder_free(c.dec);
	for (fd = 0; c.bad && fd < c.nr_seen; fd++)
		free(c.bad[fd].at);
	free(c.bad);
	free(c.seen);
	free(c.line);
	if (h != top)
		tracecmd_close(h);
out:
	free(c.cut.cpu);
	{
		int e = errno;

		tracecmd_close(top);
		nft_dat_syms_free(syms);
		nft_page_guard(NULL);
		nft_zcpu_release();
		close(data_fd);
		if (lean_fd >= 0)
			close(lean_fd);
		errno = e;
	}
	return ret;
}
