// SPDX-License-Identifier: GPL-2.0
/*
 * use-after-free: any event on an object after its FREE, or after its count
 * reached zero (other than the FREE that follows).
 */
#include "../model_internal.h"

static void uaf_dead(struct nft_model *m, const struct nft_event *ev,
		     struct nft_dead *dead, const char *object)
{
	struct nft_evidence ev_lines[2] = {
		{ dead->pos_free, dead->ts_free },
		{ ev->pos, ev->ts_ns },
	};

	if (dead->reported)
		return;
	dead->reported = true;
	nft_report(m, NFT_FIND_USE_AFTER_FREE, NULL, NULL, object,
		   m->lost_seen, ev_lines, 2,
		   "%s: %s at line %llu after the object was released at line %llu",
		   object, ev->name[0] ? ev->name : nft_event_kind_name(ev->kind),
		   (unsigned long long)ev->pos,
		   (unsigned long long)dead->pos_free);
	if (ev->have & NFT_HAVE_RREQ) {
		struct nft_finding *f = &m->findings[m->n_findings - 1];

		f->rreq = ev->rreq;
		f->subreq = (ev->have & NFT_HAVE_INDEX) ? ev->index : -1;
	}
}

const struct nft_detector nft_detect_use_after_free = {
	.name = "use-after-free",
	.dead = uaf_dead,
};
