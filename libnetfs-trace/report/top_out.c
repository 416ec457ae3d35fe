// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top -b: one interval as text or as one JSON line.  Everything
 * comes from the aggregator's read-only calls (top.h): the header, the
 * sorted rows and their column values, the interval's findings.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "top_out.h"
#include "report.h"
#include "libnetfs-trace/vocab.h"

/* Subrequests of the interval by where they went: server, cache, zero. */
static void by_source(const struct nft_summary *s, uint64_t *server,
		      uint64_t *cache, uint64_t *zero)
{
	*server = s->subreqs_by_source[NFT_SRC_DOWNLOAD] +
		  s->subreqs_by_source[NFT_SRC_UPLOAD];
	*cache = s->subreqs_by_source[NFT_SRC_CACHE_READ] +
		 s->subreqs_by_source[NFT_SRC_CACHE_WRITE];
	*zero = s->subreqs_by_source[NFT_SRC_ZERO];
}

/* The rows of @g sorted by @col, descending; caller frees *@rows. */
static size_t sorted_rows(const struct nft_top *t, enum nft_top_group g,
			  enum nft_top_col col, const struct nft_top_row ***rows)
{
	size_t n = nft_top_nr_rows(t, g);

	*rows = malloc((n ? n : 1) * sizeof(**rows));
	if (!*rows)
		return 0;
	return nft_top_sort_rows(t, g, col, false, NULL, *rows);
}

void nft_top_print_text(const struct nft_top *t, FILE *out,
			enum nft_top_group g, enum nft_top_col col,
			size_t max_rows)
{
	const struct nft_top_header *h = nft_top_header(t);
	const struct nft_top_row **rows;
	uint64_t sv, ca, ze;
	char rd[16], wr[16], age[16];
	size_t n, i;
	int c;

	by_source(&h->delta, &sv, &ca, &ze);
	nft_top_fmt_bytes(rd, sizeof(rd), h->delta.bytes_read / h->secs);
	nft_top_fmt_bytes(wr, sizeof(wr), h->delta.bytes_written / h->secs);
	nft_top_fmt_ns(age, sizeof(age), h->oldest_age_ns);
	fprintf(out, "netfs-top interval %" PRIu64 " (%.2fs): %.1f req/s  read %s/s  write %s/s\n",
		h->intervals, h->secs, h->delta.requests / h->secs, rd, wr);
	fprintf(out, "subreq/s server %.1f cache %.1f zero %.1f  retries/s %.1f  failures/s %.1f\n",
		sv / h->secs, ca / h->secs, ze / h->secs,
		h->delta.retries / h->secs, h->delta.failures / h->secs);
	fprintf(out, "in flight %" PRIu64 "  oldest %s  lost events %" PRIu64 "%s  findings %" PRIu64 "\n",
		h->in_flight, age, h->total.lost_events,
		h->total.lost_markers && !h->total.lost_events ? "+" : "",
		h->findings);
	for (unsigned int bit = 1; bit; bit <<= 1) {
		char note[512];

		if (h->new_notes & bit)
			fprintf(out, "note: %s\n",
				nft_note_fmt(&h->total, bit, note, sizeof(note)));
	}
	fprintf(out, "%-20s", nft_top_group_name(g));
	for (c = 1; c < NFT_TOP_COL__NR; c++)
		fprintf(out, " %8s", nft_top_col_name(c));
	fputc('\n', out);
	n = sorted_rows(t, g, col, &rows);
	for (i = 0; i < n && i < max_rows; i++) {
		fprintf(out, "%-20s", rows[i]->name);
		for (c = 1; c < NFT_TOP_COL__NR; c++) {
			double v = nft_top_value(t, rows[i], c);
			char b[16];

			if (c == NFT_TOP_COL_RD || c == NFT_TOP_COL_WR)
				nft_top_fmt_bytes(b, sizeof(b), v);
			else if (c >= NFT_TOP_COL_P50)
				nft_top_fmt_ns(b, sizeof(b), (uint64_t)v);
			else if (c == NFT_TOP_COL_REQS)
				snprintf(b, sizeof(b), "%.1f", v);
			else
				snprintf(b, sizeof(b), "%.0f", v);
			fprintf(out, " %8s", b);
		}
		fputc('\n', out);
	}
	free(rows);
	fputc('\n', out);
}

