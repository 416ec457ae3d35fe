// SPDX-License-Identifier: GPL-2.0
/*
 * libtraceevent record -> struct nft_event, shared by the trace.dat decoder
 * (records from libtracecmd) and the live decoder (records cut out of
 * trace_pipe_raw pages with kbuffer).  Both hand us a tep_handle that knows
 * the event formats of the kernel that wrote the records, so nothing here
 * knows a kernel's layout or enum numbering: every field is read by name
 * from the event's own format and every symbolic field goes through that
 * format's __print_symbolic() table.  The per-event work (finding fields,
 * building symbol maps) is done once per event id the first time a record
 * of that id shows up; the per-record path only reads integers at cached
 * offsets.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "tep_event.h"
#include "../libnetfs-trace/vocab.h"

/* Where a format field's value goes in struct nft_event. */
enum slot {
	S_NONE,
	S_RREQ, S_CREQ, S_INDEX, S_STREAM, S_COOKIE, S_OBJECT, S_VOLUME,
	S_CACHE, S_ID2, S_WHAT, S_ORIGIN, S_SOURCE, S_GAP, S_START, S_LEN,
	S_TRANSFERRED, S_END, S_ISIZE, S_INO, S_FIRST, S_CTO, S_CLN, S_FRONT,
	S_REF, S_NACC, S_NACT, S_ERROR, S_FLAGS, S_NOTES, S_SLOT,
	S_T0, S_T1, S_T2,	/* scratch for values a kind derives others from */
};

#define NO_SYM (-1)

/* "name|alternative" -> slot, with the symbol class if it is symbolic. */
struct field_spec {
	const char *names;
	uint8_t slot;
	int8_t cls;
};

#define MAX_SPECS 11

struct kind_spec {
	enum nft_event_kind kind;
	struct field_spec f[MAX_SPECS];
};

#define SYM(c) NFT_SYMC_##c

