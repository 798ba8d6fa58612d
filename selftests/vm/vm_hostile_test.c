// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM tests of the btf_filter module against a hostile caller: an
 * unprivileged user in a user and mount namespace who chroots into a tree
 * of its own, or mounts over /sys/kernel/btf, with a crafted vmlinux there
 * (every type record 0xff: kind 31, vlen 0xffff, the bytes that overflowed
 * a stack buffer when the module read the caller's file at the offsets of
 * an index kept from the real one; or a sound BTF whose task_struct is
 * fake, which would poison the index kept for everyone), or with no /sys.  Each caller
 * must get the running kernel's real types, byte for byte what the
 * userspace backend makes of the real /sys/kernel/btf/vmlinux, and so must
 * every caller after it.  Also: the errnos of the uapi table that only the
 * module returns, and who may read stats.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/btf.h>
#include <bpf/btf.h>

#include "kselftest_harness.h"
#include "btf_load.h"
#include "common.h"
#include "vm_module.h"
#include "libbtf_filter.h"

#define SYSFS		"/sys/class/misc/btf_filter/"
#define PARAMS		"/sys/module/btf_filter/parameters/"
#define NOBODY		65534
#define RES_MAX		(4 << 20)

/* "#ID" of task_struct and the name, so the closure runs with or without names. */
static char sels[64];
static __u32 sel_len;

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/* One shallow query through fd: 0 and the blob in buf, or -errno. */
static int kquery(int fd, void *buf, __u32 *len, __u64 source)
{
	struct btf_filter_query q = {
		.size = sizeof(q),
		.mode = BTF_FILTER_MODE_SHALLOW,
		.sel_ptr = (__u64)(unsigned long)sels,
		.sel_len = sel_len,
		.source_ptr = source,
		.buf_ptr = (__u64)(unsigned long)buf,
		.buf_len = RES_MAX,
	};

	if (ioctl(fd, BTF_FILTER_IOC_QUERY, &q))
		return -errno;
	*len = q.buf_len;
	return 0;
}

/* The userspace backend's answer on the real /sys/kernel/btf/vmlinux. */
static void *expected(__u32 *len)
{
	const char *s[2] = { sels, sels + strlen(sels) + 1 };
	BTF_FILTER_OPTS(o, .mode = BTF_FILTER_MODE_SHALLOW,
			.backend = BTF_FILTER_BACKEND_USER);
	struct btf_filter_result *r = btf_filter__query(s, 2, &o);
	const void *data;
	void *copy;

	if (!r)
		return NULL;
	data = btf_filter_result__data(r, len);
	copy = malloc(*len);
	if (copy)
		memcpy(copy, data, *len);
	btf_filter_result__free(r);
	return copy;
}

/* A setup step of the hostile child failed: say which, exit 2. */
#define STEP(x) do {							\
	if (x) {							\
		fprintf(stderr, "# hostile setup: %s: %s\n", #x,	\
			strerror(errno));				\
		return 2;						\
	}								\
} while (0)

