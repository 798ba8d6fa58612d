// SPDX-License-Identifier: GPL-2.0
/*
 * The sources: the running kernel's vmlinux BTF, as sysfs serves it, and
 * a loaded module's BTF (split BTF on top of vmlinux's), likewise.
 *
 * Nothing exported hands a module the vmlinux BTF in memory, so the sysfs
 * file is the way in.  It is opened once, by a kernel worker: workers
 * resolve paths in init's root and mount namespace with the kernel's
 * credentials, never in a caller's, so no chroot, user or mount namespace,
 * or missing /sys of a caller can put another file in its place.  The file
 * must be on sysfs (SYSFS_MAGIC).  It is kept open until the module is
 * unloaded, and read with kernel_read() at explicit offsets, so every
 * caller reads the same bytes.  A module's file is opened the same way for
 * each query on it and closed after: only a module loaded now is a source.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "btf_filter.h"

#define BFK_SYSFS_BTF		"/sys/kernel/btf/"
#define BFK_VMLINUX_PATH	BFK_SYSFS_BTF "vmlinux"

static struct file *bfk_btf;		/* set once, under bfk_open_lock */
static DEFINE_MUTEX(bfk_open_lock);

struct bfk_opener {
	struct work_struct work;
	const char *path;
	struct file *file;
};

/* In a kernel worker: init's root, init's mount namespace, kernel creds. */
static void bfk_open_work(struct work_struct *work)
{
	struct bfk_opener *o = container_of(work, struct bfk_opener, work);
	struct file *f = filp_open(o->path, O_RDONLY, 0);

	if (!IS_ERR(f) && file_inode(f)->i_sb->s_magic != SYSFS_MAGIC) {
		filp_close(f, NULL);
		f = ERR_PTR(-ENODEV);
	}
	o->file = f;
}

/* path opened by a kernel worker, on sysfs, or an ERR_PTR. */
static struct file *bfk_open_in_init(const char *path)
{
	struct bfk_opener o = { .path = path };

	INIT_WORK_ONSTACK(&o.work, bfk_open_work);
	schedule_work(&o.work);
	flush_work(&o.work);
	destroy_work_on_stack(&o.work);
	return o.file;
}

/* The source's file, opened on first use; NULL if the kernel has none. */
static struct file *bfk_btf_file(void)
{
	/* Pairs with the release below: an opened file is seen whole. */
	struct file *f = smp_load_acquire(&bfk_btf);

	if (f)
		return f;
	if (mutex_lock_killable(&bfk_open_lock))
		return ERR_PTR(-EINTR);
	f = bfk_btf;
	if (!f) {
		f = bfk_open_in_init(BFK_VMLINUX_PATH);
		if (IS_ERR(f)) {
			pr_info_ratelimited("btf_filter: %s: error %ld\n",
					    BFK_VMLINUX_PATH, PTR_ERR(f));
			f = ERR_PTR(-ENODEV);
		} else {
			/* Pairs with the acquire above. */
			smp_store_release(&bfk_btf, f);
		}
	}
	mutex_unlock(&bfk_open_lock);
	return f;
}

