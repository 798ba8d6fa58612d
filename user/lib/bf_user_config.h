/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What core/bf_shim.h takes from the kernel, supplied for userspace: the
 * kernel's fixed-width types and helper macros over libc.
 */
#ifndef BF_USER_CONFIG_H
#define BF_USER_CONFIG_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;

#ifndef EMSGSIZE
#define EMSGSIZE 90
#endif

#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* A seed for hashes that an attacker must not know in advance. */
static inline u32 bf_random_u32(void)
{
	u32 v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (u32)(uintptr_t)&v;		/* at least not a constant */
	return v;
}

static inline int bf_cond_resched(void)
{
	return 0;
}

#endif /* BF_USER_CONFIG_H */
