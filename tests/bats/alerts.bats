#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# docs/netfs-alerts.yml: valid rules (promtool check rules), each alert
# fired by its input series and silent on the twins
# (tests/prometheus/alerts_test.yml, promtool test rules), and every metric
# a rule names is one netfs-top exports or the issue names.

setup() {
	ROOT=$BATS_TEST_DIRNAME/../..
	RULES=$ROOT/docs/netfs-alerts.yml
	command -v promtool >/dev/null || skip "no promtool (Debian: prometheus)"
}

@test "promtool check rules docs/netfs-alerts.yml" {
	run promtool check rules "$RULES"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SUCCESS"* ]]
}

@test "promtool test rules: every alert fires on its series, twins stay silent" {
	cd "$ROOT/tests/prometheus"
	run promtool test rules alerts_test.yml
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SUCCESS"* ]]
}

@test "every alert has a unit test that fires it" {
	local a missing=0
	for a in $(sed -n 's/^ *- alert: //p' "$RULES"); do
		grep -q "alertname: $a\$" "$ROOT/tests/prometheus/alerts_test.yml" ||
			{ echo "no test for $a"; missing=1; }
	done
	[ "$missing" -eq 0 ]
}

@test "the stats-file rules name metrics --stats-only exports" {
	local PS=$BATS_TEST_DIRNAME/../fixtures/procstats m bad=0
	out=$("${NFT_BIN:-$ROOT/bin}/netfs-top" --stats-only --stats-file "$PS/7.2-final.netfs-stats" -n 1)
	for m in $(grep -v '^ *#' "$RULES" | grep -o 'netfs_\(stats\|proc_stats\|fscache\)_[a-z_]\+' | sort -u); do
		printf '%s\n' "$out" | grep -q "^$m[{ ]" || { echo "not exported: $m"; bad=1; }
	done
	[ "$bad" -eq 0 ]
}
