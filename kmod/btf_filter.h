/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of the btf_filter module, shared by its files. */
#ifndef BTF_FILTER_KMOD_H
#define BTF_FILTER_KMOD_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/types.h>

#include <uapi/linux/btf_filter.h>

#include "../core/btf_filter_core.h"

/* BTF_FILTER_VERSION_STR and _CODE come from the file VERSION (Kbuild). */
#define BTF_FILTER_LOG_LEN	256

struct bfk_stats {
	atomic64_t queries;
	atomic64_t errors;
	atomic64_t bytes;
	atomic64_t last_ns;
	atomic64_t max_ns;
};

extern struct bfk_stats bfk_stats;

/*
 * One caller's view of the source (btf_filter_source.c): the running
 * kernel's vmlinux BTF, opened once by the module, never by path in the
 * caller's context, and core/'s callbacks over it.  A shared view (the
 * kept index's) allocates memory charged to no caller.
 */
struct bfk_source {
	struct bf_env env;
	struct file *file;	/* a module's BTF, for this query */
	char log[BTF_FILTER_LOG_LEN];
};

#define BFK_SOURCE_MAX		BTF_FILTER_SOURCE_MAX

void *bfk_kvmalloc(size_t size, gfp_t gfp);
void bfk_fault_init(void);
void bfk_fault_exit(void);
int bfk_source_init(struct bfk_source *src, bool shared);
/* A loaded module's BTF on vmlinux's: -ENODEV if there is none. */
int bfk_source_init_module(struct bfk_source *src, const char *name);
void bfk_source_fini(struct bfk_source *src);
int bfk_source_read(u64 off, void *buf, u32 len);
void bfk_source_release(void);

/*
 * The kept index of vmlinux (btf_filter_cache.c): a reference the caller
 * drops with bfk_index_put(), or NULL (caching off) or an ERR_PTR.
 */
struct bfk_index;
struct bfk_index *bfk_index_get(void);
void bfk_index_put(struct bfk_index *ki);
const struct bf_index *bfk_index(const struct bfk_index *ki);
void bfk_use_index(struct bfk_source *src, const struct bfk_index *ki);
int bfk_set_cached(bool on);
bool bfk_is_cached(void);
u64 bfk_index_bytes(void);
void bfk_index_drop(void);
int bfk_source_info(struct bf_source_info *info);

long bfk_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

extern const struct attribute_group *bfk_groups[];

#endif /* BTF_FILTER_KMOD_H */
