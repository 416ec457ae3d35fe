// SPDX-License-Identifier: GPL-2.0
/*
 * decoders/dat_syms.c: the __print_symbolic() tables we read out of an event
 * format must be libtraceevent's own, entry for entry and in order, for
 * every format we take (the lean copy then carries `print fmt: ""` and the
 * tables are given back to libtraceevent's event).  Every format of the
 * corpus kernels (each kernel's formats.tar in NFT_CORPUS, default
 * ../shared/corpus),
 * the 6.12 formats of tests/fixtures/top and the hand-made ones of
 * tests/fixtures/dat/formats, each parsed both ways; and what must be left
 * to libtraceevent is.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "decoders/dat_syms.h"
#include "tap.h"

static int taken, left, ours_left, compared;

static void diag_left(const char *what);

/* libtraceevent's symbolic args of @arg, in the order tep_event.c walks them */
static void collect(struct tep_print_arg *arg, struct tep_print_arg **out,
		    int *n, int max)
{
	for (; arg; arg = arg->next) {
		if (arg->type == TEP_PRINT_SYMBOL) {
			if (*n < max)
				out[(*n)++] = arg;
		} else if (arg->type == TEP_PRINT_TYPE) {
			collect(arg->typecast.item, out, n, max);
		} else if (arg->type == TEP_PRINT_OP) {
			collect(arg->op.left, out, n, max);
			collect(arg->op.right, out, n, max);
		}
	}
}

static const char *field_of(struct tep_print_arg *sym)
{
	struct tep_print_arg *a = sym->symbol.field;

	while (a && a->type == TEP_PRINT_TYPE)
		a = a->typecast.item;
	return a && a->type == TEP_PRINT_FIELD ? a->field.name : NULL;
}

static bool same_tables(struct tep_event *a, struct tep_event *b,
			const char *what)
{
	struct tep_print_arg *sa[64], *sb[64];
	int na = 0, nb = 0, i;

	collect(a->print_fmt.args, sa, &na, 64);
	collect(b->print_fmt.args, sb, &nb, 64);
	if (na != nb) {
		ok(0, "%s: %d tables, libtraceevent %d", what, nb, na);
		return false;
	}
	for (i = 0; i < na; i++) {
		struct tep_print_flag_sym *x = sa[i]->symbol.symbols;
		struct tep_print_flag_sym *y = sb[i]->symbol.symbols;
		const char *fa = field_of(sa[i]), *fb = field_of(sb[i]);

		if (!fa || !fb || strcmp(fa, fb)) {
			ok(0, "%s: table %d of field %s, libtraceevent %s", what,
			   i, fb ? fb : "?", fa ? fa : "?");
			return false;
		}
		for (; x && y; x = x->next, y = y->next)
			if (strcmp(x->value, y->value) || strcmp(x->str, y->str)) {
				ok(0, "%s: %s { %s, \"%s\" }, libtraceevent { %s, \"%s\" }",
				   what, fa, y->value, y->str, x->value, x->str);
				return false;
			}
		if (x || y) {
			ok(0, "%s: table of %s differs in length", what, fa);
			return false;
		}
	}
	return true;
}

static bool our_system(const char *sys)
{
	return !strcmp(sys, "netfs") || !strcmp(sys, "fscache") ||
	       !strcmp(sys, "cachefiles");
}

