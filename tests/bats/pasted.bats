#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Traces pasted into real bug threads (tests/fixtures/pasted/README.md): the
# bug the maintainers diagnosed is found, on the right object, with nothing
# else; the input is read (exit 0 or 1, never 2), both as the archive keeps
# the mail (quoted-printable) and as a mail reader shows it.

load helper
bats_require_minimum_version 1.5.0

P=$FIX/pasted

# findings FILE: "kind object" lines of netfs-replay --json, sorted; fails
# the test on exit status 2 (input refused) or a document that is not JSON.
findings() {
	local out st
	out=$("$REPLAY" --json --fail-on none "$1" 2> /dev/null) && st=0 || st=$?
	[ "$st" -eq 0 ] || { echo "exit $st on $1"; return 1; }
	printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in sorted("%s %s" % (x["kind"], x["object"]) for x in d["findings"]):
    print(f)
'
}

# expect NAME "kind object" ... : the findings of NAME.txt and NAME.qp.txt
# (when there is one) are exactly these; a word "?kind object" may be there
# or not.
expect() {
	local name=$1 f want got opt
	shift
	for f in "$P/$name.txt" "$P/$name.qp.txt"; do
		[ -f "$f" ] || continue
		got=$(findings "$f") || return 1
		want=$(for w in "$@"; do case $w in \?*) ;; *) echo "$w" ;; esac; done | sort)
		opt=$(for w in "$@"; do case $w in \?*) echo "${w#\?}" ;; esac; done)
		got=$(printf '%s\n' "$got" | grep -vxF -e "${opt:-@none@}" | sed '/^$/d')
		if [ "$got" != "$want" ]; then
			echo "$f:"; echo " want: $want"; echo " got:  $got"
			return 1
		fi
	done
}

@test "pasted: ALL_QUEUED race (6.14, BPF CI 9p hang): subrequest 2 and its request ref leak" {
	expect allqueued-6.14 "ref-leak R=00002152[2]" "ref-leak R=00002152"
}

@test "pasted: ALL_QUEUED race, the first report: lines quoted again under the prose are not new events" {
	expect allqueued-requote-6.14 "ref-leak R=00000a98[2]" "ref-leak R=00000a98"
}

@test "pasted: 9p mmap corruption (6.18): folio unlocked before the ZERO tail was cleared" {
	expect 9p-mmap-early-unlock-6.18 "early-unlock R=00001b55"
}

@test "pasted: 9p mmap corruption, the commit message's excerpt without netfs_read" {
	expect 9p-mmap-early-unlock-excerpt "early-unlock R=00001b55"
}

@test "pasted: cifs -EAGAIN read (6.16, columns cut): one failure" {
	expect cifs-eagain-6.16 "failure R=0000000c[1]"
}

@test "pasted: cifs fscache volume collision (tcon freed with a ref): V=00000001 leaks" {
	expect cifs-volume-leak "ref-leak V=00000001" "failure V=00000001"
}

@test "pasted: nfs cookie LRU vs use_cookie (console dump): object withdrawn under an open access" {
	expect nfs-cookie-lru-console "use-after-free c=00000b95"
}

@test "pasted: fscache relinquish event discarded (PQ overq): the relinquished cookie keeps its refs" {
	expect fscache-overq "ref-leak c=000071a9"
}

@test "pasted: cifs readahead donations (6.12): subrequests 7 and 8 donate to a non-adjacent one" {
	expect cifs-donation-6.12 "bad-donation R=0000290e[7]" "bad-donation R=0000290e[8]"
}

@test "pasted: 5.17 cifs reads without a cookie, wrapped after the event name: read, nothing found" {
	expect cifs-5.17-nocookie
}

@test "pasted: 5.17 cifs whose cache volume fails its coherency check at every mount: a failure on it" {
	expect cifs-5.17-volbad "failure V=00000003"
}

@test "pasted: the console dump uses the ftrace clock, not the printk stamp" {
	first=$("$REPLAY" --json --fail-on none "$P/nfs-cookie-lru-console.txt" 2> /dev/null | json_get 'd["summary"]["first_ts"]')
	echo "first: $first"
	# 9424710955us of the trace clock, not [29690.046137] of printk
	[ "$first" = 9424.710955 ]
}

@test "pasted: pre-5.17 fscache (9p duplicate cookie, hashed pointers): the collision, and refs said not analysed" {
	expect 9p-fscache-dup-cookie-5.12 "failure c=0000000046a8b5b3"
	run "$REPLAY" --fail-on none "$P/9p-fscache-dup-cookie-5.12.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"fscache before 5.17: cookie refs not analysed"* ]]
}

