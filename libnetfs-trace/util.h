/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the library.
 */
#ifndef NFT_UTIL_H
#define NFT_UTIL_H

#include <stddef.h>

/*
 * Make room for @need elements of @size bytes in the array *@pptr of
 * capacity *@cap, doubling it.  Returns 0, or -1 (ENOMEM) leaving the array
 * as it was.
 */
int nft_grow(void *pptr, size_t *cap, size_t need, size_t size);

#endif /* NFT_UTIL_H */
