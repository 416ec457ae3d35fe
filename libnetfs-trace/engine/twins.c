// SPDX-License-Identifier: GPL-2.0
/*
 * The read-side injections of the issue-10 bug classes, kept out of the
 * model proper: read.c and req.c call these hooks at the point where the
 * historical kernel went wrong, and each hook does nothing unless its
 * injection targets the request.
 *
 *   all-queued-race   5de0219a9bb9 "netfs: Fix setting NETFS_RREQ_ALL_QUEUED
 *                     to be after all subreqs queued" (6.14 collector)
 *   early-unlock-eof  570ad253a345 "netfs: Fix early read unlock of page
 *                     with EOF in middle" (9p mmap read corruption)
 *   bad-donation      the 6.10-6.13 read collector's donations
 *                     (netfs_consume_read_data()): a tail donated past the
 *                     neighbour (the cifs readahead crash of December 2024,
 *                     "netfs: Fix non-contiguous donation between completed
 *                     reads", c8b90d40d5bb)
 */
#include "internal.h"

/* The 6.14+ collector (COMPLET, netfs_collect_folio...), not 6.10-6.13's. */
static bool collector_614(const struct nft_engine *e)
{
	return e->o.dialect != NFT_ENGINE_6_12;
}

/* ---- all-queued-race ---- */

/*
 * netfs_issue_read() before 5de0219a9bb9 set NETFS_RREQ_ALL_QUEUED before
 * it added the last subrequest to the stream.  A collector that runs in
 * between sees an empty list with ALL_QUEUED set and completes the request
 * (COMPLET, WAKE-IP, DONE, PUT WORK IP); the last subrequest is queued and
 * terminates afterwards, and the work item it queues finds IN_PROGRESS
 * clear and does nothing (SEE WORK only): the subrequest's list ref and
 * the request ref it holds (GET SUBREQ) are never put.
 */
static void race_queue_last(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	struct sreq *s = q->sreq;

	act_app(e, r);
	truth(e, "ref-leak", r, s->index);
	truth(e, "ref-leak", r, -1);
	/* netfs_issue_read(): on the list, then submitted. */
	stream_append(r, s);
	if (s->source != NFT_SRC_DOWNLOAD || e->sc->cifs)
		em_sreq(e, s, NFT_SREQ_SUBMIT);
	read_issue(e, s, false);
}

/*
 * Called by the issuer with the last slice of @r, prepared but not yet
 * submitted: true when the injection took it over: ALL_QUEUED is set now,
 * the slice is queued and submitted later, after the collector ran on the
 * earlier slices.
 */
bool twin_all_queued_race(struct nft_engine *e, struct req *r, struct sreq *s)
{
	if (!collector_614(e) || !inj_target(e, r, INJ_ALL_QUEUED_RACE) || s->index < 2)
		return false;
	r->issue_pos = r->start + r->len;
	r->flags |= RF_ALL_QUEUED;
	/* Long enough for the earlier slices to end and be collected. */
	sim_at(e, e->now + 3000 * NS_PER_US, race_queue_last, r, s, 0);
	return true;
}

/* The collection work item of a request whose IN_PROGRESS is clear. */
void twin_late_work(struct nft_engine *e, struct req *r)
{
	if (inj_target(e, r, INJ_ALL_QUEUED_RACE) && r->done)
		em_rref(e, r, NFT_RREF_SEE_WORK);
}

/* ---- early-unlock-eof ---- */

/* The injected read ends inside its last folio, as in the 570ad253a345 log. */
void twin_read_start(struct nft_engine *e, struct req *r)
{
	if (inj_target(e, r, INJ_EARLY_UNLOCK_EOF))
		r->i_size = r->start + 0x5fb2;
	if (inj_target(e, r, INJ_BAD_DONATION))
		r->i_size = r->start + 0x1800;
}

/*
 * The ZERO slice after EOF is issued only once the data before EOF was
 * collected: the "mdelay(100) in netfs_issue_read() for the ZERO-subreq
 * case" of the commit, which 9p's synchronous reads make the normal order.
 */
bool twin_defer_zero(struct nft_engine *e, struct req *r)
{
	if (!inj_target(e, r, INJ_EARLY_UNLOCK_EOF) ||
	    r->issue_pos < r->i_size || r->issue_pos >= r->start + r->len)
		return false;
	return r->collected_to < r->i_size && r->twin_waits++ < 200;
}

/*
 * The fault itself, in netfs_read_unlock_folios(): the folio end used to
 * decide whether a folio is done was clamped to i_size, so the folio with
 * EOF inside counts as done when the data reaches EOF, before the ZERO
 * slice that clears its tail: unlock it now.
 */
void twin_unlock_eof(struct nft_engine *e, struct req *r)
{
	uint64_t ix = r->cleaned_to / PAGE_SIZE_;

	if (!collector_614(e) || !inj_target(e, r, INJ_EARLY_UNLOCK_EOF) ||
	    r->collected_to < r->i_size || r->cleaned_to >= r->i_size ||
	    r->cleaned_to + PAGE_SIZE_ <= r->i_size)
		return;
	em_collect_folio_to(e, r, ix, r->i_size);
	em_folio(e, ix, NFT_FOLIO_READ_DONE);
	em_folio(e, ix, NFT_FOLIO_READ_UNLOCK);
	r->cleaned_to += PAGE_SIZE_;
	truth(e, "early-unlock", r, -1);
}

/* ---- bad-donation ---- */

/*
 * The injected readahead is [1] DOWN up to EOF inside folio 1, then [2]
 * ZERO to the end of that folio and [3] ZERO for the rest; the DOWN slice
 * is asynchronous and the ZERO slices slow, so [1] terminates first and
 * has its tail to donate while [2] and [3] are on the list.
 */
uint64_t twin_slice_len(struct nft_engine *e, struct req *r, int source,
			uint64_t pos, uint64_t len)
{
	uint64_t fend = (pos & ~(PAGE_SIZE_ - 1)) + PAGE_SIZE_;

	if (inj_target(e, r, INJ_BAD_DONATION) && source == NFT_SRC_ZERO &&
	    (pos & (PAGE_SIZE_ - 1)) && pos + len > fend)
		return fend - pos;
	return len;
}

bool twin_async_read(struct nft_engine *e, struct req *r)
{
	return inj_target(e, r, INJ_BAD_DONATION);
}

uint64_t twin_zero_delay(struct nft_engine *e, struct req *r)
{
	(void)r;
	(void)e;
	return 2000 * NS_PER_US;
}

/*
 * netfs_consume_read_data(): where the tail of @s's last folio goes.  The
 * kernel gives it to the next subrequest on the list; the injected bug
 * skips over it to the one after.
 */
struct sreq *twin_donation_target(struct nft_engine *e, struct sreq *s)
{
	struct req *r = s->req;

	if (inj_target(e, r, INJ_BAD_DONATION) && s->next && s->next->next) {
		truth(e, "bad-donation", r, s->index);
		/* The collector oopses further on: this request's trace stops. */
		r->twin_crashed = true;
		return s->next->next;
	}
	return s->next;
}

/* Nothing of a crashed request is traced any more. */
bool twin_crashed(const struct req *r)
{
	return r->twin_crashed;
}
