#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Every process a command starts is its run's: those that call setsid or
# double-fork too, in a cgroup of the run's own or, with
# SECENV_DESCENDANTS=subreaper, found as the run's orphans. They go when
# the command exits (unless --keep-children), at -t, on TERM to the run,
# on revoke, and when the run itself is killed.
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
	SR="$FIXTURES/secenv-run"
	ESC="$SR/escape.sh"
	RUN="$SECENV_BIN/secenv-run"
	RT="$XDG_RUNTIME_DIR/secenv-$EUID"
	secenv_cgroup_root
}

teardown() {
	local f
	if [[ -n ${RUN_PID:-} ]]; then
		kill -KILL "$RUN_PID" 2>/dev/null || true
	fi
	for f in "$BATS_TEST_TMPDIR"/*/setsid "$BATS_TEST_TMPDIR"/*/forked \
		"$BATS_TEST_TMPDIR"/*/held "$BATS_TEST_TMPDIR"/*/grouped; do
		[[ -s $f ]] && kill -KILL "$(<"$f")" 2>/dev/null || true
	done
	# cgroups a test made in a run's name (innermost first)
	for f in ${MADE_CGROUPS[@]+"${MADE_CGROUPS[@]}"}; do
		rmdir "$f" 2>/dev/null || true
	done
}

# run_bounded DIR COMMAND...: COMMAND with its stdout and stderr in files
# of DIR (a process left holding a pipe of ours would hold up bats' own
# `run`), killed if it lasts 30 s; status, output and stderr as `run`
# sets them.
run_bounded() {
	local dir=$1
	shift
	status=0
	timeout -k 2 30 "$@" >"$dir/out" 2>"$dir/err" 3>&- || status=$?
	# read by the shell itself (no cat process)
	output=$(<"$dir/out")
	stderr=$(<"$dir/err")
}

# alive PID: PID is a process, not a zombie (its state, after its name in
# parentheses in /proc/PID/stat, read without a process)
alive() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	[[ $stat != Z* ]]
}

dead() {
	! alive "$1"
}

# wait_dead PID DIR: until PID is dead (30 s); a failure says where it
# still lives (its cgroup, its parent) and what the run in DIR said, so
# a rare failure can be read from the log alone.
wait_dead() {
	local tries=0
	until dead "$1"; do
		pause 0.05
		tries=$((tries + 1))
		((tries < 600)) || fail "never died: $1 in cgroup $(cat "/proc/$1/cgroup" 2>/dev/null), parent $(ps -o ppid= -p "$1"); run said: $(cat "$2/err")"
	done
}

# wait_rundir_gone KEEPER DIR: until no run directory is left (60 s),
# as the keeper KEEPER removes its run's when the run dies; a failure
# says what is in the directory, whether the keeper still lives and
# where it waits, and what the run in DIR said. The directory is listed
# again on each try: the keeper removes it some 20 ms after its first
# KILL (it looks once more first), so a shell that sees the escapers
# dead may still find it there.
wait_rundir_gone() {
	local tries=0 left
	until left=$(find "$RT" -mindepth 1 -maxdepth 1 -name 'run.*') && [[ -z $left ]]; do
		pause 0.05
		tries=$((tries + 1))
		((tries < 1200)) || fail "run directory left: $left ($(ls -A "$left" 2>/dev/null | tr '\n' ' ')); keeper $1 $(dead "$1" && echo dead || echo "alive, state $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null), in $(cat "/proc/$1/wchan" 2>/dev/null)"); run said: $(cat "$2/err")"
	done
}

# The escapers of escape.sh in $1 are gone.
assert_escapers_gone() {
	dead "$(cat "$1/setsid")" || fail "the setsid escaper of $1 still runs"
	dead "$(cat "$1/forked")" || fail "the double-forked escaper of $1 still runs"
}

# No cgroup of this test's runs (their pids in the audit log) is left.
assert_no_run_cgroup() {
	local pid
	[[ -z $CGROOT ]] && return 0
	for pid in $(jq -r 'select(.event == "run") | .pid' "$SECENV_HOME/audit.log" | sort -u); do
		# secenv-run.PID, or .PID.N where a dead run's held the name
		compgen -G "$CGROOT/secenv-run.$pid" >/dev/null &&
			fail "the cgroup of run $pid is left"
		compgen -G "$CGROOT/secenv-run.$pid.*" >/dev/null &&
			fail "the cgroup of run $pid is left"
	done
	return 0
}

@test "what the command leaves behind (setsid, double fork) goes when it exits; the record names the mechanism" {
	local mode dir
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		# before, the run waited as long as the setsid child held stdout
		SECENV_DESCENDANTS=$mode run_bounded "$dir" "$RUN" -p p1 -- \
			"sh $ESC $dir; sh $SR/print_value.sh STRIPE_SECRET_KEY stdout"
		assert_success
		assert_output "out $MASKED"
		assert_equal "$stderr" ""
		assert_escapers_gone "$dir"
		assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.event, .exit, .timed_out, .descendants]')" \
			"[\"run\",0,false,\"$mode\"]"
	done
	assert_no_run_cgroup
}

