// SPDX-License-Identifier: GPL-2.0
/*
 * Ref ledger arithmetic.  The kernel prints the count after the operation
 * (get prints old+1, put old-1, NEW the initial count), so the first entry
 * of an object whose birth we did not see gives us its base.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "refs.h"

/* Beyond this, entries are counted but not kept (a hot cookie's history). */
#define LEDGER_MAX 4096

void nft_ledger_init(struct nft_ledger *l)
{
	memset(l, 0, sizeof(*l));
}

void nft_ledger_release(struct nft_ledger *l)
{
	free(l->v);
	nft_ledger_init(l);
}

static int delta_of(int op)
{
	return op == NFT_REF_GET ? 1 : op == NFT_REF_PUT ? -1 : 0;
}

static int64_t apply(int64_t count, const struct nft_ref_entry *e)
{
	return e->op == NFT_REF_NEW ? e->printed : count + delta_of(e->op);
}

static struct nft_ref_entry *append(struct nft_ledger *l,
				    const struct nft_ref_entry *e)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		struct nft_ref_entry *v;

		if (l->n >= LEDGER_MAX) {
			l->dropped++;
			return NULL;
		}
		v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->dropped++;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = *e;
	return &l->v[l->n++];
}

/* Accept entry @idx: the count moves to what it printed. */
static void accept(struct nft_ledger *l, uint32_t idx)
{
	const struct nft_ref_entry *e = &l->v[idx];

	l->v[idx].expected = e->printed;
	if (e->op == NFT_REF_NEW) {
		/* nothing traced before a birth can belong after it */
		l->n_recent = 0;
	} else {
		if (l->n_recent == NFT_LEDGER_LOOKBACK)
			memmove(l->recent, l->recent + 1,
				--l->n_recent * sizeof(l->recent[0]));
		l->recent[l->n_recent].idx = idx;
		l->recent[l->n_recent++].before = (int32_t)l->count;
	}
	l->count = e->printed;
}

/* The entries one search may order: the last @back accepted, then the held. */
struct ledger_try {
	uint32_t idx[NFT_LEDGER_LOOKBACK + NFT_LEDGER_HOLD];
	uint8_t order[NFT_LEDGER_LOOKBACK + NFT_LEDGER_HOLD];
	unsigned int n;
	/* masks known to lead nowhere; only when the count follows the mask */
	uint32_t dead[(1u << (NFT_LEDGER_LOOKBACK + NFT_LEDGER_HOLD)) / 32];
	bool memo;
};

static bool same_entry(const struct nft_ref_entry *a,
		       const struct nft_ref_entry *b)
{
	return a->op == b->op && a->printed == b->printed;
}

/*
 * Is there an order of @t's entries, starting from count @c, in which every
 * one prints what the one before it left?  Equal entries are tried once
 * per place and dead ends remembered, so a search stays small.
 */
static bool find_order(const struct nft_ledger *l, struct ledger_try *t,
		       int64_t c, uint32_t used, unsigned int depth)
{
	unsigned int i, k;

	if (depth == t->n)
		return true;
	if (t->memo && (t->dead[used / 32] & (1u << (used % 32))))
		return false;
	for (i = 0; i < t->n; i++) {
		const struct nft_ref_entry *e = &l->v[t->idx[i]];

		if ((used & (1u << i)) || apply(c, e) != e->printed)
			continue;
		for (k = 0; k < i; k++)
			if (!(used & (1u << k)) &&
			    same_entry(&l->v[t->idx[k]], e))
				break;
		if (k < i)
			continue;
		t->order[depth] = (uint8_t)i;
		if (find_order(l, t, e->printed, used | 1u << i, depth + 1))
			return true;
	}
	if (t->memo)
		t->dead[used / 32] |= 1u << (used % 32);
	return false;
}

