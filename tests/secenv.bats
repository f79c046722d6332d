#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv, the composing script: each subcommand's usage, errors, switches
# and exit statuses. The end-to-end behaviour is in pipeline.bats.

bats_require_minimum_version 1.5.0
load helpers/common

SECRET=sk_test_Zq8vW3nR5tY1uI7oP2aS

# each test starts from a copy of one initialized home (secenv_test_env init),
# most from one with p1's secret (with_p1_secret)
setup_file() {
	secenv_init_home
	secenv_p1_home "$SECRET"
}

setup() {
	secenv_test_env init
	secenv_user_env
}

@test "secenv -h and help print the overview and exit 0" {
	run --separate-stderr secenv -h
	assert_success
	assert_line --index 0 "usage: secenv SUBCOMMAND [OPTIONS]"
	assert_output --partial "run -p P [opts] -- CMD"
	[ -z "$stderr" ]
	run --separate-stderr secenv help
	assert_success
	assert_line --index 0 "usage: secenv SUBCOMMAND [OPTIONS]"
}

@test "every subcommand has -h, exit 0, its own usage line" {
	local sub
	for sub in init set import list rm run read revoke unrevoke audit help; do
		run --separate-stderr secenv "$sub" -h
		assert_success
		assert_line --index 0 --regexp "^usage: secenv $sub( |\$)"
		[ -z "$stderr" ] || fail "$sub -h wrote to stderr: $stderr"
	done
	run --separate-stderr secenv help run
	assert_success
	assert_output --partial "--json"
	assert_output --partial "-t, --timeout S"
}

@test "no subcommand and an unknown one are usage errors (100)" {
	run --separate-stderr secenv
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: no subcommand"
	run --separate-stderr secenv frobnicate
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: unknown subcommand: frobnicate"
	[ -z "$output" ]
}

@test "an unknown option is a usage error naming it" {
	run --separate-stderr secenv list -p p1 --bogus
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: list: unknown option: --bogus"
	assert_equal "$(sed -n 2p <<<"$stderr")" "usage: secenv list -p PROJECT"
	run --separate-stderr secenv list -p p1 -t 5
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: list: unknown option: -t"
	run --separate-stderr secenv run -p
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: run: -p needs a value"
}

@test "a subcommand without a project is refused; SECENV_PROJECT supplies one" {
	local sub
	for sub in list revoke unrevoke; do
		run --separate-stderr secenv "$sub"
		[ "$status" -eq 100 ]
		assert_equal "$(head -1 <<<"$stderr")" "secenv: $sub: no project (-p PROJECT or SECENV_PROJECT)"
	done
	secenv_put p1 STRIPE_SECRET_KEY "$SECRET"
	SECENV_PROJECT=p1 run --separate-stderr secenv list
	assert_success
	assert_output --regexp '^STRIPE_SECRET_KEY'
	refute_secret "$SECRET"
}

@test "bad project ids are refused with 100, naming the id" {
	local id
	for id in ../x a/b .hidden -x "a b" "$(printf 'p%.0s' {1..65})" "a..b"; do
		run --separate-stderr secenv list -p "$id"
		[ "$status" -eq 100 ] || fail "project id '$id' gave $status"
		[[ $stderr == *"invalid project id"* || $stderr == *"unknown option"* ]] ||
			fail "no reason for '$id': $stderr"
	done
	run --separate-stderr secenv run -p 'a/b' -- true
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "secenv: invalid project id: a/b"
	run --separate-stderr secenv run -p '' -- true
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: run: no project (-p PROJECT or SECENV_PROJECT)"
}

@test "init is idempotent and creates a private SECENV_HOME" {
	# a home of this test's own init, not setup's copy
	rm -rf "$SECENV_HOME"
	secenv init >/dev/null
	run --separate-stderr secenv init
	assert_success
	[ "$(stat -c %a "$SECENV_HOME")" = 700 ]
	[ -f "$SECENV_HOME/keys/worker.key" ]
	local before
	before=$(sha256sum "$SECENV_HOME/keys/worker.key")
	run --separate-stderr secenv init
	assert_success
	assert_equal "$(sha256sum "$SECENV_HOME/keys/worker.key")" "$before"
}

@test "set reads the value from stdin; list shows the name, never the value" {
	secenv_put p1 STRIPE_SECRET_KEY "$SECRET"
	run --separate-stderr secenv list -p p1
	assert_success
	assert_output --regexp '^STRIPE_SECRET_KEY[[:space:]]+1[[:space:]]'
	refute_secret "$SECRET"
}

