#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Faults: SIGKILL storms on appenders and store writers, kills and errors
# injected at chosen system calls with strace, full disks on tmpfs.

bats_require_minimum_version 1.5.0
load helpers/common

setup() {
	secenv_test_env
	LOG="$BATS_TEST_TMPDIR/audit.log"
	KEY="$BATS_TEST_TMPDIR/audit.key"
	# (0600: secenv_test_env's umask)
	secenv_random_key "$KEY"
}

teardown() {
	if [[ -n "${DISK:-}" ]] && mountpoint -q "$DISK"; then
		umount "$DISK"
	fi
	if [[ -n "${OPEN:-}" ]]; then
		rm -rf "$OPEN"
	fi
}

# mount_disk SIZE: a tmpfs of SIZE at $DISK, or skip.
mount_disk() {
	DISK="$BATS_TEST_TMPDIR/disk"
	mkdir -p "$DISK"
	[[ "$(id -u)" == 0 ]] || skip "a full disk needs a tmpfs mount: run as root"
	mount -t tmpfs -o "size=$1,mode=0700" tmpfs "$DISK" 2>/dev/null ||
		skip "cannot mount a tmpfs here (needs CAP_SYS_ADMIN)"
}

need_strace() {
	command -v strace >/dev/null || skip "strace is not installed (make deps)"
	strace -f -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here (ptrace is not allowed)"
}

# strace ARG...: LeakSanitizer cannot work under ptrace, so a sanitizer
# build (make check-asan) traced here checks everything but leaks
strace() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" command strace "$@"
}

