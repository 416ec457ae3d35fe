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
	l->pending = -1;
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

/* Do @first then @second, starting from @base, explain both prints? */
static bool order_ok(int64_t base, const struct nft_ref_entry *first,
		     const struct nft_ref_entry *second)
{
	int64_t mid = apply(base, first);

	return mid == first->printed && apply(mid, second) == second->printed;
}

/* Judge @e (already stored at @idx) against the current count. */
static enum nft_ledger_verdict judge(struct nft_ledger *l, uint32_t idx)
{
	struct nft_ref_entry *e = &l->v[idx];
	struct nft_ref_entry *prev = idx ? &l->v[idx - 1] : NULL;

	e->expected = (int32_t)apply(l->count, e);
	if (e->expected == e->printed) {
		l->prev_count = l->count;
		l->count = e->printed;
		return NFT_LEDGER_OK;
	}
	/* The previous entry may have reached the buffer after this one. */
	if (prev && prev->op != NFT_REF_NEW &&
	    order_ok(l->prev_count, e, prev)) {
		e->expected = e->printed;
		prev->expected = prev->printed;
		return NFT_LEDGER_OK;
	}
	l->pending = (int)idx;
	return NFT_LEDGER_HELD;
}

enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *in,
				       uint32_t *bad)
{
	struct nft_ref_entry *e;
	uint32_t idx, held;

	if (in->op == NFT_REF_NEW)
		l->born = true;
	e = append(l, in);
	if (!e)
		return NFT_LEDGER_OK;	/* past the cap: history not kept */
	idx = (uint32_t)(e - l->v);
	if (!l->known) {
		e->expected = INT32_MIN;
		l->count = e->printed;
		l->prev_count = e->printed;
		l->known = true;
		return NFT_LEDGER_FIRST;
	}
	if (l->pending < 0)
		return judge(l, idx);
	held = (uint32_t)l->pending;
	l->pending = -1;
	/* The held entry and this one, the other way round? */
	if (order_ok(l->count, e, &l->v[held])) {
		e->expected = e->printed;
		l->v[held].expected = l->v[held].printed;
		l->prev_count = e->printed;
		l->count = l->v[held].printed;
		return NFT_LEDGER_OK;
	}
	/* No: the held entry really disagrees. Go on from what it printed. */
	*bad = held;
	l->prev_count = l->count;
	l->count = l->v[held].printed;
	judge(l, idx);
	return NFT_LEDGER_MISMATCH;
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

int nft_ledger_flush(struct nft_ledger *l, uint32_t *bad)
{
	if (l->pending < 0)
		return 0;
	*bad = (uint32_t)l->pending;
	l->pending = -1;
	return 1;
}

int64_t nft_ledger_last_printed(const struct nft_ledger *l)
{
	return l->known ? l->count : -1;
}
