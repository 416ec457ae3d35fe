#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the C unit test binaries given as arguments; print each one's TAP to
# $out.log, a line per binary, and a total.  Exit 1 if any check failed.
set -u
fail=0
passed=0
failed=0
for t in "$@"; do
	log="$t.log"
	if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		fail=1
		printf '  FAIL     %s (%s failed, exit %s)\n' "$t" "$f" "$rc"
		grep -A3 '^not ok' "$log" | head -40
		[ "$f" -eq 0 ] && tail -20 "$log"
	else
		printf '  PASS     %s (%s)\n' "$t" "$p"
	fi
done
printf '%s\n' "$passed $failed" > "$(dirname "${1:-.}")/unit.totals"
echo "unit: $passed passed, $failed failed"
exit $fail
