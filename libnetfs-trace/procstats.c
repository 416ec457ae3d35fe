// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/fs/netfs/stats (and /proc/fs/fscache/stats) by line label and
 * key=value: see procstats.h for the layouts and docs/metrics-procstats.md
 * for the names.  No printing here; the table is the one place a stats key
 * gets its metric name.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procstats.h"

#define C NFT_PS_COUNTER
#define G NFT_PS_GAUGE
#define DUP 1	/* the same kernel counter printed twice: emitted once */

struct ps_def {
	const char *section, *key;
	const char *family;
	int type;
	const char *label_name, *label_value;
	const char *help;
	unsigned int flags;
};

/*
 * One entry per known key, grouped by family (a family's samples must be
 * contiguous).  The kernel counter each key prints is named after it, as
 * in fs/netfs/stats.c netfs_stats_show() and fs/netfs/fscache_stats.c
 * fscache_stats_show() (fs/fscache/stats.c before 6.8).
 */
static const struct ps_def defs[] = {
	/* Reads: (netfs_n_rh_*) */
#define RD_HELP "Read operations netfs started, by origin (/proc/fs/netfs/stats Reads: line)"
	{ "Reads", "DR", "netfs_stats_reads", C, "origin", "dio_read", RD_HELP, 0 },	/* dio_read */
	{ "Reads", "RA", "netfs_stats_reads", C, "origin", "readahead", RD_HELP, 0 },	/* readahead */
	{ "Reads", "RF", "netfs_stats_reads", C, "origin", "read_folio", RD_HELP, 0 },	/* read_folio; RP= (readpage) before 6.8 */
	{ "Reads", "RS", "netfs_stats_reads", C, "origin", "read_single", RD_HELP, 0 },	/* read_single, 6.14+ */
	{ "Reads", "WB", "netfs_stats_reads", C, "origin", "write_begin", RD_HELP, 0 },	/* write_begin */
	{ "Reads", "WBZ", "netfs_stats_write_begin_zero_skips", C, NULL, NULL,
	  "write_begin calls that zero-filled the folio instead of reading it (Reads: WBZ=, ZeroOps: sk=)", 0 },
	{ "ZeroOps", "sk", "netfs_stats_write_begin_zero_skips", C, NULL, NULL, NULL, DUP },	/* write_zskip again */
	/* Writes: (netfs_n_wh_*) */
#define WR_HELP "Write operations netfs started, by origin (/proc/fs/netfs/stats Writes: line; buffered_write counts write calls)"
	{ "Writes", "BW", "netfs_stats_writes", C, "origin", "buffered_write", WR_HELP, 0 },
	{ "Writes", "WT", "netfs_stats_writes", C, "origin", "writethrough", WR_HELP, 0 },	/* gone after 7.2 */
	{ "Writes", "DW", "netfs_stats_writes", C, "origin", "dio_write", WR_HELP, 0 },
	{ "Writes", "WP", "netfs_stats_writes", C, "origin", "writepages", WR_HELP, 0 },
	{ "Writes", "2C", "netfs_stats_writes", C, "origin", "copy_to_cache", WR_HELP, 0 },	/* 6.12+ */
	/* Subrequests issued, by where they go */
#define SR_HELP "Subrequests issued, by operation (ZeroOps ZR=, DownOps DL=, CaRdOps RD=, UpldOps UL=, CaWrOps WR=)"
	{ "ZeroOps", "ZR", "netfs_stats_subrequests", C, "op", "zero", SR_HELP, 0 },
	{ "DownOps", "DL", "netfs_stats_subrequests", C, "op", "download", SR_HELP, 0 },
	{ "CaRdOps", "RD", "netfs_stats_subrequests", C, "op", "cache_read", SR_HELP, 0 },
	{ "UpldOps", "UL", "netfs_stats_subrequests", C, "op", "upload", SR_HELP, 0 },
	{ "CaWrOps", "WR", "netfs_stats_subrequests", C, "op", "cache_write", SR_HELP, 0 },
#define SD_HELP "Subrequests that completed successfully, by operation (ds= rs= us= ws=)"
	{ "DownOps", "ds", "netfs_stats_subrequests_succeeded", C, "op", "download", SD_HELP, 0 },
	{ "CaRdOps", "rs", "netfs_stats_subrequests_succeeded", C, "op", "cache_read", SD_HELP, 0 },
	{ "UpldOps", "us", "netfs_stats_subrequests_succeeded", C, "op", "upload", SD_HELP, 0 },
	{ "CaWrOps", "ws", "netfs_stats_subrequests_succeeded", C, "op", "cache_write", SD_HELP, 0 },
#define SF_HELP "Subrequests that failed, by operation (df= rf= uf= wf=)"
	{ "DownOps", "df", "netfs_stats_subrequests_failed", C, "op", "download", SF_HELP, 0 },
	{ "CaRdOps", "rf", "netfs_stats_subrequests_failed", C, "op", "cache_read", SF_HELP, 0 },
	{ "UpldOps", "uf", "netfs_stats_subrequests_failed", C, "op", "upload", SF_HELP, 0 },
	{ "CaWrOps", "wf", "netfs_stats_subrequests_failed", C, "op", "cache_write", SF_HELP, 0 },
	{ "DownOps", "di", "netfs_stats_download_instead", C, NULL, NULL,
	  "Cache reads that were turned into downloads from the server (DownOps: di=)", 0 },
	{ "ZeroOps", "sh", "netfs_stats_short_reads", C, NULL, NULL,
	  "Short read subrequests (ZeroOps: sh=)", 0 },
	/* Retries: (6.15+) */
#define RQ_HELP "Whole-request retries, by direction (Retries: rq= wq=, 6.15+)"
	{ "Retries", "rq", "netfs_stats_request_retries", C, "dir", "read", RQ_HELP, 0 },
	{ "Retries", "wq", "netfs_stats_request_retries", C, "dir", "write", RQ_HELP, 0 },
#define RS_HELP "Subrequest retries, by direction (Retries: rs= ws=, 6.15+)"
	{ "Retries", "rs", "netfs_stats_subrequest_retries", C, "dir", "read", RS_HELP, 0 },
	{ "Retries", "ws", "netfs_stats_subrequest_retries", C, "dir", "write", RS_HELP, 0 },
	/* Objs: live objects; netfs_stat_d() on free (fs/netfs/objects.c) */
	{ "Objs", "rr", "netfs_stats_live_requests", G, NULL, NULL,
	  "netfs requests allocated and not yet freed (Objs: rr=); a count that stays up on an idle machine is a leak", 0 },
	{ "Objs", "sr", "netfs_stats_live_subrequests", G, NULL, NULL,
	  "netfs subrequests allocated and not yet freed (Objs: sr=)", 0 },
	{ "Objs", "foq", "netfs_stats_live_folio_queues", G, NULL, NULL,
	  "folio_queue segments allocated and not yet freed (Objs: foq=, 6.12+)", 0 },
	{ "Objs", "wsc", "netfs_stats_write_streaming_conflicts", C, NULL, NULL,
	  "Writes that had to flush streamed (partial, not uptodate) folio data first (Objs: wsc=)", 0 },
	/* WbLock: (6.12+) */
	{ "WbLock", "skip", "netfs_stats_writeback_lock", C, "outcome", "skip",
	  "Writeback lock attempts, by outcome (WbLock: skip= wait=)", 0 },
	{ "WbLock", "wait", "netfs_stats_writeback_lock", C, "outcome", "wait",
	  "Writeback lock attempts, by outcome (WbLock: skip= wait=)", 0 },

	/* fscache (fscache_n_*) */
	{ "Cookies", "n", "netfs_fscache_cookies", G, NULL, NULL,
	  "fscache cookies in existence (Cookies: n=)", 0 },
	{ "Cookies", "v", "netfs_fscache_volumes", G, NULL, NULL,
	  "fscache volumes in existence (Cookies: v=)", 0 },
	{ "Cookies", "vcol", "netfs_fscache_volume_collisions", C, NULL, NULL,
	  "fscache volume acquisitions that collided with a volume being relinquished (Cookies: vcol=)", 0 },
	{ "Cookies", "voom", "netfs_fscache_volume_oom", C, NULL, NULL,
	  "fscache volume acquisitions that failed for memory (Cookies: voom=)", 0 },
	{ "Acquire", "n", "netfs_fscache_acquires", C, NULL, NULL,
	  "fscache cookie acquisitions requested (Acquire: n=)", 0 },
	{ "Acquire", "ok", "netfs_fscache_acquire_results", C, "result", "ok",
	  "fscache cookie acquisitions, by result (Acquire: ok= oom=)", 0 },
	{ "Acquire", "oom", "netfs_fscache_acquire_results", C, "result", "oom",
	  "fscache cookie acquisitions, by result (Acquire: ok= oom=)", 0 },
	{ "LRU", "n", "netfs_fscache_lru_cookies", G, NULL, NULL,
	  "fscache cookies on the LRU list (LRU: n=)", 0 },
	{ "LRU", "exp", "netfs_fscache_lru_events", C, "event", "expired",
	  "fscache LRU cookies, by what ended their stay (LRU: exp= rmv= drp=)", 0 },
	{ "LRU", "rmv", "netfs_fscache_lru_events", C, "event", "removed",
	  "fscache LRU cookies, by what ended their stay (LRU: exp= rmv= drp=)", 0 },
	{ "LRU", "drp", "netfs_fscache_lru_events", C, "event", "dropped",
	  "fscache LRU cookies, by what ended their stay (LRU: exp= rmv= drp=)", 0 },
	{ "LRU", "at", "netfs_fscache_lru_timer_jiffies", G, NULL, NULL,
	  "Jiffies (kernel HZ) until the fscache LRU timer fires, 0 if not pending (LRU: at=)", 0 },
	{ "Invals", "n", "netfs_fscache_invalidations", C, NULL, NULL,
	  "fscache cookie invalidations (Invals: n=)", 0 },
	{ "Updates", "n", "netfs_fscache_updates", C, NULL, NULL,
	  "fscache cookie updates (Updates: n=)", 0 },
	{ "Updates", "rsz", "netfs_fscache_resizes", C, NULL, NULL,
	  "fscache cookie resizes (Updates: rsz=)", 0 },
	{ "Updates", "rsn", "netfs_fscache_resizes_null", C, NULL, NULL,
	  "fscache resizes of cookies with no cache object (Updates: rsn=)", 0 },
	{ "Relinqs", "n", "netfs_fscache_relinquishes", C, NULL, NULL,
	  "fscache cookie relinquishments (Relinqs: n=)", 0 },
	{ "Relinqs", "rtr", "netfs_fscache_relinquish_retires", C, NULL, NULL,
	  "fscache relinquishments that retired (deleted) the cache object (Relinqs: rtr=)", 0 },
	{ "Relinqs", "drop", "netfs_fscache_relinquish_drops", C, NULL, NULL,
	  "fscache relinquishments that dropped the cookie (Relinqs: drop=)", 0 },
	{ "NoSpace", "nwr", "netfs_fscache_no_space", C, "op", "write",
	  "Cache writes or creations refused for lack of space (NoSpace: nwr= ncr=)", 0 },
	{ "NoSpace", "ncr", "netfs_fscache_no_space", C, "op", "create",
	  "Cache writes or creations refused for lack of space (NoSpace: nwr= ncr=)", 0 },
	{ "NoSpace", "cull", "netfs_fscache_culled", C, NULL, NULL,
	  "Cache objects culled to make space (NoSpace: cull=)", 0 },
	{ "IO", "rd", "netfs_fscache_io", C, "dir", "read",
	  "Cache I/O operations, by direction (IO: rd= wr=)", 0 },
	{ "IO", "wr", "netfs_fscache_io", C, "dir", "write",
	  "Cache I/O operations, by direction (IO: rd= wr=)", 0 },
	{ "IO", "mis", "netfs_fscache_dio_misfits", C, NULL, NULL,
	  "Cache writes cancelled because they did not fit the DIO block size (IO: mis=, 6.8+)", 0 },
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

/*
 * Before 6.11 the netfs lines all had the label "Netfs  :" (6.8-6.10) or
 * "RdHelp :" (5.13-6.7): each key goes to the section it has had since.
 * RP= (readpage) became RF= (read_folio) in 6.8.  A key not here keeps the
 * label it was printed under and goes out through the generic family.
 */
static const struct {
	const char *key, *section, *canon;
} old_keys[] = {
	{ "DR", "Reads", "DR" }, { "RA", "Reads", "RA" },
	{ "RF", "Reads", "RF" }, { "RP", "Reads", "RF" },
	{ "RS", "Reads", "RS" }, { "WB", "Reads", "WB" },
	{ "WBZ", "Reads", "WBZ" },
	{ "BW", "Writes", "BW" }, { "WT", "Writes", "WT" },
	{ "DW", "Writes", "DW" }, { "WP", "Writes", "WP" },
	{ "2C", "Writes", "2C" },
	{ "ZR", "ZeroOps", "ZR" }, { "sh", "ZeroOps", "sh" },
	{ "sk", "ZeroOps", "sk" },
	{ "DL", "DownOps", "DL" }, { "ds", "DownOps", "ds" },
	{ "df", "DownOps", "df" }, { "di", "DownOps", "di" },
	{ "RD", "CaRdOps", "RD" }, { "rs", "CaRdOps", "rs" },
	{ "rf", "CaRdOps", "rf" },
	{ "UL", "UpldOps", "UL" }, { "us", "UpldOps", "us" },
	{ "uf", "UpldOps", "uf" },
	{ "WR", "CaWrOps", "WR" }, { "ws", "CaWrOps", "ws" },
	{ "wf", "CaWrOps", "wf" },
	{ "rr", "Objs", "rr" }, { "sr", "Objs", "sr" },
	{ "wsc", "Objs", "wsc" },
};

/* Sections of the netfs part, new style, and of the fscache part. */
static const char *const netfs_sections[] = {
	"Reads", "Writes", "ZeroOps", "DownOps", "CaRdOps", "UpldOps",
	"CaWrOps", "Retries", "Objs", "WbLock",
};

/* Sections only the pre-5.17 fscache printed (fs/fscache/stats.c). */
static const char *const legacy_sections[] = {
	"Objects", "ChkAux", "Pages", "Lookups", "AttrChg", "Allocs",
	"Retrvls", "Stores", "VmScan", "Ops", "CacheOp", "CacheEv",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static int find_def(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < N_DEFS; i++)
		if (!strcmp(defs[i].section, section) &&
		    !strcmp(defs[i].key, key))
			return (int)i;
	return -1;
}

void nft_procstats_clear(struct nft_procstats *out)
{
	out->n = 0;
	out->features = 0;
	out->parse_errors = 0;
	out->dropped = 0;
	out->up = false;
}

static void copy_name(char *dst, size_t sz, const char *s, size_t n)
{
	size_t i;

	if (n >= sz)
		n = sz - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		dst[i] = isalnum(c) || c == '_' || c == '-' ? c : '_';
	}
	dst[n] = 0;
}

