// SPDX-License-Identifier: GPL-2.0
/*
 * A BTF reader that needs nothing but the bytes: header, type section,
 * string section (Documentation/bpf/btf.rst).  We only want the enum types,
 * but every kind must be walked to find where the next type starts.
 *
 * Split BTF (kernel modules) numbers its strings after the base's: an
 * offset below the base's string size names a vmlinux string, one above it
 * names the module's own string at (offset - base size).  Without vmlinux
 * that size is unknown, yet it can be recovered: it is the one shift that
 * makes every offset above it land exactly at the start of one of the
 * module's own strings.  The netfs, fscache and cachefiles enum names are
 * the module's own strings, so they resolve either way.
 *
 * Everything read from the blob is bounds-checked: the input may be a
 * truncated or hostile file (tests/fuzz/ feeds this parser).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"

#define BTF_MAGIC 0xeB9F
#define BTF_HDR_MIN 24

enum {
	KIND_INT = 1, KIND_PTR, KIND_ARRAY, KIND_STRUCT, KIND_UNION,
	KIND_ENUM, KIND_FWD, KIND_TYPEDEF, KIND_VOLATILE, KIND_CONST,
	KIND_RESTRICT, KIND_FUNC, KIND_FUNC_PROTO, KIND_VAR, KIND_DATASEC,
	KIND_FLOAT, KIND_DECL_TAG, KIND_TYPE_TAG, KIND_ENUM64,
};

/* Work limit for the base-size search, so a crafted blob can't stall us. */
#define INFER_BUDGET 50000000ul

struct nft_btf {
	unsigned char *data;
	size_t len;
	const char *strs;
	uint32_t str_len;
	uint32_t str_start;	/* offsets below this are the base's */
	uint32_t types;
	enum nft_btf_base base_kind;
	bool base_mismatch;
	const struct nft_btf *base;

	struct nft_btf_enum *enums;
	size_t nenums;
	struct nft_btf_enumval *vals;
	size_t nvals;

