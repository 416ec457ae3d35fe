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
 * The analysis options every command gives the model, with the same names,
 * meaning and messages everywhere.  Their getopt ids start at
 * NFT_CLI_OPT_BASE; a command's own long-only ids stay below it.
 */
enum {
	NFT_CLI_OPT_BASE = 0x1000,
	NFT_CLI_OPT_FAIL_ON = NFT_CLI_OPT_BASE,
	NFT_CLI_OPT_STUCK_AFTER,
	NFT_CLI_OPT_RETRY_LIMIT,
	NFT_CLI_OPT_KERNEL,
	NFT_CLI_OPT_MAX_OBJECTS,
};

#define NFT_CLI_ANALYSIS_OPTIONS                                              \
	{ { "fail-on", required_argument, NULL, NFT_CLI_OPT_FAIL_ON }, 0,     \
	  "KINDS",                                                            \
	  "finding kinds that give exit status 1 (comma list, 'all', 'none'; default all)" }, \
	{ { "stuck-after", required_argument, NULL, NFT_CLI_OPT_STUCK_AFTER }, \
	  0, "SECS",                                                          \
	  "quiet time after which an open request is stuck or leaked (default 5)" }, \
	{ { "retry-limit", required_argument, NULL, NFT_CLI_OPT_RETRY_LIMIT }, \
	  0, "N", "reissues without progress that make a retry storm (default 4)" }, \
	{ { "kernel", required_argument, NULL, NFT_CLI_OPT_KERNEL }, 0,       \
	  "VERSION",                                                          \
	  "force the kernel generation (6.1, 6.12, 6.14, 7.2 ...) instead of guessing" }, \
	{ { "max-objects", required_argument, NULL, NFT_CLI_OPT_MAX_OBJECTS }, \
	  0, "N",                                                             \
	  "live requests, subrequests and fscache objects kept at most; beyond, the least recently active are evicted, with a note (default: from the machine's memory)" }

struct nft_cli_analysis {
	unsigned int fail_mask;	/* all kinds unless --fail-on */
	double stuck_after;	/* 0 = the model's default */
	unsigned long retry_limit;
	const char *kernel;
	unsigned long long max_objects;	/* 0 = the model's default */
};

struct nft_model_opts;

void nft_cli_analysis_init(struct nft_cli_analysis *an);

/*
 * Take getopt's @c/@arg if it is one of NFT_CLI_ANALYSIS_OPTIONS: 1 if it
 * was, 0 if it is not ours, 2 on a bad value (already reported).
 */
int nft_cli_analysis_option(const char *prog, int c, const char *arg,
			    struct nft_cli_analysis *an);

/* Fill the model options the analysis options set. */
void nft_cli_model_opts(const struct nft_cli_analysis *an,
			struct nft_model_opts *mo);

/*
 * Parse "ref-leak,stuck" / "all" / "none" into a mask of finding kinds.
 * 0, or -1 on an unknown kind.
 */
int nft_cli_parse_fail_on(const char *s, unsigned int *mask);

#endif /* NFT_CLI_H */
