// SPDX-License-Identifier: GPL-2.0
/*
 * The object bound (--max-objects, model.h): requests that never complete
 * -- the generator's "open" stream of ../shared/repro/gen-open-requests.c,
 * a leaking kernel -- must not grow the model without bound.  Checked:
 * the live objects never exceed the bound between events, the note is
 * raised once, the findings on the objects kept are those of a run with
 * no bound, the later lines of an evicted id give no use-after-free or
 * ref-mismatch (while the same lines after a FREE still do), findings
 * past the per-kind cap are counted, and the tombstones and parked
 * ledgers stay within their caps.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/model_internal.h"
#include "libnetfs-trace/top.h"
#include "tap.h"

struct notes {
	unsigned int evicted, capped, other;
	size_t findings;	/* hook calls */
};

static void on_note(void *ctx, unsigned int note, const struct nft_summary *s)
{
	struct notes *n = ctx;

	(void)s;
	if (note == NFT_NOTE_EVICTED)
		n->evicted++;
	else if (note == NFT_NOTE_FINDINGS_CAPPED)
		n->capped++;
	else
		n->other++;
}

static void on_finding(void *ctx, const struct nft_finding *f)
{
	struct notes *n = ctx;

	(void)f;
	n->findings++;
}

struct feeder {
	struct nft_model *m;
	enum nft_dialect dialect;
	uint64_t pos;
	uint64_t max_live;	/* live objects seen after any event */
	int errors;
};

static void feed(struct feeder *fd, const char *line)
{
	struct nft_event ev;
	const char *err = NULL;

	nft_event_init(&ev);
	if (nft_parse_ftrace_line(line, strlen(line), &fd->dialect, &ev,
				  &err) < 1) {
		printf("# unparsed: %s (%s)\n", line, err ? err : "");
		fd->errors++;
		return;
	}
	ev.pos = ++fd->pos;
	nft_model_event(fd->m, &ev);
	if (nft_model_summary(fd->m)->live_objects > fd->max_live)
		fd->max_live = nft_model_summary(fd->m)->live_objects;
}

static void feedf(struct feeder *fd, double ts, const char *fmt, unsigned int id)
{
	char line[256], body[200];

	snprintf(body, sizeof(body), fmt, id);
	snprintf(line, sizeof(line), "dd-565 [000] ..... %.6f: %s", ts, body);
	feed(fd, line);
}

/* The generator's "open" mode: NEW r=2 and a DIO read, never completed. */
static void open_requests(struct feeder *fd, unsigned int first,
			  unsigned int n, double t0, double step)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		double t = t0 + step * i;

		feedf(fd, t, "netfs_rreq_ref: R=%08x NEW         r=2", first + i);
		feedf(fd, t, "netfs_read: R=%08x DIO-READ  c=00000000 ni=534061 s=0 l=1000 sz=4000000",
		      first + i);
	}
}

/*
 * Findings on objects that are kept whatever the bound: a use-after-free
 * (a line after FREE) and a ref-mismatch (a put that printed a count no
 * order chains), both of requests of the last lines.
 */
static void kept_findings(struct feeder *fd, double t)
{
	feedf(fd, t, "netfs_rreq_ref: R=%08x NEW         r=2", 0xa0000001);
	feedf(fd, t, "netfs_rreq_ref: R=%08x PUT RETURN  r=1", 0xa0000001);
	feedf(fd, t, "netfs_rreq_ref: R=%08x PUT WORK IP  r=0", 0xa0000001);
	feedf(fd, t, "netfs_rreq: R=%08x DR FREE    f=02", 0xa0000001);
	feedf(fd, t, "netfs_rreq: R=%08x DR COLLECT f=03", 0xa0000001);
	feedf(fd, t, "netfs_rreq_ref: R=%08x NEW         r=2", 0xa0000002);
	feedf(fd, t, "netfs_rreq_ref: R=%08x PUT RETURN  r=5", 0xa0000002);
}

static struct nft_model *model(uint64_t max_objects, struct notes *n)
{
	struct nft_model_opts o = { 0 };

	o.max_objects = max_objects;
	o.hooks.note = on_note;
	o.hooks.finding = on_finding;
	o.hooks.ctx = n;
	return nft_model_new(&o);
}

static size_t count_kind(const struct nft_model *m, enum nft_finding_kind k)
{
	const struct nft_finding *f;
	size_t n, i, c = 0;

	f = nft_model_findings(m, &n);
	for (i = 0; i < n; i++)
		c += f[i].kind == k;
	return c;
}

