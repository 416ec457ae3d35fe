// SPDX-License-Identifier: GPL-2.0
/*
 * fscache and cachefiles lifecycles: each rule against a trigger trace and
 * a clean twin, each in the forms people paste (full ftrace lines,
 * "comm-pid: event:" and "comm: event:" without timestamps, bare "event:"
 * lines), and the fscache
 * of before 5.17.  The 6.12 lines are the corpus' fc_write capture (cookie
 * c=00000007, object o=00000005), cut and edited by hand; the old fscache
 * lines are quoted from Luis Henriques' "9p: fscache duplicate cookie"
 * thread (v9fs-developer, May 2021).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/model.h"
#include "lines.h"
#include "tap.h"

enum form { FULL, COMM_PID, COMM, BARE, NR_FORMS };

static const enum nft_test_form tform[NR_FORMS] = { NFT_TF_FULL, NFT_TF_COMM_PID, NFT_TF_COMM,
						  NFT_TF_BARE };
#define form_name(f) nft_test_form_name(tform[f])

/* @lines are "event: fields"; dress them as @form before parsing. */
static struct nft_test_result run(const char *const *lines, size_t n_lines,
				  enum form form)
{
	struct nft_test_opts o = { .form = tform[form], .pid = 104,
				   .base_us = 102200000 };

	return nft_test_run(lines, n_lines, &o);
}

static const struct nft_finding *find(const struct nft_test_result *r,
				      enum nft_finding_kind k,
				      const char *object)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].kind == k &&
		    (!object || !strcmp(r->f[i].object, object)))
			return &r->f[i];
	return NULL;
}

static void dump(const struct nft_test_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("#   %s %s: %s\n", nft_finding_kind_name(r->f[i].kind),
		       r->f[i].object, r->f[i].message);
}

/* In every form: exactly @n findings, one of @kind on @object. */
static void expect(const char *name, const char *const *lines, size_t n,
		   enum nft_finding_kind kind, const char *object,
		   size_t n_findings)
{
	int f;

	for (f = 0; f < NR_FORMS; f++) {
		struct nft_test_result r = run(lines, n, f);
		const struct nft_finding *x = find(&r, kind, object);

		is(r.parse_errors, 0, "trace parses");
		ok(x != NULL, "%s (%s): %s on %s", name, form_name(f),
		   nft_finding_kind_name(kind), object);
		ok(r.n == n_findings, "%s (%s): %zu finding(s)", name,
		   form_name(f), n_findings);
		ok(!x || x->n_evidence >= 1, "%s: with evidence", name);
		if (!x || r.n != n_findings)
			dump(&r);
		nft_model_free(r.m);
	}
}

static void expect_clean(const char *name, const char *const *lines,
			 size_t n)
{
	int f;

	for (f = 0; f < NR_FORMS; f++) {
		struct nft_test_result r = run(lines, n, f);

		is(r.parse_errors, 0, "twin parses");
		ok(r.n == 0, "%s (%s): no findings", name, form_name(f));
		dump(&r);
		nft_model_free(r.m);
	}
}

#define EXPECT(name, arr, kind, obj, n)                                        \
	expect(name, arr, sizeof(arr) / sizeof(arr[0]), kind, obj, n)
#define CLEAN(name, arr) expect_clean(name, arr, sizeof(arr) / sizeof(arr[0]))

/* ---- the normal teardown is silent ---- */

#define VOLUME_LIFE                                                            \
	"fscache_volume: V=00000001 NEW acq   u=1",                            \
	"fscache_access_cache: C=00000001 BEGIN acq_vol r=2 a=1",              \
	"fscache_volume: V=00000001 GET creat u=2",                            \
	"fscache_volume: V=00000001 SEE creat u=2",                            \
	"fscache_access_cache: C=00000001 END   acq_vol r=2 a=0",              \
	"fscache_volume: V=00000001 PUT creat u=1",                            \
	"fscache_volume: V=00000001 GET cook  u=2",                            \
	"fscache_volume: V=00000001 PUT cook  u=1"

