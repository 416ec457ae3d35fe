// SPDX-License-Identifier: GPL-2.0
/*
 * ref-leak: an object whose work ended but whose count can never reach zero.
 *  - a subrequest not yet terminated when its request's IN_PROGRESS cleared
 *    (COMPLET/DONE/WAKE-IP), that terminated after and is never collected
 *    or freed: no collector runs once IN_PROGRESS is clear, so it keeps its
 *    own ref and the one it holds on the request (the NETFS_RREQ_ALL_QUEUED
 *    race of 6.14, fixed by commit 5de0219a9bb9: netfs_read_to_pagecache()
 *    set ALL_QUEUED before queueing the last subrequest, the collector
 *    completed the request without it).  Found from the protocol alone, at
 *    the end of the input (or when the request goes), not from the clock;
 *  - a subrequest that terminated and was never freed (found when its
 *    request is freed, or when the request goes quiet);
 *  - a request that completed, with every subrequest freed, that stayed
 *    unfreed for --stuck-after while the trace went on; the message names
 *    the get whose put never came and who holds it.
 * A capture that merely ends soon after is "in flight", not a leak.
 */
#include <stdio.h>

#include "../model_internal.h"

/* "r=2" or "no ref lines" for a ledger. */
static const char *count_str(const struct nft_ledger *l, char *buf, size_t sz)
{
	if (!l->known)
		snprintf(buf, sz, "no ref lines");
	else
		snprintf(buf, sz, "last r=%lld", (long long)l->count);
	return buf;
}

static void leak_subreq(struct nft_model *m, struct nft_request *req,
			struct nft_subreq *s, const char *why)
{
	struct nft_evidence lines[3];
	char cnt[32];
	size_t n = 0;

	lines[n++] = (struct nft_evidence){ s->pos_first, s->t_first };
	if (s->pos_term)
		lines[n++] = (struct nft_evidence){ s->pos_term, s->t_term };
	if (s->refs.n)
		lines[n++] = (struct nft_evidence){ s->refs.v[s->refs.n - 1].pos,
						    s->refs.v[s->refs.n - 1].ts_ns };
	nft_report(m, NFT_FIND_REF_LEAK, req, s, NULL, req->uncertain, lines, n,
		   "R=%08x[%x]: subrequest %s but never freed (%s)",
		   req->id, (unsigned int)s->index, why,
		   count_str(&s->refs, cnt, sizeof(cnt)));
}

static bool subreq_done(const struct nft_subreq *s)
{
	return s->state == NFT_SS_TERMINATED ||
	       s->state == NFT_SS_COLLECTED;
}

/* Terminated after IN_PROGRESS cleared without it, and still not collected. */
static bool orphan_leaked(const struct nft_request *req,
			  const struct nft_subreq *s)
{
	return s->orphan && s->state == NFT_SS_TERMINATED &&
	       s->pos_term > req->pos_ip_clear;
}

/* The ALL_QUEUED race: the subrequest's leak and the request ref it holds. */
static void report_orphan(struct nft_model *m, struct nft_request *req,
			  struct nft_subreq *s)
{
	const char *done = nft_sym_name(NFT_SYMC_RREQ_TRACE, req->ip_clear_what);
	struct nft_evidence lines[5];
	char cnt[32], get[96] = "";
	uint32_t g;
	size_t n = 0;

	if (!done[0])
		done = "f= without IN_PROGRESS";
	lines[n++] = (struct nft_evidence){ req->pos_ip_clear, req->t_ip_clear };
	lines[n++] = (struct nft_evidence){ s->pos_first, s->t_first };
	lines[n++] = (struct nft_evidence){ s->pos_term, s->t_term };
	nft_report(m, NFT_FIND_REF_LEAK, req, s, NULL, req->uncertain, lines, n,
		   "R=%08x[%x]: not yet terminated when its request's IN_PROGRESS cleared (%s at line %llu), terminated after (line %llu) and is never collected or freed (%s): once IN_PROGRESS is clear the collector does not run again, so it keeps its refs (as in the NETFS_RREQ_ALL_QUEUED race, commit 5de0219a9bb9)",
		   req->id, (unsigned int)s->index, done,
		   (unsigned long long)req->pos_ip_clear,
		   (unsigned long long)s->pos_term,
		   count_str(&s->refs, cnt, sizeof(cnt)));

