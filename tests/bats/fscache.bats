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

# Rohith's thread (2022-03, peers.md 2): fscache/cachefiles events enabled,
# nothing emitted, because no request had a cookie.  netfs_read/netfs_write
# print the inode's cache cookie; 0 on every one is said once.
@test "no request with a cache cookie: a note that fscache was not in use; one cookie: no note" {
	local p='              dd-673     [000] .....'
	cat > "$BATS_TEST_TMPDIR/nocookie.txt" <<EOT
$p    40.733151: netfs_read: R=00000d33 READAHEAD c=00000000 ni=a7e358 s=0 l=20000 sz=800000
$p    40.735217: netfs_read: R=00000d34 READAHEAD c=00000000 ni=a7e358 s=20000 l=20000 sz=800000
EOT
	run --separate-stderr "$REPLAY" "$BATS_TEST_TMPDIR/nocookie.txt"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^note: no request had a cache cookie: the netfs_read/netfs_write lines of all 2 said c=00000000' <<<"$output")" -eq 1 ]
	run --separate-stderr "$REPLAY" --json "$BATS_TEST_TMPDIR/nocookie.txt"
	[ "$(json_get 'len([n for n in d["summary"]["notes"] if n.startswith("no request had a cache cookie")])' <<<"$output")" = 1 ]
	# one request with a cookie: fscache was engaged
	sed -i '2s/c=00000000/c=0000000b/' "$BATS_TEST_TMPDIR/nocookie.txt"
	run --separate-stderr "$REPLAY" "$BATS_TEST_TMPDIR/nocookie.txt"
	[[ "$output" != *"no request had a cache cookie"* ]]
	# no line that prints a cookie (6.1 has no netfs_read): nothing said
	run --separate-stderr "$REPLAY" "$FIX/6.1/append.dat"
	[[ "$output" != *"no request had a cache cookie"* ]]
}

# The other half of "is the cache used at all": every cache file found was
# judged stale by cachefiles_check_coherency() and nothing was read from
# the cache.  One BAD after a write, or any OK, says nothing.
@test "every coherency check BAD and nothing read from the cache: a note; an OK among them: none" {
	local p='    kworker/u8:0-12      [001] .....'
	cat > "$BATS_TEST_TMPDIR/coh.txt" <<EOT
$p   102.210736: cachefiles_coherency: o=00000005 BAD aux  B=236 c=0
$p   102.257703: cachefiles_coherency: o=00000006 BAD aux  B=237 c=0
EOT
	run --separate-stderr "$REPLAY" "$BATS_TEST_TMPDIR/coh.txt"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^note: every coherency check of a cache file said BAD (2 of 2: cachefiles_coherency)' <<<"$output")" -eq 1 ]
	run --separate-stderr "$REPLAY" --json "$BATS_TEST_TMPDIR/coh.txt"
	[ "$(json_get 'len([n for n in d["summary"]["notes"] if n.startswith("every coherency check")])' <<<"$output")" = 1 ]
	# one of them OK
	sed -i '1s/BAD aux/OK     /' "$BATS_TEST_TMPDIR/coh.txt"
	run --separate-stderr "$REPLAY" "$BATS_TEST_TMPDIR/coh.txt"
	[[ "$output" != *"every coherency check"* ]]
	# a single BAD (after a write, the normal verdict)
	sed -i '1d' "$BATS_TEST_TMPDIR/coh.txt"
	run --separate-stderr "$REPLAY" "$BATS_TEST_TMPDIR/coh.txt"
	[[ "$output" != *"every coherency check"* ]]
	# the corpus' cached runs: OK checks, reads from the cache
	run --separate-stderr "$REPLAY" "$FIX/6.16/fc_write.dat"
	[[ "$output" != *"every coherency check"* ]]
}
