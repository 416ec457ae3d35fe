#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# netfs-replay --perfetto (docs/perfetto.md): the file decodes with protoc
# against the messages we write (tests/perfetto/perfetto_trace.proto, field
# numbers copied from Perfetto's own protos), and tests/tools/pftrace-check.py
# checks the tree: descriptors before events, slices that begin end on the
# same track and nest, times monotonic per track, flows with two ends, a
# track per request and subrequest, the ref counters equal to the ledger,
# every finding on the findings track.

load helper

PROTO_DIR=$BATS_TEST_DIRNAME/../perfetto
CHECK=$BATS_TEST_DIRNAME/../tools/pftrace-check.py

setup() {
	command -v protoc > /dev/null || skip "no protoc (protobuf-compiler)"
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	T=$(mktemp -d)
}

teardown() {
	rm -rf "$T"
}

decodes() {
	protoc -I "$PROTO_DIR" --decode=perfetto.protos.Trace perfetto_trace.proto \
		< "$1" > "$1.txt"
}

# agree PFTRACE JSON: every finding of the --json report is an instant of
# the findings track, the request and subrequest tracks are one per request
# and subrequest the summary counts.
agree() {
	python3 - "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
want = sorted((f["kind"], f["object"]) for f in j["findings"])
got = sorted((f["args"]["kind"], f["args"]["object"]) for f in c["findings"])
bad = []
if want != got:
    bad.append("findings %s, export %s" % (want, got))
s = j["summary"]
nreq = sum(len(v) for v in c["requests"].values())
nsreq = sum(len(i["subrequests"]) for v in c["requests"].values() for i in v)
if nreq != s["requests"]:
    bad.append("%d request tracks, %d requests" % (nreq, s["requests"]))
if nsreq != s["subrequests"]:
    bad.append("%d subrequest tracks, %d subrequests" % (nsreq, s["subrequests"]))
for b in bad:
    print(sys.argv[2] + ": " + b)
sys.exit(1 if bad else 0)
PY
}

@test "every corpus capture: protoc decodes it, the tree checks, findings and tracks agree with --json" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f n=0 bad=0
	for f in "$CORPUS"/*/*.dat "$CORPUS"/*/*.txt.xz; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		"$REPLAY" --json --fail-on none --perfetto "$T/o.pftrace" "$f" > "$T/o.json" 2> /dev/null || true
		if ! decodes "$T/o.pftrace" 2> "$T/err"; then
			echo "protoc: $f: $(head -3 "$T/err")"; bad=$((bad + 1)); continue
		fi
		if ! python3 "$CHECK" "$T/o.pftrace" > "$T/o.chk" 2> "$T/err"; then
			echo "check: $f: $(head -3 "$T/err")"; bad=$((bad + 1)); continue
		fi
		agree "$T/o.chk" "$T/o.json" || bad=$((bad + 1))
	done
	echo "$n captures, $bad bad"
	[ "$n" -gt 20 ]
	[ "$bad" -eq 0 ]
}

# refs_agree CAPTURE N: the ref counter of the first N requests of the
# export equals the counts the ledger printed (netfs-replay -R ID --json).
refs_agree() {
	"$REPLAY" -q --perfetto "$T/r.pftrace" "$1" > /dev/null 2>&1 || true
	python3 "$CHECK" "$T/r.pftrace" > "$T/r.chk"
	local id n=0
	for id in $(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; print(" ".join(k for k in sorted(r) if len(r[k]) == 1 and r[k][0]["refs"]))' "$T/r.chk" | tr ' ' '\n' | head -"$2"); do
		"$REPLAY" -R "$id" --json "$1" 2> /dev/null > "$T/r.json" || true
		python3 - "$T/r.chk" "$T/r.json" "$id" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["requests"][sys.argv[3]][0]["refs"]
led = [r["printed"] for r in json.load(open(sys.argv[2]))["refs"]]
if c != led:
    print("R=%s: counter %s, ledger %s" % (sys.argv[3], c, led))
    sys.exit(1)
PY
		n=$((n + 1))
	done
	[ "$n" -ge 1 ]
}

@test "the ref counter tracks equal the ledger (7.2, 6.12 and 6.1 captures)" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	refs_agree "$CORPUS"/7.2*/smb_fault_killloop.dat 5
	refs_agree "$CORPUS"/7.2*/bufwrite.dat 3
	refs_agree "$CORPUS"/6.12*/fc_read.dat 5
	refs_agree "$CORPUS"/6.1.*/fc_read.dat 5
}

