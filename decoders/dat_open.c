// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat: opening the file for libtracecmd -- compression it lacks or
 * that is damaged, a lean metadata copy, and crash isolation (a checking
 * child opens what libtracecmd will open before we do).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "dat_internal.h"
#include "dat_page.h"
#include "dat_syms.h"
#include "dat_zcpu.h"
#include "decoder.h"

/* ---- opening, instances ---- */

bool dat_skip_kallsyms;

/*
 * libtracecmd parses the file's kallsyms (4 MB, one sscanf per line) on
 * every open: more than half the run time of a typical capture, for symbols
 * no netfs, fscache or cachefiles format prints.  While decode_trace_dat()
 * opens a file for field decoding we skip it; everyone else, and raw
 * rendering (other systems' events may print %pS), gets the real parser.
 */
int tep_parse_kallsyms(struct tep_handle *tep, const char *kallsyms)
{
	static int (*real)(struct tep_handle *, const char *);

	if (dat_skip_kallsyms)
		return 0;
	if (!real)
		real = (int (*)(struct tep_handle *, const char *))
			dlsym(RTLD_NEXT, "tep_parse_kallsyms");
	return real ? real(tep, kallsyms) : -1;
}

void dat_silence_libs(void)
{
	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
}

/*
 * libtraceevent and libtracecmd crash on some damaged metadata while a
 * file is being opened (a NULL dereference in tep_parse_event(), a failing
 * tracecmd_open_fd() crashing in its own cleanup; trace-cmd report dies the
 * same way).  Open it once in a child first: if the child dies, refuse the
 * file instead of dying.  That costs one more open (20-30 ms), so only
 * files whose metadata reaches the parsers as stored get it.
 */
/* In the child: everything decode_trace_dat() will open.  0 ok, 2 refused. */
static int try_open(int fd)
{
	struct tracecmd_input *h = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	int i, n;

	if (!h)
		return 2;
	n = tracecmd_buffer_instances(h);
	for (i = 0; i < n; i++) {
		struct tracecmd_input *ih = tracecmd_buffer_instance_handle(h, i);

		if (ih)
			tracecmd_close(ih);
	}
	return 0;
}

/* A v7 file whose sections and cpu data trace-cmd compressed? */
static bool compressed_v7(int fd)
{
	char head[64];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	const char *comp;

	if (n < 20 || memcmp(head, "\027\010\104tracing7", 12))
		return false;
	head[n] = 0;
	comp = head + 12 + 1 + 1 + 4;	/* endian, long size, page size */
	return *comp && strcmp(comp, "none");
}

/*
 * A v7 file compressed with an algorithm this libtracecmd was built
 * without (Debian 12's has zstd, not zlib) cannot be opened at all; say so
 * rather than "corrupt".  Fills @name.
 */
static bool compression_unsupported(int fd, char *name, size_t size)
{
	char head[128];
	ssize_t n = pread(fd, head, sizeof(head) - 1, 0);
	const char *comp, *ver;

	if (n < 20 || memcmp(head, "\027\010\104tracing7", 12))
		return false;
	head[n] = 0;
	comp = head + 18;
	ver = comp + strlen(comp) + 1;
	if (ver >= head + n || !*comp || !strcmp(comp, "none"))
		return false;
	snprintf(name, size, "%.40s %.40s", comp, ver);
	return !tracecmd_compress_is_supported(comp, ver);
}

static bool opens_safely(int fd, int *sig)
{
	char procpath[64];
	int status;
	pid_t pid;

	*sig = 0;
	pid = fork();
	if (pid < 0)
		return true;	/* cannot isolate: take the chance */
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);
		int own;

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		/* our own file description: the parent's offset stays put */
		snprintf(procpath, sizeof(procpath), "/proc/self/fd/%d", fd);
		own = open(procpath, O_RDONLY);
		_exit(own >= 0 ? try_open(own) : 2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return true;
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 ||
				  WEXITSTATUS(status) == 2))
		return true;
	*sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	return false;
}

/*
 * Compressed cpu data that libtracecmd's open would fail or crash on goes
 * to dat_zcpu.c only: libtracecmd gets a copy without it (when @own_reader).
 * Returns the descriptor for libtracecmd's open (@fd or the copy, which
 * *meta_fd then holds), or -1 when libtracecmd must be tried in a child.
 */
static int cpu_data_check(int fd, bool own_reader, struct nft_diag *diag,
			  const char *fname, int *meta_fd)
{
	int copy, bad = nft_zcpu_check(fd, &copy);

	*meta_fd = -1;
	if (bad > 0 && !own_reader)
		close(copy);
	if (bad < 0 || (bad > 0 && !own_reader))
		return -1;
	if (!bad)
		return fd;
	nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
			"the compressed data of %d cpu(s) is damaged where libtracecmd cannot open it: libtracecmd reads the metadata from a copy without that data",
			bad);
	*meta_fd = copy;
	return copy;
}

