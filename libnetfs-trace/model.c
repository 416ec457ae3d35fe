// SPDX-License-Identifier: GPL-2.0
/*
 * The model: requests and subrequests rebuilt from events, their ledgers,
 * and the calls into the detectors.  fscache/cachefiles objects live in
 * model_fs.c, findings in findings.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gen.h"
#include "model_internal.h"
#include "util.h"

#define DEFAULT_STUCK_NS (5ULL * 1000000000ULL)
#define DEFAULT_RETRY_LIMIT 4
#define TICK_NS (100ULL * 1000000ULL)

static const struct nft_detector *const detectors[] = {
	&nft_detect_use_after_free, &nft_detect_ref_mismatch,
	&nft_detect_ref_leak,	    &nft_detect_stuck,
	&nft_detect_over_read,	    &nft_detect_bad_rewind,
	&nft_detect_retry_storm,    &nft_detect_failure,
	&nft_detect_bad_context,    &nft_detect_double_unlock,
	&nft_detect_early_unlock,   &nft_detect_bad_donation,
	&nft_detect_fscache_lifecycle,
};

#define NR_DETECTORS (sizeof(detectors) / sizeof(detectors[0]))

void *nft_detector_state(struct nft_model *m, const struct nft_detector *d)
{
	/*
	 * Asked several times per event: remember where each detector sits
	 * (detectors[] is constant, so a slot is right or empty, never stale).
	 */
	static _Thread_local struct {
		const struct nft_detector *d;
		size_t i;
	} slot[16];
	size_t h = ((uintptr_t)d >> 4) % 16, i;

	if (slot[h].d == d)
		return m->dstate ? m->dstate[slot[h].i] : NULL;
	for (i = 0; i < NR_DETECTORS; i++)
		if (detectors[i] == d) {
			slot[h].d = d;
			slot[h].i = i;
			return m->dstate ? m->dstate[i] : NULL;
		}
	return NULL;
}

