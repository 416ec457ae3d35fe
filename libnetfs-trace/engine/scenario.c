// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: "key value" lines, "#" comments, and "[op]" sections that
 * each add one operation to the workload (docs/scenario.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const op_names[OP__NR] = {
	"readahead", "read_folio", "write_begin", "dio_read", "unbuffered_read",
	"read_single", "writeback", "writethrough", "dio_write",
	"unbuffered_write", "copy_to_cache",
};

static const char *const fault_names[FAULT__NR] = {
	"none", "eagain", "eio", "enomem", "enodata", "econnaborted", "short",
	"zero",
};

const char *sc_op_name(enum op_type t)
{
	return op_names[t];
}

static void sc_defaults(struct nft_scenario *sc)
{
	sc->rsize = 0x100000;
	sc->wsize = 0x20000;
	/* cachefiles: BIO_MAX_VECS segments of order-0 folios */
	sc->cache_wsize = 256 * PAGE_SIZE_;
	sc->i_size = 0x4000000;
	sc->lat_us = 300;
	sc->jitter_us = 100;
	sc->think_us = 400;
	sc->first_id = 0xe3;
	sc->ino = 0x52234b;
	sc->retry_limit = 10;
	sc->concurrency = 1;
	sc->random_error = FAULT_EIO;
	sc->dialect = -1;
}

static int lookup(const char *const *names, int n, const char *v)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

/*
 * The numeric keys and their ranges (docs/scenario.md has the same table).
 * The bounds keep every value meaningful (no zero divisor, nothing that
 * wraps in the engine's 64-bit arithmetic: offsets and ends stay below
 * 2^62) and, with the work budget below, a run's time bounded by what the
 * scenario asks for.
 */
#define T_1G 0x40000000ull
#define T_1T 0x10000000000ull
#define T_MAX_POS (1ull << 62)
#define T_60S_US 60000000ull

/*
 * Work of one pass over the ops: subrequest slices plus page-cache folios
 * of every request, summed over count and app threads.  Each costs a few
 * trace lines (so 2^22 is a few GB of text at most); more is refused.
 */
#define SC_WORK_MAX (1ull << 22)
/* Subrequests of one request: the engine's per-request walks stay short. */
#define SC_SLICES_MAX 4096ull
/* --events / events: the run repeats the workload until this many. */
#define SC_EVENTS_MAX 1000000000ull

enum { K_U64, K_U32, K_INT, K_BOOL };

struct num_key {
	const char *name;
	size_t off;
	int type;
	uint64_t min, max;
};

#define G(f) offsetof(struct nft_scenario, f)
#define O(f) offsetof(struct sc_op, f)

static const struct num_key global_keys[] = {
	{ "cache", G(cache), K_BOOL, 0, 1 },
	{ "umount", G(umount), K_BOOL, 0, 1 },
	{ "lru_reuse", G(lru_reuse), K_BOOL, 0, 1 },
	{ "rsize", G(rsize), K_U64, 1, T_1G },
	{ "wsize", G(wsize), K_U64, 1, T_1G },
	{ "cache_wsize", G(cache_wsize), K_U64, 1, T_1G },
	{ "i_size", G(i_size), K_U64, 0, T_MAX_POS },
	{ "latency_us", G(lat_us), K_U64, 1, T_60S_US },
	{ "jitter_us", G(jitter_us), K_U64, 0, T_60S_US },
	{ "think_us", G(think_us), K_U64, 0, T_60S_US },
	{ "thread_stride", G(thread_stride), K_U64, 0, T_1T },
	{ "events", G(events), K_U64, 0, SC_EVENTS_MAX },
	{ "first_id", G(first_id), K_U32, 0, 0xffffff00u },
	{ "ino", G(ino), K_U32, 0, 0xffffffffu },
	{ "retry_limit", G(retry_limit), K_INT, 1, 255 },
	{ "concurrency", G(concurrency), K_INT, 1, 8 },
};

static const struct num_key op_keys[] = {
	{ "count", O(count), K_U64, 1, 1000000 },
	{ "offset", O(offset), K_U64, 0, T_MAX_POS },
	{ "size", O(size), K_U64, 1, T_1G },
	{ "stride", O(stride), K_U64, 0, T_1T },
	{ "fault_subreq", O(fault_subreq), K_INT, 1, SC_SLICES_MAX },
	{ "fault_times", O(fault_times), K_INT, 0, 255 },
	{ "retry_max_len", O(retry_max_len), K_U64, 0, T_1G },
	{ "cache_fail", O(cache_fail), K_BOOL, 0, 1 },
};

/* A plain unsigned number: decimal or 0x hex, no sign, nothing after. */
static int num(const char *v, uint64_t *out)
{
	char *end;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 0);
	return errno || end == v || *end ? -1 : 0;
}

