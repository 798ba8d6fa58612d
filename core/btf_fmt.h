/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The BTF on-disk format, as core/ reads and writes it.  Defined here with
 * a bf_ prefix so that core/ depends on no particular <linux/btf.h>: the
 * kernels and libcs we build against disagree on which kinds they know.
 */
#ifndef BF_BTF_FMT_H
#define BF_BTF_FMT_H

#include "bf_shim.h"

#define BF_BTF_MAGIC		0xeB9F
#define BF_BTF_VERSION		1

/*
 * The header as 7.1+ kernels know it.  The first BF_HDR_V1_LEN bytes are
 * the header every kernel knows, and the only one core/ writes; a header
 * of at least sizeof(struct bf_btf_header) bytes may add a layout section.
 */
struct bf_btf_header {
	u16 magic;
	u8 version;
	u8 flags;
	u32 hdr_len;
	u32 type_off;	/* relative to the end of the header */
	u32 type_len;
	u32 str_off;	/* relative to the end of the header */
	u32 str_len;
	u32 layout_off;	/* relative to the end of the header */
	u32 layout_len;
};

#define BF_HDR_V1_LEN	24	/* up to str_len */

/*
 * One entry of the layout section per kind the encoder knew, by kind: the
 * bytes after the head, then the bytes of each of the vlen entries.
 */
struct bf_btf_layout {
	u8 info_sz;
	u8 elem_sz;
	u16 flags;
};

#define BF_KIND_BITS	7	/* 7.1+: kind is bits 24-30 of info */
#define BF_NR_KINDS	(1U << BF_KIND_BITS)

enum {
	BF_KIND_UNKN = 0,
	BF_KIND_INT = 1,
	BF_KIND_PTR = 2,
	BF_KIND_ARRAY = 3,
	BF_KIND_STRUCT = 4,
	BF_KIND_UNION = 5,
	BF_KIND_ENUM = 6,
	BF_KIND_FWD = 7,
	BF_KIND_TYPEDEF = 8,
	BF_KIND_VOLATILE = 9,
	BF_KIND_CONST = 10,
	BF_KIND_RESTRICT = 11,
	BF_KIND_FUNC = 12,
	BF_KIND_FUNC_PROTO = 13,
	BF_KIND_VAR = 14,
	BF_KIND_DATASEC = 15,
	BF_KIND_FLOAT = 16,
	BF_KIND_DECL_TAG = 17,
	BF_KIND_TYPE_TAG = 18,
	BF_KIND_ENUM64 = 19,
	BF_KIND_MAX = BF_KIND_ENUM64,
};

/* The common 12-byte record head; "size" is "type" for referring kinds. */
struct bf_btf_type {
	u32 name_off;
	u32 info;	/* vlen 0-23, kind 24-30, kind_flag 31 */
	u32 size_type;
};

/*
 * The widths of 7.1+ kernels.  Before 7.1, bits 16-23 and 29-30 had to be
 * zero, so a BTF of an older kernel reads the same either way.
 */
static inline u32 bf_info_kind(u32 info)
{
	return (info >> 24) & (BF_NR_KINDS - 1);
}

static inline u32 bf_info_vlen(u32 info)
{
	return info & 0xffffff;
}

static inline u32 bf_kind(const struct bf_btf_type *t)
{
	return bf_info_kind(t->info);
}

static inline u32 bf_vlen(const struct bf_btf_type *t)
{
	return bf_info_vlen(t->info);
}

static inline bool bf_kind_known(u32 kind)
{
	return kind != BF_KIND_UNKN && kind <= BF_KIND_MAX;
}

/* kind's bit in a mask of kinds (selectors name only known kinds). */
static inline u32 bf_kind_bit(u32 kind)
{
	return kind <= BF_KIND_MAX ? 1U << kind : 0;
}

static inline bool bf_kflag(const struct bf_btf_type *t)
{
	return t->info >> 31;
}

static inline u32 bf_info(u32 kind, bool kflag, u32 vlen)
{
	return (kflag ? 1U << 31 : 0) | (kind << 24) | vlen;
}

/* Kind-specific data following the head. */
struct bf_btf_array {
	u32 type;
	u32 index_type;
	u32 nelems;
};

struct bf_btf_member {
	u32 name_off;
	u32 type;
	u32 offset;
};

struct bf_btf_enum {
	u32 name_off;
	s32 val;
};

struct bf_btf_enum64 {
	u32 name_off;
	u32 val_lo32;
	u32 val_hi32;
};

struct bf_btf_param {
	u32 name_off;
	u32 type;
};

struct bf_btf_var_secinfo {
	u32 type;
	u32 offset;
	u32 size;
};

/*
 * Layout of one kind's trailing data: a fixed part of "fixed" bytes, then
 * vlen entries of "elem" bytes.  Within each entry (or the fixed part),
 * the u32 words at index "ref" (bitmask) are type IDs and at "str" are
 * string offsets.  The one table every walk in core/ is driven by.
 */
struct bf_kind_layout {
	u8 fixed;
	u8 elem;
	u8 fixed_refs;	/* bitmask of u32 words of the fixed part */
	u8 elem_refs;	/* bitmask of u32 words of each entry */
	u8 elem_strs;	/* bitmask of u32 words of each entry */
	u8 head_ref;	/* size_type of the head is a type ID */
};

extern const struct bf_kind_layout bf_kind_layouts[BF_KIND_MAX + 1];

#endif /* BF_BTF_FMT_H */
