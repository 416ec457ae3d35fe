// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel generations: one table per generation (gen.h), telling them apart
 * from the capture, and decoding the request/subrequest flag words, whose
 * bit numbers changed between them.
 *
 * Bit numbers, from include/linux/netfs.h of each release and the commits
 * that moved them (all checked against the kernel's own text: headers of
 * 5.17, 6.8, 6.10, 6.12.y and the patches below):
 *
 * NETFS_RREQ_*       <=6.9   6.10-6.11  6.12-6.13  6.14-6.15  >=6.16
 *   INCOMPLETE_IO       0        0          -          -          -
 *   COPY_TO_CACHE       1        1          1 (a)      1 (a)      -
 *   NO_UNLOCK_FOLIO     2        2          2          2          9
 *   DONT_UNLOCK_FOLIOS  3        3          3          3          -
 *   FAILED              4        4          4          4          3
 *   IN_PROGRESS         5        5          5          5          0
 *   FOLIO_COPY_TO_CACHE -        -          -          6         10
 *   WRITE_TO_CACHE      7 (6.8)  7          -          -          -
 *   UPLOAD_TO_SERVER    8 (6.8)  8          8          8         11
 *   NONBLOCK, BLOCKED 9,10 (6.8) 9,10       9,10       9,10       -
 *   PAUSE               -       11         11         11          2
 *   USE_IO_ITER         -       12         12         12         12
 *   ALL_QUEUED          -       13         13         13          1
 *   NEED_RETRY          -        -         14          -          -
 *   RETRYING            -        -          -         14          4
 *   SHORT_TRANSFER      -        -          -         15 (b)      5
 *   OFFLOAD_COLLECTION  -        -          -          0          8
 *   USE_PGPRIV2         -       31         31         31         31
 *
 * 6.12 ("netfs: Speed up buffered reading", ee4cdf7ba857) dropped
 * INCOMPLETE_IO and added NEED_RETRY; 6.14's read collector rewrite
 * ("netfs: Change the read result collector to only use one work item",
 * e2d46f2ec332) put OFFLOAD_COLLECTION in bit 0 and FOLIO_COPY_TO_CACHE
 * in 6, and "netfs: Fix a number of read-retry hangs" (6.14-rc) renamed 14
 * to RETRYING; "netfs: Renumber the NETFS_RREQ_* flags to make traces
 * easier to read" (4e32541076833, merged for 6.16-rc5) gave the >=6.16
 * column, after "fs/netfs: remove unused netfs_io_request flags" dropped
 * DONT_UNLOCK_FOLIOS, NONBLOCK and BLOCKED.  (a) gone during 6.12.y /
 * 6.14-rc, never set after.  (b) "netfs: Fix setting of transferred bytes
 * with short DIO reads" (34eb98c6598c, 6.16-rc1), in 6.15.3+ stable.  In
 * 5.13-5.17 bit 1 was called WRITE_TO_CACHE: same bits as <=6.9.
 *
 * NETFS_SREQ_*       <=6.11  6.12   6.13   6.14-6.15  >=6.16
 *   COPY_TO_CACHE       0      0      0       0          0
 *   CLEAR_TAIL          1      1      1       1          1
 *   SHORT_IO            2      -      -       -          -
 *   SEEK_DATA_READ      3      3      3       3          -
 *   NO_PROGRESS         4      4      -       -          -
 *   MADE_PROGRESS       -      -      4       4          4
 *   ONDEMAND            5      5      5       5          5
 *   BOUNDARY          6 (c)    6      6       6          6
 *   HIT_EOF             -      7      7       7          7
 *   IN_PROGRESS       8 (c)    8      8       8          8
 *   NEED_RETRY        9 (c)    9      9       9          9
 *   RETRYING         10 (c)   10      -       -          -
 *   FAILED           11 (c)   11     10      10         10
 *
 * (c) 6.10+.  6.13's column is "netfs: Work around recursion by abandoning
 * retry if nothing read" (4acb665cf4f3, 6.13-rc): one generation here
 * (6.10-6.13) but two meanings for bits 4, 10 and 11, so their names say
 * both.  5.13-5.17 called bits 0 and 2 WRITE_TO_CACHE and SHORT_READ.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "model_internal.h"

