#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# The timed commands are strings for bash -c, with exported variables.
# shellcheck disable=SC2016
# make bench-redact: redact's throughput against cat and against a naive
# per-pattern replace loop on one log-like corpus, on near misses, no mask
# on secret-free text, its peak memory on 1 GiB of input, the time
# and memory to load 100 to 10,000 values, and the corpus masked with
# 10,000 values loaded.
# usage: redact_bench.sh REDACT CORPUS_TOOL NAIVE
set -euo pipefail

redact=$(realpath "$1")
corpus_tool=$(realpath "$2")
naive=$(realpath "$3")
mb=${BENCH_MB:-100}
runs=${BENCH_RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/redact-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/bench/timing.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/timing.sh"

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
# The naive loop on a tenth of the corpus: enough to show the ratio.
head -c $((mb * 100000)) "$corpus" >"$work/slice"
export slice="$work/slice"
naive_t=$(best naive 1 '"$naive" "$names" <"$slice" 2>/dev/null' | cut -d' ' -f2)
slice_t=$(best redact-slice "$runs" '"$redact" -e "$names" <"$slice" >/dev/null' | cut -d' ' -f2)
masks=$("$redact" -e "$names" --stats "$work/stats" <"$corpus" | grep -c REDACTED || true)

# head closes the pipe after 1 GiB: the loop's SIGPIPE is expected.
rss=$( { { for _ in $(seq $((1024 / mb + 1))); do cat "$corpus"; done || :; } |
	head -c 1073741824 |
	/usr/bin/time -f %M "$redact" -e "$names" >/dev/null; } 2>&1 | tail -1)

# Near misses: a value's first 10 bytes, and a value minus its last
# byte, repeated.
first=$(head -1 "$work/env" | cut -d= -f2-)
first=${first:0:10}
third=$(sed -n 3p "$work/env" | cut -d= -f2-)
third=${third%?}
yes "$first" | tr -d '\n' | head -c $((mb * 1000000)) >"$work/near10" || :
yes "$third" | tr -d '\n' | head -c $((mb * 1000000)) >"$work/nearlast" || :
export near10="$work/near10" nearlast="$work/nearlast"
near10_t=$(best near10 "$runs" 'cat "$near10" | "$redact" -e "$names" >/dev/null' | cut -d' ' -f2)
nearlast_t=$(best nearlast "$runs" 'cat "$nearlast" | "$redact" -e "$names" >/dev/null' | cut -d' ' -f2)
rm -f "$work/near10" "$work/nearlast"

# Bordered text: Markdown table rows and lines of box-drawing borders
# alone (a border at a line's ends may be a gap: the filter reads around
# each such border).
awk 'BEGIN { for (i = 0; ; i++) {
	printf "| row %d | value %d | ok |\n", i, i * 7
	if (i % 3 == 0)
		printf "\342\224\202 \342\224\202 \342\224\202 \342\224\202 \342\224\202\n"
	} }' | head -c $((mb * 1000000)) >"$work/borders" || :
export borders="$work/borders"
borders_t=$(best borders "$runs" 'cat "$borders" | "$redact" -e "$names" >/dev/null' | cut -d' ' -f2)
rm -f "$work/borders"

# Indented text: objects as json.dumps(indent=2) prints them, a short
# indented line each field (a line's indent may stand inside a match,
# and the dump views try an indented line as od's fields).
awk 'BEGIN { for (i = 0; ; i++)
	printf "  {\n    \"id\": %d,\n    \"name\": \"item %d\",\n    \"tags\": [\n      \"a\",\n      \"b\"\n    ],\n    \"meta\": {\n      \"ok\": true,\n      \"score\": 0.%05d\n    }\n  },\n", i, i, i * 7919 % 100000
	}' | head -c $((mb * 1000000)) >"$work/indented" || :
export indented="$work/indented"
indented_t=$(best indented "$runs" 'cat "$indented" | "$redact" -e "$names" >/dev/null' | cut -d' ' -f2)
rm -f "$work/indented"

