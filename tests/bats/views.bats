#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay -R on every kind of object: a request (R=ID or a bare ID,
# with the netfs_folio lines of its inode and range), a subrequest
# (R=ID[n]), an fscache cookie (c=), volume (V=) and cache (C=), a
# cachefiles object (o=); text, --brief and --json.  Real captures from
# tests/fixtures and ../shared/corpus, and one pasted excerpt.

load helper
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	FC612=$FIX/6.12/fc_read.txt.xz
	FC616=$FIX/6.16/fc_write.txt.xz
	F72_FAIL=$FIX/7.2/retry1_smb_fault_killloop.txt.xz
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
}

# A cookie withdrawn with an io access still open, in the bare "event:"
# form of a mail (constructed from the 6.12 fc_read lines above).
pasted() {
	cat > "$T/open.txt" <<'EOF'
fscache_cache: C=00000001 GET acq r=2
fscache_access_cache: C=00000001 BEGIN acq_vol r=2 a=2
fscache_volume: V=00000001 GET cook  u=2
fscache_cookie: c=0000002a NEW acq   r=1
fscache_acquire: c=0000002a V=00000001 vr=2 vc=1
fscache_access: c=0000002a BEGIN lookup  r=1 a=2
cachefiles_ref: c=0000002a o=00000007 u=1 NEW obj
fscache_access: c=0000002a END   lookup  r=1 a=1
fscache_access: c=0000002a BEGIN io_read r=1 a=2
netfs_read: R=000003f1 READAHEAD c=0000002a ni=5223af s=0 l=20000 sz=800000
fscache_access: c=0000002a END   unlive  r=1 a=1
cachefiles_ref: c=0000002a o=00000007 u=1 PUT detach
fscache_cookie: c=0000002a PUT relnq r=0
EOF
}

# ---- requests ----

@test "-R request: the netfs_folio lines of its inode and range, in the view and --brief" {
	run --separate-stderr "$REPLAY" -R R=00000d69 "$FC612"
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "request: R=00000d69" ]
	grep -qx 'range: 0x0-0x20000 (len 0x20000)' "$T/out"
	grep -qx 'state: freed' "$T/out"
	grep -qx 'lines (142):' "$T/out"
	# 0x20000 bytes = pages 0-1f: read, read-done, read-unlock of each
	[ "$(grep -c 'netfs_folio: i=5223af ix=000[01][0-9a-f]-' "$T/out")" -eq 96 ]
	[ "$(grep -c 'netfs_folio:' "$T/out")" -eq 96 ]
	grep -q '^      29: .*netfs_folio: i=5223af ix=00000-00000 read$' "$T/out"
	# not the next request's pages (R=00000d6a reads 0x20000-0x40000)
	! grep -q 'ix=00020-' "$T/out"
	run --separate-stderr "$REPLAY" -R d69 --brief "$FC612"
	[ "${#lines[@]}" -eq 142 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c 'netfs_folio: i=5223af')" -eq 96 ]
	[ "${lines[1]}" = "dd-810 [000] ..... 92.972201: netfs_read: R=00000d69 READAHEAD c=00000003 ni=5223af s=0 l=20000 sz=800000" ]
	[ "${lines[2]}" = "dd-810 [000] ..... 92.972246: netfs_folio: i=5223af ix=00000-00000 read" ]
}

@test "-R request: a bare id and R=ID give the same view" {
	# the capture's known finding (bad-context) sets the status: 1
	"$REPLAY" -R d69 "$FC612" > "$T/a" || [ $? -eq 1 ]
	"$REPLAY" -R R=00000d69 "$FC612" > "$T/b" || [ $? -eq 1 ]
	cmp "$T/a" "$T/b"
}

@test "-R request: a whole-file writeback takes every folio line of its inode while alive" {
	run --separate-stderr "$REPLAY" -R 106a --brief "$FC616"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c 'netfs_folio: i=a86501 ')" -eq 1024 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep 'netfs_folio:' | grep -vc 'i=a86501 ')" -eq 0 ]
}

