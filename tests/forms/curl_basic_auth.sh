#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: curl -v sending each value as a Basic auth password
# ("> Authorization: Basic dXNlcjpzZWNyZXQ=" on stderr) to a server on
# loopback, and --data-urlencode putting it in a query string.
set -euo pipefail
echo "FORMS-MARKER curl_basic_auth"
# shellcheck source=tests/forms/loopback_server.sh
. "$(dirname "$0")/loopback_server.sh"
IFS=, read -ra names <<<"$FORMS_NAMES"
# one curl for each way, sending every value in turn (--next): a curl
# started per request cost most of the form's run
auth=() query=()
for name in "${names[@]}"; do
	auth+=(--next -o /dev/null -u "app:${!name}" "http://127.0.0.1:$port/")
	query+=(--next -o /dev/null -G --data-urlencode "key=${!name}"
		-w '%{url_effective}\n' "http://127.0.0.1:$port/")
done
curl -sv "${auth[@]:1}" 2>&1 | grep -a '^> Authorization' || true
curl -s "${query[@]:1}"
