// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top's aggregator.  The model tells us when a request ends (hook)
 * and which are in flight (walk at every tick); the header comes from the
 * model's summary, differenced between ticks, so it counts exactly what
 * netfs-replay's summary counts.  Memory is bounded: rows per grouping are
 * capped (the rest fold into "other"), histograms have fixed buckets, the
 * findings pane and the event history are rings.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"
#include "vocab.h"
#include "report/report.h"

/* ---- histogram ---- */

static unsigned int hist_bucket(uint64_t v)
{
	unsigned int e, b;

	if (v < NFT_HIST_SUB)
		return (unsigned int)v;
	e = 63 - __builtin_clzll(v);		/* 3 .. 63 */
	if (e > NFT_HIST_MAX_EXP)
		return NFT_HIST_BUCKETS - 1;
	/* The 3 bits below the leading one pick the sub-bucket. */
	b = NFT_HIST_SUB * (e - 2) + (unsigned int)((v >> (e - 3)) & 7);
	return b < NFT_HIST_BUCKETS ? b : NFT_HIST_BUCKETS - 1;
}

/* Largest value that lands in bucket @b. */
static uint64_t bucket_top(unsigned int b)
{
	unsigned int e, sub;

	if (b < NFT_HIST_SUB)
		return b;
	e = b / NFT_HIST_SUB + 2;
	sub = b % NFT_HIST_SUB;
	return ((uint64_t)(NFT_HIST_SUB + sub + 1) << (e - 3)) - 1;
}

void nft_hist_add(struct nft_hist *h, uint64_t v)
{
	h->b[hist_bucket(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

uint64_t nft_hist_quantile(const struct nft_hist *h, double q)
{
	uint64_t want, seen = 0;
	unsigned int i;

	if (!h->n)
		return 0;
	want = (uint64_t)ceil(q * (double)h->n);
	if (!want)
		want = 1;
	for (i = 0; i < NFT_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want) {
			/* The last bucket is open-ended: its top is the max. */
			uint64_t top = i == NFT_HIST_BUCKETS - 1 ? h->max :
				       bucket_top(i);

			return top < h->max ? top : h->max;
		}
	}
	return h->max;
}

/* ---- the aggregator ---- */

struct group {
	struct nft_top_row *rows;
	uint32_t n, cap;
	uint32_t *hash;		/* open addressing: row index + 1, 0 = free */
	uint32_t hash_size;	/* power of two, > 2 * max rows */
	const struct nft_top_row **sorted;
};

struct hist_ev {
	struct nft_event ev;
	char comm[16];
	char name[40];
};

struct nft_top {
	struct nft_top_opts o;
	struct nft_model *model;
	struct group g[NFT_TOP_GROUP__NR];
	struct nft_top_header hdr;
	struct nft_summary prev;
	struct nft_top_finding *findings;	/* ring */
	uint32_t f_head, f_n;
	struct hist_ev *hist;			/* ring */
	uint32_t h_head, h_n;
	/*
	 * The interval's findings: [f_lo, f_hi) of the model's array, and
	 * copies of those it counted but did not keep (its per-kind cap,
	 * model.h), taken when they came (at most max_findings; the rest
	 * only counted).  cur fills, last is the closed interval's.
	 */
	size_t f_lo, f_hi;
	struct unkept {
		struct nft_finding *v;
		uint32_t n;
		uint64_t dropped;
	} unkept[2];
	unsigned int cur;	/* unkept[cur] fills */
};

static const char *const group_names[] = { "inode", "origin", "cookie" };

static const char *const col_names[] = {
	"KEY", "REQ/s", "RD/s", "WR/s", "SUBREQ", "RETRY", "FAIL", "INFL",
	"P50", "P99", "MAX",
};

const char *nft_top_group_name(enum nft_top_group g)
{
	return g < NFT_TOP_GROUP__NR ? group_names[g] : "?";
}

const char *nft_top_col_name(enum nft_top_col c)
{
	return c < NFT_TOP_COL__NR ? col_names[c] : "?";
}

struct nft_top *nft_top_new(const struct nft_top_opts *opts)
{
	struct nft_top *t = calloc(1, sizeof(*t));
	int i;

	if (!t)
		return NULL;
	if (opts)
		t->o = *opts;
	if (!t->o.max_rows)
		t->o.max_rows = 4096;
	if (!t->o.history)
		t->o.history = 32768;
	if (!t->o.max_findings)
		t->o.max_findings = 256;
	for (i = 0; i < NFT_TOP_GROUP__NR; i++) {
		struct group *g = &t->g[i];

		g->hash_size = 16;
		while (g->hash_size < 2 * (t->o.max_rows + 1))
			g->hash_size *= 2;
		g->hash = calloc(g->hash_size, sizeof(*g->hash));
		if (!g->hash)
			goto fail;
	}
	t->findings = calloc(t->o.max_findings, sizeof(*t->findings));
	t->hist = calloc(t->o.history, sizeof(*t->hist));
	if (!t->findings || !t->hist)
		goto fail;
	for (i = 0; i < 2; i++) {
		t->unkept[i].v = calloc(t->o.max_findings,
					sizeof(*t->unkept[i].v));
		if (!t->unkept[i].v)
			goto fail;
	}
	return t;
fail:
	nft_top_free(t);
	errno = ENOMEM;
	return NULL;
}

static void unkept_clear(struct unkept *u)
{
	uint32_t i;

	for (i = 0; i < u->n; i++)
		nft_finding_release(&u->v[i]);
	u->n = 0;
	u->dropped = 0;
}

void nft_top_free(struct nft_top *t)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < NFT_TOP_GROUP__NR; i++) {
		free(t->g[i].rows);
		free(t->g[i].hash);
		free(t->g[i].sorted);
	}
	for (i = 0; i < 2; i++) {
		unkept_clear(&t->unkept[i]);
		free(t->unkept[i].v);
	}
	free(t->findings);
	free(t->hist);
	free(t);
}