@test "a 7.2 and a 6.1 capture: request tracks named by id, origin and inode, subrequest slices named by index and source" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f
	for f in "$CORPUS"/7.2*/seqread.dat "$CORPUS"/6.1.*/fc_read.dat; do
		"$REPLAY" -q --perfetto "$T/o.pftrace" "$f" > /dev/null 2>&1
		decodes "$T/o.pftrace"
		python3 "$CHECK" "$T/o.pftrace" > /dev/null
		grep -Eq 'name: "R=[0-9a-f]{8} (RA|DR|RW|RP) ino=[0-9a-f]+"' "$T/o.pftrace.txt"
		grep -Eq 'name: "\[[0-9a-f]+\] (DOWN|READ|ZERO) s=[0-9a-f]+ len=[0-9a-f]+' "$T/o.pftrace.txt"
		grep -q 'name: "requests in flight"' "$T/o.pftrace.txt"
		grep -q 'thread_name: "' "$T/o.pftrace.txt"
		grep -q 'SEQ_INCREMENTAL_STATE_CLEARED\|sequence_flags: 1$' "$T/o.pftrace.txt"
	done
}

@test "pasted early-unlock excerpt: the finding instant, its evidence lines and flows, time from line numbers" {
	run "$REPLAY" --perfetto "$T/p.pftrace" "$FIX/pasted/9p-mmap-early-unlock-excerpt.txt"
	[ "$status" -eq 1 ]
	decodes "$T/p.pftrace"
	python3 "$CHECK" "$T/p.pftrace" > "$T/p.chk"
	[ "$(json_get '[f["args"]["kind"] for f in d["findings"]]' < "$T/p.chk")" = '["early-unlock"]' ]
	[ "$(json_get 'd["findings"][0]["flows"] >= 2' < "$T/p.chk")" = True ]
	json_get 'd["findings"][0]["args"]["evidence lines"]' < "$T/p.chk" | grep -q '^9 10'
	# line 17 (the ZERO subrequest issued too late) is its slice, which a flow leaves
	grep -A3 'name: "\[2\] ZERO s=5fb2 len=4e"' "$T/p.pftrace.txt" | grep -q 'flow_ids:'
	# the folio lines 9 and 10 made no event: instants of their own
	grep -q 'name: "line 9"' "$T/p.pftrace.txt"
	grep -q 'no timestamps: time = line number' "$T/p.pftrace.txt"
	# the finding is on the request's own track too, which is not merged
	grep -B8 'sibling_merge_behavior: SIBLING_MERGE_BEHAVIOR_NONE' "$T/p.pftrace.txt" | grep -q 'R=00001b55'
}

@test "-R restricts the export to one request" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f=$(ls "$CORPUS"/7.2*/seqread.dat)
	"$REPLAY" -q --perfetto "$T/a.pftrace" "$f" > /dev/null 2>&1
	python3 "$CHECK" "$T/a.pftrace" > "$T/a.chk"
	local id=$(json_get 'sorted(d["requests"])[1]' < "$T/a.chk")
	"$REPLAY" -R "$id" --perfetto "$T/r.pftrace" "$f" > "$T/view" 2> /dev/null
	grep -q "^request: R=$id" "$T/view"
	python3 "$CHECK" "$T/r.pftrace" > "$T/r.chk"
	[ "$(json_get 'sorted(d["requests"])' < "$T/r.chk")" = "[\"$id\"]" ]
	[ "$(json_get 'd["requests"][sorted(d["requests"])[0]][0]["subrequests"]' < "$T/r.chk")" = \
	  "$(json_get "d['requests']['$id'][0]['subrequests']" < "$T/a.chk")" ]
}

