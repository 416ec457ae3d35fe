/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vocabulary from a kernel build: the trace enums of netfs.ko,
 * cachefiles.ko, fscache.ko or vmlinux, read from their BTF with libelf (or
 * from DWARF through libdw when there is no BTF), and checked against what
 * this build of the tool understands.
 *
 * Conventions (libtracefs style): functions return 0 or a pointer on
 * success, -1 or NULL with errno set on failure; an @err buffer, when given,
 * receives a one-line reason.
 */
#ifndef NFT_ELF_H
#define NFT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- BTF (decoders/btf.c) ---- */

struct nft_btf;

struct nft_btf_enumval {
	const char *name;	/* NULL: the name is in base BTF we do not have */
	int64_t value;
};

struct nft_btf_enum {
	const char *name;	/* "" for an anonymous enum, NULL as above */
	uint32_t nvals;
	const struct nft_btf_enumval *vals;
};

/* Where the string offsets of split BTF start (see nft_btf_info.base). */
enum nft_btf_base {
	NFT_BTF_STANDALONE,	/* vmlinux: every string is in this blob */
	NFT_BTF_BASE_GIVEN,	/* split, resolved against the base given */
	NFT_BTF_BASE_INFERRED,	/* split, base string size worked out from
				 * this blob alone; base strings unreadable */
	NFT_BTF_BASE_UNKNOWN,	/* split, no own string could be placed */
};

struct nft_btf_info {
	uint32_t types;		/* types in this blob (not counting a base) */
	uint32_t str_len;	/* bytes of this blob's own strings */
	uint32_t str_start;	/* offset of this blob's first own string */
	enum nft_btf_base base;
	bool base_mismatch;	/* a base was given but did not fit: ignored */
};

/*
 * Parse the raw BTF in @data (a .BTF section or a /sys/kernel/btf file).
 * @base, if not NULL, is vmlinux's BTF for split (module) BTF; it must
 * outlive the result.  The data is copied: the caller may free @data at
 * once.  Returns NULL with errno EINVAL (malformed, reason in @err) or
 * ENOMEM.  Free with nft_btf_free().
 */
struct nft_btf *nft_btf_parse(const void *data, size_t len,
			      const struct nft_btf *base,
			      char *err, size_t errlen);
void nft_btf_free(struct nft_btf *btf);

void nft_btf_get_info(const struct nft_btf *btf, struct nft_btf_info *info);

/* Enum types (ENUM and ENUM64) in type order.  Owned by @btf. */
size_t nft_btf_enum_count(const struct nft_btf *btf);
const struct nft_btf_enum *nft_btf_enum_at(const struct nft_btf *btf,
					   size_t i);

/* ---- kernel objects and the vocabulary report (decoders/elf.c) ---- */

/*
 * Check the kernel objects at @paths (modules .ko/.ko.xz/.ko.zst/.ko.gz,
 * vmlinux, or raw BTF files like /sys/kernel/btf/netfs) against our
 * vocabulary and print, per trace enum found, the symbols we know and the
 * ones we do not, then the enums we expected and found nowhere.  Module BTF
 * is split BTF: its base is a vmlinux among @paths, else @btf_base (may be
 * NULL), else worked out as far as the module alone allows.
 *
 * Returns 0 when every symbol found is known, 1 when some are not, 2 when a
 * file could not be read or holds no usable BTF (message on stderr with
 * @prog as prefix).
 */
int nft_vocab_report(FILE *out, const char *prog, const char *const *paths,
		     int npaths, const char *btf_base);

#endif /* NFT_ELF_H */
