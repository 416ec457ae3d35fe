/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vocabulary: every symbol the netfs, fscache and cachefiles tracepoints
 * print through __print_symbolic(), in any kernel we know (6.1 .. 7.2 and the
 * research notes' union of mainline headers), mapped to one canonical enum per
 * symbol class.  The canonical name is the newest kernel's string, trimmed,
 * with inner runs of blanks folded to one space.  Older spellings are aliases.
 *
 * Value 0 of every class is "unknown": the decoder keeps the printed text
 * verbatim (struct nft_unknown_sym) and the model counts it.
 */
#ifndef NFT_VOCAB_H
#define NFT_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define NFT_SYM_CLASSES(X)                                                    \
	X(ORIGIN, "origin")                                                   \
	X(READ_TRACE, "netfs_read_trace")                                     \
	X(WRITE_TRACE, "netfs_write_trace")                                   \
	X(RREQ_TRACE, "netfs_rreq_trace")                                     \
	X(SOURCE, "netfs_source")                                             \
	X(SREQ_TRACE, "netfs_sreq_trace")                                     \
	X(FAILURE, "netfs_failure")                                           \
	X(RREQ_REF, "netfs_rreq_ref_trace")                                   \
	X(SREQ_REF, "netfs_sreq_ref_trace")                                   \
	X(FOLIO, "netfs_folio_trace")                                         \
	X(FOLIOQ, "netfs_folioq_trace")                                       \
	X(DONATE, "netfs_donate_trace")                                       \
	X(FSC_COOKIE, "fscache_cookie_trace")                                 \
	X(FSC_VOLUME, "fscache_volume_trace")                                 \
	X(FSC_CACHE, "fscache_cache_trace")                                   \
	X(FSC_ACCESS, "fscache_access_trace")                                 \
	X(FSC_ACTIVE, "fscache_active_trace")                                 \
	X(CF_REF, "cachefiles_obj_ref_trace")                                 \
	X(CF_COHERENCY, "cachefiles_coherency_trace")                         \
	X(CF_PREP, "cachefiles_prepare_read_trace")                           \
	X(CF_TRUNC, "cachefiles_trunc_trace")                                 \
	X(CF_ERROR, "cachefiles_error_trace")                                 \
	X(CF_KILL, "fscache_why_object_killed")

enum nft_sym_class {
#define NFT_X(c, n) NFT_SYMC_##c,
	NFT_SYM_CLASSES(NFT_X)
#undef NFT_X
	NFT_SYMC__NR
};

/* X(ENUM, "canonical string") per class. */
#define NFT_ORIGINS(X)                                                        \
	X(RA, "RA") X(RP, "RP") X(RG, "RG") X(R1, "R1") X(RW, "RW")           \
	X(UR, "UR") X(DR, "DR") X(WB, "WB") X(W1, "W1") X(WT, "WT")           \
	X(UW, "UW") X(DW, "DW") X(C2C, "2C") X(LW, "LW")

#define NFT_READ_TRACES(X)                                                    \
	X(DIO_READ, "DIO-READ") X(EXPANDED, "EXPANDED")                       \
	X(READAHEAD, "READAHEAD") X(READPAGE, "READPAGE")                     \
	X(READ_GAPS, "READ-GAPS") X(READ_SINGLE, "READ-SNGL")                 \
	X(PREFETCH_FOR_WRITE, "PREFETCHW") X(WRITE_BEGIN, "WRITEBEGN")

#define NFT_WRITE_TRACES(X)                                                   \
	X(COPY_TO_CACHE, "COPY2CACH") X(DIO_WRITE, "DIO-WRITE")               \
	X(UNBUFFERED_WRITE, "UNB-WRITE") X(WRITEBACK, "WRITEBACK")            \
	X(WRITEBACK_SINGLE, "WB-SINGLE") X(WRITETHROUGH, "WRITETHRU")         \
	X(LAUNDER, "LAUNDER")

#define NFT_RREQ_TRACES(X)                                                    \
	X(ASSESS, "ASSESS") X(COLLECT, "COLLECT") X(COMPLETE, "COMPLET")      \
	X(COPY, "COPY") X(DIRTY, "DIRTY") X(DONE, "DONE")                     \
	X(END_COPY_TO_CACHE, "END-C2C") X(FREE, "FREE") X(INTR, "INTR")       \
	X(KI_COMPLETE, "KI-CMPL") X(RA_PUT, "RA-PUT")                         \
	X(RECOLLECT, "RECLLCT") X(REDIRTY, "REDIRTY") X(RESUBMIT, "RESUBMT")  \
	X(SET_ABANDON, "S-ABNDN") X(SET_PAUSE, "PAUSE") X(UNLOCK, "UNLOCK")   \
	X(UNLOCK_PGPRIV2, "UNLCK-2") X(UNMARK, "UNMARK")                      \
	X(UNPAUSE, "UNPAUSE") X(WAIT_IP, "WAIT-IP")                           \
	X(WAIT_PAUSE, "--PAUSED--") X(WAIT_QUIESCE, "WAIT-QUIESCE")           \
	X(WAITED_IP, "DONE-IP") X(WAITED_PAUSE, "--UNPAUSED--")               \
	X(WAITED_QUIESCE, "DONE-QUIESCE") X(WAKE_IP, "WAKE-IP")               \
	X(WAKE_QUEUE, "WAKE-Q") X(WRITE_DONE, "WR-DONE")                      \
	X(WAIT_PREV_RA, "WAIT-P-RA") X(WAITED_PREV_RA, "DONE-P-RA")           \
	X(WOKE_QUEUE, "WOKE-Q")

#define NFT_SOURCES(X)                                                        \
	X(UNKNOWN_SOURCE, "----") X(ZERO, "ZERO") X(DOWNLOAD, "DOWN")         \
	X(CACHE_READ, "READ") X(INVALID, "INVL") X(UPLOAD, "UPLD")            \
	X(CACHE_WRITE, "WRIT")

#define NFT_SREQ_TRACES(X)                                                    \
	X(ABANDONED, "ABNDN") X(ADD_DONATIONS, "+DON") X(ADDED, "ADD")        \
	X(CACHE_NOWRITE, "CA-NW") X(CACHE_PREPARE, "CA-PR")                   \
	X(CACHE_WRITE, "CA-WR") X(CANCEL, "CANCL") X(CLEAR, "CLEAR")          \
	X(CONSUMED, "CONSM") X(DISCARD, "DSCRD") X(DONATE_TO_PREV, "DON-P")   \
	X(DONATE_TO_NEXT, "DON-N") X(DOWNLOAD_INSTEAD, "RDOWN")               \
	X(FAIL, "FAIL") X(FREE, "FREE") X(HIT_EOF, "EOF")                     \
	X(IO_BAD, "I-BAD") X(IO_MALFORMED, "I-MLF") X(IO_UNKNOWN, "I-UNK")    \
	X(IO_PROGRESS, "I-OK") X(IO_REQ_SUBMITTED, "I-RSB")                   \
	X(IO_RETRY_NEEDED, "I-RTR") X(LIMITED, "LIMIT")                       \
	X(NEED_CLEAR, "N-CLR") X(PARTIAL_READ, "PARTR")                       \
	X(NEED_RETRY, "ND-RT") X(PREPARE, "PREP") X(PREP_FAILED, "PRPFL")     \
	X(PROGRESS, "PRGRS") X(REPREP_FAILED, "REPFL") X(RETRY, "RETRY")      \
	X(SHORT, "SHORT") X(SPLIT, "SPLIT") X(SUBMIT, "SUBMT")                \
	X(SUPERFLUOUS, "SPRFL") X(TERMINATED, "TERM") X(WAIT_FOR, "_WAIT")    \
	X(WRITE, "WRITE") X(WRITE_SKIP, "SKIP") X(WRITE_TERM, "WTERM")        \
	X(TOO_MUCH, "!TOOM")

#define NFT_FAILURES(X)                                                       \
	X(CHECK_WRITE_BEGIN, "check-write-begin")                             \
	X(COPY_TO_CACHE, "copy-to-cache")                                     \
	X(DIO_READ_SHORT, "dio-read-short") X(DIO_READ_ZERO, "dio-read-zero") \
	X(READ, "read") X(SHORT_READ, "short-read")                           \
	X(PREPARE_WRITE, "prep-write") X(WRITE, "write")

#define NFT_RREQ_REFS(X)                                                      \
	X(GET_HOLD, "GET HOLD") X(GET_OUTSTANDING, "GET OUTSTND")             \
	X(GET_SUBREQ, "GET SUBREQ") X(GET_WORK, "GET WORK")                   \
	X(PUT_COMPLETE, "PUT COMPLT") X(PUT_DISCARD, "PUT DISCARD")           \
	X(PUT_FAILED, "PUT FAILED") X(PUT_HOLD, "PUT HOLD")                   \
	X(PUT_NO_SUBMIT, "PUT NO-SUBM") X(PUT_RETURN, "PUT RETURN")           \
	X(PUT_SUBREQ, "PUT SUBREQ") X(PUT_WORK, "PUT WORK")                   \
	X(PUT_WORK_COMPLETE, "PUT WORK CP") X(PUT_WORK_NQ, "PUT WORK NQ")     \
	X(PUT_WORK_IP, "PUT WORK IP") X(PUT_ZERO_LEN, "PUT ZEROLEN")          \
	X(SEE_WORK, "SEE WORK") X(SEE_WORK_COMPLETE, "SEE WORK CP")           \
	X(NEW, "NEW")

#define NFT_SREQ_REFS(X)                                                      \
	X(GET_COPY_TO_CACHE, "GET COPY2C") X(GET_RESUBMIT, "GET RESUBMT")     \
	X(GET_SUBMIT, "GET SUBMIT") X(GET_SHORT_READ, "GET SHORTRD")          \
	X(NEW, "NEW") X(PUT_ABANDON, "PUT ABANDON")                           \
	X(PUT_CANCEL, "PUT CANCEL") X(PUT_CLEAR, "PUT CLEAR")                 \
	X(PUT_CONSUMED, "PUT CONSUME") X(PUT_DISCARD, "PUT DISCARD")          \
	X(PUT_DONE, "PUT DONE") X(PUT_FAILED, "PUT FAILED")                   \
	X(PUT_MERGED, "PUT MERGED") X(PUT_NO_COPY, "PUT NO COPY")             \
	X(PUT_OOM, "PUT OOM") X(PUT_WIP, "PUT WIP") X(PUT_WORK, "PUT WORK")   \
	X(PUT_TERMINATED, "PUT TERM") X(SEE_FAILED, "SEE FAILED")

#define NFT_FOLIO_TRACES(X)                                                   \
	X(IS_UPTODATE, "mod-uptodate") X(JUST_PREFETCH, "mod-prefetch")       \
	X(WHOLE_MODIFY, "mod-whole-f") X(WHOLE_MODIFY_EFAULT, "mod-whole-f!") \
	X(WHOLE_MODIFY_FILLED, "mod-whole-f+")                                \
	X(WHOLE_MODIFY_FILLED_EFAULT, "mod-whole-f+!")                        \
	X(MODIFY_AND_CLEAR, "mod-n-clear")                                    \
	X(MODIFY_AND_CLEAR_RM, "mod-n-clear+") X(STREAMING, "mod-streamw")    \
	X(STREAMING_CONT, "mod-streamw+") X(FLUSH, "flush")                   \
	X(STREAMING_FILLED, "mod-streamw-f")                                  \
	X(STREAMING_CONT_FILLED, "mod-streamw-f+") X(ABANDON, "abandon")      \
	X(ALLOC_BUFFER, "alloc-buf") X(CANCEL_COPY, "cancel-copy")            \
	X(CANCEL_STORE, "cancel-store") X(CLEAR, "clear")                     \
	X(CLEAR_CC, "clear-cc") X(CLEAR_G, "clear-g") X(CLEAR_S, "clear-s")   \
	X(COPY_TO_CACHE, "mark-copy") X(END_COPY, "end-copy")                 \
	X(FILLED_GAPS, "filled-gaps") X(INVAL_ALL, "inval-all")               \
	X(INVAL_FRONT, "inval-front") X(INVAL_MID, "inval-mid")               \
	X(INVAL_TAIL, "inval-tail") X(KILL, "kill") X(KILL_CC, "kill-cc")     \
	X(KILL_G, "kill-g") X(KILL_S, "kill-s") X(MKWRITE, "mkwrite")         \
	X(MKWRITE_PLUS, "mkwrite+") X(NOT_UNDER_WBACK, "!wback")              \
	X(NOT_LOCKED, "!locked") X(PUT, "put") X(READ, "read")                \
	X(READ_DONE, "read-done") X(READ_GAPS, "read-gaps")                   \
	X(READ_PUT, "read-put") X(READ_UNLOCK, "read-unlock")                 \
	X(REDIRTIED, "redirtied") X(REDIRTY, "redirty") X(STORE, "store")     \
	X(STORE_COPY, "store-copy") X(STORE_PLUS, "store+") X(WTHRU, "wthru") \
	X(WTHRU_PLUS, "wthru+") X(LAUNDER, "launder")                         \
	X(PGPRIV2_COPY, "pgpriv2-copy") X(SCHED_COPY, "sched-copy")

/* 6.12.y stable kept five allocation traces that mainline dropped in 6.13. */
#define NFT_FOLIOQ_TRACES(X)                                                  \
	X(ALLOC_BUFFER, "alloc-buf") X(CLEAR, "clear") X(DELETE, "delete")    \
	X(MAKE_SPACE, "make-space") X(ROLLBUF_INIT, "roll-init")              \
	X(READ_PROGRESS, "r-progress") X(ALLOC_APPEND_FOLIO, "alloc-apf")     \
	X(ALLOC_READ_PREP, "alloc-r-prep") X(ALLOC_READ_PRIME, "alloc-r-prime") \
	X(ALLOC_READ_SING, "alloc-r-sing") X(PREP_WRITE, "prep-wr")

#define NFT_DONATE_TRACES(X)                                                  \
	X(TAIL_TO_PREV, "tail-to-prev") X(TO_PREV, "to-prev")                 \
	X(TO_NEXT, "to-next") X(TO_DEFERRED_NEXT, "defer-next")

#define NFT_FSC_COOKIE_TRACES(X)                                              \
	X(COLLISION, "*COLLIDE*") X(DISCARD, "DISCARD") X(FAILED, "FAILED")   \
	X(GET_ATTACH_OBJECT, "GET attch") X(GET_HASH_COLLISION, "GET hcoll")  \
	X(GET_END_ACCESS, "GQ endac") X(GET_INVAL_WORK, "GQ inval")           \
	X(GET_LRU, "GET lru") X(GET_USE_WORK, "GQ use")                       \
	X(NEW_ACQUIRE, "NEW acq") X(PUT_HASH_COLLISION, "PUT hcoll")          \
	X(PUT_LRU, "PUT lru") X(PUT_OBJECT, "PUT obj")                        \
	X(PUT_OVER_QUEUED, "PQ overq") X(PUT_RELINQUISH, "PUT relnq")         \
	X(PUT_WITHDRAWN, "PUT wthdn") X(PUT_WORK, "PQ work")                  \
	X(SEE_ACTIVE, "- activ") X(SEE_LRU_DISCARD, "- x-lru")                \
	X(SEE_LRU_DISCARD_CLEAR, "- lrudc") X(SEE_LRU_DO_ONE, "- lrudo")      \
	X(SEE_RELINQUISH, "- x-rlq") X(SEE_WITHDRAW, "- x-wth")               \
	X(SEE_WORK, "- work")                                                 \
	/* fscache before 5.17 only (4.17-5.16) */                            \
	X(GET_PARENT, "GET prn") X(PUT_PARENT, "PUT prn")                     \
	X(GET_REACQUIRE, "GET raq") X(GET_REGISTER_NETFS, "GET net")          \
	X(PUT_ACQUIRE_NOBUFS, "PUT nbf") X(PUT_DUP_NETFS, "PUT dnt")

#define NFT_FSC_VOLUME_TRACES(X)                                              \
	X(COLLISION, "*COLLIDE*") X(GET_COOKIE, "GET cook")                   \
	X(GET_CREATE_WORK, "GET creat") X(GET_HASH_COLLISION, "GET hcoll")    \
	X(GET_WITHDRAW, "GET withd") X(FREE, "FREE")                          \
	X(NEW_ACQUIRE, "NEW acq") X(PUT_COOKIE, "PUT cook")                   \
	X(PUT_CREATE_WORK, "PUT creat") X(PUT_HASH_COLLISION, "PUT hcoll")    \
	X(PUT_RELINQUISH, "PUT relnq") X(PUT_WITHDRAW, "PUT withd")           \
	X(SEE_CREATE_WORK, "SEE creat") X(SEE_HASH_WAKE, "SEE hwake")         \
	X(WAIT_CREATE_WORK, "WAIT crea")

#define NFT_FSC_CACHE_TRACES(X)                                               \
	X(COLLISION, "*COLLIDE*") X(GET_ACQUIRE, "GET acq")                   \
	X(NEW_ACQUIRE, "NEW acq") X(PUT_ALLOC_VOLUME, "PUT alvol")            \
	X(PUT_CACHE, "PUT cache") X(PUT_PREP_FAILED, "PUT pfail")             \
	X(PUT_RELINQUISH, "PUT relnq") X(PUT_VOLUME, "PUT vol")

#define NFT_FSC_ACCESS_TRACES(X)                                              \
	X(ACQUIRE_VOLUME, "BEGIN acq_vol") X(ACQUIRE_VOLUME_END, "END acq_vol") \
	X(CACHE_PIN, "PIN cache") X(CACHE_UNPIN, "UNPIN cache")               \
	X(INVALIDATE, "BEGIN inval") X(INVALIDATE_END, "END inval")           \
	X(IO_END, "END io") X(IO_NOT_LIVE, "END io_notl")                     \
	X(IO_READ, "BEGIN io_read") X(IO_RESIZE, "BEGIN io_resz")             \
	X(IO_WAIT, "WAIT io") X(IO_WRITE, "BEGIN io_writ")                    \
	X(LOOKUP, "BEGIN lookup") X(LOOKUP_END, "END lookup")                 \
	X(LOOKUP_END_FAILED, "END lookupf")                                   \
	X(RELINQUISH_VOLUME, "BEGIN rlq_vol")                                 \
	X(RELINQUISH_VOLUME_END, "END rlq_vol") X(UNLIVE, "END unlive")

#define NFT_FSC_ACTIVE_TRACES(X)                                              \
	X(USE, "USE") X(USE_MODIFY, "USE-m") X(UNUSE, "UNUSE")

#define NFT_CF_REF_TRACES(X)                                                  \
	X(GET_IOREQ, "GET ioreq") X(NEW, "NEW obj")                           \
	X(PUT_ALLOC_FAIL, "PUT alloc_fail") X(PUT_DETACH, "PUT detach")       \
	X(PUT_IOREQ, "PUT ioreq") X(SEE_CLEAN_COMMIT, "SEE clean_commit")     \
	X(SEE_CLEAN_DELETE, "SEE clean_delete")                               \
	X(SEE_CLEAN_DROP_TMP, "SEE clean_drop_tmp")                           \
	X(SEE_LOOKUP_COOKIE, "SEE lookup_cookie")                             \
	X(SEE_LOOKUP_FAILED, "SEE lookup_failed")                             \
	X(SEE_WITHDRAW_COOKIE, "SEE withdraw_cookie")                         \
	X(SEE_WITHDRAWAL, "SEE withdrawal")                                   \
	X(GET_ONDEMAND_FD, "GET ondemand_fd")                                 \
	X(PUT_ONDEMAND_FD, "PUT ondemand_fd") X(GET_READ_REQ, "GET read_req") \
	X(PUT_READ_REQ, "PUT read_req")

#define NFT_CF_COHERENCY_TRACES(X)                                            \
	X(BAD_AUX, "BAD aux") X(BAD_CONTENT, "BAD cont")                      \
	X(BAD_DIRTY, "BAD dirt") X(BAD_LEN, "BAD len")                        \
	X(BAD_OBJSIZE, "BAD osiz") X(OK, "OK") X(BAD_TYPE, "BAD type")        \
	X(BAD_XATTR, "BAD xatt") X(REMOVE, "REMOVE") X(SET_FAIL, "SET fail")  \
	X(SET_OK, "SET ok") X(VOL_BAD_CMP, "VOL BAD cmp")                     \
	X(VOL_OK, "VOL OK") X(VOL_BAD_RESV, "VOL BAD resv")                   \
	X(VOL_BAD_XATTR, "VOL BAD xatt") X(VOL_SET_FAIL, "VOL SET fail")      \
	X(VOL_SET_OK, "VOL SET ok")

#define NFT_CF_PREP_TRACES(X)                                                 \
	X(AFTER_EOF, "after-eof") X(FOUND_HOLE, "found-hole")                 \
	X(FOUND_PART, "found-part") X(HAVE_DATA, "have-data")                 \
	X(NO_DATA, "no-data") X(NO_FILE, "no-file")                           \
	X(SEEK_ERROR, "seek-error") X(SEEK_ENXIO, "seek-enxio")

#define NFT_CF_TRUNC_TRACES(X)                                                \
	X(CLEAR_PADDING, "CLRPAD") X(DIO_ADJUST, "DIOADJ")                    \
	X(EXPAND_TMPFILE, "EXPTMP") X(SHRINK, "SHRINK")

#define NFT_CF_ERROR_TRACES(X)                                                \
	X(ALIGNMENT, "align") X(FALLOCATE, "fallocate")                       \
	X(GETXATTR, "getxattr") X(LINK, "link") X(LOOKUP, "lookup")           \
	X(MKDIR, "mkdir") X(NOTIFY_CHANGE, "notify_change") X(OPEN, "open")   \
	X(READ, "read") X(REMXATTR, "remxattr") X(RENAME, "rename")           \
	X(SEEK, "seek") X(SETXATTR, "setxattr") X(STATFS, "statfs")           \
	X(TMPFILE, "tmpfile") X(TRUNC, "trunc") X(UNLINK, "unlink")           \
	X(WRITE, "write")

#define NFT_CF_KILL_TRACES(X)                                                 \
	X(IS_STALE, "stale") X(IS_WEIRD, "weird") X(INVALIDATED, "inval")     \
	X(NO_SPACE, "no_space") X(WAS_RETIRED, "was_retired")                 \
	X(WAS_CULLED, "was_culled") X(VOLUME_IS_WEIRD, "volume_weird")

#define NFT_DEFINE_SYM_ENUM(tag, PFX, LIST)                                   \
	enum tag {                                                            \
		PFX##_UNKNOWN = 0,                                            \
		LIST(NFT_SYM_ENUM_ENTRY_##PFX) PFX##__NR                      \
	}

#define NFT_SYM_ENUM_ENTRY_NFT_ORIGIN(e, s) NFT_ORIGIN_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_RD(e, s) NFT_RD_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_WR(e, s) NFT_WR_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_RREQ(e, s) NFT_RREQ_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_SRC(e, s) NFT_SRC_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_SREQ(e, s) NFT_SREQ_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FAIL(e, s) NFT_FAIL_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_RREF(e, s) NFT_RREF_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_SREF(e, s) NFT_SREF_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FOLIO(e, s) NFT_FOLIO_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FOLIOQ(e, s) NFT_FOLIOQ_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_DONATE(e, s) NFT_DONATE_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FSCK(e, s) NFT_FSCK_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FSCV(e, s) NFT_FSCV_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FSCC(e, s) NFT_FSCC_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FSCA(e, s) NFT_FSCA_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_FSCU(e, s) NFT_FSCU_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFREF(e, s) NFT_CFREF_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFCOH(e, s) NFT_CFCOH_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFPREP(e, s) NFT_CFPREP_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFTRUNC(e, s) NFT_CFTRUNC_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFERR(e, s) NFT_CFERR_##e,
#define NFT_SYM_ENUM_ENTRY_NFT_CFKILL(e, s) NFT_CFKILL_##e,

NFT_DEFINE_SYM_ENUM(nft_origin, NFT_ORIGIN, NFT_ORIGINS);
NFT_DEFINE_SYM_ENUM(nft_read_trace, NFT_RD, NFT_READ_TRACES);
NFT_DEFINE_SYM_ENUM(nft_write_trace, NFT_WR, NFT_WRITE_TRACES);
NFT_DEFINE_SYM_ENUM(nft_rreq_trace, NFT_RREQ, NFT_RREQ_TRACES);
NFT_DEFINE_SYM_ENUM(nft_source, NFT_SRC, NFT_SOURCES);
NFT_DEFINE_SYM_ENUM(nft_sreq_trace, NFT_SREQ, NFT_SREQ_TRACES);
NFT_DEFINE_SYM_ENUM(nft_failure, NFT_FAIL, NFT_FAILURES);
NFT_DEFINE_SYM_ENUM(nft_rreq_ref, NFT_RREF, NFT_RREQ_REFS);
NFT_DEFINE_SYM_ENUM(nft_sreq_ref, NFT_SREF, NFT_SREQ_REFS);
NFT_DEFINE_SYM_ENUM(nft_folio_trace, NFT_FOLIO, NFT_FOLIO_TRACES);
NFT_DEFINE_SYM_ENUM(nft_folioq_trace, NFT_FOLIOQ, NFT_FOLIOQ_TRACES);
NFT_DEFINE_SYM_ENUM(nft_donate_trace, NFT_DONATE, NFT_DONATE_TRACES);
NFT_DEFINE_SYM_ENUM(nft_fsc_cookie_trace, NFT_FSCK, NFT_FSC_COOKIE_TRACES);
NFT_DEFINE_SYM_ENUM(nft_fsc_volume_trace, NFT_FSCV, NFT_FSC_VOLUME_TRACES);
NFT_DEFINE_SYM_ENUM(nft_fsc_cache_trace, NFT_FSCC, NFT_FSC_CACHE_TRACES);
NFT_DEFINE_SYM_ENUM(nft_fsc_access_trace, NFT_FSCA, NFT_FSC_ACCESS_TRACES);
NFT_DEFINE_SYM_ENUM(nft_fsc_active_trace, NFT_FSCU, NFT_FSC_ACTIVE_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_ref_trace, NFT_CFREF, NFT_CF_REF_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_coherency_trace, NFT_CFCOH, NFT_CF_COHERENCY_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_prep_trace, NFT_CFPREP, NFT_CF_PREP_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_trunc_trace, NFT_CFTRUNC, NFT_CF_TRUNC_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_error_trace, NFT_CFERR, NFT_CF_ERROR_TRACES);
NFT_DEFINE_SYM_ENUM(nft_cf_kill_trace, NFT_CFKILL, NFT_CF_KILL_TRACES);

/*
 * Map printed text (padding and inner blank runs allowed, not
 * NUL-terminated) of class @cls to its canonical value; 0 if unknown.
 * Older kernels' spellings ("GET RESUBMIT", "IO", "WT-PAUS", "WAIT-Q", ...)
 * map to the same value as the newest spelling.
 */
int nft_sym_lookup(enum nft_sym_class cls, const char *text, size_t len);

/* Canonical name of @value in @cls ("?" if out of range, "" for 0). */
const char *nft_sym_name(enum nft_sym_class cls, int value);

/* Human name of a symbol class ("netfs_sreq_trace", ...). */
const char *nft_sym_class_name(enum nft_sym_class cls);

/* Number of values in @cls, counting the 0 "unknown" value. */
int nft_sym_count(enum nft_sym_class cls);

/*
 * What a ref-trace symbol does to the count, from its kernel naming
 * convention: GET/GQ +1, PUT/PQ -1, NEW sets, SEE/-/WAIT/FREE 0.
 */
enum nft_ref_op { NFT_REF_SEE = 0, NFT_REF_GET, NFT_REF_PUT, NFT_REF_NEW };
enum nft_ref_op nft_ref_op(enum nft_sym_class cls, int value);

/* Is @o a read origin (RA..DR), a write origin (WB..DW, 2C)? */
int nft_origin_is_read(int origin);

#endif /* NFT_VOCAB_H */
