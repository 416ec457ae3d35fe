// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON document (schema in docs/json.md).  Keys are stable; new keys may
 * be added, none are renamed.  Times are strings of seconds with six
 * decimals, like ftrace prints them, so text and trace.dat inputs of one
 * capture give identical documents.  Everything goes through the one JSON
 * writer (json_writer.h): the layout of the document is its calls to
 * nft_jw_line(), one key group per line.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "summary_fields.h"
#include "../pipeline.h"

#define NFT_JSON_VERSION 1

/* A symbol -> count object of the non-zero entries ("unknown" for 0). */
void nft_json_counts(struct nft_jw *jw, const char *key,
		     enum nft_sym_class cls, const uint64_t *counts, int n,
		     double div, int decimals)
{
	int i;

	nft_jw_object_begin(jw, key);
	for (i = 0; i < n; i++) {
		const char *name;

		if (!counts[i])
			continue;
		name = i ? nft_sym_name(cls, i) : "unknown";
		if (div)
			nft_jw_double(jw, name, counts[i] / div, decimals);
		else
			nft_jw_u64(jw, name, counts[i]);
	}
	nft_jw_end(jw);
}

/* The summary's members come from one table (summary_fields.c). */
void nft_json_summary(struct nft_jw *jw, const char *key,
		      const struct nft_summary *s, bool lines)
{
	size_t i;

	nft_jw_object_begin(jw, key);
	for (i = 0; i < nft_summary_nfields; i++) {
		const struct nft_summary_field *f = &nft_summary_fields[i];

		if (lines && f->line)
			nft_jw_line(jw);
		nft_summary_field_json(jw, f, s);
	}
	if (s->notes & (NFT_NOTE_EVICTED | NFT_NOTE_FINDINGS_CAPPED)) {
		if (lines)
			nft_jw_line(jw);
		nft_jw_object_begin(jw, "object_bound");
		for (i = 0; i < nft_summary_bound_nfields; i++)
			nft_summary_field_json(jw, &nft_summary_bound_fields[i],
					       s);
		nft_jw_end(jw);
	}
	if (lines)
		nft_jw_line(jw);
	nft_jw_array_begin(jw, "notes");
	for (unsigned int bit = 1; bit; bit <<= 1) {
		char note[512];

		if (s->notes & bit)
			nft_jw_str(jw, NULL,
				   nft_note_fmt(s, bit, note, sizeof(note)));
	}
	nft_jw_end(jw);
	if (lines)
		nft_jw_line(jw);
	nft_jw_end(jw);
}

