// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-replay --model as text or as one JSON document: the results come
 * one request at a time, as the replay releases them (the document's head
 * is written with the first), the counts at the end.
 */
#include "model_replay_out.h"
#include "libnetfs-trace/vocab.h"

void nft_model_out_init(struct nft_model_out *mo, FILE *out, bool json,
			const struct nft_report_input *in)
{
	*mo = (struct nft_model_out){ .out = out, .json = json, .in = in };
}

/* The document's head, up to the "model" array (open). */
static void model_head(struct nft_model_out *mo)
{
	if (mo->started || !mo->json)
		return;
	mo->started = true;
	nft_jw_init(&mo->jw, mo->out, NFT_JW_COMPACT);
	nft_jw_object_begin(&mo->jw, NULL);
	nft_jw_u64(&mo->jw, "version", 1);
	nft_jw_object_begin(&mo->jw, "input");
	nft_jw_str(&mo->jw, "file", mo->in->name);
	nft_jw_end(&mo->jw);
	nft_jw_array_begin(&mo->jw, "model");
}

static const char *verdict_name(enum nft_replay_verdict v)
{
	return v == NFT_REPLAY_MATCH ? "match" :
	       v == NFT_REPLAY_DEPART ? "depart" : "not-modelled";
}

void nft_model_out_result(void *ctx, const struct nft_replay_result *res)
{
	struct nft_model_out *mo = ctx;
	const char *origin = res->origin ?
		nft_sym_name(NFT_SYMC_ORIGIN, res->origin) : "--";
	int i;

	if (!mo->json) {
		fprintf(mo->out, "R=%08x %s ", res->rreq, origin);
		if (res->verdict == NFT_REPLAY_MATCH)
			fprintf(mo->out, "match\n");
		else if (res->verdict == NFT_REPLAY_DEPART)
			fprintf(mo->out, "departs at line %llu: %s #%u: kernel <%s> model <%s>\n",
				(unsigned long long)res->line, res->object,
				res->position, res->kernel, res->model);
		else
			fprintf(mo->out, "not modelled (%s)\n", res->why);
		return;
	}
	model_head(mo);
	nft_jw_line(&mo->jw);
	nft_jw_object_begin(&mo->jw, NULL);
	nft_jw_strf(&mo->jw, "request", "%08x", res->rreq);
	nft_jw_str(&mo->jw, "origin", res->origin ? origin : "");
	nft_jw_str(&mo->jw, "result", verdict_name(res->verdict));
	if (res->verdict == NFT_REPLAY_DEPART) {
		nft_jw_u64(&mo->jw, "line", res->line);
		nft_jw_str(&mo->jw, "object", res->object);
		nft_jw_u64(&mo->jw, "position", res->position);
		nft_jw_str(&mo->jw, "kernel", res->kernel);
		nft_jw_str(&mo->jw, "model", res->model);
	}
	if (res->verdict == NFT_REPLAY_NOT_MODELLED)
		nft_jw_str(&mo->jw, "why", res->why);
	nft_jw_array_begin(&mo->jw, "ignored");
	for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
		if (res->ignored & (1u << i))
			nft_jw_str(&mo->jw, NULL, nft_replay_ignore_name(i));
	nft_jw_end(&mo->jw);
	nft_jw_end(&mo->jw);
}

void nft_model_out_summary(struct nft_model_out *mo,
			   const struct nft_replay_stats *st,
			   const struct nft_model *m)
{
	int i;

	if (!mo->json) {
		fprintf(mo->out, "model: %llu requests, %llu match, %llu depart, %llu not modelled\n",
			(unsigned long long)st->requests,
			(unsigned long long)st->match,
			(unsigned long long)st->depart,
			(unsigned long long)st->not_modelled);
		return;
	}
	model_head(mo);
	nft_jw_line(&mo->jw);
	nft_jw_end(&mo->jw);
	nft_jw_object_begin(&mo->jw, "model_summary");
	nft_jw_str(&mo->jw, "kernel", nft_gen_name(nft_model_summary(m)->gen));
	nft_jw_u64(&mo->jw, "requests", st->requests);
	nft_jw_u64(&mo->jw, "match", st->match);
	nft_jw_u64(&mo->jw, "depart", st->depart);
	nft_jw_u64(&mo->jw, "not_modelled", st->not_modelled);
	nft_jw_object_begin(&mo->jw, "ignored");
	for (i = 0; i < NFT_REPLAY_IGN__NR; i++)
		nft_jw_u64(&mo->jw, nft_replay_ignore_name(i), st->ignored[i]);
	nft_jw_end(&mo->jw);
	nft_jw_end(&mo->jw);
	nft_jw_end(&mo->jw);
	fputc('\n', mo->out);
}
