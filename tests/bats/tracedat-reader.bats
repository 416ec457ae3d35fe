#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Compressed (v7) trace.dat files are read by decoders/dat_zcpu.c one chunk
# at a time instead of through libtracecmd's reader, which keeps every chunk
# it decompressed.  NETFS_REPLAY_DAT_READER=libtracecmd makes netfs-replay
# use libtracecmd's: both must give the same analysis and the same messages.

load helper
bats_require_minimum_version 1.5.0

setup() {
	BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	FIX=$BATS_TEST_DIRNAME/../fixtures/dat/v7
	CHUNKS=$BATS_TEST_DIRNAME/../dat/chunks.py
	TMP=$(mktemp -d)
}

teardown() {
	rm -rf "$TMP"
}

# Same --json and stderr from both readers; prints what differs.
same_both_ways() {
	local f=$1
	shift
	"$BIN/netfs-replay" --json "$@" "$f" > "$TMP/ours.json" 2> "$TMP/ours.err" || true
	NETFS_REPLAY_DAT_READER=libtracecmd "$BIN/netfs-replay" --json "$@" "$f" \
		> "$TMP/lib.json" 2> "$TMP/lib.err" || true
	diff "$TMP/lib.json" "$TMP/ours.json" && diff "$TMP/lib.err" "$TMP/ours.err"
}

@test "the v7 fixtures (instances, lost events): both readers agree" {
	local f
	for f in "$FIX/instance.dat" "$FIX/two-instances.dat" "$FIX/lost.dat"; do
		same_both_ways "$f"
	done
	same_both_ways "$FIX/instance.dat" --instance ''
	same_both_ways "$FIX/two-instances.dat" --instance b
	run "$BIN/netfs-replay" --json "$FIX/lost.dat"
	[[ "$output" == *'"lost_events": 7'* ]]
}

@test "every corpus trace.dat: both readers give the same analysis" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f n=0
	for f in "$CORPUS"/*/*.dat; do
		same_both_ways "$f" || { echo "differs: $f"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

@test "a request's lines (-R) are the same through both readers" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f id
	for f in "$CORPUS"/7.2*/smb_dio.dat "$CORPUS"/6.12*/smb_fault_kill.dat; do
		[ -e "$f" ] || continue
		id=$("$BIN/netfs-replay" --json "$f" | grep -o '"request": "R=[0-9a-f]*' | head -1 | cut -d= -f2)
		[ -n "$id" ] || id=$(xz -dc "${f%.dat}.txt.xz" | grep -m1 -o 'R=[0-9a-f]*' | cut -d= -f2)
		"$BIN/netfs-replay" -R "$id" "$f" > "$TMP/ours" 2>&1
		NETFS_REPLAY_DAT_READER=libtracecmd "$BIN/netfs-replay" -R "$id" "$f" > "$TMP/lib" 2>&1
		diff "$TMP/lib" "$TMP/ours"
		grep -q "netfs_rreq" "$TMP/ours"
	done
}

@test "a chunk that does not decompress: named, lost, and the chunks after it still read" {
	local f=$CORPUS/6.12.107+deb13-amd64/seqread.dat
	[ -e "$f" ] || skip "no $f"
	python3 "$CHUNKS" spoil "$f" "$TMP/bad.dat" 0 30
	run "$BIN/netfs-replay" --json "$TMP/bad.dat"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'cpu 0: chunk 31 of 70: does not decompress; its records are lost'
	echo "$output" | grep -q 'records came from 690 of its 700 data pages'
	ours=$(echo "$output" | grep -o '"events": [0-9]*' | head -1 | grep -o '[0-9]*$')
	NETFS_REPLAY_DAT_READER=libtracecmd run "$BIN/netfs-replay" --json "$TMP/bad.dat"
	[ "$status" -eq 2 ]
	lib=$(echo "$output" | grep -o '"events": [0-9]*' | head -1 | grep -o '[0-9]*$')
	# libtracecmd ends cpu 0 at the bad chunk; we lose only its 10 pages
	echo "ours $ours libtracecmd $lib"
	[ "$ours" -gt $((lib * 2)) ]
	[ "$ours" -lt 72704 ]
}

