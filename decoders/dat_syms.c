// SPDX-License-Identifier: GPL-2.0
/*
 * __print_symbolic() tables read by us, so that libtraceevent need not.
 *
 * After the lean copy (dat_zcpu.c, dat_layout.c), parsing the event formats
 * was most of what opening a small trace.dat cost: tep_parse_event() runs
 * ~220 k instructions a format, nearly all in the tables of its print fmt
 * (a 6.1 fscache_cookie format is 24 `{ n, "NAME" }` entries, tokenized a
 * character and a malloc at a time), and it runs twice, in the checking
 * child and in the process.  The decoder needs those tables (the names of
 * what, source, trace...: decoders/tep_event.c build_sym_map()), nothing
 * else of the print fmt: the lean copy is only made when records are read
 * into events, never printed by libtraceevent (raw rendering opens the
 * whole file).
 *
 * So the lean copy carries `print fmt: ""` for every format whose tables we
 * read exactly as libtraceevent would, and the tables are given back to
 * libtraceevent's event as the same args its parser makes (a
 * TEP_PRINT_SYMBOL whose field is a TEP_PRINT_FIELD, its symbols a list of
 * value and string, in order), owned and freed by libtraceevent.  A format
 * with anything we do not read exactly -- a value that is not a plain
 * number or enum name, a string with an escape, a __print_symbolic() inside
 * another call or expression, __print_symbolic_u64(), a table without
 * entries, a byte that is not printable ASCII -- keeps its print fmt and
 * libtraceevent parses it as before.  Where libtraceevent's parse of a
 * print fmt we take stops early (event_read_print_args() ends the list at
 * a token it does not expect after an arg, silently, or flags the event
 * TEP_EVENT_FL_FAILED), it has the tables before that point and we have
 * them all (tests/fuzz/fuzz_syms.c holds the two to that, differentially).
 * tests/unit/test_dat_syms.c holds every format of the corpus kernels to
 * libtraceevent's own tables.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "dat_syms.h"

struct sym {
	char *value, *str;
};

struct table {
	char *field;
	struct sym *syms;
	int n;
};

struct fmt_syms {
	long id;
	struct table *t;
	int n;
};

struct nft_dat_syms {
	struct fmt_syms *f;
	int n, cap;
};

bool nft_dat_syms_enabled(void)
{
	const char *env = getenv("NETFS_REPLAY_DAT_SYMS");

	return !env || strcmp(env, "0");
}

struct nft_dat_syms *nft_dat_syms_new(void)
{
	return calloc(1, sizeof(struct nft_dat_syms));
}

static void free_tables(struct table *t, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < t[i].n; j++) {
			free(t[i].syms[j].value);
			free(t[i].syms[j].str);
		}
		free(t[i].syms);
		free(t[i].field);
	}
	free(t);
}

void nft_dat_syms_free(struct nft_dat_syms *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free_tables(s->f[i].t, s->f[i].n);
	free(s->f);
	free(s);
}

int nft_dat_syms_count(const struct nft_dat_syms *s)
{
	return s ? s->n : 0;
}

/* ---- reading a print fmt ---- */

struct cur {
	const char *p, *end;
};

