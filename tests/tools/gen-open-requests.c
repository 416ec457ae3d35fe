// SPDX-License-Identifier: GPL-2.0
/*
 * Copy of ../shared/repro/gen-open-requests.c (issue 11), the reproducer of
 * unbounded memory: tests/bats/bound.bats compiles it in its temporary
 * directory.
 */
/* gen MODE NLINES: write a tracefs text capture to stdout.
 * complete: each request NEW, read, GET SUBREQ, sreq PREP, sreq TERM, sreq PUT TERM r=0 (free), PUT SUBREQ, PUT RETURN r=0, FREE
 * open:     each request NEW r=2 + netfs_read, never completed
 * refpairs: one request, NEW then GET/PUT pairs forever
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	const char *mode = argv[1];
	unsigned long long n = strtoull(argv[2], 0, 0), i = 0, id = 1;
	static char buf[1 << 20];
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	double t = 10.0;
	const char *P = "              dd-565     [000] .....";
#define L(...) do { printf("%s %12.6f: ", P, t); printf(__VA_ARGS__); putchar('\n'); i++; t += 0.000001; } while (0)
	if (!strcmp(mode, "refpairs")) {
		L("netfs_rreq_ref: R=%08llx NEW         r=1", id);
		while (i < n) {
			L("netfs_rreq_ref: R=%08llx GET SUBREQ  r=2", id);
			L("netfs_rreq_ref: R=%08llx PUT SUBREQ  r=1", id);
		}
		return 0;
	}
	while (i < n) {
		unsigned x = (unsigned)id;
		if (!strcmp(mode, "complete")) {
			L("netfs_rreq_ref: R=%08x NEW         r=2", x);
			L("netfs_read: R=%08x DIO-READ  c=00000000 ni=534061 s=0 l=100000 sz=4000000", x);
			L("netfs_rreq_ref: R=%08x GET SUBREQ  r=3", x);
			L("netfs_sreq: R=%08x[1] DOWN PREP  f=100 s=0 0/100000 s=0 e=0", x);
			L("netfs_sreq: R=%08x[1] DOWN TERM  f=110 s=0 100000/100000 s=0 e=0", x);
			L("netfs_rreq: R=%08x DR WAKE-Q  f=03", x);
			L("netfs_sreq_ref: R=%08x[1] PUT TERM    r=1", x);
			L("netfs_collect_stream: R=%08x[0:] cto=0 ito=0", x);
			L("netfs_rreq: R=%08x DR COLLECT f=03", x);
			L("netfs_collect: R=%08x s=0-100000", x);
			L("netfs_collect_sreq: R=%08x[0:01] s=0 t=100000/100000", x);
			L("netfs_sreq: R=%08x[1] DOWN CONSM f=010 s=0 100000/100000 s=0 e=0", x);
			L("netfs_sreq_ref: R=%08x[1] PUT DONE    r=0", x);
			L("netfs_sreq: R=%08x[1] DOWN FREE  f=010 s=0 100000/100000 s=0 e=0", x);
			L("netfs_rreq_ref: R=%08x PUT SUBREQ  r=2", x);
			L("netfs_collect_stream: R=%08x[0:] cto=100000 ito=0", x);
			L("netfs_collect_state: R=%08x col=100000 cln=0 n=4", x);
			L("netfs_collect_stream: R=%08x[0:] cto=100000 ito=0", x);
			L("netfs_collect_state: R=%08x col=100000 cln=100000 n=0", x);
			L("netfs_rreq: R=%08x DR COMPLET f=03", x);
			L("netfs_rreq: R=%08x DR WAKE-IP f=02", x);
			L("netfs_rreq: R=%08x DR DONE    f=02", x);
			L("netfs_rreq_ref: R=%08x PUT WORK IP  r=1", x);
			L("netfs_rreq: R=%08x DR DONE-IP f=02", x);
			L("netfs_rreq_ref: R=%08x PUT RETURN  r=0", x);
			L("netfs_rreq: R=%08x DR FREE    f=02", x);
		} else {
			L("netfs_rreq_ref: R=%08x NEW         r=2", x);
			L("netfs_read: R=%08x DIO-READ  c=00000000 ni=534061 s=0 l=1000 sz=4000000", x);
		}
		id++;
	}
	return 0;
}
