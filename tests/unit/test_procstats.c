// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/fs/netfs/stats by label and key=value (libnetfs-trace/procstats.c):
 * the real files of the corpus (6.1: empty, no /proc/fs/netfs; 6.12; 7.2),
 * the layouts of other kernels as their fs/netfs/stats.c and
 * fs/fscache/stats.c print them, an unknown label, malformed and truncated
 * lines, an empty file, and the sample names the emitter gives them.
 */
#include <errno.h>
#include <glob.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/procstats.h"
#include "tap.h"

#define FIX "tests/fixtures/procstats/"

static struct nft_procstats ps;

static int64_t get(const char *section, const char *key)
{
	int64_t v = -12345;

	nft_procstats_get(&ps, section, key, &v);
	return v;
}

static int parse(const char *text)
{
	return nft_procstats_parse(text, strlen(text), &ps);
}

/* ---- emitted samples, collected ---- */

struct sample {
	char family[96], label[64];
	int type;
	uint64_t value;
};

static struct sample samples[400];
static size_t n_samples, no_help;

static void collect(void *ctx, const char *family, int type,
		    const char *help, const char *label_name,
		    const char *label_value, uint64_t value)
{
	struct sample *s;

	(void)ctx;
	if (n_samples == sizeof(samples) / sizeof(samples[0]))
		return;
	s = &samples[n_samples++];
	snprintf(s->family, sizeof(s->family), "%s", family);
	if (label_name)
		snprintf(s->label, sizeof(s->label), "%s=%s", label_name,
			 label_value);
	else
		s->label[0] = 0;
	s->type = type;
	s->value = value;
	if (!help || !*help)
		no_help++;
}

static void emit_all(void)
{
	n_samples = 0;
	no_help = 0;
	nft_procstats_emit(&ps, collect, NULL);
}

/* The value of sample @family{@label}, or -1. */
static int64_t sample(const char *family, const char *label)
{
	size_t i;

	for (i = 0; i < n_samples; i++)
		if (!strcmp(samples[i].family, family) &&
		    !strcmp(samples[i].label, label ? label : ""))
			return (int64_t)samples[i].value;
	return -1;
}

static size_t count_family(const char *family)
{
	size_t i, n = 0;

	for (i = 0; i < n_samples; i++)
		n += !strcmp(samples[i].family, family);
	return n;
}