/* One format, both ways. */
static void check_format(const char *sys, const char *text, size_t len,
			 const char *where)
{
	struct tep_handle *ta = tep_alloc(), *tb = tep_alloc();
	struct nft_dat_syms *s = nft_dat_syms_new();
	struct tep_event *ea, *eb = NULL;
	char *out = NULL, what[512];
	size_t olen = 0;
	int r;

	snprintf(what, sizeof(what), "%s", where);
	if (!ta || !tb || !s) {
		ok(0, "%s: out of memory", what);
		goto done;
	}
	tep_set_loglevel(TEP_LOG_NONE);
	if (tep_parse_event(ta, text, len, sys) ||
	    !(ea = tep_get_first_event(ta)))
		goto done;	/* libtraceevent cannot: not ours to judge */
	r = nft_dat_syms_strip(s, ea->id, text, len, &out, &olen);
	if (r) {
		struct tep_print_arg *sa[64];
		int na = 0;

		left++;
		collect(ea->print_fmt.args, sa, &na, 64);
		if (na && our_system(sys)) {
			ours_left++;
			diag_left(what);
		}
		goto done;
	}
	taken++;
	if (!ok(!tep_parse_event(tb, out, olen, sys) &&
		(eb = tep_get_first_event(tb)) && eb->id == ea->id,
		"%s: the stripped format parses", what))
		goto done;
	if (!ok(eb->print_fmt.format && !*eb->print_fmt.format &&
		!eb->print_fmt.args, "%s: stripped to print fmt \"\"", what))
		goto done;
	ok(!nft_dat_syms_attach(s, tb), "%s: attached", what);
	/* a second attach adds nothing */
	nft_dat_syms_attach(s, tb);
	if (same_tables(ea, eb, what))
		compared++;
	/* the fields are untouched */
	{
		struct tep_format_field **fa = tep_event_fields(ea);
		struct tep_format_field **fb = tep_event_fields(eb);
		int i;

		for (i = 0; fa && fb && fa[i] && fb[i]; i++)
			if (strcmp(fa[i]->name, fb[i]->name) ||
			    fa[i]->offset != fb[i]->offset ||
			    fa[i]->size != fb[i]->size ||
			    fa[i]->flags != fb[i]->flags)
				break;
		if (!fa || !fb || fa[i] || fb[i])
			ok(0, "%s: fields differ after stripping", what);
		free(fa);
		free(fb);
	}
done:
	free(out);
	nft_dat_syms_free(s);
	if (ta)
		tep_free(ta);
	if (tb)
		tep_free(tb);
}

/* ---- formats from a tar file (ustar: 512-byte headers) ---- */

/* 1 when @path was read */
static int from_tar(const char *path)
{
	FILE *f = fopen(path, "rb");
	char h[512];
	int n = 0;

	if (!f)
		return 0;
	while (fread(h, 1, 512, f) == 512 && h[0]) {
		char name[256], *text, *e, *sys, *slash;
		unsigned long size = strtoul(h + 124, NULL, 8);
		unsigned long pad = (512 - size % 512) % 512;

		snprintf(name, sizeof(name), "%.100s", h);
		text = malloc(size + 1);
		if (!text || fread(text, 1, size, f) != size) {
			free(text);
			break;
		}
		text[size] = 0;
		if (pad)
			fseek(f, pad, SEEK_CUR);
		/* .../events/SYS/NAME/format */
		e = strstr(name, "events/");
		if (h[156] != '5' && e && (slash = strrchr(name, '/')) &&
		    !strcmp(slash, "/format")) {
			char where[400];

			sys = e + 7;
			*strchr(sys, '/') = 0;
			snprintf(where, sizeof(where), "%s: %s/%s", path, sys,
				 sys + strlen(sys) + 1);
			check_format(sys, text, size, where);
			n++;
		}
		free(text);
	}
	fclose(f);
	ok(n > 0, "%s: %d formats read", path, n);
	return 1;
}

static void from_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[1024], *text;
		size_t n;
		FILE *f;
		const char *sys;

		if (!strstr(de->d_name, ".format"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		text = malloc(1 << 20);
		n = text ? fread(text, 1, 1 << 20, f) : 0;
		fclose(f);
		sys = !strncmp(de->d_name, "netfs", 5) ? "netfs" :
		      !strncmp(de->d_name, "fscache", 7) ? "fscache" :
		      !strncmp(de->d_name, "cachefiles", 10) ? "cachefiles" :
		      "other";
		if (text)
			check_format(sys, text, n, path);
		free(text);
	}
	closedir(d);
}

