// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON document (schema in docs/json.md).  Keys are stable; new keys may
 * be added, none are renamed.  Times are strings of seconds with six
 * decimals, like ftrace prints them, so text and trace.dat inputs of one
 * capture give identical documents.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define NFT_JSON_VERSION 1

void nft_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_counts(FILE *out, const char *nl, const char *key,
			enum nft_sym_class cls, const uint64_t *counts, int n)
{
	const char *sep = "";
	int i;

	fprintf(out, ",%s\"%s\": {", nl, key);
	for (i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		fprintf(out, "%s", sep);
		nft_json_str(out, i ? nft_sym_name(cls, i) : "unknown");
		fprintf(out, ": %" PRIu64, counts[i]);
		sep = ", ";
	}
	fputc('}', out);
}

void nft_json_summary(FILE *out, const struct nft_summary *s, bool pretty)
{
	const char *nl = pretty ? "\n    " : " ";
	char a[32], b[32];

	nft_fmt_ts(a, sizeof(a), s->ts_first);
	nft_fmt_ts(b, sizeof(b), s->ts_last);
	fprintf(out, "{%s\"kernel\": ", pretty ? "\n    " : "");
	nft_json_str(out, nft_gen_name(s->gen));
	fprintf(out, ",%s\"first_ts\": \"%s\", \"last_ts\": \"%s\"", nl, a, b);
	fprintf(out, ",%s\"events\": %" PRIu64 ", \"other_events\": %" PRIu64,
		nl, s->events, s->other_events);
	fprintf(out, ",%s\"requests\": %" PRIu64 ", \"subrequests\": %" PRIu64,
		nl, s->requests, s->subreqs);
	json_counts(out, nl, "requests_by_origin", NFT_SYMC_ORIGIN,
		    s->requests_by_origin, NFT_ORIGIN__NR);
	json_counts(out, nl, "subrequests_by_source", NFT_SYMC_SOURCE,
		    s->subreqs_by_source, NFT_SRC__NR);
	json_counts(out, nl, "netfs_read", NFT_SYMC_READ_TRACE, s->read_ops,
		    NFT_RD__NR);
	json_counts(out, nl, "netfs_write", NFT_SYMC_WRITE_TRACE, s->write_ops,
		    NFT_WR__NR);
	fprintf(out, ",%s\"write_iters\": %" PRIu64, nl, s->write_iters);
	fprintf(out, ",%s\"bytes_read\": %" PRIu64 ", \"bytes_written\": %" PRIu64,
		nl, s->bytes_read, s->bytes_written);
	fprintf(out, ",%s\"bytes_cache_read\": %" PRIu64 ", \"bytes_cache_written\": %" PRIu64,
		nl, s->bytes_cache_read, s->bytes_cache_written);
	fprintf(out, ",%s\"retries\": %" PRIu64 ", \"failures\": %" PRIu64,
		nl, s->retries, s->failures);
	fprintf(out, ",%s\"lost_events\": %" PRIu64 ", \"lost_markers\": %" PRIu64,
		nl, s->lost_events, s->lost_markers);
	fprintf(out, ",%s\"cookies\": %" PRIu64 ", \"cache_objects\": %" PRIu64,
		nl, s->cookies, s->cache_objects);
	fprintf(out, ",%s\"in_flight_at_end\": %" PRIu64 ", \"reused_ids\": %" PRIu64,
		nl, s->in_flight_at_end, s->reused_ids);
	fprintf(out, ",%s\"notes\": [", nl);
	for (unsigned int bit = 1, n = 0; bit; bit <<= 1) {
		if (!(s->notes & bit))
			continue;
		fputs(n++ ? ", " : "", out);
		nft_json_str(out, nft_note_text(bit));
	}
	fprintf(out, "]%s}", pretty ? "\n  " : "");
}

