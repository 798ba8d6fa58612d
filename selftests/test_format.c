// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF format of 7.1+ kernels: a 32-byte header, a layout section (one
 * entry per kind the encoder knew), 24-bit vlens, kind flags on tags, and
 * kinds this code does not know.  Debian's 7.x kernels carry no layout
 * section, so the inputs are made here:
 *
 *  - real BTF (the host's, Debian's 6.1 and 6.12) rewritten with the
 *    layout section between the types and the strings, and after the
 *    strings: every random query must give the bytes and ID map it gives
 *    on the original, whose answers test_real checks against libbpf;
 *  - the header's and the layout section's checks, each broken in turn;
 *  - records the old widths misread: a struct and an enum of 70,000
 *    entries, checked against what the generator put there;
 *  - tags with the kind flag set, checked against libbpf's closure;
 *  - kinds only the layout section describes: stepped over, refused with
 *    EOPNOTSUPP only when a closure reaches one.
 *
 * Built with ASan and UBSan and with core/ compiled in, so that the kept
 * index is tried as well as the streaming query.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "common.h"
#include "libbtf_filter.h"
#include "oracle.h"
#include "randsel.h"
#include "synth.h"
#include "btf_filter_core.h"
#include "core_env.h"
#include "btf_layout.h"

static struct blob with_layout(const unsigned char *raw, enum where where)
{
	struct lay l[NR_STD_KINDS];

	std_layout(l, NR_STD_KINDS);
	return relayout(raw, NULL, 0, NULL, 0, l, NR_STD_KINDS, where, 32);
}

/* A private copy of b's raw bytes (a 24-byte header, types, strings). */
static unsigned char *raw_of(struct btf *b)
{
	__u32 size;
	const void *p = btf__raw_data(b, &size);
	unsigned char *r = malloc(size);

	memcpy(r, p, size);
	return r;
}

static struct hdr32 *hdr_of(struct blob *b)
{
	return (struct hdr32 *)b->data;
}

/* One query over b: its result, or NULL with errno and the log line. */
static struct btf_filter_result *query(const struct blob *b,
				       const char **sels, int n, __u32 mode,
				       char *log, size_t log_size)
{
	BTF_FILTER_OPTS(o, .mode = mode, .log_buf = log, .log_size = log_size,
			.flags = BTF_FILTER_F_ID_MAP);

	if (log_size)
		log[0] = 0;
	return btf_filter__query_mem(b->data, b->size, sels, n, &o);
}

/* The same over a kept index built for this one query. */
static int kept_query(const struct blob *b, const char *sels, __u32 sel_len,
		      __u32 mode, struct blob *out, char *log)
{
	struct kept k;
	int err = kept_init(&k, b, NULL, 0);

	if (!err)
		err = kept_run(&k, sels, sel_len, mode, out);
	snprintf(log, 256, "%s", k.log);
	kept_fini(&k);
	return err;
}

static void index_facts(const struct blob *b, bool *sorted, size_t *bytes);

/* ---- real BTF, laid out again ---- */

#define NR_SETS	24	/* per mode and kernel */
#define MAX_SELS 4

FIXTURE(real) {
	struct blob orig, mid, end;
	struct btf *src;
	__u32 *named;
	__u32 nr_named;
	struct randsel_pool pool;
};

FIXTURE_VARIANT(real) {
	const char *kernel;	/* NULL: the running kernel */
	unsigned int seed;
	bool sorted;		/* 7.0+: sorted by resolve_btfids */
};

FIXTURE_VARIANT_ADD(real, host) { .kernel = NULL, .seed = 71 };
FIXTURE_VARIANT_ADD(real, debian_6_1) { .kernel = "6.1", .seed = 72 };
FIXTURE_VARIANT_ADD(real, debian_6_12) { .kernel = "6.12", .seed = 73 };
FIXTURE_VARIANT_ADD(real, debian_5_10) { .kernel = "5.10", .seed = 74 };
FIXTURE_VARIANT_ADD(real, debian_7_2) { .kernel = "7.2", .seed = 75, .sorted = true };

