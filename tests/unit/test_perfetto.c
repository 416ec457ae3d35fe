// SPDX-License-Identifier: GPL-2.0
/*
 * The Perfetto export (libnetfs-trace/report/perfetto.c) on hand-checked
 * snippets: the clean 7.2 readahead of tests/unit/test_detectors.c (corpus
 * seqread lines) and its leaking twin, decoded here by a minimal reader of
 * the wire format: the sequence's first packet, the request's track and
 * its name, the ref counter equal to the printed counts, the subrequest's
 * issue and collection slices at the lines' times, the finding instant and
 * its flows, hooks chained to the ones already installed, and the pasted
 * form (no timestamps) on line-number time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libnetfs-trace/model.h"
#include "libnetfs-trace/report/perfetto.h"
#include "lines.h"
#include "tap.h"

#define T(ts, line) NFT_TEST_T(ts, line)
#define K(ts, line) NFT_TEST_K(ts, line)

#define CLEAN_HEAD NFT_TEST_E7_HEAD, NFT_TEST_E7_TERM, NFT_TEST_E7_TAIL
#define CLEAN_FREE NFT_TEST_E7_FREE
#define LATER NFT_TEST_LATER

/*
 * A cookie's life: the 6.1 corpus dioread lines (c=00000046), then a put
 * to 0 and the same id made again (constructed), which is a new cookie.
 */
#define D(ts, line) "dd-412 [000] ..... " ts ": " line
#define W(ts, line) "kworker/u4:9-381 [001] ..... " ts ": " line
#define COOKIE                                                                 \
	D("31.516818", "fscache_cookie: c=00000046 NEW acq   r=1"),           \
	D("31.517054", "fscache_acquire: c=00000046 V=00000001 vr=2 vc=1"),    \
	D("31.517563", "fscache_active: c=00000046 USE           r=1 a=0 c=1"), \
	D("31.517596", "fscache_access: c=00000046 BEGIN lookup  r=1 a=1"),    \
	D("31.517607", "fscache_cookie: c=00000046 GQ  use   r=2"),           \
	W("31.517767", "fscache_cookie: c=00000046 GET attch r=3"),           \
	W("31.520039", "fscache_cookie: c=00000046 -   activ r=3"),           \
	W("31.520049", "fscache_access: c=00000046 END   lookup  r=3 a=0"),    \
	W("31.520069", "fscache_cookie: c=00000046 PQ  work  r=2"),           \
	D("31.535941", "fscache_active: c=00000046 UNUSE         r=2 a=0 c=0"), \
	W("31.600000", "fscache_cookie: c=00000046 PUT obj   r=1"),           \
	W("31.600010", "fscache_cookie: c=00000046 PUT relnq r=0"),           \
	D("31.700000", "fscache_cookie: c=00000046 NEW acq   r=1")

/* ---- a minimal reader of what we wrote ---- */

struct buf {
	const uint8_t *p;
	size_t n;
};

static int rd_varint(struct buf *b, uint64_t *v)
{
	int s = 0;

	*v = 0;
	while (b->n) {
		uint8_t c = *b->p++;

		b->n--;
		*v |= (uint64_t)(c & 0x7f) << s;
		s += 7;
		if (c < 0x80)
			return 0;
		if (s > 63)
			return -1;
	}
	return -1;
}

/* Next field of @b: number, wire type, varint/fixed value or bytes. */
static int rd_field(struct buf *b, uint32_t *f, int *w, uint64_t *v,
		    struct buf *sub)
{
	uint64_t tag;
	int i;

	if (!b->n || rd_varint(b, &tag))
		return -1;
	*f = (uint32_t)(tag >> 3);
	*w = (int)(tag & 7);
	switch (*w) {
	case 0:
		return rd_varint(b, v);
	case 1:
		if (b->n < 8)
			return -1;
		for (*v = 0, i = 7; i >= 0; i--)
			*v = (*v << 8) | b->p[i];
		b->p += 8;
		b->n -= 8;
		return 0;
	case 2:
		if (rd_varint(b, v) || *v > b->n)
			return -1;
		sub->p = b->p;
		sub->n = (size_t)*v;
		b->p += *v;
		b->n -= (size_t)*v;
		return 0;
	default:
		return -1;
	}
}

