# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/run.sh and bench/big-dat.sh (bash): measure1 and measure.
# RUNS: how many runs measure() takes the best of.
RUNS=${RUNS:-3}

# measure CMD...: prints "wall_s cpu_s maxrss_kb" of the best (lowest CPU
# time) of $RUNS runs; the command's stdout goes to $SINK (/dev/null, but
# GNU grep stops at the first match when its output is /dev/null).
SINK=/dev/null
# python3's getrusage first: GNU time's %U and %S come in 10 ms steps, and a
# small trace.dat now takes less than that
if ! command -v python3 > /dev/null && [ -x /usr/bin/time ] &&
   /usr/bin/time -f '%e' true 2>/dev/null; then
	measure1() {
		local f
		f=$(mktemp)
		/usr/bin/time -o "$f" -f '%e %U %S %M' "$@" > "$SINK" 2>/dev/null || true
		tail -n 1 "$f" | awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }'
		rm -f "$f"
	}
else
	measure1() {
		python3 - "$SINK" "$@" <<'EOF'
import os, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], 'wb') as sink:
    p = subprocess.Popen(sys.argv[2:], stdout=sink, stderr=subprocess.DEVNULL)
    # this child's usage only (RUSAGE_CHILDREN also holds whatever the
    # interpreter ran before)
    _, _, r = os.wait4(p.pid, 0)
w = time.monotonic() - t
print("%.4f %.4f %d" % (w, r.ru_utime + r.ru_stime, r.ru_maxrss))
EOF
	}
fi
measure() {
	local i
	for ((i = 0; i < RUNS; i++)); do
		measure1 "$@"
	done | sort -k2,2n | head -1
}