static int prob(const char *v, double *out)
{
	char *end;

	*out = strtod(v, &end);
	/* !(x >= 0 && x <= 1) also refuses a NaN */
	return end == v || *end || !(*out >= 0 && *out <= 1) ? -1 : 0;
}

/*
 * Set @k from its table; 1 when @k is not in it.  @why points into @buf
 * on an error.
 */
static int set_num(const struct num_key *keys, size_t n, void *obj,
		   const char *k, const char *v, char *buf, size_t len,
		   const char **why)
{
	const struct num_key *key = NULL;
	uint64_t x;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i].name, k))
			key = &keys[i];
	if (!key)
		return 1;
	if (num(v, &x) || x < key->min || x > key->max) {
		snprintf(buf, len, "%s: '%.40s' is not a number in %llu..%llu",
			 k, v, (unsigned long long)key->min,
			 (unsigned long long)key->max);
		*why = buf;
		return -1;
	}
	switch (key->type) {
	case K_BOOL:
		*(bool *)((char *)obj + key->off) = x;
		break;
	case K_U32:
		*(uint32_t *)((char *)obj + key->off) = x;
		break;
	case K_INT:
		*(int *)((char *)obj + key->off) = (int)x;
		break;
	default:
		*(uint64_t *)((char *)obj + key->off) = x;
		break;
	}
	return 0;
}

static int set_op(struct sc_op *op, const char *k, const char *v, char *buf,
		  size_t len, const char **why)
{
	int i;

	if (!strcmp(k, "type")) {
		if ((i = lookup(op_names, OP__NR, v)) < 0) {
			snprintf(buf, len, "unknown op type '%.40s'", v);
			return *why = buf, -1;
		}
		op->type = i;
		return 0;
	}
	if (!strcmp(k, "fault")) {
		if ((i = lookup(fault_names, FAULT__NR, v)) < 0) {
			snprintf(buf, len, "unknown fault '%.40s'", v);
			return *why = buf, -1;
		}
		op->fault = i;
		return 0;
	}
	i = set_num(op_keys, sizeof(op_keys) / sizeof(op_keys[0]), op, k, v,
		    buf, len, why);
	if (i > 0) {
		snprintf(buf, len, "unknown op key '%.40s'", k);
		return *why = buf, -1;
	}
	return i;
}

static int set_global(struct nft_scenario *sc, const char *k, const char *v,
		      char *buf, size_t len, const char **why)
{
	int i;

	if (!strcmp(k, "server")) {
		if (!strcmp(v, "cifs") || !strcmp(v, "9p")) {
			sc->cifs = !strcmp(v, "cifs");
			return 0;
		}
		snprintf(buf, len, "server: '%.40s' is not cifs or 9p", v);
		return *why = buf, -1;
	}
	if (!strcmp(k, "dialect")) {
		if ((sc->dialect = nft_engine_dialect_lookup(v)) < 0) {
			snprintf(buf, len, "dialect: '%.40s' is not 6.12 or 7.2", v);
			return *why = buf, -1;
		}
		return 0;
	}
	if (!strcmp(k, "short_prob") || !strcmp(k, "error_prob") ||
	    !strcmp(k, "cache_hit")) {
		double *p = k[0] == 's' ? &sc->short_prob :
			    k[0] == 'e' ? &sc->error_prob : &sc->cache_hit;

		if (prob(v, p)) {
			snprintf(buf, len, "%s: '%.40s' is not a probability in 0..1", k, v);
			return *why = buf, -1;
		}
		return 0;
	}
	if (!strcmp(k, "error")) {
		if ((i = lookup(fault_names, FAULT__NR, v)) < 1 ||
		    i == FAULT_SHORT || i == FAULT_ZERO) {
			snprintf(buf, len, "error: '%.40s' is not eagain, eio, enomem, enodata or econnaborted", v);
			return *why = buf, -1;
		}
		sc->random_error = i;
		return 0;
	}
	i = set_num(global_keys, sizeof(global_keys) / sizeof(global_keys[0]),
		    sc, k, v, buf, len, why);
	if (i > 0) {
		bool op_key = !strcmp(k, "type") || !strcmp(k, "fault");
		size_t j;

		for (j = 0; j < sizeof(op_keys) / sizeof(op_keys[0]); j++)
			op_key |= !strcmp(op_keys[j].name, k);
		snprintf(buf, len, "unknown key '%.40s'%s", k, op_key ?
			 " (an op key: it goes after an [op] line)" : "");
		return *why = buf, -1;
	}
	return i;
}

