// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel generations: telling them apart from the capture, and decoding the
 * request/subrequest flag words, whose bit numbers changed between them
 * (research/tracepoints.md §1.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

const char *nft_gen_name(enum nft_gen gen)
{
	static const char *const names[NFT_GEN__NR] = {
		[NFT_GEN_AUTO] = "unknown",
		[NFT_GEN_6_1] = "6.1 (<= 6.9)",
		[NFT_GEN_6_12] = "6.12 (6.10 - 6.13)",
		[NFT_GEN_6_14] = "6.14 (6.14 - 6.15)",
		[NFT_GEN_7] = "7.x (>= 6.16)",
	};

	return (unsigned int)gen < NFT_GEN__NR ? names[gen] : "?";
}

enum nft_gen nft_gen_from_version(const char *version)
{
	char *end;
	long major = strtol(version, &end, 10), minor = 0;

	if (end == version)
		return NFT_GEN_AUTO;
	if (*end == '.')
		minor = strtol(end + 1, NULL, 10);
	/* the netfs library and its tracepoints came with 5.13 */
	if (major < 5 || (major == 5 && minor < 13))
		return NFT_GEN_AUTO;
	if (major < 6 || (major == 6 && minor <= 9))
		return NFT_GEN_6_1;
	if (major == 6 && minor <= 13)
		return NFT_GEN_6_12;
	if (major == 6 && minor <= 15)
		return NFT_GEN_6_14;
	return NFT_GEN_7;
}

enum nft_gen nft_model_gen(const struct nft_model *m)
{
	return m->sum.gen;
}

/* Evidence of a generation in one event; AUTO when it says nothing. */
static enum nft_gen gen_marker(const struct nft_event *ev)
{
	if (ev->have & NFT_HAVE_PRE_6_1)
		return NFT_GEN_6_1;	/* 5.13 .. 6.0 layouts: the 6.1 rules */
	switch (ev->kind) {
	case NFT_EV_NETFS_RREQ_REF:
		if (ev->what == NFT_RREF_GET_HOLD || ev->what == NFT_RREF_PUT_HOLD)
			return NFT_GEN_6_1;
		if (ev->what == NFT_RREF_PUT_WORK_IP ||
		    ev->what == NFT_RREF_SEE_WORK_COMPLETE ||
		    (ev->what == NFT_RREF_NEW && ev->ref == 2))
			return NFT_GEN_7;
		/* r=1 at birth: before 6.16; 6.12 is the likelier of the two. */
		if (ev->what == NFT_RREF_GET_WORK ||
		    (ev->what == NFT_RREF_NEW && ev->ref == 1))
			return NFT_GEN_6_12;
		return NFT_GEN_AUTO;
	case NFT_EV_NETFS_READ:
		return (ev->have & NFT_HAVE_ISIZE) ? NFT_GEN_AUTO : NFT_GEN_6_1;
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_DONATE:
		return NFT_GEN_6_12;
	case NFT_EV_NETFS_FOLIOQ:
	case NFT_EV_NETFS_COPY2CACHE:
	case NFT_EV_NETFS_READ_PROGRESS_AT:
		return NFT_GEN_7;
	default:
		return NFT_GEN_AUTO;
	}
}

void nft_model_guess_gen(struct nft_model *m, const struct nft_event *ev)
{
	enum nft_gen g = gen_marker(ev);

	/* 6.1 and 7 markers are unambiguous; 6.12's can be overruled. */
	if (g == NFT_GEN_AUTO || m->sum.gen == g)
		return;
	if (m->sum.gen == NFT_GEN_AUTO || g != NFT_GEN_6_12)
		m->sum.gen = g;
}

struct flag_name {
	uint8_t bit;
	const char *name;
};

static const struct flag_name rreq_6_1[] = {
	{ 0, "INCOMPLETE_IO" }, { 1, "COPY_TO_CACHE" },
	{ 2, "NO_UNLOCK_FOLIO" }, { 3, "DONT_UNLOCK_FOLIOS" },
	{ 4, "FAILED" }, { 5, "IN_PROGRESS" }, { 0xff, NULL },
};

static const struct flag_name rreq_6_12[] = {
	{ 0, "INCOMPLETE_IO" }, { 1, "COPY_TO_CACHE" },
	{ 2, "NO_UNLOCK_FOLIO" }, { 3, "DONT_UNLOCK_FOLIOS" },
	{ 4, "FAILED" }, { 5, "IN_PROGRESS" }, { 6, "FOLIO_COPY_TO_CACHE" },
	{ 7, "WRITE_TO_CACHE" }, { 8, "UPLOAD_TO_SERVER" },
	{ 9, "NONBLOCK" }, { 10, "BLOCKED" }, { 11, "PAUSE" },
	{ 12, "USE_IO_ITER" }, { 13, "ALL_QUEUED" }, { 14, "NEED_RETRY" },
	{ 31, "USE_PGPRIV2" }, { 0xff, NULL },
};

static const struct flag_name rreq_7[] = {
	{ 0, "IN_PROGRESS" }, { 1, "ALL_QUEUED" }, { 2, "PAUSE" },
	{ 3, "FAILED" }, { 4, "RETRYING" }, { 5, "SHORT_TRANSFER" },
	{ 8, "OFFLOAD_COLLECTION" }, { 9, "NO_UNLOCK_FOLIO" },
	{ 10, "FOLIO_COPY_TO_CACHE" }, { 11, "UPLOAD_TO_SERVER" },
	{ 12, "USE_IO_ITER" }, { 31, "USE_PGPRIV2" }, { 0xff, NULL },
};

static const struct flag_name sreq_6_1[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 2, "SHORT_IO" },
	{ 3, "SEEK_DATA_READ" }, { 4, "NO_PROGRESS" }, { 5, "ONDEMAND" },
	{ 0xff, NULL },
};

