// SPDX-License-Identifier: GPL-2.0
/*
 * The model replay against the engine's own output: a clean engine trace,
 * decoded back from its tracefs text, must match the engine request for
 * request (nothing ignored), and a copy with one printed ref count changed
 * must depart at exactly that line.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/engine/engine.h"
#include "libnetfs-trace/model_replay.h"
#include "tap.h"

struct got {
	size_t n_depart;
	uint64_t line;
	char object[24], kernel[80], model[80];
	char why[128];
	/* The engine features the requests of each origin ran with. */
	unsigned int features[NFT_ORIGIN__NR];
	bool mixed[NFT_ORIGIN__NR];
};

static void on_result(void *ctx, const struct nft_replay_result *r)
{
	struct got *g = ctx;

	if (r->verdict != NFT_REPLAY_NOT_MODELLED && r->origin < NFT_ORIGIN__NR) {
		if (g->features[r->origin] && g->features[r->origin] != r->features)
			g->mixed[r->origin] = true;
		g->features[r->origin] = r->features;
	}

	if (r->verdict == NFT_REPLAY_DEPART && !g->n_depart++) {
		g->line = r->line;
		snprintf(g->object, sizeof(g->object), "%s", r->object);
		snprintf(g->kernel, sizeof(g->kernel), "%s", r->kernel);
		snprintf(g->model, sizeof(g->model), "%s", r->model);
	}
	if (r->verdict == NFT_REPLAY_NOT_MODELLED && !g->why[0])
		snprintf(g->why, sizeof(g->why), "R=%08x %s", r->rreq, r->why);
}

/* The engine's text for @scn in @dialect with @features; caller frees. */
static char *engine_text_f(const char *scn, enum nft_engine_dialect dialect,
			   unsigned int features)
{
	struct nft_engine_opts o = { .seed = 7, .dialect = dialect, .inject = -1,
				     .features = features };
	struct nft_scenario *sc;
	struct nft_engine *e;
	char err[128], *buf = NULL;
	size_t len = 0;

	sc = scn ? nft_scenario_parse(scn, "test", err, sizeof(err)) :
		   nft_scenario_default();
	o.text = open_memstream(&buf, &len);
	if (!sc || !o.text)
		return NULL;
	e = nft_engine_new(sc, &o);
	if (!e || nft_engine_run(e))
		buf = NULL;
	nft_engine_free(e);
	fclose(o.text);
	nft_scenario_free(sc);
	return buf;
}

static char *engine_text(const char *scn, enum nft_engine_dialect dialect)
{
	return engine_text_f(scn, dialect, 0);
}

/* Feed @text line by line, as the decoder numbers them. */
static struct nft_replay_stats replay_text(const char *text, struct got *g,
					   bool strict)
{
	struct nft_replay_opts o = { .result = on_result, .ctx = g, .strict = strict };
	enum nft_dialect d = NFT_DIALECT_AUTO;
	struct nft_replay *rp = nft_replay_new(&o);
	struct nft_replay_stats st = { 0 };
	const char *p = text;
	uint64_t lineno = 0;

	memset(g, 0, sizeof(*g));
	while (rp && *p) {
		size_t n = strcspn(p, "\n");
		struct nft_event ev;
		const char *err;

		lineno++;
		if (nft_parse_ftrace_line(p, n, &d, &ev, &err) > 0) {
			ev.pos = lineno;
			nft_replay_event(rp, &ev);
		}
		p += n + (p[n] == '\n');
	}
	if (rp) {
		nft_replay_finish(rp);
		st = *nft_replay_stats(rp);
	}
	nft_replay_free(rp);
	return st;
}

/*
 * @strict: compare raw sequences.  Async (cifs) completions with several
 * subrequests in flight reorder the request's refs with the latency draws,
 * which differ between the full run and the one-request replay: those go
 * through the documented comparison (request-ref-order).
 */
