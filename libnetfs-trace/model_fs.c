// SPDX-License-Identifier: GPL-2.0
/*
 * fscache cookies, volumes and caches, and cachefiles objects: ledgers of
 * their counts, the cookie <-> object join, and their end of life.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static const char *const type_prefix[NFT_FSOBJ__NR] = {
	[NFT_FSOBJ_COOKIE] = "c",
	[NFT_FSOBJ_VOLUME] = "V",
	[NFT_FSOBJ_CACHE] = "C",
	[NFT_FSOBJ_CF_OBJECT] = "o",
};

/* "c=%08x": by hand, it is made for every ref line (snprintf was 5 %). */
void nft_fsobj_name(const struct nft_fsobj *o, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = type_prefix[o->type];
	uint32_t id = o->id;
	size_t n = strlen(p);
	int i;

	_Static_assert(NFT_OBJECT_LEN >= 8 + 8 + 2, "room for a name");
	memcpy(buf, p, n);
	buf[n++] = '=';
	for (i = 7; i >= 0; i--, id >>= 4)
		buf[n + i] = hex[id & 15];
	buf[n + 8] = 0;
}

static struct nft_fsobj *fsobj_get(struct nft_model *m,
				   enum nft_fsobj_type type, uint32_t id,
				   bool create)
{
	uint64_t key = NFT_KEY_FSOBJ(type, id);
	struct nft_fsobj *o = nft_idmap_get(&m->fsobjs, key);

	if (o || !create)
		return o;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->type = type;
	o->id = id;
	o->t_first = m->now;
	o->pos_first = m->pos;
	o->uncertain = m->lost_seen;
	o->accesses = -1;
	nft_ledger_init(&o->refs);
	if (nft_idmap_put(&m->fsobjs, key, o)) {
		free(o);
		return NULL;
	}
	nft_model_live_add(m, 1);
	if (type == NFT_FSOBJ_COOKIE)
		m->sum.cookies++;
	else if (type == NFT_FSOBJ_CF_OBJECT)
		m->sum.cache_objects++;
	return o;
}

static void fsobj_drop(struct nft_model *m, struct nft_fsobj *o, bool at_end)
{
	const struct nft_detector *const dets[] = {
		&nft_detect_ref_mismatch,
		&nft_detect_ref_leak,
	};
	size_t i;

	for (i = 0; i < sizeof(dets) / sizeof(dets[0]); i++)
		if (dets[i]->fsobj_end)
			dets[i]->fsobj_end(m, o, at_end);
	if (m->fst)
		nft_focus_fsobj_end(m, o);
	nft_idmap_del(&m->fsobjs, NFT_KEY_FSOBJ(o->type, o->id));
	nft_model_live_sub(m, 1);
	nft_ledger_release(&o->refs);
	free(o);
}

/* Pre-5.17 cookies in the tombstone table: a type of key of their own. */
#define KEY_OLD_COOKIE(id) ((3ULL << 62) | ((id) & ((1ULL << 62) - 1)))

/* Slots looked at for one eviction: a sampled LRU, as Redis does. */
#define EVICT_SAMPLE 32
#define EVICT_SCAN 4096

/*
 * The fscache object to evict, from a sample of the table after the
 * cursor: a freed one first (its life is over, only a late line could
 * still come), else the least recently active.
 */
static struct nft_fsobj *fs_sample(struct nft_model *m)
{
	struct nft_fsobj *best = NULL;
	size_t i, seen = 0, cap = m->fsobjs.cap;

	if (!m->fsobjs.len || !cap)
		return NULL;
	for (i = 0; i < EVICT_SCAN && seen < EVICT_SAMPLE; i++) {
		struct nft_fsobj *o = m->fsobjs.vals[(m->fs_cursor + i) & (cap - 1)];

		if (!o)
			continue;
		seen++;
		if (!best || (o->freed && !best->freed) ||
		    (o->freed == best->freed && o->pos_last < best->pos_last))
			best = o;
	}
	m->fs_cursor = (m->fs_cursor + i) & (cap - 1);
	return best;
}

static struct nft_old_cookie *oc_sample(struct nft_model *m)
{
	struct nft_old_cookie *best = NULL;
	size_t i, seen = 0, cap = m->old_cookies.cap;

