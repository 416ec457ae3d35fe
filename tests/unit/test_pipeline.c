// SPDX-License-Identifier: GPL-2.0
/*
 * The capture pipeline (libnetfs-trace/pipeline.c) on real fixtures and on
 * the inputs it must refuse: the status, the model, the input facts, the
 * messages kept and the refusal hints as data -- and nothing printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libnetfs-trace/findings.h"
#include "libnetfs-trace/pipeline.h"
#include "tap.h"

static char dir[] = "/tmp/nft-pipeline-XXXXXX";

static const char *mkfile(const char *name, const void *data, size_t len)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	f = fopen(p, "w");
	if (!f)
		return NULL;
	fwrite(data, 1, len, f);
	fclose(f);
	return p;
}

/* Every message the pipeline passed on, one per line. */
static char seen[8192];

static void collect(void *ctx, enum nft_diag_level level, const char *file,
		    const char *where, const char *msg)
{
	size_t n = strlen(seen);

	(void)ctx;
	snprintf(seen + n, sizeof(seen) - n, "%d|%s|%s|%s\n", level,
		 file ? file : "", where ? where : "", msg);
}

static int count_events(void *ctx, const struct nft_event *ev)
{
	(void)ev;
	++*(unsigned long *)ctx;
	return 0;
}

static void run(const char *input, struct nft_pipeline_result *r)
{
	struct nft_pipeline_opts o = { .input = input, .report = collect };

	seen[0] = 0;
	nft_pipeline_run(&o, r);
}

/* A real text capture: the model, finished, and what the input is. */
static void test_text(void)
{
	struct nft_pipeline_result r;
	const char *f = "tests/fixtures/6.12/smb_seqread.txt.xz";
	const struct nft_summary *s;

	is(nft_pipeline_run(&(struct nft_pipeline_opts){ .input = f }, &r),
	   NFT_PIPELINE_OK, "text: status");
	is(r.hint, NFT_HINT_NONE, "text: no hint");
	is(r.kind, NFT_INPUT_TEXT, "text: kind");
	ok(r.model != NULL, "text: the pipeline's model");
	is_str(r.input.name, f, "text: name");
	is_str(r.input.format, "text", "text: format");
	is_str(r.input.compression, "xz", "text: compression");
	is_str(r.input.detail, "1092 lines", "text: detail");
	is(r.lines, 1092, "text: lines");
	is(r.events, 1080, "text: events decoded");
	is(r.input.errors, 0, "text: no errors");
	ok(!r.input.dat, "text: not a trace.dat");
	if (r.model) {
		s = nft_model_summary(r.model);
		is(s->events, 1080, "text: the model saw every event");
		is(s->requests, 6, "text: 6 requests");
		is(s->lines, 1092, "text: the model knows the lines");
		is(s->bytes_read, 33554432, "text: bytes read");
	}
	nft_pipeline_result_free(&r);
	ok(!r.model && !r.in, "text: freed");
}

/* A trace.dat: the records, cpus and the kernel it was recorded on. */
static void test_dat(void)
{
	struct nft_pipeline_result r;

	run("tests/fixtures/6.12/append.dat", &r);
	is(r.status, NFT_PIPELINE_OK, "dat: status");
	is(r.kind, NFT_INPUT_TRACE_DAT, "dat: kind");
	is_str(r.input.format, "trace.dat", "dat: format");
	ok(r.input.dat, "dat: dat");
	is(r.input.records, 1200, "dat: records");
	is(r.input.cpus, 2, "dat: cpus");
	is_str(r.input.release, "6.12.107+deb13-amd64", "dat: release");
	is_str(r.input.instance, "", "dat: top-level instance");
	is_str(r.input.detail, "1200 records, 2 cpus", "dat: detail");
	/* a note says which instance; notes go on but are not kept */
	ok(strstr(seen, "buffer instance: top level") != NULL,
	   "dat: the note passed on");
	is(r.n_msgs, 0, "dat: notes not kept");
	ok(r.model && nft_model_summary(r.model)->events > 0, "dat: events");
	nft_pipeline_result_free(&r);
}

/* Findings come out of the model the pipeline finished. */
static void test_findings(void)
{
	struct nft_pipeline_result r;
	const struct nft_finding *f;
	size_t n = 0;

	run("tests/fixtures/6.12/fc_read.txt.xz", &r);
	is(r.status, NFT_PIPELINE_OK, "findings: status");
	f = r.model ? nft_model_findings(r.model, &n) : NULL;
	is(n, 1, "findings: one");
	if (n)
		is(f[0].kind, NFT_FIND_BAD_CONTEXT, "findings: bad-context");
	nft_pipeline_result_free(&r);
}

/* The caller's own sink: events go there, no model, no netfs refusal. */
static void test_sink(void)
{
	struct nft_pipeline_result r;
	unsigned long n = 0;
	struct nft_pipeline_opts o = {
		.input = "tests/fixtures/6.12/smb_seqread.txt.xz",
		.sink = { count_events, &n },
	};
	static const char other[] =
		"  bash-1 [000] .....  1.000001: sched_switch: prev_comm=bash prev_pid=1\n"
		"  bash-1 [000] .....  1.000002: sched_switch: prev_comm=bash prev_pid=1\n";

	is(nft_pipeline_run(&o, &r), NFT_PIPELINE_OK, "sink: status");
	ok(r.model == NULL, "sink: no model of the pipeline's");
	is(n, 1080, "sink: every event");
	nft_pipeline_result_free(&r);

	/* other systems' events only: refused with a model, not without */
	n = 0;
	o.input = mkfile("other.txt", other, sizeof(other) - 1);
	is(nft_pipeline_run(&o, &r), NFT_PIPELINE_OK, "sink: other events ok");
	is(n, 2, "sink: other events passed on");
	nft_pipeline_result_free(&r);
	run(o.input, &r);
	is(r.status, NFT_PIPELINE_REFUSED, "model: other events refused");
	is(r.hint, NFT_HINT_NO_NETFS, "model: hint no-netfs");
	is_str(r.input.format, "text", "model: format known");
	nft_pipeline_result_free(&r);
}

