#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make a large trace.dat out of a small one, for benchmarks only.

  grow-dat.py IN.dat OUT.dat N

IN must be an uncompressed little-endian v6 file (trace-cmd convert
--file-version 6 -i X.dat -o IN.dat).  OUT holds every cpu's pages N times,
copy k with its page timestamps moved k spans later, so the records stay in
time order.  The events repeat (the same request ids each copy): a speed and
memory load, not a capture to analyse.
"""
import struct
import sys


def main():
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    f = open(src, 'rb').read()
    assert f[:10] == b'\x17\x08Dtracing' and f[10:11] == b'6', 'not a v6 file'
    assert f[11 + 1] == 0, 'big-endian'
    page = struct.unpack_from('<I', f, 14)[0]
    at = f.rfind(b'flyrecord\x00')
    assert at > 0
    tab = at + 10
    cpus = []
    p = tab
    while p + 16 <= len(f):
        off, size = struct.unpack_from('<QQ', f, p)
        if off < tab or off + size > len(f) or off % page:
            break
        cpus.append((off, size))
        p += 16
    assert cpus, 'no cpu data'
    first = last = None
    for off, size in cpus:
        for q in range(off, off + size, page):
            ts = struct.unpack_from('<Q', f, q)[0]
            first = ts if first is None else min(first, ts)
            last = ts if last is None else max(last, ts)
    span = (last - first) + 10 ** 9
    head = bytearray(f[:tab])
    table_end = tab + 16 * len(cpus)
    out = open(dst, 'wb')
    pos = (table_end + page - 1) // page * page
    offs = []
    for off, size in cpus:
        offs.append((pos, size * n))
        pos += size * n
        pos = (pos + page - 1) // page * page
    out.write(head)
    for o, s in offs:
        out.write(struct.pack('<QQ', o, s))
    out.write(f[table_end:table_end])
    for (off, size), (o, s) in zip(cpus, offs):
        out.seek(o)
        data = f[off:off + size]
        for k in range(n):
            buf = bytearray(data)
            for q in range(0, size, page):
                ts = struct.unpack_from('<Q', buf, q)[0]
                struct.pack_into('<Q', buf, q, ts + k * span)
            out.write(buf)
    out.truncate(pos)
    out.close()


main()