static struct sc_op *add_op(struct nft_scenario *sc, int lineno)
{
	struct sc_op *ops = realloc(sc->ops, (sc->nr_ops + 1) * sizeof(*ops));

	if (!ops)
		return NULL;
	sc->ops = ops;
	ops += sc->nr_ops++;
	memset(ops, 0, sizeof(*ops));
	ops->count = 1;
	ops->size = 0x20000;
	ops->fault_subreq = 1;
	ops->fault_times = 1;
	ops->line = lineno;
	return ops;
}

static int parse_line(struct nft_scenario *sc, char *line, int lineno,
		      char *buf, size_t len, const char **why)
{
	char *k, *v, *p;
	struct sc_op *op = sc->nr_ops ? &sc->ops[sc->nr_ops - 1] : NULL;

	if ((p = strchr(line, '#')))
		*p = 0;
	k = line + strspn(line, " \t\r\n");
	p = k + strlen(k);
	while (p > k && strchr(" \t\r\n", p[-1]))
		*--p = 0;
	if (!*k)
		return 0;
	if (!strcmp(k, "[op]")) {
		if (sc->nr_ops >= 4096)
			return *why = "more than 4096 [op] sections", -1;
		return add_op(sc, lineno) ? 0 : (*why = "out of memory", -1);
	}
	v = k + strcspn(k, " \t");
	if (!*v)
		return *why = "expected \"key value\"", -1;
	*v++ = 0;
	v += strspn(v, " \t");
	return op ? set_op(op, k, v, buf, len, why) :
		    set_global(sc, k, v, buf, len, why);
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + !!(a % b);
}

/*
 * What one pass of the workload costs, op by op: refused beyond the
 * bounds, so that a run's time follows from the scenario's values (and
 * --events) and nothing else.  Returns the [op] line at fault, 0 if none.
 */
static int check_work(const struct nft_scenario *sc, char *buf, size_t len)
{
	uint64_t work = 0;
	int i;

	for (i = 0; i < sc->nr_ops; i++) {
		const struct sc_op *op = &sc->ops[i];
		bool write = op->type >= OP_WRITEBACK;
		uint64_t slice = write ? sc->wsize : sc->rsize;
		uint64_t stride = op->stride ? op->stride : op->size;
		uint64_t end, slices, w;

		if (op->retry_max_len && op->retry_max_len < slice)
			slice = op->retry_max_len;
		if (write && (sc->cache || op->cache_fail ||
			      op->type == OP_COPY_TO_CACHE) &&
		    sc->cache_wsize < slice)
			slice = sc->cache_wsize;
		/* all bounded above: no term can wrap */
		end = op->offset + (op->count - 1) * stride + op->size +
		      (uint64_t)(sc->concurrency - 1) * sc->thread_stride;
		if (end > T_MAX_POS) {
			snprintf(buf, len, "the op reaches offset 0x%llx (offset + (count-1) * stride + size + thread_stride * (concurrency-1)); at most 2^62",
				 (unsigned long long)end);
			return op->line;
		}
		slices = div_up(op->size, slice);
		if (slices > SC_SLICES_MAX) {
			snprintf(buf, len, "a request of size 0x%llx in slices of 0x%llx makes %llu subrequests; at most %llu (raise rsize/wsize/retry_max_len or lower size)",
				 (unsigned long long)op->size,
				 (unsigned long long)slice,
				 (unsigned long long)slices, SC_SLICES_MAX);
			return op->line;
		}
		w = (slices + div_up(op->size, PAGE_SIZE_)) * op->count *
		    sc->concurrency;
		work += w;
		if (work > SC_WORK_MAX) {
			snprintf(buf, len, "the ops up to here make %llu subrequests and folios per pass (count * concurrency * (size/slice + size/4096)); at most %llu, so that the run is bounded (lower count or size, or repeat with --events)",
				 (unsigned long long)work, SC_WORK_MAX);
			return op->line;
		}
	}
	return 0;
}