/* Become nobody in a new user and mount namespace, root inside it. */
static int enter_userns(void)
{
	char map[64];

	STEP(setgroups(0, NULL));
	STEP(setresgid(NOBODY, NOBODY, NOBODY));
	STEP(setresuid(NOBODY, NOBODY, NOBODY));
	/* a uid change from root clears it; /proc/self is then root's */
	STEP(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	STEP(unshare(CLONE_NEWUSER | CLONE_NEWNS));
	STEP(write_file("/proc/self/setgroups", "deny", 4));
	snprintf(map, sizeof(map), "0 %d 1", NOBODY);
	STEP(write_file("/proc/self/uid_map", map, strlen(map)));
	STEP(write_file("/proc/self/gid_map", map, strlen(map)));
	return 0;
}

/* The real BTF with every byte of its type section 0xff. */
static int write_crafted(const char *path, const char *real, size_t len)
{
	const struct btf_header *h = (const void *)real;
	char *c = malloc(len);
	int ret;

	if (!c)
		return -ENOMEM;
	memcpy(c, real, len);
	memset(c + h->hdr_len + h->type_off, 0xff, h->type_len);
	ret = write_file(path, c, len);
	free(c);
	return ret;
}

/*
 * A sound BTF of the attacker's own: a task_struct with one int member.
 * Whoever's source this became would hand it to every caller after.
 */
static int write_fake(const char *path)
{
	struct btf *b = btf__new_empty();
	const void *raw;
	__u32 size;
	int ret;

	if (!b)
		return -ENOMEM;
	if (btf__add_int(b, "int", 4, BTF_INT_SIGNED) != 1 ||
	    btf__add_struct(b, "task_struct", 4) != 2 ||
	    btf__add_field(b, "fake", 1, 0, 0)) {
		btf__free(b);
		return -EINVAL;
	}
	raw = btf__raw_data(b, &size);
	ret = raw ? write_file(path, raw, size) : -ENOMEM;
	btf__free(b);
	return ret;
}

enum where { CHROOT_CRAFTED, CHROOT_FAKE, MOUNT_OVER_SYS, CHROOT_NO_SYS };

/*
 * In a child: as nobody in a user namespace, put a crafted BTF (or none)
 * where the caller's /sys/kernel/btf/vmlinux would be, query through the
 * inherited fd, and exit 0 only if the answer is the expected bytes.
 * Exit codes: 2 setup failed, 3 query failed, 4 wrong bytes.
 */
static int hostile_child(int fd, enum where w, const char *real, size_t len,
			 const void *want, __u32 want_len)
{
	char *buf = malloc(RES_MAX);
	__u32 got = 0;
	int err;

	STEP(!buf);
	STEP(enter_userns());
	STEP(mount("none", "/tmp", "tmpfs", 0, NULL));
	switch (w) {
	case CHROOT_CRAFTED:
		STEP(mkdir("/tmp/sys", 0755) || mkdir("/tmp/sys/kernel", 0755) ||
		     mkdir("/tmp/sys/kernel/btf", 0755));
		STEP(write_crafted("/tmp/sys/kernel/btf/vmlinux", real, len));
		STEP(chroot("/tmp") || chdir("/"));
		break;
	case CHROOT_FAKE:
		STEP(mkdir("/tmp/sys", 0755) || mkdir("/tmp/sys/kernel", 0755) ||
		     mkdir("/tmp/sys/kernel/btf", 0755));
		STEP(write_fake("/tmp/sys/kernel/btf/vmlinux"));
		STEP(chroot("/tmp") || chdir("/"));
		break;
	case MOUNT_OVER_SYS:
		STEP(mount("none", "/sys/kernel/btf", "tmpfs", 0, NULL));
		STEP(write_crafted("/sys/kernel/btf/vmlinux", real, len));
		break;
	case CHROOT_NO_SYS:
		STEP(chroot("/tmp") || chdir("/"));
		break;
	}
	err = kquery(fd, buf, &got, 0);
	if (err) {
		fprintf(stderr, "# hostile query: %s\n", strerror(-err));
		return 3;
	}
	if (got != want_len || memcmp(buf, want, got)) {
		fprintf(stderr, "# hostile query: %u bytes, want %u\n", got,
			want_len);
		return 4;
	}
	return 0;
}

/* What both fixtures start from: the real BTF and the answer to expect. */
struct truth {
	char *real;		/* the real /sys/kernel/btf/vmlinux */
	size_t len;
	void *want;		/* the userspace backend's answer */
	__u32 want_len;
	char *buf;
};

static void truth_load(struct __test_metadata *_metadata, struct truth *t)
{
	struct btf *btf;
	int id;

	t->real = read_file("/sys/kernel/btf/vmlinux", &t->len);
	ASSERT_NE(NULL, t->real);
	btf = btf__new(t->real, t->len);
	ASSERT_NE(NULL, btf);
	id = btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT);
	ASSERT_LT(0, id);
	btf__free(btf);
	sel_len = snprintf(sels, sizeof(sels), "#%d%ctask_struct", id, 0) + 1;
	t->want = expected(&t->want_len);
	ASSERT_NE(NULL, t->want);
	t->buf = malloc(RES_MAX);
	ASSERT_NE(NULL, t->buf);
}

static void truth_free(struct truth *t)
{
	free(t->real);
	free(t->want);
	free(t->buf);
}

FIXTURE(hostile) {
	struct truth t;
};

FIXTURE_VARIANT(hostile) {
	enum where where;
	bool warm;	/* an index kept from the real BTF before the attack */
};

FIXTURE_VARIANT_ADD(hostile, chroot_crafted_first) {
	.where = CHROOT_CRAFTED };
