// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and subrequests: allocation, the ref gets and puts with the
 * kernel's reasons (fs/netfs/objects.c), stream lists and the collector work
 * item (netfs_wake_collector / the collection worker).
 */
#include <stdlib.h>

#include "internal.h"

static int origin_of(struct nft_engine *e, enum op_type op)
{
	static const int o72[OP__NR] = {
		[OP_READAHEAD] = NFT_ORIGIN_RA, [OP_READ_FOLIO] = NFT_ORIGIN_RP,
		[OP_WRITE_BEGIN] = NFT_ORIGIN_RW, [OP_DIO_READ] = NFT_ORIGIN_DR,
		[OP_UNBUFFERED_READ] = NFT_ORIGIN_UR,
		[OP_READ_SINGLE] = NFT_ORIGIN_R1, [OP_WRITEBACK] = NFT_ORIGIN_WB,
		[OP_WRITETHROUGH] = NFT_ORIGIN_WT, [OP_DIO_WRITE] = NFT_ORIGIN_DW,
		[OP_UNBUFFERED_WRITE] = NFT_ORIGIN_UW,
		[OP_COPY_TO_CACHE] = NFT_ORIGIN_C2C,
	};

	/* 6.12 had neither UR nor R1: those went through DR and RP. */
	if (!e->prof->unbuffered_read_origin && op == OP_UNBUFFERED_READ)
		return NFT_ORIGIN_DR;
	if (!e->prof->read_single && op == OP_READ_SINGLE)
		return NFT_ORIGIN_RP;
	return o72[op];
}

bool is_worker(const struct nft_engine *e)
{
	return e->cur.pid == 12 || e->cur.pid == 29;
}

/* netfs_alloc_request() */
struct req *req_alloc(struct nft_engine *e, enum op_type op, uint64_t start,
		      uint64_t len, const struct sc_op *sop, int app)
{
	struct req *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->id = e->next_id++;
	r->op = op;
	r->origin = origin_of(e, op);
	r->write = op >= OP_WRITEBACK;
	r->start = start;
	r->len = len;
	r->i_size = e->sc->i_size;
	r->collected_to = r->cleaned_to = start;
	r->sop = sop;
	r->app = app;
	r->fault_left = sop ? sop->fault_times : 0;
	r->flags = RF_IN_PROGRESS;
	/* 6.16+: born with the caller's ref plus the one IN_PROGRESS owns. */
	r->ref = e->prof->rreq_new_ref;
	r->lnext = e->live_head;
	if (r->lnext)
		r->lnext->lprev = r;
	e->live_head = r;
	e->st.requests++;
	if (++e->live > e->st.peak_live)
		e->st.peak_live = e->live;
	em_rref(e, r, NFT_RREF_NEW);
	return r;
}

void req_get(struct nft_engine *e, struct req *r, int what)
{
	r->ref++;
	em_rref(e, r, what);
}

static void req_free_now(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;

	if (q->arg == 1)
		act_worker(e, r);
	/* 7.2 writeback: the collection work sees the request once more. */
	if (q->arg == 2)
		em_rref(e, r, NFT_RREF_SEE_WORK);
	r->freed = true;
	em_rreq(e, r, NFT_RREQ_FREE);
	fc_end_io(e, r);
	if (inj_target(e, r, INJ_FREE_WITH_WORK_QUEUED)) {
		/* The work item queued before the free still runs. */
		sim_at(e, e->now + 20 * NS_PER_US, run_worker, r, NULL, 1);
		return;
	}
	req_retire(e, r);
}

/*
 * netfs_put_request(): the last put frees through a work item unless it
 * already runs in one (cleanup_work in 6.16+, RA completion on 6.12).
 */
void req_put(struct nft_engine *e, struct req *r, int what)
{
	bool in_worker = is_worker(e);
	bool defer;

	r->ref--;
	em_rref(e, r, what);
	if (r->ref)
		return;
	defer = e->prof->in_progress_owns_ref ? !in_worker :
		r->origin == NFT_ORIGIN_RA && !in_worker;
	if (defer) {
		sim_at(e, e->now + rng_range(e, 30, 200) * NS_PER_US,
		       req_free_now, r, NULL, 1);
	} else {
		struct qev q = { .req = r, .arg = e->prof->in_progress_owns_ref &&
					       r->write && in_worker ? 2 : 0 };

		sim_tick(e, 1000, 20000);
		req_free_now(e, &q);
	}
}

/* netfs_alloc_subrequest(): two refs, the list's and the in-flight one. */
struct sreq *sreq_alloc(struct nft_engine *e, struct req *r, int stream,
			int source, uint64_t start, uint64_t len)
{
	struct sreq *s = calloc(1, sizeof(*s));

	if (!s)
		abort();
	s->req = r;
	s->index = ++r->subreq_counter;
	s->stream = stream;
	s->source = source;
	s->start = start;
	s->len = len;
	s->ref = 2;
	s->all_next = r->all;
	if (r->all)
		r->all->all_pprev = &s->all_next;
	s->all_pprev = &r->all;
	r->all = s;
	e->st.subreqs++;
	req_get(e, r, NFT_RREF_GET_SUBREQ);
	return s;
}

