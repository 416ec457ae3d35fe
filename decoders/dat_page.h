/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ring-buffer pages of a trace.dat's cpu data: checked before kbuffer sees
 * them (kbuffer trusts a page's commit size and every record length).
 */
#ifndef NFT_DAT_PAGE_H
#define NFT_DAT_PAGE_H

#include <stdbool.h>
#include <stdint.h>

struct nft_page_fmt {
	unsigned int page_size;	/* 0: no checks */
	int lsize;		/* bytes of the commit word: 8 or 4 */
	bool big_endian;
};

struct nft_page_verdict {
	const char *why;	/* what is wrong, NULL when sound */
	unsigned int good;	/* bytes of data (after the header) whose
				 * records are sound */
	bool missed;		/* the page said events were dropped before it */
};

/*
 * Is @page (page_size bytes) a sound ring-buffer page: commit size inside
 * the page, no bits but RB_MISSED_EVENTS/RB_MISSED_STORED above it, a stored
 * missed count inside the page, and every event (padding, time extend,
 * time stamp, data) ending inside the committed data?  (The kernel's
 * struct buffer_data_page: u64 time_stamp, local_t commit, data[];
 * kernel/trace/ring_buffer.c.)
 */
bool nft_page_sound(const struct nft_page_fmt *f, const void *page,
		    struct nft_page_verdict *v);

/*
 * Make @page (a copy) hold only the sound records @v found: its commit
 * word becomes v->good, with RB_MISSED_EVENTS when the page said so.
 */
void nft_page_mend(const struct nft_page_fmt *f, void *page,
		   const struct nft_page_verdict *v);

/*
 * Read the page format from a trace.dat's first 18 bytes (v6 and v7 share
 * them); false when they do not look like one.
 */
bool nft_page_fmt_read(int fd, struct nft_page_fmt *f);

/*
 * From now on every page libtracecmd hands kbuffer_load_subbuffer() is
 * checked against @f; one that is not sound is replaced by a copy holding
 * only its sound records (none when its header is wrong).  NULL turns the
 * checks off and frees the copies (after every tracecmd handle is closed).
 */
void nft_page_guard(const struct nft_page_fmt *f);

/* Pages replaced since the guard was set. */
unsigned long nft_page_guard_hits(void);

#endif /* NFT_DAT_PAGE_H */
