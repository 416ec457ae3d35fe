/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netfs-top's ncurses screen.  It only draws what libnetfs-trace/top.h
 * holds and turns keys into view changes; the data source (live or a
 * replayed capture) is driven by the caller through @pump.
 */
#ifndef NFT_TUI_H
#define NFT_TUI_H

#include <signal.h>
#include <stdbool.h>

#include "../libnetfs-trace/top.h"

enum {
	TUI_TICKED = 1,		/* a new interval closed: redraw */
	TUI_ENDED = 2,		/* the input ended (replay) */
};

struct tui_ops {
	/* Read what is available; @paused: the user froze the screen. */
	int (*pump)(void *ctx, bool paused);
	void *ctx;
};

struct tui_opts {
	const char *source;	/* "live: netfs-top-123" or the capture name */
	double interval;	/* seconds, for the header */
	volatile sig_atomic_t *stop;	/* set by a stop signal (cmd/netfs-top.c) */
};

/* Run until q or *stop.  Returns 0, -1 if the terminal could not be used. */
int tui_run(struct nft_top *top, const struct tui_opts *opts,
	    const struct tui_ops *ops);

/*
 * From a fatal signal handler (async-signal-safe: write() and tcsetattr()
 * only): leave the alternate screen, show the cursor, restore the termios
 * saved before curses started.  Idempotent; tui_run() itself leaves with
 * endwin().
 */
void tui_emergency_restore(void);

#endif /* NFT_TUI_H */
