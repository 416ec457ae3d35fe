// SPDX-License-Identifier: GPL-2.0
/*
 * early-unlock: a folio of a buffered read made visible (marked uptodate
 * and unlocked) before every subrequest covering its bytes had delivered
 * them.  What the application then sees through the page cache or mmap is
 * whatever the buffer held.
 *
 * The historical case is commit 570ad253a345 ("netfs: Fix early read
 * unlock of page with EOF in middle", 6.19; since 6.14's read collector
 * rewrite e2d46f2ec332): netfs_read_unlock_folios() ended the last folio
 * at i_size, so a folio with EOF inside was unlocked as soon as the
 * download reached EOF, before the ZERO subrequest that clears its tail
 * was even issued (9p, whose reads are synchronous, showed it):
 *
 *   netfs_sreq: R=00001b55[1] DOWN TERM  f=192 s=0 5fb2/5fb2 s=5 e=0
 *   netfs_collect_folio: R=00001b55 ix=00005 r=5000-5fb2 t=5000/5fb2
 *   netfs_folio: i=157f3 ix=00005-00005 read-done
 *   netfs_folio: i=157f3 ix=00005-00005 read-unlock
 *   netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0
 *
 * The rule rests on what every read collector prints before it unlocks:
 *  - 6.10-6.13 netfs_consume_read_data() prints netfs_progress (s=, pa=
 *    part/avail: the bytes at hand) before netfs_unlock_read_folio();
 *  - 6.14+ netfs_collect_read_results() prints netfs_collect_sreq (t=
 *    transferred) of each front subrequest and netfs_collect_folio before
 *    netfs_read_unlock_folios() unlocks; progress collection
 *    (netfs_read_subreq_progress(), PRGRS) unlocks only what the
 *    transferred prefix of the head subrequest covers;
 *  - <= 6.11 netfs_rreq_unlock_folios() (netfs_rreq ... UNLOCK) runs from
 *    netfs_rreq_assess() once every subrequest has terminated (TERM is
 *    traced in netfs_subreq_terminated() before nr_outstanding drops).
 * So the bytes a read subrequest has shown as transferred (or cleared:
 * CLEAR, +DON, EOF) before the unlock line are the bytes that were there.
 * A folio's range [ix*4096, (last+1)*4096) must be covered by them; when it
 * is not, a subrequest of the same request that covers the missing part
 * and had not terminated at the unlock, or that only appears after it,
 * proves the early unlock.  Missing bytes no subrequest ever claims (a
 * capture or excerpt that starts late) prove nothing and are let go.
 *
 * netfs_folio lines carry the inode and page indexes, not R=: 6.14+
 * prints netfs_collect_folio R= ix= right before the unlock, which names
 * the request; otherwise the live read request of that inode whose range
 * holds the folio is taken (netfs_read ni= s= l=).  Folios unlocked by
 * "abandon" (a failed read: netfs_unlock_abandoned_read_pages(), or the
 * collector's abandon_to) are not early unlocks, and requests with failed
 * subrequests are left to the failure detector.  Writes are not reads.
 *
 * An excerpt may hold only the unlock and the late subrequest, as when the
 * maintainer quoted the 570ad253a345 bug back in two lines:
 *
 *   netfs_folio: i=157f3 ix=00005-00005 read-unlock
 *   netfs_sreq: R=00001b55[2] ZERO SUBMT f=000 s=5fb2 0/4e s=0 e=0
 *
 * No request is known at the unlock, none is alive at all.  Such an
 * unlock is kept, and a read
 * subrequest issued after it (first seen there, in a submit/prepare/add
 * line) into the folio's bytes, of a request first seen after it too and
 * with neither inode nor range of its own (no netfs_read line), is taken as
 * the late one when the folio lines name this one inode only: no other file
 * could own the request.  A netfs_read of another inode, or folio lines of
 * two, and nothing is said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model_internal.h"
#include "reqtab.h"
#include "../util.h"

#define PAGE_SHIFT 12
#define EU_MAX_DONE 32		/* disjoint done spans kept per request */
#define EU_MAX_GAPS 4		/* missing spans kept per unlocked folio */
#define EU_MAX_PENDING 8	/* unlocked folios with missing bytes */
#define EU_MAX_EXTRA 3		/* later lines of the late subrequest */
#define EU_MAX_INFLIGHT 8	/* <= 6.11: in flight at the UNLOCK */
#define EU_MAX_ORPHANS 8	/* unlocks no known request owned */
/*
 * Two CPUs' trace clocks may disagree by a little: a line of another CPU
 * stamped within this of the unlock may have happened before it.
 */