	if (!m->old_cookies.len || !cap)
		return NULL;
	for (i = 0; i < EVICT_SCAN && seen < EVICT_SAMPLE; i++) {
		struct nft_old_cookie *c =
			m->old_cookies.vals[(m->oc_cursor + i) & (cap - 1)];

		if (!c)
			continue;
		seen++;
		if (!best || c->pos_last < best->pos_last)
			best = c;
	}
	m->oc_cursor = (m->oc_cursor + i) & (cap - 1);
	return best;
}

/*
 * The object bound: evict one fscache/cachefiles object or pre-5.17 cookie
 * if one was active before line @older_than (or is freed).  Its ledger is
 * judged now, uncertain (lines we will not see could explain it); a freed
 * object is tombstoned as dead (a later use is still a use-after-free),
 * a live one as evicted (its later lines are ignored).  false: none.
 */
bool nft_model_fs_evict_one(struct nft_model *m, uint64_t older_than)
{
	struct nft_fsobj *o = fs_sample(m);
	struct nft_old_cookie *c = oc_sample(m);

	if (c && (!o || c->pos_last < o->pos_last) && c->pos_last < older_than) {
		nft_model_tombstone(m, KEY_OLD_COOKIE(c->id), true);
		nft_idmap_del(&m->old_cookies, c->id);
		nft_model_live_sub(m, 1);
		free(c->pos);
		free(c);
		m->sum.evicted_fsobjs++;
		nft_model_note(m, NFT_NOTE_EVICTED);
		return true;
	}
	if (!o || (!o->freed && o->pos_last >= older_than))
		return false;
	o->uncertain = true;
	m->sum.evicted_fsobjs++;
	nft_model_note(m, NFT_NOTE_EVICTED);
	nft_model_tombstone(m, NFT_KEY_FSOBJ(o->type, o->id), !o->freed);
	fsobj_drop(m, o, false);
	return true;
}

const struct nft_fsobj *nft_model_fsobj(const struct nft_model *m,
					enum nft_fsobj_type type, uint32_t id)
{
	return nft_idmap_get(&m->fsobjs, NFT_KEY_FSOBJ(type, id));
}

uint32_t nft_model_fs_cookie_object(struct nft_model *m, uint32_t cookie)
{
	struct nft_fsobj *c;

	if (!cookie)
		return 0;
	c = fsobj_get(m, NFT_FSOBJ_COOKIE, cookie, false);
	return c ? c->object : 0;
}

/* Which object a non-request event is about, and its ref symbol class. */
static bool classify(const struct nft_event *ev, enum nft_fsobj_type *type,
		     uint32_t *id, int *cls)
{
	*cls = -1;
	switch (ev->kind) {
	case NFT_EV_FSCACHE_COOKIE:
		*cls = NFT_SYMC_FSC_COOKIE;
		/* fallthrough */
	case NFT_EV_FSCACHE_ACTIVE:
	case NFT_EV_FSCACHE_ACCESS:
	case NFT_EV_FSCACHE_ACQUIRE:
	case NFT_EV_FSCACHE_RELINQUISH:
	case NFT_EV_FSCACHE_INVALIDATE:
	case NFT_EV_FSCACHE_RESIZE:
		*type = NFT_FSOBJ_COOKIE;
		*id = ev->cookie;
		return ev->have & NFT_HAVE_COOKIE;
	case NFT_EV_FSCACHE_VOLUME:
		*cls = NFT_SYMC_FSC_VOLUME;
		/* fallthrough */
	case NFT_EV_FSCACHE_ACCESS_VOLUME:
		*type = NFT_FSOBJ_VOLUME;
		*id = ev->volume;
		return ev->have & NFT_HAVE_VOLUME;
	case NFT_EV_FSCACHE_CACHE:
		*cls = NFT_SYMC_FSC_CACHE;
		/* fallthrough */
	case NFT_EV_FSCACHE_ACCESS_CACHE:
		*type = NFT_FSOBJ_CACHE;
		*id = ev->cache;
		return ev->have & NFT_HAVE_CACHE;
	case NFT_EV_CACHEFILES_REF:
		*cls = NFT_SYMC_CF_REF;
		/* fallthrough */
	default:
		*type = NFT_FSOBJ_CF_OBJECT;
		*id = ev->object;
		return (ev->have & NFT_HAVE_OBJECT) && ev->object &&
		       ev->object != UINT32_MAX;
	}
}

static bool is_fs_birth(const struct nft_event *ev, int cls)
{
	return cls >= 0 && ev->what && nft_ref_op(cls, ev->what) == NFT_REF_NEW;
}

