#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the CLI asks the module for task_struct, then
# the in-VM benchmark tables, then from-obj for the CO-RE test programs.
echo "# == btf-filter query -b kernel -m shallow --stats task_struct (kernel $(uname -r))"
/tests/btf-filter query -b kernel -m shallow --stats -o /tmp/task.btf task_struct 2>&1 |
	sed 's/^/# /'
echo "# == /sys/class/misc/btf_filter/stats/"
grep . /sys/class/misc/btf_filter/stats/* | sed 's|^/sys/class/misc/btf_filter/stats/|#   |'

/tests/bench.bench | sed 's/^/# /'
echo "# == btf-filter from-obj -b kernel --explain, for three CO-RE programs"
/tests/btf-filter from-obj -b kernel --explain -o /tmp/min.btf \
	/tests/task.bpf.o /tests/file.bpf.o /tests/net.bpf.o 2>&1 |
	sed 's|/tests/||; s/^/# /'
/tests/bench-obj.sh | sed 's/^/# /'
