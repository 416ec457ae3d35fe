/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the model and its detectors share.  Not for cmd/ or tui/: they use
 * model.h.
 */
#ifndef NFT_MODEL_INTERNAL_H
#define NFT_MODEL_INTERNAL_H

#include "idmap.h"
#include "model.h"
#include "refs.h"

/* Tombstones of freed ids, so a late event is a use-after-free. */
#define NFT_DEAD_MAX 65536

struct nft_dead {
	uint64_t key;
	uint64_t pos_free, ts_free;
	bool reported;
	/* not freed: evicted by the object bound; its lines are ignored */
	bool evicted;
};

/* Live requests, least recently active first (for the stuck check). */
struct nft_req_node {
	struct nft_request req;
	struct nft_req_node *prev, *next;
	bool focus;
};

struct nft_model {
	struct nft_model_opts opts;
	struct nft_summary sum;

	struct nft_idmap reqs;		/* id -> struct nft_req_node */
	struct nft_req_node *lru_head, *lru_tail;
	struct nft_idmap fsobjs;	/* (type << 32 | id) -> nft_fsobj */
	struct nft_idmap old_cookies;	/* printed c= -> nft_old_cookie */
	struct nft_idmap dead;		/* key -> struct nft_dead */
	struct nft_dead *dead_ring;	/* FIFO of tombstones */
	size_t dead_next;

	struct nft_finding *findings;
	size_t n_findings, cap_findings;
	struct nft_unknown *unknowns;
	size_t n_unknowns, cap_unknowns;
	struct nft_in_flight *in_flight;
	size_t n_in_flight, cap_in_flight;

	/* The object bound: live objects, kept findings by kind. */
	uint64_t n_live;
	size_t fs_cursor, oc_cursor;	/* where eviction samples next */
	uint32_t kept_findings[NFT_FIND__NR];

	/* The focused object (-R): focus.c. */
	struct nft_focus_state *fst;

	uint64_t now;			/* latest timestamp seen */
	uint64_t pos;			/* position of the current event */
	uint64_t next_tick;
	bool lost_seen;			/* a lost-events marker went by */
	bool lost_to_end;		/* ... one that lost all that follows */
	uint64_t lost_pos;
	uint64_t lost_until;		/* the latest NFT_EV_LOST end */
	bool finished;
	bool gen_forced;
	unsigned int gen_cands;		/* generations the evidence allows (gen.c) */

	/* double-unlock: folios that active RW requests keep locked. */
	struct nft_kept_folio {
		uint64_t ino, index;
		uint32_t rreq;
		bool reported;
	} *kept;
	size_t n_kept, cap_kept;

	/*
	 * ref-mismatch: ledgers of freed objects whose entries no order
	 * explained yet, waiting for a line that comes late (a CPU held up
	 * between the atomic and its trace line); at most NFT_PARKED_MAX.
	 */
	struct nft_parked_ledger {
		uint32_t rreq;
		int32_t index;		/* subrequest, -1 for the request */
		uint64_t ts_free, pos_free;
		bool uncertain;
		char object[NFT_OBJECT_LEN];
		struct nft_ledger refs;
	} *parked;
	size_t n_parked, cap_parked;

	/* Detector state blocks (nft_detector.state_size), by detector. */
	void **dstate;

	/* Per-detector state that lives for the whole trace. */
	struct {
		uint64_t events, requests;
		uint64_t first_pos[4];
		int n_pos;
		uint32_t first_rreq;
		size_t finding;		/* index + 1 of its finding, 0 none */
	} bad_context;
};

/* Request keys in the tombstone table: type in the high bits. */
#define NFT_KEY_REQ(id) ((uint64_t)(id))
#define NFT_KEY_SREQ(id, idx) ((1ULL << 62) | ((uint64_t)(idx) << 32) | (id))
#define NFT_KEY_FSOBJ(type, id) ((2ULL << 62) | ((uint64_t)(type) << 32) | (id))

/*
 * Add a finding.  @evidence may be NULL/0; the message is printf-style.
 * Returns the finding (owned by the model, valid until the next report) so
 * that callers may append evidence with nft_finding_add_evidence().
 */
