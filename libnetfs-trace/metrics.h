/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus / OpenMetrics metrics from the tracepoints (docs/metrics.md):
 * what netfs-top --listen and --textfile expose.
 *
 * Counters are the model's summary (struct nft_summary), read when the
 * exposition is written, so they count exactly what netfs-replay's summary
 * of the same capture counts; what the summary does not break down
 * (request durations by origin, failures by errno, findings by kind) is
 * counted here from the model hooks, which this module chains in front of
 * the ones already installed (netfs-top's aggregator): every hook it
 * replaces is still called, first, with its own context.  The gauges of
 * requests in flight come from netfs-top's last tick (nft_top_header()).
 *
 * No label names an inode, request id, cookie, path or filesystem: nothing
 * in the netfs, fscache or cachefiles tracepoints names the filesystem a
 * request belongs to (docs/metrics.md, "No fs label").
 */
#ifndef NFT_METRICS_H
#define NFT_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "top.h"
#include "report/openmetrics.h"

struct nft_metrics;

/* @version: the exporter's version for netfs_exporter_build_info. */
struct nft_metrics *nft_metrics_new(const char *version);
void nft_metrics_free(struct nft_metrics *mx);

/*
 * Chain our hooks in front of @hooks (call before nft_model_new(); the
 * hooks already in @hooks keep being called with their own context).
 */
void nft_metrics_hooks(struct nft_metrics *mx, struct nft_model_hooks *hooks);

/* The model built with those hooks, and netfs-top's aggregator (or NULL). */
void nft_metrics_attach(struct nft_metrics *mx, const struct nft_model *m,
			const struct nft_top *top);

/*
 * Another producer's families, written after ours in every exposition and
 * textfile (the /proc/fs/netfs/stats reader of --stats-only: its @write
 * calls its reader with nft_om_emit_cb and @w).  At most
 * NFT_METRICS_SOURCES; returns 0 or -1.  Without a model attached
 * (nft_metrics_attach() never called: --stats-only, no tracing), only
 * netfs_exporter_build_info and these are written.
 */
#define NFT_METRICS_SOURCES 4
int nft_metrics_add_source(struct nft_metrics *mx,
			   void (*write)(void *ctx, struct nft_om *w),
			   void *ctx);

/* Every family, into @w (no nft_om_end(): callers may add their own). */
void nft_metrics_write(const struct nft_metrics *mx, struct nft_om *w);

/*
 * A whole exposition in @fmt into @out (nft_metrics_write() + nft_om_end()).
 * The signature of an nft_httpd renderer.  Returns 0 or -1 (write error).
 */
int nft_metrics_render(void *mx, FILE *out, enum nft_om_format fmt);

/*
 * node_exporter's textfile collector: DIR/netfs.prom in the classic format
 * without timestamps, written to DIR/netfs.prom.tmp.PID and renamed over
 * it.  Returns 0, or -1 with errno set.
 */
int nft_metrics_write_textfile(const struct nft_metrics *mx, const char *dir);

/* Words for label values. */
const char *nft_metrics_origin_word(int origin);	/* "readahead" ... */
const char *nft_metrics_errno_word(int error);	/* -5 -> "EIO"; "other" */

/* Request duration buckets, seconds (upper bounds; +Inf added). */
#define NFT_METRICS_DURATION_BUCKETS 18
extern const double nft_metrics_duration_le[NFT_METRICS_DURATION_BUCKETS];

#endif /* NFT_METRICS_H */
