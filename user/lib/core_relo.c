// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Read the CO-RE relocation records of a BPF object's .BTF.ext (libelf; the
 * layout of Documentation/bpf/btf.rst) and turn each into the fields-mode selector
 * that keeps what libbpf needs to resolve it against a kernel's BTF:
 *
 * field byte_off, byte_sz, exists, signed, lshift, rshift
 *	the root type's name (its ___flavor suffix stripped, as libbpf's
 *	candidate search does) and the names of the members its access string
 *	walks: "struct task_struct.real_parent".  Anonymous members and array
 *	indexes add no name: a path by name finds them again.
 * type id target, exists, size, matches
 *	the whole type: "struct task_struct" (shallow, in fields mode).
 * enumval exists, value
 *	"enum pid_type.PIDTYPE_TGID".
 * type id local
 *	nothing: it is answered from the object's own BTF.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/btf.h>

#include "core_relo.h"

struct btf_ext_hdr {		/* Documentation/bpf/btf.rst */
	__u16 magic;
	__u8 version;
	__u8 flags;
	__u32 hdr_len;
	__u32 func_info_off;
	__u32 func_info_len;
	__u32 line_info_off;
	__u32 line_info_len;
	__u32 core_relo_off;
	__u32 core_relo_len;
};

#define BTF_EXT_MAGIC	0xeB9F
#define SEL_MAX		1024

static const char *const kind_names[] = {
	[BPF_CORE_FIELD_BYTE_OFFSET] = "field_byte_offset",
	[BPF_CORE_FIELD_BYTE_SIZE] = "field_byte_size",
	[BPF_CORE_FIELD_EXISTS] = "field_exists",
	[BPF_CORE_FIELD_SIGNED] = "field_signed",
	[BPF_CORE_FIELD_LSHIFT_U64] = "field_lshift_u64",
	[BPF_CORE_FIELD_RSHIFT_U64] = "field_rshift_u64",
	[BPF_CORE_TYPE_ID_LOCAL] = "type_id_local",
	[BPF_CORE_TYPE_ID_TARGET] = "type_id_target",
	[BPF_CORE_TYPE_EXISTS] = "type_exists",
	[BPF_CORE_TYPE_SIZE] = "type_size",
	[BPF_CORE_ENUMVAL_EXISTS] = "enumval_exists",
	[BPF_CORE_ENUMVAL_VALUE] = "enumval_value",
	[BPF_CORE_TYPE_MATCHES] = "type_matches",
};

void sel_set_free(struct sel_set *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		free(set->sels[i]);
	free(set->sels);
	memset(set, 0, sizeof(*set));
}

int sel_set_add(struct sel_set *set, const char *sel)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		if (!strcmp(set->sels[i], sel))
			return 0;
	if (set->nr == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 32;
		char **p = realloc(set->sels, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		set->sels = p;
		set->cap = cap;
	}
	set->sels[set->nr] = strdup(sel);
	if (!set->sels[set->nr])
		return -ENOMEM;
	set->nr++;
	return 0;
}

/* The length of name without its ___flavor suffix (libbpf's rule). */
static size_t essential_len(const char *name)
{
	size_t n = strlen(name), i;

	/* "___" with a name character on each side */
	for (i = n >= 5 ? n - 4 : 0; i >= 1; i--)
		if (!strncmp(name + i, "___", 3) && name[i - 1] != '_' &&
		    name[i + 3] != '_')
			return i;
	return n;
}

static const char *kind_word(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT: return "struct ";
	case BTF_KIND_UNION: return "union ";
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return "enum ";
	case BTF_KIND_TYPEDEF: return "typedef ";
	case BTF_KIND_INT: return "int ";
	case BTF_KIND_FLOAT: return "float ";
	case BTF_KIND_FWD: return "fwd ";
	default: return NULL;
	}
}

static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int depth;

	for (depth = 0; t && depth < 32 && (btf_is_mod(t) ||
					   btf_is_typedef(t)); depth++) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	return id;
}