struct nft_finding *nft_report(struct nft_model *m, enum nft_finding_kind kind,
			       const struct nft_request *req,
			       const struct nft_subreq *sreq,
			       const char *object, bool uncertain,
			       const struct nft_evidence *evidence, size_t n,
			       const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

int nft_finding_add_evidence(struct nft_finding *f, uint64_t pos,
			     uint64_t ts_ns);

/* "R=000000e3" / "R=000000e3[1]" into @buf (NFT_OBJECT_LEN). */
void nft_req_object(const struct nft_request *req,
		    const struct nft_subreq *sreq, char *buf);

/* Printable errno name for a negative kernel error ("ENODATA"). */
const char *nft_errno_name(int err);

/*
 * What @req still waits for, as "[2] TERM, collection of [3], PUT RETURN"
 * (request and subrequest states and the ref holders of its ledger).
 */
void nft_request_waits(const struct nft_model *m, const struct nft_request *req,
		       char *buf, size_t sz);

/* Generation in force (forced, or guessed so far from the capture). */
enum nft_gen nft_model_gen(const struct nft_model *m);

/* ---- focus (-R), focus.c ---- */

int nft_focus_init(struct nft_model *m);
void nft_focus_release(struct nft_model *m);
/* Every event, before the model applies it. */
void nft_focus_event(struct nft_model *m, const struct nft_event *ev);
/* Is @id the focused request (or the request of the focused subrequest)? */
bool nft_focus_is_request(const struct nft_model *m, uint32_t id);
/* A focused request is released: keep it.  True if @req was taken over. */
bool nft_focus_request_end(struct nft_model *m, struct nft_request *req);
/* An fscache/cachefiles object is dropped: keep it if focused. */
void nft_focus_fsobj_end(struct nft_model *m, struct nft_fsobj *o);

/* ---- detectors, one per file in detect/ ---- */

/* Called for every event, after the model applied it. */
struct nft_detector {
	const char *name;
	/*
	 * State the detector keeps for the whole trace: @state_size zeroed
	 * bytes allocated with the model (nft_detector_state()), and
	 * @state_free to release what the detector hung off it.
	 */
	size_t state_size;
	void (*state_free)(void *state);
	void (*event)(struct nft_model *m, const struct nft_event *ev,
		      struct nft_request *req, struct nft_subreq *sreq);
	/*
	 * A ref entry was recorded; @verdict from nft_ledger_add().  @object
	 * is NULL for requests and subrequests (named from @req/@sreq only
	 * when needed: this runs for every ref trace).
	 */
	void (*ref)(struct nft_model *m, const char *object,
		    struct nft_ledger *l, enum nft_ledger_verdict verdict,
		    uint32_t bad, bool uncertain, struct nft_request *req,
		    struct nft_subreq *sreq);
	/* An event arrived for an object that is already dead. */
	void (*dead)(struct nft_model *m, const struct nft_event *ev,
		     struct nft_dead *dead, const char *object);
	/*
	 * A put line (r >= 1) of a request or subrequest already freed: the
	 * line is late, the put was not.
	 */
	void (*late_put)(struct nft_model *m, const struct nft_event *ev);
	/*
	 * Periodic (every TICK_NS of trace time, before the event that made
	 * it due), and at the end.
	 */
	void (*tick)(struct nft_model *m, bool at_end);
	/* A request is about to be dropped; @at_end: the input ended. */
	void (*release)(struct nft_model *m, struct nft_request *req,
			bool at_end);
	/* Periodic: @req has been quiet since req->t_last. */
	void (*quiet)(struct nft_model *m, struct nft_request *req,
		      bool at_end);
	void (*fsobj_end)(struct nft_model *m, struct nft_fsobj *o,
			  bool at_end);
	void (*finish)(struct nft_model *m);
};

extern const struct nft_detector nft_detect_use_after_free;
extern const struct nft_detector nft_detect_ref_mismatch;
extern const struct nft_detector nft_detect_ref_leak;
extern const struct nft_detector nft_detect_stuck;
extern const struct nft_detector nft_detect_over_read;
extern const struct nft_detector nft_detect_bad_rewind;
extern const struct nft_detector nft_detect_retry_storm;
extern const struct nft_detector nft_detect_failure;
extern const struct nft_detector nft_detect_bad_context;
extern const struct nft_detector nft_detect_double_unlock;
extern const struct nft_detector nft_detect_early_unlock;
extern const struct nft_detector nft_detect_bad_donation;
extern const struct nft_detector nft_detect_fscache_lifecycle;

/* fscache-lifecycle: the end-of-trace verdict on one fscache object, run
 * on every object while all are still in the model. */
void nft_fscache_lifecycle_end(struct nft_model *m, struct nft_fsobj *o);

/* ---- the object bound, model.c ---- */

/* Set note bit @note (and tell the hook, once). */
void nft_model_note(struct nft_model *m, unsigned int note);
/* An object was created / is gone (requests, subrequests, fs objects). */
void nft_model_live_add(struct nft_model *m, uint64_t n);
void nft_model_live_sub(struct nft_model *m, uint64_t n);
/*
 * Tombstone @key: freed (a later line is a use-after-free), or @evicted by
 * the object bound (later lines are counted in summary.evicted_lines and
 * ignored).
 */
void nft_model_tombstone(struct nft_model *m, uint64_t key, bool evicted);

/* The state block of detector @d (state_size bytes), NULL if it has none. */
void *nft_detector_state(struct nft_model *m, const struct nft_detector *d);

#endif /* NFT_MODEL_INTERNAL_H */