@test "'-' writes the trace on stdout and the report on stderr" {
	"$REPLAY" --perfetto - "$FIX/pasted/9p-mmap-early-unlock-excerpt.txt" > "$T/s.pftrace" 2> "$T/s.err" || true
	decodes "$T/s.pftrace"
	grep -q '^findings: 1' "$T/s.err"
	python3 "$CHECK" "$T/s.pftrace" > /dev/null
}

@test "several captures go into one file, a root track each" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local a=$(ls "$CORPUS"/7.2*/dioread.dat) b=$(ls "$CORPUS"/6.1.*/dioread.dat)
	"$REPLAY" -q -j 2 --perfetto "$T/m.pftrace" "$a" "$b" > /dev/null 2>&1
	decodes "$T/m.pftrace"
	python3 "$CHECK" "$T/m.pftrace" > "$T/m.chk"
	[ "$(grep -c 'name: "netfs: ' "$T/m.pftrace.txt")" -eq 2 ]
	[ "$(grep -c 'first_packet_on_sequence: true' "$T/m.pftrace.txt")" -eq 2 ]
	run "$REPLAY" --perfetto - "$a" "$b"
	[ "$status" -eq 2 ]
}

@test "the checker fails on a cut file and on an unbalanced slice" {
	"$REPLAY" -q --perfetto "$T/c.pftrace" "$FIX/pasted/9p-mmap-early-unlock-excerpt.txt" > /dev/null 2>&1 || true
	python3 "$CHECK" "$T/c.pftrace" > /dev/null
	# drop the last packet that ends a slice: a slice is left open
	python3 - "$T/c.pftrace" "$T/cut.pftrace" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
def varint(i):
    v = s = 0
    while True:
        c = b[i]; i += 1; v |= (c & 0x7f) << s; s += 7
        if c < 0x80: return v, i
i, pk = 0, []
while i < len(b):
    _, j = varint(i)
    n, j = varint(j)
    pk.append((i, j + n))
    i = j + n
# a SLICE_END is TrackEvent.type (field 9, varint) = 2: bytes 48 02
ends = [p for p in pk if b"\x48\x02" in b[p[0]:p[1]]]
s, e = ends[-1]
open(sys.argv[2], "wb").write(b[:s] + b[e:])
PY
	run python3 "$CHECK" "$T/cut.pftrace"
	[ "$status" -eq 1 ]
	[[ "$output" == *"left open"* ]]
	head -c 1000 "$T/c.pftrace" > "$T/short.pftrace"
	run python3 "$CHECK" "$T/short.pftrace"
	[ "$status" -ne 0 ]
}