FIXTURE_SETUP(real)
{
	char path[512];
	size_t size;

	if (variant->kernel)
		snprintf(path, sizeof(path), "%s/%s/vmlinux.btf",
			 kernels_dir(), variant->kernel);
	else
		snprintf(path, sizeof(path), "%s", BTF_FILTER_VMLINUX);
	self->orig.data = read_file(path, &size);
	ASSERT_NE(NULL, self->orig.data) {
		TH_LOG("cannot read %s (run make kernels)", path);
	}
	self->orig.size = size;
	ASSERT_EQ(24, ((struct btf_header *)self->orig.data)->hdr_len);
	self->mid = with_layout(self->orig.data, LAY_MID);
	self->end = with_layout(self->orig.data, LAY_END);
	self->src = btf__new(self->orig.data, self->orig.size);
	ASSERT_NE(NULL, self->src);
	self->named = calloc(btf__type_cnt(self->src), sizeof(__u32));
	self->nr_named = randsel_names(self->src, self->named);
	ASSERT_EQ(0, randsel_pool_init(&self->pool, self->src, false));
}

FIXTURE_TEARDOWN(real)
{
	free(self->orig.data);
	free(self->mid.data);
	free(self->end.data);
	btf__free(self->src);
	free(self->named);
	randsel_pool_fini(&self->pool);
}

TEST_F_TIMEOUT(real, same_answers, 600)
{
	static const char *const mode_names[] = { "full", "shallow", "fields" };
	unsigned int seed = variant->seed;
	char bufs[MAX_SELS * 8][256];
	int mode, set, compared = 0;
	size_t bytes;
	bool sorted;

	/* A sorted source is seen as one, and answered by binary search. */
	index_facts(&self->orig, &sorted, &bytes);
	ASSERT_EQ(variant->sorted, sorted);
	TH_LOG("kept index: %zu bytes, %s", bytes,
	       sorted ? "sorted, no name table" : "with a name table");

	for (mode = 0; mode < 3; mode++) {
		for (set = 0; set < NR_SETS; set++) {
			const char *sels[MAX_SELS * 8];
			struct btf_filter_result *want, *got;
			char log[256], packed[MAX_SELS * 8 * 256];
			__u32 plen = 0;
			struct blob kept;
			bool missing = false;
			int n, i, w, err;

			if (set % 4 == 3 && mode != 2) {
				n = randsel_tricky(&self->pool, &seed, bufs[0],
						   sizeof(bufs[0]),
						   MAX_SELS * 2, &missing);
			} else {
				n = 1 + rand_r(&seed) % MAX_SELS;
				for (i = 0; i < n; i++) {
					if (mode == 2)
						randsel_path(self->src, &seed,
							     bufs[i],
							     sizeof(bufs[i]),
							     &missing);
					else
						randsel_one(self->src,
							    self->named,
							    self->nr_named,
							    &seed, bufs[i],
							    sizeof(bufs[i]),
							    &missing);
				}
			}
			for (i = 0; i < n; i++) {
				sels[i] = bufs[i];
				memcpy(packed + plen, bufs[i],
				       strlen(bufs[i]) + 1);
				plen += strlen(bufs[i]) + 1;
			}
			want = query(&self->orig, sels, n, mode, log,
				     sizeof(log));
			if (!want)
				continue;	/* a selector named nothing */
			for (w = 0; w < 2; w++) {
				const struct blob *b = w ? &self->end :
							   &self->mid;
				const void *wd;
				__u32 ws;

				got = query(b, sels, n, mode, log, sizeof(log));
				ASSERT_NE(NULL, got) {
					TH_LOG("%s set %d (%s...), layout %s: %s",
					       mode_names[mode], set, sels[0],
					       w ? "at the end" : "in the middle",
					       log);
				}
				ASSERT_TRUE(same_result(want, got)) {
					TH_LOG("%s set %d (%s...): the layout %s changed the answer",
					       mode_names[mode], set, sels[0],
					       w ? "at the end" : "in the middle");
				}
				btf_filter_result__free(got);
				err = kept_query(b, packed, plen, mode, &kept,
						 log);
				ASSERT_EQ(0, err) {
					TH_LOG("kept index, %s set %d: %s",
					       mode_names[mode], set, log);
				}
				wd = btf_filter_result__data(want, &ws);
				ASSERT_EQ(ws, kept.size);
				ASSERT_EQ(0, memcmp(wd, kept.data, ws));
				free(kept.data);
			}
			btf_filter_result__free(want);
			compared++;
		}
	}
	TH_LOG("%d sets answered alike with the layout section in both places",
	       compared);
	ASSERT_LT(NR_SETS * 3 / 2, compared);
}