#define EU_SKEW_NS 100000ULL

struct eu_span {
	uint64_t lo, hi;
};

struct eu_sreq {
	uint64_t start, len;
	uint64_t pos_first, pos_last, ts_first, ts_last;
	bool seen;
	bool firm;		/* range from a line after ADD */
	bool terminated;
};

/* An unlocked folio some of whose bytes no subrequest had delivered. */
struct eu_pending {
	uint64_t ino, first, last;
	struct eu_span gap[EU_MAX_GAPS];
	int n_gap;
	uint64_t pos, ts;
	uint64_t pos2, ts2;	/* read-unlock after read-done */
	uint16_t what;
	bool whole_request;	/* <= 6.11 netfs_rreq UNLOCK */
	bool have_ts;
	int32_t cpu;		/* -1: not printed */
	/* <= 6.11: subrequests in flight at the UNLOCK, judged at their TERM */
	uint8_t n_inflight;
	uint16_t inflight[EU_MAX_INFLIGHT];
};

struct eu_req {
	uint32_t id;
	uint64_t ino;		/* learnt from the folio lines if need be */
	struct eu_span done[EU_MAX_DONE];
	int n_done;
	bool done_overflow;
	bool failed;
	bool reported;
	size_t finding;		/* index + 1 */
	int32_t late_index;	/* subrequest whose lines extend the evidence */
	uint64_t rep_first;	/* the folio reported (its read-unlock too) */
	int n_extra;
	struct eu_pending pending[EU_MAX_PENDING];
	int n_pending;
	struct eu_sreq *sreqs;
	uint32_t nr_sreqs;
};

struct eu_state {
	struct nft_reqtab reqs;		/* id -> struct eu_req */
	/* The last netfs_collect_folio: names the request of the next unlock. */
	bool cf_valid;
	uint32_t cf_rreq;
	uint64_t cf_index, cf_collected_to;
	/* The last "abandon" folio line: its read-unlock is no early one. */
	bool ab_valid;
	uint64_t ab_ino, ab_first;
	/* Unlocks no request was known for (an excerpt), oldest first. */
	struct eu_pending orphan[EU_MAX_ORPHANS];
	int n_orphan;
	/* The one inode the folio and read lines named, unless several. */
	uint64_t one_ino;
	bool several_ino;
};

static struct eu_state *eu_state(struct nft_model *m)
{
	return nft_detector_state(m, &nft_detect_early_unlock);
}

static void eu_req_free(void *block)
{
	struct eu_req *r = block;

	free(r->sreqs);
	free(r);
}

static void eu_state_free(void *state)
{
	struct eu_state *st = state;

	nft_reqtab_release(&st->reqs, eu_req_free);
}

/* Buffered reads only: these unlock folios. */
static bool is_buffered_read(const struct nft_request *req)
{
	if (req->is_write)
		return false;
	switch (req->origin) {
	case NFT_ORIGIN_RA:
	case NFT_ORIGIN_RP:
	case NFT_ORIGIN_RW:
		return true;
	case 0:
		break;
	default:
		return false;
	}
	switch (req->op) {
	case NFT_RD_DIO_READ:
	case NFT_RD_READ_GAPS:
	case NFT_RD_READ_SINGLE:
		return false;
	default:
		return true;
	}
}

