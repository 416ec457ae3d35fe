/* SPDX-License-Identifier: GPL-2.0 */
/* Internal to the trace.dat decoder (tracedat.c, dat_*.c). */
#ifndef NFT_DAT_INTERNAL_H
#define NFT_DAT_INTERNAL_H

#include <stdbool.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "dat_zcpu.h"
#include "decoder.h"

/* Exported by libtracecmd but missing from its public header. */
const char *tracecmd_get_uname(struct tracecmd_input *handle);
unsigned long long tracecmd_get_cpu_file_size(struct tracecmd_input *handle,
					      int cpu);
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);
struct tep_record *tracecmd_peek_data(struct tracecmd_input *handle, int cpu);
bool tracecmd_compress_is_supported(const char *name, const char *version);

/* What a record callback returns to end the merge loop. */
#define ITER_STOP (-1)

/* cpu data ranges and buffers a v6 file is walked for */
#define MAX_RANGES 64

typedef int (*record_fn)(struct tep_record *rec, int cpu, void *data);

/*
 * Where the records of one buffer come from: dat_zcpu.c for compressed CPU
 * data (libtracecmd keeps every chunk it decompressed until it closes the
 * file), else libtracecmd itself.
 */
struct dat_source {
	struct tracecmd_input *h;
	struct nft_zcpu *z;
};

/* dat_merge.c */
void dat_for_each_record(struct dat_source *src, record_fn fn, void *data);
void dat_source_open(struct dat_source *src, struct tracecmd_input *h,
		     int fd, bool blind, bool lean_raw, const char *instance,
		     struct nft_diag *diag, const char *fname);
bool dat_source_cpu_done(struct dat_source *src, int cpu);
unsigned long long dat_source_cpu_bytes(struct dat_source *src, int cpu);

/* dat_layout.c */
int dat_spool(struct nft_input *in, struct nft_diag *diag, const char *fname);
void dat_explain_open_failure(struct nft_diag *diag, const char *fname,
			      int fd);
bool dat_trim_trailing(struct nft_diag *diag, const char *fname, int *fd,
		       int *spool_fd);
bool dat_check_v6(struct nft_diag *diag, const char *fname, int *fd,
		  int *spool_fd, struct nft_dat_cut *cut);
int dat_data_ranges(int fd, const char *instance, struct nft_dat_range *r,
		    int max);
int dat_v6_lean(int fd, int *copy_fd, bool *no_ftrace, int *kept,
		int *all, struct nft_dat_syms *syms);
int dat_lean_raw_copy(int fd, int *copy_fd, bool *no_ftrace, int *kept,
		      int *all, struct nft_dat_syms *syms);

/* dat_open.c */
extern bool dat_skip_kallsyms;
void dat_silence_libs(void);
struct tracecmd_input *dat_open_input(struct nft_input *in,
				      struct nft_diag *diag,
				      const char *fname, bool own_reader,
				      int *spool_fd, int *data_fd,
				      bool *lib_blind, int *lean_fd,
				      bool *lean_raw, struct nft_dat_cut *cut,
				      struct nft_dat_syms *syms);

#endif
