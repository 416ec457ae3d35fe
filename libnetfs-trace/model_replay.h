/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay a capture through the reference engine (engine/engine.h): each
 * request's inputs (origin, range, subrequest boundaries, each subrequest's
 * outcome) become a one-request scenario, the engine runs it, and the
 * kernel's per-object sequence of (event, symbol, source, printed ref) is
 * compared with the engine's.  docs/model-replay.md says what is compared,
 * what is deliberately not, and why.
 *
 * The replay owns an nft_model (it needs the model's request_end hook and
 * its kernel generation); feed events to nft_replay_event(), which records
 * them and passes them on to the model.  Memory is bounded by the requests
 * alive at once: a request's recorded events are dropped once it has been
 * compared.
 *
 * Conventions (libtracefs style): constructors return NULL and other calls
 * -1, with errno set.  Everything returned through a pointer is owned by the
 * replay unless said otherwise.
 */
#ifndef NFT_MODEL_REPLAY_H
#define NFT_MODEL_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "model.h"

enum nft_replay_verdict {
	NFT_REPLAY_MATCH,
	NFT_REPLAY_DEPART,
	NFT_REPLAY_NOT_MODELLED,
};

/*
 * The comparison's named exceptions (docs/model-replay.md): each one drops
 * or rewrites one specific thing the engine cannot know from the trace.
 * A result says which of them it needed (bit mask of 1 << enum value).
 */
#define NFT_REPLAY_IGNORES(X)                                                 \
	X(REQ_REF_ORDER, "request-ref-order")                                 \
	X(COLLECTOR_RUNS, "collector-runs")                                   \
	X(ZERO_POINT, "zero-point")                                           \
	X(TERM_PUT_RACE, "term-put-race")                                     \
	X(RA_REFS_WAIT, "ra-refs-wait")

enum nft_replay_ignore {
#define NFT_X(e, s) NFT_REPLAY_IGN_##e,
	NFT_REPLAY_IGNORES(NFT_X)
#undef NFT_X
	NFT_REPLAY_IGN__NR
};

/* "request-ref-order", ... ("?" if out of range). */
const char *nft_replay_ignore_name(int ign);

/* One request's outcome; valid only during the result callback. */
struct nft_replay_result {
	uint32_t rreq;
	uint16_t origin;		/* enum nft_origin, 0 if never printed */
	enum nft_replay_verdict verdict;
	/* DEPART: where the sequences first differ. */
	char object[24];		/* "R=000000e3" or "R=000000e3[2]" */
	uint32_t position;		/* 0-based step in that object's sequence */
	uint64_t line;			/* the kernel's line (its last one for the
					 * object when the kernel ran out first) */
	char kernel[80];		/* the kernel's step, "(end)" if none */
	char model[80];			/* the engine's step, "(end)" if none */
	/* NOT_MODELLED: why; MATCH/DEPART: the derived scenario's summary. */
	char why[96];
	unsigned int ignored;		/* ignores that changed the comparison */
	unsigned int features;		/* the engine's NFT_ENGINE_F_* it ran with */
	const char *scenario;		/* the scenario text run, or NULL */
};

struct nft_replay_stats {
	uint64_t requests, match, depart, not_modelled;
	uint64_t ignored[NFT_REPLAY_IGN__NR];	/* requests that needed each */
};

struct nft_replay_opts {
	/* The model's options; hooks are chained (the replay's run first). */
	struct nft_model_opts model;
	/* Called once per request, in the order requests are released. */
	void (*result)(void *ctx, const struct nft_replay_result *r);
	void *ctx;
	/* Ignore nothing: compare the raw sequences (the unit tests use it). */
	bool strict;
	uint64_t seed;			/* engine seed, 0 = a fixed default */
};

/* Returns NULL with errno (ENOMEM, or the model's). Free with nft_replay_free(). */
struct nft_replay *nft_replay_new(const struct nft_replay_opts *opts);
void nft_replay_free(struct nft_replay *rp);

/* The model the replay feeds; owned by the replay. */
struct nft_model *nft_replay_model(struct nft_replay *rp);

/* Feed one event (usable as struct nft_sink.event). Returns 0. */
int nft_replay_event(void *rp, const struct nft_event *ev);

/* End of input: finishes the model, which releases (and so compares) the
 * requests still alive.  Call once. */
void nft_replay_finish(struct nft_replay *rp);

const struct nft_replay_stats *nft_replay_stats(const struct nft_replay *rp);

#endif /* NFT_MODEL_REPLAY_H */
