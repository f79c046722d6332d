#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# envinject: blob checks, the child's environment, exec semantics, -i, --only, -u,
# --no-blob.

load helpers/common
bats_require_minimum_version 1.5.0

API_KEY_VALUE='sk_test_4eC39HqLyjWDarjtT1zdp7dcEnvInject'
DB_URL_VALUE='postgresql://app:pa ss"w$rd`x\@db.example.com/mydb'
MULTI_VALUE=$'first line of the value\nsecond line, ünïcödé ✓'
CREDENTIAL_VALUE='vault-credential-7Qx9ZpLm2Rt5'

# The store of p1's three values, made once, and its blob, fetched once
# (its lifetime, 15 minutes, is the file's bound): each test starts from
# a copy of the store, with the blob read by all. A test that fetches
# anew writes its own (own_blob).
setup_file() {
	(
		PATH="$SECENV_BIN:$PATH"
		export SECENV_HOME="$BATS_FILE_TMPDIR/home" XDG_RUNTIME_DIR="$BATS_FILE_TMPDIR/run"
		umask 077
		mkdir -p "$XDG_RUNTIME_DIR"
		vaultfetch init >/dev/null
		put p1 API_KEY "$API_KEY_VALUE"
		put p1 DB_URL "$DB_URL_VALUE"
		put p1 MULTI "$MULTI_VALUE"
		vaultfetch fetch p1 >"$BATS_FILE_TMPDIR/p1.blob"
	)
}

