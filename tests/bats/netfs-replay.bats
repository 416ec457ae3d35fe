#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay as a user sees it: real captures from tests/fixtures (see its
# README.md for what each must give), every input form, every option, bad
# input.  The numbers are exact: a change in what the analyzer reports must
# show up here.

load helper
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	F612_SEQ=$FIX/6.12/smb_seqread.txt.xz
	F612_FAIL=$FIX/6.12/retry1_smb_fault_killloop.txt.xz
	F72_FAIL=$FIX/7.2/retry1_smb_fault_killloop.txt.xz
	F612_WARN=$FIX/6.12/fc_read.txt.xz
	LOST=$FIX/7.2/lost-stuck.txt
}

# counts FILE: "requests subrequests bytes_read bytes_written findings" from
# the JSON document of FILE (extra args go to netfs-replay).
counts() {
	"$REPLAY" --json "$@" 2>/dev/null | json_get \
		'" ".join(str(x) for x in [d["summary"][k] for k in ("requests", "subrequests", "bytes_read", "bytes_written")] + [len(d["findings"])])'
}

# ---- usage ----

@test "--help: exit 0, every option and every finding kind" {
	run "$REPLAY" --help
	[ "$status" -eq 0 ]
	for o in -i --input --json -R --request --brief --fail-on --stuck-after \
		--retry-limit --kernel --instance -q --quiet -h --help --version; do
		[[ "$output" == *"$o"* ]] || { echo "missing $o"; false; }
	done
	for k in use-after-free over-read bad-rewind double-unlock ref-leak \
		ref-mismatch stuck bad-context retry-storm failure; do
		[[ "$output" == *" $k"* ]] || { echo "missing kind $k"; false; }
	done
	[[ "$output" == *"exit status: 0 clean, 1 findings"* ]]
}

@test "--version" {
	run "$REPLAY" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^netfs-replay\ [0-9]+\.[0-9]+ ]]
}

@test "unknown option, extra argument, --brief without -R: exit 2" {
	run "$REPLAY" --no-such-option "$F612_SEQ"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Try 'netfs-replay --help'"* ]]
	run "$REPLAY" -i "$F612_SEQ" "$F72_FAIL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"one input only with -i"* ]]
	run "$REPLAY" --brief "$F612_SEQ"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--brief goes with -R"* ]]
	run "$REPLAY" --stuck-after 0 "$F612_SEQ"
	[ "$status" -eq 2 ]
	run "$REPLAY" --retry-limit x "$F612_SEQ"
	[ "$status" -eq 2 ]
	run "$REPLAY" --kernel abc "$F612_SEQ"
	[ "$status" -eq 2 ]
	[[ "$output" == *"4.17 or later), not 'abc'"* ]]
	run "$REPLAY" --kernel 4.14 "$F612_SEQ"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not '4.14'"* ]]
	# the old fscache's era (4.17 - 5.16) is read, never refused for its age
	run "$REPLAY" --kernel 5.10 --fail-on none "$F612_SEQ"
	[ "$status" -eq 0 ]
	run "$REPLAY" --kernel 5.15 --fail-on none "$F612_SEQ"
	[ "$status" -eq 0 ]
}

# ---- clean captures: the summary ----

@test "6.12 smb_seqread: clean summary, exit 0" {
	run --separate-stderr "$REPLAY" "$F612_SEQ"
	[ "$status" -eq 0 ]
	echo "$output" > "$T/out"
	[ "$(summary_line "$T/out" input)" = "$F612_SEQ (text, xz, 1092 lines)" ]
	[ "$(summary_line "$T/out" kernel)" = "6.12 (6.10 - 6.13)" ]
	[ "$(summary_line "$T/out" time)" = "109.086859 - 109.523200" ]
	[ "$(summary_line "$T/out" events)" = "1080 (other events: 0)" ]
	[ "$(summary_line "$T/out" requests)" = "6 (RA 6)" ]
	[ "$(summary_line "$T/out" subrequests)" = "9 (DOWN 9)" ]
	[ "$(summary_line "$T/out" 'bytes read')" = "33554432 (from cache: 0)" ]
	[ "$(summary_line "$T/out" 'bytes written')" = "0 (to cache: 0)" ]
	[ "$(summary_line "$T/out" 'lost events')" = "0 in 0 marker(s)" ]
	[ "$(summary_line "$T/out" findings)" = "0" ]
	[ -z "$stderr" ]
}

@test "clean capture of each kernel: exit 0 and exact counts" {
	run "$REPLAY" "$FIX/6.1/append.txt.xz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kernel: 6.1 (<= 6.9)"* ]]
	[ "$(counts "$FIX/6.1/append.txt.xz")" = "1 1 4096 0 0" ]

	run "$REPLAY" "$FIX/6.12/append.txt.xz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"requests: 40 (WB 40)"* ]]
	[[ "$output" == *"subrequests: 40 (UPLD 40)"* ]]
	[ "$(counts "$FIX/6.12/append.txt.xz")" = "40 40 0 25885 0" ]

	run "$REPLAY" "$FIX/7.2/dioread.txt.xz"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kernel: 7.x (>= 6.16)"* ]]
	[ "$(counts "$FIX/7.2/dioread.txt.xz")" = "40 40 8519680 0 0" ]
}

