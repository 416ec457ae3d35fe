// SPDX-License-Identifier: GPL-2.0
/*
 * The human report: a summary in stable "key: value" lines (git style, so
 * scripts may grep it), then the findings, most severe first.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "summary_fields.h"

void nft_fmt_ts(char *buf, size_t sz, uint64_t ts_ns)
{
	uint64_t us = ts_ns / 1000;

	snprintf(buf, sz, "%" PRIu64 ".%06" PRIu64, us / 1000000, us % 1000000);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct nft_finding *x = *(const struct nft_finding *const *)a;
	const struct nft_finding *y = *(const struct nft_finding *const *)b;
	uint64_t px = x->n_evidence ? x->evidence[0].pos : 0;
	uint64_t py = y->n_evidence ? y->evidence[0].pos : 0;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return px < py ? -1 : px > py;
}

const struct nft_finding **nft_report_sorted(const struct nft_model *m,
					     size_t *n)
{
	const struct nft_finding *all = nft_model_findings(m, n);
	const struct nft_finding **v = malloc((*n + 1) * sizeof(*v));
	size_t i;

	if (!v) {
		*n = 0;
		return NULL;
	}
	for (i = 0; i < *n; i++)
		v[i] = &all[i];
	qsort(v, *n, sizeof(*v), cmp_finding);
	return v;
}

/* " (RA 512, DR 3)" for the non-zero entries of a per-symbol count table. */
static void print_counts(FILE *out, enum nft_sym_class cls,
			 const uint64_t *counts, int n)
{
	const char *sep = " (";
	int i;

	for (i = 1; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(out, "%s%s %" PRIu64, sep, nft_sym_name(cls, i),
			counts[i]);
		sep = ", ";
	}
	if (counts[0])
		fprintf(out, "%sunknown %" PRIu64, sep, counts[0]), sep = ", ";
	if (sep[0] == ',')
		fputc(')', out);
}

/*
 * The summary's count lines: "{key}" is the field of that JSON key in the
 * one table of summary fields (summary_fields.c): a count as a number, a
 * per-symbol table as " (RA 4, DR 17)".  Stable: scripts grep these.
 */
static const char *const summary_lines[] = {
	"events: {events} (other events: {other_events})",
	"lost events: {lost_events} in {lost_markers} marker(s)",
	"requests: {requests}{requests_by_origin}",
	"subrequests: {subrequests}{subrequests_by_source}",
	"bytes read: {bytes_read} (from cache: {bytes_cache_read})",
	"bytes written: {bytes_written} (to cache: {bytes_cache_written})",
	"retries: {retries}",
	"failures: {failures}",
	"cookies: {cookies}, cache objects: {cache_objects}",
	"in flight at end of capture: {in_flight_at_end}",
};

/* One of summary_lines[], without its line break. */
static void print_summary_line(FILE *out, const char *fmt,
			       const struct nft_summary *s)
{
	while (*fmt) {
		const struct nft_summary_field *f;
		const char *end = strchr(fmt, '{');
		char key[48];
		size_t n;

		if (!end) {
			fputs(fmt, out);
			return;
		}
		fwrite(fmt, 1, (size_t)(end - fmt), out);
		fmt = end + 1;
		end = strchr(fmt, '}');
		n = end ? (size_t)(end - fmt) : 0;
		if (!end || n >= sizeof(key))
			return;
		memcpy(key, fmt, n);
		key[n] = 0;
		fmt = end + 1;
		f = nft_summary_field(key);
		if (!f)
			continue;
		if (f->kind == NFT_SF_COUNTS)
			print_counts(out, f->cls, nft_summary_counts(s, f),
				     f->n);
		else
			fprintf(out, "%" PRIu64, nft_summary_value(s, f));
	}
}

/* Under "in flight at end of capture: N", what each of them waits for. */
static void print_in_flight(FILE *out, const struct nft_model *m,
			    const struct nft_summary *s)
{
	const struct nft_in_flight *f = NULL;
	size_t n = 0, i;

	if (s->in_flight_at_end)
		f = nft_model_in_flight(m, &n);
	for (i = 0; i < n; i++)
		fprintf(out, "  %s: waiting for %s\n", f[i].object, f[i].waiting);
	if (s->in_flight_at_end > n)
		fprintf(out, "  ... and %" PRIu64 " more\n",
			s->in_flight_at_end - n);
}

