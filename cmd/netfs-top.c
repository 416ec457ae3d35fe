// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top: what netfs is doing right now, from the running kernel's
 * tracepoints (decoders/live.c) or from a capture replayed at its recorded
 * speed.  Options and wiring only: decoders/ read, the model and
 * libnetfs-trace/top.c aggregate, tui/ draws, report/top_out.c prints
 * batch intervals.
 *
 * Exit status: 0 clean, 1 findings of a --fail-on kind, 2 usage error,
 * refusal (no root, no tracefs, no netfs) or unreadable input; 128+sig
 * when a signal ended it (after the cleanup; a fault re-raises instead).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/lib/cli.h"
#include "decoders/decoder.h"
#include "decoders/live.h"
#include "libnetfs-trace/httpd.h"
#include "libnetfs-trace/metrics.h"
#include "libnetfs-trace/pipeline.h"
#include "libnetfs-trace/procstats.h"
#include "libnetfs-trace/report/procstats_out.h"
#include "libnetfs-trace/report/top_out.h"
#include "libnetfs-trace/model.h"
#include "libnetfs-trace/top.h"
#include "tui/tui.h"

#define PROG "netfs-top"
#define VERSION "0.1"
#define MAX_EVENT_FILTERS 64

struct top_args {
	double delay, speed;
	bool batch, json;
	unsigned long count, rows;	/* count 0: no -n */
	unsigned int buffer_kb;
	struct nft_cli_list events;	/* -e, at most MAX_EVENT_FILTERS */
	const char *input, *bench;
	const char *listen, *textfile;	/* the exporter (docs/metrics.md) */
	bool stats_only;
	const char *stats_file;
	enum nft_top_group group;
	enum nft_top_col sort;
	struct nft_cli_analysis an;
};

/* @stop ends the main loop; @stop_sig: the signal that asked for it. */
static volatile sig_atomic_t stop, stop_sig;

static void usage_head(FILE *out)
{
	fprintf(out, "usage: " PROG " [OPTIONS]\n"
		     "       " PROG " -b [--json] [-d SECS] [-n COUNT] [OPTIONS]\n"
		     "       " PROG " -i CAPTURE [--speed N] [OPTIONS]\n\n"
		     "Show what netfs is doing right now: requests, bytes, subrequests,\n"
		     "retries, failures and latency per inode, origin or cookie, and the\n"
		     "leaks, stuck requests and over-reads netfs-replay finds, as they\n"
		     "appear.  Live mode needs root and a kernel with netfs tracepoints;\n"
		     "it reads them through a tracefs instance of its own (netfs-top-PID)\n"
		     "that it removes on exit.\n\n"
		     "Note: -b is batch mode (like top); the buffer size is -B.\n\n");
}

static void usage_tail(FILE *out)
{
	fprintf(out, "\nkeys: h help, q quit, g grouping, < > sort, / filter, Enter drill down, p pause\n");
	fprintf(out, "environment: NETFS_TOP_TRACEFS=DIR uses DIR as tracefs\n");
	fprintf(out, "\nexit status: 0 clean, 1 findings of a --fail-on kind, 2 usage error,\n"
		     "refusal (not root, no tracefs, no netfs events) or unreadable input;\n"
		     "128+sig: ended by a signal, after removing the instance\n");
}

static int lookup(const char *s, const char *(*name)(int), int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(s, name(i)))
			return i;
	return -1;
}

static const char *group_name(int i) { return nft_top_group_name(i); }
static const char *col_name(int i) { return nft_top_col_name(i); }

/* -g BY */
static int group_cb(const struct nft_option *opt, const char *arg)
{
	int k = lookup(arg, group_name, NFT_TOP_GROUP__NR);

	if (k < 0)
		return -1;
	*(enum nft_top_group *)opt->value = k;
	return 0;
}

/* -s COLUMN (not the row name column) */
static int sort_cb(const struct nft_option *opt, const char *arg)
{
	int k = lookup(arg, col_name, NFT_TOP_COL__NR);

	if (k <= 0)
		return -1;
	*(enum nft_top_col *)opt->value = k;
	return 0;
}

