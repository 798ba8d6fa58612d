// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests on real kernels' BTF: the host's running kernel and
 * Debian's 5.10, 6.1, 6.12 and 7.2.  For 1000 random selector sets per
 * kernel and mode (250 on 5.10 and 7.2), the result must be the oracle's
 * closure with every type identical
 * to its source, parse with libbpf, and pass the kernel's BTF checker.
 * A quarter of the sets are tricky ones (randsel_tricky(): names with
 * their suffixes and prefixes, duplicates, one-letter names).
 * Blobs are also written out for the bpftool + clang stage (check-blobs).
 * Adversarial selector lists (thousands of copies of one name, every short
 * name) must finish within a time budget and an O(input) heap bound.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "common.h"
#include "libbtf_filter.h"
#include "oracle.h"
#include "randsel.h"
#include "btf_filter_core.h"
#include "core_env.h"
#include "source.h"
#include "btf_load.h"
#include "bounded.h"

#define NR_SETS		1000
#define MAX_SELS	5	/* in an ordinary set */
#define MAX_TRICKY	8	/* in a tricky set (randsel_tricky()) */

FIXTURE(real) {
	char path[512];
	struct btf *src;
	__u32 *named;		/* IDs of named, selectable types */
	__u32 nr_named;
	__u32 *roots;		/* room for MAX_TRICKY selectors' roots */
	unsigned char *keep;
	struct randsel_pool pool;
};

FIXTURE_VARIANT(real) {
	const char *kernel;	/* NULL: the running kernel */
	unsigned int seed;
	int sets;		/* random sets per mode; 0: NR_SETS */
};

FIXTURE_VARIANT_ADD(real, host) { .kernel = NULL, .seed = 1 };
FIXTURE_VARIANT_ADD(real, debian_6_1) { .kernel = "6.1", .seed = 61 };
FIXTURE_VARIANT_ADD(real, debian_6_12) { .kernel = "6.12", .seed = 612 };
/* The oldest and the newest kernel of the matrix: a quarter of the sets. */
FIXTURE_VARIANT_ADD(real, debian_5_10) { .kernel = "5.10", .seed = 510, .sets = NR_SETS / 4 };
FIXTURE_VARIANT_ADD(real, debian_7_2) { .kernel = "7.2", .seed = 72, .sets = NR_SETS / 4 };

FIXTURE_SETUP(real)
{
	__u32 nr;

	if (variant->kernel)
		snprintf(self->path, sizeof(self->path), "%s/%s/vmlinux.btf",
			 kernels_dir(), variant->kernel);
	else
		snprintf(self->path, sizeof(self->path), "%s", BTF_FILTER_VMLINUX);
	self->src = btf__parse_raw(self->path);
	ASSERT_NE(NULL, self->src) {
		TH_LOG("cannot parse %s: %s (run make kernels)", self->path,
		       strerror(errno));
	}
	nr = btf__type_cnt(self->src);
	self->named = calloc(nr, sizeof(__u32));
	self->roots = calloc((size_t)nr * MAX_TRICKY, sizeof(__u32));
	self->keep = calloc(nr, 1);
	ASSERT_TRUE(self->named && self->roots && self->keep);
	self->nr_named = randsel_names(self->src, self->named);
	ASSERT_LT(1000, self->nr_named);
	ASSERT_EQ(0, randsel_pool_init(&self->pool, self->src, false));
}

FIXTURE_TEARDOWN(real)
{
	btf__free(self->src);
	free(self->named);
	free(self->roots);
	free(self->keep);
	randsel_pool_fini(&self->pool);
}


/*
 * Query sels (n of them) and check the result against the oracle, libbpf
 * and the kernel's checker.  Returns the result, for the caller to free;
 * NULL after a failed assertion.  what names the set in messages.
 */
