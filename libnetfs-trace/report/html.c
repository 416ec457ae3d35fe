// SPDX-License-Identifier: GPL-2.0
/*
 * The HTML report (html.h, docs/html.md).
 *
 * Collection runs in the model's hooks: .event keeps each live request's
 * first and last lines (for the evidence of its findings and its
 * drill-down) and the time axis; .finding marks the request and keeps the
 * text of the evidence lines; .request_end decides what is kept of the
 * request: a row (while there are few), a detail record (findings, in
 * flight at the end, the slowest of its origin), and always its share of
 * the series (density per origin, bytes by source, latency histogram).
 *
 * The page is written at the end: no external resource, capture text
 * HTML-escaped, the script's data one JSON document (json_writer.h) with
 * '<', '>' and '&' written as \u escapes so that no capture text can close
 * the <script> element.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "html.h"
#include "json_writer.h"
#include "../idmap.h"
#include "../util.h"

#define H_BUCKETS 240		/* buckets of the series over time */
#define H_LINE 200		/* bytes of a raw line kept */
#define H_RING_HEAD 8		/* first lines of a request kept */
#define H_RING_TAIL 24		/* ... and its last lines */
#define H_RINGS_MAX 1024	/* live requests with lines kept at once */
#define H_GRING 4096		/* the most recent lines */
#define H_SUB_MAX 256		/* subrequests of a detail record */
#define H_REF_MAX 512		/* ref entries of a detail record */
#define H_BAD_MAX 2000		/* detail records of requests with findings */
#define H_INFLIGHT_MAX 500	/* ... of requests in flight at the end */
#define H_EVIDENCE 8		/* evidence lines shown per finding */
#define H_PENDING 64
#define H_BAD_LINES 20000	/* lines of requests with findings kept after */
#define H_LAT 64		/* log2 latency buckets */
#define H_LANES 48		/* lanes per origin at most */
#define PW 1200.0		/* width of the timeline plot, user units */

enum {
	H_SRC_SERVER, H_SRC_CACHE, H_SRC_ZERO, H_SRC_UPLOAD, H_SRC_CWRITE,
	H_NSRC
};
static const char *const h_src_name[H_NSRC] = {
	"server", "cache", "zero", "upload", "to cache"
};

#define H_NCOL (H_NSRC + NFT_ORIGIN__NR)

struct hline {
	uint64_t pos, ts;
	uint16_t len;
	char text[H_LINE];
};

struct hring {
	struct hline head[H_RING_HEAD];
	struct hline tail[H_RING_TAIL];
	uint32_t nhead;
	uint64_t ntail;
	struct hring *next_free;
};

struct hlive {
	uint64_t x_first;
	struct hring *ring;
	struct hlive *next_free;
};

/* One request as a timeline row. */
struct hrow {
	uint32_t id, reuse;
	uint16_t origin;
	uint8_t write, inflight;
	uint16_t bad;		/* first finding kind + 1, 0 = none */
	int32_t error;
	uint64_t x0, x1;
	uint64_t ino, start, len, bytes;
	uint32_t nsub;
};

struct hsub {
	int32_t index;
	int8_t stream;
	uint16_t source;
	uint8_t state;
	int32_t error;
	uint64_t start, len, transferred;
	uint64_t x_first, x_term, x_end;
	uint32_t ncyc, reissues;
	uint64_t cyc[NFT_SREQ_CYCLES][2];
};

struct href {
	uint64_t x, pos;
	int32_t printed;
	uint16_t cls, what;
	int8_t op;
};

enum { WHY_FINDING = 1, WHY_INFLIGHT = 2, WHY_SLOW = 4, WHY_FOCUS = 8 };

struct hdet {
	struct hrow row;
	unsigned int why;
	uint64_t dur;
	uint32_t flags;
	uint8_t state;
	struct hsub *subs;
	uint32_t nsub;
	struct href *refs;
	uint32_t nref, refs_dropped;
	struct hline *lines;
	uint32_t nlines;
	uint64_t lines_skipped;
};

struct hseries {
	bool started;
	uint64_t x0, w;
	uint64_t v[H_NCOL][H_BUCKETS];
};

struct nft_html {
	struct nft_html_opts o;
	struct nft_model_hooks prev;
	enum nft_gen gen;

	bool mode_set, ts_mode;
	uint64_t x_first, x_last;
	bool any_x;

	struct nft_idmap live;		/* request id -> struct hlive */
	struct hlive *free_live;
	struct hring *free_ring;
	uint32_t nrings;
	struct hline gring[H_GRING];
	uint64_t ngring;

	struct nft_idmap bad;		/* request id -> first finding kind + 1 */
	struct nft_idmap evtext;	/* line -> its text (char *) */
	uint64_t pending[H_PENDING];
	uint32_t bad_lines;
	uint32_t npending;

	struct hrow *rows;		/* every request, while few */
	size_t nrows, caprows;
	bool overflow;
	uint64_t requests;		/* request_end calls taken */

	struct hdet **det;		/* findings, in flight, focus */
	size_t ndet, capdet;
	uint32_t nbad, ninflight;
	uint64_t bad_not_kept, inflight_not_kept;
	struct hdet **slow;		/* [origin][opts.slowest] */

	/* while writing: detail records, a request's first finding row */
	struct nft_idmap det_by_key, det_by_id, first_f;

	struct hseries ser;
	uint64_t lat[NFT_ORIGIN__NR][H_LAT];
	uint64_t lat_n[NFT_ORIGIN__NR];
};

/* ---------------------------------------------------------------- collect */

/* the same choice as the summary's requests_by_origin (model.c) */
static int origin_of(const struct nft_request *req)
{
	int o = nft_request_origin(req);

	return o > 0 && o < NFT_ORIGIN__NR ? o : 0;
}

static const char *origin_name(int o)
{
	return o ? nft_sym_name(NFT_SYMC_ORIGIN, o) : "--";
}

static int src_col(unsigned int source)
{
	switch (source) {
	case NFT_SRC_DOWNLOAD:
		return H_SRC_SERVER;
	case NFT_SRC_CACHE_READ:
		return H_SRC_CACHE;
	case NFT_SRC_ZERO:
		return H_SRC_ZERO;
	case NFT_SRC_UPLOAD:
		return H_SRC_UPLOAD;
	case NFT_SRC_CACHE_WRITE:
		return H_SRC_CWRITE;
	}
	return -1;
}

/* The x of a model time: ns with timestamps, else the line number. */
static uint64_t hx(const struct nft_html *h, uint64_t ts, uint64_t pos)
{
	return h->ts_mode ? ts : pos;
}

static void ser_grow(struct hseries *s, uint64_t x)
{
	if (!s->started) {
		s->started = true;
		s->x0 = x;
		s->w = 1;
	}
	if (x < s->x0)
		return;
	while ((x - s->x0) / s->w >= H_BUCKETS) {
		for (int c = 0; c < H_NCOL; c++) {
			for (int i = 0; i < H_BUCKETS / 2; i++)
				s->v[c][i] = s->v[c][2 * i] + s->v[c][2 * i + 1];
			memset(&s->v[c][H_BUCKETS / 2], 0,
			       sizeof(s->v[c][0]) * (H_BUCKETS / 2));
		}
		s->w *= 2;
	}
}

static size_t ser_idx(const struct hseries *s, uint64_t x)
{
	size_t i;

	if (x < s->x0)
		return 0;
	i = (x - s->x0) / s->w;
	return i < H_BUCKETS ? i : H_BUCKETS - 1;
}

static void ser_point(struct hseries *s, int col, uint64_t x, uint64_t v)
{
	ser_grow(s, x);
	s->v[col][ser_idx(s, x)] += v;
}

/* Busy time of [a, b] into the buckets it covers (an instant counts 1). */
static void ser_span(struct hseries *s, int col, uint64_t a, uint64_t b)
{
	size_t i, ia, ib;

	ser_grow(s, b);
	if (a < s->x0)
		a = s->x0;
	if (b <= a) {
		s->v[col][ser_idx(s, a)] += 1;
		return;
	}
	ia = ser_idx(s, a);
	ib = ser_idx(s, b);
	for (i = ia; i <= ib; i++) {
		uint64_t lo = s->x0 + i * s->w, hi = lo + s->w;

		if (lo < a)
			lo = a;
		if (hi > b)
			hi = b;
		if (hi > lo)
			s->v[col][i] += hi - lo;
	}
}

static void line_copy(struct hline *l, const struct nft_event *ev)
{
	size_t n = ev->raw_len < H_LINE ? ev->raw_len : H_LINE;

	while (n && (ev->raw[n - 1] == '\n' || ev->raw[n - 1] == '\r'))
		n--;
	memcpy(l->text, ev->raw, n);
	l->len = (uint16_t)n;
	l->pos = ev->pos;
	l->ts = ev->ts_ns;
}

