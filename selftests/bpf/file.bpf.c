// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE over files_struct, file, path, dentry and inode: the file the test
 * opens, found from the descriptor openat() returns.  A raw tracepoint: it
 * needs neither kprobes nor tracefs, which not every kernel we run has.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "e2e.h"

#define NR_OPENAT	257	/* x86_64 */

const volatile __u32 target_pid;
struct file_report report;

SEC("raw_tp/sys_exit")
int report_file(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	struct task_struct *t = (void *)bpf_get_current_task();
	long fd = ctx->args[1];
	const unsigned char *name;
	struct file **fds, *f;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid || fd < 0 ||
	    BPF_CORE_READ(regs, orig_ax) != NR_OPENAT)
		return 0;
	fds = BPF_CORE_READ(t, files, fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), fds + fd) || !f)
		return 0;
	name = BPF_CORE_READ(f, f_path.dentry, d_name.name);
	bpf_probe_read_kernel_str(report.name, sizeof(report.name), name);
	report.ino = BPF_CORE_READ(f, f_inode, i_ino);
	report.seen++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
