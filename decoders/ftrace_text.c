// SPDX-License-Identifier: GPL-2.0
/*
 * The ftrace text decoder: /sys/kernel/tracing/trace, trace_pipe,
 * `trace-cmd report` and the trimmed, console-prefixed or mail-wrapped
 * fragments people paste into bug reports, in one streaming pass.
 *
 * A line is split in two steps.  First the event name is located (the
 * layout around it varies a lot), then the payload is parsed by a small
 * per-event function that walks the fixed fields of that event's print
 * format.  Symbolic fields are runs of tokens between fixed fields and go
 * through nft_sym_lookup(); what the vocabulary does not know is kept
 * verbatim, never treated as an error.
 *
 * Speed matters (millions of lines per second): no allocation per line, no
 * scanf or strtoul, one event struct reused, memchr for line ends.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decoder.h"
#include "../libnetfs-trace/gen.h"
#include "../libnetfs-trace/vocab.h"

#define BUF_SIZE (1u << 20)
#define MAX_LINE (64u << 10)
#define MAX_HEADER_TOKENS 24
#define COMM_MAX 64
#define NAME_MAX_LEN 64

/* Internal results of parse_line(); the first four match the public API. */
enum {
	R_BAD = -1,	/* known event, fields did not parse */
	R_NONE = 0,	/* no event: prose, garbage */
	R_EVENT = 1,	/* netfs/fscache/cachefiles event */
	R_OTHER = 2,	/* another system's event or a lost marker */
	R_IGNORE = 3,	/* blank, comment or report header: not a warning */
	R_WRAPPED = 4,	/* known event name with nothing after it */
};

/* NUL-terminated copies of the strings struct nft_event points to. */
struct line_ctx {
	char comm[COMM_MAX];
	char name[NAME_MAX_LEN];
	/* the last COMM-PID span comm_pid() split, and its pid or -1 */
	char hdr[COMM_MAX];
	uint8_t hdr_len;	/* 0: none */
	int32_t hdr_pid;
	/* after R_EVENT: what the event's parser left of the line */
	const char *rest, *rest_end;
	const char *name_at;	/* the event name in the line */
	/* R_BAD for a value out of range or with garbage: errbuf says it */
	bool val_err;
	char errbuf[160];
};

struct cur {
	const char *p;
	const char *e;
};

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

static const struct nft_event ev_template = {
	.index = -1,
	.stream = -1,
	.pid = -1,
	.cpu = -1,
	.slot = -1,
	.comm = "",
	.name = "",
};

/* ---- event names ---- */

#define KIND_HASH_SIZE 256

/*
 * Open addressing on the first and last eight bytes of the name: one
 * multiply to hash, and for names up to 16 bytes two word compares to
 * confirm.
 */
static struct {
	const char *name;
	uint64_t head, tail;
	uint8_t len;
	uint8_t kind;
} kind_hash[KIND_HASH_SIZE];
static const char *kind_name_of[NFT_EV__NR];
static bool kind_hash_ready;

static inline uint64_t load64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* @len >= 8 */
static inline uint32_t kind_hash_of(uint64_t head, uint64_t tail, size_t len)
{
	return ((head ^ (tail + len)) * 0x9e3779b97f4a7c15ull) >> 56;
}

static void kind_hash_build(void)
{
	int k;

	for (k = 1; k < NFT_EV_OTHER; k++) {
		const char *n = nft_event_kind_name(k);
		size_t len = strlen(n);
		uint64_t head, tail;
		uint32_t h;

		kind_name_of[k] = n;
		if (len < 8 || len > 40)
			continue;	/* never looked up */
		head = load64(n);
		tail = load64(n + len - 8);
		h = kind_hash_of(head, tail, len) % KIND_HASH_SIZE;
		while (kind_hash[h].name)
			h = (h + 1) % KIND_HASH_SIZE;
		kind_hash[h].name = n;
		kind_hash[h].head = head;
		kind_hash[h].tail = tail;
		kind_hash[h].len = len;
		kind_hash[h].kind = k;
	}
	kind_hash_ready = true;
}

/* NFT_EV_OTHER if @name is not one of ours. */
static enum nft_event_kind kind_lookup(const char *name, size_t len)
{
	uint64_t head, tail;
	uint32_t h;

	if (len < 8 || len > 40)
		return NFT_EV_OTHER;
	if (name[0] != 'n' && name[0] != 'f' && name[0] != 'c')
		return NFT_EV_OTHER;
	if (!kind_hash_ready)
		kind_hash_build();
	head = load64(name);
	tail = load64(name + len - 8);
	h = kind_hash_of(head, tail, len) % KIND_HASH_SIZE;
	while (kind_hash[h].name) {
		if (kind_hash[h].len == len && kind_hash[h].head == head &&
		    kind_hash[h].tail == tail &&
		    (len <= 16 ||
		     !memcmp(kind_hash[h].name + 8, name + 8, len - 16)))
			return kind_hash[h].kind;
		h = (h + 1) % KIND_HASH_SIZE;
	}
	return NFT_EV_OTHER;
}

/* ---- character classes and numbers ---- */

/*
 * Byte classes, one table lookup per character.  CH_HEX carries the digit
 * value in its low four bits.
 */
enum {
	CH_HEXV = 0x0f,
	CH_HEX = 0x10,
	CH_DIGIT = 0x20,
	CH_NAME = 0x40,		/* [a-z0-9_] */
	CH_BLANK = 0x80,	/* ' ' '\t' */
};

#define CH_D(v) (CH_HEX | CH_DIGIT | CH_NAME | (v))
#define CH_L(v) (CH_HEX | CH_NAME | (v))
#define CH_U(v) (CH_HEX | (v))

static const uint8_t ch_class[256] = {
	['\t'] = CH_BLANK, [' '] = CH_BLANK, ['_'] = CH_NAME,
	['0'] = CH_D(0), ['1'] = CH_D(1), ['2'] = CH_D(2), ['3'] = CH_D(3),
	['4'] = CH_D(4), ['5'] = CH_D(5), ['6'] = CH_D(6), ['7'] = CH_D(7),
	['8'] = CH_D(8), ['9'] = CH_D(9),
	['a'] = CH_L(10), ['b'] = CH_L(11), ['c'] = CH_L(12),
	['d'] = CH_L(13), ['e'] = CH_L(14), ['f'] = CH_L(15),
	['g'] = CH_NAME, ['h'] = CH_NAME, ['i'] = CH_NAME, ['j'] = CH_NAME,
	['k'] = CH_NAME, ['l'] = CH_NAME, ['m'] = CH_NAME, ['n'] = CH_NAME,
	['o'] = CH_NAME, ['p'] = CH_NAME, ['q'] = CH_NAME, ['r'] = CH_NAME,
	['s'] = CH_NAME, ['t'] = CH_NAME, ['u'] = CH_NAME, ['v'] = CH_NAME,
	['w'] = CH_NAME, ['x'] = CH_NAME, ['y'] = CH_NAME, ['z'] = CH_NAME,
	['A'] = CH_U(10), ['B'] = CH_U(11), ['C'] = CH_U(12),
	['D'] = CH_U(13), ['E'] = CH_U(14), ['F'] = CH_U(15),
};

static inline unsigned ch(char c)
{
	return ch_class[(unsigned char)c];
}

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline int hex_digit(char c)
{
	unsigned v = ch(c);

	return v & CH_HEX ? (int)(v & CH_HEXV) : -1;
}

static inline bool is_name_char(char c)
{
	return ch(c) & CH_NAME;
}

/* Blank runs: the column padding is long, so eat it a word at a time. */
static inline const char *skip_blanks(const char *p, const char *e)
{
	uint64_t w;

	while (e - p >= 8) {
		memcpy(&w, p, 8);
		if (w != 0x2020202020202020ull)
			break;
		p += 8;
	}
	while (p < e && is_blank(*p))
		p++;
	return p;
}

static inline void skip_ws(struct cur *c)
{
	while (c->p < c->e && is_blank(*c->p))
		c->p++;
}

/*
 * A value out of range or with garbage after it, found while an event's
 * fields are read (verr.on): the line is an error that names the field,
 * never a number wrapped or cut.  Outside the fields (the line header, the
 * probes of other layouts) the parsers keep their quiet false.
 */
static __thread struct {
	bool on;		/* inside an event's field parser */
	bool set;
	const char *at;		/* the field (key or number) in the line */
	const char *what;
} verr;

static __attribute__((noinline, cold)) void val_fail(const char *at,
						     const char *what)
{
	if (verr.on && !verr.set) {
		verr.set = true;
		verr.at = at;
		verr.what = what;
	}
}

/*
 * Can @c follow a number?  Blanks, the line end and the layouts'
 * separators ('/', '-', ']', ':', ',', ')', '>') can; a letter, digit or
 * '_' cannot ("r=1g"; after hex, a hex digit was taken into the number).
 */
static inline bool num_garbage(char c)
{
	return (ch(c) & CH_NAME) || (unsigned char)(c - 'A') < 26;
}

/* After a number: report it; true if the number is refused. */
static __attribute__((noinline, cold)) bool num_bad(const char *num, bool ovf)
{
	val_fail(num, ovf ? "number wider than 64 bits"
			  : "garbage after a number");
	return ovf || verr.on;
}

static __always_inline bool parse_hex(struct cur *c, uint64_t *v)
{
	const char *p = c->p, *e = c->e;
	uint64_t x = 0, ovf = 0;
	unsigned d;

	while (p < e && ((d = ch(*p)) & CH_HEX)) {
		ovf |= x >> 60;
		x = x << 4 | (d & CH_HEXV);
		p++;
	}
	if (p == c->p)
		return false;
	if (__builtin_expect(ovf || (p < e && num_garbage(*p)), 0) &&
	    num_bad(c->p, ovf))
		return false;
	c->p = p;
	*v = x;
	return true;
}

static __attribute__((noinline)) bool udec_overflows(const char *p,
						     const char *e)
{
	uint64_t x = 0;

	for (; p < e; p++)
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, (uint64_t)(*p - '0'), &x))
			return true;
	return false;
}

static __always_inline bool parse_udec(struct cur *c, uint64_t *v)
{
	const char *p = c->p, *e = c->e;
	uint64_t x = 0;

	while (p < e && is_digit(*p)) {
		x = x * 10 + (*p - '0');
		p++;
	}
	if (p == c->p)
		return false;
	if (__builtin_expect(p - c->p >= 20 || (p < e && num_garbage(*p)),
			     0)) {
		bool ovf = p - c->p >= 20 && udec_overflows(c->p, p);

		if ((ovf || (p < e && num_garbage(*p))) && num_bad(c->p, ovf))
			return false;
	}
	c->p = p;
	*v = x;
	return true;
}

static __always_inline bool parse_dec(struct cur *c, int64_t *v)
{
	struct cur t = *c;
	bool neg = false;
	uint64_t x;

	if (t.p < t.e && (*t.p == '-' || *t.p == '+')) {
		neg = *t.p == '-';
		t.p++;
	}
	if (!parse_udec(&t, &x))
		return false;
	if (x > (uint64_t)INT64_MAX + neg) {
		val_fail(c->p, "number wider than 64 bits");
		return false;
	}
	*c = t;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return true;
}

/*
 * "name=value" where the format has no such field: a distro or debug patch
 * that added a key.  Returns the end of the token, or NULL if the token at
 * @p is not key=value.
 */
static const char *extra_field(const char *p, const char *e)
{
	const char *q = p;

	while (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
			 *q == '_' || (q > p && *q >= '0' && *q <= '9')))
		q++;
	if (q == p || q >= e || *q != '=')
		return NULL;
	while (q < e && !is_blank(*q))
		q++;
	return q;
}

/*
 * The key @k further on, past fields the mainline format does not have.
 * Only key=value tokens are stepped over: a bare value in between means the
 * layout differs, and the caller's mismatch stands.
 */
static __attribute__((noinline)) const char *
lit_past_extra(const char *p, const char *e, const char *k, size_t klen)
{
	const char *q;

	if (klen < 2 || k[klen - 1] != '=')
		return NULL;
	while ((q = extra_field(p, e))) {
		p = q;
		while (p < e && is_blank(*p))
			p++;
		if ((size_t)(e - p) >= klen && !memcmp(p, k, klen))
			return p + klen;
	}
	return NULL;
}

/*
 * Match literal @k at the next token start.  (The cursor is passed by value
 * to the slow path so that callers' copies of it can stay in registers.)
 */
static __always_inline bool lit(struct cur *c, const char *k, size_t klen)
{
	const char *q;

	skip_ws(c);
	if ((size_t)(c->e - c->p) >= klen && !memcmp(c->p, k, klen)) {
		c->p += klen;
		return true;
	}
	q = lit_past_extra(c->p, c->e, k, klen);
	if (!q)
		return false;
	c->p = q;
	return true;
}

#define LIT(c, s) lit((c), (s), sizeof(s) - 1)

/*
 * Keys whose kernel field is 32 bits wide: the debug ids (R= W= CR= c= o=
 * V= C= fq=, all "unsigned int debug_id" printed %08x/%x) and the notes
 * word n= (netfs_collect_state's "unsigned int notes").  Flags, offsets,
 * lengths and inode numbers are unsigned long / loff_t / size_t: 64 bits.
 */
static __always_inline bool key_is_id32(const char *k, size_t klen)
{
	if (klen == 2)
		return k[0] == 'R' || k[0] == 'W' || k[0] == 'c' ||
		       k[0] == 'o' || k[0] == 'V' || k[0] == 'C' ||
		       k[0] == 'n';
	return (klen == 3 && k[0] == 'C' && k[1] == 'R') ||
	       (klen == 3 && k[0] == 'f' && k[1] == 'q');
}

/* The field's key, not the number, opens the message ("R=1ffffffff: ...") */
static __attribute__((noinline, cold)) void val_key(const char *num,
						    size_t klen)
{
	if (verr.set && verr.at >= num && verr.at <= num + 1)
		verr.at = num - klen;
}

static __always_inline bool key_hex(struct cur *c, const char *k, size_t klen,
				    uint64_t *v)
{
	struct cur t = *c;
	const char *num;

	if (!lit(&t, k, klen))
		return false;
	num = t.p;
	if (!parse_hex(&t, v)) {
		if (__builtin_expect(verr.set, 0))
			val_key(num, klen);
		return false;
	}
	if (key_is_id32(k, klen) && __builtin_expect(*v >> 32, 0)) {
		val_fail(num - klen, k[0] == 'n' ? "wider than 32 bits"
						: "id wider than 32 bits");
		return false;
	}
	*c = t;
	return true;
}

/*
 * The decimal keys are all C ints (r= and the other counts, e= the
 * error): what the kernel's %d/%u can print fits in 32 bits.
 */
static __always_inline bool key_dec(struct cur *c, const char *k, size_t klen,
				    int64_t *v)
{
	struct cur t = *c;
	const char *num;

	if (!lit(&t, k, klen))
		return false;
	num = t.p;
	if (!parse_dec(&t, v)) {
		if (__builtin_expect(verr.set, 0))
			val_key(num, klen);
		return false;
	}
	if (__builtin_expect(*v < INT32_MIN || *v > (int64_t)UINT32_MAX, 0)) {
		val_fail(num - klen, k[0] == 'e' && klen == 2 ?
			 "error wider than 32 bits" :
			 "count wider than 32 bits");
		return false;
	}
	*c = t;
	return true;
}

#define KHEX(c, k, v) key_hex((c), (k), sizeof(k) - 1, (v))
#define KDEC(c, k, v) key_dec((c), (k), sizeof(k) - 1, (v))

/* hex '/' hex, the transferred/len pairs */
static __always_inline bool hex_pair(struct cur *c, char sep, uint64_t *a,
				     uint64_t *b)
{
	struct cur t = *c;

	skip_ws(&t);
	if (!parse_hex(&t, a) || t.p >= t.e || *t.p != sep)
		return false;
	t.p++;
	if (!parse_hex(&t, b))
		return false;
	*c = t;
	return true;
}

