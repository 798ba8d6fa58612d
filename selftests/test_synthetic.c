// SPDX-License-Identifier: GPL-2.0
/*
 * Synthetic BTF, built with libbpf's btf__add_*() API, covering every kind
 * and the shapes that trip closure walks: self-reference, mutual recursion,
 * pointer cycles through typedefs, anonymous members, bitfields, ENUM64,
 * decl and type tags, varargs, DATASEC/VAR, and a FWD beside a struct of
 * the same name.  Every query is checked against the oracle, libbpf and
 * the kernel's BTF checker, and then against what the test expects.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "common.h"
#include "libbtf_filter.h"
#include "oracle.h"
#include "btf_load.h"
#include "synth.h"

struct qres {
	struct btf *btf;		/* the result, parsed by libbpf */
	struct btf_filter_result *r;
	const __u32 *map;
	__u32 nr;
};

/* For check-blobs.sh: BTF_FILTER_BLOBS/synthetic-PIDNNN.btf */
static void keep_blob(const void *data, __u32 size)
{
	static int n;
	char name[64];

	snprintf(name, sizeof(name), "synthetic-%d%03d", (int)getpid(), n++);
	save_blob(getenv("BTF_FILTER_BLOBS"), name, data, size);
}

/* Query src with sels; check it against every oracle; the caller frees. */
static int run_query(struct __test_metadata *_metadata, struct btf *src,
		     const char **sels, int n, __u32 mode, struct qres *q)
{
	__u32 src_size, size, nr_src = btf__type_cnt(src);
	const void *raw = btf__raw_data(src, &src_size), *data;
	char log[256] = "", err[512] = "", klog[1024];
	BTF_FILTER_OPTS(opts, .mode = mode, .flags = BTF_FILTER_F_ID_MAP,
			.log_buf = log, .log_size = sizeof(log));
	__u32 *roots = calloc(nr_src * 4, sizeof(__u32));
	unsigned char *keep = calloc(nr_src, 1);
	int i, nr_roots = 0, fd, ret = -1;

	memset(q, 0, sizeof(*q));
	if (!roots || !keep)
		goto out;
	for (i = 0; i < n; i++)
		nr_roots += oracle_roots(src, sels[i], roots + nr_roots);
	q->r = btf_filter__query_mem(raw, src_size, sels, n, &opts);
	if (!q->r) {
		TH_LOG("query '%s': %s: %s", sels[0], log, strerror(errno));
		goto out;
	}
	data = btf_filter_result__data(q->r, &size);
	q->map = btf_filter_result__id_map(q->r, &q->nr);
	q->btf = btf__new(data, size);
	if (!q->btf) {
		TH_LOG("libbpf rejects the result of '%s'", sels[0]);
		goto out;
	}
	oracle_closure(src, roots, nr_roots, mode == BTF_FILTER_MODE_SHALLOW,
		       keep);
	if (oracle_compare(src, keep, q->btf, q->map, q->nr, err,
			   sizeof(err))) {
		TH_LOG("query '%s': %s", sels[0], err);
		goto out;
	}
	fd = kernel_btf_check(data, size, klog, sizeof(klog));
	if (fd < 0) {
		TH_LOG("query '%s': BPF_BTF_LOAD: %s: %s", sels[0], strerror(errno), klog);
		goto out;
	}
	close(fd);
	keep_blob(data, size);
	ret = 0;
out:
	free(roots);
	free(keep);
	return ret;
}

static void free_query(struct qres *q)
{
	btf__free(q->btf);
	btf_filter_result__free(q->r);
}

/* Result ID of the type named name of kind kind, or 0. */
static int find(const struct qres *q, const char *name, int kind)
{
	return btf__find_by_name_kind(q->btf, name, kind) > 0 ?
	       btf__find_by_name_kind(q->btf, name, kind) : 0;
}

#define QUERY(src, mode, ...)						\
	({								\
		const char *__s[] = { __VA_ARGS__ };			\
		struct qres __q;					\
		ASSERT_EQ(0, run_query(_metadata, src, __s,		\
				       sizeof(__s) / sizeof(__s[0]),	\
				       mode, &__q));			\
		__q;							\
	})

#define FULL	BTF_FILTER_MODE_FULL
#define SHALLOW	BTF_FILTER_MODE_SHALLOW

FIXTURE(recursive) {
	struct btf *src;
};

