#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# vaultfetch: the verbs, the encrypted file store, import, cache, limits.

load helpers/common
bats_require_minimum_version 1.5.0

SECRET_A='sk_test_51HqLyjWDarjtT1zdp7dcVaultFetchA'
SECRET_B='postgresql://app:s3cr3t-Pa55w0rd@db.example.com/mydb'
SECRET_ROTATED='sk_test_rotated_value_QmX9Lr2ZpT7Kw4'

setup_file() {
	local src
	src="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
	if [ -x "${SECENV_BIN:-$src/bin}/../test/blobcheck" ]; then
		BLOBCHECK="${SECENV_BIN:-$src/bin}/../test/blobcheck"
	else
		BLOBCHECK="$src/build/test/blobcheck"
		[ -x "$BLOBCHECK" ] || make -s -C "$src" build/test/blobcheck >&2
	fi
	export BLOBCHECK
	# each test starts from a copy of one initialized home (secenv_test_env init)
	secenv_init_home
}

setup() {
	secenv_test_env init
	RUNDIR="$XDG_RUNTIME_DIR/secenv-$EUID"
	cd "$BATS_TEST_TMPDIR"
}

# put PROJECT NAME VALUE: the value goes through stdin, never argv.
put() {
	printf '%s\n' "$3" | vaultfetch put "$1" "$2"
}

sha() {
	printf %s "$1" | sha256sum | cut -d' ' -f1
}

# entries BLOBFILE: "NAME current|previous SHA256" lines, sorted.
entries() {
	"$BLOBCHECK" <"$1" | sort
}

now_ms() {
	date +%s%3N
}

cache_file() {
	local f
	for f in "$RUNDIR/cache/$1@"*; do
		[ -e "$f" ] && printf '%s\n' "$f"
	done
}

# age_cache PROJECT SECONDS: pretend the cached blob was fetched that long
# ago (and the project's last change came before that).
age_cache() {
	local f fetched
	f="$(cache_file "$1")"
	[ -n "$f" ] || fail "no cached blob for $1"
	fetched=$(($(now_ms) - $2 * 1000))
	{
		printf 'secenv-cache 1 %s\n' "$fetched"
		tail -n +2 "$f"
	} >"$f.new"
	mv "$f.new" "$f"
	if [ -e "$RUNDIR/cache/$1~changed" ]; then
		echo $((fetched - 1000)) >"$RUNDIR/cache/$1~changed"
	fi
}

