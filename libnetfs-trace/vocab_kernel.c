// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel enumerator names -> canonical symbols.
 *
 * Most kernel enumerators are "<prefix><our identifier in lower case>"
 * (netfs_sreq_trace_abandoned -> NFT_SREQ_ABANDONED), because vocab.h named
 * its identifiers after the kernel's.  So the bulk of the mapping is derived
 * from the X-macro lists of vocab.h and a per-class prefix, and only the
 * enumerators whose names do not follow that rule (origins, sources, the
 * folio traces without "_trace_", renamed ones) are listed by hand with the
 * string the kernel prints for them, looked up through nft_sym_lookup() so
 * an alias of an older kernel lands on the same value as the newest name.
 */
#include <string.h>
#include <strings.h>

#include "vocab_kernel.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define IDENT_ENTRY(e, s) #e,

static const char *const origin_ids[] = { NFT_ORIGINS(IDENT_ENTRY) };
static const char *const read_ids[] = { NFT_READ_TRACES(IDENT_ENTRY) };
static const char *const write_ids[] = { NFT_WRITE_TRACES(IDENT_ENTRY) };
static const char *const rreq_ids[] = { NFT_RREQ_TRACES(IDENT_ENTRY) };
static const char *const source_ids[] = { NFT_SOURCES(IDENT_ENTRY) };
static const char *const sreq_ids[] = { NFT_SREQ_TRACES(IDENT_ENTRY) };
static const char *const failure_ids[] = { NFT_FAILURES(IDENT_ENTRY) };
static const char *const rref_ids[] = { NFT_RREQ_REFS(IDENT_ENTRY) };
static const char *const sref_ids[] = { NFT_SREQ_REFS(IDENT_ENTRY) };
static const char *const folio_ids[] = { NFT_FOLIO_TRACES(IDENT_ENTRY) };
static const char *const folioq_ids[] = { NFT_FOLIOQ_TRACES(IDENT_ENTRY) };
static const char *const donate_ids[] = { NFT_DONATE_TRACES(IDENT_ENTRY) };
static const char *const fsck_ids[] = { NFT_FSC_COOKIE_TRACES(IDENT_ENTRY) };
static const char *const fscv_ids[] = { NFT_FSC_VOLUME_TRACES(IDENT_ENTRY) };
static const char *const fscc_ids[] = { NFT_FSC_CACHE_TRACES(IDENT_ENTRY) };
static const char *const fsca_ids[] = { NFT_FSC_ACCESS_TRACES(IDENT_ENTRY) };
static const char *const fscu_ids[] = { NFT_FSC_ACTIVE_TRACES(IDENT_ENTRY) };
static const char *const cfref_ids[] = { NFT_CF_REF_TRACES(IDENT_ENTRY) };
static const char *const cfcoh_ids[] = { NFT_CF_COHERENCY_TRACES(IDENT_ENTRY) };
static const char *const cfprep_ids[] = { NFT_CF_PREP_TRACES(IDENT_ENTRY) };
static const char *const cftrunc_ids[] = { NFT_CF_TRUNC_TRACES(IDENT_ENTRY) };
static const char *const cferr_ids[] = { NFT_CF_ERROR_TRACES(IDENT_ENTRY) };
static const char *const cfkill_ids[] = { NFT_CF_KILL_TRACES(IDENT_ENTRY) };

struct kenum_desc {
	const char *enum_name;	/* the kernel's enum type */
	const char *prefix;	/* common enumerator prefix, NULL = none */
	const char *suffix;	/* common enumerator suffix, NULL = none */
	const char *const *ids;	/* our identifiers, value = index + 1 */
	int n_ids;
};

#define KD(e, p, s, ids) { e, p, s, ids, ARRAY_SIZE(ids) }