@test "--keep-children: what the command started outlives it, outside the run's cgroup" {
	local mode dir
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		SECENV_DESCENDANTS=$mode run_bounded "$dir" "$RUN" -p p1 --keep-children -- \
			"sh $ESC $dir >/dev/null 2>&1; echo started"
		assert_success
		assert_output started
		alive "$(cat "$dir/setsid")" || fail "$mode: the setsid child was killed"
		alive "$(cat "$dir/forked")" || fail "$mode: the double-forked child was killed"
		run grep -c secenv-run "/proc/$(cat "$dir/setsid")/cgroup" "/proc/$(cat "$dir/forked")/cgroup"
		refute_output --partial ':1'
		kill -KILL "$(cat "$dir/setsid")" "$(cat "$dir/forked")"
	done
	assert_no_run_cgroup
}

@test "-t: the run ends at the deadline with 124, what still holds its output killed, even deaf to TERM" {
	local mode dir
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		SECENV_DESCENDANTS=$mode run_bounded "$dir" "$RUN" -p p1 -t 2 -- \
			"sh $SR/print_value.sh STRIPE_SECRET_KEY; sh $ESC $dir deaf; sleep 300"
		[ "$status" -eq 124 ] || fail "$mode: status $status"
		assert_output "out $MASKED"
		assert_equal "$stderr" "err $MASKED
secenv: run: timed out after 2s; the command's process group was killed"
		assert_escapers_gone "$dir"
		assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.exit, .timed_out, .descendants]')" \
			"[124,true,\"$mode\"]"
	done
	refute_secret "$SECRET"
}

@test "-t: output held by a process out of the run's reach still ends the run; the masking flushes what it holds" {
	local dir="$BATS_TEST_TMPDIR/out-of-reach" mode
	# the masking's stop is the same whichever way descendants are found
	mode=$(modes | cut -d' ' -f1)
	mkdir "$dir"
	# a process that no run started holds the command's stdout (as one
	# started through a system service could): the command sends it
	# over a unix socket
	python3 "$SR/fd_holder.py" serve "$dir/sock" "$dir/held" 3>&- &
	local holder=$!
	wait_until test -S "$dir/sock"
	printf '%s\n' "python3 $SR/fd_holder.py send $dir/sock 1" \
		'printf "tail %s" "$STRIPE_SECRET_KEY"' 'exec sleep 300' >"$dir/hold.sh"
	# (-t leaves python the time to start)
	SECENV_DESCENDANTS=$mode run_bounded "$dir" "$RUN" -p p1 -t 4 -- "sh $dir/hold.sh"
	[ "$status" -eq 124 ] || fail "$mode: status $status"
	# the line it had not ended came out when the masking stopped, masked
	assert_output "tail $MASKED"
	assert_equal "$stderr" "secenv: run: timed out after 4s; the command's process group was killed"
	alive "$(cat "$dir/held")" || fail "the holder was reached after all"
	assert_equal "$(tail -1 "$SECENV_HOME/audit.log" | jq -c '[.exit, .timed_out, .masks]')" \
		'[124,true,{"STRIPE_SECRET_KEY":1}]'
	refute_secret "$SECRET"
	kill -KILL "$holder"
	wait "$holder" 2>/dev/null || true
}

@test "TERM to the run: what the command left behind goes too" {
	local mode dir
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		SECENV_DESCENDANTS=$mode "$RUN" -p p1 -- "sh $ESC $dir; echo started; sleep 300" \
			>"$dir/out" 2>"$dir/err" &
		RUN_PID=$!
		wait_until grep -q started "$dir/out"
		kill -TERM "$RUN_PID"
		local rc=0
		wait_until dead "$RUN_PID"
		wait "$RUN_PID" || rc=$?
		[ "$rc" -eq 143 ] || fail "$mode: status $rc"
		assert_equal "$(cat "$dir/err")" "secenv: run: interrupted by SIGTERM; the command's process group was stopped"
		assert_escapers_gone "$dir"
	done
}

@test "revoke reaches what the command left behind (setsid, double fork)" {
	local mode dir
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		SECENV_DESCENDANTS=$mode "$RUN" -p p1 -- "sh $ESC $dir; echo started; sleep 300" \
			>"$dir/out" 2>"$dir/err" &
		RUN_PID=$!
		wait_until grep -q started "$dir/out"
		run --separate-stderr secenv revoke -p p1
		assert_success
		assert_equal "$stderr" "secenv: project p1 revoked; 1 running command(s) stopped"
		# gone when revoke returns
		assert_escapers_gone "$dir"
		wait "$RUN_PID" || true
		secenv unrevoke -p p1 2>/dev/null
	done
}

