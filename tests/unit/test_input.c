// SPDX-License-Identifier: GPL-2.0
/*
 * The input layer: plain, xz, gzip and zstd files (made with the command
 * line tools, so the real formats are tested, not our own round trip),
 * kind detection without consuming, and errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"
#include "tap.h"

static char dir[] = "/tmp/nft-input-XXXXXX";
static char path[512];

static const char *mkfile(const char *name, const void *data, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

/* Both %s in @fmt get @arg (the file, then its directory). */
static int run(const char *fmt, const char *arg)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg);
	return system(cmd);
}

/* Read everything through nft_input_read() in odd-sized pieces. */
static char *slurp(struct nft_input *in, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	long r;

	while (buf) {
		if (cap - n < 1000) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		r = nft_input_read(in, buf + n, 777);
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	*len = n;
	return buf;
}

static char *text;
static size_t text_len;

static void make_text(void)
{
	size_t cap = 300000;
	int i = 0;

	text = malloc(cap);
	while (text && text_len + 200 < cap)
		text_len += snprintf(text + text_len, cap - text_len,
				     "   kworker/u8:0-12      [000] .....    %d.%06d: netfs_rreq_ref: R=%08x NEW         r=1\n",
				     i / 1000, i % 1000, i), i++;
}

static void check_roundtrip(const char *tool, const char *cmdfmt,
			    const char *want_comp)
{
	struct nft_input *in;
	const char *p;
	size_t len = 0;
	char *got;

	p = mkfile("t.txt", text, text_len);
	if (run(cmdfmt, p)) {
		ok(1, "# skip %s not available", tool);
		return;
	}
	snprintf(path, sizeof(path), "%s/t.%s", dir, tool);
	in = nft_input_open(path);
	if (!ok(in != NULL, "%s: open", tool))
		return;
	is_str(nft_input_compression(in), want_comp, "compression detected");
	is(nft_input_kind(in), NFT_INPUT_TEXT, "kind TEXT after decompression");
	is(nft_input_kind(in), NFT_INPUT_TEXT, "kind again, still not consumed");
	got = slurp(in, &len);
	ok(got && len == text_len && !memcmp(got, text, len),
	   "%s: content identical (%zu bytes)", tool, len);
	free(got);
	nft_input_close(in);
}

static void test_tools(void)
{
	static const struct {
		const char *tool, *cmd, *comp;
	} t[] = {
		{ "xz", "xz -c '%s' > \"$(dirname '%s')/t.xz\"", "xz" },
		{ "gz", "gzip -c '%s' > \"$(dirname '%s')/t.gz\"", "gzip" },
		{ "zst", "zstd -q -c '%s' > \"$(dirname '%s')/t.zst\"", "zstd" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_roundtrip(t[i].tool, t[i].cmd, t[i].comp);
}

static void test_concatenated(void)
{
	struct nft_input *in;
	char cmd[1024];
	size_t len = 0;
	char *got;

	/* two gzip members and two zstd frames back to back */
	mkfile("a.txt", "first\n", 6);
	mkfile("b.txt", "second\n", 7);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && gzip -c a.txt > c.gz && gzip -c b.txt >> c.gz && "
		 "zstd -q -c a.txt > c.zst && zstd -q -c b.txt >> c.zst && "
		 "xz -c a.txt > c.xz && xz -c b.txt >> c.xz", dir);
	if (system(cmd)) {
		ok(1, "# skip tools missing");
		return;
	}
	static const char *const names[] = { "c.gz", "c.zst", "c.xz" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		in = nft_input_open(path);
		if (!ok(in != NULL, "open %s", names[i]))
			continue;
		got = slurp(in, &len);
		ok(got && len == 13 && !memcmp(got, "first\nsecond\n", 13),
		   "%s: concatenated streams", names[i]);
		free(got);
		nft_input_close(in);
	}
}

static void quiet(void *ctx, enum nft_diag_level level, const char *file,
		  const char *where, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)file;
	(void)where;
	(void)msg;
}

static int count(void *ctx, const struct nft_event *ev)
{
	(void)ev;
	++*(long *)ctx;
	return 0;
}

static void test_truncated(void)
{
	struct nft_input *in;
	long n;
	char cmd[1024];
	size_t len = 0;
	char *got;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && xz -c t.txt | head -c 3000 > tr.xz && "
		 "gzip -c t.txt | head -c 3000 > tr.gz && "
		 "zstd -q -c t.txt | head -c 3000 > tr.zst", dir);
	mkfile("t.txt", text, text_len);
	if (system(cmd)) {
		ok(1, "# skip tools missing");
		return;
	}
	static const char *const names[] = { "tr.xz", "tr.gz", "tr.zst" };
	static const char *const comps[] = { "xz", "gzip", "zstd" };
	for (size_t i = 0; i < 3; i++) {
		struct nft_diag d = { .report = quiet };
		const struct nft_input_fault *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		in = nft_input_open(path);
		if (!ok(in != NULL, "open %s", names[i]))
			continue;
		nft_input_set_diag(in, &d);
		ok(!nft_input_fault(in), "%s: no fault before reading", names[i]);
		got = slurp(in, &len);
		/* a cut stream ends where the damage is, with one error */
		ok(got && len < text_len && !memcmp(got, text, len),
		   "%s: the %zu bytes before the cut, as they were", names[i],
		   len);
		f = nft_input_fault(in);
		ok(f && f->error && !strcmp(f->decompressor, comps[i]) &&
		   f->comp_offset == 3000 && f->offset == len &&
		   strstr(f->what, "cut short"),
		   "%s: fault names %s, compressed offset 3000, decompressed offset %zu",
		   names[i], comps[i], len);
		ok(d.errors == 1, "%s: one error reported", names[i]);
		ok(nft_input_read(in, got ? got : path, 1) == 0,
		   "%s: and the stream stays ended", names[i]);
		free(got);
		nft_input_close(in);
	}

	/* the decoder reads what came before the damage, the diag has it */
	snprintf(path, sizeof(path), "%s/tr.xz", dir);
	in = nft_input_open(path);
	if (ok(in != NULL, "open tr.xz again")) {
		struct nft_diag d = { .report = quiet };
		struct nft_sink sink = { count, &n };
		struct nft_text_stats st;
		int rc;

		n = 0;
		rc = decode_ftrace_text(in, NULL, &sink, &d, &st);
		ok(rc == 0, "decode_ftrace_text: 0 (the cut is reported, not a read error)");
		ok(n > 0, "events before the damage were emitted (%ld)", n);
		ok(d.errors >= 1, "the damage counted as an input error");
		nft_input_close(in);
	}
}

