// SPDX-License-Identifier: GPL-2.0
/*
 * early-unlock and bad-donation against traces in the pasted forms (bare
 * "event: ..." lines, "comm: event: ...", and whole ftrace lines with a
 * timestamp), each with a clean twin that differs in the one detail that
 * matters.
 *
 * Quoted or constructed from real lines:
 *  - the 7.x early unlock: the log snippet of commit 570ad253a345 ("netfs:
 *    Fix early read unlock of page with EOF in middle"), R=00001b55, with
 *    the lines it elided filled in from the corpus 7.2 captures;
 *  - the 6.12 donations: David Howells' extraction from the cifs trace of
 *    the "null-ptr deref found in netfs code" thread (December 2024),
 *    R=0000290e, where "subreq 7 is not contiguous with subreq 4";
 *  - the 6.12 and 6.1 clean reads: corpus smallreads/smb_smallreads.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/model.h"
#include "lines.h"
#include "tap.h"

enum form { BARE, COMM, FULL, NR_FORMS };

static const enum nft_test_form tform[NR_FORMS] = { NFT_TF_BARE, NFT_TF_COMM, NFT_TF_FULL };
#define form_name(f) nft_test_form_name(tform[f])

static struct nft_test_result run(const char *const *lines, size_t n_lines,
				  enum form form)
{
	struct nft_test_opts o = { .form = tform[form] };

	return nft_test_run(lines, n_lines, &o);
}

static size_t count_kind(const struct nft_test_result *r, enum nft_finding_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += r->f[i].kind == k;
	return n;
}

static const struct nft_finding *nth_kind(const struct nft_test_result *r,
					  enum nft_finding_kind k, size_t nth)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].kind == k && !nth--)
			return &r->f[i];
	return NULL;
}

static bool has_evidence(const struct nft_finding *f, uint64_t pos)
{
	size_t i;

	for (i = 0; f && i < f->n_evidence; i++)
		if (f->evidence[i].pos == pos)
			return true;
	return false;
}

static void show(const struct nft_test_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("#   %s %s %s\n", nft_finding_kind_name(r->f[i].kind),
		       r->f[i].object, r->f[i].message);
}

/*
 * @kind found @count times, the first on @object, with @evidence (line
 * number, 0 = none) among its evidence and @word in its message; in every
 * form.  Nothing else critical.
 */
static void expect(const char *name, const char *const *lines, size_t n,
		   enum nft_finding_kind kind, size_t count, const char *object,
		   uint64_t evidence, const char *word)
{
	int form;

	for (form = 0; form < NR_FORMS; form++) {
		struct nft_test_result r = run(lines, n, form);
		const struct nft_finding *f = nth_kind(&r, kind, 0);
		size_t i, other = 0;

		is(r.parse_errors, 0, "trace parses");
		is((int64_t)count_kind(&r, kind), (int64_t)count,
		   nft_finding_kind_name(kind));
		for (i = 0; i < r.n; i++)
			if (r.f[i].kind != kind &&
			    r.f[i].severity == NFT_SEV_CRITICAL)
				other++;
		ok(other == 0, "%s (%s): no other critical finding", name,
		   form_name(form));
		if (!count) {
			if (r.n)
				show(&r);
			nft_model_free(r.m);
			continue;
		}
		ok(f != NULL, "%s (%s): %s reported", name, form_name(form),
		   nft_finding_kind_name(kind));
		if (f) {
			is_str(f->object, object, "on the right object");
			if (evidence)
				ok(has_evidence(f, evidence),
				   "%s: line %llu is evidence", name,
				   (unsigned long long)evidence);
			if (word)
				ok(f->message && strstr(f->message, word),
				   "%s: message names %s", name, word);
			ok(f->severity == NFT_SEV_CRITICAL, "critical");
		} else {
			show(&r);
		}
		nft_model_free(r.m);
	}
}

#define EXPECT(name, arr, kind, count, obj, evid, word)                        \
	expect(name, arr, sizeof(arr) / sizeof(arr[0]), kind, count, obj, evid, \
	       word)
#define CLEAN(name, arr, kind)                                                 \
	expect(name, arr, sizeof(arr) / sizeof(arr[0]), kind, 0, NULL, 0, NULL)

/* ---- early-unlock, 7.x: commit 570ad253a345 ---- */

#define U7_HEAD                                                                \
	"netfs_rreq_ref: R=00001b55 NEW         r=2",                          \
	"netfs_read: R=00001b55 READAHEAD c=00000000 ni=157f3 s=0 l=6000 sz=5fb2", \
	"netfs_rreq_ref: R=00001b55 GET SUBREQ  r=3",                          \
	"netfs_sreq: R=00001b55[1] DOWN SUBMT f=102 s=0 0/5fb2 s=0 e=0",       \
	"netfs_sreq: R=00001b55[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0"
#define U7_COLLECT                                                             \
	"netfs_rreq: R=00001b55 RA COLLECT f=103",                             \
	"netfs_collect: R=00001b55 s=0-6000",                                  \
	"netfs_collect_sreq: R=00001b55[0:01] s=0 t=5fb2/5fb2"
#define U7_FOLIOS                                                              \
	"netfs_collect_folio: R=00001b55 ix=00004 r=4000-5000 t=4000/5fb2",    \
	"netfs_folio: i=157f3 ix=00004-00004 read-done",                       \
	"netfs_folio: i=157f3 ix=00004-00004 read-unlock",                     \
	"netfs_collect_folio: R=00001b55 ix=00005 r=5000-5fb2 t=5000/5fb2",    \
	"netfs_folio: i=157f3 ix=00005-00005 read-done",                       \
	"netfs_folio: i=157f3 ix=00005-00005 read-unlock",                     \
	"netfs_collect_stream: R=00001b55[0:] cto=5fb2 frn=ffffffff",          \
	"netfs_collect_state: R=00001b55 col=5fb2 cln=6000 n=c"
