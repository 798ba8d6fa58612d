/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test oracle: the closure and the structural comparison, written
 * against libbpf's API only.  It shares no code with core/, so a result
 * that agrees with it was checked by something that did not produce it.
 */
#ifndef BTF_FILTER_ORACLE_H
#define BTF_FILTER_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/btf.h>

enum oracle_keep {
	ORACLE_OUT = 0,
	ORACLE_WHOLE,	/* kept as it is */
	ORACLE_STUB,	/* a struct/union replaced by a FWD of its name */
};

/*
 * Fill keep[0..btf__type_cnt(src)) for the closure of roots; shallow mode
 * stops at pointers to named structs and unions.  Returns kept count.
 */
size_t oracle_closure(const struct btf *src, const __u32 *roots,
		      size_t nr_roots, bool shallow, unsigned char *keep);

/*
 * Root IDs a selector names ("name", "kind name", "#id"), appended to
 * ids (room for btf__type_cnt(src)); returns how many, -1 if malformed.
 */
int oracle_roots(const struct btf *src, const char *sel, __u32 *ids);

/*
 * Check res (with id_map, result ID i + 1 -> source map[i]) against src
 * and keep: the same set, and every type structurally identical to its
 * source through the map.  Returns 0, or -1 with a message in err.
 */
int oracle_compare(const struct btf *src, const unsigned char *keep,
		   const struct btf *res, const __u32 *map, __u32 nr_map,
		   char *err, size_t err_sz);

#endif /* BTF_FILTER_ORACLE_H */
