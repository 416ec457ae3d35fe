#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Kernel generations (libnetfs-trace/gen.c): flags are named as the kernel
# that printed them defines them (--kernel, or the generation the capture
# shows), and 6.14-6.15 is recognised from the symbols only it prints.
# The 6.14 lines are constructed from its printk formats and enum tables
# (the read collector rewrite, e2d46f2ec332): in the pasted forms, with and
# without timestamps.

load helper
bats_require_minimum_version 1.5.0

# A readahead of 6.14: OFFLOAD_COLLECTION (bit 0), IN_PROGRESS (5) and
# ALL_QUEUED (13) set, f=2021.  Nothing in it says which generation.
plain() {
	cat <<'EOF'
cat-418 [001] ..... 100.000100: netfs_rreq_ref: R=00000021 NEW         r=1
cat-418 [001] ..... 100.000101: netfs_read: R=00000021 READAHEAD c=00000000 ni=2a s=0 l=4000 sz=10000
cat-418 [001] ..... 100.000102: netfs_rreq_ref: R=00000021 GET SUBREQ  r=2
cat-418 [001] ..... 100.000103: netfs_sreq_ref: R=00000021[1] NEW         r=1
cat-418 [001] ..... 100.000104: netfs_sreq: R=00000021[1] DOWN SUBMT f=100 s=0 0/4000 s=0 e=0
kworker/u8:1-29 [000] ..... 100.000105: netfs_rreq: R=00000021 RA COLLECT f=2021
EOF
}

@test "--kernel names the flags of -R as that kernel defines them" {
	plain > "$BATS_TEST_TMPDIR/t.txt"
	run "$REPLAY" --kernel 6.14 -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2021 OFFLOAD_COLLECTION|IN_PROGRESS|ALL_QUEUED"* ]]
	run "$REPLAY" --kernel 6.15 -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2021 OFFLOAD_COLLECTION|IN_PROGRESS|ALL_QUEUED"* ]]
	# the same word on 6.16+: bit 0 is IN_PROGRESS, bit 5 SHORT_TRANSFER
	run "$REPLAY" --kernel 6.16 -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2021 IN_PROGRESS|SHORT_TRANSFER|0x2000"* ]]
	# 6.12-6.13 have no bit 0 (INCOMPLETE_IO went in 6.12)
	run "$REPLAY" --kernel 6.12 -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2021 INCOMPLETE_IO(<=6.11)|IN_PROGRESS|ALL_QUEUED"* ]]
	# without --kernel, NEW r=1 alone says "before 6.16": 6.12 the likeliest
	run "$REPLAY" "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"kernel: 6.12 (6.10 - 6.13)"* ]]
}

@test "a symbol only 6.14-6.15 prints makes the capture 6.14 (text and JSON)" {
	{ plain; echo 'kworker/u8:1-29 [000] ..... 100.000106: netfs_rreq: R=00000021 RA WOKE-Q  f=2021'; } \
		> "$BATS_TEST_TMPDIR/t.txt"
	run "$REPLAY" "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"kernel: 6.14 (6.14 - 6.15)"* ]]
	run "$REPLAY" -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2021 OFFLOAD_COLLECTION|IN_PROGRESS|ALL_QUEUED"* ]]
	run --separate-stderr "$REPLAY" --json "$BATS_TEST_TMPDIR/t.txt"
	[ "$(echo "$output" | json_get 'd["summary"]["kernel"]')" = "6.14 (6.14 - 6.15)" ]
}

@test "6.14 from COMPLET (6.14+) with NEW r=1 (before 6.16), pasted without timestamps" {
	cat > "$BATS_TEST_TMPDIR/t.txt" <<'EOF'
netfs_rreq_ref: R=00000021 NEW         r=1
netfs_read: R=00000021 READAHEAD c=00000000 ni=2a s=0 l=4000 sz=10000
kworker/u8:1-29: netfs_rreq: R=00000021 RA COMPLET f=2001
EOF
	run "$REPLAY" -R 21 "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"flags: 2001 OFFLOAD_COLLECTION|ALL_QUEUED"* ]]
	run "$REPLAY" "$BATS_TEST_TMPDIR/t.txt"
	[[ "$output" == *"kernel: 6.14 (6.14 - 6.15)"* ]]
}

@test "twins: 6.12 donations and 7.x NEW r=2 with COMPLET are not taken for 6.14" {
	cat > "$BATS_TEST_TMPDIR/a.txt" <<'EOF'
netfs_rreq_ref: R=00000021 NEW         r=1
netfs_rreq_ref: R=00000021 GET WORK    r=3
netfs_sreq: R=00000021[2] DOWN DON-P f=00 s=4000 4000/4000 e=0
EOF
	run "$REPLAY" "$BATS_TEST_TMPDIR/a.txt"
	[[ "$output" == *"kernel: 6.12 (6.10 - 6.13)"* ]]
	cat > "$BATS_TEST_TMPDIR/b.txt" <<'EOF'
netfs_rreq_ref: R=00000021 NEW         r=2
netfs_read: R=00000021 READAHEAD c=00000000 ni=2a s=0 l=4000 sz=10000
kworker/u8:1-29: netfs_rreq: R=00000021 RA COMPLET f=103
EOF
	run "$REPLAY" "$BATS_TEST_TMPDIR/b.txt"
	[[ "$output" == *"kernel: 7.x (>= 6.16)"* ]]
	run "$REPLAY" -R 21 "$BATS_TEST_TMPDIR/b.txt"
	[[ "$output" == *"flags: 103 IN_PROGRESS|ALL_QUEUED|OFFLOAD_COLLECTION"* ]]
}
