// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: one ftrace text line through nft_parse_ftrace_line(),
 * in each dialect, the line copied to an exact-size buffer so ASan sees
 * any read past its end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum nft_dialect dialects[] = {
		NFT_DIALECT_AUTO, NFT_DIALECT_6_1, NFT_DIALECT_MODERN,
	};
	char *line = malloc(size ? size : 1);
	size_t i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		enum nft_dialect d = dialects[i];
		struct nft_event ev;
		const char *err = NULL;

		memset(&ev, 0, sizeof(ev));
		nft_parse_ftrace_line(line, size, &d, &ev, &err);
	}
	free(line);
	return 0;
}
