// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-sim: run the reference issue/collect engine and write a trace in a
 * chosen kernel's text format plus its ground truth.  Options and wiring
 * only; the model lives in libnetfs-trace/engine/.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/engine/engine.h"

struct sim_args {
	const char *scenario, *inject, *dialect, *out, *truth;
	const char *seed, *events, *scenario_out, *form;
	int list, help, random;
};

#define ARG(f) offsetof(struct sim_args, f)

static const struct opt_desc {
	const char *name;
	char has_arg;
	size_t off;		/* const char * field, or int flag */
	const char *meta, *help;
} opts[] = {
	{ "inject", 1, ARG(inject), "NAME", "reproduce one kernel bug (see --list-injections)" },
	{ "seed", 1, ARG(seed), "N", "random seed (default 1); same seed, same bytes" },
	{ "dialect", 1, ARG(dialect), "K", "kernel text format: 6.12 or 7.2 (default 7.2)" },
	{ "output", 'o', ARG(out), "FILE", "trace text output (default or - : stdout)" },
	{ "form", 1, ARG(form), "FORM", "text layout: trace (default), comm, task, bare, wrapped, comm-wrapped, ..." },
	{ "truth", 1, ARG(truth), "FILE", "write the ground truth (JSON lines) here" },
	{ "events", 1, ARG(events), "N", "repeat the workload until N events were written" },
	{ "random", 0, ARG(random), NULL, "a random scenario drawn from --seed (instead of SCENARIO)" },
	{ "scenario-out", 1, ARG(scenario_out), "FILE", "write the scenario text that was run (with --random)" },
	{ "list-injections", 0, ARG(list), NULL, "list the injectable bugs and exit" },
	{ "help", 'h', ARG(help), NULL, "show this help" },
};

#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: netfs-sim [SCENARIO] [OPTIONS]\n\n"
		"Simulate netfs I/O and write a tracefs text capture of it.\n\n");
	for (i = 0; i < NR_OPTS; i++) {
		char left[40];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
			 opts[i].has_arg > 1 ? "-" : "",
			 opts[i].has_arg > 1 ? opts[i].has_arg : ' ',
			 opts[i].has_arg > 1 ? ", " : "", opts[i].name,
			 opts[i].meta ? " " : "", opts[i].meta ? opts[i].meta : "");
		fprintf(f, "  %-26s %s\n", left + (opts[i].has_arg > 1 ? 0 : 1),
			opts[i].help);
	}
	fprintf(f, "\nExit status: 0 ok, 1 an output file could not be written, 2 usage\n"
		"error or bad scenario (FILE:LINE: message), 3 the injection does not\n"
		"apply to the dialect (its bug is of another kernel generation).\n");
}

static int parse_args(int argc, char **argv, struct sim_args *a)
{
	struct option lo[NR_OPTS + 1];
	char so[16] = "";
	size_t i, n = 0;
	int c, idx;

	memset(lo, 0, sizeof(lo));
	for (i = 0; i < NR_OPTS; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].meta ? required_argument : no_argument;
		lo[i].val = 256 + i;
		if (opts[i].has_arg > 1) {
			so[n++] = opts[i].has_arg;
			if (opts[i].meta)
				so[n++] = ':';
		}
	}
	while ((c = getopt_long(argc, argv, so, lo, &idx)) != -1) {
		for (i = 0; i < NR_OPTS; i++)
			if (c == (int)(256 + i) || c == opts[i].has_arg)
				break;
		if (i == NR_OPTS)
			return -1;
		if (opts[i].meta)
			*(const char **)((char *)a + opts[i].off) = optarg;
		else
			*(int *)((char *)a + opts[i].off) = 1;
	}
	if (optind < argc)
		a->scenario = argv[optind++];
	return optind < argc ? -1 : 0;
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
	struct sim_args a = { 0 };
	struct nft_engine_opts eo = { .seed = 1, .dialect = NFT_ENGINE_7_2,
				      .inject = -1 };
	struct nft_scenario *sc;
	struct nft_engine *e;
	char err[256];
	int rc;

	if (parse_args(argc, argv, &a)) {
		usage(stderr);
		return 2;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (a.list)
		return list_injections();
	if (a.seed && parse_u64(a.seed, &eo.seed)) {
		fprintf(stderr, "netfs-sim: --seed: '%s' is not a number\n", a.seed);
		return 2;
	}
	/* The bound of the scenario's "events" key (docs/scenario.md). */
	if (a.events && (parse_u64(a.events, &eo.max_events) ||
			 eo.max_events > 1000000000)) {
		fprintf(stderr, "netfs-sim: --events: '%s' is not a number in 0..1000000000\n",
			a.events);
		return 2;
	}
	if (a.dialect && (rc = nft_engine_dialect_lookup(a.dialect)) < 0) {
		fprintf(stderr, "netfs-sim: unknown dialect '%s' (6.12 or 7.2)\n",
			a.dialect);
		return 2;
	} else if (a.dialect) {
		eo.dialect = rc;
	}
	if (a.form && nft_engine_form_lookup(a.form, &eo.form, &eo.wrap)) {
		fprintf(stderr, "netfs-sim: unknown form '%s' (trace, comm, task, bare, wrapped, FORM-wrapped)\n",
			a.form);
		return 2;
	}
	if (a.inject && (eo.inject = nft_inject_lookup(a.inject)) < 0) {
		fprintf(stderr, "netfs-sim: unknown injection '%s' (see --list-injections)\n",
			a.inject);
		return 2;
	}
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
