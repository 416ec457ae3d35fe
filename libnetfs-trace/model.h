/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model: rebuilds netfs requests, subrequests, ref ledgers, fscache
 * cookies/volumes and cachefiles objects from a stream of struct nft_event,
 * and runs the detectors on every transition.  It never prints.
 *
 * Memory is bounded by the objects alive at once: a request is released
 * (after the detectors have seen it) once it is freed and its subrequests
 * are gone; what remains of it is a tombstone in a bounded table so that a
 * later event on the dead id is recognised as a use-after-free.  Objects
 * that never end (a leaking kernel, garbage ids) are bounded too:
 * opts.max_objects live requests, subrequests and fscache objects at most,
 * the least recently active evicted beyond it (nft_summary.evicted_*).
 */
#ifndef NFT_MODEL_H
#define NFT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "findings.h"
#include "vocab.h"

/* Kernel generations whose flag bits / ref protocol differ. */
enum nft_gen {
	NFT_GEN_AUTO = 0,
	NFT_GEN_6_1,	/* <= 6.9: six netfs events, NEW at r=1 */
	NFT_GEN_6_12,	/* 6.10 - 6.13: write path, donations, GET WORK */
	NFT_GEN_6_14,	/* 6.14 - 6.15: stream read collector, work refs */
	NFT_GEN_7,	/* >= 6.16: IN_PROGRESS owns a ref, NEW at r=2 */
	NFT_GEN__NR
};

const char *nft_gen_name(enum nft_gen gen);
/* "6.1", "6.12", "7.2", "6.16" ... -> generation; AUTO if unparsable or older than 5.13 (no netfs tracepoints). */
enum nft_gen nft_gen_from_version(const char *version);

/* One get/put/see of an object's ref count, as the kernel printed it. */
struct nft_ref_entry {
	uint64_t pos;
	uint64_t ts_ns;
	uint16_t cls;		/* enum nft_sym_class of @what */
	uint16_t what;
	int8_t op;		/* enum nft_ref_op */
	int32_t printed;	/* the r=/u= the kernel printed */
	int32_t expected;	/* what our ledger expected, INT32_MIN if no base */
};

/*
 * A ref ledger (refs.c).  Ref traces of one object from different CPUs can
 * reach the buffer in another order than their atomic operations, however
 * far apart (a CPU held up between its atomic and its trace line), so the
 * ledger judges the multiset of printed counts, not their order: a get
 * that printed v moved the count v-1 -> v, a put v+1 -> v, and the entries
 * are explained when some order chains them all from the birth count.
 * What that needs is kept per cut between two count values that an entry
 * crossed (@cut, sorted), so memory follows the entries, not the counts,
 * and the judgement stays exact after the history (@v, for the -R view)
 * reached its cap.
 */
/* Higher counts are no count at all (garbage, or an underflow printed %u). */
#define NFT_LEDGER_VMAX (1 << 24)

struct nft_ledger_cut {
	int32_t k;		/* the cut between counts k and k+1 */
	int32_t net;		/* gets printing k+1 minus puts printing k */
	uint32_t cross;		/* gets printing k+1 plus puts printing k */
};

struct nft_ledger {
	struct nft_ref_entry *v;
	uint32_t n, cap;
	uint32_t dropped;	/* entries not kept (ledger cap reached) */
	int64_t count;		/* current count, valid when @known */
	bool known;		/* we have a base (a NEW, or a printed count) */
	bool born;		/* we saw the object's NEW */
	bool explained;		/* some order chains every entry */
	bool judged;		/* a mismatch was reported: no second one */
	bool wild;		/* a count no chain can hold (> NFT_LEDGER_VMAX) */
	int32_t base;		/* the NEW's count, when @born */
	int32_t last;		/* the last count printed, in trace order */
	int32_t lo, hi;		/* counts touched by an entry */
	uint32_t n_entries;	/* entries seen, kept or not */
	struct nft_ledger_cut *cut;	/* the cuts crossed, by k */
	uint32_t ncut, capcut;
};

