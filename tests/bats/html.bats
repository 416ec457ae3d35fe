#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# netfs-replay --html (docs/html.md) loaded in a real browser: Debian's
# chromium in headless mode.  Every page must run its script through (the
# body's data-ready="1" in the dumped DOM) with no console message at all,
# hold the rows, findings and summary numbers netfs-replay reports as text
# and JSON, load nothing from outside, and not run markup from the capture.
# Screenshots go to build/artifacts/.

load helper

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ART=$BATS_TEST_DIRNAME/../../build/artifacts

setup() {
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	W=$(mktemp -d)
	mkdir -p "$ART"
}

teardown() {
	local pg
	# a browser left behind by a failed test: its whole process group
	for pg in "$W"/*.pgid; do
		[ -e "$pg" ] && kill -KILL -- "-$(cat "$pg")" 2>/dev/null || true
	done
	rm -rf "$W"
}

# The tests that load a page in the browser; the others run without one.
need_chromium() {
	[ -x "$CHROMIUM" ] || skip "no chromium at $CHROMIUM (Debian: apt-get install chromium)"
}

# chrome NAME ARGS... -- headless chromium on a fresh profile, in a process
# group of its own that is killed when it returns; stdout in $W/NAME.out,
# stderr (with the console) in $W/NAME.log.
chrome() {
	local name=$1 pid rc=0
	shift
	local prof
	prof=$(mktemp -d "$W/profile.XXXXXX")
	setsid timeout --kill-after=5 60 "$CHROMIUM" --headless --no-sandbox \
		--disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$prof" \
		--enable-logging=stderr --v=0 "$@" \
		> "$W/$name.out" 2> "$W/$name.log" &
	pid=$!
	echo "$pid" > "$W/$name.pgid"
	wait "$pid" || rc=$?
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$W/$name.pgid"
	rm -rf "$prof"
	return $rc
}

# dom HTML -- dump the DOM after the page's script ran; $W/dom.json is
# tests/bats/html-dom.py's account of it.  Fails on any console message.
dom() {
	chrome dom --dump-dom "file://$1"
	if grep -E 'CONSOLE|Uncaught|Content.Security.Policy' "$W/dom.log"; then
		echo "console messages loading $1" >&2
		return 1
	fi
	python3 "$BATS_TEST_DIRNAME/html-dom.py" "$W/dom.out" > "$W/dom.json"
}

d() {
	json_get "$1" < "$W/dom.json"
}

# Nothing in the file points outside it: no URL, every href an in-page
# anchor, no src= at all.
self_contained() {
	! grep -Eio '(https?|ftp|file)://|javascript:|data:[a-z]+/' "$1"
	! grep -Eio '\bsrc=' "$1"
	! grep -Eo 'href="[^#][^"]*"' "$1"
	! grep -Eio '@import|url\(' "$1"
}

# check_report CAPTURE HTML -- the page against netfs-replay's own text
# and JSON of the same capture.
check_report() {
	local cap=$1 html=$2
	"$REPLAY" --fail-on none "$cap" > "$W/text" 2> /dev/null
	"$REPLAY" --json --fail-on none "$cap" > "$W/json" 2> /dev/null
	self_contained "$html"
	dom "$html"
	[ "$(d 'd["ready"]')" = 1 ]
	# the summary: the same values as the text summary's lines
	[ "$(d 'd["summary"]["requests"]')" = "$(summary_line "$W/text" requests)" ]
	[ "$(d 'd["summary"]["subrequests"]')" = "$(summary_line "$W/text" subrequests)" ]
	[ "$(d 'd["summary"]["events"]')" = "$(summary_line "$W/text" events)" ]
	[ "$(d 'd["summary"]["bytes read"]')" = "$(summary_line "$W/text" 'bytes read')" ]
	# bytes by source over time: the buckets (merged pairwise as the
	# capture went on) still add up to the summary's totals
	[ "$(d 'd["bytes"]["read"]')" = "$(json_get 'd["summary"]["bytes_read"]' < "$W/json")" ]
	[ "$(d 'd["bytes"]["written"]')" = "$(json_get 'd["summary"]["bytes_written"]' < "$W/json")" ]
	[ "$(d 'd["bytes"]["cache_read"]')" = "$(json_get 'd["summary"]["bytes_cache_read"]' < "$W/json")" ]
	[ "$(d 'd["bytes"]["cache_written"]')" = "$(json_get 'd["summary"]["bytes_cache_written"]' < "$W/json")" ]
	# one bar per request (captures below the row limit)
	local requests
	requests=$(json_get 'd["summary"]["requests"]' < "$W/json")
	[ "$requests" -gt 0 ]
	[ "$(d 'len(d["rows"])')" = "$requests" ]
	# the findings: those of --json, kind and object, in the text's order
	[ "$(d 'sorted(d["findings"])')" = "$(json_get 'sorted([f["kind"], f["object"]] for f in d["findings"])' < "$W/json")" ]
	# every request a finding names is outlined and has a drill-down
	local id
	for id in $(json_get '" ".join(sorted(set(f["object"][2:10] for f in d["findings"] if f["object"].startswith("R="))))' < "$W/json"); do
		d "'$id' in d['bad_rows']" | grep -qx True
		d "'R$id' in d['details']" | grep -qx True
	done
}

corpus_capture() {	# KERNEL-PREFIX WORKLOAD
	local f
	f=$(ls "$CORPUS"/$1*/"$2".dat 2> /dev/null | head -1)
	[ -n "$f" ] || skip "no $1 $2.dat in $CORPUS"
	echo "$f"
}