	/* the request's ref this subrequest took when it was allocated */
	n = 0;
	lines[n++] = (struct nft_evidence){ req->pos_ip_clear, req->t_ip_clear };
	g = nft_ledger_last_before(&req->refs, NFT_RREF_GET_SUBREQ,
				   s->pos_first + 1);
	if (g != UINT32_MAX) {
		const struct nft_ref_entry *e = &req->refs.v[g];

		lines[n++] = (struct nft_evidence){ e->pos, e->ts_ns };
		snprintf(get, sizeof(get), "GET SUBREQ at line %llu (r=%d)",
			 (unsigned long long)e->pos, e->printed);
	} else {
		snprintf(get, sizeof(get), "its GET SUBREQ");
	}
	lines[n++] = (struct nft_evidence){ s->pos_term, s->t_term };
	if (req->refs.n)
		lines[n++] = (struct nft_evidence){
			req->refs.v[req->refs.n - 1].pos,
			req->refs.v[req->refs.n - 1].ts_ns };
	nft_report(m, NFT_FIND_REF_LEAK, req, NULL, NULL, req->uncertain, lines,
		   n,
		   "R=%08x: %s is never put: R=%08x[%x] holds it, a subrequest the collector never collects (IN_PROGRESS cleared at line %llu before it terminated); the count stays above 0 (%s)",
		   req->id, get, req->id, (unsigned int)s->index,
		   (unsigned long long)req->pos_ip_clear,
		   count_str(&req->refs, cnt, sizeof(cnt)));
	req->reported_leak = true;
}

/* Report the orphans of @req; how many. */
static uint32_t orphans(struct nft_model *m, struct nft_request *req)
{
	uint32_t i, found = 0;

	if (!req->ip_cleared)
		return 0;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && orphan_leaked(req, s)) {
			report_orphan(m, req, s);
			found++;
		}
	}
	return found;
}

/*
 * A subrequest nobody holds any more: it terminated and each termination
 * put its ref (PUT TERM), the collector took it off the stream and put its
 * own (PUT DONE/CONSUME/CLEAR) after that, its request's IN_PROGRESS
 * cleared (no collector will run for it again), and its count is still
 * above 0 -- a get without a put, e.g. the GET RESUBMT a write retry took
 * on a subrequest it split off (netfs_retry_write_stream(), the engine's
 * write-retry-extra-ref).  Only at the end of the input: no line may come.
 */
static bool spent(const struct nft_request *req, const struct nft_subreq *s)
{
	return req->ip_cleared && s->state != NFT_SS_FREED &&
	       s->state >= NFT_SS_TERMINATED && s->terms &&
	       s->term_puts >= s->terms && s->pos_collect_put > s->pos_term &&
	       s->refs.known && s->refs.explained && s->refs.count > 0;
}

static void report_spent(struct nft_model *m, struct nft_request *req,
			 struct nft_subreq *s)
{
	struct nft_evidence lines[4];
	char get[96] = "", rget[96] = "";
	uint32_t i = s->refs.n, g;
	size_t n = 0;

