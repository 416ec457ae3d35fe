#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a small raw BTF file with the enums given, for tests that need a
kernel's vocabulary without downloading a kernel.

usage: mkbtf.py OUT ENUM=NAME,NAME,... [ENUM=...]
Each enum gets its names numbered from 0, after one INT type.
"""
import struct
import sys


def main():
    strs = bytearray(b"\0")

    def s(text):
        off = len(strs)
        strs.extend(text.encode() + b"\0")
        return off

    types = bytearray()
    types += struct.pack("<III", s("int"), 1 << 24, 4) + struct.pack("<I", 32)
    for arg in sys.argv[2:]:
        name, vals = arg.split("=", 1)
        vals = [v for v in vals.split(",") if v]
        types += struct.pack("<III", s(name), (6 << 24) | len(vals), 4)
        for i, v in enumerate(vals):
            types += struct.pack("<Ii", s(v), i)
    hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types),
                      len(types), len(strs))
    with open(sys.argv[1], "wb") as f:
        f.write(hdr + types + strs)


if __name__ == "__main__":
    main()
