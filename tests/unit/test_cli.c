// SPDX-License-Identifier: GPL-2.0
/*
 * The option parser of the commands (cmd/lib/cli.h): every kind of option,
 * bad values and their messages, a missing argument, an unknown option,
 * combined short options, --opt=value, "--", options after arguments,
 * --help generated from the table, --list-options, and the shared
 * analysis options.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cmd/lib/cli.h"
#include "libnetfs-trace/findings.h"
#include "tap.h"

struct args {
	bool json, flag;
	int verbose;
	const char *input;
	struct nft_cli_list events;
	unsigned int kb;
	unsigned long rows, jobs;
	uint64_t big, size;
	double delay, speed, secs;
	int color;		/* by the callback: 1 red, 2 green */
	bool cb_noarg;
	struct nft_cli_analysis an;
};

static int color_cb(const struct nft_option *opt, const char *arg)
{
	int *c = opt->value;

	if (!strcmp(arg, "red"))
		*c = 1;
	else if (!strcmp(arg, "green"))
		*c = 2;
	else
		return -1;
	return 0;
}

static int noarg_cb(const struct nft_option *opt, const char *arg)
{
	*(bool *)opt->value = arg == NULL;
	return 0;
}

static void head(FILE *out)
{
	fputs("usage: prog [OPTIONS] [FILE...]\n\n", out);
}

static void tail(FILE *out)
{
	fputs("\nexit status: 0\n", out);
}

static struct args A;
static char errbuf[4096], errshow[4096];	/* errshow: on one line */

#define OPTIONS(a)                                                            \
	OPT_GROUP("options:"),                                                \
	OPT_BOOL(0, "json", &(a)->json, "JSON"),                              \
	OPT_BOOL('f', "flag", &(a)->flag, "a flag"),                          \
	OPT_COUNTUP('v', "verbose", &(a)->verbose, "more"),                   \
	OPT_STRING('i', "input", &(a)->input, "FILE", "input"),               \
	OPT_STRING_LIST('e', "event", &(a)->events, "EVENT", "events",        \
			.err = "too many -e (%s)"),                           \
	OPT_UINT('B', "buffer-size", &(a)->kb, "KB", 1, 4096, "KB"),          \
	OPT_ULONG(0, "rows", &(a)->rows, "N", 0, 0, "rows"),                  \
	OPT_ULONG('j', "jobs", &(a)->jobs, "N", 1, 4096, "jobs",              \
		  .err = "-j wants a number of jobs from 1 to 4096, not '%s'"), \
	OPT_U64(0, "big", &(a)->big, "N", 1, 0, "big"),                       \
	OPT_SIZE(0, "size", &(a)->size, "SIZE", "size"),                      \
	OPT_DOUBLE('d', "delay", &(a)->delay, "SECS", 0.01, "delay"),         \
	OPT_DOUBLE(0, "speed", &(a)->speed, "N", 0, "speed"),                 \
	OPT_SECONDS(0, "secs", &(a)->secs, "SECS", "secs"),                   \
	OPT_CALLBACK('c', "color", &(a)->color, "COLOR", "red or green",      \
		     color_cb),                                               \
	OPT_CALLBACK(0, "noarg", &(a)->cb_noarg, NULL, "a callback, no value", \
		     noarg_cb, .flags = NFT_OPT_NOARG),                       \
	OPT_BOOL(0, "secret", &(a)->flag, "hidden", .flags = NFT_OPT_HIDDEN), \
	OPT_GROUP("analysis:"),                                               \
	NFT_CLI_ANALYSIS_OPTIONS(&(a)->an),                                   \
	OPT_HELP(),                                                           \
	OPT_VERSION(),                                                        \
	OPT_END()

static const struct nft_option options[] = { OPTIONS(&A) };
static const struct nft_cli cli = {
	.prog = "prog", .version = "1.2", .options = options,
	.usage_head = head, .usage_tail = tail,
};

/* Parse a NULL-terminated list; stderr caught in errbuf. */
static int parse(int *first, ...)
{
	char *argv[32];
	va_list ap;
	int argc = 0, rc, fd, saved;
	FILE *tmp = tmpfile();
	size_t n;

	argv[argc++] = "prog";
	va_start(ap, first);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	free(A.events.v);
	memset(&A, 0, sizeof(A));
	nft_cli_analysis_init(&A.an);
	fflush(stderr);
	saved = dup(2);
	fd = fileno(tmp);
	dup2(fd, 2);
	rc = nft_cli_parse(&cli, argc, argv, first);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, tmp);
	errbuf[n] = 0;
	fclose(tmp);
	for (size_t i = 0; i <= n; i++)
		errshow[i] = errbuf[i] == '\n' ? '|' : errbuf[i];
	return rc;
}

#define P(...) parse(&first, __VA_ARGS__, (char *)NULL)