@test "html: 6.1 corpus capture (seqread) loads clean, rows and summary match" {
	need_chromium
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	cap=$(corpus_capture 6.1 seqread)
	run "$REPLAY" --html "$W/r.html" --fail-on none "$cap"
	[ "$status" -eq 0 ]
	check_report "$cap" "$W/r.html"
	chrome shot --screenshot="$ART/html-6.1-seqread.png" --window-size=1400,900 "file://$W/r.html"
	[ -s "$ART/html-6.1-seqread.png" ]
}

@test "html: 6.12 corpus capture with a finding (fc_read: bad-context)" {
	need_chromium
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	cap=$(corpus_capture 6.12 fc_read)
	"$REPLAY" --html "$W/r.html" --fail-on none "$cap"
	check_report "$cap" "$W/r.html"
	[ "$(d 'len(d["findings"])')" -ge 1 ]
	# the evidence lines with their text, as the capture has them
	grep -q 'line 15722 (95.218746): .*netfs_progress: R=00000daa\[01\]' "$W/r.html"
	chrome shot --screenshot="$ART/html-6.12-fc_read.png" --window-size=1400,900 "file://$W/r.html"
	[ -s "$ART/html-6.12-fc_read.png" ]
}

@test "html: 7.2 corpus capture with failures (smb_fault_killloop)" {
	need_chromium
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	cap=$(corpus_capture 7.2 smb_fault_killloop)
	"$REPLAY" --html "$W/r.html" --fail-on none "$cap"
	check_report "$cap" "$W/r.html"
	[ "$(d 'len([f for f in d["findings"] if f[0] == "failure"])')" -ge 1 ]
	chrome shot --screenshot="$ART/html-7.2-smb_fault_killloop.png" --window-size=1400,900 "file://$W/r.html"
	[ -s "$ART/html-7.2-smb_fault_killloop.png" ]
}

