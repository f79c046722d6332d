#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: git's own quoting of an argument (sq_quote_buf: ' as
# '\'' and ! as '\!'), as git rev-parse --sq-quote prints it and as
# GIT_TRACE's "trace: built-in:" line quotes a command's argv (a URL
# with a password in it, git ls-remote's argument).
set -euo pipefail
echo "FORMS-MARKER git_sq_quote"
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	printf '%s: %s\n' "$name" "$(git rev-parse --sq-quote "${!name}")"
	GIT_TRACE=1 git rev-parse --sq-quote "${!name}" 2>&1 >/dev/null |
		sed -n 's/^.*trace: built-in: /trace: built-in: /p'
done