@test "set on a terminal: prompts, reads one line without echo, stores it exactly" {
	local value="typed-$RANDOM$RANDOM-secret"
	TYPED_VALUE=$value run --separate-stderr python3 "$FIXTURES/pipeline/pty_type.py" secenv set -p p1 TYPED_KEY
	assert_success
	assert_output --partial "value for TYPED_KEY (not echoed): "
	refute_secret "$value"
	run --separate-stderr secenv run -p p1 -- "python3 $FIXTURES/pipeline/env_report.py TYPED_KEY"
	assert_success
	assert_output "TYPED_KEY $(printf '%s' "$value" | sha256sum | cut -d' ' -f1)"
}

@test "run passes standard input to the command" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -- 'tr a-z A-Z' <<<"from stdin"
	assert_success
	assert_output "FROM STDIN"
}

@test "a reader that goes away early: the command gets SIGPIPE, no redact failure" {
	with_p1_secret
	run --separate-stderr bash -c 'secenv run -p p1 -- "yes plain-line" | head -2; echo "status ${PIPESTATUS[0]}"'
	assert_success
	assert_output "$(printf 'plain-line\nplain-line\nstatus 141')"
	[ -z "$stderr" ]
}

@test "a signal to secenv run stops the command's whole group; 143; audited" {
	with_p1_secret
	local marker="secenv-signal-$$-$RANDOM"
	run_marked_in_background p1 "$marker"
	local pid=$RUN_PID
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
	# the command's shells (the run's keeper, a fork with its command
	# line, may still be syncing the audit anchor after the run ends)
	run pgrep -f "^sh -c .*$marker"
	[ "$status" -eq 1 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "secenv: run: interrupted by SIGTERM; the command's process group was stopped"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit]')" '["run",143]'
}

@test "--json with a timeout: return_code 124, timed_out, the message in stderr" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -t 3 --json -- 'echo partial; sleep 60'
	[ "$status" -eq 124 ]
	assert_equal "$(jq -c '[.return_code, .timed_out, .stdout]' <<<"$output")" '[124,true,"partial\n"]'
	assert_equal "$(jq -r .stderr <<<"$output")" "secenv: run: timed out after 3s; the command's process group was killed"
	assert_equal "$stderr" "secenv: run: timed out after 3s; the command's process group was killed"
}

@test "set and rm: bad names are refused with 100; rm of a missing name is 100" {
	run --separate-stderr secenv set -p p1 1ABC <<<"value-123456"
	[ "$status" -eq 100 ]
	refute_output
	run --separate-stderr secenv set -p p1
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: set: expected one NAME"
	secenv_put p1 KEEP_ME "value-abcdef"
	run --separate-stderr secenv rm -p p1 MISSING
	[ "$status" -eq 100 ]
	run --separate-stderr secenv rm -p p1 KEEP_ME
	assert_success
	run --separate-stderr secenv list -p p1
	refute_output --partial KEEP_ME
}

@test "import reads a .env file; the values stay out of every output" {
	cat >"$BATS_TEST_TMPDIR/app.env" <<-EOF
		# comment
		export STRIPE_SECRET_KEY=$SECRET
		DATABASE_URL="postgresql://app:Imp0rtPassw0rd@db.example.com/mydb"
	EOF
	run --separate-stderr secenv import -p p1 "$BATS_TEST_TMPDIR/app.env"
	assert_success
	refute_secret "$SECRET"
	refute_secret Imp0rtPassw0rd
	run --separate-stderr secenv list -p p1
	assert_line --regexp '^DATABASE_URL[[:space:]]'
	assert_line --regexp '^STRIPE_SECRET_KEY[[:space:]]'
}

@test "run: no command, bad timeout, missing directory, unknown user are usage errors" {
	run --separate-stderr secenv run -p p1
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: run: no command (secenv run -p P -- COMMAND)"
	local t
	for t in 0 abc -5 1.5 ""; do
		run --separate-stderr secenv run -p p1 -t "$t" -- true
		[ "$status" -eq 100 ] || fail "-t '$t' gave $status"
	done
	run --separate-stderr secenv run -p p1 -C "$BATS_TEST_TMPDIR/nope" -- true
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "secenv: -C: $BATS_TEST_TMPDIR/nope: not a directory"
	run --separate-stderr secenv run -p p1 --as no-such-user-xyz -- true
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "secenv: --as: no such user: no-such-user-xyz"
}

