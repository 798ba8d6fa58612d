// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * The kernel backend: the query goes to /dev/btf_filter, which filters the
 * running kernel's own BTF.  Buffers start at a size that fits most
 * results; on EMSGSIZE the kernel says what is needed and we retry once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libbtf_filter.h"
#include "lib_internal.h"
#include "btf_filter_core.h"

#define BF_FIRST_BUF	(256 * 1024)
#define BF_FIRST_MAP	16384

static int bf_ioctl_query(int fd, struct btf_filter_query *q, void **buf,
			  __u32 **map)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		free(*buf);
		free(*map);
		*buf = malloc(q->buf_len ? q->buf_len : 1);
		*map = malloc((q->id_map_len ? q->id_map_len : 1) * sizeof(__u32));
		if (!*buf || !*map)
			return -ENOMEM;
		q->buf_ptr = (__u64)(unsigned long)*buf;
		q->id_map_ptr = (__u64)(unsigned long)*map;
		if (!ioctl(fd, BTF_FILTER_IOC_QUERY, q))
			return 0;
		if (errno != EMSGSIZE)
			return -errno;
	}
	return -EMSGSIZE;
}

int bf_kernel_info(struct btf_filter_info *info, const char *source)
{
	int fd = open(BTF_FILTER_DEVICE, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->source_ptr = (__u64)(unsigned long)source;
	if (ioctl(fd, BTF_FILTER_IOC_INFO, info))
		ret = -errno;
	close(fd);
	return ret;
}

int bf_kernel_query(const struct bf_query *bq, const struct btf_filter_opts *o,
		    struct bf_result *res)
{
	struct btf_filter_query q = {
		.size = sizeof(q),
		.flags = bq->flags,
		.mode = bq->mode,
		.sel_len = bq->sel_len,
		.sel_ptr = (__u64)(unsigned long)bq->sels,
		.buf_len = BF_FIRST_BUF,
		.id_map_len = bq->flags & BTF_FILTER_F_ID_MAP ? BF_FIRST_MAP : 0,
		.log_ptr = (__u64)(unsigned long)o->log_buf,
		.log_len = o->log_buf ? o->log_size : 0,
		/* vmlinux, or a module's name: the library sends no path */
		.source_ptr = (__u64)(unsigned long)o->source,
	};
	void *buf = NULL;
	__u32 *map = NULL;
	int fd, ret;

	fd = open(BTF_FILTER_DEVICE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (o->log_buf && o->log_size)
			snprintf(o->log_buf, o->log_size,
				 "cannot open %s (is the btf_filter module loaded?)",
				 BTF_FILTER_DEVICE);
		return ret;
	}
	ret = bf_ioctl_query(fd, &q, &buf, &map);
	close(fd);
	res->nr_missing = q.nr_missing;
	res->first_missing = q.first_missing;
	if (!ret && bq->max_blob && q.buf_len > bq->max_blob) {
		if (o->log_buf && o->log_size)
			snprintf(o->log_buf, o->log_size,
				 "result of %u bytes is over the limit of %u",
				 q.buf_len, bq->max_blob);
		ret = -E2BIG;
	}
	if (ret) {
		free(buf);
		free(map);
		return ret;
	}
	res->blob = buf;
	res->blob_len = q.buf_len;
	res->nr_types = q.nr_types;
	if (bq->flags & BTF_FILTER_F_ID_MAP) {
		res->id_map = map;
	} else {
		free(map);
	}
	return 0;
}
