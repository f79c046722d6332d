#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: od -x and hexdump's default (the bytes as 16-bit
# little-endian words, so each pair swapped), od -t u1 and -t d1 (the
# bytes in decimal, signed for d1), xxd -i (a C array: 0x73, 0x6b, ...)
# and base32, plain and wrapped.
set -euo pipefail
echo "FORMS-MARKER coreutils_dumps"
IFS=, read -ra names <<<"$FORMS_NAMES"
# (each value written once to a private temporary file that the
# commands read: a pipe from printf for each cost a process more)
value=$(mktemp)
trap 'rm -f "$value"' EXIT
for name in "${names[@]}"; do
	printf '%s' "${!name}" >"$value"
	od -x <"$value"
	hexdump <"$value"
	od -An -tu1 <"$value"
	od -td1 <"$value"
	xxd -i <"$value"
	base32 <"$value"
	base32 -w 0 <"$value"
	echo
done