static struct eu_req *get_req(struct eu_state *st,
			      const struct nft_request *req, bool create)
{
	struct eu_req *r = nft_reqtab_get(&st->reqs, req->id, 0, NULL);
	bool made;

	if (r || !create || !is_buffered_read(req))
		return r;
	r = nft_reqtab_get(&st->reqs, req->id, sizeof(*r), &made);
	if (r && made) {
		r->id = req->id;
		r->late_index = -1;
	}
	return r;
}

static struct eu_sreq *get_sreq(struct eu_req *r, int32_t index)
{
	return nft_reqtab_sreq(&r->sreqs, &r->nr_sreqs, index,
			       sizeof(*r->sreqs), NULL);
}

/* Add [lo, hi) to the request's done spans (kept sorted and disjoint). */
static void add_done(struct eu_req *r, uint64_t lo, uint64_t hi)
{
	int i, j;

	if (hi <= lo)
		return;
	for (i = 0; i < r->n_done && r->done[i].hi < lo; i++)
		;
	/* merge every span that touches [lo, hi) */
	for (j = i; j < r->n_done && r->done[j].lo <= hi; j++) {
		if (r->done[j].lo < lo)
			lo = r->done[j].lo;
		if (r->done[j].hi > hi)
			hi = r->done[j].hi;
	}
	if (j > i) {
		r->done[i].lo = lo;
		r->done[i].hi = hi;
		memmove(&r->done[i + 1], &r->done[j],
			(r->n_done - j) * sizeof(r->done[0]));
		r->n_done -= j - i - 1;
		return;
	}
	if (r->n_done == EU_MAX_DONE) {
		r->done_overflow = true;
		return;
	}
	memmove(&r->done[i + 1], &r->done[i],
		(r->n_done - i) * sizeof(r->done[0]));
	r->done[i].lo = lo;
	r->done[i].hi = hi;
	r->n_done++;
}

/* The parts of [lo, hi) not done; returns how many (may exceed @max). */
static int missing(const struct eu_req *r, uint64_t lo, uint64_t hi,
		   struct eu_span *gap, int max)
{
	int i, n = 0;

	for (i = 0; i < r->n_done && lo < hi; i++) {
		if (r->done[i].hi <= lo)
			continue;
		if (r->done[i].lo >= hi)
			break;
		if (r->done[i].lo > lo) {
			if (n < max)
				gap[n] = (struct eu_span){ lo, r->done[i].lo };
			n++;
		}
		lo = r->done[i].hi;
	}
	if (lo < hi) {
		if (n < max)
			gap[n] = (struct eu_span){ lo, hi };
		n++;
	}
	return n;
}

static bool overlaps(uint64_t lo, uint64_t hi, const struct eu_span *g, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (lo < g[i].hi && g[i].lo < hi)
			return true;
	return false;
}

static bool read_source(uint16_t source)
{
	return source != NFT_SRC_UPLOAD && source != NFT_SRC_CACHE_WRITE;
}

static bool write_trace(uint16_t what)
{
	switch (what) {
	case NFT_SREQ_WRITE:
	case NFT_SREQ_WRITE_TERM:
	case NFT_SREQ_WRITE_SKIP:
	case NFT_SREQ_CACHE_WRITE:
	case NFT_SREQ_CACHE_PREPARE:
	case NFT_SREQ_CACHE_NOWRITE:
		return true;
	default:
		return false;
	}
}

static void folio_name(char *buf, size_t sz, const struct eu_pending *p)
{
	if (p->whole_request)
		snprintf(buf, sz, "its folios were");
	else if (p->first == p->last)
		snprintf(buf, sz, "folio ix=%llx of inode %llx was",
			 (unsigned long long)p->first,
			 (unsigned long long)p->ino);
	else
		snprintf(buf, sz, "folio ix=%llx-%llx of inode %llx was",
			 (unsigned long long)p->first,
			 (unsigned long long)p->last,
			 (unsigned long long)p->ino);
}

static const char *unlock_word(const struct eu_pending *p)
{
	return p->whole_request ? "UNLOCK" : nft_sym_name(NFT_SYMC_FOLIO, p->what);
}

