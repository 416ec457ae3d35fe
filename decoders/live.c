// SPDX-License-Identifier: GPL-2.0
/*
 * Live decoder: netfs/fscache/cachefiles events of the running kernel.
 *
 * We never touch the global buffer or anybody else's instance: everything
 * happens in instances/netfs-top-<pid>, which is removed on every exit path
 * (nft_live_close(), or nft_live_emergency_cleanup() from a fatal signal),
 * and a leftover of a dead netfs-top is removed at the next start.  The
 * per-CPU buffers are read as raw sub-buffer pages (trace_pipe_raw) and cut
 * into records here (as kbuffer would); records become events in tep_event.c, the
 * same code that decodes trace.dat files.  No text is parsed on this path.
 *
 * NETFS_TOP_TRACEFS points at another tree.  When that tree is no tracefs
 * (a plain directory made by a test, with events/ copied from a kernel),
 * the instance is a plain directory whose control files we create
 * ourselves, and there are no buffers to read: enough to test instance
 * management, refusals and signal handling without a netfs kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <event-parse.h>
#include <tracefs.h>
#include <trace-cmd.h>

#include "live.h"
#include "rb_page.h"
#include "tep_event.h"

#define TRACEFS_MAGIC 0x74726163
#define INSTANCE_PREFIX "netfs-top-"
#define MAX_CPUS 1024
/* Pages read per CPU per nft_live_read(): bounds the time of one tick. */
#define MAX_PAGES_PER_READ 1024
/*
 * A record still being written when its CPU was read can be stamped before
 * the read began; how long before, at most, with some margin (a vCPU can be
 * descheduled between reserve and commit).  After each read that
 * still let records come late, the slack doubles, up to MAX_SLACK_NS.
 */
#define COMMIT_SLACK_NS 50000000ULL
#define MAX_SLACK_NS 1000000000ULL

static const char *const systems[] = { "netfs", "fscache", "cachefiles", NULL };

/* ---- pages -> events ---- */

/*
 * The kernel's sub-buffer page (kernel/trace/ring_buffer.c, struct
 * buffer_data_page): u64 time_stamp, local_t commit, data[].  commit's low
 * 27 bits are the bytes of data; bit 31 RB_MISSED_EVENTS says events were
 * dropped before this page, bit 30 RB_MISSED_STORED that their count (a
 * long) follows the data.  Each event starts with a u32 of type_len (5
 * bits) and time_delta (27 bits): type_len 0: a u32 length, then the data;
 * 1..28: type_len * 4 bytes of data; 29 padding (a u32 length); 30 time
 * extend and 31 absolute time stamp (a u32 of the upper bits).
 *
 * The records are cut out here rather than by kbuffer: a call per record
 * (and its function pointers per word) was a tenth of the live path, and
 * kbuffer trusts every length it reads.  The walk below follows kbuffer's
 * arithmetic (libtraceevent src/kbuffer-parse.c: translate_data()), so a
 * record has the timestamp trace-cmd gives it, and checks each length
 * against the page's commit before it reads past it.
 */

struct cpu_queue {
	char *pages;
	size_t n, cap;		/* pages queued / room */
	size_t cur;		/* pages loaded so far */
	/* the page being read and its current record, data NULL when drained */
	struct nft_rb_cursor rb;
	long long lost;		/* pending marker: >0 count, -1 unknown */
	uint64_t lost_until;	/* ... of events older than this */
	bool lost_pending;
	bool resume;		/* pages[0] was held back: go on at resume_at */
	uint32_t resume_at;
	uint64_t resume_ts;
};

struct nft_pages {
	struct tep_handle *tep;
	struct nft_tep_decoder *dec;
	size_t subbuf;
	unsigned int hdr;	/* 8 + sizeof(long) of the traced kernel */
	bool long4;		/* its long is 4 bytes */
	bool swap;		/* its byte order is not ours */
	bool big;		/* it is big-endian (bit fields of an event) */
	int ncpus;
	struct cpu_queue *q;
	int *active;		/* cpus with a record, during a flush */
	uint64_t limit;		/* flush emits records up to this timestamp */
	uint64_t emitted_ts;	/* the newest record delivered */
	uint64_t ordinal;
	struct nft_pages_stats st;
};

struct nft_pages *nft_pages_new(struct tep_handle *tep, int ncpus,
				size_t subbuf_size)
{
	struct nft_pages *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->tep = tep;
	p->subbuf = subbuf_size;
	p->limit = UINT64_MAX;
	p->ncpus = ncpus > 0 ? ncpus : 1;
	p->long4 = tep_get_long_size(tep) == 4;
	p->hdr = p->long4 ? 12 : 16;
	p->big = tep_is_file_bigendian(tep);
	p->swap = p->big != !!tep_is_local_bigendian(tep);
	p->q = calloc(p->ncpus, sizeof(*p->q));
	p->active = calloc(p->ncpus, sizeof(*p->active));
	p->dec = nft_tep_decoder_new(tep);
	if (!p->q || !p->active || !p->dec || subbuf_size <= p->hdr ||
	    subbuf_size > COMMIT_MASK)
		goto fail;
	return p;
fail:
	nft_pages_free(p);
	errno = ENOMEM;
	return NULL;
}

void nft_pages_free(struct nft_pages *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; p->q && i < p->ncpus; i++)
		free(p->q[i].pages);
	free(p->q);
	free(p->active);
	nft_tep_decoder_free(p->dec);
	free(p);
}

const struct nft_pages_stats *nft_pages_stats(const struct nft_pages *p)
{
	return &p->st;
}

void nft_pages_set_limit(struct nft_pages *p, uint64_t ts)
{
	p->limit = ts;
}

