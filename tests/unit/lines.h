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

/*
 * The lines the tests share: a thread and the collector's work item, and a
 * clean 7.2 readahead R=e7 with one subrequest in parts (HEAD: birth and the
 * subrequest's ref; TERM: it terminates; TAIL: collection and completion;
 * FREE: the last put and the free), then unrelated complete activity 10 s
 * later (the trace "went on").
 */
#define NFT_TEST_T(ts, line) "dd-418 [000] ..... " ts ": " line
#define NFT_TEST_K(ts, line) "kworker/u8:1-29 [001] ..... " ts ": " line

#define NFT_TEST_E7_HEAD                                                       \
	NFT_TEST_T("17.349152", "netfs_rreq_ref: R=000000e7 NEW         r=2"),          \
	NFT_TEST_T("17.349641", "netfs_read: R=000000e7 READAHEAD c=00000000 ni=534061 s=0 l=20000 sz=4000000"), \
	NFT_TEST_T("17.350545", "netfs_rreq_ref: R=000000e7 GET SUBREQ  r=3")
#define NFT_TEST_E7_TERM                                                       \
	NFT_TEST_T("17.352259", "netfs_sreq: R=000000e7[1] DOWN TERM  f=112 s=0 20000/20000 s=0 e=0"), \
	NFT_TEST_T("17.352455", "netfs_sreq_ref: R=000000e7[1] PUT TERM    r=1")
#define NFT_TEST_E7_TAIL                                                       \
	NFT_TEST_K("17.352557", "netfs_rreq_ref: R=000000e7 SEE WORK    r=3"),          \
	NFT_TEST_T("17.352859", "netfs_rreq_ref: R=000000e7 PUT RETURN  r=2"),          \
	NFT_TEST_K("17.354044", "netfs_sreq: R=000000e7[1] DOWN CONSM f=012 s=0 20000/20000 s=0 e=0"), \
	NFT_TEST_K("17.354084", "netfs_sreq_ref: R=000000e7[1] PUT DONE    r=0"),       \
	NFT_TEST_K("17.354110", "netfs_sreq: R=000000e7[1] DOWN FREE  f=012 s=0 20000/20000 s=0 e=0"), \
	NFT_TEST_K("17.354125", "netfs_rreq_ref: R=000000e7 PUT SUBREQ  r=1"),          \
	NFT_TEST_K("17.354433", "netfs_rreq: R=000000e7 RA WAKE-IP f=102"),             \
	NFT_TEST_K("17.354461", "netfs_rreq: R=000000e7 RA DONE    f=102")
#define NFT_TEST_E7_FREE                                                       \
	NFT_TEST_K("17.354538", "netfs_rreq_ref: R=000000e7 PUT WORK IP  r=0"),         \
	NFT_TEST_K("17.354607", "netfs_rreq: R=000000e7 RA FREE    f=102")
#define NFT_TEST_LATER                                                         \
	NFT_TEST_T("27.000000", "netfs_rreq_ref: R=000000f0 NEW         r=2"),          \
	NFT_TEST_T("27.000010", "netfs_rreq_ref: R=000000f0 PUT RETURN  r=1"),          \
	NFT_TEST_T("27.000020", "netfs_rreq_ref: R=000000f0 PUT WORK IP  r=0"),         \
	NFT_TEST_T("27.000030", "netfs_rreq: R=000000f0 RA FREE    f=102")

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
