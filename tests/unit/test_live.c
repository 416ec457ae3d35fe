// SPDX-License-Identifier: GPL-2.0
/*
 * The live path's pages (decoders/live.c) without a kernel:
 *  - the record walk gives what kbuffer gives (timestamps through time
 *    extends, absolute time stamps, discarded events; long records),
 *  - damaged pages are counted, never read past,
 *  - pages read a few at a time with a limit give the events of reading
 *    them all at once, in the same order,
 *  - an overrun ring buffer (struct nft_feed, as the kernel's overwrites
 *    pages and flags the next one RB_MISSED_EVENTS, with the count
 *    RB_MISSED_STORED or not) is counted exactly, shown in netfs-top's
 *    batch text and JSON, and every finding the loss could have caused is
 *    uncertain: never silent.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>
#include <kbuffer.h>

#include "decoders/live.h"
#include "libnetfs-trace/model.h"
#include "libnetfs-trace/top.h"
#include "libnetfs-trace/report/top_out.h"
#include "tap.h"

#define HDR 16
#define MAXREC 200000

/* ---- what came out ---- */

struct seen {
	uint64_t n, lost_markers, lost, h;
	uint64_t *ts;
	size_t nts;
};

static int collect(void *ctx, const struct nft_event *ev)
{
	struct seen *s = ctx;

	s->n++;
	if (ev->kind == NFT_EV_LOST) {
		s->lost_markers++;
		s->lost += ev->lost;
		return 0;
	}
	if (s->ts && s->nts < MAXREC)
		s->ts[s->nts++] = ev->ts_ns;
	s->h = s->h * 1000003 ^ (ev->kind * 31 + ev->rreq * 7 + ev->index +
				 ev->what * 131 + ev->ts_ns + ev->len +
				 ev->transferred + (uint64_t)ev->ref +
				 ev->cookie + ev->source + ev->origin +
				 (uint64_t)ev->pid * 17 + ev->cpu);
	return 0;
}

/* ---- records of a capture, as kbuffer reads them from its pages ---- */

struct rec {
	uint64_t ts;
	uint32_t len;
	const void *data;
};

static size_t kb_records(const struct nft_dat_pages *dp, struct rec *r,
			 size_t max)
{
	struct kbuffer *kb = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	size_t i, n = 0;

	for (i = 0; i < dp->n; i++) {
		unsigned long long ts;
		void *d;

		kbuffer_load_subbuffer(kb, dp->pages + i * dp->subbuf);
		for (d = kbuffer_read_event(kb, &ts); d && n < max;
		     d = kbuffer_next_event(kb, &ts)) {
			r[n].ts = ts;
			r[n].len = kbuffer_event_size(kb);
			r[n].data = d;
			n++;
		}
	}
	kbuffer_free(kb);
	return n;
}

/* ---- writing pages in every encoding the kernel uses ---- */

struct pw {
	char *page;
	size_t sz;
	uint32_t used;
};

static void put4(struct pw *w, uint32_t v)
{
	memcpy(w->page + HDR + w->used, &v, 4);
	w->used += 4;
}

static void pw_start(struct pw *w, char *page, size_t sz, uint64_t ts)
{
	memset(page, 0, sz);
	memcpy(page, &ts, 8);
	w->page = page;
	w->sz = sz;
	w->used = 0;
}

static void pw_end(struct pw *w)
{
	uint64_t commit = w->used;

	memcpy(w->page + 8, &commit, 8);
}

/*
 * One record at @delta after the one before, encoded as @how says:
 * 0 plain, 1 a time extend first, 2 an absolute time stamp first (@abs),
 * 3 a discarded event first, 4 the long form (length word).  Returns
 * false when the page has no room.
 */
