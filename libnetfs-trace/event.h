/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The normalized event: what every decoder (ftrace text, trace.dat, live
 * tracefs, the reference engine) hands to the model.  Decoders know formats,
 * not netfs semantics; the model knows semantics, not formats.
 */
#ifndef NFT_EVENT_H
#define NFT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every event of the netfs, fscache and cachefiles trace systems in any
 * kernel we know.  X(ENUM, "tracepoint name").
 */
#define NFT_EVENT_KINDS(X)                                                    \
	X(NETFS_READ, "netfs_read")                                           \
	X(NETFS_WRITE, "netfs_write")                                         \
	X(NETFS_RREQ, "netfs_rreq")                                           \
	X(NETFS_SREQ, "netfs_sreq")                                           \
	X(NETFS_FAILURE, "netfs_failure")                                     \
	X(NETFS_RREQ_REF, "netfs_rreq_ref")                                   \
	X(NETFS_SREQ_REF, "netfs_sreq_ref")                                   \
	X(NETFS_FOLIO, "netfs_folio")                                         \
	X(NETFS_FOLIOQ, "netfs_folioq")                                       \
	X(NETFS_WRITE_ITER, "netfs_write_iter")                               \
	X(NETFS_COLLECT, "netfs_collect")                                     \
	X(NETFS_COLLECT_SREQ, "netfs_collect_sreq")                           \
	X(NETFS_COLLECT_FOLIO, "netfs_collect_folio")                         \
	X(NETFS_COLLECT_STATE, "netfs_collect_state")                         \
	X(NETFS_COLLECT_GAP, "netfs_collect_gap")                             \
	X(NETFS_COLLECT_STREAM, "netfs_collect_stream")                       \
	X(NETFS_COLLECT_CONTIG, "netfs_collect_contig")                       \
	X(NETFS_PROGRESS, "netfs_progress")                                   \
	X(NETFS_DONATE, "netfs_donate")                                       \
	X(NETFS_READ_PROGRESS_AT, "netfs_read_progress_at")                   \
	X(NETFS_COPY2CACHE, "netfs_copy2cache")                               \
	/* any other netfs_*, fscache_*, cachefiles_* event: counted */       \
	X(NETFS_OTHER, "netfs_*")                                             \
	X(FSCACHE_CACHE, "fscache_cache")                                     \
	X(FSCACHE_VOLUME, "fscache_volume")                                   \
	X(FSCACHE_COOKIE, "fscache_cookie")                                   \
	X(FSCACHE_ACTIVE, "fscache_active")                                   \
	X(FSCACHE_ACCESS_CACHE, "fscache_access_cache")                       \
	X(FSCACHE_ACCESS_VOLUME, "fscache_access_volume")                     \
	X(FSCACHE_ACCESS, "fscache_access")                                   \
	X(FSCACHE_ACQUIRE, "fscache_acquire")                                 \
	X(FSCACHE_RELINQUISH, "fscache_relinquish")                           \
	X(FSCACHE_INVALIDATE, "fscache_invalidate")                           \
	X(FSCACHE_RESIZE, "fscache_resize")                                   \
	X(CACHEFILES_REF, "cachefiles_ref")                                   \
	X(CACHEFILES_LOOKUP, "cachefiles_lookup")                             \
	X(CACHEFILES_MKDIR, "cachefiles_mkdir")                               \
	X(CACHEFILES_TMPFILE, "cachefiles_tmpfile")                           \
	X(CACHEFILES_LINK, "cachefiles_link")                                 \
	X(CACHEFILES_UNLINK, "cachefiles_unlink")                             \
	X(CACHEFILES_RENAME, "cachefiles_rename")                             \
	X(CACHEFILES_COHERENCY, "cachefiles_coherency")                       \
	X(CACHEFILES_VOL_COHERENCY, "cachefiles_vol_coherency")               \
	X(CACHEFILES_PREP_READ, "cachefiles_prep_read")                       \
	X(CACHEFILES_READ, "cachefiles_read")                                 \
	X(CACHEFILES_WRITE, "cachefiles_write")                               \
	X(CACHEFILES_TRUNC, "cachefiles_trunc")                               \
	X(CACHEFILES_MARK_ACTIVE, "cachefiles_mark_active")                   \
	X(CACHEFILES_MARK_FAILED, "cachefiles_mark_failed")                   \
	X(CACHEFILES_MARK_INACTIVE, "cachefiles_mark_inactive")               \
	X(CACHEFILES_VFS_ERROR, "cachefiles_vfs_error")                       \
	X(CACHEFILES_IO_ERROR, "cachefiles_io_error")                         \
	X(CACHEFILES_ONDEMAND_OPEN, "cachefiles_ondemand_open")               \
	X(CACHEFILES_ONDEMAND_COPEN, "cachefiles_ondemand_copen")             \
	X(CACHEFILES_ONDEMAND_CLOSE, "cachefiles_ondemand_close")             \
	X(CACHEFILES_ONDEMAND_READ, "cachefiles_ondemand_read")               \
	X(CACHEFILES_ONDEMAND_CREAD, "cachefiles_ondemand_cread")             \
	X(CACHEFILES_ONDEMAND_FD_WRITE, "cachefiles_ondemand_fd_write")       \
	X(CACHEFILES_ONDEMAND_FD_RELEASE, "cachefiles_ondemand_fd_release") \
	NFT_OLD_FSCACHE_KINDS(X)