/*
 * A compressed v7 file cut short: read the copy dat_zcpu.c mends.  false
 * when it is cut before anything can be read.
 */
static bool mend_v7(struct nft_diag *diag, const char *fname, int *fd,
		    int *spool_fd, struct nft_dat_cut *cut)
{
	int copy, r = nft_zcpu_mend(*fd, &copy, cut);
	char where[64];

	if (!r)
		return true;
	if (r < 0) {
		snprintf(where, sizeof(where), "offset %llu",
			 (unsigned long long)cut->size);
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short before its cpu data (or where it cannot be located): no records can be read");
		return false;
	}
	if (*spool_fd >= 0)
		close(*spool_fd);
	else
		close(*fd);
	*fd = *spool_fd = copy;
	return true;
}

/* Say what a cut took; the records before it are read. */
static void report_cut(struct nft_diag *diag, const char *fname,
		       const struct nft_dat_cut *cut)
{
	char where[64], cpus[256] = "";
	size_t len = 0;
	int i, more = 0;

	if (!cut->found)
		return;
	snprintf(where, sizeof(where), "offset %llu",
		 (unsigned long long)cut->size);
	for (i = 0; i < cut->ncpus; i++) {
		if (!cut->cpu[i])
			continue;
		if (len > sizeof(cpus) - 64) {
			more++;
			continue;
		}
		len += snprintf(cpus + len, sizeof(cpus) - len, "%scpu %d %s",
				len ? ", " : "", i,
				cut->cpu[i] == NFT_CUT_ALL ? "all of its data" :
				"the rest of its data");
	}
	if (more)
		snprintf(cpus + len, sizeof(cpus) - len, " and %d more cpus", more);
	if (cut->what == NFT_CUT_WHERE_TOP && len)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short (truncated) inside the cpu data: the records before the cut are read; lost: %s (treated as lost events)",
				cpus);
	else
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, where,
				"trace.dat cut short (truncated) after the top-level buffer: %s",
				cut->what == NFT_CUT_WHERE_INSTANCE ?
				"a buffer instance's data is cut off (and, in a v7 file, its name); the top level is complete" :
				"the end of the file is lost; every cpu's data is complete");
}

/*
 * A file compressed with what this libtracecmd lacks (zlib on Debian 12):
 * libtracecmd opens an uncompressed copy of the metadata, dat_zcpu.c reads
 * the cpu data.  Returns the copy (also in *meta_fd), or -1 after saying
 * why the file cannot be read.
 */
static int unpacked_metadata(int fd, bool own_reader, const char *comp_name,
			     struct nft_diag *diag, const char *fname,
			     int *meta_fd)
{
	int ret = own_reader ? nft_zcpu_unpack(fd, meta_fd) : 1;

	if (!ret)
		return *meta_fd;
	if (ret < 0)
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 18",
				"trace.dat compressed with %s, which this libtracecmd cannot decompress, and its metadata does not decompress with it either: the file is corrupt or truncated; no records can be read",
				comp_name);
	else
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 18",
				"trace.dat compressed with %s, which this libtracecmd cannot decompress%s; convert it where trace-cmd can: trace-cmd convert --compression none -i IN -o OUT",
				comp_name, own_reader ? "" :
				" (NETFS_REPLAY_DAT_READER=libtracecmd turns off the built-in zstd/zlib chunk reader)");
	return -1;
}

static bool is_v7(int fd)
{
	char head[12];

	return pread(fd, head, sizeof(head), 0) == sizeof(head) &&
	       !memcmp(head, "\027\010\104tracing7", 12);
}

/* Our page loop may read uncompressed cpu data (see dat_merge.c open_raw()). */
static bool raw_allowed(void)
{
	const char *env = getenv("NETFS_REPLAY_DAT_RAW");

	return !env || strcmp(env, "0");
}

/*
 * On success *data_fd is our descriptor of the file (the spool when there
 * is one), for dat_zcpu.c; the caller closes it.  *lib_blind says that
 * libtracecmd was given a copy without some cpus' data.  *lean_fd: the lean
 * metadata copy libtracecmd opened (checked by the child), for any second
 * open of the file (pick_instance()); -1 when there is none, else the
 * caller closes it.  @syms (may be NULL) gets the __print_symbolic() tables
 * of the lean copy's formats whose print fmt it leaves out: the caller gives
 * them to libtraceevent (nft_dat_syms_attach()) when *lean_fd >= 0.
 * *lean_raw: that copy is a v6 file's (dat_v6_lean()),
 * without cpu data: our page loop must read it.
 */
struct tracecmd_input *dat_open_input(struct nft_input *in,
				      struct nft_diag *diag,
				      const char *fname, bool own_reader,
				      int *spool_fd, int *data_fd,
				      bool *lib_blind, int *lean_fd,
				      bool *lean_raw, struct nft_dat_cut *cut,
				      struct nft_dat_syms *syms)
{
	const char *path = nft_input_path(in);
	const char *comp = nft_input_compression(in);
	struct tracecmd_input *h;
	int fd, lfd, e, sig, meta_fd = -1, lib_fd;
	char comp_name[96];
	bool lean = false, no_ftrace = false;
	int kept = 0, all = 0;