# wait_stopped PID: until the process is stopped by SIGSTOP (its state,
# after its name in parentheses in /proc/PID/stat, read without a process).
wait_stopped() {
	local i state
	for ((i = 0; i < 6000; i++)); do
		read -r state 2>/dev/null <"/proc/$1/stat" || return 1
		state=${state##*) }
		[ "${state%% *}" = T ] && return 0
		pause 0.01
	done
	return 1
}

# --- usage ---------------------------------------------------------------

@test "-h prints usage on stdout and exits 0" {
	run -0 --separate-stderr vaultfetch -h
	assert_line --index 0 --partial 'usage: vaultfetch [-B BACKEND] init'
	assert_equal "$stderr" ''
}

@test "no verb, an unknown verb, extra arguments and a foreign option are usage errors" {
	run -100 --separate-stderr vaultfetch
	assert_equal "$output" ''
	run -100 --separate-stderr vaultfetch frobnicate p1
	assert_equal "${stderr_lines[0]}" "vaultfetch: unknown verb 'frobnicate'"
	run -100 --separate-stderr vaultfetch put p1 API_KEY "$SECRET_A"
	refute_secret "$SECRET_A"
	run -100 --separate-stderr vaultfetch list p1 --raw
	assert_equal "$stderr" 'vaultfetch: an option given does not apply to list'
	run -100 --separate-stderr vaultfetch fetch p1 --ttl 0
	assert_equal "$stderr" 'vaultfetch: --ttl: must be at least 1'
	run -100 --separate-stderr vaultfetch fetch p1 --ttl 5x
	assert_equal "$stderr" "vaultfetch: --ttl: '5x' is not a number from 0 to 2592000"
	SECENV_FETCH_LIMIT=lots run -100 --separate-stderr vaultfetch list p1
	assert_equal "$stderr" "vaultfetch: SECENV_FETCH_LIMIT: 'lots' is not a number from 0 to 1000000"
}

@test "an unknown backend is a usage error" {
	run -100 --separate-stderr vaultfetch -B nosuch list p1
	assert_equal "$stderr" "vaultfetch: unknown backend 'nosuch' (file, azure, hcvault or exec:PATH)"
	SECENV_BACKEND=exec: run -100 --separate-stderr vaultfetch list p1
	assert_equal "$stderr" 'vaultfetch: backend exec: needs a helper path (exec:PATH)'
}

# --- init ------------------------------------------------------------------

@test "init creates private directories and keys; a second run changes nothing" {
	# a home of this test's own init, not setup's copy
	rm -rf "$SECENV_HOME"
	vaultfetch init >/dev/null
	for d in "$SECENV_HOME" "$SECENV_HOME/keys" "$SECENV_HOME/store"; do
		assert_equal "$(stat -c %a "$d")" 700
	done
	for k in store.key worker.key; do
		assert_equal "$(stat -c %a "$SECENV_HOME/keys/$k")" 600
	done
	before="$(sha256sum "$SECENV_HOME"/keys/*.key "$SECENV_HOME"/keys/*.pub)"
	run -0 --separate-stderr vaultfetch init
	assert_equal "$output" ''
	assert_equal "$(sha256sum "$SECENV_HOME"/keys/*.key "$SECENV_HOME"/keys/*.pub)" "$before"
}

@test "a store key readable by others is refused" {
	put p1 API_KEY "$SECRET_A"
	chmod 0644 "$SECENV_HOME/keys/store.key"
	run -111 --separate-stderr vaultfetch fetch p1 --no-cache
	assert_equal "$output" ''
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/store.key: readable or writable by group or others, or not ours (chmod 600)"
	run -111 --separate-stderr put p1 OTHER "$SECRET_B"
	chmod 0600 "$SECENV_HOME/keys/store.key"
	run -0 vaultfetch list p1
	assert_output --regexp '^API_KEY	1	'
}

@test "without init, put and fetch say what is missing" {
	export SECENV_HOME="$BATS_TEST_TMPDIR/empty"
	run -111 --separate-stderr put p1 API_KEY "$SECRET_A"
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/store.key: missing (run vaultfetch init)"
	refute_secret "$SECRET_A"
	run -111 --separate-stderr vaultfetch fetch p1
	assert_equal "$output" ''
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/keys/worker.key: No such file or directory (run vaultfetch init)"
}

# --- put, fetch ------------------------------------------------------------

@test "put then fetch: the blob holds the exact values, one trailing newline dropped" {
	put p1 API_KEY "$SECRET_A"
	printf '%s\n\n' "$SECRET_B" | vaultfetch put p1 DB_URL
	run -0 --separate-stderr vaultfetch fetch p1
	refute_secret "$SECRET_A"
	refute_secret "$SECRET_B"
	assert_equal "$stderr" ''
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_A")
DB_URL current $(sha "$SECRET_B"$'\n')"
}

@test "put --raw keeps the trailing newline; an empty value is allowed" {
	printf '%s\n' "$SECRET_A" | vaultfetch put --raw p1 RAW
	printf '' | vaultfetch put p1 EMPTY
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "EMPTY current $(sha '')
RAW current $(sha "$SECRET_A"$'\n')"
}

@test "put refuses a value with NUL, naming the secret and not the value" {
	put p1 KEEP "$SECRET_B"
	run -100 --separate-stderr bash -c 'printf "sk_live_abc\0defghij" | vaultfetch put p1 NUL_KEY'
	assert_equal "$stderr" 'vaultfetch: secret NUL_KEY: value holds a NUL byte'
	[[ "$stderr" != *sk_live_abc* && "$stderr" != *defghij* ]]
	run -0 vaultfetch list p1
	assert_output --regexp '^KEEP	1	[^	]+$'
}

@test "put takes 64 KiB and refuses one byte more" {
	head -c 65536 /dev/zero | tr '\0' x >max
	{ cat max; echo; } | vaultfetch put p1 BIG
	{ cat max; printf y; } >over
	run -100 --separate-stderr vaultfetch put p1 OVER <over
	assert_equal "$stderr" 'vaultfetch: secret OVER: value over 65536 bytes'
	run -100 --separate-stderr vaultfetch put --raw p1 OVER < <(cat max; echo)
	assert_equal "$stderr" 'vaultfetch: secret OVER: value over 65536 bytes'
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "BIG current $(sha256sum <max | cut -d' ' -f1)"
}

@test "bad secret names are refused with status 100, naming them" {
	for name in 1ABC A=B 'a b' ''; do
		run -100 --separate-stderr put p1 "$name" "$SECRET_A"
		assert_equal "$output" ''
		if [ -z "$name" ]; then
			assert_equal "$stderr" 'vaultfetch: bad secret name: empty'
		else
			assert_equal "$stderr" "vaultfetch: bad secret name \"$name\": must match [A-Za-z_][A-Za-z0-9_]* (at most 255 characters)"
		fi
		refute_secret "$SECRET_A"
		run -100 --separate-stderr vaultfetch rm p1 "$name"
	done
	run -0 vaultfetch list p1
	assert_output ''
}

@test "bad project ids are refused with status 100 by every verb" {
	long="$(printf 'p%.0s' {1..65})"
	for project in ../x a/b '' "$long" .hidden; do
		run -100 --separate-stderr put "$project" API_KEY "$SECRET_A"
		if [ -z "$project" ]; then
			assert_equal "$stderr" 'vaultfetch: bad project id: empty'
		else
			assert_regex "$stderr" '^vaultfetch: bad project id "[^"]+": must match '
			[[ "$stderr" == *"\"${project:0:80}"* ]] || fail "the id is not named"
		fi
		refute_secret "$SECRET_A"
		for verb in list fetch revoke unrevoke import; do
			run -100 --separate-stderr vaultfetch "$verb" "$project" </dev/null
			assert_equal "$output" ''
		done
		run -100 vaultfetch rm "$project" API_KEY
	done
	run -0 find "$SECENV_HOME/store" "$SECENV_HOME/revoked" -type f
	assert_output ''
	# 64 characters is the longest id allowed
	put "${long:1}" API_KEY "$SECRET_A"
}

@test "fetch of a project without secrets fails with no output" {
	run -111 --separate-stderr vaultfetch fetch nothing
	assert_equal "$output" ''
	assert_equal "$stderr" 'vaultfetch: project nothing: no secrets stored'
}

# --- rotation, list, rm ----------------------------------------------------

@test "putting a name again rotates it: the blob keeps the previous value" {
	put p1 API_KEY "$SECRET_A"
	put p1 API_KEY "$SECRET_ROTATED"
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_ROTATED")
API_KEY previous $(sha "$SECRET_A")"
	run -0 --separate-stderr vaultfetch list p1
	assert_output --regexp '^API_KEY	2	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
}

@test "a rotation older than the window leaves the previous value out" {
	put p1 API_KEY "$SECRET_A"
	put p1 API_KEY "$SECRET_ROTATED"
	vaultfetch fetch p1 --no-cache --previous-window 0 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_ROTATED")"
}

@test "putting the same value again is not a rotation" {
	put p1 API_KEY "$SECRET_A"
	put p1 API_KEY "$SECRET_A"
	run -0 vaultfetch list p1
	assert_output --regexp '^API_KEY	1	'
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_A")"
}

@test "list prints sorted names, versions and UTC times, never a value" {
	put p1 ZETA "$SECRET_A"
	put p1 ALPHA "$SECRET_B"
	put p1 ZETA "$SECRET_ROTATED"
	run -0 --separate-stderr vaultfetch list p1
	refute_secret "$SECRET_A"
	refute_secret "$SECRET_B"
	refute_secret "$SECRET_ROTATED"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^ALPHA	1	20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$'
	assert_line --index 1 --regexp '^ZETA	2	'
	run -0 --separate-stderr vaultfetch list empty
	assert_equal "$output" ''
}

@test "list -0: the names alone, each ended by a NUL; -0 belongs to list" {
	put p1 ZETA "$SECRET_A"
	put p1 ALPHA "$SECRET_B"
	run -0 --separate-stderr bash -c 'vaultfetch list -0 p1 | od -An -c | tr -s " " | tr -d "\n"'
	assert_equal "$output" " A L P H A \\0 Z E T A \\0"
	refute_secret "$SECRET_A"
	run -0 --separate-stderr vaultfetch list -0 empty
	assert_equal "$output" ''
	run -100 --separate-stderr vaultfetch fetch -0 p1
	assert_equal "$stderr" 'vaultfetch: an option given does not apply to fetch'
}

@test "rm removes one name; a missing name is status 100" {
	put p1 API_KEY "$SECRET_A"
	put p1 DB_URL "$SECRET_B"
	run -0 --separate-stderr vaultfetch rm p1 API_KEY
	run -100 --separate-stderr vaultfetch rm p1 API_KEY
	assert_equal "$stderr" 'vaultfetch: project p1: no secret named API_KEY'
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "DB_URL current $(sha "$SECRET_B")"
}

# --- the store file --------------------------------------------------------

@test "the store is encrypted: no value or name appears in it" {
	put p1 API_KEY "$SECRET_A"
	assert_equal "$(stat -c %a "$SECENV_HOME/store/p1.vault")" 600
	run -1 grep -c -e "$SECRET_A" -e API_KEY "$SECENV_HOME/store/p1.vault"
}

@test "a store copied under another project's name is refused" {
	put p1 API_KEY "$SECRET_A"
	cp "$SECENV_HOME/store/p1.vault" "$SECENV_HOME/store/p2.vault"
	run -111 --separate-stderr vaultfetch fetch p2
	assert_equal "$output" ''
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/store/p2.vault: cannot decrypt (wrong store key, or the file was damaged or moved)"
}

@test "a damaged store is refused, never read as empty" {
	put p1 API_KEY "$SECRET_A"
	f="$SECENV_HOME/store/p1.vault"
	size=$(stat -c %s "$f")
	truncate -s $((size - 1)) "$f"
	run -111 --separate-stderr vaultfetch fetch p1 --no-cache
	assert_equal "$output" ''
	run -111 --separate-stderr put p1 OTHER "$SECRET_B"
	printf 'garbage' >"$f"
	run -111 --separate-stderr vaultfetch list p1
	assert_equal "$stderr" "vaultfetch: $f: not a secenv store"
}

@test "20 concurrent puts of different names all survive" {
	for i in $(seq 1 20); do
		put p1 "NAME_$i" "value-$i-$SECRET_A" &
	done
	wait
	run -0 vaultfetch list p1
	assert_equal "${#lines[@]}" 20
	vaultfetch fetch p1 >blob
	expected="$(for i in $(seq 1 20); do echo "NAME_$i current $(sha "value-$i-$SECRET_A")"; done | sort)"
	run -0 entries blob
	assert_equal "$output" "$expected"
}

@test "a writer killed with SIGKILL while holding the lock leaves the previous store" {
	put p1 API_KEY "$SECRET_A"
	printf '%s\n' "$SECRET_ROTATED" |
		SECENV_TEST_STOP_BEFORE_STORE_WRITE=1 vaultfetch put p1 API_KEY &
	pid=$!
	wait_stopped "$pid"
	# the writer holds the value now: not in its argv nor its environment
	run -0 tr '\0' ' ' <"/proc/$pid/cmdline"
	assert_equal "$output" 'vaultfetch put p1 API_KEY '
	run -1 grep -c -e "$SECRET_ROTATED" "/proc/$pid/environ"
	kill -KILL "$pid"
	wait "$pid" || true
	vaultfetch fetch p1 --no-cache >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_A")"
	# the lock died with the writer
	put p1 DB_URL "$SECRET_B"
	run -0 vaultfetch list p1
	assert_equal "${#lines[@]}" 2
}

# --- import ----------------------------------------------------------------

@test "import reads comments, export, quotes, escapes and multi-line values" {
	cat >app.env <<-'EOF'
	# a comment
	   # an indented comment

	PLAIN=plain-value-123
	export EXPORTED=exported value
	SPACED = spaced-value   
	INLINE=inline-value # comment
	HASH=a#b
	EMPTY=
	EQUALS=a=b=c
	SINGLE='it has $HOME and \n literally'
	DOUBLE="tab\there \"quoted\" \\ \$HOME"
	UNKNOWN="keep \q as is"
	MULTI="line one
	line two"
	MULTI_SINGLE='first
	second # not a comment'
	AFTER="x" # trailing comment
	PLAIN=last one wins
	EOF
	printf 'CRLF=windows-line\r\nQUOTED_CRLF="q"\r\n' >>app.env
	run -0 --separate-stderr vaultfetch import p1 app.env
	assert_equal "$stderr" ''
	vaultfetch fetch p1 >blob
	run -0 entries blob
	expected="$(
		{
			echo "PLAIN current $(sha 'last one wins')"
			echo "EXPORTED current $(sha 'exported value')"
			echo "SPACED current $(sha 'spaced-value')"
			echo "INLINE current $(sha 'inline-value')"
			echo "HASH current $(sha 'a#b')"
			echo "EMPTY current $(sha '')"
			echo "EQUALS current $(sha 'a=b=c')"
			echo "SINGLE current $(sha 'it has $HOME and \n literally')"
			echo "DOUBLE current $(sha $'tab\there "quoted" \\ $HOME')"
			echo "UNKNOWN current $(sha 'keep \q as is')"
			echo "MULTI current $(sha $'line one\nline two')"
			echo "MULTI_SINGLE current $(sha $'first\nsecond # not a comment')"
			echo "AFTER current $(sha x)"
			echo "CRLF current $(sha windows-line)"
			echo "QUOTED_CRLF current $(sha q)"
		} | sort
	)"
	assert_equal "$output" "$expected"
}

