/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Internals shared by the files of core/: the window cache over the reader,
 * allocation and logging helpers, and the index's layout.
 */
#ifndef BF_INTERNAL_H
#define BF_INTERNAL_H

#include "btf_filter_core.h"
#include "btf_fmt.h"

/* ---- allocation ---- */

/* A zero-byte request gets one byte: never ZERO_SIZE_PTR, never NULL. */
static inline void *bf_zalloc(const struct bf_env *env, size_t size)
{
	return env->mem.zalloc(env->mem.ctx, size ? size : 1);
}

static inline void bf_free(const struct bf_env *env, void *p, size_t size)
{
	if (p)
		env->mem.free(env->mem.ctx, p, size ? size : 1);
}

/* n * size, or 0 if that overflows (so the allocation fails cleanly). */
static inline size_t bf_array_size(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return 0;
	return n * size;
}

int __bf_grow(const struct bf_env *env, void **p, u32 *cap, u32 need,
	      size_t esz);

/* Grow *p (holding *cap elements of esz bytes) to at least need elements. */
static inline int bf_grow(const struct bf_env *env, void **p, u32 *cap,
			  u32 need, size_t esz)
{
	return need <= *cap ? 0 : __bf_grow(env, p, cap, need, esz);
}

/* Append the record [x, y] to *a (*nr records of two words, room for *cap). */
int bf_push_pair(const struct bf_env *env, u32 **a, u32 *nr, u32 *cap,
		 u32 x, u32 y);

/*
 * Sort n pairs of u32 words by first word then second, drop repeats, and
 * return how many are left.
 */
u32 bf_sort_unique_pairs(u32 *a, u32 n);
/* In sorted pairs: the first whose first word is key, or n if none. */
u32 bf_find_pair(const u32 *a, u32 n, u32 key);

/*
 * The first of n sorted u32s (each the first word of stride words) that is
 * not below key, or n.  Hand-written, inline, instead of bsearch() and its
 * comparison through a pointer; and without a branch on the comparison,
 * which the keys would mispredict half the time: every u32 before a[lo]
 * is below key, and the answer lies in [lo, lo + len].  emit patches every
 * string offset of a result through it.
 */
static inline u32 bf_lower_bound(const u32 *a, u32 n, u32 stride, u32 key)
{
	u32 lo = 0, len = n, half;

	if (!n)
		return 0;
	while (len > 1) {
		half = len / 2;
		lo = a[(lo + half) * stride] < key ? lo + half : lo;
		len -= half;
	}
	return lo + (a[lo * stride] < key);
}

/* The bits set in x. */
static inline u32 bf_popcount32(u32 x)
{
	x -= (x >> 1) & 0x55555555U;
	x = (x & 0x33333333U) + ((x >> 2) & 0x33333333U);
	x = (x + (x >> 4)) & 0x0f0f0f0fU;
	return (x * 0x01010101U) >> 24;
}

/* n u32 keys in ascending order (a radix sort): 0 or -ENOMEM. */
int bf_sort_keys(const struct bf_env *env, u32 *a, u32 n);

/*
 * FNV-1a over a name's bytes, last byte first, so that every suffix of a
 * string is hashed on the way as the string is read backwards from its NUL;
 * from a basis that seed (random for each query or index) changes, so that
 * colliding names cannot be worked out in advance to flood a table.
 */
u32 bf_name_key(u32 seed, const char *p, u32 len);

static inline u32 bf_key_basis(u32 seed)
{
	return 2166136261U ^ seed;
}

/* ---- logging ---- */

__printf(2, 3)
void bf_log(const struct bf_env *env, const char *fmt, ...);

/* ---- the window cache ---- */

#define BF_IO_WINDOWS	6
#define BF_IO_WSIZE	8192	/* 6 x 8 KiB of windows per query */
#define BF_IO_PEEK_MAX	4096	/* bf_io_ptr() serves at most this many */

struct bf_io_window {
	u64 start;
	u32 len;
	u32 age;
	u8 *buf;
};

/*
 * A sparse index keeps one record offset per group of 1 << BF_SPARSE_SHIFT
 * IDs: a 16th of the table.  A query's own streamed index is sparse in
 * shallow and fields mode, which read a few hundred records by ID; full
 * mode reads thousands and keeps every offset, as a kept index does.
 */
#define BF_SPARSE_SHIFT	4
#define BF_GROUP_SLOTS	64	/* groups an io remembers, by number mod 64 */

