#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-btf.sh KVER OUTDIR
#
# Fetch the Debian kernel image package of KVER (selftests/vm/kernels.sh:
# 5.10, 6.1, 6.12, 7.2, 7.3, each from its suite), unpack it without
# installing it, decompress the vmlinuz payload (xz or zstd) and cut out
# its .BTF section.  Writes OUTDIR/vmlinuz, OUTDIR/vmlinux (ELF),
# OUTDIR/vmlinux.btf (raw BTF) and OUTDIR/modules/NAME.btf (the split BTF
# of nf_conntrack, kvm and dummy, where the package holds the modules; and
# dummy.ko, for the VM to load).
# Idempotent.
set -euo pipefail

kver=${1:?usage: kernel-btf.sh KVER OUTDIR}
out=${2:?usage: kernel-btf.sh KVER OUTDIR}
. "$(dirname "$0")/vm/kernels.sh"

release=$(bf_kernel_suite "$kver")
if [ -z "$release" ]; then
	echo "kernel-btf.sh: unknown kernel '$kver' (known: $BF_KERNELS 7.3)" >&2
	exit 2
fi

[ -s "$out/vmlinux.btf" ] && [ -d "$out/modules" ] && exit 0
mkdir -p "$out"
apt_env=$(bf_apt "$release")

# The metapackage names the versioned image; prefer the signed flavour.
pkg=$(env $apt_env sh -c 'apt-cache depends $BF_APT_T linux-image-amd64' 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	echo "kernel-btf.sh: no linux-image-amd64 in $release (apt-get update?)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Since 7.2 the image itself is in linux-binary-*, and the modules in
# linux-modules-*, which linux-image-* pulls.
pkgs=$pkg
deps=$(env $apt_env sh -c 'apt-cache show $BF_APT_T "$0"' "$pkg" 2>/dev/null |
	grep '^Depends:' || true)
for part in binary modules; do
	if grep -q "linux-$part-${pkg#linux-image-}" <<<"$deps"; then
		pkgs="$pkgs linux-$part-${pkg#linux-image-}"
	fi
done
(cd "$tmp" && env $apt_env sh -c 'apt-get download $BF_APT_T $0' "$pkgs") \
	>/dev/null 2>"$tmp/download.log" || { cat "$tmp/download.log" >&2; exit 1; }
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" "$tmp/root"
done
# /boot/vmlinuz-*, or since 7.2 /usr/lib/modules/*/vmlinuz
vmlinuz=$(find "$tmp/root/boot" "$tmp/root/usr/lib/modules" -name 'vmlinuz*' \
	-type f 2>/dev/null | head -n1 || true)
[ -n "$vmlinuz" ] || { echo "kernel-btf.sh: no vmlinuz in $pkgs" >&2; exit 1; }
cp "$vmlinuz" "$out/vmlinuz"

# Find the payload by its compressor's magic and decompress from there.
find_magic() {
	LC_ALL=C grep -obUaP "$1" "$out/vmlinuz" | head -n1 | cut -d: -f1
}
off=$(find_magic '\xfd7zXZ\x00' || true)
if [ -n "$off" ]; then
	tail -c +$((off + 1)) "$out/vmlinuz" | xz -dc --single-stream \
		>"$tmp/vmlinux" 2>/dev/null || true
else
	off=$(find_magic '\x28\xb5\x2f\xfd' || true)
	[ -n "$off" ] || { echo "kernel-btf.sh: no xz/zstd payload" >&2; exit 1; }
	tail -c +$((off + 1)) "$out/vmlinuz" | zstd -dcq \
		>"$tmp/vmlinux" 2>/dev/null || true
fi
if [ "$(head -c4 "$tmp/vmlinux" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
	echo "kernel-btf.sh: decompressed payload of $pkg is not ELF" >&2
	exit 1
fi
objcopy -O binary --only-section=.BTF "$tmp/vmlinux" "$tmp/vmlinux.btf"
[ -s "$tmp/vmlinux.btf" ] || { echo "kernel-btf.sh: no .BTF in $pkg" >&2; exit 1; }
# The split BTF of a few modules, where the package holds them (up to 6.12):
# OUTDIR/modules/NAME.btf.
mkdir -p "$tmp/modules"
for m in nf_conntrack kvm dummy; do
	ko=$(find "$tmp/root" -name "$m.ko*" -type f 2>/dev/null | head -n1 || true)
	[ -n "$ko" ] || continue
	case $ko in
	*.xz) xz -dc "$ko" >"$tmp/$m.ko" ;;
	*.zst) zstd -dcq "$ko" >"$tmp/$m.ko" ;;
	*) cp "$ko" "$tmp/$m.ko" ;;
	esac
	objcopy --dump-section .BTF="$tmp/modules/$m.btf" "$tmp/$m.ko" "$tmp/$m.dump.ko" 2>/dev/null || true
	[ -s "$tmp/modules/$m.btf" ] || rm -f "$tmp/modules/$m.btf"
done
# dummy.ko itself (no dependencies), for the VM to load as a BTF source.
[ ! -s "$tmp/modules/dummy.btf" ] || cp "$tmp/dummy.ko" "$tmp/modules/dummy.ko"
rm -rf "$out/modules" && mv "$tmp/modules" "$out/modules"
mv "$tmp/vmlinux" "$out/vmlinux"
mv "$tmp/vmlinux.btf" "$out/vmlinux.btf"
echo "$pkg" >"$out/package"
