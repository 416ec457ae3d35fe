// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition writer (report/openmetrics.c): escaping, suffixes, the
 * two formats, histograms, # EOF, Accept negotiation and the one-sample
 * emit adapter; and the metrics module (metrics.c): its hooks chain the
 * ones already installed, and failures by errno add up to the summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/metrics.h"
#include "libnetfs-trace/report/openmetrics.h"
#include "lines.h"
#include "tap.h"

struct buf {
	char *p;
	size_t len;
	FILE *f;
	struct nft_om w;
};

static void open_buf(struct buf *b, enum nft_om_format fmt)
{
	b->p = NULL;
	b->len = 0;
	b->f = open_memstream(&b->p, &b->len);
	nft_om_init(&b->w, b->f, fmt);
}

/* End the exposition; returns nft_om_end()'s status, text in b->p. */
static int close_buf(struct buf *b)
{
	int rc = nft_om_end(&b->w);

	fclose(b->f);
	return rc;
}

static void test_escaping(void)
{
	const char *l[] = { "path", "a\\b\"c\nd", NULL };
	struct buf b;

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_family_begin(&b.w, "t_g", NFT_OM_GAUGE, NULL,
			    "help with \\ and \" and\nnewline");
	nft_om_sample_u64(&b.w, NULL, l, 7);
	is(close_buf(&b), 0, "escaping: no error");
	ok(strstr(b.p, "t_g{path=\"a\\\\b\\\"c\\nd\"} 7\n"),
	   "label value: \\\\ \\\" \\n escaped: %s", b.p);
	ok(strstr(b.p, "# HELP t_g help with \\\\ and \\\" and\\nnewline\n"),
	   "OpenMetrics HELP escapes \\ \" and newline");
	free(b.p);

	open_buf(&b, NFT_OM_CLASSIC);
	nft_om_family_begin(&b.w, "t_g", NFT_OM_GAUGE, NULL,
			    "help with \\ and \" and\nnewline");
	nft_om_sample_u64(&b.w, NULL, l, 7);
	is(close_buf(&b), 0, "classic: no error");
	ok(strstr(b.p, "# HELP t_g help with \\\\ and \" and\\nnewline\n"),
	   "classic HELP escapes \\ and newline, not \"");
	ok(strstr(b.p, "t_g{path=\"a\\\\b\\\"c\\nd\"} 7\n"),
	   "classic label value escaped the same");
	free(b.p);
}

static void test_counter(void)
{
	const char *l[] = { "origin", "readahead", NULL };
	struct buf b;

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_family_begin(&b.w, "netfs_read_bytes", NFT_OM_COUNTER, "bytes",
			    "h");
	nft_om_sample_u64(&b.w, NULL, l, 42);
	/* a _total given by mistake is dropped from the family name */
	nft_om_family_begin(&b.w, "netfs_retries_total", NFT_OM_COUNTER, NULL,
			    "h");
	nft_om_sample_u64(&b.w, NULL, NULL, 3);
	is(close_buf(&b), 0, "counters: no error");
	ok(strstr(b.p, "# TYPE netfs_read_bytes counter\n# UNIT netfs_read_bytes bytes\n"),
	   "OpenMetrics: family without _total, UNIT: %s", b.p);
	ok(strstr(b.p, "netfs_read_bytes_total{origin=\"readahead\"} 42\n"),
	   "sample with _total");
	ok(strstr(b.p, "# TYPE netfs_retries counter\n") &&
	   strstr(b.p, "\nnetfs_retries_total 3\n"), "_total not doubled");
	ok(!strcmp(b.p + strlen(b.p) - 6, "# EOF\n"), "ends with # EOF");
	free(b.p);

	open_buf(&b, NFT_OM_CLASSIC);
	nft_om_family_begin(&b.w, "netfs_read_bytes", NFT_OM_COUNTER, "bytes",
			    "h");
	nft_om_sample_u64(&b.w, NULL, l, 42);
	nft_om_family_begin(&b.w, "netfs_exporter_build", NFT_OM_INFO, NULL,
			    "h");
	nft_om_sample_u64(&b.w, NULL, l, 1);
	is(close_buf(&b), 0, "classic: no error");
	ok(strstr(b.p, "# HELP netfs_read_bytes_total h\n# TYPE netfs_read_bytes_total counter\n"),
	   "classic: HELP/TYPE name the _total sample: %s", b.p);
	ok(!strstr(b.p, "# UNIT") && !strstr(b.p, "# EOF"),
	   "classic: no UNIT, no EOF");
	ok(strstr(b.p, "# TYPE netfs_exporter_build_info gauge\n"),
	   "classic: info is a gauge named _info");
	free(b.p);
}

