// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top's library parts: the latency histogram, the aggregator on a
 * replayed capture, and the live decode path (raw ring-buffer pages ->
 * kbuffer -> tep_event.c) against the trace.dat decoder on the same
 * records.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"
#include "decoders/live.h"
#include "libnetfs-trace/top.h"
#include "tap.h"

static void test_hist(void)
{
	struct nft_hist h;
	uint64_t v, q;
	int i;

	memset(&h, 0, sizeof(h));
	ok(nft_hist_quantile(&h, 0.5) == 0, "empty histogram: 0");
	for (i = 1; i <= 1000; i++)
		nft_hist_add(&h, (uint64_t)i * 1000);	/* 1us .. 1ms */
	is(h.n, 1000, "count");
	is(h.max, 1000000, "max is exact");
	q = nft_hist_quantile(&h, 0.5);
	ok(q >= 500000 && q <= 500000 * 1.125, "p50 %llu within 12.5%%",
	   (unsigned long long)q);
	q = nft_hist_quantile(&h, 0.99);
	ok(q >= 990000 && q <= 1000000, "p99 %llu within bounds, <= max",
	   (unsigned long long)q);
	for (v = 0; v < 8; v++) {
		memset(&h, 0, sizeof(h));
		nft_hist_add(&h, v);
		if (nft_hist_quantile(&h, 1) != v)
			break;
	}
	ok(v == 8, "small values exact");
	memset(&h, 0, sizeof(h));
	nft_hist_add(&h, UINT64_MAX / 2);
	ok(nft_hist_quantile(&h, 0.5) == UINT64_MAX / 2, "huge value: clamped to max");
}

struct sum {
	uint64_t n, ours, lost, h;
};

static int summing(void *ctx, const struct nft_event *ev)
{
	struct sum *s = ctx;

	s->n++;
	if (ev->kind == NFT_EV_LOST) {
		s->lost++;
		return 0;
	}
	if (ev->kind != NFT_EV_OTHER)
		s->ours++;
	s->h = s->h * 1000003 ^ (ev->kind * 31 + ev->rreq * 7 + ev->index +
				 ev->what * 131 + ev->ts_ns + ev->len +
				 ev->transferred + (uint64_t)ev->ref +
				 ev->cookie + ev->source + ev->origin);
	return 0;
}

static void test_pages(const char *dat)
{
	struct nft_dat_pages dp;
	struct nft_input *in;
	struct sum a = { 0 }, b = { 0 };
	struct nft_sink sa = { summing, &a }, sb = { summing, &b };
	struct nft_diag diag = { 0 };
	struct nft_pages *p;
	size_t i;

	in = nft_input_open(dat);
	ok(in && !decode_trace_dat(in, NULL, &sa, &diag, NULL),
	   "%s: trace.dat decoder", dat);
	nft_input_close(in);
	ok(!nft_dat_pages_load(dat, &dp), "cut into pages");
	ok(dp.n > 0 && a.ours > 100, "%zu pages, %llu events", dp.n,
	   (unsigned long long)a.ours);
	p = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	ok(p != NULL, "pages decoder");
	for (i = 0; i < dp.n; i++)
		nft_pages_add(p, dp.cpu[i], dp.pages + i * dp.subbuf);
	ok(!nft_pages_flush(p, &sb), "flushed");
	is(b.ours, a.ours, "same netfs/fscache/cachefiles events");
	is(b.n - b.lost, a.n - a.lost, "same records");
	ok(a.h == b.h, "same fields, same order (%llx vs %llx)",
	   (unsigned long long)a.h, (unsigned long long)b.h);
	is(nft_pages_stats(p)->bad_records, 0, "no bad records");
	nft_pages_free(p);
	nft_dat_pages_free(&dp);
}

/*
 * One CPU's pages read (and flushed) before another's that hold older
 * records, as when a CPU was still writing them at the read: each such
 * record is counted late, none is dropped.
 */
