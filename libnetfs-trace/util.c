// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers shared by the library.
 */
#include <errno.h>
#include <stdlib.h>

#include "util.h"

int nft_grow(void *pptr, size_t *cap, size_t need, size_t size)
{
	void **p = pptr;
	size_t n = *cap ? *cap : 8;
	void *v;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	v = realloc(*p, n * size);
	if (!v) {
		errno = ENOMEM;
		return -1;
	}
	*p = v;
	*cap = n;
	return 0;
}
