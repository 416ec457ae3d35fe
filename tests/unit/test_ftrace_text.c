// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace text decoder against real lines of the three captured kernels
 * (copied from ../shared/corpus), every text layout, and bad input.  Lines
 * marked "constructed" were derived from a real line by hand because the
 * corpus has no instance of that case.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/vocab.h"
#include "tap.h"

static struct nft_event ev;
static enum nft_dialect dialect;
static const char *err;

static int parse(const char *line)
{
	return nft_parse_ftrace_line(line, strlen(line), &dialect, &ev, &err);
}

#define SYM(cls, s) nft_sym_lookup(NFT_SYMC_##cls, s, strlen(s))

/* ---- one line of every event kind, per kernel ---- */

static void test_6_1(void)
{
	dialect = NFT_DIALECT_AUTO;

	is(parse("              sh-505     [001] .....    53.155842: netfs_read: R=00000bb1 WRITEBEGN c=0000004d ni=5300af s=0 1f"),
	   1, "6.1 netfs_read");
	is(ev.kind, NFT_EV_NETFS_READ, "kind");
	is(ev.rreq, 0xbb1, "rreq");
	is(ev.what, NFT_RD_WRITE_BEGIN, "what");
	is(ev.cookie, 0x4d, "cookie");
	is(ev.ino, 0x5300af, "ino");
	is(ev.len, 0x1f, "len without key");
	is(dialect, NFT_DIALECT_6_1, "netfs_read without l= => 6.1");
	is_str(ev.comm, "sh", "comm");
	is(ev.pid, 505, "pid");
	is(ev.cpu, 1, "cpu");
	is_str(ev.irqs, ".....", "irqs");
	is(ev.ts_ns, 53155842000ull, "ts");
	is_str(ev.name, "netfs_read", "name");

	is(parse("              sh-505     [001] .....    53.155978: netfs_rreq: R=00000bb1 RW ASSESS  f=24"),
	   1, "6.1 netfs_rreq");
	is(ev.origin, NFT_ORIGIN_RW, "origin");
	is(ev.what, NFT_RREQ_ASSESS, "what");
	is(ev.flags, 0x24, "flags");

	is(parse("        iohelper-458     [000] .....    42.144808: netfs_sreq: R=00000b10[1] DOWN PREP  f=01 s=2000 0/1d000 e=0"),
	   1, "6.1 netfs_sreq");
	is(ev.index, 1, "index");
	is(ev.source, NFT_SRC_DOWNLOAD, "source");
	is(ev.what, NFT_SREQ_PREPARE, "what");
	is(ev.start, 0x2000, "start");
	is(ev.transferred, 0, "transferred");
	is(ev.len, 0x1d000, "len");
	ok(!(ev.have & NFT_HAVE_SLOT), "no slot on 6.1");

	/* constructed: the corpus' 6.1 runs never reach subrequest 10 */
	is(parse("        iohelper-458     [000] .....    42.144808: netfs_sreq: R=00000b10[10] DOWN PREP  f=01 s=2000 0/1d000 e=0"),
	   1, "6.1 netfs_sreq [10]");
	is(ev.index, 10, "6.1 [10] is decimal 10");
	is(parse("        iohelper-458     [001] .....    42.145551: netfs_sreq_ref: R=00000b10[10] PUT TERM    r=1"),
	   1, "6.1 netfs_sreq_ref");
	is(ev.index, 16, "netfs_sreq_ref index is always hex");
	is(ev.what, NFT_SREF_PUT_TERMINATED, "what");
	is(ev.ref, 1, "ref");

	is(parse("              sh-505     [001] .....    53.155869: netfs_rreq_ref: R=00000bb1 GET HOLD    r=2"),
	   1, "6.1 netfs_rreq_ref");
	is(ev.what, NFT_RREF_GET_HOLD, "GET HOLD");
	is(ev.ref, 2, "ref");

	is(parse("              sh-505     [001] .....    53.155895: cachefiles_prep_read: R=00000bb1[0] ZERO after-eof  f=00 s=0 1000 ni=5300af B=0"),
	   1, "6.1 cachefiles_prep_read");
	ok(ev.have & NFT_HAVE_RREQ, "prep_read 6.1 has rreq");
	is(ev.index, 0, "index");
	is(ev.source, NFT_SRC_ZERO, "source");
	is(ev.what, NFT_CFPREP_AFTER_EOF, "why");
	is(ev.len, 0x1000, "len");
	is(ev.ino, 0x5300af, "ni");

	is(parse("              sh-505     [001] .....    53.153811: fscache_cookie: c=0000004d NEW acq   r=1"),
	   1, "fscache_cookie");
	is(ev.cookie, 0x4d, "cookie");
	is(ev.what, NFT_FSCK_NEW_ACQUIRE, "what");
	is(ev.ref, 1, "ref");
	is(parse("    kworker/u4:9-381     [000] .....    53.154733: fscache_cookie: c=0000004d -   work  r=2"),
	   1, "fscache_cookie '-   work'");
	is(ev.what, NFT_FSCK_SEE_WORK, "what");
	is_str(ev.comm, "kworker/u4:9", "comm with / and :");
	is(ev.pid, 381, "pid");

	is(parse("              sh-505     [001] ...1.    53.153840: fscache_volume: V=00000001 GET cook  u=2"),
	   1, "fscache_volume");
	is(ev.volume, 1, "volume");
	is(ev.what, NFT_FSCV_GET_COOKIE, "what");
	is(ev.ref, 2, "u= -> ref");

	is(parse("              sh-505     [001] .....    53.153852: fscache_acquire: c=0000004d V=00000001 vr=2 vc=1"),
	   1, "fscache_acquire");
	is(ev.ref, 2, "vr");
	is(ev.n_active, 1, "vc");

	is(parse("              sh-505     [001] ...1.    53.154513: fscache_active: c=0000004d USE-m         r=1 a=0 c=1"),
	   1, "fscache_active");
	is(ev.cookie, 0x4d, "first c= is the cookie");
	is(ev.what, NFT_FSCU_USE_MODIFY, "what");
	is(ev.n_accesses, 0, "a=");
	is(ev.n_active, 1, "second c= is n_active");

	is(parse("              sh-505     [001] ...1.    53.154534: fscache_access_volume: V=00000001 c=0000004d BEGIN lookup  r=2 a=2"),
	   1, "fscache_access_volume");
	is(ev.volume, 1, "volume");
	is(ev.cookie, 0x4d, "cookie");
	is(ev.what, NFT_FSCA_LOOKUP, "what");
	is(ev.n_accesses, 2, "a=");

	is(parse("    kworker/u4:0-9       [001] .....     8.926194: fscache_access_cache: C=00000001 BEGIN acq_vol r=3 a=2"),
	   1, "fscache_access_cache");
	is(ev.cache, 1, "cache");
	is(ev.what, NFT_FSCA_ACQUIRE_VOLUME, "what");

	is(parse("              sh-578     [001] .....    72.403418: fscache_relinquish: c=00000051 V=00000002 r=3 U=0 f=35 rt=0"),
	   1, "fscache_relinquish");
	is(ev.ref, 3, "r=");
	is(ev.flags, 0x35, "f=");

	is(parse("    kworker/u4:9-381     [000] .....    53.154785: cachefiles_ref: c=0000004d o=0000004c u=1 NEW obj"),
	   1, "cachefiles_ref");
	is(ev.object, 0x4c, "object");
	is(ev.ref, 1, "u= -> ref");
	is(ev.what, NFT_CFREF_NEW, "what");

	is(parse("    kworker/u4:9-381     [000] .....    53.155719: cachefiles_lookup: o=0000004c dB=1d7 B=0 e=-2"),
	   1, "cachefiles_lookup");
	is(ev.error, -2, "e=");
	is(parse("    kworker/u4:9-381     [000] .....    53.156269: cachefiles_tmpfile: o=0000004c B=259"),
	   1, "cachefiles_tmpfile");
	is(ev.ino, 0x259, "B= -> ino");
	is(parse("    kworker/u4:9-381     [000] .....    53.156292: cachefiles_mark_active: o=0000004c B=259"),
	   1, "cachefiles_mark_active");
	is(parse("    kworker/u4:9-381     [001] .....    72.412462: cachefiles_mark_inactive: o=00000050 B=25c"),
	   1, "cachefiles_mark_inactive");
	is(parse("    kworker/u4:9-381     [001] .....    72.412333: cachefiles_link: o=00000050 B=25c"),
	   1, "cachefiles_link");
	is(parse("     kworker/1:2-105     [001] .....     8.927631: cachefiles_mkdir: dB=d sB=110"),
	   1, "cachefiles_mkdir");
	is(parse("    kworker/u4:9-381     [000] .....    53.156312: cachefiles_trunc: o=0000004c B=259 EXPTMP l=0->1000"),
	   1, "cachefiles_trunc");
	is(ev.what, NFT_CFTRUNC_EXPAND_TMPFILE, "what");
	is(ev.end, 0x1000, "to");
	is(parse("    kworker/u4:8-380     [000] .....    53.217982: cachefiles_write: o=0000004c B=259 s=0 l=1000"),
	   1, "cachefiles_write");
	is(ev.len, 0x1000, "len");
	is(parse("              dd-582     [000] .....    72.423453: cachefiles_read: o=00000051 B=25c s=0 l=1f000"),
	   1, "cachefiles_read");
	is(ev.id2, 0x25c, "backer");
	is(parse("    kworker/u4:9-381     [001] .....    31.519857: cachefiles_coherency: o=00000045 OK       B=211 c=0"),
	   1, "cachefiles_coherency");
	is(ev.what, NFT_CFCOH_OK, "what");
	is(parse("     kworker/1:2-105     [001] .....     8.927908: cachefiles_vol_coherency: V=00000001 VOL SET ok   B=110"),
	   1, "cachefiles_vol_coherency");
	is(ev.what, NFT_CFCOH_VOL_SET_OK, "multi-word VOL SET ok");
	is(parse("    kworker/u4:9-381     [001] .....    31.519857: cachefiles_coherency: o=00000045 VOL BAD cmp  B=211 c=0"),
	   1, "constructed: VOL BAD cmp");
	is(ev.what, NFT_CFCOH_VOL_BAD_CMP, "what");
}