void *nft_pages_slot(struct nft_pages *p, int cpu)
{
	struct cpu_queue *q;

	if (cpu < 0 || cpu >= p->ncpus) {
		errno = EINVAL;
		return NULL;
	}
	q = &p->q[cpu];
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		char *np = realloc(q->pages, cap * p->subbuf);

		if (!np)
			return NULL;
		q->pages = np;
		q->cap = cap;
	}
	return q->pages + q->n * p->subbuf;
}

void nft_pages_commit(struct nft_pages *p, int cpu)
{
	p->q[cpu].n++;
	p->st.pages++;
}

int nft_pages_add(struct nft_pages *p, int cpu, const void *page)
{
	void *slot = nft_pages_slot(p, cpu);

	if (!slot)
		return -1;
	memcpy(slot, page, p->subbuf);
	nft_pages_commit(p, cpu);
	return 0;
}

static inline uint32_t rd4(const struct nft_pages *p, const void *at)
{
	uint32_t v;

	memcpy(&v, at, 4);
	return p->swap ? __builtin_bswap32(v) : v;
}

static inline uint64_t rd8(const struct nft_pages *p, const void *at)
{
	uint64_t v;

	memcpy(&v, at, 8);
	return p->swap ? __builtin_bswap64(v) : v;
}

static inline uint64_t rdlong(const struct nft_pages *p, const void *at)
{
	return p->long4 ? rd4(p, at) : rd8(p, at);
}

/* Drops said by pages without a record add up; -1 (count not stored) wins. */
static long long add_missed(long long pending, long long page)
{
	if (pending < 0 || page < 0)
		return -1;
	return pending + page;
}

/*
 * Step @q to its page's next record: true with q->rb.data, q->rb.len, q->rb.ts set;
 * false at the end of the page.  An event that runs past the commit ends
 * the page (counted: a torn page, not a record we could read).
 */
static inline bool next_record(struct nft_pages *p, struct cpu_queue *q)
{
	int r = nft_rb_next(&q->rb, p->big, p->swap);

	if (r < 0)
		p->st.bad_records++;
	return r > 0;
}

/* Start reading @page: its header, and what it says was dropped before it. */
static void load_page(struct nft_pages *p, struct cpu_queue *q,
		      const unsigned char *page, bool count_missed)
{
	uint64_t word = rdlong(p, page + 8);
	uint32_t room = p->subbuf - p->hdr, size = word & COMMIT_MASK;

	q->rb.ts = rd8(p, page);
	if (count_missed)
		q->lost_until = q->rb.ts;
	q->rb.pg = page + p->hdr;
	q->rb.next = 0;
	q->rb.data = NULL;
	if (size > room ||
	    (word & ~(COMMIT_MASK | RB_MISSED_EVENTS | RB_MISSED_STORED))) {
		/* not a page the kernel wrote: its records are lost */
		p->st.bad_pages++;
		size = 0;
		if (count_missed) {
			q->lost = add_missed(q->lost_pending ? q->lost : 0, -1);
			q->lost_pending = true;
		}
	} else if (count_missed && (word & RB_MISSED_EVENTS)) {
		long long missed = -1;

		if ((word & RB_MISSED_STORED) &&
		    size + (p->long4 ? 4u : 8u) <= room)
			missed = (long long)rdlong(p, q->rb.pg + size);
		q->lost = add_missed(q->lost_pending ? q->lost : 0,
				     missed > 0 ? missed : -1);
		q->lost_pending = true;
	}
	q->rb.size = size;
}

/* Position @q on the first record of its next page that has one. */
static void load_next(struct nft_pages *p, struct cpu_queue *q)
{
	q->rb.data = NULL;
	while (q->cur < q->n) {
		load_page(p, q, (const unsigned char *)q->pages +
				q->cur++ * p->subbuf, true);
		if (next_record(p, q))
			return;
	}
}

static int emit_lost(struct nft_pages *p, int cpu, struct cpu_queue *q,
		     struct nft_sink *sink)
{
	struct nft_event ev;

	q->lost_pending = false;
	nft_event_init(&ev);
	ev.kind = NFT_EV_LOST;
	ev.cpu = cpu;
	ev.have = NFT_HAVE_CPU;
	ev.lost = q->lost > 0 ? (uint64_t)q->lost : 0;
	/* dropped before the page that said so: older than its start */
	ev.end = q->lost_until;
	q->lost = 0;
	ev.pos = ++p->ordinal;
	p->st.lost_markers++;
	p->st.lost_events += ev.lost;
	return sink->event(sink->ctx, &ev);
}

static inline int emit_record(struct nft_pages *p, int cpu,
			      struct cpu_queue *q, struct nft_sink *sink)
{
	struct tep_record rec;
	struct nft_event ev;
	int r;

	rec.ts = q->rb.ts;
	rec.cpu = cpu;
	rec.data = (void *)q->rb.data;
	rec.size = q->rb.len;
	p->st.records++;
	if (rec.ts < p->emitted_ts)
		p->st.late_records++;
	else
		p->emitted_ts = rec.ts;
	r = nft_tep_decode(p->dec, &rec, cpu, &ev);
	if (r == NFT_TEP_UNKNOWN || r == NFT_TEP_SHORT)
		p->st.bad_records++;
	if (r == NFT_TEP_UNKNOWN)
		return 0;
	if (r != NFT_TEP_OTHER)
		p->st.events++;
	ev.pos = ++p->ordinal;
	return sink->event(sink->ctx, &ev);
}

/* Go on with a page held back by the last flush, where it stopped. */
static void resume_held(struct nft_pages *p, struct cpu_queue *q)
{
	q->resume = false;
	load_page(p, q, (const unsigned char *)q->pages, false);
	q->cur = 1;
	q->rb.next = q->resume_at;
	q->rb.ts = q->resume_ts;
	/* the held record again: its delta is already in resume_ts */
	if (next_record(p, q)) {
		q->rb.ts = q->resume_ts;
		return;
	}
	load_next(p, q);
}

