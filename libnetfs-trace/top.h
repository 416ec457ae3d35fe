/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netfs-top's data: what the model says, cut into intervals.  Rows per
 * inode, per request origin and per cookie (all three kept at once, so
 * cycling the grouping costs nothing), rates over the last interval,
 * latency percentiles from bounded log-linear histograms, the findings as
 * they appear, and a bounded history of recent events from which one
 * request's timeline can be drawn again.  The TUI (tui/) and the batch
 * writers (report/top_out.h) read it through the calls below; neither
 * computes anything, and the aggregator keeps its state.
 */
#ifndef NFT_TOP_H
#define NFT_TOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

enum nft_top_group {
	NFT_TOP_BY_INODE,
	NFT_TOP_BY_ORIGIN,
	NFT_TOP_BY_COOKIE,
	NFT_TOP_GROUP__NR
};

const char *nft_top_group_name(enum nft_top_group g);	/* "inode" ... */

/*
 * Log-linear latency histogram: exact below 8 ns, then 8 buckets per power
 * of two up to 2^40 ns (18 minutes); anything longer lands in the last
 * bucket.  Percentiles are within 12.5% of the true value.
 */
#define NFT_HIST_SUB 8
#define NFT_HIST_MAX_EXP 40
#define NFT_HIST_BUCKETS (NFT_HIST_SUB * (NFT_HIST_MAX_EXP - 2))

struct nft_hist {
	uint32_t b[NFT_HIST_BUCKETS];
	uint64_t n;
	uint64_t max;
};

void nft_hist_add(struct nft_hist *h, uint64_t v);
/* Value at quantile @q (0..1), an upper bound of its bucket; 0 if empty. */
uint64_t nft_hist_quantile(const struct nft_hist *h, double q);

struct nft_top_counts {
	uint64_t reqs;		/* requests that ended */
	uint64_t rd_bytes, wr_bytes;
	uint64_t subreqs, retries, fails;
};

#define NFT_TOP_RECENT 16

/* A request that ended, as remembered for the drill-down. */
struct nft_top_req {
	uint32_t id;
	uint16_t origin;
	bool is_write, uncertain, ended;
	uint64_t ino, start, len, bytes;
	uint32_t subreqs, retries, failures;
	uint64_t t_new, t_end;	/* t_end 0: still in flight */
};

struct nft_top_row {
	uint64_t key;		/* inode, origin, cookie; NFT_TOP_OTHER */
	char name[24];		/* key as shown: "1234", "RA", "c=00000046" */
	struct nft_top_counts total;
	struct nft_top_counts last;	/* over the last closed interval */
	struct nft_top_counts cur;	/* the interval being filled */
	struct nft_hist lat;	/* request latency, whole run */
	uint32_t in_flight;	/* at the last tick */
	uint64_t oldest_ns;	/* t_new of its oldest in-flight request */
	uint64_t last_ns;
	struct nft_top_req recent[NFT_TOP_RECENT];	/* ring, newest at head-1 */
	uint32_t recent_head, nr_recent;
};

/* Rows beyond the cap are folded into one row with this key. */
#define NFT_TOP_OTHER UINT64_MAX

/* The header: totals and the rates of the last interval. */
struct nft_top_header {
	double secs;		/* interval length */
	uint64_t now_ns;
	struct nft_summary total;	/* cumulative, as netfs-replay */
	struct nft_summary delta;	/* counts over the interval */
	uint64_t in_flight;
	uint64_t oldest_age_ns;	/* of the oldest in-flight request */
	uint32_t oldest_id;
	uint64_t findings;
	uint64_t intervals;
	/* NFT_NOTE_* bits first set in the interval (the object bound ...) */
	uint32_t new_notes;
};

/* A finding as remembered for the findings pane (newest kept). */
struct nft_top_finding {
	enum nft_finding_kind kind;
	enum nft_severity severity;
	bool uncertain;
	uint64_t ts_ns;
	char object[NFT_OBJECT_LEN];
	char message[160];
};

enum nft_top_col {
	NFT_TOP_COL_KEY,
	NFT_TOP_COL_REQS,	/* requests/s */
	NFT_TOP_COL_RD,		/* read bytes/s */
	NFT_TOP_COL_WR,		/* written bytes/s */
	NFT_TOP_COL_SUBREQ,	/* subrequests, total */
	NFT_TOP_COL_RETRY,
	NFT_TOP_COL_FAIL,
	NFT_TOP_COL_INFL,
	NFT_TOP_COL_P50,
	NFT_TOP_COL_P99,
	NFT_TOP_COL_MAX,
	NFT_TOP_COL__NR
};

