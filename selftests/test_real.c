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
#include <fcntl.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "oracle.h"
#include "randsel.h"
#include "../core/btf_filter_core.h"
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
	self->roots = calloc(nr, sizeof(__u32));
	self->keep = calloc(nr, 1);
	ASSERT_TRUE(self->named && self->roots && self->keep);
	self->nr_named = randsel_names(self->src, self->named);
	ASSERT_LT(1000, self->nr_named);
}

FIXTURE_TEARDOWN(real)
{
	btf__free(self->src);
	free(self->named);
	free(self->roots);
	free(self->keep);
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
			randsel_one(self->src, self->named, self->nr_named,
				    &seed, sel_buf[k], sizeof(sel_buf[k]),
				    &missing);
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

static bool same_blob(const struct btf_filter_result *a,
		      const struct btf_filter_result *b)
{
	__u32 sa, sb;
	const void *da = btf_filter_result__data(a, &sa);
	const void *db = btf_filter_result__data(b, &sb);

	return sa == sb && !memcmp(da, db, sa);
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

	ra = btf_filter__query(a, 3, &opts);
	rb = btf_filter__query(b, 4, &opts);
	ASSERT_TRUE(ra && rb);
	ASSERT_TRUE(same_blob(ra, rb));
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

	if (!variant->kernel)	/* the host has no vmlinux ELF here */
		return;
	snprintf(elf, sizeof(elf), "%s/%s/vmlinux", kernels_dir(),
		 variant->kernel);
	opts.source = self->path;
	ra = btf_filter__query(sels, 1, &opts);
	opts.source = elf;
	rb = btf_filter__query(sels, 1, &opts);
	ASSERT_TRUE(ra && rb);
	ASSERT_TRUE(same_blob(ra, rb));
	btf_filter_result__free(ra);
	btf_filter_result__free(rb);
}


/* core/ over a file, for the kept-index test: pread and malloc. */
static int file_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	char *p = buf;

	while (len) {	/* sysfs serves a page at a time */
		ssize_t n = pread(*(int *)ctx, p, len, off);

		if (n <= 0)
			return -EIO;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static void *heap_zalloc(void *ctx, size_t size)
{
	return calloc(1, size);
}

static void heap_free(void *ctx, void *p, size_t size)
{
	free(p);
}

/*
 * What the module does with cache_index=1: one kept index (with its name
 * table) answering many queries, byte-identical to streaming each query.
 */
TEST_F_TIMEOUT(real, kept_index_equals_streaming, 600)
{
	int fd = open(self->path, O_RDONLY);
	struct stat st;
	struct bf_env env = {
		.rd = { .read_at = file_read_at, .ctx = &fd },
		.mem = { .zalloc = heap_zalloc, .free = heap_free },
	};
	struct bf_index *idx;
	unsigned int seed = variant->seed + 7;
	int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &st));
	env.rd.size = st.st_size;
	ASSERT_EQ(0, bf_index_build(&env, &idx));
	for (i = 0; i < 300; i++) {
		char buf[5 * 600], *p = buf;
		struct bf_query q = {
			.mode = i % 2,
			.flags = BF_Q_ID_MAP | BF_Q_ALLOW_MISSING,
		};
		struct bf_result a, b;
		int n = 1 + rand_r(&seed) % 5, k, ea, eb;
		bool missing = false;

		for (k = 0; k < n; k++) {
			randsel_one(self->src, self->named, self->nr_named,
				    &seed, p, 600, &missing);
			p += strlen(p) + 1;
		}
		if (i % 7 == 0)	/* sometimes insist on every selector */
			q.flags &= ~BF_Q_ALLOW_MISSING;
		q.sels = buf;
		q.sel_len = p - buf;
		ea = bf_query_run(&env, NULL, &q, &a);
		eb = bf_query_run(&env, idx, &q, &b);
		ASSERT_EQ(ea, eb) {
			TH_LOG("set %d ('%s'): streaming %d, kept index %d", i,
			       buf, ea, eb);
		}
		ASSERT_EQ(a.nr_missing, b.nr_missing);
		ASSERT_EQ(a.first_missing, b.first_missing);
		if (!ea) {
			ASSERT_EQ(a.blob_len, b.blob_len);
			ASSERT_EQ(0, memcmp(a.blob, b.blob, a.blob_len));
			ASSERT_EQ(0, memcmp(a.id_map, b.id_map,
					    a.nr_types * sizeof(__u32)));
		}
		bf_result_free(&env, &a);
		bf_result_free(&env, &b);
	}
	bf_index_free(&env, idx);
	close(fd);
}

TEST_HARNESS_MAIN
