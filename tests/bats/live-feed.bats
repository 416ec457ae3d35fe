#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-top's live path end to end without a netfs kernel: a fake tracefs
# tree (events/ of a 6.12 kernel) whose "ring buffers" are a capture's
# records cut into pages (NETFS_TOP_FEED, decoders/live.c struct nft_feed).
# Pages written faster than netfs-top reads them overrun the rings as the
# kernel's do (the next page read carries RB_MISSED_EVENTS, and the count
# with RB_MISSED_STORED when it fits): the loss must be counted, shown on
# the screen and in batch text and JSON, and every finding it could have
# caused must be uncertain.

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	TOP=$NFT_BIN/netfs-top
	FIX=$BATS_TEST_DIRNAME/../fixtures
	DAT=$FIX/6.16/smb_fault_killloop.dat
	T=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$T/instances"
	tar xf "$FIX/top/formats-6.12.tar" -C "$T"
	export NETFS_TOP_TRACEFS=$T NETFS_TOP_FEED=$DAT
}

teardown() {
	[ -z "${SOCK:-}" ] || tmux -S "$SOCK" kill-server 2>/dev/null || true
}

# The findings of a --json run (last line: all of them so far), one per
# line: "kind object uncertain".
findings() {
	python3 -c '
import json, sys
seen = []
for l in sys.stdin:
    for f in json.loads(l)["findings"]:
        seen.append("%s %s %s" % (f["kind"], f["object"], f["uncertain"]))
print("\n".join(seen))'
}

@test "fed without overload: the same totals and findings as netfs-replay" {
	run "$TOP" -b --json -n 2 -d 0.3
	[ "$status" -le 1 ]
	last=$(printf '%s\n' "$output" | grep '^{' | tail -1)
	top=$(printf '%s' "$last" | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["requests"], t["subrequests"], t["bytes_read"], t["events"], t["lost_events"], t["lost_markers"])')
	rep=$("$NFT_BIN/netfs-replay" --json "$DAT" 2>/dev/null | python3 -c 'import json,sys; t=json.load(sys.stdin)["summary"]; print(t["requests"], t["subrequests"], t["bytes_read"], t["events"], 0, 0)')
	[ "$top" = "$rep" ]
	f=$(printf '%s\n' "$output" | grep '^{' | findings | sort)
	r=$("$NFT_BIN/netfs-replay" --json "$DAT" 2>/dev/null | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    print(f["kind"], f["object"], f["uncertain"])' | sort)
	[ -n "$f" ]
	[ "$f" = "$r" ]
	[[ "$output" != *"came after newer ones"* ]]
	[ -z "$(ls "$T/instances")" ]
}

@test "overload: lost events counted in batch JSON, findings they caused uncertain" {
	NETFS_TOP_FEED_RING=1 NETFS_TOP_FEED_RATE=5 run "$TOP" -b --json -n 3 -d 0.3
	[ "$status" -le 1 ]
	json=$(printf '%s\n' "$output" | grep '^{')
	# per interval and in total, and they add up
	read -r sum total markers <<<"$(printf '%s\n' "$json" | python3 -c '
import json, sys
ls = [json.loads(l) for l in sys.stdin]
print(sum(d["interval"]["lost_events"] for d in ls),
      ls[-1]["total"]["lost_events"], ls[-1]["total"]["lost_markers"])')"
	[ "$total" -gt 0 ]
	[ "$sum" -eq "$total" ]
	[ "$markers" -gt 0 ]
	# the clean run's findings, and the overloaded run's
	clean=$(unset NETFS_TOP_FEED_RING; "$TOP" -b --json -n 1 -d 0.3 | findings | sort)
	printf '%s\n' "$json" | findings | sort > "$BATS_TEST_TMPDIR/over"
	[ -s "$BATS_TEST_TMPDIR/over" ]
	# every finding of the overloaded run not in the clean run: uncertain
	while read -r kind obj unc; do
		if ! grep -qxF -e "$kind $obj True" -e "$kind $obj False" <<<"$clean"; then
			echo "new: $kind $obj $unc"
			[ "$unc" = True ]
		fi
	done < "$BATS_TEST_TMPDIR/over"
	[[ "$output" != *"came after newer ones"* ]]
	[ -z "$(ls "$T/instances")" ]
}

@test "overload: batch text says how many events were lost" {
	NETFS_TOP_FEED_RING=1 NETFS_TOP_FEED_RATE=5 run "$TOP" -b -n 2 -d 0.3
	[ "$status" -le 1 ]
	[[ "${lines[2]}" =~ lost\ events\ [1-9][0-9]*\  ]]
}

@test "overload without stored counts: an unknown number, still shown" {
	NETFS_TOP_FEED_RING=1 NETFS_TOP_FEED_RATE=5 NETFS_TOP_FEED_UNSTORED=1 \
		run "$TOP" -b -n 1 -d 0.3
	[ "$status" -le 1 ]
	[[ "${lines[2]}" == *"lost events 0+ "* ]]
	NETFS_TOP_FEED_RING=1 NETFS_TOP_FEED_RATE=5 NETFS_TOP_FEED_UNSTORED=1 \
		run "$TOP" -b --json -n 1 -d 0.3
	printf '%s\n' "$output" | grep '^{' | python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
assert d["interval"]["lost_events"] == 0, d["interval"]
assert d["interval"]["lost_markers"] > 0, d["interval"]'
}

@test "overload on the screen: Lost events in the status line, findings marked" {
	command -v tmux >/dev/null || skip "no tmux"
	SOCK=$BATS_TEST_TMPDIR/tmux.sock
	tmux -S "$SOCK" -f /dev/null new-session -d -s t -x 200 -y 40 \
		"NETFS_TOP_TRACEFS=$T NETFS_TOP_FEED=$DAT NETFS_TOP_FEED_RING=1 NETFS_TOP_FEED_RATE=5 TERM=xterm-256color $TOP -d 0.2; echo EXITED \$?; sleep 30"
	local i shown=
	for i in $(seq 100); do
		if tmux -S "$SOCK" capture-pane -p -t t | grep -Eq "Lost events [1-9]" &&
		   tmux -S "$SOCK" capture-pane -p -t t | grep -q "(uncertain: events"; then
			shown=1
			break
		fi
		sleep 0.1
	done
	[ -n "$shown" ] || { tmux -S "$SOCK" capture-pane -p -t t; false; }
	tmux -S "$SOCK" send-keys -t t q
	for i in $(seq 100); do
		tmux -S "$SOCK" capture-pane -p -t t | grep -q "EXITED" && break
		sleep 0.1
	done
	[ -z "$(ls "$T/instances")" ]
}
