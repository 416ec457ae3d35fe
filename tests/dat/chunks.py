#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""List or damage the compressed cpu-data chunks of a trace-cmd v7 trace.dat.

  chunks.py list FILE              one line per chunk: cpu index zoffset zsize size
  chunks.py spoil FILE OUT CPU K   copy FILE to OUT with chunk K of CPU's
                                   compressed bytes (after the zstd frame
                                   header) inverted

An independent reading of the layout dat_zcpu.c reads (trace-cmd.dat.v7(5)),
for tests: little-endian files only.
"""
import struct
import sys


def cstr(b, p):
    e = b.index(b'\0', p)
    return b[p:e], e + 1


def buffers(f):
    assert f[:12] == b'\x17\x08Dtracing7\x00' and f[12] == 0, 'not a little-endian v7 file'
    p = 18
    _, p = cstr(f, p)
    _, p = cstr(f, p)
    off = struct.unpack_from('<Q', f, p)[0]
    while off:
        sid, flags, _, size = struct.unpack_from('<HHIQ', f, off)
        assert sid == 0 and not flags & 1, 'compressed options: not handled here'
        p, end, off = off + 16, off + 16 + size, 0
        while p < end:
            oid, osz = struct.unpack_from('<HI', f, p)
            d = f[p + 6:p + 6 + osz]
            p += 6 + osz
            if oid == 0:
                off = struct.unpack_from('<Q', d, 0)[0]
                break
            if oid != 3:
                continue
            name, q = cstr(d, 8)
            _, q = cstr(d, q)
            _, ncpu = struct.unpack_from('<II', d, q)
            q += 8
            cpus = []
            for _ in range(ncpu):
                cpus.append(struct.unpack_from('<IQQ', d, q))
                q += 20
            yield name.decode(), cpus


def chunks(f):
    for name, cpus in buffers(f):
        for cpu, off, size in cpus:
            if not size:
                continue
            count = struct.unpack_from('<I', f, off)[0]
            p = off + 4
            for k in range(count):
                zsize, usize = struct.unpack_from('<II', f, p)
                yield name, cpu, k, p, zsize, usize
                p += 8 + zsize


def main():
    f = open(sys.argv[2], 'rb').read()
    if sys.argv[1] == 'list':
        for name, cpu, k, p, zs, us in chunks(f):
            print(name or '-', cpu, k, p, zs, us)
        return
    out, want_cpu, want_k = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    b = bytearray(f)
    for name, cpu, k, p, zs, us in chunks(f):
        if not name and cpu == want_cpu and k == want_k:
            for i in range(p + 8 + 8, p + 8 + zs):
                b[i] ^= 0xff
            open(out, 'wb').write(b)
            return
    sys.exit('no chunk %d of cpu %d' % (want_k, want_cpu))


main()
