// SPDX-License-Identifier: GPL-2.0
/*
 * failure: what the kernel itself reported as failed -- netfs_failure
 * lines, subrequests terminated with an error, cachefiles I/O and VFS
 * errors, fscache collisions and failed cookies or cache objects -- one
 * finding per object, every line of it as evidence.
 */
#include <stdio.h>
#include <string.h>

#include "../model_internal.h"

static struct nft_finding *existing(struct nft_model *m, uint32_t *idx)
{
	return *idx && *idx <= m->n_findings ? &m->findings[*idx - 1] : NULL;
}

static void netfs_failed(struct nft_model *m, const struct nft_event *ev,
			 struct nft_request *req, struct nft_subreq *s,
			 const char *what)
{
	uint32_t *idx = s ? &s->fail_idx : &req->fail_idx;
	struct nft_finding *f = existing(m, idx);
	struct nft_evidence line = { ev->pos, ev->ts_ns };

	if (f) {
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		return;
	}
	f = nft_report(m, NFT_FIND_FAILURE, req, s, NULL, false, &line, 1,
		       "%s %s failed: %d (%s) at s=%llx %llx/%llx",
		       nft_sym_name(NFT_SYMC_SOURCE, ev->source), what,
		       ev->error, nft_errno_name(ev->error),
		       (unsigned long long)ev->start,
		       (unsigned long long)ev->transferred,
		       (unsigned long long)ev->len);
	if (f)
		*idx = (uint32_t)(f - m->findings) + 1;
}

static void cachefiles_failed(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	char object[NFT_OBJECT_LEN];
	size_t i;

	struct nft_fsobj *o = nft_idmap_get(&m->fsobjs,
		NFT_KEY_FSOBJ(NFT_FSOBJ_CF_OBJECT, ev->object));
	struct nft_finding *f = o ? existing(m, &o->fail_idx) : NULL;

	snprintf(object, sizeof(object), "o=%08x", ev->object);
	/* an object the model does not hold (any more): look it up */
	for (i = 0; !o && !f && i < m->n_findings; i++)
		if (m->findings[i].kind == NFT_FIND_FAILURE &&
		    !strcmp(m->findings[i].object, object))
			f = &m->findings[i];
	if (f) {
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		return;
	}
	f = nft_report(m, NFT_FIND_FAILURE, NULL, NULL, object, m->lost_seen,
		       &line, 1, "%s: cachefiles %s error in %s: %d (%s)", object,
		       ev->kind == NFT_EV_CACHEFILES_IO_ERROR ? "I/O" : "VFS",
		       nft_sym_name(NFT_SYMC_CF_ERROR, ev->what), ev->error,
		       nft_errno_name(ev->error));
	if (f && o)
		o->fail_idx = (uint32_t)(f - m->findings) + 1;
}

/*
 * A line the kernel itself traces only when something went wrong, one
 * finding per object with every such line of it as evidence:
 *  - *COLLIDE* (fscache_hash_cookie(), fscache_hash_volume(),
 *    fscache_lookup_cache() in fs/fscache/) and, before 5.17, *COLLISION*
 *    (fscache_hash_cookie() of fs/fscache/cookie.c, "Duplicate cookie
 *    detected"): an acquire found a live object with the same key; the
 *    line names the object already there;
 *  - fscache_cookie FAILED (fscache_cookie_failed) and fscache_access END
 *    lookupf (fscache_access_lookup_cookie_end_failed): the lookup or
 *    creation of the cache object failed, the cookie gets no cache;
 *  - cachefiles_mark_failed (cachefiles_mark_object_inactive() never ran:
 *    the object could not be brought into use);
 *  - cachefiles_coherency SET fail / VOL SET fail (the coherency xattr
 *    could not be written).
 *  - cachefiles_vol_coherency VOL BAD ...: the volume's coherency data
 *    does not match, the whole volume's cache is discarded.
 * A file's coherency BAD ... is the normal verdict that the cached data is
 * stale (the object is then invalidated), not an error.
 */
