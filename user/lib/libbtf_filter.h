/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libbtf_filter: the types a tool needs out of a kernel's BTF, without
 * loading all of it.
 *
 * Naming, errors and options follow libbpf: object__verb() functions on
 * opaque objects; a NULL or negative return sets errno; options structs
 * begin with their size and reject bytes they do not know that are not
 * zero, so they can grow without breaking callers.
 */
#ifndef LIBBTF_FILTER_H
#define LIBBTF_FILTER_H

#include <stddef.h>
#include <string.h>
#include <stdbool.h>
#include <linux/types.h>
#include <linux/btf_filter.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BTF_FILTER_SYSFS_BTF	"/sys/kernel/btf"
#define BTF_FILTER_VMLINUX	BTF_FILTER_SYSFS_BTF "/vmlinux"

enum btf_filter_backend {
	BTF_FILTER_BACKEND_AUTO = 0,	/* the device for vmlinux if present */
	BTF_FILTER_BACKEND_KERNEL = 1,	/* /dev/btf_filter (module btf_filter) */
	BTF_FILTER_BACKEND_USER = 2,	/* this process reads the source */
};

struct btf_filter_opts {
	size_t sz;		/* sizeof(struct btf_filter_opts) */
	/* "vmlinux" or NULL for BTF_FILTER_VMLINUX, a loaded module's name
	 * (see base), else a path to raw BTF or to an ELF file with a .BTF
	 * section.
	 */
	const char *source;
	__u32 mode;		/* enum btf_filter_mode */
	__u32 flags;		/* BTF_FILTER_F_* */
	__u32 max_blob;		/* fail with E2BIG past this; 0: no limit */
	__u32 backend;		/* enum btf_filter_backend */
	/* On failure, one line saying what is wrong; may be NULL. */
	char *log_buf;
	size_t log_size;
	/*
	 * For a source that is split BTF (a module's): the path of the base
	 * it continues (raw or ELF), or NULL.  A source given as a module's
	 * name (no '/', and no such file here: "nf_conntrack") is
	 * /sys/kernel/btf/NAME on /sys/kernel/btf/vmlinux unless base says
	 * otherwise.
	 */
	const char *base;
	size_t :0;
};
#define btf_filter_opts__last_field base

/* Declare opts with zeroed padding, as libbpf's LIBBPF_OPTS() does. */
#define BTF_FILTER_OPTS(name, ...)				\
	struct btf_filter_opts name = ({			\
		memset(&name, 0, sizeof(name));			\
		(struct btf_filter_opts){			\
			.sz = sizeof(struct btf_filter_opts),	\
			__VA_ARGS__				\
		};						\
	})

struct btf_filter_result;

/* What the shared library exports (with user/lib/libbtf_filter.map). */
#ifndef LIBBTF_FILTER_API
#define LIBBTF_FILTER_API	__attribute__((visibility("default")))
#endif

/*
 * btf_filter__backend_str() - "auto", "kernel" or "user": the name of a
 * backend, as tools take it on their command line; NULL for another value.
 */
LIBBTF_FILTER_API const char *btf_filter__backend_str(__u32 backend);

/*
 * btf_filter__backend_from_str() - the backend a name gives (the names of
 * btf_filter__backend_str()), or -EINVAL with errno EINVAL for another
 * name or NULL.
 */
LIBBTF_FILTER_API int btf_filter__backend_from_str(const char *name);

/*
 * btf_filter__query() - filter the source's BTF down to the closure of the
 * types the selectors name ("task_struct", "struct file", "#1234").
 * Returns a result to free with btf_filter_result__free(), or NULL with
 * errno set: EINVAL (bad selector or option), ENOENT (a selector matched
 * nothing and BTF_FILTER_F_ALLOW_MISSING is clear), E2BIG, ENOMEM, or the
 * errno of opening or reading the source.
 */
LIBBTF_FILTER_API struct btf_filter_result *
btf_filter__query(const char *const *sels, size_t nr_sels,
		  const struct btf_filter_opts *opts);

/* The same over BTF in memory; opts->source is ignored. */
LIBBTF_FILTER_API struct btf_filter_result *
btf_filter__query_mem(const void *btf, size_t btf_size,
		      const char *const *sels, size_t nr_sels,
		      const struct btf_filter_opts *opts);

/* The result blob: standard BTF, valid until the result is freed. */
LIBBTF_FILTER_API const void *btf_filter_result__data(const struct btf_filter_result *res,
				    __u32 *size);

/* Result ID i + 1 came from source ID map[i]; needs BTF_FILTER_F_ID_MAP. */
LIBBTF_FILTER_API const __u32 *btf_filter_result__id_map(const struct btf_filter_result *res,
				       __u32 *nr);

struct btf_filter_stats {
	__u32 src_types;	/* source types, void not counted */
	__u32 res_types;
	__u64 src_bytes;
	__u32 res_bytes;
	__u32 nr_missing;	/* selectors that matched nothing */
	__u32 first_missing;
	__u64 peak_heap;	/* bytes the filter held at most (user backend) */
	__u64 reads;		/* read calls on the source (user backend) */
	__u32 backend;		/* the one that answered */
};

LIBBTF_FILTER_API void btf_filter_result__stats(const struct btf_filter_result *res,
			      struct btf_filter_stats *stats);

LIBBTF_FILTER_API void btf_filter_result__free(struct btf_filter_result *res);

/*
 * btf_filter__custom_path() - a BTF file for libbpf's
 * bpf_object_open_opts.btf_custom_path: with objects (paths of compiled
 * BPF objects), the types their CO-RE relocations need, as
 * `btf-filter from-obj` finds them (fields mode, missing types allowed,
 * sels adding fields-mode selectors); with no objects, the closure of sels
 * in opts->mode.  From opts->source, by opts->backend.
 *
 * Returns "/proc/self/fd/N", a sealed memfd of this process holding the
 * blob (nothing is written to any file system; never executable on 6.3+),
 * to pass to libbpf and then release with btf_filter__custom_path_free()
 * once the objects are loaded; or NULL with errno set as
 * btf_filter__query() sets it, or: EINVAL (no objects and no selectors,
 * objs or sels NULL with a count, an object that is not a CO-RE BPF
 * object, a relocation no selector can express), the errno of opening an
 * object (ENOENT: it is missing), ENODATA (the objects have no relocation
 * that needs the kernel's BTF, and sels adds nothing), or the errno of
 * making the memfd.  opts->log_buf is emptied on entry; on failure a line
 * there says which.
 */
LIBBTF_FILTER_API char *btf_filter__custom_path(const char *const *objs,
						 size_t nr_objs,
						 const char *const *sels,
						 size_t nr_sels,
						 const struct btf_filter_opts *opts);

/* Close the memfd behind a path btf_filter__custom_path() returned. */
LIBBTF_FILTER_API void btf_filter__custom_path_free(char *path);

#ifdef __cplusplus
}
#endif

#endif /* LIBBTF_FILTER_H */
