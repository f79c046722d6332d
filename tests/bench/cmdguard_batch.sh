#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# make bench-cmdguard: N commands checked by one `cmdguard --batch` against
# N separate `cmdguard -- COMMAND` runs, the ratio in one run.
# usage: cmdguard_batch.sh CMDGUARD VERDICTS.TSV [N]
set -euo pipefail

cmdguard=$(realpath "$1")
table="$2"
n="${3:-300}"
work=$(mktemp -d "${TMPDIR:-/tmp}/cmdguard-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
names=STRIPE_KEY,DATABASE_URL,OPENAI_API_KEY

# N commands: the single-line rows of the verdict table, over and over.
grep -v '<NL>' "$table" | grep -E '^(allow|deny)	' | cut -f2- >"$work/rows"
rows=$(wc -l <"$work/rows")
for ((i = 0; i < (n + rows - 1) / rows; i++)); do cat "$work/rows"; done |
	head -n "$n" >"$work/commands"
cd "$work"

now() { date +%s%N; }

start=$(now)
while IFS= read -r cmd; do
	"$cmdguard" -n "$names" -- "$cmd" >/dev/null 2>&1 || true
done <"$work/commands"
separate=$(($(now) - start))

start=$(now)
"$cmdguard" -n "$names" --batch <"$work/commands" >"$work/verdicts" || true
batch=$(($(now) - start))

[ "$(wc -l <"$work/verdicts")" -eq "$n" ] || {
	echo "cmdguard_batch: $(wc -l <"$work/verdicts") verdicts for $n commands" >&2
	exit 1
}
awk -v n="$n" -v s="$separate" -v b="$batch" 'BEGIN {
	printf "cmdguard: %d commands, %d separate runs %.3f s (%.0f us each)\n",
	    n, n, s / 1e9, s / n / 1e3
	printf "cmdguard: one --batch run %.3f s (%.0f us each)\n",
	    b / 1e9, b / n / 1e3
	printf "cmdguard: batch is %.1fx faster than separate runs\n", s / b
}'