static const struct flag_name sreq_6_12[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 2, "SHORT_IO" },
	{ 3, "SEEK_DATA_READ" }, { 4, "NO_PROGRESS" }, { 5, "ONDEMAND" },
	{ 6, "BOUNDARY" }, { 7, "HIT_EOF" }, { 8, "IN_PROGRESS" },
	{ 9, "NEED_RETRY" }, { 10, "RETRYING" }, { 11, "FAILED" },
	{ 0xff, NULL },
};

static const struct flag_name sreq_7[] = {
	{ 0, "COPY_TO_CACHE" }, { 1, "CLEAR_TAIL" }, { 4, "MADE_PROGRESS" },
	{ 5, "ONDEMAND" }, { 6, "BOUNDARY" }, { 7, "HIT_EOF" },
	{ 8, "IN_PROGRESS" }, { 9, "NEED_RETRY" }, { 10, "FAILED" },
	{ 0xff, NULL },
};

static size_t flags_str(const struct flag_name *t, uint32_t f, char *buf,
			size_t sz)
{
	size_t n = 0;
	uint32_t known = 0;

	buf[0] = 0;
	for (; t->name; t++) {
		if (!(f & (1u << t->bit)) || (known & (1u << t->bit)))
			continue;
		known |= 1u << t->bit;
		n += snprintf(buf + n, n < sz ? sz - n : 0, "%s%s",
			      n ? "|" : "", t->name);
	}
	if (f & ~known)
		n += snprintf(buf + n, n < sz ? sz - n : 0, "%s0x%x",
			      n ? "|" : "", f & ~known);
	return n;
}

size_t nft_rreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz)
{
	const struct flag_name *t = gen == NFT_GEN_6_1	? rreq_6_1 :
				    gen == NFT_GEN_7	? rreq_7 :
							  rreq_6_12;

	return flags_str(t, f, buf, sz);
}

size_t nft_sreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz)
{
	const struct flag_name *t = gen == NFT_GEN_6_1	? sreq_6_1 :
				    gen == NFT_GEN_7	? sreq_7 :
							  sreq_6_12;

	return flags_str(t, f, buf, sz);
}