FIXTURE_SETUP(recursive)
{
	self->src = build_recursive();
	ASSERT_NE(NULL, self->src);
	ASSERT_EQ(9, btf__type_cnt(self->src));
}

FIXTURE_TEARDOWN(recursive)
{
	btf__free(self->src);
}

TEST_F(recursive, shallow_self_and_mutual)
{
	struct qres q = QUERY(self->src, SHALLOW, "node");

	/* node keeps its own pointer; peer is only pointed to: a FWD */
	ASSERT_EQ(5, q.nr);
	ASSERT_NE(0, find(&q, "node", BTF_KIND_STRUCT));
	ASSERT_NE(0, find(&q, "peer", BTF_KIND_FWD));
	ASSERT_EQ(0, find(&q, "peer", BTF_KIND_STRUCT));
	free_query(&q);
	q = QUERY(self->src, SHALLOW, "peer");
	ASSERT_NE(0, find(&q, "node", BTF_KIND_FWD));
	ASSERT_NE(0, find(&q, "peer", BTF_KIND_STRUCT));
	free_query(&q);
}

TEST_F(recursive, full_self_and_mutual)
{
	struct qres q = QUERY(self->src, FULL, "node");

	ASSERT_EQ(5, q.nr);
	ASSERT_NE(0, find(&q, "peer", BTF_KIND_STRUCT));
	ASSERT_EQ(0, find(&q, "peer", BTF_KIND_FWD));
	free_query(&q);
	q = QUERY(self->src, FULL, "peer");
	ASSERT_EQ(5, q.nr);
	free_query(&q);
}

TEST_F(recursive, pointer_cycle_through_typedef)
{
	struct qres q = QUERY(self->src, SHALLOW, "link");

	ASSERT_EQ(3, q.nr);
	ASSERT_NE(0, find(&q, "link", BTF_KIND_STRUCT));
	ASSERT_NE(0, find(&q, "link_t", BTF_KIND_TYPEDEF));
	free_query(&q);
	q = QUERY(self->src, FULL, "typedef link_t");
	ASSERT_EQ(3, q.nr);
	free_query(&q);
	q = QUERY(self->src, SHALLOW, "#8");	/* the pointer alone */
	ASSERT_EQ(3, q.nr);
	ASSERT_NE(0, find(&q, "link", BTF_KIND_FWD));
	free_query(&q);
}

FIXTURE(kinds) {
	struct btf *src;
};

FIXTURE_SETUP(kinds)
{
	self->src = build_every_kind();
	ASSERT_NE(NULL, self->src);
	ASSERT_EQ(30, btf__type_cnt(self->src));
}

FIXTURE_TEARDOWN(kinds)
{
	btf__free(self->src);
}

TEST_F(kinds, full_holder_keeps_tags_and_fwd)
{
	struct qres q = QUERY(self->src, FULL, "holder");

	ASSERT_NE(0, find(&q, "holder_tag", BTF_KIND_DECL_TAG));
	ASSERT_NE(0, find(&q, "tagged", BTF_KIND_DECL_TAG));
	ASSERT_NE(0, find(&q, "member_tag", BTF_KIND_DECL_TAG));
	ASSERT_EQ(0, find(&q, "param_tag", BTF_KIND_DECL_TAG));
	ASSERT_NE(0, find(&q, "opaque", BTF_KIND_FWD));
	ASSERT_EQ(0, find(&q, "opaque", BTF_KIND_STRUCT));
	ASSERT_NE(0, find(&q, "big", BTF_KIND_ENUM64));
	ASSERT_NE(0, find(&q, "user", BTF_KIND_TYPE_TAG));
	ASSERT_NE(0, find(&q, "double", BTF_KIND_FLOAT));
	free_query(&q);
}

TEST_F(kinds, shallow_by_value_wins_over_pointer)
{
	/* bits is reached by value (bits_t) and through a tagged pointer */
	struct qres q = QUERY(self->src, SHALLOW, "struct holder");

	ASSERT_NE(0, find(&q, "bits", BTF_KIND_STRUCT));
	ASSERT_EQ(0, find(&q, "bits", BTF_KIND_FWD));
	ASSERT_NE(0, find(&q, "tagged", BTF_KIND_DECL_TAG));
	free_query(&q);
}

