// SPDX-License-Identifier: GPL-2.0
/*
 * Ref ledger arithmetic.  The kernel prints the count after the operation
 * (get prints old+1, put old-1, NEW the initial count, SEE the count it
 * read), so every printed count is a witness of the true order of the
 * atomics, whatever the order of the lines: a CPU can be held up (preempted,
 * a vCPU stalled) between a refcount's atomic and its trace line for any
 * time, and its line then comes after many later ones (a GET SUBREQ r=55
 * traced after three later puts, a PUT TERM r=1 1.9 ms after the FREE).
 *
 * So a ledger is judged on the multiset of its entries, not their order.
 * A get that printed v is a step v-1 -> v, a put that printed v a step
 * v+1 -> v; the entries are explained iff some order of all of them is a
 * walk of +1/-1 steps from the birth count (NEW) that passes every SEE's
 * count.  On a line of counts such a walk (an Euler trail) exists iff, for
 * each cut k|k+1, the gets printing k+1 minus the puts printing k are +1
 * between the start s and the end e (s < e), -1 between e and s (e < s),
 * 0 elsewhere, and every cut between the lowest and highest count touched
 * is crossed at least once.  That needs two numbers per cut an entry
 * crossed, not the history, so memory follows the entries.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refs.h"

/* Beyond this, entries are counted but not kept (a hot cookie's history). */
#define LEDGER_MAX 4096
/* The (s, e) fit that names a culprit only searches this many counts. */
#define FIT_RANGE 64

void nft_ledger_init(struct nft_ledger *l)
{
	memset(l, 0, sizeof(*l));
	l->lo = INT32_MAX;
	l->hi = INT32_MIN;
}

void nft_ledger_release(struct nft_ledger *l)
{
	free(l->v);
	free(l->cut);
	nft_ledger_init(l);
}

int nft_ledger_dup(struct nft_ledger *dst, const struct nft_ledger *src)
{
	*dst = *src;
	dst->v = NULL;
	dst->cut = NULL;
	if (src->n) {
		dst->v = malloc(src->n * sizeof(*dst->v));
		if (!dst->v)
			goto nomem;
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	}
	dst->cap = src->n;
	dst->capcut = src->ncut;
	if (src->ncut) {
		dst->cut = malloc(src->ncut * sizeof(*dst->cut));
		if (!dst->cut)
			goto nomem;
		memcpy(dst->cut, src->cut, src->ncut * sizeof(*dst->cut));
	}
	return 0;
nomem:
	free(dst->v);
	nft_ledger_init(dst);
	return -1;
}

static int delta_of(int op)
{
	return op == NFT_REF_GET ? 1 : op == NFT_REF_PUT ? -1 : 0;
}

static void keep(struct nft_ledger *l, const struct nft_ref_entry *e)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		struct nft_ref_entry *v;

		if (l->n >= LEDGER_MAX) {
			l->dropped++;
			return;
		}
		v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->dropped++;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *e;
}

/* The cut k|k+1, created when @create; NULL if absent or no memory. */
static struct nft_ledger_cut *cut_at(struct nft_ledger *l, int32_t k,
				     bool create)
{
	uint32_t lo = 0, hi = l->ncut;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (l->cut[mid].k < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->ncut && l->cut[lo].k == k)
		return &l->cut[lo];
	if (!create)
		return NULL;
	if (l->ncut == l->capcut) {
		uint32_t cap = l->capcut ? l->capcut * 2 : 8;
		struct nft_ledger_cut *c = realloc(l->cut, cap * sizeof(*c));

		if (!c)
			return NULL;
		l->cut = c;
		l->capcut = cap;
	}
	memmove(l->cut + lo + 1, l->cut + lo, (l->ncut - lo) * sizeof(*l->cut));
	l->ncut++;
	l->cut[lo] = (struct nft_ledger_cut){ .k = k };
	return &l->cut[lo];
}

static void touch(struct nft_ledger *l, int32_t node)
{
	if (node < l->lo)
		l->lo = node;
	if (node > l->hi)
		l->hi = node;
}