static void test_6_12(void)
{
	dialect = NFT_DIALECT_AUTO;

	is(parse("              dd-608     [001] .....    45.850769: netfs_read: R=000008f3 DIO-READ  c=00000000 ni=52234b s=0 l=100000 sz=4000000"),
	   1, "6.12 netfs_read");
	is(dialect, NFT_DIALECT_MODERN, "l= => modern");
	is(ev.len, 0x100000, "l=");
	is(ev.i_size, 0x4000000, "sz=");
	is(ev.what, NFT_RD_DIO_READ, "what");

	is(parse("              dd-579     [000] .....    38.900718: netfs_sreq: R=00000846[10] UPLD PREP  f=00 s=1e0000 0/0 e=0"),
	   1, "6.12 netfs_sreq [10]");
	is(ev.index, 16, "6.12 [10] is hex 0x10");
	is(parse("              dd-579     [000] .....    38.896862: netfs_sreq: R=00000846[a] UPLD PREP  f=00 s=120000 0/0 e=0"),
	   1, "6.12 netfs_sreq [a]");
	is(ev.index, 10, "[a]");
	is(ev.source, NFT_SRC_UPLOAD, "UPLD");
	is(parse("              dd-780     [000] b..1.    86.260254: netfs_sreq: R=00000d2e[1] ---- ADD   f=00 s=0 0/20000 e=0"),
	   1, "netfs_sreq ---- ADD");
	is(ev.source, NFT_SRC_UNKNOWN_SOURCE, "----");
	is(ev.what, NFT_SREQ_ADDED, "ADD");
	is_str(ev.irqs, "b..1.", "irqs b..1.");
	is(parse("              dd-487     [000] .....    18.808987: netfs_sreq: R=00000106[1] DOWN TERM  f=00 s=1b0000 0/10000 e=-103"),
	   1, "netfs_sreq e=-103");
	is(ev.error, -103, "error");
	is(parse("              dd-487     [000] .....    18.809146: netfs_failure: R=00000106[1] DOWN f=00 s=1b0000 0/10000 read e=-103"),
	   1, "netfs_failure");
	is(ev.index, 1, "index");
	is(ev.what, NFT_FAIL_READ, "what");
	is(ev.error, -103, "error");
	is(parse("              dd-487     [000] .....    18.809146: netfs_failure: R=00000106[ffffffff] INVL f=00 s=0 0/1000 write e=-28"),
	   1, "constructed: netfs_failure [ffffffff]");
	is(ev.index, -1, "no subrequest");
	ok(!(ev.have & NFT_HAVE_INDEX), "no NFT_HAVE_INDEX");

	is(parse("              dd-579     [000] .....    38.897376: netfs_sreq_ref: R=00000846[a] PUT TERM    r=1"),
	   1, "netfs_sreq_ref [a]");
	is(ev.index, 10, "hex");

	is(parse("              sh-721     [001] .....    72.347020: netfs_write_iter: WRITE-ITER i=5223bf s=0 l=1f f=10"),
	   1, "netfs_write_iter");
	is(ev.ino, 0x5223bf, "ino");
	is(ev.len, 0x1f, "len");
	is(ev.flags, 0x10, "flags");
	is(parse("              sh-721     [001] .....    72.347585: netfs_folio: i=5223bf ix=00000-00000 mod-n-clear"),
	   1, "netfs_folio");
	is(ev.what, NFT_FOLIO_MODIFY_AND_CLEAR, "what");
	is(ev.first, 0, "first");
	is(parse("              sh-721     [001] .....    72.347810: netfs_write: R=00000bf7 WRITEBACK c=00000000 i=5223bf by=0-ffffffffffffffff"),
	   1, "netfs_write");
	is(ev.what, NFT_WR_WRITEBACK, "what");
	is(ev.start, 0, "start");
	ok(ev.end == UINT64_MAX, "end");
	is(parse("    kworker/u8:0-12      [000] .....    72.348653: netfs_collect: R=00000bf7 s=0-0"),
	   1, "netfs_collect");
	is(parse("    kworker/u8:0-12      [000] .....    72.348665: netfs_rreq: R=00000bf7 WB COLLECT f=2120"),
	   1, "netfs_rreq WB COLLECT");
	is(ev.origin, NFT_ORIGIN_WB, "origin");
	is(parse("    kworker/u8:0-12      [000] .....    72.348676: netfs_collect_sreq: R=00000bf7[0:01] s=0 t=1f/1f"),
	   1, "netfs_collect_sreq");
	is(ev.stream, 0, "stream");
	is(ev.index, 1, "index");
	is(ev.transferred, 0x1f, "t=");
	is(parse("    kworker/u8:0-12      [000] .....    72.348711: netfs_collect_gap: R=00000bf7[0:] 1f->1000 E"),
	   1, "netfs_collect_gap");
	is(ev.stream, 0, "stream");
	is(ev.start, 0x1f, "from");
	is(ev.end, 0x1000, "to");
	is(ev.gap_type, 'E', "type");
	is(parse("    kworker/u8:0-12      [000] .....    72.348722: netfs_collect_stream: R=00000bf7[0:] cto=1000 frn=ffffffff"),
	   1, "netfs_collect_stream frn=");
	is(ev.collected_to, 0x1000, "cto");
	is(ev.front, 0xffffffff, "frn");
	is(parse("    kworker/u8:0-12      [000] .....    72.348732: netfs_collect_state: R=00000bf7 col=1000 cln=0 n=c"),
	   1, "netfs_collect_state");
	is(ev.notes, 0xc, "notes");
	is(parse("    kworker/u8:0-12      [000] .....    72.348746: netfs_collect_folio: R=00000bf7 ix=00000 r=0-1f t=0/1000"),
	   1, "netfs_collect_folio");
	is(ev.end, 0x1f, "fend");
	is(ev.collected_to, 0x1000, "collected_to");
	is(parse("              dd-814     [000] d.h1.    95.236684: netfs_progress: R=00000dab[01] s=20000 ct=0/20000 pa=1000/20000 sl=0"),
	   1, "netfs_progress");
	is_str(ev.irqs, "d.h1.", "irqs d.h1.");
	is(ev.index, 1, "index");
	is(ev.transferred, 0x20000, "transferred");
	is(parse("             cat-488     [000] b..1.    31.904981: netfs_donate: R=00000714[01] -> [ffffffff] defer-next am=200"),
	   1, "netfs_donate");
	is(ev.index, 1, "from");
	is(ev.id2, 0xffffffff, "to");
	is(ev.what, NFT_DONATE_TO_DEFERRED_NEXT, "what");
	is(ev.len, 0x200, "amount");
	is(parse("              dd-1171    [000] .....   282.261606: fscache_resize: c=0000000d os=00000000 sz=00000000"),
	   1, "fscache_resize");
	is(parse("              dd-810     [000] .....    92.972749: cachefiles_prep_read: o=00000000 DOWN no-data    f=01 s=0 20000 ni=5223af B=0"),
	   1, "6.12 cachefiles_prep_read");
	ok(ev.have & NFT_HAVE_OBJECT, "object form");
	ok(!(ev.have & NFT_HAVE_RREQ), "no rreq");
	is(ev.what, NFT_CFPREP_NO_DATA, "why");
	is(parse("    kworker/u8:3-104     [001] .....    92.975733: fscache_access: c=00000003 END   io      r=2 a=0"),
	   1, "fscache_access END   io");
	is(ev.what, NFT_FSCA_IO_END, "what");
}

static void test_7_2(void)
{
	dialect = NFT_DIALECT_AUTO;

	is(parse("              dd-440     [001] ...1.    18.366976: netfs_sreq: R=000000ff[1] DOWN ABNDN f=400 s=100000 0/10000 s=16 e=-11"),
	   1, "7.2 netfs_sreq double s=");
	is(ev.start, 0x100000, "first s= is hex start");
	is(ev.slot, 16, "second s= is the decimal slot");
	ok(ev.have & NFT_HAVE_SLOT, "have slot");
	is(ev.flags, 0x400, "f=%03x");
	is(ev.what, NFT_SREQ_ABANDONED, "ABNDN");
	is(ev.error, -11, "e=-11");
	is(dialect, NFT_DIALECT_MODERN, "slot => modern");
	is(parse("           cifsd-223     [001] .....    18.342851: netfs_sreq: R=000000ff[1] DOWN I-RTR f=100 s=100000 0/10000 s=16 e=0"),
	   1, "I-RTR");
	is(ev.what, NFT_SREQ_IO_RETRY_NEEDED, "what");
	is(parse("              dd-767     [001] .....    45.510376: netfs_read: R=00000e79 READAHEAD c=00000003 ni=5340a6 s=0 l=20000 sz=800000"),
	   1, "7.2 netfs_read");
	is(parse("    kworker/u8:3-43      [000] .....    25.675710: netfs_rreq_ref: R=000008f2 PUT WORK IP  r=0"),
	   1, "PUT WORK IP");
	is(ev.what, NFT_RREF_PUT_WORK_IP, "what");
	is(ev.ref, 0, "ref");
	is(parse("              dd-535     [001] .....    25.646344: netfs_folioq: R=000008f2 fq=685 roll-init"),
	   1, "netfs_folioq");
	is(ev.id2, 0x685, "fq");
	is(ev.what, NFT_FOLIOQ_ROLLBUF_INIT, "what");
	is(parse("    kworker/u8:0-12      [000] .....    25.648381: netfs_collect_stream: R=000008f2[0:] cto=20000 ito=43000"),
	   1, "netfs_collect_stream ito=");
	is(ev.front, 0x43000, "ito -> front");
	is(parse("              dd-767     [001] .....    45.510691: netfs_read_progress_at: R=00000e79 cln=0 prg=20000"),
	   1, "netfs_read_progress_at");
	is(ev.collected_to, 0x20000, "prg");
	is(parse("    kworker/u8:1-29      [000] .....    47.732995: cachefiles_coherency: o=00000001 SET ok   B=235 c=0 aux=722202eb00000000 dsk=722202eb00000000"),
	   1, "7.2 cachefiles_coherency aux= dsk=");
	is(ev.what, NFT_CFCOH_SET_OK, "what");
	is(parse("              dd-440     [001] .....    18.366768: netfs_failure: R=000000ff[1] DOWN f=100 s=100000 0/10000 read e=-11"),
	   1, "7.2 netfs_failure");
	is(parse("    kworker/u8:3-43      [000] .l...    25.696891: netfs_collect_gap: R=000008f3[0:] 249f0->25000 E"),
	   1, "flags .l...");
	is_str(ev.irqs, ".l...", "irqs");
	/* constructed from the 7.2 format: the capture has no copy2cache */
	is(parse("    kworker/1:1-40     [001] .....   101.004041: netfs_copy2cache: R=0000002a CR=0000002b c=00000011 i=1f3a "),
	   1, "netfs_copy2cache");
	is(ev.creq, 0x2b, "CR=");
	is(ev.ino, 0x1f3a, "i=");
	is(parse("              dd-535     [001] .....    25.540969: netfs_write_iter: WRITE-ITER i=5340b8 s=0 l=10000 f=0"),
	   1, "7.2 netfs_write_iter");
}