/* ---- what must stay with libtraceevent ---- */

static int strip_one(const char *print_fmt)
{
	char text[2048], *out = NULL;
	struct nft_dat_syms *s = nft_dat_syms_new();
	size_t olen;
	int r;

	snprintf(text, sizeof(text),
		 "name: x\nID: 7\nformat:\n"
		 "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		 "\tfield:int what;\toffset:8;\tsize:4;\tsigned:1;\n\n"
		 "print fmt: %s\n", print_fmt);
	r = nft_dat_syms_strip(s, 7, text, strlen(text), &out, &olen);
	free(out);
	nft_dat_syms_free(s);
	return r;
}

static void left_alone(void)
{
	static const struct {
		const char *print_fmt;
		int want;	/* 0 read by us, 1 left to libtraceevent */
		const char *what;
	} cases[] = {
		{ "\"%s\", __print_symbolic(REC->what, { 0, \"A\" }, { 1, \"B\" })",
		  0, "a plain table is read" },
		{ "\"%s\", __print_symbolic((int)REC->what, { netfs_x, \"A\" })",
		  0, "a cast field and an enum name are read" },
		{ "\"%s\", REC->what ? __print_symbolic(REC->what, { 0, \"A\" }) : \"-\"",
		  0, "a table in a top-level conditional is read" },
		{ "\"%d\", REC->what", 1, "no table: left alone" },
		{ "\"%s\", __print_symbolic(REC->what, { 1UL, \"A\" })",
		  1, "a suffixed number is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { (1 << 2), \"A\" })",
		  1, "an expression is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { -1, \"A\" })",
		  1, "a negative value is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { 0, \"A\\\"\" })",
		  1, "a string with an escape is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { 0, \"A\" \"B\" })",
		  1, "concatenated strings are left to libtraceevent" },
		{ "\"%s\", __print_symbolic_u64(REC->what, { 0, \"A\" })",
		  1, "__print_symbolic_u64 is left to libtraceevent" },
		{ "\"%s\", foo(__print_symbolic(REC->what, { 0, \"A\" }))",
		  1, "a table inside a call is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what + 1, { 0, \"A\" })",
		  1, "a field expression is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { 0, \"A\" }",
		  1, "an unclosed table is left to libtraceevent" },
		{ "\"%s, __print_symbolic(REC->what, { 0, \"A\" })",
		  1, "an unclosed format string is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what)",
		  1, "a table without entries is left to libtraceevent" },
		{ "\"%s\", __print_symbolic(REC->what, { 0, \"\xc3\xa9\" })",
		  1, "a byte that is not printable ASCII is left to libtraceevent" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is(strip_one(cases[i].print_fmt), cases[i].want, cases[i].what);
}


int main(void)
{
	const char *c = getenv("NFT_CORPUS");
	int corpus_tars = 0;
	char path[1024];
	DIR *d;
	struct dirent *de;

	left_alone();
	if (!c || !*c)
		c = "../shared/corpus";
	d = opendir(c);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/formats.tar", c, de->d_name);
		corpus_tars += from_tar(path);
	}
	if (d)
		closedir(d);
	from_tar("tests/fixtures/top/formats-6.12.tar");
	from_dir("tests/fixtures/dat/formats");
	/* the fixtures' 6.12 formats alone give ~25; the corpus kernels ~100 */
	ok(taken >= (corpus_tars ? 90 : 20),
	   "formats read by us: %d (left to libtraceevent: %d)", taken, left);
	is(compared, taken, "every table read as libtraceevent reads it");
	is(ours_left, 0, "no netfs/fscache/cachefiles table left to libtraceevent");
	return tap_done();
}

static void diag_left(const char *what)
{
	printf("# left to libtraceevent: %s\n", what);
}
