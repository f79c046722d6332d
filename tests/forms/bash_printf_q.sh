#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: printf %q under LC_ALL=C ($'\303\274') and in UTF-8.
set -euo pipefail
echo "FORMS-MARKER bash_printf_q"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	LC_ALL=C printf '%s: %q\n' "$name" "${!name}"
	LC_ALL=C.UTF-8 printf '%s: %q\n' "$name" "${!name}"
done