/* One whitespace-delimited token. */
static bool token(struct cur *c, const char **t, size_t *tl)
{
	skip_ws(c);
	*t = c->p;
	while (c->p < c->e && !is_blank(*c->p))
		c->p++;
	*tl = c->p - *t;
	return *tl > 0;
}

/* A symbol run to the end of the line, less key=value tokens a patch added. */
static size_t sym_less_extra(const char *t, size_t tl)
{
	const char *p = t, *e = t + tl, *q, *end = t;

	while (p < e) {
		if (p > t && extra_field(p, e))
			break;
		for (q = p; q < e && !is_blank(*q); q++)
			;
		end = q;
		p = skip_blanks(q, e);
	}
	return end - t;
}

/*
 * The run of tokens up to (not including) the first token that starts with
 * @stop, or to the end of the line when @stop is NULL.  Symbols can be
 * several words ("GET SUBREQ", "VOL BAD cmp") and carry padding.  A
 * patch's key=value fields in the run are left to sym().
 */
static bool sym_run(struct cur *c, const char *stop, size_t stoplen,
		    const char **t, size_t *tl)
{
	const char *end;

	skip_ws(c);
	*t = c->p;
	if (!stop) {
		/* the rest of the line, less trailing blanks */
		for (end = c->e; end > c->p && is_blank(end[-1]); end--)
			;
		c->p = c->e;
		*tl = end - *t;
		return *tl > 0;
	}
	end = c->p;
	while (c->p < c->e) {
		if ((size_t)(c->e - c->p) >= stoplen &&
		    *c->p == *stop && !memcmp(c->p, stop, stoplen))
			break;
		while (c->p < c->e && !is_blank(*c->p))
			c->p++;
		end = c->p;
		skip_ws(c);
	}
	*tl = end - *t;
	return *tl > 0;
}

#define SYM_UNTIL(c, s, t, tl) sym_run((c), (s), sizeof(s) - 1, (t), (tl))

/*
 * The same few padded strings repeat on every line, so remember the last
 * exact spellings per class before normalizing and hashing in the
 * vocabulary.
 */
#define SYM_CACHE_WAYS 8
#define SYM_CACHE_TEXT 24

static __thread struct sym_cache_entry {
	char text[SYM_CACHE_TEXT];
	uint8_t len;
	uint16_t value;
} sym_cache[NFT_SYMC__NR][SYM_CACHE_WAYS];
static __thread uint8_t sym_cache_next[NFT_SYMC__NR];

static int lookup(enum nft_sym_class cls, const char *t, size_t tl)
{
	struct sym_cache_entry *ce = sym_cache[cls];
	int i, v;

	if (tl && tl < SYM_CACHE_TEXT) {
		for (i = 0; i < SYM_CACHE_WAYS; i++)
			if (ce[i].len == tl && ce[i].text[0] == t[0] &&
			    !memcmp(ce[i].text + 1, t + 1, tl - 1))
				return ce[i].value;
	} else if (!tl) {
		for (i = 0; i < SYM_CACHE_WAYS; i++)
			if (!ce[i].len)
				return ce[i].value;
	}
	v = nft_sym_lookup(cls, t, tl);
	if (v && tl < SYM_CACHE_TEXT) {
		ce = &ce[sym_cache_next[cls]++ % SYM_CACHE_WAYS];
		memcpy(ce->text, t, tl);
		ce->len = tl;
		ce->value = v;
	}
	return v;
}

/* A symbol the cache and vocabulary did not know at once. */
static __attribute__((noinline)) int sym_slow(struct nft_event *ev,
					      enum nft_sym_class cls,
					      const char *t, size_t tl)
{
	int v = 0;

	if (tl && memchr(t, '=', tl)) {
		/* a key=value a patch added next to the symbol */
		tl = sym_less_extra(t, tl);
		v = lookup(cls, t, tl);
	}
	if (!v && ev->n_unknown < NFT_MAX_UNKNOWN) {
		struct nft_unknown_sym *u = &ev->unknown[ev->n_unknown++];

		u->cls = cls;
		u->text = t;
		u->len = tl > 255 ? 255 : tl;
	}
	return v;
}

static inline int sym(struct nft_event *ev, enum nft_sym_class cls,
		      const char *t, size_t tl)
{
	int v = lookup(cls, t, tl);

	return v ? v : sym_slow(ev, cls, t, tl);
}

/* ---- dialect ---- */

static inline void decide(enum nft_dialect *d, enum nft_dialect to)
{
	if (*d == NFT_DIALECT_AUTO)
		*d = to;
}

/* How the dialect prints its fields: its generation's table (gen.c). */
static inline const struct nft_gen_profile *layout(enum nft_dialect d)
{
	return nft_gen_profile(d == NFT_DIALECT_6_1 ? NFT_GEN_6_1 : NFT_GEN_AUTO);
}

/*
 * Subrequest traces 6.1 .. 6.8 know; anything else only exists in kernels
 * that print the index in hex.
 */
static bool sreq_trace_is_old(int v)
{
	switch (v) {
	case NFT_SREQ_DOWNLOAD_INSTEAD:
	case NFT_SREQ_FREE:
	case NFT_SREQ_LIMITED:
	case NFT_SREQ_PREPARE:
	case NFT_SREQ_SHORT:
	case NFT_SREQ_SUBMIT:
	case NFT_SREQ_TERMINATED:
	case NFT_SREQ_WRITE:
	case NFT_SREQ_WRITE_SKIP:
	case NFT_SREQ_WRITE_TERM:
		return true;
	default:
		return false;
	}
}

/* ---- shared field groups ---- */

static bool rreq_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (!KHEX(c, "R=", &v))
		return false;
	ev->rreq = v;
	ev->have |= NFT_HAVE_RREQ;
	return true;
}

/*
 * "[digits]" right after R=.  Returns the span so the caller can choose the
 * base; *neg is set for "-1" (netfs_failure's %d).
 */
static bool bracket(struct cur *c, const char **t, size_t *tl, bool *neg)
{
	const char *p = c->p;

	if (p >= c->e || *p != '[')
		return false;
	p++;
	*neg = p < c->e && *p == '-';
	if (*neg)
		p++;
	*t = p;
	while (p < c->e && hex_digit(*p) >= 0)
		p++;
	*tl = p - *t;
	if (!*tl || p >= c->e || *p != ']')
		return false;
	c->p = p + 1;
	return true;
}

static bool span_value(const char *t, size_t tl, bool hex, uint64_t *v)
{
	struct cur s = { t, t + tl };

	if (!(hex ? parse_hex(&s, v) : parse_udec(&s, v)))
		return false;
	return s.p == s.e;
}

static bool has_hex_letter(const char *t, size_t tl)
{
	size_t i;

	for (i = 0; i < tl; i++)
		if (!is_digit(t[i]))
			return true;
	return false;
}

/* Subrequest index in the kernel's base; -1 / ffffffff mean "none". */
static bool sub_index(struct cur *c, struct nft_event *ev, bool hex)
{
	const char *t;
	size_t tl;
	bool neg;
	uint64_t v;

	if (!bracket(c, &t, &tl, &neg) || !span_value(t, tl, hex || neg, &v))
		return false;
	if (neg) {
		if (v != 1)
			return false;
		return true;	/* [-1]: no subrequest */
	}
	/* short or int -1 printed with %x: no subrequest */
	if (hex && (v == 0xffff || v == 0xffffffff))
		return true;
	/*
	 * netfs_sreq and netfs_failure keep the index in an "unsigned short
	 * index" field (include/trace/events/netfs.h), so no kernel prints
	 * more than ffff there; netfs_sreq_ref's "unsigned int subreq" can,
	 * but the model (lookup_subreq) tracks indexes up to 65535 only, so a
	 * bigger one is an error, never an event dropped in silence.
	 */
	if (v > 0xffff) {
		val_fail(t - 1, v >> 32 ? "subrequest index wider than 32 bits"
					: "subrequest index above 65535, more than the kernel's 16-bit index field or the model holds");
		if (!verr.on)
			return true;
		return false;
	}
	ev->index = v;
	ev->have |= NFT_HAVE_INDEX;
	return true;
}

#define NEED(cond, msg)                                                       \
	do {                                                                  \
		if (!(cond))                                                  \
			return (msg);                                         \
	} while (0)

/* ---- netfs ---- */

static const char *p_netfs_read(struct cur *c, struct nft_event *ev,
				enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	uint64_t v;

	NEED(rreq_id(c, ev), "no R=");
	NEED(SYM_UNTIL(c, "c=", &t, &tl), "no read trace");
	ev->what = sym(ev, NFT_SYMC_READ_TRACE, t, tl);
	NEED(KHEX(c, "c=", &v), "no c=");
	ev->cookie = v;
	ev->have |= NFT_HAVE_COOKIE;
	/* ni= came with the 5.17 fscache rewrite */
	if (KHEX(c, "ni=", &ev->ino))
		ev->have |= NFT_HAVE_INO;
	else
		ev->have |= NFT_HAVE_PRE_6_1;
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	ev->have |= NFT_HAVE_START;
	if (KHEX(c, "l=", &ev->len)) {
		decide(d, NFT_DIALECT_MODERN);
		if (KHEX(c, "sz=", &ev->i_size))
			ev->have |= NFT_HAVE_ISIZE;
	} else {
		/* 6.1 .. 6.8: the length has no key */
		skip_ws(c);
		NEED(parse_hex(c, &ev->len), "no length");
		decide(d, NFT_DIALECT_6_1);
	}
	ev->have |= NFT_HAVE_LEN;
	return NULL;
}

static const char *p_netfs_write(struct cur *c, struct nft_event *ev,
				 enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	uint64_t v;

	NEED(rreq_id(c, ev), "no R=");
	NEED(SYM_UNTIL(c, "c=", &t, &tl), "no write trace");
	ev->what = sym(ev, NFT_SYMC_WRITE_TRACE, t, tl);
	NEED(KHEX(c, "c=", &v), "no c=");
	ev->cookie = v;
	ev->have |= NFT_HAVE_COOKIE;
	if (KHEX(c, "i=", &ev->ino)) {
		ev->have |= NFT_HAVE_INO;
		decide(d, NFT_DIALECT_MODERN);	/* i= came with 6.10 */
	}
	NEED(LIT(c, "by=") && hex_pair(c, '-', &ev->start, &ev->end),
	     "no by=");
	/* printed as start..start+len-1; an "infinite" range saturates */
	ev->len = ev->end == UINT64_MAX ? UINT64_MAX - ev->start
					: ev->end - ev->start + 1;
	ev->have |= NFT_HAVE_START | NFT_HAVE_LEN;
	return NULL;
}

static const char *p_netfs_rreq(struct cur *c, struct nft_event *ev,
				enum nft_dialect *d)
{
	const char *t;
	size_t tl, wl;
	uint64_t v;
	bool old = false;

	NEED(rreq_id(c, ev), "no R=");
	NEED(SYM_UNTIL(c, "f=", &t, &tl), "no rreq trace");
	for (wl = 0; wl < tl && !is_blank(t[wl]); wl++)
		if (t[wl] == '=')
			break;
	if (wl < tl && t[wl] == '=') {
		tl = sym_less_extra(t, tl);	/* a patch's field, no trace */
		for (wl = 0; wl < tl && !is_blank(t[wl]); wl++)
			;
	} else if (wl < tl && memchr(t + wl, '=', tl - wl)) {
		tl = sym_less_extra(t, tl);	/* a patch's field after it */
	}
	if (wl >= tl) {
		/*
		 * One word: "R=%08x %s f=%02x", the layout before the origin
		 * column (5.13 .. 5.17; a few 5.18-6.0 builds, as in the
		 * netfs write-helper series): the generation of 6.1 -- once
		 * f= shows the line is whole, not cut after its origin.
		 */
		old = true;
	} else {
		const char *w = t;

		ev->origin = sym(ev, NFT_SYMC_ORIGIN, w, wl);
		t = skip_blanks(w + wl, t + tl);
		tl -= t - w;
	}
	ev->what = sym(ev, NFT_SYMC_RREQ_TRACE, t, tl);
	NEED(KHEX(c, "f=", &v), "no f=");
	ev->flags = v;
	ev->have |= NFT_HAVE_FLAGS;
	if (old) {
		ev->have |= NFT_HAVE_PRE_6_1;
		decide(d, NFT_DIALECT_6_1);
	}
	return NULL;
}

/* "s=START TRANSFERRED/LEN" shared by netfs_sreq and netfs_failure */
static const char *start_tl(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	NEED(KHEX(c, "f=", &v), "no f=");
	ev->flags = v;
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	NEED(hex_pair(c, '/', &ev->transferred, &ev->len),
	     "no transferred/len");
	ev->have |= NFT_HAVE_FLAGS | NFT_HAVE_START | NFT_HAVE_TRANSFERRED |
		    NFT_HAVE_LEN;
	return NULL;
}

static const char *p_netfs_sreq(struct cur *c, struct nft_event *ev,
				enum nft_dialect *d)
{
	const char *t1, *t2, *idx, *err;
	size_t l1, l2, idxl;
	int64_t e;
	uint64_t v;
	bool neg;
	int src, what;

	NEED(rreq_id(c, ev), "no R=");
	NEED(bracket(c, &idx, &idxl, &neg) && !neg, "no [index]");
	NEED(token(c, &t1, &l1) && token(c, &t2, &l2), "no source/trace");

	src = lookup(NFT_SYMC_SOURCE, t1, l1);
	if (!src && lookup(NFT_SYMC_SOURCE, t2, l2)) {
		/*
		 * 5.13 .. 5.17 printed the trace before the source
		 * ("R=%08x[%u] %s %s" with netfs_sreq_traces first).
		 */
		const char *tt = t1;
		size_t tll = l1;

		t1 = t2, l1 = l2;
		t2 = tt, l2 = tll;
		ev->have |= NFT_HAVE_PRE_6_1;
		decide(d, NFT_DIALECT_6_1);
	}
	ev->source = sym(ev, NFT_SYMC_SOURCE, t1, l1);
	what = sym(ev, NFT_SYMC_SREQ_TRACE, t2, l2);
	ev->what = what;
	err = start_tl(c, ev);
	if (err)
		return err;
	if (LIT(c, "s=")) {
		t1 = c->p;
		NEED(parse_udec(c, &v), "bad slot");
		if (v > 255) {
			/* the "u8 slot" field */
			val_fail(t1 - 2, "slot wider than 8 bits");
			return "bad slot";
		}
		ev->slot = v;
		ev->have |= NFT_HAVE_SLOT;
		decide(d, NFT_DIALECT_MODERN);
	}
	NEED(KDEC(c, "e=", &e), "no e=");
	ev->error = e;
	ev->have |= NFT_HAVE_ERROR;

	if (has_hex_letter(idx, idxl) ||
	    ev->source == NFT_SRC_UNKNOWN_SOURCE ||
	    (what && !sreq_trace_is_old(what)))
		decide(d, NFT_DIALECT_MODERN);
	NEED(span_value(idx, idxl, layout(*d)->sreq_index_hex, &v),
	     "bad index");
	if (v > 0xffff) {
		/* netfs_sreq's "unsigned short index" prints no more */
		val_fail(idx - 1, "subrequest index above 65535, more than the kernel's 16-bit index field holds");
		return "bad index";
	}
	ev->index = v;
	ev->have |= NFT_HAVE_INDEX;
	return NULL;
}

static const char *p_netfs_failure(struct cur *c, struct nft_event *ev,
				   enum nft_dialect *d)
{
	const char *t, *idx, *err;
	size_t tl, idxl;
	int64_t e;
	uint64_t v;
	bool neg;

