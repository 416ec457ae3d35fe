/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands share: a declarative option table (git's
 * parse_options() in spirit) that drives both getopt_long() and --help, and
 * the --fail-on kind list.
 */
#ifndef NFT_CLI_H
#define NFT_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct nft_cli_option {
	struct option opt;	/* getopt_long() entry */
	int short_opt;		/* 0 = long only */
	const char *arg;	/* argument name for --help, NULL = none */
	const char *help;
};

/* Fill @longopts (n + 1 entries, zero-terminated) from @o. */
void nft_cli_longopts(const struct nft_cli_option *o, size_t n,
		      struct option *longopts);

/* The "options:" part of --help, one aligned line per option. */
void nft_cli_print_options(FILE *out, const struct nft_cli_option *o,
			   size_t n);

/* "PROG: <fmt with arg>\nTry 'PROG --help'." on stderr; returns 2. */
int nft_cli_usage_error(const char *prog, const char *fmt, const char *arg);

/*
 * Parse "ref-leak,stuck" / "all" / "none" into a mask of finding kinds.
 * 0, or -1 on an unknown kind.
 */
int nft_cli_parse_fail_on(const char *s, unsigned int *mask);

#endif /* NFT_CLI_H */
