/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The CO-RE relocations of compiled BPF objects as fields-mode selectors,
 * for btf-filter from-obj and btf_filter__custom_path().
 */
#ifndef BTF_FILTER_CORE_RELO_H
#define BTF_FILTER_CORE_RELO_H

#include <stdio.h>

/* A set of selector strings, each kept once, in first-seen order. */
struct sel_set {
	char **sels;
	size_t nr;
	size_t cap;
};

void sel_set_free(struct sel_set *set);
/* Add a copy of sel unless the set has it: 0 or -ENOMEM. */
int sel_set_add(struct sel_set *set, const char *sel);

/*
 * Add the selector of every CO-RE relocation in the object at path to
 * set; with explain, print one line per relocation there.  A relocation
 * that no selector can express is counted in *inexpressible and reported,
 * by object, section, relocation and type: on diag, or when diag is NULL
 * (the library) in err, the first one only.  Returns 0, or a negative
 * errno with a one-line message in err: the errno of opening path, ENOMEM,
 * or EINVAL (not a CO-RE BPF object, or a malformed one).
 */
int core_relo_selectors(const char *path, struct sel_set *set, FILE *explain,
			FILE *diag, int *inexpressible, char *err,
			size_t err_sz);

#endif /* BTF_FILTER_CORE_RELO_H */
