// SPDX-License-Identifier: GPL-2.0
/*
 * bad-donation: 6.10-6.13 read collection passes the bytes of a folio that
 * a subrequest cannot complete alone to a neighbour ("donation"), in
 * netfs_consume_read_data() (fs/netfs/read_collect.c, 6.12):
 *  - tail-to-prev: the part of a folio before the subrequest's start, and
 *    to-prev: a subrequest inside one folio that finishes first, both go to
 *    list_prev_entry() -- the preceding subrequest still on the request's
 *    list -- as prev->next_donated, so they must start where it ends;
 *  - to-next: what is left after the last whole folio goes to
 *    list_next_entry() as next->prev_donated, which must start where the
 *    donor ends; defer-next: the donor is the last on the list and the
 *    next subrequest added takes rreq->prev_donated at its ADD;
 *  - the receiver merges donations into its range (+DON).
 * A donation to a subrequest that is not adjacent is the bug of commit
 * c8b90d40d5bb ("netfs: Fix non-contiguous donation between completed
 * reads"): once the subrequests between were consumed, list_prev_entry()
 * was no longer the neighbour ("subreq 7 is not contiguous with subreq 4",
 * cifs 8 MiB readahead, December 2024), the bytes went to a receiver whose
 * folio could not use them and the request fell apart (NULL pointer and
 * BUG in netfs_consume_read_data); the 6.14 read collector rewrite removed
 * donations altogether.  Flagged here: a donation whose receiver does not
 * touch the donor (a gap or an overlap), a +DON that makes the receiver
 * overlap a live neighbour, and a deferred donation the next subrequest
 * does not start at.
 *
 * Ranges come from netfs_sreq lines (ADD gives only the start: 6.12
 * prepare_read may still cut the length) and from the netfs_progress line
 * the donor prints right before donating (s= where its bytes begin, pa=
 * part/avail: the bytes it hands on).  A neighbour whose range is not known
 * is not judged.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model_internal.h"
#include "reqtab.h"

struct bd_sreq {
	uint64_t start, len;
	uint64_t pend_prev, pend_next;	/* donations not merged yet */
	uint64_t pos_last, ts_last;
	int32_t last_donor;		/* -1: none */
	bool seen, firm_start, firm_len, removed, reported;
};

struct bd_req {
	uint32_t id;
	struct bd_sreq *sreqs;
	uint32_t nr;
	/* the last netfs_progress line */
	bool prog_valid;
	int32_t prog_index;
	uint64_t prog_s, prog_avail, prog_consumed, prog_pos, prog_ts;
	/* defer-next: the next subrequest added must start at defer_end */
	bool defer_valid, defer_end_known;
	int32_t defer_donor;
	uint32_t defer_max;	/* highest index seen at the defer */
	uint64_t defer_end, defer_amount, defer_pos, defer_ts;
	uint32_t max_index;
};

struct bd_state {
	struct nft_reqtab reqs;		/* id -> struct bd_req */
};

static struct bd_state *bd_state(struct nft_model *m)
{
	return nft_detector_state(m, &nft_detect_bad_donation);
}

static void bd_req_free(void *block)
{
	struct bd_req *r = block;

	free(r->sreqs);
	free(r);
}

static void bd_state_free(void *state)
{
	struct bd_state *st = state;

	nft_reqtab_release(&st->reqs, bd_req_free);
}

static struct bd_req *get_req(struct bd_state *st,
			      const struct nft_request *req)
{
	struct bd_req *r = nft_reqtab_get(&st->reqs, req->id, 0, NULL);
	bool made;

	if (r || req->is_write)
		return r;
	r = nft_reqtab_get(&st->reqs, req->id, sizeof(*r), &made);
	if (r && made)
		r->id = req->id;
	return r;
}

static void bd_sreq_init(void *elem)
{
	((struct bd_sreq *)elem)->last_donor = -1;
}

static struct bd_sreq *get_sreq(struct bd_req *r, int64_t index)
{
	return nft_reqtab_sreq(&r->sreqs, &r->nr, index, sizeof(*r->sreqs),
			       bd_sreq_init);
}

static bool known(const struct bd_sreq *b)
{
	return b->seen && b->firm_start && b->firm_len;
}

static void report(struct nft_model *m, struct bd_req *r, int32_t donor,
		   const struct nft_evidence *ev, size_t n, const char *fmt,
		   ...) __attribute__((format(printf, 6, 7)));