static void report(struct nft_model *m, struct eu_req *r,
		   const struct eu_pending *p, uint32_t index,
		   const struct eu_sreq *s, uint16_t source, bool late,
		   uint64_t pos, uint64_t ts)
{
	const struct nft_request *req = nft_model_request(m, r->id);
	struct nft_evidence ev[4] = { { p->pos, p->ts } };
	struct eu_span miss = p->gap[0];
	struct nft_finding *f;
	char folio[96];
	size_t n = 1;
	int i;

	if (!req)
		return;
	if (!p->n_gap)		/* the whole request: what the subrequest had to read */
		miss = (struct eu_span){ s->start, s->start + s->len };
	for (i = 0; i < p->n_gap; i++)
		if (s->start < p->gap[i].hi && p->gap[i].lo < s->start + s->len) {
			miss = p->gap[i];
			break;
		}
	if (p->pos2)
		ev[n++] = (struct nft_evidence){ p->pos2, p->ts2 };
	if (s->pos_first && s->pos_first != pos && !late)
		ev[n++] = (struct nft_evidence){ s->pos_first, s->ts_first };
	ev[n++] = (struct nft_evidence){ pos, ts };
	folio_name(folio, sizeof(folio), p);
	f = nft_report(m, NFT_FIND_EARLY_UNLOCK, req, NULL, NULL, false, ev, n,
		       late ?
		       "R=%08x: %s made visible (%s) with %llx-%llx not yet read: [%x] %s s=%llx len %llx, which covers it, came only after (%s)" :
		       "R=%08x: %s made visible (%s) with %llx-%llx not yet read: [%x] %s s=%llx len %llx, which covers it, was still in flight (%s)",
		       r->id, folio, unlock_word(p),
		       (unsigned long long)miss.lo,
		       (unsigned long long)miss.hi - 1, index,
		       nft_sym_name(NFT_SYMC_SOURCE, source),
		       (unsigned long long)s->start,
		       (unsigned long long)s->len,
		       p->whole_request ?
		       "netfs_rreq_unlock_folios() is for after the last termination" :
		       "commit 570ad253a345");
	r->reported = true;
	r->rep_first = p->first;
	r->n_pending = 0;
	if (f) {
		r->finding = (size_t)(f - m->findings) + 1;
		r->late_index = (int32_t)index;
	}
}

/* A folio (or, <= 6.11, the whole request) was just made visible. */
static void judge_unlock(struct nft_model *m, struct eu_req *r,
			 const struct nft_request *req, struct eu_pending *p,
			 uint64_t lo, uint64_t hi)
{
	uint32_t i;
	int n;

	if (r->reported && r->finding && r->finding <= m->n_findings &&
	    !p->whole_request && p->first == r->rep_first &&
	    p->what == NFT_FOLIO_READ_UNLOCK) {
		/* read-done said it first; the unlock itself is evidence too */
		nft_finding_add_evidence(&m->findings[r->finding - 1], p->pos,
					 p->ts);
		return;
	}
	/* lost events may have taken the lines that showed the data */
	if (r->reported || r->failed || r->done_overflow || req->uncertain)
		return;
	if (req->range_known && req->len) {
		if (lo < req->start)
			lo = req->start;
		if (hi > req->start + req->len)
			hi = req->start + req->len;
	}
	if (lo >= hi)
		return;
	n = missing(r, lo, hi, p->gap, EU_MAX_GAPS);
	if (!n || n > EU_MAX_GAPS)
		return;		/* complete, or too scattered to say */
	p->n_gap = n;
	/* a subrequest covering missing bytes that has not terminated */
	for (i = 0; i < r->nr_sreqs && i < req->nr_sreq_slots; i++) {
		const struct eu_sreq *s = &r->sreqs[i];
		const struct nft_subreq *ms = req->sreqs[i];

		if (!s->seen || !s->firm || s->terminated || !ms ||
		    !read_source(ms->source) || !s->len)
			continue;
		if (overlaps(s->start, s->start + s->len, p->gap, p->n_gap)) {
			report(m, r, p, i, s, ms->source, false, s->pos_last,
			       s->ts_last);
			return;
		}
	}
	for (n = 0; n < r->n_pending; n++)
		if (r->pending[n].first == p->first &&
		    r->pending[n].whole_request == p->whole_request) {
			/* read-done, then read-unlock */
			if (!r->pending[n].pos2) {
				r->pending[n].pos2 = p->pos;
				r->pending[n].ts2 = p->ts;
			}
			return;
		}
	if (r->n_pending < EU_MAX_PENDING)
		r->pending[r->n_pending++] = *p;
}

