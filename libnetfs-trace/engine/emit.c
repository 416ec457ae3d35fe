// SPDX-License-Identifier: GPL-2.0
/*
 * Output: every trace point goes to the sink as a struct nft_event and/or
 * to a tracefs "trace" text file, spelled exactly as the chosen kernel
 * prints it (padded __print_symbolic strings, its flag bit numbers, its
 * field layout).  Formatting is hand-rolled because printf is the
 * bottleneck at millions of lines per second.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct symtab {
	const char *const *origin, *const *rd, *const *wr, *const *rreq;
	const char *const *sreq, *const *rref, *const *sref;
};

#define S_ORIGIN(e, s) [NFT_ORIGIN_##e] = s,

static const char *const origin_612[NFT_ORIGIN__NR] = {
	[NFT_ORIGIN_RA] = "RA", [NFT_ORIGIN_RP] = "RP", [NFT_ORIGIN_RG] = "RG",
	[NFT_ORIGIN_RW] = "RW", [NFT_ORIGIN_DR] = "DR", [NFT_ORIGIN_WB] = "WB",
	[NFT_ORIGIN_WT] = "WT", [NFT_ORIGIN_UW] = "UW", [NFT_ORIGIN_DW] = "DW",
	[NFT_ORIGIN_C2C] = "2C",
};

static const char *const origin_72[NFT_ORIGIN__NR] = {
	NFT_ORIGINS(S_ORIGIN)
};

static const char *const rd_612[NFT_RD__NR] = {
	[NFT_RD_DIO_READ] = "DIO-READ ", [NFT_RD_READAHEAD] = "READAHEAD",
	[NFT_RD_READPAGE] = "READPAGE ", [NFT_RD_WRITE_BEGIN] = "WRITEBEGN",
};

static const char *const rd_72[NFT_RD__NR] = {
	[NFT_RD_DIO_READ] = "DIO-READ ", [NFT_RD_READAHEAD] = "READAHEAD",
	[NFT_RD_READPAGE] = "READPAGE ", [NFT_RD_WRITE_BEGIN] = "WRITEBEGN",
	[NFT_RD_READ_SINGLE] = "READ-SNGL",
};

static const char *const wr_all[NFT_WR__NR] = {
	[NFT_WR_COPY_TO_CACHE] = "COPY2CACH", [NFT_WR_DIO_WRITE] = "DIO-WRITE",
	[NFT_WR_UNBUFFERED_WRITE] = "UNB-WRITE", [NFT_WR_WRITEBACK] = "WRITEBACK",
	[NFT_WR_WRITETHROUGH] = "WRITETHRU",
};

static const char *const rreq_612[NFT_RREQ__NR] = {
	[NFT_RREQ_ASSESS] = "ASSESS ", [NFT_RREQ_COLLECT] = "COLLECT",
	[NFT_RREQ_DONE] = "DONE   ", [NFT_RREQ_FREE] = "FREE   ",
	[NFT_RREQ_RESUBMIT] = "RESUBMT", [NFT_RREQ_SET_PAUSE] = "PAUSE  ",
	[NFT_RREQ_WAIT_IP] = "WAIT-IP",
	[NFT_RREQ_WAKE_IP] = "WAKE-IP", [NFT_RREQ_UNPAUSE] = "UNPAUSE",
	[NFT_RREQ_WRITE_DONE] = "WR-DONE",
};

static const char *const rreq_72[NFT_RREQ__NR] = {
	[NFT_RREQ_ASSESS] = "ASSESS ", [NFT_RREQ_COLLECT] = "COLLECT",
	[NFT_RREQ_COMPLETE] = "COMPLET", [NFT_RREQ_DONE] = "DONE   ",
	[NFT_RREQ_FREE] = "FREE   ", [NFT_RREQ_INTR] = "INTR   ",
	[NFT_RREQ_KI_COMPLETE] = "KI-CMPL", [NFT_RREQ_RA_PUT] = "RA-PUT ",
	[NFT_RREQ_RESUBMIT] = "RESUBMT", [NFT_RREQ_SET_ABANDON] = "S-ABNDN",
	[NFT_RREQ_SET_PAUSE] = "PAUSE  ", [NFT_RREQ_UNPAUSE] = "UNPAUSE",
	[NFT_RREQ_WAIT_IP] = "WAIT-IP", [NFT_RREQ_WAITED_IP] = "DONE-IP",
	[NFT_RREQ_WAITED_QUIESCE] = "DONE-QUIESCE",
	[NFT_RREQ_WAKE_IP] = "WAKE-IP", [NFT_RREQ_WAKE_QUEUE] = "WAKE-Q ",
	[NFT_RREQ_WRITE_DONE] = "WR-DONE",
};

static const char *const sreq_612[NFT_SREQ__NR] = {
	[NFT_SREQ_ADDED] = "ADD  ", [NFT_SREQ_CLEAR] = "CLEAR",
	[NFT_SREQ_ADD_DONATIONS] = "+DON ",
	[NFT_SREQ_DONATE_TO_PREV] = "DON-P", [NFT_SREQ_DONATE_TO_NEXT] = "DON-N",
	[NFT_SREQ_DISCARD] = "DSCRD", [NFT_SREQ_FAIL] = "FAIL ",
	[NFT_SREQ_FREE] = "FREE ", [NFT_SREQ_HIT_EOF] = "EOF  ",
	[NFT_SREQ_LIMITED] = "LIMIT",
	[NFT_SREQ_PREPARE] = "PREP ", [NFT_SREQ_PREP_FAILED] = "PRPFL",
	[NFT_SREQ_REPREP_FAILED] = "REPFL", [NFT_SREQ_RETRY] = "RETRY",
	[NFT_SREQ_SHORT] = "SHORT", [NFT_SREQ_SPLIT] = "SPLIT",
	[NFT_SREQ_SUBMIT] = "SUBMT", [NFT_SREQ_TERMINATED] = "TERM ",
};

static const char *const sreq_72[NFT_SREQ__NR] = {
	[NFT_SREQ_ABANDONED] = "ABNDN", [NFT_SREQ_ADDED] = "ADD  ",
	[NFT_SREQ_CACHE_PREPARE] = "CA-PR", [NFT_SREQ_CACHE_WRITE] = "CA-WR",
	[NFT_SREQ_CANCEL] = "CANCL", [NFT_SREQ_CLEAR] = "CLEAR",
	[NFT_SREQ_CONSUMED] = "CONSM", [NFT_SREQ_DISCARD] = "DSCRD",
	[NFT_SREQ_FAIL] = "FAIL ", [NFT_SREQ_FREE] = "FREE ",
	[NFT_SREQ_HIT_EOF] = "EOF  ",
	[NFT_SREQ_IO_RETRY_NEEDED] = "I-RTR", [NFT_SREQ_LIMITED] = "LIMIT",
	[NFT_SREQ_NEED_CLEAR] = "N-CLR", [NFT_SREQ_PARTIAL_READ] = "PARTR",
	[NFT_SREQ_NEED_RETRY] = "ND-RT", [NFT_SREQ_PREPARE] = "PREP ",
	[NFT_SREQ_PREP_FAILED] = "PRPFL", [NFT_SREQ_REPREP_FAILED] = "REPFL",
	[NFT_SREQ_RETRY] = "RETRY", [NFT_SREQ_SHORT] = "SHORT",
	[NFT_SREQ_SPLIT] = "SPLIT", [NFT_SREQ_SUBMIT] = "SUBMT",
	[NFT_SREQ_SUPERFLUOUS] = "SPRFL", [NFT_SREQ_TERMINATED] = "TERM ",
	[NFT_SREQ_WAIT_FOR] = "_WAIT",
};

static const char *const rref_612[NFT_RREF__NR] = {
	[NFT_RREF_GET_SUBREQ] = "GET SUBREQ ", [NFT_RREF_GET_WORK] = "GET WORK   ",
	[NFT_RREF_PUT_COMPLETE] = "PUT COMPLT ",
	[NFT_RREF_PUT_FAILED] = "PUT FAILED ",
	[NFT_RREF_PUT_RETURN] = "PUT RETURN ",
	[NFT_RREF_PUT_SUBREQ] = "PUT SUBREQ ", [NFT_RREF_PUT_WORK] = "PUT WORK   ",
	[NFT_RREF_PUT_WORK_COMPLETE] = "PUT WORK CP",
	[NFT_RREF_PUT_WORK_NQ] = "PUT WORK NQ", [NFT_RREF_SEE_WORK] = "SEE WORK   ",
	[NFT_RREF_NEW] = "NEW        ",
};

static const char *const rref_72[NFT_RREF__NR] = {
	[NFT_RREF_GET_SUBREQ] = "GET SUBREQ ",
	[NFT_RREF_PUT_COMPLETE] = "PUT COMPLT ",
	[NFT_RREF_PUT_FAILED] = "PUT FAILED ",
	[NFT_RREF_PUT_RETURN] = "PUT RETURN ",
	[NFT_RREF_PUT_SUBREQ] = "PUT SUBREQ ",
	[NFT_RREF_PUT_WORK_IP] = "PUT WORK IP ",
	[NFT_RREF_SEE_WORK] = "SEE WORK   ",
	[NFT_RREF_SEE_WORK_COMPLETE] = "SEE WORK CP",
	[NFT_RREF_NEW] = "NEW        ",
};

static const char *const sref_612[NFT_SREF__NR] = {
	[NFT_SREF_NEW] = "NEW        ",
	[NFT_SREF_PUT_CANCEL] = "PUT CANCEL ", [NFT_SREF_PUT_CLEAR] = "PUT CLEAR  ",
	[NFT_SREF_PUT_CONSUMED] = "PUT CONSUME", [NFT_SREF_PUT_DONE] = "PUT DONE   ",
	[NFT_SREF_PUT_FAILED] = "PUT FAILED ",
	[NFT_SREF_PUT_TERMINATED] = "PUT TERM   ",
};

static const char *const sref_72[NFT_SREF__NR] = {
	[NFT_SREF_NEW] = "NEW        ",
	[NFT_SREF_PUT_ABANDON] = "PUT ABANDON",
	[NFT_SREF_PUT_CANCEL] = "PUT CANCEL ", [NFT_SREF_PUT_CLEAR] = "PUT CLEAR  ",
	[NFT_SREF_PUT_CONSUMED] = "PUT CONSUME", [NFT_SREF_PUT_DONE] = "PUT DONE   ",
	[NFT_SREF_PUT_FAILED] = "PUT FAILED ",
	[NFT_SREF_PUT_TERMINATED] = "PUT TERM   ",
	[NFT_SREF_SEE_FAILED] = "SEE FAILED ",
};

static const struct symtab sym_612 = {
	.origin = origin_612, .rd = rd_612, .wr = wr_all, .rreq = rreq_612,
	.sreq = sreq_612, .rref = rref_612, .sref = sref_612,
};

static const struct symtab sym_72 = {
	.origin = origin_72, .rd = rd_72, .wr = wr_all, .rreq = rreq_72,
	.sreq = sreq_72, .rref = rref_72, .sref = sref_72,
};

const struct symtab *symtab_get(enum nft_engine_dialect d)
{
	return d == NFT_ENGINE_6_12 ? &sym_612 : &sym_72;
}

/*
 * The kernel bit of each RF_* / SF_* flag, from the generation's table
 * (gen.c): 6.12 prints IN_PROGRESS as 0x20 and ALL_QUEUED as 0x2000, 6.16+
 * renumbered them to 0x1 and 0x2 (f=20103, f=112 in the 7.2 captures).
 * RF_RETRYING is NEED_RETRY where there is no RETRYING (6.12-6.13).
 */