#define for_each_detector(d)                                                  \
	for (const struct nft_detector *const *d##_p = detectors;             \
	     d##_p < detectors + sizeof(detectors) / sizeof(detectors[0]) &&  \
	     ((d) = *d##_p, 1);                                               \
	     d##_p++)

void nft_model_fs_event(struct nft_model *m, const struct nft_event *ev);
void nft_model_fs_finish(struct nft_model *m);
void nft_model_fs_release_all(struct nft_model *m);
void nft_model_fs_mark_uncertain(struct nft_model *m);
uint32_t nft_model_fs_cookie_object(struct nft_model *m, uint32_t cookie);
void nft_model_guess_gen(struct nft_model *m, const struct nft_event *ev);
bool nft_model_fs_evict_one(struct nft_model *m, uint64_t older_than);

/* An object's cost, roughly: a request with a few ref entries is ~700 bytes. */
#define OBJECT_BYTES 1024

/*
 * The memory this process may use: the machine's, or less when a cgroup
 * (v2 memory.max) or an address-space limit says so.  0: unknown.
 */
static uint64_t usable_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t mem = pages > 0 && psz > 0 ? (uint64_t)pages * (uint64_t)psz : 0;
	unsigned long long lim;
	struct rlimit rl;
	FILE *f;

	f = fopen("/sys/fs/cgroup/memory.max", "re");
	if (f) {
		if (fscanf(f, "%llu", &lim) == 1 && lim && (!mem || lim < mem))
			mem = lim;
		fclose(f);
	}
	if (!getrlimit(RLIMIT_AS, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	    (!mem || rl.rlim_cur < mem))
		mem = rl.rlim_cur;
	return mem;
}

uint64_t nft_default_max_objects(void)
{
	uint64_t mem = usable_memory();
	uint64_t n = NFT_MAX_OBJECTS_MIN;

	if (mem)
		n = mem / 8 / OBJECT_BYTES;
	if (n < NFT_MAX_OBJECTS_MIN)
		n = NFT_MAX_OBJECTS_MIN;
	if (n > NFT_MAX_OBJECTS_CAP)
		n = NFT_MAX_OBJECTS_CAP;
	return n;
}

/* Distinct unknown symbols kept (nft_model_unknowns()). */
#define NFT_UNKNOWN_MAX 4096

/* Findings kept of each kind: the rest are counted (NFT_NOTE_FINDINGS_CAPPED). */
#define FINDINGS_PER_KIND_MIN 256

struct nft_model *nft_model_new(const struct nft_model_opts *opts)
{
	struct nft_model *m = calloc(1, sizeof(*m));

	if (!m)
		goto nomem;
	if (opts)
		m->opts = *opts;
	if (!m->opts.stuck_after_ns)
		m->opts.stuck_after_ns = DEFAULT_STUCK_NS;
	if (!m->opts.retry_limit)
		m->opts.retry_limit = DEFAULT_RETRY_LIMIT;
	m->gen_forced = m->opts.gen != NFT_GEN_AUTO;
	m->sum.gen = m->opts.gen;
	if (!m->opts.max_objects)
		m->opts.max_objects = nft_default_max_objects();
	m->sum.max_objects = m->opts.max_objects;
	m->sum.findings_per_kind = m->opts.max_objects / 64 > FINDINGS_PER_KIND_MIN ?
		(uint32_t)(m->opts.max_objects / 64 < UINT32_MAX ?
			   m->opts.max_objects / 64 : UINT32_MAX) :
		FINDINGS_PER_KIND_MIN;
	m->dead_ring = calloc(NFT_DEAD_MAX, sizeof(*m->dead_ring));
	if (!m->dead_ring || nft_idmap_init(&m->reqs, 1024) ||
	    nft_idmap_init(&m->fsobjs, 256) ||
	    nft_idmap_init(&m->old_cookies, 64) ||
	    /* grows to NFT_DEAD_MAX: a big table from the start faults in a
	     * page per tombstone, hundreds for a small capture */
	    nft_idmap_init(&m->dead, 64))
		goto nomem;
	m->dstate = calloc(NR_DETECTORS, sizeof(*m->dstate));
	if (!m->dstate)
		goto nomem;
	for (size_t i = 0; i < NR_DETECTORS; i++) {
		if (!detectors[i]->state_size)
			continue;
		m->dstate[i] = calloc(1, detectors[i]->state_size);
		if (!m->dstate[i])
			goto nomem;
	}
	if (nft_focus_init(m))
		goto nomem;
	return m;
nomem:
	nft_model_free(m);
	errno = ENOMEM;
	return NULL;
}

static void subreqs_release(struct nft_request *req)
{
	uint32_t i;

	for (i = 0; i < req->nr_sreq_slots; i++) {
		if (!req->sreqs[i])
			continue;
		nft_ledger_release(&req->sreqs[i]->refs);
		free(req->sreqs[i]);
	}
	free(req->sreqs);
	req->sreqs = NULL;
	req->nr_sreq_slots = 0;
	nft_ledger_release(&req->refs);
}

static void node_free(struct nft_req_node *node)
{
	subreqs_release(&node->req);
	free(node);
}

void nft_model_free(struct nft_model *m)
{
	size_t i;

	if (!m)
		return;
	while (m->lru_head) {
		struct nft_req_node *n = m->lru_head;

		m->lru_head = n->next;
		node_free(n);
	}
	nft_model_fs_release_all(m);
	for (i = 0; m->dstate && i < NR_DETECTORS; i++) {
		if (m->dstate[i] && detectors[i]->state_free)
			detectors[i]->state_free(m->dstate[i]);
		free(m->dstate[i]);
	}
	free(m->dstate);
	nft_idmap_release(&m->reqs);
	nft_idmap_release(&m->fsobjs);
	nft_idmap_release(&m->old_cookies);
	nft_idmap_release(&m->dead);
	free(m->dead_ring);
	for (i = 0; i < m->n_parked; i++)
		nft_ledger_release(&m->parked[i].refs);
	free(m->parked);
	for (i = 0; i < m->n_findings; i++)
		nft_finding_release(&m->findings[i]);
	free(m->findings);
	free(m->unknowns);
	free(m->in_flight);
	free(m->kept);
	nft_focus_release(m);
	free(m);
}

/* ---- tombstones ---- */

void nft_model_tombstone(struct nft_model *m, uint64_t key, bool evicted)
{
	struct nft_dead *d = &m->dead_ring[m->dead_next];

	if (nft_idmap_get(&m->dead, d->key) == d)
		nft_idmap_del(&m->dead, d->key);
	d->key = key;
	d->pos_free = m->pos;
	d->ts_free = m->now;
	d->reported = false;
	d->evicted = evicted;
	nft_idmap_put(&m->dead, key, d);
	m->dead_next = (m->dead_next + 1) % NFT_DEAD_MAX;
}

/* ---- the object bound ---- */

void nft_model_note(struct nft_model *m, unsigned int note)
{
	if (m->sum.notes & note)
		return;
	m->sum.notes |= note;
	if (m->opts.hooks.note)
		m->opts.hooks.note(m->opts.hooks.ctx, note, &m->sum);
}

void nft_model_live_add(struct nft_model *m, uint64_t n)
{
	m->n_live += n;
	m->sum.live_objects = m->n_live;
	if (m->n_live > m->sum.peak_objects)
		m->sum.peak_objects = m->n_live;
}

void nft_model_live_sub(struct nft_model *m, uint64_t n)
{
	m->n_live = m->n_live > n ? m->n_live - n : 0;
	m->sum.live_objects = m->n_live;
}

static void dead_event(struct nft_model *m, const struct nft_event *ev,
		       struct nft_dead *dead, const char *object)
{
	const struct nft_detector *d;

	for_each_detector(d)
		if (d->dead)
			d->dead(m, ev, dead, object);
}

/* ---- live request list (least recently active first) ---- */

static void lru_unlink(struct nft_model *m, struct nft_req_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		m->lru_head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		m->lru_tail = n->prev;
	n->prev = n->next = NULL;
}

static void lru_append(struct nft_model *m, struct nft_req_node *n)
{
	n->prev = m->lru_tail;
	n->next = NULL;
	if (m->lru_tail)
		m->lru_tail->next = n;
	else
		m->lru_head = n;
	m->lru_tail = n;
}

static void touch_request(struct nft_model *m, struct nft_req_node *n)
{
	n->req.t_last = m->now;
	n->req.pos_last = m->pos;
	if (m->lru_tail != n) {
		lru_unlink(m, n);
		lru_append(m, n);
	}
}

/* ---- summary accounting, once per object ---- */

static int origin_from_op(const struct nft_request *req)
{
	static const uint8_t rd[NFT_RD__NR] = {
		[NFT_RD_DIO_READ] = NFT_ORIGIN_DR,
		[NFT_RD_READAHEAD] = NFT_ORIGIN_RA,
		[NFT_RD_EXPANDED] = NFT_ORIGIN_RA,
		[NFT_RD_READPAGE] = NFT_ORIGIN_RP,
		[NFT_RD_READ_GAPS] = NFT_ORIGIN_RG,
		[NFT_RD_READ_SINGLE] = NFT_ORIGIN_R1,
		[NFT_RD_PREFETCH_FOR_WRITE] = NFT_ORIGIN_RW,
		[NFT_RD_WRITE_BEGIN] = NFT_ORIGIN_RW,
	};
	static const uint8_t wr[NFT_WR__NR] = {
		[NFT_WR_COPY_TO_CACHE] = NFT_ORIGIN_C2C,
		[NFT_WR_DIO_WRITE] = NFT_ORIGIN_DW,
		[NFT_WR_UNBUFFERED_WRITE] = NFT_ORIGIN_UW,
		[NFT_WR_WRITEBACK] = NFT_ORIGIN_WB,
		[NFT_WR_WRITEBACK_SINGLE] = NFT_ORIGIN_W1,
		[NFT_WR_WRITETHROUGH] = NFT_ORIGIN_WT,
		[NFT_WR_LAUNDER] = NFT_ORIGIN_LW,
	};

	if (req->origin)
		return req->origin;
	if (req->is_write)
		return req->op < NFT_WR__NR ? wr[req->op] : 0;
	return req->op < NFT_RD__NR ? rd[req->op] : 0;
}

int nft_request_origin(const struct nft_request *req)
{
	return origin_from_op(req);
}

static void account_subreq(struct nft_model *m, struct nft_subreq *s)
{
	struct nft_summary *sum = &m->sum;
	unsigned int src = s->source < NFT_SRC__NR ? s->source : 0;

	sum->subreqs++;
	sum->subreqs_by_source[src]++;
	if (s->error < 0)
		sum->subreq_failed_by_source[src]++;
	switch (src) {
	case NFT_SRC_ZERO:
		sum->bytes_zero += s->transferred;
		/* fall through */
	case NFT_SRC_DOWNLOAD:
		sum->bytes_read += s->transferred;
		break;
	case NFT_SRC_CACHE_READ:
		sum->bytes_read += s->transferred;
		sum->bytes_cache_read += s->transferred;
		break;
	case NFT_SRC_UPLOAD:
		sum->bytes_written += s->transferred;
		break;
	case NFT_SRC_CACHE_WRITE:
		sum->bytes_cache_written += s->transferred;
		break;
	}
}

static void account_request(struct nft_model *m, struct nft_request *req)
{
	uint32_t i;

	m->sum.requests_by_origin[origin_from_op(req)]++;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && s->state != NFT_SS_FREED)
			account_subreq(m, s);
	}
}

