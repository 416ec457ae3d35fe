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
	NFT_LEDGER_MISMATCH,	/* printed count disagrees (after reorder) */
	NFT_LEDGER_HELD,	/* disagrees; waiting for the next entry */
};

void nft_ledger_init(struct nft_ledger *l);
void nft_ledger_release(struct nft_ledger *l);

/*
 * Record one ref trace.  Trace lines of two CPUs can reach the buffer in
 * another order than their atomic operations, so a disagreement is held
 * back (HELD) until some order of the held entries and the last few
 * accepted ones explains every count (see NFT_LEDGER_HOLD).  On MISMATCH,
 * *@bad is the index of the entry that disagreed.
 */
enum nft_ledger_verdict nft_ledger_add(struct nft_ledger *l,
				       const struct nft_ref_entry *e,
				       uint32_t *bad);

/* The ledger entry for a ref trace @ev whose symbol is of class @cls. */
struct nft_ref_entry nft_ref_entry_of(const struct nft_event *ev,
				      enum nft_sym_class cls);

/* Does some order explain the held entries (none held: true)?  Accepts them if so. */
bool nft_ledger_explained(struct nft_ledger *l);

/* A held entry that no later entry explained: 1 and its index, else 0. */
int nft_ledger_flush(struct nft_ledger *l, uint32_t *bad);

/* The count after the last entry (printed value), -1 if nothing seen. */
int64_t nft_ledger_last_printed(const struct nft_ledger *l);

#endif /* NFT_REFS_H */