TEST_F(kinds, shallow_pointer_root_stubs_and_drops_tags)
{
	struct qres q = QUERY(self->src, SHALLOW, "#20");

	ASSERT_EQ(3, q.nr);	/* PTR, TYPE_TAG, FWD bits */
	ASSERT_NE(0, find(&q, "bits", BTF_KIND_FWD));
	ASSERT_NE(0, find(&q, "user", BTF_KIND_TYPE_TAG));
	ASSERT_EQ(0, find(&q, "tagged", BTF_KIND_DECL_TAG));
	free_query(&q);
}

TEST_F(kinds, func_varargs_and_param_tag)
{
	struct qres q = QUERY(self->src, FULL, "func my_printf");
	const struct btf_type *proto;
	int f;

	f = find(&q, "my_printf", BTF_KIND_FUNC);
	ASSERT_NE(0, f);
	proto = btf__type_by_id(q.btf, btf__type_by_id(q.btf, f)->type);
	ASSERT_EQ(2, btf_vlen(proto));
	ASSERT_EQ(0, btf_params(proto)[1].type);	/* ... */
	ASSERT_NE(0, find(&q, "param_tag", BTF_KIND_DECL_TAG));
	free_query(&q);
}

TEST_F(kinds, datasec_and_var)
{
	struct qres q = QUERY(self->src, SHALLOW, "datasec .data");

	ASSERT_EQ(5, q.nr);	/* DATASEC, VAR, CONST, VOLATILE, int */
	ASSERT_NE(0, find(&q, "counter", BTF_KIND_VAR));
	free_query(&q);
	q = QUERY(self->src, FULL, "var counter");
	ASSERT_EQ(4, q.nr);
	free_query(&q);
}

TEST_F(kinds, fwd_and_struct_of_one_name)
{
	struct qres q = QUERY(self->src, FULL, "opaque");

	ASSERT_NE(0, find(&q, "opaque", BTF_KIND_FWD));
	ASSERT_NE(0, find(&q, "opaque", BTF_KIND_STRUCT));
	free_query(&q);
	q = QUERY(self->src, FULL, "fwd opaque");
	ASSERT_EQ(1, q.nr);
	ASSERT_NE(0, find(&q, "opaque", BTF_KIND_FWD));
	free_query(&q);
	q = QUERY(self->src, FULL, "struct opaque");
	ASSERT_EQ(2, q.nr);
	ASSERT_NE(0, find(&q, "opaque", BTF_KIND_STRUCT));
	free_query(&q);
}

TEST_F(kinds, every_selector_kind)
{
	struct qres q = QUERY(self->src, FULL, "enum big", "enum color",
			      "float double", "int char", "typedef bits_t",
			      "union u", "int long unsigned int");

	ASSERT_NE(0, find(&q, "big", BTF_KIND_ENUM64));
	ASSERT_NE(0, find(&q, "color", BTF_KIND_ENUM));
	ASSERT_NE(0, find(&q, "long unsigned int", BTF_KIND_INT));
	free_query(&q);
	q = QUERY(self->src, SHALLOW, "long unsigned int");
	ASSERT_EQ(1, q.nr);
	free_query(&q);
}

TEST_F(kinds, bad_selectors)
{
	static const char *const bad[] = {
		"#0", "#", "#12x", "#99999999999", "", " holder", "holder ",
		"struct  holder", "struct ", "a\tb",
	};
	__u32 size;
	const void *raw = btf__raw_data(self->src, &size);
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char log[256] = "";
		BTF_FILTER_OPTS(opts, .log_buf = log, .log_size = sizeof(log));
		const char *sels[] = { bad[i] };

		ASSERT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 1,
						      &opts)) {
			TH_LOG("'%s' accepted", bad[i]);
		}
		ASSERT_EQ(EINVAL, errno);
		ASSERT_NE(0, log[0]);
	}
}

TEST_F(kinds, missing_selectors)
{
	const char *sels[] = { "holder", "#999", "struct color" };
	__u32 size;
	const void *raw = btf__raw_data(self->src, &size);
	BTF_FILTER_OPTS(opts);
	struct btf_filter_result *r;
	struct btf_filter_stats st;

	ASSERT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 3, &opts));
	ASSERT_EQ(ENOENT, errno);
	opts.flags = BTF_FILTER_F_ALLOW_MISSING;
	r = btf_filter__query_mem(raw, size, sels, 3, &opts);
	ASSERT_NE(NULL, r);
	btf_filter_result__stats(r, &st);
	ASSERT_EQ(2, st.nr_missing);
	ASSERT_EQ(1, st.first_missing);
	btf_filter_result__free(r);
}