static void ring_push(struct hring *r, const struct nft_event *ev)
{
	if (r->nhead < H_RING_HEAD)
		line_copy(&r->head[r->nhead++], ev);
	else
		line_copy(&r->tail[r->ntail++ % H_RING_TAIL], ev);
}

static const struct hline *ring_find(const struct hring *r, uint64_t pos)
{
	uint64_t i, n;

	for (i = 0; i < r->nhead; i++)
		if (r->head[i].pos == pos)
			return &r->head[i];
	n = r->ntail < H_RING_TAIL ? r->ntail : H_RING_TAIL;
	for (i = 0; i < n; i++)
		if (r->tail[i].pos == pos)
			return &r->tail[i];
	return NULL;
}

static bool focus_request(const struct nft_html *h)
{
	return h->o.focus.type == NFT_FOCUS_REQUEST ||
	       h->o.focus.type == NFT_FOCUS_SUBREQ;
}

/* Is this request one the page shows (everything, or the -R one)? */
static bool wanted(const struct nft_html *h, uint32_t id)
{
	if (h->o.focus.type == NFT_FOCUS_NONE)
		return true;
	return focus_request(h) && h->o.focus.id == id;
}

static void keep_text(struct nft_html *h, uint64_t pos, const char *s,
		      size_t n)
{
	char *t;

	if (nft_idmap_get(&h->evtext, pos))
		return;
	t = strndup(s, n);
	if (t && nft_idmap_put(&h->evtext, pos, t))
		free(t);
}

static void on_event(void *ctx, const struct nft_event *ev,
		     const struct nft_request *req,
		     const struct nft_subreq *sreq)
{
	struct nft_html *h = ctx;
	struct hlive *lv = NULL;
	uint64_t x;

	if (h->prev.event)
		h->prev.event(h->prev.ctx, ev, req, sreq);
	if (ev->kind == NFT_EV_OTHER || ev->kind == NFT_EV_LOST)
		return;
	if (!h->mode_set) {
		h->mode_set = true;
		h->ts_mode = ev->have & NFT_HAVE_TS;
	}
	if (h->ts_mode)
		x = (ev->have & NFT_HAVE_TS) ? ev->ts_ns : h->x_last;
	else
		x = ev->pos;
	if (!h->any_x) {
		h->any_x = true;
		h->x_first = h->x_last = x;
	}
	if (x > h->x_last)
		h->x_last = x;
	ser_grow(&h->ser, x);

	if (h->npending && ev->raw) {
		for (uint32_t i = 0; i < h->npending; i++) {
			if (h->pending[i] != ev->pos)
				continue;
			keep_text(h, ev->pos, ev->raw,
				  ev->raw_len < H_LINE ? ev->raw_len : H_LINE);
			h->pending[i] = h->pending[--h->npending];
			i--;
		}
	}

	if (req && wanted(h, req->id)) {
		lv = nft_idmap_get(&h->live, req->id);
		if (!lv) {
			lv = h->free_live;
			if (lv)
				h->free_live = lv->next_free;
			else
				lv = malloc(sizeof(*lv));
			if (lv) {
				memset(lv, 0, sizeof(*lv));
				lv->x_first = x;
				if (nft_idmap_put(&h->live, req->id, lv)) {
					free(lv);
					lv = NULL;
				}
			}
			if (lv && h->nrings < H_RINGS_MAX) {
				lv->ring = h->free_ring;
				if (lv->ring)
					h->free_ring = lv->ring->next_free;
				else
					lv->ring = malloc(sizeof(*lv->ring));
				if (lv->ring) {
					lv->ring->nhead = 0;
					lv->ring->ntail = 0;
					h->nrings++;
				}
			}
		}
	}
	if (!ev->raw || !ev->raw_len)
		return;
	/* a finding's evidence may grow after it was raised: keep its lines */
	if (req && h->bad.len && h->bad_lines < H_BAD_LINES &&
	    nft_idmap_get(&h->bad, req->id)) {
		h->bad_lines++;
		keep_text(h, ev->pos, ev->raw,
			  ev->raw_len < H_LINE ? ev->raw_len : H_LINE);
	}
	if (lv && lv->ring)
		ring_push(lv->ring, ev);
	line_copy(&h->gring[h->ngring++ % H_GRING], ev);
}

static const struct hline *det_line(const struct hdet *d, uint64_t pos)
{
	for (uint32_t i = 0; i < d->nlines; i++)
		if (d->lines[i].pos == pos)
			return &d->lines[i];
	return NULL;
}

static void on_finding(void *ctx, const struct nft_finding *f)
{
	struct nft_html *h = ctx;
	struct hlive *lv = NULL;
	size_t i;

	if (h->prev.finding)
		h->prev.finding(h->prev.ctx, f);
	if (f->rreq) {
		if (!nft_idmap_get(&h->bad, f->rreq))
			nft_idmap_put(&h->bad, f->rreq,
				      (void *)(uintptr_t)(f->kind + 1));
		lv = nft_idmap_get(&h->live, f->rreq);
	}
	for (i = 0; i < f->n_evidence && i < H_EVIDENCE; i++) {
		uint64_t pos = f->evidence[i].pos, k;
		const struct hline *l = NULL;

		if (nft_idmap_get(&h->evtext, pos))
			continue;
		if (lv && lv->ring)
			l = ring_find(lv->ring, pos);
		for (k = 0; !l && k < H_GRING && k < h->ngring; k++)
			if (h->gring[k].pos == pos)
				l = &h->gring[k];
		/* a line of another request (bad-context sums up several) */
		for (k = 0; !l && k < h->live.cap; k++) {
			const struct hlive *o = h->live.vals[k];

			if (o && o->ring)
				l = ring_find(o->ring, pos);
		}
		for (k = 0; !l && k < h->ndet; k++)
			l = det_line(h->det[k], pos);
		if (l)
			keep_text(h, pos, l->text, l->len);
		else if (h->npending < H_PENDING)
			/* the line being read (its event hook comes next) */
			h->pending[h->npending++] = pos;
	}
}

static void det_free(struct hdet *d)
{
	if (!d)
		return;
	free(d->subs);
	free(d->refs);
	free(d->lines);
	free(d);
}

static struct hdet *det_make(struct nft_html *h, const struct nft_request *req,
			     const struct hrow *row, const struct hlive *lv)
{
	struct hdet *d = calloc(1, sizeof(*d));
	uint32_t i, n;

	if (!d)
		return NULL;
	d->row = *row;
	d->flags = req->flags;
	d->state = req->state;
	d->dur = row->x1 - row->x0;
	n = 0;
	for (i = 0; i < req->nr_sreq_slots; i++)
		n += req->sreqs[i] != NULL;
	if (n > H_SUB_MAX)
		n = H_SUB_MAX;
	d->subs = n ? calloc(n, sizeof(*d->subs)) : NULL;
	for (i = 0; d->subs && i < req->nr_sreq_slots && d->nsub < n; i++) {
		const struct nft_subreq *s = req->sreqs[i];
		struct hsub *o;

		if (!s)
			continue;
		o = &d->subs[d->nsub++];
		o->index = s->index;
		o->stream = s->stream;
		o->source = s->source;
		o->state = s->state;
		o->error = s->error;
		o->start = s->start;
		o->len = s->len;
		o->transferred = s->transferred;
		o->x_first = hx(h, s->t_first, s->pos_first);
		o->x_term = s->pos_term ? hx(h, s->t_term, s->pos_term) : 0;
		o->x_end = s->pos_free ? hx(h, s->t_free, s->pos_free) :
			   row->x1;
		o->reissues = s->reissues;
		o->ncyc = s->nr_cycles < NFT_SREQ_CYCLES ? s->nr_cycles :
			  NFT_SREQ_CYCLES;
		for (uint32_t c = 0; c < o->ncyc; c++) {
			o->cyc[c][0] = hx(h, s->cycle[c].t_issue,
					  s->cycle[c].pos_issue);
			o->cyc[c][1] = s->cycle[c].pos_term ?
				hx(h, s->cycle[c].t_term, s->cycle[c].pos_term) : 0;
		}
	}
	n = req->refs.n < H_REF_MAX ? req->refs.n : H_REF_MAX;
	d->refs = n ? calloc(n, sizeof(*d->refs)) : NULL;
	for (i = 0; d->refs && i < n; i++) {
		const struct nft_ref_entry *e = &req->refs.v[i];

		d->refs[i] = (struct href){ hx(h, e->ts_ns, e->pos), e->pos,
					    e->printed, e->cls, e->what, e->op };
	}
	d->nref = d->refs ? n : 0;
	d->refs_dropped = req->refs.n_entries - d->nref;
	if (lv && lv->ring) {
		const struct hring *r = lv->ring;
		uint64_t nt = r->ntail < H_RING_TAIL ? r->ntail : H_RING_TAIL;

		d->lines = calloc(r->nhead + nt + 1, sizeof(*d->lines));
		if (d->lines) {
			for (i = 0; i < r->nhead; i++)
				d->lines[d->nlines++] = r->head[i];
			for (uint64_t k = r->ntail - nt; k < r->ntail; k++)
				d->lines[d->nlines++] = r->tail[k % H_RING_TAIL];
			d->lines_skipped = r->ntail - nt;
		}
	}
	return d;
}

