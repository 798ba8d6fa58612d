// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM benchmark (make bench-vm): per-query latency of the module for the
 * DESIGN.md root sets, streaming and with the index kept (cache_blob off
 * and on), against libbpf's btf__load_vmlinux_btf() in the same VM; the
 * kept index's bytes per type, and on a sorted source (7.0+) also with the
 * name table it then does without; and the peak RSS of an ioctl client, a
 * libbpf client and an empty program.
 * Prints tables; asserts nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <bpf/btf.h>

#include "libbtf_filter.h"
#include "common.h"

#define SYSFS	"/sys/class/misc/btf_filter/"
#define PARAMS	"/sys/module/btf_filter/parameters/"

static const char *const task[] = { "struct task_struct" };
static const char *const common8[] = {
	"struct task_struct", "struct file", "struct inode", "struct dentry",
	"struct sock", "struct sk_buff", "struct mm_struct", "struct cred",
};
static const char *const execsnoop[] = {
	"struct task_struct", "struct trace_event_raw_sys_enter",
	"struct trace_event_raw_sys_exit",
};
static const struct {
	const char *name;
	const char *const *sels;
	int n;
} sets[] = {
	{ "task", task, 1 },
	{ "common8", common8, 8 },
	{ "execsnoop", execsnoop, 3 },
};

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		fprintf(stderr, "# %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int query(int set, __u32 mode, __u32 *size)
{
	BTF_FILTER_OPTS(o, .mode = mode, .backend = BTF_FILTER_BACKEND_KERNEL);
	struct btf_filter_result *r;

	r = btf_filter__query(sets[set].sels, sets[set].n, &o);
	if (!r)
		return -errno;
	btf_filter_result__data(r, size);
	btf_filter_result__free(r);
	return 0;
}

static void latency(const char *cache, int runs)
{
	static double us[1000];
	int s, m, i;

	for (s = 0; s < 3; s++) {
		for (m = 1; m >= 0; m--) {
			__u32 size = 0;

			for (i = 0; i < runs; i++) {
				double t0 = now_s() * 1e6;

				if (query(s, m, &size)) {
					printf("# %s: query failed\n", sets[s].name);
					return;
				}
				us[i] = now_s() * 1e6 - t0;
			}
			qsort(us, runs, sizeof(us[0]), cmp);
			printf("%-10s %-8s %-13s %6d %10.0f %10.0f %9u\n",
			       sets[s].name, m ? "shallow" : "full", cache, runs,
			       us[runs / 2], us[(runs * 99) / 100], size);
		}
	}
}

static void libbpf_latency(int runs)
{
	static double us[100];
	int i;

	for (i = 0; i < runs; i++) {
		double t0 = now_s() * 1e6;
		struct btf *b = btf__load_vmlinux_btf();

		btf__find_by_name_kind(b, "task_struct", BTF_KIND_STRUCT);
		us[i] = now_s() * 1e6 - t0;
		btf__free(b);
	}
	qsort(us, runs, sizeof(us[0]), cmp);
	printf("%-10s %-8s %-13s %6d %10.0f %10.0f %9s\n", "task", "all",
	       "libbpf-load", runs, us[runs / 2], us[(runs * 99) / 100], "-");
}

/* Anonymous types first, then named ones by name, as 7.0+ sorts vmlinux. */
static bool sorted_source(const struct btf *b)
{
	const char *prev = NULL;
	__u32 id, n = btf__type_cnt(b);

	for (id = 1; id < n; id++) {
		const char *name = btf__name_by_offset(b,
					btf__type_by_id(b, id)->name_off);

		if (!name || !name[0]) {
			if (prev)
				return false;
			continue;
		}
		if (prev && strcmp(prev, name) > 0)
			return false;
		prev = name;
	}
	return true;
}

/*
 * The kept index's size per source type; whether the source is sorted
 * (the index then holds no name table unless name_table is set).  Returns
 * true for a sorted source.
 */
static bool index_size(const char *what)
{
	unsigned long long bytes = 0;
	struct btf *b = btf__load_vmlinux_btf();
	__u32 size, nr = b ? btf__type_cnt(b) - 1 : 0;
	bool sorted = b && sorted_source(b);
	char buf[64] = "";
	int fd;

	btf__free(b);

	if (query(0, BTF_FILTER_MODE_SHALLOW, &size))	/* builds it */
		return false;
	fd = open(SYSFS "stats/index_bytes", O_RDONLY);
	if (fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0)
		bytes = strtoull(buf, NULL, 10);
	if (fd >= 0)
		close(fd);
	printf("# %s: %llu bytes for %u types, %.2f B per type; the source is %s\n",
	       what, bytes, nr, nr ? (double)bytes / nr : 0.0,
	       sorted ? "sorted (7.0+)" : "not sorted");
	return sorted;
}

/* Children for the RSS table. */
static int child(const char *what)
{
	if (!strcmp(what, "empty"))
		return 0;
	if (!strcmp(what, "ioctl")) {
		__u32 size;

		return query(0, BTF_FILTER_MODE_SHALLOW, &size) ? 1 : 0;
	}
	if (!strcmp(what, "libbpf")) {
		struct btf *b = btf__load_vmlinux_btf();

		return b && btf__find_by_name_kind(b, "task_struct",
						   BTF_KIND_STRUCT) > 0 ? 0 : 1;
	}
	return 2;
}

static long rss_of(const char *self, const char *what)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, self, what, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	long empty, ioctl_rss, libbpf_rss;

	if (argc > 1)
		return child(argv[1]);
	printf("# btf-filter VM benchmark (TCG: compare ratios, not absolutes)\n");
	printf("%-10s %-8s %-13s %6s %10s %10s %9s\n", "roots", "mode",
	       "cache", "runs", "median_us", "p99_us", "bytes");
	put(SYSFS "index_cached", "0");
	put(PARAMS "cache_blob", "0");
	latency("stream", 5);
	put(SYSFS "index_cached", "1");
	latency("index", 25);
	put(SYSFS "index_cached", "0");
	put(PARAMS "cache_blob", "1");
	put(SYSFS "index_cached", "1");
	latency("index+blob", 25);
	put(SYSFS "index_cached", "0");
	put(PARAMS "cache_blob", "0");
	put(SYSFS "index_cached", "1");
	index_size("index");
	/*
	 * A sorted source (7.0+) keeps no name table: the same index with
	 * the table after all, for what the table costs and buys.
	 */
	put(SYSFS "index_cached", "0");
	put(PARAMS "name_table", "1");
	put(SYSFS "index_cached", "1");
	if (index_size("index+table")) {
		latency("index+table", 25);
		put(SYSFS "index_cached", "0");
		put(PARAMS "name_table", "0");
		put(SYSFS "index_cached", "1");
	}
	libbpf_latency(5);

	empty = rss_of(argv[0], "empty");
	ioctl_rss = rss_of(argv[0], "ioctl");
	libbpf_rss = rss_of(argv[0], "libbpf");
	printf("%-28s %12s %12s\n", "client (static)", "peakRSS_KiB", "over_empty");
	printf("%-28s %12ld %12ld\n", "empty program", empty, 0L);
	printf("%-28s %12ld %12ld\n", "ioctl query task_struct", ioctl_rss,
	       ioctl_rss - empty);
	printf("%-28s %12ld %12ld\n", "libbpf load_vmlinux_btf", libbpf_rss,
	       libbpf_rss - empty);
	return 0;
}
