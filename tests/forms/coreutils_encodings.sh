#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: base64(1) and xxd -p, both wrapped over lines.
set -euo pipefail
echo "FORMS-MARKER coreutils_encodings"
IFS=, read -ra names <<<"$FORMS_NAMES"
# (each value written once to a private temporary file that the
# commands read: a pipe from printf for each cost a process more)
value=$(mktemp)
trap 'rm -f "$value"' EXIT
for name in "${names[@]}"; do
	printf '%s' "${!name}" >"$value"
	base64 <"$value"
	base64 -w 0 <"$value" | tr '+/' '-_'
	echo
	xxd -p <"$value"
done
