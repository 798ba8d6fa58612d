// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Selectors and root matching.  A selector is "NAME", "KIND NAME" or "#ID";
 * in fields mode NAME or KIND NAME may go on with ".member.member..." (or,
 * for an enum, ".VALUE").
 * Selectors that are the same text are one selector: they match once, and
 * the copies share its outcome.  The distinct names are chained by
 * bf_name_key(), a hash of the name read backwards.
 *
 * Names are found by streaming the string section once and marking every
 * string offset at which a requested name begins and runs to a NUL (a name
 * may be the tail of a longer string, since name_off may point into one):
 * each string is read backwards from its NUL, hashing its suffixes on the
 * way, so the scan costs one step per byte however many selectors there
 * are.  The type walk then reads the name of each type whose name_off is
 * marked and looks it up.  Neither section is ever held in memory.
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

#define BF_STR_CHUNK	15360	/* with the windows, 64 KiB of I/O buffers */
#define BF_STR_CARRY	BF_SEL_NAME_MAX

static u8 bf_last_byte(const char *s, u32 len)
{
	return s[len - 1];
}

/* A power of two, at least 16 and at least n. */
static u32 bf_buckets(u32 n)
{
	u32 nb = 16;

	while (nb < n && nb < (1U << 30))
		nb *= 2;
	return nb;
}

/*
 * r->skip: met where a name's NUL could be, byte c moves the scan on by the
 * least distance from a c in some name to that name's NUL; by the shortest
 * name and its NUL when no name holds c (a NUL: no name holds one).
 * O(bytes of the names).
 */
static void bf_skip_table(struct bf_roots *r)
{
	u32 far = r->min_name + 1 < 255 ? r->min_name + 1 : 255, i, k;

	memset(r->skip, far, sizeof(r->skip));
	for (i = 0; i < r->nr_sels; i++) {
		const struct bf_selector *s = &r->sels[i];

		if (s->dup_of)
			continue;
		for (k = 0; k < s->name_len; k++) {
			u8 c = s->name[k];

			if (s->name_len - k < r->skip[c])
				r->skip[c] = s->name_len - k;
		}
	}
}

/*
 * Collapse selectors that are the same text into the first of them, and
 * chain the distinct names by key.  O(selectors) with a hash of the text.
 */
static int bf_index_selectors(const struct bf_env *env, struct bf_roots *r)
{
	/* 4 buckets a selector: most suffixes bf_match_end() tries find none */
	u32 nb = bf_buckets(4 * r->nr_sels), *text_head, *text_next, i, n = 0;
	size_t hsize = bf_array_size(nb, sizeof(u32));
	size_t nsize = bf_array_size(r->nr_sels, sizeof(u32));
	int err = 0;

	text_head = bf_zalloc(env, hsize);
	text_next = bf_zalloc(env, nsize);
	r->nr_heads = nb;
	r->heads = bf_zalloc(env, hsize);
	if (!text_head || !text_next || !r->heads) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < r->nr_sels; i++) {
		struct bf_selector *s = &r->sels[i];
		u32 len = strlen(s->text);
		u32 b = bf_name_key(r->seed, s->text, len) & (nb - 1);
		u32 j;

		for (j = text_head[b]; j; j = text_next[j - 1]) {
			if (!(++n % 4096)) {
				err = bf_cond_resched();
				if (err)
					goto out;
			}
			if (!strcmp(r->sels[j - 1].text, s->text))
				break;
		}
		if (j) {
			s->dup_of = j;
			continue;
		}
		text_next[i] = text_head[b];
		text_head[b] = i + 1;
		if (!s->name_len)
			continue;
		s->key = bf_name_key(r->seed, s->name, s->name_len);
		s->next = r->heads[s->key & (nb - 1)];
		r->heads[s->key & (nb - 1)] = i + 1;
		r->lens[s->name_len / 8] |= 1U << (s->name_len % 8);
		r->last[bf_last_byte(s->name, s->name_len) / 8] |=
			1U << (bf_last_byte(s->name, s->name_len) % 8);
		if (s->name_len > r->max_name)
			r->max_name = s->name_len;
		if (!r->min_name || s->name_len < r->min_name)
			r->min_name = s->name_len;
	}
	bf_skip_table(r);
	r->name = bf_zalloc(env, r->max_name + 1);
	if (!r->name)
		err = -ENOMEM;
