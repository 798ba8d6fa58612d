// SPDX-License-Identifier: GPL-2.0
/*
 * btf_filter: the kernel's own BTF, filtered down to the types a caller
 * asks for, through /dev/btf_filter.  The device mirrors the world-readable
 * /sys/kernel/btf/vmlinux, so it is mode 0444 unless require_cap is set.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include <uapi/linux/btf_filter.h>
#include "btf_filter.h"

bool bfk_cache_index = true;
module_param_named(cache_index, bfk_cache_index, bool, 0444);
MODULE_PARM_DESC(cache_index,
		 "Keep the vmlinux index after the first query (default: 1)");

bool bfk_cache_blob;
module_param_named(cache_blob, bfk_cache_blob, bool, 0644);
MODULE_PARM_DESC(cache_blob,
		 "Also keep a private copy of the BTF with the index: queries copy from memory instead of kernel_read() (default: 0)");

unsigned int bfk_max_source = 64 * 1024 * 1024;
module_param_named(max_source, bfk_max_source, uint, 0644);
MODULE_PARM_DESC(max_source, "Largest source copied by cache_blob, in bytes");

unsigned int bfk_max_sel_bytes = 64 * 1024;
module_param_named(max_sel_bytes, bfk_max_sel_bytes, uint, 0644);
MODULE_PARM_DESC(max_sel_bytes, "Largest selector list in bytes (E2BIG)");

unsigned int bfk_max_result = 16 * 1024 * 1024;
module_param_named(max_result, bfk_max_result, uint, 0644);
MODULE_PARM_DESC(max_result, "Largest result blob in bytes (E2BIG)");

unsigned int bfk_require_cap;
module_param_named(require_cap, bfk_require_cap, uint, 0644);
MODULE_PARM_DESC(require_cap,
		 "1: queries need CAP_BPF or CAP_SYS_ADMIN (default: 0)");

struct bfk_stats bfk_stats;

static const struct file_operations bfk_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = bfk_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice bfk_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "btf_filter",
	.fops = &bfk_fops,
	.mode = 0444,
	.groups = bfk_groups,
};

static int __init bfk_init(void)
{
	return misc_register(&bfk_misc);
}

static void __exit bfk_exit(void)
{
	misc_deregister(&bfk_misc);
	bfk_index_drop();
}

module_init(bfk_init);
module_exit(bfk_exit);
MODULE_DESCRIPTION("Filter the kernel's BTF down to the types asked for");
MODULE_LICENSE("GPL");
MODULE_VERSION(BTF_FILTER_VERSION_STR);
