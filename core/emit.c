// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Emit: the kept types, renumbered densely from 1 in ascending source-ID
 * order, every reference and string offset rewritten through the one
 * layout table.  The types are written first with their source string
 * offsets, each noted in a list; then the list is sorted and the strings
 * are copied in source offset order (one sequential read of the string
 * section, not one random read a name), each content once, and the
 * offsets patched.  An offset inside the string copied last (a name that
 * is the tail of another) points into that copy.  The same source and
 * query always give the same bytes.
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
	/*
	 * The same, the other way, for a result of more than 1/64 of the
	 * source's types: a bit per kept source ID, and per word of them the
	 * kept IDs below it (a rank, O(1) for each reference).  A smaller
	 * result searches map: clearing and summing the words would cost
	 * more (host, shallow task_struct over a kept index, 277 of 126,668
	 * types: 0.94M instructions searching, 1.02M by rank).
	 */
	u32 *kept_bits;
	u32 *kept_below;
	u32 kept_words;
	struct bf_buf types;
	struct bf_buf strs;
	u32 *offs;		/* source string offsets in the types */
	u32 nr_offs;		/* after bf_put_strs(): each once, ascending */
	u32 offs_cap;
	u32 *outs;		/* [i]: result offset of offs[i] */
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

/*
 * Copy source string src_off into the result: *out its offset there (0 for
 * the empty string), *src_len its bytes in the source before the NUL.
 */
static int bf_add_str(struct bf_emit *e, u32 src_off, u32 *out, u32 *src_len)
{
	const struct bf_sections *sec = &e->c->idx->sec;
	u32 start = e->strs.len, from = src_off;
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
	*src_len = src_off - from - 1;
	if (!*src_len)
		e->strs.len = start;	/* the result's own empty string */
	*out = *src_len ? start : 0;
	return 0;
}

/* Note a source string offset written into the types, for bf_put_strs(). */
static int bf_use_str(struct bf_emit *e, u32 src_off)
{
	int err;

	if (!src_off)
		return 0;
	err = bf_grow(e->c->env, (void **)&e->offs, &e->offs_cap,
		      e->nr_offs + 1, sizeof(u32));
	if (!err)
		e->offs[e->nr_offs++] = src_off;
	return err;
}

/*
 * Result ID of a kept source ID (0 stays 0).  Only a pointer's target may
 * be left out (fields mode): it becomes void.
 */
static u32 bf_result_id(const struct bf_emit *e, u32 src)
{
	u32 w = src / 32, bit = 1U << (src % 32), i;

	if (!src)
		return 0;
	if (!e->kept_bits) {
		i = bf_lower_bound(e->map, e->nr, 1, src);
		return i < e->nr && e->map[i] == src ? i + 1 : 0;
	}
	if (w >= e->kept_words || !(e->kept_bits[w] & bit))
		return 0;
	return e->kept_below[w] + bf_popcount32(e->kept_bits[w] & (bit - 1)) +
	       1;
}

/* kept_bits and kept_below from the sorted map. */
static int bf_rank_init(struct bf_emit *e)
{
	u32 i, below = 0;

	if ((u64)e->nr * 64 <= e->c->idx->nr_types)
		return 0;
	e->kept_words = e->c->idx->nr_types / 32 + 1;
	e->kept_bits = bf_zalloc(e->c->env,
				 bf_array_size(e->kept_words, sizeof(u32)));
	e->kept_below = bf_zalloc(e->c->env,
				  bf_array_size(e->kept_words, sizeof(u32)));
	if (!e->kept_bits || !e->kept_below)
		return -ENOMEM;
	for (i = 0; i < e->nr; i++) {
		if (e->map[i] / 32 >= e->kept_words)	/* closure checked */
			return -EINVAL;
		e->kept_bits[e->map[i] / 32] |= 1U << (e->map[i] % 32);
	}
	for (i = 0; i < e->kept_words; i++) {
		e->kept_below[i] = below;
		below += bf_popcount32(e->kept_bits[i]);
	}
	return 0;
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
	u32 start = e->types.len, off, woff;
	const struct bf_kind_layout *l;
	struct bf_word_iter it;
	struct bf_btf_type t;
	bool is_str;
	u8 *rec;
	int err;

	err = bf_head(e->c, src, &t);
	if (!err)
		err = bf_type_off(e->c->io, e->c->idx, src, &off);
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
	u32 i = src ? bf_lower_bound(e->offs, e->nr_offs, 1, src) : e->nr_offs;

	return i < e->nr_offs && e->offs[i] == src ? e->outs[i] : 0;
}

