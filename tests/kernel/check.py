#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side checks of one check-kernel guest run (see run.sh, guest-init.sh).

usage: check.py OUT_DIR ITERATIONS

OUT_DIR holds what the guest copied out: top.json (netfs-top -b --json -d 1
-n ITERATIONS, running across the whole workload), stats-before/-after
(/proc/fs/netfs/stats around the workload), instances-* (listings of
/sys/kernel/tracing/instances), top-term.* (a second netfs-top stopped with
SIGTERM), top.rc, status.

Checks:
  - the guest got through (status "done"), netfs-top exited 0 and printed
    ITERATIONS parseable JSON lines;
  - the workload did exercise netfs (RA and WP stats deltas > 0);
  - for every stats counter the trace fully determines, what netfs-top
    counted (last line's total) >= the stats delta over the workload.  Only
    the workload did netfs I/O between the two snapshots, and netfs-top was
    tracing from before the first to after the second, so the two are
    expected equal; more in the trace is allowed (the trace window is the
    wider one), less means netfs-top missed requests;
  - the intervals add up to the total (sum of interval.requests);
  - no findings in any line (normal I/O on a healthy kernel);
  - no netfs-top-* instance left after either netfs-top exited, and each
    one had its instance while running;
  - the exporter (the first netfs-top ran with --textfile and --listen):
    its last netfs.prom has the stats deltas too (requests by origin,
    download/upload subrequests) and equals the last JSON line's totals;
    the live scrapes (classic and OpenMetrics) parse and never exceed it.
Prints a PASS/FAIL line per check, "check-kernel: PASS" or
"check-kernel: FAIL: ..." and "check-kernel: N passed, N failed" at the
end; exit 1 on any failure.
"""
import json
import subprocess
import os
import re
import sys

# stats counter -> (total section, key) counted the same way by the trace
# (the mapping of tests/corpus/stats-check.py; here nothing untraced runs
# between the snapshots, so DR/DW/DL/UL need no correction).
COUNTERS = [
    ("RA", "netfs_read", "READAHEAD", "readahead requests"),
    ("RF", "netfs_read", "READPAGE", "read_folio requests"),
    ("WB", "netfs_read", "WRITEBEGN", "write_begin reads"),
    ("DR", "netfs_read", "DIO-READ", "unbuffered/direct reads"),
    ("WP", "netfs_write", "WRITEBACK", "writeback requests"),
    ("DW", "netfs_write", "DIO-WRITE", "unbuffered/direct writes"),
    ("DL", "subrequests_by_source", "DOWN", "download subrequests"),
    ("UL", "subrequests_by_source", "UPLD", "upload subrequests"),
]
MUST_BE_NONZERO = ("RA", "WP")


def read_stats(path):
    vals = {}
    with open(path) as f:
        for line in f:
            if line.startswith("-- FS-Cache"):
                break
            for k, v in re.findall(r"(\w+)=(\d+)", line):
                vals.setdefault(k, int(v))
    return vals


def read_lines(path):
    out, bad = [], []
    try:
        with open(path) as f:
            for i, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    out.append(json.loads(line))
                except ValueError as e:
                    bad.append("%s:%d: %s" % (os.path.basename(path), i, e))
    except OSError as e:
        bad.append(str(e))
    return out, bad


def read(d, name, default=""):
    try:
        with open(os.path.join(d, name)) as f:
            return f.read().strip()
    except OSError:
        return default


def main():
    d, want_n = sys.argv[1], int(sys.argv[2])
    fails = []
    notes = []

    def check(ok, what):
        print("  %s  %s" % ("PASS" if ok else "FAIL", what))
        PASSED[0] += bool(ok)
        if not ok:
            fails.append(what)
        return ok

    kernel = read(d, "uname-r", "?")
    print("  kernel %s" % kernel)
    status = read(d, "status", "(none)")
    if not check(status == "done", "guest finished (status: %s)" % status):
        for f in ("top.err", "guest.log", "insmod.err"):
            t = read(d, f)
            if t:
                print("    --- %s\n    %s" % (f, t.replace("\n", "\n    ")))
        return finish(fails)

    top_rc = read(d, "top.rc", "?")
    check(top_rc == "0", "netfs-top -b --json -d 1 -n %d exit status %s" % (want_n, top_rc))
    err = read(d, "top.err")
    if err:
        print("    netfs-top stderr: %s" % err.replace("\n", "\n      "))
    check(read(d, "top-alive-after-workload") == "running",
          "netfs-top was still running when the workload ended "
          "(else raise ITERATIONS)")

    lines, bad = read_lines(os.path.join(d, "top.json"))
    check(not bad, "every output line is JSON%s" % ("" if not bad else ": " + "; ".join(bad[:3])))
    check(len(lines) == want_n, "%d lines for -n %d" % (len(lines), want_n))
    if not lines:
        return finish(fails)

    total = lines[-1].get("total", {})
    intervals = [l.get("interval", {}) for l in lines]
    sum_req = sum(i.get("requests", 0) for i in intervals)
    lost = sum(i.get("lost_events", 0) for i in intervals)
    check(sum_req == total.get("requests"),
          "sum of interval.requests %d == total.requests %s" % (sum_req, total.get("requests")))
    check([i.get("n") for i in intervals] == list(range(1, len(lines) + 1)),
          "intervals numbered 1..%d" % len(lines))
    print("    total: %d events, %d requests %s, %d subrequests %s, "
          "%d bytes read, %d bytes written, lost events %d" % (
              total.get("events", 0), total.get("requests", 0),
              json.dumps(total.get("requests_by_origin", {})),
              total.get("subrequests", 0),
              json.dumps(total.get("subrequests_by_source", {})),
              total.get("bytes_read", 0), total.get("bytes_written", 0), lost))
    if lost:
        notes.append("%d lost events" % lost)

    before = read_stats(os.path.join(d, "stats-before"))
    after = read_stats(os.path.join(d, "stats-after"))
    stats_req = 0
    for ctr, sec, key, what in COUNTERS:
        if ctr not in before or ctr not in after:
            continue
        delta = after[ctr] - before[ctr]
        got = total.get(sec, {}).get(key, 0)
        if ctr in MUST_BE_NONZERO:
            check(delta > 0, "workload made %s (stats %s delta %d)" % (what, ctr, delta))
        if sec != "subrequests_by_source":
            stats_req += delta
        extra = "" if got == delta else " (trace %+d)" % (got - delta)
        check(got >= delta, "%-25s stats %s delta %5d, netfs-top %s.%s %5d%s" % (
            what, ctr, delta, sec, key, got, extra))
    check(sum_req >= stats_req,
          "requests: netfs-top saw %d, stats counted %d" % (sum_req, stats_req))

    findings = [f for l in lines for f in l.get("findings", [])]
    check(not findings, "no findings (%d)" % len(findings))
    for f in findings[:10]:
        print("      %s" % json.dumps(f))
    if findings:
        witness(d, findings)

    check_exporter(d, check, total, before, after)

    pid_inst = [x for x in read(d, "instances-running").split() if x.startswith("netfs-top-")]
    check(len(pid_inst) == 1, "one netfs-top instance while running: %s" % pid_inst)
    left = [x for x in read(d, "instances-after").split() if x.startswith("netfs-top-")]
    check(not left, "no netfs-top-* instance after it exited: %s" % left)

    # the SIGTERM run
    term_rc = read(d, "top-term.rc", "?")
    running = [x for x in read(d, "instances-term-running").split() if x.startswith("netfs-top-")]
    check(len(running) == 1, "SIGTERM run: instance while running: %s" % running)
    # netfs-top cleans up, then exits 128 + the signal (netfs-top(1) SIGNALS)
    check(term_rc == "143", "SIGTERM run: exit status %s (128 + SIGTERM)" % term_rc)
    left = [x for x in read(d, "instances-term-after").split() if x.startswith("netfs-top-")]
    check(not left, "SIGTERM run: no netfs-top-* instance left: %s" % left)
    tlines, bad = read_lines(os.path.join(d, "top-term.json"))
    check(not bad and tlines, "SIGTERM run: %d JSON lines, all parseable" % len(tlines))
    treq = tlines[-1].get("total", {}).get("requests", 0) if tlines else 0
    check(treq > 0, "SIGTERM run: saw requests before it was stopped (%d)" % treq)
    tf = [f for l in tlines for f in l.get("findings", [])]
    check(not tf, "SIGTERM run: no findings (%d)" % len(tf))
    for f in tf[:10]:
        print("      %s" % json.dumps(f))
    if notes:
        print("    note: " + "; ".join(notes))
    return finish(fails)


PASSED = [0]

# stats counter -> (family, label, value) of the exporter (docs/metrics.md)
EXPORTED = [
    ("RA", "netfs_requests_total", "origin", "readahead"),
    ("RF", "netfs_requests_total", "origin", "readpage"),
    ("WB", "netfs_requests_total", "origin", "read_for_write"),
    ("DR", "netfs_requests_total", "origin", "dio_read"),
    ("WP", "netfs_requests_total", "origin", "writeback"),
    ("DW", "netfs_requests_total", "origin", "dio_write"),
    ("DL", "netfs_subrequests_total", "source", "download"),
    ("UL", "netfs_subrequests_total", "source", "upload"),
]


def read_prom(path):
    """Samples of a text exposition: [(name, {labels}, value)], or None."""
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                m = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
                if not m:
                    return None
                labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
                out.append((m.group(1), labels, float(m.group(4))))
    except OSError:
        return None
    return out


def prom_sum(samples, name, **want):
    return sum(v for n, l, v in samples
               if n == name and all(l.get(k) == x for k, x in want.items()))


def check_exporter(d, check, total, before, after):
    """The exporter's textfile and scrapes against the stats and the JSON."""
    prom = read_prom(os.path.join(d, "netfs.prom"))
    if not check(prom, "exporter: netfs.prom written and parseable"):
        return
    check(read(d, "textfile-dir") == "netfs.prom",
          "exporter: only netfs.prom in the textfile directory (%r)" %
          read(d, "textfile-dir"))
    for ctr, fam, label, value in EXPORTED:
        if ctr not in before or ctr not in after:
            continue
        delta = after[ctr] - before[ctr]
        got = prom_sum(prom, fam, **{label: value})
        check(got >= delta, "exporter: %s{%s=%s} %d >= stats %s delta %d" % (
            fam, label, value, got, ctr, delta))
    pairs = [
        ("requests ended", prom_sum(prom, "netfs_requests_total"),
         sum(total.get("requests_by_origin", {}).values())),
        ("bytes read", prom_sum(prom, "netfs_read_bytes_total"),
         total.get("bytes_read", 0)),
        ("bytes written", prom_sum(prom, "netfs_write_bytes_total", dest="server"),
         total.get("bytes_written", 0)),
        ("subrequests", prom_sum(prom, "netfs_subrequests_total"),
         total.get("subrequests", 0)),
        ("events", prom_sum(prom, "netfs_events_total"), total.get("events", 0)),
    ]
    for what, got, want in pairs:
        check(got == want, "exporter: %s %d == netfs-top's JSON total %d" % (what, got, want))
    gen = [l.get("kernel_generation") for n, l, v in prom
           if n == "netfs_exporter_build_info"]
    check(gen and gen[0] != "unknown", "exporter: kernel generation %s" % gen)
    live = read_prom(os.path.join(d, "scrape.prom"))
    if check(live, "exporter: live scrape (--listen, classic text) parseable"):
        req = prom_sum(live, "netfs_requests_total")
        check(0 < req <= prom_sum(prom, "netfs_requests_total"),
              "exporter: live scrape's %d requests, > 0 and <= the final %d" % (
                  req, prom_sum(prom, "netfs_requests_total")))
    om = read(d, "scrape.om")
    check(om.endswith("# EOF") and "# TYPE netfs_requests counter" in om,
          "exporter: live OpenMetrics scrape ends with # EOF")


def witness(d, findings):
    """What netfs-replay makes of the witness text of the same events, and
    the witness's lines of each request netfs-top blamed: a finding the
    replay does not repeat points at the live path, one it repeats at the
    model or the kernel."""
    path = os.path.join(d, "witness.txt")
    if not os.path.exists(path):
        print("    witness: none recorded")
        return
    replay = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "..", "bin", "netfs-replay")
    out = subprocess.run([replay, "--json", "--fail-on", "none", path],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         universal_newlines=True).stdout
    try:
        got = json.loads(out).get("findings", [])
    except ValueError:
        got = None
    print("    witness %s: netfs-replay finds %s" % (
        path, "?" if got is None else [(f["kind"], f["object"]) for f in got]))
    for rreq in sorted({f.get("request") for f in findings if f.get("request")})[:3]:
        lines = subprocess.run([replay, "-R", rreq, "--brief", path],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               universal_newlines=True).stdout.splitlines()
        print("    witness lines of R=%s (%d):" % (rreq, len(lines)))
        for l in lines[:80]:
            print("      " + l)


def finish(fails):
    if fails:
        print("check-kernel: FAIL: %d check(s) failed: %s" % (len(fails), fails[0]))
    else:
        print("check-kernel: PASS")
    print("check-kernel: %d passed, %d failed" % (PASSED[0], len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
