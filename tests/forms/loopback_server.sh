# SPDX-License-Identifier: ISC
# Sourced by the curl forms: a Python HTTP server on loopback that answers
# every GET with 204; sets $port, and stops the server on exit.
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