# sound_or_torn LOG [KEY]: verify says sound, or names a torn last line.
sound_or_torn() {
	local keyopt=()
	[[ $# -lt 2 ]] || keyopt=(-k "$2")
	run --separate-stderr auditlog verify -f "$1" "${keyopt[@]}"
	if ((status == 0)); then
		[[ "$output" == "$1: sound: "* ]] || fail "verify: $output"
		return 0
	fi
	[[ "$status" == 1 && "$stderr" == "auditlog: $1: line "*": torn last line: an append was interrupted (the records before it are sound)" ]] ||
		fail "verify after a kill: status $status: $stderr"
}

# SECENV_FAULT_KILLS (100 here; make bench-auditlog-kills runs 1,000) SIGKILLs
# of appenders that fsync, so the kills land in the sync windows; the log is
# checked after every other round (a wedge stays, so it is seen) and takes
# an append every 25th. The rounds run in tests/helpers/kill-storm, out of
# bats' DEBUG trap (which made them take six times as long).
@test "SIGKILLs of concurrent appenders: the log always verifies and the next append succeeds" {
	auditlog append -f "$LOG" -k "$KEY" event=start
	run "$SECENV_SRC/tests/helpers/kill-storm" appenders "$BATS_TEST_TMPDIR" "$LOG" "$KEY" \
		"${SECENV_FAULT_KILLS:-100}"
	assert_success
	assert_output ""
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=end
	assert_success
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	[[ "$output" == "$LOG: sound: "* ]]
	run python3 "$FIXTURES/auditlog/chain.py" "$LOG" "$KEY"
	assert_output --regexp '^ok [0-9]+$'
}

@test "a kill at every fsync, fdatasync, pwrite, write and ftruncate of an append: sound or torn, never wedged" {
	need_strace
	local call n
	auditlog append -f "$LOG" -k "$KEY" event=start
	printf 'torn' >>"$LOG" # so the cut of a torn line is reached too
	for call in fdatasync fsync pwrite64 write ftruncate; do
		for n in 1 2 3; do
			strace -f -qq -o /dev/null -e trace="$call" \
				-e inject="$call:signal=KILL:when=$n" \
				auditlog append -f "$LOG" -k "$KEY" event=killed "at=$call#$n" \
				2>/dev/null || true
			sound_or_torn "$LOG" "$KEY"
			run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=after "at=$call#$n"
			assert_success
			printf 'torn' >>"$LOG"
		done
	done
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=end
	assert_success
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	# Every append that returned 0 is there.
	run jq -r 'select(.event == "after") | .at' "$LOG"
	assert_equal "${#lines[@]}" 15
}

@test "two appends killed between the record and the anchor: no wedge" {
	need_strace
	auditlog append -f "$LOG" event=first
	# The log's fsync: after the record, before the anchor moves on.
	for _ in 1 2 3; do
		strace -f -qq -o /dev/null -e trace=fsync \
			-e inject=fsync:signal=KILL:when=1 \
			auditlog append -f "$LOG" event=killed 2>/dev/null || true
	done
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	assert_output "$LOG: sound: 4 records, seq 1 to 4"
	run --separate-stderr auditlog append -f "$LOG" event=next
	assert_success
	run --separate-stderr auditlog verify -f "$LOG"
	assert_output "$LOG: sound: 5 records, seq 1 to 5"
}

@test "tampering is still found: a cut, a removed record, an edited record, a replaced anchor" {
	local i
	for i in 1 2 3 4 5; do
		auditlog append -f "$LOG" -k "$KEY" event=run "n:=$i"
		((i != 2)) || cp "$LOG.anchor" "$BATS_TEST_TMPDIR/anchor2"
	done
	cp "$LOG" "$BATS_TEST_TMPDIR/log"
	head -n 4 "$BATS_TEST_TMPDIR/log" >"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: 1 record cut off the end: the log ends at seq 4, its anchor records seq 5"
	sed 3d "$BATS_TEST_TMPDIR/log" >"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 3: 1 record deleted before this line (expected seq 3, found seq 4)"
	sed '5s/"n":5/"n":6/' "$BATS_TEST_TMPDIR/log" >"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: record edited: its hash does not match its content"
	cp "$BATS_TEST_TMPDIR/log" "$LOG"
	cp "$BATS_TEST_TMPDIR/anchor2" "$LOG.anchor"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: the log goes on to seq 5 past its anchor's seq 2: records added without auditlog, or the anchor replaced"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log ends at seq 5 but its anchor records seq 2: run auditlog verify"
}

@test "an intent with no outcome is a finding of verify, not tampering" {
	auditlog append -f "$LOG" event=set intent=0123456789abcdef0123456789abcdef project=p1
	auditlog append -f "$LOG" event=set outcome_of=0123456789abcdef0123456789abcdef "status:=0"
	auditlog append -f "$LOG" event=import intent=fedcba9876543210fedcba9876543210 project=p1
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	assert_output "$LOG: sound: 3 records, seq 1 to 3"
	assert_equal "$stderr" "auditlog: $LOG: line 3: run ended without a record: import intent fedcba9876543210fedcba9876543210 (seq 3) has no outcome"
	run --separate-stderr auditlog append -f "$LOG" event=x intent=not-an-id
	assert_failure 100
	assert_equal "$stderr" "auditlog: field intent: not an intent id (16 to 64 hex digits)"
}

@test "secenv set, import and rm write the intent before the change and the outcome after" {
	export AUDIT_SECRET_ACCESS=1
	secenv init >/dev/null 2>&1
	printf 'v1' | secenv set -p p1 A
	printf 'B=2\nC=3\n' | secenv import -p p1
	secenv rm -p p1 A
	run jq -c '[.event, (.intent != null), (.outcome_of != null), .status, .secrets]' "$SECENV_HOME/audit.log"
	assert_output '["set",true,false,null,["A"]]
["set",false,true,0,["A"]]
["import",true,false,null,null]
["import",false,true,0,["A","B","C"]]
["rm",true,false,null,["A"]]
["rm",false,true,0,["A"]]'
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	assert_equal "$stderr" ""
	# A log that cannot take the intent: nothing is stored.
	rm "$SECENV_HOME/audit.log" "$SECENV_HOME/audit.log.anchor"
	mkdir "$SECENV_HOME/audit.log"
	run --separate-stderr secenv set -p p1 D <<<"v4"
	assert_failure 111
	assert_equal "$stderr" "auditlog: $SECENV_HOME/audit.log: Is a directory
secenv: audit log $SECENV_HOME/audit.log: cannot append a record
secenv: audit log $SECENV_HOME/audit.log: cannot append the intent record: nothing changed"
	run vaultfetch list p1
	refute_output --partial D
}

@test "a value nested 2048 deep is refused with 100 before anything is written" {
	local deep
	deep="$(printf '%2048s' '' | tr ' ' '[')$(printf '%2048s' '' | tr ' ' ']')"
	run --separate-stderr auditlog append -f "$LOG" event=x "x:=$deep"
	assert_failure 100
	assert_equal "$stderr" "auditlog: field x: nested deeper than 32 levels"
	[[ ! -s "$LOG" ]]
	run --separate-stderr auditlog append -f "$LOG" event=x 'x:=[[[1]]]'
	assert_success
}

# SECENV_FAULT_WRITER_KILLS (60 here; make bench-auditlog-kills runs 500)
# SIGKILLs of writers, in tests/helpers/kill-storm; it prints the names
# whose writer exited 0.
@test "SIGKILLs of store writers: no temporary file remains and every committed value is there" {
	local committed missing
	vaultfetch init >/dev/null 2>&1
	printf 'v0' | vaultfetch put p1 K0
	run --separate-stderr "$SECENV_SRC/tests/helpers/kill-storm" writers "$BATS_TEST_TMPDIR" p1 \
		"${SECENV_FAULT_WRITER_KILLS:-60}"
	((status == 0)) || fail "kill-storm: status $status: $stderr"
	committed=$output
	# The next writer removes what a writer killed after its link left.
	printf 'last' | vaultfetch put p1 LAST
	run find "$SECENV_HOME/store" -name '*.tmp.*'
	assert_output ""
	run --separate-stderr vaultfetch list p1
	assert_success
	missing=$(comm -23 <(printf '%s\n' K0 LAST $committed | sort) <(cut -f1 <<<"$output" | sort))
	[[ -z $missing ]] || fail "committed but not in the store: $missing"
}

@test "a writer killed between its link and its rename leaves a file the next writer removes" {
	need_strace
	vaultfetch init >/dev/null 2>&1
	printf 'v0' | vaultfetch put p1 A
	strace -f -qq -o /dev/null -e trace=rename -e inject=rename:signal=KILL \
		vaultfetch put p1 B <<<"v1" 2>/dev/null || true
	run find "$SECENV_HOME/store" -name 'p1.vault.tmp.*'
	assert_equal "${#lines[@]}" 1
	printf 'v2' | vaultfetch put p1 C
	run find "$SECENV_HOME/store" -name '*.tmp.*'
	assert_output ""
	run vaultfetch list p1
	assert_success
	assert_output --regexp '^A	.*
C	'
}

@test "append on a full disk, injected: ENOSPC named, nothing kept, the log verifies and goes on" {
	need_strace
	auditlog append -f "$LOG" -k "$KEY" event=first
	run --separate-stderr strace -f -qq -o /dev/null -e trace=write \
		-e inject=write:error=ENOSPC:when=1 auditlog append -f "$LOG" -k "$KEY" event=lost
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: write: No space left on device"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 1 records, seq 1 to 1"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=second
	assert_success
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_output "$LOG: sound: 2 records, seq 1 to 2"
}

@test "append on a full tmpfs: No space left on device, and the next append once there is room" {
	mount_disk 64k
	local log="$DISK/audit.log" pad n=1
	pad="$(head -c 3000 /dev/zero | tr '\0' 'p')"
	auditlog append -f "$log" event=first
	dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null || true
	while ((n < 100)); do
		run --separate-stderr auditlog append -f "$log" event=fill "pad=$pad"
		((status == 0)) || break
		n=$((n + 1))
	done
	assert_failure 111
	assert_equal "$stderr" "auditlog: $log: write: No space left on device"
	run --separate-stderr auditlog verify -f "$log"
	assert_success
	assert_output "$log: sound: $n records, seq 1 to $n"
	rm "$DISK/fill"
	run --separate-stderr auditlog append -f "$log" event=after
	assert_success
}

@test "append refuses with 111 a MAC key of mode 644 or the wrong length, and a keyed log without its key" {
	auditlog append -f "$LOG" -k "$KEY" event=first
	chmod 644 "$KEY"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: MAC key $KEY: not a private file of ours (chmod 600)"
	chmod 600 "$KEY"
	head -c 31 "$KEY" >"$BATS_TEST_TMPDIR/short.key"
	chmod 600 "$BATS_TEST_TMPDIR/short.key"
	run --separate-stderr auditlog append -f "$LOG" -k "$BATS_TEST_TMPDIR/short.key" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: MAC key $BATS_TEST_TMPDIR/short.key: not 32 bytes"
	run --separate-stderr auditlog append -f "$LOG" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log is keyed (MAC key id $(jq -r .mac_key "$LOG")): give its key with -k"
	run wc -l <"$LOG"
	assert_output 1
}

@test "import of 10,000 secrets (the limit): stored, and one outcome record with their count and digest" {
	secenv init >/dev/null 2>&1
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "S%05d=value%d\n", i, i }' >"$BATS_TEST_TMPDIR/big.env"
	run --separate-stderr secenv import -p p1 "$BATS_TEST_TMPDIR/big.env"
	assert_success
	assert_equal "$stderr" ""
	run vaultfetch list p1
	assert_equal "${#lines[@]}" 10000
	run jq -c 'select(.outcome_of) | [.event, .secrets_count, .secrets_sha256]' "$SECENV_HOME/audit.log"
	assert_output "[\"import\",10000,\"$(vaultfetch list p1 | cut -f1 | sha256sum | cut -d' ' -f1)\"]"
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	assert_equal "$stderr" ""
	# One more name is refused; a new value for a name it holds is not.
	run --separate-stderr secenv set -p p1 EXTRA <<<"v1"
	assert_failure 100
	assert_equal "$stderr" "vaultfetch: project p1: 10001 secrets with this change, more than the 10000 a project holds (split them over several projects); nothing changed"
	printf 'v2' | secenv set -p p1 S00007
	run vaultfetch list p1
	assert_equal "${#lines[@]}" 10000
	refute_output --partial EXTRA
	assert_line --regexp '^S00007	2	'
}

@test "import of 100,000 secrets is refused up front with 100: nothing stored, the attempt recorded" {
	secenv init >/dev/null 2>&1
	printf 'v0' | secenv set -p p1 KEEP
	cp "$SECENV_HOME/store/p1.vault" "$BATS_TEST_TMPDIR/before"
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "S%06d=value%d\n", i, i }' >"$BATS_TEST_TMPDIR/huge.env"
	run --separate-stderr secenv import -p p1 "$BATS_TEST_TMPDIR/huge.env"
	assert_failure 100
	assert_output ""
	assert_equal "$stderr" "vaultfetch: $BATS_TEST_TMPDIR/huge.env:10001: more than 10000 secrets: a project holds at most 10000 (split them over several projects); nothing imported"
	cmp "$SECENV_HOME/store/p1.vault" "$BATS_TEST_TMPDIR/before"
	run vaultfetch list p1
	assert_output --regexp '^KEEP	1	[^
]*$'
	run find "$SECENV_HOME/store" -name '*.tmp.*'
	assert_output ""
	# The intent and its outcome (100): nothing half-done in the log.
	run jq -c 'select(.event == "import") | [(.intent != null), .status]' "$SECENV_HOME/audit.log"
	assert_output '[true,null]
