#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Decoding and analysing on two threads (libnetfs-trace/pipeline.c: the
# model takes batches of decoded events from a thread of its own) gives
# the same reports, byte for byte, as one thread: every capture of the
# repository's fixtures and of the shared corpus, text and --json, stdout
# and stderr; -R (each event's raw line handed over too); netfs-top -i.
# NETFS_TRACE_THREADS=1 hands over from the first event, =0 never.

load helper

setup() {
	NFT_BIN=$(nft_bin)
	CORPUS=$(nft_corpus)
}

# both FILE ARGS...: on one thread and on two, the same report
both() {
	same_report NETFS_TRACE_THREADS=0 NETFS_TRACE_THREADS=1 "$@"
}

captures() {
	find "$FIX" -name '*.dat' -o -name '*.txt' -o -name '*.txt.xz' -o -name '*.txt.gz' | sort
	[ -z "$CORPUS" ] || find "$CORPUS" -name '*.dat' -o -name '*.txt.xz' | sort
}

@test "every capture: the same report on one thread and on two" {
	local n=0 f
	while read -r f; do
		both "$f"
		n=$((n + 1))
	done < <(captures)
	echo "$n captures"
	[ "$n" -gt 20 ]
}

@test "every capture: the same --json on one thread and on two" {
	local f
	while read -r f; do
		both "$f" --json
	done < <(captures)
}

@test "-R: the same object report, raw lines handed over" {
	local f=$FIX/6.16/smb_fault_killloop.dat
	both "$f" -R R=0000134a
	grep -q "R=0000134a" "$BATS_TEST_TMPDIR/out.1"
	both "$f" -R R=0000134a --brief
	both "$FIX/6.18/smb_fault_killloop.txt.xz" -R 1
}

@test "damaged inputs: the same messages in the same order" {
	local f
	for f in "$FIX"/dat/corrupt-page.dat "$FIX"/dat/fuzz-v6-page.dat \
		 "$FIX"/dat/lost.dat "$FIX"/dat/trunc-header.dat; do
		both "$f"
		both "$f" --json
	done
}

@test "netfs-top -i: the same intervals" {
	local f=$FIX/top/smallreads-6.12.txt.xz a b
	a=$(NETFS_TRACE_THREADS=0 "$NFT_BIN/netfs-top" -b --json -i "$f" --speed 0 -d 0.5)
	b=$(NETFS_TRACE_THREADS=1 "$NFT_BIN/netfs-top" -b --json -i "$f" --speed 0 -d 0.5)
	[ -n "$a" ]
	[ "$a" = "$b" ]
}

@test "--perfetto and --html (written through the model's hooks): the same files" {
	local f=$FIX/6.16/smb_fault_killloop.dat t
	"$REPLAY" --help | grep -q -- --perfetto || skip "no --perfetto"
	for t in 0 1; do
		NETFS_TRACE_THREADS=$t "$REPLAY" --perfetto "$BATS_TEST_TMPDIR/p$t" \
			--html "$BATS_TEST_TMPDIR/h$t" "$f" > /dev/null 2>&1 || true
		# the page's CSP nonce is new each run
		sed 's/nonce-[0-9a-f]*/nonce-X/g; s/nonce="[0-9a-f]*"/nonce="X"/g' \
			"$BATS_TEST_TMPDIR/h$t" > "$BATS_TEST_TMPDIR/hn$t"
	done
	[ -s "$BATS_TEST_TMPDIR/p0" ]
	cmp "$BATS_TEST_TMPDIR/p0" "$BATS_TEST_TMPDIR/p1"
	[ -s "$BATS_TEST_TMPDIR/hn0" ]
	cmp "$BATS_TEST_TMPDIR/hn0" "$BATS_TEST_TMPDIR/hn1"
}