#define MAXT 64
#define MAXE 512

struct ev {
	uint64_t ts, track, counter, nflows, ntflows, type;
	char name[96];
};

struct parsed {
	int bad;
	uint64_t first_flags, first_seq;
	bool first_interned;
	size_t nt, ne;
	struct {
		uint64_t uuid, parent, merge;
		char name[96];
	} t[MAXT];
	struct ev e[MAXE];
};

static void copy_str(char *d, size_t sz, const struct buf *s)
{
	size_t n = s->n < sz - 1 ? s->n : sz - 1;

	memcpy(d, s->p, n);
	d[n] = 0;
}

static void parse(const uint8_t *data, size_t len, struct parsed *o)
{
	struct buf b = { data, len }, pk, x, y;
	uint32_t f, f2;
	uint64_t v, v2;
	int w, w2, npk = 0;

	memset(o, 0, sizeof(*o));
	while (b.n) {
		uint64_t ts = 0, flags = 0, seq = 0;
		bool interned = false;
		struct buf te = { NULL, 0 }, td = { NULL, 0 };

		if (rd_field(&b, &f, &w, &v, &pk) || f != 1 || w != 2) {
			o->bad++;
			return;
		}
		while (pk.n && !rd_field(&pk, &f, &w, &v, &x)) {
			if (f == 8)
				ts = v;
			else if (f == 13)
				flags = v;
			else if (f == 10)
				seq = v;
			else if (f == 12)
				interned = true;
			else if (f == 11)
				te = x;
			else if (f == 60)
				td = x;
		}
		if (!npk++) {
			o->first_flags = flags;
			o->first_seq = seq;
			o->first_interned = interned;
		}
		if (td.p && o->nt < MAXT) {
			typeof(o->t[0]) *t = &o->t[o->nt++];

			while (td.n && !rd_field(&td, &f2, &w2, &v2, &y)) {
				if (f2 == 1)
					t->uuid = v2;
				else if (f2 == 5)
					t->parent = v2;
				else if (f2 == 15)
					t->merge = v2;
				else if (f2 == 2)
					copy_str(t->name, sizeof(t->name), &y);
			}
		}
		if (te.p && o->ne < MAXE) {
			struct ev *e = &o->e[o->ne++];

			e->ts = ts;
			while (te.n && !rd_field(&te, &f2, &w2, &v2, &y)) {
				if (f2 == 9)
					e->type = v2;
				else if (f2 == 11)
					e->track = v2;
				else if (f2 == 30)
					e->counter = v2;
				else if (f2 == 47)
					e->nflows++;
				else if (f2 == 48)
					e->ntflows++;
				else if (f2 == 23)
					copy_str(e->name, sizeof(e->name), &y);
			}
		}
	}
}

static uint64_t track_named(const struct parsed *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nt; i++)
		if (!strcmp(p->t[i].name, name))
			return p->t[i].uuid;
	return 0;
}

static uint64_t child_named(const struct parsed *p, uint64_t parent,
			    const char *name)
{
	size_t i;

	for (i = 0; i < p->nt; i++)
		if (p->t[i].parent == parent && !strcmp(p->t[i].name, name))
			return p->t[i].uuid;
	return 0;
}

static uint64_t merge_of(const struct parsed *p, uint64_t uuid)
{
	size_t i;

	for (i = 0; i < p->nt; i++)
		if (p->t[i].uuid == uuid)
			return p->t[i].merge;
	return 0;
}

/* The @k-th event of @type on @track (0 if none). */
static const struct ev *nth(const struct parsed *p, uint64_t track, int type,
			    int k)
{
	size_t i;

	for (i = 0; i < p->ne; i++)
		if (p->e[i].track == track && (int)p->e[i].type == type && !k--)
			return &p->e[i];
	return NULL;
}

/* ---- running the model with the writer hooked ---- */

static int other_findings;

static void other_finding(void *ctx, const struct nft_finding *f)
{
	(void)f;
	(*(int *)ctx)++;
}

static uint8_t *export(const char *const *lines, size_t n,
		       enum nft_test_form form, size_t *len, size_t *nfind)
{
	char path[] = "/tmp/test_perfetto.XXXXXX";
	struct nft_perfetto_opts po = { .capture = "snippet" };
	struct nft_model_opts mo = { 0 };
	struct nft_test_opts to = { .form = form, .model = &mo };
	struct nft_test_result r;
	struct nft_perfetto *pf;
	uint8_t *data = NULL;
	int fd = mkstemp(path), err;
	FILE *f;