static const char *const rflag_names[NFT_RF__NR] = {
	[NFT_RF_IN_PROGRESS] = "IN_PROGRESS",
	[NFT_RF_ALL_QUEUED] = "ALL_QUEUED",
	[NFT_RF_PAUSE] = "PAUSE",
	[NFT_RF_FAILED] = "FAILED",
	[NFT_RF_RETRYING] = "RETRYING",
	[NFT_RF_NEED_RETRY] = "NEED_RETRY",
	[NFT_RF_SHORT_TRANSFER] = "SHORT_TRANSFER",
	[NFT_RF_OFFLOAD_COLLECTION] = "OFFLOAD_COLLECTION",
	[NFT_RF_NO_UNLOCK_FOLIO] = "NO_UNLOCK_FOLIO",
	[NFT_RF_DONT_UNLOCK_FOLIOS] = "DONT_UNLOCK_FOLIOS",
	[NFT_RF_INCOMPLETE_IO] = "INCOMPLETE_IO",
	[NFT_RF_COPY_TO_CACHE] = "COPY_TO_CACHE",
	[NFT_RF_WRITE_TO_CACHE] = "WRITE_TO_CACHE",
	[NFT_RF_FOLIO_COPY_TO_CACHE] = "FOLIO_COPY_TO_CACHE",
	[NFT_RF_UPLOAD_TO_SERVER] = "UPLOAD_TO_SERVER",
	[NFT_RF_NONBLOCK] = "NONBLOCK",
	[NFT_RF_BLOCKED] = "BLOCKED",
	[NFT_RF_USE_IO_ITER] = "USE_IO_ITER",
	[NFT_RF_USE_PGPRIV2] = "USE_PGPRIV2",
	[NFT_RF_RA_REFS] = "RA_REFS",
};

static const char *const sflag_names[NFT_SF__NR] = {
	[NFT_SF_COPY_TO_CACHE] = "COPY_TO_CACHE",
	[NFT_SF_CLEAR_TAIL] = "CLEAR_TAIL",
	[NFT_SF_SHORT_IO] = "SHORT_IO",
	[NFT_SF_SEEK_DATA_READ] = "SEEK_DATA_READ",
	[NFT_SF_NO_PROGRESS] = "NO_PROGRESS",
	[NFT_SF_MADE_PROGRESS] = "MADE_PROGRESS",
	[NFT_SF_ONDEMAND] = "ONDEMAND",
	[NFT_SF_BOUNDARY] = "BOUNDARY",
	[NFT_SF_HIT_EOF] = "HIT_EOF",
	[NFT_SF_IN_PROGRESS] = "IN_PROGRESS",
	[NFT_SF_NEED_RETRY] = "NEED_RETRY",
	[NFT_SF_RETRYING] = "RETRYING",
	[NFT_SF_FAILED] = "FAILED",
};

const char *nft_rflag_name(enum nft_rflag flag)
{
	return (unsigned int)flag < NFT_RF__NR ? rflag_names[flag] : "?";
}

const char *nft_sflag_name(enum nft_sflag flag)
{
	return (unsigned int)flag < NFT_SF__NR ? sflag_names[flag] : "?";
}

/* Every flag absent unless a profile says otherwise. */
#define NO_RFLAGS [0 ... NFT_RF__NR - 1] = -1
#define NO_SFLAGS [0 ... NFT_SF__NR - 1] = -1

static const struct nft_gen_bit_name rnames_6_1[] = {
	{ 0, "INCOMPLETE_IO" }, { 1, "COPY_TO_CACHE" },
	{ 2, "NO_UNLOCK_FOLIO" }, { 3, "DONT_UNLOCK_FOLIOS" },
	{ 4, "FAILED" }, { 5, "IN_PROGRESS" }, { 7, "WRITE_TO_CACHE" },
	{ 8, "UPLOAD_TO_SERVER" }, { 9, "NONBLOCK" }, { 10, "BLOCKED" },
	{ -1, NULL },
};

