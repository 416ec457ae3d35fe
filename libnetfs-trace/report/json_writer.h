/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one JSON writer (git's json-writer.h in spirit): every JSON document
 * netfs-trace prints goes through it, so commas, nesting and escaping live
 * here only.
 *
 *	struct nft_jw jw;
 *
 *	nft_jw_init(&jw, stdout, NFT_JW_COMPACT);
 *	nft_jw_object_begin(&jw, NULL);
 *	nft_jw_str(&jw, "kernel", "6.12");
 *	nft_jw_array_begin(&jw, "findings");
 *	nft_jw_object_begin(&jw, NULL);	(an array element: no key)
 *	...
 *	nft_jw_end(&jw);		(closes the innermost object or array)
 *	nft_jw_end(&jw);
 *	nft_jw_end(&jw);
 *
 * A key is given for members of an object and must be NULL for elements of
 * an array (and for the top-level value).  Strings are escaped as JSON
 * requires; bytes >= 0x7f are written as \u00XX (captures are not UTF-8
 * text), so every document is ASCII.
 *
 * NFT_JW_PRETTY indents each member on its own line (two spaces a level);
 * NFT_JW_COMPACT writes everything on one line with ", " and ": " as
 * separators (one document per line, for --json streams).  nft_jw_line()
 * breaks the line before the next member in compact mode too, for documents
 * that group related keys on one line each (the break also goes before the
 * closing bracket if asked just before nft_jw_end()).  NFT_JW_ONE_LINE is
 * NFT_JW_COMPACT that ignores nft_jw_line(): the same document as JSON
 * Lines.  NFT_JW_TIGHT is NFT_JW_ONE_LINE without the spaces ("," and ":").
 *
 * A value that has already been written as JSON (by this writer, into a
 * memory stream) is spliced in with nft_jw_raw().
 */
#ifndef NFT_JSON_WRITER_H
#define NFT_JSON_WRITER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NFT_JW_MAX_DEPTH 32

enum nft_jw_style {
	NFT_JW_COMPACT,
	NFT_JW_PRETTY,
	NFT_JW_ONE_LINE,
	NFT_JW_TIGHT,
};

struct nft_jw {
	FILE *out;
	enum nft_jw_style style;
	int depth;
	bool open_array[NFT_JW_MAX_DEPTH];	/* array (true) or object */
	bool has_member[NFT_JW_MAX_DEPTH];	/* a comma comes next */
	bool line_break;			/* nft_jw_line() was asked */
	bool overflow;				/* deeper than MAX_DEPTH */
};

void nft_jw_init(struct nft_jw *jw, FILE *out, enum nft_jw_style style);

void nft_jw_object_begin(struct nft_jw *jw, const char *key);
void nft_jw_array_begin(struct nft_jw *jw, const char *key);
/* Close the innermost object or array. */
void nft_jw_end(struct nft_jw *jw);

void nft_jw_str(struct nft_jw *jw, const char *key, const char *s);
/* A string of at most @n bytes of @s (stops at a NUL). */
void nft_jw_strn(struct nft_jw *jw, const char *key, const char *s,
		 size_t n);
/* A string formatted by printf (then escaped): ids such as "%08x". */
void nft_jw_strf(struct nft_jw *jw, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nft_jw_u64(struct nft_jw *jw, const char *key, uint64_t v);
void nft_jw_i64(struct nft_jw *jw, const char *key, int64_t v);
/* %.*f with @decimals; NaN and infinities are written as null. */
void nft_jw_double(struct nft_jw *jw, const char *key, double v,
		   int decimals);
void nft_jw_bool(struct nft_jw *jw, const char *key, bool v);
void nft_jw_null(struct nft_jw *jw, const char *key);
/* Seconds of a nanosecond time as "S.UUUUUU", the way ftrace prints them. */
void nft_jw_ts(struct nft_jw *jw, const char *key, uint64_t ns);

/* @json: one complete JSON value, written as is (NULL: null). */
void nft_jw_raw(struct nft_jw *jw, const char *key, const char *json);

/* In compact mode, start the next member on a new line (indented). */
void nft_jw_line(struct nft_jw *jw);

/*
 * Escape @s as a JSON string (with its quotes) onto @out: '"', '\\', \n
 * and \t by name, other bytes < 0x20 and bytes >= 0x7f as \u00XX.
 */
void nft_jw_escape(FILE *out, const char *s, size_t n);

#endif /* NFT_JSON_WRITER_H */