static void blanks(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static bool ident_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

static bool eat(struct cur *c, char ch)
{
	blanks(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* A string literal without escapes: its contents in *s, *len. */
static bool string_lit(struct cur *c, const char **s, size_t *len)
{
	const char *q;

	blanks(c);
	if (c->p >= c->end || *c->p != '"')
		return false;
	for (q = c->p + 1; q < c->end && *q != '"'; q++)
		if (*q == '\\' || *q == '\n')
			return false;
	if (q >= c->end)
		return false;
	*s = c->p + 1;
	*len = q - *s;
	c->p = q + 1;
	/* "a" "b" is one string to a C compiler: not read here */
	blanks(c);
	return c->p >= c->end || *c->p != '"';
}

/*
 * A table value libtraceevent keeps as the very token: a decimal or 0x
 * number, or an enum name the kernel did not resolve.
 */
static bool plain_value(struct cur *c, const char **v, size_t *len)
{
	const char *q;

	blanks(c);
	q = c->p;
	if (q >= c->end)
		return false;
	if (isdigit((unsigned char)*q)) {
		if (q + 1 < c->end && *q == '0' &&
		    (q[1] == 'x' || q[1] == 'X')) {
			q += 2;
			if (q >= c->end || !isxdigit((unsigned char)*q))
				return false;
			while (q < c->end && isxdigit((unsigned char)*q))
				q++;
		} else {
			while (q < c->end && isdigit((unsigned char)*q))
				q++;
		}
	} else if (isalpha((unsigned char)*q) || *q == '_') {
		while (q < c->end && ident_char(*q))
			q++;
	} else {
		return false;
	}
	/* 1UL, 0x10ULL, a.b, a+b...: not a single plain token */
	if (q < c->end && (ident_char(*q) || *q == '.'))
		return false;
	*v = c->p;
	*len = q - c->p;
	c->p = q;
	return true;
}

/* REC->name under casts "(type)": the name. */
static bool field_arg(struct cur *c, const char **name, size_t *len)
{
	const char *q;

	for (;;) {
		blanks(c);
		if (c->p < c->end && *c->p == '(') {
			for (q = c->p + 1; q < c->end && *q != ')'; q++)
				if (!ident_char(*q) && *q != ' ' && *q != '*')
					return false;
			if (q >= c->end)
				return false;
			c->p = q + 1;
			continue;
		}
		break;
	}
	if (c->end - c->p < 5 || memcmp(c->p, "REC->", 5))
		return false;
	c->p += 5;
	q = c->p;
	while (q < c->end && ident_char(*q))
		q++;
	if (q == c->p)
		return false;
	*name = c->p;
	*len = q - c->p;
	c->p = q;
	return true;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* After "__print_symbolic(": the field, the entries, ")".  1: not read. */
static int symbolic(struct cur *c, struct table *t)
{
	const char *name, *v, *s;
	size_t nlen, vlen, slen;

	if (!field_arg(c, &name, &nlen))
		return 1;
	if (!(t->field = dup_n(name, nlen)))
		return -1;
	for (;;) {
		struct sym *m;

		/* the kernel's macro has at least one entry; () is not ours */
		if (eat(c, ')'))
			return t->n ? 0 : 1;
		if (!eat(c, ',') || !eat(c, '{') ||
		    !plain_value(c, &v, &vlen) || !eat(c, ',') ||
		    !string_lit(c, &s, &slen) || !eat(c, '}'))
			return 1;
		m = realloc(t->syms, (t->n + 1) * sizeof(*m));
		if (!m)
			return -1;
		t->syms = m;
		m += t->n;
		m->value = dup_n(v, vlen);
		m->str = dup_n(s, slen);
		t->n++;
		if (!m->value || !m->str)
			return -1;
	}
}

static bool word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - p) >= n && !memcmp(p, w, n) &&
	       (p + n == end || !ident_char(p[n]));
}

/*
 * The args after the format string: the tables of its __print_symbolic()s
 * at the top level, in order.  1 when something is not read exactly.
 */
static int read_args(struct cur *c, struct table **tables, int *n)
{
	int depth = 0, ret;

	while (c->p < c->end) {
		char ch = *c->p;

		if (ch == '"') {
			const char *s;
			size_t len;

			if (!string_lit(c, &s, &len))
				return 1;
			continue;
		}
		if (ch == '\'')
			return 1;
		if (ch == '(' || ch == '{' || ch == '[') {
			depth++;
		} else if (ch == ')' || ch == '}' || ch == ']') {
			if (--depth < 0)
				return 1;
		} else if (ident_char(ch) &&
			   (c->p == c->end || !ident_char(c->p[-1]))) {
			if (word_at(c->p, c->end, "__print_symbolic")) {
				struct table *m;

				/* libtraceevent may not reach it */
				if (depth)
					return 1;
				c->p += strlen("__print_symbolic");
				if (!eat(c, '('))
					return 1;
				m = realloc(*tables, (*n + 1) * sizeof(*m));
				if (!m)
					return -1;
				*tables = m;
				memset(&m[*n], 0, sizeof(m[*n]));
				(*n)++;
				ret = symbolic(c, &m[*n - 1]);
				if (ret)
					return ret;
				continue;
			}
			if (!strncmp(c->p, "__print_symbolic", 16))
				return 1;	/* _u64 and the like */
			while (c->p < c->end && ident_char(*c->p))
				c->p++;
			continue;
		}
		c->p++;
	}
	return depth ? 1 : 0;
}

int nft_dat_syms_strip(struct nft_dat_syms *s, long id, const char *text,
		       size_t len, char **out, size_t *olen)
{
	static const char key[] = "\nprint fmt: ";
	static const char empty[] = "\"\"\n";
	const char *pf = NULL, *q, *end = text + len;
	struct table *t = NULL;
	struct cur c;
	size_t head;
	int n = 0, ret;
	char *o;

	*out = NULL;
	for (q = text; q + sizeof(key) - 1 <= end; q++) {
		q = memchr(q, '\n', end - q);
		if (!q)
			break;
		if ((size_t)(end - q) >= sizeof(key) - 1 &&
		    !memcmp(q, key, sizeof(key) - 1)) {
			pf = q + sizeof(key) - 1;
			break;
		}
	}
	if (!pf || memchr(text, 0, len))
		return 1;
	/* the format string, then the args up to the end of the line */
	c.p = pf;
	c.end = memchr(pf, '\n', end - pf);
	if (!c.end)
		c.end = end;
	/* the kernel writes it in printable ASCII; anything else is damage */
	for (q = pf; q < c.end; q++)
		if ((*q < 0x20 && *q != '\t') || *q >= 0x7f)
			return 1;
	q = c.end;
	while (q < end && (*q == '\n' || *q == ' ' || *q == '\t'))
		q++;
	if (q != end)
		return 1;	/* more after the print fmt line */
	{
		const char *fs;
		size_t fl;

		if (!string_lit(&c, &fs, &fl))
			return 1;
	}
	ret = read_args(&c, &t, &n);
	if (ret || !n) {
		/* nothing of ours to read: leave it to libtraceevent */
		free_tables(t, n);
		return ret < 0 ? -1 : 1;
	}
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct fmt_syms *m = realloc(s->f, cap * sizeof(*m));

		if (!m) {
			free_tables(t, n);
			return -1;
		}
		s->f = m;
		s->cap = cap;
	}
	head = pf - text;
	o = malloc(head + sizeof(empty));
	if (!o) {
		free_tables(t, n);
		return -1;
	}
	memcpy(o, text, head);
	memcpy(o + head, empty, sizeof(empty) - 1);
	o[head + sizeof(empty) - 1] = 0;
	s->f[s->n].id = id;
	s->f[s->n].t = t;
	s->f[s->n].n = n;
	s->n++;
	*out = o;
	*olen = head + sizeof(empty) - 1;
	return 0;
}

/* ---- giving them back ---- */

/* What make_symbolic() built, as libtraceevent's free_arg() frees it. */
static void free_symbolic(struct tep_print_arg *a)
{
	struct tep_print_flag_sym *fs, *next;

	if (a->symbol.field)
		free(a->symbol.field->field.name);
	free(a->symbol.field);
	for (fs = a->symbol.symbols; fs; fs = next) {
		next = fs->next;
		free(fs->value);
		free(fs->str);
		free(fs);
	}
	free(a);
}

static struct tep_print_arg *make_symbolic(struct tep_event *ev,
					   const struct table *t)
{
	struct tep_print_arg *a = calloc(1, sizeof(*a));
	struct tep_print_arg *f = calloc(1, sizeof(*f));
	struct tep_print_flag_sym **tail;
	int i;

	if (!a || !f) {
		free(a);
		free(f);
		return NULL;
	}
	a->type = TEP_PRINT_SYMBOL;
	a->symbol.field = f;
	f->type = TEP_PRINT_FIELD;
	f->field.name = strdup(t->field);
	/* as libtraceevent's process_entry() marks it */
	f->field.field = tep_find_any_field(ev, t->field);
	if (f->field.field)
		f->field.field->flags |= TEP_FIELD_IS_SYMBOLIC;
	tail = &a->symbol.symbols;
	for (i = 0; f->field.name && i < t->n; i++) {
		struct tep_print_flag_sym *fs = calloc(1, sizeof(*fs));

		if (!fs)
			break;
		*tail = fs;
		tail = &fs->next;
		fs->value = strdup(t->syms[i].value);
		fs->str = strdup(t->syms[i].str);
		if (!fs->value || !fs->str)
			break;
	}
	if (i < t->n || !f->field.name) {
		free_symbolic(a);
		return NULL;
	}
	return a;
}

int nft_dat_syms_attach(const struct nft_dat_syms *s, struct tep_handle *tep)
{
	int i, j;

	for (i = 0; s && i < s->n; i++) {
		struct tep_event *ev = tep_find_event(tep, s->f[i].id);
		struct tep_print_arg **tail;

		/* a stripped format has no args; never attach twice */
		if (!ev || ev->print_fmt.args ||
		    (ev->print_fmt.format && *ev->print_fmt.format))
			continue;
		tail = &ev->print_fmt.args;
		for (j = 0; j < s->f[i].n; j++) {
			struct tep_print_arg *a;

			a = make_symbolic(ev, &s->f[i].t[j]);
			if (!a)
				return -1;
			*tail = a;
			tail = &a->next;
		}
	}
	return 0;
}