static void row_name(enum nft_top_group g, uint64_t key, char *buf, size_t sz)
{
	if (key == NFT_TOP_OTHER)
		snprintf(buf, sz, "(other)");
	else if (g == NFT_TOP_BY_INODE)
		snprintf(buf, sz, "%" PRIu64, key);
	else if (g == NFT_TOP_BY_ORIGIN)
		snprintf(buf, sz, "%s", key ? nft_sym_name(NFT_SYMC_ORIGIN, (int)key) : "?");
	else if (key)
		snprintf(buf, sz, "c=%08" PRIx64, key);
	else
		snprintf(buf, sz, "(no cookie)");
}

static uint64_t key_of(enum nft_top_group g, const struct nft_request *req)
{
	switch (g) {
	case NFT_TOP_BY_INODE:
		return req->ino;
	case NFT_TOP_BY_ORIGIN:
		return req->origin;
	default:
		return req->cookie;
	}
}

static struct nft_top_row *find_row(struct nft_top *t, enum nft_top_group gi,
				    uint64_t key, bool create)
{
	struct group *g = &t->g[gi];
	uint32_t mask = g->hash_size - 1;
	uint32_t h = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & mask;
	struct nft_top_row *r;

	for (;; h = (h + 1) & mask) {
		uint32_t idx = g->hash[h];

		if (!idx)
			break;
		if (g->rows[idx - 1].key == key)
			return &g->rows[idx - 1];
	}
	if (!create)
		return NULL;
	if (g->n >= t->o.max_rows && key != NFT_TOP_OTHER)
		return find_row(t, gi, NFT_TOP_OTHER, true);
	if (g->n == g->cap) {
		uint32_t cap = g->cap ? g->cap * 2 : 64;
		void *p = realloc(g->rows, cap * sizeof(*g->rows));

		if (!p)
			return NULL;
		g->rows = p;
		g->cap = cap;
		p = realloc(g->sorted, cap * sizeof(*g->sorted));
		if (!p)
			return NULL;
		g->sorted = p;
	}
	r = &g->rows[g->n];
	memset(r, 0, sizeof(*r));
	r->key = key;
	row_name(gi, key, r->name, sizeof(r->name));
	g->hash[h] = ++g->n;
	return r;
}

