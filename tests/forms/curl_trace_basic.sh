#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: curl --trace and --trace-ascii of a request with
# basic authentication (-u user:VALUE) to a server on loopback. The
# Authorization header's base64 is cut over the dump's lines, 16 bytes a
# line in hex and as text (--trace) or 64 characters (--trace-ascii): a
# middle line holds nothing but base64 of the value.
set -euo pipefail
echo "FORMS-MARKER curl_trace_basic"
# shellcheck source=tests/forms/loopback_server.sh
. "$(dirname "$0")/loopback_server.sh"
IFS=, read -ra names <<<"$FORMS_NAMES"
# one curl for each way of tracing (an option of the whole run), sending
# every value in turn (--next): a curl started per request cost most of
# the form's run
for trace in --trace --trace-ascii; do
	requests=()
	for name in "${names[@]}"; do
		requests+=(--next -s -o /dev/null -u "user:${!name}" "http://127.0.0.1:$port/")
	done
	# each request's header lines, through the blank line that ends them
	curl "$trace" - "${requests[@]:1}" | sed -En '/^=> Send header/,/^(<=|==)/p'
done
