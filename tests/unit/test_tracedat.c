// SPDX-License-Identifier: GPL-2.0
/*
 * decode_trace_dat() against the real captures of the corpus and against
 * broken inputs.  Each capture's .dat and its text twin come from the same
 * run (two ftrace instances, one tracepoint call writing both), so the text
 * decoder's events for the twin and ours for the .dat must be equal field by
 * field, CPU by CPU, apart from what the kernel samples separately for each
 * instance.  A few events are also checked against known lines of the twins.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/vocab.h"
#include "tap.h"


/* ---- a sink that keeps what the checks need ---- */

#define KEEP_MAX 16

struct kept {
	char line[512];
	char comm[64], name[64];
	struct nft_event ev;
};

struct collect {
	uint64_t n, lost_markers, unknown, other, pos_bad;
	uint64_t last_pos;
	char first_unknown[64];
	/* events to check field by field: kept by pos */
	uint64_t want_pos[KEEP_MAX];
	int nwant;
	struct kept kept[KEEP_MAX];
	int want_raw;
	uint64_t raw_bad;
};

struct diag_log {
	char last[1024];
	char all[4096];		/* every error and warning, one a line */
	int errors;
};

static void diag_keep(void *ctx, enum nft_diag_level level, const char *file,
		      const char *where, const char *msg)
{
	struct diag_log *d = ctx;

	(void)file;
	snprintf(d->last, sizeof(d->last), "%s: %s: %s",
		 level == NFT_DIAG_ERROR ? "error" :
		 level == NFT_DIAG_WARNING ? "warning" : "note", where, msg);
	if (getenv("NFT_TEST_VERBOSE"))
		fprintf(stderr, "diag %s\n", d->last);
	if (level == NFT_DIAG_ERROR)
		d->errors++;
	if (level != NFT_DIAG_NOTE && strlen(d->all) + strlen(d->last) + 2 <
	    sizeof(d->all)) {
		strcat(d->all, d->last);
		strcat(d->all, "\n");
	}
}

#define TWIN_CPUS 16

static int sink_event(void *ctx, const struct nft_event *ev)
{
	struct collect *c = ctx;
	int i;

	c->n++;
	if (ev->pos != c->last_pos + 1)
		c->pos_bad++;
	c->last_pos = ev->pos;
	if (ev->kind == NFT_EV_LOST)
		c->lost_markers++;
	if (ev->kind == NFT_EV_OTHER)
		c->other++;
	if (ev->n_unknown && !c->unknown++)
		snprintf(c->first_unknown, sizeof(c->first_unknown), "%s: %.*s",
			 ev->name, ev->unknown[0].len, ev->unknown[0].text);
	if (c->want_raw && ev->kind != NFT_EV_LOST &&
	    (!ev->raw || !ev->raw_len || ev->raw[ev->raw_len] != 0 ||
	     !strstr(ev->raw, ev->name)))
		c->raw_bad++;
	for (i = 0; i < c->nwant; i++) {
		if (c->want_pos[i] != ev->pos)
			continue;
		c->kept[i].ev = *ev;
		/* the decoder's strings die with the callback */
		snprintf(c->kept[i].comm, sizeof(c->kept[i].comm), "%s", ev->comm);
		snprintf(c->kept[i].name, sizeof(c->kept[i].name), "%s", ev->name);
		c->kept[i].ev.comm = c->kept[i].comm;
		c->kept[i].ev.name = c->kept[i].name;
		c->kept[i].ev.raw = NULL;
		c->kept[i].ev.n_unknown = 0;
		if (ev->raw)
			snprintf(c->kept[i].line, sizeof(c->kept[i].line), "%.*s",
				 (int)ev->raw_len, ev->raw);
	}
	return 0;
}

static const char *corpus_dir(void)
{
	const char *d = getenv("NFT_CORPUS");

	return d && *d ? d : "../shared/corpus";
}

/* "Events in <wl>.dat (host `trace-cmd report`): N" from MANIFEST.md. */
static long manifest_count(const char *kdir, const char *wl)
{
	char path[4096], line[1024], key[512];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/MANIFEST.md", kdir);
	snprintf(key, sizeof(key), "Events in %s.dat ", wl);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *p;

		if (strncmp(line, key, strlen(key)))
			continue;
		p = strrchr(line, ':');
		if (p)
			n = atol(p + 1);
	}
	fclose(f);
	return n;
}

static int decode_path(const char *path, const struct nft_dat_opts *opts,
		       struct collect *c, struct diag_log *dl,
		       struct nft_dat_stats *st)
{
	struct nft_sink sink = { sink_event, c };
	struct nft_diag diag = { diag_keep, dl, 0, 0, 0, 0 };
	struct nft_input *in = nft_input_open(path);
	int ret;

	if (!in)
		return -2;
	ret = decode_trace_dat(in, opts, &sink, &diag, st);
	nft_input_close(in);
	return ret;
}

