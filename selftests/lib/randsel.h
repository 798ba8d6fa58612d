/* SPDX-License-Identifier: GPL-2.0 */
/* Random selectors over a real BTF, for the differential tests. */
#ifndef BTF_FILTER_RANDSEL_H
#define BTF_FILTER_RANDSEL_H

#include <stdbool.h>
#include <stddef.h>
#include <bpf/btf.h>

/* IDs of named, selectable types into named (room for every type). */
__u32 randsel_names(const struct btf *src, __u32 *named);

/* One random selector into buf; *missing set if it names nothing. */
void randsel_one(const struct btf *src, const __u32 *named, __u32 nr_named,
		 unsigned int *seed, char *buf, size_t sz, bool *missing);

/*
 * *id passed through typedefs and modifiers (and arrays and pointers, if
 * deref), at most 32 steps: the type it ends at (void for 0), or NULL for
 * an ID past the last type.
 */
const struct btf_type *randsel_skip(const struct btf *src, __u32 *id,
				    bool deref);

/*
 * One random fields-mode selector: a member path of one to three named
 * members (through anonymous ones and behind pointers), or an enum value.
 */
void randsel_path(const struct btf *src, unsigned int *seed, char *buf,
		  size_t sz, bool *missing);

/* One random fields-mode selector like randsel_path(), from type id. */
void randsel_path_from(const struct btf *src, __u32 id, unsigned int *seed,
		       char *buf, size_t sz, bool *missing);

/*
 * Tricky sets: what trips a matcher that streams the string section and
 * notes which selectors' names end where each string ends.  A pool holds
 * the names of selectable types twice sorted: forwards (exact look-ups,
 * prefixes, names that begin with a name) and by reversed string (the
 * names that end with a name are one run).  paths: only the types
 * randsel_path_from() can start from.
 */
struct randsel_entry {
	const char *name;
	__u32 id;
};

struct randsel_pool {
	const struct btf *src;
	struct randsel_entry *fwd;
	struct randsel_entry *rev;
	__u32 nr;
	bool paths;
};

int randsel_pool_init(struct randsel_pool *p, const struct btf *src,
		      bool paths);
void randsel_pool_fini(struct randsel_pool *p);

/*
 * A set of 2..max selectors (each in sz bytes at bufs + i * sz), in random
 * order, made of: a real name together with real names that are its
 * suffixes or end with it, its prefixes or begin with it ("s" and
 * "lookup_args", "int" and "unsigned int"); exact duplicates of a selector
 * in the set; one-letter names; short name tails that many strings end
 * with ("e", "_t", "ops"); and ordinary randsel_one() selectors.  With a
 * paths pool, member paths (randsel_path_from()) from such roots instead.
 * Returns how many; *missing set when a selector may name nothing.
 */
/* The run of p->rev whose names end with name: its first index, and size. */
__u32 randsel_ending_with(const struct randsel_pool *p, const char *name,
			  __u32 *first);

int randsel_tricky(const struct randsel_pool *p, unsigned int *seed,
		   char *bufs, size_t sz, int max, bool *missing);

#endif /* BTF_FILTER_RANDSEL_H */