/* Events only the fscache before 5.17 had (include/trace/events/fscache.h
 * of 4.17-5.16); its fscache_cookie/acquire/relinquish share the names
 * above with other layouts. */
#define NFT_OLD_FSCACHE_KINDS(X)                                              \
	X(FSCACHE_NETFS, "fscache_netfs")                                     \
	X(FSCACHE_ENABLE, "fscache_enable")                                   \
	X(FSCACHE_DISABLE, "fscache_disable")                                 \
	X(FSCACHE_OSM, "fscache_osm")                                         \
	X(FSCACHE_PAGE, "fscache_page")                                       \
	X(FSCACHE_CHECK_PAGE, "fscache_check_page")                           \
	X(FSCACHE_WAKE_COOKIE, "fscache_wake_cookie")                         \
	X(FSCACHE_OP, "fscache_op")                                           \
	X(FSCACHE_PAGE_OP, "fscache_page_op")                                 \
	X(FSCACHE_WROTE_PAGE, "fscache_wrote_page")                           \
	X(FSCACHE_GANG_LOOKUP, "fscache_gang_lookup")

enum nft_event_kind {
	NFT_EV_NONE = 0,
#define NFT_X(e, n) NFT_EV_##e,
	NFT_EVENT_KINDS(NFT_X)
#undef NFT_X
	/* An event of another system (9p_*, smb3_*, ...): passed through. */
	NFT_EV_OTHER,
	/* A lost-events marker: the ring buffer dropped @lost events. */
	NFT_EV_LOST,
	NFT_EV__NR
};

/* Bits of nft_event.have: which optional fields the line carried. */
enum nft_have {
	NFT_HAVE_TS = 1u << 0,
	NFT_HAVE_RREQ = 1u << 1,	/* R= */
	NFT_HAVE_INDEX = 1u << 2,	/* [n] subrequest index */
	NFT_HAVE_STREAM = 1u << 3,	/* [s:] stream number */
	NFT_HAVE_COOKIE = 1u << 4,	/* c= */
	NFT_HAVE_OBJECT = 1u << 5,	/* o= */
	NFT_HAVE_VOLUME = 1u << 6,	/* V= */
	NFT_HAVE_CACHE = 1u << 7,	/* C= */
	NFT_HAVE_REF = 1u << 8,		/* r= / u= */
	NFT_HAVE_LEN = 1u << 9,
	NFT_HAVE_TRANSFERRED = 1u << 10,
	NFT_HAVE_ERROR = 1u << 11,
	NFT_HAVE_FLAGS = 1u << 12,
	NFT_HAVE_SLOT = 1u << 13,
	NFT_HAVE_ISIZE = 1u << 14,
	NFT_HAVE_INO = 1u << 15,
	NFT_HAVE_START = 1u << 16,
	NFT_HAVE_CREQ = 1u << 17,	/* CR= of netfs_copy2cache */
	NFT_HAVE_CPU = 1u << 18,
	NFT_HAVE_PID = 1u << 19,
	/* fscache before 5.17: c= is a pointer, in cookie64 (and p= in id64) */
	NFT_HAVE_OLD_COOKIE = 1u << 30,
	/*
	 * A layout only kernels before 6.1 print (netfs_rreq without the
	 * origin column, 5.17's netfs_sreq with the trace before the source,
	 * netfs_read without ni=, W= on ref events): read with the 6.1
	 * generation's semantics.
	 */
	NFT_HAVE_PRE_6_1 = 1u << 20,
};

