#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv-run, the program behind `secenv run`: its options, its streams,
# what it leaves on disk and in the command's hands, its process groups.
# What `secenv run` does for a user is in secenv.bats and pipeline.bats.
# shellcheck disable=SC2016 # single-quoted scripts expand their own $1, $2

bats_require_minimum_version 1.5.0
load helpers/common

SECRET=sk_test_Zq8vW3nR5tY1uI7oP2aS

# each test starts from a copy of one initialized home (secenv_test_env init);
# one that needs p1's secret from a copy of one holding it (with_p1_secret)
setup_file() {
	secenv_init_home
	secenv_p1_home "$SECRET"
}

setup() {
	secenv_test_env init
	secenv_user_env
	MASKED='sk_test_***REDACTED***'
	SR="$FIXTURES/secenv-run"
	RUN="$SECENV_BIN/secenv-run"
	RT="$XDG_RUNTIME_DIR/secenv-$EUID"
	USAGE="usage: secenv run -p PROJECT [-C DIR] [-t SECONDS] [--json] [--hints] [-i] [-n] [--pty] [--watch] [--keep-children] [--as USER] [--force] -- COMMAND..."
}

teardown() {
	# a reader that never read lets the masking, then the run, end
	if [[ -n ${STDOUT_FIFO:-} ]]; then
		exec {STDOUT_FIFO}<&-
	fi
	# a test that failed half-way leaves no run behind
	if [[ -n ${RUN_PID:-} ]] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -TERM "$RUN_PID" 2>/dev/null || true
		wait "$RUN_PID" 2>/dev/null || true
	fi
}

# How many records the audit log holds.
audit_records() {
	if [[ -f $SECENV_HOME/audit.log ]]; then
		wc -l <"$SECENV_HOME/audit.log"
	else
		echo 0
	fi
}

# The one run directory of the runtime directory (there must be one).
run_dir() {
	local dirs=("$RT"/run.*)
	[[ ${#dirs[@]} -eq 1 && -d ${dirs[0]} ]] || return 1
	printf '%s\n' "${dirs[0]}"
}

has_running_record() {
	local dir
	dir=$(run_dir) && [[ -s $dir/running.$1 ]]
}

# No run directory is left in the runtime directory.
assert_no_run_dir() {
	[[ -d $RT ]] || return 0
	run find "$RT" -mindepth 1 -maxdepth 1 -name 'run.*'
	assert_success
	refute_output
}

# The live members of process group $1, "PID STAT ARGS" one a line. A
# zombie is left out: where PID 1 does not reap orphans they linger, and
# a zombie runs nothing.
group_live() {
	ps -o pid=,stat=,args= -g "$1" | awk '$2 !~ /^Z/'
}

# run_in_background OUT ERR ARGS...: secenv-run ARGS in the background,
# its stdout to OUT and its stderr to ERR; RUN_PID is its pid.
run_in_background() {
	local out=$1 err=$2
	shift 2
	"$RUN" "$@" >"$out" 2>"$err" 3>&- &
	RUN_PID=$!
}

# Start the marked long command of run_marked_in_background and wait for
# its running record; PGID is then its process group.
start_marked_run() {
	run_marked_in_background "$1" "$2"
	wait_until has_running_record "$1"
	local dir
	dir=$(run_dir)
	read -r PGID _ <"$dir/running.$1"
}

# ------------------------------------------------------------- options

@test "-h and --help print the usage on stdout, exit 0, nothing on stderr" {
	run --separate-stderr "$RUN" -h
	assert_success
	assert_line --index 0 "$USAGE"
	assert_line --index 1 "Check COMMAND with cmdguard, fetch PROJECT's sealed blob, run COMMAND with the"
	assert_line "  -h                this help"
	[ -z "$stderr" ]
	local help=$output
	run --separate-stderr "$RUN" --help
	assert_success
	assert_output "$help"
	[ -z "$stderr" ]
	# -h wins wherever it stands among the options, before any check
	run --separate-stderr "$RUN" -p 'bad/id' -t 0 -h
	assert_success
	assert_output "$help"
	# the script's help for run is this text
	run --separate-stderr secenv help run
	assert_success
	assert_output "$help"
}

@test "an unknown option or a missing value: the message, the usage line, 100, nothing run" {
	local records
	records=$(audit_records)
	run --separate-stderr "$RUN" --bogus
	[ "$status" -eq 100 ]
	refute_output
	assert_equal "$stderr" "$(printf 'secenv: run: unknown option: --bogus\n%s' "$USAGE")"
	run --separate-stderr "$RUN" -p p1 -x -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "$(printf 'secenv: run: unknown option: -x\n%s' "$USAGE")"
	local opt
	for opt in -p --project -C --cwd -t --timeout --as; do
		run --separate-stderr "$RUN" "$opt"
		[ "$status" -eq 100 ] || fail "$opt without a value gave $status"
		assert_equal "$stderr" "$(printf 'secenv: run: %s needs a value\n%s' "$opt" "$USAGE")"
	done
	run --separate-stderr "$RUN" -p p1 -t 0 -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 100 ]
	assert_equal "$stderr" "$(printf 'secenv: run: -t: not a positive number of seconds: 0\n%s' "$USAGE")"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	# nothing was started: no run directory, no record
	assert_no_run_dir
	assert_equal "$(audit_records)" "$records"
}

@test "the project: -p P, -pP, --project=P, SECENV_PROJECT; -p wins over the variable" {
	with_p1_secret
	secenv_put p2 OTHER_TOKEN other-value-123456
	local form
	for form in "-p p1" -pp1 --project=p1 "--project p1"; do
		# shellcheck disable=SC2086 # the form is one or two words
		run --separate-stderr "$RUN" $form --json -- true
		assert_success
		assert_equal "$(jq -c '[.project, .env_count]' <<<"$output")" '["p1",1]'
	done
	SECENV_PROJECT=p2 run --separate-stderr "$RUN" --json -- true
	assert_success
	assert_equal "$(jq -r .project <<<"$output")" p2
	SECENV_PROJECT=p2 run --separate-stderr "$RUN" -p p1 --json -- true
	assert_success
	assert_equal "$(jq -r .project <<<"$output")" p1
}

@test "the first word that is not an option starts the command; its own flags stay its own" {
	with_p1_secret
	run --separate-stderr "$RUN" -p p1 printf '%s|' --json -i 'a b'
	assert_success
	assert_output "--json|-i|a b|"
	[ -z "$stderr" ]
}

@test "several words run as they are (no shell) and are recorded quoted as the shell reads them" {
	with_p1_secret
	# $HOME reaches the command unexpanded
	run --separate-stderr "$RUN" -p p1 -- printf '%s|' 'a b' "it's" '$HOME' plain_word
	assert_success
	assert_output "a b|it's|\$HOME|plain_word|"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -r .command)" \
		"printf '%s|' 'a b' 'it'\\''s' '\$HOME' plain_word"
	# one word runs under sh -c and is recorded as it is
	run --separate-stderr "$RUN" -p p1 -- 'printf "%s|" "a b" $((1 + 2))'
	assert_success
	assert_output "a b|3|"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -r .command)" 'printf "%s|" "a b" $((1 + 2))'
}