@test "import reads stdin" {
	printf 'API_KEY=%s\n' "$SECRET_A" | vaultfetch import p1 -
	printf 'DB_URL=%s\n' "$SECRET_B" | vaultfetch import p1
	vaultfetch fetch p1 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_A")
DB_URL current $(sha "$SECRET_B")"
}

@test "import of a malformed file names the line and stores nothing" {
	put p1 KEEP "$SECRET_B"
	check_refused() {
		run -100 --separate-stderr vaultfetch import p1 bad.env
		assert_equal "$output" ''
		assert_equal "$stderr" "vaultfetch: bad.env:$1"
		refute_secret "$SECRET_A"
		run -0 vaultfetch list p1
		assert_output --regexp '^KEEP	1	[^	]+$'
	}
	printf 'GOOD=%s\n\nno equals here\n' "$SECRET_A" >bad.env
	check_refused "3: expected '=' after \"no\""
	printf 'GOOD=%s\n1BAD=x\n' "$SECRET_A" >bad.env
	check_refused '2: bad secret name "1BAD"'
	printf 'GOOD=%s\n=x\n' "$SECRET_A" >bad.env
	check_refused '2: expected NAME=VALUE'
	printf '# c\nGOOD="%s\nmore\n' "$SECRET_A" >bad.env
	check_refused '2: unterminated quote in "GOOD"'
	printf "GOOD='%s' trailing\n" "$SECRET_A" >bad.env
	check_refused '1: text after the closing quote of "GOOD"'
	printf 'OK=1\nMULTI="a\nb"junk\n' >bad.env
	check_refused '3: text after the closing quote of "MULTI"'
	{ printf 'BIG='; head -c 65537 /dev/zero | tr '\0' x; echo; } >bad.env
	check_refused '1: value over 65536 bytes in "BIG"'
	printf 'GOOD=%s\nNUL=ab\0cd\n' "$SECRET_A" >bad.env
	check_refused '2: value holds a NUL byte in "NUL"'
}