#define U7_ZERO_SUBMT                                                          \
	"netfs_rreq_ref: R=00001b55 GET SUBREQ  r=4",                          \
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0"
#define U7_ZERO_TERM "netfs_sreq: R=00001b55[2] ZERO TERM  f=102 s=5fb2 4e/4e s=5 e=0"
#define U7_COLLECT_ZERO                                                        \
	"netfs_collect_sreq: R=00001b55[0:02] s=5fb2 t=4e/4e"

/* As the commit shows it: the ZERO subrequest only after the unlock. */
static const char *const u7_late[] = {
	U7_HEAD, U7_COLLECT, U7_FOLIOS, U7_ZERO_SUBMT, U7_ZERO_TERM,
};

/* The same excerpt as pasted in the commit message: no netfs_read line. */
static const char *const u7_excerpt[] = {
	"netfs_sreq: R=00001b55[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0",
	U7_FOLIOS,
	"netfs_collect_stream: R=00001b55[0:] cto=5fb2 frn=ffffffff",
	"netfs_collect_state: R=00001b55 col=5fb2 cln=6000 n=8",
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
	"netfs_sreq: R=00001b55[2] ZERO TERM  f=102 s=5fb2 4e/4e s=5 e=0",
};

/*
 * The whole trace Dominique Martinet posted for the 9p mmap corruption
 * ("9p read corruption of mmaped content", 19 Dec 2025), its netfs_read line
 * rejoined where the mail wrapped it and the 9p hex dumps left out.
 */
