// SPDX-License-Identifier: GPL-2.0
/*
 * The Perfetto export (perfetto.h, docs/perfetto.md): model hooks that write
 * TrackEvent TracePackets while the capture is read.
 *
 * Field numbers are those of google/perfetto's protos/perfetto/trace/
 * trace_packet.proto, track_event/{track_event,track_descriptor,
 * counter_descriptor,debug_annotation,thread_descriptor}.proto and
 * interned_data/interned_data.proto (@ec5d16b); the subset written is
 * tests/perfetto/perfetto_trace.proto, which the tests decode with protoc.
 *
 * Where each packet goes:
 *  - a request's packets wait in its own buffer (struct preq) until the
 *    request ends: then its origin, range, flags and whether a finding names
 *    it are known, which decide its track's name, its parent (the origin's
 *    group) and whether it merges with its siblings; its track descriptors,
 *    its life slice's begin and the buffered events then go out.  A request
 *    whose buffer outgrows PREQ_MAX_BUF goes out at once and streams from
 *    then on (memory stays bounded however long one request lives);
 *  - everything else (fscache objects, threads, counters, findings) streams.
 * Perfetto sorts the packets by time on load, so the file order need not be.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../gen.h"
#include "../idmap.h"
#include "../model_internal.h"
#include "../util.h"
#include "pb.h"
#include "perfetto.h"

/* TracePacket (trace_packet.proto) */
#define TP_TIMESTAMP 8
#define TP_SEQ_ID 10
#define TP_TRACK_EVENT 11
#define TP_INTERNED 12
#define TP_SEQ_FLAGS 13
#define TP_TRACK_DESC 60
#define TP_FIRST_ON_SEQ 87
#define SEQ_INCREMENTAL_STATE_CLEARED 1
#define SEQ_NEEDS_INCREMENTAL_STATE 2
/* InternedData (interned_data.proto); EventName, DebugAnnotationName */
#define ID_EVENT_NAMES 2
#define ID_DA_NAMES 3
#define IN_IID 1
#define IN_NAME 2
/* TrackEvent (track_event.proto) */
#define TE_DEBUG 4
#define TE_TYPE 9
#define TE_NAME_IID 10
#define TE_TRACK 11
#define TE_NAME 23
#define TE_COUNTER 30
#define TE_FLOW 47
#define TE_TFLOW 48
#define TE_CORRELATION 52
#define TYPE_SLICE_BEGIN 1
#define TYPE_SLICE_END 2
#define TYPE_INSTANT 3
#define TYPE_COUNTER 4
/* DebugAnnotation (debug_annotation.proto) */
#define DA_NAME_IID 1
#define DA_BOOL 2
#define DA_UINT 3
#define DA_INT 4
#define DA_STRING 6
/* TrackDescriptor (track_descriptor.proto) */
#define TD_UUID 1
#define TD_NAME 2
#define TD_THREAD 4
#define TD_PARENT 5
#define TD_COUNTER 8
#define TD_CHILD_ORDERING 11
#define TD_RANK 12
#define TD_DESCRIPTION 14
#define TD_MERGE 15
#define TD_MERGE_KEY 16
#define ORDER_LEXICOGRAPHIC 1
#define ORDER_CHRONOLOGICAL 2
#define ORDER_EXPLICIT 3
#define MERGE_NONE 2
#define MERGE_BY_KEY 3
/* ThreadDescriptor, CounterDescriptor */
#define THD_PID 1
#define THD_TID 2
#define THD_NAME 5
#define CD_UNIT 3
#define CD_UNIT_NAME 6
#define UNIT_COUNT 2
#define UNIT_SIZE_BYTES 3

/* Interned debug annotation names (iid = index + 1). */
#define DA_NAMES(X)                                                           \
	X(ORIGIN, "origin") X(INODE, "inode") X(START, "start")               \
	X(LEN, "len") X(FLAGS, "flags") X(ERROR, "error")                     \
	X(COOKIE, "cookie") X(STATE, "state") X(SUBREQS, "subrequests")       \
	X(RETRIES, "retries") X(FAILURES, "failures") X(LINE, "line")         \
	X(TRANSFERRED, "transferred") X(SOURCE, "source")                     \
	X(MESSAGE, "message") X(EVIDENCE, "evidence lines")                   \
	X(SEVERITY, "severity") X(OBJECT, "object") X(KIND, "kind")           \
	X(COMM, "comm") X(PID, "pid") X(UNCERTAIN, "uncertain")               \
	X(ISIZE, "i_size") X(REF, "ref") X(TIME, "time")
enum {
#define X(e, s) DA_##e,
	DA_NAMES(X)
#undef X
	DA__NR
};
static const char *const da_names[] = {
#define X(e, s) s,
	DA_NAMES(X)
#undef X
};

/* Interned event names of instants and fixed slices. */
#define EV_NAMES(X)                                                           \
	X(WAIT, "wait for collection") X(IN_FLIGHT, "in flight at end")       \
	X(COLLECTED, "collected") X(RETRY, "RETRY") X(SHORT, "SHORT")         \
	X(FAIL, "FAIL") X(NEED_RETRY, "ND-RT") X(PARTIAL, "PARTR")            \
	X(IO_RETRY, "I-RTR") X(PREP_FAILED, "PRPFL")                          \
	X(REPREP_FAILED, "REPFL") X(FAILURE, "netfs_failure")                 \
	X(LOST, "lost events") X(LIFE, "life")
enum {
#define X(e, s) EVN_##e,
	EV_NAMES(X)
#undef X
	EVN__NR
};
static const char *const ev_names[] = {
#define X(e, s) s,
	EV_NAMES(X)
#undef X
};

/* Track uuid kinds (bits 52-55); bits 56-63 are the capture's index + 1. */
enum {
	K_FIXED, K_ORIGIN, K_REQ, K_REF, K_SREQ, K_FINDING, K_THREAD,
	K_FSOBJ, K_FSCTR, K_FSLANE,
};
enum {
	FX_ROOT = 1, FX_FINDINGS, FX_REQUESTS, FX_FSCACHE, FX_INFLIGHT,
	FX_EVIDENCE,
	FX_BYTES,	/* + enum bytes_kind */
};

enum bytes_kind {
	B_READ_SERVER, B_READ_CACHE, B_ZERO, B_WRITE_SERVER, B_WRITE_CACHE,
	B__NR
};
static const char *const bytes_names[B__NR] = {
	"read from server B/s", "read from cache B/s", "zero-filled B/s",
	"written to server B/s", "written to cache B/s",
};
/* The bytes/s counters' window. */
#define BYTES_WINDOW_NS 10000000ull

/* Synthetic time of a capture without timestamps: 1 µs a line. */
#define LINE_NS 1000ull

/* A request that outgrows this streams from then on. */
#define PREQ_MAX_BUF (1u << 20)
/* Subrequest indices kept per request (higher ones: no track). */
#define MAX_SREQ_INDEX 4096
/* Distinct threads given a track. */
#define MAX_THREADS 4096
/* fscache/cachefiles objects followed at once. */
#define MAX_FSOBJS 65536
/* Evidence lines of one finding joined by flows. */
#define MAX_FLOWS 64
/* Access lanes per fscache object. */
#define FS_LANES 8
/* Ended requests remembered (id -> track) for late findings. */
#define RECENT 4096

struct psreq {
	bool present;
	uint8_t open;		/* 1: an issue slice, 2: the wait slice */
	int8_t stream;
	uint16_t source;
	uint32_t cycles;
	uint64_t transferred;
	uint64_t t_alloc;	/* the request's GET SUBREQ for it, 0 unknown */
	bool touched;		/* something was written on its track */
};

struct rec_pos {
	uint64_t pos;
	uint32_t off;
};

struct rec_flow {
	uint32_t off;
	uint64_t flow;
};

/* A live request: its track and buffered packets. */
struct preq {
	uint32_t id;
	uint64_t n;		/* its number in the export: the track uuid */
	uint64_t t_begin, t_last;
	bool finding, streaming, has_ref;
	uint8_t *buf;		/* records: struct rec_hdr + TrackEvent bytes */
	size_t len, cap;
	struct rec_pos *rp;	/* first slice/instant record of each line */
	size_t nrp, caprp;
	struct rec_flow *fl;	/* evidence flows to add when written */
	size_t nfl, capfl;
	struct psreq *s;	/* by debug index */
	size_t caps;
	/*
	 * Times of the request's GET SUBREQ lines not yet matched to a new
	 * subrequest: netfs_alloc_subrequest() takes that ref as it makes one
	 * (fs/netfs/objects.c), so the n-th unmatched GET SUBREQ is when the
	 * next new subrequest was made -- its issue slice begins there when
	 * the kernel traces no PREP/SUBMT for it (7.x reads).
	 */
	uint64_t sub_t[16];
	uint8_t sub_head, sub_n;
};

struct rec_hdr {
	uint64_t ts;
	uint32_t len;
};

struct pfs {
	uint8_t type;
	uint32_t id;
	uint64_t serial;	/* its tracks' uuids: one per incarnation */
	bool declared, open;
	uint8_t ctr_declared;	/* bit per counter */
	uint8_t lane_declared;
	struct {
		bool open;
		char kind[16];
		uint64_t seq;
	} lane[FS_LANES];
};