out:
	bf_free(env, text_head, hsize);
	bf_free(env, text_next, nsize);
	return err;
}

int bf_parse_selectors(const struct bf_env *env, const struct bf_query *q,
		       struct bf_roots *r)
{
	u32 i, n = 0, start = 0;
	int err;

	memset(r, 0, sizeof(*r));
	r->seed = bf_random_u32();
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
	return bf_index_selectors(env, r);
}

void bf_roots_free(const struct bf_env *env, struct bf_roots *r)
{
	bf_free(env, r->sels, (size_t)r->nr_sels * sizeof(*r->sels));
	bf_free(env, r->heads, (size_t)r->nr_heads * sizeof(u32));
	if (r->name)
		bf_free(env, r->name, r->max_name + 1);
	bf_free(env, r->marks, (size_t)r->mark_cap * sizeof(u32));
	bf_free(env, r->mark_bits, r->mark_bits_size);
	bf_free(env, r->pairs, BF_PAIRS / 8);
	bf_free(env, r->mark_filter, r->filter_size);
	bf_free(env, r->ids, (size_t)r->id_cap * sizeof(*r->ids));
	bf_free(env, r->id_sels, (size_t)r->id_sel_cap * sizeof(*r->id_sels));
	memset(r, 0, sizeof(*r));
}

/* The first distinct selector whose name is the len bytes at name, or 0. */
static u32 bf_find_name(const struct bf_roots *r, const char *name, u32 len,
			u32 key)
{
	u32 i;

	for (i = r->heads[key & (r->nr_heads - 1)]; i; i = r->sels[i - 1].next) {
		const struct bf_selector *s = &r->sels[i - 1];

		if (s->key == key && s->name_len == len &&
		    !memcmp(s->name, name, len))
			return i;
	}
	return 0;
}

static bool bf_has_len(const struct bf_roots *r, u32 len)
{
	return (r->lens[len / 8] >> (len % 8)) & 1;
}

/*
 * Mark string offset off.  Marks are kept in an array while they are few
 * (sorted once the scan is done); past mark_limit (as many bytes as the
 * bitmap of the whole string section) they move into that bitmap, so a
 * query never holds more.
 */
static int bf_mark(const struct bf_env *env, struct bf_roots *r, u32 off)
{
	u32 i;
	int err;

	if (!r->mark_bits && r->nr_marks == r->mark_limit) {
		r->mark_bits = bf_zalloc(env, r->mark_bits_size);
		if (!r->mark_bits)
			return -ENOMEM;
		for (i = 0; i < r->nr_marks; i++)
			r->mark_bits[r->marks[i] / 32] |= 1U << (r->marks[i] % 32);
		bf_free(env, r->marks, (size_t)r->mark_cap * sizeof(u32));
		r->marks = NULL;
		r->mark_cap = 0;
	}
	if (r->mark_bits) {
		r->mark_bits[off / 32] |= 1U << (off % 32);
		return 0;
	}
	err = bf_grow(env, (void **)&r->marks, &r->mark_cap, r->nr_marks + 1,
		      sizeof(u32));
	if (err)
		return err;
	r->marks[r->nr_marks++] = off;
	return 0;
}

/*
 * The listed marks, sorted for bf_marked()'s search, and their filter: 16
 * bits or more a mark, so that about one name in 16 that is no mark gets
 * past bf_may_match().  The names' tails in other strings make marks by
 * the hundred ("file" ends 261 of the host's strings).
 */
static int bf_mark_filter(const struct bf_env *env, struct bf_roots *r)
{
	u32 log = 10, i, b;
	int err;

	if (r->mark_bits || !r->nr_marks)
		return 0;
	err = bf_sort_keys(env, r->marks, r->nr_marks);
	if (err)
		return err;
	while (log < 31 && (1U << log) / 16 < r->nr_marks)
		log++;
	r->filter_shift = 32 - log;
	r->filter_size = (1U << log) / 8;
	r->mark_filter = bf_zalloc(env, r->filter_size);
	if (!r->mark_filter)
		return -ENOMEM;
	for (i = 0; i < r->nr_marks; i++) {
		b = bf_mark_filter_bit(r, r->marks[i]);
		r->mark_filter[b / 32] |= 1U << (b % 32);
	}
	return 0;
}

