/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Perfetto export (netfs-replay --perfetto FILE): a streaming writer of
 * Perfetto's TrackEvent protobuf format (a Trace of TracePackets: track
 * descriptors, slices, instants, counters and flows) that hooks the model
 * and writes while the capture is read.  docs/perfetto.md describes the
 * tracks; tests/perfetto/perfetto_trace.proto holds the messages written.
 *
 *	struct nft_perfetto *pf = nft_perfetto_open(&popts, &err);
 *	nft_perfetto_hook(pf, &model_opts.hooks);	(before the model is made)
 *	... run the model over the capture and finish it ...
 *	err = nft_perfetto_close(pf);
 *
 * Memory is bounded by the live objects: a request's packets wait in a
 * buffer of its own until it ends (when its origin, its flags and whether
 * a finding names it are known), then go out behind its track descriptors;
 * fscache objects, threads and counters stream directly.
 */
#ifndef NFT_PERFETTO_H
#define NFT_PERFETTO_H

#include <stdbool.h>
#include <stdint.h>

#include "../model.h"

struct nft_perfetto_opts {
	const char *path;	/* "-" = standard output */
	const char *capture;	/* the capture's name, for the root track */
	/*
	 * Several captures into one file: each its own index (0, 1, ...),
	 * which keeps the track and flow ids and the packet sequence of each
	 * apart, and @append (O_APPEND; whole packets per write, so the
	 * captures' writers can share the file).
	 */
	unsigned int index;
	bool append;
	enum nft_gen gen;	/* AUTO: guessed from the events, as the model does */
	struct nft_focus focus;	/* -R: export this object only */
};

struct nft_perfetto_stats {
	uint64_t packets, bytes;
	uint64_t requests, subrequests, findings, flows;
	uint64_t clamped;	/* events moved forward to keep time monotonic */
};

struct nft_perfetto;

/* NULL with *@err an errno (the file could not be opened, no memory). */
struct nft_perfetto *nft_perfetto_open(const struct nft_perfetto_opts *o,
				       int *err);
/*
 * Install the writer's hooks in @hooks, chaining to the ones already there
 * (called first, with their own ctx), so other hook users coexist.
 */
void nft_perfetto_hook(struct nft_perfetto *pf, struct nft_model_hooks *hooks);
/*
 * The model finished (or the run stopped): end what is still open at the
 * capture's end, write out, close.  Frees @pf.  0, or an errno (a write
 * failed, out of memory).  @st, if not NULL, gets the counts.
 */
int nft_perfetto_close(struct nft_perfetto *pf, struct nft_perfetto_stats *st);

/*
 * Several captures into one file (@append writers): create it empty first.
 * 0 or an errno; nothing to do for "-".
 */
int nft_perfetto_create(const char *path);

#endif /* NFT_PERFETTO_H */