@test "-R request --json: states, cycles, ref histories and lines" {
	"$REPLAY" -R ff --json "$F72_FAIL" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["object"], d["kind"], d["state"], len(d["refs"]), d["refs"][0]["what"], d["refs"][0]["op"], d["refs"][0]["printed"], d["refs"][0]["expected"], d["refs"][0]["line"], d["refs"][0]["ts"])' < "$T/j")" = \
		"('R=000000ff', 'request', 'freed', $(json_get 'len(d["refs"])' < "$T/j"), 'NEW', 'new', 2, 2, 492, '18.338339')" ]
	[ "$(json_get '[(e["line"], e["what"], e["op"], e["printed"], e["expected"]) for e in d["subrequests"][0]["refs"]]' < "$T/j")" = \
		'[[505, "PUT TERM", "put", 1, null], [515, "GET RESUBMT", "get", 2, 2], [521, "PUT TERM", "put", 1, 1], [527, "PUT ABANDON", "put", 0, 0]]' ]
	[ "$(json_get '(d["subrequests"][0]["state"], d["subrequests"][0]["issued"], [(c["issue_line"], c["term_line"]) for c in d["subrequests"][0]["cycles"]])' < "$T/j")" = \
		"('freed', 2, [(496, 503), (514, 519)])" ]
	[ "$(json_get '(len(d["lines"]), d["lines"][0]["line"], d["lines_not_kept"])' < "$T/j")" = "(49, 492, 0)" ]
	# the state words of the text are the JSON's
	"$REPLAY" -R ff "$F72_FAIL" > "$T/t" || true
	grep -qx "state: $(json_get 'd["state"]' < "$T/j")" "$T/t"
	grep -Eq " $(json_get 'd["subrequests"][0]["state"]' < "$T/j")\$" "$T/t"
}

# ---- subrequests ----

@test "-R R=ID[n]: a subrequest's states, cycles, refs and only its lines" {
	run --separate-stderr "$REPLAY" -R 'R=ff[1]' "$F72_FAIL"
	[ "$status" -eq 1 ]
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "subrequest: R=000000ff[1]" ]
	grep -qx 'request: R=000000ff DR DIO-READ, freed' "$T/out"
	grep -qx 'source: DOWN' "$T/out"
	grep -qx 'state: freed' "$T/out"
	grep -Eqx '  seen +line 495 +18\.338371' "$T/out"
	grep -Eqx '  terminated +line 519 +18\.366865' "$T/out"
	grep -Eqx '  collected +line 526 +18\.366976' "$T/out"
	grep -Eqx '  freed +line 528 +18\.366988' "$T/out"
	grep -qx '  #1  0.037 -> 4.721  lines 496-503' "$T/out"
	grep -qx '  #2  8.118 -> 28.526  lines 514-519' "$T/out"
	grep -Eq '^    line 527 +18\.366986 PUT ABANDON +r=0$' "$T/out"
	grep -qx 'lines (17):' "$T/out"
	# its own lines only: R=000000ff[1] or the collector's [0:01]
	[ "$(grep -Ec '^ +[0-9]+: ' "$T/out")" -eq 17 ]
	[ "$(grep -E '^ +[0-9]+: ' "$T/out" | grep -Evc 'R=000000ff\[(1|0:01)\]')" -eq 0 ]
	run --separate-stderr "$REPLAY" -R 'ff[1]' --brief "$F72_FAIL"
	[ "${#lines[@]}" -eq 17 ]
}

@test "-R R=ID[n] --json: one subrequest object" {
	"$REPLAY" -R 'R=ff[1]' --json "$F72_FAIL" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["object"], d["kind"], d["request"], d["index"], d["source"], d["state"], d["error"], d["issued"])' < "$T/j")" = \
		"('R=000000ff[1]', 'subrequest', '000000ff', 1, 'DOWN', 'freed', -11, 2)" ]
	[ "$(json_get '[(s["state"], s["line"]) for s in d["states"]]' < "$T/j")" = \
		'[["seen", 495], ["in-flight", 496], ["terminated", 519], ["collected", 526], ["freed", 528]]' ]
	[ "$(json_get '(len(d["refs"]), len(d["lines"]))' < "$T/j")" = "(4, 17)" ]
}

# ---- fscache and cachefiles objects ----

@test "-R c=ID: volume, cache object, requests, accesses, refs and lines of a cookie" {
	run --separate-stderr "$REPLAY" -R c=00000003 "$FC612"
	[ "$status" -eq 1 ]	# the capture's bad-context finding
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "cookie: c=00000003" ]
	grep -qx 'volume: V=00000001' "$T/out"
	grep -qx 'state: freed' "$T/out"
	grep -qx 'requests that used it (65):' "$T/out"
	grep -Eqx '  R=00000d69  line 28 +READAHEAD' "$T/out"
	grep -qx 'cache objects (1):' "$T/out"
	grep -qx '  o=00000001  line 23' "$T/out"
	grep -qx 'accesses (66, 0 open; an END closes the oldest open BEGIN of its kind):' "$T/out"
	grep -Eqx '  BEGIN lookup +line 18 +a=1 +-> END lookup +line 175 +a=1' "$T/out"
	grep -Eqx '  BEGIN io_read +line 25 +a=2 +-> END io +line 179 +a=0' "$T/out"
	grep -Eq '^    line 13 +92\.967496 NEW acq +r=1$' "$T/out"
	grep -Eq '^    line 15660 +95\.210820 PUT hcoll +r=0$' "$T/out"
	grep -qx 'lines (261):' "$T/out"
	# its lines: c=00000003, or its object's o=00000001
	[ "$(grep -E '^ +[0-9]+: ' "$T/out" | grep -Evc 'c=00000003|o=00000001')" -eq 0 ]
	run --separate-stderr "$REPLAY" -R c=3 --brief "$FC612"
	[ "${#lines[@]}" -eq 261 ]
}