static bool bf_marked(const struct bf_roots *r, u32 off)
{
	u32 i;

	if (!bf_may_match(r, off))
		return false;
	if (r->mark_bits)	/* bf_may_match() was exact */
		return true;
	i = bf_lower_bound(r->marks, r->nr_marks, 1, off);
	return i < r->nr_marks && r->marks[i] == off;
}

/*
 * The string ending at buf[end] (a NUL, string offset str_pos) has up to
 * avail (>= min_name) of its last bytes in buf, the last of which ends a
 * selector's name: mark each suffix that is a selector's name.
 */
static int bf_match_end(const struct bf_env *env, struct bf_roots *r,
			const char *buf, u32 end, u32 avail, u32 str_pos)
{
	u32 h = bf_key_basis(r->seed), k;
	int err;

	if (avail > r->max_name)
		avail = r->max_name;
	for (k = 1; k <= avail && buf[end - k]; k++) {
		h = (h ^ (u8)buf[end - k]) * 16777619U;
		if (!bf_has_len(r, k) || !r->heads[h & (r->nr_heads - 1)] ||
		    !bf_find_name(r, buf + end - k, k, h))
			continue;
		err = bf_mark(env, r, str_pos - k);
		if (err)
			return err;
	}
	return 0;
}

/*
 * r->pairs: a bit for the last two bytes of each selector's name, built
 * only when every name has two (min_name >= 2).
 */
static int bf_pair_table(const struct bf_env *env, struct bf_roots *r)
{
	u32 i;

	r->pairs = bf_zalloc(env, BF_PAIRS / 8);
	if (!r->pairs)
		return -ENOMEM;
	for (i = 0; i < r->nr_sels; i++) {
		const struct bf_selector *s = &r->sels[i];
		u32 pair;

		if (s->dup_of || !s->name_len)
			continue;
		pair = (u8)s->name[s->name_len - 2] << 8 |
		       (u8)s->name[s->name_len - 1];
		r->pairs[pair / 8] |= 1U << (pair % 8);
	}
	return 0;
}

/*
 * One step of the scan at buf[i], a place where a name's NUL could be:
 * match there if it is one, then move on by r->skip.
 */
static inline int bf_scan_step(const struct bf_env *env, struct bf_roots *r,
			       const char *buf, u32 *i, u32 b0)
{
	u8 c = buf[*i], last;
	u32 at = *i;

	*i += r->skip[c];
	if (c || at < r->min_name)
		return 0;
	last = buf[at - 1];
	if (!((r->last[last / 8] >> (last % 8)) & 1))
		return 0;	/* no name ends so */
	if (r->pairs) {
		u32 pair = (u8)buf[at - 2] << 8 | last;

		if (!((r->pairs[pair / 8] >> (pair % 8)) & 1))
			return 0;	/* nor with these two bytes */
	}
	return bf_match_end(env, r, buf, at, at, b0 + at);
}

/* The scan's steps from *at while below end. */
static int bf_scan_lane(const struct bf_env *env, struct bf_roots *r,
			const char *buf, u32 *at, u32 end, u32 b0)
{
	int err = 0;

	while (!err && *at < end)
		err = bf_scan_step(env, r, buf, at, b0);
	return err;
}

/*
 * Every place in buf[from, to) where a selector's name ends with a NUL
 * (buf[0] is string offset b0; a name's bytes may reach back to buf[0]).
 * Horspool over all the names at once, in four lanes (the four quarters
 * of the range) stepped in turn: each step waits on the byte the one
 * before it read, so the lanes' chains overlap where one would wait.  On
 * the host's vmlinux, with one name: 2.15 ms a query with one lane, 1.77
 * with four (medians of 300, taken in turn).  Marks come out of order.
 */
static int bf_scan(const struct bf_env *env, struct bf_roots *r,
		   const char *buf, u32 from, u32 to, u32 b0)
{
	u32 q = (to - from) / 4;
	u32 a = from, b = a + q, c = b + q, d = c + q;
	int err = 0;

	while (a < from + q && b < from + 2 * q && c < from + 3 * q &&
	       d < to) {
		err = bf_scan_step(env, r, buf, &a, b0);
		if (!err)
			err = bf_scan_step(env, r, buf, &b, b0);
		if (!err)
			err = bf_scan_step(env, r, buf, &c, b0);
		if (!err)
			err = bf_scan_step(env, r, buf, &d, b0);
		if (err)
			return err;
	}
	err = bf_scan_lane(env, r, buf, &a, from + q, b0);
	if (!err)
		err = bf_scan_lane(env, r, buf, &b, from + 2 * q, b0);
	if (!err)
		err = bf_scan_lane(env, r, buf, &c, from + 3 * q, b0);
	if (!err)
		err = bf_scan_lane(env, r, buf, &d, to, b0);
	return err;
}