@test "a bad chunk header: the rest of that cpu is lost and said so; libtracecmd is kept away from it" {
	local f=$CORPUS/6.12.107+deb13-amd64/seqread.dat
	[ -e "$f" ] || skip "no $f"
	# chunk 60 of cpu 0 claims more compressed bytes than the cpu has;
	# libtracecmd 3.1 crashes opening such a file
	read -r _ _ _ at _ _ < <(python3 "$CHUNKS" list "$f" | awk '$2 == 0 && $3 == 60')
	cp "$f" "$TMP/hdr.dat"
	printf '\xff\xff\xff\x7f' | dd of="$TMP/hdr.dat" bs=1 seek="$at" conv=notrunc status=none
	run "$BIN/netfs-replay" --json "$TMP/hdr.dat"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q "damaged where libtracecmd cannot open it"
	echo "$output" | grep -q "offset $at: error: cpu 0: chunk 61 of 70: bad chunk header; the rest of this cpu's data is lost"
	events=$(echo "$output" | grep -o '"events": [0-9]*' | head -1 | grep -o '[0-9]*$')
	# chunks 1-60 of cpu 0 (600 pages) and all of cpu 1
	[ "$events" -gt 60000 ] && [ "$events" -lt 72704 ]
	NETFS_REPLAY_DAT_READER=libtracecmd run "$BIN/netfs-replay" "$TMP/hdr.dat"
	[ "$status" -eq 2 ]
	[[ "$output" == *"libtracecmd/libtraceevent crash opening this trace.dat"* ]]
}

@test "the first chunk of a cpu does not decompress: the others are still read" {
	local f=$CORPUS/6.12.107+deb13-amd64/seqread.dat
	[ -e "$f" ] || skip "no $f"
	python3 "$CHUNKS" spoil "$f" "$TMP/c0.dat" 0 0
	run "$BIN/netfs-replay" --json "$TMP/c0.dat"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'cpu 0: chunk 1 of 70: does not decompress; its records are lost'
	echo "$output" | grep -q 'records came from 690 of its 700 data pages'
	python3 "$CHUNKS" spoil "$f" "$TMP/c1.dat" 1 0
	run "$BIN/netfs-replay" --json "$TMP/c1.dat"
	[ "$status" -eq 2 ]
	echo "$output" | grep -q 'cpu 1: chunk 1 of 1: does not decompress'
	events=$(echo "$output" | grep -o '"events": [0-9]*' | head -1 | grep -o '[0-9]*$')
	[ "$events" -gt 70000 ]
}

@test "a zlib trace.dat (Debian 12's libtracecmd has zstd only): the same analysis as its zstd twin" {
	command -v trace-cmd > /dev/null || skip "trace-cmd not installed"
	local src=$BATS_TEST_DIRNAME/../fixtures/6.12/append.dat
	trace-cmd convert --compression none -i "$src" -o "$TMP/none.dat" > /dev/null 2>&1
	python3 "$BATS_TEST_DIRNAME/../fixtures/dat/recompress.py" "$TMP/none.dat" "$TMP/z.dat"
	[ "$(dd if="$TMP/z.dat" bs=1 skip=18 count=4 status=none)" = zlib ]
	"$BIN/netfs-replay" --json "$src" | json_get 'd["summary"]' > "$TMP/zstd.sum"
	run --separate-stderr "$BIN/netfs-replay" --json "$TMP/z.dat"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | json_get 'd["summary"]')" = "$(cat "$TMP/zstd.sum")" ]
	[ "$(echo "$output" | json_get 'd["summary"]["requests"]')" -eq 40 ]
	[[ "$stderr" != *error* ]]
	# two instances, zlib: --instance picks as in the zstd file
	trace-cmd convert --compression none -i "$FIX/two-instances.dat" -o "$TMP/none2.dat" > /dev/null 2>&1
	python3 "$BATS_TEST_DIRNAME/../fixtures/dat/recompress.py" --chunk-pages 1 "$TMP/none2.dat" "$TMP/z2.dat"
	for i in a b; do
		diff <("$BIN/netfs-replay" --json --instance $i "$FIX/two-instances.dat" 2>&1 | grep -v '"file"') \
		     <("$BIN/netfs-replay" --json --instance $i "$TMP/z2.dat" 2>&1 | grep -v '"file"' | sed "s|$TMP/z2.dat|$FIX/two-instances.dat|")
	done
}

