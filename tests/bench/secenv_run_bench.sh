#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# make bench-secenv: what `secenv run` adds to a command's start.
# secenv_run_bench.sh BINDIR [RUNS]: `secenv run -p P -- true` against
# `sh -c true`, with 20 and with 200 secrets in the local store, auditing
# on and off, and with 200 without masker images (the automaton built at
# every run, where the others read the image the first run wrote), taken
# in turns (one of each per round, so a machine whose load changes weighs
# on all alike); the median of each and its ratio to sh -c true.
set -euo pipefail

bindir=$(cd "$1" && pwd)
runs=${2:-31}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SECENV_HOME=$work/home XDG_RUNTIME_DIR=$work/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"
PATH=$bindir:$PATH
secenv init >/dev/null

# fill PROJECT COUNT: COUNT secrets of 44 characters each, one import
fill() {
	local i
	for ((i = 1; i <= $2; i++)); do
		printf 'SECRET_%03d=bench-value-%03d-%s\n' "$i" "$i" "$(openssl rand -hex 16)"
	done >"$work/$1.env"
	secenv import -p "$1" "$work/$1.env" >/dev/null
}
fill p20 20
fill p200 200

. "$(dirname "${BASH_SOURCE[0]}")/timing.sh"

labels=(base p20 p20_noaudit p200 p200_noaudit p200_built)
one() { # one LABEL: time it once
	case $1 in
	base) time_us sh -c true ;;
	p20 | p200) time_us secenv run -p "$1" -- true ;;
	*_noaudit) AUDIT_SECRET_ACCESS=0 time_us secenv run -p "${1%_noaudit}" -- true ;;
	*_built) SECENV_MASK_IMAGES=0 time_us secenv run -p "${1%_built}" -- true ;;
	esac
}

# warm the blob cache and the page cache
for label in "${labels[@]}"; do one "$label" >/dev/null; done
for ((i = 0; i < runs; i++)); do
	for label in "${labels[@]}"; do
		one "$label" >>"$work/$label.us"
	done
done
declare -A med
for label in "${labels[@]}"; do
	med[$label]=$(median <"$work/$label.us")
done

row() { # row TEXT LABEL
	awk -v t="$1" -v us="${med[$2]}" -v base="${med[base]}" \
		'BEGIN { printf "  %-44s %7.1f ms  %5.1fx\n", t, us / 1000, us / base }'
}
echo "bench-secenv: median of $runs runs each, taken in turns; ratio to sh -c true"
row "sh -c true" base
row "secenv run -p P -- true, 20 secrets" p20
row "  with AUDIT_SECRET_ACCESS=0" p20_noaudit
row "secenv run -p P -- true, 200 secrets" p200
row "  with AUDIT_SECRET_ACCESS=0" p200_noaudit
row "  with SECENV_MASK_IMAGES=0 (built each run)" p200_built