FIXTURE_VARIANT_ADD(hostile, chroot_crafted_warm) {
	.where = CHROOT_CRAFTED, .warm = true };
/* the first caller ever, with a sound BTF of its own: it must not poison */
FIXTURE_VARIANT_ADD(hostile, chroot_fake_first) {
	.where = CHROOT_FAKE };
FIXTURE_VARIANT_ADD(hostile, mount_over_sys_first) {
	.where = MOUNT_OVER_SYS };
FIXTURE_VARIANT_ADD(hostile, mount_over_sys_warm) {
	.where = MOUNT_OVER_SYS, .warm = true };
FIXTURE_VARIANT_ADD(hostile, chroot_no_sys_first) {
	.where = CHROOT_NO_SYS };

FIXTURE_SETUP(hostile)
{
	truth_load(_metadata, &self->t);
	/* A fresh module: nothing opened, nothing kept. */
	ASSERT_EQ(0, reload_module());
}

FIXTURE_TEARDOWN(hostile)
{
	truth_free(&self->t);
}

TEST_F_TIMEOUT(hostile, gets_the_kernels_types, 600)
{
	__u32 got = 0;
	int fd, status;
	pid_t pid;

	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	if (variant->warm) {
		ASSERT_EQ(0, kquery(fd, self->t.buf, &got, 0));
		ASSERT_EQ(self->t.want_len, got);
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(hostile_child(fd, variant->where, self->t.real, self->t.len,
				    self->t.want, self->t.want_len));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the hostile caller: exit %d (2: setup, 3: query failed, 4: not the kernel's types)",
		       WEXITSTATUS(status));
	}
	/* Every caller after it still gets the kernel's types. */
	memset(self->t.buf, 0, RES_MAX);
	ASSERT_EQ(0, kquery(fd, self->t.buf, &got, 0));
	ASSERT_EQ(self->t.want_len, got);
	ASSERT_EQ(0, memcmp(self->t.buf, self->t.want, got));
	close(fd);
}

FIXTURE(mod) {
	struct truth t;
};

FIXTURE_SETUP(mod)
{
	truth_load(_metadata, &self->t);
}

FIXTURE_TEARDOWN(mod)
{
	truth_free(&self->t);
}

/*
 * With no sysfs at /sys in init's own mount namespace, or another file
 * system there holding a crafted vmlinux, the module has no source: ENODEV,
 * never the file.  Then sysfs comes back and queries work again.
 */
TEST_F_TIMEOUT(mod, enodev_without_sysfs, 600)
{
	__u32 got = 0;
	int fd, err;

	ASSERT_EQ(0, umount2("/sys", MNT_DETACH));
	ASSERT_EQ(0, reload_module());
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	err = kquery(fd, self->t.buf, &got, 0);
	EXPECT_EQ(-ENODEV, err);

	/* tmpfs at /sys with the crafted file: not sysfs, still ENODEV */
	ASSERT_EQ(0, mount("none", "/sys", "tmpfs", 0, NULL));
	ASSERT_EQ(0, mkdir("/sys/kernel", 0755));
	ASSERT_EQ(0, mkdir("/sys/kernel/btf", 0755));
	ASSERT_EQ(0, write_crafted("/sys/kernel/btf/vmlinux", self->t.real,
				   self->t.len));
	err = kquery(fd, self->t.buf, &got, 0);
	EXPECT_EQ(-ENODEV, err);
	close(fd);
	ASSERT_EQ(0, umount2("/sys", MNT_DETACH));
	ASSERT_EQ(0, mount("sys", "/sys", "sysfs", 0, NULL));
	ASSERT_EQ(0, reload_module());
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kquery(fd, self->t.buf, &got, 0));
	ASSERT_EQ(self->t.want_len, got);
	ASSERT_EQ(0, memcmp(self->t.buf, self->t.want, got));
	close(fd);
}

static int write_param(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	return write_file(path, val, strlen(val));
}

