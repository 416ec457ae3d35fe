/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel generations: one table per generation (struct nft_gen_profile)
 * holding everything that tells one kernel's netfs traces from another's:
 * the NETFS_RREQ_* / NETFS_SREQ_* bit numbers that `f=` prints, the symbol
 * spellings that changed, the request ref protocol and the event layouts.
 * The text decoder, the model, the reports and the engine all read it
 * instead of testing a generation themselves.
 *
 * The bit numbers are include/linux/netfs.h of each release (see gen.c for
 * the commits that moved them); the table is indexed by enum nft_gen
 * (model.h), like the kernel's tools/lib tables, with designated
 * initializers.
 */
#ifndef NFT_GEN_H
#define NFT_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/*
 * Every NETFS_RREQ_* flag any generation has.  Not kernel bit numbers: the
 * profile's rreq_flag_bit[] maps each to its bit there, or -1 if absent.
 */
enum nft_rflag {
	NFT_RF_IN_PROGRESS,
	NFT_RF_ALL_QUEUED,
	NFT_RF_PAUSE,
	NFT_RF_FAILED,
	NFT_RF_RETRYING,	/* 6.14+: in the retry path */
	NFT_RF_NEED_RETRY,	/* 6.12-6.13 only (replaced by RETRYING) */
	NFT_RF_SHORT_TRANSFER,
	NFT_RF_OFFLOAD_COLLECTION,
	NFT_RF_NO_UNLOCK_FOLIO,
	NFT_RF_DONT_UNLOCK_FOLIOS,
	NFT_RF_INCOMPLETE_IO,
	NFT_RF_COPY_TO_CACHE,
	NFT_RF_WRITE_TO_CACHE,
	NFT_RF_FOLIO_COPY_TO_CACHE,
	NFT_RF_UPLOAD_TO_SERVER,
	NFT_RF_NONBLOCK,
	NFT_RF_BLOCKED,
	NFT_RF_USE_IO_ITER,
	NFT_RF_USE_PGPRIV2,
	NFT_RF_RA_REFS,		/* 7.x captures: bit 17 on readahead (RA-PUT) */
	NFT_RF__NR
};

/* Every NETFS_SREQ_* flag any generation has. */
enum nft_sflag {
	NFT_SF_COPY_TO_CACHE,
	NFT_SF_CLEAR_TAIL,
	NFT_SF_SHORT_IO,
	NFT_SF_SEEK_DATA_READ,
	NFT_SF_NO_PROGRESS,	/* <= 6.12 */
	NFT_SF_MADE_PROGRESS,	/* 6.13+ (4acb665cf4f3), same bit 4, the
				 * opposite sense */
	NFT_SF_ONDEMAND,
	NFT_SF_BOUNDARY,
	NFT_SF_HIT_EOF,
	NFT_SF_IN_PROGRESS,
	NFT_SF_NEED_RETRY,
	NFT_SF_RETRYING,	/* <= 6.12 (bit 10; 6.13 moved FAILED there) */
	NFT_SF_FAILED,
	NFT_SF__NR
};

/* How the request's work item holds refs (netfs_rreq_ref traces). */
enum nft_gen_work_refs {
	NFT_WORK_REFS_HOLD,	/* <= 6.9: GET HOLD / PUT HOLD around the work */
	NFT_WORK_REFS_GET_WORK,	/* 6.10-6.15: GET WORK, PUT WORK, PUT WORK NQ */
	NFT_WORK_REFS_NO_REF,	/* 6.16+: the item owns none; PUT WORK IP */
};

/* Spellings that changed; index into nft_gen_profile.spell[]. */
enum nft_gen_spelling {
	NFT_SPELL_GET_RESUBMIT,	/* netfs_sreq_ref: "GET RESUBMIT" / "GET RESUBMT" */
	NFT_SPELL_WAIT_QUIESCE,	/* netfs_rreq: "WAIT-Q " / "WAIT-QUIESCE" */
	NFT_SPELL_WAIT_PAUSE,	/* netfs_rreq: "WT-PAUS" / "--PAUSED--" */
	NFT_SPELL_IO_PROGRESS,	/* netfs_sreq: "IO   " / "I-OK " */
	NFT_SPELL__NR
};

/* One bit of a printed flag word and what the generation calls it. */
struct nft_gen_bit_name {
	int8_t bit;		/* -1 ends a list */
	const char *name;
};

struct nft_gen_profile {
	const char *name;	/* "6.12 (6.10 - 6.13)", as reports print it */

