#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-debug.sh BUILD_DIR TEST...
#
# Run the in-VM tests under the debug kernel (debug-kernel.sh builds it
# once per machine): KASAN, lockdep, BUG and WARNING reports on the
# console fail the run (loglevel 5, so that warnings show), so does a
# kmemleak report naming the module after init's scan; the ioctl fuzzer
# makes BTF_FILTER_FUZZ_CALLS calls (100,000).  The kernel runs the module
# many times slower than a distribution kernel: the kmod suite checks 20
# random sets against the host (BTF_FILTER_VM_SETS; 300 on the other
# kernels) and makes a tenth of its rounds (BTF_FILTER_VM_LOAD=10).
set -euo pipefail
build=${1:?usage: vm-debug.sh BUILD_DIR TEST...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$("$top/selftests/vm/debug-kernel.sh")
VM_KERNEL=$tree/arch/x86/boot/bzImage VM_HEADERS=$tree \
VM_APPEND="loglevel=5 ${VM_APPEND:-}" \
BTF_FILTER_FUZZ_CALLS=${BTF_FILTER_FUZZ_CALLS:-100000} \
BTF_FILTER_VM_SETS=${BTF_FILTER_VM_SETS:-20} \
BTF_FILTER_VM_LOAD=${BTF_FILTER_VM_LOAD:-10} \
	exec "$top/selftests/vm/vm-check.sh" "$build" debug "$@"