static struct nft_scenario *parse_text(const char *text, size_t size,
				       const char *name, char *err,
				       size_t errlen)
{
	struct nft_scenario *sc = calloc(1, sizeof(*sc));
	const char *p = text, *end = text + size, *why = NULL;
	char line[512], msg[256];
	int lineno = 0;

	if (!sc) {
		snprintf(err, errlen, "%s: out of memory", name);
		errno = ENOMEM;
		return NULL;
	}
	sc_defaults(sc);
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		if (memchr(p, 0, n)) {
			why = "a NUL byte: a scenario is text";
		} else if (n >= sizeof(line)) {
			why = "line too long (511 bytes at most)";
		} else {
			memcpy(line, p, n);
			line[n] = 0;
			parse_line(sc, line, lineno, msg, sizeof(msg), &why);
		}
		if (why)
			goto fail;
		p += n + (nl != NULL);
	}
	lineno = check_work(sc, msg, sizeof(msg));
	if (lineno) {
		why = msg;
		goto fail;
	}
	return sc;
fail:
	snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
	nft_scenario_free(sc);
	errno = EINVAL;
	return NULL;
}

struct nft_scenario *nft_scenario_parse(const char *text, const char *name,
					char *err, size_t errlen)
{
	return parse_text(text, strlen(text), name, err, errlen);
}

#define SC_FILE_MAX (1 << 20)

struct nft_scenario *nft_scenario_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct nft_scenario *sc;
	size_t n = 0;
	char *buf;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* Read to the end (a pipe or FIFO too): no size from fseek/ftell. */
	buf = malloc(SC_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(buf, 1, SC_FILE_MAX + 1, f);
	if (ferror(f) || n > SC_FILE_MAX) {
		int e = ferror(f) ? errno : EFBIG;

		snprintf(err, errlen, "%s: %s", path, e == EFBIG ?
			 "larger than 1 MiB: not a scenario" : strerror(e));
		free(buf);
		fclose(f);
		errno = e;
		return NULL;
	}
	fclose(f);
	sc = parse_text(buf, n, path, err, errlen);
	free(buf);
	return sc;
}

static const char default_scenario[] =
	"[op]\ntype readahead\ncount 4\nsize 0x20000\n"
	"[op]\ntype read_folio\noffset 0x80000\nsize 0x1000\n"
	"[op]\ntype write_begin\noffset 0x90000\nsize 0x1000\n"
	"[op]\ntype dio_read\noffset 0x100000\nsize 0x100000\n"
	"[op]\ntype writeback\noffset 0x200000\nsize 0x24000\n"
	"[op]\ntype writethrough\noffset 0x240000\nsize 0x8000\n"
	"[op]\ntype dio_write\noffset 0x300000\nsize 0x40000\n"
	"[op]\ntype unbuffered_write\noffset 0x380000\nsize 0x10000\n"
	"[op]\ntype readahead\noffset 0x3ff0000\nsize 0x20000\n";

struct nft_scenario *nft_scenario_default(void)
{
	char err[128];

	return nft_scenario_parse(default_scenario, "<default>", err, sizeof(err));
}

int nft_scenario_dialect(const struct nft_scenario *sc)
{
	return sc->dialect;
}

/* ---- random scenarios ---- */

struct rnd {
	uint64_t x;
};

static uint64_t rnd_next(struct rnd *r)
{
	uint64_t z = (r->x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd_in(struct rnd *r, uint64_t lo, uint64_t hi)
{
	if (hi - lo == UINT64_MAX)
		return rnd_next(r);
	return lo + rnd_next(r) % (hi - lo + 1);
}

static uint64_t rnd_pick(struct rnd *r, const uint64_t *v, size_t n)
{
	return v[rnd_next(r) % n];
}

#define PICK(r, ...) ({ static const uint64_t v_[] = { __VA_ARGS__ }; \
			rnd_pick(r, v_, sizeof(v_) / sizeof(v_[0])); })

struct sbuf {
	char *p;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->len < b->cap ? b->p + b->len : NULL,
		      b->len < b->cap ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += n;
}

