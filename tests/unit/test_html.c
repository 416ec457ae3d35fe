// SPDX-License-Identifier: GPL-2.0
/*
 * The HTML report's collector and writer (libnetfs-trace/report/html.c):
 * escaping, the chaining of the model hooks, what is kept in detail (a leak
 * and its clean twin), the series that merge pairwise as a capture gets
 * longer, and the aggregation past the row limit.  The browser-side checks
 * are in tests/bats/html.bats.  The lines are real 7.2 lines (corpus
 * seqread capture) edited by hand, as in test_detectors.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/model.h"
#include "libnetfs-trace/report/html.h"
#include "lines.h"
#include "tap.h"

#define T(ts, line) NFT_TEST_T(ts, line)
#define K(ts, line) NFT_TEST_K(ts, line)

/* A clean 7.2 readahead R=e7 with one subrequest; FREE comes last. */
#define HEAD NFT_TEST_E7_HEAD, NFT_TEST_E7_TERM, NFT_TEST_E7_TAIL
#define FREE NFT_TEST_E7_FREE
#define LATER NFT_TEST_LATER

/* A hook that was there before the page's: it must still be called. */
struct counts {
	int events, findings, ends;
};

static void c_event(void *ctx, const struct nft_event *ev,
		    const struct nft_request *req, const struct nft_subreq *s)
{
	(void)ev;
	(void)req;
	(void)s;
	((struct counts *)ctx)->events++;
}

static void c_finding(void *ctx, const struct nft_finding *f)
{
	(void)f;
	((struct counts *)ctx)->findings++;
}

static void c_end(void *ctx, const struct nft_request *req)
{
	(void)req;
	((struct counts *)ctx)->ends++;
}

struct page {
	char *html;
	size_t len;
	struct counts c;
	struct nft_test_result r;
};

static void page_of(struct page *p, const char *const *lines, size_t n,
		    const struct nft_html_opts *ho)
{
	struct nft_model_opts mo = { 0 };
	struct nft_test_opts o = { .keep_raw = true, .model = &mo };
	struct nft_report_input in = { .name = "test<&>.txt", .format = "text",
				       .compression = "none" };
	struct nft_html *h;
	FILE *f;

	memset(p, 0, sizeof(*p));
	mo.hooks = (struct nft_model_hooks){ .event = c_event,
					     .finding = c_finding,
					     .request_end = c_end,
					     .ctx = &p->c };
	if (ho)
		mo.focus = ho->focus;
	h = nft_html_new(ho, &mo.hooks);
	ok(h != NULL, "collector made");
	if (!h)
		return;
	p->r = nft_test_run(lines, n, &o);
	f = open_memstream(&p->html, &p->len);
	is(nft_html_write(f, h, p->r.m, &in), 0, "page written");
	fclose(f);
	nft_html_free(h);
}

