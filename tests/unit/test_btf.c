// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF reader on blobs made here (no network, no kernel): a standalone
 * blob with an enum and an enum64, a split blob whose own strings start
 * after a base's (worked out without the base, then given it), every
 * truncation of a valid blob, and the kernel-name mapping of vocab_kernel.c.
 */
#include <stdlib.h>
#include <string.h>

#include "decoders/elf.h"
#include "libnetfs-trace/vocab_kernel.h"
#include "tap.h"

struct blob {
	unsigned char types[512], strs[512], out[1100];
	size_t tlen, slen;
	uint32_t str_shift;	/* split BTF: own strings start here */
};

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = b->slen;

	memcpy(b->strs + b->slen, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off + b->str_shift;
}

static void u32(struct blob *b, uint32_t v)
{
	memcpy(b->types + b->tlen, &v, 4);
	b->tlen += 4;
}

static void type(struct blob *b, uint32_t name, unsigned int kind,
		 unsigned int vlen, uint32_t size)
{
	u32(b, name);
	u32(b, kind << 24 | vlen);
	u32(b, size);
}

static size_t finish(struct blob *b)
{
	uint32_t hdr[6] = { 0x0001eB9F, 24, 0, (uint32_t)b->tlen,
			    (uint32_t)b->tlen, (uint32_t)b->slen };

	memcpy(b->out, hdr, 24);
	memcpy(b->out + 24, b->types, b->tlen);
	memcpy(b->out + 24 + b->tlen, b->strs, b->slen);
	return 24 + b->tlen + b->slen;
}

/* One INT, one struct with a member, an enum of two and an enum64 of one. */
static size_t make(struct blob *b, uint32_t shift, uint32_t base_ref)
{
	memset(b, 0, sizeof(*b));
	b->str_shift = shift;
	if (!shift)
		b->slen = 1;	/* standalone BTF starts with "" */
	type(b, base_ref ? base_ref : str(b, "int"), 1, 0, 4);
	u32(b, 32);
	type(b, str(b, "netfs_thing"), 4, 1, 4);
	u32(b, base_ref ? base_ref : str(b, "field"));
	u32(b, 1);
	u32(b, 0);
	type(b, str(b, "netfs_sreq_trace"), 6, 2, 1);
	u32(b, str(b, "netfs_sreq_trace_free"));
	u32(b, 0);
	u32(b, str(b, "netfs_sreq_trace_brand_new"));
	u32(b, 7);
	type(b, str(b, "big"), 19, 1, 8);
	u32(b, str(b, "BIG_ONE"));
	u32(b, 1);
	u32(b, 2);
	return finish(b);
}

static void test_standalone(void)
{
	struct blob b;
	size_t len = make(&b, 0, 0);
	struct nft_btf_info info;
	const struct nft_btf_enum *e;
	char err[128] = "";
	struct nft_btf *btf = nft_btf_parse(b.out, len, NULL, err, sizeof(err));

	if (!ok(btf, "standalone blob parses (%s)", err))
		return;
	nft_btf_get_info(btf, &info);
	is(info.types, 4, "types");
	is(info.base, NFT_BTF_STANDALONE, "standalone");
	is(nft_btf_enum_count(btf), 2, "enums");
	e = nft_btf_enum_at(btf, 0);
	is_str(e->name, "netfs_sreq_trace", "enum name");
	is(e->nvals, 2, "enumerators");
	is_str(e->vals[1].name, "netfs_sreq_trace_brand_new", "enumerator name");
	is(e->vals[1].value, 7, "enumerator value");
	e = nft_btf_enum_at(btf, 1);
	is(e->vals[0].value, (int64_t)2 << 32 | 1, "enum64 value");
	ok(!nft_btf_enum_at(btf, 2), "past the end: NULL");
	nft_btf_free(btf);
}

