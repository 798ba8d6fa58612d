// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The kind layout table: for each kind, how its trailing data is shaped and
 * which of its u32 words are type IDs or string offsets.  Every walk over a
 * record (validation, closure, emit) is driven by this one table.
 */
#include "btf_fmt.h"

#define W(n)	(1U << (n))

const struct bf_kind_layout bf_kind_layouts[BF_KIND_MAX + 1] = {
	[BF_KIND_INT]		= { .fixed = 4 },
	[BF_KIND_PTR]		= { .head_ref = 1 },
	[BF_KIND_ARRAY]		= { .fixed = 12, .fixed_refs = W(0) | W(1) },
	[BF_KIND_STRUCT]	= { .elem = 12, .elem_refs = W(1),
				    .elem_strs = W(0) },
	[BF_KIND_UNION]		= { .elem = 12, .elem_refs = W(1),
				    .elem_strs = W(0) },
	[BF_KIND_ENUM]		= { .elem = 8, .elem_strs = W(0) },
	[BF_KIND_FWD]		= { 0 },
	[BF_KIND_TYPEDEF]	= { .head_ref = 1 },
	[BF_KIND_VOLATILE]	= { .head_ref = 1 },
	[BF_KIND_CONST]		= { .head_ref = 1 },
	[BF_KIND_RESTRICT]	= { .head_ref = 1 },
	[BF_KIND_FUNC]		= { .head_ref = 1 },
	[BF_KIND_FUNC_PROTO]	= { .elem = 8, .elem_refs = W(1),
				    .elem_strs = W(0), .head_ref = 1 },
	[BF_KIND_VAR]		= { .fixed = 4, .head_ref = 1 },
	[BF_KIND_DATASEC]	= { .elem = 12, .elem_refs = W(0) },
	[BF_KIND_FLOAT]		= { 0 },
	[BF_KIND_DECL_TAG]	= { .fixed = 4, .head_ref = 1 },
	[BF_KIND_TYPE_TAG]	= { .head_ref = 1 },
	[BF_KIND_ENUM64]	= { .elem = 12, .elem_strs = W(0) },
};