/* Every capture: record count, no unknown symbol, pos. */
static void test_corpus_file(const char *kdir, const char *wl)
{
	char path[4096];
	struct collect c;
	struct diag_log dl;
	struct nft_dat_stats st;
	struct nft_dat_opts opts = { NULL, 0, 0 };
	long want = manifest_count(kdir, wl);
	int ret;

	memset(&c, 0, sizeof(c));
	memset(&dl, 0, sizeof(dl));
	c.last_pos = 12;
	snprintf(path, sizeof(path), "%s/%s.dat", kdir, wl);
	ret = decode_path(path, &opts, &c, &dl, &st);
	is(ret, 0, path);
	ok(dl.errors == 0, "%s: no error diagnostics (%s)", wl, dl.last);
	if (want >= 0)
		is((int64_t)st.records, want, "records == MANIFEST count");
	is((int64_t)c.n, (int64_t)(st.records + c.lost_markers), "one event per record");
	ok(c.unknown == 0, "%s: no unknown symbols (%" PRIu64 ", first %s)", wl,
	   c.unknown, c.first_unknown);
	is((int64_t)c.pos_bad, 0, "pos counts records from 13");
}

/* ---- the text decoder on the twin vs us on the .dat ---- */

struct evcopy {
	struct nft_event ev;
	char comm[32], name[40];
};

struct evlist {
	struct evcopy *v[TWIN_CPUS];
	size_t n[TWIN_CPUS], cap[TWIN_CPUS];
	uint64_t unknown;
};

static int keep_event(void *ctx, const struct nft_event *ev)
{
	struct evlist *l = ctx;
	struct evcopy *e;
	int cpu = ev->cpu;

	if (ev->n_unknown)
		l->unknown++;
	if (ev->kind == NFT_EV_LOST || cpu < 0 || cpu >= TWIN_CPUS)
		return 0;
	if (l->n[cpu] == l->cap[cpu]) {
		size_t cap = l->cap[cpu] ? l->cap[cpu] * 2 : 4096;
		struct evcopy *v = realloc(l->v[cpu], cap * sizeof(*v));

		if (!v)
			return 1;
		l->v[cpu] = v;
		l->cap[cpu] = cap;
	}
	e = &l->v[cpu][l->n[cpu]++];
	e->ev = *ev;
	snprintf(e->comm, sizeof(e->comm), "%s", ev->comm);
	snprintf(e->name, sizeof(e->name), "%s", ev->name);
	e->ev.comm = e->ev.name = e->ev.raw = NULL;
	e->ev.n_unknown = 0;
	memset(e->ev.unknown, 0, sizeof(e->ev.unknown));
	return 0;
}

static void free_evlist(struct evlist *l)
{
	int c;

	for (c = 0; c < TWIN_CPUS; c++)
		free(l->v[c]);
}

/*
 * Name of the first field that differs, NULL if none.  @racy: only fields
 * the kernel samples from live state (sizes, positions, counters, flags)
 * differ: each instance evaluates TP_fast_assign() separately, so a
 * collector on another CPU may move them between the two writes.
 */
static const char *event_diff(const struct evcopy *a, const struct evcopy *b,
			      bool *racy)
{
	const struct nft_event *x = &a->ev, *y = &b->ev;

#define D(f) if (x->f != y->f) return #f
	D(kind); D(pid); D(cpu);
	if (strcmp(a->comm, b->comm))
		return "comm";
	if (strcmp(a->name, b->name))
		return "name";
	D(rreq); D(creq); D(index); D(stream); D(cookie); D(object);
	D(volume); D(cache); D(id2); D(what); D(origin); D(source);
	D(gap_type); D(ino); D(first); D(last); D(error); D(slot); D(lost);
	D(have);
	/* pos and ts_ns come from two instances and legitimately differ */
	*racy = true;
	D(start); D(len); D(transferred); D(end); D(i_size);
	D(collected_to); D(cleaned_to); D(front); D(ref); D(n_accesses);
	D(n_active); D(flags); D(notes);
	*racy = false;
#undef D
	return NULL;
}

static void dump_event(const char *who, const struct evcopy *e)
{
	const struct nft_event *x = &e->ev;

	fprintf(stderr, "  %s pos=%" PRIu64 " %s have=%x R=%x CR=%x ix=%d st=%d"
		" c=%x o=%x V=%x C=%x id2=%x what=%u org=%u src=%u gap=%d\n",
		who, x->pos, e->name, x->have, x->rreq, x->creq, x->index,
		x->stream, x->cookie, x->object, x->volume, x->cache, x->id2,
		x->what, x->origin, x->source, x->gap_type);
	fprintf(stderr, "    s=%" PRIx64 " l=%" PRIx64 " t=%" PRIx64 " end=%" PRIx64
		" isz=%" PRIx64 " ino=%" PRIx64 " first=%" PRIx64 " last=%" PRIx64
		" cto=%" PRIx64 " cln=%" PRIx64 " frn=%" PRIx64 "\n",
		x->start, x->len, x->transferred, x->end, x->i_size, x->ino,
		x->first, x->last, x->collected_to, x->cleaned_to, x->front);
	fprintf(stderr, "    ref=%" PRId64 " acc=%d act=%d e=%d f=%x n=%x slot=%d\n",
		x->ref, x->n_accesses, x->n_active, x->error, x->flags,
		x->notes, x->slot);
}

static int decode_into(const char *path, int text, struct evlist *l)
{
	struct nft_sink sink = { keep_event, l };
	struct diag_log dl;
	struct nft_diag diag = { diag_keep, &dl, 0, 0, 0, 0 };
	struct nft_input *in = nft_input_open(path);
	int ret;

	memset(&dl, 0, sizeof(dl));
	if (!in)
		return -1;
	if (text) {
		struct nft_text_opts o = { NFT_DIALECT_AUTO, 0 };

		ret = decode_ftrace_text(in, &o, &sink, &diag, NULL);
	} else {
		struct nft_dat_opts o = { NULL, 0, 0 };

		ret = decode_trace_dat(in, &o, &sink, &diag, NULL);
	}
	nft_input_close(in);
	return ret;
}