/* The offsets of a group's records, and where the last one ends. */
struct bf_group {
	u32 tag;	/* the group's number + 1; 0: none */
	u32 off[(1U << BF_SPARSE_SHIFT) + 1];
};

/*
 * Offsets are into one space: the base's bytes (part 0) at 0, the source's
 * own (part 1) from split_at, a multiple of 64 (0 with no base).  No window
 * spans both parts.
 */
struct bf_io {
	const struct bf_env *env;
	struct bf_io_window w[BF_IO_WINDOWS];
	u32 clock;
	u32 last;	/* the window that served the last call */
	u32 align[2];	/* each part's windows start at this offset mod 4 */
	u64 split_at;
	u64 reads;	/* read_at() calls made */
	struct bf_group *groups;	/* sparse index: groups walked lately */
	/*
	 * The source's own part when its reader holds it all in memory
	 * (ptr_at), 4-byte aligned: served in place, no window and no call.
	 */
	const u8 *mem;
	u64 mem_start;
	u64 mem_len;
};

/* Which part off is in: 0 the base, 1 the source itself. */
static inline u32 bf_io_part(const struct bf_io *io, u64 off)
{
	return off >= io->split_at;
}

/* Records of part from now on start at offset align mod 4. */
void bf_io_set_align(struct bf_io *io, u32 part, u32 align);

/* Copy len bytes at off of one part straight from its reader. */
int bf_io_direct(struct bf_io *io, u64 off, void *buf, u32 len);

int bf_io_init(struct bf_io *io, const struct bf_env *env);
void bf_io_fini(struct bf_io *io);

/*
 * Pointer to len (<= BF_IO_PEEK_MAX) bytes at off, valid until the next
 * bf_io_*() call; the caller has checked that they lie within the source.
 */
const void *__bf_io_ptr(struct bf_io *io, u64 off, u32 len, int *err);

/* len bytes at off where the source is held in memory (io->mem), or NULL. */
static inline const u8 *bf_io_held(const struct bf_io *io, u64 off, u32 len)
{
	u64 rel = off - io->mem_start;

	if (!io->mem || off < io->mem_start || rel > io->mem_len ||
	    io->mem_len - rel < len)
		return NULL;
	return io->mem + rel;
}

/* bf_io_held() for what a window could serve too: len <= BF_IO_PEEK_MAX. */
static inline const u8 *bf_io_in_place(const struct bf_io *io, u64 off,
				       u32 len)
{
	return len > BF_IO_PEEK_MAX ? NULL : bf_io_held(io, off, len);
}

static inline const void *bf_io_ptr(struct bf_io *io, u64 off, u32 len,
				    int *err)
{
	const struct bf_io_window *w = &io->w[io->last];
	const u8 *p = bf_io_in_place(io, off, len);

	/* in place only where u32 loads stay aligned, as in __bf_io_ptr() */
	if (p && !((off - io->mem_start) & 3))
		return p;
	if (off >= w->start && off + len <= w->start + w->len)
		return w->buf + (off - w->start);
	return __bf_io_ptr(io, off, len, err);
}

/* bf_io_ptr() for bytes (strings), which are read in place at any offset. */
static inline const void *bf_io_bytes(struct bf_io *io, u64 off, u32 len,
				      int *err)
{
	const u8 *p = bf_io_in_place(io, off, len);

	return p ? p : bf_io_ptr(io, off, len, err);
}

/* Copy len bytes at off into dst, any length. */
int bf_io_read(struct bf_io *io, u64 off, void *dst, u32 len);

/* ---- the index ---- */

#define BF_CHUNK_SHIFT	12	/* type offsets are kept in chunks of 4096 */
#define BF_CHUNK	(1U << BF_CHUNK_SHIFT)

struct bf_tag_ref {
	u32 target;	/* annotated type */
	u32 tag;	/* DECL_TAG's ID */
};

/*
 * Where the sections are, as offsets of bf_io.  A split source's strings
 * are the base's (offsets below base_str_len), then its own; its types are
 * the base's (IDs up to base_types), then its own.
 */
struct bf_sections {
	u32 hdr_len;
	u32 type_start;	/* the source's own sections */
	u32 type_end;
	u32 str_start;
	u32 str_len;	/* string offsets below this are valid: base's too */
	u32 layout_start;	/* the 7.1+ layout section, if nr_layout */
	u32 nr_layout;		/* its entries */
	u32 size;		/* bytes of the source itself */
	u32 base_type_start;	/* the base's, when there is one */
	u32 base_type_end;
	u32 base_str_start;
	u32 base_str_len;
	u32 base_layout_start;
	u32 base_nr_layout;
	u32 base_types;		/* IDs 1..base_types are the base's */
};