static const char *const u7_mail[] = {
	"clang-318     [002] .....  3031.183402: netfs_rreq_ref: R=00001b55 NEW         r=2",
	"           clang-318     [002] .....  3031.183402: netfs_read: R=00001b55 READAHEAD c=00000000 ni=157f3 s=0 l=6000 sz=5fb2",
	"clang-318     [002] .....  3031.183403: netfs_folioq: R=00001b55 fq=1edf roll-init",
	"clang-318     [002] .....  3031.183403: netfs_rreq_ref: R=00001b55 GET SUBREQ  r=3",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00000-00000 read",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00001-00001 read",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00002-00002 read",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00003-00003 read",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00004-00004 read",
	"clang-318     [002] .....  3031.183404: netfs_folio: i=157f3 ix=00005-00005 read",
	"clang-318     [002] .....  3031.183408: 9p_protocol_dump: clnt 18446612686390831168 P9_TREAD(tag = 0)",
	"clang-318     [002] .....  3031.183408: 9p_client_req: client 18446612686390831168 request P9_TREAD tag  0",
	"clang-318     [002] .....  3031.183445: 9p_protocol_dump: clnt 18446612686390831168 P9_RREAD(tag = 0)",
	"clang-318     [002] .....  3031.183450: 9p_client_res: client 18446612686390831168 response P9_TREAD tag  0 err 0",
	"clang-318     [002] .....  3031.183452: netfs_sreq: R=00001b55[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0",
	"clang-318     [002] .N...  3031.183454: netfs_sreq_ref: R=00001b55[1] PUT TERM    r=1",
	"kworker/u16:2-233     [002] .....  3031.183455: netfs_rreq_ref: R=00001b55 SEE WORK    r=3",
	"kworker/u16:2-233     [002] .....  3031.183455: netfs_rreq: R=00001b55 RA COLLECT f=101",
	"kworker/u16:2-233     [002] .....  3031.183455: netfs_collect: R=00001b55 s=0-6000",
	"kworker/u16:2-233     [002] .....  3031.183455: netfs_collect_sreq: R=00001b55[0:01] s=0 t=5fb2/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183455: netfs_collect_folio: R=00001b55 ix=00000 r=0-1000 t=0/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183456: netfs_folio: i=157f3 ix=00000-00000 read-done",
	"kworker/u16:2-233     [002] .....  3031.183456: netfs_folio: i=157f3 ix=00000-00000 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183456: netfs_collect_folio: R=00001b55 ix=00001 r=1000-2000 t=1000/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183456: netfs_folio: i=157f3 ix=00001-00001 read-done",
	"kworker/u16:2-233     [002] .....  3031.183457: netfs_folio: i=157f3 ix=00001-00001 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183457: netfs_collect_folio: R=00001b55 ix=00002 r=2000-3000 t=2000/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183457: netfs_folio: i=157f3 ix=00002-00002 read-done",
	"kworker/u16:2-233     [002] .....  3031.183457: netfs_folio: i=157f3 ix=00002-00002 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183457: netfs_collect_folio: R=00001b55 ix=00003 r=3000-4000 t=3000/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183458: netfs_folio: i=157f3 ix=00003-00003 read-done",
	"kworker/u16:2-233     [002] .....  3031.183458: netfs_folio: i=157f3 ix=00003-00003 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183458: netfs_collect_folio: R=00001b55 ix=00004 r=4000-5000 t=4000/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183458: netfs_folio: i=157f3 ix=00004-00004 read-done",
	"kworker/u16:2-233     [002] .....  3031.183458: netfs_folio: i=157f3 ix=00004-00004 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183459: netfs_collect_folio: R=00001b55 ix=00005 r=5000-5fb2 t=5000/5fb2",
	"kworker/u16:2-233     [002] .....  3031.183459: netfs_folio: i=157f3 ix=00005-00005 read-done",
	"kworker/u16:2-233     [002] .....  3031.183459: netfs_folio: i=157f3 ix=00005-00005 read-unlock",
	"kworker/u16:2-233     [002] .....  3031.183459: netfs_sreq: R=00001b55[1] DOWN CONSM f=092 s=0 5fb2/5fb2 s=5 e=0",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_sreq_ref: R=00001b55[1] PUT DONE    r=0",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_sreq: R=00001b55[1] DOWN FREE  f=092 s=0 5fb2/5fb2 s=5 e=0",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_rreq_ref: R=00001b55 PUT SUBREQ  r=2",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_collect_stream: R=00001b55[0:] cto=5fb2 frn=ffffffff",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_collect_state: R=00001b55 col=5fb2 cln=6000 n=c",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_collect_stream: R=00001b55[0:] cto=5fb2 frn=ffffffff",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_collect_state: R=00001b55 col=5fb2 cln=6000 n=8",
	"kworker/u16:2-233     [002] .....  3031.183460: netfs_rreq_ref: R=00001b55 SEE WORK CP r=2",
	"clang-318     [002] .....  3031.183462: netfs_rreq_ref: R=00001b55 GET SUBREQ  r=3",
	"clang-318     [002] .....  3031.183462: netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
	"clang-318     [002] .....  3031.183462: netfs_sreq: R=00001b55[2] ZERO TERM  f=102 s=5fb2 4e/4e s=5 e=0",
	"clang-318     [002] .....  3031.183463: netfs_sreq_ref: R=00001b55[2] PUT TERM    r=1",
	"clang-318     [002] .....  3031.183463: netfs_rreq_ref: R=00001b55 PUT RETURN  r=2",
	"kworker/u16:2-233     [002] .....  3031.183476: netfs_rreq_ref: R=00001b55 SEE WORK    r=2",
	"kworker/u16:2-233     [002] .....  3031.183476: netfs_rreq: R=00001b55 RA COLLECT f=103",
	"kworker/u16:2-233     [002] .....  3031.183476: netfs_collect: R=00001b55 s=0-6000",
	"kworker/u16:2-233     [002] .....  3031.183476: netfs_collect_sreq: R=00001b55[0:02] s=5fb2 t=4e/4e",
	"kworker/u16:2-233     [002] .....  3031.183476: netfs_sreq: R=00001b55[2] ZERO CONSM f=002 s=5fb2 4e/4e s=5 e=0",
	"kworker/u16:2-233     [002] .....  3031.183477: netfs_sreq_ref: R=00001b55[2] PUT DONE    r=0",
	"kworker/u16:2-233     [002] .....  3031.183477: netfs_sreq: R=00001b55[2] ZERO FREE  f=002 s=5fb2 4e/4e s=5 e=0",
	"kworker/u16:2-233     [002] .....  3031.183478: netfs_rreq_ref: R=00001b55 PUT SUBREQ  r=1",
	"kworker/u16:2-233     [002] .....  3031.183478: netfs_collect_stream: R=00001b55[0:] cto=6000 frn=ffffffff",
	"kworker/u16:2-233     [002] .....  3031.183478: netfs_collect_state: R=00001b55 col=6000 cln=6000 n=c",
	"kworker/u16:2-233     [002] .....  3031.183478: netfs_collect_stream: R=00001b55[0:] cto=6000 frn=ffffffff",
	"kworker/u16:2-233     [002] .....  3031.183479: netfs_collect_state: R=00001b55 col=6000 cln=6000 n=8",
	"kworker/u16:2-233     [002] .....  3031.183479: netfs_rreq: R=00001b55 RA COMPLET f=103",
	"kworker/u16:2-233     [002] .....  3031.183479: netfs_rreq: R=00001b55 RA WAKE-IP f=102",
	"kworker/u16:2-233     [002] .....  3031.183479: netfs_rreq: R=00001b55 RA DONE    f=102",
	"kworker/u16:2-233     [002] .....  3031.183479: netfs_rreq_ref: R=00001b55 PUT WORK IP  r=0",
	"kworker/u16:2-233     [002] .....  3031.183482: netfs_rreq: R=00001b55 RA FREE    f=102",
	"kworker/u16:2-233     [002] .....  3031.183482: 9p_fid_ref: put     fid 20, refcount 2",
};

/*
 * An excerpt that elides the ZERO's TERM and the collect_sreq lines: the
 * collector's own collected_to (t=cleaned/collected) says the folio was
 * whole, so no verdict rests on the missing lines.
 */
static const char *const u7_elided[] = {
	"netfs_sreq: R=00001b55[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0",
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
	"netfs_collect_folio: R=00001b55 ix=00005 r=5000-6000 t=5000/6000",
	"netfs_folio: i=157f3 ix=00005-00005 read-done",
	"netfs_folio: i=157f3 ix=00005-00005 read-unlock",
};

/* Submitted before the unlock, terminated after it: in flight. */
static const char *const u7_inflight[] = {
	U7_HEAD, U7_ZERO_SUBMT, U7_COLLECT, U7_FOLIOS, U7_ZERO_TERM,
};

/* Clean twin: the fixed kernel collects the ZERO subrequest first. */
static const char *const u7_clean[] = {
	U7_HEAD, U7_ZERO_SUBMT, U7_ZERO_TERM, U7_COLLECT, U7_COLLECT_ZERO,
	"netfs_collect_folio: R=00001b55 ix=00004 r=4000-5000 t=4000/6000",
	"netfs_folio: i=157f3 ix=00004-00004 read-done",
	"netfs_folio: i=157f3 ix=00004-00004 read-unlock",
	"netfs_collect_folio: R=00001b55 ix=00005 r=5000-6000 t=5000/6000",
	"netfs_folio: i=157f3 ix=00005-00005 read-done",
	"netfs_folio: i=157f3 ix=00005-00005 read-unlock",
};

