// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's public face: build a run from a scenario, drive the app
 * threads through the workload (one op after the other, as dd would) and
 * pump the event queue until the workload or the event budget is done.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int nft_engine_dialect_lookup(const char *name)
{
	if (!strcmp(name, "6.12"))
		return NFT_ENGINE_6_12;
	if (!strcmp(name, "7.2"))
		return NFT_ENGINE_7_2;
	errno = EINVAL;
	return -1;
}

int nft_engine_form_lookup(const char *name, int *form, unsigned int *wrap)
{
	static const char *const names[] = {
		[NFT_FORM_TRACE] = "trace", [NFT_FORM_COMM] = "comm",
		[NFT_FORM_TASK] = "task", [NFT_FORM_BARE] = "bare",
	};
	size_t n = strlen(name);
	int i;

	*wrap = 0;
	if (!strcmp(name, "wrapped")) {
		*form = NFT_FORM_TRACE;
		*wrap = 72;
		return 0;
	}
	if (n > 8 && !strcmp(name + n - 8, "-wrapped")) {
		*wrap = 72;
		n -= 8;
	}
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strlen(names[i]) == n && !strncmp(name, names[i], n)) {
			*form = i;
			return 0;
		}
	errno = EINVAL;
	return -1;
}

unsigned int nft_engine_default_features(enum nft_engine_dialect d)
{
	return d == NFT_ENGINE_7_2 ? NFT_ENGINE_F_RA_REFS | NFT_ENGINE_F_SEQ_DIO_WRITE |
				    NFT_ENGINE_F_READ_ERR_RETRY : 0;
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct nft_engine *nft_engine_new(const struct nft_scenario *sc,
				  const struct nft_engine_opts *opts)
{
	struct nft_engine *e = calloc(1, sizeof(*e));
	uint64_t x;
	int i;

	if (!e)
		return NULL;
	e->sc = sc;
	e->o = *opts;
	e->prof = nft_gen_profile(opts->dialect == NFT_ENGINE_7_2 ? NFT_GEN_7 :
				  NFT_GEN_6_12);
	e->sym = symtab_get(opts->dialect);
	profile_bits(e);
	if (opts->dialect == NFT_ENGINE_7_2)
		e->feat = opts->features ? opts->features & ~NFT_ENGINE_F_EXPLICIT :
			  nft_engine_default_features(opts->dialect);
	x = opts->seed;
	for (i = 0; i < 4; i++)
		e->rng[i] = splitmix(&x);
	e->next_id = sc->first_id;
	e->nr_app = sc->concurrency < 1 ? 1 : sc->concurrency > 8 ? 8 :
		    sc->concurrency;
	for (i = 0; i < e->nr_app; i++) {
		e->app[i].pid = 418 + 7 * i;
		e->app[i].cpu = i & 1;
	}
	e->app[BG_APP].pid = 502;
	e->app[BG_APP].cpu = 1;
	strcpy(e->wq_comm[0], "kworker/u8:0");
	strcpy(e->wq_comm[1], "kworker/u8:1");
	if (!e->o.max_events)
		e->o.max_events = sc->events;
	inject_setup(e);
	fc_setup(e);
	e->now = 10ull * 1000000000ull + rng_range(e, 0, 999999) * 1000;
	return e;
}

static void app_next(struct nft_engine *e, struct qev *q);
static void bg_next(struct nft_engine *e, struct qev *q);

/* The app thread is free for its next op after a think time. */
void op_finished(struct nft_engine *e, struct req *r)
{
	if (r->app == BG_APP) {
		sim_at(e, e->now + rng_range(e, BG_GAP_US / 2, BG_GAP_US) * NS_PER_US,
		       bg_next, NULL, NULL, BG_APP);
		return;
	}
	sim_at(e, e->now + e->sc->think_us * NS_PER_US +
	       rng_range(e, 0, e->sc->think_us) * NS_PER_US, app_next, NULL, NULL,
	       r->app);
}

static void start_op(struct nft_engine *e, int app, const struct sc_op *op,
		     uint64_t k)
{
	uint64_t start = op->offset + k * (op->stride ? op->stride : op->size);

	if (app != BG_APP && op != &e->inject_op)
		start += app * e->sc->thread_stride;
	struct req *r;

	if (op->type == OP_DIO_WRITE || op->type == OP_UNBUFFERED_WRITE) {
		/* netfs_write_iter is traced before the request exists. */
		struct req tmp = { .start = start, .len = op->size };

		em_write_iter(e, &tmp);
		sim_tick(e, 2000, 20000);
	}
	if (op == &e->inject_op)
		fc_inject_before(e);
	r = req_alloc(e, op->type, start, op->size, op, app);
	if (r->write)
		write_start(e, r);
	else
		read_start(e, r);
	if (op == &e->inject_op)
		fc_inject_started(e, r);
}

/*
 * The background reader: one clean readahead every BG_GAP_US or so, in a
 * range of its own, until bg_until.  Stuck and leaked objects are only
 * findings once they stayed quiet while the trace went on; without it a
 * capture that ends right after the bug would show them "in flight".
 */
static void bg_next(struct nft_engine *e, struct qev *q)
{
	(void)q;
	if (e->now >= e->bg_until || e->stop)
		return;
	e->cur.comm = "dd";
	e->cur.pid = e->app[BG_APP].pid;
	e->cur.cpu = e->app[BG_APP].cpu;
	memcpy(e->cur.irqs, ".....", 6);
	start_op(e, BG_APP, &e->bg_op, e->bg_k++ % 16);
}

static void bg_start(struct nft_engine *e)
{
	e->bg_op = (struct sc_op){ .type = OP_READAHEAD, .count = 1,
				   .offset = 0xa00000, .size = 0x10000,
				   .stride = 0x10000, .clean = true };
	e->bg_until = e->now + BG_SPAN_NS;
	sim_at(e, e->now + BG_GAP_US * NS_PER_US, bg_next, NULL, NULL, BG_APP);
}

static void app_next(struct nft_engine *e, struct qev *q)
{
	struct app_thread *a = &e->app[q->arg];
	const struct nft_scenario *sc = e->sc;

	e->cur.comm = "dd";
	e->cur.pid = a->pid;
	e->cur.cpu = a->cpu;
	memcpy(e->cur.irqs, ".....", 6);
	while (a->op < sc->nr_ops && !a->left) {
		if (++a->op < sc->nr_ops)
			a->left = sc->ops[a->op].count;
	}
	if (a->op < sc->nr_ops) {
		const struct sc_op *op = &sc->ops[a->op];

		start_op(e, q->arg, op, op->count - a->left--);
		return;
	}
	if (q->arg == 0 && e->inject_armed) {
		e->inject_armed = false;
		if (e->inject_quiet)
			bg_start(e);
		start_op(e, 0, &e->inject_op, 0);
		return;
	}
	/* Workload done: go round again while the event budget lasts. */
	if (e->o.max_events && e->st.events < e->o.max_events && sc->nr_ops) {
		a->op = 0;
		a->left = sc->ops[0].count;
		if (q->arg == 0)
			e->cycle++;
		sim_at(e, e->now + sc->think_us * NS_PER_US, app_next, NULL, NULL,
		       q->arg);
	}
}

int nft_engine_run(struct nft_engine *e)
{
	struct qev q;
	uint64_t t0 = e->now;
	int i;

	out_header(e);
	fc_start(e);
	for (i = 0; i < e->nr_app; i++) {
		e->app[i].op = -1;
		e->app[i].left = 0;
		sim_at(e, e->now + i * 37 * NS_PER_US, app_next, NULL, NULL, i);
	}
	while (!e->stop && sim_pop(e, &q))
		q.fn(e, &q);
	if (!e->stop)
		fc_teardown(e);
	e->st.virtual_ns = e->now - t0;
	if (out_flush(e) < 0 || (e->o.text && fflush(e->o.text))) {
		errno = e->error ? e->error : EIO;
		return -1;
	}
	if (e->o.truth)
		fflush(e->o.truth);
	return e->stop > 0 && e->o.max_events && e->st.events >= e->o.max_events ?
	       0 : e->stop;
}

void nft_engine_get_stats(const struct nft_engine *e, struct nft_engine_stats *st)
{
	*st = e->st;
}

void nft_engine_free(struct nft_engine *e)
{
	if (!e)
		return;
	req_free_all(e);
	fc_free(e);
	free(e->heap);
	free(e->out.p);
	free(e);
}