	*spool_fd = -1;
	*data_fd = -1;
	*lean_fd = -1;
	*lean_raw = false;
	/* never reopened by name: a FIFO would block, a pipe lose its head */
	fd = path && comp && !strcmp(comp, "none") ? nft_input_file_fd(in) : -1;
	if (fd < 0) {
		fd = dat_spool(in, diag, fname);
		*spool_fd = fd;
	}
	if (fd < 0) {
		e = errno;
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"cannot open: %s", strerror(e));
		errno = e;
		return NULL;
	}
	if (!dat_trim_trailing(diag, fname, &fd, spool_fd) ||
	    !dat_check_v6(diag, fname, &fd, spool_fd, cut) ||
	    !mend_v7(diag, fname, &fd, spool_fd, cut)) {
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	report_cut(diag, fname, cut);
	{
		struct nft_page_fmt pf;

		/* every page kbuffer loads from here on is checked first */
		nft_page_guard(nft_page_fmt_read(fd, &pf) ? &pf : NULL);
	}
	if (compression_unsupported(fd, comp_name, sizeof(comp_name))) {
		lib_fd = unpacked_metadata(fd, own_reader, comp_name, diag,
					   fname, &meta_fd);
		if (lib_fd < 0) {
			if (*spool_fd < 0)
				close(fd);
			errno = ENOTSUP;
			return NULL;
		}
	} else {
		lib_fd = compressed_v7(fd) ?
			cpu_data_check(fd, own_reader, diag, fname, &meta_fd) : fd;
		if (lib_fd < 0)
			lib_fd = fd;
		/*
		 * Sound compressed cpu data our reader reads: libtracecmd (and
		 * the checking child) open an uncompressed copy of the metadata
		 * without the kallsyms, unless raw rendering wants the symbols.
		 */
		else if (lib_fd == fd && meta_fd < 0 && own_reader &&
			 dat_skip_kallsyms && compressed_v7(fd) &&
			 nft_zcpu_unpack_lean(fd, &meta_fd, &no_ftrace, &kept,
					      &all, syms) == 0) {
			lib_fd = meta_fd;
			lean = true;
		} else if (lib_fd == fd && meta_fd < 0 && own_reader &&
			   dat_skip_kallsyms && !cut->found && raw_allowed() &&
			   dat_lean_raw_copy(fd, &meta_fd, &no_ftrace, &kept,
					     &all, syms) == 0) {
			/*
			 * A sound uncompressed file (v6, or v7 without
			 * compression) our page loop reads whole: the same,
			 * without kallsyms, printk formats and cpu data.
			 */
			lib_fd = meta_fd;
			lean = true;
			*lean_raw = true;
		}
	}
	if (getenv("NETFS_REPLAY_DAT_SAY_OPEN"))
		nft_diag_report(diag, NFT_DIAG_NOTE, fname, "offset 0",
				"libtracecmd opens %s%s (%d of %d event formats, %d print fmts read by us)",
				!lean ? "the file" :
				!*lean_raw ? "a lean v7 copy" :
				compressed_v7(fd) || !is_v7(fd) ? "a lean v6 copy" :
				"a lean v7 copy (no compression)",
				no_ftrace ? " without the ftrace formats" : "",
				kept, all, lean ? nft_dat_syms_count(syms) : 0);
	*lib_blind = meta_fd >= 0;
	/*
	 * Every file is opened in a child first, the compressed ones too:
	 * the fuzzer found v7 metadata that crashes tracecmd_open_fd() after
	 * it decompressed fine.  It costs one more open, ~20-40 ms.
	 */
	if (!opens_safely(lib_fd, &sig)) {
		nft_diag_report(diag, NFT_DIAG_ERROR, fname, "offset 0",
				"libtracecmd/libtraceevent crash opening this trace.dat (%s): its headers, event formats or cpu data are damaged; no records can be read",
				sig ? strsignal(sig) : "sanitizer abort");
		if (meta_fd >= 0)
			close(meta_fd);
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	/*
	 * Hand libtracecmd its own descriptor: tracecmd_close() closes it,
	 * but a failed tracecmd_open_fd() leaves it open on some paths.
	 */
	lfd = dup(lib_fd);
	if (meta_fd >= 0 && !lean)
		close(meta_fd);
	h = lfd < 0 ? NULL : tracecmd_open_fd(lfd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (lean && !h)
		close(meta_fd);
	else if (lean)
		*lean_fd = meta_fd;
	if (!h) {
		if (lfd >= 0 && fcntl(lfd, F_GETFD) != -1)
			close(lfd);
		dat_explain_open_failure(diag, fname, fd);
		if (*spool_fd < 0)
			close(fd);
		errno = EINVAL;
		return NULL;
	}
	*data_fd = fd;
	return h;
}