static void add(struct nft_procstats *out, const char *section,
		const char *key, int64_t value)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].section, section) &&
		    !strcmp(out->v[i].key, key))
			return;	/* printed twice: the first one counts */
	if (out->n == NFT_PROCSTATS_MAX) {
		out->dropped++;
		return;
	}
	snprintf(out->v[out->n].section, sizeof(out->v[0].section), "%s",
		 section);
	snprintf(out->v[out->n].key, sizeof(out->v[0].key), "%s", key);
	out->v[out->n].value = value;
	out->v[out->n].def = (short)find_def(section, key);
	out->n++;
}

static bool parse_value(const char *s, size_t n, int64_t *v)
{
	bool neg = false;
	uint64_t u = 0;
	size_t i = 0;

	if (n && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		if (u > (UINT64_MAX - 9) / 10)
			return false;
		u = u * 10 + (s[i] - '0');
	}
	if (u > INT64_MAX)
		u = INT64_MAX;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return true;
}

/* One line (no newline); false if it is not understood. */
static bool parse_line(const char *s, size_t n, struct nft_procstats *out)
{
	const char *colon = memchr(s, ':', n), *p, *end = s + n;
	char label[12], key[12], section[12];
	bool old, bad = false, any = false;
	size_t ln;

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	end = s + n;
	if (!n)
		return true;
	if (!colon) {
		/* "FS-Cache statistics" (< 6.8) or "-- FS-Cache statistics --" */
		if (memmem(s, n, "FS-Cache statistics", 19)) {
			out->features |= NFT_PS_HAVE_FSCACHE;
			return true;
		}
		return false;
	}
	ln = colon - s;
	while (ln && isspace((unsigned char)s[ln - 1]))
		ln--;
	if (!ln)
		return false;
	copy_name(label, sizeof(label), s, ln);
	old = !strcmp(label, "Netfs") || !strcmp(label, "RdHelp");
	if (old)
		out->features |= NFT_PS_OLD_LABELS | NFT_PS_HAVE_NETFS;
	else if (in_list(label, netfs_sections, sizeof(netfs_sections) /
			 sizeof(netfs_sections[0])))
		out->features |= NFT_PS_HAVE_NETFS;
	else if (in_list(label, legacy_sections, sizeof(legacy_sections) /
			 sizeof(legacy_sections[0])))
		out->features |= NFT_PS_HAVE_FSCACHE | NFT_PS_LEGACY_FSCACHE;
	else
		out->features |= NFT_PS_HAVE_FSCACHE;	/* Cookies, IO, new ones */

	p = colon + 1;
	while (p < end) {
		const char *tok, *eq;
		int64_t v;
		size_t i;

		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p == end)
			break;
		tok = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		eq = memchr(tok, '=', p - tok);
		if (!eq || eq == tok || !parse_value(eq + 1, p - eq - 1, &v)) {
			bad = true;
			continue;
		}
		copy_name(key, sizeof(key), tok, eq - tok);
		snprintf(section, sizeof(section), "%s", label);
		if (old) {
			for (i = 0; i < sizeof(old_keys) / sizeof(old_keys[0]); i++)
				if (!strcmp(old_keys[i].key, key)) {
					snprintf(section, sizeof(section), "%s",
						 old_keys[i].section);
					snprintf(key, sizeof(key), "%s",
						 old_keys[i].canon);
					break;
				}
		}
		if (!strcmp(section, "Cookies") &&
		    (!strcmp(key, "idx") || !strcmp(key, "dat")))
			out->features |= NFT_PS_LEGACY_FSCACHE;
		add(out, section, key, v);
		any = true;
	}
	return any && !bad;
}

