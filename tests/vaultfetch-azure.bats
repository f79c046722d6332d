#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# vaultfetch -B azure against a local Key Vault (tests/fixtures/azure).
bats_require_minimum_version 1.5.0
load helpers/common
load helpers/tls-server

setup_file() {
	tls_server_start "$BATS_TEST_DIRNAME/fixtures/azure/kvserver.py"
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

teardown_file() {
	tls_server_stop
}

setup() {
	secenv_test_env init
	tls_server_ports
	unset IDENTITY_ENDPOINT IDENTITY_HEADER AZURE_POD_IDENTITY_AUTHORITY_HOST \
		SECENV_AZURE_IMDS_ENDPOINT SECENV_CA_BUNDLE https_proxy HTTPS_PROXY \
		http_proxy HTTP_PROXY all_proxy ALL_PROXY
	use_vault "t$BATS_TEST_NUMBER"
}

# use_vault SEGMENT: the vault, and client credentials, of one test key
# (the first path segment picks fresh fixture state and scenario flags).
use_vault() {
	KEY="$1"
	export SECENV_BACKEND=azure
	export SECENV_AZURE_VAULT_URL="https://localhost:$HTTPS_PORT/$KEY"
	export SECENV_AZURE_RESOURCE=https://vault.azure.net
	export SECENV_AZURE_CA_BUNDLE="$CERTS/ca.pem"
	export AZURE_TENANT_ID=test-tenant AZURE_CLIENT_ID=test-client
	export AZURE_CLIENT_SECRET=test-client-secret-7f3a9c
	export AZURE_AUTHORITY_HOST="https://localhost:$HTTPS_PORT/$KEY"
}

# counter NAME: one request counter of this test's fixture state.
counter() {
	curl -sS --cacert "$CERTS/ca.pem" "https://localhost:$HTTPS_PORT/$KEY/_stats" |
		jq -r ".[\"$1\"] // 0"
}

# show PROJECT NAME...: fetch (no blob cache), then print the values as a
# child would see them.
show() {
	local project="$1"
	shift
	vaultfetch fetch --no-cache "$project" >"$BATS_TEST_TMPDIR/blob" &&
		envinject -b "$BATS_TEST_TMPDIR/blob" -p "$project" -- printenv "$@"
}

# child_names PROJECT: the secret names a child gets (its environment
# less what envinject -i always passes), sorted.
child_names() {
	vaultfetch fetch --no-cache "$1" >"$BATS_TEST_TMPDIR/blob" &&
		envinject -i -b "$BATS_TEST_TMPDIR/blob" -p "$1" -- env |
		cut -d= -f1 | grep -vxE 'HOME|LANG|LC_[A-Z]+|PATH|TERM|TZ|USER|LOGNAME|SHELL|PWD|SHLVL|_' |
		sort
}

# stderr_has TEXT: the captured stderr contains TEXT.
stderr_has() {
	[[ "${stderr:-}" == *"$1"* ]] || fail "stderr lacks '$1': ${stderr:-}"
}

@test "fetch: all 58 values of a project spread over three pages of 25" {
	run --separate-stderr child_names demo
	assert_success
	[[ "${#lines[@]}" -eq 58 ]] || fail "got ${#lines[@]} names"
	run --separate-stderr show demo DATABASE_URL UNICODE_VALUE DEMO_SECRET_55
	assert_success
	assert_output "postgresql://app:Sup3r-s3cret-pw@db.example.com/mydb
p$(printf '\xc3\xa4')ss w$(printf '\xc3\xb6')rd \"quoted\" \\ $(printf '\xe2\x9c\x93') tail
demo-value-55-k3q9z"
	[[ -z "$stderr" ]]
	[[ "$(counter list)" -eq 6 ]] # 67 entries: 3 pages, twice
	[[ "$(counter get)" -eq 116 ]] # each value once per fetch
	[[ "$(counter versions)" -eq 0 ]] # none changed in the last 7 days
}

@test "fetch: a value rotated within 7 days travels as a previous value, for redact only" {
	vaultfetch put p1 ROTATED <<<"first-value-Ff1"
	vaultfetch put p1 ROTATED <<<"second-value-Ss2"
	vaultfetch put p1 STEADY <<<"steady-value-Tt3"
	vaultfetch fetch --no-cache p1 >"$BATS_TEST_TMPDIR/blob"
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/blob" -p p1 -- printenv ROTATED
	assert_success
	assert_output second-value-Ss2
	run --separate-stderr redact -b "$BATS_TEST_TMPDIR/blob" \
		<<<"old first-value-Ff1 new second-value-Ss2 steady steady-value-Tt3"
	assert_success
	refute_secret first-value-Ff1
	refute_secret second-value-Ss2
	refute_secret steady-value-Tt3
	[[ "$(counter versions)" -eq 2 ]]   # both changed recently
	[[ "$(counter get-version)" -eq 1 ]] # only ROTATED has an older one
}

@test "fetch: disabled, managed, untagged, copied-tag and other projects' secrets are left out" {
	run --separate-stderr child_names demo
	assert_success
	refute_line DISABLED_ONE
	refute_line MANAGED_ONE
	refute_line COPIED
	refute_line OTHER_1
	run --separate-stderr show demo DISABLED_ONE
	assert_failure
	refute_secret disabled-value-Hk2w9
	run --separate-stderr child_names other
	assert_success
	assert_output "OTHER_1
OTHER_2
OTHER_3"
}

@test "fetch: values are read over several reused connections; one with SECENV_HTTP_PARALLEL=1" {
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_success
	[[ "$(counter get)" -eq 58 ]]
	# Many requests were queued at once, so more than one connection
	# opened; and at most 16 (requests beyond are sent over kept ones).
	local n
	n="$(counter connections)"
	[[ "$n" -gt 1 && "$n" -le 16 ]] || fail "$n connections"
	use_vault "t$BATS_TEST_NUMBER-seq"
	SECENV_HTTP_PARALLEL=1 run --separate-stderr vaultfetch fetch --no-cache demo
	assert_success
	[[ "$(counter requests)" -eq 62 ]] # a token, 3 pages, 58 values
	[[ "$(counter connections)" -eq 1 ]]
}

@test "list: names only, sorted, no values" {
	run --separate-stderr vaultfetch list demo
	assert_success
	[[ "${#lines[@]}" -eq 58 ]]
	assert_line --index 0 --regexp '^DATABASE_URL[[:space:]]'
	refute_secret postgresql://app:Sup3r-s3cret-pw@db.example.com/mydb
	refute_secret demo-value-01-k3q9z
	[[ "$(counter get)" -eq 0 ]]
}

@test "put, fetch, rm: a round trip through the vault" {
	run --separate-stderr vaultfetch put p.1 NEW_TOKEN <<<"brand-new-value-9Xq"
	assert_success
	refute_secret brand-new-value-9Xq
	run --separate-stderr show p.1 NEW_TOKEN
	assert_success
	assert_output brand-new-value-9Xq
	run --separate-stderr vaultfetch list p.1
	assert_success
	assert_output --regexp '^NEW_TOKEN[[:space:]]'
	run --separate-stderr vaultfetch rm p.1 NEW_TOKEN
	assert_success
	run --separate-stderr vaultfetch list p.1
	assert_success
	assert_output ""
	run --separate-stderr vaultfetch rm p.1 NEW_TOKEN
	assert_failure 100
	stderr_has "no secret NEW_TOKEN"
}

@test "put: a name deleted but recoverable (soft delete) is refused with advice" {
	vaultfetch put p1 GONE <<<"first-value-Aa1"
	vaultfetch rm p1 GONE
	run --separate-stderr vaultfetch put p1 GONE <<<"second-value-Bb2"
	assert_failure 111
	stderr_has "soft delete"
	refute_secret second-value-Bb2
}

@test "put: names differing only in case stay two secrets (Key Vault ignores case)" {
	vaultfetch put p1 api_key <<<"lower-case-value-1"
	vaultfetch put p1 API_KEY <<<"upper-case-value-2"
	run --separate-stderr show p1 api_key API_KEY
	assert_success
	assert_output "lower-case-value-1
upper-case-value-2"
}

@test "429 with Retry-After seconds on the first call: waits, then succeeds" {
	use_vault "t$BATS_TEST_NUMBER+throttle"
	run --separate-stderr show demo DEMO_SECRET_01
	assert_success
	assert_output demo-value-01-k3q9z
	[[ "$(counter throttled)" -eq 1 ]]
}

@test "429 with retry-after-ms and x-ms-retry-after-ms: succeeds" {
	use_vault "t$BATS_TEST_NUMBER+throttle-ms"
	run --separate-stderr show demo DEMO_SECRET_02
	assert_success
	assert_output demo-value-02-k3q9z
	[[ "$(counter throttled)" -eq 1 ]]
}

@test "429 with Retry-After as an HTTP date: succeeds" {
	use_vault "t$BATS_TEST_NUMBER+throttle-date"
	run --separate-stderr show demo DEMO_SECRET_03
	assert_success
	assert_output demo-value-03-k3q9z
	[[ "$(counter throttled)" -eq 1 ]]
}

@test "429 asking for longer than the cap: no retry, status 111" {
	use_vault "t$BATS_TEST_NUMBER+throttle-long"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "asked to retry later than SECENV_HTTP_RETRY_CAP"
	[[ "$(counter throttled)" -eq 1 ]]
}

@test "503 every time: retried with backoff, then status 111" {
	use_vault "t$BATS_TEST_NUMBER+busy"
	SECENV_HTTP_RETRIES=2 run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "HTTP 503 after 3 attempts"
	[[ "$(counter busy)" -eq 3 ]]
}

@test "401 challenge for a refused token: a fresh token, then success" {
	use_vault "t$BATS_TEST_NUMBER+challenge"
	run --separate-stderr show demo DEMO_SECRET_04
	assert_success
	assert_output demo-value-04-k3q9z
	[[ "$(counter challenges)" -eq 1 ]]
	[[ "$(counter tokens)" -eq 2 ]]
}

@test "401 challenge naming another resource: refused, no token sent again" {
	use_vault "t$BATS_TEST_NUMBER+wrong-resource"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "does not name resource https://vault.azure.net"
	[[ "$(counter challenges)" -eq 1 ]]
}

@test "tokens are cached 0600 in the runtime directory and reused" {
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_success
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_success
	[[ "$(counter tokens)" -eq 1 ]]
	local f
	f="$(echo "$XDG_RUNTIME_DIR"/secenv-*/azure-token-*)"
	[[ -f "$f" ]]
	[[ "$(stat -c %a "$f")" == 600 ]]
}

@test "a wrong client secret: status 111, the error code, never the secret" {
	export AZURE_CLIENT_SECRET=not-the-right-secret-q8
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "HTTP 401 (invalid_client)"
	refute_secret not-the-right-secret-q8
}

@test "403 from the vault: status 111" {
	use_vault "t$BATS_TEST_NUMBER+forbidden"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "access denied (HTTP 403)"
}

@test "an authentication failure never falls back to a cached blob" {
	run --separate-stderr vaultfetch fetch demo
	assert_success
	rm -f "$XDG_RUNTIME_DIR"/secenv-*/azure-token-*
	export AZURE_CLIENT_SECRET=revoked-secret-Rr3
	# The cached blob is stale (--cache-ttl 0) but within --max-stale: a
	# network failure could use it, an authentication failure must not.
	run --separate-stderr vaultfetch fetch --cache-ttl 0 --max-stale 3600 demo
	assert_failure 111
	assert_output ""
	stderr_has "(invalid_client)"
	refute_secret revoked-secret-Rr3
}

@test "managed identity through IDENTITY_ENDPOINT and IDENTITY_HEADER" {
	unset AZURE_CLIENT_SECRET AZURE_CLIENT_ID
	export IDENTITY_ENDPOINT="https://localhost:$HTTPS_PORT/$KEY/msi/token"
	export IDENTITY_HEADER=test-identity-header-51d0
	run --separate-stderr show demo DEMO_SECRET_05
	assert_success
	assert_output demo-value-05-k3q9z
	refute_secret test-identity-header-51d0
	[[ "$(counter tokens)" -eq 1 ]]
}

@test "managed identity through the instance metadata service (address overridden)" {
	unset AZURE_CLIENT_SECRET AZURE_CLIENT_ID
	export SECENV_AZURE_IMDS_ENDPOINT="http://127.0.0.1:$HTTP_PORT/$KEY"
	run --separate-stderr show demo DEMO_SECRET_06
	assert_success
	assert_output demo-value-06-k3q9z
	[[ "$(counter tokens)" -eq 1 ]]
}

@test "malformed JSON in a list page: status 111, nothing of it echoed" {
	use_vault "t$BATS_TEST_NUMBER+malformed"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "malformed answer"
	refute_secret LEAKED-IN-BROKEN-JSON
}

@test "malformed JSON around a value: status 111, the value never shown" {
	use_vault "t$BATS_TEST_NUMBER+malformed-get"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "malformed answer"
	refute_secret demo-value-
	refute_secret Sup3r-s3cret-pw
}

@test "a truncated body: status 111 and no blob" {
	use_vault "t$BATS_TEST_NUMBER+truncated"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "truncated response"
	refute_secret demo-value-
}

@test "a certificate for another host is refused" {
	export SECENV_AZURE_VAULT_URL="https://localhost:$WRONG_PORT/$KEY"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "TLS certificate not trusted for this host"
}

@test "a server certificate from a CA we do not trust is refused" {
	export SECENV_AZURE_CA_BUNDLE="$CERTS/other-ca.pem"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "TLS certificate not trusted"
}

@test "a server that never answers: timed out, status 111" {
	use_vault "t$BATS_TEST_NUMBER+hang"
	SECENV_HTTP_TIMEOUT=1 SECENV_HTTP_RETRIES=0 \
		run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	assert_output ""
	stderr_has "timed out"
}

@test "a nextLink to another origin is not followed" {
	use_vault "t$BATS_TEST_NUMBER+foreign-next"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 111
	stderr_has "nextLink leaves the vault"
	[[ "$(counter list)" -eq 1 ]]
}

@test "configuration: missing or plain-http vault URL, bad tenant, undecidable resource" {
	unset SECENV_AZURE_VAULT_URL
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "SECENV_AZURE_VAULT_URL is not set"
	export SECENV_AZURE_VAULT_URL="http://localhost:$HTTP_PORT/$KEY"
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "must be an https URL"
	use_vault "$KEY"
	export AZURE_TENANT_ID=../evil
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "is not a tenant id"
	use_vault "$KEY"
	unset SECENV_AZURE_RESOURCE
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "set SECENV_AZURE_RESOURCE"
}

@test "the official Azure SDK for JavaScript reads the same fixture" {
	local mod="$FIXTURES/azure/node_modules/@azure/keyvault-secrets"
	command -v node >/dev/null || skip "node is not installed"
	if [[ ! -d "$mod" ]] && command -v npm >/dev/null; then
		(cd "$FIXTURES/azure" && timeout 120 npm ci --prefer-offline --no-audit --no-fund \
			--loglevel=error >/dev/null 2>&1) || true
	fi
	[[ -d "$mod" ]] || skip "npm could not install @azure/keyvault-secrets here"
	# The vault at the root of the fixture (no test key in the path), as
	# the SDK parses secret ids strictly.
	export SECENV_AZURE_VAULT_URL="https://localhost:$HTTPS_PORT"
	export AZURE_AUTHORITY_HOST="https://localhost:$HTTPS_PORT"
	NODE_EXTRA_CA_CERTS="$CERTS/ca.pem" run --separate-stderr \
		node "$FIXTURES/azure/sdk-check.js"
	assert_success
	assert_output "58 demo names; DEMO_SECRET_07=demo-value-07-k3q9z"
}

@test "import: a .env file becomes one PUT per name, sent in parallel" {
	printf 'ALPHA=alpha-value-1\nBETA="beta value 2"\nGAMMA=gamma-value-3\n' >"$BATS_TEST_TMPDIR/app.env"
	run --separate-stderr vaultfetch import p1 "$BATS_TEST_TMPDIR/app.env"
	assert_success
	refute_secret alpha-value-1
	[[ "$(counter put)" -eq 3 ]]
	run --separate-stderr show p1 ALPHA BETA GAMMA
	assert_success
	assert_output "alpha-value-1
beta value 2
gamma-value-3"
}

@test "AZURE_KEY_VAULT_URL names the vault when SECENV_AZURE_VAULT_URL is unset" {
	export AZURE_KEY_VAULT_URL="$SECENV_AZURE_VAULT_URL"
	unset SECENV_AZURE_VAULT_URL
	run --separate-stderr show demo DEMO_SECRET_55
	assert_success
	assert_output "demo-value-55-k3q9z"
	[[ -z "$stderr" ]]
	[[ "$(counter list)" -eq 3 ]]
}

@test "AZURE_KEY_VAULT_URL: the same vault as SECENV_AZURE_VAULT_URL is accepted, another is a usage error" {
	export AZURE_KEY_VAULT_URL="$SECENV_AZURE_VAULT_URL/"
	run --separate-stderr show demo DEMO_SECRET_55
	assert_success
	assert_output "demo-value-55-k3q9z"
	export AZURE_KEY_VAULT_URL="https://localhost:$HTTPS_PORT/other-vault"
	run --separate-stderr vaultfetch fetch --no-cache demo
	assert_failure 100
	assert_output ""
	assert_equal "$stderr" "vaultfetch: azure: SECENV_AZURE_VAULT_URL and AZURE_KEY_VAULT_URL name different vaults (unset one)"
	[[ "$(counter list)" -eq 3 ]] # the first fetch's: none for the refused one
	export SECENV_AZURE_VAULT_URL="http://localhost:$HTTP_PORT/$KEY"
	unset AZURE_KEY_VAULT_URL
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	stderr_has "SECENV_AZURE_VAULT_URL must be an https URL"
	export AZURE_KEY_VAULT_URL="$SECENV_AZURE_VAULT_URL"
	unset SECENV_AZURE_VAULT_URL
	run --separate-stderr vaultfetch list demo
	assert_failure 100
	assert_equal "$stderr" "vaultfetch: azure: AZURE_KEY_VAULT_URL must be an https URL"
}

@test "AZURE_KEY_VAULT_URL with the local store: vaultfetch says once that it is not used" {
	unset SECENV_BACKEND
	export AZURE_KEY_VAULT_URL="https://localhost:$HTTPS_PORT/$KEY"
	local notice="vaultfetch: AZURE_KEY_VAULT_URL is not used: the backend is the local store (SECENV_BACKEND=azure selects Azure Key Vault)"
	run --separate-stderr bash -c 'printf local-value-4711 | vaultfetch put p1 LOCAL_KEY'
	assert_success
	assert_equal "$stderr" "$notice"
	run --separate-stderr vaultfetch list p1
	assert_success
	assert_output --regexp '^LOCAL_KEY	1	'
	assert_equal "$stderr" "$notice"
	run --separate-stderr show p1 LOCAL_KEY
	assert_success
	assert_output "local-value-4711"
	assert_equal "$stderr" "$notice"
	[[ "$(counter list)" -eq 0 ]]
	# not said for the azure backend, nor for the local store without it
	export SECENV_BACKEND=file
	unset AZURE_KEY_VAULT_URL
	run --separate-stderr vaultfetch list p1
	assert_success
	[[ -z "$stderr" ]]
	export AZURE_KEY_VAULT_URL="$SECENV_AZURE_VAULT_URL"
	run --separate-stderr vaultfetch -B azure list demo
	assert_success
	[[ -z "$stderr" ]]
}

@test "AZURE_KEY_VAULT_URL with the local store: secenv run says it once per run, with or without --json" {
	unset SECENV_BACKEND
	secenv_user_env
	export AZURE_KEY_VAULT_URL="https://localhost:$HTTPS_PORT/$KEY"
	secenv_put p1 LOCAL_KEY local-value-4711 2>/dev/null
	local notice="secenv: AZURE_KEY_VAULT_URL is not used: the backend is the local store (SECENV_BACKEND=azure selects Azure Key Vault)"
	printf 'printf "%%s\\n" "$LOCAL_KEY"\n' >"$BATS_TEST_TMPDIR/show.sh"
	# a fresh fetch (no cached blob), then a cached one
	for i in 1 2; do
		run --separate-stderr secenv run -p p1 -- "sh $BATS_TEST_TMPDIR/show.sh; echo child >&2"
		assert_success
		assert_output "***REDACTED***"
		assert_equal "$stderr" "$notice
child"
	done
	run --separate-stderr secenv run --json -p p1 -- sh "$BATS_TEST_TMPDIR/show.sh"
	assert_success
	assert_equal "$stderr" "$notice"
	assert_equal "$(jq -c '[.stdout, .stderr, .env_injected]' <<<"$output")" '["***REDACTED***\n","",true]'
	[[ "$(counter list)" -eq 0 ]]
}
