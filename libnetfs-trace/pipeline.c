// SPDX-License-Identifier: GPL-2.0
/*
 * The capture pipeline (pipeline.h): input -> decoder -> model, with the
 * refusals every command used to decide for itself.  It prints nothing:
 * messages go through the result's diag to the caller's report function,
 * refusals are hints.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"
#include "pipeline.h"
#include "vocab.h"

static const struct {
	const char *name;
	const char *text;
} hints[NFT_HINT__NR] = {
	[NFT_HINT_NONE] = { "none", "" },
	[NFT_HINT_EMPTY] = { "empty", "empty input" },
	[NFT_HINT_EMPTY_DAMAGED] = { "empty-damaged",
		"nothing could be decompressed before the damage (see above)" },
	[NFT_HINT_PERF_DATA] = { "perf-data",
		"this is a perf.data file; give netfs-replay its text: perf script -i FILE | netfs-replay - (or record with trace-cmd record -e netfs -e fscache -e cachefiles)" },
	[NFT_HINT_BINARY] = { "binary",
		"binary data that is neither ftrace text nor a trace.dat" },
	[NFT_HINT_TEXT_UNDECODABLE] = { "text-undecodable",
		"no netfs event line could be decoded (see the errors above)" },
	[NFT_HINT_NOT_TRACE] = { "not-trace",
		"no trace events found: not an ftrace text capture" },
	[NFT_HINT_NO_NETFS] = { "no-netfs",
		"no netfs, fscache or cachefiles events in this capture (record them with: trace-cmd record -e netfs -e fscache -e cachefiles)" },
	[NFT_HINT_NO_NETFS_DAMAGED] = { "no-netfs-damaged",
		"no netfs, fscache or cachefiles events could be read from this capture (see the errors above)" },
};

const char *nft_pipeline_hint_text(enum nft_pipeline_hint h)
{
	return (unsigned int)h < NFT_HINT__NR ? hints[h].text : "";
}

const char *nft_pipeline_hint_name(enum nft_pipeline_hint h)
{
	return (unsigned int)h < NFT_HINT__NR ? hints[h].name : "none";
}

/* Pass each message on to the caller, and keep the first ones. */
static void keep_msg(void *ctx, enum nft_diag_level level, const char *file,
		     const char *where, const char *msg)
{
	struct nft_pipeline_result *r = ctx;
	struct nft_pipeline_msg *m;

	if (r->fwd)
		r->fwd(r->fwd_ctx, level, file, where, msg);
	if (level == NFT_DIAG_NOTE || r->n_msgs >= NFT_PIPELINE_MSGS)
		return;
	m = &r->msgs[r->n_msgs++];
	m->level = level;
	snprintf(m->where, sizeof(m->where), "%s", where ? where : "");
	snprintf(m->text, sizeof(m->text), "%s", msg);
}

/* ---- decoding and analysing on two threads ---- */

/*
 * The decoder runs where the pipeline was called; past a few tens of
 * thousands of events (and with a second cpu online) the sink -- the
 * model, its detectors and whatever hooks it streams through -- moves to
 * a thread of its own and the two run side by side, handing over batches
 * of decoded events.  Before the handover the sink is called directly, so
 * the two never touch it at once.  An event's strings (comm, name, raw
 * line, unknown symbols) live in the decoder's buffers only during the
 * call: each batch keeps copies.  The input's messages travel in the same
 * batches, between the events they came between, so the caller's report
 * function sees everything in the order of the serial path and the output
 * is the same byte for byte (tests/bats/threads.bats).
 *
 * It pays only with a cpu to spare: the decoder does most of the work
 * (55-70 % of a record's instructions for trace.dat and text), so the
 * second thread takes a third of the time off at best, and the hand-over
 * costs ~240 instructions an event (a tenth more cpu time; more when the
 * two threads fight over one busy cpu).  So by default it hands over only
 * for a capture longer than ASYNC_AFTER events, with two cpus online and
 * the load average below the cpus minus one (bench/threads.sh measures).
 * NETFS_TRACE_THREADS=0 keeps everything on one thread, =1 hands over
 * from the first event (tests: the output is the same either way).
 */