static bool pw_add(struct pw *w, const struct rec *r, uint64_t delta,
		   uint64_t abs, int how)
{
	uint32_t padded = (r->len + 3) & ~3u, need = 4 + padded;

	if (how == 4 || padded > 112)
		need += 4;
	if (how == 1 || how == 2)
		need += 8;
	if (how == 3)
		need += 12;
	if (HDR + w->used + need > w->sz)
		return false;
	if (how == 1) {
		put4(w, 30 | (uint32_t)(delta & ((1u << 27) - 1)) << 5);
		put4(w, (uint32_t)(delta >> 27));
		delta = 0;
	} else if (how == 2) {
		put4(w, 31 | (uint32_t)(abs & ((1u << 27) - 1)) << 5);
		put4(w, (uint32_t)(abs >> 27));
		delta = 0;
	} else if (how == 3) {
		/* a discarded event: its delta counts, as kbuffer adds it */
		put4(w, 29 | 1u << 5);
		put4(w, 8);
		put4(w, 0xdeadbeef);
		delta = delta ? delta - 1 : 0;
	}
	if (how == 4 || padded > 112) {
		put4(w, (uint32_t)delta << 5);
		put4(w, padded + 4);
	} else {
		put4(w, padded / 4 | (uint32_t)delta << 5);
	}
	memset(w->page + HDR + w->used, 0, padded);
	memcpy(w->page + HDR + w->used, r->data, r->len);
	w->used += padded;
	return true;
}

/*
 * The capture's records on one cpu, re-encoded with every kind of event
 * header; what our walk makes of the pages must be what kbuffer makes.
 */
static void test_encodings(const char *dat)
{
	struct nft_dat_pages dp;
	struct rec *r = calloc(MAXREC, sizeof(*r));
	uint64_t *kts = calloc(MAXREC, sizeof(*kts));
	struct seen a = { 0 }, b = { 0 };
	struct nft_sink sa = { collect, &a }, sb = { collect, &b };
	struct kbuffer *kb = kbuffer_alloc(KBUFFER_LSIZE_8, KBUFFER_ENDIAN_LITTLE);
	struct nft_pages *p, *q;
	char *pages = NULL;
	size_t n, i, np = 0, nk = 0, k;
	uint64_t prev = 0;

	a.ts = calloc(MAXREC, sizeof(uint64_t));
	b.ts = calloc(MAXREC, sizeof(uint64_t));
	if (nft_dat_pages_load(dat, &dp)) {
		ok(0, "%s: cut into pages", dat);
		return;
	}
	n = kb_records(&dp, r, MAXREC);
	/* in timestamp order, as one cpu would have written them */
	for (i = 1; i < n; i++) {
		for (k = i; k > 0 && r[k].ts < r[k - 1].ts; k--) {
			struct rec t = r[k];

			r[k] = r[k - 1];
			r[k - 1] = t;
		}
	}
	pages = calloc(n + 1, dp.subbuf);
	for (i = 0; i < n;) {
		struct pw w;

		pw_start(&w, pages + np * dp.subbuf, dp.subbuf, r[i].ts);
		prev = r[i].ts;
		for (; i < n; i++) {
			uint64_t d = r[i].ts - prev;
			/* a delta too wide for the header needs an extend */
			int how = d >> 27 ? (i % 2 ? 1 : 2) : (int)(i % 5);

			if (how == 3 && !d)
				how = 0;
			if (!pw_add(&w, &r[i], d, r[i].ts, how))
				break;
			prev = r[i].ts;
		}
		pw_end(&w);
		np++;
	}
	/* what kbuffer reads */
	for (i = 0; i < np; i++) {
		unsigned long long ts;
		void *d;

		kbuffer_load_subbuffer(kb, pages + i * dp.subbuf);
		for (d = kbuffer_read_event(kb, &ts); d && nk < MAXREC;
		     d = kbuffer_next_event(kb, &ts))
			kts[nk++] = ts;
	}
	is(nk, n, "kbuffer reads every record back");
	p = nft_pages_new(dp.tep, 1, dp.subbuf);
	for (i = 0; i < np; i++)
		nft_pages_add(p, 0, pages + i * dp.subbuf);
	ok(!nft_pages_flush(p, &sb), "%s: %zu records in %zu pages of every encoding",
	   dat, n, np);
	is(b.nts, nk, "every record decoded");
	for (i = 0; i < nk && i < b.nts && b.ts[i] == kts[i]; i++)
		;
	ok(i == nk, "timestamps as kbuffer's (first difference at %zu)", i);
	for (i = 0; i < n && r[i].ts == kts[i]; i++)
		;
	ok(i == n, "and as recorded");
	is(nft_pages_stats(p)->bad_records, 0, "no bad records");
	/* the plain pages of the same records: the same events */
	q = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	for (i = 0; i < dp.n; i++)
		nft_pages_add(q, dp.cpu[i], dp.pages + i * dp.subbuf);
	nft_pages_flush(q, &sa);
	is(a.nts, b.nts, "as many events as the capture's own pages");
	nft_pages_free(p);
	nft_pages_free(q);
	kbuffer_free(kb);
	free(pages);
	free(r);
	free(kts);
	free(a.ts);
	free(b.ts);
	nft_dat_pages_free(&dp);
}

