// SPDX-License-Identifier: GPL-2.0
/*
 * stuck: a request still IN_PROGRESS, or with a subrequest submitted and
 * never terminated, that made no progress for --stuck-after while the trace
 * went on.  A waiter that never woke is called out as such, and so is a
 * subrequest its request completed without (model.c in_progress_cleared()).
 */
#include "../model_internal.h"

static void quiet(struct nft_model *m, struct nft_request *req, bool at_end)
{
	struct nft_evidence lines[4];
	const struct nft_subreq *oldest = NULL;
	uint32_t i, in_flight = 0;
	size_t n = 0;

	(void)at_end;
	if (req->reported_leak || req->state == NFT_REQ_FREED)
		return;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		const struct nft_subreq *s = req->sreqs[i];

		if (!s || s->state == NFT_SS_FREED)
			continue;
		if (s->state <= NFT_SS_IN_FLIGHT) {
			in_flight++;
			if (!oldest)
				oldest = s;
		}
	}
	if (req->state == NFT_REQ_COMPLETED && !in_flight && !req->waiting)
		return;	/* ref-leak's business */
	req->reported_stuck = true;
	lines[n++] = (struct nft_evidence){ req->pos_new, req->t_new };
	if (oldest)
		lines[n++] = (struct nft_evidence){ oldest->pos_submit ?
							    oldest->pos_submit :
							    oldest->pos_first,
						    oldest->t_first };
	if (req->waiting)
		lines[n++] = (struct nft_evidence){ req->pos_wait, req->t_wait };
	lines[n++] = (struct nft_evidence){ req->pos_last, req->t_last };
	if (req->waiting)
		nft_report(m, NFT_FIND_STUCK, req, NULL, NULL, false, lines, n,
			   "R=%08x: waiter (WAIT-IP at line %llu) never woken; no event for %.1f s while the trace went on",
			   req->id, (unsigned long long)req->pos_wait,
			   (double)(m->now - req->t_last) / 1e9);
	else if (oldest && oldest->orphan)
		nft_report(m, NFT_FIND_STUCK, req, NULL, NULL, false, lines, n,
			   "R=%08x: R=%08x[%x] in flight since line %llu, and its request's IN_PROGRESS cleared without it (line %llu), so nothing will collect it; no event for %.1f s",
			   req->id, req->id, (unsigned int)oldest->index,
			   (unsigned long long)oldest->pos_first,
			   (unsigned long long)req->pos_ip_clear,
			   (double)(m->now - req->t_last) / 1e9);
	else if (oldest)
		nft_report(m, NFT_FIND_STUCK, req, NULL, NULL, false, lines, n,
			   "R=%08x: %u subrequest(s) in flight and no event for %.1f s (R=%08x[%x] since line %llu)",
			   req->id, in_flight,
			   (double)(m->now - req->t_last) / 1e9, req->id,
			   (unsigned int)oldest->index,
			   (unsigned long long)oldest->pos_first);
	else
		nft_report(m, NFT_FIND_STUCK, req, NULL, NULL, false, lines, n,
			   "R=%08x: still in progress (never completed) and no event for %.1f s",
			   req->id, (double)(m->now - req->t_last) / 1e9);
}

const struct nft_detector nft_detect_stuck = {
	.name = "stuck",
	.quiet = quiet,
};
