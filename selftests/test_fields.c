// SPDX-License-Identifier: GPL-2.0
/*
 * Fields mode, checked with libbpf alone: for every member path and enum
 * value selector, the path resolved by name in the result (libbpf's API,
 * looking inside anonymous members as CO-RE does) must describe the same
 * members at the same offsets, bitfield sizes and sizes as in the source;
 * every kept struct member must be a source member at its source offset;
 * a struct cut down must keep only members named on some path; and the
 * kernel's BTF checker must accept the result.  On synthetic BTF the exact
 * result is checked too.  Paths from roots whose names are tails of each
 * other must be found in any order; a BTF made for an exponential member
 * search must be answered within a time budget and an O(input) heap.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "btf_load.h"
#include "randsel.h"
#include "bounded.h"

#define DESC_MAX 4096

/* Append to desc the member called name in composite id; its type. */
static int find_member(const struct btf *b, __u32 id, const char *name,
		       char *desc, int depth, __u32 *type)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	size_t len = strlen(desc);
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = btf_members(t) + i;
		const char *mn = btf__name_by_offset(b, m->name_off);
		const struct btf_type *it;
		__u32 inner = m->type;

		snprintf(desc + len, DESC_MAX - len, " %s@%u/%u", mn[0] ? mn :
			 "(anon)", btf_member_bit_offset(t, i),
			 btf_member_bitfield_size(t, i));
		if (mn[0] && !strcmp(mn, name)) {
			*type = m->type;
			return 0;
		}
		it = randsel_skip(b, &inner, false);
		if (!mn[0] && depth < 8 && it && btf_is_composite(it) &&
		    !find_member(b, inner, name, desc, depth + 1, type))
			return 0;
		desc[len] = 0;
	}
	return -1;
}

/*
 * The selector resolved in b, as text: each struct passed (name, size),
 * each member (name, bit offset, bitfield size), the last member's type
 * kind and size, or the enum value.  -1 if no type has the whole path.
 */
static int describe(const struct btf *b, const char *sel, char *desc)
{
	char name[512], *path, *seg, *save;
	const char *n = sel;
	__u32 nr = btf__type_cnt(b), id;

	if (!strncmp(n, "struct ", 7) || !strncmp(n, "union ", 6) ||
	    !strncmp(n, "enum ", 5))
		n = strchr(n, ' ') + 1;
	snprintf(name, sizeof(name), "%s", n);
	path = strchr(name, '.');
	if (!path)
		return -1;
	*path++ = 0;
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);
		__u32 cur = id;
		char tmp[512];
		int ok = 1;

		if (strcmp(btf__name_by_offset(b, t->name_off), name))
			continue;
		snprintf(tmp, sizeof(tmp), "%s", path);
		desc[0] = 0;
		for (seg = strtok_r(tmp, ".", &save); ok && seg;
		     seg = strtok_r(NULL, ".", &save)) {
			size_t len = strlen(desc);

			t = randsel_skip(b, &cur, cur != id);
			/* an enum's value ends the path */
			if (t && btf_is_any_enum(t) &&
			    !strtok_r(NULL, ".", &save)) {
				int i;

				for (i = 0; i < btf_vlen(t); i++) {
					const char *vn = btf__name_by_offset(b,
						btf_is_enum(t) ?
						btf_enum(t)[i].name_off :
						btf_enum64(t)[i].name_off);
					long long v = btf_is_enum(t) ?
						btf_enum(t)[i].val :
						(long long)btf_enum64_value(
						btf_enum64(t) + i);

					if (!strcmp(vn, seg)) {
						snprintf(desc + len,
							 DESC_MAX - len,
							 "enum(%u) %s=%lld",
							 t->size, vn, v);
						return 0;
					}
				}
				ok = 0;
				break;
			}
			if (!t || !btf_is_composite(t)) {
				ok = 0;
				break;
			}
			snprintf(desc + len, DESC_MAX - len, " {%u}", t->size);
			ok = !find_member(b, cur, seg, desc, 0, &cur);
		}
		if (ok) {
			const struct btf_type *mt = btf__type_by_id(b, cur);
			size_t len = strlen(desc);

			snprintf(desc + len, DESC_MAX - len, " :kind %u size %lld",
				 btf_kind(mt), btf_is_ptr(mt) ? 8 :
				 (long long)btf__resolve_size(b, cur));
			return 0;
		}
	}
	return -1;
}

