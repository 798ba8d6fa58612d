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
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/linux/btf_filter.h>
#include "btf_filter.h"

#define BFK_QUERY_SIZE_VER0	offsetofend(struct btf_filter_query, reserved)
#define BFK_INFO_SIZE_VER0	offsetofend(struct btf_filter_info, reserved)
#define BFK_SOURCE_MAX		64

static int bfk_get_source(u64 uptr, char *name)
{
	long n;

	if (!uptr) {
		strscpy(name, "vmlinux", BFK_SOURCE_MAX);
		return 0;
	}
	n = strncpy_from_user(name, u64_to_user_ptr(uptr), BFK_SOURCE_MAX);
	if (n < 0)
		return n;
	if (n == BFK_SOURCE_MAX)
		return -E2BIG;
	return 0;
}

/* The error line, truncated to log_len; a bad log pointer is ignored. */
static void bfk_put_log(const struct btf_filter_query *q,
			const char log[BTF_FILTER_LOG_LEN])
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
	if (q->sel_len > bfk_max_sel_bytes)
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
	if (copy_to_user(u64_to_user_ptr(q->buf_ptr), res->blob, res->blob_len))
		return -EFAULT;
	if (want_map && res->nr_types &&
	    copy_to_user(u64_to_user_ptr(q->id_map_ptr), res->id_map,
			 array_size(res->nr_types, sizeof(u32))))
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
		.max_blob = bfk_max_result,
	};
	struct bf_result res;
	struct bfk_index *ki;
	int err;

	ki = bfk_index_get(src);
	if (IS_ERR(ki))
		return PTR_ERR(ki);
	if (ki) {
		bfk_use_index(src, ki);
		err = bf_query_run(&src->env, bfk_index(ki), &bq, &res);
	} else {
		err = bf_filter(&src->env, &bq, &res);
	}
	bfk_index_put(ki);
	q->nr_missing = res.nr_missing;
	q->first_missing = res.first_missing;
	if (!err)
		err = bfk_put_result(q, &res);
	bf_result_free(&src->env, &res);
	return err;
}

static long bfk_query(void __user *uarg)
{
	struct btf_filter_query q;
	struct bfk_source src;
	char name[BFK_SOURCE_MAX];
	ktime_t start = ktime_get();
	char *sels = NULL;
	u32 usize;
	int err;

	memset(&q, 0, sizeof(q));
	if (get_user(usize, (u32 __user *)uarg)) {
		err = -EFAULT;
		goto out;
	}
	err = usize < BFK_QUERY_SIZE_VER0 ? -EINVAL :
	      copy_struct_from_user(&q, sizeof(q), uarg, usize);
	if (!err)
		err = bfk_check_query(&q);
	if (!err)
		err = bfk_get_source(q.source_ptr, name);
	if (err)
		goto out;
	sels = memdup_user(u64_to_user_ptr(q.sel_ptr), q.sel_len);
	if (IS_ERR(sels)) {
		err = PTR_ERR(sels);
		sels = NULL;
		goto out;
	}
	err = bfk_source_open(&src, name);
	if (!err)
		err = bfk_run(&q, sels, &src);
	bfk_put_log(&q, src.log);
	bfk_source_close(&src);
	kfree(sels);
	/* The outputs: sizes on EMSGSIZE, first_missing on ENOENT. */
	if ((!err || err == -EMSGSIZE || err == -ENOENT) &&
	    copy_to_user(uarg, &q, min_t(u32, usize, sizeof(q))))
		err = -EFAULT;
out:
	bfk_account(start, err, err ? 0 : q.buf_len);
	return err;
}

static long bfk_info(void __user *uarg)
{
	struct btf_filter_info info;
	struct bf_source_info si;
	struct bfk_source src;
	char name[BFK_SOURCE_MAX];
	struct bfk_index *ki;
	struct bf_index *idx = NULL;
	u32 usize;
	int err;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < BFK_INFO_SIZE_VER0)
		return -EINVAL;
	err = copy_struct_from_user(&info, sizeof(info), uarg, usize);
	if (err)
		return err;
	if (info.flags || memchr_inv(info.reserved, 0, sizeof(info.reserved)))
		return -EINVAL;
	err = bfk_get_source(info.source_ptr, name);
	if (!err)
		err = bfk_source_open(&src, name);
	if (err)
		return err;
	ki = bfk_index_get(&src);
	if (IS_ERR(ki)) {
		err = PTR_ERR(ki);
	} else if (ki) {
		bf_index_info(bfk_index(ki), &si);
		bfk_index_put(ki);
	} else {
		err = bf_index_build(&src.env, &idx);
		if (!err)
			bf_index_info(idx, &si);
		bf_index_free(&src.env, idx);
	}
	bfk_source_close(&src);
	if (err)
		return err;
	info.btf_size = si.btf_size;
	info.nr_types = si.nr_types;
	info.version = BTF_FILTER_VERSION_CODE;
	if (copy_to_user(uarg, &info, min_t(u32, usize, sizeof(info))))
		return -EFAULT;
	return 0;
}

long bfk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (bfk_require_cap && !capable(CAP_BPF) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case BTF_FILTER_IOC_QUERY:
		return bfk_query(uarg);
	case BTF_FILTER_IOC_INFO:
		return bfk_info(uarg);
	default:
		return -ENOIOCTLCMD;
	}
}