/* A subrequest line after unlocks that left bytes missing. */
/* Could @ev have happened before the unlock @p, another CPU's clock aside? */
static bool within_skew(const struct eu_pending *p, const struct nft_event *ev)
{
	if (!p->have_ts || !(ev->have & NFT_HAVE_TS) || ev->ts_ns < p->ts)
		return false;
	if (p->cpu >= 0 && (ev->have & NFT_HAVE_CPU) && ev->cpu == p->cpu)
		return false;
	return ev->ts_ns - p->ts < EU_SKEW_NS;
}

static bool was_inflight(const struct eu_pending *p, uint32_t index)
{
	int i;

	for (i = 0; i < p->n_inflight; i++)
		if (p->inflight[i] == index)
			return true;
	return false;
}

static void judge_late(struct nft_model *m, struct eu_req *r,
		       const struct nft_event *ev, const struct eu_sreq *s,
		       uint32_t index)
{
	int i;

	for (i = 0; i < r->n_pending && !r->reported; i++) {
		const struct eu_pending *p = &r->pending[i];
		bool late = s->pos_first > p->pos;

		if (!late && !(p->whole_request && was_inflight(p, index) &&
			       s->terminated))
			continue;	/* known at the unlock: judged there */
		if (!s->len || within_skew(p, ev))
			continue;
		if (!p->whole_request &&
		    !overlaps(s->start, s->start + s->len, p->gap, p->n_gap))
			continue;
		{
			struct eu_pending copy = *p;

			report(m, r, &copy, index, s, ev->source, late,
			       ev->pos, ev->ts_ns);
		}
	}
}

static struct eu_req *join_folio(struct nft_model *m, struct eu_state *st,
				 const struct nft_event *ev,
				 const struct nft_request **preq)
{
	const struct nft_req_node *n, *best = NULL, *anon = NULL;
	uint64_t lo = ev->first << PAGE_SHIFT;
	uint64_t hi = (ev->last + 1) << PAGE_SHIFT;
	int n_anon = 0;

	if (st->cf_valid && st->cf_index == ev->first) {
		const struct nft_request *req = nft_model_request(m, st->cf_rreq);
		struct eu_req *r;

		if (req && is_buffered_read(req)) {
			*preq = req;
			r = get_req(st, req, true);
			/*
			 * The collector had the data up to collected_to (an
			 * excerpt may lack the lines that showed it).
			 */
			if (r && st->cf_collected_to > lo)
				add_done(r, lo, st->cf_collected_to);
			return r;
		}
	}
	for (n = m->lru_head; n; n = n->next) {
		const struct nft_request *req = &n->req;

		if (req->state == NFT_REQ_FREED || !is_buffered_read(req) ||
		    !req->range_known || req->start >= hi ||
		    req->start + req->len <= lo)
			continue;
		if (req->ino == ev->ino) {
			if (!best || req->pos_new > best->req.pos_new)
				best = n;
		} else if (!req->ino) {
			/* ni=0: some filesystems print no inode number */
			anon = n;
			n_anon++;
		}
	}
	if (!best && n_anon == 1)
		best = anon;
	if (!best)
		return NULL;
	*preq = &best->req;
	return get_req(st, &best->req, true);
}

static void note_ino(struct eu_state *st, uint64_t ino)
{
	if (!ino || st->several_ino)
		return;
	if (!st->one_ino)
		st->one_ino = ino;
	else if (st->one_ino != ino)
		st->several_ino = true;
}

