#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: one page.  What a loader would parse for one
# CO-RE program, what the module gives instead (and the C of it), both
# paths side by side for libbpf and cilium/ebpf (selftests/experiment),
# and what the program read.
obj=/tests/task.bpf.o
fail=0
say() { printf '%s\n' "$@"; }
# stat VALUE-NAME: a line of the CLI's --stats output, kept in /tmp/stats
stat() { sed -n "s/^$1  *//p" /tmp/stats | cut -d' ' -f1; }

say "== btf-filter demo: Debian's $(uname -r) kernel in qemu, module btf_filter loaded" ""
say "The program: task.bpf.o (selftests/bpf/task.bpf.c), a CO-RE program that" \
    "reports its process's pid, parent, name and executable on a system call."
# the first query after loading makes the module's index: time the second
/tests/btf-filter from-obj -b kernel -o /tmp/task.btf $obj 2>/dev/null
if ! /tests/btf-filter from-obj -b kernel --stats -o /tmp/task.btf $obj \
	>/dev/null 2>/tmp/stats; then
	sed 's/^/  /' /tmp/stats
	exit 1
fi
say "" "Without btf-filter, its loader reads all of the kernel's BTF:" \
    "  /sys/kernel/btf/vmlinux: $(stat 'source bytes') bytes, $(stat 'source types') types"
say "With it, /dev/btf_filter returns what the program's relocations need" \
    "(btf-filter from-obj -b kernel task.bpf.o, $(stat time) ms):" \
    "  $(stat 'result bytes') bytes, $(stat 'result types') types"
say "" "Two of them, as C (bpftool btf dump file ... format c); structs keep" \
    "only the members the program reads, at their kernel offsets:" ""
/tests/bpftool btf dump file /tmp/task.btf format c |
	awk '/^struct (task_struct|mm_struct) \{/ { p = 1 }
	# bpftool pads the gaps with anonymous bitfields: one line a gap
	p && /^\t+[a-z ]+: [0-9]+;$/ {
		if (!bits) { ind = $0; sub(/[^\t].*/, "", ind) }
		split($0, f, ": "); bits += f[2] + 0; next
	}
	p && bits { printf "  %s/* %d bytes the program does not read */\n", ind, bits / 8; bits = 0 }
	p { print "  " $0 }
	p && /^};/ { p = 0; print "" }'

say "Loading and attaching it, each loader by its own path and fed by the" \
    "module (medians of 3 runs; memory is peak RSS over the same program" \
    "exiting at once):" ""
/tests/experiment.sh /tests kernel 3 >/tmp/exp 2>&1 || fail=1
printf '  %-18s %-26s %10s %10s %8s\n' loader path "ms" memory right
awk '$1 == "exp-row" && $4 != "lskel" && $5 != "shallow" {
	path = $5 == "own" ? "own: all of vmlinux" : "btf-filter (" $9 " bytes)"
	printf "  %-18s %-26s %10s %6.1f MiB %8s\n", $4, path, $6, $7 / 1024, $10
}
$1 == "exp-row" && $4 == "lskel" {
	printf "  %-18s %-26s %10s %6.1f MiB %8s\n", "light skeleton", "the kernel applies CO-RE", $6, $7 / 1024, $10
}' /tmp/exp
say "" "What the program read, loaded by cilium/ebpf with the module's types:"
/tests/cilium-ebpf -backend kernel $obj >/tmp/read 2>&1 || fail=1
self=$(sed -n 's/^self //p' /tmp/read)
sed -n 's/^\(pid\|ppid\|comm\|exe\) /  \1 /p' /tmp/read
[ "$(sed -n 's/^pid //p' /tmp/read)" = "$self" ] &&
	say "  (pid is the loader's own, $self: right)" ||
	{ say "  wrong: the loader's pid is $self"; fail=1; }
if [ $fail -ne 0 ]; then
	say "" "Something went wrong:"
	sed 's/^/  /' /tmp/read /tmp/exp | grep -v '^  exp-row'
	dmesg | tail -20 | sed 's/^/  dmesg: /'
fi
exit $fail
