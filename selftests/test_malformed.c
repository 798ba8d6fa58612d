// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed BTF: each input must be refused with a negative errno and a
 * message naming what is wrong (with the type ID where there is one), and
 * never crash, loop or read out of bounds.  Built with ASan and UBSan and
 * with core/ compiled in, so any bad access aborts the test.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "synth.h"

struct blob {
	unsigned char *data;
	__u32 size;
};

/* A private copy of b's raw bytes, to corrupt. */
static struct blob raw_copy(struct btf *b)
{
	struct blob r;
	const void *p = btf__raw_data(b, &r.size);

	r.data = malloc(r.size + 64);
	memcpy(r.data, p, r.size);
	return r;
}

static struct btf_header *hdr(struct blob *b)
{
	return (struct btf_header *)b->data;
}

/* The mutable record of type id in a freshly built btf. */
static struct btf_type *type_of(struct btf *b, __u32 id)
{
	return (struct btf_type *)btf__type_by_id(b, id);
}

/*
 * Query blob with each of a few selectors in every mode: every query must
 * fail; the first failure's errno and message are returned.
 */
static int expect_refused(struct __test_metadata *_metadata,
			  const struct blob *b, const char *needle)
{
	static const char *const sels[] = { "holder", "#1", "s", "node" };
	int mode, i, first = 0;

	for (mode = 0; mode < 3; mode++) {
		for (i = 0; i < 4; i++) {
			char log[256] = "";
			BTF_FILTER_OPTS(o, .mode = mode, .log_buf = log,
					.log_size = sizeof(log),
					.flags = BTF_FILTER_F_ALLOW_MISSING);
			struct btf_filter_result *r;

			r = btf_filter__query_mem(b->data, b->size, &sels[i],
						  1, &o);
			EXPECT_EQ(NULL, r) {
				TH_LOG("'%s' accepted a malformed blob", sels[i]);
			}
			btf_filter_result__free(r);
			if (r)
				continue;
			if (!first)
				first = errno;
			EXPECT_NE(0, log[0]);
			if (needle)
				EXPECT_NE(NULL, strstr(log, needle)) {
					TH_LOG("message '%s' lacks '%s'", log,
					       needle);
				}
		}
	}
	return first;
}

TEST(truncated_blobs)
{
	struct btf *b = build_every_kind();
	struct blob full = raw_copy(b), cut;
	__u32 len;

	for (len = 0; len < full.size; len++) {
		cut.data = malloc(len ? len : 1);
		memcpy(cut.data, full.data, len);
		cut.size = len;
		ASSERT_NE(0, expect_refused(_metadata, &cut, NULL));
		free(cut.data);
	}
	free(full.data);
	btf__free(b);
}

TEST(truncated_record)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b);
	struct btf_header *h = hdr(&r);
	unsigned char *strs = r.data + h->hdr_len + h->str_off;

	/* Drop the last 4 bytes of the type section: the last INT's data. */
	memmove(strs - 4, strs, h->str_len);
	h->type_len -= 4;
	h->str_off -= 4;
	r.size -= 4;
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[29]"));
	free(r.data);
	btf__free(b);
}

TEST(bad_section_offsets)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b);
	struct btf_header *h = hdr(&r), saved = *h;

	h->str_off += 4;		/* gap */
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "header"));
	*h = saved;
	h->str_off -= 4;		/* overlap */
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "overlap"));
	*h = saved;
	h->str_off = 0xfffffff0;	/* far past the end */
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "header"));
	*h = saved;
	h->type_off = 2;		/* misaligned, and a gap */
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "header"));
	*h = saved;
	h->str_len += 1;		/* past the end */
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "header"));
	free(r.data);
	btf__free(b);
}

TEST(bad_header)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b);
	struct btf_header *h = hdr(&r), saved = *h;

	h->magic = 0x1234;
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "magic"));
	*h = saved;
	h->magic = 0x9FeB;
	ASSERT_EQ(EOPNOTSUPP, expect_refused(_metadata, &r, "byte order"));
	*h = saved;
	h->version = 2;
	ASSERT_EQ(EOPNOTSUPP, expect_refused(_metadata, &r, "version"));
	*h = saved;
	h->flags = 1;
	ASSERT_EQ(EOPNOTSUPP, expect_refused(_metadata, &r, "version"));
	free(r.data);
	btf__free(b);
}

