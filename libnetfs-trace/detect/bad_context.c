// SPDX-License-Identifier: GPL-2.0
/*
 * bad-context: netfs read collection -- consuming read data, unlocking
 * folios, collecting subrequests -- running in hardirq context.  Unlocking
 * folios re-enables bottom halves, which must not happen in hardirq: on
 * 6.12 a cache read completing in IRQ context ran netfs_consume_read_data()
 * there and hit "WARNING ... __local_bh_enable_ip" (corpus 6.12 fc_read).
 * The irqs column of ftrace shows it: 'h' or 'H' in its third place.
 * Terminating a subrequest in IRQ context is fine; collecting there is not.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../model_internal.h"

static bool in_hardirq(const struct nft_event *ev)
{
	char c = ev->irqs[2];

	return ev->irqs[0] && ev->irqs[1] && (c == 'h' || c == 'H' || c == 'z');
}

static bool is_collection(const struct nft_event *ev)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_DONATE:
	case NFT_EV_NETFS_COLLECT:
	case NFT_EV_NETFS_COLLECT_SREQ:
	case NFT_EV_NETFS_COLLECT_FOLIO:
	case NFT_EV_NETFS_COLLECT_STATE:
	case NFT_EV_NETFS_COLLECT_STREAM:
		return true;
	case NFT_EV_NETFS_FOLIO:
		return ev->what == NFT_FOLIO_READ_DONE ||
		       ev->what == NFT_FOLIO_READ_UNLOCK ||
		       ev->what == NFT_FOLIO_ABANDON ||
		       ev->what == NFT_FOLIO_COPY_TO_CACHE;
	case NFT_EV_NETFS_SREQ:
		return ev->what == NFT_SREQ_CONSUMED ||
		       ev->what == NFT_SREQ_ADD_DONATIONS ||
		       ev->what == NFT_SREQ_DONATE_TO_PREV ||
		       ev->what == NFT_SREQ_DONATE_TO_NEXT;
	case NFT_EV_NETFS_RREQ:
		return ev->what == NFT_RREQ_ASSESS ||
		       ev->what == NFT_RREQ_COLLECT ||
		       ev->what == NFT_RREQ_UNLOCK;
	default:
		return false;
	}
}

static void update_message(struct nft_model *m, struct nft_finding *f)
{
	char *msg;

	if (asprintf(&msg,
		     "netfs read collection ran in hardirq context: %llu events in %llu request(s), first R=%08x (unlocking folios from IRQ re-enables BHs: kernel WARNING in __local_bh_enable_ip)",
		     (unsigned long long)m->bad_context.events,
		     (unsigned long long)m->bad_context.requests,
		     m->bad_context.first_rreq) < 0)
		return;
	free(f->message);
	f->message = msg;
}

static void context_event(struct nft_model *m, const struct nft_event *ev,
			  struct nft_request *req, struct nft_subreq *s)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	struct nft_finding *f;

	(void)s;
	if (!in_hardirq(ev) || !is_collection(ev))
		return;
	m->bad_context.events++;
	if (req && !req->bad_context) {
		req->bad_context = true;
		m->bad_context.requests++;
		if (!m->bad_context.first_rreq)
			m->bad_context.first_rreq = req->id;
	}
	if (!m->bad_context.finding) {
		f = nft_report(m, NFT_FIND_BAD_CONTEXT, req, NULL, NULL, false,
			       &line, 1, "netfs read collection ran in hardirq context");
		if (f) {
			m->bad_context.finding = (size_t)(f - m->findings) + 1;
			update_message(m, f);
		}
		return;
	}
	f = &m->findings[m->bad_context.finding - 1];
	if (f->n_evidence < 4)
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
}

static void context_finish(struct nft_model *m)
{
	if (m->bad_context.finding)
		update_message(m, &m->findings[m->bad_context.finding - 1]);
}

const struct nft_detector nft_detect_bad_context = {
	.name = "bad-context",
	.event = context_event,
	.finish = context_finish,
};
