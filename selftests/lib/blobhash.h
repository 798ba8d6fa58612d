/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 64-bit FNV-1a digest of a result (blob, then ID map), so the host can
 * hand the VM the userspace backend's answers for hundreds of queries
 * without shipping the blobs.
 */
#ifndef BTF_FILTER_BLOBHASH_H
#define BTF_FILTER_BLOBHASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t blobhash(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

#define BLOBHASH_INIT	0xcbf29ce484222325ULL

#endif /* BTF_FILTER_BLOBHASH_H */
