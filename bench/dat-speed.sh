#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/dat-speed.sh (part of make bench; issue 12): trace.dat start-up
# and records per second, side by side with trace-cmd report, wc -l and
# grep -c in the same run, as ratios.  Writes bench/DAT-SPEED.md.
#
#  1. start-up: every corpus trace.dat of at most 10,000 records and the
#     7.2 seqread capture (wall, median of $REPS
#     runs, timed with a monotonic clock: /usr/bin/time's 10 ms steps are
#     too coarse), next to trace-cmd report on the same file and wc -l /
#     grep -c on the text capture of the same run;
#  2. records/s: a large trace.dat grown from the 7.2 seqread capture by
#     bench/grow-dat.py ($GROW copies), and its trace-cmd report text, read
#     by netfs-replay, wc -l and grep -c; peak RSS at 2 and $GROW copies.
#
# BEFORE=DIR adds a column for the netfs-replay in DIR (an older build).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
REPS=${REPS:-9}
GROW=${GROW:-20}
REPLAY=$BIN/netfs-replay
BEFORE=${BEFORE:-}
WORK=bench/work
OUT=bench/DAT-SPEED.md
corpus=${NFT_CORPUS:-}
for d in ../shared/corpus /work/shared/corpus; do
	[ -z "$corpus" ] && [ -d "$d" ] && corpus=$d
done
[ -n "$corpus" ] || { echo "dat-speed: no corpus" >&2; exit 2; }
command -v trace-cmd > /dev/null || { echo "dat-speed: no trace-cmd" >&2; exit 2; }
mkdir -p "$WORK"
. bench/measure.sh

# timeit CMD...: "median_wall_s median_cpu_s max_rss_kb" over $REPS runs
timeit() {
	python3 - "$REPS" "$@" <<'PY'
import os, sys, time
reps = int(sys.argv[1]); cmd = sys.argv[2:]
walls, cpus, rss = [], [], 0
for _ in range(reps):
    null = os.open(os.devnull, os.O_WRONLY)
    t = time.perf_counter()
    # posix_spawn (a vfork): a forked interpreter would count in the peak RSS
    pid = os.posix_spawnp(cmd[0], cmd, os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, null, 1),
                                        (os.POSIX_SPAWN_DUP2, null, 2)])
    _, status, ru = os.wait4(pid, 0)
    os.close(null)
    walls.append(time.perf_counter() - t)
    cpus.append(ru.ru_utime + ru.ru_stime)
    rss = max(rss, ru.ru_maxrss)