/* ---- request lifetime ---- */

/* Append ", what" (printf-style) to @buf of @sz, keeping it terminated. */
static void __attribute__((format(printf, 4, 5)))
waits_add(char *buf, size_t sz, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*len + 2 >= sz)
		return;
	if (*len) {
		memcpy(buf + *len, ", ", 3);
		*len += 2;
	}
	va_start(ap, fmt);
	r = vsnprintf(buf + *len, sz - *len, fmt, ap);
	va_end(ap);
	if (r > 0)
		*len = *len + (size_t)r < sz ? *len + (size_t)r : sz - 1;
}

void nft_request_waits(const struct nft_model *m, const struct nft_request *req,
		       char *buf, size_t sz)
{
	struct nft_rreq_holds h;
	uint32_t i, live = 0;
	size_t len = 0;

	(void)m;
	buf[0] = 0;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		const struct nft_subreq *s = req->sreqs[i];

		if (!s || s->state == NFT_SS_FREED)
			continue;
		live++;
		switch (s->state) {
		case NFT_SS_SEEN:
		case NFT_SS_IN_FLIGHT:
			if (s->orphan)
				waits_add(buf, sz, &len,
					  "[%x] TERM (which nothing will collect: IN_PROGRESS cleared at line %llu)",
					  (unsigned int)s->index,
					  (unsigned long long)req->pos_ip_clear);
			else
				waits_add(buf, sz, &len, "[%x] TERM",
					  (unsigned int)s->index);
			break;
		case NFT_SS_TERMINATED:
			waits_add(buf, sz, &len, "collection of [%x]",
				  (unsigned int)s->index);
			break;
		default:
			waits_add(buf, sz, &len, "FREE of [%x]",
				  (unsigned int)s->index);
			break;
		}
	}
	if (req->waiting)
		waits_add(buf, sz, &len, "wake-up (WAIT-IP at line %llu)",
			  (unsigned long long)req->pos_wait);
	else if (!req->ip_cleared && req->state == NFT_REQ_ACTIVE && !live)
		waits_add(buf, sz, &len, "completion (IN_PROGRESS still set)");
	nft_rreq_holds(&req->refs, &h);
	if (h.n[NFT_HOLD_WORK] > 0)
		waits_add(buf, sz, &len, "PUT WORK");
	if (h.n[NFT_HOLD_ISSUE] > 0)
		waits_add(buf, sz, &len, "PUT HOLD");
	if (h.n[NFT_HOLD_SUBREQ] > (int32_t)live)
		waits_add(buf, sz, &len, "PUT SUBREQ");
	if (h.n[NFT_HOLD_CALLER] > 0)
		waits_add(buf, sz, &len, h.put_return ? "the put of its own ref" :
							"PUT RETURN");
	if (req->refs.known && req->refs.explained && req->refs.count == 0)
		waits_add(buf, sz, &len, "FREE");
	if (!len)
		waits_add(buf, sz, &len, req->refs.known ?
				"a put (r=%lld)" : "its end (no ref lines)",
			  (long long)req->refs.count);
}

/* A request alive at the end that no finding covers: say what it waits for. */
static void note_in_flight(struct nft_model *m, const struct nft_request *req)
{
	struct nft_in_flight *f;

	m->sum.in_flight_at_end++;
	if (m->n_in_flight >= NFT_IN_FLIGHT_MAX ||
	    nft_grow(&m->in_flight, &m->cap_in_flight, m->n_in_flight + 1,
		     sizeof(*f)))
		return;
	f = &m->in_flight[m->n_in_flight++];
	f->rreq = req->id;
	nft_req_object(req, NULL, f->object);
	nft_request_waits(m, req, f->waiting, sizeof(f->waiting));
}

static void release_request(struct nft_model *m, struct nft_req_node *n,
			    bool at_end)
{
	const struct nft_detector *d;
	struct nft_request *req = &n->req;

	for_each_detector(d)
		if (d->release)
			d->release(m, req, at_end);
	if (at_end && !req->reported_stuck && !req->reported_leak)
		note_in_flight(m, req);
	if (m->opts.hooks.request_end)
		m->opts.hooks.request_end(m->opts.hooks.ctx, req);
	account_request(m, req);
	lru_unlink(m, n);
	nft_idmap_del(&m->reqs, req->id);
	nft_model_live_sub(m, 1 + (uint64_t)req->nr_sreqs);
	if (!at_end)
		nft_model_tombstone(m, NFT_KEY_REQ(req->id), req->evicted);
	if (n->focus && nft_focus_request_end(m, req)) {
		free(n);
		return;
	}
	node_free(n);
}

