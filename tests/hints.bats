#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Debug hints: which secret a mask stands for and its shape (redact
# --hints, --format %l), and the owner's list --hints (type, length, last
# 4 characters), which a command inside a run may not ask for.

load helpers/common
bats_require_minimum_version 1.5.0

S='sk_test_4eC39HqLyjWDarjtT1zdp7dc'
DB='postgresql://user:s3cr3tP4ssw0rd@db.example.com/mydb'

setup() {
	secenv_test_env
	secenv_user_env
	export S DB
	cd "$BATS_TEST_TMPDIR"
}

@test "redact --hints names the secret, its kept prefix and its length" {
	run --separate-stderr bash -c 'printf "key %s end\n" "$S" | redact -e S --hints'
	assert_success
	assert_output 'key ***REDACTED:S (sk_test_…, 32 bytes)*** end'
	refute_secret "${S#sk_test_}"
	[ -z "$stderr" ]
}

@test "--format %l is the value's length; a URL's password mask says the URL's" {
	run --separate-stderr bash -c 'printf "%s\n" "$DB" | redact -e DB --format "<%n:%l>"'
	assert_success
	assert_output "postgresql://user:<DB:${#DB}>@db.example.com/mydb"
	refute_secret s3cr3tP4ssw0rd
}

@test "the default mask is unchanged" {
	run --separate-stderr bash -c 'printf "%s\n" "$S" | redact -e S'
	assert_success
	assert_output 'sk_test_***REDACTED***'
}

@test "a bad placeholder is still refused, naming %l among the good ones" {
	run --separate-stderr redact -e S --format '%q'
	assert_failure 100
	[[ "$stderr" == *"%l"* ]]
}

@test "secenv list --hints shows type, length and last 4 characters, never more" {
	secenv init >/dev/null 2>&1
	secenv_put p1 STRIPE_SECRET_KEY "$S"
	secenv_put p1 DATABASE_URL "$DB"
	secenv_put p1 SHORT 'abc123'
	run --separate-stderr secenv list -p p1 --hints
	assert_success
	assert_line --regexp $'^STRIPE_SECRET_KEY\t1\t[^\t]+\tsk_test_…\t32 bytes\t…p7dc$'
	assert_line --regexp $'^DATABASE_URL\t1\t[^\t]+\tpostgresql://…\t52 bytes\t…mydb$'
	assert_line --regexp $'^SHORT\t1\t[^\t]+\t-\t6 bytes\t-$'
	refute_secret "${S:8:20}"
	refute_secret s3cr3tP4ssw0rd
	run --separate-stderr secenv list -p p1
	assert_success
	assert_line --regexp $'^STRIPE_SECRET_KEY\t1\t[^\t]+$'
}

@test "--hints belongs to list alone" {
	run --separate-stderr secenv rm -p p1 --hints X
	assert_failure 100
	[[ "$stderr" == *"unknown option: --hints"* ]]
	run --separate-stderr vaultfetch fetch --hints p1
	assert_failure 100
}

@test "cmdguard refuses list --hints inside a run, and allows list" {
	run --separate-stderr cmdguard 'secenv list -p p1 --hints'
	assert_failure 1
	run --separate-stderr cmdguard 'vaultfetch list --hints p1'
	assert_failure 1
	run --separate-stderr cmdguard 'sh -c "secenv list --hints -p p1"'
	assert_failure 1
	run --separate-stderr cmdguard 'secenv list -p p1'
	assert_success
}

@test "secenv run --hints: the mask names the secret and its shape, never its value" {
	secenv init >/dev/null
	secenv_put shop STRIPE_SECRET_KEY "$S"
	printf 'import os\nprint("key", os.getenv("STRIPE_SECRET_KEY"))\n' >key.py
	run --separate-stderr secenv run -p shop --hints -- python3 key.py
	assert_success
	assert_output "key ***REDACTED:STRIPE_SECRET_KEY (sk_test_…, 32 bytes)***"
	refute_secret "$S"
	run --separate-stderr secenv run -p shop -- python3 key.py
	assert_output "key sk_test_***REDACTED***"
}
