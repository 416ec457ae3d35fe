// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top --stats-only output: JSON lines and Prometheus text, from the
 * samples nft_procstats_emit() produces (so they carry the same names as
 * the OpenMetrics exposition).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "openmetrics.h"
#include "procstats_out.h"

static void json_sample(void *ctx, const char *family, int type,
			const char *help, const char *label_name,
			const char *label_value, uint64_t value)
{
	struct nft_jw *jw = ctx;
	char name[96];

	(void)help;
	snprintf(name, sizeof(name), "%s%s", family,
		 type == NFT_PS_COUNTER ? "_total" : "");
	nft_jw_object_begin(jw, NULL);
	nft_jw_str(jw, "name", name);
	nft_jw_str(jw, "type", type == NFT_PS_COUNTER ? "counter" : "gauge");
	nft_jw_object_begin(jw, "labels");
	if (label_name)
		nft_jw_str(jw, label_name, label_value);
	nft_jw_end(jw);
	nft_jw_u64(jw, "value", value);
	nft_jw_end(jw);
}

void nft_procstats_print_json(const struct nft_procstats *ps, FILE *out,
			      unsigned long interval, const char *source)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} feats[] = {
		{ NFT_PS_HAVE_NETFS, "netfs" },
		{ NFT_PS_HAVE_FSCACHE, "fscache" },
		{ NFT_PS_OLD_LABELS, "old_labels" },
		{ NFT_PS_LEGACY_FSCACHE, "legacy_fscache" },
	};
	struct nft_procstats_totals t;
	struct nft_jw jw;
	size_t i;

	nft_procstats_totals(ps, &t);
	nft_jw_init(&jw, out, NFT_JW_COMPACT);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_u64(&jw, "interval", interval);
	nft_jw_str(&jw, "source", source);
	nft_jw_bool(&jw, "up", ps->up);
	nft_jw_array_begin(&jw, "features");
	for (i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		if (ps->features & feats[i].bit)
			nft_jw_str(&jw, NULL, feats[i].name);
	nft_jw_end(&jw);
	nft_jw_u64(&jw, "parse_errors", ps->parse_errors);
	nft_jw_object_begin(&jw, "totals");
	nft_jw_u64(&jw, "read_requests", t.read_requests);
	nft_jw_u64(&jw, "write_requests", t.write_requests);
	nft_jw_u64(&jw, "download_subreqs", t.download_subreqs);
	nft_jw_u64(&jw, "cache_read_subreqs", t.cache_read_subreqs);
	nft_jw_u64(&jw, "upload_subreqs", t.upload_subreqs);
	nft_jw_u64(&jw, "cache_write_subreqs", t.cache_write_subreqs);
	nft_jw_u64(&jw, "zero_subreqs", t.zero_subreqs);
	if (t.have_objs) {
		nft_jw_i64(&jw, "live_requests", t.live_requests);
		nft_jw_i64(&jw, "live_subrequests", t.live_subrequests);
	}
	nft_jw_end(&jw);
	nft_jw_array_begin(&jw, "samples");
	nft_procstats_emit(ps, json_sample, &jw);
	nft_jw_end(&jw);
	nft_jw_end(&jw);
	fputc('\n', out);
}

void nft_procstats_print_prom(const struct nft_procstats *ps, FILE *out)
{
	struct nft_om w;

	nft_om_init(&w, out, NFT_OM_CLASSIC);
	nft_procstats_emit(ps, nft_om_emit_cb, &w);
	nft_om_end(&w);
}

/*
 * A source of nft_metrics (nft_metrics_add_source()): the stats file read
 * afresh at each scrape or textfile write, so its counters are the kernel's
 * of that moment.
 */
void nft_procstats_om_source(void *ctx, struct nft_om *w)
{
	struct nft_procstats_source *src = ctx;

	nft_procstats_read(src->path, &src->ps);	/* fails: up 0 */
	nft_procstats_emit(&src->ps, nft_om_emit_cb, w);
}