static void unlink_sreq(struct sreq *s)
{
	*s->all_pprev = s->all_next;
	if (s->all_next)
		s->all_next->all_pprev = s->all_pprev;
}

void sreq_get(struct nft_engine *e, struct sreq *s, int what)
{
	s->ref++;
	em_sref(e, s, what);
}

/* netfs_put_subrequest() -> netfs_free_subrequest() at zero. */
void sreq_put(struct nft_engine *e, struct sreq *s, int what)
{
	struct req *r = s->req;

	s->ref--;
	em_sref(e, s, what);
	if (s->ref)
		return;
	em_sreq(e, s, NFT_SREQ_FREE);
	if (s->flags & SF_IN_PROGRESS)
		r->busy[s->stream]--;
	unlink_sreq(s);
	free(s);
	req_put(e, r, NFT_RREF_PUT_SUBREQ);
}

void stream_append(struct req *r, struct sreq *s)
{
	struct stream *st = &r->streams[s->stream];

	if (st->tail)
		st->tail->next = s;
	else
		st->head = s;
	st->tail = s;
	st->active = true;
}

void stream_remove_head(struct req *r, int stream)
{
	struct stream *st = &r->streams[stream];

	st->head = st->head->next;
	if (!st->head)
		st->tail = NULL;
}

/* Unlink @s wherever it is on its stream (6.12 consumes out of order). */
void stream_remove(struct req *r, struct sreq *s)
{
	struct stream *st = &r->streams[s->stream];
	struct sreq **pp, *prev = NULL;

	for (pp = &st->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp != s)
			continue;
		*pp = s->next;
		if (st->tail == s)
			st->tail = prev;
		s->next = NULL;
		return;
	}
}

/* Drop the model object; leaked or stuck ones wait for the end of the run. */
void req_retire(struct nft_engine *e, struct req *r)
{
	struct sreq *s;

	if (r->lprev)
		r->lprev->lnext = r->lnext;
	else
		e->live_head = r->lnext;
	if (r->lnext)
		r->lnext->lprev = r->lprev;
	while ((s = r->all)) {
		r->all = s->all_next;
		free(s);
	}
	e->live--;
	free(r);
}

/* End of run: whatever leaked or got stuck. */
void req_free_all(struct nft_engine *e)
{
	while (e->live_head)
		req_retire(e, e->live_head);
}

/*
 * Every netfs_failure line, and every subrequest line that ends one with an
 * error (TERM, ABNDN, FAIL), is a "failure" finding for the object the line
 * names: the subrequest, or the request when the index is -1.  One finding
 * per object however many lines repeat it.
 */
void note_failure(struct nft_engine *e, struct req *r, struct sreq *s)
{
	bool *seen = s ? &s->failure_reported : &r->failure_reported;

	if (*seen)
		return;
	*seen = true;
	truth(e, "failure", r, s ? s->index : -1);
}

/*
 * netfs_wake_collector(): offloaded requests queue the work item (6.12
 * takes a ref for it: GET WORK, PUT WORK NQ if already queued).
 */
void queue_collector(struct nft_engine *e, struct req *r)
{
	if (r->work_pending) {
		if (e->prof->work_refs == NFT_WORK_REFS_GET_WORK) {
			req_get(e, r, NFT_RREF_GET_WORK);
			req_put(e, r, NFT_RREF_PUT_WORK_NQ);
		}
		return;
	}
	r->work_pending = true;
	if (e->prof->work_refs == NFT_WORK_REFS_GET_WORK)
		req_get(e, r, NFT_RREF_GET_WORK);
	sim_at(e, e->now + rng_range(e, 20, 120) * NS_PER_US, run_worker, r,
	       NULL, 0);
}

/* The collection work function (netfs_{read,write}_collection_worker). */
void run_worker(struct nft_engine *e, struct qev *q)
{
	struct req *r = q->req;
	bool done;

	act_worker(e, r);
	if (q->arg) {
		/* Injected: the request was freed under a queued work item. */
		em_rref(e, r, NFT_RREF_SEE_WORK);
		em_rreq(e, r, NFT_RREQ_COLLECT);
		truth(e, "use-after-free", r, -1);
		req_retire(e, r);
		return;
	}
	r->work_pending = false;
	if (r->done || r->dead) {
		twin_late_work(e, r);
		return;
	}
	em_rref(e, r, NFT_RREF_SEE_WORK);
	if (r->write)
		write_collect(e, r);
	else
		read_collect(e, r);
	done = r->done;
	if (r->dead)
		return;
	if (e->prof->work_refs == NFT_WORK_REFS_GET_WORK)
		req_put(e, r, done && r->write ? NFT_RREF_PUT_WORK_COMPLETE :
			NFT_RREF_PUT_WORK);
	else if (done)
		req_put(e, r, NFT_RREF_PUT_WORK_IP);
	else if (!r->write)
		em_rref(e, r, NFT_RREF_SEE_WORK_COMPLETE);
}
