#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/record-capture.sh KERNEL [capture.sh options...]
#
# Record real netfs/fscache/cachefiles captures on any Debian kernel, not only
# the three the shared rig knows (61, 612, 72).  KERNEL is either one of those
# three or a full Debian kernel version, e.g. 6.16.12+deb13-amd64 or
# 7.3.4+deb13-amd64 (trixie, trixie-backports and sid are searched).
#
# ../shared/rig is read-only, so it is copied to $WD/rig (default
# /tmp/record-<KERNEL>; the downloaded .debs in $WD/rig/cache are kept) and
# patched there:
#   - its private apt sources also list trixie-backports;
#   - capture.sh accepts a full version: the packages are linux-binary-V +
#     linux-modules-V when the archive splits the image (6.19 and later),
#     else linux-image-V;
#   - every kernel newer than 6.12 gets trixie's ksmbd-tools 3.5 (bookworm's
#     3.4 cannot connect to a 7.x ksmbd).
# Everything else is the rig's own: the same workloads, a trace.dat and a
# text capture of each run.  The result is $WD/corpus/<uname -r>/.
#
# Environment: WD, RIG (../shared/rig or /work/shared/rig), and the rig's own
# WORKLOADS, PREFIX, QEMU_TIMEOUT.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
K=${1:?usage: scripts/record-capture.sh KERNEL [--no-smb] [--no-cachefiles]}
shift
WD=${WD:-/tmp/record-$K}
RIG=${RIG:-}
for d in "$TOP/../shared/rig" /work/shared/rig; do
	[ -z "$RIG" ] && [ -d "$d" ] && RIG=$d
done
[ -n "$RIG" ] && [ -f "$RIG/capture.sh" ] ||
	{ echo "record-capture: no rig (set RIG)" >&2; exit 2; }

# A fresh copy of the rig; its cache/ (downloaded .debs) is kept across runs.
mkdir -p "$WD/rig"
find "$WD/rig" -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} +
cp -r "$RIG"/. "$WD/rig/"
chmod -R u+w "$WD/rig"

apt=$WD/rig/cache/apt
uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$uri" ] || uri=http://deb.debian.org/debian
mkdir -p "$apt/lists/partial" "$apt/archives/partial"
for s in trixie trixie-backports sid; do
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
done > "$apt/sources.list"

python3 - "$WD/rig/capture.sh" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
old_case = '*) echo "unknown kernel $K"; exit 2 ;;'
new_case = '''*+deb*)
	KVER=$K; APTO=$TRIXIE_APT
	if apt-cache $APTO show "linux-binary-$KVER" >/dev/null 2>&1; then
		PKGS="linux-binary-$KVER linux-modules-$KVER"
	else
		PKGS="linux-image-$KVER"
	fi ;;
*) echo "unknown kernel $K"; exit 2 ;;'''
newer = '[ "$K" = 72 ]'
assert old_case in s and s.count(newer) == 2, 'capture.sh changed; update record-capture.sh'
s = s.replace(old_case, new_case)
s = s.replace(newer, '[ "$K" != 612 ]')
open(p, 'w').write(s)
EOF

cd "$WD"
rig/capture.sh "$K" "$@"
ls -d "$WD"/corpus/*/
