/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One libtraceevent record -> struct nft_event.  Shared by the trace.dat
 * decoder and the live decoder so that a record means the same thing
 * whether it came from a file or from the running kernel.
 */
#ifndef NFT_TEP_EVENT_H
#define NFT_TEP_EVENT_H

#include <stdbool.h>

#include <event-parse.h>

#include "../libnetfs-trace/event.h"

struct nft_tep_decoder;

/* What nft_tep_decode() made of a record. */
enum nft_tep_result {
	NFT_TEP_UNKNOWN = 0,	/* an event id @tep has no format for */
	NFT_TEP_OURS = 1,	/* netfs/fscache/cachefiles event, decoded */
	NFT_TEP_OTHER = 2,	/* another system's event (name, pid, ts) */
	NFT_TEP_SHORT = 3,	/* ours, but shorter than its format */
};

/* @tep must outlive the decoder. NULL with errno on failure. */
struct nft_tep_decoder *nft_tep_decoder_new(struct tep_handle *tep);
void nft_tep_decoder_free(struct nft_tep_decoder *dec);

/*
 * Fill @ev (kind, name, ts, cpu, pid, comm, irqs, fields) from @rec.  pos
 * and lost-event markers are the caller's: it knows the record order.
 * Pointers in @ev stay valid until the next call.
 */
int nft_tep_decode(struct nft_tep_decoder *dec, const struct tep_record *rec,
		   int cpu, struct nft_event *ev);

/* Is @sys one of "netfs", "fscache", "cachefiles"? */
bool nft_tep_is_our_system(const char *sys);

/*
 * Write the number of every __print_symbolic() entry of the netfs, fscache
 * and cachefiles formats that names an enum instead, for libtraceevent's
 * printing (the decoder above resolves them itself).
 */
void nft_tep_resolve_enum_names(struct tep_handle *tep);

#endif /* NFT_TEP_EVENT_H */
