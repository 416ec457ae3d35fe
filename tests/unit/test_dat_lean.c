// SPDX-License-Identifier: GPL-2.0
/*
 * decoders/dat_zcpu.c nft_zcpu_unpack_lean(): the metadata copy libtracecmd
 * (and the checking child) open for a sound compressed v7 file.  It must
 * carry every event format (but ftrace's when no record needs them), the
 * uname and the buffer layout of the file, and leave out only the kallsyms
 * (what made opening slow); a file whose
 * metadata is cut off must be refused, not read.  Corpus captures
 * (NFT_CORPUS, default ../shared/corpus); skipped when absent.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "decoders/dat_zcpu.h"
#include "tap.h"

const char *tracecmd_get_uname(struct tracecmd_input *handle);
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);

static const char *corpus_dir(void)
{
	const char *d = getenv("NFT_CORPUS");

	return d && *d ? d : "../shared/corpus";
}

static long long fsize(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

static bool is_ftrace(const struct tep_event *e)
{
	return e->system && !strcmp(e->system, "ftrace");
}

/*
 * @keep_ftrace: NETFS_REPLAY_DAT_FTRACE=1, every format kept; else the
 * ftrace formats are left out when no record is of an ftrace event (none
 * of these captures has one), and every record still has its format.
 */
static void test_file(const char *path, bool keep_ftrace, bool large)
{
	int fd = open(path, O_RDONLY), lean = -1, full = -1;
	struct tracecmd_input *ho, *hl;
	struct tep_handle *to, *tl;
	struct tep_record *rec;
	int i, same = 1, want = 0, cpu, unknown = 0, kept, all, there = 0;
	bool no_ftrace = !keep_ftrace;

	keep_ftrace |= large;	/* too many records to look at: all kept */

	if (fd < 0) {
		ok(1, "# skip %s: absent", path);
		return;
	}
	if (keep_ftrace && !large)
		setenv("NETFS_REPLAY_DAT_FTRACE", "1", 1);
	is(nft_zcpu_unpack_lean(fd, &lean, &no_ftrace, &kept, &all, NULL), 0,
	   "lean copy made");
	unsetenv("NETFS_REPLAY_DAT_FTRACE");
	ok(no_ftrace == !keep_ftrace, "%s: ftrace formats %s", path,
	   large ? "kept (more records than NFT_DAT_SCAN_MAX)" :
	   keep_ftrace ? "kept (NETFS_REPLAY_DAT_FTRACE=1)" : "left out");
	is(nft_zcpu_unpack(fd, &full), 0, "full copy made");
	ok(lean >= 0 && full >= 0 && fsize(full) - fsize(lean) > 100000,
	   "%s: the lean copy leaves out the kallsyms (%lld vs %lld bytes)",
	   path, fsize(lean), fsize(full));
	ho = tracecmd_open_fd(dup(fd), TRACECMD_FL_LOAD_NO_PLUGINS);
	hl = lean >= 0 ? tracecmd_open_fd(dup(lean), TRACECMD_FL_LOAD_NO_PLUGINS) : NULL;
	ok(ho && hl, "libtracecmd opens the file and the lean copy");
	if (!ho || !hl)
		goto out;
	to = tracecmd_get_tep(ho);
	tl = tracecmd_get_tep(hl);
	for (i = 0; i < tep_get_events_count(to); i++) {
		struct tep_event *e = tep_get_event(to, i);
		struct tep_event *l = tep_find_event(tl, e->id);

		if (!keep_ftrace && is_ftrace(e)) {
			if (l)
				same = 0;
			continue;
		}
		want++;
		if (l)
			there++;
		if (keep_ftrace && !l)
			same = 0;
		if (l && (strcmp(l->name, e->name) || strcmp(l->system, e->system) ||
			  l->format.nr_fields != e->format.nr_fields))
			same = 0;
	}
	ok(want > 20, "%d formats of netfs, fscache, cachefiles%s", want,
	   keep_ftrace ? " and ftrace" : "");
	if (keep_ftrace) {
		ok(tep_get_events_count(tl) == want && !kept,
		   "every event format is there");
	} else {
		ok(all == want && kept == there && kept < all / 2 &&
		   tep_get_events_count(tl) == kept,
		   "only the formats the records need: %d of %d", kept, all);
	}
	ok(same, "the same ids, names, systems and fields");
	while ((rec = tracecmd_read_next_data(ho, &cpu))) {
		if (!tep_find_event(tl, tep_data_type(to, rec)))
			unknown++;
		tracecmd_free_record(rec);
	}
	is(unknown, 0, "every record's event has its format in the lean copy");
	is_str(tracecmd_get_uname(hl), tracecmd_get_uname(ho), "the same uname");
	is(tep_get_cpus(tl), tep_get_cpus(to), "the same cpu count");
	is(tracecmd_buffer_instances(hl), tracecmd_buffer_instances(ho),
	   "the same buffer instances");
	is(tep_get_page_size(tl), tep_get_page_size(to), "the same page size");
out:
	if (hl)
		tracecmd_close(hl);
	if (ho)
		tracecmd_close(ho);
	if (lean >= 0)
		close(lean);
	if (full >= 0)
		close(full);
	close(fd);
}

/* Metadata cut off (the options and sections past 64 KiB gone): refused. */
static void test_cut(const char *path)
{
	char tmpl[] = "/tmp/nft-lean-XXXXXX";
	int fd = open(path, O_RDONLY), out = mkstemp(tmpl), copy = -1;
	int kept, all;
	bool no_ftrace;
	char buf[65536];
	ssize_t n;

	if (fd < 0 || out < 0) {
		ok(1, "# skip cut %s", path);
		goto out;
	}
	unlink(tmpl);
	n = read(fd, buf, sizeof(buf));
	ok(n > 0 && write(out, buf, n) == n, "a copy cut at 64 KiB");
	ok(nft_zcpu_unpack_lean(out, &copy, &no_ftrace, &kept, &all, NULL) != 0 && copy < 0,
	   "cut metadata: no lean copy");
out:
	if (copy >= 0)
		close(copy);
	if (out >= 0)
		close(out);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	static const char *files[] = {
		"7.2.13+deb14-amd64/dioread.dat",
		"6.12.107+deb13-amd64/smb_dio.dat",
		"6.1.0-56-amd64/dioread.dat",
	};
	char path[4096];
	size_t i;

	tep_set_loglevel(TEP_LOG_NONE);
	tracecmd_set_loglevel(TEP_LOG_NONE);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", corpus_dir(), files[i]);
		test_file(path, false, false);
		test_file(path, true, false);
	}
	snprintf(path, sizeof(path), "%s/%s", corpus_dir(),
		 "6.12.107+deb13-amd64/seqread.dat");
	test_file(path, false, true);
	snprintf(path, sizeof(path), "%s/%s", corpus_dir(), files[0]);
	test_cut(path);
	return tap_done();
}
