#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: grep --color=always matching a stretch inside each
# value: colour sequences between the value's characters.
set -euo pipefail
echo "FORMS-MARKER grep_color"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	value=${!name}
	value=${value%%[$'\r\n']*}
	# a few letters from the middle of the first line
	for ((i = ${#value} / 2; i < ${#value}; i++)); do
		[[ ${value:i:3} =~ ^[A-Za-z0-9]{3}$ ]] && break
	done
	LC_ALL=C.UTF-8 grep -a --color=always -F -e "${value:i:3}" <<<"$name: $value" || true
done
