# SPDX-License-Identifier: ISC
# A throwaway PostgreSQL cluster for the end-to-end tests: loopback only, a
# random free port, a password user authenticated with scram-sha-256.
# pg_start (in setup_file) sets PG_PORT, PG_USER, PG_PASSWORD, PG_DB and
# PG_URL; pg_stop (in teardown_file) removes everything. Without the
# PostgreSQL server binaries pg_start returns 1 with PG_SKIP set to the
# reason (tests then skip with it); when the server fails to start it
# returns 1 with PG_ERROR set (tests then fail with it). Call pg_require
# at the top of each test that needs the cluster.
# shellcheck shell=bash

pg_bindir() {
	local dir
	if command -v pg_config >/dev/null 2>&1; then
		dir=$(pg_config --bindir 2>/dev/null || true)
		[[ -x $dir/initdb && -x $dir/pg_ctl ]] && {
			echo "$dir"
			return
		}
	fi
	for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin /usr/local/pgsql/bin; do
		[[ -x $dir/initdb && -x $dir/pg_ctl ]] && {
			echo "$dir"
			return
		}
	done
	dir=$(command -v initdb 2>/dev/null) || return 1
	echo "${dir%/*}"
}

# pg_as CMD...: run as the cluster's owner (postgres when we are root).
pg_as() {
	if [[ $PG_OWNER == root ]]; then
		"$@"
	else
		runuser -u "$PG_OWNER" -- "$@"
	fi
}

pg_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
	local bindir
	PG_SKIP="" PG_ERROR="" PG_URL=""
	export PG_SKIP PG_ERROR PG_URL
	bindir=$(pg_bindir) || {
		PG_SKIP="PostgreSQL server binaries (initdb, pg_ctl) not installed"
		return 1
	}
	command -v psql >/dev/null 2>&1 || {
		PG_SKIP="psql not installed"
		return 1
	}
	PG_BIN=$bindir
	PG_OWNER=$(id -un)
	if [[ $EUID -eq 0 ]]; then
		id -u postgres >/dev/null 2>&1 || {
			PG_SKIP="running as root without a postgres account"
			return 1
		}
		PG_OWNER=postgres
	fi
	# the data directory must be reachable by its owner: not under a
	# private test directory of root's
	PG_DIR=$(mktemp -d /tmp/secenv-pg.XXXXXX)
	chmod 0755 "$PG_DIR"
	mkdir -m 0700 "$PG_DIR/data" "$PG_DIR/socket"
	[[ $PG_OWNER == "$(id -un)" ]] || chown "$PG_OWNER" "$PG_DIR/data" "$PG_DIR/socket"
	PG_USER=app
	PG_DB=appdb
	PG_PASSWORD=pg-$(openssl rand -hex 12)
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust \
		--auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 ||
		{
			PG_ERROR="initdb failed: $(tail -5 "$PG_DIR/initdb.log")"
			return 1
		}
	for _ in 1 2 3 4 5; do
		PG_PORT=$(pg_free_port)
		if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/data/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/socket -c fsync=off" \
			start >/dev/null 2>&1; then
			break
		fi
		PG_PORT=
	done
	[[ -n $PG_PORT ]] || {
		PG_ERROR="PostgreSQL did not start: $(tail -5 "$PG_DIR/data/server.log" 2>/dev/null)"
		return 1
	}
	pg_as psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/socket" -p "$PG_PORT" -U postgres -d postgres \
		-c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" \
		-c "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null || {
		PG_ERROR="cannot create the test role and database"
		return 1
	}
	PG_URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
	export PG_BIN PG_DIR PG_OWNER PG_PORT PG_USER PG_DB PG_PASSWORD PG_URL
}

# In a test: skip when PostgreSQL is absent, fail when it did not start.
pg_require() {
	[[ -z ${PG_SKIP:-} ]] || skip "$PG_SKIP"
	[[ -z ${PG_ERROR:-} ]] || fail "$PG_ERROR"
	[[ -n ${PG_URL:-} ]] || fail "pg_start was not called"
}

pg_stop() {
	[[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf -- "$PG_DIR"
}
