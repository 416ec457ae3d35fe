// SPDX-License-Identifier: GPL-2.0
/*
 * Server and cache models: how long an I/O takes, how much it moves and
 * whether it fails.  Scripted faults (one subrequest of one op) come first,
 * then the scenario's random short reads and errors.
 */
#include <errno.h>

#include "internal.h"

int sc_fault_errno(enum fault_kind f)
{
	switch (f) {
	case FAULT_EAGAIN:
		return -EAGAIN;
	case FAULT_EIO:
		return -EIO;
	case FAULT_ENOMEM:
		return -ENOMEM;
	case FAULT_ENODATA:
		return -ENODATA;
	case FAULT_ECONNABORTED:
		return -ECONNABORTED;
	default:
		return 0;
	}
}

uint64_t backend_latency(struct nft_engine *e)
{
	const struct nft_scenario *sc = e->sc;
	uint64_t lo = sc->lat_us > sc->jitter_us ? sc->lat_us - sc->jitter_us : 1;

	return rng_range(e, lo, sc->lat_us + sc->jitter_us) * NS_PER_US;
}

/* The fs prepare_read/prepare_write: rsize, wsize or cifs credits. */
uint64_t backend_max_len(struct nft_engine *e, struct req *r, int stream)
{
	const struct sc_op *op = r->sop;

	if (stream == 1)
		return e->sc->cache_wsize;
	if (r->retried_once && op && op->retry_max_len)
		return op->retry_max_len;
	return r->write ? e->sc->wsize : e->sc->rsize;
}

static void apply_fault(struct nft_engine *e, enum fault_kind f,
			struct sreq *s, struct outcome *oc)
{
	uint64_t left = s->len - s->transferred;

	switch (f) {
	case FAULT_SHORT:
		oc->transferred = left > PAGE_SIZE_ ? (left / 2) & ~(PAGE_SIZE_ - 1) :
				  left / 2;
		break;
	case FAULT_ZERO:
		oc->transferred = 0;
		break;
	case FAULT_NONE:
	case FAULT__NR:
		break;
	default:
		oc->error = sc_fault_errno(f);
		oc->transferred = 0;
		/* cifs marks a reconnect-interrupted read for retry itself. */
		oc->fs_retry = f == FAULT_EAGAIN && e->sc->cifs && !s->req->write;
		break;
	}
}

void backend_outcome(struct nft_engine *e, struct sreq *s, struct outcome *oc)
{
	struct req *r = s->req;
	const struct sc_op *op = r->sop;
	uint64_t left = s->len - s->transferred;

	oc->transferred = left;
	oc->error = 0;
	oc->fs_retry = false;
	if (s->source == NFT_SRC_ZERO)
		return;
	if (op && op->fault != FAULT_NONE && s->index == op->fault_subreq &&
	    r->fault_left > 0 && s->stream == 0) {
		r->fault_left--;
		apply_fault(e, op->fault, s, oc);
		return;
	}
	if (op && op->cache_fail && s->stream == 1) {
		oc->error = -EIO;
		oc->transferred = 0;
		return;
	}
	if (op && op->clean)
		return;
	if (e->sc->error_prob > 0 && rng_unit(e) < e->sc->error_prob) {
		apply_fault(e, e->sc->random_error, s, oc);
		return;
	}
	if (e->sc->short_prob > 0 && rng_unit(e) < e->sc->short_prob &&
	    s->retry_count == 0)
		apply_fault(e, FAULT_SHORT, s, oc);
}
