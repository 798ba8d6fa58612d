#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-check.sh BUILD_DIR KVER [TEST...]
#
# Boot Debian's KVER kernel (selftests/vm/kernels.sh) under qemu -accel tcg with a busybox
# initramfs holding btf_filter.ko, built against that kernel's headers, and
# the statically linked in-VM selftests (default: every
# BUILD_DIR/selftests/vm/*.test).  Prints the tests' TAP.  Fails on any
# "not ok", a timeout, no TAP at all, or a BUG/WARNING/Oops/lockdep/KASAN
# line on the console, a test program that exits non-zero, or a tainted
# kernel.  VM_TIMEOUT (seconds), VM_CPU (qemu -cpu), VM_APPEND (more kernel
# command line), BTF_FILTER_VM_SETS (random sets the VM checks against the
# host, 300), BTF_FILTER_FUZZ_CALLS (ioctl fuzzer calls, 20000) and
# BTF_FILTER_VM_LOAD (percent of the kmod suite's rounds, 100) adjust the run;
# VM_CHECK=1 (make check) takes smaller defaults for some kernels
# (bf_check_size in kernels.sh).  KVER is one of
# selftests/vm/kernels.sh (Debian's, fetched by kernel-btf.sh; the module
# is built in a chroot of the kernel's suite where the host lacks its
# compiler), or any name when VM_KERNEL (an
# image), VM_HEADERS (its headers or build tree) and VM_BTF (its raw BTF;
# default: the .BTF of VM_HEADERS/vmlinux) give the kernel, and VM_MODULES
# the modules it may load as BTF sources (see below).
set -euo pipefail
build=${1:?usage: vm-check.sh BUILD_DIR KVER [TEST...]}
mkdir -p "$build" && build=$(cd "$build" && pwd)
kver=${2:?usage: vm-check.sh BUILD_DIR KVER [TEST...]}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/vm/kernels.sh"
kdir=$build/kernels/$kver
vm=$build/vm/$kver
# VM_BUILD_ONLY=1: build the module against KVER and stop (matrix-build.sh).
[ -z "${VM_BUILD_ONLY:-}" ] || vm=$build/vm/$kver-build
timeout=${VM_TIMEOUT:-900}
[ -z "${VM_CHECK:-}" ] || bf_check_size "$kver"	# make check's sizes

if [ -n "${VM_KERNEL:-}" ]; then
	# Any kernel: its image, its headers or build tree, and its BTF (raw,
	# or taken from the build tree's vmlinux); KVER is then only a name.
	kernel=$VM_KERNEL
	headers=${VM_HEADERS:?VM_KERNEL needs VM_HEADERS: the headers or build tree of that kernel}
	btf=${VM_BTF:-$build/vm/$kver.btf}
	if [ -z "${VM_BTF:-}" ]; then
		[ -f "$headers/vmlinux" ] || { echo "vm-check: set VM_BTF, or give a build tree with vmlinux" >&2; exit 1; }
		mkdir -p "$build/vm"
		objcopy -O binary --only-section=.BTF "$headers/vmlinux" "$btf"
	fi
else
	"$top/selftests/kernel-btf.sh" "$kver" "$kdir"
	kernel=$kdir/vmlinuz
	btf=$kdir/vmlinux.btf
	image=$(cat "$kdir/package")
	hdrpkg=${image/linux-image-/linux-headers-}
	headers=/usr/src/${hdrpkg%-unsigned}
	# A kernel whose compiler the host lacks is built for in a chroot.
	pkgs=$(bf_kernel_chroot "$kver")
	if [ -n "$pkgs" ]; then
		# shellcheck disable=SC2086
		root=$("$top/selftests/vm/chroot.sh" "$(bf_kernel_suite "$kver")" \
			$pkgs "${hdrpkg%-unsigned}")
	fi
fi
root=${root:-}
[ -d "$root$headers" ] || { echo "vm-check: $root$headers missing (selftests/deps.sh)" >&2; exit 1; }

