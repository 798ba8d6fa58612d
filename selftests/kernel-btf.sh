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
# of nf_conntrack, kvm and dummy, where the package holds the modules).
# For the VM to load: OUTDIR/modules/ko/*.ko, decompressed, and for dummy
# and nf_conntrack, where their BTF is, OUTDIR/modules/NAME.load: the .ko
# files that load NAME with its dependencies, soft ones first, one a line
# in load order (modprobe --show-depends on the package's own depmod).
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

[ -s "$out/vmlinux.btf" ] && [ -d "$out/modules/ko" ] && exit 0
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
# The split BTF of a few modules, where the package holds them (up to 6.12,
# and 7.2+ in linux-modules-*): OUTDIR/modules/NAME.btf.
mkdir -p "$tmp/modules/ko"
unpack_ko() {	# unpack_ko PATH DEST: PATH decompressed
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -dcq "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}
for m in nf_conntrack kvm dummy; do
	ko=$(find "$tmp/root" -name "$m.ko*" -type f 2>/dev/null | head -n1 || true)
	[ -n "$ko" ] || continue
	unpack_ko "$ko" "$tmp/$m.ko"
	objcopy --dump-section .BTF="$tmp/modules/$m.btf" "$tmp/$m.ko" "$tmp/$m.dump.ko" 2>/dev/null || true
	[ -s "$tmp/modules/$m.btf" ] || rm -f "$tmp/modules/$m.btf"
done
# The modules the VM loads as BTF sources, each with what it needs, in the
# order modprobe would load them (the package ships no modules.dep: depmod
# makes it in the unpacked tree; 7.2+ keep their modules in /usr/lib).
[ -e "$tmp/root/lib" ] || [ ! -d "$tmp/root/usr/lib/modules" ] ||
	ln -s usr/lib "$tmp/root/lib"
kv=$(ls "$tmp/root/lib/modules" 2>/dev/null | head -n1 || true)
# (7.2's packages have no modules.order nor modules.builtin: depmod warns)
[ -z "$kv" ] || /sbin/depmod -b "$tmp/root" "$kv" 2>"$tmp/depmod.log" ||
	{ cat "$tmp/depmod.log" >&2; exit 1; }
for m in dummy nf_conntrack; do
	[ -s "$tmp/modules/$m.btf" ] || continue
	/sbin/modprobe -d "$tmp/root" -S "$kv" --show-depends "$m" |
		awk '$1 == "insmod" { print $2 }' >"$tmp/$m.deps"
	grep -q "/$m\.ko" "$tmp/$m.deps" ||
		{ echo "kernel-btf.sh: modprobe cannot place $m" >&2; exit 1; }
	while read -r ko; do
		name=$(basename "$ko")
		name=${name%.xz}
		name=${name%.zst}
		unpack_ko "$ko" "$tmp/modules/ko/$name"
		echo "$name"
	done <"$tmp/$m.deps" >"$tmp/modules/$m.load"
done
rm -rf "$out/modules" && mv "$tmp/modules" "$out/modules"
mv "$tmp/vmlinux" "$out/vmlinux"
mv "$tmp/vmlinux.btf" "$out/vmlinux.btf"
echo "$pkg" >"$out/package"
