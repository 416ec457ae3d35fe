// SPDX-License-Identifier: GPL-2.0
/*
 * The one JSON writer (libnetfs-trace/report/json_writer.h): escaping,
 * nesting and commas, empty containers, the four styles, null strings,
 * NaN, and the documents built on it parse back (python3's json module
 * is not used: the checks are on the exact bytes).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/report/json_writer.h"
#include "tap.h"

static char *buf;
static size_t len;
static FILE *mem;

static struct nft_jw *start(struct nft_jw *jw, enum nft_jw_style style)
{
	free(buf);
	buf = NULL;
	len = 0;
	mem = open_memstream(&buf, &len);
	nft_jw_init(jw, mem, style);
	return jw;
}

static const char *done(void)
{
	fclose(mem);
	return buf;
}

static const char *escaped(const char *s, size_t n)
{
	free(buf);
	buf = NULL;
	len = 0;
	mem = open_memstream(&buf, &len);
	nft_jw_escape(mem, s, n);
	return done();
}

static void test_escape(void)
{
	static const char ctl[] = "a\x01\x1f\x7f\x80\xff" "b";

	is_str(escaped("plain", 5), "\"plain\"", "plain ASCII as is");
	is_str(escaped("say \"hi\"", 8), "\"say \\\"hi\\\"\"", "quotes");
	is_str(escaped("a\\b", 3), "\"a\\\\b\"", "backslash");
	is_str(escaped("l1\nl2\tx", 7), "\"l1\\nl2\\tx\"", "\\n and \\t by name");
	is_str(escaped("cr\r", 3), "\"cr\\u000d\"", "\\r as \\u000d (as the documents always had it)");
	is_str(escaped(ctl, sizeof(ctl) - 1),
	       "\"a\\u0001\\u001f\\u007f\\u0080\\u00ffb\"",
	       "control bytes and bytes >= 0x7f: one \\u00XX each");
	is_str(escaped("abc\0def", 7), "\"abc\"", "stops at a NUL");
	is_str(escaped("abcdef", 2), "\"ab\"", "at most n bytes");
	is_str(escaped(NULL, 5), "\"\"", "NULL: empty string");
	is_str(escaped("/</script>", 10), "\"/</script>\"", "'/' not escaped");
}

static void test_nesting(void)
{
	struct nft_jw jw;

	start(&jw, NFT_JW_COMPACT);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_str(&jw, "k", "v");
	nft_jw_array_begin(&jw, "a");
	nft_jw_u64(&jw, NULL, 1);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_i64(&jw, "neg", -5);
	nft_jw_array_begin(&jw, "in");
	nft_jw_end(&jw);
	nft_jw_end(&jw);
	nft_jw_array_begin(&jw, NULL);
	nft_jw_bool(&jw, NULL, true);
	nft_jw_bool(&jw, NULL, false);
	nft_jw_end(&jw);
	nft_jw_end(&jw);
	nft_jw_object_begin(&jw, "o");
	nft_jw_end(&jw);
	nft_jw_u64(&jw, "max", UINT64_MAX);
	nft_jw_i64(&jw, "min", INT64_MIN);
	nft_jw_end(&jw);
	is_str(done(),
	       "{\"k\": \"v\", \"a\": [1, {\"neg\": -5, \"in\": []}, [true, false]], \"o\": {}, \"max\": 18446744073709551615, \"min\": -9223372036854775808}",
	       "compact: nesting, commas, empty containers, 64-bit extremes");
	is(jw.depth, 0, "every container closed");

	start(&jw, NFT_JW_COMPACT);
	nft_jw_array_begin(&jw, NULL);
	nft_jw_end(&jw);
	nft_jw_end(&jw);	/* one too many: ignored */
	is_str(done(), "[]", "empty top-level array; a stray end is ignored");

	start(&jw, NFT_JW_COMPACT);
	nft_jw_array_begin(&jw, NULL);
	nft_jw_str(&jw, "ignored-key", "x");
	nft_jw_end(&jw);
	is_str(done(), "[\"x\"]", "a key given inside an array is not written");
}

static void build(struct nft_jw *jw, bool lines)
{
	nft_jw_object_begin(jw, NULL);
	if (lines)
		nft_jw_line(jw);
	nft_jw_u64(jw, "version", 1);
	if (lines)
		nft_jw_line(jw);
	nft_jw_object_begin(jw, "input");
	nft_jw_str(jw, "file", "a");
	nft_jw_u64(jw, "errors", 0);
	nft_jw_end(jw);
	if (lines)
		nft_jw_line(jw);
	nft_jw_array_begin(jw, "findings");
	if (lines)
		nft_jw_line(jw);
	nft_jw_object_begin(jw, NULL);
	nft_jw_str(jw, "kind", "stuck");
	nft_jw_end(jw);
	if (lines)
		nft_jw_line(jw);
	nft_jw_end(jw);
	if (lines)
		nft_jw_line(jw);
	nft_jw_array_begin(jw, "empty");
	if (lines)
		nft_jw_line(jw);
	nft_jw_end(jw);
	if (lines)
		nft_jw_line(jw);
	nft_jw_end(jw);
}