#define ASYNC_AFTER 50000
#define ASYNC_BATCH 256
#define ASYNC_NBATCH 16
/* a batch of long raw lines goes early: memory stays ~NBATCH MiB at most */
#define ASYNC_ARENA_MAX (1u << 20)

struct async_item {
	struct nft_event ev;	/* a message: comm = file, name = where,
				 * raw = text; kind = level */
	bool msg;
};

struct async_batch {
	struct async_item it[ASYNC_BATCH];
	size_t n;
	char *arena;		/* the strings; pointers are offsets + 1 */
	size_t used, cap;
};

struct async {
	struct nft_sink sink;		/* the real one */
	struct nft_pipeline_result *r;
	uint64_t events;
	long after;			/* hand over after this many; <0 never */
	bool automatic;			/* ... if a cpu is idle then */
	bool threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t filled, drained;
	struct async_batch *b[ASYNC_NBATCH];
	size_t head, count;		/* oldest full batch, full batches */
	bool done;
	bool idle, full;		/* the sink's / the decoder's thread waits */
	int stop;			/* the sink's non-zero, from its thread */
	int stop_errno;			/* and its errno then */
	bool failed;			/* out of memory: went serial */
	struct async_batch *cur;	/* the one the decoder fills */
};

static size_t arena_put(struct async_batch *b, const char *s, size_t len)
{
	size_t at;

	if (b->used + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
		char *n;

		while (cap < b->used + len + 1)
			cap *= 2;
		n = realloc(b->arena, cap);
		if (!n)
			return 0;
		b->arena = n;
		b->cap = cap;
	}
	at = b->used;
	memcpy(b->arena + at, s, len);
	b->arena[at + len] = 0;
	b->used += len + 1;
	return at + 1;
}

#define OFF(x) ((const char *)(uintptr_t)(x))
#define PTR(b, p) ((p) ? (b)->arena + (uintptr_t)(p) - 1 : NULL)

/* Copy @ev into @b; false when out of memory. */
static bool batch_add(struct async_batch *b, const struct nft_event *ev)
{
	struct async_item *it = &b->it[b->n];
	size_t o;
	uint8_t i;

	it->msg = false;
	it->ev = *ev;
	if (ev->comm) {
		if (!(o = arena_put(b, ev->comm, strlen(ev->comm))))
			return false;
		it->ev.comm = OFF(o);
	}
	if (ev->name) {
		if (!(o = arena_put(b, ev->name, strlen(ev->name))))
			return false;
		it->ev.name = OFF(o);
	}
	if (ev->raw) {
		if (!(o = arena_put(b, ev->raw, ev->raw_len)))
			return false;
		it->ev.raw = OFF(o);
	}
	for (i = 0; i < ev->n_unknown && i < NFT_MAX_UNKNOWN; i++) {
		if (!ev->unknown[i].text)
			continue;
		if (!(o = arena_put(b, ev->unknown[i].text, ev->unknown[i].len)))
			return false;
		it->ev.unknown[i].text = OFF(o);
	}
	b->n++;
	return true;
}

/* The strings of item @it of @b back to pointers. */
static void batch_fix(struct async_batch *b, struct async_item *it)
{
	uint8_t i;

	it->ev.comm = PTR(b, it->ev.comm);
	it->ev.name = PTR(b, it->ev.name);
	it->ev.raw = PTR(b, it->ev.raw);
	for (i = 0; i < it->ev.n_unknown && i < NFT_MAX_UNKNOWN; i++)
		it->ev.unknown[i].text = PTR(b, it->ev.unknown[i].text);
}

static void keep_msg(void *ctx, enum nft_diag_level level, const char *file,
		     const char *where, const char *msg);