static void test_volume_teardown(void)
{
	/* fscache_put_volume() then fscache_free_volume() */
	static const char *const life[] = {
		VOLUME_LIFE,
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_access_volume: V=00000001 c=00000000 BEGIN rlq_vol r=0 a=1",
		"fscache_access_volume: V=00000001 c=00000000 END   rlq_vol r=0 a=0",
		"fscache_volume: V=00000001 FREE      u=0",
	};
	static const char *const used[] = {
		VOLUME_LIFE,
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_volume: V=00000001 FREE      u=0",
		"fscache_volume: V=00000001 GET cook  u=1",
	};

	/* a cookie's put of its volume traced after the FREE it preceded */
	static const char *const late[] = {
		VOLUME_LIFE,
		"fscache_volume: V=00000001 GET cook  u=2",
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_volume: V=00000001 FREE      u=0",
		"fscache_volume: V=00000001 PUT cook  u=1",
	};

	/* one finding however many lines follow */
	static const char *const used2[] = {
		VOLUME_LIFE,
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_volume: V=00000001 FREE      u=0",
		"fscache_volume: V=00000001 GET cook  u=1",
		"fscache_volume: V=00000001 GET cook  u=2",
	};

	CLEAN("volume put to 0 then FREE", life);
	EXPECT("volume used twice after its FREE", used2,
	       NFT_FIND_USE_AFTER_FREE, "V=00000001", 1);
	CLEAN("a put printed u=1 after the FREE: a late line", late);
	EXPECT("volume used after its FREE", used, NFT_FIND_USE_AFTER_FREE,
	       "V=00000001", 1);
}

/* c=00000007 / o=00000005 of the corpus' 6.12 fc_write, to relinquish. */
#define COOKIE_HEAD                                                            \
	"fscache_cookie: c=00000007 NEW acq   r=1",                            \
	"fscache_volume: V=00000001 GET cook  u=3",                            \
	"fscache_acquire: c=00000007 V=00000001 vr=3 vc=2",                    \
	"fscache_active: c=00000007 USE           r=1 a=0 c=1",                \
	"fscache_access_volume: V=00000001 c=00000007 BEGIN lookup  r=3 a=2",  \
	"fscache_access: c=00000007 BEGIN lookup  r=1 a=1",                    \
	"fscache_cookie: c=00000007 GQ  use   r=2",                            \
	"fscache_cookie: c=00000007 -   work  r=2",                            \
	"fscache_access: c=00000007 PIN   cache   r=2 a=1",                    \
	"fscache_cookie: c=00000007 GET attch r=3",                            \
	"cachefiles_ref: c=00000007 o=00000005 u=1 NEW obj",                   \
	"cachefiles_lookup: o=00000005 dB=9a B=236 e=0",                       \
	"cachefiles_mark_active: o=00000005 B=236",                            \
	"cachefiles_coherency: o=00000005 OK       B=236 c=0",                 \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE lookup_cookie",         \
	"fscache_cookie: c=00000007 -   activ r=3",                            \
	"fscache_access: c=00000007 END   lookup  r=3 a=0",                    \
	"fscache_access_volume: V=00000001 c=00000007 END   lookup  r=3 a=1",  \
	"fscache_cookie: c=00000007 PQ  work  r=2"
#define COOKIE_IO_BEGIN                                                        \
	"fscache_access: c=00000007 BEGIN io_read r=2 a=1",                    \
	"cachefiles_prep_read: o=00000005 READ have-data  f=00 s=0 4000 ni=5223b0 B=236", \
	"cachefiles_ref: c=00000007 o=00000005 u=1 GET ioreq",                 \
	"cachefiles_read: o=00000005 B=236 s=0 l=4000",                        \
	"cachefiles_ref: c=00000007 o=00000005 u=2 PUT ioreq"
#define COOKIE_IO_END "fscache_access: c=00000007 END   io      r=2 a=0"
#define COOKIE_UNUSE                                                           \
	"fscache_active: c=00000007 UNUSE         r=2 a=0 c=0",                \
	"fscache_cookie: c=00000007 GET lru   r=3"
#define COOKIE_RELINQUISH                                                      \
	"fscache_relinquish: c=00000007 V=00000001 r=3 U=0 f=25 rt=0",         \
	"fscache_cookie: c=00000007 PUT lru   r=2",                            \
	"fscache_access: c=00000007 UNPIN cache   r=2 a=0",                    \
	"fscache_cookie: c=00000007 GQ  endac r=3",                            \
	"fscache_cookie: c=00000007 PUT relnq r=2",                            \
	"fscache_cookie: c=00000007 -   work  r=2"
#define COOKIE_WITHDRAW                                                        \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",       \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdrawal",            \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE clean_commit",          \
	"cachefiles_mark_inactive: o=00000005 B=236",                          \
	"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",                \
	"fscache_cookie: c=00000007 PUT obj   r=1",                            \
	"fscache_cookie: c=00000007 -   x-rlq r=1",                            \
	"fscache_cookie: c=00000007 PQ  work  r=0",                            \
	"fscache_volume: V=00000001 PUT cook  u=2"

