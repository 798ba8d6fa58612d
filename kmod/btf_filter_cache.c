// SPDX-License-Identifier: GPL-2.0
/*
 * The kept index of vmlinux: built at most once from the one source, in
 * memory charged to no caller, and shared by reference.  Builds are
 * serialised by a mutex that waiters leave on a fatal signal; the pointer
 * itself is swapped under a spinlock, so readers never wait for a build.
 */
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "btf_filter.h"

static bool bfk_cache_blob;
module_param_named(cache_blob, bfk_cache_blob, bool, 0644);
MODULE_PARM_DESC(cache_blob,
		 "Also keep a private copy of the BTF with the index: queries copy from memory instead of kernel_read() (default: 0)");

static bool bfk_name_table;
module_param_named(name_table, bfk_name_table, bool, 0644);
MODULE_PARM_DESC(name_table,
		 "Keep the name table even for a sorted source (7.0+), whose names are otherwise found by binary search; for comparing the two (default: 0)");

static unsigned int bfk_max_source = 64 * 1024 * 1024;
module_param_named(max_source, bfk_max_source, uint, 0644);
MODULE_PARM_DESC(max_source, "Largest source copied by cache_blob, in bytes");

struct bfk_index {
	struct kref ref;
	struct bf_index *idx;
	u64 bytes;
	u8 *btf;	/* cache_blob: a private copy of the source */
	u64 btf_size;
};

static bool bfk_keep = true;		/* index_cached: keep an index */
static DEFINE_MUTEX(bfk_build_lock);	/* one build at a time */
static DEFINE_SPINLOCK(bfk_cache_lock);
static struct bfk_index *bfk_cached;	/* under bfk_cache_lock */
static struct bf_source_info bfk_info;	/* under bfk_build_lock */
static bool bfk_info_valid;

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

static void bfk_kvfree(void *ctx, void *p, size_t size)
{
	kvfree(p);
}

static void bfk_index_free(struct bfk_index *ki)
{
	const struct bf_env env = { .mem = { .free = bfk_kvfree } };

	bf_index_free(&env, ki->idx);
	kvfree(ki->btf);
	kvfree(ki);
}

static void bfk_index_release(struct kref *ref)
{
	bfk_index_free(container_of(ref, struct bfk_index, ref));
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

static struct bfk_index *bfk_cached_get(void)
{
	struct bfk_index *ki;

	spin_lock(&bfk_cache_lock);
	ki = bfk_cached;
	if (ki)
		kref_get(&ki->ref);
	spin_unlock(&bfk_cache_lock);
	return ki;
}

/* Build an index from the one source; under bfk_build_lock. */
static struct bfk_index *bfk_build(void)
{
	struct bfk_source src;
	struct bfk_index *ki;
	int err;

	err = bfk_source_init(&src, true);
	if (err)
		return ERR_PTR(err);
	ki = bfk_kvmalloc(sizeof(*ki), GFP_KERNEL | __GFP_ZERO);
	if (!ki)
		return ERR_PTR(-ENOMEM);
	if (READ_ONCE(bfk_cache_blob) &&
	    src.env.rd.size <= READ_ONCE(bfk_max_source)) {
		ki->btf_size = src.env.rd.size;
		ki->btf = bfk_kvmalloc(ki->btf_size, GFP_KERNEL);
		err = ki->btf ? bfk_source_read(0, ki->btf, ki->btf_size) :
				-ENOMEM;
		if (err)
			goto fail;
		bfk_use_index(&src, ki);
	}
	err = bf_index_build(&src.env,
			     READ_ONCE(bfk_name_table) ? BF_IDX_NAME_TABLE : 0,
			     &ki->idx);
	if (err)
		goto fail;
	bf_index_info(ki->idx, &bfk_info);
	bfk_info_valid = true;
	ki->bytes = bfk_info.index_bytes + sizeof(*ki) + ki->btf_size;
	kref_init(&ki->ref);
	return ki;
fail:
	bfk_index_free(ki);
	return ERR_PTR(err);
}

struct bfk_index *bfk_index_get(void)
{
	struct bfk_index *ki = bfk_cached_get();

	if (ki || !READ_ONCE(bfk_keep))
		return ki;
	if (mutex_lock_killable(&bfk_build_lock))
		return ERR_PTR(-EINTR);
	ki = bfk_cached_get();	/* built while we waited? */
	if (!ki && READ_ONCE(bfk_keep)) {
		ki = bfk_build();
		/*
		 * Kept only if still wanted: a writer of index_cached sets
		 * the knob before it takes the lock to drop the index.
		 */
		spin_lock(&bfk_cache_lock);
		if (!IS_ERR(ki) && READ_ONCE(bfk_keep) && !bfk_cached) {
			kref_get(&ki->ref);	/* the cache's reference */
			bfk_cached = ki;
		}
		spin_unlock(&bfk_cache_lock);
	}
	mutex_unlock(&bfk_build_lock);
	return ki;
}

void bfk_index_drop(void)
{
	struct bfk_index *ki;

	spin_lock(&bfk_cache_lock);
	ki = bfk_cached;
	bfk_cached = NULL;
	spin_unlock(&bfk_cache_lock);
	bfk_index_put(ki);
}

/*
 * The knob only: the next query builds the index.  A sysfs store must not
 * build it itself: that would read the BTF's sysfs file while holding the
 * store's own kernfs mutex and wait for bfk_build_lock under it, an order
 * lockdep reports against the builder's (bfk_build_lock, then the BTF
 * file's kernfs mutex).
 */
int bfk_set_cached(bool on)
{
	WRITE_ONCE(bfk_keep, on);
	if (!on)
		bfk_index_drop();
	return 0;
}

/* index_cached reads the knob; stats/index_bytes says what is held. */
bool bfk_is_cached(void)
{
	return READ_ONCE(bfk_keep);
}

u64 bfk_index_bytes(void)
{
	struct bfk_index *ki = bfk_cached_get();
	u64 bytes = ki ? ki->bytes : 0;

	bfk_index_put(ki);
	return bytes;
}

/*
 * The source's facts never change: taken from the first index built, or
 * from one built for the purpose, once.
 */
int bfk_source_info(struct bf_source_info *info)
{
	struct bfk_index *ki;
	int err = 0;

	if (mutex_lock_killable(&bfk_build_lock))
		return -EINTR;
	if (!bfk_info_valid) {
		ki = bfk_build();
		if (IS_ERR(ki))
			err = PTR_ERR(ki);
		else
			bfk_index_put(ki);
	}
	*info = bfk_info;
	mutex_unlock(&bfk_build_lock);
	return err;
}
