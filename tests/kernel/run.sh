#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kernel/run.sh - netfs-top against a real netfs kernel (make check-kernel).
#
# Boots a Debian kernel (trixie's 6.12 by default, KERNEL=sid for sid's) under
# qemu TCG with a 9p share, runs bin/netfs-top -b --json -d 1 -n N in the guest
# while a workload reads and writes the share, and checks (check.py) that it
# saw the requests /proc/fs/netfs/stats counted, left no tracefs instance
# behind (also after SIGTERM) and reported no findings.
#
# Exit status: 0 pass, 0 skip (prints "skipped: WHY"; no network to Debian,
# no qemu, ...), 1 fail.  Environment:
#   KERNEL=trixie|sid     which suite's linux-image-amd64 to boot (default trixie)
#   QEMU_TIMEOUT=SECS     hard limit of the guest run (default 600)
#   ITERATIONS=N          netfs-top -n in the guest (default 25)
#   NETFS_TOP=PATH        binary to test (default bin/netfs-top)
#   NFT_KERNEL_NO_INSTALL=1  do not apt-get install missing host tools; skip
# Everything downloaded or built lives in tests/kernel/cache/ (gitignored);
# a second run needs no network.  The system's apt configuration is not
# touched: the trixie/sid sources live in tests/kernel/cache/apt.
main() {
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
SUITE=${KERNEL:-trixie}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-600}
ITERATIONS=${ITERATIONS:-25}
NETFS_TOP=${NETFS_TOP:-$TOP/bin/netfs-top}
CACHE=$HERE/cache
W=$CACHE/work-$SUITE
T0=$(date +%s)

log() { echo "  KERNEL   [$(( $(date +%s) - T0 ))s] $*"; }
skip() { echo "check-kernel: skipped: $*"; echo "check-kernel: 0 passed, 0 failed, 1 skipped"; exit 0; }
fail() { echo "check-kernel: FAIL: $*"; echo "check-kernel: 0 passed, 1 failed"; exit 1; }

case $SUITE in trixie|sid) ;; *) fail "KERNEL=$SUITE: want trixie or sid" ;; esac
[ -x "$NETFS_TOP" ] || fail "$NETFS_TOP not built (run make)"
mkdir -p "$CACHE"
export PATH=$PATH:/sbin:/usr/sbin

# ---- host tools ---------------------------------------------------------------
need_pkgs=""
command -v qemu-system-x86_64 >/dev/null || need_pkgs="$need_pkgs qemu-system-x86"
[ -x /bin/busybox ] || need_pkgs="$need_pkgs busybox-static"
{ command -v depmod && command -v modprobe; } >/dev/null || need_pkgs="$need_pkgs kmod"
command -v cpio >/dev/null || need_pkgs="$need_pkgs cpio"
command -v python3 >/dev/null || need_pkgs="$need_pkgs python3"
command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null ||
	skip "not a Debian host (no apt-get/dpkg-deb)"
if [ -n "$need_pkgs" ]; then
	if [ "$(id -u)" != 0 ] || [ -n "${NFT_KERNEL_NO_INSTALL:-}" ]; then
		skip "missing host packages:$need_pkgs (apt-get install them)"
	fi
	log "installing host packages:$need_pkgs"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		$need_pkgs > "$CACHE/apt-install.log" 2>&1 ||
		{ apt-get update -q > /dev/null 2>&1
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$need_pkgs > "$CACHE/apt-install.log" 2>&1; } ||
		skip "cannot install$need_pkgs (see $CACHE/apt-install.log)"
fi
case $(ldd /bin/busybox 2>&1) in
*"not a dynamic"*) ;;
*) skip "/bin/busybox is not static (install busybox-static)" ;;
esac

# ---- 1. the kernel .debs (private apt config, cached) --------------------------
APTDIR=$CACHE/apt
APTO=(-o "Dir::Etc::SourceList=$APTDIR/sources-$SUITE.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$APTDIR/lists-$SUITE" -o "Dir::Cache=$APTDIR"
      -o Dir::State::status=/dev/null -o APT::Sandbox::User=root
      -o Debug::NoLocking=1 -o Acquire::Retries=2 -o Acquire::http::Timeout=30)