@test "import of a missing file is a failure naming it" {
	run -111 --separate-stderr vaultfetch import p1 missing.env
	assert_equal "$stderr" 'vaultfetch: missing.env: No such file or directory'
}

# --- revoke ----------------------------------------------------------------

@test "revoke stops fetch and kills blobs already made; unrevoke does not revive them" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >old
	run -0 vaultfetch revoke p1
	run -111 --separate-stderr vaultfetch fetch p1
	assert_equal "$output" ''
	assert_equal "$stderr" 'vaultfetch: project p1 is revoked'
	run -111 --separate-stderr "$BLOBCHECK" <old
	assert_equal "$output" ''
	run -0 vaultfetch unrevoke p1
	vaultfetch fetch p1 >new
	run -0 entries new
	assert_equal "$output" "API_KEY current $(sha "$SECRET_A")"
	run -111 "$BLOBCHECK" <old
}

@test "revoke deletes the project's cached blobs and no other's" {
	put p1 API_KEY "$SECRET_A"
	put p1.x API_KEY "$SECRET_A"
	vaultfetch fetch p1 >/dev/null
	vaultfetch fetch p1.x >/dev/null
	[ -n "$(cache_file p1)" ]
	vaultfetch revoke p1
	assert_equal "$(cache_file p1)" ''
	[ -n "$(cache_file p1.x)" ]
}

