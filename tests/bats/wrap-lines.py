#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Wrap every event line of an ftrace text capture the way mail programs and
terminals do, after the event name: MODE hard (cut at any column, nothing
lost: a terminal), word (at a blank, the blank eaten: most mail programs) or
flowed (at a blank, the blank kept at the line's end: format=flowed).
Deterministic for a SEED.  Usage: wrap-lines.py FILE MODE SEED"""
import random
import sys

path, mode, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
out = []
for line in open(path, errors="replace"):
    line = line.rstrip("\n")
    col = rnd.choice([60, 66, 72, 76, 78, 80])
    starts = [k for k in (line.find(": netfs_"), line.find(": fscache_"),
                          line.find(": cachefiles_")) if k >= 0]
    if not starts or line.startswith("#"):
        out.append(line)
        continue
    name_end = line.find(":", min(starts) + 2) + 1
    while len(line) > col and col > name_end:
        if mode == "hard":
            cut = rnd.randint(max(name_end, 1), col)
            out.append(line[:cut])
            line = line[cut:]
        else:
            sp = line.rfind(" ", name_end, col)
            if sp <= name_end:
                break
            keep = sp + 1 if mode == "flowed" else sp
            out.append(line[:keep])
            line = line[sp + 1:]
        name_end = 0
        col = rnd.choice([60, 66, 72, 76])
    out.append(line)
print("\n".join(out))
