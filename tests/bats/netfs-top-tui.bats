#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The real netfs-top screen in a real terminal: tmux runs it in replay
# mode, send-keys types, capture-pane reads what is on screen.  Every check
# waits for a text to appear (bounded), never for a time.

setup() {
	command -v tmux >/dev/null || skip "no tmux"
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	TOP=$NFT_BIN/netfs-top
	FIX=$BATS_TEST_DIRNAME/../fixtures/top
	SOCK=$BATS_TEST_TMPDIR/tmux.sock
	tmux -S "$SOCK" -f /dev/null new-session -d -s t -x 140 -y 40 \
		"TERM=xterm-256color $TOP -i $FIX/smallreads-6.12.txt.xz --speed 0 -d 0.2; echo EXITED \$?; sleep 30"
}

teardown() {
	tmux -S "$SOCK" kill-server 2>/dev/null || true
}

screen() {
	tmux -S "$SOCK" capture-pane -p -t t
}

# Wait until the screen shows $1 (a grep -E pattern); fail after ~10 s.
wait_for() {
	local i
	for i in $(seq 100); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	echo "never appeared: $1"; screen
	return 1
}

keys() {
	tmux -S "$SOCK" send-keys -t t "$@"
}

@test "screen: header, table, findings pane, end of capture" {
	wait_for "end of capture"
	wait_for "^Req/s"
	wait_for "inode +REQ/s +RD/s"
	wait_for "FINDINGS"
	wait_for "^5382988 "
}

@test "q quits and restores the terminal" {
	wait_for "end of capture"
	keys q
	wait_for "EXITED 0"
	! screen | grep -q "FINDINGS"
}

@test "g cycles the grouping: origin, cookie, inode" {
	wait_for "end of capture"
	keys g
	wait_for "^origin +REQ/s"
	wait_for "^RA "
	keys g
	wait_for "^cookie +REQ/s"
	keys g
	wait_for "^inode +REQ/s"
}

# The SUBREQ column (5th) of the first three table rows, one per line.
subreq_column() {
	screen | grep -A3 '^inode' | tail -3 | awk '{ print $5 }'
}

@test "sort: > moves the sort column right, r reverses the order" {
	wait_for "end of capture"
	wait_for "^inode +REQ/s"
	keys '>' '>' '>'
	# the sort column is drawn bold and underlined
	for i in $(seq 100); do
		tmux -S "$SOCK" capture-pane -e -p -t t | grep -Eq $'\e\\[1;4m +SUBREQ' && break
		sleep 0.1
	done
	tmux -S "$SOCK" capture-pane -e -p -t t | grep -Eq $'\e\\[1;4m +SUBREQ'
	wait_for "^5382988 "
	[ "$(screen | grep -A1 '^inode' | tail -1 | awk '{ print $1 }')" = 5382988 ]
	subreq_column | sort -c -n -r	# most subrequests first
	keys r
	# the selection (5382988, now last) stays on screen: the view scrolls
	wait_for "^5382988 +[0-9.]+ +[0-9.K]+ +[0-9]+ +135 "
	[ "$(screen | grep -A1 '^inode' | tail -1 | awk '{ print $1 }')" != 5382988 ]
	keys PPage PPage PPage
	for i in $(seq 100); do
		[ "$(subreq_column | head -1)" = 1 ] && break
		sleep 0.1
	done
	subreq_column | sort -c -n	# fewest first
	[ "$(subreq_column | head -1)" -eq 1 ]
}

@test "/ filters rows by name" {
	wait_for "end of capture"
	keys / 5382988 Enter
	wait_for "filter: 5382988"
	[ "$(screen | grep -cE '^53829[0-9]+ ')" -eq 1 ]
	keys / Escape
	wait_for "^5382990 "
}

@test "Enter drills into a row, Enter again shows the subrequest timeline" {
	wait_for "end of capture"
	keys / 5382988 Enter
	wait_for "filter: 5382988"
	keys Enter
	wait_for "in-flight and recent requests"
	wait_for "^R=[0-9a-f]{8} "
	keys Enter
	wait_for "timeline \\(as netfs-replay -R"
	keys Escape
	wait_for "in-flight and recent requests"
	keys Escape
	wait_for "^inode +REQ/s"
}

