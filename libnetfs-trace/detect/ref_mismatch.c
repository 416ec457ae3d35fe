// SPDX-License-Identifier: GPL-2.0
/*
 * ref-mismatch: a count the kernel printed that our ledger of gets and puts
 * cannot explain, even allowing two neighbouring entries to have reached the
 * buffer in the opposite order.  Also a count printed as negative/huge, i.e.
 * an underflow.
 */
#include "../model_internal.h"

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

static void release(struct nft_model *m, struct nft_request *req, bool at_end)
{
	char object[NFT_OBJECT_LEN];
	uint32_t i;

	(void)at_end;
	nft_req_object(req, NULL, object);
	flush(m, object, &req->refs, req->uncertain, req, NULL);
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (!s)
			continue;
		nft_req_object(req, s, object);
		flush(m, object, &s->refs, req->uncertain, req, s);
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
	.fsobj_end = fsobj_end,
};