walls.sort(); cpus.sort()
print("%.4f %.4f %d" % (walls[len(walls) // 2], cpus[len(cpus) // 2], rss))
PY
}
# timeit, with the peak RSS measured by GNU time (see bench/measure.sh)
timeit_rss() {
	local r
	r=$(timeit "$@")
	echo "${r% *} $(SINK=/dev/null peak_rss "$@")"
}
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f M/s", n / s / 1e6; else print "-" }'; }
records() { { "$1" "$2" 2> /dev/null || true; } | sed -n 's/^input: .*(trace.dat, \([0-9]*\) records.*/\1/p'; }

echo "dat-speed: start-up..." >&2
{
echo '<!-- SPDX-License-Identifier: GPL-2.0 -->'
echo '# trace.dat speed (issue 12)'
echo
echo "Written by bench/dat-speed.sh on $(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) CPUs shared with other work (load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)), so wall times are medians of $REPS runs."
echo
echo "## Start-up: small trace.dat files"
echo
echo "Wall ms, median of $REPS. \`trace-cmd report\`, \`wc -l\` and \`grep -c netfs_\` measured in the same run; \`wc -l\` and \`grep -c\` read the text capture (.txt.xz unpacked) of the same run. Ratio: trace-cmd report / netfs-replay (goal: >= 8, and netfs-replay <= 30 ms)."
echo
if [ -n "$BEFORE" ]; then
	echo '| capture | records | netfs-replay ms | before ms | trace-cmd report ms | ratio | wc -l ms | grep -c ms |'
	echo '|---|---|---|---|---|---|---|---|'
else
	echo '| capture | records | netfs-replay ms | trace-cmd report ms | ratio | wc -l ms | grep -c ms |'
	echo '|---|---|---|---|---|---|---|'
fi
# every corpus trace.dat of at most 10,000 records (the goal's), then the
# 7.2 seqread capture (81,410) as a larger reference
small=0 met=0 worst=
longest=0
list=
for dat in $(ls "$corpus"/*/*.dat | sort); do
	recs=$(records "$REPLAY" "$dat")
	[ "${recs:-0}" -le 10000 ] && list="$list $dat"
done
list="$list $(ls "$corpus"/7.2*/seqread.dat 2> /dev/null | head -1)"
for dat in $list; do
	[ -r "$dat" ] || continue
	k=$(basename "$(dirname "$dat")")
	name="${k%%-*}/$(basename "$dat" .dat)"
	recs=$(records "$REPLAY" "$dat")
	txt=$WORK/$(basename "$dat" .dat)-${k%%-*}.txt
	if [ -r "${dat%.dat}.txt.xz" ]; then
		xz -dc "${dat%.dat}.txt.xz" > "$txt"
	else
		trace-cmd report -i "$dat" > "$txt" 2> /dev/null || true
	fi
	read -r nw _ _ <<< "$(timeit "$REPLAY" "$dat")"
	read -r tw _ _ <<< "$(timeit trace-cmd report -i "$dat")"
	read -r ww _ _ <<< "$(timeit wc -l "$txt")"
	read -r gw _ _ <<< "$(timeit sh -c "grep -c netfs_ '$txt' > '$WORK/grep.out'")"
	if [ -n "$BEFORE" ]; then
		read -r bw _ _ <<< "$(timeit "$BEFORE/netfs-replay" "$dat")"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$recs" \
			"$(ms "$nw")" "$(ms "$bw")" "$(ms "$tw")" "$(ratio "$tw" "$nw")" \
			"$(ms "$ww")" "$(ms "$gw")"
	else
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$recs" \
			"$(ms "$nw")" "$(ms "$tw")" "$(ratio "$tw" "$nw")" \
			"$(ms "$ww")" "$(ms "$gw")"
	fi
	rm -f "$txt"
	if [ "${recs:-0}" -le 10000 ]; then
		small=$((small + 1))
		r=$(ratio "$tw" "$nw")
		if awk -v r="$r" -v w="$nw" 'BEGIN { exit !(r >= 8 && w <= 0.030) }'; then
			met=$((met + 1))
		fi
		if [ -z "$worst" ] || awk -v r="$r" -v w="${worst%% *}" 'BEGIN { exit !(r < w) }'; then
			worst="$r $name"
		fi
		longest=$(awk -v a="$longest" -v b="$nw" 'BEGIN { print (b > a ? b : a) }')
	fi
done
echo
echo "Goal 1 (at most 10,000 records: >= 8x trace-cmd report and <= 30 ms): met by $met of $small corpus trace.dat files; lowest ratio ${worst%% *} (${worst#* }), longest run $(ms "$longest") ms."
echo

echo "dat-speed: records/s..." >&2
seq=$(ls "$corpus"/7.2*/seqread.dat | head -1)
v6=$WORK/seqread-v6.dat
big=$WORK/grown-$GROW.dat
two=$WORK/grown-2.dat
bigtxt=$WORK/grown-$GROW.txt
[ -s "$v6" ] || trace-cmd convert --file-version 6 --compression none -i "$seq" -o "$v6" > /dev/null 2>&1
[ -s "$big" ] || python3 bench/grow-dat.py "$v6" "$big" "$GROW"
[ -s "$two" ] || python3 bench/grow-dat.py "$v6" "$two" 2
[ -s "$bigtxt" ] || trace-cmd report -i "$big" > "$bigtxt" 2> /dev/null
recs=$(records "$REPLAY" "$big")
lines=$(wc -l < "$bigtxt")
REPS=3
echo "## Records per second: a large trace.dat"
echo
echo "\`$big\`: the 7.2 \`seqread\` capture ($(records "$REPLAY" "$seq") records) converted to an uncompressed v6 file and grown by \`bench/grow-dat.py\` to $GROW copies, each moved later in time: $recs records, $(du -m "$big" | cut -f1) MiB (the events repeat, so this is a load, not an analysis). The text is \`trace-cmd report\` of the same file ($lines lines). CPU seconds, median of $REPS; rates per CPU second (netfs-replay's include its start-up). Ratios: the other command's CPU time / netfs-replay on the .dat."
echo
echo '| command | input | CPU s | records/s | peak RSS MiB | ratio |'
echo '|---|---|---|---|---|---|'
read -r _ nc nr <<< "$(timeit_rss "$REPLAY" "$big")"
printf '| netfs-replay | %s | %s | %s | %s | 1.0 |\n' "$(basename "$big")" "$nc" "$(rate "$recs" "$nc")" "$((nr / 1024))"
read -r _ lc lr <<< "$(timeit_rss env NETFS_REPLAY_DAT_RAW=0 "$REPLAY" "$big")"
printf '| netfs-replay, libtracecmd'"'"'s reader (NETFS_REPLAY_DAT_RAW=0) | %s | %s | %s | %s | %s |\n' "$(basename "$big")" "$lc" "$(rate "$recs" "$lc")" "$((lr / 1024))" "$(ratio "$lc" "$nc")"
if [ -n "$BEFORE" ]; then
	read -r _ bc br <<< "$(timeit_rss "$BEFORE/netfs-replay" "$big")"
	printf '| netfs-replay (before) | %s | %s | %s | %s | %s |\n' "$(basename "$big")" "$bc" "$(rate "$recs" "$bc")" "$((br / 1024))" "$(ratio "$bc" "$nc")"
fi
read -r _ tc tr <<< "$(timeit_rss trace-cmd report -i "$big")"
printf '| trace-cmd report | %s | %s | %s | %s | %s |\n' "$(basename "$big")" "$tc" "$(rate "$recs" "$tc")" "$((tr / 1024))" "$(ratio "$tc" "$nc")"
read -r _ xc xr <<< "$(timeit_rss "$REPLAY" "$bigtxt")"
printf '| netfs-replay (text) | %s | %s | %s | %s | %s |\n' "$(basename "$bigtxt")" "$xc" "$(rate "$lines" "$xc")" "$((xr / 1024))" "$(ratio "$xc" "$nc")"
read -r _ wc wr <<< "$(timeit_rss wc -l "$bigtxt")"
printf '| wc -l | %s | %s | %s | %s | %s |\n' "$(basename "$bigtxt")" "$wc" "$(rate "$lines" "$wc")" "$((wr / 1024))" "$(ratio "$wc" "$nc")"
read -r _ gc gr <<< "$(timeit_rss sh -c "grep -c netfs_ '$bigtxt' > '$WORK/grep.out'")"
printf '| grep -c netfs_ | %s | %s | %s | %s | %s |\n' "$(basename "$bigtxt")" "$gc" "$(rate "$lines" "$gc")" "$((gr / 1024))" "$(ratio "$gc" "$nc")"
zbig=$WORK/grown-$GROW-zstd.dat
[ -s "$zbig" ] || trace-cmd convert --compression zstd -i "$big" -o "$zbig" > /dev/null 2>&1 || true
if [ -s "$zbig" ]; then
	read -r _ zc zr <<< "$(timeit_rss "$REPLAY" "$zbig")"
	printf '| netfs-replay | %s (v7, zstd) | %s | %s | %s | %s |\n' "$(basename "$zbig")" "$zc" "$(rate "$recs" "$zc")" "$((zr / 1024))" "$(ratio "$zc" "$nc")"
	read -r _ tzc tzr <<< "$(timeit_rss trace-cmd report -i "$zbig")"
	printf '| trace-cmd report | %s (v7, zstd) | %s | %s | %s | %s |\n' "$(basename "$zbig")" "$tzc" "$(rate "$recs" "$tzc")" "$((tzr / 1024))" "$(ratio "$tzc" "$nc")"
fi
read -r _ sc sr <<< "$(timeit_rss "$REPLAY" "$two")"
printf '| netfs-replay | %s (2 copies) | %s | %s | %s | - |\n' "$(basename "$two")" "$sc" "$(rate "$((recs * 2 / GROW))" "$sc")" "$((sr / 1024))"
# RSS_GROW=60 (default): peak RSS of a still larger copy, when the disk allows
RSS_GROW=${RSS_GROW:-60}
huge=$WORK/grown-$RSS_GROW.dat
if [ "$RSS_GROW" -gt 0 ] && { [ -s "$huge" ] || python3 bench/grow-dat.py "$v6" "$huge" "$RSS_GROW" 2> /dev/null; }; then
	read -r _ hc hr <<< "$(REPS=1 timeit_rss "$REPLAY" "$huge")"
	read -r _ hlc hlr <<< "$(REPS=1 timeit_rss env NETFS_REPLAY_DAT_RAW=0 "$REPLAY" "$huge")"
	printf '| netfs-replay | %s (%s copies) | %s | %s | %s | - |\n' "$(basename "$huge")" "$RSS_GROW" "$hc" "$(rate "$((recs * RSS_GROW / GROW))" "$hc")" "$((hr / 1024))"
	printf '| netfs-replay, libtracecmd'"'"'s reader | %s (%s copies) | %s | %s | %s | - |\n' "$(basename "$huge")" "$RSS_GROW" "$hlc" "$(rate "$((recs * RSS_GROW / GROW))" "$hlc")" "$((hlr / 1024))"
fi
echo
echo "Peak RSS at 2, $GROW and $RSS_GROW copies of the uncompressed file: flat, as for the same records compressed (v7, zstd) and the text -- uncompressed cpu data is read by decoders/dat_zcpu.c's page loop, a 256 KiB window of pages per cpu at a time (pread). With libtracecmd's reader (NETFS_REPLAY_DAT_RAW=0) it grows with the file: its mapping of the cpu data (file pages, counted in RSS), and a malloc per record."
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "dat-speed: wrote $OUT" >&2