# ------------------------------------------------------------- streams

@test "stdout and stderr stay separate, each masked on its own" {
	with_p1_secret
	run --separate-stderr "$RUN" -p p1 -- sh "$SR/print_value.sh" STRIPE_SECRET_KEY
	assert_success
	assert_output "out $MASKED"
	assert_equal "$stderr" "err $MASKED"
	refute_secret "$SECRET"
	run --separate-stderr "$RUN" -p p1 --json -- sh "$SR/print_value.sh" STRIPE_SECRET_KEY
	assert_success
	[ -z "$stderr" ]
	assert_equal "$(jq -c '[.stdout, .stderr, .masks, .output_sanitized]' <<<"$output")" \
		"[\"out $MASKED\\n\",\"err $MASKED\\n\",{\"STRIPE_SECRET_KEY\":2},true]"
	refute_secret "$SECRET"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c .masks)" '{"STRIPE_SECRET_KEY":2}'
}

@test "5 MB with the secret every 1000 bytes: byte-exact masked output on stdout, stderr and --json" {
	with_p1_secret
	local expected_sum expected_size got="$BATS_TEST_TMPDIR/got"
	STRIPE_SECRET_KEY=$SECRET python3 "$SR/lines.py" STRIPE_SECRET_KEY 5000 |
		sed "s/$SECRET/sk_test_\\*\\*\\*REDACTED\\*\\*\\*/g" >"$BATS_TEST_TMPDIR/expected"
	expected_size=$(wc -c <"$BATS_TEST_TMPDIR/expected")
	expected_sum=$(sha256sum <"$BATS_TEST_TMPDIR/expected")
	# 5000 lines of 1000 bytes, each mask 6 bytes shorter than the value
	[ "$expected_size" -eq $((5000 * 1000 - 5000 * (${#SECRET} - ${#MASKED}))) ]

	"$RUN" -p p1 -- python3 "$SR/lines.py" STRIPE_SECRET_KEY 5000 both >"$got.out" 2>"$got.err"
	assert_equal "$(wc -c <"$got.out")" "$expected_size"
	assert_equal "$(wc -c <"$got.err")" "$expected_size"
	assert_equal "$(sha256sum <"$got.out")" "$expected_sum"
	assert_equal "$(sha256sum <"$got.err")" "$expected_sum"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c .masks)" '{"STRIPE_SECRET_KEY":10000}'

	"$RUN" -p p1 --json -- python3 "$SR/lines.py" STRIPE_SECRET_KEY 5000 both >"$got.json" 2>"$got.err"
	[ ! -s "$got.err" ]
	assert_equal "$(jq -j .stdout "$got.json" | sha256sum)" "$expected_sum"
	assert_equal "$(jq -j .stderr "$got.json" | sha256sum)" "$expected_sum"
	assert_equal "$(jq -c '[.return_code, .masks]' "$got.json")" '[0,{"STRIPE_SECRET_KEY":10000}]'
	run grep -cF -- "$SECRET" "$got.out" "$got.err" "$got.json"
	assert_output "$(printf '%s:0\n' "$got.out" "$got.err" "$got.json")"
}

@test "a reader that goes away (| head -1) is no failure; the record holds the command's status" {
	with_p1_secret
	# (a stream left unread once its reader has gone would hold the run up:
	# timeout turns that into 124)
	run --separate-stderr bash -c 'timeout 60 "$SECENV_BIN/secenv-run" -p p1 -- "yes plain-line" | head -1; echo "status ${PIPESTATUS[0]}"'
	assert_success
	assert_output "$(printf 'plain-line\nstatus 141')"
	[ -z "$stderr" ]
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .project, .command, .exit, .verdict]')" \
		'["run","p1","yes plain-line",141,"allowed"]'
	# started with SIGPIPE ignored, the command still dies of it, as it would
	# have been started by a shell
	run --separate-stderr bash -c 'trap "" PIPE; timeout 60 "$SECENV_BIN/secenv-run" -p p1 -- "yes plain-line" | head -1; echo "status ${PIPESTATUS[0]}"'
	assert_success
	assert_output "$(printf 'plain-line\nstatus 141')"
	[ -z "$stderr" ]
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit]')" '["run",141]'
}

@test "the command starts with the signal dispositions and mask the run was started with, not those of the masking process that starts it" {
	with_p1_secret
	local expected ignored
	# the masking process ignores TERM, INT and HUP and blocks USR2; none
	# of that reaches the command
	expected=$(grep -E '^Sig(Ign|Blk):' /proc/self/status)
	run --separate-stderr "$RUN" -p p1 -- grep -E '^Sig(Ign|Blk):' /proc/self/status
	assert_success
	assert_output "$expected"
	[ -z "$stderr" ]
	# a run started with them ignored (a script's background job) passes
	# that on, as a shell would
	expected=$(bash -c 'trap "" INT TERM HUP; exec grep -E "^Sig(Ign|Blk):" /proc/self/status')
	# HUP, INT and TERM are bits 0, 1 and 14 (the runner may ignore more)
	ignored=$(sed -n 's/^SigIgn:\t//p' <<<"$expected")
	(((16#$ignored & 16#4003) == 16#4003)) || fail "the shell did not ignore INT, TERM and HUP: $expected"
	run --separate-stderr bash -c 'trap "" INT TERM HUP; exec "$0" -p p1 -- grep -E "^Sig(Ign|Blk):" /proc/self/status' "$RUN"
	assert_success
	assert_output "$expected"
	[ -z "$stderr" ]
}

@test "a stalled reader of stdout does not hold up stderr; read later, stdout is whole and masked" {
	with_p1_secret
	local fifo="$BATS_TEST_TMPDIR/stdout.fifo" got="$BATS_TEST_TMPDIR/got" tries=0 rc=0
	# 8 MB: far more than the pipes and the masking's buffers hold (2.5 MB)
	STRIPE_SECRET_KEY=$SECRET python3 "$SR/lines.py" STRIPE_SECRET_KEY 8000 |
		sed "s/$SECRET/$MASKED/g" >"$BATS_TEST_TMPDIR/expected"
	mkfifo "$fifo"
	# stall.py writes its stderr line once its stdout pipe is full
	run_in_background "$fifo" "$got.err" -p p1 -- python3 "$SR/stall.py" STRIPE_SECRET_KEY 8000
	# the run's stdout is open for reading, and nobody reads it yet
	exec {STDOUT_FIFO}<"$fifo"
	until [[ -s $got.err && -z $(tail -c 1 "$got.err") ]]; do
		((++tries <= 200)) ||
			fail "no whole line on the run's stderr after 10 s while its stdout was not read ($(wc -c <"$got.err") bytes): stderr is held up by stdout"
		sleep 0.05
	done
	assert_equal "$(cat "$got.err")" "stdout stalled: $MASKED."
	# 8 MB cannot have passed: the run is still held up by its stdout
	kill -0 "$RUN_PID" || fail "the run ended before its stdout was read"

	timeout 60 cat <&"$STDOUT_FIFO" >"$got.out" || fail "the run's stdout did not end within 60 s of being read"
	exec {STDOUT_FIFO}<&-
	unset STDOUT_FIFO
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 0 ] || fail "the run exited $rc"
	assert_equal "$(wc -c <"$got.out")" $((8000 * 1000 - 8000 * (${#SECRET} - ${#MASKED})))
	assert_equal "$(sha256sum <"$got.out")" "$(sha256sum <"$BATS_TEST_TMPDIR/expected")"
	# nothing more came on stderr
	assert_equal "$(cat "$got.err")" "stdout stalled: $MASKED."
	run grep -cF -- "$SECRET" "$got.out" "$got.err"
	assert_output "$(printf '%s:0\n' "$got.out" "$got.err")"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .masks]')" \
		'["run",0,{"STRIPE_SECRET_KEY":8001}]'
}

@test "a reader of stdout that goes away (| head -1): stderr gets every line, masked; the status is the command's" {
	with_p1_secret
	local got="$BATS_TEST_TMPDIR/got" expected="$BATS_TEST_TMPDIR/expected" i
	for ((i = 0; i < 200; i++)); do
		printf 'err %04d %s\n' "$i" "$MASKED"
	done >"$expected"
	# the command sees EPIPE on stdout early, goes on with stderr and says
	# so with status 5 (see stdout_gone.py)
	run --separate-stderr bash -c 'timeout 60 "$1" -p p1 -- python3 "$2" STRIPE_SECRET_KEY 200 2>"$3" | head -1; echo "status ${PIPESTATUS[*]}"' \
		_ "$RUN" "$SR/stdout_gone.py" "$got.err"
	assert_success
	assert_output "$(printf 'out-line 000000\nstatus 5 0')"
	[ -z "$stderr" ]
	assert_equal "$(wc -l <"$got.err")" 200
	cmp -- "$expected" "$got.err"
	assert_equal "$(grep -cF -- "$SECRET" "$got.err")" 0
	# plain lines on stdout: every mask is one of stderr's
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .masks]')" \
		'["run",5,{"STRIPE_SECRET_KEY":200}]'

	# the command's stdout writer dies of SIGPIPE (yes), its stderr writer
	# (another process) writes 2000 lines of 1000 bytes; the shell returns
	# the status of yes
	STRIPE_SECRET_KEY=$SECRET python3 "$SR/lines.py" STRIPE_SECRET_KEY 2000 |
		sed "s/$SECRET/$MASKED/g" >"$expected"
	local cmd="yes plain-out & y=\$!; python3 $SR/lines.py STRIPE_SECRET_KEY 2000 stderr; wait \$y"
	run --separate-stderr bash -c 'timeout 60 "$1" -p p1 -- "$2" 2>"$3" | head -1; echo "status ${PIPESTATUS[*]}"' \
		_ "$RUN" "$cmd" "$got.err"
	assert_success
	assert_output "$(printf 'plain-out\nstatus 141 0')"
	[ -z "$stderr" ]
	assert_equal "$(wc -l <"$got.err")" 2000
	cmp -- "$expected" "$got.err"
	assert_equal "$(grep -cF -- "$SECRET" "$got.err")" 0
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .masks]')" \
		'["run",141,{"STRIPE_SECRET_KEY":2000}]'
}

@test "both streams full of secrets at once: each masked byte for byte, masks summed per name" {
	local other=other-value-Xk93Lm2Qp7 got="$BATS_TEST_TMPDIR/got"
	local raw="$BATS_TEST_TMPDIR/raw" expected="$BATS_TEST_TMPDIR/expected"
	with_p1_secret
	secenv_put p1 OTHER_TOKEN "$other"
	# the text the command writes, made here, and masked by sed
	STRIPE_SECRET_KEY=$SECRET OTHER_TOKEN=$other \
		python3 "$SR/two_streams.py" STRIPE_SECRET_KEY OTHER_TOKEN 20000 >"$raw.out" 2>"$raw.err"
	local s
	for s in out err; do
		sed -e "s/$SECRET/$MASKED/g" -e "s/$other/***REDACTED***/g" "$raw.$s" >"$expected.$s"
	done
	# how often each value occurs, stdout and stderr together
	local stripe_count other_count masks
	stripe_count=$(cat "$raw.out" "$raw.err" | grep -oF -- "$SECRET" | wc -l)
	other_count=$(cat "$raw.out" "$raw.err" | grep -oF -- "$other" | wc -l)
	# once a stdout line, twice a stderr line; every 3rd and every 7th
	[ "$stripe_count" -eq $((20000 + 2 * 20000)) ]
	[ "$other_count" -eq $((6667 + 2858)) ]
	masks="{\"OTHER_TOKEN\":$other_count,\"STRIPE_SECRET_KEY\":$stripe_count}"

	# -t: streams that wait on each other would time out (124), not hang
	"$RUN" -p p1 -t 60 -- python3 "$SR/two_streams.py" STRIPE_SECRET_KEY OTHER_TOKEN 20000 >"$got.out" 2>"$got.err"
	for s in out err; do
		assert_equal "$(sha256sum <"$got.$s")" "$(sha256sum <"$expected.$s")"
	done
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.exit, .masks]')" "[0,$masks]"

	"$RUN" -p p1 -t 60 --json -- python3 "$SR/two_streams.py" STRIPE_SECRET_KEY OTHER_TOKEN 20000 >"$got.json" 2>"$got.jsonerr"
	[ ! -s "$got.jsonerr" ]
	assert_equal "$(jq -j .stdout "$got.json" | sha256sum)" "$(sha256sum <"$expected.out")"
	assert_equal "$(jq -j .stderr "$got.json" | sha256sum)" "$(sha256sum <"$expected.err")"
	assert_equal "$(jq -c '[.return_code, .masks]' "$got.json")" "[0,$masks]"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.exit, .masks]')" "[0,$masks]"
	run grep -cF -e "$SECRET" -e "$other" "$got.out" "$got.err" "$got.json"
	assert_output "$(printf '%s:0\n' "$got.out" "$got.err" "$got.json")"
}

@test "a closed stdout, stdin or stderr is /dev/null for the run and everything it starts" {
	with_p1_secret
	# the masked output goes nowhere; the run and its record are whole
	run --separate-stderr bash -c '"$1" -p p1 -- sh "$2" STRIPE_SECRET_KEY stdout >&-' _ "$RUN" "$SR/print_value.sh"
	assert_success
	refute_output
	[ -z "$stderr" ]
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .masks]')" '["run",0,{"STRIPE_SECRET_KEY":1}]'
	run grep -cF -- "$SECRET" "$SECENV_HOME/audit.log"
	assert_output 0
}

# ------------------------------------------------------- what the command gets

@test "the command's descriptors are 0, 1 and 2 only: no blob, no memfd, two separate pipes" {
	with_p1_secret
	run --separate-stderr "$RUN" -p p1 -- python3 "$SR/fds.py" </dev/null
	assert_success
	assert_output "$(printf '0 /dev/null\n1 pipe\n2 pipe')"
	[ -z "$stderr" ]
	# through sh -c as well, and with --json
	run --separate-stderr "$RUN" -p p1 --json -- "python3 $SR/fds.py" </dev/null
	assert_success
	assert_equal "$(jq -r .stdout <<<"$output")" "$(printf '0 /dev/null\n1 pipe\n2 pipe')"
	# with 0 closed, the command reads /dev/null, and no descriptor of
	# the run takes its place
	run --separate-stderr bash -c '"$1" -p p1 -- python3 "$2" <&-' _ "$RUN" "$SR/fds.py"
	assert_success
	assert_output "$(printf '0 /dev/null\n1 pipe\n2 pipe')"
	# nothing to mask: the command writes straight to the run's own stdout and stderr
	"$RUN" -p empty -- python3 "$SR/fds.py" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" \
		"$(printf '0 /dev/null\n1 %s\n2 %s' "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err")"
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
}

@test "the command's environment holds the secret once, under its own name" {
	with_p1_secret
	secenv_put p1 DATABASE_URL "postgresql://app:Env0nlyOnce-pw@db.example.com/mydb"
	run --separate-stderr "$RUN" -p p1 --json -- python3 "$SR/environ.py" entries
	assert_success
	refute_secret "$SECRET"
	refute_secret Env0nlyOnce-pw
	assert_equal "$(jq -r .stdout <<<"$output" | grep -F REDACTED)" \
		"$(printf 'DATABASE_URL=postgresql://app:***REDACTED***@db.example.com/mydb\nSTRIPE_SECRET_KEY=%s' "$MASKED")"
	assert_equal "$(jq -c '[.masks, .env_count]' <<<"$output")" '[{"DATABASE_URL":1,"STRIPE_SECRET_KEY":1},2]'
}

@test "a project without secrets runs with the scrubbed environment; -i makes it minimal" {
	# the interpreter itself, not a wrapper that adds to the environment
	local python
	python=$(python3 -c 'import sys; print(sys.executable)')
	local -a base=(env -i "PATH=$PATH" HOME=/nonexistent-home LANG=C.UTF-8 TERM=dumb
		APP_SETTING=kept VAULT_TOKEN=hvs.not-for-the-child VAULT_ADDR=http://127.0.0.1:1
		AZURE_CLIENT_SECRET=azure-not-for-the-child SECENV_FORCE=1
		"SECENV_HOME=$SECENV_HOME" "SECENV_BIN=$SECENV_BIN" "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR")
	run --separate-stderr "${base[@]}" "$RUN" -p empty --json -- "$python" "$SR/environ.py" names
	assert_success
	assert_equal "$(jq -r .stdout <<<"$output")" \
		"$(printf '%s\n' APP_SETTING HOME LANG PATH TERM XDG_RUNTIME_DIR)"
	assert_equal "$(jq -c '[.return_code, .env_injected, .env_count, .output_sanitized, .masks]' <<<"$output")" \
		'[0,false,0,false,{}]'
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .project, .secrets, .masks]')" \
		'["run","empty",[],{}]'
	run --separate-stderr "${base[@]}" "$RUN" -p empty -i -- "$python" "$SR/environ.py" names
	assert_success
	assert_output "$(printf '%s\n' HOME LANG PATH TERM)"
	[ -z "$stderr" ]
	# -i with secrets: the minimal environment plus the secrets
	secenv_put p1 STRIPE_SECRET_KEY "$SECRET"
	run --separate-stderr "${base[@]}" "$RUN" -p p1 -i -- "$python" "$SR/environ.py" names
	assert_success
	assert_output "$(printf '%s\n' HOME LANG PATH STRIPE_SECRET_KEY TERM)"
	refute_secret "$SECRET"
}

@test "ENABLE_OUTPUT_SANITIZATION=0 with --force: raw output, output_sanitized false, no masks" {
	with_p1_secret
	# the owner asked for unmasked output: the value is expected in it here
	ENABLE_OUTPUT_SANITIZATION=0 run --separate-stderr "$RUN" -p p1 --force -- sh "$SR/print_value.sh" STRIPE_SECRET_KEY
	assert_success
	assert_output "out $SECRET"
	assert_equal "$stderr" "err $SECRET"
	ENABLE_OUTPUT_SANITIZATION=0 run --separate-stderr "$RUN" -p p1 --force --json -- sh "$SR/print_value.sh" STRIPE_SECRET_KEY
	assert_success
	[ -z "$stderr" ]
	assert_equal "$(jq -c '[.stdout, .stderr, .output_sanitized, .env_injected, .masks]' <<<"$output")" \
		"[\"out $SECRET\\n\",\"err $SECRET\\n\",false,true,{}]"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.secrets, .masks]')" '[["STRIPE_SECRET_KEY"],{}]'
}

