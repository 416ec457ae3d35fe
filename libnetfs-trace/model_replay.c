// SPDX-License-Identifier: GPL-2.0
/*
 * Replay each request of a capture through the reference engine and compare
 * the kernel's per-object sequence with the engine's (model_replay.h,
 * docs/model-replay.md).
 *
 * Only the events that carry the state machine and the ref protocol are
 * compared (netfs_rreq, netfs_rreq_ref, netfs_sreq, netfs_sreq_ref,
 * netfs_failure), one object at a time: the request, and each subrequest
 * by its debug index.  Interleaving across objects is left out because it
 * is decided by which CPU gets there first, not by netfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/engine.h"
#include "idmap.h"
#include "gen.h"
#include "model_replay.h"

#define NO_REF INT32_MIN
/* Beyond this many subrequests a request is not replayed (the engine's
 * scenario could not express its boundaries anyway). */
#define MAX_SUBREQS 4096
/* The engine's cache_wsize when the scenario gives none. */
#define DEFAULT_CACHE_WSIZE 0x100000ull

/* One compared event of one request, kernel or engine. */
struct step {
	uint64_t pos;
	uint64_t start, len, transferred;
	int32_t index;		/* -1 = the request itself */
	int32_t ref;		/* printed r=, NO_REF if the event has none */
	int32_t error;
	uint16_t what, source;
	uint8_t kind;		/* enum nft_event_kind */
	bool cifsd;		/* emitted by cifs's demultiplex thread */
	bool dropped;		/* removed by a named ignore */
};

struct seq {
	struct step *v;
	uint32_t n, cap;
};

/* What we keep of a live request of the capture. */
struct rec {
	uint32_t id;
	struct seq s;
	int32_t new_ref;	/* r= of its NEW, NO_REF if not seen first */
	bool oom;		/* an event could not be kept */
	bool cifsd;
	bool have_io;		/* a netfs_read / netfs_write line */
	bool io_write;
	bool have_isize;
	bool cookie;		/* a read of an inode with an fscache cookie */
	uint64_t start, len, i_size, ino;
};

/*
 * Behaviours of the 7.x generation that changed between 6.18 and 7.2 with
 * no new vocabulary (engine.h NFT_ENGINE_F_*), each decided by markers in
 * the capture (docs/model-replay.md, "Behaviour variants").
 */
enum variant {
	VAR_RA_REFS, VAR_SEQ_DIO_WRITE, VAR_DIO_READ_ADD, VAR_READ_ERR_RETRY,
	VAR__NR
};

static const unsigned int variant_bit[VAR__NR] = {
	[VAR_RA_REFS] = NFT_ENGINE_F_RA_REFS,
	[VAR_SEQ_DIO_WRITE] = NFT_ENGINE_F_SEQ_DIO_WRITE,
	[VAR_DIO_READ_ADD] = NFT_ENGINE_F_DIO_READ_ADD,
	[VAR_READ_ERR_RETRY] = NFT_ENGINE_F_READ_ERR_RETRY,
};

/* Whether 7.2 has the behaviour (the side a "newer" marker points to). */
static const bool variant_in_72[VAR__NR] = {
	[VAR_RA_REFS] = true, [VAR_SEQ_DIO_WRITE] = true,
	[VAR_READ_ERR_RETRY] = true,
};

struct nft_replay {
	struct nft_replay_opts o;
	struct nft_model_hooks user;
	struct nft_model *m;
	struct nft_idmap recs;
	struct nft_replay_stats st;
	/*
	 * Per variant: 0 no evidence yet, 1 the 7.2 side, -1 the 6.16 side;
	 * the first marker decides.  @era is the side of the first marker of
	 * any variant, for variants not seen yet.
	 */
	int8_t var[VAR__NR], era;
	/* The engine run in progress. */
	uint32_t want_id;
	struct seq eng;
	bool eng_oom;
	char scn[1024];
};

static const char *const ignore_names[NFT_REPLAY_IGN__NR] = {
#define NFT_X(e, s) s,
	NFT_REPLAY_IGNORES(NFT_X)
#undef NFT_X
};

const char *nft_replay_ignore_name(int ign)
{
	return ign >= 0 && ign < NFT_REPLAY_IGN__NR ? ignore_names[ign] : "?";
}

static bool compared_kind(enum nft_event_kind k)
{
	return k == NFT_EV_NETFS_RREQ || k == NFT_EV_NETFS_RREQ_REF ||
	       k == NFT_EV_NETFS_SREQ || k == NFT_EV_NETFS_SREQ_REF ||
	       k == NFT_EV_NETFS_FAILURE;
}