/* Names by the rules; each family contiguous, one help/type; no dup. */
static void check_exposition(const char *what)
{
	regex_t re;
	size_t i, j;
	bool good = true;

	regcomp(&re, "^netfs_[a-z0-9_]+$", REG_EXTENDED | REG_NOSUB);
	for (i = 0; i < n_samples; i++) {
		const char *f = samples[i].family;
		size_t l = strlen(f);

		if (regexec(&re, f, 0, NULL, 0)) {
			ok(0, "%s: bad family name %s", what, f);
			good = false;
		}
		if (samples[i].type == NFT_PS_COUNTER && l > 6 &&
		    !strcmp(f + l - 6, "_total")) {
			ok(0, "%s: counter family %s ends _total", what, f);
			good = false;
		}
		for (j = i + 1; j < n_samples; j++) {
			if (!strcmp(samples[j].family, f) &&
			    !strcmp(samples[j].label, samples[i].label)) {
				ok(0, "%s: %s{%s} twice", what, f,
				   samples[i].label);
				good = false;
			}
			/* contiguous: once another family came, no more f */
			if (j > i + 1 && !strcmp(samples[j].family, f) &&
			    strcmp(samples[j - 1].family, f)) {
				ok(0, "%s: family %s not contiguous", what, f);
				good = false;
			}
		}
	}
	regfree(&re);
	if (no_help)
		ok(0, "%s: %zu samples without help", what, no_help);
	ok(good && !no_help, "%s: %zu samples, names and grouping by the rules", what,
	   n_samples);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(65536);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

/* ---- the corpus files, values read by eye ---- */

static void test_6_12_final(void)
{
	ok(!nft_procstats_read(FIX "6.12-final.netfs-stats", &ps),
	   "6.12 final: read");
	is(ps.parse_errors, 0, "6.12: every line understood");
	ok(ps.features & NFT_PS_HAVE_NETFS, "6.12: netfs lines");
	ok(ps.features & NFT_PS_HAVE_FSCACHE, "6.12: fscache lines");
	ok(!(ps.features & (NFT_PS_OLD_LABELS | NFT_PS_LEGACY_FSCACHE)),
	   "6.12: new labels, new fscache");
	is(get("Reads", "DR"), 2329, "6.12 Reads DR");
	is(get("Reads", "RA"), 1238, "6.12 Reads RA");
	ok(!nft_procstats_get(&ps, "Reads", "RS", NULL), "6.12 has no RS=");
	is(get("Writes", "BW"), 471, "6.12 Writes BW");
	is(get("Writes", "WT"), 0, "6.12 Writes WT= still printed");
	is(get("Writes", "DW"), 1197, "6.12 Writes DW");
	is(get("Writes", "WP"), 77, "6.12 Writes WP");
	is(get("ZeroOps", "ZR"), 125, "6.12 ZeroOps ZR");
	is(get("DownOps", "DL"), 3468, "6.12 DownOps DL");
	is(get("DownOps", "df"), 1, "6.12 DownOps df");
	is(get("CaRdOps", "RD"), 71, "6.12 CaRdOps RD");
	is(get("UpldOps", "UL"), 1391, "6.12 UpldOps UL");
	is(get("CaWrOps", "WR"), 20, "6.12 CaWrOps WR");
	ok(!nft_procstats_get(&ps, "Retries", "rq", NULL), "6.12 has no Retries");
	is(get("Objs", "rr"), 4, "6.12 Objs rr");
	is(get("Acquire", "n"), 12, "6.12 Acquire n");
	is(get("LRU", "drp"), 10, "6.12 LRU drp");
	is(get("Updates", "n"), 535, "6.12 Updates n");
	is(get("Updates", "rsz"), 1, "6.12 Updates rsz");
	is(get("Relinqs", "drop"), 11, "6.12 Relinqs drop");
	is(get("IO", "rd"), 71, "6.12 IO rd");
	is(get("IO", "wr"), 20, "6.12 IO wr");
	is(get("IO", "mis"), 0, "6.12 IO mis");

	emit_all();
	check_exposition("6.12");
	is(sample("netfs_stats_reads", "origin=readahead"), 1238,
	   "6.12: netfs_stats_reads_total{origin=readahead}");
	is(sample("netfs_stats_writes", "origin=dio_write"), 1197,
	   "6.12: netfs_stats_writes_total{origin=dio_write}");
	is(sample("netfs_stats_subrequests", "op=download"), 3468,
	   "6.12: subrequests{op=download}");
	is(sample("netfs_stats_subrequests_failed", "op=download"), 1,
	   "6.12: subrequests_failed{op=download}");
	is(sample("netfs_stats_live_requests", NULL), 4,
	   "6.12: live requests gauge");
	is(sample("netfs_fscache_cookies", NULL), 1, "6.12: cookies gauge");
	is(sample("netfs_fscache_volumes", NULL), 2, "6.12: volumes gauge");
	is(sample("netfs_fscache_io", "dir=read"), 71, "6.12: fscache io read");
	is(count_family("netfs_proc_stat"), 0,
	   "6.12: every key of a real 6.12 file is in the table");
	is(count_family("netfs_stats_write_begin_zero_skips"), 1,
	   "WBZ= and sk= (one kernel counter) exported once");
	is(sample("netfs_proc_stats_up", NULL), 1, "up");
	is(sample("netfs_proc_stats_parse_errors", NULL), 0, "no parse errors");
}

static void test_7_2_final(void)
{
	struct nft_procstats_totals t;

	ok(!nft_procstats_read(FIX "7.2-final.netfs-stats", &ps),
	   "7.2 final: read");
	is(ps.parse_errors, 0, "7.2: every line understood");
	is(get("Reads", "DR"), 3169, "7.2 Reads DR");
	is(get("Reads", "RA"), 1235, "7.2 Reads RA");
	is(get("Reads", "RS"), 0, "7.2 Reads RS");
	is(get("Writes", "BW"), 543, "7.2 Writes BW");
	is(get("Writes", "DW"), 1420, "7.2 Writes DW");
	is(get("Writes", "WP"), 79, "7.2 Writes WP");
	is(get("DownOps", "DL"), 4305, "7.2 DownOps DL");
	is(get("UpldOps", "UL"), 1617, "7.2 UpldOps UL");
	is(get("CaWrOps", "WR"), 32, "7.2 CaWrOps WR");
	is(get("Retries", "rq"), 0, "7.2 Retries rq");
	is(get("Retries", "rs"), 0, "7.2 Retries rs (not CaRdOps rs)");
	is(get("CaRdOps", "rs"), 71, "7.2 CaRdOps rs");
	is(get("WbLock", "skip"), 1, "7.2 WbLock skip");
	is(get("WbLock", "wait"), 1, "7.2 WbLock wait");
	is(get("LRU", "at"), 162, "7.2 LRU at");
	is(get("Updates", "n"), 531, "7.2 Updates n");
	emit_all();
	check_exposition("7.2");
	is(count_family("netfs_proc_stat"), 0,
	   "7.2: every key of a real 7.2 file is in the table");
	is(sample("netfs_stats_request_retries", "dir=read"), 0,
	   "7.2: request retries present");
	is(sample("netfs_stats_writeback_lock", "outcome=wait"), 1,
	   "7.2: writeback lock wait");
	is(sample("netfs_stats_subrequests_succeeded", "op=cache_read"), 71,
	   "7.2: cache read successes (CaRdOps rs=)");
	is(sample("netfs_fscache_lru_timer_jiffies", NULL), 162, "LRU at gauge");

	nft_procstats_totals(&ps, &t);
	ok(t.have_netfs && t.have_retries && t.have_objs && t.have_fscache_io,
	   "7.2 totals: all parts present");
	is(t.read_requests, 3169 + 1235, "7.2 read requests DR+RA+RF+RS+WB");
	is(t.write_requests, 1420 + 79, "7.2 write requests DW+WT+WP+2C");
	is(t.download_subreqs, 4305, "7.2 download subrequests");
	is(t.cache_write_subreqs, 32, "7.2 cache write subrequests");
	is(t.fscache_writes, 32, "7.2 fscache IO wr");
	is(t.live_requests, 4, "7.2 live requests");
}

static void test_other_corpus_files(void)
{
	ok(!nft_procstats_read(FIX "7.2-bufwrite.netfs-stats", &ps),
	   "7.2 bufwrite");
	is(get("Reads", "DR"), 1133, "7.2 bufwrite DR");
	is(get("Reads", "RA"), 709, "7.2 bufwrite RA");
	is(get("Writes", "BW"), 178, "7.2 bufwrite BW");
	is(get("Writes", "WP"), 2, "7.2 bufwrite WP");
	is(get("UpldOps", "UL"), 513, "7.2 bufwrite UL");
	is(get("Objs", "rr"), 0, "7.2 bufwrite rr");
	ok(!nft_procstats_read(FIX "6.12-append.netfs-stats", &ps),
	   "6.12 append");
	is(get("Reads", "DR"), 1520, "6.12 append DR");
	is(get("Writes", "WP"), 44, "6.12 append WP");
	is(get("ZeroOps", "ZR"), 89, "6.12 append ZR");
	is(get("DownOps", "DL"), 2367, "6.12 append DL");
	is(get("UpldOps", "UL"), 810, "6.12 append UL");
	/* 6.1 has no /proc/fs/netfs: the rig's cat wrote an empty file. */
	ok(!nft_procstats_read(FIX "6.1-append.netfs-stats", &ps),
	   "6.1 (empty file): read, not an error");
	is(ps.n, 0, "6.1: no samples");
	ok(ps.up, "6.1: up (an empty file is valid)");
}

/* Every .netfs-stats of the corpus, when it is there. */
static void test_corpus(void)
{
	const char *dir = getenv("NFT_CORPUS");
	char pat[512];
	glob_t g;
	size_t i, bad = 0, files = 0, nonempty = 0;

	snprintf(pat, sizeof(pat), "%s/*/*.netfs-stats",
		 dir && *dir ? dir : "../shared/corpus");
	if (glob(pat, 0, NULL, &g)) {
		globfree(&g);
		snprintf(pat, sizeof(pat),
			 "/work/shared/corpus/*/*.netfs-stats");
		if (glob(pat, 0, NULL, &g)) {
			globfree(&g);
			ok(1, "# SKIP no corpus");
			return;
		}
	}
	for (i = 0; i < g.gl_pathc; i++) {
		int64_t dl;

		files++;
		if (nft_procstats_read(g.gl_pathv[i], &ps) ||
		    ps.parse_errors) {
			ok(0, "%s: parse", g.gl_pathv[i]);
			bad++;
			continue;
		}
		if (!ps.n) {
			/* only 6.1 has no file */
			if (!strstr(g.gl_pathv[i], "/6.1.")) {
				ok(0, "%s: empty", g.gl_pathv[i]);
				bad++;
			}
			continue;
		}
		nonempty++;
		emit_all();
		if (count_family("netfs_proc_stat") ||
		    !nft_procstats_get(&ps, "DownOps", "DL", &dl) ||
		    !nft_procstats_get(&ps, "Cookies", "n", NULL)) {
			ok(0, "%s: unknown keys or missing lines",
			   g.gl_pathv[i]);
			bad++;
		}
	}
	globfree(&g);
	ok(!bad && nonempty >= 30, "corpus: %zu files (%zu non-empty) parse, every key known",
	   files, nonempty);
}

/* ---- layouts of other kernels, from their source ---- */

/*
 * 5.17 .. 6.7: /proc/fs/fscache/stats, fscache lines first, then
 * netfs_stats_show()'s "RdHelp :" lines.  Quoted from a real 6.x paste
 * (openafs test report on linux-afs, /proc/fs/fscache/stats).
 */
static const char layout_6_1[] =
	"FS-Cache statistics\n"
	"Cookies: n=13 v=7 vcol=0 voom=0\n"
	"Acquire: n=13 ok=13 oom=0\n"
	"LRU    : n=1 exp=0 rmv=0 drp=0 at=2833\n"
	"Invals : n=0\n"
	"Updates: n=0 rsz=0 rsn=0\n"
	"Relinqs: n=0 rtr=0 drop=0\n"
	"NoSpace: nwr=0 ncr=0 cull=0\n"
	"IO     : rd=0 wr=18\n"
	"RdHelp : RA=18 RP=0 WB=0 WBZ=0 rr=0 sr=0\n"
	"RdHelp : ZR=1 sh=0 sk=0\n"
	"RdHelp : DL=18 ds=18 df=0 di=0\n"
	"RdHelp : RD=0 rs=0 rf=0\n"
	"RdHelp : WR=18 ws=18 wf=0\n";

/* The same layout from a 9p report (Christian Schoenebeck's paste). */
static const char layout_6_1_9p[] =
	"FS-Cache statistics\n"
	"Cookies: n=684 v=1 vcol=0 voom=0\n"
	"Acquire: n=689 ok=689 oom=0\n"
	"LRU    : n=0 exp=0 rmv=0 drp=0 at=0\n"
	"Invals : n=0\n"
	"Updates: n=2095 rsz=0 rsn=0\n"
	"Relinqs: n=5 rtr=0 drop=5\n"
	"NoSpace: nwr=0 ncr=0 cull=0\n"
	"IO     : rd=0 wr=0\n"
	"RdHelp : RA=974 RP=0 WB=13323 WBZ=2072 rr=0 sr=0\n"
	"RdHelp : ZR=13854 sh=0 sk=2072\n"
	"RdHelp : DL=14297 ds=14297 df=13322 di=0\n"
	"RdHelp : RD=0 rs=0 rf=0\n"
	"RdHelp : WR=0 ws=0 wf=0\n";

/*
 * 6.8 .. 6.10: /proc/fs/netfs/stats, eight "Netfs  :" lines
 * (fs/netfs/stats.c after "netfs, fscache: Move /proc/fs/fscache to
 * /proc/fs/netfs" and "netfs, cachefiles: ... write streaming", which also
 * made the header "-- FS-Cache statistics --" and added IO mis=).
 * Values constructed.
 */
static const char layout_6_8[] =
	"Netfs  : DR=5 RA=40 RF=2 WB=3 WBZ=1\n"
	"Netfs  : BW=7 WT=1 DW=4 WP=6\n"
	"Netfs  : ZR=9 sh=0 sk=1\n"
	"Netfs  : DL=50 ds=49 df=1 di=0\n"
	"Netfs  : RD=11 rs=11 rf=0\n"
	"Netfs  : UL=10 us=10 uf=0\n"
	"Netfs  : WR=12 ws=12 wf=0\n"
	"Netfs  : rr=2 sr=1 wsc=3\n"
	"-- FS-Cache statistics --\n"
	"Cookies: n=3 v=1 vcol=0 voom=0\n"
	"Acquire: n=3 ok=3 oom=0\n"
	"LRU    : n=0 exp=0 rmv=0 drp=0 at=0\n"
	"Invals : n=0\n"
	"Updates: n=0 rsz=0 rsn=0\n"
	"Relinqs: n=0 rtr=0 drop=0\n"
	"NoSpace: nwr=0 ncr=0 cull=0\n"
	"IO     : rd=11 wr=12 mis=0\n";

/* 6.11: the labels of "netfs: Adjust labels in /proc/fs/netfs/stats". */
static const char layout_6_11[] =
	"Reads  : DR=5 RA=40 RF=2 WB=3 WBZ=1\n"
	"Writes : BW=7 WT=1 DW=4 WP=6\n"
	"ZeroOps: ZR=9 sh=0 sk=1\n"
	"DownOps: DL=50 ds=49 df=1 di=0\n"
	"CaRdOps: RD=11 rs=11 rf=0\n"
	"UpldOps: UL=10 us=10 uf=0\n"
	"CaWrOps: WR=12 ws=12 wf=0\n"
	"Objs   : rr=2 sr=1 wsc=3\n"
	"-- FS-Cache statistics --\n"
	"Cookies: n=3 v=1 vcol=0 voom=0\n"
	"Acquire: n=3 ok=3 oom=0\n"
	"LRU    : n=0 exp=0 rmv=0 drp=0 at=0\n"
	"Invals : n=0\n"
	"Updates: n=0 rsz=0 rsn=0\n"
	"Relinqs: n=0 rtr=0 drop=0\n"
	"NoSpace: nwr=0 ncr=0 cull=0\n"
	"IO     : rd=11 wr=12 mis=0\n";

/* 6.14: 6.12's layout plus RS= (netfs_read_single); no Retries yet. */
static const char layout_6_14[] =
	"Reads  : DR=5 RA=40 RF=2 RS=6 WB=3 WBZ=1\n"
	"Writes : BW=7 WT=0 DW=4 WP=6 2C=8\n"
	"ZeroOps: ZR=9 sh=0 sk=1\n"
	"DownOps: DL=50 ds=49 df=1 di=0\n"
	"CaRdOps: RD=11 rs=11 rf=0\n"
	"UpldOps: UL=10 us=10 uf=0\n"
	"CaWrOps: WR=12 ws=12 wf=0\n"
	"Objs   : rr=2 sr=1 foq=4 wsc=3\n"
	"WbLock : skip=0 wait=0\n"
	"-- FS-Cache statistics --\n"
	"Cookies: n=3 v=1 vcol=0 voom=0\n"
	"Acquire: n=3 ok=3 oom=0\n"
	"LRU    : n=0 exp=0 rmv=0 drp=0 at=0\n"
	"Invals : n=0\n"
	"Updates: n=0 rsz=0 rsn=0\n"
	"Relinqs: n=0 rtr=0 drop=0\n"
	"NoSpace: nwr=0 ncr=0 cull=0\n"
	"IO     : rd=11 wr=12 mis=0\n";

/*
 * A tree after 7.2 without WT= (analogdevicesinc/linux fs/netfs/stats.c
 * @e26ff360); Retries since 6.15.
 */
static const char layout_no_wt[] =
	"Reads  : DR=5 RA=40 RF=2 RS=6 WB=3 WBZ=1\n"
	"Writes : BW=7 DW=4 WP=6 2C=8\n"
	"ZeroOps: ZR=9 sh=0 sk=1\n"
	"DownOps: DL=50 ds=49 df=1 di=0\n"
	"CaRdOps: RD=11 rs=11 rf=0\n"
	"UpldOps: UL=10 us=10 uf=0\n"
	"CaWrOps: WR=12 ws=12 wf=0\n"
	"Retries: rq=1 rs=2 wq=3 ws=4\n"
	"Objs   : rr=2 sr=1 foq=4 wsc=3\n"
	"WbLock : skip=0 wait=0\n";

/* Before 5.17: the old fscache's own file (fs/fscache/stats.c); constructed. */
static const char layout_legacy[] =
	"FS-Cache statistics\n"
	"Cookies: idx=3 dat=120 spc=0\n"
	"Objects: alc=123 nal=0 avl=123 ded=10\n"
	"ChkAux : non=0 ok=100 upd=0 obs=2\n"
	"Pages  : mrk=5000 unc=4000\n"
	"Acquire: n=123 nul=0 noc=0 ok=123 nbf=0 oom=0\n"
	"Lookups: n=123 neg=20 pos=103 crt=20 tmo=0\n"
	"Invals : n=0 run=0\n"
	"Updates: n=0 nul=0 run=0\n"
	"Relinqs: n=10 nul=0 wcr=0 rtr=0\n"
	"AttrChg: n=0 ok=0 nbf=0 oom=0 run=0\n"
	"Allocs : n=0 ok=0 wt=0 nbf=0 int=0\n"
	"Allocs : ops=0 owt=0 abt=0\n"
	"Retrvls: n=700 ok=600 wt=1 nod=100 nbf=0 int=0 oom=0\n"
	"Retrvls: ops=700 owt=0 abt=0\n"
	"Stores : n=300 ok=300 agn=0 nbf=0 oom=0\n"
	"Stores : ops=300 run=300 pgs=300 rxd=300 olm=0\n"
	"VmScan : nos=0 gon=0 bsy=0 can=0 wt=0\n"
	"Ops    : pend=0 run=1000 enq=1000 can=0 rej=0\n"
	"Ops    : ini=1000 dfr=0 rel=1000 gc=0\n"
	"CacheOp: alo=0 luo=0 luc=0 gro=0\n"
	"CacheOp: inv=0 upo=0 dro=0 pto=0 atc=0 syn=0\n"
	"CacheOp: rap=0 ras=0 alp=0 als=0 wrp=0 ucp=0 dsp=0\n"
	"CacheEv: nsp=0 stl=0 rtr=0 cul=0\n";

static void test_layouts(void)
{
	struct nft_procstats_totals t;

	ok(!parse(layout_6_1), "6.1 layout (RdHelp)");
	is(ps.parse_errors, 0, "6.1: every line understood");
	ok(ps.features & NFT_PS_OLD_LABELS, "6.1: old labels seen");
	is(get("Reads", "RA"), 18, "6.1 RdHelp RA -> Reads RA");
	is(get("Reads", "RF"), 0, "6.1 RdHelp RP -> Reads RF");
	ok(!nft_procstats_get(&ps, "Reads", "RP", NULL), "no Reads RP");
	is(get("CaWrOps", "WR"), 18, "6.1 RdHelp WR -> CaWrOps WR");
	is(get("Objs", "rr"), 0, "6.1 RdHelp rr -> Objs rr");
	is(get("IO", "wr"), 18, "6.1 IO wr");
	ok(!nft_procstats_get(&ps, "IO", "mis", NULL), "6.1 IO has no mis=");
	is(get("LRU", "at"), 2833, "6.1 LRU at");
	is(get("Cookies", "v"), 7, "6.1 Cookies v");
	emit_all();
	check_exposition("6.1");
	is(count_family("netfs_proc_stat"), 0, "6.1: every key known");
	is(sample("netfs_stats_reads", "origin=read_folio"), 0,
	   "6.1: RP= is netfs_stats_reads{origin=read_folio}");
	is(sample("netfs_stats_subrequests", "op=cache_write"), 18,
	   "6.1: cache writes");

	ok(!parse(layout_6_1_9p), "6.1 9p paste");
	is(get("Reads", "WB"), 13323, "9p WB");
	is(get("Reads", "WBZ"), 2072, "9p WBZ");
	is(get("ZeroOps", "ZR"), 13854, "9p ZR");
	is(get("DownOps", "df"), 13322, "9p df");
	is(get("Cookies", "n"), 684, "9p cookies");
	nft_procstats_totals(&ps, &t);
	is(t.read_requests, 974 + 13323, "9p read requests RA+RP+WB");
	ok(!t.have_retries && t.have_objs, "9p: no retries, objs");

	ok(!parse(layout_6_8), "6.8 layout (Netfs  :)");
	is(ps.parse_errors, 0, "6.8: every line understood");
	ok(ps.features & NFT_PS_OLD_LABELS, "6.8: old labels");
	is(get("Reads", "DR"), 5, "6.8 Netfs DR -> Reads");
	is(get("Writes", "WT"), 1, "6.8 Netfs WT -> Writes");
	is(get("ZeroOps", "sk"), 1, "6.8 Netfs sk -> ZeroOps");
	is(get("CaRdOps", "rs"), 11, "6.8 Netfs rs -> CaRdOps (not Retries)");
	ok(!nft_procstats_get(&ps, "Retries", "rs", NULL), "6.8: no Retries");
	is(get("Objs", "wsc"), 3, "6.8 Netfs wsc -> Objs");
	is(get("IO", "mis"), 0, "6.8 IO mis");
	emit_all();
	check_exposition("6.8");
	is(count_family("netfs_proc_stat"), 0, "6.8: every key known");
	is(sample("netfs_stats_live_requests", NULL), 2, "6.8 live requests");
	is(sample("netfs_stats_write_streaming_conflicts", NULL), 3, "6.8 wsc");

	/* 6.8 and 6.11 print the same counters: the same samples. */
	{
		struct sample a[400];
		size_t na, i;
		bool same;

		memcpy(a, samples, sizeof(a));
		na = n_samples;
		ok(!parse(layout_6_11), "6.11 layout");
		is(ps.parse_errors, 0, "6.11: every line understood");
		ok(!(ps.features & NFT_PS_OLD_LABELS), "6.11: new labels");
		emit_all();
		check_exposition("6.11");
		same = na == n_samples;
		for (i = 0; same && i < na; i++)
			same = !strcmp(a[i].family, samples[i].family) &&
			       !strcmp(a[i].label, samples[i].label) &&
			       a[i].value == samples[i].value;
		ok(same, "6.8 (Netfs  :) and 6.11 (Reads/Writes/...) give the same samples");
	}

	ok(!parse(layout_6_14), "6.14 layout");
	is(ps.parse_errors, 0, "6.14: every line understood");
	is(get("Reads", "RS"), 6, "6.14 RS");
	is(get("Writes", "2C"), 8, "6.14 2C");
	is(get("Objs", "foq"), 4, "6.14 foq");
	emit_all();
	is(sample("netfs_stats_reads", "origin=read_single"), 6,
	   "6.14 reads{read_single}");
	is(sample("netfs_stats_live_folio_queues", NULL), 4, "foq gauge");
	nft_procstats_totals(&ps, &t);
	is(t.read_requests, 5 + 40 + 2 + 6 + 3, "6.14 read requests");
	is(t.write_requests, 4 + 6 + 8, "6.14 write requests");

	ok(!parse(layout_no_wt), "layout without WT=");
	is(ps.parse_errors, 0, "no WT: every line understood");
	ok(!nft_procstats_get(&ps, "Writes", "WT", NULL), "no WT");
	ok(!(ps.features & NFT_PS_HAVE_FSCACHE), "no fscache part (CONFIG_FSCACHE off)");
	is(get("Retries", "rs"), 2, "Retries rs");
	is(get("CaRdOps", "rs"), 11, "CaRdOps rs");
	emit_all();
	check_exposition("no WT");
	is(sample("netfs_stats_writes", "origin=writethrough"), -1,
	   "no writethrough sample when the kernel has no WT=");
	is(sample("netfs_stats_subrequest_retries", "dir=write"), 4,
	   "subrequest retries{write}");
	is(sample("netfs_stats_request_retries", "dir=write"), 3,
	   "request retries{write}");
	nft_procstats_totals(&ps, &t);
	is(t.read_retries, 3, "totals: read retries rq+rs");
	is(t.write_retries, 7, "totals: write retries wq+ws");

	ok(!parse(layout_legacy), "pre-5.17 fscache layout");
	is(ps.parse_errors, 0, "legacy: every line understood");
	ok(ps.features & NFT_PS_LEGACY_FSCACHE, "legacy fscache detected");
	ok(!(ps.features & NFT_PS_HAVE_NETFS), "legacy: no netfs part");
	is(get("Retrvls", "ok"), 600, "legacy Retrvls ok (first line)");
	is(get("Retrvls", "ops"), 700, "legacy Retrvls ops (second line)");
	is(get("Stores", "run"), 300, "legacy Stores run");
	is(get("Ops", "run"), 1000, "legacy Ops run (not Stores run)");
	is(get("Acquire", "ok"), 123, "legacy Acquire ok");
	emit_all();
	check_exposition("legacy");
	is(sample("netfs_fscache_acquire_results", "result=ok"), 123,
	   "legacy Acquire ok= in the table family");
	is(sample("netfs_proc_stat", "stat=Retrvls:nod"), 100,
	   "legacy Retrvls nod= through the generic family");
	is(sample("netfs_proc_stat", "stat=Cookies:dat"), 120,
	   "legacy Cookies dat= through the generic family");
	is(sample("netfs_fscache_cookies", NULL), -1,
	   "legacy: no cookies gauge (idx/dat/spc are not n=)");
}

static void test_unknown_and_bad(void)
{
	ok(!parse("Reads  : DR=1 RA=2 XY=7\n"
		  "CaChOps: CH=5 cm=2\n"
		  "Objs   : rr=1 sr=0 foq=0 wsc=0 new=9\n"), "unknown keys");
	is(ps.parse_errors, 0, "unknown keys are no parse errors");
	emit_all();
	check_exposition("unknown");
	is(sample("netfs_proc_stat", "stat=Reads:XY"), 7, "new key in a known line");
	is(sample("netfs_proc_stat", "stat=CaChOps:CH"), 5, "new label");
	is(sample("netfs_proc_stat", "stat=CaChOps:cm"), 2, "new label, second key");
	is(sample("netfs_proc_stat", "stat=Objs:new"), 9, "new key in Objs");
	is(sample("netfs_stats_reads", "origin=readahead"), 2, "known keys still mapped");

	/* A malformed line among good ones: counted, the rest parsed. */
	ps.parse_errors_total = 0;
	ok(!parse("Reads  : DR=1 RA=2\n"
		  "this is not a stats line\n"
		  "Writes : BW=abc DW=4\n"
		  "DownOps:\n"
		  ": DL=5\n"
		  "ZeroOps: ZR=3 =4 sh\n"
		  "UpldOps: UL=6\n"), "malformed lines");
	is(ps.parse_errors, 5, "5 lines not understood");
	is(get("Writes", "DW"), 4, "good key of a bad line kept");
	ok(!nft_procstats_get(&ps, "Writes", "BW", NULL), "bad value dropped");
	is(get("ZeroOps", "ZR"), 3, "ZR kept");
	is(get("UpldOps", "UL"), 6, "line after the bad ones");
	emit_all();
	is(sample("netfs_proc_stats_parse_errors", NULL), 5,
	   "parse errors exported");
	ok(!parse("Reads  : DR=1\nnonsense\n"), "again");
	emit_all();
	is(sample("netfs_proc_stats_parse_errors", NULL), 6,
	   "parse error counter accumulates over reads");

	/* Truncated in the middle of a line (a short read, a cut paste). */
	ok(!parse("Reads  : DR=1 RA=2 RF=0 WB=0 WBZ=0\n"
		  "Writes : BW=3 WT=0 DW=4 WP=5 2C=0\n"
		  "Objs   : rr=4 s"), "truncated");
	is(ps.parse_errors, 1, "the cut line is one error");
	is(get("Objs", "rr"), 4, "the cut line's whole keys kept");
	is(get("Writes", "WP"), 5, "lines before the cut");
	ok(!parse("Reads  : DR=1 RA="), "cut after =");
	is(ps.parse_errors, 1, "cut after '=': an error");
	is(get("Reads", "DR"), 1, "DR kept");

	/* No final newline, CRLF, tabs. */
	ok(!parse("Reads\t: DR=1\tRA=2\r\nIO     : rd=3 wr=4"), "tabs, CRLF, no final newline");
	is(ps.parse_errors, 0, "no errors");
	is(get("Reads", "RA"), 2, "RA before CR");
	is(get("IO", "wr"), 4, "last line without newline");

	/* Empty, blank, NULL. */
	ok(!nft_procstats_parse("", 0, &ps) && ps.n == 0 && ps.up,
	   "empty text: no samples, up");
	ok(!parse("\n\n   \n") && ps.n == 0 && !ps.parse_errors,
	   "blank lines: nothing");
	ok(!nft_procstats_parse(NULL, 5, &ps) && ps.n == 0, "NULL text");

	/* Nothing understood at all: EINVAL. */
	errno = 0;
	ok(parse("hello\nworld\n") == -1 && errno == EINVAL && !ps.up,
	   "junk: -1 EINVAL, down");
	{
		static const char bin[] = "Reads  : DR=1\0\x01\x02\nIO     : rd=3\n";

		ok(!nft_procstats_parse(bin, sizeof(bin) - 1, &ps),
		   "NUL bytes: parsed around");
		is(ps.parse_errors, 1, "the line with a NUL is an error");
		is(get("IO", "rd"), 3, "the next line");
	}

	/* Huge values and negatives (Cookies: n=%d). */
	ok(!parse("Cookies: n=-1 v=4294967295\nIO     : rd=99999999999999999999999\n"),
	   "extreme values");
	is(get("Cookies", "n"), -1, "negative parsed");
	is(get("Cookies", "v"), 4294967295LL, "u32 max");
	ok(!nft_procstats_get(&ps, "IO", "rd", NULL), "overflow rejected");
	emit_all();
	is(sample("netfs_fscache_cookies", NULL), 0, "negative gauge exported as 0");

	/* More keys than the array holds: dropped and counted. */
	{
		char *big = malloc(NFT_PROCSTATS_MAX * 16 + 64);
		size_t off = 0;
		int i;

		off += sprintf(big + off, "Big    :");
		for (i = 0; i < NFT_PROCSTATS_MAX + 10; i++)
			off += sprintf(big + off, " k%d=%d", i, i);
		big[off++] = '\n';
		ok(!nft_procstats_parse(big, off, &ps), "too many keys");
		is(ps.n, NFT_PROCSTATS_MAX, "array full");
		is(ps.dropped, 10, "10 dropped");
		free(big);
	}

	/* A label longer than the section field is cut, not overflowed. */
	ok(!parse("AVeryLongLabelIndeed: averylongkeyname=1\n"), "long names");
	is(ps.n, 1, "one sample");
	ok(strlen(ps.v[0].section) < sizeof(ps.v[0].section) &&
	   strlen(ps.v[0].key) < sizeof(ps.v[0].key), "names cut to fit");
}

static void test_read(void)
{
	struct nft_procstats r;
	char *text;
	size_t len;

	memset(&r, 0, sizeof(r));
	errno = 0;
	ok(nft_procstats_read(FIX "no-such-file", &r) == -1 && errno == ENOENT,
	   "missing file: -1 ENOENT");
	ok(!r.up && r.n == 0, "missing: down, no samples");
	is(r.reads_total, 1, "reads counted");
	is(r.read_failures_total, 1, "failure counted");
	ok(!nft_procstats_read(FIX "7.2-final.netfs-stats", &r), "then a good one");
	ok(r.up, "up again");
	is(r.reads_total, 2, "reads 2");
	is(r.read_failures_total, 1, "failures still 1");
	text = slurp(FIX "7.2-final.netfs-stats", &len);
	ok(text && !nft_procstats_parse(text, len, &ps) && ps.n == r.n,
	   "read == parse of the same text");
	free(text);
	/* The real file on this machine, if there is one. */
	memset(&r, 0, sizeof(r));
	if (!nft_procstats_read(NULL, &r))
		ok(r.up, "this machine's stats file read");
	else
		ok(errno == ENOENT || errno == EACCES || errno == EINVAL,
		   "no stats file on this machine (errno %d)", errno);
}

static void test_table(void)
{
	const char *section, *key, *family, *ln, *lv, *help;
	size_t i, j, n = nft_procstats_table_size();
	int type;
	bool good = true;

	for (i = 0; i < n; i++) {
		bool got = nft_procstats_table_entry(i, &section, &key, &family,
						     &type, &ln, &lv, &help);

		ok(got && help, "table %s:%s -> %s", section, key, family);
		for (j = 0; j < i; j++) {
			const char *s2, *k2, *f2, *l2, *v2, *h2;
			int t2;

			nft_procstats_table_entry(j, &s2, &k2, &f2, &t2, &l2,
						  &v2, &h2);
			if (!strcmp(s2, section) && !strcmp(k2, key))
				good = false;
			if (!strcmp(f2, family) && t2 != type)
				good = false;
		}
	}
	ok(good, "table: one entry per key, one type per family");
	ok(!nft_procstats_table_entry(n, &section, &key, &family, &type, &ln,
				      &lv, &help), "past the end");
}

int main(void)
{
	memset(&ps, 0, sizeof(ps));
	test_6_12_final();
	test_7_2_final();
	test_other_corpus_files();
	test_corpus();
	test_layouts();
	test_unknown_and_bad();
	test_read();
	test_table();
	return tap_done();
}
