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
#include <stdio.h>

static inline uint64_t blobhash(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

#define BLOBHASH_INIT	0xcbf29ce484222325ULL

/* The digest and size of the file at path: 0, or -1 if it cannot be read. */
static inline int blobhash_file(const char *path, unsigned long long *size,
				unsigned long long *h)
{
	unsigned char buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	*size = 0;
	*h = BLOBHASH_INIT;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		*h = blobhash(*h, buf, n);
		*size += n;
	}
	fclose(f);
	return 0;
}

#endif /* BTF_FILTER_BLOBHASH_H */