/* Clean twin: a failed read's folios go by "abandon", then read-unlock. */
static const char *const u7_abandon[] = {
	U7_HEAD, U7_COLLECT,
	"netfs_rreq: R=00001b55 RA S-ABNDN f=103",
	"netfs_collect_folio: R=00001b55 ix=00005 r=5000-6000 t=5000/5fb2",
	"netfs_folio: i=157f3 ix=00005-00005 abandon",
	"netfs_folio: i=157f3 ix=00005-00005 read-unlock",
	U7_ZERO_SUBMT, U7_ZERO_TERM,
};

/* Progress collection: an in-flight head subrequest's transferred prefix. */
static const char *const u7_progress[] = {
	"netfs_read: R=000011e2 READAHEAD c=00000000 ni=11d s=0 l=2000 sz=2000",
	"netfs_sreq: R=000011e2[1] DOWN SUBMT f=102 s=0 0/2000 s=0 e=0",
	"netfs_sreq: R=000011e2[1] DOWN PRGRS f=102 s=0 1000/2000 s=0 e=0",
	"netfs_rreq: R=000011e2 RA COLLECT f=103",
	"netfs_collect_sreq: R=000011e2[0:01] s=0 t=1000/2000",
	"netfs_collect_folio: R=000011e2 ix=00000 r=0-1000 t=0/1000",
	"netfs_folio: i=0011d ix=00000-00000 read-done",
	"netfs_folio: i=0011d ix=00000-00000 read-unlock",
	"netfs_sreq: R=000011e2[1] DOWN TERM  f=112 s=0 2000/2000 s=0 e=0",
};

/* ... and its twin: the folio beyond the transferred prefix. */
static const char *const u7_progress_early[] = {
	"netfs_read: R=000011e2 READAHEAD c=00000000 ni=11d s=0 l=2000 sz=2000",
	"netfs_sreq: R=000011e2[1] DOWN SUBMT f=102 s=0 0/2000 s=0 e=0",
	"netfs_sreq: R=000011e2[1] DOWN PRGRS f=102 s=0 1000/2000 s=0 e=0",
	"netfs_rreq: R=000011e2 RA COLLECT f=103",
	"netfs_collect_sreq: R=000011e2[0:01] s=0 t=1000/2000",
	"netfs_collect_folio: R=000011e2 ix=00001 r=1000-2000 t=1000/1000",
	"netfs_folio: i=0011d ix=00001-00001 read-done",
	"netfs_folio: i=0011d ix=00001-00001 read-unlock",
	"netfs_sreq: R=000011e2[1] DOWN TERM  f=112 s=0 2000/2000 s=0 e=0",
};

/* A write's folio lines are no read's unlock. */
static const char *const u7_write[] = {
	U7_HEAD, U7_ZERO_SUBMT,
	"netfs_write: R=00001b56 WRITEBACK c=00000000 i=157f3 by=5000-5fff",
	"netfs_collect_folio: R=00001b56 ix=00005 r=5000-6000 t=5000/6000",
	"netfs_folio: i=157f3 ix=00005-00005 clear",
	U7_ZERO_TERM,
};

/*
 * The two lines the maintainer quoted back (D. Martinet, 19 Dec 2025,
 * <aUVXI5wt9jm9x66E@codewreck.org>): no request known at the unlock.
 */
#define U7_UNLOCK5 "netfs_folio: i=157f3 ix=00005-00005 read-unlock"
static const char *const u7_two_lines[] = {
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
};

/* Clean twins: the next folio's bytes; a request of another inode; folio
 * lines of two inodes; a subrequest only seen terminating; a request seen
 * before the unlock. */
static const char *const u7_two_next[] = {
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=6000 0/4e s=0 e=0",
};

static const char *const u7_two_other_ino[] = {
	U7_UNLOCK5,
	"netfs_read: R=00001b55 READAHEAD c=00000000 ni=1a2b3 s=5000 l=1000 sz=5fb2",
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
};

static const char *const u7_two_inodes[] = {
	"netfs_folio: i=1a2b3 ix=00005-00005 read-unlock",
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
};

static const char *const u7_two_term[] = {
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[2] ZERO TERM  f=102 s=5fb2 4e/4e s=5 e=0",
};

static const char *const u7_two_known[] = {
	"netfs_rreq_ref: R=00001b55 GET SUBREQ  r=3",
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
};

/*
 * A capture without netfs_read lines (only netfs_sreq and netfs_folio
 * enabled): the first read's request is alive at its unlock but not joined
 * (its inode unknown); the page cache is dropped and the same bytes read
 * again by a new request.  No excerpt, no late subrequest.
 */
static const char *const u7_reread[] = {
	"netfs_sreq: R=00001b54[1] DOWN SUBMT f=000 s=5000 0/fb2 s=0 e=0",
	"netfs_sreq: R=00001b54[1] DOWN TERM  f=102 s=5000 fb2/fb2 s=5 e=0",
	U7_UNLOCK5,
	"netfs_sreq: R=00001b55[1] DOWN SUBMT f=000 s=5000 0/fb2 s=0 e=0",
	"netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0",
};

