// SPDX-License-Identifier: GPL-2.0
/*
 * double-unlock: write_begin/prefetch-for-write (origin RW) reads keep the
 * caller's folio locked (NO_UNLOCK_FOLIO, rreq->no_unlock_folio).  If netfs
 * unlocks it anyway -- the abandoned-read sweep that ignored the flag,
 * research/engine.md §5(h) -- the caller unlocks it a second time.  The
 * trace shows a netfs_folio read-unlock or abandon line for that inode and
 * page index while the RW request is alive; 7.x also prints "!locked" when
 * it finds a folio it meant to unlock already unlocked.
 * Folio lines carry no request id, so the request is found by inode+index.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../model_internal.h"
#include "../util.h"

#define PAGE_SHIFT 12

static void keep(struct nft_model *m, const struct nft_request *req)
{
	struct nft_kept_folio *k;

	if (nft_grow(&m->kept, &m->cap_kept, m->n_kept + 1, sizeof(*k)))
		return;
	k = &m->kept[m->n_kept++];
	k->ino = req->ino;
	k->index = req->start >> PAGE_SHIFT;
	k->rreq = req->id;
	k->reported = false;
}

static struct nft_kept_folio *find(struct nft_model *m, uint64_t ino,
				   uint64_t first, uint64_t last)
{
	size_t i;

	for (i = 0; i < m->n_kept; i++)
		if (m->kept[i].ino == ino && m->kept[i].index >= first &&
		    m->kept[i].index <= last)
			return &m->kept[i];
	return NULL;
}

static void folio_event(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	const struct nft_request *req;
	struct nft_kept_folio *k;
	char object[NFT_OBJECT_LEN];

	k = find(m, ev->ino, ev->first, ev->last);
	if (ev->what == NFT_FOLIO_NOT_LOCKED && !k) {
		snprintf(object, sizeof(object), "i=%llx ix=%llx",
			 (unsigned long long)ev->ino,
			 (unsigned long long)ev->first);
		nft_report(m, NFT_FIND_DOUBLE_UNLOCK, NULL, NULL, object,
			   m->lost_seen, &line, 1,
			   "netfs found folio %llx of inode %llx already unlocked (!locked)",
			   (unsigned long long)ev->first,
			   (unsigned long long)ev->ino);
		return;
	}
	if (!k || k->reported)
		return;
	k->reported = true;
	req = nft_model_request(m, k->rreq);
	nft_report(m, NFT_FIND_DOUBLE_UNLOCK, req, NULL, NULL, false, &line, 1,
		   "R=%08x: netfs unlocked (%s) folio %llx of inode %llx, which this write_begin/prefetch request leaves locked for its caller (NO_UNLOCK_FOLIO): the caller will unlock it again",
		   k->rreq, nft_sym_name(NFT_SYMC_FOLIO, ev->what),
		   (unsigned long long)k->index, (unsigned long long)k->ino);
}

static void unlock_event(struct nft_model *m, const struct nft_event *ev,
			 struct nft_request *req, struct nft_subreq *s)
{
	(void)s;
	if (ev->kind == NFT_EV_NETFS_READ && req &&
	    (ev->what == NFT_RD_WRITE_BEGIN ||
	     ev->what == NFT_RD_PREFETCH_FOR_WRITE))
		keep(m, req);
	else if (ev->kind == NFT_EV_NETFS_FOLIO &&
		 (ev->what == NFT_FOLIO_READ_UNLOCK ||
		  ev->what == NFT_FOLIO_ABANDON ||
		  ev->what == NFT_FOLIO_NOT_LOCKED))
		folio_event(m, ev);
}

static void unlock_release(struct nft_model *m, struct nft_request *req,
			   bool at_end)
{
	size_t i;

	(void)at_end;
	for (i = 0; i < m->n_kept; i++) {
		if (m->kept[i].rreq != req->id)
			continue;
		m->kept[i] = m->kept[--m->n_kept];
		return;
	}
}

const struct nft_detector nft_detect_double_unlock = {
	.name = "double-unlock",
	.event = unlock_event,
	.release = unlock_release,
};
