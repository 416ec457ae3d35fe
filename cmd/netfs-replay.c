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
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "cmd/lib/cli.h"
#include "decoders/decoder.h"
#include "decoders/elf.h"
#include "libnetfs-trace/gen.h"
#include "libnetfs-trace/model.h"
#include "libnetfs-trace/model_replay.h"
#include "libnetfs-trace/pipeline.h"
#include "libnetfs-trace/report/perfetto.h"
#include "libnetfs-trace/report/report.h"
#include "libnetfs-trace/report/html.h"

#define PROG "netfs-replay"
#define VERSION "0.1"

struct replay_args {
	const char *input;
	const char **inputs;	/* the captures, argv's strings */
	int ninputs;
	unsigned long jobs;	/* -j; 0 = the number of CPUs */
	bool json, brief, quiet, model;
	bool have_request;
	struct nft_focus focus;	/* -R */
	struct nft_cli_analysis an;
	const char *instance;
	struct nft_cli_list vocab;	/* --vocab files, argv's strings */
	const char *btf_base;
	uint64_t spool_max;	/* --spool-max, NETFS_REPLAY_SPOOL_MAX; 0 = default */
	const char *html;	/* --html FILE */
	const char *perfetto;	/* --perfetto FILE */
};

static void usage_head(FILE *out)
{
	fprintf(out, "usage: " PROG " [OPTIONS] [FILE...]\n\n"
		     "Rebuild every netfs request, fscache cookie and cachefiles object\n"
		     "of a capture (trace.dat, ftrace text, trace-cmd report or perf\n"
		     "script output, or lines pasted from a mail; plain, xz, gzip or\n"
		     "zstd) and report ref leaks, use-after-free, folios unlocked early,\n"
		     "bad donations, stuck requests, over-reads, bad rewinds, retry\n"
		     "storms and failures.  Several captures are analysed in parallel\n"
		     "(-j) and reported one after another in the order given.\n\n");
}

static void usage_tail(FILE *out)
{
	size_t i;

	fprintf(out, "\nfinding kinds:");
	for (i = 0; i < NFT_FIND__NR; i++)
		fprintf(out, " %s", nft_finding_kind_name(i));
	fprintf(out, "\n\nexit status: 0 clean, 1 findings of a --fail-on kind, 2 usage or input error\n"
		     "(several captures: the worst of theirs)\n");
}

