/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/fs/netfs/stats (and /proc/fs/fscache/stats before 6.8) read by line
 * label and key=value, never by position, into metric samples with stable
 * Prometheus names.
 *
 * The file's layouts (kernel source read for each; docs/metrics-procstats.md
 * has the full table):
 *
 *   < 5.17   /proc/fs/fscache/stats: "FS-Cache statistics", Cookies: idx=
 *            dat= spc=, Objects:, ChkAux:, Pages:, Acquire:, Lookups:,
 *            Invals:, Updates:, Relinqs:, AttrChg:, Allocs: (x2), Retrvls:
 *            (x2), Stores: (x2), VmScan:, Ops: (x2), CacheOp: (x3), CacheEv:
 *            (fs/fscache/stats.c, old fscache); 5.13-5.16 append RdHelp:.
 *   5.17-6.7 /proc/fs/fscache/stats: "FS-Cache statistics", Cookies: n= v=
 *            vcol= voom=, Acquire:, LRU:, Invals:, Updates:, Relinqs:,
 *            NoSpace:, IO: rd= wr=, then five "RdHelp :" lines from
 *            netfs_stats_show() (fs/netfs/stats.c).  6.1 is this layout.
 *   6.8-6.10 /proc/fs/netfs/stats (/proc/fs/fscache a symlink to it): eight
 *            "Netfs  :" lines (DR RA RF WB WBZ / BW WT DW WP / ZR sh sk /
 *            DL ds df di / RD rs rf / UL us uf / WR ws wf / rr sr wsc), then
 *            "-- FS-Cache statistics --" and the fscache lines, IO with mis=.
 *   6.11     labels Reads/Writes/ZeroOps/DownOps/CaRdOps/UpldOps/CaWrOps/Objs
 *            ("netfs: Adjust labels in /proc/fs/netfs/stats", 2024-06-20).
 *   6.12     Writes 2C=, Objs foq=, WbLock: skip= wait= (real 6.12 corpus).
 *   6.14     Reads RS= (netfs_read_single).
 *   6.15     Retries: rq= rs= wq= ws= ("netfs: Add retry stat counters").
 *   later    Writes without WT= (a tree read; 7.2.13 still prints WT=).
 *
 * Every known (section, key) has a table entry (name, type, help, label);
 * the old "Netfs"/"RdHelp" labels are mapped onto the sections their keys
 * moved to, so one counter keeps one name across kernels.  A key or section
 * the table does not know is still exported, as netfs_proc_stat_total
 * {stat="Section:key"}; a line that is not "Label: k=v ..." counts in
 * netfs_proc_stats_parse_errors_total.
 */
#ifndef NFT_PROCSTATS_H
#define NFT_PROCSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where the file is; /proc/fs/fscache/stats on kernels before 6.8. */
#define NFT_PROCSTATS_PATH "/proc/fs/netfs/stats"
#define NFT_PROCSTATS_OLD_PATH "/proc/fs/fscache/stats"

#define NFT_PROCSTATS_MAX 192

/* Layout features seen in the text (bit set). */
enum {
	NFT_PS_HAVE_NETFS = 1 << 0,	/* a netfs line (any label style) */
	NFT_PS_HAVE_FSCACHE = 1 << 1,	/* a fscache line */
	NFT_PS_OLD_LABELS = 1 << 2,	/* "Netfs  :" / "RdHelp :" labels */
	NFT_PS_LEGACY_FSCACHE = 1 << 3,	/* pre-5.17 fscache (Cookies: idx=) */
};

struct nft_procstat {
	char section[12];	/* canonical section (Reads, Cookies, ...) */
	char key[12];
	int64_t value;
	short def;		/* table entry, -1 if unknown */
};

struct nft_procstats {
	struct nft_procstat v[NFT_PROCSTATS_MAX];
	size_t n;
	unsigned int features;	/* NFT_PS_* */
	bool up;		/* the last parse or read succeeded */
	/* Of the last parse: lines not understood, samples past the array. */
	uint64_t parse_errors, dropped;
	/*
	 * Cumulative over every parse/read into this struct (zero it once):
	 * what the netfs_proc_stats_* counters export.
	 */
	uint64_t parse_errors_total, reads_total, read_failures_total;
};

/* Reset @out's samples (not its cumulative counters). */
void nft_procstats_clear(struct nft_procstats *out);

/*
 * Parse @len bytes of @text.  Returns 0, or -1 with errno EINVAL when not a
 * single line was understood (an empty text is valid: 0, no samples; a 6.1
 * kernel without CONFIG_FSCACHE_STATS, or without netfs, has no file).
 */
int nft_procstats_parse(const char *text, size_t len,
			struct nft_procstats *out);

/*
 * Read and parse @path (NULL: NFT_PROCSTATS_PATH, then
 * NFT_PROCSTATS_OLD_PATH).  -1/errno when it cannot be read; out->up false.
 */
int nft_procstats_read(const char *path, struct nft_procstats *out);

/* The value of @section/@key (canonical names); false if absent. */
bool nft_procstats_get(const struct nft_procstats *ps, const char *section,
		       const char *key, int64_t *value);

/*
 * One sample.  @family is the metric family: for a counter WITHOUT its
 * "_total" suffix (the sample name is family + "_total", as OpenMetrics
 * declares counters), for a gauge the sample name itself.  @type 0 counter,
 * 1 gauge.  @label_name NULL: no label.  The samples of one family come
 * one after another; a family's help and type are the same in each call.
 */
typedef void (*nft_procstats_emit_fn)(void *ctx, const char *family,
				      int type, const char *help,
				      const char *label_name,
				      const char *label_value,
				      uint64_t value);

#define NFT_PS_COUNTER 0
#define NFT_PS_GAUGE 1

/*
 * Every sample of @ps, table order, then the unknown keys, then the
 * exporter's own netfs_proc_stats_{up,reads,read_failures,parse_errors}.
 */
void nft_procstats_emit(const struct nft_procstats *ps,
			nft_procstats_emit_fn emit, void *ctx);

/*
 * The counters a trace can be checked against.  No layout has byte
 * counters: the stats count operations only.  Fields the kernel's layout
 * lacks stay 0 and their have_* bit is clear.
 */
struct nft_procstats_totals {
	uint64_t read_requests;		/* DR+RA+RF(RP)+RS+WB */
	uint64_t write_requests;	/* DW+WT+WP+2C (BW counts write calls) */
	uint64_t readahead, read_folio, read_single, dio_read, write_begin;
	uint64_t buffered_write, writethrough, dio_write, writepages,
		 copy_to_cache;
	uint64_t zero_subreqs, download_subreqs, cache_read_subreqs,
		 upload_subreqs, cache_write_subreqs;
	uint64_t read_retries, write_retries;	/* request + subrequest */
	uint64_t fscache_reads, fscache_writes;	/* IO rd= wr= */
	int64_t live_requests, live_subrequests;	/* Objs rr= sr= */
	bool have_netfs, have_retries, have_objs, have_fscache_io;
};

void nft_procstats_totals(const struct nft_procstats *ps,
			  struct nft_procstats_totals *t);

/* Number of table entries, and entry @i's names (for docs and tests). */
size_t nft_procstats_table_size(void);
bool nft_procstats_table_entry(size_t i, const char **section,
			       const char **key, const char **family,
			       int *type, const char **label_name,
			       const char **label_value, const char **help);

#endif /* NFT_PROCSTATS_H */