/* ---- damaged pages ---- */

static void test_torn(const char *dat)
{
	struct nft_dat_pages dp;
	struct seen s = { 0 };
	struct nft_sink sink = { collect, &s };
	struct nft_pages *p;
	const struct nft_pages_stats *st;
	char *page;
	uint64_t commit, before;
	size_t i;
	unsigned int seed = 12345;

	if (nft_dat_pages_load(dat, &dp)) {
		ok(0, "%s: cut into pages", dat);
		return;
	}
	page = malloc(dp.subbuf);
	p = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	st = nft_pages_stats(p);

	/* commit past the page: no record read, counted, a loss */
	memcpy(page, dp.pages, dp.subbuf);
	commit = dp.subbuf;
	memcpy(page + 8, &commit, 8);
	nft_pages_add(p, 0, page);
	nft_pages_flush(p, &sink);
	is(st->bad_pages, 1, "commit past the page: a bad page");
	is(s.n - s.lost_markers, 0, "no record read from it");
	is(s.lost_markers, 1, "its records are told lost");

	/* garbage in the commit word's flag bits */
	memcpy(page, dp.pages, dp.subbuf);
	memcpy(&commit, page + 8, 8);
	commit |= 1ULL << 40;
	memcpy(page + 8, &commit, 8);
	nft_pages_add(p, 0, page);
	nft_pages_flush(p, &sink);
	is(st->bad_pages, 2, "flag garbage: a bad page");

	/* the last record's length runs past the commit: the rest is read */
	memcpy(page, dp.pages, dp.subbuf);
	memcpy(&commit, page + 8, 8);
	commit -= 2;
	memcpy(page + 8, &commit, 8);
	before = st->records;
	nft_pages_add(p, 0, page);
	nft_pages_flush(p, &sink);
	ok(st->records > before, "a torn page: its whole records read (%llu)",
	   (unsigned long long)(st->records - before));
	ok(st->bad_records >= 1, "and the torn one counted");

	/* random damage: never a crash, never a read outside the page */
	for (i = 0; i < 3000; i++) {
		size_t k, nflip = 1 + rand_r(&seed) % 8;

		memcpy(page, dp.pages + (i % dp.n) * dp.subbuf, dp.subbuf);
		for (k = 0; k < nflip; k++) {
			size_t at = rand_r(&seed) % (i % 3 ? 64 : dp.subbuf);

			page[at] ^= 1 << (rand_r(&seed) % 8);
		}
		nft_pages_add(p, i % dp.ncpus, page);
		if (i % 7 == 6)
			nft_pages_flush(p, &sink);
	}
	nft_pages_flush(p, &sink);
	ok(st->pages > 3000, "3000 damaged pages read without a crash");
	nft_pages_free(p);
	free(page);
	nft_dat_pages_free(&dp);
}

/* ---- a few pages at a time ---- */

/*
 * A reader that gets a few pages per read, each flush up to what every cpu
 * has written: the same events in the same order as all at once, none
 * late (records held back in the middle of a page go on where they were).
 */