/* Does @a come before @b: the older record, the lower cpu on a tie. */
static inline bool before(const struct cpu_queue *a, int acpu,
			  const struct cpu_queue *b, int bcpu)
{
	return a->rb.ts < b->rb.ts || (a->rb.ts == b->rb.ts && acpu < bcpu);
}

/*
 * Records later than p->limit stay queued for the next flush: a live read
 * drains the CPUs one after the other, so a CPU read last can hold records
 * newer than ones another CPU writes meanwhile, which only the next read
 * gets (nft_live_read() sets the limit).  Merging those early would deliver
 * a request's events out of order.
 *
 * The merge: smallest timestamp first, the lower cpu on a tie.  The cpu
 * picked keeps going while its records stay ahead of the best of the
 * others, so the scan of the cpus is paid once per run of records, not
 * once per record (records come in runs per cpu).
 */
int nft_pages_flush(struct nft_pages *p, struct nft_sink *sink)
{
	int i, nact = 0, ret = 0;

	for (i = 0; i < p->ncpus; i++) {
		struct cpu_queue *q = &p->q[i];

		q->cur = 0;
		q->rb.data = NULL;
		if (!q->n)
			continue;
		if (q->resume)
			resume_held(p, q);
		else
			load_next(p, q);
		if (q->rb.data)
			p->active[nact++] = i;
	}
	/*
	 * A loss is told as early as it is known: the dropped records were
	 * older than the page that says so, so the marker goes before every
	 * record of this flush, and (below) right after the last record
	 * before the loss when the page comes in the same flush -- before
	 * the records of other cpus that ran while the lost ones were
	 * written, whose requests the model must already hold uncertain.
	 */
	for (i = 0; !ret && i < p->ncpus; i++)
		if (p->q[i].lost_pending)
			ret = emit_lost(p, i, &p->q[i], sink);
	while (nact && !ret) {
		struct cpu_queue *best, *second = NULL;
		int bi = 0, bcpu, scpu = -1;

		for (i = 1; i < nact; i++)
			if (before(&p->q[p->active[i]], p->active[i],
				   &p->q[p->active[bi]], p->active[bi]))
				bi = i;
		bcpu = p->active[bi];
		best = &p->q[bcpu];
		for (i = 0; i < nact; i++) {
			int c = p->active[i];

			if (i != bi && (!second || before(&p->q[c], c, second, scpu))) {
				second = &p->q[c];
				scpu = c;
			}
		}
		/* the run of @best: up to the limit and the next cpu's turn */
		for (;;) {
			if (best->rb.ts > p->limit)
				goto out;
			ret = emit_record(p, bcpu, best, sink);
			if (ret)
				goto out;
			if (!next_record(p, best)) {
				load_next(p, best);
				if (best->lost_pending)
					ret = emit_lost(p, bcpu, best, sink);
				if (ret)
					goto out;
			}
			if (!best->rb.data) {
				p->active[bi] = p->active[--nact];
				break;
			}
			if (second && !before(best, bcpu, second, scpu))
				break;
		}
	}
out:
	for (i = 0; i < p->ncpus; i++) {
		struct cpu_queue *q = &p->q[i];

		q->resume = false;
		if (!ret && q->rb.data && q->cur) {
			/* hold back the current page and the ones after it */
			size_t keep = q->n - (q->cur - 1);

			q->resume_at = q->rb.at;
			q->resume_ts = q->rb.ts;
			memmove(q->pages, q->pages + (q->cur - 1) * p->subbuf,
				keep * p->subbuf);
			q->n = keep;
			q->resume = true;
		} else {
			q->n = 0;
		}
		q->cur = 0;
		q->rb.data = NULL;
	}
	return ret;
}

/* ---- writing pages (tests, benchmark) ---- */

#define PAGE_HDR 16		/* u64 timestamp, long commit (8-byte longs) */
#define MAX_SMALL 112		/* 28 * 4: larger records carry a length word */

void nft_page_init(void *page, size_t subbuf_size, uint64_t ts)
{
	memset(page, 0, subbuf_size);
	memcpy(page, &ts, 8);
}

int nft_page_append(void *page, size_t subbuf_size, uint64_t *last_ts,
		    uint64_t ts, const void *data, uint32_t size)
{
	uint64_t commit, delta;
	uint32_t padded = (size + 3) & ~3u, hdr, need;
	char *p = page;

	memcpy(&commit, p + 8, 8);
	if (!commit)
		*last_ts = ts, memcpy(p, &ts, 8);
	delta = ts >= *last_ts ? ts - *last_ts : 0;
	need = 4 + padded + (padded > MAX_SMALL ? 4 : 0) +
	       (delta >> 27 ? 8 : 0);
	if (PAGE_HDR + commit + need > subbuf_size)
		return -1;
	p += PAGE_HDR + commit;
	if (delta >> 27) {
		hdr = TYPE_TIME_EXTEND | (uint32_t)(delta & ((1u << 27) - 1)) << 5;
		memcpy(p, &hdr, 4);
		hdr = (uint32_t)(delta >> 27);
		memcpy(p + 4, &hdr, 4);
		p += 8;
		delta = 0;
	}
	if (padded > MAX_SMALL) {
		hdr = (uint32_t)delta << 5;
		memcpy(p, &hdr, 4);
		hdr = padded + 4;
		memcpy(p + 4, &hdr, 4);
		p += 8;
	} else {
		hdr = padded / 4 | (uint32_t)delta << 5;
		memcpy(p, &hdr, 4);
		p += 4;
	}
	memcpy(p, data, size);
	commit += need;
	memcpy((char *)page + 8, &commit, 8);
	*last_ts = ts;
	return 0;
}

/* ---- trace.dat -> pages ---- */

struct dat_cut {
	struct nft_dat_pages *dp;
	char **cur;		/* page being filled per cpu, NULL = none */
	uint64_t *last_ts;
	int err;
};