@test "pasted: -R on a pre-5.17 cookie (a pointer id): its record and lines, the cookies it parents" {
	F=$P/9p-fscache-dup-cookie-5.12.txt
	run --separate-stderr "$REPLAY" -R c=0000000046a8b5b3 "$F"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "cookie: c=0000000046a8b5b3 (fscache before 5.17: a hashed pointer; refs not analysed)" ]
	[[ "$output" == *"collision: line 29 (*COLLISION*)"* ]]
	[[ "$output" == *"lines (4):"* ]]
	"$REPLAY" -R c=0000000046a8b5b3 --json "$F" > "$BATS_TEST_TMPDIR/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["kind"], d["parent"], d["events"], d["collision_line"], len(d["lines"]))' < "$BATS_TEST_TMPDIR/j")" = \
		"('cookie', '00000000b2d5d5a9', 4, 29, 4)" ]
	# the parent: its own lines and those of the cookies it parents
	run --separate-stderr "$REPLAY" -R c=00000000b2d5d5a9 "$F"
	[[ "$output" == *"lines (20):"* ]]
	run --separate-stderr "$REPLAY" -R c=00000000deadbeef "$F"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no cookie c=00000000deadbeef in this capture"* ]]
}

@test "pasted: 9p duplicate cookie, the reply with evict lines (5.12): the collision with the cookie being evicted" {
	expect 9p-evict-collision-5.12 "failure c=0000000097476aaa"
	run "$REPLAY" --fail-on none "$P/9p-evict-collision-5.12.txt"
	[[ "$output" == *"unknown symbols: 0"* ]]
}

@test "pasted: nfs cookie LRU vs use_cookie, the wrapped first report: same object, quotations not events" {
	expect nfs-cookie-lru-wrapped "use-after-free c=00000b95"
	run "$REPLAY" --fail-on none "$P/nfs-cookie-lru-wrapped.txt"
	[[ "$output" == *"requests: 1 (RA 1)"* ]]
	[[ "$output" == *"unknown symbols: 0"* ]]
}

@test "pasted: 5.17 cachefiles lookup (fscache corruption thread): a healthy lookup, nothing found" {
	expect cachefiles-lookup-5.17
	run "$REPLAY" --fail-on none "$P/cachefiles-lookup-5.17.txt"
	[[ "$output" == *"events: 5 "* ]]
	[[ "$output" == *"cache objects: 1"* ]]
	[[ "$output" == *"unknown symbols: 0"* ]]
}

@test "pasted: ceph writeback relock hang (debug tracepoints only): nothing claimed, the debug folio trace unknown" {
	expect ceph-wb-relock-6.13
	run "$REPLAY" --fail-on none "$P/ceph-wb-relock-6.13.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *'unknown netfs_folio_trace "ceph-wb-lock"'* ]]
}

@test "pasted: afs invalidate_folio of the wrong half (debug tracepoints): read, nothing claimed" {
	expect afs-inval-folio-6.11
	for f in "$P/afs-inval-folio-6.11.txt" "$P/afs-inval-folio-6.11.qp.txt"; do
		run "$REPLAY" --fail-on none "$f"
		[ "$status" -eq 0 ]
		[[ "$output" == *"events: 10 "* ]]
		[[ "$output" == *'unknown netfs_folio_trace "inval-part": 2 time(s)'* ]]
	done
}

@test "pasted: afs truncate with debug folio fields (6.11): every line read, nothing claimed" {
	expect afs-truncate-lbs-6.11
	for f in "$P/afs-truncate-lbs-6.11.txt" "$P/afs-truncate-lbs-6.11.qp.txt"; do
		run "$REPLAY" --fail-on none "$f"
		[ "$status" -eq 0 ]
		[[ "$output" == *"events: 33 (other events: 0)"* ]]
		[[ "$output" == *"requests: 2 (RA 1, WB 1)"* ]]
		[[ "$output" == *"bytes written: 40 "* ]]
		[[ "$output" == *"unknown symbols: 0"* ]]
	done
}

@test "pasted: knfsd FAQ, 5.17 cache that only writes (fscache_access mid-stream): nothing found" {
	expect knfsd-sync-nocacheread-5.17
	run "$REPLAY" --fail-on none "$P/knfsd-sync-nocacheread-5.17.txt"
	[[ "$output" == *"events: 9 "* ]]
	[[ "$output" == *"cookies: 7,"* ]]
	[[ "$output" == *"unknown symbols: 0"* ]]
}

@test "pasted: 9p perf script line with its callchain (6.18): the event read, the frames not warned about" {
	expect 9p-perf-callchain-6.18
	run --separate-stderr "$REPLAY" --fail-on none "$P/9p-perf-callchain-6.18.txt"
	[ "$status" -eq 0 ]
	[[ "$output" == *"events: 1 "* ]]
	[[ "$output" == *"subrequests: 1 (DOWN 1)"* ]]
	[[ "$stderr" != *"ffffffff"* ]]
	[[ "$stderr" != *"7f776ed86c23"* ]]
}

@test "pasted: 9p mmap corruption, the two lines quoted back from IRC: folio unlocked before the ZERO" {
	expect 9p-mmap-irc-quote-6.18 "early-unlock R=00001b55"
	run "$REPLAY" --fail-on none "$P/9p-mmap-irc-quote-6.18.txt"
	[[ "$output" == *"ix=5 of inode 157f3"* ]]
	[[ "$output" == *"[2] ZERO s=5fb2 len 4e"* ]]
}
