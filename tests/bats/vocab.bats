#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay --vocab: the trace symbols of a kernel build that this build
# knows.  The real checks run on Debian's own modules (downloaded once by
# tests/vocab/fetch-modules.sh into a gitignored cache, skipped when apt
# can't get them); the rest runs on BTF made up here.

load helper
bats_require_minimum_version 1.5.0

VOC=$BATS_TEST_DIRNAME/../vocab

setup_file() {
	export VOCAB_FETCH_LOG=$BATS_FILE_TMPDIR/fetch.log
	if [ -n "${NFT_VOCAB_OFFLINE:-}" ]; then
		echo "skip: NFT_VOCAB_OFFLINE is set" > "$VOCAB_FETCH_LOG"
	else
		"$BATS_TEST_DIRNAME/../vocab/fetch-modules.sh" > "$VOCAB_FETCH_LOG" 2>&1 || true
	fi
}

setup() {
	T=$BATS_TEST_TMPDIR
}

# kdir SERIES: the cached module directory of that kernel series, or skip.
kdir() {
	local d
	d=$(awk -v s="$1" '$1 == "ok" && index($2, s) == 1 { print $3 }' "$VOCAB_FETCH_LOG" | tail -1)
	[ -n "$d" ] || skip "no Debian $1 modules: $(grep -v '^ok' "$VOCAB_FETCH_LOG" | tr '\n' ' ')"
	echo "$d"
}