enum nft_sreq_state {
	NFT_SS_SEEN,		/* first sighting (ADD/PREP/NEW ref) */
	NFT_SS_IN_FLIGHT,	/* submitted / reissued, not terminated */
	NFT_SS_TERMINATED,	/* TERM seen, not yet collected */
	NFT_SS_COLLECTED,	/* consumed / abandoned / cancelled */
	NFT_SS_FREED,
};

#define NFT_SREQ_CYCLES 8

struct nft_subreq {
	int32_t index;
	int8_t stream;
	uint16_t source;	/* enum nft_source, last printed */
	enum nft_sreq_state state;
	uint64_t start, len, transferred;
	int32_t error;
	uint32_t flags;
	uint32_t reissues;	/* RETRY / GET RESUBMIT cycles */
	uint32_t stalled_reissues;	/* reissues in a row with no progress */
	uint64_t progress_mark;	/* start+transferred at the last reissue */
	bool need_retry;	/* terminated short/with error, retry pending */
	/*
	 * Not yet terminated when its request's IN_PROGRESS cleared: no
	 * collector will run for it again (fs/netfs/read_collect.c).
	 */
	bool orphan;
	uint32_t terms, term_puts;	/* TERM lines, PUT TERM refs */
	uint64_t t_collect_put, pos_collect_put;	/* the collector's PUT DONE/CONSUME/CLEAR */
	bool over_read;		/* already reported */
	bool reported_uaf;
	uint32_t fail_idx;	/* its failure finding + 1, 0 = none */
	uint64_t done_lo, done_hi;	/* bytes done at the last termination */
	uint64_t t_first, t_submit, t_term, t_free, t_last;
	uint64_t pos_first, pos_submit, pos_term, pos_free, pos_last;
	/*
	 * Issue cycles: the first submission, then one per reissue, each up
	 * to its termination (0 while in flight).  The first NFT_SREQ_CYCLES
	 * are kept, for the -R time line; nr_cycles counts them all.
	 */
	struct nft_sreq_cycle {
		uint64_t t_issue, t_term, pos_issue, pos_term;
	} cycle[NFT_SREQ_CYCLES];
	uint32_t nr_cycles;
	struct nft_ledger refs;
};

enum nft_req_state {
	NFT_REQ_ACTIVE,
	NFT_REQ_COMPLETED,	/* DONE / WR-DONE / WAKE-IP seen */
	NFT_REQ_FREED,
};

struct nft_request {
	uint32_t id;
	uint16_t origin;	/* enum nft_origin, 0 until a netfs_rreq line */
	uint16_t op;		/* READ_TRACE / WRITE_TRACE symbol of netfs_read/write */
	bool is_write;		/* created by netfs_write, or a write origin */
	enum nft_req_state state;
	uint32_t cookie;	/* c= of netfs_read/netfs_write, 0 = no cache */
	uint32_t object;	/* cachefiles o= joined through the cookie */
	bool cookie_seen;	/* a netfs_read/netfs_write line said c= */
	uint64_t ino;
	uint64_t start, len, i_size;
	bool range_known;
	uint32_t flags;		/* last printed f= */
	uint64_t collected_to;
	/*
	 * IN_PROGRESS: seen set in an f=, and when it cleared (COMPLET, DONE,
	 * WAKE-IP, or an f= without it after one with it).
	 */
	bool ip_seen, ip_cleared;
	uint16_t ip_clear_what;		/* RREQ_TRACE symbol of that line */
	uint64_t t_ip_clear, pos_ip_clear;
	uint64_t t_new, t_done, t_free, t_last;
	uint64_t pos_new, pos_done, pos_free, pos_last;
	struct nft_ledger refs;

	struct nft_subreq **sreqs;	/* by debug index; NULL holes */
	uint32_t nr_sreq_slots;
	uint32_t nr_sreqs;		/* ever seen */
	uint32_t nr_alive;		/* seen and not freed */
	uint32_t retries;
	uint32_t failures;
	uint64_t bytes;			/* transferred by server/cache subreqs */
	bool waiting;			/* WAIT-IP without DONE-IP yet */
	uint64_t t_wait, pos_wait;
	bool uncertain;		/* lost events while it was alive */
	bool reported_stuck, reported_leak, reported_uaf;
	bool bad_context;	/* collection seen in hardirq context */
	bool over_read_reported;
	uint32_t fail_idx;	/* its failure finding + 1, 0 = none */
	uint32_t reuse;		/* how many earlier objects had this id */
	bool evicted;		/* released by the object bound, not freed */
};

