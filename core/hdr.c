// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The BTF header, checked the way the kernel's btf_parse_hdr() does:
 * hdr_len is honoured, bytes of a longer header we do not know must be
 * zero, and the sections (types, strings and, with a header of 32 bytes or
 * more, the 7.1+ layout section) must tile the rest of the blob in any
 * order, with no gap and no overlap.  The string section starts and ends
 * with NUL.  The layout section must give every kind core/ knows the shape
 * core/ knows; for the others it gives the shape that lets the type walk
 * step over them.
 */
#include "bf_internal.h"

#define BF_HDR_KNOWN	sizeof(struct bf_btf_header)

static int bf_check_tail_zero(const struct bf_env *env, struct bf_io *io,
			      u32 from, u32 to)
{
	int err = 0;

	while (from < to) {
		u32 n = to - from < BF_IO_PEEK_MAX ? to - from : BF_IO_PEEK_MAX;
		const u8 *p = bf_io_bytes(io, from, n, &err);
		u32 i;

		if (!p)
			return err;
		for (i = 0; i < n; i++) {
			if (p[i]) {
				bf_log(env, "header: unknown byte %u is not zero",
				       from + i);
				return -E2BIG;
			}
		}
		from += n;
	}
	return 0;
}

struct bf_sec {
	const char *name;
	u64 off;
	u64 len;
};

/* The sections, sorted by offset then length, must tile the body. */
static int bf_check_sections(const struct bf_env *env, struct bf_sec *s,
			     u32 n, u64 body)
{
	u64 at = 0;
	u32 i, j;

	for (i = 1; i < n; i++) {	/* insertion sort of at most 3 */
		for (j = i; j > 0 && (s[j].off < s[j - 1].off ||
				      (s[j].off == s[j - 1].off &&
				       s[j].len < s[j - 1].len)); j--) {
			struct bf_sec tmp = s[j];

			s[j] = s[j - 1];
			s[j - 1] = tmp;
		}
	}
	for (i = 0; i < n; i++) {
		if (s[i].off > at && !i) {
			bf_log(env, "header: %llu bytes before the %s section",
			       (unsigned long long)s[i].off, s[i].name);
			return -EINVAL;
		}
		if (s[i].off > at) {
			bf_log(env, "header: gap between the %s and %s sections",
			       s[i - 1].name, s[i].name);
			return -EINVAL;
		}
		if (s[i].off < at) {
			bf_log(env, "header: %s and %s sections overlap",
			       s[i - 1].name, s[i].name);
			return -EINVAL;
		}
		at += s[i].len;
	}
	if (at != body) {
		bf_log(env, "header: sections end at %llu, the blob at %llu",
		       (unsigned long long)at, (unsigned long long)body);
		return -EINVAL;
	}
	return 0;
}

/*
 * The layout section: whole entries, and for every kind core/ knows the
 * shape core/ knows, so that the section cannot make a known record be
 * read at another size.  Entries of other kinds are read again when used
 * (bf_source_record_size()).
 */
static int bf_check_layout(const struct bf_env *env, struct bf_io *io,
			   const struct bf_sections *sec, u32 len)
{
	u32 kind;
	int err = 0;

	if (len % sizeof(struct bf_btf_layout)) {
		bf_log(env, "header: layout section of %u bytes is not whole entries of %u",
		       len, (u32)sizeof(struct bf_btf_layout));
		return -EINVAL;
	}
	for (kind = 0; kind < sec->nr_layout && kind <= BF_KIND_MAX; kind++) {
		const struct bf_kind_layout *l = &bf_kind_layouts[kind];
		const struct bf_btf_layout *e;

		e = bf_io_ptr(io, sec->layout_start + kind * sizeof(*e),
			      sizeof(*e), &err);
		if (!e)
			return err;
		if (e->info_sz != l->fixed || e->elem_sz != l->elem) {
			bf_log(env, "header: layout of kind %u is %u + %u per entry, not %u + %u",
			       kind, e->info_sz, e->elem_sz, l->fixed, l->elem);
			return -EINVAL;
		}
	}
	return 0;
}