static void test_styles(void)
{
	struct nft_jw jw;

	build(start(&jw, NFT_JW_PRETTY), false);
	is_str(done(),
	       "{\n  \"version\": 1,\n  \"input\": {\n    \"file\": \"a\",\n    \"errors\": 0\n  },\n  \"findings\": [\n    {\n      \"kind\": \"stuck\"\n    }\n  ],\n  \"empty\": []\n}",
	       "pretty: a member a line, two spaces a level, empty [] kept");

	build(start(&jw, NFT_JW_COMPACT), true);
	is_str(done(),
	       "{\n  \"version\": 1,\n  \"input\": {\"file\": \"a\", \"errors\": 0},\n  \"findings\": [\n    {\"kind\": \"stuck\"}\n  ],\n  \"empty\": []\n}",
	       "compact with nft_jw_line(): one key group a line (the netfs-replay layout)");

	build(start(&jw, NFT_JW_COMPACT), false);
	is_str(done(),
	       "{\"version\": 1, \"input\": {\"file\": \"a\", \"errors\": 0}, \"findings\": [{\"kind\": \"stuck\"}], \"empty\": []}",
	       "compact without line breaks: one line");

	build(start(&jw, NFT_JW_ONE_LINE), true);
	is_str(done(),
	       "{\"version\": 1, \"input\": {\"file\": \"a\", \"errors\": 0}, \"findings\": [{\"kind\": \"stuck\"}], \"empty\": []}",
	       "one-line: nft_jw_line() ignored, the JSON Lines form of the same document");

	build(start(&jw, NFT_JW_TIGHT), true);
	is_str(done(),
	       "{\"version\":1,\"input\":{\"file\":\"a\",\"errors\":0},\"findings\":[{\"kind\":\"stuck\"}],\"empty\":[]}",
	       "tight: no spaces");
}

static void test_values(void)
{
	struct nft_jw jw;
	char big[600];

	start(&jw, NFT_JW_COMPACT);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_str(&jw, "s", NULL);
	nft_jw_null(&jw, "n");
	nft_jw_double(&jw, "nan", NAN, 3);
	nft_jw_double(&jw, "inf", INFINITY, 3);
	nft_jw_double(&jw, "ninf", -INFINITY, 1);
	nft_jw_double(&jw, "d3", 1.0 / 3, 3);
	nft_jw_double(&jw, "d1", 2.25, 1);
	nft_jw_ts(&jw, "ts", 18343060999ULL);
	nft_jw_ts(&jw, "t0", 0);
	nft_jw_strf(&jw, "id", "%08x", 0xffu);
	nft_jw_strn(&jw, "sn", "abc\"def", 4);
	nft_jw_raw(&jw, "raw", "{\"a\": [1]}");
	nft_jw_raw(&jw, "rawnull", NULL);
	nft_jw_end(&jw);
	is_str(done(),
	       "{\"s\": null, \"n\": null, \"nan\": null, \"inf\": null, \"ninf\": null, \"d3\": 0.333, \"d1\": 2.2, \"ts\": \"18.343060\", \"t0\": \"0.000000\", \"id\": \"000000ff\", \"sn\": \"abc\\\"\", \"raw\": {\"a\": [1]}, \"rawnull\": null}",
	       "null string, NaN and infinities as null, decimals, ftrace times, printf strings, raw values");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	start(&jw, NFT_JW_COMPACT);
	nft_jw_strf(&jw, NULL, "%s\"", big);
	done();
	ok(len == sizeof(big) - 1 + 4 && buf[len - 2] == '"' &&
	   buf[len - 3] == '\\', "nft_jw_strf() longer than its stack buffer: whole, escaped (%zu)", len);
}

static void test_depth(void)
{
	struct nft_jw jw;
	int i;

	start(&jw, NFT_JW_COMPACT);
	for (i = 0; i < NFT_JW_MAX_DEPTH + 4; i++)
		nft_jw_array_begin(&jw, NULL);
	for (i = 0; i < NFT_JW_MAX_DEPTH + 4; i++)
		nft_jw_end(&jw);
	done();
	ok(jw.overflow, "deeper than NFT_JW_MAX_DEPTH: flagged, no crash");
}

int main(void)
{
	test_escape();
	test_nesting();
	test_styles();
	test_values();
	test_depth();
	free(buf);
	return tap_done();
}
