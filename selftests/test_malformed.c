// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed BTF: each input must be refused with a negative errno and a
 * message naming what is wrong (with the type ID where there is one), and
 * never crash, loop or read out of bounds.  Built with ASan and UBSan and
 * with core/ compiled in, so any bad access aborts the test.
 *
 * A source that changes under the filter (a double fetch: the index built
 * on true bytes, the query reading others) must be handled as well: each
 * query returns a negative errno with a message, or a blob libbpf parses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "synth.h"
#include "common.h"
#include "btf_filter_core.h"
#include "core_env.h"

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

static void first_line(void *ctx, const char *msg)
{
	char *log = ctx;

	if (!log[0])
		snprintf(log, 256, "%s", msg);
}

/*
 * A bad word inside one record (a member's type or name, say).  An index
 * to keep checks every word of every record, so building one over bad
 * must fail with needle.  A query streams its own index, which checks
 * each record's head and extent only: the words are checked where the
 * closure and emit read them.  So each query over bad either fails with
 * needle, or returns exactly what it returns over clean (the bad record
 * was not reached); at least one must reach it, and one not.  The errno
 * is returned.
 */
static int expect_refused_where_read(struct __test_metadata *_metadata,
				     struct blob *bad, struct blob *clean,
				     const char *needle)
{
	static const char *const sels[] = {
		"holder", "#1", "s", "node", "#29", "my_printf",
		/* in fields mode only: paths through members, enum values */
		"holder.u.x", "holder.b.b", "holder.e", "color.GREEN",
	};
	char log[256] = "";
	struct kept k;
	int mode, i, refused = 0, accepted = 0, first = 0;

	EXPECT_EQ(-EINVAL, kept_init(&k, bad, NULL, 0));
	EXPECT_NE(NULL, strstr(k.log, needle)) {
		TH_LOG("kept index: message '%s' lacks '%s'", k.log, needle);
	}
	for (mode = 0; mode < 3; mode++) {
		for (i = 0; i < (mode == BTF_FILTER_MODE_FIELDS ? 10 : 6); i++) {
			BTF_FILTER_OPTS(o, .mode = mode, .log_buf = log,
					.log_size = sizeof(log),
					.flags = BTF_FILTER_F_ALLOW_MISSING);
			struct btf_filter_result *r, *c;
			const void *rd, *cd;
			__u32 rl, cl;

			c = btf_filter__query_mem(clean->data, clean->size,
						  &sels[i], 1, &o);
			ASSERT_NE(NULL, c);
			log[0] = 0;
			r = btf_filter__query_mem(bad->data, bad->size,
						  &sels[i], 1, &o);
			if (!r) {
				refused++;
				if (!first)
					first = errno;
				EXPECT_NE(NULL, strstr(log, needle)) {
					TH_LOG("'%s' mode %d: message '%s' lacks '%s'",
					       sels[i], mode, log, needle);
				}
			} else {
				accepted++;
				rd = btf_filter_result__data(r, &rl);
				cd = btf_filter_result__data(c, &cl);
				EXPECT_TRUE(rl == cl && !memcmp(rd, cd, rl)) {
					TH_LOG("'%s' mode %d: accepted, and not what the clean source gives",
					       sels[i], mode);
				}
			}
			btf_filter_result__free(r);
			btf_filter_result__free(c);
		}
	}
	EXPECT_NE(0, refused) TH_LOG("no query reached the bad word");
	EXPECT_NE(0, accepted) TH_LOG("every query refused the source");
	return first;
}

/*
 * A source held in memory (read in place) of 4 GiB less one byte, nearly
 * all of it a string section of NULs, and one struct whose 254-byte name
 * is the section's last string.  Positions in the in-place string scan
 * once wrapped at 4 GiB here: it went round for ever.  The query must find
 * the struct, within seconds.
 */
