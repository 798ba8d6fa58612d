#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# experiment.sh [DIR [BACKEND [RUNS]]]: one side of make experiment, on
# the host (BACKEND user) or in a VM (the default: DIR /tests, BACKEND
# kernel, RUNS 5; busybox sh is enough).  DIR holds exp-run, the loaders
# (libbpf-1.1, libbpf-1.7, cilium-ebpf, lskel), btf-filter and task.bpf.o.
#
# Each loader loads and attaches task.bpf.o: (a) by its own path, where it
# reads all of the kernel's BTF; (b) given btf-filter's types, in fields
# mode (what the relocations need) and in shallow mode (the relocations'
# root types); (a') the light skeleton, where the kernel applies CO-RE.
# cilium/ebpf is also given the same types from files that btf-filter
# wrote before the runs (rows ffile and sfile): the floor, what
# cilium/ebpf itself adds to load the object with those types and no
# btf-filter code in its process.
# The runs go round the loaders in turn, RUNS times, so that each loader
# sees the same machine.  Prints an "exp-row" line per loader and row
# (medians: ms to attached, peak RSS over the empty process of the same
# kind in KiB, Go's TotalAlloc, the BTF's bytes, correct runs), then a TAP
# line per check: every run read the right values, and, for the loaders
# in EXP_MEM_TARGETS (default: both libbpfs, as in the VMs), (b) adds at
# most a tenth of the memory (a) adds.  For the other loaders that share
# is printed as a comment: cilium/ebpf's own loading of the object (Go's
# code, threads and heap) costs about 1.5 MiB with any kernel types, which
# is about a tenth of its 14-16 MiB in the VMs and a fifth of its 6 MiB on
# the host (see the README).  For those in EXP_PART_TARGETS (default
# cilium-ebpf) the check is on btf-filter's part: what (b) adds over the
# floor is at most a tenth of what (a) adds.
dir=${1:-/tests}
be=${2:-kernel}
runs=${3:-5}
targets=${EXP_MEM_TARGETS-libbpf-1.1 libbpf-1.7}
parts=${EXP_PART_TARGETS-cilium-ebpf}
obj=$dir/task.bpf.o
env="$(uname -r)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Shallow mode's selectors: the root types of the object's CO-RE
# relocations, as btf-filter from-obj --explain names them (on stderr).
sels=$("$dir/btf-filter" from-obj -b "$be" --explain -o /dev/null "$obj" 2>&1 >/dev/null |
	sed -n 's/.*-> [a-z]* \([A-Za-z0-9_]*\).*/\1/p' | sort -u | tr '\n' ' ')
if [ -z "$sels" ]; then
	echo "not ok 1 experiment [$env] btf-filter from-obj names no root type of $obj"
	exit 1
fi
# The floor's blobs: the fields-mode and shallow types, written once.
# shellcheck disable=SC2086
if ! "$dir/btf-filter" from-obj -b "$be" -o "$tmp/fields.btf" "$obj" 2>"$tmp/blob.err" ||
	! "$dir/btf-filter" query -b "$be" -m shallow -o "$tmp/shallow.btf" $sels 2>>"$tmp/blob.err"; then
	echo "not ok 1 experiment [$env] btf-filter could not write the floor's blobs: $(grep -v note: "$tmp/blob.err" | head -1)"
	exit 1
fi

# Two programs stay attached to sys_enter from here to the end, so that
# attaching and detaching the measured one only changes a list: never the
# kernel's text (the tracepoint's static call and key flip at 0, 1 and 2
# programs).  Under QEMU's TCG a Go loader's threads, making system calls
# while that text was patched, spun in the int3 handler for good (6.1).
# In a VM (the kernel backend) they are never detached: the VM powers off
# after this script, and detaching them at the end patched that text under
# this script's own system calls, which once hit the int3 after the patch
# was done ("Oops: int3" in syscall_trace_enter, 6.12).  On the host they
# are detached at exit.
holders=
for h in 1 2; do
	"$dir/lskel" hold >"$tmp/held$h" &
	holders="$holders $!"
done
if [ "$be" = user ]; then
	trap 'kill $holders 2>/dev/null; rm -rf "$tmp"' EXIT
