#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Broken input must give a message and exit 2 (or a result), never a crash:
# every crashing input the fuzzers of tests/fuzz/ found, a real trace.dat
# cut at many points, and the wrong kinds of file.

load helper
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
}

# no_crash STATUS OUTPUT: exit 0-2 and no sanitizer report
no_crash() {
	[ "$1" -le 2 ]
	[[ $2 != *"ERROR: AddressSanitizer"* ]]
	[[ $2 != *"runtime error:"* ]]
}

@test "every fuzz regression input replays without a crash" {
	run tests_fuzz_replay
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output != *CRASH* ]]
}

tests_fuzz_replay() {
	"$BATS_TEST_DIRNAME/../fuzz/replay-regressions.sh" "$REPLAY"
}

@test "a trace.dat cut anywhere: exit 2 or a result, never a crash" {
	dat=$FIX/6.1/append.dat
	size=$(stat -c %s "$dat")
	for cut in 0 1 7 16 64 100 512 4096 8191 12345 65536 100000 262144 \
		   $((size / 2)) $((size - 4097)) $((size - 1)); do
		head -c "$cut" "$dat" > "$T/cut.dat"
		run "$REPLAY" "$T/cut.dat"
		no_crash "$status" "$output"
	done
}

@test "a trace.dat with garbage over its pages: exit 0-2, never a crash" {
	dat=$FIX/6.1/append.dat
	size=$(stat -c %s "$dat")
	for off in 8192 65536 $((size / 3)) $((size / 2)); do
		cp "$dat" "$T/bad.dat"
		head -c 4096 /dev/urandom | dd of="$T/bad.dat" bs=1 seek="$off" conv=notrunc status=none
		run "$REPLAY" "$T/bad.dat"
		no_crash "$status" "$output"
	done
}

@test "a perf.data given by mistake: clear message, exit 2" {
	printf 'PERFILE2\0\0\0\0\0\0\0\0' > "$T/perf.data"
	head -c 2000 /dev/zero >> "$T/perf.data"
	run -2 "$REPLAY" "$T/perf.data"
	[[ $output == *"perf.data"* ]]
}

@test "random binary, empty file: clear message, exit 2" {
	head -c 20000 /dev/urandom > "$T/rand"
	run -2 "$REPLAY" "$T/rand"
	: > "$T/empty"
	run -2 "$REPLAY" "$T/empty"
	[[ $output == *"empty"* ]]
}

# ---- values out of range (issue 11): an error naming the line and field ----

# value_error NAME MESSAGE...: exit 2, each message in the output
value_error() {
	local f=$BATS_TEST_DIRNAME/../fuzz/regressions/text/repro-$1
	shift
	run -2 "$REPLAY" "$f"
	echo "$output"
	for m in "$@"; do
		[[ $output == *"$m"* ]]
	done
}

@test "ids wider than 32 bits are errors, not one merged request" {
	value_error text-id-overflow-merged.txt \
		"line 2: error: netfs_rreq_ref: R=1ffffffff: id wider than 32 bits" \
		"line 3: error: netfs_rreq_ref: R=ffffffffff: id wider than 32 bits"
	[[ $output == *"requests: 1 "* ]]
}

@test "a count of 2^32 and trailing garbage are errors, not 0 and 1" {
	value_error text-refcount-wrap.txt \
		"line 2: error: netfs_rreq_ref: r=4294967296: count wider than 32 bits"
	[[ $output != *"printed r=0"* ]]
	value_error text-refcount-trailing-garbage.txt \
		"line 2: error: netfs_rreq_ref: r=1g: garbage after a number"
}

@test "a subrequest index no kernel field holds is an error, not dropped" {
	value_error text-sreq-index-overflow-dropped.txt \
		"line 7: error: netfs_sreq_ref: [100000001]: subrequest index wider than 32 bits"
}

@test "a last line cut inside its final word is an error, the rest analysed" {
	value_error text-last-line-cut-in-symbol.txt \
		"line 756: error: truncated last line" '"cle"' \
		"events: 743 "
	[[ $output != *"unknown netfs_folioq_trace"* ]]
}

@test "timestamps past 64-bit nanoseconds are errors, not 0.000000" {
	value_error text-huge-timestamps.txt \
		"line 1: error: netfs_rreq_ref: 99999999999999999999.000001: timestamp whose seconds overflow" \
		"line 3: error: netfs_rreq_ref: 18446744073709.551616: timestamp"
	[[ $output != *"0.000000"* ]]
}

@test "timestamps going back on one CPU: a warning; across CPUs: none" {
	l='netfs_rreq_ref: R=00000010'
	printf '%s\n' \
		"  dd-565 [000] ..... 28.000002: $l NEW         r=2" \
		"  dd-565 [001] ..... 27.000001: $l GET SUBREQ  r=3" \
		"  dd-565 [000] ..... 28.000003: $l PUT RETURN  r=2" \
		"  dd-565 [001] ..... 27.000004: $l PUT RETURN  r=1" > "$T/across.txt"
	run "$REPLAY" "$T/across.txt"
	[[ $output != *backwards* ]]
	printf '%s\n' \
		"  dd-565 [000] ..... 28.000002: $l NEW         r=2" \
		"  dd-565 [000] ..... 27.000001: $l PUT RETURN  r=1" > "$T/back.txt"
	run "$REPLAY" "$T/back.txt"
	echo "$output"
	[[ $output == *"line 2: warning: timestamps go backwards on CPU 0: 27.000001 after 28.000002 at line 1"* ]]
}
