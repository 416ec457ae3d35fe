/* SPDX-License-Identifier: GPL-2.0 */
/* What the fuzz targets hand the decoders: an event sink and a diag that drop all. */
#ifndef NFT_FUZZ_SINKS_H
#define NFT_FUZZ_SINKS_H

#include "decoders/decoder.h"

static inline int drop(void *ctx, const struct nft_event *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

static inline void quiet(void *ctx, enum nft_diag_level level,
			 const char *file, const char *where, const char *msg)
{
	(void)ctx; (void)level; (void)file; (void)where; (void)msg;
}

#endif /* NFT_FUZZ_SINKS_H */