@test "zlib without netfs-replay's own reader, or zlib that does not decompress: named, exit 2" {
	if command -v trace-cmd > /dev/null && trace-cmd list -c 2>/dev/null | grep -q zlib; then
		skip "this libtracecmd reads zlib"
	fi
	# the v7 fixture's header relabelled: "zstd" -> "zlib" (same length)
	cp "$FIX/lost.dat" "$TMP/zlib.dat"
	printf 'zlib' | dd of="$TMP/zlib.dat" bs=1 seek=18 conv=notrunc status=none
	NETFS_REPLAY_DAT_READER=libtracecmd run "$BIN/netfs-replay" "$TMP/zlib.dat"
	[ "$status" -eq 2 ]
	[[ "$output" == *"offset 18: error: trace.dat compressed with zlib 1.5.4, which this libtracecmd cannot decompress (NETFS_REPLAY_DAT_READER=libtracecmd"* ]]
	[[ "$output" != *corrupt* ]]
	run "$BIN/netfs-replay" "$TMP/zlib.dat"
	[ "$status" -eq 2 ]
	[[ "$output" == *"offset 18: error: trace.dat compressed with zlib 1.5.4, which this libtracecmd cannot decompress, and its metadata does not decompress with it either"* ]]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	# a compression nobody here knows
	printf 'lz4\0' | dd of="$TMP/zlib.dat" bs=1 seek=18 conv=notrunc status=none
	run "$BIN/netfs-replay" "$TMP/zlib.dat"
	[ "$status" -eq 2 ]
	[[ "$output" == *"compressed with lz4"*"trace-cmd convert --compression none"* ]]
}

# events and lost_markers of a --json run, "E L"
events_lost() {
	"$BIN/netfs-replay" --json --fail-on none "$1" > "$TMP/out" 2> "$TMP/err" || true
	# nothing readable before the cut: a refused input's document
	json_get '"%d %d" % (d["summary"]["events"], d["summary"]["lost_markers"]) if d["summary"] else "0 0"' < "$TMP/out"
}

@test "a trace.dat cut short (v7 zstd): the records before the cut, the rest lost events, exit 2" {
	local src=$BATS_TEST_DIRNAME/../fixtures/6.12/append.dat
	# cpu 0's data is whole, cpu 1's single chunk is cut
	head -c 1570000 "$src" > "$TMP/cut.dat"
	run --separate-stderr "$BIN/netfs-replay" --json "$TMP/cut.dat"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"cut.dat:offset 1570000: error: trace.dat cut short (truncated) inside the cpu data: the records before the cut are read; lost: cpu 1 all of its data"* ]]
	read -r ev lost < <(echo "$output" | json_get '"%d %d" % (d["summary"]["events"], d["summary"]["lost_markers"])')
	[ "$ev" -gt 100 ] && [ "$ev" -lt 1200 ]
	[ "$lost" -eq 1 ]
	# every finding on a capture that lost the rest of a cpu is uncertain
	[ "$(echo "$output" | json_get 'sum(1 for f in d["findings"] if not f["uncertain"])')" -eq 0 ]
	# cut before any cpu data: nothing to read, said so
	head -c 1000000 "$src" > "$TMP/early.dat"
	run --separate-stderr "$BIN/netfs-replay" "$TMP/early.dat"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"early.dat:offset 1000000: error: trace.dat cut short before its cpu data"* ]]
	[ "$(echo "$stderr" | grep -c error)" -eq 1 ]
}

@test "cut short, many chunks (zlib, one page a chunk) and v6: more of the file, more records" {
	command -v trace-cmd > /dev/null || skip "trace-cmd not installed"
	local src=$BATS_TEST_DIRNAME/../fixtures/6.12/append.dat size prev=0 ev lost cut
	trace-cmd convert --compression none -i "$src" -o "$TMP/none.dat" > /dev/null 2>&1
	python3 "$BATS_TEST_DIRNAME/../fixtures/dat/recompress.py" --chunk-pages 1 "$TMP/none.dat" "$TMP/z.dat"
	trace-cmd convert --file-version 6 --compression none -i "$src" -o "$TMP/v6.dat" > /dev/null 2>&1
	for f in z.dat v6.dat; do
		size=$(stat -c %s "$TMP/$f")
		prev=0
		# the cpu data (and v7's closing options) are at the end
		for cut in 14000 9000 5000 2000 500; do
			head -c $((size - cut)) "$TMP/$f" > "$TMP/c.dat"
			read -r ev lost < <(events_lost "$TMP/c.dat")
			grep -q 'cut short (truncated)' "$TMP/err" || { echo "$f -$cut: $(cat "$TMP/err")"; false; }
			[ "$ev" -ge "$prev" ] || { echo "$f -$cut: $ev < $prev"; false; }
			[ "$lost" -ge 1 ] || [ "$ev" -eq 0 ]
			prev=$ev
		done
		[ "$prev" -gt 600 ] && [ "$prev" -lt 1200 ]
	done
}