# Secret-free text (this tree's C sources, log lines, base64 and hex of
# random bytes) with the 100 values loaded: no mask at all.
{
	for _ in $(seq $((mb / 2 + 1))); do
		cat "$(dirname "$0")"/../../src/*/*.c
		head -c 200000 /dev/urandom | base64
		head -c 100000 /dev/urandom | xxd -p
		awk 'BEGIN { for (i = 0; i < 20000; i++)
			printf "2026-12-03T20:00:00Z INFO req=%d path=/api/v1/items status=200 ms=%d\n", i, i % 97 }'
	done || :
} | head -c $((mb * 1000000)) >"$work/clean" || :
"$redact" -e "$names" --stats "$work/clean.stats" <"$work/clean" >/dev/null
clean_masks=$(jq '[.masks[]] | add' "$work/clean.stats")
rm -f "$work/clean"

# Set-up: CPU seconds (user + system of redact alone, the median of
# RUNS: bash's times counts in milliseconds, where time(1) counted in
# hundredths, as much as a third of the load of 100 values) to load N
# values of MIN to MAX bytes and mask nothing, and the peak RSS of the
# last run.
# load_values N MIN MAX RUNS
load_values() {
	local n=$1 lo=$2 hi=$3 rss t
	awk -v n="$n" -v lo="$lo" -v hi="$hi" 'BEGIN {
		srand(n); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		for (i = 0; i < n; i++) {
			len = lo + int(rand() * (hi - lo + 1)); v = ""
			for (k = 0; k < len; k++) v = v substr(a, 1 + int(rand() * 62), 1)
			printf "L%d=%s\n", i, v
		} }' >"$work/load.env"
	for _ in $(seq "$4"); do
		read -r t rss < <(
			set -a
			# shellcheck disable=SC1091
			. "$work/load.env"
			set +a
			names=$(cut -d= -f1 "$work/load.env" | paste -sd,)
			# times, into files (in a pipe it would run in a
			# child): the shell's own line, then its children's,
			# before and after the one run
			times >"$work/times0"
			/usr/bin/time -o "$work/rss" -f '%M' "$redact" -e "$names" \
				</dev/null >/dev/null 2>&1
			times >"$work/times1"
			tail -q -n 1 "$work/times0" "$work/times1" |
				awk -v rss="$(tail -1 "$work/rss")" '
				{ split($1, u, /[ms]/); split($2, s, /[ms]/)
				  t[NR] = u[1] * 60 + u[2] + s[1] * 60 + s[2] }
				END { printf "%.4f %d\n", t[2] - t[1], rss }')
		echo "$t" >>"$work/load.times"
	done
	printf '%s %s\n' "$(median <"$work/load.times")" "$rss"
	rm -f "$work/load.times"
}
# One value: the fixed cost of a run (start, libsodium, secure memory),
# taken off the others for the ratios per value.
read -r l1 _ < <(load_values 1 20 60 15)
read -r l100 _ < <(load_values 100 20 60 15)
read -r l1000 _ < <(load_values 1000 20 60 5)
read -r l10000 rss10000 < <(load_values 10000 20 60 1)
read -r f100 _ < <(load_values 100 40 40 15)
read -r f1000 _ < <(load_values 1000 40 40 5)

# Masking the corpus with 10,000 values loaded (its 100 and 9,900 more
# of 20-60 bytes) against the 100 alone, set-up included. Both pipelines
# are timed in a shell that already holds the values: a `bash -c` would
# first import 10,000 exported variables itself (0.5 to 0.8 s here,
# more than redact's load), which is the timing shell's cost, not the
# masking's. The 100 values' time is taken the same way, in turn with
# the 10,000's, so the ratio compares like with like.
awk 'BEGIN {
	srand(9900); a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	for (i = 0; i < 9900; i++) {
		len = 20 + int(rand() * 41); v = ""
		for (k = 0; k < len; k++) v = v substr(a, 1 + int(rand() * 62), 1)
		printf "M%d=%s\n", i, v
	} }' | cat "$work/env" - >"$work/many.env"
# pipe_time NAMES: wall seconds of cat CORPUS | redact -e NAMES, run in
# this shell
pipe_time() {
	local start end
	start=$EPOCHREALTIME
	# through a pipe, as the other figures: cat's time is the reference
	# shellcheck disable=SC2002
	cat "$corpus" | "$redact" -e "$1" >/dev/null
	end=$EPOCHREALTIME
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", e - s }'
}
read -r few_t many_t < <(
	# the 9,900 as variables of this shell, exported only around the
	# pipelines that name them
	# shellcheck disable=SC1090
	. <(tail -n +101 "$work/many.env")
	mapfile -t more < <(tail -n +101 "$work/many.env" | cut -d= -f1)
	many_names=$(cut -d= -f1 "$work/many.env" | paste -sd,)
	for _ in $(seq "$runs"); do
		pipe_time "$names" >>"$work/few.times"
		export "${more[@]}"
		pipe_time "$many_names" >>"$work/many.times"
		export -n "${more[@]}"
	done
	echo "$(sort -n "$work/few.times" | head -1) $(sort -n "$work/many.times" | head -1)"
)
load=$(cut -d' ' -f1-3 /proc/loadavg)
awk -v runs="$runs" -v loadavg="$load" -v mb="$mb" -v c="$cat_t" -v r="$redact_t" -v w="$raw_t" -v n="$naive_t" \
	-v rss="$rss" -v masks="$masks" -v s="$slice_t" -v n10="$near10_t" -v nl="$nearlast_t" -v bd="$borders_t" -v ind="$indented_t" \
	-v clean="$clean_masks" -v l100="$l100" -v l1000="$l1000" -v l10000="$l10000" \
	-v rss10000="$rss10000" -v l1="$l1" -v f100="$f100" -v f1000="$f1000" -v many="$many_t" -v few="$few_t" 'BEGIN {
	printf "corpus: %d MB, 100 secrets, %d masked lines\n", mb, masks
	printf "best of %d runs; load average %s\n", runs, loadavg
	printf "cat | cat             %6.3f s  %7.0f MB/s\n", c, mb / c
	printf "cat | redact (all)    %6.3f s  %7.0f MB/s  %.2fx cat\n", r, mb / r, c / r
	printf "cat | redact (raw)    %6.3f s  %7.0f MB/s  %.2fx cat\n", w, mb / w, c / w
	printf "naive replace loop    %6.3f s  %7.1f MB/s  redact is %.0fx faster (on %.1f MB)\n", n, mb / 10 / n, n / s, mb / 10
	printf "near miss, 10 bytes   %6.3f s  %7.0f MB/s  %.2fx cat'"'"'s time\n", n10, mb / n10, n10 / c
	printf "near miss, all but 1  %6.3f s  %7.0f MB/s  %.2fx cat'"'"'s time\n", nl, mb / nl, nl / c
	printf "bordered lines        %6.3f s  %7.0f MB/s  %.2fx cat'"'"'s time\n", bd, mb / bd, bd / c
	printf "indented JSON         %6.3f s  %7.0f MB/s  %.2fx cat'"'"'s time\n", ind, mb / ind, ind / c
	printf "secret-free %d MB     %d masks\n", mb, clean
	printf "peak RSS, 1 GiB input %6.1f MiB\n", rss / 1024
	printf "load 1 value (the fixed cost)     %6.4f s CPU\n", l1
	printf "load 100 values of 20-60 bytes    %6.4f s CPU\n", l100
	printf "load 1,000                        %6.3f s CPU  %.1fx 100 (%.1fx less 1 value'"'"'s)\n", l1000, l1000 / l100, (l1000 - l1) / (l100 - l1)
	printf "load 10,000                       %6.3f s CPU  %.1fx 1,000 (%.1fx less 1 value'"'"'s), peak %.1f MiB\n", l10000, l10000 / l1000, (l10000 - l1) / (l1000 - l1), rss10000 / 1024
	printf "load 1,000 values of 40 bytes     %6.3f s CPU  %.1fx 100 (%.1fx less 1 value'"'"'s; %.4f s)\n", f1000, f1000 / f100, (f1000 - l1) / (f100 - l1), f100
	printf "cat | redact, 10,000 values       %6.3f s  %.2fx the time with 100 (%.3f s; set-up included)\n", many, many / few, few
	printf "  less the loads'"'"' CPU times above   %6.3f s  %.2fx the time with 100 (about the scan)\n", many - l10000, (many - l10000) / (few - l100)
}'