enum nft_fsobj_type {
	NFT_FSOBJ_COOKIE,
	NFT_FSOBJ_VOLUME,
	NFT_FSOBJ_CACHE,
	NFT_FSOBJ_CF_OBJECT,
	NFT_FSOBJ__NR
};

/* An fscache cookie / volume / cache or a cachefiles object. */
struct nft_fsobj {
	enum nft_fsobj_type type;
	uint32_t id;
	uint32_t link;		/* cookie: its volume; object: its cookie */
	uint32_t object;	/* cookie: its cachefiles object, if seen */
	bool freed;		/* count reached 0 on a put */
	bool relinquished;
	uint64_t t_first, t_last, pos_first, pos_last;
	struct nft_ledger refs;
	bool uncertain;
	uint32_t fail_idx;	/* its failure finding + 1, 0 = none */
	/*
	 * Cookie: fscache I/O accesses begun (BEGIN io_*) and not ended
	 * (END io, END io_notl), never more than the last printed a=
	 * (n_accesses, -1 unknown), and the line of the last BEGIN io_*.
	 */
	int32_t io_open;
	int32_t accesses;
	uint64_t pos_io_begin, t_io_begin;
	uint64_t pos_relinquish;	/* relinquish line, 0 = none */
	uint64_t pos_collide;	/* a *COLLIDE* naming it, 0 = none */
	bool reported;		/* fscache-lifecycle said its piece */
};

/*
 * A cookie of the fscache before 5.17 (fs/fscache/cookie.c of 4.17-5.16),
 * whose traces print a pointer (hashed by %p) instead of a debug id.  Its
 * refs are not analysed: the events are counted and its lines kept.
 */
#define NFT_OLD_COOKIE_LINES 256

struct nft_old_cookie {
	uint64_t id;		/* c= as printed */
	uint64_t parent;	/* p=, 0 unknown */
	uint64_t events;
	uint64_t pos_first, pos_last, t_first, t_last;
	int32_t usage;		/* last u= printed, -1 unknown */
	bool acquired, relinquished;
	uint64_t pos_collision;	/* *COLLISION* naming it, 0 = none */
	uint32_t n_pos;		/* first NFT_OLD_COOKIE_LINES line positions */
	uint64_t *pos;
};

struct nft_summary;

/* Notes the report prints once (nft_summary.notes): not findings. */
enum nft_note {
	NFT_NOTE_OLD_FSCACHE = 1u << 0,
	/* the object bound was reached: objects were evicted */
	NFT_NOTE_EVICTED = 1u << 1,
	/* findings past the per-kind cap were counted, not kept */
	NFT_NOTE_FINDINGS_CAPPED = 1u << 2,
	/* every request's netfs_read/netfs_write said c=00000000 */
	NFT_NOTE_NO_COOKIE = 1u << 3,
	/* every coherency check of a cache file said BAD, none read */
	NFT_NOTE_COHERENCY_BAD = 1u << 4,
};

/* The text of one NFT_NOTE_* bit, "" if unknown. */
const char *nft_note_text(unsigned int note);
/*
 * The same with the numbers of @s ("object bound of 1000 reached: 4 requests
 * evicted ..."), into @buf; returns @buf.
 */
const char *nft_note_fmt(const struct nft_summary *s, unsigned int note,
			 char *buf, size_t sz);