static const struct kind_spec kind_specs[] = {
	{ NFT_EV_NETFS_READ, { { "rreq", S_RREQ, NO_SYM },
		{ "cookie", S_COOKIE, NO_SYM }, { "netfs_inode", S_INO, NO_SYM },
		{ "start", S_START, NO_SYM }, { "len", S_LEN, NO_SYM },
		{ "i_size", S_ISIZE, NO_SYM }, { "what", S_WHAT, SYM(READ_TRACE) } } },
	{ NFT_EV_NETFS_WRITE, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "cookie", S_COOKIE, NO_SYM }, { "ino", S_INO, NO_SYM },
		{ "start", S_START, NO_SYM }, { "len", S_LEN, NO_SYM },
		{ "what", S_WHAT, SYM(WRITE_TRACE) } } },
	{ NFT_EV_NETFS_RREQ, { { "rreq", S_RREQ, NO_SYM },
		{ "flags", S_FLAGS, NO_SYM }, { "origin", S_ORIGIN, SYM(ORIGIN) },
		{ "what", S_WHAT, SYM(RREQ_TRACE) } } },
	{ NFT_EV_NETFS_SREQ, { { "rreq", S_RREQ, NO_SYM },
		{ "index", S_INDEX, NO_SYM }, { "error", S_ERROR, NO_SYM },
		{ "flags", S_FLAGS, NO_SYM }, { "source", S_SOURCE, SYM(SOURCE) },
		{ "what", S_WHAT, SYM(SREQ_TRACE) }, { "slot", S_SLOT, NO_SYM },
		{ "len", S_LEN, NO_SYM }, { "transferred", S_TRANSFERRED, NO_SYM },
		{ "start", S_START, NO_SYM } } },
	{ NFT_EV_NETFS_FAILURE, { { "rreq", S_RREQ, NO_SYM },
		{ "index", S_INDEX, NO_SYM }, { "error", S_ERROR, NO_SYM },
		{ "flags", S_FLAGS, NO_SYM }, { "source", S_SOURCE, SYM(SOURCE) },
		{ "what", S_WHAT, SYM(FAILURE) }, { "len", S_LEN, NO_SYM },
		{ "transferred", S_TRANSFERRED, NO_SYM },
		{ "start", S_START, NO_SYM } } },
	{ NFT_EV_NETFS_RREQ_REF, { { "rreq", S_RREQ, NO_SYM },
		{ "ref", S_REF, NO_SYM }, { "what", S_WHAT, SYM(RREQ_REF) } } },
	{ NFT_EV_NETFS_SREQ_REF, { { "rreq", S_RREQ, NO_SYM },
		{ "subreq", S_INDEX, NO_SYM }, { "ref", S_REF, NO_SYM },
		{ "what", S_WHAT, SYM(SREQ_REF) } } },
	{ NFT_EV_NETFS_FOLIO, { { "ino", S_INO, NO_SYM },
		{ "index", S_FIRST, NO_SYM }, { "nr", S_T0, NO_SYM },
		{ "why", S_WHAT, SYM(FOLIO) } } },
	{ NFT_EV_NETFS_FOLIOQ, { { "rreq", S_RREQ, NO_SYM },
		{ "id", S_ID2, NO_SYM }, { "trace", S_WHAT, SYM(FOLIOQ) } } },
	{ NFT_EV_NETFS_WRITE_ITER, { { "ino", S_INO, NO_SYM },
		{ "start", S_START, NO_SYM }, { "len", S_LEN, NO_SYM },
		{ "flags", S_FLAGS, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "start", S_T0, NO_SYM }, { "transferred", S_T1, NO_SYM },
		{ "len", S_T2, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_SREQ, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "subreq", S_INDEX, NO_SYM }, { "stream", S_STREAM, NO_SYM },
		{ "start", S_START, NO_SYM }, { "transferred", S_TRANSFERRED, NO_SYM },
		{ "len", S_LEN, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_FOLIO, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "index", S_FIRST, NO_SYM }, { "fend", S_END, NO_SYM },
		{ "cleaned_to", S_CLN, NO_SYM },
		{ "collected_to", S_CTO, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_STATE, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "collected_to", S_CTO, NO_SYM }, { "cleaned_to", S_CLN, NO_SYM },
		{ "notes", S_NOTES, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_GAP, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "stream", S_STREAM, NO_SYM }, { "from", S_START, NO_SYM },
		{ "to", S_END, NO_SYM }, { "type", S_GAP, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_STREAM, { { "wreq|rreq", S_RREQ, NO_SYM },
		{ "stream", S_STREAM, NO_SYM },
		{ "collected_to", S_CTO, NO_SYM },
		{ "front|issued_to", S_FRONT, NO_SYM } } },
	{ NFT_EV_NETFS_COLLECT_CONTIG, { { "wreq|rreq", S_RREQ, NO_SYM } } },
	{ NFT_EV_NETFS_PROGRESS, { { "rreq", S_RREQ, NO_SYM },
		{ "subreq", S_INDEX, NO_SYM }, { "f_start", S_START, NO_SYM },
		{ "transferred", S_TRANSFERRED, NO_SYM },
		{ "consumed", S_LEN, NO_SYM }, { "slot", S_SLOT, NO_SYM },
		{ "f_avail", S_END, NO_SYM } } },
	{ NFT_EV_NETFS_DONATE, { { "rreq", S_RREQ, NO_SYM },
		{ "from", S_INDEX, NO_SYM }, { "to", S_ID2, NO_SYM },
		{ "trace", S_WHAT, SYM(DONATE) }, { "amount", S_LEN, NO_SYM } } },
	{ NFT_EV_NETFS_READ_PROGRESS_AT, { { "rreq", S_RREQ, NO_SYM },
		{ "cleaned_to", S_CLN, NO_SYM },
		{ "progress_at", S_CTO, NO_SYM } } },
	{ NFT_EV_NETFS_COPY2CACHE, { { "rreq", S_RREQ, NO_SYM },
		{ "creq", S_CREQ, NO_SYM }, { "cookie", S_COOKIE, NO_SYM },
		{ "ino", S_INO, NO_SYM } } },
	{ NFT_EV_FSCACHE_CACHE, { { "cache", S_CACHE, NO_SYM },
		{ "usage|ref", S_REF, NO_SYM },
		{ "where|what", S_WHAT, SYM(FSC_CACHE) } } },
	{ NFT_EV_FSCACHE_VOLUME, { { "volume", S_VOLUME, NO_SYM },
		{ "usage|ref", S_REF, NO_SYM },
		{ "where|what", S_WHAT, SYM(FSC_VOLUME) } } },
	{ NFT_EV_FSCACHE_COOKIE, { { "cookie", S_COOKIE, NO_SYM },
		{ "ref|usage", S_REF, NO_SYM },
		{ "where|what", S_WHAT, SYM(FSC_COOKIE) } } },
	{ NFT_EV_FSCACHE_ACTIVE, { { "cookie", S_COOKIE, NO_SYM },
		{ "ref", S_REF, NO_SYM }, { "n_active", S_NACT, NO_SYM },
		{ "n_accesses", S_NACC, NO_SYM },
		{ "why", S_WHAT, SYM(FSC_ACTIVE) } } },
	{ NFT_EV_FSCACHE_ACCESS_CACHE, { { "cache", S_CACHE, NO_SYM },
		{ "ref", S_REF, NO_SYM }, { "n_accesses", S_NACC, NO_SYM },
		{ "why", S_WHAT, SYM(FSC_ACCESS) } } },
	{ NFT_EV_FSCACHE_ACCESS_VOLUME, { { "volume", S_VOLUME, NO_SYM },
		{ "cookie", S_COOKIE, NO_SYM }, { "ref", S_REF, NO_SYM },
		{ "n_accesses", S_NACC, NO_SYM },
		{ "why", S_WHAT, SYM(FSC_ACCESS) } } },
	{ NFT_EV_FSCACHE_ACCESS, { { "cookie", S_COOKIE, NO_SYM },
		{ "ref", S_REF, NO_SYM }, { "n_accesses", S_NACC, NO_SYM },
		{ "why", S_WHAT, SYM(FSC_ACCESS) } } },
	{ NFT_EV_FSCACHE_ACQUIRE, { { "cookie", S_COOKIE, NO_SYM },
		{ "volume", S_VOLUME, NO_SYM }, { "v_ref", S_REF, NO_SYM },
		{ "v_n_cookies", S_NACT, NO_SYM } } },
	{ NFT_EV_FSCACHE_RELINQUISH, { { "cookie", S_COOKIE, NO_SYM },
		{ "volume", S_VOLUME, NO_SYM }, { "ref", S_REF, NO_SYM },
		{ "n_active", S_NACT, NO_SYM }, { "flags", S_FLAGS, NO_SYM },
		{ "retire", S_ID2, NO_SYM } } },
	{ NFT_EV_FSCACHE_INVALIDATE, { { "cookie", S_COOKIE, NO_SYM },
		{ "new_size", S_LEN, NO_SYM } } },
	{ NFT_EV_FSCACHE_RESIZE, { { "cookie", S_COOKIE, NO_SYM },
		{ "new_size", S_LEN, NO_SYM }, { "old_size", S_START, NO_SYM } } },
	{ NFT_EV_CACHEFILES_REF, { { "obj", S_OBJECT, NO_SYM },
		{ "cookie", S_COOKIE, NO_SYM }, { "usage|ref", S_REF, NO_SYM },
		{ "why", S_WHAT, SYM(CF_REF) } } },
	{ NFT_EV_CACHEFILES_LOOKUP, { { "obj", S_OBJECT, NO_SYM },
		{ "dino", S_ID2, NO_SYM }, { "ino", S_INO, NO_SYM },
		{ "error", S_ERROR, NO_SYM } } },
	{ NFT_EV_CACHEFILES_MKDIR, { { "dir", S_ID2, NO_SYM },
		{ "subdir", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_TMPFILE, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_LINK, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_UNLINK, { { "obj", S_OBJECT, NO_SYM },
		{ "ino", S_INO, NO_SYM }, { "why", S_WHAT, SYM(CF_KILL) } } },
	{ NFT_EV_CACHEFILES_RENAME, { { "obj", S_OBJECT, NO_SYM },
		{ "ino", S_INO, NO_SYM }, { "why", S_WHAT, SYM(CF_KILL) } } },
	{ NFT_EV_CACHEFILES_COHERENCY, { { "obj", S_OBJECT, NO_SYM },
		{ "why", S_WHAT, SYM(CF_COHERENCY) }, { "ino", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_VOL_COHERENCY, { { "vol", S_VOLUME, NO_SYM },
		{ "why", S_WHAT, SYM(CF_COHERENCY) }, { "ino", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_PREP_READ, { { "obj", S_OBJECT, NO_SYM },
		{ "rreq", S_RREQ, NO_SYM }, { "index", S_INDEX, NO_SYM },
		{ "source", S_SOURCE, SYM(SOURCE) },
		{ "why", S_WHAT, SYM(CF_PREP) }, { "flags", S_FLAGS, NO_SYM },
		{ "start", S_START, NO_SYM }, { "len", S_LEN, NO_SYM },
		{ "netfs_inode", S_INO, NO_SYM },
		{ "cache_inode", S_ID2, NO_SYM } } },
	{ NFT_EV_CACHEFILES_READ, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_ID2, NO_SYM }, { "start", S_START, NO_SYM },
		{ "len", S_LEN, NO_SYM } } },
	{ NFT_EV_CACHEFILES_WRITE, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_ID2, NO_SYM }, { "start", S_START, NO_SYM },
		{ "len", S_LEN, NO_SYM } } },
	{ NFT_EV_CACHEFILES_TRUNC, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_ID2, NO_SYM }, { "why", S_WHAT, SYM(CF_TRUNC) },
		{ "from", S_START, NO_SYM }, { "to", S_END, NO_SYM } } },
	{ NFT_EV_CACHEFILES_MARK_ACTIVE, { { "obj", S_OBJECT, NO_SYM },
		{ "inode", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_MARK_FAILED, { { "obj", S_OBJECT, NO_SYM },
		{ "inode", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_MARK_INACTIVE, { { "obj", S_OBJECT, NO_SYM },
		{ "inode", S_INO, NO_SYM } } },
	{ NFT_EV_CACHEFILES_VFS_ERROR, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_ID2, NO_SYM }, { "where", S_WHAT, SYM(CF_ERROR) },
		{ "error", S_ERROR, NO_SYM } } },
	{ NFT_EV_CACHEFILES_IO_ERROR, { { "obj", S_OBJECT, NO_SYM },
		{ "backer", S_ID2, NO_SYM }, { "where", S_WHAT, SYM(CF_ERROR) },
		{ "error", S_ERROR, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_OPEN, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_COPEN, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_CLOSE, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_READ, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_CREAD, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_FD_WRITE, { { "obj", S_OBJECT, NO_SYM } } },
	{ NFT_EV_CACHEFILES_ONDEMAND_FD_RELEASE, { { "obj", S_OBJECT, NO_SYM } } },
};

/* One __print_symbolic() entry, already mapped to the vocabulary. */
struct sym_ent {
	uint64_t val;
	uint16_t canon;		/* 0: the vocabulary does not know @text */
	uint8_t len;
	const char *text;	/* trimmed, owned by libtraceevent */
};

struct sym_map {
	int8_t cls;
	int n;
	struct sym_ent *ents;
};

struct bound_field {
	struct tep_format_field *f;
	uint8_t slot;
	bool is_signed;
	uint8_t size;		/* f->size and f->offset, kept here: the */
	uint16_t off;		/* per-record path reads nothing else of f */
	struct sym_map sym;	/* cls == NO_SYM when not symbolic */
};

/* What we know about one event id of the file. */
struct ev_info {
	enum nft_event_kind kind;
	const char *name;
	struct tep_event *event;
	struct tep_format_field *c_flags, *c_preempt, *c_pid;
	/*
	 * A record of at least @need bytes holds every field above and each
	 * has a size of 1, 2, 4 or 8: read without a check per field
	 * (UINT32_MAX: some field is odd, always the checked path).
	 */
	uint32_t need;
	int nbound;
	struct bound_field b[MAX_SPECS];
};

#define MAX_EVENT_ID 65536	/* common_type is 16 bits */
#define NCOMMS 256

struct comm_slot {
	int pid;
	const char *comm;
};

struct nft_tep_decoder {
	struct tep_handle *tep;
	struct ev_info **info;		/* indexed by event id */
	unsigned int info_end;		/* past the highest id made */
	struct tep_format_field *c_type;
	int last_pid;
	const char *last_comm;
	struct comm_slot comms[NCOMMS];	/* pid -> comm, direct-mapped */
	unsigned int irq_key;		/* flags | pc << 8 of irq_str, or ~0 */
	char irq_str[8];
	bool swap;			/* the file's byte order is not ours */
	char unk[NFT_MAX_UNKNOWN][24];
};

/* ---- symbol tables ---- */

static const char *skip_blanks(const char *s, size_t *len)
{
	size_t n = strlen(s);

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n > 255 ? 255 : n;
	return s;
}

/* Is @arg (maybe under casts) the field @name? */
static bool arg_is_field(struct tep_print_arg *arg, const char *name)
{
	while (arg && arg->type == TEP_PRINT_TYPE)
		arg = arg->typecast.item;
	return arg && arg->type == TEP_PRINT_FIELD && arg->field.name &&
	       !strcmp(arg->field.name, name);
}

static struct tep_print_arg *find_symbolic(struct tep_print_arg *arg,
					   const char *name)
{
	struct tep_print_arg *hit;

	for (; arg; arg = arg->next) {
		switch (arg->type) {
		case TEP_PRINT_SYMBOL:
			if (arg_is_field(arg->symbol.field, name))
				return arg;
			break;
		case TEP_PRINT_TYPE:
			hit = find_symbolic(arg->typecast.item, name);
			if (hit)
				return hit;
			break;
		case TEP_PRINT_OP:
			hit = find_symbolic(arg->op.left, name);
			if (!hit)
				hit = find_symbolic(arg->op.right, name);
			if (hit)
				return hit;
			break;
		default:
			break;
		}
	}
	return NULL;
}

static bool parse_number(const char *s, uint64_t *val)
{
	char *end;

	if (!s || !*s)
		return false;
	errno = 0;
	if (*s == '-')
		*val = (uint64_t)strtoll(s, &end, 0);
	else
		*val = strtoull(s, &end, 0);
	return !errno && end != s && !*end;
}

/*
 * Some kernels print a table entry with the enum's name instead of its
 * number ({ fscache_active_use, "USE" }: no TRACE_DEFINE_ENUM for it), which
 * libtraceevent cannot evaluate.  Another event of the same file may carry
 * the same class resolved (cachefiles_prep_read vs netfs_sreq sources): use
 * its number for the same string -- from a table where the string is
 * unique (one "INVL" read and one write say nothing).  This is the one
 * place such names are resolved: the fields here (build_sym_map()) and the
 * raw text of tracedat.c (nft_tep_resolve_enum_names()).
 */
typedef void (*sym_visit)(struct tep_print_arg *sym, void *data);

static void walk_symbols(struct tep_print_arg *arg, sym_visit fn, void *data)
{
	for (; arg; arg = arg->next) {
		if (arg->type == TEP_PRINT_SYMBOL) {
			fn(arg, data);
		} else if (arg->type == TEP_PRINT_TYPE) {
			walk_symbols(arg->typecast.item, fn, data);
		} else if (arg->type == TEP_PRINT_OP) {
			walk_symbols(arg->op.left, fn, data);
			walk_symbols(arg->op.right, fn, data);
		}
	}
}

struct sym_lookup {
	const char *field;
	const char *str;
	size_t slen;
	bool found;
	uint64_t val;
};

static void lookup_visit(struct tep_print_arg *sym, void *data)
{
	struct sym_lookup *l = data;
	struct tep_print_flag_sym *fs;
	uint64_t v = 0;
	bool num = false;
	int hits = 0;

	if (l->found || !arg_is_field(sym->symbol.field, l->field))
		return;
	for (fs = sym->symbol.symbols; fs; fs = fs->next) {
		size_t olen;
		const char *o = skip_blanks(fs->str ? fs->str : "", &olen);

		if (olen != l->slen || memcmp(o, l->str, olen))
			continue;
		hits++;
		num = parse_number(fs->value, &v);
	}
	if (hits == 1 && num) {
		l->found = true;
		l->val = v;
	}
}

static bool resolve_elsewhere(struct tep_handle *tep, const char *field,
			      const char *str, uint64_t *val)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	struct sym_lookup l = { .field = field };
	int i;

	l.str = skip_blanks(str, &l.slen);
	for (i = 0; events && events[i] && !l.found; i++)
		walk_symbols(events[i]->print_fmt.args, lookup_visit, &l);
	*val = l.val;
	return l.found;
}

/* The field a __print_symbolic() prints, under its casts. */
static const char *symbol_field(struct tep_print_arg *sym)
{
	struct tep_print_arg *a = sym->symbol.field;

	while (a && a->type == TEP_PRINT_TYPE)
		a = a->typecast.item;
	return a && a->type == TEP_PRINT_FIELD ? a->field.name : NULL;
}

static void resolve_visit(struct tep_print_arg *sym, void *data)
{
	struct tep_handle *tep = data;
	struct tep_print_flag_sym *fs;
	const char *field = symbol_field(sym);
	int pos = 0;

	for (fs = sym->symbol.symbols; field && fs; fs = fs->next, pos++) {
		char num[24];
		uint64_t v;
		char *nv;

		if (parse_number(fs->value, &v))
			continue;
		if (resolve_elsewhere(tep, field, fs->str ? fs->str : "", &v))
			snprintf(num, sizeof(num), "%" PRId64, (int64_t)v);
		else
			snprintf(num, sizeof(num), "%d", pos);
		nv = strdup(num);
		if (!nv)
			return;
		free(fs->value);
		fs->value = nv;
	}
}

/*
 * For libtraceevent's own printing (tracedat.c's raw text, where trace-cmd
 * report would print "0x1" for "USE-m"): write the numbers into the tables.
 */
void nft_tep_resolve_enum_names(struct tep_handle *tep)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	int i;

	for (i = 0; events && events[i]; i++)
		if (nft_tep_is_our_system(events[i]->system))
			walk_symbols(events[i]->print_fmt.args, resolve_visit,
				     tep);
}

static int build_sym_map(struct tep_event *event, const char *field, int cls,
			 struct sym_map *map)
{
	struct tep_print_arg *arg = find_symbolic(event->print_fmt.args, field);
	struct tep_print_flag_sym *fs;
	int n = 0, pos = 0;

	map->cls = cls;
	map->n = 0;
	map->ents = NULL;
	if (!arg)
		return 0;
	for (fs = arg->symbol.symbols; fs; fs = fs->next)
		n++;
	map->ents = calloc(n ? n : 1, sizeof(*map->ents));
	if (!map->ents)
		return -1;
	for (fs = arg->symbol.symbols; fs; fs = fs->next, pos++) {
		struct sym_ent *e = &map->ents[map->n];
		size_t len;

		/*
		 * An unresolved enum name: the kernel generates the enum and
		 * the table from one list, so its position is its value when
		 * no other event of the file says otherwise.
		 */
		if (!parse_number(fs->value, &e->val) &&
		    !resolve_elsewhere(event->tep, field, fs->str ? fs->str : "",
				       &e->val))
			e->val = pos;
		e->text = skip_blanks(fs->str ? fs->str : "", &len);
		e->len = len;
		e->canon = nft_sym_lookup(cls, e->text, len);
		map->n++;
	}
	return 0;
}

static const struct sym_ent *sym_find(const struct sym_map *map, uint64_t val)
{
	int i;

	/* Tables are short and almost always dense from 0. */
	if (val < (uint64_t)map->n && map->ents[val].val == val)
		return &map->ents[val];
	for (i = 0; i < map->n; i++)
		if (map->ents[i].val == val)
			return &map->ents[i];
	return NULL;
}

/* ---- per event id cache ---- */

static const struct kind_spec *find_kind_spec(enum nft_event_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(kind_specs) / sizeof(kind_specs[0]); i++)
		if (kind_specs[i].kind == kind)
			return &kind_specs[i];
	return NULL;
}

static struct tep_format_field *find_field_alt(struct tep_event *event,
					       const char *names,
					       const char **which)
{
	char buf[64];
	const char *p = names;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		struct tep_format_field *f;

		if (n >= sizeof(buf))
			return NULL;
		memcpy(buf, p, n);
		buf[n] = 0;
		f = tep_find_field(event, buf);
		if (f) {
			*which = f->name;
			return f;
		}
		p = bar ? bar + 1 : NULL;
	}
	return NULL;
}

bool nft_tep_is_our_system(const char *sys)
{
	return sys && (!strcmp(sys, "netfs") || !strcmp(sys, "fscache") ||
		       !strcmp(sys, "cachefiles"));
}

static int bind_fields(struct ev_info *ei, const struct kind_spec *ks)
{
	int i;

	for (i = 0; i < MAX_SPECS && ks->f[i].names; i++) {
		const struct field_spec *fs = &ks->f[i];
		struct bound_field *b = &ei->b[ei->nbound];
		const char *which = NULL;

		b->f = find_field_alt(ei->event, fs->names, &which);
		if (!b->f || b->f->size <= 0 || b->f->size > 8)
			continue;
		b->slot = fs->slot;
		b->is_signed = b->f->flags & TEP_FIELD_IS_SIGNED;
		b->size = b->f->size;
		b->off = b->f->offset >= 0 && b->f->offset <= 0xffff ?
			 b->f->offset : 0;
		b->sym.cls = NO_SYM;
		if (fs->cls != NO_SYM &&
		    build_sym_map(ei->event, which, fs->cls, &b->sym))
			return -1;
		ei->nbound++;
	}
	return 0;
}

static bool plain_field(const struct tep_format_field *f, uint32_t *need)
{
	if (!f || f->offset < 0 || f->offset > 0xffff ||
	    (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8))
		return false;
	if ((uint32_t)(f->offset + f->size) > *need)
		*need = f->offset + f->size;
	return true;
}

/* ei->need: see struct ev_info. */
static void set_need(struct nft_tep_decoder *c, struct ev_info *ei)
{
	uint32_t need = 0;
	bool plain = plain_field(c->c_type, &need) &&
		     plain_field(ei->c_pid, &need) &&
		     plain_field(ei->c_flags, &need) &&
		     plain_field(ei->c_preempt, &need);
	int i;

	for (i = 0; plain && i < ei->nbound; i++)
		plain = plain_field(ei->b[i].f, &need);
	ei->need = plain ? need : UINT32_MAX;
}

static struct ev_info *make_info(struct nft_tep_decoder *c, int id)
{
	struct tep_event *event = tep_find_event(c->tep, id);
	struct ev_info *ei;
	const struct kind_spec *ks;

	if (!event)
		return NULL;
	ei = calloc(1, sizeof(*ei));
	if (!ei)
		return NULL;
	ei->event = event;
	ei->name = event->name ? event->name : "";
	ei->kind = NFT_EV_OTHER;
	if (nft_tep_is_our_system(event->system))
		ei->kind = nft_event_kind_lookup(ei->name, strlen(ei->name));
	ei->c_flags = tep_find_common_field(event, "common_flags");
	ei->c_preempt = tep_find_common_field(event, "common_preempt_count");
	ei->c_pid = tep_find_common_field(event, "common_pid");
	ks = find_kind_spec(ei->kind);
	if (ks && bind_fields(ei, ks)) {
		free(ei);
		return NULL;
	}
	set_need(c, ei);
	return ei;
}

static void free_infos(struct nft_tep_decoder *c)
{
	unsigned int i;
	int j;

	if (!c->info)
		return;
	/* only up to the highest id met: the table is 512 KiB, mostly untouched */
	for (i = 0; i < c->info_end; i++) {
		struct ev_info *ei = c->info[i];

		if (!ei)
			continue;
		for (j = 0; j < ei->nbound; j++)
			free(ei->b[j].sym.ents);
		free(ei);
	}
	free(c->info);
	c->info = NULL;
}

/* ---- per record ---- */

/* A field's value, or false if the record is too short to hold it. */
static inline __attribute__((always_inline)) bool
read_field(struct nft_tep_decoder *c, const struct tep_record *rec,
	   const struct tep_format_field *f, bool is_signed, uint64_t *val)
{
	uint64_t v;
	int bits;

	const char *p;

	if (!f || f->offset < 0 || f->offset + f->size > rec->size)
		return false;
	/*
	 * tep_read_number() inline: a call per field of every record was
	 * a tenth of the trace.dat path (the offsets were bound once, in
	 * make_info(); this is only the load).
	 */
	p = (const char *)rec->data + f->offset;
	switch (f->size) {
	case 1:
		v = *(const uint8_t *)p;
		break;
	case 2: {
		uint16_t x;

		memcpy(&x, p, 2);
		v = c->swap ? __builtin_bswap16(x) : x;
		break;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p, 4);
		v = c->swap ? __builtin_bswap32(x) : x;
		break;
	}
	case 8: {
		uint64_t x;

		memcpy(&x, p, 8);
		v = c->swap ? __builtin_bswap64(x) : x;
		break;
	}
	default:
		v = tep_read_number(c->tep, p, f->size);
		break;
	}
	bits = f->size * 8;
	if (is_signed && bits < 64 && (v & (1ULL << (bits - 1))))
		v |= ~0ULL << bits;
	*val = v;
	return true;
}