/*
 * Every op gets an 8 MiB region of its own above 16 MiB (the injections
 * use 1-9 MiB, the background reader 10 MiB) and every app thread 2 MiB of
 * that, so no folio is ever in two requests at once (the engine does not
 * model folio locks); i_size may cut into the regions so
 * some reads meet EOF (ZERO subrequests).  Random errors stay rare and
 * scripted faults fail at most twice: the kernel's bounded retries are the
 * behaviour under test, not a retry storm.
 */
int nft_scenario_random(uint64_t seed, char *buf, size_t len)
{
	static const char *const errs[] = { "eio", "eagain", "enodata",
					    "econnaborted", "enomem" };
	static const char *const faults[] = { "eagain", "eio", "short", "zero",
					      "enodata", "econnaborted" };
	struct rnd r = { seed ^ 0x6e657466735f7363ull };
	struct sbuf b = { buf, 0, len };
	int nr_ops, i;
	bool cifs;

	if (len)
		buf[0] = 0;
	cifs = rnd_next(&r) & 1;
	nr_ops = rnd_in(&r, 2, 8);
	sb_printf(&b, "# netfs-sim --random --seed %llu\n", (unsigned long long)seed);
	sb_printf(&b, "dialect %s\nserver %s\n", rnd_next(&r) & 1 ? "7.2" : "6.12",
		  cifs ? "cifs" : "9p");
	sb_printf(&b, "rsize 0x%llx\nwsize 0x%llx\n",
		  (unsigned long long)PICK(&r, 0x4000, 0x10000, 0x20000, 0x40000, 0x100000),
		  (unsigned long long)PICK(&r, 0x4000, 0x10000, 0x20000, 0x40000));
	if (rnd_next(&r) & 1) {
		sb_printf(&b, "cache 1\n");
		if (rnd_next(&r) & 1)
			sb_printf(&b, "cache_hit 0.%llu\n",
				  (unsigned long long)rnd_in(&r, 1, 5));
	}
	sb_printf(&b, "i_size 0x%llx\n",
		  (unsigned long long)(rnd_next(&r) % 3 ? 0x8000000 :
				       0x1000000 + rnd_in(&r, 0, nr_ops * 0x800) * 0x1000));
	sb_printf(&b, "latency_us %llu\njitter_us %llu\nthink_us %llu\n",
		  (unsigned long long)rnd_in(&r, 20, 3000),
		  (unsigned long long)rnd_in(&r, 0, 15),
		  (unsigned long long)rnd_in(&r, 0, 2000));
	if (rnd_next(&r) & 1)
		sb_printf(&b, "short_prob 0.%02llu\n", (unsigned long long)rnd_in(&r, 1, 30));
	if (rnd_next(&r) % 3 == 0)
		sb_printf(&b, "error_prob 0.%02llu\nerror %s\n",
			  (unsigned long long)rnd_in(&r, 1, 5),
			  errs[rnd_next(&r) % (sizeof(errs) / sizeof(errs[0]))]);
	sb_printf(&b, "concurrency %llu\nthread_stride 0x200000\n",
		  (unsigned long long)rnd_in(&r, 1, 3));
	for (i = 0; i < nr_ops; i++) {
		uint64_t size = rnd_in(&r, 1, rnd_next(&r) & 1 ? 16 : 128) * 0x1000;
		uint64_t count = rnd_in(&r, 1, 3);
		enum op_type t = rnd_next(&r) % OP__NR;

		sb_printf(&b, "[op]\ntype %s\noffset 0x%llx\nsize 0x%llx\ncount %llu\n",
			  op_names[t], (unsigned long long)(0x1000000 + i * 0x800000ull),
			  (unsigned long long)size, (unsigned long long)count);
		if (rnd_next(&r) % 3 == 0) {
			sb_printf(&b, "fault %s\nfault_subreq %llu\nfault_times %llu\n",
				  faults[rnd_next(&r) % (sizeof(faults) / sizeof(faults[0]))],
				  (unsigned long long)rnd_in(&r, 1, 3),
				  (unsigned long long)rnd_in(&r, 1, 2));
			if (cifs && rnd_next(&r) & 1)
				sb_printf(&b, "retry_max_len 0x%llx\n",
					  (unsigned long long)PICK(&r, 0x1000, 0x4000, 0x8000));
		}
		if (t >= OP_WRITEBACK && rnd_next(&r) % 8 == 0)
			sb_printf(&b, "cache_fail 1\n");
	}
	return (int)b.len;
}

void nft_scenario_free(struct nft_scenario *sc)
{
	if (!sc)
		return;
	free(sc->ops);
	free(sc);
}
