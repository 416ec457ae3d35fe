#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Live-path overhead: the records of each corpus trace.dat are re-cut into
# ring-buffer pages and fed through kbuffer -> tep_event.c -> model -> top
# aggregator (netfs-top --bench-pages), 5 rounds, one core.  Prints a
# markdown table row per capture: events/s per core.  Goal: >= 1 M/s.
set -eu
BIN=${NFT_BIN:-$(dirname "$0")/../bin}
CORPUS=${CORPUS:-/work/shared/corpus}
echo "| capture | pages | records | events/s/core |"
echo "| --- | --- | --- | --- |"
for dat in "$CORPUS"/*/seqread.dat "$CORPUS"/*/smb_fsc.dat "$CORPUS"/*/bufwrite.dat; do
	[ -f "$dat" ] || continue
	taskset -c 0 "$BIN/netfs-top" --bench-pages "$dat" |
	awk -v f="$(basename "$(dirname "$dat")")/$(basename "$dat")" \
		'{printf "| %s | %s | %s | %.0f |\n", f, $2, $4, $10}'
done
