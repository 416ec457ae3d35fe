#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Verdicts from the protocol, not the clock (issue 10): netfs-replay on the
# lines a maintainer pastes into a mail -- `comm: event:`, no timestamps --
# and what is still in flight at the end, in text and JSON.

load helper
bats_require_minimum_version 1.5.0

# The lines of R=00002152 David Howells quoted in "[PATCH] netfs: Fix
# setting NETFS_RREQ_ALL_QUEUED to be after all subreqs queued" (commit
# 5de0219a9bb9, BPF CI hang on 9p, Feb 2025), quoted-printable decoded and
# the mail's wrapped lines rejoined; $1 = how many of them.
all_queued() {
	head -n "$1" <<'EOF'
          ip: netfs_rreq_ref: R=00002152 NEW         r=1
          ip: netfs_read: R=00002152 READAHEAD c=00000000 ni=1034fe3 s=4000 l=3000 sz=6898
          ip: netfs_rreq_ref: R=00002152 GET SUBREQ  r=2
          ip: netfs_sreq: R=00002152[1] DOWN TERM  f=192 s=4000 2898/2898 s=2 e=0
          ip: netfs_rreq_ref: R=00002152 GET WORK    r=3
kworker/u8:3: netfs_rreq_ref: R=00002152 SEE WORK    r=3
          ip: netfs_sreq_ref: R=00002152[1] PUT TERM    r=1
          ip: netfs_rreq_ref: R=00002152 GET SUBREQ  r=4
          ip: netfs_sreq: R=00002152[2] ZERO SUBMT f=00 s=6898 0/768 s=0 e=0
kworker/u8:3: netfs_rreq: R=00002152 RA COLLECT f=2021
kworker/u8:3: netfs_collect: R=00002152 s=4000-7000
kworker/u8:3: netfs_collect_sreq: R=00002152[0:01] s=4000 t=2898/2898
kworker/u8:3: netfs_sreq: R=00002152[1] DOWN DSCRD f=92 s=4000 2898/2898 s=2 e=0
kworker/u8:3: netfs_sreq_ref: R=00002152[1] PUT DONE    r=0
kworker/u8:3: netfs_sreq: R=00002152[1] DOWN FREE  f=92 s=4000 2898/2898 s=2 e=0
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT SUBREQ  r=3
kworker/u8:3: netfs_collect_state: R=00002152 col=6898 cln=7000 n=c
kworker/u8:3: netfs_collect_state: R=00002152 col=6898 cln=7000 n=8
kworker/u8:3: netfs_rreq: R=00002152 RA COMPLET f=2021
kworker/u8:3: netfs_rreq: R=00002152 RA WAKE-IP f=2021
kworker/u8:3: netfs_rreq: R=00002152 RA DONE    f=2001
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT WORK    r=2
          ip: netfs_sreq: R=00002152[2] ZERO TERM  f=102 s=6898 768/768 s=2 e=0
          ip: netfs_rreq_ref: R=00002152 GET WORK    r=3
kworker/u8:3: netfs_rreq_ref: R=00002152 SEE WORK    r=3
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT WORK    r=2
EOF
}

@test "ALL_QUEUED race pasted: ref-leak on the late subrequest and on the request" {
	all_queued 26 > "$BATS_TEST_TMPDIR/aq.txt"
	run -1 "$REPLAY" --json "$BATS_TEST_TMPDIR/aq.txt"
	got=$(echo "$output" | json_get 'sorted((x["kind"], x["object"]) for x in d["findings"])')
	[ "$got" = '[["ref-leak", "R=00002152"], ["ref-leak", "R=00002152[2]"]]' ]
	[ "$(echo "$output" | json_get 'd["in_flight"]')" = "[]" ]
	run -1 "$REPLAY" "$BATS_TEST_TMPDIR/aq.txt"
	[[ "$output" == *"GET SUBREQ at line 8 (r=4) is never put"* ]]
	[[ "$output" == *"5de0219a9bb9"* ]]
	[[ "$output" != *"r=-1"* ]]
}

@test "the same excerpt cut before [2] terminates: in flight, waiting for [2] TERM" {
	all_queued 22 > "$BATS_TEST_TMPDIR/cut.txt"
	run -0 "$REPLAY" --json "$BATS_TEST_TMPDIR/cut.txt"
	[ "$(echo "$output" | json_get 'len(d["findings"])')" = 0 ]
	[ "$(echo "$output" | json_get 'd["in_flight"][0]["object"]')" = "R=00002152" ]
	[[ "$(echo "$output" | json_get 'd["in_flight"][0]["waiting_for"][0]')" == "[2] TERM"* ]]
	[ "$(echo "$output" | json_get 'd["in_flight"][0]["waiting_for"][-1]')" = "PUT RETURN" ]
	run -0 "$REPLAY" "$BATS_TEST_TMPDIR/cut.txt"
	[[ "$output" == *"in flight at end of capture: 1"$'\n'"  R=00002152: waiting for [2] TERM"* ]]
}

@test "a clean excerpt ends with nothing in flight" {
	all_queued 8 > "$BATS_TEST_TMPDIR/head.txt"
	cat >> "$BATS_TEST_TMPDIR/head.txt" <<'EOF'
          ip: netfs_sreq: R=00002152[2] ZERO SUBMT f=00 s=6898 0/768 s=0 e=0
          ip: netfs_sreq: R=00002152[2] ZERO TERM  f=102 s=6898 768/768 s=2 e=0
kworker/u8:3: netfs_rreq: R=00002152 RA COLLECT f=2021
kworker/u8:3: netfs_sreq: R=00002152[1] DOWN DSCRD f=92 s=4000 2898/2898 s=2 e=0
kworker/u8:3: netfs_sreq_ref: R=00002152[1] PUT DONE    r=0
kworker/u8:3: netfs_sreq: R=00002152[1] DOWN FREE  f=92 s=4000 2898/2898 s=2 e=0
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT SUBREQ  r=3
kworker/u8:3: netfs_sreq: R=00002152[2] ZERO DSCRD f=102 s=6898 768/768 s=2 e=0
kworker/u8:3: netfs_sreq: R=00002152[2] ZERO FREE  f=102 s=6898 768/768 s=2 e=0
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT SUBREQ  r=2
kworker/u8:3: netfs_rreq: R=00002152 RA COMPLET f=2021
kworker/u8:3: netfs_rreq: R=00002152 RA WAKE-IP f=2021
kworker/u8:3: netfs_rreq: R=00002152 RA DONE    f=2001
kworker/u8:3: netfs_rreq_ref: R=00002152 PUT WORK    r=1
          ip: netfs_rreq_ref: R=00002152 PUT RETURN  r=0
          ip: netfs_rreq: R=00002152 RA FREE    f=2001
EOF
	run -0 "$REPLAY" --json "$BATS_TEST_TMPDIR/head.txt"
	[ "$(echo "$output" | json_get 'len(d["findings"])')" = 0 ]
	[ "$(echo "$output" | json_get 'd["in_flight"]')" = "[]" ]
	[ "$(echo "$output" | json_get 'd["summary"]["in_flight_at_end"]')" = 0 ]
}