/* The errnos that only the module returns, each from its cause. */
TEST_F(mod, module_errnos)
{
	char longname[100];
	__u32 got;
	int fd, status;
	pid_t pid;

	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	/* ENOTTY: an unknown command */
	EXPECT_EQ(-1, ioctl(fd, _IO(BTF_FILTER_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(ENOTTY, errno);
	/* ENODEV: no module of that name is loaded */
	EXPECT_EQ(-ENODEV, kquery(fd, self->t.buf, &got,
				  (__u64)(unsigned long)"no_such_module"));
	/* EINVAL: a name that is no module's, or would leave the directory */
	EXPECT_EQ(-EINVAL, kquery(fd, self->t.buf, &got,
				  (__u64)(unsigned long)"../vmlinux"));
	EXPECT_EQ(-EINVAL, kquery(fd, self->t.buf, &got,
				  (__u64)(unsigned long)"btf/vmlinux"));
	EXPECT_EQ(-EINVAL, kquery(fd, self->t.buf, &got,
				  (__u64)(unsigned long)"."));
	EXPECT_EQ(-EINVAL, kquery(fd, self->t.buf, &got,
				  (__u64)(unsigned long)""));
	/* E2BIG: a source name of 64 bytes or more */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	EXPECT_EQ(-E2BIG, kquery(fd, self->t.buf, &got,
				 (__u64)(unsigned long)longname));
	/* EPERM: require_cap, for a caller with no capabilities */
	ASSERT_EQ(0, write_param("require_cap", "1"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY))
			_exit(2);
		_exit(kquery(fd, self->t.buf, &got, 0) == -EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, kquery(fd, self->t.buf, &got, 0));	/* root has them */
	ASSERT_EQ(0, write_param("require_cap", "0"));
	close(fd);
}

/*
 * Modules of the kernel's own package, as BTF sources (kernel-btf.sh):
 * /tests/modules/NAME.load names the .ko files that load NAME, in load
 * order, its dependencies (soft ones too) first.
 */
#define MODDIR		"/tests/modules/"
#define MOD_KO_MAX	16

struct modsrc {
	char ko[MOD_KO_MAX][128];	/* file names, NAME's last */
	bool loaded[MOD_KO_MAX];	/* by us, to unload after */
	int n;
};

/* Read MODDIR/name.load: 0, or -errno (-ENOENT: no such module here). */
static int modsrc_read(struct modsrc *m, const char *name)
{
	char path[128], line[sizeof(m->ko[0])];
	FILE *f;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), MODDIR "%s.load", name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (m->n < MOD_KO_MAX && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0])
			snprintf(m->ko[m->n++], sizeof(m->ko[0]), "%s", line);
	}
	fclose(f);
	return m->n ? 0 : -EINVAL;
}

/* The module name of a .ko file name: "crc32c-intel.ko" is crc32c_intel. */
static void ko_module(const char *ko, char *name, size_t size)
{
	size_t i;

	snprintf(name, size, "%s", ko);
	name[strcspn(name, ".")] = 0;
	for (i = 0; name[i]; i++)
		if (name[i] == '-')
			name[i] = '_';
}

/* Load the i-th file of m: 0 or -errno (-EEXIST: it was loaded already). */
static int modsrc_load_one(struct modsrc *m, int i)
{
	char path[sizeof(MODDIR) + sizeof(m->ko[0])];
	int err;

	snprintf(path, sizeof(path), MODDIR "%s", m->ko[i]);
	err = load_ko(path);
	if (!err)
		m->loaded[i] = true;
	return err;
}

/* Unload the i-th file of m if we loaded it, waiting up to 5 s for users. */
static int modsrc_unload_one(struct modsrc *m, int i)
{
	char name[sizeof(m->ko[0])];
	int err, tries = 0;

	if (!m->loaded[i])
		return 0;
	ko_module(m->ko[i], name, sizeof(name));
	while ((err = unload_ko(name)) == -EWOULDBLOCK && tries++ < 5000)
		usleep(1000);
	if (!err)
		m->loaded[i] = false;
	return err;
}

/*
 * Load the module and what it needs.  A dependency that does not load
 * (crc32c-intel on a CPU without SSE 4.2, one that is built in) is only
 * told: if the module needed it, its own load fails.
 */
static int modsrc_load(struct modsrc *m)
{
	int i, err = -ENOENT;

	for (i = 0; i < m->n; i++) {
		err = modsrc_load_one(m, i);
		if (err && err != -EEXIST && i < m->n - 1)
			fprintf(stderr, "# %s: %s (loading the rest anyway)\n",
				m->ko[i], strerror(-err));
	}
	return err;
}