static void print_summary(FILE *out, const struct nft_model *m,
			  const struct nft_report_input *in)
{
	const struct nft_summary *s = nft_model_summary(m);
	char a[32], b[32];

	fprintf(out, "input: %s (%s%s%s%s%s)\n", in->name, in->format,
		in->compression && strcmp(in->compression, "none") ? ", " : "",
		in->compression && strcmp(in->compression, "none") ?
			in->compression : "",
		in->detail ? ", " : "", in->detail ? in->detail : "");
	fprintf(out, "kernel: %s", nft_gen_name(s->gen));
	if (in->dat && in->release && *in->release)
		fprintf(out, ", recorded on %s", in->release);
	fputc('\n', out);
	nft_fmt_ts(a, sizeof(a), s->ts_first);
	nft_fmt_ts(b, sizeof(b), s->ts_last);
	if (s->ts_first || s->ts_last)
		fprintf(out, "time: %s - %s\n", a, b);
	else
		fprintf(out, "time: none (the lines carry no timestamps)\n");
	for (size_t i = 0; i < sizeof(summary_lines) / sizeof(summary_lines[0]);
	     i++) {
		print_summary_line(out, summary_lines[i], s);
		fputc('\n', out);
	}
	print_in_flight(out, m, s);
	fprintf(out, "unknown symbols: %" PRIu64 "\n", s->unknown_symbols);
	for (unsigned int bit = 1; bit; bit <<= 1) {
		char note[512];

		if (s->notes & bit)
			fprintf(out, "note: %s\n",
				nft_note_fmt(s, bit, note, sizeof(note)));
	}
}

static void print_unknowns(FILE *out, const struct nft_model *m)
{
	const struct nft_unknown *u;
	size_t n, i;

	u = nft_model_unknowns(m, &n);
	for (i = 0; i < n; i++)
		fprintf(out, "  unknown %s \"%s\": %" PRIu64 " time(s), first at line %" PRIu64 "\n",
			nft_sym_class_name(u[i].cls), u[i].text, u[i].count,
			u[i].first_pos);
}

/* @timed: the input had timestamps (a pasted excerpt often has none). */
static void print_finding(FILE *out, const struct nft_finding *f, bool timed)
{
	char ts[32];
	size_t i;

	fprintf(out, "[%s] %s %s: %s%s\n", nft_severity_name(f->severity),
		nft_finding_kind_name(f->kind), f->object,
		f->message ? f->message : "",
		f->uncertain ? " (may be caused by lost events)" : "");
	if (!f->n_evidence)
		return;
	fputs("    evidence:", out);
	for (i = 0; i < f->n_evidence && i < 8; i++) {
		fprintf(out, "%s line %" PRIu64, i ? "," : "",
			f->evidence[i].pos);
		if (!timed)
			continue;
		nft_fmt_ts(ts, sizeof(ts), f->evidence[i].ts_ns);
		fprintf(out, " (%s)", ts);
	}
	if (f->n_evidence > 8)
		fprintf(out, ", ... %zu more", f->n_evidence - 8);
	fputc('\n', out);
}

void nft_report_text_summary(FILE *out, const struct nft_model *m,
			     const struct nft_report_input *in)
{
	print_summary(out, m, in);
	print_unknowns(out, m);
}

void nft_report_text(FILE *out, const struct nft_model *m,
		     const struct nft_report_input *in,
		     const struct nft_report_opts *opts)
{
	const struct nft_summary *s = nft_model_summary(m);
	bool timed = s->ts_first || s->ts_last;
	const struct nft_finding **v;
	size_t n, i;

	if (!opts->quiet) {
		nft_report_text_summary(out, m, in);
	} else if (opts->name_input) {
		fprintf(out, "input: %s\n", in->name);
	}
	v = nft_report_sorted(m, &n);
	if (nft_model_summary(m)->findings_not_kept)
		fprintf(out, "findings: %zu (and %llu more past the per-kind cap, counted only)\n",
			n, (unsigned long long)nft_model_summary(m)->findings_not_kept);
	else
		fprintf(out, "findings: %zu\n", n);
	for (i = 0; v && i < n; i++)
		print_finding(out, v[i], timed);
	if (in->errors)
		fprintf(out, "input errors: %lu (the analysis may be incomplete)\n",
			in->errors);
	free(v);
}