# --- cache -----------------------------------------------------------------

@test "a second fetch within the cache TTL returns the cached blob" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >one
	vaultfetch fetch p1 >two
	cmp one two
	assert_equal "$(stat -c %a "$(cache_file p1)")" 600
	vaultfetch fetch p1 --no-cache >three
	run -1 cmp -s one three
	vaultfetch fetch p1 --cache-ttl 0 >four
	run -1 cmp -s one four
}

@test "a cached blob is reused only for the same --ttl" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 --ttl 600 >one
	vaultfetch fetch p1 --ttl 300 >two
	run -1 cmp -s one two
	vaultfetch fetch p1 --ttl 300 >three
	cmp two three
}

@test "a cached blob older than the cache TTL is not reused" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >one
	age_cache p1 30
	vaultfetch fetch p1 >two
	cmp one two
	age_cache p1 61
	vaultfetch fetch p1 >three
	run -1 cmp -s one three
	SECENV_CACHE_TTL=3600 vaultfetch fetch p1 >four
	cmp three four
}

@test "put, import and rm make the cached blob stale at once" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >/dev/null
	put p1 API_KEY "$SECRET_ROTATED"
	vaultfetch fetch p1 --previous-window 0 >blob
	run -0 entries blob
	assert_equal "$output" "API_KEY current $(sha "$SECRET_ROTATED")"
	printf 'DB_URL=%s\n' "$SECRET_B" | vaultfetch import p1
	vaultfetch fetch p1 --previous-window 0 >blob
	run -0 entries blob
	assert_line "DB_URL current $(sha "$SECRET_B")"
	vaultfetch rm p1 DB_URL
	vaultfetch fetch p1 --previous-window 0 >blob
	run -0 entries blob
	assert_output "API_KEY current $(sha "$SECRET_ROTATED")"
}

