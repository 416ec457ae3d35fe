#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# netfs-replay --vocab on a file with no .BTF: the trace enums are read from
# DWARF (.debug_info) instead.  The objects are compiled here with gcc.

load helper
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	command -v gcc > /dev/null || skip "no gcc"
	cat > "$T/x.c" <<'SRC'
enum netfs_sreq_trace {
	netfs_sreq_trace_abandoned,
	netfs_sreq_trace_add_donations,
	netfs_sreq_trace_made_up_new_one,
};
enum netfs_io_source {
	NETFS_SOURCE_UNKNOWN,
	NETFS_FILL_WITH_ZEROES,
	NETFS_DOWNLOAD_FROM_SERVER,
};
enum netfs_sreq_trace sreq_var;
enum netfs_io_source source_var;
SRC
}

check_dwarf_report() {
	[[ $output == *"DWARF: 1 compilation units, no .BTF section"* ]]
	[[ $output != *"BTF: "* ]]
	[[ $output == *"enum netfs_sreq_trace                 2 known, 1 UNKNOWN"$'\n'* ]]
	[[ $output == *"    unknown: netfs_sreq_trace_made_up_new_one = 2"$'\n'* ]]
	[[ $output == *"enum netfs_io_source                  3 known"$'\n'* ]]
	[[ $output == *"summary: 5 symbols known, 1 unknown; 2 of 23 enums found"* ]]
}

@test "no .BTF, DWARF from gcc -g: enums read from DWARF, the made-up one unknown, exit 1" {
	gcc -g -c -o "$T/x.o" "$T/x.c"
	run -1 "$REPLAY" --vocab "$T/x.o"
	check_dwarf_report
}

@test "DWARF in compressed sections (-gz), in DWARF 4, and in a .ko.zst" {
	gcc -g -gz -c -o "$T/z.o" "$T/x.c"
	run -1 "$REPLAY" --vocab "$T/z.o"
	check_dwarf_report
	gcc -g -gdwarf-4 -c -o "$T/x4.o" "$T/x.c"
	run -1 "$REPLAY" --vocab "$T/x4.o"
	check_dwarf_report
	command -v zstd > /dev/null || skip "no zstd"
	zstd -q -o "$T/x.ko.zst" "$T/z.o"
	run -1 "$REPLAY" --vocab "$T/x.ko.zst"
	check_dwarf_report
}

@test "no BTF and no DWARF: exit 2 with the reason" {
	gcc -c -o "$T/nodebug.o" "$T/x.c"
	run -2 "$REPLAY" --vocab "$T/nodebug.o"
	[[ $output == *"nodebug.o: no BTF (.BTF section) and no DWARF (.debug_info); build the kernel with CONFIG_DEBUG_INFO_BTF"* ]]
	[[ $output != *summary* ]]
}
