// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-replay: offline analysis of a netfs/fscache/cachefiles capture.
 * Options and wiring only: decoders/ reads, libnetfs-trace/ analyses and
 * reports.
 *
 * Exit status: 0 clean, 1 findings of a --fail-on kind, 2 usage error or an
 * input that could not be read or trusted.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/lib/cli.h"
#include "decoders/decoder.h"
#include "decoders/elf.h"
#include "libnetfs-trace/gen.h"
#include "libnetfs-trace/model.h"
#include "libnetfs-trace/model_replay.h"
#include "libnetfs-trace/report/report.h"

#define PROG "netfs-replay"
#define VERSION "0.1"

enum {
	OPT_JSON = 256,
	OPT_BRIEF,
	OPT_INSTANCE,
	OPT_VERSION,
	OPT_MODEL,
	OPT_VOCAB,
	OPT_BTF_BASE,
	OPT_SPOOL_MAX,
};

static const struct nft_cli_option options[] = {
	{ { "input", required_argument, NULL, 'i' }, 'i', "FILE",
	  "capture to read (also the last argument; '-' = stdin; default trace.dat)" },
	{ { "json", no_argument, NULL, OPT_JSON }, 0, NULL,
	  "print one JSON document (docs/json.md)" },
	{ { "request", required_argument, NULL, 'R' }, 'R', "ID",
	  "show one object's life: a request (ID or R=ID: subrequests, timeline, refs, folio and other lines), a subrequest (R=ID[n]), an fscache cookie (c=ID), volume (V=ID) or cache (C=ID), a cachefiles object (o=ID)" },
	{ { "brief", no_argument, NULL, OPT_BRIEF }, 0, NULL,
	  "with -R: only the object's lines, in the compact pasted form" },
	NFT_CLI_ANALYSIS_OPTIONS,
	{ { "instance", required_argument, NULL, OPT_INSTANCE }, 0, "NAME",
	  "trace.dat: the buffer instance to read" },
	{ { "model", no_argument, NULL, OPT_MODEL }, 0, NULL,
	  "replay every request through the reference engine and report where the kernel departs from it (docs/model-replay.md)" },
	{ { "vocab", required_argument, NULL, OPT_VOCAB }, 0, "KOBJ",
	  "instead of a capture: which trace symbols of this kernel module or vmlinux (.ko, .ko.xz, .ko.zst, BTF) we know; repeatable" },
	{ { "btf-base", required_argument, NULL, OPT_BTF_BASE }, 0, "FILE",
	  "with --vocab: vmlinux BTF that module BTF builds on (e.g. /sys/kernel/btf/vmlinux of that kernel)" },
	{ { "spool-max", required_argument, NULL, OPT_SPOOL_MAX }, 0, "SIZE",
	  "a compressed or piped trace.dat is copied to TMPDIR: at most SIZE bytes (K, M, G; default half of TMPDIR's free space, at most 8G; also NETFS_REPLAY_SPOOL_MAX)" },
	{ { "quiet", no_argument, NULL, 'q' }, 'q', NULL,
	  "print the findings only, not the summary" },
	{ { "help", no_argument, NULL, 'h' }, 'h', NULL, "show this help" },
	{ { "version", no_argument, NULL, OPT_VERSION }, 0, NULL,
	  "show the version" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

struct replay_args {
	const char *input;
	bool json, brief, quiet, model;
	bool have_request;
	struct nft_focus focus;	/* -R */
	struct nft_cli_analysis an;
	const char *instance;
	const char **vocab;	/* --vocab files, argv's strings */
	int nvocab;
	const char *btf_base;
	uint64_t spool_max;	/* --spool-max, NETFS_REPLAY_SPOOL_MAX; 0 = default */
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: " PROG " [OPTIONS] [FILE]\n\n"
		     "Rebuild every netfs request, fscache cookie and cachefiles object\n"
		     "of a capture (trace.dat, ftrace text, trace-cmd report or perf\n"
		     "script output, or lines pasted from a mail; plain, xz, gzip or\n"
		     "zstd) and report ref leaks, use-after-free, folios unlocked early,\n"
		     "bad donations, stuck requests, over-reads, bad rewinds, retry\n"
		     "storms and failures.\n\noptions:\n");
	nft_cli_print_options(out, options, N_OPTIONS);
	fprintf(out, "\nfinding kinds:");
	for (i = 0; i < NFT_FIND__NR; i++)
		fprintf(out, " %s", nft_finding_kind_name(i));
	fprintf(out, "\n\nexit status: 0 clean, 1 findings of a --fail-on kind, 2 usage or input error\n");
}

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	struct option longopts[N_OPTIONS + 1];
	int c, rc;

	nft_cli_longopts(options, N_OPTIONS, longopts);
	nft_cli_analysis_init(&a->an);
	{
		const char *env = getenv("NETFS_REPLAY_SPOOL_MAX");

		if (env && *env && nft_parse_size(env, &a->spool_max))
			return nft_cli_usage_error(PROG, "bad size '%s' in NETFS_REPLAY_SPOOL_MAX (e.g. 500M, 2G)", env);
	}
	while ((c = getopt_long(argc, argv, "i:R:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			a->input = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case 'R':
			if (nft_focus_parse(optarg, &a->focus))
				return nft_cli_usage_error(PROG, "bad id '%s' for -R (hex as printed: 00000a98, R=00000a98, R=a98[1], c=2a, V=1, o=5, C=1)", optarg);
			a->have_request = true;
			break;
		case OPT_BRIEF:
			a->brief = true;
			break;
		case OPT_INSTANCE:
			a->instance = optarg;
			break;
		case OPT_VOCAB:
			if (!a->vocab)
				a->vocab = calloc(argc, sizeof(*a->vocab));
			if (!a->vocab)
				return nft_cli_usage_error(PROG, "%s", "out of memory");
			a->vocab[a->nvocab++] = optarg;
			break;
		case OPT_BTF_BASE:
			a->btf_base = optarg;
			break;
		case OPT_MODEL:
			a->model = true;
			break;
		case OPT_SPOOL_MAX:
			if (nft_parse_size(optarg, &a->spool_max))
				return nft_cli_usage_error(PROG, "bad size '%s' for --spool-max (e.g. 500M, 2G)", optarg);
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf(PROG " " VERSION "\n");
			exit(0);
		default:
			rc = nft_cli_analysis_option(PROG, c, optarg, &a->an);
			if (rc == 1)
				break;
			if (rc == 0)
				fprintf(stderr, "Try '" PROG " --help'.\n");
			return 2;
		}
	}
	if (a->btf_base && !a->nvocab)
		return nft_cli_usage_error(PROG, "%s goes with --vocab", "--btf-base");
	if (a->nvocab) {
		if (optind < argc || a->input)
			return nft_cli_usage_error(PROG, "%s takes no capture", "--vocab");
		return 0;
	}
	if (optind < argc) {
		if (a->input || optind + 1 < argc)
			return nft_cli_usage_error(PROG, "one input only ('%s' is extra)", argv[argc - 1]);
		a->input = argv[optind];
	}
	if (a->model && a->have_request)
		return nft_cli_usage_error(PROG, "%s does not go with -R", "--model");
	if (a->brief && !a->have_request)
		return nft_cli_usage_error(PROG, "%s goes with -R", "--brief");
	if (!a->input) {
		if (access("trace.dat", R_OK))
			return nft_cli_usage_error(PROG, "%s", "no input given and no trace.dat here");
		a->input = "trace.dat";
	}
	return 0;
}

/* The first input messages, kept for a refused input's JSON document. */
#define KEPT_MSGS 20

struct kept_msgs {
	int n;
	struct {
		enum nft_diag_level level;
		char where[32];
		char text[320];
	} m[KEPT_MSGS];
};

/* The input, its damage reported through @diag, its spool bounded. */
static struct nft_input *open_input(const struct replay_args *a,
				    struct nft_diag *diag)
{
	struct nft_input *in = nft_input_open(a->input);

	if (!in) {
		fprintf(stderr, PROG ": %s: %s\n", a->input,
			nft_input_open_error(a->input, errno));
		return NULL;
	}
	nft_input_set_diag(in, diag);
	nft_input_set_spool_max(in, a->spool_max);
	return in;
}

struct run {
	struct nft_input *in;
	struct nft_diag diag;
	struct kept_msgs kept;
	struct nft_model *model;
	struct nft_sink sink;
	struct nft_report_input rin;
	char detail[96];
	char instance[64], release[64];	/* rin's, for a trace.dat */
};

static int refuse(struct run *r, const char *what)
{
	nft_diag_report(&r->diag, NFT_DIAG_ERROR, nft_input_name(r->in), "",
			"%s", what);
	return 2;
}

/* Events of other systems only: nothing to analyse, and say why. */
static int no_netfs_events(struct run *r)
{
	if (nft_model_summary(r->model)->events)
		return 0;
	if (r->diag.errors)	/* a damaged or cut capture: not how it was recorded */
		return refuse(r, "no netfs, fscache or cachefiles events could be read from this capture (see the errors above)");
	return refuse(r, "no netfs, fscache or cachefiles events in this capture (record them with: trace-cmd record -e netfs -e fscache -e cachefiles)");
}

static int decode(struct run *r, const struct replay_args *a)
{
	struct nft_sink sink = r->sink;
	int kind = nft_input_kind(r->in);

	switch (kind) {
	case NFT_INPUT_TEXT: {
		struct nft_text_opts o = { .want_raw = a->have_request };
		struct nft_text_stats st = { 0 };
		enum nft_gen g = nft_model_summary(r->model)->gen;

		r->rin.format = "text";
		/* --kernel: read indexes as that generation prints them. */
		if (g != NFT_GEN_AUTO)
			o.dialect = nft_gen_profile(g)->sreq_index_hex ?
				    NFT_DIALECT_MODERN : NFT_DIALECT_6_1;
		if (decode_ftrace_text(r->in, &o, &sink, &r->diag, &st))
			return -1;
		nft_model_summary_mut(r->model)->lines = st.lines;
		snprintf(r->detail, sizeof(r->detail), "%llu lines",
			 (unsigned long long)st.lines);
		if (!st.events && !st.other_events && st.malformed)
			return refuse(r, "no netfs event line could be decoded (see the errors above)");
		if (!st.events && !st.other_events)
			return refuse(r, "no trace events found: not an ftrace text capture");
		return no_netfs_events(r);
	}
	case NFT_INPUT_TRACE_DAT: {
		const char *reader = getenv("NETFS_REPLAY_DAT_READER");
		struct nft_dat_opts o = { .instance = a->instance,
					  .want_raw = a->have_request };

		/* tests compare our chunk reader with libtracecmd's */
		o.libtracecmd_only = reader && !strcmp(reader, "libtracecmd");
		struct nft_dat_stats st = { 0 };

		r->rin.format = "trace.dat";
		if (decode_trace_dat(r->in, &o, &sink, &r->diag, &st))
			return -1;
		snprintf(r->detail, sizeof(r->detail), "%llu records, %d cpus%s%s",
			 (unsigned long long)st.records, st.cpus,
			 st.instance[0] ? ", instance " : "", st.instance);
		snprintf(r->instance, sizeof(r->instance), "%s", st.instance);
		snprintf(r->release, sizeof(r->release), "%s", st.kernel);
		r->rin.dat = true;
		r->rin.records = st.records;
		r->rin.cpus = st.cpus;
		r->rin.instance = r->instance;
		r->rin.release = r->release;
		return no_netfs_events(r);
	}
	case NFT_INPUT_EMPTY:
		if (nft_input_fault(r->in))
			return refuse(r, "nothing could be decompressed before the damage (see above)");
		return refuse(r, "empty input");
	case NFT_INPUT_PERF_DATA:
		return refuse(r, "this is a perf.data file; give netfs-replay its text: perf script -i FILE | netfs-replay - (or record with trace-cmd record -e netfs -e fscache -e cachefiles)");
	case NFT_INPUT_BINARY:
		return refuse(r, "binary data that is neither ftrace text nor a trace.dat");
	default:
		return -1;
	}
}

/* Print as always, and keep the first messages for --json. */
static void keep_report(void *ctx, enum nft_diag_level level,
			const char *file, const char *where, const char *msg)
{
	struct kept_msgs *k = ctx;

	nft_diag_stderr((void *)PROG, level, file, where, msg);
	if (level == NFT_DIAG_NOTE || k->n >= KEPT_MSGS)
		return;
	k->m[k->n].level = level;
	snprintf(k->m[k->n].where, sizeof(k->m[k->n].where), "%s",
		 where ? where : "");
	snprintf(k->m[k->n].text, sizeof(k->m[k->n].text), "%s", msg);
	k->n++;
}

/* The per-kind cap on messages hid some: say how many. */
static void suppressed_note(const struct run *r)
{
	if (r->diag.suppressed)
		fprintf(stderr, PROG ": %s: %lu more message%s not shown (at most 10 of each kind)\n",
			nft_input_name(r->in), r->diag.suppressed,
			r->diag.suppressed == 1 ? "" : "s");
}

/*
 * --json on an input that was refused (or could not be read): still one
 * JSON document, with the reason, so a CI job always parses its output.
 */
static void json_refused(const struct run *r, const char *name)
{
	int i;

	printf("{\n  \"version\": 1,\n  \"input\": {\"file\": ");
	nft_json_str(stdout, r->in ? nft_input_name(r->in) : name);
	printf(", \"format\": ");
	nft_json_str(stdout, r->rin.format ? r->rin.format : "unknown");
	printf(", \"compression\": ");
	nft_json_str(stdout, r->in ? nft_input_compression(r->in) : "none");
	printf(", \"errors\": %lu, \"warnings\": %lu, \"suppressed\": %lu},\n",
	       r->diag.errors, r->diag.warnings, r->diag.suppressed);
	printf("  \"refused\": true,\n  \"messages\": [");
	for (i = 0; i < r->kept.n; i++) {
		printf("%s\n    {\"level\": \"%s\", \"where\": ", i ? "," : "",
		       r->kept.m[i].level == NFT_DIAG_ERROR ? "error" : "warning");
		nft_json_str(stdout, r->kept.m[i].where);
		printf(", \"message\": ");
		nft_json_str(stdout, r->kept.m[i].text);
		printf("}");
	}
	printf("%s],\n  \"summary\": null,\n  \"findings\": [],\n  \"unknown_symbols\": []\n}\n",
	       r->kept.n ? "\n  " : "");
}

/* A decoder that failed without saying why leaves it in errno. */
static void decode_failed(struct run *r)
{
	if (!r->diag.errors)
		fprintf(stderr, PROG ": %s: %s\n", nft_input_name(r->in),
			strerror(errno));
}

/* --model: one line (or JSON object) per request, as each is released. */
struct model_out {
	bool json;
	FILE *out;
	const char *input;
	bool started;
	unsigned long n;
};

static void model_head(struct model_out *mo)
{
	if (mo->started || !mo->json)
		return;
	mo->started = true;
	fprintf(mo->out, "{\"version\": 1, \"input\": {\"file\": ");
	nft_json_str(mo->out, mo->input);
	fprintf(mo->out, "}, \"model\": [");
}

static const char *verdict_name(enum nft_replay_verdict v)
{
	return v == NFT_REPLAY_MATCH ? "match" :
	       v == NFT_REPLAY_DEPART ? "depart" : "not-modelled";
}

static void model_result(void *ctx, const struct nft_replay_result *res)
{
	struct model_out *mo = ctx;
	const char *origin = res->origin ?
		nft_sym_name(NFT_SYMC_ORIGIN, res->origin) : "--";
	int i, n = 0;

	if (!mo->json) {
		fprintf(mo->out, "R=%08x %s ", res->rreq, origin);
		if (res->verdict == NFT_REPLAY_MATCH)
			fprintf(mo->out, "match\n");
		else if (res->verdict == NFT_REPLAY_DEPART)
			fprintf(mo->out, "departs at line %llu: %s #%u: kernel <%s> model <%s>\n",
				(unsigned long long)res->line, res->object,
				res->position, res->kernel, res->model);
		else
			fprintf(mo->out, "not modelled (%s)\n", res->why);
		return;
	}
	model_head(mo);
	fprintf(mo->out, "%s\n  {\"request\": \"%08x\", \"origin\": ",
		mo->n++ ? "," : "", res->rreq);
	nft_json_str(mo->out, res->origin ? origin : "");
	fprintf(mo->out, ", \"result\": \"%s\"", verdict_name(res->verdict));
	if (res->verdict == NFT_REPLAY_DEPART) {
		fprintf(mo->out, ", \"line\": %llu, \"object\": ",
			(unsigned long long)res->line);
		nft_json_str(mo->out, res->object);
		fprintf(mo->out, ", \"position\": %u, \"kernel\": ", res->position);
		nft_json_str(mo->out, res->kernel);
		fprintf(mo->out, ", \"model\": ");
		nft_json_str(mo->out, res->model);
	}
	if (res->verdict == NFT_REPLAY_NOT_MODELLED) {
		fprintf(mo->out, ", \"why\": ");
		nft_json_str(mo->out, res->why);
	}
	fprintf(mo->out, ", \"ignored\": [");
	for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
		if (res->ignored & (1u << i)) {
			fprintf(mo->out, "%s", n++ ? ", " : "");
			nft_json_str(mo->out, nft_replay_ignore_name(i));
		}
	fprintf(mo->out, "]}");
}

/* The object bound was reached: say so on stderr too (also with -q). */
static void bound_warnings(struct run *r)
{
	const struct nft_summary *sum = nft_model_summary(r->model);
	char note[512];

	for (unsigned int bit = NFT_NOTE_EVICTED;
	     bit <= NFT_NOTE_FINDINGS_CAPPED; bit <<= 1)
		if (sum->notes & bit)
			nft_diag_report(&r->diag, NFT_DIAG_WARNING,
					nft_input_name(r->in), "", "%s",
					nft_note_fmt(sum, bit, note, sizeof(note)));
}

static int run_model(const struct replay_args *a)
{
	struct model_out mo = { a->json, stdout, NULL, false, 0 };
	struct nft_replay_opts ropts = { 0 };
	const struct nft_replay_stats *st;
	struct nft_replay *rp;
	struct run r = { 0 };
	int status = 0, rc, i, n = 0;

	r.diag.report = nft_diag_stderr;
	r.diag.ctx = (void *)PROG;
	r.in = open_input(a, &r.diag);
	if (!r.in)
		return 2;
	mo.input = nft_input_name(r.in);
	nft_cli_model_opts(&a->an, &ropts.model);
	ropts.result = model_result;
	ropts.ctx = &mo;
	rp = nft_replay_new(&ropts);
	if (!rp) {
		fprintf(stderr, PROG ": out of memory\n");
		nft_input_close(r.in);
		return 2;
	}
	r.model = nft_replay_model(rp);
	r.sink = (struct nft_sink){ nft_replay_event, rp };
	rc = decode(&r, a);
	if (rc < 0)
		decode_failed(&r);
	suppressed_note(&r);
	if (rc) {
		status = 2;
		goto out;
	}
	nft_replay_finish(rp);
	bound_warnings(&r);
	st = nft_replay_stats(rp);
	if (a->json) {
		model_head(&mo);
		fprintf(mo.out, "%s], \"model_summary\": {\"kernel\": ",
			st->requests ? "\n" : "");
		nft_json_str(mo.out, nft_gen_name(nft_model_summary(r.model)->gen));
		fprintf(mo.out, ", \"requests\": %llu, \"match\": %llu, \"depart\": %llu, \"not_modelled\": %llu, \"ignored\": {",
			(unsigned long long)st->requests,
			(unsigned long long)st->match,
			(unsigned long long)st->depart,
			(unsigned long long)st->not_modelled);
		for (i = 0; i < NFT_REPLAY_IGN__NR; i++) {
			fprintf(mo.out, "%s", n++ ? ", " : "");
			nft_json_str(mo.out, nft_replay_ignore_name(i));
			fprintf(mo.out, ": %llu", (unsigned long long)st->ignored[i]);
		}
		fprintf(mo.out, "}}}\n");
	} else {
		printf("model: %llu requests, %llu match, %llu depart, %llu not modelled\n",
		       (unsigned long long)st->requests,
		       (unsigned long long)st->match,
		       (unsigned long long)st->depart,
		       (unsigned long long)st->not_modelled);
	}
	if (st->depart)
		status = 1;
	if (r.diag.errors)
		status = 2;
out:
	nft_replay_free(rp);
	nft_input_close(r.in);
	return status;
}

static int run_replay(const struct replay_args *a)
{
	struct nft_report_opts ropts = { a->an.fail_mask, a->quiet };
	struct nft_model_opts mopts = { 0 };
	struct run r = { 0 };
	const struct nft_finding *f;
	size_t n, i;
	int status = 0, rc;

	if (a->model)
		return run_model(a);
	r.diag.report = keep_report;
	r.diag.ctx = &r.kept;
	r.in = nft_input_open(a->input);
	if (!r.in) {
		nft_diag_report(&r.diag, NFT_DIAG_ERROR, a->input, "", "%s",
				nft_input_open_error(a->input, errno));
		if (a->json)
			json_refused(&r, a->input);
		return 2;
	}
	nft_input_set_diag(r.in, &r.diag);
	nft_input_set_spool_max(r.in, a->spool_max);
	nft_cli_model_opts(&a->an, &mopts);
	if (a->have_request)
		mopts.focus = a->focus;
	r.model = nft_model_new(&mopts);
	r.sink = (struct nft_sink){ nft_model_event, r.model };
	if (!r.model) {
		fprintf(stderr, PROG ": out of memory\n");
		nft_input_close(r.in);
		return 2;
	}
	rc = decode(&r, a);
	if (rc < 0)
		decode_failed(&r);
	if (rc) {
		suppressed_note(&r);
		if (a->json)
			json_refused(&r, a->input);
		status = 2;
		goto out;
	}
	suppressed_note(&r);
	nft_model_finish(r.model);
	bound_warnings(&r);
	r.rin.name = nft_input_name(r.in);
	r.rin.compression = nft_input_compression(r.in);
	r.rin.detail = r.detail;
	r.rin.errors = r.diag.errors;
	r.rin.warnings = r.diag.warnings;
	r.rin.suppressed = r.diag.suppressed;
	if (a->have_request) {
		if (nft_report_focus(stdout, r.model, a->brief, a->json)) {
			char name[NFT_OBJECT_LEN];

			nft_focus_name(&a->focus, name);
			fprintf(stderr, PROG ": %s: no %s %s in this capture\n",
				r.rin.name, nft_focus_kind(a->focus.type), name);
			status = 2;
			goto out;
		}
	} else if (a->json) {
		nft_report_json(stdout, r.model, &r.rin, &ropts);
	} else {
		nft_report_text(stdout, r.model, &r.rin, &ropts);
	}
	f = nft_model_findings(r.model, &n);
	for (i = 0; i < n; i++)
		if (a->an.fail_mask & (1u << f[i].kind))
			status = 1;
	if (r.diag.errors)
		status = 2;
out:
	nft_model_free(r.model);
	nft_input_close(r.in);
	return status;
}

int main(int argc, char **argv)
{
	struct replay_args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc) {
		free(a.vocab);
		return rc;
	}
	if (a.nvocab)
		rc = nft_vocab_report(stdout, PROG, a.vocab, a.nvocab,
				      a.btf_base);
	else
		rc = run_replay(&a);
	free(a.vocab);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		return 2;
	}
	return rc;
}
