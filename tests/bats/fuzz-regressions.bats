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
