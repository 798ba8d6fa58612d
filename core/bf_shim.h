/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one place where core/ meets its world.  core/ is compiled unchanged
 * into the kernel module and into userspace; this header maps fixed-width
 * types, errno values, string helpers, sorting, and the
 * cooperative-scheduling hook
 * for each side (userspace's in user/lib/bf_user_config.h, as xz-embedded
 * does).  Nothing else in core/ includes a system header.
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
#include <linux/random.h>

/* A seed for hashes that an attacker must not know in advance. */
static inline u32 bf_random_u32(void)
{
	return get_random_u32();
}

/* Called every few thousand records: yield, and give up on SIGKILL. */
static inline int bf_cond_resched(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

#else
/* Userspace supplies the same names: user/lib/bf_user_config.h. */
#include "bf_user_config.h"
#endif /* __KERNEL__ */

#define BF_U32_MAX	0xffffffffU

#endif /* BF_SHIM_H */