static void test_histogram(void)
{
	static const double le[] = { 0.001, 0.5, 1 };
	static const uint64_t counts[] = { 2, 0, 3, 1 };
	const char *l[] = { "origin", "dio_read", NULL };
	struct buf b;

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_family_begin(&b.w, "t_duration_seconds", NFT_OM_HISTOGRAM,
			    "seconds", "h");
	nft_om_histogram(&b.w, l, le, counts, 3, 2.25);
	is(close_buf(&b), 0, "histogram: no error");
	ok(strstr(b.p,
		  "t_duration_seconds_bucket{origin=\"dio_read\",le=\"0.001\"} 2\n"
		  "t_duration_seconds_bucket{origin=\"dio_read\",le=\"0.5\"} 2\n"
		  "t_duration_seconds_bucket{origin=\"dio_read\",le=\"1.0\"} 5\n"
		  "t_duration_seconds_bucket{origin=\"dio_read\",le=\"+Inf\"} 6\n"
		  "t_duration_seconds_sum{origin=\"dio_read\"} 2.25\n"
		  "t_duration_seconds_count{origin=\"dio_read\"} 6\n"),
	   "buckets cumulative, +Inf = _count, le a float: %s", b.p);
	free(b.p);

	open_buf(&b, NFT_OM_CLASSIC);
	nft_om_family_begin(&b.w, "t_duration_seconds", NFT_OM_HISTOGRAM,
			    "seconds", "h");
	nft_om_histogram(&b.w, NULL, le, counts, 3, 2.25);
	is(close_buf(&b), 0, "classic histogram: no error");
	ok(strstr(b.p, "t_duration_seconds_bucket{le=\"1\"} 5\n"
		       "t_duration_seconds_bucket{le=\"+Inf\"} 6\n"),
	   "classic: no labels but le: %s", b.p);
	free(b.p);
}

static void test_errors(void)
{
	struct buf b;

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_sample_u64(&b.w, NULL, NULL, 1);
	is(close_buf(&b), -1, "a sample without a family is an error");
	free(b.p);

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_family_begin(&b.w, "netfs_read", NFT_OM_COUNTER, "bytes", "h");
	is(close_buf(&b), -1, "a unit that does not end the name is an error");
	free(b.p);

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_family_begin(&b.w, "9bad-name", NFT_OM_GAUGE, NULL, "h");
	is(close_buf(&b), -1, "a name that is no metric name is an error");
	free(b.p);
}

