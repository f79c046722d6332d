#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: curl -v sending each value as a bearer token
# ("> Authorization: Bearer ..." on stderr) and as a custom header to a
# server on loopback.
set -euo pipefail
echo "FORMS-MARKER curl_bearer"
ports=$(mktemp)
trap 'kill "$server" 2>/dev/null; rm -f "$ports"' EXIT
/usr/bin/python3 -c '
import http.server, sys
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), Ok)
print(s.server_address[1], flush=True)
s.serve_forever()' >"$ports" &
server=$!
until [[ -s $ports ]]; do sleep 0.05; done
port=$(<"$ports")
IFS=, read -ra names <<<"$FORMS_NAMES"
for name in "${names[@]}"; do
	# a header ends at a line break: curl sends a multi-line value's
	# first line
	curl -sv -o /dev/null -H "Authorization: Bearer ${!name}" \
		-H "X-Api-Key: ${!name}" "http://127.0.0.1:$port/" 2>&1 |
		grep -a -e '^> Authorization' -e '^> X-Api-Key' || true
done