static void test_late_pages(const char *dat)
{
	struct sum a = { 0 }, b = { 0 };
	struct nft_sink sa = { summing, &a }, sb = { summing, &b };
	struct nft_dat_pages dp;
	struct nft_pages *p, *q;
	int cpus[2] = { -1, -1 };
	size_t i;

	if (nft_dat_pages_load(dat, &dp)) {
		ok(0, "%s: cut into pages", dat);
		return;
	}
	for (i = 0; i < dp.n && cpus[1] < 0; i++)
		if (cpus[0] < 0)
			cpus[0] = dp.cpu[i];
		else if (dp.cpu[i] != cpus[0])
			cpus[1] = dp.cpu[i];
	ok(cpus[1] >= 0, "%s: two CPUs with records", dat);
	p = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	q = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
	for (i = 0; i < dp.n; i++)
		nft_pages_add(q, dp.cpu[i], dp.pages + i * dp.subbuf);
	ok(!nft_pages_flush(q, &sa), "all CPUs at once");
	is(nft_pages_stats(q)->late_records, 0, "all at once: nothing late");
	for (i = 0; i < dp.n; i++)
		if (dp.cpu[i] != cpus[1])
			nft_pages_add(p, dp.cpu[i], dp.pages + i * dp.subbuf);
	nft_pages_flush(p, &sb);
	for (i = 0; i < dp.n; i++)
		if (dp.cpu[i] == cpus[1])
			nft_pages_add(p, dp.cpu[i], dp.pages + i * dp.subbuf);
	nft_pages_flush(p, &sb);
	ok(nft_pages_stats(p)->late_records > 0,
	   "CPU %d read last: %llu records late", cpus[1],
	   (unsigned long long)nft_pages_stats(p)->late_records);
	is(b.n, a.n, "none dropped");
	nft_pages_free(p);
	nft_pages_free(q);
	nft_dat_pages_free(&dp);
}

static void test_page_lost(void)
{
	char page[4096];
	uint64_t last = 0, commit;
	uint32_t rec[4] = { 1, 2, 3, 4 };
	int i, n = 0;

	nft_page_init(page, sizeof(page), 100);
	for (i = 0; i < 1000; i++)
		if (!nft_page_append(page, sizeof(page), &last, 100 + i * (1ull << 28),
				     rec, sizeof(rec)))
			n++;
	ok(n > 10 && n < 1000, "page fills up (%d records, time extends)", n);
	memcpy(&commit, page + 8, 8);
	ok(commit <= sizeof(page) - 16, "commit within the page");
}

static void test_aggregator(const char *txt)
{
	struct nft_model_opts mo = { 0 };
	struct nft_top *t = nft_top_new(NULL);
	struct nft_sink sink = { nft_top_event, t };
	struct nft_input *in = nft_input_open(txt);
	const struct nft_top_row **rows;
	struct nft_text_opts to = { 0 };
	struct nft_model *m;
	uint64_t reqs = 0;
	size_t n, i;

	nft_top_hooks(t, &mo.hooks);
	m = nft_model_new(&mo);
	nft_top_attach(t, m);
	ok(in && !decode_ftrace_text(in, &to, &sink, NULL, NULL), "%s decoded", txt);
	nft_input_close(in);
	nft_model_finish(m);
	nft_top_tick(t, nft_model_summary(m)->ts_last, 1);
	n = nft_top_rows(t, NFT_TOP_BY_ORIGIN, NFT_TOP_COL_REQS, false, NULL, &rows);
	for (i = 0; i < n; i++)
		reqs += rows[i]->total.reqs;
	is(reqs, nft_model_summary(m)->requests, "rows add up to the model's requests");
	is(nft_top_header(t)->delta.requests, nft_model_summary(m)->requests,
	   "first interval holds everything");
	for (i = 1; i < n; i++)
		if (nft_top_value(t, rows[i], NFT_TOP_COL_REQS) >
		    nft_top_value(t, rows[i - 1], NFT_TOP_COL_REQS))
			break;
	ok(i >= n, "sorted descending");
	n = nft_top_rows(t, NFT_TOP_BY_INODE, NFT_TOP_COL_KEY, true, "5382988", &rows);
	is(n, 1, "filter by name");
	if (n) {
		struct nft_top_req q[8];
		size_t k = nft_top_row_requests(t, NFT_TOP_BY_INODE, rows[0], q, 8);
		char *buf = NULL;
		size_t sz = 0;
		FILE *f = open_memstream(&buf, &sz);

		ok(k > 0, "row remembers its requests");
		ok(k && !nft_top_request_report(t, q[0].id, f), "timeline from the history");
		fclose(f);
		ok(buf && strstr(buf, "R="), "timeline drawn");
		free(buf);
	}
	nft_top_tick(t, nft_model_summary(m)->ts_last, 1);
	is(nft_top_header(t)->delta.requests, 0, "second interval: nothing new");
	nft_model_free(m);
	nft_top_free(t);
}

/* One request opened at @t that never completes: stuck 5 s later. */
static void top_open(struct nft_top *t, double ts, unsigned int id)
{
	const char *fmt[] = {
		"dd-565 [000] ..... %.6f: netfs_rreq_ref: R=%08x NEW         r=2",
		"dd-565 [000] ..... %.6f: netfs_read: R=%08x DIO-READ  c=00000000 ni=534061 s=0 l=1000 sz=4000000",
	};
	enum nft_dialect d = NFT_DIALECT_AUTO;
	static uint64_t pos;
	char line[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		struct nft_event ev;
		const char *err = NULL;

		snprintf(line, sizeof(line), fmt[i], ts, id);
		nft_event_init(&ev);
		if (nft_parse_ftrace_line(line, strlen(line), &d, &ev, &err) < 1)
			continue;
		ev.pos = ++pos;
		nft_top_event(t, &ev);
	}
}