	NEED(rreq_id(c, ev), "no R=");
	NEED(bracket(c, &idx, &idxl, &neg), "no [index]");
	if (neg)
		decide(d, NFT_DIALECT_6_1);	/* only %d prints a sign */
	else if (has_hex_letter(idx, idxl))
		decide(d, NFT_DIALECT_MODERN);
	NEED(span_value(idx, idxl, neg || layout(*d)->sreq_index_hex, &v),
	     "bad index");
	if (!neg && v < 0xffff) {
		ev->index = v;
		ev->have |= NFT_HAVE_INDEX;
	} else if (!neg && v != 0xffff && v != 0xffffffff) {
		/* a short's -1 is ffff; no "short index" prints more */
		val_fail(idx - 1, "subrequest index above ffff, more than the kernel's 16-bit index field holds");
		return "bad index";
	}
	NEED(token(c, &t, &tl), "no source");
	ev->source = sym(ev, NFT_SYMC_SOURCE, t, tl);
	err = start_tl(c, ev);
	if (err)
		return err;
	NEED(SYM_UNTIL(c, "e=", &t, &tl), "no failure trace");
	ev->what = sym(ev, NFT_SYMC_FAILURE, t, tl);
	NEED(KDEC(c, "e=", &e), "no e=");
	ev->error = e;
	ev->have |= NFT_HAVE_ERROR;
	return NULL;
}

static const char *ref_tail(struct cur *c, struct nft_event *ev,
			    enum nft_sym_class cls)
{
	const char *t;
	size_t tl;

	NEED(SYM_UNTIL(c, "r=", &t, &tl), "no ref trace");
	ev->what = sym(ev, cls, t, tl);
	NEED(KDEC(c, "r=", &ev->ref), "no r=");
	ev->have |= NFT_HAVE_REF;
	return NULL;
}

/*
 * R= of the ref events; "W=" in the netfs write-helper series' first
 * versions (v2 of "netfs: Trace refcounting on the netfs_io_request
 * struct", March 2022), which some 5.18-6.0 trees carry.
 */
static bool ref_rreq_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (rreq_id(c, ev))
		return true;
	if (!KHEX(c, "W=", &v))
		return false;
	ev->rreq = v;
	ev->have |= NFT_HAVE_RREQ | NFT_HAVE_PRE_6_1;
	return true;
}

static const char *p_netfs_rreq_ref(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	(void)d;
	NEED(ref_rreq_id(c, ev), "no R=");
	return ref_tail(c, ev, NFT_SYMC_RREQ_REF);
}

static const char *p_netfs_sreq_ref(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	(void)d;
	NEED(ref_rreq_id(c, ev), "no R=");
	NEED(sub_index(c, ev, true), "no [index]");
	return ref_tail(c, ev, NFT_SYMC_SREQ_REF);
}

static const char *p_netfs_folio(struct cur *c, struct nft_event *ev,
				 enum nft_dialect *d)
{
	const char *t;
	size_t tl;

	(void)d;
	NEED(KHEX(c, "i=", &ev->ino), "no i=");
	ev->have |= NFT_HAVE_INO;
	NEED(LIT(c, "ix=") && hex_pair(c, '-', &ev->first, &ev->last),
	     "no ix=");
	NEED(sym_run(c, NULL, 0, &t, &tl), "no folio trace");
	ev->what = sym(ev, NFT_SYMC_FOLIO, t, tl);
	return NULL;
}

static const char *p_netfs_folioq(struct cur *c, struct nft_event *ev,
				  enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	uint64_t v;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(KHEX(c, "fq=", &v), "no fq=");
	ev->id2 = v;
	NEED(sym_run(c, NULL, 0, &t, &tl), "no folioq trace");
	ev->what = sym(ev, NFT_SYMC_FOLIOQ, t, tl);
	return NULL;
}

static const char *p_netfs_write_iter(struct cur *c, struct nft_event *ev,
				      enum nft_dialect *d)
{
	uint64_t v;

	NEED(LIT(c, "WRITE-ITER"), "no WRITE-ITER");
	if (KHEX(c, "i=", &ev->ino)) {
		ev->have |= NFT_HAVE_INO;
		decide(d, NFT_DIALECT_MODERN);
	}
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	NEED(KHEX(c, "l=", &ev->len), "no l=");
	NEED(KHEX(c, "f=", &v), "no f=");
	ev->flags = v;
	ev->have |= NFT_HAVE_START | NFT_HAVE_LEN | NFT_HAVE_FLAGS;
	return NULL;
}

static const char *p_netfs_collect(struct cur *c, struct nft_event *ev,
				   enum nft_dialect *d)
{
	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(LIT(c, "s=") && hex_pair(c, '-', &ev->start, &ev->end),
	     "no s=");
	ev->have |= NFT_HAVE_START;
	return NULL;
}

/* "[stream:" then, for collect_sreq, "index]" or just "]" */
static bool stream_of(struct cur *c, struct nft_event *ev, bool dec)
{
	uint64_t v;

	if (c->p >= c->e || *c->p != '[')
		return false;
	c->p++;
	if (!(dec ? parse_udec(c, &v) : parse_hex(c, &v)) || v > 255)
		return false;
	if (c->p >= c->e || *c->p != ':')
		return false;
	c->p++;
	ev->stream = v;
	ev->have |= NFT_HAVE_STREAM;
	return true;
}

static const char *p_netfs_collect_sreq(struct cur *c, struct nft_event *ev,
					enum nft_dialect *d)
{
	uint64_t v;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(stream_of(c, ev, true), "no [stream:index]");
	NEED(parse_hex(c, &v) && c->p < c->e && *c->p++ == ']',
	     "no [stream:index]");
	if (v > 0xffff) {
		val_fail(c->p - 1, "subrequest index above 65535, more than the model holds");
		return "bad index";
	}
	ev->index = v;
	ev->have |= NFT_HAVE_INDEX;
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	NEED(LIT(c, "t=") && hex_pair(c, '/', &ev->transferred, &ev->len),
	     "no t=");
	ev->have |= NFT_HAVE_START | NFT_HAVE_TRANSFERRED | NFT_HAVE_LEN;
	return NULL;
}

static const char *p_netfs_collect_folio(struct cur *c, struct nft_event *ev,
					 enum nft_dialect *d)
{
	uint64_t from;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(KHEX(c, "ix=", &ev->first), "no ix=");
	NEED(LIT(c, "r=") && hex_pair(c, '-', &from, &ev->end), "no r=");
	NEED(LIT(c, "t=") &&
	     hex_pair(c, '/', &ev->cleaned_to, &ev->collected_to), "no t=");
	return NULL;
}

static const char *p_netfs_collect_state(struct cur *c, struct nft_event *ev,
					 enum nft_dialect *d)
{
	uint64_t v;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(KHEX(c, "col=", &ev->collected_to), "no col=");
	NEED(KHEX(c, "cln=", &ev->cleaned_to), "no cln=");
	NEED(KHEX(c, "n=", &v), "no n=");
	ev->notes = v;
	return NULL;
}

static const char *p_netfs_collect_gap(struct cur *c, struct nft_event *ev,
				       enum nft_dialect *d)
{
	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(stream_of(c, ev, false) && c->p < c->e && *c->p++ == ']',
	     "no [stream:]");
	skip_ws(c);
	NEED(parse_hex(c, &ev->start) && LIT(c, "->") &&
	     parse_hex(c, &ev->end), "no from->to");
	ev->have |= NFT_HAVE_START;
	skip_ws(c);
	NEED(c->p < c->e, "no gap type");
	ev->gap_type = *c->p++;
	return NULL;
}

static const char *p_netfs_collect_stream(struct cur *c,
					  struct nft_event *ev,
					  enum nft_dialect *d)
{
	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(stream_of(c, ev, false) && c->p < c->e && *c->p++ == ']',
	     "no [stream:]");
	NEED(KHEX(c, "cto=", &ev->collected_to), "no cto=");
	/* 6.12 printed the front, 7.2 the issued-to point */
	NEED(KHEX(c, "frn=", &ev->front) || KHEX(c, "ito=", &ev->front),
	     "no frn=/ito=");
	return NULL;
}

static const char *p_netfs_collect_contig(struct cur *c,
					  struct nft_event *ev,
					  enum nft_dialect *d)
{
	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	skip_ws(c);
	NEED(parse_hex(c, &ev->start) && LIT(c, "->") && (skip_ws(c), 1) &&
	     parse_hex(c, &ev->end), "no from -> to");
	ev->have |= NFT_HAVE_START;
	return NULL;
}

static const char *p_netfs_progress(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	uint64_t a, b, v;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(sub_index(c, ev, true), "no [index]");
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	NEED(LIT(c, "ct=") && hex_pair(c, '/', &ev->len, &ev->transferred),
	     "no ct=");
	NEED(LIT(c, "pa=") && hex_pair(c, '/', &a, &b), "no pa=");
	NEED(KHEX(c, "sl=", &v), "no sl=");
	ev->slot = v;
	ev->end = b;	/* f_avail: the data at hand from s= on */
	ev->have |= NFT_HAVE_START | NFT_HAVE_LEN | NFT_HAVE_TRANSFERRED |
		    NFT_HAVE_SLOT;
	return NULL;
}

static const char *p_netfs_donate(struct cur *c, struct nft_event *ev,
				  enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	uint64_t v;
	bool neg;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(sub_index(c, ev, true), "no [from]");
	NEED(LIT(c, "->"), "no ->");
	skip_ws(c);
	NEED(bracket(c, &t, &tl, &neg) && !neg && span_value(t, tl, true, &v),
	     "no [to]");
	ev->id2 = v;
	NEED(SYM_UNTIL(c, "am=", &t, &tl), "no donate trace");
	ev->what = sym(ev, NFT_SYMC_DONATE, t, tl);
	NEED(KHEX(c, "am=", &ev->len), "no am=");
	ev->have |= NFT_HAVE_LEN;
	return NULL;
}

static const char *p_netfs_read_progress_at(struct cur *c,
					    struct nft_event *ev,
					    enum nft_dialect *d)
{
	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(KHEX(c, "cln=", &ev->cleaned_to), "no cln=");
	NEED(KHEX(c, "prg=", &ev->collected_to), "no prg=");
	return NULL;
}

static const char *p_netfs_copy2cache(struct cur *c, struct nft_event *ev,
				      enum nft_dialect *d)
{
	uint64_t v;

	decide(d, NFT_DIALECT_MODERN);
	NEED(rreq_id(c, ev), "no R=");
	NEED(KHEX(c, "CR=", &v), "no CR=");
	ev->creq = v;
	NEED(KHEX(c, "c=", &v), "no c=");
	ev->cookie = v;
	NEED(KHEX(c, "i=", &ev->ino), "no i=");
	ev->have |= NFT_HAVE_CREQ | NFT_HAVE_COOKIE | NFT_HAVE_INO;
	return NULL;
}

/* ---- fscache ---- */

static bool cookie_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (!KHEX(c, "c=", &v))
		return false;
	ev->cookie = v;
	ev->have |= NFT_HAVE_COOKIE;
	return true;
}

static bool volume_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (!KHEX(c, "V=", &v))
		return false;
	ev->volume = v;
	ev->have |= NFT_HAVE_VOLUME;
	return true;
}

static bool cache_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (!KHEX(c, "C=", &v))
		return false;
	ev->cache = v;
	ev->have |= NFT_HAVE_CACHE;
	return true;
}

static bool object_id(struct cur *c, struct nft_event *ev)
{
	uint64_t v;

	if (!KHEX(c, "o=", &v))
		return false;
	ev->object = v;
	ev->have |= NFT_HAVE_OBJECT;
	return true;
}

static const char *p_fscache_cookie(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	return ref_tail(c, ev, NFT_SYMC_FSC_COOKIE);
}

static const char *p_fscache_volume(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	const char *t;
	size_t tl;

	(void)d;
	NEED(volume_id(c, ev), "no V=");
	NEED(SYM_UNTIL(c, "u=", &t, &tl), "no volume trace");
	ev->what = sym(ev, NFT_SYMC_FSC_VOLUME, t, tl);
	NEED(KDEC(c, "u=", &ev->ref), "no u=");
	ev->have |= NFT_HAVE_REF;
	return NULL;
}

static const char *p_fscache_cache(struct cur *c, struct nft_event *ev,
				   enum nft_dialect *d)
{
	(void)d;
	NEED(cache_id(c, ev), "no C=");
	return ref_tail(c, ev, NFT_SYMC_FSC_CACHE);
}

static const char *accesses(struct cur *c, struct nft_event *ev)
{
	int64_t v;

	NEED(KDEC(c, "a=", &v), "no a=");
	ev->n_accesses = v;
	return NULL;
}

static const char *p_fscache_active(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	const char *err;
	int64_t v;

	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	err = ref_tail(c, ev, NFT_SYMC_FSC_ACTIVE);
	if (!err)
		err = accesses(c, ev);
	if (err)
		return err;
	/* the second c= is the number of active users, in decimal */
	NEED(KDEC(c, "c=", &v), "no n_active c=");
	ev->n_active = v;
	return NULL;
}

static const char *p_fscache_access(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	const char *err;

	(void)d;
	switch (ev->kind) {
	case NFT_EV_FSCACHE_ACCESS_CACHE:
		NEED(cache_id(c, ev), "no C=");
		break;
	case NFT_EV_FSCACHE_ACCESS_VOLUME:
		NEED(volume_id(c, ev), "no V=");
		NEED(cookie_id(c, ev), "no c=");
		break;
	default:
		NEED(cookie_id(c, ev), "no c=");
		break;
	}
	err = ref_tail(c, ev, NFT_SYMC_FSC_ACCESS);
	return err ? err : accesses(c, ev);
}

static const char *p_fscache_acquire(struct cur *c, struct nft_event *ev,
				     enum nft_dialect *d)
{
	int64_t v;

	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	NEED(volume_id(c, ev), "no V=");
	NEED(KDEC(c, "vr=", &ev->ref), "no vr=");
	ev->have |= NFT_HAVE_REF;
	NEED(KDEC(c, "vc=", &v), "no vc=");
	ev->n_active = v;
	return NULL;
}

static const char *p_fscache_relinquish(struct cur *c, struct nft_event *ev,
					enum nft_dialect *d)
{
	int64_t v;
	uint64_t f;

	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	NEED(volume_id(c, ev), "no V=");
	NEED(KDEC(c, "r=", &ev->ref), "no r=");
	ev->have |= NFT_HAVE_REF;
	NEED(KDEC(c, "U=", &v), "no U=");
	ev->n_active = v;
	NEED(KHEX(c, "f=", &f), "no f=");
	ev->flags = f;
	ev->have |= NFT_HAVE_FLAGS;
	NEED(KDEC(c, "rt=", &v), "no rt=");
	ev->id2 = v;
	return NULL;
}

static const char *p_fscache_size(struct cur *c, struct nft_event *ev,
				  enum nft_dialect *d)
{
	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	if (ev->kind == NFT_EV_FSCACHE_RESIZE) {
		NEED(KHEX(c, "os=", &ev->start), "no os=");
		ev->have |= NFT_HAVE_START;
	}
	NEED(KHEX(c, "sz=", &ev->len), "no sz=");
	ev->have |= NFT_HAVE_LEN;
	return NULL;
}

/* ---- cachefiles ---- */

static bool backer(struct cur *c, struct nft_event *ev, bool as_ino)
{
	uint64_t v;

	if (!KHEX(c, "B=", &v))
		return false;
	if (as_ino) {
		ev->ino = v;
		ev->have |= NFT_HAVE_INO;
	} else {
		ev->id2 = v;
	}
	return true;
}

