// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol tables: canonical names generated from the X-macro lists in
 * vocab.h, plus the older kernels' spellings as aliases, behind one hash
 * table keyed by (class, normalized text).
 */
#include <string.h>

#include "vocab.h"

#define NAME_ENTRY(e, s) s,

static const char *const origin_names[] = { "", NFT_ORIGINS(NAME_ENTRY) };
static const char *const read_names[] = { "", NFT_READ_TRACES(NAME_ENTRY) };
static const char *const write_names[] = { "", NFT_WRITE_TRACES(NAME_ENTRY) };
static const char *const rreq_names[] = { "", NFT_RREQ_TRACES(NAME_ENTRY) };
static const char *const source_names[] = { "", NFT_SOURCES(NAME_ENTRY) };
static const char *const sreq_names[] = { "", NFT_SREQ_TRACES(NAME_ENTRY) };
static const char *const failure_names[] = { "", NFT_FAILURES(NAME_ENTRY) };
static const char *const rref_names[] = { "", NFT_RREQ_REFS(NAME_ENTRY) };
static const char *const sref_names[] = { "", NFT_SREQ_REFS(NAME_ENTRY) };
static const char *const folio_names[] = { "", NFT_FOLIO_TRACES(NAME_ENTRY) };
static const char *const folioq_names[] = { "", NFT_FOLIOQ_TRACES(NAME_ENTRY) };
static const char *const donate_names[] = { "", NFT_DONATE_TRACES(NAME_ENTRY) };
static const char *const fsck_names[] = { "", NFT_FSC_COOKIE_TRACES(NAME_ENTRY) };
static const char *const fscv_names[] = { "", NFT_FSC_VOLUME_TRACES(NAME_ENTRY) };
static const char *const fscc_names[] = { "", NFT_FSC_CACHE_TRACES(NAME_ENTRY) };
static const char *const fsca_names[] = { "", NFT_FSC_ACCESS_TRACES(NAME_ENTRY) };
static const char *const fscu_names[] = { "", NFT_FSC_ACTIVE_TRACES(NAME_ENTRY) };
static const char *const cfref_names[] = { "", NFT_CF_REF_TRACES(NAME_ENTRY) };
static const char *const cfcoh_names[] = { "", NFT_CF_COHERENCY_TRACES(NAME_ENTRY) };
static const char *const cfprep_names[] = { "", NFT_CF_PREP_TRACES(NAME_ENTRY) };
static const char *const cftrunc_names[] = { "", NFT_CF_TRUNC_TRACES(NAME_ENTRY) };
static const char *const cferr_names[] = { "", NFT_CF_ERROR_TRACES(NAME_ENTRY) };
static const char *const cfkill_names[] = { "", NFT_CF_KILL_TRACES(NAME_ENTRY) };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct sym_class_desc {
	const char *name;
	const char *const *names;
	int count;
};

#define DESC(n, tab) { n, tab, ARRAY_SIZE(tab) }

