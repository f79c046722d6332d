#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# vaultfetch -B exec:PATH: the helper protocol, with the example helper
# (tests/fixtures/exec/json-file-helper) and one that answers badly.
bats_require_minimum_version 1.5.0
load helpers/common

setup_file() {
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

setup() {
	secenv_test_env init
	export SECENV_EXAMPLE_STORE="$BATS_TEST_TMPDIR/store"
	mkdir -p "$SECENV_EXAMPLE_STORE"
	GOOD="$FIXTURES/exec/json-file-helper"
	BAD="$FIXTURES/exec/misbehaving-helper"
	export SECENV_BACKEND="exec:$GOOD"
}

show() {
	local project="$1"
	shift
	vaultfetch fetch --no-cache "$project" >"$BATS_TEST_TMPDIR/blob" &&
		envinject -b "$BATS_TEST_TMPDIR/blob" -p "$project" -- printenv "$@"
}

stderr_has() {
	[[ "${stderr:-}" == *"$1"* ]] || fail "stderr lacks '$1': ${stderr:-}"
}

# bad MODE ARGS...: run vaultfetch with the misbehaving helper in MODE.
bad() {
	local mode="$1"
	shift
	HELPER_MODE="$mode" SECENV_BACKEND="exec:$BAD" \
		run --separate-stderr vaultfetch "$@"
}

@test "put, fetch, list, rm through the example helper" {
	run --separate-stderr vaultfetch put app DB_PASSWORD <<<"db-pass-Ee9r"
	assert_success
	refute_secret db-pass-Ee9r
	printf 'line one\nline "two" \\ \xc3\xa4\n' | vaultfetch put --raw app MULTI
	run --separate-stderr show app DB_PASSWORD MULTI
	assert_success
	assert_output "db-pass-Ee9r
line one
line \"two\" \\ $(printf '\xc3\xa4')"
	run --separate-stderr vaultfetch list app
	assert_success
	assert_equal "$(cut -f1 <<<"$output")" "DB_PASSWORD
MULTI"
	refute_secret db-pass-Ee9r
	run --separate-stderr vaultfetch rm app MULTI
	assert_success
	run --separate-stderr vaultfetch list app
	assert_equal "$(cut -f1 <<<"$output")" "DB_PASSWORD"
	run --separate-stderr vaultfetch rm app MULTI
	assert_failure 100
	stderr_has "no secret MULTI in project app"
}

@test "the helper is given the value on stdin, never in its arguments" {
	# A wrapper that records its arguments around the example helper.
	cat >"$BATS_TEST_TMPDIR/spy" <<EOF
#!/usr/bin/env bash
printf '%s\n' "\$*" >>"$BATS_TEST_TMPDIR/argv"
exec "$GOOD" "\$@"
EOF
	chmod +x "$BATS_TEST_TMPDIR/spy"
	export SECENV_BACKEND="exec:$BATS_TEST_TMPDIR/spy"
	vaultfetch put app TOKEN <<<"spy-value-Tt3"
	run --separate-stderr show app TOKEN
	assert_output spy-value-Tt3
	run cat "$BATS_TEST_TMPDIR/argv"
	assert_output "put app TOKEN
get app"
}

@test "an empty project is an empty set" {
	run --separate-stderr vaultfetch list nothing
	assert_success
	assert_output ""
}

@test "the helper's stderr is passed on" {
	HELPER_MODE=stderr SECENV_BACKEND="exec:$BAD" \
		run --separate-stderr vaultfetch fetch --no-cache p1
	assert_success
	stderr_has "helper: talking to the vault"
	refute_secret helper-secret-Qw7x
}

@test "an answer that is not JSON is refused, the value not shown" {
	bad notjson fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: answer is not JSON"
}

@test "truncated JSON is refused, the value not shown" {
	bad truncated fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: answer is not JSON"
}

@test "an array is refused: an object of names is expected" {
	bad array fetch --no-cache p1
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: answer is an array, not a JSON object of names to strings"
	refute_secret helper-secret-Qw7x
}

@test "a non-string value is refused with its name" {
	bad number fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: value of PORT is a number, not a string"
	refute_secret helper-secret-Qw7x
}

@test "an invalid name is refused by position, never quoted" {
	bad badname fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: key 2 is not a valid variable name"
	refute_secret helper-secret-Qw7x
}

@test "a failing helper: status 111, its message passed on" {
	bad fail fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "helper: vault unreachable
vaultfetch: exec: $BAD get: exited with status 1"
}

@test "a helper without a verb (exit 4) is refused as unsupported" {
	bad unsupported rm p1 NAME
	assert_failure 100
	assert_equal "$stderr" "vaultfetch: exec: $BAD does not support rm"
}

@test "a helper killed by a signal: status 111" {
	bad signal fetch --no-cache p1
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: killed by signal 15"
}

@test "a helper that never answers is killed after SECENV_EXEC_TIMEOUT" {
	HELPER_MODE=hang SECENV_EXEC_TIMEOUT=1 SECENV_BACKEND="exec:$BAD" \
		run --separate-stderr vaultfetch fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: did not finish within 1 s (SECENV_EXEC_TIMEOUT)"
}

@test "an answer over 16 MiB is refused" {
	bad huge fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: answer over 16777216 bytes"
}

@test "the helper must be named by a path, and be executable" {
	SECENV_BACKEND=exec:json-file-helper run --separate-stderr vaultfetch list p1
	assert_failure 100
	stderr_has "must be a path"
	SECENV_BACKEND="exec:$BATS_TEST_TMPDIR/missing" run --separate-stderr vaultfetch list p1
	assert_failure 100
	stderr_has "No such file or directory"
	SECENV_BACKEND="exec:$FIXTURES/exec/../exec/json-file-helper" \
		run --separate-stderr vaultfetch list p1
	assert_success
	SECENV_EXEC_TIMEOUT=soon run --separate-stderr vaultfetch list p1
	assert_failure 100
	stderr_has "SECENV_EXEC_TIMEOUT"
}

@test "import: one helper put per name" {
	printf 'ALPHA=alpha-value-1\nBETA=beta-value-2\n' >"$BATS_TEST_TMPDIR/app.env"
	run --separate-stderr vaultfetch import app "$BATS_TEST_TMPDIR/app.env"
	assert_success
	run --separate-stderr show app ALPHA BETA
	assert_success
	assert_output "alpha-value-1
beta-value-2"
}

@test "a helper that answers but never exits is killed after SECENV_EXEC_TIMEOUT" {
	HELPER_MODE=linger SECENV_EXEC_TIMEOUT=1 SECENV_BACKEND="exec:$BAD" \
		run --separate-stderr vaultfetch fetch --no-cache p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: exec: $BAD get: did not finish within 1 s (SECENV_EXEC_TIMEOUT)"
}

@test "exit 5 (credentials refused) never falls back to a cached blob; a plain failure may" {
	HELPER_MODE=stderr SECENV_BACKEND="exec:$BAD" vaultfetch fetch p1 >/dev/null 2>&1
	# The cached blob is stale (--cache-ttl 0) but within --max-stale.
	bad fail fetch --cache-ttl 0 --max-stale 3600 p1
	assert_success
	bad denied fetch --cache-ttl 0 --max-stale 3600 p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "helper: token expired
vaultfetch: exec: $BAD get: the vault refused the credentials"
	bad fail fetch --cache-ttl 0 --max-stale 3600 p1
	assert_failure 111 # the refusal deleted the cached blob
}