static bool is_birth(const struct nft_event *ev)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_READ:
	case NFT_EV_NETFS_WRITE:
		return true;
	case NFT_EV_NETFS_RREQ_REF:
		return ev->what == NFT_RREF_NEW;
	default:
		return false;
	}
}

/*
 * A put that printed r >= 1, or a get that printed r >= 2, happened while
 * the object was alive -- a count reaches zero once, and a get from zero
 * prints 1 -- so when its line comes after the final put or the FREE, the
 * line is late (the CPU was held up between the atomic and the trace), not
 * a use of freed memory.
 */
static bool late_put_trace(const struct nft_event *ev)
{
	enum nft_sym_class cls;
	int32_t r = (int32_t)ev->ref;

	if (ev->kind != NFT_EV_NETFS_RREQ_REF &&
	    ev->kind != NFT_EV_NETFS_SREQ_REF)
		return false;
	cls = ev->kind == NFT_EV_NETFS_RREQ_REF ? NFT_SYMC_RREQ_REF :
						   NFT_SYMC_SREQ_REF;
	/* r is an int printed with %u: 4294967295 is an underflow to -1. */
	switch (nft_ref_op(cls, ev->what)) {
	case NFT_REF_PUT:
		return r >= 1;
	case NFT_REF_GET:
		return r >= 2;
	default:
		return false;
	}
}

static struct nft_req_node *new_request(struct nft_model *m, uint32_t id,
					uint32_t reuse)
{
	struct nft_req_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->req.id = id;
	n->req.reuse = reuse;
	/*
	 * Events lost before @lost_until may have been this request's too
	 * (its NEW, a subrequest on the cpu that lost them): a live reader
	 * learns of a loss only after the records of other cpus that ran
	 * meanwhile, so the request can be new to us after the marker.
	 */
	n->req.uncertain = m->lost_to_end ||
			   (m->lost_until && m->now <= m->lost_until);
	n->req.t_new = n->req.t_last = m->now;
	n->req.pos_new = n->req.pos_last = m->pos;
	nft_ledger_init(&n->req.refs);
	if (nft_idmap_put(&m->reqs, id, n)) {
		free(n);
		return NULL;
	}
	lru_append(m, n);
	nft_model_live_add(m, 1);
	n->focus = nft_focus_is_request(m, id);
	m->sum.requests++;
	if (reuse)
		m->sum.reused_ids++;
	return n;
}

/*
 * The live request an event is about; creates it on first sight.  NULL if
 * the id is dead (the detectors have been told) or memory ran out.
 */
static struct nft_req_node *lookup_request(struct nft_model *m,
					   const struct nft_event *ev,
					   char *object)
{
	struct nft_req_node *n = nft_idmap_get(&m->reqs, ev->rreq);
	struct nft_dead *dead;
	uint32_t reuse = 0;

	if (n)
		return n;
	dead = nft_idmap_get(&m->dead, NFT_KEY_REQ(ev->rreq));
	if (dead && dead->evicted && !is_birth(ev)) {
		/*
		 * Evicted by the object bound, not freed: its lines say
		 * nothing we can judge any more -- except a late put, which
		 * a ledger parked at eviction may be waiting for.
		 */
		m->sum.evicted_lines++;
		if (late_put_trace(ev)) {
			const struct nft_detector *d;

			for_each_detector(d)
				if (d->late_put)
					d->late_put(m, ev);
		}
		return NULL;
	}
	if (dead) {
		if (late_put_trace(ev)) {
			const struct nft_detector *d;

			for_each_detector(d)
				if (d->late_put)
					d->late_put(m, ev);
			return NULL;
		}
		if (!is_birth(ev)) {
			snprintf(object, NFT_OBJECT_LEN, "R=%08x", ev->rreq);
			dead_event(m, ev, dead, object);
			return NULL;
		}
		nft_idmap_del(&m->dead, dead->key);
		reuse = 1;
	}
	return new_request(m, ev->rreq, reuse);
}

/* ---- subrequests ---- */

static struct nft_subreq *lookup_subreq(struct nft_model *m,
					struct nft_request *req, int32_t index)
{
	struct nft_subreq *s;

	if (index < 0 || index > 65535)
		return NULL;
	if ((uint32_t)index >= req->nr_sreq_slots) {
		uint32_t slots = req->nr_sreq_slots ? req->nr_sreq_slots : 8;
		void *v;

		while (slots <= (uint32_t)index)
			slots *= 2;
		v = realloc(req->sreqs, slots * sizeof(*req->sreqs));
		if (!v)
			return NULL;
		req->sreqs = v;
		memset(req->sreqs + req->nr_sreq_slots, 0,
		       (slots - req->nr_sreq_slots) * sizeof(*req->sreqs));
		req->nr_sreq_slots = slots;
	}
	s = req->sreqs[index];
	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->index = index;
	s->stream = -1;
	/*
	 * First seen after its request's IN_PROGRESS cleared: it was queued
	 * (or its lines were traced) after the collector completed the
	 * request, which then never collects it -- the 9p shape of the
	 * ALL_QUEUED race (5de0219a9bb9), where a synchronous read prints
	 * nothing before its TERM.
	 */
	s->orphan = req->ip_cleared;
	s->t_first = s->t_last = m->now;
	s->pos_first = s->pos_last = m->pos;
	nft_ledger_init(&s->refs);
	req->sreqs[index] = s;
	req->nr_sreqs++;
	req->nr_alive++;
	nft_model_live_add(m, 1);
	return s;
}

static void sreq_set_stream(struct nft_subreq *s)
{
	if (s->stream >= 0)
		return;
	if (s->source == NFT_SRC_CACHE_WRITE)
		s->stream = 1;
	else if (s->source != NFT_SRC_UNKNOWN_SOURCE)
		s->stream = 0;
}

static void sreq_free(struct nft_model *m, struct nft_request *req,
		      struct nft_subreq *s)
{
	if (s->state == NFT_SS_FREED)
		return;
	s->state = NFT_SS_FREED;
	s->t_free = m->now;
	s->pos_free = m->pos;
	account_subreq(m, s);
	if (req->nr_alive)
		req->nr_alive--;
}