static int seq_push(struct seq *q, const struct nft_event *ev)
{
	struct step *st;

	if (q->n == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 32;
		void *v = realloc(q->v, cap * sizeof(*q->v));

		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	st = &q->v[q->n++];
	memset(st, 0, sizeof(*st));
	st->pos = ev->pos;
	st->kind = ev->kind;
	st->what = ev->what;
	st->source = ev->kind == NFT_EV_NETFS_SREQ ||
		     ev->kind == NFT_EV_NETFS_FAILURE ? ev->source : 0;
	st->index = (ev->have & NFT_HAVE_INDEX) ? ev->index : -1;
	st->ref = (ev->have & NFT_HAVE_REF) ? (int32_t)ev->ref : NO_REF;
	st->error = ev->error;
	st->start = ev->start;
	st->len = ev->len;
	st->transferred = ev->transferred;
	st->cifsd = ev->comm && !strncmp(ev->comm, "cifsd", 5);
	return 0;
}

static void rec_free(struct rec *r)
{
	if (r) {
		free(r->s.v);
		free(r);
	}
}

/* ---- recording the capture ---- */

int nft_replay_event(void *ctx, const struct nft_event *ev)
{
	struct nft_replay *rp = ctx;
	bool io = ev->kind == NFT_EV_NETFS_READ || ev->kind == NFT_EV_NETFS_WRITE;
	struct rec *r;

	if ((ev->have & NFT_HAVE_RREQ) && (io || compared_kind(ev->kind))) {
		r = nft_idmap_get(&rp->recs, ev->rreq);
		if (!r) {
			r = calloc(1, sizeof(*r));
			if (r && nft_idmap_put(&rp->recs, ev->rreq, r)) {
				free(r);
				r = NULL;
			}
			if (r) {
				r->id = ev->rreq;
				r->new_ref = ev->kind == NFT_EV_NETFS_RREQ_REF &&
					     ev->what == NFT_RREF_NEW ?
					     (int32_t)ev->ref : NO_REF;
			}
		}
		/* Out of memory: that request is reported as not modelled. */
		if (r && io && !r->have_io) {
			r->have_io = true;
			r->io_write = ev->kind == NFT_EV_NETFS_WRITE;
			r->start = ev->start;
			r->len = ev->len;
			r->ino = ev->ino;
			r->i_size = ev->i_size;
			r->have_isize = ev->have & NFT_HAVE_ISIZE;
			r->cookie = ev->kind == NFT_EV_NETFS_READ &&
				    (ev->have & NFT_HAVE_COOKIE) && ev->cookie;
		}
		if (r && !io) {
			if (seq_push(&r->s, ev))
				r->oom = true;
			if (ev->comm && !strncmp(ev->comm, "cifsd", 5))
				r->cifsd = true;
		}
	}
	nft_model_event(rp->m, ev);
	/*
	 * A line of a request the object bound evicted: the model ignored
	 * it, and nothing would ever release what we recorded of it.
	 */
	if ((ev->have & NFT_HAVE_RREQ) &&
	    nft_model_summary(rp->m)->evicted_requests &&
	    !nft_model_request(rp->m, ev->rreq)) {
		r = nft_idmap_del(&rp->recs, ev->rreq);
		if (r)
			rec_free(r);
	}
	return 0;
}

/* ---- the engine's side ---- */

static int engine_event(void *ctx, const struct nft_event *ev)
{
	struct nft_replay *rp = ctx;

	if (!(ev->have & NFT_HAVE_RREQ) || ev->rreq != rp->want_id ||
	    !compared_kind(ev->kind))
		return 0;
	if (seq_push(&rp->eng, ev))
		rp->eng_oom = true;
	return 0;
}

/*
 * Run the engine on @sc in a child process and read its steps back through
 * a pipe: the engine is a simulation under development, and a crash in it
 * must cost one request's verdict, not the whole replay.  Returns 0, or -1
 * with a reason in @why.
 */
static int run_engine(struct nft_replay *rp, const struct nft_scenario *sc,
		      const struct nft_engine_opts *eo, char *why, size_t whylen)
{
	struct nft_sink sink = { engine_event, rp };
	struct nft_engine_opts o = *eo;
	int fd[2], status;
	pid_t pid;
	ssize_t got;

	rp->eng.n = 0;
	rp->eng_oom = false;
	fflush(NULL);
	if (pipe(fd) || (pid = fork()) < 0) {
		snprintf(why, whylen, "engine: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		struct nft_engine *e;
		const char *p;
		size_t left;
		int rc = 1;

		close(fd[0]);
		o.sink = &sink;
		e = nft_engine_new(sc, &o);
		if (e && !nft_engine_run(e) && !rp->eng_oom)
			rc = 0;
		nft_engine_free(e);	/* the steps are in rp->eng */
		p = (const char *)rp->eng.v;
		left = rp->eng.n * sizeof(*rp->eng.v);
		while (!rc && left) {
			got = write(fd[1], p, left);
			if (got <= 0)
				rc = 1;
			else
				p += got, left -= got;
		}
		_exit(rc);
	}
	close(fd[1]);
	for (;;) {
		struct step st;
		size_t have = 0;

		while (have < sizeof(st)) {
			got = read(fd[0], (char *)&st + have, sizeof(st) - have);
			if (got <= 0)
				break;
			have += got;
		}
		if (have < sizeof(st))
			break;
		if (rp->eng.n == rp->eng.cap) {
			uint32_t cap = rp->eng.cap ? rp->eng.cap * 2 : 64;
			void *v = realloc(rp->eng.v, cap * sizeof(st));

			if (!v) {
				rp->eng_oom = true;
				continue;
			}
			rp->eng.v = v;
			rp->eng.cap = cap;
		}
		rp->eng.v[rp->eng.n++] = st;
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		snprintf(why, whylen, "engine crashed (signal %d: %s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) || rp->eng_oom) {
		snprintf(why, whylen, "engine failed");
		return -1;
	}
	return 0;
}

/* ---- deriving the scenario ---- */

struct sub {
	bool seen;
	int stream;		/* 0 = server, 1 = cache write */
	uint16_t source;	/* last known source */
	uint64_t start, len;	/* first extent */
	uint64_t retry_len;	/* len when reissued, 0 = never */
	int faults;		/* terminations short or with an error */
	int fault;		/* engine fault name index of the first, 0 none */
	int32_t error;
	bool terminated;
	bool donated;		/* 6.12: its extent moved with a donation */
};

static const char *const fault_names[] = {
	"none", "eagain", "eio", "enomem", "enodata", "econnaborted", "short",
	"zero",
};

/* The engine's name for a termination's outcome; -1 if it has none. */
static int fault_of(const struct step *t, uint64_t len)
{
	switch (t->error) {
	case 0:
		break;
	case -EAGAIN:
		return 1;
	case -EIO:
		return 2;
	case -ENOMEM:
		return 3;
	case -ENODATA:
		return 4;
	case -ECONNABORTED:
		return 5;
	default:
		return -1;
	}
	if (t->transferred >= len)
		return 0;
	return t->transferred ? 6 : 7;
}

static const char *op_of(int origin)
{
	switch (origin) {
	case NFT_ORIGIN_RA: return "readahead";
	case NFT_ORIGIN_RP: return "read_folio";
	case NFT_ORIGIN_RW: return "write_begin";
	case NFT_ORIGIN_DR: return "dio_read";
	case NFT_ORIGIN_UR: return "unbuffered_read";
	case NFT_ORIGIN_R1: return "read_single";
	case NFT_ORIGIN_WB: return "writeback";
	case NFT_ORIGIN_WT: return "writethrough";
	case NFT_ORIGIN_DW: return "dio_write";
	case NFT_ORIGIN_UW: return "unbuffered_write";
	case NFT_ORIGIN_C2C: return "copy_to_cache";
	default: return NULL;
	}
}

static int stream_of(uint16_t source)
{
	return source == NFT_SRC_CACHE_WRITE ? 1 : 0;
}

/*
 * Build the one-request scenario in rp->scn.  Returns 0, or -1 with the
 * reason the engine cannot express this request in @why.
 */
static int derive(struct nft_replay *rp, const struct rec *r,
		  const struct nft_request *req, unsigned int *ignored,
		  char *why, size_t whylen)
{
	const char *op = op_of(req->origin);
	struct sub *subs = NULL;
	uint32_t nsub = 0, i;
	uint64_t lo = UINT64_MAX, hi = 0, start, size, slice = 0;
	uint64_t lo1 = UINT64_MAX, hi1 = 0, cache_slice = 0;
	uint64_t zero_at = UINT64_MAX, i_size;
	int faulted = 0, fault_idx = 0, cache_reads = 0, server_reads = 0;
	int cache_subs = 0;
	bool cifs = r->cifsd, cache_writes = false, cache;
	int n;

	if (!op) {
		snprintf(why, whylen, "origin %s has no engine op",
			 req->origin ? nft_sym_name(NFT_SYMC_ORIGIN, req->origin) : "(none)");
		return -1;
	}
	for (i = 0; i < r->s.n; i++) {
		const struct step *t = &r->s.v[i];

		if (t->index >= 0 && (uint32_t)t->index + 1 > nsub)
			nsub = t->index + 1;
	}
	if (nsub > MAX_SUBREQS) {
		snprintf(why, whylen, "%u subrequests", nsub);
		return -1;
	}
	subs = calloc(nsub ? nsub : 1, sizeof(*subs));
	if (!subs) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (i = 0; i < r->s.n; i++) {
		const struct step *t = &r->s.v[i];
		struct sub *s;

		if (t->kind == NFT_EV_NETFS_SREQ &&
		    (t->what == NFT_SREQ_IO_PROGRESS ||
		     t->what == NFT_SREQ_IO_RETRY_NEEDED))
			cifs = true;
		if (t->kind != NFT_EV_NETFS_SREQ || t->index < 0)
			continue;
		s = &subs[t->index];
		if (!s->seen) {
			s->seen = true;
			s->start = t->start;
		}
		if (t->source != NFT_SRC_UNKNOWN_SOURCE && t->source) {
			s->source = t->source;
			s->stream = stream_of(t->source);
		}
		/* 6.12 donations move bytes between neighbours' extents. */
		if (t->what == NFT_SREQ_DONATE_TO_NEXT ||
		    t->what == NFT_SREQ_DONATE_TO_PREV ||
		    t->what == NFT_SREQ_ADD_DONATIONS)
			s->donated = true;
		if (t->what == NFT_SREQ_RETRY && t->len)
			s->retry_len = t->len;
		else if (!s->retry_len && t->len && !s->terminated &&
			 !s->donated)
			/* The last length before it ends: cifs's PREP still
			 * shows the whole rest before rsize clamps it. */
			s->len = t->len;
		/* Reads: SUBMT on a server read is cifs's async issue path. */
		if (t->what == NFT_SREQ_SUBMIT && t->source == NFT_SRC_DOWNLOAD &&
		    !r->io_write && (req->origin == NFT_ORIGIN_RA ||
				     req->origin == NFT_ORIGIN_RP ||
				     req->origin == NFT_ORIGIN_RW))
			cifs = true;
		/*
		 * A server read that prints CLEAR came back short: the fs
		 * had its tail zeroed (CLEAR_TAIL).  6.12 clears before its
		 * TERM, which then shows the whole length; 6.16+ clears in
		 * the collector, after the short TERM that already counted.
		 */
		if (t->what == NFT_SREQ_CLEAR && t->source == NFT_SRC_DOWNLOAD &&
		    !s->terminated && !s->faults++)
			s->fault = 6;
		if (t->what == NFT_SREQ_TERMINATED) {
			int f = fault_of(t, t->len);

			s->terminated = true;
			if (f < 0) {
				snprintf(why, whylen, "R=%08x[%x] error %d has no engine fault",
					 r->id, t->index, t->error);
				goto fail;
			}
			if (f && t->source != NFT_SRC_ZERO) {
				if (!s->faults++)
					s->fault = f;
				s->error = t->error;
			}
		}
		if (t->what == NFT_SREQ_ABANDONED && t->error &&
		    !s->faults) {
			int f = fault_of(t, t->len);

			if (f < 0) {
				snprintf(why, whylen, "R=%08x[%x] error %d has no engine fault",
					 r->id, t->index, t->error);
				goto fail;
			}
			s->faults++;
			s->fault = f;
		}
	}
	for (i = 0; i < nsub; i++) {
		struct sub *s = &subs[i];

		if (!s->seen)
			continue;
		if (s->stream == 1) {
			cache_writes = true;
			if (!cache_subs++)
				cache_slice = s->len;
			lo1 = s->start < lo1 ? s->start : lo1;
			hi1 = s->start + s->len > hi1 ? s->start + s->len : hi1;
			continue;
		}
		if (s->source == NFT_SRC_ZERO && s->start < zero_at)
			zero_at = s->start;
		if (s->source == NFT_SRC_CACHE_READ)
			cache_reads++;
		else if (s->source == NFT_SRC_DOWNLOAD)
			server_reads++;
		if ((s->source == NFT_SRC_DOWNLOAD || s->source == NFT_SRC_UPLOAD) &&
		    !slice)
			slice = s->len;
		if (s->start < lo)
			lo = s->start;
		if (s->start + s->len > hi)
			hi = s->start + s->len;
		if (s->faults) {
			if (faulted++) {
				snprintf(why, whylen, "faults on %d subrequests (the engine scripts one)",
					 faulted);
				goto fail;
			}
			fault_idx = i;
		}
	}
	if (cache_reads && server_reads) {
		snprintf(why, whylen, "mixed cache and server reads");
		goto fail;
	}
	/*
	 * Writeback of folios that only go to the cache (read data copied
	 * there) has no upload stream: the engine's copy_to_cache op is that
	 * request (origins are not compared).
	 */
	if (lo >= hi && cache_subs && req->origin == NFT_ORIGIN_WB) {
		op = op_of(NFT_ORIGIN_C2C);
		lo = lo1;
		hi = hi1;
	}
	start = r->start;
	size = r->len;
	/*
	 * Writeback of a whole file prints by=0-ffffffffffffffff, and a DIO
	 * write is traced before its length is set (by=100000-fffff).
	 */
	if (!r->have_io || (r->io_write && (!size || size > (1ull << 62)))) {
		if (lo >= hi) {
			snprintf(why, whylen, "no range (no netfs_read/netfs_write, no subrequests)");
			goto fail;
		}
		start = lo;
		size = hi - lo;
	}
	if (!size) {
		snprintf(why, whylen, "empty range");
		goto fail;
	}
	/*
	 * The engine reads ZERO from i_size on; the kernel from its zero_point
	 * (what the server is known to hold), which it never prints.  The
	 * first ZERO subrequest shows where it was.
	 */
	i_size = r->have_isize ? r->i_size :
		 start + size > 0x4000000 ? start + size : 0x4000000;
	if (zero_at < i_size) {
		i_size = zero_at;
		*ignored |= 1u << NFT_REPLAY_IGN_ZERO_POINT;
	}
	/*
	 * A read whose netfs_read names a cookie (c= not 0) runs with the
	 * cache's prepare_read and copy-to-cache even when every slice came
	 * from the server.
	 */
	cache = cache_writes || cache_reads || r->cookie;
	/*
	 * A cache write covers BIO_MAX_VECS folios, 1 MiB of order-0 ones
	 * (the engine's default); large folios make it longer.  The first
	 * of several shows it, a single one only if it is longer.
	 */
	if (cache_subs < 2 && cache_slice < DEFAULT_CACHE_WSIZE)
		cache_slice = DEFAULT_CACHE_WSIZE;
	n = snprintf(rp->scn, sizeof(rp->scn),
		     "server %s\nfirst_id 0x%x\nino 0x%llx\ni_size 0x%llx\n"
		     "%s 0x%llx\n%s%scache_wsize 0x%llx\n"
		     "[op]\ntype %s\noffset 0x%llx\nsize 0x%llx\n",
		     cifs ? "cifs" : "9p", r->id, (unsigned long long)r->ino,
		     (unsigned long long)i_size,
		     r->io_write || req->is_write ? "wsize" : "rsize",
		     (unsigned long long)(slice ? slice : 0x100000),
		     cache ? "cache 1\n" : "",
		     cache_reads ? "cache_hit 1\n" : "",
		     (unsigned long long)cache_slice,
		     op, (unsigned long long)start, (unsigned long long)size);
	if (faulted && n > 0 && (size_t)n < sizeof(rp->scn)) {
		struct sub *s = &subs[fault_idx];

		n += snprintf(rp->scn + n, sizeof(rp->scn) - n,
			      "fault %s\nfault_subreq %d\nfault_times %d\n",
			      fault_names[s->fault], fault_idx, s->faults);
		if (s->retry_len && s->retry_len < s->len && (size_t)n < sizeof(rp->scn))
			n += snprintf(rp->scn + n, sizeof(rp->scn) - n,
				      "retry_max_len 0x%llx\n",
				      (unsigned long long)s->retry_len);
	}
	free(subs);
	if (n < 0 || (size_t)n >= sizeof(rp->scn)) {
		snprintf(why, whylen, "scenario too long");
		return -1;
	}
	return 0;
fail:
	free(subs);
	return -1;
}

/* ---- comparing ---- */

static void step_str(char *buf, size_t sz, const struct step *t)
{
	switch (t ? t->kind : NFT_EV_NONE) {
	case NFT_EV_NETFS_RREQ:
		snprintf(buf, sz, "rreq %s", nft_sym_name(NFT_SYMC_RREQ_TRACE, t->what));
		break;
	case NFT_EV_NETFS_RREQ_REF:
		snprintf(buf, sz, "rreq_ref %s r=%d",
			 nft_sym_name(NFT_SYMC_RREQ_REF, t->what), t->ref);
		break;
	case NFT_EV_NETFS_SREQ:
		snprintf(buf, sz, "sreq %s %s",
			 nft_sym_name(NFT_SYMC_SOURCE, t->source),
			 nft_sym_name(NFT_SYMC_SREQ_TRACE, t->what));
		break;
	case NFT_EV_NETFS_SREQ_REF:
		snprintf(buf, sz, "sreq_ref %s r=%d",
			 nft_sym_name(NFT_SYMC_SREQ_REF, t->what), t->ref);
		break;
	case NFT_EV_NETFS_FAILURE:
		snprintf(buf, sz, "failure %s %s e=%d",
			 nft_sym_name(NFT_SYMC_FAILURE, t->what),
			 nft_sym_name(NFT_SYMC_SOURCE, t->source), t->error);
		break;
	default:
		snprintf(buf, sz, "(end)");
		break;
	}
}

static bool step_eq(const struct step *a, const struct step *b)
{
	return a->kind == b->kind && a->what == b->what &&
	       a->source == b->source && a->ref == b->ref;
}

/* Order of an object's steps: by object, then as emitted. */
struct ord {
	int32_t index;
	uint32_t i;
};

static int ord_cmp(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static struct ord *order(const struct seq *q, uint32_t *n)
{
	struct ord *o = malloc((q->n ? q->n : 1) * sizeof(*o));
	uint32_t i;

	*n = 0;
	if (!o)
		return NULL;
	for (i = 0; i < q->n; i++)
		if (!q->v[i].dropped)
			o[(*n)++] = (struct ord){ q->v[i].index, i };
	qsort(o, *n, sizeof(*o), ord_cmp);
	return o;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* How far request_relaxed_eq() relaxes the request's own sequence. */
enum relax {
	RELAX_RUNS = 1 << 0,	/* collector-runs */
	RELAX_RA_WAIT = 1 << 1,	/* ra-refs-wait */
};

/*
 * collector-runs: how many times the collector ran is how the completions
 * happened to batch, so its run markers (rreq COLLECT, SEE WORK, SEE WORK
 * CP, 6.12's GET WORK / PUT WORK / PUT WORK NQ pairs, and the WAKE-Q that
 * calls an app thread that collects itself) are left out.
 */
static bool run_marker(const struct step *t)
{
	if (t->kind == NFT_EV_NETFS_RREQ)
		return t->what == NFT_RREQ_COLLECT || t->what == NFT_RREQ_WAKE_QUEUE;
	return t->kind == NFT_EV_NETFS_RREQ_REF &&
	       (t->what == NFT_RREF_SEE_WORK || t->what == NFT_RREF_SEE_WORK_COMPLETE ||
		t->what == NFT_RREF_GET_WORK || t->what == NFT_RREF_PUT_WORK ||
		t->what == NFT_RREF_PUT_WORK_NQ);
}

/*
 * ra-refs-wait: a readahead's collector that runs before the issuing
 * thread dropped the readahead refs waits for it (WAIT-P-RA, DONE-P-RA).
 * How often it traced WAIT-P-RA, and where the issuer's RA-PUT and PUT
 * RETURN fall among the collector's lines, is which CPU got there first:
 * the waits are dropped and RA-PUT joins the unordered refs.
 */
static bool ra_wait_step(const struct step *t)
{
	return t->kind == NFT_EV_NETFS_RREQ &&
	       (t->what == NFT_RREQ_WAIT_PREV_RA ||
		t->what == NFT_RREQ_WAITED_PREV_RA);
}

/* Is @t one of the request's steps compared as a multiset? */
static bool unordered(const struct step *t, unsigned int relax)
{
	return t->kind == NFT_EV_NETFS_RREQ_REF ||
	       ((relax & RELAX_RA_WAIT) && t->kind == NFT_EV_NETFS_RREQ &&
		t->what == NFT_RREQ_RA_PUT);
}

static bool dropped_by(const struct step *t, unsigned int relax)
{
	return ((relax & RELAX_RUNS) && run_marker(t)) ||
	       ((relax & RELAX_RA_WAIT) && ra_wait_step(t));
}

/*
 * request-ref-order: the request's own state events (netfs_rreq, and
 * netfs_failure without a subrequest) in order, its ref gets and puts as a
 * multiset of reasons.  Which of the issuing thread, the collector work
 * and a subrequest's free takes or drops its ref first is decided by the
 * scheduler, and every printed count after the first swap differs with it.
 */
static bool request_relaxed_eq(const struct seq *k, const struct ord *ok,
			       uint32_t na, const struct seq *e,
			       const struct ord *oe, uint32_t nb,
			       unsigned int relax)
{
	uint32_t *rk = malloc((na + 1) * sizeof(*rk));
	uint32_t *re = malloc((nb + 1) * sizeof(*re));
	uint32_t i, j, nrk = 0, nre = 0;
	bool eq = rk && re;

	for (i = 0, j = 0; eq; i++, j++) {
		for (; i < na; i++) {
			const struct step *t = &k->v[ok[i].i];

			if (dropped_by(t, relax))
				continue;
			if (!unordered(t, relax))
				break;
			rk[nrk++] = (uint32_t)t->kind << 16 | t->what;
		}
		for (; j < nb; j++) {
			const struct step *t = &e->v[oe[j].i];

			if (dropped_by(t, relax))
				continue;
			if (!unordered(t, relax))
				break;
			re[nre++] = (uint32_t)t->kind << 16 | t->what;
		}
		if (i >= na || j >= nb) {
			eq = i >= na && j >= nb;
			break;
		}
		eq = step_eq(&k->v[ok[i].i], &e->v[oe[j].i]);
	}
	if (eq && nrk == nre) {
		qsort(rk, nrk, sizeof(*rk), u32_cmp);
		qsort(re, nre, sizeof(*re), u32_cmp);
		eq = !memcmp(rk, re, nrk * sizeof(*rk));
	} else {
		eq = false;
	}
	free(rk);
	free(re);
	return eq;
}

/* The request-level exceptions, mildest first; the ones needed, or 0. */
static unsigned int request_exceptions(const struct seq *k, const struct ord *ok,
				       uint32_t na, const struct seq *e,
				       const struct ord *oe, uint32_t nb)
{
	unsigned int relax, ra_wait = 0, base = 1u << NFT_REPLAY_IGN_REQ_REF_ORDER;
	uint32_t i;

	/* Only a request whose collector did wait for the refs. */
	for (i = 0; i < na; i++)
		if (ra_wait_step(&k->v[ok[i].i]))
			ra_wait = RELAX_RA_WAIT;
	for (relax = 0; relax <= (RELAX_RUNS | ra_wait); relax++) {
		if ((relax & RELAX_RA_WAIT) != (relax & ra_wait) ||
		    !request_relaxed_eq(k, ok, na, e, oe, nb, relax))
			continue;
		return base | (relax & RELAX_RUNS ? 1u << NFT_REPLAY_IGN_COLLECTOR_RUNS : 0) |
		       (relax & RELAX_RA_WAIT ? 1u << NFT_REPLAY_IGN_RA_REFS_WAIT : 0);
	}
	return 0;
}

static bool is_free(const struct step *t)
{
	return t->kind == NFT_EV_NETFS_SREQ && t->what == NFT_SREQ_FREE;
}

static bool is_term(const struct step *t)
{
	return t->kind == NFT_EV_NETFS_SREQ && t->what == NFT_SREQ_TERMINATED;
}

static bool is_put_term(const struct step *t)
{
	return t->kind == NFT_EV_NETFS_SREQ_REF &&
	       t->what == NFT_SREF_PUT_TERMINATED;
}

static bool is_other_ref(const struct step *t)
{
	return t->kind == NFT_EV_NETFS_SREQ_REF && !is_put_term(t);
}

/* Position of the last step @match accepts, or @n. */
static uint32_t last_of(const struct seq *q, const struct ord *o, uint32_t n,
			bool (*match)(const struct step *))
{
	uint32_t i;

	for (i = n; i-- > 0;)
		if (match(&q->v[o[i].i]))
			return i;
	return n;
}

/*
 * term-put-race: a subrequest's termination clears IN_PROGRESS and wakes
 * the collector before it drops its own ref (PUT TERM).  The collector on
 * another CPU may consume the subrequest and drop the list's ref first,
 * and the two CPUs' lines reach the buffer in either order.  So the last
 * PUT TERM may come anywhere after the last TERM, it and the last other
 * put print 1 and 0 either way round, and FREE follows the one that
 * printed 0; every other step is compared in order, as usual.
 */
static bool term_put_race_eq(const struct seq *k, const struct ord *ok,
			     uint32_t na, const struct seq *e,
			     const struct ord *oe, uint32_t nb)
{
	uint32_t kt = last_of(k, ok, na, is_put_term);
	uint32_t et = last_of(e, oe, nb, is_put_term);
	uint32_t kp = last_of(k, ok, na, is_other_ref);
	uint32_t ep = last_of(e, oe, nb, is_other_ref);
	uint32_t kf = last_of(k, ok, na, is_free), i, j;
	const struct step *ks, *es;

	if (kt == na || et == nb || kp == na || ep == nb || kf == na ||
	    kp < last_of(k, ok, na, is_term) || ep < et)
		return false;
	/* Everything but the PUT TERMs and FREEs, in order. */
	for (i = 0, j = 0;; i++, j++) {
		while (i < na && (i == kt || is_free(&k->v[ok[i].i])))
			i++;
		while (j < nb && (j == et || is_free(&e->v[oe[j].i])))
			j++;
		if (i >= na || j >= nb)
			break;
		ks = &k->v[ok[i].i];
		es = &e->v[oe[j].i];
		if (ks->kind != es->kind || ks->what != es->what ||
		    ks->source != es->source || (ks->ref != es->ref && i != kp) ||
		    (i == kp) != (j == ep))
			return false;
	}
	if (i < na || j < nb)
		return false;
	ks = &k->v[ok[kt].i];
	es = &e->v[oe[et].i];
	/* The two last puts share 1 and 0; FREE comes after the 0. */
	if (e->v[oe[ep].i].ref + es->ref != 1 || k->v[ok[kp].i].ref + ks->ref != 1 ||
	    (ks->ref != 0 && ks->ref != 1))
		return false;
	return kt > last_of(k, ok, na, is_term) &&
	       kf > (ks->ref == 0 ? kt : kp);
}

/*
 * Compare object by object; of the objects that differ, report the one
 * whose departure comes first in the capture.  Returns 1 if they differ.
 */
static int compare(const struct seq *k, const struct seq *e, bool strict,
		   struct nft_replay_result *res, int *oom)
{
	uint32_t nk, ne, a = 0, b = 0;
	struct ord *ok = order(k, &nk), *oe = order(e, &ne);
	uint64_t best = UINT64_MAX;
	int found = 0;

	if (!ok || !oe) {
		*oom = 1;
		free(ok);
		free(oe);
		return 0;
	}
	while (a < nk || b < ne) {
		int32_t obj = a < nk && (b >= ne || ok[a].index <= oe[b].index) ?
			      ok[a].index : oe[b].index;
		uint32_t a_end = a, b_end = b, pos;
		const struct step *ks = NULL, *es = NULL, *last = NULL;
		uint64_t line;

		while (a_end < nk && ok[a_end].index == obj)
			a_end++;
		while (b_end < ne && oe[b_end].index == obj)
			b_end++;
		for (pos = 0;; pos++) {
			ks = a + pos < a_end ? &k->v[ok[a + pos].i] : NULL;
			es = b + pos < b_end ? &e->v[oe[b + pos].i] : NULL;
			if (!ks || !es || !step_eq(ks, es))
				break;
			last = ks;
		}
		if ((ks || es) && !strict) {
			unsigned int ign = 0;

			if (obj < 0)
				ign = request_exceptions(k, ok + a, a_end - a, e,
							 oe + b, b_end - b);
			else if (term_put_race_eq(k, ok + a, a_end - a, e,
						  oe + b, b_end - b))
				ign = 1u << NFT_REPLAY_IGN_TERM_PUT_RACE;
			if (ign) {
				res->ignored |= ign;
				ks = es = NULL;
			}
		}
		if (ks || es) {
			/* The first difference of this object. */
			line = ks ? ks->pos : last ? last->pos :
			       k->n ? k->v[k->n - 1].pos : 0;
			if (line < best) {
				best = line;
				found = 1;
				res->line = line;
				res->position = pos;
				step_str(res->kernel, sizeof(res->kernel), ks);
				step_str(res->model, sizeof(res->model), es);
				snprintf(res->object, sizeof(res->object),
					 obj < 0 ? "R=%08x" : "R=%08x[%x]",
					 res->rreq, obj);
			}
		}
		a = a_end;
		b = b_end;
	}
	free(ok);
	free(oe);
	return found;
}

/* ---- per request ---- */

static void deliver(struct nft_replay *rp, struct nft_replay_result *res)
{
	int i;

	rp->st.requests++;
	switch (res->verdict) {
	case NFT_REPLAY_MATCH:
		rp->st.match++;
		break;
	case NFT_REPLAY_DEPART:
		rp->st.depart++;
		break;
	default:
		rp->st.not_modelled++;
		break;
	}
	for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
		if (res->ignored & (1u << i))
			rp->st.ignored[i]++;
	if (rp->o.result)
		rp->o.result(rp->o.ctx, res);
}

/* ---- behaviour variants ---- */

static void mark(struct nft_replay *rp, enum variant v, bool newer)
{
	if (!rp->var[v])
		rp->var[v] = newer ? 1 : -1;
	if (!rp->era)
		rp->era = newer ? 1 : -1;
}

/*
 * Learn from one released request of a 7.x capture, before it is compared
 * (its own markers count).  Markers, in the kernels seen so far (6.16,
 * 6.18 the old side, 7.2, 7.3 the new one):
 *  - RA-PUT, WAIT-P-RA or DONE-P-RA anywhere: readahead drops its refs in
 *    bulk; a readahead that issued a slice and returned (PUT RETURN)
 *    without RA-PUT: it does not;
 *  - a DIO/unbuffered write that prints DONE-QUIESCE: the sequential
 *    writer; one whose app thread runs the collector (COLLECT): not;
 *  - the first line of a DIO/unbuffered read's first slice: ADD on the
 *    old side, PREP (or anything else) on the new one;
 *  - a server read slice cifs marked for retry (I-RTR) that the kernel
 *    then reissues (RETRY): errors the fs wants retried are; one that
 *    fails instead (netfs_failure read): they are not.  Only a fault
 *    shows this one: the other markers decide it until then.
 */
static void learn(struct nft_replay *rp, const struct rec *r, int origin)
{
	bool ra = origin == NFT_ORIGIN_RA, dio_w = false, dio_r = false;
	bool ra_put = false, issued = false, first_slice = true;
	int32_t rtr = -1;	/* the read slice cifs last marked I-RTR */
	uint32_t i;

	dio_w = origin == NFT_ORIGIN_DW || origin == NFT_ORIGIN_UW;
	dio_r = origin == NFT_ORIGIN_DR || origin == NFT_ORIGIN_UR;
	for (i = 0; i < r->s.n; i++) {
		const struct step *t = &r->s.v[i];

		if (t->kind == NFT_EV_NETFS_RREQ) {
			if (t->what == NFT_RREQ_RA_PUT ||
			    t->what == NFT_RREQ_WAIT_PREV_RA ||
			    t->what == NFT_RREQ_WAITED_PREV_RA) {
				mark(rp, VAR_RA_REFS, true);
				ra_put = true;
			}
			if (dio_w && t->what == NFT_RREQ_WAITED_QUIESCE)
				mark(rp, VAR_SEQ_DIO_WRITE, true);
			if (dio_w && t->what == NFT_RREQ_COLLECT)
				mark(rp, VAR_SEQ_DIO_WRITE, false);
		} else if (t->kind == NFT_EV_NETFS_RREQ_REF) {
			if (t->what == NFT_RREF_GET_SUBREQ)
				issued = true;
			if (ra && issued && !ra_put && t->what == NFT_RREF_PUT_RETURN)
				mark(rp, VAR_RA_REFS, false);
		} else if (t->kind == NFT_EV_NETFS_FAILURE) {
			if (t->index == rtr && t->what == NFT_FAIL_READ)
				mark(rp, VAR_READ_ERR_RETRY, false);
			rtr = -1;
		} else if (t->kind == NFT_EV_NETFS_SREQ) {
			if (t->what == NFT_SREQ_IO_RETRY_NEEDED &&
			    t->source == NFT_SRC_DOWNLOAD && !r->io_write)
				rtr = t->index;
			else if (t->what == NFT_SREQ_RETRY && t->index == rtr)
				mark(rp, VAR_READ_ERR_RETRY, true);
			if (dio_r && first_slice) {
				/* The first line of the first slice. */
				first_slice = false;
				mark(rp, VAR_DIO_READ_ADD, t->what != NFT_SREQ_ADDED);
			}
		}
	}
}

/* The engine features for a 7.x request: markers, else the era, else 7.2. */
static unsigned int features(const struct nft_replay *rp)
{
	unsigned int f = NFT_ENGINE_F_EXPLICIT;
	int v, side;

	for (v = 0; v < VAR__NR; v++) {
		side = rp->var[v] ? rp->var[v] : rp->era ? rp->era : 1;
		if ((side > 0) == variant_in_72[v])
			f |= variant_bit[v];
	}
	return f;
}

static enum nft_gen gen_of(struct nft_replay *rp, const struct rec *r)
{
	enum nft_gen g = nft_model_summary(rp->m)->gen;

	if (g != NFT_GEN_AUTO)
		return g;
	/* Not decided yet: 7.x is born with two refs, 6.12 with one. */
	return r->new_ref == nft_gen_profile(NFT_GEN_7)->rreq_new_ref ?
	       NFT_GEN_7 : NFT_GEN_6_12;
}

static void replay_one(struct nft_replay *rp, struct rec *r,
		       const struct nft_request *req)
{
	struct nft_replay_result res;
	struct nft_scenario *sc;
	struct nft_engine_opts eo = { 0 };
	char err[96];
	enum nft_gen g;
	int oom = 0;

	memset(&res, 0, sizeof(res));
	res.rreq = req->id;
	res.origin = req->origin;
	res.verdict = NFT_REPLAY_NOT_MODELLED;
	if (!r) {
		snprintf(res.why, sizeof(res.why), "no request events recorded");
		goto out;
	}
	if (req->evicted) {
		snprintf(res.why, sizeof(res.why), "evicted by the object bound");
		goto out;
	}
	g = gen_of(rp, r);
	if (g == NFT_GEN_7)
		learn(rp, r, req->origin);
	if (g == NFT_GEN_6_1) {
		snprintf(res.why, sizeof(res.why), "6.1");
		goto out;
	}
	/* The engine speaks 6.12 and 7.2 only: not 6.14's read collector. */
	if (g == NFT_GEN_6_14) {
		snprintf(res.why, sizeof(res.why), "6.14-6.15");
		goto out;
	}
	if (r->oom) {
		snprintf(res.why, sizeof(res.why), "out of memory while recording");
		goto out;
	}
	if (r->new_ref == NO_REF) {
		snprintf(res.why, sizeof(res.why), "the capture starts inside the request");
		goto out;
	}
	if (req->uncertain) {
		snprintf(res.why, sizeof(res.why), "events were lost while it was alive");
		goto out;
	}
	if (req->state != NFT_REQ_FREED) {
		snprintf(res.why, sizeof(res.why), "not freed when the capture ends");
		goto out;
	}
	if (derive(rp, r, req, &res.ignored, res.why, sizeof(res.why)))
		goto out;
	res.scenario = rp->scn;
	sc = nft_scenario_parse(rp->scn, "replay", err, sizeof(err));
	if (!sc) {
		snprintf(res.why, sizeof(res.why), "scenario: %.80s", err);
		goto out;
	}
	eo.seed = rp->o.seed ? rp->o.seed : 1;
	eo.dialect = g == NFT_GEN_7 ? NFT_ENGINE_7_2 : NFT_ENGINE_6_12;
	if (g == NFT_GEN_7)
		eo.features = res.features = features(rp);
	eo.inject = -1;
	rp->want_id = req->id;
	if (run_engine(rp, sc, &eo, res.why, sizeof(res.why))) {
		nft_scenario_free(sc);
		goto out;
	}
	nft_scenario_free(sc);
	res.verdict = compare(&r->s, &rp->eng, rp->o.strict, &res, &oom) ?
		      NFT_REPLAY_DEPART : NFT_REPLAY_MATCH;
	if (oom) {
		res.verdict = NFT_REPLAY_NOT_MODELLED;
		snprintf(res.why, sizeof(res.why), "out of memory comparing");
	}
out:
	deliver(rp, &res);
}

static void request_end(void *ctx, const struct nft_request *req)
{
	struct nft_replay *rp = ctx;
	struct rec *r = nft_idmap_del(&rp->recs, req->id);

	replay_one(rp, r, req);
	rec_free(r);
	if (rp->user.request_end)
		rp->user.request_end(rp->user.ctx, req);
}

static void hook_finding(void *ctx, const struct nft_finding *f)
{
	struct nft_replay *rp = ctx;

	if (rp->user.finding)
		rp->user.finding(rp->user.ctx, f);
}

static void hook_unknown(void *ctx, const struct nft_unknown *u)
{
	struct nft_replay *rp = ctx;

	if (rp->user.unknown)
		rp->user.unknown(rp->user.ctx, u);
}

/* ---- object ---- */

struct nft_replay *nft_replay_new(const struct nft_replay_opts *opts)
{
	struct nft_replay *rp = calloc(1, sizeof(*rp));
	struct nft_model_opts mo;

	if (!rp)
		return NULL;
	if (opts)
		rp->o = *opts;
	rp->user = rp->o.model.hooks;
	mo = rp->o.model;
	mo.hooks.finding = hook_finding;
	mo.hooks.request_end = request_end;
	mo.hooks.unknown = hook_unknown;
	mo.hooks.ctx = rp;
	if (nft_idmap_init(&rp->recs, 64)) {
		free(rp);
		return NULL;
	}
	rp->m = nft_model_new(&mo);
	if (!rp->m) {
		nft_idmap_release(&rp->recs);
		free(rp);
		errno = ENOMEM;
		return NULL;
	}
	return rp;
}

struct nft_model *nft_replay_model(struct nft_replay *rp)
{
	return rp->m;
}

void nft_replay_finish(struct nft_replay *rp)
{
	nft_model_finish(rp->m);
}

const struct nft_replay_stats *nft_replay_stats(const struct nft_replay *rp)
{
	return &rp->st;
}

void nft_replay_free(struct nft_replay *rp)
{
	size_t i;

	if (!rp)
		return;
	nft_model_free(rp->m);
	for (i = 0; i < rp->recs.cap; i++)
		if (rp->recs.vals[i])
			rec_free(rp->recs.vals[i]);
	nft_idmap_release(&rp->recs);
	free(rp->eng.v);
	free(rp);
}
