// SPDX-License-Identifier: GPL-2.0
/*
 * failure: what the kernel itself reported as failed -- netfs_failure
 * lines, subrequests terminated with an error, cachefiles I/O and VFS
 * errors -- one finding per object, every line of it as evidence.
 */
#include <stdio.h>
#include <string.h>

#include "../model_internal.h"

static struct nft_finding *existing(struct nft_model *m, uint32_t *idx)
{
	return *idx && *idx <= m->n_findings ? &m->findings[*idx - 1] : NULL;
}

static void netfs_failed(struct nft_model *m, const struct nft_event *ev,
			 struct nft_request *req, struct nft_subreq *s,
			 const char *what)
{
	uint32_t *idx = s ? &s->fail_idx : &req->fail_idx;
	struct nft_finding *f = existing(m, idx);
	struct nft_evidence line = { ev->pos, ev->ts_ns };

	if (f) {
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		return;
	}
	f = nft_report(m, NFT_FIND_FAILURE, req, s, NULL, false, &line, 1,
		       "%s %s failed: %d (%s) at s=%llx %llx/%llx",
		       nft_sym_name(NFT_SYMC_SOURCE, ev->source), what,
		       ev->error, nft_errno_name(ev->error),
		       (unsigned long long)ev->start,
		       (unsigned long long)ev->transferred,
		       (unsigned long long)ev->len);
	if (f)
		*idx = (uint32_t)(f - m->findings) + 1;
}

static void cachefiles_failed(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_evidence line = { ev->pos, ev->ts_ns };
	char object[NFT_OBJECT_LEN];
	size_t i;

	struct nft_fsobj *o = nft_idmap_get(&m->fsobjs,
		NFT_KEY_FSOBJ(NFT_FSOBJ_CF_OBJECT, ev->object));
	struct nft_finding *f = o ? existing(m, &o->fail_idx) : NULL;

	snprintf(object, sizeof(object), "o=%08x", ev->object);
	/* an object the model does not hold (any more): look it up */
	for (i = 0; !o && !f && i < m->n_findings; i++)
		if (m->findings[i].kind == NFT_FIND_FAILURE &&
		    !strcmp(m->findings[i].object, object))
			f = &m->findings[i];
	if (f) {
		nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
		return;
	}
	f = nft_report(m, NFT_FIND_FAILURE, NULL, NULL, object, m->lost_seen,
		       &line, 1, "%s: cachefiles %s error in %s: %d (%s)", object,
		       ev->kind == NFT_EV_CACHEFILES_IO_ERROR ? "I/O" : "VFS",
		       nft_sym_name(NFT_SYMC_CF_ERROR, ev->what), ev->error,
		       nft_errno_name(ev->error));
	if (f && o)
		o->fail_idx = (uint32_t)(f - m->findings) + 1;
}

static void failure_event(struct nft_model *m, const struct nft_event *ev,
			  struct nft_request *req, struct nft_subreq *s)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_FAILURE:
		if (req)
			netfs_failed(m, ev, req, s,
				     nft_sym_name(NFT_SYMC_FAILURE, ev->what));
		break;
	case NFT_EV_NETFS_SREQ:
		if (req && ev->error < 0 &&
		    (ev->what == NFT_SREQ_TERMINATED ||
		     ev->what == NFT_SREQ_WRITE_TERM ||
		     ev->what == NFT_SREQ_ABANDONED ||
		     ev->what == NFT_SREQ_FAIL))
			netfs_failed(m, ev, req, s, "subrequest");
		break;
	case NFT_EV_CACHEFILES_IO_ERROR:
	case NFT_EV_CACHEFILES_VFS_ERROR:
		cachefiles_failed(m, ev);
		break;
	default:
		break;
	}
}

const struct nft_detector nft_detect_failure = {
	.name = "failure",
	.event = failure_event,
};
