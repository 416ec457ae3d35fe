/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoders turn bytes into struct nft_event and nothing else.  Each one is a
 * single streaming pass that calls a sink per event.
 *
 * Conventions (libtracefs style): functions return 0 on success, -1 with
 * errno set on a hard failure (the input could not be read at all).
 * Problems inside the input (garbage lines, a truncated record) are reported
 * through struct nft_diag with the file and line or offset, and decoding goes
 * on with whatever can still be parsed.
 */
#ifndef NFT_DECODER_H
#define NFT_DECODER_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "../libnetfs-trace/event.h"

enum nft_diag_level {
	NFT_DIAG_NOTE,		/* informational, e.g. which instance was used */
	NFT_DIAG_WARNING,	/* something odd, result still trustworthy */
	NFT_DIAG_ERROR,		/* data was lost: the result can't be trusted */
};

/*
 * Diagnostics sink.  @where is "line N" for text or "offset N" / "record N"
 * for binary input, already formatted by the decoder; @file is the input
 * name.  Counters are kept by nft_diag_report().
 */
struct nft_diag {
	void (*report)(void *ctx, enum nft_diag_level level, const char *file,
		       const char *where, const char *msg);
	void *ctx;
	unsigned long notes, warnings, errors;
	unsigned long suppressed;	/* beyond the per-kind limit */
};

/* Report through @diag (NULL = stderr), printf-style message. */
void nft_diag_report(struct nft_diag *diag, enum nft_diag_level level,
		     const char *file, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Default reporter: "PROG: FILE:WHERE: warning: MSG" on stderr, PROG being
 * the struct nft_diag's @ctx (a const char *, the command's name: the
 * library names no program); without one, "FILE:WHERE: warning: MSG".
 */
void nft_diag_stderr(void *ctx, enum nft_diag_level level, const char *file,
		     const char *where, const char *msg);

/* ---- input: a file or stdin, transparently decompressed ---- */

enum nft_input_kind {
	NFT_INPUT_EMPTY,	/* zero bytes */
	NFT_INPUT_TEXT,		/* ftrace text of some form */
	NFT_INPUT_TRACE_DAT,	/* trace-cmd trace.dat ("\027\010\104tracing") */
	NFT_INPUT_PERF_DATA,	/* perf.data ("PERFILE2") */
	NFT_INPUT_BINARY,	/* anything else that is not text */
};

struct nft_input;

/*
 * Open @path ("-" = standard input).  xz, gzip and zstd compression are
 * detected from the content and undone on the fly.  Returns NULL with errno
 * set on failure.  Free with nft_input_close().
 */
struct nft_input *nft_input_open(const char *path);
void nft_input_close(struct nft_input *in);

/* The name used in messages ("<stdin>" for "-"). Owned by @in. */
const char *nft_input_name(const struct nft_input *in);

/* The path as given; NULL for stdin.  Owned by @in. */
const char *nft_input_path(const struct nft_input *in);

/* Compression found: "none", "xz", "gzip" or "zstd". */
const char *nft_input_compression(const struct nft_input *in);

/*
 * What the (decompressed) content looks like, from its first bytes.  Does not
 * consume them.  -1 with errno on a read error.
 */
int nft_input_kind(struct nft_input *in);

/*
 * Read up to @n decompressed bytes; 0 at end, -1 with errno on error.
 * Damage in a compressed stream (cut short, corrupt, trailing garbage, a
 * decompressor limit) and text that never breaks its line are not read
 * errors: they are reported once through the diag of
 * nft_input_set_diag() (error, or a warning for trailing garbage after
 * complete data) naming the decompressor and the compressed and
 * decompressed offsets, and the stream ends there, so what came before is
 * decoded as usual.  nft_input_fault() tells afterwards.
 */
long nft_input_read(struct nft_input *in, void *buf, unsigned long n);

/* Where @in reports damage; NULL (the default) = stderr, uncounted. */
void nft_input_set_diag(struct nft_input *in, struct nft_diag *diag);

struct nft_input_fault {
	const char *decompressor;	/* "xz", "gzip", "zstd"; NULL: none */
	const char *what;		/* "stream cut short (truncated)", ... */
	uint64_t comp_offset;		/* in the file as stored */
	uint64_t offset;		/* in the decompressed data */
	int error;			/* 0: the data before it was complete */
};

/* The damage that ended @in's stream, or NULL.  Owned by @in. */
const struct nft_input_fault *nft_input_fault(const struct nft_input *in);

/*
 * A trace.dat must be seekable: copy what is left of @in (decompressed) to
 * an unlinked temporary file in $TMPDIR, positioned at its start; runs of
 * zeros become holes.  Stops, with an error through the diag saying how
 * much was read and why, at the spool limit (nft_input_set_spool_max(),
 * default nft_spool_default_max()), when TMPDIR is full, or when the data
 * decompresses at over 1000:1 past 64 MiB (a bomb); what was copied is
 * still returned.  -1 with errno on a hard failure.
 */