	/* Flag bits: the kernel's bit number of each flag, -1 = none. */
	int8_t rreq_flag_bit[NFT_RF__NR];
	int8_t sreq_flag_bit[NFT_SF__NR];
	/* ... and the names `f=` is decoded with, by bit. */
	const struct nft_gen_bit_name *rreq_names, *sreq_names;

	/* Symbol spellings (NULL = the generation has no such symbol). */
	const char *spell[NFT_SPELL__NR];

	/* Ref protocol. */
	uint8_t rreq_new_ref;		/* r= on netfs_rreq_ref NEW */
	bool new_traced;		/* a NEW line at all (6.1 has none) */
	bool in_progress_owns_ref;	/* IN_PROGRESS holds one (PUT WORK IP) */
	enum nft_gen_work_refs work_refs;

	/* Collection. */
	bool read_collector;	/* 6.14+ one-work-item read collector
				 * (e2d46f2ec332): COMPLET, collect events and
				 * PAUSE on reads, PARTR, !locked, no ADD */
	bool donations;		/* 6.12-6.13: netfs_progress, netfs_donate,
				 * DON-P/DON-N/+DON, data consumed before TERM */
	bool app_collects;	/* a request without OFFLOAD_COLLECTION is
				 * collected by its waiting app thread
				 * (reads 6.14+, writes 6.16+) */
	bool wake_after_clear;	/* WAKE-IP traced after IN_PROGRESS clears
				 * (netfs_wake_rreq_flag(), 6.16) */
	bool waited_ip;		/* DONE-IP after a WAIT-IP */
	bool traces_616;	/* the 6.16 tracepoint update: ABNDN, CONSM,
				 * N-CLR, I-*, DONE-QUIESCE, PUT ABANDON,
				 * cachefiles CA-PR/CA-WR on cache writes */
	bool short_resubmits;	/* netfs_sreq SHORT = resubmit the rest (6.1) */
	bool read_single;	/* origin R1, READ-SNGL (6.14+) */
	bool unbuffered_read_origin; /* origin UR apart from DR (6.16+) */

	/* Event layouts. */
	bool sreq_index_hex;	/* netfs_sreq/netfs_failure [%x], not [%u] */
	uint8_t sreq_flags_width; /* netfs_sreq f=%02x or f=%03x */
	bool sreq_slot;		/* netfs_sreq prints a second s= (slot) */
	bool read_isize;	/* netfs_read has l= and sz= */
	bool stream_ito;	/* netfs_collect_stream ito= (else frn=): the
				 * newest 7.x; 6.16-6.18 still print frn= */
};

/* The table of @gen; AUTO gets the newest one's layouts and no flags. */
const struct nft_gen_profile *nft_gen_profile(enum nft_gen gen);

/*
 * The table of the generation the model has settled on so far (forced by
 * --kernel or guessed): what a detector tests a flag word against, e.g.
 * nft_gen_rtest(nft_model_profile(m), ev->flags, NFT_RF_IN_PROGRESS).
 */
struct nft_model;
const struct nft_gen_profile *nft_model_profile(const struct nft_model *m);

/* The kernel bit mask of @flag in @gen, 0 if the generation has none. */
static inline uint32_t nft_gen_rbit(const struct nft_gen_profile *p,
				    enum nft_rflag flag)
{
	return p->rreq_flag_bit[flag] < 0 ? 0 : 1u << p->rreq_flag_bit[flag];
}

static inline uint32_t nft_gen_sbit(const struct nft_gen_profile *p,
				    enum nft_sflag flag)
{
	return p->sreq_flag_bit[flag] < 0 ? 0 : 1u << p->sreq_flag_bit[flag];
}

/* Is @flag set in the printed flag word @f (false if @gen has no such flag)? */
static inline bool nft_gen_rtest(const struct nft_gen_profile *p, uint32_t f,
				 enum nft_rflag flag)
{
	return f & nft_gen_rbit(p, flag);
}

static inline bool nft_gen_stest(const struct nft_gen_profile *p, uint32_t f,
				 enum nft_sflag flag)
{
	return f & nft_gen_sbit(p, flag);
}

const char *nft_rflag_name(enum nft_rflag flag);
const char *nft_sflag_name(enum nft_sflag flag);

/*
 * Which generations an event is compatible with, as a mask of
 * (1u << enum nft_gen); NFT_GEN_ALL if it says nothing.
 */
#define NFT_GEN_ALL (((1u << NFT_GEN__NR) - 1) & ~1u)
unsigned int nft_gen_marker(const struct nft_event *ev);

/* The generation a candidate mask settles on (AUTO if it says nothing). */
enum nft_gen nft_gen_pick(unsigned int cands);

#endif /* NFT_GEN_H */
