// SPDX-License-Identifier: GPL-2.0
/*
 * The capture pipeline (pipeline.h): input -> decoder -> model, with the
 * refusals every command used to decide for itself.  It prints nothing:
 * messages go through the result's diag to the caller's report function,
 * refusals are hints.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "pipeline.h"

static const struct {
	const char *name;
	const char *text;
} hints[NFT_HINT__NR] = {
	[NFT_HINT_NONE] = { "none", "" },
	[NFT_HINT_EMPTY] = { "empty", "empty input" },
	[NFT_HINT_EMPTY_DAMAGED] = { "empty-damaged",
		"nothing could be decompressed before the damage (see above)" },
	[NFT_HINT_PERF_DATA] = { "perf-data",
		"this is a perf.data file; give netfs-replay its text: perf script -i FILE | netfs-replay - (or record with trace-cmd record -e netfs -e fscache -e cachefiles)" },
	[NFT_HINT_BINARY] = { "binary",
		"binary data that is neither ftrace text nor a trace.dat" },
	[NFT_HINT_TEXT_UNDECODABLE] = { "text-undecodable",
		"no netfs event line could be decoded (see the errors above)" },
	[NFT_HINT_NOT_TRACE] = { "not-trace",
		"no trace events found: not an ftrace text capture" },
	[NFT_HINT_NO_NETFS] = { "no-netfs",
		"no netfs, fscache or cachefiles events in this capture (record them with: trace-cmd record -e netfs -e fscache -e cachefiles)" },
	[NFT_HINT_NO_NETFS_DAMAGED] = { "no-netfs-damaged",
		"no netfs, fscache or cachefiles events could be read from this capture (see the errors above)" },
};

const char *nft_pipeline_hint_text(enum nft_pipeline_hint h)
{
	return (unsigned int)h < NFT_HINT__NR ? hints[h].text : "";
}

const char *nft_pipeline_hint_name(enum nft_pipeline_hint h)
{
	return (unsigned int)h < NFT_HINT__NR ? hints[h].name : "none";
}

/* Pass each message on to the caller, and keep the first ones. */
static void keep_msg(void *ctx, enum nft_diag_level level, const char *file,
		     const char *where, const char *msg)
{
	struct nft_pipeline_result *r = ctx;
	struct nft_pipeline_msg *m;

	if (r->fwd)
		r->fwd(r->fwd_ctx, level, file, where, msg);
	if (level == NFT_DIAG_NOTE || r->n_msgs >= NFT_PIPELINE_MSGS)
		return;
	m = &r->msgs[r->n_msgs++];
	m->level = level;
	snprintf(m->where, sizeof(m->where), "%s", where ? where : "");
	snprintf(m->text, sizeof(m->text), "%s", msg);
}

void nft_pipeline_report(struct nft_pipeline_result *r,
			 enum nft_diag_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nft_diag_report(&r->diag, level, r->input.name, "", "%s", msg);
}

static int refuse(struct nft_pipeline_result *r, enum nft_pipeline_hint h)
{
	r->hint = h;
	r->status = NFT_PIPELINE_REFUSED;
	return r->status;
}

static int failed(struct nft_pipeline_result *r, enum nft_pipeline_status s,
		  int err)
{
	r->status = s;
	r->error = err;
	return s;
}

/* Events of other systems only: nothing to analyse (a model tells). */
static int check_netfs(struct nft_pipeline_result *r,
		       const struct nft_model *m)
{
	if (!m || nft_model_summary(m)->events)
		return r->status;
	/* a damaged or cut capture: not how it was recorded */
	return refuse(r, r->diag.errors ? NFT_HINT_NO_NETFS_DAMAGED :
					  NFT_HINT_NO_NETFS);
}

static int run_text(const struct nft_pipeline_opts *o,
		    struct nft_pipeline_result *r, struct nft_sink *sink,
		    struct nft_model *m)
{
	struct nft_text_opts to = { .want_raw = o->want_raw };
	struct nft_text_stats st = { 0 };

