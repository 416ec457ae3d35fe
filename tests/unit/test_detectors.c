// SPDX-License-Identifier: GPL-2.0
/*
 * Every detector against a small hand-written trace that must trigger it,
 * and a twin that differs in the one detail that matters and must not.
 * The lines are real 7.2 lines (corpus seqread/retry captures) edited by
 * hand.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/model.h"
#include "lines.h"
#include "tap.h"

#define T(ts, line) NFT_TEST_T(ts, line)
#define K(ts, line) NFT_TEST_K(ts, line)

#define CLEAN_HEAD NFT_TEST_E7_HEAD
#define CLEAN_TERM NFT_TEST_E7_TERM
#define CLEAN_TAIL NFT_TEST_E7_TAIL
#define CLEAN_FREE NFT_TEST_E7_FREE
#define LATER NFT_TEST_LATER
#define LOST_TO_END NFT_TEST_LOST_TO_END

static struct nft_test_result run(const char *const *lines, size_t n_lines)
{
	return nft_test_run(lines, n_lines, NULL);
}

#define RUN(arr) run(arr, sizeof(arr) / sizeof(arr[0]))

static const struct nft_finding *first_kind(const struct nft_test_result *r,
					    enum nft_finding_kind k)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].kind == k)
			return &r->f[i];
	return NULL;
}

static void expect_only(const char *name, const char *const *lines,
			size_t n_lines, enum nft_finding_kind kind,
			const char *object)
{
	struct nft_test_result r = run(lines, n_lines);
	const struct nft_finding *f = first_kind(&r, kind);

	is(r.parse_errors, 0, "trigger trace parses");
	ok(f != NULL, "%s: %s reported", name, nft_finding_kind_name(kind));
	is((int64_t)r.n, 1, "exactly one finding");
	if (f && object)
		is_str(f->object, object, "on the right object");
	if (f)
		ok(f->n_evidence > 0, "%s: with evidence lines", name);
	nft_model_free(r.m);
}

static void expect_clean(const char *name, const char *const *lines,
			 size_t n_lines)
{
	struct nft_test_result r = run(lines, n_lines);
	size_t i;

	is(r.parse_errors, 0, "twin trace parses");
	ok(r.n == 0, "%s twin: no findings", name);
	for (i = 0; i < r.n; i++)
		printf("#   unexpected: %s %s %s\n",
		       nft_finding_kind_name(r.f[i].kind), r.f[i].object,
		       r.f[i].message);
	nft_model_free(r.m);
}

#define ONLY(name, arr, kind, obj)                                             \
	expect_only(name, arr, sizeof(arr) / sizeof(arr[0]), kind, obj)
#define CLEAN(name, arr) expect_clean(name, arr, sizeof(arr) / sizeof(arr[0]))

static void test_clean_read(void)
{
	static const char *const clean[] = { CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL,
					     CLEAN_FREE, LATER };
	struct nft_test_result r = RUN(clean);
	const struct nft_summary *s = nft_model_summary(r.m);

	is((int64_t)r.n, 0, "clean readahead: no findings");
	is((int64_t)s->requests, 2, "two requests");
	is((int64_t)s->requests_by_origin[NFT_ORIGIN_RA], 2, "both RA");
	is((int64_t)s->subreqs, 1, "one subrequest");
	is((int64_t)s->subreqs_by_source[NFT_SRC_DOWNLOAD], 1, "from the server");
	is((int64_t)s->bytes_read, 0x20000, "bytes read");
	is((int64_t)s->in_flight_at_end, 0, "nothing in flight");
	is(s->gen, NFT_GEN_7, "7.x generation from NEW r=2");
	nft_model_free(r.m);
}

static void test_ref_leak(void)
{
	/* PUT WORK IP and FREE never come; the trace goes on 10 s. */
	static const char *const leak[] = { CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL,
					    LATER };
	/* Same, but the capture ends right there: in flight, not a leak. */
	static const char *const ends[] = { CLEAN_HEAD, CLEAN_TERM,
					    CLEAN_TAIL };
	struct nft_test_result r;

	ONLY("request leak", leak, NFT_FIND_REF_LEAK, "R=000000e7");
	CLEAN("capture ends", ends);
	r = RUN(ends);
	is((int64_t)nft_model_summary(r.m)->in_flight_at_end, 1,
	   "reported as in flight at end of capture");
	nft_model_free(r.m);
}