static const struct kenum_desc kenums[NFT_SYMC__NR] = {
	[NFT_SYMC_ORIGIN] = KD("netfs_io_origin", NULL, NULL, origin_ids),
	[NFT_SYMC_READ_TRACE] = KD("netfs_read_trace", "netfs_read_trace_", NULL, read_ids),
	[NFT_SYMC_WRITE_TRACE] = KD("netfs_write_trace", "netfs_write_trace_", NULL, write_ids),
	[NFT_SYMC_RREQ_TRACE] = KD("netfs_rreq_trace", "netfs_rreq_trace_", NULL, rreq_ids),
	[NFT_SYMC_SOURCE] = KD("netfs_io_source", NULL, NULL, source_ids),
	[NFT_SYMC_SREQ_TRACE] = KD("netfs_sreq_trace", "netfs_sreq_trace_", NULL, sreq_ids),
	[NFT_SYMC_FAILURE] = KD("netfs_failure", "netfs_fail_", NULL, failure_ids),
	[NFT_SYMC_RREQ_REF] = KD("netfs_rreq_ref_trace", "netfs_rreq_trace_", NULL, rref_ids),
	[NFT_SYMC_SREQ_REF] = KD("netfs_sreq_ref_trace", "netfs_sreq_trace_", NULL, sref_ids),
	[NFT_SYMC_FOLIO] = KD("netfs_folio_trace", "netfs_folio_trace_", NULL, folio_ids),
	[NFT_SYMC_FOLIOQ] = KD("netfs_folioq_trace", "netfs_trace_folioq_", NULL, folioq_ids),
	[NFT_SYMC_DONATE] = KD("netfs_donate_trace", "netfs_trace_donate_", NULL, donate_ids),
	[NFT_SYMC_FSC_COOKIE] = KD("fscache_cookie_trace", "fscache_cookie_", NULL, fsck_ids),
	[NFT_SYMC_FSC_VOLUME] = KD("fscache_volume_trace", "fscache_volume_", NULL, fscv_ids),
	[NFT_SYMC_FSC_CACHE] = KD("fscache_cache_trace", "fscache_cache_", NULL, fscc_ids),
	[NFT_SYMC_FSC_ACCESS] = KD("fscache_access_trace", "fscache_access_", NULL, fsca_ids),
	[NFT_SYMC_FSC_ACTIVE] = KD("fscache_active_trace", "fscache_active_", NULL, fscu_ids),
	[NFT_SYMC_CF_REF] = KD("cachefiles_obj_ref_trace", "cachefiles_obj_", NULL, cfref_ids),
	[NFT_SYMC_CF_COHERENCY] = KD("cachefiles_coherency_trace", "cachefiles_coherency_", NULL, cfcoh_ids),
	[NFT_SYMC_CF_PREP] = KD("cachefiles_prepare_read_trace", "cachefiles_trace_read_", NULL, cfprep_ids),
	[NFT_SYMC_CF_TRUNC] = KD("cachefiles_trunc_trace", "cachefiles_trunc_", NULL, cftrunc_ids),
	[NFT_SYMC_CF_ERROR] = KD("cachefiles_error_trace", "cachefiles_trace_", "_error", cferr_ids),
	[NFT_SYMC_CF_KILL] = KD("fscache_why_object_killed", "FSCACHE_OBJECT_", NULL, cfkill_ids),
};

/*
 * Enumerators whose names do not derive from ours, with the string their
 * kernel prints (any spelling nft_sym_lookup() knows).
 */