/* Garbage in the middle of each format: the decompressor's error. */
static void test_corrupt(void)
{
	static const char *const names[] = { "t.xz", "t.gz", "t.zst" };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct nft_diag d = { .report = quiet };
		const struct nft_input_fault *f;
		struct nft_input *in;
		char cmd[1024];
		size_t len = 0;
		char *got;

		/* 64 bytes flipped in the middle, as a bad disk block would */
		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && python3 -c \"import sys; d = bytearray(open('%s', 'rb').read()); o = len(d) // 2\n"
			 "for j in range(o, o + 64): d[j] ^= 0x5a\n"
			 "open('bad-%s', 'wb').write(d)\"",
			 dir, names[i], names[i]);
		if (system(cmd)) {
			ok(1, "# skip python3 missing");
			return;
		}
		snprintf(path, sizeof(path), "%s/bad-%s", dir, names[i]);
		in = nft_input_open(path);
		if (!ok(in != NULL, "open bad-%s", names[i]))
			continue;
		nft_input_set_diag(in, &d);
		got = slurp(in, &len);
		f = nft_input_fault(in);
		ok(got && f && f->error && d.errors == 1 && f->offset == len,
		   "bad-%s: an error at decompressed offset %zu (%s)", names[i],
		   len, f ? f->what : "no fault");
		free(got);
		nft_input_close(in);
	}
}

/* Complete data then junk: a warning, the data is all there. */
static void test_trailing_garbage(void)
{
	static const char *const names[] = { "t.gz", "t.zst" };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct nft_diag d = { .report = quiet };
		const struct nft_input_fault *f;
		struct nft_input *in;
		char cmd[1024];
		size_t len = 0;
		char *got;

		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && cat %s > junk-%s && printf 'JUNKJUNK' >> junk-%s",
			 dir, names[i], names[i], names[i]);
		if (system(cmd))
			continue;
		snprintf(path, sizeof(path), "%s/junk-%s", dir, names[i]);
		in = nft_input_open(path);
		if (!ok(in != NULL, "open junk-%s", names[i]))
			continue;
		nft_input_set_diag(in, &d);
		got = slurp(in, &len);
		f = nft_input_fault(in);
		ok(got && len == text_len && f && !f->error && d.warnings == 1 &&
		   !d.errors && strstr(f->what, "8 bytes"),
		   "junk-%s: all data, one warning (%s)", names[i],
		   f ? f->what : "no fault");
		free(got);
		nft_input_close(in);
	}
}

static void test_sizes(void)
{
	uint64_t v = 0;

	ok(!nft_parse_size("50M", &v) && v == 50ull << 20, "50M");
	ok(!nft_parse_size("2G", &v) && v == 2ull << 30, "2G");
	ok(!nft_parse_size("1GiB", &v) && v == 1ull << 30, "1GiB");
	ok(!nft_parse_size("4096", &v) && v == 4096, "4096");
	ok(nft_parse_size("0", &v) && nft_parse_size("-1", &v) &&
	   nft_parse_size("1x", &v) && nft_parse_size("", &v) &&
	   nft_parse_size("99999999999999999999", &v) &&
	   nft_parse_size("20000000000T", &v),
	   "0, -1, 1x, empty and overflows are refused");
	v = nft_spool_default_max();
	ok(v > 0 && v <= 8ull << 30, "default spool bound %llu, at most 8 GiB",
	   (unsigned long long)v);
}