/* Append ".name" to sel for each named member access walks. */
static int add_members(const struct btf *btf, __u32 id, const char *access,
		       char *sel, size_t sz)
{
	const char *p = strchr(access, ':');	/* [0] indexes the root */

	while (p) {
		unsigned long idx = strtoul(p + 1, NULL, 10);
		const struct btf_type *t;

		id = skip_mods(btf, id);
		t = btf__type_by_id(btf, id);
		if (t && btf_is_composite(t) && idx < btf_vlen(t)) {
			const struct btf_member *m = btf_members(t) + idx;
			const char *mn = btf__name_by_offset(btf, m->name_off);
			size_t len = strlen(sel);

			if (mn && mn[0] &&
			    snprintf(sel + len, sz - len, ".%s", mn) >=
			    (int)(sz - len))
				return -1;
			id = m->type;
		} else if (t && btf_is_array(t)) {
			id = btf_array(t)->type;
		} else {
			return -1;
		}
		p = strchr(p + 1, ':');
	}
	return 0;
}

/* The selector for relocation r into sel ("" when none is needed). */
static int relo_selector(const struct btf *btf, const struct bpf_core_relo *r,
			 char *sel, size_t sz)
{
	const struct btf_type *t = btf__type_by_id(btf, r->type_id);
	const char *access = btf__name_by_offset(btf, r->access_str_off);
	const char *name, *word;
	unsigned long idx;

	sel[0] = 0;
	if (r->kind == BPF_CORE_TYPE_ID_LOCAL)
		return 0;
	if (!t || !access)
		return -1;
	name = btf__name_by_offset(btf, t->name_off);
	word = kind_word(t);
	if (!name || !name[0] || !word || r->kind > BPF_CORE_TYPE_MATCHES)
		return -1;
	snprintf(sel, sz, "%s%.*s", word, (int)essential_len(name), name);
	switch (r->kind) {
	case BPF_CORE_TYPE_ID_TARGET: case BPF_CORE_TYPE_EXISTS:
	case BPF_CORE_TYPE_SIZE: case BPF_CORE_TYPE_MATCHES:
		return 0;
	case BPF_CORE_ENUMVAL_EXISTS: case BPF_CORE_ENUMVAL_VALUE:
		t = btf__type_by_id(btf, skip_mods(btf, r->type_id));
		idx = strtoul(access, NULL, 10);
		if (!t || !btf_is_any_enum(t) || idx >= btf_vlen(t))
			return -1;
		name = btf__name_by_offset(btf, btf_is_enum(t) ?
					   btf_enum(t)[idx].name_off :
					   btf_enum64(t)[idx].name_off);
		return snprintf(sel + strlen(sel), sz - strlen(sel), ".%s",
				name) < (int)(sz - strlen(sel)) ? 0 : -1;
	default:
		return add_members(btf, r->type_id, access, sel, sz);
	}
}

/*
 * A copy of the .BTF.ext section of the object on fd (libelf) into *copy,
 * NULL if it has none: 0, or -ENOMEM.
 */
static int read_btf_ext(int fd, void **copy, __u32 *size)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	int ret = 0;
	Elf *elf;

	*copy = NULL;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !elf_getshdrstrndx(elf, &shstrndx)) {
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;
			Elf_Data *d;

			if (!gelf_getshdr(scn, &sh))
				break;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (!name || strcmp(name, ".BTF.ext"))
				continue;
			d = elf_getdata(scn, NULL);
			if (d && d->d_buf && d->d_size < (1U << 30)) {
				*copy = malloc(d->d_size);
				if (*copy) {
					memcpy(*copy, d->d_buf, d->d_size);
					*size = d->d_size;
				} else {
					ret = -ENOMEM;
				}
			}
			break;
		}
	}
	elf_end(elf);
	return ret;
}

/* The relocation records of raw .BTF.ext data, checked, or NULL. */
static const __u8 *relo_records(const void *ext, __u32 size, __u32 *len,
				__u32 *rec_size)
{
	const struct btf_ext_hdr *h = ext;
	const __u8 *p;

	if (size < 8 || h->magic != BTF_EXT_MAGIC || h->hdr_len > size ||
	    h->hdr_len < 8)
		return NULL;
	*len = 0;
	if (h->hdr_len < sizeof(*h) || !h->core_relo_len)
		return ext;	/* no relocations */
	if (h->core_relo_off > size - h->hdr_len ||
	    h->core_relo_len > size - h->hdr_len - h->core_relo_off ||
	    h->core_relo_len < 4)
		return NULL;
	p = (const __u8 *)ext + h->hdr_len + h->core_relo_off;
	memcpy(rec_size, p, 4);
	if (*rec_size < sizeof(struct bpf_core_relo) || *rec_size % 4)
		return NULL;
	*len = h->core_relo_len - 4;
	return p + 4;
}

