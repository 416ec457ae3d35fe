#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# fscache and cachefiles lifecycles on the traces maintainers pasted into
# real bug threads (tests/fixtures/fscache, see its README.md), as a user
# runs netfs-replay on them: the right kind on the right object, the
# pre-5.17 note, and no refusal.

load helper
bats_require_minimum_version 1.5.0

setup() {
	D=$FIX/fscache
}

# kinds FILE: "kind object" of each finding, one per line, sorted.
kinds() {
	"$REPLAY" --json --fail-on none "$1" 2>/dev/null |
		json_get '"\n".join(sorted(f["kind"] + " " + f["object"] for f in d["findings"]))'
}

@test "9p duplicate cookie (2021, fscache before 5.17): the collision, the note once, exit 1 not 2" {
	run --separate-stderr "$REPLAY" "$D/9p-duplicate-cookie-2021.txt"
	[ "$status" -eq 1 ]
	[ "$(grep -c '^note: fscache before 5.17: cookie refs not analysed$' <<<"$output")" -eq 1 ]
	[[ "$output" == *"events: 7 "* ]]
	[[ "$output" != *"no netfs"* ]]
	[ "$(kinds "$D/9p-duplicate-cookie-2021.txt")" = "failure c=0000000046a8b5b3" ]
	run --separate-stderr "$REPLAY" --json --fail-on none "$D/9p-duplicate-cookie-2021.txt"
	[ "$status" -eq 0 ]
	[ "$(json_get 'd["summary"]["notes"]' <<<"$output")" = '["fscache before 5.17: cookie refs not analysed"]' ]
}

@test "cifs volume reacquired on a live tcon (2024, dad80c6bff77): ref-leak and the collision on V=00000001, the candidate's FREE silent" {
	[ "$(kinds "$D/cifs-volume-collision-2024.txt")" = "$(printf 'failure V=00000001\nref-leak V=00000001')" ]
}

@test "nfs cookie LRU discard vs use (2022, b5b52de3214a): use-after-free on c=00000b95 only" {
	[ "$(kinds "$D/nfs-cookie-lru-race-2022.txt")" = "use-after-free c=00000b95" ]
}

@test "modern captures carry no old-fscache note" {
	run --separate-stderr "$REPLAY" --json --fail-on none "$FIX/6.12/fc_read.txt.xz"
	[ "$(json_get 'd["summary"]["notes"]' <<<"$output")" = '[]' ]
}
