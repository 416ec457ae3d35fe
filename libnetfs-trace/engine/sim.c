// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual clock, the event queue and the random numbers.  Everything
 * that happens "concurrently" in the kernel is an event here, ordered by
 * (time, sequence) so a seed fully determines a run.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: fast, and its output does not depend on the libc. */
uint64_t rng_next(struct nft_engine *e)
{
	uint64_t *s = e->rng;
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

double rng_unit(struct nft_engine *e)
{
	return (rng_next(e) >> 11) * 0x1.0p-53;
}

uint64_t rng_range(struct nft_engine *e, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	/* The whole 64-bit range: hi - lo + 1 wraps to 0 (no SIGFPE). */
	if (hi - lo == UINT64_MAX)
		return rng_next(e);
	return lo + rng_next(e) % (hi - lo + 1);
}

static bool qev_before(const struct qev *a, const struct qev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void sim_at(struct nft_engine *e, uint64_t t, qev_fn fn, struct req *r,
	    struct sreq *s, int arg)
{
	struct qev q = { .t = t, .seq = e->seq++, .fn = fn, .req = r,
			 .sreq = s, .arg = arg };
	size_t i;

	if (e->nheap == e->heapcap) {
		size_t cap = e->heapcap ? e->heapcap * 2 : 64;
		struct qev *h = realloc(e->heap, cap * sizeof(*h));

		if (!h)
			abort();	/* the queue is bounded by requests in flight */
		e->heap = h;
		e->heapcap = cap;
	}
	i = e->nheap++;
	while (i > 0 && qev_before(&q, &e->heap[(i - 1) / 2])) {
		e->heap[i] = e->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	e->heap[i] = q;
}

bool sim_pop(struct nft_engine *e, struct qev *q)
{
	struct qev last;
	size_t i = 0, c;

	if (!e->nheap)
		return false;
	*q = e->heap[0];
	last = e->heap[--e->nheap];
	while ((c = 2 * i + 1) < e->nheap) {
		if (c + 1 < e->nheap && qev_before(&e->heap[c + 1], &e->heap[c]))
			c++;
		if (!qev_before(&e->heap[c], &last))
			break;
		e->heap[i] = e->heap[c];
		i = c;
	}
	e->heap[i] = last;
	if (q->t > e->now)
		e->now = q->t;
	return true;
}

/* CPU time spent between two trace points of one actor. */
void sim_tick(struct nft_engine *e, uint64_t lo_ns, uint64_t hi_ns)
{
	e->now += rng_range(e, lo_ns, hi_ns);
}

static void actor_set(struct nft_engine *e, const char *comm, int pid, int cpu)
{
	e->cur.comm = comm;
	e->cur.pid = pid;
	e->cur.cpu = cpu;
	memcpy(e->cur.irqs, ".....", 6);
}

void act_app(struct nft_engine *e, struct req *r)
{
	struct app_thread *a = &e->app[r ? r->app : 0];

	actor_set(e, "dd", a->pid, a->cpu);
}

void act_worker(struct nft_engine *e, struct req *r)
{
	int w = r ? r->id & 1 : 0;

	actor_set(e, e->wq_comm[w], w ? 29 : 12, e->nr_app > 1 ? w : !e->app[0].cpu);
}

/* Completions: cifs runs them in its demultiplex thread, 9p inline. */
void act_server(struct nft_engine *e)
{
	actor_set(e, "cifsd", 223, e->app[0].cpu);
}
