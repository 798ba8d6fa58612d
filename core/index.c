// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The index pass: one sequential walk over the type section.  Each record's
 * kind and vlen are checked and its extent against the bytes left.  For an
 * index that is kept, so also its string offsets against the string
 * section, and its type references against the largest ID seen, which is
 * checked once the walk has counted the types; a query's own streamed index
 * checks only the name's, and leaves the rest to the passes that read them
 * (bf_check_again()), which check them whatever the index did.  The index
 * keeps each type's offset and the (target, tag) pairs of the DECL_TAGs,
 * which point at their targets and so cannot be found by following
 * references.
 */
#include "bf_internal.h"

_Static_assert(sizeof(struct bf_tag_ref) == 2 * sizeof(u32), "tag pairs");

struct bf_walk {
	const struct bf_env *env;
	struct bf_io *io;
	struct bf_index *idx;
	u32 max_ref;
	u32 max_ref_from;
	u32 sum;	/* of the group so far (sparse index) */
};

static int bf_add_chunk(const struct bf_env *env, struct bf_index *idx,
			u32 id, u32 off)
{
	u32 c = id >> BF_CHUNK_SHIFT;
	int err;

	if (c >= idx->nr_chunks) {
		err = bf_grow(env, (void **)&idx->offs, &idx->chunk_cap, c + 1,
			      sizeof(*idx->offs));
		if (err)
			return err;
		idx->offs[c] = bf_zalloc(env, BF_CHUNK * sizeof(u32));
		if (!idx->offs[c])
			return -ENOMEM;
		idx->nr_chunks = c + 1;
	}
	idx->offs[c][id & (BF_CHUNK - 1)] = off;
	return 0;
}

static inline int bf_store_off(const struct bf_env *env, struct bf_index *idx,
			       u32 id, u32 off)
{
	if ((id >> BF_CHUNK_SHIFT) >= idx->nr_chunks)
		return bf_add_chunk(env, idx, id, off);
	idx->offs[id >> BF_CHUNK_SHIFT][id & (BF_CHUNK - 1)] = off;
	return 0;
}

/*
 * Word val of record id is out of range in a source with nr_types types:
 * the one message for a malformed source, -EINVAL.
 */
static int bf_bad_word(const struct bf_env *env,
		       const struct bf_sections *sec, u32 nr_types, u32 id,
		       u32 val, bool is_str)
{
	if (is_str)
		bf_log(env, "[%u] string offset %u past the string section (%u bytes)",
		       id, val, sec->str_len);
	else
		bf_log(env, "[%u] refers to type %u, but there are %u types",
		       id, val, nr_types);
	return -EINVAL;
}

static int bf_check_word(struct bf_walk *w, u32 id, u32 val, bool is_ref,
			 bool is_str)
{
	if (is_ref && val > w->max_ref) {
		w->max_ref = val;
		w->max_ref_from = id;
	}
	if (is_str && val >= w->idx->sec.str_len)
		return bf_bad_word(w->env, &w->idx->sec, 0, id, val, true);
	return 0;
}

/* Every type ID and string offset of the record rec (head t). */
static int bf_check_words(struct bf_walk *w, u32 id, struct bf_rec *rec,
			  const struct bf_btf_type *t)
{
	struct bf_word_iter it;
	u32 woff, val;
	bool is_str;
	int err;

	bf_word_iter_init(&it, t, BF_WORD_IDS | BF_WORD_STRS);
	/*
	 * All in one piece: the same loop with plain loads.  One loop with a
	 * branch on this in it ran 10% more instructions over the host's
	 * vmlinux (callgrind): the compiler does not split it.
	 */
	if (!rec->start && rec->len >= rec->size) {
		while (bf_word_iter_next(&it, &woff, &is_str)) {
			val = *(const u32 *)(rec->p + woff);
			err = bf_check_word(w, id, val, !is_str, is_str);
			if (err)
				return err;
		}
		return 0;
	}
	while (bf_word_iter_next(&it, &woff, &is_str)) {
		err = bf_rec_word(rec, woff, &val);
		if (!err)
			err = bf_check_word(w, id, val, !is_str, is_str);
		if (err)
			return err;
	}
	return 0;
}