/* ---- the header and the layout section ---- */

/* Every query over b fails with the errno returned; log has needle. */
static int refused(struct __test_metadata *_metadata, const struct blob *b,
		   const char *needle)
{
	const char *sel = "holder";
	struct btf_filter_result *r;
	char log[256];
	int err;

	r = query(b, &sel, 1, 0, log, sizeof(log));
	err = errno;
	EXPECT_EQ(NULL, r);
	btf_filter_result__free(r);
	EXPECT_NE(NULL, strstr(log, needle)) {
		TH_LOG("expected '%s' in '%s'", needle, log);
	}
	return r ? 0 : err;
}

static bool answers(const struct blob *b, const char *sel)
{
	struct btf_filter_result *r;
	char log[256];

	r = query(b, &sel, 1, 0, log, sizeof(log));
	btf_filter_result__free(r);
	return r;
}

TEST(layout_checks)
{
	struct btf *bt = build_every_kind();
	unsigned char *raw = raw_of(bt);
	struct lay l[NR_STD_KINDS];
	struct blob b;

	b = with_layout(raw, LAY_MID);
	ASSERT_TRUE(answers(&b, "holder"));
	hdr_of(&b)->layout_off += 2;	/* misaligned, and overlapping */
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "header"));
	hdr_of(&b)->layout_off -= 2;
	hdr_of(&b)->layout_len -= 4;	/* a gap before the strings */
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "gap between the layout and string"));
	hdr_of(&b)->layout_len += 8;	/* overlapping the strings */
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "layout and string sections overlap"));
	hdr_of(&b)->layout_len -= 4;
	hdr_of(&b)->layout_off = hdr_of(&b)->str_off + hdr_of(&b)->str_len;
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "header"));	/* past the end */
	free(b.data);

	/* A layout section of 6 bytes: not whole entries. */
	std_layout(l, NR_STD_KINDS);
	b = relayout(raw, NULL, 0, NULL, 0, l, 2, LAY_MID, 32);
	hdr_of(&b)->layout_len = 6;
	hdr_of(&b)->str_off -= 2;
	memmove(b.data + 32 + hdr_of(&b)->str_off,
		b.data + 32 + hdr_of(&b)->str_off + 2, hdr_of(&b)->str_len);
	b.size -= 2;
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "not whole entries"));
	free(b.data);

	/* A known kind given another shape. */
	std_layout(l, NR_STD_KINDS);
	l[BTF_KIND_STRUCT].elem_sz = 16;
	b = relayout(raw, NULL, 0, NULL, 0, l, NR_STD_KINDS, LAY_END, 32);
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "layout of kind 4"));
	free(b.data);
	std_layout(l, NR_STD_KINDS);
	l[BTF_KIND_INT].info_sz = 0;
	b = relayout(raw, NULL, 0, NULL, 0, l, NR_STD_KINDS, LAY_END, 32);
	ASSERT_EQ(EINVAL, refused(_metadata, &b, "layout of kind 1"));
	free(b.data);

	/* Fewer entries than kinds known is fine: the encoder's own list. */
	std_layout(l, NR_STD_KINDS);
	b = relayout(raw, NULL, 0, NULL, 0, l, 5, LAY_END, 32);
	ASSERT_TRUE(answers(&b, "holder"));
	free(b.data);

	/* A longer header: zero past 32 bytes, as the kernel says. */
	b = relayout(raw, NULL, 0, NULL, 0, l, NR_STD_KINDS, LAY_MID, 40);
	ASSERT_TRUE(answers(&b, "holder"));
	b.data[37] = 1;
	ASSERT_EQ(E2BIG, refused(_metadata, &b, "unknown byte 37"));
	free(b.data);

	/* No layout: a layout_off with no layout_len is no section... */
	b = relayout(raw, NULL, 0, NULL, 0, l, 0, LAY_NONE, 32);
	hdr_of(&b)->layout_off = 0x1234;
	ASSERT_TRUE(answers(&b, "holder"));
	free(b.data);
	/* ...and a header of 28 bytes has only half of the layout fields. */
	b = relayout(raw, NULL, 0, NULL, 0, l, 0, LAY_NONE, 28);
	memset(b.data + 24, 0x5a, 4);
	ASSERT_TRUE(answers(&b, "holder"));
	free(b.data);
	free(raw);
	btf__free(bt);
}