@test "trace.dat and the tracefs text of the same run agree" {
	for k in 6.1 6.12; do
		run "$REPLAY" "$FIX/$k/append.dat"
		[ "$status" -eq 0 ]
		[ "$(counts "$FIX/$k/append.dat")" = "$(counts "$FIX/$k/append.txt.xz")" ]
	done
	run --separate-stderr "$REPLAY" "$FIX/6.12/append.dat"
	[[ "$output" == *"input: $FIX/6.12/append.dat (trace.dat, 1200 records, 2 cpus)"* ]]
}

# ---- failures and findings ----

@test "6.12 killed cifs connection: one failure finding, exit 1" {
	run --separate-stderr "$REPLAY" "$F612_FAIL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"requests: 32 (RA 4, DR 28)"* ]]
	[[ "$output" == *"failures: 1"* ]]
	[[ "$output" == *"findings: 1"* ]]
	[[ "$output" == *"[warning] failure R=00000106[1]: DOWN subrequest failed: -103 (ECONNABORTED) at s=1b0000 0/10000"* ]]
	[[ "$output" == *"evidence: line 505 (18.808987), line 506 (18.809146)"* ]]
	"$REPLAY" --json "$F612_FAIL" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '[(f["kind"], f["severity"], f["request"], f["subreq"], f["object"]) for f in d["findings"]]' < "$T/j")" = \
		'[["failure", "warning", "00000106", 1, "R=00000106[1]"]]' ]
	[ "$(json_get '[e["line"] for e in d["findings"][0]["evidence"]]' < "$T/j")" = '[505, 506]' ]
}

@test "7.2 killed cifs connection: retry then failure, exit 1" {
	run --separate-stderr "$REPLAY" "$F72_FAIL"
	[ "$status" -eq 1 ]
	[[ "$output" == *"retries: 1"* ]]
	[[ "$output" == *"[warning] failure R=000000ff[1]: DOWN subrequest failed: -11 (EAGAIN)"* ]]
	[ "$(counts "$F72_FAIL")" = "22 24 17825792 8388608 1" ]
	"$REPLAY" --json "$F72_FAIL" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '[(f["kind"], f["object"], f["uncertain"]) for f in d["findings"]]' < "$T/j")" = \
		'[["failure", "R=000000ff[1]", false]]' ]
	[ "$(json_get 'd["findings"][0]["evidence"][0]["line"]' < "$T/j")" = 503 ]
}

@test "6.12 fc_read: the real kernel WARNING is one bad-context finding" {
	run --separate-stderr "$REPLAY" "$F612_WARN"
	[ "$status" -eq 1 ]
	[[ "$output" == *"findings: 1"* ]]
	[[ "$output" == *"[error] bad-context R=00000daa: netfs_consume_read_data() ran in hardirq context"* ]]
	[[ "$output" == *"__local_bh_enable_ip"* ]]
	"$REPLAY" --json "$F612_WARN" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '[(f["kind"], f["severity"], f["object"]) for f in d["findings"]]' < "$T/j")" = \
		'[["bad-context", "error", "R=00000daa"]]' ]
	[ "$(json_get 'd["findings"][0]["evidence"][0]' < "$T/j")" = \
		'{"line": 15722, "ts": "95.218737"}' ]
	# the evidence line is the hardirq netfs_progress of that request
	xzcat "$F612_WARN" | sed -n 15722p | grep -q 'd\.h.\..*netfs_progress: R=00000daa'
}

@test "--fail-on picks the kinds that give exit 1" {
	run "$REPLAY" --fail-on none "$F72_FAIL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"failure R=000000ff[1]"* ]]	# still reported
	run "$REPLAY" --fail-on stuck "$F72_FAIL"
	[ "$status" -eq 0 ]
	run "$REPLAY" --fail-on leak,stuck,overread "$F72_FAIL"
	[ "$status" -eq 0 ]
	run "$REPLAY" --fail-on failure "$F72_FAIL"
	[ "$status" -eq 1 ]
	run "$REPLAY" --fail-on stuck,failure "$F612_FAIL"
	[ "$status" -eq 1 ]
	run "$REPLAY" --fail-on all "$F612_FAIL"
	[ "$status" -eq 1 ]
	run "$REPLAY" --fail-on failure "$F612_WARN"
	[ "$status" -eq 0 ]
	run "$REPLAY" --fail-on bad-context "$F612_WARN"
	[ "$status" -eq 1 ]
	run "$REPLAY" --fail-on none "$F612_SEQ"
	[ "$status" -eq 0 ]
}

@test "--fail-on with an unknown kind: exit 2, names it" {
	run "$REPLAY" --fail-on stuck,bogus "$F72_FAIL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown finding kind in 'stuck,bogus'"* ]]
}

# ---- JSON ----

