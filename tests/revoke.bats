#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv revoke against running commands: every run of the project is
# stopped at once (TERM to all, one grace period, KILL to all), not one
# after another. Only the command's side is stopped: the run's own
# processes (its masking process, its keeper) finish their work, so a
# revoked run ends with the command's status and its record.
# shellcheck disable=SC2016 # the commands expand their own variables

bats_require_minimum_version 1.5.0
load helpers/common

# each test starts from a copy of one home with p1's secret (secenv_test_env p1)
setup_file() {
	secenv_p1_home "sk_test_revoke_$RANDOM$RANDOM"
}

setup() {
	secenv_test_env p1
	secenv_user_env
	RT="$XDG_RUNTIME_DIR/secenv-$EUID"
	secenv_cgroup_root
}

teardown() {
	local pid
	for pid in ${RUN_PIDS[@]+"${RUN_PIDS[@]}"}; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}

# running N: N running records are written. A record is made, then
# written in one write: revoke skips one it finds still empty (that run
# sees the mark once it has written its record, and stops itself), so a
# test that counts the runs revoke stops waits for the content, not the
# name.
running() {
	local f n=0
	for f in "$RT"/run.*/running.p1; do
		[[ -s $f ]] && n=$((n + 1))
	done
	((n == $1))
}

# started N: N commands said started (in the test's out.*)
started() {
	[[ $(cat "$BATS_TEST_TMPDIR"/out.* 2>/dev/null | grep -c started) -eq $1 ]]
}

@test "revoke stops every running command of the project at once, those deaf to TERM too" {
	local dir=$BATS_TEST_TMPDIR i ended
	# Each command ignores TERM; when TERM comes it notes how many of the
	# three are still alive. One after another, the second would see 2.
	local cmd='trap '\''n=0; for f in '"$dir"'/pid.*; do kill -0 "$(cat "$f")" 2>/dev/null && n=$((n + 1)); done; echo "$n" >>'"$dir"'/seen'\'' TERM; echo $$ >'"$dir"'/pid.$ID; echo started; while :; do sleep 0.1; done'
	RUN_PIDS=()
	for i in 1 2 3; do
		ID=$i secenv run -p p1 -- "$cmd" >"$dir/out.$i" 2>"$dir/err.$i" &
		RUN_PIDS+=($!)
	done
	# each stays running and started once it is
	wait_until running 3
	wait_until started 3
	run --separate-stderr secenv revoke -p p1
	assert_success
	assert_equal "$stderr" "secenv: project p1 revoked; 3 running command(s) stopped"
	# when each got TERM, all three were still running
	assert_equal "$(sort "$dir/seen" | tr '\n' ' ')" "3 3 3 "
	# and when revoke returned, none was
	for i in 1 2 3; do
		run kill -0 "$(cat "$dir/pid.$i")"
		assert_failure
	done
	for i in 1 2 3; do
		# here, not in run's subshell: a run still appending its
		# record is no child of that subshell, whose wait says 255
		ended=0
		wait "${RUN_PIDS[$((i - 1))]}" || ended=$?
		[ "$ended" -eq 137 ] || fail "run $i ended with $ended"
	done
	RUN_PIDS=()
	assert_equal "$(jq -c 'select(.event == "revoke") | [.project, .stopped]' "$SECENV_HOME/audit.log")" '["p1",3]'
}

@test "revoke stops the command's side only: a run whose masking process is still writing when KILL comes ends 137 with its run record, not 111" {
	local dir=$BATS_TEST_TMPDIR mode line before ended
	# Deaf to TERM, so revoke's KILL comes; more output (5.6 MB) than
	# the pipes hold (1 MiB each way, as redact sets them), and a reader
	# that reads none of it until revoke returned, so the masking process
	# is certainly alive, blocked in a write, when KILL comes. Under load
	# that happens by itself: the masking process had not yet drained a
	# killed command's last output.
	local cmd='trap "" TERM; echo started; yes started | head -n 700000; while :; do sleep 0.1; done'
	for mode in $(modes); do
		rm -f "$dir/fifo" "$dir/err"
		mkfifo "$dir/fifo"
		before=$(wc -l <"$SECENV_HOME/audit.log")
		SECENV_DESCENDANTS=$mode secenv run -p p1 -- "$cmd" >"$dir/fifo" 2>"$dir/err" &
		RUN_PIDS=($!)
		exec 4<"$dir/fifo"
		read -r -t 60 line <&4 || fail "$mode: the command never started"
		assert_equal "$line" started
		wait_until running 1
		run --separate-stderr secenv revoke -p p1
		assert_success
		assert_equal "$stderr" "secenv: project p1 revoked; 1 running command(s) stopped"
		# the masking process writes what it holds once read
		cat <&4 >/dev/null
		exec 4<&-
		ended=0
		wait "${RUN_PIDS[0]}" || ended=$?
		RUN_PIDS=()
		[ "$ended" -eq 137 ] || fail "$mode: the run ended with $ended: $(cat "$dir/err")"
		assert_equal "$(cat "$dir/err")" ""
		# the run's outcome, then the revoke: no "redact failed" error
		assert_equal "$(tail -n +$((before + 1)) "$SECENV_HOME/audit.log" | jq -c 'select(.outcome_of or .event == "revoke") | [.event, .exit, .descendants]' | sort)" \
			"$(printf '%s\n' '["revoke",null,null]' "[\"run\",137,\"$mode\"]")"
		secenv unrevoke -p p1 >/dev/null 2>&1
	done
}
