#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: declare -p (double quotes with \" \$ \` \\).
set -euo pipefail
echo "FORMS-MARKER bash_declare_p"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	value=${!name}
	declare -p value
done
