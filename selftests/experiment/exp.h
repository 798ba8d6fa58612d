/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the experiment's C loaders share: the clock they are timed by and
 * the lines they report, which exp-run reads (the Go loader,
 * examples/cilium-ebpf with -stats, prints the same lines).
 */
#ifndef BTF_FILTER_EXP_H
#define BTF_FILTER_EXP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* BTF_FILTER_EXP_T0: CLOCK_MONOTONIC in ns, just before exp-run forked. */
static inline long long exp_since_t0_us(void)
{
	const char *t0 = getenv("BTF_FILTER_EXP_T0");
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!t0)
		return -1;
	return (ts.tv_sec * 1000000000LL + ts.tv_nsec - atoll(t0)) / 1000;
}

#define EXP_STR(a) (int)strnlen((a), sizeof(a)), (a)

/* The lines exp-run reads (selftests/experiment/exp_run.c). */
static inline void exp_report(long long attached_us, long long total_alloc,
			      long long btf_bytes,
			      const struct task_report *rep)
{
	printf("attached_us %lld\ntotal_alloc %lld\nbtf_bytes %lld\n",
	       attached_us, total_alloc, btf_bytes);
	printf("seen %u\nself %d\npid %u\nppid %u\ncomm %.*s\nexe %.*s\n",
	       rep->seen, (int)getpid(), rep->pid, rep->ppid,
	       EXP_STR(rep->comm), EXP_STR(rep->exe));
	fflush(stdout);
}

#endif /* BTF_FILTER_EXP_H */
