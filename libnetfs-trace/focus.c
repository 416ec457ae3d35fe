// SPDX-License-Identifier: GPL-2.0
/*
 * The focused object (netfs-replay -R): a request, a subrequest, an fscache
 * cookie, volume or cache, or a cachefiles object.  Only its history is
 * kept: its raw lines, its last incarnation after the model let it go, and
 * for fscache/cachefiles objects what joins it to the others (a cookie's
 * volume, objects, accesses and requests; a volume's cookies; an object's
 * cookie, backing inode and I/O).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "util.h"

/* Beyond these, a hot object's history is counted, not kept. */
#define FOCUS_LINES_MAX (1u << 20)
#define FOCUS_USERS_MAX 4096
#define FOCUS_OBJECTS_MAX 256
#define FOCUS_ACCESSES_MAX 65536
#define FOCUS_TRUNCS_MAX 1024

/* netfs_folio prints page indexes; the page size is not in the trace. */
#define FOCUS_PAGE_SHIFT 12

struct nft_focus_state {
	struct nft_focus f;

	/* every line that mentioned the object */
	struct nft_history_line *lines;
	size_t n_lines, cap_lines;
	uint64_t lines_dropped;

	/* request / subrequest: its last released incarnation */
	struct nft_request *req;
	/* subrequest: its collection */
	bool collected;
	uint64_t pos_collected, ts_collected;
	/* request: its inode and range while alive, to join netfs_folio */
	bool joined, ranged;
	uint64_t ino, page_lo, page_hi;

	/* fscache / cachefiles object */
	struct nft_focus_fs pub;
	struct nft_fsobj obj;	/* its last incarnation, once dropped */
	bool have_obj;
	struct nft_focus_link *users, *objects;
	size_t cap_users, cap_objects;
	struct nft_focus_access *accesses;
	size_t cap_accesses, first_open;
	struct nft_focus_trunc *truncs;
	size_t cap_truncs;
};

/* ---- naming ---- */

static const struct {
	const char *prefix;
	enum nft_focus_type type;
	const char *kind;
} focus_types[] = {
	{ "R=", NFT_FOCUS_REQUEST, "request" },
	{ "R=", NFT_FOCUS_SUBREQ, "subrequest" },
	{ "c=", NFT_FOCUS_COOKIE, "cookie" },
	{ "V=", NFT_FOCUS_VOLUME, "volume" },
	{ "o=", NFT_FOCUS_CF_OBJECT, "object" },
	{ "C=", NFT_FOCUS_CACHE, "cache" },
	{ "c=", NFT_FOCUS_OLD_COOKIE, "cookie" },
};

#define N_TYPES (sizeof(focus_types) / sizeof(focus_types[0]))

const char *nft_focus_kind(enum nft_focus_type type)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (focus_types[i].type == type)
			return focus_types[i].kind;
	return "none";
}

void nft_focus_name(const struct nft_focus *f, char *buf)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (focus_types[i].type == f->type)
			break;
	if (i == N_TYPES) {
		snprintf(buf, NFT_OBJECT_LEN, "-");
		return;
	}
	if (f->type == NFT_FOCUS_SUBREQ)
		snprintf(buf, NFT_OBJECT_LEN, "R=%08x[%x]", f->id,
			 (unsigned int)f->index);
	else if (f->type == NFT_FOCUS_OLD_COOKIE)
		snprintf(buf, NFT_OBJECT_LEN, "c=%016llx",
			 (unsigned long long)f->id64);
	else
		snprintf(buf, NFT_OBJECT_LEN, "%s%08x", focus_types[i].prefix,
			 f->id);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Hex digits only (no sign, blanks or 0x): the id as the kernel prints it. */
static const char *parse_hex32(const char *s, uint32_t *v)
{
	uint64_t x = 0;
	const char *p;

	for (p = s; is_hex(*p); p++) {
		x = x * 16 + (uint64_t)(*p <= '9' ? *p - '0' :
					(*p | 0x20) - 'a' + 10);
		if (x > UINT32_MAX)
			return NULL;
	}
	if (p == s)
		return NULL;
	*v = (uint32_t)x;
	return p;
}