@test "--keep-children: while the run lasts, revoke still reaches what the command left, its first process gone" {
	local mode dir pgid
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		# the escapers keep the output open: the run waits for it
		SECENV_DESCENDANTS=$mode "$RUN" -p p1 --keep-children -- "sh $ESC $dir; echo started" \
			>"$dir/out" 2>"$dir/err" &
		RUN_PID=$!
		wait_until grep -q started "$dir/out"
		read -r pgid _ <"$(echo "$RT"/run.*/running.p1)"
		wait_until dead "$pgid"
		run --separate-stderr secenv revoke -p p1
		assert_success
		assert_equal "$stderr" "secenv: project p1 revoked; 1 running command(s) stopped"
		assert_escapers_gone "$dir"
		wait_until dead "$RUN_PID"
		wait "$RUN_PID"
		secenv unrevoke -p p1 2>/dev/null
	done
}

# The keeper among the run's children: the one that names itself
# secenv-keeper (the masking process, the feeder and an append are
# children of the run too, and some of them have one thread).
keeper_of() {
	local p
	for p in $(pgrep -P "$1"); do
		[[ $p == "$2" ]] && continue
		[[ $(cat "/proc/$p/comm" 2>/dev/null) == secenv-keeper ]] && echo "$p"
	done
}

@test "a SIGKILLed run takes what its command started down; the log shows a run that ended without a record" {
	local mode dir pgid id seq keeper
	for mode in $(modes); do
		dir="$BATS_TEST_TMPDIR/$mode"
		mkdir "$dir"
		SECENV_DESCENDANTS=$mode "$RUN" -p p1 -- "sh $ESC $dir; echo started; sleep 300" \
			>"$dir/out" 2>"$dir/err" &
		RUN_PID=$!
		wait_until grep -q started "$dir/out"
		read -r pgid _ <"$(echo "$RT"/run.*/running.p1)"
		keeper=$(keeper_of "$RUN_PID" || :)
		kill -KILL "$RUN_PID"
		wait "$RUN_PID" || true
		wait_until dead "$pgid"
		wait_dead "$(cat "$dir/forked")" "$dir"
		if [[ $mode == cgroup ]]; then
			wait_dead "$(cat "$dir/setsid")" "$dir"
		fi
		# the keeper removed the run directory
		wait_rundir_gone "$keeper" "$dir"
		kill -KILL "$(cat "$dir/setsid")" 2>/dev/null || true
	done
	assert_no_run_cgroup
	# each run's intent has no outcome: a finding, not tampering
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	mapfile -t ids < <(jq -r 'select(.event == "run" and .intent != null) | "\(.intent) \(.seq)"' "$SECENV_HOME/audit.log")
	[ "${#ids[@]}" -eq "$(modes | wc -w)" ]
	local expected=""
	for id in "${ids[@]}"; do
		seq=${id#* }
		expected+="${expected:+$'\n'}auditlog: $SECENV_HOME/audit.log: line $seq: run ended without a record: run intent ${id% *} (seq $seq) has no outcome"
	done
	assert_equal "$stderr" "$expected"
	# and the report's integrity section says so, the log still sound
	auditlog report -f "$SECENV_HOME/audit.log" -o "$BATS_TEST_TMPDIR/report.html"
	run grep -c "<strong>SOUND</strong>: .*run ended without a record: run intent ${ids[0]% *}" "$BATS_TEST_TMPDIR/report.html"
	assert_output 1
}

@test "PR_SET_PDEATHSIG: the run and its keeper killed, the command still dies with them, --as USER too" {
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	local as out pgid keeper mode cgroup
	for as in "" nobody; do
		# a file of its own each time: the background job truncates
		# a shared one only when it gets to, and the last run's
		# "started" would be read as this one's
		out="$BATS_TEST_TMPDIR/out${as:+.$as}"
		"$RUN" -p p1 ${as:+--as "$as"} -- 'echo started; exec sleep 300' \
			>"$out" 2>"$out.err" &
		RUN_PID=$!
		wait_until grep -q started "$out"
		read -r pgid _ <"$(echo "$RT"/run.*/running.p1)"
		read -r mode _ _ cgroup < <(sed -n 2p "$(echo "$RT"/run.*/running.p1)")
		keeper=$(keeper_of "$RUN_PID" "$pgid")
		[[ -n $keeper ]] || fail "no keeper"
		kill -KILL "$keeper"
		kill -KILL "$RUN_PID"
		wait "$RUN_PID" || true
		wait_until dead "$pgid"
		# with the keeper gone, nobody removes the run's leftovers
		rm -rf "$RT"/run.*
		if [[ $mode == cgroup ]]; then
			wait_until rmdir "$cgroup"
		fi
	done
}

# The cgroup the runs of this test make theirs under (their own).
run_cgroup_base() {
	local own
	own=$(sed -n 's/^0:://p' /proc/self/cgroup)
	echo "$CGROOT${own%/}"
}

@test "a cgroup of the run's name left by a dead run of the same pid: the run makes one of its own all the same, and a SIGKILL takes down what left its session" {
	[[ $(modes) == cgroup* ]] || skip "no cgroup v2 to write to"
	local base kind dir record
	base=$(run_cgroup_base)
	MADE_CGROUPS=()
	for kind in empty busy; do
		dir="$BATS_TEST_TMPDIR/$kind"
		mkdir "$dir"
		# the run takes the place of a shell that made, with its own pid,
		# what a run killed with its keeper leaves: an empty cgroup, or
		# one that cannot be removed (a cgroup below it)
		sh -c 'mkdir "$0/secenv-run.$$" || exit 1
			[ "$1" = empty ] || mkdir "$0/secenv-run.$$/below" || exit 1
			shift; exec "$@"' "$base" "$kind" \
			"$RUN" -p p1 -- "sh $ESC $dir; echo started; sleep 300" \
			>"$dir/out" 2>"$dir/err" &
		RUN_PID=$!
		MADE_CGROUPS+=("$base/secenv-run.$RUN_PID/below" "$base/secenv-run.$RUN_PID")
		wait_until grep -q started "$dir/out"
		record=$(sed -n 2p "$(echo "$RT"/run.*/running.p1)")
		kill -KILL "$RUN_PID"
		wait "$RUN_PID" || true
		# before, the run fell back on being a subreaper without a word,
		# and its keeper could not reach what left the command's session
		wait_dead "$(cat "$dir/setsid")" "$dir"
		wait_dead "$(cat "$dir/forked")" "$dir"
		# a name of its own, never the dead run's (whose keeper may
		# still be at work on it)
		[[ $record =~ ^cgroup\ $RUN_PID\ [0-9]+\ (.*)$ &&
			${BASH_REMATCH[1]} == "$base/secenv-run.$RUN_PID.1" ]] ||
			fail "$kind: the running record says: $record"
		wait_until test ! -e "$base/secenv-run.$RUN_PID.1"
		# the empty one was removed, the other is left as it was
		if [[ $kind == empty ]]; then
			[[ ! -e $base/secenv-run.$RUN_PID ]] || fail "the empty cgroup is left"
		else
			[[ -d $base/secenv-run.$RUN_PID/below ]] || fail "the busy cgroup was touched"
		fi
		assert_equal "$(cat "$dir/err")" ""
	done
}

@test "a command that cannot join the run's cgroup: the run says so once and follows it as a subreaper; its keeper, told so, takes down the command's session when the run is SIGKILLed" {
	[[ $(modes) == cgroup* ]] || skip "no cgroup v2 to write to"
	command -v strace >/dev/null || skip "strace is not installed (make deps)"
	strace -f -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here (ptrace is not allowed)"
	local base dir="$BATS_TEST_TMPDIR/unjoined" record
	base=$(run_cgroup_base)
	mkdir "$dir"
	# the write that joins the cgroup fails (EBUSY, as a controller may
	# refuse a process); a process of the command in a group of its own,
	# in its session
	printf '%s\n' \
		"python3 -c 'import os, sys, time; os.setpgid(0, 0); open(sys.argv[1] + \".tmp\", \"w\").write(str(os.getpid())); os.rename(sys.argv[1] + \".tmp\", sys.argv[1]); time.sleep(300)' $dir/grouped &" \
		"while [ ! -e $dir/grouped ]; do sleep 0.05; done" \
		'echo started' 'exec sleep 300' >"$dir/cmd.sh"
	sh -c 'exec strace -D -f -qq -o /dev/null -P "$0/secenv-run.$$/cgroup.procs" \
		-e trace=write -e inject=write:error=EBUSY "$@"' "$base" \
		"$RUN" -p p1 -- "sh $dir/cmd.sh" >"$dir/out" 2>"$dir/err" &
	RUN_PID=$!
	wait_until grep -q started "$dir/out"
	record=$(sed -n 2p "$(echo "$RT"/run.*/running.p1)")
	[[ $record == "subreaper $RUN_PID "* ]] || fail "the running record says: $record"
	[[ ! -e $base/secenv-run.$RUN_PID ]] || fail "the cgroup the command could not join is left"
	kill -KILL "$RUN_PID"
	wait "$RUN_PID" || true
	wait_dead "$(cat "$dir/grouped")" "$dir"
	assert_equal "$(cat "$dir/err")" "secenv: run: the command cannot join the cgroup $base/secenv-run.$RUN_PID (Device or resource busy): its processes are followed as a subreaper"
}