@test "buffer instances: the one used is named, the others with netfs events are pointed at" {
	local two=$FIX/two-instances.dat
	run --separate-stderr "$BIN/netfs-replay" "$two"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'note: netfs events are in buffer instance(s) "a", "b": --instance NAME reads one'* ]]
	[[ "$stderr" == *"note: buffer instance: top level"* ]]
	run --separate-stderr "$BIN/netfs-replay" --instance b "$two"
	[[ "$stderr" == *"note: buffer instance: b"* ]]
	[[ "$output" == *"instance b)"* ]]
	# one instance with netfs events and an empty top level: that one, said so
	run --separate-stderr "$BIN/netfs-replay" "$FIX/instance.dat"
	[[ "$stderr" == *"note: buffer instance: netfs"* ]]
	[[ "$stderr" != *"also in"* ]]
}

# ---- damaged ring-buffer pages (issue 11) ----
#
# pages-v6.dat and v7/pages-none.dat: one capture (dat-v7-chunkcount0.dat of
# the attack, its chunk count mended) converted by trace-cmd 3.1.6 to v6
# and to v7 without compression; cpu 0's four pages at 57344, cpu 1's at
# 73728, 744 records.  tests/dat/damage.py damages one page and says how
# many records that hides; recompress.py makes the zlib and zstd forms of
# the damaged v7 file, one page a chunk.

# damaged FORM HOW OFFSET: $TMP/d.dat, and $LOST the records the damage hides
damaged() {
	local form=$1 how=$2 off=$3 src=$FIX/pages-none.dat
	[ "$form" = v6 ] && src=$FIX/../pages-v6.dat
	LOST=$(python3 "$BATS_TEST_DIRNAME/../dat/damage.py" "$src" "$TMP/n.dat" "$off" "$how")
	case $form in
	v6 | none) mv "$TMP/n.dat" "$TMP/d.dat" ;;
	zlib) python3 "$BATS_TEST_DIRNAME/../fixtures/dat/recompress.py" \
		--chunk-pages 1 "$TMP/n.dat" "$TMP/d.dat" > /dev/null ;;
	zstd) python3 "$BATS_TEST_DIRNAME/../fixtures/dat/recompress.py" --zstd \
		--chunk-pages 1 "$TMP/n.dat" "$TMP/d.dat" > /dev/null ;;
	esac
}

# check_damage CPU PAGE: no crash, exit 2, the error names cpu and page,
# every record but the hidden ones read, a lost-events marker
check_damage() {
	local what="$form $how cpu $1 page $2"
	run --separate-stderr "$BIN/netfs-replay" "$TMP/d.dat"
	[ "$status" -eq 2 ] || { echo "$what: status $status: $stderr"; return 1; }
	[[ "$stderr" == *"error: cpu $1: ring-buffer page $2 of"* ]] ||
		{ echo "$what: $stderr"; return 1; }
	[[ "$stderr" != *metadata* ]] || { echo "$what: $stderr"; return 1; }
	[[ "$output" == *", $((744 - LOST)) records, 2 cpus)"* ]] ||
		{ echo "$what: want $((744 - LOST)) records: $output"; return 1; }
	[[ "$output" =~ lost\ events:\ 0\ in\ [1-9] ]] ||
		{ echo "$what: no lost-events marker: $output"; return 1; }
}

@test "a damaged page 2, 3 or last of a cpu, v6 and v7, compressed or not: read around, named, marked lost" {
	command -v python3 > /dev/null || skip "no python3"
	local form how p forms="v6 none zlib"
	command -v zstd > /dev/null && forms="$forms zstd"
	for form in $forms; do
		for how in commit-ff last-event; do
			for p in 2 3 4; do
				damaged $form $how $((57344 + (p - 1) * 4096))
				check_damage 0 $p
			done
		done
		# the last page of the last cpu
		how=commit-big
		damaged $form $how $((73728 + 3 * 4096))
		check_damage 1 4
	done
	# every way a page header can be wrong, on page 3
	for how in commit-ff commit-big flags stored last-event; do
		form=none
		damaged none $how $((57344 + 2 * 4096))
		check_damage 0 3
	done
}

@test "the clean pages fixtures: no error, every record" {
	local f
	for f in "$FIX/pages-none.dat" "$FIX/../pages-v6.dat"; do
		run --separate-stderr "$BIN/netfs-replay" "$f"
		[[ "$output" == *", 744 records, 2 cpus)"* ]]
		[[ "$stderr" != *error* && "$stderr" != *warning* ]]
	done
}