void profile_bits(struct nft_engine *e)
{
	static const enum nft_rflag rf[10] = {
		NFT_RF_IN_PROGRESS, NFT_RF_ALL_QUEUED, NFT_RF_PAUSE,
		NFT_RF_FAILED, NFT_RF_RETRYING, NFT_RF_OFFLOAD_COLLECTION,
		NFT_RF_NO_UNLOCK_FOLIO, NFT_RF_UPLOAD_TO_SERVER,
		NFT_RF_USE_IO_ITER, NFT_RF_RA_REFS,
	};
	static const enum nft_sflag sf[6] = {
		NFT_SF_CLEAR_TAIL, NFT_SF_MADE_PROGRESS, NFT_SF_IN_PROGRESS,
		NFT_SF_NEED_RETRY, NFT_SF_FAILED, NFT_SF_HIT_EOF,
	};
	int i;

	for (i = 0; i < 10; i++)
		e->rbit[i] = nft_gen_rbit(e->prof, rf[i]);
	if (!e->rbit[4])
		e->rbit[4] = nft_gen_rbit(e->prof, NFT_RF_NEED_RETRY);
	for (i = 0; i < 6; i++)
		e->sbit[i] = nft_gen_sbit(e->prof, sf[i]);
}

static unsigned int map_bits(const unsigned int *bits, int n, unsigned int f)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < n; i++)
		if (f & (1u << i))
			v |= bits[i];
	return v;
}

