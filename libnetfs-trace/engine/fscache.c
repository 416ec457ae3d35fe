// SPDX-License-Identifier: GPL-2.0
/*
 * fscache and cachefiles around the netfs model: one volume (V=00000001,
 * acquired at mount), one cookie for the workload's inode (c=00000001,
 * the c= of every netfs_read/netfs_write line) with one cachefiles object
 * (o=00000001), an fscache_access "BEGIN io_*" from each request's
 * creation to its "END io" after FREE, and at the end the close (UNUSE,
 * GET lru) and relinquishment (withdraw, PUT detach, PUT obj, the cookie's
 * last put, PUT cook on the volume).  The lines and their counts are the
 * ones the 6.12.107 and 7.2.13 corpus captures print (fc_read, fc_write,
 * smb_fsc); fscache did not change between those generations.
 *
 * Two injections live here:
 *   cache-withdraw-under-access  b5b52de3214a "fscache: Fix oops due to
 *       race with cookie_lru and use_cookie": the LRU expires the unused
 *       cookie (DO_LRU_DISCARD), the file is opened again (USE) and read
 *       (BEGIN io_read) before the cookie worker runs, which then withdraws
 *       the cookie (x-lru) and detaches and frees its object under the open
 *       access; the read oopses on the NULL object.
 *   volume-use-leak  dad80c6bff77 "cifs: Fix reacquisition of volume cookie
 *       on still-live connection": a second mount on the same tcon acquires
 *       the volume again, collides (*COLLIDE*), and cifs resets
 *       tcon->fscache to NULL, so the first volume is never relinquished.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct fc_state {
	int cookie_ref, n_acc, n_active, vol_ref, vol_cookies;
	bool attached, crashed, volume_in_trace;
	bool lru_twin;		/* lru_reuse: the fixed kernel's race */
	bool unpinned;		/* the LRU dropped the cache pin */
	struct req *victim;	/* cache-withdraw-under-access: the read */
};

#define FC_COOKIE 1
#define FC_VOLUME 1
#define FC_OBJECT 1
#define FC_BACKER 0x235

static bool fc_injection(const struct nft_engine *e)
{
	return inj(e, INJ_CACHE_WITHDRAW_UNDER_ACCESS) ||
	       inj(e, INJ_VOLUME_USE_LEAK);
}

void fc_setup(struct nft_engine *e)
{
	if (!e->sc->cache && !fc_injection(e))
		return;
	e->fc = calloc(1, sizeof(*e->fc));
	if (!e->fc)
		abort();
	/* The volume was acquired at mount, before the capture started. */
	e->fc->vol_ref = 1;
	e->fc->volume_in_trace = inj(e, INJ_VOLUME_USE_LEAK);
	/*
	 * lru_reuse: after the workload, the cookie expires from the LRU and
	 * the file is read again before the cookie worker runs, on a fixed
	 * kernel: the injected op's slot carries that read.
	 */
	if (e->sc->lru_reuse && e->o.inject < 0) {
		e->fc->lru_twin = true;
		e->inject_op = (struct sc_op){ .type = OP_READAHEAD, .count = 1,
					       .offset = 0xe00000, .size = 0x20000,
					       .stride = 0x20000, .clean = true };
		e->inject_armed = true;
	}
}

uint32_t fc_cookie_id(const struct nft_engine *e)
{
	return e->fc ? FC_COOKIE : 0;
}

