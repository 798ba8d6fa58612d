// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle's closure, as a recursive walk in libbpf terms:
 *
 *   strong(t): t is kept whole and every reference out of it is strong,
 *              except that a PTR's target is followed by weak();
 *   weak(t):   typedefs and modifiers are kept whole and passed through
 *              weakly; a named struct/union becomes a stub unless strong
 *              elsewhere; anything else is strong(t).
 *
 * In full mode every reference is strong.  DECL_TAGs of whole types are
 * kept.  Recursion depth is bounded by an explicit stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

struct owalk {
	const struct btf *btf;
	unsigned char *keep;
	unsigned char *seen;	/* 1: weakly, 2: strongly */
	bool shallow;
	__u32 *stack;
	size_t top;
	size_t cap;
};

static bool is_modifier(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

static void push(struct owalk *w, __u32 id, unsigned char how)
{
	if (!id || w->seen[id] >= how)
		return;
	w->seen[id] = how;
	if (w->top == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->stack = realloc(w->stack, w->cap * sizeof(*w->stack));
		if (!w->stack)
			abort();
	}
	w->stack[w->top++] = id;
}

/* Every type ID this type refers to, in libbpf's terms. */
static size_t refs_of(const struct btf_type *t, __u32 *out, size_t max)
{
	size_t n = 0;
	int i;

	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		out[n++] = t->type;
		break;
	case BTF_KIND_ARRAY:
		out[n++] = btf_array(t)->type;
		out[n++] = btf_array(t)->index_type;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < btf_vlen(t) && n < max; i++)
			out[n++] = btf_members(t)[i].type;
		break;
	case BTF_KIND_FUNC_PROTO:
		out[n++] = t->type;
		for (i = 0; i < btf_vlen(t) && n < max; i++)
			out[n++] = btf_params(t)[i].type;
		break;
	case BTF_KIND_DATASEC:
		for (i = 0; i < btf_vlen(t) && n < max; i++)
			out[n++] = btf_var_secinfos(t)[i].type;
		break;
	default:
		break;
	}
	return n;
}

size_t oracle_closure(const struct btf *src, const __u32 *roots,
		      size_t nr_roots, bool shallow, unsigned char *keep)
{
	__u32 nr = btf__type_cnt(src), id, *refs;
	struct owalk w = { .btf = src, .keep = keep, .shallow = shallow };
	size_t i, kept = 0;

	w.seen = calloc(nr, 1);
	refs = malloc(70000 * sizeof(*refs));
	if (!w.seen || !refs)
		abort();
	memset(keep, ORACLE_OUT, nr);
	for (i = 0; i < nr_roots; i++)
		push(&w, roots[i], 2);
	while (w.top) {
		const struct btf_type *t;
		size_t n, k;
		bool weak;

		id = w.stack[--w.top];
		t = btf__type_by_id(src, id);
		weak = w.seen[id] == 1;
		if (weak && (btf_is_composite(t) && t->name_off)) {
			if (keep[id] != ORACLE_WHOLE)
				keep[id] = ORACLE_STUB;
			continue;
		}
		keep[id] = ORACLE_WHOLE;
		n = refs_of(t, refs, 70000);
		for (k = 0; k < n; k++) {
			bool to_weak = shallow &&
				(btf_is_ptr(t) || (weak && is_modifier(t)));
			const struct btf_type *r;

			if (!refs[k])
				continue;
			r = btf__type_by_id(src, refs[k]);
			/* only modifiers and named composites stay weak */
			if (to_weak && !is_modifier(r) &&
			    !(btf_is_composite(r) && r->name_off))
				to_weak = false;
			push(&w, refs[k], to_weak ? 1 : 2);
		}
	}
	/* Stubs that became strong later were overwritten above. */
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(src, id);

		if (btf_is_decl_tag(t) && keep[t->type] == ORACLE_WHOLE)
			keep[id] = ORACLE_WHOLE;
	}
	for (id = 1; id < nr; id++)
		kept += keep[id] != ORACLE_OUT;
	free(w.seen);
	free(w.stack);
	free(refs);
	return kept;
}

static const struct {
	const char *word;
	int kind;
	int kind2;
} kind_words[] = {
	{ "struct", BTF_KIND_STRUCT, -1 },
	{ "union", BTF_KIND_UNION, -1 },
	{ "enum", BTF_KIND_ENUM, BTF_KIND_ENUM64 },
	{ "typedef", BTF_KIND_TYPEDEF, -1 },
	{ "func", BTF_KIND_FUNC, -1 },
	{ "var", BTF_KIND_VAR, -1 },
	{ "datasec", BTF_KIND_DATASEC, -1 },
	{ "fwd", BTF_KIND_FWD, -1 },
	{ "int", BTF_KIND_INT, -1 },
	{ "float", BTF_KIND_FLOAT, -1 },
};

int oracle_roots(const struct btf *src, const char *sel, __u32 *ids)
{
	__u32 nr = btf__type_cnt(src), id;
	const char *name = sel, *sp;
	int kind = -1, kind2 = -1, n = 0;
	size_t i;

	if (sel[0] == '#') {
		char *end;
		unsigned long v = strtoul(sel + 1, &end, 10);

		if (!sel[1] || *end || !v)
			return -1;
		if (v < nr)
			ids[n++] = v;
		return n;
	}
	sp = strchr(sel, ' ');
	if (sp) {
		for (i = 0; i < sizeof(kind_words) / sizeof(kind_words[0]); i++)
			if (strlen(kind_words[i].word) == (size_t)(sp - sel) &&
			    !strncmp(kind_words[i].word, sel, sp - sel)) {
				kind = kind_words[i].kind;
				kind2 = kind_words[i].kind2;
			}
		if (kind >= 0)
			name = sp + 1;
	}
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(src, id);

		if (kind >= 0 && btf_kind(t) != kind && btf_kind(t) != kind2)
			continue;
		if (!strcmp(btf__name_by_offset(src, t->name_off), name))
			ids[n++] = id;
	}
	return n;
}
