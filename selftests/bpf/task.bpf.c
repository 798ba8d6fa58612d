// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE over task_struct, mm_struct and file/path/dentry: on the test's
 * first system call, report its pid, parent's pid, comm and executable's
 * name, whether an old field (through a ___flavor type) and the new one
 * exist, an enum value and whether another exists, and a type's size and
 * existence.  (Type matches needs clang 15; bookworm has 14.)
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "e2e.h"

/* Before 5.14 task_struct had "state"; now it has "__state". */
struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

const volatile __u32 target_pid;
struct task_report report;

SEC("raw_tp/sys_enter")
int report_task(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	const unsigned char *exe;

	if (report.seen || (bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	report.pid = BPF_CORE_READ(t, tgid);
	report.ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&report.comm, t, comm);
	exe = BPF_CORE_READ(t, mm, exe_file, f_path.dentry, d_name.name);
	bpf_probe_read_kernel_str(report.exe, sizeof(report.exe), exe);
	report.has_old_state =
		bpf_core_field_exists(((struct task_struct___old *)t)->state);
	report.has_state = bpf_core_field_exists(t->__state);
	report.tgid_value = bpf_core_enum_value(enum pid_type, PIDTYPE_TGID);
	report.path_size = bpf_core_type_size(struct path);
	report.path_exists = bpf_core_type_exists(struct path);
	report.pid_exists = bpf_core_enum_value_exists(enum pid_type,
						       PIDTYPE_PID);
	report.seen = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
