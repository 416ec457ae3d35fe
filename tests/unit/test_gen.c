// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel generations (libnetfs-trace/gen.c): known flag words decoded by
 * each generation's table, the table's bit numbers against the ones the
 * real captures print, and the guessing that tells 6.14-6.15 from 6.12 and
 * 7.x by the symbols only 6.14-6.15 prints.  The 6.14 lines are
 * constructed from its printk formats and enum tables (e2d46f2ec332), the
 * others are lines of the 6.1, 6.12 and 7.2 corpus captures.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/gen.h"
#include "libnetfs-trace/model.h"
#include "tap.h"

static const char *rflags(enum nft_gen g, uint32_t f)
{
	static char buf[256];

	nft_rreq_flags_str(g, f, buf, sizeof(buf));
	return buf;
}

static const char *sflags(enum nft_gen g, uint32_t f)
{
	static char buf[256];

	nft_sreq_flags_str(g, f, buf, sizeof(buf));
	return buf;
}

static void test_flag_words(void)
{
	/* f=2021: 6.14's read collector offloads readahead collection. */
	is_str(rflags(NFT_GEN_6_14, 0x2021),
	       "OFFLOAD_COLLECTION|IN_PROGRESS|ALL_QUEUED", "6.14 f=2021");
	/* The same word read as 6.12 names a bit only <= 6.11 had. */
	is_str(rflags(NFT_GEN_6_12, 0x2021),
	       "INCOMPLETE_IO(<=6.11)|IN_PROGRESS|ALL_QUEUED", "6.12 f=2021");
	/* 6.12.107 corpus: readahead in progress, all queued, writes upload. */
	is_str(rflags(NFT_GEN_6_12, 0x2020), "IN_PROGRESS|ALL_QUEUED",
	       "6.12 f=2020");
	is_str(rflags(NFT_GEN_6_12, 0x3120),
	       "IN_PROGRESS|UPLOAD_TO_SERVER|USE_IO_ITER|ALL_QUEUED",
	       "6.12 f=3120");
	is_str(rflags(NFT_GEN_6_12, 0x4020), "IN_PROGRESS|NEED_RETRY",
	       "6.12 f=4020");
	is_str(rflags(NFT_GEN_6_14, 0x4020), "IN_PROGRESS|RETRYING",
	       "6.14 bit 14 is RETRYING");
	is_str(rflags(NFT_GEN_6_14, 0x40), "FOLIO_COPY_TO_CACHE",
	       "6.14 bit 6");
	/* 7.2 corpus: f=103 and f=1801 after the 6.16 renumbering. */
	is_str(rflags(NFT_GEN_7, 0x103),
	       "IN_PROGRESS|ALL_QUEUED|OFFLOAD_COLLECTION", "7.x f=103");
	is_str(rflags(NFT_GEN_7, 0x1801),
	       "IN_PROGRESS|UPLOAD_TO_SERVER|USE_IO_ITER", "7.x f=1801");
	is_str(rflags(NFT_GEN_7, 0x20103),
	       "IN_PROGRESS|ALL_QUEUED|OFFLOAD_COLLECTION|0x20000",
	       "7.x bit 17 has no checked name");
	is_str(rflags(NFT_GEN_6_1, 0x21), "INCOMPLETE_IO|IN_PROGRESS",
	       "6.1 f=21");
	is_str(rflags(NFT_GEN_6_1, 0x40), "0x40", "6.1 bit 6 unknown");

	/* Subrequests: 6.12 corpus f=82 (CLEAR_TAIL|HIT_EOF), 7.2 f=112. */
	is_str(sflags(NFT_GEN_6_12, 0x82), "CLEAR_TAIL|HIT_EOF", "6.12 sreq f=82");
	is_str(sflags(NFT_GEN_7, 0x112), "CLEAR_TAIL|MADE_PROGRESS|IN_PROGRESS",
	       "7.x sreq f=112");
	is_str(sflags(NFT_GEN_6_14, 0x400), "FAILED", "6.14 sreq FAILED is bit 10");
	is_str(sflags(NFT_GEN_6_12, 0x800), "FAILED", "6.12 sreq FAILED is bit 11");
	is_str(sflags(NFT_GEN_6_12, 0x400), "RETRYING(6.13:FAILED)",
	       "6.12-6.13 bit 10 names both");
	is_str(sflags(NFT_GEN_6_1, 0x4), "SHORT_IO", "6.1 sreq SHORT_IO");
}