	if (fd < 0)
		return NULL;
	close(fd);
	po.path = path;
	pf = nft_perfetto_open(&po, &err);
	if (!pf)
		return NULL;
	mo.hooks.finding = other_finding;	/* a hook user before us */
	mo.hooks.ctx = &other_findings;
	nft_perfetto_hook(pf, &mo.hooks);
	r = nft_test_run(lines, n, &to);
	ok(!nft_perfetto_close(pf, NULL), "close: no error");
	*nfind = r.n;
	nft_model_free(r.m);
	f = fopen(path, "rb");
	if (f) {
		data = malloc(1 << 20);
		*len = data ? fread(data, 1, 1 << 20, f) : 0;
		fclose(f);
	}
	unlink(path);
	return data;
}

int main(void)
{
	static const char *const clean[] = { CLEAN_HEAD, CLEAN_FREE, LATER };
	static const char *const leak[] = { CLEAN_HEAD, LATER };
	static struct parsed p;
	const struct ev *e;
	uint64_t rt, ref, s1;
	size_t len = 0, nf = 0, i;
	uint8_t *d;

	/* the clean readahead */
	d = export(clean, sizeof(clean) / sizeof(clean[0]), NFT_TF_AS_IS,
		   &len, &nf);
	ok(d && len > 100, "clean: %zu bytes written", len);
	parse(d, len, &p);
	is(p.bad, 0, "clean: every packet reads");
	ok(p.first_flags == 1 && p.first_interned && p.first_seq,
	   "first packet: SEQ_INCREMENTAL_STATE_CLEARED, interned data, a sequence id");
	ok(track_named(&p, "netfs: snippet"), "a root track named after the capture");
	rt = track_named(&p, "R=000000e7 RA ino=534061");
	ok(rt, "a track for R=e7, named by id, origin and inode");
	is(merge_of(&p, rt), 3, "healthy: merges with its siblings (BY_SIBLING_MERGE_KEY)");
	ok(track_named(&p, "R=000000f0 RA"), "a track for R=f0");
	e = nth(&p, rt, 1, 0);
	ok(e && e->ts == 17349152000ull && !strcmp(e->name, "RA R=000000e7"),
	   "request slice begins at NEW (%llu)", e ? (unsigned long long)e->ts : 0);
	e = nth(&p, rt, 2, 0);
	ok(e && e->ts == 17354607000ull, "... and ends at FREE");
	ref = child_named(&p, rt, "ref");
	ok(ref, "a ref counter under the request");
	{
		static const uint64_t want[] = { 2, 3, 3, 2, 1, 0 };

		for (i = 0; i < 6; i++) {
			e = nth(&p, ref, 4, (int)i);
			if (!e || e->counter != want[i])
				break;
		}
		is(i, 6, "ref counter = the printed counts 2 3 3 2 1 0");
		ok(!nth(&p, ref, 4, 6), "... and no more");
	}
	s1 = child_named(&p, rt, "R=000000e7[1]");
	ok(s1, "a track for subrequest [1] under the request");
	e = nth(&p, s1, 1, 0);
	ok(e && !strcmp(e->name, "[1] DOWN s=0 len=20000") &&
	   e->ts == 17350545000ull,
	   "issue slice '%s' from its GET SUBREQ", e ? e->name : "");
	e = nth(&p, s1, 2, 0);
	ok(e && e->ts == 17352259000ull, "... to TERM");
	e = nth(&p, s1, 1, 1);
	ok(e && e->ts == 17352259000ull, "wait for collection from TERM");
	e = nth(&p, s1, 2, 1);
	ok(e && e->ts == 17354044000ull, "... to its collection (CONSM)");
	ok(track_named(&p, "kworker/u8:1-29"), "a thread track for the collector");
	ok(!track_named(&p, "findings"), "no findings track when nothing is found");
	is(nf, 0, "clean: no findings");
	free(d);

	/* the twin that never frees R=e7: a finding, expanded, with flows */
	other_findings = 0;
	d = export(leak, sizeof(leak) / sizeof(leak[0]), NFT_TF_AS_IS, &len,
		   &nf);
	parse(d, len, &p);
	is(p.bad, 0, "leak: every packet reads");
	ok(nf >= 1, "leak: the model finds it (%zu)", nf);
	is(other_findings, (int64_t)nf, "the hook installed before ours still sees every finding");
	rt = track_named(&p, "R=000000e7 RA ino=534061");
	is(merge_of(&p, rt), 2, "a request with a finding stays expanded (NONE)");
	{
		uint64_t ft = track_named(&p, "findings");
		size_t n = 0, flows = 0, on_req = 0;

		for (i = 0; i < p.ne; i++) {
			if (p.e[i].track == ft && p.e[i].type == 3) {
				n++;
				flows += p.e[i].ntflows;
			}
			if (p.e[i].track == rt && p.e[i].type == 3 &&
			    strstr(p.e[i].name, "R=000000e7"))
				on_req++;
		}
		is(n, (int64_t)nf, "one instant per finding on the findings track");
		ok(flows >= 1, "... ending flows from its evidence (%zu)", flows);
		ok(on_req >= 1, "... and an instant on the request's own track");
	}
	free(d);

	/* an fscache cookie: life slices per incarnation, counters, an access */
	{
		static const char *const ck[] = { COOKIE };
		uint64_t c1 = 0, c2 = 0, acc;

		d = export(ck, sizeof(ck) / sizeof(ck[0]), NFT_TF_AS_IS, &len,
			   &nf);
		parse(d, len, &p);
		is(p.bad, 0, "cookie: every packet reads");
		for (i = 0; i < p.nt; i++)
			if (!strcmp(p.t[i].name, "c=00000046 cookie")) {
				if (!c1)
					c1 = p.t[i].uuid;
				else
					c2 = p.t[i].uuid;
			}
		ok(c1 && c2 && c1 != c2, "two incarnations of c=46: two tracks of one name");
		e = nth(&p, c1, 1, 0);
		ok(e && e->ts == 31516818000ull, "life slice from NEW acq");
		e = nth(&p, c1, 2, 0);
		ok(e && e->ts == 31600010000ull, "... to the put that printed r=0");
		e = nth(&p, c2, 1, 0);
		ok(e && e->ts == 31700000000ull, "the new one's life from its NEW");
		e = nth(&p, c2, 2, 0);
		ok(e && e->ts == 31700000000ull, "... open at the end: closed there");
		ref = child_named(&p, c1, "ref");
		{
			static const uint64_t want[] = { 1, 1, 1, 2, 3, 3, 3, 2, 2, 1, 0 };

			for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
				e = nth(&p, ref, 4, (int)i);
				if (!e || e->counter != want[i])
					break;
			}
			is(i, sizeof(want) / sizeof(want[0]), "ref counter = the printed r=");
		}
		ok(child_named(&p, c1, "n_accesses") && child_named(&p, c1, "n_active"),
		   "n_accesses and n_active counters");
		acc = child_named(&p, c1, "access 0");
		e = nth(&p, acc, 1, 0);
		ok(e && !strcmp(e->name, "lookup") && e->ts == 31517596000ull,
		   "BEGIN lookup opens an access slice");
		e = nth(&p, acc, 2, 0);
		ok(e && e->ts == 31520049000ull, "... END lookup closes it");
		free(d);
	}

	/* pasted without timestamps: time is the line number */
	{
		static const char *bare[sizeof(clean) / sizeof(clean[0])];

		for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
			bare[i] = strstr(clean[i], ": ") + 2;
		d = export(bare, i, NFT_TF_BARE, &len, &nf);
	}
	parse(d, len, &p);
	is(p.bad, 0, "bare: every packet reads");
	ok(track_named(&p, "netfs: snippet (no timestamps: time = line number x 1us)"),
	   "the root track says the time is synthetic");
	rt = track_named(&p, "R=000000e7 RA ino=534061");
	e = nth(&p, rt, 1, 0);
	ok(e && e->ts == 1000, "request slice begins at line 1 = 1000 ns");
	e = nth(&p, rt, 2, 0);
	ok(e && e->ts == 15000, "... ends at line 15");
	free(d);
	return tap_done();
}