static const struct nft_gen_bit_name snames_6_1[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 2, "SHORT_IO" },
	{ 3, "SEEK_DATA_READ" }, { 4, "NO_PROGRESS" }, { 5, "ONDEMAND" },
	{ -1, NULL },
};

/*
 * 6.10-6.13.  Bits 0 and 7 only exist up to 6.11 (ee4cdf7ba857 dropped
 * INCOMPLETE_IO, the PG_private_2 rework WRITE_TO_CACHE): a 6.12 or 6.13
 * kernel never sets them, 6.14's OFFLOAD_COLLECTION is bit 0.
 */
static const struct nft_gen_bit_name rnames_6_12[] = {
	{ 0, "INCOMPLETE_IO(<=6.11)" }, { 1, "COPY_TO_CACHE" },
	{ 2, "NO_UNLOCK_FOLIO" }, { 3, "DONT_UNLOCK_FOLIOS" },
	{ 4, "FAILED" }, { 5, "IN_PROGRESS" }, { 7, "WRITE_TO_CACHE(<=6.11)" },
	{ 8, "UPLOAD_TO_SERVER" }, { 9, "NONBLOCK" }, { 10, "BLOCKED" },
	{ 11, "PAUSE" }, { 12, "USE_IO_ITER" }, { 13, "ALL_QUEUED" },
	{ 14, "NEED_RETRY" }, { 31, "USE_PGPRIV2" }, { -1, NULL },
};

static const struct nft_gen_bit_name snames_6_12[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 2, "SHORT_IO(<=6.11)" },
	{ 3, "SEEK_DATA_READ" }, { 4, "NO_PROGRESS(6.13:MADE_PROGRESS)" },
	{ 5, "ONDEMAND" }, { 6, "BOUNDARY" }, { 7, "HIT_EOF" },
	{ 8, "IN_PROGRESS" }, { 9, "NEED_RETRY" },
	{ 10, "RETRYING(6.13:FAILED)" }, { 11, "FAILED" }, { -1, NULL },
};

static const struct nft_gen_bit_name rnames_6_14[] = {
	{ 0, "OFFLOAD_COLLECTION" }, { 1, "COPY_TO_CACHE" },
	{ 2, "NO_UNLOCK_FOLIO" }, { 3, "DONT_UNLOCK_FOLIOS" },
	{ 4, "FAILED" }, { 5, "IN_PROGRESS" }, { 6, "FOLIO_COPY_TO_CACHE" },
	{ 8, "UPLOAD_TO_SERVER" }, { 9, "NONBLOCK" }, { 10, "BLOCKED" },
	{ 11, "PAUSE" }, { 12, "USE_IO_ITER" }, { 13, "ALL_QUEUED" },
	{ 14, "RETRYING" }, { 15, "SHORT_TRANSFER" }, { 31, "USE_PGPRIV2" },
	{ -1, NULL },
};

static const struct nft_gen_bit_name snames_6_14[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 3, "SEEK_DATA_READ" },
	{ 4, "MADE_PROGRESS" }, { 5, "ONDEMAND" }, { 6, "BOUNDARY" },
	{ 7, "HIT_EOF" }, { 8, "IN_PROGRESS" }, { 9, "NEED_RETRY" },
	{ 10, "FAILED" }, { -1, NULL },
};

