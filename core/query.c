// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The entry points: build an index to keep, and run a query, over a kept
 * index or streaming both passes.  Every path releases all it allocated.
 */
#include "bf_internal.h"
#include "bf_closure.h"

static void bf_index_release(const struct bf_env *env, struct bf_index *idx)
{
	u32 i;

	for (i = 0; i < idx->nr_chunks; i++)
		bf_free(env, idx->offs[i], BF_CHUNK * sizeof(u32));
	bf_free(env, idx->offs, (size_t)idx->chunk_cap * sizeof(*idx->offs));
	bf_free(env, idx->tags, (size_t)idx->tag_cap * sizeof(*idx->tags));
	bf_free(env, idx->name_head, (size_t)idx->nr_buckets * sizeof(u32));
	bf_free(env, idx->name_next, ((size_t)idx->nr_types + 1) * sizeof(u32));
	memset(idx, 0, sizeof(*idx));
}

void bf_index_free(const struct bf_env *env, struct bf_index *idx)
{
	if (!idx)
		return;
	bf_index_release(env, idx);
	bf_free(env, idx, sizeof(*idx));
}

/* Header and type walk into idx; with r, roots are matched on the way. */
static int bf_index_fill(const struct bf_env *env, struct bf_io *io,
			 struct bf_index *idx, struct bf_roots *r)
{
	int err;

	err = bf_parse_header(env, io, &idx->sec);
	if (!err && r)
		err = bf_match_strings(io, &idx->sec, r);
	if (!err)
		err = bf_walk_types(env, io, idx, r);
	return err;
}

int bf_index_build(const struct bf_env *env, u32 flags,
		   struct bf_index **out)
{
	struct bf_index *idx;
	struct bf_io io;
	int err;

	*out = NULL;
	idx = bf_zalloc(env, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	idx->words_checked = true;
	err = bf_io_init(&io, env);
	if (!err) {
		err = bf_index_fill(env, &io, idx, NULL);
		if (!err)
			err = bf_index_names(env, &io, idx,
					     flags & BF_IDX_NAME_TABLE);
		bf_io_fini(&io);
	}
	if (err) {
		bf_index_free(env, idx);
		return err;
	}
	*out = idx;
	return 0;
}

void bf_index_info(const struct bf_index *idx, struct bf_source_info *info)
{
	info->nr_types = idx->nr_types;
	info->nr_decl_tags = idx->nr_tags;
	info->btf_size = idx->sec.size;
	info->index_bytes = idx->bytes + sizeof(*idx);
	info->sorted = idx->sorted;
	info->base_types = idx->sec.base_types;
}

void bf_result_free(const struct bf_env *env, struct bf_result *res)
{
	bf_free(env, res->blob, res->blob_size);
	bf_free(env, res->id_map, res->map_size);
	res->blob = NULL;
	res->id_map = NULL;
}

static int bf_check_query(const struct bf_env *env, const struct bf_query *q)
{
	if (q->mode > BF_MODE_FIELDS) {
		bf_log(env, "unknown mode %u", q->mode);
		return -EINVAL;
	}
	if (q->flags & ~(BF_Q_ALLOW_MISSING | BF_Q_ID_MAP)) {
		bf_log(env, "unknown flags 0x%x", q->flags);
		return -EINVAL;
	}
	return 0;
}

static int bf_run_closure(const struct bf_env *env, struct bf_io *io,
			  const struct bf_index *idx,
			  const struct bf_query *q, struct bf_roots *r,
			  struct bf_result *res)
{
	struct bf_closure c = {
		.env = env,
		.io = io,
		.idx = idx,
		.shallow = q->mode != BF_MODE_FULL,
	};
	int err;

	res->src_types = idx->nr_types;
	err = bf_closure_init(&c, q->mode == BF_MODE_FIELDS);
	if (!err && q->mode == BF_MODE_FIELDS)
		err = bf_walk_paths(&c, r);
	if (!err)
		err = bf_finish_roots(env, idx, q, r, res);
	if (!err)
		err = bf_closure(&c, r);
	if (!err)
		err = bf_emit(&c, q, res);
	bf_closure_free(&c);
	return err;
}

int bf_query_run(const struct bf_env *env, const struct bf_index *kept,
		 const struct bf_query *q, struct bf_result *res)
{
	struct bf_index streamed = { 0 };
	const struct bf_index *idx = kept ? kept : &streamed;
	struct bf_roots r;
	struct bf_io io;
	int err;

	memset(res, 0, sizeof(*res));
	err = bf_check_query(env, q);
	if (err)
		return err;
	err = bf_parse_selectors(env, q, &r);
	if (!err)
		err = bf_io_init(&io, env);
	if (!err) {
		/* roots by the kept name table, or matched while streaming */
		if (kept) {
			err = bf_match_names(env, &io, kept, &r);
		} else {
			if (q->mode != BF_MODE_FULL)
				streamed.off_shift = BF_SPARSE_SHIFT;
			err = bf_index_fill(env, &io, &streamed, &r);
		}
		if (!err)
			err = bf_run_closure(env, &io, idx, q, &r, res);
		bf_io_fini(&io);
	}
	bf_index_release(env, &streamed);
	bf_roots_free(env, &r);
	if (err && err != -ENOENT)
		bf_result_free(env, res);
	return err;
}