static const char *p_cachefiles_ref(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d)
{
	const char *t;
	size_t tl;

	(void)d;
	NEED(cookie_id(c, ev), "no c=");
	NEED(object_id(c, ev), "no o=");
	NEED(KDEC(c, "u=", &ev->ref), "no u=");
	ev->have |= NFT_HAVE_REF;
	NEED(sym_run(c, NULL, 0, &t, &tl), "no ref trace");
	ev->what = sym(ev, NFT_SYMC_CF_REF, t, tl);
	return NULL;
}

static const char *p_cachefiles_lookup(struct cur *c, struct nft_event *ev,
				       enum nft_dialect *d)
{
	uint64_t v;
	int64_t e;

	(void)d;
	NEED(object_id(c, ev), "no o=");
	NEED(KHEX(c, "dB=", &v), "no dB=");
	ev->id2 = v;
	NEED(backer(c, ev, true), "no B=");
	NEED(KDEC(c, "e=", &e), "no e=");
	ev->error = e;
	ev->have |= NFT_HAVE_ERROR;
	return NULL;
}

static const char *p_cachefiles_mkdir(struct cur *c, struct nft_event *ev,
				      enum nft_dialect *d)
{
	uint64_t v;

	(void)d;
	NEED(KHEX(c, "dB=", &v), "no dB=");
	ev->id2 = v;
	NEED(KHEX(c, "sB=", &ev->ino), "no sB=");
	ev->have |= NFT_HAVE_INO;
	return NULL;
}

/* o= B= [w=why]: tmpfile, link, mark_*, unlink, rename */
static const char *p_cachefiles_obj_ino(struct cur *c, struct nft_event *ev,
					enum nft_dialect *d)
{
	const char *t;
	size_t tl;

	(void)d;
	NEED(object_id(c, ev), "no o=");
	NEED(backer(c, ev, true), "no B=");
	if (LIT(c, "w=")) {
		NEED(sym_run(c, NULL, 0, &t, &tl), "no reason");
		ev->what = sym(ev, NFT_SYMC_CF_KILL, t, tl);
	}
	return NULL;
}

static const char *p_cachefiles_coherency(struct cur *c, struct nft_event *ev,
					  enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	int64_t content;

	(void)d;
	if (ev->kind == NFT_EV_CACHEFILES_VOL_COHERENCY)
		NEED(volume_id(c, ev), "no V=");
	else
		NEED(object_id(c, ev), "no o=");
	NEED(SYM_UNTIL(c, "B=", &t, &tl), "no coherency trace");
	ev->what = sym(ev, NFT_SYMC_CF_COHERENCY, t, tl);
	NEED(backer(c, ev, true), "no B=");
	if (ev->kind == NFT_EV_CACHEFILES_COHERENCY)
		NEED(KDEC(c, "c=", &content), "no c=");
	return NULL;
}

static const char *p_cachefiles_prep_read(struct cur *c, struct nft_event *ev,
					  enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	uint64_t v;

	(void)d;
	if (rreq_id(c, ev)) {
		/* 6.1 form: the subrequest, index printed with %u */
		NEED(sub_index(c, ev, false), "no [index]");
	} else {
		NEED(object_id(c, ev), "no o= or R=");
	}
	NEED(token(c, &t, &tl), "no source");
	ev->source = sym(ev, NFT_SYMC_SOURCE, t, tl);
	NEED(SYM_UNTIL(c, "f=", &t, &tl), "no prepare trace");
	ev->what = sym(ev, NFT_SYMC_CF_PREP, t, tl);
	NEED(KHEX(c, "f=", &v), "no f=");
	ev->flags = v;
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	skip_ws(c);
	NEED(parse_hex(c, &ev->len), "no length");
	NEED(KHEX(c, "ni=", &ev->ino), "no ni=");
	NEED(backer(c, ev, false), "no B=");
	ev->have |= NFT_HAVE_FLAGS | NFT_HAVE_START | NFT_HAVE_LEN |
		    NFT_HAVE_INO;
	return NULL;
}

static const char *p_cachefiles_rw(struct cur *c, struct nft_event *ev,
				   enum nft_dialect *d)
{
	(void)d;
	NEED(object_id(c, ev), "no o=");
	NEED(backer(c, ev, false), "no B=");
	NEED(KHEX(c, "s=", &ev->start), "no s=");
	NEED(KHEX(c, "l=", &ev->len), "no l=");
	ev->have |= NFT_HAVE_START | NFT_HAVE_LEN;
	return NULL;
}

static const char *p_cachefiles_trunc(struct cur *c, struct nft_event *ev,
				      enum nft_dialect *d)
{
	const char *t;
	size_t tl;

	(void)d;
	NEED(object_id(c, ev), "no o=");
	NEED(backer(c, ev, false), "no B=");
	NEED(SYM_UNTIL(c, "l=", &t, &tl), "no trunc trace");
	ev->what = sym(ev, NFT_SYMC_CF_TRUNC, t, tl);
	NEED(LIT(c, "l=") && parse_hex(c, &ev->start) && LIT(c, "->") &&
	     parse_hex(c, &ev->end), "no l=from->to");
	ev->have |= NFT_HAVE_START;
	return NULL;
}

static const char *p_cachefiles_error(struct cur *c, struct nft_event *ev,
				      enum nft_dialect *d)
{
	const char *t;
	size_t tl;
	int64_t e;

	(void)d;
	NEED(object_id(c, ev), "no o=");
	NEED(backer(c, ev, false), "no B=");
	NEED(SYM_UNTIL(c, "e=", &t, &tl), "no error site");
	ev->what = sym(ev, NFT_SYMC_CF_ERROR, t, tl);
	NEED(KDEC(c, "e=", &e), "no e=");
	ev->error = e;
	ev->have |= NFT_HAVE_ERROR;
	return NULL;
}

/* The on-demand events: only the object matters to the model. */
static const char *p_cachefiles_ondemand(struct cur *c, struct nft_event *ev,
					 enum nft_dialect *d)
{
	(void)d;
	NEED(object_id(c, ev), "no o=");
	return NULL;
}

/* ---- fscache before 5.17 ----
 *
 * The fscache of 4.17-5.16 (include/trace/events/fscache.h before the 5.17
 * rewrite) printed cookies and objects with %p: a hashed pointer,
 * "c=0000000046a8b5b3" (16 digits on 64-bit), or a raw one with %px or
 * no_hash_pointers.  Its layouts:
 *   fscache_cookie      %s c=%p u=%d p=%p Nc=%d Na=%d f=%02x
 *   fscache_acquire     c=%p p=%p pu=%d pc=%d pf=%02x n=%s
 *   fscache_relinquish  c=%p u=%d p=%p Nc=%d Na=%d f=%02x r=%u
 *   fscache_enable/disable  c=%p u=%d Nc=%d Na=%d f=%02x
 *   fscache_netfs c=%p n=%s; fscache_osm c=%p o=%p ...; fscache_page
 *   c=%p %s pg=%lx; fscache_op c=%p op=%p %s; fscache_wake_cookie c=%p; ...
 * and cachefiles of the same era c=%p o=%p ... .  Only the cookie and what
 * the model needs are kept; the rest of the line is the kernel's business.
 */

/*
 * A pointer as %p/%px print it: hex, or "(null)", "(____ptrval____)"
 * (before the hash key is ready) and the like (then 0).
 */
static bool old_ptr(struct cur *c, const char *k, size_t klen, uint64_t *v)
{
	struct cur t = *c;

	if (!lit(&t, k, klen))
		return false;
	if (t.p < t.e && *t.p == '(') {
		const char *q = memchr(t.p, ')', t.e - t.p);

		if (!q)
			return false;
		t.p = q + 1;
		*v = 0;
	} else if (!parse_hex(&t, v)) {
		return false;
	}
	*c = t;
	return true;
}

#define OLD_PTR(c, k, v) old_ptr((c), (k), sizeof(k) - 1, (v))

/*
 * A key=value with more than 8 hex digits among the first fields: only %p
 * prints that (the ids come first in every layout; the rest of the line
 * is not scanned).
 */
static bool wide_id(const char *p, const char *e, char key)
{
	const char *s = p, *q;

	if (e - p > 48)
		e = p + 48;
	for (; p + 2 < e; p++) {
		if (p[0] != key || p[1] != '=' || (p > s && !is_blank(p[-1])))
			continue;
		q = p + 2;
		while (q < e && hex_digit(*q) >= 0)
			q++;
		if (q - (p + 2) > 8)
			return true;
	}
	return false;
}

/*
 * Is this fscache/cachefiles line in a layout of before 5.17?  Modern
 * fscache_cookie starts with c=%08x; the old one with its symbol (or, in
 * some trees, c= then the symbol, then u= ... Nc=).  Modern acquire and
 * relinquish print V= after c=.
 */
static bool old_fscache_layout(const struct cur *c, enum nft_event_kind kind)
{
	const char *p = skip_blanks(c->p, c->e);

	if (kind >= NFT_EV_FSCACHE_NETFS && kind <= NFT_EV_FSCACHE_GANG_LOOKUP)
		return true;
	if (wide_id(p, c->e, 'c') || wide_id(p, c->e, 'o'))
		return true;
	switch (kind) {
	case NFT_EV_FSCACHE_COOKIE:
		if (c->e - p < 2 || memcmp(p, "c=", 2))
			return true;
		return memmem(p, c->e - p, " Nc=", 4) != NULL;
	case NFT_EV_FSCACHE_ACQUIRE:
	case NFT_EV_FSCACHE_RELINQUISH:
		return !memmem(p, c->e - p, " V=", 3);
	default:
		return false;
	}
}

static const char *p_old_fscache(struct cur *c, struct nft_event *ev,
				 enum nft_dialect *d)
{
	const char *t = NULL;
	size_t tl = 0;
	int64_t v;
	uint64_t x;

	(void)d;
	skip_ws(c);
	if (ev->kind == NFT_EV_FSCACHE_COOKIE &&
	    (c->e - c->p < 2 || memcmp(c->p, "c=", 2)))
		NEED(SYM_UNTIL(c, "c=", &t, &tl), "no cookie trace");
	if (ev->kind >= NFT_EV_CACHEFILES_REF &&
	    ev->kind <= NFT_EV_CACHEFILES_ONDEMAND_FD_RELEASE) {
		/* cachefiles of the same era: c= first when it has one */
		OLD_PTR(c, "c=", &ev->cookie64);	/* some print o= only */
		ev->have |= NFT_HAVE_OLD_COOKIE;
		return NULL;
	}
	NEED(OLD_PTR(c, "c=", &ev->cookie64), "no c=");
	ev->have |= NFT_HAVE_OLD_COOKIE;
	switch (ev->kind) {
	case NFT_EV_FSCACHE_COOKIE:
		if (!t)
			NEED(SYM_UNTIL(c, "u=", &t, &tl), "no cookie trace");
		ev->what = sym(ev, NFT_SYMC_FSC_COOKIE, t, tl);
		NEED(KDEC(c, "u=", &ev->ref), "no u=");
		ev->have |= NFT_HAVE_REF;
		if (OLD_PTR(c, "p=", &x))
			ev->parent64 = x;
		KDEC(c, "Nc=", &v);
		if (KDEC(c, "Na=", &v))
			ev->n_active = v;
		break;
	case NFT_EV_FSCACHE_ACQUIRE:
		if (OLD_PTR(c, "p=", &x))
			ev->parent64 = x;
		if (KDEC(c, "pu=", &ev->ref))
			ev->have |= NFT_HAVE_REF;	/* the parent's usage */
		break;
	case NFT_EV_FSCACHE_RELINQUISH:
	case NFT_EV_FSCACHE_ENABLE:
	case NFT_EV_FSCACHE_DISABLE:
		if (KDEC(c, "u=", &ev->ref))
			ev->have |= NFT_HAVE_REF;
		if (OLD_PTR(c, "p=", &x))
			ev->parent64 = x;
		break;
	default:
		break;
	}
	return NULL;
}

typedef const char *(*field_parser)(struct cur *c, struct nft_event *ev,
				    enum nft_dialect *d);

static const field_parser parsers[NFT_EV__NR] = {
	[NFT_EV_NETFS_READ] = p_netfs_read,
	[NFT_EV_NETFS_WRITE] = p_netfs_write,
	[NFT_EV_NETFS_RREQ] = p_netfs_rreq,
	[NFT_EV_NETFS_SREQ] = p_netfs_sreq,
	[NFT_EV_NETFS_FAILURE] = p_netfs_failure,
	[NFT_EV_NETFS_RREQ_REF] = p_netfs_rreq_ref,
	[NFT_EV_NETFS_SREQ_REF] = p_netfs_sreq_ref,
	[NFT_EV_NETFS_FOLIO] = p_netfs_folio,
	[NFT_EV_NETFS_FOLIOQ] = p_netfs_folioq,
	[NFT_EV_NETFS_WRITE_ITER] = p_netfs_write_iter,
	[NFT_EV_NETFS_COLLECT] = p_netfs_collect,
	[NFT_EV_NETFS_COLLECT_SREQ] = p_netfs_collect_sreq,
	[NFT_EV_NETFS_COLLECT_FOLIO] = p_netfs_collect_folio,
	[NFT_EV_NETFS_COLLECT_STATE] = p_netfs_collect_state,
	[NFT_EV_NETFS_COLLECT_GAP] = p_netfs_collect_gap,
	[NFT_EV_NETFS_COLLECT_STREAM] = p_netfs_collect_stream,
	[NFT_EV_NETFS_COLLECT_CONTIG] = p_netfs_collect_contig,
	[NFT_EV_NETFS_PROGRESS] = p_netfs_progress,
	[NFT_EV_NETFS_DONATE] = p_netfs_donate,
	[NFT_EV_NETFS_READ_PROGRESS_AT] = p_netfs_read_progress_at,
	[NFT_EV_NETFS_COPY2CACHE] = p_netfs_copy2cache,
	[NFT_EV_FSCACHE_CACHE] = p_fscache_cache,
	[NFT_EV_FSCACHE_VOLUME] = p_fscache_volume,
	[NFT_EV_FSCACHE_COOKIE] = p_fscache_cookie,
	[NFT_EV_FSCACHE_ACTIVE] = p_fscache_active,
	[NFT_EV_FSCACHE_ACCESS_CACHE] = p_fscache_access,
	[NFT_EV_FSCACHE_ACCESS_VOLUME] = p_fscache_access,
	[NFT_EV_FSCACHE_ACCESS] = p_fscache_access,
	[NFT_EV_FSCACHE_ACQUIRE] = p_fscache_acquire,
	[NFT_EV_FSCACHE_RELINQUISH] = p_fscache_relinquish,
	[NFT_EV_FSCACHE_INVALIDATE] = p_fscache_size,
	[NFT_EV_FSCACHE_RESIZE] = p_fscache_size,
	[NFT_EV_CACHEFILES_REF] = p_cachefiles_ref,
	[NFT_EV_CACHEFILES_LOOKUP] = p_cachefiles_lookup,
	[NFT_EV_CACHEFILES_MKDIR] = p_cachefiles_mkdir,
	[NFT_EV_CACHEFILES_TMPFILE] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_LINK] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_UNLINK] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_RENAME] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_COHERENCY] = p_cachefiles_coherency,
	[NFT_EV_CACHEFILES_VOL_COHERENCY] = p_cachefiles_coherency,
	[NFT_EV_CACHEFILES_PREP_READ] = p_cachefiles_prep_read,
	[NFT_EV_CACHEFILES_READ] = p_cachefiles_rw,
	[NFT_EV_CACHEFILES_WRITE] = p_cachefiles_rw,
	[NFT_EV_CACHEFILES_TRUNC] = p_cachefiles_trunc,
	[NFT_EV_CACHEFILES_MARK_ACTIVE] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_MARK_FAILED] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_MARK_INACTIVE] = p_cachefiles_obj_ino,
	[NFT_EV_CACHEFILES_VFS_ERROR] = p_cachefiles_error,
	[NFT_EV_CACHEFILES_IO_ERROR] = p_cachefiles_error,
	[NFT_EV_CACHEFILES_ONDEMAND_OPEN] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_COPEN] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_CLOSE] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_READ] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_CREAD] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_FD_WRITE] = p_cachefiles_ondemand,
	[NFT_EV_CACHEFILES_ONDEMAND_FD_RELEASE] = p_cachefiles_ondemand,
