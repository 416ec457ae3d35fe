// SPDX-License-Identifier: GPL-2.0
/*
 * The read side: slicing a request into subrequests
 * (netfs_read_to_pagecache / netfs_dispatch_unbuffered_reads), their
 * termination (netfs_read_subreq_terminated) and the read collector
 * (netfs_collect_read_results / netfs_read_collection), for both the 6.12
 * collector (assess in the terminating context, no work item) and the
 * 6.14+ one (a single work item or the app thread, in-order collection).
 */
#include <errno.h>

#include "internal.h"

static bool buffered(const struct req *r)
{
	return r->origin == NFT_ORIGIN_RA || r->origin == NFT_ORIGIN_RP ||
	       r->origin == NFT_ORIGIN_RW || r->origin == NFT_ORIGIN_R1;
}

static void issue_next(struct nft_engine *e, struct qev *q);

static void unlock_folio(struct nft_engine *e, struct req *r, uint64_t ix,
			 bool abandon)
{
	bool keep = (r->flags & RF_NO_UNLOCK) && ix == r->start / PAGE_SIZE_;

	if (e->prof->read_collector)
		em_collect_folio(e, r, ix);
	if (abandon) {
		/* netfs_unlock_abandoned_read_pages() */
		if (keep && !inj_target(e, r, INJ_ABANDON_DOUBLE_UNLOCK))
			return;
		em_folio(e, ix, NFT_FOLIO_ABANDON);
		if (keep) {
			/* ... and then the caller unlocks its folio again. */
			if (e->prof->read_collector)
				em_folio(e, ix, NFT_FOLIO_NOT_LOCKED);
			truth(e, "double-unlock", r, -1);
		}
		return;
	}
	em_folio(e, ix, NFT_FOLIO_READ_DONE);
	if (!keep)
		em_folio(e, ix, NFT_FOLIO_READ_UNLOCK);
}

/* netfs_read_unlock_folios(): folios wholly below collected_to. */
static void unlock_folios(struct nft_engine *e, struct req *r, bool abandon)
{
	uint64_t end = r->collected_to;

	if (!buffered(r)) {
		r->cleaned_to = r->collected_to;
		return;
	}
	if (abandon)
		end = r->start + r->len;
	while (r->cleaned_to + PAGE_SIZE_ <= end) {
		unlock_folio(e, r, r->cleaned_to / PAGE_SIZE_, abandon);
		r->cleaned_to += PAGE_SIZE_;
	}
	twin_unlock_eof(e, r);
}

/*
 * Run the app thread's wait step once: a second wake-up queued while one is
 * pending would run the wait step after the request was returned and freed.
 */
void app_wake(struct nft_engine *e, struct req *r, uint64_t lo_us, uint64_t hi_us)
{
	if (r->wait_pending)
		return;
	r->wait_pending = true;
	sim_at(e, e->now + rng_range(e, lo_us, hi_us) * NS_PER_US, app_wait, r,
	       NULL, 0);
}

static void wake_waiter(struct nft_engine *e, struct req *r)
{
	if (r->waiting)
		app_wake(e, r, 5, 40);
}

/* netfs_read_collection(): everything queued has been collected. */
static void read_done(struct nft_engine *e, struct req *r)
{
	bool abandoned = r->flags & RF_FAILED;

	em_rreq(e, r, e->prof->read_collector ? NFT_RREQ_COMPLETE :
					       NFT_RREQ_ASSESS);
	if (abandoned)
		unlock_folios(e, r, true);
	r->done = true;
	if (!e->prof->wake_after_clear)
		em_rreq(e, r, NFT_RREQ_WAKE_IP);
	r->flags &= ~RF_IN_PROGRESS;
	if (e->prof->wake_after_clear)
		em_rreq(e, r, NFT_RREQ_WAKE_IP);
	em_rreq(e, r, NFT_RREQ_DONE);
	if (inj_target(e, r, INJ_LOST_WAKEUP)) {
		/* 6.12: IN_PROGRESS cleared without waking the waiter. */
		truth(e, "stuck", r, -1);
		r->waiting = false;
		r->dead = true;
		return;
	}
	wake_waiter(e, r);
}

