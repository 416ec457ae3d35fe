// SPDX-License-Identifier: GPL-2.0
/*
 * fscache-lifecycle: the life of fscache cookies and volumes and of the
 * cachefiles objects behind them, as fs/fscache/cookie.c and volume.c order
 * it.
 *
 * use-after-free: a cookie's cache object withdrawn or detached while an
 *   I/O access on the cookie is still open -- fscache_begin_operation()
 *   began it (fscache_access BEGIN io_read/io_writ/io_resz) and
 *   fscache_end_operation() has not ended it (END io) -- or while a netfs
 *   request that names the cookie (netfs_read/netfs_write c=) is still in
 *   progress.  Withdrawal waits for n_accesses to reach 0
 *   (fscache_end_cookie_access() queues it: GQ endac); the cookie LRU
 *   discard racing with fscache_use_cookie() did not, and the cache I/O
 *   then ran on a freed cachefiles object (fixed by commit b5b52de3214a).
 *   The withdrawal lines: fscache_cookie "- x-lru", "- x-wth", "- x-rlq",
 *   "PUT wthdn"; cachefiles_ref "SEE withdraw_cookie", "SEE withdrawal",
 *   "PUT detach"; and the cookie's own last put (r=0).
 *
 * ref-leak, at the end of the trace, when no holder is left that will put:
 *  - a volume that a new acquisition collided with (fscache_volume
 *    *COLLIDE*, fscache_hash_volume()) and that was never relinquished,
 *    whose cookies left after the collision: its owner lost it (cifs reacquired the
 *    volume cookie of a still-live tcon and reset tcon->fscache, so the
 *    first volume was never relinquished; commit dad80c6bff77);
 *  - a volume or cookie seen from its birth (NEW acq), relinquished by its
 *    owner (PUT relnq, fscache_relinquish), whose count stayed above 0
 *    while every holder the trace shows has put its ref: cookies (GET/PUT
 *    cook), work items (GQ/PQ, GET/PUT creat), the LRU (GET/PUT lru), hash
 *    collision waiters (GET/PUT hcoll), the cache object (GET attch/PUT
 *    obj) and the volume's withdrawal (GET/PUT withd).
 * The normal end -- the put that reaches 0, then a volume's FREE -- is not
 * a finding (model_fs.c lets it pass).
 */
#include <stdio.h>
#include <string.h>

#include "../model_internal.h"

void nft_fsobj_name(const struct nft_fsobj *o, char *buf);

static bool is_withdrawal(const struct nft_event *ev)
{
	switch (ev->kind) {
	case NFT_EV_FSCACHE_COOKIE:
		/* ... or the cookie itself freed: its last put */
		if (ev->what && (ev->have & NFT_HAVE_REF) && !ev->ref &&
		    nft_ref_op(NFT_SYMC_FSC_COOKIE, ev->what) == NFT_REF_PUT)
			return true;
		return ev->what == NFT_FSCK_SEE_LRU_DISCARD ||
		       ev->what == NFT_FSCK_SEE_WITHDRAW ||
		       ev->what == NFT_FSCK_SEE_RELINQUISH ||
		       ev->what == NFT_FSCK_PUT_WITHDRAWN;
	case NFT_EV_CACHEFILES_REF:
		return ev->what == NFT_CFREF_SEE_WITHDRAW_COOKIE ||
		       ev->what == NFT_CFREF_SEE_WITHDRAWAL ||
		       ev->what == NFT_CFREF_PUT_DETACH;
	default:
		return false;
	}
}

/* A request in progress that names @cookie, or NULL. */
static const struct nft_request *live_user(const struct nft_model *m,
					   uint32_t cookie)
{
	const struct nft_req_node *n;

	for (n = m->lru_head; n; n = n->next)
		if (n->req.cookie_seen && n->req.cookie == cookie &&
		    n->req.state == NFT_REQ_ACTIVE)
			return &n->req;
	return NULL;
}

