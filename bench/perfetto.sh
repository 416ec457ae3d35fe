#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/perfetto.sh [CAPTURE]: what --perfetto costs (make bench runs it
# from bench/run.sh on the large text capture; default bench/work/big.txt,
# built by bench/mkbig.sh).  Prints a markdown section: CPU time and peak
# RSS of netfs-replay -q with and without --perfetto (best of $RUNS), the
# size of the .pftrace, and -- with valgrind and a corpus -- the ratio of
# instruction counts (callgrind) on a real capture, which does not depend on
# the load of a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
REPLAY=$BIN/netfs-replay
RUNS=${RUNS:-3}
big=${1:-bench/work/big.txt}
corpus=${NFT_CORPUS:-../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -s "$big" ] || bench/mkbig.sh "${LINES:-10000000}" "$big" >&2
. bench/measure.sh

lines=$(wc -l < "$big")
read -r w0 c0 r0 <<< "$(measure "$REPLAY" -q "$big")"
read -r w1 c1 r1 <<< "$(measure "$REPLAY" -q --perfetto "$work/big.pftrace" "$big")"
size=$(stat -c %s "$work/big.pftrace")
reqs=$("$REPLAY" --json --fail-on none "$big" 2> /dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["requests"])')

echo "## Perfetto export (--perfetto)"
echo
echo "\`netfs-replay -q\` with and without \`--perfetto FILE\` on \`$big\` ($lines lines, $reqs requests); best of $RUNS by CPU time; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo '| run | wall s | CPU s | peak RSS MiB | output |'
echo '|---|---|---|---|---|'
printf '| netfs-replay -q | %s | %s | %s | - |\n' "$w0" "$c0" "$((r0 / 1024))"
printf '| netfs-replay -q --perfetto | %s | %s | %s | %s MiB (%s bytes a request) |\n' \
	"$w1" "$c1" "$((r1 / 1024))" \
	"$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')" \
	"$(awk -v s="$size" -v r="$reqs" 'BEGIN { if (r > 0) printf "%.0f", s / r; else print "-" }')"
printf '\nExport time: %s CPU s over the analysis alone (x%s).\n' \
	"$(awk -v a="$c1" -v b="$c0" 'BEGIN { printf "%.2f", a - b }')" \
	"$(awk -v a="$c1" -v b="$c0" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
cap=$(ls "$corpus"/7.2*/smb_seqread.dat 2> /dev/null | head -1 || true)
if command -v valgrind > /dev/null && [ -n "$cap" ]; then
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$@" \
			> /dev/null 2> "$work/cg.err" || true
		sed -n 's/^summary: *//p' "$work/cg" | head -1
	}
	i0=$(ir "$REPLAY" -q "$cap")
	i1=$(ir "$REPLAY" -q --perfetto "$work/cap.pftrace" "$cap")
	echo
	printf 'Instructions (callgrind) on `%s`: %s without, %s with --perfetto (x%s).\n' \
		"$cap" "$i0" "$i1" \
		"$(awk -v a="$i1" -v b="$i0" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
fi
if command -v protoc > /dev/null; then
	"$REPLAY" -q --perfetto "$work/big.pftrace" "$big" > /dev/null 2>&1 || true
	dec=no
	protoc -I tests/perfetto --decode=perfetto.protos.Trace perfetto_trace.proto \
		< "$work/big.pftrace" > /dev/null 2>&1 && dec=yes
	chk=no
	python3 tests/tools/pftrace-check.py "$work/big.pftrace" > "$work/chk" 2>&1 && chk=yes
	echo
	printf 'The file decodes with `protoc --decode=perfetto.protos.Trace tests/perfetto/perfetto_trace.proto`: %s; tests/tools/pftrace-check.py (descriptors first, slices close and nest, time monotonic per track, flows with two ends): %s (%s).\n' \
		"$dec" "$chk" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%d packets, %d tracks, %d request tracks, %d flows, %d findings" % (d["packets"], d["tracks"], sum(len(v) for v in d["requests"].values()), d["flows"], len(d["findings"])))' "$work/chk" 2>/dev/null || echo '?')"
fi
