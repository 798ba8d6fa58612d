// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM fault injection, under the debug kernel (make debug-kernel:
 * CONFIG_FAILSLAB, FAIL_PAGE_ALLOC, FAULT_INJECTION_DEBUG_FS).  Every command and
 * closure mode, with the kept index and without, and the build of that
 * index, runs with one allocation made to fail, for each allocation of the
 * call in turn (/proc/thread-self/fail-nth):
 *
 *   all   every injection point the task reaches in the call: the
 *         module's own, and every slab and page allocation (failslab
 *         and fail_page_alloc armed for sleeping, order-0 and highmem
 *         ones), the module's and the kernel's under it (the
 *         sysfs read of the BTF, vmalloc behind kvmalloc), for the calls
 *         that do not read the whole BTF;
 *   own   every allocation of the module itself (the module's own
 *         injector, debugfs fail_btf_filter), for every call, the
 *         whole-BTF reads included;
 *
 * and then at random, with task-filter and /proc/self/make-it-fail, at
 * rising probabilities.  Every call must give the right answer (what the
 * userspace backend makes of the same BTF) or fail with ENOMEM, and the
 * module must still answer right, and unload, afterwards; the VM's init
 * then has kmemleak scan for anything left behind.  The places that failed
 * are read back from the kernel log (the injector's stack dumps) and
 * counted.  Skips on a kernel without fault injection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "common.h"
#include "vm_module.h"
#include "libbtf_filter.h"

#define DBG		"/sys/kernel/debug/"
#define SYSFS		"/sys/class/misc/btf_filter/"
#define PARAMS		"/sys/module/btf_filter/parameters/"
#define RES_MAX		(4 << 20)
#define MAP_MAX		(1 << 18)
#define MAX_SITES	512

/* One kind of call, as a user makes it. */
struct fcase {
	const char *name;
	bool info;		/* BTF_FILTER_IOC_INFO instead of a query */
	__u32 mode;
	__u32 flags;
	const char *sels[4];	/* NULL-terminated */
	const char *cached;	/* index_cached */
	const char *blob;	/* cache_blob */
	bool build;		/* drop the kept index first: the call builds it */
	__u32 buf_len;		/* 0: RES_MAX */
	int want_err;		/* 0, or the errno a sound call gives */
	bool all;		/* also step every slab and page allocation */
};

static const struct fcase cases[] = {
	{ "shallow, kept index", false, BTF_FILTER_MODE_SHALLOW,
	  BTF_FILTER_F_ID_MAP, { "task_struct", "struct file" }, "1", "0",
	  false, 0, 0, true },
	{ "fields, kept index", false, BTF_FILTER_MODE_FIELDS, 0,
	  { "task_struct.pid", "task_struct.real_parent",
	    "enum pid_type.PIDTYPE_TGID" }, "1", "0", false, 0, 0, true },
	{ "full, kept index, missing allowed", false, BTF_FILTER_MODE_FULL,
	  BTF_FILTER_F_ALLOW_MISSING | BTF_FILTER_F_ID_MAP,
	  { "struct list_head", "no_such_type_bf", "#1" }, "1", "0", false,
	  0, 0, true },
	{ "shallow, buffer too small", false, BTF_FILTER_MODE_SHALLOW, 0,
	  { "task_struct" }, "1", "0", false, 64, EMSGSIZE, true },
	{ "missing selector", false, BTF_FILTER_MODE_SHALLOW, 0,
	  { "no_such_type_bf" }, "1", "0", false, 0, ENOENT, true },
	{ "info", true, 0, 0, { NULL }, "1", "0", false, 0, 0, true },
	{ "shallow, cache_blob", false, BTF_FILTER_MODE_SHALLOW, 0,
	  { "task_struct" }, "1", "1", false, 0, 0, true },
	{ "shallow, no kept index", false, BTF_FILTER_MODE_SHALLOW,
	  BTF_FILTER_F_ID_MAP, { "task_struct", "struct file" }, "0", "0",
	  false, 0, 0, false },
	{ "fields, no kept index", false, BTF_FILTER_MODE_FIELDS, 0,
	  { "task_struct.pid", "enum pid_type.PIDTYPE_TGID" }, "0", "0",
	  false, 0, 0, false },
	{ "index build", false, BTF_FILTER_MODE_SHALLOW, 0,
	  { "task_struct" }, "1", "0", true, 0, 0, false },
	{ "index build, cache_blob", false, BTF_FILTER_MODE_SHALLOW, 0,
	  { "task_struct" }, "1", "1", true, 0, 0, false },
};

#define NR_CASES	(sizeof(cases) / sizeof(cases[0]))

/* What each case must give, from the userspace backend. */
struct want {
	void *blob;
	__u32 len;
	__u32 *map;
	__u32 nr;
	__u64 btf_size;		/* info */
	__u32 nr_types;
};

/* The call's buffers: static, and locked in memory before any injection. */
static char sel_buf[256];
static char res_buf[RES_MAX];
static __u32 map_buf[MAP_MAX];

static int nth_fd = -1, mif_fd = -1, kmsg_fd = -1, dev_fd = -1;

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd >= 0 && write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		ret = -errno;
	if (fd < 0 || ret) {
		ret = -errno;
		printf("# %s: cannot write \"%s\": %s\n", path, val,
		       strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

static int put_fault(const char *inj, const char *knob, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DBG "%s/%s", inj, knob);
	return put(path, val);
}

static const char *const injectors[] = {
	"failslab", "fail_page_alloc", "fail_btf_filter"
};

/*
 * Nothing injected, by any injector: the state every other test expects.
 * fail-nth counts every injection point an injector reaches, so those not
 * in use are made to reach none (cache-filter with no cache marked, an
 * order above any, sleeping allocations ignored).
 */
static void disarm(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		put_fault(injectors[i], "probability", "0");
		put_fault(injectors[i], "task-filter", "N");
		put_fault(injectors[i], "verbose", "0");
		put_fault(injectors[i], "times", "-1");
		put_fault(injectors[i], "interval", "1");
		put_fault(injectors[i], "space", "0");
	}
	put_fault("failslab", "ignore-gfp-wait", "Y");
	put_fault("failslab", "cache-filter", "Y");
	put_fault("fail_page_alloc", "ignore-gfp-wait", "Y");
	put_fault("fail_page_alloc", "ignore-gfp-highmem", "Y");
	put_fault("fail_page_alloc", "min-order", "20");
	if (mif_fd >= 0)
		pwrite(mif_fd, "0", 1, 0);
	if (nth_fd >= 0)
		pwrite(nth_fd, "0", 1, 0);
}

enum arm { ARM_ALL, ARM_OWN };

/* Only the injectors of this kind of step reach their points. */
static int arm(enum arm how, const char *verbose)
{
	int err = 0, i;

	disarm();
	if (how == ARM_ALL) {
		err |= put_fault("failslab", "ignore-gfp-wait", "N");
		err |= put_fault("failslab", "cache-filter", "N");
		err |= put_fault("fail_page_alloc", "ignore-gfp-wait", "N");
		err |= put_fault("fail_page_alloc", "ignore-gfp-highmem", "N");
		err |= put_fault("fail_page_alloc", "min-order", "0");
	}
	for (i = 0; i < 3; i++)
		err |= put_fault(injectors[i], "verbose", verbose);
	return err;
}

/* Where an injected failure happened, from the stack dump it logged. */
static char *sites[MAX_SITES];
static int nr_sites;
static char *case_sites[MAX_SITES];
static int nr_case_sites;

static bool add_site(char **set, int *nr, const char *s)
{
	int i;

	for (i = 0; i < *nr; i++)
		if (!strcmp(set[i], s))
			return false;
	if (*nr < MAX_SITES)
		set[(*nr)++] = strdup(s);
	return true;
}

/* Frames of the injectors and allocators themselves: not the site. */
static bool alloc_frame(const char *f)
{
	static const char *const skip[] = {
		"dump_stack", "fail_dump", "should_fail", "__should_fail",
		"should_failslab", "__should_failslab", "slab_pre_alloc_hook",
		"prepare_alloc_pages", "__alloc_pages", "alloc_pages",
		"bfk_should_fail", "bfk_kvmalloc", "bfk_zalloc",
		"bfk_zalloc_shared", "kmalloc", "__kmalloc", "kvmalloc",
		"__vmalloc", "vmalloc", "kmem_cache_alloc", "slab_alloc",
		"__slab_alloc", "___slab_alloc", "allocate_slab", "new_slab",
		"alloc_slab_page", "__kmem_cache_alloc", "kmalloc_trace",
		"kmalloc_large", "kmalloc_order", "alloc_vmap_area",
		"__get_vm_area", "get_vm_area", "__vmalloc_area_node",
		"vm_area_alloc_pages", "__alloc_pages_bulk", "alloc_pages_bulk",
		"__kasan", "kasan_", "kmemleak", "create_object", "mem_pool",
		"kvzalloc", "kzalloc", "kasan_populate_vmalloc",
	};
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (!strncmp(f, skip[i], strlen(skip[i])))
			return true;
	return false;
}

/*
 * Read the kernel log since the last call: the site of each injected
 * failure is its first frame past the allocators ("func+0xoff", with the
 * module's frames marked), and any report a checker made is echoed to the
 * console, where vm-check.sh fails the run on it.
 */
static void drain_kmsg(int *reports)
{
	char rec[1024], site[160] = "";
	bool in_dump = false;
	ssize_t n;

	for (;;) {
		char *msg, *f, *end;

		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		if (strstr(msg, "BUG:") || strstr(msg, "WARNING:") ||
		    strstr(msg, "KASAN") || strstr(msg, "circular locking") ||
		    strstr(msg, "general protection")) {
			printf("# kmsg: %s", msg);
			(*reports)++;
		}
		if (strstr(msg, "FAULT_INJECTION: forcing a failure")) {
			in_dump = true;
			site[0] = 0;
			continue;
		}
		if (!in_dump || site[0])
			continue;
		f = msg + strspn(msg, " ");
		if (!strncmp(f, "? ", 2) || !strstr(f, "+0x"))
			continue;
		if (alloc_frame(f))
			continue;
		end = strchr(f, '/');
		if (!end)
			continue;
		snprintf(site, sizeof(site), "%.*s%s", (int)(end - f), f,
			 strstr(f, "[btf_filter]") ? " [btf_filter]" : "");
		add_site(sites, &nr_sites, site);
		add_site(case_sites, &nr_case_sites, site);
		in_dump = false;
	}
}

static int sel_list(const struct fcase *c)
{
	int n = 0, i;

	for (i = 0; c->sels[i]; i++) {
		strcpy(sel_buf + n, c->sels[i]);
		n += strlen(c->sels[i]) + 1;
	}
	return n;
}

/* The call itself: 0 or an errno; nothing in it may fault a page in. */
static int call(const struct fcase *c, struct btf_filter_query *q,
		struct btf_filter_info *info)
{
	int ret;

	if (c->info) {
		memset(info, 0, sizeof(*info));
		info->size = sizeof(*info);
		ret = ioctl(dev_fd, BTF_FILTER_IOC_INFO, info);
	} else {
		memset(q, 0, sizeof(*q));
		q->size = sizeof(*q);
		q->mode = c->mode;
		q->flags = c->flags;
		q->sel_ptr = (__u64)(unsigned long)sel_buf;
		q->sel_len = sel_list(c);
		q->buf_ptr = (__u64)(unsigned long)res_buf;
		q->buf_len = c->buf_len ? c->buf_len : RES_MAX;
		q->id_map_ptr = (__u64)(unsigned long)map_buf;
		q->id_map_len = MAP_MAX;
		ret = ioctl(dev_fd, BTF_FILTER_IOC_QUERY, q);
	}
	return ret ? errno : 0;
}

/* Is what the call gave right?  A sound call's errno, or ENOMEM. */
static bool right(const struct fcase *c, const struct want *w, int err,
		  const struct btf_filter_query *q,
		  const struct btf_filter_info *info, bool sound)
{
	if (err && (err != c->want_err && (sound || err != ENOMEM)))
		return false;
	if (err == EMSGSIZE)	/* the size it needs */
		return q->buf_len == w->len;
	if (err)
		return true;
	if (c->want_err)
		return false;
	if (c->info)
		return info->btf_size == w->btf_size &&
		       info->nr_types == w->nr_types;
	if (q->buf_len != w->len || memcmp(res_buf, w->blob, w->len))
		return false;
	if (c->flags & BTF_FILTER_F_ID_MAP)
		return q->id_map_len == w->nr &&
		       !memcmp(map_buf, w->map, w->nr * sizeof(__u32));
	return true;
}

/* Fail the n-th injection point of the next call; 0: none. */
static int set_nth(unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	return pwrite(nth_fd, b, l, 0) == l ? 0 : -errno;
}

/* Did the last call reach the n-th point?  -1: cannot tell. */
static int reached(void)
{
	char b[16] = "";

	if (pread(nth_fd, b, sizeof(b) - 1, 0) <= 0)
		return -1;
	return atol(b) == 0;	/* what is left of n */
}

static int setup_case(const struct fcase *c)
{
	if (put(PARAMS "cache_blob", c->blob) ||
	    put(SYSFS "index_cached", c->cached))
		return -1;
	if (c->build && (put(SYSFS "index_cached", "0") ||
			 put(SYSFS "index_cached", "1")))
		return -1;
	return 0;
}

struct tally {
	long points, enomem, ok, steps_ok;
};

/*
 * Fail the n-th injection point of the call, for n = 1, 2, ... until the
 * call has fewer than n; each call must be right.  Returns the points.
 */
static int step(struct __test_metadata *_metadata, const struct fcase *c,
		const struct want *w, enum arm how, struct tally *t,
		int *reports)
{
	struct btf_filter_info info;
	struct btf_filter_query q;
	unsigned int n;
	double t0 = now_s();

	if (arm(how, "2"))	/* 2: with a stack dump */
		return -1;
	for (n = 1;; n++) {
		int err, hit;

		if (setup_case(c) || set_nth(n))
			return -1;
		err = call(c, &q, &info);
		hit = reached();
		set_nth(0);
		drain_kmsg(reports);
		if (hit < 0)
			return -1;
		if (!right(c, w, err, &q, &info, !hit)) {
			TH_LOG("%s, %s step %u: errno %d (%s), %s", c->name,
			       how == ARM_ALL ? "all" : "own", n, err,
			       strerror(err), err ? "neither the sound answer nor ENOMEM" : "a wrong result");
			return -1;
		}
		if (!hit)		/* fewer than n points: all done */
			break;
		t->points++;
		if (err == ENOMEM)
			t->enomem++;
		else
			t->ok++;
	}
	disarm();
	TH_LOG("%-34s %-4s: %4u points in %5.1f s", c->name,
	       how == ARM_ALL ? "all" : "own", n - 1, now_s() - t0);
	return 0;
}

/* At random: every injector, task-filter, make-it-fail, probability p. */
static int sweep(struct __test_metadata *_metadata, const struct fcase *c,
		 const struct want *w, struct tally *t, int *reports)
{
	static const char *const probs[] = { "1", "5", "25", "100" };
	struct btf_filter_info info;
	struct btf_filter_query q;
	int p, i, k, err;

	for (p = 0; p < 4; p++) {
		if (arm(ARM_ALL, "0"))
			return -1;
		for (i = 0; i < 3; i++)
			if (put_fault(injectors[i], "task-filter", "Y") ||
			    put_fault(injectors[i], "probability", probs[p]))
				return -1;
		for (k = 0; k < 8; k++) {
			/*
			 * Opening a file allocates: the switch is an fd
			 * opened before, written in place.
			 */
			if (setup_case(c) || pwrite(mif_fd, "1", 1, 0) != 1)
				return -1;
			err = call(c, &q, &info);
			if (pwrite(mif_fd, "0", 1, 0) != 1)
				return -1;
			if (!right(c, w, err, &q, &info, false)) {
				TH_LOG("%s, probability %s%%: errno %d (%s)",
				       c->name, probs[p], err, strerror(err));
				return -1;
			}
			t->ok += !err || err == c->want_err;
			t->enomem += err == ENOMEM && c->want_err != ENOMEM;
		}
		disarm();
		drain_kmsg(reports);
	}
	return 0;
}

/* The userspace backend's answer to a case, on the same BTF. */
static int expect(const struct fcase *c, struct want *w)
{
	BTF_FILTER_OPTS(o, .mode = c->mode, .flags = c->flags,
			.backend = BTF_FILTER_BACKEND_USER);
	struct btf_filter_result *r;
	const __u32 *map;
	const void *data;
	int n = 0;

	memset(w, 0, sizeof(*w));
	if (c->info) {
		struct btf_filter_stats st;
		const char *any = "int";

		r = btf_filter__query(&any, 1, &o);
		if (!r)
			return -1;
		btf_filter_result__stats(r, &st);
		w->btf_size = st.src_bytes;
		w->nr_types = st.src_types;
		btf_filter_result__free(r);
		return 0;
	}
	while (c->sels[n])
		n++;
	r = btf_filter__query(c->sels, n, &o);
	if (!r)
		return c->want_err && errno == c->want_err ? 0 : -1;
	data = btf_filter_result__data(r, &w->len);
	w->blob = malloc(w->len);
	if (!w->blob)
		return -1;
	memcpy(w->blob, data, w->len);
	map = btf_filter_result__id_map(r, &w->nr);
	if (map) {
		w->map = malloc(w->nr * sizeof(*map) + 1);
		if (!w->map)
			return -1;
		memcpy(w->map, map, w->nr * sizeof(*map));
	}
	btf_filter_result__free(r);
	return 0;
}

FIXTURE(faults) {
	bool absent;
	int printk_saved;
	char printk[64];
};

FIXTURE_SETUP(faults)
{
	int fd;
	ssize_t n;

	self->printk_saved = 0;
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	self->absent = access(DBG "failslab", F_OK) ||
		       access(DBG "fail_page_alloc", F_OK) ||
		       access(DBG "fail_btf_filter", F_OK) ||
		       access("/proc/thread-self/fail-nth", F_OK);
	if (self->absent)
		return;		/* the test says SKIP */
	/*
	 * The injectors' stack dumps go to the log, not the slow serial
	 * console: drain_kmsg() reads them, and echoes any checker's report.
	 */
	fd = open("/proc/sys/kernel/printk", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, self->printk, sizeof(self->printk) - 1);
	close(fd);
	ASSERT_LT(0, n);
	self->printk[n] = 0;
	self->printk_saved = 1;
	ASSERT_EQ(0, put("/proc/sys/kernel/printk", "4"));
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, kmsg_fd);
	lseek(kmsg_fd, 0, SEEK_END);
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	ASSERT_LE(0, nth_fd);
	mif_fd = open("/proc/self/make-it-fail", O_RDWR);
	ASSERT_LE(0, mif_fd);
	dev_fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, dev_fd);
	/* no page of this process may be faulted in during a call */
	ASSERT_EQ(0, mlockall(MCL_CURRENT | MCL_FUTURE));
}