static void test_piecewise(const char *dat)
{
	struct nft_dat_pages dp;
	struct seen a = { 0 }, b = { 0 };
	struct nft_sink sa = { collect, &a }, sb = { collect, &b };
	struct nft_pages *p, *q;
	struct nft_feed *f;
	size_t i;

	if (nft_dat_pages_load(dat, &dp)) {
		ok(0, "%s: cut into pages", dat);
		return;
	}
	q = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	for (i = 0; i < dp.n; i++)
		nft_pages_add(q, dp.cpu[i], dp.pages + i * dp.subbuf);
	nft_pages_flush(q, &sa);
	p = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	f = nft_feed_new(&dp, dp.n + 1);
	while (nft_feed_write(f, 3)) {
		nft_feed_read(f, p, 2);
		nft_pages_set_limit(p, nft_feed_complete_to(f));
		nft_pages_flush(p, &sb);
	}
	while (nft_feed_read(f, p, 1)) {
		nft_pages_set_limit(p, nft_feed_complete_to(f));
		nft_pages_flush(p, &sb);
	}
	nft_pages_set_limit(p, nft_feed_complete_to(f));
	nft_pages_flush(p, &sb);
	is(b.n, a.n, "read 3 pages at a time: every event");
	ok(a.h == b.h, "%s: in the same order (%llx vs %llx)", dat,
	   (unsigned long long)a.h, (unsigned long long)b.h);
	is(nft_pages_stats(p)->late_records, 0, "none late");
	is(b.lost_markers, 0, "nothing lost");
	nft_feed_free(f);
	nft_pages_free(p);
	nft_pages_free(q);
	nft_dat_pages_free(&dp);
}

/* ---- overload ---- */

struct run {
	struct nft_model *m;
	struct nft_top *t;
	struct nft_pages *p;
	struct nft_feed *f;
	char *text, *json;
};

/* netfs-top's live path on @dp through a ring of @ring pages per cpu. */
static void run_feed(const struct nft_dat_pages *dp, size_t ring, size_t rate,
		     bool unstored, struct run *r)
{
	struct nft_model_opts mo = { 0 };
	struct nft_sink sink;
	size_t len;
	FILE *out;

	memset(r, 0, sizeof(*r));
	r->t = nft_top_new(NULL);
	nft_top_hooks(r->t, &mo.hooks);
	r->m = nft_model_new(&mo);
	nft_top_attach(r->t, r->m);
	sink = (struct nft_sink){ nft_top_event, r->t };
	r->p = nft_pages_new(dp->tep, dp->ncpus, dp->subbuf);
	r->f = nft_feed_new(dp, ring);
	nft_feed_set_unstored(r->f, unstored);
	for (;;) {
		size_t w = nft_feed_write(r->f, rate);

		nft_feed_read(r->f, r->p, 1024);
		nft_pages_set_limit(r->p, nft_feed_complete_to(r->f));
		nft_pages_flush(r->p, &sink);
		if (!w)
			break;
	}
	nft_model_finish(r->m);
	nft_top_tick(r->t, nft_model_summary(r->m)->ts_last, 1);
	out = open_memstream(&r->text, &len);
	nft_top_print_text(r->t, out, NFT_TOP_BY_INODE, NFT_TOP_COL_REQS, 5);
	fclose(out);
	out = open_memstream(&r->json, &len);
	nft_top_print_json(r->t, out, NFT_TOP_BY_INODE, NFT_TOP_COL_REQS, 5);
	fclose(out);
}

static void run_free(struct run *r)
{
	nft_feed_free(r->f);
	nft_pages_free(r->p);
	nft_model_free(r->m);
	nft_top_free(r->t);
	free(r->text);
	free(r->json);
}

static bool has_finding(const struct nft_model *m, const struct nft_finding *f)
{
	const struct nft_finding *g;
	size_t n, i;

	g = nft_model_findings(m, &n);
	for (i = 0; i < n; i++)
		if (g[i].kind == f->kind && !strcmp(g[i].object, f->object))
			return true;
	return false;
}

