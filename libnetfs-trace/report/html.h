/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HTML report (--html FILE, docs/html.md): one self-contained page with
 * the summary, the findings and their evidence lines, a timeline of the
 * requests (SVG, zoom and pan by a small inline script), a drill-down per
 * request kept in detail, request latency per origin and bytes by source
 * over time.
 *
 * It is collected while the capture is read, through the model's hooks
 * (chained with the ones already set), in bounded memory: detail is kept for
 * requests with findings, requests in flight at the end and the slowest few
 * of each origin; every other request is one small row while there are at
 * most opts.max_rows of them, and only a per-origin density once there are
 * more.  Series over time have a fixed number of buckets that merge pairwise
 * when the capture gets longer.
 *
 *	struct nft_html *h = nft_html_new(&hopts, &model_opts.hooks);
 *	... run the model ...
 *	nft_html_write(out, h, model, &input);
 *	nft_html_free(h);
 */
#ifndef NFT_REPORT_HTML_H
#define NFT_REPORT_HTML_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"

struct nft_html_opts {
	/* -R: only this request (REQUEST/SUBREQ); NONE: every request */
	struct nft_focus focus;
	/* requests drawn one row each at most; 0 = NFT_HTML_MAX_ROWS */
	uint32_t max_rows;
	/* healthy requests kept in detail per origin; 0 = NFT_HTML_SLOWEST */
	uint32_t slowest;
};

#define NFT_HTML_MAX_ROWS 4000
#define NFT_HTML_SLOWEST 5

struct nft_html;

/*
 * A collector that takes over @hooks (the model options' hooks, before the
 * model is made) and calls the hooks that were there first.  NULL with
 * errno=ENOMEM.
 */
struct nft_html *nft_html_new(const struct nft_html_opts *opts,
			      struct nft_model_hooks *hooks);
void nft_html_free(struct nft_html *h);

/* The page, after nft_model_finish().  Returns 0, or -1 on a write error. */
int nft_html_write(FILE *out, struct nft_html *h, const struct nft_model *m,
		   const struct nft_report_input *in);

/* The same into @path (created or truncated).  0, or -1 with errno. */
int nft_html_write_file(const char *path, struct nft_html *h,
			const struct nft_model *m,
			const struct nft_report_input *in);

/* @s (at most @n bytes) with & < > " ' as entities, control bytes as '?'. */
void nft_html_escape(FILE *out, const char *s, size_t n);

#endif /* NFT_REPORT_HTML_H */