const char *nft_top_col_name(enum nft_top_col c);	/* "REQ/s" ... */

struct nft_top_opts {
	uint32_t max_rows;	/* per grouping, 0 = 4096 */
	uint32_t history;	/* events kept for drill-down, 0 = 32768 */
	uint32_t max_findings;	/* remembered for the pane, 0 = 256 */
};

struct nft_top;

struct nft_top *nft_top_new(const struct nft_top_opts *opts);
void nft_top_free(struct nft_top *t);

/* Fill the model hooks so that the model reports to @t. */
void nft_top_hooks(struct nft_top *t, struct nft_model_hooks *hooks);
/* The model built with those hooks (not owned). */
void nft_top_attach(struct nft_top *t, struct nft_model *m);

/* A sink: remember @ev for the drill-down, then feed the model. */
int nft_top_event(void *top, const struct nft_event *ev);

/*
 * Close the interval: @now_ns is "now" on the trace clock (ages of
 * in-flight requests), @secs the interval's length (rates).
 */
void nft_top_tick(struct nft_top *t, uint64_t now_ns, double secs);

const struct nft_top_header *nft_top_header(const struct nft_top *t);

/* How many rows grouping @g has (with "(other)", if rows were folded). */
size_t nft_top_nr_rows(const struct nft_top *t, enum nft_top_group g);

/*
 * Rows of grouping @g sorted by @col (descending unless @ascending; ties:
 * most requests overall, then the key), only those whose name contains
 * @filter (NULL = all), into @out, which has room for nft_top_nr_rows().
 * Returns the count; the rows are @t's, valid until the next tick.
 */
size_t nft_top_sort_rows(const struct nft_top *t, enum nft_top_group g,
			 enum nft_top_col col, bool ascending,
			 const char *filter, const struct nft_top_row **out);

/*
 * The same into an array owned by @t, valid until the next call or tick
 * (the TUI's).
 */
size_t nft_top_rows(struct nft_top *t, enum nft_top_group g,
		    enum nft_top_col col, bool ascending, const char *filter,
		    const struct nft_top_row ***rows);

/* A row's value for a column (rates per second over the last interval). */
double nft_top_value(const struct nft_top *t, const struct nft_top_row *r,
		     enum nft_top_col c);

/* Findings for the pane: how many are kept, and the @i-th newest. */
size_t nft_top_nr_findings(const struct nft_top *t);
const struct nft_top_finding *nft_top_finding_at(const struct nft_top *t,
					       size_t i);

/*
 * Requests of row @r: its in-flight ones (from the model) then its recent
 * ended ones, newest first.  Fills at most @max; returns the count.
 */
size_t nft_top_row_requests(const struct nft_top *t, enum nft_top_group g,
			    const struct nft_top_row *r,
			    struct nft_top_req *out, size_t max);

/*
 * Draw request @id as netfs-replay -R does, from the event history.
 * Returns 0, or -1 if the history no longer holds it.
 */
int nft_top_request_report(const struct nft_top *t, uint32_t id, FILE *out);

/*
 * The findings of the last closed interval: first the model's kept ones
 * that came in it (nft_model_findings() order), then those past the
 * model's per-kind cap, copied when they came (at most max_findings;
 * @not_listed, if not NULL, gets how many more were only counted).
 * nft_top_interval_finding() returns the @i-th (NULL past the count),
 * valid until the next tick.
 */
size_t nft_top_interval_findings(const struct nft_top *t,
				 uint64_t *not_listed);
const struct nft_finding *nft_top_interval_finding(const struct nft_top *t,
						   size_t i);

/*
 * A whole capture held in memory, so that replay mode can hand it to the
 * model at the recorded speed (decoders push everything at once).
 */
struct nft_evbuf;
struct nft_evbuf *nft_evbuf_new(void);
void nft_evbuf_free(struct nft_evbuf *b);
int nft_evbuf_add(void *evbuf, const struct nft_event *ev);	/* a sink */
size_t nft_evbuf_len(const struct nft_evbuf *b);
/* Event @i, its pointers fixed up; valid until the next call. */
const struct nft_event *nft_evbuf_get(struct nft_evbuf *b, size_t i);

/* Human "12.3M" byte rate / "1.2ms" duration. */
void nft_top_fmt_bytes(char *buf, size_t sz, double v);
void nft_top_fmt_ns(char *buf, size_t sz, uint64_t ns);

#endif /* NFT_TOP_H */
