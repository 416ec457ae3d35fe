#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/record-big-dat.sh [WORKDIR]: record a large real trace.dat (several
# million netfs events) with the shared capture rig, for the "large real
# trace.dat" section of bench/RESULTS.md.
#
# ../shared/rig is read-only, so it is copied to WORKDIR/rig (default
# /tmp/bigrig) and patched there: capture.sh puts a BIG_MB MiB file "big256"
# on the 9p share, guest-init.sh gets a "bigloop" workload that, under one
# `trace-cmd record -e netfs -e fscache -e cachefiles -b 262144`, repeats
#   sync; echo 3 > /proc/sys/vm/drop_caches; dd if=/mnt/t/big256 of=/dev/null bs=1M
# on the 9p cache=loose mount until BIG_PASSES passes or BIG_DEADLINE seconds
# of guest time.  Only the top-level buffer is recorded (no text instance).
# trace-cmd record's statistics (lost events) land in bigloop.out.
# The trixie kernel .deb of tests/kernel/cache/debs is reused when present
# (no apt-get then).  Result: WORKDIR/corpus/<uname -r>/bigloop.dat.
#
# Environment: BIG_MB (256), BIG_PASSES (22), BIG_DEADLINE (660 s),
# QEMU_TIMEOUT (1100 s), RIG (../shared/rig or /work/shared/rig).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
WD=${1:-/tmp/bigrig}
RIG=${RIG:-}
for d in "$TOP/../shared/rig" /work/shared/rig; do
	[ -z "$RIG" ] && [ -d "$d" ] && RIG=$d
done
[ -n "$RIG" ] && [ -f "$RIG/capture.sh" ] || { echo "record-big-dat: no rig (set RIG)" >&2; exit 2; }
mkdir -p "$WD"
rm -rf "$WD/rig"; cp -r "$RIG" "$WD/rig"; chmod -R u+w "$WD/rig"
deb=$(ls "$TOP"/tests/kernel/cache/debs/linux-image-6.12.*-amd64-unsigned_*.deb 2>/dev/null | head -1 || true)
if [ -n "$deb" ]; then
	mkdir -p "$WD/rig/cache/apt/lists"
	cp "$deb" "$WD/rig/cache/"
	# capture.sh runs apt-get update only when its private lists are empty
	echo unused > "$WD/rig/cache/apt/lists/unused"; echo "# unused" > "$WD/rig/cache/apt/sources.list"
fi
python3 - "$WD/rig" <<'EOF'
import sys
rig = sys.argv[1]
p = rig + '/capture.sh'; s = open(p).read()
a = 'echo "$CACHEFILES" > "$IR/etc/cachefiles"'
b = 'IMG=$W/cache.img'
assert a in s and b in s, 'capture.sh changed; update record-big-dat.sh'
s = s.replace(a, a + '\necho "${BIG_PASSES:-22} ${BIG_DEADLINE:-660}" > "$IR/etc/bigparams"')
s = s.replace(b, '[ -n "${BIG_MB:-}" ] && head -c $((BIG_MB << 20)) /dev/urandom > "$SH/big256"\n' + b)
open(p, 'w').write(s)
p = rig + '/guest-init.sh'; s = open(p).read()
a = 'dmesg > /out/${P}dmesg.txt'
assert a in s, 'guest-init.sh changed; update record-big-dat.sh'
s = s.replace(a, r'''# bigloop: many passes of a cold BIG_MB file read; top-level buffer only (no txt instance)
case " $(cat /etc/workloads) " in *" bigloop "*)
	read BP BD < /etc/bigparams
	cat > /tmp/big.sh <<EOB
t0=\$(date +%s); i=0
while [ \$i -lt $BP ] && [ \$(( \$(date +%s) - t0 )) -lt $BD ]; do
	sync; echo 3 > /proc/sys/vm/drop_caches
	dd if=/mnt/t/big256 of=/dev/null bs=1M 2>&1 | tail -1
	i=\$((i+1)); echo "pass \$i at \$(( \$(date +%s) - t0 ))s"
done
EOB
	cp /tmp/big.sh /out/${P}bigloop.sh
	drop
	log "workload bigloop: run ($BP passes, deadline ${BD}s)"
	trace-cmd record $EVARGS -b 262144 -o /tmp/cap/bigloop.dat sh /tmp/big.sh > /tmp/cap/bigloop.out 2>&1
	echo "trace-cmd rc=$?" >> /tmp/cap/bigloop.out
	log "workload bigloop: done, $(ls -l /tmp/cap/bigloop.dat)"
	cp /tmp/cap/bigloop.dat /tmp/cap/bigloop.out /out/; rm -f /tmp/cap/bigloop.*
	;;
esac
''' + a)
open(p, 'w').write(s)
EOF
cd "$WD"
export WORKLOADS=bigloop BIG_MB=${BIG_MB:-256} BIG_PASSES=${BIG_PASSES:-22} \
	BIG_DEADLINE=${BIG_DEADLINE:-660} QEMU_TIMEOUT=${QEMU_TIMEOUT:-1100}
rig/capture.sh 612 --no-smb --no-cachefiles
ls -l "$WD"/corpus/*/bigloop.dat
