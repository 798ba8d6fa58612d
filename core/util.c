// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Growing arrays and the error log line. */
#include "bf_internal.h"

int bf_grow(const struct bf_env *env, void **p, u32 *cap, u32 need,
	    size_t esz)
{
	u32 ncap = *cap ? *cap : 16;
	size_t nbytes;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > BF_U32_MAX / 2)
			return -E2BIG;
		ncap *= 2;
	}
	nbytes = bf_array_size(ncap, esz);
	np = nbytes ? bf_zalloc(env, nbytes) : NULL;
	if (!np)
		return -ENOMEM;
	if (*p) {
		memcpy(np, *p, (size_t)*cap * esz);
		bf_free(env, *p, (size_t)*cap * esz);
	}
	*p = np;
	*cap = ncap;
	return 0;
}

void bf_log(const struct bf_env *env, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!env->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	env->log(env->log_ctx, line);
}

u32 bf_hash(const void *p, u32 len)
{
	const u8 *s = p;
	u32 h = 2166136261U, i;

	for (i = 0; i < len; i++)
		h = (h ^ s[i]) * 16777619U;
	return h;
}
