// SPDX-License-Identifier: GPL-2.0
/*
 * CO-RE over sk_buff and sock, with a bitfield: the UDP datagram the test
 * sends over loopback, at the net_dev_queue tracepoint (__dev_queue_xmit).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "e2e.h"

const volatile __u32 target_pid;
struct net_report report;

SEC("raw_tp/net_dev_queue")
int report_skb(struct bpf_raw_tracepoint_args *ctx)
{
	struct sk_buff *skb = (void *)ctx->args[0];
	struct sock *sk;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid || report.seen)
		return 0;
	sk = BPF_CORE_READ(skb, sk);
	if (!sk)
		return 0;
	report.len = BPF_CORE_READ(skb, len);
	report.reuse = BPF_CORE_READ_BITFIELD_PROBED(sk, __sk_common.skc_reuse);
	report.protocol = BPF_CORE_READ(sk, sk_protocol);
	report.dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	report.seen = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