static void collect_one(struct nft_engine *e, struct req *r, struct sreq *s)
{
	if (s->flags & SF_FAILED) {
		r->flags |= RF_FAILED;
		if (!r->error)
			r->error = s->error;
		r->collected_to = s->start + s->len;
		if (e->prof->traces_616) {
			em_sreq(e, s, NFT_SREQ_ABANDONED);
			stream_remove_head(r, 0);
			sreq_put(e, s, NFT_SREF_PUT_ABANDON);
		} else {
			stream_remove_head(r, 0);
			sreq_put(e, s, NFT_SREF_PUT_CLEAR);
		}
		return;
	}
	/*
	 * 6.16+: a slice that ended short with CLEAR_TAIL (N-CLR) has its
	 * tail zeroed here and counts as whole.
	 */
	if (e->prof->traces_616 && (s->flags & SF_CLEAR_TAIL) &&
	    s->transferred < s->len) {
		s->transferred = s->len;
		em_sreq(e, s, NFT_SREQ_CLEAR);
	}
	/* An over-long read moves collected_to into the next slice. */
	r->collected_to = s->start + s->transferred;
	r->streams[0].collected_to = r->collected_to;
	unlock_folios(e, r, false);
	if (e->prof->traces_616)
		em_sreq(e, s, NFT_SREQ_CONSUMED);
	stream_remove_head(r, 0);
	sreq_put(e, s, e->prof->read_collector ? NFT_SREF_PUT_DONE :
						 NFT_SREF_PUT_CLEAR);
}

/* netfs_collect_read_results() + netfs_read_collection() */
void read_collect(struct nft_engine *e, struct req *r)
{
	struct stream *st = &r->streams[0];
	bool progress = false;
	struct sreq *s;

	if (e->prof->read_collector) {
		em_rreq(e, r, NFT_RREQ_COLLECT);
		em_collect(e, r);
	}
	while ((s = st->head) && !(s->flags & SF_IN_PROGRESS)) {
		if (e->prof->read_collector)
			em_collect_sreq(e, s);
		if (s->flags & SF_NEED_RETRY) {
			st->need_retry = true;
			break;
		}
		collect_one(e, r, s);
		progress = true;
	}
	if (e->prof->read_collector) {
		em_collect_stream(e, r, 0);
		em_collect_state(e, r, st->need_retry ? 0x14 : 0xc);
	}
	if (st->need_retry) {
		st->need_retry = false;
		retry_reads(e, r);
		return;
	}
	if (progress && (r->flags & RF_PAUSE)) {
		r->flags &= ~RF_PAUSE;
		em_rreq(e, r, NFT_RREQ_UNPAUSE);
	}
	if ((r->flags & RF_ALL_QUEUED) && !st->head && !r->done)
		read_done(e, r);
}

/*
 * 6.12: the last termination assesses the request in its own context, then
 * drops what is left on the list (PUT CLEAR).
 */
static void assess_612(struct nft_engine *e, struct req *r)
{
	struct sreq *s;

	for (s = r->streams[0].head; s; s = s->next)
		if (s->flags & SF_IN_PROGRESS)
			return;
	for (s = r->streams[0].head; s; s = s->next)
		if (s->flags & SF_NEED_RETRY) {
			retry_reads(e, r);
			return;
		}
	if (!(r->flags & RF_ALL_QUEUED) || r->done)
		return;
	for (s = r->streams[0].head; s; s = s->next) {
		if (s->flags & SF_FAILED) {
			r->flags |= RF_FAILED;
			r->error = r->error ? r->error : s->error;
			break;
		}
		r->collected_to = s->start + s->transferred;
		/* what the engine unlocks here, 6.12 consumed with progress */
		if (buffered(r) && s->transferred > s->consumed)
			em_progress(e, s, s->start + s->consumed,
				    s->transferred - s->consumed,
				    s->transferred - s->consumed,
				    (s->start + s->consumed - r->start) /
					    PAGE_SIZE_ % 32);
	}
	if (!(r->flags & RF_FAILED))
		unlock_folios(e, r, false);
	read_done(e, r);
	while ((s = r->streams[0].head)) {
		stream_remove_head(r, 0);
		sreq_put(e, s, NFT_SREF_PUT_CLEAR);
	}
}

