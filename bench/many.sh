#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/many.sh: CI triage at scale (issue 12, goal 5).  1,000 small real
# captures made from the corpus -- every small trace.dat (<= 2 MB) as it is,
# and every text capture cut into pieces of PIECE lines, some of the pieces
# xz- or gzip-compressed -- analysed by one `netfs-replay -j 2 FILE...`
# against a shell loop running `netfs-replay FILE` once per capture, in the
# same run, as a ratio.  Also -j 1 (one process, one capture after the
# other: what the fork-per-capture saves over exec alone) and the default
# -j (the number of CPUs).  Checks that the reports are the same as the
# loop's, byte for byte.  Prints a Markdown section on stdout.
#
# CORPUS= the corpus (default ../shared/corpus), N= how many captures
# (1000), PIECE= lines per text piece (400), RUNS= best of (3), BIN=.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
REPLAY=$BIN/netfs-replay
N=${N:-1000}
PIECE=${PIECE:-400}
RUNS=${RUNS:-3}
corpus=${CORPUS:-${NFT_CORPUS:-}}
for d in ../shared/corpus /work/shared/corpus; do
	[ -z "$corpus" ] && [ -d "$d" ] && corpus=$d
done
[ -d "$corpus" ] || { echo "bench/many.sh: no corpus" >&2; exit 2; }
[ -x "$REPLAY" ] || { echo "bench/many.sh: no $REPLAY (run make)" >&2; exit 2; }
dir=bench/work/many
list=$dir/LIST

# ---- the captures (kept between runs) ----
if [ ! -s "$list" ] || [ "$(wc -l < "$list")" -ne "$N" ] ||
   [ "$(cat "$dir/PIECE" 2>/dev/null)" != "$PIECE" ] || [ "$0" -nt "$list" ]; then
	echo "bench/many.sh: making $N captures in $dir..." >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "$PIECE" > "$dir/PIECE"
	: > "$list.tmp"
	for f in "$corpus"/*/*.dat; do
		[ "$(stat -c %s "$f")" -le $((2 << 20)) ] || continue
		k=$(basename "$(dirname "$f")")
		cp "$f" "$dir/${k%%-*}-$(basename "$f")"
		echo "$dir/${k%%-*}-$(basename "$f")" >> "$list.tmp"
	done
	i=0
	for f in "$corpus"/*/*.txt "$corpus"/*/*.txt.xz; do
		# the captures: each workload's text has its .dat next to it
		[ -e "${f%.txt*}.dat" ] || continue
		k=$(basename "$(dirname "$f")")
		b=${k%%-*}-$(basename "${f%.xz}" .txt)
		xz -dcf "$f" | split -l "$PIECE" -d -a 3 - "$dir/$b."
		for p in "$dir/$b".[0-9][0-9][0-9]; do
			i=$((i + 1))
			case $((i % 6)) in
			0) xz -0 -T1 "$p"; p=$p.xz ;;
			3) gzip -1 "$p"; p=$p.gz ;;
			esac
			echo "$p" >> "$list.tmp"
		done
	done
	# N of them, the trace.dat files and an even spread of the pieces
	total=$(wc -l < "$list.tmp")
	[ "$total" -ge "$N" ] || { echo "bench/many.sh: only $total captures (lower PIECE=)" >&2; exit 2; }
	awk -v n="$N" -v t="$total" 'NR == FNR { if (/\.dat$/) d++; next }
		/\.dat$/ { print; next }
		{ k++; if (int(k * (n - d) / (t - d)) != int((k - 1) * (n - d) / (t - d))) print }' \
		"$list.tmp" "$list.tmp" > "$list"
	mv "$list.tmp" "$dir/ALL"
fi
mapfile -t caps < "$list"
ndat=$(grep -c '\.dat$' "$list" || true)
nxz=$(grep -c '\.xz$' "$list" || true)
ngz=$(grep -c '\.gz$' "$list" || true)
mib=$(du -cm "${caps[@]}" | tail -1 | cut -f1)

# ---- timings: wall and CPU (user + system of every process) ----
# best of RUNS by wall time: the point is how long CI waits
t1() {	# CMD... -> "wall cpu"
	python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.3f" % (w, r.ru_utime + r.ru_stime))
EOF
}
best() {
	local i
	for ((i = 0; i < RUNS; i++)); do
		t1 "$@"
	done | sort -k1,1n | head -1
}
loop='for f in "$@"; do "$R" "$f"; done; true'
ncpu=$(getconf _NPROCESSORS_ONLN)
export R=$REPLAY
read -r lw lc <<< "$(best bash -c "$loop" loop "${caps[@]}")"
read -r j2w j2c <<< "$(best "$REPLAY" -j 2 "${caps[@]}")"
read -r j1w j1c <<< "$(best "$REPLAY" -j 1 "${caps[@]}")"
read -r jdw jdc <<< "$(best "$REPLAY" "${caps[@]}")"
read -r jsw jsc <<< "$(best "$REPLAY" --json -j 2 "${caps[@]}")"

# ---- the same reports as one by one? ----
bash -c 'for f in "$@"; do "$R" "$f" 2>&1; done; true' loop "${caps[@]}" > "$dir/loop.out"
"$REPLAY" -j 2 "${caps[@]}" > "$dir/j2.out" 2>&1 || true
if cmp -s "$dir/loop.out" "$dir/j2.out"; then
	same="identical (stdout and stderr, $(wc -l < "$dir/j2.out") lines)"
else
	same="**DIFFERENT** (see $dir/loop.out, $dir/j2.out)"
fi
set +e
"$REPLAY" -j 2 "${caps[@]}" > /dev/null 2>&1
worst=$?
set -e
statuses=$(for f in "${caps[@]}"; do "$REPLAY" -q "$f" > /dev/null 2>&1; echo $?; done |
	sort | uniq -c | awk '{ printf "%s%d x exit %d", s, $1, $2; s = ", " }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
echo "$N captures in \`$dir\` (${mib} MiB), made by \`bench/many.sh\` from \`$corpus\`: $ndat trace.dat files of at most 2 MB as they are, and $((N - ndat)) pieces of $PIECE lines cut from every text capture ($nxz of them xz-, $ngz gzip-compressed). Exit statuses one by one: $statuses; \`-j 2\` on all of them exits $worst (the worst). Wall and CPU seconds (user + system of every process), best of $RUNS by wall time, on $ncpu CPUs (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)). Ratio: the shell loop's wall time over the row's."
echo
echo '| command | wall s | CPU s | wall ratio (loop / this) |'
echo '|---|---|---|---|'
echo "| \`for f in ...; do netfs-replay \$f; done\` | $lw | $lc | 1.0 |"
echo "| \`netfs-replay -j 1 ...\` | $j1w | $j1c | $(ratio "$lw" "$j1w") |"
echo "| \`netfs-replay -j 2 ...\` | $j2w | $j2c | **$(ratio "$lw" "$j2w")** |"
echo "| \`netfs-replay ...\` (default -j $ncpu) | $jdw | $jdc | $(ratio "$lw" "$jdw") |"
echo "| \`netfs-replay --json -j 2 ...\` | $jsw | $jsc | $(ratio "$lw" "$jsw") |"
echo
echo "Reports of \`-j 2\` against the loop's: $same."
