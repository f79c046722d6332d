#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: sed's l command, which shows a line unambiguously:
# octal escapes past ASCII (\303\274), \t and the like, \\, quotes as they
# are, and a $ at its end; unfolded (l 0) and folded at 70 with a \. And
# cat -v and -A (M-CM-< for a byte past ASCII, ^X for a control).
set -euo pipefail
echo "FORMS-MARKER sed_l"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	printf '%s\n' "${!name}" | sed -n 'l 0'
	printf '%s\n' "${!name}" | sed -n l
	printf '%s\n' "${!name}" | cat -v
	printf '%s\n' "${!name}" | cat -A
done