/* "interval": the header's rates over the last interval. */
static void json_interval(struct nft_jw *jw, const struct nft_top_header *h)
{
	uint64_t sv, ca, ze;

	by_source(&h->delta, &sv, &ca, &ze);
	nft_jw_object_begin(jw, "interval");
	nft_jw_u64(jw, "n", h->intervals);
	nft_jw_double(jw, "secs", h->secs, 3);
	nft_jw_ts(jw, "ts", h->now_ns);
	nft_jw_u64(jw, "events", h->delta.events);
	nft_jw_u64(jw, "requests", h->delta.requests);
	nft_jw_double(jw, "requests_per_s", h->delta.requests / h->secs, 3);
	nft_json_counts(jw, "requests_by_origin_per_s", NFT_SYMC_ORIGIN,
			h->delta.requests_by_origin, NFT_ORIGIN__NR, h->secs, 3);
	nft_jw_double(jw, "read_bytes_per_s", h->delta.bytes_read / h->secs, 1);
	nft_jw_double(jw, "write_bytes_per_s",
		      h->delta.bytes_written / h->secs, 1);
	nft_jw_object_begin(jw, "subrequests_per_s");
	nft_jw_double(jw, "server", sv / h->secs, 3);
	nft_jw_double(jw, "cache", ca / h->secs, 3);
	nft_jw_double(jw, "zero", ze / h->secs, 3);
	nft_jw_end(jw);
	nft_jw_double(jw, "retries_per_s", h->delta.retries / h->secs, 3);
	nft_jw_double(jw, "failures_per_s", h->delta.failures / h->secs, 3);
	nft_jw_u64(jw, "in_flight", h->in_flight);
	nft_jw_u64(jw, "oldest_in_flight_ns", h->oldest_age_ns);
	if (h->oldest_id)
		nft_jw_strf(jw, "oldest_in_flight", "%08x", h->oldest_id);
	else
		nft_jw_null(jw, "oldest_in_flight");
	nft_jw_u64(jw, "lost_events", h->delta.lost_events);
	nft_jw_u64(jw, "lost_markers", h->delta.lost_markers);
	nft_jw_end(jw);
}

static void json_row(struct nft_jw *jw, const struct nft_top *t,
		     const struct nft_top_row *r)
{
	nft_jw_object_begin(jw, NULL);
	nft_jw_str(jw, "key", r->name);
	nft_jw_double(jw, "requests_per_s",
		      nft_top_value(t, r, NFT_TOP_COL_REQS), 3);
	nft_jw_double(jw, "read_bytes_per_s",
		      nft_top_value(t, r, NFT_TOP_COL_RD), 1);
	nft_jw_double(jw, "write_bytes_per_s",
		      nft_top_value(t, r, NFT_TOP_COL_WR), 1);
	nft_jw_u64(jw, "requests", r->total.reqs);
	nft_jw_u64(jw, "subrequests", r->total.subreqs);
	nft_jw_u64(jw, "retries", r->total.retries);
	nft_jw_u64(jw, "failures", r->total.fails);
	nft_jw_u64(jw, "in_flight", r->in_flight);
	nft_jw_u64(jw, "p50_ns", nft_hist_quantile(&r->lat, 0.5));
	nft_jw_u64(jw, "p99_ns", nft_hist_quantile(&r->lat, 0.99));
	nft_jw_u64(jw, "max_ns", r->lat.max);
	nft_jw_end(jw);
}

void nft_top_print_json(const struct nft_top *t, FILE *out,
			enum nft_top_group g, enum nft_top_col col,
			size_t max_rows)
{
	const struct nft_top_header *h = nft_top_header(t);
	const struct nft_top_row **rows;
	uint64_t not_listed;
	struct nft_jw jw;
	size_t n, i;

	nft_jw_init(&jw, out, NFT_JW_ONE_LINE);
	nft_jw_object_begin(&jw, NULL);
	json_interval(&jw, h);
	nft_json_summary(&jw, "total", &h->total, false);
	nft_jw_str(&jw, "group", nft_top_group_name(g));
	nft_jw_array_begin(&jw, "rows");
	n = sorted_rows(t, g, col, &rows);
	for (i = 0; i < n && i < max_rows; i++)
		json_row(&jw, t, rows[i]);
	free(rows);
	nft_jw_end(&jw);
	nft_jw_array_begin(&jw, "findings");
	n = nft_top_interval_findings(t, &not_listed);
	for (i = 0; i < n; i++)
		nft_json_finding(&jw, NULL, nft_top_interval_finding(t, i));
	nft_jw_end(&jw);
	if (not_listed)
		nft_jw_u64(&jw, "findings_not_listed", not_listed);
	nft_jw_end(&jw);
	fputc('\n', out);
}
