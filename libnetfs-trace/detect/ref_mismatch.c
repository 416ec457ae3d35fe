// SPDX-License-Identifier: GPL-2.0
/*
 * ref-mismatch: counts the kernel printed that no order of an object's ref
 * lines chains (refs.c), and a count printed as negative/huge, i.e. an
 * underflow.
 *
 * A line can come any time after its atomic (a CPU preempted or a vCPU
 * stalled between the two: __refcount_inc/__refcount_dec_and_test in
 * fs/netfs/objects.c and the trace_netfs_*_ref() after them), so a ledger
 * is judged only when no more of its lines can come: at the end of the
 * input.  A freed object whose entries no order explains yet is parked for
 * a late line; the parking is bounded (NFT_PARKED_MAX), the oldest being
 * judged when it is full, so a live session's memory stays bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model_internal.h"
#include "../util.h"

#define NFT_PARKED_MAX 1024

static void mismatch(struct nft_model *m, const char *object,
		     struct nft_ledger *l, uint32_t bad, const char *why,
		     bool uncertain, struct nft_request *req,
		     struct nft_subreq *sreq)
{
	struct nft_evidence lines[2];
	size_t n = 0;

	if (bad >= l->n) {
		if (l->n)
			lines[n++] = (struct nft_evidence){
				l->v[l->n - 1].pos, l->v[l->n - 1].ts_ns };
		nft_report(m, NFT_FIND_REF_MISMATCH, req, sreq, object,
			   uncertain, lines, n, "%s: %s", object, why);
		return;
	}
	if (bad > 0)
		lines[n++] = (struct nft_evidence){ l->v[bad - 1].pos,
						    l->v[bad - 1].ts_ns };
	lines[n++] = (struct nft_evidence){ l->v[bad].pos, l->v[bad].ts_ns };
	nft_report(m, NFT_FIND_REF_MISMATCH, req, sreq, object, uncertain,
		   lines, n, "%s: %s printed r=%d at line %llu, but %s",
		   object, nft_sym_name(l->v[bad].cls, l->v[bad].what),
		   l->v[bad].printed, (unsigned long long)l->v[bad].pos, why);
}

/* An underflow shows at once: a count is never negative. */
static void ref_entry(struct nft_model *m, const char *object,
		      struct nft_ledger *l, enum nft_ledger_verdict verdict,
		      uint32_t bad, bool uncertain, struct nft_request *req,
		      struct nft_subreq *sreq)
{
	const struct nft_ref_entry *last = l->n ? &l->v[l->n - 1] : NULL;
	char name[NFT_OBJECT_LEN];
	struct nft_evidence line;

	(void)verdict;
	(void)bad;
	if (!last || last->printed >= 0)
		return;
	if (!object) {
		nft_req_object(req, sreq, name);
		object = name;
	}
	line = (struct nft_evidence){ last->pos, last->ts_ns };
	nft_report(m, NFT_FIND_REF_MISMATCH, req, sreq, object, uncertain,
		   &line, 1, "%s: ref count underflow (%s printed r=%u)",
		   object, nft_sym_name(last->cls, last->what),
		   (unsigned int)last->printed);
}

/*
 * @alive: the object is still alive at the end of the input -- in a pasted
 * excerpt a line of it may come after the cut, which the finding says.
 */
static void flush(struct nft_model *m, const char *object,
		  struct nft_ledger *l, bool uncertain, struct nft_request *req,
		  struct nft_subreq *sreq, bool alive)
{
	char why[224];
	uint32_t bad;
	size_t len;

	if (!nft_ledger_flush(l, &bad, why, sizeof(why)))
		return;
	len = strlen(why);
	if (alive)
		snprintf(why + len, sizeof(why) - len,
			 " (still alive at the end of the input: this rests on no line of it coming after)");
	mismatch(m, object, l, bad, why, uncertain, req, sreq);
}

/* ---- ledgers of freed objects waiting for a late put ---- */

static void judge_oldest(struct nft_model *m);

/*
 * Park a copy of @l (the request keeps its history for the -R view).
 * false: no memory.
 */