@test "-R c=ID --json: the cookie object" {
	"$REPLAY" -R c=3 --json "$FC612" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["object"], d["kind"], d["id"], d["state"], d["volume"], d["first_line"], d["last_line"], d["open_accesses"])' < "$T/j")" = \
		"('c=00000003', 'cookie', '00000003', 'freed', '00000001', 13, 15660, 0)" ]
	[ "$(json_get 'd["objects"]' < "$T/j")" = '[{"line": 23, "object": "00000001"}]' ]
	[ "$(json_get '(len(d["requests"]), d["requests"][0])' < "$T/j")" = \
		"(65, {'request': '00000d69', 'line': 28, 'operation': 'READAHEAD'})" ]
	[ "$(json_get '(len(d["accesses"]), d["accesses"][0]["begin"], d["accesses"][0]["begin_line"], d["accesses"][0]["end"], d["accesses"][0]["end_line"], d["accesses"][0]["open"])' < "$T/j")" = \
		"(66, 'BEGIN lookup', 18, 'END lookup', 175, False)" ]
	[ "$(json_get '(len(d["refs"]), d["refs"][0], d["refs"][-1]["what"], d["refs"][-1]["printed"])' < "$T/j")" = \
		"(16, {'line': 13, 'ts': '92.967496', 'what': 'NEW acq', 'op': 'new', 'printed': 1, 'expected': 1}, 'PUT hcoll', 0)" ]
	[ "$(json_get '(len(d["lines"]), d["lines_not_kept"], d["not_kept"], d["refs_not_kept"])' < "$T/j")" = "(261, 0, 0, 0)" ]
}

@test "-R V=ID: a volume's cookies, accesses, refs and lines" {
	run --separate-stderr "$REPLAY" -R V=1 "$FC612"
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "volume: V=00000001" ]
	grep -qx 'cookies (3):' "$T/out"
	grep -qx '  c=00000004  line 15662' "$T/out"
	grep -qx 'accesses (3, 0 open; an END closes the oldest open BEGIN of its kind):' "$T/out"
	grep -Eq '^    line 15661 +95\.211025 PUT cook +r=2$' "$T/out"
	grep -qx 'lines (14):' "$T/out"
	"$REPLAY" -R V=00000001 --json "$FC612" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["kind"], d["state"], [c["cookie"] for c in d["cookies"]], len(d["accesses"]), len(d["refs"]), len(d["lines"]))' < "$T/j")" = \
		"('volume', 'live', ['00000003', '00000004', '00000005'], 3, 4, 14)" ]
}

@test "-R o=ID: a cachefiles object's cookie, backing inode, I/O, refs and lines" {
	run --separate-stderr "$REPLAY" -R o=1 "$FC612"
	echo "$output" > "$T/out"
	[ "$(sed -n 1p "$T/out")" = "object: o=00000001" ]
	grep -qx 'cookie: c=00000003' "$T/out"
	grep -qx 'backing inode: B=235' "$T/out"
	grep -qx 'reads: 0 (0x0 bytes), writes: 8 (0x800000 bytes), truncations: 1' "$T/out"
	grep -Eqx '  line 172 +EXPTMP +0x0 -> 0x800000' "$T/out"
	grep -qx 'state: freed' "$T/out"
	grep -Eq '^    line 15656 +95\.210322 PUT detach +r=0$' "$T/out"
	grep -qx 'lines (37):' "$T/out"
	[ "$(grep -E '^ +[0-9]+: ' "$T/out" | grep -vc 'o=00000001')" -eq 0 ]
	"$REPLAY" -R o=1 --json "$FC612" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["kind"], d["cookie"], d["backer"], d["writes"], d["reads"]["count"], d["truncations"][0]["why"], d["truncations"][0]["to"], len(d["refs"]), d["refs"][-1]["op"])' < "$T/j")" = \
		"('object', '00000003', '235', {'count': 8, 'bytes': 8388608}, 0, 'EXPTMP', 8388608, 22, 'put')" ]
}

