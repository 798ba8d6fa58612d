// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Fields mode: selectors name member paths ("task_struct.real_parent",
 * "file.f_path.dentry") or enum values ("enum pid_type.PIDTYPE_TGID"), and
 * the result keeps just what CO-RE relocations against them need.
 *
 * A path is resolved from each type its first word names:
 * - typedefs, modifiers, arrays and pointers before a member are passed
 *   through (a path may go on behind a pointer: "task_struct.mm.pgd");
 * - a member is found by name as libbpf's CO-RE field matching finds it:
 *   in member order, looking inside anonymous struct and union members;
 * - the last word of an enum selector names one of its values.
 * Only a path resolved to its end counts as a hit; nothing of a path that
 * fails is kept.
 *
 * What is kept (the rule of `bpftool gen min_core_btf`, from its gen.c):
 * - each struct or union on a path, with only the members on paths, at
 *   their offsets and bitfield sizes, and its size unchanged;
 * - each member's type, as a member needs it: typedefs, modifiers, arrays
 *   and function prototypes whole with what they refer to; a struct or
 *   union with no members beyond those on paths (an empty one of the same
 *   size if none); a pointer, but not what it points to: it points at void
 *   unless that type is kept for its own sake;
 * - an enum with only the values named, or whole when it is kept only as a
 *   member's type (bpftool keeps every enum whole);
 * - a selector with no path keeps its type whole, as in shallow mode (the
 *   issue's rule for type-based relocations; bpftool keeps an empty one).
 */
#include "bf_internal.h"
#include "bf_closure.h"

#define BF_ANON_DEPTH	8	/* anonymous members inside anonymous members */

static int bf_push_step(struct bf_closure *c, u32 id, u32 index)
{
	return bf_push_pair(c->env, &c->steps, &c->nr_steps, &c->step_cap, id,
			    index);
}

/* A type ID read from record id: checked, as no index may have. */
static int bf_ref_of(struct bf_closure *c, u32 id, u32 ref, u32 *out)
{
	int err = bf_check_again(c->io, c->idx, id, ref, false);

	if (!err)
		*out = ref;
	return err;
}

/*
 * Pass id through typedefs and modifiers (and arrays and pointers, when
 * deref): each is a step, kept as a member's type.  *out: where it ends.
 */
static int bf_pass(struct bf_closure *c, u32 id, bool deref, u32 *out,
		   struct bf_btf_type *t)
{
	u32 depth, kind;
	int err;

	for (depth = 0; depth <= BF_RESOLVE_DEPTH; depth++) {
		if (!id || id > c->idx->nr_types)
			return -ENOENT;	/* void: any other ID was checked */
		err = bf_head(c, id, t);
		if (err)
			return err;
		kind = bf_kind(t);
		if (!bf_is_chain(kind) &&
		    !(deref && (kind == BF_KIND_PTR || kind == BF_KIND_ARRAY)))
			break;
		err = bf_push_step(c, id, BF_U32_MAX);
		if (err)
			return err;
		if (kind == BF_KIND_ARRAY) {
			u32 elem, off;

			err = bf_type_off(c->io, c->idx, id, &off);
			if (!err)
				err = bf_io_read(c->io, off + sizeof(*t), &elem,
						 sizeof(elem));
			if (!err)
				err = bf_ref_of(c, id, elem, &id);
		} else {
			err = bf_ref_of(c, id, t->size_type, &id);
		}
		if (err)
			return err;
	}
	if (depth > BF_RESOLVE_DEPTH)
		return -ENOENT;	/* a loop: the closure reports it */
	*out = id;
	return 0;
}

/* Is the string at name_off the len bytes at name? */
static int bf_name_is(struct bf_closure *c, u32 name_off, const char *name,
		      u32 len, bool *same)
{
	u32 got;
	int err;

	err = bf_read_name(c->io, &c->idx->sec, name_off, c->name, len, &got);
	*same = !err && got == len && !memcmp(c->name, name, len);
	return err;
}

/*
 * Anonymous composites already searched for the current name and not found
 * in, with the depth left then: searching one again with no more depth left
 * finds nothing either, so each is searched at most BF_ANON_DEPTH + 1 times
 * per name, not once per way of reaching it (which grows exponentially
 * with the nesting).
 */
static bool bf_memo_failed(struct bf_closure *c, u32 id, u32 left)
{
	return c->memo[id] > left;
}

static int bf_memo_fail(struct bf_closure *c, u32 id, u32 left)
{
	if (!c->memo[id]) {
		int err = bf_grow(c->env, (void **)&c->memo_ids,
				  &c->memo_cap, c->nr_memo + 1, sizeof(u32));

		if (err)
			return err;
		c->memo_ids[c->nr_memo++] = id;
	}
	c->memo[id] = left + 1;
	return 0;
}

static void bf_memo_reset(struct bf_closure *c)
{
	while (c->nr_memo)
		c->memo[c->memo_ids[--c->nr_memo]] = 0;
}

/*
 * Find member name (len bytes) in composite id (record t), looking inside
 * anonymous members in order; push a step for each member passed.
 * *type: the member's type.  -ENOENT when there is none.
 */
static int bf_find_member(struct bf_closure *c, u32 id,
			  const struct bf_btf_type *t, const char *name,
			  u32 len, u32 depth, u32 *type)
{
	u32 off, i;
	int err;

	err = bf_type_off(c->io, c->idx, id, &off);
	if (err)
		return err;
	off += sizeof(*t);
	for (i = 0; i < bf_vlen(t); i++, off += sizeof(struct bf_btf_member)) {
		u32 saved = c->nr_steps, inner;
		struct bf_btf_type it;
		struct bf_btf_member m;
		bool same;

		if (!(++c->visits % 4096)) {
			err = bf_cond_resched();
			if (err)
				return err;
		}
		err = bf_io_read(c->io, off, &m, sizeof(m));
		if (!err)
			err = bf_check_again(c->io, c->idx, id, m.name_off, true);
		if (!err)
			err = bf_check_again(c->io, c->idx, id, m.type, false);
		if (err)
			return err;
		err = bf_push_step(c, id, i);
		if (err)
			return err;
		if (m.name_off) {
			err = bf_name_is(c, m.name_off, name, len, &same);
			if (err)
				return err;
			if (same) {
				*type = m.type;
				return 0;
			}
		} else if (depth < BF_ANON_DEPTH) {
			err = bf_pass(c, m.type, false, &inner, &it);
			if (!err && (!bf_is_composite(bf_kind(&it)) ||
				     bf_memo_failed(c, inner,
						    BF_ANON_DEPTH - depth)))
				err = -ENOENT;	/* nothing to look in */
			if (!err) {
				err = bf_push_step(c, inner, BF_U32_MAX);
				if (!err)
					err = bf_find_member(c, inner, &it, name,
							     len, depth + 1,
							     type);
				if (err == -ENOENT) {
					err = bf_memo_fail(c, inner,
							   BF_ANON_DEPTH - depth);
					if (!err)
						err = -ENOENT;
				}
			}
			if (err != -ENOENT)
				return err;
		}
		c->nr_steps = saved;
	}
	return -ENOENT;
}

/* The index of enum id's value called name, as a step. */
static int bf_find_value(struct bf_closure *c, u32 id,
			 const struct bf_btf_type *t, const char *name,
			 u32 len)
{
	u32 esz = bf_kind_layouts[bf_kind(t)].elem, i, name_off, start;
	bool same;
	u64 off;
	int err;

	err = bf_type_off(c->io, c->idx, id, &start);
	if (err)
		return err;
	off = start + sizeof(*t);
	for (i = 0; i < bf_vlen(t); i++, off += esz) {
		err = bf_io_read(c->io, off, &name_off, sizeof(name_off));
		if (!err)
			err = bf_check_again(c->io, c->idx, id, name_off, true);
		if (!err)
			err = bf_name_is(c, name_off, name, len, &same);
		if (err)
			return err;
		if (same)
			return bf_push_step(c, id, i);
	}
	return -ENOENT;
}

/* Resolve sel's path from root into c->steps; -ENOENT if it is not there. */
static int bf_resolve_path(struct bf_closure *c, u32 root,
			   const struct bf_selector *sel)
{
	const char *p = sel->path, *end = sel->path + sel->path_len;
	struct bf_btf_type t;
	u32 id = root;
	int err;

	err = bf_push_step(c, root, BF_U32_MAX);
	while (!err && p < end) {
		const char *dot = memchr(p, '.', end - p);
		u32 len = (dot ? dot : end) - p, kind;

		err = bf_pass(c, id, p != sel->path, &id, &t);
		if (err)
			break;
		err = bf_push_step(c, id, BF_U32_MAX);
		if (err)
			break;
		kind = bf_kind(&t);
		if ((kind == BF_KIND_ENUM || kind == BF_KIND_ENUM64) && !dot)
			return bf_find_value(c, id, &t, p, len);
		if (!bf_is_composite(kind))
			return -ENOENT;
		err = bf_find_member(c, id, &t, p, len, 0, &id);
		bf_memo_reset(c);
		p += len + 1;
	}
	return err ? err : bf_push_step(c, id, BF_U32_MAX);
}

/* Keep what a resolved path's steps name. */
static int bf_keep_steps(struct bf_closure *c)
{
	u32 i;
	int err = 0;

	for (i = 0; !err && i < c->nr_steps; i++) {
		u32 id = c->steps[2 * i], index = c->steps[2 * i + 1];

		err = bf_visit_field(c, 0, id);
		if (!err && index != BF_U32_MAX)
			err = bf_push_pair(c->env, &c->marks, &c->nr_marks,
					   &c->mark_cap, id, index);
	}
	return err;
}

int bf_walk_paths(struct bf_closure *c, struct bf_roots *r)
{
	u32 i;
	int err = 0;

	for (i = 0; !err && i < r->nr_ids; i++) {
		struct bf_selector *sel = &r->sels[r->id_sels[i]];

		if (!sel->path_len)
			continue;
		if (!(i % 256)) {
			err = bf_cond_resched();
			if (err)
				break;
		}
		c->nr_steps = 0;
		err = bf_resolve_path(c, r->ids[i], sel);
		if (!err) {
			err = bf_keep_steps(c);
			sel->path_hits++;
		} else if (err == -ENOENT) {
			err = 0;
		}
	}
	if (!err)
		c->nr_marks = bf_sort_unique_pairs(c->marks, c->nr_marks);
	return err;
}

u32 bf_marks_of(const struct bf_closure *c, u32 id, u32 *first)
{
	u32 i = bf_find_pair(c->marks, c->nr_marks, id), n = 0;

	*first = i;
	while (i + n < c->nr_marks && c->marks[2 * (i + n)] == id)
		n++;
	return n;
}
