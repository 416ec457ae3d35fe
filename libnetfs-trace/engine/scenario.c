// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario files: "key value" lines, "#" comments, and "[op]" sections that
 * each add one operation to the workload (docs/scenario.md).
 */
#include <errno.h>
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
	sc->i_size = 0x4000000;
	sc->lat_us = 300;
	sc->jitter_us = 100;
	sc->think_us = 400;
	sc->first_id = 0xe3;
	sc->ino = 0x52234b;
	sc->retry_limit = 10;
	sc->concurrency = 1;
	sc->random_error = FAULT_EIO;
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
	else if (!strcmp(k, "rsize") && n)
		sc->rsize = n;
	else if (!strcmp(k, "wsize") && n)
		sc->wsize = n;
	else if (!strcmp(k, "i_size"))
		sc->i_size = n;
	else if (!strcmp(k, "latency_us") && n)
		sc->lat_us = n;
	else if (!strcmp(k, "jitter_us"))
		sc->jitter_us = n;
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

void nft_scenario_free(struct nft_scenario *sc)
{
	if (!sc)
		return;
	free(sc->ops);
	free(sc);
}