static int det_push(struct nft_html *h, struct hdet *d)
{
	if (nft_grow(&h->det, &h->capdet, h->ndet + 1, sizeof(*h->det)))
		return -1;
	h->det[h->ndet++] = d;
	return 0;
}

static void live_drop(struct nft_html *h, uint32_t id)
{
	struct hlive *lv = nft_idmap_del(&h->live, id);

	if (!lv)
		return;
	if (lv->ring) {
		lv->ring->next_free = h->free_ring;
		h->free_ring = lv->ring;
		h->nrings--;
	}
	lv->next_free = h->free_live;
	h->free_live = lv;
}

static void on_request_end(void *ctx, const struct nft_request *req)
{
	struct nft_html *h = ctx;
	struct hlive *lv;
	struct hrow row = { 0 };
	struct hdet *d;
	unsigned int why = 0;
	uint32_t i;
	int o;

	if (h->prev.request_end)
		h->prev.request_end(h->prev.ctx, req);
	if (!wanted(h, req->id)) {
		live_drop(h, req->id);
		return;
	}
	lv = nft_idmap_get(&h->live, req->id);
	o = origin_of(req);
	h->requests++;
	row.id = req->id;
	row.reuse = req->reuse;
	row.origin = (uint16_t)o;
	row.write = req->is_write;
	row.inflight = req->state != NFT_REQ_FREED && !req->evicted;
	row.bad = (uint16_t)(uintptr_t)nft_idmap_del(&h->bad, req->id);
	row.x0 = lv ? lv->x_first :
		 req->pos_new ? hx(h, req->t_new, req->pos_new) : h->x_last;
	row.x1 = req->state == NFT_REQ_FREED ?
		 hx(h, req->t_free, req->pos_free) : h->x_last;
	if (row.x1 < row.x0)
		row.x1 = row.x0;
	row.ino = req->ino;
	row.start = req->start;
	row.len = req->len;
	row.bytes = req->bytes;
	row.nsub = req->nr_sreqs;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		const struct nft_subreq *s = req->sreqs[i];
		int c;

		if (!s)
			continue;
		if (s->error < 0 && !row.error)
			row.error = s->error;
		c = src_col(s->source);
		if (c >= 0 && s->transferred)
			ser_point(&h->ser, c,
				  s->pos_term ? hx(h, s->t_term, s->pos_term) :
						row.x1, s->transferred);
	}
	ser_span(&h->ser, H_NSRC + o, row.x0, row.x1);
	if (h->ts_mode && req->state == NFT_REQ_FREED && row.x1 >= row.x0) {
		uint64_t dur = row.x1 - row.x0;
		int b = dur ? 63 - __builtin_clzll(dur) : 0;

		h->lat[o][b]++;
		h->lat_n[o]++;
	}
	if (!h->overflow) {
		if (h->nrows >= h->o.max_rows) {
			h->overflow = true;
			free(h->rows);
			h->rows = NULL;
			h->nrows = h->caprows = 0;
		} else if (!nft_grow(&h->rows, &h->caprows, h->nrows + 1,
				     sizeof(*h->rows))) {
			h->rows[h->nrows++] = row;
		}
	}

	if (focus_request(h))
		why |= WHY_FOCUS;
	if (row.bad) {
		if (h->nbad < H_BAD_MAX)
			why |= WHY_FINDING, h->nbad++;
		else
			h->bad_not_kept++;
	}
	if (row.inflight) {
		if (h->ninflight < H_INFLIGHT_MAX)
			why |= WHY_INFLIGHT, h->ninflight++;
		else
			h->inflight_not_kept++;
	}
	if (why) {
		d = det_make(h, req, &row, lv);
		if (d) {
			d->why = why;
			if (det_push(h, d))
				det_free(d);
		}
	} else if (h->slow && req->state == NFT_REQ_FREED) {
		struct hdet **slot = &h->slow[o * h->o.slowest], **min = NULL;
		uint64_t dur = row.x1 - row.x0;

		for (i = 0; i < h->o.slowest; i++) {
			if (!slot[i]) {
				min = &slot[i];
				break;
			}
			if (!min || slot[i]->dur < (*min)->dur)
				min = &slot[i];
		}
		if (min && (!*min || (*min)->dur < dur)) {
			d = det_make(h, req, &row, lv);
			if (d) {
				d->why = WHY_SLOW;
				det_free(*min);
				*min = d;
			}
		}
	}
	live_drop(h, req->id);
}

/* Hooks the page does not need, passed on to the ones chained. */
static void on_unknown(void *ctx, const struct nft_unknown *u)
{
	struct nft_html *h = ctx;

	h->prev.unknown(h->prev.ctx, u);
}

static void on_note(void *ctx, unsigned int note, const struct nft_summary *s)
{
	struct nft_html *h = ctx;

	h->prev.note(h->prev.ctx, note, s);
}

struct nft_html *nft_html_new(const struct nft_html_opts *opts,
			      struct nft_model_hooks *hooks)
{
	struct nft_html *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (opts)
		h->o = *opts;
	if (!h->o.max_rows)
		h->o.max_rows = NFT_HTML_MAX_ROWS;
	if (!h->o.slowest)
		h->o.slowest = NFT_HTML_SLOWEST;
	if (focus_request(h))
		h->o.slowest = 0;
	if (nft_idmap_init(&h->live, 64) || nft_idmap_init(&h->bad, 16) ||
	    nft_idmap_init(&h->evtext, 64))
		goto fail;
	if (h->o.slowest) {
		h->slow = calloc((size_t)NFT_ORIGIN__NR * h->o.slowest,
				 sizeof(*h->slow));
		if (!h->slow)
			goto fail;
	}
	h->prev = *hooks;
	hooks->event = on_event;
	hooks->finding = on_finding;
	hooks->request_end = on_request_end;
	hooks->unknown = h->prev.unknown ? on_unknown : NULL;
	hooks->note = h->prev.note ? on_note : NULL;
	hooks->ctx = h;
	return h;
fail:
	nft_html_free(h);
	errno = ENOMEM;
	return NULL;
}

static int free_text(void *v)
{
	free(v);
	return 0;
}

void nft_html_free(struct nft_html *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->live.cap; i++)
		if (h->live.vals && h->live.vals[i]) {
			struct hlive *lv = h->live.vals[i];

			free(lv->ring);
			free(lv);
		}
	while (h->free_live) {
		struct hlive *n = h->free_live->next_free;

		free(h->free_live);
		h->free_live = n;
	}
	while (h->free_ring) {
		struct hring *n = h->free_ring->next_free;

		free(h->free_ring);
		h->free_ring = n;
	}
	for (i = 0; i < h->evtext.cap; i++)
		if (h->evtext.vals && h->evtext.vals[i])
			free_text(h->evtext.vals[i]);
	nft_idmap_release(&h->live);
	nft_idmap_release(&h->bad);
	nft_idmap_release(&h->evtext);
	for (i = 0; i < h->ndet; i++)
		det_free(h->det[i]);
	free(h->det);
	if (h->slow)
		for (i = 0; i < (size_t)NFT_ORIGIN__NR * h->o.slowest; i++)
			det_free(h->slow[i]);
	free(h->slow);
	free(h->rows);
	free(h);
}

/* ------------------------------------------------------------------ write */

void nft_html_escape(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				fputc('?', out);
			else
				fputc(c, out);
		}
	}
}

static void esc(FILE *out, const char *s)
{
	if (s)
		nft_html_escape(out, s, strlen(s));
}