@test "h shows the help, any key closes it" {
	wait_for "end of capture"
	keys h
	wait_for "netfs-top keys"
	keys x
	wait_for "^inode +REQ/s"
	! screen | grep -q "netfs-top keys"
}

@test "p pauses" {
	wait_for "end of capture"
	keys p
	wait_for "\\[PAUSED\\]"
	keys p
	! screen | grep -q PAUSED || wait_for "^inode"
}

@test "resizing redraws to the new size" {
	wait_for "end of capture"
	tmux -S "$SOCK" resize-window -t t -x 90 -y 20 2>/dev/null ||
		tmux -S "$SOCK" resize-pane -t t -x 90 -y 20
	wait_for "FINDINGS"
	[ "$(screen | wc -l)" -le 20 ]
	screen | grep -q "^inode"
}

@test "SIGTERM in the TUI exits cleanly" {
	wait_for "end of capture"
	pid=$(pgrep -n -f "netfs-top -i $FIX/smallreads")
	kill -TERM "$pid"
	wait_for "EXITED 143"	# cleaned up, then 128+SIGTERM
}

# Live mode on a fake tracefs in a second session, under a non-interactive
# sh (which, unlike an interactive shell, does not put the tty back itself;
# it traps INT and QUIT so that Ctrl-\ ends netfs-top only):
# stty before and after, the exit status, and the instance.
live_tui() {
	W=$BATS_TEST_TMPDIR/live
	T=$W/tfs
	mkdir -p "$T/instances"
	tar xf "$FIX/formats-6.12.tar" -C "$T"
	rm -f "$W/before" "$W/after" "$W/rc"
	tmux -S "$SOCK" new-session -d -s live -x 120 -y 30 \
		"TERM=xterm-256color sh -c 'trap : INT QUIT; stty -g > $W/before; ulimit -c 0; NETFS_TOP_TRACEFS=$T $TOP -d 0.2 2>$W/err; echo \$? > $W/rc; stty -g > $W/after; sleep 30'"
	for i in $(seq 100); do
		ls "$T/instances" | grep -q netfs-top && break
		sleep 0.1
	done
	PID=$(ls "$T/instances" | sed -n 's/^netfs-top-//p' | head -1)
	[ -n "$PID" ]
	for i in $(seq 100); do
		[ "$(tmux -S "$SOCK" display -p -t live '#{alternate_on}')" = 1 ] && break
		sleep 0.1
	done
	[ "$(tmux -S "$SOCK" display -p -t live '#{alternate_on}')" = 1 ]
}

# After the signal or key: everything as before netfs-top started.
live_restored() {
	local want=$1 sig=${2:-}
	for i in $(seq 100); do [ -s "$W/rc" ] && [ -s "$W/after" ] && break; sleep 0.1; done
	echo "$sig rc=$(cat "$W/rc") alt=$(tmux -S "$SOCK" display -p -t live '#{alternate_on}') cursor=$(tmux -S "$SOCK" display -p -t live '#{cursor_flag}') left=[$(ls "$T/instances")]"
	[ "$(cat "$W/rc")" -eq "$want" ]
	[ "$(tmux -S "$SOCK" display -p -t live '#{alternate_on}')" = 0 ]
	[ "$(tmux -S "$SOCK" display -p -t live '#{cursor_flag}')" = 1 ]
	cmp "$W/before" "$W/after"
	[ -z "$(ls "$T/instances")" ]
	tmux -S "$SOCK" kill-session -t live
}

@test "SIGQUIT in the live TUI: instance removed, terminal restored, 131" {
	live_tui
	kill -QUIT "$PID"
	live_restored 131
}

@test "Ctrl-\\ in the live TUI: instance removed, terminal restored, 131" {
	live_tui
	tmux -S "$SOCK" send-keys -t live 'C-\'
	live_restored 131
}

# cmd/netfs-top.c's table, as in netfs-top.bats: stop signals, then faults.
ALL_SIGNALS="HUP INT QUIT TERM USR1 USR2 ALRM PIPE XCPU XFSZ VTALRM PROF IO PWR STKFLT RTMIN RTMAX SEGV BUS FPE ILL ABRT SYS TRAP"

@test "the live TUI restores the terminal on every signal of the table" {
	for sig in $ALL_SIGNALS; do
		live_tui
		kill "-$sig" "$PID"
		live_restored $((128 + $(kill -l "$sig"))) "$sig"
	done
}
