#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Property test of engine and analyzer together: for seeds 1..N, run
# "netfs-sim --random --seed S" (every other seed with an injection chosen
# by the seed) and require netfs-replay --json to report exactly the ground
# truth, kind+object: nothing on a clean run but the failures the kernel
# itself reported, and exactly the injected bug's findings otherwise.  Every
# request must also end freed or reported (in_flight_at_end == 0).
#
#   tests/engine/property.sh [COUNT [FIRST]]     (default 1000 seeds from 1)
#
# A disagreement prints the seed and how to reproduce it, and the script
# exits 1.  Runs two at a time (xargs -P, JOBS=n to change).  Skips (exit
# 0) when bin/netfs-replay does not exist yet.
# One seed: the even ones get an injection, picked by seed/2.
run_one() {
	s=$1
	inj=
	if [ $((s % 2)) -eq 0 ]; then
		n=$(wc -l < "$T/injections")
		inj=$(sed -n "$(( (s / 2) % n + 1 ))p" "$T/injections")
	fi
	echo "$inj" > "$T/$s.inj"
	timeout 60 "$BIN/netfs-sim" --random --seed "$s" ${inj:+--inject $inj} \
		-o "$T/$s.trace" --truth "$T/$s.truth" 2> "$T/$s.err" ||
		{ echo "netfs-sim failed" >> "$T/$s.err"; return 0; }
	timeout 60 "$BIN/netfs-replay" --json "$T/$s.trace" > "$T/$s.json" 2>> "$T/$s.err"
	rc=$?
	# 0 clean, 1 findings; anything else is an input error.
	[ $rc -le 1 ] || echo "netfs-replay exit $rc" >> "$T/$s.err"
	rm -f "$T/$s.trace"
}

# Worker mode (xargs calls the script back): --seeds S... with BIN and T set.
if [ "$1" = --seeds ]; then
	shift
	for s; do run_one "$s"; done
	exit 0
fi

BIN=${NFT_BIN:-$(cd "$(dirname "$0")/../../bin" 2>/dev/null && pwd)}
COUNT=${1:-1000}
FIRST=${2:-1}
JOBS=${JOBS:-2}
[ -x "$BIN/netfs-replay" ] || { echo "skip: no $BIN/netfs-replay"; exit 0; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
# The issue-10 injections (twins.c, fscache.c) are shaped for the built-in
# workload and some apply to one dialect only: check-truth.sh runs them.
"$BIN/netfs-sim" --list-injections | awk '{print $1}' |
	grep -vxE 'all-queued-race|early-unlock-eof|bad-donation|cache-withdraw-under-access|volume-use-leak' \
	> "$T/injections"
export BIN T

seq "$FIRST" $((FIRST + COUNT - 1)) | xargs -P "$JOBS" -n 25 sh "$0" --seeds

python3 - "$T" "$FIRST" "$COUNT" <<'PY'
import json, os, sys
t, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = clean = injected = findings = 0
for s in range(first, first + count):
    inj = open('%s/%d.inj' % (t, s)).read().strip()
    err = open('%s/%d.err' % (t, s)).read().strip()
    try:
        want = set()
        for line in open('%s/%d.truth' % (t, s)):
            if line.strip():
                o = json.loads(line)
                want.add((o['kind'], o['object']))
        doc = json.load(open('%s/%d.json' % (t, s)))
        got = {(f['kind'], f['object']) for f in doc['findings']}
        # Everything ends freed, or is a finding: nothing left "in flight".
        if doc['summary']['in_flight_at_end']:
            got.add(('in-flight-at-end', str(doc['summary']['in_flight_at_end'])))
    except (OSError, ValueError, KeyError) as e:
        want, got, err = None, None, err or str(e)
    if inj:
        injected += 1
    else:
        clean += 1
    if want is None or want != got or 'failed' in err or 'exit' in err:
        bad += 1
        print('FAIL seed %d%s: %s' % (s, ' inject ' + inj if inj else '',
              err if want is None else 'missing %s extra %s' % (
                  sorted(want - got), sorted(got - want))))
        print('     reproduce: netfs-sim --random --seed %d%s --scenario-out s.scn '
              '-o t --truth truth; netfs-replay --json t' %
              (s, ' --inject ' + inj if inj else ''))
    else:
        findings += len(want)
print('property: %d seeds (%d clean, %d injected), %d findings as expected, %d disagreements'
      % (count, clean, injected, findings, bad))
sys.exit(1 if bad else 0)
PY