# The module, built in a copy of the tree so each kernel has its own
# objects, with W=1 and sparse (C=1): any warning fails the run.
rm -rf "$vm" && mkdir -p "$vm/root/bin" "$vm/root/tests"
src=/build/${vm##*/}	# in the chroot, or under $vm on the host
[ -n "$root" ] || src=$vm/src
rm -rf "$root$src" && mkdir -p "$root$src"
cp -r "$top/core" "$top/kmod" "$top/include" "$top/VERSION" "$root$src/"
if [ -n "$root" ]; then
	# Debian's 7.x headers lack the script that vets the checker for C=1;
	# this one runs it on a one-line file.  objtool reads /proc.
	for d in "$root"/usr/src/linux-headers-*-common/scripts; do
		[ -e "$d/checker-valid.sh" ] && continue
		printf '%s\n' '#!/bin/sh' \
			"# Written by btf-filter's vm-check.sh; prints 1 when the checker runs." \
			'f=$(mktemp --suffix=.c) || exit 0' \
			'echo "int btf_filter_checker_probe;" >"$f"' \
			'"$@" "$f" >/dev/null 2>&1 && echo 1' 'rm -f "$f"' \
			>"$d/checker-valid.sh"
		chmod +x "$d/checker-valid.sh"
	done
	mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc"; trap 'umount "$root/proc"' EXIT; }
	chroot "$root" make -s -C "$headers" M="$src/kmod" W=1 C=1 modules \
		>"$vm/build.log" 2>&1 || { cat "$vm/build.log"; exit 1; }
else
	make -s -C "$headers" M="$src/kmod" W=1 C=1 modules >"$vm/build.log" 2>&1 ||
		{ cat "$vm/build.log"; exit 1; }
fi
if grep -qiE 'warning|error|not available' "$vm/build.log"; then
	cat "$vm/build.log"; echo "vm-check: module build is not clean" >&2; exit 1
fi

cp "$root$src/kmod/btf_filter.ko" "$vm/root/"
[ -z "${VM_BUILD_ONLY:-}" ] || exit 0
cp /bin/busybox "$vm/root/bin/busybox"
cp "$top/selftests/vm/init" "$vm/root/init"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$build"/selftests/vm/*.test)
cp "${tests[@]}" "$vm/root/tests/"
# Modules of the kernel's own with BTF, to query as sources (VM_MODULES:
# a folder of NAME.load files, each listing what loads NAME in order, and
# ko/ with those files; default: the package's, from kernel-btf.sh).
# /tests/modules/ gets them all.
mods=${VM_MODULES:-$kdir/modules}
if ls "$mods"/*.load >/dev/null 2>&1; then
	mkdir -p "$vm/root/tests/modules"
	cp "$mods"/*.load "$mods"/ko/*.ko "$vm/root/tests/modules/"
fi
# VM_HOST_BINS: host programs to run in the VM, with their libraries.
for b in ${VM_HOST_BINS:-}; do
	cp "$(command -v "$b")" "$vm/root/tests/"
	for lib in $(ldd "$(command -v "$b")" | grep -o '/[^ ]*'); do
		mkdir -p "$vm/root$(dirname "$lib")"
		cp -L "$lib" "$vm/root$lib"
	done
done
# The userspace backend's answers on this kernel's BTF, for the VM to match.
"$build/selftests/vm_expect" "$btf" "${BTF_FILTER_VM_SETS:-300}" \
	0x5eed >"$vm/root/tests/expect.txt"
(cd "$vm/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initramfs.gz"

# TCG runs rep movsb a byte at a time: without ERMS and FSRM the guest's
# memcpy and copy_*_user take wider moves, and the 6.1 VM runs 2-3x faster.
cpu=${VM_CPU:-max,-erms,-fsrm}
log=$vm/console.log
rc=0
timeout "$timeout" qemu-system-x86_64 -accel tcg -cpu "$cpu" -smp 2 -m 2048 \
	-kernel "$kernel" -initrd "$vm/initramfs.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 ${VM_APPEND:-} BTF_FILTER_VM_SETS=${BTF_FILTER_VM_SETS:-300} BTF_FILTER_FUZZ_CALLS=${BTF_FILTER_FUZZ_CALLS:-20000} BTF_FILTER_VM_LOAD=${BTF_FILTER_VM_LOAD:-100} ${BTF_FILTER_VM_RUN:+BTF_FILTER_VM_RUN=$BTF_FILTER_VM_RUN}" \
	-display none -monitor none -serial "file:$log" -no-reboot || rc=$?
tr -d '\r' <"$log" >"$log.txt"
# VM_QUIET: only what the programs print (make demo); the console's own
# lines, its kernel log among them, stay in $log.txt, named on failure.
quiet='^#  RUN|^#  +OK|^\[ *[0-9]'
[ -z "${VM_QUIET:-}" ] || quiet="$quiet|^# dmesg: |^# -r|^btf-filter-vm: "
sed -n '/^btf-filter-vm: begin/,/^btf-filter-vm: end/p' "$log.txt" |
	grep -vE "$quiet" | sed -E "s/^((not )?ok [0-9]+) /\1 [$kver] /"
fail=0
[ "$rc" -eq 0 ] || { echo "not ok [$kver] qemu exited $rc (124: timeout ${timeout}s)"; fail=1; }
grep -q '^btf-filter-vm: end' "$log.txt" || { echo "not ok [$kver] the VM did not finish"; fail=1; }
[ -n "${BTF_FILTER_VM_RUN:-}" ] || grep -qE "^ok " "$log.txt" || { echo "not ok [$kver] no test ran"; fail=1; }
grep -E '^btf-filter-vm: .* exited [1-9]' "$log.txt" &&
	{ echo "not ok [$kver] a test program failed or died (see $log.txt)"; fail=1; }
if grep -nE 'BUG:|kernel BUG at|WARNING:|Oops|possible circular locking|KASAN|suspected memory leak|general protection' "$log.txt"; then
	echo "not ok [$kver] kernel complained on the console (see $log.txt)"; fail=1
fi
grep -qE '^not ok ' "$log.txt" && fail=1
exit $fail
