/* SPDX-License-Identifier: GPL-2.0 */
/* What the end-to-end BPF programs report, shared with their loader. */
#ifndef BTF_FILTER_E2E_H
#define BTF_FILTER_E2E_H

#define E2E_NAME_LEN	64

struct task_report {
	__u32 seen;
	__u32 pid;		/* task_struct.tgid */
	__u32 ppid;		/* task_struct.real_parent->tgid */
	__u32 has_old_state;	/* task_struct___old.state exists */
	__u32 has_state;	/* task_struct.__state exists */
	__u32 tgid_value;	/* enum pid_type PIDTYPE_TGID */
	__u32 path_size;	/* sizeof(struct path) in the kernel */
	__u32 path_exists;	/* struct path exists */
	__u32 pid_exists;	/* enum pid_type has PIDTYPE_PID */
	char comm[16];
	char exe[E2E_NAME_LEN];	/* mm->exe_file->f_path.dentry->d_name */
};

struct file_report {
	__u32 seen;
	__u32 pad;
	__u64 ino;		/* file->f_inode->i_ino */
	char name[E2E_NAME_LEN];	/* file->f_path.dentry->d_name */
};

struct net_report {
	__u32 seen;
	__u32 len;		/* sk_buff.len at __dev_queue_xmit */
	__u32 reuse;		/* sock_common.skc_reuse, a bitfield */
	__u32 protocol;		/* sock.sk_protocol */
	__u32 dport;		/* sock_common.skc_dport, network order */
};

#endif /* BTF_FILTER_E2E_H */
