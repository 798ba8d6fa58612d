// SPDX-License-Identifier: GPL-2.0
/*
 * Split BTF (a module's, on top of vmlinux): type IDs and string offsets
 * continue the base's, and a closure may cross into the base.  The result
 * is one standalone blob; its ID map gives each type's ID in the split
 * source's numbering (the base's IDs for the base's types).
 *
 * Checked against libbpf's split BTF (btf__parse_raw_split()) with the oracle,
 * on a synthetic module built with libbpf and on real modules of Debian's
 * 6.1, 6.12 and 7.2 (nf_conntrack, kvm: their .BTF sections, fetched by
 * make kernels; 5.10's modules carry no BTF), streaming and through a kept
 * index.  Built with ASan and
 * UBSan and with core/ compiled in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "common.h"
#include "oracle.h"
#include "randsel.h"
#include "synth.h"
#include "btf_filter_core.h"
#include "core_env.h"
#include "btf_layout.h"

static struct blob raw_blob(const struct btf *b)
{
	struct blob r;
	const void *p = btf__raw_data((struct btf *)b, &r.size);

	r.data = malloc(r.size);
	memcpy(r.data, p, r.size);
	return r;
}

/*
 * libbpf's split BTF over base of the bytes m (libbpf 1.1 exports no
 * btf__new_split(): through a file).
 */
static struct btf *libbpf_split(const struct blob *m, struct btf *base)
{
	char path[] = "/tmp/btf-filter-split-XXXXXX";
	int fd = mkstemp(path);
	struct btf *b = NULL;

	if (fd >= 0 && write(fd, m->data, m->size) == (ssize_t)m->size)
		b = btf__parse_raw_split(path, base);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	return b;
}

/*
 * Check the answer of sels (n of them) in mode over split on base, through
 * a kept index and streaming, against the oracle over libbpf's split BTF
 * src.  Returns 0, the negative errno of a refused query, or 1 when the
 * oracle finds no root for a selector.
 */
static int check_split(struct __test_metadata *_metadata,
		       const struct btf *src, const struct blob *split,
		       const struct blob *base, const char **sels, int n,
		       __u32 mode)
{
	__u32 nr = btf__type_cnt(src), *roots = calloc(nr * (n + 1), 4);
	unsigned char *keep = calloc(nr, 1);
	char packed[4096], err[512];
	int i, k, nroots = 0, ret = 0;
	__u32 plen = 0;

	for (i = 0; i < n; i++) {
		int got = oracle_roots(src, sels[i], roots + nroots);

		if (got <= 0)
			ret = 1;
		nroots += got > 0 ? got : 0;
		memcpy(packed + plen, sels[i], strlen(sels[i]) + 1);
		plen += strlen(sels[i]) + 1;
	}
	if (ret)
		goto out;
	oracle_closure(src, roots, nroots, mode != 0, keep);
	for (k = 0; k < 2; k++) {
		struct blob out;
		struct kept kp;
		__u32 *map = NULL, nmap = 0;
		struct btf *res;

		if (k)
			ret = kept_init(&kp, split, base, 0);
		else
			kept_env(&kp, split, base);	/* streaming */
		if (!ret)
			ret = kept_run_map(&kp, packed, plen, mode, &out, &map,
					   &nmap);
		if (ret) {
			TH_LOG("%s (%s): %s", sels[0], k ? "kept" : "streaming",
			       kp.log);
			kept_fini(&kp);
			goto out;
		}
		kept_fini(&kp);
		res = btf__new(out.data, out.size);
		EXPECT_NE(NULL, res) TH_LOG("libbpf cannot parse the result");
		if (res)
			EXPECT_EQ(0, oracle_compare(src, keep, res, map, nmap,
						    err, sizeof(err)))
				TH_LOG("%s (%s, %s): %s", sels[0],
				       k ? "kept" : "streaming",
				       mode ? "shallow" : "full", err);
		btf__free(res);
		free(out.data);
		free(map);
	}
out:
	free(roots);
	free(keep);
	return ret;
}

/*
 * A module on every_kind's 29 types: its own struct with members of base
 * types and of its own, a pointer to the base's holder, a typedef of the
 * base's bits, an enum, a function and a decl tag on its struct.
 */
static struct btf *build_module(struct btf *base)
{
	struct btf *m = btf__new_empty_split(base);

	btf__add_struct(m, "mod_inner", 4);			/* 30 */
	btf__add_field(m, "x", 1, 0, 0);
	btf__add_ptr(m, 25);					/* 31 */
	btf__add_struct(m, "mod_s", 24);			/* 32 */
	btf__add_field(m, "a", 1, 0, 0);
	btf__add_field(m, "i", 30, 32, 0);
	btf__add_field(m, "h", 31, 64, 0);
	btf__add_field(m, "c", 8, 128, 0);			/* enum color */
	btf__add_typedef(m, "mod_t", 5);			/* 33 */
	btf__add_enum(m, "mod_e", 4);				/* 34 */
	btf__add_enum_value(m, "MOD_A", 1);
	btf__add_ptr(m, 32);					/* 35 */
	btf__add_func_proto(m, 1);				/* 36 */
	btf__add_func_param(m, "s", 35);
	btf__add_func(m, "mod_fn", BTF_FUNC_GLOBAL, 36);	/* 37 */
	btf__add_decl_tag(m, "mod_tag", 32, -1);		/* 38 */
	return m;
}

