/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The closure's per-type state, shared by closure.c and emit.c. */
#ifndef BF_CLOSURE_H
#define BF_CLOSURE_H

#include "bf_internal.h"

enum {
	BF_ST_NONE = 0,
	BF_ST_WEAK = 1,		/* reached only through a pointer */
	BF_ST_STRONG = 2,	/* reached by value, or a root */
};

struct bf_closure {
	const struct bf_env *env;
	struct bf_io *io;
	const struct bf_index *idx;
	bool shallow;
	u8 *state;		/* 2 bits per type */
	size_t state_size;
	u32 *pending;		/* 1 bit per type: to expand */
	size_t pending_size;
	u32 *pending_sum;	/* 1 bit per pending word that is not zero */
	size_t pending_sum_size;
	u32 cursor;		/* the sweep expands pending IDs >= cursor */
	u32 low;		/* lowest ID pended behind the cursor */
	u32 high;		/* highest ID ever pended */
	u32 *kept;		/* each ID kept, once, in the order reached */
	u32 nr_kept;
	u32 kept_cap;
	u32 *chains;		/* [id, target] of each pointer and chain */
	u32 nr_chains;
	u32 chain_cap;		/* in records of two words */
	/* fields mode only (see fields.c) */
	u32 *field;		/* 1 bit per type: reached as a member's type */
	size_t field_size;
	u32 *marks;		/* [id, index]: kept member or enum value */
	u32 nr_marks;
	u32 mark_cap;		/* in records of two words */
	u32 *steps;		/* [id, index] of the path being resolved */
	u32 nr_steps;
	u32 step_cap;
	char *name;		/* BF_SEL_NAME_MAX + 1 bytes for member names */
	u8 *memo;		/* [id]: 1 + depth left when a search failed */
	u32 *memo_ids;		/* the IDs with a memo, to reset */
	u32 nr_memo;
	u32 memo_cap;
	u32 visits;		/* members looked at, for bf_cond_resched() */
};

static inline u32 bf_state(const struct bf_closure *c, u32 id)
{
	return (c->state[id / 4] >> ((id % 4) * 2)) & 3;
}

/* Fields mode: reached as the type of a kept member (or on a path). */
static inline bool bf_field(const struct bf_closure *c, u32 id)
{
	return c->field && ((c->field[id / 32] >> (id % 32)) & 1);
}

static inline bool bf_is_composite(u32 kind)
{
	return kind == BF_KIND_STRUCT || kind == BF_KIND_UNION;
}

static inline bool bf_is_chain(u32 kind)
{
	return kind == BF_KIND_TYPEDEF || kind == BF_KIND_CONST ||
	       kind == BF_KIND_VOLATILE || kind == BF_KIND_RESTRICT ||
	       kind == BF_KIND_TYPE_TAG;
}

int bf_head(struct bf_closure *c, u32 id, struct bf_btf_type *t);
int bf_closure_init(struct bf_closure *c, bool fields);
/* Walk from the roots whose selectors name no member path. */
int bf_closure(struct bf_closure *c, const struct bf_roots *r);
void bf_closure_free(struct bf_closure *c);
/* Reach id as a member's type (fields mode). */
int bf_visit_field(struct bf_closure *c, u32 from, u32 id);
/* Fields mode: resolve every member path, marking what it keeps. */
int bf_walk_paths(struct bf_closure *c, struct bf_roots *r);
/* The marks of id: *first is the first [id, index] record, returns how many. */
u32 bf_marks_of(const struct bf_closure *c, u32 id, u32 *first);
/* Is the kept type t (ID id) emitted as a FWD in its own place? */
bool bf_is_stub(struct bf_closure *c, const struct bf_btf_type *t, u32 id);
int bf_emit(struct bf_closure *c, const struct bf_query *q,
	    struct bf_result *res);

#endif /* BF_CLOSURE_H */