static void test_cookie_teardown(void)
{
	static const char *const life[] = {
		COOKIE_HEAD, COOKIE_IO_BEGIN, COOKIE_IO_END, COOKIE_UNUSE,
		COOKIE_RELINQUISH, COOKIE_WITHDRAW,
	};

	CLEAN("cookie and cache object: use, relinquish, withdraw", life);
}

/* ---- use-after-free: withdrawn under an open access ---- */

/* what fscache_cookie_lru_do_one() leads to; the inode keeps the cookie */
#define LRU_WITHDRAW                                                           \
	"fscache_cookie: c=00000007 -   x-lru r=3",                            \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",       \
	"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdrawal",            \
	"cachefiles_mark_inactive: o=00000005 B=236",                          \
	"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",                \
	"fscache_cookie: c=00000007 PUT obj   r=2",                            \
	"fscache_cookie: c=00000007 PUT lru   r=1"

static void test_withdraw_under_access(void)
{
	/* the LRU discard withdraws the object; the read is still going */
	static const char *const lru[] = {
		COOKIE_HEAD, COOKIE_IO_BEGIN, COOKIE_IO_END, COOKIE_UNUSE,
		"fscache_cookie: c=00000007 -   lrudo r=3",
		"fscache_active: c=00000007 USE           r=3 a=0 c=1",
		"fscache_access: c=00000007 BEGIN io_read r=3 a=1",
		LRU_WITHDRAW,
		"fscache_access: c=00000007 END   io      r=1 a=0",
	};
	/* its twin: the read ended before the discard */
	static const char *const lru_twin[] = {
		COOKIE_HEAD, COOKIE_IO_BEGIN, COOKIE_IO_END, COOKIE_UNUSE,
		"fscache_cookie: c=00000007 -   lrudo r=3",
		"fscache_active: c=00000007 USE           r=3 a=0 c=1",
		"fscache_access: c=00000007 BEGIN io_read r=3 a=1",
		"fscache_access: c=00000007 END   io      r=3 a=0",
		LRU_WITHDRAW,
	};
	/* an excerpt: the begin is all we see of the cookie's accesses */
	static const char *const cut[] = {
		"fscache_access: c=00000007 BEGIN io_writ r=2 a=1",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",
	};
	/* an END whose BEGIN is before the excerpt does not open one */
	static const char *const cut_twin[] = {
		"fscache_access: c=00000007 END   io      r=2 a=0",
		"fscache_access: c=00000007 BEGIN io_writ r=2 a=1",
		"fscache_access: c=00000007 END   io      r=2 a=0",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",
	};

	EXPECT("object withdrawn by the LRU under a read", lru,
	       NFT_FIND_USE_AFTER_FREE, "c=00000007", 1);
	CLEAN("read ended, then the LRU discard", lru_twin);
	/* the cookie's last put with a read still going */
	static const char *const freed[] = {
		"fscache_access: c=00000007 BEGIN io_read r=1 a=1",
		"fscache_cookie: c=00000007 PQ  work  r=0",
		"fscache_access: c=00000007 END   io      r=0 a=0",
		"fscache_active: c=00000007 UNUSE         r=0 a=0 c=0",
	};

	EXPECT("cookie freed under an open read", freed,
	       NFT_FIND_USE_AFTER_FREE, "c=00000007", 1);
	EXPECT("excerpt: withdrawn under an open write", cut,
	       NFT_FIND_USE_AFTER_FREE, "c=00000007", 1);
	CLEAN("excerpt: accesses balanced", cut_twin);
}

/*
 * Quoted from Dave Wysochanski's analysis of Daire Byrne's oops (linux-nfs,
 * November 2022, "Fix oops in cachefiles_prepare_write due to cookie_lru
 * and use_cookie race"), the lines of c=00000b95 and R=00278174 (his debug
 * tracepoint that printed "object == NULL" left out).  The twin is what the
 * fix (b5b52de3214a) does instead: the use clears the discard ("- lrudc"),
 * the state machine runs without withdrawing, the read ends its access.
 */
#define LRU_RACE_HEAD                                                          \
	"fscache_cookie: c=00000b95 -   lrudo r=3",                            \
	"fscache_access: c=00000b95 UNPIN cache   r=3 a=0",                    \
	"fscache_cookie: c=00000b95 GQ  endac r=4",                            \
	"fscache_cookie: c=00000b95 PUT lru   r=3",                            \
	"fscache_active: c=00000b95 USE           r=3 a=0 c=1"