static void cycle_begin(struct nft_model *m, struct nft_subreq *s)
{
	if (s->nr_cycles < NFT_SREQ_CYCLES) {
		struct nft_sreq_cycle *c = &s->cycle[s->nr_cycles];

		c->t_issue = m->now;
		c->pos_issue = m->pos;
		c->t_term = c->pos_term = 0;
	}
	s->nr_cycles++;
}

static void cycle_end(struct nft_model *m, struct nft_subreq *s)
{
	struct nft_sreq_cycle *c;

	if (!s->nr_cycles)	/* terminated with no submission line */
		cycle_begin(m, s);
	if (s->nr_cycles > NFT_SREQ_CYCLES)
		return;
	c = &s->cycle[s->nr_cycles - 1];
	c->t_term = m->now;
	c->pos_term = m->pos;
}

static void sreq_terminated(struct nft_model *m, struct nft_request *req,
			    struct nft_subreq *s)
{
	cycle_end(m, s);
	/* a TERM line traced late, after its collection or FREE, revives nothing */
	if (s->state < NFT_SS_COLLECTED)
		s->state = NFT_SS_TERMINATED;
	s->t_term = m->now;
	s->pos_term = m->pos;
	s->done_lo = s->start;
	s->done_hi = s->start + s->transferred;
	if (s->error < 0 || s->transferred < s->len)
		s->need_retry = true;
	if (s->source != NFT_SRC_ZERO)
		req->bytes += s->transferred;
}

static void sreq_reissued(struct nft_model *m, struct nft_request *req,
			  struct nft_subreq *s)
{
	uint64_t mark = s->start + s->transferred;

	s->reissues++;
	if (s->reissues > 1 && mark <= s->progress_mark)
		s->stalled_reissues++;
	else
		s->stalled_reissues = 0;
	s->progress_mark = mark;
	s->need_retry = false;
	s->state = NFT_SS_IN_FLIGHT;
	cycle_begin(m, s);
	req->retries++;
	m->sum.retries++;
}

static void apply_sreq_line(struct nft_model *m, const struct nft_event *ev,
			    struct nft_request *req, struct nft_subreq *s)
{
	if (ev->source != NFT_SRC_UNKNOWN_SOURCE)
		s->source = ev->source;
	sreq_set_stream(s);
	s->start = ev->start;
	s->len = ev->len;
	s->transferred = ev->transferred;
	s->error = ev->error;
	s->flags = ev->flags;
	switch (ev->what) {
	case NFT_SREQ_SUBMIT:
	case NFT_SREQ_WRITE:
		if (s->state < NFT_SS_IN_FLIGHT) {
			s->state = NFT_SS_IN_FLIGHT;
			s->t_submit = m->now;
			s->pos_submit = m->pos;
			if (!s->nr_cycles)
				cycle_begin(m, s);
		}
		break;
	case NFT_SREQ_RETRY:
	case NFT_SREQ_SHORT:
		/* 6.1's SHORT is "resubmit the short part". */
		if (ev->what == NFT_SREQ_RETRY ||
		    nft_model_profile(m)->short_resubmits)
			sreq_reissued(m, req, s);
		break;
	case NFT_SREQ_TERMINATED:
	case NFT_SREQ_WRITE_TERM:
		sreq_terminated(m, req, s);
		s->terms++;
		break;
	case NFT_SREQ_CONSUMED:
	case NFT_SREQ_ABANDONED:
	case NFT_SREQ_DISCARD:
	case NFT_SREQ_CANCEL:
	case NFT_SREQ_SUPERFLUOUS:
		if (s->state < NFT_SS_COLLECTED)
			s->state = NFT_SS_COLLECTED;
		break;
	case NFT_SREQ_FREE:
		sreq_free(m, req, s);
		break;
	default:
		break;
	}
}

/* ---- ref traces ---- */

static void record_ref(struct nft_model *m, const struct nft_event *ev,
		       enum nft_sym_class cls, struct nft_ledger *l,
		       const char *object, struct nft_request *req,
		       struct nft_subreq *s, bool uncertain)
{
	struct nft_ref_entry e = nft_ref_entry_of(ev, cls);
	const struct nft_detector *d;
	enum nft_ledger_verdict v;
	uint32_t bad = 0;

	if (!(ev->have & NFT_HAVE_REF))
		return;
	v = nft_ledger_add(l, &e, &bad);
	for_each_detector(d)
		if (d->ref)
			d->ref(m, object, l, v, bad, uncertain, req, s);
}

/*
 * Events on a request whose count reached zero that are not a use of it:
 * its FREE, and a SEE trace (7.x's collection worker "sees" the request
 * right after its final put; the memory goes only at FREE).
 */
static bool allowed_after_zero(const struct nft_event *ev)
{
	if (ev->kind == NFT_EV_NETFS_RREQ)
		return ev->what == NFT_RREQ_FREE;
	/*
	 * A late line of the request or of a subrequest (a subrequest's refs
	 * all went before the PUT SUBREQ that let the request reach 0).
	 */
	if (late_put_trace(ev))
		return true;
	if (ev->kind == NFT_EV_NETFS_RREQ_REF)
		return nft_ref_op(NFT_SYMC_RREQ_REF, ev->what) == NFT_REF_SEE;
	return ev->kind == NFT_EV_NETFS_FOLIOQ;
}

/*
 * Is IN_PROGRESS set in request flags @f for the generation in force?  The
 * flag tables are gen.c's; this is the one place the model asks.
 */
