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

static const struct {
	const char *name, *desc;
	struct sc_op op;
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
	e->inject_quiet = e->o.inject == INJ_WRITE_RETRY_EXTRA_REF ||
			  e->o.inject == INJ_LOST_WAKEUP ||
			  e->o.inject == INJ_CACHE_WRITE_NO_INVALIDATE ||
			  e->o.inject == INJ_UW_NULL_PREPARE;
}

/* One ground-truth line. */
void truth(struct nft_engine *e, const char *kind, const struct req *r, int subreq)
{
	FILE *f = e->o.truth;

	e->st.findings++;
	if (!f)
		return;
	if (subreq < 0)
		fprintf(f, "{\"kind\":\"%s\",\"object\":\"R=%08x\",\"request\":\"%08x\"}\n",
			kind, r->id, r->id);
	else
		fprintf(f, "{\"kind\":\"%s\",\"object\":\"R=%08x[%x]\",\"request\":\"%08x\",\"subreq\":%d}\n",
			kind, r->id, subreq, r->id, subreq);
}