int nft_focus_parse(const char *s, struct nft_focus *f)
{
	enum nft_focus_type type = NFT_FOCUS_REQUEST;
	uint32_t id, index;
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (!strncmp(s, focus_types[i].prefix, 2)) {
			type = focus_types[i].type;
			s += 2;
			break;
		}
	f->id64 = 0;
	if (type == NFT_FOCUS_COOKIE && strspn(s, "0123456789abcdefABCDEF") > 8) {
		/* a pointer id of the fscache before 5.17 */
		char *end;

		if (strspn(s, "0123456789abcdefABCDEF") > 16)
			return -1;
		f->id64 = strtoull(s, &end, 16);
		if (*end)
			return -1;
		f->type = NFT_FOCUS_OLD_COOKIE;
		f->id = 0;
		f->index = -1;
		return 0;
	}
	s = parse_hex32(s, &id);
	if (!s)
		return -1;
	f->type = type;
	f->id = id;
	f->index = -1;
	if (!*s)
		return 0;
	if (type != NFT_FOCUS_REQUEST || *s != '[')
		return -1;
	s = parse_hex32(s + 1, &index);
	if (!s || strcmp(s, "]") || index > 65535)
		return -1;
	f->type = NFT_FOCUS_SUBREQ;
	f->index = (int32_t)index;
	return 0;
}

/* ---- life ---- */

int nft_focus_init(struct nft_model *m)
{
	if (m->opts.focus.type == NFT_FOCUS_NONE)
		return 0;
	m->fst = calloc(1, sizeof(*m->fst));
	if (!m->fst)
		return -1;
	m->fst->f = m->opts.focus;
	return 0;
}

static void request_free(struct nft_request *req)
{
	uint32_t i;

	if (!req)
		return;
	for (i = 0; i < req->nr_sreq_slots; i++) {
		if (!req->sreqs[i])
			continue;
		nft_ledger_release(&req->sreqs[i]->refs);
		free(req->sreqs[i]);
	}
	free(req->sreqs);
	nft_ledger_release(&req->refs);
	free(req);
}

void nft_focus_release(struct nft_model *m)
{
	struct nft_focus_state *fs = m->fst;
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n_lines; i++)
		free(fs->lines[i].text);
	free(fs->lines);
	request_free(fs->req);
	if (fs->have_obj)
		nft_ledger_release(&fs->obj.refs);
	free(fs->users);
	free(fs->objects);
	free(fs->accesses);
	free(fs->truncs);
	free(fs);
	m->fst = NULL;
}

static bool is_request_focus(const struct nft_focus_state *fs)
{
	return fs->f.type == NFT_FOCUS_REQUEST ||
	       fs->f.type == NFT_FOCUS_SUBREQ;
}

bool nft_focus_is_request(const struct nft_model *m, uint32_t id)
{
	return m->fst && is_request_focus(m->fst) && m->fst->f.id == id;
}

bool nft_focus_request_end(struct nft_model *m, struct nft_request *req)
{
	struct nft_focus_state *fs = m->fst;
	struct nft_request *keep;

	if (!fs || !is_request_focus(fs) || req->id != fs->f.id)
		return false;
	fs->joined = false;
	keep = malloc(sizeof(*keep));
	if (!keep)
		return false;
	*keep = *req;
	request_free(fs->req);
	fs->req = keep;
	return true;
}

static enum nft_fsobj_type fsobj_type(enum nft_focus_type t)
{
	switch (t) {
	case NFT_FOCUS_COOKIE:
		return NFT_FSOBJ_COOKIE;
	case NFT_FOCUS_VOLUME:
		return NFT_FSOBJ_VOLUME;
	case NFT_FOCUS_CACHE:
		return NFT_FSOBJ_CACHE;
	case NFT_FOCUS_CF_OBJECT:
		return NFT_FSOBJ_CF_OBJECT;
	default:
		return NFT_FSOBJ__NR;
	}
}

void nft_focus_fsobj_end(struct nft_model *m, struct nft_fsobj *o)
{
	struct nft_focus_state *fs = m->fst;

	if (!fs || fsobj_type(fs->f.type) != o->type || o->id != fs->f.id)
		return;
	if (fs->have_obj)
		nft_ledger_release(&fs->obj.refs);
	fs->obj = *o;
	fs->have_obj = true;
	/* the ledger is ours now: the caller releases an empty one */
	nft_ledger_init(&o->refs);
}