static void test_split(void)
{
	struct blob base, mod;
	size_t blen, mlen;
	struct nft_btf *bb, *m;
	struct nft_btf_info info;
	char err[128] = "";

	/* A base with 300 bytes of strings; the module refers into them. */
	memset(&base, 0, sizeof(base));
	base.slen = 300;
	memcpy(base.strs + 5, "int", 4);
	type(&base, 5, 1, 0, 4);
	u32(&base, 32);
	blen = finish(&base);
	bb = nft_btf_parse(base.out, blen, NULL, err, sizeof(err));
	ok(bb, "base parses (%s)", err);

	mlen = make(&mod, 300, 5);
	m = nft_btf_parse(mod.out, mlen, NULL, err, sizeof(err));
	if (ok(m, "split blob parses without its base (%s)", err)) {
		nft_btf_get_info(m, &info);
		is(info.base, NFT_BTF_BASE_INFERRED, "base size inferred");
		is(info.str_start, 300, "own strings start after the base's");
		is_str(nft_btf_enum_at(m, 0)->name, "netfs_sreq_trace",
		       "own names resolve");
		nft_btf_free(m);
	}
	m = nft_btf_parse(mod.out, mlen, bb, err, sizeof(err));
	if (ok(m, "split blob parses on its base (%s)", err)) {
		nft_btf_get_info(m, &info);
		is(info.base, NFT_BTF_BASE_GIVEN, "base used");
		ok(!info.base_mismatch, "base fits");
		nft_btf_free(m);
	}
	nft_btf_free(bb);
}

static void test_truncated(void)
{
	struct blob b;
	size_t len = make(&b, 0, 0), n;
	int bad = 0;

	for (n = 0; n < len; n++) {
		unsigned char *copy = malloc(n + 1);
		struct nft_btf *btf;

		memcpy(copy, b.out, n);
		btf = nft_btf_parse(copy, n, NULL, NULL, 0);
		/* a cut in the string section is the only acceptable one */
		if (btf && n < len - b.slen)
			bad++;
		nft_btf_free(btf);
		free(copy);
	}
	is(bad, 0, "every truncation inside header or types refused");
	b.out[2] = 2;
	ok(!nft_btf_parse(b.out, len, NULL, NULL, 0), "version 2 refused");
	b.out[2] = 1;
	b.out[24 + 7] = 31;	/* kind 31 on the first type */
	ok(!nft_btf_parse(b.out, len, NULL, NULL, 0), "unknown kind refused");
}

static void test_mapping(void)
{
	is(nft_kenum_class("netfs_sreq_trace"), NFT_SYMC_SREQ_TRACE, "class by enum name");
	is(nft_kenum_class("netfs_io_origin"), NFT_SYMC_ORIGIN, "origin enum");
	is(nft_kenum_class("netfs_read_from_hole"), -1, "not ours");
	is(nft_kenum_lookup(NFT_SYMC_SREQ_TRACE, "netfs_sreq_trace_abandoned"),
	   NFT_SREQ_ABANDONED, "derived name");
	is(nft_kenum_lookup(NFT_SYMC_SREQ_TRACE, "netfs_sreq_trace_resubmit_short"),
	   NFT_SREQ_SHORT, "6.1 name");
	is(nft_kenum_lookup(NFT_SYMC_RREQ_REF, "netfs_rreq_trace_get_for_outstanding"),
	   NFT_RREF_GET_OUTSTANDING, "irregular name");
	is(nft_kenum_lookup(NFT_SYMC_ORIGIN, "NETFS_PGPRIV2_COPY_TO_CACHE"),
	   NFT_ORIGIN_C2C, "origin");
	is(nft_kenum_lookup(NFT_SYMC_FOLIO, "netfs_folio_trace_copy"),
	   NFT_FOLIO_COPY_TO_CACHE, "6.8 folio copy");
	is(nft_kenum_lookup(NFT_SYMC_CF_ERROR, "cachefiles_trace_notify_change_error"),
	   NFT_CFERR_NOTIFY_CHANGE, "suffix stripped");
	is(nft_kenum_lookup(NFT_SYMC_CF_KILL, "FSCACHE_VOLUME_IS_WEIRD"),
	   NFT_CFKILL_VOLUME_IS_WEIRD, "kill reason");
	is(nft_kenum_lookup(NFT_SYMC_ORIGIN, "nr__netfs_io_origin"), -1, "sentinel");
	is(nft_kenum_lookup(NFT_SYMC_SREQ_TRACE, "netfs_sreq_trace_brand_new"), 0,
	   "unknown");
	is(nft_kenum_lookup(NFT_SYMC_SREQ_TRACE, "netfs_sreq_trace_"), 0,
	   "prefix only");
}

int main(void)
{
	test_standalone();
	test_split();
	test_truncated();
	test_mapping();
	return tap_done();
}