/* A field of 1, 2, 4 or 8 bytes the caller knows is inside the record. */
static inline __attribute__((always_inline)) uint64_t
load(const struct nft_tep_decoder *c, const char *p, unsigned int size,
     bool is_signed)
{
	uint64_t v;

	switch (size) {
	case 1:
		v = *(const uint8_t *)p;
		if (is_signed)
			v = (uint64_t)(int64_t)(int8_t)v;
		return v;
	case 2: {
		uint16_t x;

		memcpy(&x, p, 2);
		x = c->swap ? __builtin_bswap16(x) : x;
		return is_signed ? (uint64_t)(int64_t)(int16_t)x : x;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p, 4);
		x = c->swap ? __builtin_bswap32(x) : x;
		return is_signed ? (uint64_t)(int64_t)(int32_t)x : x;
	}
	default: {
		uint64_t x;

		memcpy(&x, p, 8);
		return c->swap ? __builtin_bswap64(x) : x;
	}
	}
}

/*
 * The latency column as the kernel's trace_print_lat_fmt() prints it:
 * irqs-off, need-resched, hardirq/softirq, preempt depth, migrate-disable.
 * Bit 0x02 was IRQS_NOSUPPORT (never set on x86) and is now NEED_RESCHED_LAZY.
 */
static void format_irqs(char out[8], unsigned int flags, unsigned int pc)
{
	static const char hex[] = "0123456789abcdef";
	bool nmi = flags & 0x40, hard = flags & 0x08, soft = flags & 0x10;
	bool bh_off = flags & 0x80, irq_off = flags & 0x01;

	out[0] = irq_off && bh_off ? 'D' : irq_off ? 'd' : bh_off ? 'b' : '.';
	switch (flags & (0x04 | 0x02 | 0x20)) {
	case 0x04 | 0x02 | 0x20: out[1] = 'B'; break;
	case 0x04 | 0x20: out[1] = 'N'; break;
	case 0x02 | 0x20: out[1] = 'L'; break;
	case 0x04 | 0x02: out[1] = 'b'; break;
	case 0x04: out[1] = 'n'; break;
	case 0x20: out[1] = 'p'; break;
	case 0x02: out[1] = 'l'; break;
	default: out[1] = '.'; break;
	}
	out[2] = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' :
		 hard ? 'h' : soft ? 's' : '.';
	out[3] = pc & 0x0f ? hex[pc & 0x0f] : '.';
	out[4] = pc & 0xf0 ? hex[(pc >> 4) & 0x0f] : '.';
	out[5] = 0;
}

