// SPDX-License-Identifier: GPL-2.0
/*
 * One request's life (netfs-replay -R): what it was, its subrequests per
 * stream, two drawings in the spirit of the netfs writeback design notes --
 * a byte map (which subrequest covered which part of the range, per stream)
 * and a time line (in flight '=', terminated awaiting collection '-') --
 * then its ref history and the raw lines that mention it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

#define DRAW_WIDTH 64

/* ---- state words: one table for the text and the JSON ---- */

const char *nft_req_state_name(enum nft_req_state s)
{
	static const char *const names[] = {
		[NFT_REQ_ACTIVE] = "in-progress",
		[NFT_REQ_COMPLETED] = "completed",
		[NFT_REQ_FREED] = "freed",
	};

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ?
		       names[s] : "unknown";
}

const char *nft_sreq_state_name(enum nft_sreq_state s)
{
	static const char *const names[] = {
		[NFT_SS_SEEN] = "seen",
		[NFT_SS_IN_FLIGHT] = "in-flight",
		[NFT_SS_TERMINATED] = "terminated",
		[NFT_SS_COLLECTED] = "collected",
		[NFT_SS_FREED] = "freed",
	};

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ?
		       names[s] : "unknown";
}

const char *nft_fsobj_state_name(const struct nft_fsobj *o)
{
	if (!o)
		return "unknown";
	return o->freed ? "freed" : o->relinquished ? "relinquished" : "live";
}

static const char *stream_name(int stream, bool is_write)
{
	if (stream == 1)
		return "cache write";
	if (stream == 0)
		return is_write ? "upload to server" : "read";
	return "unassigned";
}

static char index_char(int32_t index)
{
	static const char digits[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

	return digits[index % (int)(sizeof(digits) - 1)];
}

static uint64_t sreq_end_ts(const struct nft_subreq *s)
{
	return s->t_free ? s->t_free : s->t_last;
}

static void header(FILE *out, const struct nft_model *m,
		   const struct nft_request *r)
{
	const struct nft_summary *sum = nft_model_summary(m);
	char a[32], b[32], flags[160];
	uint64_t end = r->t_free ? r->t_free : r->t_last;

	nft_fmt_ts(a, sizeof(a), r->t_new);
	nft_fmt_ts(b, sizeof(b), end);
	fprintf(out, "request: R=%08x\n", r->id);
	fprintf(out, "origin: %s\n", r->origin ?
		nft_sym_name(NFT_SYMC_ORIGIN, r->origin) : "unknown");
	fprintf(out, "operation: %s\n",
		nft_sym_name(r->is_write ? NFT_SYMC_WRITE_TRACE :
					   NFT_SYMC_READ_TRACE, r->op));
	fprintf(out, "inode: %" PRIx64 "\n", r->ino);
	if (r->range_known)
		fprintf(out, "range: 0x%" PRIx64 "-0x%" PRIx64 " (len 0x%" PRIx64 ")\n",
			r->start, r->start + r->len, r->len);
	if (r->i_size)
		fprintf(out, "i_size: 0x%" PRIx64 "\n", r->i_size);
	if (!r->cookie_seen)
		fputs("cache: unknown (no netfs_read/netfs_write line)\n", out);
	else if (!r->cookie)
		fputs("cache: none (c=00000000: the cache never engaged)\n", out);
	else if (r->object)
		fprintf(out, "cache: cookie c=%08x, object o=%08x\n", r->cookie,
			r->object);
	else
		fprintf(out, "cache: cookie c=%08x\n", r->cookie);
	nft_rreq_flags_str(sum->gen, r->flags, flags, sizeof(flags));
	fprintf(out, "flags: %x %s\n", r->flags, flags);
	fprintf(out, "state: %s\n", nft_req_state_name(r->state));
	fprintf(out, "life: %s - %s (%.3f ms), lines %" PRIu64 "-%" PRIu64 "\n",
		a, b, (double)(end - r->t_new) / 1e6, r->pos_new,
		r->pos_free ? r->pos_free : r->pos_last);
	fprintf(out, "subrequests: %u, retries: %u, failures: %u\n",
		r->nr_sreqs, r->retries, r->failures);
}

static void subreq_table(FILE *out, const struct nft_request *r)
{
	uint32_t i;

	fputs("\nsubrequests:\n", out);
	fputs("  idx stream source start        len        transferred error retries state\n", out);
	for (i = 0; i < r->nr_sreq_slots; i++) {
		const struct nft_subreq *s = r->sreqs[i];

		if (!s)
			continue;
		fprintf(out, "  %3x %-6d %-6s 0x%-10" PRIx64 " 0x%-8" PRIx64 " 0x%-9" PRIx64 " %5d %7u %s\n",
			(unsigned int)s->index, s->stream,
			nft_sym_name(NFT_SYMC_SOURCE, s->source), s->start,
			s->len, s->transferred, s->error, s->reissues,
			nft_sreq_state_name(s->state));
	}
}

/* Byte map: which subrequest covered which part of the range. */
static void byte_map(FILE *out, const struct nft_request *r)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	int stream;
	uint32_t i;

	for (i = 0; i < r->nr_sreq_slots; i++) {
		const struct nft_subreq *s = r->sreqs[i];

		if (s && s->len) {
			lo = s->start < lo ? s->start : lo;
			hi = s->start + s->len > hi ? s->start + s->len : hi;
		}
	}
	if (lo >= hi)
		return;
	fprintf(out, "\nbyte map 0x%" PRIx64 " .. 0x%" PRIx64 " (%.1f KiB a column):\n",
		lo, hi, (double)(hi - lo) / DRAW_WIDTH / 1024);
	for (stream = -1; stream <= 1; stream++) {
		char row[DRAW_WIDTH + 1];
		bool any = false;

		memset(row, '.', DRAW_WIDTH);
		row[DRAW_WIDTH] = 0;
		for (i = 0; i < r->nr_sreq_slots; i++) {
			const struct nft_subreq *s = r->sreqs[i];
			uint64_t c0, c1, c;

			if (!s || s->stream != stream || !s->len)
				continue;
			any = true;
			c0 = (s->start - lo) * DRAW_WIDTH / (hi - lo);
			c1 = (s->start + s->len - lo) * DRAW_WIDTH / (hi - lo);
			if (c1 == c0)
				c1 = c0 + 1;
			for (c = c0; c < c1 && c < DRAW_WIDTH; c++)
				row[c] = index_char(s->index);
		}
		if (any)
			fprintf(out, "  %-16s |%s|\n",
				stream_name(stream, r->is_write), row);
	}
}