TEST(held_source_near_4_gib)
{
	struct blob b = { .size = 0xffffffffU };
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h), .type_len = sizeof(struct btf_type),
		.str_off = sizeof(struct btf_type),
	};
	char name[255];
	struct kept k;
	struct btf_type t = { .info = BTF_KIND_STRUCT << 24 };	/* no members */
	struct bf_query q = { .sels = name, .sel_len = sizeof(name),
			      .mode = BF_MODE_SHALLOW };
	struct bf_result res;
	double t0;

	b.data = mmap(NULL, b.size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b.data == MAP_FAILED)
		SKIP(return, "no 4 GiB mapping here: %s", strerror(errno));
	h.str_len = b.size - sizeof(h) - h.type_len;
	t.name_off = h.str_len - sizeof(name);
	memset(name, 'q', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	memcpy(b.data, &h, sizeof(h));
	memcpy(b.data + sizeof(h), &t, sizeof(t));
	memcpy(b.data + b.size - sizeof(name), name, sizeof(name));
	kept_env(&k, &b, NULL);
	k.env.rd.ptr_at = mem_ptr_at;	/* in place */
	t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	ASSERT_EQ(0, bf_query_run(&k.env, NULL, &q, &res)) TH_LOG("%s", k.log);
	EXPECT_EQ(1, res.nr_types);
	EXPECT_GT(20.0, clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0);
	bf_result_free(&k.env, &res);
	munmap(b.data, b.size);
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

	/*
	 * A header longer than the 7.1+ one (32 bytes) is fine if the bytes
	 * past it are zero...
	 */
	big.size = r.size + 16;
	big.data = calloc(1, big.size);
	memcpy(big.data, r.data, sizeof(saved));
	memcpy(big.data + sizeof(saved) + 16, r.data + sizeof(saved),
	       r.size - sizeof(saved));
	hdr(&big)->hdr_len = sizeof(saved) + 16;
	{
		const char *sel = "holder";
		struct btf_filter_result *res;

		res = btf_filter__query_mem(big.data, big.size, &sel, 1, NULL);
		ASSERT_NE(NULL, res);
		btf_filter_result__free(res);
	}
	/* ...and E2BIG if they are not, as the kernel says. */
	big.data[sizeof(saved) + 13] = 1;
	ASSERT_EQ(E2BIG, expect_refused(_metadata, &big, "unknown byte 37"));
	free(big.data);
	free(r.data);
	btf__free(b);
}

/*
 * A header of 25 to 27 bytes (its extra bytes zero) leaves every type
 * record off 4-byte alignment in the blob.  The answer must be the same
 * as with the 24-byte header, and UBSan's alignment check must stay quiet
 * whether the reader hands out pointers or copies.
 */
TEST(hdr_len_not_a_multiple_of_4)
{
	struct btf *b = build_every_kind();
	struct blob r = raw_copy(b);
	const char *sels[] = { "holder", "#1" };
	struct btf_filter_result *want;
	__u32 want_size, extra;
	const void *want_data;

	want = btf_filter__query_mem(r.data, r.size, sels, 2, NULL);
	ASSERT_NE(NULL, want);
	want_data = btf_filter_result__data(want, &want_size);
	for (extra = 1; extra < 4; extra++) {
		/* one spare byte in front, so that both alignments are tried */
		unsigned char *buf = calloc(1, r.size + extra + 1);
		int shift;

		ASSERT_NE(NULL, buf);
		for (shift = 0; shift < 2; shift++) {
			unsigned char *big = buf + shift;
			struct btf_filter_result *got;
			const void *data;
			__u32 size, hl;

			memset(buf, 0, r.size + extra + 1);
			memcpy(big, r.data, sizeof(struct btf_header));
			memcpy(big + sizeof(struct btf_header) + extra,
			       r.data + sizeof(struct btf_header),
			       r.size - sizeof(struct btf_header));
			hl = sizeof(struct btf_header) + extra;
			memcpy(big + offsetof(struct btf_header, hdr_len), &hl,
			       sizeof(hl));
			got = btf_filter__query_mem(big, r.size + extra, sels,
						    2, NULL);
			ASSERT_NE(NULL, got) {
				TH_LOG("hdr_len %zu: %s",
				       sizeof(struct btf_header) + extra,
				       strerror(errno));
			}
			data = btf_filter_result__data(got, &size);
			ASSERT_EQ(want_size, size);
			ASSERT_EQ(0, memcmp(want_data, data, size));
			btf_filter_result__free(got);
		}
		free(buf);
	}
	btf_filter_result__free(want);
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
	struct btf *b = build_every_kind(), *clean = build_every_kind();
	struct blob r, c = raw_copy(clean);	/* raw_copy(b) keeps the bytes */

	btf__free(clean);

	type_of(b, 3)->type = 9999;	/* char * -> nowhere */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c,
						    "[3] refers to type 9999"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	btf_members(type_of(b, 25))[2].type = 30;	/* holder.u -> 30 */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c, "[25]"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	type_of(b, 11)->type = 9999;	/* bits_t -> nowhere */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c,
						    "[11] refers to type 9999"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	btf_members(type_of(b, 6))[1].type = 9999;	/* u's anonymous one */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c,
						    "[6] refers to type 9999"));
	free(r.data);
	free(c.data);
	btf__free(b);
}