	uint32_t *refs;		/* every string offset the types use */
	size_t nrefs;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Bytes that follow the 12-byte common header for @kind; -1 if unknown. */
static long kind_extra(unsigned int kind, uint32_t vlen)
{
	switch (kind) {
	case KIND_INT:
	case KIND_VAR:
	case KIND_DECL_TAG:
		return 4;
	case KIND_PTR:
	case KIND_FWD:
	case KIND_TYPEDEF:
	case KIND_VOLATILE:
	case KIND_CONST:
	case KIND_RESTRICT:
	case KIND_FUNC:
	case KIND_FLOAT:
	case KIND_TYPE_TAG:
		return 0;
	case KIND_ARRAY:
		return 12;
	case KIND_STRUCT:
	case KIND_UNION:
	case KIND_DATASEC:
		return 12L * vlen;
	case KIND_ENUM:
	case KIND_FUNC_PROTO:
		return 8L * vlen;
	case KIND_ENUM64:
		return 12L * vlen;
	default:
		return -1;
	}
}

/* The string at offset @off, or NULL if it lives where we can't read. */
static const char *btf_str(const struct nft_btf *btf, uint32_t off)
{
	if (off < btf->str_start) {
		if (!btf->base)
			return NULL;
		return btf_str(btf->base, off);
	}
	off -= btf->str_start;
	if (off >= btf->str_len)
		return NULL;
	return btf->strs + off;
}

static int add_ref(struct nft_btf *btf, uint32_t off, size_t *cap)
{
	if (btf->nrefs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		uint32_t *n = realloc(btf->refs, ncap * sizeof(*n));

		if (!n)
			return -1;
		btf->refs = n;
		*cap = ncap;
	}
	btf->refs[btf->nrefs++] = off;
	return 0;
}

/*
 * First pass: check every type fits, count the enums and their values, and
 * collect the string offsets for the base-size search.  -1 malformed (reason
 * in @err), -2 out of memory.
 */
static int walk_types(struct nft_btf *btf, const unsigned char *t, size_t tlen,
		      char *err, size_t errlen)
{
	size_t pos = 0, cap = 0;

	while (pos < tlen) {
		uint32_t info, vlen, kind, i;
		size_t rec;
		long extra;

		if (tlen - pos < 12) {
			set_err(err, errlen, "type %u truncated", btf->types + 1);
			return -1;
		}
		info = get32(t + pos + 4);
		vlen = info & 0xffff;
		kind = (info >> 24) & 0x1f;
		extra = kind_extra(kind, vlen);
		if (extra < 0) {
			set_err(err, errlen, "type %u has unknown kind %u",
				btf->types + 1, kind);
			return -1;
		}
		if ((size_t)extra > tlen - pos - 12) {
			set_err(err, errlen, "type %u truncated", btf->types + 1);
			return -1;
		}
		if (add_ref(btf, get32(t + pos), &cap))
			return -2;
		rec = 0;
		if (kind == KIND_STRUCT || kind == KIND_UNION ||
		    kind == KIND_ENUM64)
			rec = 12;
		else if (kind == KIND_ENUM || kind == KIND_FUNC_PROTO)
			rec = 8;
		for (i = 0; rec && i < vlen; i++)
			if (add_ref(btf, get32(t + pos + 12 + i * rec), &cap))
				return -2;
		if (kind == KIND_ENUM || kind == KIND_ENUM64) {
			btf->nenums++;
			btf->nvals += vlen;
		}
		btf->types++;
		pos += 12 + extra;
	}
	return 0;
}

/* Does every offset at or above @start name the start of an own string? */
static bool base_fits(const struct nft_btf *btf, const unsigned char *starts,
		      uint32_t start, unsigned long *budget)
{
	size_t i;

	for (i = 0; i < btf->nrefs; i++) {
		uint32_t r = btf->refs[i];

		if (*budget == 0)
			return false;
		(*budget)--;
		if (r < start)
			continue;
		r -= start;
		if (r >= btf->str_len || !(starts[r >> 3] & (1u << (r & 7))))
			return false;
	}
	return true;
}

static int place_strings(struct nft_btf *btf, const struct nft_btf *base)
{
	unsigned long budget = INFER_BUDGET;
	unsigned char *starts;
	uint32_t rmax = 0, i, s;
	size_t k;

	starts = calloc(btf->str_len / 8 + 1, 1);
	if (!starts)
		return -1;
	starts[0] = 1;
	for (i = 0; i + 1 < btf->str_len; i++)
		if (!btf->strs[i])
			starts[(i + 1) >> 3] |= 1u << ((i + 1) & 7);
	for (k = 0; k < btf->nrefs; k++)
		if (btf->refs[k] > rmax)
			rmax = btf->refs[k];

	if (base) {
		uint32_t start = base->str_start + base->str_len;

		/* A base too big for us fits vacuously: no own string used. */
		if (rmax >= start && base_fits(btf, starts, start, &budget)) {
			btf->str_start = start;
			btf->base = base;
			btf->base_kind = NFT_BTF_BASE_GIVEN;
			goto out;
		}
		btf->base_mismatch = true;
	}
	if (base_fits(btf, starts, 0, &budget)) {
		btf->base_kind = NFT_BTF_STANDALONE;
		goto out;
	}
	/*
	 * The largest offset names one of our own strings, so the start is
	 * rmax minus some string start.  Try the smallest start first: a
	 * wrong, smaller start would have to place the base's offsets too.
	 */
	btf->base_kind = NFT_BTF_BASE_UNKNOWN;
	btf->str_start = UINT32_MAX;
	for (s = btf->str_len; s-- > 0;) {
		if (!(starts[s >> 3] & (1u << (s & 7))) || s > rmax ||
		    rmax - s == 0)
			continue;
		if (base_fits(btf, starts, rmax - s, &budget)) {
			btf->str_start = rmax - s;
			btf->base_kind = NFT_BTF_BASE_INFERRED;
			break;
		}
		if (!budget)
			break;
	}
out:
	free(starts);
	return 0;
}

/* Second pass: the enums, now that strings can be resolved. */
static void collect_enums(struct nft_btf *btf, const unsigned char *t,
			  size_t tlen)
{
	size_t pos = 0, e = 0, v = 0;

	while (pos < tlen) {
		uint32_t info = get32(t + pos + 4);
		uint32_t vlen = info & 0xffff, kind = (info >> 24) & 0x1f, i;
		bool kflag = info >> 31;

		if (kind == KIND_ENUM || kind == KIND_ENUM64) {
			struct nft_btf_enum *en = &btf->enums[e++];
			size_t rec = kind == KIND_ENUM ? 8 : 12;
			uint32_t name = get32(t + pos);

			en->name = name ? btf_str(btf, name) : "";
			en->nvals = vlen;
			en->vals = &btf->vals[v];
			for (i = 0; i < vlen; i++) {
				const unsigned char *p = t + pos + 12 + i * rec;
				struct nft_btf_enumval *ev = &btf->vals[v++];
				uint32_t lo = get32(p + 4);

				ev->name = btf_str(btf, get32(p));
				if (kind == KIND_ENUM)
					ev->value = kflag ? (int64_t)(int32_t)lo
							  : (int64_t)lo;
				else
					ev->value = (int64_t)(((uint64_t)get32(p + 8) << 32) | lo);
			}
		}
		pos += 12 + kind_extra(kind, vlen);
	}
}

struct nft_btf *nft_btf_parse(const void *data, size_t len,
			      const struct nft_btf *base,
			      char *err, size_t errlen)
{
	const unsigned char *d = data;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	struct nft_btf *btf;
	uint16_t magic;

	if (len < BTF_HDR_MIN) {
		set_err(err, errlen, "BTF too short (%zu bytes)", len);
		goto inval;
	}
	memcpy(&magic, d, 2);
	if (magic != BTF_MAGIC) {
		set_err(err, errlen, magic == 0x9FeB ?
			"BTF of the other byte order: not supported" :
			"not BTF (bad magic)");
		goto inval;
	}
	if (d[2] != 1) {
		set_err(err, errlen, "BTF version %u not supported", d[2]);
		goto inval;
	}
	hdr_len = get32(d + 4);
	type_off = get32(d + 8);
	type_len = get32(d + 12);
	str_off = get32(d + 16);
	str_len = get32(d + 20);
	if (hdr_len < BTF_HDR_MIN || hdr_len > len ||
	    (uint64_t)type_off + type_len > len - hdr_len ||
	    (uint64_t)str_off + str_len > len - hdr_len) {
		set_err(err, errlen, "BTF header points past the end (truncated?)");
		goto inval;
	}
	/* Only standalone BTF must start with "": split BTF may not. */
	if (!str_len || d[hdr_len + str_off + str_len - 1]) {
		set_err(err, errlen, "BTF string section malformed");
		goto inval;
	}

	btf = calloc(1, sizeof(*btf));
	if (!btf)
		return NULL;
	btf->data = malloc(len);
	if (!btf->data)
		goto nomem;
	memcpy(btf->data, data, len);
	btf->len = len;
	btf->strs = (const char *)btf->data + hdr_len + str_off;
	btf->str_len = str_len;
	switch (walk_types(btf, btf->data + hdr_len + type_off, type_len,
			   err, errlen)) {
	case 0:
		break;
	case -1:
		nft_btf_free(btf);
		goto inval;
	default:
		goto nomem;
	}
	if (place_strings(btf, base))
		goto nomem;
	btf->enums = calloc(btf->nenums + 1, sizeof(*btf->enums));
	btf->vals = calloc(btf->nvals + 1, sizeof(*btf->vals));
	if (!btf->enums || !btf->vals)
		goto nomem;
	collect_enums(btf, btf->data + hdr_len + type_off, type_len);
	free(btf->refs);
	btf->refs = NULL;
	return btf;

nomem:
	nft_btf_free(btf);
	errno = ENOMEM;
	set_err(err, errlen, "out of memory");
	return NULL;
inval:
	errno = EINVAL;
	return NULL;
}

void nft_btf_free(struct nft_btf *btf)
{
	if (!btf)
		return;
	free(btf->data);
	free(btf->enums);
	free(btf->vals);
	free(btf->refs);
	free(btf);
}

void nft_btf_get_info(const struct nft_btf *btf, struct nft_btf_info *info)
{
	info->types = btf->types;
	info->str_len = btf->str_len;
	info->str_start = btf->str_start;
	info->base = btf->base_kind;
	info->base_mismatch = btf->base_mismatch;
}

size_t nft_btf_enum_count(const struct nft_btf *btf)
{
	return btf->nenums;
}

const struct nft_btf_enum *nft_btf_enum_at(const struct nft_btf *btf, size_t i)
{
	return i < btf->nenums ? &btf->enums[i] : NULL;
}
