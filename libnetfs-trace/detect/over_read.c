// SPDX-License-Identifier: GPL-2.0
/*
 * over-read: a subrequest that transferred more than it asked for
 * (invariant 5 of research/engine.md §4.3), the kernel's own !TOOM catch of
 * it, or collection that ran past the end of a read request.
 */
#include "../model_internal.h"

static void report_sreq(struct nft_model *m, const struct nft_event *ev,
			struct nft_request *req, struct nft_subreq *s,
			const char *what)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };

	if (s->over_read)
		return;
	s->over_read = true;
	nft_report(m, NFT_FIND_OVER_READ, req, s, NULL, false, &line, 1,
		   "R=%08x[%x]: %s: transferred 0x%llx > len 0x%llx (s=%llx)",
		   req->id, (unsigned int)s->index, what,
		   (unsigned long long)ev->transferred,
		   (unsigned long long)ev->len,
		   (unsigned long long)ev->start);
}

static void collect_beyond(struct nft_model *m, const struct nft_event *ev,
			   struct nft_request *req, uint64_t to)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	uint64_t end = req->start + req->len;
	uint32_t i;

	if (req->over_read_reported || to <= end)
		return;
	/* A subrequest's over-read already explains it. */
	for (i = 0; i < req->nr_sreq_slots; i++)
		if (req->sreqs[i] && req->sreqs[i]->over_read)
			return;
	req->over_read_reported = true;
	nft_report(m, NFT_FIND_OVER_READ, req, NULL, NULL, false, &line, 1,
		   "R=%08x: collected to 0x%llx, beyond the request's end 0x%llx",
		   req->id, (unsigned long long)to, (unsigned long long)end);
}

static void over_read_event(struct nft_model *m, const struct nft_event *ev,
			    struct nft_request *req, struct nft_subreq *s)
{
	if (!req)
		return;
	switch (ev->kind) {
	case NFT_EV_NETFS_SREQ:
		if (!s)
			return;
		if (ev->what == NFT_SREQ_TOO_MUCH)
			report_sreq(m, ev, req, s, "kernel flagged too much data (!TOOM)");
		else if (ev->transferred > ev->len)
			report_sreq(m, ev, req, s, nft_sym_name(NFT_SYMC_SREQ_TRACE, ev->what));
		break;
	case NFT_EV_NETFS_COLLECT_SREQ:
		if (s && ev->transferred > ev->len)
			report_sreq(m, ev, req, s, "collected");
		break;
	case NFT_EV_NETFS_COLLECT_STATE:
		/* Only reads have a fixed range; writeback ranges are open. */
		if (req->range_known && !req->is_write && req->len)
			collect_beyond(m, ev, req, ev->collected_to);
		break;
	default:
		break;
	}
}

const struct nft_detector nft_detect_over_read = {
	.name = "over-read",
	.event = over_read_event,
};