static void fill_req(struct nft_top_req *q, const struct nft_request *req)
{
	q->id = req->id;
	q->origin = req->origin;
	q->is_write = req->is_write;
	q->uncertain = req->uncertain;
	q->ino = req->ino;
	q->start = req->start;
	q->len = req->len;
	q->bytes = req->bytes;
	q->subreqs = req->nr_sreqs;
	q->retries = req->retries;
	q->failures = req->failures;
	q->t_new = req->t_new;
	q->t_end = req->t_done ? req->t_done : req->t_free ? req->t_free :
		   req->t_last;
	q->ended = req->state != NFT_REQ_ACTIVE;
}

static void on_request_end(void *ctx, const struct nft_request *req)
{
	struct nft_top *t = ctx;
	struct nft_top_req q = { 0 };
	int gi;

	/* evicted by the object bound: it did not end, it left the model */
	if (req->evicted)
		return;
	fill_req(&q, req);
	q.ended = true;
	for (gi = 0; gi < NFT_TOP_GROUP__NR; gi++) {
		struct nft_top_row *r = find_row(t, gi, key_of(gi, req), true);

		if (!r)
			continue;
		r->cur.reqs++;
		r->total.reqs++;
		if (req->is_write) {
			r->cur.wr_bytes += req->bytes;
			r->total.wr_bytes += req->bytes;
		} else {
			r->cur.rd_bytes += req->bytes;
			r->total.rd_bytes += req->bytes;
		}
		r->cur.subreqs += req->nr_sreqs;
		r->total.subreqs += req->nr_sreqs;
		r->cur.retries += req->retries;
		r->total.retries += req->retries;
		r->cur.fails += req->failures;
		r->total.fails += req->failures;
		if (req->t_new && q.t_end >= req->t_new)
			nft_hist_add(&r->lat, q.t_end - req->t_new);
		r->last_ns = q.t_end;
		r->recent[r->recent_head] = q;
		r->recent_head = (r->recent_head + 1) % NFT_TOP_RECENT;
		if (r->nr_recent < NFT_TOP_RECENT)
			r->nr_recent++;
	}
}

/*
 * A finding the model will not keep: a copy of it for the interval (the
 * hook's finding dies when the hook returns).
 */
static void keep_unkept(struct nft_top *t, const struct nft_finding *f)
{
	struct unkept *u = &t->unkept[t->cur];
	const struct nft_finding *kept;
	struct nft_finding *c;
	size_t n;

	if (!t->model)
		return;
	kept = nft_model_findings(t->model, &n);
	if (n && f >= kept && f < kept + n)
		return;		/* in the model's array: read from there */
	if (u->n >= t->o.max_findings) {
		u->dropped++;
		return;
	}
	c = &u->v[u->n];
	*c = *f;
	c->message = f->message ? strdup(f->message) : NULL;
	c->evidence = f->n_evidence ?
		      malloc(f->n_evidence * sizeof(*f->evidence)) : NULL;
	if ((f->message && !c->message) || (f->n_evidence && !c->evidence)) {
		nft_finding_release(c);
		return;		/* out of memory: as before, not listed */
	}
	if (c->evidence)
		memcpy(c->evidence, f->evidence,
		       f->n_evidence * sizeof(*f->evidence));
	u->n++;
}

static void on_finding(void *ctx, const struct nft_finding *f)
{
	struct nft_top *t = ctx;
	struct nft_top_finding *d = &t->findings[t->f_head];

	d->kind = f->kind;
	d->severity = f->severity;
	d->uncertain = f->uncertain;
	d->ts_ns = f->ts_ns;
	snprintf(d->object, sizeof(d->object), "%s", f->object);
	snprintf(d->message, sizeof(d->message), "%s",
		 f->message ? f->message : "");
	t->f_head = (t->f_head + 1) % t->o.max_findings;
	if (t->f_n < t->o.max_findings)
		t->f_n++;
	t->hdr.findings++;
	keep_unkept(t, f);
}

void nft_top_hooks(struct nft_top *t, struct nft_model_hooks *hooks)
{
	hooks->finding = on_finding;
	hooks->request_end = on_request_end;
	hooks->ctx = t;
}

void nft_top_attach(struct nft_top *t, struct nft_model *m)
{
	t->model = m;
}

static void copy_ev(struct hist_ev *h, const struct nft_event *ev);