struct nft_summary {
	uint64_t lines;		/* filled by the caller (decoder stats) */
	uint64_t events;	/* netfs/fscache/cachefiles events seen */
	uint64_t other_events;
	uint64_t lost_markers;
	uint64_t lost_events;	/* 0 with markers means "unknown number" */
	uint64_t ts_first, ts_last;
	uint64_t requests;
	uint64_t requests_by_origin[NFT_ORIGIN__NR];
	uint64_t read_ops[NFT_RD__NR];		/* netfs_read lines by trace */
	uint64_t write_ops[NFT_WR__NR];		/* netfs_write lines by trace */
	uint64_t write_iters;
	uint64_t subreqs;
	uint64_t subreqs_by_source[NFT_SRC__NR];
	uint64_t subreq_failed_by_source[NFT_SRC__NR];
	uint64_t bytes_read;	/* transferred by read subrequests */
	uint64_t bytes_written;	/* transferred by upload subrequests */
	uint64_t bytes_cache_read;
	uint64_t bytes_cache_written;
	uint64_t bytes_zero;	/* of bytes_read: ZERO subrequests (no I/O) */
	uint64_t retries;
	uint64_t failures;	/* netfs_failure + cachefiles errors */
	uint64_t cookies, cache_objects;
	/* requests whose netfs_read/netfs_write said c=, and said one != 0 */
	uint64_t reqs_cookie_said, reqs_cookie;
	/* cachefiles_coherency checks of cache files (OK, BAD ...), BAD */
	uint64_t coherency_checks, coherency_bad;
	uint64_t in_flight_at_end;	/* requests */
	uint64_t reused_ids;
	uint64_t unknown_symbols;	/* distinct (past 4096 kept: every further occurrence) */
	enum nft_gen gen;
	uint32_t notes;		/* enum nft_note bits */
	uint64_t old_fscache_events;	/* pre-5.17 fscache lines */
	/*
	 * The object bound (opts.max_objects, or the default from the
	 * machine's memory) and what reaching it cost: objects are live
	 * requests, their subrequests, fscache/cachefiles objects and
	 * pre-5.17 cookies.
	 */
	uint64_t max_objects;
	uint64_t live_objects, peak_objects;
	uint64_t evicted_requests;	/* least recently active first */
	uint64_t evicted_open;		/* ... of them never completed */
	uint64_t evicted_subreqs;
	uint64_t evicted_fsobjs;	/* fscache/cachefiles objects, old cookies */
	uint64_t evicted_lines;		/* later lines of evicted objects, ignored */
	uint32_t findings_per_kind;	/* findings kept of each kind */
	uint64_t findings_not_kept;	/* past that cap: counted only */
};

/* A request alive at the end of the input, and what it waits for. */
#define NFT_IN_FLIGHT_MAX 1000
struct nft_in_flight {
	uint32_t rreq;
	char object[NFT_OBJECT_LEN];
	char waiting[200];	/* "[2] TERM, collection of [3], PUT RETURN" */
};

struct nft_unknown {
	uint8_t cls;
	char text[48];
	uint64_t count;
	uint64_t first_pos;
};

struct nft_model;

/* Callbacks for incremental users (netfs-top); all optional. */
struct nft_model_hooks {
	void (*finding)(void *ctx, const struct nft_finding *f);
	/*
	 * Every event, after the model and the detectors took it (@req/@sreq
	 * the request and subrequest it is about, NULL if none: fscache,
	 * cachefiles, lost-event markers, other systems' events).  A request
	 * freed by this event is still valid here; request_end follows.
	 */
	void (*event)(void *ctx, const struct nft_event *ev,
		      const struct nft_request *req,
		      const struct nft_subreq *sreq);
	/* A request is about to be released (freed, or at finish). */
	void (*request_end)(void *ctx, const struct nft_request *req);
	/* An unknown symbol was seen for the first time. */
	void (*unknown)(void *ctx, const struct nft_unknown *u);
	/* An NFT_NOTE_* bit was set for the first time (said once). */
	void (*note)(void *ctx, unsigned int note,
		     const struct nft_summary *s);
	void *ctx;
};

/* The one object whose whole history is kept (-R). */
enum nft_focus_type {
	NFT_FOCUS_NONE = 0,
	NFT_FOCUS_REQUEST,	/* R=ID, or a bare ID */
	NFT_FOCUS_SUBREQ,	/* R=ID[n] */
	NFT_FOCUS_COOKIE,	/* c=ID */
	NFT_FOCUS_VOLUME,	/* V=ID */
	NFT_FOCUS_CF_OBJECT,	/* o=ID */
	NFT_FOCUS_CACHE,	/* C=ID */
	NFT_FOCUS_OLD_COOKIE,	/* c=ID of more than 8 digits: fscache < 5.17 */
};

