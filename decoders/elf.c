// SPDX-License-Identifier: GPL-2.0
/*
 * Vocabulary from a kernel build: find the .BTF section of a module or
 * vmlinux with libelf (or take a raw BTF file as is), read its trace enums
 * with btf.c, or, when there is no .BTF but there is .debug_info, read the
 * same enums from DWARF with libdw; then hold every enumerator against
 * vocab_kernel.c, so that
 * "this kernel emits symbols this build does not know" is said before a
 * capture is ever taken, not discovered as unknown symbols in one.
 *
 * Compressed modules (.ko.xz, .ko.zst, .ko.gz) are undone in memory by the
 * input layer, which recognizes the compression from the content.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "decoder.h"
#include "elf.h"
#include "../libnetfs-trace/vocab_kernel.h"

/* A vmlinux with DWARF is about 1 GiB; refuse what can't be a kernel. */
#define KOBJ_MAX_SIZE (4ull << 30)

struct kobj {
	const char *path;
	char what[80];		/* "module netfs", "vmlinux", "raw BTF" */
	char vermagic[128];
	bool has_dwarf;
	unsigned char *btf_bytes;	/* NULL: no .BTF */
	size_t btf_len;
	struct nft_btf *btf;
	/* From DWARF, when there is no .BTF: the trace enums only. */
	bool from_dwarf;
	unsigned long dw_cus;
	size_t dw_nenums;
	struct nft_btf_enum dw_enums[NFT_SYMC__NR];
	struct nft_btf_enumval *dw_vals[NFT_SYMC__NR];	/* owned */
};

/* Read all of @path, decompressed.  Caller frees *@buf. */
static int slurp(const char *path, unsigned char **buf, size_t *len)
{
	struct nft_input *in = nft_input_open(path);
	size_t cap = 1 << 20, n = 0;
	unsigned char *b;
	long r;

	if (!in)
		return -1;
	b = malloc(cap);
	if (!b)
		goto fail;
	for (;;) {
		if (n == cap) {
			unsigned char *nb;

			if (cap >= KOBJ_MAX_SIZE) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(b, cap * 2);
			if (!nb)
				goto fail;
			b = nb;
			cap *= 2;
		}
		r = nft_input_read(in, b + n, cap - n);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += r;
	}
	nft_input_close(in);
	*buf = b;
	*len = n;
	return 0;
fail:
	free(b);
	nft_input_close(in);
	return -1;
}

/* "name=netfs\0vermagic=6.1.0-56-amd64 SMP ...\0" */
static void parse_modinfo(struct kobj *k, const char *p, size_t len)
{
	const char *end = p + len;

	while (p < end) {
		size_t n = strnlen(p, end - p);

		if (n > 5 && !strncmp(p, "name=", 5))
			snprintf(k->what, sizeof(k->what), "module %.*s",
				 (int)(n - 5), p + 5);
		else if (n > 9 && !strncmp(p, "vermagic=", 9)) {
			size_t m = n - 9;

			while (m && p[9 + m - 1] == ' ')
				m--;
			snprintf(k->vermagic, sizeof(k->vermagic), "%.*s",
				 (int)m, p + 9);
		}
		p += n + 1;
	}
}

static int copy_btf(struct kobj *k, Elf_Scn *scn, GElf_Shdr *sh)
{
	Elf_Data *d;

	if (sh->sh_flags & SHF_COMPRESSED) {
		if (elf_compress(scn, 0, 0) < 0)
			return -1;
	}
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || !d->d_size)
		return 0;
	k->btf_bytes = malloc(d->d_size);
	if (!k->btf_bytes)
		return -1;
	memcpy(k->btf_bytes, d->d_buf, d->d_size);
	k->btf_len = d->d_size;
	return 0;
}

/*
 * The size of an absolute relocation libdw needs applied to read names in
 * the .debug_* sections of a relocatable file (a module, a .o): 4 or 8, 0
 * for one to leave alone (pc-relative, lengths: nothing we read), -1 for a
 * machine we do not know.
 */