@test "ENABLE_SECRET_INJECTION=0: no secret in the command, yet what it prints is masked" {
	with_p1_secret
	printf 'key=%s\n' "$SECRET" >"$BATS_TEST_TMPDIR/config.txt"
	ENABLE_SECRET_INJECTION=0 run --separate-stderr "$RUN" -p p1 --json -- \
		sh -c 'python3 "$1" STRIPE_SECRET_KEY; cat "$2"' _ "$FIXTURES/pipeline/env_report.py" "$BATS_TEST_TMPDIR/config.txt"
	assert_success
	[ -z "$stderr" ]
	assert_equal "$(jq -r .stdout <<<"$output")" "$(printf 'STRIPE_SECRET_KEY -\nkey=%s' "$MASKED")"
	assert_equal "$(jq -c '[.env_injected, .env_count, .output_sanitized, .masks]' <<<"$output")" \
		'[false,0,true,{"STRIPE_SECRET_KEY":1}]'
	refute_secret "$SECRET"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.secrets, .masks]')" '[[],{"STRIPE_SECRET_KEY":1}]'
}

# ------------------------------------------------- the run, on disk and in /proc

@test "during a run: only running.PROJECT (PGID STARTTIME) on disk, no blob anywhere, then nothing" {
	with_p1_secret
	local marker="secenv-run-files-$$-$RANDOM" pid dir
	start_marked_run p1 "$marker"
	pid=$RUN_PID
	# `secenv run` became secenv-run: no shell in between
	assert_equal "$(readlink "/proc/$pid/exe")" "$(readlink -f "$RUN")"
	dir=$(run_dir)
	run ls -A "$dir"
	assert_output running.p1
	[ "$(stat -c %a "$dir")" = 700 ]
	[ "$(stat -c %a "$dir/running.p1")" = 600 ]
	# PGID is the command's own group and session, led by a child of the run,
	# and STARTTIME is that leader's; the second line says where all the
	# command's processes are: the run's own cgroup, whose only members
	# are the command's
	local start cgroup
	read -r _ start <"$dir/running.p1"
	[[ $(cat "$dir/running.p1") =~ ^[0-9]+\ [0-9]+$'\n'cgroup\ $pid\ ([0-9]+)\ (/.*/secenv-run\.$pid)$ ]]
	assert_equal "${BASH_REMATCH[1]}" "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)"
	cgroup=${BASH_REMATCH[2]}
	assert_equal "$(sort -n "$cgroup/cgroup.procs" | tr '\n' ' ')" "$(pgrep -g "$PGID" | sort -n | tr '\n' ' ')"
	assert_equal "$(ps -o ppid=,pgid=,sid= -p "$PGID" | awk '{print $1, $2, $3}')" "$pid $PGID $PGID"
	assert_equal "$(sed 's/.*) //' "/proc/$PGID/stat" | cut -d' ' -f20)" "$start"
	local inner
	inner=$(pgrep -f "sleep 300; : $marker")
	assert_equal "$(ps -o pgid= -p "$inner" | tr -d ' ')" "$PGID"
	# the run has three children: the command's group leader, one masking
	# process, outside that group (stopping it leaves the masking to
	# finish), with a thread for stdout, one for stderr and one that stops
	# it on the run's word, and the keeper that stops the command's
	# processes if the run dies and appends the run's audit records (it
	# holds two pipes, the run's orders and its answers, and says what
	# it says as auditlog into a file in memory, its stderr)
	local p masker keeper
	local -a children
	mapfile -t children < <(pgrep -P "$pid")
	[[ ${#children[@]} -eq 3 && " ${children[*]} " == *" $PGID "* ]] ||
		fail "the run's children are ${children[*]}, the command's group leader $PGID"
	for p in "${children[@]}"; do
		[[ $p == "$PGID" ]] && continue
		if [[ $(find "/proc/$p/task" -mindepth 1 -maxdepth 1 | wc -l) -eq 3 ]]; then
			masker=$p
		else
			keeper=$p
		fi
	done
	[[ -n $masker && -n $keeper ]] || fail "no masking process among ${children[*]}"
	assert_equal "$(readlink "/proc/$masker/exe")" "$(readlink -f "$RUN")"
	[ "$(ps -o pgid= -p "$masker" | tr -d ' ')" -ne "$PGID" ]
	assert_equal "$(cat "/proc/$keeper/comm")" secenv-keeper
	run find "/proc/$keeper/fd" -mindepth 1 -name '[0-9]*' ! -name 0 ! -name 1 ! -name 2 -printf '%l\n'
	[[ ${#lines[@]} -eq 2 && ${lines[0]} == pipe:* && ${lines[1]} == pipe:* ]] || fail "the keeper holds ${lines[*]}"
	assert_equal "$(readlink "/proc/$keeper/fd/2")" "/memfd:secenv-keeper (deleted)"
	for p in $(pgrep -g "$PGID"); do
		[ "$(readlink "/proc/$p/exe")" != "$(readlink -f "$RUN")" ] || fail "a masking process ($p) is in the command's group"
	done
	# "started" came masked through the masking process: it has loaded the
	# values, and from then on neither it, nor the run, nor any process of
	# the command holds the blob (a memfd's link names it, as the masking
	# process's two memfds of counts show)
	assert_equal "$(find "/proc/$PGID/fd" -mindepth 1 -printf '%f\n' | sort -n | tr '\n' ' ')" "0 1 2 "
	run --separate-stderr find "/proc/$masker/fd" -mindepth 1 -lname '/memfd:secenv-stats*'
	assert_equal "${#lines[@]}" 2
	for p in "$pid" "$masker" "$keeper" $(pgrep -g "$PGID"); do
		run --separate-stderr find "/proc/$p/fd" -mindepth 1 -lname '*memfd:secenv-blob*'
		assert_success
		refute_output
		run --separate-stderr find "/proc/$p/fd" -mindepth 1 \( -lname "$XDG_RUNTIME_DIR/*" -o -lname "$SECENV_HOME/*" \)
		assert_success
		refute_output
	done
	# no file holds the value, raw or in base64
	run grep -rlF -e "$SECRET" -e "$(printf '%s' "$SECRET" | base64)" "$XDG_RUNTIME_DIR" "$SECENV_HOME"
	[ "$status" -eq 1 ]
	refute_output

	kill -TERM "$pid"
	wait "$pid" || true
	assert_no_run_dir
}

@test "SIGINT or SIGHUP: the group is stopped, the message names the signal, the status is the command's" {
	with_p1_secret
	local sig marker rc
	for sig in INT HUP; do
		marker="secenv-run-$sig-$$-$RANDOM"
		start_marked_run p1 "$marker"
		kill -"$sig" "$RUN_PID"
		rc=0
		wait "$RUN_PID" || rc=$?
		# the group got TERM: the command's status is that of a TERM, not of the signal we got
		[ "$rc" -eq 143 ] || fail "SIG$sig: status $rc"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "secenv: run: interrupted by SIG$sig; the command's process group was stopped"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" started
		run group_live "$PGID"
		refute_output
		# the command's shells (the run's keeper, a fork with its command
		# line, may still be syncing the audit anchor after the run ends)
		run pgrep -f "^sh -c .*$marker"
		[ "$status" -eq 1 ]
		assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .timed_out]')" '["run",143,false]'
		assert_no_run_dir
	done
}

@test "Ctrl-C reaches the whole foreground group: the masking finishes, nothing is cut, the run ends as interrupted" {
	with_p1_secret
	# SIGINT to the run's whole process group, the masking process too
	run --separate-stderr python3 "$SR/ctrl_c.py" "$RUN" -p p1 -- sh -c \
		'sh "$0" STRIPE_SECRET_KEY; echo ready >&2; sleep 300' "$SR/print_value.sh"
	[ "$status" -eq 143 ]
	assert_output "out $MASKED"
	assert_equal "$stderr" "$(printf 'err %s\nready\n%s' "$MASKED" \
		"secenv: run: interrupted by SIGINT; the command's process group was stopped")"
	refute_secret "$SECRET"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .masks]')" \
		'["run",143,{"STRIPE_SECRET_KEY":2}]'
	assert_no_run_dir
}

@test "interrupted, a command that catches TERM and exits decides the status" {
	with_p1_secret
	local marker="secenv-run-trap-$$-$RANDOM"
	"$RUN" -p p1 -- "trap 'echo caught; exit 5' TERM; echo started; sleep 300 & wait; : $marker" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	RUN_PID=$!
	wait_until grep -q started "$BATS_TEST_TMPDIR/out"
	wait_until has_running_record p1
	read -r PGID _ <"$(run_dir)/running.p1"
	kill -INT "$RUN_PID"
	local rc=0
	wait "$RUN_PID" || rc=$?
	[ "$rc" -eq 5 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$(printf 'started\ncaught')"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "secenv: run: interrupted by SIGINT; the command's process group was stopped"
	run group_live "$PGID"
	refute_output
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit]')" '["run",5]'
}

@test "a signal that comes while the secrets are fetched ends the run before the command starts" {
	export SLOW_HELPER_DIR="$BATS_TEST_TMPDIR/slow"
	mkdir "$SLOW_HELPER_DIR"
	SECENV_BACKEND="exec:$SR/slow-helper" "$RUN" -p p1 -- "touch $BATS_TEST_TMPDIR/ran" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	RUN_PID=$!
	wait_until test -e "$SLOW_HELPER_DIR/fetching"
	kill -TERM "$RUN_PID"
	: >"$SLOW_HELPER_DIR/release"
	local rc=0
	wait "$RUN_PID" || rc=$?
	# ended by the TERM itself, as any program would be
	[ "$rc" -eq 143 ]
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	assert_no_run_dir
	run jq -s 'map(select(.event == "run")) | length' "$SECENV_HOME/audit.log"
	assert_output 0
}

@test "no run directory is left after any end: success, denial, failed fetch, timeout" {
	with_p1_secret
	run --separate-stderr "$RUN" -p p1 -- true
	assert_success
	assert_no_run_dir
	run --separate-stderr "$RUN" -p p1 -- printenv
	[ "$status" -eq 1 ]
	assert_no_run_dir
	run --separate-stderr "$RUN" -p p1 -t 1 -- 'sleep 30'
	[ "$status" -eq 124 ]
	assert_no_run_dir
	secenv revoke -p p1 2>/dev/null
	run --separate-stderr "$RUN" -p p1 -- true
	[ "$status" -eq 111 ]
	assert_no_run_dir
	run --separate-stderr "$RUN" -p p1 --json -- true
	[ "$status" -eq 111 ]
	assert_no_run_dir
}

# ------------------------------------------------------------- the front

@test "secenv run and secenv-run: the same stdout, stderr, status, record and --json" {
	with_p1_secret
	local cmd="sh $SR/print_value.sh STRIPE_SECRET_KEY; exit 3"
	local -a a b
	run --separate-stderr secenv run -p p1 -- "$cmd"
	a=("$status" "$output" "$stderr")
	local rec_a
	rec_a=$(tail -1 "$SECENV_HOME/audit.log" | jq -c 'del(.time, .seq, .pid, .prev, .hash, .duration_ms, .outcome_of)')
	run --separate-stderr "$RUN" -p p1 -- "$cmd"
	b=("$status" "$output" "$stderr")
	assert_equal "${a[*]}" "${b[*]}"
	assert_equal "${b[0]}" 3
	assert_equal "${b[1]}" "out $MASKED"
	assert_equal "${b[2]}" "err $MASKED"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c 'del(.time, .seq, .pid, .prev, .hash, .duration_ms, .outcome_of)')" "$rec_a"

	run --separate-stderr secenv run -p p1 --json -- "$cmd"
	[ "$status" -eq 3 ]
	a=("$(jq -c 'del(.duration_ms)' <<<"$output")" "$stderr")
	run --separate-stderr "$RUN" -p p1 --json -- "$cmd"
	[ "$status" -eq 3 ]
	b=("$(jq -c 'del(.duration_ms)' <<<"$output")" "$stderr")
	assert_equal "${a[*]}" "${b[*]}"

	run --separate-stderr secenv run -p p1 --bogus
	a=("$status" "$output" "$stderr")
	run --separate-stderr "$RUN" -p p1 --bogus
	b=("$status" "$output" "$stderr")
	assert_equal "${a[*]}" "${b[*]}"
	refute_secret "$SECRET"
}

@test "secenv run without SECENV_BIN finds secenv-run beside the script" {
	[[ -x $SECENV_SRC/bin/secenv-run ]] || skip "secenv-run is not built in $SECENV_SRC/bin"
	with_p1_secret
	run --separate-stderr env -u SECENV_BIN PATH=/usr/bin:/bin "$SECENV_SRC/bin/secenv" run -p p1 -- sh "$SR/print_value.sh" STRIPE_SECRET_KEY
	assert_success
	assert_output "out $MASKED"
	assert_equal "$stderr" "err $MASKED"
}

@test "started with stderr closed: --json's stdout holds only what the command wrote" {
	with_p1_secret
	printf 'abc' | secenv set -p p1 SHORT_KEY # redact warns about a value this short
	run --separate-stderr bash -c '"$1" -p p1 --json -- "echo hi" 2>&-' _ "$RUN"
	assert_success
	assert_equal "$(jq -c '[.stdout, .stderr, .return_code]' <<<"$output")" '["hi\n","",0]'
}

# ------------------------------------------------------------- stdin, terminal

@test "a terminal never reaches the command: its stdin is a pipe fed from it, it has no /dev/tty; -n gives /dev/null" {
	local fifo="$BATS_TEST_TMPDIR/typed"
	mkfifo "$fifo"
	# script(1) gives the run a terminal; the test holds its input open
	exec 8<>"$fifo"
	printf 'typed\n' >&8
	run script -qec "$RUN -p p1 -- 'readlink /proc/self/fd/0 | cut -d: -f1; if (exec 3</dev/tty) 2>/dev/null; then echo has a tty; else echo no tty; fi; head -1; (echo x >&0) 2>/dev/null || echo cannot write to stdin'" /dev/null <"$fifo"
	exec 8>&-
	assert_success
	# the terminal echoes what was typed; the command reads it from its pipe
	assert_output "$(printf 'typed\r\npipe\r\nno tty\r\ntyped\r\ncannot write to stdin\r')"
	run script -qec "$RUN -p p1 -n -- 'readlink /proc/self/fd/0; head -1; echo end'" /dev/null </dev/null
	assert_success
	assert_output "$(printf '/dev/null\r\nend\r')"
	# a stdin that is no terminal is the command's as it is
	run "$RUN" -p p1 -- 'head -1' <<<"piped"
	assert_output piped
}

# ------------------------------------------------------------- write-ahead audit

@test "the intent record is in the log, synced, before the command starts; the outcome closes it" {
	with_p1_secret
	printf 'tail -1 %s >%s\n' "$SECENV_HOME/audit.log" "$BATS_TEST_TMPDIR/seen" >"$BATS_TEST_TMPDIR/seen.sh"
	run --separate-stderr "$RUN" -p p1 -- "sh $BATS_TEST_TMPDIR/seen.sh"
	assert_success
	# what the command saw as the last record: the intent of its own run
	local id
	id=$(jq -r .intent "$BATS_TEST_TMPDIR/seen")
	[[ $id =~ ^[0-9a-f]{32}$ ]]
	assert_equal "$(jq -c '[.event, .project, .command, .secrets, .pid > 0]' "$BATS_TEST_TMPDIR/seen")" \
		"[\"run\",\"p1\",\"sh $BATS_TEST_TMPDIR/seen.sh\",[\"STRIPE_SECRET_KEY\"],true]"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .outcome_of, .exit, .intent]')" \
		"[\"run\",\"$id\",0,null]"
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	assert_equal "$stderr" ""
}

@test "an intent record that cannot be written: nothing runs, 111, the cause named; secenv read shows nothing" {
	with_p1_secret
	# a last record edited after the fact: the pre-check opens the files,
	# the append refuses the log
	sed -i '$ s/"seq":/"seq": /' "$SECENV_HOME/audit.log"
	local before own
	before=$(audit_records)
	# the run takes the place of a shell that wrote its pid down
	run --separate-stderr sh -c 'echo $$ >"$0"; exec "$@"' "$BATS_TEST_TMPDIR/pid" \
		"$RUN" -p p1 -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 111 ]
	refute_output
	assert_equal "$stderr" "auditlog: $SECENV_HOME/audit.log: its last record does not match its hash: run auditlog verify
secenv: audit log $SECENV_HOME/audit.log: cannot append the intent record: nothing was run"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	# its cgroup is gone with it: the keeper that would have removed it
	# died of the failed append (before, the run tried once, too early)
	secenv_cgroup_root
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	if [[ -n $CGROOT ]]; then
		[[ ! -e $CGROOT${own%/}/secenv-run.$(cat "$BATS_TEST_TMPDIR/pid") ]] ||
			fail "the run's cgroup is left"
	fi
	run --separate-stderr "$RUN" -p p1 --json -- "touch $BATS_TEST_TMPDIR/ran"
	[ "$status" -eq 111 ]
	assert_equal "$(jq -c '[.return_code, .stdout]' <<<"$output")" '[111,""]'
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	printf 'KEY=%s\n' "$SECRET" >"$BATS_TEST_TMPDIR/config.txt"
	run --separate-stderr "$RUN" read -p p1 "$BATS_TEST_TMPDIR/config.txt"
	[ "$status" -eq 111 ]
	refute_output
	assert_equal "$stderr" "auditlog: $SECENV_HOME/audit.log: its last record does not match its hash: run auditlog verify
secenv: audit log $SECENV_HOME/audit.log: cannot append the intent record: nothing was shown"
	assert_equal "$(audit_records)" "$before"
	assert_no_run_dir
}

@test "an intent record that cannot be written, the command's child still making its environment: it ends at its closed gate, never killed in the masking process's memory" {
	# 2,000 values keep the child making its environment while the append
	# fails; two busy loops make it be descheduled there. Killed there
	# (as the run's exit did), it held the masking process's secure
	# memory's lock, and masking said so on a line of its own.
	with_p1_secret
	awk -v n=2000 'BEGIN { for (i = 0; i < n; i++)
		printf "MANY_%04d=value-%04d-%032d\n", i, i, i }' >"$BATS_TEST_TMPDIR/many.env"
	"$SECENV_BIN/secenv" import -p many "$BATS_TEST_TMPDIR/many.env" >/dev/null
	# the masker's image, written by a run that can append
	run --separate-stderr "$RUN" -p many -- true
	[ "$status" -eq 0 ]
	sed -i '$ s/"seq":/"seq": /' "$SECENV_HOME/audit.log"
	local busy=() i
	for i in 1 2; do
		sh -c 'while :; do :; done' &
		busy+=("$!")
	done
	local want="auditlog: $SECENV_HOME/audit.log: its last record does not match its hash: run auditlog verify
secenv: audit log $SECENV_HOME/audit.log: cannot append the intent record: nothing was run"
	# (not $i: bats's run sets an i of its own)
	local failed= round
	for ((round = 0; round < 20; round++)); do
		run --separate-stderr "$RUN" -p many -- touch "$BATS_TEST_TMPDIR/ran"
		if [[ $status -ne 111 || -n $output || $stderr != "$want" ]]; then
			failed="run $round: status $status, stdout '$output', stderr '$stderr'"
			break
		fi
	done
	kill "${busy[@]}"
	wait "${busy[@]}" 2>/dev/null || true
	[[ -z $failed ]] || fail "$failed"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_no_run_dir
}