static void test_lru_race_quoted(void)
{
	static const char *const mail[] = {
		LRU_RACE_HEAD,
		"fscache_access: c=00000b95 BEGIN io_read r=3 a=1",
		"fscache_cookie: c=00000b95 -   work  r=3",
		"netfs_read: R=00278174 READAHEAD c=00000b95 ni=8bb0005 s=0 10000",
		"cachefiles_ref: c=00000b95 o=0009b320 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000b95 o=0009b320 u=1 SEE withdrawal",
		"cachefiles_ref: c=00000b95 o=0009b320 u=1 SEE clean_commit",
		"netfs_rreq_ref: R=00278174 GET SUBREQ  r=2",
		"cachefiles_prep_read: R=00278174[0] DOWN no-data    f=01 s=0 10000 ni=8bb0005 B=5a601b9",
		"netfs_sreq: R=00278174[0] DOWN PREP  f=01 s=0 0/10000 e=0",
		"netfs_sreq: R=00278174[0] DOWN SUBMT f=01 s=0 0/10000 e=0",
		"cachefiles_ref: c=00000b95 o=0009b320 u=1 PUT detach",
		"fscache_cookie: c=00000b95 PUT obj   r=2",
		"fscache_cookie: c=00000b95 -   x-lru r=2",
		"fscache_cookie: c=00000b95 PQ  work  r=1",
		"netfs_sreq: R=00278174[0] DOWN TERM  f=01 s=0 10000/10000 e=0",
		"netfs_rreq: R=00278174 RA ASSESS  f=22",
		"netfs_rreq: R=00278174 RA UNLOCK  f=22",
		"netfs_sreq_ref: R=00278174[0] PUT TERM    r=1",
		"netfs_rreq: R=00278174 RA COPY    f=02",
	};
	static const char *const fixed[] = {
		LRU_RACE_HEAD,
		"fscache_cookie: c=00000b95 -   lrudc r=3",
		"fscache_access: c=00000b95 BEGIN io_read r=3 a=1",
		"fscache_cookie: c=00000b95 -   work  r=3",
		"netfs_read: R=00278174 READAHEAD c=00000b95 ni=8bb0005 s=0 10000",
		"fscache_cookie: c=00000b95 PQ  work  r=3",
		"fscache_access: c=00000b95 END   io      r=3 a=0",
	};

	EXPECT("the LRU discard withdrew the object under a read", mail,
	       NFT_FIND_USE_AFTER_FREE, "c=00000b95", 1);
	CLEAN("the fix: the use cancels the discard", fixed);
}

static void test_withdraw_under_request(void)
{
	static const char *const req[] = {
		"netfs_rreq_ref: R=000000e7 NEW         r=2",
		"netfs_read: R=000000e7 READAHEAD c=00000007 ni=534061 s=0 l=20000 sz=4000000",
		"fscache_cookie: c=00000007 -   x-lru r=2",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",
		"netfs_rreq: R=000000e7 RA DONE    f=102",
		"netfs_rreq_ref: R=000000e7 PUT RETURN  r=1",
		"netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0",
		"netfs_rreq: R=000000e7 RA FREE    f=102",
	};
	static const char *const twin[] = {
		"netfs_rreq_ref: R=000000e7 NEW         r=2",
		"netfs_read: R=000000e7 READAHEAD c=00000007 ni=534061 s=0 l=20000 sz=4000000",
		"netfs_rreq: R=000000e7 RA DONE    f=102",
		"netfs_rreq_ref: R=000000e7 PUT RETURN  r=1",
		"netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0",
		"netfs_rreq: R=000000e7 RA FREE    f=102",
		"fscache_cookie: c=00000007 -   x-lru r=2",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",
	};

	EXPECT("object withdrawn under a live request", req,
	       NFT_FIND_USE_AFTER_FREE, "c=00000007", 1);
	CLEAN("request freed, then the withdrawal", twin);
}

/* ---- ref-leak: an owner gone, a ref left ---- */