[false,100]'
	run --separate-stderr auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	assert_equal "$stderr" ""
}

@test "revoke on a full disk: flipped in place for a project with secrets, refused loudly otherwise" {
	mount_disk 256k
	export SECENV_HOME="$DISK/home"
	vaultfetch init >/dev/null 2>&1
	printf 'v1' | vaultfetch put p1 A
	dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null || true
	run --separate-stderr vaultfetch revoke p1
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr vaultfetch fetch p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: project p1 is revoked"
	run --separate-stderr vaultfetch unrevoke p1
	assert_success
	run --separate-stderr vaultfetch revoke p2
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: revoke p2: the revocation is NOT recorded: its blobs and new runs are not refused: No space left on device"
}

@test "init with store.key missing while stores exist refuses; a 31-byte store.key is named as such" {
	vaultfetch init >/dev/null 2>&1
	printf 'v1' | vaultfetch put p1 A
	cp "$SECENV_HOME/keys/store.key" "$BATS_TEST_TMPDIR/store.key"
	head -c 31 "$BATS_TEST_TMPDIR/store.key" >"$SECENV_HOME/keys/store.key"
	run --separate-stderr vaultfetch list p1
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/store.key: not a store key: it must be exactly 32 bytes (damaged or replaced? restore it from a backup)"
	rm "$SECENV_HOME/keys/store.key"
	run --separate-stderr secenv init
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/store.key: missing, but $SECENV_HOME/store holds stores it encrypted: put the key back (a new one could not open them): No such file or directory"
	[[ ! -e "$SECENV_HOME/keys/store.key" ]]
	cp "$BATS_TEST_TMPDIR/store.key" "$SECENV_HOME/keys/store.key"
	run --separate-stderr vaultfetch list p1
	assert_success
}

