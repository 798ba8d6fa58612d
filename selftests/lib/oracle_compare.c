// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle's structural comparison: every result type against its
 * source type through the ID map, kind by kind in libbpf's accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oracle.h"

struct ocmp {
	const struct btf *src;
	const struct btf *res;
	const __u32 *map;
	__u32 nr_map;
	char *err;
	size_t err_sz;
	__u32 rid;
	__u32 sid;
};

static int fail(struct ocmp *c, const char *fmt, ...)
{
	int n = snprintf(c->err, c->err_sz, "result [%u] (source [%u]): ",
			 c->rid, c->sid);
	va_list ap;

	if (n >= 0 && (size_t)n < c->err_sz) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->err_sz - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Does result reference rref stand for source reference sref? */
static bool ref_ok(const struct ocmp *c, __u32 sref, __u32 rref)
{
	if (!rref)
		return !sref;
	return rref <= c->nr_map && c->map[rref - 1] == sref;
}

static bool str_eq(const struct ocmp *c, __u32 soff, __u32 roff)
{
	const char *a = btf__name_by_offset(c->src, soff);
	const char *b = btf__name_by_offset(c->res, roff);

	return a && b && !strcmp(a, b);
}

static int cmp_members(struct ocmp *c, const struct btf_type *s,
		       const struct btf_type *r)
{
	int i;

	for (i = 0; i < btf_vlen(s); i++) {
		const struct btf_member *a = btf_members(s) + i;
		const struct btf_member *b = btf_members(r) + i;

		if (!str_eq(c, a->name_off, b->name_off) ||
		    !ref_ok(c, a->type, b->type) || a->offset != b->offset)
			return fail(c, "member %d differs", i);
	}
	return 0;
}

static int cmp_whole(struct ocmp *c, const struct btf_type *s,
		     const struct btf_type *r)
{
	int i;

	if (btf_kind(s) != btf_kind(r) || btf_kflag(s) != btf_kflag(r) ||
	    btf_vlen(s) != btf_vlen(r))
		return fail(c, "kind/kflag/vlen %u/%d/%u, source %u/%d/%u",
			    btf_kind(r), btf_kflag(r), btf_vlen(r),
			    btf_kind(s), btf_kflag(s), btf_vlen(s));
	switch (btf_kind(s)) {
	case BTF_KIND_INT:
		if (s->size != r->size ||
		    *(__u32 *)(s + 1) != *(__u32 *)(r + 1))
			return fail(c, "int size or encoding differs");
		return 0;
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
		return ref_ok(c, s->type, r->type) ? 0 :
		       fail(c, "refers to result %u, not source %u",
			    r->type, s->type);
	case BTF_KIND_ARRAY:
		if (!ref_ok(c, btf_array(s)->type, btf_array(r)->type) ||
		    !ref_ok(c, btf_array(s)->index_type,
			    btf_array(r)->index_type) ||
		    btf_array(s)->nelems != btf_array(r)->nelems)
			return fail(c, "array differs");
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (s->size != r->size)
			return fail(c, "size %u, source %u", r->size, s->size);
		return cmp_members(c, s, r);
	case BTF_KIND_ENUM:
		if (s->size != r->size)
			return fail(c, "enum size differs");
		for (i = 0; i < btf_vlen(s); i++)
			if (!str_eq(c, btf_enum(s)[i].name_off,
				    btf_enum(r)[i].name_off) ||
			    btf_enum(s)[i].val != btf_enum(r)[i].val)
				return fail(c, "enumerator %d differs", i);
		return 0;
	case BTF_KIND_ENUM64:
		if (s->size != r->size)
			return fail(c, "enum64 size differs");
		for (i = 0; i < btf_vlen(s); i++)
			if (!str_eq(c, btf_enum64(s)[i].name_off,
				    btf_enum64(r)[i].name_off) ||
			    btf_enum64_value(btf_enum64(s) + i) !=
			    btf_enum64_value(btf_enum64(r) + i))
				return fail(c, "enumerator64 %d differs", i);
		return 0;
	case BTF_KIND_FWD:
		return 0;
	case BTF_KIND_FUNC_PROTO:
		if (!ref_ok(c, s->type, r->type))
			return fail(c, "return type differs");
		for (i = 0; i < btf_vlen(s); i++)
			if (!str_eq(c, btf_params(s)[i].name_off,
				    btf_params(r)[i].name_off) ||
			    !ref_ok(c, btf_params(s)[i].type,
				    btf_params(r)[i].type))
				return fail(c, "param %d differs", i);
		return 0;
	case BTF_KIND_VAR:
		if (!ref_ok(c, s->type, r->type) ||
		    btf_var(s)->linkage != btf_var(r)->linkage)
			return fail(c, "var differs");
		return 0;
	case BTF_KIND_DATASEC:
		if (s->size != r->size)
			return fail(c, "datasec size differs");
		for (i = 0; i < btf_vlen(s); i++) {
			const struct btf_var_secinfo *a = btf_var_secinfos(s) + i;
			const struct btf_var_secinfo *b = btf_var_secinfos(r) + i;

			if (!ref_ok(c, a->type, b->type) ||
			    a->offset != b->offset || a->size != b->size)
				return fail(c, "secinfo %d differs", i);
		}
		return 0;
	case BTF_KIND_FLOAT:
		return s->size == r->size ? 0 : fail(c, "float size differs");
	case BTF_KIND_DECL_TAG:
		if (!ref_ok(c, s->type, r->type) ||
		    btf_decl_tag(s)->component_idx !=
		    btf_decl_tag(r)->component_idx)
			return fail(c, "decl tag differs");
		return 0;
	default:
		return fail(c, "unexpected kind %u", btf_kind(s));
	}
}

int oracle_compare(const struct btf *src, const unsigned char *keep,
		   const struct btf *res, const __u32 *map, __u32 nr_map,
		   char *err, size_t err_sz)
{
	struct ocmp c = { .src = src, .res = res, .map = map, .nr_map = nr_map,
			  .err = err, .err_sz = err_sz };
	__u32 nr_src = btf__type_cnt(src), kept = 0, i;

	for (i = 1; i < nr_src; i++)
		kept += keep[i] != ORACLE_OUT;
	if (kept != nr_map || btf__type_cnt(res) != nr_map + 1) {
		snprintf(err, err_sz, "oracle keeps %u types, result has %u (map %u)",
			 kept, btf__type_cnt(res) - 1, nr_map);
		return -1;
	}
	for (i = 0; i < nr_map; i++) {
		const struct btf_type *s, *r;

		c.rid = i + 1;
		c.sid = map[i];
		if (!map[i] || map[i] >= nr_src || (i && map[i] <= map[i - 1]))
			return fail(&c, "id map not ascending within the source");
		if (keep[map[i]] == ORACLE_OUT)
			return fail(&c, "not in the oracle's closure");
		s = btf__type_by_id(src, map[i]);
		r = btf__type_by_id(res, i + 1);
		if (!str_eq(&c, s->name_off, r->name_off))
			return fail(&c, "name '%s', source '%s'",
				    btf__name_by_offset(res, r->name_off),
				    btf__name_by_offset(src, s->name_off));
		if (keep[map[i]] == ORACLE_STUB) {
			if (!btf_is_fwd(r) || btf_vlen(r) ||
			    btf_kflag(r) != btf_is_union(s))
				return fail(&c, "should be a FWD %s",
					    btf_is_union(s) ? "union" : "struct");
			continue;
		}
		if (cmp_whole(&c, s, r))
			return -1;
	}
	return 0;
}
