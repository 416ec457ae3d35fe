#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-request signatures of an ftrace text capture: the ordered list of
event:symbol[r=N] steps of every request R=, and how many requests share each
signature.  Used to compare netfs-sim output with real kernel captures."""
import collections
import lzma
import re
import sys

LINE = re.compile(r'^\s*(.+?)-(\d+)\s+\[(\d+)\]\s+(\S+)\s+([\d.]+):\s+(\w+):\s+(.*)$')
RID = re.compile(r'R=([0-9a-f]{8})')
SKIP = {'netfs_folio', 'netfs_collect_folio', 'netfs_folioq',
        'netfs_read_progress_at', 'netfs_progress', 'netfs_collect',
        'netfs_collect_sreq', 'netfs_collect_state', 'netfs_collect_stream',
        'netfs_collect_gap', 'netfs_donate', 'netfs_write_iter'}


def step(ev, payload):
    p = payload.split()
    if ev in ('netfs_rreq_ref', 'netfs_sreq_ref'):
        m = re.match(r'R=\S+\s+(.*?)\s+r=(\d+)', payload)
        return '%s:%s r=%s' % (ev[6:], ' '.join(m.group(1).split()), m.group(2))
    if ev == 'netfs_rreq':
        return 'rreq:%s %s' % (p[1], p[2])
    if ev == 'netfs_sreq':
        return 'sreq:%s %s' % (p[1], p[2])
    if ev in ('netfs_read', 'netfs_write'):
        return '%s:%s' % (ev[6:], p[1])
    if ev == 'netfs_failure':
        return 'failure:%s' % payload.split()[-2]
    return ev[6:]


def signatures(path, full=False):
    op = lzma.open if path.endswith('.xz') else open
    reqs = collections.OrderedDict()
    with op(path, 'rt', errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            ev, payload = m.group(6), m.group(7)
            if not ev.startswith('netfs_') or (ev in SKIP and not full):
                continue
            r = RID.search(payload)
            if not r:
                continue
            reqs.setdefault(r.group(1), []).append(step(ev, payload))
    return reqs


def main():
    full = '--full' in sys.argv
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    reqs = signatures(args[0], full)
    count = collections.Counter(' | '.join(v) for v in reqs.values())
    for sig, n in count.most_common():
        print('%6d  %s' % (n, sig))


if __name__ == '__main__':
    main()