/* Bit 17 (readahead's bulk ref drop, RA-PUT) has no name we could check. */
static const struct nft_gen_bit_name rnames_7[] = {
	{ 0, "IN_PROGRESS" }, { 1, "ALL_QUEUED" }, { 2, "PAUSE" },
	{ 3, "FAILED" }, { 4, "RETRYING" }, { 5, "SHORT_TRANSFER" },
	{ 8, "OFFLOAD_COLLECTION" }, { 9, "NO_UNLOCK_FOLIO" },
	{ 10, "FOLIO_COPY_TO_CACHE" }, { 11, "UPLOAD_TO_SERVER" },
	{ 12, "USE_IO_ITER" }, { 31, "USE_PGPRIV2" }, { -1, NULL },
};

static const struct nft_gen_bit_name snames_7[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 4, "MADE_PROGRESS" },
	{ 5, "ONDEMAND" }, { 6, "BOUNDARY" }, { 7, "HIT_EOF" },
	{ 8, "IN_PROGRESS" }, { 9, "NEED_RETRY" }, { 10, "FAILED" },
	{ -1, NULL },
};

static const struct nft_gen_bit_name no_names[] = { { -1, NULL } };

/* NO_RFLAGS/NO_SFLAGS first, then the bits a generation has. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const struct nft_gen_profile profiles[NFT_GEN__NR] = {
	/* Nothing known: no flag names, the newest layouts. */
	[NFT_GEN_AUTO] = {
		.name = "unknown",
		.rreq_flag_bit = { NO_RFLAGS },
		.sreq_flag_bit = { NO_SFLAGS },
		.rreq_names = no_names, .sreq_names = no_names,
		.rreq_new_ref = 1, .new_traced = true,
		.sreq_index_hex = true, .sreq_flags_width = 2,
		.read_isize = true,
	},
	[NFT_GEN_6_1] = {
		.name = "6.1 (<= 6.9)",
		.rreq_flag_bit = {
			NO_RFLAGS,
			[NFT_RF_INCOMPLETE_IO] = 0,
			[NFT_RF_COPY_TO_CACHE] = 1,
			[NFT_RF_NO_UNLOCK_FOLIO] = 2,
			[NFT_RF_DONT_UNLOCK_FOLIOS] = 3,
			[NFT_RF_FAILED] = 4,
			[NFT_RF_IN_PROGRESS] = 5,
			[NFT_RF_WRITE_TO_CACHE] = 7,
			[NFT_RF_UPLOAD_TO_SERVER] = 8,
			[NFT_RF_NONBLOCK] = 9,
			[NFT_RF_BLOCKED] = 10,
		},
		.sreq_flag_bit = {
			NO_SFLAGS,
			[NFT_SF_COPY_TO_CACHE] = 0,
			[NFT_SF_CLEAR_TAIL] = 1,
			[NFT_SF_SHORT_IO] = 2,
			[NFT_SF_SEEK_DATA_READ] = 3,
			[NFT_SF_NO_PROGRESS] = 4,
			[NFT_SF_ONDEMAND] = 5,
		},
		.rreq_names = rnames_6_1, .sreq_names = snames_6_1,
		.spell = {
			[NFT_SPELL_GET_RESUBMIT] = "GET RESUBMIT",
		},
		/* Debian 6.1 traces no NEW; GET HOLD/PUT HOLD frame the work. */
		.rreq_new_ref = 1, .new_traced = false,
		.work_refs = NFT_WORK_REFS_HOLD,
		.short_resubmits = true,
		.sreq_index_hex = false, .sreq_flags_width = 2,
	},
	[NFT_GEN_6_12] = {
		.name = "6.12 (6.10 - 6.13)",
		.rreq_flag_bit = {
			NO_RFLAGS,
			[NFT_RF_INCOMPLETE_IO] = 0,	/* <= 6.11 */
			[NFT_RF_COPY_TO_CACHE] = 1,
			[NFT_RF_NO_UNLOCK_FOLIO] = 2,
			[NFT_RF_DONT_UNLOCK_FOLIOS] = 3,
			[NFT_RF_FAILED] = 4,
			[NFT_RF_IN_PROGRESS] = 5,
			[NFT_RF_WRITE_TO_CACHE] = 7,	/* <= 6.11 */
			[NFT_RF_UPLOAD_TO_SERVER] = 8,
			[NFT_RF_NONBLOCK] = 9,
			[NFT_RF_BLOCKED] = 10,
			[NFT_RF_PAUSE] = 11,
			[NFT_RF_USE_IO_ITER] = 12,
			[NFT_RF_ALL_QUEUED] = 13,
			[NFT_RF_NEED_RETRY] = 14,	/* 6.12+ */
			[NFT_RF_USE_PGPRIV2] = 31,
		},
		.sreq_flag_bit = {
			NO_SFLAGS,
			[NFT_SF_COPY_TO_CACHE] = 0,
			[NFT_SF_CLEAR_TAIL] = 1,
			[NFT_SF_SHORT_IO] = 2,		/* <= 6.11 */
			[NFT_SF_SEEK_DATA_READ] = 3,
			/* 6.13 calls bit 4 MADE_PROGRESS (names say both) */
			[NFT_SF_NO_PROGRESS] = 4,
			[NFT_SF_ONDEMAND] = 5,
			[NFT_SF_BOUNDARY] = 6,
			[NFT_SF_HIT_EOF] = 7,
			[NFT_SF_IN_PROGRESS] = 8,
			[NFT_SF_NEED_RETRY] = 9,
			[NFT_SF_RETRYING] = 10,		/* <= 6.12 */
			[NFT_SF_FAILED] = 11,		/* 10 in 6.13 */
		},
		.rreq_names = rnames_6_12, .sreq_names = snames_6_12,
		.spell = {
			[NFT_SPELL_GET_RESUBMIT] = "GET RESUBMIT",
			[NFT_SPELL_WAIT_PAUSE] = "WT-PAUS",
			[NFT_SPELL_IO_PROGRESS] = "IO   ",
		},
		.rreq_new_ref = 1, .new_traced = true,
		.work_refs = NFT_WORK_REFS_GET_WORK,
		.donations = true,
		.sreq_index_hex = true, .sreq_flags_width = 2,
		.read_isize = true,
	},
	[NFT_GEN_6_14] = {
		.name = "6.14 (6.14 - 6.15)",
		.rreq_flag_bit = {
			NO_RFLAGS,
			[NFT_RF_OFFLOAD_COLLECTION] = 0,
			[NFT_RF_COPY_TO_CACHE] = 1,
			[NFT_RF_NO_UNLOCK_FOLIO] = 2,
			[NFT_RF_DONT_UNLOCK_FOLIOS] = 3,
			[NFT_RF_FAILED] = 4,
			[NFT_RF_IN_PROGRESS] = 5,
			[NFT_RF_FOLIO_COPY_TO_CACHE] = 6,
			[NFT_RF_UPLOAD_TO_SERVER] = 8,
			[NFT_RF_NONBLOCK] = 9,
			[NFT_RF_BLOCKED] = 10,
			[NFT_RF_PAUSE] = 11,
			[NFT_RF_USE_IO_ITER] = 12,
			[NFT_RF_ALL_QUEUED] = 13,
			[NFT_RF_RETRYING] = 14,
			[NFT_RF_SHORT_TRANSFER] = 15,	/* 6.15.3+ */
			[NFT_RF_USE_PGPRIV2] = 31,
		},
		.sreq_flag_bit = {
			NO_SFLAGS,
			[NFT_SF_COPY_TO_CACHE] = 0,
			[NFT_SF_CLEAR_TAIL] = 1,
			[NFT_SF_SEEK_DATA_READ] = 3,
			[NFT_SF_MADE_PROGRESS] = 4,
			[NFT_SF_ONDEMAND] = 5,
			[NFT_SF_BOUNDARY] = 6,
			[NFT_SF_HIT_EOF] = 7,
			[NFT_SF_IN_PROGRESS] = 8,
			[NFT_SF_NEED_RETRY] = 9,
			[NFT_SF_FAILED] = 10,
		},
		.rreq_names = rnames_6_14, .sreq_names = snames_6_14,
		.spell = {
			[NFT_SPELL_GET_RESUBMIT] = "GET RESUBMIT",
			[NFT_SPELL_WAIT_QUIESCE] = "WAIT-Q ",
			[NFT_SPELL_WAIT_PAUSE] = "WT-PAUS",
			[NFT_SPELL_IO_PROGRESS] = "IO   ",
		},
		/*
		 * The work item still takes its own ref (GET WORK in
		 * netfs_wake_read_collector(), PUT WORK NQ when already
		 * queued) until 20d72b00ca81 (6.16-rc, 6.15.3+ stable).
		 */
		.rreq_new_ref = 1, .new_traced = true,
		.work_refs = NFT_WORK_REFS_GET_WORK,
		.read_collector = true, .app_collects = true,
		.read_single = true,
		.sreq_index_hex = true, .sreq_flags_width = 2,
		.sreq_slot = true, .read_isize = true, .stream_ito = false,
	},
	[NFT_GEN_7] = {
		.name = "7.x (>= 6.16)",
		.rreq_flag_bit = {
			NO_RFLAGS,
			[NFT_RF_IN_PROGRESS] = 0,
			[NFT_RF_ALL_QUEUED] = 1,
			[NFT_RF_PAUSE] = 2,
			[NFT_RF_FAILED] = 3,
			[NFT_RF_RETRYING] = 4,
			[NFT_RF_SHORT_TRANSFER] = 5,
			[NFT_RF_OFFLOAD_COLLECTION] = 8,
			[NFT_RF_NO_UNLOCK_FOLIO] = 9,
			[NFT_RF_FOLIO_COPY_TO_CACHE] = 10,
			[NFT_RF_UPLOAD_TO_SERVER] = 11,
			[NFT_RF_USE_IO_ITER] = 12,
			[NFT_RF_RA_REFS] = 17,
			[NFT_RF_USE_PGPRIV2] = 31,
		},
		.sreq_flag_bit = {
			NO_SFLAGS,
			[NFT_SF_COPY_TO_CACHE] = 0,
			[NFT_SF_CLEAR_TAIL] = 1,
			[NFT_SF_MADE_PROGRESS] = 4,
			[NFT_SF_ONDEMAND] = 5,
			[NFT_SF_BOUNDARY] = 6,
			[NFT_SF_HIT_EOF] = 7,
			[NFT_SF_IN_PROGRESS] = 8,
			[NFT_SF_NEED_RETRY] = 9,
			[NFT_SF_FAILED] = 10,
		},
		.rreq_names = rnames_7, .sreq_names = snames_7,
		.spell = {
			[NFT_SPELL_GET_RESUBMIT] = "GET RESUBMT",
			[NFT_SPELL_WAIT_QUIESCE] = "WAIT-QUIESCE",
			[NFT_SPELL_WAIT_PAUSE] = "--PAUSED--",
			[NFT_SPELL_IO_PROGRESS] = "I-OK ",
		},
		/* 20d72b00ca81: IN_PROGRESS owns a ref, PUT WORK IP drops it. */
		.rreq_new_ref = 2, .new_traced = true,
		.in_progress_owns_ref = true,
		.work_refs = NFT_WORK_REFS_NO_REF,
		.read_collector = true, .app_collects = true,
		.wake_after_clear = true, .waited_ip = true, .traces_616 = true,
		.read_single = true, .unbuffered_read_origin = true,
		.sreq_index_hex = true, .sreq_flags_width = 3,
		/*
		 * ito= since "netfs: Fix the handling of stream->front by
		 * removing it" (0e764b9d4607, 2026; in 6.18.y stable): 6.16
		 * and 6.18 captures print frn=, 7.2 and 7.3 ito=.
		 */
		.sreq_slot = true, .read_isize = true, .stream_ito = true,
	},
};
#pragma GCC diagnostic pop