static void clean(const char *name, const char *scn, enum nft_engine_dialect d,
		  bool strict)
{
	char *text = engine_text(scn, d);
	struct nft_replay_stats st;
	struct got g;

	if (!ok(text, "%s: engine text", name))
		return;
	st = replay_text(text, &g, strict);
	ok(st.requests > 0, "%s: %llu requests", name,
	   (unsigned long long)st.requests);
	is(st.match, st.requests, "every request matches");
	is(st.depart, 0, "no departure");
	if (g.n_depart)
		printf("# %s: %s at line %llu: kernel <%s> model <%s>\n", name,
		       g.object, (unsigned long long)g.line, g.kernel, g.model);
	is(st.not_modelled, 0, "nothing left out");
	if (g.why[0])
		printf("# %s: %s\n", name, g.why);
	free(text);
}

/* What 6.16 and 6.18 do (docs/model-replay.md, "Behaviour variants"). */
#define F_616 (NFT_ENGINE_F_EXPLICIT | NFT_ENGINE_F_DIO_READ_ADD)

/*
 * The engine's own 6.16-style trace: the replay must read the variants
 * off its markers (no RA-PUT, DIO read ADD, the app thread collecting DIO
 * writes) and match it raw, each request replayed with those features.
 */
static void variants_616(void)
{
	char *text = engine_text_f(NULL, NFT_ENGINE_7_2, F_616);
	struct nft_replay_stats st;
	struct got g;

	if (!ok(text, "6.16 variants: engine text"))
		return;
	st = replay_text(text, &g, true);
	ok(st.requests && st.match == st.requests,
	   "6.16 variants: %llu of %llu requests match",
	   (unsigned long long)st.match, (unsigned long long)st.requests);
	if (g.n_depart)
		printf("# %s at line %llu: kernel <%s> model <%s>\n", g.object,
		       (unsigned long long)g.line, g.kernel, g.model);
	is(g.features[NFT_ORIGIN_RA], F_616, "readahead ran without RA refs");
	is(g.features[NFT_ORIGIN_DW], F_616, "DIO write ran unsequenced");
	ok(!g.mixed[NFT_ORIGIN_RA] && !g.mixed[NFT_ORIGIN_DR],
	   "one set of features throughout");
	free(text);
	text = engine_text(NULL, NFT_ENGINE_7_2);
	st = replay_text(text, &g, true);
	is(g.features[NFT_ORIGIN_RA],
	   NFT_ENGINE_F_EXPLICIT | nft_engine_default_features(NFT_ENGINE_7_2),
	   "7.2 markers: 7.2's own features");
	free(text);
}

/* Feed a capture file of tests/fixtures to a replay. */
static struct nft_replay_stats replay_file(const char *path, struct got *g)
{
	struct nft_replay_opts o = { .result = on_result, .ctx = g };
	struct nft_text_opts to = { .dialect = NFT_DIALECT_AUTO };
	struct nft_replay *rp = nft_replay_new(&o);
	struct nft_input *in = nft_input_open(path);
	struct nft_replay_stats st = { 0 };
	struct nft_diag diag = { 0 };
	struct nft_sink sink = { nft_replay_event, rp };

	memset(g, 0, sizeof(*g));
	if (rp && in && !decode_ftrace_text(in, &to, &sink, &diag, NULL)) {
		nft_replay_finish(rp);
		st = *nft_replay_stats(rp);
	}
	if (in)
		nft_input_close(in);
	nft_replay_free(rp);
	return st;
}

/*
 * Real captures of kernels on both sides of every variant
 * (tests/fixtures/README.md): each matches whole, with the features its
 * markers show.
 */