/* What subrequest @s was doing in [t, tn): see time_line()'s legend. */
static char cycle_char(const struct nft_subreq *s, uint64_t t, uint64_t tn)
{
	uint32_t i, kept = s->nr_cycles < NFT_SREQ_CYCLES ? s->nr_cycles :
			   NFT_SREQ_CYCLES;
	uint64_t end = sreq_end_ts(s), last_term = 0;
	char c = '-';

	if (tn <= s->t_first || t > end)
		return ' ';
	for (i = 0; i < kept; i++) {
		const struct nft_sreq_cycle *cy = &s->cycle[i];
		uint64_t term = cy->t_term ? cy->t_term : end;

		if (i && cy->t_issue >= t && cy->t_issue < tn)
			return 'R';
		if (t < term && tn > cy->t_issue)
			c = '=';
		last_term = term;
	}
	/* cycles past the ones kept: in flight until the last termination */
	if (s->nr_cycles > kept && t >= last_term &&
	    t < (s->t_term > last_term ? s->t_term : end))
		c = '=';
	if (!kept)
		c = t < (s->t_term ? s->t_term : end) ? '=' : '-';
	return c;
}

/* Time line: one row per subrequest across the request's life. */
static void time_line(FILE *out, const struct nft_request *r)
{
	uint64_t t0 = r->t_new, t1 = r->t_free ? r->t_free : r->t_last;
	uint32_t i;

	if (t1 <= t0)
		t1 = t0 + 1;
	fprintf(out, "\ntime line 0 .. %.3f ms ('=' in flight, 'R' reissued, '-' terminated, awaiting retry/collection/free):\n",
		(double)(t1 - t0) / 1e6);
	for (i = 0; i < r->nr_sreq_slots; i++) {
		const struct nft_subreq *s = r->sreqs[i];
		char row[DRAW_WIDTH + 1];
		uint64_t c;

		if (!s)
			continue;
		for (c = 0; c < DRAW_WIDTH; c++)
			row[c] = cycle_char(s, t0 + (t1 - t0) * c / DRAW_WIDTH,
					    t0 + (t1 - t0) * (c + 1) / DRAW_WIDTH);
		row[DRAW_WIDTH] = 0;
		fprintf(out, "  [%x] %-4s %-11s |%s|\n", (unsigned int)s->index,
			nft_sym_name(NFT_SYMC_SOURCE, s->source),
			stream_name(s->stream, r->is_write), row);
	}
}

