# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/run.sh and bench/big-dat.sh (bash): measure1 and measure.
# RUNS: how many runs measure() takes the best of.
RUNS=${RUNS:-3}

# measure CMD...: prints "wall_s cpu_s maxrss_kb" of the best (lowest CPU
# time) of $RUNS runs; the command's stdout goes to $SINK (/dev/null, but
# GNU grep stops at the first match when its output is /dev/null).
SINK=/dev/null
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' true 2>/dev/null; then
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
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], 'wb') as sink:
    subprocess.run(sys.argv[2:], stdout=sink, stderr=subprocess.DEVNULL)
w = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.3f %.3f %d" % (w, r.ru_utime + r.ru_stime, r.ru_maxrss))
EOF
	}
fi
measure() {
	local i
	for ((i = 0; i < RUNS; i++)); do
		measure1 "$@"
	done | sort -k2,2n | head -1
}

