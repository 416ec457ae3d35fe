// SPDX-License-Identifier: GPL-2.0
/*
 * Option tables and --fail-on, shared by the commands.
 */
#include <string.h>

#include "cli.h"
#include "libnetfs-trace/findings.h"

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