/* One fscache/cachefiles line; @body is everything after "event: ". */
static void fc_line(struct nft_engine *e, enum nft_event_kind kind,
		    const struct nft_event *f, const char *fmt, ...)
{
	char body[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	em_other(e, kind, f, body);
	sim_tick(e, 2000, 2000);
}

static void cookie_ev(struct nft_engine *e, const char *what, int delta)
{
	struct nft_event f = { .cookie = FC_COOKIE, .have = NFT_HAVE_COOKIE | NFT_HAVE_REF };

	e->fc->cookie_ref += delta;
	f.ref = e->fc->cookie_ref;
	f.what = nft_sym_lookup(NFT_SYMC_FSC_COOKIE, what, strlen(what));
	fc_line(e, NFT_EV_FSCACHE_COOKIE, &f, "c=%08x %s r=%d", FC_COOKIE, what,
		e->fc->cookie_ref);
}

static void volume_ev(struct nft_engine *e, uint32_t vol, int ref, const char *what)
{
	struct nft_event f = { .volume = vol, .ref = ref,
			       .have = NFT_HAVE_VOLUME | NFT_HAVE_REF };

	f.what = nft_sym_lookup(NFT_SYMC_FSC_VOLUME, what, strlen(what));
	fc_line(e, NFT_EV_FSCACHE_VOLUME, &f, "V=%08x %s u=%d", vol, what, ref);
}

static void access_ev(struct nft_engine *e, const char *why, int delta)
{
	struct nft_event f = { .cookie = FC_COOKIE,
			       .have = NFT_HAVE_COOKIE | NFT_HAVE_REF };

	e->fc->n_acc += delta;
	f.ref = e->fc->cookie_ref;
	f.n_accesses = e->fc->n_acc;
	f.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, why, strlen(why));
	fc_line(e, NFT_EV_FSCACHE_ACCESS, &f, "c=%08x %s r=%d a=%d", FC_COOKIE,
		why, e->fc->cookie_ref, e->fc->n_acc);
}

static void active_ev(struct nft_engine *e, const char *why, int delta)
{
	struct nft_event f = { .cookie = FC_COOKIE,
			       .have = NFT_HAVE_COOKIE | NFT_HAVE_REF };

	e->fc->n_active += delta;
	f.ref = e->fc->cookie_ref;
	f.n_accesses = e->fc->n_acc;
	f.n_active = e->fc->n_active;
	f.what = nft_sym_lookup(NFT_SYMC_FSC_ACTIVE, why, strlen(why));
	fc_line(e, NFT_EV_FSCACHE_ACTIVE, &f, "c=%08x %s r=%d a=%d c=%d", FC_COOKIE,
		why, e->fc->cookie_ref, e->fc->n_acc, e->fc->n_active);
}

static void volume_access_ev(struct nft_engine *e, const char *why, int n_acc)
{
	struct nft_event f = { .volume = FC_VOLUME, .cookie = FC_COOKIE,
			       .ref = e->fc->vol_ref, .n_accesses = n_acc,
			       .have = NFT_HAVE_VOLUME | NFT_HAVE_COOKIE | NFT_HAVE_REF };

	f.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, why, strlen(why));
	fc_line(e, NFT_EV_FSCACHE_ACCESS_VOLUME, &f, "V=%08x c=%08x %s r=%d a=%d",
		FC_VOLUME, FC_COOKIE, why, e->fc->vol_ref, n_acc);
}

static void object_ev(struct nft_engine *e, int usage, const char *why)
{
	struct nft_event f = { .cookie = FC_COOKIE, .object = FC_OBJECT, .ref = usage,
			       .have = NFT_HAVE_COOKIE | NFT_HAVE_OBJECT | NFT_HAVE_REF };

	f.what = nft_sym_lookup(NFT_SYMC_CF_REF, why, strlen(why));
	fc_line(e, NFT_EV_CACHEFILES_REF, &f, "c=%08x o=%08x u=%d %s", FC_COOKIE,
		FC_OBJECT, usage, why);
}

static void object_plain(struct nft_engine *e, enum nft_event_kind kind,
			 const char *fmt, unsigned int ino)
{
	struct nft_event f = { .object = FC_OBJECT, .ino = ino,
			       .have = NFT_HAVE_OBJECT };

	fc_line(e, kind, &f, fmt, FC_OBJECT, ino);
}

static void actor(struct nft_engine *e, const char *comm, int pid, int cpu)
{
	e->cur.comm = comm;
	e->cur.pid = pid;
	e->cur.cpu = cpu;
	memcpy(e->cur.irqs, ".....", 6);
}

