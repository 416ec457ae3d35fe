// SPDX-License-Identifier: GPL-2.0
/*
 * Option tables and --fail-on, shared by the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "libnetfs-trace/findings.h"
#include "libnetfs-trace/model.h"

void nft_cli_analysis_init(struct nft_cli_analysis *an)
{
	memset(an, 0, sizeof(*an));
	an->fail_mask = (1u << NFT_FIND__NR) - 1;
}

int nft_cli_analysis_option(const char *prog, int c, const char *arg,
			    struct nft_cli_analysis *an)
{
	char *end;

	switch (c) {
	case NFT_CLI_OPT_FAIL_ON:
		if (nft_cli_parse_fail_on(arg, &an->fail_mask))
			return nft_cli_usage_error(prog, "unknown finding kind in '%s'", arg);
		return 1;
	case NFT_CLI_OPT_STUCK_AFTER:
		an->stuck_after = strtod(arg, &end);
		if (*end || end == arg || !(an->stuck_after > 0))
			return nft_cli_usage_error(prog, "--stuck-after wants seconds > 0, not '%s'", arg);
		return 1;
	case NFT_CLI_OPT_RETRY_LIMIT:
		an->retry_limit = strtoul(arg, &end, 10);
		if (*end || end == arg || !an->retry_limit || *arg == '-')
			return nft_cli_usage_error(prog, "--retry-limit wants a number > 0, not '%s'", arg);
		return 1;
	case NFT_CLI_OPT_KERNEL:
		if (nft_gen_from_version(arg) == NFT_GEN_AUTO)
			return nft_cli_usage_error(prog, "--kernel wants a version with fscache or netfs tracepoints (4.17 or later), not '%s'", arg);
		an->kernel = arg;
		return 1;
	default:
		return 0;
	}
}

void nft_cli_model_opts(const struct nft_cli_analysis *an,
			struct nft_model_opts *mo)
{
	mo->stuck_after_ns = (uint64_t)(an->stuck_after * 1e9);
	mo->retry_limit = an->retry_limit;
	mo->gen = an->kernel ? nft_gen_from_version(an->kernel) : NFT_GEN_AUTO;
}

void nft_cli_longopts(const struct nft_cli_option *o, size_t n,
		      struct option *longopts)
{
	size_t i;

	for (i = 0; i < n; i++)
		longopts[i] = o[i].opt;
	memset(&longopts[n], 0, sizeof(longopts[n]));
}

void nft_cli_print_options(FILE *out, const struct nft_cli_option *o,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char left[48];

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 o[i].short_opt ? '-' : ' ',
			 o[i].short_opt ? o[i].short_opt : ' ',
			 o[i].short_opt ? ", " : "  ", o[i].opt.name,
			 o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		fprintf(out, "  %-26s %s\n", left, o[i].help);
	}
}

int nft_cli_usage_error(const char *prog, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return 2;
}

int nft_cli_parse_fail_on(const char *s, unsigned int *mask)
{
	*mask = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (!strcmp(s, "all")) {
		*mask = (1u << NFT_FIND__NR) - 1;
		return 0;
	}
	while (*s) {
		size_t len = strcspn(s, ",");
		int k = nft_finding_kind_lookup(s, len);

		if (k < 0)
			return -1;
		*mask |= 1u << k;
		s += len;
		s += *s == ',';
	}
	return 0;
}
