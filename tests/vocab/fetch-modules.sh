#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch the netfs, fscache and cachefiles modules of Debian kernels into
# tests/vocab/cache/<kernel>/ for tests/bats/vocab.bats.  The packages are
# 70-110 MB, so each is downloaded once and kept (the cache is gitignored);
# only the three modules are unpacked from it.
#
# usage: tests/vocab/fetch-modules.sh [PACKAGE...]
#   default: the newest linux-image-6.1.0-*-amd64-unsigned and
#   linux-image-6.12.*-amd64-unsigned the system's apt knows about, and the
#   newest linux-modules-7.2.*-amd64 of sid or trixie-backports.  Those two
#   suites are read through a private apt configuration in the cache
#   (the system's apt sources are not touched).
# Prints one line per kernel: "ok KERNEL DIR" or "skip PACKAGE: reason".
# Exit 0 if at least one kernel is available, 1 if none.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cache=${NFT_VOCAB_CACHE:-$here/cache}
mkdir -p "$cache" || exit 1

# The private apt configuration for sid and trixie-backports.
papt=$cache/apt
PAPT="-o Dir::Etc::SourceList=$papt/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$papt/lists -o Dir::Cache=$papt"
private_apt() {
	local uri s
	[ -f "$papt/sources.list" ] && ls "$papt/lists/"*Packages* >/dev/null 2>&1 &&
		return 0
	uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uri" ] || uri=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || uri=http://deb.debian.org/debian
	mkdir -p "$papt/lists/partial" "$papt/archives/partial"
	for s in sid trixie-backports; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
	done > "$papt/sources.list"
	# shellcheck disable=SC2086
	apt-get $PAPT update >/dev/null 2>&1
}

# newest REGEX [APT-OPTIONS]
newest() {
	# shellcheck disable=SC2086
	apt-cache ${2:-} search --names-only "$1" 2>/dev/null | cut -d' ' -f1 |
		sort -V | tail -1
}

if [ $# -eq 0 ]; then
	private_apt || true
	set -- "$(newest '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$')" \
	       "$(newest '^linux-image-6\.12\.[0-9.]+\+deb[0-9]+-amd64-unsigned$')" \
	       "$(newest '^linux-modules-7\.2\.[0-9.]+\+deb[0-9]+-amd64$' "$PAPT")"
fi

got=0
for pkg in "$@"; do
	[ -n "$pkg" ] || { echo "skip: apt knows no such linux-image package"; continue; }
	deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | tail -1)
	if [ -z "$deb" ]; then
		# shellcheck disable=SC2086
		if ! (cd "$cache" && { apt-get download "$pkg" ||
			apt-get $PAPT download "$pkg"; } >/dev/null 2>&1); then
			echo "skip $pkg: apt-get download failed (offline, or not in this system's apt sources)"
			continue
		fi
		deb=$(ls "$cache/${pkg}"_*.deb 2>/dev/null | tail -1)
	fi
	kver=${pkg#linux-image-}
	kver=${kver#linux-modules-}
	kver=${kver%-unsigned}
	dir=$cache/$kver
	if [ ! -d "$dir" ]; then
		tmp=$cache/.x.$$
		mkdir -p "$tmp"
		# Only the three modules: a full dpkg-deb -x is 400+ MB.
		# Newer packages install under usr/lib/modules.
		dpkg-deb --fsys-tarfile "$deb" | (cd "$tmp" && tar -x --wildcards \
			--no-anchored \
			'lib/modules/*/kernel/fs/netfs/netfs.ko*' \
			'lib/modules/*/kernel/fs/fscache/fscache.ko*' \
			'lib/modules/*/kernel/fs/cachefiles/cachefiles.ko*' \
			2>/dev/null)
		mkdir -p "$dir"
		find "$tmp" -name '*.ko*' -exec mv {} "$dir/" \;
		rm -rf "$tmp"
	fi
	if ! ls "$dir"/netfs.ko* >/dev/null 2>&1; then
		echo "skip $pkg: no netfs module in the package"
		continue
	fi
	echo "ok $kver $dir"
	got=$((got + 1))
done
[ "$got" -gt 0 ]