/* Same event, as far as the order of events goes? */
static bool same_identity(const struct evcopy *a, const struct evcopy *b)
{
	const struct nft_event *x = &a->ev, *y = &b->ev;

	return x->kind == y->kind && x->pid == y->pid && x->rreq == y->rreq &&
	       x->index == y->index && x->what == y->what &&
	       x->cookie == y->cookie && x->object == y->object &&
	       x->first == y->first && x->last == y->last && x->ino == y->ino &&
	       x->stream == y->stream && x->source == y->source &&
	       !strcmp(a->name, b->name);
}

#define MATCH_WINDOW 16

struct cmp_result {
	uint64_t total, diffs, racy, unmatched, irqs;
	char first[600];
};

/*
 * Walk one CPU's events of both decoders.  Events of one CPU keep their
 * order in both instances except around interrupts that hit between the two
 * writes of a nested event (and, on 7.2, the odd event whose second copy
 * landed on another CPU), so look a few events ahead before giving up.
 */
static void compare_cpu(const struct evcopy *a, size_t na,
			const struct evcopy *b, size_t nb, int cpu,
			struct cmp_result *r)
{
	bool *used = calloc(nb ? nb : 1, sizeof(*used));
	size_t i, j = 0, k;

	for (i = 0; used && i < na; i++) {
		bool racy = false;
		const char *f;

		size_t lo = j > MATCH_WINDOW ? j - MATCH_WINDOW : 0;

		for (k = lo; k < nb && k < j + MATCH_WINDOW; k++)
			if (!used[k] && same_identity(&a[i], &b[k]))
				break;
		if (k >= nb || k >= j + MATCH_WINDOW) {
			if (!r->unmatched++ && !r->first[0])
				snprintf(r->first, sizeof(r->first),
					 "cpu %d: dat pos %" PRIu64 " %s has no twin nearby",
					 cpu, a[i].ev.pos, a[i].name);
			continue;
		}
		used[k] = true;
		j = k + 1;
		r->total++;
		/*
		 * Each instance samples need-resched when it writes its
		 * copy: a lazy-resched bit set in between differs, rarely.
		 */
		if (strcmp(a[i].ev.irqs, b[k].ev.irqs))
			r->irqs++;
		f = event_diff(&a[i], &b[k], &racy);
		if (f && racy) {
			r->racy++;
		} else if (f) {
			if (getenv("NFT_TEST_VERBOSE") && r->diffs < 8) {
				fprintf(stderr, "field %s\n", f);
				dump_event("dat", &a[i]);
				dump_event("txt", &b[k]);
			}
			if (!r->diffs++)
				snprintf(r->first, sizeof(r->first),
					 "cpu %d dat pos %" PRIu64 " %s: field %s differs (txt line %" PRIu64 ")",
					 cpu, a[i].ev.pos, a[i].name, f, b[k].ev.pos);
		}
	}
	for (k = 0; used && k < nb; k++)
		if (!used[k])
			r->unmatched++;
	free(used);
}

static void compare_decoders(const char *kdir, const char *wl)
{
	char dat[4096], txt[4096];
	struct evlist a, b;
	struct cmp_result r;
	const char *kernel = strrchr(kdir, '/') + 1;
	int c;

	snprintf(dat, sizeof(dat), "%s/%s.dat", kdir, wl);
	snprintf(txt, sizeof(txt), "%s/%s.txt", kdir, wl);
	if (access(txt, R_OK))
		snprintf(txt, sizeof(txt), "%s/%s.txt.xz", kdir, wl);
	if (access(txt, R_OK) || access(dat, R_OK))
		return;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	if (decode_into(dat, 0, &a) || decode_into(txt, 1, &b)) {
		ok(0, "%s: both decoders ran", wl);
		goto out;
	}
	for (c = 0; c < TWIN_CPUS; c++)
		compare_cpu(a.v[c], a.n[c], b.v[c], b.n[c], c, &r);
	ok(r.diffs == 0, "%s/%s: %" PRIu64 " events equal to the text decoder's (%" PRIu64
	   " differ; first: %s)", kernel, wl, r.total, r.diffs, r.first);
	ok(r.irqs <= 2 + r.total / 500, "%s/%s: latency flags equal (%" PRIu64
	   " differ)", kernel, wl, r.irqs);
	ok(r.racy * 200 <= r.total, "%s/%s: live-sampled values differ in %" PRIu64
	   " events only", kernel, wl, r.racy);
	ok(r.unmatched <= 4 + r.total / 500, "%s/%s: %" PRIu64
	   " events out of per-cpu order or cpu between the instances (%s)",
	   kernel, wl, r.unmatched, r.first);
out:
	free_evlist(&a);
	free_evlist(&b);
}

static int dat_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".dat");
}

