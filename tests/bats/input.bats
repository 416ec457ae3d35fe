#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The input layer under attack (issue 11): compressed streams cut short or
# with garbage in the middle, a compression bomb, pipes and named FIFOs,
# special files.  Each class: the damage is an error naming the file, the
# decompressor and the offsets; what came before is analysed and reported
# (exit 2); nothing hangs (every run is under `timeout 20`) and nothing big
# is left in TMPDIR.

load helper
bats_require_minimum_version 1.5.0

REPRO=$FIX/input

setup() {
	T=$BATS_TEST_TMPDIR
	TXT=$FIX/6.12/fc_read.txt.xz		# 26595 lines, several zstd blocks
	DAT=$FIX/7.3/fault_shrink.dat		# a real 7.3 capture, 10286 records
	xz -dc "$TXT" > "$T/t.txt"
}

# compress FMT IN OUT
compress() {
	case $1 in
	gz) gzip -c "$2" > "$3" ;;
	xz) xz -c "$2" > "$3" ;;
	zst) zstd -q -c "$2" > "$3" ;;
	esac
}

# cut FILE PERCENT OUT
cut_at() {
	head -c $(( $(stat -c %s "$1") * $2 / 100 )) "$1" > "$3"
}

# flip FILE PERCENT OUT: 64 bytes XORed at PERCENT of FILE
flip() {
	python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
o = len(d) * int(sys.argv[2]) // 100
for i in range(o, min(o + 64, len(d))):
    d[i] ^= 0x5a
open(sys.argv[3], "wb").write(d)' "$1" "$2" "$3"
}

# feed FIFO CMD...: CMD's output into FIFO in the background, for 20 s at most
feed() {
	local fifo=$1
	shift
	timeout 20 sh -c '"$@" > "$0"' "$fifo" "$@" 3>&- &
}

# ---- the reproducers ----

@test "repro: a cut gzip text stream: error with decompressor and offsets, the events before are reported, exit 2" {
	run -2 --separate-stderr timeout 20 "$REPLAY" "$REPRO/compressed-gzip-truncated.txt.gz"
	[[ "$stderr" == *"compressed-gzip-truncated.txt.gz:offset 122471: error: gzip: stream cut short (truncated) at compressed offset 122471, decompressed offset 1354682;"* ]]
	[[ "$stderr" != *"Input/output error"* ]]
	[[ "$output" == *"(text, gzip, 13016 lines)"* ]]
	[[ "$output" == *"events: "* ]]
}

@test "repro: a cut xz text stream: the same" {
	run -2 --separate-stderr timeout 20 "$REPLAY" "$REPRO/compressed-xz-truncated.txt.xz"
	[[ "$stderr" == *"compressed-xz-truncated.txt.xz:offset 47456: error: xz: stream cut short (truncated) at compressed offset 47456, decompressed offset 1346796;"* ]]
	[[ "$output" == *"(text, xz, 12940 lines)"* ]]
}

# ---- cut and corrupt text, every format ----

@test "text cut short in gz, xz, zst: one error each, the lines before analysed, exit 2" {
	for c in gz xz zst; do
		compress $c "$T/t.txt" "$T/t.$c"
		cut_at "$T/t.$c" 60 "$T/cut.$c"
		size=$(stat -c %s "$T/cut.$c")
		run -2 --separate-stderr timeout 20 "$REPLAY" "$T/cut.$c"
		name=$c; [ $c = gz ] && name=gzip; [ $c = zst ] && name=zstd
		[[ "$stderr" == *"cut.$c:offset $size: error: $name: "*"cut short (truncated) at compressed offset $size, decompressed offset "* ]] ||
			{ echo "$c: $stderr"; false; }
		n=$(printf '%s\n' "$output" | sed -n 's/^events: \([0-9]*\).*/\1/p')
		[ "${n:-0}" -gt 5000 ] || { echo "$c: $n events"; false; }
	done
}

@test "text with garbage in the middle, gz, xz, zst: the decompressor's error, exit 2, never a crash" {
	for c in gz xz zst; do
		compress $c "$T/t.txt" "$T/t.$c"
		flip "$T/t.$c" 50 "$T/bad.$c"
		run -2 --separate-stderr timeout 20 "$REPLAY" "$T/bad.$c"
		name=$c; [ $c = gz ] && name=gzip; [ $c = zst ] && name=zstd
		[[ "$stderr" == *"bad.$c:offset "*": error: $name: "*" at compressed offset "*", decompressed offset "* ]] ||
			{ echo "$c: $stderr"; false; }
		[[ "$output" == *"events: "* ]]
	done
}

