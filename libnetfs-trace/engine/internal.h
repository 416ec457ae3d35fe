/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Engine internals shared by its files.  Names follow fs/netfs so the model
 * can be diffed against the kernel function by function.
 */
#ifndef NFT_ENGINE_INTERNAL_H
#define NFT_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../event.h"
#include "../gen.h"
#include "../vocab.h"
#include "engine.h"

#define NS_PER_US 1000ull
#define PAGE_SIZE_ 0x1000ull

/* ---- scenario ---- */

enum op_type {
	OP_READAHEAD, OP_READ_FOLIO, OP_WRITE_BEGIN, OP_DIO_READ,
	OP_UNBUFFERED_READ, OP_READ_SINGLE, OP_WRITEBACK, OP_WRITETHROUGH,
	OP_DIO_WRITE, OP_UNBUFFERED_WRITE, OP_COPY_TO_CACHE, OP__NR
};

enum fault_kind {
	FAULT_NONE, FAULT_EAGAIN, FAULT_EIO, FAULT_ENOMEM, FAULT_ENODATA,
	FAULT_ECONNABORTED, FAULT_SHORT, FAULT_ZERO, FAULT__NR
};

struct sc_op {
	enum op_type type;
	uint64_t count, offset, size, stride;
	enum fault_kind fault;	/* applied to subrequest fault_subreq */
	int fault_subreq;	/* 1-based debug index */
	int fault_times;	/* how many tries fail (1 = only the first) */
	uint64_t retry_max_len;	/* credits after a fault (cifs), 0 = same */
	bool cache_fail;	/* the cache write subrequest fails */
	bool clean;		/* no random faults (the background reader) */
	int line;		/* of its [op] in the scenario file */
};

struct nft_scenario {
	bool cifs;		/* async server with credits, else 9p (sync) */
	bool cache;		/* fscache cookie with a cache stream */
	bool umount;		/* the run ends with the volume relinquished */
	bool lru_reuse;		/* the cookie expires from the LRU and is used
				 * again at once (the fixed b5b52de3214a race) */
	uint64_t rsize, wsize, i_size, ra_window;
	uint64_t cache_wsize;	/* most a cache write subrequest covers */
	uint64_t lat_us, jitter_us;
	uint64_t think_us;
	uint64_t thread_stride;	/* app thread i works at offset + i * this */
	double short_prob, error_prob, cache_hit;
	enum fault_kind random_error;
	uint64_t events;
	uint32_t first_id, ino;
	int retry_limit, concurrency;
	int dialect;		/* enum nft_engine_dialect, -1 = not given */
	struct sc_op *ops;
	int nr_ops;
};

const char *sc_op_name(enum op_type t);
int sc_fault_errno(enum fault_kind f);

/* ---- model objects ---- */

/* Logical flags; emit.c maps them to each kernel's bit numbers. */
enum {
	RF_IN_PROGRESS = 1u << 0, RF_ALL_QUEUED = 1u << 1, RF_PAUSE = 1u << 2,
	RF_FAILED = 1u << 3, RF_RETRYING = 1u << 4, RF_OFFLOAD = 1u << 5,
	RF_NO_UNLOCK = 1u << 6, RF_UPLOAD = 1u << 7, RF_IO_ITER = 1u << 8,
	RF_RA_REFS = 1u << 9,
};

enum {
	SF_CLEAR_TAIL = 1u << 0, SF_MADE_PROGRESS = 1u << 1,
	SF_IN_PROGRESS = 1u << 2, SF_NEED_RETRY = 1u << 3, SF_FAILED = 1u << 4,
	SF_HIT_EOF = 1u << 5,
};

struct req;

struct sreq {
	struct req *req;
	struct sreq *next;	/* stream list, in issue order */
	struct sreq *all_next;	/* every live subrequest of the request */
	struct sreq **all_pprev;	/* O(1) unlink from that list */
	int index, stream, source;
	unsigned int flags;
	int ref;
	uint64_t start, len, transferred;
	/* 6.12 folio consumption: bytes of folios done, donations held */
	uint64_t consumed, prev_donated, next_donated;
	int error, retry_count, slot, tries;
	bool freed, failure_reported;
};

