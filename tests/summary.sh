#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The closing line of `make check`: "N passed, N failed" over the C unit
# tests (build*/tests/unit.totals, written by tests/run-unit.sh as
# "passed failed") and the bats suites (build*/bats.tap, when check-plain
# saved bats' TAP there).  A line per part comes first.  Exit 1 if anything
# failed.
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
for b in build build-san; do
	t=$b/tests/unit.totals
	if [ -r "$t" ]; then
		read -r p f < "$t" || { p=0; f=0; }
		printf '  %-30s %s passed, %s failed\n' "$t" "${p:-0}" "${f:-0}"
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
	fi
	t=$b/bats.tap
	if [ -r "$t" ]; then
		p=$(grep -E '^ok ' "$t" | grep -vci '^ok [0-9]* .*# skip')
		s=$(grep -Eci '^ok [0-9]+ .*# skip' "$t")
		f=$(grep -c '^not ok ' "$t")
		printf '  %-30s %s passed, %s failed, %s skipped\n' "$t" "$p" "$f" "$s"
		passed=$((passed + p))
		failed=$((failed + f))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
