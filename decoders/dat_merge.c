// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat: the records of one buffer, all cpus merged by timestamp, from
 * dat_zcpu.c (compressed cpu data, and sound uncompressed cpu data) or
 * libtracecmd (NETFS_REPLAY_DAT_RAW=0 for uncompressed data; damaged
 * uncompressed pages; timestamps libtracecmd converts).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "dat_internal.h"
#include "dat_zcpu.h"

/*
 * All cpus merged by timestamp.  Not tracecmd_iterate_events(): libtracecmd
 * 1.3 leaks the records it peeked when a callback ends it early, while the
 * ones tracecmd_read_next_data() peeked are freed by tracecmd_close().
 */
void dat_for_each_record(struct dat_source *src, record_fn fn, void *data)
{
	struct tep_record *rec, zrec;
	int cpu;

	if (src->z) {
		while (nft_zcpu_next(src->z, &zrec) == 1)
			if (fn(&zrec, zrec.cpu, data) < 0)
				break;
		return;
	}
	while ((rec = tracecmd_read_next_data(src->h, &cpu))) {
		int ret = fn(rec, cpu, data);

		tracecmd_free_record(rec);
		if (ret < 0)
			break;
	}
}

/*
 * Our reader must see the records libtracecmd would: compare the first
 * record of every cpu (tracecmd_peek_data() consumes nothing).
 */
static bool same_first_records(struct nft_zcpu *z, struct tracecmd_input *h)
{
	int i, n = nft_zcpu_cpus(z);

	for (i = 0; i < n; i++) {
		struct tep_record *rec = tracecmd_peek_data(h, nft_zcpu_cpu(z, i));
		unsigned long long ts;

		/* a chunk count of 0 hides the cpu's data from libtracecmd */
		if (!rec && nft_zcpu_count_hides(z, i))
			continue;
		if (nft_zcpu_first_ts(z, i, &ts) ? rec != NULL :
		    !rec || rec->ts != ts)
			return false;
	}
	return true;
}

/*
 * Uncompressed cpu data: our page loop (dat_zcpu.c's, fed by pread()) when
 * the cpu data it finds is exactly what libtracecmd found (every cpu's
 * size) and the first record of every cpu is the same (a v6 file's
 * timestamp options are libtracecmd's to apply).  NULL: libtracecmd reads.
 */
static struct nft_zcpu *open_raw(struct tracecmd_input *h, int fd,
				 const char *instance, struct nft_diag *diag,
				 const char *fname, bool lean)
{
	struct nft_dat_range r[MAX_RANGES];
	struct tep_handle *tep = tracecmd_get_tep(h);
	const char *env = getenv("NETFS_REPLAY_DAT_RAW");
	struct nft_zcpu *z;
	int n, i, cpu, cpus = tep ? tep_get_cpus(tep) : 0;

	if ((!lean && env && !strcmp(env, "0")) || cpus <= 0)
		return NULL;
	n = dat_data_ranges(fd, instance ? instance : "", r, MAX_RANGES);
	if (n <= 0 || n == MAX_RANGES)
		return NULL;
	/*
	 * A lean copy (dat_v6_lean()): libtracecmd has no cpu data to compare
	 * with; the copy is made only of a file whose options change no
	 * timestamp and whose every page is sound.
	 */
	for (cpu = 0; !lean && cpu < cpus; cpu++) {
		unsigned long long want = tracecmd_get_cpu_file_size(h, cpu);

		for (i = 0; i < n && r[i].cpu != cpu; i++)
			;
		if (i < n ? r[i].len != want : want != 0)
			return NULL;
	}
	for (i = 0; i < n; i++)
		if (r[i].cpu < 0 || r[i].cpu >= cpus)
			return NULL;
	z = nft_zcpu_open_raw(fd, r, n, tep, diag, fname);
	if (z && !lean && !same_first_records(z, h)) {
		nft_zcpu_close(z);
		z = NULL;
	}
	return z;
}

/*
 * @fd < 0: libtracecmd only.  @blind: libtracecmd was given a copy without
 * some cpus' data, so there is nothing to compare with.
 */
void dat_source_open(struct dat_source *src, struct tracecmd_input *h,
		     int fd, bool blind, bool lean_raw, const char *instance,
		     struct nft_diag *diag, const char *fname)
{
	src->h = h;
	src->z = NULL;
	if (fd < 0)
		return;
	if (lean_raw) {
		/* libtracecmd has only the metadata: our page loop or nothing */
		src->z = open_raw(h, fd, instance, diag, fname, true);
		if (!src->z)
			nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
					"cannot read the cpu data: %s",
					strerror(errno ? errno : EINVAL));
		return;
	}
	src->z = nft_zcpu_open(fd, instance, tracecmd_get_tep(h), diag, fname);
	if (!src->z && !blind) {
		src->z = open_raw(h, fd, instance, diag, fname, false);
		return;
	}
	if (!src->z && blind)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"cannot read the damaged compressed cpu data: %s",
				strerror(errno));
	if (src->z && !blind && !same_first_records(src->z, h)) {
		nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
				"compressed cpu data read through libtracecmd: its first records differ from ours");
		nft_zcpu_close(src->z);
		src->z = NULL;
	}
}

bool dat_source_cpu_done(struct dat_source *src, int cpu)
{
	if (src->z)
		return nft_zcpu_cpu_done(src->z, cpu);
	return !tracecmd_peek_data(src->h, cpu);
}

unsigned long long dat_source_cpu_bytes(struct dat_source *src, int cpu)
{
	if (src->z)
		return nft_zcpu_cpu_bytes(src->z, cpu);
	return tracecmd_get_cpu_file_size(src->h, cpu);
}