/* Nothing was reissued: collect (6.14+) or assess (6.12) again. */
void read_reassess(struct nft_engine *e, struct req *r)
{
	if (e->prof->read_collector)
		read_collect(e, r);
	else
		assess_612(e, r);
}

static void terminated_status(struct nft_engine *e, struct sreq *s)
{
	struct req *r = s->req;

	if (s->error < 0) {
		/*
		 * 7.2 retries an error the fs marked NEED_RETRY; 6.12 to
		 * 6.18 fail any error of a server read (the retry only
		 * follows short reads), 6.12 printing the failure after TERM
		 * (read_terminated()).
		 */
		if (feat(e, NFT_ENGINE_F_READ_ERR_RETRY) && (s->flags & SF_NEED_RETRY))
			return;
		s->flags &= ~SF_NEED_RETRY;
		s->flags |= SF_FAILED;
		if (e->prof->read_collector)
			em_failure(e, r, s, NFT_FAIL_READ);
		return;
	}
	if (s->transferred >= s->len)
		return;
	if (s->flags & SF_CLEAR_TAIL) {
		em_sreq(e, s, NFT_SREQ_NEED_CLEAR);
	} else if ((s->flags & SF_MADE_PROGRESS) ||
		   inj_target(e, r, INJ_RETRY_NO_PROGRESS)) {
		/* The injected bug retries even when nothing was read. */
		s->flags |= SF_NEED_RETRY;
		if (e->prof->read_collector)
			em_sreq(e, s, NFT_SREQ_PARTIAL_READ);
	} else {
		s->flags |= SF_FAILED;
		s->error = -ENODATA;
		em_sreq(e, s, NFT_SREQ_SHORT);
	}
}

/*
 * 6.12 netfs_consume_read_data(), donations first: what the previous
 * subrequest could not finish of a folio it shares with this one.
 */
static void take_donations_612(struct nft_engine *e, struct sreq *s)
{
	if (!s->prev_donated && !s->next_donated)
		return;
	s->start -= s->prev_donated;
	s->len += s->prev_donated;
	s->transferred += s->prev_donated;
	s->prev_donated = 0;
	if (s->transferred == s->len) {
		s->len += s->next_donated;
		s->transferred += s->next_donated;
		s->next_donated = 0;
	}
	em_sreq(e, s, NFT_SREQ_ADD_DONATIONS);
}

/* The subrequest before @s on its stream, NULL for the head. */
static struct sreq *stream_prev(struct req *r, struct sreq *s)
{
	struct sreq *p;

	for (p = r->streams[s->stream].head; p && p->next != s; p = p->next)
		;
	return p;
}

/* Give the part of a shared folio @s cannot finish to the one before it. */
static void donate_to_prev_612(struct nft_engine *e, struct sreq *s,
			       struct sreq *prev, uint64_t excess)
{
	em_donate(e, s, prev->index, excess, excess == s->len ?
		  NFT_DONATE_TAIL_TO_PREV : NFT_DONATE_TO_PREV);
	prev->next_donated += excess;
	s->start += excess;
	s->len -= excess;
	s->transferred -= excess;
	em_sreq(e, s, NFT_SREQ_DONATE_TO_PREV);
}

/*
 * 6.12 netfs_consume_read_data(), order-0 folios: unlock each folio the
 * subrequest completes; a head that ends inside a folio donates the tail to
 * the next subrequest, or to the next one to be added when it is the last
 * so far (DON-N); one that starts inside a folio gives that part to the
 * previous one (DON-P).  Returns true when it left the stream (PUT
 * CONSUME).  A later slice that would unlock folios ahead of the head is
 * left to the assessment: the engine unlocks folios in order.
 */
