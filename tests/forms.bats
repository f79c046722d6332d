#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Conformance: the forms real programs print a value in, each printed by
# the library that prints it (tests/forms/), none of them getting through
# `secenv run`, `redact -b` or `secenv read`. tests/forms/driver.py
# computes every form of every secret part independently of redact's code
# (and every 12 bytes of each string literal of a part of 16 bytes or
# more) once, in setup_file; each test runs its program plainly (it must
# print a form we model: a "case") and through `secenv run`, and masks the
# plain run's captured output with `redact -b` (the project's blob) and
# `secenv read` (no form in stdout or stderr, the marker line there, the
# same masks each way).
#
# The values are drawn afresh each run: a failure may hold only for the
# set drawn. SECENV_FORMS_FAILED=DIR keeps a failing set's values.json
# there, and SECENV_FORMS_VALUES=FILE makes setup replay it:
#   SECENV_FORMS_FAILED=/tmp/kept make check TESTS=tests/forms.bats
#   SECENV_FORMS_VALUES=/tmp/kept/values-N.json make check TESTS=tests/forms.bats

bats_require_minimum_version 1.5.0
load helpers/common

setup_file() {
	# the file's own home and runtime directory (there is no test
	# directory yet: without one they would be /home and /run, shared
	# with every other run on the machine)
	BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR secenv_test_env
	secenv_user_env
	export SECENV_HOME XDG_RUNTIME_DIR
	secenv init >/dev/null 2>&1
	/usr/bin/python3 "$SECENV_SRC/tests/forms/driver.py" setup "$BATS_FILE_TMPDIR" forms
	# one server checks every test's program with the forms read once
	# (reading them took a third of a check's CPU); it ends with this
	# file's run
	fifo_server_start "$BATS_FILE_TMPDIR" \
		/usr/bin/python3 "$SECENV_SRC/tests/forms/driver.py" serve "$BATS_FILE_TMPDIR" forms $$
}

teardown_file() {
	fifo_server_stop "$BATS_FILE_TMPDIR"
}

setup() {
	PATH="$SECENV_BIN:$SECENV_SRC/bin:$PATH"
	secenv_user_env
}

# form COMMAND: one program of tests/forms, every way (driver.py check,
# by setup_file's server); status and output as `run` sets them.
form() {
	fifo_server_ask "$BATS_FILE_TMPDIR" "$1"
	printf '%s\n' "$output"
	assert_success
}

@test "py_ascii: ascii() of a str (\\xfc, \\u20ac, \\U0001f600)" {
	form "/usr/bin/python3 py_ascii.py"
}

@test "py_base64: base64, standard and URL-safe" {
	form "/usr/bin/python3 py_base64.py"
}

@test "py_base64_mime: base64 wrapped at 76 (MIME)" {
	form "/usr/bin/python3 py_base64_mime.py"
}

@test "py_bytes_list: the list of a value's bytes" {
	form "/usr/bin/python3 py_bytes_list.py"
}

@test "py_protobuf: protobuf's text format of a string and a bytes field (both quotes escaped, octal bytes)" {
	form "/usr/bin/python3 py_protobuf.py"
}

@test "py_hex_text: hex of a value's UTF-16 (either order), of its Latin-1 bytes, of its first 30 bytes and of its bytes from the 9th" {
	form "/usr/bin/python3 py_hex_text.py"
}

@test "py_hex_list: a value's bytes as a list of hex strings (hex(b), pprint, json.dumps of \"%02x\")" {
	form "/usr/bin/python3 py_hex_list.py"
}

@test "py_hex_inline: a value's bytes as hex() after a text on its line ('0x73' in a list, 0x73 0x6b joined)" {
	form "/usr/bin/python3 py_hex_inline.py"
}

@test "py_hex_joined: a value's bytes as bare hex joined by \",\" and \", \" on a line of their own (bytes.hex(\",\"), Rust's {:x?})" {
	form "/usr/bin/python3 py_hex_joined.py"
}

@test "py_joined_bytes: bytes joined after a text, as Go's %v of a []byte ([115 107 95]) and BitConverter (73-6B-5F)" {
	form "/usr/bin/python3 py_joined_bytes.py"
}

@test "py_chars_list: list(s), the list of a value's characters, on a line of its own" {
	form "/usr/bin/python3 py_chars_list.py"
}

@test "py_numpy: numpy's arrays of a value's bytes and characters, print() and repr(), wrapped, a matrix's rows too" {
	form "/usr/bin/python3 py_numpy.py"
}

@test "py_chars_inline: list(s) after a text on its line, a tuple of it, and in a dict as repr() and json.dumps print it" {
	form "/usr/bin/python3 py_chars_inline.py"
}

@test "py_raw_unicode_escape: repr() of raw_unicode_escape bytes (\\xe9, \\\\u20ac)" {
	form "/usr/bin/python3 py_raw_unicode_escape.py"
}

@test "py_csv: csv.writer, quotes doubled" {
	form "/usr/bin/python3 py_csv.py"
}

@test "py_elementtree: an ElementTree attribute and text (US-ASCII: &#252;)" {
	form "/usr/bin/python3 py_elementtree.py"
}

@test "py_email_header: RFC 2047 encoded words (=?utf-8?q?...?=), folded" {
	form "/usr/bin/python3 py_email_header.py"
}

@test "py_email_header_b: RFC 2047 \"B\" encoded words (=?utf-8?b?...?=), a long value over several" {
	form "/usr/bin/python3 py_email_header_b.py"
}

@test "py_hex: bytes.hex() plain, with a space and with a colon" {
	form "/usr/bin/python3 py_hex.py"
}

@test "py_hex_groups: bytes.hex() and memoryview.hex() grouped by 2, 4, 3 and 5 bytes" {
	form "/usr/bin/python3 py_hex_groups.py"
}

@test "py_html_escape: html.escape: &quot; &#x27;" {
	form "/usr/bin/python3 py_html_escape.py"
}

@test "py_jinja2: a Jinja2 template with autoescape" {
	form "/usr/bin/python3 py_jinja2.py"
}

@test "py_json_ascii: json.dumps, ensure_ascii on (the default)" {
	form "/usr/bin/python3 py_json_ascii.py"
}

