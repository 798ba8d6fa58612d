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
	u32 cursor;		/* the sweep expands pending IDs >= cursor */
	u32 low;		/* lowest ID pended behind the cursor */
	u32 high;		/* highest ID ever pended */
	u32 *chains;		/* [id, target] of each pointer and chain */
	u32 nr_chains;
	u32 chain_cap;		/* in records of two words */
};

static inline u32 bf_state(const struct bf_closure *c, u32 id)
{
	return (c->state[id / 4] >> ((id % 4) * 2)) & 3;
}

int bf_head(struct bf_closure *c, u32 id, struct bf_btf_type *t);
int bf_closure(struct bf_closure *c, const u32 *roots, u32 nr_roots);
void bf_closure_free(struct bf_closure *c);
/* Is the kept type t (ID id) emitted as a FWD in its own place? */
bool bf_is_stub(struct bf_closure *c, const struct bf_btf_type *t, u32 id);
int bf_emit(struct bf_closure *c, const struct bf_query *q,
	    struct bf_result *res);

#endif /* BF_CLOSURE_H */