static int reloc_size(GElf_Half machine, unsigned int type)
{
	switch (machine) {
	case EM_X86_64:
		return type == R_X86_64_64 ? 8 :
		       type == R_X86_64_32 || type == R_X86_64_32S ? 4 : 0;
	case EM_386:
		return type == R_386_32 ? 4 : 0;
	case EM_AARCH64:
		return type == R_AARCH64_ABS64 ? 8 :
		       type == R_AARCH64_ABS32 ? 4 : 0;
	case EM_ARM:
		return type == R_ARM_ABS32 ? 4 : 0;
	case EM_RISCV:
		return type == R_RISCV_64 ? 8 : type == R_RISCV_32 ? 4 : 0;
	case EM_PPC64:
		return type == R_PPC64_ADDR64 ? 8 :
		       type == R_PPC64_ADDR32 ? 4 : 0;
	case EM_S390:
		return type == R_390_64 ? 8 : type == R_390_32 ? 4 : 0;
	default:
		return -1;
	}
}

static uint64_t get_word(const unsigned char *p, int size, bool msb)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[msb ? size - 1 - i : i] << (8 * i);
	return v;
}

static void put_word(unsigned char *p, int size, bool msb, uint64_t v)
{
	int i;

	for (i = 0; i < size; i++)
		p[msb ? size - 1 - i : i] = v >> (8 * i);
}

/*
 * libdw reads a relocatable file's DWARF as it is, and there every string
 * offset into .debug_str is 0 plus a relocation (RELA) or an addend in
 * place (REL).  Apply the absolute ones to the .debug_* sections in memory
 * (@e reads a private, writable copy of the file).
 */
static int relocate_debug(Elf *e, const GElf_Ehdr *eh, size_t shstrndx,
			  char *err, size_t errlen)
{
	bool msb = eh->e_ident[EI_DATA] == ELFDATA2MSB;
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn))) {
		Elf_Scn *tscn, *symscn;
		Elf_Data *rd, *td, *sd;
		GElf_Shdr sh, tsh, ssh;
		const char *tname;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) ||
		    (sh.sh_type != SHT_RELA && sh.sh_type != SHT_REL))
			continue;
		tscn = elf_getscn(e, sh.sh_info);
		symscn = elf_getscn(e, sh.sh_link);
		if (!tscn || !symscn || !gelf_getshdr(tscn, &tsh) ||
		    !gelf_getshdr(symscn, &ssh))
			continue;
		tname = elf_strptr(e, shstrndx, tsh.sh_name);
		if (!tname || strncmp(tname, ".debug_", 7) ||
		    tsh.sh_type == SHT_NOBITS)
			continue;
		if ((tsh.sh_flags & SHF_COMPRESSED) && elf_compress(tscn, 0, 0) < 0)
			goto elf_fail;
		rd = elf_getdata(scn, NULL);
		td = elf_getdata(tscn, NULL);
		sd = elf_getdata(symscn, NULL);
		if (!rd || !td || !sd || !td->d_buf)
			goto elf_fail;
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (i = 0; i < n; i++) {
			GElf_Rela r;
			GElf_Sym sym;
			uint64_t addend;
			unsigned char *p;
			int size;

			if (sh.sh_type == SHT_RELA) {
				if (!gelf_getrela(rd, i, &r))
					goto elf_fail;
			} else {
				GElf_Rel rel;

				if (!gelf_getrel(rd, i, &rel))
					goto elf_fail;
				r.r_offset = rel.r_offset;
				r.r_info = rel.r_info;
				r.r_addend = 0;
			}
			size = reloc_size(eh->e_machine,
					  eh->e_ident[EI_CLASS] == ELFCLASS64 ?
					  GELF_R_TYPE(r.r_info) :
					  ELF32_R_TYPE(r.r_info));
			if (size < 0) {
				snprintf(err, errlen, "cannot relocate the DWARF of a relocatable file for machine %u",
					 eh->e_machine);
				return -1;
			}
			if (!size)
				continue;
			if (r.r_offset > td->d_size ||
			    td->d_size - r.r_offset < (size_t)size ||
			    !gelf_getsym(sd, GELF_R_SYM(r.r_info), &sym)) {
				snprintf(err, errlen, "bad relocation in %s", tname);
				return -1;
			}
			p = (unsigned char *)td->d_buf + r.r_offset;
			addend = sh.sh_type == SHT_RELA ? (uint64_t)r.r_addend :
							  get_word(p, size, msb);
			put_word(p, size, msb, sym.st_value + addend);
		}
	}
	return 0;
