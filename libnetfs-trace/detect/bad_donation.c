// SPDX-License-Identifier: GPL-2.0
/*
 * bad-donation: placeholder, filled in by its own change.
 */
#include "../model_internal.h"

const struct nft_detector nft_detect_bad_donation = {
	.name = "bad-donation",
};
