// SPDX-License-Identifier: GPL-2.0
/*
 * The option parser (cli.h): one table per command drives getopt_long(),
 * the checking of values, --help and --list-options.  Also the analysis
 * options every command shares and --fail-on.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decoders/decoder.h"
#include "libnetfs-trace/findings.h"
#include "libnetfs-trace/gen.h"
#include "libnetfs-trace/model.h"

/* getopt ids of options without a short name: base + table index */
#define LONG_BASE 0x10000
#define LIST_OPTIONS (LONG_BASE - 1)

static bool takes_arg(const struct nft_option *o)
{
	switch (o->type) {
	case NFT_OPT_STRING:
	case NFT_OPT_STRING_LIST:
	case NFT_OPT_UINT:
	case NFT_OPT_ULONG:
	case NFT_OPT_U64:
	case NFT_OPT_DOUBLE:
	case NFT_OPT_SIZE:
		return true;
	case NFT_OPT_CALLBACK:
		return !(o->flags & NFT_OPT_NOARG);
	default:
		return false;
	}
}

static bool is_option(const struct nft_option *o)
{
	return o->type != NFT_OPT_END && o->type != NFT_OPT_GROUP;
}

int nft_cli_usage_error(const char *prog, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return 2;
}

/* "-j" or "--jobs", as the user spelled it (@as_long). */
static void spelled(const struct nft_option *o, bool as_long, char *buf,
		    size_t sz)
{
	if (o->long_name && (as_long || !o->short_name))
		snprintf(buf, sz, "--%s", o->long_name);
	else
		snprintf(buf, sz, "-%c", o->short_name);
}

/* The message of a bad value: the option's own, or one from its kind. */
static int bad_value(const struct nft_cli *cli, const struct nft_option *o,
		     bool as_long, const char *arg)
{
	const char *prog = cli->prog;
	char name[64], what[96] = "", fmt[256];

	if (o->err && cli->bare_errors) {
		fprintf(stderr, "%s: ", prog);
		fprintf(stderr, o->err, arg);
		fputc('\n', stderr);
		return 2;
	}
	if (o->err)
		return nft_cli_usage_error(prog, o->err, arg);
	spelled(o, as_long, name, sizeof(name));
	switch (o->type) {
	case NFT_OPT_UINT:
	case NFT_OPT_ULONG:
	case NFT_OPT_U64:
		if (o->max)
			snprintf(what, sizeof(what), " (a number from %.0f to %.0f)",
				 o->min, o->max);
		else
			snprintf(what, sizeof(what), " (a number >= %.0f)",
				 o->min);
		break;
	case NFT_OPT_DOUBLE:
		snprintf(what, sizeof(what), " (a number %s %g)",
			 o->flags & NFT_OPT_MIN_EXCLUSIVE ? ">" : ">=", o->min);
		break;
	case NFT_OPT_SIZE:
		snprintf(what, sizeof(what), " (a size > 0: 500K, 20M, 2G)");
		break;
	case NFT_OPT_STRING_LIST:
		snprintf(what, sizeof(what), " (at most %zu)",
			 ((const struct nft_cli_list *)o->value)->max);
		break;
	default:
		break;
	}
	snprintf(fmt, sizeof(fmt), "bad value for %s: '%%s'%s", name, what);
	return nft_cli_usage_error(prog, fmt, arg);
}

/* An unsigned decimal number in [lo, hi] (hi 0: up to @type_max). */
static int parse_unsigned(const char *s, double lo, double hi,
			  uint64_t type_max, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')	/* no sign, no blanks: strtoull takes "-1" */
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end || *v > type_max || (double)*v < lo ||
	    (hi && (double)*v > hi))
		return -1;
	return 0;
}

static int take(const struct nft_option *o, const char *arg)
{
	uint64_t u;
	double d;
	char *end;

	switch (o->type) {
	case NFT_OPT_BOOL:
		*(bool *)o->value = true;
		return 0;
	case NFT_OPT_COUNTUP:
		(*(int *)o->value)++;
		return 0;
	case NFT_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case NFT_OPT_STRING_LIST: {
		struct nft_cli_list *l = o->value;

		if (l->max && l->n >= l->max)
			return -1;
		const char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->v[l->n++] = arg;
		return 0;
	}
	case NFT_OPT_UINT:
		if (parse_unsigned(arg, o->min, o->max, UINT_MAX, &u))
			return -1;
		*(unsigned int *)o->value = (unsigned int)u;
		return 0;
	case NFT_OPT_ULONG:
		if (parse_unsigned(arg, o->min, o->max, ULONG_MAX, &u))
			return -1;
		*(unsigned long *)o->value = (unsigned long)u;
		return 0;
	case NFT_OPT_U64:
		if (parse_unsigned(arg, o->min, o->max, UINT64_MAX, &u))
			return -1;
		*(uint64_t *)o->value = u;
		return 0;
	case NFT_OPT_DOUBLE:
		d = strtod(arg, &end);
		if (end == arg || *end || isnan(d) || isinf(d))
			return -1;
		if (o->flags & NFT_OPT_MIN_EXCLUSIVE ? !(d > o->min) :
						       !(d >= o->min))
			return -1;
		*(double *)o->value = d;
		return 0;
	case NFT_OPT_SIZE:
		return nft_parse_size(arg, (uint64_t *)o->value) ? -1 : 0;
	case NFT_OPT_CALLBACK:
		return o->cb(o, arg);
	default:
		return 0;
	}
}

static size_t count_options(const struct nft_option *o)
{
	size_t n = 0;

	while (o[n].type != NFT_OPT_END)
		n++;
	return n;
}

