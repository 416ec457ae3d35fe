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
	l->last_ok = -1;
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

/* Accept @e: the count moves to what it printed. */
static void accept(struct nft_ledger *l, uint32_t idx)
{
	l->v[idx].expected = l->v[idx].printed;
	l->prev_count = l->count;
	l->count = l->v[idx].printed;
	l->last_ok = (int32_t)idx;
}

/*
 * Is there an order of the held entries, starting from count @c, in which
 * every one prints what the one before it left?  At most NFT_LEDGER_HOLD!
 * tries, and in practice a handful.
 */
static bool find_order(const struct nft_ledger *l, int64_t c, unsigned int used,
		       uint8_t *order, unsigned int depth)
{
	unsigned int i;

	if (depth == l->n_held)
		return true;
	for (i = 0; i < l->n_held; i++) {
		const struct nft_ref_entry *e = &l->v[l->held[i]];

		if ((used & (1u << i)) || apply(c, e) != e->printed)
			continue;
		order[depth] = (uint8_t)i;
		if (find_order(l, e->printed, used | 1u << i, order, depth + 1))
			return true;
	}
	return false;
}

static bool holds_first(const struct nft_ledger *l)
{
	unsigned int i;

	for (i = 0; i < l->n_held; i++)
		if (l->held[i] == 0)
			return true;
	return false;
}

static bool resolve(struct nft_ledger *l)
{
	uint8_t order[NFT_LEDGER_HOLD];
	unsigned int i;
	bool found = find_order(l, l->count, 0, order, 0);

	/*
	 * Without a NEW the base was read off the first entry seen, which may
	 * itself have arrived out of order: let any held entry be the first.
	 */
	for (i = 0; !found && !l->born && holds_first(l) && i < l->n_held; i++) {
		const struct nft_ref_entry *e = &l->v[l->held[i]];

		found = find_order(l, e->printed - delta_of(e->op), 0, order, 0);
	}
	if (!found)
		return false;
	for (i = 0; i < l->n_held; i++)
		accept(l, l->held[order[i]]);
	l->n_held = 0;
	return true;
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
		l->count = e->printed;
		accept(l, idx);
		e->expected = INT32_MIN;
		return NFT_LEDGER_FIRST;
	}
	if (!l->n_held && apply(l->count, e) == e->printed) {
		accept(l, idx);
		return NFT_LEDGER_OK;
	}
	/* The last accepted entry may belong after this one: hold it too. */
	if (!l->n_held && l->last_ok >= 0 &&
	    l->v[l->last_ok].op != NFT_REF_NEW) {
		l->held[l->n_held++] = (uint32_t)l->last_ok;
		l->count = l->prev_count;
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
