// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics from the tracepoints (metrics.h, docs/metrics.md).  The counters
 * are the model's summary at the time of the scrape; the hooks add what the
 * summary does not break down.  No allocation after nft_metrics_new(): the
 * hooks only bump fixed arrays.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "vocab.h"

/*
 * Request origins in words: the kernel's enum netfs_io_origin names,
 * NETFS_ dropped, lower case (include/linux/netfs.h; "LW" is
 * NETFS_LAUNDER_WRITE of 6.8-6.9).  Indexed by the vocabulary's origin
 * enum, which is the union of every generation's symbols (one table).
 */
static const char *const origin_words[NFT_ORIGIN__NR] = {
	[NFT_ORIGIN_UNKNOWN] = "unknown",
	[NFT_ORIGIN_RA] = "readahead",
	[NFT_ORIGIN_RP] = "readpage",
	[NFT_ORIGIN_RG] = "read_gaps",
	[NFT_ORIGIN_R1] = "read_single",
	[NFT_ORIGIN_RW] = "read_for_write",
	[NFT_ORIGIN_UR] = "unbuffered_read",
	[NFT_ORIGIN_DR] = "dio_read",
	[NFT_ORIGIN_WB] = "writeback",
	[NFT_ORIGIN_W1] = "writeback_single",
	[NFT_ORIGIN_WT] = "writethrough",
	[NFT_ORIGIN_UW] = "unbuffered_write",
	[NFT_ORIGIN_DW] = "dio_write",
	[NFT_ORIGIN_C2C] = "pgpriv2_copy_to_cache",
	[NFT_ORIGIN_LW] = "launder_write",
};

/* Subrequest sources (enum netfs_io_source) in words. */
static const char *const source_words[NFT_SRC__NR] = {
	[NFT_SRC_UNKNOWN] = "unknown",
	[NFT_SRC_UNKNOWN_SOURCE] = "unknown",
	[NFT_SRC_ZERO] = "zero",
	[NFT_SRC_DOWNLOAD] = "download",
	[NFT_SRC_CACHE_READ] = "cache_read",
	[NFT_SRC_INVALID] = "invalid",
	[NFT_SRC_UPLOAD] = "upload",
	[NFT_SRC_CACHE_WRITE] = "cache_write",
};

/*
 * The errnos failures carry in practice (the corpus: -11, -32, -103, -104;
 * netfs and the filesystems under it: -5, -12, -28, -4, -512 ...), a bounded
 * set; anything else is "other".
 */
