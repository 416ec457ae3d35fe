/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Findings: what the detectors conclude, with the evidence that proves it.
 */
#ifndef NFT_FINDINGS_H
#define NFT_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X(ENUM, "kind name", default severity) -- most severe kinds first. */
#define NFT_FINDING_KINDS(X)                                                  \
	X(USE_AFTER_FREE, "use-after-free", NFT_SEV_CRITICAL)                 \
	X(OVER_READ, "over-read", NFT_SEV_CRITICAL)                           \
	X(BAD_REWIND, "bad-rewind", NFT_SEV_CRITICAL)                         \
	X(DOUBLE_UNLOCK, "double-unlock", NFT_SEV_CRITICAL)                   \
	X(EARLY_UNLOCK, "early-unlock", NFT_SEV_CRITICAL)                     \
	X(BAD_DONATION, "bad-donation", NFT_SEV_CRITICAL)                     \
	X(REF_LEAK, "ref-leak", NFT_SEV_ERROR)                                \
	X(REF_MISMATCH, "ref-mismatch", NFT_SEV_ERROR)                        \
	X(STUCK, "stuck", NFT_SEV_ERROR)                                      \
	X(BAD_CONTEXT, "bad-context", NFT_SEV_ERROR)                          \
	X(RETRY_STORM, "retry-storm", NFT_SEV_WARNING)                        \
	X(FAILURE, "failure", NFT_SEV_WARNING)

enum nft_severity {
	NFT_SEV_INFO,
	NFT_SEV_WARNING,
	NFT_SEV_ERROR,
	NFT_SEV_CRITICAL,
};

enum nft_finding_kind {
#define NFT_X(e, n, s) NFT_FIND_##e,
	NFT_FINDING_KINDS(NFT_X)
#undef NFT_X
	NFT_FIND__NR
};

struct nft_evidence {
	uint64_t pos;		/* input line (text) or record number (binary) */
	uint64_t ts_ns;
};

#define NFT_OBJECT_LEN 40

/* Evidence lines kept per finding; later ones are not added. */
#define NFT_EVIDENCE_MAX 1024

struct nft_finding {
	enum nft_finding_kind kind;
	enum nft_severity severity;
	uint32_t rreq;		/* 0 when the object is no request */
	int32_t subreq;		/* -1 when none */
	char object[NFT_OBJECT_LEN];	/* "R=000000e3[1]", "c=00000046", ... */
	char *message;		/* one line, owned by the finding */
	struct nft_evidence *evidence;	/* owned by the finding */
	size_t n_evidence;
	uint64_t ts_ns;		/* when it became certain */
	bool uncertain;		/* lost events touched the object */
};

const char *nft_finding_kind_name(enum nft_finding_kind kind);
enum nft_severity nft_finding_kind_severity(enum nft_finding_kind kind);
const char *nft_severity_name(enum nft_severity sev);

/* "ref-leak" -> kind; -1 if unknown.  Also accepts "leak", "overread". */
int nft_finding_kind_lookup(const char *name, size_t len);

/* Free what a finding owns (not the struct itself). */
void nft_finding_release(struct nft_finding *f);

#endif /* NFT_FINDINGS_H */
