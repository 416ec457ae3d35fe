// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's fields, defined once (summary_fields.h).  The order is the
 * JSON document's; .line marks where netfs-replay's document starts a line.
 */
#include <string.h>

#include "report.h"
#include "summary_fields.h"

#define OFF(f) offsetof(struct nft_summary, f)
#define U64(k, f, l, h) { k, NFT_SF_U64, OFF(f), 0, 0, l, h }
#define U32(k, f, l, h) { k, NFT_SF_U32, OFF(f), 0, 0, l, h }
#define COUNTS(k, f, c, nr, h) { k, NFT_SF_COUNTS, OFF(f), c, nr, true, h }

const struct nft_summary_field nft_summary_fields[] = {
	{ "kernel", NFT_SF_GEN, OFF(gen), 0, 0, true,
	  "the kernel generation the analysis used" },
	{ "first_ts", NFT_SF_TS, OFF(ts_first), 0, 0, true,
	  "timestamp of the first event" },
	{ "last_ts", NFT_SF_TS, OFF(ts_last), 0, 0, false,
	  "timestamp of the latest event" },
	U64("events", events, true,
	    "netfs, fscache and cachefiles events decoded"),
	U64("other_events", other_events, false,
	    "events of other systems, counted and otherwise ignored"),
	U64("requests", requests, true, "netfs requests seen"),
	U64("subrequests", subreqs, false, "subrequests seen"),
	COUNTS("requests_by_origin", requests_by_origin, NFT_SYMC_ORIGIN,
	       NFT_ORIGIN__NR, "requests per origin"),
	COUNTS("subrequests_by_source", subreqs_by_source, NFT_SYMC_SOURCE,
	       NFT_SRC__NR, "subrequests per source"),
	COUNTS("netfs_read", read_ops, NFT_SYMC_READ_TRACE, NFT_RD__NR,
	       "netfs_read events per trace symbol"),
	COUNTS("netfs_write", write_ops, NFT_SYMC_WRITE_TRACE, NFT_WR__NR,
	       "netfs_write events per trace symbol"),
	U64("write_iters", write_iters, true, "netfs_write_iter events"),
	U64("bytes_read", bytes_read, true,
	    "bytes transferred by read subrequests"),
	U64("bytes_written", bytes_written, false,
	    "bytes transferred by upload subrequests"),
	U64("bytes_cache_read", bytes_cache_read, true,
	    "the part of bytes_read that came from the cache"),
	U64("bytes_cache_written", bytes_cache_written, false,
	    "bytes written to the cache"),
	U64("retries", retries, true, "subrequest reissues"),
	U64("failures", failures, false,
	    "netfs_failure events plus cachefiles I/O and VFS errors"),
	U64("lost_events", lost_events, true,
	    "events the ring buffer says it dropped"),
	U64("lost_markers", lost_markers, false, "lost-event markers"),
	U64("cookies", cookies, true, "fscache cookies seen"),
	U64("cache_objects", cache_objects, false,
	    "cachefiles objects seen"),
	U64("in_flight_at_end", in_flight_at_end, true,
	    "requests alive at the end that no finding covers"),
	U64("reused_ids", reused_ids, false,
	    "request debug ids seen again after their request was freed"),
};
const size_t nft_summary_nfields =
	sizeof(nft_summary_fields) / sizeof(nft_summary_fields[0]);

const struct nft_summary_field nft_summary_bound_fields[] = {
	U64("max_objects", max_objects, false, "the object bound in force"),
	U64("peak_objects", peak_objects, false, "live objects at most"),
	U64("evicted_requests", evicted_requests, false,
	    "requests evicted, least recently active first"),
	U64("evicted_open", evicted_open, false,
	    "of them never completed"),
	U64("evicted_subreqs", evicted_subreqs, false,
	    "subrequests evicted"),
	U64("evicted_fsobjs", evicted_fsobjs, false,
	    "fscache/cachefiles objects and old cookies evicted"),
	U64("evicted_lines", evicted_lines, false,
	    "later lines of evicted objects, ignored"),
	U32("findings_per_kind", findings_per_kind, false,
	    "findings kept of each kind"),
	U64("findings_not_kept", findings_not_kept, false,
	    "findings past that cap, counted only"),
};
const size_t nft_summary_bound_nfields =
	sizeof(nft_summary_bound_fields) / sizeof(nft_summary_bound_fields[0]);

const struct nft_summary_field *nft_summary_field(const char *key)
{
	size_t i;

	for (i = 0; i < nft_summary_nfields; i++)
		if (!strcmp(nft_summary_fields[i].key, key))
			return &nft_summary_fields[i];
	for (i = 0; i < nft_summary_bound_nfields; i++)
		if (!strcmp(nft_summary_bound_fields[i].key, key))
			return &nft_summary_bound_fields[i];
	return NULL;
}

uint64_t nft_summary_value(const struct nft_summary *s,
			   const struct nft_summary_field *f)
{
	const char *p = (const char *)s + f->off;
	uint64_t v64;
	uint32_t v32;

	switch (f->kind) {
	case NFT_SF_U64:
	case NFT_SF_TS:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	case NFT_SF_U32:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	default:
		return 0;
	}
}

const uint64_t *nft_summary_counts(const struct nft_summary *s,
				   const struct nft_summary_field *f)
{
	return (const uint64_t *)((const char *)s + f->off);
}

void nft_summary_field_json(struct nft_jw *jw,
			    const struct nft_summary_field *f,
			    const struct nft_summary *s)
{
	switch (f->kind) {
	case NFT_SF_GEN:
		nft_jw_str(jw, f->key, nft_gen_name(s->gen));
		break;
	case NFT_SF_TS:
		nft_jw_ts(jw, f->key, nft_summary_value(s, f));
		break;
	case NFT_SF_COUNTS:
		nft_json_counts(jw, f->key, f->cls, nft_summary_counts(s, f),
				f->n, 0, 0);
		break;
	default:
		nft_jw_u64(jw, f->key, nft_summary_value(s, f));
		break;
	}
}