@test "repro: a v7 page whose commit word is all ones (SIGSEGV in kbuffer_load_subbuffer before)" {
	local f=$BATS_TEST_DIRNAME/../fuzz/regressions/tracedat/repro-dat-v7-uncompressed-page-commit-ff
	run --separate-stderr "$BIN/netfs-replay" "$f"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"offset 61440: error: cpu 0: ring-buffer page 2 of 4 of the cpu data corrupt (commit size past the page)"* ]]
	[[ "$output" == *", 621 records, 2 cpus)"* ]]
	[[ "$output" == *"lost events: 0 in 1 marker(s)"* ]]
}

@test "repro: a v7 cpu whose chunk count is 0 is said, and its chunks are read" {
	local f=$BATS_TEST_DIRNAME/../fuzz/regressions/tracedat/repro-dat-v7-chunkcount0
	run --separate-stderr "$BIN/netfs-replay" "$f"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"offset 8196: error: cpu 0: its chunk count says 0 chunks, but its data size says 2724 more bytes follow them"* ]]
	[[ "$output" == *", 744 records, 2 cpus)"* ]]
	# the clean twin: the same records, no error
	run --separate-stderr "$BIN/netfs-replay" "$FIX/pages-none.dat"
	[[ "$output" == *", 744 records, 2 cpus)"* ]]
	# libtracecmd reads none of that cpu: said, and no finding is certain
	NETFS_REPLAY_DAT_READER=libtracecmd run --separate-stderr "$BIN/netfs-replay" "$f"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"offset 8196: error: cpu 0: its chunk count stops short of its data size: 2724 more bytes"* ]]
	[[ "$output" == *"lost events: 0 in 1 marker(s)"* ]]
	[ -z "$(echo "$output" | grep '^\[' | grep -v 'may be caused by lost events')" ]
	[[ "$output" == *"may be caused by lost events"* ]]
}

@test "data after the end of a trace.dat: said (how much, where), read once, the capture intact" {
	local f
	for f in "$FIX/pages-none.dat" "$FIX/../pages-v6.dat" "$FIX/lost.dat"; do
		cp "$f" "$TMP/t.dat"
		size=$(stat -c %s "$f")
		truncate -s $((size + 8000000)) "$TMP/t.dat"
		run --separate-stderr timeout 10 "$BIN/netfs-replay" "$TMP/t.dat"
		[ "$status" -ne 124 ] || { echo "$f: over 10 s"; false; }
		[[ "$stderr" == *"offset $size: warning: 8000000 bytes of data after the end of the trace.dat (starting with zeros)"* ]] ||
			{ echo "$f: $stderr"; false; }
		run --separate-stderr "$BIN/netfs-replay" "$f"
		clean=$output
		run --separate-stderr "$BIN/netfs-replay" "$TMP/t.dat"
		[ "${output#*$'\n'}" = "${clean#*$'\n'}" ]
	done
	# through a compressed stream too
	cp "$FIX/pages-none.dat" "$TMP/t.dat"
	printf 'garbage' >> "$TMP/t.dat"
	xz -c "$TMP/t.dat" > "$TMP/t.dat.xz"
	run --separate-stderr "$BIN/netfs-replay" "$TMP/t.dat.xz"
	[[ "$stderr" == *"warning: 7 bytes of data after the end of the trace.dat (not zeros)"* ]]
	[[ "$output" == *", 744 records, 2 cpus)"* ]]
}

@test "a cpu's timestamps going backwards: a warning naming the cpu and the record" {
	command -v python3 > /dev/null || skip "no python3"
	# cpu 0's page 3 stamped 10 ms before page 2
	python3 - "$FIX/pages-none.dat" "$TMP/b.dat" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
p2, p3 = 57344 + 4096, 57344 + 2 * 4096
ts2 = struct.unpack_from('<Q', d, p2)[0]
struct.pack_into('<Q', d, p3, ts2 - 10000000)
open(sys.argv[2], 'wb').write(d)
PY
	run --separate-stderr "$BIN/netfs-replay" "$TMP/b.dat"
	[[ "$stderr" =~ record\ [0-9]+\ \(offset\ [0-9]+\):\ warning:\ cpu\ 0:\ timestamp\ [0-9.]+\ goes\ back ]] ||
		{ echo "$stderr"; false; }
	# the clean twin: none
	run --separate-stderr "$BIN/netfs-replay" "$FIX/pages-none.dat"
	[[ "$stderr" != *"goes back"* ]]
}
