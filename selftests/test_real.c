// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests on real kernels' BTF: the host's running kernel and
 * Debian's 6.1 and 6.12.  For 1000 random selector sets per kernel and
 * mode, the result must be the oracle's closure with every type identical
 * to its source, parse with libbpf, and pass the kernel's BTF checker.
 * Blobs are also written out for the bpftool + clang stage (check-blobs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "oracle.h"
#include "btf_load.h"

#define NR_SETS		1000
#define MAX_SELS	5

static const char *kernels_dir(void)
{
	const char *d = getenv("BTF_FILTER_KERNELS");

	return d ? d : "build/kernels";
}

FIXTURE(real) {
	char path[512];
	struct btf *src;
	__u32 *named;		/* IDs of named, selectable types */
	__u32 nr_named;
	__u32 *roots;
	unsigned char *keep;
};

FIXTURE_VARIANT(real) {
	const char *kernel;	/* NULL: the running kernel */
	unsigned int seed;
};

FIXTURE_VARIANT_ADD(real, host) { .kernel = NULL, .seed = 1 };
FIXTURE_VARIANT_ADD(real, debian_6_1) { .kernel = "6.1", .seed = 61 };
FIXTURE_VARIANT_ADD(real, debian_6_12) { .kernel = "6.12", .seed = 612 };

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

FIXTURE_SETUP(real)
{
	__u32 nr, id;

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
	self->roots = calloc(nr, sizeof(__u32));
	self->keep = calloc(nr, 1);
	ASSERT_TRUE(self->named && self->roots && self->keep);
	for (id = 1; id < nr; id++)
		if (selectable(btf__type_by_id(self->src, id)))
			self->named[self->nr_named++] = id;
	ASSERT_LT(1000, self->nr_named);
}

FIXTURE_TEARDOWN(real)
{
	btf__free(self->src);
	free(self->named);
	free(self->roots);
	free(self->keep);
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

/* One random selector into buf. */
static void random_selector(FIXTURE_DATA(real) *self, unsigned int *seed,
			    char *buf, size_t sz, bool *missing)
{
	unsigned int dice = rand_r(seed) % 100;
	__u32 id = self->named[rand_r(seed) % self->nr_named];
	const struct btf_type *t = btf__type_by_id(self->src, id);
	const char *name = btf__name_by_offset(self->src, t->name_off);

	if (dice < 50)
		snprintf(buf, sz, "%s", name);
	else if (dice < 80)
		snprintf(buf, sz, "%s %s", kind_word(t), name);
	else if (dice < 95)
		snprintf(buf, sz, "#%u",
			 1 + rand_r(seed) % (btf__type_cnt(self->src) - 1));
	else {
		snprintf(buf, sz, "no_such_type_%u", rand_r(seed));
		*missing = true;
	}
}

static void save_blob(const char *dir, const char *tag, int i,
		      const void *data, __u32 size)
{
	char path[600];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s-%04d.btf", dir, tag, i);
	f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
	}
}

static void run_sets(struct __test_metadata *_metadata,
		     FIXTURE_DATA(real) *self,
		     const FIXTURE_VARIANT(real) *variant, __u32 mode)
{
	const char *blobs = getenv("BTF_FILTER_BLOBS");
	unsigned int seed = variant->seed * 2 + mode;
	char tag[64], err[512];
	int i;

	snprintf(tag, sizeof(tag), "%s-%s",
		 variant->kernel ? variant->kernel : "host",
		 mode ? "shallow" : "full");
	for (i = 0; i < NR_SETS; i++) {
		char sel_buf[MAX_SELS][600], log[512] = "", klog[1024];
		const char *sels[MAX_SELS];
		BTF_FILTER_OPTS(opts, .source = self->path, .mode = mode,
				.flags = BTF_FILTER_F_ID_MAP,
				.log_buf = log, .log_size = sizeof(log));
		int n = 1 + rand_r(&seed) % MAX_SELS, k, nr_roots = 0, fd;
		struct btf_filter_result *r;
		struct btf_filter_stats st;
		bool missing = false;
		const __u32 *map;
		const void *data;
		struct btf *res;
		__u32 size, nr_map;

		for (k = 0; k < n; k++) {
			random_selector(self, &seed, sel_buf[k],
					sizeof(sel_buf[k]), &missing);
			sels[k] = sel_buf[k];
			nr_roots += oracle_roots(self->src, sels[k],
						 self->roots + nr_roots);
		}
		if (missing)
			opts.flags |= BTF_FILTER_F_ALLOW_MISSING;
		r = btf_filter__query(sels, n, &opts);
		ASSERT_NE(NULL, r) {
			TH_LOG("set %d ('%s'...): %s: %s", i, sels[0], log,
			       strerror(errno));
		}
		data = btf_filter_result__data(r, &size);
		map = btf_filter_result__id_map(r, &nr_map);
		/* 8 bytes a source type, O(result), 64 KiB of I/O buffers */
		btf_filter_result__stats(r, &st);
		ASSERT_GE(8ULL * st.src_types + 65536 + 12ULL * st.res_bytes +
			  32ULL * st.res_types, st.peak_heap) {
			TH_LOG("set %d: peak heap %llu for %u source types",
			       i, (unsigned long long)st.peak_heap,
			       st.src_types);
		}
		res = btf__new(data, size);
		ASSERT_NE(NULL, res) {
			TH_LOG("set %d: libbpf rejects the result: %s", i,
			       strerror(errno));
		}
		oracle_closure(self->src, self->roots, nr_roots,
			       mode == BTF_FILTER_MODE_SHALLOW, self->keep);
		ASSERT_EQ(0, oracle_compare(self->src, self->keep, res, map,
					    nr_map, err, sizeof(err))) {
			TH_LOG("set %d ('%s', %d selectors): %s", i, sels[0],
			       n, err);
		}
		if (nr_map) {
			fd = kernel_btf_check(data, size, klog, sizeof(klog));
			ASSERT_LE(0, fd) {
				TH_LOG("set %d: BPF_BTF_LOAD: %s: %s", i,
				       strerror(errno), klog);
			}
			close(fd);
		}
		save_blob(blobs, tag, i, data, size);
		btf__free(res);
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
TEST_F(real, deterministic)
{
	const char *a[] = { "task_struct", "struct file", "sk_buff" };
	const char *b[] = { "sk_buff", "task_struct", "struct file",
			    "task_struct" };
	BTF_FILTER_OPTS(opts, .source = self->path,
			.mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_result *ra, *rb;
	const void *da, *db;
	__u32 sa, sb;

	ra = btf_filter__query(a, 3, &opts);
	rb = btf_filter__query(b, 4, &opts);
	ASSERT_TRUE(ra && rb);
	da = btf_filter_result__data(ra, &sa);
	db = btf_filter_result__data(rb, &sb);
	ASSERT_EQ(sa, sb);
	ASSERT_EQ(0, memcmp(da, db, sa));
	btf_filter_result__free(ra);
	btf_filter_result__free(rb);
}

/* A missing selector is an error naming it, or counted when allowed. */
TEST_F(real, missing_selector)
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

/* The ELF vmlinux gives the same bytes as its raw .BTF section. */
TEST_F(real, elf_source)
{
	const char *sels[] = { "task_struct" };
	char elf[600];
	BTF_FILTER_OPTS(opts, .mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_result *ra, *rb;
	const void *da, *db;
	__u32 sa, sb;

	if (!variant->kernel)	/* the host has no vmlinux ELF here */
		return;
	snprintf(elf, sizeof(elf), "%s/%s/vmlinux", kernels_dir(),
		 variant->kernel);
	opts.source = self->path;
	ra = btf_filter__query(sels, 1, &opts);
	opts.source = elf;
	rb = btf_filter__query(sels, 1, &opts);
	ASSERT_TRUE(ra && rb);
	da = btf_filter_result__data(ra, &sa);
	db = btf_filter_result__data(rb, &sb);
	ASSERT_EQ(sa, sb);
	ASSERT_EQ(0, memcmp(da, db, sa));
	btf_filter_result__free(ra);
	btf_filter_result__free(rb);
}

TEST_HARNESS_MAIN