static int test_corpus(void)
{
	static const char *const kernels[] = {
		"6.1.0-56-amd64", "6.12.107+deb13-amd64", "7.2.13+deb14-amd64",
	};
	size_t k;
	int done = 0;

	for (k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		char kdir[2048];
		struct dirent **names;
		int i, n;

		snprintf(kdir, sizeof(kdir), "%s/%s", corpus_dir(), kernels[k]);
		n = scandir(kdir, &names, dat_name, alphasort);
		if (n < 0)
			continue;
		for (i = 0; i < n; i++) {
			char wl[256];

			snprintf(wl, sizeof(wl), "%.*s",
				 (int)strlen(names[i]->d_name) - 4, names[i]->d_name);
			if (!getenv("NFT_TEST_QUICK") || i < 2) {
				test_corpus_file(kdir, wl);
				compare_decoders(kdir, wl);
			}
			free(names[i]);
			done++;
		}
		free(names);
	}
	return done;
}

/* ---- field by field against known lines of the twins ---- */

static int decode_keep(const char *kernel, const char *wl, const uint64_t *pos,
		       int npos, struct collect *c, int want_raw)
{
	char path[4096];
	struct diag_log dl;
	struct nft_dat_stats st;
	struct nft_dat_opts opts = { NULL, want_raw, 0 };
	int i;

	memset(c, 0, sizeof(*c));
	memset(&dl, 0, sizeof(dl));
	c->last_pos = 12;
	c->want_raw = want_raw;
	c->nwant = npos;
	for (i = 0; i < npos; i++)
		c->want_pos[i] = pos[i];
	snprintf(path, sizeof(path), "%s/%s/%s.dat", corpus_dir(), kernel, wl);
	if (access(path, R_OK))
		return -1;
	return decode_path(path, &opts, c, &dl, &st);
}

static void test_fields_6_12(void)
{
	/*
	 * smb_dio.txt line 13:
	 * dd-987 [000] ..... 129.190754: netfs_rreq_ref: R=0000111c NEW r=1
	 */
	static const uint64_t pos[] = { 13 };
	struct collect c;
	const struct nft_event *ev = &c.kept[0].ev;

	if (decode_keep("6.12.107+deb13-amd64", "smb_dio", pos, 1, &c, 1)) {
		ok(1, "# skip 6.12 smb_dio.dat absent");
		return;
	}
	is(ev->kind, NFT_EV_NETFS_RREQ_REF, "6.12 first rreq_ref kind");
	is_str(ev->comm, "dd", "comm");
	is(ev->pid, 987, "pid");
	is(ev->cpu, 0, "cpu");
	is_str(ev->irqs, ".....", "irqs");
	is(ev->rreq, 0x111c, "R=0000111c");
	is(ev->what, NFT_RREF_NEW, "NEW");
	is(ev->ref, 1, "r=1");
	is(ev->index, -1, "no index");
	ok(ev->have & NFT_HAVE_RREQ, "have rreq");
	ok(strstr(c.kept[0].line, "netfs_rreq_ref: R=0000111c NEW") != NULL,
	   "raw line: %s", c.kept[0].line);
	ok(strstr(c.kept[0].line, "dd-987 ") && strstr(c.kept[0].line, "[000] ....."),
	   "raw line has the tracefs columns");
	is((int64_t)c.raw_bad, 0, "every raw line is set");
}

static void test_fields_7_2(void)
{
	/*
	 * smb_dio.txt
	 * 16: dd-944 [000] ..... netfs_sreq: R=000012d1[1] DOWN PREP  f=100 s=0 0/100000 s=0 e=0
	 * 20: cifsd-223 [000] ..... netfs_sreq: R=000012d1[1] DOWN I-OK  f=110 s=0 100000/100000 s=0 e=0
	 * 242: dd-946 [001] ..... netfs_sreq: R=000012d9[1] UPLD PREP  f=000 s=0 0/0 s=1 e=0
	 */
	static const uint64_t pos[] = { 16, 20, 242 };
	struct collect c;
	const struct nft_event *ev;

	if (decode_keep("7.2.13+deb14-amd64", "smb_dio", pos, 3, &c, 0)) {
		ok(1, "# skip 7.2 smb_dio.dat absent");
		return;
	}
	ev = &c.kept[0].ev;
	is(ev->kind, NFT_EV_NETFS_SREQ, "7.2 sreq kind");
	is(ev->rreq, 0x12d1, "rreq");
	is(ev->index, 1, "index");
	is(ev->source, NFT_SRC_DOWNLOAD, "DOWN");
	is(ev->what, NFT_SREQ_PREPARE, "PREP");
	is(ev->flags, 0x100, "f=100");
	is((int64_t)ev->start, 0, "s=0");
	is((int64_t)ev->transferred, 0, "transferred");
	is((int64_t)ev->len, 0x100000, "len");
	is(ev->slot, 0, "slot 0");
	is(ev->error, 0, "e=0");
	ok(ev->have & NFT_HAVE_SLOT, "have slot");
	ev = &c.kept[1].ev;
	is_str(ev->comm, "cifsd", "I-OK comm");
	is(ev->what, NFT_SREQ_IO_PROGRESS, "I-OK");
	is((int64_t)ev->transferred, 0x100000, "transferred 100000");
	is(ev->flags, 0x110, "f=110");
	ev = &c.kept[2].ev;
	is(ev->source, NFT_SRC_UPLOAD, "UPLD");
	is(ev->slot, 1, "second s= is the slot: 1");
	is(ev->pid, 946, "pid 946");
	is(ev->cpu, 1, "cpu 1");
}

