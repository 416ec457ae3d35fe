// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics exposition writer (openmetrics.h): OpenMetrics 1.0 text and
 * the classic Prometheus text format 0.0.4 from one set of calls.
 *
 * References: the OpenMetrics 1.0 specification (text format: metadata
 * lines, suffixes, "# EOF", escaping of label values and HELP), and
 * Prometheus's "Exposition formats" page for 0.0.4 (HELP escapes only \\
 * and \n, no UNIT, no EOF).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "openmetrics.h"

#define MAX_LABEL_PAIRS 16

void nft_om_init(struct nft_om *w, FILE *out, enum nft_om_format fmt)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->fmt = fmt;
}

static bool valid_name(const char *s)
{
	const char *p;

	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == ':'))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* Label values: \\, \" and \n escaped (both formats). */
static void put_label_value(FILE *out, const char *v)
{
	for (; v && *v; v++) {
		switch (*v) {
		case '\\':
			fputs("\\\\", out);
			break;
		case '"':
			fputs("\\\"", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		default:
			fputc(*v, out);
		}
	}
}

/* HELP text: \\ and \n escaped; OpenMetrics escapes \" as well. */
static void put_help(FILE *out, const char *h, bool om)
{
	for (; h && *h; h++) {
		if (*h == '\\')
			fputs("\\\\", out);
		else if (*h == '\n')
			fputs("\\n", out);
		else if (*h == '"' && om)
			fputs("\\\"", out);
		else
			fputc(*h, out);
	}
}

static const char *type_word(enum nft_om_type t, bool om)
{
	switch (t) {
	case NFT_OM_COUNTER: return "counter";
	case NFT_OM_HISTOGRAM: return "histogram";
	case NFT_OM_INFO: return om ? "info" : "gauge";
	default: return "gauge";
	}
}

/* The name classic HELP/TYPE lines carry: the sample's own name. */
static void classic_name(const struct nft_om *w, char *buf, size_t sz)
{
	const char *suffix = w->type == NFT_OM_COUNTER ? "_total" :
			     w->type == NFT_OM_INFO ? "_info" : "";

	snprintf(buf, sz, "%s%s", w->family, suffix);
}

void nft_om_family_begin(struct nft_om *w, const char *name,
			 enum nft_om_type type, const char *unit,
			 const char *help)
{
	bool om = w->fmt == NFT_OM_OPENMETRICS;
	char shown[NFT_OM_NAME_MAX + 8];
	size_t n;

	if (!valid_name(name) || strlen(name) >= sizeof(w->family)) {
		w->error = true;
		w->family[0] = 0;
		return;
	}
	snprintf(w->family, sizeof(w->family), "%s", name);
	n = strlen(w->family);
	if (type == NFT_OM_COUNTER && ends_with(w->family, "_total"))
		w->family[n - 6] = 0;
	else if (type == NFT_OM_INFO && ends_with(w->family, "_info"))
		w->family[n - 5] = 0;
	n = strlen(w->family);
	/* a unit is the name's last part: netfs_read_bytes, unit bytes */
	if (unit && (!valid_name(unit) || !ends_with(w->family, unit) ||
		     w->family[n - strlen(unit) - 1] != '_')) {
		w->error = true;
		w->family[0] = 0;
		return;
	}
	w->type = type;
	w->families++;
	if (om) {
		fprintf(w->out, "# TYPE %s %s\n", w->family, type_word(type, true));
		if (unit)
			fprintf(w->out, "# UNIT %s %s\n", w->family, unit);
		if (help) {
			fprintf(w->out, "# HELP %s ", w->family);
			put_help(w->out, help, true);
			fputc('\n', w->out);
		}
		return;
	}
	classic_name(w, shown, sizeof(shown));
	if (help) {
		fprintf(w->out, "# HELP %s ", shown);
		put_help(w->out, help, false);
		fputc('\n', w->out);
	}
	fprintf(w->out, "# TYPE %s %s\n", shown, type_word(type, false));
}

static void put_labels(FILE *out, const char *const *labels,
		       const char *le)
{
	bool any = false;
	size_t i;

	for (i = 0; labels && labels[i] && labels[i + 1] &&
		    i < 2 * MAX_LABEL_PAIRS; i += 2) {
		fprintf(out, "%s%s=\"", any ? "," : "{", labels[i]);
		put_label_value(out, labels[i + 1]);
		fputc('"', out);
		any = true;
	}
	if (le) {
		fprintf(out, "%sle=\"%s\"", any ? "," : "{", le);
		any = true;
	}
	if (any)
		fputc('}', out);
}

static bool labels_ok(const char *const *labels)
{
	size_t i;

	for (i = 0; labels && labels[i]; i += 2)
		if (!labels[i + 1] || !valid_name(labels[i]) ||
		    i >= 2 * MAX_LABEL_PAIRS)
			return false;
	return true;
}

static bool sample_head(struct nft_om *w, const char *suffix,
			const char *const *labels, const char *le)
{
	if (!w->family[0] || !labels_ok(labels)) {
		w->error = true;
		return false;
	}
	if (!suffix)
		suffix = w->type == NFT_OM_COUNTER ? "_total" :
			 w->type == NFT_OM_INFO ? "_info" : "";
	fprintf(w->out, "%s%s", w->family, suffix);
	put_labels(w->out, labels, le);
	fputc(' ', w->out);
	w->samples++;
	return true;
}

void nft_om_fmt_double(char *buf, size_t sz, double v)
{
	if (isnan(v)) {
		snprintf(buf, sz, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, sz, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, sz, "%.0f", v);
		return;
	}
	/* the shortest of %.15g .. %.17g that reads back exactly */
	snprintf(buf, sz, "%.15g", v);
	if (strtod(buf, NULL) != v) {
		snprintf(buf, sz, "%.16g", v);
		if (strtod(buf, NULL) != v)
			snprintf(buf, sz, "%.17g", v);
	}
}

void nft_om_sample(struct nft_om *w, const char *suffix,
		   const char *const *labels, double value)
{
	char num[40];

	if (!sample_head(w, suffix, labels, NULL))
		return;
	nft_om_fmt_double(num, sizeof(num), value);
	fprintf(w->out, "%s\n", num);
}

void nft_om_sample_u64(struct nft_om *w, const char *suffix,
		       const char *const *labels, uint64_t value)
{
	if (!sample_head(w, suffix, labels, NULL))
		return;
	fprintf(w->out, "%llu\n", (unsigned long long)value);
}

void nft_om_histogram(struct nft_om *w, const char *const *labels,
		      const double *le, const uint64_t *counts, size_t n,
		      double sum)
{
	uint64_t cum = 0;
	char bound[40], num[40];
	size_t i;

	if (w->type != NFT_OM_HISTOGRAM) {
		w->error = true;
		return;
	}
	for (i = 0; i <= n; i++) {
		cum += counts[i];
		if (i < n)
			nft_om_fmt_double(bound, sizeof(bound), le[i]);
		else
			snprintf(bound, sizeof(bound), "+Inf");
		/* OpenMetrics: a float, so "1.0" rather than "1" */
		if (w->fmt == NFT_OM_OPENMETRICS && i < n &&
		    !strpbrk(bound, ".eE"))
			strcat(bound, ".0");
		if (!sample_head(w, "_bucket", labels, bound))
			return;
		fprintf(w->out, "%llu\n", (unsigned long long)cum);
	}
	if (!sample_head(w, "_sum", labels, NULL))
		return;
	nft_om_fmt_double(num, sizeof(num), sum);
	fprintf(w->out, "%s\n", num);
	if (!sample_head(w, "_count", labels, NULL))
		return;
	fprintf(w->out, "%llu\n", (unsigned long long)cum);
}

int nft_om_end(struct nft_om *w)
{
	if (w->fmt == NFT_OM_OPENMETRICS)
		fputs("# EOF\n", w->out);
	w->family[0] = 0;
	if (fflush(w->out) || ferror(w->out))
		w->error = true;
	return w->error ? -1 : 0;
}

const char *nft_om_content_type(enum nft_om_format fmt)
{
	return fmt == NFT_OM_OPENMETRICS ?
	       "application/openmetrics-text; version=1.0.0; charset=utf-8" :
	       "text/plain; version=0.0.4; charset=utf-8";
}

/* The q= of one media range's parameters (1 if none). */
static double range_q(const char *params, const char *end)
{
	const char *p = params;

	while (p && p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			return strtod(p + 2, NULL);
		while (p < end && *p != ';')
			p++;
	}
	return 1;
}

static bool type_is(const char *s, size_t n, const char *type)
{
	return strlen(type) == n && !strncasecmp(s, type, n);
}

enum nft_om_format nft_om_negotiate(const char *accept)
{
	double q_om = 0, q_text = 0;
	const char *p = accept;

	while (p && *p) {
		const char *end = strchr(p, ',');
		const char *semi, *t;
		size_t n;
		double q;

		if (!end)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		for (semi = p; semi < end && *semi != ';'; semi++)
			;
		t = semi;
		if (semi == end)
			semi = NULL;
		while (t > p && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		n = (size_t)(t - p);
		q = range_q(semi, end);
		if (type_is(p, n, "application/openmetrics-text")) {
			if (q > q_om)
				q_om = q;
		} else if (type_is(p, n, "text/plain") ||
			   type_is(p, n, "text/*") || type_is(p, n, "*/*")) {
			if (q > q_text)
				q_text = q;
		}
		p = *end ? end + 1 : end;
	}
	return q_om > 0 && q_om >= q_text ? NFT_OM_OPENMETRICS :
	       NFT_OM_CLASSIC;
}

void nft_om_emit_cb(void *ctx, const char *family, int type,
		    const char *help, const char *label_name,
		    const char *label_value, uint64_t value)
{
	struct nft_om *w = ctx;
	const char *labels[3] = { label_name, label_value, NULL };
	char name[NFT_OM_NAME_MAX];
	size_t n;

	if (!family)
		return;
	snprintf(name, sizeof(name), "%s", family);
	n = strlen(name);
	if (type == NFT_OM_COUNTER && ends_with(name, "_total"))
		name[n - 6] = 0;
	if (type != NFT_OM_COUNTER)
		type = NFT_OM_GAUGE;
	if (strcmp(name, w->family) || (int)w->type != type)
		nft_om_family_begin(w, name, type, NULL, help);
	nft_om_sample_u64(w, NULL, label_name ? labels : NULL, value);
}
