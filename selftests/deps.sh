#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh: install everything btf-filter builds, tests and benchmarks with,
# on Debian 12 (bookworm), as root.  Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: run as root (it installs packages)" >&2
	exit 1
fi
# bookworm-backports: bpftool 7.5 (gen min_core_btf) and the 6.12 kernel.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" \
		>/etc/apt/sources.list.d/bookworm-backports.list
fi
apt-get update -q
apt-get install -y -q --no-install-recommends \
	make gcc libc6-dev clang llvm libclang-rt-14-dev \
	libbpf-dev libelf-dev zlib1g-dev linux-libc-dev pkg-config \
	linux-source-6.1 xz-utils zstd binutils bc ca-certificates \
	qemu-system-x86 busybox-static cpio kmod dkms sparse \
	flex bison dwarves libssl-dev debootstrap
apt-get install -y -q --no-install-recommends -t bookworm-backports bpftool

# Headers of the kernels the VM tests boot whose suites the system has:
# the versions the linux-image-amd64 metapackage names in each (as
# kernel-btf.sh picks).  The others are built for in chroots of their own
# suites, made on first use (selftests/vm/chroot.sh).
. "$(dirname "$0")/vm/kernels.sh"
for k in $BF_KERNELS; do
	rel=$(bf_kernel_suite "$k")
	case $rel in bookworm|bookworm-backports) ;; *) continue ;; esac
	img=$(apt-cache depends -t "$rel" linux-image-amd64 |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	apt-get install -y -q --no-install-recommends -t "$rel" \
		"${img/linux-image-/linux-headers-}"
done

# Go and cilium/ebpf from sid, unpacked under the cache, not installed
# (examples/cilium-ebpf).
"$(dirname "$0")/go-toolchain.sh" >/dev/null