static void test_fields_6_1(void)
{
	/*
	 * append.txt
	 * 30: sh-505 [001] ..... cachefiles_prep_read: R=00000bb1[0] ZERO after-eof  f=00 s=0 1000 ni=5300af B=0
	 * 16: fscache_active: c=0000004d USE-m r=1 a=0 c=1 (enum names in the table)
	 * 26: kworker/u4:9-381 cachefiles_lookup: o=0000004c dB=1d7 B=0 e=-2
	 */
	static const uint64_t pos[] = { 30, 16, 26 };
	struct collect c;
	const struct nft_event *ev;

	if (decode_keep("6.1.0-56-amd64", "append", pos, 3, &c, 0)) {
		ok(1, "# skip 6.1 append.dat absent");
		return;
	}
	ev = &c.kept[0].ev;
	is(ev->kind, NFT_EV_CACHEFILES_PREP_READ, "6.1 prep_read kind");
	is(ev->rreq, 0xbb1, "R=00000bb1");
	is(ev->index, 0, "[0]");
	ok((ev->have & (NFT_HAVE_RREQ | NFT_HAVE_INDEX)) ==
	   (NFT_HAVE_RREQ | NFT_HAVE_INDEX), "6.1 form has R= and [idx]");
	ok(!(ev->have & NFT_HAVE_OBJECT), "6.1 form has no o=");
	is(ev->source, NFT_SRC_ZERO, "ZERO (enum name resolved)");
	is(ev->what, NFT_CFPREP_AFTER_EOF, "after-eof");
	is((int64_t)ev->len, 0x1000, "len 1000");
	is((int64_t)ev->ino, 0x5300af, "ni=5300af");
	is(ev->id2, 0, "B=0");
	ev = &c.kept[1].ev;
	is(ev->kind, NFT_EV_FSCACHE_ACTIVE, "fscache_active");
	is(ev->what, NFT_FSCU_USE_MODIFY, "USE-m from an unresolved enum table");
	is(ev->n_active, 1, "c=1");
	is(ev->n_accesses, 0, "a=0");
	is_str(ev->irqs, "...1.", "irqs ...1.");
	ev = &c.kept[2].ev;
	is(ev->kind, NFT_EV_CACHEFILES_LOOKUP, "cachefiles_lookup");
	is_str(ev->comm, "kworker/u4:9", "kworker comm");
	is(ev->object, 0x4c, "o=0000004c");
}

/* ---- generated fixtures: instances, lost events, unknown symbols ---- */

#define FIX_MAX 16

struct fix {
	int n;
	struct evcopy e[FIX_MAX];
	char unk[FIX_MAX][16];
	int unk_cls[FIX_MAX];
	char raw[FIX_MAX][160];
};

static int fix_event(void *ctx, const struct nft_event *ev)
{
	struct fix *f = ctx;
	struct evcopy *e;

	if (f->n >= FIX_MAX)
		return 0;
	e = &f->e[f->n];
	e->ev = *ev;
	snprintf(e->comm, sizeof(e->comm), "%s", ev->comm);
	snprintf(e->name, sizeof(e->name), "%s", ev->name);
	if (ev->n_unknown) {
		snprintf(f->unk[f->n], sizeof(f->unk[0]), "%.*s",
			 ev->unknown[0].len, ev->unknown[0].text);
		f->unk_cls[f->n] = ev->unknown[0].cls;
	}
	if (ev->raw)
		snprintf(f->raw[f->n], sizeof(f->raw[0]), "%.*s",
			 (int)ev->raw_len, ev->raw);
	e->ev.comm = e->ev.name = e->ev.raw = NULL;
	f->n++;
	return 0;
}

/*
 * "dat": the v6 fixtures, read by libtracecmd; "dat/v7": the same converted
 * by trace-cmd convert to v7 with zstd, read by dat_zcpu.c.
 */
static const char *fixture_dir = "dat";

static int decode_fixture(const char *name, const char *instance, int raw,
			  struct fix *f, struct nft_dat_stats *st,
			  struct diag_log *dl)
{
	char path[512];
	struct nft_sink sink = { fix_event, f };
	struct nft_diag diag = { diag_keep, dl, 0, 0, 0, 0 };
	struct nft_dat_opts opts = { instance, raw, 0 };
	struct nft_input *in;
	int ret;

	memset(f, 0, sizeof(*f));
	memset(dl, 0, sizeof(*dl));
	snprintf(path, sizeof(path), "tests/fixtures/%s/%s", fixture_dir, name);
	in = nft_input_open(path);
	if (!in)
		return -2;
	ret = decode_trace_dat(in, &opts, &sink, &diag, st);
	nft_input_close(in);
	return ret;
}

