// SPDX-License-Identifier: GPL-2.0
/*
 * The focus (-R): which ids parse, which lines the focused object keeps
 * (a request's netfs_folio lines of its inode and range while it lives, a
 * subrequest's own lines), how a cookie's accesses pair up, and that an
 * fscache object's history survives the end of the capture.  The lines are
 * real 7.2 and 6.12 lines (corpus seqread and fc_read captures) edited by
 * hand.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/model.h"
#include "lines.h"
#include "tap.h"

#define T(ts, line) "dd-418 [000] ..... " ts ": " line

static struct nft_model *run(const struct nft_focus *f,
			     const char *const *lines, size_t n_lines)
{
	struct nft_model_opts mo = { .focus = *f };
	struct nft_test_opts o = { .keep_raw = true, .model = &mo };

	return nft_test_run(lines, n_lines, &o).m;
}

#define RUN(f, arr) run(f, arr, sizeof(arr) / sizeof(arr[0]))

/* The line numbers the focus kept, as "1 2 5". */
static const char *kept(const struct nft_model *m)
{
	static char buf[256];
	const struct nft_history_line *h;
	size_t n, i, len = 0;

	buf[0] = 0;
	h = nft_model_focus_lines(m, &n);
	for (i = 0; i < n && len < sizeof(buf) - 24; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%llu",
				i ? " " : "", (unsigned long long)h[i].pos);
	return buf;
}

static void test_parse(void)
{
	static const struct {
		const char *s;
		int rc;
		enum nft_focus_type type;
		uint32_t id;
		int32_t index;
		const char *name;
	} cases[] = {
		{ "3f1", 0, NFT_FOCUS_REQUEST, 0x3f1, -1, "R=000003f1" },
		{ "R=000003f1", 0, NFT_FOCUS_REQUEST, 0x3f1, -1, "R=000003f1" },
		{ "R=3f1[2]", 0, NFT_FOCUS_SUBREQ, 0x3f1, 2, "R=000003f1[2]" },
		{ "3f1[1a]", 0, NFT_FOCUS_SUBREQ, 0x3f1, 0x1a, "R=000003f1[1a]" },
		{ "c=0000002a", 0, NFT_FOCUS_COOKIE, 0x2a, -1, "c=0000002a" },
		{ "V=1", 0, NFT_FOCUS_VOLUME, 1, -1, "V=00000001" },
		{ "o=5", 0, NFT_FOCUS_CF_OBJECT, 5, -1, "o=00000005" },
		{ "C=1", 0, NFT_FOCUS_CACHE, 1, -1, "C=00000001" },
		{ "ffffffff", 0, NFT_FOCUS_REQUEST, 0xffffffff, -1, "R=ffffffff" },
		{ "", -1, 0, 0, 0, NULL },
		{ "c=", -1, 0, 0, 0, NULL },
		{ "zz", -1, 0, 0, 0, NULL },
		{ "-1", -1, 0, 0, 0, NULL },
		{ " 3f1", -1, 0, 0, 0, NULL },
		{ "0x3f1", -1, 0, 0, 0, NULL },
		{ "100000000", -1, 0, 0, 0, NULL },
		{ "R=3f1[", -1, 0, 0, 0, NULL },
		{ "R=3f1[2", -1, 0, 0, 0, NULL },
		{ "R=3f1[2]x", -1, 0, 0, 0, NULL },
		{ "R=3f1[]", -1, 0, 0, 0, NULL },
		{ "R=3f1[10000]", -1, 0, 0, 0, NULL },
		{ "c=2a[1]", -1, 0, 0, 0, NULL },
		{ "x=1", -1, 0, 0, 0, NULL },
	};
	char name[NFT_OBJECT_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nft_focus f = { .type = NFT_FOCUS_NONE };
		int rc = nft_focus_parse(cases[i].s, &f);

		is(rc, cases[i].rc, cases[i].s);
		if (rc || cases[i].rc)
			continue;
		is(f.type, cases[i].type, "type");
		is(f.id, cases[i].id, "id");
		is(f.index, cases[i].index, "index");
		nft_focus_name(&f, name);
		is_str(name, cases[i].name, "name as printed");
	}
	is_str(nft_focus_kind(NFT_FOCUS_CF_OBJECT), "object", "kind name");
}