const struct nft_gen_profile *nft_gen_profile(enum nft_gen gen)
{
	return &profiles[(unsigned int)gen < NFT_GEN__NR ? gen : NFT_GEN_AUTO];
}

const char *nft_gen_name(enum nft_gen gen)
{
	return (unsigned int)gen < NFT_GEN__NR ? profiles[gen].name : "?";
}

enum nft_gen nft_gen_from_version(const char *version)
{
	char *end;
	long major = strtol(version, &end, 10), minor = 0;

	if (end == version)
		return NFT_GEN_AUTO;
	if (*end == '.')
		minor = strtol(end + 1, NULL, 10);
	/*
	 * fscache's tracepoints came with 4.17 ("fscache: Add tracepoints"),
	 * the netfs library's with 5.13: a 4.17 - 5.12 capture holds only the
	 * old fscache's lines, read by their layout, with the first netfs
	 * generation's rules for anything else.
	 */
	if (major < 4 || (major == 4 && minor < 17))
		return NFT_GEN_AUTO;
	if (major < 6 || (major == 6 && minor <= 9))
		return NFT_GEN_6_1;
	if (major == 6 && minor <= 13)
		return NFT_GEN_6_12;
	if (major == 6 && minor <= 15)
		return NFT_GEN_6_14;
	return NFT_GEN_7;
}