static bool consume_612(struct nft_engine *e, struct sreq *s)
{
	struct req *r = s->req;
	struct sreq *prev = stream_prev(r, s), *to;
	uint64_t fend, pos, avail, excess;

	for (;;) {
		take_donations_612(e, s);
		pos = s->start + s->consumed;
		fend = (pos & ~(PAGE_SIZE_ - 1)) + PAGE_SIZE_;
		avail = s->transferred - s->consumed;
		if (s->transferred == s->len)
			avail += s->next_donated;
		/* The kernel traces each folio's step (netfs_progress). */
		em_progress(e, s, pos, avail < fend - pos ? avail : fend - pos,
			    avail, (pos - r->start) / PAGE_SIZE_ % 32);
		if (pos + avail < fend)
			break;
		if (pos & (PAGE_SIZE_ - 1)) {
			if (!prev)
				return false;	/* the kernel BUGs here */
			donate_to_prev_612(e, s, prev, fend - s->start);
		} else {
			if (prev)
				return false;
			s->consumed = fend - s->start;
			r->collected_to = r->streams[0].collected_to = fend;
			unlock_folios(e, r, false);
		}
		if (s->consumed >= s->len)
			goto remove;
	}
	if (s->transferred < s->len)
		return false;
	if (!s->consumed && prev) {
		/* Inside one folio and done first: all to the previous one. */
		donate_to_prev_612(e, s, prev, s->len);
		goto remove;
	}
	excess = s->len - s->consumed + s->next_donated;
	s->next_donated = 0;
	to = twin_donation_target(e, s);
	em_donate(e, s, to ? to->index : -1, excess,
		  to ? NFT_DONATE_TO_NEXT : NFT_DONATE_TO_DEFERRED_NEXT);
	if (to)
		to->prev_donated = excess;
	else
		r->prev_donated = excess;
	em_sreq(e, s, NFT_SREQ_DONATE_TO_NEXT);
	s->len = s->transferred = s->consumed;
remove:
	s->consumed = s->len;
	stream_remove(r, s);
	sreq_put(e, s, NFT_SREF_PUT_CONSUMED);
	return true;
}

/*
 * 6.12: a buffered read that ended validly short with CLEAR_TAIL (ZERO
 * slices, 9p) has its tail zeroed and counts as whole.  7.2 clears later,
 * in the collector, or has the slice filled before it terminates.
 */
static void clear_tail_612(struct nft_engine *e, struct sreq *s)
{
	if (!e->prof->donations || !buffered(s->req) || s->error ||
	    s->transferred >= s->len || !(s->flags & SF_CLEAR_TAIL))
		return;
	s->transferred = s->len;
	em_sreq(e, s, NFT_SREQ_CLEAR);
}

/* 6.12 netfs_read_termination_worker() */
static void assess_worker_612(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;

	act_worker(e, r);
	r->work_pending = false;
	em_rref(e, r, NFT_RREF_SEE_WORK);
	assess_612(e, r);
	req_put(e, r, NFT_RREF_PUT_WORK_COMPLETE);
}

/* Does this termination drop 6.12's nr_outstanding to zero? */
static bool last_outstanding_612(struct req *r)
{
	struct sreq *s;

	if (r->issuing || r->done)
		return false;
	for (s = r->streams[0].head; s; s = s->next)
		if (s->flags & SF_IN_PROGRESS)
			return false;
	return true;
}

/*
 * 6.12 netfs_rreq_terminated(): a termination in an async context (the
 * cache's read completion, was_async) queues the assessment on a work item
 * that holds a request ref (GET WORK, PUT WORK NQ if already queued); the
 * others assess inline.
 */
static void rreq_terminated_612(struct nft_engine *e, struct sreq *s)
{
	struct req *r = s->req;

	if (s->source != NFT_SRC_CACHE_READ || !last_outstanding_612(r)) {
		assess_612(e, r);
		return;
	}
	req_get(e, r, NFT_RREF_GET_WORK);
	if (r->work_pending) {
		req_put(e, r, NFT_RREF_PUT_WORK_NQ);
		return;
	}
	r->work_pending = true;
	sim_at(e, e->now + rng_range(e, 20, 120) * NS_PER_US, assess_worker_612,
	       r, NULL, 0);
}

