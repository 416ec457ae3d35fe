// SPDX-License-Identifier: GPL-2.0
/*
 * fscache-lifecycle: placeholder, filled in by its own change.
 */
#include "../model_internal.h"

const struct nft_detector nft_detect_fscache_lifecycle = {
	.name = "fscache-lifecycle",
};
