// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Selectors and root matching.  A selector is "NAME", "KIND NAME" or "#ID";
 * in fields mode NAME or KIND NAME may go on with ".member.member..." (or,
 * for an enum, ".VALUE").
 * Names are found by streaming the string section once and noting every
 * string offset whose string is a requested name (including a name that is
 * the tail of a longer string, since name_off may point into one); the type
 * walk then compares each type's name_off against those offsets.  Neither
 * section is ever held in memory.
 */
#include "bf_internal.h"

static const struct {
	const char *word;
	u32 kinds;
} bf_kind_words[] = {
	{ "struct",	1U << BF_KIND_STRUCT },
	{ "union",	1U << BF_KIND_UNION },
	{ "enum",	(1U << BF_KIND_ENUM) | (1U << BF_KIND_ENUM64) },
	{ "typedef",	1U << BF_KIND_TYPEDEF },
	{ "func",	1U << BF_KIND_FUNC },
	{ "var",	1U << BF_KIND_VAR },
	{ "datasec",	1U << BF_KIND_DATASEC },
	{ "fwd",	1U << BF_KIND_FWD },
	{ "int",	1U << BF_KIND_INT },
	{ "float",	1U << BF_KIND_FLOAT },
};

static bool bf_is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Names may hold single inner spaces ("long unsigned int"), but no other
 * white space or control characters, and none at either end.
 */
static bool bf_name_ok(const char *s, u32 len)
{
	u32 i;

	if (!len || len > BF_SEL_NAME_MAX || bf_is_space(s[0]) ||
	    bf_is_space(s[len - 1]))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
		    (s[i] == ' ' && s[i + 1] == ' '))
			return false;
	return true;
}

/* Member names: C identifiers, each at most BF_SEL_NAME_MAX bytes. */
static bool bf_path_ok(const char *s, u32 len)
{
	u32 i, seg = 0;

	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (!seg || seg > BF_SEL_NAME_MAX)
				return false;
			seg = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   c == '_' || (seg && c >= '0' && c <= '9')) {
			seg++;
		} else {
			return false;
		}
	}
	return true;
}

static u32 bf_kind_word(const char *s, u32 len)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bf_kind_words); i++)
		if (strlen(bf_kind_words[i].word) == len &&
		    !memcmp(bf_kind_words[i].word, s, len))
			return bf_kind_words[i].kinds;
	return 0;
}

/*
 * "#ID", or "KIND NAME" when the first word is a kind, or else "NAME"
 * (so "short int" is a name, "int short int" the same name as an int).
 */
static int bf_parse_one(const struct bf_env *env, struct bf_selector *sel,
			const char *s, u32 len, bool fields)
{
	const char *sp;
	u32 i;

	sel->text = s;
	if (s[0] == '#') {
		u64 v = 0;

		for (i = 1; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				break;
			v = v * 10 + (u32)(s[i] - '0');
			if (v > BF_U32_MAX)
				break;
		}
		if (len < 2 || i != len || !v) {
			bf_log(env, "selector '%s': '#' takes a type ID from 1",
			       s);
			return -EINVAL;
		}
		sel->id = (u32)v;
		return 0;
	}
	sp = memchr(s, ' ', len);
	if (sp)
		sel->kinds = bf_kind_word(s, sp - s);
	if (sel->kinds) {
		len -= sp + 1 - s;
		s = sp + 1;
	}
	if (fields && len && s[0] != '.') {	/* ".data" is a DATASEC name */
		const char *dot = memchr(s, '.', len);

		if (dot) {
			sel->path = dot + 1;
			sel->path_len = s + len - sel->path;
			len = dot - s;
			if (!bf_path_ok(sel->path, sel->path_len)) {
				bf_log(env, "selector '%s': bad member path (empty member, not an identifier, or over %u bytes)",
				       sel->text, BF_SEL_NAME_MAX);
				return -EINVAL;
			}
		}
	}
	if (!bf_name_ok(s, len)) {
		bf_log(env, "selector '%s': bad name (empty, over %u bytes, or odd white space)",
		       sel->text, BF_SEL_NAME_MAX);
		return -EINVAL;
	}
	sel->name = s;
	sel->name_len = len;
	return 0;
}

int bf_parse_selectors(const struct bf_env *env, const struct bf_query *q,
		       struct bf_roots *r)
{
	u32 i, n = 0, start = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (!q->sel_len || q->sels[q->sel_len - 1]) {
		bf_log(env, "selector list is empty or not NUL-terminated");
		return -EINVAL;
	}
	for (i = 0; i < q->sel_len; i++)
		n += !q->sels[i];
	r->sels = bf_zalloc(env, bf_array_size(n, sizeof(*r->sels)));
	if (!r->sels)
		return -ENOMEM;
	r->nr_sels = n;
	for (i = 0, n = 0; i < q->sel_len; i++) {
		if (q->sels[i])
			continue;
		if (i == start) {
			bf_log(env, "selector %u is empty", n);
			return -EINVAL;
		}
		err = bf_parse_one(env, &r->sels[n++], q->sels + start,
				   i - start, q->mode == BF_MODE_FIELDS);
		if (err)
			return err;
		start = i + 1;
	}
	return 0;
}

void bf_roots_free(const struct bf_env *env, struct bf_roots *r)
{
	bf_free(env, r->sels, (size_t)r->nr_sels * sizeof(*r->sels));
	bf_free(env, r->matches, (size_t)r->match_cap * sizeof(*r->matches));
	bf_free(env, r->ids, (size_t)r->id_cap * sizeof(*r->ids));
	bf_free(env, r->id_sels, (size_t)r->id_sel_cap * sizeof(*r->id_sels));
	memset(r, 0, sizeof(*r));
}

