/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands' options, declared once (git's parse-options in spirit):
 * each option is one entry of a table that binds it to the variable it
 * sets.  From the table come the getopt_long() short string and long
 * options, the parsing and checking of values (with the same messages in
 * every command), --help and the hidden --list-options (every spelling, one
 * a line, for the completion and man page checks in tests/bats/options.bats).
 *
 *	struct my_args a = { .delay = 1 };
 *	struct nft_option options[] = {
 *		OPT_GROUP("options:"),
 *		OPT_STRING('i', "input", &a.input, "FILE", "capture to read"),
 *		OPT_BOOL(0, "json", &a.json, "print one JSON document"),
 *		OPT_DOUBLE('d', "delay", &a.delay, "SECS", 0.01, "interval",
 *			   .err = "-d wants seconds >= 0.01, not '%s'"),
 *		OPT_CALLBACK('R', "request", &a, "ID", "one object", parse_id),
 *		NFT_CLI_ANALYSIS_OPTIONS(&a.an),
 *		OPT_HELP(),
 *		OPT_VERSION(),
 *		OPT_END(),
 *	};
 *	struct nft_cli cli = { .prog = PROG, .version = VERSION,
 *			       .options = options, .usage_head = usage_head };
 *	int first, rc = nft_cli_parse(&cli, argc, argv, &first);
 *
 * HOW TO ADD AN OPTION: one line in the command's table, e.g.
 *	OPT_STRING(0, "perfetto", &a.perfetto, "FILE", "write a Perfetto trace"),
 * plus the field it sets in the command's args struct (and a line in its
 * man page and completions: tests/bats/options.bats checks them).  Pick the
 * kind that checks the value (OPT_UINT/ULONG/U64 with a range, OPT_DOUBLE
 * with a minimum, OPT_SIZE for "500M"); OPT_CALLBACK only for a value that
 * needs logic of its own (a lookup, a parse into a struct).  A short option
 * is given once, as the first argument; 0 for long only.
 *
 * Trailing arguments of every OPT_* macro are designated initializers of
 * struct nft_option: .err (the message of a bad value, one %s: the value),
 * .flags (NFT_OPT_HIDDEN, NFT_OPT_MIN_EXCLUSIVE), .max.
 *
 * Parsing is getopt_long()'s: "-vq" and "-ifile", "--opt=value" and
 * "--opt value", unambiguous prefixes of long names, "--" ending the
 * options, options and arguments in any order.  A bad value prints
 * "PROG: <.err with the value>" (default: "bad value for --NAME: 'VALUE'
 * (what it wants)") and "Try 'PROG --help'." on stderr: exit status 2.
 */
#ifndef NFT_CLI_H
#define NFT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum nft_opt_type {
	NFT_OPT_END,
	NFT_OPT_GROUP,		/* a header line in --help */
	NFT_OPT_BOOL,		/* bool *: set to true */
	NFT_OPT_COUNTUP,	/* int *: one more each time (-v -v) */
	NFT_OPT_STRING,		/* const char **: the argument (argv's) */
	NFT_OPT_STRING_LIST,	/* struct nft_cli_list *: repeatable */
	NFT_OPT_UINT,		/* unsigned int *, in [min, max] */
	NFT_OPT_ULONG,		/* unsigned long *, in [min, max] */
	NFT_OPT_U64,		/* uint64_t *, in [min, max] */
	NFT_OPT_DOUBLE,		/* double *, >= min (> min: MIN_EXCLUSIVE) */
	NFT_OPT_SIZE,		/* uint64_t *: bytes, "500M", "2G"; > 0 */
	NFT_OPT_CALLBACK,	/* ->cb(opt, arg): 0, or -1 for a bad value */
	NFT_OPT_HELP,		/* print --help, exit 0 */
	NFT_OPT_VERSION,	/* print "PROG VERSION", exit 0 */
};

enum {
	NFT_OPT_HIDDEN = 1 << 0,	/* not in --help */
	NFT_OPT_MIN_EXCLUSIVE = 1 << 1,	/* OPT_DOUBLE: > min */
	NFT_OPT_NOARG = 1 << 2,		/* OPT_CALLBACK: takes no value */
};