#define NFT_MAX_UNKNOWN 3

/* A printed symbol the vocabulary did not know, kept verbatim. */
struct nft_unknown_sym {
	uint8_t cls;		/* enum nft_sym_class */
	uint8_t len;
	const char *text;	/* not NUL-terminated; valid during the callback */
};

/*
 * One trace event.  Pointers (comm, name, raw, unknown texts) belong to the
 * decoder and are only valid during the sink callback: copy what you keep.
 *
 * Field use by event kind (only the ones listed are meaningful):
 *  netfs_read       rreq what(READ_TRACE) cookie ino start len i_size
 *  netfs_write      rreq what(WRITE_TRACE) cookie ino start len
 *  netfs_rreq       rreq origin what(RREQ_TRACE) flags
 *  netfs_sreq       rreq index source what(SREQ_TRACE) flags start
 *                   transferred len slot error
 *  netfs_failure    rreq index(-1 = none) source flags start transferred len
 *                   what(FAILURE) error
 *  netfs_rreq_ref   rreq what(RREQ_REF) ref
 *  netfs_sreq_ref   rreq index what(SREQ_REF) ref
 *  netfs_folio      ino first last what(FOLIO)
 *  netfs_folioq     rreq id2(fq id) what(FOLIOQ)
 *  netfs_write_iter ino start len flags
 *  netfs_collect    rreq start(=collected from) end
 *  netfs_collect_sreq   rreq stream index start transferred len
 *  netfs_collect_folio  rreq first(index) end(fend) cleaned_to collected_to
 *  netfs_collect_state  rreq collected_to cleaned_to notes
 *  netfs_collect_gap    rreq stream start(from) end(to) gap_type
 *  netfs_collect_stream rreq stream collected_to front (frn= or ito=)
 *  netfs_progress   rreq index start(f_start) transferred len(consumed) slot
 *                   end(f_avail: bytes at hand from f_start on)
 *  netfs_donate     rreq index(from) id2(to) what(DONATE) len(amount)
 *  netfs_read_progress_at rreq cleaned_to collected_to(progress_at)
 *  netfs_copy2cache rreq creq cookie ino
 *  NETFS_OTHER      a netfs_*, fscache_* or cachefiles_* event without a
 *                   layout here: name as printed, rreq (not HAVE_RREQ)
 *  fscache_cookie   cookie what(FSC_COOKIE) ref
 *  fscache_volume   volume what(FSC_VOLUME) ref
 *  fscache_cache    cache what(FSC_CACHE) ref
 *  fscache_active   cookie what(FSC_ACTIVE) ref n_accesses n_active
 *  fscache_access*  cookie/volume/cache what(FSC_ACCESS) ref n_accesses
 *  fscache_acquire  cookie volume ref(vr) n_active(vc)
 *  fscache_relinquish cookie volume ref n_active flags id2(retire)
 *  fscache_invalidate / fscache_resize cookie len(new size) start(old size)
 *  cachefiles_ref   cookie object ref what(CF_REF)
 *  cachefiles_prep_read object (or rreq+index on 6.1) source what(CF_PREP)
 *                   flags start len ino(netfs) id2(cache inode)
 *  cachefiles_read/write object id2(backer) start len
 *  cachefiles_coherency object what(CF_COHERENCY) ino
 *  cachefiles_vfs_error/io_error object id2(backer) what(CF_ERROR) error
 *  cachefiles_trunc object id2(backer) what(CF_TRUNC) start(from) end(to)
 *  other cachefiles events: object (when printed) and ino (B=)
 *  fscache before 5.17 (NFT_HAVE_OLD_COOKIE): cookie64 parent64, and
 *                   fscache_cookie what(FSC_COOKIE) ref(u=) n_active(Na=)
 *                   flags; fscache_acquire n_active(pc=) ref(pu=) of the
 *                   parent; fscache_relinquish ref(u=) id2(r=, retire);
 *                   the old-only events (NFT_OLD_FSCACHE_KINDS) cookie64
 *  NFT_EV_OTHER     name, and rreq/index when the line carries R=x[n]
 *  NFT_EV_LOST      lost (0 = an unknown number), cpu, flags
 *                   (NFT_LOST_TO_END: the cpu's events from here on are
 *                   all lost, as in a trace.dat cut short), end (the
 *                   lost events are older than this timestamp, 0 if not
 *                   known: an object first seen before it may have lost
 *                   some of its events too)
 */
