// SPDX-License-Identifier: GPL-2.0
/*
 * bad-context: 6.10-6.13's netfs_consume_read_data() -- the read collector
 * that consumes data and passes "donations" between subrequests under
 * spin_lock_bh(&rreq->lock) -- running in hardirq context.  A cache read
 * completing in IRQ context called it there, and re-enabling BHs in hardirq
 * is a bug: "WARNING ... __local_bh_enable_ip" from
 * netfs_consume_read_data() <- netfs_read_subreq_terminated() <-
 * cachefiles_read_complete() (corpus 6.12 fc_read, dmesg.txt).  The trace
 * shows it in the irqs column: 'h'/'H' in its third place on the
 * netfs_progress / donation / consume lines.  Other work in IRQ context is
 * legitimate (6.1 assesses whole requests there; 7.x terminates
 * subrequests there and collects in a work item), so only this path counts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../model_internal.h"

static bool in_hardirq(const struct nft_event *ev)
{
	char c = ev->irqs[2];

	return ev->irqs[0] && ev->irqs[1] && (c == 'h' || c == 'H' || c == 'z');
}

static bool is_consume_path(const struct nft_event *ev)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_DONATE:
		return true;
	case NFT_EV_NETFS_SREQ:
		return ev->what == NFT_SREQ_CONSUMED ||
		       ev->what == NFT_SREQ_ADD_DONATIONS ||
		       ev->what == NFT_SREQ_DONATE_TO_PREV ||
		       ev->what == NFT_SREQ_DONATE_TO_NEXT;
	default:
		return false;
	}
}

static void update_message(struct nft_model *m, struct nft_finding *f)
{
	char *msg;

	if (asprintf(&msg,
		     "netfs_consume_read_data() ran in hardirq context: %llu events in %llu request(s), first R=%08x; it takes rreq->lock with spin_lock_bh, and re-enabling BHs in hardirq triggers WARNING in __local_bh_enable_ip",
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
	if (!in_hardirq(ev) || !is_consume_path(ev))
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
			       &line, 1, "netfs_consume_read_data() ran in hardirq context");
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
