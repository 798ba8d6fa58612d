/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * btf_filter: the kernel's BTF, filtered down to the types asked for.
 *
 * /dev/btf_filter answers queries over a BTF source of the running kernel
 * ("vmlinux" unless named): the caller names root types, and gets back a
 * small, standard BTF blob holding the closure of those roots (see
 * DESIGN.md, "Selectors and closure modes").  The userspace library runs
 * the same filter on a file when the device is absent.
 *
 * General ioctl format (after iommufd): each command takes one struct whose
 * first field is __u32 size, the number of bytes the caller knows of it.
 * The kernel reads min(size, its own) bytes; a caller's struct longer than
 * the kernel's must be zero past the kernel's end.  User pointers are
 * __aligned_u64.  Reserved fields and unknown flags must be zero.
 *
 * The source is the running kernel's own vmlinux BTF, or the BTF of a
 * module loaded now (split BTF on top of vmlinux's: a result holds the
 * module's types and the vmlinux types they reach, the ID map gives IDs
 * in the module's numbering, which continues vmlinux's).  The module opens
 * it in its own context: never looked up in the caller's root, mount
 * namespace or credentials.
 *
 * Errors (negative return, errno set); every errno a command returns is
 * one of these:
 *   EINVAL    size below the first version, unknown flags or mode, non-zero
 *             reserved fields, malformed selector list (empty, not
 *             NUL-terminated, empty selector, bad name or member path, bad
 *             #ID), a source name that is not a module's name (empty, or
 *             with a character other than [A-Za-z0-9_-]: no "/", no "..")
 *   E2BIG     struct longer than known with a non-zero tail, or longer
 *             than a page; source name of
 *             64 bytes or more; selector bytes (max_sel_bytes) or result
 *             (max_result) over the module's caps; selectors matching more
 *             than 262144 types
 *   EFAULT    a pointer that cannot be read or written.  The contents of
 *             buf_ptr and id_map_ptr are then unspecified: a copy may have
 *             been made before the fault.
 *   ENOENT    a selector matched no type (and ALLOW_MISSING is clear):
 *             nr_missing and first_missing say which
 *   EMSGSIZE  the result buffer is too small: buf_len holds the size
 *             needed, id_map_len the entries needed
 *   ENOMEM    out of memory
 *   EINTR     a fatal signal arrived during the query
 *   ENODEV    the kernel's BTF cannot be opened (a kernel built without
 *             CONFIG_DEBUG_INFO_BTF, or no sysfs at /sys in init's mount
 *             namespace), or no module of the source's name with BTF is
 *             loaded, or it was unloaded during the query (a query
 *             racing an unload gets its right answer or ENODEV)
 *   EOPNOTSUPP  the closure reaches a type of a kind this module does not
 *             know (a newer kernel's kind, which its BTF's layout section
 *             lets the module step over but not follow)
 *   EPERM     require_cap is set and the caller has neither CAP_BPF nor
 *             CAP_SYS_ADMIN
 *   ENOTTY    an unknown command
 *   EIO, ELOOP  reading the kernel's BTF failed, or it failed a check (a
 *             record that changed between reads, a chain of typedefs and
 *             modifiers that loops): never for a sound kernel
 *
 * Outputs are written only where each field says "out"; QUERY writes them
 * on success, and buf_len/id_map_len on EMSGSIZE, nr_missing/first_missing
 * on ENOENT.
 */
#ifndef _UAPI_LINUX_BTF_FILTER_H
#define _UAPI_LINUX_BTF_FILTER_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define BTF_FILTER_DEVICE	"/dev/btf_filter"

/*
 * A source name: "vmlinux", or a module's name, made of these characters
 * only, shorter than BTF_FILTER_SOURCE_MAX bytes with its NUL.
 */
#define BTF_FILTER_SOURCE_MAX	64
#define BTF_FILTER_SOURCE_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

/* Closure modes. */
enum btf_filter_mode {
	BTF_FILTER_MODE_FULL = 0,	/* every reference, transitively */
	BTF_FILTER_MODE_SHALLOW = 1,	/* pointed-to structs become FWDs */
	BTF_FILTER_MODE_FIELDS = 2,	/* only the members on named paths */
};

/* Query flags. */
#define BTF_FILTER_F_ALLOW_MISSING	(1U << 0)
#define BTF_FILTER_F_ID_MAP		(1U << 1)	/* fill id_map */

/**
 * struct btf_filter_query - BTF_FILTER_IOC_QUERY
 * @size:	sizeof(struct btf_filter_query) as the caller knows it
 * @flags:	BTF_FILTER_F_*
 * @mode:	enum btf_filter_mode
 * @sel_len:	bytes at @sel_ptr
 * @sel_ptr:	selectors, each NUL-terminated, back to back: "#ID", or
 *		"KIND NAME" when the first word is a kind (struct union
 *		enum typedef func var datasec fwd int float), else "NAME"
 * @source_ptr:	NUL-terminated source name: 0 or "vmlinux", or a loaded
 *		module's name (its BTF is streamed: no index is kept)
 * @buf_ptr:	result buffer
 * @buf_len:	in: bytes at @buf_ptr; out: bytes of the result (or needed)
 * @id_map_len:	in: __u32 entries at @id_map_ptr; out: entries (or needed)
 * @id_map_ptr:	out: entry i is the source type ID of result type i + 1
 * @log_ptr:	out: one NUL-terminated line on error, may be 0
 * @log_len:	bytes at @log_ptr
 * @nr_types:	out: types in the result, void not counted
 * @nr_missing:	out: selectors that matched nothing
 * @first_missing: out: index of the first of them
 * @reserved:	must be zero
 */
struct btf_filter_query {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 sel_len;
	__aligned_u64 sel_ptr;
	__aligned_u64 source_ptr;
	__aligned_u64 buf_ptr;
	__u32 buf_len;
	__u32 id_map_len;
	__aligned_u64 id_map_ptr;
	__aligned_u64 log_ptr;
	__u32 log_len;
	__u32 nr_types;
	__u32 nr_missing;
	__u32 first_missing;
	__u32 reserved[2];
};

/**
 * struct btf_filter_info - BTF_FILTER_IOC_INFO
 * @size:	sizeof(struct btf_filter_info) as the caller knows it
 * @flags:	must be zero
 * @source_ptr:	NUL-terminated source name, 0 for "vmlinux"
 * @btf_size:	out: bytes of the source BTF (a module's own)
 * @nr_types:	out: types in the source, void not counted (a module's own)
 * @version:	out: module version, (major << 16) | (minor << 8) | patch
 * @reserved:	must be zero
 */
struct btf_filter_info {
	__u32 size;
	__u32 flags;
	__aligned_u64 source_ptr;
	__aligned_u64 btf_size;
	__u32 nr_types;
	__u32 version;
	__u32 reserved[4];
};

#define BTF_FILTER_IOC_MAGIC	0xBF
#define BTF_FILTER_IOC_QUERY	_IO(BTF_FILTER_IOC_MAGIC, 0x00)
#define BTF_FILTER_IOC_INFO	_IO(BTF_FILTER_IOC_MAGIC, 0x01)

#endif /* _UAPI_LINUX_BTF_FILTER_H */
