#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay FILE... (CI triage): several captures analysed in parallel
# (-j), each report exactly what the capture alone gives, in the order
# given; --json one document per line; the exit status the worst.

load helper
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	CLEAN=$FIX/6.12/smb_seqread.txt.xz		# exit 0
	WARN=$FIX/6.12/fc_read.txt.xz			# bad-context: exit 1
	DAT=$FIX/6.12/append.dat			# trace.dat, clean
	LOST=$FIX/7.2/lost-stuck.txt
	{ printf 'PERFILE2'; head -c 4088 /dev/zero; } > "$T/perf.data"
}

@test "several captures, text: each report is the capture's own, in order" {
	run --separate-stderr "$REPLAY" -j 2 "$CLEAN" "$WARN" "$DAT"
	[ "$status" -eq 1 ]
	{ "$REPLAY" "$CLEAN"; "$REPLAY" "$WARN"; "$REPLAY" "$DAT"; } \
		> "$T/one-by-one" 2> /dev/null || true
	[ "$output" == "$(cat "$T/one-by-one")" ]
	# each report starts with its input: line
	[ "$(grep -c '^input: ' <<< "$output")" -eq 3 ]
	grep '^input: ' <<< "$output" | head -1 | grep -qF "$CLEAN"
	grep '^input: ' <<< "$output" | tail -1 | grep -qF "$DAT"
}

@test "several captures, --json: JSON Lines, each with its input.file, in the order given" {
	run --separate-stderr "$REPLAY" --json -j 3 "$DAT" "$WARN" "$CLEAN" "$LOST"
	[ "${#lines[@]}" -eq 4 ]
	python3 -c '
import json, sys
files = sys.argv[1:]
lines = sys.stdin.read().split("\n")
assert lines[-1] == "", "ends with a newline"
docs = [json.loads(l) for l in lines[:-1]]
assert [d["input"]["file"] for d in docs] == files, [d["input"]["file"] for d in docs]
assert [len(d["findings"]) > 0 for d in docs] == [False, True, False, True]
' "$DAT" "$WARN" "$CLEAN" "$LOST" <<< "$output"
	# the same document as alone, only on one line
	for f in "$WARN" "$DAT"; do
		"$REPLAY" --json "$f" 2> /dev/null | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))' > "$T/alone"
		grep -F "\"file\": \"$f\"" <<< "$output" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))' > "$T/many"
		cmp "$T/alone" "$T/many"
	done
}

@test "exit status is the worst: clean + finding + refused -> 2, clean + finding -> 1, clean -> 0" {
	run --separate-stderr "$REPLAY" "$CLEAN" "$WARN" "$T/perf.data"
	[ "$status" -eq 2 ]
	run --separate-stderr "$REPLAY" "$T/perf.data" "$CLEAN" "$WARN"
	[ "$status" -eq 2 ]
	run --separate-stderr "$REPLAY" "$CLEAN" "$WARN"
	[ "$status" -eq 1 ]
	run --separate-stderr "$REPLAY" "$CLEAN" "$DAT"
	[ "$status" -eq 0 ]
	run --separate-stderr "$REPLAY" --fail-on none "$CLEAN" "$WARN"
	[ "$status" -eq 0 ]
}

@test "a failing input does not stop the others; its messages come in its place" {
	run --separate-stderr "$REPLAY" -j 1 "$CLEAN" "$T/perf.data" "$T/no-such" /dev/null "$WARN"
	[ "$status" -eq 2 ]
	[ "$(grep -c '^input: ' <<< "$output")" -eq 2 ]
	grep -q "^findings: 1" <<< "$output"
	[[ "$stderr" == *"perf.data: error: this is a perf.data file"* ]]
	[[ "$stderr" == *"no-such: error: No such file or directory"* ]]
	[[ "$stderr" == *"/dev/null: error: empty input"* ]]
	# in the order given
	grep -n 'error' <<< "$stderr" | cut -d: -f3 | tr '\n' ' ' > "$T/order"
	[[ "$(cat "$T/order")" == *"perf.data"*"no-such"*"/dev/null"* ]]
	# --json: a refused document in its place, the others whole
	run --separate-stderr "$REPLAY" --json "$CLEAN" "$T/no-such" "$WARN"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 3 ]
	sed -n 2p <<< "$output" | json_get 'd["refused"] and d["input"]["file"].endswith("no-such")' | grep -qx True
	sed -n 3p <<< "$output" | json_get 'len(d["findings"])' | grep -qx 1
}