/* ---- what is kept ---- */

static void add_line(struct nft_focus_state *fs, const struct nft_event *ev)
{
	struct nft_history_line *h;

	if (fs->n_lines >= FOCUS_LINES_MAX ||
	    nft_grow(&fs->lines, &fs->cap_lines, fs->n_lines + 1, sizeof(*h))) {
		fs->lines_dropped++;
		return;
	}
	h = &fs->lines[fs->n_lines];
	h->pos = ev->pos;
	h->ts_ns = ev->ts_ns;
	h->text = ev->raw ? strndup(ev->raw, ev->raw_len) : NULL;
	if (ev->raw && !h->text)
		return;
	fs->n_lines++;
}

static void add_link(struct nft_focus_state *fs, struct nft_focus_link **v,
		     size_t *n, size_t *cap, size_t max,
		     const struct nft_event *ev, uint32_t id, bool copy)
{
	struct nft_focus_link *l;
	size_t i;

	for (i = *n; i > 0; i--)
		if ((*v)[i - 1].id == id)
			return;
	if (*n >= max || nft_grow(v, cap, *n + 1, sizeof(**v))) {
		fs->pub.dropped++;
		return;
	}
	l = &(*v)[(*n)++];
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->pos = ev->pos;
	l->ts = ev->ts_ns;
	l->copy = copy;
	if (ev->kind == NFT_EV_NETFS_READ || ev->kind == NFT_EV_NETFS_WRITE) {
		l->what = ev->what;
		l->is_write = ev->kind == NFT_EV_NETFS_WRITE;
	}
}

/*
 * fscache_access traces come in kinds: an END closes a BEGIN of the same
 * kind (fs/fscache/cookie.c, volume.c: fscache_begin_cookie_access() /
 * fscache_end_cookie_access() and the volume's).  END unlive drops the
 * access a cookie holds while it is live (n_accesses starts at 1), which
 * has no BEGIN.  PIN/UNPIN cache and WAIT io open or close nothing.
 * Returns the kind (0: none), *begin: whether @what opens one.
 */
static int access_kind(uint16_t what, bool *begin)
{
	*begin = true;
	switch (what) {
	case NFT_FSCA_ACQUIRE_VOLUME:
		return 1;
	case NFT_FSCA_INVALIDATE:
		return 2;
	case NFT_FSCA_IO_READ:
	case NFT_FSCA_IO_WRITE:
	case NFT_FSCA_IO_RESIZE:
		return 3;
	case NFT_FSCA_LOOKUP:
		return 4;
	case NFT_FSCA_RELINQUISH_VOLUME:
		return 5;
	}
	*begin = false;
	switch (what) {
	case NFT_FSCA_ACQUIRE_VOLUME_END:
		return 1;
	case NFT_FSCA_INVALIDATE_END:
		return 2;
	case NFT_FSCA_IO_END:
	case NFT_FSCA_IO_NOT_LIVE:
		return 3;
	case NFT_FSCA_LOOKUP_END:
	case NFT_FSCA_LOOKUP_END_FAILED:
		return 4;
	case NFT_FSCA_RELINQUISH_VOLUME_END:
		return 5;
	case NFT_FSCA_UNLIVE:
		return 6;
	}
	return 0;
}

static void access_event(struct nft_focus_state *fs,
			 const struct nft_event *ev)
{
	struct nft_focus_access *a;
	bool begin, b;
	int kind = access_kind(ev->what, &begin);
	size_t i;

	if (!kind)
		return;
	if (!begin) {
		for (i = fs->first_open; i < fs->pub.n_accesses; i++) {
			a = &fs->accesses[i];
			if (a->end || access_kind(a->begin, &b) != kind)
				continue;
			a->end = ev->what;
			a->a_end = ev->n_accesses;
			a->pos_end = ev->pos;
			a->ts_end = ev->ts_ns;
			while (fs->first_open < fs->pub.n_accesses &&
			       fs->accesses[fs->first_open].end)
				fs->first_open++;
			return;
		}
	}
	if (fs->pub.n_accesses >= FOCUS_ACCESSES_MAX ||
	    nft_grow(&fs->accesses, &fs->cap_accesses, fs->pub.n_accesses + 1,
		     sizeof(*a))) {
		fs->pub.dropped++;
		return;
	}
	a = &fs->accesses[fs->pub.n_accesses++];
	memset(a, 0, sizeof(*a));
	if (begin) {
		a->begin = ev->what;
		a->a_begin = ev->n_accesses;
		a->pos_begin = ev->pos;
		a->ts_begin = ev->ts_ns;
	} else {
		/* an END whose BEGIN is not in the capture */
		a->end = ev->what;
		a->a_end = ev->n_accesses;
		a->pos_end = ev->pos;
		a->ts_end = ev->ts_ns;
	}
	while (fs->first_open < fs->pub.n_accesses &&
	       fs->accesses[fs->first_open].end)
		fs->first_open++;
}