/*
 * The strings copied so far, by content: open addressing over [hash,
 * result offset] pairs, at most half full.  A result offset is never 0
 * (the empty string is not entered), so 0 marks an empty slot.  The hash
 * is seeded per query and the slot taken from its mixed top bits, so
 * that names made to share low hash bits do not pile into one run of
 * slots (the first copy is kept whatever the probe order: the bytes are
 * the same seed or not).
 */
struct bf_str_table {
	u32 *slots;
	u32 seed;
	u32 bits;	/* slots: 1 << bits */
};

/*
 * The string just appended at start (len bytes, then a NUL): if an earlier
 * copy holds the same bytes, drop this one and give that copy's offset.
 */
static u32 bf_str_once(struct bf_emit *e, struct bf_str_table *tab,
		       u32 start, u32 len)
{
	const char *p = (const char *)e->strs.data + start;
	u32 h = bf_name_key(tab->seed, p, len), mask = (1U << tab->bits) - 1;
	u32 i = (h * 2654435761U) >> (32 - tab->bits);

	for (; tab->slots[2 * i + 1]; i = (i + 1) & mask) {
		u32 at = tab->slots[2 * i + 1];

		if (tab->slots[2 * i] == h &&
		    !memcmp(e->strs.data + at, p, len + 1)) {
			e->strs.len = start;
			return at;
		}
	}
	tab->slots[2 * i] = h;
	tab->slots[2 * i + 1] = start;
	return start;
}

/*
 * Copy the used strings in source order, each content once, then patch
 * every string offset.
 */
static int bf_put_strs(struct bf_emit *e)
{
	u32 pos = 0, n = 0, i, last = 0, last_len = 0, last_out = 0;
	struct bf_str_table tab = { .seed = bf_random_u32(), .bits = 4 };
	size_t tab_size = 0;
	int err;

	err = bf_sort_keys(e->c->env, e->offs, e->nr_offs);
	for (i = 0; !err && i < e->nr_offs; i++)	/* each once */
		if (!n || e->offs[n - 1] != e->offs[i])
			e->offs[n++] = e->offs[i];
	e->nr_offs = n;
	while ((1U << tab.bits) < 2 * (u64)n && tab.bits < 31)
		tab.bits++;
	if (!err) {
		e->outs = bf_zalloc(e->c->env,
				    bf_array_size(n ? n : 1, sizeof(u32)));
		tab_size = bf_array_size(1U << tab.bits, 2 * sizeof(u32));
		tab.slots = bf_zalloc(e->c->env, tab_size);
		if (!e->outs || !tab.slots)
			err = -ENOMEM;
	}
	for (i = 0; !err && i < n; i++) {
		u32 off = e->offs[i];

		/* a tail of the string copied last: point into its copy */
		if (last_out && off - last < last_len) {
			e->outs[i] = last_out + (off - last);
			continue;
		}
		err = bf_add_str(e, off, &e->outs[i], &last_len);
		if (!err && last_len)
			e->outs[i] = bf_str_once(e, &tab, e->outs[i],
						 last_len);
		last = off;
		last_out = e->outs[i];
		if (!err)
			err = bf_check_cap(e);
		if (!err && !(i % 4096))
			err = bf_cond_resched();
	}
	bf_free(e->c->env, tab.slots, tab_size);
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

/* per bytes for each of n types, at most the query's max_blob (if any). */
static u32 bf_reserve(const struct bf_query *q, u32 n, u32 per)
{
	u64 want = (u64)n * per;

	if (q->max_blob && want > q->max_blob)
		want = q->max_blob;
	return want < BF_U32_MAX ? want : BF_U32_MAX;
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
	if (!err)
		err = bf_rank_init(&e);
	/*
	 * Room for typical records and names at once, not by doubling; never
	 * more than the caller's cap on the result.
	 */
	if (!err && n)
		err = bf_grow(env, (void **)&e.types.data, &e.types.cap,
			      bf_reserve(q, n, 32), 1);
	if (!err && n)
		err = bf_grow(env, (void **)&e.strs.data, &e.strs.cap,
			      bf_reserve(q, n, 16), 1);
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
	bf_free(env, e.offs, (size_t)e.offs_cap * sizeof(u32));
	bf_free(env, e.kept_bits, bf_array_size(e.kept_words, sizeof(u32)));
	bf_free(env, e.kept_below, bf_array_size(e.kept_words, sizeof(u32)));
	bf_free(env, e.outs, bf_array_size(e.nr_offs ? e.nr_offs : 1,
					   sizeof(u32)));
	res->nr_types = e.nr;
	if (!err && (q->flags & BF_Q_ID_MAP)) {
		res->id_map = e.map;
		res->map_size = (size_t)(n ? n : 1) * sizeof(u32);
	} else {
		bf_free(env, e.map, (size_t)(n ? n : 1) * sizeof(u32));
	}
	return err;
}