struct stream {
	struct sreq *head, *tail;
	struct sreq *construct;	/* write: being filled, not issued yet */
	uint64_t collected_to, issued_to, max_len;
	bool avail, active, need_retry, failed;
	int source;
};

enum actor_kind { ACT_APP, ACT_WORKER, ACT_SERVER };

struct req {
	uint32_t id;
	enum op_type op;
	int origin;		/* enum nft_origin */
	unsigned int flags;
	int ref;
	uint64_t start, len, i_size, submitted, collected_to, cleaned_to;
	uint64_t transferred;
	uint64_t prev_donated;	/* 6.12: for the next subrequest added */
	int error, subreq_counter, app;
	struct stream streams[2];
	const struct sc_op *sop;
	bool write, waiting, work_pending, done, freed, dead, woke;
	bool failure_reported, retried_once, leak_injected, issuing, wait_traced;
	bool wait_pending;	/* an app_wait step is queued */
	bool twin_crashed;	/* bad-donation: the kernel oopsed on it */
	int twin_waits;		/* early-unlock-eof: ZERO issue deferrals */
	uint64_t issue_pos;
	int fault_left;
	struct req *lprev, *lnext;
	struct sreq *all;
	/*
	 * Subrequests with SF_IN_PROGRESS per stream (sreq_busy/sreq_idle):
	 * "is the stream quiesced" in O(1), not a walk of the stream on every
	 * termination (quadratic with many small subrequests).
	 */
	int busy[2];
};

/*
 * app[BG_APP] is a background reader: after an injection whose finding is
 * only decidable while the trace goes on (stuck, ref-leak), it keeps clean
 * requests coming for BG_SPAN_NS of virtual time.
 */
#define BG_APP 8
#define BG_SPAN_NS (7ull * 1000000000ull)
#define BG_GAP_US 250000ull

struct app_thread {
	int pid, cpu, op, left;
	uint64_t offset;
	bool idle;
};

/* ---- simulation ---- */

struct qev;
typedef void (*qev_fn)(struct nft_engine *e, struct qev *q);

struct qev {
	uint64_t t, seq;
	qev_fn fn;
	struct req *req;
	struct sreq *sreq;
	int arg;
};

struct out_buf {
	char *p;
	size_t len, cap;
};

/* The last text line prefix, reused while actor and microsecond match. */
struct line_prefix {
	const char *comm;
	uint64_t us;
	int pid, cpu;
	char irqs[6];
	size_t len;
	char text[64];
};

struct symtab;
struct fc_state;

struct actor {
	const char *comm;
	int pid, cpu;
	char irqs[6];
};

struct nft_engine {
	const struct nft_scenario *sc;
	struct nft_engine_opts o;
	const struct nft_gen_profile *prof;	/* the kernel generation (gen.h) */
	const struct symtab *sym;	/* its symbol strings (emit.c) */
	unsigned int rbit[10], sbit[6];	/* RF_* / SF_* -> the kernel's bits */
	unsigned int feat;	/* NFT_ENGINE_F_*, resolved (7.2 dialect only) */
	uint64_t now, seq, rng[4];
	struct qev *heap;
	size_t nheap, heapcap;
	uint32_t next_id;
	struct app_thread app[BG_APP + 1];
	int nr_app;
	struct actor cur;
	struct out_buf out;
	struct line_prefix lp;
	struct nft_event ev;
	struct nft_engine_stats st;
	uint64_t live;
	int stop, error;
	int cycle;		/* passes over the workload */
	struct sc_op inject_op;
	bool inject_armed;
	bool inject_quiet;	/* the injection needs the background reader */
	struct sc_op bg_op;
	uint64_t bg_until, bg_k;
	struct req *live_head;	/* leaked or stuck ones stay until the end */
	char wq_comm[2][16];
	size_t name_off;	/* where the current text line's event name starts */
	struct fc_state *fc;	/* fscache/cachefiles objects (fscache.c), or NULL */
};