/* cifs_fscache_get_super_cookie() of the first mount, when traced. */
static void volume_acquire(struct nft_engine *e)
{
	struct nft_event f = { .cache = 1, .ref = 3, .n_accesses = 2,
			       .have = NFT_HAVE_CACHE | NFT_HAVE_REF };

	actor(e, "mount.cifs", 402, 0);
	volume_ev(e, FC_VOLUME, 1, "NEW acq  ");
	f.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, "BEGIN acq_vol", 13);
	fc_line(e, NFT_EV_FSCACHE_ACCESS_CACHE, &f, "C=%08x %s r=%d a=%d", 1,
		"BEGIN acq_vol", 3, 2);
	volume_ev(e, FC_VOLUME, 2, "GET creat");
	actor(e, "kworker/1:2", 105, 1);
	volume_ev(e, FC_VOLUME, 2, "SEE creat");
	{
		struct nft_event v = { .volume = FC_VOLUME, .ino = 0x110,
				       .have = NFT_HAVE_VOLUME };

		fc_line(e, NFT_EV_CACHEFILES_VOL_COHERENCY, &v,
			"V=%08x VOL SET ok   B=%llx", FC_VOLUME, 0x110ull);
	}
	volume_ev(e, FC_VOLUME, 1, "PUT creat");
	f.n_accesses = 1;
	f.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, "END   acq_vol", 13);
	fc_line(e, NFT_EV_FSCACHE_ACCESS_CACHE, &f, "C=%08x %s r=%d a=%d", 1,
		"END   acq_vol", 3, 1);
	e->fc->vol_ref = 1;
	sim_tick(e, 200000, 200000);
}

/*
 * fscache_acquire_cookie() + fscache_use_cookie() at the first open, and
 * the cookie worker's lookup (a new file: tmpfile), before any I/O.
 */
void fc_start(struct nft_engine *e)
{
	struct nft_event f = { .cookie = FC_COOKIE, .volume = FC_VOLUME,
			       .have = NFT_HAVE_COOKIE | NFT_HAVE_VOLUME | NFT_HAVE_REF };

	if (!e->fc)
		return;
	if (e->fc->volume_in_trace)
		volume_acquire(e);
	actor(e, "dd", e->app[0].pid, e->app[0].cpu);
	cookie_ev(e, "NEW acq  ", 1);
	e->fc->vol_ref++;
	e->fc->vol_cookies++;
	volume_ev(e, FC_VOLUME, e->fc->vol_ref, "GET cook ");
	f.ref = e->fc->vol_ref;
	f.n_active = e->fc->vol_cookies;
	fc_line(e, NFT_EV_FSCACHE_ACQUIRE, &f, "c=%08x V=%08x vr=%d vc=%d",
		FC_COOKIE, FC_VOLUME, e->fc->vol_ref, e->fc->vol_cookies);
	active_ev(e, "USE          ", 1);
	volume_access_ev(e, "BEGIN lookup ", 2);
	access_ev(e, "BEGIN lookup ", 1);
	cookie_ev(e, "GQ  use  ", 1);
	act_worker(e, NULL);
	cookie_ev(e, "-   work ", 0);
	access_ev(e, "PIN   cache  ", 0);
	cookie_ev(e, "GET attch", 1);
	object_ev(e, 1, "NEW obj");
	{
		struct nft_event l = { .object = FC_OBJECT, .have = NFT_HAVE_OBJECT };

		fc_line(e, NFT_EV_CACHEFILES_LOOKUP, &l, "o=%08x dB=3f B=0 e=-2",
			FC_OBJECT);
	}
	object_plain(e, NFT_EV_CACHEFILES_TMPFILE, "o=%08x B=%x", FC_BACKER);
	object_plain(e, NFT_EV_CACHEFILES_MARK_ACTIVE, "o=%08x B=%x", FC_BACKER);
	object_ev(e, 1, "SEE lookup_cookie");
	cookie_ev(e, "-   activ", 0);
	access_ev(e, "END   lookup ", -1);
	volume_access_ev(e, "END   lookup ", 1);
	cookie_ev(e, "PQ  work ", -1);
	e->fc->attached = true;
	sim_tick(e, 100000, 100000);
}

/* netfs_begin_cache_read() / the write's cache resources: BEGIN io_*. */
void fc_begin_io(struct nft_engine *e, struct req *r)
{
	if (!e->fc || e->fc->crashed)
		return;
	access_ev(e, r->write ? "BEGIN io_writ" : "BEGIN io_read", 1);
}

/* netfs_free_request() -> fscache_end_operation(): END io after FREE. */
void fc_end_io(struct nft_engine *e, struct req *r)
{
	(void)r;
	if (!e->fc || e->fc->crashed)
		return;
	access_ev(e, "END   io     ", -1);
}

/* fscache_unuse_cookie() at the last close: the cookie goes on the LRU. */
static void fc_unuse(struct nft_engine *e)
{
	if (!e->fc->n_active)
		return;
	active_ev(e, "UNUSE        ", -1);
	cookie_ev(e, "GET lru  ", 1);
}

