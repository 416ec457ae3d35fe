#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check netfs-replay --vocab's kernel-name -> symbol mapping against the
kernel's own event formats.

BTF gives enumerator name -> value; a capture's formats.tar gives value ->
printed string (__print_symbolic tables, enum names already replaced by
numbers).  Together they are the kernel's name -> string table, which must
agree with what vocab_kernel.c maps each name to.  Reading the two from the
same kernel version is what makes the check exact.

usage: crosscheck.py VOCAB_VERBOSE_OUTPUT FORMATS_TAR
Prints each disagreement; exit 1 if there is one, 0 otherwise.
"""
import re
import sys
import tarfile

# Older spellings the vocabulary maps onto a newer canonical name.
ALIASES = {
    "GET RESUBMIT": "GET RESUBMT", "IO": "I-OK", "WT-PAUS": "--PAUSED--",
    "WAIT-Q": "WAIT-QUIESCE", "WAITED-IP": "DONE-IP",
    "WAITED-Q": "DONE-QUIESCE", "KI-COMPLETE": "KI-CMPL",
    "copy": "mark-copy",
}


def norm(s):
    return " ".join(s.split())


def kernel_tables(path):
    """{enum type: {value: string}} from every format in the tarball."""
    tables = {}
    field_re = re.compile(r"field:enum (\w+) (\w+);")
    sym_re = re.compile(r"__print_symbolic\(REC->(\w+), ((?:\{ *-?\w+, *\"[^\"]*\" *\}(?:, *)?)+)\)")
    pair_re = re.compile(r"\{ *(-?\w+), *\"([^\"]*)\" *\}")
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            if not m.name.endswith("/format"):
                continue
            text = tar.extractfile(m).read().decode(errors="replace")
            types = {f: t for t, f in field_re.findall(text)}
            for field, body in sym_re.findall(text):
                if field not in types:
                    continue
                tab = tables.setdefault(types[field], {})
                for v, s in pair_re.findall(body):
                    # Enums without TRACE_DEFINE_ENUM keep their names.
                    try:
                        tab[int(v, 0)] = norm(s)
                    except ValueError:
                        tab[v] = norm(s)
    return tables


def main():
    ours = {}
    cur = None
    enum_re = re.compile(r"^  enum (\w+) ")
    map_re = re.compile(r"^    (\w+) = (-?\d+) -> \"(.*)\"$")
    with open(sys.argv[1]) as f:
        for line in f:
            m = enum_re.match(line)
            if m:
                cur = m.group(1)
                continue
            m = map_re.match(line)
            if m and cur:
                ours.setdefault(cur, {})[int(m.group(2))] = (m.group(1), m.group(3))
    kt = kernel_tables(sys.argv[2])
    bad = checked = 0
    for enum, vals in sorted(ours.items()):
        if enum not in kt:
            continue
        for v, (name, canon) in sorted(vals.items()):
            ks = kt[enum].get(v, kt[enum].get(name))
            if ks is None:
                continue
            checked += 1
            if ALIASES.get(ks, ks) != canon:
                print(f"{enum}: {name} = {v}: kernel prints \"{ks}\", we map it to \"{canon}\"")
                bad += 1
    print(f"crosscheck: {checked} symbols checked, {bad} disagree")
    return 1 if bad or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
