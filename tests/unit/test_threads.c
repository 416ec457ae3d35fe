// SPDX-License-Identifier: GPL-2.0
/*
 * The pipeline's second thread (libnetfs-trace/pipeline.c): with the sink
 * on a thread of its own (NETFS_TRACE_THREADS=1) the sink and the report
 * function see the same sequence as on one thread -- every event with its
 * strings, every message between the events it came between -- and a sink
 * that stops the run stops it: nothing after its stop reaches it, and the
 * run fails as on one thread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/pipeline.h"
#include "tap.h"

/* Everything the caller saw, in order, hashed; and counts. */
struct log {
	uint64_t h, events, msgs;
	unsigned long stop_after;	/* 0: never */
	int stop_rc;
	bool after_stop;		/* an event came after the stop */
};

static struct log *cur;

static void mix(struct log *l, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		l->h = (l->h ^ c[i]) * 1099511628211ULL;
}

static void mixs(struct log *l, const char *s)
{
	mix(l, s ? s : "(null)", s ? strlen(s) + 1 : 7);
}

static void report(void *ctx, enum nft_diag_level level, const char *file,
		   const char *where, const char *msg)
{
	(void)ctx;
	cur->msgs++;
	mix(cur, "M", 1);
	mix(cur, &level, sizeof(level));
	mixs(cur, file);
	mixs(cur, where);
	mixs(cur, msg);
}

static int event(void *ctx, const struct nft_event *ev)
{
	struct log *l = ctx;
	uint8_t i;

	if (l->stop_after && l->events >= l->stop_after)
		l->after_stop = true;
	l->events++;
	mix(l, "E", 1);
	mix(l, &ev->kind, sizeof(ev->kind));
	mix(l, &ev->ts_ns, sizeof(ev->ts_ns));
	mix(l, &ev->pos, sizeof(ev->pos));
	mix(l, &ev->rreq, sizeof(ev->rreq));
	mix(l, &ev->what, sizeof(ev->what));
	mix(l, ev->irqs, sizeof(ev->irqs));
	mixs(l, ev->comm);
	mixs(l, ev->name);
	if (ev->raw)
		mix(l, ev->raw, ev->raw_len);
	for (i = 0; i < ev->n_unknown; i++)
		mix(l, ev->unknown[i].text, ev->unknown[i].len);
	if (l->stop_after && l->events == l->stop_after) {
		errno = EDOM;
		return l->stop_rc;
	}
	return 0;
}

static int run(const char *input, const char *threads, bool raw,
	       struct log *l)
{
	struct nft_pipeline_opts o = {
		.input = input,
		.report = report,
		.want_raw = raw,
		.sink = { event, l },
	};
	struct nft_pipeline_result r;
	int status;

	setenv("NETFS_TRACE_THREADS", threads, 1);
	cur = l;
	status = nft_pipeline_run(&o, &r);
	if (status == NFT_PIPELINE_READ_FAILED)
		mix(l, &r.error, sizeof(r.error));
	nft_pipeline_result_free(&r);
	return status;
}

static void same(const char *input, bool raw)
{
	struct log a = { 0 }, b = { 0 };
	int sa = run(input, "0", raw, &a), sb = run(input, "1", raw, &b);

	is(sb, sa, "status");
	ok(a.events > 0 && b.events == a.events, "%s%s: %llu events either way",
	   input, raw ? " (raw lines)" : "", (unsigned long long)b.events);
	is(b.msgs, a.msgs, "as many messages");
	ok(a.h == b.h, "the same sequence of events and messages (%llx vs %llx)",
	   (unsigned long long)a.h, (unsigned long long)b.h);
}

static void stops(const char *input, unsigned long after)
{
	struct log a = { .stop_after = after, .stop_rc = 7 };
	struct log b = { .stop_after = after, .stop_rc = 7 };
	int sa = run(input, "0", false, &a), sb = run(input, "1", false, &b);

	is(sa, NFT_PIPELINE_READ_FAILED, "one thread: a stopping sink fails the run");
	is(sb, sa, "two threads: the same");
	is(b.events, after, "two threads: nothing after the stop reaches the sink");
	ok(!b.after_stop && !a.after_stop, "no event after the stop");
	ok(a.h == b.h, "%s: stopped after %lu: the same sequence", input, after);
}

int main(void)
{
	static const char *const inputs[] = {
		"tests/fixtures/6.16/smb_fault_killloop.dat",
		"tests/fixtures/6.18/smb_fault_killloop.txt.xz",
		"tests/fixtures/dat/corrupt-page.dat",
		"tests/fixtures/dat/fuzz-v6-page.dat",
		"tests/fixtures/dat/lost.dat",
		"tests/fixtures/7.3/fault_shrink.dat",
	};
	size_t i;

	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		same(inputs[i], false);
	same(inputs[0], true);
	same(inputs[1], true);
	/* a stop inside the first batch, at a batch's end, far on */
	stops(inputs[0], 10);
	stops(inputs[0], 256);
	stops(inputs[5], 5000);
	stops(inputs[1], 777);
	return tap_done();
}
