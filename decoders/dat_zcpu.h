/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compressed per-CPU data of a trace-cmd v7 trace.dat, read one chunk
 * at a time (see dat_zcpu.c for why libtracecmd does not read it for us).
 */
#ifndef NFT_DAT_ZCPU_H
#define NFT_DAT_ZCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "decoder.h"

struct nft_dat_syms;

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

struct nft_dat_range;
/*
 * The same reader for UNCOMPRESSED cpu data (v6, or v7 without
 * compression): the @n ranges @r (one per cpu, from dat_data_ranges()) are
 * read a window of whole pages at a time with pread() into one buffer per
 * cpu, so memory stays flat and no record is allocated.  Records carry
 * their file offset, as libtracecmd's do.  NULL with errno ENOTSUP when it
 * does not apply (a range that is not whole pages inside the file, a v7
 * file whose timestamps libtracecmd converts, a compressed file), ENOMEM.
 * A v6 file's OFFSET/DATE options are not read here: the caller compares
 * the first records with libtracecmd's.
 */
struct nft_zcpu *nft_zcpu_open_raw(int fd, const struct nft_dat_range *r,
				   int n, struct tep_handle *tep,
				   struct nft_diag *diag, const char *fname);
bool nft_zcpu_is_raw(const struct nft_zcpu *z);
/*
 * Every page of a raw reader's data was found sound by nft_page_sound()
 * (tracedat.c scan_pages()): do not check each again as it is loaded (the
 * walk itself stays inside the page and its committed data regardless).
 */
void nft_zcpu_prechecked(struct nft_zcpu *z);

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

/* Does the @i-th cpu's chunk count say 0 while its data size says more? */
bool nft_zcpu_count_hides(const struct nft_zcpu *z, int i);

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
 * Empty this thread's cache of decompressed chunks (what the look-aheads of
 * nft_zcpu_check() and the record scan keep for the reader) and its spare
 * decompression context: after each file.
 */
void nft_zcpu_release(void);

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
/*
 * The same without the kallsyms (an empty list), and without the ftrace
 * formats when no record needs them (*no_ftrace says so), and then only
 * *kept of the *all other formats (nft_dat_prune_events()).  With @syms,
 * the kept formats' __print_symbolic() tables are read into it and their
 * print fmt left out where it can be (decoders/dat_syms.c).
 */
int nft_zcpu_unpack_lean(int fd, int *copy_fd, bool *no_ftrace,
			 int *kept, int *all, struct nft_dat_syms *syms);
/*
 * The same for a v7 file without compression (only its top level, no
 * latency buffer; 1 otherwise), whose cpu data our page loop reads.
 */
int nft_zcpu_unpack_lean_none(int fd, int *copy_fd, bool *no_ftrace,
			      int *kept, int *all, struct nft_dat_syms *syms);

/*
 * Event ids (common_type: < 65536) as bitmaps of NFT_DAT_IDS bits.  The
 * ids of a block of formats (a 4-byte count, each an 8-byte size and its
 * text) or of a list of systems (a 4-byte count, each a name and a block):
 * the bytes used, -1 when malformed or a format has no "ID:".
 */
#define NFT_DAT_IDS 65536
#define NFT_DAT_SCAN_MAX 10000	/* records nft_zcpu_record_ids() reads */
long long nft_dat_ftrace_ids(const unsigned char *d, uint64_t len,
			     bool big_endian, unsigned char *ids);
long long nft_dat_event_ids(const unsigned char *d, uint64_t len,
			    bool big_endian, unsigned char *ids);
/* No record of an ftrace event, and every record's event has a format. */
bool nft_dat_ftrace_unused(const unsigned char *ftrace,
			   const unsigned char *events,
			   const unsigned char *records);
/*
 * @d/@len, a list of systems, with only the formats the records use (and
 * those the decoder may look at besides: see dat_zcpu.c) into *out
 * (malloc'd): its length; -1 when it cannot be pruned safely.  *kept of
 * *all formats.  With @syms: see nft_zcpu_unpack_lean().
 */
long long nft_dat_prune_events(const unsigned char *d, uint64_t len,
			       bool big_endian, const unsigned char *records,
			       unsigned char **out, int *kept, int *all,
			       struct nft_dat_syms *syms);
