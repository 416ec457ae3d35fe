#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Replay every input under tests/fuzz/regressions/ (crashes the fuzzers
# found) and every truncation point given through netfs-replay the way a
# user would meet them: tracedat/ and text/ as captures, btf/ via --vocab.
# Any exit status 0, 1 or 2 is fine; death by a signal (status >= 128, or an
# ASan report, which exits 1 after printing "ERROR: AddressSanitizer") is not.
#
# usage: tests/fuzz/replay-regressions.sh [NETFS_REPLAY]
# Prints "ok STATUS FILE" / "CRASH STATUS FILE"; exit 1 on any crash.
set -u
here=$(cd "$(dirname "$0")" && pwd)
replay=${1:-$here/../../bin/netfs-replay}
bad=0
for f in "$here"/regressions/*/*; do
	[ -f "$f" ] || continue
	case $f in
	*/README* | */SIGNATURES) continue ;;
	# print fmts compared with libtraceevent's parse: no capture to replay
	*/syms/*) continue ;;
	*/btf/*) set -- --vocab "$f" ;;
	*/compressed/*)
		# the first byte picked the reader: the file is the rest
		tmp=${TMPDIR:-/tmp}/nft-replay-compressed.$$
		tail -c +2 "$f" > "$tmp"
		set -- "$tmp" ;;
	*) set -- "$f" ;;
	esac
	err=$(timeout 60 "$replay" "$@" 2>&1 >/dev/null)
	rc=$?
	[ -n "${tmp:-}" ] && rm -f "$tmp" && tmp=
	if [ "$rc" -ge 128 ] || [ "$rc" -gt 2 ] ||
	   printf '%s' "$err" | grep -q 'ERROR: AddressSanitizer\|runtime error:'; then
		echo "CRASH $rc $f"
		bad=1
	else
		echo "ok $rc $f"
	fi
done
exit $bad
