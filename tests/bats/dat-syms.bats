#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The lean copy of a trace.dat carries `print fmt: ""` for the formats whose
# __print_symbolic() tables we read ourselves (decoders/dat_syms.c) and the
# tables are given back to libtraceevent: every report must be the one
# libtraceevent's own parse of the print fmts gives (NETFS_REPLAY_DAT_SYMS=0),
# byte for byte, text and --json, stdout, stderr and exit status, for every
# trace.dat of the fixtures and of the shared corpus.  (Table for table, the
# same is checked in tests/unit/test_dat_syms.c.)

load helper

setup() {
	CORPUS=$(nft_corpus)
}

# both FILE ARGS...: with libtraceevent's tables and with ours, the same report
both() {
	same_report NETFS_REPLAY_DAT_SYMS=0 NETFS_REPLAY_DAT_SYMS=1 "$@"
}

captures() {
	find "$FIX" -name '*.dat' | sort
	[ -z "$CORPUS" ] || find "$CORPUS" -name '*.dat' | sort
}

@test "every trace.dat: the same report with our tables as with libtraceevent's" {
	local n=0 f
	while read -r f; do
		both "$f"
		n=$((n + 1))
	done < <(captures)
	echo "$n captures"
	[ "$n" -gt 10 ]
}

@test "every trace.dat: the same --json with our tables as with libtraceevent's" {
	local f
	while read -r f; do
		both "$f" --json
	done < <(captures)
}

@test "a corpus capture's lean copy leaves its tables to us" {
	local f
	[ -n "$CORPUS" ] || skip "no corpus"
	f=$(ls "$CORPUS"/6.1*/fc_read.dat 2> /dev/null | head -1)
	[ -n "$f" ] || skip "no 6.1 fc_read.dat"
	run env NETFS_REPLAY_DAT_SAY_OPEN=1 "$REPLAY" "$f"
	[ "$status" -eq 0 ]
	echo "$output" | grep 'libtracecmd opens a lean v7 copy'
	n=$(echo "$output" | sed -n 's/.*event formats, \([0-9]*\) print fmts read by us.*/\1/p')
	[ "${n:-0}" -gt 5 ]
	run env NETFS_REPLAY_DAT_SAY_OPEN=1 NETFS_REPLAY_DAT_SYMS=0 "$REPLAY" "$f"
	echo "$output" | grep 'event formats, 0 print fmts read by us'
}

@test "-R (raw lines: the whole file, print fmts parsed by libtraceevent) is unchanged" {
	local f=$FIX/6.16/smb_fault_killloop.dat id
	id=$("$REPLAY" --json "$f" | grep -o '"R=[0-9a-f]*' | head -1 | tr -d '"')
	[ -n "$id" ] || id=R=1
	both "$f" -R "$id"
}
