#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Every verb of secenv driven from the two runtimes an agent backend is
# written in: Python's subprocess and Node's child_process.spawn, with
# pipes, sockets (socketpair; Node's own 'pipe' is one) and /dev/null as
# the three standard streams. Same statuses, same masked output, no value
# anywhere, whatever the streams are.
# shellcheck disable=SC2016 # single-quoted jq filters name their own $vars

bats_require_minimum_version 1.5.0
load helpers/common

SECRET=sk_test_Zq8vW3nR5tY1uI7oP2aS

# each test starts from a copy of one home with p1's secret (secenv_test_env p1)
setup_file() {
	secenv_p1_home "$SECRET"
}

setup() {
	secenv_test_env p1
	secenv_user_env
	MASKED='sk_test_***REDACTED***'
	local dir=$BATS_TEST_TMPDIR
	printf 'key = %s\nplain line\n' "$SECRET" >"$dir/config.txt"
	printf 'IMPORTED_TOKEN=imported-value-123456\n' >"$dir/app.env"
	# the seed's payment program, in sh: quick to start on a busy machine
	printf '%s\n' 'printf "Stripe initialized with key: %s\nPayment successful\n" "$STRIPE_SECRET_KEY"' >"$dir/payment.sh"
	CASES=$dir/cases.json
	jq -n --arg dir "$dir" '[
	  {name: "streams", program: "sh",
	   args: ["-c", "readlink /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2"]},
	  {name: "help", args: ["help"]},
	  {name: "init", args: ["init"]},
	  {name: "set", args: ["set", "-p", "p1", "OTHER_TOKEN"], stdin: "other-value-123456"},
	  {name: "import", args: ["import", "-p", "p1", "\($dir)/app.env"]},
	  {name: "list", args: ["list", "-p", "p1"]},
	  {name: "run", args: ["run", "-p", "p1", "-C", $dir, "--", "sh payment.sh"]},
	  {name: "run-json", args: ["run", "-p", "p1", "-C", $dir, "--json", "--", "sh payment.sh"]},
	  {name: "run-stdin", args: ["run", "-p", "p1", "--", "tr a-z A-Z"], stdin: "from stdin\n"},
	  {name: "read", args: ["read", "-p", "p1", "\($dir)/config.txt"]},
	  {name: "read-json", args: ["read", "-p", "p1", "--json", "\($dir)/config.txt"]},
	  {name: "rm", args: ["rm", "-p", "p1", "OTHER_TOKEN"]},
	  {name: "revoke", args: ["revoke", "-p", "p1"]},
	  {name: "unrevoke", args: ["unrevoke", "-p", "p1"]},
	  {name: "audit", args: ["audit", "-p", "p1"]},
	  {name: "verify", args: ["audit", "verify"]}
	]' >"$CASES"
}

# result NAME FIELD: a field of case NAME's result line in $output
result() {
	jq -r --arg n "$1" "select(.name == \$n) | .$2" <<<"$output"
}

# Every secenv verb exited 0 (the driver's own check of the streams aside).
assert_all_succeeded() {
	assert_equal "$(jq -r 'select(.status != 0) | "\(.name) \(.status) \(.stderr)"' <<<"$output")" ""
	assert_equal "$(jq -s length <<<"$output")" "$(jq length "$CASES")"
}

# What each verb printed, exactly, with the values masked.
assert_verbs_printed() {
	assert_equal "$(result run stdout)" "$(printf 'Stripe initialized with key: %s\nPayment successful' "$MASKED")"
	assert_equal "$(result run stderr)" ""
	assert_equal "$(result run-json stdout | jq -c '[.stdout, .return_code, .env_count]')" \
		"[\"Stripe initialized with key: $MASKED\\nPayment successful\\n\",0,3]"
	assert_equal "$(result run-stdin stdout)" "FROM STDIN"
	assert_equal "$(result read stdout)" "$(printf 'key = %s\nplain line' "$MASKED")"
	assert_equal "$(result read-json stdout | jq -c '[.content, .return_code, .masks.STRIPE_SECRET_KEY]')" \
		"[\"key = $MASKED\\nplain line\\n\",0,1]"
	assert_equal "$(result list stdout | cut -f1 | grep . | tr '\n' ' ')" "IMPORTED_TOKEN OTHER_TOKEN STRIPE_SECRET_KEY "
	assert_equal "$(result revoke stderr)" "secenv: project p1 revoked; 0 running command(s) stopped"
	# an owner's change is written ahead: its outcome record is listed here
	assert_equal "$(result audit stdout | jq -r 'select(.intent == null) | .event' | tr '\n' ' ')" \
		"set set import run run run read read rm revoke unrevoke "
	assert_equal "$(result verify status)" 0
	[[ $output != *"$SECRET"* ]] || fail "the value reached the caller"
}

# The log the verbs wrote, whatever the caller could see of it.
assert_log_written() {
	assert_equal "$(jq -r 'select(.project == "p1" and .intent == null) | .event' "$SECENV_HOME/audit.log" | tr '\n' ' ')" \
		"set set import run run run read read rm revoke unrevoke "
	assert_equal "$(jq -c 'select(.event == "read" and .intent == null) | .masks.STRIPE_SECRET_KEY' "$SECENV_HOME/audit.log" | sort -u)" \
		1
	run auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	run grep -cF -- "$SECRET" "$SECENV_HOME/audit.log"
	assert_output 0
}

@test "python subprocess, pipes: every verb works and masks" {
	run --separate-stderr python3 "$FIXTURES/stdio/drive.py" pipe "$CASES"
	assert_success
	[[ $(result streams stdout) =~ ^pipe:.*pipe:.*pipe: ]] || fail "not pipes: $(result streams stdout)"
	assert_all_succeeded
	assert_verbs_printed
	assert_log_written
}

@test "python subprocess, sockets (socketpair): every verb works and masks" {
	run --separate-stderr python3 "$FIXTURES/stdio/drive.py" socket "$CASES"
	assert_success
	[[ $(result streams stdout) =~ ^socket:.*socket:.*socket: ]] || fail "not sockets: $(result streams stdout)"
	assert_all_succeeded
	assert_verbs_printed
	assert_log_written
}

@test "python subprocess, /dev/null: every verb works" {
	run --separate-stderr python3 "$FIXTURES/stdio/drive.py" devnull "$CASES"
	assert_success
	assert_all_succeeded
	assert_log_written
}

@test "node child_process.spawn, its 'pipe' (a socket): every verb works and masks" {
	run --separate-stderr node "$FIXTURES/stdio/drive.js" pipe "$CASES"
	assert_success
	[[ $(result streams stdout) =~ ^socket:.*socket:.*socket: ]] || fail "not sockets: $(result streams stdout)"
	assert_all_succeeded
	assert_verbs_printed
	assert_log_written
}

@test "node child_process.spawn, 'ignore' (/dev/null): every verb works" {
	run --separate-stderr node "$FIXTURES/stdio/drive.js" ignore "$CASES"
	assert_success
	assert_all_succeeded
	assert_log_written
}