static void modsrc_unload(struct modsrc *m)
{
	int i;

	for (i = m->n - 1; i >= 0; i--)
		modsrc_unload_one(m, i);
}

/*
 * The first named types the module has of its own, at most n, with up to
 * 63 bytes of name each; how many were found.  base and mod: the BTF of
 * vmlinux and of the module (split), as libbpf reads them.
 */
static int module_own_names(const struct btf *base, const struct btf *mod,
			    char (*names)[64], int n, __u32 *ids)
{
	__u32 id;
	int found = 0;

	for (id = btf__type_cnt(base); id < btf__type_cnt(mod) && found < n;
	     id++) {
		const char *name = btf__name_by_offset(mod,
					btf__type_by_id(mod, id)->name_off);

		if (!name || !name[0] || strlen(name) >= 64)
			continue;
		snprintf(names[found], 64, "%s", name);
		ids[found++] = id;
	}
	return found;
}

FIXTURE(modsrc) {
	struct modsrc m;
	struct btf *base, *mod;
	char names[3][64];
	__u32 ids[3];
};

FIXTURE_VARIANT(modsrc) {
	const char *name;
};

/* no dependencies */
FIXTURE_VARIANT_ADD(modsrc, dummy) {
	.name = "dummy" };
/* nf_defrag_ipv4, nf_defrag_ipv6, libcrc32c and its crc32c first */
FIXTURE_VARIANT_ADD(modsrc, nf_conntrack) {
	.name = "nf_conntrack" };

/* Skip the test when the VM has no such module. */
#define MODSRC_NEEDED()							\
	do {								\
		if (!self->m.n)						\
			SKIP(return, "no %s with BTF for this kernel (module BTF came with 5.11; the debug kernel has dummy only)", \
			     variant->name);				\
	} while (0)

/* Load the module, and read its BTF with libbpf, if the VM has it. */
FIXTURE_SETUP(modsrc)
{
	char path[128];
	int err;

	err = modsrc_read(&self->m, variant->name);
	if (err == -ENOENT)
		return;		/* each test skips: this harness runs them */
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, modsrc_load(&self->m)) TH_LOG("loading %s", variant->name);
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", variant->name);
	self->base = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	ASSERT_NE(NULL, self->base);
	self->mod = btf__parse_split(path, self->base);
	ASSERT_NE(NULL, self->mod);
	ASSERT_EQ(3, module_own_names(self->base, self->mod, self->names, 3,
				      self->ids));
}

FIXTURE_TEARDOWN(modsrc)
{
	btf__free(self->mod);
	btf__free(self->base);
	modsrc_unload(&self->m);
}

/* One query of sel (shallow, ID map) on the source name: 0 or -errno. */
static int modquery(int fd, const char *name, const char *sel, void *buf,
		    __u32 *len, __u32 *map, __u32 *map_len, char *log,
		    __u32 log_len)
{
	struct btf_filter_query q = {
		.size = sizeof(q),
		.flags = BTF_FILTER_F_ID_MAP,
		.mode = BTF_FILTER_MODE_SHALLOW,
		.sel_ptr = (__u64)(unsigned long)sel,
		.sel_len = strlen(sel) + 1,
		.source_ptr = (__u64)(unsigned long)name,
		.buf_ptr = (__u64)(unsigned long)buf,
		.buf_len = RES_MAX,
		.id_map_ptr = (__u64)(unsigned long)map,
		.id_map_len = *map_len,
		.log_ptr = (__u64)(unsigned long)log,
		.log_len = log_len,
	};

	log[0] = 0;
	if (ioctl(fd, BTF_FILTER_IOC_QUERY, &q))
		return -errno;
	*len = q.buf_len;
	*map_len = q.id_map_len;
	return 0;
}

/*
 * A loaded module's BTF as the source: the module's answer is the
 * userspace backend's on the same /sys/kernel/btf/NAME and vmlinux, byte
 * for byte with the ID map, for the module's types (two by name, one by
 * ID, whose closures reach into vmlinux) and for a vmlinux type named
 * through the module; the kernel's checker takes every answer; INFO gives
 * the module's own types and bytes; once the module is gone, ENODEV.
 */
