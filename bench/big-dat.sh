#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/big-dat.sh FULL.dat HALF.dat: netfs-replay against trace-cmd report
# on two large real trace.dat recordings made by bench/record-big-dat.sh
# (HALF: the same workload with half the passes), and peak RSS of both, to
# show whether memory stays flat as a capture grows.  Writes bench/BIG-DAT.md.
# make bench runs it when BIG_DAT and HALF_DAT name the two files (or the
# default recordings of record-big-dat.sh exist).
#
# Rows: trace-cmd report; netfs-replay; netfs-replay reading the cpu data
# through libtracecmd (NETFS_REPLAY_DAT_READER=libtracecmd), which is what
# netfs-replay did before decoders/dat_zcpu.c.  RUNS (default 2) each.
set -euo pipefail
cd "$(dirname "$0")/.."
FULL=${1:?usage: bench/big-dat.sh FULL.dat HALF.dat}
HALF=${2:?usage: bench/big-dat.sh FULL.dat HALF.dat}
BIN=${BIN:-bin}
RUNS=${RUNS:-2}
REPLAY=$BIN/netfs-replay
OUT=bench/BIG-DAT.md
. bench/measure.sh

info() {	# file -> "records lost RA"
	"$REPLAY" --json --fail-on none "$1" 2> /dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["summary"]
print(s["events"] + s["other_events"], s.get("lost_events", 0),
      s["requests_by_origin"].get("RA", 0), len(d["findings"]))'
}

name() {	# full or half, as given
	[ "$1" = "$FULL" ] && echo "full ($(basename "$1"))" || echo "half ($(basename "$1"))"
}

row() {	# label file records cmd...; sets CPU
	local label=$1 file=$2 recs=$3 wall rss
	shift 3
	read -r wall CPU rss <<< "$(measure "$@")"
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" \
		"$(name "$file")" "$recs" "$CPU" "$wall" \
		"$(awk -v n="$recs" -v s="$CPU" 'BEGIN { if (s > 0) printf "%.2f M/s", n / s / 1e6; else print "-" }')" \
		"$((rss / 1024))"
}

uncompressed() {	# what trace-cmd wrote about its cpu data
	local out=${1%.dat}.out
	[ -r "$out" ] && awk '/uncompressed/ { gsub(/[(]/, ""); s += $5 } END { if (s) printf "%.1f MB", s / 1e6 }' "$out"
}

echo "bench: big trace.dat (best of $RUNS)..." >&2
read -r f_recs f_lost f_ra f_find <<< "$(info "$FULL")"
read -r h_recs h_lost h_ra h_find <<< "$(info "$HALF")"
{
	echo '<!-- SPDX-License-Identifier: GPL-2.0 -->'
	echo '# Large real trace.dat files'
	echo
	echo "Written by \`bench/big-dat.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (netfs-replay at git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)). Times: CPU seconds (user + system), best of $RUNS; wall seconds of that run; peak RSS from GNU time %M."
	echo
	echo "How they were made: \`bench/record-big-dat.sh\` (copies \`../shared/rig\`, patches in the \`bigloop\` workload, reuses the trixie .deb of tests/kernel/cache): Debian trixie kernel $(cat "$(dirname "$FULL")/uname-r" 2>/dev/null || echo 6.12) under qemu TCG, \`rig/capture.sh 612 --no-smb --no-cachefiles\`. A 256 MiB random file on the 9p share is read in the guest on the \`cache=loose\` mount, once per pass, under one \`trace-cmd record -e netfs -e fscache -e cachefiles -b 262144\`; each pass is \`sync; echo 3 > /proc/sys/vm/drop_caches; dd if=/mnt/t/big256 of=/dev/null bs=1M\`. The full recording has BIG_PASSES=22, the half BIG_PASSES=11: two recordings of their own, not one cut in two."
	echo
	echo '| file | size | cpu data uncompressed | records | lost | readahead requests | findings |'
	echo '|---|---|---|---|---|---|---|'
	for f in "$FULL" "$HALF"; do
		read -r r l ra fi <<< "$(info "$f")"
		printf '| %s | %s MiB | %s | %s | %s | %s | %s |\n' "$(name "$f")" \
			"$(du -m "$f" | cut -f1)" "$(uncompressed "$f" || echo '?')" "$r" "$l" "$ra" "$fi"
	done
	echo
	echo '| command | input | records | CPU s | wall s | records per CPU s | peak RSS MiB |'
	echo '|---|---|---|---|---|---|---|'
	ratios=
	for f in "$FULL" "$HALF"; do
		read -r recs _ <<< "$(info "$f")"
		row 'trace-cmd report > /dev/null' "$f" "$recs" trace-cmd report -i "$f"
		tc=$CPU
		row 'netfs-replay' "$f" "$recs" "$REPLAY" "$f"
		ratios="$ratios $(name "$f"): $(awk -v a="$tc" -v b="$CPU" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }');"
		row 'netfs-replay, cpu data through libtracecmd' "$f" "$recs" \
			env NETFS_REPLAY_DAT_READER=libtracecmd "$REPLAY" "$f"
	done
	echo
	echo "trace-cmd report / netfs-replay in CPU time:${ratios%;}."
	echo
	echo "Peak RSS is flat when the full and the half rows of a command agree. libtracecmd 3.1 keeps every chunk of cpu data it decompressed until the file is closed (its free_zpage() never matches the chunk a page came from), so reading the cpu data through it needs memory for all of it, and every page lookup walks that growing cache; trace-cmd report shows the same. netfs-replay reads compressed cpu data one chunk per cpu at a time (decoders/dat_zcpu.c) and gives the same analysis (tests/bats/tracedat-reader.bats)."
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "bench: wrote $OUT" >&2