enum nft_gen nft_model_gen(const struct nft_model *m)
{
	return m->sum.gen;
}

const struct nft_gen_profile *nft_model_profile(const struct nft_model *m)
{
	return nft_gen_profile(m->sum.gen);
}

#define G(g) (1u << NFT_GEN_##g)

/*
 * Evidence of a generation in one event: the generations that print it.
 * From the netfs_*_traces tables of each release: 6.14's collector
 * rewrite added COMPLET, WAIT-Q, WAKE-Q, WOKE-Q, PARTR, ND-RT (NRTRY in
 * 6.14-rc1), _WAIT, SPRFL and the !locked folio trace; 6.16's "netfs: Fix
 * wait/wake to be consistent about the waitqueue used" and "netfs: Update
 * tracepoints in a number of ways" removed WOKE-Q and the GET WORK family
 * and added DONE-IP, ABNDN, CONSM and the I-* traces.
 */
unsigned int nft_gen_marker(const struct nft_event *ev)
{
	if (ev->have & NFT_HAVE_PRE_6_1)
		return G(6_1);	/* 5.13 .. 6.0 layouts: the 6.1 rules */
	switch (ev->kind) {
	case NFT_EV_NETFS_RREQ_REF:
		switch (ev->what) {
		case NFT_RREF_GET_HOLD:
		case NFT_RREF_PUT_HOLD:
			return G(6_1);
		case NFT_RREF_PUT_WORK_IP:
		case NFT_RREF_SEE_WORK_COMPLETE:
			return G(7);
		/* The work item's own ref: 6.10 - 6.15. */
		case NFT_RREF_GET_WORK:
		case NFT_RREF_PUT_WORK_NQ:
			return G(6_12) | G(6_14);
		case NFT_RREF_NEW:
			/* r=1 at birth before 6.16, r=2 after. */
			if (ev->ref == 2)
				return G(7);
			if (ev->ref == 1)
				return G(6_1) | G(6_12) | G(6_14);
			return NFT_GEN_ALL;
		default:
			return NFT_GEN_ALL;
		}
	case NFT_EV_NETFS_RREQ:
		switch (ev->what) {
		case NFT_RREQ_COMPLETE:
			return G(6_14) | G(7);
		case NFT_RREQ_WOKE_QUEUE:
			return G(6_14);
		case NFT_RREQ_WAITED_IP:
		case NFT_RREQ_WAITED_QUIESCE:
		case NFT_RREQ_KI_COMPLETE:
			return G(7);
		default:
			return NFT_GEN_ALL;
		}
	case NFT_EV_NETFS_SREQ:
		switch (ev->what) {
		case NFT_SREQ_PARTIAL_READ:
		case NFT_SREQ_NEED_RETRY:
		case NFT_SREQ_WAIT_FOR:
		case NFT_SREQ_SUPERFLUOUS:
			return G(6_14) | G(7);
		case NFT_SREQ_DONATE_TO_PREV:
		case NFT_SREQ_DONATE_TO_NEXT:
		case NFT_SREQ_ADD_DONATIONS:
			return G(6_12);
		case NFT_SREQ_ABANDONED:
		case NFT_SREQ_CONSUMED:
		case NFT_SREQ_IO_BAD:
		case NFT_SREQ_IO_MALFORMED:
		case NFT_SREQ_IO_UNKNOWN:
		case NFT_SREQ_IO_REQ_SUBMITTED:
		case NFT_SREQ_IO_RETRY_NEEDED:
			return G(7);
		default:
			return NFT_GEN_ALL;
		}
	case NFT_EV_NETFS_READ:
		return (ev->have & NFT_HAVE_ISIZE) ? NFT_GEN_ALL : G(6_1);
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_DONATE:
		return G(6_12);
	/* netfs_folioq is in 6.12.y stable too; netfs_copy2cache came in 6.13. */
	case NFT_EV_NETFS_FOLIOQ:
	case NFT_EV_NETFS_COPY2CACHE:
		return G(6_12) | G(6_14) | G(7);
	case NFT_EV_NETFS_READ_PROGRESS_AT:
		return G(7);
	default:
		return NFT_GEN_ALL;
	}
}

