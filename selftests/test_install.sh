#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_install.sh BUILD_DIR: `make install` into a scratch root (CLI,
# library, headers, pkg-config file, and the module for Debian's 6.1
# headers), a client built with pkg-config against it, and `dkms build`
# of the module from dkms.conf.  TAP.
set -u
build=$(cd "${1:?usage: test_install.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() {
	local d=$1; shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok $n $d"
	else
		echo "not ok $n $d"; tail -n 8 "$tmp/out" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

image=$(cat "$build/kernels/6.1/package" 2>/dev/null)
kver=${image#linux-image-}
kdir=/usr/src/linux-headers-$kver
root=$tmp/root

do_install() {
	make -s -C "$top" install DESTDIR="$root" PREFIX=/usr KDIR="$kdir"
}

installed_files() {
	local f
	for f in usr/bin/btf-filter usr/lib/libbtf_filter.a \
		 usr/lib/libbtf_filter.so.0 usr/include/libbtf_filter.h \
		 usr/include/linux/btf_filter.h usr/lib/pkgconfig/libbtf_filter.pc \
		 "lib/modules/$kver/extra/btf_filter.ko"; do
		[ -e "$root/$f" ] || { echo "missing $f"; return 1; }
	done
	modinfo -F version "$root/lib/modules/$kver/extra/btf_filter.ko" | grep -qx "$version" &&
		modinfo -F vermagic "$root/lib/modules/$kver/extra/btf_filter.ko" | grep -q "^$kver "
}

pkgconfig_client() {
	cat >"$tmp/client.c" <<'EOC'
#include <stdio.h>
#include <libbtf_filter.h>
int main(int argc, char **argv)
{
	const char *sels[] = { "task_struct" };
	BTF_FILTER_OPTS(o, .source = argv[1], .mode = BTF_FILTER_MODE_SHALLOW);
	struct btf_filter_result *r = btf_filter__query(sels, 1, &o);
	__u32 size;

	if (!r)
		return 1;
	btf_filter_result__data(r, &size);
	printf("%u\n", size);
	btf_filter_result__free(r);
	return size > 1000 ? 0 : 1;
}
EOC
	local flags
	# the scratch root's libbtf_filter.pc, and the system's libbpf and
	# libelf, which it requires (for btf_filter__custom_path())
	flags=$(PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig:$(pkg-config --variable pc_path pkg-config)" \
		pkg-config --define-prefix --static --cflags --libs libbtf_filter) || return 1
	cc -o "$tmp/client" "$tmp/client.c" $flags -static &&
		"$tmp/client" "$build/kernels/6.1/vmlinux.btf"
}

# libbtf_filter.pc asks for the libbpf the library needs (1.0: ENUM64's
# btf_is_any_enum() and btf_enum64()): a libbpf 0.8 does not satisfy it.
pkgconfig_libbpf_version() {
	local sys
	sys=$(pkg-config --variable pc_path pkg-config)
	PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig:$sys" \
		pkg-config --print-requires-private libbtf_filter | grep -qx 'libbpf >= 1.0' || return 1
	mkdir -p "$tmp/old-libbpf"
	printf 'Name: libbpf\nDescription: old\nVersion: 0.8.0\nLibs: -lbpf\n' \
		>"$tmp/old-libbpf/libbpf.pc"
	! PKG_CONFIG_LIBDIR="$tmp/old-libbpf:$root/usr/lib/pkgconfig:$sys" \
		pkg-config --static --libs libbtf_filter
}

# The shared library exports its API, as the version map lists it, and
# nothing else: none of core/'s bf_* functions.
exported_api() {
	local want got
	want=$(awk '/global:/ { on = 1; next } /local:/ { on = 0 }
		on && /;/ { gsub(/[;\t ]/, ""); print }' "$top/user/lib/libbtf_filter.map" | sort)
	got=$(nm -D --defined-only "$root/usr/lib/libbtf_filter.so.0" |
		awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort)
	[ -n "$want" ] && [ "$want" = "$got" ] || {
		echo "exported: $got"; echo "wanted: $want"; return 1; }
	nm -D "$root/usr/lib/libbtf_filter.so.0" | grep -q ' T btf_filter__query@@LIBBTF_FILTER_0.1$'
}

dkms_build() {
	local src=/usr/src/btf-filter-$version
	dkms remove -m btf-filter -v "$version" --all >/dev/null 2>&1
	make -s -C "$top" install-dkms DESTDIR= >/dev/null &&
		dkms add -m btf-filter -v "$version" &&
		dkms build -m btf-filter -v "$version" -k "$kver" &&
		ls /var/lib/dkms/btf-filter/"$version"/"$kver"/x86_64/module/btf_filter.ko*
	local rc=$?
	dkms remove -m btf-filter -v "$version" --all >/dev/null 2>&1
	rm -rf "$src"
	return $rc
}

ok "make install into a scratch root" do_install
ok "installed: CLI, libraries, headers, pkg-config file, module in extra/" installed_files
ok "a client built with pkg-config queries a BTF" pkgconfig_client
ok "libbtf_filter.pc requires libbpf >= 1.0" pkgconfig_libbpf_version
ok "libbtf_filter.so exports its API and nothing else" exported_api
ok "dkms build from dkms.conf against the $kver headers" dkms_build
echo "1..$n"
exit $((failed > 0))