/* The sink's thread: every batch, in order, until the decoder is done. */
static void *async_main(void *arg)
{
	struct async *a = arg;

	for (;;) {
		struct async_batch *b;
		size_t i;

		pthread_mutex_lock(&a->mu);
		while (!a->count && !a->done) {
			a->idle = true;
			pthread_cond_wait(&a->filled, &a->mu);
			a->idle = false;
		}
		if (!a->count) {
			pthread_mutex_unlock(&a->mu);
			return NULL;
		}
		b = a->b[a->head];
		pthread_mutex_unlock(&a->mu);
		for (i = 0; i < b->n && !a->stop; i++) {
			struct async_item *it = &b->it[i];
			int rc;

			batch_fix(b, it);
			if (it->msg) {
				keep_msg(a->r, (enum nft_diag_level)it->ev.kind,
					 it->ev.comm, it->ev.name, it->ev.raw);
				continue;
			}
			rc = a->sink.event(a->sink.ctx, &it->ev);
			if (rc) {
				a->stop_errno = errno;
				__atomic_store_n(&a->stop, rc, __ATOMIC_RELEASE);
			}
		}
		b->n = 0;
		b->used = 0;
		pthread_mutex_lock(&a->mu);
		a->head = (a->head + 1) % ASYNC_NBATCH;
		a->count--;
		if (a->full)
			pthread_cond_signal(&a->drained);
		pthread_mutex_unlock(&a->mu);
	}
}

/* Hand the batch being filled over; wait for an empty one. */
static void async_publish(struct async *a)
{
	pthread_mutex_lock(&a->mu);
	a->count++;
	/*
	 * Wake the sink's thread with half the batches ready, not with each:
	 * a wake-up per batch cost more than the batch (futex, scheduler).
	 */
	if (a->idle && a->count >= ASYNC_NBATCH / 2)
		pthread_cond_signal(&a->filled);
	while (a->count == ASYNC_NBATCH) {
		a->full = true;
		if (a->idle)
			pthread_cond_signal(&a->filled);
		pthread_cond_wait(&a->drained, &a->mu);
		a->full = false;
	}
	a->cur = a->b[(a->head + a->count) % ASYNC_NBATCH];
	pthread_mutex_unlock(&a->mu);
}

static void queue_msg(void *ctx, enum nft_diag_level level, const char *file,
		      const char *where, const char *msg)
{
	struct async *a = ctx;
	struct async_batch *b = a->cur;
	struct async_item *it = &b->it[b->n];
	size_t f, w, m;

	f = arena_put(b, file ? file : "", file ? strlen(file) : 0);
	w = arena_put(b, where ? where : "", where ? strlen(where) : 0);
	m = arena_put(b, msg ? msg : "", msg ? strlen(msg) : 0);
	if (!f || !w || !m) {
		keep_msg(a->r, level, file, where, msg);	/* best effort */
		return;
	}
	memset(&it->ev, 0, sizeof(it->ev));
	it->msg = true;
	it->ev.kind = (enum nft_event_kind)level;
	it->ev.comm = file ? OFF(f) : NULL;
	it->ev.name = where ? OFF(w) : NULL;
	it->ev.raw = OFF(m);
	if (++b->n == ASYNC_BATCH || b->used > ASYNC_ARENA_MAX)
		async_publish(a);
}

static bool async_start(struct async *a)
{
	int i;

	for (i = 0; i < ASYNC_NBATCH; i++) {
		a->b[i] = calloc(1, sizeof(*a->b[i]));
		if (!a->b[i])
			goto fail;
	}
	if (pthread_mutex_init(&a->mu, NULL))
		goto fail;
	pthread_cond_init(&a->filled, NULL);
	pthread_cond_init(&a->drained, NULL);
	a->cur = a->b[0];
	/* lazily built tables, built here before the second thread may ask */
	nft_sym_lookup(0, "", 0);
	if (pthread_create(&a->th, NULL, async_main, a)) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->filled);
		pthread_cond_destroy(&a->drained);
		goto fail;
	}
	a->threaded = true;
	a->r->diag.report = queue_msg;
	a->r->diag.ctx = a;
	return true;
fail:
	for (i = 0; i < ASYNC_NBATCH; i++) {
		free(a->b[i]);
		a->b[i] = NULL;
	}
	a->failed = true;
	return false;
}

/*
 * A second cpu online that the rest of the machine leaves idle: the load
 * average below the cpus minus one, and right now (/proc/loadavg's
 * runnable count, ours included) a cpu with nothing to run -- not so when
 * netfs-replay -j runs a capture per cpu.
 */
static bool spare_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	double load;
	int running = 0;
	FILE *f;

	if (n < 2 || getloadavg(&load, 1) != 1 || load >= n - 1)
		return false;
	f = fopen("/proc/loadavg", "re");
	if (f) {
		if (fscanf(f, "%*s %*s %*s %d/", &running) != 1)
			running = 0;
		fclose(f);
	}
	return running < n;
}

