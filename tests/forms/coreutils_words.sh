#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: dumps of wider little-endian words (od -X and
# -t x8, hexdump -x, xxd -e, whose text column must agree), and bits
# (xxd -b, 12 bytes a row).
set -euo pipefail
echo "FORMS-MARKER coreutils_words"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	printf '%s' "${!name}" | od -X
	printf '%s' "${!name}" | od -An -t x8
	printf '%s' "${!name}" | hexdump -x
	printf '%s' "${!name}" | xxd -e
	printf '%s' "${!name}" | xxd -b -c 12
done