/*
 * Where string offset off (below sec->str_len) is read, and *left, the
 * bytes from there to the end of its part's string section.
 */
static inline u64 bf_str_at(const struct bf_sections *sec, u32 off,
			    u32 *left)
{
	if (off < sec->base_str_len) {
		*left = sec->base_str_len - off;
		return (u64)sec->base_str_start + off;
	}
	*left = sec->str_len - off;
	return (u64)sec->str_start + (off - sec->base_str_len);
}

struct bf_index {
	struct bf_sections sec;
	u32 nr_types;		/* IDs 1..nr_types exist */
	/*
	 * The walk checked every type ID and string offset of every record
	 * (a kept index).  A query's own streamed index checks only each
	 * record's head and extent: the closure and emit check every word
	 * they read anyway, and the words of the types they never reach
	 * cannot change the result.
	 */
	bool words_checked;
	/*
	 * Record offsets, in chunks of 4096: every record's (off_shift 0), or
	 * only that of the first record of each group of 1 << off_shift IDs
	 * (a sparse index), whose other records are found by a walk of the
	 * group (bf_type_off(), bf_group_off()).  offs[i >> 12][i & 4095].
	 */
	u32 **offs;
	u32 off_shift;
	u32 nr_chunks;
	u32 chunk_cap;
	struct bf_tag_ref *tags;	/* sorted by target, then tag */
	u32 nr_tags;
	u32 tag_cap;
	/*
	 * Kept indexes only: types chained by the hash of their name; none
	 * for a sorted source (7.0+ vmlinux: the anonymous types, then the
	 * named ones by name), whose names are found by binary search from
	 * first_named.
	 */
	u32 *name_head;		/* [nr_buckets]: first type ID, 0 none */
	u32 *name_next;		/* [nr_types + 1]: next in the chain */
	u32 nr_buckets;
	u32 seed;		/* of the name table's hash */
	bool sorted;
	u32 first_named;
	size_t bytes;
};

static inline u32 bf_index_off(const struct bf_index *idx, u32 i)
{
	return idx->offs[i >> BF_CHUNK_SHIFT][i & (BF_CHUNK - 1)];
}

/*
 * A sparse index keeps two words per group g: at 2g the offset of its
 * first record, at 2g + 1 a sum of its records' info words and sizes in
 * order, by bf_group_mix(), so that a walk of the group sees a record
 * that changed its size or kind, or changed places with another, even
 * where the group still ends where the next one starts.
 */
static inline u32 bf_group_off(const struct bf_index *idx, u32 g)
{
	return bf_index_off(idx, 2 * g);
}

static inline u32 bf_group_sum(const struct bf_index *idx, u32 g)
{
	return bf_index_off(idx, 2 * g + 1);
}

static inline u32 bf_group_mix(u32 sum, u32 info, u32 size)
{
	return sum * 0x01000193U + (info ^ size);
}

/*
 * The offset of record id (1..nr_types) in *off.  Over a sparse index this
 * walks id's group unless this io walked it lately; the walk checks each
 * record's extent and that the group ends where the index says the next
 * one starts.  0, or -EIO with a log line when the source has changed.
 */
int bf_type_off(struct bf_io *io, const struct bf_index *idx, u32 id,
		u32 *off);

/*
 * The head of type id, checked again as if the index pass had never seen
 * it: a known kind, a record that ends exactly where the index says the
 * next one starts, a name inside the string section.  The source may have
 * changed since it was indexed; this is what keeps a changed byte from
 * steering any later read.  0, or -EIO with a log line.
 */
int bf_read_type(struct bf_io *io, const struct bf_index *idx, u32 id,
		 struct bf_btf_type *t);

/*
 * A word of record id read again after the index pass: a type ID must
 * name a type, a string offset lie in the string section.  0, or -EIO
 * with a log line.  Every pass that follows a word read again checks it
 * here, through the record walk.
 */
int bf_check_again(struct bf_io *io, const struct bf_index *idx, u32 id,
		   u32 val, bool is_str);

/* Parse and check the header against the reader's size. */
int bf_parse_header(const struct bf_env *env, struct bf_io *io,
		    struct bf_sections *sec);

/* Bytes of the record whose head is t, of a kind core/ knows. */
static inline u32 bf_record_size(const struct bf_btf_type *t)
{
	const struct bf_kind_layout *l = &bf_kind_layouts[bf_kind(t)];

	return sizeof(*t) + l->fixed + bf_vlen(t) * l->elem;
}