fi
for h in 1 2; do
	i=0
	while ! grep -q held "$tmp/held$h" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q held "$tmp/held$h" || { echo "not ok 1 experiment [$env] lskel hold did not attach"; exit 1; }
done

# one NAME ARG...: one run of a configuration, its line kept in tmp/NAME.
one() {
	name=$1
	shift
	"$dir/exp-run" "$@" >>"$tmp/$name" 2>>"$tmp/err" ||
		echo "9999 0 0 0 0" >>"$tmp/$name"
}

i=0
while [ "$i" -lt "$runs" ]; do
	for l in libbpf-1.1 libbpf-1.7; do
		one "$l.empty" -e "$dir/$l" empty
		one "$l.own" "$dir/$l" own "$be" "$obj"
		one "$l.fields" "$dir/$l" fields "$be" "$obj"
		# shellcheck disable=SC2086
		one "$l.shallow" "$dir/$l" shallow "$be" "$obj" $sels
	done
	one lskel.empty -e "$dir/lskel" empty
	one lskel.own "$dir/lskel" load
	one cilium-ebpf.empty -e "$dir/cilium-ebpf" -empty
	one cilium-ebpf.own "$dir/cilium-ebpf" -stats -mode none "$obj"
	one cilium-ebpf.fields "$dir/cilium-ebpf" -stats -backend "$be" "$obj"
	one cilium-ebpf.ffile "$dir/cilium-ebpf" -stats -blob "$tmp/fields.btf" "$obj"
	one cilium-ebpf.sfile "$dir/cilium-ebpf" -stats -blob "$tmp/shallow.btf" "$obj"
	# shellcheck disable=SC2086
	one cilium-ebpf.shallow "$dir/cilium-ebpf" -stats -backend "$be" \
		-mode shallow "$obj" $sels
	i=$((i + 1))
done

# median NAME COLUMN
median() {
	cut -d' ' -f"$2" "$tmp/$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

n=0
fail=0
check() {	# check OK TEXT
	n=$((n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n experiment [$env] $2"
	else
		echo "not ok $n experiment [$env] $2"
		fail=1
	fi
}

for l in libbpf-1.1 libbpf-1.7 lskel cilium-ebpf; do
	base=$(median "$l.empty" 2)
	# shellcheck disable=SC2034	# read through eval below
	d_ffile='' d_sfile=''
	for row in own fields shallow ffile sfile; do
		[ -f "$tmp/$l.$row" ] || continue
		good=$(awk '$5 == 1' "$tmp/$l.$row" | wc -l)
		rss=$(median "$l.$row" 2)
		echo "exp-row $env $be $l $row $(median "$l.$row" 1) $((rss - base)) $(median "$l.$row" 3) $(median "$l.$row" 4) $good/$runs"
		eval "d_${row}=$((rss - base))"
		check "$([ "$good" -eq "$runs" ] && echo 1)" "$l $row: the program read the right values in $good of $runs runs"
	done
	[ "$l" != lskel ] || continue
	# shellcheck disable=SC2154	# d_own and d are set through eval
	for row in fields shallow; do
		eval "d=\$d_$row"
		case " $targets " in
		*" $l "*) ;;
		*)	echo "# experiment [$env] $l $row adds $d KiB, $((d * 100 / (d_own > 0 ? d_own : 1)))% of the $d_own KiB of its own path (not a target here)"
			eval "f=\$d_${row%"${row#?}"}file"
			[ -n "$f" ] || continue
			case " $parts " in
			*" $l "*) check "$([ $(((d - f) * 10)) -le "$d_own" ] && echo 1)" \
				"$l $row adds $((d - f)) KiB over the $f KiB it adds with the same types from a file, at most a tenth of the $d_own KiB of its own path" ;;
			*) echo "# experiment [$env] $l $row adds $((d - f)) KiB over the $f KiB it adds with the same types from a file (not checked here)" ;;
			esac
			continue ;;
		esac
		check "$([ $((d * 10)) -le "$d_own" ] && echo 1)" \
			"$l $row adds $d KiB, at most a tenth of the $d_own KiB of its own path"
	done
done
if [ -s "$tmp/err" ]; then
	sed 's/^/# /' "$tmp/err" | head -40
fi
exit $fail