static void test_volume_collision_leak(void)
{
	/* a second mount of the share reacquires the tcon's volume */
#define COLLIDE                                                                \
	VOLUME_LIFE,                                                           \
	"fscache_volume: V=00000001 GET cook  u=2",                            \
	"fscache_volume: V=00000002 NEW acq   u=1",                            \
	"fscache_volume: V=00000001 *COLLIDE* u=2",                            \
	"fscache_volume: V=00000002 PUT hcoll u=0",                            \
	"fscache_volume: V=00000002 FREE      u=0"
	static const char *const leak[] = {
		COLLIDE,
		"fscache_volume: V=00000001 PUT cook  u=1",
	};
	static const char *const twin[] = {
		COLLIDE,
		"fscache_volume: V=00000001 PUT cook  u=1",
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_volume: V=00000001 FREE      u=0",
	};
	/* an nfs-like twin: the first owner still there, its volume idle */
	static const char *const idle[] = { COLLIDE };

	EXPECT("volume lost at a collision", leak, NFT_FIND_REF_LEAK,
	       "V=00000001", 2);
	EXPECT("volume lost at a collision: the kernel's error", leak,
	       NFT_FIND_FAILURE, "V=00000001", 2);
	EXPECT("collision, then relinquished: only the kernel's error", twin,
	       NFT_FIND_FAILURE, "V=00000001", 1);
	EXPECT("collision, volume in use: only the kernel's error", idle,
	       NFT_FIND_FAILURE, "V=00000001", 1);
}

/*
 * Quoted from David Howells' mail to linux-cifs (April 2024) that led to
 * commit dad80c6bff77: a second mount of //carina/test reused the live tcon
 * and acquired its volume cookie again.  The fixed kernel's twin: no second
 * acquisition, the volume relinquished at umount.
 */
static void test_cifs_volume_quoted(void)
{
	static const char *const mail[] = {
		"smb3_tcon_ref: TC=00000001 NEW       r=1",
		"smb3_tcon_ref: TC=00000002 NEW       r=1",
		"fscache_volume: V=00000001 NEW acq   u=1",
		"smb3_tcon_ref: TC=00000002 SEE_F_Ok  r=1",
		"fscache_volume: V=00000001 GET cook  u=2",
		"smb3_tcon_ref: TC=00000002 GET_Find  r=2",
		"fscache_volume: V=00000002 NEW acq   u=1",
		"fscache_volume: V=00000001 *COLLIDE* u=2",
		"fscache_volume: V=00000002 PUT hcoll u=0",
		"fscache_volume: V=00000002 FREE      u=0",
		"smb3_tcon_ref: TC=00000002 SEE_F_CO! r=2",
		"smb3_tcon_ref: TC=00000002 PUT_Tlink r=1",
		"fscache_volume: V=00000001 PUT cook  u=1",
		"smb3_tcon_ref: TC=00000002 PUT_Tlink r=0",
		"smb3_tcon_ref: TC=00000002 SEE_F_Rlq r=0",
		"smb3_tcon_ref: TC=00000002 FREE      r=0",
		"smb3_tcon_ref: TC=00000001 FREE      r=1",
	};
	static const char *const fixed[] = {
		"smb3_tcon_ref: TC=00000001 NEW       r=1",
		"smb3_tcon_ref: TC=00000002 NEW       r=1",
		"fscache_volume: V=00000001 NEW acq   u=1",
		"smb3_tcon_ref: TC=00000002 SEE_F_Ok  r=1",
		"fscache_volume: V=00000001 GET cook  u=2",
		"smb3_tcon_ref: TC=00000002 GET_Find  r=2",
		"smb3_tcon_ref: TC=00000002 PUT_Tlink r=1",
		"fscache_volume: V=00000001 PUT cook  u=1",
		"smb3_tcon_ref: TC=00000002 PUT_Tlink r=0",
		"fscache_volume: V=00000001 PUT relnq u=0",
		"fscache_volume: V=00000001 FREE      u=0",
		"smb3_tcon_ref: TC=00000002 SEE_F_Rlq r=0",
		"smb3_tcon_ref: TC=00000002 FREE      r=0",
		"smb3_tcon_ref: TC=00000001 FREE      r=1",
	};

	EXPECT("cifs: the tcon's first volume lost", mail, NFT_FIND_REF_LEAK,
	       "V=00000001", 2);
	EXPECT("cifs: the volume collision", mail, NFT_FIND_FAILURE,
	       "V=00000001", 2);
	CLEAN("cifs after the fix", fixed);
}