setup() {
	secenv_test_env
	cp -a "$BATS_FILE_TMPDIR/home" "$SECENV_HOME"
	BLOB="$BATS_FILE_TMPDIR/p1.blob"
	MARKER="$BATS_TEST_TMPDIR/executed"
	# The system interpreter: a version-manager shim would add its own
	# variables to the environment the tests inspect.
	PYTHON=/usr/bin/python3
	[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	if [ -n "${THROWAWAY_USER:-}" ]; then
		local try
		for ((try = 0; try < 50; try++)); do
			userdel "$THROWAWAY_USER" 2>/dev/null && break
			id "$THROWAWAY_USER" >/dev/null 2>&1 || break
			sleep 0.2
		done
	fi
}

# put PROJECT NAME VALUE: the value goes through stdin, never argv.
put() {
	printf %s "$3" | vaultfetch put "$1" "$2"
}

# own_blob: BLOB becomes this test's own, fetched now from its store
# (the file's blob is every test's: none writes it).
own_blob() {
	BLOB="$BATS_TEST_TMPDIR/p1.blob"
	vaultfetch fetch p1 >"$BLOB"
}

# make_user: a throwaway user, removed in teardown. useradd refuses
# while another process holds the lock on /etc/passwd: try again.
make_user() {
	local try
	THROWAWAY_USER="sei$$_${BATS_TEST_NUMBER}"
	for ((try = 0; try < 50; try++)); do
		useradd --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin --user-group "$THROWAWAY_USER" && return 0
		sleep 0.2
	done
	fail "cannot create user $THROWAWAY_USER"
}

sha() {
	printf %s "$1" | sha256sum | cut -d' ' -f1
}

# refute_values: no secret value in $output or $stderr.
refute_values() {
	refute_secret "$API_KEY_VALUE"
	refute_secret "$DB_URL_VALUE"
	refute_secret "$MULTI_VALUE"
	refute_secret "first line of the value"
}

@test "-h prints usage on stdout and exits 0" {
	run --separate-stderr envinject -h
	assert_success
	assert_output "usage: envinject [-i] [-b blob|-] [-p project] [--only name,...] [-u user] [--] command [arg ...]
       envinject --no-blob [-i] [-u user] [--] command [arg ...]"
	[ -z "$stderr" ]
}

@test "no command is a usage error" {
	run --separate-stderr envinject -b "$BLOB"
	assert_failure 100
	[[ "$stderr" == "usage: envinject "* ]]
}

@test "an unknown option is a usage error and nothing runs" {
	run --separate-stderr envinject -x -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	[ ! -e "$MARKER" ]
}

@test "a bad project id is refused with 100, naming it" {
	run --separate-stderr envinject -p ../x -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	[[ "$stderr" == *"../x"* ]]
	[ ! -e "$MARKER" ]
}

@test "the child receives every current value" {
	run --separate-stderr envinject -b "$BLOB" -- sh -c \
		'for n in API_KEY DB_URL MULTI; do eval "printf %s \"\$$n\"" | sha256sum; done'
	assert_success
	assert_output "$(sha "$API_KEY_VALUE")  -
$(sha "$DB_URL_VALUE")  -
$(sha "$MULTI_VALUE")  -"
	refute_values
}

@test "a Python program reads the exact values with os.getenv" {
	run --separate-stderr envinject -b "$BLOB" -- "$PYTHON" \
		"$FIXTURES/envinject/getenv_sha.py" API_KEY DB_URL MULTI NOT_THERE
	assert_success
	assert_output "API_KEY $(sha "$API_KEY_VALUE")
DB_URL $(sha "$DB_URL_VALUE")
MULTI $(sha "$MULTI_VALUE")
NOT_THERE unset"
	refute_values
}

@test "a Node program reads the exact values from process.env" {
	command -v node >/dev/null || skip "node is not installed"
	run --separate-stderr envinject -b "$BLOB" -- node \
		"$FIXTURES/envinject/env_sha.js" API_KEY DB_URL MULTI NOT_THERE
	assert_success
	assert_output "API_KEY $(sha "$API_KEY_VALUE")
DB_URL $(sha "$DB_URL_VALUE")
MULTI $(sha "$MULTI_VALUE")
NOT_THERE unset"
	refute_values
}

@test "the blob can come from stdin and from a descriptor, which the child does not inherit" {
	run --separate-stderr envinject -b - -- sh -c 'printf %s "$API_KEY" | sha256sum' <"$BLOB"
	assert_success
	assert_output "$(sha "$API_KEY_VALUE")  -"
	run --separate-stderr envinject -- sh -c 'printf %s "$API_KEY" | sha256sum' <"$BLOB"
	assert_success
	assert_output "$(sha "$API_KEY_VALUE")  -"
	run --separate-stderr envinject -b fd:7 -- sh -c \
		'printf %s "$API_KEY" | sha256sum; [ -e /proc/self/fd/7 ] && echo fd 7 open || echo fd 7 closed' 7<"$BLOB"
	assert_success
	assert_output "$(sha "$API_KEY_VALUE")  -
fd 7 closed"
}

@test "a value replaces an inherited variable of the same name" {
	run --separate-stderr env API_KEY=inherited-value envinject -b "$BLOB" -- \
		"$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	[ "$(grep -c '^API_KEY$' <<<"$output")" = 1 ]
	run --separate-stderr env API_KEY=inherited-value envinject -b "$BLOB" -- \
		sh -c 'printf %s "$API_KEY" | sha256sum; grep -c inherited-value /proc/self/environ; true'
	assert_success
	assert_output "$(sha "$API_KEY_VALUE")  -
0"
}

@test "a rotated secret's previous value is never injected" {
	put p1 API_KEY 'sk_test_rotated_NewValue_88f3d1'
	own_blob
	run --separate-stderr envinject -b "$BLOB" -- sh -c \
		'printf %s "$API_KEY" | sha256sum; grep -c -F "$1" /proc/self/environ; true' sh "$API_KEY_VALUE"
	assert_success
	assert_output "$(sha 'sk_test_rotated_NewValue_88f3d1')  -
0"
}

# refused_each PREFIX COUNT WHAT: `envinject -b PREFIX.I -- touch $MARKER`
# for I from 0 to COUNT-1 exits 111, each; a list of the others (WHAT I:
# status S) fails the test. Stderr goes to $BATS_TEST_TMPDIR/errors. The
# loop runs in a small shell: a process started from the test's own shell
# costs about three times as much.
refused_each() {
	# shellcheck disable=SC2016 # expanded by sh
	sh -c 'i=0
		while [ "$i" -lt "$2" ]; do
			rc=0
			envinject -b "$1.$i" -- touch "$4" >/dev/null 2>>"$5" || rc=$?
			[ "$rc" -eq 111 ] || echo "$3 $i: status $rc"
			i=$((i + 1))
		done' refused_each "$1" "$2" "$3" "$MARKER" "$BATS_TEST_TMPDIR/errors" \
		>"$BATS_TEST_TMPDIR/not-refused"
	[[ ! -s "$BATS_TEST_TMPDIR/not-refused" ]] || fail "$(cat "$BATS_TEST_TMPDIR/not-refused")"
}

@test "each byte of the blob flipped in turn is refused with 111 and nothing runs" {
	local size
	size=$(stat -c %s "$BLOB")
	[ "$size" -gt 100 ]
	"$PYTHON" - "$BLOB" "$BATS_TEST_TMPDIR/flip" <<-'EOF'
		import sys
		blob = open(sys.argv[1], "rb").read()
		for i in range(len(blob)):
		    flipped = bytearray(blob)
		    flipped[i] ^= 0x01
		    open(f"{sys.argv[2]}.{i}", "wb").write(flipped)
	EOF
	refused_each "$BATS_TEST_TMPDIR/flip" "$size" byte
	[ ! -e "$MARKER" ]
	[ "$(grep -c '^envinject: blob ' "$BATS_TEST_TMPDIR/errors")" -eq "$size" ]
	run cat "$BATS_TEST_TMPDIR/errors"
	refute_values
}

@test "every truncation of the blob is refused with 111 and nothing runs" {
	local size
	size=$(stat -c %s "$BLOB")
	"$PYTHON" - "$BLOB" "$BATS_TEST_TMPDIR/short" <<-'EOF'
		import sys
		blob = open(sys.argv[1], "rb").read()
		for n in range(len(blob)):
		    open(f"{sys.argv[2]}.{n}", "wb").write(blob[:n])
	EOF
	refused_each "$BATS_TEST_TMPDIR/short" "$size" length
	[ ! -e "$MARKER" ]
	run cat "$BATS_TEST_TMPDIR/errors"
	refute_values
}

@test "a blob sealed for another worker key is refused with 111" {
	SECENV_HOME="$BATS_TEST_TMPDIR/other" vaultfetch init >/dev/null
	SECENV_HOME="$BATS_TEST_TMPDIR/other" run --separate-stderr \
		envinject -b "$BLOB" -- touch "$MARKER"
	assert_failure 111
	[[ "$stderr" == "envinject: blob $BLOB: "* ]]
	[ ! -e "$MARKER" ]
	refute_values
}

@test "an expired blob is refused with 111" {
	vaultfetch fetch p1 --ttl 1 >"$BATS_TEST_TMPDIR/short-lived"
	sleep 2.1
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/short-lived" -- touch "$MARKER"
	assert_failure 111
	[[ "$stderr" == *expired* ]]
	[ ! -e "$MARKER" ]
	refute_values
}

@test "a missing blob, or a worker key open to others, is refused with 111" {
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/nothing" -- touch "$MARKER"
	assert_failure 111
	assert_equal "$stderr" "envinject: blob $BATS_TEST_TMPDIR/nothing: No such file or directory"
	chmod 0644 "$SECENV_HOME/keys/worker.key"
	run --separate-stderr envinject -b "$BLOB" -- touch "$MARKER"
	assert_failure 111
	[[ "$stderr" == "envinject: worker key in $SECENV_HOME/keys: "* ]]
	[ ! -e "$MARKER" ]
}

@test "a blob of another project is refused with 111 under -p" {
	run --separate-stderr envinject -p p2 -b "$BLOB" -- touch "$MARKER"
	assert_failure 111
	[[ "$stderr" == "envinject: blob $BLOB: "* ]]
	[ ! -e "$MARKER" ]
	run --separate-stderr envinject -p p1 -b "$BLOB" -- true
	assert_success
}

@test "a blob of a revoked project is refused with 111, and stays dead after unrevoke" {
	vaultfetch revoke p1
	run --separate-stderr envinject -b "$BLOB" -- touch "$MARKER"
	assert_failure 111
	[[ "$stderr" == *revoked* ]]
	[ ! -e "$MARKER" ]
	vaultfetch unrevoke p1
	run --separate-stderr envinject -b "$BLOB" -- touch "$MARKER"
	assert_failure 111
	[ ! -e "$MARKER" ]
	refute_values
}

@test "environment over the kernel's exec limit is refused before exec, naming the variable" {
	local big_a big_b
	big_a=$(head -c 65536 /dev/zero | tr '\0' A)
	big_b=$(head -c 65000 /dev/zero | tr '\0' B)
	put big BIG_A "$big_a"
	put big BIG_B "$big_b"
	vaultfetch fetch big >"$BATS_TEST_TMPDIR/big.blob"
	# A 256 KiB stack leaves exec its minimum, 128 KiB for all strings.
	run --separate-stderr bash -c 'ulimit -s 256 && exec envinject -b "$1" -- touch "$2"' \
		sh "$BATS_TEST_TMPDIR/big.blob" "$MARKER"
	assert_failure 126
	[[ "$stderr" == "envinject: environment and arguments need "*"largest variable: BIG_A (65542 bytes)" ]]
	[ ! -e "$MARKER" ]
	refute_secret "$big_b"
	refute_secret AAAAAAAAAAAAAAAAAAAAAAAAAAAA
	# With the usual stack the same values fit.
	run --separate-stderr envinject -b "$BATS_TEST_TMPDIR/big.blob" -- sh -c \
		'printf %s "$BIG_A" | sha256sum; printf %s "$BIG_B" | sha256sum'
	assert_success
	assert_output "$(sha "$big_a")  -
$(sha "$big_b")  -"
}

@test "the exit status of the command passes through" {
	run --separate-stderr envinject -b "$BLOB" -- sh -c 'exit 7'
	assert_failure 7
}

@test "a command killed by SIGTERM shows as 143" {
	run --separate-stderr envinject -b "$BLOB" -- sh -c 'kill -TERM $$'
	assert_failure 143
}

@test "the command keeps envinject's pid" {
	envinject -b "$BLOB" -- sh -c 'echo $$ >"$1"' sh "$BATS_TEST_TMPDIR/pid" &
	local pid=$!
	wait "$pid"
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
}

@test "a command not found is 127, one not executable is 126" {
	run -127 --separate-stderr envinject -b "$BLOB" -- no-such-command-here
	assert_failure 127
	assert_equal "$stderr" "envinject: exec no-such-command-here: No such file or directory"
	printf '#!/bin/sh\ntouch "$1"\n' >"$BATS_TEST_TMPDIR/script"
	chmod 0644 "$BATS_TEST_TMPDIR/script"
	run --separate-stderr envinject -b "$BLOB" -- "$BATS_TEST_TMPDIR/script" "$MARKER"
	assert_failure 126
	assert_equal "$stderr" "envinject: exec $BATS_TEST_TMPDIR/script: Permission denied"
	[ ! -e "$MARKER" ]
}

@test "no vault credential reaches the child's /proc/self/environ" {
	run --separate-stderr env \
		AZURE_CLIENT_SECRET="$CREDENTIAL_VALUE-1" \
		AZURE_CLIENT_CERTIFICATE_PASSWORD="$CREDENTIAL_VALUE-2" \
		AZURE_CLIENT_CERTIFICATE_PATH=/keys/sp.pem \
		AZURE_USERNAME=owner@example.com AZURE_PASSWORD="$CREDENTIAL_VALUE-3" \
		AZURE_FEDERATED_TOKEN_FILE=/var/run/token IDENTITY_ENDPOINT=http://169.254.169.254/x \
		IDENTITY_HEADER="$CREDENTIAL_VALUE-4" MSI_SECRET="$CREDENTIAL_VALUE-5" \
		VAULT_TOKEN="$CREDENTIAL_VALUE-6" VAULT_ADDR=https://vault.example.com \
		VAULT_WRAPPING_TOKEN="$CREDENTIAL_VALUE-7" VAULT_SECRET_ID="$CREDENTIAL_VALUE-8" \
		BAO_TOKEN="$CREDENTIAL_VALUE-9" SECENV_BACKEND=file \
		AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY="$CREDENTIAL_VALUE-10" \
		AWS_SESSION_TOKEN="$CREDENTIAL_VALUE-11" GOOGLE_APPLICATION_CREDENTIALS=/keys/sa.json \
		OP_SERVICE_ACCOUNT_TOKEN="$CREDENTIAL_VALUE-12" OP_SESSION_team="$CREDENTIAL_VALUE-13" \
		DOPPLER_TOKEN="$CREDENTIAL_VALUE-14" \
		AZURE_TENANT_ID=tenant-1 AZURE_CLIENT_ID=client-1 AWS_REGION=eu-west-1 KEEP_ME=1 \
		envinject -b "$BLOB" -- "$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	refute_line --regexp '^(SECENV_|VAULT_|BAO_|AZURE_CLIENT_(SECRET|CERTIFICATE)|AZURE_(USERNAME|PASSWORD|FEDERATED)|IDENTITY_|MSI_|AWS_(ACCESS|SECRET|SESSION)|GOOGLE_APP|OP_|DOPPLER_)'
	assert_line AZURE_TENANT_ID
	assert_line AZURE_CLIENT_ID
	assert_line AWS_REGION
	assert_line KEEP_ME
	assert_line API_KEY
	# Nor under any name: the bytes themselves are absent.
	run --separate-stderr env VAULT_TOKEN="$CREDENTIAL_VALUE" SECENV_HOME="$SECENV_HOME" \
		envinject -b "$BLOB" -- grep -c -F "$CREDENTIAL_VALUE" /proc/self/environ
	assert_failure 1
	assert_output 0
}

@test "a secret of the blob is injected even under a credential's name" {
	put p1 AWS_SECRET_ACCESS_KEY 'project-owned-aws-key-9d8c7b6a'
	own_blob
	run --separate-stderr env AWS_SECRET_ACCESS_KEY="$CREDENTIAL_VALUE" \
		envinject -b "$BLOB" -- "$PYTHON" "$FIXTURES/envinject/getenv_sha.py" AWS_SECRET_ACCESS_KEY
	assert_success
	assert_output "AWS_SECRET_ACCESS_KEY $(sha 'project-owned-aws-key-9d8c7b6a')"
}

@test "the running command's cmdline never holds a value, its environ does" {
	local fifo="$BATS_TEST_TMPDIR/go" pid i
	mkfifo "$fifo"
	envinject -b "$BLOB" -- sh -c 'echo started >"$1.started"; read -r line <"$1"' sh "$fifo" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[ -e "$fifo.started" ] && break
		sleep 0.1
	done
	[ -e "$fifo.started" ]
	local cmdline environ_has=no
	cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
	# The control: the value is there to be found, in the environment.
	if grep -q -F "$API_KEY_VALUE" "/proc/$pid/environ"; then
		environ_has=yes
	fi
	echo done >"$fifo"
	wait "$pid"
	[ "$cmdline" = "sh -c echo started >\"\$1.started\"; read -r line <\"\$1\" sh $fifo " ]
	[[ "$cmdline" != *"$API_KEY_VALUE"* ]]
	[ "$environ_has" = yes ]
}

@test "-i starts from PATH, HOME, USER, LANG and TERM only" {
	run --separate-stderr env HOME=/home/h USER=u LANG=C.UTF-8 TERM=dumb KEEP_ME=1 \
		envinject -i -b "$BLOB" -- "$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	assert_output "API_KEY
DB_URL
HOME
LANG
MULTI
PATH
TERM
USER"
	run --separate-stderr env HOME=/home/h USER=u LANG=C.UTF-8 TERM=dumb \
		envinject -i -b "$BLOB" -- sh -c 'echo "$HOME $USER $LANG $TERM"'
	assert_output "/home/h u C.UTF-8 dumb"
}

@test "--only injects the named subset" {
	run --separate-stderr envinject --only API_KEY,MULTI -b "$BLOB" -- \
		"$PYTHON" "$FIXTURES/envinject/getenv_sha.py" API_KEY DB_URL MULTI
	assert_success
	assert_output "API_KEY $(sha "$API_KEY_VALUE")
DB_URL unset
MULTI $(sha "$MULTI_VALUE")"
	run --separate-stderr envinject --only DB_URL --only MULTI -b "$BLOB" -- \
		"$PYTHON" "$FIXTURES/envinject/getenv_sha.py" API_KEY DB_URL MULTI
	assert_output "API_KEY unset
DB_URL $(sha "$DB_URL_VALUE")
MULTI $(sha "$MULTI_VALUE")"
}

@test "--only with a name not in the blob is 100, naming it, and nothing runs" {
	run --separate-stderr envinject --only API_KEY,NOPE -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: --only NOPE: no such secret in the blob"
	[ ! -e "$MARKER" ]
}

@test "--only with a bad name or an empty one is 100" {
	run --separate-stderr envinject --only 1ABC -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	[[ "$stderr" == *1ABC* ]]
	run --separate-stderr envinject --only API_KEY,,MULTI -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: --only API_KEY,,MULTI: empty name"
	[ ! -e "$MARKER" ]
}

@test "options after the command name belong to the command" {
	run --separate-stderr envinject -b "$BLOB" printf '%s\n' -i --only X -u nobody -b y
	assert_success
	assert_output "-i
--only
X
-u
nobody
-b
y"
	run --separate-stderr envinject -b "$BLOB" -- sh -c 'echo "$@"' sh -h -p x
	assert_success
	assert_output "-h -p x"
}

@test "-u runs the command as the user, who cannot read the keys" {
	[ "$(id -u)" = 0 ] || skip "-u needs root to create a user and switch to it"
	command -v useradd >/dev/null || skip "useradd is not installed"
	make_user
	local uid gid
	uid=$(id -u "$THROWAWAY_USER")
	gid=$(id -g "$THROWAWAY_USER")
	cd /
	run --separate-stderr envinject -u "$THROWAWAY_USER" -b "$BLOB" -- sh -c '
		echo "$(id -u) $(id -g) $(id -G)"
		echo "$HOME $USER $LOGNAME"
		printf %s "$API_KEY" | sha256sum
		cat "$1/keys/worker.key" >/dev/null 2>&1 && echo key readable || echo key unreadable
		grep -c "^Cap[EP][a-z]*:[[:space:]]*0*$" /proc/self/status' sh "$SECENV_HOME"
	assert_success
	assert_output "$uid $gid $gid
/nonexistent $THROWAWAY_USER $THROWAWAY_USER
$(sha "$API_KEY_VALUE")  -
key unreadable
2"
	refute_values
}

@test "-u as a non-root user is refused with 111, an unknown user with 100" {
	[ "$(id -u)" = 0 ] || skip "-u needs root to create a user to run as"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	make_user
	cd /
	run --separate-stderr setpriv --reuid="$THROWAWAY_USER" --regid="$THROWAWAY_USER" \
		--clear-groups "$SECENV_BIN/envinject" -u root -b /dev/null -- touch "$MARKER"
	assert_failure 111
	assert_equal "$stderr" "envinject: -u root: only root can change user"
	run --separate-stderr envinject -u no-such-user-xyz -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: user no-such-user-xyz: no such user"
	[ ! -e "$MARKER" ]
}

@test "--no-blob passes the inherited environment minus credentials, and no secret" {
	run --separate-stderr env SECENV_X="$CREDENTIAL_VALUE-1" VAULT_TOKEN="$CREDENTIAL_VALUE-2" \
		AZURE_CLIENT_SECRET="$CREDENTIAL_VALUE-3" AZURE_TENANT_ID=tenant-1 KEEP_ME=1 \
		envinject --no-blob -- "$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	refute_line SECENV_X
	refute_line SECENV_HOME
	refute_line VAULT_TOKEN
	refute_line AZURE_CLIENT_SECRET
	refute_line API_KEY
	assert_line AZURE_TENANT_ID
	assert_line KEEP_ME
	[ -z "$stderr" ]
	# The same environment a run with the blob starts from, to the name.
	local without_blob="$output"
	run --separate-stderr env SECENV_X="$CREDENTIAL_VALUE-1" VAULT_TOKEN="$CREDENTIAL_VALUE-2" \
		AZURE_CLIENT_SECRET="$CREDENTIAL_VALUE-3" AZURE_TENANT_ID=tenant-1 KEEP_ME=1 \
		envinject -b "$BLOB" -- "$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	assert_equal "$without_blob" "$(grep -v -x -E 'API_KEY|DB_URL|MULTI' <<<"$output")"
	# Nor under any name: the bytes themselves are absent.
	run --separate-stderr env SECENV_X="$CREDENTIAL_VALUE" VAULT_TOKEN="$CREDENTIAL_VALUE" \
		AZURE_CLIENT_SECRET="$CREDENTIAL_VALUE" \
		envinject --no-blob -- grep -c -F "$CREDENTIAL_VALUE" /proc/self/environ
	assert_failure 1
	assert_output 0
}

@test "--no-blob -i starts from PATH, HOME, USER, LANG and TERM only" {
	run --separate-stderr env HOME=/home/h USER=u LANG=C.UTF-8 TERM=dumb KEEP_ME=1 \
		VAULT_TOKEN="$CREDENTIAL_VALUE" envinject --no-blob -i -- \
		"$PYTHON" "$FIXTURES/envinject/environ_names.py"
	assert_success
	assert_output "HOME
LANG
PATH
TERM
USER"
	run --separate-stderr env HOME=/home/h USER=u LANG=C.UTF-8 TERM=dumb \
		envinject -i --no-blob -- sh -c 'echo "$HOME $USER $LANG $TERM"'
	assert_success
	assert_output "/home/h u C.UTF-8 dumb"
}

@test "--no-blob reads neither stdin nor the worker key: both are left to the command" {
	run --separate-stderr bash -c 'echo hi | envinject --no-blob -- cat'
	assert_success
	assert_output hi
	[ -z "$stderr" ]
	run --separate-stderr envinject --no-blob -- sha256sum <"$BLOB"
	assert_success
	assert_output "$(sha256sum <"$BLOB")"
	# No key, no store: nothing under SECENV_HOME is opened.
	SECENV_HOME="$BATS_TEST_TMPDIR/nowhere" run --separate-stderr \
		envinject --no-blob -- sh -c 'echo ran'
	assert_success
	assert_output ran
	[ ! -e "$BATS_TEST_TMPDIR/nowhere" ]
}

@test "--no-blob: exit status and pid pass through, 127 for a command not found" {
	run --separate-stderr envinject --no-blob -- sh -c 'exit 7'
	assert_failure 7
	run --separate-stderr envinject --no-blob -- sh -c 'kill -TERM $$'
	assert_failure 143
	envinject --no-blob -- sh -c 'echo $$ >"$1"' sh "$BATS_TEST_TMPDIR/pid" &
	local pid=$!
	wait "$pid"
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	run -127 --separate-stderr envinject --no-blob -- no-such-command-here
	assert_failure 127
	assert_output ""
	assert_equal "$stderr" "envinject: exec no-such-command-here: No such file or directory"
}

@test "--no-blob with -b, -p or --only is 100, naming the conflict, and nothing runs" {
	run --separate-stderr envinject --no-blob -b "$BLOB" -- touch "$MARKER"
	assert_failure 100
	assert_output ""
	assert_equal "$stderr" "envinject: --no-blob cannot be used with -b"
	run --separate-stderr envinject -b - --no-blob -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: --no-blob cannot be used with -b"
	run --separate-stderr envinject --no-blob -p p1 -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: --no-blob cannot be used with -p"
	run --separate-stderr envinject --only API_KEY --no-blob -- touch "$MARKER"
	assert_failure 100
	assert_equal "$stderr" "envinject: --no-blob cannot be used with --only"
	run --separate-stderr envinject --no-blob
	assert_failure 100
	[[ "$stderr" == "usage: envinject "* ]]
	[ ! -e "$MARKER" ]
}

@test "--no-blob: options after the command name belong to the command" {
	run --separate-stderr envinject --no-blob printf '%s\n' --no-blob -b x -p y
	assert_success
	assert_output "--no-blob
-b
x
-p
y"
}

@test "--no-blob -u runs the command as the user, without credentials" {
	[ "$(id -u)" = 0 ] || skip "-u needs root to create a user and switch to it"
	command -v useradd >/dev/null || skip "useradd is not installed"
	make_user
	local uid gid
	uid=$(id -u "$THROWAWAY_USER")
	gid=$(id -g "$THROWAWAY_USER")
	cd /
	run --separate-stderr env VAULT_TOKEN="$CREDENTIAL_VALUE" \
		envinject --no-blob -u "$THROWAWAY_USER" -- sh -c '
		echo "$(id -u) $(id -g) $(id -G)"
		echo "$HOME $USER $LOGNAME"
		echo "${VAULT_TOKEN-unset} ${SECENV_HOME-unset}"
		cat "$1/keys/worker.key" >/dev/null 2>&1 && echo key readable || echo key unreadable
		grep -c "^Cap[EP][a-z]*:[[:space:]]*0*$" /proc/self/status' sh "$SECENV_HOME"
	assert_success
	assert_output "$uid $gid $gid
/nonexistent $THROWAWAY_USER $THROWAWAY_USER
unset unset
key unreadable
2"
}