static void withdrawn(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_fsobj *c;
	const struct nft_request *req = NULL;
	struct nft_evidence lines[2];
	char object[NFT_OBJECT_LEN], obj[24] = "";

	if (!(ev->have & NFT_HAVE_COOKIE) || !ev->cookie)
		return;
	c = nft_idmap_get(&m->fsobjs,
			  NFT_KEY_FSOBJ(NFT_FSOBJ_COOKIE, ev->cookie));
	if (!c || c->reported)
		return;
	if (c->io_open <= 0 && !(req = live_user(m, ev->cookie)))
		return;
	c->reported = true;
	nft_fsobj_name(c, object);
	if (ev->kind == NFT_EV_CACHEFILES_REF)
		snprintf(obj, sizeof(obj), " o=%08x", ev->object);
	else if (c->object)
		snprintf(obj, sizeof(obj), " o=%08x", c->object);
	lines[1] = (struct nft_evidence){ ev->pos, ev->ts_ns };
	if (c->io_open > 0) {
		lines[0] = (struct nft_evidence){ c->pos_io_begin,
						  c->t_io_begin };
		nft_report(m, NFT_FIND_USE_AFTER_FREE, NULL, NULL, object,
			   c->uncertain || m->lost_seen, lines, 2,
			   "%s: its cache object%s withdrawn or freed at line %llu (%s %s) while the I/O access begun at line %llu was still open (a=%d, no END io): the cache I/O runs on a freed object (cookie LRU discard vs use race, commit b5b52de3214a)",
			   object, obj, (unsigned long long)ev->pos,
			   ev->name[0] ? ev->name : nft_event_kind_name(ev->kind),
			   ev->kind == NFT_EV_CACHEFILES_REF ?
				   nft_sym_name(NFT_SYMC_CF_REF, ev->what) :
				   nft_sym_name(NFT_SYMC_FSC_COOKIE, ev->what),
			   (unsigned long long)c->pos_io_begin, c->accesses);
		return;
	}
	lines[0] = (struct nft_evidence){ req->pos_new, req->t_new };
	nft_report(m, NFT_FIND_USE_AFTER_FREE, NULL, NULL, object,
		   c->uncertain || m->lost_seen, lines, 2,
		   "%s: its cache object%s withdrawn at line %llu while request R=%08x that uses the cookie (line %llu) was still in progress (cookie LRU discard vs use race, commit b5b52de3214a)",
		   object, obj, (unsigned long long)ev->pos, req->id,
		   (unsigned long long)req->pos_new);
}

static void lifecycle_event(struct nft_model *m, const struct nft_event *ev,
			    struct nft_request *req, struct nft_subreq *s)
{
	(void)req;
	(void)s;
	if (!(ev->have & NFT_HAVE_OLD_COOKIE) && is_withdrawal(ev))
		withdrawn(m, ev);
}

/* ---- at the end: refs nobody is left to put ---- */

/*
 * Gets minus puts of the refs that holders other than the owner take (the
 * owner's is NEW acq, put by PUT relnq), leaving out the pair named
 * @get/@put, whose holders are counted otherwise.
 */
static int64_t holders(const struct nft_fsobj *o, const char *get,
		       const char *put)
{
	int64_t n = 0;
	uint32_t i;

	for (i = 0; i < o->refs.n; i++) {
		const struct nft_ref_entry *e = &o->refs.v[i];
		const char *s;

		if (e->op != NFT_REF_GET && e->op != NFT_REF_PUT)
			continue;
		s = nft_sym_name(e->cls, e->what);
		if (!strcmp(s, "PUT relnq") || !strcmp(s, get) ||
		    !strcmp(s, put))
			continue;
		n += e->op == NFT_REF_GET ? 1 : -1;
	}
	return n > 0 ? n : 0;
}

/* The first line after @pos where the ledger recorded @sym, 0 if none. */
static uint64_t first_after(const struct nft_fsobj *o, const char *sym,
			    uint64_t pos)
{
	uint32_t i;

	for (i = 0; i < o->refs.n; i++)
		if (o->refs.v[i].pos > pos &&
		    !strcmp(nft_sym_name(o->refs.v[i].cls, o->refs.v[i].what),
			    sym))
			return o->refs.v[i].pos;
	return 0;
}

static bool seen_after(const struct nft_fsobj *o, const char *sym,
		       uint64_t pos)
{
	return first_after(o, sym, pos) != 0;
}

/* Live cookies of @volume: each holds a ref on it (GET cook). */
static int64_t volume_cookies(struct nft_model *m, uint32_t volume)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < m->fsobjs.cap; i++) {
		const struct nft_fsobj *o = m->fsobjs.vals[i];

		if (o && o->type == NFT_FSOBJ_COOKIE && o->link == volume &&
		    !o->freed)
			n++;
	}
	return n;
}

/* The time of the line at @pos, if the object's ledger holds it. */
static uint64_t ts_at(const struct nft_fsobj *o, uint64_t pos)
{
	uint32_t i;

	for (i = 0; i < o->refs.n; i++)
		if (o->refs.v[i].pos == pos)
			return o->refs.v[i].ts_ns;
	return 0;
}