	r->input.format = "text";
	/* --kernel: read indexes as that generation prints them. */
	if (m) {
		enum nft_gen g = nft_model_summary(m)->gen;

		if (g != NFT_GEN_AUTO)
			to.dialect = nft_gen_profile(g)->sreq_index_hex ?
				     NFT_DIALECT_MODERN : NFT_DIALECT_6_1;
	}
	if (decode_ftrace_text(r->in, &to, sink, &r->diag, &st))
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	r->lines = st.lines;
	r->events = st.events;
	if (m)
		nft_model_summary_mut(m)->lines = st.lines;
	snprintf(r->detail, sizeof(r->detail), "%llu lines",
		 (unsigned long long)st.lines);
	if (!st.events && !st.other_events)
		return refuse(r, st.malformed ? NFT_HINT_TEXT_UNDECODABLE :
						NFT_HINT_NOT_TRACE);
	return check_netfs(r, m);
}

static int run_dat(const struct nft_pipeline_opts *o,
		   struct nft_pipeline_result *r, struct nft_sink *sink,
		   struct nft_model *m)
{
	struct nft_dat_opts dopts = {
		.instance = o->instance,
		.want_raw = o->want_raw,
		.libtracecmd_only = o->libtracecmd_only,
	};
	struct nft_dat_stats st = { 0 };

	r->input.format = "trace.dat";
	if (decode_trace_dat(r->in, &dopts, sink, &r->diag, &st))
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	r->events = st.events;
	snprintf(r->detail, sizeof(r->detail), "%llu records, %d cpus%s%s",
		 (unsigned long long)st.records, st.cpus,
		 st.instance[0] ? ", instance " : "", st.instance);
	snprintf(r->instance, sizeof(r->instance), "%s", st.instance);
	snprintf(r->release, sizeof(r->release), "%s", st.kernel);
	r->input.dat = true;
	r->input.records = st.records;
	r->input.cpus = st.cpus;
	r->input.instance = r->instance;
	r->input.release = r->release;
	return check_netfs(r, m);
}

static int run_decoder(const struct nft_pipeline_opts *o,
		       struct nft_pipeline_result *r)
{
	struct nft_sink sink = o->sink;
	struct nft_model *m = o->sink_model;

	if (!sink.event) {
		m = r->model;
		sink = (struct nft_sink){ nft_model_event, m };
	}
	r->kind = nft_input_kind(r->in);
	switch (r->kind) {
	case NFT_INPUT_TEXT:
		return run_text(o, r, &sink, m);
	case NFT_INPUT_TRACE_DAT:
		return run_dat(o, r, &sink, m);
	case NFT_INPUT_EMPTY:
		return refuse(r, nft_input_fault(r->in) ?
				 NFT_HINT_EMPTY_DAMAGED : NFT_HINT_EMPTY);
	case NFT_INPUT_PERF_DATA:
		return refuse(r, NFT_HINT_PERF_DATA);
	case NFT_INPUT_BINARY:
		return refuse(r, NFT_HINT_BINARY);
	default:
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	}
}

int nft_pipeline_run(const struct nft_pipeline_opts *o,
		     struct nft_pipeline_result *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = -1;
	r->fwd = o->report;
	r->fwd_ctx = o->report_ctx;
	r->diag.report = keep_msg;
	r->diag.ctx = r;
	r->input.name = o->input;
	r->input.compression = "none";
	r->input.detail = r->detail;

	r->in = nft_input_open(o->input);
	if (!r->in)
		return failed(r, NFT_PIPELINE_OPEN_FAILED, errno);
	r->input.name = nft_input_name(r->in);
	r->input.compression = nft_input_compression(r->in);
	nft_input_set_diag(r->in, &r->diag);
	nft_input_set_spool_max(r->in, o->spool_max);
	if (!o->sink.event) {
		static const struct nft_model_opts defaults;

		r->model = nft_model_new(o->model_opts ? o->model_opts :
							 &defaults);
		if (!r->model)
			return failed(r, NFT_PIPELINE_NO_MEMORY, ENOMEM);
	}
	if (run_decoder(o, r) == NFT_PIPELINE_OK && r->model)
		nft_model_finish(r->model);
	r->input.errors = r->diag.errors;
	r->input.warnings = r->diag.warnings;
	r->input.suppressed = r->diag.suppressed;
	return r->status;
}

void nft_pipeline_result_free(struct nft_pipeline_result *r)
{
	nft_model_free(r->model);
	r->model = NULL;
	nft_input_close(r->in);
	r->in = NULL;
}
