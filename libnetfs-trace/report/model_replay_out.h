/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The writer of netfs-replay --model (docs/model-replay.md): one line per
 * request as the replay releases it ("R=000000e3 RA match", "departs at
 * line N: ...", "not modelled (why)") and a closing count line, or one
 * JSON document ({"version", "input", "model": [...], "model_summary"})
 * through json_writer.h.
 */
#ifndef NFT_MODEL_REPLAY_OUT_H
#define NFT_MODEL_REPLAY_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "libnetfs-trace/model_replay.h"
#include "report.h"

/* Its fields are the writer's. */
struct nft_model_out {
	FILE *out;
	bool json;
	/* read when the document starts (the first result or the end) */
	const struct nft_report_input *in;
	bool started;
	struct nft_jw jw;
};

void nft_model_out_init(struct nft_model_out *mo, FILE *out, bool json,
			const struct nft_report_input *in);

/* One request's result: the nft_replay_opts.result callback (@ctx: @mo). */
void nft_model_out_result(void *ctx, const struct nft_replay_result *res);

/* After nft_replay_finish(): the counts, and the end of the document. */
void nft_model_out_summary(struct nft_model_out *mo,
			   const struct nft_replay_stats *st,
			   const struct nft_model *m);

#endif /* NFT_MODEL_REPLAY_OUT_H */