TEST(out_of_range_string_offset)
{
	struct btf *b = build_every_kind(), *clean = build_every_kind();
	struct blob r, c = raw_copy(clean);	/* raw_copy(b) keeps the bytes */

	btf__free(clean);

	btf_members(type_of(b, 5))[1].name_off = 100000;
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c,
						    "[5] string offset"));
	free(r.data);
	btf__free(b);
	b = build_every_kind();
	btf_enum(type_of(b, 8))[0].name_off = 100000;	/* color.RED */
	r = raw_copy(b);
	ASSERT_EQ(EINVAL, expect_refused_where_read(_metadata, &r, &c,
						    "[8] string offset"));
	free(r.data);
	free(c.data);
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

/* ---- hostile sources: bytes that change between reads ---- */

/* One query streaming both passes, with no kept index. */
static int stream_query(const struct bf_env *env, const struct bf_query *q,
			struct bf_result *res)
{
	return bf_query_run(env, NULL, q, res);
}

/*
 * Serves good for the first flip_after accesses (read_at and ptr_at
 * calls), bad from then on.  In place (cur set), the reader hands out one
 * pointer to cur for the whole source, as a mapped source does, and cur
 * turns bad at the flip_after-th allocation instead: core reads it with no
 * calls to count, and allocates between its passes.
 */
struct flip_src {
	const unsigned char *good;
	const unsigned char *bad;
	unsigned char *cur;
	size_t size;
	unsigned long calls;
	unsigned long flip_after;
};

enum { FLIP_READ, FLIP_PTR_AT, FLIP_IN_PLACE, FLIP_WAYS };
static const char *const flip_ways[] = { "", ", ptr_at", ", in place" };

static const unsigned char *flip_pick(struct flip_src *f)
{
	return f->calls++ < f->flip_after ? f->good : f->bad;
}

static int flip_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	struct flip_src *f = ctx;
	const unsigned char *src = f->cur ? f->cur : flip_pick(f);

	if (off > f->size || f->size - off < len)
		return -EIO;
	memcpy(buf, src + off, len);
	return 0;
}

static const void *flip_ptr_at(void *ctx, u64 off, u32 len)
{
	struct flip_src *f = ctx;

	if (off > f->size || f->size - off < len)
		return NULL;
	if (f->cur)
		return f->cur + off;
	/* all of it at once (core would then read in place): one at a time */
	if (!off && len == f->size)
		return NULL;
	return flip_pick(f) + off;
}

static void *flip_zalloc(void *ctx, size_t size)
{
	struct flip_src *f = ctx;

	if (f && f->cur && f->calls++ == f->flip_after)
		memcpy(f->cur, f->bad, f->size);
	return calloc(1, size);
}

struct hostile {
	unsigned char *good;
	size_t size;
	__u32 type_start, type_len, str_start, str_len;
	struct flip_src f;
	char log[256];
	struct bf_env env;
};