/* Is name a member named on some path of sels? */
static bool on_a_path(const char *name, const char **sels, int n)
{
	size_t len = strlen(name);
	int i;

	for (i = 0; i < n; i++) {
		const char *p = strchr(sels[i], '.');

		while (p) {
			if (!strncmp(p + 1, name, len) &&
			    (p[1 + len] == '.' || !p[1 + len]))
				return true;
			p = strchr(p + 1, '.');
		}
	}
	return false;
}

/* Query src in fields mode and check the result; returns it parsed. */
static struct btf *check_fields(struct __test_metadata *_metadata,
				const struct btf *src, const char **sels,
				int n, __u32 flags, int *missing)
{
	__u32 src_size, size, nr_map, id;
	const void *raw = btf__raw_data(src, &src_size), *data;
	char log[256] = "", klog[256], *want, *got;
	BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_FIELDS,
			.flags = flags | BTF_FILTER_F_ID_MAP,
			.log_buf = log, .log_size = sizeof(log));
	struct btf_filter_result *r;
	struct btf_filter_stats st;
	const __u32 *map;
	struct btf *res;
	int i, fd, want_missing = 0, any_whole = 0;

	r = btf_filter__query_mem(raw, src_size, sels, n, &o);
	if (!r) {
		*missing = -errno;
		TH_LOG("'%s': %s", sels[0], log);
		return NULL;
	}
	data = btf_filter_result__data(r, &size);
	map = btf_filter_result__id_map(r, &nr_map);
	res = btf__new(data, size);
	EXPECT_NE(NULL, res) TH_LOG("libbpf rejects the result of '%s'", sels[0]);
	if (!res)
		goto out;
	/* The kernel refuses a BTF of no types; any other it must take. */
	if (btf__type_cnt(res) > 1) {
		fd = kernel_btf_check(data, size, klog, sizeof(klog));
		EXPECT_LE(0, fd) TH_LOG("'%s': BPF_BTF_LOAD: %s", sels[0], klog);
		if (fd >= 0)
			close(fd);
	}
	want = malloc(DESC_MAX);
	got = malloc(DESC_MAX);
	for (i = 0; i < n; i++) {
		if (!strchr(sels[i], '.'))
			any_whole = 1;
		if (!strchr(sels[i], '.'))
			continue;
		if (describe(src, sels[i], want)) {
			want_missing++;
			continue;
		}
		if (describe(res, sels[i], got))
			snprintf(got, DESC_MAX, "(not in the result)");
		EXPECT_STREQ(want, got) TH_LOG("'%s'", sels[i]);
	}
	free(want);
	free(got);
	btf_filter_result__stats(r, &st);
	*missing = st.nr_missing;
	EXPECT_EQ(want_missing, *missing) {
		for (i = 0; i < n; i++)
			TH_LOG("selector %d: '%s'", i, sels[i]);
	}
	/* Every kept member is the source's; a cut struct only has paths. */
	EXPECT_EQ(btf__type_cnt(res) - 1, nr_map);
	for (id = 1; id < btf__type_cnt(res) && id <= nr_map; id++) {
		const struct btf_type *t = btf__type_by_id(res, id);
		const struct btf_type *s = btf__type_by_id(src, map[id - 1]);
		int j, k;

		if (!btf_is_composite(t))
			continue;
		ASSERT_EQ(t->size, s->size);
		for (j = 0; j < btf_vlen(t); j++) {
			const char *mn = btf__name_by_offset(res,
						btf_members(t)[j].name_off);

			for (k = 0; k < btf_vlen(s); k++)
				if (btf_members(s)[k].offset ==
				    btf_members(t)[j].offset &&
				    !strcmp(mn, btf__name_by_offset(src,
						btf_members(s)[k].name_off)))
					break;
			EXPECT_LT(k, btf_vlen(s))
				TH_LOG("[%u] member '%s' is not the source's",
				       id, mn);
			/* whole only for a selector with no path */
			if ((btf_vlen(t) < btf_vlen(s) || !any_whole) && mn[0])
				EXPECT_TRUE(on_a_path(mn, sels, n))
					TH_LOG("[%u] keeps '%s', on no path",
					       id, mn);
		}
	}