/* Events the captures never hit, built from the formats.tar print fmts. */
static void test_constructed(void)
{
	dialect = NFT_DIALECT_AUTO;
	is(parse("k-1 [000] ..... 1.0: cachefiles_vfs_error: o=00000009 B=80a1 write e=-28"),
	   1, "cachefiles_vfs_error");
	is(ev.what, NFT_CFERR_WRITE, "where");
	is(ev.error, -28, "error");
	is(parse("k-1 [000] ..... 1.0: cachefiles_io_error: o=00000009 B=80a1 notify_change e=-5"),
	   1, "cachefiles_io_error");
	is(ev.what, NFT_CFERR_NOTIFY_CHANGE, "where");
	is(parse("k-1 [000] ..... 1.0: cachefiles_unlink: o=00000009 B=80a1 w=was_culled"),
	   1, "cachefiles_unlink");
	is(ev.what, NFT_CFKILL_WAS_CULLED, "why");
	is(parse("k-1 [000] ..... 1.0: cachefiles_rename: o=00000009 B=80a1 w=stale"),
	   1, "cachefiles_rename");
	is(parse("k-1 [000] ..... 1.0: cachefiles_mark_failed: o=00000009 B=80a1"),
	   1, "cachefiles_mark_failed");
	is(parse("k-1 [000] ..... 1.0: cachefiles_ondemand_read: o=00000009 mid=1 oid=2 s=0 l=1000"),
	   1, "cachefiles_ondemand_read");
	is(ev.object, 9, "object");
	is(parse("k-1 [000] ..... 1.0: cachefiles_ondemand_fd_write: o=00000009 iB=5 s=0 l=1000"),
	   1, "cachefiles_ondemand_fd_write");
	is(parse("k-1 [000] ..... 1.0: fscache_invalidate: c=00000011 sz=2000"),
	   1, "fscache_invalidate");
	is(ev.len, 0x2000, "new size");
	is(parse("k-1 [000] ..... 1.0: fscache_cache: C=00000001 PUT pfail r=0"),
	   1, "fscache_cache");
	is(ev.what, NFT_FSCC_PUT_PREP_FAILED, "what");
	is(parse("k-1 [000] ..... 1.0: netfs_collect_contig: R=00000030 0 -> 10000 Collect"),
	   1, "netfs_collect_contig (6.10)");
	is(ev.end, 0x10000, "to");
	dialect = NFT_DIALECT_AUTO;
	is(parse("k-1 [000] ..... 1.0: netfs_write: R=00000030 LAUNDER   c=00000000 by=0-fff"),
	   1, "6.8 netfs_write without i=");
	is(ev.len, 0x1000, "len from by=");
	is(ev.what, NFT_WR_LAUNDER, "LAUNDER (6.8 only)");
	is(dialect, NFT_DIALECT_AUTO, "6.8 form decides nothing");
	is(parse("k-1 [000] ..... 1.0: netfs_write_iter: WRITE-ITER s=0 l=1f f=10"),
	   1, "6.8 netfs_write_iter without i=");
}

/* ---- dialect ---- */

static void test_dialect(void)
{
	const char *sreq = "x-1 [000] ..... 1.0: netfs_sreq: R=00000001[10] DOWN SUBMT f=00 s=0 0/1000 e=0";

	dialect = NFT_DIALECT_AUTO;
	parse(sreq);
	is(ev.index, 16, "undecided: hex");
	is(dialect, NFT_DIALECT_AUTO, "SUBMT does not decide");
	dialect = NFT_DIALECT_6_1;
	parse(sreq);
	is(ev.index, 10, "forced 6.1: decimal");
	parse("x-1 [000] ..... 1.0: netfs_collect: R=00000001 s=0-0");
	is(dialect, NFT_DIALECT_6_1, "forced dialect is not changed");
	dialect = NFT_DIALECT_AUTO;
	parse("x-1 [000] ..... 1.0: netfs_failure: R=00000001[-1] DOWN f=00 s=0 0/1000 read e=-5");
	is(dialect, NFT_DIALECT_6_1, "[-1] => 6.1");
	is(ev.index, -1, "[-1] is none");
	dialect = NFT_DIALECT_AUTO;
	parse("x-1 [000] ..... 1.0: netfs_sreq: R=00000001[1c] DOWN SUBMT f=00 s=0 0/1000 e=0");
	is(dialect, NFT_DIALECT_MODERN, "hex letter => modern");
	is(ev.index, 0x1c, "index");
	/* 5.17 printed what before source */
	dialect = NFT_DIALECT_AUTO;
	is(parse("netfs_sreq: R=00000005[0] PREP  DOWN f=01 s=0 0/400000 e=0"), 1,
	   "5.17 PREP  DOWN order");
	is(ev.source, NFT_SRC_DOWNLOAD, "source");
	is(ev.what, NFT_SREQ_PREPARE, "what");
	is(ev.len, 0x400000, "len");
}

/* ---- layouts ---- */

static void test_layouts(void)
{
	dialect = NFT_DIALECT_AUTO;

	is(parse("          dd-462   [000]    22.155516: netfs_rreq_ref:       R=000000e3 NEW         r=1"),
	   1, "trace-cmd report, padded event name");
	is(ev.rreq, 0xe3, "rreq");
	is(ev.what, NFT_RREF_NEW, "what");
	is_str(ev.irqs, "", "no flags column");
	is(ev.cpu, 0, "cpu");
	is(parse("          dd-462   [000] d..1    22.155516: netfs_rreq_ref: R=000000e3 NEW         r=1"),
	   1, "trace-cmd -l latency column");
	is_str(ev.irqs, "d..1", "4-char flags");
	is(parse("  kworker/u8:0-12 [001] dNh2. 1.000000001: netfs_rreq_ref: R=000000e3 NEW r=1"),
	   1, "9-digit timestamp");
	is(ev.ts_ns, 1000000001ull, "ts ns");
	is_str(ev.irqs, "dNh2.", "irqs");
	is(parse("<...>-1234 [001] ..... 5.5: netfs_rreq_ref: R=000000e3 NEW r=1"),
	   1, "<...>-pid, short fraction");
	is_str(ev.comm, "<...>", "comm");
	is(ev.pid, 1234, "pid");
	is(ev.ts_ns, 5500000000ull, "ts");
	is(parse("Web Content-77 [000] ..... 1.5: netfs_rreq_ref: R=000000e3 NEW r=1"),
	   1, "comm with a space");
	is_str(ev.comm, "Web Content", "comm");
	is(ev.pid, 77, "pid");
	is(parse("a-b-c-9 [000] ..... 1.5: netfs_rreq_ref: R=000000e3 NEW r=1"),
	   1, "comm with dashes");
	is_str(ev.comm, "a-b-c", "comm");
	is(ev.pid, 9, "pid after the last dash");
	is(parse("              dd   440 [001]    18.338339: netfs:netfs_rreq_ref: R=000000ff NEW r=2"),
	   1, "perf script: comm pid, system:event:");
	is(ev.kind, NFT_EV_NETFS_RREQ_REF, "perf: kind");
	is_str(ev.comm, "dd", "perf: comm");
	is(ev.pid, 440, "perf: pid");
	is(ev.cpu, 1, "perf: cpu");
	is(ev.ts_ns, 18338339000ull, "perf: ts");
	is(ev.ref, 2, "perf: ref");
	is(parse(" kworker/u8:0 12 [000] 28.088446: fscache:fscache_cookie: c=00000046 -   work  r=2"),
	   1, "perf script: a kworker, fscache system");
	is(ev.kind, NFT_EV_FSCACHE_COOKIE, "perf: fscache kind");
	is_str(ev.comm, "kworker/u8:0", "perf: kworker comm");
	is(parse("kworker/u8:1: netfs_rreq_ref: R=000000e3 NEW r=1"), 1,
	   "comm with a colon before the event stays the comm");
	is(ev.kind, NFT_EV_NETFS_RREQ_REF, "its kind");
	is(parse("dd-462: netfs_rreq_ref: R=000000e3 NEW r=1"), 1, "comm-pid:");
	is_str(ev.comm, "dd", "comm");
	is(ev.pid, 462, "pid");
	ok(!(ev.have & NFT_HAVE_TS), "no ts");
	is(parse("dd: netfs_rreq_ref: R=000000e3 NEW r=1"), 1, "comm:");
	is_str(ev.comm, "dd", "comm");
	is(ev.pid, -1, "no pid");
	is(parse("netfs_rreq_ref: R=000000e3 NEW r=1"), 1, "bare event:");
	is_str(ev.comm, "", "no comm");
	is(parse("   netfs_rreq_ref: R=000000e3 NEW r=1"), 1, "leading blanks");
	is(parse("[  12.345] netfs_rreq_ref: R=000000e3 NEW r=1"), 1,
	   "console prefix");
	is(ev.ts_ns, 12345000000ull, "console ts");
	is(parse("[12.345678] dd-462 [000] ..... 22.155516: netfs_rreq_ref: R=000000e3 NEW r=1"),
	   1, "console prefix + full line: ftrace ts wins");
	is(ev.ts_ns, 22155516000ull, "ts");
	is(parse("cat-5: sched_switch: prev_comm=cat prev_pid=5"), 2,
	   "comm: unknown_event:");
	is_str(ev.name, "sched_switch", "name, not the comm");
	is(ev.kind, NFT_EV_OTHER, "OTHER");
	is(parse("  kworker/0:1-9 [000] ..... 1.0: 9p_client_req: client 1 request P9_TREAD tag 0"),
	   2, "other event after ts");
	is_str(ev.name, "9p_client_req", "name");
	is(parse("cifsd-1 [000] ..... 1.0: smb3_read_done: R=0000002a[3] xid=1 len=4096"),
	   2, "other event with R=");
	is(ev.rreq, 0x2a, "rreq");
	is(ev.index, 3, "index");
	is(parse("sched_waking: comm=dd pid=5"), 2, "bare other event");
	is(parse("CPU:1 [LOST 123 EVENTS]"), 2, "LOST marker");
	is(ev.kind, NFT_EV_LOST, "kind");
	is(ev.cpu, 1, "cpu");
	is(ev.lost, 123, "lost");
	is(parse("CPU 3 [LOST 7 EVENTS]"), 2, "LOST without colon");
	is(ev.cpu, 3, "cpu");
	is(parse("CPU:0 [LOST EVENTS]"), 2, "LOST unknown count");
	is(ev.lost, 0, "0 = unknown");
	is(parse("CPU 1 is empty"), 0, "empty cpu: no event");
	is(parse("cpus=2"), 0, "cpus= header");
	is(parse("version = 6"), 0, "version header");
	is(parse("# tracer: nop"), 0, "comment");
	is(parse(""), 0, "empty");
	is(parse("Note: this is prose about netfs"), 0, "prose");
	is(parse("the read failed: see below"), 0, "prose with colon");
	is(parse("R=000000e3 NEW r=1"), 0, "payload alone");
	is(parse("netfs_sreq:"), -1, "wrapped head alone");
	is(parse("x-1 [000] ..... 1.0: netfs_sreq: R=00000001[1] DOWN"), -1,
	   "malformed netfs_sreq");
	ok(err != NULL, "err set: %s", err ? err : "(null)");
	is(parse("x-1 [000] ..... 1.0: netfs_rreq_ref: R=zz NEW r=1"), -1,
	   "bad R=");
}