static int cut_page(struct dat_cut *c, int cpu)
{
	struct nft_dat_pages *dp = c->dp;
	char *np = realloc(dp->pages, (dp->n + 1) * dp->subbuf);
	int *nc;

	if (!np)
		return -1;
	dp->pages = np;
	nc = realloc(dp->cpu, (dp->n + 1) * sizeof(*dp->cpu));
	if (!nc)
		return -1;
	dp->cpu = nc;
	dp->cpu[dp->n] = cpu;
	dp->n++;
	/* Pages move on realloc: remember offsets, not pointers. */
	c->cur[cpu] = (char *)(uintptr_t)dp->n;
	return 0;
}

static char *page_at(struct dat_cut *c, int cpu)
{
	uintptr_t i = (uintptr_t)c->cur[cpu];

	return i ? c->dp->pages + (i - 1) * c->dp->subbuf : NULL;
}

static int cut_record(struct tracecmd_input *h, struct tep_record *rec,
		      int cpu, void *data)
{
	struct dat_cut *c = data;
	char *page;

	(void)h;
	if (cpu < 0 || cpu >= c->dp->ncpus)
		return 0;
	page = page_at(c, cpu);
	if (!page || nft_page_append(page, c->dp->subbuf, &c->last_ts[cpu],
				     rec->ts, rec->data, rec->size)) {
		if (cut_page(c, cpu)) {
			c->err = errno;
			return 1;
		}
		page = page_at(c, cpu);
		nft_page_init(page, c->dp->subbuf, rec->ts);
		c->last_ts[cpu] = rec->ts;
		if (nft_page_append(page, c->dp->subbuf, &c->last_ts[cpu],
				    rec->ts, rec->data, rec->size))
			return 0;	/* larger than a page: cannot be */
	}
	c->dp->records++;
	return 0;
}

int nft_dat_pages_load(const char *path, struct nft_dat_pages *dp)
{
	struct tracecmd_input *h;
	struct dat_cut c = { 0 };

	memset(dp, 0, sizeof(*dp));
	tracecmd_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h)
		return -1;
	dp->handle = h;
	dp->tep = tracecmd_get_tep(h);
	dp->ncpus = tep_get_cpus(dp->tep);
	dp->subbuf = (size_t)getpagesize();
	c.dp = dp;
	c.cur = calloc(dp->ncpus ? dp->ncpus : 1, sizeof(*c.cur));
	c.last_ts = calloc(dp->ncpus ? dp->ncpus : 1, sizeof(*c.last_ts));
	if (!c.cur || !c.last_ts) {
		c.err = ENOMEM;
	} else {
		/* Pages are cut per CPU in each CPU's own order. */
		tracecmd_iterate_events(h, NULL, 0, cut_record, &c);
	}
	free(c.cur);
	free(c.last_ts);
	if (c.err) {
		nft_dat_pages_free(dp);
		errno = c.err;
		return -1;
	}
	return 0;
}

void nft_dat_pages_free(struct nft_dat_pages *dp)
{
	if (dp->handle)
		tracecmd_close(dp->handle);
	free(dp->pages);
	free(dp->cpu);
	memset(dp, 0, sizeof(*dp));
}

/* ---- a ring buffer stand-in (tests, benchmark, NETFS_TOP_FEED) ---- */

struct feed_ring {
	char *pages;		/* ring_pages pages */
	uint32_t *records;	/* per slot */
	size_t head, n;		/* oldest unread slot, pages unread */
	uint64_t lost;		/* events overwritten since the last read */
};

struct nft_feed {
	const struct nft_dat_pages *dp;
	size_t ring_pages, next;
	size_t *cpu_next;	/* per cpu: its next page not written yet */
	bool unstored;
	struct feed_ring *r;
	struct nft_feed_stats st;
};

/* Data records in a page nft_page_append() wrote (host order, 8-byte long). */
static uint32_t page_records(const char *page, size_t subbuf)
{
	uint64_t commit;
	uint32_t at = 0, n = 0;

	memcpy(&commit, page + 8, 8);
	commit &= COMMIT_MASK;
	if (commit > subbuf - PAGE_HDR)
		return 0;
	while (at + 4 <= commit) {
		uint32_t h, type, len = 0;

		memcpy(&h, page + PAGE_HDR + at, 4);
		type = h & 31;
		if (type == 0 || type == TYPE_PADDING || type >= TYPE_TIME_EXTEND) {
			if (at + 8 > commit)
				break;
			memcpy(&len, page + PAGE_HDR + at + 4, 4);
		}
		if (type == 0)
			at += 8 + ((len - 4 + 3) & ~3u);
		else if (type <= 28)
			at += 4 + type * 4;
		else if (type == TYPE_PADDING)
			at += 4 + len;
		else
			at += 8;
		if (type <= 28)
			n++;
	}
	return n;
}

struct nft_feed *nft_feed_new(const struct nft_dat_pages *dp,
			      size_t ring_pages)
{
	struct nft_feed *f = calloc(1, sizeof(*f));
	int i;

	if (!f)
		return NULL;
	f->dp = dp;
	f->ring_pages = ring_pages ? ring_pages : 1;
	f->r = calloc(dp->ncpus > 0 ? dp->ncpus : 1, sizeof(*f->r));
	f->cpu_next = calloc(dp->ncpus > 0 ? dp->ncpus : 1, sizeof(size_t));
	if (!f->r || !f->cpu_next)
		goto fail;
	for (i = 0; i < dp->ncpus; i++) {
		f->r[i].pages = malloc(f->ring_pages * dp->subbuf);
		f->r[i].records = calloc(f->ring_pages, sizeof(uint32_t));
		if (!f->r[i].pages || !f->r[i].records)
			goto fail;
	}
	return f;
fail:
	nft_feed_free(f);
	errno = ENOMEM;
	return NULL;
}