#define NFT_LOST_TO_END 1u

struct nft_event {
	enum nft_event_kind kind;
	uint32_t have;		/* enum nft_have */
	uint64_t ts_ns;		/* timestamp in ns (NFT_HAVE_TS) */
	uint64_t pos;		/* line number (text) or record number (binary) */
	int32_t pid;
	int32_t cpu;
	char irqs[8];		/* the irqs-off/need-resched/... column, or "" */
	const char *comm;	/* NUL-terminated, "" when absent */
	const char *name;	/* event name as printed, NUL-terminated */
	const char *raw;	/* whole input line if the decoder has it */
	size_t raw_len;

	uint32_t rreq;		/* R= request debug id */
	uint32_t creq;		/* CR= */
	int32_t index;		/* subrequest debug index, -1 if none */
	int32_t stream;		/* stream number, -1 if none */
	uint32_t cookie;	/* c= */
	uint32_t object;	/* o= */
	uint32_t volume;	/* V= */
	uint32_t cache;		/* C= */
	uint32_t id2;		/* secondary id, see the table above */
	uint64_t cookie64;	/* c= of fscache before 5.17 (a pointer) */
	uint64_t parent64;	/* its p= (the parent cookie), 0 if none */

	uint16_t what;		/* the event's main trace symbol */
	uint16_t origin;	/* enum nft_origin (netfs_rreq) */
	uint16_t source;	/* enum nft_source */
	char gap_type;

	uint64_t start;
	uint64_t len;
	uint64_t transferred;
	uint64_t end;
	uint64_t i_size;
	uint64_t ino;
	uint64_t first;		/* folio first page index */
	uint64_t last;		/* folio last page index */
	uint64_t collected_to;
	uint64_t cleaned_to;
	uint64_t front;
	int64_t ref;
	int32_t n_accesses;
	int32_t n_active;
	int32_t error;		/* negative errno or 0 */
	uint32_t flags;
	uint32_t notes;
	int32_t slot;
	uint64_t lost;

	uint8_t n_unknown;
	struct nft_unknown_sym unknown[NFT_MAX_UNKNOWN];
};

/* Reset @ev to "nothing parsed" (index/stream -1, strings empty). */
void nft_event_init(struct nft_event *ev);

/* Tracepoint name of @kind, "" for NONE/OTHER/LOST. */
const char *nft_event_kind_name(enum nft_event_kind kind);

/* Look up a tracepoint name (not NUL-terminated); NFT_EV_OTHER if unknown. */
enum nft_event_kind nft_event_kind_lookup(const char *name, size_t len);

/*
 * Where events go.  @event returns 0 to continue, non-zero to stop the
 * decoder (which then returns that value).
 */
struct nft_sink {
	int (*event)(void *ctx, const struct nft_event *ev);
	void *ctx;
};

#endif /* NFT_EVENT_H */