static int bfk_file_read(struct file *f, u64 off, void *buf, u32 len)
{
	loff_t pos = off;

	while (len) {
		ssize_t n = kernel_read(f, buf, len, &pos);

		/*
		 * sysfs allocates a page per read: ENOMEM is the caller's;
		 * ENODEV: the file's module was unloaded since it was opened
		 */
		if (n < 0)
			return n == -EINTR || n == -ENOMEM || n == -ENODEV ?
			       n : -EIO;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

int bfk_source_read(u64 off, void *buf, u32 len)
{
	struct file *f = bfk_btf_file();

	if (IS_ERR(f))
		return PTR_ERR(f);
	return bfk_file_read(f, off, buf, len);
}

static int bfk_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	return bfk_source_read(off, buf, len);
}

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
/*
 * debugfs fail_btf_filter: fault injection (Documentation/fault-injection/)
 * into the module's own allocations, as failslab's into the slab's; with
 * task-filter and /proc/<pid>/fail-nth too.  For the selftests.
 */
static DECLARE_FAULT_ATTR(bfk_fail);
static struct dentry *bfk_fail_dir;

static bool bfk_should_fail(size_t size)
{
	return should_fail(&bfk_fail, size);
}

void bfk_fault_init(void)
{
	bfk_fail_dir = fault_create_debugfs_attr("fail_btf_filter", NULL,
						 &bfk_fail);
}

void bfk_fault_exit(void)
{
	debugfs_remove_recursive(bfk_fail_dir);
}
#else
static bool bfk_should_fail(size_t size)
{
	return false;
}

void bfk_fault_init(void)
{
}

void bfk_fault_exit(void)
{
}
#endif

/* Every allocation of the module (zeroed with __GFP_ZERO). */
void *bfk_kvmalloc(size_t size, gfp_t gfp)
{
	if (bfk_should_fail(size))
		return NULL;
	return kvmalloc(size, gfp | __GFP_NOWARN);
}

/* A caller's query: its memory is charged to the caller. */
static void *bfk_zalloc(void *ctx, size_t size)
{
	return bfk_kvmalloc(size, GFP_KERNEL_ACCOUNT | __GFP_ZERO);
}

/* What every caller shares (the kept index): charged to no one. */
static void *bfk_zalloc_shared(void *ctx, size_t size)
{
	return bfk_kvmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

static void bfk_free(void *ctx, void *p, size_t size)
{
	kvfree(p);
}

static void bfk_log(void *ctx, const char *msg)
{
	struct bfk_source *src = ctx;

	if (!src->log[0])
		strscpy(src->log, msg, sizeof(src->log));
}

/*
 * A module's BTF, from the file this query opened.  Once the module is
 * unloaded, every read of it fails with ENODEV (kernfs), even if a module
 * of the same name is loaded again: a query never mixes the two.
 */
static int bfk_module_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	struct bfk_source *src = ctx;
	int err = bfk_file_read(src->file, off, buf, len);

	if (err == -ENODEV)
		bfk_log(src, "the module was unloaded during the query");
	return err;
}

int bfk_source_init(struct bfk_source *src, bool shared)
{
	struct file *f;

	memset(src, 0, sizeof(*src));
	src->env.mem.zalloc = shared ? bfk_zalloc_shared : bfk_zalloc;
	src->env.mem.free = bfk_free;
	src->env.log = bfk_log;
	src->env.log_ctx = src;
	f = bfk_btf_file();
	if (IS_ERR(f)) {
		snprintf(src->log, sizeof(src->log),
			 "the kernel's BTF (%s) cannot be opened",
			 BFK_VMLINUX_PATH);
		return PTR_ERR(f);
	}
	src->env.rd.read_at = bfk_read_at;
	src->env.rd.size = i_size_read(file_inode(f));
	return 0;
}

int bfk_source_init_module(struct bfk_source *src, const char *name)
{
	char path[sizeof(BFK_SYSFS_BTF) + BFK_SOURCE_MAX];
	struct file *f;
	int err;

	err = bfk_source_init(src, false);
	if (err)
		return err;
	snprintf(path, sizeof(path), BFK_SYSFS_BTF "%s", name);
	f = bfk_open_in_init(path);
	if (IS_ERR(f)) {
		snprintf(src->log, sizeof(src->log),
			 "no module '%s' with BTF is loaded", name);
		return -ENODEV;
	}
	src->file = f;
	src->env.base = src->env.rd;	/* the module's BTF is split BTF */
	src->env.rd.read_at = bfk_module_read_at;
	src->env.rd.ctx = src;
	src->env.rd.size = i_size_read(file_inode(f));
	return 0;
}

void bfk_source_fini(struct bfk_source *src)
{
	if (src->file)
		filp_close(src->file, NULL);
	src->file = NULL;
}

/* At unload, when no caller is left. */
void bfk_source_release(void)
{
	if (bfk_btf)
		filp_close(bfk_btf, NULL);
	bfk_btf = NULL;
}
