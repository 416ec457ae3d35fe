#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Real captures of Debian kernels the shared corpus does not have (6.16,
# 6.18, 7.3; recorded with scripts/record-capture.sh, see
# tests/fixtures/README.md): the trace.dat and the text of each run give
# the same analysis, every symbol is known, and the findings are exactly
# what the kernel did.

load helper
bats_require_minimum_version 1.5.0

CAPTURES="6.16/fc_write 6.16/smb_fault_killloop 6.18/truncate 6.18/smb_dio
	7.3/fault_shrink 7.3/smb_mmap_trunc_append"

@test "6.16, 6.18, 7.3: trace.dat and text of one run give the same analysis" {
	local c
	for c in $CAPTURES; do
		diff <(normalized "$FIX/$c.txt.xz") <(normalized "$FIX/$c.dat") ||
			{ echo "$c differs"; false; }
	done
}

@test "6.16, 6.18, 7.3: every symbol known, no input error, the 7.x generation" {
	local c f
	for c in $CAPTURES; do
		for f in "$FIX/$c.txt.xz" "$FIX/$c.dat"; do
			run --separate-stderr "$REPLAY" --json --fail-on none "$f"
			[ "$status" -eq 0 ] || { echo "$f: exit $status $stderr"; false; }
			[ "$(echo "$output" | json_get 'd["unknown_symbols"]')" = "[]" ]
			[ "$(echo "$output" | json_get 'd["input"]["errors"]')" -eq 0 ]
			[ "$(echo "$output" | json_get 'd["summary"]["kernel"]')" = "7.x (>= 6.16)" ]
		done
	done
}

@test "clean runs of 6.16, 6.18, 7.3: no finding, exact counts, exit 0" {
	local want=(
		"6.16/fc_write 21 39 2211840 2117632"
		"6.18/truncate 25 26 2990080 12288"
		"6.18/smb_dio 24 24 4194304 4259840"
		"7.3/fault_shrink 64 64 8388608 0"
		"7.3/smb_mmap_trunc_append 27 29 3055616 1054026"
	) w c got
	for w in "${want[@]}"; do
		c=${w%% *}
		run -0 --separate-stderr "$REPLAY" --json "$FIX/$c.dat"
		got=$(echo "$output" | json_get '" ".join(str(d["summary"][k]) for k in ("requests", "subrequests", "bytes_read", "bytes_written"))')
		[ "$c $got" = "$w" ] || { echo "$c: $got"; false; }
		[ "$(echo "$output" | json_get 'len(d["findings"])')" -eq 0 ]
	done
}

@test "6.16 cifs connection killed: the kernel's three failures and nothing else, exit 1" {
	run -1 --separate-stderr "$REPLAY" --json "$FIX/6.16/smb_fault_killloop.dat"
	[ "$(echo "$output" | json_get '" ".join(sorted(set(f["kind"] for f in d["findings"])))')" = failure ]
	[ "$(echo "$output" | json_get '" ".join("%s[%s]" % (f["request"], f["subreq"]) for f in d["findings"])')" = \
		"00001345[1] 0000134a[2] 0000134a[1]" ]
	[[ "$output" == *"DOWN read failed: -103 (ECONNABORTED)"* ]]
	[[ "$output" == *"UPLD write failed: -11 (EAGAIN)"* ]]
	[ "$(echo "$output" | json_get 'd["summary"]["retries"]')" -eq 4 ]
}

@test "a trace.dat says which kernel it was recorded on (text and JSON)" {
	run -0 --separate-stderr "$REPLAY" "$FIX/6.18/smb_dio.dat"
	[[ "$output" == *"kernel: 7.x (>= 6.16), recorded on 6.18.15+deb13-amd64"* ]]
	run -0 --separate-stderr "$REPLAY" --json "$FIX/7.3/fault_shrink.dat"
	[ "$(echo "$output" | json_get '"%(records)d %(cpus)d [%(instance)s] %(release)s" % d["input"]')" = \
		"10286 2 [] 7.3.4+deb13-amd64" ]
	run -0 --separate-stderr "$REPLAY" --json "$FIX/7.3/fault_shrink.txt.xz"
	[ "$(echo "$output" | json_get '"release" in d["input"]')" = False ]
}
