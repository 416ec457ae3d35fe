// SPDX-License-Identifier: GPL-2.0
/*
 * The protobuf wire-format writer (pb.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pb.h"

void nft_pb_init(struct nft_pb *pb)
{
	memset(pb, 0, sizeof(*pb));
}

void nft_pb_free(struct nft_pb *pb)
{
	free(pb->buf);
	nft_pb_init(pb);
}

void nft_pb_reset(struct nft_pb *pb)
{
	pb->len = 0;
	pb->depth = 0;
	pb->err = 0;
}

int nft_pb_reserve(struct nft_pb *pb, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (pb->err)
		return -1;
	if (pb->cap - pb->len >= n)
		return 0;
	cap = pb->cap ? pb->cap : 4096;
	while (cap - pb->len < n) {
		if (cap > SIZE_MAX / 2) {
			pb->err = ENOMEM;
			return -1;
		}
		cap *= 2;
	}
	p = realloc(pb->buf, cap);
	if (!p) {
		pb->err = ENOMEM;
		return -1;
	}
	pb->buf = p;
	pb->cap = cap;
	return 0;
}

size_t nft_pb_varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

size_t nft_pb_varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void nft_pb_raw_varint(struct nft_pb *pb, uint64_t v)
{
	if (nft_pb_reserve(pb, 10))
		return;
	pb->len += nft_pb_varint_put(pb->buf + pb->len, v);
}

void nft_pb_raw(struct nft_pb *pb, const void *p, size_t n)
{
	if (nft_pb_reserve(pb, n))
		return;
	if (n)
		memcpy(pb->buf + pb->len, p, n);
	pb->len += n;
}

void nft_pb_tag(struct nft_pb *pb, uint32_t field, enum nft_pb_wire wire)
{
	nft_pb_raw_varint(pb, ((uint64_t)field << 3) | wire);
}

void nft_pb_uint(struct nft_pb *pb, uint32_t field, uint64_t v)
{
	if (nft_pb_reserve(pb, 20))
		return;
	pb->len += nft_pb_varint_put(pb->buf + pb->len,
				     ((uint64_t)field << 3) | NFT_PB_VARINT);
	pb->len += nft_pb_varint_put(pb->buf + pb->len, v);
}

void nft_pb_int(struct nft_pb *pb, uint32_t field, int64_t v)
{
	nft_pb_uint(pb, field, (uint64_t)v);
}

void nft_pb_sint(struct nft_pb *pb, uint32_t field, int64_t v)
{
	nft_pb_uint(pb, field, nft_pb_zigzag(v));
}

void nft_pb_fixed64(struct nft_pb *pb, uint32_t field, uint64_t v)
{
	uint8_t le[8];
	int i;

	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	nft_pb_tag(pb, field, NFT_PB_FIXED64);
	nft_pb_raw(pb, le, 8);
}

void nft_pb_bytes(struct nft_pb *pb, uint32_t field, const void *p, size_t n)
{
	nft_pb_tag(pb, field, NFT_PB_LEN);
	nft_pb_raw_varint(pb, n);
	nft_pb_raw(pb, p, n);
}

void nft_pb_str(struct nft_pb *pb, uint32_t field, const char *s)
{
	nft_pb_bytes(pb, field, s, strlen(s));
}

void nft_pb_packed_uint(struct nft_pb *pb, uint32_t field, const uint64_t *v,
			size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		len += nft_pb_varint_size(v[i]);
	nft_pb_tag(pb, field, NFT_PB_LEN);
	nft_pb_raw_varint(pb, len);
	if (nft_pb_reserve(pb, len))
		return;
	for (i = 0; i < n; i++)
		pb->len += nft_pb_varint_put(pb->buf + pb->len, v[i]);
}

void nft_pb_begin(struct nft_pb *pb, uint32_t field)
{
	if (pb->err)
		return;
	if (pb->depth >= NFT_PB_MAX_DEPTH) {
		pb->err = E2BIG;
		return;
	}
	nft_pb_tag(pb, field, NFT_PB_LEN);
	if (nft_pb_reserve(pb, NFT_PB_LEN_ROOM))
		return;
	pb->len += NFT_PB_LEN_ROOM;
	pb->open[pb->depth++] = pb->len;
}

void nft_pb_end(struct nft_pb *pb)
{
	size_t body, n, room;
	uint8_t *at;

	if (pb->err)
		return;
	if (!pb->depth) {
		pb->err = EINVAL;
		return;
	}
	body = pb->open[--pb->depth];
	n = pb->len - body;
	if (n > NFT_PB_MAX_LEN) {
		pb->err = E2BIG;
		return;
	}
	room = NFT_PB_LEN_ROOM;
	at = pb->buf + body - room;
	at += nft_pb_varint_put(at, n);
	if (at != pb->buf + body) {
		memmove(at, pb->buf + body, n);
		pb->len -= (size_t)(pb->buf + body - at);
	}
}
