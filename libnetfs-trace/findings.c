// SPDX-License-Identifier: GPL-2.0
/*
 * Findings: kind names, and the one place that records them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "util.h"

static const struct {
	const char *name;
	enum nft_severity sev;
} kinds[NFT_FIND__NR] = {
#define NFT_X(e, n, s) [NFT_FIND_##e] = { n, s },
	NFT_FINDING_KINDS(NFT_X)
#undef NFT_X
};

const char *nft_finding_kind_name(enum nft_finding_kind kind)
{
	return (unsigned int)kind < NFT_FIND__NR ? kinds[kind].name : "?";
}

enum nft_severity nft_finding_kind_severity(enum nft_finding_kind kind)
{
	return (unsigned int)kind < NFT_FIND__NR ? kinds[kind].sev :
						   NFT_SEV_INFO;
}

const char *nft_severity_name(enum nft_severity sev)
{
	static const char *const names[] = { "info", "warning", "error",
					     "critical" };

	return (unsigned int)sev < 4 ? names[sev] : "?";
}

int nft_finding_kind_lookup(const char *name, size_t len)
{
	static const struct {
		const char *alias;
		int kind;
	} aliases[] = {
		{ "leak", NFT_FIND_REF_LEAK },
		{ "overread", NFT_FIND_OVER_READ },
		{ "uaf", NFT_FIND_USE_AFTER_FREE },
		{ "mismatch", NFT_FIND_REF_MISMATCH },
		{ "rewind", NFT_FIND_BAD_REWIND },
		{ "storm", NFT_FIND_RETRY_STORM },
		{ "fail", NFT_FIND_FAILURE },
	};
	size_t i;
	int k;

	for (k = 0; k < NFT_FIND__NR; k++)
		if (strlen(kinds[k].name) == len &&
		    !strncmp(kinds[k].name, name, len))
			return k;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == len &&
		    !strncmp(aliases[i].alias, name, len))
			return aliases[i].kind;
	return -1;
}

void nft_finding_release(struct nft_finding *f)
{
	free(f->message);
	free(f->evidence);
	f->message = NULL;
	f->evidence = NULL;
	f->n_evidence = 0;
}

int nft_finding_add_evidence(struct nft_finding *f, uint64_t pos,
			     uint64_t ts_ns)
{
	struct nft_evidence *v;
	size_t i;

	/*
	 * One finding per object takes every line of it as evidence (failure):
	 * a long-lived object in a live session must not grow it forever.
	 */
	if (f->n_evidence >= NFT_EVIDENCE_MAX)
		return 0;
	for (i = 0; i < f->n_evidence; i++)
		if (f->evidence[i].pos == pos)
			return 0;
	v = realloc(f->evidence, (f->n_evidence + 1) * sizeof(*v));
	if (!v)
		return -1;
	f->evidence = v;
	v[f->n_evidence].pos = pos;
	v[f->n_evidence].ts_ns = ts_ns;
	f->n_evidence++;
	return 0;
}