static void test_relinquished_volume_leak(void)
{
	/* its cookie went away without the PUT cook it owed */
	static const char *const leak[] = {
		"fscache_volume: V=00000004 NEW acq   u=1",
		"fscache_cookie: c=00000010 NEW acq   r=1",
		"fscache_volume: V=00000004 GET cook  u=2",
		"fscache_acquire: c=00000010 V=00000004 vr=2 vc=1",
		"fscache_relinquish: c=00000010 V=00000004 r=1 U=0 f=25 rt=0",
		"fscache_cookie: c=00000010 PUT relnq r=0",
		"fscache_volume: V=00000004 PUT relnq u=1",
	};
	static const char *const twin[] = {
		"fscache_volume: V=00000004 NEW acq   u=1",
		"fscache_cookie: c=00000010 NEW acq   r=1",
		"fscache_volume: V=00000004 GET cook  u=2",
		"fscache_acquire: c=00000010 V=00000004 vr=2 vc=1",
		"fscache_relinquish: c=00000010 V=00000004 r=1 U=0 f=25 rt=0",
		"fscache_cookie: c=00000010 PUT relnq r=0",
		"fscache_volume: V=00000004 PUT cook  u=1",
		"fscache_volume: V=00000004 PUT relnq u=0",
		"fscache_volume: V=00000004 FREE      u=0",
	};
	/* an excerpt ends while the cookie still holds the volume */
	static const char *const live[] = {
		"fscache_volume: V=00000004 NEW acq   u=1",
		"fscache_cookie: c=00000010 NEW acq   r=1",
		"fscache_volume: V=00000004 GET cook  u=2",
		"fscache_acquire: c=00000010 V=00000004 vr=2 vc=1",
		"fscache_volume: V=00000004 PUT relnq u=1",
	};

	EXPECT("relinquished volume, nobody left to put", leak,
	       NFT_FIND_REF_LEAK, "V=00000004", 1);
	CLEAN("relinquished volume, its cookie put it", twin);
	CLEAN("relinquished volume, a live cookie holds it", live);
}

static void test_relinquished_cookie_leak(void)
{
	/* the owner's put (PUT relnq) never came, the withdrawal did */
	static const char *const leak[] = {
		COOKIE_HEAD, COOKIE_IO_BEGIN, COOKIE_IO_END, COOKIE_UNUSE,
		"fscache_relinquish: c=00000007 V=00000001 r=3 U=0 f=25 rt=0",
		"fscache_cookie: c=00000007 PUT lru   r=2",
		"fscache_access: c=00000007 UNPIN cache   r=2 a=0",
		"fscache_cookie: c=00000007 GQ  endac r=3",
		"fscache_cookie: c=00000007 -   work  r=3",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdraw_cookie",
		"cachefiles_ref: c=00000007 o=00000005 u=1 SEE withdrawal",
		"cachefiles_ref: c=00000007 o=00000005 u=1 PUT detach",
		"fscache_cookie: c=00000007 PUT obj   r=2",
		"fscache_cookie: c=00000007 -   x-rlq r=2",
		"fscache_cookie: c=00000007 PQ  work  r=1",
	};
	/* an excerpt that stops in the middle of the relinquishment */
	static const char *const cut[] = {
		COOKIE_HEAD, COOKIE_IO_BEGIN, COOKIE_IO_END, COOKIE_UNUSE,
		"fscache_relinquish: c=00000007 V=00000001 r=3 U=0 f=25 rt=0",
		"fscache_cookie: c=00000007 PUT lru   r=2",
		"fscache_access: c=00000007 UNPIN cache   r=2 a=0",
		"fscache_cookie: c=00000007 GQ  endac r=3",
	};

	EXPECT("relinquished cookie, the owner's ref never put", leak,
	       NFT_FIND_REF_LEAK, "c=00000007", 1);
	CLEAN("an excerpt cut inside the relinquishment", cut);
}

/* ---- kernel-traced errors ---- */

static void test_kernel_errors(void)
{
	static const char *const errs[] = {
		"fscache_cookie: c=00000009 *COLLIDE* r=2",
		"fscache_cookie: c=0000000a FAILED    r=1",
		"cachefiles_mark_failed: o=00000005 B=236",
		"fscache_cookie: c=00000009 *COLLIDE* r=2",
		"fscache_access: c=0000000b END   lookupf r=2 a=0",
	};
	static const char *const coherency[] = {
		"cachefiles_coherency: o=00000006 BAD aux  B=237 c=0",
		"cachefiles_mark_inactive: o=00000006 B=237",
	};
	int f;

	for (f = 0; f < NR_FORMS; f++) {
		struct nft_test_result r = run(errs, 5, f);
		const struct nft_finding *c = find(&r, NFT_FIND_FAILURE,
						   "c=00000009");

		is(r.parse_errors, 0, "error lines parse");
		is((int64_t)r.n, 4, "four objects, four failures");
		ok(c && c->n_evidence == 2, "%s: both collisions as evidence",
		   form_name(f));
		ok(find(&r, NFT_FIND_FAILURE, "c=0000000a") &&
		   find(&r, NFT_FIND_FAILURE, "o=00000005") &&
		   find(&r, NFT_FIND_FAILURE, "c=0000000b"),
		   "FAILED cookie, failed lookup and failed object reported");
		nft_model_free(r.m);
	}
	CLEAN("coherency BAD: stale data, invalidated, no error", coherency);
}