static int bf_add_tag(struct bf_walk *w, u32 id, u32 off,
		      const struct bf_btf_type *t)
{
	struct bf_index *idx = w->idx;
	const s32 *comp;
	int err = 0;

	comp = bf_io_ptr(w->io, off + sizeof(*t), 4, &err);
	if (!comp)
		return err;
	if (*comp < -1) {
		bf_log(w->env, "[%u] decl_tag component_idx %d", id, *comp);
		return -EINVAL;
	}
	/* the target kept is this copy's: check this copy's */
	err = bf_check_word(w, id, t->size_type, true, false);
	if (!err)
		err = bf_grow(w->env, (void **)&idx->tags, &idx->tag_cap,
			      idx->nr_tags + 1, sizeof(*idx->tags));
	if (err)
		return err;
	idx->tags[idx->nr_tags].target = t->size_type;
	idx->tags[idx->nr_tags].tag = id;
	idx->nr_tags++;
	return 0;
}

/* Records up to this size are read with their head in one piece. */
#define BF_REC_PIECE	512

/*
 * Record id at off, with left bytes of the part left: its head in t, its
 * bytes in *size.  p: the record in memory, 4-byte aligned, or NULL to
 * read it through io.  Every record of the source passes here, so the
 * common case (a known kind, a query's own index) is a few loads and
 * compares: the call, the read and the checks of the general case were
 * half of a streamed query's time.
 */
static inline int bf_walk_one(struct bf_walk *w, u32 id, u32 off, u32 left,
			      const u8 *p, struct bf_btf_type *t, u32 *size)
{
	const struct bf_kind_layout *l;
	u32 info, kind, vlen;
	struct bf_rec rec;
	u64 bytes;
	int err = 0;

	if (left < sizeof(*t)) {
		bf_log(w->env, "[%u] truncated: %u bytes left for a type", id,
		       left);
		return -EINVAL;
	}
	rec.len = left;
	if (!p) {	/* the record's first piece holds most records whole */
		rec.len = left < BF_REC_PIECE ? left : BF_REC_PIECE;
		p = bf_io_ptr(w->io, off, rec.len, &err);
		if (!p)
			return err;
	}
	/*
	 * The head read once, a word at a time, and info used from the load,
	 * not back from the copy of the head: that load waited on the store
	 * (a fifth of the walk's time).  Read twice, a source that changes
	 * could give t one kind and the size another.
	 */
	memcpy(&t->name_off, p, sizeof(u32));
	memcpy(&info, p + offsetof(struct bf_btf_type, info), sizeof(info));
	memcpy(&t->size_type, p + offsetof(struct bf_btf_type, size_type),
	       sizeof(u32));
	t->info = info;
	kind = bf_info_kind(info);
	vlen = bf_info_vlen(info);
	l = &bf_kind_layouts[bf_kind_known(kind) ? kind : BF_KIND_UNKN];
	if (bf_kind_known(kind)) {
		bytes = sizeof(*t) + l->fixed + (u64)vlen * l->elem;
	} else {
		err = bf_source_record_size(w->io, &w->idx->sec, id, off, t,
					    &bytes);
		if (err)
			return err;
	}
	if (bytes > left) {
		bf_log(w->env, "[%u] kind %u vlen %u: %llu bytes overrun the type section (%u left)",
		       id, kind, vlen, (unsigned long long)bytes, left);
		return -EINVAL;
	}
	*size = bytes;
	/*
	 * A kind known only by the layout section: stepped over, its name
	 * checked; a closure that reaches it stops there (bf_head()).
	 */
	if (!bf_kind_known(kind))
		return bf_check_word(w, id, t->name_off, false, true);
	/*
	 * FUNC keeps its linkage (static, global, extern) in vlen.  In bit
	 * operations, with no branch on the kind, which follows no order.
	 */
	if (((kind == BF_KIND_FUNC) & (vlen > 2)) |
	    ((kind != BF_KIND_FUNC) & (vlen != 0) & (l->elem == 0))) {
		bf_log(w->env, "[%u] kind %u takes no vlen, has %u", id, kind,
		       vlen);
		return -EINVAL;
	}
	if (w->idx->words_checked) {
		rec.io = w->io;
		rec.off = off;
		rec.p = p;
		rec.start = 0;
		rec.size = *size;
		if (rec.len > *size)
			rec.len = *size;
		err = bf_check_words(w, id, &rec, t);
	} else {
		err = bf_check_word(w, id, t->name_off, false, true);
	}
	if (!err && kind == BF_KIND_DECL_TAG)
		err = bf_add_tag(w, id, off, t);
	return err;
}