elf_fail:
	snprintf(err, errlen, "cannot read the DWARF relocations: %s",
		 elf_errmsg(-1));
	return -1;
}

/* One enum type DIE: keep it if it is the first of a trace enum's name. */
static int dw_enum(struct kobj *k, Dwarf_Die *die)
{
	const char *name = dwarf_diename(die);
	int cls = nft_kenum_class(name);
	struct nft_btf_enumval *vals = NULL;
	struct nft_btf_enum *en;
	Dwarf_Die c;
	size_t i, n = 0, cap = 0;

	if (cls < 0 || k->dw_vals[cls] || dwarf_hasattr(die, DW_AT_declaration))
		return 0;
	if (dwarf_child(die, &c) == 0) {
		do {
			Dwarf_Attribute a;
			Dwarf_Sword sv;
			Dwarf_Word uv;
			const char *vname;

			if (dwarf_tag(&c) != DW_TAG_enumerator)
				continue;
			vname = dwarf_diename(&c);
			if (!dwarf_attr(&c, DW_AT_const_value, &a))
				continue;
			if (n == cap) {
				struct nft_btf_enumval *nv;

				cap = cap ? cap * 2 : 32;
				nv = realloc(vals, cap * sizeof(*vals));
				if (!nv)
					goto nomem;
				vals = nv;
			}
			if (dwarf_formsdata(&a, &sv) == 0)
				vals[n].value = sv;
			else if (dwarf_formudata(&a, &uv) == 0)
				vals[n].value = (int64_t)uv;
			else
				continue;
			/* No name: counted as unreadable, like BTF's. */
			vals[n].name = vname ? strdup(vname) : NULL;
			if (vname && !vals[n].name)
				goto nomem;
			n++;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	if (!vals) {
		/* An enum with no enumerators still counts as found. */
		vals = malloc(sizeof(*vals));
		if (!vals)
			goto nomem;
	}
	k->dw_vals[cls] = vals;
	en = &k->dw_enums[k->dw_nenums++];
	en->name = nft_kenum_name(cls);
	en->nvals = n;
	en->vals = vals;
	return 0;
nomem:
	for (i = 0; i < n; i++)
		free((char *)vals[i].name);
	free(vals);
	return -1;
}

/* @die and its siblings, with their children. */
static int dw_walk(struct kobj *k, Dwarf_Die *die)
{
	Dwarf_Die d = *die, c;

	do {
		if (dwarf_tag(&d) == DW_TAG_enumeration_type) {
			if (dw_enum(k, &d))
				return -1;
		} else if (dwarf_haschildren(&d) && dwarf_child(&d, &c) == 0) {
			if (dw_walk(k, &c))
				return -1;
		}
	} while (dwarf_siblingof(&d, &d) == 0);
	return 0;
}

/* The trace enums of @e's DWARF, for a file without .BTF. */
static int load_dwarf(struct kobj *k, Elf *e, const GElf_Ehdr *eh,
		      size_t shstrndx, char *err, size_t errlen)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf *dw;
	int rc = 0;

	if (eh->e_type == ET_REL &&
	    relocate_debug(e, eh, shstrndx, err, errlen))
		return -1;
	dw = dwarf_begin_elf(e, DWARF_C_READ, NULL);
	if (!dw) {
		snprintf(err, errlen, "cannot read DWARF: %s", dwarf_errmsg(-1));
		return -1;
	}
	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, c;

		if (dwarf_offdie(dw, off + hsize, &cu)) {
			k->dw_cus++;
			if (dwarf_child(&cu, &c) == 0 && dw_walk(k, &c)) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
				break;
			}
		}
		off = next;
	}
	dwarf_end(dw);
	if (!rc)
		k->from_dwarf = true;
	return rc;
}