/* A read-done/read-unlock no known request owns. */
static void keep_orphan(struct eu_state *st, const struct nft_event *ev)
{
	struct eu_pending *p;
	int i;

	for (i = 0; i < st->n_orphan; i++)
		if (st->orphan[i].ino == ev->ino &&
		    st->orphan[i].first == ev->first) {
			if (!st->orphan[i].pos2) {	/* read-done, then unlock */
				st->orphan[i].pos2 = ev->pos;
				st->orphan[i].ts2 = ev->ts_ns;
			}
			return;
		}
	if (st->n_orphan == EU_MAX_ORPHANS) {
		memmove(&st->orphan[0], &st->orphan[1],
			(EU_MAX_ORPHANS - 1) * sizeof(st->orphan[0]));
		st->n_orphan--;
	}
	p = &st->orphan[st->n_orphan++];
	memset(p, 0, sizeof(*p));
	p->ino = ev->ino;
	p->first = ev->first;
	p->last = ev->last;
	p->pos = ev->pos;
	p->ts = ev->ts_ns;
	p->what = ev->what;
	p->have_ts = ev->have & NFT_HAVE_TS;
	p->cpu = (ev->have & NFT_HAVE_CPU) ? ev->cpu : -1;
}

/*
 * A subrequest issued into the bytes of an unlock no request was known for
 * (see the head comment).
 */
static void judge_orphans(struct nft_model *m, struct eu_state *st,
			  struct eu_req *r, const struct nft_request *req,
			  const struct nft_event *ev, const struct eu_sreq *s)
{
	uint64_t lo = ev->start, hi = ev->start + ev->len;
	int i;

	if (!st->n_orphan || st->several_ino || req->ino || req->range_known ||
	    r->reported || r->failed || req->uncertain || !ev->len ||
	    s->pos_first != ev->pos)
		return;
	switch (ev->what) {
	case NFT_SREQ_SUBMIT:
	case NFT_SREQ_PREPARE:
	case NFT_SREQ_ADDED:
		break;
	default:
		return;
	}
	for (i = 0; i < st->n_orphan; i++) {
		struct eu_pending p = st->orphan[i];
		uint64_t flo = p.first << PAGE_SHIFT;
		uint64_t fhi = (p.last + 1) << PAGE_SHIFT;

		if (req->pos_new <= p.pos || lo >= fhi || flo >= hi ||
		    within_skew(&p, ev))
			continue;
		p.gap[0].lo = lo > flo ? lo : flo;
		p.gap[0].hi = hi < fhi ? hi : fhi;
		p.n_gap = 1;
		report(m, r, &p, (uint32_t)ev->index, s, ev->source, true,
		       ev->pos, ev->ts_ns);
		return;
	}
}

static void folio_event(struct nft_model *m, struct eu_state *st,
			const struct nft_event *ev)
{
	const struct nft_request *req = NULL;
	struct eu_pending p = { 0 };
	struct eu_req *r;

	switch (ev->what) {
	case NFT_FOLIO_ABANDON:
		st->ab_valid = true;
		st->ab_ino = ev->ino;
		st->ab_first = ev->first;
		return;
	case NFT_FOLIO_READ_DONE:
	case NFT_FOLIO_READ_UNLOCK:
		break;
	case NFT_FOLIO_COPY_TO_CACHE:
		/*
		 * 6.10-6.13 netfs_unlock_read_folio() says mark-copy instead
		 * of read-done just before the unlock; 6.14+ marks the folios
		 * when the download is prepared (collection says sched-copy).
		 */
		if (nft_model_gen(m) == NFT_GEN_6_12)
			break;
		return;
	default:
		return;
	}
	if (st->ab_valid && st->ab_ino == ev->ino && st->ab_first == ev->first)
		return;
	st->ab_valid = false;
	r = join_folio(m, st, ev, &req);
	if (!r) {
		/*
		 * Only with no request alive at all: a folio under read is
		 * unlocked by the collector of a live request, so an unlock
		 * with one alive but not joined is a capture without
		 * netfs_read lines (the request's inode unknown), not an
		 * excerpt -- and a later read of the same bytes there (the
		 * page cache dropped and read again) is no late subrequest.
		 */
		if (ev->what != NFT_FOLIO_COPY_TO_CACHE && !m->reqs.len)
			keep_orphan(st, ev);
		return;
	}
	if (!r->ino)
		r->ino = ev->ino;
	p.ino = ev->ino;
	p.first = ev->first;
	p.last = ev->last;
	p.pos = ev->pos;
	p.ts = ev->ts_ns;
	p.what = ev->what;
	judge_unlock(m, r, req, &p, ev->first << PAGE_SHIFT,
		     (ev->last + 1) << PAGE_SHIFT);
}