@test "secenv read: the intent before the file is shown, the outcome after" {
	with_p1_secret
	printf 'KEY=%s\n' "$SECRET" >"$BATS_TEST_TMPDIR/config.txt"
	run --separate-stderr "$RUN" read -p p1 "$BATS_TEST_TMPDIR/config.txt"
	assert_success
	assert_output "KEY=$MASKED"
	run jq -c '[.event, .path == "'"$BATS_TEST_TMPDIR/config.txt"'", .intent != null, .outcome_of != null, .secrets]' "$SECENV_HOME/audit.log"
	assert_equal "$(tail -2 <<<"$output")" '["read",true,true,false,["STRIPE_SECRET_KEY"]]
["read",true,false,true,["STRIPE_SECRET_KEY"]]'
	assert_equal "$(tail -2 "$SECENV_HOME/audit.log" | jq -s -c '.[0].intent == .[1].outcome_of')" true
}

# ------------------------------------------------------------- long-running commands

@test "a dev server's Ready line arrives at once through a pipe while it idles, and it keeps running" {
	with_p1_secret
	local fifo="$BATS_TEST_TMPDIR/server-out"
	mkfifo "$fifo"
	"$RUN" -p p1 -- python3 "$SR/dev_server.py" >"$fifo" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	RUN_PID=$!
	# a bounded wait for the line, not a measure of time
	run timeout 20 head -1 "$fifo"
	assert_success
	assert_output "Ready in 2.3s"
	wait_until has_running_record p1
	read -r PGID _ <"$(run_dir)/running.p1"
	# the server is still there, idling, with its key loaded
	run group_live "$PGID"
	assert_output --partial "python3 $SR/dev_server.py"
	kill -0 "$RUN_PID"
}

