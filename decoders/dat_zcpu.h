/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compressed per-CPU data of a trace-cmd v7 trace.dat, read one chunk
 * at a time (see dat_zcpu.c for why libtracecmd does not read it for us).
 */
#ifndef NFT_DAT_ZCPU_H
#define NFT_DAT_ZCPU_H

#include <stdint.h>

#include "decoder.h"

struct tep_handle;
struct tep_record;
struct nft_zcpu;

/*
 * Open the CPU data of buffer instance @instance ("" = the top level) of the
 * trace.dat on @fd, whose metadata libtracecmd has already parsed into @tep.
 * @fd stays the caller's; @diag and @fname are used for damage found while
 * reading.  Returns NULL with errno ENOTSUP when this reader does not apply
 * (not v7, CPU data not compressed, an unknown compression, or timestamps
 * libtracecmd has to correct: TSC2NSEC, guest time shift), EINVAL when the
 * layout does not parse, ENOENT when there is no such instance, ENOMEM.
 * Free with nft_zcpu_close().
 */
struct nft_zcpu *nft_zcpu_open(int fd, const char *instance,
			       struct tep_handle *tep, struct nft_diag *diag,
			       const char *fname);
void nft_zcpu_close(struct nft_zcpu *z);

/*
 * The next record of all CPUs merged as tracecmd_read_next_data() merges
 * them: smallest timestamp first, the lower CPU on a tie.  Fills @rec (its
 * data stays valid until the next call; never free it).  Returns 1, or 0 at
 * the end of every CPU's data.  rec->missed_events is set on the first record
 * of a page that says events were dropped before it (-1: count not stored).
 */
int nft_zcpu_next(struct nft_zcpu *z, struct tep_record *rec);

/*
 * CPUs with data, in merge order, and the timestamp of the first record of
 * the @i-th (before any nft_zcpu_next()); -1 when it has no record.
 */
int nft_zcpu_cpus(const struct nft_zcpu *z);
int nft_zcpu_cpu(const struct nft_zcpu *z, int i);
int nft_zcpu_first_ts(const struct nft_zcpu *z, int i,
		      unsigned long long *ts);

/*
 * Before libtracecmd opens @fd: would its open survive the compressed cpu
 * data of every buffer (chunk headers in bounds, first chunk decompresses,
 * first page sane)?  libtracecmd 3.1 fails on such damage, or crashes in its
 * error path.  Returns 0 when it would (or the file is no v7 file with
 * compressed cpu data), -1 when that cannot be told (a compressed options
 * section, not a regular file), else the number of damaged cpus: then
 * *copy_fd is an unlinked temporary copy in which their data sizes are 0,
 * for libtracecmd to read the metadata from (the caller closes it), while
 * nft_zcpu_open() on @fd still reads what it can of their data.
 */
int nft_zcpu_check(int fd, int *copy_fd);

/*
 * For a compressed v7 file whose compression libtracecmd was built without
 * (Debian 12's has zstd only): *copy_fd becomes an unlinked temporary
 * uncompressed v7 file with the same metadata and options but no cpu data
 * (every cpu's size 0), for libtracecmd to open; nft_zcpu_open() on @fd
 * reads the records.  The caller closes *copy_fd.  Returns 0; 1 when the
 * compression is neither zstd nor zlib; -1 when the layout does not parse,
 * a section does not decompress or the copy cannot be written.
 */
int nft_zcpu_unpack(int fd, int *copy_fd);

/* Uncompressed bytes of CPU @cpu's chunks read so far; ~0ULL if unknown. */
unsigned long long nft_zcpu_cpu_bytes(const struct nft_zcpu *z, int cpu);

#endif /* NFT_DAT_ZCPU_H */