@test "--json: valid, documented keys and types" {
	"$REPLAY" --json "$F72_FAIL" > "$T/j" || [ $? -eq 1 ]
	python3 - "$T/j" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, d["version"]
i = d["input"]
assert set(i) >= {"file", "format", "compression", "errors", "warnings"}, i
assert i["format"] == "text" and i["compression"] == "xz", i
assert i["errors"] == 0 and i["warnings"] == 0, i
s = d["summary"]
for k in ("events", "requests", "subrequests", "bytes_read",
          "bytes_written", "retries", "failures", "lost_events",
          "other_events", "lost_markers", "cookies", "cache_objects",
          "in_flight_at_end", "reused_ids", "write_iters",
          "bytes_cache_read", "bytes_cache_written"):
    assert isinstance(s[k], int), k
for k in ("requests_by_origin", "subrequests_by_source", "netfs_read",
          "netfs_write"):
    assert isinstance(s[k], dict), k
assert s["kernel"] == "7.x (>= 6.16)", s["kernel"]
assert s["first_ts"] == "18.287064" and s["last_ts"] == "18.964537"
assert (s["events"], s["requests"], s["subrequests"]) == (4458, 22, 24)
assert (s["retries"], s["failures"], s["lost_events"]) == (1, 1, 0)
assert s["requests_by_origin"] == {"RA": 4, "DR": 17, "WB": 1}, s
assert len(d["findings"]) == 1
f = d["findings"][0]
assert set(f) == {"kind", "severity", "request", "subreq", "object",
                  "message", "uncertain", "evidence"}, f
assert f["kind"] == "failure" and f["severity"] == "warning"
assert f["request"] == "000000ff" and f["subreq"] == 1
assert f["message"].startswith("DOWN subrequest failed: -11 (EAGAIN)")
assert [e["line"] for e in f["evidence"]] == [503, 517, 519, 526]
assert all(isinstance(e["ts"], str) and len(e["ts"].split(".")[1]) == 6
           for e in f["evidence"])
assert d["unknown_symbols"] == []
EOF
}

@test "--json on a clean capture: findings is an empty list, exit 0" {
	run --separate-stderr "$REPLAY" --json "$F612_SEQ"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | json_get 'd["findings"]')" = "[]" ]
	[ "$(echo "$output" | json_get 'd["summary"]["bytes_read"]')" = 33554432 ]
}

# ---- one request ----

@test "-R ID: the request, its subrequests, refs and lines" {
	run --separate-stderr "$REPLAY" -R 000000ff "$F72_FAIL"
	[ "$status" -eq 1 ]	# the capture's finding still sets the status
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "request: R=000000ff" ]
	grep -qx 'origin: DR' "$T/out"
	grep -qx 'operation: DIO-READ' "$T/out"
	grep -qx 'range: 0x100000-0x110000 (len 0x10000)' "$T/out"
	grep -qx 'state: freed' "$T/out"
	grep -qx 'subrequests: 1, retries: 1, failures: 1' "$T/out"
	grep -Eq '^ +1 0 +DOWN +0x100000 +0x10000 +0x0 +-11 +1 freed$' "$T/out"
	# the time line and the list show both issue cycles of the retried read
	grep -Eq '^  \[1\] DOWN read +\|=+-+R=+\|$' "$T/out"
	grep -qx '  \[1\] issued 2 times' "$T/out"
	grep -qx '      #1  0.037 -> 4.721  lines 496-503' "$T/out"
	grep -qx '      #2  8.118 -> 28.526  lines 514-519' "$T/out"
	grep -qx 'ref history:' "$T/out"
	grep -Eq '^    line 515 +18\.346574 GET RESUBMT +r=2$' "$T/out"
	grep -Eq '^    line 527 +18\.366986 PUT ABANDON +r=0$' "$T/out"
	grep -qx 'lines (49):' "$T/out"
	grep -q '^     492: .*netfs_rreq_ref: R=000000ff NEW  *r=2$' "$T/out"
	grep -q '^     541: .*netfs_rreq: R=000000ff DR FREE' "$T/out"
	# R= prefix and short hex are the same request
	run --separate-stderr "$REPLAY" -R R=ff "$F72_FAIL"
	[ "$(printf '%s\n' "$output")" = "$(cat "$T/out")" ]
}

@test "-R ID --brief: only the request's lines, compacted" {
	run --separate-stderr "$REPLAY" -R ff --brief "$F72_FAIL"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 49 ]
	[ "${lines[0]}" = "dd-440 [001] ..... 18.338339: netfs_rreq_ref: R=000000ff NEW r=2" ]
	[ "${lines[48]}" = "kworker/u8:0-12 [000] ..... 18.367156: netfs_rreq: R=000000ff DR FREE f=0a" ]
	for l in "${lines[@]}"; do
		[[ "$l" == *R=000000ff* ]] || { echo "stray: $l"; false; }
	done
	[[ "$output" != *"ref history"* ]]
}

