#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh (make bench): how fast netfs-replay reads, and how much memory
# it needs, next to the tools people would otherwise use.  Writes
# bench/RESULTS.md.
#
#  1. a >= 10 M line text capture (bench/mkbig.sh) and its first half:
#     wc -l, grep -c netfs_, netfs-replay -- wall and CPU time, peak RSS;
#  2. every trace.dat of the corpus: netfs-replay vs trace-cmd report;
#  3. bench/dat-speed.sh: trace.dat start-up and records/s against
#     trace-cmd report, wc -l and grep -c (bench/DAT-SPEED.md);
#  4. with BIG_DAT and HALF_DAT (two recordings of bench/record-big-dat.sh):
#     bench/big-dat.sh, into bench/BIG-DAT.md;
#  5. 1,000 small captures: netfs-replay -j 2 against a shell loop
#     (bench/many.sh);
#  6. the exporter's CPU at a measured event rate, with and without
#     --listen, and its instruction counts (bench/exporter.sh).
#  7. --html on the big capture: time, memory, page size (bench/html.sh).
#  8. the Perfetto export on the big capture: time and size (bench/perfetto.sh).
#  9. netfs-top's live path (bench/top-overhead.sh) and one thread
#     against two (bench/threads.sh).
#
# Each timing is the best of $RUNS runs (default 3).  BIN= picks the
# binaries (default bin/), LINES= the size of the big capture.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
RUNS=${RUNS:-3}
LINES=${LINES:-10000000}
REPLAY=$BIN/netfs-replay
WORK=bench/work
OUT=bench/RESULTS.md
corpus=${NFT_CORPUS:-}
# bench/record-big-dat.sh's default places: /tmp/bigrig (BIG_PASSES=22) and
# /tmp/bigrig-half (BIG_PASSES=11)
BIG_DAT=${BIG_DAT:-$(ls /tmp/bigrig/corpus/*/bigloop.dat 2>/dev/null | head -1 || true)}
HALF_DAT=${HALF_DAT:-$(ls /tmp/bigrig-half/corpus/*/bigloop.dat 2>/dev/null | head -1 || true)}
for d in ../shared/corpus /work/shared/corpus; do
	[ -z "$corpus" ] && [ -d "$d" ] && corpus=$d
done

[ -x "$REPLAY" ] || { echo "bench: no $REPLAY (run make)" >&2; exit 2; }
mkdir -p "$WORK"
trap 'rm -f "$OUT.tmp"' EXIT

big=$WORK/big.txt
half=$WORK/half.txt
if [ ! -s "$big" ] || [ bench/mkbig.sh -nt "$big" ] ||
   [ "$(head -3 "$big" | sed -n 's/.*entries-written: [0-9]*\/\([0-9]*\).*/\1/p')" != "$LINES" ]; then
	bench/mkbig.sh "$LINES" "$big"
fi
if [ ! -s "$half" ] || [ "$big" -nt "$half" ]; then
	head -n $((LINES / 2 + 4)) "$big" > "$half"
fi

. bench/measure.sh

fmt_rate() {	# count seconds -> "1.23 M/s"
	awk -v n="$1" -v s="$2" 'BEGIN {
		if (s <= 0) { print "-"; exit }
		r = n / s
		if (r >= 1e6) printf "%.2f M/s", r / 1e6
		else printf "%.0f k/s", r / 1e3 }'
}

json_summary() {	# file -> "events other_events findings"
	{ "$REPLAY" --json "$1" 2> /dev/null || true; } | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["summary"]
print(s["events"], s["other_events"], len(d["findings"]))'
}

row() {	# label file lines events cmd...
	local label=$1 file=$2 nl=$3 ev=$4 m wall cpu rss evr=-
	shift 4
	m=$(measure "$@")
	read -r wall cpu rss <<< "$m"
	if [ "$ev" != - ]; then
		evr=$(fmt_rate "$ev" "$cpu")
	fi
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
		"$(basename "$file")" "$wall" "$cpu" \
		"$(fmt_rate "$nl" "$cpu")" \
		"$evr" \
		"$((rss / 1024))" "$(du -m "$file" | cut -f1)"
}

