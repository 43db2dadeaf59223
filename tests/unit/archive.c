/*
 * archive_in/archive_out: what one writes the other reads back, in every
 * compression, with the compression detected from the bytes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive_entry.h>

#include "libcommon/archive_in.h"
#include "libcommon/archive_out.h"
#include "tests/unit/tap.h"

static const char *
write_one(enum compression c, char *path)
{
	struct archive_out_opts o = ARCHIVE_OUT_DEFAULTS;
	struct archive_out *a;
	static char big[300000];
	int fd;

	memset(big, 'x', sizeof(big));
	o.compression = c;
	o.threads = 2;
	strcpy(path, "/tmp/ckpt-unit-archive.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return "mkstemp";
	a = archive_out_open_fd(fd, &o);
	if (a == NULL || archive_out_buffer(a, "manifest.json", "{}\n", 3, 0644, 0) != 0)
		return "write manifest";
	struct archive_out_entry dir = { .path = "checkpoint", .type = S_IFDIR, .perm = 0755 };
	struct archive_out_entry link = { .path = "checkpoint/parent", .type = S_IFLNK,
	    .perm = 0777, .link = "../pre" };
	if (archive_out_header(a, &dir) != 0 || archive_out_header(a, &link) != 0 ||
	    archive_out_buffer(a, "checkpoint/pages-1.img", big, sizeof(big), 0600, 0) != 0)
		return "write entries";
	if (archive_out_close(a) != 0)
		return "close";
	close(fd);
	return NULL;
}

static int
reads_back(const char *path, enum compression want)
{
	struct archive *a = archive_in_open(path);
	struct archive_entry *ae;
	char buf[4096];
	long total = 0, n;
	int entries = 0, ok = 1;

	if (a == NULL)
		return 0;
	while (archive_read_next_header(a, &ae) == ARCHIVE_OK) {
		entries++;
		if (entries == 1 && archive_in_compression(a) != want)
			ok = 0;
		if (entries == 3 && strcmp(archive_entry_symlink(ae), "../pre") != 0)
			ok = 0;
		while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
			total += n;
	}
	archive_read_free(a);
	return ok && entries == 4 && total == 3 + 300000;
}

int
main(void)
{
	static const enum compression all[] = {
		COMPRESS_NONE, COMPRESS_GZIP, COMPRESS_XZ, COMPRESS_ZSTD,
	};
	enum compression c;
	char path[64];

	tap_plan(9);
	for (size_t i = 0; i < 4; i++) {
		const char *why = write_one(all[i], path);

		tap_ok(why == NULL && reads_back(path, all[i]),
		    "%s: written, read back, compression detected", compression_name(all[i]));
		unlink(path);
	}
	tap_ok(archive_in_open("/nonexistent/archive") == NULL, "a missing file is an error");
	tap_ok(compression_from_name("zst", &c) == 0 && c == COMPRESS_ZSTD, "zst names zstd");
	tap_ok(compression_from_name("bzip2", &c) == -1, "bzip2 is not offered");
	tap_ok(strcmp(compression_name(COMPRESS_GZIP), "gzip") == 0, "gzip's name");
	tap_ok(write_one(COMPRESS_ZSTD, path) == NULL && truncate(path, 200) == 0 &&
	    !reads_back(path, COMPRESS_ZSTD), "a truncated zstd stream does not read back");
	unlink(path);
	return tap_done();
}
