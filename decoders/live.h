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
	uint64_t bad_records;	/* unknown event id, short, or torn */
	uint64_t bad_pages;	/* header not the kernel's: records lost */
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
 * The same without the copy: the room for CPU @cpu's next page (NULL with
 * errno), which nft_pages_commit() then queues (read() straight into it).
 */
void *nft_pages_slot(struct nft_pages *p, int cpu);
void nft_pages_commit(struct nft_pages *p, int cpu);

/*
 * Decode every queued page, all CPUs merged in timestamp order, into @sink;
 * the queue is emptied.  A page that reports dropped events yields an
 * NFT_EV_LOST first.  Returns 0, or the sink's non-zero value.
 */
int nft_pages_flush(struct nft_pages *p, struct nft_sink *sink);

const struct nft_pages_stats *nft_pages_stats(const struct nft_pages *p);

/*
 * Flushes deliver records up to @ts only (UINT64_MAX: all); later ones wait
 * for the next flush.  nft_live_read() sets it after each read.
 */
void nft_pages_set_limit(struct nft_pages *p, uint64_t ts);

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

/*
 * A stand-in for the kernel's ring buffer (tests, benchmark, and live mode
 * against a fake tracefs with NETFS_TOP_FEED): the pages of @dp, in their
 * order, written into a ring of @ring_pages pages per CPU, from which a
 * reader takes them as from trace_pipe_raw.  A writer that laps the reader
 * overwrites the oldest unread pages, and the next page the reader gets
 * says so as the kernel's does (kernel/trace/ring_buffer.c,
 * ring_buffer_read_page()): RB_MISSED_EVENTS in its commit word, and the
 * number of events overwritten stored after its data with RB_MISSED_STORED
 * when a long still fits in the page.
 */
struct nft_feed;

struct nft_feed_stats {
	uint64_t pages_written, pages_read, pages_overwritten;
	uint64_t records_written, records_overwritten;
	uint64_t missed_pages;		/* pages read with RB_MISSED_EVENTS */
	uint64_t missed_stored;		/* sum of the counts stored */
	uint64_t missed_unstored;	/* pages whose count did not fit */
	uint64_t records_unstored;	/* ... and the records they stand for */
};

struct nft_feed *nft_feed_new(const struct nft_dat_pages *dp,
			      size_t ring_pages);
void nft_feed_free(struct nft_feed *f);
/* Never store the count (every loss "unknown"), as a full page cannot. */
void nft_feed_set_unstored(struct nft_feed *f, bool unstored);
/* The writer: the next @n pages of the capture; returns how many (0: end). */
size_t nft_feed_write(struct nft_feed *f, size_t n);
/* The reader: up to @max pages per CPU into @pages; returns how many. */
size_t nft_feed_read(struct nft_feed *f, struct nft_pages *pages, size_t max);
const struct nft_feed_stats *nft_feed_stats(const struct nft_feed *f);
/*
 * Every cpu's records older than this have been read (the start of the
 * earliest page unread or still to come; UINT64_MAX at the end): the
 * reader's limit after a read.
 */
uint64_t nft_feed_complete_to(struct nft_feed *f);

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
 *
 * In a fake tree (not a tracefs), NETFS_TOP_FEED=FILE.dat makes the
 * "buffers" a struct nft_feed of that capture's records (its tep decodes
 * them): each nft_live_read() writes NETFS_TOP_FEED_RATE pages (default:
 * all) into rings of NETFS_TOP_FEED_RING pages per CPU (default 1024) and
 * reads them back; a rate above the ring's room is an overload, whose
 * losses the pages then report as the kernel's would
 * (NETFS_TOP_FEED_UNSTORED=1: without their counts).
 */
struct nft_live *nft_live_open(const struct nft_live_opts *opts,
			       enum nft_live_refusal *why, char *msg,
			       size_t msgsz);

/* The tep of the instance's events (owned by @l). */
struct tep_handle *nft_live_tep(const struct nft_live *l);
/* CPU numbers nft_live_read() may queue pages for: size struct nft_pages. */
int nft_live_cpus(const struct nft_live *l);
/* The sub-buffer (page) size of the instance's buffers: the same. */
size_t nft_live_subbuf(const struct nft_live *l);
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
