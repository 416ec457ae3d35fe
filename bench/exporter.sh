#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/exporter.sh [CAPTURE]: what the exporter (netfs-top --listen,
# --textfile; docs/metrics.md) costs.  Prints a markdown section body.
#
#  1. CPU time at a measured event rate: CAPTURE (default: a 1 M line
#     capture built by bench/mkbig.sh) replayed in batch mode at the speed
#     that makes it last $SECS seconds, once plain and once with
#     --listen and a scrape (curl) every second; user+sys CPU seconds of
#     netfs-top, best of $RUNS each.  The difference is the exporter's
#     share at that event rate: the metrics hooks on every event plus one
#     rendering per scrape.  Wall-clock based, so only a rough figure on a
#     loaded machine.
#  2. Instruction counts (valgrind --tool=callgrind, exact and repeatable):
#     a corpus capture replayed at full speed with and without --textfile
#     (the metrics hooks on every event, one netfs.prom per 1 s interval),
#     and the instructions of those writes (nft_metrics_write_textfile,
#     --toggle-collect): a scrape renders the same exposition.
#
# BIN= the binaries (default bin/), RUNS= (default 3), SECS= (default 10),
# LINES= the size of the built capture (default 1000000), SMALL= the
# capture of part 2 (default the corpus' 7.2 fc_read.dat).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
RUNS=${RUNS:-3}
SECS=${SECS:-10}
LINES=${LINES:-1000000}
TOP=$BIN/netfs-top
REPLAY=$BIN/netfs-replay
WORK=bench/work
cap=${1:-$WORK/exporter.txt}
corpus=${NFT_CORPUS:-}
for d in ../shared/corpus /work/shared/corpus; do
	[ -z "$corpus" ] && [ -d "$d" ] && corpus=$d
done
SMALL=${SMALL:-$corpus/7.2.13+deb14-amd64/fc_read.dat}

[ -x "$TOP" ] || { echo "bench: no $TOP (run make)" >&2; exit 2; }
mkdir -p "$WORK"
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p

	for p in "${pids[@]}"; do
		kill -TERM "$p" 2> /dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -s "$cap" ]; then
	bench/mkbig.sh "$LINES" "$cap" >&2
fi

# events, span (seconds) of the capture, from netfs-replay's summary
read -r events span < <("$REPLAY" --json --fail-on none "$cap" 2> /dev/null |
	python3 -c '
import json, sys
s = json.load(sys.stdin)["summary"]
print(s["events"], float(s["last_ts"]) - float(s["first_ts"]))')
speed=$(python3 -c "print('%.3f' % max($span / $SECS, 0.001))")

# run_once listen|plain: CPU seconds (user+sys) of one replay.
run_once() {
	local mode=$1 args=() tpid top port i

	[ "$mode" = listen ] && args=(--listen 127.0.0.1:0)
	/usr/bin/time -f '%U %S' -o "$tmp/time" \
		"$TOP" -b -i "$cap" --speed "$speed" -d 1 --fail-on none \
		"${args[@]}" > /dev/null 2> "$tmp/err" &
	tpid=$!
	pids+=("$tpid")
	if [ "$mode" = listen ]; then
		port=
		for i in $(seq 600); do
			port=$(sed -n 's|.*serving metrics on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/err")
			[ -n "$port" ] && break
			sleep 0.1
		done
		# a scrape a second until the replay ended
		scrapes=0
		while ! grep -q "serving its final metrics" "$tmp/err"; do
			curl -s -o /dev/null "http://127.0.0.1:$port/metrics" &&
				scrapes=$((scrapes + 1))
			echo "$scrapes" > "$tmp/scrapes"
			sleep 1
		done
		top=$(pgrep -P "$tpid" || true)
		[ -n "$top" ] && kill -TERM "$top"
	fi
	wait "$tpid" || true
	awk '{ print $1 + $2 }' "$tmp/time"
}

best() {
	sort -g | head -1
}

plain=$(for _ in $(seq "$RUNS"); do run_once plain; done | best)
listen=$(for _ in $(seq "$RUNS"); do run_once listen; done | best)
rate=$(python3 -c "print(round($events / $SECS))")

echo "\`$cap\`: $events events over ${span%.*} s of trace time, replayed in batch mode at --speed $speed so that it lasts $SECS s: **$rate events/s**.  CPU time (user+sys) of netfs-top, best of $RUNS runs; the load of the capture into memory is in both."
echo
echo "| netfs-top -b -i CAPTURE --speed $speed | CPU s |"
echo "| --- | --- |"
echo "| without --listen | $plain |"
echo "| with --listen, scraped every second ($(cat "$tmp/scrapes") scrapes in the last run) | $listen |"
python3 -c "
d = $listen - $plain
print()
print(f'Exporter share: {d:+.2f} CPU s over $SECS s at $rate events/s, {100 * d / $SECS:+.1f}% of one core (run-to-run noise on this shared machine is of the same order; part 2 has exact counts).')"
echo

if command -v valgrind > /dev/null && [ -f "$SMALL" ]; then
	ir() {
		valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$@" \
			> "$tmp/cg.stdout" 2> "$tmp/cg.err" || true
		# the last count: netfs-top's own (a forked reader reports first)
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.err" | tail -1
	}
	mkdir -p "$tmp/tf"
	base=$(ir "$TOP" -b -i "$SMALL" --speed 0 -d 1 --fail-on none)
	with=$(ir "$TOP" -b -i "$SMALL" --speed 0 -d 1 --fail-on none --textfile "$tmp/tf")
	renders=$(($(grep -c '^netfs-top interval' "$tmp/cg.stdout") + 1))
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg2.out" \
		--toggle-collect=nft_metrics_write_textfile \
		"$TOP" -b -i "$SMALL" --speed 0 -d 1 --fail-on none --textfile "$tmp/tf" \
		> /dev/null 2> "$tmp/cg2.err" || true
	render=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg2.err" | tail -1)
	sev=$("$REPLAY" --json --fail-on none "$SMALL" 2> /dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["events"])')
	python3 -c "
base, withx, render, renders, ev = $base, $with, $render, $renders, $sev
hooks = withx - base - render
print('Instruction counts (callgrind, exact): \`$(basename "$(dirname "$SMALL")")/$(basename "$SMALL")\` ({:,} events) replayed at full speed, batch mode, -d 1.'.format(ev))
print()
print('| | instructions |')
print('| --- | --- |')
print('| netfs-top -b | {:,} |'.format(base))
print('| netfs-top -b --textfile DIR | {:,} (+{:.2f}%) |'.format(withx, 100 * (withx - base) / base))
print('| of which {} writes of netfs.prom (rendering, write, rename) | {:,} ({:,} each) |'.format(renders, render, render // renders))
print('| the rest: the metrics hooks | {:,} ({:.1f} per event) |'.format(hooks, hooks / ev))
"
else
	echo "(valgrind or $SMALL missing: instruction counts skipped)"
fi