/* "12,345" */
static const char *grp(char *buf, size_t sz, uint64_t v)
{
	char t[32];
	int n = snprintf(t, sizeof(t), "%" PRIu64, v), i, o = 0;

	for (i = 0; i < n && o + 2 < (int)sz; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = 0;
	return buf;
}

/* A duration in x units: "1.25 ms", or "12 lines" without timestamps. */
static const char *fmt_dur(const struct nft_html *h, char *buf, size_t sz,
			   uint64_t d)
{
	if (!h->ts_mode)
		snprintf(buf, sz, "%" PRIu64 " line%s", d, d == 1 ? "" : "s");
	else if (d < 1000)
		snprintf(buf, sz, "%" PRIu64 " ns", d);
	else if (d < 1000000)
		snprintf(buf, sz, "%.3g us", d / 1e3);
	else if (d < 1000000000)
		snprintf(buf, sz, "%.3g ms", d / 1e6);
	else
		snprintf(buf, sz, "%.4g s", d / 1e9);
	return buf;
}

static const char *fmt_bytes(char *buf, size_t sz, double b)
{
	if (b < 1024)
		snprintf(buf, sz, "%.0f B", b);
	else if (b < 1024 * 1024)
		snprintf(buf, sz, "%.1f KiB", b / 1024);
	else if (b < 1024.0 * 1024 * 1024)
		snprintf(buf, sz, "%.1f MiB", b / 1024 / 1024);
	else
		snprintf(buf, sz, "%.2f GiB", b / 1024 / 1024 / 1024);
	return buf;
}

static void anchor(char *buf, size_t sz, uint32_t id, uint32_t reuse)
{
	if (reuse)
		snprintf(buf, sz, "R%08x-%u", id, reuse);
	else
		snprintf(buf, sz, "R%08x", id);
}

static const char css[] =
	"body{font:14px/1.4 sans-serif;margin:16px 24px;color:#222;background:#fff}"
	"h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ccc}"
	"h3{font-size:15px;margin:16px 0 4px}"
	"table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;vertical-align:top}"
	"table.summary th{font-weight:normal;color:#555;white-space:nowrap}"
	"table.findings td{border-top:1px solid #eee}"
	"tr.finding td{background:#fff4f0}tr.sev-critical td:first-child{color:#b00;font-weight:bold}"
	"tr.sev-error td:first-child{color:#d40}tr.sev-warning td:first-child{color:#a70}"
	"pre{margin:0;font:12px/1.35 monospace;white-space:pre-wrap;word-break:break-all}"
	"pre.ev{color:#333;padding-left:16px}"
	".note{color:#555;font-size:13px}"
	".tl{display:flex;border:1px solid #ccc}.tl svg{display:block}"
	".tl .plot{flex:1;cursor:grab;background:#fafafa}"
	".tlc button{margin-right:4px}"
	"#tl-axis{position:relative;height:18px;margin-left:130px;font:11px monospace;color:#555}"
	"#tl-axis span{position:absolute;transform:translateX(-50%);white-space:nowrap}"
	"rect.req{shape-rendering:crispEdges}"
	"rect.bad{stroke:#d00;stroke-width:2;vector-effect:non-scaling-stroke}"
	"rect.inflight{stroke:#000;stroke-dasharray:3 2;stroke-width:1;vector-effect:non-scaling-stroke}"
	"rect.fmark{fill:#d00}"
	"#tip{position:fixed;display:none;background:#ffe;border:1px solid #999;padding:4px 6px;"
	"font:12px monospace;white-space:pre;pointer-events:none;z-index:9}"
	".req-detail{border-top:1px solid #ddd;margin-top:12px}"
	".req-detail svg{display:block;max-width:1200px;width:100%;height:auto;background:#fafafa;margin:4px 0}"
	".lg span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}"
	"svg text{font:11px monospace;fill:#333}"
	".o0{fill:#888}.o1{fill:#4e79a7}.o2{fill:#59a14f}.o3{fill:#9c755f}.o4{fill:#76b7b2}"
	".o5{fill:#edc948}.o6{fill:#b07aa1}.o7{fill:#f28e2b}.o8{fill:#6b4c9a}.o9{fill:#ff9da7}"
	".o10{fill:#bab0ac}.o11{fill:#d37295}.o12{fill:#8cd17d}.o13{fill:#499894}.o14{fill:#86bcb6}"
	".s0{fill:#4e79a7}.s1{fill:#59a14f}.s2{fill:#f1ce63}.s3{fill:#f28e2b}.s4{fill:#b07aa1}"
	".sfail{fill:#e15759}.snone{fill:#ddd}.swait{fill:#ccc}";

/* Zoom (buttons, wheel), pan (drag) and hover of the timeline. */
static const char script[] =
	"(function(){'use strict';"
	"var D=JSON.parse(document.getElementById('nft-data').textContent);"
	"var p=document.getElementById('tl-plot'),ax=document.getElementById('tl-axis'),"
	"tip=document.getElementById('tip');"
	"if(p){var H=+p.getAttribute('data-h'),W=" "1200" ",v={x:0,w:W},drag=null,moved=false;"
	"function fx(u){return D.x0+(D.x1-D.x0)*u/W;}"
	"function lab(x){var d=x-D.x0;if(D.mode!=='ts')return 'line '+Math.round(x);"
	"return '+'+(d>=1e9?(d/1e9).toFixed(3)+' s':d>=1e6?(d/1e6).toFixed(3)+' ms':(d/1e3).toFixed(1)+' us');}"
	"function ticks(){while(ax.firstChild)ax.removeChild(ax.firstChild);"
	"for(var i=0;i<=6;i++){var s=document.createElement('span');s.style.left=(i/6*100)+'%';"
	"if(!i)s.style.transform='none';if(i===6)s.style.transform='translateX(-100%)';"
	"s.textContent=lab(fx(v.x+v.w*i/6));ax.appendChild(s);}}"
	"function set(x,w){if(w>W)w=W;if(w<W/1e6)w=W/1e6;if(x<0)x=0;if(x+w>W)x=W-w;v.x=x;v.w=w;"
	"p.setAttribute('viewBox',x+' 0 '+w+' '+H);ticks();}"
	"function zoom(f,c){var cx=v.x+v.w*(c===undefined?0.5:c);set(cx-(cx-v.x)*f,v.w*f);}"
	"document.getElementById('zin').onclick=function(){zoom(0.5);};"
	"document.getElementById('zout').onclick=function(){zoom(2);};"
	"document.getElementById('zreset').onclick=function(){set(0,W);};"
	"p.addEventListener('wheel',function(e){e.preventDefault();var r=p.getBoundingClientRect();"
	"zoom(e.deltaY<0?0.8:1.25,(e.clientX-r.left)/r.width);},{passive:false});"
	"p.addEventListener('mousedown',function(e){drag={cx:e.clientX,x:v.x};moved=false;});"
	"window.addEventListener('mouseup',function(){drag=null;});"
	"p.addEventListener('click',function(e){if(moved){e.preventDefault();moved=false;}},true);"
	"p.addEventListener('mousemove',function(e){"
	"if(drag){var r=p.getBoundingClientRect(),dx=(e.clientX-drag.cx)/r.width*v.w;"
	"if(Math.abs(e.clientX-drag.cx)>3)moved=true;set(drag.x-dx,v.w);}"
	"var i=e.target.getAttribute&&e.target.getAttribute('data-i');"
	"if(i===null||i===undefined){tip.style.display='none';return;}"
	"var q=D.rows[+i];"
	"tip.textContent='R='+q[0]+' '+q[1]+'  ino='+q[2]+'\\nrange '+q[3]+' +'+q[4]+"
	"'\\nduration '+q[5]+(q[6]?' (in flight at end)':'')+'\\nsubrequests '+q[7]+'  bytes '+q[8]+"
	"(q[9]?'\\nfinding: '+q[9]:'')+(q[10]?'\\nclick: drill-down':'');"
	"tip.style.left=(e.clientX+12)+'px';tip.style.top=(e.clientY+12)+'px';tip.style.display='block';});"
	"p.addEventListener('mouseleave',function(){tip.style.display='none';});"
	"set(0,W);}"
	"document.body.setAttribute('data-ready','1');})();";

/*
 * The text summary's "key: value" lines as a table (the same fields, laid
 * out once, in text.c); the lines under one (in flight, unknown symbols)
 * as rows of their own.
 */
static void write_summary(FILE *out, const struct nft_model *m,
			  const struct nft_report_input *in)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return;
	nft_report_text_summary(mem, m, in);
	if (fclose(mem)) {
		free(buf);
		return;
	}
	fputs("<table class=\"summary\" id=\"summary\">\n", out);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strstr(line, ": ");

		if (line[0] == ' ' || !colon) {
			fputs("<tr class=\"sub\"><th></th><td>", out);
			esc(out, line);
			fputs("</td></tr>\n", out);
			continue;
		}
		*colon = 0;
		fputs("<tr data-key=\"", out);
		esc(out, line);
		fputs("\"><th>", out);
		esc(out, line);
		fputs("</th><td>", out);
		esc(out, colon + 2);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	free(buf);
}

/* The detail records by (reuse, id), and by id alone (the latest). */
static void det_index(struct nft_html *h, struct hdet **v, size_t n)
{
	nft_idmap_init(&h->det_by_key, n * 2 + 16);
	nft_idmap_init(&h->det_by_id, n * 2 + 16);
	nft_idmap_init(&h->first_f, 16);
	for (size_t i = 0; i < n; i++) {
		nft_idmap_put(&h->det_by_key,
			      (uint64_t)v[i]->row.reuse << 32 | v[i]->row.id, v[i]);
		nft_idmap_put(&h->det_by_id, v[i]->row.id, v[i]);
	}
}

