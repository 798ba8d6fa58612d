// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Emit: the kept types, renumbered densely from 1 in ascending source-ID
 * order, every reference and string offset rewritten through the one
 * layout table.  The types are written first with their source string
 * offsets, each noted once in a hash; then the strings are copied in source
 * offset order (one sequential read of the string section, not one random
 * read a name), deduplicated by content, and the offsets patched.  The same source and query always
 * give the same bytes.
 */
#include "bf_internal.h"
#include "bf_closure.h"

struct bf_buf {
	u8 *data;
	u32 len;
	u32 cap;
};

struct bf_emit {
	struct bf_closure *c;
	const struct bf_query *q;
	u32 *map;		/* result ID - 1 -> source ID, ascending */
	u32 nr;
	struct bf_buf types;
	struct bf_buf strs;
	struct bf_map by_hash;	/* hash of a result string -> its offset */
	struct bf_map used;	/* source string offset -> result offset */
};

static int bf_buf_put(const struct bf_env *env, struct bf_buf *b,
		      const void *p, u32 len)
{
	int err;

	if (len > BF_U32_MAX - b->len)
		return -E2BIG;
	err = bf_grow(env, (void **)&b->data, &b->cap, b->len + len, 1);
	if (err)
		return err;
	memcpy(b->data + b->len, p, len);
	b->len += len;
	return 0;
}

static void bf_buf_free(const struct bf_env *env, struct bf_buf *b)
{
	bf_free(env, b->data, b->cap);
	b->data = NULL;
}

/* A result string's hash, as a map key (never 0). */
static u32 bf_str_key(const u8 *p, u32 len)
{
	u32 h = bf_hash(p, len);

	return h ? h : 1;
}

/* Copy source string src_off into the result, deduplicated; *out its offset. */
static int bf_add_str(struct bf_emit *e, u32 src_off, u32 *out)
{
	const struct bf_sections *sec = &e->c->idx->sec;
	u32 start = e->strs.len, len, *slot;
	const u8 *p;
	int err = 0;

	/*
	 * Append the string.  It was checked to end inside the section, but
	 * that was another read: a string that no longer ends there is an
	 * error, not a read past the section.
	 */
	for (;;) {
		const u8 *nul;
		u64 at;
		u32 n;

		if (src_off >= sec->str_len) {
			bf_log(e->c->env, "string at %u changed: it no longer ends in the string section",
			       src_off);
			return -EIO;
		}
		at = bf_str_at(sec, src_off, &n);
		if (n > BF_IO_PEEK_MAX)
			n = BF_IO_PEEK_MAX;
		p = bf_io_bytes(e->c->io, at, n, &err);
		if (!p)
			return err;
		nul = memchr(p, 0, n);
		if (nul)
			n = nul - p + 1;
		err = bf_buf_put(e->c->env, &e->strs, p, n);
		if (err)
			return err;
		src_off += n;
		if (nul)
			break;
	}
	len = e->strs.len - start - 1;
	if (!len) {
		e->strs.len = start;
		*out = 0;
		return 0;
	}
	/*
	 * The same string kept once: the first copy with a hash holds it, and
	 * a later one with that hash and other bytes (a collision) stays a
	 * copy of its own.
	 */
	err = bf_map_add(e->c->env, &e->by_hash,
			 bf_str_key(e->strs.data + start, len), start, &slot);
	if (err)
		return err;
	if (*slot != start &&
	    !memcmp(e->strs.data + *slot, e->strs.data + start, len + 1)) {
		e->strs.len = start;	/* seen: drop the copy */
		*out = *slot;
		return 0;
	}
	*out = start;
	return 0;
}

/* Note a source string offset written into the types, for bf_put_strs(). */
static int bf_use_str(struct bf_emit *e, u32 src_off)
{
	return src_off ? bf_map_add(e->c->env, &e->used, src_off, 0, NULL) : 0;
}

/*
 * Result ID of a kept source ID (0 stays 0).  Only a pointer's target may
 * be left out (fields mode): it becomes void.
 */
static u32 bf_result_id(const struct bf_emit *e, u32 src)
{
	u32 i;

	if (!src)
		return 0;
	i = bf_lower_bound(e->map, e->nr, 1, src);
	return i < e->nr && e->map[i] == src ? i + 1 : 0;
}