int nft_cli_parse(const struct nft_cli *cli, int argc, char **argv,
		  int *first_arg)
{
	const struct nft_option *opts = cli->options;
	size_t n = count_options(opts), i, nl = 0, ns = 0;
	struct option *lo = calloc(n + 2, sizeof(*lo));
	char *so = malloc(2 * n + 2);
	int c, rc = 0;

	if (!lo || !so) {
		free(lo);
		free(so);
		fprintf(stderr, "%s: out of memory\n", cli->prog);
		return 2;
	}
	for (i = 0; i < n; i++) {
		const struct nft_option *o = &opts[i];

		if (!is_option(o))
			continue;
		if (o->short_name) {
			so[ns++] = (char)o->short_name;
			if (takes_arg(o))
				so[ns++] = ':';
		}
		if (o->long_name) {
			lo[nl].name = o->long_name;
			lo[nl].has_arg = takes_arg(o) ? required_argument :
							no_argument;
			lo[nl].val = o->short_name ? o->short_name :
						     LONG_BASE + (int)i;
			nl++;
		}
	}
	so[ns] = 0;
	lo[nl].name = "list-options";
	lo[nl].val = LIST_OPTIONS;
	optind = 0;		/* glibc: start afresh (the tests parse again) */
	for (;;) {
		const struct nft_option *o = NULL;
		int li = -1;

		c = getopt_long(argc, argv, so, lo, &li);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			/* getopt_long() said what is wrong */
			fprintf(stderr, "Try '%s --help'.\n", cli->prog);
			rc = 2;
			break;
		}
		if (c == LIST_OPTIONS) {
			nft_cli_list_options(opts, stdout);
			free(lo);
			free(so);
			exit(0);
		}
		if (c >= LONG_BASE && (size_t)(c - LONG_BASE) < n) {
			o = &opts[c - LONG_BASE];
		} else {
			for (i = 0; i < n && !o; i++)
				if (is_option(&opts[i]) &&
				    opts[i].short_name == c)
					o = &opts[i];
		}
		if (!o)
			continue;
		if (o->type == NFT_OPT_HELP) {
			nft_cli_print_help(cli, stdout);
			free(lo);
			free(so);
			exit(0);
		}
		if (o->type == NFT_OPT_VERSION) {
			printf("%s %s\n", cli->prog, cli->version);
			free(lo);
			free(so);
			exit(0);
		}
		if (take(o, optarg)) {
			rc = bad_value(cli, o, li >= 0, optarg);
			break;
		}
	}
	free(lo);
	free(so);
	if (first_arg)
		*first_arg = optind;
	return rc;
}

void nft_cli_print_options(const struct nft_option *o, FILE *out)
{
	bool any = false;

	for (; o->type != NFT_OPT_END; o++) {
		char left[64];

		if (o->type == NFT_OPT_GROUP) {
			fprintf(out, "%s%s\n", any ? "\n" : "", o->help);
			any = true;
			continue;
		}
		any = true;
		if (o->flags & NFT_OPT_HIDDEN)
			continue;
		if (o->long_name)
			snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
				 o->short_name ? '-' : ' ',
				 o->short_name ? o->short_name : ' ',
				 o->short_name ? ", " : "  ", o->long_name,
				 o->argh ? " " : "", o->argh ? o->argh : "");
		else
			snprintf(left, sizeof(left), "-%c%s%s", o->short_name,
				 o->argh ? " " : "", o->argh ? o->argh : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
}

void nft_cli_print_help(const struct nft_cli *cli, FILE *out)
{
	if (cli->usage_head)
		cli->usage_head(out);
	nft_cli_print_options(cli->options, out);
	if (cli->usage_tail)
		cli->usage_tail(out);
}

void nft_cli_list_options(const struct nft_option *o, FILE *out)
{
	for (; o->type != NFT_OPT_END; o++) {
		if (!is_option(o))
			continue;
		if (o->short_name)
			fprintf(out, "-%c\n", o->short_name);
		if (o->long_name)
			fprintf(out, "--%s\n", o->long_name);
	}
}

/* ---- the analysis options ---- */

void nft_cli_analysis_init(struct nft_cli_analysis *an)
{
	memset(an, 0, sizeof(*an));
	an->fail_mask = (1u << NFT_FIND__NR) - 1;
}

int nft_cli_fail_on_cb(const struct nft_option *opt, const char *arg)
{
	return nft_cli_parse_fail_on(arg, opt->value);
}

int nft_cli_kernel_cb(const struct nft_option *opt, const char *arg)
{
	if (nft_gen_from_version(arg) == NFT_GEN_AUTO)
		return -1;
	*(const char **)opt->value = arg;
	return 0;
}

void nft_cli_model_opts(const struct nft_cli_analysis *an,
			struct nft_model_opts *mo)
{
	mo->stuck_after_ns = (uint64_t)(an->stuck_after * 1e9);
	mo->retry_limit = an->retry_limit;
	mo->gen = an->kernel ? nft_gen_from_version(an->kernel) : NFT_GEN_AUTO;
	mo->max_objects = an->max_objects;
}

int nft_cli_parse_fail_on(const char *s, unsigned int *mask)
{
	unsigned int m = 0;

	if (!strcmp(s, "none")) {
		*mask = 0;
		return 0;
	}
	if (!strcmp(s, "all")) {
		*mask = (1u << NFT_FIND__NR) - 1;
		return 0;
	}
	while (*s) {
		size_t len = strcspn(s, ",");
		int k = nft_finding_kind_lookup(s, len);

		if (k < 0)
			return -1;
		m |= 1u << k;
		s += len;
		s += *s == ',';
	}
	*mask = m;
	return 0;
}