/* The detail record of a request, or NULL. */
static const struct hdet *find_det(const struct nft_html *h, uint32_t id,
				   uint32_t reuse)
{
	return nft_idmap_get(&h->det_by_key, (uint64_t)reuse << 32 | id);
}

static void write_findings(FILE *out, struct nft_html *h,
			   const struct nft_model *m, bool timed)
{
	const struct nft_finding **v;
	char ts[32], a[40];
	size_t n, i, k;

	v = nft_report_sorted(m, &n);
	fprintf(out, "<h2 id=\"findings\">Findings (%zu)</h2>\n", n);
	if (nft_model_summary(m)->findings_not_kept)
		fprintf(out, "<p class=\"note\">and %" PRIu64 " more past the per-kind cap, counted only</p>\n",
			nft_model_summary(m)->findings_not_kept);
	if (!n) {
		fputs("<p>none</p>\n", out);
		free(v);
		return;
	}
	fputs("<table class=\"findings\">\n<tr><th>severity</th><th>kind</th><th>object</th><th>message</th></tr>\n", out);
	for (i = 0; v && i < n; i++) {
		const struct nft_finding *f = v[i];
		const struct hdet *d = NULL;

		if (f->rreq)
			d = nft_idmap_get(&h->det_by_id, f->rreq);
		if (f->rreq && !nft_idmap_get(&h->first_f, f->rreq))
			nft_idmap_put(&h->first_f, f->rreq, (void *)(uintptr_t)(i + 1));
		fprintf(out, "<tr class=\"finding sev-%s\" id=\"F%zu\" data-kind=\"%s\" data-object=\"",
			nft_severity_name(f->severity), i + 1,
			nft_finding_kind_name(f->kind));
		esc(out, f->object);
		fprintf(out, "\"><td>%s</td><td>%s</td><td>",
			nft_severity_name(f->severity),
			nft_finding_kind_name(f->kind));
		if (d) {
			anchor(a, sizeof(a), d->row.id, d->row.reuse);
			fprintf(out, "<a href=\"#%s\">", a);
		}
		esc(out, f->object);
		if (d)
			fputs("</a>", out);
		fputs("</td><td>", out);
		esc(out, f->message);
		if (f->uncertain)
			fputs(" (may be caused by lost events)", out);
		fputs("</td></tr>\n", out);
		if (!f->n_evidence)
			continue;
		fputs("<tr class=\"evidence\"><td></td><td colspan=\"3\"><pre class=\"ev\">", out);
		for (k = 0; k < f->n_evidence && k < H_EVIDENCE; k++) {
			const char *t = nft_idmap_get(&h->evtext,
						      f->evidence[k].pos);

			fprintf(out, "line %" PRIu64, f->evidence[k].pos);
			if (timed) {
				nft_fmt_ts(ts, sizeof(ts), f->evidence[k].ts_ns);
				fprintf(out, " (%s)", ts);
			}
			fputs(": ", out);
			if (t)
				esc(out, t);
			else
				fputs("(text not kept)", out);
			fputc('\n', out);
		}
		if (f->n_evidence > H_EVIDENCE)
			fprintf(out, "... %zu more\n", f->n_evidence - H_EVIDENCE);
		fputs("</pre></td></tr>\n", out);
	}
	fputs("</table>\n", out);
	free(v);
}

static int cmp_row(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->origin != y->origin)
		return x->origin < y->origin ? -1 : 1;
	if (x->x0 != y->x0)
		return x->x0 < y->x0 ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct tl {
	uint64_t X0, X1;
	double k;		/* user units per x unit */
};

static double tx(const struct tl *t, uint64_t x)
{
	if (x < t->X0)
		return 0;
	return (double)(x - t->X0) * t->k;
}

/* The JSON for the script, made safe to sit inside <script>. */
static void write_json_safe(FILE *out, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (buf[i]) {
		case '<':
			fputs("\\u003c", out);
			break;
		case '>':
			fputs("\\u003e", out);
			break;
		case '&':
			fputs("\\u0026", out);
			break;
		default:
			fputc(buf[i], out);
		}
	}
}

static const char *bad_kind(uint16_t bad)
{
	return bad ? nft_finding_kind_name(bad - 1) : "";
}