int nft_top_event(void *top, const struct nft_event *ev)
{
	struct nft_top *t = top;
	struct hist_ev *h = &t->hist[t->h_head];

	/* Keep a self-contained copy: the decoder's pointers die after this. */
	copy_ev(h, ev);
	t->h_head = (t->h_head + 1) % t->o.history;
	if (t->h_n < t->o.history)
		t->h_n++;
	return nft_model_event(t->model, ev);
}

struct walk {
	struct nft_top *t;
	uint64_t now;
};

static int count_in_flight(void *ctx, const struct nft_request *req)
{
	struct walk *w = ctx;
	int gi;

	if (req->state != NFT_REQ_ACTIVE)
		return 0;
	w->t->hdr.in_flight++;
	if (req->t_new && w->now > req->t_new &&
	    w->now - req->t_new > w->t->hdr.oldest_age_ns) {
		w->t->hdr.oldest_age_ns = w->now - req->t_new;
		w->t->hdr.oldest_id = req->id;
	}
	for (gi = 0; gi < NFT_TOP_GROUP__NR; gi++) {
		struct nft_top_row *r = find_row(w->t, gi, key_of(gi, req), true);

		if (!r)
			continue;
		if (!r->in_flight || req->t_new < r->oldest_ns)
			r->oldest_ns = req->t_new;
		r->in_flight++;
	}
	return 0;
}

#define DIFF(f) (d->f = s->f - p->f)

static void diff_summary(struct nft_summary *d, const struct nft_summary *s,
			 const struct nft_summary *p)
{
	int i;

	*d = *s;
	DIFF(events);
	DIFF(other_events);
	DIFF(lost_markers);
	DIFF(lost_events);
	DIFF(requests);
	DIFF(write_iters);
	DIFF(subreqs);
	DIFF(bytes_read);
	DIFF(bytes_written);
	DIFF(bytes_cache_read);
	DIFF(bytes_cache_written);
	DIFF(retries);
	DIFF(failures);
	DIFF(cookies);
	DIFF(cache_objects);
	DIFF(reused_ids);
	for (i = 0; i < NFT_ORIGIN__NR; i++)
		DIFF(requests_by_origin[i]);
	for (i = 0; i < NFT_SRC__NR; i++) {
		DIFF(subreqs_by_source[i]);
		DIFF(subreq_failed_by_source[i]);
	}
	for (i = 0; i < NFT_RD__NR; i++)
		DIFF(read_ops[i]);
	for (i = 0; i < NFT_WR__NR; i++)
		DIFF(write_ops[i]);
}

void nft_top_tick(struct nft_top *t, uint64_t now_ns, double secs)
{
	const struct nft_summary *s = nft_model_summary(t->model);
	struct walk w = { t, now_ns };
	uint32_t gi, i;

	t->hdr.secs = secs > 0 ? secs : 1;
	t->hdr.now_ns = now_ns;
	t->hdr.total = *s;
	diff_summary(&t->hdr.delta, s, &t->prev);
	t->hdr.new_notes = s->notes & ~t->prev.notes &
			   (NFT_NOTE_EVICTED | NFT_NOTE_FINDINGS_CAPPED);
	t->prev = *s;
	t->hdr.intervals++;
	t->f_lo = t->f_hi;
	nft_model_findings(t->model, &t->f_hi);
	t->cur ^= 1;
	unkept_clear(&t->unkept[t->cur]);
	for (gi = 0; gi < NFT_TOP_GROUP__NR; gi++)
		for (i = 0; i < t->g[gi].n; i++) {
			struct nft_top_row *r = &t->g[gi].rows[i];

			r->last = r->cur;
			memset(&r->cur, 0, sizeof(r->cur));
			r->in_flight = 0;
			r->oldest_ns = 0;
		}
	t->hdr.in_flight = 0;
	t->hdr.oldest_age_ns = 0;
	t->hdr.oldest_id = 0;
	nft_model_for_each_request(t->model, count_in_flight, &w);
}

const struct nft_top_header *nft_top_header(const struct nft_top *t)
{
	return &t->hdr;
}

double nft_top_value(const struct nft_top *t, const struct nft_top_row *r,
		     enum nft_top_col c)
{
	double secs = t->hdr.secs > 0 ? t->hdr.secs : 1;

