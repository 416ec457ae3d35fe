/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writers of /proc/fs/netfs/stats samples (netfs-top --stats-only): one
 * JSON object per interval (through json_writer.h), or the Prometheus text
 * format (HELP/TYPE/samples, no timestamps) that node_exporter's textfile
 * collector reads.  The samples are nft_procstats_emit()'s.
 */
#ifndef NFT_PROCSTATS_OUT_H
#define NFT_PROCSTATS_OUT_H

#include <stdio.h>

#include "libnetfs-trace/procstats.h"

/*
 * One compact JSON line: {"interval": N, "source": PATH, "up": bool,
 * "features": [...], "parse_errors": N, "samples": [{"name", "type",
 * "labels": {..}, "value"}, ...], "totals": {...}} (docs/metrics-procstats.md).
 */
void nft_procstats_print_json(const struct nft_procstats *ps, FILE *out,
			      unsigned long interval, const char *source);

/* The Prometheus text exposition format (version 0.0.4) of @ps. */
void nft_procstats_print_prom(const struct nft_procstats *ps, FILE *out);

struct nft_om;

/*
 * The stats file as a source of netfs-top's exposition (--listen,
 * --textfile): nft_metrics_add_source(mx, nft_procstats_om_source, src)
 * reads @src->path (NULL: NFT_PROCSTATS_PATH) each time the metrics are
 * written.
 */
struct nft_procstats_source {
	const char *path;
	struct nft_procstats ps;
};
void nft_procstats_om_source(void *ctx, struct nft_om *w);

#endif /* NFT_PROCSTATS_OUT_H */