static void test_negotiate(void)
{
	/* what Prometheus 2.42 sends by default */
	is(nft_om_negotiate("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
	   NFT_OM_OPENMETRICS, "Prometheus's Accept: OpenMetrics");
	is(nft_om_negotiate("text/plain;version=0.0.4;q=1,*/*;q=0.1"),
	   NFT_OM_CLASSIC, "text/plain: classic");
	is(nft_om_negotiate(NULL), NFT_OM_CLASSIC, "no Accept: classic");
	is(nft_om_negotiate("*/*"), NFT_OM_CLASSIC, "*/* (curl): classic");
	is(nft_om_negotiate("application/openmetrics-text; q=0"),
	   NFT_OM_CLASSIC, "OpenMetrics at q=0: classic");
	is(nft_om_negotiate("text/plain;q=0.3, Application/OpenMetrics-Text;q=0.5"),
	   NFT_OM_OPENMETRICS, "preferred by q, case-insensitive");
	is(nft_om_negotiate("application/openmetrics-text;q=0.2,text/plain;q=0.9"),
	   NFT_OM_CLASSIC, "text/plain preferred");
}

static void test_emit_cb(void)
{
	struct buf b;

	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_om_emit_cb(&b.w, "netfs_stat_reads_total", NFT_OM_COUNTER, "h",
		       "op", "DR", 5);
	nft_om_emit_cb(&b.w, "netfs_stat_reads_total", NFT_OM_COUNTER, "h",
		       "op", "RA", 6);
	nft_om_emit_cb(&b.w, "netfs_stat_objects", NFT_OM_GAUGE, "h",
		       NULL, NULL, 2);
	is(close_buf(&b), 0, "emit adapter: no error");
	ok(strstr(b.p, "# TYPE netfs_stat_reads counter\n# HELP netfs_stat_reads h\n"
		       "netfs_stat_reads_total{op=\"DR\"} 5\n"
		       "netfs_stat_reads_total{op=\"RA\"} 6\n"
		       "# TYPE netfs_stat_objects gauge\n"),
	   "one header per family, _total once: %s", b.p);
	ok(strstr(b.p, "\nnetfs_stat_objects 2\n"), "no labels when none given");
	free(b.p);
}

/* ---- metrics.c ---- */

struct prev_hooks {
	unsigned long findings, ends, events;
};

static void prev_finding(void *ctx, const struct nft_finding *f)
{
	(void)f;
	((struct prev_hooks *)ctx)->findings++;
}

static void prev_end(void *ctx, const struct nft_request *r)
{
	(void)r;
	((struct prev_hooks *)ctx)->ends++;
}

static void prev_event(void *ctx, const struct nft_event *ev,
		       const struct nft_request *r, const struct nft_subreq *s)
{
	(void)ev, (void)r, (void)s;
	((struct prev_hooks *)ctx)->events++;
}

/* constructed from tests/unit/test_detectors.c's failure and cachefiles traces */
static const char *const failing[] = {
	"netfs_read: R=000000e7 READAHEAD c=00000000 ni=1002 s=0 l=20000 sz=40000",
	"netfs_rreq_ref: R=000000e7 NEW         r=2",
	"netfs_rreq: R=000000e7 RA ASSESS  f=2021",
	"netfs_sreq: R=000000e7[1] DOWN SUBMT f=100 s=0 0/20000 s=0 e=0",
	"netfs_failure: R=000000e7[1] DOWN f=100 s=0 0/20000 read e=-104",
	"netfs_sreq: R=000000e7[1] DOWN TERM  f=400 s=0 0/20000 s=0 e=-104",
	"netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1",
	"netfs_rreq: R=000000e7 RA DONE    f=0001",
	"netfs_rreq_ref: R=000000e7 PUT RETURN  r=1",
	"netfs_rreq: R=000000e7 RA FREE    f=0001",
	"netfs_rreq_ref: R=000000e7 PUT COMPLT  r=0",
	"cachefiles_io_error: o=0000004c B=80a1 write e=-5",
	"cachefiles_vfs_error: o=00000009 B=80a1 write e=-28",
	"cachefiles_io_error: o=0000004c B=80a1 write e=-5",
	"cachefiles_io_error: o=0000004c B=80a1 write e=-1234",
};

static void test_metrics(void)
{
	struct nft_model_opts mo = { 0 };
	struct nft_test_opts to = { .form = NFT_TF_FULL, .model = &mo };
	struct prev_hooks prev = { 0 };
	struct nft_metrics *mx = nft_metrics_new("9.9");
	struct nft_test_result r;
	const struct nft_summary *s;
	struct buf b;

	mo.hooks.finding = prev_finding;
	mo.hooks.request_end = prev_end;
	mo.hooks.event = prev_event;
	mo.hooks.ctx = &prev;
	nft_metrics_hooks(mx, &mo.hooks);
	ok(mo.hooks.ctx == mx, "our hooks installed");
	r = nft_test_run(failing, sizeof(failing) / sizeof(failing[0]), &to);
	is(r.parse_errors, 0, "the trace parses");
	nft_metrics_attach(mx, r.m, NULL);
	s = nft_model_summary(r.m);
	ok(prev.findings == s->findings_not_kept + r.n && prev.findings > 0,
	   "chained finding hook still called (%lu)", prev.findings);
	is((int64_t)prev.ends, 1, "chained request_end hook still called");
	is((int64_t)prev.events, (int64_t)(sizeof(failing) / sizeof(failing[0])),
	   "chained event hook called for every event");

	open_buf(&b, NFT_OM_CLASSIC);
	nft_metrics_write(mx, &b.w);
	is(close_buf(&b), 0, "metrics: no error");
	is((int64_t)s->failures, 5, "summary: 5 failures");
	ok(strstr(b.p, "netfs_failures_total{errno=\"ECONNRESET\"} 1\n") &&
	   strstr(b.p, "netfs_failures_total{errno=\"EIO\"} 2\n") &&
	   strstr(b.p, "netfs_failures_total{errno=\"ENOSPC\"} 1\n") &&
	   strstr(b.p, "netfs_failures_total{errno=\"other\"} 1\n"),
	   "failures by errno add up to the summary's 5: %s", b.p);
	ok(strstr(b.p, "netfs_requests_total{origin=\"readahead\"} 1\n"),
	   "requests by origin in words");
	ok(strstr(b.p, "netfs_request_duration_seconds_count{origin=\"readahead\"} 1\n"),
	   "one duration observed");
	ok(strstr(b.p, "netfs_findings_total{kind=\"failure\"} "),
	   "findings by kind");
	ok(strstr(b.p, "netfs_exporter_build_info{version=\"9.9\",kernel_generation="),
	   "build info");
	ok(!strstr(b.p, "e7") && !strstr(b.p, "1002"),
	   "no request id or inode in any label");
	free(b.p);
	is_str(nft_metrics_errno_word(-11), "EAGAIN", "errno word");
	is_str(nft_metrics_errno_word(-512), "ERESTARTSYS", "kernel errno");
	is_str(nft_metrics_errno_word(0), "none", "no errno");
	is_str(nft_metrics_origin_word(0), "unknown", "origin 0");
	nft_model_free(r.m);
	nft_metrics_free(mx);
}

/* a /proc/fs/netfs/stats reader as --stats-only would plug it in */
static void fake_stats(void *ctx, struct nft_om *w)
{
	(void)ctx;
	nft_om_emit_cb(w, "netfs_stats_reads_total", NFT_OM_COUNTER, "h",
		       "op", "RA", 279);
	nft_om_emit_cb(w, "netfs_stats_objects", NFT_OM_GAUGE, "h",
		       "kind", "request", 0);
}

static void test_sources(void)
{
	struct nft_metrics *mx = nft_metrics_new("9.9");
	struct buf b;
	int i;

	for (i = 0; i < NFT_METRICS_SOURCES; i++)
		nft_metrics_add_source(mx, fake_stats, NULL);
	is(nft_metrics_add_source(mx, fake_stats, NULL), -1, "sources bounded");
	nft_metrics_free(mx);
	mx = nft_metrics_new("9.9");
	is(nft_metrics_add_source(mx, fake_stats, NULL), 0, "source added");
	open_buf(&b, NFT_OM_OPENMETRICS);
	nft_metrics_write(mx, &b.w);
	is(close_buf(&b), 0, "no error");
	ok(strstr(b.p, "netfs_exporter_build_info{version=\"9.9\",kernel_generation=\"unknown\"} 1\n"),
	   "no model: build info, generation unknown");
	ok(!strstr(b.p, "netfs_requests_total"), "no model: no tracepoint metrics");
	ok(strstr(b.p, "# TYPE netfs_stats_reads counter\n# HELP netfs_stats_reads h\n"
		       "netfs_stats_reads_total{op=\"RA\"} 279\n"),
	   "the source's families follow: %s", b.p);
	ok(!strcmp(b.p + strlen(b.p) - 6, "# EOF\n"), "then # EOF");
	free(b.p);
	nft_metrics_free(mx);
}

int main(void)
{
	test_escaping();
	test_counter();
	test_histogram();
	test_errors();
	test_negotiate();
	test_emit_cb();
	test_metrics();
	test_sources();
	return tap_done();
}