struct failure_state {
	size_t collision;	/* the last cookie collision finding + 1 */
	uint64_t collisions;	/* cookie collision findings */
};

static struct nft_finding *failure_of(struct nft_model *m, const char *object)
{
	size_t i;

	for (i = m->n_findings; i-- > 0;)
		if (m->findings[i].kind == NFT_FIND_FAILURE &&
		    !strcmp(m->findings[i].object, object))
			return &m->findings[i];
	return NULL;
}

static struct nft_finding *kernel_error(struct nft_model *m,
					const struct nft_event *ev,
					const char *object, const char *what)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	struct nft_finding *f = failure_of(m, object);

	if (f) {
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		return f;
	}
	return nft_report(m, NFT_FIND_FAILURE, NULL, NULL, object,
			  m->lost_seen, &line, 1, "%s: the kernel traced %s",
			  object, what);
}

static void cookie_name(const struct nft_event *ev, char *object)
{
	if (ev->have & NFT_HAVE_OLD_COOKIE)
		snprintf(object, NFT_OBJECT_LEN, "c=%016llx",
			 (unsigned long long)ev->cookie64);
	else if (ev->have & NFT_HAVE_COOKIE)
		snprintf(object, NFT_OBJECT_LEN, "c=%08x", ev->cookie);
	else
		object[0] = 0;
}

/*
 * After a cookie collision, what tells how it came about joins its
 * finding: the candidate discarded (DISCARD, __fscache_acquire_cookie()),
 * and the relinquishment of the cookie collided with -- soon after, it
 * means the new acquire raced the eviction of the inode that held it (the
 * 9p duplicate cookie hunt of 2021).
 */
static void collision_aftermath(struct nft_model *m,
				const struct nft_event *ev)
{
	struct failure_state *st = nft_detector_state(m, &nft_detect_failure);
	char object[NFT_OBJECT_LEN];
	struct nft_finding *f;

	if (!st || !st->collisions)
		return;
	if (ev->kind == NFT_EV_FSCACHE_COOKIE && ev->what == NFT_FSCK_DISCARD) {
		if (st->collision && st->collision <= m->n_findings) {
			f = &m->findings[st->collision - 1];
			nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		}
		st->collision = 0;
		return;
	}
	if (ev->kind != NFT_EV_FSCACHE_RELINQUISH)
		return;
	cookie_name(ev, object);
	if (object[0] && (f = failure_of(m, object)) &&
	    strstr(f->message, "collision"))
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
}