FIXTURE_TEARDOWN(faults)
{
	if (self->absent)
		return;
	disarm();
	if (self->printk_saved)
		put("/proc/sys/kernel/printk", self->printk);
	put(PARAMS "cache_blob", "0");
	put(SYSFS "index_cached", "1");
}

TEST_F_TIMEOUT(faults, every_allocation, 6000)
{
	static struct want want[NR_CASES];
	struct tally total = { 0 };
	struct btf_filter_info info;
	struct btf_filter_query q;
	int reports = 0, own = 0, i, k;
	double t0 = now_s();

	if (self->absent)
		SKIP(return, "no failslab, fail_page_alloc, fail_btf_filter or fail-nth: not the debug kernel (make debug-kernel)");
	for (i = 0; i < (int)NR_CASES; i++) {
		const struct fcase *c = &cases[i];
		struct tally t = { 0 };

		ASSERT_EQ(0, expect(c, &want[i])) TH_LOG("%s: userspace backend", c->name);
		/* sound: the answer the userspace backend gives */
		ASSERT_EQ(0, setup_case(c));
		ASSERT_TRUE(right(c, &want[i], call(c, &q, &info), &q, &info, true))
			TH_LOG("%s: without injection", c->name);
		nr_case_sites = 0;
		if (c->all)
			ASSERT_EQ(0, step(_metadata, c, &want[i], ARM_ALL, &t, &reports));
		ASSERT_EQ(0, step(_metadata, c, &want[i], ARM_OWN, &t, &reports));
		ASSERT_EQ(0, sweep(_metadata, c, &want[i], &t, &reports));
		TH_LOG("%-34s: %ld failures injected, %d sites; %ld calls ENOMEM, %ld right",
		       c->name, t.points, nr_case_sites, t.enomem, t.ok);
		total.points += t.points;
		total.enomem += t.enomem;
		total.ok += t.ok;
		for (k = 0; k < nr_case_sites; k++)
			free(case_sites[k]);
	}
	disarm();
	for (k = 0; k < nr_sites; k++) {
		TH_LOG("site: %s", sites[k]);
		own += !!strstr(sites[k], "[btf_filter]");
	}
	TH_LOG("%ld failures injected at %d distinct sites (%d in the module) in %.0f s; %ld calls ENOMEM, %ld right",
	       total.points, nr_sites, own, now_s() - t0, total.enomem,
	       total.ok);
	ASSERT_LT(0, own);
	ASSERT_EQ(0, reports);
	/* some injection must have reached the module's own allocations */
	ASSERT_LT(0, total.enomem);
	/* the module still answers right, and can go */
	for (i = 0; i < (int)NR_CASES; i++) {
		ASSERT_EQ(0, setup_case(&cases[i]));
		ASSERT_TRUE(right(&cases[i], &want[i],
				  call(&cases[i], &q, &info), &q, &info, true))
			TH_LOG("%s: after the injections", cases[i].name);
	}
	close(dev_fd);
	dev_fd = -1;
	ASSERT_EQ(0, put(PARAMS "cache_blob", "0"));
	ASSERT_EQ(0, reload_module());
}

TEST_HARNESS_MAIN
