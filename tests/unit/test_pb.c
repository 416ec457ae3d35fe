// SPDX-License-Identifier: GPL-2.0
/*
 * The protobuf wire-format writer (libnetfs-trace/report/pb.c) against
 * encodings worked out by hand from https://protobuf.dev/programming-guides/encoding/
 * and the Perfetto counter packet of the research notes
 * (../shared/research/pictures-and-metrics.md §1.3, decoded with protoc).
 */
#include <string.h>

#include "libnetfs-trace/report/pb.h"
#include "tap.h"

static int same(const struct nft_pb *pb, const uint8_t *want, size_t n)
{
	return !pb->err && pb->len == n && !memcmp(pb->buf, want, n);
}

int main(void)
{
	struct nft_pb pb;
	uint8_t tmp[16];
	size_t i;

	nft_pb_init(&pb);

	/* the guide's example: field 1 = 150 is 08 96 01 */
	nft_pb_uint(&pb, 1, 150);
	ok(same(&pb, (const uint8_t[]){ 0x08, 0x96, 0x01 }, 3), "varint 150");
	nft_pb_reset(&pb);

	is(nft_pb_varint_put(tmp, 0), 1, "varint 0 is one byte");
	is(tmp[0], 0, "varint 0");
	is(nft_pb_varint_put(tmp, 127), 1, "127 one byte");
	is(nft_pb_varint_put(tmp, 128), 2, "128 two bytes");
	ok(tmp[0] == 0x80 && tmp[1] == 0x01, "128 = 80 01");
	is(nft_pb_varint_put(tmp, UINT64_MAX), 10, "u64 max takes 10 bytes");
	is(tmp[9], 0x01, "... last byte 01");
	is(nft_pb_varint_size(300), 2, "size of 300");
	is(nft_pb_varint_size(1ull << 63), 10, "size of 2^63");

	/* int64 -1: ten bytes ff ... ff 01 */
	nft_pb_int(&pb, 2, -1);
	ok(same(&pb, (const uint8_t[]){ 0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0xff, 0xff, 0xff, 0x01 }, 11),
	   "int64 -1 is 10 varint bytes");
	nft_pb_reset(&pb);

	/* zigzag */
	is(nft_pb_zigzag(0), 0, "zigzag 0");
	is(nft_pb_zigzag(-1), 1, "zigzag -1");
	is(nft_pb_zigzag(1), 2, "zigzag 1");
	is(nft_pb_zigzag(-2), 3, "zigzag -2");
	ok(nft_pb_zigzag(INT64_MIN) == UINT64_MAX, "zigzag INT64_MIN");
	nft_pb_sint(&pb, 3, -2);
	ok(same(&pb, (const uint8_t[]){ 0x18, 0x03 }, 2), "sint64 -2 = 18 03");
	nft_pb_reset(&pb);

	/* fixed64, little endian, wire type 1 */
	nft_pb_fixed64(&pb, 47, 0x0102030405060708ull);
	ok(same(&pb, (const uint8_t[]){ 0xf9, 0x02, 0x08, 0x07, 0x06, 0x05,
					0x04, 0x03, 0x02, 0x01 }, 10),
	   "fixed64 field 47 (flow_ids)");
	nft_pb_reset(&pb);

	/* the guide's string: field 2 = "testing" is 12 07 74 65 73 74 69 6e 67 */
	nft_pb_str(&pb, 2, "testing");
	ok(same(&pb, (const uint8_t[]){ 0x12, 0x07, 't', 'e', 's', 't', 'i',
					'n', 'g' }, 9), "string");
	nft_pb_reset(&pb);
	nft_pb_str(&pb, 2, "");
	ok(same(&pb, (const uint8_t[]){ 0x12, 0x00 }, 2), "empty string");
	nft_pb_reset(&pb);

	/* packed: the guide's field 4 = [3, 270, 86942] is 22 06 03 8e 02 9e a7 05 */
	nft_pb_packed_uint(&pb, 4, (const uint64_t[]){ 3, 270, 86942 }, 3);
	ok(same(&pb, (const uint8_t[]){ 0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e,
					0xa7, 0x05 }, 8), "packed varints");
	nft_pb_reset(&pb);

	/* nested: the guide's Test3 { c: Test1 { a: 150 } } is 1a 03 08 96 01 */
	nft_pb_begin(&pb, 3);
	nft_pb_uint(&pb, 1, 150);
	nft_pb_end(&pb);
	ok(same(&pb, (const uint8_t[]){ 0x1a, 0x03, 0x08, 0x96, 0x01 }, 5),
	   "nested message: minimal length");
	nft_pb_reset(&pb);

	/* empty nested message */
	nft_pb_begin(&pb, 8);
	nft_pb_end(&pb);
	ok(same(&pb, (const uint8_t[]){ 0x42, 0x00 }, 2), "empty nested message");
	nft_pb_reset(&pb);

	/* nested lengths > 127: two-byte lengths, at two levels */
	{
		char s[200];
		uint8_t want[3 + 3 + 3 + 199 + 2];
		size_t n = 0;

		memset(s, 'x', sizeof(s) - 1);
		s[sizeof(s) - 1] = 0;
		nft_pb_begin(&pb, 1);
		nft_pb_begin(&pb, 2);
		nft_pb_str(&pb, 3, s);	/* 1 + 2 + 199 = 202 bytes */
		nft_pb_end(&pb);	/* 1 + 2 + 202 = 205 */
		nft_pb_uint(&pb, 4, 1);	/* + 2 = 207 */
		nft_pb_end(&pb);
		want[n++] = 0x0a;	/* field 1, LEN */
		want[n++] = 0xcf;	/* 207 = cf 01 */
		want[n++] = 0x01;
		want[n++] = 0x12;	/* field 2 */
		want[n++] = 0xca;	/* 202 = ca 01 */
		want[n++] = 0x01;
		want[n++] = 0x1a;	/* field 3 */
		want[n++] = 0xc7;	/* 199 = c7 01 */
		want[n++] = 0x01;
		memset(want + n, 'x', 199);
		n += 199;
		want[n++] = 0x20;
		want[n++] = 0x01;
		ok(same(&pb, want, n), "nested lengths over 127 (%zu bytes)",
		   pb.len);
		nft_pb_reset(&pb);
	}

	/* a big nested message (3-byte length) grows the buffer */
	{
		static char big[70000];

		memset(big, 'y', sizeof(big) - 1);
		nft_pb_begin(&pb, 1);
		nft_pb_str(&pb, 2, big);
		nft_pb_end(&pb);
		/* 1 + 3 (69999 = ef a2 04) + 69999 inside */
		ok(!pb.err && pb.len == 1 + 3 + 1 + 3 + 69999 &&
		   pb.buf[1] == 0xf3 && pb.buf[2] == 0xa2 && pb.buf[3] == 0x04,
		   "3-byte nested length (len %zu)", pb.len);
		nft_pb_reset(&pb);
	}

	/* the research notes' Perfetto counter packet, decoded by protoc */
	nft_pb_begin(&pb, 1);
	nft_pb_uint(&pb, 8, 85000000000ull);
	nft_pb_uint(&pb, 10, 5129556);
	nft_pb_begin(&pb, 11);
	nft_pb_uint(&pb, 9, 4);
	nft_pb_uint(&pb, 11, 12884912398ull);
	nft_pb_int(&pb, 30, 2);
	nft_pb_end(&pb);
	nft_pb_end(&pb);
	ok(same(&pb, (const uint8_t[]){ 0x0a, 0x19, 0x40, 0x80, 0xa4, 0x94,
		0xd3, 0xbc, 0x02, 0x50, 0xd4, 0x8a, 0xb9, 0x02, 0x5a, 0x0b,
		0x48, 0x04, 0x58, 0x8e, 0xd2, 0x80, 0x80, 0x30, 0xf0, 0x01,
		0x02 }, 27), "Perfetto counter packet");
	nft_pb_reset(&pb);

	/* errors stick: end without begin, nesting too deep */
	nft_pb_end(&pb);
	ok(pb.err, "end without begin is an error");
	nft_pb_reset(&pb);
	for (i = 0; i <= NFT_PB_MAX_DEPTH; i++)
		nft_pb_begin(&pb, 1);
	ok(pb.err, "nesting deeper than NFT_PB_MAX_DEPTH is an error");
	nft_pb_reset(&pb);
	ok(!pb.err && !pb.len, "reset clears the error");

	nft_pb_free(&pb);
	return tap_done();
}
