// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctls.  Each reads its size-versioned struct with
 * copy_struct_from_user(), checks every input against the caps before it
 * allocates, runs core/ and writes back only the output fields.
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

#define BFK_QUERY_SIZE_VER0	offsetofend(struct btf_filter_query, reserved)
#define BFK_INFO_SIZE_VER0	offsetofend(struct btf_filter_info, reserved)
#define BFK_SOURCE_MAX		64

/* The source named by the caller: only the running kernel's vmlinux. */
static int bfk_check_source(u64 uptr)
{
	char name[BFK_SOURCE_MAX];
	long n;

	if (!uptr)
		return 0;
	n = strncpy_from_user(name, u64_to_user_ptr(uptr), sizeof(name));
	if (n < 0)
		return n;
	if (n == sizeof(name))
		return -E2BIG;
	return strcmp(name, "vmlinux") ? -EOPNOTSUPP : 0;
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

/*
 * Only the output fields go back, each on its own: the sizes (also on
 * EMSGSIZE), and the counts of types and missing selectors (also on
 * ENOENT).
 */
static int bfk_put_outputs(struct btf_filter_query __user *uq,
			   const struct btf_filter_query *q)
{
	if (put_user(q->buf_len, &uq->buf_len) ||
	    put_user(q->id_map_len, &uq->id_map_len) ||
	    put_user(q->nr_types, &uq->nr_types) ||
	    put_user(q->nr_missing, &uq->nr_missing) ||
	    put_user(q->first_missing, &uq->first_missing))
		return -EFAULT;
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
		   struct bfk_source *src)
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

	ki = bfk_index_get();
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

/* One query; *bytes: the size of the result. */
static int bfk_query(struct btf_filter_query __user *uq, u32 *bytes)
{
	struct btf_filter_query q;
	struct bfk_source src;
	char *sels;
	u32 usize;
	int err;

	if (get_user(usize, &uq->size))
		return -EFAULT;
	if (usize < BFK_QUERY_SIZE_VER0)
		return -EINVAL;
	err = copy_struct_from_user(&q, sizeof(q), uq, usize);
	if (!err)
		err = bfk_check_query(&q);
	if (!err)
		err = bfk_check_source(q.source_ptr);
	if (err)
		return err;
	sels = vmemdup_user(u64_to_user_ptr(q.sel_ptr), q.sel_len);
	if (IS_ERR(sels))
		return PTR_ERR(sels);
	err = bfk_source_init(&src, false);
	if (!err)
		err = bfk_run(&q, sels, &src);
	bfk_put_log(&q, src.log);
	kvfree(sels);
	if ((!err || err == -EMSGSIZE || err == -ENOENT) &&
	    bfk_put_outputs(uq, &q))
		err = -EFAULT;
	*bytes = err ? 0 : q.buf_len;
	return err;
}

static int bfk_info(struct btf_filter_info __user *uinfo)
{
	struct btf_filter_info info;
	struct bf_source_info si;
	u32 usize;
	int err;

	if (get_user(usize, &uinfo->size))
		return -EFAULT;
	if (usize < BFK_INFO_SIZE_VER0)
		return -EINVAL;
	err = copy_struct_from_user(&info, sizeof(info), uinfo, usize);
	if (err)
		return err;
	if (info.flags || memchr_inv(info.reserved, 0, sizeof(info.reserved)))
		return -EINVAL;
	err = bfk_check_source(info.source_ptr);
	if (!err)
		err = bfk_source_info(&si);
	if (err)
		return err;
	if (put_user(si.btf_size, &uinfo->btf_size) ||
	    put_user(si.nr_types, &uinfo->nr_types) ||
	    put_user(BTF_FILTER_VERSION_CODE, &uinfo->version))
		return -EFAULT;
	return 0;
}

long bfk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	ktime_t start = ktime_get();
	u32 bytes = 0;
	int ret;

	if (READ_ONCE(bfk_require_cap) && !capable(CAP_BPF) &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case BTF_FILTER_IOC_QUERY:
		ret = bfk_query(uarg, &bytes);
		bfk_account(start, ret, bytes);
		return ret;
	case BTF_FILTER_IOC_INFO:
		return bfk_info(uarg);
	default:
		return -ENOIOCTLCMD;
	}
}