echo "bench: measuring (best of $RUNS)..." >&2
load=$(cut -d' ' -f1-3 /proc/loadavg)
big_lines=$(wc -l < "$big")
half_lines=$(wc -l < "$half")
read -r big_ev _ big_find <<< "$(json_summary "$big")"
read -r half_ev _ half_find <<< "$(json_summary "$half")"

{
	echo '<!-- SPDX-License-Identifier: GPL-2.0 -->'
	echo '# Benchmark results'
	echo
	echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
	echo
	echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
	echo "- kernel: $(uname -r); netfs-replay $("$REPLAY" --version | awk '{ print $2 }') at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo "- timing: best of $RUNS runs by CPU time (user + system); rates are per CPU second, because the machine may be shared: wall time is shown but depends on the load (load average at the start: $load); CPU time from getrusage (python3, wait4), peak RSS from GNU time %M"
	echo
	echo "## A large text capture"
	echo
	echo "\`$big\`: $big_lines lines, $big_ev netfs/fscache/cachefiles events, built by \`bench/mkbig.sh\` from every 6.12 and 7.2 text capture of the corpus, concatenated with ids and times shifted per copy. \`$half\` is its first half. netfs-replay finds $big_find findings in the whole ($half_find in the half): the corpus' own (failures of the killed cifs connections, the 6.12 bad-context WARNING), once per copy."
	echo
	echo '| command | input | wall s | CPU s | lines/s | events/s | peak RSS MiB | input MiB |'
	echo '|---|---|---|---|---|---|---|---|'
	row 'wc -l' "$big" "$big_lines" - wc -l "$big"
	SINK=$WORK/grep.out row 'grep -c netfs_' "$big" "$big_lines" - grep -c netfs_ "$big"
	row 'netfs-replay' "$big" "$big_lines" "$big_ev" "$REPLAY" "$big"
	row 'netfs-replay --json' "$big" "$big_lines" "$big_ev" "$REPLAY" --json "$big"
	row 'netfs-replay' "$half" "$half_lines" "$half_ev" "$REPLAY" "$half"
	echo
	echo 'Compare the peak RSS of the whole and of the half: finished requests are dropped, so memory should stay flat as the capture grows; a difference between the two rows is state that grows with the length of the capture.'
	echo
	if [ -n "$corpus" ] && command -v trace-cmd > /dev/null; then
		echo "## trace.dat: netfs-replay vs trace-cmd report"
		echo
		echo "Every \`.dat\` of \`$corpus\`; \`trace-cmd report -i X.dat > /dev/null\` against \`netfs-replay X.dat > /dev/null\`. Times are CPU seconds (user + system), best of $RUNS; both carry a fixed start-up cost (trace-cmd and libtracecmd read the kallsyms, printk formats and event formats of the file, ~1-2 MB even for a few records), so small captures measure mostly that. The ratio is trace-cmd / netfs-replay (above 1: netfs-replay is faster)."
		echo
		echo '| kernel | capture | records | trace-cmd report CPU s | netfs-replay CPU s | ratio | netfs-replay peak RSS MiB |'
		echo '|---|---|---|---|---|---|---|'
		tot_t=0
		tot_r=0
		for dat in "$corpus"/*/*.dat; do
			k=$(basename "$(dirname "$dat")")
			recs=$({ "$REPLAY" "$dat" 2> /dev/null || true; } | sed -n 's/^input: .*(trace.dat, \([0-9]*\) records.*/\1/p')
			read -r _ tc _ <<< "$(measure trace-cmd report -i "$dat")"
			read -r _ nr rss <<< "$(measure "$REPLAY" "$dat")"
			tot_t=$(awk -v a="$tot_t" -v b="$tc" 'BEGIN { print a + b }')
			tot_r=$(awk -v a="$tot_r" -v b="$nr" 'BEGIN { print a + b }')
			printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${k%%-*}" \
				"$(basename "$dat" .dat)" "${recs:-?}" "$tc" "$nr" \
				"$(awk -v a="$tc" -v b="$nr" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')" \
				"$((rss / 1024))"
		done
		printf '| **all** | %s captures | | %s | %s | %s | |\n' \
			"$(find "$corpus" -name '*.dat' | wc -l)" "$tot_t" "$tot_r" \
			"$(awk -v a="$tot_t" -v b="$tot_r" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')"
	else
		echo "(no corpus or no trace-cmd: trace.dat comparison skipped)"
	fi
	echo
	echo "## trace.dat start-up and records/s (issue 12)"
	echo
	if [ -n "$corpus" ] && command -v trace-cmd > /dev/null &&
	   BIN="$BIN" NFT_CORPUS="$corpus" bench/dat-speed.sh >&2; then
		echo "Measured now by bench/dat-speed.sh (also in [DAT-SPEED.md](DAT-SPEED.md)):"
	else
		echo "(no corpus or no trace-cmd: the last measurement, kept in [DAT-SPEED.md](DAT-SPEED.md))"
	fi
	echo
	sed '1,3d' bench/DAT-SPEED.md | sed 's/^## /### /'
	echo
	echo "## Large real trace.dat files"
	echo
	if [ -r "$BIG_DAT" ] && [ -r "$HALF_DAT" ]; then
		BIN="$BIN" bench/big-dat.sh "$BIG_DAT" "$HALF_DAT" >&2
		echo "Measured now by bench/big-dat.sh on \`$BIG_DAT\` and \`$HALF_DAT\` (also in [BIG-DAT.md](BIG-DAT.md)):"
	else
		echo "The two recordings bench/record-big-dat.sh makes (BIG_DAT=, HALF_DAT=) are not here, so this is the last measurement, kept in [BIG-DAT.md](BIG-DAT.md):"
	fi
	echo
	# its body, without the SPDX line, the title and the blank line after it
	sed '1,3d' bench/BIG-DAT.md
	echo
	BIN="$BIN" RUNS="$RUNS" NFT_CORPUS="$corpus" bench/perfetto.sh "$big"
	echo
	echo "## netfs-top live path"
	echo
	echo "Decode + model + detectors + aggregation per event on the live path (issue 12 goal 4: >= 5 M events/s per core): the records of corpus trace.dat files cut back into ring-buffer pages and fed through the live decoder's page walk (decoders/live.c), decoders/tep_event.c, the model and the netfs-top aggregator (\`netfs-top --bench-pages\`, pinned to one core, best of $RUNS; \"with set-up\" adds a new model per round). Instructions per record: callgrind, not affected by the load of the machine (BEFORE=dir/bin adds another build's columns). How the path got there: [ISSUE-12.md](ISSUE-12.md)."
	echo
	if [ -d "$corpus" ]; then
		NFT_BIN="$BIN" CORPUS="$corpus" RUNS="$RUNS" BEFORE="${BEFORE:-}" bench/top-overhead.sh
	else
		echo "(no corpus: skipped)"
	fi
	echo
	echo "## Both cores: decoder and model on two threads (issue 12)"
	echo
	echo "netfs-replay with the model on a second thread fed batches of decoded events (libnetfs-trace/pipeline.c) against one thread (NETFS_TRACE_THREADS=1 / 0) by bench/threads.sh; by default the second thread is used only past 50,000 events with an idle CPU. What the split can give and why: [ISSUE-12.md](ISSUE-12.md)."
	echo
	BIN="$BIN" NFT_CORPUS="$corpus" BIG_DAT="${BIG_DAT:-}" REPS="$RUNS" bench/threads.sh || echo "(bench/threads.sh failed)"
	echo
	echo "## Exporter overhead (issue 14)"
	echo
	if [ -d "$corpus" ]; then
		BIN="$BIN" RUNS="$RUNS" NFT_CORPUS="$corpus" bench/exporter.sh
	else
		echo "(no corpus: skipped)"
	fi
	echo
	echo "## Many captures: netfs-replay -j (issue 12)"
	echo
	if [ -d "$corpus" ]; then
		BIN="$BIN" CORPUS="$corpus" RUNS="$RUNS" bench/many.sh
	else
		echo "(no corpus: skipped)"
	fi
	echo
	BIN="$BIN" RUNS="$RUNS" WORK="$WORK" bench/html.sh "$big"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "bench: wrote $OUT" >&2