@test "a line that ends with a value's first characters waits for the next (masked with it), or 50 ms while the command idles" {
	with_p1_secret
	secenv_put p1 API_TOKEN Zq8vW3nR5tY1uI7oP2aSx4Cv
	local fifo="$BATS_TEST_TMPDIR/out"
	mkfifo "$fifo"
	# the token wrapped after 5 characters, then a line that ends with
	# its first 5 alone, then an idle
	printf '%s\n' 'import os, sys, time' 'k = os.environ["API_TOKEN"]' \
		'print("key: " + k[:5]); print(k[5:] + " ok")' \
		'print("cut " + k[:5], flush=True); time.sleep(300)' >"$BATS_TEST_TMPDIR/wrap.py"
	"$RUN" -p p1 -- python3 "$BATS_TEST_TMPDIR/wrap.py" >"$fifo" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	RUN_PID=$!
	# a bounded wait for the lines, not a measure of time: the last
	# comes as it is once the command idles
	run timeout 20 head -3 "$fifo"
	assert_success
	assert_output "key: ***REDACTED***
***REDACTED*** ok
cut Zq8vW"
	kill -0 "$RUN_PID"
}

@test "argparse's help with a long key as its default, wrapped onto indented lines: masked on every line, through secenv run" {
	with_p1_secret
	local key=sk-proj-K8njjmSEONaOqK5UewKsNcz7IzzEoEkdx85vx7nxDujLlvjKHIn20wZl6d9CzBdWP72cQahJb5WYUL3TGJKDKZrfablejazprjxCc32LUooWPTm9qMmayZnKAoiSL5Hiyquwfrc7EISdd9Stgt1e4VWyDq1e
	secenv_put p1 OPENAI_API_KEY "$key"
	printf '%s\n' 'import argparse, os' \
		'p = argparse.ArgumentParser(prog="chat", formatter_class=argparse.ArgumentDefaultsHelpFormatter)' \
		'p.add_argument("--openai-key", default=os.environ["OPENAI_API_KEY"], help="the key sent to the API")' \
		'p.print_help()' >"$BATS_TEST_TMPDIR/help.py"
	# at 64 columns its last 4 characters stand alone on the last line
	COLUMNS=64 run --separate-stderr "$RUN" -p p1 -- python3 "$BATS_TEST_TMPDIR/help.py"
	assert_success
	assert_output "usage: chat [-h] [--openai-key OPENAI_KEY]

options:
  -h, --help            show this help message and exit
  --openai-key OPENAI_KEY
                        the key sent to the API (default: sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***)"
	refute_secret "${key: -4}"
	refute_secret "${key:8:4}"
}

