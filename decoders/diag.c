// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics: count every report, print the first few of each kind.
 *
 * A broken capture can produce the same complaint a million times, which
 * would bury everything else on the terminal.  A "kind" is the call site's
 * format string (same printf format from the same decoder = same kind of
 * problem), so no caller has to invent message ids.  After NFT_DIAG_LIMIT
 * messages of one kind for one file and one struct nft_diag, further ones
 * are still counted in notes/warnings/errors but only added to
 * diag->suppressed; the caller prints "N more ..." from that at the end.
 *
 * The per-kind counters live in a small table here rather than in struct
 * nft_diag so the public struct stays plain data.  A struct nft_diag whose
 * counters are all zero starts a fresh generation (it may be a new struct on
 * the stack at the same address).  Not thread-safe: give each thread its
 * own struct nft_diag or serialize the reports.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decoder.h"

#define NFT_DIAG_LIMIT 10
#define KIND_SLOTS 256

struct kind_count {
	const struct nft_diag *diag;
	const char *fmt;
	uint32_t file_hash;
	unsigned int count;
};

static struct kind_count kinds[KIND_SLOTS];
static struct nft_diag default_diag = { .report = nft_diag_stderr };

static const char *const level_words[] = {
	[NFT_DIAG_NOTE] = "note",
	[NFT_DIAG_WARNING] = "warning",
	[NFT_DIAG_ERROR] = "error",
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	if (!s)
		return 0;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void forget_diag(const struct nft_diag *diag)
{
	unsigned int i;

	for (i = 0; i < KIND_SLOTS; i++)
		if (kinds[i].diag == diag)
			kinds[i].diag = NULL;
}

/*
 * Bump the counter of this kind; returns the count after the bump.  A full
 * table never suppresses: losing the limit is better than losing messages.
 */
static unsigned int bump_kind(const struct nft_diag *diag, const char *fmt,
			      const char *file)
{
	uint32_t fh = hash_str(file);
	uintptr_t key = (uintptr_t)diag ^ (uintptr_t)fmt ^ fh;
	unsigned int i, h = (unsigned int)(key ^ (key >> 11)) % KIND_SLOTS;
	struct kind_count *free_slot = NULL;

	for (i = 0; i < KIND_SLOTS; i++) {
		struct kind_count *k = &kinds[(h + i) % KIND_SLOTS];

		if (!k->diag) {
			if (!free_slot)
				free_slot = k;
			continue;
		}
		if (k->diag == diag && k->fmt == fmt && k->file_hash == fh)
			return ++k->count;
	}
	if (!free_slot)
		return 1;
	free_slot->diag = diag;
	free_slot->fmt = fmt;
	free_slot->file_hash = fh;
	free_slot->count = 1;
	return 1;
}

void nft_diag_report(struct nft_diag *diag, enum nft_diag_level level,
		     const char *file, const char *where, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!diag)
		diag = &default_diag;
	if (!diag->notes && !diag->warnings && !diag->errors &&
	    !diag->suppressed)
		forget_diag(diag);

	switch (level) {
	case NFT_DIAG_NOTE:
		diag->notes++;
		break;
	case NFT_DIAG_WARNING:
		diag->warnings++;
		break;
	default:
		level = NFT_DIAG_ERROR;
		diag->errors++;
		break;
	}

	if (bump_kind(diag, fmt, file) > NFT_DIAG_LIMIT) {
		diag->suppressed++;
		return;
	}

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	if (diag->report)
		diag->report(diag->ctx, level, file, where, msg);
}

void nft_diag_stderr(void *ctx, enum nft_diag_level level, const char *file,
		     const char *where, const char *msg)
{
	/* The library names no program: the command passes its own as @ctx. */
	const char *prog = ctx, *sep = ": ";
	const char *word = "error";

	if (!prog || !*prog)
		prog = sep = "";
	if ((unsigned int)level <= NFT_DIAG_ERROR)
		word = level_words[level];

	if (file && *file && where && *where)
		fprintf(stderr, "%s%s%s:%s: %s: %s\n", prog, sep, file, where,
			word, msg);
	else if (file && *file)
		fprintf(stderr, "%s%s%s: %s: %s\n", prog, sep, file, word, msg);
	else
		fprintf(stderr, "%s%s%s: %s\n", prog, sep, word, msg);
}