static int load_elf(struct kobj *k, unsigned char *buf, size_t len,
		    char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t shstrndx;
	Elf *e;
	int rc = -1;

	elf_version(EV_CURRENT);
	e = elf_memory((char *)buf, len);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    elf_getshdrstrndx(e, &shstrndx)) {
		snprintf(err, errlen, "malformed ELF file: %s", elf_errmsg(-1));
		goto out;
	}
	snprintf(k->what, sizeof(k->what), "%s",
		 eh.e_type == ET_REL ? "module" : "vmlinux");
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (!name || sh.sh_type == SHT_NOBITS)
			continue;
		if (!strcmp(name, ".BTF")) {
			if (copy_btf(k, scn, &sh)) {
				snprintf(err, errlen, "cannot read .BTF: %s",
					 elf_errmsg(-1));
				goto out;
			}
		} else if (!strcmp(name, ".modinfo")) {
			Elf_Data *d = elf_getdata(scn, NULL);

			if (d && d->d_buf)
				parse_modinfo(k, d->d_buf, d->d_size);
		} else if (!strcmp(name, ".debug_info")) {
			k->has_dwarf = true;
		}
	}
	if (!k->btf_bytes && k->has_dwarf &&
	    load_dwarf(k, e, &eh, shstrndx, err, errlen))
		goto out;
	rc = 0;
out:
	if (e)
		elf_end(e);
	return rc;
}

/* Fill @k from its file: the BTF bytes and what the file is. */
static int load_kobj(struct kobj *k, char *err, size_t errlen)
{
	unsigned char *buf;
	size_t len;
	int rc;

	if (slurp(k->path, &buf, &len)) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (len >= 4 && !memcmp(buf, ELFMAG, SELFMAG)) {
		rc = load_elf(k, buf, len, err, errlen);
		free(buf);
		return rc;
	}
	if (len >= 2 && buf[0] == 0x9f && buf[1] == 0xeb) {
		snprintf(k->what, sizeof(k->what), "raw BTF");
		k->btf_bytes = buf;
		k->btf_len = len;
		return 0;
	}
	free(buf);
	snprintf(err, errlen, "neither an ELF file (kernel module, vmlinux) nor raw BTF");
	return -1;
}

static int parse_kobj(struct kobj *k, const struct nft_btf *base,
		      char *err, size_t errlen)
{
	nft_btf_free(k->btf);
	k->btf = nft_btf_parse(k->btf_bytes, k->btf_len, base, err, errlen);
	return k->btf ? 0 : -1;
}

static bool is_standalone(const struct kobj *k)
{
	struct nft_btf_info info;

	if (!k->btf)
		return false;
	nft_btf_get_info(k->btf, &info);
	return info.base == NFT_BTF_STANDALONE;
}

/*
 * The class of an enum: by its type name, or, when that name is in base
 * BTF we lack, by the class most of its enumerators belong to.
 */
static int enum_class(const struct nft_btf_enum *en, bool *guessed)
{
	int best = -1, best_n = 0, c;
	uint32_t i;

	*guessed = false;
	if (en->name)
		return nft_kenum_class(en->name);
	for (c = 0; c < NFT_SYMC__NR; c++) {
		int n = 0;

		for (i = 0; i < en->nvals; i++)
			n += nft_kenum_lookup(c, en->vals[i].name) > 0;
		if (n > best_n) {
			best = c;
			best_n = n;
		}
	}
	if (best >= 0 && (uint32_t)best_n * 2 >= en->nvals) {
		*guessed = true;
		return best;
	}
	return -1;
}

static bool ours_by_name(const char *name)
{
	return name && (!strncmp(name, "netfs_", 6) ||
			!strncmp(name, "fscache_", 8) ||
			!strncmp(name, "cachefiles_", 11));
}

struct tally {
	unsigned long known, unknown, unresolved;
	bool found[NFT_SYMC__NR];
};

