#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: sed's l command, which shows a line unambiguously:
# octal escapes past ASCII (\303\274), \t and the like, \\, quotes as they
# are, and a $ at its end; unfolded (l 0) and folded at 70 with a \. And
# cat -v and -A (M-CM-< for a byte past ASCII, ^X for a control).
set -euo pipefail
echo "FORMS-MARKER sed_l"
IFS=, read -ra names <<<"$FORMS_NAMES"
# (each value written once to a private temporary file that the
# commands read: a pipe from printf for each cost a process more)
value=$(mktemp)
trap 'rm -f "$value"' EXIT
for name in "${names[@]}"; do
	printf '%s\n' "${!name}" >"$value"
	sed -n 'l 0' <"$value"
	sed -n l <"$value"
	cat -v <"$value"
	cat -A <"$value"
done