/* ---- 24-bit vlens ---- */

#define BIG_N	70000	/* more entries than 16 bits hold */

/*
 * [1] int, [2] struct tail { int t; }, [3] struct big { int m0; ...
 * struct tail m69999; }, [4] enum ebig { V0 = 0, ..., V69999 }.
 */
static struct blob build_big(void)
{
	size_t tl = 16 + 24 + 12 + BIG_N * 12 + 12 + BIG_N * 8;
	size_t sl_max = 64 + BIG_N * 16;
	__u32 *t = calloc(1, tl), *p = t, i;
	char *s = calloc(1, sl_max);
	__u32 sl = 1, off_int, off_tail, off_t, off_big, off_ebig;
	struct btf_header h = { .magic = BTF_MAGIC, .version = BTF_VERSION,
				.hdr_len = sizeof(h) };
	struct blob b;

#define STR(v, text) do { v = sl; sl += sprintf(s + sl, "%s", text) + 1; } while (0)
	STR(off_int, "int");
	STR(off_tail, "tail");
	STR(off_t, "t");
	STR(off_big, "big");
	STR(off_ebig, "ebig");
	*p++ = off_int;				/* [1] */
	*p++ = BTF_KIND_INT << 24;
	*p++ = 4;
	*p++ = 32;
	*p++ = off_tail;			/* [2] */
	*p++ = BTF_KIND_STRUCT << 24 | 1;
	*p++ = 4;
	*p++ = off_t;
	*p++ = 1;
	*p++ = 0;
	*p++ = off_big;				/* [3] */
	*p++ = BTF_KIND_STRUCT << 24 | BIG_N;
	*p++ = BIG_N * 4;
	for (i = 0; i < BIG_N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "m%u", i);
		STR(*p, name);
		p++;
		*p++ = i == BIG_N - 1 ? 2 : 1;
		*p++ = i * 32;
	}
	*p++ = off_ebig;			/* [4] */
	*p++ = BTF_KIND_ENUM << 24 | BIG_N;
	*p++ = 4;
	for (i = 0; i < BIG_N; i++) {
		char name[16];

		snprintf(name, sizeof(name), "V%u", i);
		STR(*p, name);
		p++;
		*p++ = i;
	}
#undef STR
	h.type_len = (p - t) * 4;
	h.str_off = h.type_len;
	h.str_len = sl;
	b.size = sizeof(h) + h.type_len + sl;
	b.data = malloc(b.size);
	memcpy(b.data, &h, sizeof(h));
	memcpy(b.data + sizeof(h), t, h.type_len);
	memcpy(b.data + sizeof(h) + h.type_len, s, sl);
	free(t);
	free(s);
	return b;
}

/* Type id of the result blob r, by walking it with the widths of 7.1+. */
static const __u32 *type_in(const void *r, __u32 id)
{
	const struct btf_header *h = r;
	const __u32 *p = (const void *)((const char *)r + h->hdr_len +
					 h->type_off);
	__u32 i;

	for (i = 1; i < id; i++) {
		__u32 kind = (p[1] >> 24) & 0x7f, vlen = p[1] & 0xffffff;

		p += 3 + (kind == BTF_KIND_INT ? 1 : 0) +
		     (kind == BTF_KIND_STRUCT ? 3 * vlen : 0) +
		     (kind == BTF_KIND_ENUM ? 2 * vlen : 0);
	}
	return p;
}