static void test_subreq_leak(void)
{
	/* The subrequest is consumed but never put/freed; request freed. */
	static const char *const leak[] = {
		CLEAN_HEAD, CLEAN_TERM,
		K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),
		K("17.354607", "netfs_rreq: R=000000e7 RA FREE    f=102"),
		LATER,
	};

	ONLY("subrequest leak", leak, NFT_FIND_REF_LEAK, "R=000000e7[1]");
}

static void test_use_after_free(void)
{
	static const char *const uaf[] = {
		CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL, CLEAN_FREE,
		K("17.354700", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=4294967295"),
		LATER,
	};
	/* A SEE right after the final put, before FREE, is normal on 7.x. */
	static const char *const see[] = {
		CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL,
		K("17.354538", "netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0"),
		K("17.354540", "netfs_rreq_ref: R=000000e7 SEE WORK    r=0"),
		K("17.354607", "netfs_rreq: R=000000e7 RA FREE    f=102"),
		LATER,
	};
	/* A debug id reused after FREE is a new request. */
	static const char *const reuse[] = {
		CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL, CLEAN_FREE,
		T("18.000000", "netfs_rreq_ref: R=000000e7 NEW         r=2"),
		T("18.000010", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=1"),
		T("18.000020", "netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0"),
		T("18.000030", "netfs_rreq: R=000000e7 RA FREE    f=102"),
	};
	struct nft_test_result r;

	/*
	 * A put's line recorded late, after the final put and FREE (a live
	 * 6.12 run under qemu: the CPU was held up between the atomic and the
	 * trace).  It printed r=1, so it happened while the object was alive.
	 */
	static const char *const late[] = {
		CLEAN_HEAD,
		T("17.352259", "netfs_sreq: R=000000e7[1] DOWN TERM  f=112 s=0 20000/20000 s=0 e=0"),
		K("17.352557", "netfs_rreq_ref: R=000000e7 SEE WORK    r=3"),
		T("17.352859", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
		K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),
		K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),
		T("17.354400", "netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1"),
		K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),
		K("17.354461", "netfs_rreq: R=000000e7 RA DONE    f=102"),
		CLEAN_FREE, LATER,
	};

	ONLY("use after free", uaf, NFT_FIND_USE_AFTER_FREE, "R=000000e7");
	CLEAN("a put's line recorded after the free", late);
	CLEAN("SEE after final put", see);
	CLEAN("id reused after free", reuse);
	r = RUN(reuse);
	is((int64_t)nft_model_summary(r.m)->reused_ids, 1, "reuse counted");
	nft_model_free(r.m);
}