static void leak(struct nft_model *m, struct nft_fsobj *o, uint64_t pos,
		 const char *fmt, const char *object, int64_t count)
{
	struct nft_evidence lines[3];
	size_t n = 0;

	lines[n++] = (struct nft_evidence){ o->pos_first, o->t_first };
	if (pos)
		lines[n++] = (struct nft_evidence){ pos, ts_at(o, pos) };
	if (o->refs.n)
		lines[n++] = (struct nft_evidence){
			o->refs.v[o->refs.n - 1].pos,
			o->refs.v[o->refs.n - 1].ts_ns };
	o->reported = true;
	nft_report(m, NFT_FIND_REF_LEAK, NULL, NULL, object, o->uncertain,
		   lines, n, fmt, object, (unsigned long long)pos,
		   (long long)count);
}

void nft_fscache_lifecycle_end(struct nft_model *m, struct nft_fsobj *o)
{
	char object[NFT_OBJECT_LEN];
	int64_t count;

	if (o->freed || o->reported || o->refs.dropped || !o->refs.n)
		return;
	if (o->type != NFT_FSOBJ_VOLUME && o->type != NFT_FSOBJ_COOKIE)
		return;
	count = nft_ledger_last_printed(&o->refs);
	if (count <= 0)
		return;
	nft_fsobj_name(o, object);
	/*
	 * Its cookies left after the collision (its last ref entry is a put
	 * past it) and none remains, yet no relinquishment came: the owner no
	 * longer knows it.  A volume that merely sits idle under a live owner
	 * (nfs nosharecache mounts collide too) shows no such puts.
	 */
	if (o->type == NFT_FSOBJ_VOLUME && o->pos_collide &&
	    !o->relinquished && !volume_cookies(m, o->id) &&
	    o->refs.v[o->refs.n - 1].op == NFT_REF_PUT &&
	    o->refs.v[o->refs.n - 1].pos > o->pos_collide) {
		leak(m, o, o->pos_collide,
		     "%s: a new acquisition collided with it at line %llu (*COLLIDE*); its cookies then left but it was never relinquished: its owner lost it, u=%lld at the end (volume cookie reacquired on a live cifs tcon, commit dad80c6bff77)",
		     object, count);
		return;
	}
	/*
	 * The relinquishment's queued event was dropped: fscache_relinquish
	 * queued the cookie's state machine, but its work was already queued
	 * (an LRU discard or an end of access, GQ ... without the work having
	 * run), so fscache_queue_cookie() put the event's ref ("PQ overq")
	 * and the machine never withdrew the cookie for the relinquishment
	 * ("- x-rlq" never comes): the cookie stays hashed with its refs
	 * (David Howells, linux-cachefs 2021-12-13, "where the overq line
	 * marks the discarded event and ref", fixed in the 5.17 fscache
	 * rewrite before it was merged).
	 */
	if (o->type == NFT_FSOBJ_COOKIE && o->relinquished) {
		uint64_t overq = first_after(o, "PQ overq", o->pos_relinquish);

		if (overq && !seen_after(o, "- x-rlq", o->pos_relinquish)) {
			leak(m, o, overq,
			     "%s: relinquished, but the state-machine event the relinquishment queued was discarded at line %llu (PQ overq: the cookie's work was already queued), so the relinquishment never runs and the cookie stays hashed with r=%lld (the 2021 LRU discard vs relinquish race)",
			     object, count);
			return;
		}
	}
	if (!o->relinquished || !o->refs.born || o->io_open > 0)
		return;
	if (o->type == NFT_FSOBJ_VOLUME) {
		if (count <= volume_cookies(m, o->id) +
				     holders(o, "GET cook", "PUT cook"))
			return;
	} else {
		const struct nft_fsobj *obj;

		/*
		 * The relinquishment ran its course (the state machine
		 * withdrew the cookie: "- x-rlq"), not an excerpt cut in the
		 * middle of it.
		 */
		if (!seen_after(o, "- x-rlq", o->pos_relinquish))
			return;
		obj = o->object ?
			nft_idmap_get(&m->fsobjs, NFT_KEY_FSOBJ(
				NFT_FSOBJ_CF_OBJECT, o->object)) : NULL;

		if (obj && !obj->freed)
			return;	/* its cache object will put (PUT obj) */
		if (count <= holders(o, "GET attch", "PUT obj"))
			return;
	}
	leak(m, o, o->pos_relinquish,
	     "%s: relinquished by its owner at line %llu, and no holder the trace shows is left to put, yet the count stayed at %lld to the end: a ref nobody will put (cf. commit dad80c6bff77)",
	     object, count);
}

const struct nft_detector nft_detect_fscache_lifecycle = {
	.name = "fscache-lifecycle",
	.event = lifecycle_event,
};
