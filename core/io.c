// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A small cache of read windows over the reader, so that no pass makes one
 * read_at() call per field: sequential walks refill one window per 8 KiB,
 * random access in the closure pass mostly hits one of four recent windows.
 */
#include "bf_internal.h"

/* bf_io_fill() starts a window up to 63 bytes before the offset asked for. */
#define BF_IO_SLACK	(BF_IO_WSIZE - BF_IO_PEEK_MAX)
_Static_assert(BF_IO_SLACK >= 64, "windows too small");

/* Windows are allocated when first filled: in-memory sources need none. */
int bf_io_init(struct bf_io *io, const struct bf_env *env)
{
	const u8 *p = NULL;

	memset(io, 0, sizeof(*io));
	io->env = env;
	if (env->base.size)
		io->split_at = (env->base.size + 63) & ~(u64)63;
	if (env->rd.ptr_at && env->rd.size && env->rd.size <= BF_U32_MAX)
		p = env->rd.ptr_at(env->rd.ctx, 0, env->rd.size);
	if (p && !((unsigned long)p & 3)) {	/* u32 loads stay aligned */
		io->mem = p;
		io->mem_start = io->split_at;
		io->mem_len = env->rd.size;
	}
	return 0;
}

void bf_io_fini(struct bf_io *io)
{
	int i;

	for (i = 0; i < BF_IO_WINDOWS; i++) {
		bf_free(io->env, io->w[i].buf, BF_IO_WSIZE);
		io->w[i].buf = NULL;
	}
	bf_free(io->env, io->groups, BF_GROUP_SLOTS * sizeof(*io->groups));
	io->groups = NULL;
}

void bf_io_set_align(struct bf_io *io, u32 part, u32 align)
{
	int i;

	if (io->align[part] == align)
		return;
	io->align[part] = align;
	for (i = 0; i < BF_IO_WINDOWS; i++)	/* filled at the old one */
		io->w[i].len = 0;
}

/* The reader of part, and where its bytes start and end. */
static const struct bf_reader *bf_io_reader(const struct bf_io *io, u32 part,
					    u64 *start, u64 *end)
{
	const struct bf_reader *rd = part ? &io->env->rd : &io->env->base;

	*start = part ? io->split_at : 0;
	*end = *start + rd->size;
	return rd;
}

/* The reader of the part off + len lies within, or NULL; *start its start. */
static const struct bf_reader *bf_io_reader_at(const struct bf_io *io,
					       u64 off, u32 len, u64 *start)
{
	u64 end;
	const struct bf_reader *rd = bf_io_reader(io, bf_io_part(io, off),
						  start, &end);

	return off <= end && end - off >= len ? rd : NULL;
}

int bf_io_direct(struct bf_io *io, u64 off, void *buf, u32 len)
{
	u64 start;
	const struct bf_reader *rd = bf_io_reader_at(io, off, len, &start);

	if (!rd)
		return -EIO;
	return rd->read_at(rd->ctx, off - start, buf, len);
}

static struct bf_io_window *bf_io_fill(struct bf_io *io, u64 off, int *err)
{
	struct bf_io_window *w = &io->w[0];
	u32 part = bf_io_part(io, off), align = io->align[part];
	const struct bf_reader *rd;
	u64 start, pstart, pend;
	int i, ret;

	for (i = 1; i < BF_IO_WINDOWS; i++)
		if (io->w[i].age < w->age)
			w = &io->w[i];

	if (!w->buf) {
		w->buf = bf_zalloc(io->env, BF_IO_WSIZE);
		if (!w->buf) {
			*err = -ENOMEM;
			return NULL;
		}
	}
	rd = bf_io_reader(io, part, &pstart, &pend);
	/*
	 * Start a little before off, so short backward steps still hit, and
	 * at the records' alignment, so that u32 loads from a window are
	 * aligned whatever hdr_len is; never before the part (which starts
	 * at a multiple of 64).
	 */
	start = off - pstart < align ? pstart :
		((off - align) & ~(u64)63) + align;
	w->len = pend - start < BF_IO_WSIZE ? pend - start : BF_IO_WSIZE;
	w->start = start;
	io->reads++;
	ret = rd->read_at(rd->ctx, start - pstart, w->buf, w->len);
	if (ret) {
		w->len = 0;
		*err = ret;
		return NULL;
	}
	return w;
}

/* bf_io_ptr() past the window that served the last call. */
const void *__bf_io_ptr(struct bf_io *io, u64 off, u32 len, int *err)
{
	struct bf_io_window *w = NULL;
	const struct bf_reader *rd;
	u64 pstart;
	int i;

	rd = len <= BF_IO_PEEK_MAX ? bf_io_reader_at(io, off, len, &pstart) :
				     NULL;
	if (!rd) {
		*err = -EIO;
		return NULL;
	}
	if (rd->ptr_at) {	/* in memory already: no copy */
		const void *p = rd->ptr_at(rd->ctx, off - pstart, len);

		if (p && !((unsigned long)p & 3))	/* u32 loads stay aligned */
			return p;
	}
	for (i = 0; i < BF_IO_WINDOWS; i++) {
		struct bf_io_window *c = &io->w[i];

		if (off >= c->start && off + len <= c->start + c->len) {
			w = c;
			break;
		}
	}
	if (!w) {
		w = bf_io_fill(io, off, err);
		if (!w)
			return NULL;
	}
	w->age = ++io->clock;
	io->last = w - io->w;
	return w->buf + (off - w->start);
}

int bf_io_read(struct bf_io *io, u64 off, void *dst, u32 len)
{
	u8 *d = dst;
	int err = 0;

	while (len) {
		u32 n = len < BF_IO_PEEK_MAX ? len : BF_IO_PEEK_MAX;
		const void *p = bf_io_ptr(io, off, n, &err);

		if (!p)
			return err;
		memcpy(d, p, n);
		d += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* bf_rec_word() past the piece held: read the next piece from woff on. */
int __bf_rec_word(struct bf_rec *r, u32 woff, u32 *val)
{
	int err = 0;

	r->len = r->size - woff < BF_IO_PEEK_MAX ? r->size - woff :
						   BF_IO_PEEK_MAX;
	r->start = woff;
	r->p = bf_io_ptr(r->io, r->off + woff, r->len, &err);
	if (!r->p) {
		r->len = 0;
		return err;
	}
	*val = *(const u32 *)r->p;
	return 0;
}