static void test_instances(void)
{
	struct fix f;
	struct nft_dat_stats st;
	struct diag_log dl;
	const struct nft_event *ev;

	if (access("tests/fixtures/dat/instance.dat", R_OK)) {
		ok(1, "# skip fixtures: run from the repository root");
		return;
	}
	/* top level has no netfs records, instance "netfs" has: pick it */
	is(decode_fixture("instance.dat", NULL, 1, &f, &st, &dl), 0, "instance.dat");
	is_str(st.instance, "netfs", "picked the only instance with netfs events");
	is(f.n, 6, "its 6 records");
	is(st.cpus, 2, "2 cpus");
	is((int64_t)st.events, 5, "5 of them ours");
	ev = &f.e[0].ev;
	is(ev->kind, NFT_EV_NETFS_RREQ_REF, "first: netfs_rreq_ref");
	is(ev->what, NFT_RREF_NEW, "NEW");
	is(ev->rreq, 0x8f2, "R=000008f2");
	is_str(f.e[0].comm, "dd", "comm from the saved cmdlines");
	is((int64_t)ev->ts_ns, 25000000000LL, "ts");
	is((int64_t)ev->pos, 13, "pos 13");
	ok(strstr(f.raw[0], "dd-100") && strstr(f.raw[0], "[000] .....") &&
	   strstr(f.raw[0], "25.000000: netfs_rreq_ref: R=000008f2 NEW"),
	   "raw: %s", f.raw[0]);
	is(f.e[1].ev.kind, NFT_EV_NETFS_RREQ_REF, "cpu 1 record merged by time");
	is(f.e[1].ev.cpu, 1, "cpu 1");
	is_str(f.e[1].comm, "kworker/u8:0", "kworker comm");
	ev = &f.e[2].ev;
	is(ev->kind, NFT_EV_NETFS_SREQ, "netfs_sreq");
	is(ev->slot, 3, "slot");
	is(ev->source, NFT_SRC_DOWNLOAD, "DOWN");
	is(ev->what, NFT_SREQ_ADDED, "ADD");
	is((int64_t)ev->len, 0x20000, "len");
	is((int64_t)ev->start, 0x40000, "start");
	is(f.e[3].ev.kind, NFT_EV_OTHER, "sched_dummy is another system's");
	is_str(f.e[3].name, "sched_dummy", "its name");
	ev = &f.e[4].ev;
	is(ev->what, 0, "a value missing from the table is unknown");
	is(ev->n_unknown, 1, "and kept");
	is_str(f.unk[4], "0x2a", "as the number the table lacks");
	is(f.unk_cls[4], NFT_SYMC_RREQ_REF, "in its class");
	ev = &f.e[5].ev;
	is(ev->what, NFT_FSCU_USE_MODIFY, "fscache_active enum-name table");
	is_str(ev->irqs, "d..1.", "irqs-off, preempt depth 1");
	ok(strstr(f.raw[5], "d..1.") && strstr(f.raw[5], "c=0000004d USE-m "),
	   "raw resolves the enum-name table like the kernel: %s", f.raw[5]);
	ok(strstr(f.raw[4], "R=000008f2 0x2a r=2") != NULL,
	   "raw shows a value missing from the table as a number: %s", f.raw[4]);

	is(decode_fixture("instance.dat", "", 0, &f, &st, &dl), 0, "top level by name");
	is(f.n, 2, "the top level's 2 records");
	is_str(st.instance, "", "stats say top level");
	ok(strstr(dl.last, "no netfs") != NULL, "warned: %s", dl.last);

	is(decode_fixture("instance.dat", "netfs", 0, &f, &st, &dl), 0, "instance by name");
	is(f.n, 6, "6 records");
	is(decode_fixture("instance.dat", "nope", 0, &f, &st, &dl), -1, "unknown name");
	ok(strstr(dl.last, "\"nope\"") && strstr(dl.last, "netfs"),
	   "lists the instances: %s", dl.last);

	/* two instances with netfs records: no guessing, top level */
	is(decode_fixture("two-instances.dat", NULL, 0, &f, &st, &dl), 0, "two instances");
	is_str(st.instance, "", "ambiguous: top level");
	is(decode_fixture("two-instances.dat", "b", 0, &f, &st, &dl), 0, "instance b");
	is(f.e[0].ev.rreq, 0x200, "b's request");
	is_str(st.instance, "b", "stats name it");
}

static void test_lost(void)
{
	struct fix f;
	struct nft_dat_stats st;
	struct diag_log dl;
	int i;

	if (decode_fixture("lost.dat", NULL, 0, &f, &st, &dl)) {
		ok(0, "lost.dat decodes");
		return;
	}
	is(f.n, 5, "3 records and 2 lost-event markers");
	is(f.e[0].ev.kind, NFT_EV_NETFS_RREQ_REF, "first record");
	is(f.e[1].ev.kind, NFT_EV_LOST, "cpu 1 marker before cpu 1's record");
	is(f.e[1].ev.cpu, 1, "on cpu 1");
	is((int64_t)f.e[1].ev.lost, 0, "count unknown: 0");
	is(f.e[2].ev.cpu, 1, "then cpu 1's record");
	is(f.e[3].ev.kind, NFT_EV_LOST, "cpu 0 marker");
	is((int64_t)f.e[3].ev.lost, 7, "7 lost");
	is(f.e[4].ev.what, NFT_RREF_PUT_SUBREQ, "then cpu 0's record");
	is((int64_t)st.lost_events, 7, "stats sum the known counts");
	is((int64_t)st.records, 3, "records do not count markers");
	for (i = 0; i < f.n; i++)
		is((int64_t)f.e[i].ev.pos, 13 + i, "pos counts marker lines too");
}

static int stop_at_third(void *ctx, const struct nft_event *ev)
{
	int *n = ctx;

	(void)ev;
	return ++*n == 3 ? 5 : 0;
}

/* A sink that says stop stops the decoder, which returns its value. */
static void test_sink_stop(void)
{
	struct nft_input *in = nft_input_open("tests/fixtures/dat/instance.dat");
	struct nft_sink sink = { stop_at_third, NULL };
	int n = 0;

	sink.ctx = &n;
	if (!in) {
		ok(0, "open instance.dat");
		return;
	}
	is(decode_trace_dat(in, NULL, &sink, NULL, NULL), 5, "sink's value returned");
	is(n, 3, "no event after the stop");
	nft_input_close(in);
}