void nft_feed_free(struct nft_feed *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; f->r && i < f->dp->ncpus; i++) {
		free(f->r[i].pages);
		free(f->r[i].records);
	}
	free(f->r);
	free(f->cpu_next);
	free(f);
}

void nft_feed_set_unstored(struct nft_feed *f, bool unstored)
{
	f->unstored = unstored;
}

const struct nft_feed_stats *nft_feed_stats(const struct nft_feed *f)
{
	return &f->st;
}

size_t nft_feed_write(struct nft_feed *f, size_t n)
{
	const struct nft_dat_pages *dp = f->dp;
	size_t done = 0;

	for (; done < n && f->next < dp->n; done++, f->next++) {
		int cpu = dp->cpu[f->next];
		struct feed_ring *r;
		size_t slot;

		if (cpu < 0 || cpu >= dp->ncpus)
			continue;
		r = &f->r[cpu];
		if (r->n == f->ring_pages) {
			/* the writer laps the reader: the oldest page goes */
			r->lost += r->records[r->head];
			f->st.pages_overwritten++;
			f->st.records_overwritten += r->records[r->head];
			r->head = (r->head + 1) % f->ring_pages;
			r->n--;
		}
		slot = (r->head + r->n) % f->ring_pages;
		memcpy(r->pages + slot * dp->subbuf,
		       dp->pages + f->next * dp->subbuf, dp->subbuf);
		r->records[slot] = page_records(dp->pages + f->next * dp->subbuf,
						dp->subbuf);
		r->n++;
		f->st.pages_written++;
		f->st.records_written += r->records[slot];
	}
	return done;
}

/*
 * The timestamp up to which every cpu's records are written: the start of
 * the earliest page still to come (UINT64_MAX at the end).  The writer
 * hands over whole pages, so a cpu read now may hold records newer than
 * ones another cpu has in its page still being filled: they wait, as
 * nft_live_read() makes records newer than its read wait.
 */
uint64_t nft_feed_complete_to(struct nft_feed *f)
{
	const struct nft_dat_pages *dp = f->dp;
	uint64_t upto = UINT64_MAX, ts;
	int cpu;

	for (cpu = 0; cpu < dp->ncpus; cpu++) {
		size_t i = f->cpu_next[cpu] > f->next ? f->cpu_next[cpu] : f->next;
		const struct feed_ring *r = &f->r[cpu];

		while (i < dp->n && dp->cpu[i] != cpu)
			i++;
		f->cpu_next[cpu] = i;
		if (r->n) {
			/* written, not read yet */
			memcpy(&ts, r->pages + r->head * dp->subbuf, 8);
		} else if (i < dp->n) {
			memcpy(&ts, dp->pages + i * dp->subbuf, 8);
		} else {
			continue;
		}
		upto = ts < upto ? ts : upto;
	}
	return upto;
}

size_t nft_feed_read(struct nft_feed *f, struct nft_pages *pages, size_t max)
{
	const struct nft_dat_pages *dp = f->dp;
	size_t total = 0;
	int cpu;

	for (cpu = 0; cpu < dp->ncpus; cpu++) {
		struct feed_ring *r = &f->r[cpu];
		size_t k;

		for (k = 0; k < max && r->n; k++) {
			char *page = nft_pages_slot(pages, cpu);
			uint64_t commit;

			if (!page)
				return total;
			memcpy(page, r->pages + r->head * dp->subbuf, dp->subbuf);
			r->head = (r->head + 1) % f->ring_pages;
			r->n--;
			if (r->lost) {
				/* as ring_buffer_read_page() marks the page */
				memcpy(&commit, page + 8, 8);
				if (!f->unstored &&
				    dp->subbuf - PAGE_HDR - commit >= 8) {
					memcpy(page + PAGE_HDR + commit, &r->lost, 8);
					commit |= RB_MISSED_STORED;
					f->st.missed_stored += r->lost;
				} else {
					f->st.missed_unstored++;
					f->st.records_unstored += r->lost;
				}
				commit |= RB_MISSED_EVENTS;
				memcpy(page + 8, &commit, 8);
				f->st.missed_pages++;
				r->lost = 0;
			}
			nft_pages_commit(pages, cpu);
			f->st.pages_read++;
			total++;
		}
	}
	return total;
}

/* ---- the instance ---- */

struct nft_live {
	char inst[512];
	struct tep_handle *tep;
	int ncpus;		/* buffer slots, indexed by cpu number */
	int *fds;		/* -1: no buffer for that cpu */
	size_t subbuf;
	char *buf;
	bool mono;		/* trace_clock is mono: comparable with ours */
	uint64_t late_seen;	/* late records when the slack was last set */
	/* NETFS_TOP_FEED: a fake tree's buffers (see live.h) */
	struct nft_dat_pages feed_dp;
	struct nft_feed *feed;
	size_t feed_rate;
	struct nft_live_stats st;
};

/*
 * What a fatal signal handler needs, precomputed: it may only call
 * async-signal-safe functions, so no formatting and no allocation there.
 */
static struct {
	volatile sig_atomic_t armed;
	bool fake;
	char inst[512];
	char set_event[560];
	char tracing_on[560];
	char buffer_kb[560];
	int fds[MAX_CPUS];
	int nfds;
} emerg;

static void say(char *msg, size_t sz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *msg, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sz, fmt, ap);
	va_end(ap);
}

static int write_file(const char *path, const char *s, bool create)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC |
		      (create ? O_CREAT : 0), 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * Remove an instance directory.  Async-signal-safe when @paths are
 * precomputed: open/write/close/unlink/rmdir only.  In a fake tree the
 * control files are ours and must go before the directory can.
 */
