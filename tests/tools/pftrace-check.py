#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a netfs-replay --perfetto file's structure (python3 stdlib only).

Decodes the protobuf wire format of the TracePacket fields that
libnetfs-trace/report/perfetto.c writes (field numbers of
tests/perfetto/perfetto_trace.proto, i.e. Perfetto's own) and checks:

  - every TrackEvent's track has a TrackDescriptor earlier in the file, and
    every parent_uuid names a track declared earlier;
  - per track, timestamps never go back (in file order);
  - per track, every SLICE_BEGIN has its SLICE_END, ends match the innermost
    open slice (so slices nest), nothing is left open at the end;
  - interned names resolve (name_iid declared in the sequence's first packet,
    which has SEQ_INCREMENTAL_STATE_CLEARED);
  - every flow id occurs on at least two events.

Prints one JSON summary on stdout (requests with their subrequest tracks and
ref counter values, finding instants of the "findings" track, counts), and
the errors on stderr; exit status 1 if any.

usage: pftrace-check.py FILE.pftrace
"""
import json
import re
import sys


def varint(b, i):
    v = 0
    s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return v, i


def fields(b):
    """(field, wire, value) of one message; LEN values as bytes."""
    i = 0
    n = len(b)
    while i < n:
        tag, i = varint(b, i)
        f, w = tag >> 3, tag & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v = int.from_bytes(b[i:i + 8], "little")
            i += 8
        elif w == 2:
            ln, i = varint(b, i)
            v = b[i:i + ln]
            if len(v) != ln:
                raise ValueError("truncated length-delimited field")
            i += ln
        elif w == 5:
            v = int.from_bytes(b[i:i + 4], "little")
            i += 4
        else:
            raise ValueError("wire type %d" % w)
        yield f, w, v


def s64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def main():
    data = open(sys.argv[1], "rb").read()
    errors = []

    def err(msg):
        if len(errors) < 50:
            errors.append(msg)

    tracks = {}          # uuid -> dict
    stacks = {}          # uuid -> [names]
    last_ts = {}         # uuid -> ts
    flows = {}           # id -> count
    ev_names = {}        # (seq, iid) -> name
    da_names = {}
    cleared = set()
    findings = []
    counters = {}        # uuid -> [values]
    slices = 0
    instants = 0
    packets = 0

    for f, w, pkt in fields(data):
        if f != 1 or w != 2:
            err("Trace field %d wire %d is not a packet" % (f, w))
            continue
        packets += 1
        p = {"ts": None, "seq": 0, "flags": 0}
        te = td = interned = None
        for pf, pw, pv in fields(pkt):
            if pf == 8:
                p["ts"] = pv
            elif pf == 10:
                p["seq"] = pv
            elif pf == 13:
                p["flags"] = pv
            elif pf == 11:
                te = pv
            elif pf == 60:
                td = pv
            elif pf == 12:
                interned = pv
        seq = p["seq"]
        if not seq:
            err("packet %d without trusted_packet_sequence_id" % packets)
        if p["flags"] & 1:
            cleared.add(seq)
        if interned is not None:
            if seq not in cleared:
                err("interned data before SEQ_INCREMENTAL_STATE_CLEARED")
            for f2, _, v2 in fields(interned):
                d = dict((a, b) for a, _, b in fields(v2))
                name = d.get(2, b"").decode("utf-8", "replace")
                if f2 == 2:
                    ev_names[(seq, d.get(1))] = name
                elif f2 == 3:
                    da_names[(seq, d.get(1))] = name
        if td is not None:
            d = {"name": "", "parent": 0, "counter": False, "thread": False}
            for tf, _, tv in fields(td):
                if tf == 1:
                    d["uuid"] = tv
                elif tf == 2:
                    d["name"] = tv.decode("utf-8", "replace")
                elif tf == 5:
                    d["parent"] = tv
                elif tf == 8:
                    d["counter"] = True
                elif tf == 4:
                    d["thread"] = True
            u = d.get("uuid")
            if not u:
                err("track descriptor without uuid")
                continue
            if u in tracks:
                err("track %x declared twice (%s)" % (u, d["name"]))
            if d["parent"] and d["parent"] not in tracks:
                err("track %s: parent %x not declared before" %
                    (d["name"], d["parent"]))
            tracks[u] = d
            continue
        if te is None:
            continue
        e = {"type": 0, "track": 0, "name": None, "flows": [], "tflows": [],
             "counter": None, "args": {}}
        for ef, _, ev in fields(te):
            if ef == 9:
                e["type"] = ev
            elif ef == 11:
                e["track"] = ev
            elif ef == 23:
                e["name"] = ev.decode("utf-8", "replace")
            elif ef == 10:
                if (seq, ev) not in ev_names:
                    err("event name_iid %d not interned" % ev)
                e["name"] = ev_names.get((seq, ev), "?")
            elif ef == 30:
                e["counter"] = s64(ev)
            elif ef == 47:
                e["flows"].append(ev)
            elif ef == 48:
                e["tflows"].append(ev)
            elif ef == 4:
                k = None
                val = None
                for af, _, av in fields(ev):
                    if af == 1:
                        if (seq, av) not in da_names:
                            err("annotation name_iid %d not interned" % av)
                        k = da_names.get((seq, av), "?")
                    elif af == 10:
                        k = av.decode()
                    elif af == 6:
                        val = av.decode("utf-8", "replace")
                    elif af in (2, 3):
                        val = av
                    elif af == 4:
                        val = s64(av)
                e["args"][k] = val
        if p["flags"] & 2 and seq not in cleared:
            err("SEQ_NEEDS_INCREMENTAL_STATE before the state was cleared")
        u = e["track"]
        if u not in tracks:
            err("event on undeclared track %x" % u)
            continue
        ts = p["ts"]
        if ts is None:
            err("track event without timestamp on %s" % tracks[u]["name"])
            continue
        if ts < last_ts.get(u, 0):
            err("time goes back on track %s: %d after %d" %
                (tracks[u]["name"], ts, last_ts[u]))
        last_ts[u] = ts
        for fl in e["flows"] + e["tflows"]:
            flows[fl] = flows.get(fl, 0) + 1
        t = e["type"]
        if t == 1:
            slices += 1
            stacks.setdefault(u, []).append(e["name"])
        elif t == 2:
            if not stacks.get(u):
                err("SLICE_END without a slice on %s" % tracks[u]["name"])
            else:
                stacks[u].pop()
        elif t == 3:
            instants += 1
            if tracks[u]["name"] == "findings":
                findings.append({"name": e["name"], "args": e["args"],
                                 "flows": len(e["tflows"])})
        elif t == 4:
            if not tracks[u]["counter"]:
                err("counter value on a slice track %s" % tracks[u]["name"])
            counters.setdefault(u, []).append(e["counter"])
        else:
            err("event type %d" % t)

    for u, st in stacks.items():
        if st:
            err("%d slices left open on %s (%s)" %
                (len(st), tracks[u]["name"], st[-1]))
    for fl, n in flows.items():
        if n < 2:
            err("flow %x has one end only" % fl)

    reqs = {}
    req_re = re.compile(r"^R=([0-9a-f]{8}) (\S+)")
    sreq_re = re.compile(r"^R=([0-9a-f]{8})\[([0-9a-f]+)\]$")
    by_uuid = {}
    for u, d in tracks.items():
        m = req_re.match(d["name"])
        if m:
            r = reqs.setdefault(m.group(1), [])
            inc = {"track": d["name"], "subrequests": [], "refs": []}
            r.append(inc)
            by_uuid[u] = inc
    for u, d in tracks.items():
        m = sreq_re.match(d["name"])
        if m and d["parent"] in by_uuid:
            by_uuid[d["parent"]]["subrequests"].append(m.group(2))
        elif m:
            err("subrequest track %s not under a request track" % d["name"])
        if d["name"] == "ref" and d["parent"] in by_uuid:
            by_uuid[d["parent"]]["refs"] = counters.get(u, [])
    json.dump({"packets": packets, "tracks": len(tracks),
               "slices": slices, "instants": instants,
               "flows": len(flows), "requests": reqs,
               "findings": findings,
               "threads": sum(1 for d in tracks.values() if d["thread"])},
              sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    for e in errors:
        sys.stderr.write("pftrace-check: %s\n" % e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
