// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* libbtf_filter: core/ run in userspace over a file or a buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libbtf_filter.h"
#include "source.h"
#include "lib_internal.h"
#include "btf_filter_core.h"

struct btf_filter_result {
	struct bf_result res;
	struct btf_filter_stats stats;
};

/* Heap accounting, so that --stats can tell what the filter held. */
struct bf_heap {
	size_t cur;
	size_t peak;
};

static void *bf_user_zalloc(void *ctx, size_t size)
{
	struct bf_heap *h = ctx;
	void *p = calloc(1, size);

	if (p) {
		h->cur += size;
		if (h->cur > h->peak)
			h->peak = h->cur;
	}
	return p;
}

static void bf_user_free(void *ctx, void *p, size_t size)
{
	struct bf_heap *h = ctx;

	h->cur -= size;
	free(p);
}

struct bf_logbuf {
	char *buf;
	size_t size;
};

static void bf_user_log(void *ctx, const char *msg)
{
	struct bf_logbuf *l = ctx;

	if (l->buf && l->size && !l->buf[0])	/* keep the first line */
		snprintf(l->buf, l->size, "%s", msg);
}

void bf_set_log(const struct btf_filter_opts *o, const char *msg)
{
	if (o && o->log_buf && o->log_size)
		snprintf(o->log_buf, o->log_size, "%s", msg);
}

/*
 * Options: known size, zero tail (libbpf's OPTS_VALID); copied into a full
 * struct so fields the caller's older struct lacks read as zero.
 */
int bf_get_opts(const struct btf_filter_opts *opts, struct btf_filter_opts *o)
{
	size_t known = offsetof(struct btf_filter_opts,
				btf_filter_opts__last_field) +
		       sizeof(opts->btf_filter_opts__last_field);
	const char *p = (const char *)opts;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	if (!opts)
		return 0;
	if (opts->sz < offsetofend(struct btf_filter_opts, sz))
		return -EINVAL;
	for (i = known; i < opts->sz; i++)
		if (p[i])
			return -EINVAL;
	memcpy(o, opts, opts->sz < known ? opts->sz : known);
	o->sz = sizeof(*o);
	return 0;
}

/* The selectors as core/ takes them: NUL-terminated, back to back. */
static char *bf_pack_sels(const char *const *sels, size_t n, __u32 *len)
{
	size_t total = 0, i;
	char *buf, *p;

	for (i = 0; i < n; i++) {
		if (!sels[i])
			return NULL;
		total += strlen(sels[i]) + 1;
		if (total > 0xffffffffU)
			return NULL;
	}
	p = buf = malloc(total ? total : 1);
	if (!buf)
		return NULL;
	for (i = 0; i < n; i++) {
		size_t l = strlen(sels[i]) + 1;

		memcpy(p, sels[i], l);
		p += l;
	}
	*len = total;
	return buf;
}

static void bf_log_reset(const struct btf_filter_opts *o)
{
	if (o->log_buf && o->log_size)
		o->log_buf[0] = 0;
}

/* The userspace backend: core/ over src (on src[1], for split BTF). */
static int bf_user_backend(void *ctx, const struct bf_query *q,
			   const struct btf_filter_opts *o,
			   struct btf_filter_result *r)
{
	struct bf_source *src = ctx, *base = &src[1];
	struct bf_heap heap = { 0 };
	struct bf_logbuf log = { o->log_buf, o->log_size };
	struct bf_env env = {
		.rd = {
			.read_at = bf_source_read,
			.ptr_at = src->mem ? bf_source_ptr : NULL,
			.ctx = src,
			.size = src->size,
		},
		.base = {
			.read_at = bf_source_read,
			.ptr_at = base->mem ? bf_source_ptr : NULL,
			.ctx = base,
			.size = base->size,
		},
		.mem = { bf_user_zalloc, bf_user_free, &heap },
		.log = bf_user_log,
		.log_ctx = &log,
	};
	int err = bf_query_run(&env, NULL, q, &r->res);