static void test_early_unlock_7(void)
{
	CLEAN("7.x no netfs_read lines: the same bytes read again",
	      u7_reread, NFT_FIND_EARLY_UNLOCK);
	EXPECT("7.x the two lines quoted back", u7_two_lines,
	       NFT_FIND_EARLY_UNLOCK, 1, "R=00001b55", 2, "came only after");
	CLEAN("7.x two lines: the next folio", u7_two_next,
	      NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x two lines: a request of another inode", u7_two_other_ino,
	      NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x two lines: folios of two inodes", u7_two_inodes,
	      NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x two lines: only a TERM", u7_two_term,
	      NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x two lines: the request known before", u7_two_known,
	      NFT_FIND_EARLY_UNLOCK);
	EXPECT("7.x ZERO after the unlock", u7_late, NFT_FIND_EARLY_UNLOCK, 1,
	       "R=00001b55", 18, "[2] ZERO");
	EXPECT("7.x commit excerpt", u7_excerpt, NFT_FIND_EARLY_UNLOCK, 1,
	       "R=00001b55", 13, "ix=5");
	EXPECT("7.x ZERO in flight", u7_inflight, NFT_FIND_EARLY_UNLOCK, 1,
	       "R=00001b55", 15, "in flight");
	CLEAN("7.x ZERO collected first", u7_clean, NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x abandoned folio", u7_abandon, NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x progress collection", u7_progress, NFT_FIND_EARLY_UNLOCK);
	EXPECT("7.x unlock past the progress", u7_progress_early,
	       NFT_FIND_EARLY_UNLOCK, 1, "R=000011e2", 7, "1000-1fff");
	CLEAN("7.x writeback folio", u7_write, NFT_FIND_EARLY_UNLOCK);
	CLEAN("7.x excerpt without the ZERO's TERM", u7_elided,
	      NFT_FIND_EARLY_UNLOCK);
	/* 6.14+ has no donations: nothing of them on a 7.x read */
	CLEAN("7.x read: no donation", u7_clean, NFT_FIND_BAD_DONATION);
	CLEAN("7.x progress read: no donation", u7_progress,
	      NFT_FIND_BAD_DONATION);
}

static void test_early_unlock_mail(void)
{
	struct nft_test_result r = run(u7_mail, sizeof(u7_mail) / sizeof(u7_mail[0]),
			      BARE);
	const struct nft_finding *f = nth_kind(&r, NFT_FIND_EARLY_UNLOCK, 0);

	is(r.parse_errors, 0, "mail trace parses");
	is((int64_t)count_kind(&r, NFT_FIND_EARLY_UNLOCK), 1,
	   "mail trace: one early-unlock");
	ok(f && !strcmp(f->object, "R=00001b55"), "on R=00001b55");
	ok(f && has_evidence(f, 37) && has_evidence(f, 49),
	   "the read-done of ix=5 and the ZERO SUBMT are its evidence");
	ok(f && f->message && strstr(f->message, "ix=5") &&
	   strstr(f->message, "[2] ZERO"), "names the folio and the subrequest");
	if (!f)
		show(&r);
	nft_model_free(r.m);
}

/* ---- early-unlock, 6.12: corpus smallreads (9p), R=00000714 ---- */

#define U12_HEAD                                                               \
	"netfs_rreq_ref: R=00000714 NEW         r=1",                          \
	"netfs_read: R=00000714 READAHEAD c=00000000 ni=52234d s=0 l=1000 sz=200", \
	"netfs_folio: i=52234d ix=00000-00000 read",                           \
	"netfs_rreq_ref: R=00000714 GET SUBREQ  r=2",                          \
	"netfs_sreq: R=00000714[1] ---- ADD   f=00 s=0 0/1000 e=0",            \
	"netfs_progress: R=00000714[01] s=0 ct=0/200 pa=200/200 sl=0",         \
	"netfs_donate: R=00000714[01] -> [ffffffff] defer-next am=200",        \
	"netfs_sreq: R=00000714[1] DOWN DON-N f=82 s=0 200/200 e=0",           \
	"netfs_sreq_ref: R=00000714[1] PUT CONSUME r=1",                       \
	"netfs_sreq: R=00000714[1] DOWN TERM  f=82 s=0 0/0 e=0",               \
	"netfs_sreq_ref: R=00000714[1] PUT TERM    r=0",                       \
	"netfs_sreq: R=00000714[1] DOWN FREE  f=82 s=0 0/0 e=0",               \
	"netfs_rreq_ref: R=00000714 PUT SUBREQ  r=1",                          \
	"netfs_rreq_ref: R=00000714 GET SUBREQ  r=2"
#define U12_ZERO                                                               \
	"netfs_sreq: R=00000714[2] ---- ADD   f=00 s=200 0/e00 e=0",           \
	"netfs_sreq: R=00000714[2] ZERO SUBMT f=00 s=200 0/e00 e=0",           \
	"netfs_sreq: R=00000714[2] ZERO CLEAR f=82 s=200 e00/e00 e=0",         \
	"netfs_sreq: R=00000714[2] ZERO +DON  f=82 s=0 1000/1000 e=0",         \
	"netfs_progress: R=00000714[02] s=0 ct=0/1000 pa=1000/1000 sl=0"
#define U12_UNLOCK                                                             \
	"netfs_folio: i=52234d ix=00000-00000 read-done",                      \
	"netfs_folio: i=52234d ix=00000-00000 read-unlock"
#define U12_TAIL                                                               \
	"netfs_sreq_ref: R=00000714[2] PUT CONSUME r=1",                       \
	"netfs_sreq: R=00000714[2] ZERO TERM  f=82 s=0 1000/1000 e=0",         \
	"netfs_sreq_ref: R=00000714[2] PUT TERM    r=0",                       \
	"netfs_sreq: R=00000714[2] ZERO FREE  f=82 s=0 1000/1000 e=0",         \
	"netfs_rreq_ref: R=00000714 PUT SUBREQ  r=1",                          \
	"netfs_rreq: R=00000714 RA ASSESS  f=20",                              \
	"netfs_rreq: R=00000714 RA WAKE-IP f=20",                              \
	"netfs_rreq: R=00000714 RA DONE    f=00",                              \
	"netfs_rreq_ref: R=00000714 PUT RETURN  r=0",                          \
	"netfs_rreq: R=00000714 RA FREE    f=00"

