/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The __print_symbolic() tables of a trace.dat's event formats, read by us
 * so that libtraceevent need not parse them (decoders/dat_syms.c).
 */
#ifndef NFT_DAT_SYMS_H
#define NFT_DAT_SYMS_H

#include <stdbool.h>
#include <stddef.h>

struct tep_handle;
struct nft_dat_syms;

/* NULL when out of memory.  Free with nft_dat_syms_free(). */
struct nft_dat_syms *nft_dat_syms_new(void);
void nft_dat_syms_free(struct nft_dat_syms *s);

/*
 * One event format (@text, @len bytes: "name: ...", "ID: ...", "format:",
 * the fields, "print fmt: ...") of event @id: when every __print_symbolic()
 * of its print fmt is one we read exactly as libtraceevent would, its
 * tables go into @s and *out (malloc'd, *olen bytes) is the same format
 * with `print fmt: ""`; 0.  1 when the format is to be left as it is; -1
 * when out of memory.
 */
int nft_dat_syms_strip(struct nft_dat_syms *s, long id, const char *text,
		       size_t len, char **out, size_t *olen);

/* Formats stripped so far. */
int nft_dat_syms_count(const struct nft_dat_syms *s);

/*
 * Give the events of @tep whose print fmt was stripped their tables back,
 * as libtraceevent's own __print_symbolic() args (what decoders/tep_event.c
 * reads), owned and freed by libtraceevent with the event.  0, or -1 when
 * out of memory (the events done so far keep theirs).
 */
int nft_dat_syms_attach(const struct nft_dat_syms *s, struct tep_handle *tep);

/* NETFS_REPLAY_DAT_SYMS=0 leaves every print fmt to libtraceevent. */
bool nft_dat_syms_enabled(void);

#endif