	r->stats.src_bytes = src->size + base->size;
	r->stats.peak_heap = heap.peak;
	r->stats.reads = src->reads + base->reads;
	r->stats.src_types = r->res.src_types;
	r->stats.backend = BTF_FILTER_BACKEND_USER;
	return err;
}

/* The kernel backend: /dev/btf_filter over the running kernel's BTF. */
static int bf_kernel_backend(void *ctx, const struct bf_query *q,
			     const struct btf_filter_opts *o,
			     struct btf_filter_result *r)
{
	struct btf_filter_info info;
	int err = bf_kernel_query(q, o, &r->res);

	r->stats.backend = BTF_FILTER_BACKEND_KERNEL;
	if (!err && !bf_kernel_info(&info, o->source)) {
		r->stats.src_types = info.nr_types;
		r->stats.src_bytes = info.btf_size;
	}
	return err;
}

typedef int (*bf_backend_fn)(void *ctx, const struct bf_query *q,
			     const struct btf_filter_opts *o,
			     struct btf_filter_result *r);

/* One query through a backend: the selectors packed, the result counted. */
static struct btf_filter_result *
bf_run(bf_backend_fn backend, void *ctx, const char *const *sels,
       size_t nr_sels, const struct btf_filter_opts *o)
{
	struct bf_heap heap = { 0 };
	struct bf_env env = { .mem = { bf_user_zalloc, bf_user_free, &heap } };
	struct bf_query q = {
		.mode = o->mode,
		.flags = o->flags,
		.max_blob = o->max_blob,
	};
	struct btf_filter_result *r;
	char *packed;
	int err;

	bf_log_reset(o);
	if (!sels && nr_sels) {
		bf_set_log(o, "no selectors given");
		errno = EINVAL;
		return NULL;
	}
	packed = bf_pack_sels(sels, nr_sels, &q.sel_len);
	if (!packed) {
		errno = nr_sels ? ENOMEM : EINVAL;
		return NULL;
	}
	q.sels = packed;
	r = calloc(1, sizeof(*r));
	err = r ? backend(ctx, &q, o, r) : -ENOMEM;
	free(packed);
	if (err) {
		if (r)
			bf_result_free(&env, &r->res);
		free(r);
		errno = -err;
		return NULL;
	}
	r->stats.nr_missing = r->res.nr_missing;
	r->stats.first_missing = r->res.first_missing;
	r->stats.res_types = r->res.nr_types;
	r->stats.res_bytes = r->res.blob_len;
	return r;
}

/* Which backend answers: the device serves the running kernel's vmlinux. */
static int bf_pick_backend(struct btf_filter_opts *o, bool is_vmlinux)
{
	switch (o->backend) {
	case BTF_FILTER_BACKEND_AUTO:
		return is_vmlinux && !access(BTF_FILTER_DEVICE, F_OK) ?
		       BTF_FILTER_BACKEND_KERNEL : BTF_FILTER_BACKEND_USER;
	case BTF_FILTER_BACKEND_KERNEL:
		if (is_vmlinux)
			return BTF_FILTER_BACKEND_KERNEL;
		bf_set_log(o, "the kernel backend serves only vmlinux and loaded modules, not files");
		return -EINVAL;
	case BTF_FILTER_BACKEND_USER:
		return BTF_FILTER_BACKEND_USER;
	default:
		bf_set_log(o, "unknown backend");
		return -EINVAL;
	}
}

/*
 * A source named by a module's name: no '/' in it, no such file here, and
 * only the characters of module names.
 */
static bool bf_is_module_name(const char *s)
{
	size_t n = strspn(s, BTF_FILTER_SOURCE_CHARS);

	return n && !s[n] && n < BTF_FILTER_SOURCE_MAX && access(s, F_OK);
}

