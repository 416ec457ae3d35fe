// SPDX-License-Identifier: GPL-2.0
/*
 * netfs-top's screen: header, a table per grouping, the findings pane,
 * and a drill-down into one row's requests and one request's timeline.
 *
 * Flicker: every frame is drawn into curses' virtual screen with erase(),
 * never clear(); doupdate() then sends only the cells that changed.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui.h"
#include "../libnetfs-trace/vocab.h"

enum view { V_TABLE, V_REQS, V_REPORT };

struct ui {
	struct nft_top *top;
	const struct tui_opts *o;
	enum view view;
	enum nft_top_group group;
	enum nft_top_col sort;
	bool ascending, paused, help, ended;
	char filter[64];
	bool editing;		/* typing a filter */
	char edit[64];
	int sel, first;		/* table: selected row, first visible */
	uint64_t sel_key;	/* the selected row follows its key */
	struct nft_top_req reqs[64];
	int nreqs, rsel;
	char row_name[24];
	char *report;		/* request timeline text */
	int rline;		/* first line shown */
	int report_lines;
};

/*
 * The way back to the terminal as we found it without curses, for a fatal
 * signal handler (only write() and tcsetattr() there, both
 * async-signal-safe): the termios saved before newterm(), and the leave
 * sequences of this terminal (rmcup: off the alternate screen, cnorm:
 * cursor visible, rmkx: keypad local, sgr0: plain attributes) looked up
 * once curses knew the terminal.
 */
static volatile sig_atomic_t curses_on;
static struct {
	struct termios tio;
	int tio_fd;		/* -1: no termios saved */
	int out_fd;
	char seq[256];
	size_t len;
} saved = { .tio_fd = -1, .out_fd = -1 };

static void save_terminal(void)
{
	static const char *const caps[] = { "sgr0", "rmkx", "cnorm", "rmcup" };
	size_t i;

	saved.len = 0;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *v = tigetstr(caps[i]);
		size_t n;

		if (!v || v == (char *)-1)
			continue;
		n = strlen(v);
		if (saved.len + n > sizeof(saved.seq))
			continue;
		memcpy(saved.seq + saved.len, v, n);
		saved.len += n;
	}
}

void tui_emergency_restore(void)
{
	ssize_t w;

	if (!curses_on)
		return;
	curses_on = 0;
	if (saved.out_fd >= 0 && saved.len)
		w = write(saved.out_fd, saved.seq, saved.len);
	(void)w;
	if (saved.tio_fd >= 0)
		tcsetattr(saved.tio_fd, TCSANOW, &saved.tio);
}