static void extend_evidence(struct nft_model *m, struct eu_req *r,
			    const struct nft_event *ev)
{
	struct nft_finding *f;

	if (!r->finding || ev->index != r->late_index ||
	    r->n_extra >= EU_MAX_EXTRA || r->finding > m->n_findings)
		return;
	f = &m->findings[r->finding - 1];
	nft_finding_add_evidence(f, ev->pos, ev->ts_ns);
	r->n_extra++;
}

static void sreq_event(struct nft_model *m, struct eu_state *st,
		       struct eu_req *r, const struct nft_request *req,
		       const struct nft_event *ev)
{
	struct eu_sreq *s;

	if (ev->error < 0 || ev->what == NFT_SREQ_FAIL ||
	    ev->what == NFT_SREQ_ABANDONED) {
		r->failed = true;
		r->n_pending = 0;
	}
	if (!read_source(ev->source) || write_trace(ev->what))
		return;
	s = get_sreq(r, ev->index);
	if (!s)
		return;
	if (!s->seen) {
		s->seen = true;
		s->pos_first = ev->pos;
		s->ts_first = ev->ts_ns;
	}
	s->pos_last = ev->pos;
	s->ts_last = ev->ts_ns;
	if (ev->what != NFT_SREQ_ADDED || !s->firm) {
		s->start = ev->start;
		s->len = ev->len;
	}
	if (ev->what != NFT_SREQ_ADDED)
		s->firm = true;
	switch (ev->what) {
	case NFT_SREQ_TERMINATED:
	case NFT_SREQ_CLEAR:
	case NFT_SREQ_HIT_EOF:
	case NFT_SREQ_CONSUMED:
	case NFT_SREQ_DONATE_TO_PREV:
	case NFT_SREQ_DONATE_TO_NEXT:
		s->terminated = true;
		break;
	case NFT_SREQ_RETRY:
		s->terminated = false;
		break;
	default:
		break;
	}
	/*
	 * A subrequest's line says how far it is; +DON includes donations.
	 * Bytes past its length were written all the same (over-read says
	 * what is wrong with them).
	 */
	if (ev->transferred)
		add_done(r, ev->start, ev->start + ev->transferred);
	if (r->reported) {
		if (ev->what == NFT_SREQ_TERMINATED ||
		    ev->what == NFT_SREQ_CLEAR)
			extend_evidence(m, r, ev);
		return;
	}
	if (r->n_pending && !r->failed)
		judge_late(m, r, ev, s, (uint32_t)ev->index);
	if (!r->reported)
		judge_orphans(m, st, r, req, ev, s);
}

/*
 * <= 6.11: netfs_rreq_unlock_folios() unlocks the whole request at once,
 * from netfs_rreq_assess() after the last termination.  A subrequest in
 * flight at the UNLOCK is judged when its TERM comes (a TERM of another CPU
 * stamped a hair later may have been first); one first seen after it, at
 * once.
 */
