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

#include "dat_page.h"
#include "dat_zcpu.h"
#include "decoder.h"
#include "tep_event.h"

/* Exported by libtracecmd but missing from its public header. */
const char *tracecmd_get_uname(struct tracecmd_input *handle);
unsigned long long tracecmd_get_cpu_file_size(struct tracecmd_input *handle,
					      int cpu);
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);
struct tep_record *tracecmd_peek_data(struct tracecmd_input *handle, int cpu);
bool tracecmd_compress_is_supported(const char *name, const char *version);

#define NFT_DAT_POS_BASE 12

/* What a record callback returns to end the merge loop. */
#define ITER_STOP (-1)

typedef int (*record_fn)(struct tep_record *rec, int cpu, void *data);

/*
 * Where the records of one buffer come from: dat_zcpu.c for compressed CPU
 * data (libtracecmd keeps every chunk it decompressed until it closes the
 * file), else libtracecmd itself.
 */
struct dat_source {
	struct tracecmd_input *h;
	struct nft_zcpu *z;
};

/*
 * All cpus merged by timestamp.  Not tracecmd_iterate_events(): libtracecmd
 * 1.3 leaks the records it peeked when a callback ends it early, while the
 * ones tracecmd_read_next_data() peeked are freed by tracecmd_close().
 */
static void for_each_record(struct dat_source *src, record_fn fn, void *data)
{
	struct tep_record *rec, zrec;
	int cpu;

	if (src->z) {
		while (nft_zcpu_next(src->z, &zrec) == 1)
			if (fn(&zrec, zrec.cpu, data) < 0)
				break;
		return;
	}
	while ((rec = tracecmd_read_next_data(src->h, &cpu))) {
		int ret = fn(rec, cpu, data);

		tracecmd_free_record(rec);
		if (ret < 0)
			break;
	}
}

/*
 * Our reader must see the records libtracecmd would: compare the first
 * record of every cpu (tracecmd_peek_data() consumes nothing).
 */
static bool same_first_records(struct nft_zcpu *z, struct tracecmd_input *h)
{
	int i, n = nft_zcpu_cpus(z);

	for (i = 0; i < n; i++) {
		struct tep_record *rec = tracecmd_peek_data(h, nft_zcpu_cpu(z, i));
		unsigned long long ts;

		/* a chunk count of 0 hides the cpu's data from libtracecmd */
		if (!rec && nft_zcpu_count_hides(z, i))
			continue;
		if (nft_zcpu_first_ts(z, i, &ts) ? rec != NULL :
		    !rec || rec->ts != ts)
			return false;
	}
	return true;
}

/*
 * @fd < 0: libtracecmd only.  @blind: libtracecmd was given a copy without
 * some cpus' data, so there is nothing to compare with.
 */
static void source_open(struct dat_source *src, struct tracecmd_input *h,
			int fd, bool blind, const char *instance,
			struct nft_diag *diag, const char *fname)
{
	src->h = h;
	src->z = NULL;
	if (fd < 0)
		return;
	src->z = nft_zcpu_open(fd, instance, tracecmd_get_tep(h), diag, fname);
	if (!src->z && blind)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"cannot read the damaged compressed cpu data: %s",
				strerror(errno));
	if (src->z && !blind && !same_first_records(src->z, h)) {
		nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
				"compressed cpu data read through libtracecmd: its first records differ from ours");
		nft_zcpu_close(src->z);
		src->z = NULL;
	}
}

static bool source_cpu_done(struct dat_source *src, int cpu)
{
	if (src->z)
		return nft_zcpu_cpu_done(src->z, cpu);
	return !tracecmd_peek_data(src->h, cpu);
}

static unsigned long long source_cpu_bytes(struct dat_source *src, int cpu)
{
	if (src->z)
		return nft_zcpu_cpu_bytes(src->z, cpu);
	return tracecmd_get_cpu_file_size(src->h, cpu);
}

