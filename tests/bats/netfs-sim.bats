#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	SIM=$NFT_BIN/netfs-sim
	SCN=$BATS_TEST_DIRNAME/../fixtures/scenarios
	T=$BATS_TEST_TMPDIR
}

@test "netfs-sim --help" {
	run "$SIM" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--inject"* ]]
}

@test "netfs-sim --list-injections: name first, one per line" {
	run "$SIM" --list-injections
	[ "$status" -eq 0 ]
	[[ "$output" == *write-retry-extra-ref* ]]
	[ "$(echo "$output" | wc -l)" -ge 9 ]
}

@test "same seed, same bytes; another seed, other bytes" {
	"$SIM" --seed 7 -o "$T/a"
	"$SIM" --seed 7 -o "$T/b"
	"$SIM" --seed 8 -o "$T/c"
	cmp "$T/a" "$T/b"
	! cmp -s "$T/a" "$T/c"
}

@test "tracefs header and dialect differences" {
	"$SIM" --dialect 6.12 -o "$T/612"
	"$SIM" --dialect 7.2 -o "$T/72"
	head -1 "$T/72" | grep -q '^# tracer: nop'
	grep -q 'NEW         r=1' "$T/612"
	grep -q 'NEW         r=2' "$T/72"
	grep -q 'PUT WORK IP ' "$T/72"
	! grep -q 'PUT WORK IP' "$T/612"
	grep -Eq 'f=[0-9a-f]{3} s=[0-9a-f]+ [0-9a-f]+/[0-9a-f]+ s=[0-9]+ e=' "$T/72"
}

@test "clean run: empty ground truth" {
	"$SIM" --truth "$T/truth" -o /dev/null
	[ ! -s "$T/truth" ]
}

@test "every injection writes a non-empty ground truth" {
	for i in $("$SIM" --list-injections | awk '{print $1}'); do
		for d in 6.12 7.2; do
			"$SIM" --dialect $d --inject "$i" --truth "$T/t" -o /dev/null
			[ -s "$T/t" ] || { echo "empty truth: $i $d"; false; }
		done
	done
}

@test "scenario file with retries runs" {
	run "$SIM" "$SCN/cifs-retry.scn" --truth "$T/t"
	[ "$status" -eq 0 ]
	[[ "$output" == *RETRY* ]]
}

@test "bad scenario: clear error, exit 2" {
	run "$SIM" "$SCN/bad.scn"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.scn:3:"* ]]
}

@test "unknown injection and dialect: exit 2" {
	run "$SIM" --inject nope
	[ "$status" -eq 2 ]
	run "$SIM" --dialect 5.0
	[ "$status" -eq 2 ]
}

@test "--events runs until N events" {
	"$SIM" --events 20000 -o "$T/o"
	[ "$(grep -vc '^#' "$T/o")" -ge 20000 ]
}