/* A 7.2 readahead of pages 0-1f of ino 534061, and folio lines around. */
static const char *const readahead[] = {
	/* 1 */ T("17.349000", "netfs_folio: i=534061 ix=00000-00000 read"),
	/* 2 */ T("17.349152", "netfs_rreq_ref: R=000000e7 NEW         r=2"),
	/* 3 */ T("17.349641", "netfs_read: R=000000e7 READAHEAD c=00000000 ni=534061 s=0 l=20000 sz=4000000"),
	/* 4 */ T("17.349700", "netfs_folio: i=534061 ix=00000-00000 read"),
	/* 5 */ T("17.349701", "netfs_folio: i=534061 ix=0001f-0001f read"),
	/* 6 */ T("17.349702", "netfs_folio: i=534061 ix=00020-00020 read"),
	/* 7 */ T("17.349703", "netfs_folio: i=534062 ix=00000-00000 read"),
	/* 8 */ T("17.349704", "netfs_folio: i=534061 ix=00010-0002f read"),
	/* 9 */ T("17.350545", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=3"),
	/* 10 */ T("17.352259", "netfs_sreq: R=000000e7[1] DOWN TERM  f=112 s=0 20000/20000 s=0 e=0"),
	/* 11 */ T("17.352455", "netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1"),
	/* 12 */ T("17.352859", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),
	/* 13 */ T("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"),
	/* 14 */ T("17.354050", "netfs_folio: i=534061 ix=00000-00000 read-unlock"),
	/* 15 */ T("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),
	/* 16 */ T("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"),
	/* 17 */ T("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),
	/* 18 */ T("17.354461", "netfs_rreq: R=000000e7 RA DONE    f=102"),
	/* 19 */ T("17.354538", "netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0"),
	/* 20 */ T("17.354607", "netfs_rreq: R=000000e7 RA FREE    f=102"),
	/* 21 */ T("17.354700", "netfs_folio: i=534061 ix=00000-00000 read"),
};

static void test_request_folios(void)
{
	struct nft_focus f = { .type = NFT_FOCUS_REQUEST, .id = 0xe7, .index = -1 };
	struct nft_model *m = RUN(&f, readahead);

	/*
	 * Its inode's pages 0-1f from its netfs_read to its FREE: not the
	 * folio before (1) or after (21), page 20 (6), another inode (7).
	 */
	is_str(kept(m), "2 3 4 5 8 9 10 11 12 13 14 15 16 17 18 19 20",
	       "a request keeps its lines and its folio lines");
	ok(nft_model_focus(m) != NULL, "the request is kept after its free");
	ok(nft_model_focus_fs(m) == NULL, "no fscache view for a request");
	nft_model_free(m);

	/* the twin: another request has none of these folio lines */
	f.id = 0xe8;
	m = RUN(&f, readahead);
	is_str(kept(m), "", "another request keeps nothing");
	{
		uint64_t pos, ts;

		ok(!nft_model_focus_collected(m, &pos, &ts),
		   "a request focus has no subrequest collection");
	}
	ok(nft_model_focus(m) == NULL, "and is not seen");
	nft_model_free(m);

	/* the subrequest: its own lines, no folio lines */
	f = (struct nft_focus){ .type = NFT_FOCUS_SUBREQ, .id = 0xe7, .index = 1 };
	m = RUN(&f, readahead);
	is_str(kept(m), "10 11 13 15 16", "a subrequest keeps its own lines");
	ok(nft_model_focus(m) && nft_model_focus(m)->nr_sreq_slots > 1 &&
		   nft_model_focus(m)->sreqs[1],
	   "its request is kept with it");
	{
		uint64_t pos = 0, ts = 0;

		ok(nft_model_focus_collected(m, &pos, &ts) && pos == 13,
		   "collected at its CONSM line");
	}
	nft_model_free(m);
}

#define K(ts, line) "kworker/u8:3-104 [001] ..... " ts ": " line

/* A 6.12 cookie: lookup, two reads in flight, one of them ended. */
static const char *const cookie[] = {
	/* 1 */ T("92.967496", "fscache_cookie: c=00000003 NEW acq   r=1"),
	/* 2 */ T("92.967851", "fscache_acquire: c=00000003 V=00000001 vr=2 vc=1"),
	/* 3 */ T("92.969302", "fscache_access: c=00000003 BEGIN lookup  r=1 a=1"),
	/* 4 */ K("92.969973", "cachefiles_ref: c=00000003 o=00000001 u=1 NEW obj"),
	/* 5 */ T("92.970435", "fscache_access: c=00000003 BEGIN io_read r=3 a=2"),
	/* 6 */ T("92.970533", "fscache_access: c=00000003 WAIT  io      r=3 a=2"),
	/* 7 */ K("92.974297", "cachefiles_tmpfile: o=00000001 B=235"),
	/* 8 */ K("92.975479", "fscache_access: c=00000003 END   lookupf r=3 a=1"),
	/* 9 */ T("92.976821", "fscache_access: c=00000003 BEGIN io_read r=2 a=2"),
	/* 10 */ K("92.977000", "cachefiles_ref: c=00000009 o=00000002 u=1 NEW obj"),
	/* 11 */ K("92.978276", "fscache_access: c=00000003 END   io      r=2 a=1"),
	/* 12 */ K("92.978300", "fscache_access: c=00000003 END   inval   r=2 a=0"),
	/* 13 */ T("92.979874", "netfs_read: R=00000d69 READAHEAD c=00000003 ni=5223af s=0 l=20000 sz=800000"),
	/* 14 */ T("92.979875", "netfs_read: R=00000d6a READAHEAD c=00000004 ni=5223af s=0 l=20000 sz=800000"),
};

static void test_cookie(void)
{
	struct nft_focus f = { .type = NFT_FOCUS_COOKIE, .id = 3, .index = -1 };
	struct nft_model *m = RUN(&f, cookie);
	const struct nft_focus_fs *fs = nft_model_focus_fs(m);

	is_str(kept(m), "1 2 3 4 5 6 7 8 9 11 12 13",
	       "a cookie keeps its lines and its object's");
	ok(fs != NULL, "a cookie view");
	if (!fs) {
		nft_model_free(m);
		return;
	}
	ok(fs->obj && fs->obj->refs.n == 1, "its ledger outlives the capture");
	is(fs->volume, 1, "its volume");
	is(fs->n_objects, 1, "one cache object");
	is(fs->n_users, 1, "one request");
	if (fs->n_users)
		is(fs->users[0].id, 0xd69, "R=00000d69");
	is(fs->n_accesses, 4, "lookup, two reads, an END with no BEGIN");
	if (fs->n_accesses == 4) {
		is(fs->accesses[0].end, NFT_FSCA_LOOKUP_END_FAILED,
		   "END lookupf closes the lookup");
		is(fs->accesses[1].pos_end, 11,
		   "END io closes the oldest open read");
		is(fs->accesses[2].end, 0, "the second read stays open");
		is(fs->accesses[3].begin, 0, "END inval with no BEGIN");
		is(fs->accesses[3].pos_end, 12, "... kept on its own");
	}
	nft_model_free(m);

	f = (struct nft_focus){ .type = NFT_FOCUS_CF_OBJECT, .id = 1, .index = -1 };
	m = RUN(&f, cookie);
	fs = nft_model_focus_fs(m);
	is_str(kept(m), "4 7", "an object keeps its lines");
	ok(fs && fs->cookie == 3 && fs->backer_known && fs->backer == 0x235,
	   "its cookie and backing inode");
	nft_model_free(m);

	/* the twin: a cookie the capture never names */
	f = (struct nft_focus){ .type = NFT_FOCUS_COOKIE, .id = 0x2a, .index = -1 };
	m = RUN(&f, cookie);
	fs = nft_model_focus_fs(m);
	ok(fs && !fs->seen && !fs->obj, "an absent cookie is not seen");
	is_str(kept(m), "", "and keeps nothing");
	nft_model_free(m);
}

int main(void)
{
	test_parse();
	test_request_folios();
	test_cookie();
	return tap_done();
}