/* Append len bytes of the source at off to the types. */
static int bf_put_src(struct bf_emit *e, u64 off, u32 len)
{
	struct bf_buf *b = &e->types;
	int err;

	if (len > BF_U32_MAX - b->len)
		return -E2BIG;
	err = bf_grow(e->c->env, (void **)&b->data, &b->cap, b->len + len, 1);
	if (!err)
		err = bf_io_read(e->c->io, off, b->data + b->len, len);
	if (!err)
		b->len += len;
	return err;
}

/*
 * Fields mode: a struct or union kept only for its paths keeps just its
 * marked members; an enum with values named keeps just those.
 */
static bool bf_is_partial(const struct bf_closure *c,
			  const struct bf_btf_type *t, u32 id)
{
	u32 kind = bf_kind(t), first;

	if (!c->field || bf_state(c, id) == BF_ST_STRONG)
		return false;
	if (bf_is_composite(kind))
		return bf_field(c, id);
	return (kind == BF_KIND_ENUM || kind == BF_KIND_ENUM64) &&
	       bf_marks_of(c, id, &first);
}

/*
 * Copy kept type src into the types, then rewrite its type IDs to result
 * IDs and note its string offsets.  The head written is the one checked
 * by bf_head(), whatever a second read of the record returned, so the
 * record's shape is always the checked one.
 */
static int bf_emit_one(struct bf_emit *e, u32 src)
{
	u32 start = e->types.len, off = bf_type_off(e->c->idx, src), woff;
	const struct bf_kind_layout *l;
	struct bf_word_iter it;
	struct bf_btf_type t;
	bool is_str;
	u8 *rec;
	int err;

	err = bf_head(e->c, src, &t);
	if (err)
		return err;
	l = &bf_kind_layouts[bf_kind(&t)];
	if (bf_is_stub(e->c, &t, src)) {
		t.info = bf_info(BF_KIND_FWD, bf_kind(&t) == BF_KIND_UNION, 0);
		t.size_type = 0;
		err = bf_buf_put(e->c->env, &e->types, &t, sizeof(t));
	} else if (bf_is_partial(e->c, &t, src)) {
		u32 first, n = bf_marks_of(e->c, src, &first), i;
		u32 vlen = bf_vlen(&t);

		t.info = bf_info(bf_kind(&t), bf_kflag(&t), n);
		err = bf_buf_put(e->c->env, &e->types, &t, sizeof(t));
		off += sizeof(t) + l->fixed;
		for (i = first; !err && i < first + n; i++) {
			u32 at = e->c->marks[2 * i + 1];

			if (at >= vlen) {	/* the record changed */
				bf_log(e->c->env, "[%u] changed since its path was resolved",
				       src);
				return -EIO;
			}
			err = bf_put_src(e, off + at * l->elem, l->elem);
		}
	} else {
		err = bf_put_src(e, off, bf_record_size(&t));
		if (!err)
			memcpy(e->types.data + start, &t, sizeof(t));
	}
	if (err)
		return err;
	rec = e->types.data + start;
	bf_word_iter_init(&it, (struct bf_btf_type *)rec,
			  BF_WORD_IDS | BF_WORD_STRS);
	while (!err && bf_word_iter_next(&it, &woff, &is_str)) {
		u32 *w = (u32 *)(rec + woff);

		err = bf_check_again(e->c->io, e->c->idx, src, *w, is_str);
		if (err)
			break;
		if (is_str)
			err = bf_use_str(e, *w);
		else
			*w = bf_result_id(e, *w);
	}
	return err;
}

/* The result so far (and the header) must fit the caller's cap. */
static int bf_check_cap(struct bf_emit *e)
{
	u64 total = (u64)BF_HDR_V1_LEN + e->types.len +
		    e->strs.len;

	if (total <= BF_U32_MAX && (!e->q->max_blob || total <= e->q->max_blob))
		return 0;
	bf_log(e->c->env, "result of %llu bytes is over the limit of %u",
	       (unsigned long long)total, e->q->max_blob);
	return -E2BIG;
}

/* Result string offset of source string offset src (0 stays 0). */
static u32 bf_str_out(const struct bf_emit *e, u32 src)
{
	const u32 *out = src ? bf_map_get(&e->used, src) : NULL;

	return out ? *out : 0;
}