static int async_event(void *ctx, const struct nft_event *ev)
{
	struct async *a = ctx;
	int stop;

	if (!a->threaded) {
		if (a->after < 0 || a->failed || a->events++ < (uint64_t)a->after)
			return a->sink.event(a->sink.ctx, ev);
		/* decided when the capture proved long, on the load then */
		if ((a->automatic && !spare_cpu()) || !async_start(a)) {
			a->after = -1;
			return a->sink.event(a->sink.ctx, ev);
		}
	}
	stop = __atomic_load_n(&a->stop, __ATOMIC_ACQUIRE);
	if (stop)
		return stop;
	if (!batch_add(a->cur, ev)) {
		/* out of memory for a copy: what the serial path would not be */
		return -1;
	}
	if (a->cur->n == ASYNC_BATCH || a->cur->used > ASYNC_ARENA_MAX)
		async_publish(a);
	return 0;
}

static void async_init(struct async *a, struct nft_pipeline_result *r,
		       const struct nft_sink *sink)
{
	const char *env = getenv("NETFS_TRACE_THREADS");

	memset(a, 0, sizeof(*a));
	a->sink = *sink;
	a->r = r;
	a->after = ASYNC_AFTER;
	if (env && *env == '0')
		a->after = -1;
	else if (env && *env == '1')
		a->after = 0;
	else
		a->automatic = true;
}

/* After the decoder: the rest of the events, and the sink back here. */
static int async_finish(struct async *a)
{
	int i, e = errno;

	if (a->threaded) {
		pthread_mutex_lock(&a->mu);
		if (a->cur->n)
			a->count++;
		a->done = true;
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->th, NULL);
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->filled);
		pthread_cond_destroy(&a->drained);
		a->r->diag.report = keep_msg;
		a->r->diag.ctx = a->r;
	}
	for (i = 0; i < ASYNC_NBATCH; i++) {
		if (a->b[i])
			free(a->b[i]->arena);
		free(a->b[i]);
	}
	errno = a->stop ? a->stop_errno : e;
	return a->stop;
}

void nft_pipeline_report(struct nft_pipeline_result *r,
			 enum nft_diag_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nft_diag_report(&r->diag, level, r->input.name, "", "%s", msg);
}

static int refuse(struct nft_pipeline_result *r, enum nft_pipeline_hint h)
{
	r->hint = h;
	r->status = NFT_PIPELINE_REFUSED;
	return r->status;
}

static int failed(struct nft_pipeline_result *r, enum nft_pipeline_status s,
		  int err)
{
	r->status = s;
	r->error = err;
	return s;
}

/* Events of other systems only: nothing to analyse (a model tells). */
static int check_netfs(struct nft_pipeline_result *r,
		       const struct nft_model *m)
{
	if (!m || nft_model_summary(m)->events)
		return r->status;
	/* a damaged or cut capture: not how it was recorded */
	return refuse(r, r->diag.errors ? NFT_HINT_NO_NETFS_DAMAGED :
					  NFT_HINT_NO_NETFS);
}

static int run_text(const struct nft_pipeline_opts *o,
		    struct nft_pipeline_result *r, struct nft_sink *sink,
		    struct nft_model *m)
{
	struct nft_text_opts to = { .want_raw = o->want_raw };
	struct nft_text_stats st = { 0 };
	struct async a;
	int rc;

	r->input.format = "text";
	/* --kernel: read indexes as that generation prints them. */
	if (m) {
		enum nft_gen g = nft_model_summary(m)->gen;

		if (g != NFT_GEN_AUTO)
			to.dialect = nft_gen_profile(g)->sreq_index_hex ?
				     NFT_DIALECT_MODERN : NFT_DIALECT_6_1;
	}
	async_init(&a, r, sink);
	rc = decode_ftrace_text(r->in, &to, &(struct nft_sink){ async_event, &a },
				&r->diag, &st);
	if (async_finish(&a) && !rc)
		rc = -1;
	if (rc)
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	r->lines = st.lines;
	r->events = st.events;
	if (m)
		nft_model_summary_mut(m)->lines = st.lines;
	snprintf(r->detail, sizeof(r->detail), "%llu lines",
		 (unsigned long long)st.lines);
	if (!st.events && !st.other_events)
		return refuse(r, st.malformed ? NFT_HINT_TEXT_UNDECODABLE :
						NFT_HINT_NOT_TRACE);
	return check_netfs(r, m);
}

