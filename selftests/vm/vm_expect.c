// SPDX-License-Identifier: GPL-2.0
/*
 * vm_expect BTF NSETS SEED: on the host, run NSETS random selector sets in
 * both modes through the userspace backend over BTF (the very vmlinux BTF
 * the VM's kernel serves) and print what the VM's kernel must answer:
 *
 *   btf SIZE DIGEST
 *   MODE FLAGS DIGEST SIZE<TAB>SEL<TAB>SEL...
 *
 * DIGEST is blobhash() of the blob and then the ID map.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>

#include "libbtf_filter.h"
#include "randsel.h"
#include "blobhash.h"

#define FIELDS_SETS 100

int main(int argc, char **argv)
{
	unsigned long long size, h;
	unsigned int seed;
	struct btf *src;
	__u32 *named, nr_named;
	int nsets, i, mode;

	if (argc != 4) {
		fprintf(stderr, "usage: vm_expect BTF NSETS SEED\n");
		return 2;
	}
	nsets = atoi(argv[2]);
	seed = strtoul(argv[3], NULL, 0);
	src = btf__parse_raw(argv[1]);
	if (!src || blobhash_file(argv[1], &size, &h)) {
		fprintf(stderr, "vm_expect: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	named = calloc(btf__type_cnt(src), sizeof(*named));
	nr_named = randsel_names(src, named);
	printf("btf %llu %llx\n", size, h);
	for (i = 0; i < nsets; i++) {
		/* fields mode for the first FIELDS_SETS sets only */
		for (mode = 0; mode < (i < FIELDS_SETS ? 3 : 2); mode++) {
			char buf[5][600];
			const char *sels[5];
			BTF_FILTER_OPTS(o, .source = argv[1], .mode = mode,
					.backend = BTF_FILTER_BACKEND_USER,
					.flags = BTF_FILTER_F_ID_MAP |
						 BTF_FILTER_F_ALLOW_MISSING);
			struct btf_filter_result *r;
			int n = 1 + rand_r(&seed) % 5, k;
			bool missing = false;
			const void *data;
			const __u32 *map;
			__u32 sz, nr;

			for (k = 0; k < n; k++) {
				if (mode == BTF_FILTER_MODE_FIELDS)
					randsel_path(src, &seed, buf[k],
						     sizeof(buf[k]), &missing);
				else
					randsel_one(src, named, nr_named, &seed,
						    buf[k], sizeof(buf[k]),
						    &missing);
				sels[k] = buf[k];
			}
			r = btf_filter__query(sels, n, &o);
			if (!r) {
				fprintf(stderr, "vm_expect: set %d: %s\n", i,
					strerror(errno));
				return 1;
			}
			data = btf_filter_result__data(r, &sz);
			map = btf_filter_result__id_map(r, &nr);
			h = blobhash(blobhash(BLOBHASH_INIT, data, sz), map,
				     nr * sizeof(*map));
			printf("%d %u %llx %u", mode, o.flags, h, sz);
			for (k = 0; k < n; k++)
				printf("\t%s", sels[k]);
			printf("\n");
			btf_filter_result__free(r);
		}
	}
	btf__free(src);
	free(named);
	return 0;
}
