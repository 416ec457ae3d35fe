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

static void json_links(FILE *out, const char *key, const char *idkey,
		       const struct nft_focus_link *v, size_t n)
{
	size_t i;

	fprintf(out, ", \"%s\": [", key);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s{\"%s\": \"%08x\", \"line\": %" PRIu64,
			i ? ", " : "", idkey, v[i].id, v[i].pos);
		if (!strcmp(idkey, "request")) {
			fputs(", \"operation\": ", out);
			nft_json_str(out, v[i].copy ? "COPY2CACHE" :
					  !v[i].what ? "" :
					  nft_sym_name(v[i].is_write ?
						       NFT_SYMC_WRITE_TRACE :
						       NFT_SYMC_READ_TRACE,
						       v[i].what));
		}
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_accesses(FILE *out, const struct nft_focus_fs *fs)
{
	size_t i;

	fprintf(out, ", \"open_accesses\": %zu, \"accesses\": [",
		open_accesses(fs));
	for (i = 0; i < fs->n_accesses; i++) {
		const struct nft_focus_access *a = &fs->accesses[i];

		fprintf(out, "%s{\"begin\": ", i ? ", " : "");
		if (a->begin) {
			nft_json_str(out, access_name(a->begin));
			fprintf(out, ", \"begin_line\": %" PRIu64 ", \"begin_ts\": ",
				a->pos_begin);
			nft_view_ts_json(out, a->ts_begin);
			fprintf(out, ", \"begin_a\": %d", a->a_begin);
		} else {
			fputs("null, \"begin_line\": null, \"begin_ts\": null, \"begin_a\": null", out);
		}
		fputs(", \"end\": ", out);
		if (a->end) {
			nft_json_str(out, access_name(a->end));
			fprintf(out, ", \"end_line\": %" PRIu64 ", \"end_ts\": ",
				a->pos_end);
			nft_view_ts_json(out, a->ts_end);
			fprintf(out, ", \"end_a\": %d", a->a_end);
		} else {
			fputs("null, \"end_line\": null, \"end_ts\": null, \"end_a\": null", out);
		}
		fprintf(out, ", \"open\": %s}", a->end ? "false" : "true");
	}
	fputc(']', out);
}

static void fsobj_json(FILE *out, const struct nft_model *m,
		       const struct nft_focus *f,
		       const struct nft_focus_fs *fs)
{
	char name[NFT_OBJECT_LEN];
	uint32_t volume = fs->volume;
	size_t i;

	nft_focus_name(f, name);
	fprintf(out, "{\"object\": \"%s\", \"kind\": \"%s\", \"id\": \"%08x\", \"state\": \"%s\", \"first_line\": %" PRIu64 ", \"last_line\": %" PRIu64,
		name, nft_focus_kind(f->type), f->id,
		nft_fsobj_state_name(fs->obj), fs->pos_first, fs->pos_last);
	switch (f->type) {
	case NFT_FOCUS_COOKIE:
		if (!volume && fs->obj)
			volume = fs->obj->link;
		if (volume)
			fprintf(out, ", \"volume\": \"%08x\"", volume);
		else
			fputs(", \"volume\": null", out);
		json_links(out, "objects", "object", fs->objects,
			   fs->n_objects);
		json_links(out, "requests", "request", fs->users, fs->n_users);
		json_accesses(out, fs);
		break;
	case NFT_FOCUS_VOLUME:
		json_links(out, "cookies", "cookie", fs->users, fs->n_users);
		json_accesses(out, fs);
		break;
	case NFT_FOCUS_CF_OBJECT:
		if (fs->cookie)
			fprintf(out, ", \"cookie\": \"%08x\"", fs->cookie);
		else
			fputs(", \"cookie\": null", out);
		if (fs->backer_known)
			fprintf(out, ", \"backer\": \"%" PRIx64 "\"", fs->backer);
		else
			fputs(", \"backer\": null", out);
		fprintf(out, ", \"reads\": {\"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}, \"writes\": {\"count\": %" PRIu64 ", \"bytes\": %" PRIu64 "}, \"truncations\": [",
			fs->reads, fs->read_bytes, fs->writes, fs->write_bytes);
		for (i = 0; i < fs->n_truncs; i++) {
			const struct nft_focus_trunc *t = &fs->truncs[i];

			fprintf(out, "%s{\"line\": %" PRIu64 ", \"ts\": ",
				i ? ", " : "", t->pos);
			nft_view_ts_json(out, t->ts);
			fputs(", \"why\": ", out);
			nft_json_str(out, nft_sym_name(NFT_SYMC_CF_TRUNC,
						       t->what));
			fprintf(out, ", \"from\": %" PRIu64 ", \"to\": %" PRIu64 "}",
				t->from, t->to);
		}
		fputc(']', out);
		break;
	default:
		break;
	}
	fprintf(out, ", \"not_kept\": %" PRIu64 ", \"refs\": ", fs->dropped);
	if (fs->obj) {
		nft_view_ledger_json(out, &fs->obj->refs);
	} else {
		struct nft_ledger none;

		memset(&none, 0, sizeof(none));
		nft_view_ledger_json(out, &none);
	}
	nft_view_lines_json(out, m);
	fputs("}\n", out);
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
		fprintf(out, "{\"object\": \"%s\", \"kind\": \"cookie\", \"id\": \"%016" PRIx64 "\", \"fscache\": \"before 5.17\", \"parent\": ",
			name, c->id);
		if (c->parent)
			fprintf(out, "\"%016" PRIx64 "\"", c->parent);
		else
			fputs("null", out);
		fprintf(out, ", \"events\": %" PRIu64 ", \"first_line\": %" PRIu64 ", \"last_line\": %" PRIu64 ", \"acquired\": %s, \"relinquished\": %s, \"usage\": ",
			c->events, c->pos_first, c->pos_last,
			c->acquired ? "true" : "false",
			c->relinquished ? "true" : "false");
		if (c->usage >= 0)
			fprintf(out, "%d", c->usage);
		else
			fputs("null", out);
		fputs(", \"collision_line\": ", out);
		if (c->pos_collision)
			fprintf(out, "%" PRIu64, c->pos_collision);
		else
			fputs("null", out);
		nft_view_lines_json(out, m);
		fputs("}\n", out);
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