@test "html: pasted fixture without timestamps (allqueued-6.14 ref leak): findings, evidence text, drill-down" {
	need_chromium
	cap=$FIX/pasted/allqueued-6.14.txt
	run "$REPLAY" --html "$W/r.html" "$cap"
	[ "$status" -eq 1 ]		# ref-leak fails by default; the file is still written
	check_report "$cap" "$W/r.html"
	[ "$(d 'sorted(d["findings"])')" = '[["ref-leak", "R=00002152"], ["ref-leak", "R=00002152[2]"]]' ]
	[ "$(d 'd["details"]')" = '["R00002152"]' ]
	d '"#R00002152" in d["hrefs"] and "#F1" in d["hrefs"]' | grep -qx True
	# the bar's finding mark links to the finding's row
	grep -q '<a href="#F1"><rect class="fmark"' "$W/r.html"
	# evidence: line numbers and the lines' text, no timestamps (none in the paste)
	grep -q 'line 13: .*netfs_rreq_ref: R=00002152 GET SUBREQ  r=4$' "$W/r.html"
	# the drill-down: subrequests, byte map, ref count step plot
	grep -q 'class="subreqs"' "$W/r.html"
	grep -q 'class="bytemap"' "$W/r.html"
	grep -q 'class="refs"' "$W/r.html"
	grep -q 'The capture has no timestamps: no latency' "$W/r.html"
	chrome shot --screenshot="$ART/html-allqueued-6.14.png" --window-size=1400,900 "file://$W/r.html"
	[ -s "$ART/html-allqueued-6.14.png" ]
}

@test "html: markup in the capture is shown as text and never runs" {
	need_chromium
	cap=$FIX/html/markup-comm.txt
	"$REPLAY" --html "$W/r.html" --fail-on none "$cap"
	# the control: chromium runs this payload when it is not escaped
	printf '<!DOCTYPE html><html><body>%s</body></html>\n' \
		"$(sed -n 's/-77 .*//p' "$cap" | head -1)" > "$W/raw.html"
	chrome ctl --dump-dom "file://$W/raw.html"
	grep -q 'data-pwned' "$W/ctl.out"
	# the report: the text is there, escaped; no element, no attribute from it
	! grep -q '<img/src' "$W/r.html"
	! grep -q '</script><img' "$W/r.html"
	grep -q '&lt;/script&gt;&lt;img/src/onerror=' "$W/r.html"
	dom "$W/r.html"
	[ "$(d 'd["ready"]')" = 1 ]
	d '"</script><img/src/onerror=" in d["text"]' | grep -qx True
	[ "$(d '"img" in d["tags"] or "data-pwned" in d["attrs"] or "onerror" in d["attrs"] or "onload" in d["attrs"]')" = False ]
	! grep -q 'data-pwned=' "$W/dom.out"
}

# cdp HTML -- tests/bats/html-cdp.py drives the page over the DevTools
# protocol: zoom buttons, wheel, drag, hover, click; no exception meanwhile.
cdp() {
	local prof pid rc=0
	prof=$(mktemp -d "$W/profile.XXXXXX")
	setsid timeout --kill-after=5 60 python3 "$BATS_TEST_DIRNAME/html-cdp.py" \
		"$CHROMIUM" "$prof" "$1" > "$W/cdp.out" 2>&1 &
	pid=$!
	echo "$pid" > "$W/cdp.pgid"
	wait "$pid" || rc=$?
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$W/cdp.pgid"
	rm -rf "$prof"
	cat "$W/cdp.out"
	return $rc
}

@test "html: zoom, pan, hover and click work in the browser (DevTools protocol)" {
	need_chromium
	"$REPLAY" --html "$W/p.html" "$FIX/pasted/allqueued-6.14.txt" > /dev/null || true
	run cdp "$W/p.html"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok   hover shows the request"* ]]
	[[ "$output" == *"ok   click on a bar goes to its drill-down"* ]]
	[[ "$output" != *PROBLEM* ]]
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	cap=$(corpus_capture 6.12 fc_read)
	"$REPLAY" --html "$W/r.html" --fail-on none "$cap" > /dev/null
	run cdp "$W/r.html"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok   drag pans"* ]]
	[[ "$output" == *"ok   wheel zooms in"* ]]
	# and it fails on a page whose script breaks on hover
	sed 's/var q=D.rows\[+i\];/var q=D.rows[+i];q.x.y;/' "$W/r.html" > "$W/broken.html"
	! grep -q 'var q=D.rows\[+i\];tip' "$W/broken.html"
	run cdp "$W/broken.html"
	[ "$status" -ne 0 ]
	[[ "$output" == *"PROBLEM"* ]]
}

