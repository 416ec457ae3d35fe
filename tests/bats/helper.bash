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
