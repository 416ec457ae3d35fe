// SPDX-License-Identifier: GPL-2.0
/*
 * ref-mismatch: a count the kernel printed that our ledger of gets and puts
 * cannot explain, in any order of the few entries that two CPUs may have
 * traced out of order (refs.c).  Also a count printed as negative/huge, i.e.
 * an underflow.
 *
 * A CPU held up between its atomic put and the trace line can print that
 * line after the object's final put and FREE (hundreds of microseconds
 * later under qemu).  So a freed object whose last entries no order
 * explains is parked for LATE_GRACE_NS of trace time: a late put line may
 * still explain them; if none does, the mismatch is reported then.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../model_internal.h"
#include "../util.h"

#define LATE_GRACE_NS (100ULL * 1000000ULL)

static void mismatch(struct nft_model *m, const char *object,
		     struct nft_ledger *l, uint32_t bad, bool uncertain,
		     struct nft_request *req, struct nft_subreq *sreq)
{
	const struct nft_ref_entry *e = &l->v[bad];
	struct nft_evidence lines[2];
	size_t n = 0;

	if (bad > 0)
		lines[n++] = (struct nft_evidence){ l->v[bad - 1].pos,
						    l->v[bad - 1].ts_ns };
	lines[n++] = (struct nft_evidence){ e->pos, e->ts_ns };
	nft_report(m, NFT_FIND_REF_MISMATCH, req, sreq, object, uncertain,
		   lines, n,
		   "%s: %s printed r=%d but the ledger expects r=%d",
		   object, nft_sym_name(e->cls, e->what), e->printed,
		   e->expected);
}

static void ref_entry(struct nft_model *m, const char *object,
		      struct nft_ledger *l, enum nft_ledger_verdict verdict,
		      uint32_t bad, bool uncertain, struct nft_request *req,
		      struct nft_subreq *sreq)
{
	const struct nft_ref_entry *last = l->n ? &l->v[l->n - 1] : NULL;
	char name[NFT_OBJECT_LEN];

	if ((!last || last->printed >= 0) && verdict != NFT_LEDGER_MISMATCH)
		return;
	if (!object) {
		nft_req_object(req, sreq, name);
		object = name;
	}
	if (last && last->printed < 0) {
		struct nft_evidence line = { last->pos, last->ts_ns };

		nft_report(m, NFT_FIND_REF_MISMATCH, req, sreq, object,
			   uncertain, &line, 1,
			   "%s: ref count underflow (%s printed r=%u)", object,
			   nft_sym_name(last->cls, last->what),
			   (unsigned int)last->printed);
		return;
	}
	if (verdict == NFT_LEDGER_MISMATCH && bad < l->n)
		mismatch(m, object, l, bad, uncertain, req, sreq);
}

static void flush(struct nft_model *m, const char *object,
		  struct nft_ledger *l, bool uncertain, struct nft_request *req,
		  struct nft_subreq *sreq)
{
	uint32_t bad;

	if (nft_ledger_flush(l, &bad) && bad < l->n)
		mismatch(m, object, l, bad, uncertain, req, sreq);
}

/* ---- ledgers of freed objects waiting for a late put ---- */

/* Move @l into the parking list; it is left empty.  false: no memory. */
static bool park(struct nft_model *m, struct nft_ledger *l,
		 const struct nft_request *req, const struct nft_subreq *sreq,
		 const char *object)
{
	struct nft_parked_ledger *p;

	if (nft_grow(&m->parked, &m->cap_parked, m->n_parked + 1, sizeof(*p)))
		return false;
	p = &m->parked[m->n_parked++];
	p->rreq = req->id;
	p->index = sreq ? sreq->index : -1;
	p->ts_free = m->now;
	p->uncertain = req->uncertain;
	snprintf(p->object, sizeof(p->object), "%s", object);
	p->refs = *l;
	nft_ledger_init(l);
	return true;
}

static void unpark(struct nft_model *m, size_t i)
{
	nft_ledger_release(&m->parked[i].refs);
	m->parked[i] = m->parked[--m->n_parked];
}

/*
 * Judge parked ledger @i: flush it (@bad < 0) or report entry @bad; the
 * request and subrequest are gone, a finding only needs their ids.
 */
static void judge_parked(struct nft_model *m, size_t i, int64_t bad)
{
	struct nft_parked_ledger *p = &m->parked[i];
	struct nft_request req = { .id = p->rreq, .uncertain = p->uncertain };
	struct nft_subreq sreq = { .index = p->index };
	struct nft_subreq *s = p->index >= 0 ? &sreq : NULL;

	if (bad < 0)
		flush(m, p->object, &p->refs, p->uncertain, &req, s);
	else if (bad < p->refs.n)
		mismatch(m, p->object, &p->refs, bad, p->uncertain, &req, s);
	unpark(m, i);
}

/* Flush @l now, or park it when only a late put line could explain it. */
static void settle(struct nft_model *m, struct nft_ledger *l,
		   struct nft_request *req, struct nft_subreq *sreq,
		   bool at_end)
{
	char object[NFT_OBJECT_LEN];
	uint32_t bad;

	nft_req_object(req, sreq, object);
	if (!at_end && l->n_held && !nft_ledger_explained(l) &&
	    park(m, l, req, sreq, object))
		return;
	if (nft_ledger_flush(l, &bad) && bad < l->n)
		mismatch(m, object, l, bad, req->uncertain, req, sreq);
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
		if (nft_ledger_add(&p->refs, &e, &bad) == NFT_LEDGER_MISMATCH)
			judge_parked(m, i, bad);
		else if (!p->refs.n_held)
			unpark(m, i);	/* the late line explained it all */
		return;
	}
}

static void tick(struct nft_model *m, bool at_end)
{
	size_t i = m->n_parked;

	while (i--)
		if (at_end || m->now - m->parked[i].ts_free >= LATE_GRACE_NS)
			judge_parked(m, i, -1);
	if (at_end) {
		free(m->parked);
		m->parked = NULL;
		m->cap_parked = 0;
	}
}

void nft_fsobj_name(const struct nft_fsobj *o, char *buf);

static void fsobj_end(struct nft_model *m, struct nft_fsobj *o, bool at_end)
{
	char object[NFT_OBJECT_LEN];

	(void)at_end;
	nft_fsobj_name(o, object);
	flush(m, object, &o->refs, o->uncertain, NULL, NULL);
}

const struct nft_detector nft_detect_ref_mismatch = {
	.name = "ref-mismatch",
	.ref = ref_entry,
	.release = release,
	.late_put = late_put,
	.tick = tick,
	.fsobj_end = fsobj_end,
};