static unsigned int rflags(struct nft_engine *e, const struct req *r)
{
	unsigned int f = r->flags;

	/* 6.12 reads never show ALL_QUEUED: the read side had no such flag. */
	if (!e->prof->read_collector && !r->write)
		f &= ~RF_ALL_QUEUED;
	return map_bits(e->rbit, 10, f);
}

static unsigned int sflags(struct nft_engine *e, const struct sreq *s)
{
	unsigned int f = s->flags;

	if (!e->prof->read_collector && !s->req->write)
		f &= ~SF_IN_PROGRESS;
	return map_bits(e->sbit, 6, f);
}

/* ---- the output buffer ---- */

/*
 * begin() reserves LINE_MAX_ for the whole line, so the ob_* helpers write
 * without checking: they are the hot path (perf: ~50% of a text run).
 */
#define LINE_MAX_ 512

static void ob_reserve(struct out_buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	b->cap = (b->len + n) * 2;
	b->p = realloc(b->p, b->cap);
	if (!b->p)
		abort();
}

static inline __attribute__((always_inline)) void
ob_mem(struct out_buf *b, const char *s, size_t n)
{
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static inline void ob_str(struct out_buf *b, const char *s)
{
	char *d = b->p + b->len;

	while (*s)
		*d++ = *s++;
	b->len = d - b->p;
}

static const char hexdig[] = "0123456789abcdef";

/* Hex, zero-padded to @width; written backwards into place. */
static void ob_hex(struct out_buf *b, uint64_t v, int width)
{
	int n = v ? (64 - __builtin_clzll(v) + 3) / 4 : 1;
	char *d;

	if (n < width)
		n = width;
	d = b->p + b->len + n;
	b->len += n;
	while (n--) {
		*--d = hexdig[v & 15];
		v >>= 4;
	}
}

static const char dec2[200] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal, padded with @pad to @width; two digits per division. */
static void ob_dec(struct out_buf *b, int64_t sv, int width, char pad)
{
	char t[24], *q = t + sizeof(t);
	bool neg = sv < 0;
	uint64_t v = neg ? -(uint64_t)sv : (uint64_t)sv;
	int n;

	while (v >= 100) {
		unsigned int r = v % 100;

		v /= 100;
		*--q = dec2[2 * r + 1];
		*--q = dec2[2 * r];
	}
	if (v >= 10) {
		*--q = dec2[2 * v + 1];
		*--q = dec2[2 * v];
	} else {
		*--q = '0' + v;
	}
	if (neg)
		*--q = '-';
	n = t + sizeof(t) - q;
	while (n < width) {
		*--q = pad;
		n++;
	}
	memcpy(b->p + b->len, q, n);
	b->len += n;
}

int out_flush(struct nft_engine *e)
{
	if (e->o.text && e->out.len &&
	    fwrite(e->out.p, 1, e->out.len, e->o.text) != e->out.len) {
		e->error = errno ? errno : EIO;
		e->stop = -1;
	}
	e->out.len = 0;
	return e->stop < 0 ? -1 : 0;
}

void out_header(struct nft_engine *e)
{
	static const char hdr[] =
		"#                                _-----=> irqs-off/BH-disabled\n"
		"#                               / _----=> need-resched\n"
		"#                              | / _---=> hardirq/softirq\n"
		"#                              || / _--=> preempt-depth\n"
		"#                              ||| / _-=> migrate-disable\n"
		"#                              |||| /     delay\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |         |   |||||     |         |\n";

	if (!e->o.text || e->o.form != NFT_FORM_TRACE)
		return;
	/* The real counts are unknown until the end: a run is not a ring. */
	fputs("# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:2\n#\n",
	      e->o.text);
	fputs(hdr, e->o.text);
}

/*
 * The text prefix "comm-pid [cpu] irqs secs.usecs: " of the last line:
 * runs of events from one actor in one microsecond (most of them) copy it.
 */
static void prefix(struct nft_engine *e)
{
	struct out_buf *b = &e->out;
	struct line_prefix *lp = &e->lp;
	uint64_t us = e->now / 1000;
	size_t cl, start = b->len;

	if (lp->len && lp->us == us && lp->comm == e->cur.comm &&
	    lp->pid == e->cur.pid && lp->cpu == e->cur.cpu &&
	    !memcmp(lp->irqs, e->cur.irqs, 6)) {
		ob_mem(b, lp->text, lp->len);
		return;
	}
	cl = strlen(e->cur.comm);
	while (cl++ < 16)
		b->p[b->len++] = ' ';
	ob_str(b, e->cur.comm);
	ob_mem(b, "-", 1);
	ob_dec(b, e->cur.pid, 0, ' ');
	cl = e->cur.pid < 10 ? 1 : e->cur.pid < 100 ? 2 : e->cur.pid < 1000 ? 3 :
	     e->cur.pid < 10000 ? 4 : 5;
	while (cl++ < 7)
		ob_mem(b, " ", 1);
	ob_mem(b, " [", 2);
	ob_dec(b, e->cur.cpu, 3, '0');
	ob_mem(b, "] ", 2);
	ob_str(b, e->cur.irqs);
	ob_mem(b, " ", 1);
	ob_dec(b, us / 1000000, 5, ' ');
	ob_mem(b, ".", 1);
	ob_dec(b, us % 1000000, 6, '0');
	ob_mem(b, ": ", 2);
	lp->len = b->len - start;
	if (lp->len > sizeof(lp->text)) {
		lp->len = 0;
		return;
	}
	memcpy(lp->text, b->p + start, lp->len);
	lp->us = us;
	lp->comm = e->cur.comm;
	lp->pid = e->cur.pid;
	lp->cpu = e->cur.cpu;
	memcpy(lp->irqs, e->cur.irqs, 6);
}

/* Start an event: the common fields and the text line prefix. */
static size_t begin(struct nft_engine *e, enum nft_event_kind kind)
{
	struct nft_event *ev = &e->ev;
	struct out_buf *b = &e->out;
	size_t start;

	/* Only a sink reads the whole event; the text needs the set fields. */
	if (e->o.sink)
		nft_event_init(ev);
	ev->kind = kind;
	ev->ts_ns = e->now;
	ev->pid = e->cur.pid;
	ev->cpu = e->cur.cpu;
	ev->comm = e->cur.comm;
	ev->name = nft_event_kind_name(kind);
	memcpy(ev->irqs, e->cur.irqs, 6);
	ev->have = NFT_HAVE_TS | NFT_HAVE_CPU | NFT_HAVE_PID;
	if (!e->o.text)
		return 0;
	if (b->len > 1 << 16)
		out_flush(e);
	ob_reserve(b, LINE_MAX_);
	start = b->len;
	prefix(e);
	e->name_off = b->len;
	ob_str(b, ev->name);
	ob_mem(b, ": ", 2);
	return start;
}

/*
 * Mail-client wrapping of the line at @from: every row longer than @cols is
 * broken, in turn (by event number) at its last blank before the column,
 * the blank dropped (a mail client), hard at the column, inside a value
 * when one is there (a terminal copy), or after its last blank, the blank
 * kept at the end of the row (format=flowed).  Rows are rejoined by the
 * decoder.
 */
static void wrap_line(struct nft_engine *e, size_t from, unsigned int cols)
{
	struct out_buf *b = &e->out;
	unsigned int mode = e->st.events % 3;	/* 0 drop, 1 hard, 2 flowed */
	size_t pos = from, k;

	while (b->len - pos > cols) {
		if (mode != 1) {
			for (k = pos + cols - 1; k > pos + cols / 2; k--)
				if (b->p[k] == ' ')
					break;
			if (k > pos + cols / 2 && mode == 0) {
				b->p[k] = '\n';
				pos = k + 1;
				continue;
			}
			if (k > pos + cols / 2) {
				ob_reserve(b, 1);
				memmove(b->p + k + 2, b->p + k + 1, b->len - k - 1);
				b->p[k + 1] = '\n';
				b->len++;
				pos = k + 2;
				continue;
			}
		}
		ob_reserve(b, 1);
		k = pos + cols;
		memmove(b->p + k + 1, b->p + k, b->len - k);
		b->p[k] = '\n';
		b->len++;
		pos = k + 1;
	}
}

/*
 * The pasted layouts (--form): replace the tracefs prefix of the line
 * being ended by "comm-pid: ", "comm: " or nothing, then wrap it.  The
 * trace layout itself stays on the fast path (prefix()).
 */
static void reform(struct nft_engine *e, size_t line_start)
{
	struct out_buf *b = &e->out;
	char head[40];
	size_t n = 0, old = e->name_off - line_start;

	if (e->o.form == NFT_FORM_COMM)
		n = snprintf(head, sizeof(head), "%s-%d: ", e->cur.comm, e->cur.pid);
	else if (e->o.form == NFT_FORM_TASK)
		n = snprintf(head, sizeof(head), "%s: ", e->cur.comm);
	if (e->o.form != NFT_FORM_TRACE && n < sizeof(head)) {
		memmove(b->p + line_start + n, b->p + e->name_off,
			b->len - e->name_off);
		memcpy(b->p + line_start, head, n);
		b->len = b->len - old + n;
	}
	if (e->o.wrap)
		wrap_line(e, line_start, e->o.wrap);
}

static void end(struct nft_engine *e, size_t line_start)
{
	struct nft_event *ev = &e->ev;

	e->st.events++;
	if (e->o.text) {
		if (e->o.form != NFT_FORM_TRACE || e->o.wrap)
			reform(e, line_start);
		ob_mem(&e->out, "\n", 1);
		ev->raw = e->out.p + line_start;
		ev->raw_len = e->out.len - line_start - 1;
	}
	ev->pos = e->st.events;
	if (e->o.sink && !e->stop) {
		int rc = e->o.sink->event(e->o.sink->ctx, ev);

		if (rc)
			e->stop = rc;
	}
	if (e->o.max_events && e->st.events >= e->o.max_events && !e->stop)
		e->stop = 1;
}

#define BEGIN(e, k) size_t line_start = begin(e, k)

static void ob_rid(struct out_buf *b, uint32_t id)
{
	ob_mem(b, "R=", 2);
	ob_hex(b, id, 8);
}

static const char *sym(const char *const *tab, int v, int cls)
{
	return tab[v] ? tab[v] : nft_sym_name(cls, v);
}

/* The symbols whose spelling the generation's table holds (gen.h). */
static const char *spelled(const struct nft_engine *e, const char *const *tab,
			   int v, int cls)
{
	int sp = -1;

	if (cls == NFT_SYMC_SREQ_REF && v == NFT_SREF_GET_RESUBMIT)
		sp = NFT_SPELL_GET_RESUBMIT;
	else if (cls == NFT_SYMC_SREQ_TRACE && v == NFT_SREQ_IO_PROGRESS)
		sp = NFT_SPELL_IO_PROGRESS;
	else if (cls == NFT_SYMC_RREQ_TRACE && v == NFT_RREQ_WAIT_QUIESCE)
		sp = NFT_SPELL_WAIT_QUIESCE;
	else if (cls == NFT_SYMC_RREQ_TRACE && v == NFT_RREQ_WAIT_PAUSE)
		sp = NFT_SPELL_WAIT_PAUSE;
	if (sp >= 0 && e->prof->spell[sp])
		return e->prof->spell[sp];
	return sym(tab, v, cls);
}

void em_rref(struct nft_engine *e, struct req *r, int what)
{
	BEGIN(e, NFT_EV_NETFS_RREQ_REF);
	e->ev.rreq = r->id;
	e->ev.what = what;
	e->ev.ref = r->ref;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_REF;
	if (e->o.text) {
		ob_rid(&e->out, r->id);
		ob_mem(&e->out, " ", 1);
		ob_str(&e->out, sym(e->sym->rref, what, NFT_SYMC_RREQ_REF));
		ob_mem(&e->out, " r=", 3);
		ob_dec(&e->out, (uint32_t)r->ref, 0, ' ');
	}
	end(e, line_start);
}

void em_sref(struct nft_engine *e, struct sreq *s, int what)
{
	BEGIN(e, NFT_EV_NETFS_SREQ_REF);
	e->ev.rreq = s->req->id;
	e->ev.index = s->index;
	e->ev.what = what;
	e->ev.ref = s->ref;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_INDEX | NFT_HAVE_REF;
	if (e->o.text) {
		ob_rid(&e->out, s->req->id);
		ob_mem(&e->out, "[", 1);
		ob_hex(&e->out, s->index, 0);
		ob_mem(&e->out, "] ", 2);
		ob_str(&e->out, spelled(e, e->sym->sref, what, NFT_SYMC_SREQ_REF));
		ob_mem(&e->out, " r=", 3);
		ob_dec(&e->out, (uint32_t)s->ref, 0, ' ');
	}
	end(e, line_start);
}

void em_rreq(struct nft_engine *e, struct req *r, int what)
{
	BEGIN(e, NFT_EV_NETFS_RREQ);
	e->ev.rreq = r->id;
	e->ev.origin = r->origin;
	e->ev.what = what;
	e->ev.flags = rflags(e, r);
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_FLAGS;
	if (e->o.text) {
		ob_rid(&e->out, r->id);
		ob_mem(&e->out, " ", 1);
		ob_str(&e->out, sym(e->sym->origin, r->origin, NFT_SYMC_ORIGIN));
		ob_mem(&e->out, " ", 1);
		ob_str(&e->out, spelled(e, e->sym->rreq, what, NFT_SYMC_RREQ_TRACE));
		ob_mem(&e->out, " f=", 3);
		ob_hex(&e->out, e->ev.flags, 2);
	}
	end(e, line_start);
}

static void sreq_body(struct nft_engine *e, const struct sreq *s)
{
	struct out_buf *b = &e->out;

	ob_mem(b, " s=", 3);
	ob_hex(b, s->start, 0);
	ob_mem(b, " ", 1);
	ob_hex(b, s->transferred, 0);
	ob_mem(b, "/", 1);
	ob_hex(b, s->len, 0);
}

void em_sreq(struct nft_engine *e, struct sreq *s, int what)
{
	BEGIN(e, NFT_EV_NETFS_SREQ);
	e->ev.rreq = s->req->id;
	e->ev.index = s->index;
	e->ev.source = s->source;
	e->ev.what = what;
	e->ev.flags = sflags(e, s);
	e->ev.start = s->start;
	e->ev.transferred = s->transferred;
	e->ev.len = s->len;
	e->ev.error = s->error;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_INDEX | NFT_HAVE_FLAGS |
		      NFT_HAVE_START | NFT_HAVE_LEN | NFT_HAVE_TRANSFERRED |
		      NFT_HAVE_ERROR;
	if (e->prof->sreq_slot) {
		e->ev.slot = s->slot;
		e->ev.have |= NFT_HAVE_SLOT;
	}
	if (e->o.text) {
		ob_rid(&e->out, s->req->id);
		ob_mem(&e->out, "[", 1);
		ob_hex(&e->out, s->index, 0);
		ob_mem(&e->out, "] ", 2);
		ob_str(&e->out, nft_sym_name(NFT_SYMC_SOURCE, s->source));
		ob_mem(&e->out, " ", 1);
		ob_str(&e->out, spelled(e, e->sym->sreq, what, NFT_SYMC_SREQ_TRACE));
		ob_mem(&e->out, " f=", 3);
		ob_hex(&e->out, e->ev.flags, e->prof->sreq_flags_width);
		sreq_body(e, s);
		if (e->prof->sreq_slot) {
			ob_mem(&e->out, " s=", 3);
			ob_dec(&e->out, s->slot, 0, ' ');
		}
		ob_mem(&e->out, " e=", 3);
		ob_dec(&e->out, s->error, 0, ' ');
	}
	end(e, line_start);
	if (s->error < 0 && (what == NFT_SREQ_TERMINATED ||
			     what == NFT_SREQ_ABANDONED || what == NFT_SREQ_FAIL))
		note_failure(e, s->req, s);
}

void em_failure(struct nft_engine *e, struct req *r, struct sreq *s, int what)
{
	BEGIN(e, NFT_EV_NETFS_FAILURE);
	e->ev.rreq = r->id;
	e->ev.index = s ? s->index : -1;
	e->ev.source = s ? s->source : NFT_SRC_UNKNOWN_SOURCE;
	e->ev.flags = s ? sflags(e, s) : 0;
	e->ev.start = s ? s->start : r->start;
	e->ev.transferred = s ? s->transferred : r->transferred;
	e->ev.len = s ? s->len : r->len;
	e->ev.what = what;
	e->ev.error = s ? s->error : r->error;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_FLAGS | NFT_HAVE_START |
		      NFT_HAVE_LEN | NFT_HAVE_TRANSFERRED | NFT_HAVE_ERROR;
	if (s)
		e->ev.have |= NFT_HAVE_INDEX;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, "[", 1);
		if (s)
			ob_hex(b, s->index, 0);
		else
			ob_hex(b, 0xffffffffu, 0);
		ob_mem(b, "] ", 2);
		ob_str(b, nft_sym_name(NFT_SYMC_SOURCE, e->ev.source));
		ob_mem(b, " f=", 3);
		ob_hex(b, e->ev.flags, 2);
		ob_mem(b, " s=", 3);
		ob_hex(b, e->ev.start, 0);
		ob_mem(b, " ", 1);
		ob_hex(b, e->ev.transferred, 0);
		ob_mem(b, "/", 1);
		ob_hex(b, e->ev.len, 0);
		ob_mem(b, " ", 1);
		ob_str(b, nft_sym_name(NFT_SYMC_FAILURE, what));
		ob_mem(b, " e=", 3);
		ob_dec(b, e->ev.error, 0, ' ');
	}
	end(e, line_start);
	note_failure(e, r, s);
}

