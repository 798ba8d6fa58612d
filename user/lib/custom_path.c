// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * btf_filter__custom_path(): the filtered BTF where libbpf opens it, as
 * bpf_object_open_opts.btf_custom_path: a sealed memfd of this process,
 * named "/proc/self/fd/N".  No file is written anywhere, and nothing the
 * process does later can change the bytes under libbpf.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libbtf_filter.h"
#include "lib_internal.h"
#include "core_relo.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL	0x0008U		/* 6.3+: never executable */
#endif

struct bf_custom_path {
	int fd;
	char path[32];		/* "/proc/self/fd/N": what the caller gets */
};

/*
 * A sealed memfd holding size bytes of data, never executable where the
 * kernel can say so (6.3+): its fd, or -errno.
 */
static int bf_memfd(const void *data, __u32 size)
{
	const unsigned int flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
	const char *p = data;
	int fd, err;

	fd = memfd_create("btf_filter", flags | MFD_NOEXEC_SEAL);
	if (fd < 0 && errno == EINVAL)	/* a kernel before 6.3 */
		fd = memfd_create("btf_filter", flags);
	if (fd < 0)
		return -errno;
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {	/* 0 would never end: no progress */
			err = n ? -errno : -EIO;
			goto fail;
		}
		p += n;
		size -= n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
				   F_SEAL_WRITE | F_SEAL_SEAL)) {
		err = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return err;
}

/*
 * The selectors of the objects' CO-RE relocations, then sels, into set:
 * 0, or a negative errno with a line in o's log.
 */
static int bf_obj_selectors(const char *const *objs, size_t nr_objs,
			    const char *const *sels, size_t nr_sels,
			    const struct btf_filter_opts *o, struct sel_set *set)
{
	char err[512] = "";
	int bad = 0, e;
	size_t i;

	for (i = 0; i < nr_objs; i++) {
		if (!objs[i]) {
			snprintf(err, sizeof(err), "object %zu is NULL", i);
			e = -EINVAL;
			goto fail;
		}
		e = core_relo_selectors(objs[i], set, NULL, NULL, &bad, err,
					sizeof(err));
		if (e)
			goto fail;
		if (bad) {
			e = -EINVAL;
			goto fail;
		}
	}
	for (i = 0; i < nr_sels; i++) {
		if (!sels[i] || sel_set_add(set, sels[i])) {
			snprintf(err, sizeof(err), "%s",
				 sels[i] ? strerror(ENOMEM) : "a selector is NULL");
			e = sels[i] ? -ENOMEM : -EINVAL;
			goto fail;
		}
	}
	if (!set->nr) {
		snprintf(err, sizeof(err), "the objects have no CO-RE relocation that needs the kernel's BTF: open them without btf_custom_path");
		e = -ENODATA;
		goto fail;
	}
	return 0;
fail:
	bf_set_log(o, err);
	return e;
}

/* What was asked makes sense: 0, or -EINVAL with a line in o's log. */
static int bf_check_args(const char *const *objs, size_t nr_objs,
			 const char *const *sels, size_t nr_sels,
			 const struct btf_filter_opts *o)
{
	char err[128];

	if (!nr_objs && !nr_sels)
		snprintf(err, sizeof(err), "no objects and no selectors given");
	else if (!objs && nr_objs)
		snprintf(err, sizeof(err), "objs is NULL but nr_objs is %zu",
			 nr_objs);
	else if (!sels && nr_sels)
		snprintf(err, sizeof(err), "sels is NULL but nr_sels is %zu",
			 nr_sels);
	else
		return 0;
	bf_set_log(o, err);
	return -EINVAL;
}

char *btf_filter__custom_path(const char *const *objs, size_t nr_objs,
			      const char *const *sels, size_t nr_sels,
			      const struct btf_filter_opts *opts)
{
	struct btf_filter_result *r;
	struct sel_set set = { 0 };
	struct btf_filter_opts o;
	struct bf_custom_path *p;
	const void *data;
	__u32 size;
	int err;

	err = bf_get_opts(opts, &o);
	if (!err) {
		bf_set_log(&o, "");	/* no stale line survives */
		err = bf_check_args(objs, nr_objs, sels, nr_sels, &o);
	}
	if (!err && nr_objs) {
		err = bf_obj_selectors(objs, nr_objs, sels, nr_sels, &o, &set);
		/* what libbpf looks up for a relocation, as from-obj asks */
		o.mode = BTF_FILTER_MODE_FIELDS;
		o.flags |= BTF_FILTER_F_ALLOW_MISSING;
	}
	if (err) {
		sel_set_free(&set);
		errno = -err;
		return NULL;
	}
	if (nr_objs)
		r = btf_filter__query((const char *const *)set.sels, set.nr, &o);
	else
		r = btf_filter__query(sels, nr_sels, &o);
	sel_set_free(&set);
	if (!r)
		return NULL;
	data = btf_filter_result__data(r, &size);
	p = malloc(sizeof(*p));
	err = p ? bf_memfd(data, size) : -ENOMEM;
	btf_filter_result__free(r);
	if (err < 0) {
		char msg[64];

		snprintf(msg, sizeof(msg), "the memfd for libbpf: %s",
			 strerror(-err));
		bf_set_log(&o, msg);
		free(p);
		errno = -err;
		return NULL;
	}
	p->fd = err;
	snprintf(p->path, sizeof(p->path), "/proc/self/fd/%d", p->fd);
	return p->path;
}

void btf_filter__custom_path_free(char *path)
{
	struct bf_custom_path *p;
	int err = errno;

	if (!path)
		return;
	p = (struct bf_custom_path *)(path - offsetof(struct bf_custom_path,
						      path));
	close(p->fd);
	free(p);
	errno = err;
}
