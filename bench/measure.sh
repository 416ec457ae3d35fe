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
import os, sys, time
t = time.monotonic()
with open(sys.argv[1], 'wb') as sink, open(os.devnull, 'wb') as null:
    # posix_spawn (a vfork): a forked copy of this interpreter would count
    # in the child's peak RSS; wait4: this child's usage only
    pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ,
                          file_actions=[(os.POSIX_SPAWN_DUP2, sink.fileno(), 1),
                                        (os.POSIX_SPAWN_DUP2, null.fileno(), 2)])
    _, _, r = os.wait4(pid, 0)
w = time.monotonic() - t
print("%.4f %.4f %d" % (w, r.ru_utime + r.ru_stime, r.ru_maxrss))
EOF
	}
fi
# Peak RSS from GNU time when there is one: a child of python3 starts from
# the interpreter's memory (fork or vfork, the high-water mark is the
# parent's until exec), so getrusage's ru_maxrss of it is 13 MB at least.
peak_rss() {
	local f
	if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' true > /dev/null 2>&1; then
		f=$(mktemp)
		/usr/bin/time -o "$f" -f '%M' "$@" > "$SINK" 2>/dev/null || true
		tail -n 1 "$f"
		rm -f "$f"
	else
		echo -
	fi
}
measure() {
	local i best rss
	best=$(for ((i = 0; i < RUNS; i++)); do
		measure1 "$@"
	done | sort -k2,2n | head -1)
	rss=$(peak_rss "$@")
	if [ "$rss" != - ]; then
		echo "${best% *} $rss"
	else
		echo "$best"
	fi
}