@test "a switch that is not a boolean is a usage error naming it" {
	ENABLE_OUTPUT_SANITIZATION=maybe run --separate-stderr secenv run -p p1 -- true
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "secenv: ENABLE_OUTPUT_SANITIZATION: not a boolean (use 1 or 0, true or false)"
}

@test "injection with sanitisation off is refused unless forced" {
	with_p1_secret
	ENABLE_OUTPUT_SANITIZATION=false run --separate-stderr secenv run -p p1 -- 'echo ran'
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "secenv: refusing to inject secrets with ENABLE_OUTPUT_SANITIZATION off: output would show them unmasked (use --force or SECENV_FORCE=1 to do it anyway)"
	refute_output
	ENABLE_OUTPUT_SANITIZATION=0 run --separate-stderr secenv run --force -p p1 -- 'echo ran'
	assert_success
	assert_output ran
	ENABLE_OUTPUT_SANITIZATION=off SECENV_FORCE=1 run --separate-stderr secenv run -p p1 -- 'echo ran'
	assert_success
	assert_output ran
	# without injection there is nothing to show: no force needed
	ENABLE_OUTPUT_SANITIZATION=0 ENABLE_SECRET_INJECTION=0 run --separate-stderr secenv run -p p1 -- 'echo ran'
	assert_success
	assert_output ran
}

@test "run passes the command's exit status through; 127 not found; 128+N for a signal" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -- 'exit 7'
	[ "$status" -eq 7 ]
	run -127 --separate-stderr secenv run -p p1 -- no-such-command-xyz
	run --separate-stderr secenv run -p p1 -- 'kill -TERM $$'
	[ "$status" -eq 143 ]
	# several words: run directly, not through sh -c
	run --separate-stderr secenv run -p p1 -- sh -c 'exit 9'
	[ "$status" -eq 9 ]
}

@test "run -C runs in the directory; --json reports it and every seed field" {
	with_p1_secret
	mkdir "$BATS_TEST_TMPDIR/work"
	run --separate-stderr secenv run -p p1 -C "$BATS_TEST_TMPDIR/work" --json -- 'pwd; echo oops >&2; exit 3'
	[ "$status" -eq 3 ]
	[ -z "$stderr" ]
	local work
	work=$(cd "$BATS_TEST_TMPDIR/work" && pwd -P)
	assert_equal "$(jq -r .stdout <<<"$output")" "$work"
	assert_equal "$(jq -r .stderr <<<"$output")" "oops"
	assert_equal "$(jq -c '[.return_code, .working_directory, .env_injected, .env_count, .security_blocked, .timed_out]' <<<"$output")" \
		"[3,\"$work\",true,1,false,false]"
	assert_equal "$(jq -r 'keys | join(",")' <<<"$output")" \
		"duration_ms,env_count,env_injected,masks,output_sanitized,project,return_code,security_blocked,stderr,stdout,timed_out,working_directory"
}

@test "ENABLE_SECRET_INJECTION=0: the command runs without the secrets or vault credentials" {
	with_p1_secret
	VAULT_TOKEN=hvs.not-for-the-child ENABLE_SECRET_INJECTION=0 run --separate-stderr \
		secenv run -p p1 --json -- "python3 $FIXTURES/pipeline/env_report.py STRIPE_SECRET_KEY VAULT_TOKEN SECENV_HOME"
	assert_success
	assert_equal "$(jq -r .stdout <<<"$output")" "$(printf 'STRIPE_SECRET_KEY -\nVAULT_TOKEN -\nSECENV_HOME -')"
	assert_equal "$(jq -c '[.env_injected, .env_count]' <<<"$output")" "[false,0]"
}

@test "run with injection gives the command the exact value (by hash)" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -- "python3 $FIXTURES/pipeline/env_report.py STRIPE_SECRET_KEY"
	assert_success
	assert_output "STRIPE_SECRET_KEY $(printf '%s' "$SECRET" | sha256sum | cut -d' ' -f1)"
}

@test "timeout: exit 124 with a clear message" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -t 3 -- 'echo started; sleep 60'
	[ "$status" -eq 124 ]
	assert_output started
	assert_equal "$stderr" "secenv: run: timed out after 3s; the command's process group was killed"
}

