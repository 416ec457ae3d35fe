// SPDX-License-Identifier: GPL-2.0
/*
 * TAP output for the unit tests.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int tap_count, tap_failed;

int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

int tap_is(int64_t got, int64_t want, const char *file, int line,
	   const char *what)
{
	int r = tap_ok(got == want, file, line, "%s", what);

	if (!r)
		printf("#   got %" PRId64 ", want %" PRId64 "\n", got, want);
	return r;
}

int tap_str(const char *got, const char *want, const char *file, int line,
	    const char *what)
{
	int same = got && want ? !strcmp(got, want) : got == want;
	int r = tap_ok(same, file, line, "%s", what);

	if (!r)
		printf("#   got '%s', want '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return r;
}

int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
