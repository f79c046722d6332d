#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# make bench-report: auditlog report over a generated sound log of N
# records, against jq reading the same file, in one run: A and B in turn,
# three times each, medians; and the report's peak memory.
set -euo pipefail
auditlog=$1 gen=$2 records=${3:-50000}
dir=$(mktemp -d /tmp/secenv-bench-report.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$gen" "$dir/audit.log" "$records"
size=$(stat -c %s "$dir/audit.log")
seconds() { # seconds CMD...: wall time of one run
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l
}
median() { sort -g | sed -n 2p; }
jq_times=() report_times=()
for _ in 1 2 3; do
	jq_times+=("$(seconds jq -c . "$dir/audit.log")")
	report_times+=("$(seconds "$auditlog" report -f "$dir/audit.log" -c /dev/null -o "$dir/r.html")")
done
jq_s=$(printf '%s\n' "${jq_times[@]}" | median)
report_s=$(printf '%s\n' "${report_times[@]}" | median)
peak=$( { /usr/bin/time -f %M "$auditlog" report -f "$dir/audit.log" -c /dev/null -o "$dir/r.html" >/dev/null; } 2>&1 | tail -1)
printf 'audit report: %s records, %.0f MB: report %.2f s, jq -c . %.2f s: report/jq %.2fx; peak %.1f MiB (report and its verify child each)\n' \
	"$records" "$(echo "$size / 1000000" | bc -l)" "$report_s" "$jq_s" \
	"$(echo "$report_s / $jq_s" | bc -l)" "$(echo "$peak / 1024" | bc -l)"
