// SPDX-License-Identifier: GPL-2.0
/*
 * bench_run N COMMAND...: run COMMAND N times and print
 * "MEDIAN_MS P90_MS MEDIAN_MAXRSS_KIB"; wall time from fork to reaped exit,
 * peak RSS from wait4()'s rusage.  Fails if any run fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0, i;
	double *ms, *rss;

	if (n < 1) {
		fprintf(stderr, "usage: bench_run N COMMAND...\n");
		return 2;
	}
	ms = calloc(n, sizeof(*ms));
	rss = calloc(n, sizeof(*rss));
	for (i = 0; i < n; i++) {
		double t0 = now_s();
		struct rusage ru;
		int status;
		pid_t pid;

		pid = fork();
		if (pid == 0) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "bench_run: %s failed\n", argv[2]);
			return 1;
		}
		ms[i] = (now_s() - t0) * 1e3;
		rss[i] = ru.ru_maxrss;
	}
	qsort(ms, n, sizeof(*ms), cmp_double);
	qsort(rss, n, sizeof(*rss), cmp_double);
	printf("%.2f %.2f %.0f\n", ms[n / 2], ms[(n * 9) / 10], rss[n / 2]);
	return 0;
}