/* A reader over h->good (and later h->f.bad), in one of FLIP_WAYS. */
static void hostile_init(struct hostile *h, unsigned char *good, size_t size,
			 int way)
{
	const struct btf_header *hd = (const void *)good;

	memset(h, 0, sizeof(*h));
	h->good = good;
	h->size = size;
	h->type_start = hd->hdr_len + hd->type_off;
	h->type_len = hd->type_len;
	h->str_start = hd->hdr_len + hd->str_off;
	h->str_len = hd->str_len;
	h->f.good = good;
	h->f.bad = good;
	h->f.size = size;
	h->f.flip_after = ~0UL;
	h->env.rd.read_at = flip_read_at;
	h->env.rd.ptr_at = way != FLIP_READ ? flip_ptr_at : NULL;
	if (way == FLIP_IN_PLACE) {
		h->f.cur = malloc(size);
		if (h->f.cur)
			memcpy(h->f.cur, good, size);
	}
	h->env.rd.ctx = &h->f;
	h->env.rd.size = size;
	h->env.mem.zalloc = flip_zalloc;
	h->env.mem.ctx = &h->f;
	h->env.mem.free = heap_free;
	h->env.log = first_line;
	h->env.log_ctx = h->log;
}

enum { BAD_FF, BAD_SHIFT_UP, BAD_SHIFT_DOWN, BAD_STR_FF, BAD_STR_NUL,
       BAD_RANDOM };	/* BAD_RANDOM + seed */

static const char *const bad_names[] = {
	"types all 0xff", "types shifted up 4 bytes",
	"types shifted down 4 bytes", "strings all 0xff", "strings all NUL",
};

/* A copy of h->good with its sections changed as variant says. */
static unsigned char *make_bad(const struct hostile *h, int variant)
{
	unsigned char *b = malloc(h->size), *t;
	unsigned int seed = variant, i, n;

	memcpy(b, h->good, h->size);
	t = b + h->type_start;
	switch (variant) {
	case BAD_FF:
		memset(t, 0xff, h->type_len);
		break;
	case BAD_SHIFT_UP:
		memmove(t + 4, h->good + h->type_start, h->type_len - 4);
		break;
	case BAD_SHIFT_DOWN:
		memmove(t, h->good + h->type_start + 4, h->type_len - 4);
		break;
	case BAD_STR_FF:
		memset(b + h->str_start, 0xff, h->str_len);
		break;
	case BAD_STR_NUL:
		memset(b + h->str_start, 0, h->str_len);
		break;
	default:	/* random bytes, a few or many, at random places */
		n = variant % 2 ? 1 + rand_r(&seed) % 64 : h->type_len / 16;
		for (i = 0; i < n; i++)
			t[rand_r(&seed) % h->type_len] = rand_r(&seed);
		break;
	}
	return b;
}

static const char *const whole_sels[][4] = {
	{ "holder", "bits", "#3", "color" },		/* every_kind */
	{ "task_struct", "file", "#100", "int" },	/* a kernel's */
};
static const char *const path_sels[][4] = {
	{ "holder.u.x", "bits.b", "enum color.RED", "holder" },
	{ "task_struct.real_parent", "file.f_path.dentry",
	  "enum pid_type.PIDTYPE_TGID", "sk_buff" },
};

/* Type IDs only: no name is looked up, the closure reads the records. */
static const char *const id_sels[][4] = {
	{ "#25", "#5", "#3", "#16" },
	{ "#1", "#100", "#1000", "#10000" },
};

/*
 * The selectors of mode m for source kind k (IDs only if ids), packed for
 * struct bf_query.
 */
static void pack(int k, int m, bool ids, char *buf, struct bf_query *q)
{
	const char *const *sels = ids ? id_sels[k] :
				  m == BF_MODE_FIELDS ? path_sels[k] :
							whole_sels[k];
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		strcpy(p, sels[i]);
		p += strlen(p) + 1;
	}
	q->sels = buf;
	q->sel_len = p - buf;
	q->mode = m;
}

/*
 * The outcome of one query: an error with a message, or a blob libbpf
 * takes.  what says which query.
 */
static void check_outcome(struct __test_metadata *_metadata,
			  struct hostile *h, int err, struct bf_result *res,
			  const char *what)
{
	if (err) {
		EXPECT_GT(0, err) TH_LOG("%s: returned %d", what, err);
		EXPECT_NE(0, h->log[0])
			TH_LOG("%s: error %d with no message", what, err);
	} else {
		struct btf *b = btf__new(res->blob, res->blob_len);

		EXPECT_NE(NULL, b)
			TH_LOG("%s: libbpf rejects the %u-byte result: %s",
			       what, res->blob_len, strerror(errno));
		btf__free(b);
	}
	bf_result_free(&h->env, res);
}

