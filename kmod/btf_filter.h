/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of the btf_filter module, shared by its files. */
#ifndef BTF_FILTER_KMOD_H
#define BTF_FILTER_KMOD_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/types.h>

#include "../core/btf_filter_core.h"

#define BTF_FILTER_VERSION_CODE	((0 << 16) | (1 << 8) | 0)
#define BTF_FILTER_VERSION_STR	"0.1.0"
#define BTF_FILTER_LOG_LEN	256

/* Module parameters (btf_filter_main.c). */
extern bool bfk_cache_index;
extern unsigned int bfk_max_sel_bytes;
extern unsigned int bfk_max_result;
extern unsigned int bfk_require_cap;
extern bool bfk_cache_blob;
extern unsigned int bfk_max_source;

struct bfk_stats {
	atomic64_t queries;
	atomic64_t errors;
	atomic64_t bytes;
	atomic64_t last_ns;
	atomic64_t max_ns;
};

extern struct bfk_stats bfk_stats;

/* One query's view of a source: an open file and the core's callbacks. */
struct bfk_source {
	struct file *file;
	struct bf_env env;
	char log[BTF_FILTER_LOG_LEN];
};

int bfk_source_open(struct bfk_source *src, const char *name);
void bfk_source_close(struct bfk_source *src);

/*
 * The kept index of vmlinux, if caching is on: a reference the caller
 * drops with bfk_index_put(), or NULL (caching off) or an ERR_PTR.
 */
struct bfk_index;
struct bfk_index *bfk_index_get(struct bfk_source *src);
void bfk_index_put(struct bfk_index *ki);
const struct bf_index *bfk_index(const struct bfk_index *ki);
void bfk_use_index(struct bfk_source *src, const struct bfk_index *ki);
int bfk_set_cached(bool on);
bool bfk_is_cached(void);
u64 bfk_index_bytes(void);
void bfk_index_drop(void);

long bfk_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

extern const struct attribute_group *bfk_groups[];

#endif /* BTF_FILTER_KMOD_H */