static int remove_instance(const char *inst, const char *set_event,
			   const char *tracing_on, const char *buffer_kb,
			   bool fake)
{
	int fd;

	fd = open(tracing_on, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "0", 1) < 0) {
			/* nothing to do: rmdir below stops it anyway */
		}
		close(fd);
	}
	/* Truncating set_event disables every event of the instance. */
	fd = open(set_event, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	if (fake) {
		unlink(set_event);
		unlink(tracing_on);
		unlink(buffer_kb);
	}
	return rmdir(inst);
}

static void instance_paths(const char *inst, char *set_event, char *tracing_on,
			   char *buffer_kb, size_t sz)
{
	snprintf(set_event, sz, "%s/set_event", inst);
	snprintf(tracing_on, sz, "%s/tracing_on", inst);
	snprintf(buffer_kb, sz, "%s/buffer_size_kb", inst);
}

void nft_live_emergency_cleanup(void)
{
	int i;

	if (!emerg.armed)
		return;
	emerg.armed = 0;
	for (i = 0; i < emerg.nfds; i++)
		if (emerg.fds[i] >= 0)
			close(emerg.fds[i]);
	remove_instance(emerg.inst, emerg.set_event, emerg.tracing_on,
			emerg.buffer_kb, emerg.fake);
}

int nft_live_remove_stale(const char *tracefs, bool fake)
{
	char dir[512], inst[800], a[840], b[840], c[840];
	struct dirent *de;
	int removed = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/instances", tracefs);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)))
			continue;
		pid = strtol(de->d_name + strlen(INSTANCE_PREFIX), &end, 10);
		if (*end || pid <= 0)
			continue;
		/*
		 * Our own pid: a netfs-top that had it before us crashed
		 * (SIGKILL, a power cut of the pid namespace) and the pid was
		 * reused.  Ours is not made yet (this runs before the mkdir),
		 * so the instance is stale and would block our mkdir forever.
		 * EPERM means alive (another user's): leave it.
		 */
		if (pid != getpid() &&
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(inst, sizeof(inst), "%s/%s", dir, de->d_name);
		instance_paths(inst, a, b, c, sizeof(a));
		if (!remove_instance(inst, a, b, c, fake))
			removed++;
	}
	closedir(d);
	return removed;
}

/* Does "sys:event" pass the -e filters?  "sys", "sys:*", "sys:ev", "ev". */
static bool wanted(const struct nft_live_opts *o, const char *sys,
		   const char *event)
{
	char full[320];
	size_t i;

	if (!o->n_events)
		return true;
	snprintf(full, sizeof(full), "%s:%s", sys, event);
	for (i = 0; i < o->n_events; i++) {
		const char *f = o->events[i];

		if (!strcmp(f, sys) || !fnmatch(f, full, 0) ||
		    !fnmatch(f, event, 0))
			return true;
	}
	return false;
}

/*
 * Enable the wanted events that exist in this kernel, one write per event
 * so that a missing one does not hide the others.  Returns the number
 * enabled; *netfs_seen tells whether the netfs system exists at all.
 */
static int enable_events(struct nft_live *l, const struct nft_live_opts *o,
			 const char *tracefs, bool *netfs_seen)
{
	char path[600];
	int i, fd, n = 0;

	*netfs_seen = false;
	snprintf(path, sizeof(path), "%s/set_event", l->inst);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC |
		  (l->st.fake ? O_CREAT : 0), 0644);
	if (fd < 0)
		return -1;
	for (i = 0; systems[i]; i++) {
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s/events/%s", tracefs, systems[i]);
		d = opendir(path);
		if (!d)
			continue;
		if (!i)
			*netfs_seen = true;
		while ((de = readdir(d))) {
			char line[320];
			int len;

			if (de->d_type != DT_DIR || de->d_name[0] == '.' ||
			    !wanted(o, systems[i], de->d_name))
				continue;
			len = snprintf(line, sizeof(line), "%s:%s\n",
				       systems[i], de->d_name);
			if (write(fd, line, len) == len)
				n++;
		}
		closedir(d);
	}
	close(fd);
	return n;
}

static size_t subbuf_size(const char *inst)
{
	char path[600], buf[32] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/buffer_subbuf_size_kb", inst);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0 && atol(buf) > 0)
			return (size_t)atol(buf) * 1024;
	}
	return (size_t)getpagesize();
}

static void open_buffers(struct nft_live *l)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	int cpu;

	if (ncpus < 1)
		ncpus = 1;
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	l->ncpus = ncpus;
	l->fds = malloc(ncpus * sizeof(*l->fds));
	if (!l->fds) {
		l->ncpus = 0;
		return;
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		char path[600];

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw",
			 l->inst, cpu);
		l->fds[cpu] = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		emerg.fds[cpu] = l->fds[cpu];
		if (l->fds[cpu] >= 0)
			l->st.cpus++;
	}
	emerg.nfds = ncpus;
}

static char *slurp(const char *path, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
	}
	close(fd);
	*len = n;
	return buf;
}

/*
 * The formats of our three systems and the ring-buffer page header, read
 * straight from events/ (tracefs_local_events_system() wants more of a
 * real tracefs than a test tree has, and we need nothing else).
 */
static struct tep_handle *load_formats(const char *dir)
{
	struct tep_handle *tep = tep_alloc();
	char path[600];
	size_t len;
	char *buf;
	int i, n = 0;

	if (!tep)
		return NULL;
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	buf = slurp(path, &len);
	if (!buf || tep_parse_header_page(tep, buf, len, sizeof(long))) {
		free(buf);
		tep_free(tep);
		return NULL;
	}
	free(buf);
	for (i = 0; systems[i]; i++) {
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s/events/%s", dir, systems[i]);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.' || de->d_type != DT_DIR)
				continue;
			snprintf(path, sizeof(path), "%s/events/%s/%s/format",
				 dir, systems[i], de->d_name);
			buf = slurp(path, &len);
			if (buf && !tep_parse_event(tep, buf, len, systems[i]))
				n++;
			free(buf);
		}
		closedir(d);
	}
	if (!n) {
		tep_free(tep);
		return NULL;
	}
	tep_set_long_size(tep, sizeof(long));
	tep_set_page_size(tep, getpagesize());
	return tep;
}

