#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# redact: the forms database drivers, ORMs and query builders print a
# value in, each printed by the real library: a statement's literal
# inside another literal (an error's repr() or util.inspect), JSON inside
# SQL literals that escape a backslash, and a parameter's repr() cut.
# The node programs come from tests/fixtures/redact/sql (npm ci from its
# lock file; the test skips with the reason when the registry cannot be
# reached); MariaDB's server is started for the test that needs one.

load helpers/common
load helpers/mariadb
bats_require_minimum_version 1.5.0

setup() {
	secenv_test_env
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	md_stop
}

SQL="$BATS_TEST_DIRNAME/fixtures/redact/sql"

# node_programs: the fixture's packages, or skip
node_programs() {
	if [[ ! -f $SQL/node_modules/mysql2/package.json || ! -f $SQL/node_modules/knex/package.json ]] &&
		! timeout 300 npm ci --prefix "$SQL" --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1; then
		skip "npm ci failed (registry unreachable?): $(tail -1 npm.log)"
	fi
}

@test "SQLAlchemy's echo log cuts a long parameter's repr() with ' ... (N characters truncated)': 14 characters of a value before it masked, escaped or { first" {
	# the blank before the dots was no cut mark: a piece with an escape
	# in it (\\) and no 12 raw bytes showed; and a value that begins with
	# { or [ was taken for JSON text and gave no pieces at all
	export A='VE{|`\Q`XTV2-D=U{e_Y' B='{Kx9#mQ2$vL8@pR4&nT6' C=$'Oi"QWO3.r\'x4H.+@qXgI'
	FORMS_NAMES=A,B,C /usr/bin/python3 "$SQL/sqlalchemy_cut.py" >plain
	grep -qF 'API_KEY=VE{|`\\Q`XTV2-D ... (' plain || fail "sqlalchemy: $(cat plain)"
	grep -qF 'API_KEY={Kx9#mQ2$vL8@p ... (' plain || fail "sqlalchemy: $(cat plain)"
	mask_plain A,B,C "API_KEY=Oi\"QWO3.r\\'x4H. ... ("
	run grep -o 'API_KEY=.* \.\.\. (' <<<"$output"
	assert_output 'API_KEY=***REDACTED*** ... (
API_KEY=***REDACTED*** ... (
API_KEY=***REDACTED*** ... ('
}

@test "Django's connection.queries: a statement's SQL literal ('' doubled) in a dict's repr() (\\'\\'), masked" {
	# an SQL literal inside a string literal was no form: a password
	# whose ' cut it into runs under 12 showed whole
	export A="zl<nbK#30u'hbUH#F4K-" B=$'OiQWO3.r"x4\'H.+@q\\gI'
	FORMS_NAMES=A,B /usr/bin/python3 "$SQL/django_queries.py" >plain
	mask_plain A,B "\\'zl<nbK#30u\\'\\'hbUH#F4K-\\'"
	assert_output "{'sql': 'INSERT INTO \"api_key\" (\"name\", \"secret\") VALUES (\\'stripe\\', \\'***REDACTED***\\')'}
{'sql': 'INSERT INTO \"api_key\" (\"name\", \"secret\") VALUES (\\'stripe\\', \\'***REDACTED***\\')'}"
}

@test "int()'s ValueError holds a value's repr(): logged with %r and printed in a list (repr() in repr(): \\\\\\'), masked" {
	export A="zl<nbK#30u'hbUH#F4K-" B=$'OiQWO3.r"x4\'H.+@q\\gI'
	FORMS_NAMES=A,B /usr/bin/python3 "$SQL/int_error.py" >plain
	mask_plain A,B "OiQWO3.r\"x4\\\\\\'H.+@q\\\\\\\\gI"
	assert_output "ERROR bad setting A: ValueError('invalid literal for int() with base 10: \"***REDACTED***\"')
[ValueError('invalid literal for int() with base 10: \"***REDACTED***\"')]
ERROR bad setting B: ValueError('invalid literal for int() with base 10: \\'***REDACTED***\\'')
[ValueError('invalid literal for int() with base 10: \\'***REDACTED***\\'')]"
}

@test "Knex's toString() of a JSON column's insert: JSON in PostgreSQL's E'' and in MySQL's escapes, masked" {
	# JSON inside SQL was masked only in literals that double their
	# quote alone
	node_programs
	export A=$'@$Qmt\'*[KP$ku"ktut7c' B=$'UbCojmFi@U\'\\!uDLz@1m'
	FORMS_NAMES=A,B node "$SQL/print.js" knex >plain
	mask_plain A,B $'E\'{"apiKey":"@$Qmt\'\'*[KP$ku\\\\"ktut7c"'
	assert_output "insert into \"integrations\" (\"name\", \"settings\") values ('stripe', E'{\"apiKey\":\"***REDACTED***\",\"mode\":\"live\"}')
insert into \"integrations\" (\"name\", \"settings\") values ('stripe', E'{\"apiKey\":\"***REDACTED***\",\"mode\":\"live\"}')
insert into \`integrations\` (\`name\`, \`settings\`) values ('stripe', '{\\\"apiKey\\\":\\\"***REDACTED***\\\",\\\"mode\\\":\\\"live\\\"}')
insert into \`integrations\` (\`name\`, \`settings\`) values ('stripe', '{\\\"apiKey\\\":\\\"***REDACTED***\\\",\\\"mode\\\":\\\"live\\\"}')"
}

@test "mysql2's query error printed by console.error (a real MariaDB server): its sql, the value in MySQL's escapes inside util.inspect's literal, masked" {
	# MySQL's escapes inside a string literal were no form: a password
	# whose ' or \" cut it into runs under 12 showed whole (7% of random
	# 20-character passwords)
	node_programs
	md_start || { [[ -n $MD_SKIP ]] && skip "$MD_SKIP"; fail "$MD_ERROR"; }
	export A=$'@$Qmt\'*[KP$ku"ktut7c' B=$'%swwK!^|jF\'r]B{:K=|S'
	FORMS_NAMES=A,B MYSQL_SOCKET=$MD_SOCKET node "$SQL/print.js" mysql2 >plain 2>&1
	mask_plain A,B "sql: \`INSERT INTO api_tokens (token) VALUES ('@\$Qmt\\\\'*[KP\$ku\\\\\"ktut7c')\`"
	run grep -F 'sql:' <<<"$output"
	assert_output "  sql: \`INSERT INTO api_tokens (token) VALUES ('***REDACTED***')\`
  sql: \"INSERT INTO api_tokens (token) VALUES ('***REDACTED***')\""
	run redact -e A,B <plain
	refute_output --partial 'KP$ku'
	refute_output --partial 'r]B{:K'
	assert_equal "$(grep -c "Table 'app.api_tokens' doesn't exist" <<<"$output")" 4
}