@test "-R ID --json: one request object" {
	"$REPLAY" -R ff --json "$F72_FAIL" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["request"], d["origin"], d["start"], d["len"], d["state"], d["first_line"], d["last_line"])' < "$T/j")" = \
		"('000000ff', 'DR', 1048576, 65536, 'freed', 492, 541)" ]
	[ "$(json_get '[{k: s[k] for k in ("error", "index", "len", "retries", "source", "start", "stream", "transferred", "state")} for s in d["subrequests"]]' < "$T/j")" = \
		'[{"error": -11, "index": 1, "len": 65536, "retries": 1, "source": "DOWN", "start": 1048576, "state": "freed", "stream": 0, "transferred": 0}]' ]
}

@test "-R with an id not in the capture or not hex: exit 2" {
	run "$REPLAY" -R 12345 "$F72_FAIL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"retry1_smb_fault_killloop.txt.xz: no request R=00012345 in this capture"* ]]
	run "$REPLAY" -R zz "$F72_FAIL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad id 'zz' for -R"* ]]
}

# ---- where the input comes from ----

@test "stdin: '-' reads plain and compressed text and trace.dat" {
	"$REPLAY" --json "$F72_FAIL" > "$T/file.json" || [ $? -eq 1 ]
	xzcat "$F72_FAIL" | "$REPLAY" --json - > "$T/pipe.json" || [ $? -eq 1 ]
	[ "$(json_get 'd["input"]["file"]' < "$T/pipe.json")" = "<stdin>" ]
	diff <(grep -v '"input"' "$T/file.json") <(grep -v '"input"' "$T/pipe.json")
	"$REPLAY" --json - < "$F72_FAIL" > "$T/redir.json" || [ $? -eq 1 ]
	[ "$(json_get 'd["input"]["compression"]' < "$T/redir.json")" = xz ]
	diff <(grep -v '"input"' "$T/file.json") <(grep -v '"input"' "$T/redir.json")
	run "$REPLAY" - < "$FIX/6.12/append.dat"
	[ "$status" -eq 0 ]
	[[ "$output" == *"input: <stdin> (trace.dat, 1200 records, 2 cpus)"* ]]
}

@test "xz, gzip, zstd and plain of one capture: the same JSON but 'input'" {
	xzcat "$F72_FAIL" > "$T/c.txt"
	gzip -c "$T/c.txt" > "$T/c.txt.gz"
	zstd -q -c "$T/c.txt" > "$T/c.txt.zst"
	cp "$F72_FAIL" "$T/c.txt.xz"
	for c in txt txt.gz txt.zst txt.xz; do
		"$REPLAY" --json "$T/c.$c" > "$T/$c.json" || [ $? -eq 1 ]
		grep -v '"input"' "$T/$c.json" > "$T/$c.body"
	done
	[ "$(json_get 'd["input"]["compression"]' < "$T/txt.gz.json")" = gzip ]
	[ "$(json_get 'd["input"]["compression"]' < "$T/txt.zst.json")" = zstd ]
	[ "$(json_get 'd["input"]["compression"]' < "$T/txt.json")" = none ]
	cmp "$T/txt.body" "$T/txt.gz.body"
	cmp "$T/txt.body" "$T/txt.zst.body"
	cmp "$T/txt.body" "$T/txt.xz.body"
	[ "$(json_get 'd["summary"]["requests"]' < "$T/txt.zst.json")" = 22 ]
	# a compressed trace.dat too
	xz -c "$FIX/6.1/append.dat" > "$T/a.dat.xz"
	[ "$(counts "$T/a.dat.xz")" = "$(counts "$FIX/6.1/append.dat")" ]
}

@test "-i FILE is the same as the positional FILE" {
	"$REPLAY" "$F612_FAIL" > "$T/pos" || [ $? -eq 1 ]
	"$REPLAY" -i "$F612_FAIL" > "$T/opt" || [ $? -eq 1 ]
	"$REPLAY" --input="$F612_FAIL" > "$T/long" || [ $? -eq 1 ]
	cmp "$T/pos" "$T/opt"
	cmp "$T/pos" "$T/long"
	run "$REPLAY" -i "$F612_FAIL" "$F612_SEQ"
	[ "$status" -eq 2 ]
}

@test "no input given: trace.dat in the current directory, else exit 2" {
	cd "$T"
	run "$REPLAY"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no input given and no trace.dat here"* ]]
	cp "$FIX/6.12/append.dat" trace.dat
	run --separate-stderr "$REPLAY"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "input: trace.dat (trace.dat, 1200 records, 2 cpus)" ]
	[[ "$output" == *"requests: 40 (WB 40)"* ]]
}

# ---- bad input: exit 2, the file named, never a crash ----

bad_input() {
	run --separate-stderr "$REPLAY" "$1"
	echo "status $status; stderr: $stderr"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"$1"* ]]
}

@test "empty file" {
	: > "$T/empty.txt"
	bad_input "$T/empty.txt"
	[[ "$stderr" == *"empty input"* ]]
}

@test "binary garbage" {
	head -c 4096 /dev/urandom > "$T/garbage"
	bad_input "$T/garbage"
}