/* The table's bits, held against what each generation's captures print. */
static void test_profiles(void)
{
	const struct nft_gen_profile *p;

	p = nft_gen_profile(NFT_GEN_6_12);
	is(nft_gen_rbit(p, NFT_RF_IN_PROGRESS), 0x20, "6.12 IN_PROGRESS");
	is(nft_gen_rbit(p, NFT_RF_ALL_QUEUED), 0x2000, "6.12 ALL_QUEUED");
	is(nft_gen_rbit(p, NFT_RF_OFFLOAD_COLLECTION), 0, "6.12 no OFFLOAD");
	is(p->rreq_new_ref, 1, "6.12 NEW r=1");
	ok(p->donations && !p->read_collector, "6.12 donations");
	is_str(p->spell[NFT_SPELL_GET_RESUBMIT], "GET RESUBMIT", "6.12 spelling");

	p = nft_gen_profile(NFT_GEN_6_14);
	is(nft_gen_rbit(p, NFT_RF_IN_PROGRESS), 0x20, "6.14 IN_PROGRESS still 5");
	is(nft_gen_rbit(p, NFT_RF_OFFLOAD_COLLECTION), 0x1, "6.14 OFFLOAD bit 0");
	is(nft_gen_rbit(p, NFT_RF_INCOMPLETE_IO), 0, "6.14 no INCOMPLETE_IO");
	is(p->rreq_new_ref, 1, "6.14 NEW r=1");
	ok(!p->in_progress_owns_ref, "6.14 IN_PROGRESS owns no ref");
	is(p->work_refs, NFT_WORK_REFS_GET_WORK, "6.14 GET WORK/PUT WORK NQ");
	ok(p->read_collector && !p->donations, "6.14 read collector");
	is_str(p->spell[NFT_SPELL_WAIT_QUIESCE], "WAIT-Q ", "6.14 WAIT-Q");
	ok(nft_gen_rtest(p, 0x2021, NFT_RF_IN_PROGRESS), "6.14 rtest");
	ok(!nft_gen_rtest(p, 0x2001, NFT_RF_IN_PROGRESS), "6.14 rtest clear");

	p = nft_gen_profile(NFT_GEN_7);
	is(nft_gen_rbit(p, NFT_RF_IN_PROGRESS), 0x1, "7.x IN_PROGRESS bit 0");
	is(p->rreq_new_ref, 2, "7.x NEW r=2");
	ok(p->in_progress_owns_ref && p->waited_ip, "7.x PUT WORK IP, DONE-IP");
	is(p->sreq_flags_width, 3, "7.x f=%03x");
	is_str(p->spell[NFT_SPELL_GET_RESUBMIT], "GET RESUBMT", "7.x spelling");

	p = nft_gen_profile(NFT_GEN_6_1);
	ok(!p->sreq_index_hex && p->short_resubmits, "6.1 layout");
	is(p->work_refs, NFT_WORK_REFS_HOLD, "6.1 GET HOLD");

	is(nft_gen_from_version("6.13"), NFT_GEN_6_12, "--kernel 6.13");
	is(nft_gen_from_version("6.14"), NFT_GEN_6_14, "--kernel 6.14");
	is(nft_gen_from_version("6.15.2"), NFT_GEN_6_14, "--kernel 6.15.2");
	is(nft_gen_from_version("6.16"), NFT_GEN_7, "--kernel 6.16");
	is(nft_gen_from_version("5.17"), NFT_GEN_6_1, "--kernel 5.17");
}

#define T(line) "cat-418 [001] ..... 100.000100: " line

static enum nft_gen guess(const char *const *lines, size_t n)
{
	enum nft_dialect d = NFT_DIALECT_AUTO;
	struct nft_model *m = nft_model_new(NULL);
	enum nft_gen g;
	size_t i;

