#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-blobs.sh DIR
#
# The result blobs the differential tests wrote to DIR (TAG-NNNN.btf) must
# dump with `bpftool btf dump file X format c` into a header that compiles
# with clang for the BPF target: up to PER_TAG of each TAG (default 300,
# every k-th in name order; 0: all), which keeps a fresh machine's make
# check within CI's time (all 7,000 took about 20 minutes beside the rest).
# Prints TAP, one test per TAG.
set -u
dir=${1:?usage: check-blobs.sh DIR}
BPFTOOL=${BPFTOOL:-bpftool}
CLANG=${CLANG:-clang}
jobs=${JOBS:-$(nproc)}
per_tag=${PER_TAG:-300}

dump_one() {
	local btf=$1 base=${1%.btf}
	"$BPFTOOL" btf dump file "$btf" format c >"$base.h" 2>"$base.err" ||
		{ echo "FAIL $btf: bpftool: $(head -c 300 "$base.err")"; return; }
	printf '#include "%s"\nint btf_filter_blob_ok;\n' "$(basename "$base.h")" \
		>"$base.c"
}
export -f dump_one
export BPFTOOL

tags=$(ls "$dir" | sed -n 's/-[0-9]*\.btf$//p' | sort -u)
# test_synthetic and test_real write these, every run.
for want in synthetic host-full host-shallow 5.10-full 5.10-shallow 6.1-full \
	    6.1-shallow 6.12-full 6.12-shallow 7.2-full 7.2-shallow; do
	echo "$tags" | grep -qx -- "$want" ||
		{ echo "1..1"; echo "not ok 1 no $want blobs in $dir"; exit 1; }
done
echo "1..$(echo "$tags" | wc -l)"
n=0 failed=0
for tag in $tags; do
	n=$((n + 1))
	all=$(ls "$dir/$tag"-*.btf | wc -l)
	step=1
	[ "$per_tag" -eq 0 ] || step=$(( (all + per_tag - 1) / per_tag ))
	ls "$dir/$tag"-*.btf | awk -v s="$step" 'NR % s' | xargs -r rm -f
	count=$(ls "$dir/$tag"-*.btf | wc -l)
	errs=$(ls "$dir/$tag"-*.btf | xargs -P "$jobs" -n 1 bash -c 'dump_one "$0"')
	# Many translation units per clang call; retry alone to name a culprit.
	cerr=$(ls "$dir/$tag"-*.c 2>/dev/null | xargs -P "$jobs" -n 40 sh -c \
		'"$0" -target bpf -fsyntax-only "$@" 2>/dev/null ||
		 for f; do "$0" -target bpf -fsyntax-only "$f" >/dev/null 2>&1 ||
			echo "FAIL $f: clang"; done' "$CLANG")
	if [ -z "$errs$cerr" ]; then
		echo "ok $n blobs $tag: $count of $all dumped by bpftool and compiled by clang"
		rm -f "$dir/$tag"-*	# 2.5 GB for all of them otherwise
	else
		failed=$((failed + 1))
		echo "not ok $n blobs $tag"
		printf '%s\n%s\n' "$errs" "$cerr" | grep . | head -5 | sed 's/^/# /'
	fi
done
exit $((failed > 0))