/* Add @e to the cuts; false if no chain can hold its count. */
static bool tally(struct nft_ledger *l, const struct nft_ref_entry *e)
{
	struct nft_ledger_cut *c;
	int32_t v = e->printed;

	/*
	 * A negative count is an underflow, reported at once on its own
	 * (detect/ref_mismatch.c): no second finding for this ledger.
	 */
	if (v < 0) {
		l->judged = true;
		return true;
	}
	if (v > NFT_LEDGER_VMAX || (e->op == NFT_REF_GET && v < 1))
		return false;
	switch (e->op) {
	case NFT_REF_GET:
		c = cut_at(l, v - 1, true);
		if (!c)
			return false;
		c->net++;
		c->cross++;
		touch(l, v - 1);
		break;
	case NFT_REF_PUT:
		c = cut_at(l, v, true);
		if (!c)
			return false;
		c->net--;
		c->cross++;
		touch(l, v + 1);
		break;
	case NFT_REF_NEW:
		if (!l->born) {
			l->born = true;
			l->base = v;
		}
		break;
	default:
		break;
	}
	touch(l, v);
	return true;
}

/*
 * Is there a walk through every entry (see above)?  *@end: where it ends
 * (the current count); when start and end may be anywhere, the last count
 * printed.
 */
static bool chain(const struct nft_ledger *l, int32_t *end)
{
	int32_t first = -1, last = -1, sign = 0, s, e;
	uint32_t i;

	if (l->wild)
		return false;
	if (l->lo > l->hi) {
		*end = l->last;
		return true;
	}
	/* every cut in reach crossed: the cuts are all of lo..hi-1 */
	if ((int64_t)l->ncut != (int64_t)l->hi - l->lo)
		return false;
	for (i = 0; i < l->ncut; i++) {
		int32_t net = l->cut[i].net, k = l->cut[i].k;

		if (!net)
			continue;
		if ((net != 1 && net != -1) || (sign && net != sign) ||
		    (last >= 0 && k != last + 1))
			return false;
		sign = net;
		if (first < 0)
			first = k;
		last = k;
	}
	if (!sign)
		s = e = l->born ? l->base : l->last;
	else if (sign > 0)
		s = first, e = last + 1;
	else
		s = last + 1, e = first;
	if (l->born && s != l->base)
		return false;
	*end = e;
	return true;
}

static void settle(struct nft_ledger *l)
{
	int32_t end;

	l->explained = chain(l, &end);
	l->count = l->explained ? end : l->last;
}

enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *in,
				       uint32_t *bad)
{
	struct nft_ref_entry e = *in;
	bool first = !l->known;

	(void)bad;
	e.expected = first && e.op != NFT_REF_NEW ? INT32_MIN : e.printed;
	keep(l, &e);
	l->n_entries++;
	if (!tally(l, &e))
		l->wild = true;
	l->known = true;
	if (e.printed >= 0)
		l->last = e.printed;
	settle(l);
	if (first)
		return NFT_LEDGER_FIRST;
	return l->explained ? NFT_LEDGER_OK : NFT_LEDGER_HELD;
}

struct nft_ref_entry nft_ref_entry_of(const struct nft_event *ev,
				      enum nft_sym_class cls)
{
	struct nft_ref_entry e = {
		.pos = ev->pos,
		.ts_ns = ev->ts_ns,
		.cls = cls,
		.what = ev->what,
		.op = ev->what ? nft_ref_op(cls, ev->what) : NFT_REF_SEE,
		.printed = (int32_t)ev->ref,
	};

	return e;
}

bool nft_ledger_explained(struct nft_ledger *l)
{
	return l->explained;
}

/* ---- naming the culprit of a ledger no order explains ---- */

static int32_t cut_net(const struct nft_ledger *l, int32_t k)
{
	const struct nft_ledger_cut *c =
		cut_at((struct nft_ledger *)l, k, false);

	return c ? c->net : 0;
}


