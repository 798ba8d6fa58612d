// SPDX-License-Identifier: GPL-2.0
/*
 * exp-run [-e] LOADER ARG...: run one of the experiment's loaders once and
 * print one line, "MS PEAK_RSS_KIB TOTAL_ALLOC BTF_BYTES OK":
 *   MS           the loader's time from just before the fork to its
 *                program attached (its attached_us line);
 *   PEAK_RSS_KIB wait4()'s ru_maxrss of the loader;
 *   TOTAL_ALLOC  Go's runtime.MemStats.TotalAlloc at that point (0 in C);
 *   BTF_BYTES    the size of the BTF the loader was given (0: its own);
 *   OK           1 when the program read this process's child right:
 *                its pid, its parent's (ours), its name and its
 *                executable's name, as the end-to-end tests check; else 0.
 * With -e the loader is the empty process of its kind: MS is fork to
 * reaped exit, and the other fields are 0 and 1.
 * Exit status: 0, or 1 when the loader failed (its stderr passes through).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The value of "key value" in out, or NULL. */
static const char *field(char *out, const char *key, char *val, size_t n)
{
	size_t kl = strlen(key);
	char *p = out;

	while (p && *p) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > kl && !strncmp(p, key, kl) && p[kl] == ' ') {
			len -= kl + 1;
			if (len >= n)
				len = n - 1;
			memcpy(val, p + kl + 1, len);
			val[len] = 0;
			return val;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static long long num(char *out, const char *key)
{
	char v[32];

	return field(out, key, v, sizeof(v)) ? atoll(v) : -1;
}

int main(int argc, char **argv)
{
	int empty = argc > 1 && !strcmp(argv[1], "-e"), fds[2], status;
	char out[8192], path[PATH_MAX], comm[16], v[PATH_MAX];
	char **cmd = argv + 1 + empty, t0[32];
	long long ms_us, start;
	size_t n = 0;
	struct rusage ru;
	ssize_t got;
	pid_t pid;
	int ok;

	if (argc < 2 + empty) {
		fprintf(stderr, "usage: exp-run [-e] LOADER ARG...\n");
		return 2;
	}
	if (!realpath(cmd[0], path) || pipe(fds))
		return perror(cmd[0]), 1;
	start = now_ns();
	snprintf(t0, sizeof(t0), "%lld", start);
	setenv("BTF_FILTER_EXP_T0", t0, 1);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(path, cmd);
		_exit(127);
	}
	close(fds[1]);
	while (pid > 0 && n < sizeof(out) - 1 &&
	       ((got = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0 ||
		(got < 0 && errno == EINTR)))
		n += got > 0 ? got : 0;
	out[n] = 0;
	close(fds[0]);
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "exp-run: %s failed\n", cmd[0]);
		return 1;
	}
	if (empty) {
		printf("%.2f %ld 0 0 1\n", (now_ns() - start) / 1e6, ru.ru_maxrss);
		return 0;
	}
	ms_us = num(out, "attached_us");
	/* the kernel's comm: the name exec gave it, cut to 15 bytes */
	snprintf(comm, sizeof(comm), "%s", basename(path));
	ok = num(out, "seen") == 1 && num(out, "self") == pid &&
	     num(out, "pid") == pid && num(out, "ppid") == getpid() &&
	     field(out, "comm", v, sizeof(v)) && !strcmp(v, comm) &&
	     field(out, "exe", v, sizeof(v)) && !strcmp(v, basename(path));
	if (!ok || ms_us < 0)
		fprintf(stderr, "exp-run: %s read wrong values (pid %d, ours %d):\n%s",
			cmd[0], (int)pid, (int)getpid(), out);
	printf("%.2f %ld %lld %lld %d\n", ms_us / 1e3, ru.ru_maxrss,
	       num(out, "total_alloc"), num(out, "btf_bytes"), ok && ms_us >= 0);
	return 0;
}