struct dat_ctx {
	struct dat_source src;
	struct tep_handle *tep;
	struct nft_sink *sink;
	struct nft_diag *diag;
	struct nft_dat_stats *stats;
	const char *fname;
	int want_raw;
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


/* ---- raw text ---- */

/*
 * Some kernels print a __print_symbolic() entry with the enum's name instead
 * of its number ({ fscache_active_use, "USE" }: no TRACE_DEFINE_ENUM), which
 * libtraceevent cannot evaluate, so trace-cmd report prints "0x1" where the
 * kernel printed "USE-m".  tep_event.c resolves such names for the fields;
 * for the raw text we write the number into the table itself: the value the
 * same string has in another event's table of the same field, else the
 * entry's position (the kernel builds enum and table from one list).
 */
typedef void (*sym_visit)(struct tep_print_arg *sym, void *data);

static void walk_symbols(struct tep_print_arg *arg, sym_visit fn, void *data)
{
	for (; arg; arg = arg->next) {
		if (arg->type == TEP_PRINT_SYMBOL) {
			fn(arg, data);
		} else if (arg->type == TEP_PRINT_TYPE) {
			walk_symbols(arg->typecast.item, fn, data);
		} else if (arg->type == TEP_PRINT_OP) {
			walk_symbols(arg->op.left, fn, data);
			walk_symbols(arg->op.right, fn, data);
		}
	}
}

static const char *symbol_field(struct tep_print_arg *sym)
{
	struct tep_print_arg *a = sym->symbol.field;

	while (a && a->type == TEP_PRINT_TYPE)
		a = a->typecast.item;
	return a && a->type == TEP_PRINT_FIELD ? a->field.name : NULL;
}

static bool is_number(const char *s)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	strtoll(s, &end, 0);
	return !errno && !*end;
}

static bool same_text(const char *a, const char *b)
{
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	for (; *a && *a == *b; a++, b++)
		;
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	return !*a && !*b;
}

struct sym_lookup {
	const char *field;
	const char *str;
	const char *found;
};

static void lookup_visit(struct tep_print_arg *sym, void *data)
{
	struct sym_lookup *l = data;
	const char *field = symbol_field(sym);
	struct tep_print_flag_sym *fs;
	const char *hit = NULL;
	int hits = 0;

	if (l->found || !field || strcmp(field, l->field))
		return;
	for (fs = sym->symbol.symbols; fs; fs = fs->next) {
		if (!fs->str || !same_text(fs->str, l->str))
			continue;
		hits++;
		hit = is_number(fs->value) ? fs->value : NULL;
	}
	/* a string two entries share ("INVL" read and write) says nothing */
	if (hits == 1 && hit)
		l->found = hit;
}

static void resolve_visit(struct tep_print_arg *sym, void *data)
{
	struct tep_event **events = data;
	struct tep_print_flag_sym *fs;
	const char *field = symbol_field(sym);
	int pos = 0, i;

	for (fs = sym->symbol.symbols; field && fs; fs = fs->next, pos++) {
		struct sym_lookup l = { field, fs->str ? fs->str : "", NULL };
		char num[24];
		char *v;

		if (is_number(fs->value))
			continue;
		for (i = 0; events[i] && !l.found; i++)
			walk_symbols(events[i]->print_fmt.args, lookup_visit, &l);
		if (l.found)
			snprintf(num, sizeof(num), "%s", l.found);
		else
			snprintf(num, sizeof(num), "%d", pos);
		v = strdup(num);
		if (!v)
			return;
		free(fs->value);
		fs->value = v;
	}
}

static void resolve_enum_names(struct tep_handle *tep)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	int i;

	for (i = 0; events && events[i]; i++)
		if (nft_tep_is_our_system(events[i]->system))
			walk_symbols(events[i]->print_fmt.args, resolve_visit,
				     events);
}

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
	    !source_cpu_done(&c->src, cpu))
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

/* ---- opening, instances ---- */

static bool skip_kallsyms;

/*
 * libtracecmd parses the file's kallsyms (4 MB, one sscanf per line) on
 * every open: more than half the run time of a typical capture, for symbols
 * no netfs, fscache or cachefiles format prints.  While decode_trace_dat()
 * opens a file for field decoding we skip it; everyone else, and raw
 * rendering (other systems' events may print %pS), gets the real parser.
 */
int tep_parse_kallsyms(struct tep_handle *tep, const char *kallsyms)
{
	static int (*real)(struct tep_handle *, const char *);

	if (skip_kallsyms)
		return 0;
	if (!real)
		real = (int (*)(struct tep_handle *, const char *))
			dlsym(RTLD_NEXT, "tep_parse_kallsyms");
	return real ? real(tep, kallsyms) : -1;
}

static void silence_libs(void)
{
	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
}

/*
 * libtracecmd needs to seek: copy a pipe or a decompressed stream to a file
 * (bounded; input.c says how much and why it stopped).
 */
