#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-checks.sh BUILD_DIR SUITE...
#
# Run each suite (a command printing TAP), keep its log under
# BUILD_DIR/logs/, and end with one line over all of them:
#   checks: N passed, N failed
# A suite that exits non-zero without a "not ok" line counts one failure.
set -u
build=${1:?usage: run-checks.sh BUILD_DIR SUITE...}
shift
mkdir -p "$build/logs"
total_pass=0 total_fail=0
for suite in "$@"; do
	name=$suite
	while [[ $name == [A-Z_]*=* ]]; do name=${name#* }; done	# VAR=x cmd
	name=$(basename "${name%% *}")
	log="$build/logs/$name.log"
	start=$(date +%s)
	bash -c "$suite" >"$log" 2>&1
	rc=$?
	pass=$(grep -cE '^ok [0-9]+' "$log")
	fail=$(grep -cE '^not ok [0-9]+' "$log")
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		echo "# $name exited $rc without a failing test; last lines:"
		tail -n 5 "$log" | sed 's/^/#   /'
	fi
	grep -E '^not ok [0-9]+' -A0 "$log" | sed "s/^/# $name: /"
	grep -B6 -E '^not ok [0-9]+' "$log" | grep -E '^# ' | head -20
	printf '%-22s %4d passed, %d failed (%ds)\n' "$name" "$pass" "$fail" \
		$(( $(date +%s) - start ))
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "checks: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