@test "a perf.data file is named as such" {
	{ printf 'PERFILE2'; head -c 4088 /dev/zero; } > "$T/perf.data"
	bad_input "$T/perf.data"
	[[ "$stderr" == *"perf.data file; give netfs-replay its text: perf script -i FILE | netfs-replay -"* ]]
}

@test "text with no trace events" {
	printf 'hello\nthis is not a trace\n' > "$T/prose.txt"
	bad_input "$T/prose.txt"
	[[ "$stderr" == *"no trace events found"* ]]
}

@test "last line cut in half: the rest is reported, exit 2" {
	xzcat "$F612_SEQ" | head -c -30 > "$T/cut.txt"
	[ "$(tail -c 1 "$T/cut.txt")" != "" ]
	bad_input "$T/cut.txt"
	[[ "$stderr" == *"cut.txt:line 1092: error: truncated last line"* ]]
	[[ "$output" == *"requests: 6 (RA 6)"* ]]
	[[ "$output" == *"input errors: 1"* ]]
}

@test "a 200 KB single line" {
	head -c 204800 /dev/zero | tr '\0' a > "$T/long.txt"
	bad_input "$T/long.txt"
	[[ "$stderr" == *"long.txt:line 1: error: line longer than 64 KiB"* ]]
}

@test "nonexistent file" {
	bad_input "$T/no-such-file.dat"
	[[ "$stderr" == *"No such file or directory"* ]]
}

@test "a directory" {
	bad_input "$T"
}

@test "a binary line (NUL) in the middle: the rest is reported, exit 2" {
	xzcat "$F612_SEQ" > "$T/s.txt"
	{ sed -n 1,500p "$T/s.txt"; printf 'abc\000\001\377def\n'; sed -n '501,$p' "$T/s.txt"; } > "$T/mid.txt"
	bad_input "$T/mid.txt"
	[[ "$stderr" == *"mid.txt:line 501: error:"* ]]
	[[ "$output" == *"requests: 6 (RA 6)"* ]]
	[[ "$output" == *"subrequests: 9 (DOWN 9)"* ]]
}

@test "a binary line (control bytes, no NUL) in the middle: exit 2" {
	xzcat "$F612_SEQ" > "$T/s.txt"
	{ sed -n 1,500p "$T/s.txt"; printf '\001\002\033\177garbage\376\377\n'; sed -n '501,$p' "$T/s.txt"; } > "$T/mid.txt"
	bad_input "$T/mid.txt"
	[[ "$stderr" == *"mid.txt:line 501: error:"* ]]
	[[ "$output" == *"requests: 6 (RA 6)"* ]]
}

@test "a garbled netfs line in the middle: the rest is reported, exit 2" {
	xzcat "$F612_SEQ" > "$T/s.txt"
	{ sed -n 1,500p "$T/s.txt"
	  echo '              dd-872     [000] .....   109.100000: netfs_sreq: R=00001018[1] BLAH'
	  sed -n '501,$p' "$T/s.txt"; } > "$T/mid.txt"
	bad_input "$T/mid.txt"
	[[ "$stderr" == *"mid.txt:line 501: error: malformed netfs_sreq"* ]]
	[[ "$output" == *"requests: 6 (RA 6)"* ]]
}

@test "a line of prose in a pasted capture is only a warning" {
	xzcat "$F612_SEQ" > "$T/s.txt"
	{ sed -n 1,500p "$T/s.txt"; echo 'and here the dd finished'; sed -n '501,$p' "$T/s.txt"; } > "$T/mid.txt"
	run --separate-stderr "$REPLAY" "$T/mid.txt"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"mid.txt:line 501: warning: not a trace event"* ]]
	[[ "$output" == *"requests: 6 (RA 6)"* ]]
}

# ---- text forms ----

# to_forms SRC: $T/{tracefs,paste,bare,console}.txt from one tracefs capture
to_forms() {
	xzcat "$1" > "$T/tracefs.txt"
	grep -v '^#' "$T/tracefs.txt" |
		sed -E 's/^ *(.*-[0-9]+) +\[[0-9]{3}\] [^ ]+ +([0-9]+\.[0-9]+): /\1: /' > "$T/paste.txt"
	sed -E 's/^[^:]*: //' "$T/paste.txt" > "$T/bare.txt"
	grep -v '^#' "$T/tracefs.txt" |
		sed -E 's/^ *(.*-[0-9]+) +\[[0-9]{3}\] [^ ]+ +([0-9]+\.[0-9]+): /[ \2] /' > "$T/console.txt"
	# perf script: "comm pid [cpu] ts: system:event: ..."
	grep -v '^#' "$T/tracefs.txt" |
		sed -E 's/^ *(.*)-([0-9]+) +\[([0-9]{3})\] [^ ]+ +([0-9]+\.[0-9]+): ((netfs|fscache|cachefiles)_[a-z_0-9]+):/ \1 \2 [\3] \4: \6:\5:/' > "$T/perf.txt"
}