static int spool(struct nft_input *in, struct nft_diag *diag, const char *fname)
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
#define MAX_RANGES 64

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
 * cut off (whole pages of it are kept, see check_v6()).
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
static void explain_open_failure(struct nft_diag *diag, const char *fname,
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
	/* cut short (check_v6() says so), not followed by data */
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
static bool trim_trailing(struct nft_diag *diag, const char *fname, int *fd,
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
static bool check_v6(struct nft_diag *diag, const char *fname, int *fd,
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
static int data_ranges(int fd, const char *instance, struct nft_dat_range *r,
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
static void scan_pages(struct dat_ctx *c, int fd, const char *instance)
{
	struct nft_dat_range r[MAX_RANGES];
	struct nft_page_fmt f;
	unsigned long long total = 0;
	unsigned char *buf;
	size_t block;
	int i, n;

	if (fd < 0 || !nft_page_fmt_read(fd, &f) ||
	    (n = data_ranges(fd, instance ? instance : "", r, MAX_RANGES)) <= 0)
		return;
	block = f.page_size >= (1u << 20) ? f.page_size :
		(1u << 20) / f.page_size * f.page_size;
	buf = malloc(block);
	if (!buf)
		return;
	for (i = 0; i < n; i++) {
		unsigned long long pages = r[i].len / f.page_size, p = 0;

		while (p < pages) {
			size_t want = (pages - p) * f.page_size < block ?
				      (pages - p) * f.page_size : block;
			unsigned long long at = r[i].off + p * f.page_size;
			ssize_t got = pread(fd, buf, want, at);
			size_t k;

			if (got < (ssize_t)f.page_size)
				break;
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

/*
 * libtraceevent and libtracecmd crash on some damaged metadata while a
 * file is being opened (a NULL dereference in tep_parse_event(), a failing
 * tracecmd_open_fd() crashing in its own cleanup; trace-cmd report dies the
 * same way).  Open it once in a child first: if the child dies, refuse the
 * file instead of dying.  That costs one more open (20-30 ms), so only
 * files whose metadata reaches the parsers as stored get it.
 */
/* In the child: everything decode_trace_dat() will open.  0 ok, 2 refused. */
static int try_open(int fd)
{
	struct tracecmd_input *h = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	int i, n;

	if (!h)
		return 2;
	n = tracecmd_buffer_instances(h);
	for (i = 0; i < n; i++) {
		struct tracecmd_input *ih = tracecmd_buffer_instance_handle(h, i);

		if (ih)
			tracecmd_close(ih);
	}
	return 0;
}

/* A v7 file whose sections and cpu data trace-cmd compressed? */
static bool compressed_v7(int fd)
{
	char head[64];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	const char *comp;

	if (n < 20 || memcmp(head, "\027\010\104tracing7", 12))
		return false;
	head[n] = 0;
	comp = head + 12 + 1 + 1 + 4;	/* endian, long size, page size */
	return *comp && strcmp(comp, "none");
}

/*
 * A v7 file compressed with an algorithm this libtracecmd was built
 * without (Debian 12's has zstd, not zlib) cannot be opened at all; say so
 * rather than "corrupt".  Fills @name.
 */
static bool compression_unsupported(int fd, char *name, size_t size)
{
	char head[128];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	const char *comp, *ver;

	if (n < 20 || memcmp(head, "\027\010\104tracing7", 12))
		return false;
	head[n] = 0;
	comp = head + 18;
	ver = comp + strlen(comp) + 1;
	if (ver >= head + n || !*comp || !strcmp(comp, "none"))
		return false;
	snprintf(name, size, "%.40s %.40s", comp, ver);
	return !tracecmd_compress_is_supported(comp, ver);
}

static bool opens_safely(int fd, int *sig)
{
	char procpath[64];
	int status;
	pid_t pid;

	*sig = 0;
	pid = fork();
	if (pid < 0)
		return true;	/* cannot isolate: take the chance */
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);
		int own;

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		/* our own file description: the parent's offset stays put */
		snprintf(procpath, sizeof(procpath), "/proc/self/fd/%d", fd);
		own = open(procpath, O_RDONLY);
		_exit(own >= 0 ? try_open(own) : 2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return true;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
				  WEXITSTATUS(status) == 2))
		return true;
	*sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return false;
}

/*
 * Compressed cpu data that libtracecmd's open would fail or crash on goes
 * to dat_zcpu.c only: libtracecmd gets a copy without it (when @own_reader).
 * Returns the descriptor for libtracecmd's open (@fd or the copy, which
 * *meta_fd then holds), or -1 when libtracecmd must be tried in a child.
 */
static int cpu_data_check(int fd, bool own_reader, struct nft_diag *diag,
			  const char *fname, int *meta_fd)
{
	int copy, bad = nft_zcpu_check(fd, &copy);

	*meta_fd = -1;
	if (bad > 0 && !own_reader)
		close(copy);
	if (bad < 0 || (bad > 0 && !own_reader))
		return -1;
	if (!bad)
		return fd;
	nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
			"the compressed data of %d cpu(s) is damaged where libtracecmd cannot open it: libtracecmd reads the metadata from a copy without that data",
			bad);
	*meta_fd = copy;
	return copy;
}

/*
 * A compressed v7 file cut short: read the copy dat_zcpu.c mends.  false
 * when it is cut before anything can be read.
 */
static bool mend_v7(struct nft_diag *diag, const char *fname, int *fd,
		    int *spool_fd, struct nft_dat_cut *cut)
{
	int copy, r = nft_zcpu_mend(*fd, &copy, cut);
	char where[64];

	if (!r)
		return true;
	if (r < 0) {
		snprintf(where, sizeof(where), "offset %llu",
			 (unsigned long long)cut->size);
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short before its cpu data (or where it cannot be located): no records can be read");
		return false;
	}
	if (*spool_fd >= 0)
		close(*spool_fd);
	else
		close(*fd);
	*fd = *spool_fd = copy;
	return true;
}

/* Say what a cut took; the records before it are read. */
static void report_cut(struct nft_diag *diag, const char *fname,
		       const struct nft_dat_cut *cut)
{
	char where[64], cpus[256] = "";
	size_t len = 0;
	int i, more = 0;

	if (!cut->found)
		return;
	snprintf(where, sizeof(where), "offset %llu",
		 (unsigned long long)cut->size);
	for (i = 0; i < cut->ncpus; i++) {
		if (!cut->cpu[i])
			continue;
		if (len > sizeof(cpus) - 64) {
			more++;
			continue;
		}
		len += snprintf(cpus + len, sizeof(cpus) - len, "%scpu %d %s",
				len ? ", " : "", i,
				cut->cpu[i] == NFT_CUT_ALL ? "all of its data" :
				"the rest of its data");
	}
	if (more)
		snprintf(cpus + len, sizeof(cpus) - len, " and %d more cpus", more);
	if (cut->what == NFT_CUT_WHERE_TOP && len)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short (truncated) inside the cpu data: the records before the cut are read; lost: %s (treated as lost events)",
				cpus);
	else
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short (truncated) after the top-level buffer: %s",
				cut->what == NFT_CUT_WHERE_INSTANCE ?
				"a buffer instance's data is cut off (and, in a v7 file, its name); the top level is complete" :
				"the end of the file is lost; every cpu's data is complete");
}

/*
 * A file compressed with what this libtracecmd lacks (zlib on Debian 12):
 * libtracecmd opens an uncompressed copy of the metadata, dat_zcpu.c reads
 * the cpu data.  Returns the copy (also in *meta_fd), or -1 after saying
 * why the file cannot be read.
 */
static int unpacked_metadata(int fd, bool own_reader, const char *comp_name,
			     struct nft_diag *diag, const char *fname,
			     int *meta_fd)
{
	int ret = own_reader ? nft_zcpu_unpack(fd, meta_fd) : 1;

	if (!ret)
		return *meta_fd;
	if (ret < 0)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 18",
				"trace.dat compressed with %s, which this libtracecmd cannot decompress, and its metadata does not decompress with it either: the file is corrupt or truncated; no records can be read",
				comp_name);
	else
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 18",
				"trace.dat compressed with %s, which this libtracecmd cannot decompress%s; convert it where trace-cmd can: trace-cmd convert --compression none -i IN -o OUT",
				comp_name, own_reader ? "" :
				" (NETFS_REPLAY_DAT_READER=libtracecmd turns off the built-in zstd/zlib chunk reader)");
	return -1;
}