static void test_kinds(void)
{
	int first;

	is(P("--json", "-f", "-v", "-v", "--verbose", "-i", "cap.dat", "-e", "netfs",
	     "-e", "fscache:*", "-B", "4096", "--rows", "0", "-j", "3",
	     "--big", "18446744073709551615", "--size", "2M", "-d", "0.01",
	     "--speed", "0", "--secs", "0.5", "-c", "green", "--noarg"), 0,
	   "every kind parses");
	ok(A.json && A.flag && A.verbose == 3, "bool, bool, countup x3");
	is_str(A.input, "cap.dat", "string");
	ok(A.events.n == 2 && !strcmp(A.events.v[0], "netfs") &&
	   !strcmp(A.events.v[1], "fscache:*"), "string list, in order");
	ok(A.kb == 4096 && A.rows == 0 && A.jobs == 3, "uint at max, ulong 0, ulong");
	ok(A.big == UINT64_MAX, "u64 up to 2^64-1");
	is(A.size, 2 << 20, "size 2M");
	ok(A.delay == 0.01 && A.speed == 0 && A.secs == 0.5,
	   "doubles at their inclusive minimum, seconds");
	ok(A.color == 2 && A.cb_noarg, "callbacks with and without a value");
	is(first, 15 * 2 + 1, "no arguments left");
}

static void test_forms(void)
{
	int first;

	is(P("-vfv"), 0, "-vfv");
	ok(A.verbose == 2 && A.flag, "combined short options");
	is(P("-vicap", "-B64"), 0, "-vicap -B64");
	ok(A.verbose == 1 && A.input && !strcmp(A.input, "cap") && A.kb == 64,
	   "a short option's value attached");
	is(P("--input=x.dat", "--rows=7", "--color=red"), 0, "--opt=value");
	ok(!strcmp(A.input, "x.dat") && A.rows == 7 && A.color == 1,
	   "--opt=value taken");
	is(P("--inp", "y", "--js"), 0, "unambiguous prefixes of long names");
	ok(!strcmp(A.input, "y") && A.json, "prefixes taken");
	is(P("a.dat", "--json", "b.dat"), 0, "options after arguments");
	ok(A.json && first == 2, "arguments moved last (first %d)", first);
	is(P("--json", "--", "-v", "--flag"), 0, "-- ends the options");
	ok(A.json && !A.verbose && !A.flag && first == 3,
	   "after --, -v and --flag are arguments (first %d)", first);
	is(P("--fail-on", "stuck,ref-leak", "--stuck-after=2.5",
	     "--retry-limit", "7", "--kernel", "6.12", "--max-objects", "100"),
	   0, "the analysis options");
	ok(A.an.fail_mask == ((1u << NFT_FIND_STUCK) | (1u << NFT_FIND_REF_LEAK)) &&
	   A.an.stuck_after == 2.5 && A.an.retry_limit == 7 &&
	   !strcmp(A.an.kernel, "6.12") && A.an.max_objects == 100,
	   "analysis values bound to struct nft_cli_analysis");
	is(P("--fail-on", "none"), 0, "--fail-on none");
	is(A.an.fail_mask, 0, "none: mask 0");
}

static void test_errors(void)
{
	static const struct {
		const char *opt, *val, *msg;
	} bad[] = {
		{ "-j", "0", "prog: -j wants a number of jobs from 1 to 4096, not '0'\nTry 'prog --help'.\n" },
		{ "-j", "-1", "-j wants a number of jobs" },
		{ "-j", "2x", "-j wants a number of jobs" },
		{ "-j", "", "-j wants a number of jobs" },
		{ "-B", "4097", "prog: bad value for -B: '4097' (a number from 1 to 4096)\n" },
		{ "--buffer-size", "0", "prog: bad value for --buffer-size: '0' (a number from 1 to 4096)\n" },
		{ "--rows", "x", "prog: bad value for --rows: 'x' (a number >= 0)\n" },
		{ "--rows", "+3", "bad value for --rows: '+3'" },
		{ "--rows", " 3", "bad value for --rows: ' 3'" },
		{ "--big", "0", "bad value for --big: '0' (a number >= 1)" },
		{ "--big", "18446744073709551616", "bad value for --big" },
		{ "-d", "0.001", "prog: bad value for -d: '0.001' (a number >= 0.01)\n" },
		{ "-d", "nan", "bad value for -d: 'nan'" },
		{ "-d", "inf", "bad value for -d: 'inf'" },
		{ "-d", "1s", "bad value for -d: '1s'" },
		{ "--speed", "-1", "bad value for --speed: '-1' (a number >= 0)" },
		{ "--secs", "0", "bad value for --secs: '0' (a number > 0)" },
		{ "--size", "lots", "bad value for --size: 'lots' (a size > 0: 500K, 20M, 2G)" },
		{ "-c", "blue", "prog: bad value for -c: 'blue'\nTry 'prog --help'.\n" },
		{ "--color", "blue", "prog: bad value for --color: 'blue'\n" },
		{ "--fail-on", "stuck,bogus", "prog: unknown finding kind in 'stuck,bogus'\n" },
		{ "--stuck-after", "0", "prog: --stuck-after wants seconds > 0, not '0'\n" },
		{ "--retry-limit", "0", "--retry-limit wants a number > 0, not '0'" },
		{ "--kernel", "4.14", "(4.17 or later), not '4.14'" },
		{ "--max-objects", "-5", "--max-objects wants a number > 0, not '-5'" },
	};
	size_t i;
	int first;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = P(bad[i].opt, bad[i].val);

		ok(rc == 2 && strstr(errbuf, bad[i].msg) &&
		   strstr(errbuf, "Try 'prog --help'.\n"),
		   "%s '%s': exit 2 (got rc %d: %s)", bad[i].opt,
		   bad[i].val, rc, errshow);
	}
	is(P("--no-such"), 2, "unknown long option: 2");
	ok(strstr(errbuf, "unrecognized option '--no-such'") &&
	   strstr(errbuf, "Try 'prog --help'."), "getopt's message, then Try: %s", errshow);
	is(P("-x"), 2, "unknown short option: 2");
	ok(strstr(errbuf, "invalid option -- 'x'") != NULL, "%s", errshow);
	is(P("-i"), 2, "missing argument: 2");
	ok(strstr(errbuf, "option requires an argument -- 'i'") &&
	   strstr(errbuf, "Try 'prog --help'."), "%s", errshow);
	is(P("--input"), 2, "missing argument of a long option: 2");
	ok(strstr(errbuf, "option '--input' requires an argument") != NULL,
	   "%s", errshow);
	is(P("--json=yes"), 2, "a value to an option without one: 2");
	is(P("--s", "1"), 2, "an ambiguous prefix: 2");
	ok(strstr(errbuf, "is ambiguous") != NULL, "%s", errshow);
}

