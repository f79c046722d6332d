#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv run --pty: the command on a pseudo-terminal of its own, its output
# masked as ever, the caller's keys, window size and terminal modes passed
# on and given back. The caller's terminal is script(1)'s.
# shellcheck disable=SC2016 # single-quoted scripts expand their own $1, $2

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
	PT="$FIXTURES/pty"
	# ls's own colours, the same inside and outside the run
	unset LS_COLORS
}

teardown() {
	if [[ -n ${RUN_PID:-} ]] && kill -0 "$RUN_PID" 2>/dev/null; then
		kill -TERM "$RUN_PID" 2>/dev/null || true
		wait "$RUN_PID" 2>/dev/null || true
	fi
}

# in_terminal COMMAND...: COMMAND on a terminal of its own (script(1)),
# nothing typed on it; prints what the terminal showed, exits with
# COMMAND's status. script's stdin never ends (an end makes it type an
# EOF key), so it ends with COMMAND.
in_terminal() {
	local keys status=0
	mkfifo "$BATS_TEST_TMPDIR/keys"
	exec {keys}<>"$BATS_TEST_TMPDIR/keys"
	SHELL=/bin/bash script -qec "$(printf '%q ' "$@")" /dev/null <&"$keys" || status=$?
	exec {keys}>&-
	rm -f "$BATS_TEST_TMPDIR/keys"
	return "$status"
}

# until_in FILE TEXT: wait until FILE holds TEXT (wait_until)
until_in() {
	wait_until grep -qsF -- "$2" "$1"
}

@test "--pty: the command's stdin, stdout and stderr are a terminal; without it they are not" {
	run in_terminal secenv run -p p1 --pty -- \
		"python3 -c 'import sys; print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty())'"
	assert_success
	assert_output $'True True True\r'

	# no caller terminal at all: still the command's own
	run --separate-stderr secenv run -p p1 --pty -- \
		"python3 -c 'import sys; print(sys.stdout.isatty())'" </dev/null
	assert_success
	assert_output $'True\r'
	[ -z "$stderr" ]

	run --separate-stderr secenv run -p p1 -- \
		"python3 -c 'import sys; print(sys.stdout.isatty())'" </dev/null
	assert_success
	assert_output False
}

@test "--pty: TERM is the caller's, or xterm when it has none" {
	run --separate-stderr env -u TERM secenv run -p p1 --pty -- 'echo "[$TERM]"' </dev/null
	assert_success
	assert_output $'[xterm]\r'
	TERM=vt100 run --separate-stderr secenv run -p p1 --pty -- 'echo "[$TERM]"' </dev/null
	assert_success
	assert_output $'[vt100]\r'
	run --separate-stderr env -u TERM secenv run -p p1 -- 'echo "[${TERM:-}]"' </dev/null
	assert_success
	assert_output '[]'
}

@test "--pty: ls's colours come out as ls makes them on a terminal" {
	local dir="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$dir/a-directory"
	touch "$dir/plain" "$dir/program"
	chmod +x "$dir/program"
	# what ls prints on any terminal, with the terminal's line ends
	# shellcheck disable=SC2012 # ls's output is what is tested
	ls -1 --color=always "$dir" | sed 's/$/\r/' >"$BATS_TEST_TMPDIR/expected"
	grep -q $'\e\\[01;34ma-directory' "$BATS_TEST_TMPDIR/expected"

	# --color=auto: ls colours only what a terminal shows
	run in_terminal secenv run -p p1 --pty -- ls -1 --color=auto "$dir"
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/expected")"

	run --separate-stderr secenv run -p p1 --pty -- ls -1 --color=always "$dir" </dev/null
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/expected")"

	run --separate-stderr secenv run -p p1 -- ls -1 --color=auto "$dir" </dev/null
	assert_success
	assert_output "$(printf 'a-directory\nplain\nprogram')"
}

@test "--pty: a value grep colours on the terminal is masked, colours and all" {
	run in_terminal secenv run -p p1 --pty -- sh "$PT/coloured_value.sh" STRIPE_SECRET_KEY
	assert_success
	# grep coloured it: it saw a terminal
	assert_output --partial $'\e['
	assert_output --partial "key is $MASKED"
	refute_secret "$SECRET"
	# the piece after grep's colour, which a plain search misses
	refute_output --partial "W3nR5tY1uI7oP2aS"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .pty, .masks]')" \
		'["run",true,{"STRIPE_SECRET_KEY":1}]'
}