/* Each issue cycle of the subrequests that were reissued. */
static void reissues(FILE *out, const struct nft_request *r)
{
	bool any = false;
	uint32_t i, k;

	for (i = 0; i < r->nr_sreq_slots; i++) {
		const struct nft_subreq *s = r->sreqs[i];

		if (!s || s->nr_cycles < 2)
			continue;
		if (!any)
			fputs("\nreissued subrequests (issue -> termination, ms from the request's start, lines):\n", out);
		any = true;
		fprintf(out, "  [%x] issued %u times\n", (unsigned int)s->index,
			s->nr_cycles);
		for (k = 0; k < s->nr_cycles && k < NFT_SREQ_CYCLES; k++) {
			const struct nft_sreq_cycle *c = &s->cycle[k];

			fprintf(out, "      #%u  %.3f -> ", k + 1,
				(double)(c->t_issue - r->t_new) / 1e6);
			if (c->t_term)
				fprintf(out, "%.3f  lines %" PRIu64 "-%" PRIu64 "\n",
					(double)(c->t_term - r->t_new) / 1e6,
					c->pos_issue, c->pos_term);
			else
				fprintf(out, "(not terminated)  line %" PRIu64 "\n",
					c->pos_issue);
		}
		if (s->nr_cycles > NFT_SREQ_CYCLES)
			fprintf(out, "      ... %u more\n",
				s->nr_cycles - NFT_SREQ_CYCLES);
	}
}

void nft_view_ledger(FILE *out, const char *title, const struct nft_ledger *l)
{
	uint32_t i;
	char ts[32];

	if (!l->n)
		return;
	fprintf(out, "  %s:\n", title);
	for (i = 0; i < l->n; i++) {
		const struct nft_ref_entry *e = &l->v[i];

		nft_fmt_ts(ts, sizeof(ts), e->ts_ns);
		fprintf(out, "    line %-8" PRIu64 " %s %-12s r=%d", e->pos, ts,
			nft_sym_name(e->cls, e->what), e->printed);
		if (e->expected != INT32_MIN && e->expected != e->printed)
			fprintf(out, "   <- ledger expected r=%d", e->expected);
		fputc('\n', out);
	}
	if (l->dropped)
		fprintf(out, "    ... %u more not kept\n", l->dropped);
}

static void ref_history(FILE *out, const struct nft_request *r)
{
	char title[48];
	uint32_t i;

	fputs("\nref history:\n", out);
	snprintf(title, sizeof(title), "R=%08x", r->id);
	nft_view_ledger(out, title, &r->refs);
	for (i = 0; i < r->nr_sreq_slots; i++) {
		if (!r->sreqs[i])
			continue;
		snprintf(title, sizeof(title), "R=%08x[%x]", r->id, i);
		nft_view_ledger(out, title, &r->sreqs[i]->refs);
	}
}

/* A pasted line: no leading blanks, runs of blanks folded. */
static void compact(FILE *out, const char *s)
{
	bool blank = false;

	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			blank = true;
			continue;
		}
		if (blank)
			fputc(' ', out);
		blank = false;
		fputc(*s, out);
	}
	fputc('\n', out);
}

void nft_view_lines(FILE *out, const struct nft_model *m, bool brief)
{
	uint64_t dropped = nft_model_focus_lines_dropped(m);
	const struct nft_history_line *h;
	size_t n, i;

	h = nft_model_focus_lines(m, &n);
	if (!brief)
		fprintf(out, "\nlines (%zu):\n", n);
	for (i = 0; i < n; i++) {
		if (!h[i].text)
			continue;
		if (brief) {
			compact(out, h[i].text);
			continue;
		}
		fprintf(out, "%8" PRIu64 ": %s\n", h[i].pos, h[i].text);
	}
	if (dropped && !brief)
		fprintf(out, "  ... %" PRIu64 " more not kept\n", dropped);
}

/* ---- JSON ---- */

