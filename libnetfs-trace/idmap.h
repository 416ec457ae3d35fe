/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A map from 64-bit keys to pointers: open addressing, linear probing,
 * backward-shift deletion (no tombstones, so lookups stay short however
 * long the trace runs).
 */
#ifndef NFT_IDMAP_H
#define NFT_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct nft_idmap {
	uint64_t *keys;
	void **vals;		/* NULL = empty slot */
	size_t cap;		/* power of two */
	size_t len;
};

/* 0 on success, -1/ENOMEM. The map never owns the values. */
int nft_idmap_init(struct nft_idmap *map, size_t cap_hint);
void nft_idmap_release(struct nft_idmap *map);
void *nft_idmap_get(const struct nft_idmap *map, uint64_t key);
/* Insert or replace a non-NULL value. 0 or -1/ENOMEM. */
int nft_idmap_put(struct nft_idmap *map, uint64_t key, void *val);
/* Remove; returns the old value or NULL. */
void *nft_idmap_del(struct nft_idmap *map, uint64_t key);

#endif /* NFT_IDMAP_H */