/* ---- the fscache of before 5.17 ---- */

/* Quoted from the May 2021 thread ("=>" marks the old cookie). */
static const char *const dup_cookie[] = {
	"fscache_acquire: c=0000000046a8b5b3 p=00000000b2d5d5a9 pu=50 pc=49 pf=22 n=9p.inod",
	"fscache_relinquish: c=000000003ca97471 u=1 p=00000000b2d5d5a9 Nc=0 Na=1 f=26 r=0",
	"fscache_cookie: PUT rlq c=000000003ca97471 u=0 p=00000000b2d5d5a9 Nc=0 Na=0 f=16",
	"fscache_cookie: PUT prn c=00000000b2d5d5a9 u=49 p=000000005cf9f76e Nc=48 Na=1 f=22",
	"fscache_cookie: GET prn c=00000000b2d5d5a9 u=50 p=000000005cf9f76e Nc=48 Na=1 f=22",
	"fscache_acquire: c=00000000ca586ae6 p=00000000b2d5d5a9 pu=50 pc=49 pf=22 n=9p.inod",
	"fscache_cookie: *COLLISION* c=0000000046a8b5b3 u=1 p=00000000b2d5d5a9 Nc=0 Na=1 f=26",
	"fscache_relinquish: c=0000000046a8b5b3 u=1 p=00000000b2d5d5a9 Nc=0 Na=1 f=26 r=0",
	"fscache_cookie: PUT rlq c=0000000046a8b5b3 u=0 p=00000000b2d5d5a9 Nc=0 Na=0 f=16",
	"fscache_cookie: DISCARD c=000000002b6a2db1 u=1 p=00000000b2d5d5a9 Nc=0 Na=1 f=02",
};

static void test_old_fscache(void)
{
	/* the other events of that fscache, in their 4.17-5.16 layouts */
	static const char *const others[] = {
		"fscache_netfs: c=00000000b2d5d5a9 n=9p",
		"fscache_enable: c=0000000046a8b5b3 u=1 Nc=0 Na=1 f=22",
		"fscache_disable: c=0000000046a8b5b3 u=1 Nc=0 Na=1 f=22",
		"fscache_osm: c=0000000046a8b5b3 o=00000000deadbeef LOOK_UP WORK ev=-1",
		"fscache_page: c=0000000046a8b5b3 Cached  pg=12",
		"fscache_check_page: c=0000000046a8b5b3 pg=00000000c0ffee00 val=(null) n=0",
		"fscache_wake_cookie: c=0000000046a8b5b3",
		"fscache_op: c=0000000046a8b5b3 op=00000000abcdef01 Submit ",
		"fscache_page_op: c=0000000046a8b5b3 Retr1   pg=12 op=00000000abcdef01",
		"fscache_wrote_page: c=0000000046a8b5b3 pg=12 op=00000000abcdef01 ret=0",
		"fscache_gang_lookup: c=0000000046a8b5b3 op=00000000abcdef01 r0=12 n=1 sl=20",
		"fscache_relinquish: c=ffff8881046a8b5b u=1 p=(null) Nc=0 Na=1 f=26 r=0",
		/* cachefiles of that era printed %p too */
		"cachefiles_ref: c=0000000046a8b5b3 o=00000000deadbeef u=1 GET attch",
		"cachefiles_mark_active: o=00000000deadbeef d=00000000c0ffee00",
		"fscache_acquire: c=(____ptrval____) p=(____ptrval____) pu=2 pc=1 pf=22 n=NFS.ser",
		/* debug ids in the old layout (fscache-iter trees) */
		"fscache_cookie: c=0000002a GET paren u=3 p=00000001 Nc=1 Na=0 f=02",
	};
	int f;

	for (f = 0; f < NR_FORMS; f++) {
		struct nft_test_result r = run(dup_cookie, 10, f);
		const struct nft_summary *s = nft_model_summary(r.m);
		const struct nft_finding *x = find(&r, NFT_FIND_FAILURE,
						   "c=0000000046a8b5b3");
		const struct nft_old_cookie *c =
			nft_model_old_cookie(r.m, 0x46a8b5b3ULL);

		is(r.parse_errors, 0, "old fscache lines parse");
		is((int64_t)s->events, 10, "every line an event");
		ok(s->notes & NFT_NOTE_OLD_FSCACHE, "%s: the note is set",
		   form_name(f));
		ok(x != NULL, "%s: the collision is a failure on the old cookie",
		   form_name(f));
		ok(x && x->n_evidence == 3 && x->evidence[0].pos == 7 &&
		   x->evidence[1].pos == 8 && x->evidence[2].pos == 10,
		   "evidence: the collision, its relinquishment, the discard");
		is((int64_t)r.n, 1, "and nothing else");
		ok(c && c->events == 4 && c->n_pos == 4 && c->pos[0] == 1 &&
		   c->pos[3] == 9 && c->pos_first == 1 && c->pos_last == 9,
		   "%s: the old cookie's record: its four lines", form_name(f));
		ok(c && c->acquired && c->relinquished && c->pos_collision == 7 &&
		   c->usage == 0, "acquired, collided at line 7, relinquished");
		ok(nft_model_old_cookie(r.m, 0xb2d5d5a9ULL) &&
		   nft_model_old_cookie(r.m, 0xb2d5d5a9ULL)->usage == 50,
		   "the parent's usage");
		nft_model_free(r.m);
	}
	for (f = 0; f < NR_FORMS; f++) {
		struct nft_test_result r = run(others, 16, f);
		const struct nft_summary *s = nft_model_summary(r.m);

		is(r.parse_errors, 0, "old-only events parse");
		is((int64_t)s->events, 16, "counted as events");
		is((int64_t)s->old_fscache_events, 16, "as old fscache events");
		ok(nft_model_old_cookie(r.m, 0xffff8881046a8b5bULL) != NULL,
		   "a raw 64-bit pointer kept whole");
		ok(nft_model_old_cookie(r.m, 0x2a) &&
		   nft_model_old_cookie(r.m, 0x2a)->usage == 3,
		   "a debug id in the old layout");
		is((int64_t)r.n, 0, "no findings");
		nft_model_free(r.m);
	}
}