static const char *str_in(const void *r, __u32 off)
{
	const struct btf_header *h = r;

	return (const char *)r + h->hdr_len + h->str_off + off;
}

TEST(vlen_24_bits)
{
	struct blob b = build_big(), mid = with_layout(b.data, LAY_MID);
	const struct blob *srcs[] = { &b, &mid };
	int s;

	for (s = 0; s < 2; s++) {
		const char *sel = "big", *path = "big.m69999", *val = "ebig.V69999";
		struct btf_filter_result *r;
		const __u32 *map, *t;
		const void *d;
		char log[256];
		__u32 size, nr;

		/* full: int, tail, big; big keeps its 70,000 members */
		r = query(srcs[s], &sel, 1, 0, log, sizeof(log));
		ASSERT_NE(NULL, r) TH_LOG("%s", log);
		d = btf_filter_result__data(r, &size);
		map = btf_filter_result__id_map(r, &nr);
		ASSERT_EQ(3, nr);
		ASSERT_EQ(1, map[0]);
		ASSERT_EQ(2, map[1]);
		ASSERT_EQ(3, map[2]);
		t = type_in(d, 3);
		ASSERT_EQ(BTF_KIND_STRUCT << 24 | BIG_N, t[1]);
		ASSERT_EQ(2, t[3 + 3 * (BIG_N - 1) + 1]);	/* m69999: tail */
		ASSERT_STREQ("m69999", str_in(d, t[3 + 3 * (BIG_N - 1)]));
		ASSERT_EQ(1, t[3 + 3 * 5 + 1]);			/* m5: int */
		btf_filter_result__free(r);

		/* fields: only m69999, of a tail kept with no members */
		r = query(srcs[s], &path, 1, 2, log, sizeof(log));
		ASSERT_NE(NULL, r) TH_LOG("%s", log);
		d = btf_filter_result__data(r, &size);
		map = btf_filter_result__id_map(r, &nr);
		ASSERT_EQ(2, nr);
		ASSERT_EQ(2, map[0]);
		ASSERT_EQ(3, map[1]);
		t = type_in(d, 1);
		ASSERT_EQ(BTF_KIND_STRUCT << 24, t[1]);
		t = type_in(d, 2);
		ASSERT_EQ(BTF_KIND_STRUCT << 24 | 1, t[1]);
		ASSERT_STREQ("m69999", str_in(d, t[3]));
		ASSERT_EQ(1, t[4]);
		ASSERT_EQ((BIG_N - 1) * 32, t[5]);
		btf_filter_result__free(r);

		/* fields: the last enum value alone */
		r = query(srcs[s], &val, 1, 2, log, sizeof(log));
		ASSERT_NE(NULL, r) TH_LOG("%s", log);
		d = btf_filter_result__data(r, &size);
		map = btf_filter_result__id_map(r, &nr);
		ASSERT_EQ(1, nr);
		ASSERT_EQ(4, map[0]);
		t = type_in(d, 1);
		ASSERT_EQ(BTF_KIND_ENUM << 24 | 1, t[1]);
		ASSERT_STREQ("V69999", str_in(d, t[3]));
		ASSERT_EQ(BIG_N - 1, t[4]);
		btf_filter_result__free(r);
	}
	free(b.data);
	free(mid.data);
}

/* ---- tags with the kind flag ---- */