static const char *ref_op_name(int op)
{
	static const char *const names[] = {
		[NFT_REF_SEE] = "see",
		[NFT_REF_GET] = "get",
		[NFT_REF_PUT] = "put",
		[NFT_REF_NEW] = "new",
	};

	return op >= 0 && op < (int)(sizeof(names) / sizeof(names[0])) ?
		       names[op] : "";
}

void nft_view_ledger_json(struct nft_jw *jw, const struct nft_ledger *l)
{
	uint32_t i;

	nft_jw_array_begin(jw, "refs");
	for (i = 0; l && i < l->n; i++) {
		const struct nft_ref_entry *e = &l->v[i];

		nft_jw_object_begin(jw, NULL);
		nft_jw_u64(jw, "line", e->pos);
		nft_jw_ts(jw, "ts", e->ts_ns);
		nft_jw_str(jw, "what", nft_sym_name(e->cls, e->what));
		nft_jw_str(jw, "op", ref_op_name(e->op));
		nft_jw_i64(jw, "printed", e->printed);
		if (e->expected == INT32_MIN)
			nft_jw_null(jw, "expected");
		else
			nft_jw_i64(jw, "expected", e->expected);
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
	nft_jw_u64(jw, "refs_not_kept", l ? l->dropped : 0);
}

void nft_view_lines_json(struct nft_jw *jw, const struct nft_model *m)
{
	const struct nft_history_line *h;
	size_t n, i;

	h = nft_model_focus_lines(m, &n);
	nft_jw_array_begin(jw, "lines");
	for (i = 0; i < n; i++) {
		if (!h[i].text)
			continue;
		nft_jw_object_begin(jw, NULL);
		nft_jw_u64(jw, "line", h[i].pos);
		nft_jw_ts(jw, "ts", h[i].ts_ns);
		nft_jw_str(jw, "text", h[i].text);
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
	nft_jw_u64(jw, "lines_not_kept", nft_model_focus_lines_dropped(m));
}

static void json_cycles(struct nft_jw *jw, const struct nft_subreq *s)
{
	uint32_t k;

	nft_jw_u64(jw, "issued", s->nr_cycles);
	nft_jw_array_begin(jw, "cycles");
	for (k = 0; k < s->nr_cycles && k < NFT_SREQ_CYCLES; k++) {
		const struct nft_sreq_cycle *c = &s->cycle[k];

		nft_jw_object_begin(jw, NULL);
		nft_jw_u64(jw, "issue_line", c->pos_issue);
		nft_jw_ts(jw, "issue_ts", c->t_issue);
		if (c->t_term || c->pos_term) {
			nft_jw_u64(jw, "term_line", c->pos_term);
			nft_jw_ts(jw, "term_ts", c->t_term);
		} else {
			nft_jw_null(jw, "term_line");
			nft_jw_null(jw, "term_ts");
		}
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
}

/* The members of one subrequest, in the writer's current object. */
static void json_sreq_fields(struct nft_jw *jw, const struct nft_subreq *s)
{
	nft_jw_i64(jw, "index", s->index);
	nft_jw_i64(jw, "stream", s->stream);
	nft_jw_str(jw, "source", nft_sym_name(NFT_SYMC_SOURCE, s->source));
	nft_jw_u64(jw, "start", s->start);
	nft_jw_u64(jw, "len", s->len);
	nft_jw_u64(jw, "transferred", s->transferred);
	nft_jw_i64(jw, "error", s->error);
	nft_jw_u64(jw, "retries", s->reissues);
	nft_jw_str(jw, "state", nft_sreq_state_name(s->state));
	json_cycles(jw, s);
	nft_view_ledger_json(jw, &s->refs);
}

static void json_request(FILE *out, const struct nft_model *m,
			 const struct nft_request *r)
{
	struct nft_jw jw;
	uint32_t i;

	nft_jw_init(&jw, out, NFT_JW_ONE_LINE);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_strf(&jw, "request", "%08x", r->id);
	nft_jw_str(&jw, "origin", r->origin ?
		   nft_sym_name(NFT_SYMC_ORIGIN, r->origin) : "");
	nft_jw_strf(&jw, "ino", "%" PRIx64, r->ino);
	nft_jw_u64(&jw, "start", r->start);
	nft_jw_u64(&jw, "len", r->len);
	nft_jw_strf(&jw, "cookie", "%08x", r->cookie);
	nft_jw_str(&jw, "state", nft_req_state_name(r->state));
	nft_jw_u64(&jw, "first_line", r->pos_new);
	nft_jw_u64(&jw, "last_line", r->pos_free ? r->pos_free : r->pos_last);
	nft_jw_array_begin(&jw, "subrequests");
	for (i = 0; i < r->nr_sreq_slots; i++) {
		const struct nft_subreq *s = r->sreqs[i];

		if (!s)
			continue;
		nft_jw_object_begin(&jw, NULL);
		json_sreq_fields(&jw, s);
		nft_jw_end(&jw);
	}
	nft_jw_end(&jw);
	nft_jw_strf(&jw, "object", "R=%08x", r->id);
	nft_jw_str(&jw, "kind", "request");
	nft_view_ledger_json(&jw, &r->refs);
	nft_view_lines_json(&jw, m);
	nft_jw_end(&jw);
	fputc('\n', out);
}

/* ---- one subrequest (-R R=ID[n]) ---- */

static const struct nft_subreq *focus_sreq(const struct nft_request *r,
					   int32_t index)
{
	if (!r || index < 0 || (uint32_t)index >= r->nr_sreq_slots)
		return NULL;
	return r->sreqs[index];
}

/* The states it went through, where the model noted them. */
static int sreq_states(const struct nft_model *m, const struct nft_subreq *s,
		       const char **name, uint64_t *pos, uint64_t *ts)
{
	uint64_t pos_coll, ts_coll;
	int n = 0;

#define STATE(st, p, t)                                   \
	do {                                              \
		name[n] = nft_sreq_state_name(st);        \
		pos[n] = (p);                             \
		ts[n] = (t);                              \
		n++;                                      \
	} while (0)
	STATE(NFT_SS_SEEN, s->pos_first, s->t_first);
	if (s->pos_submit)
		STATE(NFT_SS_IN_FLIGHT, s->pos_submit, s->t_submit);
	if (s->pos_term)
		STATE(NFT_SS_TERMINATED, s->pos_term, s->t_term);
	if (nft_model_focus_collected(m, &pos_coll, &ts_coll))
		STATE(NFT_SS_COLLECTED, pos_coll, ts_coll);
	if (s->pos_free)
		STATE(NFT_SS_FREED, s->pos_free, s->t_free);
#undef STATE
	return n;
}

static void subreq_text(FILE *out, const struct nft_model *m,
			const struct nft_request *r,
			const struct nft_subreq *s)
{
	uint64_t pos[5], ts[5], end = sreq_end_ts(s);
	const char *name[5];
	char a[32], b[32], title[48];
	int n, k;

	nft_fmt_ts(a, sizeof(a), s->t_first);
	nft_fmt_ts(b, sizeof(b), end);
	fprintf(out, "subrequest: R=%08x[%x]\n", r->id, (unsigned int)s->index);
	fprintf(out, "request: R=%08x %s %s, %s\n", r->id,
		r->origin ? nft_sym_name(NFT_SYMC_ORIGIN, r->origin) : "--",
		nft_sym_name(r->is_write ? NFT_SYMC_WRITE_TRACE :
					   NFT_SYMC_READ_TRACE, r->op),
		nft_req_state_name(r->state));
	fprintf(out, "source: %s\n", nft_sym_name(NFT_SYMC_SOURCE, s->source));
	fprintf(out, "stream: %d (%s)\n", s->stream,
		stream_name(s->stream, r->is_write));
	fprintf(out, "range: 0x%" PRIx64 "-0x%" PRIx64 " (len 0x%" PRIx64 "), transferred 0x%" PRIx64 "\n",
		s->start, s->start + s->len, s->len, s->transferred);
	if (s->error)
		fprintf(out, "error: %d\n", s->error);
	fprintf(out, "state: %s\n", nft_sreq_state_name(s->state));
	fprintf(out, "life: %s - %s (%.3f ms), lines %" PRIu64 "-%" PRIu64 "\n",
		a, b, (double)(end - s->t_first) / 1e6, s->pos_first,
		s->pos_free ? s->pos_free : s->pos_last);
	fputs("\nstates:\n", out);
	n = sreq_states(m, s, name, pos, ts);
	for (k = 0; k < n; k++) {
		nft_fmt_ts(a, sizeof(a), ts[k]);
		fprintf(out, "  %-10s line %-8" PRIu64 " %s\n", name[k], pos[k],
			a);
	}
	fprintf(out, "\nissue cycles (%u; ms from the request's start, lines):\n",
		s->nr_cycles);
	for (k = 0; k < (int)s->nr_cycles && k < NFT_SREQ_CYCLES; k++) {
		const struct nft_sreq_cycle *c = &s->cycle[k];

		fprintf(out, "  #%d  %.3f -> ", k + 1,
			(double)(c->t_issue - r->t_new) / 1e6);
		if (c->t_term || c->pos_term)
			fprintf(out, "%.3f  lines %" PRIu64 "-%" PRIu64 "\n",
				(double)(c->t_term - r->t_new) / 1e6,
				c->pos_issue, c->pos_term);
		else
			fprintf(out, "(not terminated)  line %" PRIu64 "\n",
				c->pos_issue);
	}
	if (s->nr_cycles > NFT_SREQ_CYCLES)
		fprintf(out, "  ... %u more\n", s->nr_cycles - NFT_SREQ_CYCLES);
	fputs("\nref history:\n", out);
	snprintf(title, sizeof(title), "R=%08x[%x]", r->id,
		 (unsigned int)s->index);
	nft_view_ledger(out, title, &s->refs);
	nft_view_lines(out, m, false);
}

static void subreq_json(FILE *out, const struct nft_model *m,
			const struct nft_request *r,
			const struct nft_subreq *s)
{
	uint64_t pos[5], ts[5];
	const char *name[5];
	struct nft_jw jw;
	int n, k;

	nft_jw_init(&jw, out, NFT_JW_ONE_LINE);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_strf(&jw, "object", "R=%08x[%x]", r->id, (unsigned int)s->index);
	nft_jw_str(&jw, "kind", "subrequest");
	nft_jw_strf(&jw, "request", "%08x", r->id);
	json_sreq_fields(&jw, s);
	nft_jw_array_begin(&jw, "states");
	n = sreq_states(m, s, name, pos, ts);
	for (k = 0; k < n; k++) {
		nft_jw_object_begin(&jw, NULL);
		nft_jw_str(&jw, "state", name[k]);
		nft_jw_u64(&jw, "line", pos[k]);
		nft_jw_ts(&jw, "ts", ts[k]);
		nft_jw_end(&jw);
	}
	nft_jw_end(&jw);
	nft_jw_u64(&jw, "first_line", s->pos_first);
	nft_jw_u64(&jw, "last_line", s->pos_free ? s->pos_free : s->pos_last);
	nft_view_lines_json(&jw, m);
	nft_jw_end(&jw);
	fputc('\n', out);
}

static int report_subreq(FILE *out, const struct nft_model *m, int32_t index,
			 bool brief, bool json)
{
	const struct nft_request *r = nft_model_focus(m);
	const struct nft_subreq *s = focus_sreq(r, index);

	if (!s)
		return -1;
	if (json)
		subreq_json(out, m, r, s);
	else if (brief)
		nft_view_lines(out, m, true);
	else
		subreq_text(out, m, r, s);
	return 0;
}

int nft_report_request(FILE *out, const struct nft_model *m, bool brief,
		       bool json)
{
	const struct nft_request *r = nft_model_focus(m);

	if (!r)
		return -1;
	if (json) {
		json_request(out, m, r);
		return 0;
	}
	if (brief) {
		nft_view_lines(out, m, true);
		return 0;
	}
	header(out, m, r);
	subreq_table(out, r);
	byte_map(out, r);
	time_line(out, r);
	reissues(out, r);
	ref_history(out, r);
	nft_view_lines(out, m, false);
	return 0;
}

int nft_report_focus(FILE *out, const struct nft_model *m, bool brief,
		     bool json)
{
	struct nft_focus f = nft_model_focus_of(m);

	if (f.type == NFT_FOCUS_OLD_COOKIE)
		return nft_report_old_cookie(out, m, brief, json);
	if (nft_model_focus_fs(m))
		return nft_report_fsobj(out, m, brief, json);
	if (f.type == NFT_FOCUS_SUBREQ)
		return report_subreq(out, m, f.index, brief, json);
	return nft_report_request(out, m, brief, json);
}