static void test_unknown_symbols(void)
{
	dialect = NFT_DIALECT_AUTO;
	is(parse("x-1 [000] ..... 1.0: netfs_sreq: R=00000001[1] DOWN 0x2a  f=00 s=0 0/1000 e=0"),
	   1, "numeric unknown symbol is not an error");
	is(ev.what, 0, "value 0");
	is(ev.n_unknown, 1, "one unknown");
	is(ev.unknown[0].cls, NFT_SYMC_SREQ_TRACE, "class");
	ok(ev.unknown[0].len == 4 && !memcmp(ev.unknown[0].text, "0x2a", 4),
	   "text kept verbatim");
	is(parse("x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 GET NEWTHING r=3"),
	   1, "unknown multi-word");
	is(ev.ref, 3, "ref still parsed");
	ok(ev.unknown[0].len == 12, "whole run kept");
	is(parse("x-1 [000] ..... 1.0: netfs_rreq: R=00000001 ZZ FROB f=01"), 1,
	   "two unknowns");
	is(ev.n_unknown, 2, "both kept");
}

/* ---- the streaming decoder ---- */

#define MAX_EV 64

static struct got {
	enum nft_event_kind kind;
	uint64_t pos, lost, ts;
	uint32_t rreq;
	int32_t index, cpu;
	int what;
	char name[32];
	char raw[128];
	uint64_t i_size, len, start, transferred;
	uint32_t flags, have;
	int origin, source, n_unknown;
	int64_t ref;
} got[MAX_EV];
static int ngot;

static int collect(void *ctx, const struct nft_event *e)
{
	struct got *g = &got[ngot < MAX_EV ? ngot : MAX_EV - 1];

	(void)ctx;
	g->kind = e->kind;
	g->pos = e->pos;
	g->lost = e->lost;
	g->ts = e->ts_ns;
	g->rreq = e->rreq;
	g->index = e->index;
	g->cpu = e->cpu;
	g->what = e->what;
	g->i_size = e->i_size;
	g->len = e->len;
	g->start = e->start;
	g->transferred = e->transferred;
	g->flags = e->flags;
	g->have = e->have;
	g->origin = e->origin;
	g->source = e->source;
	g->n_unknown = e->n_unknown;
	g->ref = e->ref;
	snprintf(g->name, sizeof(g->name), "%s", e->name);
	snprintf(g->raw, sizeof(g->raw), "%.*s", (int)(e->raw ? e->raw_len : 0),
		 e->raw ? e->raw : "");
	ngot++;
	return 0;
}

static char msgs[4096];

static void capture(void *ctx, enum nft_diag_level level, const char *file,
		    const char *where, const char *msg)
{
	size_t n = strlen(msgs);

	(void)ctx;
	(void)file;
	snprintf(msgs + n, sizeof(msgs) - n, "%d %s: %s\n", level, where, msg);
}

static char tmpdir[] = "/tmp/nft-test-XXXXXX";

static const char *write_tmp(const char *name, const void *data, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

static int decode_path(const char *path, const struct nft_text_opts *opts,
		       struct nft_diag *d, struct nft_text_stats *st)
{
	struct nft_sink sink = { collect, NULL };
	struct nft_input *in = nft_input_open(path);
	int rc;

	ngot = 0;
	msgs[0] = '\0';
	memset(d, 0, sizeof(*d));
	d->report = capture;
	if (!in)
		return -1;
	rc = decode_ftrace_text(in, opts, &sink, d, st);
	nft_input_close(in);
	return rc;
}

static int decode_str(const char *text, size_t len,
		      const struct nft_text_opts *opts, struct nft_diag *d,
		      struct nft_text_stats *st)
{
	const char *path = write_tmp("in.txt", text, len);

	return path ? decode_path(path, opts, d, st) : -1;
}

static void test_stream(void)
{
	static const char trace[] =
		"# tracer: nop\n"
		"#\n"
		"# entries-in-buffer/entries-written: 3/10   #P:2\n"
		"#\n"
		"              dd-462     [000] .....    22.155516: netfs_rreq_ref: R=000000e3 NEW         r=1\n"
		"\n"
		"CPU:1 [LOST 123 EVENTS]\n"
		"   kworker/u8:0-12      [001] d.h1.    22.200000: 9p_client_res: R=000000e3[1] tag 0\n"
		"this line is prose\n"
		"              dd-462     [000] .....    22.300000: netfs_sreq:\n"
		"\n"
		"R=000000e3[1] DOWN TERM  f=00 s=0 1000/1000 e=0\n"
		"              dd-462     [000] .....    22.400000: netfs_sreq: R=000000e3[1] DOWN\n";
	struct nft_text_opts opts = { .want_raw = 1 };
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(trace, sizeof(trace) - 1, &opts, &d, &st), 0,
	   "decode returns 0 despite diagnostics");
	is(ngot, 5, "5 events emitted");
	is(got[0].kind, NFT_EV_LOST, "header overwrite => LOST first");
	is(got[0].lost, 7, "B-A lost");
	is(got[1].kind, NFT_EV_NETFS_RREQ_REF, "then the first event");
	is(got[1].pos, 5, "pos = physical line");
	ok(strstr(got[1].raw, "NEW         r=1") != NULL, "raw line");
	is(got[2].kind, NFT_EV_LOST, "CPU:1 LOST");
	is(got[2].cpu, 1, "cpu");
	is(got[2].lost, 123, "count");
	is(got[3].kind, NFT_EV_OTHER, "9p event");
	is_str(got[3].name, "9p_client_res", "name");
	is(got[3].rreq, 0xe3, "rreq from other event");
	is(got[4].kind, NFT_EV_NETFS_SREQ, "wrapped line joined");
	is(got[4].pos, 10, "pos of the first physical line");
	is(got[4].what, NFT_SREQ_TERMINATED, "payload from the next line");
	is(st.lines, 13, "lines");
	is(st.events, 2, "events");
	is(st.other_events, 1, "other");
	is(st.lost_markers, 2, "lost markers");
	is(st.unrecognized, 1, "unrecognized");
	is(st.malformed, 1, "malformed");
	is(d.errors, 1, "one error");
	is(d.warnings, 1, "one warning");
	ok(strstr(msgs, "line 13: malformed netfs_sreq: ") != NULL,
	   "malformed message with line");
	ok(strstr(msgs, "line 9: not a trace event") != NULL,
	   "warning with line");
	is(st.dialect, NFT_DIALECT_AUTO, "nothing decided the dialect");
}

/*
 * Layouts of 5.13 .. 6.0, from include/trace/events/netfs.h of those
 * kernels (lines constructed from the TP_printk formats: no capture of
 * them exists here).
 */
static void test_old_layouts(void)
{
	dialect = NFT_DIALECT_AUTO;
	/* 5.13 .. 5.17: "R=%08x %s f=%02x", six-character traces */
	is(parse("kworker/u8:1-60 [001] ..... 12.000001: netfs_rreq: R=00000005 ASSESS f=22"),
	   1, "5.17 netfs_rreq without origin");
	is(ev.what, NFT_RREQ_ASSESS, "trace read, not taken for an origin");
	is(ev.origin, 0, "no origin");
	is(ev.n_unknown, 0, "nothing unknown");
	is(ev.flags, 0x22, "flags");
	ok(ev.have & NFT_HAVE_PRE_6_1, "marked as a layout before 6.1");
	is(dialect, NFT_DIALECT_6_1, "decimal indexes from here on");
	is(parse("netfs_rreq: R=00000005 RESUBM f=22"), 1, "RESUBM");
	is(ev.what, NFT_RREQ_RESUBMIT, "5.17 RESUBM is RESUBMT");
	is(parse("netfs_rreq: R=00000005 WRITE  f=22"), 1, "WRITE");
	is(ev.what, NFT_RREQ_COPY, "5.17 rreq WRITE became COPY");
	/* the write-helper series before the origin column: 7 characters */
	is(parse("netfs_rreq: R=00000007 UNLOCK  f=21"), 1, "5.18 form");
	is(ev.what, NFT_RREQ_UNLOCK, "UNLOCK");
	ok(ev.have & NFT_HAVE_PRE_6_1, "pre-6.1");
	/* 5.19 .. 6.0 with the origin: as 6.1 */
	is(parse("netfs_rreq: R=00000007 RA UNLOCK  f=21"), 1, "6.0 form");
	is(ev.origin, NFT_ORIGIN_RA, "origin");
	is(ev.what, NFT_RREQ_UNLOCK, "trace");
	ok(!(ev.have & NFT_HAVE_PRE_6_1), "not marked");

	/* 5.17 netfs_sreq: trace before source, index %u */
	dialect = NFT_DIALECT_AUTO;
	is(parse("netfs_sreq: R=00000005[0] PREP  DOWN f=01 s=0 0/400000 e=0"),
	   1, "5.17 netfs_sreq");
	is(ev.source, NFT_SRC_DOWNLOAD, "source");
	is(ev.what, NFT_SREQ_PREPARE, "trace");
	is(ev.len, 0x400000, "len");
	is(ev.index, 0, "index");
	ok(ev.have & NFT_HAVE_PRE_6_1, "pre-6.1");
	is(dialect, NFT_DIALECT_6_1, "5.17 order => decimal indexes");
	is(parse("netfs_sreq: R=00000005[10] TERM  DOWN f=01 s=0 400000/400000 e=0"),
	   1, "5.17 netfs_sreq [10]");
	is(ev.index, 10, "index in decimal");
	is(ev.what, NFT_SREQ_TERMINATED, "TERM");

	/* 5.13 .. 5.16 netfs_read: no ni= */
	is(parse("netfs_read: R=00000005 READAHEAD c=00000000 s=0 4000"), 1,
	   "netfs_read without ni=");
	is(ev.len, 0x4000, "positional length");
	ok(!(ev.have & NFT_HAVE_INO), "no inode");
	ok(ev.have & NFT_HAVE_PRE_6_1, "pre-6.1");

	/* ref events with W= (v2 of the ref-tracing patch) */
	is(parse("netfs_rreq_ref: W=00000007 GET SUBREQ  r=2"), 1, "W= rreq_ref");
	is(ev.rreq, 7, "id");
	is(ev.what, NFT_RREF_GET_SUBREQ, "trace");
	is(ev.ref, 2, "ref");
	is(parse("netfs_sreq_ref: W=00000007[1] PUT TERM    r=1"), 1,
	   "W= sreq_ref");
	is(ev.index, 1, "index");
	is(ev.what, NFT_SREF_PUT_TERMINATED, "trace");
}