#define BF_STR_CHUNK	15360	/* with the windows, 64 KiB of I/O buffers */
#define BF_STR_CARRY	BF_SEL_NAME_MAX

/* Note every selector whose name ends at buf[end] (a NUL). */
static int bf_match_end(const struct bf_env *env, struct bf_roots *r,
			const char *buf, u32 end, u32 avail, u32 str_pos)
{
	u32 i;
	int err;

	for (i = 0; i < r->nr_sels; i++) {
		const struct bf_selector *s = &r->sels[i];

		if (!s->name_len || s->name_len > avail ||
		    buf[end - 1] != s->name[s->name_len - 1] ||
		    memcmp(buf + end - s->name_len, s->name, s->name_len))
			continue;
		err = bf_grow(env, (void **)&r->matches, &r->match_cap,
			      r->nr_matches + 1, sizeof(*r->matches));
		if (err)
			return err;
		r->matches[r->nr_matches].str_off = str_pos - s->name_len;
		r->matches[r->nr_matches].sel = i;
		r->nr_matches++;
	}
	return 0;
}

int bf_match_strings(const struct bf_env *env, const struct bf_sections *sec,
		     struct bf_roots *r)
{
	u32 pos = 0, keep = 0, i, begin = 0, min_len = BF_U32_MAX;
	char *buf;
	int err = 0;

	for (i = 0; i < r->nr_sels; i++)
		if (r->sels[i].name_len && r->sels[i].name_len < min_len)
			min_len = r->sels[i].name_len;
	if (min_len == BF_U32_MAX)
		return 0;
	buf = bf_zalloc(env, BF_STR_CARRY + BF_STR_CHUNK);
	if (!buf)
		return -ENOMEM;
	/*
	 * buf holds "keep" carried bytes that precede string offset pos, then
	 * the next chunk.  A NUL at buf[j] (string offset q) ends the string
	 * that began at "begin"; its last min(q - begin, j) bytes are in buf.
	 */
	while (pos < sec->str_len) {
		u32 n = sec->str_len - pos, j = keep;

		if (n > BF_STR_CHUNK)
			n = BF_STR_CHUNK;
		err = env->rd.read_at(env->rd.ctx, (u64)sec->str_start + pos,
				      buf + keep, n);
		if (err)
			break;
		for (;;) {
			const char *nul = memchr(buf + j, 0, keep + n - j);
			u32 q, len;

			if (!nul)
				break;
			j = nul - buf;
			q = pos + (j - keep);
			len = q - begin;
			if (len >= min_len) {
				err = bf_match_end(env, r, buf, j,
						   len < j ? len : j, q);
				if (err)
					goto out;
			}
			begin = q + 1;
			j++;
		}
		pos += n;
		keep += n;
		if (keep > BF_STR_CARRY) {
			memmove(buf, buf + keep - BF_STR_CARRY, BF_STR_CARRY);
			keep = BF_STR_CARRY;
		}
		err = bf_cond_resched();
		if (err)
			break;
	}
out:
	bf_free(env, buf, BF_STR_CARRY + BF_STR_CHUNK);
	return err;
}

/* First match for str_off, or r->nr_matches. Matches are sorted. */
static u32 bf_find_match(const struct bf_roots *r, u32 str_off)
{
	u32 lo = 0, hi = r->nr_matches;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->matches[mid].str_off < str_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bf_add_root(const struct bf_env *env, struct bf_roots *r, u32 id,
		u32 sel)
{
	int err;

	err = bf_grow(env, (void **)&r->ids, &r->id_cap, r->nr_ids + 1,
		      sizeof(*r->ids));
	if (!err)
		err = bf_grow(env, (void **)&r->id_sels, &r->id_sel_cap,
			      r->nr_ids + 1, sizeof(*r->id_sels));
	if (err)
		return err;
	r->ids[r->nr_ids] = id;
	r->id_sels[r->nr_ids++] = sel;
	return 0;
}

int bf_match_type(const struct bf_env *env, struct bf_roots *r, u32 id,
		  const struct bf_btf_type *t)
{
	u32 m;
	int err;

	if (!t->name_off || !r->nr_matches)
		return 0;
	for (m = bf_find_match(r, t->name_off);
	     m < r->nr_matches && r->matches[m].str_off == t->name_off; m++) {
		struct bf_selector *s = &r->sels[r->matches[m].sel];

		if (s->kinds && !(s->kinds & (1U << bf_kind(t))))
			continue;
		err = bf_add_root(env, r, id, r->matches[m].sel);
		if (err)
			return err;
		s->hits++;
	}
	return 0;
}

int bf_finish_roots(const struct bf_env *env, const struct bf_index *idx,
		    const struct bf_query *q, struct bf_roots *r,
		    struct bf_result *res)
{
	u32 i;
	int err;

	for (i = 0; i < r->nr_sels; i++) {
		struct bf_selector *s = &r->sels[i];

		if (s->id && s->id <= idx->nr_types) {
			err = bf_add_root(env, r, s->id, i);
			if (err)
				return err;
			s->hits++;
		}
		if (s->path_len ? s->path_hits : s->hits)
			continue;
		if (!res->nr_missing++)
			res->first_missing = i;
	}
	if (res->nr_missing && !(q->flags & BF_Q_ALLOW_MISSING)) {
		bf_log(env, "selector '%s' matches no type",
		       r->sels[res->first_missing].text);
		return -ENOENT;
	}
	return 0;
}
