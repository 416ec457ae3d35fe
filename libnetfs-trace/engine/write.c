// SPDX-License-Identifier: GPL-2.0
/*
 * The write side: the issuer (netfs_writepages / netfs_advance_write with
 * an upload stream and a cache stream), subrequest termination
 * (netfs_write_subrequest_terminated), the collector
 * (netfs_collect_write_results / netfs_write_collection) and the 6.18+
 * strictly sequential unbuffered/DIO writer (direct_write.c).
 */
#include <errno.h>

#include "internal.h"

static void issue_next(struct nft_engine *e, struct qev *q);
static void seq_after(struct nft_engine *e, struct qev *q);

static bool unbuffered(const struct req *r)
{
	return r->origin == NFT_ORIGIN_DW || r->origin == NFT_ORIGIN_UW;
}

static bool sequential(struct nft_engine *e, const struct req *r)
{
	return feat(e, NFT_ENGINE_F_SEQ_DIO_WRITE) && unbuffered(r);
}

static bool pagecache(const struct req *r)
{
	return r->origin == NFT_ORIGIN_WB || r->origin == NFT_ORIGIN_WT ||
	       r->origin == NFT_ORIGIN_C2C;
}

/* netfs_write_subrequest_terminated() */
static void write_terminated(struct nft_engine *e, struct sreq *s,
			     const struct outcome *oc)
{
	struct req *r = s->req;

	if (oc->error) {
		s->error = oc->error;
		s->flags |= oc->error == -EAGAIN ? SF_NEED_RETRY : SF_FAILED;
		em_failure(e, r, s, NFT_FAIL_WRITE);
		r->flags |= RF_PAUSE;
		em_rreq(e, r, NFT_RREQ_SET_PAUSE);
	} else {
		s->transferred += oc->transferred;
		s->error = 0;
		if (oc->transferred)
			s->flags |= SF_MADE_PROGRESS;
		if (s->transferred < s->len)
			s->flags |= SF_NEED_RETRY;
	}
	s->slot = e->prof->sreq_slot ? (int)(rng_next(e) % 256) : 0;
	em_sreq(e, s, NFT_SREQ_TERMINATED);
	sreq_idle(s);
	if (sequential(e, r)) {
		em_rreq(e, r, NFT_RREQ_WAKE_QUEUE);
	} else if (e->prof->app_collects && !(r->flags & RF_OFFLOAD)) {
		/*
		 * 6.16 netfs_subreq_clear_in_progress(): the app thread
		 * collects, and only the head of the stream wakes it, or
		 * any termination while a retry waits for the stream.
		 */
		if (r->streams[s->stream].head == s || (r->flags & RF_RETRYING)) {
			em_rreq(e, r, NFT_RREQ_WAKE_QUEUE);
			if (r->waiting)
				app_wake(e, r, 5, 40);
		}
	} else {
		queue_collector(e, r);
	}
	sreq_put(e, s, NFT_SREF_PUT_TERMINATED);
}

static void io_done(struct nft_engine *e, struct qev *q)
{
	struct sreq *s = q->sreq;
	struct req *r = s->req;
	struct outcome oc;

	if (s->stream == 1)
		act_worker(e, r);
	else if (e->sc->cifs)
		act_server(e);
	else
		act_app(e, r);
	backend_outcome(e, s, &oc);
	if (e->sc->cifs && s->stream == 0 && !oc.error)
		em_sreq(e, s, NFT_SREQ_IO_PROGRESS);
	write_terminated(e, s, &oc);
	if (r->dead)
		return;
	if (sequential(e, r))
		sim_at(e, e->now + rng_range(e, 2, 10) * NS_PER_US, seq_after, r,
		       s, 0);
	else if (q->arg && r->issuing)
		sim_at(e, e->now + rng_range(e, 2, 10) * NS_PER_US, issue_next,
		       r, NULL, 0);
}

/*
 * netfs_wait_for_in_progress_stream(), 6.18+ sequential writer: the app
 * thread waits right after issue_write() returns.  A 9p write completed
 * inside it (nothing to wait for: only DONE-QUIESCE follows); a cifs one
 * is still on the wire (WAIT-QUIESCE, then _WAIT before it sleeps).
 */
