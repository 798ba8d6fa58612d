#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# chroot.sh SUITE PACKAGE...
#
# A minimal Debian SUITE (debootstrap --variant=minbase) with PACKAGEs
# installed, for building the module against a kernel whose compiler and
# kbuild tools the host cannot install: 5.10's gcc-10 (bullseye), 7.x's
# gcc and kbuild, linked against a newer libc (sid).  Made once per machine
# under $BTF_FILTER_CACHE/chroot/ (default /var/cache/btf-filter), keyed by
# the suite and the versions of PACKAGEs, and reused; older chroots of the
# same suite are removed.  Prints the chroot's directory.  Only Debian's
# archive is used (BTF_FILTER_MIRROR).  BF_CHROOT_NAME (default SUITE)
# names a chroot kept beside the suite's own, with other packages.
set -euo pipefail
suite=${1:?usage: chroot.sh SUITE PACKAGE...}
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
mirror=${BTF_FILTER_MIRROR:-http://deb.debian.org/debian}
cache=${BTF_FILTER_CACHE:-/var/cache/btf-filter}/chroot
conf=$("$top/selftests/apt-suite.sh" "$suite")
vers=$(APT_CONFIG=$conf apt-cache policy "$@" |
	awk '/^[^ ]/ { p = $1 } /Candidate:/ { print p $2 }')
[ "$(wc -l <<<"$vers")" -eq $# ] && ! grep -q '(none)' <<<"$vers" ||
	{ echo "chroot.sh: not all of $* are in $suite:" >&2; echo "$vers" >&2; exit 1; }
name=${BF_CHROOT_NAME:-$suite}
key=$name-$(sha256sum <<<"$vers" | cut -c1-12)
root=$cache/$key
mkdir -p "$cache"
# One maker at a time per suite (make check's matrix build and a VM run
# may both ask): a second caller waits, then finds the chroot made.
exec 9>"$cache/$name.lock"
flock 9
if [ -f "$root.done" ]; then
	echo "$root"
	exit 0
fi
rm -rf "$root" "$root.log"
log=$root.log
start=$(date +%s)
{
	debootstrap --variant=minbase "$suite" "$root" "$mirror" &&
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" &&
	chmod +x "$root/usr/sbin/policy-rc.d" &&
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q \
		--no-install-recommends "$@" &&
	chroot "$root" apt-get clean
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
echo "$vers" >"$root.versions"
echo "made in $(( $(date +%s) - start )) s" >>"$log"
for old in "$cache/$name"-????????????.done; do
	[ -e "$old" ] || continue
	[ "$old" = "$root.done" ] || rm -rf "${old%.done}" "$old" "${old%.done}.log" "${old%.done}.versions"
done
touch "$root.done"
echo "$root"