TEST_F(kinds, options_size_versioning)
{
	const char *sels[] = { "holder" };
	struct {
		struct btf_filter_opts o;
		char tail[8];
	} big = { .o = { .sz = sizeof(big) } };
	__u32 size;
	const void *raw = btf__raw_data(self->src, &size);
	struct btf_filter_result *r;

	r = btf_filter__query_mem(raw, size, sels, 1, &big.o);
	ASSERT_NE(NULL, r);		/* a zero tail is fine */
	btf_filter_result__free(r);
	big.tail[3] = 1;
	ASSERT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 1, &big.o));
	ASSERT_EQ(EINVAL, errno);
	big.tail[3] = 0;
	big.o.mode = 7;
	ASSERT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 1, &big.o));
	ASSERT_EQ(EINVAL, errno);
}

TEST_F(kinds, result_size_cap)
{
	const char *sels[] = { "holder" };
	__u32 size;
	const void *raw = btf__raw_data(self->src, &size);
	BTF_FILTER_OPTS(opts, .max_blob = 64);

	ASSERT_EQ(NULL, btf_filter__query_mem(raw, size, sels, 1, &opts));
	ASSERT_EQ(E2BIG, errno);
}

/*
 * Names that are tails and heads of each other, for the streaming name
 * matcher, which notes each selector whose name ends where a string ends:
 *  1 int "int"  2 int "unsigned int"  3 int "long unsigned int"
 *  4 struct s { int conv; }           5 struct lookup_args { s addr; }
 *  6 struct ss { s a; }               7 struct ss { long unsigned int c; }
 *  8 PTR -> 4                         9 struct task_s { s *p; }
 * 10 typedef a -> 1  11 enum a  12 struct a { a v; enum a w; }
 * 13 FUNC_PROTO int (a x)  14 func a   15 struct ba { struct a x; }
 * 16 union cba { ba b; int i; }  17 struct x { int x; }
 * 18 union e { unsigned int e; }  19 typedef t -> 9  20 PTR -> 5
 * 21 struct args { lookup_args *l; }
 * 22 typedef "s" -> 6, its name the tail of "task_s"
 * 23 typedef "args" -> 21, its name the tail of "lookup_args"
 */
static struct btf *build_suffixes(void)
{
	struct btf *b = btf__new_empty();
	int off;

	btf__add_int(b, "int", 4, BTF_INT_SIGNED);		/* 1 */
	btf__add_int(b, "unsigned int", 4, 0);			/* 2 */
	btf__add_int(b, "long unsigned int", 8, 0);		/* 3 */
	btf__add_struct(b, "s", 4);				/* 4 */
	btf__add_field(b, "conv", 1, 0, 0);
	btf__add_struct(b, "lookup_args", 4);			/* 5 */
	btf__add_field(b, "addr", 4, 0, 0);
	btf__add_struct(b, "ss", 4);				/* 6 */
	btf__add_field(b, "a", 4, 0, 0);
	btf__add_struct(b, "ss", 8);				/* 7 */
	btf__add_field(b, "c", 3, 0, 0);
	btf__add_ptr(b, 4);					/* 8 */
	btf__add_struct(b, "task_s", 8);			/* 9 */
	btf__add_field(b, "p", 8, 0, 0);
	btf__add_typedef(b, "a", 1);				/* 10 */
	btf__add_enum(b, "a", 4);				/* 11 */
	btf__add_enum_value(b, "A0", 0);
	btf__add_enum_value(b, "A1", 1);
	btf__add_struct(b, "a", 8);				/* 12 */
	btf__add_field(b, "v", 10, 0, 0);
	btf__add_field(b, "w", 11, 32, 0);
	btf__add_func_proto(b, 1);				/* 13 */
	btf__add_func_param(b, "x", 10);
	btf__add_func(b, "a", BTF_FUNC_GLOBAL, 13);		/* 14 */
	btf__add_struct(b, "ba", 8);				/* 15 */
	btf__add_field(b, "x", 12, 0, 0);
	btf__add_union(b, "cba", 8);				/* 16 */
	btf__add_field(b, "b", 15, 0, 0);
	btf__add_field(b, "i", 1, 0, 0);
	btf__add_struct(b, "x", 4);				/* 17 */
	btf__add_field(b, "x", 1, 0, 0);
	btf__add_union(b, "e", 4);				/* 18 */
	btf__add_field(b, "e", 2, 0, 0);
	btf__add_typedef(b, "t", 9);				/* 19 */
	btf__add_ptr(b, 5);					/* 20 */
	btf__add_struct(b, "args", 8);				/* 21 */
	btf__add_field(b, "l", 20, 0, 0);
	btf__add_typedef(b, "tail_of_task_s", 6);		/* 22 */
	btf__add_typedef(b, "tail_of_lookup_args", 21);		/* 23 */
	/* name_off may point into a longer string: make 22 "s", 23 "args" */
	off = btf__find_str(b, "task_s");
	((struct btf_type *)btf__type_by_id(b, 22))->name_off = off + 5;
	off = btf__find_str(b, "lookup_args");
	((struct btf_type *)btf__type_by_id(b, 23))->name_off = off + 7;
	return b;
}