static void write_timeline(FILE *out, struct nft_html *h, struct hrow *rows,
			   size_t nrows, const struct tl *t)
{
	int lanes_of[NFT_ORIGIN__NR] = { 0 };
	uint64_t per_origin[NFT_ORIGIN__NR] = { 0 };
	uint64_t lane_end[H_LANES];
	int *lane = calloc(nrows + 1, sizeof(*lane));
	double y, ybase[NFT_ORIGIN__NR], band = 26, rh = 10;
	char a[40], b1[32], b2[32], b3[32];
	size_t i, j, nb;
	int o, height;
	char *jbuf = NULL;
	size_t jlen = 0;
	FILE *jm;
	struct nft_jw jw;

	if (!lane && nrows)
		return;
	qsort(rows, nrows, sizeof(*rows), cmp_row);
	for (i = 0; i < nrows; i = j) {
		int nl = 0;

		o = rows[i].origin;
		for (j = i; j < nrows && rows[j].origin == o; j++) {
			int l, best = 0;

			for (l = 0; l < nl; l++)
				if (lane_end[l] <= rows[j].x0)
					break;
			if (l == nl && nl < H_LANES) {
				nl++;
			} else if (l == nl) {
				for (l = 1; l < nl; l++)
					if (lane_end[l] < lane_end[best])
						best = l;
				l = best;
			}
			lane[j] = l;
			lane_end[l] = rows[j].x1 + 1;
		}
		lanes_of[o] = nl;
	}
	nb = h->ser.started ? ser_idx(&h->ser, h->x_last) + 1 : 0;
	for (o = 0; o < NFT_ORIGIN__NR; o++)
		for (i = 0; i < nb; i++)
			per_origin[o] += h->ser.v[H_NSRC + o][i];
	/* layout: per origin, a density band (when aggregated), then lanes */
	y = 4;
	for (o = 0; o < NFT_ORIGIN__NR; o++) {
		ybase[o] = y;
		if (h->overflow && per_origin[o])
			y += band + 4;
		if (lanes_of[o])
			y += lanes_of[o] * (rh + 2) + 6;
	}
	height = (int)y + 4;
	if (height < 30)
		height = 30;

	fputs("<h2 id=\"timeline\">Timeline</h2>\n<p class=\"note\">", out);
	if (h->overflow) {
		fprintf(out, "%s requests; %s healthy requests shown as density "
			"(per origin, the mean number in flight in each of %d time buckets); "
			"drawn one by one: %zu (with findings, in flight at the end, or the %u slowest of their origin).",
			grp(b1, sizeof(b1), h->requests),
			grp(b2, sizeof(b2), h->requests - nrows), H_BUCKETS,
			nrows, h->o.slowest);
	} else {
		fprintf(out, "%s request(s), one bar each, in lanes per origin.",
			grp(b1, sizeof(b1), nrows));
	}
	fputs(" Wheel or buttons zoom, drag pans, hover shows a request, "
	      "click opens its drill-down when it has one; red outline: a finding, "
	      "dashed: in flight at the end.</p>\n", out);
	fputs("<div class=\"tlc\"><button id=\"zin\" type=\"button\">zoom in</button>"
	      "<button id=\"zout\" type=\"button\">zoom out</button>"
	      "<button id=\"zreset\" type=\"button\">reset</button></div>\n", out);
	fputs("<div id=\"tl-axis\"></div>\n<div class=\"tl\">", out);
	fprintf(out, "<svg class=\"lbl\" width=\"130\" height=\"%d\">", height);
	for (o = 0; o < NFT_ORIGIN__NR; o++) {
		double yy = ybase[o];

		if (h->overflow && per_origin[o]) {
			fprintf(out, "<text x=\"4\" y=\"%.1f\">%s density</text>",
				yy + band / 2 + 4, origin_name(o));
			yy += band + 4;
		}
		if (lanes_of[o])
			fprintf(out, "<text x=\"4\" y=\"%.1f\">%s (%d lane%s)</text>",
				yy + 10, origin_name(o), lanes_of[o],
				lanes_of[o] == 1 ? "" : "s");
	}
	fprintf(out, "</svg><svg id=\"tl-plot\" class=\"plot\" data-h=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 1200 %d\" preserveAspectRatio=\"none\">", height,
		height, height);
	/* density bands */
	for (o = 0; h->overflow && o < NFT_ORIGIN__NR; o++) {
		double peak = 0;

		if (!per_origin[o])
			continue;
		for (i = 0; i < nb; i++)
			if (h->ser.v[H_NSRC + o][i] > peak)
				peak = (double)h->ser.v[H_NSRC + o][i];
		fprintf(out, "<g class=\"band\" data-origin=\"%s\">", origin_name(o));
		for (i = 0; i < nb; i++) {
			double v = (double)h->ser.v[H_NSRC + o][i], x0, x1, bh;
			uint64_t bx = h->ser.x0 + i * h->ser.w;

			if (!v)
				continue;
			x0 = tx(t, bx);
			x1 = tx(t, bx + h->ser.w);
			bh = band * v / peak;
			if (bh < 1)
				bh = 1;
			fprintf(out, "<rect class=\"o%d\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"><title>%s: mean %.2f in flight</title></rect>",
				o, x0, ybase[o] + band - bh, x1 - x0, bh,
				origin_name(o), v / (double)h->ser.w);
		}
		fputs("</g>", out);
	}
	/* the requests */
	for (i = 0; i < nrows; i++) {
		const struct hrow *r = &rows[i];
		const struct hdet *d = find_det(h, r->id, r->reuse);
		double x0 = tx(t, r->x0), x1 = tx(t, r->x1), yy;

		o = r->origin;
		yy = ybase[o] + (h->overflow && per_origin[o] ? band + 4 : 0) +
		     lane[i] * (rh + 2);
		if (x1 - x0 < 1)
			x1 = x0 + 1;
		if (d) {
			anchor(a, sizeof(a), r->id, r->reuse);
			fprintf(out, "<a href=\"#%s\">", a);
		}
		fprintf(out, "<rect class=\"req o%d%s%s\" data-i=\"%zu\" data-id=\"%08x\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\"/>",
			o, r->bad ? " bad" : "", r->inflight ? " inflight" : "",
			i, r->id, x0, yy, x1 - x0, rh);
		if (d)
			fputs("</a>", out);
		if (r->bad) {
			/* the marker links to the finding's row */
			uintptr_t fi = (uintptr_t)nft_idmap_get(&h->first_f, r->id);

			if (fi)
				snprintf(a, sizeof(a), "F%zu", (size_t)fi);
			else
				snprintf(a, sizeof(a), "findings");
			fprintf(out, "<a href=\"#%s\"><rect class=\"fmark\" x=\"%.2f\" y=\"%.1f\" width=\"3\" height=\"%.0f\"/></a>",
				a, x0, yy, rh);
		}
	}
	fputs("</svg></div>\n<div id=\"tip\"></div>\n", out);

	/* the script's data */
	jm = open_memstream(&jbuf, &jlen);
	if (jm) {
		nft_jw_init(&jw, jm, NFT_JW_COMPACT);
		nft_jw_object_begin(&jw, NULL);
		nft_jw_str(&jw, "mode", h->ts_mode ? "ts" : "line");
		nft_jw_u64(&jw, "x0", t->X0);
		nft_jw_u64(&jw, "x1", t->X1);
		nft_jw_array_begin(&jw, "rows");
		for (i = 0; i < nrows; i++) {
			const struct hrow *r = &rows[i];
			char id[16], ino[24], st[24], ln[24];

			snprintf(id, sizeof(id), "%08x", r->id);
			snprintf(ino, sizeof(ino), "%" PRIx64, r->ino);
			snprintf(st, sizeof(st), "0x%" PRIx64, r->start);
			snprintf(ln, sizeof(ln), "0x%" PRIx64, r->len);
			nft_jw_array_begin(&jw, NULL);
			nft_jw_str(&jw, NULL, id);
			nft_jw_str(&jw, NULL, origin_name(r->origin));
			nft_jw_str(&jw, NULL, ino);
			nft_jw_str(&jw, NULL, st);
			nft_jw_str(&jw, NULL, ln);
			nft_jw_str(&jw, NULL, fmt_dur(h, b3, sizeof(b3),
						      r->x1 - r->x0));
			nft_jw_bool(&jw, NULL, r->inflight);
			nft_jw_u64(&jw, NULL, r->nsub);
			nft_jw_u64(&jw, NULL, r->bytes);
			nft_jw_str(&jw, NULL, bad_kind(r->bad));
			nft_jw_bool(&jw, NULL,
				    find_det(h, r->id, r->reuse) != NULL);
			nft_jw_end(&jw);
		}
		nft_jw_end(&jw);
		nft_jw_end(&jw);
		if (!fclose(jm)) {
			fputs("<script type=\"application/json\" id=\"nft-data\">", out);
			write_json_safe(out, jbuf, jlen);
			fputs("</script>\n", out);
		}
		free(jbuf);
	}
	free(lane);
}

static void write_latency(FILE *out, struct nft_html *h)
{
	char b[32];
	int o, any = 0;

	fputs("<h2 id=\"latency\">Request latency per origin</h2>\n", out);
	if (!h->ts_mode) {
		fputs("<p>The capture has no timestamps: no latency.</p>\n", out);
		return;
	}
	fputs("<p class=\"note\">Requests freed in the capture, NEW (or first line) to FREE, in power-of-two buckets.</p>\n", out);
	for (o = 0; o < NFT_ORIGIN__NR; o++) {
		int lo = H_LAT, hi = -1, i;
		uint64_t peak = 0;
		double bw;

		if (!h->lat_n[o])
			continue;
		any = 1;
		for (i = 0; i < H_LAT; i++)
			if (h->lat[o][i]) {
				if (i < lo)
					lo = i;
				hi = i;
				if (h->lat[o][i] > peak)
					peak = h->lat[o][i];
			}
		bw = 560.0 / (hi - lo + 1);
		fprintf(out, "<h3>%s: %s requests</h3>\n", origin_name(o),
			grp(b, sizeof(b), h->lat_n[o]));
		fprintf(out, "<svg class=\"hist\" data-origin=\"%s\" width=\"600\" height=\"130\" viewBox=\"0 0 600 130\">",
			origin_name(o));
		for (i = lo; i <= hi; i++) {
			double bh = 90.0 * (double)h->lat[o][i] / (double)peak;
			double x = 20 + (i - lo) * bw;

			if (h->lat[o][i] && bh < 1)
				bh = 1;
			fprintf(out, "<rect class=\"o%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
				o, x, 100 - bh, bw - 2, bh);
			fmt_dur(h, b, sizeof(b), 1ull << i);
			fprintf(out, "%s", b);
			fmt_dur(h, b, sizeof(b), i < 63 ? (1ull << (i + 1)) : UINT64_MAX);
			fprintf(out, " - %s: %" PRIu64 "</title></rect>", b, h->lat[o][i]);
			if ((i - lo) % (hi - lo > 10 ? 3 : 1) == 0) {
				fmt_dur(h, b, sizeof(b), 1ull << i);
				fprintf(out, "<text x=\"%.1f\" y=\"118\">%s</text>", x, b);
			}
		}
		fputs("</svg>\n", out);
	}
	if (!any)
		fputs("<p>No request was freed in the capture.</p>\n", out);
}

static void write_bytes(FILE *out, struct nft_html *h, const struct tl *t)
{
	size_t nb = h->ser.started ? ser_idx(&h->ser, h->x_last) + 1 : 0, i;
	double peak = 0;
	uint64_t tot[H_NSRC] = { 0 };
	char b[32];
	int c;

	fputs("<h2 id=\"bytes\">Bytes by source over time</h2>\n", out);
	for (i = 0; i < nb; i++) {
		double s = 0;

		for (c = 0; c < H_NSRC; c++)
			tot[c] += h->ser.v[c][i];

		for (c = 0; c < H_NSRC; c++)
			s += (double)h->ser.v[c][i];
		if (s > peak)
			peak = s;
	}
	if (!peak) {
		fputs("<p>No subrequest transferred bytes.</p>\n", out);
		return;
	}
	fprintf(out, "<p class=\"note\">Stacked per time bucket of %s (by the time each subrequest terminated):",
		fmt_dur(h, b, sizeof(b), h->ser.w));
	for (c = 0; c < H_NSRC; c++)
		fprintf(out, " <svg width=\"10\" height=\"10\"><rect class=\"s%d\" width=\"10\" height=\"10\"/></svg> %s",
			c, h_src_name[c]);
	fprintf(out, "; peak %s a bucket</p>\n", fmt_bytes(b, sizeof(b), peak));
	/* the sums, for the tests: the summary's bytes read/written */
	fprintf(out, "<svg id=\"bytes-plot\" data-read=\"%" PRIu64 "\" data-written=\"%" PRIu64 "\" "
		"data-cache-read=\"%" PRIu64 "\" data-cache-written=\"%" PRIu64 "\" "
		"width=\"100%%\" height=\"160\" viewBox=\"0 0 1200 160\" preserveAspectRatio=\"none\">",
		tot[H_SRC_SERVER] + tot[H_SRC_CACHE] + tot[H_SRC_ZERO],
		tot[H_SRC_UPLOAD], tot[H_SRC_CACHE], tot[H_SRC_CWRITE]);
	for (i = 0; i < nb; i++) {
		uint64_t bx = h->ser.x0 + i * h->ser.w;
		double x0 = tx(t, bx), x1 = tx(t, bx + h->ser.w), y = 150;

		if (x1 > PW)
			x1 = PW;
		for (c = 0; c < H_NSRC; c++) {
			double bh = 140.0 * (double)h->ser.v[c][i] / peak;

			if (!h->ser.v[c][i])
				continue;
			y -= bh;
			fprintf(out, "<rect class=\"s%d\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>%s: %s</title></rect>",
				c, x0, y, x1 - x0 > 0.3 ? x1 - x0 : 0.3, bh,
				h_src_name[c],
				fmt_bytes(b, sizeof(b), (double)h->ser.v[c][i]));
		}
	}
	fputs("</svg>\n", out);
}

