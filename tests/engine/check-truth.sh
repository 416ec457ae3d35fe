#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# For every injection (and the clean twin), run netfs-sim and compare
# netfs-replay --json findings (kind+object) with the ground truth.
# Skips (exit 0) when bin/netfs-replay does not exist yet.
BIN=${NFT_BIN:-$(dirname "$0")/../../bin}
[ -x "$BIN/netfs-replay" ] || { echo "skip: no $BIN/netfs-replay"; exit 0; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
for d in 6.12 7.2; do
	for inj in "" $("$BIN/netfs-sim" --list-injections | awk '{print $1}'); do
		"$BIN/netfs-sim" --dialect $d ${inj:+--inject $inj} -o "$T/trace" --truth "$T/truth"
		"$BIN/netfs-replay" --json "$T/trace" > "$T/found" 2>/dev/null
		python3 - "$T/truth" "$T/found" "$d ${inj:-clean}" <<'PY' || fail=1
import json, sys
def truth(path):
    # Ground truth: one JSON object per line.
    out = set()
    for line in open(path):
        if line.strip():
            o = json.loads(line)
            out.add((o['kind'], o['object']))
    return out
def found(path):
    # netfs-replay --json: one (pretty-printed) document, not JSON lines.
    return {(f['kind'], f['object']) for f in json.load(open(path))['findings']}
want, got = truth(sys.argv[1]), found(sys.argv[2])
if want != got:
    print('FAIL %s: missing %s extra %s' % (sys.argv[3], sorted(want - got), sorted(got - want)))
    sys.exit(1)
print('ok   %s' % sys.argv[3])
PY
	done
done
exit $fail
