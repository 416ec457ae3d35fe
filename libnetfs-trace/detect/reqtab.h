/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What detectors that follow each request keep: a block per request (by
 * id), and in it an array of per-subrequest blocks (by debug index).  The
 * bookkeeping lives here once; each detector defines its own blocks.
 */
#ifndef NFT_DETECT_REQTAB_H
#define NFT_DETECT_REQTAB_H

#include <stddef.h>
#include <stdint.h>

#include "../idmap.h"

struct nft_reqtab {
	struct nft_idmap map;	/* id -> the detector's block; set up on use */
};

/*
 * The block of request @id.  With @size, a zeroed block of @size bytes is
 * made if there is none (*@made says so when @made is given).  NULL when
 * there is none and @size is 0, or memory ran out.
 */
void *nft_reqtab_get(struct nft_reqtab *t, uint32_t id, size_t size,
		     bool *made);
/* Forget request @id's block, freed with @free_block. */
void nft_reqtab_drop(struct nft_reqtab *t, uint32_t id,
		     void (*free_block)(void *));
/* Free every block with @free_block, then the table. */
void nft_reqtab_release(struct nft_reqtab *t, void (*free_block)(void *));

/*
 * Element @index (0 .. 65535, the subrequest indexes the model keeps) of a
 * per-subrequest array *@v of *@nr elements of @size bytes, grown by
 * doubling from 8; new elements are zeroed, then given to @init if set.
 * NULL if @index is out of range or memory ran out.
 */
void *nft_reqtab_sreq(void *v, uint32_t *nr, int64_t index, size_t size,
		      void (*init)(void *elem));

#endif /* NFT_DETECT_REQTAB_H */