static void report(struct nft_model *m, struct bd_req *r, int32_t donor,
		   const struct nft_evidence *ev, size_t n, const char *fmt,
		   ...)
{
	const struct nft_request *req = nft_model_request(m, r->id);
	const struct nft_subreq *ms = NULL;
	struct bd_sreq *b = get_sreq(r, donor);
	char object[NFT_OBJECT_LEN];
	struct nft_finding *f;
	char *msg = NULL;
	va_list ap;

	if (!req || !b || b->reported)
		return;
	b->reported = true;
	if ((uint32_t)donor < req->nr_sreq_slots)
		ms = req->sreqs[donor];
	snprintf(object, sizeof(object), "R=%08x[%x]", r->id,
		 (unsigned int)donor);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	f = nft_report(m, NFT_FIND_BAD_DONATION, req, ms, object, false, ev, n,
		       "%s: %s", object, msg ? msg : "bad donation");
	if (f)
		f->subreq = donor;	/* also when only netfs_donate named it */
	free(msg);
}

/* Where the donor's bytes begin and end, from its progress line or range. */
static bool donor_range(const struct bd_req *r, int32_t f,
			const struct bd_sreq *fb, uint64_t *from,
			uint64_t *to, bool *from_progress)
{
	if (r->prog_valid && r->prog_index == f) {
		*from = r->prog_s;
		*to = r->prog_s + r->prog_avail;
		*from_progress = true;
		return true;
	}
	*from_progress = false;
	if (!known(fb))
		return false;
	*from = fb->start;
	*to = fb->start + fb->len + fb->pend_next;
	return true;
}

static void donate_event(struct nft_model *m, struct bd_req *r,
			 const struct nft_event *ev)
{
	struct nft_evidence evid[3] = { { ev->pos, ev->ts_ns } };
	int32_t f = ev->index, t = (int32_t)ev->id2;
	struct bd_sreq *fb = get_sreq(r, f), *tb;
	uint64_t from = 0, to = 0, amount = ev->len;
	bool have_range, by_progress;
	const char *how = nft_sym_name(NFT_SYMC_DONATE, ev->what);
	size_t n = 1;

	if (!fb)
		return;
	have_range = donor_range(r, f, fb, &from, &to, &by_progress);
	if (by_progress)
		evid[n++] = (struct nft_evidence){ r->prog_pos, r->prog_ts };
	tb = ev->what == NFT_DONATE_TO_DEFERRED_NEXT ? NULL : get_sreq(r, t);

	switch (ev->what) {
	case NFT_DONATE_TAIL_TO_PREV:
	case NFT_DONATE_TO_PREV:
		/* 6.12 prints am= after zeroing the to-prev donor's len */
		if (!amount && ev->what == NFT_DONATE_TO_PREV)
			amount = by_progress ? r->prog_avail :
					       (known(fb) ? fb->len : 0);
		if (!tb)
			break;
		if (tb->seen)
			evid[n++] = (struct nft_evidence){ tb->pos_last,
							   tb->ts_last };
		if (t == f) {
			report(m, r, f, evid, n, "donated %s to itself", how);
		} else if (have_range && known(tb) &&
			   tb->start + tb->len + tb->pend_next != from) {
			uint64_t reach = tb->start + tb->len + tb->pend_next;

			report(m, r, f, evid, n,
			       "donated %llx %s to [%x], which ends at %llx, not at the donor's start %llx: not adjacent (%s), the bytes are lost to their folio (netfs_consume_read_data(), fixed by c8b90d40d5bb)",
			       (unsigned long long)amount, how,
			       (unsigned int)t, (unsigned long long)reach,
			       (unsigned long long)from,
			       reach < from ? "a gap between them" :
					      "they overlap");
		} else if (have_range && tb->seen && tb->firm_start &&
			   tb->start >= from) {
			report(m, r, f, evid, n,
			       "donated %llx %s to [%x], which starts at %llx, above the donor's start %llx",
			       (unsigned long long)amount, how,
			       (unsigned int)t, (unsigned long long)tb->start,
			       (unsigned long long)from);
		}
		tb->pend_next += amount;
		tb->last_donor = f;
		break;
	case NFT_DONATE_TO_NEXT:
		if (!tb)
			break;
		if (tb->seen)
			evid[n++] = (struct nft_evidence){ tb->pos_last,
							   tb->ts_last };
		if (t == f) {
			report(m, r, f, evid, n, "donated %s to itself", how);
		} else if (have_range && tb->seen && tb->firm_start &&
			   tb->start != to) {
			report(m, r, f, evid, n,
			       "donated %llx %s to [%x], which starts at %llx, not at the donor's end %llx: not adjacent (%s), the bytes are lost to their folio (netfs_consume_read_data())",
			       (unsigned long long)amount, how,
			       (unsigned int)t, (unsigned long long)tb->start,
			       (unsigned long long)to,
			       tb->start > to ? "a gap between them" :
						"they overlap");
		}
		tb->pend_prev += amount;
		tb->last_donor = f;
		break;
	case NFT_DONATE_TO_DEFERRED_NEXT:
		r->defer_valid = true;
		r->defer_end_known = have_range;
		r->defer_end = to;
		r->defer_donor = f;
		r->defer_max = r->max_index;
		r->defer_amount = amount;
		r->defer_pos = ev->pos;
		r->defer_ts = ev->ts_ns;
		break;
	default:
		return;
	}
	/* every donation but a partial tail-to-prev takes the donor off */
	if (ev->what == NFT_DONATE_TAIL_TO_PREV && known(fb) &&
	    fb->len > amount) {
		fb->start += amount;
		fb->len -= amount;
	} else {
		fb->removed = true;
	}
	r->prog_valid = false;
}