FIXTURE(suffixes) {
	struct btf *src;
};

FIXTURE_SETUP(suffixes)
{
	self->src = build_suffixes();
	ASSERT_NE(NULL, self->src);
	ASSERT_EQ(24, btf__type_cnt(self->src));
	ASSERT_STREQ("s", btf__name_by_offset(self->src,
				btf__type_by_id(self->src, 22)->name_off));
	ASSERT_STREQ("args", btf__name_by_offset(self->src,
				btf__type_by_id(self->src, 23)->name_off));
}

FIXTURE_TEARDOWN(suffixes)
{
	btf__free(self->src);
}

static const char *const suffix_sels[] = {
	"int", "unsigned int", "long unsigned int", "int unsigned int",
	"s", "struct s", "typedef s", "ss", "struct ss", "task_s",
	"lookup_args", "args", "typedef args", "struct args", "a",
	"typedef a", "enum a", "struct a", "func a", "ba", "cba", "union cba",
	"x", "e", "t", "#4", "#22",
};
#define NR_SUFFIX_SELS	(sizeof(suffix_sels) / sizeof(suffix_sels[0]))

/* Log a set that failed. */
static void log_set(struct __test_metadata *_metadata, const char **sels,
		    int n)
{
	char buf[1024];
	int i, len = 0;

	for (i = 0; i < n && len < (int)sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s'%s'",
				i ? ", " : "", sels[i]);
	TH_LOG("selectors: %s", buf);
}

/* Every order of each set gives the oracle's closure, in the same bytes. */
/*
 * A name that is the tail of another kept name points into that name's
 * copy in the result, as in the source: "s" (typedef 22) is "task_s" + 5,
 * "args" (typedef 23) is "lookup_args" + 7.
 */
TEST_F(suffixes, tail_points_into_its_string)
{
	struct qres q = QUERY(self->src, SHALLOW, "task_s", "#22",
			      "lookup_args", "#23");
	int task_s = find(&q, "task_s", BTF_KIND_STRUCT);
	int s = find(&q, "s", BTF_KIND_TYPEDEF);
	int lookup = find(&q, "lookup_args", BTF_KIND_STRUCT);
	int args = find(&q, "args", BTF_KIND_TYPEDEF);

	ASSERT_NE(0, task_s);
	ASSERT_NE(0, s);
	ASSERT_NE(0, lookup);
	ASSERT_NE(0, args);
	EXPECT_EQ(btf__type_by_id(q.btf, task_s)->name_off + 5,
		  btf__type_by_id(q.btf, s)->name_off);
	EXPECT_EQ(btf__type_by_id(q.btf, lookup)->name_off + 7,
		  btf__type_by_id(q.btf, args)->name_off);
	free_query(&q);
}

/*
 * Without "task_s" kept, the tail "s" of it (typedef 22's name) is copied
 * on its own, and is the same bytes as struct s's own name: one copy.
 */
TEST_F(suffixes, same_bytes_at_two_offsets_kept_once)
{
	struct qres q = QUERY(self->src, FULL, "struct s", "#22");
	int st = find(&q, "s", BTF_KIND_STRUCT);
	int td = find(&q, "s", BTF_KIND_TYPEDEF);

	ASSERT_NE(0, st);
	ASSERT_NE(0, td);
	EXPECT_EQ(0, find(&q, "task_s", BTF_KIND_STRUCT));
	EXPECT_EQ(btf__type_by_id(q.btf, st)->name_off,
		  btf__type_by_id(q.btf, td)->name_off);
	free_query(&q);
}