/* A trace a mail program wrapped, one way per field kind (constructed). */
static void test_wraps(void)
{
	static const char trace[] =
		"dd-462 [000] ..... 22.155516: netfs_rreq_ref: R=000000e3 NEW         r=1\n"
		/* 2-3: cut inside a hex value */
		"dd-462 [000] ..... 22.155600: netfs_read: R=000000e3 READAHEAD c=00000000 ni=10 s=0 l=1000 sz=3a\n"
		"c0\n"
		/* 4-5: cut between two fields (the blank eaten) */
		"dd-462 [000] ..... 22.155650: netfs_read: R=000000e4 READAHEAD c=00000000 ni=10 s=0 l=1000\n"
		"sz=3ac0\n"
		/* 6-7: cut inside a key */
		"dd-462 [000] ..... 22.155700: netfs_sreq: R=000000e3[1] DOWN SUBMT f=000 s=0 0/1000 s=0 e\n"
		"=0\n"
		/* 8-9: cut inside a two-word symbol */
		"dd-462 [000] ..... 22.155800: netfs_rreq_ref: R=000000e3 GET SUB\n"
		"REQ r=2\n"
		/* 10-11: cut between the words of a symbol */
		"dd-462 [000] ..... 22.155850: netfs_rreq_ref: R=000000e3 PUT\n"
		"SUBREQ r=1\n"
		/* 12-13: cut inside the request id */
		"dd-462 [000] ..... 22.155900: netfs_rreq_ref: R=0000\n"
		"00e3 PUT COMPLT r=0\n"
		/* 14-16: wrapped twice */
		"dd-462 [000] ..... 22.156000: netfs_sreq:\n"
		"R=000000e5[1] DOWN TERM f=000 s=2000\n"
		"0/1000 s=0 e=0\n"
		/* 17-18: the transferred/len pair cut in its second number */
		"dd-462 [000] ..... 22.156100: netfs_sreq: R=000000e5[2] DOWN TERM f=000 s=0 0/10\n"
		"00 s=0 e=0\n"
		/* 19-20: a parsed line and prose that is no continuation */
		"dd-462 [000] ..... 22.156200: netfs_rreq_ref: R=000000e6 NEW         r=1\n"
		"this is where it hangs\n";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(trace, sizeof(trace) - 1, NULL, &d, &st), 0, "wraps");
	is(ngot, 10, "10 events");
	is(got[1].i_size, 0x3ac0, "hex value cut in two: rejoined, not 0x3a");
	is(got[1].pos, 2, "at the first line's number");
	is(got[2].rreq, 0xe4, "between fields");
	is(got[2].i_size, 0x3ac0, "sz= of the next line read");
	is(got[3].kind, NFT_EV_NETFS_SREQ, "cut key");
	is(got[3].len, 0x1000, "len");
	is(got[4].what, NFT_RREF_GET_SUBREQ, "symbol cut in a word");
	is(got[4].n_unknown, 0, "and known");
	is(got[5].what, NFT_RREF_PUT_SUBREQ, "symbol cut between words");
	is(got[6].rreq, 0xe3, "request id cut in two");
	is(got[6].what, NFT_RREF_PUT_COMPLETE, "its trace");
	is(got[7].rreq, 0xe5, "wrapped twice");
	is(got[7].start, 0x2000, "start");
	is(got[7].len, 0x1000, "len from the third line");
	is(got[8].len, 0x1000, "0/10 + 00 is 0/1000");
	is(got[9].rreq, 0xe6, "the last event");
	is(st.events, 10, "events");
	is(d.errors, 0, "no error");
	is(d.warnings, 1, "the prose is a warning");
	ok(strstr(msgs, "line 20: not a trace event") != NULL, "of line 20");
}

/* A wrap after the origin decides nothing about the kernel (constructed). */
static void test_wrap_dialect(void)
{
	static const char trace[] =
		"kworker/u8:2-36: netfs_rreq: R=00000a98 RA\n"
		"COLLECT f=2021\n"
		"kworker/u8:2-36: netfs_sreq: R=00000a98[a] DOWN TERM  f=192 s=0 17a8/17a8 s=1 e=0\n";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(trace, sizeof(trace) - 1, NULL, &d, &st), 0, "decode");
	is(ngot, 2, "2 events");
	is(got[0].origin, NFT_ORIGIN_RA, "origin");
	is(got[0].what, NFT_RREQ_COLLECT, "trace from the next line");
	ok(!(got[0].have & NFT_HAVE_PRE_6_1), "not taken for a 5.17 line");
	is(got[1].index, 10, "hex index still read as hex");
	is(d.errors, 0, "no error");
}

/* Quoted replies, quoted-printable, HTML blanks (constructed). */
static void test_mail_forms(void)
{
	static const char quoted[] =
		"On Mon, someone wrote:\n"
		"> dd-462 [000] ..... 22.155516: netfs_rreq_ref: R=000000e3 NEW         r=1\n"
		">> dd-462 [000] ..... 22.155600: netfs_read: R=000000e3 READAHEAD c=00000000 ni=10 s=0 l=1000 sz=3a\n"
		">> c0\n"
		"> > netfs_rreq: R=000000e3 RA ASSESS  f=2001\n"
		"&gt; &gt; netfs_rreq: R=000000e3 RA UNLOCK  f=2001\n";
	static const char qp[] =
		"Content-Transfer-Encoding: quoted-printable\n"
		"\n"
		"dd-462 [000] ..... 22.155516: netfs_rreq_ref: R=3D000000e3 NEW      =\n"
		"   r=3D1\n"
		"dd-462 [000] ..... 22.155600: netfs_read: R=3D000000e3 READAHEAD c=3D0000=\n"
		"0000 ni=3D10 s=3D0 l=3D1000 sz=3D3ac0=20\n"
		"netfs_rreq: R=3D000000e3 RA ASSESS  f=3D2001\n";
	static const char nbsp[] =
		"netfs_rreq_ref: R=000000e3\xc2\xa0GET\xc2\xa0SUBREQ\xc2\xa0 r=2\n";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(quoted, sizeof(quoted) - 1, NULL, &d, &st), 0, "quoted");
	is(ngot, 4, "4 events");
	is(got[3].what, NFT_RREQ_UNLOCK, "'&gt; ' of a web archive");
	is(got[1].i_size, 0x3ac0, "a wrap inside '>> ' quoting");
	is(got[2].flags, 0x2001, "'> > '");
	is(d.errors, 0, "no error");

	is(decode_str(qp, sizeof(qp) - 1, NULL, &d, &st), 0, "qp");
	is(ngot, 3, "3 events");
	is(got[0].ref, 1, "soft break undone");
	is(got[0].pos, 3, "at the first line");
	is(got[1].rreq, 0xe3, "=3D read as =");
	is(got[1].i_size, 0x3ac0, "=20 is a blank");
	is(got[2].flags, 0x2001, "f=3D2001 is 0x2001, not 0x3d2001");
	is(d.errors, 0, "no error");

	static const char not_qp[] =
		"(the archive shows '=' as =3D in the raw mail)\n"
		"netfs_rreq: R=00000001 RA ASSESS  f=01\n";

	is(decode_str(not_qp, sizeof(not_qp) - 1, NULL, &d, &st), 0, "not qp");
	is(got[0].flags, 1, "one =3D in prose decodes nothing");
	static const char qp_bare[] =
		"netfs_rreq: R=3D000000e3 RA ASSESS  f=3D2001\n";

	is(decode_str(qp_bare, sizeof(qp_bare) - 1, NULL, &d, &st), 0,
	   "qp without its header");
	is(got[0].rreq, 0xe3, "two =3D in a line: decoded");
	is(got[0].flags, 0x2001, "flags");

	is(decode_str(nbsp, sizeof(nbsp) - 1, NULL, &d, &st), 0, "nbsp");
	is(ngot, 1, "one event");
	is(got[0].what, NFT_RREF_GET_SUBREQ, "U+00A0 is a blank");
	is(got[0].n_unknown, 0, "nothing unknown");
}

/*
 * ftrace_dump_on_oops over a serial console: the printk time first, then
 * lat_print_generic() and lat_print_timestamp()'s "%8.8s-%-7d %3d" flags
 * " %4lldus%c: " (constructed from kernel/trace/trace_output.c).
 */
