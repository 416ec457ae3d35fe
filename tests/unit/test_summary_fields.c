// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's fields, defined once (report/summary_fields.c): the table
 * is consistent, and the JSON and text writers that iterate it print every
 * field, in the layout docs/json.md shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libnetfs-trace/report/report.h"
#include "libnetfs-trace/report/summary_fields.h"
#include "tap.h"

static void test_table(void)
{
	size_t i, j, bad = 0;

	ok(nft_summary_nfields >= 24, "%zu summary fields", nft_summary_nfields);
	for (i = 0; i < nft_summary_nfields; i++) {
		const struct nft_summary_field *f = &nft_summary_fields[i];

		if (nft_summary_field(f->key) != f || !f->help ||
		    f->off >= sizeof(struct nft_summary))
			bad++;
		for (j = 0; j < i; j++)
			if (!strcmp(nft_summary_fields[j].key, f->key))
				bad++;
	}
	for (i = 0; i < nft_summary_bound_nfields; i++)
		if (nft_summary_field(nft_summary_bound_fields[i].key) !=
		    &nft_summary_bound_fields[i])
			bad++;
	is(bad, 0, "keys unique, found by name, offsets inside the struct");
	ok(!nft_summary_field("no_such_key"), "unknown key: NULL");
	ok(nft_summary_field("subrequests")->off ==
	   offsetof(struct nft_summary, subreqs), "subrequests -> subreqs");
}

static void test_json(void)
{
	struct nft_summary s;
	struct nft_jw jw;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	memset(&s, 0, sizeof(s));
	s.events = 4458;
	s.bytes_read = 17825792;
	s.bytes_cache_written = 7;
	s.findings_per_kind = 9;
	s.requests_by_origin[1] = 4;
	s.ts_first = 18287064000ULL;
	m = open_memstream(&buf, &len);
	nft_jw_init(&jw, m, NFT_JW_ONE_LINE);
	nft_json_summary(&jw, NULL, &s, true);
	fclose(m);
	ok(strstr(buf, "\"first_ts\": \"18.287064\", \"last_ts\": \"0.000000\", \"events\": 4458, \"other_events\": 0, \"requests\": 0, \"subrequests\": 0, \"requests_by_origin\": {\"") != NULL,
	   "times, counts and per-symbol tables in document order: %s", buf);
	ok(strstr(buf, "\"bytes_read\": 17825792, \"bytes_written\": 0, \"bytes_cache_read\": 0, \"bytes_cache_written\": 7, \"retries\": 0") != NULL,
	   "bytes group");
	ok(strstr(buf, "\"reused_ids\": 0, \"notes\": []}") != NULL,
	   "ends with reused_ids, notes; no object_bound below the bound");
	ok(!strchr(buf, '\n'), "one line");
	free(buf);

	buf = NULL;
	s.notes |= NFT_NOTE_EVICTED;
	m = open_memstream(&buf, &len);
	nft_jw_init(&jw, m, NFT_JW_COMPACT);
	nft_jw_object_begin(&jw, NULL);
	nft_json_summary(&jw, "summary", &s, true);
	nft_jw_end(&jw);
	fclose(m);
	ok(strstr(buf, "{\"summary\": {\n    \"kernel\": ") == buf,
	   "document layout: a key group a line, four spaces");
	ok(strstr(buf, ",\n    \"bytes_read\": 17825792, \"bytes_written\": 0,\n    \"bytes_cache_read\"") != NULL,
	   "bytes_read and bytes_written on one line");
	ok(strstr(buf, "\"findings_per_kind\": 9, \"findings_not_kept\": 0}") != NULL,
	   "object_bound at the bound, its u32 field too");
	ok(strstr(buf, "\n  }}") != NULL, "closing brace on its own line");
	free(buf);
}

int main(void)
{
	test_table();
	test_json();
	return tap_done();
}
