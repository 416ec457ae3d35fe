#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# early-unlock and bad-donation on traces as they were pasted into the bug
# threads (tests/fixtures/mail, see its README.md); the trigger/clean twins
# of both rules are C unit tests (tests/unit/test_folio.c).

load helper
bats_require_minimum_version 1.5.0

# findings FILE: "kind object" per finding, from the JSON document.
findings() {
	"$REPLAY" --json "$1" 2>/dev/null | json_get \
		'"\n".join(f["kind"] + " " + f["object"] for f in d["findings"])'
}

@test "9p mmap corruption (570ad253a345): early-unlock on R=00001b55, naming ix=5 and the late ZERO" {
	run findings "$FIX/mail/9p-mmap-early-unlock.txt"
	[ "$output" = "early-unlock R=00001b55" ]
	run "$REPLAY" -q "$FIX/mail/9p-mmap-early-unlock.txt"
	[ "$status" -eq 1 ]
	[[ "$output" == *"folio ix=5 of inode 157f3"* ]]
	[[ "$output" == *"[2] ZERO s=5fb2 len 4e"* ]]
	[[ "$output" == *"evidence: line 42"*"line 54"* ]]
}

@test "9p mmap corruption: --fail-on early-unlock fails, --fail-on bad-donation does not" {
	run "$REPLAY" -q --fail-on early-unlock "$FIX/mail/9p-mmap-early-unlock.txt"
	[ "$status" -eq 1 ]
	run "$REPLAY" -q --fail-on bad-donation "$FIX/mail/9p-mmap-early-unlock.txt"
	[ "$status" -eq 0 ]
}

@test "cifs readahead of December 2024 (c8b90d40d5bb): bad-donation on [7] and [8], nothing else" {
	run findings "$FIX/mail/cifs-donation.txt"
	[ "$output" = "bad-donation R=0000290e[7]
bad-donation R=0000290e[8]" ]
	run "$REPLAY" -q "$FIX/mail/cifs-donation.txt"
	[ "$status" -eq 1 ]
	[[ "$output" == *"to-prev to [4], which ends at 86200000, not at the donor's start 86400000"* ]]
}

@test "9p mmap corruption, the reply's excerpt (no download lines): early-unlock on R=00001b55" {
	run findings "$FIX/mail/9p-mmap-reply-excerpt.txt"
	[ "$output" = "early-unlock R=00001b55" ]
	run "$REPLAY" -q "$FIX/mail/9p-mmap-reply-excerpt.txt"
	[[ "$output" == *"evidence: line 10"*"line 18"* ]]
}
