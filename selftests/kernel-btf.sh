#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-btf.sh KVER OUTDIR
#
# Fetch a Debian kernel image package for KVER (6.1 from bookworm, 6.12 from
# bookworm-backports), unpack it without installing it, decompress the
# vmlinuz payload and cut out its .BTF section.  Writes OUTDIR/vmlinuz,
# OUTDIR/vmlinux (ELF) and OUTDIR/vmlinux.btf (raw BTF).  Idempotent.
set -euo pipefail

kver=${1:?usage: kernel-btf.sh KVER OUTDIR}
out=${2:?usage: kernel-btf.sh KVER OUTDIR}

case "$kver" in
6.1)	release=bookworm ;;
6.12)	release=bookworm-backports ;;
*)	echo "kernel-btf.sh: unknown kernel '$kver' (known: 6.1 6.12)" >&2
	exit 2 ;;
esac

[ -s "$out/vmlinux.btf" ] && exit 0
mkdir -p "$out"

# The metapackage names the versioned image; prefer the signed flavour.
pkg=$(apt-cache depends -t "$release" linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	echo "kernel-btf.sh: no linux-image-amd64 in $release (apt-get update?)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -t "$release" "$pkg" >/dev/null)
dpkg-deb -x "$tmp"/*.deb "$tmp/root"
cp "$tmp"/root/boot/vmlinuz-* "$out/vmlinuz"

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
mv "$tmp/vmlinux" "$out/vmlinux"
mv "$tmp/vmlinux.btf" "$out/vmlinux.btf"
echo "$pkg" >"$out/package"