static const struct sym_class_desc classes[NFT_SYMC__NR] = {
	[NFT_SYMC_ORIGIN] = DESC("origin", origin_names),
	[NFT_SYMC_READ_TRACE] = DESC("netfs_read_trace", read_names),
	[NFT_SYMC_WRITE_TRACE] = DESC("netfs_write_trace", write_names),
	[NFT_SYMC_RREQ_TRACE] = DESC("netfs_rreq_trace", rreq_names),
	[NFT_SYMC_SOURCE] = DESC("netfs_source", source_names),
	[NFT_SYMC_SREQ_TRACE] = DESC("netfs_sreq_trace", sreq_names),
	[NFT_SYMC_FAILURE] = DESC("netfs_failure", failure_names),
	[NFT_SYMC_RREQ_REF] = DESC("netfs_rreq_ref_trace", rref_names),
	[NFT_SYMC_SREQ_REF] = DESC("netfs_sreq_ref_trace", sref_names),
	[NFT_SYMC_FOLIO] = DESC("netfs_folio_trace", folio_names),
	[NFT_SYMC_FOLIOQ] = DESC("netfs_folioq_trace", folioq_names),
	[NFT_SYMC_DONATE] = DESC("netfs_donate_trace", donate_names),
	[NFT_SYMC_FSC_COOKIE] = DESC("fscache_cookie_trace", fsck_names),
	[NFT_SYMC_FSC_VOLUME] = DESC("fscache_volume_trace", fscv_names),
	[NFT_SYMC_FSC_CACHE] = DESC("fscache_cache_trace", fscc_names),
	[NFT_SYMC_FSC_ACCESS] = DESC("fscache_access_trace", fsca_names),
	[NFT_SYMC_FSC_ACTIVE] = DESC("fscache_active_trace", fscu_names),
	[NFT_SYMC_CF_REF] = DESC("cachefiles_obj_ref_trace", cfref_names),
	[NFT_SYMC_CF_COHERENCY] = DESC("cachefiles_coherency_trace", cfcoh_names),
	[NFT_SYMC_CF_PREP] = DESC("cachefiles_prepare_read_trace", cfprep_names),
	[NFT_SYMC_CF_TRUNC] = DESC("cachefiles_trunc_trace", cftrunc_names),
	[NFT_SYMC_CF_ERROR] = DESC("cachefiles_error_trace", cferr_names),
	[NFT_SYMC_CF_KILL] = DESC("fscache_why_object_killed", cfkill_names),
};

/* Spellings of older kernels that mean the same thing as a newer one. */
static const struct {
	enum nft_sym_class cls;
	const char *text;
	int value;
} aliases[] = {
	{ NFT_SYMC_SREQ_REF, "GET RESUBMIT", NFT_SREF_GET_RESUBMIT },
	{ NFT_SYMC_SREQ_TRACE, "IO", NFT_SREQ_IO_PROGRESS },
	{ NFT_SYMC_RREQ_TRACE, "WT-PAUS", NFT_RREQ_WAIT_PAUSE },
	{ NFT_SYMC_RREQ_TRACE, "WAIT-Q", NFT_RREQ_WAIT_QUIESCE },
	{ NFT_SYMC_RREQ_TRACE, "WAITED-IP", NFT_RREQ_WAITED_IP },
	{ NFT_SYMC_RREQ_TRACE, "WAITED-Q", NFT_RREQ_WAITED_QUIESCE },
	{ NFT_SYMC_RREQ_TRACE, "KI-COMPLETE", NFT_RREQ_KI_COMPLETE },
	{ NFT_SYMC_FOLIO, "copy", NFT_FOLIO_COPY_TO_CACHE },
	/* fscache_cookie before 5.17 */
	{ NFT_SYMC_FSC_COOKIE, "*COLLISION*", NFT_FSCK_COLLISION },
	{ NFT_SYMC_FSC_COOKIE, "PUT rlq", NFT_FSCK_PUT_RELINQUISH },
	{ NFT_SYMC_FSC_COOKIE, "GET obj", NFT_FSCK_GET_ATTACH_OBJECT },
	{ NFT_SYMC_FSC_COOKIE, "GET paren", NFT_FSCK_GET_PARENT },
	{ NFT_SYMC_FSC_COOKIE, "PUT paren", NFT_FSCK_PUT_PARENT },
	/* 5.13 .. 5.17: six-character rreq traces; "WRITE " became "COPY " */
	{ NFT_SYMC_RREQ_TRACE, "RESUBM", NFT_RREQ_RESUBMIT },
	{ NFT_SYMC_RREQ_TRACE, "WRITE", NFT_RREQ_COPY },
	/* 5.13 .. 6.0: a short read in readpage or write_begin */
	{ NFT_SYMC_FAILURE, "short-readpage", NFT_FAIL_SHORT_READ },
	{ NFT_SYMC_FAILURE, "short-write-begin", NFT_FAIL_SHORT_READ },
};

#define HASH_BITS 11
#define HASH_SIZE (1u << HASH_BITS)
#define NORM_MAX 48

struct hash_slot {
	const char *text;	/* canonical or alias text (already normal) */
	uint16_t cls;
	uint16_t value;
	uint8_t len;
};