/*
 * Bytes of record id (head t) in the source: by bf_kind_layouts, or for a
 * kind core/ does not know, by the source's layout section, read again
 * and checked each time.  0, or -EINVAL with a log line when neither
 * knows the kind.
 */
int bf_source_record_size(struct bf_io *io, const struct bf_sections *sec,
			  u32 id, u64 off, const struct bf_btf_type *t,
			  u64 *size);

/* ---- the one walk over a record ---- */

#define BF_WORD_IDS	1U	/* words that hold type IDs */
#define BF_WORD_STRS	2U	/* words that hold string offsets */

/*
 * The u32 words of one record that hold type IDs or string offsets, as
 * asked, in record order, head included (after libbpf's btf_field_iter):
 * every pass that looks inside a record goes through this, driven by
 * bf_kind_layouts.  The record's kind must be known (bf_kind_known()).
 */
struct bf_word_iter {
	u32 off;	/* byte offset of the current item in the record */
	u32 step;	/* bytes of the current item */
	u32 mask;	/* its wanted words not yet returned (bitmask) */
	u32 strs;	/* its words that are string offsets (bitmask) */
	u32 left;	/* entries still to come */
	bool head;	/* the current item is the head */
	u32 fixed;	/* the fixed part: bytes and wanted words */
	u32 fixed_mask;
	u32 elem;	/* each entry: bytes, wanted words, string words */
	u32 elem_mask;
	u32 elem_strs;
};

static inline void bf_word_iter_init(struct bf_word_iter *it,
				     const struct bf_btf_type *t, u32 want)
{
	const struct bf_kind_layout *l = &bf_kind_layouts[bf_kind(t)];
	u32 ids = want & BF_WORD_IDS ? ~0U : 0;
	u32 strs = want & BF_WORD_STRS ? ~0U : 0;

	it->off = 0;
	it->step = sizeof(*t);
	it->strs = 1U << 0;				/* name_off */
	it->mask = (1U & strs) | ((l->head_ref ? 1U << 2 : 0) & ids);
	it->head = true;
	it->fixed = l->fixed;
	it->fixed_mask = l->fixed_refs & ids;
	it->elem = l->elem;
	it->elem_strs = l->elem_strs;
	it->elem_mask = (l->elem_refs & ids) | (l->elem_strs & strs);
	it->left = it->elem_mask ? bf_vlen(t) : 0;
}
/* The next word: its byte offset in the record, and whether a string. */
static inline bool bf_word_iter_next(struct bf_word_iter *it, u32 *woff,
				     bool *is_str)
{
	u32 w;

	while (!it->mask) {
		it->off += it->step;
		if (it->head) {		/* then the fixed part */
			it->head = false;
			it->step = it->fixed;
			it->mask = it->fixed_mask;
			it->strs = 0;
			continue;
		}
		if (!it->left)
			return false;
		it->left--;
		it->step = it->elem;
		it->mask = it->elem_mask;
		it->strs = it->elem_strs;
	}
	w = __builtin_ctz(it->mask);
	it->mask &= it->mask - 1;
	*woff = it->off + 4 * w;
	*is_str = (it->strs >> w) & 1;
	return true;
}

/* A record in the source, read through the window cache a piece at a time. */
struct bf_rec {
	struct bf_io *io;
	u64 off;		/* where the record starts in the source */
	u32 size;		/* its bytes (bf_record_size()) */
	const u8 *p;		/* bytes [start, start + len) of it */
	u32 start;
	u32 len;
};

int __bf_rec_word(struct bf_rec *r, u32 woff, u32 *val);

/* The u32 at byte woff of the record. */
static inline int bf_rec_word(struct bf_rec *r, u32 woff, u32 *val)
{
	if (woff < r->start || woff + 4 > r->start + r->len)
		return __bf_rec_word(r, woff, val);
	*val = *(const u32 *)(r->p + (woff - r->start));
	return 0;
}

/* ---- selectors ---- */

#define BF_MAX_ROOTS	(1U << 18)	/* types one query may start from */

struct bf_selector {
	const char *text;	/* the whole selector, for messages */
	const char *name;	/* the name part (not NUL-terminated) */
	u32 name_len;
	u32 kinds;		/* bitmask of BF_KIND_*; 0: any */
	u32 id;			/* "#ID" selector, else 0 */
	u32 hits;
	const char *path;	/* fields mode: "a.b.c" after the name */
	u32 path_len;		/* 0: the whole type */
	u32 path_hits;		/* roots the whole path was found in */
	u32 dup_of;		/* 1 + index of the same selector earlier */
	u32 key;		/* bf_name_key() of the name */
	u32 next;		/* 1 + next selector in the same name bucket */
};