static void rw_common(struct nft_engine *e, struct req *r, int what)
{
	e->ev.rreq = r->id;
	e->ev.what = what;
	/* The inode's fscache cookie (debug id 1) when it has a cache. */
	e->ev.cookie = fc_cookie_id(e);
	e->ev.ino = e->sc->ino;
	e->ev.start = r->start;
	e->ev.len = r->len;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_COOKIE | NFT_HAVE_INO |
		      NFT_HAVE_START | NFT_HAVE_LEN;
}

void em_read(struct nft_engine *e, struct req *r, int what)
{
	BEGIN(e, NFT_EV_NETFS_READ);
	rw_common(e, r, what);
	e->ev.i_size = r->i_size;
	e->ev.have |= NFT_HAVE_ISIZE;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, " ", 1);
		ob_str(b, sym(e->sym->rd, what, NFT_SYMC_READ_TRACE));
		ob_mem(b, " c=", 3);
		ob_hex(b, e->ev.cookie, 8);
		ob_mem(b, " ni=", 4);
		ob_hex(b, e->sc->ino, 0);
		ob_mem(b, " s=", 3);
		ob_hex(b, r->start, 0);
		ob_mem(b, " l=", 3);
		ob_hex(b, r->len, 0);
		ob_mem(b, " sz=", 4);
		ob_hex(b, r->i_size, 0);
	}
	end(e, line_start);
}

