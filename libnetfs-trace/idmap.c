// SPDX-License-Identifier: GPL-2.0
/*
 * Open-addressing hash map for object ids.
 */
#include <errno.h>
#include <stdlib.h>

#include "idmap.h"

static size_t slot_of(const struct nft_idmap *map, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (map->cap - 1);
}

int nft_idmap_init(struct nft_idmap *map, size_t cap_hint)
{
	size_t cap = 16;

	while (cap < cap_hint * 2)
		cap <<= 1;
	map->keys = calloc(cap, sizeof(*map->keys));
	map->vals = calloc(cap, sizeof(*map->vals));
	map->cap = cap;
	map->len = 0;
	if (!map->keys || !map->vals) {
		nft_idmap_release(map);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void nft_idmap_release(struct nft_idmap *map)
{
	free(map->keys);
	free(map->vals);
	map->keys = NULL;
	map->vals = NULL;
	map->cap = map->len = 0;
}

void *nft_idmap_get(const struct nft_idmap *map, uint64_t key)
{
	size_t i = slot_of(map, key);

	while (map->vals[i]) {
		if (map->keys[i] == key)
			return map->vals[i];
		i = (i + 1) & (map->cap - 1);
	}
	return NULL;
}

static int grow(struct nft_idmap *map)
{
	struct nft_idmap bigger;
	size_t i;

	if (nft_idmap_init(&bigger, map->cap))
		return -1;
	for (i = 0; i < map->cap; i++)
		if (map->vals[i])
			nft_idmap_put(&bigger, map->keys[i], map->vals[i]);
	nft_idmap_release(map);
	*map = bigger;
	return 0;
}

int nft_idmap_put(struct nft_idmap *map, uint64_t key, void *val)
{
	size_t i;

	if ((map->len + 1) * 4 > map->cap * 3 && grow(map))
		return -1;
	i = slot_of(map, key);
	while (map->vals[i]) {
		if (map->keys[i] == key) {
			map->vals[i] = val;
			return 0;
		}
		i = (i + 1) & (map->cap - 1);
	}
	map->keys[i] = key;
	map->vals[i] = val;
	map->len++;
	return 0;
}

void *nft_idmap_del(struct nft_idmap *map, uint64_t key)
{
	size_t i = slot_of(map, key), j;
	void *old;

	while (map->vals[i] && map->keys[i] != key)
		i = (i + 1) & (map->cap - 1);
	old = map->vals[i];
	if (!old)
		return NULL;
	/* Shift later members of the cluster back into the hole. */
	j = i;
	for (;;) {
		size_t home;

		j = (j + 1) & (map->cap - 1);
		if (!map->vals[j])
			break;
		home = slot_of(map, map->keys[j]);
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			map->keys[i] = map->keys[j];
			map->vals[i] = map->vals[j];
			i = j;
		}
	}
	map->vals[i] = NULL;
	map->len--;
	return old;
}
