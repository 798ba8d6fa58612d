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
	int err = misc_register(&bfk_misc);

	if (!err)
		bfk_fault_init();
	return err;
}

static void __exit bfk_exit(void)
{
	misc_deregister(&bfk_misc);
	bfk_fault_exit();
	bfk_index_drop();
	bfk_source_release();
}

module_init(bfk_init);
module_exit(bfk_exit);
MODULE_DESCRIPTION("Filter the kernel's BTF down to the types asked for");
MODULE_LICENSE("GPL");
MODULE_VERSION(BTF_FILTER_VERSION_STR);
