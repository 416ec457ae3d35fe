# SPDX-License-Identifier: GPL-2.0
# Shared by the bats files: where the binaries and fixtures are, and small
# helpers to look into netfs-replay's JSON.

# The directory holding the commands under test (make check sets NFT_BIN).
nft_bin() {
	printf '%s\n' "${NFT_BIN:-$BATS_TEST_DIRNAME/../../bin}"
}

FIX=$BATS_TEST_DIRNAME/../fixtures
REPLAY=$(nft_bin)/netfs-replay

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
