/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* Where the library's BTF comes from: a file (raw or ELF .BTF) or memory. */
#ifndef BTF_FILTER_SOURCE_H
#define BTF_FILTER_SOURCE_H

#include <stdint.h>
#include <stddef.h>

struct bf_source {
	int fd;			/* -1 for memory */
	const uint8_t *mem;	/* memory, or the file mapped: read in place */
	size_t map_len;		/* bytes mapped at mem, 0 if not mapped */
	uint64_t base;		/* offset of the BTF within the file */
	uint64_t size;
	uint64_t reads;
};

/*
 * Open path as raw BTF or as an ELF file with a .BTF section.  Raw BTF
 * that sysfs has at /sys/kernel/btf/ (vmlinux since 6.16) is mapped and
 * read in place where the kernel allows it, as libbpf 1.6+ does; every
 * other file is read with pread(), because a file that another process
 * truncates would fault a mapping of it, and another sysfs file may map
 * device memory.  Returns 0 or a negative errno, writing a line
 * about it to err (of err_sz bytes).
 */
int bf_source_open(struct bf_source *src, const char *path, char *err,
		   size_t err_sz);
void bf_source_close(struct bf_source *src);
int bf_source_read(void *ctx, uint64_t off, void *buf, uint32_t len);
/* For sources in memory (src->mem) only. */
const void *bf_source_ptr(void *ctx, uint64_t off, uint32_t len);

/*
 * Find the .BTF section of the ELF file on fd: 0 and its offset and size,
 * -ENOENT if there is none, -EINVAL if the ELF is malformed.
 */
int bf_elf_find_btf(int fd, uint64_t file_size, uint64_t *off,
		    uint64_t *size, char *err, size_t err_sz);

#endif /* BTF_FILTER_SOURCE_H */
