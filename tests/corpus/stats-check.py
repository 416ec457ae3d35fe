#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare netfs-replay's summary of each corpus capture with the
/proc/fs/netfs/stats delta of the same workload.

The rig (../shared/rig/guest-init.sh) dumps the cumulative stats after each
workload, in run_wl order, within one boot; the delta between a workload's
dump and the previous one's is what that workload did, plus whatever ran
untraced between the two.  That is chiefly the rig copying the previous
workload's files to /out, a cache=none 9p mount: unbuffered reads and writes
(DR/DW) of one subrequest each (DL/UL).  So DL-DR and UL-DW are compared
rather than DL and UL, and DR/DW are not compared at all.  The `sync` before
each workload also writes back what the previous one left dirty or marked
for copy to the cache (WP, WR), which is reported as "untraced" rather than
as a disagreement when the stats exceed the trace.  The first workload of a
boot has no baseline and is skipped.

usage: stats-check.py NETFS_REPLAY CORPUS_DIR [--table]
Exit 1 if a counter that the trace fully determines disagrees.
"""
import json
import os
import re
import subprocess
import sys

ORDER = ("seqread smallreads bufwrite dioread diowrite mmapwrite truncate "
         "append fault_shrink fault_gone fc_read fc_write smb_seqread "
         "smb_smallreads smb_bufwrite smb_dio smb_mmap_trunc_append "
         "smb_fault_shrink smb_fault_kill smb_fsc smb_fault_killloop").split()

# stats counter -> (summary section, key): what the trace counts the same way.
# A counter is a stats key or "A-B"; the trace side likewise.
COUNTERS = {
    "RA": [("netfs_read", "READAHEAD")],
    "RF": [("netfs_read", "READPAGE")],
    "WB": [("netfs_read", "WRITEBEGN")],
    "WP": [("netfs_write", "WRITEBACK")],
    "2C": [("netfs_write", "COPY2CACH")],
    "ZR": [("subrequests_by_source", "ZERO")],
    "RD": [("subrequests_by_source", "READ")],
    "WR": [("subrequests_by_source", "WRIT")],
    "DL-DR": [("subrequests_by_source", "DOWN"),
              ("netfs_read", "DIO-READ")],
    "UL-DW": [("subrequests_by_source", "UPLD"),
              ("netfs_write", "DIO-WRITE")],
}
# Work that `sync` may flush untraced between two workloads.
FLUSHED = ("WP", "WR")


def stat_value(stats, ctr):
    parts = ctr.split("-")
    if any(p not in stats for p in parts):
        return None
    return stats[parts[0]] - sum(stats[p] for p in parts[1:])


def trace_value(summary, spec):
    vals = [summary.get(sec, {}).get(key, 0) for sec, key in spec]
    return vals[0] - sum(vals[1:])


def read_stats(path):
    vals = {}
    try:
        text = open(path).read()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("-- FS-Cache"):
            break
        for k, v in re.findall(r"(\w+)=(\d+)", line):
            vals.setdefault(k, int(v))
    return vals or None


def run_list(d):
    """Workloads that ran in this boot, in order (MANIFEST.md headings);
    some are kept out of the corpus, so a present neighbour is not enough."""
    try:
        heads = re.findall(r"^## (\S+)", open(os.path.join(d, "MANIFEST.md")).read(),
                           re.M)
    except OSError:
        return ORDER
    ran = [w for w in ORDER if w in heads]
    return ran or ORDER


def capture_of(d, wl):
    for ext in (".txt", ".txt.xz"):
        if os.path.exists(os.path.join(d, wl + ext)):
            return os.path.join(d, wl + ext)
    return None


def summary_of(replay, path):
    out = subprocess.run([replay, "--json", "--fail-on", "none", path],
                         capture_output=True, text=True)
    return json.loads(out.stdout)["summary"]


def main():
    replay, corpus = sys.argv[1], sys.argv[2]
    table = "--table" in sys.argv
    bad = 0
    rows = []
    for kdir in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, kdir)
        if not os.path.isdir(d):
            continue
        prev = None
        for wl in run_list(d):
            cur = read_stats(os.path.join(d, wl + ".netfs-stats"))
            cap = capture_of(d, wl)
            if cur is None or cap is None or prev is None:
                prev = cur
                continue
            s = summary_of(replay, cap)
            for ctr, spec in COUNTERS.items():
                a, b = stat_value(cur, ctr), stat_value(prev, ctr)
                if a is None or b is None:
                    continue
                want, got = a - b, trace_value(s, spec)
                note = ""
                if want != got and ctr in FLUSHED and want > got:
                    note = "untraced writeback"
                elif want != got:
                    note = "differs"
                    bad += 1
                if want or got:
                    rows.append((kdir, wl, ctr, want, got, note))
            prev = cur
    for r in rows:
        if table or r[5]:
            print("%-22s %-22s %-5s stats %-6d trace %-6d %s" % r)
    print("%d comparisons, %d differ" % (len(rows), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