/*
 * The interval's findings as the batch JSON writer reads them: the model's
 * kept ones of the interval in its order, then copies of those past its
 * per-kind cap (at most max_findings), the rest counted; every finding in
 * exactly one interval.  Twin: a pane large enough lists them all.
 */
static void test_interval_findings(uint32_t max_findings, bool expect_dropped)
{
	struct nft_model_opts mo = { .max_objects = 100 };
	struct nft_top_opts to = { .max_findings = max_findings };
	struct nft_top *t = nft_top_new(&to);
	const struct nft_finding *kept, *f;
	uint64_t seen = 0, dropped = 0, nl;
	size_t n, nk, i, kept_seen = 0;
	bool order = true, copies = true;
	unsigned int id, tick;

	nft_top_hooks(t, &mo.hooks);
	struct nft_model *m = nft_model_new(&mo);

	nft_top_attach(t, m);
	/* 1 s apart: each is stuck 5 s later, long before 100 newer come */
	for (tick = 0, id = 1; tick < 3; tick++) {
		for (; id <= 200 * (tick + 1); id++)
			top_open(t, 10.0 + id, id);
		if (tick == 2)
			nft_model_finish(m);
		nft_top_tick(t, nft_model_summary(m)->ts_last, 200);
		n = nft_top_interval_findings(t, &nl);
		kept = nft_model_findings(m, &nk);
		for (i = 0; i < n; i++) {
			f = nft_top_interval_finding(t, i);
			if (!f) {
				order = false;
				continue;
			}
			if (f >= kept && f < kept + nk) {
				/* the model's: in its order, none twice */
				if (f != &kept[kept_seen])
					order = false;
				kept_seen++;
			} else if (f->kind != NFT_FIND_STUCK || !f->message ||
				   !*f->message || !*f->object) {
				copies = false;
			}
		}
		ok(nft_top_interval_finding(t, n) == NULL,
		   "interval %u: nothing past the count", tick + 1);
		seen += n;
		dropped += nl;
	}
	ok(order, "the model's kept findings, each once, in its order");
	is((int64_t)kept_seen, (int64_t)nk, "every kept finding in an interval");
	ok(copies, "the unkept ones copied whole");
	ok(nft_model_summary(m)->findings_not_kept > 0, "the model's cap was reached");
	is((int64_t)(seen + dropped),
	   (int64_t)(nk + nft_model_summary(m)->findings_not_kept),
	   "listed + counted = every finding");
	ok(expect_dropped ? dropped > 0 : dropped == 0,
	   "max_findings %u: %llu not listed", max_findings,
	   (unsigned long long)dropped);
	nft_top_tick(t, nft_model_summary(m)->ts_last, 1);
	is((int64_t)nft_top_interval_findings(t, &nl), 0, "a quiet interval: none");
	is((int64_t)nl, 0, "and none counted");
	{
		const struct nft_top_row **rows, **mine;
		size_t k;

		n = nft_top_rows(t, NFT_TOP_BY_INODE, NFT_TOP_COL_P99, false,
				 NULL, &rows);
		mine = calloc(nft_top_nr_rows(t, NFT_TOP_BY_INODE) + 1,
			      sizeof(*mine));
		k = nft_top_sort_rows(t, NFT_TOP_BY_INODE, NFT_TOP_COL_P99,
				      false, NULL, mine);
		ok(k == n && k && !memcmp(rows, mine, n * sizeof(*rows)),
		   "the caller's array sorted as the aggregator's");
		free(mine);
	}
	nft_model_free(m);
	nft_top_free(t);
}

int main(void)
{
	glob_t g;

	test_hist();
	test_page_lost();
	test_late_pages("tests/fixtures/6.18/smb_dio.dat");
	test_aggregator("tests/fixtures/top/smallreads-6.12.txt.xz");
	test_interval_findings(8, true);
	test_interval_findings(4096, false);
	/* The corpus .dat files are too big for the repository. */
	if (!glob("/work/shared/corpus/*/smb_dio.dat", 0, NULL, &g)) {
		size_t i;

		for (i = 0; i < g.gl_pathc; i++)
			test_pages(g.gl_pathv[i]);
		globfree(&g);
	} else {
		ok(1, "# skip no corpus .dat files here");
	}
	return tap_done();
}