static void test_overload(const char *dat)
{
	static const struct {
		size_t ring, rate;
		bool unstored;
	} cases[] = {
		{ 2, 8, false }, { 1, 3, false }, { 4, 16, false },
		{ 3, 7, false }, { 1, 5, false }, { 2, 8, true },
		{ 1, 3, true },
	};
	struct nft_dat_pages dp;
	struct run clean, r;
	size_t c, n, i;

	if (nft_dat_pages_load(dat, &dp)) {
		ok(0, "%s: cut into pages", dat);
		return;
	}
	run_feed(&dp, dp.n + 1, dp.n, false, &clean);
	is(nft_feed_stats(clean.f)->records_overwritten, 0,
	   "a ring that holds it all: nothing overwritten");
	is(nft_model_summary(clean.m)->lost_markers, 0, "nothing lost");
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct nft_feed_stats *fs;
		const struct nft_summary *sum;
		const struct nft_pages_stats *ps;
		const struct nft_finding *f;
		size_t extra = 0, bad = 0;
		char want[64];

		run_feed(&dp, cases[c].ring, cases[c].rate, cases[c].unstored, &r);
		fs = nft_feed_stats(r.f);
		sum = nft_model_summary(r.m);
		ps = nft_pages_stats(r.p);
		/* (a capture that fits in one write may fit in the rings) */
		ok(fs->records_overwritten > 0 || dp.n <= cases[c].rate,
		   "%s: ring %zu, %zu pages a read%s: %llu of %llu records overwritten",
		   dat, cases[c].ring, cases[c].rate,
		   cases[c].unstored ? ", counts not stored" : "",
		   (unsigned long long)fs->records_overwritten,
		   (unsigned long long)fs->records_written);
		is(ps->lost_markers, fs->missed_pages,
		   "a marker per page flagged RB_MISSED_EVENTS");
		is(ps->lost_events, fs->missed_stored, "the stored counts, summed");
		is(fs->missed_stored + fs->records_unstored,
		   fs->records_overwritten,
		   "every overwritten record counted, or said unknown");
		if (cases[c].unstored)
			is(ps->lost_events, 0, "no count stored: an unknown number");
		is(sum->lost_markers, ps->lost_markers, "the model has every marker");
		is(sum->lost_events, ps->lost_events, "and every count");
		is(ps->records, fs->records_written - fs->records_overwritten,
		   "every record not overwritten is read");
		is(ps->late_records, 0, "none late");
		f = nft_model_findings(r.m, &n);
		for (i = 0; i < n; i++) {
			if (has_finding(clean.m, &f[i]))
				continue;
			extra++;
			if (!f[i].uncertain) {
				bad++;
				printf("# certain, not in the clean run: %s %s: %s\n",
				       nft_finding_kind_name(f[i].kind),
				       f[i].object, f[i].message);
			}
		}
		is(bad, 0, "findings the loss made are all uncertain");
		printf("# %zu findings, %zu not in the clean run\n", n, extra);
		/* shown: netfs-top's batch text and JSON */
		if (cases[c].unstored)
			snprintf(want, sizeof(want), "lost events %llu+",
				 (unsigned long long)sum->lost_events);
		else
			snprintf(want, sizeof(want), "lost events %llu ",
				 (unsigned long long)sum->lost_events);
		ok(r.text && strstr(r.text, want), "batch text says \"%s\"", want);
		snprintf(want, sizeof(want), "\"lost_events\": %llu",
			 (unsigned long long)sum->lost_events);
		ok(r.json && strstr(r.json, want), "batch JSON says %s", want);
		snprintf(want, sizeof(want), "\"lost_markers\": %llu",
			 (unsigned long long)sum->lost_markers);
		ok(r.json && strstr(r.json, want), "and %s", want);
		run_free(&r);
	}
	run_free(&clean);
	nft_dat_pages_free(&dp);
}

int main(void)
{
	static const char *const fixtures[] = {
		"tests/fixtures/6.16/smb_fault_killloop.dat",
		"tests/fixtures/6.18/smb_dio.dat",
		"tests/fixtures/7.3/fault_shrink.dat",
	};
	glob_t g;
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		test_encodings(fixtures[i]);
		test_piecewise(fixtures[i]);
		test_overload(fixtures[i]);
	}
	test_torn(fixtures[1]);
	/* The corpus .dat files are too big for the repository. */
	if (!glob("/work/shared/corpus/*/*smb_fault_kill*.dat", 0, NULL, &g)) {
		for (i = 0; i < g.gl_pathc; i++) {
			test_piecewise(g.gl_pathv[i]);
			test_overload(g.gl_pathv[i]);
		}
		globfree(&g);
	}
	return tap_done();
}