void em_write(struct nft_engine *e, struct req *r, int what)
{
	BEGIN(e, NFT_EV_NETFS_WRITE);
	rw_common(e, r, what);
	e->ev.len = 0;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, " ", 1);
		ob_str(b, sym(e->sym->wr, what, NFT_SYMC_WRITE_TRACE));
		ob_mem(b, " c=", 3);
		ob_hex(b, e->ev.cookie, 8);
		ob_mem(b, " i=", 3);
		ob_hex(b, e->sc->ino, 0);
		ob_mem(b, " by=", 4);
		ob_hex(b, r->start, 0);
		ob_mem(b, "-", 1);
		/* Printed at creation, when the request's len is still 0. */
		ob_hex(b, r->start - 1, 0);
	}
	end(e, line_start);
}

void em_write_iter(struct nft_engine *e, struct req *r)
{
	BEGIN(e, NFT_EV_NETFS_WRITE_ITER);
	e->ev.ino = e->sc->ino;
	e->ev.start = r->start;
	e->ev.len = r->len;
	e->ev.flags = 0x20000;
	e->ev.have |= NFT_HAVE_INO | NFT_HAVE_START | NFT_HAVE_LEN | NFT_HAVE_FLAGS;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_str(b, "WRITE-ITER i=");
		ob_hex(b, e->sc->ino, 0);
		ob_mem(b, " s=", 3);
		ob_hex(b, r->start, 0);
		ob_mem(b, " l=", 3);
		ob_hex(b, r->len, 0);
		ob_str(b, " f=20000");
	}
	end(e, line_start);
}

