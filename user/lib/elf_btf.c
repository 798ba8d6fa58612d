// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Find the .BTF section of an ELF file (a vmlinux, a module, a BPF object)
 * with a few bounded pread() calls, so a query on a 60 MB vmlinux reads
 * only its BTF.  ELF64 and ELF32, little-endian.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

static int bf_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EINVAL;
}

struct bf_shdr {
	uint32_t name;
	uint32_t type;
	uint64_t off;
	uint64_t size;
	uint32_t link;
};

static int bf_read_shdr(int fd, bool is64, uint64_t shoff, uint32_t i,
			struct bf_shdr *s)
{
	int ret;

	if (is64) {
		Elf64_Shdr h;

		ret = bf_pread_all(fd, &h, sizeof(h), shoff + (uint64_t)i * sizeof(h));
		if (ret)
			return ret;
		*s = (struct bf_shdr){ h.sh_name, h.sh_type, h.sh_offset,
				       h.sh_size, h.sh_link };
	} else {
		Elf32_Shdr h;

		ret = bf_pread_all(fd, &h, sizeof(h), shoff + (uint64_t)i * sizeof(h));
		if (ret)
			return ret;
		*s = (struct bf_shdr){ h.sh_name, h.sh_type, h.sh_offset,
				       h.sh_size, h.sh_link };
	}
	return 0;
}

int bf_elf_find_btf(int fd, uint64_t file_size, uint64_t *off,
		    uint64_t *size, char *err, size_t err_sz)
{
	unsigned char ident[EI_NIDENT];
	uint64_t shoff;
	uint32_t shnum, shstrndx, shentsize, i;
	struct bf_shdr strtab, s;
	union {
		Elf64_Ehdr e64;
		Elf32_Ehdr e32;
	} eh;
	bool is64;
	int ret;

	ret = bf_pread_all(fd, ident, sizeof(ident), 0);
	if (ret)
		goto bad;
	if (ident[EI_DATA] != ELFDATA2LSB ||
	    (ident[EI_CLASS] != ELFCLASS64 && ident[EI_CLASS] != ELFCLASS32)) {
		snprintf(err, err_sz, "ELF: only little-endian ELF32/ELF64 is supported");
		return -EOPNOTSUPP;
	}
	is64 = ident[EI_CLASS] == ELFCLASS64;
	/* The same fields in both classes: read the one the file has. */
	ret = bf_pread_all(fd, &eh, is64 ? sizeof(eh.e64) : sizeof(eh.e32), 0);
#define BF_EH(f)	(is64 ? eh.e64.f : eh.e32.f)
	shoff = BF_EH(e_shoff);
	shnum = BF_EH(e_shnum);
	shstrndx = BF_EH(e_shstrndx);
	shentsize = BF_EH(e_shentsize);
#undef BF_EH
	if (ret || !shoff ||
	    shentsize != (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)))
		goto bad;
	/* Many sections: the real counts live in section header 0. */
	if (!shnum || shstrndx == SHN_XINDEX) {
		ret = bf_read_shdr(fd, is64, shoff, 0, &s);
		if (ret)
			goto bad;
		if (!shnum)
			shnum = s.size;
		if (shstrndx == SHN_XINDEX)
			shstrndx = s.link;
	}
	if (shstrndx >= shnum || shoff > file_size ||
	    (file_size - shoff) / shentsize < shnum)
		goto bad;
	ret = bf_read_shdr(fd, is64, shoff, shstrndx, &strtab);
	if (ret || strtab.off > file_size || file_size - strtab.off < strtab.size)
		goto bad;
	for (i = 1; i < shnum; i++) {
		char name[6] = { 0 };
		uint64_t n = 5;

		ret = bf_read_shdr(fd, is64, shoff, i, &s);
		if (ret)
			goto bad;
		if (s.name >= strtab.size)
			continue;
		if (strtab.size - s.name < n)
			n = strtab.size - s.name;
		ret = bf_pread_all(fd, name, n, strtab.off + s.name);
		if (ret)
			goto bad;
		if (memcmp(name, ".BTF", 5))
			continue;
		if (s.type == SHT_NOBITS || s.off > file_size ||
		    file_size - s.off < s.size)
			goto bad;
		*off = s.off;
		*size = s.size;
		return 0;
	}
	snprintf(err, err_sz, "ELF file has no .BTF section");
	return -ENOENT;
bad:
	snprintf(err, err_sz, "malformed ELF file (section headers out of bounds)");
	return ret && ret != -EINVAL ? ret : -EINVAL;
}
