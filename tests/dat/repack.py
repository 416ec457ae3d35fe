#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Re-pack the ring-buffer pages of an uncompressed v6 trace.dat with every
event encoding the kernel writes, for comparing record readers.

    repack.py IN OUT

IN: little-endian v6, 8-byte commit word, records of type_len 1..28 only
(as trace-cmd writes small records).  OUT: the same file whose pages hold
the same records (in order, same timestamps) but encoded with, here and
there, the long form (type_len 0 and a length word), a time extend before
a record (type 30), an absolute time stamp (type 31), a padding event with
a delta (a discarded event, type 29), a page that starts with a time
extend, and pages flagged RB_MISSED_EVENTS with and without a stored
count.  Records that no longer fit the cpu's pages are dropped.  Layout:
kernel/trace/ring_buffer.c (struct buffer_data_page, rb_event types).
Prints the number of records written.
"""
import struct
import sys

HDR = 16
MASK27 = (1 << 27) - 1
MISSED, STORED = 1 << 31, 1 << 30


def cpu_ranges(f, page):
    at = f.rfind(b'flyrecord\x00')
    assert at > 0
    p, out = at + 10, []
    while p + 16 <= len(f):
        off, size = struct.unpack_from('<QQ', f, p)
        if off < at or off + size > len(f) or off % page:
            break
        out.append((off, size))
        p += 16
    return out


def records(f, off, size, page):
    """(absolute ts, data bytes) of every record, in order."""
    out = []
    for q in range(off, off + size, page):
        ts = struct.unpack_from('<Q', f, q)[0]
        commit = struct.unpack_from('<Q', f, q + 8)[0] & MASK27
        a = 0
        while a < commit:
            h = struct.unpack_from('<I', f, q + HDR + a)[0]
            t, delta = h & 31, h >> 5
            if t == 30:
                ts += (struct.unpack_from('<I', f, q + HDR + a + 4)[0] << 27) + delta
                a += 8
                continue
            assert 1 <= t <= 28, 'unexpected event type %d' % t
            ts += delta
            out.append((ts, f[q + HDR + a + 4:q + HDR + a + 4 + t * 4]))
            a += 4 + t * 4
    return out


def word(t, delta):
    assert 0 <= delta <= MASK27
    return struct.pack('<I', t | (delta << 5))


def encode(i, prev, ts, data):
    """Events for record @i at @ts, the page's time being @prev."""
    delta, ev = ts - prev, b''
    if i % 11 == 5 or delta > MASK27:
        # a time extend carries the delta; the record has none
        ev += word(30, delta & MASK27) + struct.pack('<I', delta >> 27)
        delta = 0
    elif i % 17 == 9:
        # an absolute time stamp (the 5 high bits come from the page)
        ev += word(31, ts & MASK27) + struct.pack('<I', (ts >> 27) & 0xffffffff)
        delta = 0
    elif i % 13 == 7:
        # a discarded event: its delta counts, its 8 bytes are skipped
        ev += word(29, delta // 2) + struct.pack('<I', 12) + b'\xee' * 8
        delta -= delta // 2
    if i % 7 == 3:
        ev += word(0, delta) + struct.pack('<I', len(data) + 4) + data
    else:
        ev += word(len(data) // 4, delta) + data
    return ev


def main():
    src, dst = sys.argv[1], sys.argv[2]
    f = bytearray(open(src, 'rb').read())
    assert f[:10] == b'\x17\x08Dtracing' and f[10:11] == b'6', 'not a v6 file'
    assert f[12] == 0 and f[13] == 8, 'big-endian or 4-byte longs'
    page = struct.unpack_from('<I', f, 14)[0]
    room = page - HDR
    written = 0
    for off, size in cpu_ranges(bytes(f), page):
        recs = records(bytes(f), off, size, page)
        pages, i = size // page, 0
        for k in range(pages):
            q = off + k * page
            body, page_ts = b'', 0
            if i < len(recs):
                # the page's time: that of its first record (delta 0)
                page_ts = prev = recs[i][0]
                if k % 4 == 1:
                    body += word(30, 0) + struct.pack('<I', 0)
                while i < len(recs):
                    ev = encode(i, prev, *recs[i])
                    if len(body) + len(ev) > room - 8:
                        break
                    body += ev
                    prev = recs[i][0]
                    i += 1
                    written += 1
            flags = 0
            if k % 3 == 1:
                flags = MISSED
            elif k % 3 == 2:
                flags = MISSED | STORED
            pb = bytearray(page)
            struct.pack_into('<Q', pb, 0, page_ts)
            struct.pack_into('<Q', pb, 8, len(body) | flags)
            pb[HDR:HDR + len(body)] = body
            if flags & STORED:
                struct.pack_into('<Q', pb, HDR + len(body), 3 + k)
            f[q:q + page] = pb
    open(dst, 'wb').write(f)
    print(written)


if __name__ == '__main__':
    main()