TEST(tag_kind_flags)
{
	struct btf *bt = build_every_kind(), *src, *res;
	const char *sels[] = { "holder", "bits" };
	unsigned char *keep;
	__u32 roots[64], nr = 0, i, size, nmap;
	struct btf_filter_result *r;
	const __u32 *map;
	char log[256], err[256];
	struct blob b;

	/* [21] type_tag "user", [22..24] decl_tags: attributes, in pahole's
	 * newer encoding.
	 */
	for (i = 21; i <= 24; i++) {
		struct btf_type *t = (struct btf_type *)btf__type_by_id(bt, i);

		t->info |= 1U << 31;
	}
	b.data = raw_of(bt);
	b.size = btf__raw_data(bt, &size) ? size : 0;
	src = btf__new(b.data, b.size);
	ASSERT_NE(NULL, src);
	r = query(&b, sels, 2, 0, log, sizeof(log));
	ASSERT_NE(NULL, r) TH_LOG("%s", log);
	keep = calloc(btf__type_cnt(src), 1);
	for (i = 0; i < 2; i++)
		nr += oracle_roots(src, sels[i], roots + nr);
	oracle_closure(src, roots, nr, false, keep);
	{
		const void *d = btf_filter_result__data(r, &size);

		map = btf_filter_result__id_map(r, &nmap);
		res = btf__new(d, size);
	}
	ASSERT_NE(NULL, res);
	ASSERT_EQ(0, oracle_compare(src, keep, res, map, nmap, err,
				    sizeof(err))) TH_LOG("%s", err);
	/* the flags survive */
	for (i = 0; i < nmap; i++) {
		if (map[i] >= 21 && map[i] <= 24)
			ASSERT_TRUE(btf_kflag(btf__type_by_id(res, i + 1)));
	}
	btf__free(res);
	btf__free(src);
	btf_filter_result__free(r);
	free(keep);
	free(b.data);
	btf__free(bt);
}

/* ---- kinds only the layout section knows ---- */

/*
 * every_kind's 29 types, then [30] "future_a" of kind 20 (8 bytes of info,
 * 3 entries of 4), [31] "future_b" of kind 100, [32] struct uses_future
 * { a member of type 30 }.
 */
static struct blob with_future(const unsigned char *raw, __u32 nr_l,
			       enum where where, __u8 info_sz)
{
	const struct btf_header *h = (const void *)raw;
	static const char xs[] = "future_a\0future_b\0uses_future\0f";
	__u32 so = h->str_len, x[64], n = 0;
	struct lay l[128];

	x[n++] = so;			/* [30] */
	x[n++] = 20U << 24 | 3;
	x[n++] = 1;
	x[n++] = 7;			/* 8 bytes of info */
	x[n++] = 7;
	x[n++] = 1;			/* 3 entries */
	x[n++] = 2;
	x[n++] = 3;
	x[n++] = so + 9;		/* [31] */
	x[n++] = 100U << 24;
	x[n++] = 0;
	x[n++] = so + 18;		/* [32] */
	x[n++] = BTF_KIND_STRUCT << 24 | 1;
	x[n++] = 8;
	x[n++] = so + 30;
	x[n++] = 30;
	x[n++] = 0;
	std_layout(l, 128);
	l[20].info_sz = info_sz;
	l[20].elem_sz = 4;
	return relayout(raw, x, n * 4, xs, sizeof(xs), l, nr_l, where, 32);
}