static int parse_args(int argc, char **argv, struct top_args *a)
{
	const struct nft_option options[] = {
		OPT_GROUP("options:"),
		OPT_DOUBLE('d', "delay", &a->delay, "SECS", 0.01,
			   "interval between screen updates / batch lines (default 1)",
			   .err = "-d wants seconds >= 0.01, not '%s'"),
		OPT_BOOL('b', "batch", &a->batch,
			 "batch mode (like top -b): print intervals, no screen"),
		OPT_ULONG('n', "iterations", &a->count, "COUNT", 1, 0,
			  "stop after COUNT intervals",
			  .err = "-n wants a count > 0, not '%s'"),
		OPT_BOOL(0, "json", &a->json,
			 "batch: one JSON object per interval (docs/netfs-top-json.md)"),
		OPT_UINT('B', "buffer-size", &a->buffer_kb, "KB", 1, 4u << 20,
			 "per-CPU ring buffer size of our tracefs instance (not -b: that is batch)",
			 .err = "-B wants a size in KB (1 .. 4194304), not '%s'"),
		OPT_STRING_LIST('e', "event", &a->events, "EVENT",
				"only these events: netfs, fscache:*, netfs:netfs_sreq ... (repeatable)",
				.err = "too many -e (%s)"),
		OPT_STRING('i', "input", &a->input, "FILE",
			   "replay a capture (ftrace text or trace.dat) instead of the live kernel"),
		OPT_DOUBLE(0, "speed", &a->speed, "N", 0,
			   "replay N times faster than recorded; 0 = as fast as possible (default 1)",
			   .err = "--speed wants a factor >= 0, not '%s'"),
		OPT_CALLBACK('g', "group", &a->group, "BY",
			     "rows per inode, origin or cookie (default inode)",
			     group_cb,
			     .err = "-g wants inode, origin or cookie, not '%s'"),
		OPT_CALLBACK('s', "sort", &a->sort, "COLUMN",
			     "sort rows by REQ/s, RD/s, WR/s, SUBREQ, RETRY, FAIL, INFL, P50, P99, MAX",
			     sort_cb, .err = "unknown sort column '%s'"),
		OPT_ULONG(0, "rows", &a->rows, "N", 0, 0,
			  "batch: rows printed per interval (default 20)",
			  .err = "--rows wants a number, not '%s'"),
		OPT_STRING(0, "listen", &a->listen, "ADDR",
			   "serve http://ADDR/metrics: PORT (on 127.0.0.1) or HOST:PORT; port 9858"),
		OPT_STRING(0, "textfile", &a->textfile, "DIR",
			   "write DIR/netfs.prom every -d SECS, for node_exporter's textfile collector"),
		NFT_CLI_ANALYSIS_OPTIONS(&a->an),
		OPT_BOOL(0, "stats-only", &a->stats_only,
			 "no tracing, no root: the counters of /proc/fs/netfs/stats every -d SECS"),
		OPT_STRING(0, "stats-file", &a->stats_file, "PATH",
			   "--stats-only: read PATH instead of /proc/fs/netfs/stats"),
		OPT_STRING(0, "bench-pages", &a->bench, "DAT",
			   "benchmark: decode DAT's records as raw pages through the live path"),
		OPT_HELP(),
		OPT_VERSION(),
		OPT_END(),
	};
	const struct nft_cli cli = {
		.prog = PROG, .version = VERSION, .options = options,
		.usage_head = usage_head, .usage_tail = usage_tail,
	};
	int first, rc;

	a->delay = 1;
	a->speed = 1;
	a->rows = 20;
	a->sort = NFT_TOP_COL_REQS;
	a->events.max = MAX_EVENT_FILTERS;
	nft_cli_analysis_init(&a->an);
	rc = nft_cli_parse(&cli, argc, argv, &first);
	if (rc)
		return rc;
	if (first < argc)
		return nft_cli_usage_error(PROG, "unexpected argument '%s'", argv[first]);
	if (a->stats_only)
		a->batch = true;
	if (a->json && !a->batch)
		return nft_cli_usage_error(PROG, "%s goes with -b (batch mode)", "--json");
	if (a->stats_only && (a->input || a->events.n || a->buffer_kb))
		return nft_cli_usage_error(PROG, "%s: no -i, -e or -B: it does not trace", "--stats-only");
	if (a->stats_file && !a->stats_only)
		return nft_cli_usage_error(PROG, "%s goes with --stats-only", "--stats-file");
	if (a->input && (a->events.n || a->buffer_kb))
		return nft_cli_usage_error(PROG, "%s: -e and -B are for live mode", a->input);
	return 0;
}