enum { FSC_REF, FSC_ACTIVE, FSC_ACCESSES, FSC__NR };
static const char *const fsc_names[FSC__NR] = { "ref", "n_active", "n_accesses" };

struct nft_perfetto {
	struct nft_perfetto_opts o;
	struct nft_model_hooks prev;
	int fd;
	bool close_fd;
	int err;
	struct nft_pb out;	/* whole packets, written out in chunks */
	struct nft_pb te;	/* the TrackEvent being built */
	uint32_t seq;
	bool started, synthetic;
	uint64_t now;		/* the stream's time: never goes back */
	unsigned int gen_cands;
	enum nft_gen gen;
	uint64_t next_req, next_flow, next_finding, next_fs;
	struct nft_idmap reqs, fsobjs, threads;
	uint64_t origin_declared;	/* bit per origin */
	bool fscache_declared, findings_declared, requests_declared;
	uint64_t inflight;
	uint64_t b_start, b_acc[B__NR];
	bool b_prev[B__NR], b_started;
	uint64_t lane_seq;
	struct {
		uint32_t id;
		uint64_t uuid;
	} recent[RECENT];
	/*
	 * Evidence on the line the model is taking now: a finding comes
	 * before our event hook sees its line, so the flow waits here for
	 * the slice or instant the line makes (req_emit_at()), or, if it
	 * makes none, starts at an instant on the "evidence lines" track.
	 */
	uint64_t seen_pos;	/* the last line our event hook took */
	struct {
		uint64_t pos, flow;
		uint32_t rreq;
	} pend[MAX_FLOWS];
	size_t npend;
	bool evidence_declared;
	struct nft_perfetto_stats st;
	char name[512];
};

static uint64_t uuid(const struct nft_perfetto *pf, unsigned int kind,
		     uint64_t low)
{
	return ((uint64_t)(pf->o.index + 1) << 56) | ((uint64_t)kind << 52) |
	       (low & ((1ull << 52) - 1));
}

static uint64_t new_flow(struct nft_perfetto *pf)
{
	pf->st.flows++;
	return ((uint64_t)(pf->o.index + 1) << 48) | ++pf->next_flow;
}

/* ---- output ---- */

