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

u32 bf_name_key(u32 seed, const char *p, u32 len)
{
	u32 h = bf_key_basis(seed);

	while (len--)
		h = (h ^ (u8)p[len]) * 16777619U;
	return h;
}

/* Pair i before pair j?  By first word, then second. */
static bool bf_pair_less(const u32 *a, u32 i, u32 j)
{
	return a[2 * i] != a[2 * j] ? a[2 * i] < a[2 * j] :
				      a[2 * i + 1] < a[2 * j + 1];
}

static void bf_pair_swap(u32 *a, u32 i, u32 j)
{
	u32 x = a[2 * i], y = a[2 * i + 1];

	a[2 * i] = a[2 * j];
	a[2 * i + 1] = a[2 * j + 1];
	a[2 * j] = x;
	a[2 * j + 1] = y;
}

static void bf_sift_down(u32 *a, u32 i, u32 n)
{
	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && bf_pair_less(a, c, c + 1))
			c++;
		if (!bf_pair_less(a, i, c))
			return;
		bf_pair_swap(a, i, c);
		i = c;
	}
}

/*
 * n pairs ascending, in place: a heapsort, O(n log n) at worst, with no
 * call through a pointer (the kernel's sort() makes one per comparison,
 * through a retpoline on most x86 kernels).
 */
u32 bf_sort_unique_pairs(u32 *a, u32 n)
{
	u32 i, out = 0;

	for (i = n / 2; i-- > 0;)
		bf_sift_down(a, i, n);
	for (i = n; i-- > 1;) {
		bf_pair_swap(a, 0, i);
		bf_sift_down(a, 0, i);
	}
	for (i = 0; i < n; i++) {
		if (out && a[2 * (out - 1)] == a[2 * i] &&
		    a[2 * (out - 1) + 1] == a[2 * i + 1])
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
	u32 i = bf_lower_bound(a, n, 2, key);

	return i < n && a[2 * i] == key ? i : n;
}

/*
 * n u32 keys in ascending order: an LSD radix sort, as many passes as the
 * largest key needs, with n words of scratch.  Digits are 11 bits for
 * thousands of keys (two passes for any string offset of a vmlinux BTF)
 * and 8 bits for fewer, where clearing and summing 2,048 counts a pass
 * would cost more than the keys.  Kept beside the heapsort because it is
 * measured to matter: emit sorts the used string offsets of every result,
 * and for full mode on the 8 common8 roots (host 6.18, ~20k strings) this
 * takes 0.60M instructions where qsort() takes 3.6M, 3% of the whole query
 * (callgrind); the kernel's sort() calls its comparison through a pointer
 * and is slower still.
 */
int bf_sort_keys(const struct bf_env *env, u32 *a, u32 n)
{
	u32 bits = n >= 4096 ? 11 : 8, radix = 1U << bits;
	size_t size = bf_array_size(n, sizeof(u32)) + radix * sizeof(u32);
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
	for (shift = 0; shift < 32 && max >> shift; shift += bits) {
		u32 sum = 0, *t;

		memset(cnt, 0, radix * sizeof(u32));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> shift) & (radix - 1)]++;
		for (i = 0; i < radix; i++) {
			u32 c = cnt[i];

			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & (radix - 1)]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, (size_t)n * sizeof(u32));
	bf_free(env, tmp, size);
	return 0;
}
