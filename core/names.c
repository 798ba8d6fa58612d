// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The name table of a kept index: every named type chained by the hash of
 * its name, so that a query over a kept index finds its roots by looking
 * up each selector's name instead of streaming the string section and
 * scanning every type.  Costs 4 bytes per type and 4 per bucket, once.
 *
 * A sorted source (vmlinux of 7.0+ kernels: resolve_btfids puts the
 * anonymous types first, then the named ones by name) needs no table: the
 * build notices the order on its way through the names, drops the table,
 * and queries find each name by binary search over the type IDs.
 */
#include "bf_internal.h"

int bf_read_name(struct bf_io *io, const struct bf_sections *sec,
		 u32 name_off, char *buf, u32 max, u32 *len)
{
	u32 left, n = 0;
	int err = 0;
	u64 at;

	*len = BF_U32_MAX;	/* longer than max */
	if (name_off >= sec->str_len) {
		bf_log(io->env, "string offset %u past the string section (%u bytes)",
		       name_off, sec->str_len);
		return -EIO;
	}
	at = bf_str_at(sec, name_off, &left);
	while (n <= max && n < left) {
		u32 chunk = left - n < 64 ? left - n : 64;
		const char *p, *nul;

		if (chunk > max + 1 - n)
			chunk = max + 1 - n;
		p = bf_io_bytes(io, at + n, chunk, &err);
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

/*
 * The order of the strings at a and b (offsets in the string section, each
 * checked to lie inside it): *cmp below, at or above 0, as strcmp() has it.
 * Reads at most the shorter string's bytes, 64 at a time.
 */
static int bf_cmp_strs(struct bf_io *io, const struct bf_sections *sec,
		       u32 a, u32 b, int *cmp)
{
	int err = 0;

	*cmp = 0;
	while (a < sec->str_len && b < sec->str_len) {
		u32 la, lb, n, i;
		u64 at_a = bf_str_at(sec, a, &la), at_b = bf_str_at(sec, b, &lb);
		const u8 *pa, *pb;
		u8 buf[64];

		n = la < lb ? la : lb;
		n = n < sizeof(buf) ? n : sizeof(buf);
		pa = bf_io_bytes(io, at_a, n, &err);
		if (!pa)
			return err;
		memcpy(buf, pa, n);
		pb = bf_io_bytes(io, at_b, n, &err);
		if (!pb)
			return err;
		for (i = 0; i < n; i++) {
			if (buf[i] != pb[i]) {
				*cmp = buf[i] < pb[i] ? -1 : 1;
				return 0;
			}
			if (!buf[i])
				return 0;
		}
		a += n;
		b += n;
	}
	return 0;
}

/* Still sorted after type id (head t)?  *prev: the last name seen. */
static int bf_note_order(struct bf_io *io, struct bf_index *idx, u32 id,
			 const struct bf_btf_type *t, u32 *prev)
{
	int cmp, err;

	if (!t->name_off) {
		idx->sorted = !*prev;	/* anonymous types come first */
		return 0;
	}
	if (!*prev) {
		idx->first_named = id;
	} else {
		err = bf_cmp_strs(io, &idx->sec, *prev, t->name_off, &cmp);
		if (err)
			return err;
		idx->sorted = cmp <= 0;
	}
	*prev = t->name_off;
	return 0;
}

static void bf_drop_table(const struct bf_env *env, struct bf_index *idx)
{
	bf_free(env, idx->name_head, (size_t)idx->nr_buckets * sizeof(u32));
	bf_free(env, idx->name_next, ((size_t)idx->nr_types + 1) * sizeof(u32));
	idx->name_head = NULL;
	idx->name_next = NULL;
	idx->nr_buckets = 0;
}

int bf_index_names(const struct bf_env *env, struct bf_io *io,
		   struct bf_index *idx, bool keep_table)
{
	char name[BF_SEL_NAME_MAX + 1];
	u32 nb = 1024, id, len, prev = 0;
	int err = 0;

	while (nb < idx->nr_types / 2)
		nb *= 2;
	idx->name_head = bf_zalloc(env, bf_array_size(nb, sizeof(u32)));
	idx->name_next = bf_zalloc(env, bf_array_size(idx->nr_types + 1,
						      sizeof(u32)));
	idx->nr_buckets = nb;
	if (!idx->name_head || !idx->name_next)
		return -ENOMEM;
	idx->seed = bf_random_u32();
	idx->sorted = !keep_table;	/* the order is looked at only if used */
	idx->first_named = idx->nr_types + 1;
	for (id = 1; !err && id <= idx->nr_types; id++) {
		struct bf_btf_type t;
		u32 b;

		if (!(id % 4096)) {
			err = bf_cond_resched();
			if (err)
				break;
		}
		err = bf_read_type(io, idx, id, &t);
		if (!err && idx->sorted)
			err = bf_note_order(io, idx, id, &t, &prev);
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
	if (err)
		return err;
	if (idx->sorted)
		bf_drop_table(env, idx);
	else
		idx->bytes += (size_t)(nb + idx->nr_types + 1) * sizeof(u32);
	return 0;
}

/*
 * The order of type id's name against selector s's: *cmp below, at or
 * above 0 as strcmp() would say.  name: room for BF_SEL_NAME_MAX + 1.
 */
static int bf_cmp_sel(struct bf_io *io, const struct bf_index *idx, u32 id,
		      const struct bf_selector *s, char *name,
		      struct bf_btf_type *t, int *cmp)
{
	u32 len, n;
	int err;

	*cmp = 0;
	err = bf_read_type(io, idx, id, t);
	if (!err)
		err = bf_read_name(io, &idx->sec, t->name_off, name,
				   s->name_len, &len);
	if (err)
		return err;
	n = len < s->name_len ? len : s->name_len;
	*cmp = memcmp(name, s->name, n);
	if (!*cmp)
		*cmp = len < s->name_len ? -1 : len > s->name_len;
	return 0;
}

/* Roots of selector i in a sorted source: a binary search, then a run. */
static int bf_match_sorted(const struct bf_env *env, struct bf_io *io,
			   const struct bf_index *idx, struct bf_roots *r,
			   u32 i, char *name)
{
	struct bf_selector *s = &r->sels[i];
	u32 lo = idx->first_named, hi = idx->nr_types + 1, id;
	struct bf_btf_type t;
	int cmp, err = 0;

	while (!err && lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		err = bf_cmp_sel(io, idx, mid, s, name, &t, &cmp);
		if (err)
			break;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (id = lo; !err && id <= idx->nr_types; id++) {
		if (!((id - lo + 1) % 4096)) {
			err = bf_cond_resched();
			if (err)
				break;
		}
		err = bf_cmp_sel(io, idx, id, s, name, &t, &cmp);
		if (err || cmp)
			break;
		if (s->kinds && !(s->kinds & bf_kind_bit(bf_kind(&t))))
			continue;
		err = bf_add_root(env, r, id, i);
		s->hits++;
	}
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
		if (idx->sorted) {
			err = bf_match_sorted(env, io, idx, r, i, name);
			continue;
		}
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