static bool rreq_in_progress(const struct nft_model *m, uint32_t f)
{
	/* asked per netfs_rreq line, of a few flag words: a pure function */
	static _Thread_local struct {
		bool valid, r;
		enum nft_gen gen;
		uint32_t f;
	} memos[16];
	enum nft_gen gen = nft_model_gen(m);
	typeof(&memos[0]) memo = &memos[(f ^ f >> 4 ^ f >> 8 ^ f >> 12) % 16];
	char buf[256];
	const char *p;
	bool r = false;

	if (memo->valid && memo->gen == gen && memo->f == f)
		return memo->r;
	nft_rreq_flags_str(gen, f, buf, sizeof(buf));
	for (p = buf; (p = strstr(p, "IN_PROGRESS")); p += 11)
		if ((p == buf || p[-1] == '|') && (!p[11] || p[11] == '|')) {
			r = true;
			break;
		}
	memo->valid = true;
	memo->gen = gen;
	memo->f = f;
	memo->r = r;
	return r;
}

/*
 * IN_PROGRESS cleared: from here on the collector does not run for @req
 * (6.14+ netfs_read_collection_worker() and the write side test the flag
 * first), so a subrequest not yet terminated now is never collected
 * -- the NETFS_RREQ_ALL_QUEUED race, commit 5de0219a9bb9: the collector ran
 * before the last subrequest was queued and completed the request.  Every
 * generation terminates all subrequests before it clears the flag.
 */
static void in_progress_cleared(struct nft_model *m, struct nft_request *req,
				const struct nft_event *ev)
{
	uint32_t i;

	if (req->ip_cleared)
		return;
	req->ip_cleared = true;
	req->ip_clear_what = ev->what;
	req->t_ip_clear = m->now;
	req->pos_ip_clear = m->pos;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		struct nft_subreq *s = req->sreqs[i];

		if (s && s->state < NFT_SS_TERMINATED)
			s->orphan = true;
	}
}

static void rreq_line(struct nft_model *m, struct nft_request *req,
		      const struct nft_event *ev)
{
	bool ip = (ev->have & NFT_HAVE_FLAGS) &&
		  rreq_in_progress(m, ev->flags);

	req->ip_seen |= ip;
	switch (ev->what) {
	case NFT_RREQ_COMPLETE:
	case NFT_RREQ_DONE:
	case NFT_RREQ_WAKE_IP:
		in_progress_cleared(m, req, ev);
		break;
	default:
		if (req->ip_seen && !ip && (ev->have & NFT_HAVE_FLAGS) &&
		    ev->what != NFT_RREQ_FREE)
			in_progress_cleared(m, req, ev);
		break;
	}
}

static void request_event(struct nft_model *m, const struct nft_event *ev)
{
	char object[NFT_OBJECT_LEN];
	struct nft_subreq *s = NULL;
	struct nft_request *req;
	struct nft_req_node *n;
	const struct nft_detector *d;

	/* A folioq outlives its request: never a use of a dead one. */
	if (ev->kind == NFT_EV_NETFS_FOLIOQ) {
		n = nft_idmap_get(&m->reqs, ev->rreq);
		if (n)
			touch_request(m, n);
		goto no_request;
	}
	n = lookup_request(m, ev, object);
	if (!n)
		goto no_request;
	req = &n->req;
	if (req->refs.known && req->refs.count == 0 && !allowed_after_zero(ev) &&
	    !is_birth(ev) && !req->reported_uaf) {
		struct nft_dead zero = { .pos_free = req->pos_last,
					 .ts_free = req->t_last };

		req->reported_uaf = true;
		nft_req_object(req, NULL, object);
		dead_event(m, ev, &zero, object);
	}
	touch_request(m, n);
	if ((ev->have & NFT_HAVE_INDEX) && ev->kind != NFT_EV_NETFS_DONATE) {
		s = lookup_subreq(m, req, ev->index);
		if (s) {
			if (!s->reported_uaf && !late_put_trace(ev) &&
			    (s->state == NFT_SS_FREED ||
			     (s->refs.known && s->refs.count == 0 &&
			      !(ev->kind == NFT_EV_NETFS_SREQ &&
				ev->what == NFT_SREQ_FREE)))) {
				struct nft_dead zero = {
					.pos_free = s->pos_free ? s->pos_free :
								  s->pos_last,
					.ts_free = s->t_free ? s->t_free :
							       s->t_last,
				};

				s->reported_uaf = true;
				nft_req_object(req, s, object);
				dead_event(m, ev, &zero, object);
			}
			s->t_last = m->now;
			s->pos_last = m->pos;
			if (ev->kind == NFT_EV_NETFS_COLLECT_SREQ &&
			    (ev->have & NFT_HAVE_STREAM))
				s->stream = (int8_t)ev->stream;
		}
	}

	switch (ev->kind) {
	case NFT_EV_NETFS_READ:
	case NFT_EV_NETFS_WRITE:
		req->is_write = ev->kind == NFT_EV_NETFS_WRITE;
		req->op = ev->what;
		if (ev->have & NFT_HAVE_COOKIE) {
			if (!req->cookie_seen)
				m->sum.reqs_cookie_said++;
			if (ev->cookie && !req->cookie)
				m->sum.reqs_cookie++;
			req->cookie = ev->cookie;
			req->cookie_seen = true;
			req->object = nft_model_fs_cookie_object(m, ev->cookie);
		}
		req->ino = ev->ino;
		req->start = ev->start;
		req->len = ev->len;
		req->i_size = ev->i_size;
		req->range_known = (ev->have & NFT_HAVE_LEN) &&
				   ev->len != UINT64_MAX;
		if (ev->kind == NFT_EV_NETFS_READ)
			m->sum.read_ops[ev->what < NFT_RD__NR ? ev->what : 0]++;
		else
			m->sum.write_ops[ev->what < NFT_WR__NR ? ev->what : 0]++;
		break;
	case NFT_EV_NETFS_RREQ:
		if (ev->origin)
			req->origin = ev->origin;
		req->flags = ev->flags;
		rreq_line(m, req, ev);
		switch (ev->what) {
		/*
		 * The work is over when IN_PROGRESS clears (WAKE-IP; 6.1 has
		 * only DONE).  WR-DONE comes before the write collector's last
		 * steps, which can still fail to happen.
		 */
		case NFT_RREQ_DONE:
		case NFT_RREQ_WAKE_IP:
			if (req->state == NFT_REQ_ACTIVE) {
				req->state = NFT_REQ_COMPLETED;
				req->t_done = m->now;
				req->pos_done = m->pos;
			}
			break;
		case NFT_RREQ_WAIT_IP:
			req->waiting = true;
			req->t_wait = m->now;
			req->pos_wait = m->pos;
			break;
		case NFT_RREQ_WAITED_IP:
			req->waiting = false;
			break;
		case NFT_RREQ_FREE:
			req->state = NFT_REQ_FREED;
			req->t_free = m->now;
			req->pos_free = m->pos;
			break;
		default:
			break;
		}
		break;
	case NFT_EV_NETFS_RREQ_REF:
		/* 6.12 has no DONE-IP: a woken waiter shows by dropping its ref. */
		if (ev->what == NFT_RREF_PUT_RETURN ||
		    ev->what == NFT_RREF_PUT_COMPLETE)
			req->waiting = false;
		record_ref(m, ev, NFT_SYMC_RREQ_REF, &req->refs, NULL, req,
			   NULL, req->uncertain);
		break;
	case NFT_EV_NETFS_SREQ:
		if (s)
			apply_sreq_line(m, ev, req, s);
		break;
	case NFT_EV_NETFS_SREQ_REF:
		if (!s)
			break;
		/* who has let go: the terminator, the collector */
		if (ev->what == NFT_SREF_PUT_TERMINATED)
			s->term_puts++;
		else if (ev->what == NFT_SREF_PUT_DONE ||
			 ev->what == NFT_SREF_PUT_CONSUMED ||
			 ev->what == NFT_SREF_PUT_CLEAR) {
			s->pos_collect_put = m->pos;
			s->t_collect_put = m->now;
		}
		record_ref(m, ev, NFT_SYMC_SREQ_REF, &s->refs, NULL, req, s,
			   req->uncertain);
		break;
	case NFT_EV_NETFS_FAILURE:
		req->failures++;
		m->sum.failures++;
		break;
	case NFT_EV_NETFS_COLLECT_STATE:
		if (ev->collected_to > req->collected_to)
			req->collected_to = ev->collected_to;
		break;
	default:
		break;
	}

	for_each_detector(d)
		if (d->event)
			d->event(m, ev, req, s);
	if (m->opts.hooks.event)
		m->opts.hooks.event(m->opts.hooks.ctx, ev, req, s);

	if (req->state == NFT_REQ_FREED)
		release_request(m, n, false);
	return;
no_request:
	/* a folioq line, or a line of a request already gone */
	if (m->opts.hooks.event)
		m->opts.hooks.event(m->opts.hooks.ctx, ev, NULL, NULL);
}