@test "py_json_bytes: json.dumps(indent=2) of a value's bytes, one number a line" {
	form "/usr/bin/python3 py_json_bytes.py"
}

@test "py_json_indent: json.dumps(indent=2) of a parsed credential" {
	form "/usr/bin/python3 py_json_indent.py"
}

@test "py_json_twice: a JSON string inside a JSON string" {
	form "/usr/bin/python3 py_json_twice.py"
}

@test "py_json_utf8: json.dumps with ensure_ascii=False" {
	form "/usr/bin/python3 py_json_utf8.py"
}

@test "py_logging: logging of a dict (repr inside a log line)" {
	form "/usr/bin/python3 py_logging.py"
}

@test "py_logging_parsed: logging of a settings dict holding a parsed credential" {
	form "/usr/bin/python3 py_logging_parsed.py"
}

@test "py_markupsafe: MarkupSafe's escape: &#34; &#39;" {
	form "/usr/bin/python3 py_markupsafe.py"
}

@test "py_pprint: pprint of a dict holding the value" {
	form "/usr/bin/python3 py_pprint.py"
}

@test "py_pprint_bytes: pprint of a value's bytes, one number a line and compact" {
	form "/usr/bin/python3 py_pprint_bytes.py"
}

@test "py_pprint_nested: pprint folding a long str, and bytes, into quoted pieces, nested" {
	form "/usr/bin/python3 py_pprint_nested.py"
}

@test "py_plistlib: plistlib's <data>: base64 wrapped at 68, each line indented by tabs" {
	form "/usr/bin/python3 py_plistlib.py"
}

@test "py_print: print() of the value" {
	form "/usr/bin/python3 py_print.py"
}

@test "py_pytest: pytest's failure report: a value in a list cut to its two ends around \"...\", the short summary cut at 80 columns" {
	form "/usr/bin/python3 py_pytest.py"
}

@test "py_pygments_json: a parsed credential as JSON, coloured by Pygments" {
	form "/usr/bin/python3 py_pygments_json.py"
}

@test "py_quopri: quoted-printable (quopri), soft line breaks" {
	form "/usr/bin/python3 py_quopri.py"
}

@test "py_quote: urllib.parse.quote with nothing safe" {
	form "/usr/bin/python3 py_quote.py"
}

@test "py_quote_path: urllib.parse.quote with / safe" {
	form "/usr/bin/python3 py_quote_path.py"
}

@test "py_repr_in_page: a value's repr() (of the str and of its bytes) escaped for HTML, as Django's and Werkzeug's debug pages show a local" {
	form "/usr/bin/python3 py_repr_in_page.py"
}

