// SPDX-License-Identifier: GPL-2.0
/*
 * exp-libbpf: the experiment's libbpf loader (make experiment).  Built
 * twice, statically: against bookworm's libbpf 1.1 and, in a sid chroot,
 * against libbpf 1.7.
 *
 * exp-libbpf MODE BACKEND OBJ [SELECTOR...]
 *   MODE empty:   exit at once (the empty process of the same kind)
 *   MODE own:     libbpf finds the kernel's BTF itself (all of vmlinux)
 *   MODE fields:  btf_filter__custom_path() of OBJ (its relocations)
 *   MODE shallow: btf_filter__custom_path() of SELECTORs, shallow mode
 *   BACKEND auto, kernel or user (for fields and shallow)
 *
 * OBJ is selftests/bpf/task.bpf.o: it is opened, target_pid set to this
 * process, loaded and attached; then the time from BTF_FILTER_EXP_T0 (a
 * CLOCK_MONOTONIC time in ns, set by exp-run just before it forked) to
 * "attached" is printed with the size of the BTF libbpf was given and
 * what the program read of this process, for exp-run to check.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "libbtf_filter.h"
#include "bpf_obj.h"
#include "e2e.h"
#include "exp.h"

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "exp-libbpf: %s: %s\n", what, why);
	return 1;
}

int main(int argc, char **argv)
{
	struct task_report rep = { 0 };
	char log[256] = "", *btf = NULL, init[4096], val[4096];
	struct bpf_map *ro, *bss;
	struct bpf_object *obj;
	struct bpf_link *link;
	const void *cur;
	long long t_attached;
	int roff, boff, i, zero = 0, be;
	__u32 pid = getpid();
	size_t sz;
	struct stat st;

	if (argc > 1 && !strcmp(argv[1], "empty"))
		return 0;
	be = argc < 4 ? -EINVAL : btf_filter__backend_from_str(argv[2]);
	if (be < 0) {
		fprintf(stderr, "usage: exp-libbpf empty | own|fields|shallow auto|kernel|user OBJ [SELECTOR...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "fields") || !strcmp(argv[1], "shallow")) {
		bool shallow = argv[1][0] == 's';
		const char *const *objs = (const char *const *)argv + 3;

		BTF_FILTER_OPTS(opts, .backend = be, .log_buf = log,
				.log_size = sizeof(log),
				.mode = shallow ? BTF_FILTER_MODE_SHALLOW : 0);
		btf = btf_filter__custom_path(shallow ? NULL : objs,
					      shallow ? 0 : 1,
					      (const char *const *)argv + 4,
					      argc - 4, &opts);
		if (!btf)
			return fail("btf_filter__custom_path",
				    log[0] ? log : strerror(errno));
	} else if (strcmp(argv[1], "own")) {
		return fail(argv[1], "no such mode");
	}

	LIBBPF_OPTS(bpf_object_open_opts, o, .btf_custom_path = btf);
	obj = bpf_object__open_file(argv[3], &o);
	if (!obj)
		return fail(argv[3], strerror(errno));
	ro = section_map(obj, ".rodata");
	roff = var_offset(obj, ".rodata", "target_pid");
	cur = ro ? bpf_map__initial_value(ro, &sz) : NULL;
	if (!cur || roff < 0 || roff + sizeof(pid) > sz || sz > sizeof(init))
		return fail(argv[3], "no target_pid in .rodata");
	memcpy(init, cur, sz);
	memcpy(init + roff, &pid, sizeof(pid));
	if (bpf_map__set_initial_value(ro, init, sz) || bpf_object__load(obj))
		return fail(argv[3], "load failed");
	link = bpf_program__attach(bpf_object__next_program(obj, NULL));
	if (!link)
		return fail(argv[3], strerror(errno));
	t_attached = exp_since_t0_us();
	st.st_size = 0;
	if (btf && stat(btf, &st))
		return fail(btf, strerror(errno));
	btf_filter__custom_path_free(btf);

	/* every system call from here on is one the program may see */
	bss = section_map(obj, ".bss");
	boff = var_offset(obj, ".bss", "report");
	if (!bss || boff < 0 || boff + sizeof(rep) > sizeof(val) ||
	    bpf_map__value_size(bss) > sizeof(val))
		return fail(argv[3], "no report in .bss");
	for (i = 0; i < 100 && !rep.seen; i++) {
		usleep(10000);
		if (bpf_map_lookup_elem(bpf_map__fd(bss), &zero, val))
			return fail(argv[3], strerror(errno));
		memcpy(&rep, val + boff, sizeof(rep));
	}
	exp_report(t_attached, 0, st.st_size, &rep);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