/* The note is not for modern captures. */
static void test_no_note_on_modern(void)
{
	static const char *const life[] = { COOKIE_HEAD };
	struct nft_test_result r = run(life, sizeof(life) / sizeof(life[0]), FULL);

	ok(!(nft_model_summary(r.m)->notes & NFT_NOTE_OLD_FSCACHE),
	   "no old fscache note on 6.12 lines");
	nft_model_free(r.m);
}

/*
 * The relinquishment's queued event discarded (David Howells,
 * linux-cachefs 2021-12-13): the LRU discard queued the cookie's work
 * (GQ endac) and, before it ran, the relinquishment's queue attempt found
 * it queued and put its ref (PQ overq).  Its fixed twin: the work then runs
 * and withdraws the cookie for the relinquishment ("- x-rlq").
 */
static const char *const overq[] = {
	"fscache_cookie: c=000071a9 -   lrudo r=3",
	"fscache_cookie: c=000071a9 GQ  endac r=4",
	"fscache_cookie: c=000071a9 PUT lru   r=3",
	"fscache_relinquish: c=000071a9 V=00000001 r=3 U=0 f=bd rt=0",
	"fscache_cookie: c=000071a9 GQ  endac r=4",
	"fscache_cookie: c=000071a9 PQ  overq r=3",
};

static const char *const overq_fixed[] = {
	"fscache_cookie: c=000071a9 -   lrudo r=3",
	"fscache_cookie: c=000071a9 GQ  endac r=4",
	"fscache_cookie: c=000071a9 PUT lru   r=3",
	"fscache_relinquish: c=000071a9 V=00000001 r=3 U=0 f=bd rt=0",
	"fscache_cookie: c=000071a9 GQ  endac r=4",
	"fscache_cookie: c=000071a9 PQ  overq r=3",
	"fscache_cookie: c=000071a9 -   work  r=3",
	"fscache_cookie: c=000071a9 -   x-rlq r=3",
	"fscache_cookie: c=000071a9 PUT relnq r=2",
	"fscache_cookie: c=000071a9 PQ  work  r=1",
	"fscache_cookie: c=000071a9 PUT hcoll r=0",
};

static void test_relinquish_event_discarded(void)
{
	EXPECT("relinquishment's event discarded (PQ overq)", overq,
	       NFT_FIND_REF_LEAK, "c=000071a9", 1);
	CLEAN("the work runs the relinquishment after all", overq_fixed);
}

int main(void)
{
	test_volume_teardown();
	test_cookie_teardown();
	test_withdraw_under_access();
	test_lru_race_quoted();
	test_withdraw_under_request();
	test_volume_collision_leak();
	test_cifs_volume_quoted();
	test_relinquished_volume_leak();
	test_relinquished_cookie_leak();
	test_relinquish_event_discarded();
	test_kernel_errors();
	test_old_fscache();
	test_no_note_on_modern();
	return tap_done();
}