/*
 * Among generations the evidence still allows, the likeliest: 7.x (today's
 * kernels), then 6.12 (a long-term kernel), then 6.14, then 6.1.
 */
enum nft_gen nft_gen_pick(unsigned int cands)
{
	static const enum nft_gen order[] = {
		NFT_GEN_7, NFT_GEN_6_12, NFT_GEN_6_14, NFT_GEN_6_1,
	};
	size_t i;

	cands &= NFT_GEN_ALL;
	if (!cands || cands == NFT_GEN_ALL)
		return NFT_GEN_AUTO;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (cands & (1u << order[i]))
			return order[i];
	return NFT_GEN_AUTO;
}

/*
 * Each event narrows the generations left; evidence that contradicts all
 * of them (two kernels' lines in one paste) starts over from the new one.
 */
void nft_model_guess_gen(struct nft_model *m, const struct nft_event *ev)
{
	unsigned int g = nft_gen_marker(ev), left;

	if (g == NFT_GEN_ALL)
		return;
	if (!m->gen_cands)
		m->gen_cands = NFT_GEN_ALL;
	left = m->gen_cands & g;
	m->gen_cands = left ? left : g;
	m->sum.gen = nft_gen_pick(m->gen_cands);
}

static size_t flags_str(const struct nft_gen_bit_name *t, uint32_t f,
			char *buf, size_t sz)
{
	size_t n = 0;
	uint32_t known = 0;

	if (sz)
		buf[0] = 0;
	for (; t->name; t++) {
		uint32_t b = 1u << t->bit;

		if (!(f & b) || (known & b))
			continue;
		known |= b;
		n += snprintf(buf + n, n < sz ? sz - n : 0, "%s%s",
			      n ? "|" : "", t->name);
	}
	if (f & ~known)
		n += snprintf(buf + n, n < sz ? sz - n : 0, "%s0x%x",
			      n ? "|" : "", f & ~known);
	return n;
}

size_t nft_rreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz)
{
	const struct nft_gen_profile *p = nft_gen_profile(gen);

	/* An unknown generation keeps the 6.12 names it always had. */
	if (gen == NFT_GEN_AUTO)
		p = nft_gen_profile(NFT_GEN_6_12);
	return flags_str(p->rreq_names, f, buf, sz);
}

size_t nft_sreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz)
{
	const struct nft_gen_profile *p = nft_gen_profile(gen);

	if (gen == NFT_GEN_AUTO)
		p = nft_gen_profile(NFT_GEN_6_12);
	return flags_str(p->sreq_names, f, buf, sz);
}