#define BF_PAIRS	65536	/* bits of bf_roots.pairs */

struct bf_roots {
	struct bf_selector *sels;
	u32 nr_sels;
	u32 seed;		/* of every hash of this query's tables */
	u32 *heads;		/* [nr_heads]: 1 + first selector, by key */
	u32 nr_heads;
	u32 max_name;		/* longest name of any selector */
	u8 lens[BF_SEL_NAME_MAX / 8 + 1];	/* name lengths present */
	u8 last[256 / 8];	/* last bytes of the names present */
	u8 skip[256];		/* bf_match_strings()' shift by byte */
	u8 *pairs;		/* its filter by the last two bytes */
	u32 min_name;		/* shortest name of any selector */
	char *name;		/* max_name + 1 bytes for a type's name */
	/*
	 * Streaming only: the string offsets at which a selector's name
	 * begins, ascending once sorted, or (past mark_limit) a bitmap.
	 */
	u32 *marks;
	u32 nr_marks;
	u32 mark_cap;
	u32 mark_limit;
	u32 *mark_bits;
	size_t mark_bits_size;
	/*
	 * With the list: a bit per hash of a mark, at least 16 bits a mark,
	 * built once the list is complete.
	 */
	u32 *mark_filter;
	u32 filter_shift;	/* 32 - log2 of its bits */
	size_t filter_size;
	u32 *ids;			/* root type IDs */
	u32 *id_sels;			/* [i]: the selector ids[i] matched */
	u32 nr_ids;
	u32 id_cap;
	u32 id_sel_cap;
};

/* The string at name_off if it has at most max bytes; *len its length. */
int bf_read_name(struct bf_io *io, const struct bf_sections *sec,
		 u32 name_off, char *buf, u32 max, u32 *len);
/* The name table; dropped for a sorted source unless keep_table. */
int bf_index_names(const struct bf_env *env, struct bf_io *io,
		   struct bf_index *idx, bool keep_table);
int bf_match_names(const struct bf_env *env, struct bf_io *io,
		   const struct bf_index *idx, struct bf_roots *r);
int bf_parse_selectors(const struct bf_env *env, const struct bf_query *q,
		       struct bf_roots *r);
int bf_match_strings(struct bf_io *io, const struct bf_sections *sec,
		     struct bf_roots *r);
int bf_add_root(const struct bf_env *env, struct bf_roots *r, u32 id,
		u32 sel);
/* The bit of bf_roots.mark_filter for string offset off. */
static inline u32 bf_mark_filter_bit(const struct bf_roots *r, u32 off)
{
	return (off * 2654435761U) >> r->filter_shift;
}

/*
 * The walk's first test, inline, before bf_match_type(): false when the
 * string at off cannot begin a selector's name.  Exact once the marks are
 * a bitmap; from the list, true for every mark and for the few other
 * offsets that share a filter bit.
 */
static inline bool bf_may_match(const struct bf_roots *r, u32 off)
{
	u32 b;

	/*
	 * A third of the records have no name (off 0), in no order: a
	 * branch on it is mispredicted a third of the time, so it is folded
	 * into the answer.
	 */
	if (r->mark_bits)
		return off / 32 < r->mark_bits_size / sizeof(u32) &&
		       ((r->mark_bits[off / 32] >> (off % 32)) & (off != 0));
	if (!r->mark_filter)	/* no marks */
		return false;
	b = bf_mark_filter_bit(r, off);
	return (r->mark_filter[b / 32] >> (b % 32)) & (off != 0);
}

/* Record t (type id) as a root if its name and kind match a selector. */
int bf_match_type(struct bf_io *io, const struct bf_sections *sec,
		  struct bf_roots *r, u32 id, const struct bf_btf_type *t);
int bf_finish_roots(const struct bf_env *env, const struct bf_index *idx,
		    const struct bf_query *q, struct bf_roots *r,
		    struct bf_result *res);
void bf_roots_free(const struct bf_env *env, struct bf_roots *r);

/* Walk the type section; with r, match roots on the way. */
int bf_walk_types(const struct bf_env *env, struct bf_io *io,
		  struct bf_index *idx, struct bf_roots *r);


#endif /* BF_INTERNAL_H */