/*
 * (i) An index built on the true bytes, then queries (every mode, with and
 * without ALLOW_MISSING, by name and by ID) that read each kind of bad
 * bytes.
 */
static void kept_index_then_bad(struct __test_metadata *_metadata,
				unsigned char *good, size_t size, int kind,
				int nr_random)
{
	int ptr, v, m, fl;

	for (ptr = 0; ptr < FLIP_WAYS; ptr++) {
		struct hostile h;
		struct bf_index *idx;

		hostile_init(&h, good, size, ptr);
		ASSERT_TRUE(ptr != FLIP_IN_PLACE || h.f.cur);
		ASSERT_EQ(0, bf_index_build(&h.env, 0, &idx)) TH_LOG("%s", h.log);
		for (v = 0; v < BAD_RANDOM + nr_random; v++) {
			unsigned char *bad = make_bad(&h, v);

			h.f.bad = bad;
			h.f.flip_after = 0;
			if (h.f.cur)	/* bad from the first byte read */
				memcpy(h.f.cur, bad, size);
			for (m = 0; m < 3; m++) {
				for (fl = 0; fl < 4; fl++) {
					char buf[256], what[160];
					struct bf_query q = {
						.flags = BF_Q_ID_MAP |
						(fl & 1 ? BF_Q_ALLOW_MISSING : 0),
					};
					struct bf_result res;
					int err;

					pack(kind, m, fl & 2, buf, &q);
					h.log[0] = 0;
					err = bf_query_run(&h.env, idx, &q, &res);
					snprintf(what, sizeof(what),
						 "kept index, %s, mode %d%s%s%s",
						 v < BAD_RANDOM ? bad_names[v] :
						 "random bytes", m,
						 fl & 1 ? ", allow missing" : "",
						 fl & 2 ? ", IDs" : "",
						 flip_ways[ptr]);
					check_outcome(_metadata, &h, err, &res,
						      what);
				}
			}
			free(bad);
			ASSERT_TRUE(_metadata->passed);
		}
		bf_index_free(&h.env, idx);
		free(h.f.cur);
	}
}

/*
 * The K-th of the flip points for a run of total accesses: every one when
 * there are at most nr_k, else nr_k at random, then more and more densely
 * towards the end, where the closure and emit passes read (total - total/2,
 * total - total/4, ...), then the last nr_k.  0 when there are no more.
 */
static unsigned long flip_point(unsigned long i, unsigned long total,
				unsigned long nr_k, unsigned int *seed)
{
	if (total <= nr_k)
		return i <= total ? i + 1 : 0;
	if (i < nr_k)
		return 1 + rand_r(seed) % total;
	i -= nr_k;
	if (i < 24)
		return total - (total >> (i + 1));
	i -= 24;
	return i < nr_k && i < total ? total - i : 0;
}

/*
 * (ii) Streaming (no kept index): the bytes turn bad after the first K
 * accesses, for every K up to the accesses a good run makes (or some of
 * them over that range, see flip_point()).
 */