static struct btf_filter_result *
check_set(struct __test_metadata *_metadata, FIXTURE_DATA(real) *self,
	  const char **sels, int n, __u32 mode, __u32 flags, const char *what)
{
	char log[512] = "", klog[1024], err[512];
	BTF_FILTER_OPTS(opts, .source = self->path, .mode = mode,
			.flags = flags | BTF_FILTER_F_ID_MAP,
			.backend = BTF_FILTER_BACKEND_USER,
			.log_buf = log, .log_size = sizeof(log));
	struct btf_filter_result *r;
	struct btf_filter_stats st;
	const __u32 *map;
	const void *data;
	struct btf *res;
	__u32 size, nr_map;
	size_t sel_bytes = 0;
	int k, nr_roots = 0, fd, got;

	for (k = 0; k < n; k++) {
		got = oracle_roots(self->src, sels[k], self->roots + nr_roots);
		if (got > 0)
			nr_roots += got;
		else	/* names nothing: the query must allow that */
			opts.flags |= BTF_FILTER_F_ALLOW_MISSING;
		sel_bytes += strlen(sels[k]) + 1;
	}
	r = btf_filter__query(sels, n, &opts);
	EXPECT_NE(NULL, r) {
		TH_LOG("%s ('%s'%s%s%s, %d selectors): %s: %s", what, sels[0],
		       n > 1 ? ", '" : "", n > 1 ? sels[1] : "",
		       n > 1 ? "'..." : "", n, log, strerror(errno));
	}
	if (!r)
		return NULL;
	data = btf_filter_result__data(r, &size);
	map = btf_filter_result__id_map(r, &nr_map);
	/* 8 bytes a source type, O(result), 64 KiB of I/O buffers */
	btf_filter_result__stats(r, &st);
	EXPECT_GE(bounded_heap(&st, sel_bytes), st.peak_heap) {
		TH_LOG("%s: peak heap %llu for %u source types", what,
		       (unsigned long long)st.peak_heap, st.src_types);
	}
	res = btf__new(data, size);
	EXPECT_NE(NULL, res) {
		TH_LOG("%s: libbpf rejects the result: %s", what,
		       strerror(errno));
	}
	if (!res)
		goto fail;
	oracle_closure(self->src, self->roots, nr_roots,
		       mode == BTF_FILTER_MODE_SHALLOW, self->keep);
	EXPECT_EQ(0, oracle_compare(self->src, self->keep, res, map, nr_map,
				    err, sizeof(err))) {
		TH_LOG("%s ('%s'%s%s%s, %d selectors): %s", what, sels[0],
		       n > 1 ? ", '" : "", n > 1 ? sels[1] : "",
		       n > 1 ? "'..." : "", n, err);
	}
	btf__free(res);
	if (nr_map) {
		fd = kernel_btf_check(data, size, klog, sizeof(klog));
		EXPECT_LE(0, fd) {
			TH_LOG("%s: BPF_BTF_LOAD: %s: %s", what,
			       strerror(errno), klog);
		}
		if (fd >= 0)
			close(fd);
	}
	if (_metadata->passed)
		return r;
fail:
	btf_filter_result__free(r);
	return NULL;
}

static void run_sets(struct __test_metadata *_metadata,
		     FIXTURE_DATA(real) *self,
		     const FIXTURE_VARIANT(real) *variant, __u32 mode)
{
	const char *blobs = getenv("BTF_FILTER_BLOBS");
	unsigned int seed = variant->seed * 2 + mode;
	char tag[64], what[64], name[96];
	int i;

	snprintf(tag, sizeof(tag), "%s-%s",
		 variant->kernel ? variant->kernel : "host",
		 mode ? "shallow" : "full");
	for (i = 0; i < (variant->sets ? variant->sets : NR_SETS); i++) {
		char sel_buf[MAX_TRICKY][600];
		const char *sels[MAX_TRICKY];
		int n, k;
		struct btf_filter_result *r;
		bool missing = false;
		const void *data;
		__u32 size;

		if (i % 4 == 0) {	/* a tricky set */
			n = randsel_tricky(&self->pool, &seed, sel_buf[0],
					   sizeof(sel_buf[0]), MAX_TRICKY,
					   &missing);
		} else {
			n = 1 + rand_r(&seed) % MAX_SELS;
			for (k = 0; k < n; k++)
				randsel_one(self->src, self->named,
					    self->nr_named, &seed, sel_buf[k],
					    sizeof(sel_buf[k]), &missing);
		}
		for (k = 0; k < n; k++)
			sels[k] = sel_buf[k];
		snprintf(what, sizeof(what), "%sset %d",
			 i % 4 ? "" : "tricky ", i);
		r = check_set(_metadata, self, sels, n, mode,
			      missing ? BTF_FILTER_F_ALLOW_MISSING : 0, what);
		ASSERT_NE(NULL, r);
		data = btf_filter_result__data(r, &size);
		snprintf(name, sizeof(name), "%s-%04d", tag, i);
		save_blob(blobs, name, data, size);
		btf_filter_result__free(r);
	}
}

