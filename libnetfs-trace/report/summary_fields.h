/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The summary's fields, defined once: each field of struct nft_summary that
 * a writer prints, with its JSON key (docs/json.md), where it sits, its
 * kind and what it counts.  The JSON writer (json.c: netfs-replay's
 * "summary", netfs-top's "total") iterates the table in its order; the text
 * summary (text.c) lays the same fields out in lines that name them by key
 * ("bytes read: {bytes_read} (from cache: {bytes_cache_read})").  A new
 * summary field is one entry here (and its line in docs/json.md).
 */
#ifndef NFT_SUMMARY_FIELDS_H
#define NFT_SUMMARY_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model.h"
#include "json_writer.h"

enum nft_sf_kind {
	NFT_SF_U64,		/* uint64_t count */
	NFT_SF_U32,		/* uint32_t count */
	NFT_SF_TS,		/* uint64_t ns, written as ftrace seconds */
	NFT_SF_GEN,		/* enum nft_gen, written as its name */
	NFT_SF_COUNTS,		/* uint64_t[n] per symbol of class cls */
};

struct nft_summary_field {
	const char *key;	/* JSON key */
	enum nft_sf_kind kind;
	size_t off;		/* offsetof(struct nft_summary, ...) */
	enum nft_sym_class cls;	/* NFT_SF_COUNTS: symbol class ... */
	int n;			/* ... and entries */
	bool line;		/* starts a line in netfs-replay's document */
	const char *help;	/* what it is, one line */
};

/* The "summary" members in document order ("object_bound" and "notes" follow). */
extern const struct nft_summary_field nft_summary_fields[];
extern const size_t nft_summary_nfields;
/* The members of "object_bound" (when the bound was reached). */
extern const struct nft_summary_field nft_summary_bound_fields[];
extern const size_t nft_summary_bound_nfields;

/* The field of that JSON key (both tables), or NULL. */
const struct nft_summary_field *nft_summary_field(const char *key);
/* A U64, U32 or TS field's value (0 for the others). */
uint64_t nft_summary_value(const struct nft_summary *s,
			   const struct nft_summary_field *f);
/* A COUNTS field's table. */
const uint64_t *nft_summary_counts(const struct nft_summary *s,
				   const struct nft_summary_field *f);
/* Write the field as member f->key of the writer's current object. */
void nft_summary_field_json(struct nft_jw *jw,
			    const struct nft_summary_field *f,
			    const struct nft_summary *s);

#endif /* NFT_SUMMARY_FIELDS_H */