@test "a 10 KB bad project id is not echoed whole" {
	local long
	long="$(printf '%10000s' '' | tr ' ' 'x')/"
	run --separate-stderr secenv list -p "$long"
	assert_failure 100
	assert_equal "$stderr" "secenv: invalid project id: $(printf '%80s' '' | tr ' ' 'x')... (10001 bytes; at most 64 of [A-Za-z0-9._-])"
}

@test "the other words of a bad command line are cut and printable too" {
	local long
	long="$(printf '%10000s' '' | tr ' ' 'x')"
	run --separate-stderr secenv list -p p1 "$long"
	assert_failure 100
	assert_equal "$stderr" "secenv: list: unexpected argument: $(printf '%80s' '' | tr ' ' 'x')... (10000 bytes)
usage: secenv list -p PROJECT"
	run --separate-stderr secenv "$long"
	assert_failure 100
	assert_equal "${stderr%%$'\n'*}" "secenv: unknown subcommand: $(printf '%80s' '' | tr ' ' 'x')... (10000 bytes)"
	run --separate-stderr secenv audit "x$long"
	assert_failure 100
	assert_equal "${stderr%%$'\n'*}" "secenv: audit: unknown verb: $(printf '%80s' '' | tr ' ' 'x')... (10001 bytes)"
	run --separate-stderr secenv unrevoke -p p1 $'a\e]0;title\a'
	assert_failure 100
	assert_equal "${stderr%%$'\n'*}" "secenv: unrevoke: unexpected argument: \$'a\\E]0;title\\a'"
}