@test "auditing on and an unwritable log: refused before the command starts" {
	with_p1_secret
	rm -f "$SECENV_HOME/audit.log"
	mkdir "$SECENV_HOME/audit.log" # not a file: cannot be appended to, even by root
	run --separate-stderr secenv run -p p1 -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 111 ]
	assert_equal "$stderr" "secenv: audit log $SECENV_HOME/audit.log: not writable; refusing to run (AUDIT_SECRET_ACCESS is on)"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	# with auditing off the same run goes ahead
	AUDIT_SECRET_ACCESS=0 run --separate-stderr secenv run -p p1 -- "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	[ -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "AUDIT_SECRET_ACCESS=0 writes no record; on, one record per run that verifies" {
	with_p1_secret
	local before=0
	[ -f "$SECENV_HOME/audit.log" ] && before=$(wc -l <"$SECENV_HOME/audit.log")
	AUDIT_SECRET_ACCESS=0 run --separate-stderr secenv run -p p1 -- true
	assert_success
	assert_equal "$(cat "$SECENV_HOME/audit.log" 2>/dev/null | wc -l)" "$before"
	run --separate-stderr secenv run -p p1 -- 'exit 4'
	[ "$status" -eq 4 ]
	# the intent, written before the command, and the outcome
	assert_equal "$(wc -l <"$SECENV_HOME/audit.log")" "$((before + 2))"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .project, .exit, .secrets, .verdict]')" \
		'["run","p1",4,["STRIPE_SECRET_KEY"],"allowed"]'
	run --separate-stderr secenv audit verify
	assert_success
}

@test "a value typed into the command itself is masked in the audit record" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -- "echo $SECRET >/dev/null"
	assert_success
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -r .command)" "echo sk_test_***REDACTED*** >/dev/null"
	run grep -cF -- "$SECRET" "$SECENV_HOME/audit.log"
	assert_output 0
}

@test "audit: shows the log, filters by project, rejects an unknown verb" {
	with_p1_secret
	secenv_put p2 OTHER_TOKEN "other-value-123456"
	secenv run -p p1 -- true
	secenv run -p p2 -- true
	run --separate-stderr secenv audit -p p2
	assert_success
	assert_equal "$(jq -r .project <<<"$output" | sort -u)" p2
	run --separate-stderr secenv audit
	assert_success
	assert_equal "$(jq -r 'select(.event == "run") | .project' <<<"$output" | sort -u | tr '\n' ' ')" "p1 p2 "
	refute_secret "$SECRET"
	run --separate-stderr secenv audit frob
	[ "$status" -eq 100 ]
	assert_equal "$(head -1 <<<"$stderr")" "secenv: audit: unknown verb: frob"
}

@test "revoke refuses the next run (111) and unrevoke allows it again" {
	with_p1_secret
	run --separate-stderr secenv revoke -p p1
	assert_success
	assert_equal "$stderr" "secenv: project p1 revoked; 0 running command(s) stopped"
	run --separate-stderr secenv run -p p1 -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 111 ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_equal "$(tail -1 <<<"$stderr")" "secenv: run: cannot fetch the secrets of p1; nothing was run"
	# --json still answers with one object
	run --separate-stderr secenv run -p p1 --json -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 111 ]
	assert_equal "$(jq -c '[.return_code, .env_injected, .security_blocked, .stdout]' <<<"$output")" '[111,false,false,""]'
	assert_equal "$(jq -j .stderr <<<"$output" | tail -1)" "secenv: run: cannot fetch the secrets of p1; nothing was run"
	run --separate-stderr secenv unrevoke -p p1
	assert_success
	run --separate-stderr secenv run -p p1 -- "touch $BATS_TEST_TMPDIR/ran"
	assert_success
	[ -e "$BATS_TEST_TMPDIR/ran" ]
	assert_equal "$(jq -r 'select((.event == "revoke" or .event == "unrevoke") and .intent == null) | .event' "$SECENV_HOME/audit.log" | tr '\n' ' ')" "revoke unrevoke "
}

@test "read: an ordinary file comes back masked; a .env file is blocked (1) and audited" {
	with_p1_secret
	printf 'key = %s\nplain line\n' "$SECRET" >"$BATS_TEST_TMPDIR/config.txt"
	run --separate-stderr secenv read -p p1 "$BATS_TEST_TMPDIR/config.txt"
	assert_success
	assert_line --index 0 "key = sk_test_***REDACTED***"
	assert_line --index 1 "plain line"
	refute_secret "$SECRET"
	printf 'STRIPE_SECRET_KEY=%s\n' "$SECRET" >"$BATS_TEST_TMPDIR/.env"
	run --separate-stderr secenv read -p p1 "$BATS_TEST_TMPDIR/.env"
	[ "$status" -eq 1 ]
	refute_output
	[[ $stderr == "cmdguard: denied: "* ]] || fail "no reason: $stderr"
	refute_secret "$SECRET"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -r '[.event, .verdict] | join(" ")')" "blocked denied"
	# BLOCK_ENV_FILE_ACCESS=0: the guard is off, redact still masks
	BLOCK_ENV_FILE_ACCESS=0 run --separate-stderr secenv read -p p1 "$BATS_TEST_TMPDIR/.env"
	assert_success
	assert_output "STRIPE_SECRET_KEY=sk_test_***REDACTED***"
	run --separate-stderr secenv read -p p1 "$BATS_TEST_TMPDIR/missing.txt"
	[ "$status" -eq 111 ]
}