int nft_input_spool(struct nft_input *in);

/* The most nft_input_spool() copies; 0 = nft_spool_default_max(). */
void nft_input_set_spool_max(struct nft_input *in, uint64_t bytes);

/* Half the free space in $TMPDIR, at most 8 GiB. */
uint64_t nft_spool_default_max(void);

/* "50M", "2G", "4096", "1GiB": bytes; -1 if not a size (or 0). */
int nft_parse_size(const char *s, uint64_t *bytes);

/*
 * Our own descriptor of @in's file, at offset 0, when it is an
 * uncompressed regular file (never reopened by name: a FIFO or a
 * /dev/fd/N would block or lose what was read); -1 otherwise.
 */
int nft_input_file_fd(const struct nft_input *in);

/*
 * Why nft_input_open(@path) failed with @err, for a message: a directory
 * or socket is named as such, anything else is strerror(@err).
 */
const char *nft_input_open_error(const char *path, int err);

/*
 * An unlinked temporary file in $TMPDIR (default /tmp), read-write; the
 * caller closes it.  -1 with errno on failure.
 */
int nft_tmpfile(void);

/*
 * An unlinked temporary copy of the whole file @fd (read with pread, so
 * @fd's offset stays put), positioned at its start.  -1 with errno.
 */
int nft_tmpcopy(int fd);

/* ---- text decoder (decoders/ftrace_text.c) ---- */

/* How to read the few fields whose printing changed between kernels. */
enum nft_dialect {
	NFT_DIALECT_AUTO = 0,	/* decided from the capture itself */
	NFT_DIALECT_6_1,	/* netfs_sreq/netfs_failure index in decimal */
	NFT_DIALECT_MODERN,	/* 6.10+: indexes in hex */
};

struct nft_text_stats {
	uint64_t lines;
	uint64_t events;	/* netfs/fscache/cachefiles events decoded */
	uint64_t other_events;	/* event lines of other systems */
	uint64_t malformed;	/* known events whose fields did not parse */
	uint64_t unrecognized;	/* lines that are not events at all */
	uint64_t lost_markers;
	enum nft_dialect dialect;	/* what AUTO settled on */
};

struct nft_text_opts {
	enum nft_dialect dialect;
	int want_raw;		/* fill nft_event.raw/raw_len */
};

/*
 * Decode ftrace text from @in (every form listed in README: tracefs trace
 * with header, trace_pipe, trace-cmd report, pasted/trimmed/console/wrapped
 * lines).  Returns 0, the sink's non-zero value if it stopped, or -1 with
 * errno on a read error.  @stats may be NULL.
 */
int decode_ftrace_text(struct nft_input *in, const struct nft_text_opts *opts,
		       struct nft_sink *sink, struct nft_diag *diag,
		       struct nft_text_stats *stats);

/*
 * Parse one line (no trailing newline) into @ev.  Returns 1 for a netfs,
 * fscache or cachefiles event, 2 for another event or a lost-events marker,
 * 0 for a line that is no event, -1 for a known event whose fields do not
 * parse (then @err names what was wrong).  For unit tests and the engine's
 * self-check; decode_ftrace_text() is the streaming entry point.
 */
int nft_parse_ftrace_line(const char *line, size_t len, enum nft_dialect *dialect,
			  struct nft_event *ev, const char **err);

/* ---- trace.dat decoder (decoders/tracedat.c, libtracecmd) ---- */

struct nft_dat_opts {
	const char *instance;	/* buffer instance to read; NULL = top, or the
				 * only one that has netfs events */
	int want_raw;		/* render each record's text into nft_event.raw */
	int libtracecmd_only;	/* read compressed CPU data through libtracecmd
				 * too (memory grows with the file; tests) */
};

struct nft_dat_stats {
	uint64_t records;	/* records read (all events) */
	uint64_t events;	/* netfs/fscache/cachefiles events decoded */
	uint64_t lost_events;	/* sum of missed events reported */
	int cpus;
	char instance[64];	/* which buffer was used ("" = top level) */
	char kernel[64];	/* uname -r recorded in the file, if any */
};

/*
 * Decode a trace-cmd trace.dat from @in: all CPUs merged in timestamp order,
 * fields read by name from each event's own format, symbolic fields mapped
 * through that file's __print_symbolic tables.  Returns as
 * decode_ftrace_text().
 */
int decode_trace_dat(struct nft_input *in, const struct nft_dat_opts *opts,
		     struct nft_sink *sink, struct nft_diag *diag,
		     struct nft_dat_stats *stats);

#endif /* NFT_DECODER_H */