struct refusal {
	const char *name;
	const char *data;
	size_t len;
	enum nft_pipeline_hint hint;
	const char *words;	/* in the hint's text */
};

/* Inputs with nothing to analyse: a hint each, and nothing reported. */
static void test_refusals(void)
{
	static const struct refusal cases[] = {
		{ "empty", "", 0, NFT_HINT_EMPTY, "empty input" },
		{ "perf.data", "PERFILE2\0\0\0\0\0\0\0\0", 16,
		  NFT_HINT_PERF_DATA, "perf script -i FILE | netfs-replay -" },
		{ "bin", "\x01\x02\x03\x00\xff\xfe\x00\x00\x10", 9,
		  NFT_HINT_BINARY, "neither ftrace text nor a trace.dat" },
		{ "prose.txt", "hello\nworld\n", 12, NFT_HINT_NOT_TRACE,
		  "no trace events found" },
		/* as trace-cmd report -R prints them (raw numbers) */
		{ "raw.txt",
		  "              sh-721   [001]    72.347594: netfs_folio:           ino=5223bf index=00000 nr=1 why=6\n",
		  100, NFT_HINT_TEXT_UNDECODABLE,
		  "no netfs event line could be decoded" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct refusal *c = &cases[i];
		struct nft_pipeline_result r;
		int before;

		run(mkfile(c->name, c->data, c->len), &r);
		is(r.status, NFT_PIPELINE_REFUSED, c->name);
		is(r.hint, c->hint, c->name);
		ok(strstr(nft_pipeline_hint_text(r.hint), c->words) != NULL,
		   "%s: the hint's text says '%s'", c->name, c->words);
		ok(strcmp(nft_pipeline_hint_name(r.hint), "none"),
		   "%s: the hint has a name", c->name);
		/* the refusal itself is not reported: the caller says it */
		ok(!strstr(seen, nft_pipeline_hint_text(r.hint)),
		   "%s: not reported by the library", c->name);
		before = r.n_msgs;
		nft_pipeline_report(&r, NFT_DIAG_ERROR, "%s",
				    nft_pipeline_hint_text(r.hint));
		is(r.n_msgs, before + 1, "the caller's report is kept");
		is_str(r.msgs[r.n_msgs - 1].text,
		       nft_pipeline_hint_text(r.hint), "kept text");
		ok(strstr(seen, nft_pipeline_hint_text(r.hint)) != NULL,
		   "%s: the caller's report passed on", c->name);
		ok(r.model == NULL || !nft_model_summary(r.model)->events,
		   "%s: no events", c->name);
		nft_pipeline_result_free(&r);
	}
	is_str(nft_pipeline_hint_text(NFT_HINT_NONE), "", "no hint: no text");
	is_str(nft_pipeline_hint_text(NFT_HINT__NR + 3), "", "out of range");
	for (i = 1; i < NFT_HINT__NR; i++)
		ok(*nft_pipeline_hint_text(i) && *nft_pipeline_hint_name(i),
		   "hint %zu has a text and a name", i);
}

static void test_open_failed(void)
{
	struct nft_pipeline_result r;
	char p[600];

	snprintf(p, sizeof(p), "%s/no-such", dir);
	run(p, &r);
	is(r.status, NFT_PIPELINE_OPEN_FAILED, "open: status");
	is(r.error, ENOENT, "open: errno");
	ok(r.in == NULL && r.model == NULL, "open: nothing made");
	is_str(r.input.name, p, "open: the name as given");
	is_str(r.input.compression, "none", "open: compression");
	ok(r.input.format == NULL, "open: format not known");
	is_str(seen, "", "open: nothing reported");
	nft_pipeline_result_free(&r);
}

/* Damage is reported through the caller's function, counted and kept. */
static void test_damaged(void)
{
	struct nft_pipeline_result r;
	char cmd[1200];
	const char *p;

	snprintf(cmd, sizeof(cmd),
		 "xz -dc tests/fixtures/6.12/smb_seqread.txt.xz | head -c 60000 | xz -c | head -c 6000 > %s/cut.txt.xz",
		 dir);
	if (system(cmd)) {
		ok(0, "damaged: made the file");
		return;
	}
	snprintf(cmd, sizeof(cmd), "%s/cut.txt.xz", dir);
	p = cmd;
	run(p, &r);
	ok(r.diag.errors >= 1, "damaged: an error counted");
	is(r.input.errors, r.diag.errors, "damaged: input facts carry it");
	ok(r.n_msgs >= 1 && r.msgs[0].level == NFT_DIAG_ERROR,
	   "damaged: the error kept");
	ok(strstr(seen, "xz") != NULL, "damaged: passed on, naming xz");
	nft_pipeline_result_free(&r);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_text();
	test_dat();
	test_findings();
	test_sink();
	test_refusals();
	test_open_failed();
	test_damaged();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			ok(0, "cleanup");
	}
	return tap_done();
}
