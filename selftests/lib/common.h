/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers every suite shares: the clock, files, comparing results. */
#ifndef BTF_FILTER_COMMON_H
#define BTF_FILTER_COMMON_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libbtf_filter.h"

/* Seconds on clock (CLOCK_MONOTONIC, or a CPU-time clock). */
static inline double clock_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline double now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* Where make kernels put Debian's kernels (BTF_FILTER_KERNELS). */
static inline const char *kernels_dir(void)
{
	const char *d = getenv("BTF_FILTER_KERNELS");

	return d ? d : "build/kernels";
}

/* The whole file at path, malloc()ed, with its size; NULL on error. */
static inline void *read_file(const char *path, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap), *nb;
	int fd = open(path, O_RDONLY);
	ssize_t got = 0;

	while (buf && fd >= 0 && (got = read(fd, buf + n, cap - n)) > 0) {
		n += got;
		if (n == cap && (nb = realloc(buf, cap *= 2)))
			buf = nb;
		else if (n == cap)
			got = -1;
	}
	if (fd >= 0)
		close(fd);
	if (!buf || fd < 0 || got < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Write size bytes to DIR/NAME.btf, for check-blobs.sh; dir NULL: none. */
static inline void save_blob(const char *dir, const char *name,
			     const void *data, __u32 size)
{
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.btf", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
}

/* The same blob, and the same ID map (if either has one). */
static inline bool same_result(const struct btf_filter_result *a,
			       const struct btf_filter_result *b)
{
	const __u32 *ma, *mb;
	const void *da, *db;
	__u32 sa, sb, na, nb;

	da = btf_filter_result__data(a, &sa);
	db = btf_filter_result__data(b, &sb);
	ma = btf_filter_result__id_map(a, &na);
	mb = btf_filter_result__id_map(b, &nb);
	return sa == sb && !memcmp(da, db, sa) && na == nb &&
	       (!na || !memcmp(ma, mb, na * sizeof(__u32)));
}

#endif /* BTF_FILTER_COMMON_H */
