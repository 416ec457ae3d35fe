// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the BTF reader, standalone and as split BTF on a small
 * fixed base, and every enum it returns read through.
 */
#include <stdint.h>
#include <string.h>

#include "decoders/elf.h"
#include "libnetfs-trace/vocab_kernel.h"

static void walk(const struct nft_btf *btf)
{
	size_t i, n = nft_btf_enum_count(btf);
	volatile size_t sum = 0;
	uint32_t j;

	for (i = 0; i < n; i++) {
		const struct nft_btf_enum *e = nft_btf_enum_at(btf, i);
		int cls = e->name ? nft_kenum_class(e->name) : -1;

		if (e->name)
			sum += strlen(e->name);
		for (j = 0; j < e->nvals; j++) {
			if (!e->vals[j].name)
				continue;
			sum += strlen(e->vals[j].name);
			if (cls >= 0)
				sum += nft_kenum_lookup(cls, e->vals[j].name);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* header + one INT type + 16 bytes of strings */
	static const unsigned char base_blob[] = {
		0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0,
		16, 0, 0, 0, 16, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 0,
		0, 'i', 'n', 't', 0, 'b', 'a', 's', 'e', 0, 'x', 0, 'y', 0, 0, 0,
	};
	static struct nft_btf *base;
	struct nft_btf *btf;

	if (!base)
		base = nft_btf_parse(base_blob, sizeof(base_blob), NULL, NULL, 0);
	btf = nft_btf_parse(data, size, NULL, NULL, 0);
	if (btf) {
		walk(btf);
		nft_btf_free(btf);
	}
	btf = nft_btf_parse(data, size, base, NULL, 0);
	if (btf) {
		walk(btf);
		nft_btf_free(btf);
	}
	return 0;
}
