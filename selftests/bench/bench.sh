#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh BUILD_DIR [RUNS]: the core benchmark on the host's vmlinux BTF.
# For each root set of DESIGN.md (task, common8, execsnoop): (a) libbpf
# loading all of vmlinux BTF and looking the roots up, with bookworm's
# libbpf 1.1 and (where built, in sid's chroot) with libbpf 1.7, which maps
# the BTF on 6.16+ kernels; (b) btf-filter query in shallow and full mode.
# Whole processes, medians of RUNS runs, taken in one go so the ratios
# compare like with like: RSS/a and time/a against libbpf 1.1, time/a17
# against libbpf 1.7.  A table, not a test.
set -eu
build=${1:?usage: bench.sh BUILD_DIR [RUNS]}
runs=${2:-21}
run=$build/selftests/bench_run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A sets=(
	[task]="task_struct"
	[common8]="task_struct file inode dentry sock sk_buff mm_struct cred"
	[execsnoop]="task_struct trace_event_raw_sys_enter trace_event_raw_sys_exit"
)
src=/sys/kernel/btf/vmlinux
echo "source: $src ($(stat -c %s $src) bytes), kernel $(uname -r), $runs runs each"
lb17=$build/selftests/bench_libbpf-1.7
row='%-10s %-22s %9s %9s %10s %8s %10s %8s %8s %8s\n'
printf "$row" "roots" "method" "median_ms" "p90_ms" "peakRSS_KiB" "types" \
	"bytes" "RSS/a" "time/a" "time/a17"
for set in task common8 execsnoop; do
	roots=${sets[$set]}
	sels=$(for r in $roots; do printf 'struct %s\n' "$r"; done)
	read -r a_ms a_p90 a_rss < <("$run" "$runs" "$build/selftests/bench_libbpf" $roots)
	a17_ms=
	if [ -x "$lb17" ]; then
		read -r a17_ms a17_p90 a17_rss < <("$run" "$runs" "$lb17" $roots)
	fi
	printf "$row" "$set" "(a) libbpf 1.1 vmlinux" "$a_ms" "$a_p90" \
		"$a_rss" "-" "-" "1" "1" "-"
	[ -z "$a17_ms" ] || printf "$row" "$set" "(a) libbpf 1.7 vmlinux" \
		"$a17_ms" "$a17_p90" "$a17_rss" "-" "-" \
		"$(printf %.3f "$(echo "$a17_rss / $a_rss" | bc -l)")" \
		"$(printf %.3f "$(echo "$a17_ms / $a_ms" | bc -l)")" "1"
	for mode in shallow full; do
		mapfile -t arr <<<"$sels"
		read -r ms p90 rss < <("$run" "$runs" "$build/btf-filter" query \
			-m "$mode" -o /dev/null "${arr[@]}")
		"$build/btf-filter" query -m "$mode" -S -o "$tmp/r.btf" "${arr[@]}" 2>"$tmp/st"
		types=$(sed -n 's/^result types *//p' "$tmp/st")
		bytes=$(sed -n 's/^result bytes *//p' "$tmp/st")
		printf "$row" "$set" "(b) btf-filter $mode" "$ms" "$p90" "$rss" \
			"$types" "$bytes" \
			"$(printf %.3f "$(echo "$rss / $a_rss" | bc -l)")" \
			"$(printf %.3f "$(echo "$ms / $a_ms" | bc -l)")" \
			"$([ -z "$a17_ms" ] && echo - ||
			   printf %.3f "$(echo "$ms / $a17_ms" | bc -l)")"
	done
done
[ -x "$lb17" ] || echo "(no $lb17: make $lb17 builds it in sid's chroot)"

# The same in process: a fresh process each run, timing only what a tool
# would call in it: libbpf's btf__load_vmlinux_btf() and the root lookups,
# or btf_filter__query() (the CLI's --stats "time", source opened and
# mapped included).  The methods take turns, run by run.
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo
echo "in process: load or query only, medians of $runs fresh processes each"
irow='%-10s %-22s %9s %8s\n'
printf "$irow" "roots" "method" "median_ms" "time/a17"
for set in task common8 execsnoop; do
	roots=${sets[$set]}
	mapfile -t arr < <(for r in $roots; do printf 'struct %s\n' "$r"; done)
	: >"$tmp/a" >"$tmp/a17" >"$tmp/shallow" >"$tmp/full"
	for ((i = 0; i < runs; i++)); do
		BENCH_PRINT_MS=1 "$build/selftests/bench_libbpf" $roots \
			2>&1 >/dev/null | awk '/^load_ms/ {print $2}' >>"$tmp/a"
		[ ! -x "$lb17" ] || BENCH_PRINT_MS=1 "$lb17" $roots 2>&1 \
			>/dev/null | awk '/^load_ms/ {print $2}' >>"$tmp/a17"
		for mode in shallow full; do
			"$build/btf-filter" query -m "$mode" -S -o /dev/null \
				"${arr[@]}" 2>&1 | awk '/^time/ {print $2}' \
				>>"$tmp/$mode"
		done
	done
	a17=$([ -s "$tmp/a17" ] && median <"$tmp/a17")
	for m in a a17 shallow full; do
		[ -s "$tmp/$m" ] || continue
		case $m in
		a) name="(a) libbpf 1.1 load" ;;
		a17) name="(a) libbpf 1.7 load" ;;
		*) name="(b) btf-filter $m" ;;
		esac
		ms=$(median <"$tmp/$m")
		printf "$irow" "$set" "$name" "$ms" \
			"$([ -z "$a17" ] && echo - ||
			   printf %.3f "$(echo "$ms / $a17" | bc -l)")"
	done
done

# CO-RE minimal BTF for the end-to-end objects: bpftool gen min_core_btf
# against btf-filter from-obj (userspace backend), same objects, same BTF.
objs=("$build"/selftests/bpf/{task,file,net}.bpf.o)
echo
echo "minimal BTF for ${#objs[@]} CO-RE objects (selftests/bpf), $runs runs each"
printf '%-34s %9s %9s %10s %8s %8s %8s\n' "method" "median_ms" "p90_ms" \
	"peakRSS_KiB" "bytes" "time/b" "RSS/b"
read -r b_ms b_p90 b_rss < <("$run" "$runs" bpftool gen min_core_btf "$src" \
	"$tmp/b.btf" "${objs[@]}")
printf '%-34s %9s %9s %10s %8s %8s %8s\n' "(b) bpftool gen min_core_btf" \
	"$b_ms" "$b_p90" "$b_rss" "$(stat -c %s "$tmp/b.btf")" 1 1
read -r ms p90 rss < <("$run" "$runs" "$build/btf-filter" from-obj -b user \
	-o "$tmp/f.btf" "${objs[@]}" 2>/dev/null)	# its note on task_struct.state
printf '%-34s %9s %9s %10s %8s %8.3f %8.3f\n' "(f) btf-filter from-obj, user" \
	"$ms" "$p90" "$rss" "$(stat -c %s "$tmp/f.btf")" \
	"$(echo "$ms / $b_ms" | bc -l)" "$(echo "$rss / $b_rss" | bc -l)"
echo "(the kernel backend's figures come from make bench-vm, in the VM)"