@test "-j 1 and -j 2 give the same output byte for byte" {
	local set=("$DAT" "$WARN" "$T/perf.data" "$CLEAN" "$LOST" "$DAT")
	"$REPLAY" -j 1 "${set[@]}" > "$T/j1" 2> "$T/j1.err" || true
	"$REPLAY" -j 2 "${set[@]}" > "$T/j2" 2> "$T/j2.err" || true
	"$REPLAY" -j 8 "${set[@]}" > "$T/j8" 2> "$T/j8.err" || true
	[ -s "$T/j1" ]
	cmp "$T/j1" "$T/j2"
	cmp "$T/j1" "$T/j8"
	cmp "$T/j1.err" "$T/j2.err"
	"$REPLAY" --json -j 1 "${set[@]}" > "$T/j1" 2> /dev/null || true
	"$REPLAY" --json -j 2 "${set[@]}" > "$T/j2" 2> /dev/null || true
	[ "$(wc -l < "$T/j1")" -eq 6 ]
	cmp "$T/j1" "$T/j2"
}

@test "more captures than the window: all reported, in order" {
	local set=() i
	for i in $(seq 1 150); do
		set+=("$([ $((i % 3)) -eq 0 ] && echo "$WARN" || echo "$DAT")")
	done
	run --separate-stderr "$REPLAY" --json -q -j 2 "${set[@]}"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 150 ]
	python3 -c '
import json, sys
files = sys.argv[1:]
docs = [json.loads(l) for l in sys.stdin]
assert [d["input"]["file"] for d in docs] == files
' "${set[@]}" <<< "$output"
}

@test "-q with several captures: findings still say whose" {
	run --separate-stderr "$REPLAY" -q "$CLEAN" "$WARN"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" == "input: $CLEAN" ]
	[ "${lines[1]}" == "findings: 0" ]
	[ "${lines[2]}" == "input: $WARN" ]
	[ "${lines[3]}" == "findings: 1" ]
	# one capture: as before, no input line
	run --separate-stderr "$REPLAY" -q "$WARN"
	[ "${lines[0]}" == "findings: 1" ]
}

@test "stdin among several captures" {
	run --separate-stderr bash -c "xzcat '$WARN' | '$REPLAY' --json '$CLEAN' - '$DAT'"
	[ "$status" -eq 1 ]
	sed -n 2p <<< "$output" | json_get 'd["input"]["file"] + " " + str(len(d["findings"]))' | grep -qx '<stdin> 1'
}

@test "usage errors: -R, --model with several captures, stdin twice, bad -j, -i with arguments" {
	run "$REPLAY" -R 1 "$CLEAN" "$WARN"
	[ "$status" -eq 2 ]
	[[ "$output" == *"-R goes with one capture"* ]]
	run "$REPLAY" --model "$CLEAN" "$WARN"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--model goes with one capture"* ]]
	run "$REPLAY" - "$CLEAN" -
	[ "$status" -eq 2 ]
	[[ "$output" == *"standard input can be read once"* ]]
	for j in 0 -1 x 2x ''; do
		run "$REPLAY" -j "$j" "$CLEAN" "$WARN"
		[ "$status" -eq 2 ]
		[[ "$output" == *"-j wants a number of jobs"* ]]
	done
	run "$REPLAY" -i "$CLEAN" "$WARN"
	[ "$status" -eq 2 ]
	[[ "$output" == *"one input only with -i"* ]]
	# -j with one capture: accepted, the same report
	run --separate-stderr "$REPLAY" -j 4 "$WARN"
	[ "$status" -eq 1 ]
	[ "$output" == "$("$REPLAY" "$WARN" 2> /dev/null)" ]
	run "$REPLAY" --help
	[[ "$output" == *"--jobs"* ]]
}
