// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's issue-10 additions: --form names, which injections apply to
 * which dialect, and that every fscache/cachefiles, netfs_donate and
 * netfs_progress event the engine hands its sink carries the same fields
 * as its printed line reads back through the text decoder (one emitter,
 * two outputs: they must not drift).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decoders/decoder.h"
#include "libnetfs-trace/engine/engine.h"
#include "tap.h"

static void test_forms(void)
{
	static const struct { const char *name; int form; unsigned int wrap; } ok_names[] = {
		{ "trace", NFT_FORM_TRACE, 0 }, { "comm", NFT_FORM_COMM, 0 },
		{ "task", NFT_FORM_TASK, 0 }, { "bare", NFT_FORM_BARE, 0 },
		{ "wrapped", NFT_FORM_TRACE, 72 },
		{ "comm-wrapped", NFT_FORM_COMM, 72 },
		{ "bare-wrapped", NFT_FORM_BARE, 72 },
	};
	static const char *const bad[] = { "", "html", "wrapped-comm", "-wrapped",
					   "traces", "bare-wrappedx" };
	size_t i;

	for (i = 0; i < sizeof(ok_names) / sizeof(ok_names[0]); i++) {
		int form = -1;
		unsigned int wrap = 99;

		ok(!nft_engine_form_lookup(ok_names[i].name, &form, &wrap) &&
		   form == ok_names[i].form && wrap == ok_names[i].wrap,
		   "form %s", ok_names[i].name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int form;
		unsigned int wrap;

		errno = 0;
		ok(nft_engine_form_lookup(bad[i], &form, &wrap) == -1 && errno == EINVAL,
		   "form '%s' refused", bad[i]);
	}
}

static void test_applies(void)
{
	static const struct { const char *name; bool v612, v72; } t[] = {
		{ "over-read", true, true },
		{ "all-queued-race", false, true },
		{ "early-unlock-eof", false, true },
		{ "bad-donation", true, false },
		{ "cache-withdraw-under-access", true, true },
		{ "volume-use-leak", true, true },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int n = nft_inject_lookup(t[i].name);
		const char *why = NULL;

		ok(n >= 0, "%s exists", t[i].name);
		is(nft_inject_applies(n, NFT_ENGINE_6_12, &why), t[i].v612, t[i].name);
		is(nft_inject_applies(n, NFT_ENGINE_7_2, NULL), t[i].v72, t[i].name);
		if (!t[i].v612)
			ok(why && *why, "%s says why not 6.12", t[i].name);
	}
}

struct cmp {
	unsigned int seen[NFT_EV__NR];
	unsigned int bad;
	char first_bad[300];
};

#define DIFF(f) (ev->f != got.f)

/* The real check: parse the printed line, then compare. */
static int on_event_parsed(void *ctx, const struct nft_event *ev)
{
	struct cmp *c = ctx;
	enum nft_dialect d = NFT_DIALECT_MODERN;
	struct nft_event got;
	const char *err = NULL;
	int rc;
	bool diff = false;

	if (ev->kind == NFT_EV_NETFS_DONATE || ev->kind == NFT_EV_NETFS_PROGRESS ||
	    (ev->kind >= NFT_EV_FSCACHE_CACHE && ev->kind <= NFT_EV_CACHEFILES_REF)) {
		nft_event_init(&got);
		rc = nft_parse_ftrace_line(ev->raw, ev->raw_len, &d, &got, &err);
		c->seen[ev->kind]++;
		if (rc != 1 || got.kind != ev->kind) {
			diff = true;
		} else {
			switch (ev->kind) {
			case NFT_EV_FSCACHE_COOKIE:
				diff = DIFF(cookie) || DIFF(ref) || DIFF(what);
				break;
			case NFT_EV_FSCACHE_VOLUME:
				diff = DIFF(volume) || DIFF(ref) || DIFF(what);
				break;
			case NFT_EV_FSCACHE_ACCESS:
				diff = DIFF(cookie) || DIFF(ref) || DIFF(n_accesses) ||
				       DIFF(what);
				break;
			case NFT_EV_FSCACHE_ACTIVE:
				diff = DIFF(cookie) || DIFF(ref) || DIFF(n_accesses) ||
				       DIFF(n_active) || DIFF(what);
				break;
			case NFT_EV_FSCACHE_ACCESS_VOLUME:
				diff = DIFF(volume) || DIFF(cookie) || DIFF(ref) ||
				       DIFF(n_accesses) || DIFF(what);
				break;
			case NFT_EV_FSCACHE_ACCESS_CACHE:
				diff = DIFF(cache) || DIFF(ref) || DIFF(n_accesses) ||
				       DIFF(what);
				break;
			case NFT_EV_FSCACHE_CACHE:
				diff = DIFF(cache) || DIFF(ref) || DIFF(what);
				break;
			case NFT_EV_FSCACHE_ACQUIRE:
				diff = DIFF(cookie) || DIFF(volume) || DIFF(ref) ||
				       DIFF(n_active);
				break;
			case NFT_EV_FSCACHE_RELINQUISH:
				diff = DIFF(cookie) || DIFF(volume) || DIFF(ref) ||
				       DIFF(n_active) || DIFF(flags);
				break;
			case NFT_EV_CACHEFILES_REF:
				diff = DIFF(cookie) || DIFF(object) || DIFF(ref) ||
				       DIFF(what);
				break;
			case NFT_EV_NETFS_DONATE:
				diff = DIFF(rreq) || DIFF(index) || DIFF(id2) ||
				       DIFF(what) || DIFF(len);
				break;
			case NFT_EV_NETFS_PROGRESS:
				diff = DIFF(rreq) || DIFF(index) || DIFF(start) ||
				       DIFF(len) || DIFF(transferred) || DIFF(slot);
				break;
			default:
				break;
			}
		}
		if (diff && !c->bad++)
			snprintf(c->first_bad, sizeof(c->first_bad), "%.*s (%s)",
				 (int)ev->raw_len, ev->raw, err ? err : "fields differ");
	}
	return 0;
}

static void run(const char *scn, const char *inject, enum nft_engine_dialect d,
		struct cmp *c)
{
	char err[256];
	struct nft_scenario *sc = nft_scenario_parse(scn, "<test>", err, sizeof(err));
	struct nft_sink sink = { on_event_parsed, c };
	struct nft_engine_opts o = { .seed = 5, .dialect = d, .inject = -1,
				     .sink = &sink };
	struct nft_engine *e;

	o.text = fopen("/dev/null", "w");
	if (inject)
		o.inject = nft_inject_lookup(inject);
	e = sc ? nft_engine_new(sc, &o) : NULL;
	ok(e && nft_engine_run(e) == 0, "run %s %s", inject ? inject : "clean",
	   d == NFT_ENGINE_6_12 ? "6.12" : "7.2");
	nft_engine_free(e);
	nft_scenario_free(sc);
	fclose(o.text);
}

static void test_sink_matches_text(void)
{
	static const char cache[] =
		"cache 1\numount 1\n[op]\ntype readahead\ncount 2\nsize 0x20000\n"
		"[op]\ntype writeback\noffset 0x200000\nsize 0x24000\n";
	static const char eof[] = "i_size 0x1400\n[op]\ntype readahead\nsize 0x2000\n";
	struct cmp c;

	memset(&c, 0, sizeof(c));
	run(cache, NULL, NFT_ENGINE_6_12, &c);
	run(cache, NULL, NFT_ENGINE_7_2, &c);
	run(cache, "cache-withdraw-under-access", NFT_ENGINE_7_2, &c);
	run(cache, "volume-use-leak", NFT_ENGINE_6_12, &c);
	run(eof, NULL, NFT_ENGINE_6_12, &c);
	run(eof, "bad-donation", NFT_ENGINE_6_12, &c);
	is(c.bad, 0, "sink events read back the same from their lines");
	if (c.bad)
		printf("# first: %s\n", c.first_bad);
	ok(c.seen[NFT_EV_FSCACHE_COOKIE] > 20, "fscache_cookie lines");
	ok(c.seen[NFT_EV_FSCACHE_VOLUME] >= 8, "fscache_volume lines");
	ok(c.seen[NFT_EV_FSCACHE_ACCESS] > 10, "fscache_access lines");
	ok(c.seen[NFT_EV_FSCACHE_ACTIVE] >= 4, "fscache_active lines");
	ok(c.seen[NFT_EV_FSCACHE_ACCESS_VOLUME] >= 4, "fscache_access_volume lines");
	ok(c.seen[NFT_EV_FSCACHE_ACCESS_CACHE] >= 2, "fscache_access_cache lines");
	ok(c.seen[NFT_EV_FSCACHE_CACHE] >= 1, "fscache_cache lines");
	ok(c.seen[NFT_EV_FSCACHE_ACQUIRE] >= 3, "fscache_acquire lines");
	ok(c.seen[NFT_EV_FSCACHE_RELINQUISH] >= 2, "fscache_relinquish lines");
	ok(c.seen[NFT_EV_CACHEFILES_REF] > 10, "cachefiles_ref lines");
	ok(c.seen[NFT_EV_NETFS_DONATE] >= 2, "netfs_donate lines");
	ok(c.seen[NFT_EV_NETFS_PROGRESS] >= 4, "netfs_progress lines");
}

int main(void)
{
	test_forms();
	test_applies();
	test_sink_matches_text();
	return tap_done();
}
