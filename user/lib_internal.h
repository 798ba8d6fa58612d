/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Inside libbtf_filter: what the kernel backend hands back. */
#ifndef BTF_FILTER_LIB_INTERNAL_H
#define BTF_FILTER_LIB_INTERNAL_H

#include <stddef.h>

#include "libbtf_filter.h"

#ifndef offsetofend
#define offsetofend(T, m)	(offsetof(T, m) + sizeof(((T *)0)->m))
#endif

struct bf_kresult {
	void *blob;		/* malloc()ed */
	__u32 blob_len;
	__u32 nr_types;
	__u32 *id_map;		/* malloc()ed, or NULL */
	__u32 nr_missing;
	__u32 first_missing;
};

int bf_kernel_query(const char *packed, __u32 sel_len,
		    const struct btf_filter_opts *o, struct bf_kresult *kr);
int bf_kernel_info(struct btf_filter_info *info);

#endif /* BTF_FILTER_LIB_INTERNAL_H */
