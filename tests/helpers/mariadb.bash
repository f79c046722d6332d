# SPDX-License-Identifier: ISC
# A throwaway MariaDB server for a test: no network, its socket in a
# directory of its own, root without a password (the test is its only
# client). md_start sets MD_SOCKET and MD_DIR, and creates the database
# "app"; md_stop removes everything. Without the server's programs
# md_start returns 1 with MD_SKIP set to the reason; when the server does
# not start it returns 1 with MD_ERROR set.
# shellcheck shell=bash disable=SC2034 # MD_SKIP, MD_ERROR: read by the tests

md_start() {
	local user i
	MD_SKIP="" MD_ERROR=""
	if ! command -v mariadbd >/dev/null 2>&1 ||
		! command -v mariadb-install-db >/dev/null 2>&1; then
		MD_SKIP="MariaDB's server (mariadbd, mariadb-install-db) not installed"
		return 1
	fi
	user=$(id -un)
	if [[ $EUID -eq 0 ]]; then
		id -u mysql >/dev/null 2>&1 || {
			MD_SKIP="running as root without a mysql account"
			return 1
		}
		user=mysql
	fi
	# reachable by its owner: not under a private test directory of root's
	MD_DIR=$(mktemp -d /tmp/secenv-md.XXXXXX)
	chmod 0755 "$MD_DIR"
	mkdir -m 0700 "$MD_DIR/data"
	[[ $user == "$(id -un)" ]] || chown "$user" "$MD_DIR/data"
	MD_SOCKET=$MD_DIR/data/socket
	mariadb-install-db --user="$user" --datadir="$MD_DIR/data" \
		--auth-root-authentication-method=normal --skip-test-db \
		>"$MD_DIR/install.log" 2>&1 || {
		MD_ERROR="mariadb-install-db failed: $(tail -5 "$MD_DIR/install.log")"
		return 1
	}
	# setsid: out of the test's process group, stopped by md_stop
	setsid mariadbd --no-defaults --user="$user" --datadir="$MD_DIR/data" \
		--skip-networking --socket="$MD_SOCKET" --pid-file="$MD_DIR/data/pid" \
		--skip-log-bin --innodb-buffer-pool-size=8M --log-error="$MD_DIR/server.log" \
		</dev/null >/dev/null 2>&1 &
	for ((i = 0; i < 200; i++)); do
		mariadb --no-defaults -S "$MD_SOCKET" -uroot -e "CREATE DATABASE app" 2>/dev/null && break
		sleep 0.05
	done
	((i < 200)) || {
		MD_ERROR="MariaDB did not start: $(tail -5 "$MD_DIR/server.log" 2>/dev/null)"
		return 1
	}
	export MD_DIR MD_SOCKET
}

md_stop() {
	[[ -n ${MD_DIR:-} && -d $MD_DIR ]] || return 0
	[[ -s $MD_DIR/data/pid ]] && kill "$(cat "$MD_DIR/data/pid")" 2>/dev/null
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -e $MD_SOCKET ]] || break
		sleep 0.05
	done
	rm -rf -- "$MD_DIR"
	MD_DIR=
}