/* The ordinary way out: curses puts everything back itself. */
static void tui_restore(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void put(int y, int x, const char *s)
{
	if (y < LINES && x < COLS)
		mvaddnstr(y, x, s, COLS - x);
}

static void putf(int y, int x, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void putf(int y, int x, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(y, x, buf);
}

static int draw_header(struct ui *u)
{
	const struct nft_top_header *h = nft_top_header(u->top);
	const struct nft_summary *d = &h->delta;
	double s = h->secs > 0 ? h->secs : 1;
	char rd[16], wr[16], age[16], line[256];
	int i, len = 0;

	nft_top_fmt_bytes(rd, sizeof(rd), d->bytes_read / s);
	nft_top_fmt_bytes(wr, sizeof(wr), d->bytes_written / s);
	nft_top_fmt_ns(age, sizeof(age), h->oldest_age_ns);
	attron(A_BOLD);
	putf(0, 0, "netfs-top - %s - every %.1fs%s%s", u->o->source,
	     u->o->interval, u->paused ? "  [PAUSED]" : "",
	     u->ended ? "  [end of capture]" : "");
	attroff(A_BOLD);
	line[0] = 0;
	for (i = 1; i < NFT_ORIGIN__NR && len < (int)sizeof(line) - 24; i++)
		if (d->requests_by_origin[i])
			len += snprintf(line + len, sizeof(line) - len, " %s %.1f",
					nft_sym_name(NFT_SYMC_ORIGIN, i),
					d->requests_by_origin[i] / s);
	putf(1, 0, "Req/s %.1f:%s", d->requests / s, len ? line : " -");
	putf(2, 0, "Read %s/s  Write %s/s  Subreq/s server %.1f cache %.1f zero %.1f",
	     rd, wr,
	     (d->subreqs_by_source[NFT_SRC_DOWNLOAD] +
	      d->subreqs_by_source[NFT_SRC_UPLOAD]) / s,
	     (d->subreqs_by_source[NFT_SRC_CACHE_READ] +
	      d->subreqs_by_source[NFT_SRC_CACHE_WRITE]) / s,
	     d->subreqs_by_source[NFT_SRC_ZERO] / s);
	putf(3, 0, "Retries/s %.1f  Failures/s %.1f  In flight %" PRIu64 "  Oldest %s",
	     d->retries / s, d->failures / s, h->in_flight, age);
	if (h->total.lost_events || h->total.lost_markers) {
		attron(A_BOLD);
		putf(3, COLS > 70 ? 56 : 0, " Lost events %" PRIu64 "%s",
		     h->total.lost_events,
		     h->total.lost_events ? "" : " (some)");
		attroff(A_BOLD);
	} else {
		putf(3, COLS > 70 ? 56 : 0, " Lost events 0");
	}
	putf(4, 0, "Total: %" PRIu64 " requests, %" PRIu64 " events, %" PRIu64 " findings",
	     h->total.requests, h->total.events, h->findings);
	/* the object bound was reached: what left the model (model.h) */
	if (h->total.evicted_requests || h->total.evicted_fsobjs) {
		attron(A_BOLD);
		putf(4, COLS > 70 ? 56 : 0, " Evicted %" PRIu64 " (bound %" PRIu64 ")",
		     h->total.evicted_requests + h->total.evicted_fsobjs,
		     h->total.max_objects);
		attroff(A_BOLD);
	}
	return 6;
}

static void fmt_cell(const struct nft_top *t, const struct nft_top_row *r,
		     enum nft_top_col c, char *b, size_t sz)
{
	double v = nft_top_value(t, r, c);

	if (c == NFT_TOP_COL_RD || c == NFT_TOP_COL_WR)
		nft_top_fmt_bytes(b, sz, v);
	else if (c >= NFT_TOP_COL_P50)
		nft_top_fmt_ns(b, sz, (uint64_t)v);
	else if (c == NFT_TOP_COL_REQS)
		snprintf(b, sz, "%.1f", v);
	else
		snprintf(b, sz, "%.0f", v);
}

static void draw_findings(struct ui *u, int y, int rows)
{
	size_t i, n = nft_top_nr_findings(u->top);

	attron(A_REVERSE);
	putf(y, 0, "%-*s", COLS, " FINDINGS (newest first)");
	attroff(A_REVERSE);
	if (!n)
		put(y + 1, 1, "none");
	for (i = 0; i < n && (int)i < rows - 1; i++) {
		const struct nft_top_finding *f = nft_top_finding_at(u->top, i);

		putf(y + 1 + i, 1, "%-14s %-8s %-18s %s%s",
		     nft_finding_kind_name(f->kind),
		     nft_severity_name(f->severity), f->object, f->message,
		     f->uncertain ? " (uncertain: events lost)" : "");
	}
}

static void draw_table(struct ui *u, int y)
{
	const struct nft_top_row **rows;
	int fpane = LINES >= 24 ? 7 : 3;
	int avail = LINES - y - 2 - fpane;
	int i, c, n;

	n = (int)nft_top_rows(u->top, u->group, u->sort, u->ascending,
			      u->filter, &rows);
	/* Keep the selection on the same key across re-sorts. */
	for (i = 0; i < n; i++)
		if (rows[i]->key == u->sel_key) {
			u->sel = i;
			break;
		}
	if (u->sel >= n)
		u->sel = n ? n - 1 : 0;
	if (u->sel < u->first)
		u->first = u->sel;
	if (avail > 0 && u->sel >= u->first + avail)
		u->first = u->sel - avail + 1;
	if (n)
		u->sel_key = rows[u->sel]->key;
	attron(A_REVERSE);
	move(y, 0);
	clrtoeol();
	putf(y, 0, "%-*s", COLS, "");
	putf(y, 0, "%-20s", nft_top_group_name(u->group));
	for (c = 1; c < NFT_TOP_COL__NR; c++) {
		if (c == (int)u->sort)
			attron(A_BOLD | A_UNDERLINE);
		putf(y, 20 + (c - 1) * 9, " %8s", nft_top_col_name(c));
		if (c == (int)u->sort)
			attroff(A_BOLD | A_UNDERLINE);
	}
	attroff(A_REVERSE);
	for (i = 0; i < avail && u->first + i < n; i++) {
		const struct nft_top_row *r = rows[u->first + i];

		if (u->first + i == u->sel)
			attron(A_STANDOUT);
		putf(y + 1 + i, 0, "%-*s", COLS, "");
		putf(y + 1 + i, 0, "%-20s", r->name);
		for (c = 1; c < NFT_TOP_COL__NR; c++) {
			char b[16];

			fmt_cell(u->top, r, c, b, sizeof(b));
			putf(y + 1 + i, 20 + (c - 1) * 9, " %8s", b);
		}
		if (u->first + i == u->sel)
			attroff(A_STANDOUT);
	}
	if (!n)
		put(y + 1, 1, u->filter[0] ? "no row matches the filter" :
		    "no request has ended yet");
	draw_findings(u, LINES - 1 - fpane, fpane);
}

static void draw_reqs(struct ui *u, int y)
{
	int i;

	attron(A_REVERSE);
	putf(y, 0, "%-*s", COLS, "");
	putf(y, 0, " %s %s: in-flight and recent requests (Enter: timeline, Esc: back)",
	     nft_top_group_name(u->group), u->row_name);
	attroff(A_REVERSE);
	putf(y + 1, 0, "%-10s %-6s %-9s %-10s %-10s %8s %6s %5s %5s %10s",
	     "REQUEST", "ORIGIN", "STATE", "START", "LEN", "BYTES", "SUBREQ",
	     "RETRY", "FAIL", "LATENCY");
	for (i = 0; i < u->nreqs && y + 2 + i < LINES - 1; i++) {
		const struct nft_top_req *q = &u->reqs[i];
		char lat[16];

		nft_top_fmt_ns(lat, sizeof(lat),
			       q->t_end > q->t_new ? q->t_end - q->t_new : 0);
		if (i == u->rsel)
			attron(A_STANDOUT);
		putf(y + 2 + i, 0, "R=%08x %-6s %-9s %-10" PRIx64 " %-10" PRIx64 " %8" PRIu64 " %6u %5u %5u %10s%s",
		     q->id, q->origin ? nft_sym_name(NFT_SYMC_ORIGIN, q->origin) : "-",
		     q->t_end ? "done" : "IN FLIGHT", q->start, q->len, q->bytes,
		     q->subreqs, q->retries, q->failures,
		     q->t_end ? lat : "-", q->uncertain ? " ?" : "");
		if (i == u->rsel)
			attroff(A_STANDOUT);
	}
	if (!u->nreqs)
		put(y + 2, 1, "no requests remembered for this row");
}

static void draw_report(struct ui *u, int y)
{
	const char *p = u->report ? u->report : "";
	int line = 0, row = y + 1;

	attron(A_REVERSE);
	putf(y, 0, "%-*s", COLS, "");
	putf(y, 0, " R=%08x timeline (as netfs-replay -R; arrows scroll, Esc: back)",
	     u->reqs[u->rsel].id);
	attroff(A_REVERSE);
	while (*p && row < LINES - 1) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (line++ >= u->rline) {
			mvaddnstr(row++, 0, p, len < COLS ? len : COLS);
		}
		p += len + (nl ? 1 : 0);
	}
}

static const char *const help_text[] = {
	"netfs-top keys",
	"",
	"  g          cycle grouping: inode, origin, cookie",
	"  < >        sort by the column to the left / right",
	"  r          reverse the sort order",
	"  /          filter rows by name (Enter applies, Esc clears)",
	"  Up/Down    select a row (PgUp/PgDn, Home/End)",
	"  Enter      drill into the row's requests; again: timeline",
	"  Esc, Bksp  back",
	"  p          pause / resume",
	"  h ?        this help",
	"  q          quit (back, in a drill-down)",
	"",
	"REQ/s RD/s WR/s: rates over the last interval; SUBREQ RETRY FAIL:",
	"totals; INFL: in flight now; P50 P99 MAX: request latency.",
	"",
	"press any key",
};

static void draw_help(void)
{
	int i, n = sizeof(help_text) / sizeof(help_text[0]);
	int y0 = LINES > n + 2 ? (LINES - n) / 2 : 0;

	for (i = 0; i < n; i++) {
		move(y0 + i, 2);
		clrtoeol();
		put(y0 + i, 4, help_text[i]);
	}
}

static void draw(struct ui *u)
{
	int y;

	erase();
	y = draw_header(u);
	if (u->view == V_TABLE)
		draw_table(u, y);
	else if (u->view == V_REQS)
		draw_reqs(u, y);
	else
		draw_report(u, y);
	if (u->help)
		draw_help();
	attron(A_REVERSE);
	if (u->editing)
		putf(LINES - 1, 0, "Filter: %s_%*s", u->edit, COLS, "");
	else
		putf(LINES - 1, 0, "%-*s", COLS,
		     " h:help  q:quit  g:group  </>:sort  /:filter  Enter:drill  p:pause");
	if (!u->editing && u->filter[0])
		putf(LINES - 1, COLS > 40 ? COLS - 30 : 0, " filter: %.20s ", u->filter);
	attroff(A_REVERSE);
	wnoutrefresh(stdscr);
	doupdate();
}

static void enter_row(struct ui *u)
{
	const struct nft_top_row **rows;
	int n = (int)nft_top_rows(u->top, u->group, u->sort, u->ascending,
				  u->filter, &rows);

	if (u->sel >= n)
		return;
	snprintf(u->row_name, sizeof(u->row_name), "%s", rows[u->sel]->name);
	u->nreqs = (int)nft_top_row_requests(u->top, u->group, rows[u->sel],
					     u->reqs, 64);
	u->rsel = 0;
	u->view = V_REQS;
}

static void enter_request(struct ui *u)
{
	size_t size = 0;
	FILE *f;

	if (u->rsel >= u->nreqs)
		return;
	free(u->report);
	u->report = NULL;
	f = open_memstream(&u->report, &size);
	if (!f)
		return;
	if (nft_top_request_report(u->top, u->reqs[u->rsel].id, f))
		fprintf(f, "R=%08x is no longer in the event history\n",
			u->reqs[u->rsel].id);
	fclose(f);
	u->rline = 0;
	u->view = V_REPORT;
}

static void key_edit(struct ui *u, int ch)
{
	size_t len = strlen(u->edit);

	if (ch == '\n' || ch == KEY_ENTER) {
		snprintf(u->filter, sizeof(u->filter), "%s", u->edit);
		u->editing = false;
	} else if (ch == 27) {
		u->filter[0] = 0;
		u->editing = false;
	} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len)
			u->edit[len - 1] = 0;
	} else if (ch >= 32 && ch < 127 && len + 1 < sizeof(u->edit)) {
		u->edit[len] = (char)ch;
		u->edit[len + 1] = 0;
	}
}