struct nft_focus {
	enum nft_focus_type type;
	uint32_t id;
	int32_t index;		/* NFT_FOCUS_SUBREQ: the subrequest */
	uint64_t id64;		/* NFT_FOCUS_OLD_COOKIE: the pointer id */
};

/*
 * "R=3f1", "3f1", "R=3f1[2]", "c=2a", "V=1", "o=5", "C=1" (hex, as the
 * kernel prints them; "c=0000000046a8b5b3", more than 8 digits, is a
 * cookie of the fscache before 5.17, named by a hashed pointer) -> @f.  Returns 0, or -1 if @s is none of these.
 */
int nft_focus_parse(const char *s, struct nft_focus *f);
/* "R=000003f1[2]", "c=0000002a" ... into @buf (NFT_OBJECT_LEN). */
void nft_focus_name(const struct nft_focus *f, char *buf);
/* "request", "subrequest", "cookie", "volume", "object", "cache". */
const char *nft_focus_kind(enum nft_focus_type type);

struct nft_model_opts {
	uint64_t stuck_after_ns;	/* 0 = default (5 s) */
	uint32_t retry_limit;		/* 0 = default (4) */
	enum nft_gen gen;		/* AUTO = decide from the capture */
	struct nft_focus focus;		/* keep the full history of this object */
	/*
	 * Live objects (requests, subrequests, fscache/cachefiles objects)
	 * kept at most; 0 = nft_default_max_objects().
	 */
	uint64_t max_objects;
	struct nft_model_hooks hooks;
};

/*
 * The default object bound: an eighth of the machine's memory (or of a
 * lower cgroup memory.max or RLIMIT_AS) at about 1 KiB an object, at least
 * NFT_MAX_OBJECTS_MIN, at most
 * NFT_MAX_OBJECTS_CAP.
 */
#define NFT_MAX_OBJECTS_MIN (256u * 1024)
#define NFT_MAX_OBJECTS_CAP (16u * 1024 * 1024)
uint64_t nft_default_max_objects(void);

/* Returns NULL with errno=ENOMEM. Free with nft_model_free(). */
struct nft_model *nft_model_new(const struct nft_model_opts *opts);
void nft_model_free(struct nft_model *m);

/* Feed one event; usable directly as struct nft_sink.event. Returns 0. */
int nft_model_event(void *model, const struct nft_event *ev);

/* End of input: run the end-of-stream checks. Call once. */
void nft_model_finish(struct nft_model *m);

const struct nft_summary *nft_model_summary(const struct nft_model *m);
struct nft_summary *nft_model_summary_mut(struct nft_model *m);

/* Findings so far, in the order found. The array is owned by the model. */
const struct nft_finding *nft_model_findings(const struct nft_model *m,
					     size_t *n);

/*
 * Requests alive at the end that no finding covers (the first
 * NFT_IN_FLIGHT_MAX; summary.in_flight_at_end counts them all), after
 * nft_model_finish().  Owned by the model.
 */
const struct nft_in_flight *nft_model_in_flight(const struct nft_model *m,
						size_t *n);

/* Unknown symbols so far. Owned by the model. */
const struct nft_unknown *nft_model_unknowns(const struct nft_model *m,
					     size_t *n);

/* Visit live requests (oldest first). Stop when @fn returns non-zero. */
int nft_model_for_each_request(const struct nft_model *m,
			       int (*fn)(void *ctx,
					 const struct nft_request *req),
			       void *ctx);

/*
 * The origin a request is counted under in requests_by_origin: its printed
 * origin, else the one its netfs_read/netfs_write trace implies (0 unknown).
 */
int nft_request_origin(const struct nft_request *req);

/* A live request by id, or NULL. */
const struct nft_request *nft_model_request(const struct nft_model *m,
					    uint32_t id);

/* A live fscache/cachefiles object, or NULL. */
const struct nft_fsobj *nft_model_fsobj(const struct nft_model *m,
					enum nft_fsobj_type type, uint32_t id);

/* A pre-5.17 fscache cookie by its printed id, or NULL. */
const struct nft_old_cookie *nft_model_old_cookie(const struct nft_model *m,
						  uint64_t id);
