#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: strace -x showing a write that holds a byte past
# printable ASCII (every byte of the string then as \xhh), and strace -xx
# (every string so).
set -euo pipefail
echo "FORMS-MARKER strace_hex"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	{ strace -qq -x -e trace=write -s 65536 printf '\001%s' "${!name}" >/dev/null; } 2>&1
	{ strace -qq -xx -e trace=write -s 65536 printf '%s' "${!name}" >/dev/null; } 2>&1
done
