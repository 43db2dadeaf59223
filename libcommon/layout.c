#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "libcommon/layout.h"

enum layout_dir
layout_dir_kind(int dirfd)
{
	struct stat st;

	if (fstatat(dirfd, "inventory.img", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		return LAYOUT_DIR_IMAGES;
	if (fstatat(dirfd, LAYOUT_IMAGES, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode))
		return LAYOUT_DIR_TREE;
	return LAYOUT_DIR_NONE;
}

const char *
layout_image_name(const char *path)
{
	size_t n = strlen(LAYOUT_IMAGES);

	if (strncmp(path, LAYOUT_IMAGES, n) == 0 && path[n] == '/' && path[n + 1])
		return path + n + 1;
	return NULL;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
rank(const char *path)
{
	const char *img = layout_image_name(path);

	if (strcmp(path, LAYOUT_MANIFEST) == 0)
		return 0;
	if (strcmp(path, LAYOUT_SUMS) == 0)
		return 9;
	if (strcmp(path, LAYOUT_STATS) == 0)
		return 8;
	if (strcmp(path, LAYOUT_IMAGES) == 0)
		return 2;
	if (img == NULL)
		return 1;
	if (strcmp(img, "inventory.img") == 0)
		return 3;
	if (strcmp(img, "pstree.img") == 0)
		return 4;
	if (starts(img, "pagemap-"))
		return 6;
	if (starts(img, "pages-"))
		return 7;
	return 5;
}

int
layout_compare(const char *a, const char *b)
{
	int ra = rank(a), rb = rank(b);

	return ra != rb ? ra - rb : strcmp(a, b);
}
