/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one place where core/ meets its world.  core/ is compiled unchanged
 * into the kernel module and into userspace; this header maps fixed-width
 * types, errno values, string helpers and the cooperative-scheduling hook
 * for each side.  Nothing else in core/ includes a system header.
 */
#ifndef BF_SHIM_H
#define BF_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

/* Called every few thousand records: yield, and give up on SIGKILL. */
static inline int bf_cond_resched(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

#else /* userspace */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;

#ifndef EMSGSIZE
#define EMSGSIZE 90
#endif

static inline int bf_cond_resched(void)
{
	return 0;
}
#endif /* __KERNEL__ */

#define BF_U32_MAX	0xffffffffU

#endif /* BF_SHIM_H */