void nft_json_finding(FILE *out, const struct nft_finding *f)
{
	char ts[32];
	size_t i;

	fprintf(out, "{\"kind\": \"%s\", \"severity\": \"%s\", ",
		nft_finding_kind_name(f->kind), nft_severity_name(f->severity));
	if (f->rreq)
		fprintf(out, "\"request\": \"%08x\", ", f->rreq);
	else
		fputs("\"request\": null, ", out);
	if (f->subreq >= 0)
		fprintf(out, "\"subreq\": %d, ", f->subreq);
	else
		fputs("\"subreq\": null, ", out);
	fputs("\"object\": ", out);
	nft_json_str(out, f->object);
	fputs(", \"message\": ", out);
	nft_json_str(out, f->message);
	fprintf(out, ", \"uncertain\": %s, \"evidence\": [",
		f->uncertain ? "true" : "false");
	for (i = 0; i < f->n_evidence; i++) {
		nft_fmt_ts(ts, sizeof(ts), f->evidence[i].ts_ns);
		fprintf(out, "%s{\"line\": %" PRIu64 ", \"ts\": \"%s\"}",
			i ? ", " : "", f->evidence[i].pos, ts);
	}
	fputs("]}", out);
}

/* "in_flight": the requests alive at the end, with what each waits for. */
static void json_in_flight(FILE *out, const struct nft_model *m)
{
	const struct nft_in_flight *f;
	size_t n, i;

	f = nft_model_in_flight(m, &n);
	fputs("  \"in_flight\": [", out);
	for (i = 0; i < n; i++) {
		const char *w = f[i].waiting, *sep;

		fprintf(out, "%s\n    {\"request\": \"%08x\", \"object\": ",
			i ? "," : "", f[i].rreq);
		nft_json_str(out, f[i].object);
		fputs(", \"waiting_for\": [", out);
		/* nft_request_waits() joins the items with ", " */
		for (; *w; w = *sep ? sep + 2 : sep) {
			char item[sizeof(f[i].waiting)];
			size_t len;

			sep = strstr(w, ", ");
			if (!sep)
				sep = w + strlen(w);
			len = (size_t)(sep - w);
			memcpy(item, w, len);
			item[len] = 0;
			if (w != f[i].waiting)
				fputs(", ", out);
			nft_json_str(out, item);
		}
		fputs("]}", out);
	}
	fputs(n ? "\n  ],\n" : "],\n", out);
}

void nft_report_json(FILE *out, const struct nft_model *m,
		     const struct nft_report_input *in,
		     const struct nft_report_opts *opts)
{
	const struct nft_finding **v;
	const struct nft_unknown *u;
	size_t n, i;

	(void)opts;
	fprintf(out, "{\n  \"version\": %d,\n  \"input\": {\"file\": ",
		NFT_JSON_VERSION);
	nft_json_str(out, in->name);
	fputs(", \"format\": ", out);
	nft_json_str(out, in->format);
	fputs(", \"compression\": ", out);
	nft_json_str(out, in->compression ? in->compression : "none");
	fprintf(out, ", \"errors\": %lu, \"warnings\": %lu, \"suppressed\": %lu",
		in->errors, in->warnings, in->suppressed);
	if (in->dat) {
		fprintf(out, ", \"records\": %llu, \"cpus\": %d, \"instance\": ",
			in->records, in->cpus);
		nft_json_str(out, in->instance ? in->instance : "");
		fputs(", \"release\": ", out);
		nft_json_str(out, in->release ? in->release : "");
	}
	fputs("},\n", out);
	fputs("  \"summary\": ", out);
	nft_json_summary(out, nft_model_summary(m), true);
	fputs(",\n  \"findings\": [", out);
	v = nft_report_sorted(m, &n);
	for (i = 0; v && i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		nft_json_finding(out, v[i]);
	}
	free(v);
	fputs(n ? "\n  ],\n" : "],\n", out);
	json_in_flight(out, m);
	fputs("  \"unknown_symbols\": [", out);
	u = nft_model_unknowns(m, &n);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s\n    {\"class\": \"%s\", \"text\": ",
			i ? "," : "", nft_sym_class_name(u[i].cls));
		nft_json_str(out, u[i].text);
		fprintf(out, ", \"count\": %" PRIu64 ", \"first_line\": %" PRIu64 "}",
			u[i].count, u[i].first_pos);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
}