int nft_procstats_parse(const char *text, size_t len,
			struct nft_procstats *out)
{
	size_t off = 0;

	nft_procstats_clear(out);
	if (!text)
		len = 0;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		if (memchr(text + off, 0, n)) {
			out->parse_errors++;	/* binary junk */
		} else if (!parse_line(text + off, n, out)) {
			out->parse_errors++;
		}
		off += n + (nl ? 1 : 0);
	}
	out->parse_errors_total += out->parse_errors;
	/* Lines, and not one of them understood. */
	if (out->parse_errors && !out->n) {
		out->up = false;
		errno = EINVAL;
		return -1;
	}
	out->up = true;
	return 0;
}

int nft_procstats_read(const char *path, struct nft_procstats *out)
{
	char buf[16384];
	size_t len = 0;
	ssize_t r;
	int fd, e;

	out->reads_total++;
	if (!path) {
		fd = open(NFT_PROCSTATS_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			fd = open(NFT_PROCSTATS_OLD_PATH, O_RDONLY | O_CLOEXEC);
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		goto fail;
	/* A seq_file: read until EOF; the file is < 2 KB on every kernel. */
	while (len < sizeof(buf)) {
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			errno = e;
			goto fail;
		}
		if (!r)
			break;
		len += r;
	}
	close(fd);
	if (nft_procstats_parse(buf, len, out))
		goto fail_parsed;
	return 0;
fail:
	nft_procstats_clear(out);
fail_parsed:
	e = errno;
	out->up = false;
	out->read_failures_total++;
	errno = e;
	return -1;
}

bool nft_procstats_get(const struct nft_procstats *ps, const char *section,
		       const char *key, int64_t *value)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->v[i].section, section) &&
		    !strcmp(ps->v[i].key, key)) {
			if (value)
				*value = ps->v[i].value;
			return true;
		}
	return false;
}

