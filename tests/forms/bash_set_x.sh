#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: set -x tracing a command that uses the value (stderr).
set -euo pipefail
echo "FORMS-MARKER bash_set_x" >&2
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	value=${!name}
	set -x
	: "$value"
	set +x
done
