// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over core/ through the library's in-memory entry point.
 * Input: byte 0 picks mode and flags, byte 1 which selectors to ask for
 * (member paths in fields mode), the rest is the BTF blob.  Crashes, leaks, hangs, and undefined behaviour
 * are the findings; refusals are expected.
 */
#include <stdint.h>
#include <stddef.h>

#include "libbtf_filter.h"

static const char *const all_sels[] = {
	"holder", "node", "#1", "#3", "struct bits", "link_t", "s", "#20",
};

static const char *const all_paths[] = {
	"holder.u.x", "node.next.peer.back", "bits.b", "enum color.BLUE",
	"holder.o", "node.peer", "u.y", "holder",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *sels[8];
	BTF_FILTER_OPTS(opts);
	struct btf_filter_result *r;
	size_t n = 0, i;

	if (size < 2)
		return 0;
	opts.mode = data[0] & 8 ? BTF_FILTER_MODE_FIELDS : data[0] & 1;
	if (data[0] & 2)
		opts.flags |= BTF_FILTER_F_ALLOW_MISSING;
	if (data[0] & 4)
		opts.flags |= BTF_FILTER_F_ID_MAP;
	for (i = 0; i < 8; i++)
		if (data[1] & (1U << i))
			sels[n++] = data[0] & 8 ? all_paths[i] : all_sels[i];
	if (!n)
		sels[n++] = all_sels[0];
	r = btf_filter__query_mem(data + 2, size - 2, sels, n, &opts);
	btf_filter_result__free(r);
	return 0;
}