/* A repeatable string option's values (argv's strings); free(v) after. */
struct nft_cli_list {
	const char **v;
	size_t n;
	size_t max;		/* 0: no limit; else more is a usage error */
};

struct nft_option;
typedef int nft_opt_cb(const struct nft_option *opt, const char *arg);

struct nft_option {
	enum nft_opt_type type;
	int short_name;		/* 0: long only */
	const char *long_name;
	void *value;		/* what it sets; a callback's context */
	const char *argh;	/* its argument in --help ("FILE"); NULL: none */
	const char *help;
	double min, max;	/* numbers: the range (max 0: the type's) */
	nft_opt_cb *cb;
	const char *err;	/* bad value: printf format, %s = the value */
	unsigned int flags;
};

#define OPT_END() { .type = NFT_OPT_END }
#define OPT_GROUP(h) { .type = NFT_OPT_GROUP, .help = (h) }
#define OPT_BOOL(s, l, v, h, ...) \
	{ .type = NFT_OPT_BOOL, .short_name = (s), .long_name = (l), \
	  .value = (bool *)(v), .help = (h), __VA_ARGS__ }
#define OPT_COUNTUP(s, l, v, h, ...) \
	{ .type = NFT_OPT_COUNTUP, .short_name = (s), .long_name = (l), \
	  .value = (int *)(v), .help = (h), __VA_ARGS__ }
#define OPT_STRING(s, l, v, a, h, ...) \
	{ .type = NFT_OPT_STRING, .short_name = (s), .long_name = (l), \
	  .value = (const char **)(v), .argh = (a), .help = (h), __VA_ARGS__ }
#define OPT_STRING_LIST(s, l, v, a, h, ...) \
	{ .type = NFT_OPT_STRING_LIST, .short_name = (s), .long_name = (l), \
	  .value = (struct nft_cli_list *)(v), .argh = (a), .help = (h), \
	  __VA_ARGS__ }
#define OPT_UINT(s, l, v, a, lo, hi, h, ...) \
	{ .type = NFT_OPT_UINT, .short_name = (s), .long_name = (l), \
	  .value = (unsigned int *)(v), .argh = (a), .min = (lo), .max = (hi), \
	  .help = (h), __VA_ARGS__ }
#define OPT_ULONG(s, l, v, a, lo, hi, h, ...) \
	{ .type = NFT_OPT_ULONG, .short_name = (s), .long_name = (l), \
	  .value = (unsigned long *)(v), .argh = (a), .min = (lo), \
	  .max = (hi), .help = (h), __VA_ARGS__ }
#define OPT_U64(s, l, v, a, lo, hi, h, ...) \
	{ .type = NFT_OPT_U64, .short_name = (s), .long_name = (l), \
	  .value = (uint64_t *)(v), .argh = (a), .min = (lo), .max = (hi), \
	  .help = (h), __VA_ARGS__ }
#define OPT_DOUBLE(s, l, v, a, lo, h, ...) \
	{ .type = NFT_OPT_DOUBLE, .short_name = (s), .long_name = (l), \
	  .value = (double *)(v), .argh = (a), .min = (lo), .help = (h), \
	  __VA_ARGS__ }
/* Seconds > 0 (fractions allowed): a double with an exclusive minimum 0. */
#define OPT_SECONDS(s, l, v, a, h, ...) \
	OPT_DOUBLE(s, l, v, a, 0, h, .flags = NFT_OPT_MIN_EXCLUSIVE, \
		   __VA_ARGS__)
#define OPT_SIZE(s, l, v, a, h, ...) \
	{ .type = NFT_OPT_SIZE, .short_name = (s), .long_name = (l), \
	  .value = (uint64_t *)(v), .argh = (a), .help = (h), __VA_ARGS__ }
#define OPT_CALLBACK(s, l, ctx, a, h, fn, ...) \
	{ .type = NFT_OPT_CALLBACK, .short_name = (s), .long_name = (l), \
	  .value = (ctx), .argh = (a), .help = (h), .cb = (fn), __VA_ARGS__ }
#define OPT_HELP() \
	{ .type = NFT_OPT_HELP, .short_name = 'h', .long_name = "help", \
	  .help = "show this help" }