static int cmp_sub(const void *a, const void *b)
{
	const struct hsub *x = a, *y = b;

	if (x->stream != y->stream)
		return x->stream < y->stream ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void write_detail(FILE *out, struct nft_html *h,
			 const struct nft_model *m, const struct hdet *d,
			 const struct nft_finding **fv, size_t nf)
{
	const struct hrow *r = &d->row;
	uint64_t X0 = r->x0, X1 = r->x1, lo = UINT64_MAX, hi = 0;
	char a[40], b[32], fl[256];
	double k, kb, y;
	uint32_t i, height;
	int32_t maxref = 1;
	size_t f;

	for (i = 0; i < d->nsub; i++)
		if (d->subs[i].x_end > X1)
			X1 = d->subs[i].x_end;
	if (X1 <= X0)
		X1 = X0 + 1;
	k = 1000.0 / (double)(X1 - X0);
	anchor(a, sizeof(a), r->id, r->reuse);
	fprintf(out, "<section class=\"req-detail\" id=\"%s\" data-id=\"%08x\">\n<h3>R=%08x %s ino=%" PRIx64,
		a, r->id, r->id, origin_name(r->origin), r->ino);
	if (r->reuse)
		fprintf(out, " (id used %u times before)", r->reuse);
	fputs("</h3>\n<p>", out);
	if (d->why & WHY_FINDING)
		fputs("kept: findings ", out);
	for (f = 0; f < nf; f++)
		if (fv[f]->rreq == r->id)
			fprintf(out, "<a href=\"#F%zu\">%s</a> ", f + 1,
				nft_finding_kind_name(fv[f]->kind));
	if (d->why & WHY_INFLIGHT)
		fputs("kept: in flight at the end of the capture ", out);
	if (d->why & WHY_SLOW)
		fputs("kept: among the slowest of its origin ", out);
	nft_rreq_flags_str(h->gen, d->flags, fl, sizeof(fl));
	fprintf(out, "<br>range 0x%" PRIx64 " +0x%" PRIx64 ", state %s, flags ",
		r->start, r->len, nft_req_state_name(d->state));
	esc(out, *fl ? fl : "none");
	fprintf(out, ", duration %s, %u subrequest%s, %" PRIu64 " bytes",
		fmt_dur(h, b, sizeof(b), r->x1 - r->x0), r->nsub,
		r->nsub == 1 ? "" : "s", r->bytes);
	if (r->error)
		fprintf(out, ", error %d", r->error);
	fputs("</p>\n", out);

	/* subrequests per stream on a time axis */
	if (d->nsub) {
		struct hsub *s = d->subs;

		qsort(s, d->nsub, sizeof(*s), cmp_sub);
		height = 24 + d->nsub * 14 + 8;
		for (i = 1; i < d->nsub; i++)
			if (s[i].stream != s[i - 1].stream)
				height += 6;
		fprintf(out, "<svg class=\"subreqs\" viewBox=\"0 0 1160 %u\" width=\"1160\" height=\"%u\">", height, height);
		fprintf(out, "<text x=\"4\" y=\"12\">subrequests (x: %s over %s)</text>",
			h->ts_mode ? "time" : "line", fmt_dur(h, b, sizeof(b), X1 - X0));
		y = 22;
		for (i = 0; i < d->nsub; i++) {
			const struct hsub *q = &s[i];
			int c = src_col(q->source);
			double x0 = 150 + (double)(q->x_first - (q->x_first < X0 ? q->x_first : X0)) * k;
			double xe = 150 + (double)(q->x_end - (q->x_end < X0 ? q->x_end : X0)) * k;

			if (i && q->stream != s[i - 1].stream)
				y += 6;
			fprintf(out, "<text x=\"4\" y=\"%.0f\">[%d:%d] %s</text>", y + 10,
				q->stream, q->index, nft_sym_name(NFT_SYMC_SOURCE, q->source));
			/* its life, then each issue cycle (issue to termination) */
			fprintf(out, "<rect class=\"swait\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"10\"/>",
				x0, y + 2, xe - x0 > 1 ? xe - x0 : 1);
			for (uint32_t cy = 0; cy < q->ncyc; cy++) {
				uint64_t ci = q->cyc[cy][0] < X0 ? X0 : q->cyc[cy][0];
				uint64_t ct = q->cyc[cy][1] ? q->cyc[cy][1] : q->x_end;
				double cx0 = 150 + (double)(ci - X0) * k;
				double cx1 = 150 + (double)((ct < ci ? ci : ct) - X0) * k;

				fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"10\">",
					q->error < 0 ? "sfail" : c >= 0 ? (const char *[]){ "s0", "s1", "s2", "s3", "s4" }[c] : "snone",
					cx0, y, cx1 - cx0 > 1 ? cx1 - cx0 : 1);
				fprintf(out, "<title>[%d] cycle %u: %s</title></rect>", q->index, cy + 1,
					fmt_dur(h, b, sizeof(b), (ct < ci ? ci : ct) - ci));
			}
			fprintf(out, "<text x=\"%.1f\" y=\"%.0f\">s=0x%" PRIx64 " %" PRIu64 "/%" PRIu64 "%s%s</text>",
				xe + 4 > 1000 ? 1000.0 : xe + 4, y + 10, q->start,
				q->transferred, q->len,
				q->error < 0 ? " error" : "",
				q->reissues ? " retried" : "");
			y += 14;
			if (q->start < lo)
				lo = q->start;
			if (q->start + q->len > hi)
				hi = q->start + q->len;
		}
		fputs("</svg>\n", out);

		/* the byte map: where each range came from, what failed */
		/* the request's range too, unless it is "to the end" */
		if (r->len && r->len < (1ull << 40) && r->start < lo)
			lo = r->start;
		if (r->len && r->len < (1ull << 40) && r->start + r->len > hi)
			hi = r->start + r->len;
		if (hi <= lo)
			hi = lo + 1;
		kb = 1000.0 / (double)(hi - lo);
		fprintf(out, "<svg class=\"bytemap\" viewBox=\"0 0 1160 %d\" width=\"1160\" height=\"%d\">",
			60, 60);
		fprintf(out, "<text x=\"4\" y=\"12\">byte map 0x%" PRIx64 " - 0x%" PRIx64 "</text>", lo, hi);
		for (i = 0; i < d->nsub; i++) {
			const struct hsub *q = &s[i];
			int c = src_col(q->source);
			double bx = 150 + (double)(q->start - lo) * kb;
			double done = (double)(q->transferred < q->len ? q->transferred : q->len) * kb;
			double rest = (double)q->len * kb - done;
			double yy = 18 + (q->stream > 0 ? 20 : 0);

			if (done > 0)
				fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"14\"><title>[%d] %s 0x%" PRIx64 " +0x%" PRIx64 "</title></rect>",
					c >= 0 ? (const char *[]){ "s0", "s1", "s2", "s3", "s4" }[c] : "snone",
					bx, yy, done, q->index, c >= 0 ? h_src_name[c] : "unknown source",
					q->start, q->transferred);
			if (rest > 0)
				fprintf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"14\"><title>[%d] %s 0x%" PRIx64 " +0x%" PRIx64 "</title></rect>",
					q->error < 0 ? "sfail" : "snone", bx + done, yy, rest,
					q->index, q->error < 0 ? "failed" : "not transferred",
					q->start + q->transferred, q->len - q->transferred);
		}
		fputs("<text x=\"4\" y=\"29\">stream 0</text><text x=\"4\" y=\"49\">stream 1+</text></svg>\n", out);
	}

	/* the ref count as a step plot */
	if (d->nref) {
		double px = 0, py = 0;

		for (i = 0; i < d->nref; i++)
			if (d->refs[i].printed > maxref && d->refs[i].printed < 1000)
				maxref = d->refs[i].printed;
		fprintf(out, "<svg class=\"refs\" viewBox=\"0 0 1160 90\" width=\"1160\" height=\"90\"><text x=\"4\" y=\"12\">ref count (max %d)%s</text><polyline fill=\"none\" stroke=\"#333\" points=\"",
			maxref, d->refs_dropped ? ", history capped" : "");
		for (i = 0; i < d->nref; i++) {
			const struct href *e = &d->refs[i];
			int32_t v = e->printed < 0 ? 0 : e->printed > maxref ? maxref : e->printed;
			double x = 150 + (double)((e->x < X0 ? X0 : e->x) - X0) * k;
			double yy = 80 - 60.0 * v / maxref;

			if (i)
				fprintf(out, "%.1f,%.1f ", x, py);
			fprintf(out, "%.1f,%.1f ", x, yy);
			px = x;
			py = yy;
		}
		fprintf(out, "%.1f,%.1f\"/>", r->inflight ? 1150.0 : px, py);
		for (i = 0; i < d->nref; i++) {
			const struct href *e = &d->refs[i];
			int32_t v = e->printed < 0 ? 0 : e->printed > maxref ? maxref : e->printed;
			double x = 150 + (double)((e->x < X0 ? X0 : e->x) - X0) * k;

			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>line %" PRIu64 ": ",
				x, 80 - 60.0 * v / maxref, e->pos);
			esc(out, nft_sym_name(e->cls, e->what));
			fprintf(out, " r=%d</title></circle>", e->printed);
		}
		fputs("<text x=\"4\" y=\"24\">r</text></svg>\n", out);
	}
	if (d->why & WHY_FOCUS) {
		/* -R: the model kept every line of the request */
		const struct nft_history_line *hl;
		size_t nl, k;

		hl = nft_model_focus_lines(m, &nl);
		fprintf(out, "<details open><summary>lines (%zu", nl);
		if (nft_model_focus_lines_dropped(m))
			fprintf(out, ", %" PRIu64 " more not kept",
				nft_model_focus_lines_dropped(m));
		fputs(")</summary><pre>", out);
		for (k = 0; hl && k < nl; k++) {
			fprintf(out, "%" PRIu64 ": ", hl[k].pos);
			esc(out, hl[k].text);
			fputc('\n', out);
		}
		fputs("</pre></details>\n", out);
	} else if (d->nlines) {
		fprintf(out, "<details><summary>lines (%u kept", d->nlines);
		if (d->lines_skipped)
			fprintf(out, ", %" PRIu64 " in the middle not kept", d->lines_skipped);
		fputs(")</summary><pre>", out);
		for (i = 0; i < d->nlines; i++) {
			if (i == H_RING_HEAD && d->lines_skipped)
				fputs("...\n", out);
			nft_html_escape(out, d->lines[i].text, d->lines[i].len);
			fputc('\n', out);
		}
		fputs("</pre></details>\n", out);
	}
	fputs("</section>\n", out);
}