@test "trailing garbage after a complete gz or zst stream: a warning, all the data analysed" {
	xz -dc "$FIX/6.12/smb_seqread.txt.xz" > "$T/s.txt"
	"$REPLAY" "$T/s.txt" > "$T/ref" 2>/dev/null || true
	for c in gz zst; do
		compress $c "$T/s.txt" "$T/j.$c"
		printf 'JUNKJUNK' >> "$T/j.$c"
		run --separate-stderr timeout 20 "$REPLAY" "$T/j.$c"
		[ "$status" -lt 2 ]
		[[ "$stderr" == *"warning: "*"8 bytes after the end of the last complete "*" (trailing garbage, ignored)"* ]]
		[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref")" ]
	done
}

# ---- compressed trace.dat ----

@test "trace.dat in gz, xz, zst, whole: the same analysis as the plain file" {
	"$REPLAY" "$DAT" > "$T/ref" 2>/dev/null
	for c in gz xz zst; do
		compress $c "$DAT" "$T/d.dat.$c"
		run -0 --separate-stderr timeout 20 "$REPLAY" "$T/d.dat.$c"
		[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref")" ]
	done
}

@test "trace.dat in gz and xz cut short: the decompressor's error, then the records before the cut are read, exit 2" {
	for c in gz xz; do
		compress $c "$DAT" "$T/d.dat.$c"
		cut_at "$T/d.dat.$c" 70 "$T/cut.dat.$c"
		size=$(stat -c %s "$T/cut.dat.$c")
		run -2 --separate-stderr timeout 20 "$REPLAY" "$T/cut.dat.$c"
		[[ "$stderr" == *"cut.dat.$c:offset $size: error: "*"cut short (truncated) at compressed offset $size, decompressed offset "* ]]
		[[ "$stderr" == *"trace.dat cut short (truncated) inside the cpu data: the records before the cut are read"* ]]
		n=$(printf '%s\n' "$output" | sed -n 's/^events: \([0-9]*\).*/\1/p')
		[ "${n:-0}" -gt 3000 ] || { echo "$c: $n events"; false; }
	done
}

@test "trace.dat in zst cut short (one zstd block: nothing decodes): said so, exit 2" {
	compress zst "$DAT" "$T/d.dat.zst"
	cut_at "$T/d.dat.zst" 70 "$T/cut.dat.zst"
	run -2 --separate-stderr timeout 20 "$REPLAY" "$T/cut.dat.zst"
	[[ "$stderr" == *"error: zstd: frame cut short (truncated) at compressed offset"* ]]
	[[ "$stderr" == *"nothing could be decompressed before the damage"* ]]
}

@test "trace.dat with garbage in the middle, gz, xz, zst: an error, exit 2, never a crash or a hang" {
	for c in gz xz zst; do
		compress $c "$DAT" "$T/d.dat.$c"
		for p in 30 60 90; do
			flip "$T/d.dat.$c" $p "$T/bad.dat.$c"
			run --separate-stderr timeout 20 "$REPLAY" "$T/bad.dat.$c"
			[ "$status" -eq 2 ] || { echo "$c $p%: $status $stderr"; false; }
			[[ "$stderr" == *"bad.dat.$c:offset "*": error: "* ]]
		done
	done
}

# ---- the bomb ----