@test "a blob fetched before the project's last change is not reused" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >one
	# as if a put finished while this blob was being fetched
	sleep 0.01
	now_ms >"$RUNDIR/cache/p1~changed"
	vaultfetch fetch p1 >two
	run -1 cmp -s one two
	vaultfetch fetch p1 >three
	cmp two three
}

@test "when the backend fails, a cached blob within the staleness bound is used" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >one
	age_cache p1 120
	# the store cannot be read: a failure that is not about credentials
	mv "$SECENV_HOME/store/p1.vault" "$SECENV_HOME/store/p1.saved"
	mkdir "$SECENV_HOME/store/p1.vault"
	run -0 --separate-stderr vaultfetch fetch p1
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "vaultfetch: $SECENV_HOME/store/p1.vault: Is a directory"
	assert_regex "${stderr_lines[1]}" '^vaultfetch: project p1: backend failed; using the blob cached 1[2-9][0-9] s ago$'
	vaultfetch fetch p1 2>/dev/null >two
	cmp one two
	run -111 --separate-stderr vaultfetch fetch p1 --max-stale 100
	assert_equal "$output" ''
	run -111 --separate-stderr env SECENV_CACHE_MAX_STALE=0 vaultfetch fetch p1
	assert_equal "$output" ''
	age_cache p1 1000
	run -111 --separate-stderr vaultfetch fetch p1
	assert_equal "$output" ''
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/store/p1.vault: Is a directory"
}

@test "an expired cached blob is never used, even within the staleness bound" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 --ttl 1 >/dev/null
	age_cache p1 5
	sleep 1.1
	mv "$SECENV_HOME/store/p1.vault" "$SECENV_HOME/store/p1.saved"
	mkdir "$SECENV_HOME/store/p1.vault"
	run -111 --separate-stderr vaultfetch fetch p1 --ttl 1
	assert_equal "$output" ''
}

@test "a refused credential never falls back to the cache, and deletes it" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >/dev/null
	age_cache p1 120
	head -c 32 /dev/urandom >"$SECENV_HOME/keys/store.key"
	run -111 --separate-stderr vaultfetch fetch p1
	assert_equal "$output" ''
	assert_equal "$stderr" "vaultfetch: $SECENV_HOME/store/p1.vault: cannot decrypt (wrong store key, or the file was damaged or moved)"
	assert_equal "$(cache_file p1)" ''
}