/* -R ID: the object to show. */
static int request_cb(const struct nft_option *opt, const char *arg)
{
	struct replay_args *a = opt->value;

	if (nft_focus_parse(arg, &a->focus))
		return -1;
	a->have_request = true;
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_args *a)
{
	const struct nft_option options[] = {
		OPT_GROUP("options:"),
		OPT_STRING('i', "input", &a->input, "FILE",
			   "capture to read (also the last argument; '-' = stdin; default trace.dat)"),
		OPT_ULONG('j', "jobs", &a->jobs, "N", 1, 4096,
			  "several captures (FILE...): analyse N at a time (default: the number of CPUs); reports still come in the order given",
			  .err = "-j wants a number of jobs from 1 to 4096, not '%s'"),
		OPT_BOOL(0, "json", &a->json,
			 "print one JSON document (docs/json.md)"),
		OPT_CALLBACK('R', "request", a, "ID",
			     "show one object's life: a request (ID or R=ID: subrequests, timeline, refs, folio and other lines), a subrequest (R=ID[n]), an fscache cookie (c=ID), volume (V=ID) or cache (C=ID), a cachefiles object (o=ID)",
			     request_cb,
			     .err = "bad id '%s' for -R (hex as printed: 00000a98, R=00000a98, R=a98[1], c=2a, V=1, o=5, C=1)"),
		OPT_STRING(0, "html", &a->html, "FILE",
			   "also write a self-contained HTML report to FILE: summary, findings, timeline, drill-downs (docs/html.md); with -R: that request only"),
		OPT_STRING(0, "perfetto", &a->perfetto, "FILE",
			   "also write the capture as a Perfetto trace (TrackEvent protobuf) to FILE, '-' = stdout; with -R: that object only (docs/perfetto.md)"),
		OPT_BOOL(0, "brief", &a->brief,
			 "with -R: only the object's lines, in the compact pasted form"),
		NFT_CLI_ANALYSIS_OPTIONS(&a->an),
		OPT_STRING(0, "instance", &a->instance, "NAME",
			   "trace.dat: the buffer instance to read"),
		OPT_BOOL(0, "model", &a->model,
			 "replay every request through the reference engine and report where the kernel departs from it (docs/model-replay.md)"),
		OPT_STRING_LIST(0, "vocab", &a->vocab, "KOBJ",
				"instead of a capture: which trace symbols of this kernel module or vmlinux (.ko, .ko.xz, .ko.zst, BTF) we know; repeatable"),
		OPT_STRING(0, "btf-base", &a->btf_base, "FILE",
			   "with --vocab: vmlinux BTF that module BTF builds on (e.g. /sys/kernel/btf/vmlinux of that kernel)"),
		OPT_SIZE(0, "spool-max", &a->spool_max, "SIZE",
			 "a compressed or piped trace.dat is copied to TMPDIR: at most SIZE bytes (K, M, G; default half of TMPDIR's free space, at most 8G; also NETFS_REPLAY_SPOOL_MAX)",
			 .err = "bad size '%s' for --spool-max (e.g. 500M, 2G)"),
		OPT_BOOL('q', "quiet", &a->quiet,
			 "print the findings only, not the summary"),
		OPT_HELP(),
		OPT_VERSION(),
		OPT_END(),
	};
	const struct nft_cli cli = {
		.prog = PROG, .version = VERSION, .options = options,
		.usage_head = usage_head, .usage_tail = usage_tail,
	};
	const char *env = getenv("NETFS_REPLAY_SPOOL_MAX");
	int first, rc;

	nft_cli_analysis_init(&a->an);
	if (env && *env && nft_parse_size(env, &a->spool_max))
		return nft_cli_usage_error(PROG, "bad size '%s' in NETFS_REPLAY_SPOOL_MAX (e.g. 500M, 2G)", env);
	rc = nft_cli_parse(&cli, argc, argv, &first);
	if (rc)
		return rc;
	if (a->btf_base && !a->vocab.n)
		return nft_cli_usage_error(PROG, "%s goes with --vocab", "--btf-base");
	if (a->vocab.n) {
		if (first < argc || a->input)
			return nft_cli_usage_error(PROG, "%s takes no capture", "--vocab");
		return 0;
	}
	if (first < argc) {
		if (a->input)
			return nft_cli_usage_error(PROG, "one input only with -i ('%s' is extra; give several captures as arguments)", argv[first]);
		a->input = argv[first];
		a->inputs = (const char **)argv + first;
		a->ninputs = argc - first;
	}
	if (a->ninputs > 1) {
		int i, stdin_seen = 0;

		if (a->have_request)
			return nft_cli_usage_error(PROG, "%s goes with one capture", "-R");
		if (a->model)
			return nft_cli_usage_error(PROG, "%s goes with one capture", "--model");
		if (a->html)
			return nft_cli_usage_error(PROG, "%s goes with one capture", "--html");
		for (i = 0; i < a->ninputs; i++)
			if (!strcmp(a->inputs[i], "-") && stdin_seen++)
				return nft_cli_usage_error(PROG, "%s: standard input can be read once", "-");
	}
	if (a->model && a->html)
		return nft_cli_usage_error(PROG, "%s does not go with --model", "--html");
	if (a->perfetto && a->model)
		return nft_cli_usage_error(PROG, "%s does not go with --model", "--perfetto");
	if (a->perfetto && a->ninputs > 1 && !strcmp(a->perfetto, "-"))
		return nft_cli_usage_error(PROG, "%s: several captures go into a file, not to stdout", "--perfetto -");
	if (a->model && a->have_request)
		return nft_cli_usage_error(PROG, "%s does not go with -R", "--model");
	if (a->brief && !a->have_request)
		return nft_cli_usage_error(PROG, "%s goes with -R", "--brief");
	if (!a->input) {
		if (access("trace.dat", R_OK))
			return nft_cli_usage_error(PROG, "%s", "no input given and no trace.dat here");
		a->input = "trace.dat";
	}
	if (!a->ninputs) {
		a->inputs = &a->input;
		a->ninputs = 1;
	}
	return 0;
}