/*
 * Mark every string offset at which a selector's name begins, as the end
 * of a string or of any string's tail.  Where the source is held in
 * memory a part is scanned in place; otherwise a chunk at a time, with
 * the max_name bytes before it carried, as a name may straddle chunks (a
 * part ends with a NUL: none straddles parts).
 */
int bf_match_strings(struct bf_io *io, const struct bf_sections *sec,
		     struct bf_roots *r)
{
	const struct bf_env *env = io->env;
	u32 pos = 0, keep = 0;
	char *buf = NULL;
	int err = 0;

	if (!r->max_name)
		return 0;
	r->mark_bits_size = bf_array_size(sec->str_len / 32 + 1, sizeof(u32));
	r->mark_limit = r->mark_bits_size / sizeof(u32);
	if (r->min_name >= 2) {
		err = bf_pair_table(env, r);
		if (err)
			return err;
	}
	while (!err && pos < sec->str_len) {
		u32 n, done, len;
		u64 at = bf_str_at(sec, pos, &n);	/* never past a part */
		const char *p = (const char *)bf_io_held(io, at, n);

		if (p) {
			/*
			 * A slice at a time, each with the bytes before it
			 * that a name may reach back into: positions in a
			 * slice stay far below 4 GiB, whatever the part's size.
			 */
			for (done = 0; !err && done < n; done += len) {
				u32 back = done < BF_STR_CARRY ? done :
							       BF_STR_CARRY;

				len = n - done < BF_STR_CHUNK ? n - done :
								BF_STR_CHUNK;
				err = bf_scan(env, r, p + done - back, back,
					      back + len, pos + done - back);
				if (!err)
					err = bf_cond_resched();
			}
			pos += n;
			keep = 0;
			continue;
		}
		if (!buf) {
			buf = bf_zalloc(env, BF_STR_CARRY + BF_STR_CHUNK);
			if (!buf)
				return -ENOMEM;
		}
		if (n > BF_STR_CHUNK)
			n = BF_STR_CHUNK;
		err = bf_io_direct(io, at, buf + keep, n);
		if (!err)
			err = bf_scan(env, r, buf, keep, keep + n, pos - keep);
		pos += n;
		keep += n;
		if (keep > BF_STR_CARRY) {
			memmove(buf, buf + keep - BF_STR_CARRY, BF_STR_CARRY);
			keep = BF_STR_CARRY;
		}
		if (!err)
			err = bf_cond_resched();
	}
	bf_free(env, buf, BF_STR_CARRY + BF_STR_CHUNK);
	if (!err)
		err = bf_mark_filter(env, r);
	return err;
}

int bf_add_root(const struct bf_env *env, struct bf_roots *r, u32 id,
		u32 sel)
{
	int err;

	if (r->nr_ids >= BF_MAX_ROOTS) {
		bf_log(env, "selectors match more than %u types", BF_MAX_ROOTS);
		return -E2BIG;
	}
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

int bf_match_type(struct bf_io *io, const struct bf_sections *sec,
		  struct bf_roots *r, u32 id, const struct bf_btf_type *t)
{
	u32 len, key, i;
	int err;

	if (!t->name_off || !bf_marked(r, t->name_off))
		return 0;
	err = bf_read_name(io, sec, t->name_off, r->name, r->max_name, &len);
	if (err || len > r->max_name)
		return err;
	key = bf_name_key(r->seed, r->name, len);
	for (i = bf_find_name(r, r->name, len, key); i; i = r->sels[i - 1].next) {
		struct bf_selector *s = &r->sels[i - 1];

		if (s->key != key || s->name_len != len ||
		    memcmp(s->name, r->name, len) ||
		    (s->kinds && !(s->kinds & bf_kind_bit(bf_kind(t)))))
			continue;
		err = bf_add_root(io->env, r, id, i - 1);
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

		if (s->dup_of) {	/* earlier, so already settled */
			s->hits = r->sels[s->dup_of - 1].hits;
			s->path_hits = r->sels[s->dup_of - 1].path_hits;
		} else if (s->id && s->id <= idx->nr_types) {
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