out:
	btf_filter_result__free(r);
	return res;
}

/* ---- synthetic ---- */

FIXTURE(synth) {
	struct btf *b;
};

/*
 * struct inner { int x; long y; };
 * struct outer {
 *	int a;
 *	union { struct { int b:3, c:5; }; long d; };
 *	struct inner in;
 *	struct inner *pin;
 *	struct outer *self;
 *	struct inner inners[2];
 * };
 * typedef struct outer outer_t;  enum e { E0, E1, E2 };
 */
FIXTURE_SETUP(synth)
{
	struct btf *b = btf__new_empty();
	int i_int, i_long, inner, outer, anon_s, anon_u, pinner, pouter, arr;

	ASSERT_NE(NULL, b);
	i_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	i_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	inner = btf__add_struct(b, "inner", 16);
	btf__add_field(b, "x", i_int, 0, 0);
	btf__add_field(b, "y", i_long, 64, 0);
	anon_s = btf__add_struct(b, NULL, 4);
	btf__add_field(b, "b", i_int, 0, 3);
	btf__add_field(b, "c", i_int, 3, 5);
	anon_u = btf__add_union(b, NULL, 8);
	btf__add_field(b, NULL, anon_s, 0, 0);
	btf__add_field(b, "d", i_long, 0, 0);
	pinner = btf__add_ptr(b, inner);
	arr = btf__add_array(b, i_int, inner, 2);
	pouter = btf__add_ptr(b, arr + 2);	/* to outer, next */
	outer = btf__add_struct(b, "outer", 80);	/* inners ends at 80 */
	ASSERT_EQ(arr + 2, outer);
	btf__add_field(b, "a", i_int, 0, 0);
	btf__add_field(b, NULL, anon_u, 64, 0);
	btf__add_field(b, "in", inner, 128, 0);
	btf__add_field(b, "pin", pinner, 256, 0);
	btf__add_field(b, "self", pouter, 320, 0);
	btf__add_field(b, "inners", arr, 384, 0);
	btf__add_typedef(b, "outer_t", outer);
	btf__add_enum(b, "e", 4);
	btf__add_enum_value(b, "E0", 0);
	btf__add_enum_value(b, "E1", 1);
	btf__add_enum_value(b, "E2", 2);
	self->b = b;
}

FIXTURE_TEARDOWN(synth)
{
	btf__free(self->b);
}

static const struct btf_type *named(const struct btf *b, const char *name,
				    int kind)
{
	int id = btf__find_by_name_kind(b, name, kind);

	return id > 0 ? btf__type_by_id(b, id) : NULL;
}