@test "a project of 1,500 names: its records hold their count and digest, as the script's do; masks only what was masked" {
	# (by awk: a loop of 1,500 commands in the test runs each under bats's
	# DEBUG trap, half a second of CPU)
	S=$SECRET awk 'BEGIN { for (i = 1; i <= 1500; i++)
		printf "A_RATHER_LONG_SECRET_NAME_%d=v%d-%s\n", i, i, ENVIRON["S"] }' >"$BATS_TEST_TMPDIR/big.env"
	secenv import -p big "$BATS_TEST_TMPDIR/big.env" >/dev/null 2>&1
	printf 'import os\nprint(os.getenv("A_RATHER_LONG_SECRET_NAME_7"))\n' >"$BATS_TEST_TMPDIR/one.py"
	run --separate-stderr "$RUN" -p big -- /usr/bin/python3 "$BATS_TEST_TMPDIR/one.py"
	assert_success
	assert_output '***REDACTED***'
	refute_secret "$SECRET"
	local sha
	sha=$(jq -r 'select(.event == "import" and .outcome_of) | .secrets_sha256' "$SECENV_HOME/audit.log")
	[[ $sha =~ ^[0-9a-f]{64}$ ]]
	assert_equal "$(jq -c 'select(.event == "run") | [.intent != null, .secrets, .secrets_count, .secrets_sha256 == "'"$sha"'", .masks]' "$SECENV_HOME/audit.log")" \
		'[true,null,1500,true,null]