/* ---- signals: leave the kernel and the terminal as found ---- */

/*
 * Every signal whose default action ends the process (signal(7): Term and
 * Core), bar SIGKILL and SIGSTOP which cannot be caught; the real-time
 * signals are added by install_signals().  None of them may leave our
 * tracefs instance tracing or the terminal in curses mode.
 *
 * A "stop" signal only records itself (async-signal-safe): the main loop
 * sees @stop within one poll (no SA_RESTART: reads and sleeps return),
 * reports the interval it cut short, removes the instance and restores the
 * terminal on the ordinary path, then exits with 128+sig, the status a
 * shell shows for a process the signal ended.  It does not re-raise: a core
 * of a process that already cleaned up helps no one, and an interactive
 * shell would drop the rest of its command line (the "; echo $?" of
 * whoever watches us) for a child that died of SIGINT.  A second stop
 * signal while that cleanup runs does the emergency cleanup below and
 * _exit()s at once: a wedged main path can still be ended with a second
 * Ctrl-C.
 *
 * A "fault" signal (the program itself broke: SEGV, BUS, FPE, ILL, ABRT,
 * SYS, TRAP) cannot wait for the main path.  Its handler does the minimal
 * async-signal-safe cleanup: close the buffers, truncate set_event, rmdir
 * the instance (nft_live_emergency_cleanup()) and write the terminal's
 * precomputed reset sequences and saved termios (tui_emergency_restore()),
 * then re-raises the signal with the default action: the exit status and
 * the core are the crash's.
 */
enum sig_class { SIG_STOP, SIG_FAULT };

static const struct {
	int sig;
	enum sig_class cls;
} fatal_signals[] = {
	{ SIGHUP, SIG_STOP },	{ SIGINT, SIG_STOP },	{ SIGQUIT, SIG_STOP },
	{ SIGTERM, SIG_STOP },	{ SIGUSR1, SIG_STOP },	{ SIGUSR2, SIG_STOP },
	{ SIGALRM, SIG_STOP },	{ SIGPIPE, SIG_STOP },	{ SIGXCPU, SIG_STOP },
	{ SIGXFSZ, SIG_STOP },	{ SIGVTALRM, SIG_STOP }, { SIGPROF, SIG_STOP },
	{ SIGIO, SIG_STOP },	{ SIGPWR, SIG_STOP },	{ SIGSTKFLT, SIG_STOP },
	{ SIGSEGV, SIG_FAULT },	{ SIGBUS, SIG_FAULT },	{ SIGFPE, SIG_FAULT },
	{ SIGILL, SIG_FAULT },	{ SIGABRT, SIG_FAULT }, { SIGSYS, SIG_FAULT },
	{ SIGTRAP, SIG_FAULT },
};

#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

/* Async-signal-safe: what must not be left behind, whatever happens next. */
static void emergency_cleanup(void)
{
	nft_live_emergency_cleanup();
	tui_emergency_restore();
}

static void on_stop(int sig)
{
	if (stop_sig) {
		emergency_cleanup();
		_exit(128 + sig);
	}
	stop_sig = sig;
	stop = 1;
}

static void on_fault(int sig)
{
	emergency_cleanup();
	/*
	 * SA_RESETHAND made the action the default again and SA_NODEFER
	 * leaves the signal unblocked: this kills with the default action
	 * (were it to return, a real fault re-executes and dies anyway).
	 */
	raise(sig);
}

static void at_exit(void)
{
	tui_emergency_restore();
	nft_live_emergency_cleanup();
}

static void install_one(int sig, enum sig_class cls)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	/* Block every other fatal signal while one handler runs. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < N_FATAL; i++)
		if (fatal_signals[i].sig != sig)
			sigaddset(&sa.sa_mask, fatal_signals[i].sig);
	if (cls == SIG_STOP) {
		/* No SA_RESTART: a blocking read or sleep returns and sees @stop. */
		sa.sa_handler = on_stop;
	} else {
		sa.sa_handler = on_fault;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigdelset(&sa.sa_mask, sig);
	}
	sigaction(sig, &sa, NULL);
}