static const char *const u12_clean[] = { U12_HEAD, U12_ZERO, U12_UNLOCK,
					 U12_TAIL };
/* The folio made visible with only the download's 0x200 bytes in it. */
static const char *const u12_early[] = { U12_HEAD, U12_UNLOCK, U12_ZERO,
					 U12_TAIL };

/* 6.10-6.13 without read-unlock: mark-copy is the unlock of a cached read. */
static const char *const u12_markcopy[] = {
	U12_HEAD,
	"netfs_folio: i=52234d ix=00000-00000 mark-copy",
	U12_ZERO, U12_TAIL,
};

static void test_early_unlock_612(void)
{
	CLEAN("6.12 9p EOF folio", u12_clean, NFT_FIND_EARLY_UNLOCK);
	EXPECT("6.12 read-done before the ZERO", u12_early,
	       NFT_FIND_EARLY_UNLOCK, 1, "R=00000714", 15, "200-fff");
	EXPECT("6.12 mark-copy before the ZERO", u12_markcopy,
	       NFT_FIND_EARLY_UNLOCK, 1, "R=00000714", 15, "mark-copy");
}

/* ---- early-unlock, 6.1: netfs_rreq UNLOCK for the whole request ---- */

#define U61_HEAD                                                               \
	"netfs_rreq_ref: R=00000002 NEW         r=1",                          \
	"netfs_read: R=00000002 READAHEAD c=00000000 ni=2d8b s=0 20000",       \
	"netfs_rreq_ref: R=00000002 GET SUBREQ  r=2",                          \
	"netfs_sreq: R=00000002[0] DOWN SUBMT f=01 s=0 0/10000 e=0",           \
	"netfs_rreq_ref: R=00000002 GET SUBREQ  r=3",                          \
	"netfs_sreq: R=00000002[1] DOWN SUBMT f=01 s=10000 0/10000 e=0",       \
	"netfs_sreq: R=00000002[0] DOWN TERM  f=01 s=0 10000/10000 e=0"
#define U61_TERM1 "netfs_sreq: R=00000002[1] DOWN TERM  f=01 s=10000 10000/10000 e=0"
#define U61_UNLOCK                                                             \
	"netfs_rreq: R=00000002 RA ASSESS  f=03",                              \
	"netfs_rreq: R=00000002 RA UNLOCK  f=03"
#define U61_TAIL                                                               \
	"netfs_sreq: R=00000002[0] DOWN FREE  f=01 s=0 10000/10000 e=0",       \
	"netfs_rreq_ref: R=00000002 PUT SUBREQ  r=2",                          \
	"netfs_sreq: R=00000002[1] DOWN FREE  f=01 s=10000 10000/10000 e=0",   \
	"netfs_rreq_ref: R=00000002 PUT SUBREQ  r=1",                          \
	"netfs_rreq: R=00000002 RA DONE    f=02",                              \
	"netfs_rreq_ref: R=00000002 PUT COMPLT r=0",                           \
	"netfs_rreq: R=00000002 RA FREE    f=02"

static const char *const u61_clean[] = { U61_HEAD, U61_TERM1, U61_UNLOCK,
					 U61_TAIL };
static const char *const u61_early[] = { U61_HEAD, U61_UNLOCK, U61_TERM1,
					 U61_TAIL };

/* The same with timestamps: the UNLOCK on cpu 1, [1]'s TERM on cpu 0. */
#define K61(cpu, ts, line) "kworker/u8:1-29 [00" cpu "] ..... " ts ": " line
#define U61_STAMPED(term_ts)                                                   \
	K61("1", "5.000000", "netfs_rreq_ref: R=00000002 NEW         r=1"),    \
	K61("1", "5.000001", "netfs_read: R=00000002 READAHEAD c=00000000 ni=2d8b s=0 20000"), \
	K61("1", "5.000002", "netfs_sreq: R=00000002[0] DOWN SUBMT f=01 s=0 0/10000 e=0"), \
	K61("1", "5.000003", "netfs_sreq: R=00000002[1] DOWN SUBMT f=01 s=10000 0/10000 e=0"), \
	K61("1", "5.000100", "netfs_sreq: R=00000002[0] DOWN TERM  f=01 s=0 10000/10000 e=0"), \
	K61("1", "5.000110", "netfs_rreq: R=00000002 RA ASSESS  f=03"),        \
	K61("1", "5.000111", "netfs_rreq: R=00000002 RA UNLOCK  f=03"),        \
	K61("0", term_ts, "netfs_sreq: R=00000002[1] DOWN TERM  f=01 s=10000 10000/10000 e=0")

/* A hair later by the other CPU's clock: it may well have been first. */
static const char *const u61_skew[] = { U61_STAMPED("5.000140") };
/* 5 ms later: no clock is that far off. */
static const char *const u61_late[] = { U61_STAMPED("5.005111") };

static void test_early_unlock_61_clocks(void)
{
	struct nft_test_result r = run(u61_skew, sizeof(u61_skew) / sizeof(u61_skew[0]),
			      BARE);

	is(r.parse_errors, 0, "stamped 6.1 trace parses");
	is((int64_t)count_kind(&r, NFT_FIND_EARLY_UNLOCK), 0,
	   "6.1: another CPU's TERM 29 us after the UNLOCK is no early unlock");
	nft_model_free(r.m);
	r = run(u61_late, sizeof(u61_late) / sizeof(u61_late[0]), BARE);
	is((int64_t)count_kind(&r, NFT_FIND_EARLY_UNLOCK), 1,
	   "6.1: another CPU's TERM 5 ms after the UNLOCK is");
	nft_model_free(r.m);
}