static void test_list_limit(void)
{
	struct args a;
	struct nft_option o[] = {
		OPT_STRING_LIST('e', "event", &a.events, "EVENT", "events",
				.err = "too many -e (%s)"),
		OPT_END(),
	};
	struct nft_cli c = { .prog = "prog", .options = o };
	char *argv[] = { "prog", "-e", "a", "-e", "b", "-e", "c", NULL };
	int first, rc, saved = dup(2), null = open("/dev/null", 1);

	memset(&a, 0, sizeof(a));
	a.events.max = 2;
	dup2(null, 2);
	rc = nft_cli_parse(&c, 7, argv, &first);
	dup2(saved, 2);
	close(saved);
	close(null);
	ok(rc == 2 && a.events.n == 2, "a bounded list: one more is a usage error");
	free(a.events.v);
}

static char *capture(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	fn(m);
	fclose(m);
	return buf;
}

static void help(FILE *out) { nft_cli_print_help(&cli, out); }
static void list(FILE *out) { nft_cli_list_options(options, out); }

static void test_help(void)
{
	char *h = capture(help), *l;

	ok(strstr(h, "usage: prog [OPTIONS] [FILE...]\n\noptions:\n      --json ") == h,
	   "head, then the first group");
	ok(strstr(h, "\n      --json                 JSON\n") != NULL, "long only: aligned after the short column");
	ok(strstr(h, "\n  -i, --input FILE           input\n") != NULL, "short and long, argument name");
	ok(strstr(h, "\n  -v, --verbose              more\n") != NULL, "no argument");
	ok(strstr(h, "\n      --noarg                a callback, no value\n") != NULL, "callback without a value");
	ok(!strstr(h, "secret"), "hidden options not shown");
	ok(strstr(h, "\n\nanalysis:\n      --fail-on KINDS        finding kinds") != NULL,
	   "a group header after a blank line; the shared analysis options");
	ok(strstr(h, "\n  -h, --help                 show this help\n      --version              show the version\n\nexit status: 0\n") != NULL,
	   "help and version, then the tail");
	free(h);
	l = capture(list);
	ok(strstr(l, "--json\n-f\n--flag\n-v\n--verbose\n-i\n--input\n") == l,
	   "--list-options: every spelling, one a line");
	ok(strstr(l, "--secret\n") && strstr(l, "--max-objects\n-h\n--help\n--version\n"),
	   "hidden ones too, to the end");
	free(l);
}

/* --help, --version and --list-options print to stdout and exit 0. */
static void test_exit(const char *opt, const char *want)
{
	int pfd[2], status;
	char out[8192];
	ssize_t n = 0, r;
	pid_t pid;

	if (pipe(pfd))
		return;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		char *argv[] = { "prog", (char *)opt, NULL };
		int first;

		dup2(pfd[1], 1);
		close(pfd[0]);
		nft_cli_parse(&cli, 2, argv, &first);
		_exit(99);
	}
	close(pfd[1]);
	while ((r = read(pfd[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += r;
	out[n] = 0;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && strstr(out, want),
	   "%s: exit 0, prints what it should", opt);
}

int main(void)
{
	test_kinds();
	test_forms();
	test_errors();
	test_list_limit();
	test_help();
	test_exit("--help", "usage: prog");
	test_exit("-h", "exit status: 0");
	test_exit("--version", "prog 1.2\n");
	test_exit("--list-options", "--big\n");
	free(A.events.v);
	return tap_done();
}