/* Visit the pre-5.17 cookies seen. Stop when @fn returns non-zero. */
int nft_model_for_each_old_cookie(const struct nft_model *m,
				  int (*fn)(void *ctx,
					    const struct nft_old_cookie *c),
				  void *ctx);

/*
 * The focused request (opts.focus of type REQUEST or SUBREQ): its last
 * incarnation, kept after release.  NULL if never seen (or another kind of
 * object is focused).
 */
const struct nft_request *nft_model_focus(const struct nft_model *m);
/* What is focused (type NONE: nothing). */
struct nft_focus nft_model_focus_of(const struct nft_model *m);
/*
 * The focused subrequest's collection (its first CONSM/ABNDN/DISCD/CANCL/
 * SUPFL line): true and its line and time, false if none was seen.
 */
bool nft_model_focus_collected(const struct nft_model *m, uint64_t *pos,
			       uint64_t *ts);

/*
 * Every raw line that mentioned the focused object, in input order: for a
 * request also the netfs_folio lines of its inode and range while it was
 * alive; for a subrequest only its own lines; for a cookie also the lines
 * of its cachefiles objects.  @dropped: lines past the cap, not kept.
 */
struct nft_history_line {
	uint64_t pos;
	uint64_t ts_ns;
	char *text;
};
const struct nft_history_line *nft_model_focus_lines(const struct nft_model *m,
						     size_t *n);
uint64_t nft_model_focus_lines_dropped(const struct nft_model *m);

/*
 * A focused fscache/cachefiles object's history.  Accesses are the
 * fscache_access (cookie) or fscache_access_volume (volume) BEGIN/END
 * pairs; they carry no identity, so an END closes the oldest open BEGIN
 * of its kind (lookup, io, inval, acq_vol, rlq_vol; END unlive closes the
 * access a cookie holds while live, which has no BEGIN line).
 */
struct nft_focus_access {
	uint16_t begin;		/* FSC_ACCESS symbol; 0: no BEGIN seen */
	uint16_t end;		/* 0 while open */
	int32_t a_begin, a_end;	/* the a= (n_accesses) printed */
	uint64_t pos_begin, ts_begin, pos_end, ts_end;
};

/* An object that used the focused one (or that it used), and where first. */
struct nft_focus_link {
	uint32_t id;
	uint16_t what;		/* netfs_read/netfs_write trace symbol */
	bool is_write;		/* ... of a netfs_write line */
	bool copy;		/* a netfs_copy2cache line (CR=) */
	uint64_t pos, ts;
};

struct nft_focus_trunc {
	uint16_t what;		/* CF_TRUNC symbol */
	uint64_t from, to, pos, ts;
};

struct nft_focus_fs {
	/* the object's last incarnation; NULL if it was never seen */
	const struct nft_fsobj *obj;
	bool seen;		/* some line named it */
	uint64_t pos_first, pos_last, ts_first, ts_last;
	/* cookie: its volume (from acquire / access_volume / relinquish) */
	uint32_t volume;
	/* object: its cookie (cachefiles_ref c=) */
	uint32_t cookie;
	/* cookie: the requests that used it; volume: its cookies */
	const struct nft_focus_link *users;
	size_t n_users;
	/* cookie: its cachefiles objects */
	const struct nft_focus_link *objects;
	size_t n_objects;
	const struct nft_focus_access *accesses;
	size_t n_accesses;
	/* object: backing inode (B=), reads, writes, truncations */
	uint64_t backer;
	bool backer_known;
	uint64_t reads, read_bytes, writes, write_bytes;
	const struct nft_focus_trunc *truncs;
	size_t n_truncs;
	uint64_t dropped;	/* users/accesses/truncs past the caps */
};

/* NULL unless an fscache/cachefiles object is focused. */
const struct nft_focus_fs *nft_model_focus_fs(const struct nft_model *m);

/*
 * Decode request flags @f for generation @gen into "IN_PROGRESS|..." (the
 * generation's table in gen.c; bits it does not define print as 0x...).
 */
size_t nft_rreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz);
size_t nft_sreq_flags_str(enum nft_gen gen, uint32_t f, char *buf, size_t sz);

#endif /* NFT_MODEL_H */
