/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ref ledgers: every get/put/see of one object, with the count the kernel
 * printed and the count our arithmetic expected.
 */
#ifndef NFT_REFS_H
#define NFT_REFS_H

#include "model.h"

enum nft_ledger_verdict {
	NFT_LEDGER_OK,
	NFT_LEDGER_FIRST,	/* first entry, base taken from the print */
	NFT_LEDGER_MISMATCH,	/* (not returned by nft_ledger_add any more) */
	NFT_LEDGER_HELD,	/* no order explains the entries so far */
};

void nft_ledger_init(struct nft_ledger *l);
void nft_ledger_release(struct nft_ledger *l);

/*
 * Record one ref trace.  Trace lines can reach the buffer in any order
 * relative to their atomics, so a ledger is never judged on the way: HELD
 * says no order explains the entries so far, and a line still to come (a
 * late one) may.  Only its owner knows when no more can come
 * (nft_ledger_flush()).  @bad is unused.
 */
enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *e,
				       uint32_t *bad);

/* The ledger entry for a ref trace @ev whose symbol is of class @cls. */
struct nft_ref_entry nft_ref_entry_of(const struct nft_event *ev,
				      enum nft_sym_class cls);

/* Does some order of all the entries chain their counts? */
bool nft_ledger_explained(struct nft_ledger *l);

/*
 * No more lines will come: if no order explains the entries, return 1 (once
 * per ledger) with *@bad the index of the entry to blame (>= l->n when it
 * was not kept) and in @why what is off.  Else 0.
 */
int nft_ledger_flush(struct nft_ledger *l, uint32_t *bad, char *why,
		     size_t sz);

/* The count now (printed value), -1 if nothing seen. */
int64_t nft_ledger_last_printed(const struct nft_ledger *l);

#endif /* NFT_REFS_H */
