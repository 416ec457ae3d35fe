#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The options of the three commands are declared once, in a table per
# command (cmd/lib/cli.h); --list-options prints every spelling from it.
# The bash and zsh completions and the man pages are written by hand: each
# must name every option the table has.

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	ROOT=$BATS_TEST_DIRNAME/../..
}

# names CMD FILE ESCAPE: the options of CMD that FILE does not name (as a
# whole word; ESCAPE=1: as troff writes them, \-\-input).
missing() {
	local cmd=$1 file=$2 esc=$3 o pat
	for o in $("$NFT_BIN/$cmd" --list-options); do
		if [ "$esc" = 1 ]; then
			# troff: \fP\-\-input=, .BR \-d
			pat="(^|[^-])${o//-/\\\\-}([^a-zA-Z0-9-]|$)"
		else
			pat="(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|$)"
		fi
		grep -qE -- "$pat" "$file" || echo "$o"
	done
}

@test "--list-options: every spelling, one a line, hidden from --help" {
	for c in netfs-replay netfs-top netfs-sim; do
		run "$NFT_BIN/$c" --list-options
		[ "$status" -eq 0 ]
		[[ "$output" == *"--help"* ]]
		[ "$(printf '%s\n' "$output" | grep -vc '^--\?[a-zA-Z]')" -eq 0 ]
		run "$NFT_BIN/$c" --help
		[[ "$output" != *"list-options"* ]]
	done
	# a table entry is an option: the analysis options are in every analysing command
	for c in netfs-replay netfs-top; do
		for o in --fail-on --stuck-after --retry-limit --kernel --max-objects; do
			"$NFT_BIN/$c" --list-options | grep -qx -- "$o"
		done
	done
}

@test "bash completions name every option" {
	for c in netfs-replay netfs-top netfs-sim; do
		m=$(missing $c "$ROOT/completions/$c.bash" 0)
		[ -z "$m" ] || { echo "$c.bash lacks: $m"; false; }
	done
}

@test "zsh completions name every option" {
	for c in netfs-replay netfs-top netfs-sim; do
		m=$(missing $c "$ROOT/completions/_$c" 0)
		[ -z "$m" ] || { echo "_$c lacks: $m"; false; }
	done
}

@test "man pages name every option" {
	for c in netfs-replay netfs-top netfs-sim; do
		m=$(missing $c "$ROOT/docs/$c.1" 1)
		[ -z "$m" ] || { echo "$c.1 lacks: $m"; false; }
	done
}

@test "the same messages everywhere: a bad value, a missing value, an unknown option" {
	for c in netfs-replay netfs-top; do
		run "$NFT_BIN/$c" --max-objects 0
		[ "$status" -eq 2 ]
		[ "${lines[0]}" = "$c: --max-objects wants a number > 0, not '0'" ]
		[ "${lines[1]}" = "Try '$c --help'." ]
		run "$NFT_BIN/$c" --kernel
		[ "$status" -eq 2 ]
		[[ "${lines[0]}" == *"option '--kernel' requires an argument" ]]
		[ "${lines[1]}" = "Try '$c --help'." ]
	done
	for c in netfs-replay netfs-top netfs-sim; do
		run "$NFT_BIN/$c" --no-such-option
		[ "$status" -eq 2 ]
		[[ "${lines[0]}" == *"unrecognized option '--no-such-option'" ]]
		[ "${lines[1]}" = "Try '$c --help'." ]
	done
	# netfs-sim's bad values: the message alone, as it always was
	run "$NFT_BIN/netfs-sim" --seed x
	[ "$status" -eq 2 ]
	[ "$output" = "netfs-sim: --seed: 'x' is not a number" ]
}
