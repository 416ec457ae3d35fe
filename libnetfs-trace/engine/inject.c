// SPDX-License-Identifier: GPL-2.0
/*
 * Bug injection: each switch re-creates one historical netfs bug (see
 * research/engine.md section 5) on one extra op appended to the workload,
 * and names the findings a correct analyzer must report in the ground
 * truth file.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "../report/json_writer.h"

static const struct {
	const char *name, *desc;
	struct sc_op op;
	unsigned int only;	/* 1 << dialect it applies to, 0 = all */
	const char *why_only;	/* why not the others */
} injections[INJ__NR] = {
	[INJ_WRITE_RETRY_EXTRA_REF] = { "write-retry-extra-ref",
		"write retry inserts an extra subrequest and takes GET RESUBMIT on it: the subrequest and its request leak",
		{ OP_WRITEBACK, 1, 0x100000, 0x40000, 0, FAULT_EAGAIN, 1, 1, 0x10000, false } },
	[INJ_ITER_RESET_LEN] = { "iter-reset-len",
		"write retry resets the iterator to len, not len - transferred: the retry re-sends written bytes (CVE-2025-38139)",
		{ OP_WRITEBACK, 1, 0x200000, 0x40000, 0, FAULT_SHORT, 1, 1, 0, false } },
	[INJ_LOST_WAKEUP] = { "lost-wakeup",
		"IN_PROGRESS clears without waking the waitqueue: WAIT-IP never followed by DONE-IP, request never freed",
		{ OP_DIO_READ, 1, 0x300000, 0x20000, 0, FAULT_NONE, 0, 0, 0, false } },
	[INJ_RETRY_NO_PROGRESS] = { "retry-no-progress",
		"read retry without the no-progress abandon: repeated RETRY/GET RESUBMT/TERM 0/len cycles",
		{ OP_DIO_READ, 1, 0x400000, 0x10000, 0, FAULT_NONE, 0, 0, 0, false } },
	[INJ_OVER_READ] = { "over-read",
		"a read subrequest reports more bytes than it asked for (TERM with transferred > len)",
		{ OP_READAHEAD, 1, 0x500000, 0x20000, 0, FAULT_NONE, 0, 0, 0, false } },
	[INJ_CACHE_WRITE_NO_INVALIDATE] = { "cache-write-no-invalidate",
		"a cache write fails and the collector calls a NULL invalidate_cache: the request's events stop after WR-DONE",
		{ OP_WRITEBACK, 1, 0x600000, 0x20000, 0, FAULT_NONE, 0, 0, 0, true } },
	[INJ_UW_NULL_PREPARE] = { "uw-null-prepare",
		"unbuffered write retry calls a NULL prepare_write: RETRY + GET RESUBMT, then nothing",
		{ OP_UNBUFFERED_WRITE, 1, 0x700000, 0x20000, 0, FAULT_EAGAIN, 1, 1, 0, false } },
	[INJ_ABANDON_DOUBLE_UNLOCK] = { "abandon-double-unlock",
		"abandoned-read unlock ignores NO_UNLOCK_FOLIO: the write_begin folio is unlocked twice (!locked)",
		{ OP_WRITE_BEGIN, 1, 0x800000, 0x4000, 0, FAULT_EIO, 1, 1, 0, false } },
	[INJ_FREE_WITH_WORK_QUEUED] = { "free-with-work-queued",
		"a request is freed while its collector work item is still queued: SEE WORK/COLLECT after FREE",
		{ OP_WRITEBACK, 1, 0x900000, 0x20000, 0, FAULT_NONE, 0, 0, 0, false } },
	[INJ_ALL_QUEUED_RACE] = { "all-queued-race",
		"ALL_QUEUED is set before the last subrequest is queued (5de0219a9bb9): the collector completes the request under it; that subrequest and its request ref leak",
		{ OP_READAHEAD, 1, 0xb00000, 0x40000, 0, FAULT_NONE, 0, 0, 0, false },
		1u << NFT_ENGINE_7_2,
		"6.12 reads have no ALL_QUEUED (nr_outstanding counts them); the race came with the 6.14 collector" },
	[INJ_EARLY_UNLOCK_EOF] = { "early-unlock-eof",
		"the folio with EOF inside is unlocked when the data reaches EOF, before the ZERO subrequest clearing its tail is submitted (570ad253a345)",
		{ OP_READAHEAD, 1, 0xc00000, 0x6000, 0, FAULT_NONE, 0, 0, 0, false },
		1u << NFT_ENGINE_7_2,
		"the EOF clamp is in the 6.14+ collector's netfs_read_unlock_folios(); 6.12 donates the EOF folio's tail to the ZERO subrequest (DON-N, +DON)" },
	[INJ_BAD_DONATION] = { "bad-donation",
		"a subrequest donates the tail of its last folio to a subrequest that is not its neighbour (6.10-6.13 read collector)",
		{ OP_READAHEAD, 1, 0xd00000, 0x4000, 0, FAULT_NONE, 0, 0, 0, false },
		1u << NFT_ENGINE_6_12,
		"donations (netfs_donate, DON-N/DON-P/+DON) exist only in the 6.10-6.13 read collector" },
	[INJ_CACHE_WITHDRAW_UNDER_ACCESS] = { "cache-withdraw-under-access",
		"the cookie's cache object is withdrawn and detached while an io_read access on the cookie is still open (b5b52de3214a)",
		{ OP_READAHEAD, 1, 0xe00000, 0x20000, 0, FAULT_NONE, 0, 0, 0, false } },
	[INJ_VOLUME_USE_LEAK] = { "volume-use-leak",
		"a second mount on a live tcon reacquires the volume cookie, collides, and resets the owner's pointer: the first volume is never relinquished (dad80c6bff77)",
		{ OP_READAHEAD, 1, 0xf00000, 0x20000, 0, FAULT_NONE, 0, 0, 0, false } },
};

