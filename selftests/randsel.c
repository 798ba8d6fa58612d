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


const struct btf_type *randsel_skip(const struct btf *src, __u32 *id,
				    bool deref)
{
	const struct btf_type *t = btf__type_by_id(src, *id);
	int depth;

	for (depth = 0; t && depth < 32; depth++) {
		if (btf_is_mod(t) || btf_is_typedef(t) ||
		    (deref && btf_is_ptr(t)))
			*id = t->type;
		else if (deref && btf_is_array(t))
			*id = btf_array(t)->type;
		else
			break;
		t = btf__type_by_id(src, *id);
	}
	return t;
}

void randsel_path(const struct btf *src, unsigned int *seed, char *buf,
		  size_t sz, bool *missing)
{
	__u32 nr = btf__type_cnt(src), id;
	const struct btf_type *t;
	int tries, steps, len;

	for (tries = 0; tries < 100000; tries++) {
		id = 1 + rand_r(seed) % (nr - 1);
		t = btf__type_by_id(src, id);
		if (t->name_off && btf_vlen(t) &&
		    (btf_is_composite(t) || btf_is_any_enum(t)))
			break;
	}
	len = snprintf(buf, sz, "%s%s", btf_is_any_enum(t) ? "enum " :
		       rand_r(seed) % 2 ? "" : btf_is_struct(t) ? "struct " :
		       btf_is_union(t) ? "union " : "",
		       btf__name_by_offset(src, t->name_off));
	if (btf_is_any_enum(t)) {
		int i = rand_r(seed) % btf_vlen(t);
		__u32 name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off :
						  btf_enum64(t)[i].name_off;

		snprintf(buf + len, sz - len, ".%s",
			 btf__name_by_offset(src, name_off));
		return;
	}
	steps = 1 + rand_r(seed) % 3;
	while (steps > 0 && (size_t)len < sz && btf_vlen(t)) {
		const struct btf_member *m;

		m = btf_members(t) + rand_r(seed) % btf_vlen(t);
		if (m->name_off) {
			len += snprintf(buf + len, sz - len, ".%s",
					btf__name_by_offset(src, m->name_off));
			steps--;
		}
		id = m->type;
		t = randsel_skip(src, &id, m->name_off != 0);
		if (!t || !btf_is_composite(t))
			break;
	}
	if (rand_r(seed) % 20 == 0 && (size_t)len < sz) {
		snprintf(buf + len, sz - len, ".no_such_member");
		*missing = true;
	}
}