static void fscache_error(struct nft_model *m, const struct nft_event *ev)
{
	char object[NFT_OBJECT_LEN];

	struct failure_state *st;
	struct nft_finding *f;

	collision_aftermath(m, ev);
	switch (ev->kind) {
	case NFT_EV_FSCACHE_COOKIE:
		if (ev->what != NFT_FSCK_COLLISION &&
		    ev->what != NFT_FSCK_FAILED)
			return;
		cookie_name(ev, object);
		if (!object[0])
			return;
		f = kernel_error(m, ev, object, ev->what == NFT_FSCK_FAILED ?
			     "FAILED: the cache object could not be looked up or created, caching is off for this cookie" :
			     "a cookie collision: an acquire found this cookie still live with the same key (\"Duplicate cookie detected\"), the new cookie is discarded and gets no cache; a relinquishment of this one soon after means the acquire raced the eviction of its inode");
		st = nft_detector_state(m, &nft_detect_failure);
		if (f && st && ev->what == NFT_FSCK_COLLISION) {
			st->collision = (size_t)(f - m->findings) + 1;
			st->collisions++;
		}
		return;
	case NFT_EV_FSCACHE_ACCESS:
		if (ev->what != NFT_FSCA_LOOKUP_END_FAILED)
			return;
		cookie_name(ev, object);
		if (object[0])
			kernel_error(m, ev, object, "END lookupf: the lookup or creation of its cache object failed, caching is off for this cookie");
		return;
	case NFT_EV_FSCACHE_VOLUME:
		if (ev->what != NFT_FSCV_COLLISION ||
		    !(ev->have & NFT_HAVE_VOLUME))
			return;
		snprintf(object, sizeof(object), "V=%08x", ev->volume);
		kernel_error(m, ev, object, "a volume collision: an acquire found this volume still live with the same key; the new volume cookie is refused");
		return;
	case NFT_EV_FSCACHE_CACHE:
		if (ev->what != NFT_FSCC_COLLISION ||
		    !(ev->have & NFT_HAVE_CACHE))
			return;
		snprintf(object, sizeof(object), "C=%08x", ev->cache);
		kernel_error(m, ev, object, "a cache collision: a cache of this name is already in use");
		return;
	case NFT_EV_CACHEFILES_MARK_FAILED:
		if (!(ev->have & NFT_HAVE_OBJECT))
			return;
		snprintf(object, sizeof(object), "o=%08x", ev->object);
		kernel_error(m, ev, object, "cachefiles_mark_failed: the cache object failed and is no longer used");
		return;
	case NFT_EV_CACHEFILES_VOL_COHERENCY:
		/*
		 * cachefiles_check_volume_xattr(): the volume's coherency
		 * data differs from what the cache holds, so the whole
		 * volume directory is discarded.  Seen at every mount, it
		 * is the bug of the 2022 cifs fsc thread (a field of the
		 * volume's coherency data changed each mount): the cache is
		 * never reused.
		 */
		if ((ev->what == NFT_CFCOH_VOL_BAD_CMP ||
		     ev->what == NFT_CFCOH_VOL_BAD_RESV ||
		     ev->what == NFT_CFCOH_VOL_BAD_XATTR) &&
		    (ev->have & NFT_HAVE_VOLUME)) {
			snprintf(object, sizeof(object), "V=%08x", ev->volume);
			kernel_error(m, ev, object, "the cache volume's coherency check failed: everything cached for the volume is discarded (at every mount, the cache is never reused)");
			return;
		}
		/* fall through */
	case NFT_EV_CACHEFILES_COHERENCY:
		if (ev->what != NFT_CFCOH_SET_FAIL &&
		    ev->what != NFT_CFCOH_VOL_SET_FAIL)
			return;
		if (ev->have & NFT_HAVE_OBJECT)
			snprintf(object, sizeof(object), "o=%08x", ev->object);
		else if (ev->have & NFT_HAVE_VOLUME)
			snprintf(object, sizeof(object), "V=%08x", ev->volume);
		else
			return;
		kernel_error(m, ev, object, "a coherency xattr write failure (SET fail)");
		return;
	default:
		return;
	}
}

static void failure_event(struct nft_model *m, const struct nft_event *ev,
			  struct nft_request *req, struct nft_subreq *s)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_FAILURE:
		if (req)
			netfs_failed(m, ev, req, s,
				     nft_sym_name(NFT_SYMC_FAILURE, ev->what));
		break;
	case NFT_EV_NETFS_SREQ:
		if (req && ev->error < 0 &&
		    (ev->what == NFT_SREQ_TERMINATED ||
		     ev->what == NFT_SREQ_WRITE_TERM ||
		     ev->what == NFT_SREQ_ABANDONED ||
		     ev->what == NFT_SREQ_FAIL))
			netfs_failed(m, ev, req, s, "subrequest");
		break;
	case NFT_EV_CACHEFILES_IO_ERROR:
	case NFT_EV_CACHEFILES_VFS_ERROR:
		if (!(ev->have & NFT_HAVE_OLD_COOKIE))
			cachefiles_failed(m, ev);
		break;
	default:
		fscache_error(m, ev);
		break;
	}
}

const struct nft_detector nft_detect_failure = {
	.name = "failure",
	.state_size = sizeof(struct failure_state),
	.event = failure_event,
};
