# SPDX-License-Identifier: ISC
# Loaded by every BATS file at its top level, so in every test's shell
# before bats starts the test: assertions, the programs under test on
# PATH, and a fresh, private SECENV_HOME and runtime directory.
# shellcheck shell=bash disable=SC2034,SC2154 # sets and reads bats variables

# The libraries' function files are sourced directly: their load.bash
# runs "$(dirname ...)" once per file, 15 forks in every test's setup
# (about a quarter of the suite's CPU). Any other layout: as before.
secenv_load_library() {
	local loader file
	if declare -F find_in_bats_lib_path >/dev/null &&
		find_in_bats_lib_path loader "$1" && [[ $loader == */load.bash ]] &&
		[[ -d ${loader%/load.bash}/src ]]; then
		for file in "${loader%/load.bash}"/src/*.bash; do
			# shellcheck disable=SC1090
			source "$file" || return 1
		done
	else
		bats_load_library "$1"
	fi
}
# bats reads the clock as each test starts, with $(get_mills_since_epoch),
# whose $(date +%s%N) is another subshell and a process for every test
# (each a few milliseconds here); a file that loads this helper at its top
# level replaces it, before the test starts, with bash's own clock: the
# same milliseconds.
get_mills_since_epoch() {
	local now=${EPOCHREALTIME//[!0-9]/}
	printf '%d\n' "$((10#$now / 1000))"
}

secenv_load_library bats-support
secenv_load_library bats-assert

# (bats makes BATS_TEST_DIRNAME absolute: its parent without a process)
SECENV_SRC="${BATS_TEST_DIRNAME%/*}"
SECENV_BIN="${SECENV_BIN:-$SECENV_SRC/bin}"
FIXTURES="$SECENV_SRC/tests/fixtures"
export SECENV_SRC SECENV_BIN FIXTURES

# secenv_test_env [TEMPLATE]: the programs on PATH, and SECENV_HOME and
# XDG_RUNTIME_DIR the test's own: the runtime directory empty, the home
# absent or, with TEMPLATE, a copy of the home setup_file made under that
# name (secenv_template_home). Both in the test's directory, but for the
# runtime directory without TEMPLATE in a test, which is one of the
# file's made at once (secenv_runtime_dir_fresh).
secenv_test_env() {
	secenv_untraced secenv_test_env_now "$@"
}
secenv_test_env_now() {
	secenv_untrace
	# from a setup_file, give it BATS_FILE_TMPDIR as BATS_TEST_TMPDIR:
	# never a home or runtime directory at the root (/home, /run)
	[[ -n ${BATS_TEST_TMPDIR:-} ]] ||
		fail "secenv_test_env: no BATS_TEST_TMPDIR (in setup_file, pass BATS_FILE_TMPDIR)" ||
		return
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	export SECENV_HOME="$BATS_TEST_TMPDIR/home"
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
	if [[ -n ${1:-} ]]; then
		# both in one process: the template's home and empty run
		cp -a "$BATS_FILE_TMPDIR/$1/home" "$BATS_FILE_TMPDIR/$1/run" "$BATS_TEST_TMPDIR/" || return
	elif secenv_runtime_dir_fresh; then
		:
	elif [[ -d $XDG_RUNTIME_DIR ]]; then
		chmod 0700 "$XDG_RUNTIME_DIR" || return
	else
		mkdir -p -m 0700 "$XDG_RUNTIME_DIR" || return
	fi
	unset SECENV_BACKEND AZURE_CLIENT_SECRET VAULT_TOKEN
	umask 077
}

# secenv_runtime_dir_fresh: in a test, XDG_RUNTIME_DIR is the test's own
# runtime directory, BATS_FILE_TMPDIR/runtime/N for its number N: true
# the first time in the test, when it is there, empty and 0700. The
# first test of the file to ask makes those of all the file's tests in
# one mkdir: one each, started from the test's own shell, cost as much as
# the rest of a small test's setup. (Not under BATS_TEST_TMPDIR: bats
# makes that one as the test starts.) False elsewhere (setup_file),
# XDG_RUNTIME_DIR as it was, and on a second call in the test.
SECENV_RUNTIME_GIVEN=
secenv_runtime_dir_fresh() {
	[[ -n ${BATS_TEST_NUMBER:-} && $BATS_TEST_TMPDIR != "${BATS_FILE_TMPDIR:-}" ]] ||
		return 1
	local base="$BATS_FILE_TMPDIR/runtime" dirs=() n
	XDG_RUNTIME_DIR="$base/$BATS_TEST_NUMBER"
	if [[ ! -e $base ]]; then
		for ((n = 1; n <= ${#BATS_TEST_NAMES[@]}; n++)); do
			dirs+=("$base/$n")
		done
		mkdir -m 0700 "$base" "${dirs[@]}" || return 1
	fi
	[[ -z $SECENV_RUNTIME_GIVEN && -d $XDG_RUNTIME_DIR ]] || return 1
	SECENV_RUNTIME_GIVEN=1
}

# secenv_user_env: none of the switches or SECENV_PROJECT set, as for a
# user who set none (the defaults are what is tested unless a test says).
secenv_user_env() {
	unset SECENV_PROJECT SECENV_FORCE ENABLE_SECRET_INJECTION \
		ENABLE_OUTPUT_SANITIZATION BLOCK_ENV_FILE_ACCESS AUDIT_SECRET_ACCESS
}

# secenv_put PROJECT NAME VALUE: store a secret as a user does.
secenv_put() {
	printf '%s' "$3" | secenv set -p "$1" "$2"
}

# secenv_template_home NAME [COMMAND...]: in setup_file, a SECENV_HOME
# made once for the file's tests by `secenv init`, then COMMAND, as a user
# who set none of the switches; `secenv_test_env NAME` gives a test its
# own copy, as an init (key files, eight fsyncs) or a set costs more than
# many a test's checks. ($BATS_FILE_TMPDIR/NAME holds the home and an
# empty runtime directory.)
secenv_template_home() (
	local dir="$BATS_FILE_TMPDIR/$1"
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	# shellcheck disable=SC2030 # the template's, in this subshell only
	export SECENV_HOME="$dir/home" XDG_RUNTIME_DIR="$BATS_FILE_TMPDIR/$1-run"
	secenv_user_env
	unset SECENV_BACKEND
	umask 077
	mkdir -m 0700 "$dir" "$dir/run" "$XDG_RUNTIME_DIR"
	secenv init >/dev/null
	shift
	"$@"
)

# secenv_init_home: in setup_file, the template "init": a home as after
# `secenv init`.
secenv_init_home() {
	secenv_template_home init
}

# secenv_p1_home SECRET: in setup_file, the template "p1": a home as
# after `secenv init` and `secenv_put p1 STRIPE_SECRET_KEY SECRET`.
secenv_p1_home() {
	secenv_template_home p1 secenv_put p1 STRIPE_SECRET_KEY "$1"
}

# with_p1_secret: this test's SECENV_HOME becomes a copy of the template
# "p1" (secenv_p1_home), whatever it was.
# shellcheck disable=SC2031 # the test's SECENV_HOME (secenv_test_env)
with_p1_secret() {
	[[ ! -e $SECENV_HOME ]] || rm -rf "$SECENV_HOME"
	cp -a "$BATS_FILE_TMPDIR/p1/home" "$SECENV_HOME"
}

# secenv_untrace: these helpers' commands left out of bats's tracing of
# the test's commands (the stack it keeps at each command for a failure's
# report, a large part of a small command's cost), as bats's libraries
# and bats-assert are: a failure in one is reported at the test's line
# that called it. Once in each test's shell, after bats set its tracing
# up: by secenv_test_env and run.
SECENV_UNTRACED=
SECENV_HELPERS=${BASH_SOURCE[0]%/*}
secenv_untrace() {
	[[ -z $SECENV_UNTRACED ]] || return 0
	SECENV_UNTRACED=1
	if declare -F bats_add_debug_exclude_path >/dev/null; then
		bats_add_debug_exclude_path "$SECENV_HELPERS"
	fi
}

# secenv_untraced COMMAND...: COMMAND, a function of these helpers, with
# bats's DEBUG trap off while it runs (bats 1.8's, as bats_setup_tracing
# set it before and sets it again after; any other bats: as it is). In
# these helpers, a directory left out of bats's tracing (secenv_untrace),
# the trap records nothing, yet running it before each of their commands
# cost as much as most of those commands (about 4 ms a run). COMMAND's
# errors return its status: it runs outside errexit.
if [[ ${BATS_VERSION-} == 1.8.* ]] && declare -F bats_debug_trap >/dev/null; then
	secenv_untraced() {
		trap - DEBUG
		local secenv_status=0
		"$@" || secenv_status=$?
		trap 'bats_debug_trap "$BASH_SOURCE"' DEBUG
		return "$secenv_status"
	}
else
	secenv_untraced() {
		"$@"
	}
fi

# run: bats's own run (bats 1.8's test_functions.bash: the same options,
# variables, warnings and failures), but a program runs in the one
# process of the command substitution that captures its output, where
# bats's takes three (each a few milliseconds here): a command
# substitution more for mktemp, and a subshell that forks the program
# instead of becoming it. Only a program (type -t: file) is exec'd in
# place; a function or a builtin runs in the subshell as in bats's run.
# Its stderr goes to a new file (0600, as mktemp makes it). As bats's
# own, it is left out of bats's tracing (secenv_untrace). Any other bats
# keeps its own run.
if [[ ${BATS_VERSION-} == 1.8.* ]]; then
	secenv_bats_run() { # [!|-N] [--keep-empty-lines] [--separate-stderr] [--] <command to run...>
		secenv_untrace
		trap bats_interrupt_trap_in_run INT
		local expected_rc= keep_empty_lines= output_case=merged has_flags=
		while [[ $# -gt 0 ]] && [[ $1 == -* || $1 == '!' ]]; do
			has_flags=1
			case "$1" in
			'!')
				expected_rc=-1
				;;
			-[0-9]*)
				expected_rc=${1#-}
				if [[ $expected_rc =~ [^0-9] ]]; then
					printf "Usage error: run: '-NNN' requires numeric NNN (got: %s)\n" "$expected_rc" >&2
					return 1
				elif [[ $expected_rc -gt 255 ]]; then
					printf "Usage error: run: '-NNN': NNN must be <= 255 (got: %d)\n" "$expected_rc" >&2
					return 1
				fi
				;;
			--keep-empty-lines)
				keep_empty_lines=1
				;;
			--separate-stderr)
				output_case=separate
				;;
			--)
				shift
				break
				;;
			*)
				printf "Usage error: unknown flag '%s'" "$1" >&2
				return 1
				;;
			esac
			shift
		done
		if [[ -n $has_flags ]]; then
			bats_warn_minimum_guaranteed_version "Using flags on \`run\`" 1.5.0
		fi
		# what the command is (type -t), and a new file for its stderr
		# (0600, as mktemp makes it), by way of this shell's scratch file
		local - dir=${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR} kind= mask= file=
		local scratch="$dir/.run.$BASHPID"
		[[ -f $scratch ]] || (umask 077 && : >"$scratch") || return
		type -t -- "${1-}" >|"$scratch" || true
		read -r kind <"$scratch" || true
		if [[ $output_case == separate ]]; then
			umask >|"$scratch" || return
			read -r mask <"$scratch" || return
			umask 077
			set -C
			until file="$dir/separate-stderr-$BASHPID.$((++SECENV_RUNS))" &&
				{ : >"$file"; } 2>/dev/null; do
				[[ -d $dir && -w $dir ]] || break
			done
			set +C
			umask "$mask"
		fi
		local origFlags="$-"
		set +eET
		if [[ $keep_empty_lines ]]; then
			# preserve trailing newlines by appending . and removing it later
			if [[ $output_case == separate ]]; then
				output="$(
					"$@" 2>>"$file"
					status=$?
					printf .
					exit $status
				)" && status=0 || status=$?
			else
				output="$(
					"$@" 2>&1
					status=$?
					printf .
					exit $status
				)" && status=0 || status=$?
			fi
			output="${output%.}"
		elif [[ $kind == file && $output_case == separate ]]; then
			output="$(exec "$@" 2>>"$file")" && status=0 || status=$?
		elif [[ $kind == file ]]; then
			output="$(exec "$@" 2>&1)" && status=0 || status=$?
		elif [[ $output_case == separate ]]; then
			output="$("$@" 2>>"$file")" && status=0 || status=$?
		else
			output="$("$@" 2>&1)" && status=0 || status=$?
		fi
		bats_separate_lines lines output
		if [[ $output_case == separate ]]; then
			read -d '' -r stderr <"$file" || true
			bats_separate_lines stderr_lines stderr
		fi
		BATS_RUN_COMMAND="${*}"
		set "-$origFlags"
		if [[ ${BATS_VERBOSE_RUN:-} ]]; then
			printf "%s\n" "$output"
		fi
		if [[ -n $expected_rc ]]; then
			if [[ $expected_rc = "-1" ]]; then
				if [[ $status -eq 0 ]]; then
					BATS_ERROR_SUFFIX=", expected nonzero exit code!"
					return 1
				fi
			elif [ "$status" -ne "$expected_rc" ]; then
				BATS_ERROR_SUFFIX=", expected exit code $expected_rc, got $status"
				return 1
			fi
		elif [[ $status -eq 127 ]]; then # "command not found"
			bats_generate_warning 1 "$BATS_RUN_COMMAND"
		fi
		trap bats_interrupt_trap INT
	}
	# run: secenv_bats_run untraced (secenv_untraced)
	run() { # [!|-N] [--keep-empty-lines] [--separate-stderr] [--] <command to run...>
		secenv_untraced secenv_bats_run "$@"
	}
fi

# secenv_random_key FILE: 32 random bytes in FILE (a MAC key), written by
# the shell alone from SRANDOM (the kernel's getrandom), where `head -c
# 32 /dev/urandom` was a process in every test's setup; the file gets
# the shell's umask (secenv_test_env's 077: 0600). A bash without
# SRANDOM (before 5.1) uses head.
secenv_random_key() {
	if [[ -z ${SRANDOM-} ]]; then
		head -c 32 /dev/urandom >"$1"
		return
	fi
	local format="" i r
	for ((i = 0; i < 8; i++)); do
		r=$SRANDOM
		printf -v format '%s\\x%02x\\x%02x\\x%02x\\x%02x' "$format" \
			$((r & 255)) $((r >> 8 & 255)) $((r >> 16 & 255)) $((r >> 24 & 255))
	done
	# shellcheck disable=SC2059 # the format is the bytes' escapes
	printf "$format" >"$1"
}

# fifo_server_start DIR COMMAND...: COMMAND in the background (its
# output in DIR/log, its pid in DIR/pid), one process that answers a test
# file's questions through DIR's FIFOs (tests/helpers/fifo_serve.py) and
# ends with the file's run; returns once DIR/answers is there, or fails
# with the log when COMMAND ends first (or after 30 s). For setup_file.
fifo_server_start() {
	local dir=$1 i
	shift
	[[ -d $dir ]] || mkdir -m 0700 "$dir"
	"$@" >"$dir/log" 2>&1 3>&- &
	echo $! >"$dir/pid"
	for ((i = 0; i < 600; i++)); do
		[[ -p $dir/answers ]] && return 0
		kill -0 "$(<"$dir/pid")" 2>/dev/null || break
		sleep 0.05
	done
	cat "$dir/log" >&2
	return 1
}

# fifo_server_stop DIR: the process fifo_server_start started, ended
# (for teardown_file; nothing when it never started).
fifo_server_stop() {
	local pid
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	if kill "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || true
	fi
}

# fifo_server_ask DIR REQUEST: status and output (what the answer
# printed, without its trailing newlines) and lines, as `run` sets them,
# of DIR's server's answer to REQUEST (fifo_serve.py), asked by the shell
# alone; fails with the server's log if it ends first.
fifo_server_ask() {
	local dir=$1 server answer part answers requests
	read -r server <"$dir/pid"
	# read and write: neither open waits for the server
	exec {answers}<>"$dir/answers" {requests}<>"$dir/requests"
	printf '%s\t%s\0' "$BATS_TEST_NUMBER" "$2" >&"$requests"
	exec {requests}>&-
	# the answer to this test (one left by a test that ended before
	# reading its own is skipped)
	until [[ ${answer:-} == "$BATS_TEST_NUMBER"$'\t'* ]]; do
		answer=""
		until IFS= read -r -d '' -t 1 -u "$answers" part; do
			answer+=$part
			kill -0 "$server" 2>/dev/null ||
				fail "the server in $dir ended: $(cat "$dir/log")"
		done
		answer+=$part
	done
	exec {answers}<&-
	answer=${answer#*$'\t'}
	secenv_as_run "${answer%%$'\n'*}" "${answer#*$'\n'}"
}

# secenv_as_run STATUS TEXT: status, output and lines as `run` sets them
# for a command that exited STATUS printing TEXT (output without its
# trailing newlines), for answers a test got without running anything.
secenv_as_run() {
	status=$1
	output=$2
	while [[ $output == *$'\n' ]]; do
		output=${output%$'\n'}
	done
	bats_separate_lines lines output
}

# refute_secret VALUE: VALUE appears in neither $output nor $stderr
# (run with --separate-stderr to fill $stderr).
refute_secret() {
	local value="$1"
	[[ "$output" != *"$value"* ]] || fail "secret value found in stdout"
	[[ "${stderr:-}" != *"$value"* ]] || fail "secret value found in stderr"
}

# mask_plain NAMES SHOWN: ./plain, what a real program printed, must hold
# SHOWN (the form under test: else the program printed otherwise and the
# test proves nothing); then it goes through redact -e NAMES: status and
# output as `run` sets them, stderr empty.
mask_plain() {
	grep -qF -- "$2" plain || fail "the program did not print $2: $(cat -v plain)"
	run --separate-stderr redact -e "$1" <plain
	assert_success
	assert_equal "$stderr" ''
}

# random_keys COUNT: COUNT random keys of 32 bytes, in base64 as a key
# is stored, exported as K0, K1, ...; KEY_NAMES lists their names.
random_keys() {
	local line
	KEY_NAMES=
	while read -r line; do
		export "${line?}"
		KEY_NAMES+=${KEY_NAMES:+,}${line%%=*}
	done < <(python3 -c 'import base64, os, sys
for i in range(int(sys.argv[1])):
    print("K%d=%s" % (i, base64.b64encode(os.urandom(32)).decode()))' "$1")
}

# flip_byte FILE OFFSET: the byte at OFFSET of FILE inverted in place, so
# the file changes whatever the byte was (a fixed byte written there
# leaves it as it was once in 256 runs).
flip_byte() {
	python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    assert len(b) == 1, "no byte there"
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xff]))' "$1" "$2"
}

# pause SECONDS: wait that long (0.05 is fine) without a sleep process,
# which costs more CPU than most of what a poll looks at: read times out
# on a FIFO of the file's that nobody writes.
pause() {
	local fifo="$BATS_FILE_TMPDIR/pause"
	[[ -p $fifo ]] || mkfifo "$fifo" 2>/dev/null || [[ -p $fifo ]]
	read -rt "$1" <>"$fifo" || true
}

# wait_until COMMAND...: poll until COMMAND succeeds; fail naming it
# after 60 s (a bound for a run that never gets there, not a measure).
# COMMAND's words are expanded once, by the caller: a $(...) among them
# runs once, and every try then tests that one reading (wait_until test
# -z "$(find ...)" waited 60 s on a directory listed an instant before
# it went). What must be looked at again on each try goes in a function.
wait_until() {
	local tries=0
	until "$@"; do
		pause 0.05
		tries=$((tries + 1))
		((tries < 1200)) || fail "never came true: $*"
	done
}

# run_marked_in_background PROJECT MARKER: start `secenv run` of a long
# command tagged MARKER in the background (stdout and stderr to out and err
# in the test's directory) and wait until it runs; RUN_PID is its pid.
run_marked_in_background() {
	secenv run -p "$1" -- "echo started; sh -c 'sleep 300; :' $2" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	RUN_PID=$!
	wait_until grep -q started "$BATS_TEST_TMPDIR/out"
	# the inner shell (secenv run's own processes have the marker too)
	wait_until pgrep -f "^sh -c sleep 300; : $2" >/dev/null
}

# secenv_cgroup_root: CGROOT is where cgroup v2 is mounted, "" without it
# (what findmnt -t cgroup2 names first), read from the mount table
# without a process.
secenv_cgroup_root() {
	local table="" pattern=$'(^|\n)[^ ]* ([^ ]*) cgroup2 '
	CGROOT=""
	read -rd '' table </proc/self/mounts || true
	if [[ $table =~ $pattern ]]; then
		# the table writes a space in a path as \040
		printf -v CGROOT '%b' "${BASH_REMATCH[2]//\\/\\0}"
	fi
}

# modes: the ways a run can follow its command's processes here
# (SECENV_DESCENDANTS): as root on a system with cgroup v2 both work,
# cgroup then subreaper; without, only the subreaper. Needs CGROOT
# (secenv_cgroup_root).
modes() {
	if [[ -n $CGROOT && -w $CGROOT ]]; then
		echo cgroup subreaper
	else
		echo subreaper
	fi
}