[false,null,1500,true,{"A_RATHER_LONG_SECRET_NAME_7":1}]'
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
}

@test "a file on PATH that is executable but no program: 126 with envinject's line, the outcome recorded, and the run ends" {
	secenv_put p1 STRIPE_SECRET_KEY "$SECRET"
	mkdir -p "$BATS_TEST_TMPDIR/pbin"
	# ELF's magic and nothing more: no #! either, so execve says ENOEXEC
	# and the started child (in the masking process's memory) reports
	printf '\177ELFnot-a-program' >"$BATS_TEST_TMPDIR/pbin/notprog"
	chmod 755 "$BATS_TEST_TMPDIR/pbin/notprog"
	PATH="$BATS_TEST_TMPDIR/pbin:$PATH" run -126 --separate-stderr secenv run -p p1 -- notprog
	assert_output ''
	assert_equal "$stderr" "envinject: exec notprog: Exec format error"
	assert_equal "$(jq -c 'select(.event == "run" and .outcome_of) | [.command, .exit]' "$SECENV_HOME/audit.log" | tail -1)" '["notprog",126]'
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
}

@test "one string of plain words runs without sh: as they are, the program found on PATH; anything else runs under sh -c" {
	secenv_put p1 STRIPE_SECRET_KEY "$SECRET"
	printf 'import os, sys\nprint(sys.argv[1:], os.environ.get("PWD"))\n' >"$BATS_TEST_TMPDIR/args.py"
	cd "$BATS_TEST_TMPDIR"
	export PWD="$BATS_TEST_TMPDIR"
	run --separate-stderr secenv run -p p1 -- 'python3 args.py a=b --x=1 ./p/q,r:s+t@u%v^w  two'
	assert_success
	assert_output "['a=b', '--x=1', './p/q,r:s+t@u%v^w', 'two'] $BATS_TEST_TMPDIR"
	# the program is the command's first process: no sh in between
	# (sh -c runs its last command in its own process too, so the
	# process tree cannot tell; the exec trace can). A sanitizer build's
	# leak check stops threads with ptrace, which strace holds: off.
	local noleak="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	run --separate-stderr env ASAN_OPTIONS="$noleak" strace -f -e trace=execve -o trace.txt secenv run -p p1 -- 'python3 args.py x'
	assert_success
	run grep -c 'execve("/bin/sh"\|execve("/usr/bin/sh"' trace.txt
	assert_output 0
	run grep -c 'execve(".*/python3", \["python3", "args.py", "x"\]' trace.txt
	assert_output 1
	# a quote, an expansion, a builtin, an assignment first, a program
	# not on PATH: sh -c, as before (its message, its status)
	run --separate-stderr env ASAN_OPTIONS="$noleak" strace -f -e trace=execve -o trace2.txt secenv run -p p1 -- 'python3 args.py "x"'
	assert_success
	run grep -c 'execve("/bin/sh"\|execve("/usr/bin/sh"' trace2.txt
	assert_output 1
	run -127 --separate-stderr secenv run -p p1 -- 'no-such-program-here x'
	assert_failure 127
	[[ $stderr == *"sh: 1: no-such-program-here: not found"* ]]
	run --separate-stderr secenv run -p p1 -- 'echo -n plain'
	assert_success
	assert_output 'plain'
	printf 'import os\nprint(os.environ["X"])\n' >getx.py
	run --separate-stderr secenv run -p p1 -- 'X=1 python3 getx.py'
	assert_success
	assert_output '1'
	# -C: sh gives PWD as the new directory, so sh runs it
	mkdir -p sub
	cp args.py sub/
	run --separate-stderr secenv run -C sub -p p1 -- 'python3 args.py y'
	assert_success
	assert_output "['y'] $BATS_TEST_TMPDIR/sub"
	# true and false: their programs, the statuses the builtins give
	run --separate-stderr secenv run -p p1 -- 'true'
	assert_success
	run --separate-stderr secenv run -p p1 -- 'false'
	assert_failure 1
}