TEST(huge_hdr_len)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b), big;
	struct btf_header *h = hdr(&r), saved = *h;

	h->hdr_len = 0xffffffff;
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "hdr_len"));
	h->hdr_len = r.size;	/* the rest is "header", and not zero */
	ASSERT_EQ(E2BIG, expect_refused(_metadata, &r, "unknown byte"));
	h->hdr_len = 8;
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "hdr_len"));
	*h = saved;

	/* A longer header is fine if its unknown bytes are zero... */
	big.size = r.size + 8;
	big.data = calloc(1, big.size);
	memcpy(big.data, r.data, sizeof(saved));
	memcpy(big.data + sizeof(saved) + 8, r.data + sizeof(saved),
	       r.size - sizeof(saved));
	hdr(&big)->hdr_len = sizeof(saved) + 8;
	{
		const char *sel = "holder";
		struct btf_filter_result *res;

		res = btf_filter__query_mem(big.data, big.size, &sel, 1, NULL);
		ASSERT_NE(NULL, res);
		btf_filter_result__free(res);
	}
	/* ...and E2BIG if they are not, as the kernel says. */
	big.data[sizeof(saved) + 5] = 1;
	ASSERT_EQ(E2BIG, expect_refused(_metadata, &big, "unknown byte"));
	free(big.data);
	free(r.data);
	btf__free(b);
}

TEST(bad_strings)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b);
	struct btf_header *h = hdr(&r);
	unsigned char *strs = r.data + h->hdr_len + h->str_off;

	strs[h->str_len - 1] = 'x';
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "end with NUL"));
	strs[h->str_len - 1] = 0;
	strs[0] = 'x';
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "start with NUL"));
	free(r.data);
	btf__free(b);
}

TEST(out_of_range_type_id)
{
	struct btf *b = build_every_kind();
	struct blob r;

	type_of(b, 3)->type = 9999;	/* char * -> nowhere */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[3] refers to type 9999"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	btf_members(type_of(b, 25))[2].type = 30;	/* holder.u -> 30 */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[25]"));
	free(r.data);
	btf__free(b);
}

TEST(out_of_range_string_offset)
{
	struct btf *b = build_every_kind();
	struct blob r;

	btf_members(type_of(b, 5))[1].name_off = 100000;
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[5] string offset"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	type_of(b, 8)->name_off = 0xffffffff;
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[8] string offset"));
	free(r.data);
	btf__free(b);
}

TEST(vlen_overflow)
{
	struct btf *b = build_every_kind();
	struct blob r;

	type_of(b, 25)->info |= 0xffff;	/* holder: 65535 members */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[25]"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	type_of(b, 1)->info |= 3;	/* an INT with a vlen */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[1]"));
	free(r.data);
	btf__free(b);
}

TEST(bad_kinds)
{
	struct btf *b = build_every_kind();
	struct blob r;

	type_of(b, 2)->info = (31U << 24);
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[2] unknown kind"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	type_of(b, 16)->info = (BTF_KIND_FUNC << 24 | 7);
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[16]"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	btf_decl_tag(type_of(b, 22))->component_idx = -5;
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused(_metadata, &r, "[22]"));
	free(r.data);
	btf__free(b);
}

TEST(typedef_cycle)
{
	struct btf *b = build_typedef_cycle();
	struct blob r = raw_copy(b);
	const char *sel = "s";
	char log[256] = "";
	BTF_FILTER_OPTS(o, .log_buf = log, .log_size = sizeof(log));
	int mode;

	for (mode = 0; mode < 2; mode++) {
		o.mode = mode;
		ASSERT_EQ(NULL, btf_filter__query_mem(r.data, r.size, &sel, 1,
						      &o));
		ASSERT_EQ(ELOOP, errno);
		ASSERT_NE(NULL, strstr(log, "loops"));
	}
	free(r.data);
	btf__free(b);
}

/* Random byte flips: anything may happen but a crash or a hang. */
TEST(random_corruption)
{
	struct btf *src[2] = { build_every_kind(), build_recursive() };
	static const char *const sels[] = { "holder", "node", "#3", "bits" };
	static const char *const paths[] = {
		"holder.u.x", "node.next.peer.back", "bits.b", "enum color.RED",
	};
	unsigned int seed = 7, i;

	for (i = 0; i < 20000; i++) {
		struct blob r = raw_copy(src[i % 2]);
		int flips = 1 + rand_r(&seed) % 4, k;
		BTF_FILTER_OPTS(o, .mode = i % 3,
				.flags = BTF_FILTER_F_ALLOW_MISSING |
					 BTF_FILTER_F_ID_MAP);
		struct btf_filter_result *res;

		for (k = 0; k < flips; k++)
			r.data[rand_r(&seed) % r.size] ^= 1 << (rand_r(&seed) % 8);
		res = btf_filter__query_mem(r.data, r.size,
					    i % 3 == 2 ? paths : sels, 4, &o);
		if (!res)
			ASSERT_NE(0, errno);
		btf_filter_result__free(res);
		free(r.data);
	}
	btf__free(src[0]);
	btf__free(src[1]);
}

TEST_HARNESS_MAIN
