// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-sim: run the reference issue/collect engine and write a trace in a
 * chosen kernel's text format plus its ground truth.  Options and wiring
 * only; the model lives in libnetfs-trace/engine/.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/lib/cli.h"
#include "libnetfs-trace/engine/engine.h"

struct sim_args {
	const char *scenario, *inject, *dialect, *out, *truth;
	const char *scenario_out;
	bool list, random;
	struct nft_engine_opts eo;
};

static void usage_head(FILE *f)
{
	fprintf(f, "usage: netfs-sim [SCENARIO] [OPTIONS]\n\n"
		"Simulate netfs I/O and write a tracefs text capture of it.\n\n");
}

static void usage_tail(FILE *f)
{
	fprintf(f, "\nExit status: 0 ok, 1 an output file could not be written, 2 usage\n"
		"error or bad scenario (FILE:LINE: message), 3 the injection does not\n"
		"apply to the dialect (its bug is of another kernel generation).\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')	/* strtoull takes "-1" as 2^64-1 */
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

/* --seed N: decimal or 0x hex */
static int seed_cb(const struct nft_option *opt, const char *arg)
{
	return parse_u64(arg, opt->value);
}

/* --events N: the bound of the scenario's "events" key (docs/scenario.md) */
static int events_cb(const struct nft_option *opt, const char *arg)
{
	uint64_t *v = opt->value;

	return parse_u64(arg, v) || *v > 1000000000 ? -1 : 0;
}

static int dialect_cb(const struct nft_option *opt, const char *arg)
{
	struct sim_args *a = opt->value;
	int d = nft_engine_dialect_lookup(arg);

	if (d < 0)
		return -1;
	a->eo.dialect = d;
	a->dialect = arg;
	return 0;
}

static int form_cb(const struct nft_option *opt, const char *arg)
{
	struct nft_engine_opts *eo = opt->value;

	return nft_engine_form_lookup(arg, &eo->form, &eo->wrap) ? -1 : 0;
}

static int inject_cb(const struct nft_option *opt, const char *arg)
{
	struct sim_args *a = opt->value;

	a->eo.inject = nft_inject_lookup(arg);
	a->inject = arg;
	return a->eo.inject < 0 ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct sim_args *a)
{
	const struct nft_option options[] = {
		OPT_CALLBACK(0, "inject", a, "NAME",
			     "reproduce one kernel bug (see --list-injections)",
			     inject_cb,
			     .err = "unknown injection '%s' (see --list-injections)"),
		OPT_CALLBACK(0, "seed", &a->eo.seed, "N",
			     "random seed (default 1); same seed, same bytes",
			     seed_cb, .err = "--seed: '%s' is not a number"),
		OPT_CALLBACK(0, "dialect", a, "K",
			     "kernel text format: 6.12 or 7.2 (default 7.2)",
			     dialect_cb,
			     .err = "unknown dialect '%s' (6.12 or 7.2)"),
		OPT_STRING('o', "output", &a->out, "FILE",
			   "trace text output (default or - : stdout)"),
		OPT_CALLBACK(0, "form", &a->eo, "FORM",
			     "text layout: trace (default), comm, task, bare, wrapped, comm-wrapped, ...",
			     form_cb,
			     .err = "unknown form '%s' (trace, comm, task, bare, wrapped, FORM-wrapped)"),
		OPT_STRING(0, "truth", &a->truth, "FILE",
			   "write the ground truth (JSON lines) here"),
		OPT_CALLBACK(0, "events", &a->eo.max_events, "N",
			     "repeat the workload until N events were written",
			     events_cb,
			     .err = "--events: '%s' is not a number in 0..1000000000"),
		OPT_BOOL(0, "random", &a->random,
			 "a random scenario drawn from --seed (instead of SCENARIO)"),
		OPT_STRING(0, "scenario-out", &a->scenario_out, "FILE",
			   "write the scenario text that was run (with --random)"),
		OPT_BOOL(0, "list-injections", &a->list,
			 "list the injectable bugs and exit"),
		OPT_HELP(),
		OPT_END(),
	};
	const struct nft_cli cli = {
		.prog = "netfs-sim", .options = options,
		.usage_head = usage_head, .usage_tail = usage_tail,
		.bare_errors = true,
	};
	int first, rc = nft_cli_parse(&cli, argc, argv, &first);

	if (rc)
		return rc;
	if (first < argc)
		a->scenario = argv[first++];
	if (first < argc)
		return nft_cli_usage_error("netfs-sim", "unexpected argument '%s'",
					   argv[first]);
	return 0;
}

static int list_injections(void)
{
	int i;

	for (i = 0; i < nft_inject_count(); i++)
		printf("%-26s %s\n", nft_inject_name(i), nft_inject_desc(i));
	return 0;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs(text, f) < 0;
	return fclose(f) || rc ? -1 : 0;
}

static const char *out_name(const char *path)
{
	return !path || !strcmp(path, "-") ? "<stdout>" : path;
}

static FILE *open_out(const char *path, FILE *dflt)
{
	if (!path || !strcmp(path, "-"))
		return dflt;
	return fopen(path, "w");
}

int main(int argc, char **argv)
{
	struct sim_args a = {
		.eo = { .seed = 1, .dialect = NFT_ENGINE_7_2, .inject = -1 },
	};
	struct nft_engine_opts eo;
	struct nft_scenario *sc;
	struct nft_engine *e;
	char err[256];
	int rc;

	if (parse_args(argc, argv, &a))
		return 2;
	if (a.list)
		return list_injections();
	eo = a.eo;
	if (a.random && a.scenario) {
		fprintf(stderr, "netfs-sim: --random and a scenario file exclude each other\n");
		return 2;
	}
	if (a.random) {
		char text[8192];

		if (nft_scenario_random(eo.seed, text, sizeof(text)) >= (int)sizeof(text)) {
			fprintf(stderr, "netfs-sim: random scenario too long\n");
			return 2;
		}
		sc = nft_scenario_parse(text, "<random>", err, sizeof(err));
		if (sc && a.scenario_out && write_text(a.scenario_out, text)) {
			fprintf(stderr, "netfs-sim: %s: %s\n", a.scenario_out,
				strerror(errno));
			nft_scenario_free(sc);
			return 2;
		}
	} else {
		sc = a.scenario ? nft_scenario_load(a.scenario, err, sizeof(err)) :
		     nft_scenario_default();
	}
	if (!sc) {
		fprintf(stderr, "netfs-sim: %s\n", a.scenario || a.random ? err : "no memory");
		return 2;
	}
	/* --dialect wins over the scenario's own "dialect" line. */
	if (!a.dialect && nft_scenario_dialect(sc) >= 0)
		eo.dialect = nft_scenario_dialect(sc);
	eo.text = open_out(a.out, stdout);
	eo.truth = a.truth ? open_out(a.truth, stderr) : NULL;
	if (!eo.text || (a.truth && !eo.truth)) {
		fprintf(stderr, "netfs-sim: %s: %s\n", !eo.text ? a.out : a.truth,
			strerror(errno));
		if (eo.text && eo.text != stdout)
			fclose(eo.text);
		nft_scenario_free(sc);
		return 2;
	}
	if (eo.inject >= 0) {
		const char *why = "";

		if (!nft_inject_applies(eo.inject, eo.dialect, &why)) {
			fprintf(stderr, "netfs-sim: %s does not apply to dialect %s: %s\n",
				a.inject, eo.dialect == NFT_ENGINE_6_12 ? "6.12" : "7.2", why);
			nft_scenario_free(sc);
			return 3;
		}
	}
	e = nft_engine_new(sc, &eo);
	if (!e) {
		fprintf(stderr, "netfs-sim: %s: %s\n",
			a.scenario ? a.scenario : "<default>", strerror(errno));
		rc = -1;
	} else if ((rc = nft_engine_run(e)) < 0) {
		fprintf(stderr, "netfs-sim: %s: write error: %s\n",
			out_name(a.out), strerror(errno));
	}
	nft_engine_free(e);
	nft_scenario_free(sc);
	if (eo.text != stdout && fclose(eo.text) && rc >= 0) {
		fprintf(stderr, "netfs-sim: %s: %s\n", a.out, strerror(errno));
		rc = -1;
	}
	if (eo.truth && eo.truth != stderr && (ferror(eo.truth) | fclose(eo.truth))) {
		fprintf(stderr, "netfs-sim: %s: write error\n", a.truth);
		rc = -1;
	}
	return rc < 0 ? 1 : 0;
}
