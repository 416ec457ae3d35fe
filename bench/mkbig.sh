#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/mkbig.sh [LINES [OUT]]: build a large, realistic ftrace text capture
# (default 10,000,000 lines -> bench/work/big.txt) from the real 6.12 and 7.2
# captures of the shared corpus, concatenated again and again.  Each copy
# gets its own ids (R=, CR=, c=, o=, V= shifted past every id used before,
# 00000000 left alone) and its own time (shifted to start 1 ms after the
# previous copy ended), so the result reads as one long, well-formed
# capture: no id collides, time never goes back.
#
# NFT_CORPUS overrides the corpus directory (default ../shared/corpus next
# to the repository, else /work/shared/corpus).
set -eu
cd "$(dirname "$0")/.."
lines=${1:-10000000}
out=${2:-bench/work/big.txt}
corpus=${NFT_CORPUS:-}
if [ -z "$corpus" ]; then
	for d in ../shared/corpus /work/shared/corpus; do
		[ -d "$d" ] && { corpus=$d; break; }
	done
fi
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
	echo "mkbig: no corpus (set NFT_CORPUS)" >&2
	exit 2
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046
exec python3 - "$lines" "$out" $(ls "$corpus"/6.12*/*.txt.xz "$corpus"/7.2*/*.txt.xz) <<'EOF'
import lzma, re, sys

want, out, sources = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
TS = re.compile(r'(?<=\s)(\d+)\.(\d{6}):')
ID = re.compile(r'\b(CR|R|c|o|V)=([0-9a-f]{8})\b')

# One template per source: (printf format, timestamp in us, [ids]) a line.
templates = []
for path in sources:
    rows, first, last, top = [], None, 0, 0
    with lzma.open(path, 'rt', errors='replace') as f:
        for line in f:
            if line.startswith('#'):
                continue
            line = line.replace('%', '%%')
            m = TS.search(line)
            if not m:
                continue
            ts = int(m.group(1)) * 1000000 + int(m.group(2))
            first = ts if first is None else first
            last = max(last, ts)
            fmt = line[:m.start()] + '%d.%06d:' + line[m.end():]
            ids = []

            def sub(mm):
                v = int(mm.group(2), 16)
                ids.append(v)
                return mm.group(1) + ('=%08x' if v else '=00000000')

            fmt = ID.sub(sub, fmt)
            ids = [v for v in ids if v]
            top = max([top] + ids)
            rows.append((fmt, ts - first, ids))
    if rows:
        templates.append((rows, last - first, top + 1))

if not templates:
    sys.exit('mkbig: no captures found')

with open(out, 'w') as o:
    o.write('# tracer: nop\n#\n'
            '# entries-in-buffer/entries-written: %d/%d   #P:2\n#\n' % (want, want))
    n, t0, id0, copies = 0, 1000000, 0, 0
    while n < want:
        for rows, span, idspan in templates:
            buf = []
            for fmt, ts, ids in rows:
                ts += t0
                buf.append(fmt % ((ts // 1000000, ts % 1000000) +
                                  tuple(v + id0 for v in ids)))
                n += 1
                if n == want:
                    break
            o.write(''.join(buf))
            t0 += span + 1000
            id0 += idspan
            if n == want:
                break
        copies += 1
print('%s: %d event lines, %d copies of %d captures' %
      (out, n, copies, len(templates)))
EOF