struct btf_filter_result *
btf_filter__query(const char *const *sels, size_t nr_sels,
		  const struct btf_filter_opts *opts)
{
	const char *path = BTF_FILTER_VMLINUX, *base = NULL;
	char msg[512] = "", module[128];
	struct btf_filter_result *r;
	struct bf_source src[2];
	struct btf_filter_opts o;
	bool is_vmlinux = true;
	int err;

	err = bf_get_opts(opts, &o);
	if (err) {
		errno = -err;
		return NULL;
	}
	base = o.base;
	if (o.source && strcmp(o.source, "vmlinux")) {
		path = o.source;
		is_vmlinux = false;
		if (bf_is_module_name(o.source)) {
			snprintf(module, sizeof(module), "%s/%s",
				 BTF_FILTER_SYSFS_BTF, o.source);
			path = module;
			if (!base)
				base = BTF_FILTER_VMLINUX;
			if (access(path, F_OK)) {
				snprintf(msg, sizeof(msg),
					 "no module '%s' with BTF is loaded (no %s)",
					 o.source, path);
				bf_set_log(&o, msg);
				errno = ENOENT;
				return NULL;
			}
		}
	}
	/* The module serves vmlinux and loaded modules, on vmlinux. */
	err = bf_pick_backend(&o, (is_vmlinux || path == module) && !o.base);
	if (err < 0) {
		errno = -err;
		return NULL;
	}
	if (err == BTF_FILTER_BACKEND_KERNEL)
		return bf_run(bf_kernel_backend, NULL, sels, nr_sels, &o);
	memset(&src[1], 0, sizeof(src[1]));
	src[1].fd = -1;
	err = bf_source_open(&src[0], path, msg, sizeof(msg));
	if (!err && base) {
		err = bf_source_open(&src[1], base, msg, sizeof(msg));
		if (err)
			bf_source_close(&src[0]);
	}
	if (err) {
		bf_set_log(&o, msg);
		errno = -err;
		return NULL;
	}
	r = bf_run(bf_user_backend, src, sels, nr_sels, &o);
	err = errno;
	bf_source_close(&src[0]);
	bf_source_close(&src[1]);
	errno = err;
	return r;
}

struct btf_filter_result *
btf_filter__query_mem(const void *btf, size_t btf_size,
		      const char *const *sels, size_t nr_sels,
		      const struct btf_filter_opts *opts)
{
	struct bf_source src[2] = {
		{ .fd = -1, .mem = btf, .size = btf_size },
		{ .fd = -1 },
	};
	struct btf_filter_opts o;
	int err;

	err = bf_get_opts(opts, &o);
	if (err || (!btf && btf_size)) {
		errno = err ? -err : EINVAL;
		return NULL;
	}
	return bf_run(bf_user_backend, src, sels, nr_sels, &o);
}

const void *btf_filter_result__data(const struct btf_filter_result *res,
				    __u32 *size)
{
	if (size)
		*size = res->res.blob_len;
	return res->res.blob;
}

const __u32 *btf_filter_result__id_map(const struct btf_filter_result *res,
				       __u32 *nr)
{
	if (nr)
		*nr = res->res.id_map ? res->res.nr_types : 0;
	if (!res->res.id_map)
		errno = ENODATA;
	return res->res.id_map;
}

static const char *const bf_backend_names[] = {
	[BTF_FILTER_BACKEND_AUTO] = "auto",
	[BTF_FILTER_BACKEND_KERNEL] = "kernel",
	[BTF_FILTER_BACKEND_USER] = "user",
};

const char *btf_filter__backend_str(__u32 backend)
{
	return backend < ARRAY_SIZE(bf_backend_names) ?
	       bf_backend_names[backend] : NULL;
}

int btf_filter__backend_from_str(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(bf_backend_names); i++)
		if (!strcmp(name, bf_backend_names[i]))
			return i;
	errno = EINVAL;
	return -EINVAL;
}

void btf_filter_result__stats(const struct btf_filter_result *res,
			      struct btf_filter_stats *stats)
{
	*stats = res->stats;
}

void btf_filter_result__free(struct btf_filter_result *res)
{
	struct bf_heap heap = { 0 };
	struct bf_env env = {
		.mem = { bf_user_zalloc, bf_user_free, &heap },
	};

	if (!res)
		return;
	bf_result_free(&env, &res->res);
	free(res);
}