static void report_enum(FILE *out, const struct nft_btf_enum *en, int cls,
			bool guessed, struct tally *t)
{
	/* List every mapping too: tests/vocab/crosscheck.py checks them. */
	bool verbose = getenv("NFT_VOCAB_VERBOSE") != NULL;
	unsigned long known = 0, unknown = 0, unresolved = 0;
	uint32_t i;

	for (i = 0; i < en->nvals; i++) {
		int v;

		if (!en->vals[i].name) {
			unresolved++;
			continue;
		}
		v = nft_kenum_lookup(cls, en->vals[i].name);
		if (v > 0)
			known++;
		else if (v == 0)
			unknown++;
	}
	fprintf(out, "  enum %-30s %3lu known", nft_kenum_name(cls), known);
	if (unknown)
		fprintf(out, ", %lu UNKNOWN", unknown);
	if (unresolved)
		fprintf(out, ", %lu unreadable", unresolved);
	if (guessed)
		fprintf(out, " (type name is in base BTF; told by its enumerators)");
	fputc('\n', out);
	for (i = 0; i < en->nvals; i++) {
		const char *name = en->vals[i].name;
		int v = name ? nft_kenum_lookup(cls, name) : -1;

		if (v == 0)
			fprintf(out, "    unknown: %s = %lld\n", name,
				(long long)en->vals[i].value);
		else if (v > 0 && verbose)
			fprintf(out, "    %s = %lld -> \"%s\"\n", name,
				(long long)en->vals[i].value,
				nft_sym_name(cls, v));
	}
	if (unresolved)
		fprintf(out, "    %lu enumerator names are in base BTF: pass vmlinux too (--vocab VMLINUX or --btf-base)\n",
			unresolved);
	t->known += known;
	t->unknown += unknown;
	t->unresolved += unresolved;
	t->found[cls] = true;
}

/* The enums of @k, from its BTF or its DWARF alike. */
static size_t kobj_enum_count(const struct kobj *k)
{
	return k->btf ? nft_btf_enum_count(k->btf) : k->dw_nenums;
}

static const struct nft_btf_enum *kobj_enum_at(const struct kobj *k, size_t i)
{
	return k->btf ? nft_btf_enum_at(k->btf, i) : &k->dw_enums[i];
}

static void report_btf_info(FILE *out, const struct kobj *k)
{
	struct nft_btf_info info;

	nft_btf_get_info(k->btf, &info);
	fprintf(out, "  BTF: %u types, %u string bytes, ", info.types,
		info.str_len);
	switch (info.base) {
	case NFT_BTF_STANDALONE:
		fprintf(out, "standalone\n");
		break;
	case NFT_BTF_BASE_GIVEN:
		fprintf(out, "split, on the base given\n");
		break;
	case NFT_BTF_BASE_INFERRED:
		fprintf(out, "split, base strings not given (their size, %u, worked out from the module)\n",
			info.str_start);
		break;
	case NFT_BTF_BASE_UNKNOWN:
		fprintf(out, "split, base unknown: only names inside the module can be read\n");
		break;
	}
	if (info.base_mismatch)
		fprintf(out, "  warning: the base BTF given does not fit this module (another kernel build?): ignored\n");
}

static void report_kobj(FILE *out, const struct kobj *k, struct tally *t)
{
	unsigned long others = 0, in_base = 0, ours = 0;
	size_t i, n = kobj_enum_count(k);

	fprintf(out, "%s: %s%s%s\n", k->path, k->what,
		k->vermagic[0] ? ", " : "", k->vermagic);
	if (k->btf)
		report_btf_info(out, k);
	else
		fprintf(out, "  DWARF: %lu compilation units, no .BTF section\n",
			k->dw_cus);
	for (i = 0; i < n; i++) {
		const struct nft_btf_enum *en = kobj_enum_at(k, i);
		bool guessed;
		int cls = enum_class(en, &guessed);

		if (cls >= 0)
			report_enum(out, en, cls, guessed, t);
		else if (ours_by_name(en->name))
			ours++;
		else if (!en->name)
			in_base++;
		else
			others++;
	}
	if (ours) {
		const char *sep = "  not trace symbol enums: ";

		for (i = 0; i < n; i++) {
			const struct nft_btf_enum *en = kobj_enum_at(k, i);
			bool guessed;

			if (enum_class(en, &guessed) >= 0 || !ours_by_name(en->name))
				continue;
			fprintf(out, "%s%s", sep, en->name);
			sep = ", ";
		}
		fputc('\n', out);
	}
	if (in_base)
		fprintf(out, "  %lu enums named in base BTF and not recognizable by their enumerators\n",
			in_base);
	if (others)
		fprintf(out, "  (%lu other enums ignored)\n", others);
}