static void add_unknown(struct nft_tep_decoder *c, struct nft_event *ev, int cls,
			const char *text, size_t len)
{
	struct nft_unknown_sym *u;

	if (ev->n_unknown >= NFT_MAX_UNKNOWN)
		return;
	u = &ev->unknown[ev->n_unknown];
	u->cls = cls;
	u->text = text;
	u->len = len > 255 ? 255 : len;
	ev->n_unknown++;
	(void)c;
}

/* Map a symbolic field's number to the vocabulary, or keep it as unknown. */
static uint16_t map_symbol(struct nft_tep_decoder *c, struct nft_event *ev,
			   const struct sym_map *map, uint64_t val)
{
	const struct sym_ent *e = sym_find(map, val);
	char *buf;
	int n;

	if (e && e->canon)
		return e->canon;
	if (e) {
		add_unknown(c, ev, map->cls, e->text, e->len);
		return 0;
	}
	if (ev->n_unknown >= NFT_MAX_UNKNOWN)
		return 0;
	buf = c->unk[ev->n_unknown];
	n = snprintf(buf, sizeof(c->unk[0]), "0x%" PRIx64, val);
	add_unknown(c, ev, map->cls, buf, n);
	return 0;
}

static void store(struct nft_tep_decoder *c, struct nft_event *ev,
		  const struct bound_field *b, uint64_t v, uint64_t *tmp)
{
	switch (b->slot) {
	case S_RREQ: ev->rreq = v; ev->have |= NFT_HAVE_RREQ; break;
	case S_CREQ: ev->creq = v; ev->have |= NFT_HAVE_CREQ; break;
	case S_INDEX: ev->index = v; ev->have |= NFT_HAVE_INDEX; break;
	case S_STREAM: ev->stream = v; ev->have |= NFT_HAVE_STREAM; break;
	case S_COOKIE: ev->cookie = v; ev->have |= NFT_HAVE_COOKIE; break;
	case S_OBJECT: ev->object = v; ev->have |= NFT_HAVE_OBJECT; break;
	case S_VOLUME: ev->volume = v; ev->have |= NFT_HAVE_VOLUME; break;
	case S_CACHE: ev->cache = v; ev->have |= NFT_HAVE_CACHE; break;
	case S_ID2: ev->id2 = v; break;
	case S_WHAT: ev->what = map_symbol(c, ev, &b->sym, v); break;
	case S_ORIGIN: ev->origin = map_symbol(c, ev, &b->sym, v); break;
	case S_SOURCE: ev->source = map_symbol(c, ev, &b->sym, v); break;
	case S_GAP: ev->gap_type = (char)v; break;
	case S_START: ev->start = v; ev->have |= NFT_HAVE_START; break;
	case S_LEN: ev->len = v; ev->have |= NFT_HAVE_LEN; break;
	case S_TRANSFERRED:
		ev->transferred = v;
		ev->have |= NFT_HAVE_TRANSFERRED;
		break;
	case S_END: ev->end = v; break;
	case S_ISIZE: ev->i_size = v; ev->have |= NFT_HAVE_ISIZE; break;
	case S_INO: ev->ino = v; ev->have |= NFT_HAVE_INO; break;
	case S_FIRST: ev->first = v; break;
	case S_CTO: ev->collected_to = v; break;
	case S_CLN: ev->cleaned_to = v; break;
	case S_FRONT: ev->front = v; break;
	case S_REF: ev->ref = (int64_t)v; ev->have |= NFT_HAVE_REF; break;
	case S_NACC: ev->n_accesses = v; break;
	case S_NACT: ev->n_active = v; break;
	case S_ERROR: ev->error = v; ev->have |= NFT_HAVE_ERROR; break;
	case S_FLAGS: ev->flags = v; ev->have |= NFT_HAVE_FLAGS; break;
	case S_NOTES: ev->notes = v; break;
	case S_SLOT: ev->slot = v; ev->have |= NFT_HAVE_SLOT; break;
	case S_T0: case S_T1: case S_T2: tmp[b->slot - S_T0] = v; break;
	default: break;
	}
}

