// SPDX-License-Identifier: GPL-2.0
/*
 * One fscache or cachefiles object's life (netfs-replay -R c=ID, V=ID,
 * o=ID, C=ID): what joins it to the others -- a cookie's volume, cache
 * objects, accesses and the netfs requests that used it; a volume's
 * cookies; an object's cookie, backing inode and I/O -- then its ref
 * history and the raw lines that mention it.
 */
#include <inttypes.h>
#include <string.h>

#include "view.h"

static const char *const fs_prefix[] = {
	[NFT_FOCUS_COOKIE] = "c",
	[NFT_FOCUS_VOLUME] = "V",
	[NFT_FOCUS_CF_OBJECT] = "o",
	[NFT_FOCUS_CACHE] = "C",
};

static const char *access_name(uint16_t what)
{
	return what ? nft_sym_name(NFT_SYMC_FSC_ACCESS, what) : "";
}

static size_t open_accesses(const struct nft_focus_fs *fs)
{
	size_t i, n = 0;

	for (i = 0; i < fs->n_accesses; i++)
		n += !fs->accesses[i].end;
	return n;
}

/* ---- text ---- */

static void text_life(FILE *out, const struct nft_focus_fs *fs)
{
	char a[32], b[32];

	nft_fmt_ts(a, sizeof(a), fs->ts_first);
	nft_fmt_ts(b, sizeof(b), fs->ts_last);
	fprintf(out, "state: %s\n", nft_fsobj_state_name(fs->obj));
	if (!fs->ts_first && !fs->ts_last)
		fprintf(out, "life: lines %" PRIu64 "-%" PRIu64 " (no timestamps)\n",
			fs->pos_first, fs->pos_last);
	else
		fprintf(out, "life: %s - %s (%.3f ms), lines %" PRIu64 "-%" PRIu64 "\n",
			a, b, (double)(fs->ts_last - fs->ts_first) / 1e6,
			fs->pos_first, fs->pos_last);
}

static void text_accesses(FILE *out, const struct nft_focus_fs *fs)
{
	size_t i;

	if (!fs->n_accesses)
		return;
	fprintf(out, "\naccesses (%zu, %zu open; an END closes the oldest open BEGIN of its kind):\n",
		fs->n_accesses, open_accesses(fs));
	for (i = 0; i < fs->n_accesses; i++) {
		const struct nft_focus_access *a = &fs->accesses[i];

		if (a->begin)
			fprintf(out, "  %-13s line %-8" PRIu64 " a=%-3d -> ",
				access_name(a->begin), a->pos_begin,
				a->a_begin);
		else
			fprintf(out, "  %-13s %-19s -> ",
				a->end == NFT_FSCA_UNLIVE ? "(live)" :
							    "(no BEGIN)", "");
		if (a->end)
			fprintf(out, "%-12s line %-8" PRIu64 " a=%d\n",
				access_name(a->end), a->pos_end, a->a_end);
		else
			fputs("OPEN (no END in the capture)\n", out);
	}
}

static void text_links(FILE *out, const char *title, const char *prefix,
		       const struct nft_focus_link *v, size_t n)
{
	size_t i;

	if (!n)
		return;
	fprintf(out, "\n%s (%zu):\n", title, n);
	for (i = 0; i < n; i++) {
		const char *what = v[i].copy ? "COPY2CACHE" :
				   !v[i].what ? NULL :
				   nft_sym_name(v[i].is_write ?
						NFT_SYMC_WRITE_TRACE :
						NFT_SYMC_READ_TRACE, v[i].what);

		if (what)
			fprintf(out, "  %s=%08x  line %-8" PRIu64 " %s\n",
				prefix, v[i].id, v[i].pos, what);
		else
			fprintf(out, "  %s=%08x  line %" PRIu64 "\n", prefix,
				v[i].id, v[i].pos);
	}
}