vocab_all() {
	local args=() f
	for f in "$1"/*.ko*; do args+=(--vocab "$f"); done
	"$REPLAY" "${args[@]}"
}

@test "Debian 6.1 (netfs, fscache, cachefiles .ko): every symbol known, exit 0" {
	d=$(kdir 6.1.)
	run -0 vocab_all "$d"
	[[ $output == *"module netfs, 6.1."* ]]
	[[ $output == *"module fscache, 6.1."* ]]
	[[ $output == *"0 unknown; 19 of 23 enums found"* ]]
	# 6.1 predates the write, folio, folioq and donate traces
	[[ $output == *"found in none of these files: netfs_write_trace, netfs_folio_trace, netfs_folioq_trace, netfs_donate_trace"* ]]
	[[ $output == *"enum netfs_rreq_trace                 7 known"* ]]
	[[ $output != *UNKNOWN* ]]
}

@test "Debian 6.12 (.ko.xz): every symbol known, 6.12.y folioq traces included, exit 0" {
	d=$(kdir 6.12.)
	run -0 vocab_all "$d"
	[[ $output == *".ko.xz: module netfs, 6.12."* ]]
	# 6.12.y's own folioq table (alloc-apf ... prep-wr; 6.13 replaced
	# it with alloc-buf) is what --vocab first showed us we lacked.
	[[ $output == *"enum netfs_folioq_trace"* ]]
	[[ $output == *"summary: "*" known, 0 unknown; 23 of 23 enums found"* ]]
	[[ $output == *"enum fscache_cookie_trace            24 known"$'\n'* ]]
	[[ $output == *"enum netfs_sreq_trace                24 known"$'\n'* ]]
	[[ $output != *UNKNOWN* ]]
}

@test "Debian 7.2 (linux-modules, usr/lib/modules): every symbol known, exit 0" {
	d=$(kdir 7.2.)
	run -0 vocab_all "$d"
	[[ $output == *".ko.xz: module netfs, 7.2."* ]]
	# 7.2's own enumerator names: wait_put_ra_refs, waited_put_ra_refs,
	# netfs_folio_trace_mark_copy
	[[ $output == *"enum netfs_rreq_trace                31 known"$'\n'* ]]
	[[ $output == *"enum netfs_folio_trace               49 known"$'\n'* ]]
	[[ $output == *"summary: "*" known, 0 unknown; 23 of 23 enums found"* ]]
	[[ $output != *UNKNOWN* ]]
}

@test "Debian 6.1, 6.12 and 7.2: each kernel name maps to the string that kernel prints" {
	for s in 6.1 6.12 7.2; do
		d=$(kdir $s.)
		NFT_VOCAB_VERBOSE=1 vocab_all "$d" > "$T/v-$s.txt" || true
		run -0 python3 "$VOC/crosscheck.py" "$T/v-$s.txt" "$VOC/formats-$s.tar.xz"
		[[ $output == *", 0 disagree"* ]]
	done
}

@test "a module's own BTF needs no vmlinux; a vmlinux of another build is refused as base" {
	d=$(kdir 6.1.)
	[ -r /sys/kernel/btf/vmlinux ] || skip "no /sys/kernel/btf/vmlinux here"
	run -0 "$REPLAY" --vocab "$d/netfs.ko" --btf-base /sys/kernel/btf/vmlinux
	[[ $output == *"base BTF given does not fit this module"* ]]
	[[ $output == *"worked out from the module"* ]]
	[[ $output == *"enum netfs_sreq_trace"* ]]
}

@test "a made-up kernel with a symbol we don't know: listed, exit 1" {
	python3 "$VOC/mkbtf.py" "$T/k.btf" \
		netfs_sreq_trace=netfs_sreq_trace_free,netfs_sreq_trace_bogus_new \
		netfs_io_origin=NETFS_READAHEAD,NETFS_SOMETHING_NEW,nr__netfs_io_origin \
		unrelated=a,b
	run -1 "$REPLAY" --vocab "$T/k.btf"
	[[ $output == *"raw BTF"* ]]
	[[ $output == *"standalone"* ]]
	[[ $output == *"enum netfs_sreq_trace                 1 known, 1 UNKNOWN"* ]]
	[[ $output == *"unknown: netfs_sreq_trace_bogus_new = 1"* ]]
	[[ $output == *"unknown: NETFS_SOMETHING_NEW = 1"* ]]
	[[ $output != *nr__netfs_io_origin* ]]
	[[ $output == *"summary: 2 symbols known, 2 unknown; 2 of 23 enums found"* ]]
	[[ $output == *"this kernel emits symbols this build does not know"* ]]
}

@test "the made-up kernel fully known: exit 0" {
	python3 "$VOC/mkbtf.py" "$T/k.btf" \
		netfs_sreq_trace=netfs_sreq_trace_free,netfs_sreq_trace_resubmit_short,netfs_sreq_trace_io_progress \
		netfs_folio_trace=netfs_folio_is_uptodate,netfs_folio_trace_copy
	xz -k "$T/k.btf"
	zstd -q "$T/k.btf" -o "$T/k.btf.zst"
	for f in "$T/k.btf" "$T/k.btf.xz" "$T/k.btf.zst"; do
		run -0 "$REPLAY" --vocab "$f"
		[[ $output == *"summary: 5 symbols known, 0 unknown"* ]]
	done
}

@test "not a kernel object, no BTF, truncated BTF, usage: exit 2 with a reason" {
	echo "hello" > "$T/text"
	run -2 "$REPLAY" --vocab "$T/text"
	[[ $output == *"neither an ELF file (kernel module, vmlinux) nor raw BTF"* ]]
	run -2 "$REPLAY" --vocab /bin/true
	[[ $output == *"no BTF (.BTF section)"* ]]
	python3 "$VOC/mkbtf.py" "$T/k.btf" netfs_sreq_trace=netfs_sreq_trace_free
	head -c 40 "$T/k.btf" > "$T/short.btf"
	run -2 "$REPLAY" --vocab "$T/short.btf"
	[[ $output == *"BTF header points past the end"* ]]
	run -2 "$REPLAY" --vocab "$T/nonexistent.ko"
	[[ $output == *"No such file"* ]]
	run -2 "$REPLAY" --vocab "$T/k.btf" "$T/text"
	[[ $output == *"--vocab takes no capture"* ]]
	run -2 "$REPLAY" --btf-base "$T/k.btf" "$T/text"
	[[ $output == *"--btf-base goes with --vocab"* ]]
}