/* Fields the print fmt computes from others. */
static void derive(struct nft_event *ev, const uint64_t *tmp)
{
	switch (ev->kind) {
	case NFT_EV_NETFS_WRITE:
		/*
		 * Printed as by=start-(start+len-1); a range that wraps to
		 * ffffffffffffffff (len 0 from 0: "the whole file") reads as
		 * unbounded in the text, so say the same here.
		 */
		ev->end = ev->start + ev->len - 1;
		if (ev->end == UINT64_MAX)
			ev->len = UINT64_MAX - ev->start;
		break;
	case NFT_EV_NETFS_FOLIO:
		ev->last = ev->first + tmp[0] - 1;
		break;
	case NFT_EV_NETFS_COLLECT:
		ev->start = tmp[0] + tmp[1];
		ev->end = tmp[0] + tmp[2];
		ev->have |= NFT_HAVE_START;
		break;
	default:
		break;
	}
}

static int decode_fields(struct nft_tep_decoder *c, const struct ev_info *ei,
			 const struct tep_record *rec, struct nft_event *ev)
{
	uint64_t tmp[3] = { 0, 0, 0 };
	int i, missing = 0;

	if ((uint32_t)rec->size >= ei->need) {
		/* every field is inside the record (set_need()) */
		for (i = 0; i < ei->nbound; i++) {
			const struct bound_field *b = &ei->b[i];

			store(c, ev, b, load(c, (const char *)rec->data + b->off,
					     b->size, b->is_signed), tmp);
		}
		derive(ev, tmp);
		return 0;
	}
	for (i = 0; i < ei->nbound; i++) {
		const struct bound_field *b = &ei->b[i];
		uint64_t v;

		if (!read_field(c, rec, b->f, b->is_signed, &v)) {
			missing++;
			continue;
		}
		store(c, ev, b, v, tmp);
	}
	derive(ev, tmp);
	return missing;
}

