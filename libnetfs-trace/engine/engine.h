/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference issue/collect engine: a discrete-event model of the
 * kernel's netfs issuer, collectors and retryers that writes traces with a
 * known ground truth.
 *
 * Conventions (libtracefs style): constructors return NULL, other calls -1,
 * with errno set on failure.  Every object is freed by its own *_free();
 * nothing the engine is given (FILEs, sinks, scenarios) is taken over.
 */
#ifndef NFT_ENGINE_H
#define NFT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../event.h"

/* Kernel generation whose trace text and ref protocol are modelled. */
enum nft_engine_dialect {
	NFT_ENGINE_6_12,	/* NEW r=1, GET WORK/PUT WORK, no collect work for reads */
	NFT_ENGINE_7_2,		/* NEW r=2, IN_PROGRESS owns a ref, PUT WORK IP */
};

/*
 * Behaviours that changed inside the 7.2 dialect's generation (6.16 on)
 * without a new trace vocabulary.  The 7.2 dialect does what 7.2 does
 * unless a run names its own set (NFT_ENGINE_F_EXPLICIT); the model replay
 * picks them from markers in the capture (docs/model-replay.md).  The 6.12
 * dialect ignores them.
 */
#define NFT_ENGINE_F_RA_REFS	 (1u << 0) /* readahead drops its folio refs in
					    * bulk after the first slice (RA-PUT) */
#define NFT_ENGINE_F_SEQ_DIO_WRITE (1u << 1) /* DIO/unbuffered writes go out one
					      * subrequest at a time (WAIT-QUIESCE) */
#define NFT_ENGINE_F_DIO_READ_ADD (1u << 2) /* DIO/unbuffered read slices are
					     * traced ADD when queued */
#define NFT_ENGINE_F_READ_ERR_RETRY (1u << 3) /* a server read error the fs
					       * marked NEED_RETRY is retried */
#define NFT_ENGINE_F_EXPLICIT	 (1u << 31) /* the bits given are the set */

/* What @d does when a run names no features. */
unsigned int nft_engine_default_features(enum nft_engine_dialect d);

struct nft_scenario;

/*
 * Parse a scenario file (docs/scenario.md).  On a syntax error returns NULL
 * with errno = EINVAL and "file:line: message" in @err.  Free with
 * nft_scenario_free().
 */
struct nft_scenario *nft_scenario_load(const char *path, char *err, size_t errlen);

/* Same from a string; @name is used in messages. */
struct nft_scenario *nft_scenario_parse(const char *text, const char *name,
					char *err, size_t errlen);

/* The built-in scenario: one op of every origin, all clean. */
struct nft_scenario *nft_scenario_default(void);

/*
 * A random scenario for property testing, as scenario-file text in @buf:
 * server, sizes, rsize/wsize/credit limits, latencies, short reads, faults,
 * cache, concurrency and dialect all drawn from @seed.  Returns the length
 * it needed (like snprintf).  Parse it with nft_scenario_parse().
 */
int nft_scenario_random(uint64_t seed, char *buf, size_t len);

/* The scenario's "dialect" key, -1 if it has none. */
int nft_scenario_dialect(const struct nft_scenario *sc);

void nft_scenario_free(struct nft_scenario *sc);

/* Bug switches; see nft_inject_*(). */
int nft_inject_count(void);
const char *nft_inject_name(int i);
const char *nft_inject_desc(int i);
/*
 * Does injection @i reproduce a bug of dialect @d's generation?  If not,
 * *@why (when given) says why not.
 */
bool nft_inject_applies(int i, enum nft_engine_dialect d, const char **why);
/* Index of @name, -1 with errno = ENOENT if unknown. */
int nft_inject_lookup(const char *name);

/*
 * Text layouts (netfs-sim --form): the tracefs "trace" file, or what a bug
 * report pastes of it: "comm-pid: event: fields", "comm: event: fields",
 * bare "event: fields".  Any of them may also be wrapped by a mail client
 * (nft_engine_opts.wrap): see emit.c reform().
 */
enum nft_engine_form {
	NFT_FORM_TRACE,		/* "  comm-pid  [cpu] irqs  secs.usecs: event: ..." */
	NFT_FORM_COMM,		/* "comm-pid: event: ..." */
	NFT_FORM_TASK,		/* "comm: event: ..." */
	NFT_FORM_BARE,		/* "event: ..." */
};

/*
 * "trace", "comm", "task", "bare", "wrapped" (= trace, wrapped) and
 * "comm-wrapped", "task-wrapped", "bare-wrapped" -> @form and @wrap (the
 * wrap column, 0 = none); -1 with errno = EINVAL otherwise.
 */
int nft_engine_form_lookup(const char *name, int *form, unsigned int *wrap);

struct nft_engine_opts {
	uint64_t seed;
	enum nft_engine_dialect dialect;
	int inject;		/* -1 = none */
	unsigned int features;	/* NFT_ENGINE_F_*, 0 = the dialect's default */
	uint64_t max_events;	/* 0 = the scenario's "events" (0 = one pass) */
	FILE *text;		/* tracefs text output, may be NULL */
	const struct nft_sink *sink;	/* events, may be NULL */
	FILE *truth;		/* ground truth JSON lines, may be NULL */
	int form;		/* enum nft_engine_form of the text */
	unsigned int wrap;	/* wrap text lines at this column, 0 = never */
};

struct nft_engine_stats {
	uint64_t events;	/* trace events written */
	uint64_t requests;	/* requests created */
	uint64_t subreqs;
	uint64_t retries;
	uint64_t findings;	/* ground-truth lines */
	uint64_t peak_live;	/* most requests alive at once */
	uint64_t virtual_ns;	/* simulated time covered */
};

/*
 * Build an engine for @sc (which must outlive it).  Returns NULL with errno
 * on failure.  Run it once with nft_engine_run().
 */
struct nft_engine *nft_engine_new(const struct nft_scenario *sc,
				  const struct nft_engine_opts *opts);

/*
 * Simulate until the workload is done or max_events were written.  Returns
 * 0, the sink's non-zero value if it stopped the run, or -1 with errno on an
 * output error.
 */
int nft_engine_run(struct nft_engine *e);

void nft_engine_get_stats(const struct nft_engine *e, struct nft_engine_stats *st);

void nft_engine_free(struct nft_engine *e);

/* "6.12" / "7.2" -> dialect; -1 with errno = EINVAL otherwise. */
int nft_engine_dialect_lookup(const char *name);

#endif /* NFT_ENGINE_H */