TEST_F_TIMEOUT(modsrc, answers, 600)
{
	struct btf_filter_info info = { .size = sizeof(info),
		.source_ptr = (__u64)(unsigned long)variant->name };
	char sets[3][2][64] = { { "", "" }, { "sk_buff", "" }, { "", "" } };
	char *buf = malloc(RES_MAX), log[256];
	struct stat st;
	char path[128];
	__u32 got, n = 0;
	int fd, i, m;

	MODSRC_NEEDED();
	ASSERT_NE(NULL, buf);
	memcpy(sets[0][0], self->names[0], 64);
	memcpy(sets[0][1], self->names[1], 64);
	snprintf(sets[2][0], 64, "#%u", self->ids[2]);
	for (i = 0; i < 3; i++) {
		for (m = 0; m < 2; m++) {
			const char *sels[2] = { sets[i][0], sets[i][1] };
			int ns = sets[i][1][0] ? 2 : 1;
			char log[256] = "";
			BTF_FILTER_OPTS(k, .source = variant->name, .mode = m,
					.flags = BTF_FILTER_F_ID_MAP,
					.backend = BTF_FILTER_BACKEND_KERNEL,
					.log_buf = log, .log_size = sizeof(log));
			BTF_FILTER_OPTS(u, .source = variant->name, .mode = m,
					.flags = BTF_FILTER_F_ID_MAP,
					.backend = BTF_FILTER_BACKEND_USER);
			struct btf_filter_result *rk, *ru;
			const void *data;
			__u32 size;
			int bfd;

			rk = btf_filter__query(sels, ns, &k);
			ru = btf_filter__query(sels, ns, &u);
			ASSERT_NE(NULL, rk) TH_LOG("%s: %s", sels[0], log);
			ASSERT_NE(NULL, ru);
			EXPECT_TRUE(same_result(rk, ru)) TH_LOG("%s", sels[0]);
			data = btf_filter_result__data(rk, &size);
			bfd = kernel_btf_check(data, size, log, sizeof(log));
			EXPECT_LE(0, bfd) {
				TH_LOG("%s, mode %d: BPF_BTF_LOAD: %s", sels[0],
				       m, log);
			}
			if (bfd >= 0)
				close(bfd);
			btf_filter_result__free(rk);
			btf_filter_result__free(ru);
		}
	}
	/* INFO: the module's own types and bytes */
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", variant->name);
	ASSERT_EQ(0, stat(path, &st));
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, BTF_FILTER_IOC_INFO, &info));
	EXPECT_EQ(btf__type_cnt(self->mod) - btf__type_cnt(self->base),
		  info.nr_types);
	EXPECT_EQ(st.st_size, info.btf_size);
	/* gone: ENODEV */
	ASSERT_EQ(0, modsrc_unload_one(&self->m, self->m.n - 1));
	EXPECT_EQ(-ENODEV, modquery(fd, variant->name, self->names[0], buf,
				    &got, NULL, &n, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "is loaded")) TH_LOG("%s", log);
	close(fd);
	free(buf);
}

/*
 * Queries on a module's BTF while a child unloads and loads the module
 * again and again: each gets the right answer, byte for byte with its ID
 * map, or ENODEV, whose log line tells "not loaded when asked" from
 * "unloaded during the query"; nothing else, never a stale or mixed
 * answer, never a crash.  Runs until 10 right answers and 10 unloads
 * during a query have been seen (and one query while unloaded), at most
 * 120 s.
 */