TEST_F(suffixes, every_order_same_bytes)
{
	static const char *const sets[][5] = {
		{ "int", "unsigned int", "long unsigned int", "s", "task_s" },
		{ "a", "ba", "cba", "args", "lookup_args" },
		{ "s", "ss", "task_s", "typedef s", "struct s" },
		{ "x", "e", "t", "a", "s" },
	};
	unsigned int set, mode;

	for (set = 0; set < 4; set++) {
		for (mode = 0; mode < 2; mode++) {
			int idx[5] = { 0, 1, 2, 3, 4 }, perm = 0, k;
			__u32 first_size = 0, size;
			void *first = NULL;

			do {
				const char *sels[5];
				struct qres q;
				const void *data;

				for (k = 0; k < 5; k++)
					sels[k] = sets[set][idx[k]];
				/* oracle, libbpf and BPF_BTF_LOAD all agree */
				ASSERT_EQ(0, run_query(_metadata, self->src,
						       sels, 5, mode, &q))
					log_set(_metadata, sels, 5);
				data = btf_filter_result__data(q.r, &size);
				if (!first) {
					first = malloc(size);
					memcpy(first, data, size);
					first_size = size;
				}
				EXPECT_TRUE(size == first_size &&
					    !memcmp(first, data, size)) {
					TH_LOG("order %d of set %u: other bytes",
					       perm, set);
					log_set(_metadata, sels, 5);
				}
				free_query(&q);
				perm++;
				/* the next permutation */
				for (k = 3; k >= 0 && idx[k] >= idx[k + 1]; k--)
					;
				if (k >= 0) {
					int j = 4, t;

					while (idx[j] <= idx[k])
						j--;
					t = idx[k], idx[k] = idx[j], idx[j] = t;
					for (k++, j = 4; k < j; k++, j--)
						t = idx[k], idx[k] = idx[j],
						idx[j] = t;
					k = 0;
				}
			} while (k >= 0);
			ASSERT_EQ(120, perm);
			free(first);
		}
	}
}

/* Random sets (repeats too) of those names, in both closure modes. */
TEST_F(suffixes, random_sets)
{
	unsigned int seed = 4242, i;

	for (i = 0; i < 3000; i++) {
		const char *sels[8];
		int n = 1 + rand_r(&seed) % 8, k;
		struct qres q;

		for (k = 0; k < n; k++)
			sels[k] = suffix_sels[rand_r(&seed) % NR_SUFFIX_SELS];
		ASSERT_EQ(0, run_query(_metadata, self->src, sels, n, i % 2,
				       &q)) {
			TH_LOG("set %u, %s mode:", i, i % 2 ? "shallow" : "full");
			log_set(_metadata, sels, n);
		}
		free_query(&q);
	}
}

/*
 * Names made so that core's string hash, unseeded, would give them all the
 * same low 17 bits: FNV-1a reads a name from its last byte to its first,
 * and the low k bits of its state depend only on the low k bits before,
 * so strings that each take the low bits from one value to the next chain
 * into names that all end on the same low bits.  Five steps of four
 * characters, each with about 13 choices, give tens of thousands.
 */
#define FLOOD_BITS	17
#define FLOOD_STEP	4
#define FLOOD_LEVELS	5
static const char flood_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static __u32 flood_hash(__u32 h, const char *s, int n)	/* s[n-1] first */
{
	while (n--)
		h = (h ^ (unsigned char)s[n]) * 16777619U;
	return h;
}