/* "kind object message" of every finding, one per line. */
static void findings_text(const struct nft_model *m, char *buf, size_t sz)
{
	const struct nft_finding *f;
	size_t n, i, len = 0;

	buf[0] = 0;
	f = nft_model_findings(m, &n);
	for (i = 0; i < n && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s %s %s%s\n",
					nft_finding_kind_name(f[i].kind),
					f[i].object, f[i].message,
					f[i].uncertain ? " (uncertain)" : "");
}

/* Later lines of ids 1..3: their TERM, puts, FREE, a get. */
static void later_lines(struct feeder *fd, double t)
{
	feedf(fd, t, "netfs_rreq_ref: R=%08x PUT RETURN  r=0", 1);
	feedf(fd, t, "netfs_rreq: R=%08x DR FREE    f=02", 1);
	feedf(fd, t, "netfs_sreq: R=%08x[1] DOWN TERM  f=110 s=0 1000/1000 s=0 e=0", 2);
	feedf(fd, t, "netfs_sreq_ref: R=%08x[1] PUT TERM    r=0", 2);
	feedf(fd, t, "netfs_rreq_ref: R=%08x GET SUBREQ  r=1", 3);
	feedf(fd, t, "netfs_rreq: R=%08x DR COLLECT f=03", 3);
}

static void test_open_stream(void)
{
	struct notes nb = { 0 }, nu = { 0 };
	struct feeder b = { model(100, &nb), NFT_DIALECT_AUTO, 0, 0, 0 };
	struct feeder u = { model(0, &nu), NFT_DIALECT_AUTO, 0, 0, 0 };
	char fb[4096], fu[4096];
	const struct nft_summary *s;

	/* 1 us apart, as the generator: nothing is quiet for 5 s */
	open_requests(&b, 1, 5000, 10.0, 0.000001);
	open_requests(&u, 1, 5000, 10.0, 0.000001);
	kept_findings(&b, 10.1);
	kept_findings(&u, 10.1);
	nft_model_finish(b.m);
	nft_model_finish(u.m);
	is(b.errors + u.errors, 0, "every line parsed");
	s = nft_model_summary(b.m);
	ok(b.max_live <= 100, "live objects never above the bound (at most %llu)",
	   (unsigned long long)b.max_live);
	ok(u.max_live > 5000, "unbounded twin keeps them all (%llu)",
	   (unsigned long long)u.max_live);
	is(nb.evicted, 1, "the eviction note is raised once");
	is(nu.evicted, 0, "no note without eviction");
	ok(s->notes & NFT_NOTE_EVICTED, "summary carries the note");
	ok(s->evicted_requests >= 4900 && s->evicted_open == s->evicted_requests,
	   "evicted requests counted, all never completed (%llu)",
	   (unsigned long long)s->evicted_requests);
	is(s->requests, 5002, "every request still counted");
	is(s->max_objects, 100, "bound in force reported");
	findings_text(b.m, fb, sizeof(fb));
	findings_text(u.m, fu, sizeof(fu));
	is_str(fb, fu, "findings on kept objects unchanged by the bound");
	is(count_kind(b.m, NFT_FIND_USE_AFTER_FREE), 1, "the kept use-after-free");
	is(count_kind(b.m, NFT_FIND_REF_MISMATCH), 1, "the kept ref-mismatch");
	ok(b.m->dead.len <= NFT_DEAD_MAX, "tombstones within NFT_DEAD_MAX");
	nft_model_free(b.m);
	nft_model_free(u.m);
}