TEST_F(synth, bitfield_inside_anonymous_members)
{
	const char *sels[] = { "outer.c" };
	const struct btf_type *t;
	struct btf *r;
	int missing;

	r = check_fields(_metadata, self->b, sels, 1, 0, &missing);
	ASSERT_NE(NULL, r);
	t = named(r, "outer", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(1, btf_vlen(t));	/* the anonymous union alone */
	EXPECT_EQ(80, t->size);
	EXPECT_EQ(64, btf_member_bit_offset(t, 0));
	/* int, anon struct {c}, anon union, outer */
	EXPECT_EQ(5, btf__type_cnt(r));
	btf__free(r);
}

TEST_F(synth, pointer_kept_for_itself_or_void)
{
	const char *sels[] = { "outer.pin.y", "outer.self" };
	const struct btf_type *t, *inner;
	struct btf *r;
	int missing, i;

	r = check_fields(_metadata, self->b, sels, 2, 0, &missing);
	ASSERT_NE(NULL, r);
	inner = named(r, "inner", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, inner);
	EXPECT_EQ(1, btf_vlen(inner));
	EXPECT_EQ(16, inner->size);
	t = named(r, "outer", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(2, btf_vlen(t));
	for (i = 0; i < 2; i++) {
		const struct btf_type *p = btf__type_by_id(r,
						btf_members(t)[i].type);

		ASSERT_TRUE(btf_is_ptr(p));
		/* pin -> inner (kept for its path), self -> outer (a root) */
		EXPECT_EQ(i ? btf__find_by_name_kind(r, "outer", BTF_KIND_STRUCT) :
			  btf__find_by_name_kind(r, "inner", BTF_KIND_STRUCT),
			  p->type);
	}
	btf__free(r);
	sels[0] = "outer.pin";
	r = check_fields(_metadata, self->b, sels, 1, 0, &missing);
	ASSERT_NE(NULL, r);
	t = named(r, "outer", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, btf__type_by_id(r, btf_members(t)[0].type)->type);
	EXPECT_EQ(-ENOENT, btf__find_by_name_kind(r, "inner", BTF_KIND_STRUCT));
	btf__free(r);
}

TEST_F(synth, by_value_struct_is_an_empty_shell)
{
	const char *sels[] = { "outer_t.in" };
	const struct btf_type *t;
	struct btf *r;
	int missing;

	r = check_fields(_metadata, self->b, sels, 1, 0, &missing);
	ASSERT_NE(NULL, r);
	t = named(r, "inner", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(0, btf_vlen(t));
	EXPECT_EQ(16, t->size);
	EXPECT_LT(0, btf__find_by_name_kind(r, "outer_t", BTF_KIND_TYPEDEF));
	btf__free(r);
}

TEST_F(synth, through_arrays_and_enum_values)
{
	const char *sels[] = { "outer.inners.y", "enum e.E2" };
	const struct btf_type *t;
	struct btf *r;
	int missing;

	r = check_fields(_metadata, self->b, sels, 2, 0, &missing);
	ASSERT_NE(NULL, r);
	t = named(r, "e", BTF_KIND_ENUM);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(1, btf_vlen(t));
	EXPECT_EQ(2, btf_enum(t)->val);
	t = named(r, "inner", BTF_KIND_STRUCT);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(1, btf_vlen(t));
	EXPECT_STREQ("y", btf__name_by_offset(r, btf_members(t)->name_off));
	btf__free(r);
}

TEST_F(synth, whole_type_beside_a_path)
{
	const char *sels[] = { "outer", "outer.a" };
	struct btf *r;
	int missing;

	r = check_fields(_metadata, self->b, sels, 2, 0, &missing);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(6, btf_vlen(named(r, "outer", BTF_KIND_STRUCT)));
	btf__free(r);
}

TEST_F(synth, missing_paths)
{
	const char *sels[] = { "outer.a", "outer.nope", "outer.in.nope" };
	struct btf *r;
	int missing;

	r = check_fields(_metadata, self->b, sels, 3, 0, &missing);
	EXPECT_EQ(NULL, r);
	EXPECT_EQ(-ENOENT, missing);
	r = check_fields(_metadata, self->b, sels, 3,
			 BTF_FILTER_F_ALLOW_MISSING, &missing);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(2, missing);
	/* nothing of a failed path is kept */
	EXPECT_EQ(1, btf_vlen(named(r, "outer", BTF_KIND_STRUCT)));
	EXPECT_EQ(-ENOENT, btf__find_by_name_kind(r, "inner", BTF_KIND_STRUCT));
	btf__free(r);
}

TEST_F(synth, bad_paths)
{
	static const char *const bad[] = {
		"outer.", "outer..a", "outer.1a", "outer.a b", "outer.a-b",
	};
	__u32 size;
	const void *raw = btf__raw_data(self->b, &size);
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_FIELDS);
		const char *sels[] = { bad[i] };

		EXPECT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 1, &o))
			TH_LOG("'%s' accepted", bad[i]);
		EXPECT_EQ(EINVAL, errno);
	}
}

/* ---- bounded work ---- */

/*
 * L nested unions: each of the outer L - 1 has N anonymous members of the
 * next one's type, then a member "lvlK"; the innermost has "lvlK", x, y
 * and z; struct root holds the outermost anonymously.  A member search
 * that tries every anonymous member again under each of its siblings
 * costs N^(L-1): "root.no_such_member" looks everywhere.  The kernel's
 * checker takes it (nesting stays within its 32 levels).
 */
FIXTURE(fanout) {
	struct btf *b;
	const void *raw;
	__u32 size;
};