/* Fill names (max of them, FLOOD_LEVELS * FLOOD_STEP + 2 bytes each). */
static int flood_names(char (*names)[FLOOD_LEVELS * FLOOD_STEP + 2], int max)
{
	static char step[FLOOD_LEVELS][16][FLOOD_STEP];
	int nr[FLOOD_LEVELS] = { 0 }, lvl, i, k, idx[FLOOD_LEVELS] = { 0 };
	__u32 mask = (1U << FLOOD_BITS) - 1, from = 2166136261U, n = 0;
	const int nc = sizeof(flood_chars) - 1;

	for (lvl = 0; lvl < FLOOD_LEVELS; lvl++) {
		/* the chunk is read last byte first: it ends the name's tail */
		__u32 to = flood_hash(from, "aaaa", FLOOD_STEP) & mask;
		int total = nc * nc * nc * nc;

		for (i = 0; i < total && nr[lvl] < 16; i++) {
			char w[FLOOD_STEP];
			int v = i;

			for (k = 0; k < FLOOD_STEP; k++, v /= nc)
				w[k] = flood_chars[v % nc];
			if ((flood_hash(from, w, FLOOD_STEP) & mask) == to)
				memcpy(step[lvl][nr[lvl]++], w, FLOOD_STEP);
		}
		if (nr[lvl] < 2)
			return -1;
		from = to;
	}
	/* every combination: level 0's chunk is the name's last */
	while (n < (__u32)max) {
		char *p = names[n++];

		p[0] = 'x';
		for (lvl = 0; lvl < FLOOD_LEVELS; lvl++)
			memcpy(p + 1 + (FLOOD_LEVELS - 1 - lvl) * FLOOD_STEP,
			       step[lvl][idx[lvl]], FLOOD_STEP);
		p[1 + FLOOD_LEVELS * FLOOD_STEP] = 0;
		for (lvl = 0; lvl < FLOOD_LEVELS && ++idx[lvl] == nr[lvl]; lvl++)
			idx[lvl] = 0;
		if (lvl == FLOOD_LEVELS)
			break;
	}
	return n;
}

/*
 * Emit keeps each string's bytes once through a hash table: names made to
 * pile into one run of its slots must not make it quadratic.
 */
TEST(names_made_to_share_hash_bits)
{
	static char names[60000][FLOOD_LEVELS * FLOOD_STEP + 2];
	int n = flood_names(names, 60000), i, id;
	BTF_FILTER_OPTS(opts, .mode = BTF_FILTER_MODE_FULL);
	const char *sels[] = { "big" };
	struct btf_filter_result *r;
	struct timespec t0, t1;
	struct btf *b, *res;
	const void *raw;
	__u32 size;
	double cpu;

	ASSERT_GE(n, 40000);
	b = btf__new_empty();
	ASSERT_NE(NULL, b);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(i + 1, btf__add_int(b, names[i], 4, 0));
	}
	id = btf__add_struct(b, "big", 4);
	ASSERT_EQ(n + 1, id);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, btf__add_field(b, "m", i + 1, 0, 0));
	}
	raw = btf__raw_data(b, &size);
	ASSERT_NE(NULL, raw);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	r = btf_filter__query_mem(raw, size, sels, 1, &opts);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	ASSERT_NE(NULL, r);
	cpu = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	TH_LOG("%d names: %.3f s of CPU", n, cpu);
	/* 0.02 s here; 1.04 s with the table's old unseeded low-bit slots */
	EXPECT_LT(cpu, 0.25);
	raw = btf_filter_result__data(r, &size);
	res = btf__new(raw, size);
	ASSERT_NE(NULL, res);
	EXPECT_EQ((__u32)n + 2, btf__type_cnt(res));
	EXPECT_STREQ(names[n - 1], btf__name_by_offset(res,
			btf__type_by_id(res, n)->name_off));
	btf__free(res);
	btf_filter_result__free(r);
	btf__free(b);
}

/* The backend names tools take, both ways, and what is not one. */
TEST(backend_names)
{
	static const char *const names[] = { "auto", "kernel", "user" };
	static const __u32 values[] = { BTF_FILTER_BACKEND_AUTO,
					BTF_FILTER_BACKEND_KERNEL,
					BTF_FILTER_BACKEND_USER };
	static const char *const bad[] = { "", "Kernel", "users", "kernel ",
					   "2" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ((int)values[i], btf_filter__backend_from_str(names[i]));
		EXPECT_STREQ(names[i], btf_filter__backend_str(values[i]));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(-EINVAL, btf_filter__backend_from_str(bad[i]));
		EXPECT_EQ(EINVAL, errno);
	}
	errno = 0;
	EXPECT_EQ(-EINVAL, btf_filter__backend_from_str(NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, btf_filter__backend_str(3));
	EXPECT_EQ(NULL, btf_filter__backend_str((__u32)-1));
}

TEST_HARNESS_MAIN
