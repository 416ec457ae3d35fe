#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# netfs-replay on every real capture of ../shared/corpus: no false findings,
# text and trace.dat of one run agree, and the summary agrees with the
# /proc/fs/netfs/stats deltas.  Skipped when the corpus is not beside the repo.

load helper

setup() {
	BIN=${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}
	CORPUS=${NFT_CORPUS:-$BATS_TEST_DIRNAME/../../../shared/corpus}
	[ -d "$CORPUS" ] || skip "no corpus at $CORPUS"
}

# Captures: <wl>.txt or <wl>.txt.xz that have a <wl>.sh beside them.
captures() {
	local sh
	for sh in "$CORPUS"/*/*.sh; do
		local base=${sh%.sh}
		if [ -e "$base.txt.xz" ]; then echo "$base.txt.xz"
		elif [ -e "$base.txt" ]; then echo "$base.txt"; fi
	done
}

expected_for() {
	local key=$1 line
	line=$(grep -F "$key:" "$BATS_TEST_DIRNAME/../corpus/expected-findings.txt" | grep -v '^#' || true)
	echo "${line#*:}" | xargs -n1 2>/dev/null | sort | xargs
}

@test "no false findings on any real capture" {
	local f key got want bad=0
	while read -r f; do
		key=$(basename "$(dirname "$f")")/$(basename "${f%.txt*}")
		got=$("$BIN/netfs-replay" --json --fail-on none "$f" |
			python3 -c 'import json,sys; print(" ".join(sorted(x["kind"] for x in json.load(sys.stdin)["findings"])))')
		want=$(expected_for "$key")
		if [ -z "$want" ] && [[ "$key" == */smb_fault_* ]]; then
			got=$(echo "$got" | tr ' ' '\n' | grep -v '^failure$' | xargs || true)
		fi
		if [ "$got" != "$want" ]; then
			echo "$key: found '$got', expected '$want'"
			bad=1
		fi
	done < <(captures)
	[ "$bad" -eq 0 ]
}

@test "every real capture decodes with no unknown symbols and no input errors" {
	local f bad=0 out
	while read -r f; do
		out=$("$BIN/netfs-replay" --json --fail-on none "$f" 2>/dev/null) || { echo "$f: exit $?"; bad=1; continue; }
		echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(1 if d["unknown_symbols"] or d["input"]["errors"] else 0)' ||
			{ echo "$f: unknown symbols or input errors"; bad=1; }
	done < <(captures)
	[ "$bad" -eq 0 ]
}

@test "trace.dat and text of the same run give the same analysis" {
	local f dat bad=0
	while read -r f; do
		dat=${f%.txt*}.dat
		[ -e "$dat" ] || continue
		diff <(normalized "$f") <(normalized "$dat") \
		     > "$BATS_TEST_TMPDIR/diff" || { echo "$dat differs from its text twin:"; head -20 "$BATS_TEST_TMPDIR/diff"; bad=1; }
	done < <(captures)
	[ "$bad" -eq 0 ]
}

@test "summaries agree with the /proc/fs/netfs/stats deltas" {
	run python3 "$BATS_TEST_DIRNAME/../corpus/stats-check.py" "$BIN/netfs-replay" "$CORPUS"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 differ"* ]]
}