#define NFT_X(e, n) [NFT_EV_##e] = p_old_fscache,
	NFT_OLD_FSCACHE_KINDS(NFT_X)
#undef NFT_X
};

/* ---- line layout ---- */

/* "secs.frac" (any number of fractional digits) -> ns */
/*
 * Set when a timestamp's seconds do not fit in 64-bit nanoseconds
 * (18446744073.709551615 s): parse_line() makes the line an error.
 */
static __thread const char *ts_overflow;

static bool parse_ts(const char *p, const char *e, uint64_t *ns)
{
	const char *s = p;
	uint64_t secs = 0, frac = 0;
	int n = 0, fd = 0;
	bool ovf = false;

	while (p < e && is_digit(*p)) {
		if (++n > 40)
			return false;
		if (__builtin_mul_overflow(secs, 10, &secs) ||
		    __builtin_add_overflow(secs, (uint64_t)(*p - '0'), &secs))
			ovf = true;
		p++;
	}
	if (!n || p >= e || *p != '.')
		return false;
	p++;
	while (p < e && is_digit(*p)) {
		if (fd < 9) {
			frac = frac * 10 + (*p - '0');
			fd++;
		}
		p++;
		n = -1;
	}
	if (n != -1 || p != e)
		return false;
	for (; fd < 9; fd++)
		frac *= 10;
	if (ovf || __builtin_mul_overflow(secs, 1000000000ull, ns) ||
	    __builtin_add_overflow(*ns, frac, ns)) {
		if (!ts_overflow)
			ts_overflow = s;
		*ns = 0;
	}
	return true;
}

/* A "12.345678:" token: the timestamp column of every ftrace layout. */
static inline bool ts_token(const char *t, size_t tl, uint64_t *ns)
{
	return tl >= 4 && is_digit(t[0]) && t[tl - 1] == ':' &&
	       parse_ts(t, t + tl - 1, ns);
}

/*
 * The latency format's time, which ftrace_dump() (ftrace_dump_on_oops,
 * sysrq-z) prints: lat_print_timestamp() in kernel/trace/trace_output.c
 * writes " %4lldus%c: " -- microseconds since the buffer started and a
 * delay mark (' ', '+', '!', '#', '*', '@', '$').  The token is "123us",
 * then ":" alone, or "123us+:".  *more: the ':' is the next token.
 */
static bool lat_ts_token(const char *t, size_t tl, uint64_t *ns, bool *more)
{
	uint64_t us = 0;
	size_t i = 0;

	while (i < tl && is_digit(t[i]) && i < 15)
		us = us * 10 + (t[i++] - '0');
	if (!i || tl - i < 2 || t[i] != 'u' || t[i + 1] != 's')
		return false;
	i += 2;
	if (i < tl && t[i] && t[i] != ':' && strchr("+!#*@$", t[i]))
		i++;
	*more = i == tl;
	if (!*more && !(i + 1 == tl && t[i] == ':'))
		return false;
	*ns = us * 1000;
	return true;
}

/* "name:" with an event-name-shaped name. */
static bool name_token(const char *t, size_t tl)
{
	size_t i;

	if (tl < 2 || t[tl - 1] != ':')
		return false;
	for (i = 0; i < tl - 1; i++)
		if (!is_name_char(t[i]))
			return false;
	return true;
}

static bool has_underscore(const char *t, size_t tl)
{
	return memchr(t, '_', tl) != NULL;
}

/* "[  12.345678]" console/dmesg prefix at @c. */
static bool console_ts(struct cur *c, uint64_t *ns)
{
	const char *p = c->p, *q;

	if (p >= c->e || *p != '[')
		return false;
	p++;
	while (p < c->e && *p == ' ')
		p++;
	q = p;
	while (q < c->e && *q != ']' && (is_digit(*q) || *q == '.'))
		q++;
	if (q >= c->e || *q != ']' || !parse_ts(p, q, ns))
		return false;
	c->p = q + 1;
	return true;
}

/* printk's caller id after the console time: "[    T123]", "[  C1]" */
static void caller_id(struct cur *c)
{
	const char *p = c->p;

	if (c->e - p < 4 || *p != '[')
		return;
	for (p++; p < c->e && *p == ' '; p++)
		;
	if (p >= c->e || (*p != 'T' && *p != 'C'))
		return;
	for (p++; p < c->e && is_digit(*p); p++)
		;
	if (p >= c->e || *p != ']' || !is_digit(p[-1]))
		return;
	c->p = p + 1;
	skip_ws(c);
}

/* "[003]" */
static bool cpu_token(const char *t, size_t tl, int32_t *cpu)
{
	uint64_t v;
	struct cur s = { t + 1, t + tl - 1 };

	if (tl < 3 || t[0] != '[' || t[tl - 1] != ']')
		return false;
	if (!parse_udec(&s, &v) || s.p != s.e || v > INT32_MAX)
		return false;
	*cpu = v;
	return true;
}