static void fs_ref(struct nft_model *m, const struct nft_event *ev,
		   struct nft_fsobj *o, int cls)
{
	struct nft_ref_entry e = nft_ref_entry_of(ev, cls);
	enum nft_ledger_verdict v;
	char name[NFT_OBJECT_LEN];
	uint32_t bad = 0;

	/*
	 * cachefiles_ref prints the count before the operation (it traces the
	 * old value __refcount_inc/dec hand back); fscache prints it after.
	 */
	if (cls == NFT_SYMC_CF_REF && e.op == NFT_REF_GET)
		e.printed++;
	else if (cls == NFT_SYMC_CF_REF && e.op == NFT_REF_PUT)
		e.printed--;
	v = nft_ledger_add(&o->refs, &e, &bad);
	nft_fsobj_name(o, name);
	if (nft_detect_ref_mismatch.ref)
		nft_detect_ref_mismatch.ref(m, name, &o->refs, v, bad,
					    o->uncertain, NULL, NULL);
	if (e.op == NFT_REF_PUT && e.printed == 0)
		o->freed = true;
}

/*
 * What follows the put that reached 0 as part of the release itself, not
 * a use: fscache_free_volume() (fs/fscache/volume.c) may begin and end a
 * relinquish access on the volume, then traces FREE u=0.
 */
static bool is_fs_teardown(const struct nft_event *ev)
{
	switch (ev->kind) {
	case NFT_EV_FSCACHE_VOLUME:
		return ev->what == NFT_FSCV_FREE;
	case NFT_EV_FSCACHE_ACCESS_VOLUME:
		return ev->what == NFT_FSCA_RELINQUISH_VOLUME ||
		       ev->what == NFT_FSCA_RELINQUISH_VOLUME_END;
	default:
		return false;
	}
}

/*
 * A put that left the count at 1 or more cannot follow the put that took
 * it to 0: its line is late (the thread was held up between the atomic and
 * the trace), the put was not.  cachefiles_ref prints the count before
 * the put.
 */
static bool is_late_put(const struct nft_event *ev, int cls)
{
	int64_t after;

	if (cls < 0 || !ev->what || !(ev->have & NFT_HAVE_REF) ||
	    nft_ref_op(cls, ev->what) != NFT_REF_PUT)
		return false;
	after = cls == NFT_SYMC_CF_REF ? ev->ref - 1 : ev->ref;
	return after >= 1;
}

/*
 * Open I/O accesses of a cookie: fscache_begin_operation() begins one
 * (BEGIN io_read/io_writ/io_resz), fscache_end_operation() ends it (END io,
 * or END io_notl when the cache was not live).  a= is n_accesses after the
 * operation, every kind of access counted: an upper bound.
 */
static void fs_access(struct nft_fsobj *o, const struct nft_event *ev)
{
	switch (ev->what) {
	case NFT_FSCA_IO_READ:
	case NFT_FSCA_IO_WRITE:
	case NFT_FSCA_IO_RESIZE:
		o->io_open++;
		o->pos_io_begin = ev->pos;
		o->t_io_begin = ev->ts_ns;
		break;
	case NFT_FSCA_IO_END:
	case NFT_FSCA_IO_NOT_LIVE:
		if (o->io_open > 0)
			o->io_open--;
		break;
	default:
		break;
	}
	o->accesses = ev->n_accesses;
	if (o->io_open > o->accesses)
		o->io_open = o->accesses > 0 ? o->accesses : 0;
}

/* ---- fscache before 5.17: recognised, counted, refs not analysed ---- */

