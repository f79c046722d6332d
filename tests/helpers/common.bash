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
# XDG_RUNTIME_DIR in the test's directory: the runtime directory empty,
# the home absent or, with TEMPLATE, a copy of the home setup_file made
# under that name (secenv_template_home).
secenv_test_env() {
	# from a setup_file, give it BATS_FILE_TMPDIR as BATS_TEST_TMPDIR:
	# never a home or runtime directory at the root (/home, /run)
	[[ -n ${BATS_TEST_TMPDIR:-} ]] ||
		fail "secenv_test_env: no BATS_TEST_TMPDIR (in setup_file, pass BATS_FILE_TMPDIR)"
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	export SECENV_HOME="$BATS_TEST_TMPDIR/home"
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
	if [[ -n ${1:-} ]]; then
		# both in one process: the template's home and empty run
		cp -a "$BATS_FILE_TMPDIR/$1/home" "$BATS_FILE_TMPDIR/$1/run" "$BATS_TEST_TMPDIR/"
	elif [[ -d $XDG_RUNTIME_DIR ]]; then
		chmod 0700 "$XDG_RUNTIME_DIR"
	else
		mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
	fi
	unset SECENV_BACKEND AZURE_CLIENT_SECRET VAULT_TOKEN
	umask 077
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

# bats's `run --separate-stderr` names the file it keeps stderr in with
# mktemp, a process each run: that file is made here instead, a new one
# (0600, noclobber) in the command substitution bats calls mktemp from,
# whose umask and options end with it. Any other mktemp is the program.
mktemp() {
	if [[ $# -eq 1 && $1 == "$BATS_TEST_TMPDIR/separate-stderr-XXXXXX" && $BASHPID != "$$" ]]; then
		local n=0
		umask 077
		set -C
		until : 2>/dev/null >"${1%XXXXXX}$BASHPID.$n"; do
			# a directory gone or not writable: the program says so
			if ((++n == 100)); then
				command mktemp "$@"
				return
			fi
		done
		printf '%s\n' "${1%XXXXXX}$BASHPID.$n"
	else
		command mktemp "$@"
	fi
}

# refute_secret VALUE: VALUE appears in neither $output nor $stderr
# (run with --separate-stderr to fill $stderr).
refute_secret() {
	local value="$1"
	[[ "$output" != *"$value"* ]] || fail "secret value found in stdout"
	[[ "${stderr:-}" != *"$value"* ]] || fail "secret value found in stderr"
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
# after 60 s (a bound for a run that never gets there, not a measure)
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
	wait_until pgrep -f "$2" >/dev/null
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
