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
/* A copy of @src in @dst (its own memory); 0, or -1 with @dst empty. */
int nft_ledger_dup(struct nft_ledger *dst, const struct nft_ledger *src);

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

/*
 * Who holds a request's refs, from the reasons of its ledger's entries
 * (fs/netfs/objects.c, buffered_read.c, read_collect.c): the caller (the
 * NEW's count, put by PUT RETURN/COMPLT/..., and on 6.16+ by PUT WORK IP
 * for the IN_PROGRESS ref), each subrequest (GET/PUT SUBREQ), the work item
 * (GET WORK / PUT WORK*), 6.1's issuing hold (GET/PUT HOLD), the rest.
 */
enum nft_rreq_holder {
	NFT_HOLD_CALLER,
	NFT_HOLD_SUBREQ,
	NFT_HOLD_WORK,
	NFT_HOLD_ISSUE,
	NFT_HOLD_OTHER,
	NFT_HOLD__NR
};

struct nft_rreq_holds {
	int32_t n[NFT_HOLD__NR];	/* refs held: gets (or NEW) - puts */
	uint32_t last_get[NFT_HOLD__NR];	/* ledger index, UINT32_MAX none */
	bool put_return;		/* the caller's PUT RETURN was seen */
	bool complete;			/* every entry was kept */
};

void nft_rreq_holds(const struct nft_ledger *l, struct nft_rreq_holds *h);

/* The last kept entry of symbol @what before line @pos; UINT32_MAX none. */
uint32_t nft_ledger_last_before(const struct nft_ledger *l, uint16_t what,
				uint64_t pos);

#endif /* NFT_REFS_H */