int core_relo_selectors(const char *path, struct sel_set *set, FILE *explain,
			FILE *diag, int *inexpressible, char *err,
			size_t err_sz)
{
	__u32 size = 0, len, rec_size = 0, off = 0, n = 0;
	struct btf *btf = NULL;
	const __u8 *recs;
	void *raw = NULL;
	int fd, ret;

	/* the file's own errno first: libbpf says ENOENT for "no .BTF" too */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, err_sz, "%s: %s", path, strerror(-ret));
		return ret;
	}
	btf = btf__parse_elf(path, NULL);
	if (!btf) {	/* NULL and errno set, as libbpf 1.0+ promises */
		ret = errno == ENOMEM ? -ENOMEM : -EINVAL;
		snprintf(err, err_sz, "%s: %s", path, ret == -EINVAL ?
			 "not an ELF object with a .BTF section" :
			 strerror(ENOMEM));
		goto out;
	}
	ret = read_btf_ext(fd, &raw, &size);
	if (ret) {
		snprintf(err, err_sz, "%s: %s", path, strerror(-ret));
		goto out;
	}
	ret = -EINVAL;
	recs = raw ? relo_records(raw, size, &len, &rec_size) : NULL;
	if (!recs) {
		snprintf(err, err_sz, "%s: %s", path, raw ?
			 "malformed .BTF.ext" : "no .BTF.ext: not a CO-RE object");
		goto out;
	}
	while (off < len) {
		__u32 sec[2], i;
		const char *sec_name;

		if (len - off < sizeof(sec))
			break;
		memcpy(sec, recs + off, sizeof(sec));
		off += sizeof(sec);
		if (sec[1] > (len - off) / rec_size)
			break;
		sec_name = btf__name_by_offset(btf, sec[0]);
		for (i = 0; i < sec[1]; i++, off += rec_size, n++) {
			struct bpf_core_relo r;
			char sel[SEL_MAX];
			const char *kind;

			memcpy(&r, recs + off, sizeof(r));
			kind = r.kind <= BPF_CORE_TYPE_MATCHES ?
			       kind_names[r.kind] : "unknown";
			if (relo_selector(btf, &r, sel, sizeof(sel))) {
				const struct btf_type *t;
				const char *tname;

				t = btf__type_by_id(btf, r.type_id);
				tname = t ? btf__name_by_offset(btf, t->name_off) : NULL;
				char line[512];

				snprintf(line, sizeof(line), "%s: relocation #%u (%s, insn %u) in %s: type [%u] '%s' access '%s' cannot be expressed as a selector",
					 path, n, kind, r.insn_off / 8,
					 sec_name ? sec_name : "?", r.type_id,
					 tname && tname[0] ? tname : "(anonymous)",
					 btf__name_by_offset(btf, r.access_str_off) ?: "?");
				if (diag)
					fprintf(diag, "btf-filter: %s\n", line);
				else if (!*inexpressible)
					snprintf(err, err_sz, "%s", line);
				(*inexpressible)++;
				continue;
			}
			if (explain)
				fprintf(explain, "%s\t%s\t#%u\tinsn %u\t%s\t[%u] %s\t-> %s\n",
					path, sec_name ? sec_name : "?", n,
					r.insn_off / 8, kind, r.type_id,
					btf__name_by_offset(btf, r.access_str_off) ?: "?",
					sel[0] ? sel : "(none: local)");
			if (sel[0] && sel_set_add(set, sel)) {
				ret = -ENOMEM;
				snprintf(err, err_sz, "%s", strerror(ENOMEM));
				goto out;
			}
		}
	}
	if (off != len) {
		snprintf(err, err_sz, "%s: malformed .BTF.ext relocations", path);
		goto out;
	}
	ret = 0;
out:
	free(raw);
	btf__free(btf);
	close(fd);
	return ret;
}