static void test_later_lines_of_evicted(void)
{
	struct notes nb = { 0 }, nf = { 0 };
	struct feeder b = { model(50, &nb), NFT_DIALECT_AUTO, 0, 0, 0 };
	struct feeder f = { model(0, &nf), NFT_DIALECT_AUTO, 0, 0, 0 };
	const struct nft_summary *s;
	unsigned int i;

	open_requests(&b, 1, 1000, 10.0, 0.000001);
	later_lines(&b, 10.2);
	nft_model_finish(b.m);
	s = nft_model_summary(b.m);
	is(count_kind(b.m, NFT_FIND_USE_AFTER_FREE), 0,
	   "later lines of evicted ids: no use-after-free");
	is(count_kind(b.m, NFT_FIND_REF_MISMATCH), 0,
	   "later lines of evicted ids: no ref-mismatch");
	is(s->evicted_lines, 6, "later lines of evicted ids counted");
	is(s->reused_ids, 0, "an evicted id is not taken for a new object");

	/* twin: the same ids freed, not evicted: the same lines are uses */
	for (i = 1; i <= 3; i++) {
		feedf(&f, 10.0, "netfs_rreq_ref: R=%08x NEW         r=2", i);
		feedf(&f, 10.0, "netfs_rreq_ref: R=%08x PUT RETURN  r=1", i);
		feedf(&f, 10.0, "netfs_rreq_ref: R=%08x PUT WORK IP  r=0", i);
		feedf(&f, 10.0, "netfs_rreq: R=%08x DR FREE    f=02", i);
	}
	later_lines(&f, 10.2);
	nft_model_finish(f.m);
	ok(count_kind(f.m, NFT_FIND_USE_AFTER_FREE) >= 2,
	   "twin: the same lines after FREE are use-after-free (%zu)",
	   count_kind(f.m, NFT_FIND_USE_AFTER_FREE));
	nft_model_free(b.m);
	nft_model_free(f.m);
}

/* One request with more subrequests than the bound: it goes as a whole. */
static void test_subrequests_count(void)
{
	struct notes n = { 0 };
	struct feeder b = { model(64, &n), NFT_DIALECT_AUTO, 0, 0, 0 };
	unsigned int i;
	char line[200];

	feedf(&b, 10.0, "netfs_rreq_ref: R=%08x NEW         r=2", 7);
	for (i = 1; i <= 200; i++) {
		snprintf(line, sizeof(line),
			 "dd-565 [000] ..... 10.%06u: netfs_sreq: R=00000007[%x] DOWN PREP  f=100 s=0 0/1000 s=0 e=0",
			 i, i);
		feed(&b, line);
	}
	nft_model_finish(b.m);
	ok(b.max_live <= 64, "subrequests count against the bound (at most %llu)",
	   (unsigned long long)b.max_live);
	ok(nft_model_summary(b.m)->evicted_subreqs > 0, "evicted subrequests counted");
	is(n.evicted, 1, "note once");
	nft_model_free(b.m);
}

/* fscache cookies that are never relinquished: a sampled LRU evicts them. */
static void test_cookies(void)
{
	struct notes n = { 0 };
	struct feeder b = { model(100, &n), NFT_DIALECT_AUTO, 0, 0, 0 };
	unsigned int i;

	for (i = 1; i <= 2000; i++)
		feedf(&b, 10.0 + i * 0.000001,
		      "fscache_cookie: c=%08x NEW acq   r=1", i);
	/* a line of an evicted live cookie: ignored */
	feedf(&b, 10.1, "fscache_cookie: c=%08x PUT rlq   r=0", 1);
	nft_model_finish(b.m);
	ok(b.max_live <= 100, "fscache objects within the bound (at most %llu)",
	   (unsigned long long)b.max_live);
	ok(nft_model_summary(b.m)->evicted_fsobjs >= 1900,
	   "evicted cookies counted (%llu)",
	   (unsigned long long)nft_model_summary(b.m)->evicted_fsobjs);
	is(count_kind(b.m, NFT_FIND_USE_AFTER_FREE) +
		   count_kind(b.m, NFT_FIND_REF_MISMATCH), 0,
	   "no finding from an evicted cookie's later line");
	is(n.evicted, 1, "note once");
	nft_model_free(b.m);
}

/*
 * A freed cookie evicted by the bound (freed ones go first) is tombstoned
 * as dead: a later use is still a use-after-free, as without the bound.
 */
static void test_freed_cookie(void)
{
	struct notes nb = { 0 }, nu = { 0 };
	struct feeder b = { model(100, &nb), NFT_DIALECT_AUTO, 0, 0, 0 };
	struct feeder u = { model(0, &nu), NFT_DIALECT_AUTO, 0, 0, 0 };
	struct feeder *fd[2] = { &b, &u };
	unsigned int i, k;

	for (k = 0; k < 2; k++) {
		feedf(fd[k], 10.0, "fscache_cookie: c=%08x NEW acq   r=1", 1);
		feedf(fd[k], 10.0, "fscache_cookie: c=%08x PUT rlq   r=0", 1);
		for (i = 2; i <= 300; i++)
			feedf(fd[k], 10.0 + i * 0.000001,
			      "fscache_cookie: c=%08x NEW acq   r=1", i);
		if (!k)
			ok(nft_model_fsobj(b.m, NFT_FSOBJ_COOKIE, 1) == NULL,
			   "the freed cookie was evicted");
		else
			ok(nft_model_fsobj(u.m, NFT_FSOBJ_COOKIE, 1) != NULL,
			   "twin: the freed cookie is kept");
		feedf(fd[k], 10.1, "fscache_cookie: c=%08x GET attch r=1", 1);
		nft_model_finish(fd[k]->m);
	}
	is(count_kind(b.m, NFT_FIND_USE_AFTER_FREE), 1,
	   "a use of a freed, evicted cookie is a use-after-free");
	is(count_kind(u.m, NFT_FIND_USE_AFTER_FREE), 1, "as without the bound");
	nft_model_free(b.m);
	nft_model_free(u.m);
}