static int cmp_det(const void *a, const void *b)
{
	const struct hdet *x = *(struct hdet *const *)a;
	const struct hdet *y = *(struct hdet *const *)b;
	int rx = x->why & WHY_FINDING ? 0 : x->why & WHY_INFLIGHT ? 1 : 2;
	int ry = y->why & WHY_FINDING ? 0 : y->why & WHY_INFLIGHT ? 1 : 2;

	if (rx != ry)
		return rx - ry;
	if (rx == 2 && x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;
	return x->row.x0 < y->row.x0 ? -1 : x->row.x0 > y->row.x0;
}

static void make_nonce(char *buf)
{
	uint8_t r[16];
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

		for (i = 0; i < sizeof(r); i++, t = t * 6364136223846793005ull + 1)
			r[i] = (uint8_t)(t >> 56);
	}
	for (i = 0; i < sizeof(r); i++)
		sprintf(buf + 2 * i, "%02x", r[i]);
}

int nft_html_write(FILE *out, struct nft_html *h, const struct nft_model *m,
		   const struct nft_report_input *in)
{
	const struct nft_summary *s = nft_model_summary(m);
	bool timed = s->ts_first || s->ts_last;
	struct hdet **det = NULL;
	struct hrow *rows = NULL;
	size_t ndet = 0, nrows = 0, i, nf;
	const struct nft_finding **fv;
	struct tl t;
	char b[32], nonce[33];

	h->gen = s->gen;
	/* every detail record: findings, in flight, focus, the slowest */
	det = calloc(h->ndet + (size_t)NFT_ORIGIN__NR * h->o.slowest + 1,
		     sizeof(*det));
	if (!det)
		return -1;
	for (i = 0; i < h->ndet; i++)
		det[ndet++] = h->det[i];
	for (i = 0; h->slow && i < (size_t)NFT_ORIGIN__NR * h->o.slowest; i++)
		if (h->slow[i])
			det[ndet++] = h->slow[i];
	qsort(det, ndet, sizeof(*det), cmp_det);
	det_index(h, det, ndet);
	if (!h->overflow) {
		rows = malloc((h->nrows + 1) * sizeof(*rows));
		if (rows && h->nrows)	/* no request: h->rows is NULL */
			memcpy(rows, h->rows, h->nrows * sizeof(*rows));
		nrows = rows ? h->nrows : 0;
	} else {
		rows = malloc((ndet + 1) * sizeof(*rows));
		for (i = 0; rows && i < ndet; i++)
			rows[nrows++] = det[i]->row;
	}
	t.X0 = h->x_first;
	t.X1 = h->x_last > h->x_first ? h->x_last : h->x_first + 1;
	t.k = PW / (double)(t.X1 - t.X0);

	/*
	 * No network at all, and only our own <style> and <script> (by a
	 * nonce of this page): were capture text ever to slip through the
	 * escaping, its inline handlers and scripts would still not run.
	 */
	make_nonce(nonce);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'nonce-%s'; script-src 'nonce-%s'\">\n<title>netfs-replay: ",
		nonce, nonce);
	esc(out, in->name);
	fprintf(out, "</title>\n<style nonce=\"%s\">%s</style>\n</head>\n<body data-ready=\"0\">\n",
		nonce, css);
	fputs("<h1>netfs-replay report: ", out);
	esc(out, in->name);
	fputs("</h1>\n<p class=\"note\"><a href=\"#summary\">summary</a> · <a href=\"#findings\">findings</a> · "
	      "<a href=\"#timeline\">timeline</a> · <a href=\"#latency\">latency</a> · <a href=\"#bytes\">bytes</a> · "
	      "<a href=\"#requests\">requests</a></p>\n", out);
	if (h->o.focus.type != NFT_FOCUS_NONE) {
		char name[NFT_OBJECT_LEN];

		nft_focus_name(&h->o.focus, name);
		fputs("<p class=\"note\">-R ", out);
		esc(out, name);
		fputs(focus_request(h) ? ": this request only (the summary and findings are the whole capture's).</p>\n" :
		      ": the HTML report draws requests only; see the text view of -R for this object.</p>\n", out);
	}
	fputs("<h2>Summary</h2>\n", out);
	write_summary(out, m, in);
	write_findings(out, h, m, timed);
	write_timeline(out, h, rows, nrows, &t);
	write_latency(out, h);
	write_bytes(out, h, &t);

	fputs("<h2 id=\"requests\">Requests in detail</h2>\n<p class=\"note\">", out);
	fprintf(out, "%s kept in detail: with findings, in flight at the end of the capture", grp(b, sizeof(b), ndet));
	if (h->o.slowest)
		fprintf(out, ", and the %u slowest freed requests of each origin", h->o.slowest);
	fputs(".", out);
	if (h->bad_not_kept || h->inflight_not_kept)
		fprintf(out, " Not kept past the caps: %" PRIu64 " with findings, %" PRIu64 " in flight.",
			h->bad_not_kept, h->inflight_not_kept);
	fputs("</p>\n", out);
	fv = nft_report_sorted(m, &nf);
	for (i = 0; i < ndet; i++)
		write_detail(out, h, m, det[i], fv, fv ? nf : 0);
	free(fv);
	fprintf(out, "<script nonce=\"%s\">%s</script>\n</body></html>\n",
		nonce, script);
	free(rows);
	free(det);
	nft_idmap_release(&h->det_by_key);
	nft_idmap_release(&h->det_by_id);
	nft_idmap_release(&h->first_f);
	return ferror(out) ? -1 : 0;
}

int nft_html_write_file(const char *path, struct nft_html *h,
			const struct nft_model *m,
			const struct nft_report_input *in)
{
	FILE *f = fopen(path, "w");
	int rc, err;

	if (!f)
		return -1;
	rc = nft_html_write(f, h, m, in);
	err = errno;
	if (fclose(f) && !rc) {
		rc = -1;
		err = errno;
	}
	errno = err;
	return rc;
}