/*
 * Record id, at off, starts a group: a dense index keeps every offset; a
 * sparse one keeps the group's, and the sum of the group before.
 */
static int bf_group_start(struct bf_walk *w, u32 id, u32 off, u32 *sum)
{
	struct bf_index *idx = w->idx;
	u32 g = id >> idx->off_shift;
	int err = 0;

	if (!idx->off_shift)
		return bf_store_off(w->env, idx, id, off);
	if (g)
		err = bf_store_off(w->env, idx, 2 * g - 1, *sum);
	*sum = 0;
	return err ? err : bf_store_off(w->env, idx, 2 * g, off);
}

/*
 * The records of one part, [start, end), from ID *id on; *id is the next
 * ID after them.  Each group's first offset is stored, and with r each
 * record whose name may be a root's is matched.
 */
static int bf_walk_part(struct bf_walk *w, struct bf_roots *r, u32 start,
			u32 end, u32 *id)
{
	struct bf_index *idx = w->idx;
	const u8 *held = bf_io_held(w->io, start, end - start);
	u32 mask = (1U << idx->off_shift) - 1, off = start, i = *id;
	u32 sum = w->sum, size = 0;
	int err = 0;

	if ((unsigned long)held & 3)	/* u32 loads stay aligned */
		held = NULL;
	for (; !err && off < end; off += size, i++) {
		struct bf_btf_type t;

		if (i > BF_MAX_TYPES) {
			bf_log(w->env, "[%u] more than %u types", i,
			       BF_MAX_TYPES);
			return -E2BIG;
		}
		err = bf_walk_one(w, i, off, end - off,
				  held ? held + (off - start) : NULL, &t,
				  &size);
		/* a group's first record; ID 1 stands for group 0's */
		if (!err && (!(i & mask) || i == 1))
			err = bf_group_start(w, i, off, &sum);
		if (!err)
			sum = bf_group_mix(sum, t.info, size);
		if (!err && r && bf_may_match(r, t.name_off))
			err = bf_match_type(w->io, &idx->sec, r, i, &t);
		if (!err && !(i % 4096))
			err = bf_cond_resched();
	}
	*id = i;
	w->sum = sum;
	return err;
}

int bf_walk_types(const struct bf_env *env, struct bf_io *io,
		  struct bf_index *idx, struct bf_roots *r)
{
	struct bf_walk w = { .env = env, .io = io, .idx = idx };
	struct bf_sections *sec = &idx->sec;
	u32 part, id = 1;
	int err;

	err = bf_store_off(env, idx, 0, 0);
	/* A split source's base first: its IDs come first. */
	for (part = env->base.size ? 0 : 1; !err && part < 2; part++) {
		if (part)
			err = bf_walk_part(&w, r, sec->type_start,
					   sec->type_end, &id);
		else
			err = bf_walk_part(&w, r, sec->base_type_start,
					   sec->base_type_end, &id);
		if (!part)
			sec->base_types = id - 1;
	}
	if (!err && idx->off_shift && id > 1)	/* the last group's sum */
		err = bf_store_off(env, idx,
				   2 * ((id - 1) >> idx->off_shift) + 1, w.sum);
	if (err)
		return err;
	idx->nr_types = id - 1;
	if (w.max_ref > idx->nr_types)
		return bf_bad_word(env, sec, idx->nr_types, w.max_ref_from,
				   w.max_ref, false);
	/* By (target, tag): a bf_tag_ref is those two words, all distinct. */
	bf_sort_unique_pairs((u32 *)idx->tags, idx->nr_tags);
	idx->bytes = (size_t)idx->chunk_cap * sizeof(*idx->offs) +
		     (size_t)idx->nr_chunks * BF_CHUNK * sizeof(u32) +
		     (size_t)idx->tag_cap * sizeof(*idx->tags);
	return 0;
}

static int bf_changed(struct bf_io *io, u32 id)
{
	bf_log(io->env, "[%u] changed since the source was indexed", id);
	return -EIO;
}

/*
 * Walk group g of a sparse index into grp: from its first record, each
 * record's offset, and where the last one ends, which must be where the
 * next group starts (or the base's types, or all types, end).
 */