/* A live neighbour of @b's range, other than @b itself. */
static int32_t overlapping(const struct bd_req *r, uint32_t self)
{
	const struct bd_sreq *b = &r->sreqs[self];
	uint32_t i;

	for (i = 0; i < r->nr; i++) {
		const struct bd_sreq *x = &r->sreqs[i];

		if (i == self || !known(x) || x->removed || !x->len)
			continue;
		if (x->start < b->start + b->len && b->start < x->start + x->len)
			return (int32_t)i;
	}
	return -1;
}

static void add_donations(struct nft_model *m, struct bd_req *r,
			  const struct nft_event *ev, struct bd_sreq *b,
			  uint32_t index)
{
	struct nft_evidence evid[2] = { { ev->pos, ev->ts_ns } };
	bool was_known = known(b);
	uint64_t old_len = b->len;
	int32_t x;

	b->start = ev->start;
	b->len = ev->len;
	b->firm_start = b->firm_len = true;
	if (was_known && ev->len >= old_len + b->pend_prev + b->pend_next)
		b->pend_next = 0;
	b->pend_prev = 0;
	/* an excerpt may lack the lines that took the donor off the list */
	if (!b->len || b->last_donor < 0)
		return;
	x = overlapping(r, index);
	if (x < 0)
		return;
	evid[1] = (struct nft_evidence){ r->sreqs[x].pos_last,
					 r->sreqs[x].ts_last };
	report(m, r, b->last_donor, evid, 2,
	       "after the donation [%x] covers %llx-%llx, over live [%x] at %llx-%llx: the donated bytes overlap a neighbour (netfs_consume_read_data())",
	       index, (unsigned long long)b->start,
	       (unsigned long long)(b->start + b->len - 1), (unsigned int)x,
	       (unsigned long long)r->sreqs[x].start,
	       (unsigned long long)(r->sreqs[x].start + r->sreqs[x].len - 1));
}

/* The first subrequest added after a defer-next takes the donation. */
static void check_deferred(struct nft_model *m, struct bd_req *r,
			   const struct nft_event *ev, uint32_t index)
{
	struct nft_evidence evid[2] = { { r->defer_pos, r->defer_ts },
					{ ev->pos, ev->ts_ns } };

	if (index <= r->defer_max)
		return;		/* known before: not the one added next */
	/* only an issue-time line shows where it was added */
	if (ev->what != NFT_SREQ_ADDED && ev->what != NFT_SREQ_PREPARE &&
	    ev->what != NFT_SREQ_SUBMIT)
		return;
	r->defer_valid = false;
	if (!r->defer_end_known || ev->start == r->defer_end)
		return;
	report(m, r, r->defer_donor, evid, 2,
	       "deferred %llx to the next subrequest, but the next one, [%x], starts at %llx, not at the donor's end %llx: %s (netfs_consume_read_data())",
	       (unsigned long long)r->defer_amount, index,
	       (unsigned long long)ev->start,
	       (unsigned long long)r->defer_end,
	       ev->start > r->defer_end ? "a gap" : "an overlap");
}

