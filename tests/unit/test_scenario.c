// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-sim's scenario parser refuses nonsense (issue 11): every value out
 * of its key's range is an error naming the line, a NUL byte is an error,
 * one pass of the workload is bounded; and the engine's random range is
 * safe over the whole 64-bit range (it was a SIGFPE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libnetfs-trace/engine/internal.h"
#include "tap.h"

/* Parse @text; returns the error ("" when it parsed). */
static const char *parse(const char *text)
{
	static char err[256];
	struct nft_scenario *sc;

	err[0] = 0;
	sc = nft_scenario_parse(text, "t.scn", err, sizeof(err));
	if (sc)
		nft_scenario_free(sc);
	else if (!err[0])
		snprintf(err, sizeof(err), "(no message)");
	return err;
}

static void refused(const char *text, const char *want)
{
	const char *err = parse(text);

	ok(strstr(err, want) != NULL, "refused: %s -> '%s' (want '%s')", text,
	   err, want);
}

static void accepted(const char *text)
{
	const char *err = parse(text);

	ok(!err[0], "accepted: %s (%s)", text, err);
}

static void test_ranges(void)
{
	/* the bounds themselves are accepted... */
	accepted("rsize 1\n[op]\nsize 1\n");
	accepted("think_us 60000000\nlatency_us 60000000\njitter_us 60000000\n");
	accepted("concurrency 8\nretry_limit 255\nino 0xffffffff\nfirst_id 0xffffff00\n");
	accepted("events 1000000000\n[op]\ncount 1\n");
	accepted("short_prob 0\nerror_prob 1\ncache_hit 0.5\n");
	/* ...one past them is not, with the line and the range */
	refused("rsize 0\n", "t.scn:1: rsize: '0' is not a number in 1..1073741824");
	refused("\n\nthink_us 18446744073709551615\n", "t.scn:3: think_us");
	refused("[op]\ncount -1\n", "t.scn:2: count: '-1' is not a number in 1..1000000");
	refused("[op]\ncount +1\n", "t.scn:2: count");
	refused("[op]\ncount 1000001\n", "t.scn:2: count");
	refused("[op]\nsize 18446744073709551616\n", "t.scn:2: size");
	refused("[op]\nfault_subreq 0\n", "t.scn:2: fault_subreq");
	refused("ino 0x100000000\n", "t.scn:1: ino");
	refused("first_id 0xffffff01\n", "t.scn:1: first_id");
	refused("cache 2\n", "t.scn:1: cache");
	refused("short_prob nan\n", "t.scn:1: short_prob");
	refused("error short\n", "t.scn:1: error");
	refused("latency_us 0\n", "t.scn:1: latency_us");
}

static void test_work_bounds(void)
{
	/* the reproducer: 262144 one-byte subrequests in one request */
	refused("wsize 1\nserver cifs\n[op]\ntype writeback\nsize 0x40000\nfault eagain\nfault_subreq 2\nretry_max_len 0x10000\n",
		"t.scn:3: a request of size 0x40000 in slices of 0x1 makes 262144 subrequests; at most 4096");
	/* retry_max_len is a slice too */
	refused("[op]\ntype writeback\nsize 0x1000000\nretry_max_len 0x100\n",
		"t.scn:1: a request");
	accepted("[op]\ntype writeback\nsize 0x1000000\nretry_max_len 0x1000\n");
	/* a pass: count * concurrency * (slices + folios) */
	refused("concurrency 8\n[op]\ntype dio_read\nsize 0x40000000\ncount 1000000\n",
		"t.scn:2: the ops up to here make");
	refused("[op]\noffset 0x4000000000000000\nsize 0x1000\n",
		"t.scn:1: the op reaches offset 0x4000000000001000");
	accepted("[op]\noffset 0x3fffffffffff0000\nsize 0x1000\n");
}

static void test_nul(void)
{
	char path[] = "/tmp/test_scenario.XXXXXX", err[256] = "";
	static const char text[] = "server cifs\n[op]\ntype dio_read\n\0[op]\ntype nosuch\n";
	struct nft_scenario *sc;
	int fd = mkstemp(path);

	ok(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	ok(write(fd, text, sizeof(text) - 1) == sizeof(text) - 1, "write");
	close(fd);
	sc = nft_scenario_load(path, err, sizeof(err));
	ok(!sc, "a NUL byte is refused");
	nft_scenario_free(sc);
	ok(strstr(err, ":4: a NUL byte") != NULL, "the NUL's line: %s", err);
	ok(!strncmp(err, path, strlen(path)), "the error names the file: %s", err);
	unlink(path);
}

static void test_rng_full_range(void)
{
	struct nft_engine e;
	uint64_t v;
	int i;

	memset(&e, 0, sizeof(e));
	e.rng[0] = 1, e.rng[1] = 2, e.rng[2] = 3, e.rng[3] = 4;
	/* hi - lo + 1 wraps to 0: was a division by zero (SIGFPE) */
	for (i = 0; i < 8; i++)
		v = rng_range(&e, 0, UINT64_MAX);
	(void)v;
	ok(1, "rng_range(0, UINT64_MAX) does not trap");
	is(rng_range(&e, 5, 5), 5, "rng_range(5, 5)");
	is(rng_range(&e, 9, 3), 9, "rng_range(hi < lo) is lo");
	v = rng_range(&e, 10, 12);
	ok(v >= 10 && v <= 12, "rng_range(10, 12) = %llu", (unsigned long long)v);
}

int main(void)
{
	test_ranges();
	test_work_bounds();
	test_nul();
	test_rng_full_range();
	return tap_done();
}
