// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The BTF header, checked the way the kernel's btf_parse_hdr() does:
 * hdr_len is honoured, bytes of a longer header we do not know must be
 * zero, and the type and string sections must tile the rest of the blob
 * with no gap and no overlap.  The string section starts and ends with NUL.
 */
#include "bf_internal.h"

#define BF_HDR_KNOWN	sizeof(struct bf_btf_header)

static int bf_check_tail_zero(const struct bf_env *env, struct bf_io *io,
			      u32 from, u32 to)
{
	int err = 0;

	while (from < to) {
		u32 n = to - from < BF_IO_PEEK_MAX ? to - from : BF_IO_PEEK_MAX;
		const u8 *p = bf_io_ptr(io, from, n, &err);
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

static int bf_check_sections(const struct bf_env *env,
			     const struct bf_btf_header *h, u64 body)
{
	/* Sort the two sections by offset; they must tile the body. */
	const char *first_name = "type", *second_name = "string";
	u64 first_off = h->type_off, first_len = h->type_len;
	u64 second_off = h->str_off, second_len = h->str_len;

	if (h->type_off > h->str_off ||
	    (h->type_off == h->str_off && h->type_len > 0)) {
		first_name = "string";
		second_name = "type";
		first_off = h->str_off;
		first_len = h->str_len;
		second_off = h->type_off;
		second_len = h->type_len;
	}
	if (first_off != 0) {
		bf_log(env, "header: %u bytes before the %s section",
		       (u32)first_off, first_name);
		return -EINVAL;
	}
	if (first_off + first_len > second_off) {
		bf_log(env, "header: %s and %s sections overlap",
		       first_name, second_name);
		return -EINVAL;
	}
	if (first_off + first_len < second_off) {
		bf_log(env, "header: gap between the %s and %s sections",
		       first_name, second_name);
		return -EINVAL;
	}
	if (second_off + second_len != body) {
		bf_log(env,
		       "header: sections end at %llu, the blob at %llu",
		       (unsigned long long)(second_off + second_len),
		       (unsigned long long)body);
		return -EINVAL;
	}
	return 0;
}

int bf_parse_header(const struct bf_env *env, struct bf_io *io,
		    struct bf_sections *sec)
{
	u64 size = env->rd.size;
	struct bf_btf_header h;
	const u8 *c;
	int err = 0;

	if (size < BF_HDR_KNOWN) {
		bf_log(env, "header: blob of %llu bytes is shorter than a header",
		       (unsigned long long)size);
		return -EINVAL;
	}
	if (size > BF_U32_MAX) {
		bf_log(env, "header: blob of %llu bytes is over 4 GiB",
		       (unsigned long long)size);
		return -E2BIG;
	}
	err = bf_io_read(io, 0, &h, sizeof(h));
	if (err)
		return err;
	if (h.magic != BF_BTF_MAGIC) {
		if (h.magic == 0x9FeB)
			bf_log(env, "header: BTF of the other byte order");
		else
			bf_log(env, "header: bad magic 0x%04x", h.magic);
		return h.magic == 0x9FeB ? -EOPNOTSUPP : -EINVAL;
	}
	if (h.version != BF_BTF_VERSION || h.flags) {
		bf_log(env, "header: unsupported version %u flags 0x%x",
		       h.version, h.flags);
		return -EOPNOTSUPP;
	}
	if (h.hdr_len < BF_HDR_KNOWN || h.hdr_len > size) {
		bf_log(env, "header: hdr_len %u outside [%u, %llu]", h.hdr_len,
		       (u32)BF_HDR_KNOWN, (unsigned long long)size);
		return -EINVAL;
	}
	err = bf_check_tail_zero(env, io, BF_HDR_KNOWN, h.hdr_len);
	if (err)
		return err;
	err = bf_check_sections(env, &h, size - h.hdr_len);
	if (err)
		return err;
	if (h.type_off % 4 || h.type_len % 4) {
		bf_log(env, "header: type section not 4-byte aligned");
		return -EINVAL;
	}
	if (!h.str_len) {
		bf_log(env, "header: empty string section");
		return -EINVAL;
	}
	sec->hdr_len = h.hdr_len;
	if (io->align != (h.hdr_len & 3)) {	/* windows filled so far start at 0 */
		int i;

		io->align = h.hdr_len & 3;
		for (i = 0; i < BF_IO_WINDOWS; i++)
			io->w[i].len = 0;
	}
	sec->type_start = h.hdr_len + h.type_off;
	sec->type_end = sec->type_start + h.type_len;
	sec->str_start = h.hdr_len + h.str_off;
	sec->str_len = h.str_len;

	c = bf_io_ptr(io, sec->str_start, 1, &err);
	if (!c)
		return err;
	if (*c) {
		bf_log(env, "header: string section does not start with NUL");
		return -EINVAL;
	}
	c = bf_io_ptr(io, sec->str_start + sec->str_len - 1, 1, &err);
	if (!c)
		return err;
	if (*c) {
		bf_log(env, "header: string section does not end with NUL");
		return -EINVAL;
	}
	return 0;
}