/* ---- the stuck/leak clock ---- */

static void quiet_checks(struct nft_model *m, struct nft_request *req,
			 bool at_end)
{
	const struct nft_detector *d;

	for_each_detector(d)
		if (d->quiet)
			d->quiet(m, req, at_end);
}

static void check_quiet(struct nft_model *m, bool at_end)
{
	struct nft_req_node *n, *next;

	for (n = m->lru_head; n; n = next) {
		next = n->next;
		if (m->now - n->req.t_last < m->opts.stuck_after_ns)
			break;
		if (n->req.reported_stuck || n->req.reported_leak)
			continue;
		quiet_checks(m, &n->req, at_end);
	}
}

/* ---- eviction: the object bound ---- */

/*
 * Evict request @n: the verdicts its life so far allows are given first
 * -- the stuck/leak clock if it is due, and the checks of its release,
 * where a ledger no order explains yet is parked for a late line as for a
 * freed request -- all marked uncertain from here on, since the lines we
 * will not see could change them.  Its id is tombstoned as evicted, so
 * its later lines are counted (summary.evicted_lines), not taken for a
 * use-after-free or a new object.
 */
static void evict_request(struct nft_model *m, struct nft_req_node *n)
{
	struct nft_request *req = &n->req;

	if (m->opts.stuck_after_ns && m->now - req->t_last >= m->opts.stuck_after_ns &&
	    !req->reported_stuck && !req->reported_leak)
		quiet_checks(m, req, false);
	req->uncertain = true;
	req->evicted = true;
	m->sum.evicted_requests++;
	if (req->state == NFT_REQ_ACTIVE)
		m->sum.evicted_open++;
	m->sum.evicted_subreqs += req->nr_sreqs;
	nft_model_note(m, NFT_NOTE_EVICTED);
	release_request(m, n, false);
}

/* The least recently active request that may go (not the focused one). */
static struct nft_req_node *lru_victim(struct nft_model *m)
{
	struct nft_req_node *n;

	for (n = m->lru_head; n && n->focus; n = n->next)
		;
	return n;
}

/*
 * Keep the live objects within the bound: evict the least recently active
 * request, or an fscache object (a freed one first) when it was active
 * even less recently.  Runs between events, so no pointer into the model
 * is held.
 */
static void enforce_bound(struct nft_model *m)
{
	while (m->n_live > m->opts.max_objects) {
		struct nft_req_node *n = lru_victim(m);

		if (nft_model_fs_evict_one(m, n ? n->req.pos_last : UINT64_MAX))
			continue;
		if (!n)
			break;
		evict_request(m, n);
	}
}

static void note_unknowns(struct nft_model *m, const struct nft_event *ev)
{
	unsigned int i;
	size_t j;

	for (i = 0; i < ev->n_unknown && i < NFT_MAX_UNKNOWN; i++) {
		const struct nft_unknown_sym *u = &ev->unknown[i];
		size_t len = u->len < 47 ? u->len : 47;
		struct nft_unknown *k;

		for (j = 0; j < m->n_unknowns; j++) {
			k = &m->unknowns[j];
			if (k->cls == u->cls && !strncmp(k->text, u->text, len) &&
			    !k->text[len])
				break;
		}
		if (j < m->n_unknowns) {
			m->unknowns[j].count++;
			continue;
		}
		/*
		 * A stream of garbage symbols: keep the first ones (this
		 * search is linear), count the rest as distinct, said once.
		 */
		if (m->n_unknowns >= NFT_UNKNOWN_MAX) {
			m->sum.unknown_symbols++;
			continue;
		}
		if (nft_grow(&m->unknowns, &m->cap_unknowns,
			     m->n_unknowns + 1, sizeof(*k)))
			continue;
		k = &m->unknowns[m->n_unknowns++];
		memset(k, 0, sizeof(*k));
		k->cls = u->cls;
		memcpy(k->text, u->text, len);
		k->count = 1;
		k->first_pos = ev->pos;
		m->sum.unknown_symbols++;
		if (m->opts.hooks.unknown)
			m->opts.hooks.unknown(m->opts.hooks.ctx, k);
	}
}