/* A 6.16+ behaviour switch (engine.h); never set on the 6.12 dialect. */
static inline bool feat(const struct nft_engine *e, unsigned int f)
{
	return e->feat & f;
}

/* sim.c */
uint64_t rng_next(struct nft_engine *e);
double rng_unit(struct nft_engine *e);
uint64_t rng_range(struct nft_engine *e, uint64_t lo, uint64_t hi);
void sim_at(struct nft_engine *e, uint64_t t, qev_fn fn, struct req *r,
	    struct sreq *s, int arg);
bool sim_pop(struct nft_engine *e, struct qev *q);
void sim_tick(struct nft_engine *e, uint64_t lo_ns, uint64_t hi_ns);
void act_app(struct nft_engine *e, struct req *r);
void act_worker(struct nft_engine *e, struct req *r);
void act_server(struct nft_engine *e);

/* emit.c */
struct symtab;
const struct symtab *symtab_get(enum nft_engine_dialect d);
void profile_bits(struct nft_engine *e);
void out_header(struct nft_engine *e);
int out_flush(struct nft_engine *e);
void em_rref(struct nft_engine *e, struct req *r, int what);
void em_sref(struct nft_engine *e, struct sreq *s, int what);
void em_rreq(struct nft_engine *e, struct req *r, int what);
void em_sreq(struct nft_engine *e, struct sreq *s, int what);
void em_read(struct nft_engine *e, struct req *r, int what);
void em_write(struct nft_engine *e, struct req *r, int what);
void em_write_iter(struct nft_engine *e, struct req *r);
void em_failure(struct nft_engine *e, struct req *r, struct sreq *s, int what);
void em_folio(struct nft_engine *e, uint64_t index, int what);
void em_collect(struct nft_engine *e, struct req *r);
void em_collect_sreq(struct nft_engine *e, struct sreq *s);
void em_collect_stream(struct nft_engine *e, struct req *r, int stream);
void em_collect_state(struct nft_engine *e, struct req *r, unsigned int notes);
void em_collect_gap(struct nft_engine *e, struct req *r, int stream,
		    uint64_t from, uint64_t to, char type);
void em_collect_folio(struct nft_engine *e, struct req *r, uint64_t index);
void em_collect_folio_to(struct nft_engine *e, struct req *r, uint64_t index,
			 uint64_t fend);
void em_donate(struct nft_engine *e, struct sreq *s, int to, uint64_t amount,
	       int what);
void em_progress(struct nft_engine *e, struct sreq *s, uint64_t pos,
		 uint64_t part, uint64_t avail, int slot);

/* objects (req.c) */
struct req *req_alloc(struct nft_engine *e, enum op_type op, uint64_t start,
		      uint64_t len, const struct sc_op *sop, int app);
void req_get(struct nft_engine *e, struct req *r, int what);
void req_put(struct nft_engine *e, struct req *r, int what);
struct sreq *sreq_alloc(struct nft_engine *e, struct req *r, int stream,
			int source, uint64_t start, uint64_t len);
void sreq_get(struct nft_engine *e, struct sreq *s, int what);
void sreq_put(struct nft_engine *e, struct sreq *s, int what);
void stream_append(struct req *r, struct sreq *s);

static inline void sreq_busy(struct sreq *s)
{
	if (!(s->flags & SF_IN_PROGRESS))
		s->req->busy[s->stream]++;
	s->flags |= SF_IN_PROGRESS;
}

static inline void sreq_idle(struct sreq *s)
{
	if (s->flags & SF_IN_PROGRESS)
		s->req->busy[s->stream]--;
	s->flags &= ~SF_IN_PROGRESS;
}
void stream_remove_head(struct req *r, int stream);
void stream_remove(struct req *r, struct sreq *s);
bool is_worker(const struct nft_engine *e);
void req_retire(struct nft_engine *e, struct req *r);
void req_free_all(struct nft_engine *e);
void note_failure(struct nft_engine *e, struct req *r, struct sreq *s);
void queue_collector(struct nft_engine *e, struct req *r);
void run_worker(struct nft_engine *e, struct qev *q);
void op_finished(struct nft_engine *e, struct req *r);

