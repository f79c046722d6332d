#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# secenv audit report and secenv audit alerts: the page made from a log of
# real runs (read back through headless Chromium) and each alert rule.

bats_require_minimum_version 1.5.0
load helpers/common

SECRET=sk_test_Rp4Lq9Zx2Wc7Vb1Nm8Ks3Dj6
HOSTILE_SCRIPT='<script>alert(1)</script>'
HOSTILE_IMG='"><img src=x onerror=alert(2)>'

# write_apps DIR: key.py N prints the Stripe key N times, as an app's
# debug output would.
write_apps() {
	printf '%s\n' 'import os, sys' \
		'for _ in range(int(sys.argv[1])): print("key:", os.getenv("STRIPE_SECRET_KEY"))' \
		>"$1/key.py"
}

# A log made the way users make one: allowed runs that print the key,
# a timeout, refusals (some with hostile text), a read, a revocation.
setup_file() {
	BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR secenv_test_env
	secenv_user_env
	secenv init >/dev/null
	write_apps "$BATS_FILE_TMPDIR"
	cd "$BATS_FILE_TMPDIR"
	printf '%s' "$SECRET" | secenv set -p shop STRIPE_SECRET_KEY
	printf 'postgres://app:pw_Hk2Jd9Lq4Wz8@db/app' | secenv set -p shop DATABASE_URL
	printf 'ghp_0123456789abcdefABCDEF0123456789abcd' | secenv set -p ci GITHUB_TOKEN
	local i
	for i in 1 2 3; do
		secenv run -p shop -- 'python3 key.py 1' >/dev/null
	done
	secenv run -p ci -- 'echo "<script>not markup</script>"' >/dev/null
	secenv run -p shop -t 1 -- 'sleep 5' >/dev/null 2>&1 || true
	secenv run -p shop -- printenv >/dev/null 2>&1 || true
	secenv run -p shop -- 'cat .env' >/dev/null 2>&1 || true
	secenv run -p shop -- "printenv '$HOSTILE_SCRIPT'" >/dev/null 2>&1 || true
	secenv run -p shop -- "printenv '$HOSTILE_IMG'" >/dev/null 2>&1 || true
	secenv run -p shop -- $'printenv \a\x1b[31mred \xff\xfe' >/dev/null 2>&1 || true
	secenv read -p shop .env >/dev/null 2>&1 || true
	secenv revoke -p ci >/dev/null 2>&1
	secenv run -p ci -- true >/dev/null 2>&1 || true
	secenv unrevoke -p ci >/dev/null 2>&1
	printf 'sk_test_Rotated9Xc4Vb7Nm2Kd5Lq8' | secenv set -p shop STRIPE_SECRET_KEY
	REPORT="$BATS_FILE_TMPDIR/report.html"
	export REPORT
	secenv audit report -o "$REPORT" >/dev/null 2>&1
}

setup() {
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	unset SECENV_PROJECT SECENV_FETCH_LIMIT
	LOG="$SECENV_HOME/audit.log"
}

# chromium_run ARGS...: headless Chromium on a page of this machine only.
chromium_run() {
	command -v chromium >/dev/null || skip "chromium not installed (make deps)"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions \
		--user-data-dir="$BATS_TEST_TMPDIR/chromium" "$@" 2>/dev/null
}

# jq_count FILTER: how many records of the log match a jq select (a
# run's or read's intent is counted by its outcome).
jq_count() {
	jq -s "[.[] | select(.intent == null and ($1))] | length" "$LOG"
}

@test "report writes one page with every section, nothing to load and no script" {
	run --separate-stderr secenv audit report -o "$BATS_TEST_TMPDIR/r.html"
	assert_success
	[ -z "$output" ]
	[ -z "$stderr" ]
	local page="$BATS_TEST_TMPDIR/r.html" id
	for id in integrity summary timeline secrets denials changes alerts; do
		grep -q "<section id=\"$id\">" "$page" || fail "no section $id"
	done
	run grep -ci '<script' "$page"
	assert_output 0
	run grep -ciE '(src|href)="?(https?:|//)|url\((https?:|//)|@import' "$page"
	assert_output 0
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$page"
	grep -qF '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;' "$page"
	run grep -c 'class="banner"' "$page"
	assert_output 0
	run grep -cF "$SECRET" "$page"
	assert_output 0
}