/*
 * The cookie state machine's withdrawal (relinquish or LRU discard):
 * cachefiles_withdraw_cookie() commits and detaches the object, and the
 * cookie drops the object's ref.
 */
static void fc_withdraw(struct nft_engine *e, const char *see)
{
	act_worker(e, NULL);
	cookie_ev(e, "-   work ", 0);
	if (!strcmp(see, "-   x-lru"))
		cookie_ev(e, see, 0);
	object_ev(e, 1, "SEE withdraw_cookie");
	object_ev(e, 1, "SEE withdrawal");
	object_ev(e, 1, "SEE clean_commit");
	object_plain(e, NFT_EV_CACHEFILES_MARK_INACTIVE, "o=%08x B=%x", FC_BACKER);
	object_ev(e, 1, "PUT detach");
	cookie_ev(e, "PUT obj  ", -1);
	e->fc->attached = false;
	if (strcmp(see, "-   x-lru"))
		cookie_ev(e, see, 0);
}

/* End of the run: last close, fscache_relinquish_cookie(), umount. */
void fc_teardown(struct nft_engine *e)
{
	struct nft_event f = { .cookie = FC_COOKIE, .volume = FC_VOLUME,
			       .have = NFT_HAVE_COOKIE | NFT_HAVE_VOLUME | NFT_HAVE_REF };

	if (!e->fc || e->fc->crashed)
		return;
	/*
	 * A request that never ended (an injected leak) still holds its
	 * access: the withdrawal would wait for it for ever, so nothing
	 * more is traced.
	 */
	if (e->fc->n_acc)
		return;
	e->now += 2000000;
	actor(e, "dd", e->app[0].pid, e->app[0].cpu);
	fc_unuse(e);
	e->now += 20000000;
	actor(e, "umount", 530, 0);
	f.ref = e->fc->cookie_ref;
	f.flags = 0xb5;
	fc_line(e, NFT_EV_FSCACHE_RELINQUISH, &f, "c=%08x V=%08x r=%d U=%d f=%02x rt=%u",
		FC_COOKIE, FC_VOLUME, e->fc->cookie_ref, e->fc->n_active, 0xb5, 0);
	cookie_ev(e, "PUT lru  ", -1);
	/* __fscache_withdraw_cookie(): unpin, unless the LRU did already. */
	if (!e->fc->unpinned)
		access_ev(e, "UNPIN cache  ", 0);
	cookie_ev(e, "GQ  endac", 1);
	cookie_ev(e, "PUT relnq", -1);
	sim_tick(e, 500000, 500000);
	fc_withdraw(e, "-   x-rlq");
	/* The work item's put is the cookie's last: it is freed. */
	cookie_ev(e, "PQ  work ", -1);
	e->fc->vol_ref--;
	e->fc->vol_cookies--;
	volume_ev(e, FC_VOLUME, e->fc->vol_ref, "PUT cook ");
	/*
	 * umount: cifs_fscache_release_super_cookie() relinquishes the
	 * volume - unless volume-use-leak reset the tcon's pointer.
	 */
	if (!e->sc->umount || inj(e, INJ_VOLUME_USE_LEAK))
		return;
	e->now += 5000000;
	actor(e, "umount", 530, 0);
	e->fc->vol_ref--;
	volume_ev(e, FC_VOLUME, e->fc->vol_ref, "PUT relnq");
	if (e->fc->vol_ref)
		return;
	{
		struct nft_event v = { .volume = FC_VOLUME, .cookie = 0,
				       .have = NFT_HAVE_VOLUME | NFT_HAVE_COOKIE | NFT_HAVE_REF };

		v.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, "BEGIN rlq_vol", 13);
		/* The volume's own access (1, as in "BEGIN lookup a=2") plus this one. */
		v.n_accesses = 2;
		fc_line(e, NFT_EV_FSCACHE_ACCESS_VOLUME, &v, "V=%08x c=%08x %s r=%d a=%d",
			FC_VOLUME, 0, "BEGIN rlq_vol", 0, 2);
		v.what = nft_sym_lookup(NFT_SYMC_FSC_ACCESS, "END   rlq_vol", 13);
		v.n_accesses = 1;
		fc_line(e, NFT_EV_FSCACHE_ACCESS_VOLUME, &v, "V=%08x c=%08x %s r=%d a=%d",
			FC_VOLUME, 0, "END   rlq_vol", 0, 1);
	}
	volume_ev(e, FC_VOLUME, 0, "FREE     ");
	{
		struct nft_event c = { .cache = 1, .ref = 1,
				       .have = NFT_HAVE_CACHE | NFT_HAVE_REF };

		c.what = nft_sym_lookup(NFT_SYMC_FSC_CACHE, "PUT vol", 7);
		fc_line(e, NFT_EV_FSCACHE_CACHE, &c, "C=%08x %s r=%d", 1, "PUT vol  ", 1);
	}
}