static void flush_out(struct nft_perfetto *pf)
{
	size_t done = 0;

	if (pf->out.err && !pf->err)
		pf->err = pf->out.err;
	while (!pf->err && done < pf->out.len) {
		ssize_t w = write(pf->fd, pf->out.buf + done,
				  pf->out.len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			pf->err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	pf->st.bytes += done;
	nft_pb_reset(&pf->out);
}

/* A packet is complete: write out once enough is gathered. */
static void packet_done(struct nft_perfetto *pf)
{
	pf->st.packets++;
	if (pf->out.len >= (256u << 10) || pf->out.err)
		flush_out(pf);
}

static void packet_begin(struct nft_perfetto *pf)
{
	nft_pb_begin(&pf->out, 1);	/* Trace.packet */
	nft_pb_uint(&pf->out, TP_SEQ_ID, pf->seq);
}

static void packet_end(struct nft_perfetto *pf)
{
	nft_pb_end(&pf->out);
	packet_done(pf);
}

/* A TrackEvent packet from @te (@n bytes) plus flows. */
static void write_event(struct nft_perfetto *pf, uint64_t ts, const uint8_t *te,
			size_t n, const uint64_t *flows, size_t nflows)
{
	size_t i;

	packet_begin(pf);
	nft_pb_uint(&pf->out, TP_TIMESTAMP, ts);
	nft_pb_uint(&pf->out, TP_SEQ_FLAGS, SEQ_NEEDS_INCREMENTAL_STATE);
	nft_pb_begin(&pf->out, TP_TRACK_EVENT);
	nft_pb_raw(&pf->out, te, n);
	for (i = 0; i < nflows; i++)
		nft_pb_fixed64(&pf->out, TE_FLOW, flows[i]);
	nft_pb_end(&pf->out);
	packet_end(pf);
}

struct td {
	uint64_t uuid, parent;
	const char *name, *desc, *merge_key;
	int child_ordering, merge, rank;
	bool has_rank;
	int counter_unit;	/* 0: not a counter track */
	const char *unit_name;
	int32_t tid;		/* thread track: its pid */
	const char *thread_name;
};

static void write_td(struct nft_perfetto *pf, const struct td *d)
{
	struct nft_pb *o = &pf->out;

	packet_begin(pf);
	nft_pb_begin(o, TP_TRACK_DESC);
	nft_pb_uint(o, TD_UUID, d->uuid);
	if (d->parent)
		nft_pb_uint(o, TD_PARENT, d->parent);
	if (d->name)
		nft_pb_str(o, TD_NAME, d->name);
	if (d->desc)
		nft_pb_str(o, TD_DESCRIPTION, d->desc);
	if (d->thread_name) {
		nft_pb_begin(o, TD_THREAD);
		nft_pb_int(o, THD_PID, d->tid);
		nft_pb_int(o, THD_TID, d->tid);
		nft_pb_str(o, THD_NAME, d->thread_name);
		nft_pb_end(o);
	}
	if (d->counter_unit) {
		nft_pb_begin(o, TD_COUNTER);
		nft_pb_uint(o, CD_UNIT, (uint64_t)d->counter_unit);
		if (d->unit_name)
			nft_pb_str(o, CD_UNIT_NAME, d->unit_name);
		nft_pb_end(o);
	}
	if (d->child_ordering)
		nft_pb_uint(o, TD_CHILD_ORDERING, (uint64_t)d->child_ordering);
	if (d->has_rank)
		nft_pb_int(o, TD_RANK, d->rank);
	if (d->merge)
		nft_pb_uint(o, TD_MERGE, (uint64_t)d->merge);
	if (d->merge_key)
		nft_pb_str(o, TD_MERGE_KEY, d->merge_key);
	nft_pb_end(o);
	packet_end(pf);
}

/* ---- building a TrackEvent in pf->te ---- */

static void te_start(struct nft_perfetto *pf, int type, uint64_t track)
{
	nft_pb_reset(&pf->te);
	nft_pb_uint(&pf->te, TE_TYPE, (uint64_t)type);
	nft_pb_uint(&pf->te, TE_TRACK, track);
}

static void te_name(struct nft_perfetto *pf, const char *name)
{
	nft_pb_str(&pf->te, TE_NAME, name);
}

static void te_iname(struct nft_perfetto *pf, int evn)
{
	nft_pb_uint(&pf->te, TE_NAME_IID, (uint64_t)evn + 1);
}

static void da_str(struct nft_perfetto *pf, int da, const char *s)
{
	nft_pb_begin(&pf->te, TE_DEBUG);
	nft_pb_uint(&pf->te, DA_NAME_IID, (uint64_t)da + 1);
	nft_pb_str(&pf->te, DA_STRING, s);
	nft_pb_end(&pf->te);
}

static void da_uint(struct nft_perfetto *pf, int da, uint64_t v)
{
	nft_pb_begin(&pf->te, TE_DEBUG);
	nft_pb_uint(&pf->te, DA_NAME_IID, (uint64_t)da + 1);
	nft_pb_uint(&pf->te, DA_UINT, v);
	nft_pb_end(&pf->te);
}

static void da_bool(struct nft_perfetto *pf, int da, bool v)
{
	nft_pb_begin(&pf->te, TE_DEBUG);
	nft_pb_uint(&pf->te, DA_NAME_IID, (uint64_t)da + 1);
	nft_pb_uint(&pf->te, DA_BOOL, v);
	nft_pb_end(&pf->te);
}

static void da_hex(struct nft_perfetto *pf, int da, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	da_str(pf, da, b);
}

/* The event in pf->te goes out now. */
static void te_write(struct nft_perfetto *pf, uint64_t ts)
{
	write_event(pf, ts, pf->te.buf, pf->te.len, NULL, 0);
}

/* ---- the capture's fixed tracks ---- */

static void write_first_packet(struct nft_perfetto *pf)
{
	struct nft_pb *o = &pf->out;
	int i;

	packet_begin(pf);
	nft_pb_uint(o, TP_SEQ_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
	nft_pb_uint(o, TP_FIRST_ON_SEQ, 1);
	nft_pb_begin(o, TP_INTERNED);
	for (i = 0; i < EVN__NR; i++) {
		nft_pb_begin(o, ID_EVENT_NAMES);
		nft_pb_uint(o, IN_IID, (uint64_t)i + 1);
		nft_pb_str(o, IN_NAME, ev_names[i]);
		nft_pb_end(o);
	}
	for (i = 0; i < DA__NR; i++) {
		nft_pb_begin(o, ID_DA_NAMES);
		nft_pb_uint(o, IN_IID, (uint64_t)i + 1);
		nft_pb_str(o, IN_NAME, da_names[i]);
		nft_pb_end(o);
	}
	nft_pb_end(o);
	packet_end(pf);
}

static void start(struct nft_perfetto *pf, bool synthetic)
{
	char name[600], desc[200];
	int i;

	if (pf->started)
		return;
	pf->started = true;
	pf->synthetic = synthetic;
	write_first_packet(pf);
	snprintf(name, sizeof(name), "netfs: %s%s", pf->name,
		 synthetic ? " (no timestamps: time = line number x 1us)" : "");
	snprintf(desc, sizeof(desc), "%s",
		 synthetic ? "The capture has no timestamps (lines pasted without them): each event is placed at its line number in microseconds." :
			     "Times are the capture's ftrace timestamps in ns.");
	write_td(pf, &(struct td){ .uuid = uuid(pf, K_FIXED, FX_ROOT),
		 .name = name, .desc = desc, .child_ordering = ORDER_EXPLICIT,
		 .has_rank = true, .rank = (int)pf->o.index });
	write_td(pf, &(struct td){ .uuid = uuid(pf, K_FIXED, FX_INFLIGHT),
		 .parent = uuid(pf, K_FIXED, FX_ROOT),
		 .name = "requests in flight", .counter_unit = UNIT_COUNT,
		 .has_rank = true, .rank = 1 });
	for (i = 0; i < B__NR; i++)
		write_td(pf, &(struct td){
			 .uuid = uuid(pf, K_FIXED, FX_BYTES + i),
			 .parent = uuid(pf, K_FIXED, FX_ROOT),
			 .name = bytes_names[i], .counter_unit = UNIT_SIZE_BYTES,
			 .unit_name = "B/s", .has_rank = true, .rank = 2 + i });
}

static void declare_findings(struct nft_perfetto *pf)
{
	if (pf->findings_declared)
		return;
	pf->findings_declared = true;
	write_td(pf, &(struct td){ .uuid = uuid(pf, K_FIXED, FX_FINDINGS),
		 .parent = uuid(pf, K_FIXED, FX_ROOT), .name = "findings",
		 .has_rank = true, .rank = 0, .merge = MERGE_NONE });
}

static uint64_t origin_track(struct nft_perfetto *pf, unsigned int origin)
{
	uint64_t u = uuid(pf, K_ORIGIN, origin);

	if (origin > 63)
		origin = 0;
	if (!pf->requests_declared) {
		pf->requests_declared = true;
		write_td(pf, &(struct td){ .uuid = uuid(pf, K_FIXED, FX_REQUESTS),
			 .parent = uuid(pf, K_FIXED, FX_ROOT),
			 .name = "netfs requests", .has_rank = true, .rank = 10,
			 .child_ordering = ORDER_LEXICOGRAPHIC });
	}
	if (!(pf->origin_declared & (1ull << origin))) {
		char name[64];

		pf->origin_declared |= 1ull << origin;
		snprintf(name, sizeof(name), "%s requests",
			 origin ? nft_sym_name(NFT_SYMC_ORIGIN, (int)origin) :
				  "origin unknown");
		write_td(pf, &(struct td){ .uuid = u,
			 .parent = uuid(pf, K_FIXED, FX_REQUESTS),
			 .name = name, .child_ordering = ORDER_CHRONOLOGICAL,
			 .merge = MERGE_NONE });
	}
	return u;
}

/* ---- time ---- */

static uint64_t raw_time(const struct nft_perfetto *pf, uint64_t pos,
			 uint64_t ts, bool have_ts)
{
	if (pf->synthetic)
		return pos * LINE_NS;
	return have_ts ? ts : pf->now;
}

/* The stream's time of @ev: never before the one of the event before. */
static void advance(struct nft_perfetto *pf, const struct nft_event *ev)
{
	uint64_t t = raw_time(pf, ev->pos, ev->ts_ns,
			      ev->have & NFT_HAVE_TS);

	if (t < pf->now)
		pf->st.clamped++;
	else
		pf->now = t;
}

/* ---- bytes/s counters ---- */

static void bytes_flush(struct nft_perfetto *pf, uint64_t upto)
{
	int i;

	if (!pf->b_started) {
		pf->b_started = true;
		pf->b_start = upto - upto % BYTES_WINDOW_NS;
		return;
	}
	while (upto >= pf->b_start + BYTES_WINDOW_NS) {
		bool any = false;

		for (i = 0; i < B__NR; i++) {
			if (pf->b_acc[i] || pf->b_prev[i]) {
				te_start(pf, TYPE_COUNTER,
					 uuid(pf, K_FIXED, FX_BYTES + i));
				nft_pb_int(&pf->te, TE_COUNTER,
					   (int64_t)(pf->b_acc[i] *
						     (1000000000ull / BYTES_WINDOW_NS)));
				te_write(pf, pf->b_start);
			}
			pf->b_prev[i] = pf->b_acc[i] != 0;
			any |= pf->b_prev[i];
			pf->b_acc[i] = 0;
		}
		pf->b_start += BYTES_WINDOW_NS;
		if (!any && upto >= pf->b_start + BYTES_WINDOW_NS)
			pf->b_start = upto - upto % BYTES_WINDOW_NS;
	}
}

static void bytes_add(struct nft_perfetto *pf, unsigned int source,
		      uint64_t n)
{
	switch (source) {
	case NFT_SRC_DOWNLOAD:
		pf->b_acc[B_READ_SERVER] += n;
		break;
	case NFT_SRC_CACHE_READ:
		pf->b_acc[B_READ_CACHE] += n;
		break;
	case NFT_SRC_ZERO:
		pf->b_acc[B_ZERO] += n;
		break;
	case NFT_SRC_UPLOAD:
		pf->b_acc[B_WRITE_SERVER] += n;
		break;
	case NFT_SRC_CACHE_WRITE:
		pf->b_acc[B_WRITE_CACHE] += n;
		break;
	default:
		break;
	}
}

static void inflight_counter(struct nft_perfetto *pf)
{
	te_start(pf, TYPE_COUNTER, uuid(pf, K_FIXED, FX_INFLIGHT));
	nft_pb_int(&pf->te, TE_COUNTER, (int64_t)pf->inflight);
	te_write(pf, pf->now);
}

/* ---- threads ---- */

/* The thread track of @ev's comm-pid, declared on first use; 0 if none. */
static uint64_t thread_track(struct nft_perfetto *pf,
			     const struct nft_event *ev)
{
	uint64_t key, u;
	char name[64];

	if (!(ev->have & NFT_HAVE_PID) || ev->pid < 0)
		return 0;
	key = (uint64_t)(uint32_t)ev->pid + 1;
	u = uuid(pf, K_THREAD, key);
	if (nft_idmap_get(&pf->threads, key))
		return u;
	if (pf->threads.len >= MAX_THREADS ||
	    nft_idmap_put(&pf->threads, key, (void *)1))
		return 0;
	snprintf(name, sizeof(name), "%s-%d", ev->comm && *ev->comm ?
		 ev->comm : "<...>", ev->pid);
	write_td(pf, &(struct td){ .uuid = u, .tid = ev->pid, .name = name,
		 .thread_name = name });
	return u;
}

/* An instant on @ev's thread, joined by a new flow (returned; 0: none). */
static uint64_t thread_flow(struct nft_perfetto *pf, const struct nft_event *ev,
			    const char *what, uint32_t rreq, int index)
{
	uint64_t t = thread_track(pf, ev), flow;
	char name[64];

	if (!t)
		return 0;
	flow = new_flow(pf);
	snprintf(name, sizeof(name), "%s R=%08x[%x]", what, rreq, index);
	te_start(pf, TYPE_INSTANT, t);
	te_name(pf, name);
	nft_pb_uint(&pf->te, TE_CORRELATION, rreq);
	da_uint(pf, DA_LINE, ev->pos);
	write_event(pf, pf->now, pf->te.buf, pf->te.len, &flow, 1);
	return flow;
}

/* ---- requests ---- */

static uint64_t req_uuid(const struct nft_perfetto *pf, const struct preq *r)
{
	return uuid(pf, K_REQ, r->n);
}

static uint64_t sreq_uuid(const struct nft_perfetto *pf, const struct preq *r,
			  int index)
{
	return uuid(pf, K_SREQ, (r->n << 16) | ((uint64_t)index & 0xffff));
}

static void declare_sreq(struct nft_perfetto *pf, struct preq *r, int index)
{
	char name[48], key[16];

	snprintf(name, sizeof(name), "R=%08x[%x]", r->id, index);
	snprintf(key, sizeof(key), "s%d", r->s[index].stream);
	write_td(pf, &(struct td){ .uuid = sreq_uuid(pf, r, index),
		 .parent = req_uuid(pf, r), .name = name,
		 .merge = MERGE_BY_KEY, .merge_key = key,
		 .has_rank = true, .rank = 1 + r->s[index].stream });
	pf->st.subrequests++;
}

static void declare_ref(struct nft_perfetto *pf, struct preq *r)
{
	write_td(pf, &(struct td){ .uuid = uuid(pf, K_REF, r->n),
		 .parent = req_uuid(pf, r), .name = "ref",
		 .counter_unit = UNIT_COUNT, .merge = MERGE_NONE,
		 .has_rank = true, .rank = 0 });
}

/*
 * The event in pf->te belongs to request @r at @pos: buffered, or written
 * now if @r streams.  @bind: a slice begin or instant a finding may point
 * at.  @flow: a flow to add (0: none).
 */
static void req_emit_at(struct nft_perfetto *pf, struct preq *r, uint64_t ts,
			uint64_t pos, bool bind, uint64_t flow)
{
	struct rec_hdr h = { ts, 0 };
	size_t need;

	if (flow)
		nft_pb_fixed64(&pf->te, TE_FLOW, flow);
	if (bind) {
		size_t i;

		for (i = 0; i < pf->npend; i++)
			if (pf->pend[i].pos == pos && pf->pend[i].rreq == r->id) {
				nft_pb_fixed64(&pf->te, TE_FLOW, pf->pend[i].flow);
				pf->pend[i--] = pf->pend[--pf->npend];
			}
	}
	if (pf->te.err) {
		pf->err = pf->err ? pf->err : pf->te.err;
		return;
	}
	if (pf->now > r->t_last)
		r->t_last = pf->now;
	if (r->streaming) {
		te_write(pf, ts);
		return;
	}
	h.len = (uint32_t)pf->te.len;
	need = r->len + sizeof(h) + h.len;
	if (need > r->cap) {
		size_t cap = r->cap ? r->cap : 512;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(r->buf, cap);
		if (!p) {
			pf->err = ENOMEM;
			return;
		}
		r->buf = p;
		r->cap = cap;
	}
	if (bind && (!r->nrp || r->rp[r->nrp - 1].pos != pos) &&
	    !nft_grow(&r->rp, &r->caprp, r->nrp + 1, sizeof(*r->rp)))
		r->rp[r->nrp++] = (struct rec_pos){ pos, (uint32_t)r->len };
	memcpy(r->buf + r->len, &h, sizeof(h));
	memcpy(r->buf + r->len + sizeof(h), pf->te.buf, h.len);
	r->len += sizeof(h) + h.len;
}

static void req_emit(struct nft_perfetto *pf, struct preq *r, uint64_t pos,
		     bool bind, uint64_t flow)
{
	req_emit_at(pf, r, pf->now, pos, bind, flow);
}

static void request_slice_begin(struct nft_perfetto *pf, struct preq *r,
				const struct nft_request *req)
{
	const char *origin = req->origin ?
		nft_sym_name(NFT_SYMC_ORIGIN, req->origin) : "--";
	char name[64], flags[256];

	snprintf(name, sizeof(name), "%s R=%08x", origin, r->id);
	te_start(pf, TYPE_SLICE_BEGIN, req_uuid(pf, r));
	te_name(pf, name);
	nft_pb_uint(&pf->te, TE_CORRELATION, r->id);
	da_str(pf, DA_ORIGIN, origin);
	if (req->ino)
		da_hex(pf, DA_INODE, req->ino);
	if (req->range_known) {
		da_hex(pf, DA_START, req->start);
		da_hex(pf, DA_LEN, req->len);
	}
	if (req->i_size)
		da_hex(pf, DA_ISIZE, req->i_size);
	if (req->cookie_seen)
		da_hex(pf, DA_COOKIE, req->cookie);
	nft_rreq_flags_str(pf->gen, req->flags, flags, sizeof(flags));
	da_str(pf, DA_FLAGS, flags);
	write_event(pf, r->t_begin, pf->te.buf, pf->te.len, NULL, 0);
}

static int cmp_flow(const void *a, const void *b)
{
	const struct rec_flow *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* Its tracks, its life slice's begin and its buffered events go out. */
static void request_out(struct nft_perfetto *pf, struct preq *r,
			const struct nft_request *req)
{
	char name[96], key[16], desc[64];
	uint64_t flows[MAX_FLOWS];
	size_t off = 0, f = 0;
	const char *origin = req->origin ?
		nft_sym_name(NFT_SYMC_ORIGIN, req->origin) : "--";
	bool expand = r->finding || pf->o.focus.type != NFT_FOCUS_NONE;
	size_t i;

	if (req->ino)
		snprintf(name, sizeof(name), "R=%08x %s ino=%" PRIx64, r->id,
			 origin, req->ino);
	else
		snprintf(name, sizeof(name), "R=%08x %s", r->id, origin);
	snprintf(key, sizeof(key), "R:%s", origin);
	snprintf(desc, sizeof(desc), "netfs_io_request debug_id 0x%x", r->id);
	write_td(pf, &(struct td){ .uuid = req_uuid(pf, r),
		 .parent = origin_track(pf, req->origin), .name = name,
		 .desc = desc, .merge = expand ? MERGE_NONE : MERGE_BY_KEY,
		 .merge_key = expand ? NULL : key,
		 .child_ordering = ORDER_EXPLICIT });
	pf->st.requests++;
	if (r->has_ref)
		declare_ref(pf, r);
	for (i = 0; i < r->caps; i++)
		if (r->s[i].present)
			declare_sreq(pf, r, (int)i);
	request_slice_begin(pf, r, req);
	if (r->nfl)
		qsort(r->fl, r->nfl, sizeof(*r->fl), cmp_flow);
	while (off + sizeof(struct rec_hdr) <= r->len) {
		struct rec_hdr h;
		size_t nf = 0;

		memcpy(&h, r->buf + off, sizeof(h));
		while (f < r->nfl && r->fl[f].off < off)
			f++;
		while (f < r->nfl && r->fl[f].off == off && nf < MAX_FLOWS)
			flows[nf++] = r->fl[f++].flow;
		write_event(pf, h.ts, r->buf + off + sizeof(h), h.len, flows,
			    nf);
		off += sizeof(h) + h.len;
	}
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
	free(r->rp);
	r->rp = NULL;
	r->nrp = r->caprp = 0;
	free(r->fl);
	r->fl = NULL;
	r->nfl = r->capfl = 0;
	r->streaming = true;
}

static bool keep_request(const struct nft_perfetto *pf, uint32_t id)
{
	const struct nft_focus *fo = &pf->o.focus;

	if (fo->type == NFT_FOCUS_NONE)
		return true;
	return (fo->type == NFT_FOCUS_REQUEST || fo->type == NFT_FOCUS_SUBREQ) &&
	       fo->id == id;
}

static struct preq *req_get(struct nft_perfetto *pf,
			    const struct nft_request *req)
{
	struct preq *r = nft_idmap_get(&pf->reqs, req->id);

	if (r || !keep_request(pf, req->id))
		return r;
	r = calloc(1, sizeof(*r));
	if (!r || nft_idmap_put(&pf->reqs, req->id, r)) {
		free(r);
		pf->err = ENOMEM;
		return NULL;
	}
	r->id = req->id;
	r->n = ++pf->next_req;
	r->t_begin = pf->now;
	pf->inflight++;
	inflight_counter(pf);
	return r;
}

static struct psreq *sreq_get(struct nft_perfetto *pf, struct preq *r,
			      int index, int stream)
{
	struct psreq *s;

	if (index < 0 || index >= MAX_SREQ_INDEX)
		return NULL;
	if ((size_t)index >= r->caps) {
		size_t cap = r->caps ? r->caps : 8;
		struct psreq *p;

		while (cap <= (size_t)index)
			cap *= 2;
		p = realloc(r->s, cap * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + r->caps, 0, (cap - r->caps) * sizeof(*p));
		r->s = p;
		r->caps = cap;
	}
	s = &r->s[index];
	if (!s->present) {
		s->present = true;
		s->stream = (int8_t)(stream >= 0 ? stream : 0);
		if (r->sub_n) {
			s->t_alloc = r->sub_t[r->sub_head];
			r->sub_head = (uint8_t)((r->sub_head + 1) % 16);
			r->sub_n--;
		}
		if (r->streaming)
			declare_sreq(pf, r, index);
	}
	return s;
}

static bool is_collection(unsigned int what)
{
	return what == NFT_SREQ_CONSUMED || what == NFT_SREQ_ABANDONED ||
	       what == NFT_SREQ_CANCEL || what == NFT_SREQ_DISCARD ||
	       what == NFT_SREQ_SUPERFLUOUS;
}

static int sreq_instant_name(unsigned int what)
{
	switch (what) {
	case NFT_SREQ_RETRY: return EVN_RETRY;
	case NFT_SREQ_SHORT: return EVN_SHORT;
	case NFT_SREQ_FAIL: return EVN_FAIL;
	case NFT_SREQ_NEED_RETRY: return EVN_NEED_RETRY;
	case NFT_SREQ_PARTIAL_READ: return EVN_PARTIAL;
	case NFT_SREQ_IO_RETRY_NEEDED: return EVN_IO_RETRY;
	case NFT_SREQ_PREP_FAILED: return EVN_PREP_FAILED;
	case NFT_SREQ_REPREP_FAILED: return EVN_REPREP_FAILED;
	default: return -1;
	}
}

static void sreq_end_slice(struct nft_perfetto *pf, struct preq *r,
			   int index, const struct nft_event *ev)
{
	struct psreq *s = &r->s[index];

	te_start(pf, TYPE_SLICE_END, sreq_uuid(pf, r, index));
	if (ev && s->open == 1) {
		da_hex(pf, DA_TRANSFERRED, ev->transferred);
		if (ev->error)
			da_str(pf, DA_ERROR, nft_errno_name(ev->error));
	}
	req_emit(pf, r, ev ? ev->pos : 0, false, 0);
	s->open = 0;
}

static void issue_name(char *name, size_t sz, const struct nft_event *ev,
		       const struct psreq *s)
{
	int n = snprintf(name, sz, "[%x] %s s=%" PRIx64 " len=%" PRIx64,
			 ev->index, nft_sym_name(NFT_SYMC_SOURCE, s->source),
			 ev->start, ev->len);

	if (s->cycles > 1 && n > 0 && (size_t)n < sz)
		snprintf(name + n, sz - (size_t)n, " (issue %u)", s->cycles);
}

/* What one netfs_sreq line of subrequest @s (track @u) draws. */
static void sreq_lines(struct nft_perfetto *pf, struct preq *r,
		       struct psreq *s, const struct nft_event *ev, uint64_t u)
{
	unsigned int what = ev->what;
	uint64_t flow = 0;
	char name[96];
	int evn;

	if (what == NFT_SREQ_PREPARE || what == NFT_SREQ_SUBMIT ||
	    what == NFT_SREQ_RETRY) {
		if (what == NFT_SREQ_RETRY) {
			te_start(pf, TYPE_INSTANT, u);
			te_iname(pf, EVN_RETRY);
			da_uint(pf, DA_LINE, ev->pos);
			req_emit(pf, r, ev->pos, true, 0);
		}
		if (s->open == 2)
			sreq_end_slice(pf, r, ev->index, NULL);
		/* a write PREP says no length yet (0/0): its SUBMT will */
		if (s->open || (what == NFT_SREQ_PREPARE && !ev->len))
			return;
		s->cycles++;
		issue_name(name, sizeof(name), ev, s);
		flow = thread_flow(pf, ev, "issue", r->id, ev->index);
		te_start(pf, TYPE_SLICE_BEGIN, u);
		te_name(pf, name);
		nft_pb_uint(&pf->te, TE_CORRELATION, r->id);
		da_str(pf, DA_SOURCE, nft_sym_name(NFT_SYMC_SOURCE, s->source));
		da_hex(pf, DA_START, ev->start);
		da_hex(pf, DA_LEN, ev->len);
		da_uint(pf, DA_LINE, ev->pos);
		req_emit(pf, r, ev->pos, true, flow);
		s->open = 1;
		return;
	}
	if (what == NFT_SREQ_TERMINATED || what == NFT_SREQ_WRITE_TERM) {
		if (ev->transferred > s->transferred) {
			bytes_add(pf, s->source, ev->transferred - s->transferred);
			s->transferred = ev->transferred;
		}
		if (!s->open && !s->cycles && s->t_alloc && !s->touched) {
			/* no PREP/SUBMT traced: issued when it was made */
			s->cycles++;
			issue_name(name, sizeof(name), ev, s);
			te_start(pf, TYPE_SLICE_BEGIN, u);
			te_name(pf, name);
			nft_pb_uint(&pf->te, TE_CORRELATION, r->id);
			da_str(pf, DA_SOURCE, nft_sym_name(NFT_SYMC_SOURCE, s->source));
			da_hex(pf, DA_START, ev->start);
			da_hex(pf, DA_LEN, ev->len);
			da_str(pf, DA_STATE, "begins at its request's GET SUBREQ (no PREP/SUBMT line)");
			req_emit_at(pf, r, s->t_alloc, 0, false, 0);
			s->open = 1;
		}
		if (s->open == 1)
			sreq_end_slice(pf, r, ev->index, ev);
		if (s->open)
			return;
		flow = thread_flow(pf, ev, "terminate", r->id, ev->index);
		te_start(pf, TYPE_SLICE_BEGIN, u);
		te_iname(pf, EVN_WAIT);
		nft_pb_uint(&pf->te, TE_CORRELATION, r->id);
		da_uint(pf, DA_LINE, ev->pos);
		da_hex(pf, DA_TRANSFERRED, ev->transferred);
		if (ev->error)
			da_str(pf, DA_ERROR, nft_errno_name(ev->error));
		req_emit(pf, r, ev->pos, true, flow);
		s->open = 2;
		return;
	}
	if (is_collection(what) || what == NFT_SREQ_FREE) {
		flow = thread_flow(pf, ev, what == NFT_SREQ_FREE ? "free" :
				   "collect", r->id, ev->index);
		if (flow || is_collection(what)) {
			te_start(pf, TYPE_INSTANT, u);
			te_name(pf, nft_sym_name(NFT_SYMC_SREQ_TRACE, what));
			da_uint(pf, DA_LINE, ev->pos);
			req_emit(pf, r, ev->pos, true, flow);
		}
		if (s->open == 2 || (what == NFT_SREQ_FREE && s->open))
			sreq_end_slice(pf, r, ev->index, NULL);
		return;
	}
	evn = sreq_instant_name(what);
	if (evn >= 0) {
		te_start(pf, TYPE_INSTANT, u);
		te_iname(pf, evn);
		da_uint(pf, DA_LINE, ev->pos);
		da_hex(pf, DA_TRANSFERRED, ev->transferred);
		if (ev->error)
			da_str(pf, DA_ERROR, nft_errno_name(ev->error));
		req_emit(pf, r, ev->pos, true, 0);
	}
}

static void sreq_event(struct nft_perfetto *pf, struct preq *r,
		       const struct nft_event *ev)
{
	struct psreq *s = sreq_get(pf, r, ev->index, ev->stream);
	size_t len = r->len;
	uint64_t packets = pf->st.packets;

	if (!s)
		return;
	if (ev->source)
		s->source = ev->source;
	sreq_lines(pf, r, s, ev, sreq_uuid(pf, r, ev->index));
	if (r->len != len || pf->st.packets != packets)
		s->touched = true;
}

static void request_event(struct nft_perfetto *pf, const struct nft_event *ev,
			  const struct nft_request *req)
{
	struct preq *r = req_get(pf, req);

	if (!r)
		return;
	r->t_last = pf->now;
	switch (ev->kind) {
	case NFT_EV_NETFS_RREQ_REF:
		if (!(ev->have & NFT_HAVE_REF))
			break;
		if (!r->has_ref) {
			r->has_ref = true;
			if (r->streaming)
				declare_ref(pf, r);
		}
		if (ev->what == NFT_RREF_GET_SUBREQ) {
			if (r->sub_n == 16) {
				r->sub_head = (uint8_t)((r->sub_head + 1) % 16);
				r->sub_n--;
			}
			r->sub_t[(r->sub_head + r->sub_n) % 16] = pf->now;
			r->sub_n++;
		}
		te_start(pf, TYPE_COUNTER, uuid(pf, K_REF, r->n));
		nft_pb_int(&pf->te, TE_COUNTER, ev->ref);
		req_emit(pf, r, ev->pos, false, 0);
		break;
	case NFT_EV_NETFS_SREQ:
		if (ev->index >= 0)
			sreq_event(pf, r, ev);
		break;
	case NFT_EV_NETFS_SREQ_REF:
		sreq_get(pf, r, ev->index, ev->stream);
		break;
	case NFT_EV_NETFS_FAILURE: {
		uint64_t u = req_uuid(pf, r);

		if (ev->index >= 0 && sreq_get(pf, r, ev->index, ev->stream))
			u = sreq_uuid(pf, r, ev->index);
		te_start(pf, TYPE_INSTANT, u);
		te_name(pf, nft_sym_name(NFT_SYMC_FAILURE, ev->what));
		da_uint(pf, DA_LINE, ev->pos);
		if (ev->error)
			da_str(pf, DA_ERROR, nft_errno_name(ev->error));
		req_emit(pf, r, ev->pos, true, 0);
		break;
	}
	default:
		break;
	}
	if (r->len > PREQ_MAX_BUF) {
		/* no more waiting: out now with what is known, then stream */
		r->finding = true;
		request_out(pf, r, req);
	}
}

static void remember(struct nft_perfetto *pf, const struct preq *r)
{
	size_t h = (r->id * 2654435761u) % RECENT;

	pf->recent[h].id = r->id;
	pf->recent[h].uuid = req_uuid(pf, r);
}

static uint64_t recent_uuid(const struct nft_perfetto *pf, uint32_t id)
{
	size_t h = (id * 2654435761u) % RECENT;

	return pf->recent[h].id == id ? pf->recent[h].uuid : 0;
}

static void preq_free(struct preq *r)
{
	free(r->buf);
	free(r->rp);
	free(r->fl);
	free(r->s);
	free(r);
}

static void request_close(struct nft_perfetto *pf, struct preq *r,
			  const struct nft_request *req)
{
	bool freed = req && req->state == NFT_REQ_FREED;
	uint64_t t_end = freed ? r->t_last : pf->now;
	uint64_t save = pf->now;
	char flags[256];
	size_t i;

	pf->now = t_end;	/* the closing events' time */
	for (i = 0; i < r->caps; i++)
		if (r->s[i].present && r->s[i].open)
			sreq_end_slice(pf, r, (int)i, NULL);
	pf->now = save;
	if (!r->streaming)
		request_out(pf, r, req ? req : &(struct nft_request){ .id = r->id });
	te_start(pf, TYPE_SLICE_END, req_uuid(pf, r));
	if (req) {
		da_str(pf, DA_STATE, freed ? "freed" : req->evicted ?
		       "evicted (object bound reached)" : "in flight at end");
		nft_rreq_flags_str(pf->gen, req->flags, flags, sizeof(flags));
		da_str(pf, DA_FLAGS, flags);
		da_uint(pf, DA_SUBREQS, req->nr_sreqs);
		if (req->retries)
			da_uint(pf, DA_RETRIES, req->retries);
		if (req->failures)
			da_uint(pf, DA_FAILURES, req->failures);
		if (req->uncertain)
			da_bool(pf, DA_UNCERTAIN, true);
	}
	te_write(pf, t_end);
	if (!freed) {
		te_start(pf, TYPE_INSTANT, req_uuid(pf, r));
		te_iname(pf, EVN_IN_FLIGHT);
		te_write(pf, t_end);
	}
	remember(pf, r);
	nft_idmap_del(&pf->reqs, r->id);
	preq_free(r);
	if (pf->inflight)
		pf->inflight--;
	inflight_counter(pf);
}

/* ---- fscache and cachefiles objects ---- */

static const char *const fs_prefix[NFT_FSOBJ__NR] = { "c", "V", "C", "o" };
static const char *const fs_kind[NFT_FSOBJ__NR] = {
	"cookie", "volume", "cache", "object" };

/* Which object @ev is about; false if none. */
static bool fs_target(const struct nft_event *ev, unsigned int *type,
		      uint32_t *id)
{
	if (ev->have & NFT_HAVE_OLD_COOKIE)
		return false;
	switch (ev->kind) {
	case NFT_EV_FSCACHE_VOLUME:
	case NFT_EV_FSCACHE_ACCESS_VOLUME:
		if (!(ev->have & NFT_HAVE_VOLUME))
			return false;
		*type = NFT_FSOBJ_VOLUME;
		*id = ev->volume;
		return true;
	case NFT_EV_FSCACHE_CACHE:
	case NFT_EV_FSCACHE_ACCESS_CACHE:
		if (!(ev->have & NFT_HAVE_CACHE))
			return false;
		*type = NFT_FSOBJ_CACHE;
		*id = ev->cache;
		return true;
	default:
		break;
	}
	if (ev->kind >= NFT_EV_CACHEFILES_REF &&
	    ev->kind <= NFT_EV_CACHEFILES_ONDEMAND_FD_RELEASE) {
		if (!(ev->have & NFT_HAVE_OBJECT))
			return false;
		*type = NFT_FSOBJ_CF_OBJECT;
		*id = ev->object;
		return true;
	}
	if (ev->kind >= NFT_EV_FSCACHE_COOKIE &&
	    ev->kind <= NFT_EV_FSCACHE_RESIZE && (ev->have & NFT_HAVE_COOKIE)) {
		*type = NFT_FSOBJ_COOKIE;
		*id = ev->cookie;
		return true;
	}
	return false;
}

static uint64_t fs_key(unsigned int type, uint32_t id)
{
	return ((uint64_t)type << 32) | id;
}

static uint64_t fs_uuid(const struct nft_perfetto *pf, const struct pfs *o)
{
	return uuid(pf, K_FSOBJ, o->serial);
}

static void declare_fscache(struct nft_perfetto *pf)
{
	if (pf->fscache_declared)
		return;
	pf->fscache_declared = true;
	write_td(pf, &(struct td){ .uuid = uuid(pf, K_FIXED, FX_FSCACHE),
		 .parent = uuid(pf, K_FIXED, FX_ROOT),
		 .name = "fscache and cachefiles", .has_rank = true,
		 .rank = 20, .child_ordering = ORDER_LEXICOGRAPHIC });
}

static struct pfs *fs_get(struct nft_perfetto *pf, unsigned int type,
			  uint32_t id)
{
	uint64_t key = fs_key(type, id);
	struct pfs *o = nft_idmap_get(&pf->fsobjs, key);
	char name[48];

	if (o)
		return o;
	if (pf->fsobjs.len >= MAX_FSOBJS)
		return NULL;
	o = calloc(1, sizeof(*o));
	if (!o || nft_idmap_put(&pf->fsobjs, key, o)) {
		free(o);
		return NULL;
	}
	o->type = (uint8_t)type;
	o->id = id;
	o->serial = ++pf->next_fs;
	declare_fscache(pf);
	snprintf(name, sizeof(name), "%s=%08x %s", fs_prefix[type], id,
		 fs_kind[type]);
	/* incarnations of one id share a name: Perfetto merges them */
	write_td(pf, &(struct td){ .uuid = fs_uuid(pf, o),
		 .parent = uuid(pf, K_FIXED, FX_FSCACHE), .name = name,
		 .child_ordering = ORDER_EXPLICIT });
	o->declared = true;
	return o;
}

static void fs_counter(struct nft_perfetto *pf, struct pfs *o, int which,
		       int64_t v)
{
	uint64_t u = uuid(pf, K_FSCTR, (o->serial << 2) | (uint64_t)which);

	if (!(o->ctr_declared & (1u << which))) {
		o->ctr_declared |= 1u << which;
		write_td(pf, &(struct td){ .uuid = u,
			 .parent = fs_uuid(pf, o),
			 .name = fsc_names[which], .counter_unit = UNIT_COUNT,
			 .merge = MERGE_NONE, .has_rank = true,
			 .rank = which });
	}
	te_start(pf, TYPE_COUNTER, u);
	nft_pb_int(&pf->te, TE_COUNTER, v);
	te_write(pf, pf->now);
}

static uint64_t lane_uuid(const struct nft_perfetto *pf, const struct pfs *o,
			  int lane)
{
	return uuid(pf, K_FSLANE, (o->serial << 3) | (uint64_t)lane);
}

/* "BEGIN io_read" -> "io"; "END lookupf" -> "lookup". */
static void access_kind(const char *s, char *kind, size_t sz)
{
	if (!strncmp(s, "io", 2))
		s = "io";
	else if (!strncmp(s, "lookup", 6))
		s = "lookup";
	snprintf(kind, sz, "%s", s);
}

static void fs_access(struct nft_perfetto *pf, struct pfs *o,
		      const struct nft_event *ev)
{
	const char *sym = nft_sym_name(NFT_SYMC_FSC_ACCESS, ev->what);
	char kind[16];
	int i, best = -1;

	if (!strncmp(sym, "BEGIN ", 6)) {
		access_kind(sym + 6, kind, sizeof(kind));
		for (i = 0; i < FS_LANES; i++)
			if (!o->lane[i].open)
				break;
		if (i < FS_LANES) {
			uint64_t u = lane_uuid(pf, o, i);

			if (!(o->lane_declared & (1u << i))) {
				char name[32];

				o->lane_declared |= 1u << i;
				snprintf(name, sizeof(name), "access %d", i);
				write_td(pf, &(struct td){ .uuid = u,
					 .parent = fs_uuid(pf, o),
					 .name = name, .merge = MERGE_NONE,
					 .has_rank = true, .rank = 10 + i });
			}
			o->lane[i].open = true;
			o->lane[i].seq = ++pf->lane_seq;
			snprintf(o->lane[i].kind, sizeof(o->lane[i].kind),
				 "%s", kind);
			te_start(pf, TYPE_SLICE_BEGIN, u);
			te_name(pf, sym + 6);
			da_uint(pf, DA_LINE, ev->pos);
			te_write(pf, pf->now);
			return;
		}
	} else if (!strncmp(sym, "END ", 4)) {
		access_kind(sym + 4, kind, sizeof(kind));
		for (i = 0; i < FS_LANES; i++)
			if (o->lane[i].open && !strcmp(o->lane[i].kind, kind) &&
			    (best < 0 || o->lane[i].seq < o->lane[best].seq))
				best = i;
		if (best >= 0) {
			o->lane[best].open = false;
			te_start(pf, TYPE_SLICE_END, lane_uuid(pf, o, best));
			da_str(pf, DA_STATE, sym);
			te_write(pf, pf->now);
			return;
		}
	}
	te_start(pf, TYPE_INSTANT, fs_uuid(pf, o));
	te_name(pf, sym && *sym ? sym : ev->name);
	da_uint(pf, DA_LINE, ev->pos);
	te_write(pf, pf->now);
}

static void fs_end(struct nft_perfetto *pf, struct pfs *o, const char *why)
{
	int i;

	for (i = 0; i < FS_LANES; i++)
		if (o->lane[i].open) {
			o->lane[i].open = false;
			te_start(pf, TYPE_SLICE_END, lane_uuid(pf, o, i));
			da_str(pf, DA_STATE, why);
			te_write(pf, pf->now);
		}
	if (o->open) {
		o->open = false;
		te_start(pf, TYPE_SLICE_END, fs_uuid(pf, o));
		da_str(pf, DA_STATE, why);
		te_write(pf, pf->now);
	}
}

static bool keep_fs(const struct nft_perfetto *pf, unsigned int type,
		    uint32_t id)
{
	const struct nft_focus *fo = &pf->o.focus;
	static const int want[NFT_FSOBJ__NR] = {
		NFT_FOCUS_COOKIE, NFT_FOCUS_VOLUME, NFT_FOCUS_CACHE,
		NFT_FOCUS_CF_OBJECT };

	if (fo->type == NFT_FOCUS_NONE)
		return true;
	return (int)fo->type == want[type] && fo->id == id;
}

static void fs_event(struct nft_perfetto *pf, const struct nft_event *ev)
{
	unsigned int type;
	uint32_t id;
	struct pfs *o;
	char name[64];

	if (!fs_target(ev, &type, &id) || !keep_fs(pf, type, id))
		return;
	o = fs_get(pf, type, id);
	if (!o)
		return;
	if (!o->open) {
		o->open = true;
		snprintf(name, sizeof(name), "%s=%08x", fs_prefix[type], id);
		te_start(pf, TYPE_SLICE_BEGIN, fs_uuid(pf, o));
		te_name(pf, name);
		da_uint(pf, DA_LINE, ev->pos);
		te_write(pf, pf->now);
	}
	switch (ev->kind) {
	case NFT_EV_FSCACHE_ACCESS:
	case NFT_EV_FSCACHE_ACCESS_VOLUME:
	case NFT_EV_FSCACHE_ACCESS_CACHE:
		fs_access(pf, o, ev);
		if (ev->have & NFT_HAVE_REF)
			fs_counter(pf, o, FSC_REF, ev->ref);
		fs_counter(pf, o, FSC_ACCESSES, ev->n_accesses);
		break;
	case NFT_EV_FSCACHE_ACTIVE:
		if (ev->have & NFT_HAVE_REF)
			fs_counter(pf, o, FSC_REF, ev->ref);
		fs_counter(pf, o, FSC_ACCESSES, ev->n_accesses);
		fs_counter(pf, o, FSC_ACTIVE, ev->n_active);
		break;
	case NFT_EV_FSCACHE_COOKIE:
	case NFT_EV_FSCACHE_VOLUME:
	case NFT_EV_FSCACHE_CACHE:
	case NFT_EV_CACHEFILES_REF:
		if (ev->have & NFT_HAVE_REF) {
			fs_counter(pf, o, FSC_REF, ev->ref);
			if (ev->ref == 0) {
				/* gone: a later line of this id is a new one */
				fs_end(pf, o, "freed");
				nft_idmap_del(&pf->fsobjs, fs_key(type, id));
				free(o);
			}
		}
		break;
	case NFT_EV_FSCACHE_ACQUIRE:
	case NFT_EV_FSCACHE_RELINQUISH:
	case NFT_EV_FSCACHE_INVALIDATE:
	case NFT_EV_FSCACHE_RESIZE:
	case NFT_EV_CACHEFILES_READ:
	case NFT_EV_CACHEFILES_WRITE:
	case NFT_EV_CACHEFILES_TRUNC:
	case NFT_EV_CACHEFILES_VFS_ERROR:
	case NFT_EV_CACHEFILES_IO_ERROR:
	case NFT_EV_CACHEFILES_MARK_FAILED:
	case NFT_EV_CACHEFILES_LOOKUP:
		te_start(pf, TYPE_INSTANT, fs_uuid(pf, o));
		te_name(pf, nft_event_kind_name(ev->kind));
		da_uint(pf, DA_LINE, ev->pos);
		if (ev->have & NFT_HAVE_LEN)
			da_hex(pf, DA_LEN, ev->len);
		if (ev->error)
			da_str(pf, DA_ERROR, nft_errno_name(ev->error));
		te_write(pf, pf->now);
		break;
	default:
		break;
	}
}

/* ---- findings ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool keep_finding(const struct nft_perfetto *pf,
			 const struct nft_finding *f)
{
	char name[NFT_OBJECT_LEN];

	if (pf->o.focus.type == NFT_FOCUS_NONE)
		return true;
	if (f->rreq)
		return keep_request(pf, f->rreq);
	nft_focus_name(&pf->o.focus, name);
	return !strcmp(name, f->object);
}

/* The record of @r that line @pos produced (a slice begin or instant). */
static long rec_of(const struct preq *r, uint64_t pos)
{
	size_t lo = 0, hi = r->nrp;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->rp[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nrp && r->rp[lo].pos == pos ? (long)r->rp[lo].off : -1;
}

static void finding_annotations(struct nft_perfetto *pf,
				const struct nft_finding *f)
{
	char lines[256];
	size_t i, n = 0;

	da_str(pf, DA_KIND, nft_finding_kind_name(f->kind));
	da_str(pf, DA_SEVERITY, nft_severity_name(f->severity));
	da_str(pf, DA_OBJECT, f->object);
	da_str(pf, DA_MESSAGE, f->message ? f->message : "");
	lines[0] = 0;
	for (i = 0; i < f->n_evidence && n < sizeof(lines) - 24; i++)
		n += (size_t)snprintf(lines + n, sizeof(lines) - n, "%s%" PRIu64,
				      i ? " " : "", f->evidence[i].pos);
	if (i < f->n_evidence)
		snprintf(lines + n, sizeof(lines) - n, " ...");
	da_str(pf, DA_EVIDENCE, lines);
	if (f->uncertain)
		da_bool(pf, DA_UNCERTAIN, true);
}

static void on_finding(struct nft_perfetto *pf, const struct nft_finding *f)
{
	uint64_t flows[MAX_FLOWS], loose[MAX_FLOWS][2];
	size_t i, nflows = 0, nloose = 0;
	struct preq *r = NULL;
	char name[NFT_OBJECT_LEN + 40];
	uint64_t obj = 0;

	if (!keep_finding(pf, f))
		return;
	start(pf, !f->ts_ns);
	declare_findings(pf);
	pf->st.findings++;
	/*
	 * Found on the event the model is taking now, before our event hook
	 * sees it: the finding's time (synthetic: its last evidence line) may
	 * be ahead of the stream's.
	 */
	{
		uint64_t pos = 0, t;

		for (i = 0; i < f->n_evidence; i++)
			if (f->evidence[i].pos > pos)
				pos = f->evidence[i].pos;
		t = raw_time(pf, pos, f->ts_ns, f->ts_ns != 0);
		if (t > pf->now)
			pf->now = t;
	}
	snprintf(name, sizeof(name), "%s %s", nft_finding_kind_name(f->kind),
		 f->object);
	if (f->rreq)
		r = nft_idmap_get(&pf->reqs, f->rreq);
	/* the evidence: a flow from the event each line made, if we hold it */
	for (i = 0; i < f->n_evidence && nflows < MAX_FLOWS; i++) {
		long off = r && !r->streaming ? rec_of(r, f->evidence[i].pos) : -1;
		uint64_t flow = new_flow(pf);
		size_t k;

		if (r && f->evidence[i].pos > pf->seen_pos &&
		    pf->npend < MAX_FLOWS) {
			/* this very line: its event is yet to come */
			pf->pend[pf->npend].pos = f->evidence[i].pos;
			pf->pend[pf->npend].flow = flow;
			pf->pend[pf->npend++].rreq = r->id;
			flows[nflows++] = flow;
			continue;
		}

		for (k = 0; off >= 0 && k < r->nfl; k++)
			if (r->fl[k].off == (uint32_t)off)
				off = -1;	/* a flow cannot fork: one each */
		if (off >= 0 &&
		    !nft_grow(&r->fl, &r->capfl, r->nfl + 1, sizeof(*r->fl))) {
			r->fl[r->nfl++] = (struct rec_flow){ (uint32_t)off, flow };
		} else {
			loose[nloose][0] = raw_time(pf, f->evidence[i].pos,
						    f->evidence[i].ts_ns,
						    f->evidence[i].ts_ns != 0);
			if (loose[nloose][0] > pf->now)
				loose[nloose][0] = pf->now;
			loose[nloose++][1] = i;
		}
		flows[nflows++] = flow;
	}
	/* lines we hold no event of: instants on a track of the finding's own */
	if (nloose) {
		uint64_t u = uuid(pf, K_FINDING, ++pf->next_finding);
		char tname[NFT_OBJECT_LEN + 60];

		snprintf(tname, sizeof(tname), "evidence of %s", name);
		write_td(pf, &(struct td){ .uuid = u,
			 .parent = uuid(pf, K_FIXED, FX_FINDINGS),
			 .name = tname, .merge = MERGE_NONE });
		qsort(loose, nloose, sizeof(loose[0]), cmp_u64);
		for (i = 0; i < nloose; i++) {
			size_t e = (size_t)loose[i][1];
			char ln[32];

			snprintf(ln, sizeof(ln), "line %" PRIu64,
				 f->evidence[e].pos);
			te_start(pf, TYPE_INSTANT, u);
			te_name(pf, ln);
			da_uint(pf, DA_LINE, f->evidence[e].pos);
			write_event(pf, loose[i][0], pf->te.buf, pf->te.len,
				    &flows[e], 1);
		}
	}
	/* on the findings track, where the flows end */
	te_start(pf, TYPE_INSTANT, uuid(pf, K_FIXED, FX_FINDINGS));
	te_name(pf, name);
	if (f->rreq)
		nft_pb_uint(&pf->te, TE_CORRELATION, f->rreq);
	finding_annotations(pf, f);
	for (i = 0; i < nflows; i++)
		nft_pb_fixed64(&pf->te, TE_TFLOW, flows[i]);
	te_write(pf, pf->now);
	/* and on its object's track */
	if (r) {
		r->finding = true;
		obj = req_uuid(pf, r);
		if (f->subreq >= 0 && (size_t)f->subreq < r->caps &&
		    r->s[f->subreq].present) {
			obj = sreq_uuid(pf, r, f->subreq);
			r->s[f->subreq].touched = true;
		}
		te_start(pf, TYPE_INSTANT, obj);
		te_name(pf, name);
		nft_pb_uint(&pf->te, TE_CORRELATION, f->rreq);
		finding_annotations(pf, f);
		req_emit(pf, r, 0, false, 0);
		return;
	}
	if (f->rreq) {
		obj = recent_uuid(pf, f->rreq);
	} else {
		struct nft_focus fo;
		static const int type_of[] = {
			[NFT_FOCUS_COOKIE] = NFT_FSOBJ_COOKIE + 1,
			[NFT_FOCUS_VOLUME] = NFT_FSOBJ_VOLUME + 1,
			[NFT_FOCUS_CACHE] = NFT_FSOBJ_CACHE + 1,
			[NFT_FOCUS_CF_OBJECT] = NFT_FSOBJ_CF_OBJECT + 1,
		};

		const struct pfs *o = NULL;

		if (!nft_focus_parse(f->object, &fo) &&
		    fo.type < sizeof(type_of) / sizeof(type_of[0]) &&
		    type_of[fo.type])
			o = nft_idmap_get(&pf->fsobjs,
					  fs_key(type_of[fo.type] - 1, fo.id));
		if (o)
			obj = fs_uuid(pf, o);
	}
	if (obj) {
		te_start(pf, TYPE_INSTANT, obj);
		te_name(pf, name);
		finding_annotations(pf, f);
		te_write(pf, pf->now);
	}
}

/* Evidence flows whose line made no slice or instant: start at one of ours. */
static void pend_out(struct nft_perfetto *pf)
{
	uint64_t u = uuid(pf, K_FIXED, FX_EVIDENCE);
	size_t i;

	if (!pf->evidence_declared) {
		pf->evidence_declared = true;
		write_td(pf, &(struct td){ .uuid = u,
			 .parent = uuid(pf, K_FIXED, FX_FINDINGS),
			 .name = "evidence lines", .merge = MERGE_NONE });
	}
	for (i = 0; i < pf->npend; i++) {
		char ln[32];

		snprintf(ln, sizeof(ln), "line %" PRIu64, pf->pend[i].pos);
		te_start(pf, TYPE_INSTANT, u);
		te_name(pf, ln);
		da_uint(pf, DA_LINE, pf->pend[i].pos);
		write_event(pf, pf->now, pf->te.buf, pf->te.len,
			    &pf->pend[i].flow, 1);
	}
	pf->npend = 0;
}

/* ---- hooks ---- */

static void hook_event(void *ctx, const struct nft_event *ev,
		       const struct nft_request *req,
		       const struct nft_subreq *sreq)
{
	struct nft_perfetto *pf = ctx;
	unsigned int g;

	if (pf->prev.event)
		pf->prev.event(pf->prev.ctx, ev, req, sreq);
	if (ev->kind == NFT_EV_NONE || ev->kind == NFT_EV_OTHER)
		return;
	start(pf, !(ev->have & NFT_HAVE_TS));
	advance(pf, ev);
	bytes_flush(pf, pf->now);
	if (ev->kind == NFT_EV_LOST) {
		char name[64];

		if (pf->o.focus.type != NFT_FOCUS_NONE)
			return;
		snprintf(name, sizeof(name), "lost events (%" PRIu64 ")", ev->lost);
		te_start(pf, TYPE_INSTANT, uuid(pf, K_FIXED, FX_ROOT));
		te_name(pf, ev->lost ? name : "lost events");
		da_uint(pf, DA_LINE, ev->pos);
		te_write(pf, pf->now);
		return;
	}
	if (pf->o.gen == NFT_GEN_AUTO) {
		g = nft_gen_marker(ev);
		if (g != NFT_GEN_ALL) {
			unsigned int left;

			if (!pf->gen_cands)
				pf->gen_cands = NFT_GEN_ALL;
			left = pf->gen_cands & g;
			pf->gen_cands = left ? left : g;
			pf->gen = nft_gen_pick(pf->gen_cands);
		}
	}
	if (req)
		request_event(pf, ev, req);
	else if (!(ev->have & NFT_HAVE_RREQ))
		fs_event(pf, ev);
	pf->seen_pos = ev->pos;
	if (pf->npend)
		pend_out(pf);
}

static void hook_finding(void *ctx, const struct nft_finding *f)
{
	struct nft_perfetto *pf = ctx;

	if (pf->prev.finding)
		pf->prev.finding(pf->prev.ctx, f);
	on_finding(pf, f);
}

static void hook_request_end(void *ctx, const struct nft_request *req)
{
	struct nft_perfetto *pf = ctx;
	struct preq *r;

	if (pf->prev.request_end)
		pf->prev.request_end(pf->prev.ctx, req);
	r = nft_idmap_get(&pf->reqs, req->id);
	if (r)
		request_close(pf, r, req);
}

static void hook_unknown(void *ctx, const struct nft_unknown *u)
{
	struct nft_perfetto *pf = ctx;

	if (pf->prev.unknown)
		pf->prev.unknown(pf->prev.ctx, u);
}

static void hook_note(void *ctx, unsigned int note, const struct nft_summary *s)
{
	struct nft_perfetto *pf = ctx;

	if (pf->prev.note)
		pf->prev.note(pf->prev.ctx, note, s);
}

void nft_perfetto_hook(struct nft_perfetto *pf, struct nft_model_hooks *hooks)
{
	pf->prev = *hooks;
	hooks->event = hook_event;
	hooks->finding = hook_finding;
	hooks->request_end = hook_request_end;
	hooks->unknown = hook_unknown;
	hooks->note = hook_note;
	hooks->ctx = pf;
}

struct nft_perfetto *nft_perfetto_open(const struct nft_perfetto_opts *o,
				       int *err)
{
	struct nft_perfetto *pf = calloc(1, sizeof(*pf));
	const char *base;

	if (!pf || nft_idmap_init(&pf->reqs, 256) ||
	    nft_idmap_init(&pf->fsobjs, 64) || nft_idmap_init(&pf->threads, 64)) {
		if (pf) {
			nft_idmap_release(&pf->reqs);
			nft_idmap_release(&pf->fsobjs);
		}
		free(pf);
		*err = ENOMEM;
		return NULL;
	}
	pf->o = *o;
	pf->gen = o->gen;
	pf->seq = 0x6e6600u + o->index + 1;	/* "nf", any non-zero id */
	nft_pb_init(&pf->out);
	nft_pb_init(&pf->te);
	base = o->capture ? o->capture : "capture";
	snprintf(pf->name, sizeof(pf->name), "%s", base);
	if (!o->path || !strcmp(o->path, "-")) {
		pf->fd = STDOUT_FILENO;
	} else {
		pf->fd = open(o->path, O_WRONLY | O_CREAT | O_CLOEXEC |
			      (o->append ? O_APPEND : O_TRUNC), 0666);
		if (pf->fd < 0) {
			*err = errno;
			nft_idmap_release(&pf->reqs);
			nft_idmap_release(&pf->fsobjs);
			nft_idmap_release(&pf->threads);
			free(pf);
			return NULL;
		}
		pf->close_fd = true;
	}
	return pf;
}

static int close_req(void *ctx, uint64_t key, void *val)
{
	(void)key;
	request_close(ctx, val, NULL);
	return 0;
}

int nft_perfetto_close(struct nft_perfetto *pf, struct nft_perfetto_stats *st)
{
	size_t i;
	int err;

	if (pf->started) {
		if (pf->npend)
			pend_out(pf);
		/* requests the model never ended (a run cut short) */
		for (i = 0; i < pf->reqs.cap; i++)
			if (pf->reqs.vals[i]) {
				close_req(pf, pf->reqs.keys[i], pf->reqs.vals[i]);
				i = (size_t)-1;	/* the map moved: again */
			}
		for (i = 0; i < pf->fsobjs.cap; i++) {
			struct pfs *o = pf->fsobjs.vals[i];

			if (o)
				fs_end(pf, o, "in flight at end");
		}
		bytes_flush(pf, pf->now + 2 * BYTES_WINDOW_NS);
	}
	for (i = 0; i < pf->fsobjs.cap; i++)
		free(pf->fsobjs.vals[i]);
	flush_out(pf);
	err = pf->err;
	if (pf->close_fd && close(pf->fd) && !err)
		err = errno;
	if (st)
		*st = pf->st;
	nft_idmap_release(&pf->reqs);
	nft_idmap_release(&pf->fsobjs);
	nft_idmap_release(&pf->threads);
	nft_pb_free(&pf->out);
	nft_pb_free(&pf->te);
	free(pf);
	return err;
}

int nft_perfetto_create(const char *path)
{
	int fd;

	if (!path || !strcmp(path, "-"))
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return errno;
	return close(fd) ? errno : 0;
}
