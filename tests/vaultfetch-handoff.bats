#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# vaultfetch's two builds: the light one (file and exec backends) never
# loads libcurl and hands azure and hcvault to vaultfetch-http beside it.
bats_require_minimum_version 1.5.0
load helpers/common

setup_file() {
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

setup() {
	secenv_test_env init
	unset VAULT_ADDR SECENV_AZURE_VAULT_URL
}

stderr_has() {
	[[ "${stderr:-}" == *"$1"* ]] || fail "stderr lacks '$1': ${stderr:-}"
}

# lone_copy: the light build alone in a directory of its own.
lone_copy() {
	LONE="$BATS_TEST_TMPDIR/lone"
	mkdir -p "$LONE"
	cp "$SECENV_BIN/vaultfetch" "$LONE/vaultfetch"
}

@test "the light build is not linked with libcurl; the full one is" {
	run ldd "$SECENV_BIN/vaultfetch"
	assert_success
	refute_output --partial libcurl
	run ldd "$SECENV_BIN/vaultfetch-http"
	assert_success
	assert_output --partial libcurl
}

@test "a fetch through an exec helper runs without libcurl mapped" {
	local helper="$BATS_TEST_TMPDIR/maps-helper"
	cat >"$helper" <<-EOF
		#!/bin/sh
		cat /proc/\$PPID/maps >"$BATS_TEST_TMPDIR/maps"
		exit 1
	EOF
	chmod 0755 "$helper"
	run --separate-stderr vaultfetch -B "exec:$helper" fetch --no-cache app
	assert_failure
	[[ -s "$BATS_TEST_TMPDIR/maps" ]]
	grep -q '/vaultfetch$' "$BATS_TEST_TMPDIR/maps"
	run grep -c libcurl "$BATS_TEST_TMPDIR/maps"
	assert_output 0
}

@test "-B azure and SECENV_BACKEND=hcvault are served by the full build" {
	run --separate-stderr vaultfetch -B azure fetch app
	assert_failure 100
	stderr_has "vaultfetch: azure: SECENV_AZURE_VAULT_URL is not set"
	SECENV_BACKEND=hcvault run --separate-stderr vaultfetch list app
	assert_failure 100
	stderr_has "vaultfetch: hcvault: VAULT_ADDR is not set"
}

@test "without vaultfetch-http beside it: status 111, PATH not searched" {
	lone_copy
	local fake="$BATS_TEST_TMPDIR/path"
	mkdir -p "$fake"
	printf '#!/bin/sh\necho from-path\n' >"$fake/vaultfetch-http"
	chmod 0755 "$fake/vaultfetch-http"
	PATH="$fake:$PATH" run --separate-stderr "$LONE/vaultfetch" -B azure \
		put app NAME <<<value-not-read
	assert_failure 111
	assert_output ""
	stderr_has "backend azure needs $LONE/vaultfetch-http"
	# The file backend and revoke need only the light build.
	SECENV_BACKEND=azure run "$LONE/vaultfetch" revoke app
	assert_success
	SECENV_BACKEND=azure run "$LONE/vaultfetch" unrevoke app
	assert_success
	echo v | "$LONE/vaultfetch" put app NAME
	run --separate-stderr "$LONE/vaultfetch" list app
	assert_success
	assert_output --regexp '^NAME	'
}