/* How far the nets are from a walk @s -> @e: sum of |net - wanted|. */
static int64_t misfit(const struct nft_ledger *l, int32_t s, int32_t e,
		      int32_t lo, int32_t hi)
{
	int64_t sum = 0;
	int32_t k;

	for (k = lo; k < hi; k++) {
		int32_t want = (s <= k && k < e) - (e <= k && k < s);
		int32_t d = cut_net(l, k) - want;

		sum += d < 0 ? -d : d;
	}
	return sum;
}

/* The last kept entry of @op printing @v, or UINT32_MAX. */
static uint32_t last_entry(const struct nft_ledger *l, int op, int32_t v)
{
	uint32_t i = l->n;

	while (i--)
		if (l->v[i].op == op && l->v[i].printed == v)
			return i;
	return UINT32_MAX;
}

/* The first kept entry printing a count on the far side of cut @k from @s. */
static uint32_t beyond(const struct nft_ledger *l, int32_t k, int32_t s)
{
	uint32_t i;

	for (i = 0; i < l->n; i++) {
		const struct nft_ref_entry *e = &l->v[i];
		int32_t lo = e->printed - (e->op == NFT_REF_GET);
		int32_t hi = e->printed + (e->op == NFT_REF_PUT);

		if (e->printed < 0)
			continue;
		if (s <= k ? lo > k : hi <= k)
			return i;
	}
	return UINT32_MAX;
}

/* What the trace order's arithmetic expected of entry @idx. */
static int32_t trace_order_expects(const struct nft_ledger *l, uint32_t idx)
{
	const struct nft_ref_entry *e = &l->v[idx];
	int64_t c;

	if (e->op == NFT_REF_NEW)
		return e->printed;
	if (idx)
		c = l->v[idx - 1].printed;
	else if (l->born)
		c = l->base;
	else
		return INT32_MIN;
	return (int32_t)(c + delta_of(e->op));
}

static uint32_t judge(const struct nft_ledger *l, char *why, size_t sz)
{
	int32_t lo = l->lo, hi = l->hi, s, e, best_s, best_e, k;
	int64_t best = -1;
	uint32_t i, bad = UINT32_MAX;

	snprintf(why, sz, "no order of its %u ref lines chains their counts",
		 l->n_entries);
	if (l->wild) {
		for (i = 0; i < l->n; i++)
			if (l->v[i].printed > NFT_LEDGER_VMAX ||
			    (l->v[i].op == NFT_REF_GET && l->v[i].printed == 0))
				break;
		snprintf(why, sz, "a count no get or put of this object can print");
		return i < l->n ? i : UINT32_MAX;
	}
	/* the walk that fits the nets best names the cut that is off */
	best_s = s = l->born ? l->base :
		     l->n ? l->v[0].printed - delta_of(l->v[0].op) : lo;
	best_e = l->last;
	if (hi - lo <= FIT_RANGE) {
		int32_t s_lo = l->born ? l->base : lo;
		int32_t s_hi = l->born ? l->base : hi;

		for (s = s_lo; s <= s_hi; s++)
			for (e = lo; e <= hi; e++) {
				int64_t f = misfit(l, s, e, lo, hi);

				if (best < 0 || f < best ||
				    (f == best && e == l->last)) {
					best = f;
					best_s = s;
					best_e = e;
				}
			}
	}
	s = best_s;
	e = best_e;
	/* a cut no entry crosses is a gap, named below */
	for (i = 0; i < l->ncut; i++) {
		int32_t want, d;
		uint32_t cand;

		k = l->cut[i].k;
		want = (s <= k && k < e) - (e <= k && k < s);
		d = l->cut[i].net - want;

		if (!d)
			continue;
		if (d < 0) {
			cand = last_entry(l, NFT_REF_PUT, k);
			if (cand == UINT32_MAX)
				cand = last_entry(l, NFT_REF_GET, k + 1);
		} else {
			cand = last_entry(l, NFT_REF_GET, k + 1);
			if (cand == UINT32_MAX)
				cand = last_entry(l, NFT_REF_PUT, k);
		}
		/* of the cuts that are off, blame the line that came first */
		if (cand != UINT32_MAX && (bad == UINT32_MAX || cand < bad)) {
			bad = cand;
			snprintf(why, sz,
				 "no order of its %u ref lines chains their counts: %d more %s than %s between r=%d and r=%d",
				 l->n_entries, d < 0 ? -d : d,
				 d < 0 ? "put(s)" : "get(s)",
				 d < 0 ? "gets" : "puts", k, k + 1);
		}
	}
	if (bad != UINT32_MAX)
		return bad;
	/* the first count lo..hi-1 whose cut no entry crosses */
	for (k = lo, i = 0; i < l->ncut && l->cut[i].k == k; i++)
		k++;
	if (k < hi) {
		snprintf(why, sz,
			 "no get or put of its %u ref lines moves the count between r=%d and r=%d",
			 l->n_entries, k, k + 1);
		return beyond(l, k, s);
	}
	return l->n ? l->n - 1 : UINT32_MAX;
}

