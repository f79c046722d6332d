#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# auditlog: record schema, typing, hostile values, tamper detection,
# concurrency, a full disk, rotation and the MAC key.

bats_require_minimum_version 1.5.0
load helpers/common

setup() {
	secenv_test_env
	LOG="$BATS_TEST_TMPDIR/audit.log"
	KEY="$BATS_TEST_TMPDIR/audit.key"
	CHAIN="$FIXTURES/auditlog/chain.py"
	# (0600: secenv_test_env's umask)
	secenv_random_key "$KEY"
}

teardown() {
	if [[ -n "${DISK:-}" ]] && mountpoint -q "$DISK"; then
		umount "$DISK"
	fi
}

# fill N [KEY]: N records "event=run n:=I project=p1"; the first append
# that fails ends it with its status. The loop runs in a small shell (a
# process started from the test's own shell costs about three times as
# much).
fill() {
	local keyopt=()
	[[ $# -lt 2 ]] || keyopt=(-k "$2")
	# shellcheck disable=SC2016 # expanded by sh
	sh -c 'n=$1 log=$2 i=1
		shift 2
		while [ "$i" -le "$n" ]; do
			auditlog append -f "$log" "$@" event=run "n:=$i" project=p1 || exit
			i=$((i + 1))
		done' fill "$1" "$LOG" "${keyopt[@]}"
}

# appenders N COUNT ARGS...: N processes, each COUNT times `auditlog append
# ARGS... proc:=P i:=I` (P from 1 to N, I from 1 to COUNT), in the
# background; `wait` for them. They start together (each waits for a lock
# held until all exist), each in a small shell (a process started from the
# test's own shell costs about three times as much). Failures go to
# $BATS_TEST_TMPDIR/failures.
appenders() {
	local n=$1 count=$2 p
	shift 2
	exec 4>"$BATS_TEST_TMPDIR/go"
	flock -x 4
	for ((p = 1; p <= n; p++)); do
		# shellcheck disable=SC2016 # expanded by sh
		sh -c 'flock -s "$1" true
			p=$2 count=$3 failures=$4 i=1
			shift 4
			while [ "$i" -le "$count" ]; do
				auditlog append "$@" "proc:=$p" "i:=$i" 2>>"$failures" ||
					echo "append failed ($?): $p $i" >>"$failures"
				i=$((i + 1))
			done' appender "$BATS_TEST_TMPDIR/go" "$p" "$count" "$BATS_TEST_TMPDIR/failures" "$@" 4>&- &
	done
	flock -u 4
	exec 4>&-
}

@test "-h prints usage and exits 0" {
	run --separate-stderr auditlog -h
	assert_success
	assert_line --index 0 --partial "usage: auditlog append [-f FILE] [-k MACKEY]"
	run --separate-stderr auditlog verify -h
	assert_success
	assert_line --index 0 --partial "usage: auditlog append"
}

@test "a record has the documented fields and types" {
	run --separate-stderr sh -c 'auditlog append -f "$1" event=run project=p1 && echo $$' sh "$LOG"
	assert_success
	local pid="$output"
	run jq -c 'keys' "$LOG"
	assert_output '["event","hash","host","pid","prev","project","seq","time","uid"]'
	run jq -r '[.event, .project, .seq, .pid, .uid, .host, .prev] | map(tostring) | join(" ")' "$LOG"
	assert_output "run p1 1 $pid $(id -u) $(hostname) $(printf '0%.0s' {1..64})"
	run jq -r '.time' "$LOG"
	[[ "$output" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$ ]] ||
		fail "time not RFC 3339 UTC with ms: $output"
	run jq -r '.hash | test("^[0-9a-f]{64}$")' "$LOG"
	assert_output true
	# hash is the last field on the line, the others sorted before it.
	run python3 "$CHAIN" "$LOG"
	assert_output "ok 1"
}

@test "FIELD:=JSON stays typed, FIELD=VALUE is always a string" {
	run --separate-stderr auditlog append -f "$LOG" event=run exit:=0 ok:=true \
		ratio:=0.5 none:=null 'names:=["A","B"]' 'counts:={"A":3}' s=5 t=true
	assert_success
	run jq -c '[.exit, .ok, .ratio, .none, .names, .counts, .s, .t]' "$LOG"
	assert_output '[0,true,0.5,null,["A","B"],{"A":3},"5","true"]'
}

@test "the default log is SECENV_HOME/audit.log, private" {
	run --separate-stderr auditlog append event=init
	assert_success
	run stat -c '%a %n' "$SECENV_HOME" "$SECENV_HOME/audit.log" "$SECENV_HOME/audit.log.anchor"
	assert_output "700 $SECENV_HOME
600 $SECENV_HOME/audit.log
600 $SECENV_HOME/audit.log.anchor"
	run --separate-stderr auditlog verify
	assert_success
	assert_output "$SECENV_HOME/audit.log: sound: 1 records, seq 1 to 1"
}

@test "usage errors exit 100 naming the bad input" {
	run --separate-stderr auditlog append -f "$LOG" project=p1
	assert_failure 100
	assert_equal "$stderr" "auditlog: append: event=NAME is required"
	run --separate-stderr auditlog append -f "$LOG" event=x seq:=5
	assert_failure 100
	assert_equal "$stderr" "auditlog: field seq is written by auditlog itself"
	run --separate-stderr auditlog append -f "$LOG" event=x 'bad-name=1'
	assert_failure 100
	assert_equal "$stderr" "auditlog: bad field name bad-name: want [A-Za-z_][A-Za-z0-9_]*"
	run --separate-stderr auditlog append -f "$LOG" event=x a=1 a=2
	assert_failure 100
	assert_equal "$stderr" "auditlog: field a given twice"
	run --separate-stderr auditlog append -f "$LOG" event=x 'n:=12abc'
	assert_failure 100
	assert_equal "$stderr" "auditlog: field n: not a JSON value"
	run --separate-stderr auditlog append -f "$LOG" event=x novalue
	assert_failure 100
	assert_equal "$stderr" "auditlog: novalue: not FIELD=VALUE or FIELD:=JSON"
	run --separate-stderr auditlog append -f "$LOG" event=rotate
	assert_failure 100
	assert_equal "$stderr" "auditlog: event rotate is written by auditlog rotate"
	run --separate-stderr auditlog frobnicate
	assert_failure 100
	assert_equal "${stderr_lines[0]}" "auditlog: unknown command frobnicate"
	run --separate-stderr auditlog verify -f "$LOG" extra
	assert_failure 100
	[[ ! -e "$LOG" ]] || fail "a refused append wrote the log"
}

@test "--json merges an object from stdin, keeping its types" {
	run --separate-stderr auditlog append -f "$LOG" --json event=run project=p1 \
		<<<'{"masked":{"STRIPE_SECRET_KEY":3,"DATABASE_URL":1},"exit":2,"ok":false}'
	assert_success
	run jq -c '[.masked, .exit, .ok, .project]' "$LOG"
	assert_output '[{"DATABASE_URL":1,"STRIPE_SECRET_KEY":3},2,false,"p1"]'
	run --separate-stderr auditlog append -f "$LOG" --json event=run <<<'[1,2]'
	assert_failure 100
	assert_equal "$stderr" "auditlog: --json: stdin: not a JSON object"
	run --separate-stderr auditlog append -f "$LOG" --json event=run <<<'{"seq":9}'
	assert_failure 100
	assert_equal "$stderr" "auditlog: field seq is written by auditlog itself"
	run --separate-stderr auditlog append -f "$LOG" --json event=run <<<'{"a":1,"a":2}'
	assert_failure 100
	assert_equal "$stderr" "auditlog: --json: stdin: not JSON (line 1, column 10)"
	run jq -s 'length' "$LOG"
	assert_output 1
}

@test "hostile values: newlines, quotes, backslashes, binary, control bytes" {
	local nasty binary
	nasty=$'line1\nline2\r\t"quoted" \\back\\ {"seq":1}\n,"hash":"'
	binary="$(python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(1, 256)))')"
	run --separate-stderr auditlog append -f "$LOG" event=run "command=$nasty" "blob=$binary"
	assert_success
	run wc -l <"$LOG"
	assert_output 1
	run jq -j '.command' "$LOG"
	assert_output "$nasty"
	# Invalid UTF-8 becomes U+FFFD, as Python's "replace" decoding does.
	run python3 -c '
import json, sys
rec = json.loads(open(sys.argv[1], "rb").read())
want = bytes(range(1, 256)).decode("utf-8", "replace")
print(rec["blob"] == want, len(rec["blob"]))' "$LOG"
	assert_output "True 255"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	run python3 "$CHAIN" "$LOG"
	assert_output "ok 1"
}

@test "over-long values are cut at 4096 bytes with a marker, 1 MB through --json" {
	local long
	long="$(head -c 100000 /dev/zero | tr '\0' 'a')"
	python3 -c 'import json; print(json.dumps({"output": "b" * 1048576}))' >"$BATS_TEST_TMPDIR/big.json"
	run --separate-stderr auditlog append -f "$LOG" --json event=run "command=$long" <"$BATS_TEST_TMPDIR/big.json"
	assert_success
	run jq -r '(.command | length), (.command | .[4090:]), (.output | length), (.output | .[4090:])' "$LOG"
	assert_output "4118
aaaaaa...[cut: 100000 bytes]
4119
bbbbbb...[cut: 1048576 bytes]"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
}

@test "a record over the size limit is refused with 100 and nothing written" {
	local args=() i pad
	pad="$(head -c 4000 /dev/zero | tr '\0' 'x')"
	for ((i = 0; i < 20; i++)); do
		args+=("f$i=$pad")
	done
	run --separate-stderr auditlog append -f "$LOG" event=run "${args[@]}"
	assert_failure 100
	assert_equal "$stderr" "auditlog: record longer than 65536 bytes"
	run stat -c %s "$LOG"
	assert_output 0
}

@test "the chain recomputes with an independent BLAKE2b, unkeyed and keyed" {
	fill 5
	run python3 "$CHAIN" "$LOG"
	assert_output "ok 5"
	rm "$LOG" "$LOG.anchor"
	fill 5 "$KEY"
	run python3 "$CHAIN" "$LOG" "$KEY"
	assert_output "ok 5"
	# The keyed chain does not pass as an unkeyed one.
	run python3 "$CHAIN" "$LOG"
	assert_output "bad 1: hash"
	run jq -r .mac_key "$LOG"
	assert_line --index 4 "$(python3 -c 'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1],"rb").read(), digest_size=8).hexdigest())' "$KEY")"
}

@test "verify passes a sound log and prints a summary" {
	fill 10 "$KEY"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 10 records, seq 1 to 10"
	assert_equal "$stderr" ""
}

@test "verify: one byte edited in the middle" {
	fill 10 "$KEY"
	sed -i '5s/"n":5/"n":6/' "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "auditlog: $LOG: line 5: record edited: its hash does not match its content"
}

@test "verify: a byte edit that breaks the JSON" {
	fill 10 "$KEY"
	sed -i '3s/"n":3/"n"!3/' "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 3: not a record (not a JSON object): edited or corrupted"
}

@test "verify: a line deleted" {
	fill 10 "$KEY"
	sed -i '5d' "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: 1 record deleted before this line (expected seq 5, found seq 6)"
	fill 10 "$KEY" 2>/dev/null || true
}

@test "verify: the first line deleted" {
	fill 4 "$KEY"
	sed -i '1d' "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 1: 1 record deleted before this line (expected seq 1, found seq 2)"
}

@test "verify: two lines swapped" {
	fill 10 "$KEY"
	sed -i '5{h;d};6G' "$LOG"
	run jq -s -c 'map(.seq)' "$LOG"
	assert_output "[1,2,3,4,6,5,7,8,9,10]"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: records out of order: seq 6 comes before seq 5 (line 6)"
}

@test "verify: a forged line inserted by someone without the key" {
	fill 10 "$KEY"
	# The forger knows the format and BLAKE2b, not the key: a perfect
	# unkeyed copy of line 4 with seq 5, chained to line 4.
	python3 - "$LOG" <<'PY'
import hashlib, json, sys
path = sys.argv[1]
lines = open(path, "rb").read().split(b"\n")[:-1]
four = json.loads(lines[3])
forged = dict(four, seq=5, prev=four["hash"], event="nothing-to-see")
del forged["hash"]
canon = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
h = hashlib.blake2b(canon, digest_size=32).hexdigest()
lines.insert(4, canon[:-1] + b',"hash":"' + h.encode() + b'"}')
open(path, "wb").write(b"\n".join(lines) + b"\n")
PY
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 5: inserted line: not in the chain (line 6 continues from the record before it)"
}

@test "verify: the file cut mid-line" {
	fill 10 "$KEY"
	truncate -s -40 "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 10: cut mid-record: the log ends in a partial line and its anchor records seq 10"
	# Appending to a cut log is refused: it fails closed.
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=run
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log ends at seq 9 but its anchor records seq 10: run auditlog verify"
}

@test "verify: whole lines cut off the end" {
	fill 10 "$KEY"
	head -n 7 "$LOG" >"$LOG.tmp" && cat "$LOG.tmp" >"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 8: 3 records cut off the end: the log ends at seq 7, its anchor records seq 10"
	: >"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 1: 10 records cut off the end: the log ends at seq 0, its anchor records seq 10"
}

@test "verify: a deleted or edited anchor" {
	fill 3 "$KEY"
	cp "$LOG.anchor" "$BATS_TEST_TMPDIR/anchor"
	sed -i 's/seq=00000000000000000003/seq=00000000000000000002/' "$LOG.anchor"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG.anchor: edited, or written under another MAC key (its MAC does not match)"
	rm "$LOG.anchor"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG.anchor: missing: cannot tell whether records were cut off the end"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its anchor is missing: run auditlog verify"
	# An anchor put back from an older state.
	auditlog append -f "$LOG.2" -k "$KEY" event=x
	auditlog append -f "$LOG.2" -k "$KEY" event=x
	auditlog append -f "$LOG.2" -k "$KEY" event=x
	cp "$LOG.2.anchor" "$LOG.anchor"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last records are not the ones its anchor records: run auditlog verify"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 3: the last record is not the one its anchor records"
}

@test "a torn last line is reported as torn, then cut by the next append, which keeps its length" {
	fill 3 "$KEY"
	printf '{"event":"run","host":"h' >>"$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 4: torn last line: an append was interrupted (the records before it are sound)"
	cp "$LOG" "$BATS_TEST_TMPDIR/torn"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=after
	assert_success
	run jq -r '[.seq, .event, .torn_bytes] | map(tostring) | join(" ")' "$LOG"
	assert_line --index 3 "4 after 24"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 4 records, seq 1 to 4"
	assert_equal "$stderr" ""
	# A log written by an older auditlog, which stepped over the torn
	# line instead of cutting it, still verifies.
	{ cat "$BATS_TEST_TMPDIR/torn"; echo; sed -n 4p "$LOG"; } >"$BATS_TEST_TMPDIR/old"
	cp "$LOG.anchor" "$BATS_TEST_TMPDIR/old.anchor"
	run --separate-stderr auditlog verify -f "$BATS_TEST_TMPDIR/old" -k "$KEY"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/old: sound: 4 records, seq 1 to 4"
	assert_equal "$stderr" "auditlog: $BATS_TEST_TMPDIR/old: line 4: a torn line from an interrupted append, stepped over by line 5"
}

@test "a forged torn_bytes without the key does not hide a line" {
	fill 4 "$KEY"
	sed -i '3s/"n":3/"n":33/' "$LOG"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 3: record edited: its hash does not match its content"
}

@test "the MAC key: wrong key, no key, another key, a public key file" {
	fill 3 "$KEY"
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/other.key"
	chmod 600 "$BATS_TEST_TMPDIR/other.key"
	local id
	id="$(jq -r .mac_key <<<"$(head -n 1 "$LOG")")"
	run --separate-stderr auditlog verify -f "$LOG" -k "$BATS_TEST_TMPDIR/other.key"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 1: record keyed under another MAC key (id $id)"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_failure 100
	assert_equal "$stderr" "auditlog: $LOG: line 1: keyed (MAC key id $id): give its key with -k"
	run --separate-stderr auditlog append -f "$LOG" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log is keyed (MAC key id $id): give its key with -k"
	chmod 644 "$KEY"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: MAC key $KEY: not a private file of ours (chmod 600)"
	head -c 16 /dev/urandom >"$BATS_TEST_TMPDIR/short.key"
	chmod 600 "$BATS_TEST_TMPDIR/short.key"
	run --separate-stderr auditlog verify -f "$LOG" -k "$BATS_TEST_TMPDIR/short.key"
	assert_failure 111
	assert_equal "$stderr" "auditlog: MAC key $BATS_TEST_TMPDIR/short.key: not 32 bytes"
	run --separate-stderr auditlog verify -f "$LOG" -k "$BATS_TEST_TMPDIR/missing.key"
	assert_failure 111
	assert_equal "$stderr" "auditlog: MAC key $BATS_TEST_TMPDIR/missing.key: No such file or directory"
	run wc -l <"$LOG"
	assert_output 3
}

@test "the key never shows: not in the log, not in any message" {
	local keyhex
	keyhex="$(od -An -tx1 "$KEY" | tr -d ' \n')"
	fill 2 "$KEY"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	refute_secret "$keyhex"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_failure 100
	refute_secret "$keyhex"
	grep -qF "$keyhex" "$LOG" "$LOG.anchor" && fail "key in the log" || true
}

@test "SECENV_HOME/keys/audit.key is used when present" {
	mkdir -p "$SECENV_HOME/keys"
	cp "$KEY" "$SECENV_HOME/keys/audit.key"
	run --separate-stderr auditlog append event=run
	assert_success
	run python3 "$CHAIN" "$SECENV_HOME/audit.log" "$KEY"
	assert_output "ok 1"
	run --separate-stderr auditlog verify
	assert_success
}

# 50 appenders at once, SECENV_AUDIT_STORM_RECORDS each (10 here, 500
# records: every append is a process start, the suite's largest cost; 200
# gives the 10,000 records of the full storm). Appends without the lock,
# or with the log's tail read before it is taken, fail it at 1 and 5
# records each, every time.
@test "50 processes appending at once: every line valid, seq strictly increasing" {
	local n="${SECENV_AUDIT_STORM_RECORDS:-10}" total
	total=$((50 * n))
	appenders 50 "$n" --no-fsync -f "$LOG" -k "$KEY" event=load
	wait
	[[ ! -s "$BATS_TEST_TMPDIR/failures" ]] || fail "$(cat "$BATS_TEST_TMPDIR/failures")"
	run wc -l <"$LOG"
	assert_output "$total"
	run jq -c . "$LOG"
	assert_success
	run jq -s --argjson total "$total" '[.[].seq] == [range(1; $total + 1)]' "$LOG"
	assert_output true
	run jq -s --argjson n "$n" '[group_by(.proc)[] | map(.i)] | map(. == [range(1; $n + 1)]) | all and length == 50' "$LOG"
	assert_output true
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: $total records, seq 1 to $total"
	run python3 "$CHAIN" "$LOG" "$KEY"
	assert_output "ok $total"
}

@test "10 processes x 20 records with fsync at once" {
	appenders 10 20 -f "$LOG" event=load
	wait
	[[ ! -s "$BATS_TEST_TMPDIR/failures" ]] || fail "$(cat "$BATS_TEST_TMPDIR/failures")"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	assert_output "$LOG: sound: 200 records, seq 1 to 200"
}

@test "appends and rotations at once: one chain, nothing lost" {
	local i
	appenders 8 25 --no-fsync -f "$LOG" -k "$KEY" event=load
	# the rotations start once the appends have: on a loaded machine
	# all four could otherwise come first and rotate nothing
	for ((i = 0; i < 200 && ! -s $LOG; i++)); do sleep 0.05; done
	for ((i = 1; i <= 4; i++)); do
		auditlog rotate --no-fsync -f "$LOG" -k "$KEY" >>"$BATS_TEST_TMPDIR/archives" ||
			echo "rotate failed" >>"$BATS_TEST_TMPDIR/failures"
	done
	wait
	[[ ! -s "$BATS_TEST_TMPDIR/failures" ]] || fail "$(cat "$BATS_TEST_TMPDIR/failures")"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	# 200 appends, and two records for each rotation that had records.
	local rotations
	rotations=$(wc -l <"$BATS_TEST_TMPDIR/archives")
	assert_output "$LOG: sound: $((200 + 2 * rotations)) records, seq 1 to $((200 + 2 * rotations)) across rotated files"
	local archives
	mapfile -t archives <"$BATS_TEST_TMPDIR/archives"
	run jq -s '[.[] | select(.event == "load")] | length' "$LOG" "${archives[@]}"
	assert_output 200
}

@test "a key cannot start in the middle of an unkeyed log" {
	fill 2
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log has no MAC: a key cannot start in the middle of a log (move it and its anchor away to start anew)"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 1: record has no MAC (written without the key)"
}

@test "a full disk: append fails with 111 and the log stays valid" {
	DISK="$BATS_TEST_TMPDIR/disk"
	mkdir -p "$DISK"
	mount -t tmpfs -o size=64k,mode=0700 tmpfs "$DISK" 2>/dev/null ||
		skip "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"
	local log="$DISK/audit.log" pad n=1
	pad="$(head -c 1500 /dev/zero | tr '\0' 'p')"
	run --separate-stderr auditlog append -f "$log" event=first
	assert_success
	dd if=/dev/zero of="$DISK/fill" bs=4096 2>/dev/null || true
	while ((n < 100)); do
		run --separate-stderr auditlog append -f "$log" event=fill "pad=$pad"
		((status == 0)) || break
		n=$((n + 1))
	done
	assert_failure 111
	[[ "$stderr" == "auditlog: $log: write: No space left on device" ||
		"$stderr" == "auditlog: $log: short write: record not kept" ]] ||
		fail "unexpected message: $stderr"
	run --separate-stderr auditlog verify -f "$log"
	assert_success
	assert_output "$log: sound: $n records, seq 1 to $n"
	run python3 "$CHAIN" "$log"
	assert_output "ok $n"
	rm "$DISK/fill"
	run --separate-stderr auditlog append -f "$log" event=after
	assert_success
	run --separate-stderr auditlog verify -f "$log"
	assert_output "$log: sound: $((n + 1)) records, seq 1 to $((n + 1))"
}

@test "rotate: the chain carries into the new file and verify follows it" {
	fill 3 "$KEY"
	run --separate-stderr auditlog rotate -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG.4"
	fill 2 "$KEY"
	run jq -c '[.seq, .event, .archive]' "$LOG.4"
	assert_line --index 3 '[4,"rotate","audit.log.4"]'
	run jq -c '[.seq, .event, .previous_file // .n]' "$LOG"
	assert_output '[5,"rotated","audit.log.4"]
[6,"run",1]
[7,"run",2]'
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 7 records, seq 1 to 7 across rotated files"
	run --separate-stderr auditlog verify -f "$LOG.4" -k "$KEY"
	assert_success
	assert_output "$LOG.4: sound: 4 records, seq 1 to 4, closed by rotation"
	run --separate-stderr auditlog rotate -f "$LOG" -k "$KEY"
	assert_output "$LOG.8"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_output "$LOG: sound: 9 records, seq 1 to 9 across rotated files"
}

@test "rotate: a missing or cut archive is reported" {
	fill 3 "$KEY"
	auditlog rotate -f "$LOG" -k "$KEY" >/dev/null
	fill 1 "$KEY"
	cp "$LOG.4" "$BATS_TEST_TMPDIR/archive"
	head -n 3 "$BATS_TEST_TMPDIR/archive" >"$LOG.4"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG.4: line 4: the file ends at seq 3 without its rotation record: records cut off its end"
	rm "$LOG.4"
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_failure 1
	assert_equal "$stderr" "auditlog: $LOG: line 1: continues audit.log.4, which is missing"
}

@test "rotate: an empty log has nothing to rotate; an interrupted rotation is finished" {
	run --separate-stderr auditlog rotate -f "$LOG"
	assert_success
	assert_output ""
	assert_equal "$stderr" "auditlog: $LOG: no records to rotate"
	fill 2
	auditlog rotate -f "$LOG" >/dev/null
	# As if the rotation stopped after archiving: no new log, and the
	# anchor (unkeyed: its MAC is a plain BLAKE2b) on the closing record.
	rm "$LOG"
	python3 - "$LOG.3" "$LOG.anchor" <<'PY'
import hashlib, json, sys
last = json.loads(open(sys.argv[1], "rb").read().split(b"\n")[-2])
line = "secenv-audit-anchor 1 seq=%020d hash=%s" % (last["seq"], last["hash"])
mac = hashlib.blake2b(line.encode(), digest_size=32).hexdigest()
open(sys.argv[2], "w").write("%s mac=%s\n" % (line, mac))
PY
	run --separate-stderr auditlog append -f "$LOG" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: the log is empty but its anchor records seq 3: records were cut, or a rotation was interrupted (run auditlog rotate to finish it)"
	run --separate-stderr auditlog rotate -f "$LOG"
	assert_success
	assert_output "$LOG.3"
	run --separate-stderr auditlog append -f "$LOG" event=x
	assert_success
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	assert_output "$LOG: sound: 5 records, seq 1 to 5 across rotated files"
}

@test "rotate: a rotation that stopped before its rename is finished" {
	fill 2
	cp "$LOG" "$BATS_TEST_TMPDIR/before"
	auditlog rotate -f "$LOG" >/dev/null
	# Put back the state between the closing record and the rename.
	mv "$LOG.3" "$LOG"
	python3 - "$LOG" "$LOG.anchor" <<'PY'
import hashlib, json, sys
last = json.loads(open(sys.argv[1], "rb").read().split(b"\n")[-2])
line = "secenv-audit-anchor 1 seq=%020d hash=%s" % (last["seq"], last["hash"])
mac = hashlib.blake2b(line.encode(), digest_size=32).hexdigest()
open(sys.argv[2], "w").write("%s mac=%s\n" % (line, mac))
PY
	run --separate-stderr auditlog append -f "$LOG" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: a rotation was interrupted: run auditlog rotate to finish it"
	run --separate-stderr auditlog rotate -f "$LOG"
	assert_success
	assert_output "$LOG.3"
	run --separate-stderr auditlog verify -f "$LOG"
	assert_success
	assert_output "$LOG: sound: 4 records, seq 1 to 4 across rotated files"
}

@test "append refuses to extend a log whose last record was edited" {
	fill 3 "$KEY"
	sed -i '3s/"n":3/"n":4/' "$LOG"
	run --separate-stderr auditlog append -f "$LOG" -k "$KEY" event=x
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last record does not match its hash: run auditlog verify"
	run wc -l <"$LOG"
	assert_output 3
}

# append_twice COMMAND: two appends to $LOG in one process (event=first,
# event=second), as secenv-run's keeper makes them, COMMAND run between.
append_twice() {
	local tool="$SECENV_BIN/../test/append_twice"
	[[ -x $tool ]] || tool="$SECENV_SRC/build/test/append_twice"
	run --separate-stderr "$tool" "$LOG" "$KEY" "$1"
}

@test "a second append in one process chains after another writer's, a rotation, or its own alone" {
	fill 1 "$KEY"
	append_twice "auditlog append -f '$LOG' -k '$KEY' event=between"
	assert_success
	append_twice true
	assert_success
	run jq -c '[.seq, .event]' "$LOG"
	assert_output '[1,"run"]
[2,"first"]
[3,"between"]
[4,"second"]
[5,"first"]
[6,"second"]'
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 6 records, seq 1 to 6"
	append_twice "auditlog rotate -f '$LOG' -k '$KEY' >/dev/null"
	assert_success
	run jq -c '[.seq, .event]' "$LOG"
	assert_output '[9,"rotated"]
[10,"second"]'
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
	assert_output "$LOG: sound: 10 records, seq 1 to 10 across rotated files"
}

@test "an append after a look ahead at the tail chains after another writer's, a rotation, or nothing, and refuses an edit" {
	local tool="$SECENV_BIN/../test/append_twice"
	[[ -x $tool ]] || tool="$SECENV_SRC/build/test/append_twice"
	fill 1 "$KEY"
	run --separate-stderr "$tool" --preload "$LOG" "$KEY" "auditlog append -f '$LOG' -k '$KEY' event=between"
	assert_success
	run --separate-stderr "$tool" --preload "$LOG" "$KEY" true
	assert_success
	run jq -c '[.seq, .event]' "$LOG"
	assert_output '[1,"run"]
[2,"between"]
[3,"first"]
[4,"second"]
[5,"first"]
[6,"second"]'
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_output "$LOG: sound: 6 records, seq 1 to 6"
	run --separate-stderr "$tool" --preload "$LOG" "$KEY" "auditlog rotate -f '$LOG' -k '$KEY' >/dev/null"
	assert_success
	run jq -c '[.seq, .event]' "$LOG"
	assert_output '[8,"rotated"]
[9,"first"]
[10,"second"]'
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_output "$LOG: sound: 10 records, seq 1 to 10 across rotated files"
	# the same size, one letter of the last record's event changed
	run --separate-stderr "$tool" --preload "$LOG" "$KEY" "python3 -c 'import sys
with open(sys.argv[1], \"r+b\") as f:
    t = f.read(); f.seek(t.rindex(b\"\\\"second\\\"\") + 1); f.write(b\"S\")' '$LOG'"
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last record does not match its hash: run auditlog verify"
	# a tail the look cannot take: it says nothing, the append says why
	run --separate-stderr "$tool" --preload "$LOG" "$KEY" true
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last record does not match its hash: run auditlog verify"
}

@test "an append after a look ahead at the tail reads back only the last record" {
	command -v strace >/dev/null || skip "strace is not installed (make deps)"
	fill 30 "$KEY" # a log longer than the tail's first read (8 KiB)
	local tool="$SECENV_BIN/../test/append_twice"
	[[ -x $tool ]] || tool="$SECENV_SRC/build/test/append_twice"
	local last
	last=$(tail -n 1 "$LOG" | wc -c)
	strace -qq -o "$BATS_TEST_TMPDIR/trace" -P "$LOG" \
		-e trace=pread64 "$tool" --preload "$LOG" "$KEY" true
	# the look reads the tail's last 8 KiB and its last record; the
	# first append that record again, the second its own
	run grep -oE '^pread64\(.*\) += [0-9]+$' "$BATS_TEST_TMPDIR/trace"
	assert_equal "${#lines[@]}" 4
	[[ ${lines[0]} =~ \ 8192$ && ${lines[1]} =~ \ $last$ && ${lines[2]} =~ \ $last$ ]]
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
}

@test "a second append in one process reads the MAC key and the log's tail once" {
	command -v strace >/dev/null || skip "strace is not installed (make deps)"
	fill 30 "$KEY" # a log longer than the tail's first read (8 KiB)
	append_twice true
	assert_success
	local tool="$SECENV_BIN/../test/append_twice"
	[[ -x $tool ]] || tool="$SECENV_SRC/build/test/append_twice"
	strace -qq -o "$BATS_TEST_TMPDIR/trace" -P "$KEY" -P "$LOG" \
		-e trace=openat,pread64 "$tool" "$LOG" "$KEY" true
	run grep -c "^openat(AT_FDCWD, \"$KEY\"" "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	# the first reads the tail's last 8 KiB; the second its own record
	run grep -oE '^pread64\(.*\) += [0-9]+$' "$BATS_TEST_TMPDIR/trace"
	assert_equal "${#lines[@]}" 2
	[[ ${lines[0]} =~ \ 8192$ ]]
	local first
	first=$(grep '"event":"first"' "$LOG" | tail -n 1 | wc -c)
	[[ ${lines[1]} =~ \ $first$ ]]
	run --separate-stderr auditlog verify -f "$LOG" -k "$KEY"
	assert_success
}

@test "a second append in one process refuses what the first left edited: its record in place, its anchor put back, the key replaced" {
	fill 1 "$KEY"
	# the same file, the same size: one letter of the first's event
	append_twice "python3 -c 'import sys
with open(sys.argv[1], \"r+b\") as f:
    t = f.read(); f.seek(t.rindex(b\"\\\"first\\\"\") + 1); f.write(b\"F\")' '$LOG'"
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last record does not match its hash: run auditlog verify"
	rm "$LOG" "$LOG.anchor"
	fill 1 "$KEY"
	cp "$LOG.anchor" "$BATS_TEST_TMPDIR/anchor1"
	append_twice "cp '$BATS_TEST_TMPDIR/anchor1' '$LOG.anchor'"
	assert_failure 111
	assert_equal "$stderr" "auditlog: $LOG: its last records are not the ones its anchor records: run auditlog verify"
	rm "$LOG" "$LOG.anchor"
	fill 1 "$KEY"
	append_twice "head -c 32 /dev/urandom >'$KEY.new' && chmod 600 '$KEY.new' && mv '$KEY.new' '$KEY'"
	assert_failure 111
	[[ $stderr == "auditlog: $LOG: the log is keyed under another MAC key (id "*")" ]]
	run jq -r .event "$LOG"
	assert_output 'run
first'
}

@test "the jq examples of the man page" {
	auditlog append -f "$LOG" event=blocked project=p1 command=printenv verdict=denied
	auditlog append -f "$LOG" event=blocked project=p2 command=env verdict=denied
	auditlog append -f "$LOG" --json event=run project=p1 command=make <<<'{"masks":{"A":2,"B":5}}'
	auditlog append -f "$LOG" --json event=run project=p1 command=make <<<'{"masks":{"A":4}}'
	auditlog append -f "$LOG" event=blocked project=p1 command='cat .env' verdict=denied
	run jq -r 'select(.event == "blocked" and .project == "p1")
    | "\(.command)"' "$LOG"
	assert_output "printenv
cat .env"
	run jq -s -r '[.[] | .masks // {} | to_entries[]]
    | group_by(.key) | map({name: .[0].key, n: (map(.value) | add)})
    | sort_by(-.n)[] | "\(.n)\t\(.name)"' "$LOG"
	assert_output "$(printf '6\tA\n5\tB')"
}

@test "--syslog still writes the record" {
	run --separate-stderr auditlog append --syslog -f "$LOG" event=run
	assert_success
	run --separate-stderr auditlog verify -f "$LOG"
	assert_output "$LOG: sound: 1 records, seq 1 to 1"
}
