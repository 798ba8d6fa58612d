/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core/ called directly, as the module calls it: a source in memory (with
 * a base, for split BTF), a kept index over it, queries over that index or
 * streaming.  For the suites built with core/ compiled in.
 */
#ifndef BTF_FILTER_CORE_ENV_H
#define BTF_FILTER_CORE_ENV_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_filter_core.h"

struct blob {
	unsigned char *data;
	__u32 size;
};

struct mem_src {
	const unsigned char *p;
	__u32 size;
};

static inline int mem_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	struct mem_src *m = ctx;

	if (off > m->size || m->size - off < len)
		return -EIO;
	memcpy(buf, m->p + off, len);
	return 0;
}

/* In place, as a mapped source is read: ptr_at for a mem_src. */
static inline const void *mem_ptr_at(void *ctx, u64 off, u32 len)
{
	struct mem_src *m = ctx;

	return off > m->size || m->size - off < len ? NULL : m->p + off;
}

static inline void *heap_zalloc(void *ctx, size_t size)
{
	return calloc(1, size);
}

static inline void heap_free(void *ctx, void *p, size_t size)
{
	free(p);
}

static inline void copy_log(void *ctx, const char *msg)
{
	snprintf(ctx, 256, "%s", msg);
}

/* A source (on base, if not NULL) and, once built, a kept index of it. */
struct kept {
	struct mem_src m;
	struct mem_src mb;
	struct bf_env env;
	struct bf_index *idx;
	char log[256];
};

/* The env alone (no index): for streaming queries with kept_run(). */
static inline void kept_env(struct kept *k, const struct blob *b,
			    const struct blob *base)
{
	memset(k, 0, sizeof(*k));
	k->m.p = b->data;
	k->m.size = b->size;
	k->env.rd.read_at = mem_read_at;
	k->env.rd.ctx = &k->m;
	k->env.rd.size = b->size;
	if (base) {
		k->mb.p = base->data;
		k->mb.size = base->size;
		k->env.base.read_at = mem_read_at;
		k->env.base.ctx = &k->mb;
		k->env.base.size = base->size;
	}
	k->env.mem.zalloc = heap_zalloc;
	k->env.mem.free = heap_free;
	k->env.log = copy_log;
	k->env.log_ctx = k->log;
}

static inline int kept_init(struct kept *k, const struct blob *b,
			    const struct blob *base, u32 flags)
{
	kept_env(k, b, base);
	return bf_index_build(&k->env, flags, &k->idx);
}

static inline void kept_fini(struct kept *k)
{
	bf_index_free(&k->env, k->idx);
	k->idx = NULL;
}

/*
 * sels (NUL-separated, sel_len bytes) over k's index, or streaming when k
 * has none: 0 and the blob (and ID map, if map) in *out, or the negative
 * errno with the log in k->log.
 */
static inline int kept_run_map(struct kept *k, const char *sels,
			       __u32 sel_len, __u32 mode, struct blob *out,
			       __u32 **map, __u32 *nr_map)
{
	struct bf_query q = { .sels = sels, .sel_len = sel_len, .mode = mode,
			      .flags = map ? BF_Q_ID_MAP : 0 };
	struct bf_result res;
	int err;

	k->log[0] = 0;
	err = bf_query_run(&k->env, k->idx, &q, &res);
	if (!err) {
		out->size = res.blob_len;
		out->data = malloc(res.blob_len);
		memcpy(out->data, res.blob, res.blob_len);
		if (map) {
			*nr_map = res.nr_types;
			*map = malloc((res.nr_types + 1) * sizeof(__u32));
			memcpy(*map, res.id_map, res.nr_types * sizeof(__u32));
		}
	}
	bf_result_free(&k->env, &res);
	return err;
}

static inline int kept_run(struct kept *k, const char *sels, __u32 sel_len,
			   __u32 mode, struct blob *out)
{
	return kept_run_map(k, sels, sel_len, mode, out, NULL, NULL);
}

#endif /* BTF_FILTER_CORE_ENV_H */