@test "pasted 'comm-pid: event:', bare 'event:', console '[ ts] event:', perf script forms agree" {
	for src in "$F72_FAIL" "$F612_SEQ"; do
		to_forms "$src"
		head -1 "$T/paste.txt" | grep -Eq '^dd-[0-9]+: netfs_rreq_ref: R='
		head -1 "$T/bare.txt" | grep -Eq '^netfs_rreq_ref: R='
		head -1 "$T/console.txt" | grep -Eq '^\[ [0-9]+\.[0-9]{6}\] netfs_rreq_ref: R='
		head -1 "$T/perf.txt" | grep -Eq '^ dd [0-9]+ \[00[0-9]\] [0-9.]+: netfs:netfs_rreq_ref: R='
		want=$(counts "$T/tracefs.txt")
		for form in paste bare console perf; do
			got=$(counts "$T/$form.txt")
			[ "$got" = "$want" ] || { echo "$src $form: $got != $want"; false; }
		done
	done
	[ "$want" = "6 9 33554432 0 0" ]
	to_forms "$F72_FAIL"
	run "$REPLAY" "$T/bare.txt"
	[ "$status" -eq 1 ]
	[[ "$output" == *"failure R=000000ff[1]"* ]]
}

@test "trace-cmd report output gives what the trace.dat gives" {
	command -v trace-cmd > /dev/null || skip "trace-cmd not installed"
	for k in 6.1 6.12; do
		trace-cmd report -i "$FIX/$k/append.dat" > "$T/report.txt" 2> /dev/null
		head -1 "$T/report.txt" | grep -qx 'cpus=2'
		[ "$(counts "$T/report.txt")" = "$(counts "$FIX/$k/append.dat")" ]
	done
	run --separate-stderr "$REPLAY" "$T/report.txt"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"kernel: 6.12 (6.10 - 6.13)"* ]]
}

@test "trace-cmd report -l, -t, --ts-diff, -N output: the same counts as the trace.dat" {
	command -v trace-cmd > /dev/null || skip "trace-cmd not installed"
	want=$(counts "$FIX/6.12/append.dat")
	for o in -l -t --ts-diff "-l --ts-diff" -N; do
		# shellcheck disable=SC2086
		trace-cmd report $o -i "$FIX/6.12/append.dat" > "$T/report.txt" 2> /dev/null
		run --separate-stderr "$REPLAY" "$T/report.txt"
		[ "$status" -eq 0 ] || { echo "$o: exit $status: $stderr"; false; }
		[ -z "$stderr" ] || { echo "$o: $stderr"; false; }
		[ "$(counts "$T/report.txt")" = "$want" ] || { echo "$o differs"; false; }
	done
	grep -q '(+[0-9]*) *netfs_' <(trace-cmd report --ts-diff -i "$FIX/6.12/append.dat" 2> /dev/null)
}

@test "trace-cmd report -R (raw numbers): says so and what to give instead, exit 2" {
	command -v trace-cmd > /dev/null || skip "trace-cmd not installed"
	trace-cmd report -R -i "$FIX/6.12/append.dat" > "$T/raw.txt" 2> /dev/null
	run --separate-stderr "$REPLAY" "$T/raw.txt"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"raw.txt:line 2: error: malformed netfs_"*"as trace-cmd report -R prints them"*"read the trace.dat itself"* ]]
	[[ "$stderr" == *"no netfs event line could be decoded"* ]]
}

# ---- lost events ----

@test "a LOST marker makes a later stuck request 'may be caused by lost events'" {
	run --separate-stderr "$REPLAY" "$LOST"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lost events: 5 in 1 marker(s)"* ]]
	[[ "$output" == *"findings: 1"* ]]
	[[ "$output" == *"[error] stuck R=000009a6: still in progress (never completed) and no event for 6.0 s (may be caused by lost events)"* ]]
	"$REPLAY" --json "$LOST" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '[(f["kind"], f["object"], f["uncertain"]) for f in d["findings"]]' < "$T/j")" = \
		'[["stuck", "R=000009a6", true]]' ]
	[ "$(json_get '(d["summary"]["lost_events"], d["summary"]["lost_markers"])' < "$T/j")" = "(5, 1)" ]
}

@test "the same trace without the LOST marker: a certain finding" {
	grep -v 'LOST' "$LOST" > "$T/nolost.txt"
	run --separate-stderr "$REPLAY" "$T/nolost.txt"
	[ "$status" -eq 1 ]
	[[ "$output" == *"[error] stuck R=000009a6: still in progress (never completed) and no event for 6.0 s"* ]]
	[[ "$output" != *"lost events)"* ]]
	"$REPLAY" --json "$T/nolost.txt" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get 'd["findings"][0]["uncertain"]' < "$T/j")" = False ]
}

@test "--stuck-after: a longer threshold leaves the request in flight" {
	run --separate-stderr "$REPLAY" --stuck-after 10 "$LOST"
	[ "$status" -eq 0 ]
	[[ "$output" == *"findings: 0"* ]]
	[[ "$output" == *"in flight at end of capture: 1"* ]]
	run --separate-stderr "$REPLAY" --stuck-after 2.5 --fail-on stuck "$LOST"
	[ "$status" -eq 1 ]
}