static void copy_str(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* COMM-PID (or COMM) in [s, e): PID = the digits after the last '-'. */
static void comm_pid(struct line_ctx *lc, const char *s, const char *e,
		     struct nft_event *ev)
{
	size_t len = e - s;
	const char *q;
	uint64_t pid = 0;
	int n = 0;

	/* the same task line after line: lc->comm already holds it */
	if (len && len == lc->hdr_len && !memcmp(lc->hdr, s, len)) {
		if (lc->hdr_pid >= 0) {
			ev->pid = lc->hdr_pid;
			ev->have |= NFT_HAVE_PID;
		}
		ev->comm = lc->comm;
		return;
	}
	lc->hdr_len = 0;
	lc->hdr_pid = -1;

	for (q = e; q > s && is_digit(q[-1]) && n < 10; q--, n++)
		;
	/* "COMM-PID" (ftrace), or "COMM  PID" (perf script) */
	if (n && q - 1 > s && (q[-1] == '-' || is_blank(q[-1]))) {
		for (; q < e; q++)
			pid = pid * 10 + (*q - '0');
		if (pid <= INT32_MAX) {
			ev->pid = pid;
			ev->have |= NFT_HAVE_PID;
			lc->hdr_pid = pid;
			for (e -= n + 1; e > s && is_blank(e[-1]); e--)
				;
		}
	}
	copy_str(lc->comm, sizeof(lc->comm), s, e - s);
	ev->comm = lc->comm;
	if (len && len < sizeof(lc->hdr)) {
		memcpy(lc->hdr, s, len);
		lc->hdr_len = len;
	}
}

/*
 * The part before the timestamp or event name: "COMM-PID [CPU] FLAGS",
 * "COMM-PID:", "COMM:".  COMM may contain anything, even blanks, so the PID
 * is the digits after the last '-', and CPU and FLAGS are taken from the
 * right-hand end.
 */
static void parse_header(struct line_ctx *lc, const char *s, const char *e,
			 struct nft_event *ev, bool lat)
{
	const char *t[MAX_HEADER_TOKENS];
	size_t tl[MAX_HEADER_TOKENS];
	struct cur c = { s, e };
	int n = 0, last;
	int32_t cpu;

	while (n < MAX_HEADER_TOKENS && token(&c, &t[n], &tl[n]))
		n++;
	if (!n)
		return;
	last = n - 1;
	if (lat && last >= 1 && is_digit(t[last][0])) {
		/*
		 * lat_print_generic(): "%8.8s-%-7d %3d" and the flags right
		 * after the CPU number ("1d..2.").
		 */
		size_t i = 0;

		for (cpu = 0; i < tl[last] && is_digit(t[last][i]) && i < 6; i++)
			cpu = cpu * 10 + (t[last][i] - '0');
		if (tl[last] - i < sizeof(ev->irqs))
			copy_str(ev->irqs, sizeof(ev->irqs), t[last] + i,
				 tl[last] - i);
		ev->cpu = cpu;
		ev->have |= NFT_HAVE_CPU;
		last--;
	} else if (last >= 1 && !cpu_token(t[last], tl[last], &cpu) &&
	    cpu_token(t[last - 1], tl[last - 1], &cpu)) {
		copy_str(ev->irqs, sizeof(ev->irqs), t[last], tl[last]);
		last -= 2;
		ev->cpu = cpu;
		ev->have |= NFT_HAVE_CPU;
	} else if (cpu_token(t[last], tl[last], &cpu)) {
		last -= 1;
		ev->cpu = cpu;
		ev->have |= NFT_HAVE_CPU;
	}
	if (last < 0)
		return;
	s = t[0];
	e = t[last] + tl[last];
	if (e > s && e[-1] == ':')
		e--;
	comm_pid(lc, s, e, ev);
}

/* "CPU:1 [LOST 123 EVENTS]", "CPU 1 [LOST EVENTS]", "CPU 1 is empty" */
static int parse_cpu_line(struct cur *c, struct nft_event *ev)
{
	struct cur t = *c;
	uint64_t cpu, lost = 0;

	if (!LIT(&t, "CPU"))
		return R_NONE;
	if (t.p < t.e && *t.p == ':')
		t.p++;
	skip_ws(&t);
	if (!parse_udec(&t, &cpu) || cpu > INT32_MAX)
		return R_NONE;
	if (LIT(&t, "is empty"))
		return R_IGNORE;
	if (!LIT(&t, "[LOST"))
		return R_NONE;
	skip_ws(&t);
	if (t.p < t.e && is_digit(*t.p) && !parse_udec(&t, &lost))
		return R_NONE;
	if (!LIT(&t, "EVENTS]"))
		return R_NONE;
	ev->kind = NFT_EV_LOST;
	ev->cpu = cpu;
	ev->lost = lost;
	ev->have |= NFT_HAVE_CPU;
	return R_OTHER;
}

/*
 * ftrace_dump()'s own lines around the events (kernel/trace/trace.c):
 * "Dumping ftrace buffer:", a row of dashes, "(ftrace buffer empty)".
 */
static bool dump_framing(const char *s, const char *e)
{
	static const char dump[] = "Dumping ftrace buffer:";
	static const char empty[] = "(ftrace buffer empty)";
	const char *p;

	if (*s == '-') {
		for (p = s; p < e && *p == '-'; p++)
			;
		return p - s >= 8 && p == e;
	}
	if ((size_t)(e - s) >= sizeof(dump) - 1 &&
	    !memcmp(s, dump, sizeof(dump) - 1))
		return true;
	return (size_t)(e - s) >= sizeof(empty) - 1 &&
	       !memcmp(s, empty, sizeof(empty) - 1);
}

/*
 * A frame of a callchain that `perf script` prints, indented, under an event
 * recorded with -g: "        ffffffff81601197 __traceiter_netfs_sreq+0x37
 * ([kernel.kallsyms])", or "[unknown]" for the symbol; the last frame is
 * often cut in a mail.  Not an event, nor a line to warn about.
 */
static bool callchain_frame(const char *line, const char *s, const char *e)
{
	const char *p = s, *t;

	if (s == line)
		return false;		/* frames are indented */
	while (p < e && hex_digit(*p) >= 0)
		p++;
	if (p - s < 6 || p - s > 16 || p == e || !is_blank(*p))
		return false;
	p = skip_blanks(p, e);
	if ((size_t)(e - p) >= 9 && !memcmp(p, "[unknown]", 9))
		return true;
	for (t = p; t < e && !is_blank(*t); t++)
		;
	return t - p > 3 && memmem(p, t - p, "+0x", 3);
}

/*
 * The stack the tracer records after an event with the stacktrace option or
 * trigger (kernel/trace/trace_output.c trace_stack_print()): a header whose
 * event is "<stack trace>" or "<user stack trace>", then one " => symbol"
 * line a frame.  Not events, nor lines to warn about.  A line a person
 * marked with "=>" in front of an event is not a frame.
 */
static bool stack_trace_line(const char *s, const char *e)
{
	static const char kst[] = "<stack trace>";
	static const char ust[] = "<user stack trace>";
	const char *p;

	if (e - s >= 3 && s[0] == '=' && s[1] == '>' && is_blank(s[2])) {
		/* one symbol, not a line someone marked with "=>" */
		for (p = skip_blanks(s + 2, e); p < e; p++)
			if (is_blank(*p))
				return false;
		return true;
	}
	if ((size_t)(e - s) >= sizeof(kst) - 1 &&
	    !memcmp(e - (sizeof(kst) - 1), kst, sizeof(kst) - 1))
		return true;
	return (size_t)(e - s) >= sizeof(ust) - 1 &&
	       !memcmp(e - (sizeof(ust) - 1), ust, sizeof(ust) - 1);
}

/* trace-cmd report's first lines: "cpus=2", "version = 6" */
static bool report_header(const char *s, const char *e)
{
	struct cur c = { s, e };
	uint64_t v;

	if (LIT(&c, "cpus=") || (LIT(&c, "version") && LIT(&c, "="))) {
		skip_ws(&c);
		return parse_udec(&c, &v) && (skip_ws(&c), c.p == c.e);
	}
	return false;
}

/* R=xxxxxxxx[n] in another system's payload (9p, cifs...) */
static void other_rreq(struct cur *c, struct nft_event *ev)
{
	const char *p = c->p;

	while ((p = memmem(p, c->e - p, "R=", 2))) {
		struct cur s = { p + 2, c->e };
		uint64_t v;

		if ((p == c->p || is_blank(p[-1])) && s.e - s.p >= 8 &&
		    parse_hex(&s, &v) && s.p - p == 10) {
			ev->rreq = v;
			ev->have |= NFT_HAVE_RREQ;
			sub_index(&s, ev, true);
			return;
		}
		p += 2;
	}
}

/*
 * perf script names a tracepoint "system:event:": the event is the part
 * after the system.  @t/@tl is a token ending in ':'; both parts must be
 * plain names, so a comm like "kworker/u8:1:" stays as it is.
 */
static void strip_system(const char **t, size_t *tl)
{
	const char *c = memchr(*t, ':', *tl - 1), *p;

	if (!c || c == *t)
		return;
	for (p = *t; p < c; p++)
		if (!is_name_char(*p))
			return;
	for (p = c + 1; p < *t + *tl - 1; p++)
		if (!is_name_char(*p))
			return;
	if (p == c + 1)
		return;
	*tl -= c + 1 - *t;
	*t = c + 1;
}

/*
 * trace-cmd report --ts-diff puts "(+DELTA)" between the timestamp and the
 * event name: step over it and the blanks after it.
 */
static const char *skip_ts_diff(const char *q, const char *e)
{
	const char *p = q;

	if (e - p < 4 || p[0] != '(' || p[1] != '+')
		return q;
	for (p += 2; p < e && (is_digit(*p) || *p == '.'); p++)
		;
	if (p >= e || *p != ')' || p == q + 2)
		return q;
	for (p++; p < e && *p == ' '; p++)
		;
	return p;
}

/*
 * The common case, "COMM-PID [CPU] FLAGS SECS.FRAC: name:", without
 * tokenizing: the first " [" is the CPU column.  Anything unusual returns
 * false and the general path takes the line.
 */
static bool fast_layout(struct line_ctx *lc, struct cur *c,
			struct nft_event *ev, const char **name,
			size_t *namel)
{
	const char *s = c->p, *e = c->e, *br, *q, *t, *f = NULL, *ce;
	uint64_t ts, secs, frac;
	int32_t cpu = 0;
	size_t fl = 0;
	ptrdiff_t fd;

	br = memchr(s, '[', e - s);
	if (!br || br == s || br[-1] != ' ')
		return false;
	for (q = br + 1; q < e && is_digit(*q); q++)
		cpu = cpu * 10 + (*q - '0');
	if (q == br + 1 || q - br > 7 || q >= e || *q != ']')
		return false;
	for (q++; q < e && *q == ' '; q++)
		;
	if (q < e && !is_digit(*q)) {
		for (f = q; q < e && *q != ' '; q++)
			;
		fl = q - f;
		if (fl >= sizeof(ev->irqs))
			return false;
		for (; q < e && *q == ' '; q++)
			;
	}
	/* parse_ts() up to the first ':', inline */
	for (t = q, secs = 0; q < e && is_digit(*q); q++)
		secs = secs * 10 + (*q - '0');
	if (q == t || q - t > 10 || q >= e || *q != '.')
		return false;	/* more seconds: parse_ts() checks overflow */
	for (t = ++q, frac = 0; q < e && is_digit(*q); q++)
		if (q - t < 9)
			frac = frac * 10 + (*q - '0');
	if (q == t || q >= e || *q != ':')
		return false;
	for (fd = q - t; fd < 9; fd++)
		frac *= 10;
	ts = secs * 1000000000ull + frac;
	for (q++; q < e && *q == ' '; q++)
		;
	q = skip_ts_diff(q, e);
	for (t = q; q < e && is_name_char(*q); q++)
		;
	if (q == t || q >= e || *q != ':')
		return false;
	if (q + 1 < e && is_name_char(q[1])) {	/* perf's "system:event:" */
		for (t = ++q; q < e && is_name_char(*q); q++)
			;
		if (q >= e || *q != ':')
			return false;
	}
	*name = t;
	*namel = q - t;
	c->p = q + 1;

	ev->ts_ns = ts;
	ev->cpu = cpu;
	ev->have |= NFT_HAVE_TS | NFT_HAVE_CPU;
	/* a byte loop: memcpy of a tiny variable size becomes rep movsb */
	for (size_t i = 0; i < fl; i++)
		ev->irqs[i] = f[i];
	ev->irqs[fl] = '\0';
	for (ce = br; ce > s && is_blank(ce[-1]); ce--)
		;
	comm_pid(lc, s, ce, ev);
	return true;
}

/*
 * Does a payload the event's parser refused start like "rreq=00001018 ref=1",
 * a format field name (3+ lower-case characters) and '='?  No printed
 * netfs format starts a line that way and then fails to parse.
 */
static bool raw_fields(const char *p, const char *e)
{
	const char *q;

	for (q = p; q < e && ((*q >= 'a' && *q <= 'z') || *q == '_'); q++)
		;
	return q - p >= 3 && q < e && *q == '=';
}

/*
 * "... then netfs_sreq: shows the put": an event name in a sentence.  Every
 * netfs payload starts with a one-letter key ("R=", "i=", "W=") or
 * WRITE-ITER, so a first word of two or more characters without '=' is
 * prose; a single letter may be a key a wrap cut.  (Before 5.17 fscache
 * payloads began with a symbol: those are not judged here.)
 */
static bool prose_mention(const char *p, const char *e)
{
	static const char wi[] = "WRITE-ITER";
	const char *q;

	for (q = p; q < e && !is_blank(*q); q++)
		if (*q == '=')
			return false;
	if (q - p <= 1)
		return false;
	return (size_t)(q - p) > sizeof(wi) - 1 || memcmp(p, wi, q - p);
}

/*
 * Find the event: the first "known_name:" token wins, else the token after a
 * timestamp, else the pasted "comm: name:" / "name:" forms (an unknown name
 * there must contain '_' so prose like "note: ..." is not an event).
 */
/* "R=1ffffffff: id wider than 32 bits", from verr. */
static __attribute__((noinline, cold)) const char *val_msg(struct line_ctx *lc,
							   const char *e)
{
	const char *q = verr.at;

	while (q < e && !is_blank(*q))
		q++;
	while (q > verr.at + 1 && q[-1] == ':')
		q--;	/* a timestamp's column colon */
	snprintf(lc->errbuf, sizeof(lc->errbuf), "%.*s: %s",
		 (int)(q - verr.at > 40 ? 40 : q - verr.at), verr.at,
		 verr.what);
	lc->val_err = true;
	return lc->errbuf;
}

static int parse_line(struct line_ctx *lc, const char *line, size_t len,
		      enum nft_dialect *d, struct nft_event *ev,
		      const char **err)
{
	const char *s, *t, *ht[3] = { NULL, NULL, NULL };
	const char *name = NULL, *hdr_end = NULL, *payload;
	size_t tl, namel = 0, htl[3] = { 0, 0, 0 };
	struct cur c = { line, line + len };
	enum nft_event_kind kind = NFT_EV_OTHER;
	uint64_t ts, cts;
	bool have_cts = false, lat = false, more;
	int i, rc;

	*ev = ev_template;
	ev->raw = line;
	ev->raw_len = len;
	*err = NULL;
	lc->rest = lc->rest_end = NULL;
	lc->name_at = NULL;
	lc->val_err = false;
	ts_overflow = NULL;
	verr.set = false;

	while (c.e > c.p && (is_blank(c.e[-1]) || c.e[-1] == '\r'))
		c.e--;
	c.p = skip_blanks(c.p, c.e);
	if (c.p == c.e || *c.p == '#')
		return R_IGNORE;
	if (c.e - c.p > 3 && *c.p == '<' && is_digit(c.p[1]) && c.p[2] == '>')
		c.p += 3;	/* a raw printk level ("dmesg -r") */
	if (console_ts(&c, &cts)) {
		have_cts = true;
		skip_ws(&c);
		caller_id(&c);
	}
	if (c.p == c.e)
		return R_IGNORE;
	s = c.p;
	if (*s == 'C' && (rc = parse_cpu_line(&c, ev)) != R_NONE)
		return rc;
	if ((*s == 'D' || *s == '-' || *s == '(') && dump_framing(s, c.e))
		return R_IGNORE;
	if (hex_digit(*s) >= 0 && callchain_frame(line, s, c.e))
		return R_IGNORE;
	if ((*s == '=' || c.e[-1] == '>') && stack_trace_line(s, c.e))
		return R_IGNORE;
	if (*s == 'c' || *s == 'v') {
		if (report_header(s, c.e))
			return R_IGNORE;
	}

	if (fast_layout(lc, &c, ev, &name, &namel)) {
		kind = kind_lookup(name, namel);
		goto found;
	}
	for (i = 0; i < MAX_HEADER_TOKENS; i++) {
		if (!token(&c, &t, &tl))
			break;
		if (i < 3) {
			ht[i] = t;
			htl[i] = tl;
		}
		if (is_digit(*t) && lat_ts_token(t, tl, &ts, &more)) {
			const char *colon;
			size_t cl;

			if (more && (!token(&c, &colon, &cl) || cl != 1 ||
				     *colon != ':'))
				return R_NONE;
			ev->ts_ns = ts;
			ev->have |= NFT_HAVE_TS;
			hdr_end = t;
			lat = true;
			if (!token(&c, &t, &tl))
				return R_NONE;
			strip_system(&t, &tl);
			if (!name_token(t, tl))
				return R_NONE;
			name = t;
			namel = tl - 1;
			kind = kind_lookup(name, namel);
			break;
		}
		if (ts_token(t, tl, &ts)) {
			ev->ts_ns = ts;
			ev->have |= NFT_HAVE_TS;
			hdr_end = t;
			c.p = skip_ts_diff(skip_blanks(c.p, c.e), c.e);
			if (!token(&c, &t, &tl))
				return R_NONE;
			strip_system(&t, &tl);
			if (!name_token(t, tl))
				return R_NONE;
			name = t;
			namel = tl - 1;
			kind = kind_lookup(name, namel);
			break;
		}
		if (tl > 2 && t[tl - 1] == ':')
			strip_system(&t, &tl);
		if (tl > 7 && t[tl - 1] == ':' &&
		    (kind = kind_lookup(t, tl - 1)) != NFT_EV_OTHER) {
			hdr_end = t;
			name = t;
			namel = tl - 1;
			break;
		}
		if (memchr(t, '=', tl))
			break;	/* payload reached without an event name */
	}
	if (!name) {
		if (ht[1] && htl[0] > 1 && ht[0][htl[0] - 1] == ':' &&
		    name_token(ht[1], htl[1]) &&
		    has_underscore(ht[1], htl[1])) {
			hdr_end = ht[1];	/* "comm: name: fields" */
			name = ht[1];
			namel = htl[1] - 1;
		} else if (ht[0] && name_token(ht[0], htl[0]) &&
			   has_underscore(ht[0], htl[0])) {
			hdr_end = ht[0];	/* "name: fields" */
			name = ht[0];
			namel = htl[0] - 1;
		} else {
			return R_NONE;
		}
		c.p = name + namel + 1;
		kind = NFT_EV_OTHER;
	}

	if (hdr_end > s)
		parse_header(lc, s, hdr_end, ev, lat);
found:
	lc->name_at = name;
	if (__builtin_expect(ts_overflow != NULL, 0)) {
		ev->kind = kind;
		ev->name = kind == NFT_EV_OTHER ? "event" : kind_name_of[kind];
		verr.set = true;
		verr.at = ts_overflow;
		verr.what = "timestamp whose seconds overflow 64-bit nanoseconds";
		*err = val_msg(lc, line + len);
		return R_BAD;
	}
	if (!(ev->have & NFT_HAVE_TS) && have_cts) {
		ev->ts_ns = cts;
		ev->have |= NFT_HAVE_TS;
	}

	ev->kind = kind;
	skip_ws(&c);
	if (kind == NFT_EV_OTHER) {
		copy_str(lc->name, sizeof(lc->name), name, namel);
		ev->name = lc->name;
		other_rreq(&c, ev);
		if ((namel > 6 && !memcmp(name, "netfs_", 6)) ||
		    (namel > 8 && !memcmp(name, "fscache_", 8)) ||
		    (namel > 11 && !memcmp(name, "cachefiles_", 11))) {
			/*
			 * An event of the three systems we have no layout
			 * for (a dev branch's netfs_truncate, a pre-5.17
			 * fscache event): counted as one of ours, but no
			 * request is built from it.
			 */
			ev->kind = NFT_EV_NETFS_OTHER;
			ev->have &= ~(NFT_HAVE_RREQ | NFT_HAVE_INDEX);
			return R_EVENT;
		}
		return R_OTHER;
	}
	ev->name = kind_name_of[kind];
	if (c.p == c.e) {
		*err = "no fields";
		return R_WRAPPED;
	}
	payload = c.p;
	verr.on = true;
	if (kind >= NFT_EV_FSCACHE_CACHE && kind <= NFT_EV_FSCACHE_GANG_LOOKUP &&
	    old_fscache_layout(&c, kind))
		*err = p_old_fscache(&c, ev, d);
	else
		*err = parsers[kind](&c, ev, d);
	verr.on = false;
	lc->rest = c.p;
	lc->rest_end = c.e;
	if (*err && kind < NFT_EV_FSCACHE_CACHE && prose_mention(payload, c.e))
		return R_NONE;
	if (__builtin_expect(verr.set, 0)) {
		*err = val_msg(lc, c.e);
		return R_BAD;
	}
	if (*err && raw_fields(payload, c.e))
		*err = "field=number pairs, as trace-cmd report -R prints them: symbolic fields are bare numbers only the capture's own formats can name; read the trace.dat itself, or trace-cmd report without -R";
	return *err ? R_BAD : R_EVENT;
}

static __thread struct line_ctx public_lc;

int nft_parse_ftrace_line(const char *line, size_t len,
			  enum nft_dialect *dialect, struct nft_event *ev,
			  const char **err)
{
	enum nft_dialect dummy = NFT_DIALECT_AUTO;
	const char *e;
	int rc;

	if (!dialect)
		dialect = &dummy;
	rc = parse_line(&public_lc, line, len, dialect, ev, &e);
	if (err)
		*err = e;
	if (rc == R_IGNORE)
		return 0;
	if (rc == R_WRAPPED)
		return -1;
	return rc;
}

/* ---- the streaming decoder ---- */

#define CPU_TS_MAX 256	/* CPUs whose time order is checked */

struct text_dec {
	struct nft_input *in;
	const struct nft_text_opts *opts;
	struct nft_sink *sink;
	struct nft_diag *diag;
	struct nft_text_stats *st;
	const char *file;
	struct line_ctx lc;
	/* cleared for every line: aligned, the clearing is fastest */
	struct nft_event ev __attribute__((aligned(64)));
	enum nft_dialect dialect;

	uint64_t lineno;
	bool nul_in_buf;	/* only then look for NULs line by line */
	uint64_t pending_lost;	/* from the tracefs header, not yet emitted */
	uint64_t pending_lost_pos;
	bool seen_event;

	/*
	 * A line whose next line may carry the rest of it (mail wrap): a
	 * known event without fields or with fields missing, or a parsed
	 * event followed by a line that is no trace line.
	 */
	char *held;
	size_t held_len;
	uint64_t held_pos;
	int held_rc;
	char *cand[2];		/* the two ways to join a continuation */

	/* quoted-printable mail pasted raw ("=3D", soft breaks "=") */
	bool qp;
	char *qpbuf;		/* one decoded physical line */
	char *qpacc;		/* a logical line joined at soft breaks */
	size_t qpacc_len;
	uint64_t qpacc_pos;
	char *fixbuf;		/* a line with its non-breaking spaces fixed */

	/*
	 * A mail quotes lines of its trace again further down, between
	 * sentences about them.  The first REQUOTE_EVENTS events are
	 * remembered by a hash of their text from the event name on; a run of
	 * event lines after prose whose first line repeats an earlier one is a
	 * quotation, and its repeated lines are not events again.
	 */
	uint64_t *seen;
	uint32_t n_seen;
	bool block_start;	/* prose came since the last event line */
	bool requote;		/* this run of event lines is quoted again */
	uint64_t requote_from;

	/* per [cpu] column: the last timestamp + 1 (0: none yet), its line */
	uint64_t cpu_ts[CPU_TS_MAX];
	uint64_t cpu_pos[CPU_TS_MAX];
};

/*
 * One CPU's ring buffer is in time order (trace, trace_pipe and
 * trace-cmd report all print each CPU's events as recorded); across CPUs
 * trace_pipe interleaves freely.  A step back on one CPU beyond this is a
 * spliced, edited or corrupt capture.
 */
#define TS_BACK_TOLERANCE_NS 1000000ull

#define REQUOTE_EVENTS 4096
#define REQUOTE_SLOTS 8192	/* a power of two, twice the events */

/* Events after which a capture that showed no quoted-printable is not. */
#define QP_PROBE_EVENTS 32

/*
 * A macro so every call site keeps its literal format: the format pointer is
 * the message kind nft_diag_report() limits per file.
 */
#define REPORT(td, level, pos, ...)                                           \
	do {                                                                  \
		char where_[32];                                              \
		snprintf(where_, sizeof(where_), "line %llu",                 \
			 (unsigned long long)(pos));                          \
		nft_diag_report((td)->diag, (level), (td)->file, where_,      \
				__VA_ARGS__);                                 \
	} while (0)

static __attribute__((noinline, cold)) void
ts_backwards(struct text_dec *td, const struct nft_event *ev, uint64_t prev,
	     uint64_t prev_pos);

/* Timestamps of one [cpu] column must not go back (see TS_BACK_TOLERANCE_NS) */
static inline void cpu_order(struct text_dec *td, const struct nft_event *ev)
{
	uint32_t cpu = (uint32_t)ev->cpu;
	uint64_t prev;

	if ((ev->have & (NFT_HAVE_TS | NFT_HAVE_CPU)) !=
	    (NFT_HAVE_TS | NFT_HAVE_CPU) || cpu >= CPU_TS_MAX)
		return;
	prev = td->cpu_ts[cpu];
	if (__builtin_expect(prev && ev->ts_ns + TS_BACK_TOLERANCE_NS < prev - 1,
			     0))
		ts_backwards(td, ev, prev - 1, td->cpu_pos[cpu]);
	td->cpu_ts[cpu] = ev->ts_ns + 1;
	td->cpu_pos[cpu] = ev->pos;
}

static int emit(struct text_dec *td, struct nft_event *ev)
{
	if (ev->kind != NFT_EV_LOST)
		cpu_order(td, ev);
	if (!td->seen_event) {
		td->seen_event = true;
		if (td->pending_lost) {
			struct nft_event lost = ev_template;
			int rc;

			lost.kind = NFT_EV_LOST;
			lost.lost = td->pending_lost;
			lost.pos = td->pending_lost_pos;
			td->st->lost_markers++;
			rc = td->sink->event(td->sink->ctx, &lost);
			if (rc)
				return rc;
		}
	}
	if (!td->opts->want_raw) {
		ev->raw = NULL;
		ev->raw_len = 0;
	}
	return td->sink->event(td->sink->ctx, ev);
}

static void ts_backwards(struct text_dec *td, const struct nft_event *ev,
			 uint64_t prev, uint64_t prev_pos)
{
	REPORT(td, NFT_DIAG_WARNING, ev->pos,
	       "timestamps go backwards on CPU %d: %llu.%06llu after %llu.%06llu at line %llu (a spliced, edited or damaged capture: order and durations on this CPU are suspect)",
	       (int)ev->cpu, (unsigned long long)(ev->ts_ns / 1000000000ull),
	       (unsigned long long)(ev->ts_ns % 1000000000ull / 1000),
	       (unsigned long long)(prev / 1000000000ull),
	       (unsigned long long)(prev % 1000000000ull / 1000),
	       (unsigned long long)prev_pos);
}

/* "# entries-in-buffer/entries-written: 9913/9913   #P:2" */
static void comment_line(struct text_dec *td, const char *p, size_t len)
{
	static const char key[] = "entries-in-buffer/entries-written:";
	const char *k = memmem(p, len, key, sizeof(key) - 1);
	struct cur c;
	uint64_t in_buf, written;

	if (!k)
		return;
	c.p = k + sizeof(key) - 1;
	c.e = p + len;
	skip_ws(&c);
	if (!parse_udec(&c, &in_buf) || c.p >= c.e || *c.p++ != '/' ||
	    !parse_udec(&c, &written))
		return;
	/* the ring buffer overwrote the oldest events */
	if (written > in_buf && !td->seen_event) {
		td->pending_lost = written - in_buf;
		td->pending_lost_pos = td->lineno;
	}
}

/* Control bytes other than tab/CR: how many. */
static size_t control_bytes(const char *line, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
			n++;
	}
	return n;
}