static const struct {
	enum nft_sym_class cls;
	const char *kname;
	const char *text;
} irregular[] = {
	{ NFT_SYMC_ORIGIN, "NETFS_READAHEAD", "RA" },
	{ NFT_SYMC_ORIGIN, "NETFS_READPAGE", "RP" },
	{ NFT_SYMC_ORIGIN, "NETFS_READ_GAPS", "RG" },
	{ NFT_SYMC_ORIGIN, "NETFS_READ_SINGLE", "R1" },
	{ NFT_SYMC_ORIGIN, "NETFS_READ_FOR_WRITE", "RW" },
	{ NFT_SYMC_ORIGIN, "NETFS_UNBUFFERED_READ", "UR" },
	{ NFT_SYMC_ORIGIN, "NETFS_DIO_READ", "DR" },
	{ NFT_SYMC_ORIGIN, "NETFS_WRITEBACK", "WB" },
	{ NFT_SYMC_ORIGIN, "NETFS_WRITEBACK_SINGLE", "W1" },
	{ NFT_SYMC_ORIGIN, "NETFS_WRITETHROUGH", "WT" },
	{ NFT_SYMC_ORIGIN, "NETFS_UNBUFFERED_WRITE", "UW" },
	{ NFT_SYMC_ORIGIN, "NETFS_DIO_WRITE", "DW" },
	{ NFT_SYMC_ORIGIN, "NETFS_PGPRIV2_COPY_TO_CACHE", "2C" },
	{ NFT_SYMC_ORIGIN, "NETFS_LAUNDER_WRITE", "LW" },

	{ NFT_SYMC_SOURCE, "NETFS_SOURCE_UNKNOWN", "----" },
	{ NFT_SYMC_SOURCE, "NETFS_FILL_WITH_ZEROES", "ZERO" },
	{ NFT_SYMC_SOURCE, "NETFS_DOWNLOAD_FROM_SERVER", "DOWN" },
	{ NFT_SYMC_SOURCE, "NETFS_READ_FROM_CACHE", "READ" },
	{ NFT_SYMC_SOURCE, "NETFS_INVALID_READ", "INVL" },
	{ NFT_SYMC_SOURCE, "NETFS_UPLOAD_TO_SERVER", "UPLD" },
	{ NFT_SYMC_SOURCE, "NETFS_WRITE_TO_CACHE", "WRIT" },
	/* 6.8..6.12: a second "INVL" for writes */
	{ NFT_SYMC_SOURCE, "NETFS_INVALID_WRITE", "INVL" },

	/* 6.1: the short read that gets resubmitted */
	{ NFT_SYMC_SREQ_TRACE, "netfs_sreq_trace_resubmit_short", "SHORT" },
	{ NFT_SYMC_RREQ_TRACE, "netfs_rreq_trace_ra_put_ref", "RA-PUT" },
	/* 7.2 */
	{ NFT_SYMC_RREQ_TRACE, "netfs_rreq_trace_wait_put_ra_refs", "WAIT-P-RA" },
	{ NFT_SYMC_RREQ_TRACE, "netfs_rreq_trace_waited_put_ra_refs", "DONE-P-RA" },
	/* ~6.14/6.15, before the *_quiesce rename */
	{ NFT_SYMC_RREQ_TRACE, "netfs_rreq_trace_wait_queue", "WAIT-Q" },
	{ NFT_SYMC_RREQ_REF, "netfs_rreq_trace_get_for_outstanding", "GET OUTSTND" },

	{ NFT_SYMC_FOLIO, "netfs_folio_is_uptodate", "mod-uptodate" },
	{ NFT_SYMC_FOLIO, "netfs_just_prefetch", "mod-prefetch" },
	{ NFT_SYMC_FOLIO, "netfs_whole_folio_modify", "mod-whole-f" },
	{ NFT_SYMC_FOLIO, "netfs_whole_folio_modify_efault", "mod-whole-f!" },
	{ NFT_SYMC_FOLIO, "netfs_whole_folio_modify_filled", "mod-whole-f+" },
	{ NFT_SYMC_FOLIO, "netfs_whole_folio_modify_filled_efault", "mod-whole-f+!" },
	{ NFT_SYMC_FOLIO, "netfs_modify_and_clear", "mod-n-clear" },
	{ NFT_SYMC_FOLIO, "netfs_modify_and_clear_rm_finfo", "mod-n-clear+" },
	{ NFT_SYMC_FOLIO, "netfs_streaming_write", "mod-streamw" },
	{ NFT_SYMC_FOLIO, "netfs_streaming_write_cont", "mod-streamw+" },
	{ NFT_SYMC_FOLIO, "netfs_flush_content", "flush" },
	{ NFT_SYMC_FOLIO, "netfs_streaming_filled_page", "mod-streamw-f" },
	{ NFT_SYMC_FOLIO, "netfs_streaming_cont_filled_page", "mod-streamw-f+" },
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_invalidate_all", "inval-all" },
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_invalidate_front", "inval-front" },
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_invalidate_middle", "inval-mid" },
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_invalidate_tail", "inval-tail" },
	/* 7.2's name for what older kernels call netfs_folio_trace_copy_to_cache */
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_mark_copy", "mark-copy" },
	/* 6.8 printed "copy" for what became "mark-copy" */
	{ NFT_SYMC_FOLIO, "netfs_folio_trace_copy", "copy" },

	{ NFT_SYMC_FSC_ACCESS, "fscache_access_invalidate_cookie", "BEGIN inval" },
	{ NFT_SYMC_FSC_ACCESS, "fscache_access_invalidate_cookie_end", "END inval" },
	{ NFT_SYMC_FSC_ACCESS, "fscache_access_lookup_cookie", "BEGIN lookup" },
	{ NFT_SYMC_FSC_ACCESS, "fscache_access_lookup_cookie_end", "END lookup" },
	{ NFT_SYMC_FSC_ACCESS, "fscache_access_lookup_cookie_end_failed", "END lookupf" },

	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_aux", "BAD aux" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_content", "BAD cont" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_dirty", "BAD dirt" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_len", "BAD len" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_objsize", "BAD osiz" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_ok", "OK" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_type", "BAD type" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_check_xattr", "BAD xatt" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_vol_check_cmp", "VOL BAD cmp" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_vol_check_ok", "VOL OK" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_vol_check_resv", "VOL BAD resv" },
	{ NFT_SYMC_CF_COHERENCY, "cachefiles_coherency_vol_check_xattr", "VOL BAD xatt" },

	{ NFT_SYMC_CF_PREP, "cachefiles_trace_read_seek_nxio", "seek-enxio" },
	{ NFT_SYMC_CF_KILL, "FSCACHE_VOLUME_IS_WEIRD", "volume_weird" },
};