TEST_F_TIMEOUT(real, differential_shallow, 900)
{
	run_sets(_metadata, self, variant, BTF_FILTER_MODE_SHALLOW);
}

TEST_F_TIMEOUT(real, differential_full, 900)
{
	run_sets(_metadata, self, variant, BTF_FILTER_MODE_FULL);
}

/* Roots in any order and repeated give the same bytes. */
TEST_F_TIMEOUT(real, deterministic, 300)
{
	const char *a[] = { "task_struct", "struct file", "sk_buff" };
	const char *b[] = { "sk_buff", "task_struct", "struct file",
			    "task_struct" };
	BTF_FILTER_OPTS(opts, .source = self->path,
			.mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_result *ra, *rb;

	ra = btf_filter__query(a, 3, &opts);
	rb = btf_filter__query(b, 4, &opts);
	ASSERT_TRUE(ra && rb);
	ASSERT_TRUE(same_result(ra, rb));
	btf_filter_result__free(ra);
	btf_filter_result__free(rb);
}

/* A missing selector is an error naming it, or counted when allowed. */
TEST_F_TIMEOUT(real, missing_selector, 300)
{
	const char *sels[] = { "task_struct", "struct no_such_struct_xyz" };
	char log[256] = "";
	BTF_FILTER_OPTS(opts, .source = self->path, .log_buf = log,
			.log_size = sizeof(log), .mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_stats st;
	struct btf_filter_result *r;

	r = btf_filter__query(sels, 2, &opts);
	ASSERT_EQ(NULL, r);
	ASSERT_EQ(ENOENT, errno);
	ASSERT_NE(NULL, strstr(log, "struct no_such_struct_xyz"));
	opts.flags = BTF_FILTER_F_ALLOW_MISSING;
	r = btf_filter__query(sels, 2, &opts);
	ASSERT_NE(NULL, r);
	btf_filter_result__stats(r, &st);
	ASSERT_EQ(1, st.nr_missing);
	ASSERT_EQ(1, st.first_missing);
	ASSERT_LT(10, st.res_types);
	btf_filter_result__free(r);
}

/* The next permutation of idx[0..n) in lexicographic order, or false. */
static bool next_perm(int *idx, int n)
{
	int i = n - 2, j = n - 1, t;

	while (i >= 0 && idx[i] >= idx[i + 1])
		i--;
	if (i < 0)
		return false;
	while (idx[j] <= idx[i])
		j--;
	t = idx[i], idx[i] = idx[j], idx[j] = t;
	for (i++, j = n - 1; i < j; i++, j--)
		t = idx[i], idx[i] = idx[j], idx[j] = t;
	return true;
}

/*
 * Every order of set (n <= 6 names, each naming some type) must find every
 * selector, agree with the oracle, and give the same bytes.  Returns false
 * if some selector names nothing here (the set does not apply).
 */
static bool every_order(struct __test_metadata *_metadata,
			FIXTURE_DATA(real) *self, const char *const *set,
			int n, __u32 mode)
{
	struct btf_filter_result *first = NULL, *r;
	int idx[6], k, perm = 0;
	const char *sels[6];
	char what[96];

	for (k = 0; k < n; k++) {
		if (oracle_roots(self->src, set[k], self->roots) <= 0)
			return false;
		idx[k] = k;
	}
	do {
		for (k = 0; k < n; k++)
			sels[k] = set[idx[k]];
		snprintf(what, sizeof(what), "order %d of '%s' and '%s'",
			 perm++, set[0], set[1]);
		r = check_set(_metadata, self, sels, n, mode, 0, what);
		ASSERT_NE(NULL, r);
		if (!first) {
			first = r;
			continue;
		}
		EXPECT_TRUE(same_result(first, r)) {
			TH_LOG("'%s' first and '%s' first differ", set[0],
			       sels[0]);
		}
		btf_filter_result__free(r);
	} while (next_perm(idx, n));
	btf_filter_result__free(first);
	return true;
}

/*
 * The streaming matcher notes, where a string ends, every selector whose
 * name ends there; a name that is a tail of another selector's string
 * ("int" of "unsigned int", "s" of "lookup_args") must be found whatever
 * the selectors' order.
 */
TEST_F_TIMEOUT(real, suffix_names_any_order, 300)
{
	static const char *const sets[][6] = {
		{ "int", "unsigned int" },
		{ "int", "unsigned int", "long unsigned int" },
		{ "unsigned int", "int", "typedef __u32", "u32" },
		{ "s", "lookup_args" },
		{ "struct s", "struct lookup_args", "s" },
		{ "t", "u8", "__u8", "typedef u8" },
	};
	static const int lens[] = { 2, 3, 4, 2, 3, 4 };
	unsigned int seed = variant->seed + 99, i, pairs = 0, tries;
	unsigned int applied = 0;
	struct randsel_pool *p = &self->pool;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		applied += every_order(_metadata, self, sets[i], lens[i],
				       BTF_FILTER_MODE_SHALLOW);
		applied += every_order(_metadata, self, sets[i], lens[i],
				       BTF_FILTER_MODE_FULL);
		if (!_metadata->passed)
			return;
	}
	/* the three int sets name types in every kernel, in both modes */
	ASSERT_LE(6, applied);
	/* 20 pairs of a name and a longer one ending with it, both orders */
	for (tries = 0; pairs < 20 && tries < 100000; tries++) {
		const char *x = p->rev[rand_r(&seed) % p->nr].name, *y;
		const char *set[2];
		__u32 first, run;

		if (strlen(x) > 4)	/* short names are tails of many */
			continue;
		run = randsel_ending_with(p, x, &first);
		y = p->rev[first + rand_r(&seed) % run].name;
		if (!strcmp(x, y))
			continue;
		set[0] = x;
		set[1] = y;
		if (every_order(_metadata, self, set, 2,
				BTF_FILTER_MODE_SHALLOW))
			pairs++;
		if (!_metadata->passed)
			return;
	}
	ASSERT_LE(10, pairs) TH_LOG("only %u name/tail pairs", pairs);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A long selector list (with repeats) in a child under a 2 GiB address
 * space limit: it must finish within budget seconds of CPU, hold at most
 * bounded_heap(), find what the oracle finds and give the bytes that its
 * deduplicated list gives.
 */
static void long_list(struct __test_metadata *_metadata,
		      FIXTURE_DATA(real) *self, const char **sels, size_t n,
		      double budget, const char *what)
{
	BTF_FILTER_OPTS(opts, .source = self->path,
			.mode = BTF_FILTER_MODE_SHALLOW,
			.backend = BTF_FILTER_BACKEND_USER,
			.flags = BTF_FILTER_F_ALLOW_MISSING |
				 BTF_FILTER_F_ID_MAP);
	const char **uniq = calloc(n, sizeof(*uniq));
	size_t nu = 0, i, j, sel_bytes = 0, missing = 0;
	struct btf_filter_result *want;
	struct btf_filter_stats wst;
	struct bounded_out *out;
	const void *wdata;
	__u32 wsize, nr_src = btf__type_cnt(self->src), nr_roots = 0;
	__u32 *roots = calloc(nr_src, sizeof(__u32));
	char fate[512], err[512];
	struct btf *res;

	ASSERT_TRUE(uniq && roots);
	for (i = 0; i < n; i++)
		sel_bytes += strlen(sels[i]) + 1;
	out = bounded_query(NULL, 0, sels, n, &opts, 8, 2UL << 30);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(bounded_ok(out)) {
		TH_LOG("%s (%zu selectors, %zu bytes): %s", what, n, sel_bytes,
		       bounded_fate(out, fate, sizeof(fate)));
	}
	if (!bounded_ok(out))
		goto out;
	TH_LOG("%s: %s", what, bounded_fate(out, fate, sizeof(fate)));
	EXPECT_GT(budget, out->secs) {
		TH_LOG("%s (%zu selectors): %.3f s of CPU, over the %.1f s budget",
		       what, n, out->secs, budget);
	}
	EXPECT_GE(bounded_heap(&out->st, sel_bytes), out->st.peak_heap) {
		TH_LOG("%s (%zu selectors, %zu bytes): peak heap %llu, bound %llu",
		       what, n, sel_bytes,
		       (unsigned long long)out->st.peak_heap,
		       bounded_heap(&out->st, sel_bytes));
	}

	/* the deduplicated list, in sorted order, gives the same bytes */
	memcpy(uniq, sels, n * sizeof(*uniq));
	qsort(uniq, n, sizeof(*uniq), cmp_str);
	for (i = 0; i < n; i = j) {
		int got;

		for (j = i + 1; j < n && !strcmp(uniq[i], uniq[j]); j++)
			;
		uniq[nu++] = uniq[i];
		got = oracle_roots(self->src, uniq[i], roots + nr_roots);
		if (got > 0 && nr_roots + got < nr_src)
			nr_roots += got;
		else
			missing += j - i;	/* every copy is missing */
	}
	want = btf_filter__query(uniq, nu, &opts);
	ASSERT_NE(NULL, want);
	btf_filter_result__stats(want, &wst);
	wdata = btf_filter_result__data(want, &wsize);
	EXPECT_EQ(missing, out->st.nr_missing);
	EXPECT_EQ(wsize, out->size);
	EXPECT_TRUE(wsize == out->size && !memcmp(wdata, out->data, wsize)) {
		TH_LOG("%s: %zu selectors give other bytes than their %zu distinct ones",
		       what, n, nu);
	}
	/* and that is the oracle's closure of every root */
	res = btf__new(out->data, out->size);
	ASSERT_NE(NULL, res);
	oracle_closure(self->src, roots, nr_roots, true, self->keep);
	EXPECT_EQ(0, oracle_compare(self->src, self->keep, res,
				    (const __u32 *)(out->data + out->size),
				    out->nr_map, err, sizeof(err))) {
		TH_LOG("%s: %s", what, err);
	}
	btf__free(res);
	btf_filter_result__free(want);
out:
	munmap(out, BOUNDED_SHM);
	free(uniq);
	free(roots);
}

/* 4,000 and 16,000 copies of "e", the tail of thousands of strings. */
TEST_F_TIMEOUT(real, many_copies_of_a_short_name, 120)
{
	static const size_t counts[] = { 4000, 16000 };
	const char **sels = calloc(16000, sizeof(*sels));
	unsigned int i, c;
	char what[64];

	ASSERT_NE(NULL, sels);
	for (i = 0; i < 16000; i++)
		sels[i] = "e";
	for (c = 0; c < 2; c++) {
		snprintf(what, sizeof(what), "'e' x %zu", counts[c]);
		long_list(_metadata, self, sels, counts[c], 2.0, what);
	}
	free(sels);
}

/* 10,000 copies each of a name that names a type, bare and with a kind. */
TEST_F_TIMEOUT(real, many_copies_of_a_real_name, 120)
{
	const char **sels = calloc(20000, sizeof(*sels));
	unsigned int i;

	ASSERT_NE(NULL, sels);
	for (i = 0; i < 20000; i++)
		sels[i] = i % 2 ? "task_struct" : "struct task_struct";
	long_list(_metadata, self, sels, 20000, 2.0,
		  "'task_struct' and 'struct task_struct' x 10000");
	free(sels);
}

/* Every name of one letter or a letter and a letter or digit: 962. */
TEST_F_TIMEOUT(real, every_short_name, 120)
{
	static const char second[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char (*names)[3] = calloc(26 * 37, sizeof(*names));
	const char **sels = calloc(26 * 37, sizeof(*sels));
	unsigned int a, b, n = 0;

	ASSERT_TRUE(names && sels);
	for (a = 0; a < 26; a++) {
		for (b = 0; b <= 36; b++) {
			names[n][0] = 'a' + a;
			names[n][1] = b < 36 ? second[b] : 0;
			sels[n] = names[n];
			n++;
		}
	}
	long_list(_metadata, self, sels, n, 2.0, "every short name");
	free(sels);
	free(names);
}

/* The ELF vmlinux gives the same bytes as its raw .BTF section. */
TEST_F_TIMEOUT(real, elf_source, 300)
{
	const char *sels[] = { "task_struct" };
	char elf[600];
	BTF_FILTER_OPTS(opts, .mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_result *ra, *rb;

	if (!variant->kernel)
		SKIP(return, "the host's kernel has no vmlinux ELF here");
	snprintf(elf, sizeof(elf), "%s/%s/vmlinux", kernels_dir(),
		 variant->kernel);
	opts.source = self->path;
	ra = btf_filter__query(sels, 1, &opts);
	opts.source = elf;
	rb = btf_filter__query(sels, 1, &opts);
	ASSERT_TRUE(ra && rb);
	ASSERT_TRUE(same_result(ra, rb));
	btf_filter_result__free(ra);
	btf_filter_result__free(rb);
}


/*
 * What the module does with cache_index=1: one kept index (with its name
 * table) answering many queries, byte-identical to streaming each query,
 * read with pread() for even sets and in place for odd ones.
 */
TEST_F_TIMEOUT(real, kept_index_equals_streaming, 600)
{
	struct bf_source src;
	char msg[256];
	struct bf_env env = {
		.rd = { .read_at = bf_source_read, .ctx = &src },
		.mem = { .zalloc = heap_zalloc, .free = heap_free },
	};
	struct bf_index *idx;
	unsigned int seed = variant->seed + 7;
	int i, compared = 0;
	struct mem_src h;
	struct bf_env held_env;
	unsigned char *copy;

	ASSERT_EQ(0, bf_source_open(&src, self->path, msg, sizeof(msg)));
	env.rd.size = src.size;
	ASSERT_EQ(0, bf_index_build(&env, 0, &idx));
	copy = malloc(src.size);
	ASSERT_NE(NULL, copy);
	ASSERT_EQ(0, bf_source_read(&src, 0, copy, src.size));
	h.p = copy;
	h.size = src.size;
	held_env = env;		/* the same source, held in memory */
	held_env.rd.read_at = mem_read_at;
	held_env.rd.ptr_at = mem_ptr_at;
	held_env.rd.ctx = &h;
	for (i = 0; i < 300; i++) {
		char buf[MAX_TRICKY * 600], *p = buf, tricky[MAX_TRICKY][600];
		struct bf_query q = {
			.mode = i % 2,
			.flags = BF_Q_ID_MAP | BF_Q_ALLOW_MISSING,
		};
		struct bf_result a, b;
		int n = 1 + rand_r(&seed) % 5, k, ea, eb;
		bool missing = false;

		if (i % 3 == 0)	/* a third are tricky sets */
			n = randsel_tricky(&self->pool, &seed, tricky[0], 600,
					   MAX_TRICKY, &missing);
		for (k = 0; k < n; k++) {
			if (i % 3 == 0)
				strcpy(p, tricky[k]);
			else
				randsel_one(self->src, self->named,
					    self->nr_named, &seed, p, 600,
					    &missing);
			p += strlen(p) + 1;
		}
		if (i % 7 == 0)	/* sometimes insist on every selector */
			q.flags &= ~BF_Q_ALLOW_MISSING;
		q.sels = buf;
		q.sel_len = p - buf;
		ea = bf_query_run(i % 2 ? &held_env : &env, NULL, &q, &a);
		eb = bf_query_run(&env, idx, &q, &b);
		ASSERT_EQ(ea, eb) {
			TH_LOG("set %d ('%s'): streaming %d, kept index %d", i,
			       buf, ea, eb);
		}
		ASSERT_EQ(a.nr_missing, b.nr_missing);
		ASSERT_EQ(a.first_missing, b.first_missing);
		compared += !ea;
		if (!ea) {
			ASSERT_EQ(a.blob_len, b.blob_len);
			ASSERT_EQ(0, memcmp(a.blob, b.blob, a.blob_len));
			ASSERT_EQ(0, memcmp(a.id_map, b.id_map,
					    a.nr_types * sizeof(__u32)));
		}
		bf_result_free(&env, &a);
		bf_result_free(&env, &b);
	}
	/* most sets allow missing selectors, so most have a result */
	ASSERT_LE(200, compared);
	bf_index_free(&env, idx);
	bf_source_close(&src);
	free(copy);
}

/*
 * /sys/kernel/btf/vmlinux read in place: where the kernel lets a process
 * map it (6.16+, as this test checks for itself), the library maps it, and
 * answers byte for byte as it does from a copy of the file in /tmp, which
 * it reads with pread(); the mapping needs fewer read calls.
 */
TEST(vmlinux_in_place)
{
	const char *sels[] = { "task_struct", "sk_buff", "enum bpf_func_id" };
	char copy[] = "/tmp/btf_filter_vmlinux.XXXXXX";
	struct stat st;
	int fd, out, m;
	void *map;

	fd = open(BTF_FILTER_VMLINUX, O_RDONLY);
	if (fd < 0)
		SKIP(return, "no %s", BTF_FILTER_VMLINUX);
	ASSERT_EQ(0, fstat(fd, &st));
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		SKIP(return, "this kernel does not let %s be mapped (6.16+ does)",
		     BTF_FILTER_VMLINUX);
	}
	out = mkstemp(copy);
	ASSERT_LE(0, out);
	ASSERT_EQ(st.st_size, write(out, map, st.st_size));
	close(out);
	for (m = BTF_FILTER_MODE_FULL; m <= BTF_FILTER_MODE_SHALLOW; m++) {
		BTF_FILTER_OPTS(mapped, .mode = m, .flags = BTF_FILTER_F_ID_MAP,
				.backend = BTF_FILTER_BACKEND_USER);
		BTF_FILTER_OPTS(read, .mode = m, .flags = BTF_FILTER_F_ID_MAP,
				.backend = BTF_FILTER_BACKEND_USER,
				.source = copy);
		struct btf_filter_result *a, *b;
		struct btf_filter_stats sa, sb;

		a = btf_filter__query(sels, 3, &mapped);
		b = btf_filter__query(sels, 3, &read);
		ASSERT_NE(NULL, a);
		ASSERT_NE(NULL, b);
		EXPECT_TRUE(same_result(a, b)) TH_LOG("mode %d", m);
		btf_filter_result__stats(a, &sa);
		btf_filter_result__stats(b, &sb);
		EXPECT_GT(sb.reads, sa.reads) {
			TH_LOG("mode %d: %llu read calls mapped, %llu by pread",
			       m, (unsigned long long)sa.reads,
			       (unsigned long long)sb.reads);
		}
		btf_filter_result__free(a);
		btf_filter_result__free(b);
	}
	unlink(copy);
	munmap(map, st.st_size);
	close(fd);
}

/*
 * Only BTF at /sys/kernel/btf/ is mapped, wherever else sysfs has files
 * the kernel lets a process map (a PCI BAR is device memory).  In a
 * private mount namespace (root only): vmlinux's BTF through a second
 * mount of sysfs is on sysfs and starts as BTF does, but is not there, so
 * it is read with pread(); and so is a sysfs file that is not BTF mounted
 * over /sys/kernel/btf/vmlinux.
 */
TEST(sysfs_maps_only_btf_at_sys_kernel_btf)
{
	char dir[] = "/tmp/btf_filter_sysfs.XXXXXX", path[PATH_MAX], msg[256];
	struct bf_source src;

	if (bf_source_open(&src, BTF_FILTER_VMLINUX, msg, sizeof(msg)))
		SKIP(return, "%s", msg);
	if (!src.map_len) {
		bf_source_close(&src);
		SKIP(return, "this kernel does not let %s be mapped (6.16+ does)",
		     BTF_FILTER_VMLINUX);
	}
	bf_source_close(&src);
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		SKIP(return, "no private mount namespace: %s", strerror(errno));
	ASSERT_NE(NULL, mkdtemp(dir));
	if (mount("sysfs", dir, "sysfs", MS_RDONLY, NULL)) {
		rmdir(dir);
		SKIP(return, "cannot mount sysfs: %s", strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/kernel/btf/vmlinux", dir);
	EXPECT_EQ(0, bf_source_open(&src, path, msg, sizeof(msg)))
		TH_LOG("%s", msg);
	EXPECT_EQ(0, src.map_len);
	bf_source_close(&src);
	EXPECT_EQ(0, umount(dir));
	rmdir(dir);
	ASSERT_EQ(0, mount("/sys/kernel/uevent_seqnum", BTF_FILTER_VMLINUX,
			   NULL, MS_BIND, NULL));
	EXPECT_EQ(0, bf_source_open(&src, BTF_FILTER_VMLINUX, msg, sizeof(msg)))
		TH_LOG("%s", msg);
	EXPECT_EQ(0, src.map_len);
	bf_source_close(&src);
}

TEST_HARNESS_MAIN
