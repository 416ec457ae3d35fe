// SPDX-License-Identifier: GPL-2.0
/*
 * The retryers: netfs_retry_reads() (simple reissue of what is left of each
 * NEED_RETRY subrequest) and netfs_retry_writes() / the unbuffered-write
 * retry (re-slice the failed span under the new credits, insert extra
 * subrequests when there are too few).  Callers have quiesced the streams:
 * the collector only gets here when no subrequest is in flight ahead of
 * the one to retry.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

static bool quiesced(struct req *r, int nr)
{
	return !r->busy[nr];
}

/* Ask again once the stream is idle; the last termination comes back here. */
static void quiesce(struct nft_engine *e, struct req *r)
{
	r->flags |= RF_RETRYING;
	if (e->prof->traces_616)
		em_rreq(e, r, NFT_RREQ_WAITED_QUIESCE);
	r->flags &= ~RF_RETRYING;
	em_rreq(e, r, NFT_RREQ_RESUBMIT);
}

static bool give_up(struct nft_engine *e, struct sreq *s)
{
	if (s->retry_count < e->sc->retry_limit)
		return false;
	/* Bounded: the kernel abandons once nothing moves; we cap the count. */
	s->flags &= ~SF_NEED_RETRY;
	s->flags |= SF_FAILED;
	if (!s->error)
		s->error = -ENODATA;
	return true;
}

void retry_reads(struct nft_engine *e, struct req *r)
{
	struct sreq *s;
	bool any = false, failed = false;

	if (!quiesced(r, 0))
		return;
	e->st.retries++;
	quiesce(e, r);
	for (s = r->streams[0].head; s; s = s->next) {
		if (s->flags & SF_FAILED)
			failed = true;
		if (!(s->flags & SF_NEED_RETRY))
			continue;
		if (failed) {
			/* Behind a failed slice: abandoned with the request. */
			s->flags &= ~SF_NEED_RETRY;
			s->flags |= SF_FAILED;
			continue;
		}
		if (give_up(e, s))
			continue;
		s->flags &= ~(SF_NEED_RETRY | SF_MADE_PROGRESS);
		s->retry_count++;
		s->error = 0;
		if (s->source == NFT_SRC_CACHE_READ)
			s->source = NFT_SRC_DOWNLOAD;
		em_sreq(e, s, NFT_SREQ_RETRY);
		sreq_get(e, s, NFT_SREF_GET_RESUBMIT);
		if (inj_target(e, r, INJ_RETRY_NO_PROGRESS) && s->retry_count == 3)
			truth(e, "retry-storm", r, s->index);
		if (e->sc->cifs || !e->prof->traces_616)
			em_sreq(e, s, NFT_SREQ_SUBMIT);
		read_issue(e, s, true);
		any = true;
	}
	if (!any) {
		if (r->write)
			write_collect(e, r);
		else
			read_reassess(e, r);
	}
}

static struct sreq *insert_after(struct req *r, struct sreq *prev, struct sreq *s)
{
	struct stream *st = &r->streams[s->stream];

	s->next = prev->next;
	prev->next = s;
	if (st->tail == prev)
		st->tail = s;
	return s;
}

/*
 * One contiguous NEED_RETRY span from @from to @to.  Returns false when the
 * request died or gave up (nothing more to retry).
 */
static bool retry_span(struct nft_engine *e, struct req *r, int nr,
		       struct sreq *from, struct sreq *to)
{
	struct sreq *s, *last = NULL;
	uint64_t start, len, max;