int nft_inject_count(void)
{
	return INJ__NR;
}

const char *nft_inject_name(int i)
{
	return i >= 0 && i < INJ__NR ? injections[i].name : NULL;
}

const char *nft_inject_desc(int i)
{
	return i >= 0 && i < INJ__NR ? injections[i].desc : NULL;
}

bool nft_inject_applies(int i, enum nft_engine_dialect d, const char **why)
{
	if (i < 0 || i >= INJ__NR || !injections[i].only ||
	    (injections[i].only & (1u << d)))
		return true;
	if (why)
		*why = injections[i].why_only;
	return false;
}

int nft_inject_lookup(const char *name)
{
	int i;

	for (i = 0; i < INJ__NR; i++)
		if (!strcmp(name, injections[i].name))
			return i;
	errno = ENOENT;
	return -1;
}

bool inj(const struct nft_engine *e, enum inject_id id)
{
	return e->o.inject == (int)id;
}

bool inj_target(const struct nft_engine *e, const struct req *r, enum inject_id id)
{
	return e->o.inject == (int)id && r->sop == &e->inject_op;
}

void inject_setup(struct nft_engine *e)
{
	if (e->o.inject < 0 || e->o.inject >= INJ__NR)
		return;
	e->inject_op = injections[e->o.inject].op;
	/* Random faults of the scenario must not mask the injected bug. */
	e->inject_op.clean = true;
	if (!e->inject_op.stride)
		e->inject_op.stride = e->inject_op.size;
	/* Let the first try fill whole wsize slices so the retry must split. */
	if (e->o.inject == INJ_WRITE_RETRY_EXTRA_REF) {
		e->inject_op.size = 2 * e->sc->wsize;
		e->inject_op.retry_max_len = e->sc->wsize / 2;
	}
	e->inject_armed = true;
	/* Their findings need the trace to go on after the bug (see engine.c). */
	if (e->o.inject == INJ_ALL_QUEUED_RACE)
		e->inject_op.size = 2 * e->sc->rsize;
	e->inject_quiet = e->o.inject == INJ_WRITE_RETRY_EXTRA_REF ||
			  e->o.inject == INJ_ALL_QUEUED_RACE ||
			  e->o.inject == INJ_VOLUME_USE_LEAK ||
			  e->o.inject == INJ_LOST_WAKEUP ||
			  e->o.inject == INJ_CACHE_WRITE_NO_INVALIDATE ||
			  e->o.inject == INJ_UW_NULL_PREPARE;
}

/* A ground-truth line on a non-netfs object ("c=0000002a", "V=00000001"). */
void truth_obj(struct nft_engine *e, const char *kind, const char *object)
{
	struct nft_jw jw;

	e->st.findings++;
	if (!e->o.truth)
		return;
	nft_jw_init(&jw, e->o.truth, NFT_JW_TIGHT);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_str(&jw, "kind", kind);
	nft_jw_str(&jw, "object", object);
	nft_jw_end(&jw);
	fputc('\n', e->o.truth);
}

/*
 * One ground-truth line.  A "stuck" verdict rests on elapsed time (the
 * object stayed quiet for --stuck-after while the trace went on): it is
 * marked "clock":true, for a text without timestamps cannot show it.
 */
void truth(struct nft_engine *e, const char *kind, const struct req *r, int subreq)
{
	FILE *f = e->o.truth;
	struct nft_jw jw;

	e->st.findings++;
	if (!f)
		return;
	nft_jw_init(&jw, f, NFT_JW_TIGHT);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_str(&jw, "kind", kind);
	if (subreq < 0)
		nft_jw_strf(&jw, "object", "R=%08x", r->id);
	else
		nft_jw_strf(&jw, "object", "R=%08x[%x]", r->id, subreq);
	nft_jw_strf(&jw, "request", "%08x", r->id);
	if (subreq >= 0)
		nft_jw_i64(&jw, "subreq", subreq);
	if (!strcmp(kind, "stuck"))
		nft_jw_bool(&jw, "clock", true);
	nft_jw_end(&jw);
	fputc('\n', f);
}