static void real(const char *path, uint64_t requests, uint64_t depart,
		 int origin, unsigned int features)
{
	struct got g;
	struct nft_replay_stats st = replay_file(path, &g);

	ok(st.requests == requests && st.depart == depart,
	   "%s: %llu requests (want %llu), %llu depart (want %llu)", path,
	   (unsigned long long)st.requests, (unsigned long long)requests,
	   (unsigned long long)st.depart, (unsigned long long)depart);
	if (g.n_depart)
		printf("# %s at line %llu: kernel <%s> model <%s>\n", g.object,
		       (unsigned long long)g.line, g.kernel, g.model);
	ok(g.features[origin] == features && !g.mixed[origin],
	   "%s: every %s ran with features 0x%x (got 0x%x)", path,
	   nft_sym_name(NFT_SYMC_ORIGIN, origin), features, g.features[origin]);
}

/* Change the r= of the @nth "netfs_sreq_ref" line to 9; its line number. */
static uint64_t edit_ref(char *text, int nth)
{
	uint64_t lineno = 1;
	char *p;

	for (p = text; *p; p++) {
		if (*p == '\n') {
			lineno++;
			continue;
		}
		if (!strncmp(p, "netfs_sreq_ref:", 15) && !--nth) {
			char *r = strstr(p, " r=");

			if (!r)
				return 0;
			r[3] = '9';
			return lineno;
		}
	}
	return 0;
}

static void edited(enum nft_engine_dialect d)
{
	char *text = engine_text(NULL, d);
	struct nft_replay_stats st;
	uint64_t line;
	struct got g;

	if (!ok(text, "edited: engine text"))
		return;
	line = edit_ref(text, 3);
	ok(line > 0, "edited line %llu", (unsigned long long)line);
	st = replay_text(text, &g, true);
	is(st.depart, 1, "exactly one request departs");
	is(g.line, line, "at the edited line");
	ok(strstr(g.kernel, "r=9") != NULL, "kernel step <%s> shows the edit", g.kernel);
	ok(strstr(g.model, "sreq_ref") != NULL, "model step <%s> is the same event", g.model);
	ok(strchr(g.object, '[') != NULL, "on a subrequest (%s)", g.object);
	free(text);
}

int main(void)
{
	clean("default 7.2", NULL, NFT_ENGINE_7_2, true);
	clean("default 6.12", NULL, NFT_ENGINE_6_12, true);
	clean("cifs 7.2", "server cifs\nrsize 0x10000\n[op]\ntype readahead\ncount 3\nsize 0x40000\n"
	      "[op]\ntype dio_read\noffset 0x100000\nsize 0x10000\nfault eagain\nfault_subreq 1\n",
	      NFT_ENGINE_7_2, false);
	clean("short 6.12", "[op]\ntype dio_read\nsize 0x20000\nfault short\n"
	      "[op]\ntype readahead\noffset 0x3ff0000\nsize 0x20000\n", NFT_ENGINE_6_12, true);
	/* The cookie (c=) on netfs_read is what gives the replay "cache 1". */
	clean("cache 7.2", "cache 1\n[op]\ntype readahead\ncount 2\nsize 0x20000\n",
	      NFT_ENGINE_7_2, true);
	clean("cache 6.12", "cache 1\n[op]\ntype readahead\ncount 2\nsize 0x20000\n",
	      NFT_ENGINE_6_12, true);
	edited(NFT_ENGINE_7_2);
	edited(NFT_ENGINE_6_12);
	variants_616();
	real("tests/fixtures/6.16/fc_write.txt.xz", 21, 0, NFT_ORIGIN_RA, F_616);
	real("tests/fixtures/6.18/smb_dio.txt.xz", 24, 0, NFT_ORIGIN_DW, F_616);
	real("tests/fixtures/6.18/smb_fault_killloop.txt.xz", 58, 0,
	     NFT_ORIGIN_DR, F_616);
	real("tests/fixtures/7.3/fault_shrink.txt.xz", 64, 0, NFT_ORIGIN_RA,
	     NFT_ENGINE_F_EXPLICIT | nft_engine_default_features(NFT_ENGINE_7_2));
	return tap_done();
}
