#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Engine ground truth against netfs-replay: every injection (and the clean
# run) in both dialects, then 1000 random scenarios.  Any disagreement is a
# bug in the engine or in a detector; the output names the seed.

setup() {
	export NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	ENG=$BATS_TEST_DIRNAME/../engine
}

@test "check-truth: every injection finds exactly its ground truth" {
	run sh "$ENG/check-truth.sh"
	echo "$output" | grep -v '^ok' || true
	[ "$status" -eq 0 ]
}

@test "property: 1000 random scenarios, findings == ground truth" {
	run sh "$ENG/property.sh" 1000
	echo "$output" | tail -40
	[ "$status" -eq 0 ]
}
