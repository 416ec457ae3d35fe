// SPDX-License-Identifier: GPL-2.0
/*
 * retry-storm: a subrequest reissued again and again without its
 * start + transferred moving (the recursion of "netfs: Work around recursion
 * by abandoning retry if nothing read").  Post-fix kernels abandon at the
 * first no-progress termination, so --retry-limit stalls is already wrong.
 */
#include "../model_internal.h"

static void storm_event(struct nft_model *m, const struct nft_event *ev,
			struct nft_request *req, struct nft_subreq *s)
{
	struct nft_evidence lines[2];

	if (!s || ev->kind != NFT_EV_NETFS_SREQ ||
	    (ev->what != NFT_SREQ_RETRY && ev->what != NFT_SREQ_SHORT))
		return;
	if (s->stalled_reissues != m->opts.retry_limit)
		return;
	lines[0] = (struct nft_evidence){ s->pos_first, s->t_first };
	lines[1] = (struct nft_evidence){ ev->pos, ev->ts_ns };
	nft_report(m, NFT_FIND_RETRY_STORM, req, s, NULL, false, lines, 2,
		   "R=%08x[%x]: reissued %u times, the last %u without progress (stuck at 0x%llx)",
		   req->id, (unsigned int)s->index, s->reissues,
		   s->stalled_reissues,
		   (unsigned long long)(ev->start + ev->transferred));
}

const struct nft_detector nft_detect_retry_storm = {
	.name = "retry-storm",
	.event = storm_event,
};
