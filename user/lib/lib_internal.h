/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Inside libbtf_filter: the kernel backend, the options' check, the log. */
#ifndef BTF_FILTER_LIB_INTERNAL_H
#define BTF_FILTER_LIB_INTERNAL_H

#include <stddef.h>

#include "libbtf_filter.h"

#ifndef offsetofend
#define offsetofend(T, m)	(offsetof(T, m) + sizeof(((T *)0)->m))
#endif

struct bf_query;
struct bf_result;

/*
 * The query through /dev/btf_filter: the result into res (its blob and
 * id_map malloc()ed), or a negative errno.
 */
int bf_kernel_query(const struct bf_query *q, const struct btf_filter_opts *o,
		    struct bf_result *res);
int bf_kernel_info(struct btf_filter_info *info, const char *source);

/*
 * The caller's options (NULL: defaults) in this library's size: 0, or
 * -EINVAL for a size below the first field's end or unknown bytes that
 * are not zero.
 */
int bf_get_opts(const struct btf_filter_opts *opts, struct btf_filter_opts *o);

/* msg into o's log buffer, if it has one. */
void bf_set_log(const struct btf_filter_opts *o, const char *msg);

#endif /* BTF_FILTER_LIB_INTERNAL_H */