static void old_cookie_line(struct nft_model *m, uint64_t id,
			    const struct nft_event *ev)
{
	struct nft_old_cookie *c = nft_idmap_get(&m->old_cookies, id);

	if (!c) {
		struct nft_dead *dead = nft_idmap_get(&m->dead,
						      KEY_OLD_COOKIE(id));

		if (dead && dead->evicted &&
		    ev->kind != NFT_EV_FSCACHE_ACQUIRE) {
			m->sum.evicted_lines++;
			return;
		}
		if (dead)
			nft_idmap_del(&m->dead, dead->key);
		c = calloc(1, sizeof(*c));
		if (!c)
			return;
		c->id = id;
		c->usage = -1;
		c->pos_first = ev->pos;
		c->t_first = m->now;
		if (nft_idmap_put(&m->old_cookies, id, c)) {
			free(c);
			return;
		}
		nft_model_live_add(m, 1);
		m->sum.cookies++;
	}
	c->events++;
	c->pos_last = ev->pos;
	c->t_last = m->now;
	if (c->n_pos < NFT_OLD_COOKIE_LINES) {
		/* grown in steps of 16 positions, at most 16 times a cookie */
		if (!(c->n_pos % 16)) {
			uint64_t *p = realloc(c->pos, (c->n_pos + 16) *
							      sizeof(*p));

			if (!p)
				return;
			c->pos = p;
		}
		c->pos[c->n_pos++] = ev->pos;
	}
	if (ev->kind == NFT_EV_FSCACHE_COOKIE && (ev->have & NFT_HAVE_REF))
		c->usage = ev->ref;
	if (ev->parent64)
		c->parent = ev->parent64;
	if (ev->kind == NFT_EV_FSCACHE_ACQUIRE)
		c->acquired = true;
	if (ev->kind == NFT_EV_FSCACHE_RELINQUISH ||
	    (ev->kind == NFT_EV_FSCACHE_COOKIE &&
	     ev->what == NFT_FSCK_PUT_RELINQUISH))
		c->relinquished = true;
	if (ev->kind == NFT_EV_FSCACHE_COOKIE &&
	    ev->what == NFT_FSCK_COLLISION && !c->pos_collision)
		c->pos_collision = ev->pos;
}

static void old_fscache_event(struct nft_model *m, const struct nft_event *ev)
{
	m->sum.notes |= NFT_NOTE_OLD_FSCACHE;
	m->sum.old_fscache_events++;
	if (!(ev->have & NFT_HAVE_OLD_COOKIE))
		return;
	if (ev->cookie64 || ev->kind == NFT_EV_FSCACHE_COOKIE ||
	    ev->kind == NFT_EV_FSCACHE_ACQUIRE)
		old_cookie_line(m, ev->cookie64, ev);
}

const struct nft_old_cookie *nft_model_old_cookie(const struct nft_model *m,
						  uint64_t id)
{
	return nft_idmap_get(&m->old_cookies, id);
}

int nft_model_for_each_old_cookie(const struct nft_model *m,
				  int (*fn)(void *ctx,
					    const struct nft_old_cookie *c),
				  void *ctx)
{
	size_t i;
	int r;

	for (i = 0; i < m->old_cookies.cap; i++) {
		const struct nft_old_cookie *c = m->old_cookies.vals[i];

		if (c && (r = fn(ctx, c)))
			return r;
	}
	return 0;
}

const char *nft_note_text(unsigned int note)
{
	switch (note) {
	case NFT_NOTE_OLD_FSCACHE:
		return "fscache before 5.17: cookie refs not analysed";
	case NFT_NOTE_EVICTED:
		return "object bound reached: the least recently active objects were evicted, their later lines ignored; findings about them are uncertain";
	case NFT_NOTE_FINDINGS_CAPPED:
		return "findings past the per-kind cap were counted, not kept";
	case NFT_NOTE_COHERENCY_BAD:
		return "every coherency check of a cache file said BAD: their cached data was discarded, none was read from the cache";
	case NFT_NOTE_NO_COOKIE:
		return "no request had a cache cookie (c=00000000 on every netfs_read/netfs_write line): fscache was not in use for these files, so no fscache or cachefiles event follows their I/O";
	default:
		return "";
	}
}

const char *nft_note_fmt(const struct nft_summary *s, unsigned int note,
			 char *buf, size_t sz)
{
	switch (note) {
	case NFT_NOTE_EVICTED:
		snprintf(buf, sz,
			 "object bound of %llu reached (--max-objects): evicted the least recently active: %llu requests (%llu never completed) with %llu subrequests, %llu fscache objects; %llu later lines of them ignored; findings about them are uncertain",
			 (unsigned long long)s->max_objects,
			 (unsigned long long)s->evicted_requests,
			 (unsigned long long)s->evicted_open,
			 (unsigned long long)s->evicted_subreqs,
			 (unsigned long long)s->evicted_fsobjs,
			 (unsigned long long)s->evicted_lines);
		break;
	case NFT_NOTE_FINDINGS_CAPPED:
		snprintf(buf, sz,
			 "%llu findings not kept: %u of each kind are kept (--max-objects / 64), the rest only counted",
			 (unsigned long long)s->findings_not_kept,
			 s->findings_per_kind);
		break;
	case NFT_NOTE_COHERENCY_BAD:
		snprintf(buf, sz,
			 "every coherency check of a cache file said BAD (%llu of %llu: cachefiles_coherency): their cached data was discarded and nothing was read from the cache; unless the files changed on the server, the coherency data the filesystem gives fscache changes between lookups",
			 (unsigned long long)s->coherency_bad,
			 (unsigned long long)s->coherency_checks);
		break;
	case NFT_NOTE_NO_COOKIE:
		snprintf(buf, sz,
			 "no request had a cache cookie: the netfs_read/netfs_write lines of all %llu said c=00000000, so fscache was not in use for these files (mounted without fsc, or no cache bound: is cachefilesd running?) and no fscache or cachefiles event follows their I/O",
			 (unsigned long long)s->reqs_cookie_said);
		break;
	default:
		snprintf(buf, sz, "%s", nft_note_text(note));
		break;
	}
	return buf;
}

