#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-top as a Prometheus exporter (docs/metrics.md), against the real
# components: a Prometheus server scraping `netfs-top -i CAPTURE --listen`
# and answering queries that must equal netfs-replay's summary of the same
# capture, promtool on the exposition, and prometheus-node-exporter's
# textfile collector on --textfile's output.  Every server listens on
# 127.0.0.1 on a port found free at run time, runs under timeout(1) and is
# stopped in teardown, whatever happened.

load helper

setup() {
	NFT_BIN=$(nft_bin)
	TOP=$NFT_BIN/netfs-top
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	K72=$CORPUS/7.2.13+deb14-amd64
	# a cache read (cache hits and cache writes) and a cifs connection
	# killed under DIO reads (retries, failures, a finding); without the
	# corpus, the repository's own 6.12 capture
	if [ -f "$K72/fc_read.dat" ] && [ -f "$K72/retry1_smb_fault_killloop.dat" ]; then
		CAP1=$K72/fc_read.dat
		CAP2=$K72/retry1_smb_fault_killloop.dat
	else
		CAP1=$FIX/top/smallreads-6.12.txt.xz
		CAP2=$FIX/top/smb_dio-6.12.txt.xz
	fi
	PIDS=$BATS_TEST_TMPDIR/pids
	: > "$PIDS"
}

teardown() {
	local pid

	[ -S "$BATS_TEST_TMPDIR/tmux.sock" ] &&
		tmux -S "$BATS_TEST_TMPDIR/tmux.sock" kill-server 2> /dev/null
	[ -f "$PIDS" ] || return 0
	while read -r pid; do
		kill -TERM "$pid" 2> /dev/null || true
	done < "$PIDS"
	while read -r pid; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2> /dev/null || break
			sleep 0.1
		done
		# what ignored TERM: the command under timeout(1), then timeout
		pkill -KILL -P "$pid" 2> /dev/null || true
		kill -KILL "$pid" 2> /dev/null || true
	done < "$PIDS"
}

need() {
	command -v "$1" > /dev/null || skip "$1 not installed"
}

