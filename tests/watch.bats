#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv run --watch: the command is stopped and started again with the new
# values when the project's secrets change, here or at a remote backend;
# each restart is recorded, and no value, old or new, is ever shown.
# shellcheck disable=SC2016 # single-quoted scripts expand their own $1, $2
# shellcheck disable=SC2030,SC2031 # each test sets its backend for itself

bats_require_minimum_version 1.5.0
load helpers/common

setup_file() {
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

setup() {
	secenv_test_env init
	secenv_user_env
	FIRST=sk_test_Fw8vQ3nR5tY1uI7oP2aS
	SECOND=sk_test_Sx4mK9pL2wE6rT0yU3iO
	MASKED='sk_test_***REDACTED***'
	WT="$FIXTURES/watch"
	OUT="$BATS_TEST_TMPDIR/out"
	ERR="$BATS_TEST_TMPDIR/err"
}

teardown() {
	if [[ -n ${RUN_PID:-} ]] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -TERM "$RUN_PID" 2>/dev/null || true
		wait "$RUN_PID" 2>/dev/null || true
	fi
}

sha256() {
	printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# until_answer PORT TEXT: poll the server until it answers TEXT; fail
# after 30 s (a bound, not a measure)
until_answer() {
	local tries=0 got=""
	until [[ $got == "$2" ]]; do
		((tries++ < 600)) || fail "the server never answered $2 (last: $got)"
		pause 0.05
		got=$(curl -s --max-time 2 "http://127.0.0.1:$1/" || true)
	done
}

# until_records EVENT COUNT: wait until the audit log holds COUNT records
# of EVENT; fail after 30 s
until_records() {
	local tries=0
	until [[ $(jq -c "select(.event == \"$1\")" "$SECENV_HOME/audit.log" 2>/dev/null | wc -l) -ge $2 ]]; do
		((tries++ < 600)) || fail "never $2 $1 record(s)"
		pause 0.05
	done
}

# until_started COUNT: wait until the command said "started" COUNT times;
# fail after 30 s
until_started() {
	local tries=0
	until [[ $(grep -c started "$OUT") -ge $1 ]]; do
		((tries++ < 600)) || fail "the command never started $1 time(s)"
		pause 0.05
	done
}

# start_server PROJECT PORT: key_server.py under `secenv run --watch`, in
# the background
start_server() {
	secenv run -p "$1" --watch -t 600 -- \
		python3 "$WT/key_server.py" KEY "$2" "$BATS_TEST_TMPDIR/state" >"$OUT" 2>"$ERR" &
	RUN_PID=$!
}

stop_run() {
	local status=0
	kill -TERM "$RUN_PID"
	wait "$RUN_PID" || status=$?
	assert_equal "$status" 143
}

@test "--watch: after secenv set the server answers with the new key; neither key is ever shown" {
	local port
	port=$(free_port)
	secenv_put p1 KEY "$FIRST"
	start_server p1 "$port"
	until_answer "$port" "$(sha256 "$FIRST")"

	secenv_put p1 KEY "$SECOND"
	until_answer "$port" "$(sha256 "$SECOND")"
	stop_run

	# the second server printed its own key and the first one's
	assert_equal "$(cat "$OUT")" "$(printf 'key: %s\nprevious key: %s\nkey: %s' "$MASKED" "$MASKED" "$MASKED")"
	assert_equal "$(head -1 "$ERR")" \
		"secenv: run: the secrets of p1 changed; the command was stopped (status 143) and starts again"
	run grep -cF -e "$FIRST" -e "$SECOND" "$OUT" "$ERR" "$SECENV_HOME/audit.log"
	assert_output "$(printf '%s:0\n' "$OUT" "$ERR" "$SECENV_HOME/audit.log")"
	# one restart record (the first command's masks, how it ended), then
	# the run's (the last command's)
	run jq -c 'select(.event == "restart" or (.event == "run" and .intent == null)) | [.event, .reason, .exit, .masks, .secrets]' \
		"$SECENV_HOME/audit.log"
	assert_output "$(printf '%s\n' '["restart","secrets changed",143,{"KEY":1},["KEY"]]' \
		'["run",null,143,{"KEY":2},["KEY"]]')"
}

@test "--watch: a remote backend is polled; a value changed there restarts the command, the old one stays masked" {
	local port
	port=$(free_port)
	# the exec backend keeps no previous value: the run masks the values
	# it gave earlier commands itself
	export SECENV_EXAMPLE_STORE="$BATS_TEST_TMPDIR/vault"
	export SECENV_BACKEND="exec:$FIXTURES/exec/json-file-helper"
	export SECENV_WATCH_INTERVAL=1 SECENV_CACHE_TTL=0
	mkdir -p "$SECENV_EXAMPLE_STORE"
	jq -n --arg v "$FIRST" '{KEY: $v}' >"$SECENV_EXAMPLE_STORE/p1.json"
	start_server p1 "$port"
	until_answer "$port" "$(sha256 "$FIRST")"

	# changed at the vault, not through secenv
	jq -n --arg v "$SECOND" '{KEY: $v}' >"$SECENV_EXAMPLE_STORE/p1.json"
	until_answer "$port" "$(sha256 "$SECOND")"
	stop_run

	assert_equal "$(cat "$OUT")" "$(printf 'key: %s\nprevious key: %s\nkey: %s' "$MASKED" "$MASKED" "$MASKED")"
	run grep -cF -e "$FIRST" -e "$SECOND" "$OUT" "$ERR" "$SECENV_HOME/audit.log"
	assert_output "$(printf '%s:0\n' "$OUT" "$ERR" "$SECENV_HOME/audit.log")"
	assert_equal "$(jq -c 'select(.event == "restart") | .exit' "$SECENV_HOME/audit.log")" 143
}

@test "--watch: secenv rm and secenv import restart the command with the names they leave" {
	secenv_put p1 KEY "$FIRST"
	secenv_put p1 OTHER "$SECOND"
	secenv run -p p1 --watch -t 600 -- 'echo started; sleep 300' >"$OUT" 2>"$ERR" &
	RUN_PID=$!
	until_started 1

	secenv rm -p p1 OTHER
	until_records restart 1
	printf 'NEW_ONE=%s\n' "$SECOND" >"$BATS_TEST_TMPDIR/.env"
	secenv import -p p1 "$BATS_TEST_TMPDIR/.env" >/dev/null
	until_records restart 2
	until_started 3
	stop_run

	run jq -c 'select(.event == "restart") | .secrets' "$SECENV_HOME/audit.log"
	assert_output "$(printf '%s\n' '["KEY"]' '["KEY","NEW_ONE"]')"
	assert_equal "$(jq -c 'select(.event == "run" and .intent == null) | .secrets' "$SECENV_HOME/audit.log")" '["KEY","NEW_ONE"]'
}

@test "--watch: with nothing changed, a run is a run: the command's status, no restart" {
	secenv_put p1 KEY "$FIRST"
	run --separate-stderr secenv run -p p1 --watch -- 'echo done; exit 5'
	assert_failure 5
	assert_output "done"
	[ -z "$stderr" ]
	assert_equal "$(jq -c 'select(.event == "restart")' "$SECENV_HOME/audit.log")" ""
}

@test "--watch: SECENV_WATCH_INTERVAL must be a number of seconds" {
	export SECENV_EXAMPLE_STORE="$BATS_TEST_TMPDIR/vault"
	export SECENV_BACKEND="exec:$FIXTURES/exec/json-file-helper"
	mkdir -p "$SECENV_EXAMPLE_STORE"
	echo '{"KEY": "sk_test_Fw8vQ3nR5tY1uI7oP2aS"}' >"$SECENV_EXAMPLE_STORE/p1.json"
	SECENV_WATCH_INTERVAL=soon run --separate-stderr secenv run -p p1 --watch -- 'echo never'
	assert_failure 100
	assert_output ""
	assert_equal "$stderr" "secenv: SECENV_WATCH_INTERVAL: not a number of seconds from 1 to 86400: soon"
}