void em_folio(struct nft_engine *e, uint64_t index, int what)
{
	BEGIN(e, NFT_EV_NETFS_FOLIO);
	e->ev.ino = e->sc->ino;
	e->ev.first = index;
	e->ev.last = index;
	e->ev.what = what;
	e->ev.have |= NFT_HAVE_INO;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_mem(b, "i=", 2);
		ob_hex(b, e->sc->ino, 5);
		ob_mem(b, " ix=", 4);
		ob_hex(b, index, 5);
		ob_mem(b, "-", 1);
		ob_hex(b, index, 5);
		ob_mem(b, " ", 1);
		ob_str(b, nft_sym_name(NFT_SYMC_FOLIO, what));
	}
	end(e, line_start);
}

void em_collect(struct nft_engine *e, struct req *r)
{
	BEGIN(e, NFT_EV_NETFS_COLLECT);
	e->ev.rreq = r->id;
	e->ev.start = r->start;
	e->ev.end = r->start + r->len;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_START;
	if (e->o.text) {
		ob_rid(&e->out, r->id);
		ob_mem(&e->out, " s=", 3);
		ob_hex(&e->out, r->start, 0);
		ob_mem(&e->out, "-", 1);
		ob_hex(&e->out, r->start + r->len, 0);
	}
	end(e, line_start);
}

