/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metrics exposition writer: every metric netfs-trace exports goes
 * through it, so names, suffixes, escaping and the two text formats live
 * here only.
 *
 *  - OpenMetrics 1.0 text (NFT_OM_OPENMETRICS), content type
 *    "application/openmetrics-text; version=1.0.0; charset=utf-8":
 *    "# TYPE", "# UNIT", "# HELP" per family, a counter family named
 *    without "_total" and its sample with it, histograms as cumulative
 *    "_bucket{le=...}" ending at le="+Inf" plus "_sum" and "_count", info
 *    families as "NAME_info", and "# EOF" at the end (nft_om_end()).
 *  - The classic Prometheus text format 0.0.4 (NFT_OM_CLASSIC), content
 *    type "text/plain; version=0.0.4; charset=utf-8", which node_exporter's
 *    textfile collector and promtool read: "# HELP" and "# TYPE" name the
 *    sample ("netfs_requests_total"), no "# UNIT", an info family is a
 *    gauge named "NAME_info", no "# EOF".  No timestamps in either.
 *
 *	struct nft_om w;
 *	const char *labels[] = { "origin", "readahead", NULL };
 *
 *	nft_om_init(&w, out, NFT_OM_OPENMETRICS);
 *	nft_om_family_begin(&w, "netfs_requests", NFT_OM_COUNTER, NULL,
 *			    "netfs requests ended, by origin");
 *	nft_om_sample_u64(&w, NULL, labels, 12);   (-> netfs_requests_total)
 *	nft_om_family_begin(&w, "netfs_request_duration_seconds",
 *			    NFT_OM_HISTOGRAM, "seconds", "...");
 *	nft_om_histogram(&w, labels, bounds, counts, n, sum);
 *	nft_om_end(&w);                            (-> # EOF)
 *
 * Names: a family name is [a-zA-Z_:][a-zA-Z0-9_:]*, a counter's without
 * "_total" (nft_om_family_begin() drops a trailing "_total" given by
 * mistake), a unit must be the name's last "_"-separated part ("bytes" for
 * "netfs_read_bytes"); the writer does not check more than that.  Labels
 * are a NULL-terminated array of name, value pairs (NULL or { NULL } for
 * none); values are escaped (\\, \", \n), so any byte string is safe.  A
 * family's samples must follow its nft_om_family_begin() without another
 * family in between (OpenMetrics forbids interleaving).
 *
 * Errors: the writer never fails half way; nft_om_end() returns -1 if the
 * stream had a write error or a call was out of order (a sample without a
 * family, a name that is not a metric name), 0 otherwise.
 */
#ifndef NFT_OPENMETRICS_H
#define NFT_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum nft_om_format {
	NFT_OM_CLASSIC,		/* Prometheus text 0.0.4 */
	NFT_OM_OPENMETRICS,	/* OpenMetrics 1.0.0 text */
};

enum nft_om_type {
	NFT_OM_COUNTER,
	NFT_OM_GAUGE,
	NFT_OM_HISTOGRAM,
	NFT_OM_INFO,		/* value 1, the labels are the information */
};

#define NFT_OM_NAME_MAX 128

struct nft_om {
	FILE *out;
	enum nft_om_format fmt;
	enum nft_om_type type;
	char family[NFT_OM_NAME_MAX];	/* "" before the first family */
	bool error;
	uint64_t families, samples;
};

void nft_om_init(struct nft_om *w, FILE *out, enum nft_om_format fmt);

/*
 * Start family @name of @type; @unit (base unit, e.g. "seconds", "bytes")
 * or NULL; @help one line of text (escaped here).
 */
void nft_om_family_begin(struct nft_om *w, const char *name,
			 enum nft_om_type type, const char *unit,
			 const char *help);

/*
 * One sample of the current family.  The sample is named family + @suffix;
 * @suffix NULL picks the type's own: "_total" for a counter, "_info" for
 * an info family, "" for a gauge.  (Histograms: use nft_om_histogram().)
 */
void nft_om_sample(struct nft_om *w, const char *suffix,
		   const char *const *labels, double value);
void nft_om_sample_u64(struct nft_om *w, const char *suffix,
		       const char *const *labels, uint64_t value);

/*
 * A histogram series: @n upper bounds @le (ascending, finite) and @n + 1
 * per-bucket (not cumulative) counts, the last one for the values above
 * @le[n-1]; written as cumulative "_bucket" samples ending at le="+Inf",
 * then "_sum" (@sum) and "_count" (the total).  @labels must not hold "le".
 */
void nft_om_histogram(struct nft_om *w, const char *const *labels,
		      const double *le, const uint64_t *counts, size_t n,
		      double sum);

/* End the exposition ("# EOF" in OpenMetrics). Returns 0 or -1 (above). */
int nft_om_end(struct nft_om *w);

/* The Content-Type of @fmt. */
const char *nft_om_content_type(enum nft_om_format fmt);

/*
 * The format a scrape asked for with its Accept header (NULL: none):
 * OpenMetrics if "application/openmetrics-text" is acceptable (q > 0) and
 * preferred at least as much as text/plain (or * / *), else classic.
 */
enum nft_om_format nft_om_negotiate(const char *accept);

/* Write @v as the formats want a float ("+Inf", "NaN", shortest exact). */
void nft_om_fmt_double(char *buf, size_t sz, double v);

/*
 * The adapter for producers that emit one sample per call (the
 * /proc/fs/netfs/stats reader of --stats-only):
 *
 *	void emit(void *ctx, const char *family, int type, const char *help,
 *		  const char *label_name, const char *label_value,
 *		  uint64_t value);
 *
 * Pass nft_om_emit_cb as @emit and a struct nft_om * as @ctx.  @type is an
 * enum nft_om_type (NFT_OM_COUNTER or NFT_OM_GAUGE); @family may be given
 * with or without a counter's "_total"; @label_name NULL for a sample
 * without labels.  A new family header is written whenever @family differs
 * from the previous call's, so the calls of one family must be consecutive.
 */
void nft_om_emit_cb(void *ctx, const char *family, int type,
		    const char *help, const char *label_name,
		    const char *label_value, uint64_t value);

#endif /* NFT_OPENMETRICS_H */
