#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The timed commands are strings for bash -c, with exported variables.
# shellcheck disable=SC2016
# make bench-redact: redact's throughput against cat and against a naive
# per-pattern replace loop on one log-like corpus, and its peak memory
# on 1 GiB of input. usage: redact_bench.sh REDACT CORPUS_TOOL NAIVE
set -euo pipefail

redact=$(realpath "$1")
corpus_tool=$(realpath "$2")
naive=$(realpath "$3")
mb=${BENCH_MB:-100}
runs=${BENCH_RUNS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/redact-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$corpus_tool" $((mb * 1000000)) "$work/env" 100 >"$work/corpus"
set -a
# shellcheck disable=SC1091
. "$work/env"
set +a
names=$(cut -d= -f1 "$work/env" | paste -sd,)
export names corpus="$work/corpus" redact naive

# best NAME N COMMAND: the best wall time of N runs, in seconds.
best() {
	local name="$1" n="$2" cmd="$3" t best=
	for _ in $(seq "$n"); do
		local start end
		start=$(date +%s%N)
		bash -c "$cmd" >/dev/null
		end=$(date +%s%N)
		t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", (e - s) / 1e9 }')
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t
		fi
	done
	printf '%s %s\n' "$name" "$best"
}

cat_t=$(best cat "$runs" 'cat "$corpus" | cat >/dev/null' | cut -d' ' -f2)
redact_t=$(best redact "$runs" 'cat "$corpus" | "$redact" -e "$names" >/dev/null' | cut -d' ' -f2)
raw_t=$(best redact-raw "$runs" 'cat "$corpus" | "$redact" --no-encodings -e "$names" >/dev/null' | cut -d' ' -f2)
naive_t=$(best naive 1 '"$naive" "$names" <"$corpus" 2>/dev/null' | cut -d' ' -f2)
masks=$("$redact" -e "$names" --stats "$work/stats" <"$corpus" | grep -c REDACTED || true)

# head closes the pipe after 1 GiB: the loop's SIGPIPE is expected.
rss=$( { { for _ in $(seq $((1024 / mb + 1))); do cat "$corpus"; done || :; } |
	head -c 1073741824 |
	/usr/bin/time -f %M "$redact" -e "$names" >/dev/null; } 2>&1 | tail -1)

load=$(cut -d' ' -f1-3 /proc/loadavg)
awk -v runs="$runs" -v load="$load" -v mb="$mb" -v c="$cat_t" -v r="$redact_t" -v w="$raw_t" -v n="$naive_t" \
	-v rss="$rss" -v masks="$masks" 'BEGIN {
	printf "corpus: %d MB, 100 secrets, %d masked lines\n", mb, masks
	printf "best of %d runs; load average %s\n", runs, load
	printf "cat | cat             %6.3f s  %7.0f MB/s\n", c, mb / c
	printf "cat | redact (all)    %6.3f s  %7.0f MB/s  %.2fx cat\n", r, mb / r, c / r
	printf "cat | redact (raw)    %6.3f s  %7.0f MB/s  %.2fx cat\n", w, mb / w, c / w
	printf "naive replace loop    %6.3f s  %7.0f MB/s  redact is %.0fx faster\n", n, mb / n, n / r
	printf "peak RSS, 1 GiB input %6.1f MiB\n", rss / 1024
}'
