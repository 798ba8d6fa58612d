// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Reading BTF from a file with pread() or in place, or from memory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "libbtf_filter.h"
#include "btf_fmt.h"
#include "source.h"

/*
 * The file on fd is sysfs's BTF_FILTER_SYSFS_BTF/NAME, where the kernel
 * puts its BTF: found by where the file is, not by the name the caller
 * gave.  Other sysfs files may let a process map them too (a PCI BAR is
 * device memory), and are not BTF.
 */
static bool bf_sysfs_btf(int fd)
{
	static const char dir[] = BTF_FILTER_SYSFS_BTF "/";
	char link[32], path[sizeof(dir) + NAME_MAX + 1];
	struct statfs sfs;
	ssize_t n;

	if (fstatfs(fd, &sfs) || sfs.f_type != SYSFS_MAGIC)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return false;
	path[n] = 0;
	return !strncmp(path, dir, sizeof(dir) - 1) &&
	       !strchr(path + sizeof(dir) - 1, '/');
}

/*
 * Map raw BTF of sysfs, whose bytes no one can change, if the kernel lets
 * us (6.16+ for vmlinux): a file of BTF_FILTER_SYSFS_BTF whose first bytes
 * (magic, as pread() found them) are BTF's.  Anything else is read with
 * pread().
 */
static void bf_source_map(struct bf_source *src, const unsigned char *magic)
{
	uint16_t m;
	void *p;

	memcpy(&m, magic, sizeof(m));
	if (!src->size || src->size > SIZE_MAX || m != BF_BTF_MAGIC ||
	    !bf_sysfs_btf(src->fd))
		return;
	p = mmap(NULL, src->size, PROT_READ, MAP_PRIVATE, src->fd, 0);
	if (p == MAP_FAILED)
		return;
	src->mem = p;
	src->map_len = src->size;
}

int bf_source_open(struct bf_source *src, const char *path, char *err,
		   size_t err_sz)
{
	unsigned char magic[4] = { 0 };
	struct stat st;
	ssize_t n;
	int ret;

	memset(src, 0, sizeof(*src));
	src->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0) {
		ret = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(src->fd, &st)) {
		ret = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, err_sz, "%s: not a regular file", path);
		goto fail;
	}
	src->size = st.st_size;
	n = pread(src->fd, magic, sizeof(magic), 0);
	if (n < 0) {
		ret = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (n == 4 && !memcmp(magic, "\177ELF", 4)) {
		ret = bf_elf_find_btf(src->fd, st.st_size, &src->base,
				      &src->size, err, err_sz);
		if (ret)
			goto fail;
		return 0;
	}
	bf_source_map(src, magic);
	return 0;
fail:
	bf_source_close(src);
	return ret;
}

void bf_source_close(struct bf_source *src)
{
	if (src->map_len)
		munmap((void *)src->mem, src->map_len);
	src->mem = NULL;
	src->map_len = 0;
	if (src->fd >= 0)
		close(src->fd);
	src->fd = -1;
}

int bf_source_read(void *ctx, uint64_t off, void *buf, uint32_t len)
{
	struct bf_source *src = ctx;
	uint8_t *p = buf;

	if (off > src->size || src->size - off < len)
		return -EIO;
	src->reads++;
	if (src->mem) {
		memcpy(buf, src->mem + off, len);
		return 0;
	}
	while (len) {
		ssize_t n = pread(src->fd, p, len, src->base + off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank */
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

const void *bf_source_ptr(void *ctx, uint64_t off, uint32_t len)
{
	const struct bf_source *src = ctx;

	return src->mem + off;	/* core/ checked off + len <= size */
}
