/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small protobuf wire-format writer (proto2/proto3 encoding as in
 * https://protobuf.dev/programming-guides/encoding/): varints (wire type 0),
 * fixed64 (1), length-delimited bytes and nested messages (2), packed
 * repeated varints.  Enough for Perfetto's TracePacket stream
 * (report/perfetto.c) without a protobuf library.
 *
 * Everything goes into one growing buffer, which the caller drains (writes
 * out and nft_pb_reset()s) between top-level messages: once the buffer has
 * grown to the largest message, encoding allocates nothing.
 *
 *	struct nft_pb pb;
 *
 *	nft_pb_init(&pb);
 *	nft_pb_begin(&pb, 1);			(Trace.packet: a nested message)
 *	nft_pb_uint(&pb, 8, ts);		(TracePacket.timestamp)
 *	nft_pb_begin(&pb, 11);			(TracePacket.track_event)
 *	nft_pb_str(&pb, 23, "name");
 *	nft_pb_end(&pb);
 *	nft_pb_end(&pb);
 *	fwrite(pb.buf, 1, pb.len, f);
 *	nft_pb_reset(&pb);
 *
 * A nested message's length is not known when it begins: nft_pb_begin()
 * leaves room for the longest length varint we allow (4 bytes: messages up
 * to 2^28 - 1 bytes) and nft_pb_end() writes the real one and moves the
 * body back over the room it did not need, so the output is what any
 * protobuf library would write (minimal varints).  The move costs a memmove
 * of the body per nesting level: cheap for the small messages of a trace
 * (a few hundred bytes).
 *
 * Errors (out of memory, nesting deeper than NFT_PB_MAX_DEPTH, a message
 * too long) stick in @err; the buffer's content is then undefined.
 */
#ifndef NFT_PB_H
#define NFT_PB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFT_PB_MAX_DEPTH 16
/* Room left for a nested message's length: 4 varint bytes, 2^28 - 1. */
#define NFT_PB_LEN_ROOM 4
#define NFT_PB_MAX_LEN ((1u << 28) - 1)

enum nft_pb_wire {
	NFT_PB_VARINT = 0,
	NFT_PB_FIXED64 = 1,
	NFT_PB_LEN = 2,
	NFT_PB_FIXED32 = 5,
};

struct nft_pb {
	uint8_t *buf;
	size_t len, cap;
	int depth;
	size_t open[NFT_PB_MAX_DEPTH];	/* body start of each open message */
	int err;			/* 0, or an errno */
};

void nft_pb_init(struct nft_pb *pb);
void nft_pb_free(struct nft_pb *pb);
/* Empty the buffer (keeps its memory); open messages are dropped too. */
void nft_pb_reset(struct nft_pb *pb);

/* Room for @n more bytes; 0 or -1 (pb->err set). */
int nft_pb_reserve(struct nft_pb *pb, size_t n);

/* @v as a varint into @p (at least 10 bytes); returns the bytes written. */
size_t nft_pb_varint_put(uint8_t *p, uint64_t v);
/* The bytes @v takes as a varint. */
size_t nft_pb_varint_size(uint64_t v);
/* ZigZag (sint32/sint64): 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... */
static inline uint64_t nft_pb_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* A raw varint / raw bytes, no tag. */
void nft_pb_raw_varint(struct nft_pb *pb, uint64_t v);
void nft_pb_raw(struct nft_pb *pb, const void *p, size_t n);

/* Field @field of wire type @wire: the tag. */
void nft_pb_tag(struct nft_pb *pb, uint32_t field, enum nft_pb_wire wire);

/* uint32/uint64/enum/bool (varint). */
void nft_pb_uint(struct nft_pb *pb, uint32_t field, uint64_t v);
/* int32/int64: negative numbers take 10 bytes, as protobuf writes them. */
void nft_pb_int(struct nft_pb *pb, uint32_t field, int64_t v);
/* sint32/sint64 (zigzag). */
void nft_pb_sint(struct nft_pb *pb, uint32_t field, int64_t v);
/* fixed64/sfixed64 (little endian), e.g. Perfetto's flow_ids. */
void nft_pb_fixed64(struct nft_pb *pb, uint32_t field, uint64_t v);
/* bytes/string. */
void nft_pb_bytes(struct nft_pb *pb, uint32_t field, const void *p, size_t n);
void nft_pb_str(struct nft_pb *pb, uint32_t field, const char *s);
/* A packed repeated uint64 field ([packed = true] or proto3). */
void nft_pb_packed_uint(struct nft_pb *pb, uint32_t field, const uint64_t *v,
			size_t n);

/* A nested message (or any length-delimited field written piecewise). */
void nft_pb_begin(struct nft_pb *pb, uint32_t field);
void nft_pb_end(struct nft_pb *pb);

#endif /* NFT_PB_H */