# ---- -q ----

@test "-q: findings without the summary" {
	run --separate-stderr "$REPLAY" -q "$F612_FAIL"
	[ "$status" -eq 1 ]
	[[ "$output" != *"requests:"* ]]
	[[ "$output" == *"failure R=00000106[1]"* ]]
}

# ---- completion ----

@test "bash completion: options, kinds after --fail-on, files" {
	local comp=$BATS_TEST_DIRNAME/../../completions/netfs-replay.bash
	[ -f "$comp" ]
	# shellcheck disable=SC1090
	source "$comp"
	local fn
	fn=$(complete -p netfs-replay | sed -E 's/.*-F ([^ ]+).*/\1/')

	COMP_WORDS=(netfs-replay --fa)
	COMP_CWORD=1
	COMPREPLY=()
	"$fn" netfs-replay --fa netfs-replay
	[ "${COMPREPLY[*]}" = "--fail-on" ]

	COMP_WORDS=(netfs-replay --fail-on st)
	COMP_CWORD=2
	COMPREPLY=()
	"$fn" netfs-replay st --fail-on
	[ "${COMPREPLY[*]}" = "stuck" ]

	COMP_WORDS=(netfs-replay --fail-on stuck,ref-)
	COMP_CWORD=2
	COMPREPLY=()
	"$fn" netfs-replay stuck,ref- --fail-on
	[ "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')" = "stuck,ref-leak stuck,ref-mismatch " ]

	COMP_WORDS=(netfs-replay --fail-on = fai)
	COMP_CWORD=3
	COMPREPLY=()
	"$fn" netfs-replay fai =
	[ "${COMPREPLY[*]}" = "failure" ]

	# the completion knows every kind the command knows
	[ "$_netfs_replay_kinds" = "$("$REPLAY" --help | sed -n 's/^finding kinds: //p')" ]

	cd "$T"
	mkdir sub && touch cap.dat cap.txt.xz
	COMP_WORDS=(netfs-replay -i ca)
	COMP_CWORD=2
	COMPREPLY=()
	"$fn" netfs-replay ca -i
	[ "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')" = "cap.dat cap.txt.xz " ]

	COMP_WORDS=(netfs-replay --json c)
	COMP_CWORD=2
	COMPREPLY=()
	"$fn" netfs-replay c --json
	[ "$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')" = "cap.dat cap.txt.xz " ]

	COMP_WORDS=(netfs-replay --kernel '')
	COMP_CWORD=2
	COMPREPLY=()
	"$fn" netfs-replay '' --kernel
	[[ " ${COMPREPLY[*]} " == *" 6.12 "* ]]
}

# ---- what a mail does to a pasted trace ----

@test "--json on a refused input: still one JSON document, with the reason" {
	printf 'hello\nthis is not a trace\n' > "$T/prose.txt"
	run --separate-stderr "$REPLAY" --json "$T/prose.txt"
	[ "$status" -eq 2 ]
	echo "$output" | python3 -m json.tool > /dev/null
	echo "$output" | json_get 'd["refused"] and any("no trace events found" in m["message"] for m in d["messages"])' | grep -qx True
	: > "$T/empty.txt"
	run --separate-stderr "$REPLAY" --json "$T/empty.txt"
	[ "$status" -eq 2 ]
	echo "$output" | json_get 'd["messages"][0]["message"]' | grep -qx "empty input"
	run --separate-stderr "$REPLAY" --json "$T/does-not-exist.txt"
	[ "$status" -eq 2 ]
	echo "$output" | python3 -m json.tool > /dev/null
}

@test "--json on a read input: its input object says how many messages the cap hid" {
	{ for i in $(seq 1 15); do echo "prose line $i"; done
	  xzcat "$F612_SEQ"; } > "$T/prosy.txt"
	run --separate-stderr "$REPLAY" --json "$T/prosy.txt"
	[ "$status" -eq 0 ]
	echo "$output" | json_get 'd["input"]["warnings"], d["input"]["suppressed"]' | grep -qx "(15, 5)"
	[[ "$stderr" == *"5 more messages not shown"* ]]
}

