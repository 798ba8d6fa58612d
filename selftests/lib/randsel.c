// SPDX-License-Identifier: GPL-2.0
/*
 * Random selectors for the differential tests: names of real types (half
 * bare, a third with their kind), type IDs, and a few names that match
 * nothing.  Deterministic for a seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "randsel.h"

static bool selectable(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: case BTF_KIND_TYPEDEF: case BTF_KIND_FUNC:
	case BTF_KIND_VAR: case BTF_KIND_DATASEC: case BTF_KIND_FWD:
	case BTF_KIND_INT: case BTF_KIND_FLOAT:
		return t->name_off != 0;
	default:
		return false;
	}
}

__u32 randsel_names(const struct btf *src, __u32 *named)
{
	__u32 nr = btf__type_cnt(src), id, n = 0;

	for (id = 1; id < nr; id++)
		if (selectable(btf__type_by_id(src, id)))
			named[n++] = id;
	return n;
}

static const char *kind_word(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: return "struct";
	case BTF_KIND_UNION: return "union";
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return "enum";
	case BTF_KIND_TYPEDEF: return "typedef";
	case BTF_KIND_FUNC: return "func";
	case BTF_KIND_VAR: return "var";
	case BTF_KIND_DATASEC: return "datasec";
	case BTF_KIND_FWD: return "fwd";
	case BTF_KIND_INT: return "int";
	default: return "float";
	}
}

void randsel_one(const struct btf *src, const __u32 *named, __u32 nr_named,
		 unsigned int *seed, char *buf, size_t sz, bool *missing)
{
	unsigned int dice = rand_r(seed) % 100;
	__u32 id = named[rand_r(seed) % nr_named];
	const struct btf_type *t = btf__type_by_id(src, id);
	const char *name = btf__name_by_offset(src, t->name_off);

	if (dice < 50)
		snprintf(buf, sz, "%s", name);
	else if (dice < 80)
		snprintf(buf, sz, "%s %s", kind_word(t), name);
	else if (dice < 95)
		snprintf(buf, sz, "#%u",
			 1 + rand_r(seed) % (btf__type_cnt(src) - 1));
	else {
		snprintf(buf, sz, "no_such_type_%u", rand_r(seed));
		*missing = true;
	}
}


const struct btf_type *randsel_skip(const struct btf *src, __u32 *id,
				    bool deref)
{
	const struct btf_type *t = btf__type_by_id(src, *id);
	int depth;

	for (depth = 0; t && depth < 32; depth++) {
		if (btf_is_mod(t) || btf_is_typedef(t) ||
		    (deref && btf_is_ptr(t)))
			*id = t->type;
		else if (deref && btf_is_array(t))
			*id = btf_array(t)->type;
		else
			break;
		t = btf__type_by_id(src, *id);
	}
	return t;
}

static bool path_root(const struct btf_type *t)
{
	return t->name_off && btf_vlen(t) &&
	       (btf_is_composite(t) || btf_is_any_enum(t));
}

void randsel_path(const struct btf *src, unsigned int *seed, char *buf,
		  size_t sz, bool *missing)
{
	__u32 nr = btf__type_cnt(src), id;
	const struct btf_type *t;
	int tries;

	for (tries = 0; tries < 100000; tries++) {
		id = 1 + rand_r(seed) % (nr - 1);
		t = btf__type_by_id(src, id);
		if (path_root(t))
			break;
	}
	randsel_path_from(src, id, seed, buf, sz, missing);
}

void randsel_path_from(const struct btf *src, __u32 id, unsigned int *seed,
		       char *buf, size_t sz, bool *missing)
{
	const struct btf_type *t = btf__type_by_id(src, id);
	int steps, len;

	len = snprintf(buf, sz, "%s%s", btf_is_any_enum(t) ? "enum " :
		       rand_r(seed) % 2 ? "" : btf_is_struct(t) ? "struct " :
		       btf_is_union(t) ? "union " : "",
		       btf__name_by_offset(src, t->name_off));
	if (btf_is_any_enum(t)) {
		int i = rand_r(seed) % btf_vlen(t);
		__u32 name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off :
						  btf_enum64(t)[i].name_off;

		snprintf(buf + len, sz - len, ".%s",
			 btf__name_by_offset(src, name_off));
		return;
	}
	steps = 1 + rand_r(seed) % 3;
	while (steps > 0 && (size_t)len < sz && btf_vlen(t)) {
		const struct btf_member *m;

		m = btf_members(t) + rand_r(seed) % btf_vlen(t);
		if (m->name_off) {
			len += snprintf(buf + len, sz - len, ".%s",
					btf__name_by_offset(src, m->name_off));
			steps--;
		}
		id = m->type;
		t = randsel_skip(src, &id, m->name_off != 0);
		if (!t || !btf_is_composite(t))
			break;
	}
	if (rand_r(seed) % 20 == 0 && (size_t)len < sz) {
		snprintf(buf + len, sz - len, ".no_such_member");
		*missing = true;
	}
}

/* ---- tricky sets ---- */