static void page_free(struct page *p)
{
	free(p->html);
	nft_model_free(p->r.m);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *s = hay; s && (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static void test_escape(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	static const char in[] = "</script><img src=x onerror='a(\"b\")'>&\x01\x7f\tz";

	nft_html_escape(f, in, sizeof(in) - 1);
	fclose(f);
	is_str(buf, "&lt;/script&gt;&lt;img src=x onerror=&#39;a(&quot;b&quot;)&#39;&gt;&amp;??\tz",
	       "markup, quotes, ampersand and control bytes escaped");
	free(buf);
}

static void test_leak_and_twin(void)
{
	static const char *const clean[] = { HEAD, FREE, LATER };
	static const char *const leak[] = { HEAD, LATER };
	struct page p;

	page_of(&p, clean, sizeof(clean) / sizeof(clean[0]), NULL);
	is((int64_t)p.r.n, 0, "clean: no findings");
	is(count(p.html, "class=\"req "), 2, "clean: two request bars");
	is(count(p.html, "<tr class=\"finding"), 0, "clean: no finding rows");
	is(count(p.html, "o1 bad"), 0, "clean: no bar outlined");
	ok(!strstr(p.html, "kept: findings"), "clean: no drill-down for a finding");
	/* both are among the slowest of RA: drilled into anyway */
	ok(strstr(p.html, "id=\"R000000e7\"") != NULL, "clean: slowest kept");
	ok(strstr(p.html, "test&lt;&amp;&gt;.txt") != NULL, "file name escaped");
	ok(!strstr(p.html, "test<&>"), "file name never raw");
	is(p.c.events, 19, "chained event hook: every event");
	is(p.c.ends, 2, "chained request_end hook");
	ok(strstr(p.html, "data-read=\"131072\"") != NULL,
	   "bytes by source add up to the bytes read");
	ok(strstr(p.html, "data-ready=\"0\"") != NULL &&
	   strstr(p.html, "setAttribute('data-ready','1')") != NULL,
	   "the script marks the page ready");
	ok(!strstr(p.html, "http://") && !strstr(p.html, "https://") &&
	   !strstr(p.html, "src="), "nothing external");
	page_free(&p);

	page_of(&p, leak, sizeof(leak) / sizeof(leak[0]), NULL);
	ok(p.r.n >= 1 && p.r.f[0].kind == NFT_FIND_REF_LEAK, "leak: found");
	is(p.c.findings, (int64_t)p.r.n, "chained finding hook");
	is(count(p.html, "<tr class=\"finding"), (int64_t)p.r.n, "leak: a row per finding");
	is(count(p.html, "o1 bad"), 1, "leak: its bar outlined");
	ok(strstr(p.html, "kept: findings") != NULL, "leak: drill-down for the finding");
	ok(strstr(p.html, "<a href=\"#R000000e7\">R=000000e7</a>") != NULL,
	   "leak: the finding links to the drill-down");
	/* the evidence with the text of its line, as kept by the hooks */
	ok(strstr(p.html, "line 1 (17.349152): dd-418 [000] ..... 17.349152: netfs_rreq_ref: R=000000e7 NEW         r=2\n") != NULL,
	   "leak: evidence line with its text");
	ok(strstr(p.html, "line 12 (17.354433): kworker/u8:1-29 [001] ..... 17.354433: netfs_rreq: R=000000e7 RA WAKE-IP f=102\n") != NULL,
	   "leak: ... and a later one");
	ok(!strstr(p.html, "(text not kept)"), "leak: every evidence line's text kept");
	ok(strstr(p.html, "class=\"refs\"") && strstr(p.html, "class=\"subreqs\"") &&
	   strstr(p.html, "class=\"bytemap\""), "leak: refs, subrequests, byte map");
	page_free(&p);
}

/*
 * Many requests over a long time: the series' buckets merge pairwise again
 * and again, and still add up; past the row limit the healthy ones become
 * density and only the kept ones are drawn.
 */
static void test_long_capture(void)
{
	enum { N = 300 };
	char **lines = calloc(N * 4, sizeof(*lines));
	struct nft_html_opts ho = { .max_rows = 50, .slowest = 2 };
	struct page p;
	size_t n = 0;
	char want[64];

	for (int i = 0; i < N; i++) {
		unsigned int id = 0x100 + i;
		/* 2^i-ish spacing: from microseconds to hours */
		double t = 1.0 + i * (i + 1) * 0.37;

		if (asprintf(&lines[n++], "dd-418 [000] ..... %.6f: netfs_rreq_ref: R=%08x NEW         r=2", t, id) < 0 ||
		    asprintf(&lines[n++], "dd-418 [000] ..... %.6f: netfs_read: R=%08x READAHEAD c=00000000 ni=534061 s=0 l=1000 sz=4000000", t, id) < 0 ||
		    asprintf(&lines[n++], "dd-418 [000] ..... %.6f: netfs_rreq_ref: R=%08x PUT WORK IP  r=0", t + 0.000001 * (i + 1), id) < 0 ||
		    asprintf(&lines[n++], "dd-418 [000] ..... %.6f: netfs_rreq: R=%08x RA FREE    f=102", t + 0.000001 * (i + 1), id) < 0)
			break;
	}
	page_of(&p, (const char *const *)lines, n, &ho);
	is((int64_t)nft_model_summary(p.r.m)->requests, N, "all requests seen");
	ok(strstr(p.html, "250 healthy requests shown as density") == NULL,
	   "not all but the kept ones");
	snprintf(want, sizeof(want), "%d healthy requests shown as density", N - 2);
	ok(strstr(p.html, want) != NULL, "past the row limit: density (%s)", want);
	is(count(p.html, "class=\"req "), 2, "drawn: the 2 slowest only");
	is(count(p.html, "class=\"req-detail\""), 2, "and drilled into");
	is(count(p.html, "<g class=\"band\" data-origin=\"RA\">"), 1, "one RA band");
	page_free(&p);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void test_focus(void)
{
	static const char *const two[] = { HEAD, FREE, LATER };
	struct nft_html_opts ho = { 0 };
	struct page p;

	nft_focus_parse("f0", &ho.focus);
	page_of(&p, two, sizeof(two) / sizeof(two[0]), &ho);
	is(count(p.html, "class=\"req "), 1, "-R: one bar");
	ok(strstr(p.html, "data-id=\"000000f0\"") && !strstr(p.html, "data-id=\"000000e7\""),
	   "-R: the focused request only");
	page_free(&p);
}

int main(void)
{
	test_escape();
	test_leak_and_twin();
	test_long_capture();
	test_focus();
	return tap_done();
}
