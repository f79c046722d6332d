# SPDX-License-Identifier: ISC
# A local HTTPS fixture server for the remote-backend tests: a test CA and
# certificates made now, the server on loopback, its ports read back.
# shellcheck shell=bash disable=SC2034,SC2154 # sets and reads bats variables

# tls_server_start SCRIPT: in setup_file; the server writes its ports.
tls_server_start() {
	local dir="$BATS_FILE_TMPDIR" i
	"$BATS_TEST_DIRNAME/fixtures/tls/mkcerts.sh" "$dir/certs"
	python3 "$1" "$dir/certs" "$dir/ports" >"$dir/server.log" 2>&1 3>&- &
	echo $! >"$dir/server.pid"
	for ((i = 0; i < 600; i++)); do
		[[ -s "$dir/ports" ]] && break
		sleep 0.05
	done
	[[ -s "$dir/ports" ]] || {
		cat "$dir/server.log" >&2
		return 1
	}
}

# tls_server_stop: in teardown_file.
tls_server_stop() {
	kill "$(cat "$BATS_FILE_TMPDIR/server.pid")" 2>/dev/null || true
}

# tls_server_ports: in setup; sets HTTPS_PORT, WRONG_PORT (a certificate
# for another host), HTTP_PORT and CERTS.
tls_server_ports() {
	local ports
	read -r ports <"$BATS_FILE_TMPDIR/ports" || [[ -n $ports ]]
	HTTPS_PORT="${ports#https=}" && HTTPS_PORT="${HTTPS_PORT%% *}"
	WRONG_PORT="${ports#*wrong=}" && WRONG_PORT="${WRONG_PORT%% *}"
	HTTP_PORT="${ports#*http=}"
	CERTS="$BATS_FILE_TMPDIR/certs"
}
