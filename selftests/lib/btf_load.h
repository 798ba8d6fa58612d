/* SPDX-License-Identifier: GPL-2.0 */
/* The running kernel's BTF checker as a test oracle. */
#ifndef BTF_FILTER_BTF_LOAD_H
#define BTF_FILTER_BTF_LOAD_H

#include <bpf/bpf.h>

/*
 * BPF_BTF_LOAD the blob: an fd to close, or -1 with errno set and the
 * last line of the kernel's verifier log in log.
 */
static inline int kernel_btf_check(const void *data, __u32 size, char *log,
				   size_t log_sz)
{
	static char klog[1 << 16];
	LIBBPF_OPTS(bpf_btf_load_opts, opts);
	char *last;
	int fd, err;

	log[0] = 0;
	fd = bpf_btf_load(data, size, NULL);
	if (fd >= 0)
		return fd;
	err = errno;
	opts.log_buf = klog;
	opts.log_size = sizeof(klog);
	opts.log_level = 1;
	klog[0] = 0;
	fd = bpf_btf_load(data, size, &opts);
	if (fd >= 0) {
		close(fd);
		snprintf(log, log_sz, "(passed on a second try)");
	} else {
		while ((last = strrchr(klog, '\n')) && !last[1])
			*last = 0;
		last = strrchr(klog, '\n');
		snprintf(log, log_sz, "%s", last ? last + 1 : klog);
	}
	errno = err;
	return -1;
}

#endif /* BTF_FILTER_BTF_LOAD_H */