	while (i--)
		if (s->refs.v[i].op == NFT_REF_GET)
			break;
	lines[n++] = (struct nft_evidence){ s->pos_term, s->t_term };
	if (i < s->refs.n) {
		const struct nft_ref_entry *e = &s->refs.v[i];

		lines[n++] = (struct nft_evidence){ e->pos, e->ts_ns };
		snprintf(get, sizeof(get), "; %s at line %llu (r=%d) has no put",
			 nft_sym_name(e->cls, e->what),
			 (unsigned long long)e->pos, e->printed);
	}
	lines[n++] = (struct nft_evidence){ s->pos_collect_put,
					    s->t_collect_put };
	lines[n++] = (struct nft_evidence){ req->pos_ip_clear, req->t_ip_clear };
	g = nft_ledger_last_before(&req->refs, NFT_RREF_GET_SUBREQ,
				   s->pos_first + 1);
	if (g != UINT32_MAX)
		snprintf(rget, sizeof(rget), " (nor the request's GET SUBREQ at line %llu it holds)",
			 (unsigned long long)req->refs.v[g].pos);
	nft_report(m, NFT_FIND_REF_LEAK, req, s, NULL, req->uncertain, lines, n,
		   "R=%08x[%x]: terminated, put by its terminator and by the collector (line %llu), its request's IN_PROGRESS cleared (line %llu), yet its count stays at r=%lld with no holder left to put it%s: it is never freed%s",
		   req->id, (unsigned int)s->index,
		   (unsigned long long)s->pos_collect_put,
		   (unsigned long long)req->pos_ip_clear,
		   (long long)s->refs.count, get, rget);
	req->reported_leak = true;
}

/* Report the subrequests of @req nobody holds any more; how many. */
static uint32_t spent_subreqs(struct nft_model *m, struct nft_request *req)
{
	uint32_t i, found = 0;

	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && spent(req, s)) {
			report_spent(m, req, s);
			found++;
		}
	}
	return found;
}

/*
 * The request went (freed, or the input ended): an orphan is a leak now,
 * whatever the clock says; so is a subrequest still alive when its request
 * was freed.
 */
static void release(struct nft_model *m, struct nft_request *req, bool at_end)
{
	uint32_t i;

	if (req->reported_leak)
		return;
	if (orphans(m, req))
		return;
	if (at_end) {
		spent_subreqs(m, req);
		return;
	}
	if (req->state != NFT_REQ_FREED)
		return;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && s->state != NFT_SS_FREED && subreq_done(s))
			leak_subreq(m, req, s, "terminated before its request was freed");
	}
}

/* The get of @req's ledger whose put never came, and who holds it. */
static void unput_get(const struct nft_request *req, char *buf, size_t sz)
{
	static const char *const who[NFT_HOLD__NR] = {
		[NFT_HOLD_CALLER] = "the caller (no PUT RETURN)",
		[NFT_HOLD_SUBREQ] = "a subrequest, all of which were freed",
		[NFT_HOLD_WORK] = "the work item",
		[NFT_HOLD_ISSUE] = "the issuing thread's hold",
		[NFT_HOLD_OTHER] = "its taker",
	};
	struct nft_rreq_holds h;
	int k;

	nft_rreq_holds(&req->refs, &h);
	for (k = NFT_HOLD__NR - 1; k >= 0; k--) {
		const struct nft_ref_entry *e;

		if (h.n[k] <= 0 || h.last_get[k] == UINT32_MAX)
			continue;
		e = &req->refs.v[h.last_get[k]];
		snprintf(buf, sz, "; %s at line %llu (r=%d) has no put: held by %s",
			 nft_sym_name(e->cls, e->what),
			 (unsigned long long)e->pos, e->printed, who[k]);
		return;
	}
	buf[0] = 0;
}

static void quiet(struct nft_model *m, struct nft_request *req, bool at_end)
{
	struct nft_evidence lines[3];
	uint32_t i, leaked = 0;
	char cnt[32], held[160];
	size_t n = 0;

	(void)at_end;
	if (orphans(m, req) || spent_subreqs(m, req))
		return;
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
	unput_get(req, held, sizeof(held));
	nft_report(m, NFT_FIND_REF_LEAK, req, NULL, NULL, false, lines, n,
		   "R=%08x: completed at line %llu, all %u subrequests freed, but the count never reached 0 (%s, quiet for %.1f s)%s",
		   req->id, (unsigned long long)req->pos_done, req->nr_sreqs,
		   count_str(&req->refs, cnt, sizeof(cnt)),
		   (double)(m->now - req->t_last) / 1e9, held);
}

const struct nft_detector nft_detect_ref_leak = {
	.name = "ref-leak",
	.release = release,
	.quiet = quiet,
};
