#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# For every injection and the clean twins, in both dialects and in every
# text form a bug report pastes (netfs-sim --form), run netfs-sim and
# compare netfs-replay --json findings (kind+object) with the ground truth.
#
#   clean         the built-in workload
#   clean-cache   part of it with an fscache cookie (scenarios/cache.scn):
#                 the clean twin of the fscache injections
#   clean-umount  the same ending with the volume relinquished and freed
#   clean-lru     the same, then the cookie expires from the LRU and is
#                 used again before its worker runs, on a fixed kernel
#                 (scenarios/cache-lru.scn): cache-withdraw-under-access's twin
#   clean-eof     EOF inside a folio and a 2-slice readahead, done right
#                 (scenarios/eof.scn; eof-cifs.scn over cifs): the twins of
#                 early-unlock-eof, bad-donation and all-queued-race
#   X@cifs        X (clean, or an injection whose shape depends on the
#                 server) on the built-in workload over cifs (scenarios/
#                 cifs.scn): asynchronous reads, PREP and SUBMT traced
#
# A truth marked "clock" (stuck: quiet for --stuck-after while the trace
# went on) needs timestamps: in the forms without them (comm, task, bare)
# it is neither required nor forbidden.
#
# An injection that does not apply to a dialect (netfs-sim exit 3) is
# listed as "n/a" with netfs-sim's reason.  A form netfs-replay cannot read
# yet (input errors on the clean run) is reported on its own lines ("n/r")
# and does not count.  NFT_TRUTH_FORMS selects the forms (default: trace
# comm task bare wrapped).  Skips (exit 0) when bin/netfs-replay does not
# exist yet.
BIN=${NFT_BIN:-$(dirname "$0")/../../bin}
SCN=$(dirname "$0")/scenarios
FORMS=${NFT_TRUTH_FORMS:-trace comm task bare wrapped}
[ -x "$BIN/netfs-replay" ] || { echo "skip: no $BIN/netfs-replay"; exit 0; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
INJ=$("$BIN/netfs-sim" --list-injections | awk '{print $1}')

# compare TRUTH FOUND LABEL: prints ok/FAIL, exit 1 on a difference.
compare() {
	python3 - "$@" <<'PY'
import json, sys
timed = sys.argv[3].split()[0] in ('trace', 'wrapped')
optional = set()
def truth(path):
    # Ground truth: one JSON object per line.
    out = set()
    for line in open(path):
        if line.strip():
            o = json.loads(line)
            if o.get('clock') and not timed:
                optional.add((o['kind'], o['object']))
            else:
                out.add((o['kind'], o['object']))
    return out
def found(path):
    # netfs-replay --json: one (pretty-printed) document, not JSON lines.
    try:
        return {(f['kind'], f['object']) for f in json.load(open(path))['findings']}
    except (ValueError, KeyError):
        return {('no-json', '-')}
want, got = truth(sys.argv[1]), found(sys.argv[2])
got -= optional
if want != got:
    print('FAIL %s: missing %s extra %s' % (sys.argv[3], sorted(want - got), sorted(got - want)))
    sys.exit(1)
print('ok   %s' % sys.argv[3])
PY
}

# input_errors FOUND: the number of lines netfs-replay could not read.
input_errors() {
	python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["input"]["errors"])
except Exception: print(1)' "$1"
}

for form in $FORMS; do
	readable=yes
	ok=0 bad=0 na=0
	for d in 6.12 7.2; do
		for twin in clean clean-cache clean-umount clean-lru clean-eof clean-eof-cifs \
			    $INJ clean@cifs \
			    all-queued-race@cifs early-unlock-eof@cifs bad-donation@cifs; do
			case $twin in
			*@*) args="$SCN/${twin#*@}.scn" ;;
			*) args= ;;
			esac
			case ${twin%@*} in
			clean) ;;
			clean-cache) args="$SCN/cache.scn" ;;
			clean-umount) args="$SCN/cache-umount.scn" ;;
			clean-lru) args="$SCN/cache-lru.scn" ;;
			clean-eof) args="$SCN/eof.scn" ;;
			clean-eof-cifs) args="$SCN/eof-cifs.scn" ;;
			*) args="$args --inject ${twin%@*}" ;;
			esac
			label="$form $d $twin"
			"$BIN/netfs-sim" $args --dialect $d --form $form -o "$T/trace" \
				--truth "$T/truth" 2> "$T/err"
			rc=$?
			if [ $rc -eq 3 ]; then
				echo "n/a  $label: $(sed 's/^netfs-sim: //' "$T/err")"
				na=$((na + 1))
				continue
			fi
			[ $rc -eq 0 ] || { echo "FAIL $label: netfs-sim exit $rc"; fail=1; continue; }
			"$BIN/netfs-replay" --json "$T/trace" > "$T/found" 2>/dev/null
			if [ $twin = clean ] && [ $d = 6.12 ] &&
			   [ "$(input_errors "$T/found")" != 0 ]; then
				readable=no
				echo "n/r  form $form: netfs-replay cannot read it yet" \
				     "($(input_errors "$T/found") input errors on the clean run);" \
				     "its results below do not count"
			fi
			if compare "$T/truth" "$T/found" "$label" > "$T/res"; then
				ok=$((ok + 1))
			else
				bad=$((bad + 1))
				[ $readable = yes ] && fail=1
			fi
			if [ $readable = yes ]; then
				cat "$T/res"
			else
				sed 's/^ok  /n\/r ok/; s/^FAIL/n\/r FAIL/' "$T/res"
			fi
		done
	done
	echo "form $form: $ok ok, $bad failed, $na n/a${readable%yes}" |
		sed 's/no$/ (not readable yet: not counted)/'
done
exit $fail
