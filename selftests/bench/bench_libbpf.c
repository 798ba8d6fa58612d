// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline: what a CO-RE tool does today.  libbpf loads the whole
 * vmlinux BTF, then the roots are looked up by name.
 * Usage: bench_libbpf STRUCT...
 * With BENCH_PRINT_MS in the environment, it also prints the milliseconds
 * the load and the lookups took, in process, as "load_ms X" on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/btf.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double t0 = now_ms();
	struct btf *btf = btf__load_vmlinux_btf();
	int i, found = 0;

	if (!btf) {
		fprintf(stderr, "bench_libbpf: %s\n", strerror(errno));
		return 1;
	}
	for (i = 1; i < argc; i++)
		found += btf__find_by_name_kind(btf, argv[i],
						BTF_KIND_STRUCT) > 0;
	if (getenv("BENCH_PRINT_MS"))
		fprintf(stderr, "load_ms %.3f\n", now_ms() - t0);
	btf__free(btf);
	return found == argc - 1 ? 0 : 1;
}