static int fwd_cmp(const void *a, const void *b)
{
	const struct randsel_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* strcmp() of the reversed strings. */
static int rev_strcmp(const char *a, const char *b)
{
	size_t i = strlen(a), j = strlen(b);

	while (i && j) {
		unsigned char ca = a[--i], cb = b[--j];

		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (i > 0) - (j > 0);
}

static int rev_cmp(const void *a, const void *b)
{
	const struct randsel_entry *x = a, *y = b;
	int c = rev_strcmp(x->name, y->name);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

int randsel_pool_init(struct randsel_pool *p, const struct btf *src,
		      bool paths)
{
	__u32 nr = btf__type_cnt(src), id;

	memset(p, 0, sizeof(*p));
	p->src = src;
	p->paths = paths;
	p->fwd = calloc(nr, sizeof(*p->fwd));
	p->rev = calloc(nr, sizeof(*p->rev));
	if (!p->fwd || !p->rev)
		return -1;
	for (id = 1; id < nr; id++) {
		const struct btf_type *t = btf__type_by_id(src, id);

		if (paths ? !path_root(t) : !selectable(t))
			continue;
		p->fwd[p->nr].name = btf__name_by_offset(src, t->name_off);
		p->fwd[p->nr++].id = id;
	}
	if (!p->nr)
		return -1;
	memcpy(p->rev, p->fwd, p->nr * sizeof(*p->fwd));
	qsort(p->fwd, p->nr, sizeof(*p->fwd), fwd_cmp);
	qsort(p->rev, p->nr, sizeof(*p->rev), rev_cmp);
	return 0;
}

void randsel_pool_fini(struct randsel_pool *p)
{
	free(p->fwd);
	free(p->rev);
	memset(p, 0, sizeof(*p));
}

static bool begins_with(const char *s, const char *pre)
{
	return !strncmp(s, pre, strlen(pre));
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && !strcmp(s + a - b, suf);
}

/*
 * The run of entries (sorted by cmp) whose names begin (fwd) or end (rev)
 * with name: *first and the count.
 */
static __u32 run_of(const struct randsel_entry *e, __u32 nr, const char *name,
		    bool rev, __u32 *first)
{
	__u32 lo = 0, hi = nr, start;

	while (lo < hi) {	/* the first entry not below name */
		__u32 mid = lo + (hi - lo) / 2;
		int c = rev ? rev_strcmp(e[mid].name, name) :
			      strcmp(e[mid].name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	start = lo;
	hi = nr;
	while (lo < hi) {	/* the first past the run */
		__u32 mid = lo + (hi - lo) / 2;
		bool in = rev ? ends_with(e[mid].name, name) :
				begins_with(e[mid].name, name);

		if (in)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = start;
	return lo - start;
}

__u32 randsel_ending_with(const struct randsel_pool *p, const char *name,
			  __u32 *first)
{
	return run_of(p->rev, p->nr, name, true, first);
}

/* An entry with exactly this name, or NULL. */
static const struct randsel_entry *exact(const struct randsel_pool *p,
					 const char *name)
{
	__u32 first, n = run_of(p->fwd, p->nr, name, false, &first);

	return n && !strcmp(p->fwd[first].name, name) ? &p->fwd[first] : NULL;
}

/*
 * An entry related to name by its string: a proper suffix or prefix of it
 * that is a name, or a longer name ending or beginning with it.  NULL if
 * there is none of the kind the dice chose.
 */
static const struct randsel_entry *related(const struct randsel_pool *p,
					   const char *name,
					   unsigned int *seed)
{
	size_t len = strlen(name), k;
	const struct randsel_entry *found[64];
	unsigned int nf = 0;
	char pre[512];
	__u32 first, n;

	switch (rand_r(seed) % 4) {
	case 0:		/* a shorter name that is its tail */
		for (k = 1; k < len && nf < 64; k++) {
			const struct randsel_entry *e = exact(p, name + k);

			if (e)
				found[nf++] = e;
		}
		return nf ? found[rand_r(seed) % nf] : NULL;
	case 1:		/* a longer name that ends with it */
		n = run_of(p->rev, p->nr, name, true, &first);
		return n > 1 ? &p->rev[first + rand_r(seed) % n] : NULL;
	case 2:		/* a shorter name that is its head */
		for (k = 1; k < len && k < sizeof(pre) && nf < 64; k++) {
			const struct randsel_entry *e;

			memcpy(pre, name, k);
			pre[k] = 0;
			e = exact(p, pre);
			if (e)
				found[nf++] = e;
		}
		return nf ? found[rand_r(seed) % nf] : NULL;
	default:	/* a longer name that begins with it */
		n = run_of(p->fwd, p->nr, name, false, &first);
		return n > 1 ? &p->fwd[first + rand_r(seed) % n] : NULL;
	}
}

/* entry as a selector: a path from it, or its name, bare or with a kind. */
static void format_entry(const struct randsel_pool *p,
			 const struct randsel_entry *e, unsigned int *seed,
			 char *buf, size_t sz, bool *missing)
{
	const struct btf_type *t = btf__type_by_id(p->src, e->id);

	if (p->paths)
		randsel_path_from(p->src, e->id, seed, buf, sz, missing);
	else if (rand_r(seed) % 3)
		snprintf(buf, sz, "%s", e->name);
	else
		snprintf(buf, sz, "%s %s", kind_word(t), e->name);
}

/* The name part of selector sel (no kind word, no path). */
static void name_of(const char *sel, char *name, size_t sz, bool paths)
{
	static const char *const words[] = {
		"struct ", "union ", "enum ", "typedef ", "func ", "var ",
		"datasec ", "fwd ", "int ", "float ",
	};
	unsigned int i;
	char *dot;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (begins_with(sel, words[i]) && sel[strlen(words[i])]) {
			sel += strlen(words[i]);
			break;
		}
	snprintf(name, sz, "%s", sel);
	if (paths && name[0] != '.' && (dot = strchr(name, '.')))
		*dot = 0;
}

int randsel_tricky(const struct randsel_pool *p, unsigned int *seed,
		   char *bufs, size_t sz, int max, bool *missing)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz_ABCDEFPSTX";
	int n = 2 + rand_r(seed) % (max - 1), i, k;
	const struct randsel_entry *e;
	char name[512], *tmp;

	e = &p->fwd[rand_r(seed) % p->nr];
	format_entry(p, e, seed, bufs, sz, missing);
	for (i = 1; i < n; i++) {
		char *out = bufs + i * sz;
		const char *from = bufs + (rand_r(seed) % i) * sz;
		unsigned int dice = rand_r(seed) % 100;

		name_of(from, name, sizeof(name), p->paths);
		e = NULL;
		if (dice < 45) {		/* suffixes and prefixes */
			for (k = 0; !e && k < 4; k++)
				e = related(p, name, seed);
		} else if (dice < 60) {		/* an exact duplicate */
			snprintf(out, sz, "%s", from);
			continue;
		} else if (dice < 72) {		/* a one-letter name */
			char one[2] = { letters[rand_r(seed) %
					(sizeof(letters) - 1)], 0 };

			e = exact(p, one);
			if (!e) {
				snprintf(out, sz, p->paths ? "%s.a" : "%s", one);
				*missing = true;
				continue;
			}
		} else if (dice < 86) {		/* a tail many strings share */
			size_t len = strlen(name), tail = 1 + rand_r(seed) % 3;

			if (tail > len)
				tail = len;
			e = exact(p, name + len - tail);
			if (!e && !p->paths) {
				snprintf(out, sz, "%s", name + len - tail);
				*missing = true;
				continue;
			}
		}
		if (!e) {		/* anything: an ordinary selector */
			if (p->paths) {
				randsel_path(p->src, seed, out, sz, missing);
				continue;
			}
			if (!(rand_r(seed) % 5)) {
				snprintf(out, sz, "#%u", 1 + rand_r(seed) %
					 (btf__type_cnt(p->src) - 1));
				continue;
			}
			e = &p->fwd[rand_r(seed) % p->nr];
		}
		format_entry(p, e, seed, out, sz, missing);
	}
	/* in random order: a shorter name as often before as after */
	tmp = malloc(sz);
	for (i = n - 1; tmp && i > 0; i--) {
		k = rand_r(seed) % (i + 1);
		memcpy(tmp, bufs + i * sz, sz);
		memcpy(bufs + i * sz, bufs + k * sz, sz);
		memcpy(bufs + k * sz, tmp, sz);
	}
	free(tmp);
	return n;
}
