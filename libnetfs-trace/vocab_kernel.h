/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel enumerator names -> our vocabulary.
 *
 * BTF and DWARF carry the trace enums of a kernel build by their C names
 * (netfs_sreq_trace_abandoned) but not the strings __print_symbolic() prints
 * for them ("ABNDN").  This table is the bridge, written from the EM() lists
 * of include/trace/events/{netfs,fscache,cachefiles}.h of 6.1 to the newest
 * mainline, so a kernel build can be checked against what this build of the
 * tool understands before any capture is taken.
 */
#ifndef NFT_VOCAB_KERNEL_H
#define NFT_VOCAB_KERNEL_H

#include "vocab.h"

/*
 * The symbol class fed by the kernel enum type named @enum_name
 * ("netfs_sreq_trace", "netfs_io_origin", ...); -1 if it is none of ours.
 */
int nft_kenum_class(const char *enum_name);

/* The kernel enum type name that feeds @cls ("?" if out of range). */
const char *nft_kenum_name(enum nft_sym_class cls);

/*
 * The canonical value in @cls of kernel enumerator @name; 0 if this build
 * does not know it, -1 if @name is a counting sentinel (nr__netfs_io_origin)
 * that is no symbol at all.
 */
int nft_kenum_lookup(enum nft_sym_class cls, const char *name);

#endif /* NFT_VOCAB_KERNEL_H */
