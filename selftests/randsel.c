// SPDX-License-Identifier: GPL-2.0
/*
 * Random selectors for the differential tests: names of real types (half
 * bare, a third with their kind), type IDs, and a few names that match
 * nothing.  Deterministic for a seed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "randsel.h"

static bool selectable(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: case BTF_KIND_TYPEDEF: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DATASEC: case BTF_KIND_FWD:
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		return t->name_off != 0;
	default:
		return false;
	}
}

__u32 randsel_names(const struct btf *src, __u32 *named)
{
	__u32 nr = btf__type_cnt(src), id, n = 0;

	for (id = 1; id < nr; id++)
		if (selectable(btf__type_by_id(src, id)))
			named[n++] = id;
	return n;
}

static const char *kind_word(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: return "struct";
	case BTF_KIND_UNION: return "union";
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return "enum";
	case BTF_KIND_TYPEDEF: return "typedef";
	case BTF_KIND_FUNC: return "func";
	case BTF_KIND_VAR: return "var";
	case BTF_KIND_DATASEC: return "datasec";
	case BTF_KIND_FWD: return "fwd";
	case BTF_KIND_INT: return "int";
	default: return "float";
	}
}

void randsel_one(const struct btf *src, const __u32 *named, __u32 nr_named,
		 unsigned int *seed, char *buf, size_t sz, bool *missing)
{
	unsigned int dice = rand_r(seed) % 100;
	__u32 id = named[rand_r(seed) % nr_named];
	const struct btf_type *t = btf__type_by_id(src, id);
	const char *name = btf__name_by_offset(src, t->name_off);

	if (dice < 50)
		snprintf(buf, sz, "%s", name);
	else if (dice < 80)
		snprintf(buf, sz, "%s %s", kind_word(t), name);
	else if (dice < 95)
		snprintf(buf, sz, "#%u",
			 1 + rand_r(seed) % (btf__type_cnt(src) - 1));
	else {
		snprintf(buf, sz, "no_such_type_%u", rand_r(seed));
		*missing = true;
	}
}