/* Search from @c; on success accept @t's entries in the order found. */
static bool try_from(struct nft_ledger *l, struct ledger_try *t, int64_t c)
{
	unsigned int i;

	memset(t->dead, 0, sizeof(t->dead));
	if (!find_order(l, t, c, 0, 0))
		return false;
	l->count = c;
	for (i = 0; i < t->n; i++)
		accept(l, t->idx[t->order[i]]);
	l->n_held = 0;
	return true;
}

/*
 * Move the held entries before the last @back accepted ones and look for
 * an order.  Without a NEW, the base was read off the first entry seen,
 * which may itself have arrived out of order: let any entry be the first.
 */
static bool resolve_back(struct nft_ledger *l, unsigned int back)
{
	unsigned int first = l->n_recent - back, i;
	struct ledger_try t;
	bool has_first = false;
	int64_t c = back ? l->recent[first].before : l->count;

	t.n = 0;
	t.memo = true;
	for (i = first; i < l->n_recent; i++)
		t.idx[t.n++] = l->recent[i].idx;
	for (i = 0; i < l->n_held; i++)
		t.idx[t.n++] = l->held[i];
	for (i = 0; i < t.n; i++) {
		has_first |= t.idx[i] == 0;
		t.memo &= l->v[t.idx[i]].op != NFT_REF_NEW;
	}
	/* try_from() accepts again from the start of the window */
	l->n_recent = first;
	if (try_from(l, &t, c))
		return true;
	for (i = 0; !l->born && has_first && i < t.n; i++) {
		const struct nft_ref_entry *e = &l->v[t.idx[i]];

		if (try_from(l, &t, e->printed - delta_of(e->op)))
			return true;
	}
	l->n_recent = first + back;
	return false;
}

static bool resolve(struct nft_ledger *l)
{
	unsigned int back;

	for (back = 0; back <= l->n_recent; back++)
		if (resolve_back(l, back))
			return true;
	return false;
}

/*
 * No order explains the held entries: take them in trace order, blame the
 * first that disagrees and go on from what it printed (the kernel's count
 * is the truth from there on).  Returns 1 and *@bad if one disagreed.
 */
static int give_up(struct nft_ledger *l, uint32_t *bad)
{
	int found = 0;
	unsigned int i;

	for (i = 0; i < l->n_held; i++) {
		struct nft_ref_entry *e = &l->v[l->held[i]];
		int32_t expected = (int32_t)apply(l->count, e);

		if (expected != e->printed && !found) {
			*bad = l->held[i];
			found = 1;
		}
		accept(l, l->held[i]);
		e->expected = expected;
	}
	l->n_held = 0;
	return found;
}

enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *in,
				       uint32_t *bad)
{
	struct nft_ref_entry *e;
	uint32_t idx;

	if (in->op == NFT_REF_NEW)
		l->born = true;
	e = append(l, in);
	if (!e)
		return NFT_LEDGER_OK;	/* past the cap: history not kept */
	idx = (uint32_t)(e - l->v);
	if (!l->known) {
		l->known = true;
		l->count = e->printed - delta_of(e->op);
		accept(l, idx);
		e->expected = INT32_MIN;
		return NFT_LEDGER_FIRST;
	}
	if (!l->n_held && apply(l->count, e) == e->printed) {
		accept(l, idx);
		return NFT_LEDGER_OK;
	}
	l->held[l->n_held++] = idx;
	e->expected = (int32_t)apply(l->count, e);
	if (resolve(l))
		return NFT_LEDGER_OK;
	if (l->n_held < NFT_LEDGER_HOLD)
		return NFT_LEDGER_HELD;
	return give_up(l, bad) ? NFT_LEDGER_MISMATCH : NFT_LEDGER_OK;
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
	return !l->n_held || resolve(l);
}

int nft_ledger_flush(struct nft_ledger *l, uint32_t *bad)
{
	if (!l->n_held || resolve(l))
		return 0;
	return give_up(l, bad);
}

int64_t nft_ledger_last_printed(const struct nft_ledger *l)
{
	return l->known ? l->count : -1;
}
