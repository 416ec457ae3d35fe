// SPDX-License-Identifier: GPL-2.0
/*
 * Engine behaviour that real captures showed it was missing (the "engine"
 * rows of docs/model-replay.md): each check runs the engine on a small
 * scenario and compares one object's sequence with what the kernel of
 * that generation printed in the corpus capture named.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/engine/engine.h"
#include "libnetfs-trace/vocab.h"
#include "tap.h"

/* The sequence of one object, in the form netfs-replay --model prints. */
struct seq {
	int index;		/* subrequest debug index, -1 = the request */
	uint32_t rreq;		/* the request, 0 = the first one seen */
	char buf[4096];
	size_t len;
};

static void add(struct seq *q, const char *fmt, const char *a, const char *b,
		int ref)
{
	char step[96];
	int n;

	if (ref >= 0)
		n = snprintf(step, sizeof(step), fmt, a, b, ref);
	else
		n = snprintf(step, sizeof(step), fmt, a, b);
	if (n < 0 || q->len + n + 3 >= sizeof(q->buf))
		return;
	if (q->len)
		q->buf[q->len++] = ',', q->buf[q->len++] = ' ';
	memcpy(q->buf + q->len, step, n + 1);
	q->len += n;
}

static int on_event(void *ctx, const struct nft_event *ev)
{
	struct seq *q = ctx;
	int idx = (ev->have & NFT_HAVE_INDEX) ? ev->index : -1;

	if (!(ev->have & NFT_HAVE_RREQ))
		return 0;
	if (!q->rreq)
		q->rreq = ev->rreq;
	if (ev->rreq != q->rreq || idx != q->index)
		return 0;
	switch (ev->kind) {
	case NFT_EV_NETFS_RREQ:
		add(q, "%s%s", nft_sym_name(NFT_SYMC_RREQ_TRACE, ev->what), "", -1);
		break;
	case NFT_EV_NETFS_RREQ_REF:
		add(q, "%s%s r=%d", nft_sym_name(NFT_SYMC_RREQ_REF, ev->what), "",
		    (int)ev->ref);
		break;
	case NFT_EV_NETFS_SREQ:
		add(q, "%s %s", nft_sym_name(NFT_SYMC_SOURCE, ev->source),
		    nft_sym_name(NFT_SYMC_SREQ_TRACE, ev->what), -1);
		break;
	case NFT_EV_NETFS_SREQ_REF:
		add(q, "%s%s r=%d", nft_sym_name(NFT_SYMC_SREQ_REF, ev->what), "",
		    (int)ev->ref);
		break;
	case NFT_EV_NETFS_FAILURE:
		add(q, "failure %s%s", nft_sym_name(NFT_SYMC_FAILURE, ev->what), "",
		    -1);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Object @index of the first request of @scn, run with engine @features
 * (0 = the dialect's); NULL if the run failed.
 */
static const char *run_f(struct seq *q, const char *scn,
			 enum nft_engine_dialect d, unsigned int features,
			 int index)
{
	struct nft_sink sink = { on_event, q };
	struct nft_engine_opts o = { .seed = 7, .dialect = d, .inject = -1,
				     .features = features, .sink = &sink };
	struct nft_scenario *sc;
	struct nft_engine *e;
	char err[128];
	int rc = -1;

	memset(q, 0, sizeof(*q));
	q->index = index;
	sc = nft_scenario_parse(scn, "test", err, sizeof(err));
	if (!sc) {
		printf("# scenario: %s\n", err);
		return NULL;
	}
	e = nft_engine_new(sc, &o);
	if (e)
		rc = nft_engine_run(e);
	nft_engine_free(e);
	nft_scenario_free(sc);
	return rc ? NULL : q->buf;
}

static const char *run(struct seq *q, const char *scn,
		       enum nft_engine_dialect d, int index)
{
	return run_f(q, scn, d, 0, index);
}

/* What 6.16 and 6.18 do (docs/model-replay.md, "Behaviour variants"). */
#define F_616 (NFT_ENGINE_F_EXPLICIT | NFT_ENGINE_F_DIO_READ_ADD)

#define RA_9P "server 9p\nrsize 0x20000\n[op]\ntype readahead\nsize 0x20000\n"

/*
 * 7.2 fc_read R=00000e79[1]: with a cache the slice is traced PREP,
 * unsourced, by netfs_cache_prepare_read() before 9p reads it; 6.12 has
 * no such trace (R=... of 6.12 fc_read start at DOWN TERM).
 */
static void cache_prepare_read(void)
{
	struct seq q;

	is_str(run(&q, "cache 1\n" RA_9P, NFT_ENGINE_7_2, 1),
	       "---- PREP, DOWN TERM, PUT TERM r=1, DOWN CONSM, PUT DONE r=0, "
	       "DOWN FREE", "7.2 cache: ---- PREP first");
	is_str(run(&q, RA_9P, NFT_ENGINE_7_2, 1),
	       "DOWN TERM, PUT TERM r=1, DOWN CONSM, PUT DONE r=0, DOWN FREE",
	       "7.2 no cache: unchanged");
	is_str(run(&q, "cache 1\ncache_hit 1\n" RA_9P, NFT_ENGINE_7_2, 1),
	       "---- PREP, READ SUBMT, READ TERM, PUT TERM r=1, READ CONSM, "
	       "PUT DONE r=0, READ FREE", "7.2 cache hit: ---- PREP, READ SUBMT");
}

#define SMALL_9P "server 9p\ni_size 0x1400\nrsize 0x1400\n[op]\n" \
		 "type readahead\nsize 0x2000\n"

/*
 * 6.12 smallreads R=00000715: a 0x1400-byte file read by one 0x2000
 * readahead.  [1] ends inside folio 1 and donates its 0x400 to the slice
 * added after it (DON-N), which takes it (+DON) once its ZERO tail was
 * cleared (ZERO CLEAR, 6.12 only) and consumes the folio.
 */
static void donations_612(void)
{
	struct seq q;

	is_str(run(&q, SMALL_9P, NFT_ENGINE_6_12, 1),
	       "---- ADD, DOWN DON-N, PUT CONSUME r=1, DOWN TERM, PUT TERM r=0, "
	       "DOWN FREE", "6.12 [1]: DON-N, then PUT CONSUME");
	is_str(run(&q, SMALL_9P, NFT_ENGINE_6_12, 2),
	       "---- ADD, ZERO SUBMT, ZERO CLEAR, ZERO +DON, PUT CONSUME r=1, "
	       "ZERO TERM, PUT TERM r=0, ZERO FREE",
	       "6.12 [2]: ZERO CLEAR, +DON, PUT CONSUME");
	is_str(run(&q, SMALL_9P, NFT_ENGINE_7_2, 2),
	       "ZERO SUBMT, ZERO TERM, PUT TERM r=1, ZERO CONSM, PUT DONE r=0, "
	       "ZERO FREE", "7.2 [2]: no CLEAR, no donation");
}

#define TAIL_CIFS "server cifs\ni_size 0x1480\nrsize 0x10000\n[op]\n" \
		  "type readahead\nsize 0x2000\n"

/*
 * 6.12 smb_mmap_trunc_append R=00001173: the ZERO tail terminates while
 * the cifs read before it is in flight; it gives its part of the shared
 * folio to that one (DON-P), which takes it (+DON) when it completes.
 */
static void donate_to_prev_612(void)
{
	struct seq q;

	is_str(run(&q, TAIL_CIFS, NFT_ENGINE_6_12, 2),
	       "---- ADD, ZERO SUBMT, ZERO CLEAR, ZERO DON-P, PUT CONSUME r=1, "
	       "ZERO TERM, PUT TERM r=0, ZERO FREE", "6.12 [2]: DON-P");
	is_str(run(&q, TAIL_CIFS, NFT_ENGINE_6_12, 1),
	       "---- ADD, DOWN PREP, DOWN SUBMT, DOWN I-OK, DOWN +DON, "
	       "PUT CONSUME r=1, DOWN TERM, PUT TERM r=0, DOWN FREE",
	       "6.12 [1]: +DON, PUT CONSUME");
}

#define SHORT_9P "server 9p\nrsize 0x20000\n[op]\ntype readahead\n" \
		 "size 0x20000\nfault short\nfault_subreq 1\n"

/*
 * 6.12 fault_shrink R=00000c56: the file shrank on the server, 9p's read
 * came back short; 9p sets CLEAR_TAIL on buffered reads, so 6.12 zeroes
 * the rest (CLEAR) instead of retrying.  7.3 fault_shrink R=00000d3c (and
 * 6.16, 6.18, 7.2 alike): the termination says N-CLR, no PAUSE, and the
 * collector clears the tail before it consumes the slice.
 */
static void short_9p(void)
{
	struct seq q;

	is_str(run(&q, SHORT_9P, NFT_ENGINE_6_12, 1),
	       "---- ADD, DOWN CLEAR, PUT CONSUME r=1, DOWN TERM, PUT TERM r=0, "
	       "DOWN FREE", "6.12 short 9p read: CLEAR, no retry");
	is_str(run(&q, SHORT_9P, NFT_ENGINE_7_2, 1),
	       "DOWN N-CLR, DOWN TERM, PUT TERM r=1, DOWN CLEAR, DOWN CONSM, "
	       "PUT DONE r=0, DOWN FREE", "7.2 short 9p read: N-CLR, CLEAR");
	is_str(run(&q, "server 9p\nrsize 0x20000\n[op]\ntype readahead\n"
		   "size 0x20000\nfault zero\nfault_subreq 1\n", NFT_ENGINE_7_2, -1),
	       "NEW r=2, GET SUBREQ r=3, RA-PUT, PUT RETURN r=2, SEE WORK r=2, "
	       "COLLECT, PUT SUBREQ r=1, COMPLET, WAKE-IP, DONE, PUT WORK IP r=0, "
	       "FREE", "7.2 9p read of nothing: no PAUSE");
}

#define DW "rsize 0x100000\nwsize 0x100000\n[op]\ntype dio_write\n" \
	   "size 0x100000\n"

/*
 * 7.2 smb_dio R=000012d5: the sequential DIO writer waits for the cifs
 * write on the wire (WAIT-QUIESCE, _WAIT) before DONE-QUIESCE; a 9p write
 * finished inside issue_write() (7.2 diowrite): DONE-QUIESCE only.
 */
static void dio_write_quiesce_72(void)
{
	struct seq q;

	ok(run(&q, "server cifs\n" DW, NFT_ENGINE_7_2, -1) &&
	   strstr(q.buf, "GET SUBREQ r=3, WAIT-QUIESCE, WAKE-Q, DONE-QUIESCE"),
	   "7.2 cifs DW request: %s", q.buf);
	is_str(run(&q, "server cifs\n" DW, NFT_ENGINE_7_2, 1),
	       "UPLD PREP, UPLD SUBMT, UPLD _WAIT, UPLD I-OK, UPLD TERM, "
	       "PUT TERM r=1, PUT DONE r=0, UPLD FREE", "7.2 cifs DW [1]: _WAIT");
	ok(run(&q, "server 9p\n" DW, NFT_ENGINE_7_2, -1) &&
	   !strstr(q.buf, "WAIT-QUIESCE") && strstr(q.buf, "DONE-QUIESCE"),
	   "7.2 9p DW request: no WAIT-QUIESCE: %s", q.buf);
}

#define DR "rsize 0x10000\n[op]\ntype dio_read\nsize 0x10000\n"

/*
 * 6.12 smb_dio / retry1_smb_fault_killloop: the cifs completion drops the
 * last outstanding count and assesses before its own put (PUT CLEAR r=1,
 * then PUT TERM r=0); 9p's read completes while the issuer still holds
 * its count (PUT TERM first).  smb_fault_killloop R=000012b4: 6.12 fails
 * an -EAGAIN read (no retry, no PAUSE) and prints the failure after TERM.
 */
static void dio_read_put_order_612(void)
{
	struct seq q;

	is_str(run(&q, "server cifs\n" DR, NFT_ENGINE_6_12, 1),
	       "DOWN ADD, DOWN PREP, DOWN SUBMT, DOWN I-OK, DOWN TERM, "
	       "PUT CLEAR r=1, PUT TERM r=0, DOWN FREE",
	       "6.12 cifs DR: PUT CLEAR, PUT TERM");
	is_str(run(&q, "server 9p\n" DR, NFT_ENGINE_6_12, 1),
	       "DOWN ADD, DOWN PREP, DOWN TERM, PUT TERM r=1, PUT CLEAR r=0, "
	       "DOWN FREE", "6.12 9p DR: PUT TERM, PUT CLEAR");
	is_str(run(&q, "server cifs\n" DR "fault eagain\nfault_subreq 1\n",
		   NFT_ENGINE_6_12, 1),
	       "DOWN ADD, DOWN PREP, DOWN SUBMT, DOWN I-OK, DOWN TERM, "
	       "failure read, PUT CLEAR r=1, PUT TERM r=0, DOWN FREE",
	       "6.12 cifs DR -EAGAIN: failure after TERM, no retry");
	ok(run(&q, "server cifs\n" DR "fault eagain\nfault_subreq 1\n",
	       NFT_ENGINE_6_12, -1) && !strstr(q.buf, "PAUSE"),
	   "6.12 read request: no PAUSE: %s", q.buf);
}

#define RA_CIFS "server cifs\ni_size 0x2648\nrsize 0x2648\n[op]\n" \
		"type readahead\nsize 0x3000\n"

/*
 * 6.16 seqread R=000000e3, smb_smallreads: readahead has no RA-PUT (the
 * bulk drop of its folio refs came after 6.18); 7.3 smb_smallreads
 * R=000011df: RA-PUT once the first slice is out.
 */
static void ra_refs(void)
{
	struct seq q;

	is_str(run_f(&q, RA_9P, NFT_ENGINE_7_2, F_616, -1),
	       "NEW r=2, GET SUBREQ r=3, PUT RETURN r=2, SEE WORK r=2, COLLECT, "
	       "PUT SUBREQ r=1, COMPLET, WAKE-IP, DONE, PUT WORK IP r=0, FREE",
	       "6.16 9p readahead: no RA-PUT");
	ok(run_f(&q, RA_CIFS, NFT_ENGINE_7_2, F_616, -1) &&
	   !strstr(q.buf, "RA-PUT") &&
	   !strncmp(q.buf, "NEW r=2, GET SUBREQ r=3, GET SUBREQ r=4, PUT RETURN r=3", 55),
	   "6.16 cifs readahead: %s", q.buf);
	ok(run(&q, RA_CIFS, NFT_ENGINE_7_2, -1) &&
	   !strncmp(q.buf, "NEW r=2, GET SUBREQ r=3, RA-PUT, GET SUBREQ r=4, "
		    "PUT RETURN r=3", 63),
	   "7.2 cifs readahead: RA-PUT after the first slice: %s", q.buf);
}

/*
 * 6.16 dioread R=00000979, 6.18 smb_dio: a DIO read slice is traced ADD
 * as it is queued, before PREP; 7.2 has no ADD there.
 */
static void dio_read_add(void)
{
	struct seq q;

	is_str(run_f(&q, "server 9p\nrsize 0x100000\n[op]\ntype dio_read\n"
		     "size 0x100000\n", NFT_ENGINE_7_2, F_616, 1),
	       "DOWN ADD, DOWN PREP, DOWN TERM, PUT TERM r=1, DOWN CONSM, "
	       "PUT DONE r=0, DOWN FREE", "6.16 9p DR [1]: ADD, PREP");
	is_str(run(&q, "server 9p\nrsize 0x100000\n[op]\ntype dio_read\n"
		   "size 0x100000\n", NFT_ENGINE_7_2, 1),
	       "DOWN PREP, DOWN TERM, PUT TERM r=1, DOWN CONSM, PUT DONE r=0, "
	       "DOWN FREE", "7.2 9p DR [1]: no ADD");
}

#define DW_8 "server 9p\nwsize 0x20000\n[op]\ntype dio_write\nsize 0x100000\n"

/*
 * 6.16/6.18 DIO writes are not yet issued one at a time: the app thread
 * issues every slice, only the head's termination wakes it (WAKE-Q), and
 * it collects them itself (COLLECT ... PUT WORK IP, DONE-IP).  6.16
 * diowrite R=000009cf (9p, eight slices), smb_dio R=0000120d (cifs).
 */
static void dio_write_616(void)
{
	struct seq q;

	is_str(run_f(&q, DW_8, NFT_ENGINE_7_2, F_616, -1),
	       "NEW r=2, GET SUBREQ r=3, WAKE-Q, GET SUBREQ r=4, GET SUBREQ r=5, "
	       "GET SUBREQ r=6, GET SUBREQ r=7, GET SUBREQ r=8, GET SUBREQ r=9, "
	       "GET SUBREQ r=10, COLLECT, PUT SUBREQ r=9, PUT SUBREQ r=8, "
	       "PUT SUBREQ r=7, PUT SUBREQ r=6, PUT SUBREQ r=5, PUT SUBREQ r=4, "
	       "PUT SUBREQ r=3, PUT SUBREQ r=2, WR-DONE, WAKE-IP, PUT WORK IP r=1, "
	       "DONE-IP, PUT RETURN r=0, FREE", "6.16 9p DW: the app thread collects");
	is_str(run_f(&q, "server cifs\n" DW, NFT_ENGINE_7_2, F_616, -1),
	       "NEW r=2, GET SUBREQ r=3, WAIT-IP, WAKE-Q, COLLECT, PUT SUBREQ r=2, "
	       "WR-DONE, WAKE-IP, PUT WORK IP r=1, DONE-IP, PUT RETURN r=0, FREE",
	       "6.16 cifs DW: WAIT-IP, then collects");
	is_str(run_f(&q, "server cifs\n" DW, NFT_ENGINE_7_2, F_616, 1),
	       "UPLD PREP, UPLD SUBMT, UPLD I-OK, UPLD TERM, PUT TERM r=1, "
	       "PUT DONE r=0, UPLD FREE", "6.16 cifs DW [1]: no _WAIT");
}

/*
 * 6.18 smb_fault_killloop R=00001616: cifs marks the read for retry
 * (I-RTR) but 6.18 fails any server read error (failure, ABNDN); 7.2
 * reissues it (retry1_smb_fault_killloop R=000000ff).
 */
static void read_err_retry(void)
{
	struct seq q;

	is_str(run_f(&q, "server cifs\n" DR "fault eagain\nfault_subreq 1\n",
		     NFT_ENGINE_7_2, F_616, 1),
	       "DOWN ADD, DOWN PREP, DOWN SUBMT, DOWN I-RTR, DOWN I-OK, "
	       "failure read, DOWN TERM, PUT TERM r=1, DOWN ABNDN, "
	       "PUT ABANDON r=0, DOWN FREE", "6.18 cifs DR -EAGAIN: failed");
	ok(run(&q, "server cifs\n" DR "fault eagain\nfault_subreq 1\n",
	       NFT_ENGINE_7_2, 1) && strstr(q.buf, "DOWN TERM, PUT TERM r=1, DOWN RETRY"),
	   "7.2 cifs DR -EAGAIN: retried: %s", q.buf);
}

#define WB_CACHE "server 9p\ncache 1\nwsize 0x20000\n[op]\ntype writeback\n" \
		 "size 0x200000\n"

/*
 * 7.2 fc_write R=000010e3 (6.16, 6.18, 7.3 alike): the cache stream's
 * subrequests cover 1 MiB (BIO_MAX_VECS order-0 folios) while 9p's cover
 * wsize, so [2] and [b] are the cache writes; 6.16+ cachefiles traces
 * CA-PR and CA-WR after SUBMT.
 */
static void cache_write_streams(void)
{
	struct seq q;

	is_str(run(&q, WB_CACHE, NFT_ENGINE_7_2, 2),
	       "WRIT PREP, WRIT SUBMT, WRIT CA-PR, WRIT CA-WR, WRIT TERM, "
	       "PUT TERM r=1, PUT DONE r=0, WRIT FREE", "7.2 WB [2]: the first cache write");
	ok(run(&q, WB_CACHE, NFT_ENGINE_7_2, 0xb) && !strncmp(q.buf, "WRIT PREP", 9),
	   "7.2 WB [b]: the second cache write: %s", q.buf);
	ok(run(&q, WB_CACHE, NFT_ENGINE_7_2, 0x13) && !q.len,
	   "7.2 WB: 18 subrequests: %s", q.buf);
	is_str(run(&q, WB_CACHE, NFT_ENGINE_6_12, 2),
	       "WRIT PREP, WRIT SUBMT, WRIT TERM, PUT TERM r=1, PUT DONE r=0, "
	       "WRIT FREE", "6.12 WB [2]: no CA-PR");
}

/*
 * 6.12 fc_read R=00000daa: a read from the cache completes in an async
 * context; its termination queues the assessment on a work item (GET WORK
 * ... SEE WORK, ASSESS, WAKE-IP, DONE, PUT WORK CP).  A 9p server read
 * assesses inline.
 */
static void cache_read_work_612(void)
{
	struct seq q;

	is_str(run(&q, "cache 1\ncache_hit 1\n" RA_9P, NFT_ENGINE_6_12, -1),
	       "NEW r=1, GET SUBREQ r=2, PUT RETURN r=1, GET WORK r=2, "
	       "PUT SUBREQ r=1, SEE WORK r=1, ASSESS, WAKE-IP, DONE, "
	       "PUT WORK CP r=0, FREE", "6.12 cache read: assessed by the work item");
	is_str(run(&q, "cache 1\ncache_hit 1\n" RA_9P, NFT_ENGINE_6_12, 1),
	       "---- ADD, READ SUBMT, PUT CONSUME r=1, READ TERM, PUT TERM r=0, "
	       "READ FREE", "6.12 cache read [1]");
	ok(run(&q, "cache 1\n" RA_9P, NFT_ENGINE_6_12, -1) &&
	   !strstr(q.buf, "WORK"), "6.12 server read: no work item: %s", q.buf);
}

int main(void)
{
	cache_read_work_612();
	dio_read_put_order_612();
	dio_write_quiesce_72();
	short_9p();
	ra_refs();
	dio_read_add();
	dio_write_616();
	read_err_retry();
	cache_write_streams();
	donate_to_prev_612();
	cache_prepare_read();
	donations_612();
	return tap_done();
}
