// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The closure pass: follow references from the roots.
 *
 * full:    every reference is followed.
 * shallow: a reference is "weak" when it leaves a PTR, and stays weak through
 *          the typedefs and modifiers (const, volatile, restrict, type tags)
 *          that follow.  A named struct or union reached only weakly is not
 *          followed: it is emitted as a FWD of the same name in its place.
 *          Anything reached by value, and every anonymous struct or union,
 *          is kept whole.
 *
 * Each type has a 2-bit state (none, weak, strong) that only ever rises, so
 * the walk ends; a type is re-walked at most once, when weak turns strong.
 * DECL_TAGs are then kept for every type kept whole.
 */
#include "bf_internal.h"
#include "bf_closure.h"

static bool bf_is_chain(u32 kind)
{
	return kind == BF_KIND_TYPEDEF || kind == BF_KIND_CONST ||
	       kind == BF_KIND_VOLATILE || kind == BF_KIND_RESTRICT ||
	       kind == BF_KIND_TYPE_TAG;
}

static bool bf_is_composite(u32 kind)
{
	return kind == BF_KIND_STRUCT || kind == BF_KIND_UNION;
}

int bf_head(struct bf_closure *c, u32 id, struct bf_btf_type *t)
{
	const struct bf_btf_type *p;
	int err = 0;

	p = bf_io_ptr(c->io, bf_type_off(c->idx, id), sizeof(*p), &err);
	if (!p)
		return err;
	*t = *p;
	return 0;
}

static void bf_set_state(struct bf_closure *c, u32 id, u32 st)
{
	u32 shift = (id % 4) * 2;

	c->state[id / 4] = (c->state[id / 4] & ~(3U << shift)) | (st << shift);
}

static int bf_visit(struct bf_closure *c, u32 from, u32 id, bool weak)
{
	struct bf_btf_type t;
	u32 st = BF_ST_STRONG;
	int err;

	if (!id)
		return 0;
	if (id > c->idx->nr_types) {
		bf_log(c->env, "[%u] refers to type %u, but there are %u types",
		       from, id, c->idx->nr_types);
		return -EINVAL;
	}
	if (weak && c->shallow) {
		err = bf_head(c, id, &t);
		if (err)
			return err;
		if (bf_is_chain(bf_kind(&t)) ||
		    (bf_is_composite(bf_kind(&t)) && t.name_off))
			st = BF_ST_WEAK;
	}
	if (st <= bf_state(c, id))
		return 0;
	bf_set_state(c, id, st);
	err = bf_grow(c->env, (void **)&c->stack, &c->stack_cap,
		      c->nr_stack + 1, sizeof(*c->stack));
	if (err)
		return err;
	c->stack[c->nr_stack++] = id;
	return 0;
}

/* A chain of pointers, typedefs and modifiers must end, as the kernel
 * requires, within BF_RESOLVE_DEPTH steps.
 */
static int bf_check_chain(struct bf_closure *c, u32 id)
{
	struct bf_btf_type t;
	u32 cur = id, depth;
	int err;

	for (depth = 0; depth <= BF_RESOLVE_DEPTH; depth++) {
		if (!cur)
			return 0;
		err = bf_head(c, cur, &t);
		if (err)
			return err;
		if (bf_kind(&t) != BF_KIND_PTR && !bf_is_chain(bf_kind(&t)))
			return 0;
		cur = t.size_type;
		if (cur > c->idx->nr_types)
			return 0;	/* reported by bf_visit() */
	}
	bf_log(c->env, "[%u] chain of pointers, typedefs and modifiers loops or is deeper than %u",
	       id, BF_RESOLVE_DEPTH);
	return -ELOOP;
}

static int bf_visit_words(struct bf_closure *c, u32 id, u32 off, u32 len,
			  u32 refs)
{
	u32 words[3], i;
	int err;

	if (!refs)
		return 0;
	err = bf_io_read(c->io, off, words, len);
	for (i = 0; !err && i < len / 4; i++)
		if (refs & (1U << i))
			err = bf_visit(c, id, words[i], false);
	return err;
}

static int bf_expand(struct bf_closure *c, u32 id)
{
	const struct bf_kind_layout *l;
	struct bf_btf_type t;
	u32 kind, off, i;
	bool weak;
	int err;

	err = bf_head(c, id, &t);
	if (err)
		return err;
	kind = bf_kind(&t);
	weak = bf_state(c, id) == BF_ST_WEAK;
	if (bf_is_composite(kind) && weak)
		return 0;	/* stays a FWD unless reached by value */
	if (kind == BF_KIND_PTR || bf_is_chain(kind)) {
		err = bf_check_chain(c, id);
		if (err)
			return err;
	}
	l = &bf_kind_layouts[kind];
	if (l->head_ref) {
		err = bf_visit(c, id, t.size_type,
			       kind == BF_KIND_PTR ||
			       (bf_is_chain(kind) && weak));
		if (err)
			return err;
	}
	off = bf_type_off(c->idx, id) + sizeof(t);
	err = bf_visit_words(c, id, off, l->fixed, l->fixed_refs);
	off += l->fixed;
	for (i = 0; !err && i < bf_vlen(&t); i++, off += l->elem)
		err = bf_visit_words(c, id, off, l->elem, l->elem_refs);
	return err;
}

/* Keep the DECL_TAGs of every type that is kept whole. */
static int bf_keep_tags(struct bf_closure *c)
{
	const struct bf_index *idx = c->idx;
	struct bf_btf_type t;
	u32 i;
	int err;

	for (i = 0; i < idx->nr_tags; i++) {
		u32 target = idx->tags[i].target;
		u32 st = bf_state(c, target);

		if (st == BF_ST_NONE)
			continue;
		if (st == BF_ST_WEAK) {
			err = bf_head(c, target, &t);
			if (err)
				return err;
			if (bf_is_composite(bf_kind(&t)))
				continue;
		}
		bf_set_state(c, idx->tags[i].tag, BF_ST_STRONG);
	}
	return 0;
}

int bf_closure(struct bf_closure *c, const u32 *roots, u32 nr_roots)
{
	u32 i, n = 0;
	int err = 0;

	for (i = 0; !err && i < nr_roots; i++)
		err = bf_visit(c, 0, roots[i], false);
	while (!err && c->nr_stack) {
		err = bf_expand(c, c->stack[--c->nr_stack]);
		if (!err && !(++n % 4096))
			err = bf_cond_resched();
	}
	if (!err)
		err = bf_keep_tags(c);
	return err;
}

bool bf_is_stub(struct bf_closure *c, const struct bf_btf_type *t, u32 id)
{
	return bf_is_composite(bf_kind(t)) && bf_state(c, id) == BF_ST_WEAK;
}