/* The input's messages on stderr, named by the program. */
static void pipeline_opts(const struct replay_args *a, const char *input,
			  struct nft_pipeline_opts *o)
{
	const char *reader = getenv("NETFS_REPLAY_DAT_READER");

	*o = (struct nft_pipeline_opts){
		.input = input,
		.report = nft_diag_stderr,
		.report_ctx = (void *)PROG,
		.spool_max = a->spool_max,
		.instance = a->instance,
		.want_raw = a->have_request,
		/* tests compare our chunk reader with libtracecmd's */
		.libtracecmd_only = reader && !strcmp(reader, "libtracecmd"),
	};
}

/*
 * A run that did not end in a model: say why, as the error it is (the
 * refusal hint through the input's diag, so it is counted and kept for
 * --json; a read failure the decoder did not explain by its errno).
 */
static void say_why(struct nft_pipeline_result *r)
{
	if (r->status == NFT_PIPELINE_REFUSED)
		nft_pipeline_report(r, NFT_DIAG_ERROR, "%s",
				    nft_pipeline_hint_text(r->hint));
	else if (r->status == NFT_PIPELINE_READ_FAILED && !r->diag.errors)
		fprintf(stderr, PROG ": %s: %s\n", r->input.name,
			strerror(r->error));
}

/* The per-kind cap on messages hid some: say how many. */
static void suppressed_note(const struct nft_pipeline_result *r)
{
	if (r->diag.suppressed)
		fprintf(stderr, PROG ": %s: %lu more message%s not shown (at most 10 of each kind)\n",
			r->input.name, r->diag.suppressed,
			r->diag.suppressed == 1 ? "" : "s");
}

/* --model: one line (or JSON object) per request, as each is released. */
struct model_out {
	bool json;
	FILE *out;
	const struct nft_pipeline_result *r;	/* the input's name */
	bool started;
	struct nft_jw jw;
};

/* The document's head, up to the "model" array (open). */
static void model_head(struct model_out *mo)
{
	if (mo->started || !mo->json)
		return;
	mo->started = true;
	nft_jw_init(&mo->jw, mo->out, NFT_JW_COMPACT);
	nft_jw_object_begin(&mo->jw, NULL);
	nft_jw_u64(&mo->jw, "version", 1);
	nft_jw_object_begin(&mo->jw, "input");
	nft_jw_str(&mo->jw, "file", mo->r->input.name);
	nft_jw_end(&mo->jw);
	nft_jw_array_begin(&mo->jw, "model");
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
	int i;

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
	nft_jw_line(&mo->jw);
	nft_jw_object_begin(&mo->jw, NULL);
	nft_jw_strf(&mo->jw, "request", "%08x", res->rreq);
	nft_jw_str(&mo->jw, "origin", res->origin ? origin : "");
	nft_jw_str(&mo->jw, "result", verdict_name(res->verdict));
	if (res->verdict == NFT_REPLAY_DEPART) {
		nft_jw_u64(&mo->jw, "line", res->line);
		nft_jw_str(&mo->jw, "object", res->object);
		nft_jw_u64(&mo->jw, "position", res->position);
		nft_jw_str(&mo->jw, "kernel", res->kernel);
		nft_jw_str(&mo->jw, "model", res->model);
	}
	if (res->verdict == NFT_REPLAY_NOT_MODELLED)
		nft_jw_str(&mo->jw, "why", res->why);
	nft_jw_array_begin(&mo->jw, "ignored");
	for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
		if (res->ignored & (1u << i))
			nft_jw_str(&mo->jw, NULL, nft_replay_ignore_name(i));
	nft_jw_end(&mo->jw);
	nft_jw_end(&mo->jw);
}