/*
 * cachefiles_check_coherency() (fs/cachefiles/xattr.c) traces its verdict
 * on a cache file it opened: OK, or BAD aux/cont/dirt/len/osiz/type/xatt,
 * after which the file's data is discarded.  SET and REMOVE are writes.
 */
static void count_coherency(struct nft_model *m, const struct nft_event *ev)
{
	switch (ev->what) {
	case NFT_CFCOH_BAD_AUX:
	case NFT_CFCOH_BAD_CONTENT:
	case NFT_CFCOH_BAD_DIRTY:
	case NFT_CFCOH_BAD_LEN:
	case NFT_CFCOH_BAD_OBJSIZE:
	case NFT_CFCOH_BAD_TYPE:
	case NFT_CFCOH_BAD_XATTR:
		m->sum.coherency_bad++;
		/* fall through */
	case NFT_CFCOH_OK:
		m->sum.coherency_checks++;
		break;
	default:
		break;
	}
}

void nft_model_fs_event(struct nft_model *m, const struct nft_event *ev)
{
	enum nft_fsobj_type type;
	struct nft_fsobj *o;
	uint32_t id;
	int cls;

	if (ev->kind == NFT_EV_CACHEFILES_IO_ERROR ||
	    ev->kind == NFT_EV_CACHEFILES_VFS_ERROR)
		m->sum.failures++;
	if (ev->kind == NFT_EV_CACHEFILES_COHERENCY)
		count_coherency(m, ev);
	if (ev->have & NFT_HAVE_OLD_COOKIE) {
		old_fscache_event(m, ev);
		return;
	}
	if (!classify(ev, &type, &id, &cls))
		return;
	o = fsobj_get(m, type, id, false);
	if (!o && m->sum.evicted_fsobjs) {
		/* dropped by the object bound: freed, or evicted alive */
		struct nft_dead *dead = nft_idmap_get(&m->dead,
						      NFT_KEY_FSOBJ(type, id));

		if (dead && !is_fs_birth(ev, cls)) {
			char name[NFT_OBJECT_LEN];

			if (dead->evicted || is_late_put(ev, cls) ||
			    is_fs_teardown(ev)) {
				m->sum.evicted_lines++;
				return;
			}
			snprintf(name, sizeof(name), "%s=%08x",
				 type_prefix[type], id);
			if (nft_detect_use_after_free.dead)
				nft_detect_use_after_free.dead(m, ev, dead,
							       name);
			return;
		}
		if (dead)
			nft_idmap_del(&m->dead, dead->key);
	}
	if (o && o->freed && is_late_put(ev, cls)) {
		/* the ledger gets it: an order with it before the last put */
		fs_ref(m, ev, o, cls);
		return;
	}
	if (o && o->freed && is_fs_teardown(ev)) {
		o->t_last = m->now;
		o->pos_last = m->pos;
		return;
	}
	if (o && o->freed && !is_fs_birth(ev, cls)) {
		/* one use-after-free finding per object is enough */
		struct nft_dead dead = { .pos_free = o->pos_last,
					 .ts_free = o->t_last,
					 .reported = o->reported };
		char name[NFT_OBJECT_LEN];

		nft_fsobj_name(o, name);
		if (nft_detect_use_after_free.dead)
			nft_detect_use_after_free.dead(m, ev, &dead, name);
		o->reported = true;
		return;
	}
	if (o && o->freed) {
		fsobj_drop(m, o, false);
		o = NULL;
	}
	o = o ? o : fsobj_get(m, type, id, true);
	if (!o)
		return;
	o->t_last = m->now;
	o->pos_last = m->pos;
	if (ev->kind == NFT_EV_FSCACHE_RELINQUISH ||
	    (ev->kind == NFT_EV_FSCACHE_VOLUME &&
	     ev->what == NFT_FSCV_PUT_RELINQUISH) ||
	    (ev->kind == NFT_EV_FSCACHE_COOKIE &&
	     ev->what == NFT_FSCK_PUT_RELINQUISH)) {
		o->relinquished = true;
		if (!o->pos_relinquish)
			o->pos_relinquish = ev->pos;
	}
	if (((ev->kind == NFT_EV_FSCACHE_COOKIE &&
	      ev->what == NFT_FSCK_COLLISION) ||
	     (ev->kind == NFT_EV_FSCACHE_VOLUME &&
	      ev->what == NFT_FSCV_COLLISION) ||
	     (ev->kind == NFT_EV_FSCACHE_CACHE &&
	      ev->what == NFT_FSCC_COLLISION)) && !o->pos_collide)
		o->pos_collide = ev->pos;
	if (ev->kind == NFT_EV_FSCACHE_ACCESS ||
	    ev->kind == NFT_EV_FSCACHE_ACTIVE) {
		if (ev->kind == NFT_EV_FSCACHE_ACCESS)
			fs_access(o, ev);
		else
			o->accesses = ev->n_accesses;
	}
	if (ev->kind == NFT_EV_FSCACHE_ACQUIRE && (ev->have & NFT_HAVE_VOLUME))
		o->link = ev->volume;
	if (ev->kind == NFT_EV_CACHEFILES_REF && (ev->have & NFT_HAVE_COOKIE)) {
		struct nft_fsobj *c;

		o->link = ev->cookie;
		c = fsobj_get(m, NFT_FSOBJ_COOKIE, ev->cookie, false);
		if (c)
			c->object = o->id;
	}
	if (cls >= 0 && (ev->have & NFT_HAVE_REF))
		fs_ref(m, ev, o, cls);
	/*
	 * __fscache_acquire_cookie() frees a candidate that lost the hash
	 * race (fscache_free_cookie()) after tracing DISCARD, without a put:
	 * it is gone, and the FREE line of a volume ends its life too.
	 */
	if ((ev->kind == NFT_EV_FSCACHE_COOKIE && ev->what == NFT_FSCK_DISCARD) ||
	    (ev->kind == NFT_EV_FSCACHE_VOLUME && ev->what == NFT_FSCV_FREE))
		o->freed = true;
}