@test "a 5.17 trace pasted into a mail (wrapped, quoted): analysed with the 6.1 rules" {
	# constructed from the 5.17 TP_printk formats of include/trace/events/netfs.h
	cat > "$T/517.txt" <<'TRACE'
Here is what I see on 5.17:

> kworker/u8:1-60 [001] ..... 12.000001: netfs_read: R=00000005 READAHEAD c=00000000 ni=1234 s=0 4000
> kworker/u8:1-60 [001] ..... 12.000002: netfs_sreq: R=00000005[0] PREP  DOWN f=01 s=0 0/4000 e
> =0
> kworker/u8:1-60 [001] ..... 12.000003: netfs_sreq: R=00000005[0] SUBMT DOWN f=01 s=0 0/4000 e=0
> kworker/u8:1-60 [001] ..... 12.000004: netfs_rreq: R=00000005 ASSESS f=22
> kworker/u8:1-60 [001] ..... 12.000005: netfs_sreq: R=00000005[0] TERM  DOWN f=01 s=0 4000/40
> 00 e=0
> kworker/u8:1-60 [001] ..... 12.000006: netfs_rreq: R=00000005 UNLOCK f=22
> kworker/u8:1-60 [001] ..... 12.000007: netfs_rreq: R=00000005 DONE   f=02
> kworker/u8:1-60 [001] ..... 12.000008: netfs_sreq: R=00000005[0] FREE  DOWN f=01 s=0 4000/4000 e=0
> kworker/u8:1-60 [001] ..... 12.000009: netfs_rreq: R=00000005 FREE   f=02

Thanks
TRACE
	run --separate-stderr "$REPLAY" "$T/517.txt"
	echo "$output"; echo "$stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kernel: 6.1 (<= 6.9)"* ]]
	[[ "$output" == *"events: 9 (other events: 0)"* ]]
	[[ "$output" == *"requests: 1 (RA 1)"* ]]
	[[ "$output" == *"subrequests: 1 (DOWN 1)"* ]]
	[[ "$output" == *"bytes read: 16384"* ]]
	[[ "$output" == *"findings: 0"* ]]
}

@test "real captures wrapped at random places (terminal, mail, format=flowed): the same analysis" {
	for f in "$FIX/6.1/append.txt.xz" "$F612_SEQ" "$F612_WARN" \
		"$FIX/6.18/truncate.txt.xz" "$F72_FAIL"; do
		xzcat "$f" > "$T/orig.txt"
		"$REPLAY" --json "$T/orig.txt" 2>/dev/null > "$T/a.json" || true
		for mode in hard word flowed; do
			for seed in 1 2; do
				python3 "$BATS_TEST_DIRNAME/wrap-lines.py" "$T/orig.txt" $mode $seed > "$T/w.txt"
				[ "$(wc -l < "$T/w.txt")" -gt "$(wc -l < "$T/orig.txt")" ]
				run --separate-stderr "$REPLAY" --json "$T/w.txt"
				echo "$f $mode $seed: $stderr"
				[ -z "$stderr" ]
				echo "$output" > "$T/b.json"
				python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["summary"] == b["summary"], [k for k in a["summary"] if a["summary"][k] != b["summary"][k]]
assert [(f["kind"], f["object"]) for f in a["findings"]] == [(f["kind"], f["object"]) for f in b["findings"]]
assert a["unknown_symbols"] == b["unknown_symbols"]
' "$T/a.json" "$T/b.json"
			done
		done
	done
}

@test "real mail: an ftrace_dump_on_oops serial log (latency format, printk time first)" {
	run --separate-stderr "$REPLAY" "$FIX/mail/nfs-lru-console.txt"
	echo "$output"; echo "$stderr"
	# the bug of the thread: the object withdrawn under an open access
	[ "$status" -eq 1 ]
	[[ "$output" == *"[critical] use-after-free c=00000b95: "* ]]
	[[ "$output" == *"kernel: 6.1 (<= 6.9)"* ]]
	[[ "$output" == *"time: 9424.710955 - 9424.722090"* ]]
	[[ "$output" == *"events: 25 (other events: 0)"* ]]
	[[ "$output" == *"requests: 1 (RA 1)"* ]]
	[[ "$stderr" != *"error"* ]]
	run "$REPLAY" -R 278174 "$FIX/mail/nfs-lru-console.txt"
	[[ "$output" == *"life: 9424.710976 - 9424.722088"* ]]
}

@test "real mail: a quoted-printable body with soft breaks in values, symbols and dev-branch fields" {
	run --separate-stderr "$REPLAY" --json "$FIX/mail/afs-truncate-qp.txt"
	echo "$output"; echo "$stderr"
	[ "$status" -eq 0 ]
	echo "$output" | json_get 'd["summary"]["events"], d["summary"]["other_events"], d["summary"]["requests"], d["summary"]["bytes_read"], d["summary"]["bytes_written"], d["unknown_symbols"], d["input"]["errors"]' |
		grep -qx "(33, 0, 2, 8192, 40, \[\], 0)"
}

@test "real mail: lines of the trace quoted again further down are not counted twice" {
	run --separate-stderr "$REPLAY" --json "$FIX/mail/bpf-allqueued-qp.txt"
	echo "$output"; echo "$stderr"
	[ "$status" -ne 2 ]
	echo "$output" | json_get 'd["summary"]["events"], d["summary"]["requests"], d["summary"]["subrequests"], d["input"]["errors"]' | grep -qx "(24, 1, 2, 0)"
	echo "$output" | json_get '[f["kind"] for f in d["findings"] if f["kind"] in ("use-after-free", "ref-mismatch")]' | grep -qx "\[\]"
	[[ "$stderr" == *"line 47: note: netfs_sreq repeats an earlier line (the trace quoted again from line 47 on)"* ]]
}
