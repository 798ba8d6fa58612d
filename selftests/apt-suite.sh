#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# apt-suite.sh SUITE
#
# A private apt configuration for one Debian suite the system does not
# use (bullseye, sid, experimental): its own sources, lists and package
# cache under $BTF_FILTER_CACHE/apt/SUITE (default /var/cache/btf-filter),
# so that the system's sources and package state are never touched.  The
# lists are refreshed when older than six hours.  Prints the file to put in
# APT_CONFIG.  The suites of the system (bookworm, bookworm-backports) need
# none: they are asked for with apt's -t.
set -euo pipefail
suite=${1:?usage: apt-suite.sh SUITE}
case $suite in
bullseye|sid|experimental) ;;
*) echo "apt-suite.sh: no private configuration for '$suite'" >&2; exit 2 ;;
esac
mirror=${BTF_FILTER_MIRROR:-http://deb.debian.org/debian}
dir=${BTF_FILTER_CACHE:-/var/cache/btf-filter}/apt/$suite
conf=$dir/apt.conf
mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/preferences.d"
exec 9>"$dir/lock"	# one update at a time
flock 9
touch "$dir/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
	>"$dir/sources.list"
cat >"$conf" <<CONF
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir";
Dir::Cache::Archives "$dir/archives";
Dir::Etc::SourceList "$dir/sources.list";
Dir::Etc::SourceParts "$dir/none";
Dir::Etc::Preferences "$dir/preferences";
Dir::Etc::PreferencesParts "$dir/preferences.d";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
CONF
if [ -z "$(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -360 2>/dev/null)" ]; then
	APT_CONFIG=$conf apt-get update -qq >/dev/null 2>"$dir/update.log" ||
		{ cat "$dir/update.log" >&2; exit 1; }
fi
echo "$conf"
