#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/threads.sh (issue 12, goal 3): netfs-replay on two threads -- the
# decoder where it was, the model and its detectors on a second thread fed
# batches of decoded events (libnetfs-trace/pipeline.c) -- against one
# thread, on large captures: a text capture (bench/mkbig.sh), the 7.2
# seqread trace.dat grown to 20 copies (bench/grow-dat.py, uncompressed
# v6, read through libtracecmd) and its zstd copy (v7, read by
# decoders/dat_zcpu.c); BIG_DAT= adds a real large recording
# (bench/record-big-dat.sh).  NETFS_TRACE_THREADS=0 forces one thread,
# =1 two.  The runs of both alternate, $REPS each; medians of wall and
# CPU (user + system) seconds.  Wall ratio: one thread / two (the speed-up);
# CPU ratio: two / one (what the hand-over costs).  The reports of both,
# text and --json, are compared byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
REPS=${REPS:-5}
WORK=bench/work
REPLAY=$BIN/netfs-replay
corpus=${NFT_CORPUS:-}
for d in ../shared/corpus /work/shared/corpus; do
	[ -z "$corpus" ] && [ -d "$d" ] && corpus=$d
done
. bench/measure.sh
mkdir -p "$WORK"

inputs=()
txt=$WORK/big3m.txt
[ -s "$txt" ] || bench/mkbig.sh 3000000 "$txt" >&2
inputs+=("$txt")
if [ -n "$corpus" ] && command -v trace-cmd >/dev/null; then
	v6=$WORK/seqread-v6.dat
	big=$WORK/grown-20.dat
	zbig=$WORK/grown-20-zstd.dat
	seq=$(ls "$corpus"/7.2*/seqread.dat | head -1)
	[ -s "$v6" ] || trace-cmd convert --file-version 6 --compression none -i "$seq" -o "$v6" >/dev/null 2>&1
	[ -s "$big" ] || python3 bench/grow-dat.py "$v6" "$big" 20
	[ -s "$zbig" ] || trace-cmd convert --compression zstd -i "$big" -o "$zbig" >/dev/null 2>&1 || true
	inputs+=("$big")
	[ -s "$zbig" ] && inputs+=("$zbig")
fi
[ -n "${BIG_DAT:-}" ] && [ -r "$BIG_DAT" ] && inputs+=("$BIG_DAT")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs online. Medians of $REPS alternating runs of each."
echo
echo "| input | events | one thread: wall s | CPU s | two threads: wall s | CPU s | wall ratio (speed-up) | CPU ratio | reports identical |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in "${inputs[@]}"; do
	ev=$({ "$REPLAY" --json "$f" 2>/dev/null || true; } | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["events"])' 2>/dev/null || echo '?')
	same=yes
	for o in "" --json; do
		a=$({ NETFS_TRACE_THREADS=0 "$REPLAY" $o "$f" 2>&1 || true; } | md5sum)
		b=$({ NETFS_TRACE_THREADS=1 "$REPLAY" $o "$f" 2>&1 || true; } | md5sum)
		[ "$a" = "$b" ] || same=NO
	done
	: > "$WORK/t1" ; : > "$WORK/t2"
	for ((i = 0; i < REPS; i++)); do
		measure1 env NETFS_TRACE_THREADS=0 "$REPLAY" "$f" >> "$WORK/t1"
		measure1 env NETFS_TRACE_THREADS=1 "$REPLAY" "$f" >> "$WORK/t2"
	done
	w1=$(awk '{print $1}' "$WORK/t1" | median); c1=$(awk '{print $2}' "$WORK/t1" | median)
	w2=$(awk '{print $1}' "$WORK/t2" | median); c2=$(awk '{print $2}' "$WORK/t2" | median)
	printf '| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %s |\n' "$(basename "$f")" "$ev" \
		"$w1" "$c1" "$w2" "$c2" \
		"$(awk -v a="$w1" -v b="$w2" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
		"$(awk -v a="$c2" -v b="$c1" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$same"
done
rm -f "$WORK/t1" "$WORK/t2"
