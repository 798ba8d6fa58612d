/* SPDX-License-Identifier: GPL-2.0 */
/* Random selectors over a real BTF, for the differential tests. */
#ifndef BTF_FILTER_RANDSEL_H
#define BTF_FILTER_RANDSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/btf.h>

/* IDs of named, selectable types into named (room for every type). */
__u32 randsel_names(const struct btf *src, __u32 *named);

/* One random selector into buf; *missing set if it names nothing. */
void randsel_one(const struct btf *src, const __u32 *named, __u32 nr_named,
		 unsigned int *seed, char *buf, size_t sz, bool *missing);

/*
 * *id passed through typedefs and modifiers (and arrays and pointers, if
 * deref), at most 32 steps: the type it ends at (void for 0), or NULL for
 * an ID past the last type.
 */
const struct btf_type *randsel_skip(const struct btf *src, __u32 *id,
				    bool deref);

/*
 * One random fields-mode selector: a member path of one to three named
 * members (through anonymous ones and behind pointers), or an enum value.
 */
void randsel_path(const struct btf *src, unsigned int *seed, char *buf,
		  size_t sz, bool *missing);

#endif /* BTF_FILTER_RANDSEL_H */