FIXTURE_VARIANT(fanout) {
	int n, l;
};

FIXTURE_VARIANT_ADD(fanout, n16_l8) { .n = 16, .l = 8 };
FIXTURE_VARIANT_ADD(fanout, n16_l20) { .n = 16, .l = 20 };

FIXTURE_SETUP(fanout)
{
	int i_int, k, j, id = 0, inner = 0;
	char name[16], klog[256];
	int fd;

	self->b = btf__new_empty();
	ASSERT_NE(NULL, self->b);
	i_int = btf__add_int(self->b, "int", 4, BTF_INT_SIGNED);
	for (k = variant->l - 1; k >= 0; k--) {	/* innermost first */
		id = btf__add_union(self->b, NULL, 4);
		ASSERT_LT(0, id);
		for (j = 0; inner && j < variant->n; j++)
			ASSERT_EQ(0, btf__add_field(self->b, NULL, inner, 0, 0));
		snprintf(name, sizeof(name), "lvl%d", k);
		ASSERT_EQ(0, btf__add_field(self->b, name, i_int, 0, 0));
		if (!inner) {
			ASSERT_EQ(0, btf__add_field(self->b, "x", i_int, 0, 0));
			ASSERT_EQ(0, btf__add_field(self->b, "y", i_int, 0, 0));
			ASSERT_EQ(0, btf__add_field(self->b, "z", i_int, 0, 0));
		}
		inner = id;
	}
	ASSERT_LT(0, btf__add_struct(self->b, "root", 4));
	ASSERT_EQ(0, btf__add_field(self->b, NULL, id, 0, 0));
	self->raw = btf__raw_data(self->b, &self->size);
	ASSERT_NE(NULL, self->raw);
	fd = kernel_btf_check(self->raw, self->size, klog, sizeof(klog));
	ASSERT_LE(0, fd) TH_LOG("BPF_BTF_LOAD refuses the input: %s: %s",
				strerror(errno), klog);
	close(fd);
}

FIXTURE_TEARDOWN(fanout)
{
	btf__free(self->b);
}

/* Is member name in composite id of b, directly or in anonymous members? */
static bool has_member(const struct btf *b, __u32 id, const char *name,
		       int depth, int *budget)
{
	const struct btf_type *t = btf__type_by_id(b, id);
	int i;

	if (!t || !btf_is_composite(t) || depth > 64 || --*budget < 0)
		return false;
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_member *m = btf_members(t) + i;

		if (m->name_off ? !strcmp(btf__name_by_offset(b, m->name_off),
					  name) :
		    has_member(b, m->type, name, depth + 1, budget))
			return true;
	}
	return false;
}

/*
 * One fields-mode query in a child: within a second of CPU and the heap
 * bound; path "root.NAME" (found when present) or missing.
 */
static void fanout_query(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fanout) *self,
			 const FIXTURE_VARIANT(fanout) *variant,
			 const char *sel, bool present)
{
	BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_FIELDS,
			.flags = present ? 0 : BTF_FILTER_F_ALLOW_MISSING);
	const char *sels[] = { sel };
	struct bounded_out *out;
	char fate[512], klog[256];
	struct btf *res;
	int root, budget = 100000, fd;

	out = bounded_query(self->raw, self->size, sels, 1, &o, 3, 2UL << 30);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(bounded_ok(out)) {
		TH_LOG("'%s' (N=%d, L=%d): %s", sel, variant->n, variant->l,
		       bounded_fate(out, fate, sizeof(fate)));
	}
	if (!bounded_ok(out))
		goto out;
	EXPECT_GT(1.0, out->secs) {
		TH_LOG("'%s' (N=%d, L=%d): %.3f s of CPU, over the 1 s budget",
		       sel, variant->n, variant->l, out->secs);
	}
	EXPECT_GE(bounded_heap(&out->st, strlen(sel) + 1), out->st.peak_heap) {
		TH_LOG("'%s' (N=%d, L=%d): peak heap %llu, bound %llu", sel,
		       variant->n, variant->l,
		       (unsigned long long)out->st.peak_heap,
		       bounded_heap(&out->st, strlen(sel) + 1));
	}
	EXPECT_EQ(present ? 0 : 1, out->st.nr_missing);
	/* only the path: root, a union a level, the member's int */
	EXPECT_GE(variant->l + 2, out->st.res_types);
	if (!present)
		goto out;
	res = btf__new(out->data, out->size);
	ASSERT_NE(NULL, res);
	root = btf__find_by_name_kind(res, "root", BTF_KIND_STRUCT);
	EXPECT_LT(0, root) TH_LOG("'%s': no struct root in the result", sel);
	if (root > 0)
		EXPECT_TRUE(has_member(res, root, strchr(sel, '.') + 1, 0,
				       &budget))
			TH_LOG("'%s': the result's root lacks the member", sel);
	fd = kernel_btf_check(out->data, out->size, klog, sizeof(klog));
	EXPECT_LE(0, fd) TH_LOG("'%s': BPF_BTF_LOAD: %s", sel, klog);
	if (fd >= 0)
		close(fd);
	btf__free(res);