static const char *comm_of(struct nft_tep_decoder *c, int pid)
{
	struct comm_slot *s;

	if (pid == c->last_pid && c->last_comm)
		return c->last_comm;
	/*
	 * tep_data_comm_from_pid() is a bsearch of every saved comm: keep
	 * the answers (the tep's strings, which stay while it does; the
	 * decoder never registers comms, so they do not move).
	 */
	s = &c->comms[(unsigned int)pid % NCOMMS];
	if (!s->comm || s->pid != pid) {
		s->comm = tep_data_comm_from_pid(c->tep, pid);
		if (!s->comm)
			s->comm = "<...>";
		s->pid = pid;
	}
	c->last_comm = s->comm;
	c->last_pid = pid;
	return c->last_comm;
}


/* ---- interface ---- */

struct nft_tep_decoder *nft_tep_decoder_new(struct tep_handle *tep)
{
	struct nft_tep_decoder *c = calloc(1, sizeof(*c));
	struct tep_event *any = tep ? tep_get_first_event(tep) : NULL;

	if (!c)
		return NULL;
	c->tep = tep;
	c->last_pid = -1;
	c->irq_key = ~0u;
	c->swap = tep && tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	/* No event formats at all: every record will be "unknown type". */
	c->c_type = any ? tep_find_common_field(any, "common_type") : NULL;
	c->info = calloc(MAX_EVENT_ID, sizeof(*c->info));
	if (!c->info) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void nft_tep_decoder_free(struct nft_tep_decoder *c)
{
	if (!c)
		return;
	free_infos(c);
	free(c);
}

int nft_tep_decode(struct nft_tep_decoder *c, const struct tep_record *rec,
		   int cpu, struct nft_event *ev)
{
	struct ev_info *ei;
	uint64_t v, fl = 0, pc = 0;

	nft_event_init(ev);
	if (!read_field(c, rec, c->c_type, false, &v) || v >= MAX_EVENT_ID)
		return NFT_TEP_UNKNOWN;
	if (!c->info[v]) {
		c->info[v] = make_info(c, v);
		if (v >= c->info_end)
			c->info_end = v + 1;
	}
	ei = c->info[v];
	if (!ei)
		return NFT_TEP_UNKNOWN;
	ev->kind = ei->kind;
	ev->name = ei->name;
	ev->cpu = cpu;
	ev->ts_ns = rec->ts;
	ev->have = NFT_HAVE_TS | NFT_HAVE_CPU;
	if ((uint32_t)rec->size >= ei->need) {
		/* the common fields are inside it too (set_need()) */
		const char *d = rec->data;
		unsigned int key;

		ev->pid = (int32_t)load(c, d + ei->c_pid->offset,
					ei->c_pid->size, true);
		ev->have |= NFT_HAVE_PID;
		ev->comm = comm_of(c, ev->pid);
		key = (unsigned int)load(c, d + ei->c_flags->offset,
					 ei->c_flags->size, false) & 0xff;
		key |= ((unsigned int)load(c, d + ei->c_preempt->offset,
					   ei->c_preempt->size, false) & 0xff) << 8;
		/* the same context as the record before, most of the time */
		if (key != c->irq_key) {
			format_irqs(c->irq_str, key & 0xff, key >> 8);
			c->irq_key = key;
		}
		memcpy(ev->irqs, c->irq_str, sizeof(ev->irqs));
		if (ei->kind == NFT_EV_OTHER)
			return NFT_TEP_OTHER;
		return decode_fields(c, ei, rec, ev) ? NFT_TEP_SHORT :
						       NFT_TEP_OURS;
	}
	if (read_field(c, rec, ei->c_pid, true, &v)) {
		ev->pid = (int32_t)v;
		ev->have |= NFT_HAVE_PID;
		ev->comm = comm_of(c, ev->pid);
	}
	read_field(c, rec, ei->c_flags, false, &fl);
	read_field(c, rec, ei->c_preempt, false, &pc);
	format_irqs(ev->irqs, fl, pc);
	if (ei->kind == NFT_EV_OTHER)
		return NFT_TEP_OTHER;
	return decode_fields(c, ei, rec, ev) ? NFT_TEP_SHORT : NFT_TEP_OURS;
}
