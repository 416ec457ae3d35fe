// SPDX-License-Identifier: GPL-2.0
/*
 * use-after-free: any event on an object after its FREE, or after its count
 * reached zero (other than the FREE that follows).  A ref line that printed
 * a count the object had while alive (a put r >= 1, a get r >= 2) is a late
 * line, not a use: the model hands those to the ledger (model.c
 * late_put_trace()).
 */
#include <stdio.h>

#include "../model_internal.h"

/*
 * What proves it: a count printed by the line itself (a get printing 1 or
 * a put printing 0 after the object's count reached 0), or only the order
 * of the lines -- then a line held up between its operation and its trace
 * could also explain it, which the finding says.
 */
static const char *proof(const struct nft_event *ev, char *buf, size_t sz)
{
	int32_t r = (int32_t)ev->ref;

	bool ref = (ev->kind == NFT_EV_NETFS_RREQ_REF ||
		    ev->kind == NFT_EV_NETFS_SREQ_REF) &&
		   (ev->have & NFT_HAVE_REF);
	enum nft_sym_class cls = ev->kind == NFT_EV_NETFS_RREQ_REF ?
					 NFT_SYMC_RREQ_REF : NFT_SYMC_SREQ_REF;
	int op = ref ? nft_ref_op(cls, ev->what) : NFT_REF_SEE;

	if (op == NFT_REF_GET && r == 1)
		snprintf(buf, sz, " (it printed r=1: the count was 0 before it)");
	else if (op == NFT_REF_PUT && r == 0)
		snprintf(buf, sz, " (it printed r=0: a second final put)");
	else if (op == NFT_REF_PUT && r < 0)
		snprintf(buf, sz, " (it printed r=%u: the count went below 0)",
			 (unsigned int)r);
	else
		snprintf(buf, sz, " (rests on the order of the lines alone)");
	return buf;
}

static void uaf_dead(struct nft_model *m, const struct nft_event *ev,
		     struct nft_dead *dead, const char *object)
{
	struct nft_evidence ev_lines[2] = {
		{ dead->pos_free, dead->ts_free },
		{ ev->pos, ev->ts_ns },
	};
	struct nft_finding *f;
	char why[64];

	if (dead->reported)
		return;
	dead->reported = true;
	f = nft_report(m, NFT_FIND_USE_AFTER_FREE, NULL, NULL, object,
		   m->lost_seen, ev_lines, 2,
		   "%s: %s at line %llu after the object was released at line %llu%s",
		   object, ev->name[0] ? ev->name : nft_event_kind_name(ev->kind),
		   (unsigned long long)ev->pos,
		   (unsigned long long)dead->pos_free,
		   proof(ev, why, sizeof(why)));
	if (f && (ev->have & NFT_HAVE_RREQ)) {
		f->rreq = ev->rreq;
		f->subreq = (ev->have & NFT_HAVE_INDEX) ? ev->index : -1;
	}
}

const struct nft_detector nft_detect_use_after_free = {
	.name = "use-after-free",
	.dead = uaf_dead,
};
