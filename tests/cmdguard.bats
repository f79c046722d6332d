#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# cmdguard: the verdict table, --json, --path, policy files, secret names.

load helpers/common
bats_require_minimum_version 1.5.0

NAMES=STRIPE_KEY,DATABASE_URL,OPENAI_API_KEY
TABLE="$BATS_TEST_DIRNAME/fixtures/cmdguard/verdicts.tsv"

setup() {
	secenv_test_env
	export HOME="$BATS_TEST_TMPDIR/h"
	PROJ="$BATS_TEST_TMPDIR/proj"
	mkdir -p "$HOME/.ssh" "$PROJ/src"
	printf 'STRIPE_KEY=sk_test_fixture_value\n' >"$PROJ/.env"
	printf 'STRIPE_KEY=\n' >"$PROJ/.env.example"
	printf 'int main(void) { return 0; }\n' >"$PROJ/src/main.c"
	printf 'fake key\n' >"$HOME/.ssh/id_rsa"
	cd "$PROJ"
}

# verdict_rows TABLE NAMES DIR: each row of the table (VERDICT<TAB>COMMAND,
# <NL> for a newline) checked by one cmdguard; prints "ROWS FAILURES", then
# what went wrong in each failing row. The rows run without `run`, which
# costs more than cmdguard itself, in a fresh bash (test_verdict_rows): a
# process started from the test's own shell costs about three times as much.
verdict_rows() {
	local verdict cmd want got rows=0 failures=() out="$3/out" err="$3/err" text
	while IFS=$'\t' read -r verdict cmd; do
		[[ -z "$verdict" || "$verdict" == \#* ]] && continue
		cmd="${cmd//<NL>/$'\n'}"
		rows=$((rows + 1))
		want=0
		[[ "$verdict" == deny ]] && want=1
		got=0
		cmdguard -n "$2" -- "$cmd" >"$out" 2>"$err" || got=$?
		# all of stderr, read without a process (one line: one newline, at the end)
		text=
		IFS= read -r -d '' text <"$err" || true
		if [[ "$got" != "$want" ]]; then
			failures+=("want $verdict, got $got: $cmd $(cat "$err")")
		elif [[ -s "$out" ]]; then
			failures+=("stdout not empty: $cmd")
		elif [[ $want == 1 && ( "$text" != "cmdguard: denied: "?*$'\n' ||
			"${text%$'\n'}" == *$'\n'* ) ]]; then
			failures+=("bad denial message: $cmd: $(cat "$err")")
		elif [[ $want == 0 && -s "$err" ]]; then
			failures+=("stderr on allow: $cmd: $(cat "$err")")
		fi
	done <"$1"
	printf '%d %d\n' "$rows" "${#failures[@]}"
	((${#failures[@]} == 0)) || printf '%s\n' "${failures[@]}"
}

test_verdict_rows() {
	bash -c "$(declare -f verdict_rows)"'; verdict_rows "$@"' verdict_rows "$@"
}

@test "verdict table: every row gets its verdict, denials say why in one line" {
	local rows failed
	test_verdict_rows "$TABLE" "$NAMES" "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/rows"
	read -r rows failed <"$BATS_TEST_TMPDIR/rows"
	((rows >= 150)) || fail "only $rows rows"
	if ((failed > 0)); then
		tail -n +2 "$BATS_TEST_TMPDIR/rows" >&2
		fail "$failed of $rows rows failed"
	fi
}

@test "verdict table: at least 150 rows, about half each way" {
	local allow deny
	allow=$(grep -c '^allow	' "$TABLE")
	deny=$(grep -c '^deny	' "$TABLE")
	((allow + deny >= 150))
	((allow * 10 >= (allow + deny) * 4))
	((deny * 10 >= (allow + deny) * 4))
	# nothing but allow, deny and comments
	run grep -cvE '^(allow|deny)	.|^#|^$' "$TABLE"
	assert_output 0
}

@test "--json: a denial names the rule, the reason and the offending command" {
	run --separate-stderr cmdguard -n "$NAMES" --json -- 'make build && printenv | sort'
	assert_equal "$status" 1
	assert_equal "$stderr" 'cmdguard: denied: printenv is denied by the policy'
	run jq -r '[keys[], .verdict, .rule, .reason, .at] | join("|")' <<<"$output"
	assert_output 'at|reason|rule|verdict|deny|deny-command printenv|printenv is denied by the policy|printenv'
}

@test "--json: an allowed command has null rule, reason and at" {
	run --separate-stderr cmdguard --json -- 'npm start'
	assert_equal "$status" 0
	assert_equal "$stderr" ''
	assert_output '{"verdict":"allow","rule":null,"reason":null,"at":null}'
}

@test "--json: the offending command is the inner one of sh -c, and stays valid JSON with odd bytes" {
	run --separate-stderr cmdguard --json -- "bash -c 'cd src; cat ../.env'"
	assert_equal "$status" 1
	run jq -r '.rule + "|" + .at' <<<"$output"
	assert_output 'deny-path .env|cat ../.env'
	run --separate-stderr cmdguard --json -- $'printenv \x1b[31m\xff'
	assert_equal "$status" 1
	run jq -r .at <<<"$output"
	assert_output 'printenv \x1b[31m\xff'
}

@test "the command can come on stdin" {
	run --separate-stderr cmdguard -n "$NAMES" <<<'echo "$STRIPE_KEY"'
	assert_equal "$status" 1
	assert_equal "$stderr" 'cmdguard: denied: expands secret STRIPE_KEY'
	run --separate-stderr cmdguard <<<'npm test'
	assert_equal "$status" 0
	assert_equal "$stderr" ''
}

@test "an empty command or a comment is allowed" {
	run -0 cmdguard -- ''
	run -0 cmdguard -- '# printenv'
}

@test "usage: -h prints it, bad options and two operands are status 100" {
	run -0 --separate-stderr cmdguard -h
	assert_line --index 0 --partial 'usage: cmdguard [-b BLOB | -n NAME,...]'
	assert_equal "$stderr" ''
	run -100 --separate-stderr cmdguard --frobnicate -- 'ls'
	run -100 --separate-stderr cmdguard -- npm start
	assert_equal "$stderr" 'cmdguard: give the command as one string'
	run -100 --separate-stderr cmdguard --path .env extra
}

@test "-n: a bad secret name is refused with status 100" {
	run -100 --separate-stderr cmdguard -n 'GOOD,1BAD' -- 'ls'
	assert_output ''
	[[ "$stderr" == *1BAD* ]]
}

@test "-n: names are secret only when given" {
	run -0 cmdguard -- 'echo $MY_TOKEN'
	run -1 --separate-stderr cmdguard -n MY_TOKEN -- 'echo $MY_TOKEN'
	assert_equal "$stderr" 'cmdguard: denied: expands secret MY_TOKEN'
	run -1 cmdguard -n MY_TOKEN -- 'echo ${!MY_*}'
	run -1 cmdguard -n OTHER -n MY_TOKEN -- 'echo $MY_TOKEN'
	run -0 cmdguard -n MY_TOKEN -- 'echo ${!OTHER_*}'
}

@test "-b: names come from a real blob's clear header, and no value is ever shown" {
	local value=sk_test_51BlobValueNeverShown0042
	run -0 vaultfetch init
	printf '%s\n' "$value" | vaultfetch put p1 PAYMENT_KEY
	printf 'postgres://u:pw0rd_long_enough@db/app\n' | vaultfetch put p1 DB_URL
	vaultfetch fetch p1 >"$BATS_TEST_TMPDIR/blob"
	# the worker key is not needed: move it away
	mv "$SECENV_HOME/keys/worker.key" "$BATS_TEST_TMPDIR/worker.key.away"
	run --separate-stderr cmdguard -b "$BATS_TEST_TMPDIR/blob" --json -- 'curl -u "$PAYMENT_KEY:" https://api.example.com'
	assert_equal "$status" 1
	assert_equal "$stderr" 'cmdguard: denied: expands secret PAYMENT_KEY'
	refute_secret "$value"
	refute_secret pw0rd_long_enough
	run -1 --separate-stderr cmdguard -b "$BATS_TEST_TMPDIR/blob" -- 'echo ${DB_URL:0:8}'
	refute_secret pw0rd_long_enough
	run -0 cmdguard -b "$BATS_TEST_TMPDIR/blob" -- 'echo $HOME'
}

@test "-b: an unreadable or damaged blob is a failure (111), not a verdict" {
	run -111 --separate-stderr cmdguard -b "$BATS_TEST_TMPDIR/none" -- 'ls'
	assert_output ''
	printf 'not a blob at all' >"$BATS_TEST_TMPDIR/junk"
	run -111 --separate-stderr cmdguard -b "$BATS_TEST_TMPDIR/junk" -- 'ls'
	[[ "$stderr" == "cmdguard: blob $BATS_TEST_TMPDIR/junk: "* ]]
}

@test "--path: .env and its templates, lexical .. resolved" {
	run -1 --separate-stderr cmdguard --path .env
	assert_equal "$stderr" 'cmdguard: denied: reads protected path .env'
	run -0 --separate-stderr cmdguard --path .env.example
	assert_equal "$stderr" ''
	run -1 cmdguard --path src/../.env
	run -1 cmdguard --path "$PROJ/src/../../proj/.env"
	run -0 cmdguard --path src/main.c
	run -1 cmdguard --path /proc/self/environ
	run -1 cmdguard --path /proc/1/task/1/environ
	run -1 cmdguard --path "$HOME/.ssh/id_rsa"
	run -1 cmdguard --path "$SECENV_HOME/keys/worker.key"
}

@test "--path: symbolic links are followed before deciding" {
	ln -s .env notes.txt
	ln -s "$HOME/.ssh" sshdir
	ln -s ../.env src/config.txt
	run -1 --separate-stderr cmdguard --path notes.txt
	assert_equal "$stderr" "cmdguard: denied: reads protected path $(pwd -P)/.env"
	run -1 cmdguard --path src/config.txt
	run -1 cmdguard --path sshdir/id_rsa
	# not there yet, but inside a protected directory through a link
	run -1 cmdguard --path sshdir/new_key
	# a link to a template is fine, a template that is a link to .env is not
	ln -s .env.example example.txt
	run -0 cmdguard --path example.txt
	mv .env.example real.example
	ln -s .env .env.example
	run -1 cmdguard --path .env.example
}

@test "--json with --path" {
	run --separate-stderr cmdguard --json --path src/../.env
	assert_equal "$status" 1
	assert_output '{"verdict":"deny","rule":"deny-path .env","reason":"reads protected path src/../.env","at":"src/../.env"}'
}

@test "commands: a symbolic link or a glob that leads to a protected file on disk" {
	ln -s .env notes.txt
	run -1 --separate-stderr cmdguard -- 'cat notes.txt'
	assert_equal "$stderr" "cmdguard: denied: reads protected path $(pwd -P)/.env"
	mkdir keys && printf 'k\n' >keys/server.key && printf 'x\n' >keys/readme
	run -1 cmdguard -- 'cat keys/*'
	rm keys/server.key
	run -0 cmdguard -- 'cat keys/*'
}

@test "SECENV_HOME is protected wherever it is" {
	run -1 --separate-stderr cmdguard -- "cat $SECENV_HOME/keys/worker.key"
	assert_equal "$stderr" "cmdguard: denied: reads protected path $SECENV_HOME/keys/worker.key"
	run -1 cmdguard -- "tar czf /tmp/x.tgz $SECENV_HOME"
	run -1 cmdguard -- "cp -r $SECENV_HOME/store /tmp/"
	run -0 cmdguard -- "ls $SECENV_HOME"
}

@test "policy: the owner's file extends the default" {
	mkdir -p "$SECENV_HOME"
	printf '# local rules\ndeny-command terraform apply\ndeny-path secrets/*\nsecret-name INTERNAL_*\n' \
		>"$SECENV_HOME/policy"
	run -1 --separate-stderr cmdguard -- 'terraform apply -auto-approve'
	assert_equal "$stderr" 'cmdguard: denied: terraform is denied by the policy'
	run -0 cmdguard -- 'terraform plan'
	run -1 cmdguard -- 'cat secrets/prod.json'
	run -1 cmdguard -- 'echo $INTERNAL_TOKEN'
	run -1 cmdguard -- 'printenv'
}

@test "policy: allow-command and reset override the default" {
	mkdir -p "$SECENV_HOME"
	printf 'allow-command ps e\n' >"$SECENV_HOME/policy"
	run -0 cmdguard -- 'ps e'
	run -1 cmdguard -- 'ps eww'
	printf 'reset\ndeny-command rm\n' >"$SECENV_HOME/policy"
	run -0 cmdguard -- 'printenv'
	run -0 cmdguard -- 'cat .env'
	run -1 cmdguard -- 'rm -rf /'
}

@test "policy: -P names another file instead of the owner's" {
	mkdir -p "$SECENV_HOME"
	printf 'deny-command make\n' >"$SECENV_HOME/policy"
	printf 'deny-command npm\n' >"$BATS_TEST_TMPDIR/other.policy"
	run -1 cmdguard -- 'make test'
	run -0 cmdguard -P "$BATS_TEST_TMPDIR/other.policy" -- 'make test'
	run -1 cmdguard -P "$BATS_TEST_TMPDIR/other.policy" -- 'npm start'
	run -1 cmdguard -P "$BATS_TEST_TMPDIR/other.policy" -- 'printenv'
	run -111 --separate-stderr cmdguard -P "$BATS_TEST_TMPDIR/missing" -- 'ls'
	assert_output ''
}

@test "policy: a bad line or an unsafe owner's file is a failure (111)" {
	mkdir -p "$SECENV_HOME"
	printf 'deny-command x\nfrobnicate y\n' >"$SECENV_HOME/policy"
	run -111 --separate-stderr cmdguard -- 'ls'
	assert_equal "$stderr" "cmdguard: policy $SECENV_HOME/policy:2: unknown directive"
	printf 'deny-command x\n' >"$SECENV_HOME/policy"
	chmod 0666 "$SECENV_HOME/policy"
	run -111 --separate-stderr cmdguard -- 'ls'
	[[ "$stderr" == *"writable by others"* ]]
	rm "$SECENV_HOME/policy"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$SECENV_HOME/policy"
	run -111 cmdguard -- 'ls'
}

@test "writes to the policy file are refused like reads of SECENV_HOME" {
	run -1 cmdguard -- "echo reset > $SECENV_HOME/policy"
	run -1 cmdguard -- "tee -a $SECENV_HOME/policy <<< reset"
}

@test "parse failures deny with the parser's reason" {
	run -1 --separate-stderr cmdguard -- "echo 'open"
	assert_equal "$stderr" 'cmdguard: denied: cannot parse: unterminated single quote'
	run -1 --separate-stderr cmdguard --json -- 'echo $(('
	run jq -r .rule <<<"$output"
	assert_output parse
}

@test "deep nesting is denied, not a crash" {
	run -1 --separate-stderr cmdguard -- "$(printf 'nice %.0s' $(seq 1 40)) make"
	assert_equal "$stderr" 'cmdguard: denied: commands nested too deeply'
	local deep
	deep=$(printf '%.0s$(' $(seq 1 300))
	run -1 --separate-stderr cmdguard -- "echo $deep"
	assert_equal "${stderr_lines[0]}" 'cmdguard: denied: cannot parse: nesting too deep'
}

@test "known variables: X=.env; cat \$X is seen through" {
	run -1 cmdguard -- 'F=.env; cat "$F"'
	run -1 cmdguard -- 'D=.; cat $D/.env'
	run -0 cmdguard -- 'F=README.md; cat "$F"'
	run -1 cmdguard -- 'X=.e; cat ${X}nv'
}

@test "wrappers: an option's value is checked whether it is attached (-a.env) or not" {
	run -1 --separate-stderr cmdguard -- 'xargs -a.env cat'
	assert_equal "$stderr" 'cmdguard: denied: reads protected path .env'
	run -1 --separate-stderr cmdguard -- 'xargs -a .env cat'
	assert_equal "$stderr" 'cmdguard: denied: reads protected path .env'
	run -1 --separate-stderr cmdguard -- 'xargs --arg-file=.env cat'
	assert_equal "$stderr" 'cmdguard: denied: reads protected path .env'
	run -1 --separate-stderr cmdguard -- 'env -uHOME -Sprintenv'
	assert_equal "$stderr" 'cmdguard: denied: printenv is denied by the policy'
	run -0 --separate-stderr cmdguard -- 'xargs -aREADME.md -n1 echo'
	assert_equal "$stderr" ''
}

@test "--batch: one verdict line per input line, in order; status 1 when one is denied" {
	run --separate-stderr cmdguard -n "$NAMES" --batch < <(printf '%s\n' \
		'npm test' 'env | sort' '' 'echo "$STRIPE_KEY"' "echo 'open" \
		'# printenv' 'cat .env.example' && printf 'cat .env')
	assert_equal "$status" 1
	assert_equal "$stderr" ''
	assert_equal "$output" 'allow
deny: env without a command dumps the environment
allow
deny: expands secret STRIPE_KEY
deny: cannot parse: unterminated single quote
allow
allow
deny: reads protected path .env'
}

@test "--batch: status 0 when every line is allowed; no input, no verdict" {
	run --separate-stderr cmdguard --batch <<<$'ls -la\nmake -j2 && npm test'
	assert_equal "$status" 0
	assert_equal "$stderr" ''
	assert_equal "$output" $'allow\nallow'
	run --separate-stderr cmdguard --batch </dev/null
	assert_equal "$status" 0
	assert_equal "$stderr" ''
	assert_equal "$output" ''
}

@test "--batch --json: one object per line" {
	run --separate-stderr cmdguard -n "$NAMES" --json --batch \
		<<<$'npm start\nmake build && printenv | sort\necho $(('
	assert_equal "$status" 1
	assert_equal "$stderr" ''
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[0]}" '{"verdict":"allow","rule":null,"reason":null,"at":null}'
	assert_equal "${lines[1]}" '{"verdict":"deny","rule":"deny-command printenv","reason":"printenv is denied by the policy","at":"printenv"}'
	run jq -r '.verdict + "|" + .rule' <<<"${lines[2]}"
	assert_output 'deny|parse'
}

@test "--batch: each line is checked alone, as a single check would" {
	run -1 --separate-stderr cmdguard --batch <<<$'F=.env; cat "$F"\ncat "$F"'
	assert_equal "$output" $'deny: reads protected path .env\nallow'
	# every single-line row of the verdict table gets the same verdict
	local verdict cmd want=() got
	grep -v '<NL>' "$TABLE" | grep -E '^(allow|deny)	' >"$BATS_TEST_TMPDIR/rows"
	while IFS=$'\t' read -r verdict cmd; do
		want+=("$verdict")
	done <"$BATS_TEST_TMPDIR/rows"
	((${#want[@]} >= 140))
	run -1 --separate-stderr cmdguard -n "$NAMES" --batch < <(cut -f2- "$BATS_TEST_TMPDIR/rows")
	assert_equal "$stderr" ''
	assert_equal "${#lines[@]}" "${#want[@]}"
	for i in "${!want[@]}"; do
		got=${lines[i]%%:*}
		[[ "$got" == "${want[i]}" ]] || fail "row $((i + 1)): want ${want[i]}, got ${lines[i]}"
	done
}

@test "--batch: a long line is checked; a line over 1 MiB is denied and the batch goes on" {
	local long="$BATS_TEST_TMPDIR/long"
	{
		printf 'echo %s\n' "$(head -c 200000 /dev/zero | tr '\0' a)"
		head -c 1100000 /dev/zero | tr '\0' b
		printf '\nprintenv\nls\n'
	} >"$long"
	run -1 --separate-stderr cmdguard --batch <"$long"
	assert_equal "$stderr" ''
	assert_equal "$output" 'allow
deny: cannot parse: line longer than 1048576 bytes
deny: printenv is denied by the policy
allow'
	run -1 --separate-stderr cmdguard --json --batch < <(sed -n 2p "$long")
	assert_output '{"verdict":"deny","rule":"parse","reason":"cannot parse: line longer than 1048576 bytes","at":null}'
}

@test "--batch: an operand or --path is a usage error; a bad blob is a failure before any verdict" {
	run -100 --separate-stderr cmdguard --batch -- ls </dev/null
	assert_output ''
	run -100 --separate-stderr cmdguard --batch --path .env </dev/null
	assert_output ''
	printf 'not a blob' >"$BATS_TEST_TMPDIR/bad.blob"
	run -111 --separate-stderr cmdguard -b "$BATS_TEST_TMPDIR/bad.blob" --batch <<<'ls'
	assert_output ''
	[[ "$stderr" == "cmdguard: blob $BATS_TEST_TMPDIR/bad.blob: "* ]]
}
