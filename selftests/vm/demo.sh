#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the CLI asks the module for task_struct, then
# the in-VM benchmark tables.
echo "# == btf-filter query -b kernel -m shallow --stats task_struct (kernel $(uname -r))"
/tests/btf-filter query -b kernel -m shallow --stats -o /tmp/task.btf task_struct 2>&1 |
	sed 's/^/# /'
echo "# == /sys/class/misc/btf_filter/stats"
sed 's/^/#   /' /sys/class/misc/btf_filter/stats
/tests/bench.bench | sed 's/^/# /'