static void seen(struct nft_focus_state *fs, const struct nft_event *ev)
{
	if (!fs->pub.seen) {
		fs->pub.seen = true;
		fs->pub.pos_first = ev->pos;
		fs->pub.ts_first = ev->ts_ns;
	}
	fs->pub.pos_last = ev->pos;
	fs->pub.ts_last = ev->ts_ns;
}

static bool has_object(const struct nft_focus_state *fs, uint32_t id)
{
	size_t i;

	for (i = 0; i < fs->pub.n_objects; i++)
		if (fs->objects[i].id == id)
			return true;
	return false;
}

static bool cookie_event(struct nft_focus_state *fs,
			 const struct nft_event *ev)
{
	uint32_t id = fs->f.id;

	if (!((ev->have & NFT_HAVE_COOKIE) && ev->cookie == id)) {
		/* the lines of its cachefiles objects */
		return (ev->have & NFT_HAVE_OBJECT) && ev->object &&
		       !(ev->have & NFT_HAVE_RREQ) &&
		       has_object(fs, ev->object);
	}
	seen(fs, ev);
	switch (ev->kind) {
	case NFT_EV_NETFS_READ:
	case NFT_EV_NETFS_WRITE:
		add_link(fs, &fs->users, &fs->pub.n_users, &fs->cap_users,
			 FOCUS_USERS_MAX, ev, ev->rreq, false);
		break;
	case NFT_EV_NETFS_COPY2CACHE:
		if (ev->have & NFT_HAVE_CREQ)
			add_link(fs, &fs->users, &fs->pub.n_users,
				 &fs->cap_users, FOCUS_USERS_MAX, ev, ev->creq,
				 true);
		break;
	case NFT_EV_CACHEFILES_REF:
		if ((ev->have & NFT_HAVE_OBJECT) && ev->object)
			add_link(fs, &fs->objects, &fs->pub.n_objects,
				 &fs->cap_objects, FOCUS_OBJECTS_MAX, ev,
				 ev->object, false);
		break;
	case NFT_EV_FSCACHE_ACCESS:
		access_event(fs, ev);
		break;
	default:
		break;
	}
	if (ev->have & NFT_HAVE_VOLUME)
		fs->pub.volume = ev->volume;
	return true;
}

static bool volume_event(struct nft_focus_state *fs,
			 const struct nft_event *ev)
{
	if (!((ev->have & NFT_HAVE_VOLUME) && ev->volume == fs->f.id))
		return false;
	seen(fs, ev);
	if ((ev->have & NFT_HAVE_COOKIE) && ev->cookie)
		add_link(fs, &fs->users, &fs->pub.n_users, &fs->cap_users,
			 FOCUS_USERS_MAX, ev, ev->cookie, false);
	if (ev->kind == NFT_EV_FSCACHE_ACCESS_VOLUME)
		access_event(fs, ev);
	return true;
}

/* The backing file's inode (B=), where the line has one. */
static bool backer_of(const struct nft_event *ev, uint64_t *b)
{
	switch (ev->kind) {
	case NFT_EV_CACHEFILES_PREP_READ:
	case NFT_EV_CACHEFILES_READ:
	case NFT_EV_CACHEFILES_WRITE:
	case NFT_EV_CACHEFILES_TRUNC:
	case NFT_EV_CACHEFILES_IO_ERROR:
	case NFT_EV_CACHEFILES_VFS_ERROR:
		*b = ev->id2;
		break;
	case NFT_EV_CACHEFILES_LOOKUP:
	case NFT_EV_CACHEFILES_TMPFILE:
	case NFT_EV_CACHEFILES_LINK:
	case NFT_EV_CACHEFILES_UNLINK:
	case NFT_EV_CACHEFILES_RENAME:
	case NFT_EV_CACHEFILES_COHERENCY:
	case NFT_EV_CACHEFILES_MARK_ACTIVE:
	case NFT_EV_CACHEFILES_MARK_FAILED:
	case NFT_EV_CACHEFILES_MARK_INACTIVE:
		if (!(ev->have & NFT_HAVE_INO))
			return false;
		*b = ev->ino;
		break;
	default:
		return false;
	}
	return *b != 0;	/* a lookup that found nothing prints B=0 */
}

