// SPDX-License-Identifier: GPL-2.0
/*
 * bad-rewind: a retried subrequest whose new window re-requests bytes that
 * were already transferred (invariant 7: a retry resumes at
 * start + transferred; reads keep the prefix, writes move start forward).
 * The window [start + transferred, start + len) of the RETRY line must not
 * overlap what any subrequest of the same stream had done at its last
 * termination.  Retry re-slicing may move a later subrequest's start back
 * over bytes it never transferred, which is fine.
 */
#include "../model_internal.h"

static const struct nft_subreq *overlapping(const struct nft_request *req,
					    const struct nft_subreq *s,
					    uint64_t lo, uint64_t hi)
{
	uint32_t i;

	for (i = 0; i < req->nr_sreq_slots; i++) {
		const struct nft_subreq *o = req->sreqs[i];

		if (!o || o->state == NFT_SS_FREED || o->stream != s->stream)
			continue;
		if (o->done_hi > o->done_lo && lo < o->done_hi &&
		    hi > o->done_lo)
			return o;
	}
	return NULL;
}

static void rewind_event(struct nft_model *m, const struct nft_event *ev,
			 struct nft_request *req, struct nft_subreq *s)
{
	uint64_t lo, hi;
	const struct nft_subreq *o;
	struct nft_evidence lines[2];

	if (!s || ev->kind != NFT_EV_NETFS_SREQ || ev->what != NFT_SREQ_RETRY)
		return;
	lo = ev->start + ev->transferred;
	hi = ev->start + ev->len;
	o = overlapping(req, s, lo, hi);
	if (!o)
		return;
	lines[0] = (struct nft_evidence){ o->pos_term, o->t_term };
	lines[1] = (struct nft_evidence){ ev->pos, ev->ts_ns };
	nft_report(m, NFT_FIND_BAD_REWIND, req, s, NULL, false, lines, 2,
		   "R=%08x[%x]: retry window 0x%llx-0x%llx re-requests bytes 0x%llx-0x%llx that R=%08x[%x] already transferred",
		   req->id, (unsigned int)s->index, (unsigned long long)lo,
		   (unsigned long long)hi,
		   (unsigned long long)(lo > o->done_lo ? lo : o->done_lo),
		   (unsigned long long)(hi < o->done_hi ? hi : o->done_hi),
		   req->id, (unsigned int)o->index);
	/* Report each rewind once: forget what the retry re-requests. */
	s->done_lo = s->done_hi = 0;
}

const struct nft_detector nft_detect_bad_rewind = {
	.name = "bad-rewind",
	.event = rewind_event,
};
