#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build, once per machine, the debug kernel of
# selftests/vm/debug.config from Debian's linux-source-6.1, and print its
# build tree (bzImage in arch/x86/boot/, vmlinux, Module.symvers).  The
# build is cached outside the clone, under $BTF_FILTER_CACHE (default
# /var/cache/btf-filter), keyed by the source package's version and the
# fragment's hash: a later run on the same machine reuses it.
#
# With --tap, says so as one TAP test instead (for make check), and keeps
# the build's log under the cache.
set -euo pipefail
if [ "${1:-}" = --tap ]; then
	echo "1..1"
	start=$(date +%s)
	if out=$("$0" 2>&1); then
		tree=$(tail -n 1 <<<"$out")
		echo "ok 1 debug kernel $(basename "$(dirname "$tree")") ready in $(( $(date +%s) - start )) s"
		exit 0
	fi
	tail -n 20 <<<"$out" | sed 's/^/# /'
	echo "not ok 1 debug kernel build"
	exit 1
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
frag=$top/selftests/vm/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f "$tarball" ] || { echo "debug-kernel: $tarball missing (selftests/deps.sh)" >&2; exit 1; }
ver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
key=$ver-$(sha256sum "$frag" | cut -c1-12)
cache=${BTF_FILTER_CACHE:-/var/cache/btf-filter}/debug-kernel/$key
tree=$cache/linux

if [ -f "$cache/done" ]; then
	echo "$tree"
	exit 0
fi
rm -rf "$cache" && mkdir -p "$cache"
log=$cache/build.log
start=$(date +%s)
tar -xJf "$tarball" -C "$cache"
mv "$cache/linux-source-6.1" "$tree"
cd "$tree"
{
	make x86_64_defconfig
	scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config "$frag"
	make olddefconfig
} >"$log" 2>&1 || { tail -n 20 "$log" >&2; exit 1; }
# Every option the fragment sets must have survived olddefconfig (an =n
# one may also vanish, with the menu it lives in).
bad=0
while read -r line; do
	case $line in
	CONFIG_*=n) ! grep -q "^${line%=n}=" .config || { echo "debug-kernel: $line did not take" >&2; bad=1; } ;;
	CONFIG_*) grep -qx "$line" .config || { echo "debug-kernel: $line did not take" >&2; bad=1; } ;;
	esac
done <"$frag"
[ "$bad" -eq 0 ] || exit 1
make -j"$(nproc)" bzImage modules >>"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
echo "debug-kernel: built in $(( $(date +%s) - start )) s" >&2
touch "$cache/done"
# Builds of other versions or fragments are of no further use.
find "$(dirname "$cache")" -mindepth 1 -maxdepth 1 ! -name "$key" -exec rm -rf {} +
echo "$tree"