static void test_corrupt_page(void)
{
	struct fix f;
	struct nft_dat_stats st;
	struct diag_log dl;

	/* kbuffer would crash: dat_page.c hands it the page's sound records */
	is(decode_fixture("corrupt-page.dat", NULL, 0, &f, &st, &dl), 0,
	   "a bad page in the middle: still decoded");
	is(f.n, 3, "the records of the pages around it, a lost-events marker between");
	ok(f.n == 3 && f.e[1].ev.kind == NFT_EV_LOST && f.e[0].ev.kind != NFT_EV_LOST &&
	   f.e[2].ev.kind != NFT_EV_LOST, "the marker where the page was");
	ok(dl.errors >= 1 && strstr(dl.all, "cpu 0: ring-buffer page 2 of") &&
	   strstr(dl.all, "commit size past the page"),
	   "and an error naming cpu, page and cause: %s", dl.all);
	ok(!strstr(dl.all, "metadata"), "not called a metadata problem");
}

/* ---- broken inputs ---- */

static char tmpdir[] = "/tmp/nft-test-dat.XXXXXX";

static void write_file(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return;
	fwrite(buf, 1, n, f);
	fclose(f);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long sz;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(sz > 0 ? sz : 1);
	if (buf && fread(buf, 1, sz, f) != (size_t)sz) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*n = sz;
	return buf;
}

static int count_fds(void)
{
	struct dirent **names;
	int i, n = scandir("/proc/self/fd", &names, NULL, NULL);

	for (i = 0; i < n; i++)
		free(names[i]);
	if (n >= 0)
		free(names);
	return n;
}

/* Decode @path; 0 or -1 both fine as long as it is said and nothing crashes. */
static void bad_case(const char *label, const char *path, int expect_fail)
{
	struct collect c;
	struct diag_log dl;
	struct nft_dat_stats st;
	struct nft_dat_opts opts = { NULL, 1, 0 };
	int ret, fd0, e;

	memset(&c, 0, sizeof(c));
	memset(&dl, 0, sizeof(dl));
	c.last_pos = 12;
	c.want_raw = 1;
	errno = 0;
	fd0 = count_fds();
	ret = decode_path(path, &opts, &c, &dl, &st);
	e = errno;
	is(count_fds(), fd0, "no descriptor leaked");
	errno = e;
	if (expect_fail) {
		ok(ret == -1 && errno != 0, "%s: fails with errno (ret %d, %s)",
		   label, ret, strerror(errno));
		ok(dl.errors > 0 && strstr(dl.last, "offset"),
		   "%s: error names the offset: %s", label, dl.last);
	} else {
		ok((ret == 0 || ret == -1) && dl.errors > 0,
		   "%s: survived and said so (ret %d, %" PRIu64
		   " events, last diag: %s)", label, ret, c.n, dl.last);
	}
}

