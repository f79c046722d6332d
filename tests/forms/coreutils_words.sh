#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: dumps of wider little-endian words (od -X and
# -t x8, hexdump -x, xxd -e, whose text column must agree), and bits
# (xxd -b, 12 bytes a row).
set -euo pipefail
echo "FORMS-MARKER coreutils_words"
IFS=, read -ra names <<<"$FORMS_NAMES"
# (each value written once to a private temporary file that the
# commands read: a pipe from printf for each cost a process more)
value=$(mktemp)
trap 'rm -f "$value"' EXIT
for name in "${names[@]}"; do
	printf '%s' "${!name}" >"$value"
	od -X <"$value"
	od -An -t x8 <"$value"
	hexdump -x <"$value"
	xxd -e <"$value"
	xxd -b -c 12 <"$value"
done