static int cmp_evidence(const void *a, const void *b)
{
	const struct nft_evidence *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The object is printed beside the message: don't say it twice. */
static void strip_object(struct nft_finding *f)
{
	size_t len = strlen(f->object);

	if (f->message && len && !strncmp(f->message, f->object, len) &&
	    f->message[len] == ':' && f->message[len + 1] == ' ')
		memmove(f->message, f->message + len + 2,
			strlen(f->message + len + 2) + 1);
}

struct nft_finding *nft_report(struct nft_model *m, enum nft_finding_kind kind,
			       const struct nft_request *req,
			       const struct nft_subreq *sreq,
			       const char *object, bool uncertain,
			       const struct nft_evidence *evidence, size_t n,
			       const char *fmt, ...)
{
	struct nft_finding tmp, *f = &tmp;
	unsigned int k = (unsigned int)kind < NFT_FIND__NR ? kind : 0;
	bool keep = m->kept_findings[k] < m->sum.findings_per_kind;
	va_list ap;
	size_t i;

	/*
	 * Past the per-kind cap (the object bound, model.h) a finding is
	 * counted and handed to the hook, not kept: the first ones of each
	 * kind stay, so the exit status still sees every kind.
	 */
	if (keep) {
		if (nft_grow(&m->findings, &m->cap_findings, m->n_findings + 1,
			     sizeof(*f)))
			return NULL;
		f = &m->findings[m->n_findings];
	}
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->severity = nft_finding_kind_severity(kind);
	f->rreq = req ? req->id : 0;
	f->subreq = sreq ? sreq->index : -1;
	f->uncertain = uncertain || (req && req->uncertain);
	f->ts_ns = m->now;
	if (object)
		snprintf(f->object, sizeof(f->object), "%s", object);
	else if (req)
		nft_req_object(req, sreq, f->object);
	va_start(ap, fmt);
	if (vasprintf(&f->message, fmt, ap) < 0)
		f->message = NULL;
	va_end(ap);
	strip_object(f);
	for (i = 0; i < n; i++)
		nft_finding_add_evidence(f, evidence[i].pos, evidence[i].ts_ns);
	if (f->n_evidence > 1)
		qsort(f->evidence, f->n_evidence, sizeof(*f->evidence),
		      cmp_evidence);
	if (!keep) {
		m->sum.findings_not_kept++;
		nft_model_note(m, NFT_NOTE_FINDINGS_CAPPED);
		if (m->opts.hooks.finding)
			m->opts.hooks.finding(m->opts.hooks.ctx, f);
		nft_finding_release(f);
		return NULL;
	}
	m->n_findings++;
	m->kept_findings[k]++;
	f = &m->findings[m->n_findings - 1];
	if (m->opts.hooks.finding)
		m->opts.hooks.finding(m->opts.hooks.ctx, f);
	return f;
}

void nft_req_object(const struct nft_request *req,
		    const struct nft_subreq *sreq, char *buf)
{
	if (sreq)
		snprintf(buf, NFT_OBJECT_LEN, "R=%08x[%x]", req->id,
			 (unsigned int)sreq->index);
	else
		snprintf(buf, NFT_OBJECT_LEN, "R=%08x", req->id);
}

const char *nft_errno_name(int err)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },
		{ EINTR, "EINTR" },	{ EIO, "EIO" },
		{ ENXIO, "ENXIO" },	{ EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },	{ EFAULT, "EFAULT" },
		{ EBUSY, "EBUSY" },	{ EEXIST, "EEXIST" },
		{ EINVAL, "EINVAL" },	{ EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" },	{ ESPIPE, "ESPIPE" },
		{ EROFS, "EROFS" },	{ EPIPE, "EPIPE" },
		{ ERANGE, "ERANGE" },	{ ENODATA, "ENODATA" },
		{ ETIME, "ETIME" },	{ ENOLINK, "ENOLINK" },
		{ EPROTO, "EPROTO" },	{ EBADMSG, "EBADMSG" },
		{ EOVERFLOW, "EOVERFLOW" }, { ENOTCONN, "ENOTCONN" },
		{ ECONNABORTED, "ECONNABORTED" },
		{ ECONNRESET, "ECONNRESET" },
		{ ECONNREFUSED, "ECONNREFUSED" },
		{ ESHUTDOWN, "ESHUTDOWN" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EHOSTDOWN, "EHOSTDOWN" }, { EHOSTUNREACH, "EHOSTUNREACH" },
		{ ESTALE, "ESTALE" },	{ EDQUOT, "EDQUOT" },
		{ ECANCELED, "ECANCELED" }, { ENOBUFS, "ENOBUFS" },
		{ 512, "ERESTARTSYS" }, { 524, "ENOTSUPP" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == -err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", -err);
	return buf;
}