@test "a cached blob of another SECENV_HOME is not used" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >/dev/null
	export SECENV_HOME="$BATS_TEST_TMPDIR/other"
	vaultfetch init
	run -111 --separate-stderr vaultfetch fetch p1
	assert_equal "$output" ''
	assert_equal "$stderr" 'vaultfetch: project p1: no secrets stored'
}

# --- fetch limit -----------------------------------------------------------

@test "the fetch limit refuses further fetches and says when the next is allowed" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 --no-cache --fetch-limit 2 >/dev/null
	vaultfetch fetch p1 --no-cache --fetch-limit 2 >/dev/null
	run -111 --separate-stderr vaultfetch fetch p1 --no-cache --fetch-limit 2
	assert_equal "$output" ''
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" '^vaultfetch: project p1: fetch limit of 2 per hour reached; next fetch allowed at 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z \(in (3[5-6][0-9]{2}) s\)$'
	SECENV_FETCH_LIMIT=2 run -111 vaultfetch fetch p1 --no-cache
	# another project has its own count
	put p2 API_KEY "$SECRET_A"
	run -0 vaultfetch fetch p2 --no-cache --fetch-limit 2
}

@test "fetches older than an hour do not count; cached answers do not count" {
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 --fetch-limit 1 >one
	vaultfetch fetch p1 --fetch-limit 1 >two
	cmp one two
	rate="$(ls "$RUNDIR"/rate/p1@* | grep -v '\.lock$')"
	now=$(now_ms)
	printf '%s\n%s\n' $((now - 3700000)) $((now - 3650000)) >"$rate"
	run -0 vaultfetch fetch p1 --no-cache --fetch-limit 1
	printf '%s\n' $((now - 3000000)) >"$rate"
	run -111 --separate-stderr vaultfetch fetch p1 --no-cache --fetch-limit 1
	assert_regex "$stderr" '\(in (5[89][0-9]|600) s\)$'
}

# --- a remote backend ------------------------------------------------------

@test "a remote backend that fails uses the cache; each backend has its own" {
	export FLAKY_DIR="$BATS_TEST_TMPDIR/flaky"
	mkdir "$FLAKY_DIR"
	printf %s "$SECRET_B" >"$FLAKY_DIR/value"
	helper="exec:$FIXTURES/vaultfetch/flaky-helper"
	put p1 API_KEY "$SECRET_A"
	vaultfetch fetch p1 >file-blob
	vaultfetch -B "$helper" fetch p1 >one
	run -0 entries one
	assert_equal "$output" "API_KEY current $(sha "$SECRET_B")"
	SECENV_BACKEND="$helper" vaultfetch fetch p1 >two
	cmp one two
	assert_equal "$(wc -l <"$FLAKY_DIR/calls")" 1
	touch "$FLAKY_DIR/down"
	run -0 --separate-stderr vaultfetch -B "$helper" fetch p1 --cache-ttl 0
	assert_equal "${stderr_lines[0]}" 'flaky-helper: connection refused'
	assert_regex "${stderr_lines[-1]}" '^vaultfetch: project p1: backend failed; using the blob cached [0-9]+ s ago$'
	refute_secret "$SECRET_B"
	vaultfetch -B "$helper" fetch p1 --cache-ttl 0 2>/dev/null >three
	cmp one three
	run -111 --separate-stderr vaultfetch -B "$helper" fetch p1 --no-cache
	assert_equal "$output" ''
	refute_secret "$SECRET_B"
	vaultfetch fetch p1 >file-again
	cmp file-blob file-again
}

@test "import of a file without variables stores nothing and says so" {
	printf '# only a comment\n\n' >empty.env
	run -0 --separate-stderr vaultfetch import p1 empty.env
	assert_equal "$stderr" 'vaultfetch: empty.env: no variables to import'
	run -0 find "$SECENV_HOME/store" -name 'p1.*'
	assert_output ''
}

@test "fetch to a closed stdout fails with 111" {
	put p1 API_KEY "$SECRET_A"
	run -111 --separate-stderr bash -c 'vaultfetch fetch p1 --no-cache >&-'
	assert_equal "$stderr" 'vaultfetch: stdout: Bad file descriptor'
}