TEST(unknown_kinds)
{
	static const char *const fine[] = { "holder", "#1", "bits", "u",
					    "my_printf", "color" };
	static const char *const bad[] = { "future_a", "future_b",
					   "uses_future", "#30" };
	struct btf *bt = build_every_kind();
	unsigned char *raw = raw_of(bt);
	struct blob plain, fut;
	char log[256];
	int mode, i, where;

	plain.data = raw;
	btf__raw_data(bt, &plain.size);
	for (where = LAY_MID; where <= LAY_END; where++) {
		fut = with_future(raw, 128, where, 8);
		for (mode = 0; mode < 2; mode++) {
			/* Queries that do not reach them: as without them. */
			for (i = 0; i < 6; i++) {
				struct btf_filter_result *want, *got;
				const char *sel = fine[i];
				struct blob kept;
				const void *wd;
				__u32 ws;

				want = query(&plain, &sel, 1, mode, log,
					     sizeof(log));
				got = query(&fut, &sel, 1, mode, log,
					    sizeof(log));
				ASSERT_NE(NULL, want) TH_LOG("%s", sel);
				ASSERT_NE(NULL, got) TH_LOG("%s: %s", sel, log);
				ASSERT_TRUE(same_result(want, got));
				ASSERT_EQ(0, kept_query(&fut, sel,
							strlen(sel) + 1, mode,
							&kept, log))
					TH_LOG("%s: %s", sel, log);
				wd = btf_filter_result__data(want, &ws);
				ASSERT_EQ(ws, kept.size);
				ASSERT_EQ(0, memcmp(wd, kept.data, ws));
				free(kept.data);
				btf_filter_result__free(want);
				btf_filter_result__free(got);
			}
			/* Queries that reach one: refused, saying which. */
			for (i = 0; i < 4; i++) {
				struct btf_filter_result *got;
				const char *sel = bad[i];
				struct blob kept;
				char klog[256];

				got = query(&fut, &sel, 1, mode, log,
					    sizeof(log));
				ASSERT_EQ(NULL, got);
				ASSERT_EQ(EOPNOTSUPP, errno);
				ASSERT_NE(NULL, strstr(log, i == 1 ? "[31] is of kind 100" :
							    "[30] is of kind 20"))
					TH_LOG("%s: %s", sel, log);
				ASSERT_EQ(-EOPNOTSUPP,
					  kept_query(&fut, sel, strlen(sel) + 1,
						     mode, &kept, klog));
				ASSERT_STREQ(log, klog);
			}
		}
		/* A kind selector never names an unknown kind. */
		{
			const char *sel = "struct future_a";

			ASSERT_EQ(NULL, query(&fut, &sel, 1, 0, log,
					      sizeof(log)));
			ASSERT_EQ(ENOENT, errno);
		}
		free(fut.data);
	}
	/* Without the layout section, or one too short, or not in words. */
	fut = with_future(raw, 128, LAY_NONE, 8);
	ASSERT_EQ(EINVAL, refused(_metadata, &fut, "[30] unknown kind 20, and no layout section"));
	free(fut.data);
	fut = with_future(raw, 50, LAY_MID, 8);
	ASSERT_EQ(EINVAL, refused(_metadata, &fut, "[31] unknown kind 100, and not in the layout section"));
	free(fut.data);
	fut = with_future(raw, 128, LAY_MID, 6);
	ASSERT_EQ(EINVAL, refused(_metadata, &fut, "[30] kind 20: layout of 6 + 4"));
	free(fut.data);
	/* A size from the layout that runs past the type section. */
	fut = with_future(raw, 128, LAY_MID, 252);
	ASSERT_EQ(EINVAL, refused(_metadata, &fut, "overrun"));
	free(fut.data);
	free(raw);
	btf__free(bt);
}

/* ---- sorted sources: names found by binary search ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define NR_SORTED	600

/*
 * Anonymous types first, then named ones by name, as resolve_btfids sorts
 * 7.0+ vmlinux: names that are prefixes and suffixes of others, the same
 * name for several kinds, one name of 600 bytes.  With swap, two names
 * trade places: no longer sorted.
 */
static struct btf *build_sorted(char **names, int nr, bool swap)
{
	struct btf *b = btf__new_empty();
	int i;

	btf__add_ptr(b, 0);			/* [1] void * */
	btf__add_const(b, 1);			/* [2] */
	for (i = 0; i < nr; i++) {
		const char *n = names[swap && i == nr / 2 ? i + 1 :
				      swap && i == nr / 2 + 1 ? i - 1 : i];

		switch (i % 4) {
		case 0:
		case 1:
			btf__add_struct(b, n, 8);
			btf__add_field(b, "m", i % 2 ? 1 : 2, 0, 0);
			break;
		case 2:
			btf__add_typedef(b, n, 1);
			break;
		default:
			btf__add_enum(b, n, 4);
			btf__add_enum_value(b, "V", i);
		}
	}
	return b;
}

