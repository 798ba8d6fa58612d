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
 * The result is the fixpoint, whatever order the walk takes.
 * DECL_TAGs are then kept for every type kept whole.
 */
#include "bf_internal.h"
#include "bf_closure.h"

int bf_head(struct bf_closure *c, u32 id, struct bf_btf_type *t)
{
	int err = bf_read_type(c->io, c->idx, id, t);

	if (!err && !bf_kind_known(bf_kind(t))) {
		bf_log(c->env, "[%u] is of kind %u, which this version of btf-filter does not know: the closure cannot go on through it",
		       id, bf_kind(t));
		return -EOPNOTSUPP;
	}
	return err;
}

/*
 * The first time id is kept (its state leaves none, or its field bit is
 * set), it joins c->kept: bf_emit() takes the kept IDs from there, never
 * from a sweep over every type of the source.
 */
static int bf_note_kept(struct bf_closure *c, u32 id)
{
	int err;

	if (bf_state(c, id) != BF_ST_NONE || bf_field(c, id))
		return 0;
	err = bf_grow(c->env, (void **)&c->kept, &c->kept_cap, c->nr_kept + 1,
		      sizeof(u32));
	if (!err)
		c->kept[c->nr_kept++] = id;
	return err;
}

static int bf_set_state(struct bf_closure *c, u32 id, u32 st)
{
	u32 shift = (id % 4) * 2;
	int err = bf_note_kept(c, id);

	if (!err)
		c->state[id / 4] = (c->state[id / 4] & ~(3U << shift)) |
				   (st << shift);
	return err;
}

/*
 * The walk sweeps the pending IDs in ascending order, so that the records
 * it reads come in source order and mostly from the same window; an ID
 * pended behind the sweep starts another one from there.  A summary bit
 * per pending word that is not zero lets a sweep skip 1024 IDs at a time,
 * so that finding the next ID costs no more than the source's types / 1024.
 */
static void bf_pend(struct bf_closure *c, u32 id)
{
	u32 w = id / 32;

	c->pending[w] |= 1U << (id % 32);
	c->pending_sum[w / 32] |= 1U << (w % 32);
	if (id < c->cursor && id < c->low)
		c->low = id;
	if (id > c->high)
		c->high = id;
}

/* The first pending ID >= from, or BF_U32_MAX. */
static u32 bf_first_pending(const struct bf_closure *c, u32 from)
{
	u32 w = from / 32, last = c->high / 32, s, sum;

	if (w > last)
		return BF_U32_MAX;
	sum = c->pending[w] & (~0U << (from % 32));
	if (sum)
		return w * 32 + __builtin_ctz(sum);
	for (w++, s = w / 32; s <= last / 32; s++) {
		sum = c->pending_sum[s];
		if (s == w / 32)
			sum &= ~0U << (w % 32);
		if (sum) {
			w = s * 32 + __builtin_ctz(sum);
			return w * 32 + __builtin_ctz(c->pending[w]);
		}
	}
	return BF_U32_MAX;
}

/* The next pending ID from the cursor on (cleared), or 0 when none. */
static u32 bf_next_pending(struct bf_closure *c)
{
	u32 id, w;

	for (;;) {
		id = bf_first_pending(c, c->cursor);
		if (id != BF_U32_MAX)
			break;
		if (c->low == BF_U32_MAX)
			return 0;
		c->cursor = c->low;
		c->low = BF_U32_MAX;
	}
	w = id / 32;
	c->pending[w] &= ~(1U << (id % 32));
	if (!c->pending[w])
		c->pending_sum[w / 32] &= ~(1U << (w % 32));
	c->cursor = id + 1;
	return id;
}

static int bf_check_ref(struct bf_closure *c, u32 from, u32 id)
{
	return bf_check_again(c->io, c->idx, from, id, false);
}

/*
 * Reached from 'from' (weakly: through a pointer).  A weak type's fate is
 * settled when it is expanded, from its own record, which the sweep reads
 * in order anyway.
 */