static void test_console_dump(void)
{
	static const char dump[] =
		"[  281.118025] Dumping ftrace buffer:\n"
		"[  281.118025] ---------------------------------\n"
		"[  281.118030]   <idle>-0         1d..2. 12345678us : netfs_rreq_ref: R=00000005 NEW         r=1\n"
		"[  281.118031] kworker/-123       0.... 12345690us+: netfs_rreq_ref: R=00000005 GET SUBREQ  r=2\n"
		"[  281.118032][    T123] kworker/-123      11dN.1 12345700us!: netfs_rreq_ref: R=00000005 PUT SUBREQ  r=1\n"
		"[  281.118033] ---------------------------------\n";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(dump, sizeof(dump) - 1, NULL, &d, &st), 0, "dump");
	is(ngot, 3, "3 events");
	is(got[0].ts, 12345678000ull, "the ftrace clock, not the printk time");
	is(got[0].cpu, 1, "CPU glued to the flags");
	is(got[1].ts, 12345690000ull, "with a delay mark");
	is(got[1].cpu, 0, "cpu 0");
	is(got[2].ts, 12345700000ull, "after a caller id");
	is(got[2].cpu, 11, "two-digit CPU");
	is(d.warnings + d.errors, 0, "framing lines are no prose");

	is(parse("<4>[  281.118030]   <idle>-0         1d..2. 12345678us : netfs_rreq_ref: R=00000005 NEW         r=1"),
	   1, "with a raw printk level (dmesg -r)");
	is(ev.ts_ns, 12345678000ull, "ftrace clock");
	is_str(ev.comm, "<idle>", "comm");
	is(parse("  <idle>-0         1d..2. 12345678us : netfs_rreq_ref: R=00000005 NEW         r=1"),
	   1, "latency line without a console time");
	is_str(ev.comm, "<idle>", "comm");
	is(ev.pid, 0, "pid");
	is_str(ev.irqs, "d..2.", "flags");
}

/* A distro or debug patch's extra key=value fields (constructed). */
static void test_extra_fields(void)
{
	is(parse("netfs_rreq: R=000000e3 RA ASSESS xx=5 f=2001 yy=7"), 1,
	   "extra fields in the middle and at the end");
	is(ev.what, NFT_RREQ_ASSESS, "trace not swallowed by xx=");
	is(ev.n_unknown, 0, "nothing unknown");
	is(ev.flags, 0x2001, "flags");
	is(parse("netfs_read: R=000000e3 READAHEAD c=00000000 dbg=1 ni=10 s=0 l=1000 sz=2000"),
	   1, "extra field between c= and ni=");
	is(ev.ino, 0x10, "ni=");
	is(ev.i_size, 0x2000, "sz=");
	is(parse("netfs_sreq_ref: R=000000e3[1] PUT TERM    r=1 cpu=3"), 1,
	   "extra field after the ref");
	is(ev.ref, 1, "r=");
	is(parse("netfs_folio: i=00010 ix=00000-00003 read-unlock pid=7"), 1,
	   "extra field after a symbol at the end");
	is(ev.what, NFT_FOLIO_READ_UNLOCK, "the symbol alone");
	is(parse("netfs_rreq: R=000000e3 RA ASSESS 17 f=2001"), 1,
	   "a bare value is no field: the layout stands");
	is(ev.n_unknown, 1, "and the symbol is unknown, kept");
	is(parse("netfs_sreq: R=000000e3[1] DOWN TERM f=000 s=0 1000/1000 e=0"), 1,
	   "6.1-like sreq");
	is(parse("netfs_sreq: R=000000e3[1] DOWN TERM f=000 s=0 1000 e=0"), -1,
	   "a missing field is still an error");
	ok(err && strstr(err, "transferred/len"), "naming the field: %s",
	   err ? err : "");
}