static const struct {
	int err;
	const char *word;
} errnos[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ EINVAL, "EINVAL" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
	{ EROFS, "EROFS" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
	{ ENODATA, "ENODATA" }, { ENOBUFS, "ENOBUFS" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENETDOWN, "ENETDOWN" },
	{ ENETUNREACH, "ENETUNREACH" }, { ENETRESET, "ENETRESET" },
	{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" },
	{ ENOTCONN, "ENOTCONN" }, { ESHUTDOWN, "ESHUTDOWN" },
	{ ETIMEDOUT, "ETIMEDOUT" }, { ECONNREFUSED, "ECONNREFUSED" },
	{ EHOSTDOWN, "EHOSTDOWN" }, { EHOSTUNREACH, "EHOSTUNREACH" },
	{ ESTALE, "ESTALE" }, { EREMOTEIO, "EREMOTEIO" },
	{ EDQUOT, "EDQUOT" }, { ECANCELED, "ECANCELED" },
	{ EKEYEXPIRED, "EKEYEXPIRED" }, { ENOKEY, "ENOKEY" },
	/* kernel-internal (include/linux/errno.h), seen by tracepoints */
	{ 512, "ERESTARTSYS" }, { 516, "ERESTART_RESTARTBLOCK" },
	{ 524, "ENOTSUPP" },
};

#define N_ERRNOS (sizeof(errnos) / sizeof(errnos[0]))
#define ERRNO_NONE N_ERRNOS		/* e=0 */
#define ERRNO_OTHER (N_ERRNOS + 1)

/*
 * 100 us .. 30 s, about 2.5x apart: a cache hit, a LAN round trip, a WAN
 * one, a reconnect (cifs echo_interval 60 s / 2) and a stuck request all
 * land in different buckets.
 */
const double nft_metrics_duration_le[NFT_METRICS_DURATION_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
};

struct duration {
	uint64_t b[NFT_METRICS_DURATION_BUCKETS + 1];
	uint64_t n;
	uint64_t sum_ns;	/* exact; seconds only when written */
};

struct nft_metrics {
	char version[32];
	struct nft_model_hooks next;	/* the hooks we chain to */
	const struct nft_model *model;
	const struct nft_top *top;
	struct duration dur[NFT_ORIGIN__NR];
	uint64_t untimed;		/* requests ended without timestamps */
	uint64_t failures[N_ERRNOS + 2];
	uint64_t findings[NFT_FIND__NR];
	struct {
		void (*write)(void *ctx, struct nft_om *w);
		void *ctx;
	} src[NFT_METRICS_SOURCES];
	unsigned int n_src;
};

int nft_metrics_add_source(struct nft_metrics *mx,
			   void (*write)(void *ctx, struct nft_om *w),
			   void *ctx)
{
	if (mx->n_src == NFT_METRICS_SOURCES || !write)
		return -1;
	mx->src[mx->n_src].write = write;
	mx->src[mx->n_src].ctx = ctx;
	mx->n_src++;
	return 0;
}

struct nft_metrics *nft_metrics_new(const char *version)
{
	struct nft_metrics *mx = calloc(1, sizeof(*mx));

	if (!mx)
		return NULL;
	snprintf(mx->version, sizeof(mx->version), "%s",
		 version ? version : "");
	return mx;
}

void nft_metrics_free(struct nft_metrics *mx)
{
	free(mx);
}

const char *nft_metrics_origin_word(int origin)
{
	if (origin < 0 || origin >= NFT_ORIGIN__NR || !origin_words[origin])
		return "unknown";
	return origin_words[origin];
}

static size_t errno_index(int error)
{
	size_t i;

	if (!error)
		return ERRNO_NONE;
	if (error < 0)
		error = -error;
	for (i = 0; i < N_ERRNOS; i++)
		if (errnos[i].err == error)
			return i;
	return ERRNO_OTHER;
}

const char *nft_metrics_errno_word(int error)
{
	size_t i = errno_index(error);

	return i == ERRNO_NONE ? "none" : i == ERRNO_OTHER ? "other" :
	       errnos[i].word;
}

/* ---- hooks: ours first bump a counter, then the chained ones run ---- */

static void on_finding(void *ctx, const struct nft_finding *f)
{
	struct nft_metrics *mx = ctx;

	if ((unsigned int)f->kind < NFT_FIND__NR)
		mx->findings[f->kind]++;
	if (mx->next.finding)
		mx->next.finding(mx->next.ctx, f);
}

/*
 * Failures by errno: exactly the events the model adds to
 * summary.failures -- a netfs_failure line of a live request
 * (model.c, NFT_EV_NETFS_FAILURE) and every cachefiles_io_error /
 * cachefiles_vfs_error (model_fs.c) -- so the errno breakdown sums to it.
 */
static void on_event(void *ctx, const struct nft_event *ev,
		     const struct nft_request *req,
		     const struct nft_subreq *sreq)
{
	struct nft_metrics *mx = ctx;

	if ((ev->kind == NFT_EV_NETFS_FAILURE && req) ||
	    ev->kind == NFT_EV_CACHEFILES_IO_ERROR ||
	    ev->kind == NFT_EV_CACHEFILES_VFS_ERROR)
		mx->failures[errno_index(ev->error)]++;
	if (mx->next.event)
		mx->next.event(mx->next.ctx, ev, req, sreq);
}

static void on_request_end(void *ctx, const struct nft_request *req)
{
	struct nft_metrics *mx = ctx;
	uint64_t end = req->t_done ? req->t_done : req->t_free ? req->t_free :
		       req->t_last;

	/* evicted by the object bound: it did not end, it left the model */
	if (!req->evicted) {
		int o = nft_request_origin(req);
		struct duration *d;
		double secs;
		size_t b;

		if (o < 0 || o >= NFT_ORIGIN__NR)
			o = 0;
		d = &mx->dur[o];
		if (req->t_new && end >= req->t_new) {
			secs = (end - req->t_new) / 1e9;
			d->sum_ns += end - req->t_new;
			for (b = 0; b < NFT_METRICS_DURATION_BUCKETS; b++)
				if (secs <= nft_metrics_duration_le[b])
					break;
			d->b[b]++;
			d->n++;
		} else {
			mx->untimed++;
		}
	}
	if (mx->next.request_end)
		mx->next.request_end(mx->next.ctx, req);
}

static void on_unknown(void *ctx, const struct nft_unknown *u)
{
	struct nft_metrics *mx = ctx;

	if (mx->next.unknown)
		mx->next.unknown(mx->next.ctx, u);
}

static void on_note(void *ctx, unsigned int note, const struct nft_summary *s)
{
	struct nft_metrics *mx = ctx;

	if (mx->next.note)
		mx->next.note(mx->next.ctx, note, s);
}

void nft_metrics_hooks(struct nft_metrics *mx, struct nft_model_hooks *hooks)
{
	mx->next = *hooks;
	hooks->finding = on_finding;
	hooks->event = on_event;
	hooks->request_end = on_request_end;
	hooks->unknown = on_unknown;
	hooks->note = on_note;
	hooks->ctx = mx;
}

void nft_metrics_attach(struct nft_metrics *mx, const struct nft_model *m,
			const struct nft_top *top)
{
	mx->model = m;
	mx->top = top;
}

/* ---- the exposition ---- */

static const char *gen_word(enum nft_gen gen)
{
	switch (gen) {
	case NFT_GEN_6_1: return "6.1";
	case NFT_GEN_6_12: return "6.12";
	case NFT_GEN_6_14: return "6.14";
	case NFT_GEN_7: return "6.16";
	default: return "unknown";
	}
}

struct age_walk {
	uint64_t now, n, oldest;
};

static int walk_in_flight(void *ctx, const struct nft_request *req)
{
	struct age_walk *w = ctx;

	if (req->state != NFT_REQ_ACTIVE)
		return 0;
	w->n++;
	if (req->t_new && w->now > req->t_new && w->now - req->t_new > w->oldest)
		w->oldest = w->now - req->t_new;
	return 0;
}

static void one(struct nft_om *w, const char *name, enum nft_om_type type,
		const char *unit, const char *help, uint64_t v)
{
	nft_om_family_begin(w, name, type, unit, help);
	nft_om_sample_u64(w, NULL, NULL, v);
}

void nft_metrics_write(const struct nft_metrics *mx, struct nft_om *w)
{
	const struct nft_summary *s;
	struct nft_summary zero = { 0 };
	uint64_t in_flight, oldest_ns, server;
	const char *l[5] = { NULL };
	char bound[NFT_ORIGIN__NR] = { 0 };
	int i;
	size_t k;

	s = mx->model ? nft_model_summary(mx->model) : &zero;

	l[0] = "version";
	l[1] = mx->version;
	l[2] = "kernel_generation";
	l[3] = gen_word(s->gen);
	nft_om_family_begin(w, "netfs_exporter_build", NFT_OM_INFO, NULL,
			    "netfs-top's version and the kernel generation its model decodes (always 1)");
	nft_om_sample_u64(w, NULL, l, 1);
	if (!mx->model)
		goto sources;	/* no tracing: no tracepoint metrics */

	nft_om_family_begin(w, "netfs_requests", NFT_OM_COUNTER, NULL,
			    "netfs requests ended (freed, or alive at the end of a replayed capture), by origin");
	l[0] = "origin";
	l[2] = NULL;
	for (i = 0; i < NFT_ORIGIN__NR; i++) {
		/* the same origin word twice (none today) would be two series */
		if (!s->requests_by_origin[i] && !mx->dur[i].n)
			continue;
		bound[i] = 1;
		l[1] = nft_metrics_origin_word(i);
		nft_om_sample_u64(w, NULL, l, s->requests_by_origin[i]);
	}

	nft_om_family_begin(w, "netfs_request_duration_seconds",
			    NFT_OM_HISTOGRAM, "seconds",
			    "time from a request's creation to its completion (or free), by origin");
	for (i = 0; i < NFT_ORIGIN__NR; i++) {
		if (!bound[i])
			continue;
		l[1] = nft_metrics_origin_word(i);
		nft_om_histogram(w, l, nft_metrics_duration_le, mx->dur[i].b,
				 NFT_METRICS_DURATION_BUCKETS,
				 mx->dur[i].sum_ns / 1e9);
	}

	nft_om_family_begin(w, "netfs_read_bytes", NFT_OM_COUNTER, "bytes",
			    "bytes read by the subrequests of ended requests, by source (server, cache, zero-fill)");
	l[0] = "source";
	server = s->bytes_read - s->bytes_cache_read - s->bytes_zero;
	l[1] = "server";
	nft_om_sample_u64(w, NULL, l, server);
	l[1] = "cache";
	nft_om_sample_u64(w, NULL, l, s->bytes_cache_read);
	l[1] = "zero";
	nft_om_sample_u64(w, NULL, l, s->bytes_zero);

	nft_om_family_begin(w, "netfs_write_bytes", NFT_OM_COUNTER, "bytes",
			    "bytes written by the subrequests of ended requests, by destination");
	l[0] = "dest";
	l[1] = "server";
	nft_om_sample_u64(w, NULL, l, s->bytes_written);
	l[1] = "cache";
	nft_om_sample_u64(w, NULL, l, s->bytes_cache_written);

	nft_om_family_begin(w, "netfs_subrequests", NFT_OM_COUNTER, NULL,
			    "subrequests of ended requests, by source and outcome (failed: ended with an error)");
	l[0] = "source";
	l[2] = "outcome";
	l[4] = NULL;
	for (i = 0; i < NFT_SRC__NR; i++) {
		uint64_t n = s->subreqs_by_source[i];
		uint64_t failed = s->subreq_failed_by_source[i];

		/* UNKNOWN and "----" share a word: one series */
		if (i == NFT_SRC_UNKNOWN) {
			n += s->subreqs_by_source[NFT_SRC_UNKNOWN_SOURCE];
			failed += s->subreq_failed_by_source[NFT_SRC_UNKNOWN_SOURCE];
		} else if (i == NFT_SRC_UNKNOWN_SOURCE) {
			continue;
		}
		if (!n)
			continue;
		l[1] = source_words[i];
		l[3] = "ok";
		nft_om_sample_u64(w, NULL, l, n - failed);
		l[3] = "failed";
		nft_om_sample_u64(w, NULL, l, failed);
	}
	l[2] = NULL;

	one(w, "netfs_retries", NFT_OM_COUNTER, NULL,
	    "subrequests reissued (RETRY / GET RESUBMIT cycles)", s->retries);

	nft_om_family_begin(w, "netfs_failures", NFT_OM_COUNTER, NULL,
			    "netfs_failure lines and cachefiles I/O / VFS errors, by errno");
	l[0] = "errno";
	for (k = 0; k < N_ERRNOS + 2; k++) {
		if (!mx->failures[k])
			continue;
		l[1] = k == ERRNO_NONE ? "none" : k == ERRNO_OTHER ? "other" :
		       errnos[k].word;
		nft_om_sample_u64(w, NULL, l, mx->failures[k]);
	}

	nft_om_family_begin(w, "netfs_findings", NFT_OM_COUNTER, NULL,
			    "findings of netfs-replay's detectors (leaks, stuck requests, over-reads ...), by kind");
	l[0] = "kind";
	for (i = 0; i < NFT_FIND__NR; i++) {
		l[1] = nft_finding_kind_name(i);
		nft_om_sample_u64(w, NULL, l, mx->findings[i]);
	}

	if (mx->top) {
		const struct nft_top_header *h = nft_top_header(mx->top);

		in_flight = h->in_flight;
		oldest_ns = h->oldest_age_ns;
	} else {
		struct age_walk aw = { s->ts_last, 0, 0 };

		if (mx->model)
			nft_model_for_each_request(mx->model, walk_in_flight, &aw);
		in_flight = aw.n;
		oldest_ns = aw.oldest;
	}
	/* after a replayed capture ended, those alive at its end */
	in_flight += s->in_flight_at_end;
	one(w, "netfs_requests_in_flight", NFT_OM_GAUGE, NULL,
	    "requests created and not yet completed (at the last interval)",
	    in_flight);
	nft_om_family_begin(w, "netfs_oldest_request_age_seconds", NFT_OM_GAUGE,
			    "seconds", "age of the oldest request in flight (at the last interval; 0: none)");
	nft_om_sample(w, NULL, NULL, oldest_ns / 1e9);

	one(w, "netfs_events", NFT_OM_COUNTER, NULL,
	    "netfs, fscache and cachefiles trace events analysed", s->events);
	one(w, "netfs_lost_events", NFT_OM_COUNTER, NULL,
	    "trace events the kernel dropped (ring buffer overrun) as it counted them",
	    s->lost_events);
	one(w, "netfs_lost_event_markers", NFT_OM_COUNTER, NULL,
	    "places where the trace says events were lost (the number may be unknown)",
	    s->lost_markers);
	one(w, "netfs_evicted_requests", NFT_OM_COUNTER, NULL,
	    "requests dropped by the model's object bound (--max-objects) before they ended: counted, not timed",
	    s->evicted_requests);
sources:
	for (k = 0; k < mx->n_src; k++)
		mx->src[k].write(mx->src[k].ctx, w);
}

int nft_metrics_render(void *ctx, FILE *out, enum nft_om_format fmt)
{
	struct nft_om w;

	nft_om_init(&w, out, fmt);
	nft_metrics_write(ctx, &w);
	return nft_om_end(&w);
}

int nft_metrics_write_textfile(const struct nft_metrics *mx, const char *dir)
{
	char path[4096], tmp[4096 + 32];
	FILE *f;
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/netfs.prom", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* not *.prom: node_exporter must never read it half written */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		unlink(tmp);
		errno = err;
		return -1;
	}
	if (nft_metrics_render((void *)mx, f, NFT_OM_CLASSIC)) {
		err = errno ? errno : EIO;
		fclose(f);
		unlink(tmp);
		errno = err;
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}
