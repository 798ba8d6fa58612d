/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading the module, for the in-VM suites. */
#ifndef BTF_FILTER_VM_MODULE_H
#define BTF_FILTER_VM_MODULE_H

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

#define MODULE_PATH	"/btf_filter.ko"

/* Load the module file at path, or unload the module called name. */
static inline int load_ko(const char *path)
{
	int fd = open(path, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static inline int unload_ko(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static inline int load_module(void)
{
	return load_ko(MODULE_PATH);
}

static inline int unload_module(void)
{
	return unload_ko("btf_filter");
}

/* Unload, waiting up to 5 s for the last user to go, and load again. */
static inline int reload_module(void)
{
	int tries = 0, ret;

	while ((ret = unload_module()) == -EWOULDBLOCK && tries++ < 5000)
		usleep(1000);
	if (ret && ret != -ENOENT)
		return ret;
	return load_module();
}

#endif
