/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capture pipeline, once for every command: open an input (a file or
 * standard input; plain, xz, gzip or zstd; trace.dat or ftrace text of any
 * form, decoders/input.c sniffs which), decode it into the model (or a sink
 * the caller gives), and say what came of it.
 *
 *	struct nft_pipeline_opts o = { .input = path, .report = ..., };
 *	struct nft_pipeline_result r;
 *
 *	nft_pipeline_run(&o, &r);
 *	switch (r.status) { ... r.model, r.input, r.hint, r.msgs ... }
 *	nft_pipeline_result_free(&r);
 *
 * The library prints nothing: the input's messages go to the caller's
 * @report as they come (and the first ones are kept in the result, e.g.
 * for a refused input's JSON document); why an input was refused is a
 * hint, an enum with a text (nft_pipeline_hint_text()) the command prints
 * or words its own way.
 */
#ifndef NFT_PIPELINE_H
#define NFT_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "../decoders/decoder.h"
#include "model.h"
#include "report/report.h"

enum nft_pipeline_status {
	NFT_PIPELINE_OK,		/* decoded (the pipeline's model finished) */
	NFT_PIPELINE_REFUSED,		/* nothing to analyse: .hint says why */
	NFT_PIPELINE_OPEN_FAILED,	/* .error: errno of nft_input_open() */
	NFT_PIPELINE_NO_MEMORY,		/* the model could not be made */
	NFT_PIPELINE_READ_FAILED,	/* the decoder gave up: .error (errno);
					 * its own messages, if any, went to
					 * the diag (.diag.errors) */
};

/* Why an input was refused; the order is the table's. */
enum nft_pipeline_hint {
	NFT_HINT_NONE,
	NFT_HINT_EMPTY,			/* zero bytes */
	NFT_HINT_EMPTY_DAMAGED,		/* compressed, damaged before any byte */
	NFT_HINT_PERF_DATA,		/* a perf.data, not its perf script text */
	NFT_HINT_BINARY,		/* neither text nor a trace.dat */
	NFT_HINT_TEXT_UNDECODABLE,	/* netfs lines, none of them parsed */
	NFT_HINT_NOT_TRACE,		/* text without a single trace event */
	NFT_HINT_NO_NETFS,		/* events of other systems only */
	NFT_HINT_NO_NETFS_DAMAGED,	/* ... in a damaged or cut capture */
	NFT_HINT__NR
};

/* The sentence for @h, as netfs-replay prints it ("" for NFT_HINT_NONE). */
const char *nft_pipeline_hint_text(enum nft_pipeline_hint h);

/* Its name for JSON and tests: "empty", "perf-data", "no-netfs", ... */
const char *nft_pipeline_hint_name(enum nft_pipeline_hint h);

typedef void nft_report_fn(void *ctx, enum nft_diag_level level,
			   const char *file, const char *where,
			   const char *msg);

struct nft_pipeline_opts {
	const char *input;		/* path; "-" = standard input */
	/* where every message of the input goes (NULL: counted, kept only) */
	nft_report_fn *report;
	void *report_ctx;
	uint64_t spool_max;		/* nft_input_set_spool_max(); 0 = default */
	const char *instance;		/* trace.dat: the buffer instance */
	bool want_raw;			/* keep each event's line (-R) */
	bool libtracecmd_only;		/* trace.dat via libtracecmd only (tests) */
	/*
	 * The pipeline makes its own model from @model_opts (NULL = the
	 * defaults) and finishes it, unless @sink.event is set: then events go
	 * to @sink, and @sink_model, if any, is the model behind it (its
	 * --kernel picks the text dialect, its summary gets the line count
	 * and tells whether any netfs event came); the caller finishes it.
	 * Without a model, a capture of other systems' events only is not
	 * refused (there is no one to ask).
	 */
	const struct nft_model_opts *model_opts;
	struct nft_sink sink;
	struct nft_model *sink_model;
};

/* The first messages of an input, kept for a refused input's report. */
#define NFT_PIPELINE_MSGS 20

struct nft_pipeline_msg {
	enum nft_diag_level level;	/* warning or error: notes are not kept */
	char where[32];
	char text[320];
};

struct nft_pipeline_result {
	enum nft_pipeline_status status;
	enum nft_pipeline_hint hint;	/* REFUSED: why */
	int error;			/* *_FAILED: errno */
	int kind;			/* enum nft_input_kind; -1 not known */
	struct nft_input *in;		/* open until nft_pipeline_result_free();
					 * NULL if it could not be opened */
	struct nft_model *model;	/* the pipeline's model, or NULL */
	/*
	 * The input's messages, counted (and capped per kind, see
	 * decoders/diag.c); report more through nft_pipeline_report() so they
	 * are counted and kept the same way.
	 */
	struct nft_diag diag;
	/*
	 * What is known of the input, for nft_report_text()/_json(): name,
	 * format ("text", "trace.dat"; NULL before it was known), compression,
	 * detail ("1234 lines", "81410 records, 2 cpus") and for a trace.dat
	 * records, cpus, instance and kernel release.  errors, warnings and
	 * suppressed are the diag's when the run ended (refresh them after
	 * more reports).  Strings owned by the result.
	 */
	struct nft_report_input input;
	uint64_t lines;			/* text: lines read */
	uint64_t events;		/* netfs/fscache/cachefiles events decoded */
	int n_msgs;
	struct nft_pipeline_msg msgs[NFT_PIPELINE_MSGS];
	/* private */
	nft_report_fn *fwd;
	void *fwd_ctx;
	char detail[96], instance[64], release[64];
};

/*
 * Run the pipeline on @o->input into @r (which needs no initialising and
 * must stay where it is until freed: the input reports through @r->diag).
 * Returns @r->status.
 */
int nft_pipeline_run(const struct nft_pipeline_opts *o,
		     struct nft_pipeline_result *r);

/*
 * Report one more message about the input (e.g. the refusal hint) through
 * @r's diag: counted, kept and passed to the caller's report function.
 */
void nft_pipeline_report(struct nft_pipeline_result *r,
			 enum nft_diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Close the input and free the pipeline's model. */
void nft_pipeline_result_free(struct nft_pipeline_result *r);

#endif /* NFT_PIPELINE_H */