DEBS=$CACHE/debs
PKGLIST=$CACHE/$SUITE.debs   # the .deb file names of this suite's kernel, once downloaded
have_debs() {
	[ -s "$PKGLIST" ] || return 1
	while read -r f; do [ -f "$DEBS/$f" ] || return 1; done < "$PKGLIST"
}
if ! have_debs; then
	mkdir -p "$APTDIR/lists-$SUITE/partial" "$APTDIR/archives/partial" "$DEBS"
	uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '/^deb / && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$uri" "$SUITE" > "$APTDIR/sources-$SUITE.list"
	log "apt-get update ($SUITE, private lists in $APTDIR)"
	apt-get "${APTO[@]}" update > "$CACHE/apt-update-$SUITE.log" 2>&1 ||
		skip "apt-get update for $SUITE failed (no network to Debian?), see $CACHE/apt-update-$SUITE.log"
	# apt-get update exits 0 when it could not fetch anything
	ls "$APTDIR/lists-$SUITE/"*_Packages* >/dev/null 2>&1 ||
		skip "apt-get update for $SUITE fetched no package list (no network to Debian?): $(grep -m1 -E '^(W|E|Err):' "$CACHE/apt-update-$SUITE.log")"
	# linux-image-amd64 -> linux-image-<kver>-amd64 (signed); take its -unsigned
	# twin when there is one (same kernel, plain bzImage)
	img=$(apt-cache "${APTO[@]}" depends linux-image-amd64 2>/dev/null |
		awk '$1 ~ /Depends:/ && $2 ~ /^linux-image-[0-9]/ {print $2; exit}')
	[ -n "$img" ] || skip "$SUITE: linux-image-amd64 has no linux-image-<version> dependency"
	want=$img
	apt-cache "${APTO[@]}" show "$img-unsigned" >/dev/null 2>&1 && want=$img-unsigned
	# newer kernels split the image: linux-image-X depends on linux-binary-X + linux-modules-X
	extra=$(apt-cache "${APTO[@]}" depends "$want" 2>/dev/null |
		awk '$1 ~ /Depends:/ && $2 ~ /^linux-(binary|modules)-[0-9]/ {print $2}' | sort -u)
	log "downloading $want $extra"
	rm -f "$PKGLIST.new"
	for p in $want $extra; do
		(cd "$DEBS" && apt-get "${APTO[@]}" download "$p") > "$CACHE/apt-download.log" 2>&1 ||
			skip "apt-get download $p failed (no network to Debian? package gone?), see $CACHE/apt-download.log"
		f=$(cd "$DEBS" && ls -t "${p}_"*.deb 2>/dev/null | head -1)
		[ -n "$f" ] || skip "apt-get download $p left no .deb"
		echo "$f" >> "$PKGLIST.new"
	done
	mv "$PKGLIST.new" "$PKGLIST"
fi
log "kernel packages: $(tr '\n' ' ' < "$PKGLIST")"

# ---- 2. extract vmlinuz + modules --------------------------------------------------
KR=$W/kroot
stamp=$(cat "$PKGLIST")
if [ "$(cat "$W/kroot.stamp" 2>/dev/null)" != "$stamp" ]; then
	log "extracting"
	rm -rf "$KR" "$W/kroot.stamp"; mkdir -p "$KR"
	# only what the guest needs: the kernel, module metadata, and the module
	# trees where netfs, 9p and what they depend on live (depmod over the
	# whole tree alone takes half a minute)
	while read -r f; do
		dpkg-deb --fsys-tarfile "$DEBS/$f" | tar -x -C "$KR" --wildcards --no-wildcards-match-slash \
			'./boot/vmlinuz-*' './usr/lib/modules/*/vmlinuz' './lib/modules/*/vmlinuz' \
			'./usr/lib/modules/*/modules.*' './lib/modules/*/modules.*' \
			--wildcards-match-slash $(for t in fs/netfs fs/9p fs/fscache net/9p drivers/virtio lib crypto; do
				echo "./usr/lib/modules/*/kernel/$t/*" "./lib/modules/*/kernel/$t/*"; done) \
			2>/dev/null
		[ "${PIPESTATUS[0]}" = 0 ] || fail "dpkg-deb --fsys-tarfile $f failed"
	done < "$PKGLIST"
	echo "$stamp" > "$W/kroot.stamp"
fi
MODBASE=$( (ls -d "$KR"/usr/lib/modules/*/ "$KR"/lib/modules/*/ 2>/dev/null || true) | head -1)
[ -n "$MODBASE" ] || fail "no modules directory in $(cat "$PKGLIST")"
KVER=$(basename "$MODBASE")
if [ -d "$KR/usr/lib/modules/$KVER" ] && [ ! -e "$KR/lib/modules/$KVER" ]; then
	mkdir -p "$KR/lib/modules"; ln -s "../../usr/lib/modules/$KVER" "$KR/lib/modules/$KVER"
fi
MODDIR=$KR/lib/modules/$KVER
VMLINUZ=$( (ls "$KR/boot/vmlinuz-$KVER" "$MODDIR/vmlinuz" 2>/dev/null || true) | head -1)
[ -n "$VMLINUZ" ] || fail "no vmlinuz for $KVER"
[ -f "$MODDIR/modules.dep" ] || depmod -b "$KR" "$KVER" 2>/dev/null || fail "depmod failed"
log "kernel $KVER"