	for (i = 0; i < n; i++) {
		struct nft_event ev;
		const char *err = NULL;

		nft_event_init(&ev);
		if (nft_parse_ftrace_line(lines[i], strlen(lines[i]), &d, &ev,
					  &err) < 1) {
			printf("# unparsed: %s (%s)\n", lines[i], err ? err : "");
			continue;
		}
		ev.pos = i + 1;
		nft_model_event(m, &ev);
	}
	g = nft_model_summary(m)->gen;
	nft_model_free(m);
	return g;
}

#define GUESS(...)                                                             \
	({                                                                     \
		static const char *const l_[] = { __VA_ARGS__ };               \
		guess(l_, sizeof(l_) / sizeof(l_[0]));                         \
	})

static void test_guess(void)
{
	/* NEW r=1 alone: before 6.16, 6.12 the likeliest. */
	is(GUESS(T("netfs_rreq_ref: R=00000021 NEW         r=1")),
	   NFT_GEN_6_12, "NEW r=1 -> 6.12");
	/* ... with COMPLET (6.14+): only 6.14-6.15 has both. */
	is(GUESS(T("netfs_rreq_ref: R=00000021 NEW         r=1"),
		 T("netfs_rreq: R=00000021 RA COMPLET f=2021")),
	   NFT_GEN_6_14, "NEW r=1 + COMPLET -> 6.14");
	/* ... in either order. */
	is(GUESS(T("netfs_rreq: R=00000021 RA COMPLET f=2021"),
		 T("netfs_rreq_ref: R=00000022 NEW         r=1")),
	   NFT_GEN_6_14, "COMPLET then NEW r=1 -> 6.14");
	/* WOKE-Q: printed by 6.14-6.15 only (gone with the 6.16 rename). */
	is(GUESS(T("netfs_rreq: R=00000021 RA WOKE-Q  f=4021")),
	   NFT_GEN_6_14, "WOKE-Q -> 6.14");
	/* GET WORK (6.10-6.15) with PARTR (6.14+). */
	is(GUESS(T("netfs_rreq_ref: R=00000021 GET WORK    r=3"),
		 T("netfs_sreq: R=00000021[1] DOWN PARTR f=200 s=0 1000/4000 s=0 e=0")),
	   NFT_GEN_6_14, "GET WORK + PARTR -> 6.14");
	/* Twins: 6.12 (GET WORK, donations) and 7.x (NEW r=2, COMPLET). */
	is(GUESS(T("netfs_rreq_ref: R=00000021 GET WORK    r=3"),
		 T("netfs_sreq: R=00000021[2] DOWN DON-P f=00 s=4000 4000/4000 e=0")),
	   NFT_GEN_6_12, "GET WORK + DON-P -> 6.12");
	is(GUESS(T("netfs_rreq_ref: R=00000021 NEW         r=2"),
		 T("netfs_rreq: R=00000021 RA COMPLET f=103")),
	   NFT_GEN_7, "NEW r=2 + COMPLET -> 7.x");
	is(GUESS(T("netfs_rreq: R=00000021 RA COMPLET f=103")),
	   NFT_GEN_7, "COMPLET alone -> 7.x");
	/* 6.1: GET HOLD, whatever came before. */
	is(GUESS(T("netfs_rreq_ref: R=00000021 GET SUBREQ  r=3"),
		 T("netfs_rreq_ref: R=00000021 GET HOLD    r=2")),
	   NFT_GEN_6_1, "GET HOLD -> 6.1");
	/* netfs_folioq is in 6.12.y stable too: with NEW r=1, not 7.x. */
	is(GUESS(T("netfs_rreq_ref: R=00000021 NEW         r=1"),
		 T("netfs_folioq: R=00000021 fq=1 alloc-buf")),
	   NFT_GEN_6_12, "folioq + NEW r=1 -> 6.12");
	/* Nothing that tells. */
	is(GUESS(T("netfs_rreq: R=00000021 RA COLLECT f=2021")),
	   NFT_GEN_AUTO, "no marker -> unknown");
}

int main(void)
{
	test_flag_words();
	test_profiles();
	test_guess();
	return tap_done();
}
