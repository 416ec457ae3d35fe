// SPDX-License-Identifier: GPL-2.0
/*
 * Per-request and per-subrequest blocks of the detectors (reqtab.h).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "reqtab.h"

void *nft_reqtab_get(struct nft_reqtab *t, uint32_t id, size_t size,
		     bool *made)
{
	void *b;

	if (made)
		*made = false;
	if (!t->map.cap && nft_idmap_init(&t->map, 64))
		return NULL;
	b = nft_idmap_get(&t->map, id);
	if (b || !size)
		return b;
	b = calloc(1, size);
	if (!b)
		return NULL;
	if (nft_idmap_put(&t->map, id, b)) {
		free(b);
		return NULL;
	}
	if (made)
		*made = true;
	return b;
}

void nft_reqtab_drop(struct nft_reqtab *t, uint32_t id,
		     void (*free_block)(void *))
{
	void *b;

	if (!t->map.cap)
		return;
	b = nft_idmap_del(&t->map, id);
	if (b)
		free_block(b);
}

void nft_reqtab_release(struct nft_reqtab *t, void (*free_block)(void *))
{
	size_t i;

	for (i = 0; i < t->map.cap; i++)
		if (t->map.vals[i])
			free_block(t->map.vals[i]);
	nft_idmap_release(&t->map);
}

void *nft_reqtab_sreq(void *v, uint32_t *nr, int64_t index, size_t size,
		      void (*init)(void *elem))
{
	char **arr = v;

	if (index < 0 || index > 65535)
		return NULL;
	if ((uint32_t)index >= *nr) {
		uint32_t n = *nr ? *nr : 8, i;
		char *grown;

		while (n <= (uint32_t)index)
			n *= 2;
		grown = realloc(*arr, (size_t)n * size);
		if (!grown)
			return NULL;
		memset(grown + (size_t)*nr * size, 0, (size_t)(n - *nr) * size);
		for (i = *nr; init && i < n; i++)
			init(grown + (size_t)i * size);
		*arr = grown;
		*nr = n;
	}
	return *arr + (size_t)index * size;
}
