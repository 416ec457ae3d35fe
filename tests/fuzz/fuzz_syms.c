// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target, differential: an event format's print fmt (the fuzz
 * input, after a fixed header of fields, ID 9) through decoders/dat_syms.c
 * and through libtraceevent.  When we take the format (its print fmt left
 * out of the lean copy), the tables we give back to libtraceevent's event
 * must be the ones tep_parse_event() builds from the original: all of
 * them, or the first ones where libtraceevent's parse stopped early
 * (event_read_print_args() ends the list, silently, at a token it does not
 * expect after an arg).  A difference aborts.
 *
 * libtraceevent's own parse of the original runs in a child: it crashes on
 * some damaged print fmts (the reason for dat_open.c's checking child, and
 * one the lean copy's empty print fmt now spares it); such an input, one it
 * refuses or flags failed, is not judged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <signal.h>

#include <event-parse.h>
#include <sanitizer/common_interface_defs.h>

#include "decoders/dat_syms.h"

static const char head[] =
	"name: fz\nID: 9\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:unsigned int what;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:int source;\toffset:12;\tsize:4;\tsigned:1;\n\n"
	"print fmt: ";

struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* The tables in the order decoders/tep_event.c walks them, one a line. */
static void tables(struct tep_print_arg *arg, struct buf *b)
{
	for (; arg; arg = arg->next) {
		if (arg->type == TEP_PRINT_SYMBOL) {
			struct tep_print_arg *f = arg->symbol.field;
			struct tep_print_flag_sym *s;

			while (f && f->type == TEP_PRINT_TYPE)
				f = f->typecast.item;
			put(b, f && f->type == TEP_PRINT_FIELD ? f->field.name : "?");
			for (s = arg->symbol.symbols; s; s = s->next) {
				put(b, " {");
				put(b, s->value ? s->value : "(null)");
				put(b, "|");
				put(b, s->str ? s->str : "(null)");
				put(b, "}");
			}
			put(b, "\n");
		} else if (arg->type == TEP_PRINT_TYPE) {
			tables(arg->typecast.item, b);
		} else if (arg->type == TEP_PRINT_OP) {
			tables(arg->op.left, b);
			tables(arg->op.right, b);
		}
	}
}

static void child_died(void)
{
	_exit(3);
}

/* libtraceevent's tables of @text, parsed in a child; NULL: not judged. */
static char *theirs(const char *text, size_t len)
{
	struct buf got = { 0 };
	char chunk[4096];
	int fd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (!pid) {
		struct tep_handle *t = tep_alloc();
		struct tep_event *e;
		struct buf b = { 0 };
		size_t off = 0;

		close(fd[0]);
		/*
		 * Its crash is libtraceevent's, not ours: die quietly, without
		 * the sanitizer's report or libFuzzer's crash artifact.
		 */
		__sanitizer_set_death_callback(child_died);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		tep_set_loglevel(TEP_LOG_NONE);
		if (!t || tep_parse_event(t, text, len, "netfs") ||
		    !(e = tep_get_first_event(t)) ||
		    (e->flags & TEP_EVENT_FL_FAILED))
			_exit(3);
		put(&b, "");
		tables(e->print_fmt.args, &b);
		while (off < b.len) {
			n = write(fd[1], b.p + off, b.len - off);
			if (n <= 0)
				_exit(3);
			off += n;
		}
		_exit(0);
	}
	close(fd[1]);
	put(&got, "");
	while ((n = read(fd[0], chunk, sizeof(chunk) - 1)) > 0) {
		chunk[n] = 0;
		put(&got, chunk);
	}
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		free(got.p);
		return NULL;
	}
	return got.p;
}

static void differ(const char *text, const char *a, const char *b)
{
	fprintf(stderr, "dat_syms and libtraceevent differ on:\n%s\n"
		"libtraceevent:\n%s\nours:\n%s\n", text, a, b);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nft_dat_syms *s = NULL;
	struct tep_handle *tb = NULL;
	struct tep_event *eb;
	struct buf ours = { 0 };
	char *text, *out = NULL, *their = NULL;
	size_t len = sizeof(head) - 1 + size, olen;

	if (size > 4096 || memchr(data, 0, size))
		return 0;
	text = malloc(len + 2);
	if (!text)
		return 0;
	memcpy(text, head, sizeof(head) - 1);
	memcpy(text + sizeof(head) - 1, data, size);
	text[len] = '\n';
	text[len + 1] = 0;
	len++;
	tep_set_loglevel(TEP_LOG_NONE);
	s = nft_dat_syms_new();
	if (!s || nft_dat_syms_strip(s, 9, text, len, &out, &olen))
		goto out;
	tb = tep_alloc();
	if (!tb || tep_parse_event(tb, out, olen, "netfs") ||
	    !(eb = tep_get_first_event(tb)))
		differ(text, "(the stripped format does not parse)", out);
	if (nft_dat_syms_attach(s, tb) || !(their = theirs(text, len)))
		goto out;
	put(&ours, "");
	tables(eb->print_fmt.args, &ours);
	/* theirs: all of ours, or the first of them */
	if (strncmp(ours.p, their, strlen(their)) ||
	    (*their && their[strlen(their) - 1] != '\n'))
		differ(text, their, ours.p);
out:
	free(ours.p);
	free(their);
	free(out);
	nft_dat_syms_free(s);
	if (tb)
		tep_free(tb);
	free(text);
	return 0;
}