/*
 * On success *data_fd is our descriptor of the file (the spool when there
 * is one), for dat_zcpu.c; the caller closes it.  *lib_blind says that
 * libtracecmd was given a copy without some cpus' data.
 */
static struct tracecmd_input *open_input(struct nft_input *in,
					 struct nft_diag *diag,
					 const char *fname, bool own_reader,
					 int *spool_fd, int *data_fd,
					 bool *lib_blind,
					 struct nft_dat_cut *cut)
{
	const char *path = nft_input_path(in);
	const char *comp = nft_input_compression(in);
	struct tracecmd_input *h;
	int fd, lfd, e, sig, meta_fd = -1, lib_fd;
	char comp_name[96];

	*spool_fd = -1;
	*data_fd = -1;
	/* never reopened by name: a FIFO would block, a pipe lose its head */
	fd = path && comp && !strcmp(comp, "none") ? nft_input_file_fd(in) : -1;
	if (fd < 0) {
		fd = spool(in, diag, fname);
		*spool_fd = fd;
	}
	if (fd < 0) {
		e = errno;
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"cannot open: %s", strerror(e));
		errno = e;
		return NULL;
	}
	if (!trim_trailing(diag, fname, &fd, spool_fd) ||
	    !check_v6(diag, fname, &fd, spool_fd, cut) ||
	    !mend_v7(diag, fname, &fd, spool_fd, cut)) {
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	report_cut(diag, fname, cut);
	{
		struct nft_page_fmt pf;

		/* every page kbuffer loads from here on is checked first */
		nft_page_guard(nft_page_fmt_read(fd, &pf) ? &pf : NULL);
	}
	if (compression_unsupported(fd, comp_name, sizeof(comp_name))) {
		lib_fd = unpacked_metadata(fd, own_reader, comp_name, diag,
					   fname, &meta_fd);
		if (lib_fd < 0) {
			if (*spool_fd < 0)
				close(fd);
			errno = ENOTSUP;
			return NULL;
		}
	} else {
		lib_fd = compressed_v7(fd) ?
			cpu_data_check(fd, own_reader, diag, fname, &meta_fd) : fd;
		if (lib_fd < 0)
			lib_fd = fd;
		/*
		 * Sound compressed cpu data our reader reads: libtracecmd (and
		 * the checking child) open an uncompressed copy of the metadata
		 * without the kallsyms, unless raw rendering wants the symbols.
		 */
		else if (lib_fd == fd && meta_fd < 0 && own_reader &&
			 skip_kallsyms && compressed_v7(fd) &&
			 nft_zcpu_unpack_lean(fd, &meta_fd) == 0)
			lib_fd = meta_fd;
	}
	*lib_blind = meta_fd >= 0;
	/*
	 * Every file is opened in a child first, the compressed ones too:
	 * the fuzzer found v7 metadata that crashes tracecmd_open_fd() after
	 * it decompressed fine.  It costs one more open, ~20-40 ms.
	 */
	if (!opens_safely(lib_fd, &sig)) {
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"libtracecmd/libtraceevent crash opening this trace.dat (%s): its headers, event formats or cpu data are damaged; no records can be read",
				sig ? strsignal(sig) : "sanitizer abort");
		if (meta_fd >= 0)
			close(meta_fd);
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	/*
	 * Hand libtracecmd its own descriptor: tracecmd_close() closes it,
	 * but a failed tracecmd_open_fd() leaves it open on some paths.
	 */
	lfd = dup(lib_fd);
	if (meta_fd >= 0)
		close(meta_fd);
	h = lfd < 0 ? NULL : tracecmd_open_fd(lfd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		if (lfd >= 0 && fcntl(lfd, F_GETFD) != -1)
			close(lfd);
		explain_open_failure(diag, fname, fd);
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	*data_fd = fd;
	return h;
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
	source_open(&src, h, fd, blind, name, &quiet, "");
	for_each_record(&src, probe_record, &p);
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

	source_open(&c->src, h, fd, blind, instance, c->diag, c->fname);
	c->tep = tracecmd_get_tep(h);
	if (!c->tep)
		return -1;
	any = tep_get_first_event(c->tep);
	if (!any || !tep_find_common_field(any, "common_type"))
		return 0;	/* no event formats: nothing can be decoded */
	if (c->want_raw)
		resolve_enum_names(c->tep);
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
	if (!c->src.z) {
		scan_pages(c, data_fd, instance);
		hidden_chunks(c, data_fd, instance);
	}
	if (!c->stop)
		c->stop = cut_cpus_lost(c);
	if (!c->stop)
		for_each_record(&c->src, on_record, c);
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
		unsigned long long size = source_cpu_bytes(&c->src, cpu);
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
	int spool_fd, data_fd, fd, ret;
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
	silence_libs();

	skip_kallsyms = !c.want_raw;
	top = open_input(in, diag, c.fname, own_reader, &spool_fd, &data_fd,
			 &blind, &c.cut);
	if (!top) {
		int e = errno;

		skip_kallsyms = false;
		nft_page_guard(NULL);
		if (spool_fd >= 0)
			close(spool_fd);
		free(c.cut.cpu);
		errno = e;
		return -1;
	}
	fill_kernel(top, stats);
	fd = own_reader ? data_fd : -1;
	h = pick_instance(top, opts, diag, c.fname, spool_fd, fd, blind,
			  nft_input_path(in), stats->instance,
			  sizeof(stats->instance));
	skip_kallsyms = false;
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
		nft_page_guard(NULL);
		close(data_fd);
		errno = e;
	}
	return ret;
}