void em_collect_sreq(struct nft_engine *e, struct sreq *s)
{
	BEGIN(e, NFT_EV_NETFS_COLLECT_SREQ);
	e->ev.rreq = s->req->id;
	e->ev.stream = s->stream;
	e->ev.index = s->index;
	e->ev.start = s->start;
	e->ev.transferred = s->transferred;
	e->ev.len = s->len;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_STREAM | NFT_HAVE_INDEX |
		      NFT_HAVE_START | NFT_HAVE_LEN | NFT_HAVE_TRANSFERRED;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, s->req->id);
		ob_mem(b, "[", 1);
		ob_dec(b, s->stream, 0, ' ');
		ob_mem(b, ":", 1);
		ob_hex(b, s->index, 2);
		ob_mem(b, "] s=", 4);
		ob_hex(b, s->start, 0);
		ob_mem(b, " t=", 3);
		ob_hex(b, (uint32_t)s->transferred, 0);
		ob_mem(b, "/", 1);
		ob_hex(b, (uint32_t)s->len, 0);
	}
	end(e, line_start);
}

void em_collect_stream(struct nft_engine *e, struct req *r, int stream)
{
	const struct stream *st = &r->streams[stream];
	uint64_t front = st->head ? st->head->start : 0xffffffffull;

	BEGIN(e, NFT_EV_NETFS_COLLECT_STREAM);
	e->ev.rreq = r->id;
	e->ev.stream = stream;
	e->ev.collected_to = st->collected_to;
	e->ev.front = e->prof->stream_ito ? st->issued_to : front;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_STREAM;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, "[", 1);
		ob_hex(b, stream, 0);
		ob_mem(b, ":] cto=", 7);
		ob_hex(b, st->collected_to, 0);
		ob_str(b, e->prof->stream_ito ? " ito=" : " frn=");
		ob_hex(b, e->ev.front, 0);
	}
	end(e, line_start);
}

void em_collect_state(struct nft_engine *e, struct req *r, unsigned int notes)
{
	BEGIN(e, NFT_EV_NETFS_COLLECT_STATE);
	e->ev.rreq = r->id;
	e->ev.collected_to = r->collected_to;
	e->ev.cleaned_to = r->cleaned_to;
	e->ev.notes = notes;
	e->ev.have |= NFT_HAVE_RREQ;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, " col=", 5);
		ob_hex(b, r->collected_to, 0);
		ob_mem(b, " cln=", 5);
		ob_hex(b, r->cleaned_to, 0);
		ob_mem(b, " n=", 3);
		ob_hex(b, notes, 0);
	}
	end(e, line_start);
}