static void seq_wait(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	struct sreq *s = r->streams[0].head;

	act_app(e, r);
	if (r->dead || !s || !(s->flags & SF_IN_PROGRESS))
		return;
	em_rreq(e, r, NFT_RREQ_WAIT_QUIESCE);
	em_sreq(e, s, NFT_SREQ_WAIT_FOR);
}

/* netfs_do_issue_write(): SUBMT, then the fs or the cache does the I/O. */
void write_issue(struct nft_engine *e, struct sreq *s, bool resubmit)
{
	struct req *r = s->req;
	bool sync = !e->sc->cifs && s->stream == 0;

	sreq_busy(s);
	em_sreq(e, s, NFT_SREQ_SUBMIT);
	if (s->stream == 1 && e->prof->traces_616) {
		/* 6.16+ cachefiles traces its own prepare and write. */
		em_sreq(e, s, NFT_SREQ_CACHE_PREPARE);
		em_sreq(e, s, NFT_SREQ_CACHE_WRITE);
	}
	sim_at(e, e->now + backend_latency(e), io_done, r, s, sync && !resubmit);
	if (sequential(e, r) && !sync)
		sim_at(e, e->now + NS_PER_US, seq_wait, r, NULL, 0);
	if (!sync && !resubmit && !sequential(e, r) && s->stream == 0)
		sim_at(e, e->now + rng_range(e, 3, 15) * NS_PER_US, issue_next, r,
		       NULL, 0);
}

/*
 * netfs_prepare_write(): a new subrequest at @pos on stream @nr.  It is on
 * the stream at once, so the collector stops at it until it is issued.
 */
static struct sreq *prepare_write(struct nft_engine *e, struct req *r, int nr,
				  uint64_t pos, uint64_t len)
{
	struct sreq *s;

	s = sreq_alloc(e, r, nr, nr ? NFT_SRC_CACHE_WRITE : NFT_SRC_UPLOAD, pos, 0);
	em_sreq(e, s, NFT_SREQ_PREPARE);
	sreq_busy(s);
	s->len = len;
	stream_append(r, s);
	r->streams[nr].issued_to = pos + len;
	return s;
}

/* netfs_issue_write(): send what stream @nr has gathered.  Was it 0's? */
static bool issue_construct(struct nft_engine *e, struct req *r, int nr)
{
	struct sreq *s = r->streams[nr].construct;

	if (!s)
		return false;
	r->streams[nr].construct = NULL;
	write_issue(e, s, false);
	return nr == 0;
}

static void finish_issue(struct nft_engine *e, struct req *r)
{
	r->issuing = false;
	r->flags |= RF_ALL_QUEUED;
	if (pagecache(r)) {
		op_finished(e, r);
		req_put(e, r, NFT_RREF_PUT_RETURN);
		return;
	}
	app_wake(e, r, 2, 10);
}

/*
 * netfs_write_folio() / netfs_advance_write(), a run of folios at a time:
 * each stream opens a subrequest where it has none (PREP), takes the run,
 * and is issued once full (wsize for the upload, cache_wsize for the
 * cache), stream 0 first; the end of the range issues what is left.  A
 * run ends where the first of the streams' subrequests fills up.
 */
static void issue_next(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	uint64_t pos = r->issue_pos, end = r->start + r->len, len, ix;
	bool cont = false;
	struct stream *st;
	int nr;

	act_app(e, r);
	if (r->dead)
		return;
	if (pos >= end) {
		finish_issue(e, r);
		return;
	}
	len = end - pos;
	for (nr = 0; nr < 2; nr++) {
		st = &r->streams[nr];
		if (!st->avail)
			continue;
		if (!st->construct)
			st->construct = prepare_write(e, r, nr, pos, 0);
		if (len > backend_max_len(e, r, nr) - st->construct->len)
			len = backend_max_len(e, r, nr) - st->construct->len;
	}
	if (pagecache(r))
		for (ix = pos / PAGE_SIZE_; ix * PAGE_SIZE_ < pos + len; ix++)
			em_folio(e, ix, ix * PAGE_SIZE_ == r->start ?
				 NFT_FOLIO_STORE : NFT_FOLIO_STORE_PLUS);
	r->issue_pos = pos + len;
	if (r->issue_pos >= end && !sequential(e, r))
		r->flags |= RF_ALL_QUEUED;
	for (nr = 0; nr < 2; nr++) {
		st = &r->streams[nr];
		if (!st->construct)
			continue;
		st->construct->len += len;
		st->issued_to = r->issue_pos;
		if (st->construct->len >= backend_max_len(e, r, nr) ||
		    r->issue_pos >= end)
			cont |= issue_construct(e, r, nr);
	}
	/* An issued upload resumes the loop when it is sent (write_issue()). */
	if (!cont)
		sim_at(e, e->now + rng_range(e, 3, 15) * NS_PER_US, issue_next, r,
		       NULL, 0);
}