/*
 * NETFS_REPLAY_DAT_FTRACE=1 keeps every format (ftrace's and the unused
 * ones) in every lean copy.
 */
bool nft_dat_drop_ftrace_ok(void);
/*
 * The id of every record of the top level's cpu data into @ids: @r/@n an
 * uncompressed file's ranges, n == 0 a compressed v7 file.  -1 when the
 * data is damaged, holds more than @max records or cannot be read.
 */
int nft_zcpu_record_ids(int fd, const struct nft_dat_range *r, int n,
			unsigned long max, unsigned char *ids);

/* What a trace.dat cut short lost, per cpu of the buffer it read. */
enum { NFT_CUT_NONE, NFT_CUT_SHORT, NFT_CUT_ALL };
enum nft_cut_where {
	NFT_CUT_WHERE_NONE,	/* not inside any buffer's cpu data */
	NFT_CUT_WHERE_TOP,	/* inside the top-level buffer's */
	NFT_CUT_WHERE_INSTANCE,	/* inside an instance's (its name is lost) */
};

struct nft_dat_cut {
	bool found;			/* the file is cut short */
	uint64_t size;			/* bytes in the file */
	enum nft_cut_where what;
	int ncpus;
	uint8_t *cpu;			/* NFT_CUT_* per cpu; malloc'd */
};

/*
 * A compressed v7 file cut short (an upload limit, a full disk): trace-cmd
 * writes the option that locates a buffer's cpu data after that data, so a
 * cut loses it and libtracecmd cannot open the file.  Rebuild it from the
 * layout trace-cmd writes (cpu i's chunks start on the page after cpu
 * i-1's; CPUSTAT says which cpus recorded nothing) into *copy_fd, an
 * unlinked copy that ends at the last whole chunk of every cpu, with the
 * option appended.  An instance cut short is dropped (its name was in the
 * lost part).  Returns 0 when the file is not cut (@cut untouched when it
 * is no compressed v7 file), 1 when *copy_fd is the mended copy (the caller
 * closes it and frees cut->cpu), -1 when it is cut where nothing can be
 * mended.
 */
int nft_zcpu_mend(int fd, int *copy_fd, struct nft_dat_cut *cut);

/* One cpu's data in the file. */
struct nft_dat_range {
	int cpu;
	uint64_t off, len;
	bool all;		/* nft_zcpu_hidden(): all of the cpu's data */
};

/*
 * The uncompressed cpu data of buffer @instance ("" = the top level) of
 * the v7 file on @fd: up to @max ranges into @r.  Returns how many (0 when
 * the buffer's data is compressed or not found), -1 when the options do
 * not parse.
 */
int nft_dat7_ranges(int fd, const char *instance, struct nft_dat_range *r,
		    int max);

/*
 * Where the v7 file on @fd ends: the end of the furthest section, options
 * section or cpu data its options point at.  0; 1 when that is past the
 * end of the file (it is cut short); -1 when the options do not parse.
 */
int nft_dat7_end(int fd, uint64_t *end);

/*
 * Compressed cpu data of buffer @instance whose chunk count stops short of
 * what its data size says (libtracecmd reads only the chunks the count
 * declares): per such cpu, where the hidden bytes start and how many.
 * Returns how many cpus (up to @max), -1 when the layout does not parse.
 */
int nft_zcpu_hidden(int fd, const char *instance, struct nft_dat_range *r,
		    int max);

/* Has CPU @cpu no record left to hand out? */
bool nft_zcpu_cpu_done(struct nft_zcpu *z, int cpu);

/*
 * After the last record: did the @i-th cpu lose records after its last
 * one (a damaged last page, a chunk that does not decompress)?
 */
bool nft_zcpu_lost_at_end_of(const struct nft_zcpu *z, int i);

/* Has a damaged page of CPU @cpu been reported? */
bool nft_zcpu_cpu_damaged(const struct nft_zcpu *z, int cpu);

/* Uncompressed bytes of CPU @cpu's chunks read so far; ~0ULL if unknown. */
unsigned long long nft_zcpu_cpu_bytes(const struct nft_zcpu *z, int cpu);

#endif /* NFT_DAT_ZCPU_H */