TEST_F_TIMEOUT(modsrc, unload_race, 600)
{
	enum { MAP_MAX = 1 << 16 };
	BTF_FILTER_OPTS(u, .source = variant->name,
			.mode = BTF_FILTER_MODE_SHALLOW,
			.flags = BTF_FILTER_F_ID_MAP,
			.backend = BTF_FILTER_BACKEND_USER);
	const char *sels[1] = { self->names[0] };
	int ok = 0, during = 0, absent = 0, other = 0, last = self->m.n - 1;
	__u32 *map = calloc(MAP_MAX, sizeof(__u32));
	char *buf = malloc(RES_MAX), log[256];
	const __u32 *want_map;
	struct btf_filter_result *ref;
	const void *want;
	__u32 want_len, want_n;
	double t0 = now_s();
	int fd, status;
	pid_t pid;

	MODSRC_NEEDED();
	ASSERT_NE(NULL, map);
	ASSERT_NE(NULL, buf);
	ref = btf_filter__query(sels, 1, &u);
	ASSERT_NE(NULL, ref);
	want = btf_filter_result__data(ref, &want_len);
	want_map = btf_filter_result__id_map(ref, &want_n);
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* loaded 0-400 ms, unloaded 0-100 ms, until killed */
		srand(getpid());
		for (;;) {
			if (modsrc_unload_one(&self->m, last))
				_exit(2);
			usleep(rand() % 100000);
			if (modsrc_load_one(&self->m, last))
				_exit(3);
			usleep(rand() % 400000);
		}
	}
	while (now_s() - t0 < 120 && (ok < 10 || during < 10 || !absent)) {
		__u32 len = 0, n = MAP_MAX;
		int err = modquery(fd, variant->name, self->names[0], buf,
				   &len, map, &n, log, sizeof(log));

		if (!err && len == want_len && !memcmp(buf, want, len) &&
		    n == want_n && !memcmp(map, want_map, n * sizeof(*map)))
			ok++;
		else if (err == -ENODEV && strstr(log, "during the query"))
			during++;
		else if (err == -ENODEV && strstr(log, "is loaded"))
			absent++;
		else if (other++ < 5)
			TH_LOG("%s: %s (%s), %u bytes", self->names[0],
			       err ? strerror(-err) : "a wrong answer", log,
			       len);
	}
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("the child that loads and unloads %s: exit %d",
		       variant->name, WEXITSTATUS(status));
	}
	/* whatever the child left loaded, the teardown unloads */
	self->m.loaded[last] = true;
	TH_LOG("%.0f s: %d right answers, %d unloaded during the query, %d not loaded when asked",
	       now_s() - t0, ok, during, absent);
	EXPECT_EQ(0, other);
	EXPECT_LE(10, ok);
	EXPECT_LE(10, during);
	EXPECT_LE(1, absent);
	btf_filter_result__free(ref);
	close(fd);
	free(map);
	free(buf);
}

/*
 * 16,000 copies of the one-letter selector "e" (32 KB, under
 * max_sel_bytes): each matches the tail of thousands of strings.  They
 * must collapse into one selector, cost what one costs, and all be
 * reported missing; both with the index kept and streaming.
 */
TEST_F_TIMEOUT(mod, many_selectors_bounded, 600)
{
	enum { N = 16000 };
	char *many = malloc(2 * N);
	struct btf_filter_query q;
	const char *cached[] = { "1", "0" };
	int fd, i;

	ASSERT_NE(NULL, many);
	for (i = 0; i < N; i++) {
		many[2 * i] = 'e';
		many[2 * i + 1] = 0;
	}
	fd = open(BTF_FILTER_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		double t0;

		ASSERT_EQ(0, write_file(SYSFS "index_cached", cached[i], 1));
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.flags = BTF_FILTER_F_ALLOW_MISSING;
		q.sel_ptr = (__u64)(unsigned long)many;
		q.sel_len = 2 * N;
		q.buf_ptr = (__u64)(unsigned long)self->t.buf;
		q.buf_len = RES_MAX;
		t0 = now_s();
		EXPECT_EQ(0, ioctl(fd, BTF_FILTER_IOC_QUERY, &q));
		EXPECT_EQ(N, q.nr_missing);
		EXPECT_EQ(0, q.first_missing);
		/* streaming the whole BTF under TCG takes about 0.15 s */
		EXPECT_GT(5.0, now_s() - t0) {
			TH_LOG("index_cached=%s: %.2f s", cached[i],
			       now_s() - t0);
		}
	}
	ASSERT_EQ(0, write_file(SYSFS "index_cached", "1", 1));
	close(fd);
	free(many);
}

/* stats/ tells when others query and how much: root only, every file. */
TEST_F(mod, stats_root_only)
{
	static const char *const names[] = {
		"queries", "errors", "bytes", "last_ns", "max_ns", "index_bytes",
	};
	char path[128];
	struct stat st;
	int status;
	size_t i;
	pid_t pid;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), SYSFS "stats/%s", names[i]);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0400, st.st_mode & 0777) TH_LOG("%s", path);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (setresuid(NOBODY, NOBODY, NOBODY))
				_exit(2);
			_exit(open(path, O_RDONLY) < 0 && errno == EACCES ?
			      0 : 1);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			TH_LOG("nobody could open %s", path);
		}
	}
}

TEST_HARNESS_MAIN