int nft_ledger_flush(struct nft_ledger *l, uint32_t *bad, char *why,
		     size_t sz)
{
	uint32_t i;

	if (l->explained || l->judged || !l->known)
		return 0;
	l->judged = true;
	i = judge(l, why, sz);
	*bad = i;
	if (i < l->n)
		l->v[i].expected = trace_order_expects(l, i);
	return 1;
}

int64_t nft_ledger_last_printed(const struct nft_ledger *l)
{
	return l->known ? l->count : -1;
}

/* ---- who holds a request's refs ---- */

static enum nft_rreq_holder holder_of(uint16_t what)
{
	switch (what) {
	case NFT_RREF_NEW:
	case NFT_RREF_PUT_RETURN:
	case NFT_RREF_PUT_COMPLETE:
	case NFT_RREF_PUT_DISCARD:
	case NFT_RREF_PUT_FAILED:
	case NFT_RREF_PUT_NO_SUBMIT:
	case NFT_RREF_PUT_ZERO_LEN:
	case NFT_RREF_PUT_WORK_IP:
		return NFT_HOLD_CALLER;
	case NFT_RREF_GET_SUBREQ:
	case NFT_RREF_PUT_SUBREQ:
		return NFT_HOLD_SUBREQ;
	case NFT_RREF_GET_WORK:
	case NFT_RREF_PUT_WORK:
	case NFT_RREF_PUT_WORK_COMPLETE:
	case NFT_RREF_PUT_WORK_NQ:
		return NFT_HOLD_WORK;
	case NFT_RREF_GET_HOLD:
	case NFT_RREF_PUT_HOLD:
		return NFT_HOLD_ISSUE;
	default:
		return NFT_HOLD_OTHER;
	}
}

void nft_rreq_holds(const struct nft_ledger *l, struct nft_rreq_holds *h)
{
	uint32_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < NFT_HOLD__NR; i++)
		h->last_get[i] = UINT32_MAX;
	h->complete = !l->dropped;
	for (i = 0; i < l->n; i++) {
		const struct nft_ref_entry *e = &l->v[i];
		enum nft_rreq_holder k;

		if (e->cls != NFT_SYMC_RREQ_REF)
			continue;
		k = holder_of(e->what);
		switch (e->op) {
		case NFT_REF_NEW:
			if (e->printed > 0 && e->printed <= NFT_LEDGER_VMAX)
				h->n[k] += e->printed;
			h->last_get[k] = i;
			break;
		case NFT_REF_GET:
			h->n[k]++;
			h->last_get[k] = i;
			break;
		case NFT_REF_PUT:
			h->n[k]--;
			h->put_return |= e->what == NFT_RREF_PUT_RETURN;
			break;
		default:
			break;
		}
	}
}

uint32_t nft_ledger_last_before(const struct nft_ledger *l, uint16_t what,
				uint64_t pos)
{
	uint32_t i = l->n;

	while (i--)
		if (l->v[i].what == what && l->v[i].pos < pos)
			return i;
	return UINT32_MAX;
}
