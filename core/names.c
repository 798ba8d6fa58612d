// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The name table of a kept index: every named type chained by the hash of
 * its name, so that a query over a kept index finds its roots by looking
 * up each selector's name instead of streaming the string section and
 * scanning every type.  Costs 4 bytes per type and 4 per bucket, once.
 */
#include "bf_internal.h"

int bf_read_name(struct bf_io *io, const struct bf_sections *sec,
		 u32 name_off, char *buf, u32 max, u32 *len)
{
	u32 left = sec->str_len - name_off, n = 0;
	int err = 0;

	*len = BF_U32_MAX;	/* longer than max */
	if (name_off >= sec->str_len) {
		bf_log(io->env, "string offset %u past the string section (%u bytes)",
		       name_off, sec->str_len);
		return -EIO;
	}
	while (n <= max && n < left) {
		u32 chunk = left - n < 64 ? left - n : 64;
		const char *p, *nul;

		if (chunk > max + 1 - n)
			chunk = max + 1 - n;
		p = bf_io_ptr(io, (u64)sec->str_start + name_off + n, chunk,
			      &err);
		if (!p)
			return err;
		nul = memchr(p, 0, chunk);
		memcpy(buf + n, p, nul ? (u32)(nul - p) : chunk);
		if (nul) {
			*len = n + (nul - p);
			return 0;
		}
		n += chunk;
	}
	return 0;
}

int bf_index_names(const struct bf_env *env, struct bf_io *io,
		   struct bf_index *idx)
{
	char name[BF_SEL_NAME_MAX + 1];
	u32 nb = 1024, id, len;
	int err = 0;

	while (nb < idx->nr_types / 2)
		nb *= 2;
	idx->name_head = bf_zalloc(env, bf_array_size(nb, sizeof(u32)));
	idx->name_next = bf_zalloc(env, bf_array_size(idx->nr_types + 1,
						      sizeof(u32)));
	if (!idx->name_head || !idx->name_next)
		return -ENOMEM;
	idx->nr_buckets = nb;
	idx->seed = bf_random_u32();
	for (id = 1; !err && id <= idx->nr_types; id++) {
		struct bf_btf_type t;
		u32 b;

		if (!(id % 4096)) {
			err = bf_cond_resched();
			if (err)
				break;
		}
		err = bf_read_type(io, idx, id, &t);
		if (err || !t.name_off)
			continue;
		err = bf_read_name(io, &idx->sec, t.name_off, name,
				   BF_SEL_NAME_MAX, &len);
		if (err || len > BF_SEL_NAME_MAX)
			continue;	/* no selector can name it */
		b = bf_name_key(idx->seed, name, len) & (nb - 1);
		idx->name_next[id] = idx->name_head[b];
		idx->name_head[b] = id;
	}
	idx->bytes += (size_t)(nb + idx->nr_types + 1) * sizeof(u32);
	return err;
}

int bf_match_names(const struct bf_env *env, struct bf_io *io,
		   const struct bf_index *idx, struct bf_roots *r)
{
	char name[BF_SEL_NAME_MAX + 1];
	u32 i, id, len, n = 0;
	int err = 0;

	for (i = 0; !err && i < r->nr_sels; i++) {
		struct bf_selector *s = &r->sels[i];
		u32 b;

		if (!s->name_len || s->dup_of)
			continue;
		b = bf_name_key(idx->seed, s->name, s->name_len) &
		    (idx->nr_buckets - 1);
		for (id = idx->name_head[b]; !err && id;
		     id = idx->name_next[id]) {
			struct bf_btf_type t;

			if (!(++n % 4096)) {
				err = bf_cond_resched();
				if (err)
					break;
			}
			err = bf_read_type(io, idx, id, &t);
			if (err)
				break;
			if (s->kinds && !(s->kinds & bf_kind_bit(bf_kind(&t))))
				continue;
			err = bf_read_name(io, &idx->sec, t.name_off, name,
					   s->name_len, &len);
			if (err || len != s->name_len ||
			    memcmp(name, s->name, len))
				continue;
			err = bf_add_root(env, r, id, i);
			s->hits++;
		}
	}
	return err;
}