static size_t env_size(const char *name, size_t dflt)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return dflt;
	n = strtoull(v, &end, 10);
	return *end || !n ? dflt : (size_t)n;
}

/* NETFS_TOP_FEED in a fake tree: the buffers hold that capture's records. */
static int open_feed(struct nft_live *l, char *msg, size_t msgsz)
{
	const char *path = getenv("NETFS_TOP_FEED");

	if (!path || !*path)
		return 0;
	if (nft_dat_pages_load(path, &l->feed_dp)) {
		say(msg, msgsz, "NETFS_TOP_FEED=%s: %s", path, strerror(errno));
		return -1;
	}
	l->feed = nft_feed_new(&l->feed_dp,
			       env_size("NETFS_TOP_FEED_RING", 1024));
	if (!l->feed) {
		say(msg, msgsz, "out of memory");
		return -1;
	}
	l->feed_rate = env_size("NETFS_TOP_FEED_RATE", SIZE_MAX);
	nft_feed_set_unstored(l->feed, env_size("NETFS_TOP_FEED_UNSTORED", 0));
	if (l->feed_dp.ncpus > l->ncpus)
		l->ncpus = l->feed_dp.ncpus;
	l->st.cpus = l->feed_dp.ncpus;
	return 0;
}

/* Where tracefs is, or a refusal that says what to do. */
static int find_tracefs(struct nft_live *l, enum nft_live_refusal *why,
			char *msg, size_t sz)
{
	const char *env = getenv("NETFS_TOP_TRACEFS");
	const char *dir;
	struct statfs sfs;
	struct stat sb;

	if (env && *env) {
		if (stat(env, &sb) || !S_ISDIR(sb.st_mode)) {
			*why = NFT_LIVE_NO_TRACEFS;
			say(msg, sz, "NETFS_TOP_TRACEFS=%s: not a directory", env);
			return -1;
		}
		dir = env;
	} else {
		/* Mounts tracefs at /sys/kernel/tracing when it can. */
		dir = tracefs_tracing_dir();
		if (!dir) {
			if (geteuid()) {
				*why = NFT_LIVE_NO_ACCESS;
				say(msg, sz, "cannot reach tracefs as an unprivileged user: run netfs-top as root");
			} else {
				*why = NFT_LIVE_NO_TRACEFS;
				say(msg, sz, "tracefs is not mounted and mounting it failed; mount it with: mount -t tracefs nodev /sys/kernel/tracing");
			}
			return -1;
		}
	}
	snprintf(l->st.tracefs, sizeof(l->st.tracefs), "%s", dir);
	l->st.fake = statfs(dir, &sfs) || sfs.f_type != TRACEFS_MAGIC;
	return 0;
}

struct nft_live *nft_live_open(const struct nft_live_opts *opts,
			       enum nft_live_refusal *why, char *msg,
			       size_t msgsz)
{
	static const struct nft_live_opts none;
	struct nft_live *l = calloc(1, sizeof(*l));
	const char *dir;
	char path[600];
	bool netfs_seen;
	int n;

	*why = NFT_LIVE_FAILED;
	if (!l) {
		say(msg, msgsz, "out of memory");
		return NULL;
	}
	l->st.slack_ns = COMMIT_SLACK_NS;
	if (!opts)
		opts = &none;
	tracefs_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	if (find_tracefs(l, why, msg, msgsz))
		goto fail;
	dir = l->st.tracefs;
	snprintf(path, sizeof(path), "%s/events/netfs", dir);
	/*
	 * AT_EACCESS: access() checks the real uid and drops the capabilities
	 * of a non-root caller, refusing a service that runs as a user with
	 * CAP_DAC_OVERRIDE (docs/service.md).
	 */
	if (faccessat(AT_FDCWD, path, F_OK, AT_EACCESS)) {
		*why = NFT_LIVE_NO_EVENTS;
		if (errno == EACCES)
			*why = NFT_LIVE_NO_ACCESS;
		say(msg, msgsz, *why == NFT_LIVE_NO_ACCESS ?
		    "%s: permission denied: run netfs-top as root" :
		    "no netfs events in this kernel (%s/events/netfs is missing): netfs is not loaded or not built; load it with 'modprobe netfs' or build the kernel with CONFIG_NETFS_SUPPORT",
		    dir);
		goto fail;
	}
	nft_live_remove_stale(dir, l->st.fake);
	snprintf(l->st.instance, sizeof(l->st.instance), INSTANCE_PREFIX "%d",
		 (int)getpid());
	snprintf(l->inst, sizeof(l->inst), "%s/instances/%s", dir,
		 l->st.instance);
	/*
	 * Armed before mkdir: a fatal signal right after it must still find
	 * the instance to remove (rmdir of one not made yet is harmless).
	 */
	snprintf(emerg.inst, sizeof(emerg.inst), "%s", l->inst);
	instance_paths(l->inst, emerg.set_event, emerg.tracing_on,
		       emerg.buffer_kb, sizeof(emerg.set_event));
	emerg.fake = l->st.fake;
	emerg.nfds = 0;
	emerg.armed = 1;
	if (mkdir(l->inst, 0755)) {
		int e = errno;

		emerg.armed = 0;

		*why = e == EACCES || e == EPERM ? NFT_LIVE_NO_ACCESS :
		       NFT_LIVE_FAILED;
		say(msg, msgsz, "cannot create the tracefs instance %s: %s%s",
		    l->inst, strerror(e),
		    *why == NFT_LIVE_NO_ACCESS ? " (run netfs-top as root)" : "");
		goto fail;
	}
	/* From here on every exit path must remove the instance. */
	if (opts->buffer_kb) {
		char kb[32];

		snprintf(kb, sizeof(kb), "%u", opts->buffer_kb);
		if (write_file(emerg.buffer_kb, kb, l->st.fake)) {
			say(msg, msgsz, "cannot set the buffer size to %u KB: %s",
			    opts->buffer_kb, strerror(errno));
			goto fail_inst;
		}
	}
	if (l->st.fake)
		write_file(emerg.tracing_on, "1", true);
	/* CLOCK_MONOTONIC timestamps tell nft_live_read() how far a read is complete */
	snprintf(path, sizeof(path), "%s/trace_clock", l->inst);
	l->mono = !l->st.fake && !write_file(path, "mono", false);
	n = enable_events(l, opts, dir, &netfs_seen);
	if (n < 0) {
		say(msg, msgsz, "cannot enable events in %s: %s", l->inst,
		    strerror(errno));
		goto fail_inst;
	}
	if (!n) {
		say(msg, msgsz, "no event of this kernel matches the -e filters");
		goto fail_inst;
	}
	l->st.enabled = n;
	l->tep = load_formats(dir);
	if (!l->tep) {
		say(msg, msgsz, "cannot read the event formats under %s/events",
		    dir);
		goto fail_inst;
	}
	l->subbuf = subbuf_size(l->inst);
	l->buf = malloc(l->subbuf);
	if (!l->buf) {
		say(msg, msgsz, "out of memory");
		goto fail_inst;
	}
	open_buffers(l);
	if (l->st.fake && open_feed(l, msg, msgsz))
		goto fail_inst;
	if (!l->st.cpus && !l->st.fake) {
		say(msg, msgsz, "cannot open the per-CPU buffers of %s: %s",
		    l->inst, strerror(errno));
		goto fail_inst;
	}
	*why = NFT_LIVE_OK;
	return l;
fail_inst:
	nft_live_close(l);
	return NULL;
fail:
	free(l);
	return NULL;
}