@test "the page's figures, read back from Chromium's DOM, are the log's (jq)" {
	chromium_run --dump-dom "file://$REPORT" >"$BATS_TEST_TMPDIR/dom.html"
	python3 "$SECENV_SRC/tests/tools/report_dom.py" <"$BATS_TEST_TMPDIR/dom.html" \
		>"$BATS_TEST_TMPDIR/facts"
	local facts="$BATS_TEST_TMPDIR/facts" p want
	grep -qx 'tag section 7' "$facts" || fail "$(cat "$facts")"
	grep -qx 'tag script 0' "$facts"
	grep -qx 'tag img 0' "$facts"
	for p in shop ci; do
		want=$(jq_count ".project == \"$p\" and .event == \"run\"")
		grep -qx "summary $p runs $want" "$facts" || fail "runs of $p: want $want"
		want=$(jq_count ".project == \"$p\" and .event == \"blocked\"")
		grep -qx "summary $p refusals $want" "$facts" || fail "refusals of $p: want $want"
		want=$(jq_count ".project == \"$p\" and .event == \"error\"")
		grep -qx "summary $p errors $want" "$facts" || fail "errors of $p: want $want"
		want=$(jq_count ".project == \"$p\" and .event == \"revoke\"")
		grep -qx "summary $p revocations $want" "$facts"
	done
	grep -qx 'summary shop runs 4' "$facts"
	grep -qx 'summary shop refusals 6' "$facts"
	grep -qx 'summary shop timeouts 1' "$facts"
	grep -qx 'summary ci errors 1' "$facts"
	want=$(jq -s '[.[] | select(.project == "shop") | .masks.STRIPE_SECRET_KEY // 0] | add' "$LOG")
	[ "$want" -ge 3 ]
	grep -qx "secrets STRIPE_SECRET_KEY masks $want" "$facts"
	want=$(jq_count '.project == "shop" and (.event == "run" or .event == "read") and ((.secrets // []) | index("STRIPE_SECRET_KEY"))')
	grep -qx "secrets STRIPE_SECRET_KEY injected $want" "$facts"
	# hostile texts are shown as text, whole
	grep -qF "$HOSTILE_SCRIPT" "$facts"
	grep -qF "$HOSTILE_IMG" "$facts"
	grep -qF 'printenv \x07\x1B[31mred' "$facts"
	grep -qF $'\xef\xbf\xbd' "$facts"
	run grep -cF "$SECRET" "$BATS_TEST_TMPDIR/dom.html"
	assert_output 0
}

@test "screenshots at 1280 and 390 pixels wide (kept under build/artifacts)" {
	local dir="$SECENV_SRC/build/artifacts" width
	mkdir -p "$dir"
	for width in 1280 390; do
		rm -f "$dir/audit-report-$width.png"
		chromium_run --hide-scrollbars --window-size="$width,2400" \
			--screenshot="$dir/audit-report-$width.png" "file://$REPORT" >/dev/null
		[ -s "$dir/audit-report-$width.png" ] || fail "no screenshot at $width"
		run python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(d[:8]==b"\x89PNG\r\n\x1a\n", struct.unpack(">I", d[16:20])[0])' \
			"$dir/audit-report-$width.png"
		assert_output "True $width"
	done
}

@test "a tampered log: the page carries a red banner naming the first bad line, exit 1" {
	local home="$BATS_TEST_TMPDIR/copy"
	cp -a "$SECENV_HOME" "$home"
	sed -i '0,/printenv is denied/s//printenv was denied/' "$home/audit.log"
	SECENV_HOME="$home" run --separate-stderr secenv audit report -o "$BATS_TEST_TMPDIR/t.html"
	assert_failure 1
	grep -q '<div class="banner" id="banner" role="alert">UNSOUND' "$BATS_TEST_TMPDIR/t.html"
	grep -q 'audit.log: line [0-9]*:' "$BATS_TEST_TMPDIR/t.html"
	SECENV_HOME="$home" run --separate-stderr secenv audit alerts
	assert_failure 111
	assert_output --regexp ' chain-unsound: the audit chain does not verify: .*audit.log: line [0-9]+'
}

@test "report: -o is required; bad times and projects are usage errors" {
	run --separate-stderr secenv audit report
	assert_failure 100
	assert_equal "$stderr" "auditlog: report: -o FILE.html is required"
	run --separate-stderr secenv audit report --since yesterday -o "$BATS_TEST_TMPDIR/x.html"
	assert_failure 100
	assert_equal "$stderr" "auditlog: --since: not a time: yesterday"
	run --separate-stderr secenv audit -p '../x' report -o "$BATS_TEST_TMPDIR/x.html"
	assert_failure 100
	[ ! -e "$BATS_TEST_TMPDIR/x.html" ]
}

@test "report --since and -p choose the records" {
	run secenv audit report --since 1h --until 2099-01-01 -p ci -o "$BATS_TEST_TMPDIR/c.html"
	assert_success
	grep -q 'data-project="ci"' "$BATS_TEST_TMPDIR/c.html"
	run grep -c 'data-project="shop"' "$BATS_TEST_TMPDIR/c.html"
	assert_output 0
	run secenv audit report --since 2099-01-01 -o "$BATS_TEST_TMPDIR/e.html"
	assert_success
	grep -q '0 records in range' "$BATS_TEST_TMPDIR/e.html"
}

# --- the alert rules: each with a log that triggers it and one that does not.

# alerts_home: a fresh home with one secret, for one rule's log.
alerts_home() {
	export SECENV_HOME="$BATS_TEST_TMPDIR/home"
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 0700 "$XDG_RUNTIME_DIR"
	secenv init >/dev/null
	printf '%s' "$SECRET" | secenv set -p p1 STRIPE_SECRET_KEY
	printf 'change_hours = 0-24\nchange_days = sun-sat\n' >"$SECENV_HOME/alerts.conf"
}