# A TCP port nothing listens on now (127.0.0.1).
free_port() {
	python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# start NAME CMD...: run CMD in the background under timeout(1), stderr to
# $BATS_TEST_TMPDIR/NAME.err, its pid in $PIDS and in $LAST_PID.
start() {
	local name=$1

	shift
	timeout -k 5 300 "$@" > "$BATS_TEST_TMPDIR/$name.out" \
		2> "$BATS_TEST_TMPDIR/$name.err" < /dev/null &
	LAST_PID=$!
	echo "$LAST_PID" >> "$PIDS"
}

# start_top NAME ARGS...: netfs-top --listen 127.0.0.1:0 ARGS; sets $PORT.
start_top() {
	local name=$1 i

	shift
	start "$name" "$TOP" --listen 127.0.0.1:0 "$@"
	PORT=
	for i in $(seq 100); do
		# the background shell may not have opened NAME.err yet
		PORT=$(sed -n 's|.*serving metrics on http://127\.0\.0\.1:\([0-9]*\)/metrics|\1|p' \
			"$BATS_TEST_TMPDIR/$name.err" 2> /dev/null || true)
		[ -n "$PORT" ] && return 0
		kill -0 "$LAST_PID" 2> /dev/null || break
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/$name.err" >&2
	return 1
}

# wait_http URL: until it answers (bounded: 60 s).
wait_http() {
	local i

	for i in $(seq 600); do
		curl -sf -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "no answer from $1" >&2
	return 1
}

@test "--listen: / links to /metrics, 404 elsewhere, HEAD, Content-Length" {
	need curl
	start_top top -i "$CAP1" --speed 0
	run curl -s -i "http://127.0.0.1:$PORT/"
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" == *'href="metrics"'* ]]
	run curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/nope"
	[ "$output" = 404 ]
	run curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/metrics"
	[ "$output" = 405 ]
	run curl -s -I "http://127.0.0.1:$PORT/metrics"
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	len=$(printf '%s\n' "$output" | tr -d '\r' | sed -n 's/^Content-Length: //p')
	body=$(curl -s "http://127.0.0.1:$PORT/metrics" | wc -c)
	[ "$len" -gt 1000 ]
	[ "$len" -eq "$body" ]
	[[ "$output" == *"Connection: close"* ]]
}

@test "--listen: OpenMetrics or Prometheus text as the Accept header asks" {
	need curl
	start_top top -i "$CAP1" --speed 0
	url=http://127.0.0.1:$PORT/metrics
	run curl -s -D "$BATS_TEST_TMPDIR/h" -H 'Accept: application/openmetrics-text; version=1.0.0; charset=utf-8' "$url"
	[ "$status" -eq 0 ]
	grep -qi '^Content-Type: application/openmetrics-text; version=1.0.0' "$BATS_TEST_TMPDIR/h"
	[ "${lines[-1]}" = "# EOF" ]
	[[ "$output" == *"# TYPE netfs_requests counter"* ]]
	[[ "$output" == *"# UNIT netfs_read_bytes bytes"* ]]
	[[ "$output" == *"# TYPE netfs_exporter_build info"* ]]
	run curl -s -D "$BATS_TEST_TMPDIR/h" "$url"
	grep -qi '^Content-Type: text/plain; version=0.0.4' "$BATS_TEST_TMPDIR/h"
	[[ "$output" != *"# EOF"* ]]
	[[ "$output" != *"# UNIT"* ]]
	[[ "$output" == *"# TYPE netfs_requests_total counter"* ]]
	run curl -s -D "$BATS_TEST_TMPDIR/h" -H 'Accept: text/plain;version=0.0.4' "$url"
	grep -qi '^Content-Type: text/plain; version=0.0.4' "$BATS_TEST_TMPDIR/h"
}

@test "promtool check metrics: the exposition is clean" {
	need promtool
	need curl
	start_top top -i "$CAP2" --speed 0
	curl -s "http://127.0.0.1:$PORT/metrics" > "$BATS_TEST_TMPDIR/m.prom"
	grep -q '^netfs_requests_total{origin="dio_read"} ' "$BATS_TEST_TMPDIR/m.prom"
	run promtool check metrics < "$BATS_TEST_TMPDIR/m.prom"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# and no label that names an object
	! grep -E '(ino|inode|request|cookie|path|rreq)="' "$BATS_TEST_TMPDIR/m.prom"
}

@test "--listen PORT and :PORT bind loopback; a bad address is refused" {
	need curl
	port=$(free_port)
	start top1 "$TOP" -i "$CAP1" --speed 0 --listen "$port"
	wait_http "http://127.0.0.1:$port/metrics"
	grep -q "serving metrics on http://127.0.0.1:$port/metrics" "$BATS_TEST_TMPDIR/top1.err"
	port=$(free_port)
	start top2 "$TOP" -i "$CAP1" --speed 0 --listen ":$port"
	wait_http "http://127.0.0.1:$port/metrics"
	grep -q "serving metrics on http://127.0.0.1:$port/metrics" "$BATS_TEST_TMPDIR/top2.err"
	run timeout 20 "$TOP" -i "$CAP1" --speed 0 --listen 127.0.0.1:99999
	[ "$status" -eq 2 ]
	[[ "$output" == *"--listen"* ]]
	run timeout 20 "$TOP" -i "$CAP1" --speed 0 --listen "127.0.0.1:$port"
	[ "$status" -eq 2 ]
	[[ "$output" == *"Address already in use"* ]]
}

@test "replay: the final values stay up until SIGTERM, which exits 0" {
	need curl
	start_top top -i "$CAP1" --speed 0
	for i in $(seq 100); do
		grep -q "serving its final metrics until stopped" "$BATS_TEST_TMPDIR/top.err" && break
		sleep 0.1
	done
	grep -q "serving its final metrics until stopped" "$BATS_TEST_TMPDIR/top.err"
	sleep 1.5
	curl -sf "http://127.0.0.1:$PORT/metrics" | grep -q '^netfs_requests_total'
	kill -TERM "$LAST_PID"
	st=0
	wait "$LAST_PID" || st=$?
	[ "$st" -eq 0 ]
}

# prom_query PORT QUERY: the JSON answer of Prometheus's HTTP API.
prom_query() {
	curl -s "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2"
}

@test "a real Prometheus scrapes netfs-top; its answers equal netfs-replay's summary" {
	need prometheus
	need curl
	start_top top1 -i "$CAP1" --speed 0
	P1=$PORT
	start_top top2 -i "$CAP2" --speed 0
	P2=$PORT
	PP=$(free_port)
	mkdir -p "$BATS_TEST_TMPDIR/tsdb"
	cat > "$BATS_TEST_TMPDIR/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: netfs
	    static_configs:
	      - targets: ['127.0.0.1:$P1', '127.0.0.1:$P2']
	EOF
	start prom prometheus --config.file="$BATS_TEST_TMPDIR/prometheus.yml" \
		--storage.tsdb.path="$BATS_TEST_TMPDIR/tsdb" \
		--web.listen-address="127.0.0.1:$PP"
	wait_http "http://127.0.0.1:$PP/-/ready"
	# both targets scraped (bounded: 60 s)
	n=0
	for i in $(seq 120); do
		n=$(prom_query "$PP" 'count(netfs_exporter_build_info == 1)' |
			python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
		[ "$n" = 2 ] && break
		sleep 0.5
	done
	[ "$n" = 2 ]
	[ "$(prom_query "$PP" 'sum(up{job="netfs"})' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')" = 2 ]
	prom_query "$PP" '{__name__=~"netfs_.*"}' > "$BATS_TEST_TMPDIR/q.json"
	for t in "1 $CAP1" "2 $CAP2"; do
		set -- $t
		port=$([ "$1" = 1 ] && echo "$P1" || echo "$P2")
		"$REPLAY" --json "$2" 2> /dev/null > "$BATS_TEST_TMPDIR/r$1.json" || true
		run python3 - "$BATS_TEST_TMPDIR/q.json" "$BATS_TEST_TMPDIR/r$1.json" "127.0.0.1:$port" <<-'EOF'
		import collections, json, sys
		q = json.load(open(sys.argv[1]))
		r = json.load(open(sys.argv[2]))
		inst = sys.argv[3]
		s = r["summary"]
		m = collections.defaultdict(float)
		for e in q["data"]["result"]:
		    l = e["metric"]
		    if l.get("instance") != inst:
		        continue
		    key = (l["__name__"],) + tuple(sorted((k, v) for k, v in l.items()
		                       if k not in ("__name__", "instance", "job")))
		    m[key] += float(e["value"][1])
		def tot(name, **want):
		    return sum(v for k, v in m.items() if k[0] == name and
		               all((a, b) in k[1:] for a, b in want.items()))
		ORIG = {"RA": "readahead", "RP": "readpage", "RG": "read_gaps",
		        "R1": "read_single", "RW": "read_for_write",
		        "UR": "unbuffered_read", "DR": "dio_read", "WB": "writeback",
		        "W1": "writeback_single", "WT": "writethrough",
		        "UW": "unbuffered_write", "DW": "dio_write",
		        "2C": "pgpriv2_copy_to_cache", "LW": "launder_write",
		        "unknown": "unknown"}
		SRC = {"DOWN": "download", "READ": "cache_read", "WRIT": "cache_write",
		       "UPLD": "upload", "ZERO": "zero", "INVL": "invalid",
		       "----": "unknown", "unknown": "unknown"}
		bad = []
		def check(what, got, want):
		    print(f"{what}: prometheus {got:.0f} netfs-replay {want:.0f}")
		    if got != want:
		        bad.append(what)
		assert s["requests"] > 0
		for o, n in s["requests_by_origin"].items():
		    check(f"requests {o}", tot("netfs_requests_total", origin=ORIG[o]), n)
		check("requests", tot("netfs_requests_total"), s["requests"])
		check("request durations", tot("netfs_request_duration_seconds_count"), s["requests"])
		check("bytes_read", tot("netfs_read_bytes_total"), s["bytes_read"])
		check("bytes_cache_read", tot("netfs_read_bytes_total", source="cache"), s["bytes_cache_read"])
		check("bytes_written", tot("netfs_write_bytes_total", dest="server"), s["bytes_written"])
		check("bytes_cache_written", tot("netfs_write_bytes_total", dest="cache"), s["bytes_cache_written"])
		check("subrequests", tot("netfs_subrequests_total"), s["subrequests"])
		for src, n in s["subrequests_by_source"].items():
		    check(f"subrequests {src}", tot("netfs_subrequests_total", source=SRC[src]), n)
		check("retries", tot("netfs_retries_total"), s["retries"])
		check("failures", tot("netfs_failures_total"), s["failures"])
		check("lost_events", tot("netfs_lost_events_total"), s["lost_events"])
		check("events", tot("netfs_events_total"), s["events"])
		check("in_flight_at_end", tot("netfs_requests_in_flight"), s["in_flight_at_end"])
		kinds = collections.Counter(f["kind"] for f in r["findings"])
		check("findings", tot("netfs_findings_total"), len(r["findings"]))
		for k, n in kinds.items():
		    check(f"findings {k}", tot("netfs_findings_total", kind=k), n)
		sys.exit(1 if bad else 0)
		EOF
		echo "$output"
		[ "$status" -eq 0 ]
	done
	# the second capture has what the first has not
	grep -q '"errno":"ECONNRESET"\|"errno":"ECONNABORTED"\|"errno":"EAGAIN"' "$BATS_TEST_TMPDIR/q.json" ||
		[ "$CAP2" = "$FIX/top/smb_dio-6.12.txt.xz" ]
}

@test "--textfile: a real node_exporter serves netfs.prom, no scrape error" {
	need prometheus-node-exporter
	need promtool
	need curl
	D=$BATS_TEST_TMPDIR/textfile
	mkdir -p "$D"
	run timeout 60 "$TOP" -b -i "$CAP2" --speed 0 -d 1 --fail-on none --textfile "$D"
	[ "$status" -eq 0 ]
	[ -f "$D/netfs.prom" ]
	# renamed into place: no temporary file left behind
	[ "$(ls -A "$D")" = netfs.prom ]
	# no timestamps: every sample is NAME{LABELS} VALUE
	! grep -v '^#' "$D/netfs.prom" | grep -E '\} [^ ]+ [^ ]+$|^[a-z_]+ [^ ]+ [^ ]+$'
	run promtool check metrics < "$D/netfs.prom"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	NP=$(free_port)
	start ne prometheus-node-exporter --collector.textfile.directory="$D" \
		--web.listen-address="127.0.0.1:$NP" --collector.disable-defaults \
		--collector.textfile
	wait_http "http://127.0.0.1:$NP/metrics"
	curl -s "http://127.0.0.1:$NP/metrics" > "$BATS_TEST_TMPDIR/ne.prom"
	grep -q '^node_textfile_scrape_error 0$' "$BATS_TEST_TMPDIR/ne.prom"
	grep -q '^node_textfile_mtime_seconds{file="[^"]*netfs.prom"}' "$BATS_TEST_TMPDIR/ne.prom"
	want=$("$REPLAY" --json "$CAP2" 2> /dev/null | json_get 'd["summary"]["requests"]' || true)
	got=$(awk '/^netfs_requests_total\{/ { n += $2 } END { print n }' "$BATS_TEST_TMPDIR/ne.prom")
	[ "$got" = "$want" ]
	grep -q '^netfs_read_bytes_total{source="server"} ' "$BATS_TEST_TMPDIR/ne.prom"
}

@test "--textfile: a directory that cannot be written is refused, exit 2" {
	run timeout 20 "$TOP" -b -i "$CAP1" --speed 0 --textfile "$BATS_TEST_TMPDIR/no/such/dir"
	[ "$status" -eq 2 ]
	[[ "$output" == *"netfs.prom"* ]]
}

@test "live (a fake tracefs), headless: serves and rewrites netfs.prom; SIGTERM exits 0, instance removed" {
	need curl
	T=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$T/instances" "$BATS_TEST_TMPDIR/tf"
	tar xf "$FIX/top/formats-6.12.tar" -C "$T"
	# stdin and stdout no terminal, no -b: headless
	NETFS_TOP_TRACEFS=$T "$TOP" --listen 127.0.0.1:0 -d 0.2 \
		--textfile "$BATS_TEST_TMPDIR/tf" < /dev/null \
		> "$BATS_TEST_TMPDIR/live.out" 2> "$BATS_TEST_TMPDIR/live.err" &
	pid=$!
	echo "$pid" >> "$PIDS"
	for i in $(seq 100); do
		grep -q "serving metrics on" "$BATS_TEST_TMPDIR/live.err" && break
		sleep 0.1
	done
	port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/metrics|\1|p' "$BATS_TEST_TMPDIR/live.err")
	[ -n "$port" ]
	[ -d "$T/instances/netfs-top-$pid" ]
	run curl -s "http://127.0.0.1:$port/metrics"
	[[ "$output" == *"netfs_exporter_build_info{version="* ]]
	[[ "$output" == *$'\nnetfs_requests_in_flight 0\n'* ]]
	# the file is rewritten every interval
	m1=$(stat -c %Y.%y "$BATS_TEST_TMPDIR/tf/netfs.prom")
	for i in $(seq 50); do
		m2=$(stat -c %Y.%y "$BATS_TEST_TMPDIR/tf/netfs.prom")
		[ "$m2" != "$m1" ] && break
		sleep 0.1
	done
	[ "$m2" != "$m1" ]
	# no screen drawn on stdout
	[ ! -s "$BATS_TEST_TMPDIR/live.out" ]
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ ! -e "$T/instances/netfs-top-$pid" ]
}

@test "the screen and --listen together (tmux)" {
	need tmux
	need curl
	SOCK=$BATS_TEST_TMPDIR/tmux.sock
	tmux -S "$SOCK" -f /dev/null new-session -d -s t -x 140 -y 40 \
		"TERM=xterm-256color $TOP -i $CAP1 --speed 0 -d 0.2 --listen 127.0.0.1:0 2> $BATS_TEST_TMPDIR/tui.err; echo EXITED \$?; sleep 30"
	for i in $(seq 100); do
		tmux -S "$SOCK" capture-pane -p -t t | grep -q "end of capture" && break
		sleep 0.1
	done
	tmux -S "$SOCK" capture-pane -p -t t | grep -q "end of capture" || {
		tmux -S "$SOCK" kill-server; false; }
	port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/metrics|\1|p' "$BATS_TEST_TMPDIR/tui.err")
	run curl -s --max-time 5 "http://127.0.0.1:$port/metrics"
	[[ "$output" == *"netfs_requests_total{origin="* ]]
	tmux -S "$SOCK" send-keys -t t q
	for i in $(seq 100); do
		tmux -S "$SOCK" capture-pane -p -t t | grep -q "EXITED 0" && break
		sleep 0.1
	done
	tmux -S "$SOCK" capture-pane -p -t t | grep -q "EXITED 0"
	tmux -S "$SOCK" kill-server
}

@test "idle connections and garbage cannot lock scrapes out" {
	need curl
	start_top top -i "$CAP1" --speed 0
	run timeout 30 python3 - "$PORT" <<-'EOF'
	import os, socket, sys
	port = int(sys.argv[1])
	def conn():
	    s = socket.create_connection(("127.0.0.1", port))
	    s.settimeout(5)
	    return s
	idle = [conn() for _ in range(40)]	# more than the 16 slots
	for n in (1, 100, 9000):
	    s = conn()
	    s.sendall(os.urandom(n))
	    s.close()
	for s in idle[:8]:
	    s.sendall(b"GET /metr")		# half a request line
	s = conn()
	s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
	d = b""
	while True:
	    c = s.recv(65536)
	    if not c:
	        break
	    d += c
	print(d.split(b"\r\n")[0].decode())
	assert d.startswith(b"HTTP/1.1 200 OK"), d[:100]
	assert b"netfs_requests_total" in d
	EOF
	echo "$output"
	[ "$status" -eq 0 ]
	kill -0 "$LAST_PID"
}

@test "every corpus capture: netfs.prom equals netfs-replay's summary" {
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
	D=$BATS_TEST_TMPDIR/tf
	mkdir -p "$D"
	n=0
	for f in "$CORPUS"/*/*.dat; do
		timeout 120 "$TOP" -b -i "$f" --speed 0 -d 1000 --fail-on none \
			--textfile "$D" > /dev/null 2>&1
		"$REPLAY" --json --fail-on none "$f" 2> /dev/null > "$D/r.json"
		run python3 - "$D/netfs.prom" "$D/r.json" <<-'EOF'
		import collections, json, re, sys
		m = collections.defaultdict(float)
		for line in open(sys.argv[1]):
		    if line.startswith("#"):
		        continue
		    name, labels, v = re.match(r'(\w+)(?:\{(.*)\})? (\S+)$', line).groups()
		    m[name] += float(v)
		    for k, x in re.findall(r'(\w+)="([^"]*)"', labels or ""):
		        m[(name, k, x)] += float(v)
		d = json.load(open(sys.argv[2]))
		s = d["summary"]
		want = {
		    "netfs_requests_total": s["requests"],
		    "netfs_request_duration_seconds_count": s["requests"],
		    "netfs_read_bytes_total": s["bytes_read"],
		    ("netfs_read_bytes_total", "source", "cache"): s["bytes_cache_read"],
		    ("netfs_write_bytes_total", "dest", "server"): s["bytes_written"],
		    ("netfs_write_bytes_total", "dest", "cache"): s["bytes_cache_written"],
		    "netfs_subrequests_total": s["subrequests"],
		    "netfs_retries_total": s["retries"],
		    "netfs_failures_total": s["failures"],
		    "netfs_events_total": s["events"],
		    "netfs_lost_events_total": s["lost_events"],
		    "netfs_requests_in_flight": s["in_flight_at_end"],
		    "netfs_findings_total": len(d["findings"]),
		}
		bad = [(k, m[k], v) for k, v in want.items() if m[k] != v]
		print(bad)
		sys.exit(1 if bad else 0)
		EOF
		[ "$status" -eq 0 ] || { echo "$f: $output"; false; }
		n=$((n + 1))
	done
	echo "$n captures"
	[ "$n" -gt 20 ]
}

@test "--stats-only --listen: the stats file read afresh at each scrape, OpenMetrics on request" {
	need curl
	local f=$BATS_TEST_TMPDIR/stats fx=$BATS_TEST_DIRNAME/../fixtures/procstats

	cp "$fx/6.12-final.netfs-stats" "$f"
	start_top top --stats-only --stats-file "$f" -d 0.2
	run curl -sf "http://127.0.0.1:$PORT/metrics"
	[ "$status" -eq 0 ]
	[[ "$output" == *'netfs_stats_reads_total{origin="readahead"} 1238'* ]]
	[[ "$output" == *'netfs_proc_stats_up 1'* ]]
	[[ "$output" == *'netfs_exporter_build_info{'* ]]
	# no model: no tracepoint families
	[[ "$output" != *'netfs_requests_total'* ]]
	# the kernel's counter moves: the next scrape says so
	cp "$fx/7.2-final.netfs-stats" "$f"
	run curl -sf -H 'Accept: application/openmetrics-text; version=1.0.0' \
		"http://127.0.0.1:$PORT/metrics"
	[ "$status" -eq 0 ]
	[[ "$output" == *'netfs_stats_reads_total{origin="dio_read"} 3169'* ]]
	[[ "$output" == *'# EOF'* ]]
	need promtool
	curl -sf "http://127.0.0.1:$PORT/metrics" | promtool check metrics
}

@test "--stats-only --textfile: netfs.prom of the stats file every -d SECS" {
	local d=$BATS_TEST_TMPDIR/tf fx=$BATS_TEST_DIRNAME/../fixtures/procstats

	mkdir "$d"
	run timeout 20 "$TOP" --stats-only --stats-file "$fx/7.2-final.netfs-stats" \
		--textfile "$d" -d 0.05 -n 2
	[ "$status" -eq 0 ]
	grep -q 'netfs_stats_reads_total{origin="dio_read"} 3169' "$d/netfs.prom"
	[ "$(ls "$d")" = netfs.prom ]
	# a missing stats file is refused before anything is served
	run timeout 20 "$TOP" --stats-only --stats-file "$d/none" --textfile "$d" -n 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"$d/none"* ]]
}
