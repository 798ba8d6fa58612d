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

/* Records of w u32 words compare word by word. */
static int bf_rec_cmp(const u32 *a, const u32 *b, u32 w)
{
	u32 i;

	for (i = 0; i < w; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void bf_rec_swap(u32 *a, u32 *b, u32 w)
{
	u32 i, t;

	for (i = 0; i < w; i++) {
		t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

static void bf_sift_down(u32 *a, u32 w, u32 root, u32 n)
{
	for (;;) {
		u32 child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n &&
		    bf_rec_cmp(a + child * w, a + (child + 1) * w, w) < 0)
			child++;
		if (bf_rec_cmp(a + root * w, a + child * w, w) >= 0)
			return;
		bf_rec_swap(a + root * w, a + child * w, w);
		root = child;
	}
}

void bf_sort(u32 *a, u32 n, u32 w)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		bf_sift_down(a, w, i, n);
	for (i = n; i-- > 1;) {
		bf_rec_swap(a, a + i * w, w);
		bf_sift_down(a, w, 0, i);
	}
}

u32 bf_sort_unique(u32 *a, u32 n, u32 w)
{
	u32 i, out = 0;

	bf_sort(a, n, w);
	for (i = 0; i < n; i++) {
		if (out && !bf_rec_cmp(a + (out - 1) * w, a + i * w, w))
			continue;
		if (out != i)
			memcpy(a + out * w, a + i * w, w * sizeof(u32));
		out++;
	}
	return out;
}

/* Index of the first record whose first word is key, or n if none. */
u32 bf_find(const u32 *a, u32 n, u32 w, u32 key)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (a[mid * w] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo * w] == key ? lo : n;
}
