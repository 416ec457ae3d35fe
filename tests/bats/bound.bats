#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The object bound (--max-objects): requests that never complete -- the
# reproducer of issue 11, ../shared/repro/gen-open-requests.c, copied to
# tests/tools/ -- must not grow memory without bound.  Reaching the bound is
# said once (stderr and the summary's note), the exit status is that of the
# findings, the later lines of an evicted request give no finding, and
# memory stays flat.

load helper
bats_require_minimum_version 1.5.0

TOP=$(nft_bin)/netfs-top

setup() {
	T=$BATS_TEST_TMPDIR
	if [ ! -x "$T/gen" ]; then
		"${CC:-cc}" -O2 -o "$T/gen" "$BATS_TEST_DIRNAME/../tools/gen-open-requests.c"
	fi
}

# later_lines FILE: lines of R=1 (its puts and FREE) and R=2 (a get) after
# the stream, 10 s later.
later_lines() {
	local p='              dd-565     [000] .....'
	cat >> "$1" <<EOF
$p    20.000000: netfs_rreq_ref: R=00000001 PUT RETURN  r=1
$p    20.000001: netfs_rreq_ref: R=00000001 PUT WORK IP  r=0
$p    20.000002: netfs_rreq: R=00000001 DR FREE    f=02
$p    20.000003: netfs_rreq_ref: R=00000002 GET SUBREQ  r=1
EOF
}

@test "open requests past --max-objects: warned once on stderr, noted in the summary, exit 0" {
	"$T/gen" open 20000 > "$T/open.txt"
	run --separate-stderr "$REPLAY" --max-objects 500 "$T/open.txt"
	echo "$output"
	echo "stderr: $stderr"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'object bound of 500 reached' <<< "$stderr")" -eq 1 ]
	[[ $stderr == *"9500 requests (9500 never completed)"* ]]
	[ "$(grep -c '^note: object bound of 500 reached' <<< "$output")" -eq 1 ]
	[[ $output == *"findings: 0"* ]]
	[[ $output == *"in flight at end of capture: 500"* ]]
}

@test "without reaching the bound: no warning, no note" {
	"$T/gen" open 20000 > "$T/open.txt"
	run --separate-stderr "$REPLAY" --max-objects 20000 "$T/open.txt"
	[ "$status" -eq 0 ]
	[[ $stderr != *"object bound"* ]]
	[[ $output != *"object bound"* ]]
	[[ $output == *"in flight at end of capture: 10000"* ]]
}

@test "JSON: object_bound says what was evicted" {
	"$T/gen" open 20000 > "$T/open.txt"
	run --separate-stderr "$REPLAY" --json --max-objects 500 "$T/open.txt"
	[ "$status" -eq 0 ]
	[ "$(json_get 'd["summary"]["object_bound"]["evicted_requests"]' <<< "$output")" = 9500 ]
	[ "$(json_get 'd["summary"]["object_bound"]["max_objects"]' <<< "$output")" = 500 ]
	# (the generator's netfs_read lines say c=00000000: that note too)
	[ "$(json_get 'len([n for n in d["summary"]["notes"] if n.startswith("object bound")])' <<< "$output")" = 1 ]
}

@test "later lines of evicted requests: counted, no use-after-free or ref-mismatch (the twin that kept them has one)" {
	"$T/gen" open 2000 > "$T/late.txt"
	later_lines "$T/late.txt"
	run --separate-stderr "$REPLAY" --fail-on use-after-free,ref-mismatch --max-objects 100 "$T/late.txt"
	echo "$output" | grep -v '^\[error\] stuck\|^    evidence' || true
	[ "$status" -eq 0 ]
	[[ $stderr == *"4 later lines of them ignored"* ]]
	[[ $output != *use-after-free* ]]
	[[ $output != *ref-mismatch* ]]
	# twin: R=2 kept, its GET SUBREQ r=1 after NEW r=2 chains no count
	run --separate-stderr "$REPLAY" --fail-on use-after-free,ref-mismatch "$T/late.txt"
	[ "$status" -eq 1 ]
	[[ $output == *"ref-mismatch R=00000002"* ]]
}

@test "--max-objects refuses 0, negative and garbage" {
	for v in 0 -5 12x '' 99999999999999999999999; do
		run "$REPLAY" --max-objects "$v" "$T/none.txt"
		[ "$status" -eq 2 ]
		[[ $output == *"--max-objects wants a number > 0"* ]]
	done
	run "$TOP" -b --max-objects 0 -i "$T/none.txt"
	[ "$status" -eq 2 ]
}

@test "netfs-top: the note once in batch output, exit 0" {
	"$T/gen" open 20000 > "$T/open.txt"
	run "$TOP" -b -d 0.01 --speed 0 --max-objects 500 -i "$T/open.txt"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^note: object bound of 500 reached' <<< "$output")" -eq 1 ]
}

@test "memory stays flat past the bound (10x the requests, same peak RSS)" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	# ASan's quarantine keeps freed memory: RSS is no measure there
	if ldd "$REPLAY" 2> /dev/null | grep -q libasan; then
		skip "sanitizer build"
	fi
	"$T/gen" open 40000 > "$T/small.txt"
	"$T/gen" open 400000 > "$T/big.txt"
	/usr/bin/time -f %M -o "$T/rss.small" "$REPLAY" -q --max-objects 2000 "$T/small.txt" > /dev/null 2>&1
	/usr/bin/time -f %M -o "$T/rss.big" "$REPLAY" -q --max-objects 2000 "$T/big.txt" > /dev/null 2>&1
	/usr/bin/time -f %M -o "$T/rss.unbounded" "$REPLAY" -q "$T/big.txt" > /dev/null 2>&1
	small=$(tail -1 "$T/rss.small") big=$(tail -1 "$T/rss.big")
	unbounded=$(tail -1 "$T/rss.unbounded")
	echo "peak RSS KB: 20k requests $small, 200k $big, 200k unbounded $unbounded"
	[ "$big" -lt $((small + 8192)) ]
	[ "$unbounded" -gt $((big * 3)) ]
}

@test "netfs-top --json: findings past the model's per-kind cap are still listed, once each" {
	# 1000 open requests 1 s apart: each is stuck before 100 newer come
	python3 -c "
P = '              dd-565     [000] .....'
for i in range(1, 1001):
    print(P + ' %12.6f: netfs_rreq_ref: R=%08x NEW         r=2' % (10 + i, i))
    print(P + ' %12.6f: netfs_read: R=%08x DIO-READ  c=00000000 ni=534061 s=0 l=1000 sz=4000000' % (10 + i, i))
" > "$T/slow.txt"
	run --separate-stderr "$TOP" -b --json --speed 0 -d 1 --max-objects 100 -i "$T/slow.txt"
	[ "$status" -eq 1 ]
	run python3 -c '
import json, sys
objs = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    objs += [f["object"] for f in d["findings"]]
print(len(objs), len(set(objs)), d["total"]["object_bound"]["findings_not_kept"])
' /dev/stdin <<< "$output"
	echo "$output"
	[ "$output" = "995 995 739" ]
}