int nft_kenum_class(const char *enum_name)
{
	int c;

	if (!enum_name)
		return -1;
	for (c = 0; c < NFT_SYMC__NR; c++)
		if (!strcmp(kenums[c].enum_name, enum_name))
			return c;
	return -1;
}

const char *nft_kenum_name(enum nft_sym_class cls)
{
	if ((unsigned int)cls >= NFT_SYMC__NR)
		return "?";
	return kenums[cls].enum_name;
}

/* nr__netfs_io_origin, NR__..., ..._NR: counts, not symbols. */
static int is_sentinel(const char *name)
{
	size_t len = strlen(name);

	if (!strncasecmp(name, "nr__", 4))
		return 1;
	return len > 4 && !strcasecmp(name + len - 4, "__nr");
}

int nft_kenum_lookup(enum nft_sym_class cls, const char *name)
{
	const struct kenum_desc *d;
	size_t i, plen, slen, len;
	int v;

	if ((unsigned int)cls >= NFT_SYMC__NR || !name)
		return 0;
	if (is_sentinel(name))
		return -1;
	for (i = 0; i < ARRAY_SIZE(irregular); i++)
		if (irregular[i].cls == cls && !strcmp(irregular[i].kname, name))
			return nft_sym_lookup(cls, irregular[i].text,
					      strlen(irregular[i].text));
	d = &kenums[cls];
	if (!d->prefix)
		return 0;
	plen = strlen(d->prefix);
	slen = d->suffix ? strlen(d->suffix) : 0;
	len = strlen(name);
	if (len <= plen + slen || strncmp(name, d->prefix, plen))
		return 0;
	if (slen && strcmp(name + len - slen, d->suffix))
		return 0;
	len -= plen + slen;
	for (v = 0; v < d->n_ids; v++)
		if (strlen(d->ids[v]) == len &&
		    !strncasecmp(d->ids[v], name + plen, len))
			return v + 1;
	return 0;
}
