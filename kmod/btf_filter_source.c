// SPDX-License-Identifier: GPL-2.0
/*
 * The module's side of core/: BTF read with kernel_read() from
 * /sys/kernel/btf/<name> (one open file per query, so queries never share
 * a file position or its lock), memory from kvzalloc(), and the kept index
 * of vmlinux, built at most once and shared by reference.
 */
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "btf_filter.h"

static int bfk_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	struct bfk_source *src = ctx;
	loff_t pos = off;

	while (len) {
		ssize_t n = kernel_read(src->file, buf, len, &pos);

		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

static void *bfk_zalloc(void *ctx, size_t size)
{
	return kvzalloc(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
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

int bfk_source_open(struct bfk_source *src, const char *name)
{
	char path[64];

	memset(src, 0, sizeof(*src));
	if (strcmp(name, "vmlinux")) {
		snprintf(src->log, sizeof(src->log),
			 "source '%s': only vmlinux is supported", name);
		return -EOPNOTSUPP;
	}
	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", name);
	src->file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(src->file)) {
		int err = PTR_ERR(src->file);

		src->file = NULL;
		snprintf(src->log, sizeof(src->log), "%s: error %d", path, err);
		return err == -ENOENT ? -ENODEV : err;
	}
	src->env.rd.read_at = bfk_read_at;
	src->env.rd.ctx = src;
	src->env.rd.size = i_size_read(file_inode(src->file));
	src->env.mem.zalloc = bfk_zalloc;
	src->env.mem.free = bfk_free;
	src->env.log = bfk_log;
	src->env.log_ctx = src;
	return 0;
}

void bfk_source_close(struct bfk_source *src)
{
	if (src->file)
		filp_close(src->file, NULL);
	src->file = NULL;
}

/* ---- the kept index ---- */

struct bfk_index {
	struct kref ref;
	struct bf_index *idx;
	u64 bytes;
	u8 *btf;	/* cache=blob: a private copy of the source */
	u64 btf_size;
};

static int bfk_mem_read_at(void *ctx, u64 off, void *buf, u32 len)
{
	const struct bfk_index *ki = ctx;

	if (off > ki->btf_size || ki->btf_size - off < len)
		return -EIO;
	memcpy(buf, ki->btf + off, len);
	return 0;
}

static const void *bfk_mem_ptr_at(void *ctx, u64 off, u32 len)
{
	const struct bfk_index *ki = ctx;

	return ki->btf + off;	/* core/ checked off + len <= size */
}

/* With cache_blob, read from the kept copy instead of the file. */
void bfk_use_index(struct bfk_source *src, const struct bfk_index *ki)
{
	if (!ki->btf)
		return;
	src->env.rd.read_at = bfk_mem_read_at;
	src->env.rd.ptr_at = bfk_mem_ptr_at;
	src->env.rd.ctx = (void *)ki;
	src->env.rd.size = ki->btf_size;
}

static DEFINE_MUTEX(bfk_cache_lock);
static struct bfk_index *bfk_cached;	/* under bfk_cache_lock */

static void bfk_index_release(struct kref *ref)
{
	struct bfk_index *ki = container_of(ref, struct bfk_index, ref);
	struct bf_env env = {
		.mem = { .zalloc = bfk_zalloc, .free = bfk_free },
	};

	bf_index_free(&env, ki->idx);
	kvfree(ki->btf);
	kfree(ki);
}

void bfk_index_put(struct bfk_index *ki)
{
	if (!IS_ERR_OR_NULL(ki))
		kref_put(&ki->ref, bfk_index_release);
}

const struct bf_index *bfk_index(const struct bfk_index *ki)
{
	return ki->idx;
}

/* Build the index from src and keep it; under bfk_cache_lock. */
static int bfk_build(struct bfk_source *src)
{
	struct bf_source_info info;
	struct bfk_index *ki;
	int err;

	ki = kzalloc(sizeof(*ki), GFP_KERNEL_ACCOUNT);
	if (!ki)
		return -ENOMEM;
	if (READ_ONCE(bfk_cache_blob) && src->env.rd.size <= bfk_max_source) {
		ki->btf_size = src->env.rd.size;
		ki->btf = kvmalloc(ki->btf_size, GFP_KERNEL_ACCOUNT);
		err = ki->btf ? bfk_read_at(src, 0, ki->btf, ki->btf_size)
			      : -ENOMEM;
		if (err) {
			kvfree(ki->btf);
			kfree(ki);
			return err;
		}
		bfk_use_index(src, ki);
	}
	err = bf_index_build(&src->env, &ki->idx);
	if (err) {
		kvfree(ki->btf);
		kfree(ki);
		return err;
	}
	bf_index_info(ki->idx, &info);
	ki->bytes = info.index_bytes + sizeof(*ki) + ki->btf_size;
	kref_init(&ki->ref);
	bfk_cached = ki;
	return 0;
}

struct bfk_index *bfk_index_get(struct bfk_source *src)
{
	struct bfk_index *ki = NULL;
	int err = 0;

	mutex_lock(&bfk_cache_lock);
	if (!bfk_cached && READ_ONCE(bfk_cache_index))
		err = bfk_build(src);	/* once: later callers see it */
	if (!err && bfk_cached) {
		ki = bfk_cached;
		kref_get(&ki->ref);
	}
	mutex_unlock(&bfk_cache_lock);
	return err ? ERR_PTR(err) : ki;
}

void bfk_index_drop(void)
{
	struct bfk_index *ki;

	mutex_lock(&bfk_cache_lock);
	ki = bfk_cached;
	bfk_cached = NULL;
	mutex_unlock(&bfk_cache_lock);
	bfk_index_put(ki);
}

int bfk_set_cached(bool on)
{
	struct bfk_source src;
	struct bfk_index *ki;
	int err;

	WRITE_ONCE(bfk_cache_index, on);
	if (!on) {
		bfk_index_drop();
		return 0;
	}
	err = bfk_source_open(&src, "vmlinux");
	if (err)
		return err;
	ki = bfk_index_get(&src);
	bfk_source_close(&src);
	if (IS_ERR(ki))
		return PTR_ERR(ki);
	bfk_index_put(ki);
	return 0;
}

bool bfk_is_cached(void)
{
	return READ_ONCE(bfk_cached) != NULL;
}

u64 bfk_index_bytes(void)
{
	u64 bytes = 0;

	mutex_lock(&bfk_cache_lock);
	if (bfk_cached)
		bytes = bfk_cached->bytes;
	mutex_unlock(&bfk_cache_lock);
	return bytes;
}