#define OPT_VERSION() \
	{ .type = NFT_OPT_VERSION, .long_name = "version", \
	  .help = "show the version" }

/* A command: its name, version, option table and the text around it. */
struct nft_cli {
	const char *prog;
	const char *version;
	const struct nft_option *options;	/* ends with OPT_END() */
	void (*usage_head)(FILE *out);	/* before the options in --help */
	void (*usage_tail)(FILE *out);	/* after them */
	/* a bad value: "PROG: message" alone, no "Try" line (netfs-sim's) */
	bool bare_errors;
};

/*
 * Parse @argv into the table's variables.  0: parsed, *@first_arg is the
 * index of the first non-option argument (argv is permuted so that they
 * come last); 2: a usage error (printed).  --help and --version (and the
 * hidden --list-options) print to stdout and exit(0).
 */
int nft_cli_parse(const struct nft_cli *cli, int argc, char **argv,
		  int *first_arg);

/* --help: usage_head, the options (aligned, OPT_GROUP headers), usage_tail. */
void nft_cli_print_help(const struct nft_cli *cli, FILE *out);
/* The options part of --help only. */
void nft_cli_print_options(const struct nft_option *o, FILE *out);
/* Every spelling ("-i", "--input"), one a line, hidden ones too. */
void nft_cli_list_options(const struct nft_option *o, FILE *out);

/* "PROG: <fmt with arg>\nTry 'PROG --help'." on stderr; returns 2. */
int nft_cli_usage_error(const char *prog, const char *fmt, const char *arg);

/*
 * The analysis options every command gives the model, with the same names,
 * meaning and messages everywhere: one table fragment, bound to a struct
 * nft_cli_analysis (nft_cli_analysis_init() first).
 */
struct nft_cli_analysis {
	unsigned int fail_mask;	/* all kinds unless --fail-on */
	double stuck_after;	/* 0 = the model's default */
	unsigned long retry_limit;
	const char *kernel;
	uint64_t max_objects;	/* 0 = the model's default */
};

nft_opt_cb nft_cli_fail_on_cb;	/* value: unsigned int *mask */
nft_opt_cb nft_cli_kernel_cb;	/* value: const char ** */

#define NFT_CLI_ANALYSIS_OPTIONS(an)                                          \
	OPT_CALLBACK(0, "fail-on", &(an)->fail_mask, "KINDS",                 \
		     "finding kinds that give exit status 1 (comma list, 'all', 'none'; default all)", \
		     nft_cli_fail_on_cb,                                      \
		     .err = "unknown finding kind in '%s'"),                  \
	OPT_SECONDS(0, "stuck-after", &(an)->stuck_after, "SECS",             \
		    "quiet time after which an open request is stuck or leaked (default 5)", \
		    .err = "--stuck-after wants seconds > 0, not '%s'"),      \
	OPT_ULONG(0, "retry-limit", &(an)->retry_limit, "N", 1, 0,            \
		  "reissues without progress that make a retry storm (default 4)", \
		  .err = "--retry-limit wants a number > 0, not '%s'"),       \
	OPT_CALLBACK(0, "kernel", &(an)->kernel, "VERSION",                   \
		     "force the kernel generation (6.1, 6.12, 6.14, 7.2 ...) instead of guessing", \
		     nft_cli_kernel_cb,                                       \
		     .err = "--kernel wants a version with fscache or netfs tracepoints (4.17 or later), not '%s'"), \
	OPT_U64(0, "max-objects", &(an)->max_objects, "N", 1, 0,              \
		"live requests, subrequests and fscache objects kept at most; beyond, the least recently active are evicted, with a note (default: from the machine's memory)", \
		.err = "--max-objects wants a number > 0, not '%s'")

struct nft_model_opts;

void nft_cli_analysis_init(struct nft_cli_analysis *an);

/* Fill the model options the analysis options set. */
void nft_cli_model_opts(const struct nft_cli_analysis *an,
			struct nft_model_opts *mo);

/*
 * Parse "ref-leak,stuck" / "all" / "none" into a mask of finding kinds.
 * 0, or -1 on an unknown kind.
 */
int nft_cli_parse_fail_on(const char *s, unsigned int *mask);

#endif /* NFT_CLI_H */