static void test_kinds(void)
{
	static const char dat[] = "\x17\x08\x44tracing6\0\0\0";
	static const char perf[] = "PERFILE2\x68\0\0\0\0\0\0\0";
	static const char bin[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f";
	struct nft_input *in;
	char buf[16];

	in = nft_input_open(mkfile("empty", "", 0));
	if (ok(in != NULL, "open empty")) {
		is(nft_input_kind(in), NFT_INPUT_EMPTY, "EMPTY");
		is(nft_input_read(in, buf, sizeof(buf)), 0, "read at end");
		is_str(nft_input_compression(in), "none", "none");
		nft_input_close(in);
	}
	in = nft_input_open(mkfile("dat", dat, sizeof(dat) - 1));
	if (ok(in != NULL, "open dat")) {
		is(nft_input_kind(in), NFT_INPUT_TRACE_DAT, "TRACE_DAT");
		is(nft_input_read(in, buf, 3), 3, "peeked bytes still readable");
		ok(!memcmp(buf, "\x17\x08\x44", 3), "magic first");
		nft_input_close(in);
	}
	in = nft_input_open(mkfile("perf", perf, sizeof(perf) - 1));
	if (ok(in != NULL, "open perf")) {
		is(nft_input_kind(in), NFT_INPUT_PERF_DATA, "PERF_DATA");
		nft_input_close(in);
	}
	in = nft_input_open(mkfile("bin", bin, sizeof(bin) - 1));
	if (ok(in != NULL, "open bin")) {
		is(nft_input_kind(in), NFT_INPUT_BINARY, "control bytes: BINARY");
		nft_input_close(in);
	}
	in = nft_input_open(mkfile("nul", "abc\0def\n", 8));
	if (ok(in != NULL, "open nul")) {
		is(nft_input_kind(in), NFT_INPUT_BINARY, "NUL: BINARY");
		nft_input_close(in);
	}
	in = nft_input_open(mkfile("utf8", "caf\xc3\xa9 netfs\n", 11));
	if (ok(in != NULL, "open utf8")) {
		is(nft_input_kind(in), NFT_INPUT_TEXT, "UTF-8 is TEXT");
		is_str(nft_input_name(in), path, "name is the path");
		is_str(nft_input_path(in), path, "path");
		nft_input_close(in);
	}
	errno = 0;
	ok(!nft_input_open("/nonexistent/x") && errno == ENOENT,
	   "missing file: NULL, ENOENT");
}

static void test_decode_compressed(void)
{
	static const char *const names[] = { "t.xz", "t.gz", "t.zst" };
	long want = 0, n;
	size_t i;

	for (i = 0; i < text_len; i++)
		want += text[i] == '\n';
	for (i = 0; i < 3; i++) {
		struct nft_sink sink = { count, &n };
		struct nft_diag d = { .report = nft_diag_stderr };
		struct nft_text_stats st;
		struct nft_input *in;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		in = nft_input_open(path);
		if (!ok(in != NULL, "open %s", names[i]))
			continue;
		n = 0;
		is(decode_ftrace_text(in, NULL, &sink, &d, &st), 0, "decode");
		ok(n == want && st.events == (uint64_t)want,
		   "%s: %ld events (want %ld)", names[i], n, want);
		nft_input_close(in);
	}
}

/* A trace saved as UTF-16 (with and without a byte order mark, LE, BE). */
static void test_utf16(void)
{
	static const char line[] =
		"dd-1 [000] ..... 1.0: netfs_rreq_ref: R=00000001 NEW r=1\n";
	size_t n = sizeof(line) - 1, i, len;
	unsigned char *u = malloc(2 * n * 300 + 2);
	struct nft_input *in;
	char *got;
	int v;

	if (!u)
		return;
	for (v = 0; v < 3; v++) {
		size_t o = 0, k;

		if (v == 0) {
			u[o++] = 0xff;
			u[o++] = 0xfe;
		}
		for (k = 0; k < 300; k++)	/* over the peek buffer */
			for (i = 0; i < n; i++) {
				u[o++] = v == 2 ? 0 : line[i];
				u[o++] = v == 2 ? line[i] : 0;
			}
		in = nft_input_open(mkfile("u16", u, o));
		if (!ok(in != NULL, "open utf16"))
			continue;
		is(nft_input_kind(in), NFT_INPUT_TEXT,
		   v == 0 ? "UTF-16LE with BOM: TEXT" :
		   v == 1 ? "UTF-16LE: TEXT" : "UTF-16BE: TEXT");
		got = slurp(in, &len);
		is(len, n * 300, "one byte a character");
		ok(got && !memcmp(got, line, n) &&
		   !memcmp(got + (len - n), line, n), "the text");
		free(got);
		nft_input_close(in);
	}
	free(u);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	make_text();
	if (!text)
		return 1;
	test_tools();
	test_decode_compressed();
	test_concatenated();
	test_truncated();
	test_corrupt();
	test_trailing_garbage();
	test_sizes();
	test_kinds();
	test_utf16();
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		ok(0, "cleanup");
	free(text);
	return tap_done();
}