@test "-R on a pasted excerpt: an open access is marked, END unlive closes the live access, C=ID" {
	pasted
	run --separate-stderr "$REPLAY" -R c=2a "$T/open.txt"
	echo "$output" > "$T/out"
	grep -qx 'accesses (3, 1 open; an END closes the oldest open BEGIN of its kind):' "$T/out"
	grep -Eqx '  BEGIN io_read +line 9 +a=2 +-> OPEN \(no END in the capture\)' "$T/out"
	grep -Eqx '  \(live\) +-> END unlive +line 11 +a=1' "$T/out"
	grep -qx 'life: lines 4-13 (no timestamps)' "$T/out"
	grep -Eqx '  R=000003f1  line 10 +READAHEAD' "$T/out"
	# the excerpt detaches the object under an open access: a finding (exit 1)
	"$REPLAY" -R c=2a --json "$T/open.txt" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get '(d["open_accesses"], [(a["begin"], a["end"], a["open"]) for a in d["accesses"]])' < "$T/j")" = \
		"(1, [('BEGIN lookup', 'END lookup', False), ('BEGIN io_read', None, True), (None, 'END unlive', False)])" ]
	run --separate-stderr "$REPLAY" -R C=1 --fail-on none "$T/open.txt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "cache: C=00000001" ]
	[[ "$output" == *"GET acq      r=2"* ]]
	[[ "$output" == *"2: fscache_access_cache: C=00000001 BEGIN acq_vol r=2 a=2"* ]]
	run --separate-stderr "$REPLAY" -R o=7 --json "$T/open.txt"
	[ "$(echo "$output" | json_get '(d["cookie"], d["backer"], d["state"])')" = "('0000002a', None, 'freed')" ]
}

@test "-R on the corpus: every cookie of the cifs fscache capture has a view, JSON parses" {
	F=$(ls "$CORPUS"/6.12*/smb_fsc.txt.xz 2>/dev/null | head -1)
	[ -n "$F" ] || skip "no corpus at $CORPUS"
	for c in 9 a b c d; do
		"$REPLAY" -R c=$c --json "$F" > "$T/j" || [ $? -eq 1 ]
		[ "$(json_get '(d["kind"], d["volume"], d["open_accesses"])' < "$T/j")" = "('cookie', '00000002', 0)" ]
	done
	"$REPLAY" -R c=9 --json "$F" > "$T/j" || [ $? -eq 1 ]
	[ "$(json_get 'len(d["requests"])' < "$T/j")" -eq 10 ]
	# 6.1, 6.12, 7.2: the busiest cookie of each read through the cache
	for f in "$CORPUS"/*/fc_read.txt.xz; do
		c=$(xzcat "$f" | grep -o 'fscache_access: c=[0-9a-f]*' | sort | uniq -c | sort -rn | awk 'NR == 1 { print $3 }')
		"$REPLAY" -R "$c" --json "$f" > "$T/j" || [ $? -eq 1 ]
		[ "$(json_get '(d["kind"], d["open_accesses"], len(d["requests"]) >= 60, len(d["objects"]))' < "$T/j")" = "('cookie', 0, True, 1)" ]
		[ "$(json_get 'sorted(set(tuple(sorted(e)) for e in d["refs"]))' < "$T/j")" = \
			'[["expected", "line", "op", "printed", "ts", "what"]]' ]
	done
}

# ---- ids ----

@test "-R: an object not in the capture, or a bad id: exit 2, say which" {
	run --separate-stderr "$REPLAY" -R c=2a "$FC612"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"fc_read.txt.xz: no cookie c=0000002a in this capture"* ]]
	run --separate-stderr "$REPLAY" -R 'R=ff[7]' "$F72_FAIL"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no subrequest R=000000ff[7] in this capture"* ]]
	run --separate-stderr "$REPLAY" -R C=1 "$FC612"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no cache C=00000001 in this capture"* ]]
	run --separate-stderr "$REPLAY" -R V=9 --json "$FC612"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no volume V=00000009 in this capture"* ]]
	run --separate-stderr "$REPLAY" -R o=0 "$FC612"
	[ "$status" -eq 2 ]
	# more than 8 digits after c= is a pre-5.17 pointer id (at most 16)
	run --separate-stderr "$REPLAY" -R c=100000000 "$FC612"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no cookie c=0000000100000000 in this capture"* ]]
	for bad in 'c=' 'R=ff[' 'R=ff[1' 'ff[]' 'c=3[1]' 'x=1' '-1' ' ff' 'V=100000000' 'c=10000000000000000'; do
		run --separate-stderr "$REPLAY" -R "$bad" "$FC612"
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"bad id '$bad' for -R"* ]]
	done
}
