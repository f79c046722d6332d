#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv mcp: the MCP server, driven by the official TypeScript SDK's
# Client over its stdio transport, and by a stream of hostile messages.

bats_require_minimum_version 1.5.0
load helpers/common

M="$BATS_TEST_DIRNAME/fixtures/mcp"

setup_file() {
	export M
	# the official SDK, from npm, as its lock file pins it (skipped with a
	# reason if the registry cannot be reached)
	export MCP_NPM_SKIP=""
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		MCP_NPM_SKIP="node or npm not installed"
	elif [[ ! -f $M/node_modules/@modelcontextprotocol/sdk/package.json ]] &&
		! timeout 300 npm ci --prefix "$M" --prefer-offline --no-audit --no-fund --loglevel=error >"$BATS_FILE_TMPDIR/npm.log" 2>&1; then
		MCP_NPM_SKIP="npm ci failed (registry unreachable?): $(tail -1 "$BATS_FILE_TMPDIR/npm.log")"
	fi
	# one store of test secrets, copied into each test's home
	export STRIPE DBPASS TOKEN SHARED_HOME=$BATS_FILE_TMPDIR/home
	STRIPE=sk_test_51Mcp$(openssl rand -hex 10)
	DBPASS=Pg-$(openssl rand -hex 8)
	TOKEN=tok_$(openssl rand -hex 12)
	(
		secenv_user_env
		PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
		export SECENV_HOME=$SHARED_HOME XDG_RUNTIME_DIR=$BATS_FILE_TMPDIR/run
		unset SECENV_BACKEND
		mkdir -m 0700 "$XDG_RUNTIME_DIR"
		secenv init >/dev/null
		secenv_put shop STRIPE_SECRET_KEY "$STRIPE"
		secenv_put shop DATABASE_URL "postgresql://app:$DBPASS@db.example.com:5432/shop"
		secenv_put shop API_TOKEN "$TOKEN"
	)
	# one client process answers every test's scenarios (client), with
	# the SDK loaded once; it ends with this file's run
	if [[ -z $MCP_NPM_SKIP ]]; then
		fifo_server_start "$BATS_FILE_TMPDIR/client" \
			node "$M/client.mjs" serve "$BATS_FILE_TMPDIR/client" $$
	fi
}

teardown_file() {
	fifo_server_stop "$BATS_FILE_TMPDIR/client"
}

setup() {
	secenv_test_env
	secenv_user_env
	cp -a "$SHARED_HOME" "$SECENV_HOME"
	WORK=$BATS_TEST_TMPDIR/work
	mkdir -p "$WORK/sub"
	export SECENV_MCP_ARGS=$'-p\nshop\n-C\n'"$WORK"$'\n-t\n20'
}

sdk_require() {
	[[ -z $MCP_NPM_SKIP ]] || skip "$MCP_NPM_SKIP"
}