out:
	munmap(out, BOUNDED_SHM);
}

TEST_F_TIMEOUT(fanout, missing_member, 60)
{
	fanout_query(_metadata, self, variant, "root.no_such_member", false);
}

/*
 * lvlK comes after the anonymous members, so a search tries them first;
 * x is at the bottom, L anonymous levels down (asked for when L is within
 * the eight levels of anonymous members that searches go into).
 */
TEST_F_TIMEOUT(fanout, present_members, 60)
{
	fanout_query(_metadata, self, variant, "root.lvl2", true);
	fanout_query(_metadata, self, variant, "struct root.lvl1", true);
	if (variant->l <= 8)
		fanout_query(_metadata, self, variant, "root.x", true);
}

/* ---- real kernels ---- */

FIXTURE(real) {
	struct btf *src;
	struct randsel_pool pool;	/* roots of paths */
};

FIXTURE_VARIANT(real) {
	const char *kernel;	/* under BTF_FILTER_KERNELS, or the host */
};

FIXTURE_VARIANT_ADD(real, host) { .kernel = NULL };
FIXTURE_VARIANT_ADD(real, debian_6_1) { .kernel = "6.1" };
FIXTURE_VARIANT_ADD(real, debian_6_12) { .kernel = "6.12" };
FIXTURE_VARIANT_ADD(real, debian_5_10) { .kernel = "5.10" };
FIXTURE_VARIANT_ADD(real, debian_7_2) { .kernel = "7.2" };

FIXTURE_SETUP(real)
{
	const char *dir = getenv("BTF_FILTER_KERNELS");
	char path[4096];

	if (variant->kernel) {
		ASSERT_NE(NULL, dir) TH_LOG("BTF_FILTER_KERNELS is not set");
		snprintf(path, sizeof(path), "%s/%s/vmlinux.btf", dir,
			 variant->kernel);
	} else {
		snprintf(path, sizeof(path), "/sys/kernel/btf/vmlinux");
	}
	self->src = btf__parse_raw(path);
	ASSERT_NE(NULL, self->src) TH_LOG("%s: %s", path, strerror(errno));
	ASSERT_EQ(0, randsel_pool_init(&self->pool, self->src, true));
}

FIXTURE_TEARDOWN(real)
{
	btf__free(self->src);
	randsel_pool_fini(&self->pool);
}

/* The examples, which every kernel we test has. */
TEST_F_TIMEOUT(real, examples, 300)
{
	const char *sels[] = {
		"task_struct.real_parent", "task_struct.tgid",
		"file.f_path.dentry", "sk_buff.len", "task_struct.comm",
		"enum pid_type.PIDTYPE_TGID",
		"enum bpf_func_id.BPF_FUNC_ringbuf_output",
		"task_struct.mm.exe_file.f_path.dentry",
	};
	struct btf *r;
	int missing;
	__u32 size;

	r = check_fields(_metadata, self->src, sels, 8, 0, &missing);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(0, missing);
	btf__raw_data(r, &size);
	EXPECT_GT(2048, size) TH_LOG("%u bytes", size);
	btf__free(r);
}

/*
 * Both orders of two paths must be found and give the same bytes; false if
 * a path is not in src (the pair does not apply here).
 */