static void free_kobj(struct kobj *k)
{
	size_t i;
	uint32_t j;

	nft_btf_free(k->btf);
	free(k->btf_bytes);
	for (i = 0; i < k->dw_nenums; i++) {
		for (j = 0; j < k->dw_enums[i].nvals; j++)
			free((char *)k->dw_enums[i].vals[j].name);
	}
	for (i = 0; i < NFT_SYMC__NR; i++)
		free(k->dw_vals[i]);
}

int nft_vocab_report(FILE *out, const char *prog, const char *const *paths,
		     int npaths, const char *btf_base)
{
	struct kobj *ks, basek = { .path = btf_base };
	const struct nft_btf *base = NULL;
	struct tally t = { 0 };
	char err[256];
	int i, status = 0, missing = 0, reported = 0;

	ks = calloc(npaths, sizeof(*ks));
	if (!ks) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 2;
	}
	if (btf_base) {
		if (load_kobj(&basek, err, sizeof(err)) || !basek.btf_bytes ||
		    parse_kobj(&basek, NULL, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", prog, btf_base,
				basek.btf_bytes || err[0] ? err : "no BTF");
			status = 2;
			goto out;
		}
		if (!is_standalone(&basek)) {
			fprintf(stderr, "%s: %s: not a base BTF (it is split BTF itself)\n",
				prog, btf_base);
			status = 2;
			goto out;
		}
		base = basek.btf;
	}
	/* Load everything; the standalone ones (vmlinux) become the base. */
	for (i = 0; i < npaths; i++) {
		struct kobj *k = &ks[i];

		k->path = paths[i];
		err[0] = 0;
		if (load_kobj(k, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", prog, k->path, err);
			status = 2;
			continue;
		}
		if (k->from_dwarf)
			continue;
		if (!k->btf_bytes) {
			fprintf(stderr, "%s: %s: no BTF (.BTF section) and no DWARF (.debug_info); build the kernel with CONFIG_DEBUG_INFO_BTF%s or CONFIG_DEBUG_INFO\n",
				prog, k->path,
				strncmp(k->what, "module", 6) ? "" :
					"_MODULES");
			status = 2;
			continue;
		}
		if (parse_kobj(k, NULL, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", prog, k->path, err);
			status = 2;
			continue;
		}
		if (!base && is_standalone(k))
			base = k->btf;
	}
	for (i = 0; i < npaths; i++) {
		struct kobj *k = &ks[i];

		if (!k->btf && !k->from_dwarf)
			continue;
		if (k->btf && base && !is_standalone(k) &&
		    parse_kobj(k, base, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", prog, k->path, err);
			status = 2;
			continue;
		}
		report_kobj(out, k, &t);
		reported++;
	}
	if (!reported)
		goto out;
	fprintf(out, "expected, found in none of these files:");
	for (i = 0; i < NFT_SYMC__NR; i++) {
		if (t.found[i])
			continue;
		fprintf(out, "%s%s", missing ? ", " : " ", nft_kenum_name(i));
		missing++;
	}
	fprintf(out, "%s\n", missing ? "" : " none");
	fprintf(out, "summary: %lu symbols known, %lu unknown", t.known,
		t.unknown);
	if (t.unresolved)
		fprintf(out, ", %lu unreadable without vmlinux's BTF",
			t.unresolved);
	fprintf(out, "; %d of %d enums found\n", NFT_SYMC__NR - missing,
		NFT_SYMC__NR);
	if (t.unknown)
		fprintf(out, "this kernel emits symbols this build does not know: their lines decode with the symbol kept verbatim, and analyses that need it may miss findings\n");
	if (status == 0 && (t.unknown || t.unresolved))
		status = 1;
out:
	for (i = 0; i < npaths; i++)
		free_kobj(&ks[i]);
	free_kobj(&basek);
	free(ks);
	return status;
}