static int bf_visit(struct bf_closure *c, u32 from, u32 id, bool weak)
{
	u32 st = weak && c->shallow ? BF_ST_WEAK : BF_ST_STRONG;
	int err = bf_check_ref(c, from, id);

	if (err || !id || st <= bf_state(c, id))
		return err;
	err = bf_set_state(c, id, st);
	if (!err)
		bf_pend(c, id);
	return err;
}

int bf_visit_field(struct bf_closure *c, u32 from, u32 id)
{
	int err = bf_check_ref(c, from, id);

	if (err || !id || bf_field(c, id) || bf_state(c, id) == BF_ST_STRONG)
		return err;
	err = bf_note_kept(c, id);
	if (err)
		return err;
	c->field[id / 32] |= 1U << (id % 32);
	bf_pend(c, id);
	return 0;
}

/*
 * Every reference of id (record t) but the head's, reached strongly or as
 * a field.
 */
static int bf_visit_refs(struct bf_closure *c, u32 id,
			 const struct bf_btf_type *t, bool field)
{
	struct bf_rec rec = {
		.io = c->io,
		.size = bf_record_size(t),
	};
	struct bf_word_iter it;
	u32 woff, ref, off;
	bool is_str;
	int err;

	err = bf_type_off(c->io, c->idx, id, &off);
	if (err)
		return err;
	rec.off = off;
	bf_word_iter_init(&it, t, BF_WORD_IDS);
	while (bf_word_iter_next(&it, &woff, &is_str)) {
		if (woff < sizeof(*t))
			continue;	/* the head's: the caller's to follow */
		err = bf_rec_word(&rec, woff, &ref);
		if (!err)
			err = field ? bf_visit_field(c, id, ref) :
				      bf_visit(c, id, ref, false);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A type reached only as a member's type keeps what the member needs: a
 * chain, array or prototype keeps its targets the same way, a pointer
 * keeps nothing behind it (it points at void unless its target is kept
 * for its own sake), a struct or union only its marked members.
 */
static int bf_expand_field(struct bf_closure *c, u32 id,
			   const struct bf_btf_type *t)
{
	u32 kind = bf_kind(t);
	int err;

	if (bf_is_composite(kind) || kind == BF_KIND_PTR)
		return 0;
	if (bf_kind_layouts[kind].head_ref) {
		err = bf_visit_field(c, id, t->size_type);
		if (err)
			return err;
	}
	return bf_visit_refs(c, id, t, true);
}

static int bf_expand(struct bf_closure *c, u32 id)
{
	struct bf_btf_type t;
	u32 kind, st;
	bool weak;
	int err;

	err = bf_head(c, id, &t);
	if (err)
		return err;
	kind = bf_kind(&t);
	st = bf_state(c, id);
	if (st == BF_ST_WEAK && !bf_is_chain(kind) &&
	    !(bf_is_composite(kind) && t.name_off)) {
		err = bf_set_state(c, id, BF_ST_STRONG); /* kept whole anyway */
		if (err)
			return err;
		st = BF_ST_STRONG;
	}
	if (kind == BF_KIND_PTR || bf_is_chain(kind)) {
		err = bf_push_pair(c->env, &c->chains, &c->nr_chains,
				   &c->chain_cap, id, t.size_type);
		if (err)
			return err;
	}
	if (bf_field(c, id) && st != BF_ST_STRONG) {
		err = bf_expand_field(c, id, &t);
		if (err)
			return err;
	}
	weak = st == BF_ST_WEAK;
	if (st == BF_ST_NONE || (bf_is_composite(kind) && weak))
		return 0;	/* a FWD unless reached by value */
	if (bf_kind_layouts[kind].head_ref) {
		err = bf_visit(c, id, t.size_type,
			       kind == BF_KIND_PTR ||
			       (bf_is_chain(kind) && weak));
		if (err)
			return err;
	}
	return bf_visit_refs(c, id, &t, false);
}

/*
 * A chain of pointers, typedefs and modifiers must end, as the kernel
 * requires, within BF_RESOLVE_DEPTH steps.  Every link of a kept chain was
 * expanded, so the chain is followed in the [id, target] records alone.
 */
static int bf_check_chains(struct bf_closure *c)
{
	u32 n = bf_sort_unique_pairs(c->chains, c->nr_chains), i, depth;

	for (i = 0; i < n; i++) {
		u32 cur, at = i;

		if (!(i % 4096) && bf_cond_resched())
			return -EINTR;
		for (depth = 0; depth <= BF_RESOLVE_DEPTH; depth++) {
			if (at == n)
				break;	/* not a pointer or chain: it ends */
			cur = c->chains[2 * at + 1];
			at = bf_find_pair(c->chains, n, cur);
		}
		if (depth > BF_RESOLVE_DEPTH) {
			bf_log(c->env, "[%u] chain of pointers, typedefs and modifiers loops or is deeper than %u",
			       c->chains[2 * i], BF_RESOLVE_DEPTH);
			return -ELOOP;
		}
	}
	return 0;
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
		err = bf_set_state(c, idx->tags[i].tag, BF_ST_STRONG);
		if (err)
			return err;
	}
	return 0;
}

int bf_closure_init(struct bf_closure *c, bool fields)
{
	c->state_size = c->idx->nr_types / 4 + 1;
	c->state = bf_zalloc(c->env, c->state_size);
	c->pending_size = (c->idx->nr_types / 32 + 1) * sizeof(u32);
	c->pending = bf_zalloc(c->env, c->pending_size);
	c->pending_sum_size = (c->idx->nr_types / 1024 + 1) * sizeof(u32);
	c->pending_sum = bf_zalloc(c->env, c->pending_sum_size);
	if (!c->state || !c->pending || !c->pending_sum)
		return -ENOMEM;
	c->cursor = 0;
	c->low = BF_U32_MAX;
	c->high = 0;
	if (!fields)
		return 0;
	c->field_size = c->pending_size;
	c->field = bf_zalloc(c->env, c->field_size);
	c->name = bf_zalloc(c->env, BF_SEL_NAME_MAX + 1);
	c->memo = bf_zalloc(c->env, (size_t)c->idx->nr_types + 1);
	return c->field && c->name && c->memo ? 0 : -ENOMEM;
}

int bf_closure(struct bf_closure *c, const struct bf_roots *r)
{
	u32 i, id, n = 0;
	int err = 0;

	for (i = 0; !err && i < r->nr_ids; i++)
		if (!r->sels[r->id_sels[i]].path_len)
			err = bf_visit(c, 0, r->ids[i], false);
	while (!err && (id = bf_next_pending(c))) {
		err = bf_expand(c, id);
		if (!err && !(++n % 4096))
			err = bf_cond_resched();
	}
	if (!err)
		err = bf_check_chains(c);
	if (!err)
		err = bf_keep_tags(c);
	return err;
}

void bf_closure_free(struct bf_closure *c)
{
	bf_free(c->env, c->state, c->state_size);
	bf_free(c->env, c->pending, c->pending_size);
	bf_free(c->env, c->pending_sum, c->pending_sum_size);
	bf_free(c->env, c->kept, (size_t)c->kept_cap * sizeof(u32));
	bf_free(c->env, c->chains, (size_t)c->chain_cap * 2 * sizeof(u32));
	bf_free(c->env, c->field, c->field_size);
	bf_free(c->env, c->marks, (size_t)c->mark_cap * 2 * sizeof(u32));
	bf_free(c->env, c->steps, (size_t)c->step_cap * 2 * sizeof(u32));
	bf_free(c->env, c->name, BF_SEL_NAME_MAX + 1);
	bf_free(c->env, c->memo, (size_t)c->idx->nr_types + 1);
	bf_free(c->env, c->memo_ids, (size_t)c->memo_cap * sizeof(u32));
	c->state = NULL;
	c->pending = NULL;
	c->pending_sum = NULL;
	c->kept = NULL;
	c->chains = NULL;
	c->field = NULL;
	c->marks = NULL;
	c->steps = NULL;
	c->name = NULL;
	c->memo = NULL;
	c->memo_ids = NULL;
}

bool bf_is_stub(struct bf_closure *c, const struct bf_btf_type *t, u32 id)
{
	return bf_is_composite(bf_kind(t)) && bf_state(c, id) == BF_ST_WEAK &&
	       !bf_field(c, id);
}