/* What a pasted trace may hold besides its events (constructed). */
static void test_pasted_tolerance(void)
{
	static const char mixed[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"netfs_truncate: i=1234 s=0 n=1000\n"
		"netfs_set_size: R=00000001 i=1234 sz=1000\n"
		"fscache_cookie: PUT rlq c=00000000a1b2c3d4 r=1\n"
		"fscache_netfs: c=000000009e7c3f1b n=nfs\n"
		"\033[1mnote\033[0m: the cookie is still held\n"
		"Thanks,\n"
		"  Someone";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(mixed, sizeof(mixed) - 1, NULL, &d, &st), 0, "mixed");
	is(st.events, 4, "netfs_truncate, netfs_set_size, fscache_netfs are ours");
	is(st.other_events, 0, "not other events");
	is(got[1].kind, NFT_EV_NETFS_OTHER, "kind");
	is_str(got[1].name, "netfs_truncate", "name kept");
	ok(!(got[2].have & NFT_HAVE_RREQ), "no request built from it");
	is(d.errors, 0, "an old fscache layout, colour codes, a last line of prose: no error");
	ok(strstr(msgs, "line 4: fscache_cookie: a layout this version does not read") != NULL,
	   "the old layout named");
	ok(strstr(msgs, "line 8: not a trace event") != NULL,
	   "the last line is prose, not a truncated line");

	static const char footnote[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"[1] https://lore.kernel.org/r/123";

	is(decode_str(footnote, sizeof(footnote) - 1, NULL, &d, &st), 0,
	   "a footnote last");
	is(d.errors, 0, "a last line \"[1] ...\" is no cut trace line");

	static const char mention[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"Then the netfs_rreq_ref: line shows the put, and\n"
		"netfs_sreq: is never traced again.\n";

	is(decode_str(mention, sizeof(mention) - 1, NULL, &d, &st), 0,
	   "event names in sentences");
	is(ngot, 1, "one event");
	is(d.errors, 0, "a sentence naming an event is no malformed line");
	is(d.warnings, 2, "but prose");

	static const char requote[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"netfs_rreq_ref: R=00000001 GET WORK    r=2\n"
		"netfs_rreq_ref: R=00000001 PUT WORK    r=1\n"
		"Here the work ran:\n"
		"\tnetfs_rreq_ref: R=00000001 GET WORK    r=2\n"
		"\tnetfs_rreq_ref: R=00000001 PUT WORK    r=1\n"
		"and later the trace goes on:\n"
		"netfs_rreq_ref: R=00000001 GET SUBREQ  r=2\n"
		"netfs_rreq_ref: R=00000001 PUT WORK    r=1\n";

	is(decode_str(requote, sizeof(requote) - 1, NULL, &d, &st), 0,
	   "lines quoted again");
	is(st.events, 5, "the quotation is not counted, the new run is");
	is(got[3].pos, 8, "the run after the second sentence");
	is(got[4].what, NFT_RREF_PUT_WORK,
	   "a repeated line inside a new run is an event");
	is(d.notes, 2, "a note per quoted line");
	is(d.errors, 0, "no error");

	static const char cut[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"netfs_sreq: R=00000001[1] DOWN SUBMT f=000 s=0 0/1000...\n"
		"netfs_sreq: R=00000001[1] DOWN SUBMT f=000 s=0 0/1000 zz=1\n"
		"netfs_sreq: R=00000001[1] DOWN SUBMT f=000 s=0\n"
		"netfs_rreq_ref: R=00000001 PUT COMPLT r=0\n";

	is(decode_str(cut, sizeof(cut) - 1, NULL, &d, &st), 0, "cut lines");
	is(ngot, 2, "the two whole lines");
	is(d.errors, 2, "two errors");
	is(d.warnings, 1, "and a warning");
	ok(strstr(msgs, "line 2: netfs_sreq cut short by hand") != NULL,
	   "a line shortened with ... is a warning");
	ok(strstr(msgs, "line 3: malformed netfs_sreq: no e= (found \"zz=1\" there: a field this layout does not have)") != NULL,
	   "an unknown field where a mainline one belongs is named");
	ok(strstr(msgs, "line 4: malformed netfs_sreq: no transferred/len (the line ends there") != NULL,
	   "a line that ends early says so");

	/* Stacks under an event: perf script -g frames (the 9p mmap thread,
	 * <aUU8thEsa0X4YrlF@codewreck.org>) and ftrace's stacktrace option. */
	static const char stacks[] =
		"clang     691 [000] 18146.476058: netfs:netfs_sreq: R=0003306d[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0\n"
		"        ffffffff81601197 __traceiter_netfs_sreq+0x37 ([kernel.kallsyms])\n"
		"        ffffffff817fcbc6 v9fs_issue_read+0x86 ([kernel.kallsyms])\n"
		"            7f776ed86c23 clang::SrcMgr::ContentCache::getInvalidBOM(llvm::StringRef)+0x13 (/usr/lib/x86_64-linux-gnu/li\n"
		"            7f776ed86c24 [unknown] (/usr/bin/clang)\n"
		"           clang-318     [002] .....  3031.183453: <stack trace>\n"
		" => __traceiter_netfs_sreq\n"
		" => netfs_read_subreq_terminated\n"
		"netfs_rreq_ref: R=0003306d PUT RETURN  r=1\n";

	is(decode_str(stacks, sizeof(stacks) - 1, NULL, &d, &st), 0, "stacks");
	is(ngot, 2, "the two events");
	is(d.warnings, 0, "no frame warned about");
	is(d.errors, 0, "nor an error");

	/* Clean twins: a wrapped field, a bare address, prose with "=>". */
	static const char notframes[] =
		"netfs_rreq_ref: R=00000001 NEW         r=1\n"
		"        ffffffff81601197\n"
		"        0000001 l=800000 sz=280000000\n"
		"so the fix => the collector waits\n"
		"=>         <...>-2869    [003] ...2    29.779784: fscache_cookie: *COLLISION* c=0000000046a8b5b3 u=1 p=00000000b2d5d5a9 Nc=0 Na=1 f=26\n";

	is(decode_str(notframes, sizeof(notframes) - 1, NULL, &d, &st), 0,
	   "not frames");
	is(d.warnings, 3, "each still a line that is no event");
	is(ngot, 2, "an event marked with \"=>\" by hand is still read");
}

static void test_trace_cmd(void)
{
	static const char rep[] =
		"cpus=2\n"
		"version = 6\n"
		"CPU 1 is empty\n"
		"          dd-462   [000]    22.155516: netfs_rreq_ref:       R=000000e3 NEW         r=1\n"
		"CPU:0 [LOST 5 EVENTS]\n"
		"          dd-462   [000]    22.155600: netfs_read:           R=000000e3 READAHEAD c=00000000 ni=10 s=0 l=1000 sz=1000\n";
	struct nft_text_stats st;
	struct nft_diag d;

	is(decode_str(rep, sizeof(rep) - 1, NULL, &d, &st), 0, "report");
	is(ngot, 3, "2 events + lost");
	is(got[1].kind, NFT_EV_LOST, "lost");
	is(got[1].lost, 5, "count");
	is(st.unrecognized, 0, "header lines are not warnings");
	is(d.warnings + d.errors, 0, "no diagnostics");
	is(st.dialect, NFT_DIALECT_MODERN, "dialect from l=");
	ok(got[0].raw[0] == '\0', "no raw unless asked");
}

static void test_bad_input(void)
{
	struct nft_text_stats st;
	struct nft_diag d;
	char *big;
	size_t n, i;

	/* truncated last line that does not parse */
	static const char trunc[] =
		"x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 NEW r=1\n"
		"x-1 [000] ..... 1.1: netfs_sreq: R=0000";
	is(decode_str(trunc, sizeof(trunc) - 1, NULL, &d, &st), 0, "truncated");
	is(ngot, 1, "the good line");
	ok(strstr(msgs, "line 2: truncated last line") != NULL,
	   "truncated last line reported");
	is(d.errors, 1, "error");

	/* last line without newline that parses is fine */
	static const char nonl[] =
		"x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 NEW r=1";
	decode_str(nonl, sizeof(nonl) - 1, NULL, &d, &st);
	is(ngot, 1, "last line without newline");
	is(d.errors, 0, "no error");

	/* NUL bytes */
	static const char nul[] =
		"x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 NEW r=1\n"
		"x-1 [000] ..... 1.0: netfs_rreq\0_ref: R=00000001 NEW r=1\n"
		"x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000002 NEW r=1\n";
	decode_str(nul, sizeof(nul) - 1, NULL, &d, &st);
	is(ngot, 2, "NUL line skipped, others kept");
	ok(strstr(msgs, "line 2: binary data") != NULL, "NUL reported");

	/* a huge line between two good ones */
	n = 200000;
	big = malloc(n + 200);
	if (big) {
		strcpy(big, "x-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 NEW r=1\n");
		i = strlen(big);
		memset(big + i, 'A', n);
		i += n;
		strcpy(big + i, "\nx-1 [000] ..... 1.0: netfs_rreq_ref: R=00000002 NEW r=1\n");
		decode_str(big, strlen(big), NULL, &d, &st);
		is(ngot, 2, "huge line skipped");
		is(got[1].pos, 3, "line count survives the huge line");
		ok(strstr(msgs, "line 2: line longer than 64 KiB") != NULL,
		   "huge line reported");
		is(st.lines, 3, "lines");
		free(big);
	}

	/* garbage: random bytes must not crash and are counted */
	{
		char g[4096];
		unsigned int seed = 1;

		for (i = 0; i < sizeof(g); i++) {
			seed = seed * 1103515245 + 12345;
			g[i] = (seed >> 16) & 0x7f;
			if (g[i] == 0)
				g[i] = '\n';
		}
		is(decode_str(g, sizeof(g), NULL, &d, &st), 0, "garbage decodes");
		ok(d.suppressed > 0 || d.warnings + d.errors <= 20,
		   "diagnostics bounded (%lu suppressed)", d.suppressed);
	}

	/* truncated versions of every real line parse or fail cleanly */
	{
		static const char *lines[] = {
			"dd-440 [001] ...1. 18.366976: netfs_sreq: R=000000ff[1] DOWN ABNDN f=400 s=100000 0/10000 s=16 e=-11",
			"cat-488 [000] b..1. 31.904981: netfs_donate: R=00000714[01] -> [ffffffff] defer-next am=200",
			"k-12 [000] ..... 72.348711: netfs_collect_gap: R=00000bf7[0:] 1f->1000 E",
			"k-12 [000] ..... 72.348676: netfs_collect_sreq: R=00000bf7[0:01] s=0 t=1f/1f",
			"sh-505 [001] ..... 53.155895: cachefiles_prep_read: R=00000bb1[0] ZERO after-eof  f=00 s=0 1000 ni=5300af B=0",
		};
		int bad = 0;
		size_t k, L;

		for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
			L = strlen(lines[k]);
			for (i = 0; i <= L; i++) {
				char *copy = malloc(i ? i : 1);
				int rc;

				memcpy(copy, lines[k], i);
				rc = nft_parse_ftrace_line(copy, i, &dialect,
							   &ev, &err);
				if (rc < -1 || rc > 2)
					bad++;
				free(copy);
			}
		}
		is(bad, 0, "every prefix of a line parses or fails cleanly");
	}
}

static void test_diag_limit(void)
{
	char text[64 * 40];
	struct nft_text_stats st;
	struct nft_diag d;
	size_t n = 0;
	int i;

	for (i = 0; i < 40; i++)
		n += snprintf(text + n, sizeof(text) - n, "prose line %d\n", i);
	decode_str(text, n, NULL, &d, &st);
	is(d.warnings, 40, "every warning counted");
	is(d.suppressed, 30, "beyond 10 of a kind: suppressed");
	is(st.unrecognized, 40, "unrecognized");
	/* a new diag struct starts over */
	decode_str(text, n, NULL, &d, &st);
	is(d.suppressed, 30, "fresh struct, fresh limit");
}

/* ---- the real captures ---- */

static int count_events(void *ctx, const struct nft_event *e)
{
	unsigned long *c = ctx;

	if (e->n_unknown)
		c[1]++;
	c[0]++;
	return 0;
}

static long count_lines(const char *path)
{
	struct nft_input *in = nft_input_open(path);
	static char buf[1 << 16];
	long n = 0, r, i;
	int bol = 1;

	if (!in)
		return -1;
	while ((r = nft_input_read(in, buf, sizeof(buf))) > 0) {
		for (i = 0; i < r; i++) {
			if (bol)
				n += buf[i] != '#' && buf[i] != '\n';
			bol = buf[i] == '\n';
		}
	}
	nft_input_close(in);
	return n;
}

static void corpus_file(const char *path)
{
	struct nft_text_stats st;
	struct nft_diag d = { .report = nft_diag_stderr };
	unsigned long c[2] = { 0, 0 };
	struct nft_sink sink = { count_events, c };
	struct nft_input *in = nft_input_open(path);
	long want = count_lines(path);
	int rc;

	if (!ok(in != NULL, "open %s", path))
		return;
	rc = decode_ftrace_text(in, NULL, &sink, &d, &st);
	nft_input_close(in);
	ok(rc == 0 && st.malformed == 0 && c[1] == 0 && d.errors == 0 &&
	   (long)st.events == want && st.unrecognized == 0,
	   "%s: %lu events (want %ld), %lu malformed, %lu with unknown symbols",
	   path, (unsigned long)st.events, want,
	   (unsigned long)st.malformed, c[1]);
}

/* A capture is <wl>.txt or <wl>.txt.xz next to its <wl>.sh. */
static int test_corpus(void)
{
	const char *root = getenv("NFT_CORPUS");
	char dirpath[512], path[1024], sh[1024];
	struct dirent *de, *fe;
	struct stat sb;
	DIR *top, *dir;
	int files = 0;

	if (!root)
		root = "../shared/corpus";
	top = opendir(root);
	if (!top) {
		ok(1, "# skip corpus not found at %s", root);
		return 0;
	}
	while ((de = readdir(top))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dirpath, sizeof(dirpath), "%s/%s", root, de->d_name);
		dir = opendir(dirpath);
		if (!dir)
			continue;
		while ((fe = readdir(dir))) {
			const char *n = fe->d_name, *dot = strstr(n, ".txt");
			size_t base;

			if (!dot || (strcmp(dot, ".txt") && strcmp(dot, ".txt.xz")))
				continue;
			base = dot - n;
			snprintf(sh, sizeof(sh), "%s/%.*s.sh", dirpath,
				 (int)base, n);
			if (stat(sh, &sb))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirpath, n);
			corpus_file(path);
			files++;
		}
		closedir(dir);
	}
	closedir(top);
	ok(files > 0, "corpus: %d capture files decoded", files);
	return files;
}

/*
 * Values out of range are errors that name the field, never wrapped, cut or
 * dropped (issue 11).  Lines constructed from the corpus's 7.2 and 6.1
 * captures (dd-565 R=000009a5, dd-608 R=000008f3) with one field changed.
 */
#define L72 "dd-565 [000] ..... 28.043605: "
static void test_values(void)
{
	struct nft_text_stats st;
	struct nft_diag d;

	/* ids: 32 bits, a clean twin at the limit */
	is(parse(L72 "netfs_rreq_ref: R=ffffffff NEW         r=2"), 1,
	   "R=ffffffff reads");
	is(ev.rreq, 0xffffffffu, "R=ffffffff kept");
	is(parse(L72 "netfs_rreq_ref: R=1ffffffff NEW         r=2"), -1,
	   "R=1ffffffff refused");
	ok(err && strstr(err, "R=1ffffffff: id wider than 32 bits"),
	   "R= overflow named");
	is(parse(L72 "netfs_rreq_ref: R=ffffffffff PUT RETURN  r=1"), -1,
	   "R=ffffffffff refused");
	is(parse(L72 "netfs_read: R=000009a5 DIO-READ  c=100000000 ni=534061 s=0 l=100000 sz=4000000"),
	   -1, "c= overflow refused");
	ok(err && strstr(err, "c=100000000: id wider than 32 bits"),
	   "c= overflow named");
	/* counts: a C int's 32 bits */
	is(parse(L72 "netfs_rreq_ref: R=00000010 GET SUBREQ  r=4294967295"), 1,
	   "r=4294967295 reads");
	is(parse(L72 "netfs_rreq_ref: R=00000010 GET SUBREQ  r=4294967296"), -1,
	   "r=2^32 refused");
	ok(err && strstr(err, "r=4294967296: count wider than 32 bits"),
	   "count overflow named");
	is(parse(L72 "netfs_rreq_ref: R=00000010 GET SUBREQ  r=99999999999999999999"),
	   -1, "r= past 64 bits refused");
	ok(err && strstr(err, "r=99999999999999999999: number wider than 64 bits"),
	   "64-bit overflow named");
	/* errors */
	is(parse(L72 "netfs_sreq: R=000009a5[1] DOWN TERM  f=110 s=0 100000/100000 s=0 e=-5"),
	   1, "e=-5 reads");
	is(ev.error, -5, "e=-5 kept");
	is(parse(L72 "netfs_sreq: R=000009a5[1] DOWN TERM  f=110 s=0 100000/100000 s=0 e=-4294967297"),
	   -1, "e= overflow refused");
	ok(err && strstr(err, "e=-4294967297: error wider than 32 bits"),
	   "error overflow named");
	/* offsets and lengths: 64 bits */
	is(parse(L72 "netfs_read: R=000009a5 DIO-READ  c=00000000 ni=534061 s=ffffffffffffffff l=100000 sz=4000000"),
	   1, "s= at 64 bits reads");
	is(parse(L72 "netfs_read: R=000009a5 DIO-READ  c=00000000 ni=534061 s=1ffffffffffffffff l=100000 sz=4000000"),
	   -1, "s= past 64 bits refused");
	ok(err && strstr(err, "s=1ffffffffffffffff: number wider than 64 bits"),
	   "offset overflow named");
	is(parse(L72 "netfs_sreq: R=000009a5[1] DOWN TERM  f=110 s=0 100000/10000000000000000 s=0 e=0"),
	   -1, "length past 64 bits refused");
	/* garbage after a number */
	is(parse(L72 "netfs_rreq_ref: R=00000010 GET SUBREQ  r=1g"), -1,
	   "r=1g refused");
	ok(err && strstr(err, "r=1g: garbage after a number"), "r=1g named");
	is(parse(L72 "netfs_rreq: R=000009a5 DR COLLECT f=03x"), -1,
	   "f=03x refused");
	is(parse(L72 "netfs_rreq: R=000009a5 DR COLLECT f=03"), 1,
	   "f=03 reads");
	is(parse(L72 "netfs_sreq: R=000009a5[1] DOWN TERM  f=110 s=0k 100000/100000 s=0 e=0"),
	   -1, "s=0k refused");
	is(parse(L72 "netfs_sreq: R=000009a5[1] DOWN TERM  f=110 s=0 100000q/100000 s=0 e=0"),
	   -1, "a pair's first number with garbage refused");
	is(parse(L72 "netfs_read: R=000009a5g DIO-READ  c=00000000 ni=534061 s=0 l=100000 sz=4000000"),
	   -1, "R= with garbage refused");
	ok(err && strstr(err, "R=000009a5g: garbage after a number"),
	   "id garbage named");
	/* subrequest indexes */
	is(parse(L72 "netfs_sreq_ref: R=000009a5[1] PUT TERM    r=1"), 1,
	   "index 1 reads");
	is(ev.index, 1, "index 1 kept");
	is(parse(L72 "netfs_sreq_ref: R=000009a5[fff0] PUT TERM    r=1"), 1,
	   "index fff0 reads");
	is(ev.index, 0xfff0, "index fff0 kept");
	is(parse(L72 "netfs_sreq_ref: R=000009a5[ffffffff] PUT TERM    r=1"), 1,
	   "index ffffffff is none");
	is(ev.index, -1, "no index");
	is(parse(L72 "netfs_sreq_ref: R=000009a5[100000001] PUT TERM    r=1"), -1,
	   "index past 32 bits refused");
	ok(err && strstr(err, "[100000001]: subrequest index wider than 32 bits"),
	   "index overflow named");
	is(parse(L72 "netfs_sreq_ref: R=000009a5[10000] PUT TERM    r=1"), -1,
	   "index 10000 (65536) refused");
	ok(err && strstr(err, "above 65535"), "index limit named");
	dialect = NFT_DIALECT_AUTO;
	is(parse("dd-608 [001] .....    45.855636: netfs_sreq: R=000008f3[70000] DOWN PREP  f=00 s=0 0/100000 e=0"),
	   -1, "6.1 decimal index 70000 refused");
	dialect = NFT_DIALECT_AUTO;
	is(parse("dd-608 [001] .....    45.855636: netfs_sreq: R=000008f3[1] DOWN PREP  f=00 s=0 0/100000 e=0"),
	   1, "6.1 index 1 reads");
	dialect = NFT_DIALECT_AUTO;
	/* timestamps */
	is(parse("dd-565 [000] ..... 18446744073.709551615: netfs_rreq_ref: R=00000010 NEW         r=2"),
	   1, "the largest timestamp reads");
	is(ev.ts_ns, UINT64_MAX, "the largest timestamp kept");
	is(parse("dd-565 [000] ..... 18446744073.709551616: netfs_rreq_ref: R=00000010 NEW         r=2"),
	   -1, "a timestamp past 64-bit ns refused");
	ok(err && strstr(err, "18446744073.709551616: timestamp whose seconds overflow"),
	   "timestamp overflow named");
	is(parse("dd-565 [000] ..... 99999999999999999999.000001: netfs_rreq_ref: R=00000010 NEW         r=2"),
	   -1, "a 20-digit timestamp refused");
	is(parse("dd-565 [000] ..... 9999999999.999999: netfs_rreq_ref: R=00000010 NEW         r=2"),
	   1, "a 10-digit timestamp reads");
	is(ev.ts_ns, 9999999999999999000ull, "its value");

	/* the stream: errors with the line, the rest analysed */
	static const char merged[] =
		L72 "netfs_rreq_ref: R=ffffffff NEW         r=2\n"
		L72 "netfs_rreq_ref: R=1ffffffff NEW         r=2\n"
		L72 "netfs_rreq_ref: R=00000010 GET SUBREQ  r=1g\n"
		L72 "netfs_rreq_ref: R=ffffffff PUT RETURN  r=1\n";
	decode_str(merged, sizeof(merged) - 1, NULL, &d, &st);
	is(ngot, 2, "the good lines kept");
	is(d.errors, 2, "two errors");
	ok(strstr(msgs, "line 2: netfs_rreq_ref: R=1ffffffff: id wider than 32 bits") != NULL,
	   "line 2 named");
	ok(strstr(msgs, "line 3: netfs_rreq_ref: r=1g: garbage after a number") != NULL,
	   "line 3 named");

	/* a last line cut in its final word, value or key */
	static const char cut_sym[] =
		"dd-535 [001] ..... 25.646344: netfs_folioq: R=000008f2 fq=685 roll-init\n"
		"dd-535 [001] ..... 25.647116: netfs_folioq: R=000008f2 fq=686 make-sp";
	decode_str(cut_sym, sizeof(cut_sym) - 1, NULL, &d, &st);
	is(ngot, 1, "cut symbol: the whole line kept");
	is(d.errors, 1, "cut symbol: an error");
	ok(strstr(msgs, "line 2: truncated last line") &&
	   strstr(msgs, "\"make-sp\""), "cut symbol named");
	static const char whole_sym[] =
		"dd-535 [001] ..... 25.646344: netfs_folioq: R=000008f2 fq=685 roll-init\n"
		"dd-535 [001] ..... 25.647116: netfs_folioq: R=000008f2 fq=686 make-space";
	decode_str(whole_sym, sizeof(whole_sym) - 1, NULL, &d, &st);
	is(ngot, 2, "whole symbol without newline: read");
	is(d.errors, 0, "whole symbol without newline: no error");
	static const char cut_val[] =
		L72 "netfs_rreq: R=000009a5 DR COLLECT f=03\n"
		L72 "netfs_rreq: R=000009a5 DR COMPLET f=0";
	decode_str(cut_val, sizeof(cut_val) - 1, NULL, &d, &st);
	is(ngot, 1, "cut value: one line");
	is(d.errors, 1, "cut f=%02x value: an error");
	static const char cut_key[] =
		L72 "netfs_rreq: R=000009a5 DR COLLECT f=03\n"
		L72 "netfs_rreq: R=000009a5 DR COMPLET f";
	decode_str(cut_key, sizeof(cut_key) - 1, NULL, &d, &st);
	is(ngot, 1, "cut key: one line");
	is(d.errors, 1, "cut key: an error");
	ok(strstr(msgs, "line 2: truncated last line") != NULL,
	   "cut key named");
	static const char whole_val[] =
		L72 "netfs_rreq: R=000009a5 DR COLLECT f=03\n"
		L72 "netfs_rreq: R=000009a5 DR COMPLET f=03";
	decode_str(whole_val, sizeof(whole_val) - 1, NULL, &d, &st);
	is(ngot, 2, "whole value without newline: read");
	is(d.errors, 0, "whole value without newline: no error");

	/* timestamps going back on one CPU; across CPUs they may */
	static const char back[] =
		"dd-565 [000] ..... 28.000002: netfs_rreq_ref: R=00000010 NEW         r=2\n"
		"dd-565 [000] ..... 27.000001: netfs_rreq_ref: R=00000010 PUT RETURN  r=1\n";
	decode_str(back, sizeof(back) - 1, NULL, &d, &st);
	is(ngot, 2, "backwards: both lines read");
	is(d.warnings, 1, "backwards: a warning");
	ok(strstr(msgs, "line 2: timestamps go backwards on CPU 0") &&
	   strstr(msgs, "at line 1"), "backwards: CPU and lines named");
	static const char across[] =
		"dd-565 [000] ..... 28.000002: netfs_rreq_ref: R=00000010 NEW         r=2\n"
		"dd-566 [001] ..... 27.000001: netfs_rreq_ref: R=00000011 NEW         r=2\n"
		"dd-565 [000] ..... 28.000003: netfs_rreq_ref: R=00000010 PUT RETURN  r=1\n"
		"dd-566 [001] ..... 27.000002: netfs_rreq_ref: R=00000011 PUT RETURN  r=1\n";
	decode_str(across, sizeof(across) - 1, NULL, &d, &st);
	is(ngot, 4, "across CPUs: all read");
	is(d.warnings, 0, "across CPUs: no warning");
	static const char pasted[] =
		"dd-565: netfs_rreq_ref: R=00000010 NEW         r=2\n"
		"28.000002: netfs_rreq_ref: R=00000010 GET SUBREQ  r=3\n"
		"27.000001: netfs_rreq_ref: R=00000010 PUT RETURN  r=2\n";
	decode_str(pasted, sizeof(pasted) - 1, NULL, &d, &st);
	is(d.warnings, 0, "no cpu column: not checked");
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		return 1;
	test_6_1();
	test_6_12();
	test_7_2();
	test_constructed();
	test_dialect();
	test_layouts();
	test_unknown_symbols();
	test_stream();
	test_trace_cmd();
	test_old_layouts();
	test_wraps();
	test_wrap_dialect();
	test_mail_forms();
	test_console_dump();
	test_extra_fields();
	test_pasted_tolerance();
	test_bad_input();
	test_values();
	test_diag_limit();
	test_corpus();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd))
			ok(0, "cleanup");
	}
	return tap_done();
}