TEST(synthetic_module)
{
	static const char *const sets[][3] = {
		{ "mod_s" }, { "mod_t" }, { "mod_e" }, { "mod_fn" },
		{ "holder" }, { "#32" }, { "#25" }, { "mod_s", "bits", "u" },
		{ "struct mod_inner", "enum color" }, { "typedef mod_t" },
	};
	struct btf *base = build_every_kind(), *mod = build_module(base);
	struct blob b = raw_blob(base), m = raw_blob(mod);
	struct btf *src = libbpf_split(&m, base);
	int i, mode;

	ASSERT_NE(NULL, src);
	ASSERT_EQ(39, btf__type_cnt(src));
	for (i = 0; i < 10; i++) {
		const char *sels[3];
		int n = 0;

		while (n < 3 && sets[i][n]) {
			sels[n] = sets[i][n];
			n++;
		}
		for (mode = 0; mode < 2; mode++)
			ASSERT_EQ(0, check_split(_metadata, src, &m, &b, sels,
						 n, mode));
	}
	/* The module's own IDs continue the base's: [32] is mod_s. */
	{
		struct kept kp;
		struct blob out;
		__u32 *map, nmap, k;

		kept_env(&kp, &m, &b);
		ASSERT_EQ(0, kept_run_map(&kp, "mod_s", 6, 0, &out, &map,
					  &nmap));
		for (k = 0; k < nmap && map[k] != 32; k++)
			;
		ASSERT_LT(k, nmap);
		free(out.data);
		free(map);
	}
	btf__free(src);
	btf__free(mod);
	btf__free(base);
	free(b.data);
	free(m.data);
}

/* A split source broken in turn: refused with a message, never a crash. */
TEST(broken_module)
{
	struct btf *base = build_every_kind(), *mod = build_module(base);
	struct blob b = raw_blob(base), m = raw_blob(mod);
	const struct btf_header *h = (const void *)m.data;
	static const struct { int word; __u32 val; const char *needle; } bad[] = {
		{ 1 + 3, 99, "refers to type 99" },	/* mod_inner.x: 99 */
		{ 0, 0x7fffffff, "string offset" },	/* its name */
		{ -1, 0, "split header" },		/* bad magic */
	};
	int i;

	for (i = 0; i < 3; i++) {
		struct blob c = { malloc(m.size), m.size };
		struct kept kp;
		struct blob out;
		int err;

		memcpy(c.data, m.data, m.size);
		if (bad[i].word >= 0)
			((__u32 *)(c.data + h->hdr_len + h->type_off))[bad[i].word] =
				bad[i].val;
		else
			c.data[0] = 0x12;
		kept_env(&kp, &c, &b);
		err = kept_run(&kp, "mod_s", 6, 0, &out);
		ASSERT_EQ(-EINVAL, err);
		ASSERT_NE(NULL, strstr(kp.log, bad[i].needle))
			TH_LOG("'%s' lacks '%s'", kp.log, bad[i].needle);
		free(c.data);
	}
	btf__free(mod);
	btf__free(base);
	free(b.data);
	free(m.data);
}

/*
 * A base in the 7.1+ format with a kind only its layout section knows
 * ([30], kind 20: 8 bytes of info), under a split source whose own layout
 * section gives kind 20 another shape: each record is sized by the layout
 * of the part it lies in, so the base walks right and the split's struct
 * is found; a closure that reaches [30] stops there.
 */
TEST(layouts_of_each_part)
{
	struct btf *bt = build_every_kind();
	struct blob b = raw_blob(bt), base, split, out;
	const struct btf_header *bh = (const void *)b.data;
	__u32 fut[5] = { 0, 20U << 24, 0, 7, 7 }, own[6];
	char strs[] = "m\0x";
	struct lay l[21];
	struct {
		struct btf_header h;
		__u32 t[6];
		char s[4];
	} raw = { .h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
			 .hdr_len = sizeof(struct btf_header),
			 .type_len = sizeof(own), .str_off = sizeof(own),
			 .str_len = sizeof(strs) } };
	struct kept kp;

	std_layout(l, 21);
	l[20].info_sz = 8;
	base = relayout(b.data, fut, sizeof(fut), NULL, 0, l, 21, LAY_MID, 32);
	/* [31] struct m { int x; }, its strings after the base's */
	own[0] = bh->str_len;
	own[1] = BTF_KIND_STRUCT << 24 | 1;
	own[2] = 4;
	own[3] = bh->str_len + 2;
	own[4] = 1;
	own[5] = 0;
	memcpy(raw.t, own, sizeof(own));
	memcpy(raw.s, strs, sizeof(strs));
	l[20].info_sz = 0;		/* the split's own say: no info */
	split = relayout((const unsigned char *)&raw, NULL, 0, NULL, 0, l, 21,
			 LAY_MID, 32);
	kept_env(&kp, &split, &base);
	ASSERT_EQ(0, kept_run(&kp, "m", 2, 0, &out)) TH_LOG("%s", kp.log);
	free(out.data);
	ASSERT_EQ(0, kept_init(&kp, &split, &base, 0)) TH_LOG("%s", kp.log);
	ASSERT_EQ(0, kept_run(&kp, "m", 2, 0, &out)) TH_LOG("%s", kp.log);
	free(out.data);
	ASSERT_EQ(-EOPNOTSUPP, kept_run(&kp, "#30", 4, 0, &out));
	ASSERT_NE(NULL, strstr(kp.log, "[30] is of kind 20"));
	kept_fini(&kp);
	free(base.data);
	free(split.data);
	free(b.data);
	btf__free(bt);
}