static void streaming_flips(struct __test_metadata *_metadata,
			    unsigned char *good, size_t size, int kind,
			    unsigned long nr_k)
{
	static const int variants[] = { BAD_FF, BAD_SHIFT_UP, BAD_RANDOM + 1,
					 BAD_RANDOM + 2, BAD_STR_FF };
	unsigned int seed = 99;
	int ptr, v, m;

	for (ptr = 0; ptr < FLIP_WAYS; ptr++) {
		for (m = 0; m < 3; m++) {
			struct hostile h;
			struct bf_query q = {
				.flags = BF_Q_ID_MAP | BF_Q_ALLOW_MISSING,
			};
			struct bf_result res;
			unsigned long total, k, i;
			char buf[256];

			hostile_init(&h, good, size, ptr);
			ASSERT_TRUE(ptr != FLIP_IN_PLACE || h.f.cur);
			pack(kind, m, false, buf, &q);
			ASSERT_EQ(0, stream_query(&h.env, &q, &res))
				TH_LOG("mode %d on the true bytes: %s", m,
				       h.log);
			bf_result_free(&h.env, &res);
			total = h.f.calls;
			for (v = 0; v < 5; v++) {
				unsigned char *bad = make_bad(&h, variants[v]);

				h.f.bad = bad;
				for (i = 0; (k = flip_point(i, total, nr_k,
							    &seed)); i++) {
					char what[160];
					int err;

					h.f.calls = 0;
					h.f.flip_after = k - 1;
					if (h.f.cur)
						memcpy(h.f.cur, good, size);
					h.log[0] = 0;
					err = stream_query(&h.env, &q, &res);
					snprintf(what, sizeof(what),
						 "streaming, %s after %lu of %lu accesses, mode %d%s",
						 variants[v] < BAD_RANDOM ?
						 bad_names[variants[v]] :
						 "random bytes",
						 h.f.flip_after, total, m,
						 flip_ways[ptr]);
					check_outcome(_metadata, &h, err, &res,
						      what);
				}
				free(bad);
				ASSERT_TRUE(_metadata->passed);
			}
			free(h.f.cur);
		}
	}
}

static unsigned char *synth_bytes(size_t *size)
{
	struct btf *b = build_every_kind();
	__u32 sz;
	const void *raw = btf__raw_data(b, &sz);
	unsigned char *copy = malloc(sz);

	memcpy(copy, raw, sz);
	*size = sz;
	btf__free(b);
	return copy;
}

/* The running kernel's BTF, read into memory; NULL if it cannot be. */
static unsigned char *vmlinux_bytes(size_t *size)
{
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	size_t cap = 8 << 20, len = 0;
	unsigned char *buf;
	ssize_t n;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	*size = len;
	return buf;
}

TEST(hostile_kept_index_synthetic)
{
	size_t size;
	unsigned char *good = synth_bytes(&size);

	kept_index_then_bad(_metadata, good, size, 0, 200);
	free(good);
}

TEST(hostile_streaming_synthetic)
{
	size_t size;
	unsigned char *good = synth_bytes(&size);

	streaming_flips(_metadata, good, size, 0, 100000);
	free(good);
}

/* bytes of a and b the same: both errors, or the same blob */
static bool same_outcome(int ea, const struct bf_result *a, int eb,
			 const struct bf_result *b)
{
	if (ea || eb)
		return false;
	return a->blob_len == b->blob_len &&
	       !memcmp(a->blob, b->blob, a->blob_len);
}

/*
 * A query's own streamed index keeps one record offset in 16 (shallow and
 * fields mode) and finds the others by walking the group.  Each record
 * with a vlen has it lowered by one, or raised by one where the next
 * record is one element's size (the record then swallows it whole, and
 * every later record of the group reads as the one before it); and each
 * record changes places with the next where their sizes differ (the group
 * still ends where it did).  Each change is made at each allocation of a
 * streamed query (in place, as a mapped source is read).
 * Every query must give the clean source's result, the changed source's,
 * or an error with a message, and the walk must report the change
 * ("changed since the source was indexed") where it reads the group of a
 * root after the index pass.
 */
