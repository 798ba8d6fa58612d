// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls, from one table of commands: the size-versioned struct is
 * read with copy_struct_from_user() and only its output fields written
 * back, in one place; each handler checks its inputs against the caps
 * before it allocates, and runs core/.
 */
#include <linux/capability.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/linux/btf_filter.h>
#include "btf_filter.h"

static unsigned int bfk_max_sel_bytes = 64 * 1024;
module_param_named(max_sel_bytes, bfk_max_sel_bytes, uint, 0644);
MODULE_PARM_DESC(max_sel_bytes, "Largest selector list in bytes (E2BIG)");

static unsigned int bfk_max_result = 16 * 1024 * 1024;
module_param_named(max_result, bfk_max_result, uint, 0644);
MODULE_PARM_DESC(max_result,
		 "Largest result blob in bytes (E2BIG); 0: only the 4 GiB of the format");

static unsigned int bfk_require_cap;
module_param_named(require_cap, bfk_require_cap, uint, 0644);
MODULE_PARM_DESC(require_cap,
		 "1: queries need CAP_BPF or CAP_SYS_ADMIN (EPERM) (default: 0)");

/*
 * The source named by the caller into name (BFK_SOURCE_MAX bytes): "" for
 * the kernel's vmlinux, else a module's name, of the characters module
 * names have: nothing that could leave /sys/kernel/btf/.
 */
static int bfk_check_source(u64 uptr, char *name)
{
	long n;

	name[0] = 0;
	if (!uptr)
		return 0;
	n = strncpy_from_user(name, u64_to_user_ptr(uptr), BFK_SOURCE_MAX);
	if (n < 0)
		return n;
	if (n == BFK_SOURCE_MAX)
		return -E2BIG;
	if (!strcmp(name, "vmlinux")) {
		name[0] = 0;
		return 0;
	}
	if (!n || strspn(name, BTF_FILTER_SOURCE_CHARS) != n)
		return -EINVAL;
	return 0;
}

/* The error line, truncated to log_len; a bad log pointer is ignored. */
static void bfk_put_log(const struct btf_filter_query *q, const char *log)
{
	char __user *ulog = u64_to_user_ptr(q->log_ptr);
	size_t n;

	if (!ulog || !q->log_len || !log[0])
		return;
	n = min_t(size_t, strnlen(log, BTF_FILTER_LOG_LEN - 1),
		  q->log_len - 1);
	if (!copy_to_user(ulog, log, n))
		put_user(0, ulog + n);
}

static void bfk_account(ktime_t start, int err, u32 bytes)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), start));
	u64 max;

	atomic64_inc(&bfk_stats.queries);
	if (err)
		atomic64_inc(&bfk_stats.errors);
	else
		atomic64_add(bytes, &bfk_stats.bytes);
	atomic64_set(&bfk_stats.last_ns, ns);
	max = atomic64_read(&bfk_stats.max_ns);
	while (ns > max) {
		u64 old = atomic64_cmpxchg(&bfk_stats.max_ns, max, ns);

		if (old == max)
			break;
		max = old;
	}
}

static int bfk_check_query(const struct btf_filter_query *q)
{
	if (q->flags & ~(BTF_FILTER_F_ALLOW_MISSING | BTF_FILTER_F_ID_MAP))
		return -EINVAL;
	if (q->mode > BTF_FILTER_MODE_FIELDS)
		return -EINVAL;
	if (q->reserved[0] || q->reserved[1])
		return -EINVAL;
	if (!q->sel_len)
		return -EINVAL;
	if (q->sel_len > READ_ONCE(bfk_max_sel_bytes))
		return -E2BIG;
	return 0;
}

/* Copy the result out: EMSGSIZE with the sizes needed if it does not fit. */
static int bfk_put_result(struct btf_filter_query *q,
			  const struct bf_result *res)
{
	bool want_map = q->flags & BTF_FILTER_F_ID_MAP;
	bool fits = q->buf_len >= res->blob_len &&
		    (!want_map || q->id_map_len >= res->nr_types);

	q->nr_types = res->nr_types;
	q->buf_len = res->blob_len;
	q->id_map_len = want_map ? res->nr_types : 0;
	if (!fits)
		return -EMSGSIZE;
	if (want_map && res->nr_types &&
	    copy_to_user(u64_to_user_ptr(q->id_map_ptr), res->id_map,
			 array_size(res->nr_types, sizeof(u32))))
		return -EFAULT;
	if (copy_to_user(u64_to_user_ptr(q->buf_ptr), res->blob, res->blob_len))
		return -EFAULT;
	return 0;
}

static int bfk_run(struct btf_filter_query *q, const char *sels,
		   struct bfk_source *src, bool module)
{
	struct bf_query bq = {
		.sels = sels,
		.sel_len = q->sel_len,
		.mode = q->mode,
		.flags = (q->flags & BTF_FILTER_F_ALLOW_MISSING ?
			  BF_Q_ALLOW_MISSING : 0) |
			 (q->flags & BTF_FILTER_F_ID_MAP ? BF_Q_ID_MAP : 0),
		.max_blob = READ_ONCE(bfk_max_result),
	};
	struct bf_result res;
	struct bfk_index *ki;
	int err;

	ki = module ? NULL : bfk_index_get();	/* a module's: streamed */
	if (IS_ERR(ki))
		return PTR_ERR(ki);
	if (ki)
		bfk_use_index(src, ki);
	err = bf_query_run(&src->env, ki ? bfk_index(ki) : NULL, &bq, &res);
	bfk_index_put(ki);
	q->nr_missing = res.nr_missing;
	q->first_missing = res.first_missing;
	if (!err)
		err = bfk_put_result(q, &res);
	bf_result_free(&src->env, &res);
	return err;
}

