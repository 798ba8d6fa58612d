// SPDX-License-Identifier: GPL-2.0
/*
 * exp-lskel: the experiment's light skeleton loader (make experiment).
 * task.lskel.h is `bpftool gen skeleton -L` of selftests/bpf/task.bpf.o:
 * a loader program that the kernel runs, which gives BPF_PROG_LOAD the
 * object's CO-RE relocations for the kernel to apply against its own BTF
 * (5.17+).  This process parses no BTF and links no libbpf.
 *
 * exp-lskel empty | load: as exp-libbpf (selftests/experiment/exp_libbpf.c).
 * exp-lskel hold: attach for no process and stay until killed (see
 * experiment.sh: why the experiment keeps two such programs attached).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>

#include "e2e.h"
#include "task.lskel.h"
#include "exp.h"

int main(int argc, char **argv)
{
	struct task *skel;
	long long t_attached;
	int i;

	if (argc == 2 && !strcmp(argv[1], "empty"))
		return 0;
	if (argc != 2 || (strcmp(argv[1], "load") && strcmp(argv[1], "hold"))) {
		fprintf(stderr, "usage: exp-lskel empty|load|hold\n");
		return 2;
	}
	skel = task__open();
	if (!skel) {
		fprintf(stderr, "exp-lskel: open: %s\n", strerror(errno));
		return 1;
	}
	/* no process has pid 0: a held program reports nothing */
	skel->rodata->target_pid = strcmp(argv[1], "hold") ? getpid() : 0;
	if (task__load(skel) || task__attach(skel)) {
		fprintf(stderr, "exp-lskel: load and attach: %s\n",
			strerror(errno));
		return 1;
	}
	t_attached = exp_since_t0_us();
	if (!strcmp(argv[1], "hold")) {
		printf("held\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	/* the program's .bss is mapped here: poll it between system calls */
	for (i = 0; i < 100 && !((volatile struct task_report *)&skel->bss->report)->seen; i++)
		usleep(10000);
	exp_report(t_attached, 0, 0, &skel->bss->report);
	task__destroy(skel);
	return 0;
}