/* A SEE of count @r traced after two gets, then a get and three puts. */
#define SEE_AFTER_TWO_GETS(r)                                                  \
	CLEAN_HEAD,                                                            \
	T("17.350600", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=4"),          \
	T("17.350700", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=5"),          \
	K("17.350800", "netfs_rreq_ref: R=000000e7 SEE WORK    r=" r),         \
	T("17.350850", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=6"),          \
	K("17.350900", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=5"),          \
	K("17.351000", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),          \
	K("17.351100", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=3"),          \
	CLEAN_TERM, CLEAN_TAIL, CLEAN_FREE, LATER

static void test_ref_mismatch(void)
{
	static const char *const bad[] = {
		CLEAN_HEAD, CLEAN_TERM,
		K("17.352557", "netfs_rreq_ref: R=000000e7 SEE WORK    r=3"),
		T("17.352859", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
		K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),
		K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=5"),
		K("17.354126", "netfs_rreq_ref: R=000000e7 PUT WORK IP  r=4"),
		K("17.354461", "netfs_rreq: R=000000e7 RA DONE    f=102"),
	};
	/* Two CPUs' lines in the opposite order of their atomics. */
	static const char *const swapped[] = {
		CLEAN_HEAD, CLEAN_TERM,
		T("17.352859", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
		K("17.352860", "netfs_rreq_ref: R=000000e7 SEE WORK    r=3"),
		K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),
		K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),
		K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),
		CLEAN_FREE, LATER,
	};

	/*
	 * Three lines out of order across two CPUs (as a live 6.12 writeback
	 * showed): the atomics ran GET WORK 3->4, GET SUBREQ 4->5, PUT SUBREQ
	 * 5->4, the buffer has them as GET SUBREQ r=5, PUT SUBREQ r=4, GET
	 * WORK r=4.
	 */
	static const char *const three[] = {
		CLEAN_HEAD,
		T("17.351000", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=5"),
		K("17.351001", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),
		T("17.351002", "netfs_rreq_ref: R=000000e7 GET WORK    r=4"),
		K("17.351003", "netfs_rreq_ref: R=000000e7 PUT WORK    r=3"),
		T("17.351004", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=2"),
		CLEAN_TERM,
		K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),
		K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"),
		K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),
		K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),
		CLEAN_FREE, LATER,
	};

	/*
	 * A SEE traced after two gets that followed its read (a live 6.12
	 * writeback under qemu: the kworker's SEE WORK r=6 reached netfs-top's
	 * buffer after the issuer's GET SUBREQ r=7 and r=8), and the count
	 * does not come back to what it printed while entries are held.
	 */
	static const char *const late_see[] = {
		SEE_AFTER_TWO_GETS("3"),
	};
	/*
	 * the same SEE printing a count the object never had (r=1 would do:
	 * the object holds 1 just before its final put, and the SEE's line
	 * may be that late)
	 */
	static const char *const wrong_see[] = {
		SEE_AFTER_TWO_GETS("9"),
	};
	/* a put traced after three later entries */
	static const char *const late_put[] = {
		CLEAN_HEAD,
		T("17.350600", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=4"),
		T("17.350700", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=5"),
		T("17.350710", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=6"),
		K("17.350900", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),
		K("17.350950", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=5"),
		K("17.351000", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),
		K("17.351100", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=5"),
		K("17.351200", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=3"),
		CLEAN_TERM, CLEAN_TAIL, CLEAN_FREE, LATER,
	};
	/* gets and puts that no order adds up: one put too many */
	static const char *const extra_put[] = {
		CLEAN_HEAD,
		T("17.350600", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=4"),
		T("17.350700", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=5"),
		K("17.350900", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),
		K("17.351000", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=4"),
		K("17.351100", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=3"),
		CLEAN_TERM, CLEAN_TAIL, CLEAN_FREE, LATER,
	};

	ONLY("ref mismatch", bad, NFT_FIND_REF_MISMATCH, "R=000000e7");
	CLEAN("reordered ref lines", swapped);
	CLEAN("three ref lines reordered across CPUs", three);
	CLEAN("a SEE traced after two later gets", late_see);
	ONLY("a late SEE of a count never held", wrong_see,
	     NFT_FIND_REF_MISMATCH, "R=000000e7");
	CLEAN("a put traced after three later entries", late_put);
	ONLY("a put no order explains", extra_put, NFT_FIND_REF_MISMATCH,
	     "R=000000e7");
}

/*
 * The issuing thread's PUT RETURN (3 -> 2) traced after the collector's
 * final put and the FREE (a live sid 7.2 run under qemu: 270 us late).
 */
#define LATE_HEAD                                                              \
	CLEAN_HEAD, CLEAN_TERM,                                                \
	K("17.352557", "netfs_rreq_ref: R=000000e7 SEE WORK    r=2"),          \
	K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"), \
	K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),       \
	K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"), \
	K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),          \
	K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),             \
	K("17.354461", "netfs_rreq: R=000000e7 RA DONE    f=102"),             \
	CLEAN_FREE

static void test_late_put_line(void)
{
	static const char *const late[] = {
		LATE_HEAD,
		T("17.354830", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
		LATER,
	};
	/*
	 * the same, the line 0.5 s late: however late, it still explains the
	 * counts (it used to be blamed past a 100 ms grace: issue 10 #8)
	 */
	static const char *const too_late[] = {
		LATE_HEAD,
		T("17.900000", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
		LATER,
	};
	/* the put never shows: blamed at the end of the capture */
	static const char *const never[] = { LATE_HEAD, LATER };
	/* a late line that still does not fit: blamed when it comes */
	static const char *const wrong[] = {
		LATE_HEAD,
		T("17.354830", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=3"),
		LATER,
	};
	struct nft_test_result r;
	const struct nft_finding *f;

	CLEAN("a put line after the FREE explains the counts before it", late);
	CLEAN("a put line far too late", too_late);
	ONLY("a put that never shows", never, NFT_FIND_REF_MISMATCH,
	     "R=000000e7");
	r = RUN(never);
	f = first_kind(&r, NFT_FIND_REF_MISMATCH);
	ok(f && f->rreq == 0xe7 && f->subreq == -1,
	   "the parked ledger's finding names its request");
	nft_model_free(r.m);
	ONLY("a late line that does not fit either", wrong,
	     NFT_FIND_REF_MISMATCH, "R=000000e7");
}

static void test_stuck(void)
{
	/* Submitted, never terminated, the trace goes on 10 s. */
	static const char *const stuck[] = {
		CLEAN_HEAD,
		T("17.351000", "netfs_sreq: R=000000e7[1] DOWN SUBMT f=100 s=0 0/20000 s=0 e=0"),
		LATER,
	};
	static const char *const ends[] = {
		CLEAN_HEAD,
		T("17.351000", "netfs_sreq: R=000000e7[1] DOWN SUBMT f=100 s=0 0/20000 s=0 e=0"),
	};
	/* A waiter that is never woken. */
	static const char *const waiter[] = {
		CLEAN_HEAD,
		T("17.351000", "netfs_rreq: R=000000e7 DR WAIT-IP f=03"),
		CLEAN_TERM, LATER,
	};
	struct nft_test_result r;
	const struct nft_finding *f;

	ONLY("stuck subrequest", stuck, NFT_FIND_STUCK, "R=000000e7");
	CLEAN("in flight at end", ends);
	r = RUN(waiter);
	f = first_kind(&r, NFT_FIND_STUCK);
	ok(f && strstr(f->message, "never woken"), "stuck waiter named as such");
	nft_model_free(r.m);
}

static void test_over_read(void)
{
	static const char *const over[] = {
		CLEAN_HEAD,
		T("17.352259", "netfs_sreq: R=000000e7[1] DOWN TERM  f=112 s=0 21000/20000 s=0 e=0"),
		T("17.352455", "netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1"),
		CLEAN_TAIL, CLEAN_FREE, LATER,
	};
	static const char *const clean[] = { CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL,
					     CLEAN_FREE, LATER };

	ONLY("over-read", over, NFT_FIND_OVER_READ, "R=000000e7[1]");
	CLEAN("exact read", clean);
}

#define RETRY_HEAD                                                             \
	T("18.000000", "netfs_rreq_ref: R=00000100 NEW         r=2"),          \
	T("18.000001", "netfs_write: R=00000100 DIO-WRITE c=00000000 i=5340b9 by=0-1ffff"), \
	T("18.000002", "netfs_rreq_ref: R=00000100 GET SUBREQ  r=3"),          \
	T("18.000003", "netfs_sreq_ref: R=00000100[1] NEW         r=2"),       \
	T("18.000004", "netfs_sreq: R=00000100[1] UPLD SUBMT f=100 s=0 0/20000 s=0 e=0"), \
	T("18.000100", "netfs_sreq: R=00000100[1] UPLD TERM  f=200 s=0 8000/20000 s=0 e=0"), \
	T("18.000101", "netfs_sreq_ref: R=00000100[1] PUT TERM    r=1")
#define RETRY_TAIL                                                             \
	T("18.000300", "netfs_sreq: R=00000100[1] UPLD TERM  f=000 s=8000 18000/18000 s=0 e=0"), \
	T("18.000301", "netfs_sreq_ref: R=00000100[1] PUT TERM    r=1"),       \
	T("18.000302", "netfs_sreq_ref: R=00000100[1] PUT DONE    r=0"),       \
	T("18.000303", "netfs_sreq: R=00000100[1] UPLD FREE  f=000 s=8000 18000/18000 s=0 e=0"), \
	T("18.000304", "netfs_rreq_ref: R=00000100 PUT SUBREQ  r=2"),          \
	T("18.000305", "netfs_rreq: R=00000100 DW WR-DONE f=02"),              \
	T("18.000306", "netfs_rreq_ref: R=00000100 PUT WORK IP  r=1"),         \
	T("18.000307", "netfs_rreq_ref: R=00000100 PUT COMPLT  r=0"),          \
	T("18.000308", "netfs_rreq: R=00000100 DW FREE    f=02")

static void test_bad_rewind(void)
{
	/* Retry restarts at 0 although 0x8000 bytes were written. */
	static const char *const rewind[] = {
		RETRY_HEAD,
		T("18.000200", "netfs_sreq: R=00000100[1] UPLD RETRY f=000 s=0 0/20000 s=0 e=0"),
		T("18.000201", "netfs_sreq_ref: R=00000100[1] GET RESUBMT r=2"),
		RETRY_TAIL, LATER,
	};
	static const char *const resume[] = {
		RETRY_HEAD,
		T("18.000200", "netfs_sreq: R=00000100[1] UPLD RETRY f=000 s=8000 0/18000 s=0 e=0"),
		T("18.000201", "netfs_sreq_ref: R=00000100[1] GET RESUBMT r=2"),
		RETRY_TAIL, LATER,
	};
	struct nft_test_result r = RUN(resume);

	ONLY("bad rewind", rewind, NFT_FIND_BAD_REWIND, "R=00000100[1]");
	CLEAN("retry resumes at start+transferred", resume);
	is((int64_t)nft_model_summary(r.m)->retries, 1, "one retry counted");
	nft_model_free(r.m);
}

#define STALL(n)                                                               \
	T("18.0002" n "0", "netfs_sreq: R=00000100[1] UPLD RETRY f=000 s=8000 0/18000 s=0 e=0"), \
	T("18.0002" n "1", "netfs_sreq_ref: R=00000100[1] GET RESUBMT r=2"),   \
	T("18.0002" n "2", "netfs_sreq: R=00000100[1] UPLD TERM  f=200 s=8000 0/18000 s=0 e=0"), \
	T("18.0002" n "3", "netfs_sreq_ref: R=00000100[1] PUT TERM    r=1")

/* The last reissue, which then completes (RETRY_TAIL). */
#define LAST_RETRY                                                             \
	T("18.000290", "netfs_sreq: R=00000100[1] UPLD RETRY f=000 s=8000 0/18000 s=0 e=0"), \
	T("18.000291", "netfs_sreq_ref: R=00000100[1] GET RESUBMT r=2")

static void test_retry_storm(void)
{
	static const char *const storm[] = {
		RETRY_HEAD, STALL("1"), STALL("2"), STALL("3"), STALL("4"),
		STALL("5"), STALL("6"), LAST_RETRY, RETRY_TAIL, LATER,
	};
	static const char *const two[] = {
		RETRY_HEAD, STALL("1"), STALL("2"), LAST_RETRY, RETRY_TAIL, LATER,
	};

	ONLY("retry storm", storm, NFT_FIND_RETRY_STORM, "R=00000100[1]");
	CLEAN("two retries", two);
}

static void test_failure(void)
{
	static const char *const fail[] = {
		CLEAN_HEAD,
		T("17.351000", "netfs_failure: R=000000e7[1] DOWN f=100 s=0 0/20000 read e=-11"),
		T("17.352259", "netfs_sreq: R=000000e7[1] DOWN TERM  f=400 s=0 0/20000 s=0 e=-11"),
		T("17.352455", "netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1"),
		CLEAN_TAIL, CLEAN_FREE, LATER,
	};
	struct nft_test_result r = RUN(fail);
	const struct nft_finding *f = first_kind(&r, NFT_FIND_FAILURE);

	ONLY("failure", fail, NFT_FIND_FAILURE, "R=000000e7[1]");
	ok(f && strstr(f->message, "EAGAIN"), "errno named");
	ok(f && f->n_evidence == 2, "both failure lines as evidence");
	nft_model_free(r.m);
}

/* One finding per cache object, held or not, every error line in it. */
static void test_cachefiles_errors(void)
{
	static const char *const errs[] = {
		K("53.154785", "cachefiles_ref: c=0000004d o=0000004c u=1 NEW obj"),
		K("53.200000", "cachefiles_io_error: o=0000004c B=80a1 write e=-5"),
		K("53.200100", "cachefiles_vfs_error: o=00000009 B=80a1 write e=-28"),
		K("53.200200", "cachefiles_io_error: o=0000004c B=80a1 write e=-5"),
		K("53.200300", "cachefiles_vfs_error: o=00000009 B=80a1 write e=-28"),
		K("53.200400", "cachefiles_io_error: o=0000004c B=80a1 write e=-5"),
		K("53.300000", "cachefiles_ref: c=0000004d o=0000004c u=1 PUT detach"),
	};
	struct nft_test_result r = RUN(errs);
	size_t i, held = 0, other = 0;

	is(r.parse_errors, 0, "cachefiles error trace parses");
	is((int64_t)r.n, 2, "two objects, two failure findings");
	for (i = 0; i < r.n; i++) {
		if (!strcmp(r.f[i].object, "o=0000004c"))
			held = r.f[i].n_evidence;
		if (!strcmp(r.f[i].object, "o=00000009"))
			other = r.f[i].n_evidence;
	}
	is((int64_t)held, 3, "the object the model holds: its 3 error lines");
	is((int64_t)other, 2, "an object never seen otherwise: its 2 lines");
	nft_model_free(r.m);
}

static void test_bad_context(void)
{
	static const char *const irq[] = {
		"<idle>-0 [000] d.h2. 95.218737: netfs_progress: R=00000daa[01] s=0 ct=0/20000 pa=1000/20000 sl=0",
	};
	static const char *const task[] = {
		"dd-1 [000] ..... 95.218737: netfs_progress: R=00000daa[01] s=0 ct=0/20000 pa=1000/20000 sl=0",
	};
	/* 6.1 assesses whole requests in IRQ context by design. */
	static const char *const assess[] = {
		"<idle>-0 [000] d.h1. 72.423964: netfs_rreq: R=00000c42 RA ASSESS  f=20",
	};

	ONLY("consume in hardirq", irq, NFT_FIND_BAD_CONTEXT, "R=00000daa");
	CLEAN("consume in task context", task);
	CLEAN("6.1 assess in IRQ", assess);
}

static void test_lost_events(void)
{
	static const char *const lost[] = {
		CLEAN_HEAD, "CPU:1 [LOST 10 EVENTS]", CLEAN_TERM, CLEAN_TAIL,
		LATER,
	};
	struct nft_test_result r = RUN(lost);
	const struct nft_finding *f = first_kind(&r, NFT_FIND_REF_LEAK);

	ok(f && f->uncertain, "a leak after lost events is marked uncertain");
	is((int64_t)nft_model_summary(r.m)->lost_events, 10, "lost count");
	nft_model_free(r.m);
}

/*
 * A cpu whose data a cut took from some point on: requests born after
 * that point may miss events too.  A ring-buffer marker only covers what
 * was alive when it went by.
 */
static void test_lost_to_end(void)
{
	static const char *const before[] = {
		"CPU:1 [LOST 10 EVENTS]", CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL,
		LATER,
	};
	static const char *const cut[] = {
		LOST_TO_END, CLEAN_HEAD, CLEAN_TERM, CLEAN_TAIL, LATER,
	};
	struct nft_test_result r = RUN(before);
	const struct nft_finding *f = first_kind(&r, NFT_FIND_REF_LEAK);

	ok(f && !f->uncertain, "born after a ring-buffer marker: certain");
	nft_model_free(r.m);
	r = RUN(cut);
	f = first_kind(&r, NFT_FIND_REF_LEAK);
	ok(f && f->uncertain, "born after the cut of a cpu: uncertain");
	nft_model_free(r.m);
}

static void test_cachefiles_refs(void)
{
	/* cachefiles_ref prints the count before the operation. */
	static const char *const obj[] = {
		K("53.154785", "cachefiles_ref: c=0000004d o=0000004c u=1 NEW obj"),
		K("53.156446", "cachefiles_ref: c=0000004d o=0000004c u=1 SEE lookup_cookie"),
		K("53.217963", "cachefiles_ref: c=0000004d o=0000004c u=1 GET ioreq"),
		K("53.219560", "cachefiles_ref: c=0000004d o=0000004c u=2 PUT ioreq"),
		K("53.300000", "cachefiles_ref: c=0000004d o=0000004c u=1 PUT detach"),
	};
	static const char *const after[] = {
		K("53.154785", "cachefiles_ref: c=0000004d o=0000004c u=1 NEW obj"),
		K("53.300000", "cachefiles_ref: c=0000004d o=0000004c u=1 PUT detach"),
		K("53.400000", "cachefiles_read: o=0000004c B=211 s=0 l=1000"),
	};

	CLEAN("cachefiles object life", obj);
	ONLY("cachefiles object used after its last put", after,
	     NFT_FIND_USE_AFTER_FREE, "o=0000004c");
}

int main(void)
{
	test_lost_to_end();
	test_late_put_line();
	test_clean_read();
	test_ref_leak();
	test_subreq_leak();
	test_use_after_free();
	test_ref_mismatch();
	test_stuck();
	test_over_read();
	test_bad_rewind();
	test_retry_storm();
	test_failure();
	test_cachefiles_errors();
	test_bad_context();
	test_lost_events();
	test_cachefiles_refs();
	return tap_done();
}
