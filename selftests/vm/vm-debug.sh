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
# The guest CPU has no LA57: one fresh-machine run of this kernel with
# 5-level paging had KASAN report a wild access at boot (an interrupt's
# spinlock in the ff11... direct map, during identify_cpu), before the
# module was loaded; with 4-level paging that address range is the usual one.
set -euo pipefail
build=${1:?usage: vm-debug.sh BUILD_DIR TEST...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
tree=$("$top/selftests/vm/debug-kernel.sh")
# The kernel's own dummy.ko, with its BTF, as a module source.
mods=$build/vm/debug-modules
rm -rf "$mods" && mkdir -p "$mods/ko"
cp "$tree/drivers/net/dummy.ko" "$mods/ko/"
echo dummy.ko >"$mods/dummy.load"
VM_MODULES=$mods \
VM_KERNEL=$tree/arch/x86/boot/bzImage VM_HEADERS=$tree \
VM_APPEND="loglevel=5 ${VM_APPEND:-}" \
VM_CPU=${VM_CPU:-max,-erms,-fsrm,-la57} \
BTF_FILTER_FUZZ_CALLS=${BTF_FILTER_FUZZ_CALLS:-100000} \
BTF_FILTER_VM_SETS=${BTF_FILTER_VM_SETS:-20} \
BTF_FILTER_VM_LOAD=${BTF_FILTER_VM_LOAD:-10} \
	exec "$top/selftests/vm/vm-check.sh" "$build" debug "$@"