@test "a worker.key open to others is named, with its mode and what to do" {
	secenv init >/dev/null 2>&1
	secenv_put p1 API_KEY "sk_test_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	vaultfetch fetch p1 >"$BATS_TEST_TMPDIR/blob"
	chmod 644 "$SECENV_HOME/keys/worker.key"
	run --separate-stderr vaultfetch fetch p1 --no-cache
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/worker.key: mode 644 lets group or others at it: chmod 600 it"
	run --separate-stderr secenv run -p p1 -- true
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/worker.key: mode 644 lets group or others at it: chmod 600 it
secenv: run: cannot fetch the secrets of p1; nothing was run"
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/blob" -- true
	assert_failure 111
	assert_equal "$stderr" "envinject: worker key in $SECENV_HOME/keys: worker.key: mode 644 lets group or others at it: chmod 600 it"
	chmod 600 "$SECENV_HOME/keys/worker.key"
	head -c 31 /dev/urandom >"$SECENV_HOME/keys/worker.key"
	run --separate-stderr vaultfetch fetch p1 --no-cache
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/worker.key: not a key: it must be exactly 32 bytes (damaged or replaced? restore it from a backup)"
}

@test "a keyed audit log whose audit.key is missing: the key file named, nothing changed" {
	export AUDIT_SECRET_ACCESS=1
	local key="$SECENV_HOME/keys/audit.key" log="$SECENV_HOME/audit.log" id
	secenv init >/dev/null 2>&1
	secenv_put p1 A v1
	id="$(head -n 1 "$log" | jq -r .mac_key)"
	mv "$key" "$BATS_TEST_TMPDIR/audit.key"
	local said="auditlog: $key: the log $log is keyed (MAC key id $id) and is neither written nor checked without this key: put it back from a backup (if it is lost, move the log and its anchor away to start a new log): No such file or directory"
	run --separate-stderr secenv set -p p1 B <<<"v2"
	assert_failure 111
	assert_equal "$stderr" "$said
secenv: audit log $log: cannot append a record
secenv: audit log $log: cannot append the intent record: nothing changed"
	run --separate-stderr secenv audit verify
	assert_failure 111
	assert_equal "$stderr" "$said"
	run --separate-stderr auditlog append event=x
	assert_failure 111
	assert_equal "$stderr" "$said"
	run vaultfetch list p1
	refute_output --partial B
	mv "$BATS_TEST_TMPDIR/audit.key" "$key"
	run --separate-stderr secenv audit verify
	assert_success
	assert_output "$log: sound: 2 records, seq 1 to 2"
}

# as_nobody COMMAND...: run as the user nobody, with a runtime directory
# of its own (needs root and setpriv).
as_nobody() {
	setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
		env XDG_RUNTIME_DIR="$OPEN/run" PATH="$PATH" SECENV_HOME="$1" "${@:2}"
}