@test "--pty --json: the masked transcript is stdout, the status the command's" {
	run --separate-stderr secenv run -p p1 --pty --json -- \
		"sh $PT/coloured_value.sh STRIPE_SECRET_KEY; echo on stderr >&2; exit 7" </dev/null
	assert_failure 7
	[ -z "$stderr" ]
	refute_secret "$SECRET"
	refute_output --partial "W3nR5tY1uI7oP2aS"
	assert_equal "$(jq -c '[.return_code, .stderr, .masks]' <<<"$output")" \
		'[7,"",{"STRIPE_SECRET_KEY":1}]'
	# grep's colours, the mask, the terminal's line ends, stderr in turn
	jq -j .stdout <<<"$output" >"$BATS_TEST_TMPDIR/transcript"
	grep -q $'^key is sk_test_\\*\\*\\*REDACTED\\*\\*\\*\e\\[' "$BATS_TEST_TMPDIR/transcript"
	assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/transcript")" $'on stderr\r'
}

@test "--pty: Ctrl-C typed on the caller's terminal reaches the command as SIGINT" {
	local out="$BATS_TEST_TMPDIR/out"
	# Ctrl-C once the command is ready (its output shows the caller's
	# terminal is raw by then): the run passes the byte on, the command's
	# terminal makes it SIGINT
	run bash -c '{
			for ((i = 0; i < 600; i++)); do grep -q ready "$1" 2>/dev/null && break; sleep 0.05; done
			printf "\003"
		} | SHELL=/bin/bash script -qec "secenv run -p p1 --pty -t 60 -- python3 $2" /dev/null >"$1"' \
		_ "$out" "$PT/on_sigint.py"
	assert_failure 3
	assert_equal "$(tr -d '\r' <"$out")" "$(printf 'ready\n^Cgot SIGINT')"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .interrupted]')" \
		'["run",3,null]'
}

@test "--pty: the caller's stdin reaches the command, typed or piped, with an end of file" {
	run bash -c 'printf "hello\r" |
		SHELL=/bin/bash script -qec "secenv run -p p1 --pty -t 60 -- '\''read -r line; echo \"got [\$line]\"'\''" /dev/null'
	assert_success
	assert_output --partial $'got [hello]\r'

	# a pipe: the terminal echoes it, as typed keys; its end is the
	# terminal's EOF key, after a last line of its own
	run --separate-stderr secenv run -p p1 --pty -t 30 -- \
		'read -r a; read -r b; echo "[$a][$b]"' < <(printf 'one\ntwo')
	assert_success
	assert_output "$(printf 'one\r\ntwo[one][two]\r')"
	[ -z "$stderr" ]
	run --separate-stderr secenv run -p p1 --pty -t 30 -- 'cat >/dev/null; echo end' < <(printf 'one\n')
	assert_success
	assert_output "$(printf 'one\r\nend\r')"
}

@test "--pty: the caller's terminal gets its modes back, at the end and after SIGTERM" {
	run in_terminal bash -c 'stty -g; secenv run -p p1 --pty -- "echo inside"; stty -g'
	assert_success
	assert_equal "${lines[1]}" $'inside\r'
	[[ ${lines[0]} == *:* ]]
	assert_equal "${lines[2]}" "${lines[0]}"

	# the run is stopped by SIGTERM while the terminal is raw
	run in_terminal bash -c 'stty -g; secenv run -p p1 --pty -- "kill -TERM \$PPID; sleep 300"; echo "status $?"; stty -g'
	assert_success
	assert_equal "${lines[1]}" $'secenv: run: interrupted by SIGTERM; the command\'s process group was stopped\r'
	assert_equal "${lines[2]}" $'status 143\r'
	assert_equal "${lines[3]}" "${lines[0]}"
}

@test "--pty: the terminal has the caller's window size and follows its changes (SIGWINCH)" {
	run --separate-stderr python3 "$PT/resize.py" secenv run -p p1 --pty -- python3 "$PT/window.py"
	assert_success
	assert_equal "$(tr -d '\r' <<<"$output")" "$(printf 'size 100x30\nsize 132x40')"
}

@test "--pty: the timeout still ends the run with 124" {
	run in_terminal secenv run -p p1 --pty -t 1 -- 'echo started; sleep 300'
	assert_failure 124
	assert_output "$(printf 'started\r\nsecenv: run: timed out after 1s; the command'\''s process group was killed\r')"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.exit, .timed_out]')" '[124,true]'
}

@test "--pty: a dev server's line shows while it idles, masked, with the server still running" {
	local out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err"
	secenv run -p p1 --pty -- sh -c \
		'sh "$0" STRIPE_SECRET_KEY stdout; echo "Ready in 2.3s"; sleep 300' "$FIXTURES/secenv-run/print_value.sh" \
		</dev/null >"$out" 2>"$err" &
	RUN_PID=$!
	until_in "$out" "Ready in 2.3s"
	# the whole line, while the server idles
	assert_equal "$(cat "$out")" "$(printf 'out %s\r\nReady in 2.3s\r' "$MASKED")"
	# the run ends with its command: both still run
	kill -0 "$RUN_PID"
	kill -TERM "$RUN_PID"
	wait "$RUN_PID" || true
	run grep -cF -- "$SECRET" "$out" "$err"
	assert_output "$(printf '%s:0\n' "$out" "$err")"
}