void nft_json_finding(struct nft_jw *jw, const char *key,
		      const struct nft_finding *f)
{
	size_t i;

	nft_jw_object_begin(jw, key);
	nft_jw_str(jw, "kind", nft_finding_kind_name(f->kind));
	nft_jw_str(jw, "severity", nft_severity_name(f->severity));
	if (f->rreq)
		nft_jw_strf(jw, "request", "%08x", f->rreq);
	else
		nft_jw_null(jw, "request");
	if (f->subreq >= 0)
		nft_jw_i64(jw, "subreq", f->subreq);
	else
		nft_jw_null(jw, "subreq");
	nft_jw_str(jw, "object", f->object);
	nft_jw_str(jw, "message", f->message);
	nft_jw_bool(jw, "uncertain", f->uncertain);
	nft_jw_array_begin(jw, "evidence");
	for (i = 0; i < f->n_evidence; i++) {
		nft_jw_object_begin(jw, NULL);
		nft_jw_u64(jw, "line", f->evidence[i].pos);
		nft_jw_ts(jw, "ts", f->evidence[i].ts_ns);
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
	nft_jw_end(jw);
}

/* "in_flight": the requests alive at the end, with what each waits for. */
static void json_in_flight(struct nft_jw *jw, const struct nft_model *m)
{
	const struct nft_in_flight *f;
	size_t n, i;

	f = nft_model_in_flight(m, &n);
	nft_jw_line(jw);
	nft_jw_array_begin(jw, "in_flight");
	for (i = 0; i < n; i++) {
		const char *w = f[i].waiting, *sep;

		nft_jw_line(jw);
		nft_jw_object_begin(jw, NULL);
		nft_jw_strf(jw, "request", "%08x", f[i].rreq);
		nft_jw_str(jw, "object", f[i].object);
		nft_jw_array_begin(jw, "waiting_for");
		/* nft_request_waits() joins the items with ", " */
		for (; *w; w = *sep ? sep + 2 : sep) {
			sep = strstr(w, ", ");
			if (!sep)
				sep = w + strlen(w);
			nft_jw_strn(jw, NULL, w, (size_t)(sep - w));
		}
		nft_jw_end(jw);
		nft_jw_end(jw);
	}
	nft_jw_line(jw);
	nft_jw_end(jw);
}

/*
 * "input": what was read; @errors etc. from the caller's diag; @dat: with
 * what a trace.dat says of itself.
 */
static void json_input(struct nft_jw *jw, const struct nft_report_input *in,
		       const char *compression, unsigned long errors,
		       unsigned long warnings, unsigned long suppressed,
		       bool dat)
{
	nft_jw_line(jw);
	nft_jw_object_begin(jw, "input");
	nft_jw_str(jw, "file", in->name);
	nft_jw_str(jw, "format", in->format ? in->format : "unknown");
	nft_jw_str(jw, "compression", compression);
	nft_jw_u64(jw, "errors", errors);
	nft_jw_u64(jw, "warnings", warnings);
	nft_jw_u64(jw, "suppressed", suppressed);
	if (dat && in->dat) {
		nft_jw_u64(jw, "records", in->records);
		nft_jw_i64(jw, "cpus", in->cpus);
		nft_jw_str(jw, "instance", in->instance ? in->instance : "");
		nft_jw_str(jw, "release", in->release ? in->release : "");
	}
	nft_jw_end(jw);
}

static void json_begin(struct nft_jw *jw, FILE *out, bool one_line)
{
	nft_jw_init(jw, out, one_line ? NFT_JW_ONE_LINE : NFT_JW_COMPACT);
	nft_jw_object_begin(jw, NULL);
	nft_jw_line(jw);
	nft_jw_u64(jw, "version", NFT_JSON_VERSION);
}

static void json_end(struct nft_jw *jw)
{
	nft_jw_line(jw);
	nft_jw_end(jw);
	fputc('\n', jw->out);
}

void nft_report_json(FILE *out, const struct nft_model *m,
		     const struct nft_report_input *in,
		     const struct nft_report_opts *opts)
{
	const struct nft_finding **v;
	const struct nft_unknown *u;
	struct nft_jw jw;
	size_t n, i;

	json_begin(&jw, out, opts->one_line);
	json_input(&jw, in, in->compression ? in->compression : "none",
		   in->errors, in->warnings, in->suppressed, true);
	nft_jw_line(&jw);
	nft_json_summary(&jw, "summary", nft_model_summary(m), true);
	nft_jw_line(&jw);
	nft_jw_array_begin(&jw, "findings");
	v = nft_report_sorted(m, &n);
	for (i = 0; v && i < n; i++) {
		nft_jw_line(&jw);
		nft_json_finding(&jw, NULL, v[i]);
	}
	free(v);
	nft_jw_line(&jw);
	nft_jw_end(&jw);
	json_in_flight(&jw, m);
	nft_jw_line(&jw);
	nft_jw_array_begin(&jw, "unknown_symbols");
	u = nft_model_unknowns(m, &n);
	for (i = 0; i < n; i++) {
		nft_jw_line(&jw);
		nft_jw_object_begin(&jw, NULL);
		nft_jw_str(&jw, "class", nft_sym_class_name(u[i].cls));
		nft_jw_str(&jw, "text", u[i].text);
		nft_jw_u64(&jw, "count", u[i].count);
		nft_jw_u64(&jw, "first_line", u[i].first_pos);
		nft_jw_end(&jw);
	}
	nft_jw_line(&jw);
	nft_jw_end(&jw);
	json_end(&jw);
}

void nft_report_json_refused(FILE *out, const struct nft_pipeline_result *r,
			     bool one_line)
{
	struct nft_jw jw;
	int i;

	json_begin(&jw, out, one_line);
	json_input(&jw, &r->input, r->input.compression, r->diag.errors,
		   r->diag.warnings, r->diag.suppressed, false);
	nft_jw_line(&jw);
	nft_jw_bool(&jw, "refused", true);
	nft_jw_line(&jw);
	nft_jw_array_begin(&jw, "messages");
	for (i = 0; i < r->n_msgs; i++) {
		nft_jw_line(&jw);
		nft_jw_object_begin(&jw, NULL);
		nft_jw_str(&jw, "level", r->msgs[i].level == NFT_DIAG_ERROR ?
				       "error" : "warning");
		nft_jw_str(&jw, "where", r->msgs[i].where);
		nft_jw_str(&jw, "message", r->msgs[i].text);
		nft_jw_end(&jw);
	}
	nft_jw_line(&jw);
	nft_jw_end(&jw);
	nft_jw_line(&jw);
	nft_jw_null(&jw, "summary");
	nft_jw_line(&jw);
	nft_jw_array_begin(&jw, "findings");
	nft_jw_end(&jw);
	nft_jw_line(&jw);
	nft_jw_array_begin(&jw, "unknown_symbols");
	nft_jw_end(&jw);
	json_end(&jw);
}