static void move_sel(int *sel, int delta)
{
	*sel += delta;
	if (*sel < 0)
		*sel = 0;
}

/* Returns true to quit. */
static bool key(struct ui *u, int ch)
{
	int page = LINES > 16 ? LINES - 16 : 1;

	if (u->editing) {
		key_edit(u, ch);
		return false;
	}
	if (u->help) {
		u->help = false;
		return false;
	}
	switch (ch) {
	case 'q':
		if (u->view == V_TABLE)
			return true;
		u->view = u->view == V_REPORT ? V_REQS : V_TABLE;
		break;
	case 27:
	case KEY_BACKSPACE:
	case 127:
	case KEY_LEFT:
		if (u->view != V_TABLE)
			u->view = u->view == V_REPORT ? V_REQS : V_TABLE;
		else if (ch == KEY_LEFT && u->sort > 1)
			u->sort--;
		break;
	case 'h':
	case '?':
	case KEY_F(1):
		u->help = true;
		break;
	case 'p':
	case ' ':
		u->paused = !u->paused;
		break;
	case 'g':
		u->group = (u->group + 1) % NFT_TOP_GROUP__NR;
		u->sel = u->first = 0;
		u->sel_key = 0;
		u->view = V_TABLE;
		break;
	case '<':
	case ',':
		if (u->sort > 1)
			u->sort--;
		break;
	case '>':
	case '.':
	case KEY_RIGHT:
		if (u->sort + 1 < NFT_TOP_COL__NR)
			u->sort++;
		break;
	case 'r':
		u->ascending = !u->ascending;
		break;
	case '/':
		u->editing = true;
		snprintf(u->edit, sizeof(u->edit), "%s", u->filter);
		break;
	case KEY_UP:
	case 'k':
		if (u->view == V_TABLE)
			move_sel(&u->sel, -1), u->sel_key = UINT64_MAX - 1;
		else if (u->view == V_REQS)
			move_sel(&u->rsel, -1);
		else
			move_sel(&u->rline, -1);
		break;
	case KEY_DOWN:
	case 'j':
		if (u->view == V_TABLE)
			move_sel(&u->sel, 1), u->sel_key = UINT64_MAX - 1;
		else if (u->view == V_REQS && u->rsel + 1 < u->nreqs)
			u->rsel++;
		else if (u->view == V_REPORT)
			u->rline++;
		break;
	case KEY_PPAGE:
		move_sel(u->view == V_REPORT ? &u->rline : &u->sel, -page);
		u->sel_key = UINT64_MAX - 1;
		break;
	case KEY_NPAGE:
		move_sel(u->view == V_REPORT ? &u->rline : &u->sel, page);
		u->sel_key = UINT64_MAX - 1;
		break;
	case KEY_HOME:
		u->sel = u->rline = 0;
		u->sel_key = UINT64_MAX - 1;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (u->view == V_TABLE)
			enter_row(u);
		else if (u->view == V_REQS)
			enter_request(u);
		break;
	default:
		break;
	}
	return false;
}