void nft_model_fs_mark_uncertain(struct nft_model *m)
{
	size_t i;

	for (i = 0; i < m->fsobjs.cap; i++) {
		struct nft_fsobj *o = m->fsobjs.vals[i];

		if (o)
			o->uncertain = true;
	}
}

static void drop_all(struct nft_model *m, bool detect)
{
	struct nft_fsobj **all;
	size_t i, n = 0;

	/* Dropping reshuffles the table: take the objects out first. */
	all = malloc((m->fsobjs.len + 1) * sizeof(*all));
	if (!all)
		detect = false;
	for (i = 0; i < m->fsobjs.cap; i++) {
		struct nft_fsobj *o = m->fsobjs.vals[i];

		if (!o)
			continue;
		if (all) {
			all[n++] = o;
		} else {
			nft_ledger_release(&o->refs);
			free(o);
		}
	}
	for (i = 0; i < n; i++) {
		if (detect) {
			fsobj_drop(m, all[i], true);
		} else {
			nft_ledger_release(&all[i]->refs);
			free(all[i]);
		}
	}
	free(all);
	memset(m->fsobjs.vals, 0, m->fsobjs.cap * sizeof(*m->fsobjs.vals));
	m->fsobjs.len = 0;
}

void nft_model_fs_finish(struct nft_model *m)
{
	size_t i;

	/* each object judged while the others are still there to ask */
	for (i = 0; i < m->fsobjs.cap; i++) {
		struct nft_fsobj *o = m->fsobjs.vals[i];

		if (!o)
			continue;
		/* the verdict counts other objects, some of which were evicted */
		if (m->sum.evicted_fsobjs)
			o->uncertain = true;
		nft_fscache_lifecycle_end(m, o);
	}
	drop_all(m, true);
}

void nft_model_fs_release_all(struct nft_model *m)
{
	size_t i;

	if (m->fsobjs.vals)
		drop_all(m, false);
	for (i = 0; m->old_cookies.vals && i < m->old_cookies.cap; i++) {
		struct nft_old_cookie *c = m->old_cookies.vals[i];

		if (!c)
			continue;
		free(c->pos);
		free(c);
		m->old_cookies.vals[i] = NULL;
		nft_model_live_sub(m, 1);
	}
}
