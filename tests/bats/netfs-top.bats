#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-top without a netfs kernel: batch/JSON over replayed captures, and
# instance management and signals against a fake tracefs tree (events/ of
# a real 6.12 kernel, NETFS_TOP_TRACEFS pointing at it).

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	TOP=$NFT_BIN/netfs-top
	FIX=$BATS_TEST_DIRNAME/../fixtures/top
	FORMATS=$FIX/formats-6.12.tar	# events/ of a 6.12 tracefs
}

fake_tracefs() {
	T=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$T/instances"
	tar xf "$FORMATS" -C "$T"
}

@test "--help documents -b as batch and -B as the buffer size" {
	run "$TOP" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"-b, --batch"* ]]
	[[ "$output" == *"-B, --buffer-size KB"* ]]
}

@test "usage errors exit 2" {
	run "$TOP" -d 0
	[ "$status" -eq 2 ]
	run "$TOP" --json
	[ "$status" -eq 2 ]
	run "$TOP" -g nosuch
	[ "$status" -eq 2 ]
}

@test "batch replay: intervals with the capture's totals" {
	run "$TOP" -b -i "$FIX/smb_dio-6.12.txt.xz" --speed 0 -d 1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "netfs-top interval 1 "* ]]
	[[ "$output" == *"24.0 req/s"* ]]
}

@test "batch JSON: one object per line; total equals netfs-replay's summary" {
	run "$TOP" -b --json -i "$FIX/smallreads-6.12.txt.xz" --speed 0 -d 0.5
	[ "$status" -eq 0 ]
	last=$(printf '%s\n' "$output" | tail -1)
	n=$(printf '%s\n' "$output" | wc -l)
	[ "$n" -ge 2 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
for l in sys.stdin: json.loads(l)'
	top_total=$(printf '%s' "$last" | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["requests"], t["subrequests"], t["bytes_read"], t["events"])')
	rep=$("$NFT_BIN/netfs-replay" --json "$FIX/smallreads-6.12.txt.xz" | python3 -c 'import json,sys; t=json.load(sys.stdin)["summary"]; print(t["requests"], t["subrequests"], t["bytes_read"], t["events"])')
	[ "$top_total" = "$rep" ]
	# requests per interval add up to the total
	sum=$(printf '%s\n' "$output" | python3 -c '
import json, sys
print(sum(json.loads(l)["interval"]["requests"] for l in sys.stdin))')
	[ "$sum" = "${rep%% *}" ]
}

@test "-n stops after COUNT intervals" {
	run "$TOP" -b --json -i "$FIX/smallreads-6.12.txt.xz" --speed 0 -d 0.1 -n 2
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "no tracefs: a sentence, exit 2" {
	NETFS_TOP_TRACEFS=$BATS_TEST_TMPDIR/nonexistent run "$TOP" -b -n 1
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"not a directory"* ]]
}

@test "no netfs events: says netfs is not loaded or built, exit 2" {
	mkdir -p "$BATS_TEST_TMPDIR/empty/instances"
	NETFS_TOP_TRACEFS=$BATS_TEST_TMPDIR/empty run "$TOP" -b -n 1
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"CONFIG_NETFS_SUPPORT"* ]]
	[[ "$output" == *"modprobe netfs"* ]]
	[ -z "$(ls "$BATS_TEST_TMPDIR/empty/instances")" ]
}

@test "not root: refused with one sentence" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop privileges"
	command -v setpriv >/dev/null || skip "no setpriv"
	# BATS_TEST_TMPDIR's parents may be closed to other users.
	T=$(mktemp -d /tmp/netfs-top-bats.XXXXXX)
	mkdir "$T/instances"
	tar xf "$FORMATS" -C "$T"
	chmod 755 "$T"
	NETFS_TOP_TRACEFS=$T run setpriv --reuid=65534 --regid=65534 --clear-groups "$TOP" -b -n 1
	rm -rf "$T"
	[ "$status" -eq 2 ]
	[[ "$output" == *"run netfs-top as root"* ]]
}

@test "stale instance of a dead pid is removed; others are not touched" {
	fake_tracefs
	mkdir "$T/instances/netfs-top-999999" "$T/instances/mine" "$T/instances/netfs-top-1"
	echo keep > "$T/instances/mine/set_event"
	NETFS_TOP_TRACEFS=$T run "$TOP" -b -n 1 -d 0.1
	[ "$status" -eq 0 ]
	[ ! -e "$T/instances/netfs-top-999999" ]
	[ -d "$T/instances/netfs-top-1" ]	# pid 1 is alive
	[ "$(cat "$T/instances/mine/set_event")" = keep ]
}

@test "-e filters and -B reach the instance" {
	fake_tracefs
	NETFS_TOP_TRACEFS=$T "$TOP" -b -d 0.2 -e netfs:netfs_sreq -e 'fscache:*' -B 8192 >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do [ -e "$T/instances/netfs-top-$pid/set_event" ] && break; sleep 0.1; done
	run cat "$T/instances/netfs-top-$pid/set_event"
	kill -TERM "$pid"; wait "$pid" || true
	[[ "$output" == *"netfs:netfs_sreq"* ]]
	[[ "$output" == *"fscache:fscache_cookie"* ]]
	[[ "$output" != *"netfs:netfs_read"* ]]
	[[ "$output" != *"cachefiles"* ]]
}

