/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Live decoder: the running kernel's netfs, fscache and cachefiles events
 * through a tracefs instance of our own (netfs-top-<pid>), read as raw
 * ring-buffer pages (trace_pipe_raw) and decoded with libtraceevent.
 *
 * Split in two so that each half can be tested without a netfs kernel:
 *  - struct nft_pages: raw sub-buffer pages per CPU in, events in timestamp
 *    order out (kbuffer + tep_event.c).  Fed by the live reader, by the
 *    benchmark and by unit tests with pages built from a trace.dat.
 *  - struct nft_live: the instance (mkdir/rmdir, set_event, buffer size,
 *    stale cleanup, async-signal-safe emergency removal).  Works against a
 *    plain directory tree given by NETFS_TOP_TRACEFS.
 */
#ifndef NFT_LIVE_H
#define NFT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../libnetfs-trace/event.h"

struct tep_handle;

/* ---- pages -> events ---- */

struct nft_pages;

struct nft_pages_stats {
	uint64_t pages;
	uint64_t records;	/* all records, ours and others */
	uint64_t events;	/* netfs/fscache/cachefiles events */
	uint64_t lost_markers;	/* pages that said events were dropped */
	uint64_t lost_events;	/* dropped events the kernel counted */
	uint64_t bad_records;	/* unknown event id, or short */
	/*
	 * Records older than one already delivered: their CPU was read while
	 * they were still being written, longer ago than the read's slack.
	 */
	uint64_t late_records;
};

/* @tep must know the header page and the events' formats. */
struct nft_pages *nft_pages_new(struct tep_handle *tep, int ncpus,
				size_t subbuf_size);
void nft_pages_free(struct nft_pages *p);

/* Queue a copy of one sub-buffer page read from CPU @cpu's buffer. */
int nft_pages_add(struct nft_pages *p, int cpu, const void *page);

/*
 * Decode every queued page, all CPUs merged in timestamp order, into @sink;
 * the queue is emptied.  A page that reports dropped events yields an
 * NFT_EV_LOST first.  Returns 0, or the sink's non-zero value.
 */
int nft_pages_flush(struct nft_pages *p, struct nft_sink *sink);

const struct nft_pages_stats *nft_pages_stats(const struct nft_pages *p);

/*
 * Serialise a record into a sub-buffer page in the kernel's ring-buffer
 * layout (little-endian host, 8-byte longs), for tests and the benchmark.
 * Start with nft_page_init(); nft_page_append() returns 0, or -1 when the
 * page is full (then start a new one).
 */
void nft_page_init(void *page, size_t subbuf_size, uint64_t ts);
int nft_page_append(void *page, size_t subbuf_size, uint64_t *last_ts,
		    uint64_t ts, const void *data, uint32_t size);

/*
 * The records of a trace.dat re-cut into sub-buffer pages, as the kernel
 * would have handed them to us live: the benchmark and the unit tests feed
 * these to struct nft_pages.  Returns 0, -1 with errno.
 */
struct nft_dat_pages {
	void *handle;		/* struct tracecmd_input */
	struct tep_handle *tep;	/* owned by @handle */
	char *pages;
	int *cpu;		/* per page */
	size_t n, subbuf;
	int ncpus;
	uint64_t records;
};

int nft_dat_pages_load(const char *path, struct nft_dat_pages *dp);
void nft_dat_pages_free(struct nft_dat_pages *dp);

/* ---- the instance ---- */

enum nft_live_refusal {
	NFT_LIVE_OK,
	NFT_LIVE_NO_TRACEFS,	/* not mounted and could not mount */
	NFT_LIVE_NO_ACCESS,	/* not root / no write access */
	NFT_LIVE_NO_EVENTS,	/* netfs not loaded or not built */
	NFT_LIVE_FAILED,	/* anything else; message says what */
};

struct nft_live_opts {
	/* "netfs", "netfs:netfs_sreq", "fscache:*"; none = all three systems */
	const char *const *events;
	size_t n_events;
	unsigned int buffer_kb;	/* per-CPU buffer size, 0 = kernel default */
};

struct nft_live_stats {
	unsigned int enabled;	/* events enabled */
	int cpus;		/* per-CPU buffers opened */
	bool fake;		/* the tree is not a tracefs (tests) */
	uint64_t slack_ns;	/* how long before a read records count as done */
	char tracefs[256];
	char instance[64];
};

struct nft_live;

/*
 * Find tracefs (NETFS_TOP_TRACEFS overrides), remove stale netfs-top-<pid>
 * instances of dead processes, create ours, enable the events.  On failure
 * returns NULL, sets *why and writes one human sentence into @msg.
 */
struct nft_live *nft_live_open(const struct nft_live_opts *opts,
			       enum nft_live_refusal *why, char *msg,
			       size_t msgsz);

/* The tep of the instance's events (owned by @l). */
struct tep_handle *nft_live_tep(const struct nft_live *l);
const struct nft_live_stats *nft_live_stats(const struct nft_live *l);

/*
 * Read what the per-CPU buffers hold now into @pages (non-blocking).
 * Returns the number of pages read, -1 with errno on a read error.
 */
int nft_live_read(struct nft_live *l, struct nft_pages *pages);

/* Disable the events, close the buffers and remove the instance. */
void nft_live_close(struct nft_live *l);

/*
 * Async-signal-safe: stop tracing into the instance, close its buffers and
 * rmdir it.  For SIGSEGV/SIGABRT handlers; idempotent.
 */
void nft_live_emergency_cleanup(void);

/*
 * Remove netfs-top-<pid> instances under @tracefs whose pid is dead, or is
 * our own (left by a crashed process whose pid we reused).  Returns how
 * many were removed.  Called by nft_live_open() before it makes ours.
 */
int nft_live_remove_stale(const char *tracefs, bool fake);

#endif /* NFT_LIVE_H */
