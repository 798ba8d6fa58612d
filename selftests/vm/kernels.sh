# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix, in one place (sourced by kernel-btf.sh, vm-check.sh
# and deps.sh): for each kernel version the tests boot, the Debian suite
# whose linux-image-amd64 names it, and, when the host cannot build the
# module against it, the compiler a chroot of that suite needs.
#
#   KVER  suite               module built with
#   5.10  bullseye            gcc-10, in a bullseye chroot (selftests/vm/chroot.sh)
#   6.1   bookworm            the host's gcc-12
#   6.12  bookworm-backports  the host's gcc-12
#   7.2   sid                 gcc-16, in a sid chroot (its kbuild tools need sid's libc)
#   7.3   experimental        gcc-16, in an experimental chroot (not in make check)

BF_KERNELS="5.10 6.1 6.12 7.2"

# bf_kernel_suite KVER: the suite, or nothing for a kernel not in the table.
bf_kernel_suite() {
	case $1 in
	5.10) echo bullseye ;;
	6.1) echo bookworm ;;
	6.12) echo bookworm-backports ;;
	7.2) echo sid ;;
	7.3) echo experimental ;;
	esac
}

# bf_kernel_chroot KVER: the packages of the chroot the module is built in
# (its headers come on top), or nothing when the host builds it.
bf_kernel_chroot() {
	case $1 in
	5.10) echo "make gcc-10 sparse" ;;
	7.2|7.3) echo "make gcc-16 sparse" ;;
	esac
}

# bf_apt SUITE: the environment for apt to use SUITE (private for the
# suites the system does not have, selftests/apt-suite.sh; apt's -t for
# the others), as words for env(1).
bf_apt() {
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	case $1 in
	bookworm|bookworm-backports) echo "BF_APT_T=--target-release=$1" ;;
	*) echo "APT_CONFIG=$("$top/selftests/apt-suite.sh" "$1") BF_APT_T=" ;;
	esac
}

# bf_check_size KVER: under make check (VM_CHECK=1), the oldest and the
# newest kernel run the VM suite at a smaller size, to keep a fresh
# machine's make check within CI's time: 100 host-checked sets instead of
# 300, 5,000 fuzzer calls instead of 20,000, a quarter of the kmod rounds.
# Sets the defaults in the caller's environment (variables already set win).
bf_check_size() {
	case $1 in
	6.1|6.12) ;;
	*)	: "${BTF_FILTER_VM_SETS:=100}" "${BTF_FILTER_FUZZ_CALLS:=5000}" \
		  "${BTF_FILTER_VM_LOAD:=25}" ;;
	esac
}

# The kernels, those the host builds for first: make check's VM runs start
# with them while its matrix build makes the chroots the others need.
bf_kernels_host_first() {
	local k
	for k in $BF_KERNELS; do [ -n "$(bf_kernel_chroot "$k")" ] || echo "$k"; done
	for k in $BF_KERNELS; do [ -z "$(bf_kernel_chroot "$k")" ] || echo "$k"; done
}