refuse() { # refuse N
	local i
	for ((i = 0; i < $1; i++)); do
		secenv run -p p1 -- printenv >/dev/null 2>&1 || true
	done
}

@test "alert refusal-burst: five refusals within ten minutes, not four" {
	alerts_home
	refuse 4
	run --separate-stderr secenv audit alerts
	assert_success
	[ -z "$output" ]
	refuse 1
	run --separate-stderr secenv audit alerts
	assert_failure 1
	assert_output --regexp '^[0-9T:.-]+Z p1 refusal-burst: 5 refused commands or reads within 10 minutes$'
	[ "${#lines[@]}" -eq 1 ]
}

@test "alert mask-spike: a run far above the project's usual masks" {
	alerts_home
	printf 'change_hours = 0-24\nchange_days = sun-sat\nmask_spike_history = 3\nmask_spike_min = 5\nmask_spike_factor = 3\n' \
		>"$SECENV_HOME/alerts.conf"
	local i
	write_apps "$BATS_TEST_TMPDIR"
	cd "$BATS_TEST_TMPDIR"
	for i in 1 2 3 4; do
		secenv run -p p1 -- 'python3 key.py 1' >/dev/null
	done
	run --separate-stderr secenv audit alerts
	assert_success
	secenv run -p p1 -- 'python3 key.py 10' >/dev/null
	run --separate-stderr secenv audit alerts --json
	assert_failure 1
	run jq -r '.rule + " " + .project + " " + .finding' <<<"$output"
	assert_output 'mask-spike p1 a run masked 10 values, 3 times the project'"'"'s mean of 1.0'
}

@test "alert run-rate: more runs in an hour than allowed" {
	alerts_home
	printf 'change_hours = 0-24\nchange_days = sun-sat\nrun_rate_per_hour = 3\n' >"$SECENV_HOME/alerts.conf"
	local i
	for i in 1 2 3; do secenv run -p p1 -- true; done
	run --separate-stderr secenv audit alerts
	assert_success
	# seven runs: whatever clock hour they fall in, one hour has four
	for i in 4 5 6 7; do secenv run -p p1 -- true; done
	run --separate-stderr secenv audit alerts
	assert_failure 1
	assert_output --regexp ' p1 run-rate: more than 3 runs within the hour$'
}

@test "alert run-rate: the default follows SECENV_FETCH_LIMIT (80%)" {
	alerts_home
	local i
	for i in 1 2 3 4 5 6 7; do secenv run -p p1 -- true; done
	run secenv audit alerts
	assert_success
	SECENV_FETCH_LIMIT=4 run secenv audit alerts
	assert_failure 1
	assert_output --partial 'run-rate: more than 3 runs within the hour'
}

@test "alert revoked-run: a run while revoked, not after unrevoke" {
	alerts_home
	secenv revoke -p p1 >/dev/null 2>&1
	secenv unrevoke -p p1 >/dev/null 2>&1
	secenv run -p p1 -- true
	run --separate-stderr secenv audit alerts
	assert_success
	secenv revoke -p p1 >/dev/null 2>&1
	run secenv run -p p1 -- true
	assert_failure 111
	run --separate-stderr secenv audit alerts
	assert_failure 1
	assert_output --regexp ' p1 revoked-run: a run that failed while the project is revoked$'
}

@test "alert change-hours: secrets changed outside the usual hours" {
	alerts_home
	local h a b
	h=$((10#$(date -u +%H)))
	# a span that holds neither this hour nor the next
	if ((h <= 21)); then a=$((h + 2)) b=24; elif ((h == 22)); then a=0 b=22; else a=1 b=23; fi
	run secenv audit alerts
	assert_success
	printf 'change_hours = %s-%s\nchange_days = sun-sat\n' "$a" "$b" >"$SECENV_HOME/alerts.conf"
	run --separate-stderr secenv audit alerts
	assert_failure 1
	assert_output --regexp ' p1 change-hours: secrets changed \(set\) outside the usual hours$'
	printf 'change_hours = 0-24\nchange_days = mon\n' >"$SECENV_HOME/alerts.conf"
	[ "$(date -u +%a)" = Mon ] || {
		run secenv audit alerts
		assert_failure 1
	}
}

@test "alerts: a bad thresholds file is a usage error naming its line" {
	alerts_home
	printf '# thresholds\nrefusal_burst_count = 5\nchange_hours = 20-7\n' >"$SECENV_HOME/alerts.conf"
	run --separate-stderr secenv audit alerts
	assert_failure 100
	assert_equal "$stderr" "auditlog: $SECENV_HOME/alerts.conf: line 3: bad setting change_hours"
	printf 'nonsense\n' >"$SECENV_HOME/alerts.conf"
	run --separate-stderr secenv audit alerts
	assert_failure 100
	assert_equal "$stderr" "auditlog: $SECENV_HOME/alerts.conf: line 1: expected NAME = VALUE"
}