struct tep_handle *nft_live_tep(const struct nft_live *l)
{
	return l->feed ? l->feed_dp.tep : l->tep;
}

int nft_live_cpus(const struct nft_live *l)
{
	return l->ncpus > 0 ? l->ncpus : 1;
}

size_t nft_live_subbuf(const struct nft_live *l)
{
	if (l->feed)
		return l->feed_dp.subbuf;
	return l->subbuf ? l->subbuf : (size_t)getpagesize();
}

const struct nft_live_stats *nft_live_stats(const struct nft_live *l)
{
	return &l->st;
}

/* Records came late since the last read: wait longer for commits. */
static void adapt_slack(struct nft_live *l, const struct nft_pages *pages)
{
	uint64_t late = nft_pages_stats(pages)->late_records;

	if (late > l->late_seen && l->st.slack_ns < MAX_SLACK_NS)
		l->st.slack_ns *= 2;
	l->late_seen = late;
}

int nft_live_read(struct nft_live *l, struct nft_pages *pages)
{
	int cpu, total = 0;
	uint64_t limit = UINT64_MAX, start;
	struct timespec ts;

	if (l->feed) {
		int n;

		nft_feed_write(l->feed, l->feed_rate);
		n = (int)nft_feed_read(l->feed, pages, MAX_PAGES_PER_READ);
		pages->limit = nft_feed_complete_to(l->feed);
		return n;
	}
	adapt_slack(l, pages);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	start = start > l->st.slack_ns ? start - l->st.slack_ns : 0;
	for (cpu = 0; cpu < l->ncpus; cpu++) {
		uint64_t upto = start;	/* complete up to, once drained */
		int n;

		if (l->fds[cpu] < 0)
			continue;
		for (n = 0; n < MAX_PAGES_PER_READ; n++) {
			/* straight into the queue when the sizes agree */
			bool direct = l->subbuf == pages->subbuf;
			char *dst = direct ? nft_pages_slot(pages, cpu) : l->buf;
			ssize_t r;

			if (!dst)
				return -1;
			r = read(l->fds[cpu], dst, l->subbuf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && errno == EAGAIN)
				break;
			if (r < 0)
				return -1;
			if (r == 0)
				break;
			if (n == MAX_PAGES_PER_READ - 1 && r >= 8) {
				/* not drained: complete only up to this page's start */
				uint64_t page_ts;

				memcpy(&page_ts, dst, sizeof(page_ts));
				upto = page_ts < upto ? page_ts : upto;
			}
			/* A short read is a partial page: zero the rest. */
			if ((size_t)r < l->subbuf)
				memset(dst + r, 0, l->subbuf - r);
			if (direct) {
				nft_pages_commit(pages, cpu);
			} else {
				char *slot = nft_pages_slot(pages, cpu);

				if (!slot)
					return -1;
				memset(slot, 0, pages->subbuf);
				memcpy(slot, l->buf, l->subbuf < pages->subbuf ?
						     l->subbuf : pages->subbuf);
				nft_pages_commit(pages, cpu);
			}
			total++;
		}
		limit = upto < limit ? upto : limit;
	}
	/* later records wait for the next read: the other CPUs may still
	 * deliver earlier ones (see nft_pages_flush()) */
	pages->limit = l->mono ? limit : UINT64_MAX;
	return total;
}

void nft_live_close(struct nft_live *l)
{
	if (!l)
		return;
	/* Closing the buffers first: an open trace_pipe_raw makes rmdir EBUSY. */
	nft_live_emergency_cleanup();
	if (l->tep)
		tep_free(l->tep);
	nft_feed_free(l->feed);
	if (l->feed_dp.handle)
		nft_dat_pages_free(&l->feed_dp);
	free(l->fds);
	free(l->buf);
	free(l);
}