int tui_run(struct nft_top *top, const struct tui_opts *o,
	    const struct tui_ops *ops)
{
	struct ui u = { 0 };
	bool quit = false;

	u.top = top;
	u.o = o;
	u.sort = NFT_TOP_COL_REQS;
	u.sel_key = UINT64_MAX - 1;
	setlocale(LC_ALL, "");
	saved.tio_fd = -1;
	if (!tcgetattr(STDIN_FILENO, &saved.tio))
		saved.tio_fd = STDIN_FILENO;
	else if (!tcgetattr(STDOUT_FILENO, &saved.tio))
		saved.tio_fd = STDOUT_FILENO;
	saved.out_fd = fileno(stdout);
	if (!newterm(NULL, stdout, stdin))
		return -1;
	save_terminal();
	curses_on = 1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(50);
	draw(&u);
	while (!quit && !(o->stop && *o->stop)) {
		int r = ops->pump(ops->ctx, u.paused);
		int ch;

		if (r & TUI_ENDED)
			u.ended = true;
		if ((r & TUI_TICKED) && !u.paused)
			draw(&u);
		ch = getch();
		if (ch == ERR)
			continue;
		if (ch != KEY_RESIZE)
			quit = key(&u, ch);
		draw(&u);
	}
	free(u.report);
	tui_restore();
	return 0;
}
