#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: jq -C of each value as a JSON string, and of a JSON
# credential parsed (colours around every key and string).
set -euo pipefail
echo "FORMS-MARKER jq_color"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	echo "$name:"
	jq -C -n --arg v "${!name}" '{value: $v}'
	jq -C . <<<"${!name}" 2>/dev/null || true
done