static void install_signals(void)
{
	struct sigaction old;
	size_t i;
	int sig;

	for (i = 0; i < N_FATAL; i++) {
		/* Ignored by whoever started us (nohup, a shell's trap ''): keep it so. */
		if (!sigaction(fatal_signals[i].sig, NULL, &old) &&
		    old.sa_handler == SIG_IGN && fatal_signals[i].cls == SIG_STOP &&
		    fatal_signals[i].sig != SIGPIPE)
			continue;
		install_one(fatal_signals[i].sig, fatal_signals[i].cls);
	}
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		if (!sigaction(sig, NULL, &old) && old.sa_handler != SIG_IGN)
			install_one(sig, SIG_STOP);
	atexit(at_exit);
}

/* ---- sources ---- */

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep @secs unless a stop signal comes first. */
static void nap(double secs)
{
	struct timespec ts;

	if (secs <= 0 || stop)
		return;
	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

struct source {
	const struct top_args *a;
	struct nft_top *top;
	struct nft_model *model;
	struct nft_sink sink;
	/* replay */
	struct nft_evbuf *evs;
	size_t next;
	uint64_t t0, vt, last_tick_vt;
	bool finished;
	/* live */
	struct nft_live *live;
	struct nft_pages *pages;
	uint64_t seen_ts;
	double seen_at;
	/* both */
	double last_tick, paused_since, paused_total, start;
	unsigned long ticks;
	int error;
	unsigned long input_errors;	/* -i: errors reading the capture */
	/* the exporter: --listen, --textfile */
	struct nft_metrics *mx;
	struct nft_httpd *httpd;
	struct nft_procstats_source *procstats;	/* live: the stats file */
	bool export_failed;	/* netfs.prom could not be written (said) */
};

/* Answer scrapes for up to @secs (or sleep) unless a stop signal comes. */
static void serve(struct source *s, double secs)
{
	double end = mono() + secs;

	if (!s->httpd) {
		nap(secs);
		return;
	}
	do {
		double left = end - mono();

		nft_httpd_poll(s->httpd, left > 0 ? (int)(left * 1000) : 0);
	} while (!stop && mono() < end);
}

/* Close an interval: the aggregator's tick, then DIR/netfs.prom. */
static void tick(struct source *s, uint64_t now_ns, double secs)
{
	nft_top_tick(s->top, now_ns, secs);
	if (s->a->textfile &&
	    nft_metrics_write_textfile(s->mx, s->a->textfile) &&
	    !s->export_failed) {
		fprintf(stderr, PROG ": %s/netfs.prom: %s\n", s->a->textfile,
			strerror(errno));
		s->export_failed = true;
		stop = 1;
	}
}

/* Feed replayed events up to trace time @until; true at the end. */
static bool feed_until(struct source *s, uint64_t until)
{
	const struct nft_event *ev;

	while ((ev = nft_evbuf_get(s->evs, s->next))) {
		if ((ev->have & NFT_HAVE_TS) && ev->ts_ns > until)
			return false;
		s->next++;
		nft_top_event(s->top, ev);
	}
	if (!s->finished) {
		/* End-of-stream checks, as netfs-replay runs them. */
		nft_model_finish(s->model);
		s->finished = true;
	}
	return true;
}

static int pump_replay(void *ctx, bool paused)
{
	struct source *s = ctx;
	double now = mono(), elapsed;
	int r = 0;
	bool end;

	if (s->httpd)
		nft_httpd_poll(s->httpd, 0);

	if (paused) {
		if (!s->paused_since)
			s->paused_since = now;
		return s->finished ? TUI_ENDED : 0;
	}
	if (s->paused_since) {
		s->paused_total += now - s->paused_since;
		s->last_tick += now - s->paused_since;
		s->paused_since = 0;
	}
	elapsed = now - s->start - s->paused_total;
	s->vt = s->a->speed > 0 ? s->t0 + (uint64_t)(elapsed * s->a->speed * 1e9) :
		UINT64_MAX;
	if (s->finished)
		return TUI_ENDED;
	end = feed_until(s, s->vt);
	if (end || now - s->last_tick >= s->a->delay) {
		const struct nft_summary *sum = nft_model_summary(s->model);
		uint64_t t = s->vt == UINT64_MAX || end ? sum->ts_last : s->vt;
		double secs = s->a->speed > 0 ? (now - s->last_tick) * s->a->speed :
			      (t - s->last_tick_vt) / 1e9;

		tick(s, t, secs > 0 ? secs : s->a->delay);
		s->last_tick_vt = t;
		s->last_tick = now;
		r |= TUI_TICKED;
	}
	return r | (end ? TUI_ENDED : 0);
}

static void live_read(struct source *s)
{
	const struct nft_summary *sum = nft_model_summary(s->model);

	if (nft_live_read(s->live, s->pages) < 0) {
		s->error = errno;
		stop = 1;
		return;
	}
	nft_pages_flush(s->pages, &s->sink);
	if (sum->ts_last != s->seen_ts) {
		s->seen_ts = sum->ts_last;
		s->seen_at = mono();
	}
}

/* "Now" on the trace clock: the last event plus the time since it came. */
static uint64_t live_now(struct source *s)
{
	if (!s->seen_ts)
		return 0;
	return s->seen_ts + (uint64_t)((mono() - s->seen_at) * 1e9);
}

static int pump_live(void *ctx, bool paused)
{
	struct source *s = ctx;
	double now = mono();

	(void)paused;	/* keep reading: a paused screen must not overrun */
	if (s->httpd)
		nft_httpd_poll(s->httpd, 0);
	live_read(s);
	if (now - s->last_tick < s->a->delay)
		return 0;
	tick(s, live_now(s), now - s->last_tick);
	s->last_tick = now;
	return TUI_TICKED;
}

static void print_interval(struct source *s)
{
	const struct top_args *a = s->a;

	if (a->json)
		nft_top_print_json(s->top, stdout, a->group, a->sort, a->rows);
	else
		nft_top_print_text(s->top, stdout, a->group, a->sort, a->rows);
	/* A full disk or a closed reader: stop, main() says why (exit 2). */
	if (fflush(stdout) || ferror(stdout))
		stop = 1;
}

static void run_batch(struct source *s)
{
	const struct top_args *a = s->a;

	while (!stop && (!a->count || s->ticks < a->count)) {
		if (s->evs) {
			/* Replay intervals are -d seconds of trace time. */
			uint64_t until = s->last_tick_vt + (uint64_t)(a->delay * 1e9);
			bool end = feed_until(s, until);
			const struct nft_summary *sum = nft_model_summary(s->model);

			tick(s, end ? sum->ts_last : until, a->delay);
			s->last_tick_vt = until;
			s->ticks++;
			print_interval(s);
			if (end)
				break;
			if (a->speed > 0)
				serve(s, a->delay / a->speed);
		} else {
			double due = s->last_tick + a->delay;

			while (!stop && mono() < due) {
				serve(s, due - mono() < 0.1 ? due - mono() : 0.1);
				live_read(s);
			}
			/*
			 * A stop signal cuts the interval short: still report
			 * what it saw, or its events and findings would be lost.
			 */
			live_read(s);
			tick(s, live_now(s), mono() - s->last_tick);
			s->last_tick = mono();
			s->ticks++;
			print_interval(s);
		}
	}
}

/*
 * --listen / --textfile with no screen to draw on (no -b, and stdin or
 * stdout no terminal: systemd, a pipe): the screen's loop, headless.
 */
static void run_headless(struct source *s)
{
	int (*pump)(void *, bool) = s->evs ? pump_replay : pump_live;

	while (!stop && !(pump(s, false) & TUI_ENDED))
		serve(s, 0.05);
}

/* --listen, --textfile: the metrics, the server, the first netfs.prom. */
static int open_exporter(struct source *s)
{
	char err[300];

	nft_metrics_attach(s->mx, s->model, s->top);
	if (s->a->textfile && nft_metrics_write_textfile(s->mx, s->a->textfile)) {
		fprintf(stderr, PROG ": %s/netfs.prom: %s\n", s->a->textfile,
			strerror(errno));
		return -1;
	}
	if (!s->a->listen)
		return 0;
	s->httpd = nft_httpd_open(s->a->listen, nft_metrics_render, s->mx,
				  err, sizeof(err));
	if (!s->httpd) {
		fprintf(stderr, PROG ": --listen %s\n", err);
		return -1;
	}
	fprintf(stderr, PROG ": serving metrics on http://%s/metrics\n",
		nft_httpd_addr(s->httpd));
	return 0;
}

/* -i: the whole capture into s->evs, replayed from there. */
static int load_capture(struct source *s)
{
	struct nft_pipeline_opts o = {
		.input = s->a->input,
		.report = nft_diag_stderr,
		.report_ctx = (void *)PROG,
		.sink = { nft_evbuf_add, s->evs },
	};
	struct nft_pipeline_result r;
	int rc = 0;

	{
		/* the spool bound of netfs-replay(1), from the environment */
		const char *env = getenv("NETFS_REPLAY_SPOOL_MAX");
		uint64_t max;

		if (env && *env && !nft_parse_size(env, &max))
			o.spool_max = max;
	}
	switch (nft_pipeline_run(&o, &r)) {
	case NFT_PIPELINE_OPEN_FAILED:
		fprintf(stderr, PROG ": %s: %s\n", s->a->input,
			nft_input_open_error(s->a->input, r.error));
		return -1;
	case NFT_PIPELINE_NO_MEMORY:
		rc = -1;
		break;
	case NFT_PIPELINE_READ_FAILED:
	case NFT_PIPELINE_REFUSED:
		if (r.status == NFT_PIPELINE_READ_FAILED)
			rc = -1;
		if (r.kind != NFT_INPUT_TEXT && r.kind != NFT_INPUT_TRACE_DAT) {
			fprintf(stderr, PROG ": %s: not an ftrace text capture or a trace.dat\n",
				r.input.name);
			rc = -1;
		}
		break;
	default:
		break;
	}
	s->input_errors = r.diag.errors;
	/* other systems' events only are shown (as nothing) all the same */
	if (rc == 0 && !nft_evbuf_len(s->evs)) {
		fprintf(stderr, PROG ": %s: no trace events found\n",
			r.input.name);
		rc = -1;
	}
	nft_pipeline_result_free(&r);
	return rc;
}

static int open_live(struct source *s)
{
	struct nft_live_opts lo = { s->a->events.v, s->a->events.n,
				     s->a->buffer_kb };
	const struct nft_live_stats *st;
	enum nft_live_refusal why;
	char msg[512];

	s->live = nft_live_open(&lo, &why, msg, sizeof(msg));
	if (!s->live) {
		/* One line; a refusal names the tracing-free mode too. */
		fprintf(stderr, PROG ": %s%s\n", msg, why == NFT_LIVE_FAILED ? "" :
			"; or use --stats-only: the counters of " NFT_PROCSTATS_PATH ", no tracing, no root");
		return -1;
	}
	st = nft_live_stats(s->live);
	s->pages = nft_pages_new(nft_live_tep(s->live), nft_live_cpus(s->live),
				 nft_live_subbuf(s->live));
	if (!s->pages) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	if (st->fake && !st->cpus)
		fprintf(stderr, PROG ": %s is no tracefs: instance %s only, no events will come\n",
			st->tracefs, st->instance);
	return 0;
}

/*
 * --stats-only: /proc/fs/netfs/stats (or --stats-file) every -d SECS, as
 * JSON lines (--json) or the Prometheus text format; no tracefs, no root.
 * Exit 2 if no read succeeded.
 */
/*
 * --stats-only with --listen / --textfile: the stats file read at every
 * scrape and written to DIR/netfs.prom every -d SECS; no model, no tracing.
 */
static int run_stats_exporter(const struct top_args *a)
{
	struct source s = { .a = a };
	unsigned long n = 0;
	int rc = 2;

	s.procstats = calloc(1, sizeof(*s.procstats));
	s.mx = nft_metrics_new(VERSION);
	if (!s.procstats || !s.mx)
		goto out;
	s.procstats->path = a->stats_file;
	if (nft_procstats_read(a->stats_file, &s.procstats->ps)) {
		fprintf(stderr, PROG ": %s: %s (the file needs netfs loaded and CONFIG_NETFS_STATS or CONFIG_FSCACHE_STATS)\n",
			a->stats_file ? a->stats_file : NFT_PROCSTATS_PATH,
			errno == EINVAL ? "nothing in it parses" : strerror(errno));
		goto out;
	}
	nft_metrics_add_source(s.mx, nft_procstats_om_source, s.procstats);
	if (open_exporter(&s))
		goto out;
	rc = 0;
	while (!stop && (!a->count || n < a->count)) {
		serve(&s, a->delay);
		if (stop)
			break;
		n++;
		if (a->textfile &&
		    nft_metrics_write_textfile(s.mx, a->textfile)) {
			fprintf(stderr, PROG ": %s/netfs.prom: %s\n",
				a->textfile, strerror(errno));
			rc = 2;
			break;
		}
	}
out:
	nft_httpd_close(s.httpd);
	nft_metrics_free(s.mx);
	free(s.procstats);
	return rc;
}

static int run_stats(const struct top_args *a)
{
	const char *path = a->stats_file;
	struct nft_procstats *ps = calloc(1, sizeof(*ps));
	unsigned long n = 0;
	bool any = false, warned = false;

	if (!ps)
		return 2;
	while (!stop && (!a->count || n < a->count)) {
		double due = mono() + a->delay;

		if (n)
			while (!stop && mono() < due)
				nap(due - mono());
		if (stop)
			break;
		if (nft_procstats_read(path, ps)) {
			if (!warned)
				fprintf(stderr, PROG ": %s: %s (the file needs netfs loaded and CONFIG_NETFS_STATS or CONFIG_FSCACHE_STATS)\n",
					path ? path : NFT_PROCSTATS_PATH,
					errno == EINVAL ? "nothing in it parses" : strerror(errno));
			warned = true;
		} else {
			any = true;
		}
		n++;
		if (a->json)
			nft_procstats_print_json(ps, stdout, n,
						 path ? path : NFT_PROCSTATS_PATH);
		else
			nft_procstats_print_prom(ps, stdout);
		if (fflush(stdout) || ferror(stdout))
			break;
	}
	free(ps);
	return any ? 0 : 2;
}

/* --bench-pages: the live decode path, timed on a trace.dat's pages. */
static int run_bench(const struct top_args *a)
{
	struct nft_dat_pages dp;
	uint64_t events = 0;
	double t0, secs, path = 0;
	int round, rounds = 5;
	size_t i;

	if (nft_dat_pages_load(a->bench, &dp)) {
		fprintf(stderr, PROG ": %s: %s\n", a->bench, strerror(errno));
		return 2;
	}
	/* at least ~400k records: small captures are timed over more rounds */
	if (dp.records && dp.records * rounds < 400000)
		rounds = (int)(400000 / dp.records) + 1;
	t0 = mono();
	for (round = 0; round < rounds; round++) {
		struct nft_model_opts mo = { 0 };
		struct nft_top *top = nft_top_new(NULL);
		struct nft_pages *p = nft_pages_new(dp.tep, dp.ncpus, dp.subbuf);
		struct nft_model *m;
		struct nft_sink sink = { nft_top_event, top };
		double t1;

		nft_top_hooks(top, &mo.hooks);
		m = nft_model_new(&mo);
		nft_top_attach(top, m);
		/* the path: pages in, events through model and aggregator */
		t1 = mono();
		for (i = 0; i < dp.n; i++)
			nft_pages_add(p, dp.cpu[i], dp.pages + i * dp.subbuf);
		nft_pages_flush(p, &sink);
		path += mono() - t1;
		events += nft_pages_stats(p)->records;
		nft_pages_free(p);
		nft_model_free(m);
		nft_top_free(top);
	}
	secs = mono() - t0;
	/* events/s: the path alone; the last field with each round's set-up */
	printf("pages %zu records %" PRIu64 " rounds %d secs %.3f events/s %.0f with-setup %.0f\n",
	       dp.n, dp.records, rounds, path, events / path, events / secs);
	nft_dat_pages_free(&dp);
	return 0;
}

static int run_top(const struct top_args *a)
{
	struct nft_model_opts mo = { 0 };
	struct source s = { 0 };
	const struct nft_finding *f;
	size_t n, i;
	int status = 0;
	char source[300];

	s.a = a;
	s.top = nft_top_new(NULL);
	if (!s.top)
		return 2;
	nft_cli_model_opts(&a->an, &mo);
	nft_top_hooks(s.top, &mo.hooks);
	if (a->listen || a->textfile) {
		s.mx = nft_metrics_new(VERSION);
		if (!s.mx)
			goto fail;
		nft_metrics_hooks(s.mx, &mo.hooks);	/* chains top's */
	}
	s.model = nft_model_new(&mo);
	if (!s.model)
		goto fail;
	nft_top_attach(s.top, s.model);
	/* live: the kernel's own counters beside the traced ones */
	if (s.mx && !a->input) {
		s.procstats = calloc(1, sizeof(*s.procstats));
		if (!s.procstats)
			goto fail;
		s.procstats->path = a->stats_file;
		nft_metrics_add_source(s.mx, nft_procstats_om_source,
				       s.procstats);
	}
	if (s.mx && open_exporter(&s))
		goto fail;
	s.sink.event = nft_top_event;
	s.sink.ctx = s.top;
	if (a->input) {
		s.evs = nft_evbuf_new();
		if (!s.evs || load_capture(&s))
			goto fail;
		for (i = 0; i < nft_evbuf_len(s.evs); i++) {
			const struct nft_event *ev = nft_evbuf_get(s.evs, i);

			if (ev->have & NFT_HAVE_TS) {
				s.t0 = ev->ts_ns;
				break;
			}
		}
		s.last_tick_vt = s.t0;
		snprintf(source, sizeof(source), "replay %s", a->input);
	} else {
		if (open_live(&s))
			goto fail;
		snprintf(source, sizeof(source), "live, instance %s",
			 nft_live_stats(s.live)->instance);
	}
	s.start = s.last_tick = mono();
	if (a->batch) {
		run_batch(&s);
	} else if (s.mx && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		run_headless(&s);
	} else {
		struct tui_opts to = { source, a->delay, &stop };
		struct tui_ops ops = { a->input ? pump_replay : pump_live, &s };

		if (tui_run(s.top, &to, &ops)) {
			fprintf(stderr, PROG ": cannot use this terminal (TERM=%s); try -b\n",
				getenv("TERM") ? getenv("TERM") : "");
			goto fail;
		}
	}
	/* A replay ended: its final values stay up until a signal. */
	if (s.httpd && s.finished && !stop && !s.export_failed &&
	    (a->batch || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, PROG ": %s ended; serving its final metrics until stopped\n",
			a->input);
		while (!stop)
			serve(&s, 1);
	}
	if (s.error) {
		fprintf(stderr, PROG ": reading the trace buffers: %s\n",
			strerror(s.error));
		status = 2;
	}
	if (s.live && nft_pages_stats(s.pages)->late_records)
		fprintf(stderr, PROG ": %" PRIu64 " records came after newer ones had been analysed (a CPU still writing them when read; waiting %" PRIu64 " ms for commits now): a finding about their objects may be wrong\n",
			nft_pages_stats(s.pages)->late_records,
			nft_live_stats(s.live)->slack_ns / 1000000);
	f = nft_model_findings(s.model, &n);
	for (i = 0; i < n && !status; i++)
		if (a->an.fail_mask & (1u << f[i].kind))
			status = 1;
	if (s.input_errors || s.export_failed)
		status = 2;
	goto out;
fail:
	status = 2;
out:
	/* The instance goes first: nothing below may leave it behind. */
	nft_live_close(s.live);
	nft_httpd_close(s.httpd);
	nft_metrics_free(s.mx);
	free(s.procstats);
	nft_pages_free(s.pages);
	nft_evbuf_free(s.evs);
	nft_model_free(s.model);
	nft_top_free(s.top);
	return status;
}

int main(int argc, char **argv)
{
	struct top_args a = { 0 };
	int rc = parse_args(argc, argv, &a);

	if (rc)
		goto out;
	if (a.bench) {
		rc = run_bench(&a);
		goto out;
	}
	install_signals();
	if (a.stats_only)
		rc = a.listen || a.textfile ? run_stats_exporter(&a)
					    : run_stats(&a);
	else
		rc = run_top(&a);
	/* an exporter stopped by SIGINT/SIGTERM ends as a service should: 0 */
	if ((stop_sig == SIGINT || stop_sig == SIGTERM) && (a.listen || a.textfile))
		stop_sig = 0;
	if (stop_sig) {
		/* Cleaned up on the ordinary path: end with the signal's status. */
		fflush(stdout);
		rc = 128 + stop_sig;
		goto out;
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		rc = 2;
	}
out:
	free(a.events.v);
	return rc;
}