	switch (c) {
	case NFT_TOP_COL_REQS: return r->last.reqs / secs;
	case NFT_TOP_COL_RD: return r->last.rd_bytes / secs;
	case NFT_TOP_COL_WR: return r->last.wr_bytes / secs;
	case NFT_TOP_COL_SUBREQ: return (double)r->total.subreqs;
	case NFT_TOP_COL_RETRY: return (double)r->total.retries;
	case NFT_TOP_COL_FAIL: return (double)r->total.fails;
	case NFT_TOP_COL_INFL: return r->in_flight;
	case NFT_TOP_COL_P50: return (double)nft_hist_quantile(&r->lat, 0.5);
	case NFT_TOP_COL_P99: return (double)nft_hist_quantile(&r->lat, 0.99);
	case NFT_TOP_COL_MAX: return (double)r->lat.max;
	default: return 0;
	}
}

struct sort_ctx {
	const struct nft_top *t;
	enum nft_top_col col;
	bool asc;
};

static int cmp_rows(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct nft_top_row *x = *(const struct nft_top_row *const *)a;
	const struct nft_top_row *y = *(const struct nft_top_row *const *)b;
	int r = 0;

	if (c->col == NFT_TOP_COL_KEY) {
		r = x->key < y->key ? -1 : x->key > y->key;
	} else {
		double vx = nft_top_value(c->t, x, c->col);
		double vy = nft_top_value(c->t, y, c->col);

		r = vx < vy ? -1 : vx > vy;
	}
	if (!c->asc)
		r = -r;
	/* Ties: most requests overall first, then the key, for a stable screen. */
	if (!r)
		r = x->total.reqs > y->total.reqs ? -1 :
		    x->total.reqs < y->total.reqs;
	if (!r)
		r = x->key < y->key ? -1 : x->key > y->key;
	return r;
}

size_t nft_top_nr_rows(const struct nft_top *t, enum nft_top_group g)
{
	return g < NFT_TOP_GROUP__NR ? t->g[g].n : 0;
}

size_t nft_top_sort_rows(const struct nft_top *t, enum nft_top_group gi,
			 enum nft_top_col col, bool ascending,
			 const char *filter, const struct nft_top_row **out)
{
	const struct group *g = &t->g[gi];
	struct sort_ctx c = { t, col, ascending };
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < g->n; i++)
		if (!filter || !*filter || strstr(g->rows[i].name, filter))
			out[n++] = &g->rows[i];
	if (n > 1)
		qsort_r(out, n, sizeof(*out), cmp_rows, &c);
	return n;
}

size_t nft_top_rows(struct nft_top *t, enum nft_top_group gi,
		    enum nft_top_col col, bool ascending, const char *filter,
		    const struct nft_top_row ***rows)
{
	*rows = t->g[gi].sorted;
	return nft_top_sort_rows(t, gi, col, ascending, filter,
				 t->g[gi].sorted);
}

size_t nft_top_interval_findings(const struct nft_top *t,
				 uint64_t *not_listed)
{
	const struct unkept *u = &t->unkept[t->cur ^ 1];

	if (not_listed)
		*not_listed = u->dropped;
	return t->f_hi - t->f_lo + u->n;
}

const struct nft_finding *nft_top_interval_finding(const struct nft_top *t,
						   size_t i)
{
	const struct unkept *u = &t->unkept[t->cur ^ 1];
	const struct nft_finding *f;
	size_t n;

	if (i < t->f_hi - t->f_lo) {
		f = nft_model_findings(t->model, &n);
		return t->f_lo + i < n ? &f[t->f_lo + i] : NULL;
	}
	i -= t->f_hi - t->f_lo;
	return i < u->n ? &u->v[i] : NULL;
}

const struct nft_top_finding *nft_top_finding_at(const struct nft_top *t,
					       size_t i)
{
	if (i >= t->f_n)
		return NULL;
	return &t->findings[(t->f_head + t->o.max_findings - 1 - i) %
			    t->o.max_findings];
}

size_t nft_top_nr_findings(const struct nft_top *t)
{
	return t->f_n;
}

struct collect {
	enum nft_top_group g;
	uint64_t key;
	struct nft_top_req *out;
	size_t n, max;
};