TEST(sparse_index_sees_a_record_changed)
{
	size_t size;
	unsigned char *good = synth_bytes(&size);
	struct btf *b = btf__new(good, size);
	const struct btf_header *hd = (const void *)good;
	const unsigned char *first;
	struct hostile h;
	unsigned long calls;
	static const char *const how[] = { "vlen - 1", "vlen + 1", "swapped with the next" };
	int id, n, m, v, seen_walk = 0, tried = 0, per[3] = { 0 };
	char buf[256];

	ASSERT_NE(NULL, b);
	first = (const void *)btf__type_by_id(b, 1);
	hostile_init(&h, good, size, FLIP_IN_PLACE);
	ASSERT_NE(NULL, h.f.cur);
	n = btf__type_cnt(b);
	for (id = 1, v = 0; id < n; v = (v + 1) % 3, id += !v) {
		const struct btf_type *t = btf__type_by_id(b, id);
		const unsigned char *p = (const void *)t;
		size_t at = hd->hdr_len + hd->type_off + (p - first);
		/* bytes of this record and of the next one */
		size_t sz = (id + 1 < n ? (const unsigned char *)
			     btf__type_by_id(b, id + 1) : first + hd->type_len) - p;
		size_t next = id + 2 < n ? (const unsigned char *)
			      btf__type_by_id(b, id + 2) - p - sz : 0;
		unsigned char *bad;

		if (v < 2 && (!btf_vlen(t) || btf_kind(t) == BTF_KIND_FUNC))
			continue;	/* FUNC's vlen is its linkage */
		if (v == 1 && next != (sz - sizeof(*t)) / btf_vlen(t))
			continue;	/* the next is not one element's size */
		if (v == 2 && (!next || next == sz))
			continue;	/* no next, or one of the same size */
		bad = malloc(size);
		memcpy(bad, good, size);
		if (v == 2) {
			memcpy(bad + at, p + sz, next);
			memcpy(bad + at + next, p, sz);
		} else {
			((struct btf_type *)(bad + at))->info =
				t->info + (v ? 1 : -1);
		}
		for (m = BF_MODE_SHALLOW; m <= BF_MODE_FIELDS; m++) {
			struct bf_result clean, changed, res;
			struct bf_query q = { .flags = BF_Q_ALLOW_MISSING };
			int ec, eb, err;

			pack(0, m, false, buf, &q);
			h.f.bad = good;
			memcpy(h.f.cur, good, size);
			h.f.flip_after = ~0UL;
			ec = stream_query(&h.env, &q, &clean);
			ASSERT_EQ(0, ec) TH_LOG("clean, mode %d: %s", m, h.log);
			memcpy(h.f.cur, bad, size);
			eb = stream_query(&h.env, &q, &changed);
			h.f.bad = bad;
			for (calls = 0;; calls++) {
				memcpy(h.f.cur, good, size);
				h.f.calls = 0;
				h.f.flip_after = calls;
				h.log[0] = 0;
				err = stream_query(&h.env, &q, &res);
				if (h.f.calls <= calls) {	/* never flipped */
					bf_result_free(&h.env, &res);
					break;
				}
				tried++;
				per[v]++;
				if (err) {
					EXPECT_GT(0, err);
					EXPECT_NE(0, h.log[0])
						TH_LOG("[%d] %s at allocation %lu, mode %d: error %d with no message",
						       id, how[v], calls, m, err);
					seen_walk += err == -EIO &&
						     strstr(h.log, "changed since the source was indexed");
				} else {
					EXPECT_TRUE(same_outcome(err, &res, ec, &clean) ||
						    same_outcome(err, &res, eb, &changed))
						TH_LOG("[%d] %s at allocation %lu, mode %d: a result neither source gives",
						       id, how[v], calls, m);
				}
				bf_result_free(&h.env, &res);
			}
			bf_result_free(&h.env, &clean);
			if (!eb)
				bf_result_free(&h.env, &changed);
		}
		free(bad);
	}
	TH_LOG("%d queries (%d, %d, %d by change), %d saw it as -EIO",
	       tried, per[0], per[1], per[2], seen_walk);
	EXPECT_LT(0, tried);
	EXPECT_LT(0, seen_walk);
	EXPECT_LT(0, per[1]);
	EXPECT_LT(0, per[2]);
	free(h.f.cur);
	btf__free(b);
	free(good);
}

FIXTURE(vmlinux) {
	unsigned char *good;
	size_t size;
};

FIXTURE_SETUP(vmlinux)
{
	self->good = vmlinux_bytes(&self->size);
}

FIXTURE_TEARDOWN(vmlinux)
{
	free(self->good);
}

TEST_F_TIMEOUT(vmlinux, hostile_kept_index, 300)
{
	if (!self->good || self->size < 4096)
		SKIP(return, "cannot read /sys/kernel/btf/vmlinux");
	kept_index_then_bad(_metadata, self->good, self->size, 1, 8);
}

TEST_F_TIMEOUT(vmlinux, hostile_streaming, 600)
{
	if (!self->good || self->size < 4096)
		SKIP(return, "cannot read /sys/kernel/btf/vmlinux");
	streaming_flips(_metadata, self->good, self->size, 1, 6);
}

TEST_HARNESS_MAIN
