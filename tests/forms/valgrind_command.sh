#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: valgrind's "Command:" line, which writes each of the
# client's arguments with a backslash before a blank, \, < and >.
set -euo pipefail
echo "FORMS-MARKER valgrind_command"
IFS=, read -ra names <<<"$FORMS_NAMES"
args=()
for name in "${names[@]}"; do
	args+=("${!name}")
done
valgrind /bin/true "${args[@]}" 2>&1 | grep -a 'Command:'