static bool object_event(struct nft_focus_state *fs,
			 const struct nft_event *ev)
{
	struct nft_focus_trunc *t;
	uint64_t b;

	if (!((ev->have & NFT_HAVE_OBJECT) && ev->object == fs->f.id) ||
	    (ev->have & NFT_HAVE_RREQ))
		return false;
	seen(fs, ev);
	if (ev->kind == NFT_EV_CACHEFILES_REF && (ev->have & NFT_HAVE_COOKIE))
		fs->pub.cookie = ev->cookie;
	if (backer_of(ev, &b)) {
		fs->pub.backer = b;
		fs->pub.backer_known = true;
	}
	switch (ev->kind) {
	case NFT_EV_CACHEFILES_READ:
		fs->pub.reads++;
		fs->pub.read_bytes += ev->len;
		break;
	case NFT_EV_CACHEFILES_WRITE:
		fs->pub.writes++;
		fs->pub.write_bytes += ev->len;
		break;
	case NFT_EV_CACHEFILES_TRUNC:
		if (fs->pub.n_truncs >= FOCUS_TRUNCS_MAX ||
		    nft_grow(&fs->truncs, &fs->cap_truncs,
			     fs->pub.n_truncs + 1, sizeof(*t))) {
			fs->pub.dropped++;
			break;
		}
		t = &fs->truncs[fs->pub.n_truncs++];
		t->what = ev->what;
		t->from = ev->start;
		t->to = ev->end;
		t->pos = ev->pos;
		t->ts = ev->ts_ns;
		break;
	default:
		break;
	}
	return true;
}

/* A request's inode and range, from its netfs_read/netfs_write line. */
static void join(struct nft_focus_state *fs, const struct nft_event *ev)
{
	uint64_t end;

	fs->joined = ev->have & NFT_HAVE_INO;
	fs->ino = ev->ino;
	/* a whole-file writeback (by=0-ffffffffffffffff) or none: any page */
	fs->ranged = (ev->have & NFT_HAVE_LEN) && ev->len &&
		     ev->len != UINT64_MAX && ev->start <= UINT64_MAX - ev->len;
	if (!fs->ranged)
		return;
	end = ev->start + ev->len;
	fs->page_lo = ev->start >> FOCUS_PAGE_SHIFT;
	fs->page_hi = (end - 1) >> FOCUS_PAGE_SHIFT;
}

/* A netfs_folio line of the request's inode and range, while it lives. */
static bool folio_of_request(const struct nft_focus_state *fs,
			     const struct nft_event *ev)
{
	if (!fs->joined || !(ev->have & NFT_HAVE_INO) || ev->ino != fs->ino)
		return false;
	return !fs->ranged || (ev->first <= fs->page_hi &&
			       ev->last >= fs->page_lo);
}

static bool request_event(struct nft_focus_state *fs,
			  const struct nft_event *ev)
{
	uint32_t id = fs->f.id;

	if (ev->kind == NFT_EV_NETFS_FOLIO)
		return folio_of_request(fs, ev);
	if ((ev->have & NFT_HAVE_CREQ) && ev->creq == id)
		return true;
	if (!((ev->have & NFT_HAVE_RREQ) && ev->rreq == id))
		return false;
	if (ev->kind == NFT_EV_NETFS_READ || ev->kind == NFT_EV_NETFS_WRITE)
		join(fs, ev);
	return true;
}

/* The netfs_sreq traces that mark a subrequest collected (model.c). */
static bool is_collection(const struct nft_event *ev)
{
	if (ev->kind != NFT_EV_NETFS_SREQ)
		return false;
	switch (ev->what) {
	case NFT_SREQ_CONSUMED:
	case NFT_SREQ_ABANDONED:
	case NFT_SREQ_DISCARD:
	case NFT_SREQ_CANCEL:
	case NFT_SREQ_SUPERFLUOUS:
		return true;
	default:
		return false;
	}
}

