# SPDX-License-Identifier: GPL-2.0
# Shared by the bats files: where the binaries and fixtures are, and small
# helpers to look into netfs-replay's JSON.

# The directory holding the commands under test (make check sets NFT_BIN).
nft_bin() {
	printf '%s\n' "${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}"
}

FIX=$BATS_TEST_DIRNAME/../fixtures
REPLAY=$(nft_bin)/netfs-replay

# The shared corpus beside the repository (../shared/corpus), or empty.
nft_corpus() {
	local d
	for d in "$BATS_TEST_DIRNAME/../../../shared/corpus" /work/shared/corpus; do
		[ -d "$d" ] && { printf '%s\n' "$d"; return; }
	done
	true
}

# same_report ENV0 ENV1 FILE ARGS...: netfs-replay ARGS FILE run with the
# environment setting ENV0 and then ENV1 (VAR=VALUE) gives the same stdout,
# stderr and exit status, kept in $BATS_TEST_TMPDIR/out.0 and out.1; else
# say how they differ and fail (also when it did not run or was killed).
same_report() {
	local e0=$1 e1=$2 f=$3 o=$BATS_TEST_TMPDIR/out s0 s1
	shift 3
	env "$e0" "$REPLAY" "$@" "$f" > "$o.0" 2> "$o.0e" && s0=0 || s0=$?
	env "$e1" "$REPLAY" "$@" "$f" > "$o.1" 2> "$o.1e" && s1=0 || s1=$?
	# both may not just fail alike: it must have run, and not died
	if [ "$s0" -ge 126 ]; then
		echo "$REPLAY did not run or died (exit $s0): $* $f"
		head -5 "$o.0e"
		return 1
	fi
	if ! cmp -s "$o.0" "$o.1" || ! cmp -s "$o.0e" "$o.1e" || [ "$s0" != "$s1" ]; then
		echo "differs ($e0 / $e1): $* $f (exit $s0 vs $s1)"
		diff "$o.0" "$o.1" | head -20
		diff "$o.0e" "$o.1e" | head -20
		return 1
	fi
}

# jq-like: json_get EXPR < doc -- prints the Python expression evaluated
# with d = the parsed document (lists and dicts as compact JSON).
json_get() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
v = eval(sys.argv[1])
print(json.dumps(v, sort_keys=True) if isinstance(v, (list, dict)) else v)
' "$1"
}

# summary_line FILE KEY: the value of "KEY: ..." in the text summary.
summary_line() {
	sed -n "s/^$2: //p" "$1"
}

# normalized FILE: netfs-replay's JSON without "input" and timestamps.  The
# rig records each run into two ring buffers at once (trace-cmd's and a
# tracefs instance for the text), so the same event carries timestamps a few
# microseconds apart in the .dat and the text of one run (6.1: 41 ms, another
# clock base); everything else -- counts, findings, objects, evidence lines --
# must match.
normalized() {
	"$REPLAY" --json --fail-on none "$1" 2> /dev/null | python3 -c '
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("ts", "first_ts", "last_ts")}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
d = json.load(sys.stdin)
d.pop("input")
print(json.dumps(strip(d), indent=1, sort_keys=True))'
}
