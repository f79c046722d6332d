#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: coreutils' shell-escape quoting of a value taken for a
# file name ('p'$'\303\244''ssw', 'a'$'\t''b'): cat's and ls's messages
# under the C locale and in UTF-8, and /usr/bin/printf %q (not bash's).
set -uo pipefail
echo "FORMS-MARKER coreutils_quoting"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	LC_ALL=C cat -- "${!name}" 2>&1
	LC_ALL=C.UTF-8 ls -d -- "${!name}" 2>&1
	LC_ALL=C /usr/bin/printf '%s: %q\n' "$name" "${!name}"
	LC_ALL=C.UTF-8 /usr/bin/printf '%s: %q\n' "$name" "${!name}"
done
exit 0