static void lost_events(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_req_node *n;

	m->sum.lost_markers++;
	m->sum.lost_events += ev->lost;
	m->lost_seen = true;
	m->lost_to_end |= !!(ev->flags & NFT_LOST_TO_END);
	m->lost_pos = ev->pos;
	if (ev->end > m->lost_until)
		m->lost_until = ev->end;
	for (n = m->lru_head; n; n = n->next)
		n->req.uncertain = true;
	nft_model_fs_mark_uncertain(m);
}

int nft_model_event(void *model, const struct nft_event *ev)
{
	struct nft_model *m = model;
	const struct nft_detector *d;
	bool tick_due;

	m->pos = ev->pos;
	if ((ev->have & NFT_HAVE_TS) && ev->ts_ns > m->now)
		m->now = ev->ts_ns;
	tick_due = m->now >= m->next_tick;
	/* before the event: what waited for it may have waited too long */
	if (tick_due)
		for_each_detector(d)
			if (d->tick)
				d->tick(m, false);
	if (ev->have & NFT_HAVE_TS) {
		if (!m->sum.ts_first)
			m->sum.ts_first = ev->ts_ns;
		m->sum.ts_last = m->now;
	}
	if (m->fst)
		nft_focus_event(m, ev);
	if (ev->n_unknown)
		note_unknowns(m, ev);

	switch (ev->kind) {
	case NFT_EV_LOST:
		lost_events(m, ev);
		if (m->opts.hooks.event)
			m->opts.hooks.event(m->opts.hooks.ctx, ev, NULL, NULL);
		return 0;
	case NFT_EV_OTHER:
	case NFT_EV_NONE:
		m->sum.other_events++;
		if (m->opts.hooks.event)
			m->opts.hooks.event(m->opts.hooks.ctx, ev, NULL, NULL);
		return 0;
	default:
		break;
	}
	m->sum.events++;
	if (!m->gen_forced)
		nft_model_guess_gen(m, ev);
	if (ev->kind == NFT_EV_NETFS_WRITE_ITER)
		m->sum.write_iters++;
	if (ev->have & NFT_HAVE_RREQ) {
		request_event(m, ev);
	} else {
		nft_model_fs_event(m, ev);
		for_each_detector(d)
			if (d->event)
				d->event(m, ev, NULL, NULL);
		if (m->opts.hooks.event)
			m->opts.hooks.event(m->opts.hooks.ctx, ev, NULL, NULL);
	}
	if (tick_due) {
		check_quiet(m, false);
		m->next_tick = m->now + TICK_NS;
	}
	if (m->n_live > m->opts.max_objects)
		enforce_bound(m);
	return 0;
}

void nft_model_finish(struct nft_model *m)
{
	const struct nft_detector *d;

	if (m->finished)
		return;
	m->finished = true;
	check_quiet(m, true);
	while (m->lru_head)
		release_request(m, m->lru_head, true);
	nft_model_fs_finish(m);
	for_each_detector(d)
		if (d->tick)
			d->tick(m, true);
	m->sum.live_objects = m->n_live;
	/*
	 * netfs_read/netfs_write print the cookie of the inode's cache
	 * (netfs_i_cookie(), include/trace/events/netfs.h): 0 on every one
	 * means fscache never engaged -- the question of a thread where the
	 * fscache/cachefiles events, enabled, emitted nothing (peers.md 2).
	 */
	if (m->sum.reqs_cookie_said && !m->sum.reqs_cookie)
		nft_model_note(m, NFT_NOTE_NO_COOKIE);
	/*
	 * The other half of "is the cache used at all" (peers.md 2): cache
	 * files found, each judged stale by cachefiles_check_coherency(), and
	 * no byte read from the cache.  Two checks at least: one BAD after a
	 * write is the normal verdict.
	 */
	if (m->sum.coherency_checks >= 2 &&
	    m->sum.coherency_bad == m->sum.coherency_checks &&
	    !m->sum.bytes_cache_read)
		nft_model_note(m, NFT_NOTE_COHERENCY_BAD);
	for_each_detector(d)
		if (d->finish)
			d->finish(m);
}

/* ---- accessors ---- */

const struct nft_summary *nft_model_summary(const struct nft_model *m)
{
	return &m->sum;
}

struct nft_summary *nft_model_summary_mut(struct nft_model *m)
{
	return &m->sum;
}

const struct nft_finding *nft_model_findings(const struct nft_model *m,
					     size_t *n)
{
	*n = m->n_findings;
	return m->findings;
}

const struct nft_in_flight *nft_model_in_flight(const struct nft_model *m,
						size_t *n)
{
	*n = m->n_in_flight;
	return m->in_flight;
}

const struct nft_unknown *nft_model_unknowns(const struct nft_model *m,
					     size_t *n)
{
	*n = m->n_unknowns;
	return m->unknowns;
}

int nft_model_for_each_request(const struct nft_model *m,
			       int (*fn)(void *ctx,
					 const struct nft_request *req),
			       void *ctx)
{
	const struct nft_req_node *n;
	int r;

	for (n = m->lru_head; n; n = n->next) {
		r = fn(ctx, &n->req);
		if (r)
			return r;
	}
	return 0;
}

const struct nft_request *nft_model_request(const struct nft_model *m,
					    uint32_t id)
{
	const struct nft_req_node *n = nft_idmap_get(&m->reqs, id);

	return n ? &n->req : NULL;
}
