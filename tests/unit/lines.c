// SPDX-License-Identifier: GPL-2.0
/*
 * Trace lines -> ftrace text decoder -> model, for the unit tests.
 */
#include <stdio.h>
#include <string.h>

#include "decoders/decoder.h"
#include "lines.h"

const char *nft_test_form_name(enum nft_test_form form)
{
	static const char *const names[NFT_TF__NR] = {
		[NFT_TF_AS_IS] = "as written",
		[NFT_TF_BARE] = "bare",
		[NFT_TF_COMM] = "comm:",
		[NFT_TF_COMM_PID] = "comm-pid:",
		[NFT_TF_FULL] = "ftrace",
	};

	return (unsigned int)form < NFT_TF__NR ? names[form] : "?";
}

static const char *dress(const struct nft_test_opts *o, const char *line,
			 size_t i, char *buf, size_t sz)
{
	const char *comm = o->comm ? o->comm : "kworker/u8:3";
	int pid = o->pid ? o->pid : 43;
	uint64_t us = (o->base_us ? o->base_us : 100000000) + i * 10;

	switch (o->form) {
	case NFT_TF_COMM:
		snprintf(buf, sz, "%s: %s", comm, line);
		return buf;
	case NFT_TF_COMM_PID:
		snprintf(buf, sz, "%s-%d: %s", comm, pid, line);
		return buf;
	case NFT_TF_FULL:
		snprintf(buf, sz, "%s-%d [001] ..... %llu.%06llu: %s", comm,
			 pid, (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000), line);
		return buf;
	default:
		return line;
	}
}

struct nft_test_result nft_test_run(const char *const *lines, size_t n,
				    const struct nft_test_opts *o)
{
	static const struct nft_test_opts none;
	enum nft_dialect dialect = NFT_DIALECT_AUTO;
	struct nft_test_result r = { 0 };
	char buf[1024];
	size_t i;

	if (!o)
		o = &none;
	r.m = nft_model_new(o->model);
	for (i = 0; i < n; i++) {
		const char *line, *err = NULL;
		struct nft_event ev;

		nft_event_init(&ev);
		if (!strcmp(lines[i], NFT_TEST_LOST_TO_END)) {
			ev.kind = NFT_EV_LOST;
			ev.flags = NFT_LOST_TO_END;
			ev.pos = i + 1;
			nft_model_event(r.m, &ev);
			continue;
		}
		line = dress(o, lines[i], i, buf, sizeof(buf));
		if (nft_parse_ftrace_line(line, strlen(line), &dialect, &ev,
					  &err) < 1) {
			printf("# unparsed line %zu: %s (%s)\n", i + 1, line,
			       err ? err : "");
			r.parse_errors++;
			continue;
		}
		ev.pos = i + 1;
		if (o->keep_raw) {
			ev.raw = line;
			ev.raw_len = strlen(line);
		}
		nft_model_event(r.m, &ev);
	}
	nft_model_finish(r.m);
	r.f = nft_model_findings(r.m, &r.n);
	return r;
}