@test "bomb: 80 KB of zstd that is 2 GB of zeros after a trace.dat, --spool-max 4M: stops, says how much and why, reads the trace, leaves nothing" {
	mkdir "$T/tmp"
	start=$(date +%s)
	TMPDIR=$T/tmp run -2 --separate-stderr timeout 60 "$REPLAY" --spool-max 4M "$REPRO/dat-trailing-zeros-2g.dat.zst"
	[ $(( $(date +%s) - start )) -lt 30 ]
	[[ "$stderr" == *"dat-trailing-zeros-2g.dat.zst:offset 4194304: error: spooling stopped after 4194304 decompressed bytes ("*" compressed bytes read): the spool limit is 4194304 bytes (as set; "* ]]
	[[ "$output" == *"events: 744 "* ]]
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "bomb: NETFS_REPLAY_SPOOL_MAX is the same bound; a bad value is a usage error" {
	mkdir "$T/tmp"
	TMPDIR=$T/tmp NETFS_REPLAY_SPOOL_MAX=3M run -2 --separate-stderr timeout 60 "$REPLAY" "$REPRO/dat-trailing-zeros-2g.dat.zst"
	[[ "$stderr" == *"error: spooling stopped after 3145728 decompressed bytes"* ]]
	NETFS_REPLAY_SPOOL_MAX=lots run -2 --separate-stderr "$REPLAY" "$DAT"
	[[ "$stderr" == *"bad size 'lots' in NETFS_REPLAY_SPOOL_MAX"* ]]
	run -2 --separate-stderr "$REPLAY" --spool-max 0 "$DAT"
	[[ "$stderr" == *"bad size '0' for --spool-max"* ]]
}

@test "bomb: with the default bound, a ratio over 1000:1 stops the spool early (no GBs to TMPDIR)" {
	mkdir "$T/tmp"
	start=$(date +%s)
	TMPDIR=$T/tmp run -2 --separate-stderr timeout 120 "$REPLAY" "$REPRO/dat-trailing-zeros-2g.dat.zst"
	[ $(( $(date +%s) - start )) -lt 60 ]
	[[ "$stderr" == *"error: spooling stopped after "*" decompressed bytes ("*" compressed bytes read): the data decompresses at more than 1000:1"* ]]
	[[ "$output" == *"events: 744 "* ]]
	[ -z "$(ls -A "$T/tmp")" ]
}

# ---- pipes and FIFOs: never reopened by name ----

@test "process substitution: text and trace.dat, plain and decompressed by the shell, as the file" {
	"$REPLAY" "$T/t.txt" > "$T/ref.txt" 2>/dev/null || true
	"$REPLAY" "$DAT" > "$T/ref.dat" 2>/dev/null
	run --separate-stderr timeout 20 bash -c '"$0" <(cat "$1")' "$REPLAY" "$T/t.txt"
	[ "$status" -lt 2 ]
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.txt")" ]
	run -0 --separate-stderr timeout 20 bash -c '"$0" <(cat "$1")' "$REPLAY" "$DAT"
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.dat")" ]
	xz -c "$DAT" > "$T/d.dat.xz"
	run -0 --separate-stderr timeout 20 bash -c '"$0" <(xzcat "$1")' "$REPLAY" "$T/d.dat.xz"
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.dat")" ]
	[[ "$stderr" == *"not seekable: spooled 67053 bytes to a temporary file"* ]]
}

@test "named FIFO: text and trace.dat, as the file" {
	"$REPLAY" "$T/t.txt" > "$T/ref.txt" 2>/dev/null || true
	"$REPLAY" "$DAT" > "$T/ref.dat" 2>/dev/null
	mkfifo "$T/fifo"
	# writers bounded and off bats' fd 3: a failed open must not hang bats
	feed "$T/fifo" cat "$T/t.txt"
	run --separate-stderr timeout 20 "$REPLAY" "$T/fifo"
	[ "$status" -lt 2 ]
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.txt")" ]
	feed "$T/fifo" cat "$DAT"
	run -0 --separate-stderr timeout 20 "$REPLAY" "$T/fifo"
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.dat")" ]
	feed "$T/fifo" zstd -q -c "$DAT"
	run -0 --separate-stderr timeout 20 "$REPLAY" "$T/fifo"
	[ "$(printf '%s\n' "$output" | sed 1d)" = "$(sed 1d "$T/ref.dat")" ]
}

@test "a trace.dat on a pipe over the spool bound: stopped with a message, what was read is analysed" {
	run -2 --separate-stderr timeout 20 bash -c 'cat "$1" /dev/zero | "$0" --spool-max 1M -' "$REPLAY" "$DAT"
	[[ "$stderr" == *"<stdin>:offset 1048576: error: spooling stopped after 1048576 bytes ("*"): the spool limit is 1048576 bytes"* ]]
	[[ "$output" == *"10286 records"* ]]
}

# ---- special files ----

@test "special files: a directory, a socket, /dev/null, /dev/zero: a clear refusal, exit 2, no hang" {
	run -2 --separate-stderr timeout 20 "$REPLAY" "$T"
	[[ "$stderr" == *"$T: error: a directory, not a capture"* ]]
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"
	run -2 --separate-stderr timeout 20 "$REPLAY" "$T/sock"
	[[ "$stderr" == *"$T/sock: error: a socket, not a capture"* ]]
	run -2 --separate-stderr timeout 20 "$REPLAY" /dev/null
	[[ "$stderr" == *"/dev/null: error: empty input"* ]]
	run -2 --separate-stderr timeout 20 "$REPLAY" /dev/zero
	[[ "$stderr" == *"/dev/zero: error: binary data"* ]]
}

@test "endless text with no line break (zeros made letters): stops after 64 MiB with a message" {
	run -2 --separate-stderr timeout 20 bash -c "tr '\\0' a < /dev/zero | \"\$0\" -" "$REPLAY"
	[[ "$stderr" == *"<stdin>:offset "*": error: no line break in 64 MiB: not line-oriented text; reading stops there"* ]]
}
