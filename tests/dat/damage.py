#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Damage one ring-buffer page of an uncompressed trace.dat (v6 or v7).

    damage.py IN OUT PAGE_OFFSET HOW

HOW: commit-ff (the commit word all ones), commit-big (a commit size one
past the page), flags (a bit above the missed-events flags), stored (the
missed-count flag with no room for the count), last-event (the page's
last event claims to run past the committed data).  Prints how many
records that loses (what kbuffer would have read from the page past the
damage).  Little-endian, 8-byte commit word, 4096-byte pages: the layout
of struct buffer_data_page (kernel/trace/ring_buffer.c).
"""
import struct
import sys

PAGE, HDR = 4096, 16


def events(page):
    """(offset in data, type_len) of every event up to the commit size."""
    commit = struct.unpack_from('<Q', page, 8)[0] & ((1 << 27) - 1)
    at, out = 0, []
    while at < commit:
        head = struct.unpack_from('<I', page, HDR + at)[0]
        t = head & 31
        if t == 0:
            span = 8 + ((struct.unpack_from('<I', page, HDR + at + 4)[0] - 4 + 3) & ~3)
        elif t == 29:
            span = 4 + struct.unpack_from('<I', page, HDR + at + 4)[0]
        elif t >= 30:
            span = 8
        else:
            span = 4 + 4 * t
        out.append((at, t))
        at += span
    return out


def main():
    src, dst, off, how = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    d = bytearray(open(src, 'rb').read())
    page = d[off:off + PAGE]
    ev = events(page)
    records = [e for e in ev if e[1] <= 28]
    lost = len(records)
    if how == 'commit-ff':
        struct.pack_into('<Q', d, off + 8, (1 << 64) - 1)
    elif how == 'commit-big':
        struct.pack_into('<Q', d, off + 8, PAGE - HDR + 1)
    elif how == 'flags':
        word = struct.unpack_from('<Q', d, off + 8)[0]
        struct.pack_into('<Q', d, off + 8, word | (1 << 40))
    elif how == 'stored':
        struct.pack_into('<Q', d, off + 8, (PAGE - HDR) | (3 << 30))
    elif how == 'last-event':
        at, _ = records[-1]
        # type_len 0: the length word says 64 KiB follow
        struct.pack_into('<II', d, off + HDR + at, 0, 0x10000)
        lost = 1
    else:
        sys.exit('unknown damage ' + how)
    open(dst, 'wb').write(d)
    print(lost)


main()