/* QUERY: *q read in and checked for size; its outputs are set here. */
static int bfk_query(void *arg)
{
	struct btf_filter_query *q = arg;
	char name[BFK_SOURCE_MAX];
	struct bfk_source src;
	char *sels;
	int err;

	err = bfk_check_query(q);
	if (!err)
		err = bfk_check_source(q->source_ptr, name);
	if (err)
		return err;
	/* charged to the caller, as everything a query holds */
	sels = bfk_kvmalloc(q->sel_len, GFP_KERNEL_ACCOUNT);
	if (!sels)
		return -ENOMEM;
	if (copy_from_user(sels, u64_to_user_ptr(q->sel_ptr), q->sel_len)) {
		kvfree(sels);
		return -EFAULT;
	}
	err = name[0] ? bfk_source_init_module(&src, name) :
			bfk_source_init(&src, false);
	if (!err)
		err = bfk_run(q, sels, &src, name[0]);
	bfk_source_fini(&src);
	bfk_put_log(q, src.log);
	kvfree(sels);
	return err;
}

/* A module's facts: an index built for the asking, then dropped. */
static int bfk_module_info(const char *name, struct bf_source_info *si)
{
	struct bfk_source src;
	struct bf_index *idx;
	int err;

	err = bfk_source_init_module(&src, name);
	if (!err)
		err = bf_index_build(&src.env, 0, &idx);
	if (!err) {
		bf_index_info(idx, si);
		bf_index_free(&src.env, idx);
	}
	bfk_source_fini(&src);
	return err;
}

/* INFO: the source's facts. */
static int bfk_info(void *arg)
{
	struct btf_filter_info *info = arg;
	char name[BFK_SOURCE_MAX];
	struct bf_source_info si;
	int err;

	if (info->flags ||
	    memchr_inv(info->reserved, 0, sizeof(info->reserved)))
		return -EINVAL;
	err = bfk_check_source(info->source_ptr, name);
	if (!err)
		err = name[0] ? bfk_module_info(name, &si) :
				bfk_source_info(&si);
	if (err)
		return err;
	info->btf_size = si.btf_size;
	info->nr_types = si.nr_types - si.base_types;	/* a module's own */
	info->version = BTF_FILTER_VERSION_CODE;
	return 0;
}

/* A field the kernel writes back. */
struct bfk_out {
	u16 off;
	u16 size;
};

#define BFK_OUT(type, field)	{ offsetof(type, field), sizeof_field(type, field) }

static const struct bfk_out bfk_query_outs[] = {
	BFK_OUT(struct btf_filter_query, buf_len),
	BFK_OUT(struct btf_filter_query, id_map_len),
	BFK_OUT(struct btf_filter_query, nr_types),
	BFK_OUT(struct btf_filter_query, nr_missing),
	BFK_OUT(struct btf_filter_query, first_missing),
};

static const struct bfk_out bfk_info_outs[] = {
	BFK_OUT(struct btf_filter_info, btf_size),
	BFK_OUT(struct btf_filter_info, nr_types),
	BFK_OUT(struct btf_filter_info, version),
};

/*
 * Each command (after iommufd): its struct's first version and full size,
 * the handler, the fields written back, and the errors after which they
 * are written back too.
 */
struct bfk_op {
	unsigned int cmd;
	u32 min_size;
	u32 size;
	int (*fn)(void *arg);
	const struct bfk_out *outs;
	u32 nr_outs;
	int out_errs[2];
	bool counted;		/* in stats/ */
};

#define BFK_OP(_cmd, type, last, _fn, _outs, ...) {			\
	.cmd = _cmd,							\
	.min_size = offsetofend(type, last),				\
	.size = sizeof(type),						\
	.fn = _fn,							\
	.outs = _outs,							\
	.nr_outs = ARRAY_SIZE(_outs),					\
	__VA_ARGS__							\
}

static const struct bfk_op bfk_ops[] = {
	BFK_OP(BTF_FILTER_IOC_QUERY, struct btf_filter_query, reserved,
	       bfk_query, bfk_query_outs,
	       .out_errs = { -EMSGSIZE, -ENOENT }, .counted = true),
	BFK_OP(BTF_FILTER_IOC_INFO, struct btf_filter_info, reserved,
	       bfk_info, bfk_info_outs),
};

union bfk_arg {
	struct btf_filter_query query;
	struct btf_filter_info info;
};

/* Size check, copy in, handler, copy out: once for every command. */
static int bfk_call(const struct bfk_op *op, void __user *uarg, u32 *bytes)
{
	union bfk_arg arg;
	u32 usize, i;
	int err;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)	/* as clone3() and openat2(): no 4 GiB scans */
		return -E2BIG;
	err = copy_struct_from_user(&arg, op->size, uarg, usize);
	if (err)
		return err;
	err = op->fn(&arg);
	if (err && err != op->out_errs[0] && err != op->out_errs[1])
		return err;
	for (i = 0; i < op->nr_outs; i++)
		if (copy_to_user(uarg + op->outs[i].off,
				 (u8 *)&arg + op->outs[i].off,
				 op->outs[i].size))
			return -EFAULT;
	if (!err && op->counted)
		*bytes = arg.query.buf_len;
	return err;
}

long bfk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	ktime_t start = ktime_get();
	const struct bfk_op *op = NULL;
	u32 bytes = 0, i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bfk_ops); i++)
		if (bfk_ops[i].cmd == cmd)
			op = &bfk_ops[i];
	if (!op)
		return -ENOIOCTLCMD;
	if (READ_ONCE(bfk_require_cap) && !capable(CAP_BPF) &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = bfk_call(op, (void __user *)arg, &bytes);
	if (op->counted)
		bfk_account(start, err, bytes);
	return err;
}