static void unlock_all(struct nft_model *m, struct eu_req *r,
		       const struct nft_request *req, const struct nft_event *ev)
{
	struct eu_pending p = { .whole_request = true, .cpu = -1 };
	uint32_t i;

	(void)m;
	if (r->reported || r->failed || req->uncertain)
		return;
	p.pos = ev->pos;
	p.ts = ev->ts_ns;
	p.have_ts = ev->have & NFT_HAVE_TS;
	if (ev->have & NFT_HAVE_CPU)
		p.cpu = ev->cpu;
	p.ino = req->ino;
	for (i = 0; i < r->nr_sreqs && i < req->nr_sreq_slots; i++) {
		const struct eu_sreq *s = &r->sreqs[i];
		const struct nft_subreq *ms = req->sreqs[i];

		if (!s->seen || s->terminated || !ms ||
		    !read_source(ms->source) || !s->len)
			continue;
		if (p.n_inflight < EU_MAX_INFLIGHT)
			p.inflight[p.n_inflight++] = (uint16_t)i;
	}
	for (i = 0; i < (uint32_t)r->n_pending; i++)
		if (r->pending[i].whole_request)
			return;
	if (r->n_pending < EU_MAX_PENDING)
		r->pending[r->n_pending++] = p;
}

static void eu_event(struct nft_model *m, const struct nft_event *ev,
		     struct nft_request *req, struct nft_subreq *s)
{
	struct eu_state *st;
	struct eu_req *r;

	(void)s;
	switch (ev->kind) {
	case NFT_EV_NETFS_FOLIO:
	case NFT_EV_NETFS_SREQ:
	case NFT_EV_NETFS_COLLECT_SREQ:
	case NFT_EV_NETFS_COLLECT_FOLIO:
	case NFT_EV_NETFS_PROGRESS:
	case NFT_EV_NETFS_RREQ:
	case NFT_EV_NETFS_FAILURE:
	case NFT_EV_NETFS_READ:
		break;
	default:
		return;
	}
	st = eu_state(m);
	if (!st)
		return;
	if (ev->kind == NFT_EV_NETFS_FOLIO) {
		note_ino(st, ev->ino);
		folio_event(m, st, ev);
		return;
	}
	if (ev->kind == NFT_EV_NETFS_READ) {
		note_ino(st, ev->ino);
		return;
	}
	if (!req)
		return;
	if (ev->kind == NFT_EV_NETFS_COLLECT_FOLIO) {
		st->cf_valid = true;
		st->cf_rreq = req->id;
		st->cf_index = ev->first;
		st->cf_collected_to = ev->collected_to;
		return;
	}
	r = get_req(st, req, ev->kind == NFT_EV_NETFS_SREQ ||
				     ev->kind == NFT_EV_NETFS_PROGRESS ||
				     ev->kind == NFT_EV_NETFS_COLLECT_SREQ);
	if (!r)
		return;
	switch (ev->kind) {
	case NFT_EV_NETFS_SREQ:
		if (ev->have & NFT_HAVE_INDEX)
			sreq_event(m, st, r, req, ev);
		break;
	case NFT_EV_NETFS_COLLECT_SREQ:
		add_done(r, ev->start, ev->start + ev->transferred);
		break;
	case NFT_EV_NETFS_PROGRESS:
		/* 6.12 netfs_consume_read_data(): [s, s + avail) is at hand */
		add_done(r, ev->start, ev->start + ev->end);
		break;
	case NFT_EV_NETFS_FAILURE:
		r->failed = true;
		r->n_pending = 0;
		break;
	case NFT_EV_NETFS_RREQ:
		if (ev->what == NFT_RREQ_SET_ABANDON) {
			r->failed = true;
			r->n_pending = 0;
		} else if (ev->what == NFT_RREQ_UNLOCK &&
			   nft_model_gen(m) != NFT_GEN_6_14 &&
			   nft_model_gen(m) != NFT_GEN_7) {
			/* up to 6.11: 6.10/6.11 still read the old way */
			unlock_all(m, r, req, ev);
		}
		break;
	default:
		break;
	}
}

static void eu_release(struct nft_model *m, struct nft_request *req,
		       bool at_end)
{
	struct eu_state *st = eu_state(m);

	(void)at_end;
	if (!st)
		return;
	if (st->cf_valid && st->cf_rreq == req->id)
		st->cf_valid = false;
	nft_reqtab_drop(&st->reqs, req->id, eu_req_free);
}

const struct nft_detector nft_detect_early_unlock = {
	.name = "early-unlock",
	.state_size = sizeof(struct eu_state),
	.state_free = eu_state_free,
	.event = eu_event,
	.release = eu_release,
};