static void test_bad_inputs(void)
{
	char path[4096], p2[4096];
	const char *src;
	char src_path[4096];
	size_t n, cuts[] = { 0, 10, 100, 1000, 5000, 50000, 200000 };
	char *buf;
	size_t i;

	if (!mkdtemp(tmpdir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/empty.dat", tmpdir);
	write_file(path, "", 0);
	bad_case("empty file", path, 1);
	snprintf(path, sizeof(path), "%s/text.dat", tmpdir);
	write_file(path, "# tracer: nop\nhello world\n", 26);
	bad_case("text file", path, 1);
	snprintf(path, sizeof(path), "%s/random.dat", tmpdir);
	{
		char rnd[8192];

		srand(42);
		for (i = 0; i < sizeof(rnd); i++)
			rnd[i] = rand();
		write_file(path, rnd, sizeof(rnd));
	}
	bad_case("random bytes", path, 1);
	/*
	 * The input opened, then the file vanished: it is read through the
	 * descriptor already open, never reopened by name (a FIFO would block).
	 */
	snprintf(path, sizeof(path), "%s/gone.dat", tmpdir);
	write_file(path, "x", 1);
	{
		struct nft_sink sink = { sink_event, NULL };
		struct collect c;
		struct diag_log dl;
		struct nft_diag diag = { diag_keep, &dl, 0, 0, 0, 0 };
		struct nft_input *in = nft_input_open(path);

		memset(&c, 0, sizeof(c));
		memset(&dl, 0, sizeof(dl));
		sink.ctx = &c;
		unlink(path);
		errno = 0;
		ok(in && decode_trace_dat(in, NULL, &sink, &diag, NULL) == -1 &&
		   errno != ENOENT, "vanished file: read from its descriptor");
		ok(dl.errors == 1 && strstr(dl.last, "not a trace.dat"),
		   "vanished file: its content judged: %s", dl.last);
		nft_input_close(in);
	}

	/* Fixture: the smallest capture cut inside its kallsyms section. */
	snprintf(src_path, sizeof(src_path), "tests/fixtures/dat/trunc-header.dat");
	if (!access(src_path, R_OK))
		bad_case("fixture truncated in the headers", src_path, 1);
	/* fuzzer finds: a v6 length of "eader_pa" (libtracecmd mallocs it) */
	snprintf(src_path, sizeof(src_path), "tests/fixtures/dat/fuzz-v6-length.dat");
	if (!access(src_path, R_OK))
		bad_case("v6 length past the end", src_path, 1);
	/* and shifted pages whose commit sizes crash kbuffer */
	snprintf(src_path, sizeof(src_path), "tests/fixtures/dat/fuzz-v6-page.dat");
	if (!access(src_path, R_OK))
		bad_case("v6 page headers past their page", src_path, 0);
	/* and metadata the libraries crash on: opened in a child first */
	snprintf(src_path, sizeof(src_path),
		 "tests/fixtures/dat/known-crash/tep-parse-event-null.dat");
	if (!access(src_path, R_OK))
		bad_case("format text tep_parse_event() crashes on", src_path, 1);
	snprintf(src_path, sizeof(src_path),
		 "tests/fixtures/dat/known-crash/tracecmd-close-null.dat");
	if (!access(src_path, R_OK))
		bad_case("header tracecmd_open_fd() crashes on", src_path, 1);
	snprintf(src_path, sizeof(src_path),
		 "tests/fixtures/dat/known-crash/v5-open-fd.dat");
	if (!access(src_path, R_OK))
		bad_case("a \"version 5\" file tracecmd_open_fd() crashes on",
			 src_path, 1);
	snprintf(src_path, sizeof(src_path),
		 "tests/fixtures/dat/known-crash/instance-handle.dat");
	if (!access(src_path, R_OK))
		bad_case("an instance tracecmd_buffer_instance_handle() crashes on",
			 src_path, 1);

	snprintf(src_path, sizeof(src_path), "%s/6.1.0-56-amd64/append.dat",
		 corpus_dir());
	src = src_path;
	buf = slurp(src, &n);
	if (!buf) {
		ok(1, "# skip truncation cases: %s absent", src);
		return;
	}
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char label[64];

		snprintf(path, sizeof(path), "%s/cut%zu.dat", tmpdir, cuts[i]);
		write_file(path, buf, cuts[i] < n ? cuts[i] : n);
		snprintf(label, sizeof(label), "truncated at %zu", cuts[i]);
		bad_case(label, path, 1);
	}
	/* Cut inside the data: headers fine, the last page(s) missing. */
	for (i = 1; i <= 3; i++) {
		char label[64];
		size_t cut = n - i * 700;

		snprintf(path, sizeof(path), "%s/tail%zu.dat", tmpdir, i);
		write_file(path, buf, cut);
		snprintf(label, sizeof(label), "truncated at %zu of %zu", cut, n);
		bad_case(label, path, 0);
	}
	/* Flipped bytes in the middle and in the data. */
	for (i = 0; i < 4; i++) {
		char label[64];
		size_t at = i < 2 ? n / 2 + i * 4096 : n - 1000 + i * 150;
		char *copy = malloc(n);
		size_t j;

		memcpy(copy, buf, n);
		for (j = 0; j < 64 && at + j < n; j++)
			copy[at + j] ^= 0x5a;
		snprintf(path, sizeof(path), "%s/flip%zu.dat", tmpdir, i);
		write_file(path, copy, n);
		snprintf(label, sizeof(label), "64 bytes flipped at %zu", at);
		bad_case(label, path, 0);
		free(copy);
	}
	/* A compressed copy goes through the spool file. */
	snprintf(p2, sizeof(p2), "%s/append.dat.xz", tmpdir);
	{
		char cmd[8400];
		struct collect c;
		struct diag_log dl;
		struct nft_dat_stats st;
		struct nft_dat_opts opts = { NULL, 0, 0 };

		snprintf(cmd, sizeof(cmd), "xz -0 -c '%s' > '%s'", src, p2);
		if (system(cmd) == 0) {
			memset(&c, 0, sizeof(c));
			memset(&dl, 0, sizeof(dl));
			c.last_pos = 12;
			is(decode_path(p2, &opts, &c, &dl, &st), 0, "xz input spooled");
			is((int64_t)st.records, 129, "xz input: 129 records");
		}
	}
	/* Unknown instance name. */
	{
		struct collect c;
		struct diag_log dl;
		struct nft_dat_stats st;
		struct nft_dat_opts opts = { "nosuch", 0, 0 };
		int ret;

		memset(&c, 0, sizeof(c));
		memset(&dl, 0, sizeof(dl));
		ret = decode_path(src, &opts, &c, &dl, &st);
		ok(ret == -1 && errno == ENOENT, "unknown instance -> ENOENT");
		ok(strstr(dl.last, "nosuch") && strstr(dl.last, "top level"),
		   "names the available instances: %s", dl.last);
	}
	free(buf);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpdir);
	if (system(path))
		ok(0, "cleanup");
}

int main(void)
{
	struct stat sb;
	int fds;

	if (stat(corpus_dir(), &sb)) {
		ok(1, "# skip corpus tests: %s absent (set NFT_CORPUS)", corpus_dir());
	} else {
		test_fields_6_12();
		test_fields_7_2();
		test_fields_6_1();
		ok(test_corpus() > 0, "decoded the corpus captures");
	}
	fds = count_fds();
	for (fixture_dir = "dat"; fixture_dir;
	     fixture_dir = strcmp(fixture_dir, "dat") ? NULL : "dat/v7") {
		printf("# fixtures in tests/fixtures/%s\n", fixture_dir);
		test_instances();
		test_lost();
		test_corrupt_page();
	}
	test_sink_stop();
	test_bad_inputs();
	is(count_fds(), fds, "no descriptor leaked");
	return tap_done();
}