static struct hash_slot table[HASH_SIZE];
static int table_ready;

static uint32_t hash_text(unsigned int cls, const char *s, size_t len)
{
	uint32_t h = 2166136261u ^ cls;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Trim both ends and fold inner runs of blanks to one space. */
static size_t normalize(const char *in, size_t len, char *out)
{
	size_t i, n = 0;
	int blank = 0;

	for (i = 0; i < len; i++) {
		char c = in[i];

		if (c == ' ' || c == '\t') {
			blank = n > 0;
			continue;
		}
		if (blank) {
			if (n >= NORM_MAX)
				return NORM_MAX + 1;
			out[n++] = ' ';
			blank = 0;
		}
		if (n >= NORM_MAX)
			return NORM_MAX + 1;
		out[n++] = c;
	}
	return n;
}

static void table_add(enum nft_sym_class cls, const char *text, int value)
{
	size_t len = strlen(text);
	uint32_t h = hash_text(cls, text, len) & (HASH_SIZE - 1);

	while (table[h].text) {
		if (table[h].cls == cls && table[h].len == len &&
		    !memcmp(table[h].text, text, len))
			return;
		h = (h + 1) & (HASH_SIZE - 1);
	}
	table[h].text = text;
	table[h].cls = cls;
	table[h].value = value;
	table[h].len = len;
}

static void table_build(void)
{
	unsigned int c;
	size_t i;
	int v;

	for (c = 0; c < NFT_SYMC__NR; c++)
		for (v = 1; v < classes[c].count; v++)
			table_add(c, classes[c].names[v], v);
	for (i = 0; i < ARRAY_SIZE(aliases); i++) {
		table_add(aliases[i].cls, aliases[i].text, aliases[i].value);
	}
	table_ready = 1;
}

int nft_sym_lookup(enum nft_sym_class cls, const char *text, size_t len)
{
	char buf[NORM_MAX + 1];
	size_t n;
	uint32_t h;

	if (!table_ready)
		table_build();
	if ((unsigned int)cls >= NFT_SYMC__NR)
		return 0;
	n = normalize(text, len, buf);
	if (n == 0 || n > NORM_MAX)
		return 0;
	h = hash_text(cls, buf, n) & (HASH_SIZE - 1);
	while (table[h].text) {
		if (table[h].cls == cls && table[h].len == n &&
		    !memcmp(table[h].text, buf, n))
			return table[h].value;
		h = (h + 1) & (HASH_SIZE - 1);
	}
	return 0;
}

const char *nft_sym_name(enum nft_sym_class cls, int value)
{
	if ((unsigned int)cls >= NFT_SYMC__NR)
		return "?";
	if (value < 0 || value >= classes[cls].count)
		return "?";
	return classes[cls].names[value];
}

const char *nft_sym_class_name(enum nft_sym_class cls)
{
	if ((unsigned int)cls >= NFT_SYMC__NR)
		return "?";
	return classes[cls].name;
}

int nft_sym_count(enum nft_sym_class cls)
{
	if ((unsigned int)cls >= NFT_SYMC__NR)
		return 0;
	return classes[cls].count;
}

enum nft_ref_op nft_ref_op(enum nft_sym_class cls, int value)
{
	const char *s = nft_sym_name(cls, value);

	if (!strncmp(s, "NEW", 3))
		return NFT_REF_NEW;
	if (!strncmp(s, "GET", 3) || !strncmp(s, "GQ", 2))
		return NFT_REF_GET;
	if (!strncmp(s, "PUT", 3) || !strncmp(s, "PQ", 2))
		return NFT_REF_PUT;
	return NFT_REF_SEE;
}

int nft_origin_is_read(int origin)
{
	switch (origin) {
	case NFT_ORIGIN_RA:
	case NFT_ORIGIN_RP:
	case NFT_ORIGIN_RG:
	case NFT_ORIGIN_R1:
	case NFT_ORIGIN_RW:
	case NFT_ORIGIN_UR:
	case NFT_ORIGIN_DR:
		return 1;
	default:
		return 0;
	}
}