/* ---- real modules ---- */

FIXTURE(module) {
	struct blob base, split;
	struct btf *bbtf, *src;
	__u32 first;		/* the module's first type ID */
};

FIXTURE_VARIANT(module) {
	const char *kernel;
	const char *name;
	unsigned int seed;
};

FIXTURE_VARIANT_ADD(module, nf_conntrack_6_1) { "6.1", "nf_conntrack", 1 };
FIXTURE_VARIANT_ADD(module, kvm_6_1) { "6.1", "kvm", 2 };
FIXTURE_VARIANT_ADD(module, nf_conntrack_6_12) { "6.12", "nf_conntrack", 3 };
FIXTURE_VARIANT_ADD(module, kvm_6_12) { "6.12", "kvm", 4 };
/* On a sorted base (7.0+). */
FIXTURE_VARIANT_ADD(module, nf_conntrack_7_2) { "7.2", "nf_conntrack", 5 };
FIXTURE_VARIANT_ADD(module, kvm_7_2) { "7.2", "kvm", 6 };

FIXTURE_SETUP(module)
{
	char path[512];
	size_t size;

	snprintf(path, sizeof(path), "%s/%s/vmlinux.btf", kernels_dir(),
		 variant->kernel);
	self->base.data = read_file(path, &size);
	ASSERT_NE(NULL, self->base.data) TH_LOG("%s (make kernels)", path);
	self->base.size = size;
	snprintf(path, sizeof(path), "%s/%s/modules/%s.btf", kernels_dir(),
		 variant->kernel, variant->name);
	self->split.data = read_file(path, &size);
	ASSERT_NE(NULL, self->split.data) TH_LOG("%s (make kernels)", path);
	self->split.size = size;
	self->bbtf = btf__new(self->base.data, self->base.size);
	ASSERT_NE(NULL, self->bbtf);
	self->first = btf__type_cnt(self->bbtf);
	self->src = libbpf_split(&self->split, self->bbtf);
	ASSERT_NE(NULL, self->src);
}

FIXTURE_TEARDOWN(module)
{
	btf__free(self->src);
	btf__free(self->bbtf);
	free(self->base.data);
	free(self->split.data);
}

TEST_F_TIMEOUT(module, random_roots, 600)
{
	__u32 nr = btf__type_cnt(self->src), i, named = 0, *ids;
	unsigned int seed = variant->seed;
	int set, mode, checked = 0;

	/* The module's own named types, and some of the base's. */
	ids = calloc(nr, sizeof(__u32));
	for (i = self->first; i < nr; i++) {
		const struct btf_type *t = btf__type_by_id(self->src, i);

		if (t->name_off && (btf_is_composite(t) || btf_is_enum(t) ||
				    btf_is_typedef(t) || btf_is_func(t)))
			ids[named++] = i;
	}
	ASSERT_LT(10, named);
	for (set = 0; set < 40; set++) {
		char bufs[3][256];
		const char *sels[3];
		int n = 1 + rand_r(&seed) % 3, k, ret;

		for (k = 0; k < n; k++) {
			__u32 id = k == 2 ? 1 + rand_r(&seed) % (self->first - 1) :
					    ids[rand_r(&seed) % named];

			snprintf(bufs[k], sizeof(bufs[k]), "#%u", id);
			sels[k] = bufs[k];
		}
		for (mode = 0; mode < 2; mode++) {
			ret = check_split(_metadata, self->src, &self->split,
					  &self->base, sels, n, mode);
			ASSERT_EQ(0, ret);
			checked++;
		}
		/* by name too, for the module's first root */
		i = strtoul(bufs[0] + 1, NULL, 10);
		snprintf(bufs[0], sizeof(bufs[0]), "%s",
			 btf__name_by_offset(self->src,
					     btf__type_by_id(self->src, i)->name_off));
		ret = check_split(_metadata, self->src, &self->split,
				  &self->base, sels, 1, 1);
		ASSERT_EQ(0, ret);
	}
	TH_LOG("%s on %s: %u own types from ID %u, %d sets checked",
	       variant->name, variant->kernel, nr - self->first, self->first,
	       checked);
	free(ids);
}

TEST_HARNESS_MAIN
