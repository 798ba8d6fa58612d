// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline: what a CO-RE tool does today.  libbpf loads the whole
 * vmlinux BTF, then the roots are looked up by name.
 * Usage: bench_libbpf STRUCT...
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

int main(int argc, char **argv)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int i, found = 0;

	if (!btf) {
		fprintf(stderr, "bench_libbpf: %s\n", strerror(errno));
		return 1;
	}
	for (i = 1; i < argc; i++)
		found += btf__find_by_name_kind(btf, argv[i],
						BTF_KIND_STRUCT) > 0;
	btf__free(btf);
	return found == argc - 1 ? 0 : 1;
}
