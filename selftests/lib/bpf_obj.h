/* SPDX-License-Identifier: GPL-2.0 */
/* A loaded CO-RE test object's globals, found through libbpf. */
#ifndef BTF_FILTER_BPF_OBJ_H
#define BTF_FILTER_BPF_OBJ_H

#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

/* The offset of global variable name in the object's datasec sec, or -1. */
static inline int var_offset(struct bpf_object *obj, const char *sec,
			     const char *name)
{
	struct btf *btf = bpf_object__btf(obj);
	int id = btf ? btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	int i;

	for (i = 0; t && i < btf_vlen(t); i++) {
		const struct btf_var_secinfo *v = btf_var_secinfos(t) + i;
		const struct btf_type *var = btf__type_by_id(btf, v->type);

		if (var && !strcmp(btf__name_by_offset(btf, var->name_off), name))
			return v->offset;
	}
	return -1;
}

/* The internal map (".rodata", ".bss") of the object's section sec. */
static inline struct bpf_map *section_map(struct bpf_object *obj,
					  const char *sec)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
		if (bpf_map__is_internal(m) && strstr(bpf_map__name(m), sec))
			return m;
	return NULL;
}

#endif /* BTF_FILTER_BPF_OBJ_H */
