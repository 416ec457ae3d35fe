/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Outputs: the library builds them, cmd/ chooses which.  Every writer takes
 * the finished model and prints to a FILE it does not own.
 */
#ifndef NFT_REPORT_H
#define NFT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "../model.h"
#include "json_writer.h"

/* What the caller knows about the input (for the header / "input"). */
struct nft_report_input {
	const char *name;	/* file name as given, "<stdin>" */
	const char *format;	/* "text", "trace.dat" */
	const char *compression;
	const char *detail;	/* "dialect 6.12+", "instance foo", or NULL */
	unsigned long errors;	/* input errors reported (result untrusted) */
	unsigned long warnings;
	unsigned long suppressed;	/* messages beyond the per-kind cap */
	/* trace.dat only (dat == true): what the file says of itself */
	bool dat;
	unsigned long long records;
	int cpus;
	const char *instance;	/* "" = the top-level buffer */
	const char *release;	/* uname -r of the traced kernel, "" unknown */
};

struct nft_report_opts {
	unsigned int fail_mask;	/* kinds that make the exit status 1 */
	bool quiet;		/* findings only */
	bool one_line;		/* JSON: the document on one line (JSON Lines) */
	bool name_input;	/* text, quiet: still an "input: NAME" line */
};

/* Findings sorted most severe first (then by position). Caller frees. */
const struct nft_finding **nft_report_sorted(const struct nft_model *m,
					     size_t *n);

/* Human summary and findings. */
void nft_report_text(FILE *out, const struct nft_model *m,
		     const struct nft_report_input *in,
		     const struct nft_report_opts *opts);
/* Its summary alone: "key: value" lines, and the lines under some of them. */
void nft_report_text_summary(FILE *out, const struct nft_model *m,
			     const struct nft_report_input *in);

/* One JSON document (docs/json.md). */
void nft_report_json(FILE *out, const struct nft_model *m,
		     const struct nft_report_input *in,
		     const struct nft_report_opts *opts);

/*
 * One request's life (-R): header, subrequests per stream, a timeline
 * drawing, ref history and its raw lines.  @brief: only the lines, in the
 * compact form people paste.  @json: as a JSON document.  Returns 0, or -1
 * if the model never saw the request.
 */
int nft_report_request(FILE *out, const struct nft_model *m, bool brief,
		       bool json);

/*
 * The focused object's view (-R, opts.focus): a request as above, a
 * subrequest, an fscache cookie, volume or cache, or a cachefiles object.
 * Returns 0, or -1 if the capture never named it.
 */
int nft_report_focus(FILE *out, const struct nft_model *m, bool brief,
		     bool json);

/*
 * State words, the same in the text and the JSON: a request "in-progress",
 * "completed" (not freed), "freed"; a subrequest "seen", "in-flight",
 * "terminated", "collected", "freed"; an fscache/cachefiles object "live",
 * "relinquished", "freed" (NULL: "unknown", no line traced its count).
 */
const char *nft_req_state_name(enum nft_req_state s);
const char *nft_sreq_state_name(enum nft_sreq_state s);
const char *nft_fsobj_state_name(const struct nft_fsobj *o);

/* "12.345678" from a timestamp in ns (microseconds, truncated like ftrace). */
void nft_fmt_ts(char *buf, size_t sz, uint64_t ts_ns);

/*
 * The "summary" object (netfs-replay's; netfs-top's "total") and one
 * finding object, as docs/json.md describes them, as member @key of the
 * writer's current object (NULL: an array element).  @lines: one key group
 * per line (nft_jw_line(): the netfs-replay document).
 */
void nft_json_summary(struct nft_jw *jw, const char *key,
		      const struct nft_summary *s, bool lines);
void nft_json_finding(struct nft_jw *jw, const char *key,
		      const struct nft_finding *f);
/*
 * {"SYMBOL": count, ...} of the non-zero entries of a per-symbol table
 * (entry 0: "unknown"); with @div, count / div with @decimals (rates).
 */
void nft_json_counts(struct nft_jw *jw, const char *key,
		     enum nft_sym_class cls, const uint64_t *counts, int n,
		     double div, int decimals);

/*
 * The document of an input that was refused or could not be read: still
 * one document, with the reason in "messages", so a CI job always has JSON
 * to parse.  nft_report_json_lost(): the same, one line, for a capture
 * whose analysis died or could not be started (@why, one error message).
 */
struct nft_pipeline_result;
void nft_report_json_refused(FILE *out, const struct nft_pipeline_result *r,
			     bool one_line);
void nft_report_json_lost(FILE *out, const char *input, const char *why);

#endif /* NFT_REPORT_H */
