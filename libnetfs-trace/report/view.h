/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the -R views (request.c: requests and subrequests; object.c: fscache
 * and cachefiles objects) share: one table of state words for the text and
 * the JSON, ledgers and raw lines in both forms.
 */
#ifndef NFT_REPORT_VIEW_H
#define NFT_REPORT_VIEW_H

#include "report.h"

/* Text: "  @title:" then one line per ledger entry. */
void nft_view_ledger(FILE *out, const char *title, const struct nft_ledger *l);
/*
 * JSON: the members "refs": [{line, ts, what, op, printed, expected}, ...]
 * and "refs_not_kept": N of the writer's current object (@l NULL: none).
 */
void nft_view_ledger_json(struct nft_jw *jw, const struct nft_ledger *l);
/* Text: "lines (N):" and each line, or @brief: the compact pasted form. */
void nft_view_lines(FILE *out, const struct nft_model *m, bool brief);
/* JSON: the members "lines": [{line, ts, text}, ...], "lines_not_kept": N. */
void nft_view_lines_json(struct nft_jw *jw, const struct nft_model *m);

/* The fscache/cachefiles object views (object.c). */
/* -R c=<pointer>: a cookie of the fscache before 5.17.  -1 if not seen. */
int nft_report_old_cookie(FILE *out, const struct nft_model *m, bool brief,
			  bool json);
int nft_report_fsobj(FILE *out, const struct nft_model *m, bool brief,
		     bool json);

#endif /* NFT_REPORT_VIEW_H */
