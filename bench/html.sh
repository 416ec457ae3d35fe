#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/html.sh [CAPTURE]: what --html costs on the large benchmark capture
# (default bench/work/big.txt, made by bench/mkbig.sh): CPU time and peak
# RSS of netfs-replay with and without --html (best of $RUNS), the size of
# the page and how much of it is drawn one by one; and, with valgrind, the
# instruction counts of both on the first 300,000 lines (one run each, a
# ratio that does not depend on the machine's load).  Prints a Markdown
# section on stdout (bench/run.sh puts it into bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
REPLAY=$BIN/netfs-replay
cap=${1:-bench/work/big.txt}
WORK=${WORK:-bench/work}
[ -s "$cap" ] || bench/mkbig.sh "${LINES:-10000000}" "$cap" >&2
. bench/measure.sh

page=$WORK/big.html
small=$WORK/html-small.txt
trap 'rm -f "$small" "$WORK"/callgrind.*' EXIT

read -r w0 c0 r0 <<< "$(measure "$REPLAY" --fail-on none "$cap")"
read -r w1 c1 r1 <<< "$(measure "$REPLAY" --fail-on none --html "$page" "$cap")"
size=$(stat -c %s "$page")
lines=$(wc -l < "$cap")
drawn=$(grep -o 'class="req ' "$page" | wc -l)
details=$(grep -o 'class="req-detail"' "$page" | wc -l)
dens=$(grep -o '[0-9,]* healthy requests shown as density' "$page" | head -1 || true)

echo "## HTML report (--html, issue 13)"
echo
echo "\`$REPLAY --html\` on \`$cap\` ($lines lines), best of $RUNS by CPU time, against the same run without it:"
echo
echo '| command | wall s | CPU s | peak RSS MiB | page KiB |'
echo '|---|---|---|---|---|'
printf '| netfs-replay | %s | %s | %s | - |\n' "$w0" "$c0" "$((r0 / 1024))"
printf '| netfs-replay --html | %s | %s | %s | %s |\n' "$w1" "$c1" "$((r1 / 1024))" "$((size / 1024))"
echo
echo "The page draws $drawn requests one by one and has $details drill-downs; ${dens:-no requests are aggregated}."
if command -v valgrind > /dev/null; then
	head -n 300000 "$cap" > "$small"
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
			"$@" > /dev/null 2>&1 || true
		sed -n 's/^summary: //p;s/^totals: //p' "$WORK/callgrind.out" | head -1
	}
	i0=$(ir "$REPLAY" --fail-on none "$small")
	i1=$(ir "$REPLAY" --fail-on none --html "$WORK/small.html" "$small")
	rm -f "$WORK/small.html"
	echo
	echo "Instructions (callgrind, first 300,000 lines): $i0 without, $i1 with --html: $(awk -v a="$i0" -v b="$i1" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }') times."
fi
