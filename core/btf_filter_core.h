/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * core/: the two-pass BTF filter.
 *
 * The filter reaches its input only through a reader (read_at) and its
 * memory only through an allocator, so the same code runs in the kernel
 * module (kernel_read() on /sys/kernel/btf/<name>, kvmalloc) and in
 * userspace (pread() on a file or memcpy from a buffer, malloc).
 *
 *   1. index pass:   validate the header, walk the type section once and
 *                    record each type's offset and which DECL_TAGs point at
 *                    which types (struct bf_index);
 *   2. closure pass: find the roots, follow references from them, and emit
 *                    a small self-contained BTF blob (struct bf_result).
 *
 * An index may be kept and reused by many queries (the source never
 * changes); queries only read it.  All functions return 0 or a negative
 * errno and log one line naming the type ID and what is wrong.
 */
#ifndef BTF_FILTER_CORE_H
#define BTF_FILTER_CORE_H

#include "bf_shim.h"

/* Closure modes; the values are the ABI's BTF_FILTER_MODE_*. */
enum bf_mode {
	BF_MODE_FULL = 0,
	BF_MODE_SHALLOW = 1,
	BF_MODE_FIELDS = 2,	/* member paths; see core/fields.c */
};

/* Query flags; the values are the ABI's BTF_FILTER_F_*. */
#define BF_Q_ALLOW_MISSING	(1U << 0)
#define BF_Q_ID_MAP		(1U << 1)

#define BF_SEL_NAME_MAX		512	/* longest name a selector may hold */
#define BF_MAX_TYPES		0xfffff	/* the kernel's BTF_MAX_TYPE */
#define BF_RESOLVE_DEPTH	32	/* the kernel's MAX_RESOLVE_DEPTH */

struct bf_reader {
	/* Copy exactly len bytes at off into buf: 0 or -errno. */
	int (*read_at)(void *ctx, u64 off, void *buf, u32 len);
	/*
	 * Optional, for sources already in memory: the bytes at off, which
	 * stay valid while the reader does.  Used instead of copying.
	 */
	const void *(*ptr_at)(void *ctx, u64 off, u32 len);
	void *ctx;
	u64 size;	/* bytes of BTF the reader holds */
};

struct bf_allocator {
	/* Zeroed memory or NULL.  free() gets back the size asked for. */
	void *(*zalloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
	void *ctx;
};

struct bf_env {
	struct bf_reader rd;
	/*
	 * A split source (a module's BTF) continues the type IDs and string
	 * offsets of a base (vmlinux): its reader, or size 0 for a source
	 * that stands alone.
	 */
	struct bf_reader base;
	struct bf_allocator mem;
	/* One line per error, no trailing newline; may be NULL. */
	void (*log)(void *ctx, const char *msg);
	void *log_ctx;
};

struct bf_index;

struct bf_query {
	const char *sels;	/* NUL-terminated selectors, back to back */
	u32 sel_len;		/* bytes at sels, the last one a NUL */
	u32 mode;		/* enum bf_mode */
	u32 flags;		/* BF_Q_* */
	u32 max_blob;		/* refuse (E2BIG) a larger result; 0: none */
};

struct bf_result {
	u8 *blob;		/* the BTF blob */
	u32 blob_len;
	u32 nr_types;		/* types in blob, void not counted */
	u32 *id_map;		/* [i]: source ID of result ID i + 1 */
	u32 nr_missing;		/* selectors that matched nothing */
	u32 first_missing;	/* index of the first of them */
	u32 src_types;		/* types in the source, void not counted */
	size_t blob_size;	/* allocation sizes, for bf_result_free() */
	size_t map_size;
};

/* Source facts, valid once an index exists. */
struct bf_source_info {
	u32 nr_types;		/* not counting void */
	u32 nr_decl_tags;
	u64 btf_size;		/* of the source itself, not its base */
	size_t index_bytes;	/* heap the index holds */
	bool sorted;		/* names found by binary search, no table */
	u32 base_types;		/* of a split source: the base's (IDs 1..) */
};

/*
 * bf_index_build() - validate the source's header and walk its type section,
 * for an index to keep.  Holds 4 bytes per type for offsets, 8 per DECL_TAG,
 * and a name table (4 bytes per type and per bucket) so that queries over
 * it look their roots up by name; nothing of the sections.  A sorted
 * source (7.0+) needs no name table: its names are found by binary search,
 * unless flags has BF_IDX_NAME_TABLE (for comparing the two).
 */
#define BF_IDX_NAME_TABLE	(1U << 0)

int bf_index_build(const struct bf_env *env, u32 flags,
		   struct bf_index **out);
void bf_index_free(const struct bf_env *env, struct bf_index *idx);
void bf_index_info(const struct bf_index *idx, struct bf_source_info *info);

/*
 * bf_query_run() - run one query: over kept, an index built from the same
 * reader, or with kept NULL, streaming both passes (the index lives only
 * for the query, with no name table).  On success fills *res, to be
 * released with bf_result_free().  On -ENOENT (a selector matched nothing
 * and BF_Q_ALLOW_MISSING is clear), res->first_missing says which.
 */
int bf_query_run(const struct bf_env *env, const struct bf_index *kept,
		 const struct bf_query *q, struct bf_result *res);

void bf_result_free(const struct bf_env *env, struct bf_result *res);

#endif /* BTF_FILTER_CORE_H */
