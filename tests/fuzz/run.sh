#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make fuzz: build the libFuzzer targets of tests/fuzz/ with clang (ASan +
# UBSan) and run each for a bounded time, FUZZ_SECONDS (default 60) apiece.
#
#   FUZZ_SECONDS=600 tests/fuzz/run.sh [TARGET...]    targets: btf text tracedat compressed syms
#
# Seeds come from tests/fuzz/seeds/<target>/ (small real inputs, committed);
# the growing corpus lives in tests/fuzz/corpus-work/ (gitignored).  Crashes
# do not stop the run (-fork=1 -ignore_crashes=1): each crashing input is
# copied to tests/fuzz/regressions/<target>/ (one per crash site, see
# SIGNATURES there), which
# tests/bats/fuzz-regressions.bats replays through netfs-replay on every
# make check.  Exit 1 if any target found a new crash.
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${FUZZ_SECONDS:-60}
out=build-fuzz
work=tests/fuzz/corpus-work
CC=${FUZZ_CC:-clang}
PKGS="libtracecmd libtracefs libtraceevent liblzma zlib libzstd libelf libdw"

if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' |
	$CC -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then
	echo "fuzz: $CC -fsanitize=fuzzer does not work here (scripts/install-deps.sh installs clang)" >&2
	exit 2
fi

# The library once, instrumented; each target links it with its harness.
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -I. $(pkg-config --cflags $PKGS) \
-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
libs="$(pkg-config --libs $PKGS) -lm"
mkdir -p "$out/obj"
objs=
for src in libnetfs-trace/*.c libnetfs-trace/detect/*.c libnetfs-trace/report/*.c \
	   libnetfs-trace/engine/*.c decoders/*.c; do
	o=$out/obj/$(echo "$src" | tr / _).o
	if [ ! -e "$o" ] || [ "$src" -nt "$o" ]; then
		$CC $cflags -c -o "$o" "$src" || exit 2
	fi
	objs="$objs $o"
done

targets=${*:-btf text tracedat compressed syms}
found=0
for t in $targets; do
	bin=$out/fuzz_$t
	# shellcheck disable=SC2086
	$CC $cflags -fsanitize=fuzzer -o "$bin" "tests/fuzz/fuzz_$t.c" $objs $libs || exit 2
	mkdir -p "$work/$t" "$work/crashes/$t" "tests/fuzz/regressions/$t"
	maxlen=4096
	[ "$t" = tracedat ] && maxlen=65536
	[ "$t" = compressed ] && maxlen=16384
	echo "  FUZZ     $t for ${secs}s"
	LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS} \
	"$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$secs" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/crashes/$t/" "$work/$t" "tests/fuzz/seeds/$t" \
		> "$work/$t.log" 2>&1
	runs=$(grep -o '^#[0-9]*' "$work/$t.log" | tail -1)
	new=0
	sigs=tests/fuzz/regressions/$t/SIGNATURES
	touch "$sigs"
	# One input per crash site: the sanitizer's verdict and the first
	# frames of ours and of the library it died in.
	for c in "$work/crashes/$t"/crash-* "$work/crashes/$t"/timeout-* \
		 "$work/crashes/$t"/oom-* "$work/crashes/$t"/leak-*; do
		[ -e "$c" ] || continue
		sig=$(LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp \
			timeout 60 "$bin" "$c" 2>&1 | awk '
			/SUMMARY:/ && !s { s = $2 " " $3 }
			/ in [a-z_0-9]+ \/.*\/(decoders|libnetfs-trace)\// && !o { o = $4 }
			/#1 0x[0-9a-f]+ in [a-z_0-9]+ \(\/lib/ && !l { l = $4 }
			END { print s, o, l }')
		# a timeout or leak that does not come back on its own: not a site
		if [ -z "$(echo "$sig" | tr -d " ")" ] || grep -qxF "$sig" "$sigs"; then
			rm -f "$c"
			continue
		fi
		echo "$sig" >> "$sigs"
		mv "$c" "tests/fuzz/regressions/$t/"
		new=$((new + 1))
	done
	echo "  FUZZ     $t: ${runs#\#} execs in ${secs}s, $new new crash sites"
	[ "$new" -gt 0 ] && found=1
done
exit $found