static char **sorted_names(int nr, unsigned int seed)
{
	static const char *const fixed[] = { "a", "a", "ab", "abc", "abc",
					     "abc", "b", "ba", "bab", "z",
					     "zz", "task", "task_struct" };
	char **n = calloc(nr, sizeof(*n));
	int i, nf = sizeof(fixed) / sizeof(fixed[0]);

	for (i = 0; i < nr; i++) {
		if (i < nf) {
			n[i] = strdup(fixed[i]);
		} else if (i == nf) {
			n[i] = calloc(1, 601);
			memset(n[i], 'q', 600);
		} else {
			int len = 1 + rand_r(&seed) % 12, j;

			n[i] = calloc(1, len + 1);
			for (j = 0; j < len; j++)
				n[i][j] = "abcz_"[rand_r(&seed) % 5];
		}
	}
	qsort(n, nr, sizeof(*n), cmp_str);
	return n;
}

/* The index of blob b: whether it is sorted, and the heap it holds. */
static void index_facts(const struct blob *b, bool *sorted, size_t *bytes)
{
	struct bf_source_info info;
	struct kept k;

	*sorted = false;
	*bytes = 0;
	if (!kept_init(&k, b, NULL, 0)) {
		bf_index_info(k.idx, &info);
		*sorted = info.sorted;
		*bytes = info.index_bytes;
	}
	kept_fini(&k);
}

TEST(sorted_source)
{
	char **names = sorted_names(NR_SORTED, 5);
	static const char *const kinds[] = { "", "struct ", "typedef ",
					     "enum " };
	struct blob b[2];
	size_t bytes[2];
	bool sorted[2];
	int v, i, k, found = 0;

	for (v = 0; v < 2; v++) {
		struct btf *bt = build_sorted(names, NR_SORTED, v);

		b[v].data = raw_of(bt);
		btf__raw_data(bt, &b[v].size);
		btf__free(bt);
		index_facts(&b[v], &sorted[v], &bytes[v]);
	}
	ASSERT_TRUE(sorted[0]);
	ASSERT_FALSE(sorted[1]);
	TH_LOG("index of %d types: %zu bytes sorted, %zu with the name table",
	       NR_SORTED + 2, bytes[0], bytes[1]);
	ASSERT_LT(bytes[0] + (NR_SORTED + 2) * 4, bytes[1]);
	/* Every name, with every kind word, then names that are not there. */
	for (v = 0; v < 3; v++) {
		struct kept kp;

		/* v 2: the sorted one through the name table after all */
		ASSERT_EQ(0, kept_init(&kp, &b[v % 2], NULL,
				       v == 2 ? BF_IDX_NAME_TABLE : 0));
		for (i = 0; i < NR_SORTED + 6; i++) {
			for (k = 0; k < 4; k++) {
				static const char *const absent[] = {
					"", "aa", "abcd", "zzz", "0", "~" };
				const char *name = i < NR_SORTED ? names[i] :
						   absent[i - NR_SORTED];
				char sel[700], log[256];
				const char *sp = sel;
				struct btf_filter_result *want;
				struct blob kept;
				const void *wd;
				__u32 ws;
				int err;

				if (!name[0] || (k && i % 7))
					continue;
				snprintf(sel, sizeof(sel), "%s%s", kinds[k],
					 name);
				want = query(&b[v % 2], &sp, 1, 0, log,
					     sizeof(log));
				err = kept_run(&kp, sel, strlen(sel) + 1, 0,
					       &kept);
				if (!want) {
					ASSERT_EQ(-errno, err) TH_LOG("%s", sel);
					ASSERT_STREQ(log, kp.log);
					continue;
				}
				ASSERT_EQ(0, err) TH_LOG("%s: %s", sel, kp.log);
				wd = btf_filter_result__data(want, &ws);
				ASSERT_EQ(ws, kept.size) TH_LOG("%s", sel);
				ASSERT_EQ(0, memcmp(wd, kept.data, ws));
				free(kept.data);
				btf_filter_result__free(want);
				found++;
			}
		}
		kept_fini(&kp);
	}
	TH_LOG("%d selectors answered alike by the binary search, the name table and the streaming query",
	       found);
	ASSERT_LT(NR_SORTED * 3, found);	/* most of 3 x (600 + 3 x 86) */
	for (i = 0; i < NR_SORTED; i++)
		free(names[i]);
	free(names);
	free(b[0].data);
	free(b[1].data);
}

TEST_HARNESS_MAIN
