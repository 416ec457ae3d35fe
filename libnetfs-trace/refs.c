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

/* Does entry @b, then @a, explain both prints starting from @base? */
static int swapped_ok(int64_t base, const struct nft_ref_entry *a,
		      const struct nft_ref_entry *b)
{
	int64_t mid = apply(base, b);

	return mid == b->printed && apply(mid, a) == a->printed;
}

enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *in,
				       uint32_t *bad)
{
	struct nft_ref_entry e = *in, *held = NULL, *stored;
	int64_t before;

	if (e.op == NFT_REF_NEW)
		l->born = true;
	if (!l->known) {
		e.expected = INT32_MIN;
		append(l, &e);
		l->count = e.printed;
		l->known = true;
		return NFT_LEDGER_FIRST;
	}
	if (l->pending >= 0 && (uint32_t)l->pending < l->n)
		held = &l->v[l->pending];
	before = held ? held->expected - delta_of(held->op) : l->count;
	if (held && held->op == NFT_REF_NEW)
		before = l->count;
	e.expected = (int32_t)apply(held ? apply(before, held) : l->count, &e);
	stored = append(l, &e);
	if (!held) {
		if (e.expected == e.printed) {
			l->count = e.printed;
			return NFT_LEDGER_OK;
		}
		l->pending = stored ? (int)(stored - l->v) : -1;
		l->count = e.printed;
		return stored ? NFT_LEDGER_HELD : NFT_LEDGER_MISMATCH;
	}
	l->pending = -1;
	if (swapped_ok(before, held, &e)) {
		l->count = held->printed;
		if (stored)
			stored->expected = stored->printed;
		held->expected = held->printed;
		return NFT_LEDGER_OK;
	}
	*bad = (uint32_t)(held - l->v);
	l->count = e.printed;
	return NFT_LEDGER_MISMATCH;
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