/* Copy the used strings in source order, then patch every string offset. */
static int bf_put_strs(struct bf_emit *e)
{
	size_t size = bf_array_size(e->used.nr ? e->used.nr : 1, sizeof(u32));
	u32 *order = bf_zalloc(e->c->env, size), pos = 0, n = 0, i;
	int err = 0;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < e->used.nr_slots; i++)
		if (e->used.slots[2 * i])
			order[n++] = e->used.slots[2 * i];
	err = bf_sort_keys(e->c->env, order, n);
	for (i = 0; !err && i < n; i++) {
		err = bf_add_str(e, order[i], bf_map_get(&e->used, order[i]));
		if (!err)
			err = bf_check_cap(e);
		if (!err && !(i % 4096))
			err = bf_cond_resched();
	}
	bf_free(e->c->env, order, size);
	while (!err && pos < e->types.len) {
		struct bf_btf_type *t = (void *)(e->types.data + pos);
		struct bf_word_iter it;
		bool is_str;
		u32 woff;

		bf_word_iter_init(&it, t, BF_WORD_STRS);
		while (bf_word_iter_next(&it, &woff, &is_str)) {
			u32 *w = (u32 *)((u8 *)t + woff);

			*w = bf_str_out(e, *w);
		}
		pos += bf_record_size(t);
	}
	return err;
}

static int bf_assemble(struct bf_emit *e, struct bf_result *res)
{
	/* The 24-byte header, which every loader and kernel reads. */
	struct bf_btf_header h = {
		.magic = BF_BTF_MAGIC,
		.version = BF_BTF_VERSION,
		.hdr_len = BF_HDR_V1_LEN,
		.type_len = e->types.len,
		.str_off = e->types.len,
		.str_len = e->strs.len,
	};
	u32 total = BF_HDR_V1_LEN + e->types.len + e->strs.len;
	int err = bf_check_cap(e);

	if (err)
		return err;
	res->blob = bf_zalloc(e->c->env, total);
	if (!res->blob)
		return -ENOMEM;
	res->blob_size = total;
	res->blob_len = total;
	memcpy(res->blob, &h, BF_HDR_V1_LEN);
	if (e->types.len)	/* no types at all when every root is missing */
		memcpy(res->blob + BF_HDR_V1_LEN, e->types.data, e->types.len);
	memcpy(res->blob + BF_HDR_V1_LEN + e->types.len, e->strs.data,
	       e->strs.len);
	return 0;
}

int bf_emit(struct bf_closure *c, const struct bf_query *q,
	    struct bf_result *res)
{
	struct bf_emit e = { .c = c, .q = q };
	const struct bf_env *env = c->env;
	u32 id, n = c->nr_kept;
	u8 nul = 0;
	int err;

	/* Result IDs in source order: the kept IDs, each noted once, sorted. */
	e.map = bf_zalloc(env, bf_array_size(n ? n : 1, sizeof(u32)));
	if (!e.map)
		return -ENOMEM;
	if (n)
		memcpy(e.map, c->kept, (size_t)n * sizeof(u32));
	e.nr = n;
	err = bf_sort_keys(env, e.map, n);
	/* Room for typical records and names at once, not by doubling. */
	if (!err && n)
		err = bf_grow(env, (void **)&e.types.data, &e.types.cap,
			      n < BF_U32_MAX / 32 ? n * 32 : n, 1);
	if (!err && n)
		err = bf_grow(env, (void **)&e.strs.data, &e.strs.cap,
			      n < BF_U32_MAX / 16 ? n * 16 : n, 1);
	if (!err)
		err = bf_buf_put(env, &e.strs, &nul, 1);
	for (id = 0; !err && id < e.nr; id++) {
		err = bf_emit_one(&e, e.map[id]);
		if (!err)
			err = bf_check_cap(&e);
		if (!err && !(id % 4096))
			err = bf_cond_resched();
	}
	if (!err)
		err = bf_put_strs(&e);
	if (!err)
		err = bf_assemble(&e, res);
	bf_buf_free(env, &e.types);
	bf_buf_free(env, &e.strs);
	bf_map_free(env, &e.by_hash);
	bf_map_free(env, &e.used);
	res->nr_types = e.nr;
	if (!err && (q->flags & BF_Q_ID_MAP)) {
		res->id_map = e.map;
		res->map_size = (size_t)(n ? n : 1) * sizeof(u32);
	} else {
		bf_free(env, e.map, (size_t)(n ? n : 1) * sizeof(u32));
	}
	return err;
}
