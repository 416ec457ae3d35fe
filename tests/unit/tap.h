/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal TAP producer for the C unit tests.  Each test binary prints
 * "ok N - name" / "not ok N - name" lines and a "1..N" plan at the end;
 * tests/run-unit.sh adds them up.
 */
#ifndef NFT_TAP_H
#define NFT_TAP_H

#include <stdint.h>

/* Record one check; returns @cond so callers can skip dependent checks. */
int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Compare integers and print both on failure. */
int tap_is(int64_t got, int64_t want, const char *file, int line,
	   const char *what);
/* Compare strings (NULL-safe) and print both on failure. */
int tap_str(const char *got, const char *want, const char *file, int line,
	    const char *what);
/* Print the plan; return the process exit status (0 if all passed). */
int tap_done(void);

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is(got, want, what) tap_is((got), (want), __FILE__, __LINE__, what)
#define is_str(got, want, what) tap_str((got), (want), __FILE__, __LINE__, what)

#endif /* NFT_TAP_H */
