#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# vaultfetch -B hcvault against a local Vault KV v2 (tests/fixtures/hcvault).
bats_require_minimum_version 1.5.0
load helpers/common
load helpers/tls-server

setup_file() {
	tls_server_start "$BATS_TEST_DIRNAME/fixtures/hcvault/vaultserver.py"
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

teardown_file() {
	tls_server_stop
}

setup() {
	secenv_test_env init
	tls_server_ports
	unset VAULT_NAMESPACE SECENV_VAULT_MOUNT SECENV_VAULT_PREFIX \
		SECENV_VAULT_TOKEN_FILE SECENV_CA_BUNDLE https_proxy HTTPS_PROXY \
		http_proxy HTTP_PROXY all_proxy ALL_PROXY
	export HOME="$BATS_TEST_TMPDIR" # no ~/.vault-token of the machine
	use_vault "t$BATS_TEST_NUMBER"
}

use_vault() {
	KEY="$1"
	export SECENV_BACKEND=hcvault
	export VAULT_ADDR="https://localhost:$HTTPS_PORT/$KEY"
	export VAULT_CACERT="$CERTS/ca.pem"
	export VAULT_TOKEN=hvs.test-root-token-8d2f
}

counter() {
	curl -sS --cacert "$CERTS/ca.pem" "https://localhost:$HTTPS_PORT/$KEY/_stats" |
		jq -r ".[\"$1\"] // 0"
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

@test "fetch: every name of the KV v2 secret, values exact" {
	run --separate-stderr show demo DATABASE_URL API_KEY UNICODE_VALUE
	assert_success
	assert_output "postgresql://app:vault-pw-Qe3@db.example.com/mydb
api-key-new-Kk90
v$(printf '\xc3\xa4')lue \"q\" \\ $(printf '\xe2\x9c\x93')"
	[[ -z "$stderr" ]]
}

@test "fetch: the previous version's replaced values are kept for redaction, never injected" {
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_success
	vaultfetch fetch --no-cache demo >"$BATS_TEST_TMPDIR/blob"
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/blob" -p demo -- env
	assert_success
	refute_output --partial api-key-old-Yy71
	run --separate-stderr redact -b "$BATS_TEST_TMPDIR/blob" \
		<<<"old key api-key-old-Yy71 and new api-key-new-Kk90"
	assert_success
	refute_secret api-key-old-Yy71
	refute_secret api-key-new-Kk90
	[[ "$(counter version-reads)" -eq 2 ]]
}

@test "list: names only, sorted" {
	run --separate-stderr vaultfetch list demo
	assert_success
	assert_equal "$(cut -f1 <<<"$output")" "API_KEY
DATABASE_URL
UNICODE_VALUE"
	refute_secret api-key-new-Kk90
}

@test "put and rm: new versions with check-and-set, other names kept" {
	run --separate-stderr vaultfetch put demo NEW_ONE <<<"new-one-value-Hh4"
	assert_success
	refute_secret new-one-value-Hh4
	[[ "$(counter version-3)" -eq 1 ]]
	run --separate-stderr show demo NEW_ONE API_KEY
	assert_success
	assert_output "new-one-value-Hh4
api-key-new-Kk90"
	run --separate-stderr vaultfetch rm demo API_KEY
	assert_success
	run --separate-stderr vaultfetch list demo
	assert_equal "$(cut -f1 <<<"$output")" "DATABASE_URL
NEW_ONE
UNICODE_VALUE"
	run --separate-stderr vaultfetch rm demo API_KEY
	assert_failure 100
	stderr_has "no secret API_KEY"
}

@test "put: a project that does not exist yet is created (cas 0)" {
	run --separate-stderr vaultfetch put fresh-project ONLY <<<"only-value-Gg5"
	assert_success
	run --separate-stderr show fresh-project ONLY
	assert_success
	assert_output only-value-Gg5
}

@test "a project with no secret in the vault: empty, not an error" {
	run --separate-stderr vaultfetch list nothing-here
	assert_success
	assert_output ""
}

@test "VAULT_NAMESPACE is sent as X-Vault-Namespace" {
	export VAULT_NAMESPACE=team-a
	run --separate-stderr show demo TEAM_SECRET
	assert_success
	assert_output team-a-value-Nm3
}

@test "mount and path prefix are configurable" {
	export SECENV_VAULT_MOUNT=kv SECENV_VAULT_PREFIX=apps/secenv
	run --separate-stderr show demo KV_MOUNT_SECRET
	assert_success
	assert_output kv-mount-value-Pp2
	export SECENV_VAULT_PREFIX=../escape
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "SECENV_VAULT_PREFIX '../escape' is not a path"
}

@test "a non-string value is refused with its name" {
	run --separate-stderr vaultfetch fetch --no-cache badtype
	assert_failure 111
	assert_output ""
	stderr_has "value of PORT is not a string"
}

@test "an invalid name is refused without quoting it" {
	run --separate-stderr vaultfetch fetch --no-cache badname
	assert_failure 111
	assert_output ""
	stderr_has "is not a valid variable name"
	refute_secret "not a name"
	refute_secret misplaced-value-Zq9
	refute_secret good-value-Ab1
}

@test "a deleted latest version is an error, not an empty project" {
	run --separate-stderr vaultfetch fetch --no-cache gone
	assert_failure 111
	assert_output ""
	stderr_has "version 3 is deleted"
	refute_secret deleted-value-Xc4
	run --separate-stderr vaultfetch fetch --no-cache destroyed
	assert_failure 111
	stderr_has "version 1 is deleted"
}

@test "a sealed vault: retried, then status 111 naming the seal" {
	use_vault "t$BATS_TEST_NUMBER+sealed"
	SECENV_HTTP_RETRIES=1 run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "the vault is sealed (HTTP 503)"
	[[ "$(counter sealed)" -eq 2 ]]
}

@test "412 (index not yet replicated) is retried" {
	use_vault "t$BATS_TEST_NUMBER+index412"
	run --separate-stderr show demo API_KEY
	assert_success
	assert_output api-key-new-Kk90
	[[ "$(counter 412)" -eq 1 ]]
}

@test "429 with Retry-After is retried" {
	use_vault "t$BATS_TEST_NUMBER+throttle"
	run --separate-stderr show demo API_KEY
	assert_success
	assert_output api-key-new-Kk90
	[[ "$(counter throttled)" -eq 1 ]]
}

@test "a bad token: 403, status 111, the token never shown, no cached blob used" {
	run --separate-stderr vaultfetch fetch demo
	assert_success
	export VAULT_TOKEN=hvs.wrong-token-Jj6
	# The cached blob is stale (--cache-ttl 0) but within --max-stale: a
	# network failure could use it, an authentication failure must not.
	run --separate-stderr vaultfetch fetch --cache-ttl 0 --max-stale 3600 demo
	assert_failure 111
	assert_output ""
	stderr_has "HTTP 403 (permission denied)"
	refute_secret hvs.wrong-token-Jj6
}

@test "the token from a private token file; a file open to others is refused" {
	unset VAULT_TOKEN
	printf 'hvs.test-root-token-8d2f\n' >"$BATS_TEST_TMPDIR/token"
	chmod 600 "$BATS_TEST_TMPDIR/token"
	export SECENV_VAULT_TOKEN_FILE="$BATS_TEST_TMPDIR/token"
	run --separate-stderr show demo API_KEY
	assert_success
	assert_output api-key-new-Kk90
	chmod 644 "$BATS_TEST_TMPDIR/token"
	run --separate-stderr vaultfetch list demo
	assert_failure 111
	stderr_has "token file"
	refute_secret hvs.test-root-token-8d2f
}

@test "no token at all is refused with advice" {
	unset VAULT_TOKEN
	run --separate-stderr vaultfetch list demo
	assert_failure 111
	stderr_has "no token: set VAULT_TOKEN or SECENV_VAULT_TOKEN_FILE"
}

@test "TLS: a certificate for another host and an untrusted CA are refused" {
	export VAULT_ADDR="https://localhost:$WRONG_PORT/$KEY"
	run --separate-stderr vaultfetch list demo
	assert_failure 111
	stderr_has "TLS certificate not trusted for this host"
	use_vault "$KEY"
	export VAULT_CACERT="$CERTS/other-ca.pem"
	run --separate-stderr vaultfetch list demo
	assert_failure 111
	stderr_has "TLS certificate not trusted"
}

@test "plain http only to this machine" {
	export VAULT_ADDR="http://127.0.0.1:$HTTP_PORT/$KEY"
	run --separate-stderr show demo API_KEY
	assert_success
	assert_output api-key-new-Kk90
	export VAULT_ADDR="http://vault.example.com:8200"
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "VAULT_ADDR must be https"
}

@test "truncated and malformed answers: status 111, no value shown" {
	use_vault "t$BATS_TEST_NUMBER+truncated"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "truncated response"
	use_vault "t$BATS_TEST_NUMBER+malformed"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "malformed answer"
	refute_secret vault-pw-Qe3
	refute_secret api-key-new-Kk90
}

@test "a server that never answers: timed out, status 111" {
	use_vault "t$BATS_TEST_NUMBER+hang"
	SECENV_HTTP_TIMEOUT=1 SECENV_HTTP_RETRIES=0 \
		run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "timed out"
}

@test "a network failure (unlike an authentication failure) may use a cached blob" {
	run --separate-stderr vaultfetch fetch demo
	assert_success
	export VAULT_CACERT="$CERTS/other-ca.pem" # the vault is now unreachable
	vaultfetch fetch --cache-ttl 0 --max-stale 3600 demo >"$BATS_TEST_TMPDIR/blob"
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/blob" -p demo -- printenv API_KEY
	assert_success
	assert_output api-key-new-Kk90
}

@test "a mount that does not exist is an error, not an empty project" {
	export SECENV_VAULT_MOUNT=nomount
	run --separate-stderr vaultfetch list demo
	assert_failure 111
	stderr_has "HTTP 404 (no handler for route"
}

@test "nothing listening: cannot connect, status 111" {
	export VAULT_ADDR="https://localhost:1"
	SECENV_HTTP_RETRIES=1 run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "cannot connect"
}

@test "import: many names in one new version" {
	printf 'ALPHA=alpha-value-1\nBETA=beta-value-2\n' >"$BATS_TEST_TMPDIR/app.env"
	run --separate-stderr vaultfetch import demo "$BATS_TEST_TMPDIR/app.env"
	assert_success
	[[ "$(counter writes)" -eq 1 ]]
	run --separate-stderr show demo ALPHA BETA API_KEY
	assert_success
	assert_output "alpha-value-1
beta-value-2
api-key-new-Kk90"
}