static int collect_in_flight(void *ctx, const struct nft_request *req)
{
	struct collect *c = ctx;

	if (req->state == NFT_REQ_ACTIVE && key_of(c->g, req) == c->key &&
	    c->n < c->max) {
		fill_req(&c->out[c->n], req);
		c->out[c->n].t_end = 0;
		c->n++;
	}
	return c->n >= c->max;
}

size_t nft_top_row_requests(const struct nft_top *t, enum nft_top_group g,
			    const struct nft_top_row *r,
			    struct nft_top_req *out, size_t max)
{
	struct collect c = { g, r->key, out, 0, max };
	uint32_t i;

	nft_model_for_each_request(t->model, collect_in_flight, &c);
	for (i = 0; i < r->nr_recent && c.n < max; i++) {
		uint32_t at = (r->recent_head + NFT_TOP_RECENT - 1 - i) %
			      NFT_TOP_RECENT;

		out[c.n++] = r->recent[at];
	}
	return c.n;
}

int nft_top_request_report(const struct nft_top *t, uint32_t id, FILE *out)
{
	struct nft_model_opts mo = { 0 };
	struct nft_model *m;
	uint32_t i;
	int ret;

	mo.focus = (struct nft_focus){ .type = NFT_FOCUS_REQUEST, .id = id,
				       .index = -1 };
	mo.gen = nft_model_summary(t->model)->gen;
	m = nft_model_new(&mo);
	if (!m)
		return -1;
	for (i = 0; i < t->h_n; i++) {
		uint32_t at = (t->h_head + t->o.history - t->h_n + i) %
			      t->o.history;
		struct hist_ev h = t->hist[at];

		h.ev.comm = h.comm;
		h.ev.name = h.name;
		nft_model_event(m, &h.ev);
	}
	ret = nft_report_request(out, m, false, false);
	nft_model_free(m);
	return ret;
}

/* ---- whole captures in memory ---- */

struct nft_evbuf {
	struct hist_ev *v;
	size_t n, cap;
	struct nft_event cur;
};

struct nft_evbuf *nft_evbuf_new(void)
{
	return calloc(1, sizeof(struct nft_evbuf));
}

void nft_evbuf_free(struct nft_evbuf *b)
{
	if (b)
		free(b->v);
	free(b);
}

/* snprintf(dst, sz, "%s", src) without its cost: this runs per event. */
static void copy_str(char *dst, size_t sz, const char *src)
{
	size_t n = src ? strnlen(src, sz - 1) : 0;

	memcpy(dst, src, n);
	dst[n] = 0;
}

static void copy_ev(struct hist_ev *h, const struct nft_event *ev)
{
	h->ev = *ev;
	h->ev.raw = NULL;
	h->ev.raw_len = 0;
	h->ev.n_unknown = 0;
	copy_str(h->comm, sizeof(h->comm), ev->comm);
	copy_str(h->name, sizeof(h->name), ev->name);
}

int nft_evbuf_add(void *evbuf, const struct nft_event *ev)
{
	struct nft_evbuf *b = evbuf;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		void *p = realloc(b->v, cap * sizeof(*b->v));

		if (!p)
			return -1;
		b->v = p;
		b->cap = cap;
	}
	copy_ev(&b->v[b->n++], ev);
	return 0;
}

size_t nft_evbuf_len(const struct nft_evbuf *b)
{
	return b->n;
}

const struct nft_event *nft_evbuf_get(struct nft_evbuf *b, size_t i)
{
	if (i >= b->n)
		return NULL;
	b->cur = b->v[i].ev;
	b->cur.comm = b->v[i].comm;
	b->cur.name = b->v[i].name;
	return &b->cur;
}

/* ---- formatting ---- */

void nft_top_fmt_bytes(char *buf, size_t sz, double v)
{
	static const char units[] = "BKMGTP";
	int u = 0;

	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, sz, "%.0f", v);
	else
		snprintf(buf, sz, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

void nft_top_fmt_ns(char *buf, size_t sz, uint64_t ns)
{
	if (!ns)
		snprintf(buf, sz, "-");
	else if (ns < 1000)
		snprintf(buf, sz, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, sz, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, sz, "%.1fms", ns / 1e6);
	else
		snprintf(buf, sz, "%.2fs", ns / 1e9);
}