static int bf_check_strings(const struct bf_env *env, struct bf_io *io,
			    const struct bf_sections *sec, u32 len, bool split)
{
	const u8 *c;
	int err = 0;

	if (!len) {
		if (split)	/* a split source may add no strings */
			return 0;
		bf_log(env, "header: empty string section");
		return -EINVAL;
	}
	c = bf_io_bytes(io, sec->str_start, 1, &err);
	if (!c)
		return err;
	if (*c && !split) {	/* a split source's continue the base's */
		bf_log(env, "header: string section does not start with NUL (split BTF? give its base)");
		return -EINVAL;
	}
	c = bf_io_bytes(io, sec->str_start + len - 1, 1, &err);
	if (!c)
		return err;
	if (*c) {
		bf_log(env, "header: string section does not end with NUL");
		return -EINVAL;
	}
	return 0;
}

/*
 * The header of one part, at offset at with size bytes: the base of a
 * split source, or the source itself (split: a source on top of a base).
 */
static int bf_parse_part(const struct bf_env *env, struct bf_io *io, u64 at,
			 u64 size, bool split, struct bf_sections *sec)
{
	const char *what = split ? "split " : "";
	struct bf_btf_header h = { 0 };
	struct bf_sec s[3];
	u32 nr_sec = 2;
	int err = 0;

	if (size < BF_HDR_V1_LEN) {
		bf_log(env, "%sheader: blob of %llu bytes is shorter than a header",
		       what, (unsigned long long)size);
		return -EINVAL;
	}
	err = bf_io_read(io, at, &h, BF_HDR_V1_LEN);
	if (err)
		return err;
	if (h.magic != BF_BTF_MAGIC) {
		if (h.magic == 0x9FeB)
			bf_log(env, "%sheader: BTF of the other byte order", what);
		else
			bf_log(env, "%sheader: bad magic 0x%04x", what, h.magic);
		return h.magic == 0x9FeB ? -EOPNOTSUPP : -EINVAL;
	}
	if (h.version != BF_BTF_VERSION || h.flags) {
		bf_log(env, "%sheader: unsupported version %u flags 0x%x",
		       what, h.version, h.flags);
		return -EOPNOTSUPP;
	}
	if (h.hdr_len < BF_HDR_V1_LEN || h.hdr_len > size) {
		bf_log(env, "%sheader: hdr_len %u outside [%u, %llu]", what,
		       h.hdr_len, BF_HDR_V1_LEN, (unsigned long long)size);
		return -EINVAL;
	}
	/* Header fields past the first 24 bytes, as far as hdr_len goes. */
	err = bf_io_read(io, at + BF_HDR_V1_LEN, (u8 *)&h + BF_HDR_V1_LEN,
			 (h.hdr_len < BF_HDR_KNOWN ? h.hdr_len : BF_HDR_KNOWN) -
			 BF_HDR_V1_LEN);
	if (!err && h.hdr_len > BF_HDR_KNOWN)
		err = bf_check_tail_zero(env, io, at + BF_HDR_KNOWN,
					 at + h.hdr_len);
	if (err)
		return err;
	s[0] = (struct bf_sec){ "type", h.type_off, h.type_len };
	s[1] = (struct bf_sec){ "string", h.str_off, h.str_len };
	/* As the kernel does: a layout section of no bytes is no section. */
	if (h.hdr_len >= BF_HDR_KNOWN && h.layout_len)
		s[nr_sec++] = (struct bf_sec){ "layout", h.layout_off,
					       h.layout_len };
	err = bf_check_sections(env, s, nr_sec, size - h.hdr_len);
	if (err)
		return err;
	if (h.type_off % 4 || h.type_len % 4) {
		bf_log(env, "%sheader: type section not 4-byte aligned", what);
		return -EINVAL;
	}
	if (nr_sec == 3 && h.layout_off % 4) {
		bf_log(env, "%sheader: layout section not 4-byte aligned", what);
		return -EINVAL;
	}
	memset(sec, 0, sizeof(*sec));
	sec->hdr_len = h.hdr_len;
	bf_io_set_align(io, bf_io_part(io, at), (at + h.hdr_len) & 3);
	sec->type_start = at + h.hdr_len + h.type_off;
	sec->type_end = sec->type_start + h.type_len;
	sec->str_start = at + h.hdr_len + h.str_off;
	sec->str_len = h.str_len;
	sec->size = size;
	if (nr_sec == 3) {
		sec->layout_start = at + h.hdr_len + h.layout_off;
		sec->nr_layout = h.layout_len / sizeof(struct bf_btf_layout);
		err = bf_check_layout(env, io, sec, h.layout_len);
		if (err)
			return err;
	}
	return bf_check_strings(env, io, sec, h.str_len, split);
}