static void test_early_unlock_61(void)
{
	CLEAN("6.1 UNLOCK after every TERM", u61_clean, NFT_FIND_EARLY_UNLOCK);
	EXPECT("6.1 UNLOCK before [1] TERM", u61_early, NFT_FIND_EARLY_UNLOCK,
	       1, "R=00000002", 9, "[1] DOWN");
}

/* ---- bad-donation, 6.12: the cifs readahead of December 2024 ---- */

#define D_HEAD                                                                 \
	"netfs_rreq_ref: R=0000290e NEW         r=1",                          \
	"netfs_read: R=0000290e READAHEAD c=00000000 ni=0 s=85e00000 l=800000 sz=280000000", \
	"netfs_folio: i=f1c2900000000000 ix=85e00-85fff read",                 \
	"netfs_folio: i=f1c2900000000000 ix=86000-861ff read",                 \
	"netfs_folio: i=f1c2900000000000 ix=86200-863ff read",                 \
	"netfs_folio: i=f1c2900000000000 ix=86400-865ff read",                 \
	"netfs_sreq: R=0000290e[1] DOWN SUBMT f=02 s=85e00000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[2] DOWN SUBMT f=02 s=85f00000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[3] DOWN SUBMT f=02 s=86000000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[4] DOWN SUBMT f=02 s=86100000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[5] DOWN SUBMT f=02 s=86200000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[6] DOWN SUBMT f=02 s=86300000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[7] DOWN SUBMT f=02 s=86400000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[8] DOWN SUBMT f=02 s=86500000 0/100000 e=0",   \
	"netfs_sreq: R=0000290e[1] DOWN IO    f=02 s=85e00000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[01] s=85e00000 ct=0/100000 pa=100000/100000 sl=0", \
	"netfs_donate: R=0000290e[01] -> [02] to-next am=100000",              \
	"netfs_sreq: R=0000290e[6] DOWN IO    f=02 s=86300000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[06] s=86300000 ct=0/100000 pa=100000/100000 sl=2", \
	"netfs_donate: R=0000290e[06] -> [05] tail-to-prev am=100000",         \
	"netfs_sreq: R=0000290e[2] DOWN IO    f=02 s=85f00000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[02] s=85e00000 ct=0/200000 pa=200000/200000 sl=0", \
	"netfs_folio: i=f1c2900000000000 ix=85e00-85fff read-done",            \
	"netfs_folio: i=f1c2900000000000 ix=85e00-85fff read-unlock",          \
	"netfs_sreq: R=0000290e[5] DOWN IO    f=02 s=86200000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[05] s=86200000 ct=0/200000 pa=200000/200000 sl=2", \
	"netfs_folio: i=f1c2900000000000 ix=86200-863ff read-done",            \
	"netfs_folio: i=f1c2900000000000 ix=86200-863ff read-unlock",          \
	"netfs_sreq: R=0000290e[3] DOWN IO    f=02 s=86000000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[03] s=86000000 ct=0/100000 pa=100000/100000 sl=1", \
	"netfs_donate: R=0000290e[03] -> [04] to-next am=100000",              \
	"netfs_sreq: R=0000290e[7] DOWN IO    f=02 s=86400000 100000/100000 e=0", \
	"netfs_progress: R=0000290e[07] s=86400000 ct=0/100000 pa=100000/100000 sl=3"

/* As quoted in the thread: 7 and then 8 donate down to 4 over the gap. */
static const char *const d_bad[] = {
	D_HEAD,
	"netfs_donate: R=0000290e[07] -> [04] to-prev am=0",
	"netfs_sreq: R=0000290e[4] DOWN IO    f=02 s=86100000 100000/100000 e=0",
	"netfs_sreq: R=0000290e[4] DOWN +DON  f=02 s=86000000 300000/300000 e=0",
	"netfs_progress: R=0000290e[04] s=86000000 ct=0/300000 pa=200000/300000 sl=1",
	"netfs_folio: i=f1c2900000000000 ix=86000-861ff read-done",
	"netfs_folio: i=f1c2900000000000 ix=86000-861ff read-unlock",
	"netfs_sreq: R=0000290e[8] DOWN IO    f=02 s=86500000 100000/100000 e=0",
	"netfs_progress: R=0000290e[08] s=86500000 ct=0/100000 pa=100000/100000 sl=3",
	"netfs_donate: R=0000290e[08] -> [04] tail-to-prev am=100000",
	"netfs_sreq: R=0000290e[4] DOWN +DON  f=02 s=86000000 400000/400000 e=0",
	"netfs_progress: R=0000290e[04] s=86200000 ct=200000/400000 pa=200000/200000 sl=2",
};

/* The fixed kernel (c8b90d40d5bb): 7 is not contiguous with 4, so to 8. */
static const char *const d_clean[] = {
	D_HEAD,
	"netfs_donate: R=0000290e[07] -> [08] to-next am=100000",
	"netfs_sreq: R=0000290e[7] DOWN DON-N f=02 s=86400000 100000/100000 e=0",
	"netfs_sreq_ref: R=0000290e[7] PUT CONSUME r=1",
	"netfs_sreq: R=0000290e[4] DOWN IO    f=02 s=86100000 100000/100000 e=0",
	"netfs_sreq: R=0000290e[4] DOWN +DON  f=02 s=86000000 200000/200000 e=0",
	"netfs_progress: R=0000290e[04] s=86000000 ct=0/200000 pa=200000/200000 sl=1",
	"netfs_folio: i=f1c2900000000000 ix=86000-861ff read-done",
	"netfs_folio: i=f1c2900000000000 ix=86000-861ff read-unlock",
	"netfs_sreq: R=0000290e[8] DOWN IO    f=02 s=86500000 100000/100000 e=0",
	"netfs_sreq: R=0000290e[8] DOWN +DON  f=02 s=86400000 200000/200000 e=0",
	"netfs_progress: R=0000290e[08] s=86400000 ct=0/200000 pa=200000/200000 sl=3",
	"netfs_folio: i=f1c2900000000000 ix=86400-865ff read-done",
	"netfs_folio: i=f1c2900000000000 ix=86400-865ff read-unlock",
};