static int run_dat(const struct nft_pipeline_opts *o,
		   struct nft_pipeline_result *r, struct nft_sink *sink,
		   struct nft_model *m)
{
	struct nft_dat_opts dopts = {
		.instance = o->instance,
		.want_raw = o->want_raw,
		.libtracecmd_only = o->libtracecmd_only,
	};
	struct nft_dat_stats st = { 0 };
	struct async a;
	int rc;

	r->input.format = "trace.dat";
	async_init(&a, r, sink);
	rc = decode_trace_dat(r->in, &dopts, &(struct nft_sink){ async_event, &a },
			      &r->diag, &st);
	if (async_finish(&a) && !rc)
		rc = -1;
	if (rc)
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	r->events = st.events;
	snprintf(r->detail, sizeof(r->detail), "%llu records, %d cpus%s%s",
		 (unsigned long long)st.records, st.cpus,
		 st.instance[0] ? ", instance " : "", st.instance);
	snprintf(r->instance, sizeof(r->instance), "%s", st.instance);
	snprintf(r->release, sizeof(r->release), "%s", st.kernel);
	r->input.dat = true;
	r->input.records = st.records;
	r->input.cpus = st.cpus;
	r->input.instance = r->instance;
	r->input.release = r->release;
	return check_netfs(r, m);
}

static int run_decoder(const struct nft_pipeline_opts *o,
		       struct nft_pipeline_result *r)
{
	struct nft_sink sink = o->sink;
	struct nft_model *m = o->sink_model;

	if (!sink.event) {
		m = r->model;
		sink = (struct nft_sink){ nft_model_event, m };
	}
	r->kind = nft_input_kind(r->in);
	switch (r->kind) {
	case NFT_INPUT_TEXT:
		return run_text(o, r, &sink, m);
	case NFT_INPUT_TRACE_DAT:
		return run_dat(o, r, &sink, m);
	case NFT_INPUT_EMPTY:
		return refuse(r, nft_input_fault(r->in) ?
				 NFT_HINT_EMPTY_DAMAGED : NFT_HINT_EMPTY);
	case NFT_INPUT_PERF_DATA:
		return refuse(r, NFT_HINT_PERF_DATA);
	case NFT_INPUT_BINARY:
		return refuse(r, NFT_HINT_BINARY);
	default:
		return failed(r, NFT_PIPELINE_READ_FAILED, errno);
	}
}

int nft_pipeline_run(const struct nft_pipeline_opts *o,
		     struct nft_pipeline_result *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = -1;
	r->fwd = o->report;
	r->fwd_ctx = o->report_ctx;
	r->diag.report = keep_msg;
	r->diag.ctx = r;
	r->input.name = o->input;
	r->input.compression = "none";
	r->input.detail = r->detail;

	r->in = nft_input_open(o->input);
	if (!r->in)
		return failed(r, NFT_PIPELINE_OPEN_FAILED, errno);
	r->input.name = nft_input_name(r->in);
	r->input.compression = nft_input_compression(r->in);
	nft_input_set_diag(r->in, &r->diag);
	nft_input_set_spool_max(r->in, o->spool_max);
	if (!o->sink.event) {
		static const struct nft_model_opts defaults;

		r->model = nft_model_new(o->model_opts ? o->model_opts :
							 &defaults);
		if (!r->model)
			return failed(r, NFT_PIPELINE_NO_MEMORY, ENOMEM);
	}
	if (run_decoder(o, r) == NFT_PIPELINE_OK && r->model)
		nft_model_finish(r->model);
	r->input.errors = r->diag.errors;
	r->input.warnings = r->diag.warnings;
	r->input.suppressed = r->diag.suppressed;
	return r->status;
}

void nft_pipeline_result_free(struct nft_pipeline_result *r)
{
	nft_model_free(r->model);
	r->model = NULL;
	nft_input_close(r->in);
	r->in = NULL;
}
