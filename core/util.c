// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Growing arrays and the error log line. */
#include "bf_internal.h"

int __bf_grow(const struct bf_env *env, void **p, u32 *cap, u32 need,
	      size_t esz)
{
	u32 ncap = *cap ? *cap : 16;
	size_t nbytes;
	void *np;

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

int bf_push_pair(const struct bf_env *env, u32 **a, u32 *nr, u32 *cap,
		 u32 x, u32 y)
{
	int err = bf_grow(env, (void **)a, cap, *nr + 1, 2 * sizeof(u32));

	if (err)
		return err;
	(*a)[2 * *nr] = x;
	(*a)[2 * *nr + 1] = y;
	(*nr)++;
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

u32 bf_name_key(const char *p, u32 len)
{
	u32 h = 2166136261U;

	while (len--)
		h = (h ^ (u8)p[len]) * 16777619U;
	return h;
}

/* The sort key of the pair at a: its first word, then its second. */
static inline u64 bf_pair_key(const u32 *a)
{
	return (u64)a[0] << 32 | a[1];
}

static inline void bf_pair_swap(u32 *a, u32 *b)
{
	u32 t0 = a[0], t1 = a[1];

	a[0] = b[0];
	a[1] = b[1];
	b[0] = t0;
	b[1] = t1;
}

static void bf_sift_down(u32 *a, u32 root, u32 n)
{
	u64 key = bf_pair_key(a + 2 * root);

	for (;;) {
		u32 child = 2 * root + 1;
		u64 ck;

		if (child >= n)
			return;
		ck = bf_pair_key(a + 2 * child);
		if (child + 1 < n && ck < bf_pair_key(a + 2 * (child + 1)))
			ck = bf_pair_key(a + 2 * ++child);
		if (key >= ck)
			return;
		bf_pair_swap(a + 2 * root, a + 2 * child);
		root = child;
	}
}

void bf_sort_pairs(u32 *a, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		bf_sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		bf_pair_swap(a, a + 2 * i);
		bf_sift_down(a, 0, i);
	}
}

u32 bf_sort_unique_pairs(u32 *a, u32 n)
{
	u32 i, out = 0;

	bf_sort_pairs(a, n);
	for (i = 0; i < n; i++) {
		if (out && bf_pair_key(a + 2 * (out - 1)) ==
			   bf_pair_key(a + 2 * i))
			continue;
		if (out != i)
			memcpy(a + 2 * out, a + 2 * i, 2 * sizeof(u32));
		out++;
	}
	return out;
}

/* Index of the first pair whose first word is key, or n if none. */
u32 bf_find_pair(const u32 *a, u32 n, u32 key)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (a[2 * mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[2 * lo] == key ? lo : n;
}

#define BF_RADIX_BITS	11
#define BF_RADIX	(1U << BF_RADIX_BITS)

/*
 * n u32 keys in ascending order: an LSD radix sort, 11 bits a pass and only
 * as many passes as the largest key needs (two for any string offset of a
 * vmlinux BTF), with n words of scratch.
 */
int bf_sort_keys(const struct bf_env *env, u32 *a, u32 n)
{
	size_t size = bf_array_size(n, sizeof(u32)) + BF_RADIX * sizeof(u32);
	u32 *tmp, *cnt, *src = a, *dst, max = 0, shift, i;

	if (n < 2)
		return 0;
	tmp = bf_zalloc(env, size);
	if (!tmp)
		return -ENOMEM;
	cnt = tmp + n;
	dst = tmp;
	for (i = 0; i < n; i++)
		if (a[i] > max)
			max = a[i];
	for (shift = 0; shift < 32 && max >> shift; shift += BF_RADIX_BITS) {
		u32 sum = 0, *t;

		memset(cnt, 0, BF_RADIX * sizeof(u32));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & (BF_RADIX - 1)]++;
		for (i = 0; i < BF_RADIX; i++) {
			u32 c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & (BF_RADIX - 1)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, (size_t)n * sizeof(u32));
	bf_free(env, tmp, size);
	return 0;
}
