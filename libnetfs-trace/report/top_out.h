/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writers of netfs-top's batch intervals (-b): the text table (like
 * top -b) and one JSON line per interval (docs/netfs-top-json.md, through
 * json_writer.h).  They read the aggregator (top.h) after nft_top_tick()
 * and change nothing in it.
 */
#ifndef NFT_TOP_OUT_H
#define NFT_TOP_OUT_H

#include <stddef.h>
#include <stdio.h>

#include "libnetfs-trace/top.h"

/* The last closed interval, @max_rows rows of grouping @g sorted by @col. */
void nft_top_print_text(const struct nft_top *t, FILE *out,
			enum nft_top_group g, enum nft_top_col col,
			size_t max_rows);
void nft_top_print_json(const struct nft_top *t, FILE *out,
			enum nft_top_group g, enum nft_top_col col,
			size_t max_rows);

#endif /* NFT_TOP_OUT_H */
