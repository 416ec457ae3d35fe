/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring-buffer page, as the kernel writes it and trace.dat and tracefs's
 * per-cpu raw files hand it on: struct buffer_data_page (u64 time_stamp,
 * local_t commit, data[]) and the events in data[], struct
 * ring_buffer_event (kernel/trace/ring_buffer.c: type_len:5, time_delta:27,
 * array[]).  One home for the layout and for cutting a page into records,
 * used by the trace.dat page loop (dat_zcpu.c), the live reader (live.c)
 * and the page checks (dat_page.c).
 */
#ifndef NFT_RB_PAGE_H
#define NFT_RB_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define COMMIT_MASK ((1ULL << 27) - 1)
#define RB_MISSED_EVENTS (1ULL << 31)	/* commit word: events dropped before */
#define RB_MISSED_STORED (1ULL << 30)	/* ... and their count after data */
#define TYPE_PADDING 29
#define TYPE_TIME_EXTEND 30
#define TYPE_TIME_STAMP 31
#define TS_SHIFT 27
/* absolute time stamps lack the top 5 bits: they come from the page's */
#define TS_MSB (0xf8ULL << 56)

static inline uint32_t nft_rb_rd4(const void *at, bool swap)
{
	uint32_t v;

	memcpy(&v, at, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* The page being cut and its current record. */
struct nft_rb_cursor {
	const unsigned char *pg;	/* the page's data[] */
	uint32_t size;			/* committed bytes of data */
	uint32_t next;			/* offset of the event after the current */
	uint32_t at;			/* offset of the current record's header */
	uint32_t len;			/* current record's data bytes */
	const void *data;		/* current record, NULL at the end */
	uint64_t ts;			/* current record's time stamp */
};

/*
 * Step @c to its page's next record, with kbuffer's arithmetic
 * (libtraceevent src/kbuffer-parse.c translate_data(): a padding event's
 * delta counts, an absolute time stamp keeps the page's top bits): 1 with
 * c->data, c->len, c->ts set; 0 at the end of the page; -1 when an event
 * runs past the committed data (c->next then ends the page).  @big: the
 * traced kernel's byte order; @swap: it is not ours.
 */
static inline int nft_rb_next(struct nft_rb_cursor *c, bool big, bool swap)
{
	while (c->next < c->size) {
		uint32_t at = c->next, left = c->size - at, h, type, delta, len;
		const unsigned char *e = c->pg + at;

		if (left < 4)
			goto torn;
		h = nft_rb_rd4(e, swap);
		type = big ? h >> 27 : h & 31;
		delta = big ? h & ((1u << 27) - 1) : h >> 5;
		if (type == 0) {
			if (left < 8)
				goto torn;
			len = nft_rb_rd4(e + 4, swap);
			if (len < 4 || ((len - 4 + 3) & ~3u) > left - 8)
				goto torn;
			len = (len - 4 + 3) & ~3u;
			c->data = e + 8;
			c->next = at + 8 + len;
		} else if (type <= 28) {
			len = type * 4;
			if (len > left - 4)
				goto torn;
			c->data = e + 4;
			c->next = at + 4 + len;
		} else if (type == TYPE_PADDING) {
			/* kbuffer adds a discarded event's delta too */
			c->ts += delta;
			len = left >= 8 ? nft_rb_rd4(e + 4, swap) : left;
			c->next = len < left - 4 ? at + 4 + len : c->size;
			continue;
		} else {
			uint64_t ext;

			if (left < 8)
				goto torn;
			ext = ((uint64_t)nft_rb_rd4(e + 4, swap) << TS_SHIFT) +
			      delta;
			if (type == TYPE_TIME_STAMP)
				c->ts = ext | (c->ts & TS_MSB);
			else
				c->ts += ext;
			c->next = at + 8;
			continue;
		}
		c->ts += delta;
		c->len = len;
		c->at = at;
		return 1;
	}
	c->data = NULL;
	return 0;
torn:
	c->next = c->size;
	c->data = NULL;
	return -1;
}

#endif /* NFT_RB_PAGE_H */