static bool both_orders(struct __test_metadata *_metadata,
			const struct btf *src, const char *a, const char *b)
{
	const char *sels[2] = { a, b };
	struct btf *r[2];
	char *desc = malloc(DESC_MAX);
	__u32 size[2];
	const void *data[2];
	int missing, k;
	bool found;

	ASSERT_NE(NULL, desc);
	found = !describe(src, a, desc) && !describe(src, b, desc);
	free(desc);
	if (!found)
		return false;
	for (k = 0; k < 2; k++) {
		r[k] = check_fields(_metadata, src, sels, 2, 0, &missing);
		EXPECT_NE(NULL, r[k]) {
			TH_LOG("'%s' before '%s': %s", sels[0], sels[1],
			       strerror(-missing));
		}
		sels[0] = b;
		sels[1] = a;
	}
	if (r[0] && r[1]) {
		data[0] = btf__raw_data(r[0], &size[0]);
		data[1] = btf__raw_data(r[1], &size[1]);
		EXPECT_TRUE(size[0] == size[1] &&
			    !memcmp(data[0], data[1], size[0])) {
			TH_LOG("'%s' and '%s' give other bytes in the other order",
			       a, b);
		}
	}
	btf__free(r[0]);
	btf__free(r[1]);
	return true;
}

/*
 * Paths from roots whose names are tails of other names ("s" of
 * "lookup_args"): both orders, the pair and 20 random ones.
 */
TEST_F_TIMEOUT(real, suffix_roots_any_order, 300)
{
	unsigned int seed = 0x5f + (variant->kernel ? variant->kernel[2] : 0);
	const struct randsel_pool *p = &self->pool;
	int pairs = 0, tries;

	/* the pair: on the host's kernel, where it was found */
	if (!both_orders(_metadata, self->src, "struct s.conv",
			 "lookup_args.addr.in6_u"))
		ASSERT_NE(NULL, variant->kernel);
	both_orders(_metadata, self->src, "s.conv", "struct lookup_args.addr");
	ASSERT_TRUE(_metadata->passed);
	for (tries = 0; pairs < 20 && tries < 100000; tries++) {
		const struct randsel_entry *x, *y;
		char a[600], b[600];
		bool miss = false;
		__u32 first, run;

		x = &p->rev[rand_r(&seed) % p->nr];
		if (strlen(x->name) > 4)	/* short names are tails */
			continue;
		run = randsel_ending_with(p, x->name, &first);
		y = &p->rev[first + rand_r(&seed) % run];
		if (!strcmp(x->name, y->name))
			continue;
		randsel_path_from(self->src, x->id, &seed, a, sizeof(a), &miss);
		randsel_path_from(self->src, y->id, &seed, b, sizeof(b), &miss);
		if (!miss && both_orders(_metadata, self->src, a, b))
			pairs++;
		ASSERT_TRUE(_metadata->passed);
	}
	ASSERT_LE(10, pairs) TH_LOG("only %d root/tail pairs", pairs);
}

TEST_F_TIMEOUT(real, random_paths, 300)
{
	unsigned int seed = 0xf1e1d5 + (variant->kernel ? variant->kernel[2] : 0);
	int i;

	for (i = 0; i < 300; i++) {
		char buf[8][600];
		const char *sels[8];
		int n, k, missing;
		bool miss = false;
		struct btf *r;

		if (i % 3 == 0) {	/* tricky: see randsel_tricky() */
			n = randsel_tricky(&self->pool, &seed, buf[0],
					   sizeof(buf[0]), 8, &miss);
		} else {
			n = 1 + rand_r(&seed) % 5;
			for (k = 0; k < n; k++)
				randsel_path(self->src, &seed, buf[k],
					     sizeof(buf[k]), &miss);
		}
		for (k = 0; k < n; k++)
			sels[k] = buf[k];
		r = check_fields(_metadata, self->src, sels, n,
				 BTF_FILTER_F_ALLOW_MISSING, &missing);
		ASSERT_NE(NULL, r) TH_LOG("%sset %d ('%s'): %d",
					  i % 3 ? "" : "tricky ", i, sels[0],
					  missing);
		btf__free(r);
		if (_metadata->passed == 0)
			break;
	}
}

TEST_HARNESS_MAIN
