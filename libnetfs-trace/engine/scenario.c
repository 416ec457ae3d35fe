// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: "key value" lines, "#" comments, and "[op]" sections that
 * each add one operation to the workload (docs/scenario.md).
 */
#include <errno.h>
#include <stdarg.h>
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

static int num(const char *v, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 0);
	return errno || end == v || *end ? -1 : 0;
}

static int prob(const char *v, double *out)
{
	char *end;

	*out = strtod(v, &end);
	return end == v || *end || *out < 0 || *out > 1 ? -1 : 0;
}

static int set_op(struct sc_op *op, const char *k, const char *v)
{
	uint64_t n;
	int i;

	if (!strcmp(k, "type"))
		return (i = lookup(op_names, OP__NR, v)) < 0 ? -1 : (op->type = i, 0);
	if (!strcmp(k, "fault"))
		return (i = lookup(fault_names, FAULT__NR, v)) < 0 ? -1 :
		       (op->fault = i, 0);
	if (!strcmp(k, "cache_fail"))
		return num(v, &n) ? -1 : (op->cache_fail = n, 0);
	if (num(v, &n))
		return -1;
	if (!strcmp(k, "count"))
		op->count = n;
	else if (!strcmp(k, "offset"))
		op->offset = n;
	else if (!strcmp(k, "size") && n)
		op->size = n;
	else if (!strcmp(k, "stride"))
		op->stride = n;
	else if (!strcmp(k, "fault_subreq") && n)
		op->fault_subreq = n;
	else if (!strcmp(k, "fault_times"))
		op->fault_times = n;
	else if (!strcmp(k, "retry_max_len"))
		op->retry_max_len = n;
	else
		return -1;
	return 0;
}

static int set_global(struct nft_scenario *sc, const char *k, const char *v)
{
	uint64_t n;
	int i;

	if (!strcmp(k, "server"))
		return !strcmp(v, "cifs") ? (sc->cifs = true, 0) :
		       !strcmp(v, "9p") ? (sc->cifs = false, 0) : -1;
	if (!strcmp(k, "dialect"))
		return (sc->dialect = nft_engine_dialect_lookup(v)) < 0 ? -1 : 0;
	if (!strcmp(k, "short_prob"))
		return prob(v, &sc->short_prob);
	if (!strcmp(k, "error_prob"))
		return prob(v, &sc->error_prob);
	if (!strcmp(k, "cache_hit"))
		return prob(v, &sc->cache_hit);
	if (!strcmp(k, "error"))
		return (i = lookup(fault_names, FAULT__NR, v)) < 1 ? -1 :
		       (sc->random_error = i, 0);
	if (num(v, &n))
		return -1;
	if (!strcmp(k, "cache"))
		sc->cache = n;
	else if (!strcmp(k, "umount"))
		sc->umount = n;
	else if (!strcmp(k, "lru_reuse"))
		sc->lru_reuse = n;
	else if (!strcmp(k, "rsize") && n)
		sc->rsize = n;
	else if (!strcmp(k, "wsize") && n)
		sc->wsize = n;
	else if (!strcmp(k, "cache_wsize") && n)
		sc->cache_wsize = n;
	else if (!strcmp(k, "i_size"))
		sc->i_size = n;
	else if (!strcmp(k, "latency_us") && n)
		sc->lat_us = n;
	else if (!strcmp(k, "jitter_us"))
		sc->jitter_us = n;
	else if (!strcmp(k, "thread_stride"))
		sc->thread_stride = n;
	else if (!strcmp(k, "think_us"))
		sc->think_us = n;
	else if (!strcmp(k, "events"))
		sc->events = n;
	else if (!strcmp(k, "first_id") && n <= 0xffffff00u)
		sc->first_id = n;
	else if (!strcmp(k, "ino"))
		sc->ino = n;
	else if (!strcmp(k, "retry_limit") && n >= 1 && n <= 255)
		sc->retry_limit = n;
	else if (!strcmp(k, "concurrency") && n >= 1 && n <= 8)
		sc->concurrency = n;
	else
		return -1;
	return 0;
}

static struct sc_op *add_op(struct nft_scenario *sc)
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
	return ops;
}

static int parse_line(struct nft_scenario *sc, char *line, const char **why)
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
	if (!strcmp(k, "[op]"))
		return add_op(sc) ? 0 : (*why = "out of memory", -1);
	v = k + strcspn(k, " \t");
	if (!*v)
		return *why = "expected \"key value\"", -1;
	*v++ = 0;
	v += strspn(v, " \t");
	if (op ? set_op(op, k, v) : set_global(sc, k, v))
		return *why = op ? "unknown op key or bad value" :
			      "unknown key or bad value", -1;
	return 0;
}

struct nft_scenario *nft_scenario_parse(const char *text, const char *name,
					char *err, size_t errlen)
{
	struct nft_scenario *sc = calloc(1, sizeof(*sc));
	const char *p = text, *why = NULL;
	char line[512];
	int lineno = 0;

	if (!sc)
		return NULL;
	sc_defaults(sc);
	while (*p) {
		size_t n = strcspn(p, "\n");

		lineno++;
		if (n >= sizeof(line)) {
			why = "line too long";
		} else {
			memcpy(line, p, n);
			line[n] = 0;
			parse_line(sc, line, &why);
		}
		if (why) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			nft_scenario_free(sc);
			errno = EINVAL;
			return NULL;
		}
		p += n + (p[n] == '\n');
	}
	return sc;
}

struct nft_scenario *nft_scenario_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct nft_scenario *sc;
	char *buf;
	long n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n >= 0 && n < (1 << 20) ? malloc(n + 1) : NULL;
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: cannot read", path);
		free(buf);
		fclose(f);
		errno = EINVAL;
		return NULL;
	}
	buf[n] = 0;
	fclose(f);
	sc = nft_scenario_parse(buf, path, err, errlen);
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