# ---- 3. initramfs ------------------------------------------------------------------
IR=$W/initramfs
rm -rf "$IR"; mkdir -p "$IR"/{bin,sbin,dev,proc,sys,tmp,mnt,out,modules,lib64,usr/bin,etc}
: > "$IR/modules/load.order"; rm -f "$W/modules.missing"
# virtio_pci is built in where it is no module (sid's packages ship no
# modules.builtin to tell); a guest without it fails to mount 9p
for m in virtio_pci netfs 9pnet 9pnet_virtio 9p; do
	modprobe -d "$KR" -S "$KVER" --show-depends "$m" 2>/dev/null ||
		[ $m = virtio_pci ] || echo "missing module $m" >> "$W/modules.missing"
done | awk '$1=="insmod"{print $2}' | awk '!seen[$0]++' > "$W/modules.list"
while read -r ko; do
	base=$(basename "$ko"); out=${base%.xz}; out=${out%.zst}; out=${out%.gz}
	case $ko in
	*.xz) xz -dc "$ko" > "$IR/modules/$out" ;;
	*.zst) zstd -qdc "$ko" > "$IR/modules/$out" ;;
	*.gz) gzip -dc "$ko" > "$IR/modules/$out" ;;
	*) cp "$ko" "$IR/modules/$out" ;;
	esac || fail "cannot decompress $ko"
	echo "$out" >> "$IR/modules/load.order"
done < "$W/modules.list"
[ -f "$W/modules.missing" ] && fail "$(cat "$W/modules.missing") in $KVER"
log "modules: $(tr '\n' ' ' < "$IR/modules/load.order")"
cp /bin/busybox "$IR/bin/busybox"
cp "$NETFS_TOP" "$IR/usr/bin/netfs-top"
# its shared libraries and the ELF interpreter, at the paths ldd names
for lib in $(ldd "$NETFS_TOP" | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i}' | sort -u); do
	mkdir -p "$IR/$(dirname "$lib")"; cp -L "$lib" "$IR/$lib"
done
cp "$HERE/guest-init.sh" "$IR/init"; chmod +x "$IR/init"
echo "$ITERATIONS" > "$IR/etc/iterations"
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) > "$W/initramfs.cpio.gz" ||
	fail "cpio failed"

# ---- 4. shares -----------------------------------------------------------------------
SH=$W/share; OUT=$W/out
rm -rf "$SH" "$OUT"; mkdir -p "$SH/small" "$OUT"
head -c $((32 << 20)) /dev/urandom > "$SH/big"
head -c $((4 << 20)) /dev/urandom > "$SH/med"
for i in $(seq 1 16); do head -c $((i * 700)) /dev/urandom > "$SH/small/f$i"; done

# ---- 5. boot ---------------------------------------------------------------------------
log "booting $KVER under qemu (TCG, timeout ${QEMU_TIMEOUT}s), console: $W/console.log"
# thread=single: one host thread runs both vCPUs in turn.  With the default
# multi-threaded TCG, qemu 7.2 let a vCPU execute a stale int3 of a
# tracepoint being disabled on the other (text_poke_bp while dd ran):
# "Oops: int3" in netfs_put_subrequest, kernel panic (seen once on 6.12).
timeout -k 10 "$QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single -cpu max -m 1024 -smp 2 \
	-kernel "$VMLINUZ" -initrd "$W/initramfs.cpio.gz" \
	-append "console=ttyS0 rdinit=/init panic=-1 loglevel=4" \
	-display none -monitor none -serial "file:$W/console.log" -no-reboot -nic none \
	-virtfs "local,path=$SH,mount_tag=data,security_model=none,id=fs0" \
	-virtfs "local,path=$OUT,mount_tag=out,security_model=none,id=fs1" \
	< /dev/null
QRC=$?
log "qemu exit $QRC"
if [ $QRC = 124 ] || [ $QRC = 137 ]; then
	tail -20 "$W/console.log"
	fail "qemu did not finish within ${QEMU_TIMEOUT}s (killed); console: $W/console.log"
fi
if grep -q 'Kernel panic' "$W/console.log"; then
	grep -E '^\[guest|Oops|BUG|RIP|Kernel panic' "$W/console.log" | head -20
	fail "guest kernel panic (console: $W/console.log)"
fi
[ -f "$OUT/status" ] || { tail -30 "$W/console.log"; fail "guest wrote no results (qemu rc $QRC); console: $W/console.log"; }

# ---- 6. checks -------------------------------------------------------------------------
python3 "$HERE/check.py" "$OUT" "$ITERATIONS"
rc=$?
log "took $(( $(date +%s) - T0 ))s; results in $OUT"
[ $rc = 0 ] || exit 1
exit 0
}
main "$@"
exit $?