static uint64_t clamp(int64_t v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

void nft_procstats_emit(const struct nft_procstats *ps,
			nft_procstats_emit_fn emit, void *ctx)
{
	char stat[32];
	size_t d, i;

	for (d = 0; d < N_DEFS; d++) {
		const struct ps_def *e = &defs[d];

		if (e->flags & DUP)
			continue;
		for (i = 0; i < ps->n; i++)
			if (ps->v[i].def == (short)d)
				emit(ctx, e->family, e->type, e->help,
				     e->label_name, e->label_value,
				     clamp(ps->v[i].value));
	}
	for (i = 0; i < ps->n; i++) {
		if (ps->v[i].def >= 0)
			continue;
		snprintf(stat, sizeof(stat), "%s:%s", ps->v[i].section,
			 ps->v[i].key);
		emit(ctx, "netfs_proc_stat", NFT_PS_COUNTER,
		     "A /proc/fs/netfs/stats (or fscache/stats) value this netfs-top does not know, as Section:key",
		     "stat", stat, clamp(ps->v[i].value));
	}
	emit(ctx, "netfs_proc_stats_up", NFT_PS_GAUGE,
	     "1 if the last read of /proc/fs/netfs/stats succeeded", NULL,
	     NULL, ps->up ? 1 : 0);
	emit(ctx, "netfs_proc_stats_reads", NFT_PS_COUNTER,
	     "Reads of /proc/fs/netfs/stats", NULL, NULL, ps->reads_total);
	emit(ctx, "netfs_proc_stats_read_failures", NFT_PS_COUNTER,
	     "Reads of /proc/fs/netfs/stats that failed or found nothing to parse",
	     NULL, NULL, ps->read_failures_total);
	emit(ctx, "netfs_proc_stats_parse_errors", NFT_PS_COUNTER,
	     "Lines of /proc/fs/netfs/stats that were not 'Label: key=value ...'",
	     NULL, NULL, ps->parse_errors_total);
}

static uint64_t val(const struct nft_procstats *ps, const char *section,
		    const char *key, bool *have)
{
	int64_t v = 0;

	if (!nft_procstats_get(ps, section, key, &v))
		return 0;
	if (have)
		*have = true;
	return clamp(v);
}

void nft_procstats_totals(const struct nft_procstats *ps,
			  struct nft_procstats_totals *t)
{
	int64_t v;

	memset(t, 0, sizeof(*t));
	t->dio_read = val(ps, "Reads", "DR", &t->have_netfs);
	t->readahead = val(ps, "Reads", "RA", &t->have_netfs);
	t->read_folio = val(ps, "Reads", "RF", &t->have_netfs);
	t->read_single = val(ps, "Reads", "RS", NULL);
	t->write_begin = val(ps, "Reads", "WB", &t->have_netfs);
	t->read_requests = t->dio_read + t->readahead + t->read_folio +
			   t->read_single + t->write_begin;
	t->buffered_write = val(ps, "Writes", "BW", NULL);
	t->writethrough = val(ps, "Writes", "WT", NULL);
	t->dio_write = val(ps, "Writes", "DW", NULL);
	t->writepages = val(ps, "Writes", "WP", NULL);
	t->copy_to_cache = val(ps, "Writes", "2C", NULL);
	t->write_requests = t->writethrough + t->dio_write + t->writepages +
			    t->copy_to_cache;
	t->zero_subreqs = val(ps, "ZeroOps", "ZR", NULL);
	t->download_subreqs = val(ps, "DownOps", "DL", NULL);
	t->cache_read_subreqs = val(ps, "CaRdOps", "RD", NULL);
	t->upload_subreqs = val(ps, "UpldOps", "UL", NULL);
	t->cache_write_subreqs = val(ps, "CaWrOps", "WR", NULL);
	t->read_retries = val(ps, "Retries", "rq", &t->have_retries) +
			  val(ps, "Retries", "rs", NULL);
	t->write_retries = val(ps, "Retries", "wq", NULL) +
			   val(ps, "Retries", "ws", NULL);
	t->fscache_reads = val(ps, "IO", "rd", &t->have_fscache_io);
	t->fscache_writes = val(ps, "IO", "wr", NULL);
	if (nft_procstats_get(ps, "Objs", "rr", &v)) {
		t->have_objs = true;
		t->live_requests = v;
	}
	if (nft_procstats_get(ps, "Objs", "sr", &v))
		t->live_subrequests = v;
}

size_t nft_procstats_table_size(void)
{
	return N_DEFS;
}

bool nft_procstats_table_entry(size_t i, const char **section,
			       const char **key, const char **family,
			       int *type, const char **label_name,
			       const char **label_value, const char **help)
{
	const struct ps_def *e;
	size_t j;

	if (i >= N_DEFS)
		return false;
	e = &defs[i];
	*section = e->section;
	*key = e->key;
	*family = e->family;
	*type = e->type;
	*label_name = e->label_name;
	*label_value = e->label_value;
	*help = e->help;
	if (!*help)	/* a DUP: the help of the family's first entry */
		for (j = 0; j < N_DEFS; j++)
			if (!strcmp(defs[j].family, e->family) && defs[j].help) {
				*help = defs[j].help;
				break;
			}
	return true;
}