/* netfs_read_subreq_terminated() */
static void read_terminated(struct nft_engine *e, struct sreq *s)
{
	struct req *r = s->req;
	bool consume;

	clear_tail_612(e, s);
	consume = e->prof->donations && buffered(r) && s->error == 0 &&
		  s->transferred >= s->len;
	terminated_status(e, s);
	/* 6.12's read side has no PAUSE (only its writes do). */
	if (e->prof->read_collector && (s->flags & (SF_FAILED | SF_NEED_RETRY))) {
		r->flags |= RF_PAUSE;
		em_rreq(e, r, NFT_RREQ_SET_PAUSE);
	}
	/* 6.12 consumes the data into the folios before TERM. */
	if (consume)
		consume = consume_612(e, s);
	em_sreq(e, s, NFT_SREQ_TERMINATED);
	sreq_idle(s);
	if (!e->prof->read_collector && s->error < 0)
		em_failure(e, r, s, NFT_FAIL_READ);
	if (!e->prof->read_collector) {
		/*
		 * 6.12: the termination that drops nr_outstanding to zero
		 * assesses in its own context before its put (PUT CLEAR of
		 * what is left, then PUT TERM, which may free the request).
		 * While the issuer still holds its count (a 9p read completes
		 * inside issue_read) the put comes first and the issuer
		 * assesses.
		 */
		if (consume || !r->issuing) {
			rreq_terminated_612(e, s);
			sreq_put(e, s, NFT_SREF_PUT_TERMINATED);
			return;
		}
		sreq_put(e, s, NFT_SREF_PUT_TERMINATED);
		assess_612(e, r);
		return;
	}
	if (r->flags & RF_OFFLOAD) {
		queue_collector(e, r);
	} else if (inj_target(e, r, INJ_LOST_WAKEUP)) {
		/* The app thread sleeps in WAIT-IP and this wake-up is lost. */
		em_rreq(e, r, NFT_RREQ_WAKE_QUEUE);
		truth(e, "stuck", r, -1);
		r->waiting = false;
		r->dead = true;
	} else {
		em_rreq(e, r, NFT_RREQ_WAKE_QUEUE);
		wake_waiter(e, r);
	}
	sreq_put(e, s, NFT_SREF_PUT_TERMINATED);
}

/* 7.x readahead drops its readahead refs once the first slice is issued. */
static void ra_put(struct nft_engine *e, struct req *r)
{
	if (r->flags & RF_RA_REFS) {
		em_rreq(e, r, NFT_RREQ_RA_PUT);
		r->flags &= ~RF_RA_REFS;
	}
}

static void io_done(struct nft_engine *e, struct qev *q)
{
	struct sreq *s = q->sreq;
	struct req *r = s->req;
	struct outcome oc;

	if (twin_crashed(r))
		return;
	if (e->sc->cifs && s->source == NFT_SRC_DOWNLOAD)
		act_server(e);
	else if (inj_target(e, r, INJ_LOST_WAKEUP))
		act_worker(e, r);	/* 9p's transport work */
	else
		act_app(e, r);
	backend_outcome(e, s, &oc);
	if (e->prof->donations && s->source == NFT_SRC_ZERO)
		oc.transferred = 0;	/* 6.12 zeroes it in the CLEAR step */
	/* v9fs_issue_read(): whatever a buffered read missed is zeroes. */
	if (!e->sc->cifs && s->source == NFT_SRC_DOWNLOAD && buffered(r))
		s->flags |= SF_CLEAR_TAIL;
	if (inj_target(e, r, INJ_RETRY_NO_PROGRESS) && s->index == 1 &&
	    s->retry_count < 6)
		oc.transferred = 0;
	if (inj_target(e, r, INJ_OVER_READ) && s->index == 1) {
		/* The fs reports more than it was asked for; nothing checks. */
		oc.transferred = s->len - s->transferred + PAGE_SIZE_;
		truth(e, "over-read", r, s->index);
	}
	s->transferred += oc.transferred;
	s->error = oc.error;
	if (oc.transferred)
		s->flags |= SF_MADE_PROGRESS;
	if (e->sc->cifs && s->source == NFT_SRC_DOWNLOAD) {
		if (oc.fs_retry) {
			if (e->prof->traces_616)
				em_sreq(e, s, NFT_SREQ_IO_RETRY_NEEDED);
			s->flags |= SF_NEED_RETRY;
		}
		em_sreq(e, s, NFT_SREQ_IO_PROGRESS);
	}
	s->slot = e->prof->sreq_slot ?
		  (int)((s->start + s->transferred) / 0x1000 % 32) : 0;
	read_terminated(e, s);
	if (q->arg)
		ra_put(e, r);
	if (q->arg && r->issuing)
		sim_at(e, e->now + rng_range(e, 2, 10) * NS_PER_US, issue_next,
		       r, NULL, 0);
}