	/* CVE-2025-38139: the buggy reset ignored what was already written. */
	start = from->start + from->transferred;
	if (inj_target(e, r, INJ_ITER_RESET_LEN) && from->transferred) {
		start = from->start;
		truth(e, "bad-rewind", r, from->index);
	}
	len = to->start + to->len - start;
	r->retried_once = true;
	max = backend_max_len(e, r, nr);
	for (s = from; len && s != to->next; s = s->next) {
		if (give_up(e, s))
			return false;
		s->start = start;
		s->len = len < max ? len : max;
		s->transferred = 0;
		s->error = 0;
		s->flags &= ~(SF_NEED_RETRY | SF_MADE_PROGRESS);
		s->retry_count++;
		em_sreq(e, s, NFT_SREQ_RETRY);
		sreq_get(e, s, NFT_SREF_GET_RESUBMIT);
		if (inj_target(e, r, INJ_UW_NULL_PREPARE)) {
			/* stream->prepare_write is NULL for this fs: oops. */
			truth(e, "stuck", r, -1);
			r->dead = true;
			return false;
		}
		write_issue(e, s, true);
		start += s->len;
		len -= s->len;
		last = s;
	}
	while (len) {
		/* Fewer credits now: insert an extra subrequest after the span. */
		s = sreq_alloc(e, r, nr, from->source, start, len < max ? len : max);
		em_sref(e, s, NFT_SREF_NEW);
		insert_after(r, last, s);
		s->retry_count = 1;
		em_sreq(e, s, NFT_SREQ_SPLIT);
		em_sreq(e, s, NFT_SREQ_RETRY);
		if (inj_target(e, r, INJ_WRITE_RETRY_EXTRA_REF)) {
			sreq_get(e, s, NFT_SREF_GET_RESUBMIT);
			/* The request it pins is a consequence, not a second leak. */
			truth(e, "ref-leak", r, s->index);
		}
		write_issue(e, s, true);
		start += s->len;
		len -= s->len;
		last = s;
	}
	return true;
}

/*
 * netfs_retry_write_stream(): every NEED_RETRY span of the stream.  A
 * subrequest joins the span only where its unsent part starts at the span's
 * end (the kernel's start + transferred test): one that already sent a
 * prefix starts a span of its own, so no retry re-sends written bytes.
 */
static void retry_write_stream(struct nft_engine *e, struct req *r, int nr)
{
	struct sreq *from = r->streams[nr].head, *to, *next;

	while (from) {
		if (!(from->flags & SF_NEED_RETRY)) {
			from = from->next;
			continue;
		}
		for (to = from; to->next && (to->next->flags & SF_NEED_RETRY) &&
		     !to->next->transferred; to = to->next)
			;
		next = to->next;
		if (!retry_span(e, r, nr, from, to))
			return;
		from = next;
	}
}

/* The 6.18+ sequential writer retries its single subrequest in place. */
static void retry_unbuffered(struct nft_engine *e, struct req *r)
{
	struct sreq *s = r->streams[0].head;

	s->error = -EAGAIN;
	em_sreq(e, s, NFT_SREQ_RETRY);
	r->transferred += s->transferred;
	s->flags &= ~(SF_NEED_RETRY | SF_FAILED);
	s->start = r->start + r->transferred;
	s->len = r->start + r->len - s->start;
	s->transferred = 0;
	s->retry_count++;
	sreq_get(e, s, NFT_SREF_GET_RESUBMIT);
	if (inj_target(e, r, INJ_UW_NULL_PREPARE)) {
		/* stream->prepare_write is NULL for this fs: oops. */
		truth(e, "stuck", r, -1);
		r->dead = true;
		return;
	}
	if (s->len > backend_max_len(e, r, 0))
		s->len = backend_max_len(e, r, 0);
	s->error = 0;
	write_issue(e, s, false);
}

void retry_writes(struct nft_engine *e, struct req *r)
{
	int nr;

	e->st.retries++;
	if (feat(e, NFT_ENGINE_F_SEQ_DIO_WRITE) &&
	    (r->origin == NFT_ORIGIN_DW || r->origin == NFT_ORIGIN_UW)) {
		retry_unbuffered(e, r);
		return;
	}
	if (!quiesced(r, 0) || !quiesced(r, 1)) {
		/* Until then every termination comes back here. */
		r->flags |= RF_RETRYING;
		return;
	}
	quiesce(e, r);
	for (nr = 0; nr < 2; nr++) {
		if (!r->streams[nr].need_retry)
			continue;
		r->streams[nr].need_retry = false;
		retry_write_stream(e, r, nr);
	}
}
