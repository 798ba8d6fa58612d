#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# matrix-build.sh BUILD_DIR
#
# Build the module against every kernel of the matrix (selftests/vm/kernels.sh)
# with W=1 and sparse, as the VM runs do, and say so in TAP: one test per
# kernel, which fails on any warning.  Kernels whose compiler the host lacks
# are built for in a chroot of their suite; the first run makes the chroots
# (cached outside the clone), so make check runs this early, beside the
# debug kernel's build, and the VM runs find them ready.
set -u
build=${1:?usage: matrix-build.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/vm/kernels.sh"
set -- $BF_KERNELS
echo "1..$#"
n=0
for k in "$@"; do
	n=$((n + 1))
	start=$(date +%s)
	where="the host"
	[ -z "$(bf_kernel_chroot "$k")" ] || where="a $(bf_kernel_suite "$k") chroot"
	if out=$(VM_BUILD_ONLY=1 "$top/selftests/vm/vm-check.sh" "$build" "$k" 2>&1); then
		echo "ok $n module builds warning-free against $k (W=1 C=1, in $where, $(( $(date +%s) - start )) s)"
	else
		tail -n 20 <<<"$out" | sed 's/^/# /'
		echo "not ok $n module build against $k"
	fi
done
