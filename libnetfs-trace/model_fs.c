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

void nft_fsobj_name(const struct nft_fsobj *o, char *buf)
{
	snprintf(buf, NFT_OBJECT_LEN, "%s=%08x", type_prefix[o->type], o->id);
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
	nft_ledger_init(&o->refs);
	if (nft_idmap_put(&m->fsobjs, key, o)) {
		free(o);
		return NULL;
	}
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
	nft_ledger_release(&o->refs);
	free(o);
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

void nft_model_fs_event(struct nft_model *m, const struct nft_event *ev)
{
	enum nft_fsobj_type type;
	struct nft_fsobj *o;
	uint32_t id;
	int cls;

	if (ev->kind == NFT_EV_CACHEFILES_IO_ERROR ||
	    ev->kind == NFT_EV_CACHEFILES_VFS_ERROR)
		m->sum.failures++;
	if (!classify(ev, &type, &id, &cls))
		return;
	o = fsobj_get(m, type, id, false);
	if (o && o->freed && !is_fs_birth(ev, cls)) {
		struct nft_dead dead = { .pos_free = o->pos_last,
					 .ts_free = o->t_last };
		char name[NFT_OBJECT_LEN];

		nft_fsobj_name(o, name);
		if (nft_detect_use_after_free.dead)
			nft_detect_use_after_free.dead(m, ev, &dead, name);
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
	if (ev->kind == NFT_EV_FSCACHE_RELINQUISH)
		o->relinquished = true;
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
	drop_all(m, true);
}

void nft_model_fs_release_all(struct nft_model *m)
{
	if (m->fsobjs.vals)
		drop_all(m, false);
}
