// SPDX-License-Identifier: GPL-2.0
/*
 * The one JSON writer (json_writer.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

void nft_jw_init(struct nft_jw *jw, FILE *out, enum nft_jw_style style)
{
	memset(jw, 0, sizeof(*jw));
	jw->out = out;
	jw->style = style;
}

void nft_jw_escape(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; s && i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

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

static void indent(struct nft_jw *jw, int depth)
{
	int i;

	fputc('\n', jw->out);
	for (i = 0; i < depth; i++)
		fputs("  ", jw->out);
}

/* The comma, line break and key before a value at the current depth. */
static void member(struct nft_jw *jw, const char *key)
{
	int d = jw->depth;
	bool tight = jw->style == NFT_JW_TIGHT;

	if (d > 0) {
		if (jw->has_member[d - 1])
			fputc(',', jw->out);
		if (jw->style == NFT_JW_PRETTY || jw->line_break)
			indent(jw, d);
		else if (jw->has_member[d - 1] && !tight)
			fputc(' ', jw->out);
		jw->has_member[d - 1] = true;
		jw->line_break = false;
		if (key && !jw->open_array[d - 1]) {
			nft_jw_escape(jw->out, key, strlen(key));
			fputs(tight ? ":" : ": ", jw->out);
		}
	}
}

static void begin(struct nft_jw *jw, const char *key, bool array)
{
	member(jw, key);
	fputc(array ? '[' : '{', jw->out);
	if (jw->depth >= NFT_JW_MAX_DEPTH) {
		jw->overflow = true;
		return;
	}
	jw->open_array[jw->depth] = array;
	jw->has_member[jw->depth] = false;
	jw->depth++;
}

void nft_jw_object_begin(struct nft_jw *jw, const char *key)
{
	begin(jw, key, false);
}

void nft_jw_array_begin(struct nft_jw *jw, const char *key)
{
	begin(jw, key, true);
}

void nft_jw_end(struct nft_jw *jw)
{
	bool array, had;

	if (jw->depth <= 0)
		return;
	jw->depth--;
	array = jw->open_array[jw->depth];
	had = jw->has_member[jw->depth];
	if (had && (jw->style == NFT_JW_PRETTY || jw->line_break))
		indent(jw, jw->depth);
	jw->line_break = false;
	fputc(array ? ']' : '}', jw->out);
}

void nft_jw_line(struct nft_jw *jw)
{
	if (jw->style == NFT_JW_COMPACT)
		jw->line_break = true;
}

void nft_jw_str(struct nft_jw *jw, const char *key, const char *s)
{
	member(jw, key);
	if (!s)
		fputs("null", jw->out);
	else
		nft_jw_escape(jw->out, s, strlen(s));
}

void nft_jw_strn(struct nft_jw *jw, const char *key, const char *s, size_t n)
{
	member(jw, key);
	nft_jw_escape(jw->out, s, n);
}

void nft_jw_strf(struct nft_jw *jw, const char *key, const char *fmt, ...)
{
	char buf[256], *p = buf;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf)) {
		p = malloc((size_t)n + 1);
		if (p) {
			va_start(ap, fmt);
			vsnprintf(p, (size_t)n + 1, fmt, ap);
			va_end(ap);
		} else {
			p = buf;
		}
	}
	nft_jw_str(jw, key, n < 0 ? NULL : p);
	if (p != buf)
		free(p);
}

void nft_jw_raw(struct nft_jw *jw, const char *key, const char *json)
{
	member(jw, key);
	fputs(json ? json : "null", jw->out);
}

void nft_jw_u64(struct nft_jw *jw, const char *key, uint64_t v)
{
	member(jw, key);
	fprintf(jw->out, "%" PRIu64, v);
}

void nft_jw_i64(struct nft_jw *jw, const char *key, int64_t v)
{
	member(jw, key);
	fprintf(jw->out, "%" PRId64, v);
}

void nft_jw_double(struct nft_jw *jw, const char *key, double v, int decimals)
{
	member(jw, key);
	if (isnan(v) || isinf(v))
		fputs("null", jw->out);
	else
		fprintf(jw->out, "%.*f", decimals, v);
}

void nft_jw_bool(struct nft_jw *jw, const char *key, bool v)
{
	member(jw, key);
	fputs(v ? "true" : "false", jw->out);
}

void nft_jw_null(struct nft_jw *jw, const char *key)
{
	member(jw, key);
	fputs("null", jw->out);
}

void nft_jw_ts(struct nft_jw *jw, const char *key, uint64_t ns)
{
	member(jw, key);
	fprintf(jw->out, "\"%" PRIu64 ".%06" PRIu64 "\"", ns / UINT64_C(1000000000),
		(ns / UINT64_C(1000)) % UINT64_C(1000000));
}