# client SCENARIO ARG...: the SDK client against `secenv mcp`, as `node
# client.mjs SCENARIO ARG...` run here (this environment and directory):
# asked of setup_file's client process (client.mjs serve) through its
# FIFOs by the shell alone; its output on stdout, the server's stderr on
# stderr, its status returned. Fails if that process ends first.
client() {
	local server answers requests names name id=$BATS_TEST_NUMBER.$BASHPID field part=""
	local -a answer
	read -r server <"$BATS_FILE_TMPDIR/client/pid"
	# the environment's names, by the shell alone
	compgen -e >"$BATS_TEST_TMPDIR/.client-env"
	mapfile -t names <"$BATS_TEST_TMPDIR/.client-env"
	# read and write: neither open waits for the client process
	exec {answers}<>"$BATS_FILE_TMPDIR/client/answers" {requests}<>"$BATS_FILE_TMPDIR/client/requests"
	{
		printf '%s\0' "$id" "$PWD" "$#"
		for field in "$@"; do
			printf '%s\0' "$field"
		done
		printf '%s\0' "${#names[@]}"
		for name in "${names[@]}"; do
			printf '%s=%s\0' "$name" "${!name}"
		done
	} >&"$requests"
	exec {requests}>&-
	# the answer to this request (one left by a test that ended before
	# reading its own is skipped): id, status, stdout, stderr
	until [[ ${answer[0]-} == "$id" && ${#answer[@]} -eq 4 ]]; do
		[[ ${#answer[@]} -lt 4 ]] || answer=()
		if IFS= read -r -d '' -t 1 -u "$answers" field; then
			answer+=("$part$field")
			part=""
		else
			# (what came before the timeout begins the field)
			part+=$field
			kill -0 "$server" 2>/dev/null ||
				fail "the client process ended: $(cat "$BATS_FILE_TMPDIR/client/log")"
		fi
	done
	exec {answers}<&-
	printf '%s' "${answer[2]}"
	printf '%s' "${answer[3]}" >&2
	return "${answer[1]}"
}

refute_secrets() {
	refute_secret "$STRIPE"
	refute_secret "$DBPASS"
	refute_secret "$TOKEN"
}

# the last audit record
last_record() {
	tail -n 1 "$SECENV_HOME/audit.log"
}

@test "initialize and tools/list: the three tools with their schemas" {
	sdk_require
	run --separate-stderr client tools
	assert_success
	assert_equal "$(jq -c .server <<<"$output")" '{"name":"secenv-mcp","title":"secenv","version":"1.0.0"}'
	assert_equal "$(jq -c .capabilities <<<"$output")" '{"tools":{"listChanged":false}}'
	assert_equal "$(jq -c '.tools[0]' <<<"$output")" \
		'{"name":"run_command","required":["command"],"properties":["command","cwd","timeout_seconds"],"output":["return_code","security_blocked","timed_out","masks","env_count","duration_ms","stdout_truncated","stderr_truncated"]}'
	assert_equal "$(jq -c '.tools[1]' <<<"$output")" '{"name":"read_file","required":["path"],"properties":["path"],"output":null}'
	assert_equal "$(jq -c '.tools[2]' <<<"$output")" '{"name":"list_secrets","required":[],"properties":[],"output":["names"]}'
	assert_equal "$stderr" "secenv-mcp: client secenv-tests, protocol 2025-11-25"
}

@test "run_command: a Python and a Node program print secrets; all masked, the marker shown; recorded via mcp" {
	sdk_require
	run --separate-stderr client call run_command \
		"{\"command\":\"python3 $M/print_secrets.py && node $M/print_secrets.js\"}"
	assert_success
	refute_secrets
	assert_equal "$(jq -r '.content[0].text' <<<"$output")" "$(printf '%s\n' \
		'Stripe initialized with key: sk_test_***REDACTED***' \
		'token: ***REDACTED***' \
		'{"config":{"token":"***REDACTED***"}}')"
	assert_equal "$(jq -r '.content[1].text' <<<"$output")" \
		"$(printf '[stderr]\nconnecting to postgresql://app:***REDACTED***@db.example.com:5432/shop')"
	assert_equal "$(jq -c '.structuredContent | [.return_code, .security_blocked, .timed_out, .env_count, .masks, .stdout_truncated]' <<<"$output")" \
		'[0,false,false,3,{"API_TOKEN":2,"DATABASE_URL":1,"STRIPE_SECRET_KEY":1},false]'
	assert_equal "$(jq -c .isError <<<"$output")" false
	# the record of the run says how it came, and from which client
	assert_equal "$(last_record | jq -c '[.event, .via, .client, .exit, .masks.API_TOKEN]')" \
		'["run","mcp",{"name":"secenv-tests","version":"1.2.3"},0,2]'
	run auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
}

@test "run_command: printenv is refused: a result with isError and the guard's reason, recorded" {
	sdk_require
	run --separate-stderr client call run_command '{"command":"printenv"}'
	assert_success
	refute_secrets
	assert_equal "$(jq -c '[.isError, .content[0].text, .structuredContent.security_blocked, .structuredContent.return_code]' <<<"$output")" \
		'[true,"cmdguard: denied: printenv is denied by the policy\n",true,1]'
	assert_equal "$(last_record | jq -c '[.event, .verdict, .via, .command]')" '["blocked","denied","mcp","printenv"]'
}

@test "run_command: timeout_seconds stops the command (124, timed_out); more than -t is refused" {
	sdk_require
	run --separate-stderr client calls '[["run_command", {"command": "sleep 60", "timeout_seconds": 1}],
		["run_command", {"command": "true", "timeout_seconds": 21}]]'
	assert_success
	assert_equal "$(jq -c '.[0].structuredContent | [.return_code, .timed_out]' <<<"$output")" '[124,true]'
	assert_equal "$(jq -r '.[0].content[1].text' <<<"$output")" \
		"$(printf "[stderr]\nsecenv: run: timed out after 1s; the command's process group was killed")"
	assert_equal "$(jq -c '.[1] | [.isError, .content[0].text]' <<<"$output")" \
		'[true,"run_command: \"timeout_seconds\" must be an integer from 1 to 20"]'
}

@test "a cancelled call: the command's process group is gone, the run recorded as interrupted" {
	sdk_require
	local marker=mcp-cancel-$RANDOM$RANDOM
	# started: the inner shell, whose command line is the command's own
	CANCEL_COMMAND="sh -c 'sleep 300; :' $marker" CANCEL_MARKER=$marker \
		CANCEL_STARTED="^sh -c sleep 300; : $marker\$" \
		run --separate-stderr client cancel
	assert_success
	assert_equal "$output" '{"started":true,"result":"aborted","gone":true,"after":"still here\n"}'
	# the command's shells (the run's keeper, a fork with its command
	# line, may still be syncing the audit anchor after the run ends)
	run pgrep -f "^sh -c .*$marker"
	assert_failure
	assert_equal "$(jq -c 'select(.intent == null) | select(.command | test("sleep 300")?) | [.event, .via, .interrupted]' "$SECENV_HOME/audit.log")" \
		'["run","mcp","SIGTERM"]'
	# the cancellation itself, by the server: the tool, the request, who
	assert_equal "$(jq -c 'select(.event == "cancel") | [.project, .tool, .request, .exit, .via, .client]' "$SECENV_HOME/audit.log")" \
		'["shop","run_command",1,143,"mcp",{"name":"secenv-tests","version":"1.2.3"}]'
	run auditlog verify -f "$SECENV_HOME/audit.log"
	assert_success
	[[ $stderr == *$'\nsecenv-mcp: call 1 cancelled by the client; stopping it\n'* ]] ||
		fail "no message of the cancellation: $stderr"
}

@test "read_file: a file shows masked; .env, a way out through .. and a symbolic link are refused" {
	sdk_require
	printf 'stripe=%s\n' "$STRIPE" >"$WORK/sub/config.txt"
	printf 'STRIPE_SECRET_KEY=%s\n' "$STRIPE" >"$WORK/.env"
	printf 'outside %s\n' "$TOKEN" >"$BATS_TEST_TMPDIR/outside.txt"
	ln -s ../outside.txt "$WORK/link.txt"
	run --separate-stderr client calls '[["read_file", {"path": "sub/config.txt"}],
		["read_file", {"path": ".env"}], ["read_file", {"path": "../outside.txt"}],
		["read_file", {"path": "link.txt"}]]'
	assert_success
	refute_secrets
	assert_equal "$(jq -c '.[0] | [.isError, .content[0].text, .structuredContent.masks.STRIPE_SECRET_KEY]' <<<"$output")" \
		'[false,"stripe=sk_test_***REDACTED***\n",1]'
	assert_equal "$(jq -c '.[1] | [.isError, .content[0].text]' <<<"$output")" \
		"[true,\"read_file: .env: refused: reads protected path $WORK/.env\"]"
	assert_equal "$(jq -c '.[2] | [.isError, .content[0].text]' <<<"$output")" \
		'[true,"read_file: ../outside.txt: outside the working directory and the directories allowed for reading"]'
	assert_equal "$(jq -c '.[3] | [.isError, .content[0].text]' <<<"$output")" \
		'[true,"read_file: link.txt: outside the working directory and the directories allowed for reading"]'
	assert_equal "$(jq -c 'select(.via == "mcp" and .intent == null) | [.event, .verdict, .path]' "$SECENV_HOME/audit.log")" \
		"$(printf '%s\n' "[\"read\",\"allowed\",\"$WORK/sub/config.txt\"]" "[\"blocked\",\"denied\",\"$WORK/.env\"]")"
	# --allow-read opens one more directory, still masked
	SECENV_MCP_ARGS+=$'\n--allow-read\n'"$BATS_TEST_TMPDIR"
	run --separate-stderr client call read_file '{"path":"link.txt"}'
	assert_success
	refute_secrets
	assert_equal "$(jq -c '[.isError, .content[0].text]' <<<"$output")" '[false,"outside ***REDACTED***\n"]'
}

@test "run_command: cwd runs inside the directory; a way out is refused" {
	sdk_require
	ln -s / "$WORK/root"
	run --separate-stderr client calls '[["run_command", {"command": "pwd", "cwd": "sub"}],
		["run_command", {"command": "pwd", "cwd": "sub/../.."}], ["run_command", {"command": "pwd", "cwd": "root"}]]'
	assert_success
	assert_equal "$(jq -r '.[0].content[0].text' <<<"$output")" "$WORK/sub"
	assert_equal "$(jq -c '.[1] | [.isError, .content[0].text]' <<<"$output")" \
		'[true,"run_command: cwd sub/../..: outside the working directory"]'
	assert_equal "$(jq -c '.[2].content[0].text' <<<"$output")" '"run_command: cwd root: outside the working directory"'
}

@test "list_secrets: the names, never a value" {
	sdk_require
	run --separate-stderr client call list_secrets '{}'
	assert_success
	refute_secrets
	assert_equal "$(jq -c '[.isError, .content[0].text, .structuredContent]' <<<"$output")" \
		'[false,"API_TOKEN\nDATABASE_URL\nSTRIPE_SECRET_KEY\n",{"names":["API_TOKEN","DATABASE_URL","STRIPE_SECRET_KEY"]}]'
}

@test "20 calls at once: each answered with its own output, masked" {
	sdk_require
	run --separate-stderr client concurrent 20 "$M/numbered.py"
	assert_success
	refute_secrets
	assert_equal "$(jq -c 'map(.text) == [range(20) | "call \(.) key sk_test_***REDACTED***\n"]' <<<"$output")" true
	assert_equal "$(jq -c 'map([.return_code, .masks.STRIPE_SECRET_KEY, .isError]) | unique' <<<"$output")" '[[0,1,false]]'
	assert_equal "$(jq -c 'select(.via == "mcp" and .event == "run" and .intent == null)' "$SECENV_HOME/audit.log" | wc -l)" 20
}

@test "output beyond --max-output is cut after masking, with a marker" {
	sdk_require
	SECENV_MCP_ARGS+=$'\n--max-output\n1024'
	printf 'import os\nfor i in range(200):\n    print(i, os.environ["STRIPE_SECRET_KEY"])\n' >"$WORK/many.py"
	run --separate-stderr client call run_command '{"command":"python3 many.py"}'
	assert_success
	refute_secrets
	local text
	text=$(jq -r '.content[0].text' <<<"$output")
	# every line shown is whole or cut, never a piece of a value
	assert_equal "$(jq -c '.structuredContent | [.stdout_truncated, .masks.STRIPE_SECRET_KEY]' <<<"$output")" '[true,200]'
	[[ $text == *$'\n[secenv: output truncated: 1024 of '*' bytes shown]' ]] || fail "no truncation marker: ${text: -80}"
	assert_equal "$(head -n 1 <<<"$text")" "0 sk_test_***REDACTED***"
}

@test "protocol 2026-07-28: server/discover, per-request _meta, resultType; an unknown version is refused" {
	python3 - "$BATS_TEST_TMPDIR/in" <<-'EOF'
		import json, sys
		meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
		        "io.modelcontextprotocol/clientInfo": {"name": "stateless-client", "version": "9.9"},
		        "io.modelcontextprotocol/clientCapabilities": {}}
		msgs = [
		    {"jsonrpc": "2.0", "id": "d", "method": "server/discover", "params": {"_meta": meta}},
		    {"jsonrpc": "2.0", "id": "l", "method": "tools/list", "params": {"_meta": meta}},
		    {"jsonrpc": "2.0", "id": "c", "method": "tools/call",
		     "params": {"_meta": meta, "name": "run_command", "arguments": {"command": "echo hi"}}},
		    {"jsonrpc": "2.0", "id": "v", "method": "tools/list",
		     "params": {"_meta": dict(meta, **{"io.modelcontextprotocol/protocolVersion": "2099-01-01"})}},
		    {"jsonrpc": "2.0", "id": "k", "method": "tools/list",
		     "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}},
		    {"jsonrpc": "2.0", "id": "n", "method": "tools/list"},
		]
		with open(sys.argv[1], "w") as f:
		    for m in msgs:
		        f.write(json.dumps(m) + "\n")
	EOF
	run --separate-stderr secenv mcp -p shop -C "$WORK" <"$BATS_TEST_TMPDIR/in"
	assert_success
	local d
	d=$(jq -c 'select(.id == "d") | .result | [.resultType, .supportedVersions, .capabilities, ._meta["io.modelcontextprotocol/serverInfo"].name]' <<<"$output")
	assert_equal "$d" '["complete",["2026-07-28","2025-11-25","2025-06-18"],{"tools":{"listChanged":false}},"secenv-mcp"]'
	assert_equal "$(jq -c 'select(.id == "l") | [.result.resultType, (.result.tools | map(.name))]' <<<"$output")" \
		'["complete",["run_command","read_file","list_secrets"]]'
	assert_equal "$(jq -c 'select(.id == "c") | [.result.resultType, .result.content[0].text]' <<<"$output")" '["complete","hi\n"]'
	assert_equal "$(jq -c 'select(.id == "v") | .error' <<<"$output")" \
		'{"code":-32022,"message":"unsupported protocol version","data":{"supported":["2026-07-28"],"requested":"2099-01-01"}}'
	assert_equal "$(jq -c 'select(.id == "k") | .error.code' <<<"$output")" -32602
	assert_equal "$(jq -c 'select(.id == "n") | .error.code' <<<"$output")" -32600
	assert_equal "$(last_record | jq -c '[.via, .client]')" '["mcp",{"name":"stateless-client","version":"9.9"}]'
}

@test "10,000 malformed and hostile messages: each answered with the right error or ignored; no crash, no value" {
	python3 "$M/hostile.py" "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/expected" "$M"
	run --separate-stderr secenv mcp -p shop -C "$WORK" <"$BATS_TEST_TMPDIR/in"
	assert_success
	refute_secrets
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	run python3 "$M/hostile.py" --check "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/expected"
	assert_success
	assert_output --regexp '^ok: 10[0-9]{3} messages, [0-9]+ answers as expected$'
}

@test "secenv mcp: usage errors before any message" {
	run --separate-stderr secenv mcp
	assert_failure 100
	assert_equal "$stderr" "$(printf '%s\n' 'secenv-mcp: no project (-p PROJECT or SECENV_PROJECT)' \
		'usage: secenv mcp -p PROJECT [-C DIR] [-t SECONDS] [--allow-read DIR]... [--max-output BYTES] [--max-message BYTES] [--max-calls N]')"
	run --separate-stderr secenv mcp -p shop -t 0
	assert_failure 100
	assert_equal "${stderr%%$'\n'*}" 'secenv-mcp: -t: not a number from 1 to 9999999: 0'
	run --separate-stderr secenv mcp -p shop -C "$BATS_TEST_TMPDIR/none"
	assert_failure 111
	assert_equal "$stderr" "secenv-mcp: -C $BATS_TEST_TMPDIR/none: No such file or directory"
	run --separate-stderr secenv mcp -p ../x
	assert_failure 100
}

# ------------------------------------------------- JSON from every verb

@test "--json: set, import, list, rm, revoke, unrevoke, audit and audit verify each print one object" {
	run --separate-stderr secenv set -p shop --json NEW_KEY <<<"nk-$TOKEN"
	assert_success
	assert_equal "$output" '{"event":"set","project":"shop","secrets":["NEW_KEY"]}'
	run --separate-stderr secenv import -p shop --json <<<"IMPORTED=imp-$TOKEN"
	assert_success
	assert_equal "$output" '{"event":"import","project":"shop","secrets":["API_TOKEN","DATABASE_URL","IMPORTED","NEW_KEY","STRIPE_SECRET_KEY"]}'
	run --separate-stderr secenv list -p shop --json
	assert_success
	refute_secrets
	assert_equal "$(jq -c '[.project, (.secrets | map([.name, .versions]))]' <<<"$output")" \
		'["shop",[["API_TOKEN",1],["DATABASE_URL",1],["IMPORTED",1],["NEW_KEY",1],["STRIPE_SECRET_KEY",1]]]'
	assert_equal "$(jq -r '.secrets[0].changed' <<<"$output")" "$(secenv list -p shop | cut -f3 | head -n 1)"
	run --separate-stderr secenv rm -p shop --json IMPORTED
	assert_success
	assert_equal "$output" '{"event":"rm","project":"shop","secrets":["IMPORTED"]}'
	run --separate-stderr secenv revoke -p shop --json
	assert_success
	assert_equal "$output" '{"event":"revoke","project":"shop","stopped":0}'
	run --separate-stderr secenv unrevoke -p shop --json
	assert_success
	assert_equal "$output" '{"event":"unrevoke","project":"shop"}'
	run --separate-stderr secenv audit -p shop --json
	assert_success
	# an owner's change is written ahead (intent) and closed (outcome_of)
	assert_equal "$(jq -c '.records | map(.event + (if .intent then ":intent" elif .outcome_of then ":outcome" else "" end))' <<<"$output")" \
		'["set:intent","set:outcome","set:intent","set:outcome","set:intent","set:outcome","set:intent","set:outcome","import:intent","import:outcome","rm:intent","rm:outcome","revoke","unrevoke:intent","unrevoke:outcome"]'
	run --separate-stderr secenv audit --json verify
	assert_success
	assert_equal "$output" "{\"log\":\"$SECENV_HOME/audit.log\",\"sound\":true,\"records\":15,\"report\":\"$SECENV_HOME/audit.log: sound: 15 records, seq 1 to 15\"}"
	refute_secret "nk-$TOKEN"
	refute_secret "imp-$TOKEN"
}

@test "--json: a failure is {error, status} on stdout with the exit table's status" {
	run --separate-stderr secenv list --json
	assert_failure 100
	assert_equal "$output" '{"error":"secenv: list: no project (-p PROJECT or SECENV_PROJECT)","status":100}'
	run --separate-stderr secenv set -p shop --json 'bad-name' <<<"x-$TOKEN"
	assert_failure 100
	assert_equal "$output" '{"error":"vaultfetch: bad secret name \"bad-name\": must match [A-Za-z_][A-Za-z0-9_]* (at most 255 characters)","status":100}'
	refute_secret "x-$TOKEN"
	run --separate-stderr secenv rm -p shop --json NOPE
	assert_failure 100
	assert_equal "$output" '{"error":"vaultfetch: project shop: no secret named NOPE","status":100}'
	run --separate-stderr secenv init --json
	assert_failure 100
	assert_equal "$output" '{"error":"secenv: init: unknown option: --json","status":100}'
	SECENV_AUDIT_LOG=$BATS_TEST_TMPDIR/none.log run --separate-stderr secenv audit --json verify
	assert_failure 111
	assert_equal "$output" "{\"error\":\"auditlog: $BATS_TEST_TMPDIR/none.log: No such file or directory\",\"status\":111}"
	# a fault the verification finds is its "no": status 1
	sed -i '2s/"set"/"sat"/' "$SECENV_HOME/audit.log"
	run --separate-stderr secenv audit --json verify
	assert_failure 1
	assert_equal "$output" "{\"log\":\"$SECENV_HOME/audit.log\",\"sound\":false,\"error\":\"auditlog: $SECENV_HOME/audit.log: line 2: record edited: its hash does not match its content\",\"status\":1}"
}

@test "TERM to the server stops the calls in flight; it exits 0 without answering them" {
	local marker=mcp-term-$RANDOM$RANDOM
	mkfifo "$BATS_TEST_TMPDIR/in"
	secenv mcp -p shop -C "$WORK" <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local server=$! waited=0 writer
	exec {writer}>"$BATS_TEST_TMPDIR/in" # (bats keeps 3 for itself)
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' \
		"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"run_command\",\"arguments\":{\"command\":\"sh -c 'sleep 300; :' $marker\"}}}" >&"$writer"
	# readiness, not a time limit
	until pgrep -f "sleep 300; :' $marker" >/dev/null; do
		sleep 0.1
		waited=$((waited + 1))
		((waited < 600)) || fail "the command never started"
	done
	kill -TERM "$server"
	local status=0
	wait "$server" || status=$?
	exec {writer}>&-
	assert_equal "$status" 0
	run pgrep -f "sleep 300; :' $marker"
	assert_failure
	# initialize's answer only: the stopped call is not answered
	assert_equal "$(jq -c '.id' "$BATS_TEST_TMPDIR/out")" 1
	assert_equal "$(grep -c 'secenv-mcp: SIGTERM: stopping the calls in flight' "$BATS_TEST_TMPDIR/err")" 1
	assert_equal "$(jq -c 'select(.event == "cancel") | [.tool, .request, .client.name]' "$SECENV_HOME/audit.log")" '["run_command",2,"t"]'
}
