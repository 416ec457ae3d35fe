#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Uncompressed trace.dat cpu data (v6, v7 without compression) is read by
# dat_zcpu.c's page loop, a window of pages at a time with pread(), instead
# of libtracecmd's record reader (a malloc per record, and a mapping of the
# cpu data that made peak RSS grow with the file; issue 12).
# NETFS_REPLAY_DAT_RAW=0 forces libtracecmd's reader: both must give the
# same report, --json and -R lines, messages and exit status byte for byte.

load helper
bats_require_minimum_version 1.5.0

setup() {
	BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	DAT=$BATS_TEST_DIRNAME/../fixtures/dat
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# both_ways FILE ARGS...: stdout+stderr+status of the page loop and of
# libtracecmd's reader, the same; prints the difference
both_ways() {
	local f=$1 s
	shift
	s=0
	"$BIN/netfs-replay" "$@" "$f" > "$TMP/raw" 2>&1 || s=$?
	echo "exit $s" >> "$TMP/raw"
	s=0
	NETFS_REPLAY_DAT_RAW=0 "$BIN/netfs-replay" "$@" "$f" > "$TMP/lib" 2>&1 || s=$?
	echo "exit $s" >> "$TMP/lib"
	diff "$TMP/lib" "$TMP/raw" || { echo "differs: $* $f"; return 1; }
}

# all_views FILE: text, --json and -R of its first request
all_views() {
	local f=$1 id
	both_ways "$f" || return 1
	both_ways "$f" --json || return 1
	id=$("$BIN/netfs-replay" --json "$f" 2> /dev/null |
		grep -o '"request": "R=[0-9a-f]*' | head -1 | cut -d= -f2)
	[ -z "$id" ] || both_ways "$f" -R "$id"
}

# v6 and v7-without-compression twins of FILE in $TMP (trace-cmd 3.x)
twins() {
	local f=$1 k
	k=$(basename "$(dirname "$f")")-$(basename "$f" .dat)
	trace-cmd convert --file-version 6 --compression none -i "$f" \
		-o "$TMP/$k.v6.dat" > /dev/null 2>&1 || return 1
	trace-cmd convert --compression none -i "$f" -o "$TMP/$k.none.dat" \
		> /dev/null 2>&1 || return 1
	echo "$TMP/$k.v6.dat $TMP/$k.none.dat"
}

@test "the uncompressed fixtures: page loop and libtracecmd's reader agree" {
	local f n=0
	for f in "$DAT"/*.dat "$DAT"/v7/*.dat; do
		all_views "$f"
		n=$((n + 1))
	done
	[ "$n" -gt 5 ]
}

@test "every corpus capture as v6 and as uncompressed v7: the same reports both ways" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	command -v trace-cmd > /dev/null || skip "no trace-cmd"
	local f t n=0
	for f in "$CORPUS"/*/*.dat; do
		for t in $(twins "$f"); do
			all_views "$t"
			n=$((n + 1))
		done
		rm -f "$TMP"/*.v6.dat "$TMP"/*.none.dat
	done
	[ "$n" -gt 10 ]
}

@test "the page loop is what reads a sound uncompressed file (256 KiB windows), not libtracecmd's mapping" {
	command -v strace > /dev/null || skip "no strace"
	local f=$DAT/pages-v6.dat
	# the page loop reads each cpu's data with pread(); libtracecmd maps it
	strace -f -e trace=pread64 -o "$TMP/raw.st" "$BIN/netfs-replay" "$f" > /dev/null 2>&1 || true
	NETFS_REPLAY_DAT_RAW=0 strace -f -e trace=pread64 -o "$TMP/lib.st" \
		"$BIN/netfs-replay" "$f" > /dev/null 2>&1 || true
	# cpu 0's four pages at 57344, cpu 1's at 73728 (see tracedat-reader.bats)
	# their pages are checked once on either path (tracedat.c
	# scan_pages(); on the lean path dat_v6_lean()'s pages_sound()); on
	# the lean path the record scan (nft_zcpu_record_ids(): which formats
	# the records need) and the page loop read them again, libtracecmd not
	[ "$(grep -c 'pread64([0-9]*, .*, 16384, 57344)' "$TMP/raw.st")" -eq 3 ]
	[ "$(grep -c 'pread64([0-9]*, .*, 16384, 57344)' "$TMP/lib.st")" -eq 1 ]
}

@test "a damaged uncompressed page: libtracecmd's reader takes over, the same messages and markers" {
	command -v python3 > /dev/null || skip "no python3"
	local src how
	for src in "$DAT/pages-v6.dat" "$DAT/v7/pages-none.dat"; do
		for how in commit-ff last-event flags; do
			python3 "$BATS_TEST_DIRNAME/../dat/damage.py" "$src" "$TMP/d.dat" 61440 "$how" > /dev/null
			both_ways "$TMP/d.dat"
			both_ways "$TMP/d.dat" --json
			run --separate-stderr "$BIN/netfs-replay" "$TMP/d.dat"
			[ "$status" -eq 2 ]
			[[ "$stderr" == *"error: cpu 0: ring-buffer page 2 of"* ]]
		done
	done
}

@test "a grown uncompressed file: peak RSS does not grow with the records" {
	command -v python3 > /dev/null || skip "no python3"
	[ -x /usr/bin/time ] || skip "no GNU time"
	# ASan's quarantine keeps freed memory: RSS is no measure there
	if ldd "$BIN/netfs-replay" 2> /dev/null | grep -q libasan; then
		skip "sanitizer build"
	fi
	local src=$DAT/pages-v6.dat small big
	python3 "$BATS_TEST_DIRNAME/../../bench/grow-dat.py" "$src" "$TMP/g2.dat" 2
	python3 "$BATS_TEST_DIRNAME/../../bench/grow-dat.py" "$src" "$TMP/g.dat" 1500
	/usr/bin/time -f %M -o "$TMP/m2" "$BIN/netfs-replay" "$TMP/g2.dat" > /dev/null 2>&1 || true
	/usr/bin/time -f %M -o "$TMP/m" "$BIN/netfs-replay" "$TMP/g.dat" > /dev/null 2>&1 || true
	small=$(tail -1 "$TMP/m2")
	big=$(tail -1 "$TMP/m")
	# 1500 copies: 48 MB of cpu data, which libtracecmd's mapping held
	# (NETFS_REPLAY_DAT_RAW=0: +48 MB)
	[ "$big" -lt $((small + 8192)) ] || { echo "peak RSS $small KB -> $big KB"; return 1; }
}

@test "every event encoding (long form, time extend, absolute stamp, padding, missed counts): both readers agree" {
	command -v python3 > /dev/null || skip "no python3"
	local n f
	# the corpus pages hold short records and time extends only
	n=$(python3 "$BATS_TEST_DIRNAME/../dat/repack.py" "$DAT/pages-v6.dat" "$TMP/r.dat")
	[ "$n" -eq 744 ]
	set -- "$TMP/r.dat"
	if command -v trace-cmd > /dev/null &&
	   trace-cmd convert --compression none -i "$TMP/r.dat" -o "$TMP/r7.dat" > /dev/null 2>&1; then
		set -- "$@" "$TMP/r7.dat"
	fi
	for f in "$@"; do
		all_views "$f"
		run --separate-stderr "$BIN/netfs-replay" --json "$f"
		[ "$status" -eq 0 ]
		[[ "$output" == *'"records": 744'* ]]
		# stored counts 5 on each cpu's third page; the second page's
		# flag does not count: its first event is a time extend, and
		# kbuffer gives a page's count only to a record at offset 0
		[[ "$output" == *'"lost_events": 10'* ]]
	done
	# the page loop read it, not libtracecmd (see above)
	if command -v strace > /dev/null; then
		strace -f -e trace=pread64 -o "$TMP/st" "$BIN/netfs-replay" "$TMP/r.dat" > /dev/null 2>&1 || true
		[ "$(grep -c 'pread64([0-9]*, .*, 16384, 57344)' "$TMP/st")" -eq 3 ]
	fi
}

# Start-up (issue 12): libtracecmd and the checking child open a lean copy
# of a sound v6 file (dat_layout.c dat_v6_lean(): no kallsyms, printk
# formats or cpu data; no ftrace formats when no record is of an ftrace
# event).  NETFS_REPLAY_DAT_SAY_OPEN=1 says which.
@test "a sound v6 or uncompressed v7 file: libtracecmd opens a lean copy; -R, NETFS_REPLAY_DAT_RAW=0 the file" {
	local f=$DAT/pages-v6.dat id
	run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" "$f"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"libtracecmd opens a lean v6 copy without the ftrace formats"* ]]
	# a v7 file without compression: nft_zcpu_unpack_lean_none()
	run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" "$DAT/v7/pages-none.dat"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"libtracecmd opens a lean v7 copy (no compression) without the ftrace formats"* ]]
	all_views "$DAT/v7/pages-none.dat"
	run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 NETFS_REPLAY_DAT_FTRACE=1 "$BIN/netfs-replay" "$f"
	[[ "$stderr" == *"libtracecmd opens a lean v6 copy"* ]]
	[[ "$stderr" != *"without the ftrace formats"* ]]
	run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 NETFS_REPLAY_DAT_RAW=0 "$BIN/netfs-replay" "$f"
	[[ "$stderr" == *"libtracecmd opens the file"* ]]
	# raw lines may print symbols: the whole file
	if command -v trace-cmd > /dev/null; then
		trace-cmd convert --file-version 6 --compression none \
			-i "$BATS_TEST_DIRNAME/../fixtures/6.12/append.dat" \
			-o "$TMP/a6.dat" > /dev/null 2>&1
		run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" "$TMP/a6.dat"
		[[ "$stderr" == *"libtracecmd opens a lean v6 copy"* ]]
		id=$(trace-cmd report -i "$TMP/a6.dat" 2> /dev/null |
			grep -o 'R=[0-9a-f]*' | head -1 | cut -d= -f2)
		[ -n "$id" ]
		run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" -R "$id" "$TMP/a6.dat"
		[[ "$stderr" == *"libtracecmd opens the file"* ]]
		all_views "$TMP/a6.dat"
	fi
	# a buffer instance: the whole file
	run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" "$DAT/instance.dat"
	[[ "$stderr" == *"libtracecmd opens the file"* ]]
	# the same output with and without the ftrace formats, and as the
	# whole file gives it
	NETFS_REPLAY_DAT_FTRACE=1 "$BIN/netfs-replay" --json "$f" > "$TMP/keep" 2>&1
	"$BIN/netfs-replay" --json "$f" > "$TMP/lean" 2>&1
	diff "$TMP/keep" "$TMP/lean"
	all_views "$f"
}

@test "a v6 file with damaged event formats: on the lean path, the messages of the whole file" {
	command -v python3 > /dev/null || skip "no python3"
	local how
	# same-length edits: the lengths stay right, the lean copy is made,
	# libtraceevent parses the damaged text as it would in the file
	for how in field-offset print-fmt netfs-id ftrace-id common-type; do
		python3 - "$DAT/pages-v6.dat" "$TMP/d.dat" "$how" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
how = sys.argv[3]
def sub(old, new, start=0):
    i = d.index(old, start)
    assert len(old) == len(new)
    d[i:i + len(old)] = new
n = d.index(b'name: netfs_read\n')
if how == 'field-offset':
    sub(b'offset:40;', b'offset:99;', n)
elif how == 'print-fmt':
    sub(b'print fmt: "R=', b'print fmt: \x01R=', n)
elif how == 'netfs-id':
    sub(b'ID: 1566', b'ID: 15x6', n)
elif how == 'ftrace-id':
    sub(b'ID: ', b'IX: ', d.index(b'name: print\n'))
elif how == 'common-type':
    sub(b'common_type;', b'common_tXpe;', n)
open(sys.argv[2], 'wb').write(d)
PY
		run --separate-stderr env NETFS_REPLAY_DAT_SAY_OPEN=1 "$BIN/netfs-replay" "$TMP/d.dat"
		[[ "$stderr" == *"libtracecmd opens a lean v6 copy"* ]] || { echo "not lean: $how"; return 1; }
		all_views "$TMP/d.dat" || { echo "differs: $how"; return 1; }
	done
}