/* A to-next donation to a subrequest that does not start at the donor's end. */
static const char *const d_bad_next[] = {
	D_HEAD,
	"netfs_donate: R=0000290e[07] -> [05] to-next am=100000",
};

/* 9p smallreads: a deferred donation, taken by the ZERO subrequest... */
static const char *const d_defer_clean[] = { U12_HEAD, U12_ZERO, U12_UNLOCK,
					     U12_TAIL };
/* ...and a ZERO subrequest that does not start where the donor ended. */
static const char *const d_defer_gap[] = {
	U12_HEAD,
	"netfs_sreq: R=00000714[2] ---- ADD   f=00 s=400 0/c00 e=0",
	"netfs_sreq: R=00000714[2] ZERO SUBMT f=00 s=400 0/c00 e=0",
};

/* smb_smallreads: the ZERO tail donated to the download before it. */
static const char *const d_tail_clean[] = {
	"netfs_read: R=00001173 READAHEAD c=00000000 ni=23c s=140000 l=a9000 sz=1e8480",
	"netfs_sreq: R=00001173[1] ---- ADD   f=00 s=140000 0/a9000 e=0",
	"netfs_sreq: R=00001173[1] DOWN PREP  f=00 s=140000 0/a8480 e=0",
	"netfs_sreq: R=00001173[1] DOWN SUBMT f=02 s=140000 0/a8480 e=0",
	"netfs_sreq: R=00001173[2] ---- ADD   f=00 s=1e8480 0/b80 e=0",
	"netfs_sreq: R=00001173[2] ZERO SUBMT f=00 s=1e8480 0/b80 e=0",
	"netfs_sreq: R=00001173[2] ZERO CLEAR f=82 s=1e8480 b80/b80 e=0",
	"netfs_progress: R=00001173[02] s=1e8480 ct=0/b80 pa=b80/b80 sl=4",
	"netfs_donate: R=00001173[02] -> [01] tail-to-prev am=b80",
	"netfs_sreq: R=00001173[2] ZERO DON-P f=82 s=1e9000 0/0 e=0",
	"netfs_sreq_ref: R=00001173[2] PUT CONSUME r=1",
	"netfs_sreq: R=00001173[2] ZERO TERM  f=82 s=1e9000 0/0 e=0",
};

/* ...and the same with the download cut short of the ZERO's start. */
static const char *const d_tail_gap[] = {
	"netfs_read: R=00001173 READAHEAD c=00000000 ni=23c s=140000 l=a9000 sz=1e8480",
	"netfs_sreq: R=00001173[1] ---- ADD   f=00 s=140000 0/a9000 e=0",
	"netfs_sreq: R=00001173[1] DOWN PREP  f=00 s=140000 0/a8000 e=0",
	"netfs_sreq: R=00001173[1] DOWN SUBMT f=02 s=140000 0/a8000 e=0",
	"netfs_sreq: R=00001173[2] ---- ADD   f=00 s=1e8480 0/b80 e=0",
	"netfs_sreq: R=00001173[2] ZERO SUBMT f=00 s=1e8480 0/b80 e=0",
	"netfs_sreq: R=00001173[2] ZERO CLEAR f=82 s=1e8480 b80/b80 e=0",
	"netfs_progress: R=00001173[02] s=1e8480 ct=0/b80 pa=b80/b80 sl=4",
	"netfs_donate: R=00001173[02] -> [01] tail-to-prev am=b80",
	"netfs_sreq: R=00001173[2] ZERO DON-P f=82 s=1e9000 0/0 e=0",
};

static void test_bad_donation(void)
{
	EXPECT("6.12 to-prev over consumed subrequests", d_bad,
	       NFT_FIND_BAD_DONATION, 2, "R=0000290e[7]", 34, "[4]");
	CLEAN("6.12 fixed donation order", d_clean, NFT_FIND_BAD_DONATION);
	EXPECT("6.12 to-next to a non-adjacent one", d_bad_next,
	       NFT_FIND_BAD_DONATION, 1, "R=0000290e[7]", 34, "to-next");
	CLEAN("6.12 defer-next taken by the ZERO", d_defer_clean,
	      NFT_FIND_BAD_DONATION);
	EXPECT("6.12 defer-next and a gap", d_defer_gap, NFT_FIND_BAD_DONATION,
	       1, "R=00000714[1]", 15, "gap");
	CLEAN("6.12 tail-to-prev", d_tail_clean, NFT_FIND_BAD_DONATION);
	EXPECT("6.12 tail-to-prev over a gap", d_tail_gap,
	       NFT_FIND_BAD_DONATION, 1, "R=00001173[2]", 9, "gap");
}

static void test_second_donor(void)
{
	struct nft_test_result r = run(d_bad, sizeof(d_bad) / sizeof(d_bad[0]), BARE);
	const struct nft_finding *f = nth_kind(&r, NFT_FIND_BAD_DONATION, 1);

	ok(f && !strcmp(f->object, "R=0000290e[8]"),
	   "the second bad donation is [8]'s");
	ok(f && has_evidence(f, 42), "with its donate line");
	nft_model_free(r.m);
}

int main(void)
{
	test_early_unlock_7();
	test_early_unlock_mail();
	test_early_unlock_612();
	test_early_unlock_61();
	test_early_unlock_61_clocks();
	test_bad_donation();
	test_second_donor();
	return tap_done();
}