static int bf_walk_group(struct bf_io *io, const struct bf_index *idx,
			 u32 g, struct bf_group *grp)
{
	const struct bf_sections *sec = &idx->sec;
	u32 first = g << idx->off_shift, last, id, off, bound, sum = 0;
	const struct bf_btf_type *p;
	struct bf_btf_type t;
	int err = 0;
	u64 size;

	last = first + (1U << idx->off_shift) - 1;
	if (last > idx->nr_types)
		last = idx->nr_types;
	off = bf_group_off(idx, g);
	for (id = first ? first : 1; id <= last; id++) {
		grp->off[id - first] = off;
		bound = id <= sec->base_types ? sec->base_type_end :
						sec->type_end;
		if (off > bound || bound - off < sizeof(t))
			return bf_changed(io, id);
		p = bf_io_ptr(io, off, sizeof(t), &err);
		if (!p)
			return err;
		t = *p;
		err = bf_source_record_size(io, sec, id, off, &t, &size);
		if (err || size > bound - off)
			return bf_changed(io, id);
		sum = bf_group_mix(sum, t.info, size);
		off += size;
		if (id == sec->base_types) {	/* the base's last */
			if (off != sec->base_type_end)
				return bf_changed(io, id);
			off = sec->type_start;
		}
	}
	grp->off[last - first + 1] = off;
	if (off != (last == idx->nr_types ? sec->type_end :
					    bf_group_off(idx, g + 1)) ||
	    sum != bf_group_sum(idx, g))
		return bf_changed(io, last);
	grp->tag = g + 1;
	return 0;
}

/* Where record id (1..nr_types) starts, and where the next one does. */
static int bf_locate(struct bf_io *io, const struct bf_index *idx, u32 id,
		     u32 *off, u32 *end)
{
	struct bf_group *grp;
	u32 g = id >> idx->off_shift;
	int err;

	if (!id || id > idx->nr_types) {
		bf_log(io->env, "type %u is not in the source (%u types)", id,
		       idx->nr_types);
		return -EINVAL;
	}
	if (!idx->off_shift) {
		*off = bf_index_off(idx, id);
		*end = id == idx->nr_types ? idx->sec.type_end :
					     bf_index_off(idx, id + 1);
	} else {
		if (!io->groups) {
			io->groups = bf_zalloc(io->env, BF_GROUP_SLOTS *
						       sizeof(*io->groups));
			if (!io->groups)
				return -ENOMEM;
		}
		grp = &io->groups[g % BF_GROUP_SLOTS];
		if (grp->tag != g + 1) {
			grp->tag = 0;
			err = bf_walk_group(io, idx, g, grp);
			if (err)
				return err;
		}
		*off = grp->off[id - (g << idx->off_shift)];
		*end = grp->off[id - (g << idx->off_shift) + 1];
	}
	if (id == idx->sec.base_types)	/* the base's last */
		*end = idx->sec.base_type_end;
	return 0;
}

int bf_type_off(struct bf_io *io, const struct bf_index *idx, u32 id,
		u32 *off)
{
	u32 end;

	return bf_locate(io, idx, id, off, &end);
}

int bf_read_type(struct bf_io *io, const struct bf_index *idx, u32 id,
		 struct bf_btf_type *t)
{
	const struct bf_btf_type *p;
	u32 off, end;
	int err = 0;
	u64 size;

	err = bf_locate(io, idx, id, &off, &end);
	if (err)
		return err;
	p = bf_io_ptr(io, off, sizeof(*p), &err);
	if (!p)
		return err;
	*t = *p;
	err = bf_source_record_size(io, &idx->sec, id, off, t, &size);
	if (err || size != end - off || t->name_off >= idx->sec.str_len)
		return bf_changed(io, id);
	return 0;
}

int bf_check_again(struct bf_io *io, const struct bf_index *idx, u32 id,
		   u32 val, bool is_str)
{
	if (is_str ? val < idx->sec.str_len : val <= idx->nr_types)
		return 0;
	if (!idx->words_checked)	/* first seen here: malformed */
		return bf_bad_word(io->env, &idx->sec, idx->nr_types, id, val,
				   is_str);
	bf_log(io->env, "[%u] changed since the source was indexed: %s %u out of range",
	       id, is_str ? "string offset" : "type", val);
	return -EIO;
}
