#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Inside the VM: minimal BTF for the end-to-end CO-RE objects, bpftool gen
# min_core_btf (the host's binary and libraries, copied in) against
# btf-filter from-obj through the module and in userspace.  Medians of
# RUNS runs by bench_run; a table, not a test.
runs=${BENCH_OBJ_RUNS:-11}
objs="/tests/task.bpf.o /tests/file.bpf.o /tests/net.bpf.o"
src=/sys/kernel/btf/vmlinux
echo "minimal BTF for 3 CO-RE objects in the VM (kernel $(uname -r), TCG: compare ratios), $runs runs each"
printf '%-34s %9s %9s %10s %8s %8s %8s\n' method median_ms p90_ms \
	peakRSS_KiB bytes time/b RSS/b
set -- $(/tests/bench_run "$runs" /tests/bpftool gen min_core_btf $src /tmp/b.btf $objs)
b_ms=$1 b_rss=$3
printf '%-34s %9s %9s %10s %8s %8s %8s\n' "(b) bpftool gen min_core_btf" \
	"$1" "$2" "$3" "$(wc -c </tmp/b.btf)" 1 1
for be in kernel user; do
	/tests/btf-filter from-obj -b $be -o /tmp/f.btf $objs 2>/dev/null	# warm
	set -- $(/tests/bench_run "$runs" /tests/btf-filter from-obj -b $be -o /tmp/f.btf $objs 2>/dev/null)
	printf '%-34s %9s %9s %10s %8s %8s %8s\n' "(f) btf-filter from-obj, $be" \
		"$1" "$2" "$3" "$(wc -c </tmp/f.btf)" \
		"$(awk "BEGIN { printf \"%.3f\", $1 / $b_ms }")" \
		"$(awk "BEGIN { printf \"%.3f\", $3 / $b_rss }")"
done
