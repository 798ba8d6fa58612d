/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BTF in the format of 7.1+ kernels, made by the tests from BTF in the old
 * one: the 32-byte header and the layout section, placed where asked.
 */
#ifndef BTF_FILTER_BTF_LAYOUT_H
#define BTF_FILTER_BTF_LAYOUT_H

#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "core_env.h"

/* The 7.1+ header and layout entry, as the kernel's uapi defines them. */
struct hdr32 {
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 type_off, type_len;
	__u32 str_off, str_len;
	__u32 layout_off, layout_len;
};

struct lay {
	__u8 info_sz;
	__u8 elem_sz;
	__u16 flags;
};

#define NR_STD_KINDS	20	/* UNKN .. ENUM64 */

/* The layout of every kind up to ENUM64, from the kernel's documentation. */
static inline void std_layout(struct lay *l, int n)
{
	memset(l, 0, n * sizeof(*l));
	l[BTF_KIND_INT].info_sz = 4;
	l[BTF_KIND_ARRAY].info_sz = 12;
	l[BTF_KIND_STRUCT].elem_sz = 12;
	l[BTF_KIND_UNION].elem_sz = 12;
	l[BTF_KIND_ENUM].elem_sz = 8;
	l[BTF_KIND_FUNC_PROTO].elem_sz = 8;
	l[BTF_KIND_VAR].info_sz = 4;
	l[BTF_KIND_DATASEC].elem_sz = 12;
	l[BTF_KIND_DECL_TAG].info_sz = 4;
	l[19].elem_sz = 12;	/* ENUM64 */
}

enum where { LAY_NONE, LAY_MID, LAY_END };

/*
 * raw (a BTF with a 24-byte header, types then strings) laid out again:
 * xtypes appended to its types and xstrs to its strings (offsets from the
 * old string section's length), the layout where says, behind a header of
 * hdr_len bytes (>= 32 with a layout).
 */
static inline struct blob relayout(const unsigned char *raw, const void *xtypes,
			    __u32 xtlen, const char *xstrs, __u32 xslen,
			    const struct lay *l, __u32 nr_l, enum where where,
			    __u32 hdr_len)
{
	const struct btf_header *old = (const void *)raw;
	__u32 tl = old->type_len + xtlen, sl = old->str_len + xslen;
	__u32 ll = where == LAY_NONE ? 0 : nr_l * sizeof(*l), pad = 0;
	struct hdr32 h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = hdr_len,
		.type_len = tl, .str_len = sl,
	};
	struct blob b;
	unsigned char *p;

	if (where == LAY_END)
		pad = (4 - (tl + sl) % 4) % 4;	/* NULs: still a string end */
	h.str_len += pad;
	h.str_off = where == LAY_MID ? tl + ll : tl;
	if (ll) {
		h.layout_off = where == LAY_MID ? tl : tl + h.str_len;
		h.layout_len = ll;
	}
	b.size = hdr_len + tl + h.str_len + ll;
	b.data = p = calloc(1, b.size);
	memcpy(p, &h, hdr_len < sizeof(h) ? hdr_len : sizeof(h));
	p += hdr_len;
	memcpy(p + h.type_off, raw + old->hdr_len + old->type_off,
	       old->type_len);
	if (xtlen)
		memcpy(p + h.type_off + old->type_len, xtypes, xtlen);
	memcpy(p + h.str_off, raw + old->hdr_len + old->str_off, old->str_len);
	if (xslen)
		memcpy(p + h.str_off + old->str_len, xstrs, xslen);
	if (ll)
		memcpy(p + h.layout_off, l, ll);
	return b;
}

#endif /* BTF_FILTER_BTF_LAYOUT_H */
