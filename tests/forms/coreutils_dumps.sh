#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: od -x and hexdump's default (the bytes as 16-bit
# little-endian words, so each pair swapped), od -t u1 and -t d1 (the
# bytes in decimal, signed for d1), xxd -i (a C array: 0x73, 0x6b, ...)
# and base32, plain and wrapped.
set -euo pipefail
echo "FORMS-MARKER coreutils_dumps"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	printf '%s' "${!name}" | od -x
	printf '%s' "${!name}" | hexdump
	printf '%s' "${!name}" | od -An -tu1
	printf '%s' "${!name}" | od -td1
	printf '%s' "${!name}" | xxd -i
	printf '%s' "${!name}" | base32
	printf '%s' "${!name}" | base32 -w 0
	echo
done
