#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: curl -v sending each value as a bearer token
# ("> Authorization: Bearer ..." on stderr) and as a custom header to a
# server on loopback.
set -euo pipefail
echo "FORMS-MARKER curl_bearer"
# shellcheck source=tests/forms/loopback_server.sh
. "$(dirname "$0")/loopback_server.sh"
IFS=, read -ra names <<<"$FORMS_NAMES"
# every request by one curl, one after another (--next; a curl started
# per request cost most of the form's run)
requests=()
for name in "${names[@]}"; do
	# a header ends at a line break: curl sends a multi-line value's
	# first line
	requests+=(--next -sv -o /dev/null -H "Authorization: Bearer ${!name}"
		-H "X-Api-Key: ${!name}" "http://127.0.0.1:$port/")
done
curl "${requests[@]:1}" 2>&1 | grep -a -e '^> Authorization' -e '^> X-Api-Key' || true
