// SPDX-License-Identifier: GPL-2.0
/*
 * ref-leak: an object whose work ended but whose count never reached zero.
 *  - a request that completed, with every subrequest freed, that stayed
 *    unfreed for --stuck-after while the trace went on;
 *  - a subrequest that terminated and was never freed (found when its
 *    request is freed, or when the request goes quiet);
 * A capture that merely ends soon after is "in flight", not a leak.
 */
#include "../model_internal.h"

static void leak_subreq(struct nft_model *m, struct nft_request *req,
			struct nft_subreq *s, const char *why)
{
	struct nft_evidence lines[3];
	size_t n = 0;

	lines[n++] = (struct nft_evidence){ s->pos_first, s->t_first };
	if (s->pos_term)
		lines[n++] = (struct nft_evidence){ s->pos_term, s->t_term };
	if (s->refs.n)
		lines[n++] = (struct nft_evidence){ s->refs.v[s->refs.n - 1].pos,
						    s->refs.v[s->refs.n - 1].ts_ns };
	nft_report(m, NFT_FIND_REF_LEAK, req, s, NULL, false, lines, n,
		   "R=%08x[%x]: subrequest %s but never freed (last r=%lld)",
		   req->id, (unsigned int)s->index, why,
		   (long long)nft_ledger_last_printed(&s->refs));
}

static bool subreq_done(const struct nft_subreq *s)
{
	return s->state == NFT_SS_TERMINATED ||
	       s->state == NFT_SS_COLLECTED;
}

/* The request was freed while subrequests (which hold refs on it) lived. */
static void release(struct nft_model *m, struct nft_request *req, bool at_end)
{
	uint32_t i;

	if (at_end || req->state != NFT_REQ_FREED)
		return;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && s->state != NFT_SS_FREED && subreq_done(s))
			leak_subreq(m, req, s, "terminated before its request was freed");
	}
}

static void quiet(struct nft_model *m, struct nft_request *req, bool at_end)
{
	struct nft_evidence lines[3];
	uint32_t i, leaked = 0;
	size_t n = 0;

	(void)at_end;
	/* A waiter that never woke holds the ref: that is "stuck". */
	if (req->state != NFT_REQ_COMPLETED || req->waiting)
		return;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (!s || s->state == NFT_SS_FREED)
			continue;
		if (!subreq_done(s))
			return;	/* still in flight: that is "stuck" */
		leak_subreq(m, req, s, "terminated after its request completed");
		leaked++;
	}
	req->reported_leak = true;
	if (leaked)
		return;
	lines[n++] = (struct nft_evidence){ req->pos_new, req->t_new };
	lines[n++] = (struct nft_evidence){ req->pos_done, req->t_done };
	if (req->refs.n)
		lines[n++] = (struct nft_evidence){
			req->refs.v[req->refs.n - 1].pos,
			req->refs.v[req->refs.n - 1].ts_ns };
	nft_report(m, NFT_FIND_REF_LEAK, req, NULL, NULL, false, lines, n,
		   "R=%08x: completed at line %llu, all %u subrequests freed, but r=%lld never reached 0 (quiet for %.1f s)",
		   req->id, (unsigned long long)req->pos_done, req->nr_sreqs,
		   (long long)nft_ledger_last_printed(&req->refs),
		   (double)(m->now - req->t_last) / 1e9);
}

const struct nft_detector nft_detect_ref_leak = {
	.name = "ref-leak",
	.release = release,
	.quiet = quiet,
};
