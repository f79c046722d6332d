#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: strace showing a write of the value ("\303\274", "\n").
set -euo pipefail
echo "FORMS-MARKER strace_write"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	{ strace -qq -e trace=write -s 65536 printf '%s' "${!name}" >/dev/null; } 2>&1
done
