#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-checks.sh BUILD_DIR SUITE...
#
# Run each suite (a command printing TAP), keep its log under
# BUILD_DIR/logs/, and end with one line over all of them:
#   checks: N passed, N failed, N skipped
# "ok N ... # SKIP" is a skip, never a pass.
# A suite that exits non-zero without a "not ok" line counts one failure.
#
# A suite may start with "NAME: " to name its log (default: the command's
# base name), and with "&" to run in the background from the start, beside
# the others: the VM runs, each of which keeps about one CPU busy.
set -u
build=${1:?usage: run-checks.sh BUILD_DIR SUITE...}
shift
mkdir -p "$build/logs"
total_pass=0 total_fail=0 total_skip=0
trap 'kill $(jobs -p) 2>/dev/null' EXIT

suite_name() {
	local s=$1
	s=${s#&}
	if [[ $s =~ ^([A-Za-z0-9._-]+):\  ]]; then
		echo "${BASH_REMATCH[1]}"
		return
	fi
	while [[ $s == [A-Z_]*=* ]]; do s=${s#* }; done	# VAR=x cmd
	basename "${s%% *}"
}

suite_cmd() {
	local s=${1#&}
	[[ $s =~ ^[A-Za-z0-9._-]+:\  ]] && s=${s#*: }
	echo "$s"
}

# Tally a finished suite: name, exit code, start time.
report() {
	local name=$1 rc=$2 start=$3 log="$build/logs/$1.log" pass fail skip
	skip=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
	pass=$(( $(grep -cE '^ok [0-9]+' "$log") - skip ))
	fail=$(grep -cE '^not ok [0-9]+' "$log")
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		echo "# $name exited $rc without a failing test; last lines:"
		tail -n 5 "$log" | sed 's/^/#   /'
	fi
	# Every suite runs tests, as many as its plans (1..N) promise.
	planned=$(grep -oE '^1\.\.[0-9]+' "$log" |
		awk -F. '{ s += $3 } END { if (NR) print s }')
	if [ $((pass + fail + skip)) -eq 0 ]; then
		fail=$((fail + 1))
		echo "# $name ran no test"
	elif [ -n "$planned" ] && [ "$planned" -ne $((pass + fail + skip)) ]; then
		fail=$((fail + 1))
		echo "# $name planned $planned tests and reported $((pass + fail + skip))"
	fi
	grep -E '^not ok [0-9]+' -A0 "$log" | sed "s/^/# $name: /"
	grep -B6 -E '^not ok [0-9]+' "$log" | grep -E '^# ' | head -20
	printf '%-22s %4d passed, %d failed, %d skipped (%ds)\n' "$name" \
		"$pass" "$fail" "$skip" $(( $(date +%s) - start ))
	total_skip=$((total_skip + skip))
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
}

# The background suites run one after another (each VM keeps about one CPU
# busy), beside the foreground ones; each leaves "EXIT SECONDS" in NAME.rc.
bg=()
rm -f "$build"/logs/*.rc
for suite in "$@"; do
	[[ $suite == \&* ]] && bg+=("$suite")
done
(
	for suite in "${bg[@]}"; do
		name=$(suite_name "$suite")
		start=$(date +%s)
		bash -c "$(suite_cmd "$suite")" >"$build/logs/$name.log" 2>&1
		echo "$? $(( $(date +%s) - start ))" >"$build/logs/$name.rc"
	done
) &
bg_pid=$!
# A VM whose virtual CPUs lose the host's CPUs to other work slows down far
# more than that work gains (a preempted vCPU may hold a lock the other one
# spins on): the foreground suites yield to the background ones.
fg_nice=
[ ${#bg[@]} -eq 0 ] || fg_nice="nice -n 15"
for suite in "$@"; do
	[[ $suite == \&* ]] && continue
	name=$(suite_name "$suite")
	start=$(date +%s)
	$fg_nice bash -c "$(suite_cmd "$suite")" >"$build/logs/$name.log" 2>&1
	report "$name" $? "$start"
done
wait "$bg_pid"
for suite in "${bg[@]}"; do
	name=$(suite_name "$suite")
	read -r rc secs <"$build/logs/$name.rc" || { rc=1 secs=0; }
	report "$name" "${rc:-1}" $(( $(date +%s) - ${secs:-0} ))
done
echo "checks: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