@test "another user's SECENV_HOME is named as such, not as missing" {
	[[ "$(id -u)" == 0 ]] || skip "needs root, to run as another user"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	id -u nobody >/dev/null 2>&1 || skip "no user nobody"
	# A directory every user can reach, holding root's 0700 home.
	OPEN="$(mktemp -d /tmp/secenv-faults.XXXXXX)"
	chmod 755 "$OPEN"
	mkdir -m 700 "$OPEN/run" "$OPEN/closed"
	chown nobody "$OPEN/run"
	export SECENV_HOME="$OPEN/home" AUDIT_SECRET_ACCESS=1
	secenv init >/dev/null 2>&1
	secenv_put p1 A v1
	local owned="SECENV_HOME $OPEN/home: owned by uid 0, not by you (uid $(id -u nobody)): set SECENV_HOME to a directory of your own"
	run --separate-stderr as_nobody "$OPEN/home" secenv run -p p1 -- true
	assert_failure 111
	assert_equal "$stderr" "secenv: $owned"
	run --separate-stderr as_nobody "$OPEN/home" vaultfetch list p1
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $owned"
	run --separate-stderr as_nobody "$OPEN/home" auditlog verify -f "$OPEN/home/audit.log"
	assert_failure 111
	assert_equal "$stderr" "auditlog: $owned"
	run --separate-stderr as_nobody "$OPEN/home" secenv audit
	assert_failure 111
	assert_equal "$stderr" "secenv: $owned"
	local closed="SECENV_HOME $OPEN/closed/home: a directory on its path is closed to you (another user's?): set SECENV_HOME to a directory of your own: Permission denied"
	run --separate-stderr as_nobody "$OPEN/closed/home" secenv run -p p1 -- true
	assert_failure 111
	assert_equal "$stderr" "secenv: $closed"
	run --separate-stderr as_nobody "$OPEN/closed/home" vaultfetch init
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: $closed"
	run --separate-stderr as_nobody "$OPEN/closed/home" secenv audit
	assert_failure 111
	assert_equal "$stderr" "secenv: $closed"
}

@test "secenv unrevoke writes its intent first: a log that cannot take it leaves the project revoked" {
	export AUDIT_SECRET_ACCESS=1
	secenv init >/dev/null 2>&1
	secenv_put p1 A v1
	secenv revoke -p p1 2>/dev/null
	rm "$SECENV_HOME/audit.log" "$SECENV_HOME/audit.log.anchor"
	mkdir "$SECENV_HOME/audit.log"
	run --separate-stderr secenv unrevoke -p p1
	assert_failure 111
	assert_equal "$stderr" "auditlog: $SECENV_HOME/audit.log: Is a directory
secenv: audit log $SECENV_HOME/audit.log: cannot append a record
secenv: audit log $SECENV_HOME/audit.log: cannot append the intent record: nothing changed"
	run --separate-stderr vaultfetch fetch p1
	assert_failure 111
	assert_equal "$stderr" "vaultfetch: project p1 is revoked"
	rmdir "$SECENV_HOME/audit.log"
	run --separate-stderr secenv unrevoke -p p1
	assert_success
	run jq -c '[.event, (.intent != null), (.outcome_of != null), .status]' "$SECENV_HOME/audit.log"
	assert_output '["unrevoke",true,false,null]
["unrevoke",false,true,0]'
	run --separate-stderr vaultfetch fetch p1
	assert_success
}

@test "store.key missing while stores exist: put, list and fetch say to put it back, not to run init" {
	vaultfetch init >/dev/null 2>&1
	printf 'v1' | vaultfetch put p1 A
	mv "$SECENV_HOME/keys/store.key" "$BATS_TEST_TMPDIR/store.key"
	local said="vaultfetch: $SECENV_HOME/keys/store.key: missing, but $SECENV_HOME/store holds stores it encrypted: put the key back from a backup: No such file or directory"
	run --separate-stderr vaultfetch list p1
	assert_failure 111
	assert_equal "$stderr" "$said"
	run --separate-stderr vaultfetch put p1 B <<<"v2"
	assert_failure 111
	assert_equal "$stderr" "$said"
	run --separate-stderr vaultfetch fetch p1
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "$said"
	mv "$BATS_TEST_TMPDIR/store.key" "$SECENV_HOME/keys/store.key"
	run --separate-stderr vaultfetch list p1
	assert_success
	assert_output --regexp '^A	1	'
}

@test "secenv audit names the log's real errno" {
	run --separate-stderr secenv audit
	assert_failure 111
	assert_equal "$stderr" "secenv: audit log $SECENV_HOME/audit.log: No such file or directory"
	mkdir -p "$SECENV_HOME/audit.log"
	run --separate-stderr secenv audit
	assert_failure 111
	assert_output ""
	assert_equal "$stderr" "secenv: audit log $SECENV_HOME/audit.log: Is a directory"
}