/* netfs_write_collection(): all queued, all streams empty. */
static void write_done(struct nft_engine *e, struct req *r)
{
	em_rreq(e, r, NFT_RREQ_WRITE_DONE);
	if (r->streams[1].failed &&
	    inj_target(e, r, INJ_CACHE_WRITE_NO_INVALIDATE)) {
		/* ictx->ops->invalidate_cache is NULL: the collector oopses. */
		truth(e, "stuck", r, -1);
		r->dead = true;
		return;
	}
	if (!e->prof->wake_after_clear)
		em_rreq(e, r, NFT_RREQ_WAKE_IP);
	r->flags &= ~RF_IN_PROGRESS;
	if (e->prof->wake_after_clear)
		em_rreq(e, r, NFT_RREQ_WAKE_IP);
	r->done = true;
	if (r->waiting)
		app_wake(e, r, 5, 40);
}

static bool collect_stream(struct nft_engine *e, struct req *r, int nr)
{
	struct stream *st = &r->streams[nr];
	struct sreq *s;
	bool progress = false;

	while ((s = st->head) && !(s->flags & SF_IN_PROGRESS)) {
		em_collect_sreq(e, s);
		if (s->flags & SF_NEED_RETRY) {
			st->need_retry = true;
			break;
		}
		st->collected_to = s->start + s->transferred;
		if (s->flags & SF_FAILED) {
			st->failed = true;
			st->collected_to = s->start + s->len;
			if (!r->error)
				r->error = s->error;
		}
		stream_remove_head(r, nr);
		sreq_put(e, s, st->failed ? NFT_SREF_PUT_CANCEL : NFT_SREF_PUT_DONE);
		progress = true;
	}
	if (st->head)
		em_collect_sreq(e, st->head);
	else if (st->issued_to > st->collected_to && (r->flags & RF_ALL_QUEUED)) {
		em_collect_gap(e, r, nr, st->collected_to, st->issued_to, 'E');
		st->collected_to = st->issued_to;
	}
	em_collect_stream(e, r, nr);
	return progress;
}

/* netfs_collect_write_results() */
void write_collect(struct nft_engine *e, struct req *r)
{
	uint64_t to = UINT64_MAX;
	bool progress = false, retry = false;
	int nr;

	em_collect(e, r);
	em_rreq(e, r, NFT_RREQ_COLLECT);
	for (nr = 0; nr < 2; nr++) {
		if (!r->streams[nr].active)
			continue;
		progress |= collect_stream(e, r, nr);
		retry |= r->streams[nr].need_retry;
		if (r->streams[nr].collected_to < to)
			to = r->streams[nr].collected_to;
	}
	if (to != UINT64_MAX && to > r->collected_to)
		r->collected_to = to;
	if (pagecache(r))
		while (r->cleaned_to + PAGE_SIZE_ <= r->collected_to) {
			em_folio(e, r->cleaned_to / PAGE_SIZE_, NFT_FOLIO_CLEAR);
			r->cleaned_to += PAGE_SIZE_;
		}
	else
		r->cleaned_to = r->collected_to;
	em_collect_state(e, r, retry ? 0x5 : 0x8);
	if (retry) {
		retry_writes(e, r);
		return;
	}
	if (progress && (r->flags & RF_PAUSE)) {
		r->flags &= ~RF_PAUSE;
		em_rreq(e, r, NFT_RREQ_UNPAUSE);
	}
	if ((r->flags & RF_ALL_QUEUED) && !r->streams[0].head &&
	    !r->streams[1].head && !r->done)
		write_done(e, r);
}