@test "html: a console error is caught (the check can fail)" {
	need_chromium
	printf '<!DOCTYPE html><html><body><script>null.x();</script></body></html>\n' > "$W/bad.html"
	run dom "$W/bad.html"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Uncaught TypeError"* ]]
}

@test "html: every corpus trace.dat: a page, self-contained, a bar per request, byte sums and findings as --json says" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	local f n=0
	for f in "$CORPUS"/*/*.dat; do
		"$REPLAY" --fail-on none --html "$W/c.html" "$f" > /dev/null 2>&1
		"$REPLAY" --fail-on none --json "$f" > "$W/c.json" 2> /dev/null
		self_contained "$W/c.html"
		# the file as written (no browser): what the DOM starts from
		python3 "$BATS_TEST_DIRNAME/html-dom.py" "$W/c.html" > "$W/dom.json"
		python3 - "$W/dom.json" "$W/c.json" "$f" <<'PY'
import json, sys
p, j = (json.load(open(a)) for a in sys.argv[1:3])
s = j["summary"]
want = {"rows": s["requests"], "read": s["bytes_read"],
        "written": s["bytes_written"],
        "findings": sorted([f["kind"], f["object"]] for f in j["findings"])}
got = {"rows": len(p["rows"]), "read": p["bytes"]["read"],
       "written": p["bytes"]["written"], "findings": sorted(p["findings"])}
if got != want:
    sys.exit("%s: page %s, --json %s" % (sys.argv[3], got, want))
PY
		! grep -q '(text not kept)' "$W/c.html" || { echo "evidence text lost: $f"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt 20 ]
}

@test "html: past the row limit, healthy requests become density bands" {
	need_chromium
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	cap=$(corpus_capture 6.12 fc_read)
	NETFS_REPLAY_HTML_ROWS=10 "$REPLAY" --html "$W/r.html" --fail-on none "$cap"
	dom "$W/r.html"
	[ "$(d 'd["ready"]')" = 1 ]
	# drawn one by one: exactly the requests kept in detail
	[ "$(d 'len(d["rows"])')" = "$(d 'len(d["details"])')" ]
	[ "$(d 'len(d["rows"])')" -lt 137 ]
	[ "$(d 'sorted(set(d["bands"]))')" = '["RA", "WB"]' ]
	grep -Eq '[0-9,]+ healthy requests shown as density' "$W/r.html"
	# the finding's request is still drawn and drilled into
	d "'00000daa' in d['bad_rows'] and 'R00000daa' in d['details']" | grep -qx True
	self_contained "$W/r.html"
}

@test "html: -R draws that request only" {
	need_chromium
	"$REPLAY" -R 2152 --html "$W/r.html" "$FIX/pasted/allqueued-6.14.txt" > /dev/null || true
	dom "$W/r.html"
	[ "$(d 'd["rows"]')" = '["00002152"]' ]
	[ "$(d 'd["details"]')" = '["R00002152"]' ]
	# all its lines, numbered as -R's text view numbers them
	grep -q '^<details open><summary>lines (26)</summary><pre>3: .*netfs_rreq_ref: R=00002152 NEW         r=1$' "$W/r.html"
	run "$REPLAY" -R 1 --html "$W/none.html" "$FIX/pasted/allqueued-6.14.txt"
	[ "$status" -eq 2 ]
}

@test "html: --html goes with one capture and not with --model" {
	run "$REPLAY" --html "$W/x.html" "$FIX/pasted/allqueued-6.14.txt" "$FIX/pasted/allqueued-6.14.txt"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--html goes with one capture"* ]]
	run "$REPLAY" --model --html "$W/x.html" "$FIX/pasted/allqueued-6.14.txt"
	[ "$status" -eq 2 ]
	run "$REPLAY" --html /nonexistent/dir/x.html "$FIX/pasted/allqueued-6.14.txt"
	[ "$status" -eq 2 ]
}
