// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM selftests of the btf_filter module, run by selftests/vm/init with
 * the module loaded.  Statically linked; TAP on the serial console.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "libbtf_filter.h"
#include "btf_load.h"

#define SYSFS		"/sys/class/misc/btf_filter/"
#define MODULE_PATH	"/btf_filter.ko"

static int nr_sets(void)
{
	const char *s = getenv("BTF_FILTER_VM_SETS");

	return s ? atoi(s) : 300;
}

static int write_sysfs(const char *attr, const char *val)
{
	int fd = open(attr, O_WRONLY), ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* "name value" lines of the stats attribute. */
static long long stat_of(const char *name)
{
	char line[128], key[64];
	long long v = -1, x;
	FILE *f = fopen(SYSFS "stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &x) == 2 && !strcmp(key, name))
			v = x;
	fclose(f);
	return v;
}

/* A query through the raw ioctl, every output filled with garbage first. */
struct rawq {
	struct btf_filter_query q;
	char buf[1 << 20];
	__u32 map[65536];
	char log[256];
};

static void rawq_init(struct rawq *r, const char *sels, __u32 sel_len)
{
	memset(r, 0xa5, sizeof(*r));
	memset(&r->q, 0, sizeof(r->q));
	r->q.size = sizeof(r->q);
	r->q.sel_ptr = (__u64)(unsigned long)sels;
	r->q.sel_len = sel_len;
	r->q.buf_ptr = (__u64)(unsigned long)r->buf;
	r->q.buf_len = sizeof(r->buf);
	r->q.id_map_ptr = (__u64)(unsigned long)r->map;
	r->q.id_map_len = 65536;
	r->q.log_ptr = (__u64)(unsigned long)r->log;
	r->q.log_len = sizeof(r->log);
	r->q.nr_types = r->q.nr_missing = r->q.first_missing = 0xdeadbeef;
}

static const char task_sel[] = "task_struct";

FIXTURE(dev) {
	int fd;
	struct rawq *r;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, self->fd);
	self->r = malloc(sizeof(*self->r));
	ASSERT_NE(NULL, self->r);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
	free(self->r);
}

TEST_F(dev, info_matches_sysfs_btf)
{
	struct btf_filter_info info;
	struct btf *btf = btf__parse_raw(BTF_FILTER_VMLINUX);
	struct stat st;

	ASSERT_NE(NULL, btf);
	ASSERT_EQ(0, stat(BTF_FILTER_VMLINUX, &st));
	memset(&info, 0xa5, sizeof(info));
	info.size = sizeof(info);
	info.flags = 0;
	info.source_ptr = 0;
	memset(info.reserved, 0, sizeof(info.reserved));
	ASSERT_EQ(0, ioctl(self->fd, BTF_FILTER_IOC_INFO, &info));
	EXPECT_EQ(btf__type_cnt(btf) - 1, info.nr_types);
	EXPECT_EQ((__u64)st.st_size, info.btf_size);
	EXPECT_EQ(0x000100, info.version);
	info.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	btf__free(btf);
}

TEST_F(dev, query_and_exact_emsgsize)
{
	struct rawq *r = self->r;
	__u32 need, types;

	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.mode = BTF_FILTER_MODE_SHALLOW;
	r->q.flags = BTF_FILTER_F_ID_MAP;
	ASSERT_EQ(0, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	need = r->q.buf_len;
	types = r->q.nr_types;
	ASSERT_LT(100, types);
	ASSERT_EQ(types, r->q.id_map_len);
	ASSERT_EQ(0, r->q.nr_missing);

	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.mode = BTF_FILTER_MODE_SHALLOW;
	r->q.flags = BTF_FILTER_F_ID_MAP;
	r->q.buf_len = need - 1;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(need, r->q.buf_len);
	ASSERT_EQ(types, r->q.id_map_len);
	r->q.buf_len = need;
	ASSERT_EQ(0, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(need, r->q.buf_len);
	ASSERT_EQ(0xa5, (unsigned char)r->buf[need]);	/* nothing past it */

	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.flags = BTF_FILTER_F_ID_MAP;
	r->q.mode = BTF_FILTER_MODE_SHALLOW;
	r->q.id_map_len = types - 1;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(types, r->q.id_map_len);
}

TEST_F(dev, size_versioning)
{
	struct {
		struct btf_filter_query q;
		__u64 tail;
	} big;
	struct rawq *r = self->r;

	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.size = sizeof(r->q) - 1;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);

	rawq_init(r, task_sel, sizeof(task_sel));
	big.q = r->q;
	big.q.size = sizeof(r->q) + 1;
	big.tail = 0xff;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &big));
	ASSERT_EQ(E2BIG, errno);
	big.tail = 0;
	big.q.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &big));
}

TEST_F(dev, bad_fields)
{
	struct rawq *r = self->r;

	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.flags = 1U << 7;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);
	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.mode = 9;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);
	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.reserved[1] = 1;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, ioctl(self->fd, _IO(BTF_FILTER_IOC_MAGIC, 0x7f), &r->q));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_F(dev, bad_pointers)
{
	struct rawq *r = self->r;
	void *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, gone);
	munmap(gone, 4096);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, gone));
	ASSERT_EQ(EFAULT, errno);
	rawq_init(r, NULL, 12);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EFAULT, errno);
	rawq_init(r, gone, 12);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EFAULT, errno);
	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.buf_ptr = 0;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EFAULT, errno);
	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.buf_ptr = (__u64)(unsigned long)gone;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EFAULT, errno);
	rawq_init(r, task_sel, sizeof(task_sel));
	r->q.flags = BTF_FILTER_F_ID_MAP;
	r->q.id_map_ptr = (__u64)(unsigned long)gone;
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EFAULT, errno);
}

TEST_F(dev, bad_selector_lists)
{
	static const char unterminated[] = { 't', 'a', 's', 'k' };
	static const char three[] = "task_struct\0struct no_such_q\0file";
	struct rawq *r = self->r;
	char *huge;

	rawq_init(r, unterminated, sizeof(unterminated));
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_NE(NULL, strstr(r->log, "NUL"));
	rawq_init(r, task_sel, 0);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);
	rawq_init(r, "bogus kind\0\0", 12);	/* an empty selector */
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(EINVAL, errno);

	rawq_init(r, three, sizeof(three));
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(1, r->q.first_missing);
	ASSERT_EQ(1, r->q.nr_missing);
	ASSERT_NE(NULL, strstr(r->log, "struct no_such_q"));
	rawq_init(r, three, sizeof(three));
	r->q.flags = BTF_FILTER_F_ALLOW_MISSING;
	ASSERT_EQ(0, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(1, r->q.nr_missing);

	huge = calloc(1, 1 << 20);	/* over max_sel_bytes */
	ASSERT_NE(NULL, huge);
	memset(huge, 'a', (1 << 20) - 1);
	rawq_init(r, huge, 1 << 20);
	ASSERT_EQ(-1, ioctl(self->fd, BTF_FILTER_IOC_QUERY, &r->q));
	ASSERT_EQ(E2BIG, errno);
	free(huge);
}

TEST_HARNESS_MAIN