@test "a request that outgrows its buffer (4000 subrequests, 3 issues each) goes out early and streams" {
	python3 - > "$T/long.txt" <<'PY'
t = 100.0
def line(comm, ev):
    global t
    t += 0.000001
    print("%16s [000] ..... %12.6f: %s" % (comm, t, ev))
R = "R=00000abc"
line("dd-500", "netfs_rreq_ref: %s NEW         r=2" % R)
line("dd-500", "netfs_read: %s DIO-READ c=00000000 ni=1234 s=0 l=10000000 sz=10000000" % R)
r = 2
for i in range(1, 4001):
    r += 1
    line("dd-500", "netfs_rreq_ref: %s GET SUBREQ  r=%d" % (R, r))
    s, st = "%s[%x]" % (R, i), (i - 1) * 0x1000
    line("dd-500", "netfs_sreq: %s DOWN PREP  f=100 s=%x 0/1000 s=0 e=0" % (s, st))
    for c in range(3):
        line("dd-500", "netfs_sreq: %s DOWN SUBMT f=100 s=%x 0/1000 s=0 e=0" % (s, st))
        if c < 2:
            line("cifsd-223", "netfs_sreq: %s DOWN TERM  f=300 s=%x 0/1000 s=0 e=-11" % (s, st))
            line("dd-500", "netfs_sreq: %s DOWN RETRY f=000 s=%x 0/1000 s=0 e=-11" % (s, st))
    line("cifsd-223", "netfs_sreq: %s DOWN TERM  f=110 s=%x 1000/1000 s=0 e=0" % (s, st))
    line("kworker/u8:1-29", "netfs_sreq: %s DOWN CONSM f=010 s=%x 1000/1000 s=0 e=0" % (s, st))
    line("kworker/u8:1-29", "netfs_sreq: %s DOWN FREE  f=010 s=%x 1000/1000 s=0 e=0" % (s, st))
    r -= 1
    line("kworker/u8:1-29", "netfs_rreq_ref: %s PUT SUBREQ  r=%d" % (R, r))
line("dd-500", "netfs_rreq_ref: %s PUT RETURN  r=1" % R)
line("dd-500", "netfs_rreq_ref: %s PUT WORK IP  r=0" % R)
line("dd-500", "netfs_rreq: %s DR FREE    f=102" % R)
PY
	"$REPLAY" -q --perfetto "$T/long.pftrace" "$T/long.txt" > /dev/null 2>&1 || true
	[ "$(stat -c %s "$T/long.pftrace")" -gt 2000000 ]
	decodes "$T/long.pftrace"
	python3 "$CHECK" "$T/long.pftrace" > "$T/long.chk"
	[ "$(json_get 'len(d["requests"]["00000abc"][0]["subrequests"])' < "$T/long.chk")" = 4000 ]
	[ "$(json_get 'len(d["requests"]["00000abc"][0]["refs"])' < "$T/long.chk")" = 8003 ]
	grep -c 'name: "\[[0-9a-f]*\] DOWN s=[0-9a-f]* len=1000 (issue 3)"' "$T/long.pftrace.txt" | grep -qx 4000
	# streamed: the last subrequest's track is declared after the request's
	# life slice began (a buffered request declares all of them first)
	local began last
	began=$(grep -n 'name: "-- R=00000abc"' "$T/long.pftrace.txt" | head -1 | cut -d: -f1)
	last=$(grep -n 'name: "R=00000abc\[fa0\]"' "$T/long.pftrace.txt" | head -1 | cut -d: -f1)
	[ -n "$began" ] && [ -n "$last" ] && [ "$last" -gt "$began" ]
}

# Perfetto's own merged schema (protos/perfetto/trace/perfetto_trace.proto of
# a google/perfetto checkout, not vendored here): NFT_PERFETTO_PROTO=PATH.
# Every field we write must be one upstream knows: protoc prints a field it
# does not know as a bare number.
@test "upstream perfetto_trace.proto (NFT_PERFETTO_PROTO): every corpus export decodes, no unknown field" {
	[ -n "${NFT_PERFETTO_PROTO:-}" ] || skip "NFT_PERFETTO_PROTO not set"
	local f n=0 dir base

	dir=$(dirname "$NFT_PERFETTO_PROTO")
	base=$(basename "$NFT_PERFETTO_PROTO")
	for f in "$CORPUS"/*/*.dat; do
		"$NFT_BIN/netfs-replay" --perfetto "$T/o.pftrace" "$f" > /dev/null 2>&1 || true
		protoc -I "$dir" --decode=perfetto.protos.Trace "$base" \
			< "$T/o.pftrace" > "$T/o.txt"
		! grep -qE '^[[:space:]]*[0-9]+: ' "$T/o.txt"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}