static void text_object_io(FILE *out, const struct nft_focus_fs *fs)
{
	size_t i;

	fprintf(out, "reads: %" PRIu64 " (0x%" PRIx64 " bytes), writes: %" PRIu64 " (0x%" PRIx64 " bytes), truncations: %zu\n",
		fs->reads, fs->read_bytes, fs->writes, fs->write_bytes,
		fs->n_truncs);
	if (!fs->n_truncs)
		return;
	fputs("\ntruncations:\n", out);
	for (i = 0; i < fs->n_truncs; i++) {
		const struct nft_focus_trunc *t = &fs->truncs[i];

		fprintf(out, "  line %-8" PRIu64 " %-8s 0x%" PRIx64 " -> 0x%" PRIx64 "\n",
			t->pos, nft_sym_name(NFT_SYMC_CF_TRUNC, t->what),
			t->from, t->to);
	}
}

static void fsobj_text(FILE *out, const struct nft_model *m,
		       const struct nft_focus *f,
		       const struct nft_focus_fs *fs)
{
	char name[NFT_OBJECT_LEN];
	uint32_t volume = fs->volume;

	nft_focus_name(f, name);
	fprintf(out, "%s: %s\n", nft_focus_kind(f->type), name);
	switch (f->type) {
	case NFT_FOCUS_COOKIE:
		if (!volume && fs->obj)
			volume = fs->obj->link;
		if (volume)
			fprintf(out, "volume: V=%08x\n", volume);
		else
			fputs("volume: unknown (no acquire or volume access line)\n", out);
		fprintf(out, "cache objects: %zu\n", fs->n_objects);
		fprintf(out, "requests: %zu\n", fs->n_users);
		break;
	case NFT_FOCUS_VOLUME:
		fprintf(out, "cookies: %zu\n", fs->n_users);
		break;
	case NFT_FOCUS_CF_OBJECT:
		if (fs->cookie)
			fprintf(out, "cookie: c=%08x\n", fs->cookie);
		else
			fputs("cookie: unknown (no cachefiles_ref line)\n", out);
		if (fs->backer_known)
			fprintf(out, "backing inode: B=%" PRIx64 "\n",
				fs->backer);
		else
			fputs("backing inode: unknown\n", out);
		break;
	default:
		break;
	}
	text_life(out, fs);
	if (f->type == NFT_FOCUS_CF_OBJECT)
		text_object_io(out, fs);
	if (fs->dropped)
		fprintf(out, "(%" PRIu64 " accesses, links or truncations past the caps not kept)\n",
			fs->dropped);
	if (f->type == NFT_FOCUS_COOKIE) {
		text_links(out, "cache objects", "o", fs->objects,
			   fs->n_objects);
		text_links(out, "requests that used it", "R", fs->users,
			   fs->n_users);
	} else if (f->type == NFT_FOCUS_VOLUME) {
		text_links(out, "cookies", "c", fs->users, fs->n_users);
	}
	text_accesses(out, fs);
	fputs("\nref history:\n", out);
	if (f->type == NFT_FOCUS_CF_OBJECT)
		fputs("  (cachefiles_ref prints the count before a get or put: r= here is the count after it, as for the others)\n", out);
	if (fs->obj && fs->obj->refs.n)
		nft_view_ledger(out, name, &fs->obj->refs);
	else
		fputs("  (no ref line)\n", out);
	nft_view_lines(out, m, false);
}

/* ---- JSON ---- */