@test "read --json: one object with the masked content, or the refusal" {
	with_p1_secret
	printf 'key = %s\nplain line\n' "$SECRET" >"$BATS_TEST_TMPDIR/config.txt"
	run --separate-stderr secenv read -p p1 --json "$BATS_TEST_TMPDIR/config.txt"
	assert_success
	assert_equal "$(jq -c '[.content, .return_code, .security_blocked, .masks.STRIPE_SECRET_KEY]' <<<"$output")" \
		'["key = sk_test_***REDACTED***\nplain line\n",0,false,1]'
	assert_equal "${#lines[@]}" 1
	refute_secret "$SECRET"
	printf 'STRIPE_SECRET_KEY=%s\n' "$SECRET" >"$BATS_TEST_TMPDIR/.env"
	run --separate-stderr secenv read -p p1 --json "$BATS_TEST_TMPDIR/.env"
	[ "$status" -eq 1 ]
	assert_equal "$(jq -c '[.content, .return_code, .security_blocked, .reason]' <<<"$output")" \
		"[\"\",1,true,\"reads protected path $BATS_TEST_TMPDIR/.env\"]"
	refute_secret "$SECRET"
}

@test "a denied command is blocked before any fetch: status 1, reason, blocked record" {
	with_p1_secret
	run --separate-stderr secenv run -p p1 -- printenv
	[ "$status" -eq 1 ]
	refute_output
	[[ $stderr == "cmdguard: denied: "* ]] || fail "no reason: $stderr"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -r '[.event, .verdict, .command] | join(" ")')" "blocked denied printenv"
	# nothing was fetched: no blob in the cache
	run find "$XDG_RUNTIME_DIR" -path '*/cache/*' -name 'p1@*'
	refute_output
	run --separate-stderr secenv run -p p1 --json -- 'cat .env'
	[ "$status" -eq 1 ]
	assert_equal "$(jq -c '[.security_blocked, .return_code, .env_injected, .stdout]' <<<"$output")" '[true,1,false,""]'
	[[ $(jq -r .stderr <<<"$output") == "cmdguard: denied: "* ]]
	# the guard off: the same command runs (and redact masks what it prints)
	BLOCK_ENV_FILE_ACCESS=0 run --separate-stderr secenv run -p p1 -- printenv STRIPE_SECRET_KEY
	assert_success
	assert_output "sk_test_***REDACTED***"
}

@test "the script is shellcheck-clean" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	run shellcheck "$SECENV_SRC/bin/secenv-owner"
	assert_success
}

@test "--as USER without injection still drops to USER" {
	[[ $EUID -eq 0 ]] || skip "needs root"
	id -u nobody >/dev/null 2>&1 || skip "no user nobody"
	with_p1_secret
	ENABLE_SECRET_INJECTION=0 run --separate-stderr secenv run -p p1 --as nobody -C / -- 'id -un'
	assert_success
	assert_output nobody
}

@test "--as USER: the command has the user's ids and exactly its groups from /etc/group, none of root's" {
	[[ $EUID -eq 0 ]] || skip "needs root"
	# postgres (make deps installs it) is a member of ssl-cert as well
	id -u postgres >/dev/null 2>&1 || skip "no user postgres"
	grep -q '^ssl-cert:.*[:,]postgres\(,\|$\)' /etc/group || skip "postgres is in no other group"
	with_p1_secret
	run --separate-stderr secenv run -p p1 --as postgres -C / -- \
		'id -u; id -g; id -G | tr " " "\n" | sort -n | paste -sd" "'
	assert_success
	assert_line --index 0 "$(id -u postgres)"
	assert_line --index 1 "$(id -g postgres)"
	assert_line --index 2 "$(id -G postgres | tr ' ' '\n' | sort -n | paste -sd' ')"
	[[ ${lines[2]} == *"$(getent group ssl-cert | cut -d: -f3)"* ]]
	[[ ${#lines[@]} -eq 3 ]]
}
