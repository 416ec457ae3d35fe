// SPDX-License-Identifier: GPL-2.0
/*
 * early-unlock: placeholder, filled in by its own change.
 */
#include "../model_internal.h"

const struct nft_detector nft_detect_early_unlock = {
	.name = "early-unlock",
};
