#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# go-toolchain.sh: Go and cilium/ebpf from Debian's sid, for
# examples/cilium-ebpf, without installing anything: sid's golang-1.26-go
# and golang-1.26-src, golang-github-cilium-ebpf-dev (0.22) and
# golang-golang-x-sys-dev, fetched through the private apt configuration
# (apt-suite.sh) and unpacked under $BTF_FILTER_CACHE/go (default
# /var/cache/btf-filter), keyed by their versions: a later run reuses it.
# Prints the unpacked root: ROOT/usr/lib/go-1.26 is GOROOT, and
# ROOT/usr/share/gocode/src holds the Go sources.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
pkgs="golang-1.26-go golang-1.26-src golang-github-cilium-ebpf-dev golang-golang-x-sys-dev"
cache=${BTF_FILTER_CACHE:-/var/cache/btf-filter}/go
mkdir -p "$cache"
exec 9>"$cache/lock"	# one unpack at a time
flock 9
conf=$("$top/selftests/apt-suite.sh" sid)
# shellcheck disable=SC2086
key=$(APT_CONFIG=$conf apt-cache show --no-all-versions $pkgs 2>/dev/null |
	awk '/^Package:/ { p = $2 } /^Version:/ { print p "=" $2 }' |
	sort | sha256sum | cut -c1-12)
root=$cache/$key
if [ ! -f "$root.done" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# shellcheck disable=SC2086
	(cd "$tmp" && APT_CONFIG=$conf apt-get download -q $pkgs) \
		>"$tmp/download.log" 2>&1 || { cat "$tmp/download.log" >&2; exit 1; }
	rm -rf "$root" && mkdir -p "$root"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	"$root/usr/lib/go-1.26/bin/go" version >/dev/null
	touch "$root.done"
	# Unpacks of other versions are of no further use.
	find "$cache" -mindepth 1 -maxdepth 1 ! -name "$key" ! -name "$key.done" \
		! -name lock -exec rm -rf {} +
fi
echo "$root"