/* ---- 6.18+ unbuffered/DIO write: one subrequest at a time ---- */

static void seq_finish(struct nft_engine *e, struct req *r)
{
	r->issuing = false;
	r->flags |= RF_ALL_QUEUED;
	em_rreq(e, r, NFT_RREQ_WRITE_DONE);
	r->flags &= ~RF_IN_PROGRESS;
	em_rreq(e, r, NFT_RREQ_WAKE_IP);
	r->done = true;
	req_put(e, r, NFT_RREF_PUT_COMPLETE);
	op_finished(e, r);
	req_put(e, r, NFT_RREF_PUT_RETURN);
}

static void seq_next(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	uint64_t pos = r->start + r->transferred, len;

	act_app(e, r);
	if (pos >= r->start + r->len || (r->flags & RF_FAILED)) {
		seq_finish(e, r);
		return;
	}
	len = r->start + r->len - pos;
	if (len > backend_max_len(e, r, 0))
		len = backend_max_len(e, r, 0);
	write_issue(e, prepare_write(e, r, 0, pos, len), false);
}

/* netfs_unbuffered_write(): after each subrequest quiesces. */
static void seq_after(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	struct sreq *s = r->streams[0].head;

	act_app(e, r);
	em_rreq(e, r, NFT_RREQ_WAITED_QUIESCE);
	if (s->flags & SF_NEED_RETRY) {
		retry_writes(e, r);
		return;
	}
	em_collect_sreq(e, s);
	if (s->flags & SF_FAILED) {
		r->flags |= RF_FAILED;
		r->error = s->error;
		em_sref(e, s, NFT_SREF_SEE_FAILED);
	}
	r->transferred += s->transferred;
	r->collected_to = r->streams[0].collected_to = s->start + s->transferred;
	stream_remove_head(r, 0);
	sreq_put(e, s, s->error ? NFT_SREF_PUT_CANCEL : NFT_SREF_PUT_DONE);
	em_collect_stream(e, r, 0);
	em_collect_state(e, r, 0);
	sim_at(e, e->now + rng_range(e, 5, 40) * NS_PER_US, seq_next, r, NULL, 0);
}

static int write_trace_of(const struct req *r)
{
	switch (r->origin) {
	case NFT_ORIGIN_DW:
		return NFT_WR_DIO_WRITE;
	case NFT_ORIGIN_UW:
		return NFT_WR_UNBUFFERED_WRITE;
	case NFT_ORIGIN_WT:
		return NFT_WR_WRITETHROUGH;
	case NFT_ORIGIN_C2C:
		return NFT_WR_COPY_TO_CACHE;
	default:
		return NFT_WR_WRITEBACK;
	}
}

/* netfs_create_write_req() + the start of the issuing loop. */
void write_start(struct nft_engine *e, struct req *r)
{
	bool dio = unbuffered(r);

	if (r->origin != NFT_ORIGIN_C2C) {
		r->flags |= RF_UPLOAD;
		r->streams[0].avail = true;
	}
	if (dio)
		r->flags |= RF_IO_ITER;
	/* A synchronous DIO write collects in the app thread. */
	if (e->prof->app_collects && !dio)
		r->flags |= RF_OFFLOAD;
	/* Copy-to-cache exists only with a cache: it always has stream 1. */
	r->streams[1].avail = (e->sc->cache || r->origin == NFT_ORIGIN_C2C ||
			       (r->sop && r->sop->cache_fail)) && !dio;
	r->streams[0].collected_to = r->streams[1].collected_to = r->start;
	sim_tick(e, 5000, 25000);
	fc_begin_io(e, r);
	em_write(e, r, write_trace_of(r));
	r->issue_pos = r->start;
	r->issuing = true;
	sim_at(e, e->now + rng_range(e, 10, 60) * NS_PER_US,
	       sequential(e, r) ? seq_next : issue_next, r, NULL, 0);
}
