#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian 12 packages netfs-trace needs to build, test and benchmark.
# Usage: scripts/install-deps.sh [--kernel]   (--kernel adds what tests/kernel needs)
set -e
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS="build-essential pkg-config libtraceevent-dev libtracefs-dev libtracecmd-dev \
libelf-dev libdw-dev libncurses-dev liblzma-dev zlib1g-dev libzstd-dev \
bats tmux xz-utils zstd gzip trace-cmd python3 clang llvm \
chromium protobuf-compiler prometheus prometheus-node-exporter curl"
[ "${1:-}" = "--kernel" ] && PKGS="$PKGS qemu-system-x86 busybox-static cpio"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PKGS
