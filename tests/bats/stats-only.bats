#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-top --stats-only: /proc/fs/netfs/stats without tracing, on the real
# files of the corpus kernels (tests/fixtures/procstats, copies of
# ../shared/corpus/*/netfs-stats-final.txt and <wl>.netfs-stats).

setup() {
	NFT_BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	TOP=$NFT_BIN/netfs-top
	PS=$BATS_TEST_DIRNAME/../fixtures/procstats
}

@test "--stats-only: Prometheus text of a 6.12 file, values and promtool" {
	run "$TOP" --stats-only --stats-file "$PS/6.12-final.netfs-stats" -n 1
	[ "$status" -eq 0 ]
	[[ "$output" == *'netfs_stats_reads_total{origin="readahead"} 1238'* ]]
	[[ "$output" == *'netfs_stats_writes_total{origin="dio_write"} 1197'* ]]
	[[ "$output" == *'netfs_stats_subrequests_total{op="download"} 3468'* ]]
	[[ "$output" == *'netfs_stats_live_requests 4'* ]]
	[[ "$output" == *'# TYPE netfs_stats_live_requests gauge'* ]]
	[[ "$output" == *'netfs_fscache_io_total{dir="write"} 20'* ]]
	[[ "$output" == *'netfs_proc_stats_up 1'* ]]
	[[ "$output" != *'netfs_proc_stat_total'* ]]
	command -v promtool >/dev/null || skip "no promtool"
	printf '%s\n' "$output" | promtool check metrics
}

@test "--stats-only: every fixture kernel passes promtool check metrics" {
	command -v promtool >/dev/null || skip "no promtool"
	for f in "$PS"/*.netfs-stats; do
		"$TOP" --stats-only --stats-file "$f" -n 1 | promtool check metrics
	done
}

@test "--stats-only --json: one object per interval, 7.2 values, rereads" {
	run "$TOP" --stats-only --json --stats-file "$PS/7.2-final.netfs-stats" -n 3 -d 0.05
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.stdin]
assert [d["interval"] for d in docs] == [1, 2, 3]
d = docs[-1]
assert d["up"] is True and d["parse_errors"] == 0
s = {(x["name"], tuple(sorted(x["labels"].items()))): x["value"] for x in d["samples"]}
assert s[("netfs_stats_reads_total", (("origin", "dio_read"),))] == 3169
assert s[("netfs_stats_request_retries_total", (("dir", "read"),))] == 0
assert s[("netfs_stats_writeback_lock_total", (("outcome", "skip"),))] == 1
assert s[("netfs_fscache_lru_timer_jiffies", ())] == 162
assert s[("netfs_proc_stats_reads_total", ())] == 3
assert d["totals"]["read_requests"] == 3169 + 1235
assert d["totals"]["live_requests"] == 4
'
}

@test "--stats-only: a 6.1 kernel's empty file is up with no counters" {
	run "$TOP" --stats-only --json --stats-file "$PS/6.1-append.netfs-stats" -n 1
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["up"] is True
assert [x["name"] for x in d["samples"]] == ["netfs_proc_stats_up", "netfs_proc_stats_reads_total", "netfs_proc_stats_read_failures_total", "netfs_proc_stats_parse_errors_total"]
'
}

@test "--stats-only: a missing file says so once, up 0, exit 2" {
	run "$TOP" --stats-only --stats-file "$BATS_TEST_TMPDIR/nosuch" -n 2 -d 0.05
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$output" | grep -c 'No such file')" -eq 1 ]
	[ "$(printf '%s\n' "$output" | grep -c '^netfs_proc_stats_up 0')" -eq 2 ]
}

@test "--stats-only: the file is reread each interval" {
	f=$BATS_TEST_TMPDIR/stats
	cp "$PS/7.2-final.netfs-stats" "$f"
	( sleep 0.5; sed -i 's/rr=4/rr=9/' "$f" ) &
	run "$TOP" --stats-only --json --stats-file "$f" -n 8 -d 0.2
	wait
	[ "$status" -eq 0 ]
	first=$(printf '%s\n' "${lines[0]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["live_requests"])')
	last=$(printf '%s\n' "${lines[7]}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["live_requests"])')
	[ "$first" = 4 ]
	[ "$last" = 9 ]
}

@test "--stats-only needs no root" {
	[ "$(id -u)" -eq 0 ] || skip "already unprivileged"
	command -v setpriv >/dev/null || skip "no setpriv"
	f=$(mktemp /tmp/netfs-stats.XXXXXX)
	cp "$PS/7.2-final.netfs-stats" "$f"
	chmod 644 "$f"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TOP" --stats-only --stats-file "$f" -n 1
	rm -f "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == *'netfs_stats_reads_total{origin="dio_read"} 3169'* ]]
}

@test "--stats-only usage errors" {
	run "$TOP" --stats-file /x -b -n 1
	[ "$status" -eq 2 ]
	[[ "$output" == *"--stats-only"* ]]
	run "$TOP" --stats-only -i /x
	[ "$status" -eq 2 ]
	run "$TOP" --stats-only -e netfs
	[ "$status" -eq 2 ]
}

@test "live refusal suggests --stats-only, on one line" {
	NETFS_TOP_TRACEFS=$BATS_TEST_TMPDIR/nonexistent run "$TOP" -b -n 1
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"--stats-only"* ]]
	mkdir -p "$BATS_TEST_TMPDIR/empty/instances"
	NETFS_TOP_TRACEFS=$BATS_TEST_TMPDIR/empty run "$TOP" -b -n 1
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"modprobe netfs"*"--stats-only"* ]]
}