int bf_parse_header(const struct bf_env *env, struct bf_io *io,
		    struct bf_sections *sec)
{
	struct bf_sections base;
	u64 size = env->rd.size;
	int err;

	if (io->split_at + size > BF_U32_MAX) {
		bf_log(env, "header: blob of %llu bytes (and base of %llu) is over 4 GiB",
		       (unsigned long long)size,
		       (unsigned long long)env->base.size);
		return -E2BIG;
	}
	if (!env->base.size)
		return bf_parse_part(env, io, 0, size, false, sec);
	err = bf_parse_part(env, io, 0, env->base.size, false, &base);
	if (!err)
		err = bf_parse_part(env, io, io->split_at, size, true, sec);
	if (err)
		return err;
	if ((u64)base.str_len + sec->str_len > BF_U32_MAX) {
		bf_log(env, "split header: %u bytes of strings on %u of the base's",
		       sec->str_len, base.str_len);
		return -E2BIG;
	}
	sec->base_type_start = base.type_start;
	sec->base_type_end = base.type_end;
	sec->base_str_start = base.str_start;
	sec->base_str_len = base.str_len;
	sec->base_layout_start = base.layout_start;
	sec->base_nr_layout = base.nr_layout;
	sec->str_len += base.str_len;	/* string offsets continue the base's */
	return 0;
}

int bf_source_record_size(struct bf_io *io, const struct bf_sections *sec,
			  u32 id, u64 off, const struct bf_btf_type *t,
			  u64 *size)
{
	const struct bf_btf_layout *e;
	u32 kind = bf_kind(t), start = sec->layout_start, nr = sec->nr_layout;
	struct bf_btf_layout le;
	int err = 0;

	if (bf_kind_known(kind)) {
		*size = bf_record_size(t);
		return 0;
	}
	/* A record of the base, or of a split source with no layout of its own. */
	if (!bf_io_part(io, off) || !nr) {
		start = sec->base_layout_start;
		nr = sec->base_nr_layout;
	}
	if (kind == BF_KIND_UNKN || kind >= nr) {
		bf_log(io->env, "[%u] unknown kind %u%s", id, kind,
		       nr ? ", and not in the layout section" :
			    ", and no layout section");
		return -EINVAL;
	}
	e = bf_io_ptr(io, start + kind * sizeof(*e), sizeof(*e), &err);
	if (!e)
		return err;
	memcpy(&le, e, sizeof(le));	/* read once: checked is what is used */
	if (le.info_sz % 4 || le.elem_sz % 4) {
		bf_log(io->env, "[%u] kind %u: layout of %u + %u per entry is not in whole words",
		       id, kind, le.info_sz, le.elem_sz);
		return -EINVAL;
	}
	*size = sizeof(*t) + le.info_sz + (u64)bf_vlen(t) * le.elem_sz;
	return 0;
}