static void sreq_event(struct nft_model *m, struct bd_req *r,
		       const struct nft_event *ev)
{
	struct bd_sreq *b;
	uint32_t index = (uint32_t)ev->index;

	if (ev->source == NFT_SRC_UPLOAD || ev->source == NFT_SRC_CACHE_WRITE)
		return;
	b = get_sreq(r, ev->index);
	if (!b)
		return;
	if (!b->seen) {
		b->seen = true;
		if (r->defer_valid)
			check_deferred(m, r, ev, index);
	}
	if (index > r->max_index)
		r->max_index = index;
	b->pos_last = ev->pos;
	b->ts_last = ev->ts_ns;
	switch (ev->what) {
	case NFT_SREQ_ADD_DONATIONS:
		add_donations(m, r, ev, b, index);
		return;
	case NFT_SREQ_ADDED:
		/* the start holds; prepare_read may still cut the length */
		if (!b->firm_len) {
			b->start = ev->start;
			b->len = ev->len;
			b->firm_start = true;
		}
		return;
	case NFT_SREQ_DONATE_TO_PREV:
		b->start = ev->start;
		b->len = ev->len;
		b->firm_start = b->firm_len = true;
		if (!ev->len)
			b->removed = true;
		return;
	case NFT_SREQ_DONATE_TO_NEXT:
	case NFT_SREQ_CONSUMED:
	case NFT_SREQ_ABANDONED:
	case NFT_SREQ_DISCARD:
	case NFT_SREQ_CANCEL:
	case NFT_SREQ_FREE:
		b->removed = true;
		return;
	case NFT_SREQ_TERMINATED:
		/* 6.12 prints TERM after consuming: a consumed range is 0/0 */
		if (b->removed)
			return;
		break;
	default:
		break;
	}
	if (b->removed)
		return;
	b->start = ev->start;
	b->len = ev->len;
	b->firm_start = b->firm_len = true;
}

/*
 * netfs_consume_read_data() merges pending donations (+DON) before it
 * prints netfs_progress, so with nothing consumed s= is the start; a start
 * lower than the last line said, or more transferred than the length, is a
 * merge an excerpt left out.
 */
static void progress_range(struct bd_sreq *b, const struct nft_event *ev)
{
	uint64_t d;

	if (ev->len)		/* consumed */
		return;
	if (b->firm_len && b->firm_start && ev->start < b->start) {
		d = b->start - ev->start;
		b->len += d;
		b->pend_prev = b->pend_prev > d ? b->pend_prev - d : 0;
	} else if (b->firm_len && b->firm_start && ev->start > b->start) {
		d = ev->start - b->start;
		b->len = b->len > d ? b->len - d : 0;
	}
	if (b->firm_len && ev->transferred > b->len) {
		d = ev->transferred - b->len;
		b->len = ev->transferred;
		b->pend_next = b->pend_next > d ? b->pend_next - d : 0;
	}
	if (!b->seen)
		b->seen = true;
	b->start = ev->start;
	b->firm_start = true;
}

static void bd_event(struct nft_model *m, const struct nft_event *ev,
		     struct nft_request *req, struct nft_subreq *s)
{
	struct bd_state *st;
	struct bd_req *r;
	struct bd_sreq *b;

	(void)s;
	if (!req || !(ev->have & NFT_HAVE_INDEX))
		return;
	switch (ev->kind) {
	case NFT_EV_NETFS_SREQ:
	case NFT_EV_NETFS_SREQ_REF:
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_DONATE:
		break;
	default:
		return;
	}
	/* lost events may have taken the lines that moved a range */
	if (req->uncertain)
		return;
	st = bd_state(m);
	if (!st)
		return;
	r = get_req(st, req);
	if (!r)
		return;
	switch (ev->kind) {
	case NFT_EV_NETFS_SREQ:
		sreq_event(m, r, ev);
		break;
	case NFT_EV_NETFS_SREQ_REF:
		/* remove_subreq: off the list, then netfs_put_subrequest() */
		if (ev->what == NFT_SREF_PUT_CONSUMED) {
			b = get_sreq(r, ev->index);
			if (b)
				b->removed = true;
		}
		break;
	case NFT_EV_NETFS_PROGRESS:
		r->prog_valid = true;
		r->prog_index = ev->index;
		r->prog_s = ev->start;
		r->prog_avail = ev->end;
		r->prog_consumed = ev->len;
		r->prog_pos = ev->pos;
		r->prog_ts = ev->ts_ns;
		b = get_sreq(r, ev->index);
		if (b && !b->removed)
			progress_range(b, ev);
		break;
	case NFT_EV_NETFS_DONATE:
		donate_event(m, r, ev);
		break;
	default:
		break;
	}
}

static void bd_release(struct nft_model *m, struct nft_request *req,
		       bool at_end)
{
	struct bd_state *st = bd_state(m);

	(void)at_end;
	if (!st)
		return;
	nft_reqtab_drop(&st->reqs, req->id, bd_req_free);
}

const struct nft_detector nft_detect_bad_donation = {
	.name = "bad-donation",
	.state_size = sizeof(struct bd_state),
	.state_free = bd_state_free,
	.event = bd_event,
	.release = bd_release,
};