/* netfs_issue_read(): ZERO fills inline, the rest completes later. */
void read_issue(struct nft_engine *e, struct sreq *s, bool resubmit)
{
	struct req *r = s->req;
	/*
	 * A lost wake-up needs a sleeper: the injected read completes
	 * asynchronously, after the app thread went into WAIT-IP.
	 */
	bool sync = !e->sc->cifs && s->source == NFT_SRC_DOWNLOAD &&
		    !inj_target(e, r, INJ_LOST_WAKEUP) && !twin_async_read(e, r);

	sreq_busy(s);
	if (s->source == NFT_SRC_ZERO) {
		s->flags |= SF_CLEAR_TAIL;
		if (twin_async_read(e, r) && !resubmit) {
			sim_at(e, e->now + twin_zero_delay(e, r), io_done, r, s, 0);
			sim_at(e, e->now + rng_range(e, 3, 15) * NS_PER_US,
			       issue_next, r, NULL, 0);
			return;
		}
		sim_at(e, e->now + 2 * NS_PER_US, io_done, r, s, !resubmit);
		return;
	}
	sim_at(e, e->now + backend_latency(e), io_done, r, s, sync && !resubmit);
	if (!sync && !resubmit)
		sim_at(e, e->now + rng_range(e, 3, 15) * NS_PER_US, issue_next, r,
		       NULL, 0);
}

static int pick_source(struct nft_engine *e, struct req *r, uint64_t pos)
{
	if (pos >= r->i_size)
		return NFT_SRC_ZERO;
	if (e->sc->cache && buffered(r) && e->sc->cache_hit > 0 &&
	    rng_unit(e) < e->sc->cache_hit)
		return NFT_SRC_CACHE_READ;
	return NFT_SRC_DOWNLOAD;
}

static void issue_done(struct nft_engine *e, struct req *r)
{
	r->issuing = false;
	if (r->origin == NFT_ORIGIN_RA) {
		op_finished(e, r);
		req_put(e, r, NFT_RREF_PUT_RETURN);
		return;
	}
	app_wake(e, r, 2, 10);
}

/*
 * 6.14+ netfs_cache_prepare_read(): with a cache attached, the cache picks
 * the source of each slice and the subrequest is traced PREP right after,
 * still unsourced and covering the whole rest (before the zero point and
 * rsize trim it).  6.12 traces nothing there.
 */
static void cache_prepare_read(struct nft_engine *e, struct sreq *s,
			       uint64_t rest)
{
	uint64_t len = s->len;

	s->source = NFT_SRC_UNKNOWN_SOURCE;
	s->len = rest;
	em_sreq(e, s, NFT_SREQ_PREPARE);
	s->len = len;
}

/* One slice of netfs_read_to_pagecache(). */
static void issue_next(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	uint64_t pos = r->issue_pos, end = r->start + r->len, len;
	int source = pick_source(e, r, pos);
	struct sreq *s;

	if (twin_crashed(r))
		return;
	act_app(e, r);
	if (twin_defer_zero(e, r)) {
		sim_at(e, e->now + 100 * NS_PER_US, issue_next, r, NULL, 0);
		return;
	}
	if (pos >= end || r->dead) {
		issue_done(e, r);
		return;
	}
	len = end - pos;
	if (source == NFT_SRC_DOWNLOAD) {
		if (pos + len > r->i_size)
			len = r->i_size - pos;
		if (len > backend_max_len(e, r, 0))
			len = backend_max_len(e, r, 0);
	}
	len = twin_slice_len(e, r, source, pos, len);
	s = sreq_alloc(e, r, 0, e->prof->read_collector || !buffered(r) ? source :
		       NFT_SRC_UNKNOWN_SOURCE, pos, len);
	/* 6.12: added with the donation the last one deferred to it. */
	s->prev_donated = r->prev_donated;
	r->prev_donated = 0;
	if (!e->prof->read_collector ||
	    (!buffered(r) && feat(e, NFT_ENGINE_F_DIO_READ_ADD)))
		em_sreq(e, s, NFT_SREQ_ADDED);
	else if (e->sc->cache && buffered(r))
		cache_prepare_read(e, s, end - pos);
	s->source = source;
	if (e->prof->read_collector)
		sreq_busy(s);
	if (source == NFT_SRC_DOWNLOAD && (e->sc->cifs || !buffered(r)))
		em_sreq(e, s, NFT_SREQ_PREPARE);
	if (pos + len >= end && twin_all_queued_race(e, r, s))
		return;
	if (source != NFT_SRC_DOWNLOAD || e->sc->cifs)
		em_sreq(e, s, NFT_SREQ_SUBMIT);
	r->issue_pos = pos + len;
	if (r->issue_pos >= end)
		r->flags |= RF_ALL_QUEUED;
	stream_append(r, s);
	read_issue(e, s, false);
	if (e->sc->cifs || source != NFT_SRC_DOWNLOAD)
		ra_put(e, r);
}

