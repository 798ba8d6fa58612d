#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fuzz-check.sh FUZZER CORPUS WORKDIR SECONDS: a bounded libFuzzer run as TAP.
set -u
fuzzer=$1 corpus=$2 work=$3 secs=$4
rm -rf "$work" && mkdir -p "$work"
echo "1..1"
if (cd "$work" && "$fuzzer" -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 . "$corpus") >"$work.log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work.log")
	echo "ok 1 fuzz_core: ${secs}s, $runs inputs, no crash, leak or UB"
else
	echo "not ok 1 fuzz_core: finding in $work (log $work.log)"
	grep -E 'ERROR|SUMMARY|runtime error' "$work.log" | head -5 | sed 's/^/# /'
	exit 1
fi
