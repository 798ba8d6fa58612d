// SPDX-License-Identifier: GPL-2.0
/*
 * Write the fuzzer's seed corpus: each synthetic blob with a few choices
 * of the two control bytes.  Usage: gen_corpus DIR
 */
#include <stdio.h>
#include <bpf/btf.h>

#include "synth.h"

int main(int argc, char **argv)
{
	static const unsigned char ctl[][2] = {
		{ 0x06, 0x01 }, { 0x07, 0x02 }, { 0x02, 0xff }, { 0x03, 0x50 },
		{ 0x0e, 0xff }, { 0x0a, 0x0b },		/* fields mode */
	};
	struct btf *(*const build[])(void) = {
		build_every_kind, build_recursive, build_typedef_cycle,
	};
	unsigned int i, k;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	for (i = 0; i < sizeof(build) / sizeof(build[0]); i++) {
		struct btf *b = build[i]();
		__u32 size;
		const void *raw = btf__raw_data(b, &size);

		for (k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++) {
			char path[4096];
			FILE *f;

			snprintf(path, sizeof(path), "%s/seed-%u-%u", argv[1], i, k);
			f = fopen(path, "wb");
			if (!f || fwrite(ctl[k], 1, 2, f) != 2 ||
			    fwrite(raw, 1, size, f) != size || fclose(f)) {
				perror(path);
				return 1;
			}
		}
		btf__free(b);
	}
	return 0;
}