/* The object bound was reached: say so on stderr too (also with -q). */
static void bound_warnings(struct nft_pipeline_result *r,
			   const struct nft_model *m)
{
	const struct nft_summary *sum = nft_model_summary(m);
	char note[512];

	for (unsigned int bit = NFT_NOTE_EVICTED;
	     bit <= NFT_NOTE_FINDINGS_CAPPED; bit <<= 1)
		if (sum->notes & bit)
			nft_pipeline_report(r, NFT_DIAG_WARNING, "%s",
					    nft_note_fmt(sum, bit, note,
							 sizeof(note)));
}

static int run_model(const struct replay_args *a, const char *input)
{
	struct nft_pipeline_result r;
	struct model_out mo = { .json = a->json, .out = stdout, .r = &r };
	struct nft_replay_opts ropts = { 0 };
	const struct nft_replay_stats *st;
	struct nft_pipeline_opts po;
	struct nft_model *model;
	struct nft_replay *rp;
	int status = 0, i;

	nft_cli_model_opts(&a->an, &ropts.model);
	ropts.result = model_result;
	ropts.ctx = &mo;
	rp = nft_replay_new(&ropts);
	if (!rp) {
		fprintf(stderr, PROG ": out of memory\n");
		return 2;
	}
	model = nft_replay_model(rp);
	pipeline_opts(a, input, &po);
	po.sink = (struct nft_sink){ nft_replay_event, rp };
	po.sink_model = model;
	if (nft_pipeline_run(&po, &r) == NFT_PIPELINE_OPEN_FAILED) {
		fprintf(stderr, PROG ": %s: %s\n", input,
			nft_input_open_error(input, r.error));
		nft_replay_free(rp);
		return 2;
	}
	say_why(&r);
	suppressed_note(&r);
	if (r.status != NFT_PIPELINE_OK) {
		status = 2;
		goto out;
	}
	nft_replay_finish(rp);
	bound_warnings(&r, model);
	st = nft_replay_stats(rp);
	if (a->json) {
		model_head(&mo);
		nft_jw_line(&mo.jw);
		nft_jw_end(&mo.jw);
		nft_jw_object_begin(&mo.jw, "model_summary");
		nft_jw_str(&mo.jw, "kernel",
			   nft_gen_name(nft_model_summary(model)->gen));
		nft_jw_u64(&mo.jw, "requests", st->requests);
		nft_jw_u64(&mo.jw, "match", st->match);
		nft_jw_u64(&mo.jw, "depart", st->depart);
		nft_jw_u64(&mo.jw, "not_modelled", st->not_modelled);
		nft_jw_object_begin(&mo.jw, "ignored");
		for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
			nft_jw_u64(&mo.jw, nft_replay_ignore_name(i),
				   st->ignored[i]);
		nft_jw_end(&mo.jw);
		nft_jw_end(&mo.jw);
		nft_jw_end(&mo.jw);
		fputc('\n', mo.out);
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
	nft_pipeline_result_free(&r);
	return status;
}

/* --perfetto: the writer, hooked into the model options; NULL: said why. */
static struct nft_perfetto *replay_perfetto(const struct replay_args *a,
					    const char *input,
					    struct nft_model_opts *mopts)
{
	struct nft_perfetto_opts o = {
		.path = a->perfetto, .capture = input,
		.append = a->ninputs > 1, .gen = mopts->gen,
		.focus = a->have_request ? a->focus : (struct nft_focus){ 0 },
	};
	struct nft_perfetto *pf;
	int err;

	while (o.index + 1 < (unsigned int)a->ninputs &&
	       a->inputs[o.index] != input)
		o.index++;
	pf = nft_perfetto_open(&o, &err);
	if (!pf)
		fprintf(stderr, PROG ": %s: %s\n", a->perfetto, strerror(err));
	else
		nft_perfetto_hook(pf, &mopts->hooks);
	return pf;
}

static int replay_perfetto_close(const struct replay_args *a,
				 struct nft_perfetto *pf)
{
	int err = nft_perfetto_close(pf, NULL);

	if (err)
		fprintf(stderr, PROG ": %s: %s\n", a->perfetto, strerror(err));
	return err;
}

/* One capture's report on stdout (messages on stderr); its exit status. */
static int run_replay(const struct replay_args *a, const char *input)
{
	struct nft_report_opts ropts = {
		.fail_mask = a->an.fail_mask,
		.quiet = a->quiet,
		/* several captures: JSON Lines, a document a line */
		.one_line = a->ninputs > 1,
	};
	struct nft_model_opts mopts = { 0 };
	struct nft_pipeline_result r;
	struct nft_pipeline_opts po;
	const struct nft_finding *f;
	struct nft_html *html = NULL;
	struct nft_perfetto *pf = NULL;
	FILE *out = stdout;
	size_t n, i;
	int status = 0;

	if (a->model)
		return run_model(a, input);
	nft_cli_model_opts(&a->an, &mopts);
	if (a->have_request)
		mopts.focus = a->focus;
	if (a->perfetto) {
		pf = replay_perfetto(a, input, &mopts);
		if (!pf)
			return 2;
		if (!strcmp(a->perfetto, "-"))
			out = stderr;
	}
	pipeline_opts(a, input, &po);
	po.model_opts = &mopts;
	if (a->html) {
		const char *rows = getenv("NETFS_REPLAY_HTML_ROWS");	/* tests */
		struct nft_html_opts ho = { .focus = mopts.focus,
					    .max_rows = rows ? atoi(rows) : 0 };

		html = nft_html_new(&ho, &mopts.hooks);
		if (!html) {
			fprintf(stderr, PROG ": out of memory\n");
			return 2;
		}
		po.want_raw = true;
	}
	switch (nft_pipeline_run(&po, &r)) {
	case NFT_PIPELINE_OK:
		break;
	case NFT_PIPELINE_NO_MEMORY:
		fprintf(stderr, PROG ": out of memory\n");
		status = 2;
		goto out;
	case NFT_PIPELINE_OPEN_FAILED:
		nft_pipeline_report(&r, NFT_DIAG_ERROR, "%s",
				    nft_input_open_error(input, r.error));
		if (a->json)
			nft_report_json_refused(out, &r, a->ninputs > 1);
		status = 2;
		goto out;
	default:
		say_why(&r);
		suppressed_note(&r);
		if (a->json)
			nft_report_json_refused(out, &r, a->ninputs > 1);
		status = 2;
		goto out;
	}
	suppressed_note(&r);
	bound_warnings(&r, r.model);
	r.input.errors = r.diag.errors;
	r.input.warnings = r.diag.warnings;
	r.input.suppressed = r.diag.suppressed;
	if (a->have_request) {
		if (nft_report_focus(out, r.model, a->brief, a->json)) {
			char name[NFT_OBJECT_LEN];

			nft_focus_name(&a->focus, name);
			fprintf(stderr, PROG ": %s: no %s %s in this capture\n",
				r.input.name, nft_focus_kind(a->focus.type), name);
			status = 2;
			goto out;
		}
	} else if (a->json) {
		nft_report_json(out, r.model, &r.input, &ropts);
	} else {
		/* several captures, findings only: still say whose */
		if (a->quiet && a->ninputs > 1)
			printf("input: %s\n", r.input.name);
		nft_report_text(out, r.model, &r.input, &ropts);
	}
	f = nft_model_findings(r.model, &n);
	for (i = 0; i < n; i++)
		if (a->an.fail_mask & (1u << f[i].kind))
			status = 1;
	if (r.diag.errors)
		status = 2;
	if (html && nft_html_write_file(a->html, html, r.model, &r.input)) {
		fprintf(stderr, PROG ": %s: %s\n", a->html, strerror(errno));
		status = 2;
	}
out:
	nft_html_free(html);
	if (pf && replay_perfetto_close(a, pf) && status < 2)
		status = 2;
	nft_pipeline_result_free(&r);
	return status;
}

/*
 * Several captures: each analysed in a child process of its own (a capture
 * that crashes the analysis takes only its own report with it, and the
 * library's tables need no locks), its stdout and stderr caught in
 * temporary files and passed on in the order given, stderr first (its
 * messages come before its report, as with one capture).  At most -j run
 * at once; a slow capture holds back only the printing of those after it,
 * and at most WINDOW of them wait finished.
 */
#define WINDOW_EXTRA 64

struct job {
	pid_t pid;
	int out, err;		/* temporary files; -1 when closed */
	int status;		/* its exit status, once done */
	bool done;
	int sig;		/* killed by this signal */
	int start_err;		/* could not be started: errno */
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Pass a child's file on to @fd. */
static int copy_out(int from, int fd)
{
	char buf[65536];
	off_t off = 0;
	ssize_t got;

	while ((got = pread(from, buf, sizeof(buf), off)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += got;
		if (write_all(fd, buf, (size_t)got))
			return -1;
	}
	return 0;
}

static void job_close(struct job *jb)
{
	if (jb->out >= 0)
		close(jb->out);
	if (jb->err >= 0)
		close(jb->err);
	jb->out = jb->err = -1;
}

/* Where a child's report waits its turn: memory, else a file in TMPDIR. */
static int report_file(void)
{
	int fd = memfd_create("netfs-replay", MFD_CLOEXEC);

	return fd >= 0 ? fd : nft_tmpfile();
}

static pid_t job_start(const struct replay_args *a, const char *input,
		       struct job *jb)
{
	pid_t pid;

	jb->out = report_file();
	jb->err = jb->out >= 0 ? report_file() : -1;
	if (jb->err < 0)
		return -1;
	pid = fork();
	if (pid)
		return pid;
	/* the child: one capture, as if it were the only one */
	if (dup2(jb->out, STDOUT_FILENO) < 0 ||
	    dup2(jb->err, STDERR_FILENO) < 0)
		_exit(2);
	job_close(jb);
	{
		int rc = run_replay(a, input);

		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, PROG ": write error: %s\n",
				strerror(errno));
			rc = 2;
		}
		_exit(rc);
	}
}

/*
 * A child that died or could not be started: say so where its report
 * would have been.
 */
static void job_lost(const struct replay_args *a, const char *input,
		     const struct job *jb)
{
	struct nft_pipeline_result r = { 0 };
	char *doc = NULL, why[200];
	size_t len = 0;
	FILE *m;

	if (jb->sig)
		snprintf(why, sizeof(why), "the analysis died (%s)",
			 strsignal(jb->sig));
	else
		snprintf(why, sizeof(why), "the analysis could not be started: %s",
			 strerror(jb->start_err));
	fprintf(stderr, PROG ": %s: error: %s: no report for this capture\n",
		input, why);
	if (!a->json)
		return;
	r.input.name = input;
	r.input.compression = "none";
	r.diag.errors = 1;
	r.n_msgs = 1;
	r.msgs[0].level = NFT_DIAG_ERROR;
	snprintf(r.msgs[0].text, sizeof(r.msgs[0].text), "%s", why);
	m = open_memstream(&doc, &len);
	if (!m)
		return;
	nft_report_json_refused(m, &r, true);
	if (!fclose(m))
		write_all(STDOUT_FILENO, doc, len);
	free(doc);
}

static int run_many(const struct replay_args *a)
{
	long jobs = a->jobs ? (long)a->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	int n = a->ninputs, next = 0, shown = 0, running = 0, worst = 0;
	struct job *jb = calloc(n, sizeof(*jb));

	if (!jb) {
		fprintf(stderr, PROG ": out of memory\n");
		return 2;
	}
	struct rlimit nofile;
	long window;

	if (jobs < 1)
		jobs = 1;
	/* two descriptors per report waiting: stay well inside the limit */
	window = jobs + WINDOW_EXTRA;
	if (!getrlimit(RLIMIT_NOFILE, &nofile) &&
	    nofile.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)window > (nofile.rlim_cur - 32) / 2)
		window = nofile.rlim_cur > 34 ? (long)(nofile.rlim_cur - 32) / 2 : 1;
	if (jobs > window)
		jobs = window;
	for (int i = 0; i < n; i++)
		jb[i].out = jb[i].err = -1;
	{
		/*
		 * Build the decoder's lazy tables (event names, symbols) once
		 * here, for every child to inherit, not once per child.
		 */
		static const char warm[] = "a-1 [000] ..... 1.000000: netfs_rreq_ref: R=00000001 NEW r=1";
		enum nft_dialect d = NFT_DIALECT_AUTO;
		struct nft_event ev;
		const char *err;

		nft_parse_ftrace_line(warm, sizeof(warm) - 1, &d, &ev, &err);
	}
	fflush(stdout);
	fflush(stderr);
	while (shown < n) {
		/* start as many as -j allows and the window holds */
		while (next < n && running < jobs && next - shown < window) {
			pid_t pid = job_start(a, a->inputs[next], &jb[next]);

			if (pid < 0) {
				int err = errno;

				job_close(&jb[next]);
				/* out of processes or memory: wait for one */
				if (running && (err == EAGAIN || err == ENOMEM ||
						err == EMFILE || err == ENFILE))
					break;
				jb[next].start_err = err;
				jb[next].done = true;
				jb[next].status = 2;
			} else {
				jb[next].pid = pid;
				running++;
			}
			next++;
		}
		/* pass on, in order, every report that is complete */
		while (shown < n && jb[shown].done) {
			struct job *j = &jb[shown];

			if (j->err >= 0 && copy_out(j->err, STDERR_FILENO))
				fprintf(stderr, PROG ": %s: %s\n",
					a->inputs[shown], strerror(errno));
			if (j->sig || j->start_err)
				job_lost(a, a->inputs[shown], j);
			else if (j->out >= 0 &&
				 copy_out(j->out, STDOUT_FILENO)) {
				fprintf(stderr, PROG ": write error: %s\n",
					strerror(errno));
				j->status = 2;
			}
			job_close(j);
			if (j->status > worst)
				worst = j->status;
			shown++;
		}
		if (shown == n)
			break;
		if (running) {
			int ws;
			pid_t pid = waitpid(-1, &ws, 0);

			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = shown; i < next; i++) {
				if (jb[i].pid != pid || jb[i].done)
					continue;
				jb[i].done = true;
				running--;
				if (WIFEXITED(ws)) {
					jb[i].status = WEXITSTATUS(ws);
				} else {
					jb[i].sig = WIFSIGNALED(ws) ?
						    WTERMSIG(ws) : SIGKILL;
					jb[i].status = 2;
				}
			}
		}
	}
	for (int i = 0; i < n; i++)
		job_close(&jb[i]);
	free(jb);
	return worst > 2 ? 2 : worst;
}

int main(int argc, char **argv)
{
	struct replay_args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc) {
		free(a.vocab.v);
		return rc;
	}
	if (a.vocab.n)
		rc = nft_vocab_report(stdout, PROG, a.vocab.v, (int)a.vocab.n,
				      a.btf_base);
	else if (a.ninputs > 1 && a.perfetto &&
		 (rc = nft_perfetto_create(a.perfetto))) {
		fprintf(stderr, PROG ": %s: %s\n", a.perfetto, strerror(rc));
		rc = 2;
	} else if (a.ninputs > 1)
		rc = run_many(&a);
	else
		rc = run_replay(&a, a.input);
	free(a.vocab.v);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		return 2;
	}
	return rc;
}