/* cache-withdraw-under-access: the cookie worker runs after the reopen. */
static void fc_lru_discard_work(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;

	fc_withdraw(e, "-   x-lru");
	cookie_ev(e, "PQ  work ", -1);
	{
		char obj[16];

		snprintf(obj, sizeof(obj), "c=%08x", FC_COOKIE);
		truth_obj(e, "use-after-free", obj);
	}
	/*
	 * The read's cache I/O dereferences the NULL object and oopses: the
	 * request and the cache are traced no more.
	 */
	r->twin_crashed = true;
	e->fc->crashed = true;
}

/*
 * Called before the injected op's request exists: the two fscache
 * injections set up their race around it.
 */
void fc_inject_before(struct nft_engine *e)
{
	if (!e->fc)
		return;
	if (inj(e, INJ_CACHE_WITHDRAW_UNDER_ACCESS) || e->fc->lru_twin) {
		/* The file was closed: the cookie sits on the LRU... */
		fc_unuse(e);
		e->now += 1000000;
		/* ... and expires: fscache_cookie_lru_do_one() */
		actor(e, "kworker/u8:2", 40, 1);
		cookie_ev(e, "-   lrudo", 0);
		access_ev(e, "UNPIN cache  ", 0);
		cookie_ev(e, "GQ  endac", 1);
		cookie_ev(e, "PUT lru  ", -1);
		e->fc->unpinned = true;
		/*
		 * Reopened before the worker ran: LRU_DISCARD stays set (the
		 * bug), or use_cookie clears it (the fix).
		 */
		actor(e, "dd", e->app[0].pid, e->app[0].cpu);
		active_ev(e, "USE          ", 1);
	}
	if (inj(e, INJ_VOLUME_USE_LEAK)) {
		char obj[16];

		/* A second mount of the same share: cifs_mount_get_tcon(). */
		actor(e, "mount.cifs", 611, 0);
		volume_ev(e, FC_VOLUME + 1, 1, "NEW acq  ");
		volume_ev(e, FC_VOLUME, e->fc->vol_ref, "*COLLIDE*");
		volume_ev(e, FC_VOLUME + 1, 0, "PUT hcoll");
		volume_ev(e, FC_VOLUME + 1, 0, "FREE     ");
		snprintf(obj, sizeof(obj), "V=%08x", FC_VOLUME);
		truth_obj(e, "ref-leak", obj);
		/* What the kernel traces as an error is reported too. */
		truth_obj(e, "failure", obj);
		actor(e, "dd", e->app[0].pid, e->app[0].cpu);
		sim_tick(e, 100000, 100000);
	}
}

/*
 * The fixed kernel's cookie worker after the reuse: LRU_DISCARD was
 * cleared by fscache_use_cookie(), the cookie stays active.
 */
static void fc_lru_kept_work(struct nft_engine *e, struct qev *q)
{
	(void)q;
	act_worker(e, NULL);
	cookie_ev(e, "-   work ", 0);
	cookie_ev(e, "PQ  work ", -1);
}

/* The injected op's request exists and has begun its cache access. */
void fc_inject_started(struct nft_engine *e, struct req *r)
{
	if (!e->fc)
		return;
	if (e->fc->lru_twin)
		sim_at(e, e->now + 60 * NS_PER_US, fc_lru_kept_work, r, NULL, 0);
	if (!inj(e, INJ_CACHE_WITHDRAW_UNDER_ACCESS))
		return;
	e->fc->victim = r;
	sim_at(e, e->now + 60 * NS_PER_US, fc_lru_discard_work, r, NULL, 0);
}

void fc_free(struct nft_engine *e)
{
	free(e->fc);
	e->fc = NULL;
}
