/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Unit tests of the model and its detectors: trace lines as text, parsed by
 * the ftrace text decoder and fed to a model, as netfs-replay would.
 */
#ifndef NFT_TEST_LINES_H
#define NFT_TEST_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "libnetfs-trace/model.h"

/* Not a line: a lost-everything-after marker (a trace.dat cut short). */
#define NFT_TEST_LOST_TO_END "<lost to the end>"

/*
 * How the lines are dressed before parsing.  AS_IS takes them as written;
 * the others take "event: fields" lines and add what a person's paste or
 * the tracefs file puts before them.
 */
enum nft_test_form {
	NFT_TF_AS_IS,
	NFT_TF_BARE,		/* "event: fields" */
	NFT_TF_COMM,		/* "comm: event: fields" */
	NFT_TF_COMM_PID,	/* "comm-pid: event: fields" */
	NFT_TF_FULL,		/* "comm-pid [cpu] flags secs.usecs: ..." */
	NFT_TF__NR
};

const char *nft_test_form_name(enum nft_test_form form);

struct nft_test_opts {
	enum nft_test_form form;
	const char *comm;	/* "kworker/u8:3" when NULL */
	int pid;		/* 43 when 0 */
	uint64_t base_us;	/* FULL: time of the first line (100 s if 0) */
	bool keep_raw;		/* hand each line to the model as ev.raw */
	const struct nft_model_opts *model;	/* NULL: defaults */
};

struct nft_test_result {
	struct nft_model *m;	/* the caller frees it (nft_model_free) */
	size_t n;
	const struct nft_finding *f;
	int parse_errors;
};

/*
 * Parse and feed @lines (line numbers from 1), then finish the model.
 * Lines that do not parse are counted and printed as TAP comments.  FULL
 * lines are 10 us apart.
 */
struct nft_test_result nft_test_run(const char *const *lines, size_t n,
				    const struct nft_test_opts *o);

#endif /* NFT_TEST_LINES_H */