static void json_links(struct nft_jw *jw, const char *key, const char *idkey,
		       const struct nft_focus_link *v, size_t n)
{
	size_t i;

	nft_jw_array_begin(jw, key);
	for (i = 0; i < n; i++) {
		nft_jw_object_begin(jw, NULL);
		nft_jw_strf(jw, idkey, "%08x", v[i].id);
		nft_jw_u64(jw, "line", v[i].pos);
		if (!strcmp(idkey, "request"))
			nft_jw_str(jw, "operation",
				   v[i].copy ? "COPY2CACHE" :
				   !v[i].what ? "" :
				   nft_sym_name(v[i].is_write ?
						NFT_SYMC_WRITE_TRACE :
						NFT_SYMC_READ_TRACE,
						v[i].what));
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
}

/* One end of an access: "begin", "begin_line", "begin_ts", "begin_a". */
static void json_access_end(struct nft_jw *jw, const char *which, int what,
			    uint64_t pos, uint64_t ts, int a)
{
	char key[16];

	if (!what) {
		nft_jw_null(jw, which);
		snprintf(key, sizeof(key), "%s_line", which);
		nft_jw_null(jw, key);
		snprintf(key, sizeof(key), "%s_ts", which);
		nft_jw_null(jw, key);
		snprintf(key, sizeof(key), "%s_a", which);
		nft_jw_null(jw, key);
		return;
	}
	nft_jw_str(jw, which, access_name(what));
	snprintf(key, sizeof(key), "%s_line", which);
	nft_jw_u64(jw, key, pos);
	snprintf(key, sizeof(key), "%s_ts", which);
	nft_jw_ts(jw, key, ts);
	snprintf(key, sizeof(key), "%s_a", which);
	nft_jw_i64(jw, key, a);
}

static void json_accesses(struct nft_jw *jw, const struct nft_focus_fs *fs)
{
	size_t i;

	nft_jw_u64(jw, "open_accesses", open_accesses(fs));
	nft_jw_array_begin(jw, "accesses");
	for (i = 0; i < fs->n_accesses; i++) {
		const struct nft_focus_access *a = &fs->accesses[i];

		nft_jw_object_begin(jw, NULL);
		json_access_end(jw, "begin", a->begin, a->pos_begin,
				a->ts_begin, a->a_begin);
		json_access_end(jw, "end", a->end, a->pos_end, a->ts_end,
				a->a_end);
		nft_jw_bool(jw, "open", !a->end);
		nft_jw_end(jw);
	}
	nft_jw_end(jw);
}

static void fsobj_json(FILE *out, const struct nft_model *m,
		       const struct nft_focus *f,
		       const struct nft_focus_fs *fs)
{
	char name[NFT_OBJECT_LEN];
	uint32_t volume = fs->volume;
	struct nft_jw jw;
	size_t i;

	nft_focus_name(f, name);
	nft_jw_init(&jw, out, NFT_JW_ONE_LINE);
	nft_jw_object_begin(&jw, NULL);
	nft_jw_str(&jw, "object", name);
	nft_jw_str(&jw, "kind", nft_focus_kind(f->type));
	nft_jw_strf(&jw, "id", "%08x", f->id);
	nft_jw_str(&jw, "state", nft_fsobj_state_name(fs->obj));
	nft_jw_u64(&jw, "first_line", fs->pos_first);
	nft_jw_u64(&jw, "last_line", fs->pos_last);
	switch (f->type) {
	case NFT_FOCUS_COOKIE:
		if (!volume && fs->obj)
			volume = fs->obj->link;
		if (volume)
			nft_jw_strf(&jw, "volume", "%08x", volume);
		else
			nft_jw_null(&jw, "volume");
		json_links(&jw, "objects", "object", fs->objects,
			   fs->n_objects);
		json_links(&jw, "requests", "request", fs->users, fs->n_users);
		json_accesses(&jw, fs);
		break;
	case NFT_FOCUS_VOLUME:
		json_links(&jw, "cookies", "cookie", fs->users, fs->n_users);
		json_accesses(&jw, fs);
		break;
	case NFT_FOCUS_CF_OBJECT:
		if (fs->cookie)
			nft_jw_strf(&jw, "cookie", "%08x", fs->cookie);
		else
			nft_jw_null(&jw, "cookie");
		if (fs->backer_known)
			nft_jw_strf(&jw, "backer", "%" PRIx64, fs->backer);
		else
			nft_jw_null(&jw, "backer");
		nft_jw_object_begin(&jw, "reads");
		nft_jw_u64(&jw, "count", fs->reads);
		nft_jw_u64(&jw, "bytes", fs->read_bytes);
		nft_jw_end(&jw);
		nft_jw_object_begin(&jw, "writes");
		nft_jw_u64(&jw, "count", fs->writes);
		nft_jw_u64(&jw, "bytes", fs->write_bytes);
		nft_jw_end(&jw);
		nft_jw_array_begin(&jw, "truncations");
		for (i = 0; i < fs->n_truncs; i++) {
			const struct nft_focus_trunc *t = &fs->truncs[i];

			nft_jw_object_begin(&jw, NULL);
			nft_jw_u64(&jw, "line", t->pos);
			nft_jw_ts(&jw, "ts", t->ts);
			nft_jw_str(&jw, "why", nft_sym_name(NFT_SYMC_CF_TRUNC,
							    t->what));
			nft_jw_u64(&jw, "from", t->from);
			nft_jw_u64(&jw, "to", t->to);
			nft_jw_end(&jw);
		}
		nft_jw_end(&jw);
		break;
	default:
		break;
	}
	nft_jw_u64(&jw, "not_kept", fs->dropped);
	nft_view_ledger_json(&jw, fs->obj ? &fs->obj->refs : NULL);
	nft_view_lines_json(&jw, m);
	nft_jw_end(&jw);
	fputc('\n', out);
}

/*
 * The fscache before 5.17 names cookies by hashed pointers and prints
 * usage counts that its ref protocol does not let us check: the view is
 * the cookie's record (parent, acquire, relinquish, collision) and its
 * lines, with the lines of the cookies it parents.
 */
int nft_report_old_cookie(FILE *out, const struct nft_model *m, bool brief,
			  bool json)
{
	struct nft_focus f = nft_model_focus_of(m);
	const struct nft_old_cookie *c = nft_model_old_cookie(m, f.id64);
	char name[NFT_OBJECT_LEN];

	if (!c)
		return -1;
	nft_focus_name(&f, name);
	if (json) {
		struct nft_jw jw;

		nft_jw_init(&jw, out, NFT_JW_ONE_LINE);
		nft_jw_object_begin(&jw, NULL);
		nft_jw_str(&jw, "object", name);
		nft_jw_str(&jw, "kind", "cookie");
		nft_jw_strf(&jw, "id", "%016" PRIx64, c->id);
		nft_jw_str(&jw, "fscache", "before 5.17");
		if (c->parent)
			nft_jw_strf(&jw, "parent", "%016" PRIx64, c->parent);
		else
			nft_jw_null(&jw, "parent");
		nft_jw_u64(&jw, "events", c->events);
		nft_jw_u64(&jw, "first_line", c->pos_first);
		nft_jw_u64(&jw, "last_line", c->pos_last);
		nft_jw_bool(&jw, "acquired", c->acquired);
		nft_jw_bool(&jw, "relinquished", c->relinquished);
		if (c->usage >= 0)
			nft_jw_i64(&jw, "usage", c->usage);
		else
			nft_jw_null(&jw, "usage");
		if (c->pos_collision)
			nft_jw_u64(&jw, "collision_line", c->pos_collision);
		else
			nft_jw_null(&jw, "collision_line");
		nft_view_lines_json(&jw, m);
		nft_jw_end(&jw);
		fputc('\n', out);
		return 0;
	}
	if (brief) {
		nft_view_lines(out, m, true);
		return 0;
	}
	fprintf(out, "cookie: %s (fscache before 5.17: a hashed pointer; refs not analysed)\n",
		name);
	if (c->parent)
		fprintf(out, "parent: c=%016" PRIx64 "\n", c->parent);
	fprintf(out, "events: %" PRIu64 ", lines %" PRIu64 " - %" PRIu64 "\n",
		c->events, c->pos_first, c->pos_last);
	fprintf(out, "acquired: %s, relinquished: %s\n",
		c->acquired ? "yes" : "not in the capture",
		c->relinquished ? "yes" : "not in the capture");
	if (c->usage >= 0)
		fprintf(out, "last usage printed: u=%d\n", c->usage);
	if (c->pos_collision)
		fprintf(out, "collision: line %" PRIu64 " (*COLLISION*)\n",
			c->pos_collision);
	nft_view_lines(out, m, false);
	return 0;
}

int nft_report_fsobj(FILE *out, const struct nft_model *m, bool brief,
		     bool json)
{
	const struct nft_focus_fs *fs = nft_model_focus_fs(m);
	struct nft_focus f = nft_model_focus_of(m);

	if (!fs || !fs->seen || (unsigned int)f.type >=
	    sizeof(fs_prefix) / sizeof(fs_prefix[0]) || !fs_prefix[f.type])
		return -1;
	if (json)
		fsobj_json(out, m, &f, fs);
	else if (brief)
		nft_view_lines(out, m, true);
	else
		fsobj_text(out, m, &f, fs);
	return 0;
}
