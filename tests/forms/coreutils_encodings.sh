#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: base64(1) and xxd -p, both wrapped over lines.
set -euo pipefail
echo "FORMS-MARKER coreutils_encodings"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	printf '%s' "${!name}" | base64
	printf '%s' "${!name}" | base64 -w 0 | tr '+/' '-_'
	echo
	printf '%s' "${!name}" | xxd -p
done