/*
 * A line that is no event: prose in a pasted trace is only worth a warning,
 * binary garbage means the input is damaged.  A few control bytes in a line
 * of text (a terminal's colour codes, a form feed in a mail, a line that is
 * only "^L") are prose too.
 * The quoted excerpt never carries raw control bytes to the user's terminal.
 */
static int not_an_event(struct text_dec *td, const char *line, size_t len,
			uint64_t pos)
{
	char excerpt[41];
	size_t i, n = len > 40 ? 40 : len, ctl;

	if (td->st->events || td->st->other_events)
		td->block_start = true;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		excerpt[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	excerpt[n] = 0;
	ctl = control_bytes(line, len);
	if (ctl >= 4 && ctl * 8 > len) {
		td->st->malformed++;
		REPORT(td, NFT_DIAG_ERROR, pos,
		       "binary data (control bytes) in a text line: \"%s%s\"",
		       excerpt, len > 40 ? "..." : "");
		return 0;
	}
	td->st->unrecognized++;
	REPORT(td, NFT_DIAG_WARNING, pos, "not a trace event: \"%s%s\"",
	       excerpt, len > 40 ? "..." : "");
	return 0;
}

/*
 * fscache and cachefiles lines whose fields we cannot read come from a
 * kernel whose layout we do not know (before the 5.17 rewrite the same
 * event names printed other fields): the rest of the capture stays good.
 */
static bool tolerated_layout(const struct nft_event *ev)
{
	return ev->kind >= NFT_EV_FSCACHE_CACHE && ev->kind < NFT_EV_OTHER;
}

/*
 * A last line without its newline that is no event: cut in half if it
 * began like one (a timestamp, or one of our systems' names), else the
 * prose that often ends a mail ("[1] https://...", a signature).
 */
static bool cut_trace_line(const char *line, size_t len)
{
	struct cur c = { line, line + len };
	const char *t;
	size_t tl;
	uint64_t ts;
	bool more;
	int i;

	for (i = 0; i < MAX_HEADER_TOKENS && token(&c, &t, &tl); i++)
		if (ts_token(t, tl, &ts) ||
		    (is_digit(*t) && lat_ts_token(t, tl, &ts, &more)))
			return true;
	return memmem(line, len, "netfs_", 6) ||
	       memmem(line, len, "fscache_", 8) ||
	       memmem(line, len, "cachefiles_", 11);
}

/* A line the person who pasted it shortened: "...", "…" or "[...]" last. */
static bool elided(const char *line, size_t len)
{
	while (len && (is_blank(line[len - 1]) || line[len - 1] == '\r'))
		len--;
	return (len >= 3 && !memcmp(line + len - 3, "...", 3)) ||
	       (len >= 3 && !memcmp(line + len - 3, "\xe2\x80\xa6", 3));
}

/*
 * Where the fields stopped reading, in words: the end of the line (cut, or
 * an older layout with fewer fields) or a field this layout does not have.
 */
static const char *bad_cause(struct text_dec *td, const char *line,
			     size_t len)
{
	static __thread char buf[96];
	const char *p = td->lc.rest, *e = td->lc.rest_end, *q;

	if (!p || p < line || p > e || e < line || e > line + len)
		return "";
	p = skip_blanks(p, e);
	if (p == e)
		return " (the line ends there: cut, or a layout with fewer fields)";
	for (q = p; q < e && !is_blank(*q); q++)
		;
	snprintf(buf, sizeof(buf), " (found \"%.*s\" there%s)",
		 (int)(q - p > 24 ? 24 : q - p), p,
		 extra_field(p, e) ? ": a field this layout does not have" : "");
	return buf;
}

/* The last blank-delimited word of @line (its length: final_len). */
static const char *final_word(const char *line, size_t len)
{
	const char *e = line + len, *p;

	while (e > line && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	for (p = e; p > line && !is_blank(p[-1]); p--)
		;
	return p;
}

/*
 * A last line without its newline may be cut anywhere, also inside its
 * final word, and still read as an event: "fq=d86 cle" for "clear".  A
 * complete line ends in a known symbol or a value of the form its field
 * prints: a word in an unknown symbol, a fixed-width id (%08x) with fewer
 * digits or a "f=%02x" with one digit is the cut.  Returns the length of
 * the cut word, 0 if the line looks whole.
 */
static size_t cut_final_word(const struct nft_event *ev, const char *line,
			     size_t len)
{
	const char *w = final_word(line, len), *e, *v, *q;
	size_t wl;
	int i;

	for (e = w; e < line + len && !is_blank(*e) && *e != '\r'; e++)
		;
	wl = e - w;
	if (!wl)
		return 0;
	for (i = 0; i < ev->n_unknown; i++) {
		const struct nft_unknown_sym *u = &ev->unknown[i];

		if (u->text <= w && u->text + u->len >= e)
			return wl;
	}
	v = memchr(w, '=', wl);
	if (!v || v == w)
		return 0;
	v++;
	for (q = v; q < e && hex_digit(*q) >= 0; q++)
		;
	if (q != e)
		return 0;
	if (((v - w == 2 && *w != 'n') || (v - w == 3 && *w == 'C')) &&
	    key_is_id32(w, v - w) && q - v < 8)
		return wl;	/* ids print as %08x */
	if (v - w == 2 && *w == 'f' && q - v < 2)
		return wl;	/* flags print as %02x */
	return 0;
}

/* The text of an event line from its name on, blank runs as one blank. */
static uint64_t event_hash(const struct nft_event *ev, const char *p,
			   const char *e)
{
	uint64_t h = 1469598103934665603ull ^ ev->ts_ns;
	bool blank = false;

	while (e > p && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	for (; p < e; p++) {
		if (is_blank(*p)) {
			blank = true;
			continue;
		}
		if (blank)
			h = (h ^ ' ') * 1099511628211ull;
		blank = false;
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	}
	return h | 1;	/* 0 is an empty slot */
}

/* Record @h; true if it was there already. */
static bool seen_before(struct text_dec *td, uint64_t h, bool add)
{
	uint32_t i = (uint32_t)(h >> 17) & (REQUOTE_SLOTS - 1);

	while (td->seen[i]) {
		if (td->seen[i] == h)
			return true;
		i = (i + 1) & (REQUOTE_SLOTS - 1);
	}
	if (add && td->n_seen < REQUOTE_EVENTS) {
		td->seen[i] = h;
		td->n_seen++;
	}
	return false;
}

/*
 * Is this event line a quotation of an earlier one?  Only asked while the
 * input is small enough to be a mail (the first REQUOTE_EVENTS events).
 */
static bool requoted(struct text_dec *td, const char *line, size_t len,
		     uint64_t pos)
{
	const char *name = td->lc.name_at;
	uint64_t h;
	bool dup;

	if (td->st->events + td->st->other_events >= 4 * REQUOTE_EVENTS) {
		td->n_seen = REQUOTE_EVENTS;	/* no mail: asked no more */
		return false;
	}
	if (!name || name < line || name >= line + len)
		return false;
	if (!td->seen && !(td->seen = calloc(REQUOTE_SLOTS, sizeof(*td->seen))))
		return false;
	h = event_hash(&td->ev, name, line + len);
	dup = seen_before(td, h, true);
	if (td->block_start) {
		td->block_start = false;
		td->requote = dup;
		td->requote_from = pos;
	}
	if (td->requote && !dup)
		td->requote = false;	/* new lines: the trace goes on */
	if (!td->requote)
		return false;
	td->st->unrecognized++;
	REPORT(td, NFT_DIAG_NOTE, pos,
	       "%s repeats an earlier line (the trace quoted again from line %llu on): not counted twice",
	       td->ev.name, (unsigned long long)td->requote_from);
	return true;
}

static int handle_parsed(struct text_dec *td, int rc, const char *err,
			 const char *line, size_t len, uint64_t pos, bool last)
{
	struct nft_event *ev = &td->ev;

	ev->pos = pos;
	switch (rc) {
	case R_EVENT:
		if (last && cut_final_word(ev, line, len)) {
			REPORT(td, NFT_DIAG_ERROR, pos,
			       "truncated last line: it ends without a newline in \"%.*s\", no complete field or known symbol of %s",
			       (int)(cut_final_word(ev, line, len) > 40 ? 40 :
				     cut_final_word(ev, line, len)),
			       final_word(line, len), ev->name);
			td->st->malformed++;
			return 0;
		}
		if (td->n_seen < REQUOTE_EVENTS && requoted(td, line, len, pos))
			return 0;
		td->st->events++;
		return emit(td, ev);
	case R_OTHER:
		if (ev->kind == NFT_EV_LOST) {
			td->st->lost_markers++;
		} else {
			if (td->n_seen < REQUOTE_EVENTS &&
			    requoted(td, line, len, pos))
				return 0;
			td->st->other_events++;
		}
		return emit(td, ev);
	case R_IGNORE:
		if (len && line[0] == '#')
			comment_line(td, line, len);
		return 0;
	case R_BAD:
	case R_WRAPPED:
		if (rc == R_BAD && td->lc.val_err) {
			td->st->malformed++;
			REPORT(td, NFT_DIAG_ERROR, pos, "%s: %s", ev->name,
			       err);
			return 0;
		}
		if (last) {
			REPORT(td, NFT_DIAG_ERROR, pos, "truncated last line");
			td->st->malformed++;
			return 0;
		}
		if (rc == R_BAD && elided(line, len)) {
			td->st->unrecognized++;
			REPORT(td, NFT_DIAG_WARNING, pos,
			       "%s cut short by hand (\"...\"): %s; line skipped",
			       ev->name, err);
			return 0;
		}
		if (rc == R_BAD && tolerated_layout(ev)) {
			td->st->unrecognized++;
			REPORT(td, NFT_DIAG_WARNING, pos,
			       "%s: a layout this version does not read (an older kernel's?): %s; line skipped",
			       ev->name, err);
			return 0;
		}
		td->st->malformed++;
		if (rc == R_WRAPPED)
			REPORT(td, NFT_DIAG_ERROR, pos,
			       "malformed %s: no fields (wrapped line without continuation)",
			       ev->name);
		else
			REPORT(td, NFT_DIAG_ERROR, pos, "malformed %s: %s%s",
			       ev->name, err, bad_cause(td, line, len));
		return 0;
	default:
		if (last && cut_trace_line(line, len)) {
			REPORT(td, NFT_DIAG_ERROR, pos, "truncated last line");
			td->st->unrecognized++;
			return 0;
		}
		return not_an_event(td, line, len, pos);
	}
}

static bool blank_line(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_blank(p[i]) && p[i] != '\r')
			return false;
	return true;
}

/* ---- mail wraps ---- */

/*
 * Fixed-width ids ("R=%08x", "o=%08x", ...) of another width in @p: the
 * sign of a join made at the wrong place.  An id at the very end may go on
 * in the next line; "c=" is also fscache_active's and cachefiles_
 * coherency's small decimal, so only a long "c=" counts.
 */
static int id_width_misses(const char *p, size_t len)
{
	const char *e = p + len, *q;
	int n = 0;

	for (q = p; q + 2 < e; q++) {
		const char *v;
		ptrdiff_t w;

		if (q[1] != '=' || !strchr("RcoVCW", q[0]) ||
		    (q > p && !is_blank(q[-1]) && q[-1] != ':'))
			continue;
		for (v = q + 2; v < e && hex_digit(*v) >= 0; v++)
			;
		w = v - (q + 2);
		if (v == e || w == 8 || (q[0] == 'c' && w <= 3))
			continue;
		n++;
	}
	return n;
}

/*
 * How well a line reads: an event, its fields all known and used up.  A
 * line that does not read scores how far its fields got (not counting a
 * blank the join put in at @blank_at), less ids of the wrong width.
 */
static int line_quality(struct text_dec *td, const char *line, size_t len,
			size_t blank_at, struct nft_event *probe, int *rc)
{
	enum nft_dialect d = td->dialect;
	const char *err, *p;
	int q;

	*rc = parse_line(&td->lc, line, len, &d, probe, &err);
	if (*rc == R_WRAPPED)
		return 0;
	if (*rc == R_BAD) {
		ptrdiff_t got = td->lc.rest ? td->lc.rest - line : 0;

		if (got > 0 && (size_t)got > blank_at)
			got--;
		got = got < 0 ? 0 : got > 400 ? 400 : got;
		/* a symbol at its end may be cut: not held against it */
		q = (int)got - 20 * id_width_misses(line, len);
		return q < 1 ? 1 : q;
	}
	if (*rc != R_EVENT)
		return -1000;
	q = 1000 - 10 * probe->n_unknown - 10 * id_width_misses(line, len);
	if (!td->lc.rest)
		return q;	/* an event without a layout: nothing parsed */
	/* what the parser left: only fields a patch added may remain */
	for (p = skip_blanks(td->lc.rest, td->lc.rest_end);
	     p < td->lc.rest_end; p = skip_blanks(p, td->lc.rest_end)) {
		const char *t = extra_field(p, td->lc.rest_end);

		if (!t) {
			q -= 10;
			break;
		}
		p = t;
	}
	return q;
}

/*
 * A continuation too short to finish a field ("=", "00"): taken into a
 * broken line although it reads no further yet.
 */
static bool one_token(const char *p, size_t len)
{
	const char *e = p + len;

	p = skip_blanks(p, e);
	while (p < e && !is_blank(*p))
		p++;
	return skip_blanks(p, e) == e;
}

/* Does @p start a field ("key=")? Then a wrap fell between two fields. */
static bool starts_field(const char *p, size_t len)
{
	const char *e = p + len;

	p = skip_blanks(p, e);
	return extra_field(p, e) != NULL;
}

static size_t join(char *dst, const char *a, size_t al, const char *b,
		   size_t bl, bool blank)
{
	size_t n = al;

	memcpy(dst, a, al);
	if (blank)
		dst[n++] = ' ';
	memcpy(dst + n, b, bl);
	return n + bl;
}

static int hold(struct text_dec *td, const char *line, size_t len,
		uint64_t pos, int rc)
{
	if (!td->held) {
		td->held = malloc(MAX_LINE + 1);
		td->cand[0] = malloc(2 * MAX_LINE + 2);
		td->cand[1] = malloc(2 * MAX_LINE + 2);
		if (!td->held || !td->cand[0] || !td->cand[1])
			return -1;
	}
	memmove(td->held, line, len);
	td->held_len = len;
	td->held_pos = pos;
	td->held_rc = rc;
	return 0;
}

/* The held line goes out as it is: an event, or the error it has. */
static int flush_held(struct text_dec *td, bool last)
{
	const char *err;
	size_t len = td->held_len;
	int rc;

	if (!len)
		return 0;
	td->held_len = 0;
	rc = parse_line(&td->lc, td->held, len, &td->dialect, &td->ev, &err);
	return handle_parsed(td, rc, err, td->held, len, td->held_pos, last);
}

/*
 * @line, which is no trace line of its own, after the held one: the rest of
 * a line a mail program or a terminal wrapped.  The wrap may have eaten a
 * blank between two fields or cut a value or a symbol in two, so both
 * joins are read, and the layout decides: the one that reads as the event
 * with every field known and used up, with fixed-width ids of their width.
 * When both read equally well, a continuation that starts with "key=" was
 * a new field, anything else the rest of a value.  Returns 1 if the line
 * was taken into the held one.
 */
static int try_join(struct text_dec *td, const char *line, size_t len)
{
	struct nft_event probe;
	size_t n[2], max = 2 * MAX_LINE + 1;
	int q[2], rc[2], qh, rch, best, i;

	if (td->held_len + len + 1 > MAX_LINE)
		return 0;
	qh = line_quality(td, td->held, td->held_len, SIZE_MAX, &probe, &rch);
	for (i = 0; i < 2; i++) {
		n[i] = join(td->cand[i], td->held, td->held_len, line, len, i);
		q[i] = n[i] < max ? line_quality(td, td->cand[i], n[i],
						 i ? td->held_len : SIZE_MAX,
						 &probe, &rc[i])
				  : -1000;
	}
	if (q[0] != q[1])
		best = q[1] > q[0];
	else
		best = starts_field(line, len);
	/*
	 * A broken line must read further; a tie with a line that read
	 * whole takes the fragment (a value's end) instead of warning of it.
	 */
	if (q[best] < qh || q[best] < 0 ||
	    (q[best] == qh && rch != R_EVENT && !one_token(line, len)))
		return 0;
	memcpy(td->held, td->cand[best], n[best]);
	td->held_len = n[best];
	td->held_rc = rc[best];
	return 1;
}

static const char *fix_nbsp(struct text_dec *td, const char *line,
			    size_t *len);

/* Could @p (the next physical line) continue the one before it? */
static inline bool maybe_continuation(const char *p, size_t len)
{
	if (!len || *p == '#' || memchr(p, ':', len))
		return false;
	return !blank_line(p, len);
}

/*
 * A line after a held one: its continuation (0, taken), or the end of it
 * (1: the held line went out, now read @line on its own), or a stop code.
 */
static __attribute__((noinline)) int after_held(struct text_dec *td,
						const char *line, size_t len,
						bool last, const char *next,
						size_t next_len)
{
	struct nft_event probe;
	enum nft_dialect d = td->dialect;
	const char *err;
	int rc, stop;

	if (blank_line(line, len)) {
		/* a wrapped name and its fields may have a gap */
		if (td->held_rc != R_EVENT && !last)
			return 0;
		stop = flush_held(td, last);
		return stop ? stop : 0;
	}
	if (memchr(line, 0xc2, len))
		line = fix_nbsp(td, line, &len);
	rc = parse_line(&td->lc, line, len, &d, &probe, &err);
	if (rc == R_NONE && try_join(td, line, len)) {
		if (!last && (td->held_rc != R_EVENT || !next ||
			      maybe_continuation(next, next_len)))
			return 0;	/* more may follow */
		stop = flush_held(td, last);
		return stop ? stop : 0;
	}
	stop = flush_held(td, false);
	return stop ? stop : 1;
}

/*
 * One logical line (quote marks, quoted-printable and soft breaks already
 * undone).  @next is the next physical line when it is already in the
 * buffer, NULL when unknown.
 */
static __always_inline int logical_line(struct text_dec *td,
					const char *line, size_t len,
					uint64_t pos, bool last,
					const char *next, size_t next_len)
{
	const char *err;
	int rc;

	if (td->held_len) {
		rc = after_held(td, line, len, last, next, next_len);
		if (rc != 1)
			return rc;
	}

	rc = parse_line(&td->lc, line, len, &td->dialect, &td->ev, &err);
	if ((rc != R_EVENT || td->ev.n_unknown) && memchr(line, 0xc2, len)) {
		/* U+00A0 (a web archive's or HTML mail's blank) */
		line = fix_nbsp(td, line, &len);
		rc = parse_line(&td->lc, line, len, &td->dialect, &td->ev,
				&err);
	}
	if (!last &&
	    (rc == R_BAD || rc == R_WRAPPED ||
	     (rc == R_EVENT && (!next || maybe_continuation(next, next_len)))))
		return hold(td, line, len, pos, rc);
	return handle_parsed(td, rc, err, line, len, pos, last);
}

/* ---- what mail programs do to a pasted trace ---- */

/*
 * "> ", ">> ", "> > ": a quoted reply's marks; "&gt; " as a web archive
 * shows them.
 */
static const char *unquote(const char *line, size_t *len)
{
	const char *p = line, *e = line + *len;

	for (;;) {
		if (p < e && *p == '>')
			p++;
		else if (e - p >= 4 && !memcmp(p, "&gt;", 4))
			p += 4;
		else
			break;
		if (p < e && *p == ' ')
			p++;
		while (p < e && *p == ' ' && p + 1 < e &&
		       (p[1] == '>' || p[1] == '&'))
			p++;
	}
	*len = e - p;
	return p;
}

/* Quoted-printable hex digits are upper case. */
static int qp_hex(char c)
{
	if (is_digit(c))
		return c - '0';
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Quoted-printable: "=3D" is '=', "=20" a blank, and '=' at the end of a
 * line a soft break.  Returns the decoded length; *soft for a soft break.
 */
static size_t qp_decode(char *dst, const char *s, size_t len, bool *soft)
{
	size_t i = 0, n = 0;

	while (len && (s[len - 1] == '\r'))
		len--;
	*soft = len && s[len - 1] == '=';
	if (*soft)
		len--;
	while (i < len) {
		if (s[i] == '=' && i + 2 < len && qp_hex(s[i + 1]) >= 0 &&
		    qp_hex(s[i + 2]) >= 0) {
			dst[n++] = (char)(qp_hex(s[i + 1]) << 4 |
					  qp_hex(s[i + 2]));
			i += 3;
			continue;
		}
		dst[n++] = s[i++];
	}
	return n;
}

/*
 * Is this a quoted-printable mail?  Its header says so, or its trace lines
 * do: every '=' of them is "=3D", and a trace prints its hex in lower case,
 * so two "=3D" in a line tell (one could be prose about the encoding), or
 * one with a soft break at the line's end or an 8-digit id after it (a
 * mail wrapped so that each piece of a trace line holds one key).
 * Only asked of the lines up to the first events.
 */
static bool qp_signs(const char *line, size_t len)
{
	static const char cte[] = "content-transfer-encoding: quoted-printable";
	const char *p;

	if (len >= sizeof(cte) - 1 && !strncasecmp(line, cte, sizeof(cte) - 1))
		return true;
	p = len >= 3 ? memmem(line, len, "=3D", 3) : NULL;
	if (!p)
		return false;
	if (memmem(p + 3, line + len - p - 3, "=3D", 3))
		return true;
	/* one "=3D" on a line that ends in a soft break ... */
	if (line[len - 1] == '=')
		return true;
	/* ... or giving a key an id: "TC=3D00000001", "R=3D0000290e" */
	if (p > line && is_name_char(p[-1]) && line + len - p >= 11) {
		int i;

		for (i = 3; i < 11 && hex_digit(p[i]) >= 0; i++)
			;
		return i == 11;
	}
	return false;
}

/*
 * U+00A0 (a web archive's or HTML mail's blank) as a plain blank.  @line
 * may be the buffer itself: the copy never runs ahead of the reading.
 */
static const char *fix_nbsp(struct text_dec *td, const char *line,
			    size_t *len)
{
	size_t i, n = 0;

	if (!td->fixbuf && !(td->fixbuf = malloc(MAX_LINE + 1)))
		return line;
	for (i = 0; i < *len; i++) {
		if ((unsigned char)line[i] == 0xc2 && i + 1 < *len &&
		    (unsigned char)line[i + 1] == 0xa0) {
			td->fixbuf[n++] = ' ';
			i++;
			continue;
		}
		td->fixbuf[n++] = line[i];
	}
	*len = n;
	return td->fixbuf;
}

static int handle_line(struct text_dec *td, const char *line, size_t len,
		       bool last, const char *next, size_t next_len)
{
	uint64_t pos;

	td->lineno++;
	td->st->lines++;
	pos = td->lineno;
	if (len > MAX_LINE) {
		td->st->malformed++;
		REPORT(td, NFT_DIAG_ERROR, td->lineno,
		       "line longer than 64 KiB, skipped");
		return 0;
	}
	if (td->nul_in_buf && memchr(line, '\0', len)) {
		td->st->malformed++;
		REPORT(td, NFT_DIAG_ERROR, td->lineno,
		       "binary data (NUL byte) in a text line, skipped");
		return 0;
	}
	if (pos == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
		line += 3;	/* a UTF-8 byte order mark */
		len -= 3;
	}
	if (len && (*line == '>' || *line == '&')) {
		line = unquote(line, &len);
		if (next && next_len && (*next == '>' || *next == '&'))
			next = unquote(next, &next_len);
	}
	/*
	 * A soft break ends this line and the next shows the encoding: the
	 * first line of a quoted-printable mail may hold no "=3D" of its own
	 * (a soft break inside the event name, before any key).
	 */
	if (!td->qp && td->st->events < QP_PROBE_EVENTS &&
	    (qp_signs(line, len) ||
	     (len && line[len - 1] == '=' && next && next_len &&
	      qp_signs(next, next_len))))
		td->qp = true;
	if (td->qp) {
		bool soft;
		size_t n;

		if (!td->qpbuf) {
			td->qpbuf = malloc(MAX_LINE + 1);
			td->qpacc = malloc(MAX_LINE + 1);
			if (!td->qpbuf || !td->qpacc)
				return -1;
		}
		n = qp_decode(td->qpbuf, line, len, &soft);
		if (!td->qpacc_len)
			td->qpacc_pos = pos;
		if (td->qpacc_len + n > MAX_LINE) {
			td->qpacc_len = 0;
			td->st->malformed++;
			REPORT(td, NFT_DIAG_ERROR, td->lineno,
			       "line longer than 64 KiB, skipped");
			return 0;
		}
		memcpy(td->qpacc + td->qpacc_len, td->qpbuf, n);
		td->qpacc_len += n;
		if (soft && !last)
			return 0;
		line = td->qpacc;
		len = td->qpacc_len;
		pos = td->qpacc_pos;
		td->qpacc_len = 0;
		next = NULL;	/* still encoded: look when it comes */
	}
	return logical_line(td, line, len, pos, last, next, next_len);
}

/*
 * Feed complete lines from @buf; returns bytes consumed or a negative/
 * non-zero stop code through *stop.  Each line goes with the next one when
 * that is complete too, so a wrapped line can be seen whole.
 */
static size_t feed(struct text_dec *td, const char *buf, size_t len,
		   int *stop)
{
	const char *p = buf, *end = buf + len, *nl, *nnl;

	nl = memchr(p, '\n', end - p);
	while (nl) {
		const char *np = nl + 1;

		nnl = np < end ? memchr(np, '\n', end - np) : NULL;
		*stop = handle_line(td, p, nl - p, false, nnl ? np : NULL,
				    nnl ? (size_t)(nnl - np) : 0);
		p = np;
		if (*stop)
			break;
		nl = nnl;
	}
	return p - buf;
}

int decode_ftrace_text(struct nft_input *in, const struct nft_text_opts *opts,
		       struct nft_sink *sink, struct nft_diag *diag,
		       struct nft_text_stats *stats)
{
	static const struct nft_text_opts default_opts;
	struct nft_text_stats dummy_stats;
	struct text_dec td = { 0 };
	size_t len = 0, used;
	bool skipping = false;
	int stop = 0, saved;
	char *buf;
	long r;

	if (!opts)
		opts = &default_opts;
	if (!stats)
		stats = &dummy_stats;
	memset(stats, 0, sizeof(*stats));
	td.in = in;
	td.opts = opts;
	td.sink = sink;
	td.diag = diag;
	td.st = stats;
	td.file = nft_input_name(in);
	td.dialect = opts->dialect;
	nft_input_set_diag(in, diag);	/* a damaged stream ends as a file does */

	buf = malloc(BUF_SIZE);
	if (!buf)
		return -1;

	for (;;) {
		r = nft_input_read(in, buf + len, BUF_SIZE - len);
		if (r < 0) {
			stop = -1;
			break;
		}
		if (r == 0) {
			/* the last line had no newline */
			if (len && !skipping) {
				td.nul_in_buf = memchr(buf, '\0', len) != NULL;
				stop = handle_line(&td, buf, len, true, NULL, 0);
			}
			break;
		}
		len += r;
		td.nul_in_buf = memchr(buf, '\0', len) != NULL;
		used = 0;
		if (skipping) {
			char *nl = memchr(buf, '\n', len);

			if (!nl) {
				len = 0;
				continue;
			}
			used = nl + 1 - buf;
			skipping = false;
		}
		used += feed(&td, buf + used, len - used, &stop);
		if (stop)
			break;
		len -= used;
		if (len > MAX_LINE) {
			/* count it now, drop the rest of it as it comes */
			td.lineno++;
			stats->lines++;
			stats->malformed++;
			REPORT(&td, NFT_DIAG_ERROR, td.lineno,
			       "line longer than 64 KiB, skipped");
			skipping = true;
			len = 0;
			continue;
		}
		memmove(buf, buf + used, len);
	}
	if (!stop && td.qpacc_len) {
		/* a soft break on the last line: the rest never came */
		stop = logical_line(&td, td.qpacc, td.qpacc_len, td.qpacc_pos,
				    true, NULL, 0);
		td.qpacc_len = 0;
	}
	if (!stop && td.held_len)
		stop = flush_held(&td, false);

	stats->dialect = td.dialect;
	saved = errno;
	free(buf);
	free(td.held);
	free(td.cand[0]);
	free(td.cand[1]);
	free(td.qpbuf);
	free(td.qpacc);
	free(td.fixbuf);
	free(td.seen);
	errno = saved;
	return stop;
}