/* backend.c */
struct outcome {
	uint64_t transferred;	/* bytes moved */
	int error;		/* negative errno or 0 */
	bool fs_retry;		/* fs itself asked for a retry (cifs -EAGAIN) */
};
uint64_t backend_latency(struct nft_engine *e);
void backend_outcome(struct nft_engine *e, struct sreq *s, struct outcome *oc);
uint64_t backend_max_len(struct nft_engine *e, struct req *r, int stream);

/* read.c */
void read_start(struct nft_engine *e, struct req *r);
void read_collect(struct nft_engine *e, struct req *r);
void read_reassess(struct nft_engine *e, struct req *r);
void read_issue(struct nft_engine *e, struct sreq *s, bool resubmit);
void app_wait(struct nft_engine *e, struct qev *q);
void app_wake(struct nft_engine *e, struct req *r, uint64_t lo_us, uint64_t hi_us);

/* write.c */
void write_start(struct nft_engine *e, struct req *r);
void write_collect(struct nft_engine *e, struct req *r);
void write_issue(struct nft_engine *e, struct sreq *s, bool resubmit);

/* retry.c */
void retry_reads(struct nft_engine *e, struct req *r);
void retry_writes(struct nft_engine *e, struct req *r);

/* inject.c */
enum inject_id {
	INJ_WRITE_RETRY_EXTRA_REF, INJ_ITER_RESET_LEN, INJ_LOST_WAKEUP,
	INJ_RETRY_NO_PROGRESS, INJ_OVER_READ, INJ_CACHE_WRITE_NO_INVALIDATE,
	INJ_UW_NULL_PREPARE, INJ_ABANDON_DOUBLE_UNLOCK,
	INJ_FREE_WITH_WORK_QUEUED, INJ_ALL_QUEUED_RACE, INJ_EARLY_UNLOCK_EOF,
	INJ_BAD_DONATION, INJ_CACHE_WITHDRAW_UNDER_ACCESS, INJ_VOLUME_USE_LEAK,
	INJ__NR
};
bool inj(const struct nft_engine *e, enum inject_id id);
/* Is @r the request the armed injection targets? */
bool inj_target(const struct nft_engine *e, const struct req *r, enum inject_id id);
void inject_setup(struct nft_engine *e);
void truth(struct nft_engine *e, const char *kind, const struct req *r, int subreq);
void truth_obj(struct nft_engine *e, const char *kind, const char *object);

/* fscache.c: the cookie, its volume and cache object (when cached) */
void fc_setup(struct nft_engine *e);
uint32_t fc_cookie_id(const struct nft_engine *e);
void fc_start(struct nft_engine *e);
void fc_begin_io(struct nft_engine *e, struct req *r);
void fc_end_io(struct nft_engine *e, struct req *r);
void fc_teardown(struct nft_engine *e);
void fc_inject_before(struct nft_engine *e);
void fc_inject_started(struct nft_engine *e, struct req *r);
void fc_free(struct nft_engine *e);
void em_other(struct nft_engine *e, enum nft_event_kind kind,
	      const struct nft_event *f, const char *body);

/* twins.c: hooks of the issue-10 injections (no-ops unless targeted) */
bool twin_all_queued_race(struct nft_engine *e, struct req *r, struct sreq *s);
void twin_late_work(struct nft_engine *e, struct req *r);
void twin_read_start(struct nft_engine *e, struct req *r);
bool twin_defer_zero(struct nft_engine *e, struct req *r);
void twin_unlock_eof(struct nft_engine *e, struct req *r);
uint64_t twin_slice_len(struct nft_engine *e, struct req *r, int source,
			uint64_t pos, uint64_t len);
bool twin_async_read(struct nft_engine *e, struct req *r);
uint64_t twin_zero_delay(struct nft_engine *e, struct req *r);
struct sreq *twin_donation_target(struct nft_engine *e, struct sreq *s);
bool twin_crashed(const struct req *r);

#endif /* NFT_ENGINE_INTERNAL_H */