static bool park(struct nft_model *m, const struct nft_ledger *l,
		 const struct nft_request *req, const struct nft_subreq *sreq,
		 const char *object)
{
	struct nft_parked_ledger *p;

	if (m->n_parked >= NFT_PARKED_MAX)
		judge_oldest(m);
	if (nft_grow(&m->parked, &m->cap_parked, m->n_parked + 1, sizeof(*p)))
		return false;
	p = &m->parked[m->n_parked];
	if (nft_ledger_dup(&p->refs, l))
		return false;
	m->n_parked++;
	p->rreq = req->id;
	p->index = sreq ? sreq->index : -1;
	p->ts_free = m->now;
	p->pos_free = m->pos;
	p->uncertain = req->uncertain;
	snprintf(p->object, sizeof(p->object), "%s", object);
	return true;
}

static void unpark(struct nft_model *m, size_t i)
{
	nft_ledger_release(&m->parked[i].refs);
	m->parked[i] = m->parked[--m->n_parked];
}

/*
 * Judge parked ledger @i; the request and subrequest are gone, a finding
 * only needs their ids.
 */
static void judge_parked(struct nft_model *m, size_t i)
{
	struct nft_parked_ledger *p = &m->parked[i];
	struct nft_request req = { .id = p->rreq, .uncertain = p->uncertain };
	struct nft_subreq sreq = { .index = p->index };
	struct nft_subreq *s = p->index >= 0 ? &sreq : NULL;

	flush(m, p->object, &p->refs, p->uncertain, &req, s, false);
	unpark(m, i);
}

/* The parking is full: the ledger parked first waited longest. */
static void judge_oldest(struct nft_model *m)
{
	size_t i, old = 0;

	for (i = 1; i < m->n_parked; i++)
		if (m->parked[i].pos_free < m->parked[old].pos_free)
			old = i;
	judge_parked(m, old);
}

/* Flush @l at the end, or park it when only a late line could explain it. */
static void settle(struct nft_model *m, struct nft_ledger *l,
		   struct nft_request *req, struct nft_subreq *sreq,
		   bool at_end)
{
	char object[NFT_OBJECT_LEN];

	if (nft_ledger_explained(l))
		return;
	nft_req_object(req, sreq, object);
	if (!at_end && park(m, l, req, sreq, object))
		return;
	flush(m, object, l, req->uncertain, req, sreq,
	      req->state != NFT_REQ_FREED &&
		      !(sreq && sreq->state == NFT_SS_FREED));
}

static void release(struct nft_model *m, struct nft_request *req, bool at_end)
{
	uint32_t i;

	settle(m, &req->refs, req, NULL, at_end);
	for (i = 0; i < req->nr_sreq_slots; i++)
		if (req->sreqs[i])
			settle(m, &req->sreqs[i]->refs, req, req->sreqs[i],
			       at_end);
}

/* A ref line of a request or subrequest already released. */
static void late_put(struct nft_model *m, const struct nft_event *ev)
{
	int32_t index = ev->kind == NFT_EV_NETFS_SREQ_REF ? (int32_t)ev->index : -1;
	enum nft_sym_class cls = index >= 0 ? NFT_SYMC_SREQ_REF :
					      NFT_SYMC_RREQ_REF;
	size_t i;

	for (i = 0; i < m->n_parked; i++) {
		struct nft_parked_ledger *p = &m->parked[i];
		struct nft_ref_entry e;
		uint32_t bad = 0;

		if (p->rreq != ev->rreq || p->index != index)
			continue;
		e = nft_ref_entry_of(ev, cls);
		nft_ledger_add(&p->refs, &e, &bad);
		if (nft_ledger_explained(&p->refs))
			unpark(m, i);	/* the late line explained it all */
		return;
	}
}

static void tick(struct nft_model *m, bool at_end)
{
	size_t i = m->n_parked;

	if (!at_end)
		return;
	while (i--)
		judge_parked(m, i);
	free(m->parked);
	m->parked = NULL;
	m->cap_parked = 0;
}

void nft_fsobj_name(const struct nft_fsobj *o, char *buf);

static void fsobj_end(struct nft_model *m, struct nft_fsobj *o, bool at_end)
{
	char object[NFT_OBJECT_LEN];

	(void)at_end;
	nft_fsobj_name(o, object);
	flush(m, object, &o->refs, o->uncertain, NULL, NULL, !o->freed);
}

const struct nft_detector nft_detect_ref_mismatch = {
	.name = "ref-mismatch",
	.ref = ref_entry,
	.release = release,
	.late_put = late_put,
	.tick = tick,
	.fsobj_end = fsobj_end,
};