static bool subreq_event(struct nft_focus_state *fs,
			 const struct nft_event *ev)
{
	if (!((ev->have & NFT_HAVE_RREQ) && ev->rreq == fs->f.id))
		return false;
	if (ev->kind == NFT_EV_NETFS_DONATE &&
	    ev->id2 == (uint32_t)fs->f.index)
		return true;
	if (!((ev->have & NFT_HAVE_INDEX) && ev->index == fs->f.index))
		return false;
	if (!fs->collected && is_collection(ev)) {
		fs->collected = true;
		fs->pos_collected = ev->pos;
		fs->ts_collected = ev->ts_ns;
	}
	return true;
}

void nft_focus_event(struct nft_model *m, const struct nft_event *ev)
{
	struct nft_focus_state *fs = m->fst;
	bool keep = false;

	switch (fs->f.type) {
	case NFT_FOCUS_REQUEST:
		keep = request_event(fs, ev);
		break;
	case NFT_FOCUS_SUBREQ:
		keep = subreq_event(fs, ev);
		break;
	case NFT_FOCUS_COOKIE:
		keep = fs->f.id && cookie_event(fs, ev);
		break;
	case NFT_FOCUS_VOLUME:
		keep = fs->f.id && volume_event(fs, ev);
		break;
	case NFT_FOCUS_CF_OBJECT:
		keep = fs->f.id && object_event(fs, ev);
		break;
	case NFT_FOCUS_CACHE:
		keep = fs->f.id && (ev->have & NFT_HAVE_CACHE) &&
		       ev->cache == fs->f.id;
		if (keep)
			seen(fs, ev);
		break;
	case NFT_FOCUS_OLD_COOKIE:
		/* its own lines, and those of the cookies it parents */
		keep = (ev->have & NFT_HAVE_OLD_COOKIE) &&
		       (ev->cookie64 == fs->f.id64 ||
			ev->parent64 == fs->f.id64);
		break;
	default:
		break;
	}
	if (keep)
		add_line(fs, ev);
}

/* ---- accessors ---- */

const struct nft_request *nft_model_focus(const struct nft_model *m)
{
	const struct nft_req_node *n;

	if (!m->fst || !is_request_focus(m->fst))
		return NULL;
	n = nft_idmap_get(&m->reqs, m->fst->f.id);
	return n ? &n->req : m->fst->req;
}

struct nft_focus nft_model_focus_of(const struct nft_model *m)
{
	struct nft_focus none = { .type = NFT_FOCUS_NONE, .index = -1 };

	return m->fst ? m->fst->f : none;
}

bool nft_model_focus_collected(const struct nft_model *m, uint64_t *pos,
			       uint64_t *ts)
{
	if (!m->fst || m->fst->f.type != NFT_FOCUS_SUBREQ ||
	    !m->fst->collected)
		return false;
	*pos = m->fst->pos_collected;
	*ts = m->fst->ts_collected;
	return true;
}

const struct nft_history_line *nft_model_focus_lines(const struct nft_model *m,
						     size_t *n)
{
	*n = m->fst ? m->fst->n_lines : 0;
	return m->fst ? m->fst->lines : NULL;
}

uint64_t nft_model_focus_lines_dropped(const struct nft_model *m)
{
	return m->fst ? m->fst->lines_dropped : 0;
}

const struct nft_focus_fs *nft_model_focus_fs(const struct nft_model *m)
{
	struct nft_focus_state *fs = m->fst;
	enum nft_fsobj_type type;

	if (!fs)
		return NULL;
	type = fsobj_type(fs->f.type);
	if (type == NFT_FSOBJ__NR)
		return NULL;
	fs->pub.obj = nft_model_fsobj(m, type, fs->f.id);
	if (!fs->pub.obj && fs->have_obj)
		fs->pub.obj = &fs->obj;
	fs->pub.users = fs->users;
	fs->pub.objects = fs->objects;
	fs->pub.accesses = fs->accesses;
	fs->pub.truncs = fs->truncs;
	return &fs->pub;
}