signal_leaves_nothing() {
	fake_tracefs
	NETFS_TOP_TRACEFS=$T "$TOP" -b -d 0.2 >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do [ -d "$T/instances/netfs-top-$pid" ] && break; sleep 0.1; done
	[ -d "$T/instances/netfs-top-$pid" ]
	kill "-$1" "$pid"
	wait "$pid" || true
	[ ! -e "$T/instances/netfs-top-$pid" ]
}

@test "SIGTERM reports the interval it cut short" {
	fake_tracefs
	NETFS_TOP_TRACEFS=$T "$TOP" -b --json -d 30 > "$BATS_TEST_TMPDIR/out" 2>/dev/null &
	pid=$!
	for i in $(seq 50); do [ -d "$T/instances/netfs-top-$pid" ] && break; sleep 0.1; done
	sleep 0.3
	kill -TERM "$pid"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]	# cleaned up, then 128+SIGTERM
	python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["interval"]["n"] == 1 and 0 < d["interval"]["secs"] < 30, d["interval"]
' "$BATS_TEST_TMPDIR/out"
}

# The signals of cmd/netfs-top.c's table (every one whose default action
# ends the process).  A stop signal ends the loop, the instance is removed
# on the ordinary path, and netfs-top exits with 128+sig.
STOP_SIGNALS="HUP INT QUIT TERM USR1 USR2 ALRM PIPE XCPU XFSZ VTALRM PROF IO PWR STKFLT RTMIN RTMIN+5 RTMAX"
# A fault: the handler removes the instance and re-raises (core, 128+sig).
FAULT_SIGNALS="SEGV BUS FPE ILL ABRT SYS TRAP"

# Start netfs-top -b on a fake tracefs, send $1, check what is left.
signal_leaves_nothing() {
	local sig=$1 num pid rc i
	num=$(kill -l "$sig")
	T=$BATS_TEST_TMPDIR/tracefs-$sig
	mkdir -p "$T/instances"
	tar xf "$FORMATS" -C "$T"
	(ulimit -c 0; NETFS_TOP_TRACEFS=$T exec "$TOP" -b -d 0.2 >/dev/null 2>&1) &
	pid=$!
	for i in $(seq 50); do [ -e "$T/instances/netfs-top-$pid/set_event" ] && break; sleep 0.1; done
	[ -d "$T/instances/netfs-top-$pid" ] || { echo "$sig: no instance"; return 1; }
	kill "-$sig" "$pid"
	rc=0; wait "$pid" || rc=$?
	[ ! -e "$T/instances/netfs-top-$pid" ] || { echo "$sig: instance left"; return 1; }
	[ "$rc" -eq $((128 + num)) ] || { echo "$sig: status $rc, not $((128 + num))"; return 1; }
}

@test "every stop signal: instance removed, exit 128+sig" {
	for sig in $STOP_SIGNALS; do
		signal_leaves_nothing "$sig"
	done
}

@test "every fault signal: instance removed, default action re-raised (128+sig)" {
	for sig in $FAULT_SIGNALS; do
		signal_leaves_nothing "$sig"
	done
}

@test "a signal ignored by the parent (nohup) stays ignored" {
	fake_tracefs
	(trap '' HUP; NETFS_TOP_TRACEFS=$T exec "$TOP" -b -d 0.2 >/dev/null 2>&1) &
	pid=$!
	for i in $(seq 50); do [ -e "$T/instances/netfs-top-$pid/set_event" ] && break; sleep 0.1; done
	kill -HUP "$pid"
	sleep 0.5
	kill -0 "$pid"		# still running
	[ -d "$T/instances/netfs-top-$pid" ]
	kill -TERM "$pid"
	rc=0; wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
	[ ! -e "$T/instances/netfs-top-$pid" ]
}

@test "a closed reader (| head -1) ends batch mode, instance removed" {
	fake_tracefs
	run timeout 10 bash -c 'NETFS_TOP_TRACEFS=$1 "$2" -b -d 0.1 | head -1; echo "status ${PIPESTATUS[0]}"' sh "$T" "$TOP"
	[[ "$output" == *"status 141"* ]]
	[ -z "$(ls "$T/instances")" ]
}

@test "a stale instance with netfs-top's own pid (pid reuse after a crash) is removed" {
	fake_tracefs
	# exec keeps the shell's pid: the instance was "left" by that pid.
	run bash -c 'mkdir "$1/instances/netfs-top-$$" && echo 1 > "$1/instances/netfs-top-$$/set_event" &&
		NETFS_TOP_TRACEFS=$1 exec "$2" -b -n 1 -d 0.1' sh "$T" "$TOP"
	[ "$status" -eq 0 ]
	[[ "$output" == *"netfs-top interval 1 "* ]]
	[ -z "$(ls "$T/instances")" ]
}

@test "diagnostics carry netfs-top's name, never netfs-replay's" {
	printf 'not a trace line\nnetfs_rreq: R=00000001 bogus\n' > "$BATS_TEST_TMPDIR/bad.txt"
	run "$TOP" -b -i "$BATS_TEST_TMPDIR/bad.txt" --speed 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"netfs-top: $BATS_TEST_TMPDIR/bad.txt:line 1: warning: not a trace event"* ]]
	[[ "$output" != *"netfs-replay:"* ]]
}