/* Requests that become stuck before they are evicted: findings capped. */
static void test_findings_cap(void)
{
	struct notes n = { 0 };
	struct feeder b = { model(100, &n), NFT_DIALECT_AUTO, 0, 0, 0 };
	const struct nft_summary *s;
	size_t kept;

	/* 1 s apart: each is stuck 5 s later, long before 100 newer come */
	open_requests(&b, 1, 1000, 10.0, 1.0);
	nft_model_finish(b.m);
	s = nft_model_summary(b.m);
	kept = count_kind(b.m, NFT_FIND_STUCK);
	is((int64_t)kept, s->findings_per_kind, "stuck findings kept up to the cap");
	ok(s->findings_not_kept > 500, "the rest counted (%llu)",
	   (unsigned long long)s->findings_not_kept);
	is(n.findings, kept + s->findings_not_kept, "the hook saw every finding");
	is(n.capped, 1, "the cap note is raised once");
	ok(b.m->n_parked <= 1024, "parked ledgers within their cap");
	nft_model_free(b.m);
}

/*
 * netfs-top's side of a long session: the model bounded, evicted requests
 * not counted as ended ones, the note once, rows capped.
 */
static void test_top(void)
{
	struct nft_top_opts to = { .max_rows = 16 };
	struct nft_model_opts mo = { 0 };
	struct nft_top *t = nft_top_new(&to);
	enum nft_dialect dialect = NFT_DIALECT_AUTO;
	const struct nft_top_row **rows;
	unsigned int i, noted = 0;
	uint64_t max_live = 0, ended = 0;
	size_t n, r;

	mo.max_objects = 100;
	nft_top_hooks(t, &mo.hooks);
	struct nft_model *m = nft_model_new(&mo);

	nft_top_attach(t, m);
	for (i = 1; i <= 3000; i++) {
		char line[256];
		struct nft_event ev;
		const char *err = NULL;
		int k;

		for (k = 0; k < 2; k++) {
			if (!k)
				snprintf(line, sizeof(line),
					 "dd-565 [000] ..... 10.%06u: netfs_rreq_ref: R=%08x NEW         r=2",
					 i, i);
			else
				snprintf(line, sizeof(line),
					 "dd-565 [000] ..... 10.%06u: netfs_read: R=%08x DIO-READ  c=00000000 ni=%u s=0 l=1000 sz=4000000",
					 i, i, i);
			nft_event_init(&ev);
			if (nft_parse_ftrace_line(line, strlen(line), &dialect,
						  &ev, &err) < 1)
				continue;
			ev.pos = 2 * i + k;
			nft_top_event(t, &ev);
		}
		if (nft_model_summary(m)->live_objects > max_live)
			max_live = nft_model_summary(m)->live_objects;
		if (!(i % 100)) {
			nft_top_tick(t, 10000000000ull + i * 1000ull, 1.0);
			noted += !!(nft_top_header(t)->new_notes & NFT_NOTE_EVICTED);
		}
	}
	ok(max_live <= 100, "netfs-top's model within the bound (%llu)",
	   (unsigned long long)max_live);
	is(noted, 1, "netfs-top: the note in one interval only");
	n = nft_top_rows(t, NFT_TOP_BY_INODE, NFT_TOP_COL_REQS, false, NULL,
			 &rows);
	ok(n <= 17, "rows capped (%zu)", n);
	for (r = 0; r < n; r++)
		ended += rows[r]->total.reqs;
	is(ended, 0, "evicted requests are not ended ones");
	nft_model_free(m);
	nft_top_free(t);
}

int main(void)
{
	test_top();
	test_open_stream();
	test_later_lines_of_evicted();
	test_subrequests_count();
	test_cookies();
	test_freed_cookie();
	test_findings_cap();
	return tap_done();
}