void em_collect_gap(struct nft_engine *e, struct req *r, int stream,
		    uint64_t from, uint64_t to, char type)
{
	BEGIN(e, NFT_EV_NETFS_COLLECT_GAP);
	e->ev.rreq = r->id;
	e->ev.stream = stream;
	e->ev.start = from;
	e->ev.end = to;
	e->ev.gap_type = type;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_STREAM | NFT_HAVE_START;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, "[", 1);
		ob_hex(b, stream, 0);
		ob_mem(b, ":] ", 3);
		ob_hex(b, from, 0);
		ob_mem(b, "->", 2);
		ob_hex(b, to, 0);
		ob_mem(b, " ", 1);
		ob_mem(b, &type, 1);
	}
	end(e, line_start);
}

void em_collect_folio(struct nft_engine *e, struct req *r, uint64_t index)
{
	em_collect_folio_to(e, r, index, (index + 1) * PAGE_SIZE_);
}

/* netfs_collect_folio with the folio's end as the collector saw it. */
void em_collect_folio_to(struct nft_engine *e, struct req *r, uint64_t index,
			 uint64_t fend)
{
	BEGIN(e, NFT_EV_NETFS_COLLECT_FOLIO);
	e->ev.rreq = r->id;
	e->ev.first = index;
	e->ev.end = fend;
	e->ev.cleaned_to = r->cleaned_to;
	e->ev.collected_to = r->collected_to;
	e->ev.have |= NFT_HAVE_RREQ;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, r->id);
		ob_mem(b, " ix=", 4);
		ob_hex(b, index, 5);
		ob_mem(b, " r=", 3);
		ob_hex(b, index * PAGE_SIZE_, 0);
		ob_mem(b, "-", 1);
		ob_hex(b, e->ev.end, 0);
		ob_mem(b, " t=", 3);
		ob_hex(b, r->cleaned_to, 0);
		ob_mem(b, "/", 1);
		ob_hex(b, r->collected_to, 0);
	}
	end(e, line_start);
}

/*
 * 6.10-6.13 netfs_donate: "R=%08x[%02x] -> [%02x] %s am=%x", the receiver
 * -1 (ffffffff) when deferred to the next subrequest to be added.
 */
void em_donate(struct nft_engine *e, struct sreq *s, int to, uint64_t amount,
	       int what)
{
	BEGIN(e, NFT_EV_NETFS_DONATE);
	e->ev.rreq = s->req->id;
	e->ev.index = s->index;
	e->ev.id2 = (uint32_t)to;
	e->ev.what = what;
	e->ev.len = amount;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_INDEX | NFT_HAVE_LEN;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, s->req->id);
		ob_mem(b, "[", 1);
		ob_hex(b, s->index, 2);
		ob_mem(b, "] -> [", 6);
		ob_hex(b, (uint32_t)to, 2);
		ob_mem(b, "] ", 2);
		ob_str(b, nft_sym_name(NFT_SYMC_DONATE, what));
		ob_mem(b, " am=", 4);
		ob_hex(b, amount, 0);
	}
	end(e, line_start);
}

/*
 * An fscache/cachefiles line (fscache.c): the ids, counts and symbol of
 * @f, and @body as its text after "event: ".  Not a hot path.
 */
void em_other(struct nft_engine *e, enum nft_event_kind kind,
	      const struct nft_event *f, const char *body)
{
	BEGIN(e, kind);
	e->ev.cookie = f->cookie;
	e->ev.volume = f->volume;
	e->ev.object = f->object;
	e->ev.cache = f->cache;
	e->ev.ref = f->ref;
	e->ev.n_accesses = f->n_accesses;
	e->ev.n_active = f->n_active;
	e->ev.what = f->what;
	e->ev.flags = f->flags;
	e->ev.ino = f->ino;
	e->ev.have |= f->have;
	if (e->o.text) {
		size_t n = strlen(body);

		if (n > LINE_MAX_ - 128)
			n = LINE_MAX_ - 128;
		ob_mem(&e->out, body, n);
	}
	end(e, line_start);
}

/*
 * 6.10-6.13 netfs_progress, one per folio step of netfs_consume_read_data():
 * "R=%08x[%02x] s=%llx ct=%zx/%zx pa=%zx/%zx sl=%x" (the folio position,
 * consumed/transferred, part/avail, the folioq slot).
 */
void em_progress(struct nft_engine *e, struct sreq *s, uint64_t pos,
		 uint64_t part, uint64_t avail, int slot)
{
	BEGIN(e, NFT_EV_NETFS_PROGRESS);
	e->ev.rreq = s->req->id;
	e->ev.index = s->index;
	e->ev.start = pos;
	e->ev.len = s->consumed;
	e->ev.transferred = s->transferred;
	e->ev.end = avail;	/* pa=.../avail, as the decoders keep it */
	e->ev.slot = slot;
	e->ev.have |= NFT_HAVE_RREQ | NFT_HAVE_INDEX | NFT_HAVE_START |
		      NFT_HAVE_LEN | NFT_HAVE_TRANSFERRED | NFT_HAVE_SLOT;
	if (e->o.text) {
		struct out_buf *b = &e->out;

		ob_rid(b, s->req->id);
		ob_mem(b, "[", 1);
		ob_hex(b, s->index, 2);
		ob_mem(b, "] s=", 4);
		ob_hex(b, pos, 0);
		ob_mem(b, " ct=", 4);
		ob_hex(b, s->consumed, 0);
		ob_mem(b, "/", 1);
		ob_hex(b, s->transferred, 0);
		ob_mem(b, " pa=", 4);
		ob_hex(b, part, 0);
		ob_mem(b, "/", 1);
		ob_hex(b, avail, 0);
		ob_mem(b, " sl=", 4);
		ob_hex(b, slot, 0);
	}
	end(e, line_start);
}