static int read_trace_of(const struct req *r)
{
	switch (r->origin) {
	case NFT_ORIGIN_RA:
		return NFT_RD_READAHEAD;
	case NFT_ORIGIN_RW:
		return NFT_RD_WRITE_BEGIN;
	case NFT_ORIGIN_R1:
		return NFT_RD_READ_SINGLE;
	case NFT_ORIGIN_DR:
	case NFT_ORIGIN_UR:
		return NFT_RD_DIO_READ;
	default:
		return NFT_RD_READPAGE;
	}
}

void read_start(struct nft_engine *e, struct req *r)
{
	uint64_t ix;

	twin_read_start(e, r);
	if (r->origin == NFT_ORIGIN_RA && e->prof->app_collects)
		r->flags |= RF_OFFLOAD;
	if (r->origin == NFT_ORIGIN_RA && feat(e, NFT_ENGINE_F_RA_REFS))
		r->flags |= RF_RA_REFS;
	if (r->origin == NFT_ORIGIN_RW)
		r->flags |= RF_NO_UNLOCK;
	sim_tick(e, 5000, 40000);
	fc_begin_io(e, r);
	em_read(e, r, read_trace_of(r));
	if (buffered(r))
		for (ix = r->start / PAGE_SIZE_;
		     ix < (r->start + r->len) / PAGE_SIZE_; ix++)
			em_folio(e, ix, NFT_FOLIO_READ);
	r->issue_pos = r->start;
	r->issuing = true;
	sim_at(e, e->now + rng_range(e, 20, 100) * NS_PER_US, issue_next, r,
	       NULL, 0);
}

/*
 * netfs_wait_for_read(): the app thread collects when it is not offloaded
 * (6.14+), and sleeps on the waitqueue in between.
 */
void app_wait(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;

	act_app(e, r);
	r->wait_pending = false;
	if (r->dead || r->issuing)
		return;
	/* Awake: a completion we collect ourselves must not wake us again. */
	r->waiting = false;
	if (!r->done && e->prof->app_collects && !(r->flags & RF_OFFLOAD)) {
		struct sreq *h = r->streams[0].head;

		/* Only when the head has something to collect. */
		if (!h || !(h->flags & SF_IN_PROGRESS)) {
			if (r->write)
				write_collect(e, r);
			else
				read_collect(e, r);
		}
	}
	if (r->dead)
		return;
	if (!r->done) {
		if (!r->wait_traced)
			em_rreq(e, r, NFT_RREQ_WAIT_IP);
		r->wait_traced = true;
		r->waiting = true;
		return;
	}
	r->waiting = false;
	if (e->prof->in_progress_owns_ref) {
		if (!(r->flags & RF_OFFLOAD))
			req_put(e, r, NFT_RREF_PUT_WORK_IP);
		em_rreq(e, r, NFT_RREQ_WAITED_IP);
	} else if (!r->write && !r->wait_traced) {
		em_rreq(e, r, NFT_RREQ_WAIT_IP);
	}
	op_finished(e, r);
	req_put(e, r, NFT_RREF_PUT_RETURN);
}