@test "a debug page's repr() of a password with a quote and a backslash, and of a key's bytes with a > in them: masked whole" {
	# the repr's own escapes and HTML's &quot; or &#39; cut the value
	# into runs under 12 bytes: Django's and Werkzeug's error pages
	# showed such a local whole
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='Pa\ss"word2024Xz' FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && python3 py_repr_in_page.py | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER py_repr_in_page
V: &#x27;***REDACTED***&#x27; &#39;***REDACTED***&#39; b&#x27;***REDACTED***&#x27; b&#39;***REDACTED***&#39;'
	# a 32-byte key kept in base64 whose bytes hold a ">",
	# its repr() in a Werkzeug page
	export K=q3Jx8fKZ0m7bN+2vYt/RcLw9pE4hUaGd1sXkTz6oWiM=
	run --separate-stderr bash -c 'python3 -c "
import base64, markupsafe, os
print(\"key:\", markupsafe.escape(repr(base64.b64decode(os.environ[\"K\"]))))
" | redact -e K'
	assert_success
	assert_output 'key: b&#39;***REDACTED***&#39;'
}

@test "py_str_of_bytes: str() of a value's bytes in json.dumps and in a dict's repr() (backslashes doubled)" {
	form "/usr/bin/python3 py_str_of_bytes.py"
}

@test "str() of a key's bytes in JSON: masked whole" {
	# the bytes literal's backslashes doubled were no form: a key's
	# bytes showed whole (and in redis-cli --quoted-json's output, the
	# same \xab escapes)
	export K=q3Jx8fKZ0m7bN+2vYt/RcLw9pE4hUaGd1sXkTz6oWiM=
	run --separate-stderr bash -c 'python3 -c "
import base64, json, os
print(json.dumps({\"key\": str(base64.b64decode(os.environ[\"K\"]))}))
" | redact -e K'
	assert_success
	assert_output '{"key": "b'"'"'***REDACTED***'"'"'"}'
}

@test "py_quote_twice: a value percent-encoded twice: a DSN's quote()d password in another URL's query, urlencode, quote(quote())" {
	form "/usr/bin/python3 py_quote_twice.py"
}

@test "py_reprlib: reprlib cutting a long value to its ends around ..." {
	form "/usr/bin/python3 py_reprlib.py"
}

@test "py_repr_bytes: repr() of bytes: b'\\xc3\\xbc'" {
	form "/usr/bin/python3 py_repr_bytes.py"
}

@test "py_repr_str: repr() of a str" {
	form "/usr/bin/python3 py_repr_str.py"
}

@test "py_shlex: shlex.quote" {
	form "/usr/bin/python3 py_shlex.py"
}

@test "py_sqlite_quote: SQLite's quote(): '' doubling" {
	form "/usr/bin/python3 py_sqlite_quote.py"
}

@test "py_stderr: the value written to stderr" {
	form "/usr/bin/python3 py_stderr.py"
}

@test "py_structured: the fields, lines, decoding, password and parameters a program prints of a parsed value" {
	form "/usr/bin/python3 py_structured.py"
}

@test "py_textwrap: textwrap.fill folding a long value over lines" {
	form "/usr/bin/python3 py_textwrap.py"
}

@test "py_sqlalchemy_url: SQLAlchemy's URL with the value as its password (str(), render_as_string): :, @ and / alone encoded" {
	form "/usr/bin/python3 py_sqlalchemy_url.py"
}

@test "py_textwrap_list: the list of textwrap.wrap's pieces, each repr()'d" {
	form "/usr/bin/python3 py_textwrap_list.py"
}

@test "py_urlencode: urllib.parse.urlencode: + for space" {
	form "/usr/bin/python3 py_urlencode.py"
}

@test "py_utf16be: the value in UTF-16BE" {
	form "/usr/bin/python3 py_utf16be.py"
}

@test "py_utf16le: the value in UTF-16LE" {
	form "/usr/bin/python3 py_utf16le.py"
}

@test "py_xmlcharref: html.escape with non-ASCII as &#NNN;" {
	form "/usr/bin/python3 py_xmlcharref.py"
}

@test "py_yaml: PyYAML's dump (quoted scalars, non-ASCII escaped)" {
	form "/usr/bin/python3 py_yaml.py"
}

@test "py_yaml_binary: PyYAML's !!binary and a quoted e-mail body: base64 lines with text in front" {
	form "/usr/bin/python3 py_yaml_binary.py"
}

@test "py_yaml_double: PyYAML's double-quoted style" {
	form "/usr/bin/python3 py_yaml_double.py"
}

@test "py_yaml_fold: PyYAML folding a long scalar at width 40, plain and double-quoted (allow_unicode off and on)" {
	form "/usr/bin/python3 py_yaml_fold.py"
}

@test "py_yaml_parsed: PyYAML's dump of a parsed credential, folded at the width" {
	form "/usr/bin/python3 py_yaml_parsed.py"
}

@test "py_yaml_single: PyYAML's single-quoted style" {
	form "/usr/bin/python3 py_yaml_single.py"
}

@test "py_yaml_unicode: PyYAML's dump with allow_unicode" {
	form "/usr/bin/python3 py_yaml_unicode.py"
}

@test "node_base64_hex: Buffer's base64, base64url and hex" {
	form "node node_base64_hex.js"
}

@test "node_buffer: console.log of a Buffer: <Buffer 73 6b ...>" {
	form "node node_buffer.js"
}

@test "node_arraybuffer: util.inspect of an ArrayBuffer: [Uint8Contents]: <73 6b ...>, the first 100 bytes of a longer value" {
	form "node node_arraybuffer.js"
}

@test "node_buffer_json: JSON.stringify of a Buffer (type Buffer, data as numbers)" {
	form "node node_buffer_json.js"
}

@test "node_console_dir: console.dir of a parsed credential with depth null" {
	form "node node_console_dir.js"
}

@test "node_encodeuricomponent: encodeURIComponent and encodeURI" {
	form "node node_encodeuricomponent.js"
}

@test "node_inspect_string: util.inspect of a string" {
	form "node node_inspect_string.js"
}

@test "node_chai: chai's message of a failed equal (loupe: ' and controls escaped, a backslash as it is)" {
	form "env NODE_PATH=/usr/share/nodejs node node_chai.js"
}

@test "node_url_legacy: a URL's password as Node's legacy url.format writes it (encodeURIComponent, \":\" as it is)" {
	form "node node_url_legacy.js"
}

@test "node_inspect_deep: a value's bytes nested deep and narrow: fewer columns a row" {
	form "node node_inspect_deep.js"
}

@test "node_inspect_lines: util.inspect with compact false: a value's bytes one number a line" {
	form "node node_inspect_lines.js"
}

@test "node_inspect_nested: util.inspect of a multi-line string deep in an object (' +)" {
	form "node node_inspect_nested.js"
}

@test "node_json: JSON.stringify" {
	form "node node_json.js"
}

@test "node_latin1_escape: UTF-8 read as Latin-1 (mojibake), and escape()" {
	form "node node_latin1_escape.js"
}

@test "perl_bytes_serialized: a value's bytes taken for characters by YAML::XS (\"Ã\\x9F\") and JSON::PP's ascii (\\u00c3\\u009f)" {
	form "perl perl_bytes_serialized.pl"
}

@test "py_latin1_text: a value's UTF-8 read as Latin-1 text, then repr() ('Ã\\x9f') and json.dumps (\\u00c3)" {
	form "/usr/bin/python3 py_latin1_text.py"
}

@test "mojibake escaped (Ã\\x9F, \\u00c3\\u009f) and JSON's \\u007f: passwords that the escapes cut into runs under 12 bytes are masked whole" {
	# each showed whole: between the escapes each run fell under the 12
	# bytes of a piece
	run --separate-stderr env G='Straße-Paßwort-Größe9' R='пароль-секретный-ключ-2024' FORMS_NAMES=G,R \
		bash -c 'cd "$SECENV_SRC/tests/forms" && { perl perl_bytes_serialized.pl; /usr/bin/python3 py_latin1_text.py; } | redact -e G,R'
	assert_success
	assert_output 'FORMS-MARKER perl_bytes_serialized
---
G: "***REDACTED***"
{"G":"***REDACTED***"}
---
R: "***REDACTED***"
{"R":"***REDACTED***"}
FORMS-MARKER py_latin1_text
G: '"'***REDACTED***'"' {"v": "***REDACTED***"}
R: '"'***REDACTED***'"' {"v": "***REDACTED***"}'
	[ -z "$stderr" ]
	# Python's json.dumps and jq write DEL as \u007f
	export C=$'ctl\x01\x1bbell\x7fvalue-9'
	run --separate-stderr bash -c 'python3 -c "import json, os; print(json.dumps(os.environ[\"C\"]))" | redact -e C; jq -n --arg c "$C" "\$c" | redact -e C'
	assert_success
	assert_output '"***REDACTED***"
"***REDACTED***"'
}

@test "py_cp1252: UTF-8 read as Windows-1252 (mojibake: \"Ãœ\" for \"Ü\", not Latin-1's)" {
	form "/usr/bin/python3 py_cp1252.py"
}

@test "UTF-8 read as Windows-1252 (ß as ÃŸ, Ü as Ãœ): passwords whose mojibake parts from Latin-1's early are masked whole" {
	# they showed whole: Latin-1's mojibake (ÃŸ is Ã and U+009F there)
	# was the only one
	run --separate-stderr env PW='Grüße-Zürich-Schlüssel-42' U='pässwörd-Ünïcode-2024' FORMS_NAMES=PW,U \
		bash -c 'cd "$SECENV_SRC/tests/forms" && /usr/bin/python3 py_cp1252.py | redact -e PW,U'
	assert_success
	assert_output 'FORMS-MARKER py_cp1252
PW: ***REDACTED***
U: ***REDACTED***'
	[ -z "$stderr" ]
}

@test "node_log_object: console.log of an object (util.inspect quoting)" {
	form "node node_log_object.js"
}

@test "node_searchparams: URLSearchParams (x-www-form-urlencoded)" {
	form "node node_searchparams.js"
}

@test "node_chars_list: util.inspect of [...s], a value's characters in padded rows" {
	form "node node_chars_list.js"
}

@test "node_chars_inline: JSON.stringify of an object holding [...s] ([\"s\",\"k\"] after a key)" {
	form "node node_chars_inline.js"
}

@test "node_hex_list: util.inspect of a value's bytes as hex strings ('73' unpadded, '0x73') in columns" {
	form "node node_hex_list.js"
}

@test "node_uint8array: util.inspect of a value's bytes in columns (Uint8Array, Int8Array: signed, toJSON())" {
	form "node node_uint8array.js"
}

@test "node_url_password: a WHATWG URL with the value as its password" {
	form "node node_url_password.js"
}

@test "node_url_in_query: a WHATWG URL's password in another URL's query (encodeURIComponent, URLSearchParams), encodeURIComponent twice" {
	form "node node_url_in_query.js"
}

@test "node_url_username: a WHATWG URL with the value as its user name" {
	form "node node_url_username.js"
}

@test "node_url_parts: WHATWG URLs built around the value: its query, fragment and path (new URL(base + value).href, url.hash)" {
	form "node node_url_parts.js"
}

@test "node_utf16: Buffer's utf16le (as latin1 bytes on stdout)" {
	form "node node_utf16.js"
}

@test "perl_dumper" {
	form "perl perl_dumper.pl"
}

@test "perl_dumper_useqq" {
	form "perl perl_dumper_useqq.pl"
}

@test "perl_carp: Carp's stack trace of a sub given the value (\\x{c3}\\x{a4} of its bytes, \\x{e4} of its characters, \\x{9})" {
	form "perl perl_carp.pl"
}

@test "bash_declare_p" {
	form "bash bash_declare_p.sh"
}

@test "git_sq_quote: git's quoting of an argument (' as '\\'' and ! as '\\!'), rev-parse --sq-quote and GIT_TRACE's argv" {
	form "bash git_sq_quote.sh"
}

@test "GIT_TRACE quotes a URL's password with ! as '\\!': a password that its ! cut into runs under 12 bytes is masked whole" {
	# git's quoting was no form: between the quotes around each !, each
	# run fell under the 12 bytes of a piece, and the password showed
	# whole in every trace line
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='Kp7mW2xQ9r!Lz4Nv8Tb3s!Hq6Yc1Jd5f' GIT_TRACE=1 GIT_TERMINAL_PROMPT=0 \
		bash -c 'git ls-remote "http://app:$V@127.0.0.1:9/repo.git" 2>&1 | redact -e V'
	assert_line --regexp "trace: built-in: git ls-remote 'http://app:\\*\\*\\*REDACTED\\*\\*\\*@127.0.0.1:9/repo.git'\$"
	refute_output --partial Kp7mW2xQ9r
	refute_output --partial Lz4Nv8Tb3s
	refute_output --partial Hq6Yc1Jd5f
	run --separate-stderr env V="it's!here-Xy7q" bash -c 'git rev-parse --sq-quote "$V" | redact -e V'
	assert_success
	assert_output " '***REDACTED***'"
}

@test "valgrind_command: valgrind's Command: line (a blank, \\, < and > backslashed)" {
	form "bash valgrind_command.sh"
}

@test "valgrind's Command: line of a password whose blank and backslashes cut it into runs under 12 bytes: masked whole" {
	run --separate-stderr env V='Zq9\Lm#7 Kx!2\Pw' bash -c 'valgrind /bin/true --password "$V" 2>&1 | grep -a Command: | redact -e V'
	assert_success
	assert_output --regexp '^==[0-9]+== Command: /bin/true --password \*\*\*REDACTED\*\*\*$'
}

@test "bash_printf_q" {
	form "bash bash_printf_q.sh"
}

@test "coreutils_quoting: a value taken for a file name, in cat's and ls's messages and /usr/bin/printf %q (\$'\\303\\244' and \$'\\t' spliced between single quotes, C locale and UTF-8)" {
	form "bash coreutils_quoting.sh"
}

@test "coreutils' quoting splices \$'..' escapes between runs under 12 bytes: a non-ASCII password under the C locale and one with tabs are masked whole" {
	# cat's message showed both whole: each run between two escapes
	# fell under the 12 bytes of a piece
	run --separate-stderr env U='pässwörd-Ünïcode-2024' TB=$'Ab3dE6g\tHi9kLm2\tNo5qRs8\tTu1' FORMS_NAMES=U,TB \
		bash -c 'cd "$SECENV_SRC/tests/forms" && bash coreutils_quoting.sh | redact -e U,TB'
	assert_success
	assert_output "FORMS-MARKER coreutils_quoting
cat: '***REDACTED***': No such file or directory
ls: cannot access '***REDACTED***': No such file or directory
U: '***REDACTED***'
U: ***REDACTED***
cat: '***REDACTED***': No such file or directory
ls: cannot access '***REDACTED***': No such file or directory
TB: '***REDACTED***'
TB: '***REDACTED***'"
	[ -z "$stderr" ]
}

@test "bash_set_x" {
	form "bash bash_set_x.sh"
}

@test "strace_write" {
	form "bash strace_write.sh"
}

@test "strace_hex: strace -x of a write with a byte past ASCII, strace -xx (every byte as \\xhh)" {
	form "bash strace_hex.sh"
}

@test "coreutils_encodings" {
	form "bash coreutils_encodings.sh"
}

@test "curl_bearer: curl -v with a bearer token and an API key header" {
	form "bash curl_bearer.sh"
}

@test "jq_color: jq -C of a value and of a parsed credential" {
	form "bash jq_color.sh"
}

@test "perl_vd: sprintf(\"%vd\"), decimal bytes joined by dots" {
	form "perl perl_vd.pl"
}

@test "perl_json_pp: JSON::PP pretty and Data::Dumper of a decoded credential" {
	form "perl perl_json_pp.pl"
}

@test "perl_html_numeric: HTML::Entities::encode_entities_numeric (upper-case &#xHH;)" {
	form "perl perl_html_numeric.pl"
}

@test "py_re_escape: re.escape, alone, in repr() of the compiled pattern and in JSON" {
	form "/usr/bin/python3 py_re_escape.py"
}

@test "perl_quotemeta: quotemeta of a value's bytes, alone and in a qr// pattern" {
	form "perl perl_quotemeta.pl"
}

@test "perl_quotemeta_chars: quotemeta of a value's characters (past ASCII most as they are), alone and in a qr// pattern" {
	form "perl perl_quotemeta_chars.pl"
}

@test "php_preg_quote: preg_quote without and with the / delimiter, quotemeta and addslashes" {
	form "php php_preg_quote.php"
}

@test "node_escape_regexp: lodash's and MDN's escapeRegExp, alone, in a RegExp and in JSON" {
	form "node node_escape_regexp.js"
}

@test "rb_inspect: Ruby's inspect (\\#{, \\u0001), a Hash's, dump (\\u00FC) and a binary string's (\\xC3\\xBC), ENV under UTF-8 and C" {
	form "bash rb_inspect.sh"
}

@test "rb_shellwords: Ruby's Shellwords.escape and shelljoin, of characters and of bytes" {
	form "bash rb_shellwords.sh"
}

@test "rb_regexp_escape: Ruby's Regexp.escape, its inspect and the Regexp's" {
	form "ruby rb_regexp_escape.rb"
}

@test "go_quote: Go's %q (\\u00a0), %+q (\\u00e9, \\U0001f600), %#v of a struct, JSEscapeString (\\u003D), %q of a []rune and %#v and %v of a []string of its characters" {
	form "go run go_quote.go"
}

@test "go_json_quoted: Go's encoding/json (< > & as \\u003c) of a body, quoted again by %q and as a JSON string" {
	form "go run go_json_quoted.go"
}

@test "Go's JSON quoted again (\\\\u0026 in an error's %q): a password that its & < > cut into runs under 12 bytes is masked whole" {
	# it showed whole: each run between two escapes fell under the 12
	# bytes of a piece
	run --separate-stderr env TOK='p&ss<w0rd>&&Secret<<>>x9' FORMS_NAMES=TOK \
		bash -c 'cd "$SECENV_SRC/tests/forms" && go run go_json_quoted.go | redact -e TOK'
	assert_success
	assert_output 'FORMS-MARKER go_json_quoted
TOK: upstream rejected body "{\"token\":\"***REDACTED***\"}"
TOK: "{\"token\":\"***REDACTED***\"}"
TOK: {"data":{"config.json":"{\"password\":\"***REDACTED***\"}\n"}}'
	[ -z "$stderr" ]
}

@test "a JSON file's text in Go's JSON (kubectl get -o json of a ConfigMap made from one: \\u003c beside \\\\\\\"): masked" {
	# Go's JSON of JSON text writes the file's < > & as \u003c but its
	# escapes doubled: no form; a password holding both showed whole (15
	# random passwords in 150)
	run --separate-stderr env TOK=$'U;S:X<PhQeiGF*\\"rzUkH92wZ&J7%' FORMS_NAMES=TOK \
		bash -c 'cd "$SECENV_SRC/tests/forms" && go run go_json_quoted.go | redact -e TOK'
	assert_success
	assert_line --index 3 'TOK: {"data":{"config.json":"{\"password\":\"***REDACTED***\"}\n"}}'
	[ -z "$stderr" ]
}

@test "a list of a value's characters with Go's '\\a' '\\v' and Rust's '\\u{7}' '\\u{301}' (a control, a combining mark): every character starred" {
	# the escapes Go's %q of a rune and Rust's Debug of a char write for
	# them were no characters the list views read: the list ended there
	export V=$'Zq8\aW3nR5\vtY1u\xcc\x81I7oP2aS'
	local go rust stars
	stars=$(printf "'*' %.0s" {1..21})"'*'"
	go=$(cd "$SECENV_SRC/tests/forms" && FORMS_NAMES=V go run go_quote.go | grep -F "V: ['")
	rust=$(cd "$SECENV_SRC/tests/forms" && FORMS_NAMES=V bash rust_debug.sh 2>/dev/null | grep -F "V: ['")
	[[ $go == *"'\\a'"*"'\\v'"* && $rust == *"'\\u{7}'"*"'\\u{301}'"* ]]
	run --separate-stderr redact -e V <<<"$go"
	assert_success
	assert_output "V: [$stars]"
	run --separate-stderr redact -e V <<<"$rust"
	assert_success
	assert_output "V: [${stars// /, }]"
}

@test "go_bytes: Go's %#v of a struct and a map holding a []byte ({0x73, 0x6b}) and % #x after a text" {
	form "go run go_bytes.go"
}

@test "go_url: Go's url.PathEscape and a URL's userinfo (url.UserPassword), path, query and fragment; a URL in another's query" {
	form "go run go_url.go"
}

@test "go_html_template: Go's html/template around each value: text and an attribute (+ as &#43;), a link's query and a script" {
	form "go run go_html_template.go"
}

@test "Go's html/template writes a value's + as &#43;: a value with + and quotes is masked whole in text and attributes" {
	# an AWS-style secret key holds + and / as often as not; between
	# them fewer than 12 bytes of it, so no piece stood for it
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='p+a"s<s>w&o+r'\''d+X9z+Lm2+kT8+qQ' FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && go run go_html_template.go | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER go_html_template
V: <p title="***REDACTED***">***REDACTED***</p> <a href="/search?q=***REDACTED***">more</a> <script>var v = "***REDACTED***";</script>'
	[ -z "$stderr" ]
}

@test "node_html_templates: mustache.js (/ \` = as &#x2F; &#x60; &#x3D;) and Underscore's escape (\` as &#x60;)" {
	form "node node_html_templates.js"
}

@test "mustache.js and Underscore escape / \` =: a value with them and quotes is masked whole" {
	# base64 keys hold / and =, between which fewer than 12 bytes stood
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='p/a"s<s>w&o=r'\''d`X9z/Lm2=kT8/qQ' FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && node node_html_templates.js | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER node_html_templates
V: <p title="***REDACTED***">***REDACTED***</p> ***REDACTED***'
	[ -z "$stderr" ]
}

@test "rb_rack_escape: Rack's escape_html (Sinatra's), / as &#x2F;" {
	form "ruby rb_rack_escape.rb"
}

@test "Rack's escape_html writes / as &#x2F;: a value with / and quotes is masked whole" {
	run --separate-stderr env V='p/a"s<s>w&o/r'\''d/X9z/Lm2/kT8/qQ' FORMS_NAMES=V \
		bash -c 'ruby "$SECENV_SRC/tests/forms/rb_rack_escape.rb" | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER rb_rack_escape
V: <p title="***REDACTED***">***REDACTED***</p>'
	[ -z "$stderr" ]
}

@test "rust_debug: Rust's {:?} (\\u{a0}), a derived Debug, escape_debug and escape_default (\\u{e9}), a Vec<char> and {:x?} of its bytes after a label" {
	form "bash rust_debug.sh"
}

@test "php_htmlentities: htmlentities, HTML 4.01's named references" {
	form "php php_htmlentities.php"
}

@test "perl_html_entities: encode_entities of a value's characters and of its bytes, named references" {
	form "perl perl_html_entities.pl"
}

@test "py_unicode_escape: the unicode_escape codec, printed decoded" {
	form "/usr/bin/python3 py_unicode_escape.py"
}

@test "py_cookie: a cookie's value quoted by http.cookies (\\054, \\342, \\\")" {
	form "/usr/bin/python3 py_cookie.py"
}

@test "node_ascii: a Buffer decoded as 'ascii' (high bits unset)" {
	form "node node_ascii.js"
}

@test "py_jwt: a JWT (PyJWT) with the value in a claim: its payload's base64 decoded" {
	form "/usr/bin/python3 py_jwt.py"
}

@test "py_base64_twice: base64 of the value's base64 and of its hex, decoded" {
	form "/usr/bin/python3 py_base64_twice.py"
}

@test "node_utf16_base64: base64 of the value's UTF-16LE, decoded" {
	form "node node_utf16_base64.js"
}

@test "php_json_hex: json_encode with the JSON_HEX_ flags (Laravel's @json), and unescaped unicode and slashes" {
	form "php php_json_hex.php"
}

@test "py_json_in_page: a JSON document in a page (Jinja2 autoescaping it in an attribute and text, html.escape) and in a URL's query (urlencode)" {
	form "/usr/bin/python3 py_json_in_page.py"
}

@test "py_json_body: a JSON body in a string literal: http.client's debug output of a POST (send: b'{...}'), repr() of it and of a dict holding it" {
	form "/usr/bin/python3 py_json_body.py"
}

@test "py_json_in_dump: a JSON document where a quote is doubled: PyYAML's dump, sqlite3's iterdump, csv.writer" {
	form "/usr/bin/python3 py_json_in_dump.py"
}

@test "a JSON document in SQL, YAML and CSV literals (quotes doubled): a value with quotes and a character past ASCII is masked whole" {
	run --separate-stderr env V=$'Zx9"q\'w7\u00fc-Lm2kT8' FORMS_NAMES=V \
		bash -c '/usr/bin/python3 "$SECENV_SRC/tests/forms/py_json_in_dump.py" | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER py_json_in_dump
V: config.json: '\''{"password": "***REDACTED***"}'\'' INSERT INTO "settings" VALUES('\''{"password": "***REDACTED***"}'\''); settings,"{""password"": ""***REDACTED***""}"'
	[ -z "$stderr" ]
}

@test "node_json_in_url: encodeURIComponent and URLSearchParams of JSON.stringify (an OAuth state, GraphQL's variables)" {
	form "node node_json_in_url.js"
}

@test "py_uuid: a UUID parsed by the uuid module and printed again (lower case, its digits, .urn, .int)" {
	form "/usr/bin/python3 py_uuid.py"
}

@test "py_pem_convert: each private key written again as PKCS#1 and OpenSSH, its numbers as a JWK's" {
	form "/usr/bin/python3 py_pem_convert.py"
}

@test "grep_color: grep --color=always inside a value (colour codes between its characters)" {
	form "bash grep_color.sh"
}

@test "curl_basic_auth" {
	form "bash curl_basic_auth.sh"
}

@test "curl_trace_basic: curl --trace and --trace-ascii of basic authentication, the header's base64 cut over the dump's lines" {
	form "bash curl_trace_basic.sh"
}

@test "py_bytes_nested: a value's bytes one number a line, json.dumps nested 3 deep (indent 2 and 4) and pprint after a dict's key" {
	form "/usr/bin/python3 py_bytes_nested.py"
}

@test "node_inspect_rows: util.inspect's rows nested deep and at breakLength 30 (fewer columns, a short last row), and compact false nested" {
	form "node node_inspect_rows.js"
}

@test "coreutils_dumps: od -x and hexdump (16-bit words, bytes swapped), xxd -i (0x73, 0x6b,) and base32" {
	form "bash coreutils_dumps.sh"
}

@test "coreutils_words: od -X and -t x8, hexdump -x, xxd -e (little-endian words) and xxd -b (bits)" {
	form "bash coreutils_words.sh"
}

@test "sed_l: sed -n l, octal escapes past ASCII and quotes as they are, unfolded and folded; cat -v and -A (M-CM-<)" {
	form "bash sed_l.sh"
}

@test "openssl_text: a private key's numbers (openssl pkey -text, colon hex) and its DER in xxd" {
	form "/usr/bin/python3 openssl_text.py"
}

@test "java: URLEncoder, Arrays.toString of a byte[] (signed) and of a char[] after a label, Properties.store, java.net.URI's userinfo and UUID.toString (skipped without a JDK)" {
	command -v javac >/dev/null || skip "no JDK on this machine"
	# compiled once here for both runs of the check (the plain one and
	# secenv run's): `java FormsJava.java` compiles it again in each, and
	# the compiler's start costs more CPU than the program
	local jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
	# shellcheck disable=SC2086 # the JVM's options are words
	javac ${jvm//-XX/-J-XX} -d "$BATS_TEST_TMPDIR/java" "$SECENV_SRC/tests/forms/FormsJava.java"
	form "java $jvm -cp $BATS_TEST_TMPDIR/java FormsJava"
}

@test "gson: Gson's toJson of a map and an object holding the value (= ' < > & as \\u003d...) and its char[] (skipped without a JDK)" {
	command -v javac >/dev/null || skip "no JDK on this machine"
	local jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" gson=/usr/share/java/gson.jar
	# shellcheck disable=SC2086 # the JVM's options are words
	javac ${jvm//-XX/-J-XX} -cp "$gson" -d "$BATS_TEST_TMPDIR/java" "$SECENV_SRC/tests/forms/FormsGson.java"
	form "java $jvm -cp $gson:$BATS_TEST_TMPDIR/java FormsGson"
}

@test "Gson and Go's JSEscapeString write = as \\u003d: a password that its = and ' cut into runs under 12 bytes is masked whole" {
	# Gson's escaping was no form: between the escapes each run fell
	# under the 12 bytes of a piece, and the password showed whole
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V="O'Reilly=Secret<Key>9x7Qz" FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && go run go_quote.go | redact -e V'
	assert_success
	assert_line 'V: ***REDACTED***'
	refute_output --partial Reilly
	refute_output --partial 9x7Qz
	command -v javac >/dev/null || skip "no JDK on this machine"
	javac -J-XX:TieredStopAtLevel=1 -cp /usr/share/java/gson.jar -d "$BATS_TEST_TMPDIR/java" "$SECENV_SRC/tests/forms/FormsGson.java"
	run --separate-stderr env V="O'Reilly=Secret<Key>9x7Qz" FORMS_NAMES=V \
		bash -c 'java -XX:TieredStopAtLevel=1 -cp "/usr/share/java/gson.jar:$BATS_TEST_TMPDIR/java" FormsGson | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER gson
V: {"password":"***REDACTED***"}
V: {"user":"app","password":"***REDACTED***"}
V: [***REDACTED***]
V: {"user":"app","password":['"$(printf '"*",%.0s' {1..24})"'"*"]}'
}

@test "go_html_script: Go's html/template in a script's string and regular expression (+ as \\u002b, / as \\/) and in an unquoted attribute (= and a blank as &#61; &#32;)" {
	form "go run go_html_script.go"
}

@test "Go's html/template writes + as \\u002b in a script and = as &#61; in an unquoted attribute: a password that they cut into runs under 12 bytes is masked whole" {
	# none of the three was a form: between the escapes each run fell
	# under the 12 bytes of a piece, and the password showed whole
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='Kq9+Zt3m/Wx7=Lp2+Nc8 Rb5y/Hs4=Tj6.w' FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && go run go_html_script.go | redact -e V'
	assert_success
	assert_output "FORMS-MARKER go_html_script
V: <script>const key = '***REDACTED***';</script>
V: <script>const re = /***REDACTED***/;</script>
V: <input value=***REDACTED***>"
	for piece in Kq9 Zt3m Wx7 Lp2 Nc8 Rb5y Hs4 Tj6; do
		refute_output --partial "$piece"
	done
	[ -z "$stderr" ]
}

@test "py_django_escapejs: Django's escapejs filter in a script's string (\\ ' \" < > & = - ; \` as \\u005C...)" {
	form "/usr/bin/python3 py_django_escapejs.py"
}

@test "Django's escapejs writes - as \\u002D: an API key that its - cut into runs under 12 bytes is masked whole" {
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='sk-proj-Xq7-Lm2_Rt9-Vb4Nc8-Zp3Wk5' FORMS_NAMES=V \
		bash -c 'cd "$SECENV_SRC/tests/forms" && /usr/bin/python3 py_django_escapejs.py | redact -e V'
	assert_success
	assert_output "FORMS-MARKER py_django_escapejs
V: <script>const key = '***REDACTED***';</script>"
	for piece in Xq7 Lm2_Rt9 Vb4Nc8 Zp3Wk5; do
		refute_output --partial "$piece"
	done
	[ -z "$stderr" ]
}

@test "py_yarl: yarl's URL (aiohttp) of a query's value (/ @ : \$ left, + and = encoded) and of a path that held it percent-encoded" {
	form "/usr/bin/python3 py_yarl.py"
}

@test "node_axios_params: axios's params (: \$ , put back, a blank as +) and encodeURIComponent's text in a URL's query (' encoded again)" {
	form "env NODE_PATH=/usr/share/nodejs node node_axios_params.js"
}

@test "yarl, axios and a URL's parser keep some of encodeURIComponent's encodings and undo others: keys that their mix cut into runs under 12 bytes are masked whole" {
	# each showed whole: between the encoded bytes each run fell under
	# the 12 bytes of a piece
	run --separate-stderr env A1='Zx9/Kq3@Lm7+Vb2=Nc8/' A2='Tq3:Zm8$Lp2@Wn5&Kd7*' A3="It's-My/Secret+Token=42!x" FORMS_NAMES=A1,A2,A3 \
		bash -c 'cd "$SECENV_SRC/tests/forms" && { /usr/bin/python3 py_yarl.py; NODE_PATH=/usr/share/nodejs node node_axios_params.js; } | redact -e A1,A2,A3'
	assert_success
	assert_output "FORMS-MARKER py_yarl
A1: url=URL('https://api.example.com/v1/items?api_key=***REDACTED***') https://api.example.com/keys/***REDACTED***
A2: url=URL('https://api.example.com/v1/items?api_key=***REDACTED***') https://api.example.com/keys/***REDACTED***
A3: url=URL(\"https://api.example.com/v1/items?api_key=***REDACTED***\") https://api.example.com/keys/***REDACTED***
FORMS-MARKER node_axios_params
A1: https://api.example.com/v1/items?api_key=***REDACTED*** https://api.example.com/v1/items?api_key=***REDACTED***
A2: https://api.example.com/v1/items?api_key=***REDACTED*** https://api.example.com/v1/items?api_key=***REDACTED***
A3: https://api.example.com/v1/items?api_key=***REDACTED*** https://api.example.com/v1/items?api_key=***REDACTED***"
	[ -z "$stderr" ]
}

@test "node_serialize_javascript: serialize-javascript's page state (< > / as \\u003C \\u003E \\u002F)" {
	# Debian's node-serialize-javascript finds its randombytes there
	form "env NODE_PATH=/usr/share/nodejs node node_serialize_javascript.js"
}

@test "serialize-javascript writes / as \\u002F: a base64 key that its / cut into runs under 12 bytes is masked whole" {
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env V='q3Zx9/Lm7Wp2+Rt5/Hs4Tj6Nc8/Wx7Kq9=' FORMS_NAMES=V \
		NODE_PATH=/usr/share/nodejs \
		bash -c 'cd "$SECENV_SRC/tests/forms" && node node_serialize_javascript.js | redact -e V'
	assert_success
	assert_output 'FORMS-MARKER node_serialize_javascript
V: <script>window.__STATE__ = {"config":{"secret":"***REDACTED***"}}</script>'
	for piece in q3Zx9 Lm7Wp2 Rt5 Hs4Tj6Nc8 Wx7Kq9; do
		refute_output --partial "$piece"
	done
	[ -z "$stderr" ]
}

@test "a URL's literal gives no pieces: its path stays, its password is masked" {
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env \
		U="postgresql://app:Sup3r'S3cretPassw0rd@db.example.com/app_database?sslmode=require" \
		bash -c '/usr/bin/python3 -c "import os; print(repr(os.environ[\"U\"]))" | redact -e U'
	assert_success
	assert_output '"postgresql://app:***REDACTED***@db.example.com/app_database?sslmode=require"'
	[ -z "$stderr" ]
}

@test "a JDBC URL's password (jdbc:mysql://user:password@host): the URL keeps all but it, and the password that urlsplit gives of it is masked alone" {
	# JDBC drivers (Connector/J, MariaDB's) take the user and password
	# of such a URL as any URL's; a program that parses it after its
	# "jdbc:" prints the password alone, raw and percent-decoded
	# shellcheck disable=SC2016 # the script expands its own variables
	run --separate-stderr env \
		U="jdbc:mysql://svc:My%27S3cret%21Pw9@db.example.com:3306/app?useSSL=true" \
		bash -c '/usr/bin/python3 -c "
import os, urllib.parse
u = urllib.parse.urlsplit(os.environ[\"U\"][len(\"jdbc:\"):])
print(u.password)
print(urllib.parse.unquote(u.password))
print(u.username, u.hostname, u.port)
print(os.environ[\"U\"])" | redact -e U'
	assert_success
	assert_output "***REDACTED***
***REDACTED***
svc db.example.com 3306
jdbc:mysql://svc:***REDACTED***@db.example.com:3306/app?useSSL=true"
	[ -z "$stderr" ]
}

@test "a URL password's last bytes that the URL shows in the clear too are no form of it: util.inspect rows" {
	# util.inspect prints the password's bytes on their own with a last
	# row of two numbers, "53,  52" ("54"), and the URL's rows show the
	# same two in the clear in its port, 5432: the oracle counted them as
	# a leak of the password. A random set with such a password (or one
	# ending "32", "ui", "od", ...) failed node_uint8array,
	# node_inspect_deep and node_inspect_rows at once.
	local dir=$BATS_TEST_TMPDIR/set
	mkdir "$dir"
	cat >"$BATS_TEST_TMPDIR/values.json" <<-'EOF'
		{"values": {"V_DBURL": "postgresql://app:p%40ss%2Fw0rd%21Qx7Zk254@db.example.com:5432/app?sslmode=require",
		            "V_TOKEN": "tok_live_9fK3mQ2xV7pL1zR8"},
		 "parts": {"V_DBURL": ["p%40ss%2Fw0rd%21Qx7Zk254", "p@ss/w0rd!Qx7Zk254"],
		           "V_TOKEN": ["tok_live_9fK3mQ2xV7pL1zR8"]},
		 "visible": []}
	EOF
	SECENV_FORMS_VALUES=$BATS_TEST_TMPDIR/values.json run -0 /usr/bin/python3 \
		"$SECENV_SRC/tests/forms/driver.py" setup "$dir" forms-url
	for program in node_uint8array node_inspect_deep node_inspect_rows; do
		run /usr/bin/python3 "$SECENV_SRC/tests/forms/driver.py" check \
			"$dir" forms-url "node $program.js"
		printf '%s\n' "$output"
		assert_success
		assert_line --partial "cases: "
	done
	# the password's own rows are still forms, and masked
	run -0 /usr/bin/python3 -c '
import pickle, sys
forms = pickle.load(open(sys.argv[1], "rb"))["owners"]
print(sum("V_DBURL" in names for form, names in forms.items()
          if form.startswith(b"112, 37, 52, 48")))' "$dir/forms.pickle"
	((output > 0)) || fail "no row of the password's bytes is a form"
}

@test "the code points redact writes as Python's repr() and gdb (glibc's iswprint()) escape are the installed Python's and glibc's" {
	local table
	for table in escaped:--ranges unprintable:--glibc; do
		run -0 /usr/bin/python3 "$SECENV_SRC/src/redact/forms_printable.py" "${table#*:}"
		want=$output
		run -0 sed -n "/^static const unsigned ${table%:*}\[/,/^};/p" \
			"$SECENV_SRC/src/redact/forms_printable.c"
		output=$(grep -oE '\{0x[0-9a-f]+, 0x[0-9a-f]+\}' <<<"$output" | tr -d '{},')
		[ "$(wc -l <<<"$want")" -gt 500 ]
		assert_equal "$output" "$want"
	done
}

@test "at least 60 cases: a program printed a modelled form of a value" {
	run -0 awk '{ n += $1 } END { print n }' "$BATS_FILE_TMPDIR/cases"
	((output >= 60)) || fail "only $output cases"
}
