#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# redact: raw and encoded values masked, streaming, byte-exact passthrough.

load helpers/common
bats_require_minimum_version 1.5.0

S='sk_test_4eC39HqLyjWDarjtT1zdp7dc'
DB='postgresql://user:s3cr3tP4ssw0rd@db.example.com/mydb'
SPECIAL='p"a\s%s&w<o$rd!,^~#'

setup() {
	secenv_test_env
	export S DB SPECIAL
	cd "$BATS_TEST_TMPDIR"
}

# mask NAMES INPUT...: printf the inputs through redact -e NAMES.
mask() {
	local names="$1" IFS=
	shift
	run --separate-stderr bash -c 'printf "%s" "$1" | redact -e "$0"' \
		"$names" "$*"
}

@test "-h prints usage and exits 0" {
	run --separate-stderr redact -h
	assert_success
	assert_line --index 0 --partial 'usage: redact'
	[ -z "$stderr" ]
}

@test "usage errors exit 100 and name the bad input" {
	run --separate-stderr redact --bogus
	assert_failure 100
	run --separate-stderr redact
	assert_failure 100
	[[ "$stderr" == *"nothing to mask"* ]]
	run --separate-stderr redact -e 'S,1BAD'
	assert_failure 100
	[[ "$stderr" == *1BAD* ]]
	run --separate-stderr redact -e S --min-length 0
	assert_failure 100
	[[ "$stderr" == *min-length* ]]
	run --separate-stderr redact -e S --format '%x'
	assert_failure 100
	[[ "$stderr" == *format* ]]
	run --separate-stderr redact -e S extra
	assert_failure 100
	[[ "$stderr" == *extra* ]]
	run --separate-stderr redact -b -
	assert_failure 100
	[[ "$stderr" == *"-b -"* ]]
}

@test "a raw value keeps its type prefix, as in the seed" {
	mask S "Stripe initialized with key: $S"$'\n'
	assert_success
	assert_output 'Stripe initialized with key: sk_test_***REDACTED***'
	[ -z "$stderr" ]
	refute_secret "$S"
}

@test "a URL keeps everything but its password" {
	mask DB "db: $DB"$'\n' "password alone: s3cr3tP4ssw0rd"$'\n'
	assert_success
	assert_output "db: postgresql://user:***REDACTED***@db.example.com/mydb
password alone: ***REDACTED***"
	refute_secret s3cr3tP4ssw0rd
}

@test "sed -n l: octal escapes past ASCII with quotes as they are; the whole value is masked, no tail shows" {
	export U="sk_test_4eC39HqLyjWD'\u00fc\"x%&<>\$q9Zr"
	U=$(printf '%b' "$U")
	run --separate-stderr bash -c 'printf "%s\n" "$U" | sed -n "l 0" | redact -e U'
	assert_success
	assert_output 'sk_test_***REDACTED***$'
	[ -z "$stderr" ]
	refute_output --partial 'q9Zr'
}

@test "protobuf's text format of a short password with both quotes and past ASCII (octal bytes, \\' and \\\"): the whole value masked" {
	export PW="Pä'ss\"w0rd!9"
	run --separate-stderr python3 -c '
import os
from google.protobuf import text_format, wrappers_pb2
pw = os.environ["PW"]
print(wrappers_pb2.StringValue(value=pw), end="")
print(text_format.MessageToString(wrappers_pb2.BytesValue(value=pw.encode()), as_one_line=True))'
	assert_success
	assert_output 'value: "P\303\244\'"'"'ss\"w0rd!9"
value: "P\303\244\'"'"'ss\"w0rd!9"'
	printf '%s\n' "$output" >pb.txt
	run --separate-stderr redact -e PW <pb.txt
	assert_success
	[ -z "$stderr" ]
	assert_output 'value: "***REDACTED***"
value: "***REDACTED***"'
}

@test "gdb's print of a binary key's bytes (a base64 value decoded) holding a quote: \\\" and octal escapes, the whole literal masked" {
	# its bytes hold 0x22 (gdb writes \") and bytes past ASCII (octal)
	export K='JSJ5YukuJ4sCSeRowpQOAVduy00+hIQgj6J3tF5RIA0='
	printf '%s\n' '#include <stdio.h>' '#include <string.h>' \
		'struct k { unsigned char key[33]; int n; };' \
		'static const unsigned char raw[] = {' \
		"$(printf %s "$K" | base64 -d | od -An -v -tu1 | tr -s ' \n' ',,' | sed 's/^,//; s/,$//')};" \
		'int main(void) {' '	struct k x = {{0}, 32};' '	memcpy(x.key, raw, 32);' \
		'	return x.key[0] + x.n;' '}' >g.c
	cc -g -O0 -o g g.c
	LANG=C gdb -q -batch -nx -ex 'break 9' -ex run -ex 'p x.key' -ex 'p x' ./g 2>&1 | grep '^\$' >out.txt
	run grep -c '\\"' out.txt
	assert_output 2
	run --separate-stderr redact -e K <out.txt
	assert_success
	[ -z "$stderr" ]
	assert_output '$1 = "***REDACTED***"
$2 = {key = "***REDACTED***", n = 32}'
}

@test "cat -v, -A, -e and -t of a key's file (a base64 value decoded: M-^X, ^? and a \$ before a line feed): masked" {
	# cat -v's notation was a text value's form only: every key's file
	# showed whole
	export K1=AAkKf4CJiv/n7udhXvNfMOSbSC4VyudQByAeEmF7D+0= K2=p+Fkd5b/AivqjtAqgqEKdZMPIzfNN5TFIggAbWsa8MA= \
		K3=y9YlZYqsLJ+qB9E8RH4zBR7u+Vpg5WFD1sQ7ytdsAIo=
	local flag k
	for k in K1 K2 K3; do printf %s "${!k}" | base64 -d >"$k.key"; done
	for flag in -v -A -e -t; do
		for k in K1 K2 K3; do cat "$flag" "$k.key" && echo; done
	done >plain
	# (K1 holds a tab and a line feed, K2 a line feed: a mask a line)
	mask_plain K1,K2,K3 $'M-^?M-gM-nM-ga^M-s_0M-dM-^[H.^UM-JM-gP^G ^^^Ra{^OM-m'
	assert_output "$(printf '***REDACTED***\n%.0s' {1..20})"
}

@test "Perl's quotemeta of a key's bytes (qr/\\Q\$key\\E/ in Test::More's like() failure) and uri_escape with every byte but letters and digits encoded: masked" {
	# quotemeta was a text value's form alone: every key showed whole;
	# uri_escape($s, "^A-Za-z0-9"), as URI::Escape's manual shows it,
	# encodes - . _ ~ too, which no percent set did (91 random
	# passwords with symbols in 200)
	export K3=y9YlZYqsLJ+qB9E8RH4zBR7u+Vpg5WFD1sQ7ytdsAIo= K4=grcO7n8aUDm+8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFU= \
		A='Kd2=mQ9/vX4\Zr7$Lp0-x_y.z~w'
	perl -MMIME::Base64 -MURI::Escape -MTest::More -e '
for my $name (qw(K3 K4)) {
    my $key = decode_base64($ENV{$name});
    like("wrong", qr/\Q$key\E/, "key $name");
}
diag uri_escape($ENV{A}, "^A-Za-z0-9");
done_testing' >plain 2>&1 || true
	mask_plain K3,K4,A '# Kd2%3DmQ9%2FvX4%5CZr7%24Lp0%2Dx%5Fy%2Ez%7Ew'
	run grep -E "doesn't match|^# [^ ]" <<<"$output"
	assert_output "#     doesn't match '(?^:***REDACTED***)'
#     doesn't match '(?^:***REDACTED***)'
# ***REDACTED***
# Looks like you failed 2 tests of 2."
}

@test "Perl's Data::Dump (pp, dd) of a decoded password: \\xFC below U+0100, \\x{20AC} past it, \\@ and \\\$: masked" {
	# Data::Dumper's \x{fc} was the nearest: a password past ASCII
	# showed whole, or 12 bytes of it before a mask that began inside
	# an escape (11 random passwords past ASCII in 100)
	export A="tY@gjü'mU-h€x9Qz" B='fAke€pw/"<ä>&dx#Q_z-9.Lm'
	perl -MData::Dump=pp -MEncode=decode -e 'for my $n (qw(A B)) { print pp({password => decode("UTF-8", $ENV{$n})}), "\n" }' >plain
	mask_plain A,B '{ password => "tY\@gj\xFC'"'"'mU-h\x{20AC}x9Qz" }'
	assert_output '{ password => "***REDACTED***" }
{ password => "***REDACTED***" }'
}

@test "a value read as bytes, its UTF-8 taken for Latin-1, percent-encoded (uri_escape_utf8), escaped for HTML (Mojolicious' exception page) and in JSON with \\/ (Mojo::JSON): masked" {
	# Perl's string of bytes encoded again: no form of the mojibake; a
	# password past ASCII showed whole (145 in 200 through
	# uri_escape_utf8, 62 in 100 on the exception page)
	export A='Fäke"Pass<wörd>&123xyz' B='üw3✓>Qlñ}Y7Zä/k}uvqdt'
	perl -MURI::Escape -e 'print uri_escape_utf8($ENV{A}), "\n"' >plain
	MOJO_MODE=development perl -Mojo -E 'a("/" => sub { die "bad password: $ENV{A}\n" })->start' get / 2>&1 |
		grep -o '<pre id="error" class="error">bad password: .*' >>plain
	# and Mojo::JSON's encode_json of it (render(json => ...)), / as \/
	perl -MMojo::JSON=encode_json -e 'print encode_json({password => $ENV{B}}), "\n"' >>plain
	mask_plain A,B 'bad password: FÃ¤ke&quot;Pass&lt;wÃ¶rd&gt;&amp;123xyz'
	grep -qF 'Ã¤\/k}uvqdt"}' plain || fail "Mojo::JSON: $(cat plain)"
	assert_output '***REDACTED***
<pre id="error" class="error">bad password: ***REDACTED***
{"password":"***REDACTED***"}'
}

@test "YAML.pm's Dump of a key's bytes (\\x1e for a control, \\0 \\t \\e by name, DEL and the bytes past 0x7E as they are): masked" {
	# no key style left DEL and the bytes past ASCII as they are beside
	# \x escapes: 70 random keys in 100 showed, whole or in part
	export K1=AAkKf4CJiv/n7udhXvNfMOSbSC4VyudQByAeEmF7D+0= K3=y9YlZYqsLJ+qB9E8RH4zBR7u+Vpg5WFD1sQ7ytdsAIo= \
		K4=grcO7n8aUDm+8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFU=
	perl -MYAML -MMIME::Base64 -e 'for my $n (qw(K1 K3 K4)) { print YAML::Dump({hmac_key => decode_base64($ENV{$n})}) }' >plain
	mask_plain K1,K3,K4 '\x1e\x12a{\x0f'
	assert_output "$(printf -- '---\nhmac_key: "***REDACTED***"\n%.0s' 1 2 3)"
}

@test "Perl's JSON::PP and JSON::XS ascii of a key's bytes (\\u00e7 past 0x7F, DEL as it is): masked" {
	# the key's JSON with \u escapes wrote DEL as \u007f, as Python's
	# json.dumps does: a key holding a DEL showed whole (12 random keys in
	# 100)
	export K1=AAkKf4CJiv/n7udhXvNfMOSbSC4VyudQByAeEmF7D+0= K4=grcO7n8aUDm+8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFU=
	perl -MJSON::PP -MMIME::Base64 -e 'for my $n (qw(K1 K4)) { print JSON::PP->new->ascii->canonical->encode({hmac_key => decode_base64($ENV{$n})}), "\n" }' >plain
	mask_plain K1,K4 $'\\u0006n\\u00d0\\u008f]\\u00c7Q$G'
	assert_output '{"hmac_key":"***REDACTED***"}
{"hmac_key":"***REDACTED***"}'
}

@test "PHP's stack trace arguments of a key's bytes (\\xE7 in upper case, \\t \\n by name, quotes as they are; cut at 15 with ...): masked" {
	# Ruby's style was the nearest (it escapes " and names \a \b): a key
	# showed whole where PHP keeps arguments in traces, as its built-in
	# defaults and the official container images do (17 random keys in
	# 100 at the 15-byte cut)
	export K1=AAkKf4CJiv/n7udhXvNfMOSbSC4VyudQByAeEmF7D+0= K3=y9YlZYqsLJ+qB9E8RH4zBR7u+Vpg5WFD1sQ7ytdsAIo=
	local len
	for len in 15 64; do
		php -d zend.exception_ignore_args=0 -d zend.exception_string_param_max_len=$len -r '
function encrypter(string $key, string $cipher) { throw new RuntimeException("incorrect key length"); }
foreach (["K1", "K3"] as $name) {
    try { encrypter(base64_decode(getenv($name)), "aes-128-cbc"); }
    catch (Exception $e) { echo $e->getTraceAsString(), "\n"; }
}'
	done >plain
	mask_plain K1,K3 "encrypter('\\xCB\\xD6%e\\x8A\\xAC,\\x9F\\xAA\\x07\\xD1<D~3...', 'aes-128-cbc')"
	run grep -F 'encrypter(' <<<"$output"
	assert_output "#0 Command line code(4): encrypter('***REDACTED***...', 'aes-128-cbc')
#0 Command line code(4): encrypter('***REDACTED***...', 'aes-128-cbc')
#0 Command line code(4): encrypter('***REDACTED***', 'aes-128-cbc')
#0 Command line code(4): encrypter('***REDACTED***', 'aes-128-cbc')"
}

@test "unittest's assertEqual of a key's bytes, its repr() cut by [N chars]: every 12 bytes of the key after the cut masked" {
	# a key's repr() was masked whole only: the part after the cut, which
	# begins inside the key, showed (93 random keys in 100)
	export K3=y9YlZYqsLJ+qB9E8RH4zBR7u+Vpg5WFD1sQ7ytdsAIo= K4=grcO7n8aUDm+8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFU=
	FORMS_NAMES=K3,K4 /usr/bin/python3 - >plain 2>&1 <<'PY' || true
import base64
import os
import unittest


class KeyTest(unittest.TestCase):
    def test_key_file_matches_env(self):
        for name in os.environ["FORMS_NAMES"].split(","):
            with self.subTest(name=name):
                key = base64.b64decode(os.environ[name])
                self.assertEqual(key, key + b"\n")


unittest.main()
PY
	mask_plain K3,K4 "AssertionError: b'\\x8[20 chars]aP9\\xbe\\xf0~\\xc24\\x7f"
	run grep '^AssertionError' <<<"$output"
	assert_output "AssertionError: b'\\xc[26 chars]07***REDACTED***' != b'\\xc[26 chars]07***REDACTED***\\n'
AssertionError: b'\\x8[20 chars]a***REDACTED***' != b'\\x8[20 chars]a***REDACTED***\\n'"
}

@test "Ruby's pp of a key's bytes holding a line feed (one literal a line, joined by +): each line's 12 bytes or more masked" {
	# the key's inspect was masked whole only: pp's second literal, or
	# its first, showed (6 random keys in 100)
	export K1=AAkKf4CJiv/n7udhXvNfMOSbSC4VyudQByAeEmF7D+0= K2=p+Fkd5b/AivqjtAqgqEKdZMPIzfNN5TFIggAbWsa8MA=
	FORMS_NAMES=K1,K2 ruby -rbase64 -rpp -e '
ENV["FORMS_NAMES"].split(",").each do |name|
  pp({user: "admin", secret_key: Base64.decode64(ENV[name]), host: "db.example.com"})
end' >plain
	mask_plain K1,K2 '  "u\x93\x0F#7\xCD7\x94\xC5\"\b\x00mk\x1A\xF0\xC0",'
	run grep '^  "' <<<"$output"
	# (K1's first line holds 3 bytes: fewer than a piece)
	assert_output '  "\x00\t\n" +
  "***REDACTED***",
  "***REDACTED***" +
  "***REDACTED***",'
}

@test "Haskell's show of a password past ASCII and of a key's bytes (print, a derived Show: \\246 decimal code points, \\& before a digit, \\ETB by name): the whole literal masked" {
	# characters past ASCII as decimal code points, controls by their
	# ASCII names: a form no other language writes; every such value,
	# and every key, showed whole
	export PW='Passwört2024ü9x!' K='1+08exd9cKezF0Itm7Gy7OPEUTmkRJvRW2OS7ZlVzp8='
	KD=$(printf '%s' "$K" | base64 -d | od -An -tu1 -v | tr -s ' \n' ',' | sed 's/^,/[/; s/,$/]/')
	export KD
	cat >Main.hs <<'HS'
import System.Environment
import Data.Char (chr)

data Config = Config { user :: String, password :: String } deriving Show

main :: IO ()
main = do
  p <- getEnv "PW"
  print p
  print (Config { user = "app", password = p })
  d <- getEnv "KD"
  -- the key's bytes as a String, as Data.ByteString.Char8.unpack gives them
  print (map chr (read d :: [Int]))
HS
	run --separate-stderr bash -c 'LC_ALL=C.UTF-8 runhugs Main.hs'
	assert_success
	assert_line --index 0 '"Passw\246rt2024\252\&9x!"'
	[[ ${lines[2]} == '"\215\237<{\ETB}p\167\179\ETBB-'* ]] || fail "hugs: ${lines[2]}"
	run --separate-stderr bash -c 'LC_ALL=C.UTF-8 runhugs Main.hs | redact -e PW,K'
	assert_success
	[ -z "$stderr" ]
	assert_output '"***REDACTED***"
Config {user = "app", password = "***REDACTED***"}
"***REDACTED***"'
}

@test "Ruby's p of a key's bytes read into a UTF-8 string (File.read of a key file: \\xD7 for a byte no UTF-8 character holds, \\u0017 for a control, a character as it is): the whole literal masked" {
	# File.read returns the bytes tagged UTF-8: inspect mixes the three,
	# a form no other style has; 59 random keys in 60 showed whole
	export KEY='1+08exd9cKezF0Itm7Gy7OPEUTmkRJvRW2OS7ZlVzp8='
	printf '%s' "$KEY" | base64 -d >secret.key
	run --separate-stderr bash -c "LC_ALL=C.UTF-8 ruby -e 'key = File.read(ARGV[0]); p key; pp({key: key})' secret.key"
	assert_success
	[[ $output == '"\xD7\xED<{\u0017}p\xA7'* ]] || fail "ruby: $output"
	run --separate-stderr bash -c "LC_ALL=C.UTF-8 ruby -e 'key = File.read(ARGV[0]); p key; pp({key: key})' secret.key | redact -e KEY"
	assert_success
	[ -z "$stderr" ]
	assert_output '"***REDACTED***"
{:key=>
  "***REDACTED***"}'
}

@test "Go's %q of a binary key's bytes (a base64 value decoded: \\x for a byte no UTF-8 character holds, a character as it is, \\a \\v by name): the whole literal masked" {
	# 9f, then "ä" (c3 a4), a quote, BEL, k, NUL, ff, 0b ...
	export ENC_KEY='n8OkIgdrAP9OtW+/rLYL6OiEIymI08ySBdW05eeJ'
	cat >main.go <<'GO'
package main

import (
	"encoding/base64"
	"fmt"
	"log"
	"os"
)

type session struct{ ID, Key string }

func main() {
	k, _ := base64.StdEncoding.DecodeString(os.Getenv("ENC_KEY"))
	log.SetFlags(0)
	log.Printf("decoded key=%q", k)
	fmt.Printf("%#v\n", session{"s1", string(k)})
}
GO
	run --separate-stderr go run main.go
	assert_success
	[[ $stderr == 'decoded key="\x9fä\"\ak\x00\xffN\xb5o\xbf\xac\xb6\v'* ]] || fail "go: $stderr"
	printf '%s\n%s\n' "$stderr" "$output" >out.txt
	run --separate-stderr redact -e ENC_KEY <out.txt
	assert_success
	[ -z "$stderr" ]
	assert_output 'decoded key="***REDACTED***"
main.session{ID:"s1", Key:"***REDACTED***"}'
}

@test "a binary key's bytes read as Latin-1 and escaped (JSON.stringify and util.inspect of toString('latin1'), json.dumps and repr() of decode('latin-1')): the whole literal masked" {
	# its bytes hold controls (0b, 1f), C1 (84, 8d, 89) and a0
	export ENC_KEY='TrVvv6y2C+johCMpjTzJIF1bQF59zueJH6DTPSQ6TPM='
	{
		node -e 'const util = require("util");
const k = Buffer.from(process.env.ENC_KEY, "base64").toString("latin1");
console.log(JSON.stringify({key: k}));
console.log("key: " + util.inspect(k));'
		python3 -c 'import base64, json, os
k = base64.b64decode(os.environ["ENC_KEY"]).decode("latin-1")
print(json.dumps({"key": k}))
print("key=%r" % k)'
	} >out.txt
	run grep -c 'u000b\|x0B\|x0b' out.txt
	assert_output 4
	run --separate-stderr redact -e ENC_KEY <out.txt
	assert_success
	[ -z "$stderr" ]
	assert_output "{\"key\":\"***REDACTED***\"}
key: '***REDACTED***'
{\"key\": \"***REDACTED***\"}
key='***REDACTED***'"
}

@test "quoted-printable (quopri, the email package) and sed's l fold a value, its hex and its base64 at their widths: masked across each fold, the mark kept" {
	export T
	T=$(/usr/bin/python3 -c 'import secrets, string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(63)))')
	# each form after 0 to 73 tildes, so that a fold cuts it anywhere
	# (its first line's part at least 2 characters: LINE_HELD_MIN);
	# what redact must write: on each line, the forms' characters (not
	# the tildes before them, nor the fold's mark or sed's $ after
	# them) as one mask
	/usr/bin/python3 - <<'EOF'
import base64, email.message, os, quopri, re, subprocess
t = os.environ["T"]
forms = [t, t.encode().hex(), base64.b64encode(t.encode()).decode()]
text = "".join("~" * n + f + "\n" for f in forms
               for n in (0, 9, 40, 61, 62, 66, 70, 73))
msg = email.message.EmailMessage()
msg["Subject"] = "folded"
msg.set_content(text, cte="quoted-printable")
outs = {"quopri": quopri.encodestring(text.encode()), "email": msg.as_bytes(),
        "sed": subprocess.run(["sed", "-n", "l"], input=text.encode(),
                              capture_output=True, check=True).stdout}
for name, out in outs.items():
    with open(name + ".txt", "wb") as f:
        f.write(out)
    want, body = [], name != "email"
    for line in out.decode().split("\n"):
        if not body:
            want.append(line)
            body = line == ""
            continue
        m = re.fullmatch(r"(~*)([0-9A-Za-z+/]*)([=\\$]?)", line)
        want.append(m[1] + ("***REDACTED***" if m[2] else "") + m[3])
    with open(name + ".want", "w") as f:
        f.write("\n".join(want))
EOF
	# the encoders fold: at 76 columns (quopri), 78 (email), 70 (sed)
	[ "$(grep -c '^[^=]\{75\}=$' quopri.txt)" -ge 20 ]
	[ "$(grep -c '^[^=]\{77\}=$' email.txt)" -ge 20 ]
	[ "$(grep -c '^.\{69\}\\$' sed.txt)" -ge 20 ]
	for f in quopri email sed; do
		run --separate-stderr redact -e T <"$f.txt"
		assert_success
		[ -z "$stderr" ]
		assert_output "$(cat "$f.want")"
	done
}

@test "echo \"\$S\" | base64: the trailing newline changes the last block" {
	run --separate-stderr bash -c 'echo "$S" | base64 | redact -e S'
	assert_success
	# M holds the value's last 4 bits and the newline's first 2 (zero):
	# it reads as the value's own last character
	assert_output '***REDACTED***K'
	refute_secret "$(printf %s "$S" | base64)"
	refute_secret "$(printf %s "$S" | base64 | cut -c1-40)"
}

@test "base64 that the value ends: its last character and the padding are masked too" {
	run --separate-stderr bash -c 'printf %s "$S" | base64 | redact -e S'
	assert_success
	assert_output '***REDACTED***'
	# Basic auth: user:VALUE, the value ends the text at another alignment
	run --separate-stderr bash -c 'printf "Authorization: Basic %s\n" "$(printf "user:%s" "$S" | base64)" | redact -e S'
	assert_success
	assert_output 'Authorization: Basic dXNlcjp***REDACTED***'
	# base64url without padding, as in a JWT part
	run --separate-stderr bash -c 'printf "%s\n" "$(printf %s "$S" | base64 | tr "+/" "-_" | tr -d "=")" | redact -e S'
	assert_success
	assert_output '***REDACTED***'
	[ -z "$stderr" ]
}

@test "base64 of the value inside longer text, at every alignment" {
	for pre in '' 'u:' 'us:' 'usr:'; do
		b64=$(printf '%s%s/end' "$pre" "$S" | base64 -w0)
		url=$(printf '%s' "$b64" | tr '+/' '-_' | tr -d '=')
		run --separate-stderr bash -c \
			'printf "Authorization: Basic %s\nurl=%s\n" "$1" "$2" | redact -e S' \
			_ "$b64" "$url"
		assert_success
		assert_line --index 0 --regexp '^Authorization: Basic [A-Za-z0-9+/]{0,8}\*\*\*REDACTED\*\*\*[A-Za-z0-9+/=]{0,8}$'
		assert_line --index 1 --regexp '^url=[A-Za-z0-9_-]{0,8}\*\*\*REDACTED\*\*\*[A-Za-z0-9_-]{0,8}$'
		refute_secret "${b64:8:36}"
	done
}

@test "xxd -p of the value, wrapped at 60 columns, is masked line by line" {
	run --separate-stderr bash -c 'printf %s "$S" | xxd -p | redact -e S'
	assert_success
	assert_output $'***REDACTED***\n***REDACTED***'
	run --separate-stderr bash -c \
		'printf %s "$S" | xxd -p | tr a-f A-F | redact -e S'
	assert_output $'***REDACTED***\n***REDACTED***'
}

@test "a PEM key printed whole, with CRLF, line by line and JSON-escaped" {
	KEY=$(cat "$FIXTURES/redact/test-key.pem")
	export KEY
	# Each line is written at its end: the armour line is shown, every
	# other line (the last with the END armour after the key) masked.
	run --separate-stderr bash -c 'printf "%s\n" "$KEY" | redact -e KEY'
	assert_success
	assert_line --index 0 -- '-----BEGIN PRIVATE KEY-----'
	[ "${#lines[@]}" -eq 16 ]
	[ "$(grep -cx '\*\*\*REDACTED\*\*\*' <<<"$output")" -eq 15 ]
	run --separate-stderr bash -c \
		'printf "%s\n" "$KEY" | sed "s/\$/\r/" | redact -e KEY | sed -n 2p | od -c | head -1'
	assert_output --partial '*   *   *   R   E   D   A   C   T   E   D   *   *   *  \r  \n'
	run --separate-stderr bash -c \
		'while IFS= read -r l; do echo "log: $l"; done <<<"$KEY" | redact -e KEY'
	assert_success
	assert_line --index 0 'log: -----BEGIN PRIVATE KEY-----'
	assert_line --index 1 'log: ***REDACTED***'
	assert_line --index 14 'log: ***REDACTED***'
	assert_line --index 15 'log: -----END PRIVATE KEY-----'
	[ "$(grep -c 'REDACTED' <<<"$output")" -eq 14 ]
	run --separate-stderr bash -c \
		'jq -cn --arg k "$KEY" "{private_key: \$k}" | redact -e KEY'
	assert_output '{"private_key":"***REDACTED***"}'
	refute_secret "$(sed -n 2p "$FIXTURES/redact/test-key.pem")"
}

@test "a PEM key in a service account's JSON, converted to PKCS#1 (openssl rsa -traditional, Python's cryptography), to OpenSSH and to a JWK (Node): none of its private numbers shows" {
	local pem="$FIXTURES/redact/test-key.pem"
	GSA=$(jq -cn --rawfile k "$pem" '{type: "service_account", project_id: "p1", private_key: $k, client_email: "ci@p1.iam.gserviceaccount.com"}')
	export GSA
	cat >convert.py <<'PY'
import json, os
from cryptography.hazmat.primitives import serialization as s
k = s.load_pem_private_key(json.loads(os.environ["GSA"])["private_key"].encode(), None)
for f in (s.PrivateFormat.TraditionalOpenSSL, s.PrivateFormat.OpenSSH):
    print(k.private_bytes(s.Encoding.PEM, f, s.NoEncryption()).decode(), end="")
PY
	# leaks.py KEY < TEXT: every 16 characters (12 bytes) of the
	# private numbers' base64, either alphabet, any alignment, found
	cat >leaks.py <<'PY'
import base64, sys
from cryptography.hazmat.primitives import serialization as s
k = s.load_pem_private_key(open(sys.argv[1], "rb").read(), None).private_numbers()
text = sys.stdin.read()
for name in ("d", "p", "q", "dmp1", "dmq1", "iqmp"):
    n = getattr(k, name)
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    found = set()
    for align in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            t = enc(bytes(align) + b + bytes(2)).decode()
            inner = t[(8 * align + 5) // 6 + 1:len(t) - 4]
            if any(inner[i:i + 16] in text for i in range(len(inner) - 15)):
                found.add(str(align))
    if found:
        print("leak:", name, "at", ",".join(sorted(found)))
PY
	run --separate-stderr bash -c "{ jq -r .private_key <<<\"\$GSA\" | openssl rsa -traditional 2>/dev/null; python3 convert.py; } | redact -e GSA"
	assert_success
	local out=$output
	assert_line --index 0 -- '-----BEGIN RSA PRIVATE KEY-----'
	assert_line -- '-----END RSA PRIVATE KEY-----'
	assert_line -- '-----BEGIN OPENSSH PRIVATE KEY-----'
	run python3 leaks.py "$pem" <<<"$out"
	assert_success
	refute_output
	# the same check sees the numbers in the unmasked text
	run bash -c "python3 convert.py | python3 leaks.py $pem | wc -l"
	assert_output 6
	run --separate-stderr bash -c 'node -e "
const j = JSON.parse(process.env.GSA);
const k = require(\"crypto\").createPrivateKey(j.private_key);
console.log(JSON.stringify(k.export({ format: \"jwk\" })));" | redact -e GSA'
	assert_success
	assert_output --regexp '^\{"kty":"RSA","n":"\*\*\*REDACTED\*\*\*","e":"AQAB","d":"\*\*\*REDACTED\*\*\*","p":"\*\*\*REDACTED\*\*\*","q":"\*\*\*REDACTED\*\*\*","dp":"\*\*\*REDACTED\*\*\*","dq":"\*\*\*REDACTED\*\*\*","qi":"\*\*\*REDACTED\*\*\*[^"]{0,2}"\}$'
	run python3 leaks.py "$pem" <<<"$output"
	refute_output
}

@test "a PEM key's pieces across a line's end: a cut URL query (the URL parser drops the line break), and pprint's \\n before a line's first 11 bytes" {
	KEY=$(cat "$FIXTURES/redact/test-key.pem")
	L4=$(sed -n 4p "$FIXTURES/redact/test-key.pem")
	L5=$(sed -n 5p "$FIXTURES/redact/test-key.pem")
	export KEY
	[ "${L4:63}" = n ]
	# new URL(base + KEY) joins the lines: 3 bytes of line 4 and 9 of
	# line 5 in a row, the URL cut after them. pprint folds the key's
	# bytes into quoted pieces of 28 bytes: one ends with line 4's
	# last 8, the escape \n and line 5's first 11, which, line 4
	# ending in "n", are byte for byte a piece of the URL's text. The
	# bytes literal read as the bytes it denotes holds 19 of the key's
	# in a row (its LF dropped, as the pieces drop it): line 4's 8 are
	# starred too.
	mask KEY "url: https://api.example.com/v1/items?key=${L4:61}${L5:0:9}"$'\n' \
		"pprint: b'${L4:56:8}\\n${L5:0:11}'"$'\n'
	assert_success
	assert_output "url: https://api.example.com/v1/items?key=***REDACTED***
pprint: b'********\\***REDACTED***'"
	refute_secret "${L4:61}${L5:0:9}"
	refute_secret "n${L5:0:11}"
	refute_secret "${L4:56:8}"
}

@test "HTTP Basic credentials kept in base64 (a Docker config's auth): the password, printed alone by a program that splits the pair, masked" {
	# a password shorter than a piece: before, base64 -d | cut showed it
	# whole (the pair was masked whole, not its second half)
	DK='{"auths":{"ghcr.io":{"auth":"'$(printf 'robot$ci:Sh0rtPw9' | base64)'"}}}'
	export DK
	run --separate-stderr bash -c "printf %s \"\$DK\" | jq -r '.auths[\"ghcr.io\"].auth' | base64 -d | cut -d: -f2 | redact -e DK"
	assert_success
	[ -z "$stderr" ]
	assert_output '***REDACTED***'
	# as Python splits it (docker-py's decode_auth does the same), and
	# its user stays in the clear where it stands alone
	run --separate-stderr bash -c "python3 -c '
import base64, json, os
auth = json.loads(os.environ[\"DK\"])[\"auths\"][\"ghcr.io\"][\"auth\"]
user, password = base64.b64decode(auth).decode().split(\":\", 1)
print(\"login\", user, \"with\", password)' | redact -e DK"
	assert_success
	[ -z "$stderr" ]
	assert_output 'login robot$ci with ***REDACTED***'
	# base64 of a URL or of a line whose first word holds a blank is no
	# pair: its second half alone stays
	U=$(printf 'https://example.com:8443/x' | base64)
	W=$(printf 'a note: six ok' | base64)
	export U W
	run --separate-stderr bash -c 'printf "%s\n" "//example.com:8443/x" " six ok" | redact -e U,W'
	assert_success
	assert_output '//example.com:8443/x
 six ok'
}

@test "a JSON secret's short lines do not mask every brace" {
	JSON=$'{\n  "type": "service_account",\n  "private_key_id": "9f8e7d6c5b4a"\n}'
	export JSON
	run --separate-stderr bash -c \
		'{ printf "{\n  \"ok\": true\n}\n"; printf "%s\n" "$JSON"; } | redact -e JSON'
	assert_success
	# Written line by line: the lone brace is under the piece length;
	# a line's indent is no byte of the match.
	assert_output '{
  "ok": true
}
{
  ***REDACTED***
  ***REDACTED***
***REDACTED***'
	assert_equal "$stderr" \
		'redact: JSON: 2 lines shorter than 6 bytes are masked only within the whole value'
	run --separate-stderr bash -c \
		'echo "id: \"private_key_id\": \"9f8e7d6c5b4a\"" | redact -e JSON'
	assert_output 'id: ***REDACTED***'
}

@test "a value with \" \\ % & < \$ printed JSON-, URL-, XML- and shell-escaped" {
	{
		jq -cn --arg s "$SPECIAL" '$s'
		python3 -c 'import json,os; print(json.dumps(os.environ["SPECIAL"]))'
		python3 -c 'import urllib.parse as u,os; print(u.quote(os.environ["SPECIAL"], safe=""))'
		python3 -c 'import urllib.parse as u,os; print(u.quote_plus(os.environ["SPECIAL"]))'
		python3 -c 'import html,os; print(html.escape(os.environ["SPECIAL"]))'
		python3 -c 'from xml.sax.saxutils import escape; import os; print(escape(os.environ["SPECIAL"]))'
		printf '%q\n' "$SPECIAL"
		python3 -c 'import shlex,os; print(shlex.quote(os.environ["SPECIAL"]))'
		printf '"%s"\n' "$(printf %s "$SPECIAL" | sed 's/[\\"$`]/\\&/g')"
	} >escaped.txt
	run --separate-stderr redact -e SPECIAL <escaped.txt
	assert_success
	assert_output '"***REDACTED***"
"***REDACTED***"
***REDACTED***
***REDACTED***
***REDACTED***
***REDACTED***
***REDACTED***
'"'"'***REDACTED***'"'"'
"***REDACTED***"'
	refute_secret 'w<o'
	refute_secret 'w&lt;o'
	refute_secret '%26w%3Co'
}

@test "ANSI colours around a secret stay intact" {
	run --separate-stderr bash -c \
		'printf "\033[1;31merror\033[0m key=\033[33m%s\033[0m\n" "$S" | redact -e S'
	assert_success
	assert_output $'\033[1;31merror\033[0m key=\033[33msk_test_***REDACTED***\033[0m'
}

@test "0xFF and NUL bytes before and after a secret pass byte for byte" {
	printf '\377\377\000%s\377\000\n' "$S" >in.bin
	redact -e S <in.bin >out.bin
	printf '\377\377\000sk_test_***REDACTED***\377\000\n' >want.bin
	cmp out.bin want.bin
}

@test "a secret written in two halves with a pause between is still masked" {
	run --separate-stderr bash -c '
		{ printf "key: %s" "${S:0:15}"; sleep 0.3; printf "%s done\n" "${S:15}"; } |
			redact -e S'
	assert_success
	assert_output 'key: sk_test_***REDACTED*** done'
	refute_secret "$S"
}

@test "bytes that cannot start a secret are written before the stream goes on" {
	mkfifo in out
	redact -e S <in >out &
	exec 5>in 6<out
	printf 'ready: sk_test_4eC39' >&5
	# 7 bytes arrive while the writer still holds the pipe open; the
	# possible start of the secret is held back.
	read -r -t 20 -N 7 first <&6
	assert_equal "$first" 'ready: '
	printf 'HqLyjWDarjtT1zdp7dc\n' >&5
	exec 5>&-
	read -r -t 20 rest <&6
	exec 6<&-
	wait
	assert_equal "$rest" 'sk_test_***REDACTED***'
}

@test "a reader that goes away ends redact by SIGPIPE, as it ends cat: status 141" {
	vaultfetch init >/dev/null
	printf %s "$S" | vaultfetch put p1 STRIPE_SECRET_KEY
	vaultfetch fetch p1 >p1.blob
	# SIGPIPE as a shell leaves it, whatever the caller of the tests did
	run --separate-stderr env --default-signal=PIPE bash -c \
		'yes "$S" | redact -b p1.blob | head -1; echo "status ${PIPESTATUS[*]}"'
	assert_success
	assert_output "sk_test_***REDACTED***
status 141 141 0"
	[ -z "$stderr" ]
	refute_secret "$S"
}

@test "with SIGPIPE ignored, a reader that goes away is a write failure: 111, said so" {
	vaultfetch init >/dev/null
	printf %s "$S" | vaultfetch put p1 STRIPE_SECRET_KEY
	vaultfetch fetch p1 >p1.blob
	run --separate-stderr bash -c \
		'trap "" PIPE; yes "$S" | redact -b p1.blob 2>redact.err | head -1; echo "status ${PIPESTATUS[*]}"'
	assert_success
	assert_output "sk_test_***REDACTED***
status 1 111 0"
	assert_equal "$(cat redact.err)" "redact: write standard output: Broken pipe"
	refute_secret "$S"
	run grep -cF -- "$S" redact.err
	assert_output 0
}

@test "overlapping and nested secrets give one mask over their union" {
	export A=abcdefgh B=efghijkl C=1234567890 D=345678
	run --separate-stderr bash -c \
		'printf "x abcdefghijkl y 1234567890 z 345678\n" | redact -e A,B,C,D --format "[%n]"'
	assert_success
	assert_output 'x [A] y [C] z [D]'
}

@test "--format names the secret and places the kept prefix" {
	mask S "k=$S"$'\n'
	run --separate-stderr bash -c \
		'printf "k=%s\n" "$S" | redact -e S --format "<%n:%p%%>"'
	assert_output 'k=<S:sk_test_%>'
	run --separate-stderr bash -c \
		'printf "k=%s\n" "$S" | redact -e S --format "[%n]"'
	assert_output 'k=[S]'
}

@test "a value under the minimum length is named on stderr, never shown" {
	export SHORT=q7Zx LONGER=q7ZxLm
	run --separate-stderr bash -c \
		'printf "%s %s\n" "$SHORT" "$LONGER" | redact -e SHORT,LONGER,UNSET_ONE'
	assert_success
	assert_output 'q7Zx ***REDACTED***'
	assert_equal "$stderr" 'redact: SHORT: value shorter than 6 bytes is not masked
redact: UNSET_ONE: not set, nothing to mask'
	run --separate-stderr bash -c \
		'printf "%s\n" "$SHORT" | redact -e SHORT,SHORT --min-length 4'
	assert_output '***REDACTED***'
	[ -z "$stderr" ]
	# a list a script left empty is said too, and the input passes
	for list in '' ',,'; do
		run --separate-stderr bash -c 'printf "%s\n" "$LONGER" | redact -e "$0"' "$list"
		assert_success
		assert_output q7ZxLm
		assert_equal "$stderr" 'redact: -e names no variable, nothing to mask from the environment'
	done
}

@test "--no-encodings masks the raw value only" {
	run --separate-stderr bash -c \
		'{ printf "%s\n" "$S"; printf %s "$S" | base64; } | redact -e S --no-encodings'
	assert_success
	assert_output "sk_test_***REDACTED***
$(printf %s "$S" | base64)"
}

@test "--stats writes per-name mask counts and byte counts as JSON" {
	export OTHER=other-secret-value
	printf 'a %s b %s\n%s\n' "$S" "$S" "$(printf %s "$S" | base64)" >in.txt
	redact -e S,OTHER --stats stats.json <in.txt >out.txt
	run jq -c . stats.json
	assert_output "{\"bytes_in\":$(wc -c <in.txt),\"bytes_out\":$(wc -c <out.txt),\"masks\":{\"OTHER\":0,\"S\":3},\"unmasked\":[]}"
	[ "$(stat -c %a stats.json)" = 600 ]
	refute_secret "$S"
}

# (openssl's sha256, with the CPU's SHA instructions where it has them,
# costs about two thirds of sha256sum's here)
@test "256 MiB of random bytes pass with the same sha256" {
	mkfifo copy
	openssl dgst -sha256 -r <copy >in.sha &
	head -c 268435456 /dev/urandom | tee copy | redact -e S,DB | openssl dgst -sha256 -r >out.sha
	wait
	[ -s in.sha ]
	assert_equal "$(cat out.sha)" "$(cat in.sha)"
}

@test "a 100 MB line without a newline passes in bounded memory" {
	mkfifo copy
	openssl dgst -sha256 -r <copy >in.sha &
	head -c 75000000 /dev/urandom | base64 -w0 | tee copy |
		/usr/bin/time -f '%M' -o rss redact -e S,DB | openssl dgst -sha256 -r >out.sha
	wait
	assert_equal "$(cat out.sha)" "$(cat in.sha)"
	# Sanitizer builds carry their own shadow memory.
	if [[ "$SECENV_BIN" != */asan/* ]]; then
		[ "$(tail -1 rss)" -lt 16384 ]
	fi
}

@test "-b masks current and previous values of a sealed blob" {
	vaultfetch init >/dev/null
	printf %s 'old-value-7Qx9ZpLm' | vaultfetch put p1 TOKEN
	printf %s 'new-value-5Rt2WkNs' | vaultfetch put p1 TOKEN
	printf %s "$DB" | vaultfetch put p1 DATABASE_URL
	vaultfetch fetch p1 >p1.blob
	run --separate-stderr bash -c '
		printf "%s\n" old-value-7Qx9ZpLm new-value-5Rt2WkNs "$DB" |
			redact -b p1.blob --format "[%n]"'
	assert_success
	assert_output '[TOKEN]
[TOKEN]
postgresql://user:[DATABASE_URL]@db.example.com/mydb'
	refute_secret new-value-5Rt2WkNs
	refute_secret old-value-7Qx9ZpLm
}

@test "-b with a damaged blob fails with 111 and writes nothing" {
	vaultfetch init >/dev/null
	printf %s 'new-value-5Rt2WkNs' | vaultfetch put p1 TOKEN
	vaultfetch fetch p1 >p1.blob
	flip_byte p1.blob 100
	run --separate-stderr bash -c 'echo hello | redact -b p1.blob'
	assert_failure 111
	assert_output ''
	[[ "$stderr" == "redact: blob p1.blob: "* ]]
}

@test "--detect masks token formats that were never given as values" {
	{
		echo 'aws AKIAIOSFODNN7EXAMPLE done'
		echo 'stripe sk_live_51Hx9ZpLm2Rt5Qw8Yb3Nc7Vd end'
		echo 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end'
		echo 'short sk_live_abc and ghp_tooshort stay'
		cat "$FIXTURES/redact/test-key.pem"
	} >tokens.txt
	run --separate-stderr redact --detect --stats stats.json <tokens.txt
	assert_success
	assert_output 'aws AKIA***REDACTED*** done
stripe sk_live_***REDACTED*** end
jwt ***REDACTED*** end
short sk_live_abc and ghp_tooshort stay
***REDACTED***-----END PRIVATE KEY-----'
	refute_secret 'IOSFODNN7EXAMPLE'
	refute_secret "$(sed -n 2p "$FIXTURES/redact/test-key.pem")"
	run jq -c '.masks | with_entries(select(.value > 0))' stats.json
	assert_output '{"detected:aws":1,"detected:jwt":1,"detected:pem":1,"detected:stripe":1}'
	run --separate-stderr redact -e S <tokens.txt
	assert_line --index 0 'aws AKIAIOSFODNN7EXAMPLE done'
}

@test "string literals and every percent-encoder's safe set are masked" {
	export Q="Tok3n\"with\\back/slash&amp<pct%20 and \$dollar'q(x)*!"
	run --separate-stderr bash -c 'python3 -c "
import os, urllib.parse as u
v = os.environ[\"Q\"]
print(repr(v)); print(repr({\"k\": v}))
print(u.quote(v)); print(u.quote_plus(v)); print(u.quote(v, safe=\"\"))
" | redact -e Q'
	assert_success
	assert_output "'***REDACTED***'
{'k': '***REDACTED***'}
***REDACTED***
***REDACTED***
***REDACTED***"
	refute_secret 'Tok3n'
	command -v node >/dev/null || skip "node is not installed"
	run --separate-stderr bash -c 'node -e "
const v = process.env.Q, util = require(\"util\");
console.log(util.inspect(v)); console.log({ v });
console.log(encodeURIComponent(v)); console.log(encodeURI(v));
" | redact -e Q'
	assert_success
	assert_output '`***REDACTED***`
{ v: `***REDACTED***` }
***REDACTED***
***REDACTED***'
	refute_secret 'Tok3n'
}

# line_while_idle LINE: a program prints LINE and idles; prints what a
# reader of redact gets while it idles, then checks the program still runs.
line_while_idle() {
	rm -f in out
	mkfifo in out
	redact -e S <in >out &
	local masker=$!
	bash -c 'printf "%s\n" "$1"; exec sleep 60' _ "$1" >in &
	local writer=$!
	local got=
	IFS= read -r -t 20 got <out || true
	printf '%s\n' "$got"
	# the line came while the program idled: it is still running
	kill -0 "$writer"
	kill "$writer"
	wait "$writer" "$masker" || true
}

@test "a dev server's ready line is passed on at its newline while the server idles" {
	run line_while_idle 'Ready in 2.3s'
	assert_success
	assert_output 'Ready in 2.3s'
}

@test "a line ending in each of a value's first 11 bytes is passed on whole while the program idles" {
	for k in $(seq 11); do
		run line_while_idle "Ready in 2.3s ${S:0:k}"
		assert_success
		assert_output "Ready in 2.3s ${S:0:k}"
	done
	# 12 bytes and more of the value's secret part are masked as a piece
	run line_while_idle "Ready in 2.3s ${S:0:20}"
	assert_success
	assert_output 'Ready in 2.3s sk_test_***REDACTED***'
	refute_secret "${S:8:12}"
}

@test "a line's trailing blanks are a gap, not characters: a gap with five line breaks around them ends a match, one with four does not" {
	export V=abcdefghijklmnop
	# an OSC string ends at the tab after it, which begins the line's
	# trailing run: the line breaks around it are counted all the same
	run --separate-stderr bash -c "printf 'abcdefgh\r \e]8;x\t\r\n\n\r ijklmnop\n' | redact -e V"
	assert_success
	assert_output "$(printf 'abcdefgh\r \e]8;x\t\r\n\n\r ijklmnop')"
	run --separate-stderr bash -c "printf 'abcdefgh \e]8;x\t\r\n\n\r ijklmnop\n' | redact -e V"
	assert_success
	assert_output "$(printf '***REDACTED*** \e]8;x\t\r\n\n\r ***REDACTED***')"
}

@test "a prompt that ends in blanks after a value's first bytes is passed on while the program waits for its answer" {
	# whether the blanks end their line is told by what comes after
	# them; nothing does while the program waits, and after 50 ms they
	# are read as no line's end
	rm -f in out
	mkfifo in out
	redact -e S <in >out &
	local masker=$! got=
	bash -c 'printf "token %s  " "$1"; exec sleep 60' _ "${S:0:5}" >in &
	local writer=$!
	IFS= read -r -N 13 -t 20 got <out || true
	assert_equal "$got" "token ${S:0:5}  "
	kill -0 "$writer"
	kill "$writer"
	wait "$writer" "$masker" || true
}

@test "a value wrapped by fold and xxd -p with 2 to 11 of its characters at a line's end: masked there too, one alone shown" {
	T=Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8
	export T
	# 5 characters end the first line: held until the next line ends
	# the value, and masked with it
	run --separate-stderr bash -c 'printf "the key is %s and more\n" "$T" | fold -w 16 | redact -e T'
	assert_success
	[ -z "$stderr" ]
	assert_output "the key is ***REDACTED***
***REDACTED***
***REDACTED*** and more"
	# xxd -p: 10 hex digits of it (5 bytes) end a line of 60
	run --separate-stderr bash -c 'printf "%055d%s\n" 0 "$T" | tr 0 x | xxd -p | redact -e T'
	assert_success
	assert_output "787878787878787878787878787878787878787878787878787878787878
78787878787878787878787878787878787878787878787878***REDACTED***
***REDACTED***0a"
	# one character alone at a line's end is not held for: it shows
	run --separate-stderr bash -c 'printf "the key is %s\n" "$T" | fold -w 12 | redact -e T'
	assert_success
	assert_line --index 0 'the key is Z'
	assert_line --index 1 '***REDACTED***'
	for k in 2 3 5 11; do
		run --separate-stderr bash -c "printf '%s\n' \"\${T:0:$k}\" \"\${T:$k}\" | redact -e T"
		assert_success
		assert_output "***REDACTED***
***REDACTED***"
	done
}

@test "a value wrapped onto an indented line (argparse's help, textwrap's indent): masked on every line, the indent kept" {
	K=sk-proj-K8njjmSEONaOqK5UewKsNcz7IzzEoEkdx85vx7nxDujLlvjKHIn20wZl6d9CzBdWP72cQahJb5WYUL3TGJKDKZrfablejazprjxCc32LUooWPTm9qMmayZnKAoiSL5Hiyquwfrc7EISdd9Stgt1e4VWyDq1e
	export K
	# argparse breaks the default's word at the help's width and
	# indents each line after the first by 24 columns: at 100 columns
	# its last 8 characters stand alone on the last line
	# shellcheck disable=SC2016 # the program's text
	run --separate-stderr bash -c 'COLUMNS=100 python3 -c "
import argparse, os
p = argparse.ArgumentParser(prog=\"chat\",
    formatter_class=argparse.ArgumentDefaultsHelpFormatter)
p.add_argument(\"--openai-key\", default=os.environ[\"K\"],
    help=\"the key sent to the API\")
p.print_help()" | redact -e K'
	assert_success
	[ -z "$stderr" ]
	assert_output "usage: chat [-h] [--openai-key OPENAI_KEY]

options:
  -h, --help            show this help message and exit
  --openai-key OPENAI_KEY
                        the key sent to the API (default: sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***
                        sk-proj-***REDACTED***)"
	refute_secret "${K: -8}"
	# textwrap with a tab for the indent, the value's first 3
	# characters ending a line
	run --separate-stderr bash -c 'python3 -c "
import os, textwrap
print(textwrap.fill(\"token: \" + os.environ[\"K\"][8:40], width=10,
    subsequent_indent=\"\t\"))" | redact -e K'
	assert_success
	assert_output "$(printf 'token: ***REDACTED***\n\t***REDACTED***\n\t***REDACTED***\n\t***REDACTED***\n\t***REDACTED***')"
	refute_secret "${K:8:3}"
	# a blank that begins a line is its indent, never a value's: a
	# value folded right before a blank of its own is cut there, and
	# its pieces of 12 characters and more are masked
	P='correct horse battery staple'
	export P
	run --separate-stderr bash -c 'printf "%s\n" "$P" | fold -w 7 | redact -e P'
	assert_success
	assert_output "$(printf 'correct\n ***REDACTED***\n***REDACTED***\n staple')"
}

@test "a value wrapped in a column padded to its width (rich's log handler): masked on every line, the padding kept" {
	T=sk_live_51HqZxKJ4u2bY8cT9dWfE3gR7aL0mN6pQ1sV5xZ8yB2
	export T
	# RichHandler wraps the message in its column and pads each line
	# to the column's width (in colour, the path column's place after
	# it dimmed): the blanks that end the line stood between the
	# value's pieces, and those of 11 characters or fewer showed
	# (here 51HqZxK and xZ8yB2)
	rich_log() {
		python3 -c '
import logging, os, sys
from rich.console import Console
from rich.logging import RichHandler
color = sys.argv[2] == "color"
console = Console(width=int(sys.argv[1]), force_terminal=color,
    color_system="standard" if color else None, file=sys.stdout)
logging.basicConfig(level="INFO", format="%(message)s",
    handlers=[RichHandler(console=console, show_time=False,
        enable_link_path=False)])
logging.getLogger("app").info(
    "connecting with token %s to the billing service", os.environ["T"])
' "$@"
	}
	export -f rich_log
	run --separate-stderr bash -c 'rich_log 36 color | redact -e T'
	assert_success
	[ -z "$stderr" ]
	local e=$'\e' d=$'\e[2m           \e[0m'
	assert_output "${e}[34mINFO    ${e}[0m connecting with ${e}[2m<string>${e}[0m${e}[2m:${e}[0m${e}[2m11${e}[0m
         token           $d
         sk_live_***REDACTED*** $d
         sk_live_***REDACTED*** $d
         sk_live_***REDACTED*** $d
         sk_live_***REDACTED*** to the   $d
         billing service $d"
	# without colour, at a width where every piece was 11 characters
	# or fewer (the whole value showed but its prefix), and at one
	# where its last 5 stood alone
	for w in 24 60; do
		run --separate-stderr bash -c "rich_log $w plain | redact -e T"
		assert_success
		for ((i = 8; i + 4 <= ${#T}; i++)); do
			refute_secret "${T:i:4}"
		done
	done
}

@test "a value wrapped inside a box (rich's panels and bordered tables): masked on every line, the borders kept" {
	T=sk_live_51HqZxKJ4u2bY8cT9dWfE3gR7aL0mN6pQ1sV5xZ8yB2
	export T
	# a panel wraps its text inside borders: each line ends in blanks
	# and a border glyph, the next begins with one and a blank; they
	# stood between the value's pieces, and those of 11 characters or
	# fewer showed (here 5xZ8yB2)
	rich_panel() {
		python3 -c '
import os, sys
from rich.console import Console
from rich.panel import Panel
c = Console(width=int(sys.argv[1]), force_terminal=True,
    color_system="standard")
c.print(Panel("[bold]token[/] " + os.environ["T"] + " rejected",
    title="billing", border_style="red"))
' "$@"
	}
	export -f rich_panel
	run --separate-stderr bash -c 'rich_panel 26 | redact -e T'
	assert_success
	[ -z "$stderr" ]
	local e=$'\e' r=$'\e[31m' z=$'\e[0m'
	assert_output "${r}╭─${z}${r}──────${z}${r} billing ${z}${r}───────${z}${r}─╮${z}
${r}│${z} ${e}[1mtoken${z}                  ${r}│${z}
${r}│${z} sk_live_***REDACTED*** ${r}│${z}
${r}│${z} sk_live_***REDACTED*** ${r}│${z}
${r}│${z} sk_live_***REDACTED*** rejected       ${r}│${z}
${r}╰────────────────────────╯${z}"
	# a table's last column folded: each box style that borders it
	# with glyphs or with '|', at widths where pieces of 11 characters
	# or fewer stood alone (MINIMAL's lines end in blanks alone); one
	# Python prints them all, each table to a file of its own
	local boxes=(HEAVY_HEAD ROUNDED SQUARE DOUBLE MINIMAL ASCII ASCII2)
	python3 -c '
import os, sys
from rich import box
from rich.console import Console
from rich.table import Table
for name in sys.argv[1:]:
    for width in (24, 30, 36):
        t = Table(box=getattr(box, name))
        t.add_column("name")
        t.add_column("value", overflow="fold")
        t.add_row("KEY", os.environ["T"])
        with open(f"table-{name}-{width}.txt", "w") as f:
            Console(file=f, width=width).print(t)
' "${boxes[@]}"
	for box in "${boxes[@]}"; do
		for w in 24 30 36; do
			run --separate-stderr redact -e T <"table-$box-$w.txt"
			assert_success
			assert_output --partial ' KEY '
			for ((i = 8; i + 4 <= ${#T}; i++)); do
				refute_secret "${T:i:4}"
			done
		done
	done
}

@test "a value's hex cut by the input's end (head -c, no line end after it) is masked as one cut at a line's end" {
	# before, written as it stood: 16 to 34 of the value's characters
	# in hex showed
	run --separate-stderr bash -c 'printf "key %s\n" "$S" | xxd -p | head -c 40 | redact -e S'
	assert_success
	assert_output '6b657920***REDACTED***'
	run --separate-stderr bash -c 'printf "hex: %s" "$(printf %s "$S" | xxd -p)" | head -c 45 | redact -e S'
	assert_success
	assert_output 'hex: ***REDACTED***'
	run --separate-stderr bash -c 'python3 -c "import os; print(os.environ[\"S\"].encode().hex(\":\"))" 2>/dev/null | head -c 50 | redact -e S'
	assert_success
	assert_output '***REDACTED***'
	# under 12 characters of the form, as at a line's end: shown
	run --separate-stderr bash -c 'printf "hex: %s" "$(printf %s "$S" | xxd -p)" | head -c 16 | redact -e S'
	assert_success
	assert_output 'hex: 736b5f74657'
	run --separate-stderr bash -c 'printf "hex: %s\n" "$(printf %s "$S" | xxd -p | head -c 11)" | redact -e S'
	assert_output 'hex: 736b5f74657'
}

@test "a value cut short by an ellipsis or a period (rich's tables, Python's reprlib): masked from 12 characters on, its kept prefix shown" {
	T=sk_live_51HqZxKJ4u2bY8cT9dWfE3gR7aL0mN6pQ1sV5xZ8yB2
	export T
	# rich cuts a cell at its column's width with an ellipsis (its
	# default overflow): the cut value showed where fewer than 12 of
	# its secret characters stood before it (here 51HqZ)
	run --separate-stderr bash -c "python3 -c '
import os
from rich.console import Console
from rich.table import Table
t = Table()
t.add_column(\"name\")
t.add_column(\"value\")
t.add_column(\"source\")
t.add_row(\"STRIPE_KEY\", os.environ[\"T\"], \"vault\")
Console(width=40).print(t)
' | redact -e T"
	assert_success
	[ -z "$stderr" ]
	assert_output "┏━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━┓
┃ name       ┃ value          ┃ source ┃
┡━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━┩
│ STRIPE_KEY │ sk_live_***REDACTED***… │ vault  │
└────────────┴────────────────┴────────┘"
	# with two columns, at 30 and 36: 4 and 10 of its characters
	for w in 30 36; do
		run --separate-stderr bash -c "python3 -c '
import os
from rich.console import Console
from rich.table import Table
t = Table()
t.add_column(\"name\")
t.add_column(\"value\")
t.add_row(\"STRIPE_KEY\", os.environ[\"T\"])
Console(width=$w).print(t)
' | redact -e T"
		assert_success
		assert_output --partial 'sk_live_***REDACTED***…'
		refute_secret 51Hq
	done
	# Python's reprlib keeps a long string's ends around "..." (its
	# 12 first characters: the prefix and 51Hq showed)
	run --separate-stderr bash -c "python3 -c 'import os, reprlib; print(reprlib.repr({\"api_key\": os.environ[\"T\"]}))' | redact -e T"
	assert_success
	[ -z "$stderr" ]
	assert_output "{'api_key': 'sk_live_***REDACTED***...***REDACTED***'}"
	# "..." and a period cut it too; 11 characters before the
	# ellipsis are fewer than a piece, and show
	run --separate-stderr bash -c 'printf "key=%s... (cut)\n%s.\n%s… ok\n" "${T:0:14}" "${T:0:12}" "${T:0:11}" | redact -e T'
	assert_success
	assert_output "key=sk_live_***REDACTED***... (cut)
sk_live_***REDACTED***.
sk_live_51H… ok"
}

@test "pdb's --Return-- line (reprlib's cut: a repr()'s last 13 characters after ...) with a quote or an escape among them: masked" {
	# the literal's pieces stop at a quote (` or \' there), and the 12
	# bytes that end the value showed (4 random passwords of 29 to 32
	# characters in 100)
	export A='<[l~I-C:e`aL3]GjETtyTT?\L`qKFAKE' B=$'Zq8#vW3nR5tY1uI7o\'P2aS"d\\4fG6hJ'
	printf 'import os\ndef get_password():\n    return os.environ["PW"]\npw = get_password()\n' >app.py
	local name
	for name in A B; do
		printf 'b get_password\nc\nr\nq\n' | PW=${!name} /usr/bin/python3 -m pdb app.py 2>&1 | grep -F 'get_password()->'
	done >plain
	mask_plain A,B "get_password()->'<[l~I-C:e\`aL...TT?\\\\L\`qKFAKE'"
	assert_output "> $PWD/app.py(3)get_password()->'***REDACTED***...***REDACTED***'
> $PWD/app.py(3)get_password()->'***REDACTED***...***REDACTED***'"
}

@test "a value the code under test cut, in a test's failure (pytest, unittest, node:assert, chai): its piece, escaped as each quotes it, is masked from 12 characters on" {
	# a password with both quotes and a backslash: each language escapes
	# some of them, so no 12 of its bytes stand as they are in a piece;
	# its first 13 characters, as a column's limit cuts it, showed whole
	PW='p"a\ss'"'"'wörd-ü€-Xy9Z!q'
	export PW
	mkdir "$BATS_TEST_TMPDIR/t"
	cat >"$BATS_TEST_TMPDIR/t/test_cut.py" <<'EOF'
import os
import unittest

PW = os.environ["PW"]


def load():
    return PW[:13]


def test_password():
    assert load() == PW


class Password(unittest.TestCase):
    def test_password(self):
        self.assertEqual(load(), PW)
EOF
	run --separate-stderr bash -c "cd '$BATS_TEST_TMPDIR/t' && env -u CI -u BUILD_NUMBER COLUMNS=80 PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider test_cut.py | redact -e PW"
	assert_success
	[ -z "$stderr" ]
	run grep -E '^(E .*(assert|Error)|FAILED)' <<<"$output"
	assert_output "E       assert '***REDACTED***' == '***REDACTED***'
E       AssertionError: '***REDACTED***' != '***REDACTED***'
FAILED test_cut.py::test_password - assert '***REDACTED***' == '***REDACTED***...
FAILED test_cut.py::Password::test_password - AssertionError: '***REDACTED***..."
	# node:assert quotes it in backquotes, its backslash doubled; chai
	# (loupe) escapes its ' and leaves the backslash, and cuts a string
	# past 40 columns with an ellipsis
	cat >"$BATS_TEST_TMPDIR/t/cut.js" <<'EOF'
const assert = require("node:assert");
const { expect } = require("chai");
const PW = process.env.PW;
const load = () => PW.slice(0, 13);
const tries = [
  () => assert.strictEqual(load(), PW),
  () => assert.deepStrictEqual({ password: load() }, { password: PW }),
  () => expect(load()).to.equal(PW),
  () => expect(`host=db.int user=app pw=${PW}`).to.equal("host=db.int"),
];
for (const t of tries) {
  try {
    t();
  } catch (e) {
    console.log(e.message);
  }
}
EOF
	run --separate-stderr bash -c "NODE_PATH=/usr/share/nodejs node '$BATS_TEST_TMPDIR/t/cut.js' | redact -e PW"
	assert_success
	[ -z "$stderr" ]
	run grep -E '`|expected ' <<<"$output"
	assert_output "+ \`***REDACTED***\`
- \`***REDACTED***\`
+   password: \`***REDACTED***\`
-   password: \`***REDACTED***\`
expected '***REDACTED***' to equal '***REDACTED***'
expected 'host=db.int user=app pw=***REDACTED***…' to equal 'host=db.int'"
	# repr() takes double quotes for a str with ' and no ": 15 of a
	# password's 20 bytes showed
	X="VmOfq'e4\\qY{5d&IlGPk"
	export X
	run --separate-stderr bash -c 'python3 -c "import os; print(repr(os.environ[\"X\"][:15]), repr(os.environ[\"X\"][:8]))" | redact -e X'
	assert_success
	assert_output "\"***REDACTED***\" \"VmOfq'e4\""
	refute_secret "qY{5d"
	# fewer than 12 characters show, as a piece of the value itself
	# does, and so do 7 bytes in strace's \xhh (28 characters): 12 of
	# them (48) are masked, as before
	run --separate-stderr bash -c 'printf "%s\n" "'"'"'p\"a\\\\ss\\'"'"'wö'"'"'" "\"\\x70\\x22\\x61\\x5c\\x73\\x73\\x27\"..." | redact -e PW'
	assert_success
	assert_output "'p\"a\\\\ss\\'wö'
\"\\x70\\x22\\x61\\x5c\\x73\\x73\\x27\"..."
	run --separate-stderr bash -c 'python3 -c "import os; print(\"\\\"\" + \"\".join(\"\\\\x%02x\" % b for b in os.environ[\"PW\"].encode()[:12]) + \"\\\"...\")" | redact -e PW'
	assert_success
	assert_output '"***REDACTED***"...'
}

@test "a value's last 9 characters after \"...\" (pytest's report of a list): masked, the dots shown; other ends of fewer than 12 show" {
	T=sk_test_4eC39HqLyjWDarjtT1zdp7dcQq8wVb2XyZ
	export T
	# pytest cuts a list's string to its two ends around "...": 3 of
	# the secret characters before and 9 after showed
	mkdir "$BATS_TEST_TMPDIR/t"
	printf '%s\n' 'import os' 'def test_key():' '    assert [os.environ["T"], 1] == [os.environ["T"], 2]' \
		>"$BATS_TEST_TMPDIR/t/test_key.py"
	# (pytest cuts the short summary at the terminal's width unless CI
	# or BUILD_NUMBER is set; both ways are checked)
	run --separate-stderr bash -c "cd '$BATS_TEST_TMPDIR/t' && env -u CI -u BUILD_NUMBER COLUMNS=80 PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider test_key.py | redact -e T"
	assert_success
	[ -z "$stderr" ]
	# (the summary line cut at 80 columns: 3 and 7 of them, fewer than
	# a piece each)
	run grep -F "AssertionError: assert [" <<<"$output"
	assert_output "E       AssertionError: assert ['sk_test_4eC...***REDACTED***', 1] == ['sk_test_4eC...***REDACTED***', 2]
FAILED test_key.py::test_key - AssertionError: assert ['sk_test_4eC...q8wVb2X..."
	run --separate-stderr bash -c "cd '$BATS_TEST_TMPDIR/t' && env -u BUILD_NUMBER CI=true COLUMNS=80 PYTHONDONTWRITEBYTECODE=1 python3 -m pytest -q -p no:cacheprovider test_key.py | redact -e T"
	assert_success
	[ -z "$stderr" ]
	run grep -F "AssertionError: assert [" <<<"$output"
	assert_output "E       AssertionError: assert ['sk_test_4eC...***REDACTED***', 1] == ['sk_test_4eC...***REDACTED***', 2]
FAILED test_key.py::test_key - AssertionError: assert ['sk_test_4eC...***REDACTED***', 1] == ['sk_test_4eC...***REDACTED***', 2]"
	# its last 9 characters after the dots; 12 or more are a piece;
	# 8, 10 and 11, and a piece cut again, show
	run --separate-stderr bash -c 'printf "%s\n" "x...${T: -9}" "x...${T: -12}!" "a...${T: -13:10}..." "c...${T: -8}" "d...${T: -10}" | redact -e T'
	assert_success
	[ -z "$stderr" ]
	assert_output "x...***REDACTED***
x...***REDACTED***!
a...7dcQq8wVb2...
c...8wVb2XyZ
d...Qq8wVb2XyZ"
}

@test "a value folded in a table's middle column: its first line, cut by the column's border, masked from 12 characters on" {
	T=sk_live_51HqZxKJ4u2bY8cT9dWfE3gR7aL0mN6pQ1sV5xZ8yB2
	export T
	# the lines after the first go on through the empty cells beside
	# them (blanks and borders); the first is cut by " | vault |", and
	# its characters after the prefix showed (here 51HqZx)
	rich_fold() {
		python3 -c '
import os, sys
from rich import box
from rich.console import Console
from rich.table import Table
t = Table(box=getattr(box, sys.argv[2]))
t.add_column("name")
t.add_column("value", overflow="fold")
t.add_column("source")
t.add_row("STRIPE_KEY", os.environ["T"], "vault")
Console(width=int(sys.argv[1])).print(t)
' "$@"
	}
	export -f rich_fold
	run --separate-stderr bash -c 'rich_fold 40 ROUNDED | redact -e T'
	assert_success
	[ -z "$stderr" ]
	assert_output "╭────────────┬────────────────┬────────╮
│ name       │ value          │ source │
├────────────┼────────────────┼────────┤
│ STRIPE_KEY │ sk_live_***REDACTED*** │ vault  │
│            │ ***REDACTED*** │        │
│            │ ***REDACTED*** │        │
│            │ ***REDACTED***      │        │
╰────────────┴────────────────┴────────╯"
	for w in 44 50; do
		run --separate-stderr bash -c "rich_fold $w ASCII | redact -e T"
		assert_success
		assert_output --partial '| STRIPE_KEY | sk_live_***REDACTED*** | vault  |'
		for ((i = 8; i + 4 <= ${#T}; i++)); do
			refute_secret "${T:i:4}"
		done
	done
	# a value cut by a format's precision in a bordered row
	run --separate-stderr bash -c 'printf "| %-10s | %.16s | %s |\n" KEY "$T" vault | redact -e T'
	assert_success
	assert_output "| KEY        | sk_live_***REDACTED*** | vault |"
}

@test "diff -y cuts a line's left column at its width, before \" <\" or a tab: a value's form cut there is masked from 12 characters on" {
	# a password percent-encoded in a URL, and a 15-byte password (too
	# short for pieces): each showed whole where diff -y cut it
	export P="O'Re!lly\$ecret\\Pw#9 x" Q='Tr0ub4dor&3xyz!'
	local enc
	enc=$(python3 -c 'import os, urllib.parse; print(urllib.parse.quote(os.environ["P"], safe=""))')
	printf 'APP_ENV=staging\nDATABASE_URL=postgresql://app:%s@db.internal:5432/prod\n' "$enc" >staging.env
	printf 'APP_ENV=production\n' >prod.env
	cp staging.env same.env
	printf 'Q=%s\nQ=%s\n' "$Q" "$Q" >o.env
	printf 'Q=%s\n' "$Q" >n.env
	run --separate-stderr bash -c 'diff -y staging.env prod.env | redact -e P,Q'
	assert_equal "$status" 0
	assert_output "$(printf 'APP_ENV=staging\t\t\t\t\t\t      |\tAPP_ENV=production\nDATABASE_URL=postgresql://app:***REDACTED*** <')"
	run --separate-stderr bash -c 'diff -y staging.env same.env | redact -e P,Q'
	assert_line --index 1 "$(printf 'DATABASE_URL=postgresql://app:***REDACTED***\tDATABASE_URL=postgresql://app:***REDACTED***')"
	run --separate-stderr bash -c 'diff -y -W 40 o.env n.env | redact -e P,Q'
	assert_output "$(printf 'Q=***REDACTED***\tQ=***REDACTED***\nQ=***REDACTED***   <')"
	refute_output --partial 'Tr0ub4dor'
	[ -z "$stderr" ]
	# a match that goes on with a tab is no cut: a value holding one
	export T=$'Ab3dE6gHi9kL\tm2No5qRs8Tu1Vw'
	run --separate-stderr bash -c 'printf "key=%s done\n" "$T" | redact -e T'
	assert_output 'key=***REDACTED*** done'
}

@test "border glyphs and '|' at a line's ends: a gap with one blank or more, in an indent too; inside a line, or other text with E2, text" {
	export P=Zq8vW3nR5tY1uI7oP2aSx4
	# one blank and a border end the line; borders nest in the indent
	run --separate-stderr bash -c 'printf "key Zq8vW3nR5tY1u │\n│ │    ┃ I7oP2aSx4 ok\n" | redact -e P'
	assert_success
	[ -z "$stderr" ]
	assert_output "$(printf 'key ***REDACTED*** │\n│ │    ┃ ***REDACTED*** ok')"
	# a border inside a line parts two pieces of fewer than 12
	run --separate-stderr bash -c 'printf "Zq8vW3nR5tY │ 1uI7oP2aSx4\n" | redact -e P'
	assert_success
	assert_output "Zq8vW3nR5tY │ 1uI7oP2aSx4"
	# so is a '|' (ASCII tables), but not between two characters (a
	# table's inner column, a pipe)
	run --separate-stderr bash -c 'printf "| key Zq8vW3nR5tY1u |\n|     | I7oP2aSx4 ok |\n" | redact -e P'
	assert_success
	assert_output "$(printf '| key ***REDACTED*** |\n|     | ***REDACTED*** ok |')"
	run --separate-stderr bash -c 'printf "Zq8vW3nR5tY |1uI7oP2aSx4\nZq8vW3nR5tY| 1uI7oP2aSx4\n" | redact -e P'
	assert_success
	assert_output "$(printf 'Zq8vW3nR5tY |1uI7oP2aSx4\nZq8vW3nR5tY| 1uI7oP2aSx4')"
	# a curly quote (E2 80 9C) at the line's end is no border
	run --separate-stderr bash -c 'printf "Zq8vW3nR5tY \xe2\x80\x9c\n1uI7oP2aSx4\n" | redact -e P'
	assert_success
	assert_output "$(printf 'Zq8vW3nR5tY \xe2\x80\x9c\n1uI7oP2aSx4')"
}

@test "base64 of a file where a value begins late on a line (base64, openssl base64): its first characters masked there, over two lines and over three" {
	T=Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8
	L=Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8Mm0Lk9Jh7Gf5Dd3Ss1Aa2QwErTyUiOpLkJhGfDsAzXcVbNm1234567890qwertyuiopasdfgh
	export T L
	# 51 bytes before the value: 8 characters of its base64 end the
	# first line of 76
	run --separate-stderr bash -c '{ printf "%51s" "" | tr " " a; printf "%s end\n" "$T"; } | base64 | redact -e T'
	assert_success
	[ -z "$stderr" ]
	assert_output "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh***REDACTED***
***REDACTED***CBlbmQK"
	run --separate-stderr bash -c '{ printf "%51s" "" | tr " " a; printf "%s end\n" "$L"; } | base64 | redact -e L'
	assert_success
	assert_output "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh***REDACTED***
***REDACTED***
***REDACTED***gZW5kCg=="
	run --separate-stderr bash -c '{ printf "%51s" "" | tr " " a; printf "%s end\n" "$T"; } | openssl base64 | redact -e T'
	assert_success
	assert_line --index 1 'YWFh***REDACTED***CBlbmQK'
}

@test "any 12 bytes of a value's secret part are masked: truncated, cut out, split over two lines" {
	mask S "[40 chars] ${S:0:20}..."$'\n' "input_value='${S:8:14}'"$'\n' \
		"first half ${S:0:20}"$'\n' "second half ${S:20}"$'\n' \
		"eleven ${S:8:11} stays"$'\n'
	assert_success
	assert_output "[40 chars] sk_test_***REDACTED***...
input_value='***REDACTED***'
first half sk_test_***REDACTED***
second half ***REDACTED***
eleven ${S:8:11} stays"
	for i in $(seq 8 20); do refute_secret "${S:i:12}"; done
}

@test "strace's strings cut at -s, in hex (-xx; -x of a write with a byte past ASCII): 12 bytes of a value or more before the cut masked, 11 shown" {
	command -v strace >/dev/null || skip "strace is not installed (make deps)"
	strace -qq -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	local T=sk_live_Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8Mm0Lk9Jh o fill hex shown
	local U='pässwörd-Zq8vW3nR5tY1uI7oP2aS-üñí'
	export T U
	# strace prints a write's first 32 bytes (its -s): the value after
	# 0 to 21 bytes of other text, so 32 down to 11 of its bytes show
	for ((o = 0; o <= 21; o++)); do
		printf -v fill '%*s' "$o" ''
		fill=${fill// /=}
		strace -qq -xx -e trace=write printf '%s%s' "$fill" "$T" 2>>xx.trace >/dev/null
		strace -qq -x -e trace=write printf '\001%s%s' "$fill" "$U" 2>>x.trace >/dev/null
	done
	# as strace prints them: every byte as \xhh, cut
	[[ $(sed -n 1p xx.trace) == 'write(1, "\x73\x6b\x5f\x6c\x69\x76\x65\x5f\x5a\x71'*'"..., 44) = 44' ]]
	[[ $(sed -n 1p x.trace) == 'write(1, "\x01\x70\xc3\xa4\x73\x73\x77\xc3\xb6\x72\x64'*'"..., 39) = 39' ]]
	# (built in this shell: a process started from the test's shell for
	# each of the 44 lines cost more than the rest of the test)
	local -a traced
	for trace in xx x; do
		local value=$T lead= expected= bytes
		[[ $trace == xx ]] || value=$U lead='\x01'
		bytes=$(printf '%s' "$value" | wc -c)
		mapfile -t traced <"$trace.trace"
		for ((o = 0; o <= 21; o++)); do
			printf -v hex "%${o}s" ''
			hex=$lead${hex// /\\x3d}
			shown=$((32 - o - ${#lead} / 4))
			if ((shown >= 12)); then
				expected+="write(1, \"$hex***REDACTED***\"..., $((o + ${#lead} / 4 + bytes))) = $((o + ${#lead} / 4 + bytes))"$'\n'
			else
				expected+=${traced[o]}$'\n'
			fi
		done
		run --separate-stderr redact -e T,U <"$trace.trace"
		assert_success
		assert_output "${expected%$'\n'}"
		assert_equal "$stderr" ""
	done
	# 11 bytes and fewer show: the last lines, as strace printed them
	[[ $output == *'\x3d\x3d\x3d\x70\xc3\xa4\x73\x73\x77\xc3\xb6\x72\x64"..., 60) = 60' ]]
	# a command of secenv run traced so: its stderr masked alike
	secenv init >/dev/null 2>&1
	secenv_put p1 T "$T"
	printf '%s\n' 'import os' 'os.write(1, b"==" + os.environb[b"T"])' >w.py
	run --separate-stderr secenv run -p p1 -- \
		strace -qq -xx -e trace=write /usr/bin/python3 w.py
	assert_success
	assert_output "==sk_live_***REDACTED***"
	assert_equal "$stderr" 'write(1, "\x3d\x3d***REDACTED***"..., 46) = 46'
}

@test "a URL's password is masked by its pieces; its scheme, user and host are not pieces" {
	mask DB "pw cut: s3cr3tP4ssw0"$'\n' "host: postgresql://user:x@db.example.com/other"$'\n'
	assert_success
	assert_output 'pw cut: ***REDACTED***
host: postgresql://user:x@db.example.com/other'
}

@test "a password with \":\" in a URL Node's legacy url.format wrote (url.parse().href, axios's _currentUrl): encodeURIComponent's escapes with \":\" as it is, masked" {
	# one generated password with symbols in five holds a ":": the
	# legacy serializer leaves it, and the password showed whole
	P='P@ssw0rd$2024!:abc'
	export P
	cat >legacy.js <<'EOF'
const url = require("url");
const axios = require("axios");
const pw = process.env.P;
console.log(url.parse(`http://deploy:${encodeURIComponent(pw)}@127.0.0.1:1/api`).href);
axios
  .get("http://127.0.0.1:1/api", { auth: { username: "deploy", password: pw } })
  .catch((e) => console.log(e.request._currentUrl));
EOF
	run --separate-stderr bash -c 'NODE_PATH=/usr/share/nodejs node legacy.js | redact -e P'
	assert_success
	[ -z "$stderr" ]
	assert_output 'http://deploy:***REDACTED***@127.0.0.1:1/api
http://deploy:***REDACTED***@127.0.0.1:1/api'
	refute_secret 'ssw0rd%242024!:abc'
}

@test "a value in a URL that httpx, Ruby's URI escape and Rack, Django's iri_to_uri and escape_uri_path, Node's url.parse and Werkzeug's url_quote wrote (\"[\", \"]\" and RFC 3986's reserved characters as they are): masked" {
	# each library leaves a set of its own as it is; between its
	# escapes a value's runs fell under 12 bytes and it showed whole
	export P='n7[Xq2=Lm|9;Wz]3@aB^' Q='Qm7=vR2;kP9&zL4+xW8,' R="x9[Ab%cD#eF|gH'jK]2"
	cat >urls.py <<'EOF'
import os
import httpx
from django.conf import settings
settings.configure()
from django.http import HttpResponseRedirect
from django.utils.encoding import escape_uri_path
from flask import Flask, url_for
from werkzeug.urls import url_quote
p, q, r = os.environ["P"], os.environ["Q"], os.environ["R"]
url = "http://127.0.0.1:1/v1/report?api_password=" + p
try:
    httpx.Response(404, request=httpx.Request("GET", url)).raise_for_status()
except httpx.HTTPStatusError as e:
    print(str(e).splitlines()[0])
print(repr(HttpResponseRedirect("/oauth/callback?client_secret=" + r)))
print("path:", escape_uri_path("/files/" + p))
app = Flask("urls")
app.add_url_rule("/callback", "callback")
with app.test_request_context():
    print("redirect target:", url_for("callback", secret=q, _external=True))
print("file:", url_quote("/srv/" + q))
EOF
	cat >urls.rb <<'EOF'
require "uri"
require "rack"
puts "GET " + URI::DEFAULT_PARSER.escape("https://api.example.com/r?pw=" + ENV["P"])
puts "path: " + Rack::Utils.escape_path("/files/" + ENV["P"])
EOF
	run --separate-stderr bash -c '{ /usr/bin/python3 urls.py; ruby urls.rb
		node -e "const url = require(\"url\");
console.log(url.parse(\"http://127.0.0.1:9/r?pw=\" + process.env.R).href)"; } | redact -e P,Q,R'
	assert_success
	[ -z "$stderr" ]
	assert_output "Client error '404 Not Found' for url 'http://127.0.0.1:1/v1/report?api_password=***REDACTED***'
<HttpResponseRedirect status_code=302, \"text/html; charset=utf-8\", url=\"/oauth/callback?client_secret=***REDACTED***\">
path: /files/***REDACTED***
redirect target: http://localhost/callback?secret=***REDACTED***
file: /srv/***REDACTED***
GET https://api.example.com/r?pw=***REDACTED***
path: /files/***REDACTED***
http://127.0.0.1:9/r?pw=***REDACTED***"
	refute_secret 'Xq2=Lm'
	refute_secret 'vR2;kP9'
	refute_secret 'eF%7CgH'
}

@test "redis-cli's quoting of keys' bytes (MONITOR, --no-raw, --csv: \\a and \\b by name, \\xhh): masked" {
	command -v redis-server >/dev/null || skip "redis-server is not installed"
	# 20 random keys of 32 bytes, stored as a binary value; where one
	# held a byte 7 or 8, which redis-cli names \a and \b, it showed
	# whole (one key in six)
	random_keys 20
	redis-server --port 0 --unixsocket "$PWD/r.sock" --save '' --appendonly no \
		>redis.log 2>&1 &
	local server=$! waited=0
	while [[ ! -S r.sock ]] && ((waited++ < 100)); do sleep 0.05; done
	redis-cli -s r.sock MONITOR >monitor.txt &
	local monitor=$!
	waited=0
	until redis-cli -s r.sock CLIENT LIST | grep -q 'cmd=monitor' || ((waited++ > 100)); do
		sleep 0.05
	done
	for i in {0..19}; do
		local k=K$i
		printf %s "${!k}" | base64 -d | redis-cli -s r.sock -x SET "key:$i" >/dev/null
	done
	redis-cli -s r.sock --no-raw MGET key:{0..19} >mget.txt
	redis-cli -s r.sock --csv MGET key:{0..19} >csv.txt
	kill "$monitor" "$server"
	wait "$server" || :
	run --separate-stderr bash -c 'cat mget.txt csv.txt monitor.txt | redact -e "$0"' "$KEY_NAMES"
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "$output" >masked.txt
	# no 12 bytes of any key's quoting; 60 masks: each key in the
	# MGET, the CSV line and the SET that MONITOR showed
	run python3 -c 'import base64, os, sys
text = open("masked.txt", "rb").read()
named = {7: b"\\a", 8: b"\\b", 9: b"\\t", 10: b"\\n", 13: b"\\r"}
def quoted(k):
    out = b""
    for b in k:
        if b in (34, 92):
            out += b"\\" + bytes([b])
        elif b in named:
            out += named[b]
        elif 32 <= b <= 126:
            out += bytes([b])
        else:
            out += b"\\x%02x" % b
    return out
for i in range(20):
    form = quoted(base64.b64decode(os.environ["K%d" % i]))
    for at in range(len(form) - 11):
        if form[at:at + 12] in text:
            sys.exit("K%d shows: %r" % (i, form[at:at + 12]))
print(text.count(b"***REDACTED***"))'
	assert_success
	assert_output 60
}

@test "xmlstarlet's (libxml2's) references past ASCII in upper-case hex, quotes in text and ' in an attribute as they are: masked" {
	# a config file edited with xmlstarlet ed, which declares no
	# encoding: &#xFC; where the styles before wrote &#xfc; or &#252;,
	# and a value with a quote and a letter past ASCII showed whole
	export X="Gr\"üße'<Pass>&wörd-2024"
	printf '<cfg>\n  <db password="x">x</db>\n</cfg>\n' >cfg.xml
	run --separate-stderr bash -c 'xmlstarlet ed -u /cfg/db -v "$X" -u /cfg/db/@password -v "$X" cfg.xml | redact -e X'
	assert_success
	[ -z "$stderr" ]
	assert_output '<?xml version="1.0"?>
<cfg>
  <db password="***REDACTED***">***REDACTED***</db>
</cfg>'
}

@test "colour codes inside a value (grep --color) do not stop the mask and survive it" {
	run --separate-stderr bash -c \
		'echo "key=$S end" | grep --color=always HqLy >colour.txt; redact -e S <colour.txt'
	assert_success
	codes=$(grep -o $'\e\\[[0-9;]*[mK]' colour.txt | tr -d '\n')
	[ -n "$codes" ]
	assert_output "key=sk_test_***REDACTED***${codes} end"
	refute_secret 'HqLy'
	refute_secret "${S:8:12}"
}

@test "jq -C and pygments colours: the value is masked, every colour code stays in order" {
	export PY='Tok3n%sAbc9XyZ12345'
	run --separate-stderr bash -c '
		jq -Cn --arg s "$S" "{key: \$s, n: 1}"
		python3 -c "
import os
from pygments import highlight
from pygments.lexers import PythonLexer
from pygments.formatters import TerminalFormatter
print(highlight(\"key = \\\"%s\\\"\\n\" % os.environ[\"PY\"], PythonLexer(), TerminalFormatter()), end=\"\")
"' 
	assert_success
	printf '%s\n' "$output" >colour.txt
	# pygments cuts the value at its %s: codes stand between its characters
	grep -q $'Tok3n\e' colour.txt
	run --separate-stderr redact -e S,PY <colour.txt
	assert_success
	refute_secret "${S:8:12}"
	refute_secret 'Tok3n'
	refute_secret 'Abc9XyZ12345'
	assert_equal "$(grep -o $'\e\\[[0-9;]*m' <<<"$output")" \
		"$(grep -o $'\e\\[[0-9;]*m' colour.txt)"
	assert_line --index 1 --partial $'"\e[0m\e[1;39m,'
	[ "$(grep -c 'REDACTED' <<<"$output")" -eq 2 ]
}

@test "an OSC 8 hyperlink inside a value does not stop the mask" {
	run --separate-stderr bash -c \
		'printf "see %s\e]8;;https://example.com/\e\\\\%s\e]8;;\e\\\\ now\n" "${S:0:16}" "${S:16}" | redact -e S'
	assert_success
	assert_output $'see sk_test_***REDACTED***\e]8;;https://example.com/\e\\\e]8;;\e\\ now'
}

@test "a value inside an OSC string (a window title, an OSC 8 link's URI) is masked there: the masker reads the string as noise" {
	local stars=${S:8}
	stars=${stars//?/*}
	# a title ended by BEL, a link's URI ended by ESC \, a title that a
	# line end breaks off, one padded past the 256 bytes the masker
	# reads as one sequence, and one the input ends in
	cat >osc.sh <<'SH'
printf '\e]0;%s\a\n' "$S"
printf 'link \e]8;;https://x.example/?t=%s\e\\here\e]8;;\e\\\n' "$S"
printf '\e]2;%s\n' "$S"
printf '\e]0;%300s%s%300s\a\n' "" "$S" ""
printf '\e]0;%s' "$S"
SH
	run --separate-stderr bash -c 'bash osc.sh | redact -e S'
	assert_success
	assert_output "$(printf '\e]0;sk_test_%s\a\nlink \e]8;;https://x.example/?t=sk_test_%s\e\\here\e]8;;\e\\\n\e]2;sk_test_%s\n\e]0;%300ssk_test_%s%300s\a\n\e]0;sk_test_%s' \
		"$stars" "$stars" "$stars" "" "$stars" "" "$stars")"
	refute_secret "${S:8:12}"
	# a title cut by the program's writes, the input idling between them
	run --separate-stderr bash -c '{ printf "\e]0;%s" "${S:0:14}"; sleep 0.3; printf "%s\a\n" "${S:14}"; } | redact -e S'
	assert_success
	assert_output "$(printf '\e]0;sk_test_%s\a' "$stars")"
	refute_secret "${S:8:12}"
	refute_secret "${S:14:12}"
}

@test "an OSC 8 link whose ESC ends a write is masked (rich's hyperlinks, each line written in two at its ESC)" {
	# rich prints [link=URL] as an OSC 8 string; a line is written up to
	# its link's ESC, then the rest 10 ms later, after texts of 16 to 48
	# characters (the ESC falls at every place of a 16-byte block of
	# the read)
	cat >links.py <<'PY'
import io, os, time
from rich.console import Console
for n in range(16, 49):
    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="truecolor",
            width=200).print(
        "x" * n + "[link=https://example.com/pay?key=" + os.environ["S"] +
        "]the dashboard[/link]")
    out = buf.getvalue().encode()
    cut = out.index(b"\x1b]8;") + 1
    os.write(1, out[:cut])
    time.sleep(0.01)
    os.write(1, out[cut:])
PY
	run --separate-stderr bash -c '/usr/bin/python3 links.py | redact -e S'
	assert_success
	[ "${#lines[@]}" -eq 33 ]
	# every line: its text, the link to the value's type prefix, then a
	# star for each byte of its secret part
	[ "$(grep -c "^x*"$'\e'"\]8;id=[0-9]*;https://example.com/pay?key=sk_test_\*\{24\}"$'\e\\\\the dashboard\e]8;;\e\\\\$' <<<"$output")" -eq 33 ]
	refute_secret "${S:8:4}"
	refute_secret "${S: -4}"
}

@test "runs of borders longer than a line's trailing run (256 bytes) pass through whole, each read once" {
	# a filter that judges the windows at a border and then looked for
	# the next border from the same one would never end: timeout turns
	# that into a failure (each of these takes a tenth of a second)
	python3 - <<'PY'
import os
glyph = "\u2502".encode()
with open("borders.txt", "wb") as f:
    f.write(b"| " * 300000 + b"\n")
    f.write((glyph + b" ") * 200000 + b"\n")
    f.write(((b"| " * 300) + b"\n") * 300)
    f.write(((glyph + b" ") * 300 + b"\n") * 300)
    f.write(((b" " * 3000) + b"|\n") * 100)
    f.write((b"x " + (b"| " * 200) + os.environ["S"].encode() + b" |\n") * 100)
PY
	run --separate-stderr bash -c 'timeout 60 redact -e S <borders.txt >out.txt'
	assert_success
	# the input, with S masked in the last 100 lines
	python3 -c 'import sys; sys.stdout.buffer.write(open("borders.txt","rb").read().replace(sys.argv[1].encode(), b"sk_test_***REDACTED***"))' "$S" >want.txt
	cmp out.txt want.txt
}

@test "secret-free text (code, logs, base64 and hex of random data) passes byte for byte with 100 values loaded" {
	local names= values i
	# 100 random values of 32 letters and digits; the lines below come
	# from one tr and one awk: a loop in a test runs under bats' DEBUG
	# trap, which made the 20,000 log lines take most of this file's time
	mapfile -t values < <(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 3200 | fold -w 32)
	[ "${#values[@]}" -eq 100 ]
	for i in "${!values[@]}"; do
		export "V$((i + 1))=${values[i]}"
		names="$names,V$((i + 1))"
	done
	{
		cat "$BATS_TEST_DIRNAME"/../src/*/*.c "$BATS_TEST_DIRNAME"/../src/*/*.c \
			"$BATS_TEST_DIRNAME"/../src/*/*.c
		awk 'BEGIN { for (i = 1; i <= 20000; i++)
			printf "2026-12-03T20:00:00Z INFO req=%d path=/api/v1/items status=200 ms=%d\n", i, i % 97 }'
		head -c 600000 /dev/urandom | base64
		head -c 300000 /dev/urandom | xxd -p
		head -c 200000 /dev/urandom | od -An -tx1
	} >clean.txt
	[ "$(wc -c <clean.txt)" -gt 3000000 ]
	redact -e "${names#,}" --stats stats.json <clean.txt >masked.txt
	cmp clean.txt masked.txt
	run jq -c '[.masks[]] | add' stats.json
	assert_output 0
}

@test "pieces that touch for 30 MB are one mask, in bounded memory" {
	export V=4eC39HqLyjWDarjtT1zdp7dc
	run --separate-stderr bash -c \
		'yes "${V%?}" | tr -d "\n" | head -c 30000000 | /usr/bin/time -f %M -o rss redact -e V; echo; echo end'
	assert_success
	assert_output $'***REDACTED***\nend'
	if [[ "$SECENV_BIN" != */asan/* ]]; then
		[ "$(tail -1 rss)" -lt 16384 ]
	fi
}

@test "a value stored with one pair of quotes is masked as a program reads it, without them" {
	# a dashboard or .env writer kept the quotes: bash sourcing the
	# .env line and Node parsing the JSON string drop them
	for Q in '"wrapped-Secr3t-value-4711"' "'wrapped-Secr3t-value-4711'"; do
		export Q
		run --separate-stderr bash -c \
			'printf "TOKEN=%s\n" "$Q" >app.env; set -a; . ./app.env; echo "token: $TOKEN" | redact -e Q'
		assert_success
		assert_output 'token: ***REDACTED***'
		refute_secret wrapped-Secr3t
	done
	Q='"wrapped-Secr3t-value-4711"'
	run --separate-stderr bash -c \
		'node -e "console.log(\"parsed:\", JSON.parse(process.env.Q))" | redact -e Q'
	assert_success
	assert_output 'parsed: ***REDACTED***'
	refute_secret wrapped-Secr3t
}

@test "a multi-line value's lines split at LF, CRLF and a lone CR alike" {
	M=$'first-line-Kq3vX9\rsecond-line-Wz7pL2\r\nthird-line-Hd4mR8\nlast-line-Yt6nB1'
	export M
	# Python's splitlines() and tr(1) each print one line of it at a time
	run --separate-stderr bash -c \
		'python3 -c "import os
for n, l in enumerate(os.environ[\"M\"].splitlines()): print(n, l)" | redact -e M'
	assert_success
	assert_output $'0 ***REDACTED***\n1 ***REDACTED***\n2 ***REDACTED***\n3 ***REDACTED***'
	run --separate-stderr bash -c 'printf "%s\n" "$M" | tr "\r" "\n" | grep -v "^$" | sed "s/^/> /" | redact -e M'
	assert_success
	assert_output $'> ***REDACTED***\n> ***REDACTED***\n> ***REDACTED***\n> ***REDACTED***'
	for line in Kq3vX9 Wz7pL2 Hd4mR8 Yt6nB1; do refute_secret "$line"; done
}

@test "400 values with one long tail in common are each masked, in every form (the links are then made at build)" {
	local t=_shared_tail_0123456789abcdef names= hex
	# V0 to V399, exported by one command (each command of a loop in a
	# test runs under bats's DEBUG trap)
	eval "$(awk -v t="$t" 'BEGIN { printf "export"
		for (i = 0; i < 400; i++) printf " V%d=k%dQ%s", i, i, t }')"
	printf -v names 'V%d,' {0..399}
	names=${names%,}
	hex=$(printf '%s' "k399Q$t" | od -An -tx1 | tr -d ' \n')
	run --separate-stderr bash -c 'printf "%s" "$1" | redact -e "$0"' "$names" \
		"raw k7Q$t."$'\n'"hex $hex."$'\n'"short 12Q$t."$'\n'"tail $t."$'\n'"near k7Q${t%?}."$'\n'
	assert_success
	assert_output 'raw ***REDACTED***.
hex ***REDACTED***.
short ***REDACTED***.
tail ***REDACTED***.
near ***REDACTED***.'
	refute_secret "$t"
	refute_secret "$hex"
}

@test "a key kept in base64 or hex is masked in every form a program prints its bytes in (repr, hex, a list, a Buffer, base64 again, a dump)" {
	# 32 bytes with a NUL, an ESC, a line feed, a quote, a backslash and
	# bytes past ASCII, kept four ways: base64 (padded), URL-safe base64
	# (a Fernet key), hex, and Laravel's "base64:" in front
	local hex=00e3941b0a7f2c5a9d81c46e3f0b77d2a15c08ee64b9f3271dd0c8a2569e4b13 N form
	K64=$(printf %s "$hex" | xxd -r -p | base64 -w0)
	KURL=$(printf %s "$hex" | xxd -r -p | basenc --base64url -w0)
	KHEX=$hex
	KLAR=base64:$K64
	export K64 KURL KHEX KLAR
	[ "$K64" = AOOUGwp/LFqdgcRuPwt30qFcCO5kufMnHdDIolaeSxM= ]
	cat >keyprint.py <<'PY'
import base64, os, sys
name = sys.argv[1]
v = os.environ[name]
if name == "KHEX":
    k = bytes.fromhex(v)
elif name == "KURL":
    k = base64.urlsafe_b64decode(v)
else:
    k = base64.b64decode(v.removeprefix("base64:"))
print("repr:", k, repr(k[:5]))
print("hex:", k.hex(), k.hex(":"), k.hex().upper())
print("list:", list(k))
print("b64:", base64.b64encode(k).decode(), base64.urlsafe_b64encode(k).decode().rstrip("="))
PY
	for N in K64 KURL KHEX KLAR; do
		run --separate-stderr bash -c "python3 keyprint.py $N | redact -e $N"
		assert_success
		assert_output "repr: b\"***REDACTED***\" b'\\x00\\xe3\\x94\\x1b\\n'
hex: ***REDACTED*** ***REDACTED*** ***REDACTED***
list: [***REDACTED***]
b64: ***REDACTED*** ***REDACTED***"
		run --separate-stderr bash -c "node -e '
const n = process.argv[1], v = process.env[n];
const k = n == \"KHEX\" ? Buffer.from(v, \"hex\") :
    Buffer.from(v.replace(/^base64:/, \"\"), n == \"KURL\" ? \"base64url\" : \"base64\");
console.log(k);
console.log(JSON.stringify(k));
console.log({ key: k.toString(\"base64url\") });' $N | redact -e $N"
		assert_success
		assert_output '<Buffer ***REDACTED***>
{"type":"Buffer","data":[***REDACTED***]}
{ key: '"'***REDACTED***'"' }'
		# a dump: whole, by the key's bytes with its ESC a byte (the
		# stream reads one as the start of a colour code, a dump shows
		# it as one); the build before showed the three bytes before
		# the ESC and the line feed
		run --separate-stderr bash -c "printf %s $hex | xxd -r -p | xxd | redact -e $N"
		assert_success
		assert_output '00000000: **** **** **** **** **** **** **** ****  ****************
00000010: **** **** **** **** **** **** **** ****  ****************'
		for form in "$hex" "${hex^^}" 0a7f2c5a9d 'x94\x1b\n\x7f,Z' '227, 148, 27' \
			AOOUGwp LFqdgcRuPwt30 7f2c 5a9d; do
			refute_secret "$form"
		done
	done
}

@test "a value in base32 (an authenticator's TOTP seed): its bytes as oathtool -v and pyotp print them, and the seed normalised or as a setup key, masked; an 80-bit seed's too" {
	# a 160-bit seed kept as it is made, the same kept as an
	# authenticator shows it to be typed (small letters in groups of
	# four), and an 80-bit seed, whose 10 bytes are fewer than a piece
	S160=7D6M5BZPQKTRFHQBHYL5C2T2UWDGKMNZ
	SKEY="7d6m 5bzp qktr fhqb hyl5 c2t2 uwdg kmnz"
	S80=JBSWY3DPEHPK3PXP
	export S160 SKEY S80
	cat >totp.py <<'PY'
import base64, os, sys
import pyotp
t = pyotp.TOTP(os.environ[sys.argv[1]].replace(" ", ""))
k = t.byte_secret()
print("bytes:", k)
print("list:", list(k))
print("hex:", k.hex(), base64.b32encode(k).decode().lower())
print(t.provisioning_uri(name="ci@example.com", issuer_name="Acme"))
s = t.secret.upper()
print("setup key:", " ".join(s[i:i + 4] for i in range(0, len(s), 4)).lower())
PY
	local N
	for N in S160 SKEY S80; do
		# oathtool reads the seed as given and prints its bytes in hex
		# and the seed in capitals run together
		run --separate-stderr bash -c "oathtool -v --totp -b \"\$$N\" | head -2 | redact -e $N"
		assert_success
		[ -z "$stderr" ]
		assert_output 'Hex secret: ***REDACTED***
Base32 secret: ***REDACTED***'
		run --separate-stderr bash -c "python3 totp.py $N | redact -e $N"
		assert_success
		[ -z "$stderr" ]
		assert_output "bytes: b'***REDACTED***'
list: [***REDACTED***]
hex: ***REDACTED*** ***REDACTED***
otpauth://totp/Acme:ci%40example.com?secret=***REDACTED***&issuer=Acme
setup key: ***REDACTED***"
	done
	# what showed before: each seed's hex, bytes and list, the seed in
	# the other case and as a setup key
	run bash -c 'for N in S160 SKEY S80; do oathtool -v --totp -b "${!N}" | head -2; python3 totp.py $N; done | redact -e S160,SKEY,S80'
	assert_success
	local form
	for form in f8fcce872f82a7129e 48656c6c6f21deadbeef 'xf8\xfc\xce' 'Hello!\xde' \
		'248, 252, 206' '72, 101, 108' 7d6m5bzpqktr 7D6M5BZPQKTR '7d6m 5bzp' jbswy3dpehpk 'jbsw y3dp'; do
		refute_secret "$form"
	done
}

@test "a key kept in base58 (a Solana secret key, a Bitcoin WIF and xprv, a Tezos key, NEAR's keys after their curve's name): its bytes masked as base58's decoders give them (bytes, hex, a list, a dump, a Uint8Array)" {
	# a Solana secret key (an Ed25519 seed and its public key, 64
	# bytes); a Bitcoin private key in WIF, compressed and not (the
	# key's 32 bytes between a version byte and base58check's checksum);
	# an extended private key (BIP 32: its chain code, then 0x00 and the
	# key) and a Tezos one (a prefix, then the seed), checksummed too:
	# test data, none of a byte a dump shows as a control
	SOL=31SQSe6vtKPtf16UnvugHpX7XsPUM9poLW3Ar5UWxQheigppjdj9XBDFgWWSMa6h8Z99ut526a7YpTmHACSaKDj5
	WIF=KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617
	WIFU=5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ
	XPRV=xprv9s21ZrQH143K35P1eu3wuJLnC3BJnVoiBwmBjWwVHqY4dPGibmewWPAx7RXxqDwCTGWME3B4bumyLcb7wi7eNrNv6pNfua19pnqCzEkp5s2
	EDSK=edsk41PmNfh9VthqUu6mr6BszdKRqCxHcP6QgnY8vTAWPNudVWXsyF
	# NEAR's: the curve's name, then base58 of the key (an Ed25519
	# key's 64 bytes, a secp256k1 key's 32), unchecked
	NEAR=ed25519:$SOL
	NEARK=secp256k1:3cdu19Qs5VgyFXaGsKKiaujyeXMQDAkGrZY8p4HRNuPx
	export SOL WIF WIFU XPRV EDSK NEAR NEARK
	cat >b58.py <<'PY'
import os, sys
import base58
name = sys.argv[1]
v = os.environ[name]
if name == "SOL":
    k = base58.b58decode(v)
elif name.startswith("NEAR"):
    k = base58.b58decode(v.split(":", 1)[1])
else:
    p = base58.b58decode_check(v)
    k = {"XPRV": p[46:], "EDSK": p[4:]}.get(name, p[1:33])
print("bytes:", k)
print("hex:", k.hex(), k[:32].hex(":"))
print("list:", list(k))
if name == "XPRV":
    print("chain code:", p[13:45].hex())
PY
	local N quote chain
	for N in SOL WIF WIFU XPRV EDSK NEAR NEARK; do
		run --separate-stderr bash -c "python3 b58.py $N | redact -e $N"
		assert_success
		[ -z "$stderr" ]
		# (repr() quotes the WIF key's bytes, which hold a ', with ")
		quote="'"
		[[ $N != WIF* ]] || quote='"'
		chain=
		[[ $N != XPRV ]] || chain=1
		assert_output "bytes: b$quote***REDACTED***$quote
hex: ***REDACTED*** ***REDACTED***
list: [***REDACTED***]${chain:+
chain code: ***REDACTED***}"
	done
	# the Solana key's seed (its first 32 bytes: the secret the public
	# key follows from) loaded by cryptography and printed as its raw
	# private bytes are, in base58, base64, decimal and a list
	run --separate-stderr bash -c 'python3 -c "
import base64, os, base58
from cryptography.hazmat.primitives import serialization as s
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
k = Ed25519PrivateKey.from_private_bytes(base58.b58decode(os.environ[\"SOL\"])[:32])
raw = k.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())
print(base58.b58encode(raw).decode(), base64.b64encode(raw).decode())
print(int.from_bytes(raw, \"big\"), list(raw))
" | redact -e SOL'
	assert_success
	[ -z "$stderr" ]
	assert_output "***REDACTED*** ***REDACTED***
***REDACTED*** [***REDACTED***]"
	# the base58 tool's decoding, dumped, and read by Node: the key's
	# seed (its first 32 bytes) as a Uint8Array, a Buffer and hex
	run --separate-stderr bash -c 'printf %s "$SOL" | base58 -d | xxd | redact -e SOL'
	assert_success
	[ -z "$stderr" ]
	assert_output "$(printf '%08x: **** **** **** **** **** **** **** ****  ****************\n' 0 16 32 48)"
	run --separate-stderr bash -c 'printf %s "$SOL" | base58 -d |
		node -e "const s = require(\"fs\").readFileSync(0).subarray(0, 32);
console.log(new Uint8Array(s)); console.log(s); console.log(s.toString(\"hex\"))" |
		redact -e SOL'
	assert_success
	[ -z "$stderr" ]
	assert_output "Uint8Array(32) [
  *, *, *, *, *, *, *, *,
  *, *, *, *, *, *, *, *,
  *, *, *, *, *, *, *, *,
   *, *, *, *, *, *, *, *
]
<Buffer ***REDACTED***>
***REDACTED***"
}

@test "a key kept as a JSON array of its bytes (Solana's keypair file): masked as programs print it again (base58, hex, base64, bytes, a list)" {
	# the 64 bytes of the base58 test's Solana key, as solana-keygen
	# writes them (and a wallet's key is pasted from such a file)
	KEYPAIR=$(python3 -c 'import json; print(json.dumps(list(bytes.fromhex("6469661562e6cfb49385e6d6913506fa6df025e7c0bc1f33449a115e969e587c265167e5404243740f868032f589aacc41928368ec6574e82f5a2cfc98a4e4f8")), separators=(",", ":")))')
	export KEYPAIR
	[[ $KEYPAIR == "[100,105,102,21,"* ]]
	run --separate-stderr bash -c 'python3 -c "
import base58, json, os
k = bytes(json.loads(os.environ[\"KEYPAIR\"]))
print(base58.b58encode(k).decode())
print(k.hex())
print(k)
print(list(k)[:32])
" | redact -e KEYPAIR'
	assert_success
	[ -z "$stderr" ]
	assert_output "***REDACTED***
***REDACTED***
b'***REDACTED***'
[$(printf '*, %.0s' {1..31})*]"
	run --separate-stderr bash -c 'node -e "
const k = Uint8Array.from(JSON.parse(process.env.KEYPAIR));
console.log(Buffer.from(k).toString(\"base64\"));
console.log(Buffer.from(k.subarray(0, 32)).toString(\"hex\"));" | redact -e KEYPAIR'
	assert_success
	[ -z "$stderr" ]
	assert_output '***REDACTED***
***REDACTED***'
	# the base58 tool's encoding of the bytes
	run --separate-stderr bash -c 'python3 -c "import json, os, sys; sys.stdout.buffer.write(bytes(json.loads(os.environ[\"KEYPAIR\"])))" | base58 | redact -e KEYPAIR'
	assert_success
	[ -z "$stderr" ]
	assert_output '***REDACTED***'
}

@test "a private key's numbers as the programs that parse it print them (cryptography's private_numbers(), Go's big.Int, hex()), PEM and OpenSSH keys: masked, the public ones shown; an Ethereum key's 0x hex decoded" {
	# RSA (PKCS#8, and PKCS#1 as -traditional writes it), EC (P-256)
	# and Ed25519: the private numbers (RSA's d, p, q and the CRT
	# three, EC's scalar, Ed25519's seed) in decimal and in hex()'s
	# hex, which drops leading zeros; n, e, a public point and a public
	# key as they are
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.pem 2>/dev/null
	openssl rsa -in rsa.pem -traditional -out rsa1.pem 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
	openssl genpkey -algorithm ed25519 -out ed.pem
	# and the same three in OpenSSH's own format, as ssh-keygen writes
	# them (a deploy key), which Python's cryptography loads too
	ssh-keygen -q -t rsa -b 1024 -N '' -f ssh_rsa
	ssh-keygen -q -t ecdsa -b 256 -N '' -f ssh_ec
	ssh-keygen -q -t ed25519 -N '' -f ssh_ed
	# and an EC key in PKCS#8 whose inner key holds its version and
	# scalar alone (SEC 1's parameters and public key are optional)
	python3 -c '
import base64, sys
from cryptography.hazmat.primitives import serialization as s
def tlv(t, b): return bytes([t, len(b)]) + b
d = s.load_pem_private_key(open("ec.pem", "rb").read(), None).private_numbers().private_value
inner = tlv(0x30, tlv(2, b"\1") + tlv(4, d.to_bytes(32, "big")))
alg = tlv(0x30, bytes.fromhex("06072a8648ce3d020106082a8648ce3d030107"))
der = tlv(0x30, tlv(2, b"\0") + alg + tlv(4, inner))
print("-----BEGIN PRIVATE KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PRIVATE KEY-----")' >ec_bare.pem
	RSA_KEY=$(cat rsa.pem) RSA1_KEY=$(cat rsa1.pem) EC_KEY=$(cat ec.pem) ED_KEY=$(cat ed.pem)
	SSH_RSA_KEY=$(cat ssh_rsa) SSH_EC_KEY=$(cat ssh_ec) SSH_ED_KEY=$(cat ssh_ed)
	EC_BARE_KEY=$(cat ec_bare.pem)
	export RSA_KEY RSA1_KEY EC_KEY ED_KEY SSH_RSA_KEY SSH_EC_KEY SSH_ED_KEY EC_BARE_KEY
	[[ $RSA1_KEY == "-----BEGIN RSA PRIVATE KEY-----"* ]]
	[[ $SSH_ED_KEY == "-----BEGIN OPENSSH PRIVATE KEY-----"* ]]
	cat >numbers.py <<'PY'
import os, sys
import base58
from cryptography.hazmat.primitives import serialization as s
name = sys.argv[1]
v = os.environ[name].encode()
if name.startswith("SSH_"):
    k = s.load_ssh_private_key(v, None)
    name = name[4:]
else:
    k = s.load_pem_private_key(v, None)
name = name.replace("EC_BARE", "EC")
if name == "ED_KEY":
    raw = k.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())
    print("seed:", raw.hex())
    # (base58, as Solana's and NEAR's tools write an Ed25519 key)
    print("seed58:", base58.b58encode(raw).decode())
    print("public:", k.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw).hex())
    sys.exit()
n = k.private_numbers()
if name == "EC_KEY":
    print("d:", n.private_value, hex(n.private_value))
    print("x:", n.public_numbers.x)
    sys.exit()
for f in ("d", "p", "q", "dmp1", "dmq1", "iqmp"):
    print(f + ":", getattr(n, f), hex(getattr(n, f)))
print("n:", n.public_numbers.n)
print("e:", n.public_numbers.e)
PY
	local N
	for N in RSA_KEY RSA1_KEY EC_KEY ED_KEY SSH_RSA_KEY SSH_EC_KEY SSH_ED_KEY EC_BARE_KEY; do
		python3 numbers.py $N >plain
		run --separate-stderr redact -e $N <plain
		assert_success
		[ -z "$stderr" ]
		assert_output "$(sed -E -e 's/^(d|p|q|dmp1|dmq1|iqmp): .*/\1: ***REDACTED*** 0x***REDACTED***/' \
			-e 's/^(seed|seed58): .*/\1: ***REDACTED***/' plain)"
		# the public lines as printed, so not all masked
		grep -qE '^(n|x|public): [0-9a-f]{40}' plain
	done
	# Go's big.Int: the scalar in decimal, in %x, and in a key's %+v
	cat >key.go <<'GO'
package main

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

func main() {
	b, _ := pem.Decode([]byte(os.Getenv("EC_KEY")))
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		panic(err)
	}
	e := k.(*ecdsa.PrivateKey)
	fmt.Println("D:", e.D)
	fmt.Printf("D: %x\n", e.D)
	fmt.Printf("key: %+v\n", *e)
}
GO
	run --separate-stderr bash -c 'go run key.go | redact -e EC_KEY'
	assert_success
	assert_line --index 0 'D: ***REDACTED***'
	assert_line --index 1 'D: ***REDACTED***'
	assert_line --index 2 --regexp '^key: \{PublicKey:\{Curve:0x[0-9a-f]+ X:\+[0-9]+ Y:\+[0-9]+\} D:\+\*\*\*REDACTED\*\*\*\}$'
	# an Ethereum private key as .env files keep it, "0x" and 64 hex
	# digits (a published example), decoded by Python and by Node
	EK=0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318
	export EK
	run --separate-stderr bash -c 'python3 -c "import os; k = bytes.fromhex(os.environ[\"EK\"][2:]); print(k); print(int(os.environ[\"EK\"], 16))" | redact -e EK'
	assert_success
	assert_output "b'***REDACTED***'
***REDACTED***"
	run --separate-stderr bash -c 'node -e "const k = process.env.EK; console.log(Buffer.from(k.slice(2), \"hex\")); console.log(BigInt(k))" | redact -e EK'
	assert_success
	assert_output '<Buffer ***REDACTED***>
***REDACTED***n'
}

@test "a key's bytes in hex with no padding (JavaScript's b.toString(16), Ruby's to_s(16) joined) and sign-extended (Java's Integer.toHexString(b)): masked" {
	# bytesToHex helpers that forget the padding write a byte under 0x10
	# as one digit; Java's of a byte without & 0xff, a negative one as
	# ffffffd7: nine keys in ten showed whole
	export K=16kX+BIOXpdBCU3C8M160+8DyEKX8nJC8I2sqWbke9Y=
	run --separate-stderr bash -c 'node -e "
const k = Buffer.from(process.env.K, \"base64\");
console.log(\"key:\", Array.from(k).map((b) => b.toString(16)).join(\"\"));" | redact -e K'
	assert_success
	assert_output 'key: ***REDACTED***'
	run --separate-stderr bash -c "ruby -rbase64 -e 'puts Base64.decode64(ENV[\"K\"]).bytes.map { |b| b.to_s(16) }.join' | redact -e K"
	assert_success
	assert_output '***REDACTED***'
	refute_secret d7a917f812e5e974
	command -v javac >/dev/null || skip "no JDK on this machine"
	cat >Hex.java <<'JAVA'
public class Hex {
  public static void main(String[] a) {
    byte[] key = java.util.Base64.getDecoder().decode(System.getenv("K"));
    StringBuilder hex = new StringBuilder();
    for (byte b : key)
      hex.append(Integer.toHexString(b));
    System.out.println("key: " + hex);
  }
}
JAVA
	local jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
	# shellcheck disable=SC2086 # the JVM's options are words
	javac ${jvm//-XX/-J-XX} -nowarn -d . Hex.java
	# shellcheck disable=SC2086
	run --separate-stderr bash -c "java $jvm -cp . Hex | redact -e K"
	assert_success
	assert_output 'key: ***REDACTED***'
}

@test "a key's bytes after a label in the hex styles the dump views read at a line's start only, read as Latin-1, and percent-encoded in a URL: masked" {
	# 32 bytes with a 0x01, a blank, "?", "$" and bytes past ASCII
	export K=qtM/OE4k4t1KIDRYRQGKkrnKWJDHoDTh5tSYn7fdHUY=
	cat >keylabels.py <<'PY'
import base64, os, urllib.parse
k = base64.b64decode(os.environ["K"])
# C's printf("%02X ") loop and Go's % X; bytes.hex("-")
print("key:", " ".join("%02X" % b for b in k))
print("key:", k.hex("-"))
# a C array and Go's %#v of a []byte
print("uint8_t key[] = {" + ", ".join("0x%02x" % b for b in k) + "};")
print("KEY = {" + ",".join("0x%02X" % b for b in k) + "}")
print("text:", k.decode("latin-1"))
# requests' params of bytes, and quote_from_bytes
print("GET /v1/x?" + urllib.parse.urlencode({"key": k, "n": 1}))
print("path:", urllib.parse.quote_from_bytes(k, safe=""))
PY
	run --separate-stderr bash -c 'python3 keylabels.py | redact -e K'
	assert_success
	assert_output 'key: ***REDACTED***
key: ***REDACTED***
uint8_t key[] = {***REDACTED***};
KEY = {***REDACTED***}
text: ***REDACTED***
GET /v1/x?key=***REDACTED***&n=1
path: ***REDACTED***'
	run --separate-stderr bash -c 'node -e "
const k = Buffer.from(process.env.K, \"base64\");
console.log(\"latin1:\", k.toString(\"latin1\"));
console.log(\"binary:\", k.toString(\"binary\"));" | redact -e K'
	assert_success
	assert_output 'latin1: ***REDACTED***
binary: ***REDACTED***'
	for form in "AA D3 3F 38" aa-d3-3f-38 "0xaa, 0xd3" 0xAA,0xD3 "%AA%D3%3F8N" $'\xc2\xaa\xc3\x93?8N'; do
		refute_secret "$form"
	done
}

@test "PHP's json_encode with the JSON_HEX_ flags (Laravel's @json) and Perl's numeric HTML entities (upper-case hex): masked" {
	PW=$'z1pE@ss w0rd!#$%^&*()"\'\\B5DWLriB<tag>' UNI='méjRtü日本🔑8n6asBçà'
	T5=$'a"b\'c<d>e&f+g`h/iXq9Lm2Kp'
	export PW UNI T5
	php -r 'foreach (["PW", "UNI", "T5"] as $n) {
	$v = getenv($n);
	echo json_encode([$n => $v], JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT), "\n";
	echo json_encode($v, JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}' >php.out
	perl -MHTML::Entities -e 'for my $n (qw(PW UNI T5)) {
	my $v = $ENV{$n}; utf8::decode($v);
	print "<p title=\"", HTML::Entities::encode_entities_numeric($v), "\">\n";
}' >perl.out
	# what they printed: the escapes the forms spell
	[ "$(grep -c 'u0022\|u003C\|u00e9' php.out)" -eq 5 ]
	[ "$(grep -c '&#x22;\|&#xE9;' perl.out)" -eq 3 ]
	run --separate-stderr redact -e PW,UNI,T5 <php.out
	assert_success
	assert_output '{"PW":"***REDACTED***"}
"***REDACTED***"
{"UNI":"***REDACTED***"}
"***REDACTED***"
{"T5":"***REDACTED***"}
"***REDACTED***"'
	refute_secret 'B5DWLriB\u003Ctag'
	refute_secret 'e\u0026f+g`h'
	refute_secret 'u00fc\u65e5\u672c'
	run --separate-stderr redact -e PW,UNI,T5 <perl.out
	assert_success
	assert_output '<p title="***REDACTED***">
<p title="***REDACTED***">
<p title="***REDACTED***">'
	refute_secret 'B5DWLriB&#x3C;tag'
	refute_secret '&#x65E5;&#x672C;&#x1F511;8n6asB'
	refute_secret '&#x26;f+g`h/iXq9'
}

@test "HTML 4.01's named references: PHP's htmlentities and Perl's encode_entities, of characters and of bytes, masked" {
	export PW=$'pâß\'wö«rd»-ñé€ü-çà±x'
	php -r 'echo "<input value=\"", htmlentities(getenv("PW")), "\">\n";' >named.txt
	perl -MHTML::Entities -e 'my $c = $ENV{PW}; utf8::decode($c);
		binmode STDOUT, ":encoding(UTF-8)";
		print encode_entities($c), "\n", encode_entities($ENV{PW}), "\n"' >>named.txt
	run --separate-stderr redact -e PW <named.txt
	assert_success
	assert_output '<input value="***REDACTED***">
***REDACTED***
***REDACTED***'
	for form in 'p&acirc;&szlig;&#039;w&ouml;&laquo;' 'p&acirc;&szlig;&#39;w&ouml;' \
		'p&Atilde;&cent;&Atilde;&#159;'; do
		grep -qF -- "$form" named.txt || fail "the programs no longer print $form"
	done
}

@test "Python's unicode_escape and cookies (http.cookies), and Node's toString('ascii'), of a password dense past ASCII: masked" {
	export PW=$'p~â,ß;\'w"ö«r\\d»-ñé€ü-çà±x'
	python3 -c 'import os, http.cookies
v = os.environ["PW"]
print(v.encode("unicode_escape").decode())
c = http.cookies.SimpleCookie()
c["session"] = v
print(c.output())' >printed.txt
	node -e 'console.log(Buffer.from(process.env.PW).toString("ascii"))' >>printed.txt
	run --separate-stderr redact -e PW <printed.txt
	assert_success
	assert_output '***REDACTED***
Set-Cookie: session="***REDACTED***"
***REDACTED***'
	for form in "p~\\xe2,\\xdf;'w" 'session="p~\342\054\337' $'p~C",C\x1f;\'w"C6B+r'; do
		grep -qF -- "$form" printed.txt || fail "the programs no longer print $form"
	done
}

@test "base64 text is decoded where it stands: a docker config's auth inside a Kubernetes secret, a value's base64 again, its UTF-16 (PowerShell's -EncodedCommand): masked; a value's own base64 keeps its placeholder" {
	export PW='Xk9-regPass-7fQ2mZ8wLr4'
	# what kubectl get secret -o yaml prints of a docker-registry secret
	# (its config.json holds only "auth": base64 of user:password)
	python3 -c 'import base64, json, os
pw = os.environ["PW"]
auth = base64.b64encode(("robot:" + pw).encode()).decode()
config = json.dumps({"auths": {"registry.example.com": {"auth": auth}}})
print("  .dockerconfigjson: " + base64.b64encode(config.encode()).decode())
print("pwsh -EncodedCommand " + base64.b64encode(("echo " + pw).encode("utf-16-le")).decode())
print("data: " + base64.b64encode(base64.b64encode(pw.encode())).decode() + ", plain: " +
      base64.b64encode(pw.encode()).decode())
# a config whose padding ends its line at 74 columns, where a
# quoted-printable fold puts its mark: padding all the same
print("  config: " + base64.b64encode(json.dumps({"auth": base64.b64encode(
    ("u:" + pw).encode()).decode()}, separators=(",", ":")).encode()).decode())' >b64.txt
	run --separate-stderr redact -e PW <b64.txt
	assert_success
	assert_output '  .dockerconfigjson: eyJhdXRocyI6IHsicmVnaXN0cnkuZXhhbXBsZS5jb20iOiB7ImF1dGgiOiAiY205aWIzUT********************************************J9fX0=
pwsh -EncodedCommand ZQBjAGgAbwAgA**************************************************************=
data: *******************************************=, plain: ***REDACTED***
  config: eyJhdXRoIjoiZFRw********************************************In0='
	refute_secret "$PW"
	# the same split into writes anywhere: the same output
	run --separate-stderr bash -c 'python3 -c "
import sys, time
data = open(\"b64.txt\", \"rb\").read()
for i in range(0, len(data), 5):
    sys.stdout.buffer.write(data[i:i + 5])
    sys.stdout.flush()
" | redact -e PW'
	assert_output "$(redact -e PW <b64.txt)"
	# --no-encodings decodes none of it
	run --separate-stderr redact -e PW --no-encodings <b64.txt
	assert_output "$(cat b64.txt)"
	# print() of b64encode's bytes: the base64 inside the literal
	run --separate-stderr bash -c 'python3 -c "import base64, os
print([base64.b64encode(base64.b64encode(os.environb[b\"PW\"]))])" | redact -e PW'
	assert_output "[b'*******************************************=']"
}

@test "base64 of UTF-16 of a text of digits and capitals (no lower-case letter in its first 16 characters) is decoded: a UUID key's; one-case words and hex are not" {
	export U=94619307-1139-4258-B279-A66EC80EFDD1
	python3 -c 'import base64, os
u = os.environ["U"]
print("-EncodedCommand " + base64.b64encode(u.encode("utf-16-le")).decode())
print("be: " + base64.b64encode(u.encode("utf-16-be")).decode())
print("ids: ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 0123456789ABCDEF0123456789ABCDEF SABFAEwATABPAC0AVwBPAFIATABEAC0AMgAwADIANAA=")' >u16.txt
	run --separate-stderr redact -e U <u16.txt
	assert_success
	assert_output '-EncodedCommand ************************************************************************************************
be: ************************************************************************************************
ids: ABCDEFGHIJKLMNOPQRSTUVWXYZ234567 0123456789ABCDEF0123456789ABCDEF SABFAEwATABPAC0AVwBPAFIATABEAC0AMgAwADIANAA='
	refute_secret "$U"
}

@test "base64 of the base64 of a UUID in capitals, without a lower-case letter in its first 16 characters, is decoded and masked" {
	# about one UUID in 60: the run was given up at its 16th character
	# as hex or a word in one case, and showed whole
	export U1=8C7D2850-B9D6-41AB-B451-7385E859D293 U2=9E4EA7A5-4042-4AA5-B8FC-ED0660CC126E
	run --separate-stderr bash -c 'python3 -c "
import base64, os
for name in (\"U1\", \"U2\"):
    print(base64.b64encode(base64.b64encode(os.environ[name].encode())).decode())
" | redact -e U1,U2'
	assert_success
	assert_equal "$stderr" ''
	assert_output "$(printf '*%.0s' $(seq 64))
$(printf '*%.0s' $(seq 64))"
}

@test "a part of a key's bytes printed as bytes (a slice's repr, a Buffer's subarray) is masked by its pieces" {
	export K=QwNDrKdW2C7a6bshe7P3kq9WO89yq+K3hG/A9euuVeo=
	run --separate-stderr bash -c 'python3 -c "import base64, os
k = base64.b64decode(os.environ[\"K\"])
print(\"head:\", k[:16])
print(k[8:24].hex(\" \"))" | redact -e K'
	assert_success
	# (the slice's repr is one of the key's repr() windows: one mask)
	assert_output 'head: b'"'***REDACTED***'"'
** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **'
	run --separate-stderr bash -c 'node -e "
const k = Buffer.from(process.env.K, \"base64\");
console.log(\"tail:\", k.subarray(16));
console.log({ key: k.subarray(4, 20) });" | redact -e K'
	assert_success
	assert_output 'tail: <Buffer ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **>
{ key: <Buffer ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **> }'
}

@test "Go's %q and %+q of a value past ASCII (\\u00a0, \\u00e9, \\U0001f600) are masked whole" {
	export G=$'s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee\u20ac\U0001F600-Ab3dE5gH' N=$'pass\u00a0phrase \u00e9t\u00e9\u200bq9Z'
	cat >quote.go <<'GO'
package main

import (
	"fmt"
	"os"
)

func main() {
	for _, name := range []string{"G", "N"} {
		v := os.Getenv(name)
		fmt.Printf("%s: %q %+q\n", name, v, v)
	}
}
GO
	go run quote.go >quoted.txt
	assert_equal "$(head -1 quoted.txt)" 'G: "sécrét-üñî€😀-Ab3dE5gH" "s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee\u20ac\U0001f600-Ab3dE5gH"'
	run --separate-stderr redact -e G,N <quoted.txt
	assert_success
	assert_output 'G: "***REDACTED***" "***REDACTED***"
N: "***REDACTED***" "***REDACTED***"'
	refute_secret "$G"
}

@test "a value's code points as Go prints a []rune and after a label on their line (Python's ord()s, JSON): masked whole" {
	export G=$'p@ss/w0rd=\u00dc+\u00f1&"<x>~end\u20acq\U0001F600z' L='pässwörd-ßécret=Ünïcode+x'
	cat >runes.go <<'GO'
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println([]rune(os.Getenv("G")))
}
GO
	go run runes.go >printed.txt
	python3 -c 'import os; print("codes:", [ord(c) for c in os.environ["L"]])' >>printed.txt
	node -e 'console.log("json:", JSON.stringify([...process.env.G].map(c => c.codePointAt(0))))' >>printed.txt
	assert_equal "$(cat printed.txt)" "[112 64 115 115 47 119 48 114 100 61 220 43 241 38 34 60 120 62 126 101 110 100 8364 113 128512 122]
codes: [112, 228, 115, 115, 119, 246, 114, 100, 45, 223, 233, 99, 114, 101, 116, 61, 220, 110, 239, 99, 111, 100, 101, 43, 120]
json: [112,64,115,115,47,119,48,114,100,61,220,43,241,38,34,60,120,62,126,101,110,100,8364,113,128512,122]"
	run --separate-stderr redact -e G,L <printed.txt
	assert_success
	assert_output '[***REDACTED***]
codes: [***REDACTED***]
json: [***REDACTED***]'
	refute_secret '8364 113'
	refute_secret '228, 115'
	refute_secret '8364,113'
}

@test "Rust's {:?} and escape_default() of a value past ASCII (\\u{a0}, \\u{e9}, \\u{1f600}) are masked whole" {
	export G=$'s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee\u20ac\U0001F600-Ab3dE5gH' N=$'pass\u00a0phrase \u00e9t\u00e9\u200bq9Z'
	cat >debug.rs <<'RS'
fn main() {
    for name in ["G", "N"] {
        let v = std::env::var(name).unwrap();
        println!("{}: {:?} {}", name, v, v.escape_default());
    }
}
RS
	# not make's jobserver, whose descriptors the test does not inherit
	env -u MAKEFLAGS -u MFLAGS /usr/bin/rustc -o debug debug.rs
	./debug >debugged.txt
	assert_equal "$(head -1 debugged.txt)" 'G: "sécrét-üñî€😀-Ab3dE5gH" s\u{e9}cr\u{e9}t-\u{fc}\u{f1}\u{ee}\u{20ac}\u{1f600}-Ab3dE5gH'
	run --separate-stderr redact -e G,N <debugged.txt
	assert_success
	assert_output 'G: "***REDACTED***" ***REDACTED***
N: "***REDACTED***" ***REDACTED***'
	refute_secret "$G"
}

@test "Perl's quotemeta of a decoded value (a backslash before ASCII punctuation and a no-break space, none before ü, € or 😀) is masked whole" {
	export P=$'s"3c\'\u00fcX!P\u20acq\\ \U0001F600 a\u00a0b'
	run --separate-stderr perl -e 'my $s = $ENV{P}; utf8::decode($s); binmode STDOUT, ":utf8";
my $re = qr/\Q$s\E/; print quotemeta($s), " $re\n"'
	assert_output $'s\\"3c\\\'\u00fcX\\!P\u20acq\\\\\\ \U0001F600\\ a\\\u00a0b (?^u:s\\"3c\\\'\u00fcX\\!P\u20acq\\\\\\ \U0001F600\\ a\\\u00a0b)'
	printf '%s\n' "$output" >quoted.txt
	run --separate-stderr redact -e P <quoted.txt
	assert_success
	assert_output '***REDACTED*** (?^u:***REDACTED***)'
	refute_secret "$P"
}

@test "PHP's quotemeta (a backslash before . \\ + * ? [ ^ ] \$ ( ) only, not before = < > { }) is masked whole" {
	export Q='p@ss/w0rd=Ü+ñ&"<x>'"'"'~\end%20{ok}'
	run --separate-stderr php -r 'echo quotemeta(getenv("Q")), PHP_EOL;'
	assert_output 'p@ss/w0rd=Ü\+ñ&"<x>'"'"'~\\end%20{ok}'
	printf '%s\n' "$output" >quoted.txt
	run --separate-stderr redact -e Q <quoted.txt
	assert_success
	assert_output '***REDACTED***'
	refute_secret "$Q"
}

@test "cat -A of a value with tabs (^I), and cat -v of one with щ or ъ (0x89, 0x8a: M-^I, M-^J), are masked whole" {
	export T=$'pa$s\tw0rd\t2024!x\tQ' C='щит-ъ-9'
	printf '%s\n' "$T" | cat -A >shown.txt
	printf '%s\n' "$C" | cat -v >>shown.txt
	assert_equal "$(cat shown.txt)" 'pa$s^Iw0rd^I2024!x^IQ$
M-QM-^IM-PM-8M-QM-^B-M-QM-^J-9'
	run --separate-stderr redact -e T,C <shown.txt
	assert_success
	assert_output '***REDACTED***$
***REDACTED***'
	refute_secret "$T"
	refute_secret "$C"
}

@test "400 punctuation-dense values that end alike (their escapes share 12 bytes): every form of them masked" {
	# so many alike tails that the longer patterns are filed by their
	# last 24 bytes (engine.c, tails_make)
	python3 -c 'import random, shlex, string
random.seed(400)
chars = string.ascii_letters + string.digits + "!#$%&*+=?@^~-_."
for i in range(400):
    v = "".join(random.choice(chars) for _ in range(random.randint(20, 40)))
    print("A%d=%s" % (i, shlex.quote(v + "\u00e9\u20ac")))' >alike.env
	set -a
	. ./alike.env
	set +a
	names=$(cut -d= -f1 alike.env | paste -sd,)
	python3 -c 'import json, os, sys, urllib.parse
for i in range(0, 400, 20):
    v = os.environ["A%d" % i]
    print(json.dumps({"k": v}), urllib.parse.quote(v, safe=""), repr(v.encode()))' >forms.txt
	run --separate-stderr redact -e "$names" <forms.txt
	assert_success
	[ "$(grep -c '^{"k": "\*\*\*REDACTED\*\*\*"} \*\*\*REDACTED\*\*\* b.\*\*\*REDACTED\*\*\*.$' <<<"$output")" = 20 ]
	for i in $(seq 0 20 399); do
		refute_secret "$(eval "printf %s \"\$A$i\"")"
	done
}

@test "a value of a UUID's shape printed again by Python's uuid (other case, digits, its number), and a key of 32 digits printed as a UUID: masked" {
	export U='{9B2E61F4-07C5-4A8D-B1E3-5F60A7C4D2E9}' H=c81e728d9d4c2f636f067f89cc14862c
	cat >uuids.py <<'PY'
import os, uuid
u = uuid.UUID(os.environ["U"])
print(str(u), u.hex, u.hex.upper(), u.urn, u.int)
h = uuid.UUID(os.environ["H"])
print(h, str(h).upper())
PY
	run --separate-stderr bash -c 'python3 uuids.py | redact -e U,H'
	assert_success
	assert_output "***REDACTED*** ***REDACTED*** ***REDACTED*** urn:uuid:***REDACTED*** ***REDACTED***
***REDACTED*** ***REDACTED***"
	refute_secret 9b2e61f4
	refute_secret 206271171729962675
	refute_secret c81e728d-9d4c
	# only a UUID's shape is read so: a dash out of place, and the
	# value is masked as written, not in the other case
	run --separate-stderr env V=9B2E61F4-07C54-A8D-B1E3-5F60A7C4D2E9 \
		bash -c 'printf "%s %s\n" "$V" "${V,,}" | redact -e V'
	assert_success
	assert_output '***REDACTED*** 9b2e61f4-07c54-a8d-b1e3-5f60a7c4d2e9'
}

@test "a UUID value's 16 bytes as Python's uuid and Node print them (repr() of .bytes and .bytes_le, a list, base64 of them, a Buffer): masked" {
	export U=9b2e6c1a-4f3d-4e8b-a7c2-5d1e0f9a3b64
	cat >uuid_bytes.py <<'PY'
import base64, os, uuid
u = uuid.UUID(os.environ["U"])
print(u.bytes)
print(list(u.bytes))
print(base64.b64encode(u.bytes).decode(), base64.urlsafe_b64encode(u.bytes).rstrip(b"=").decode())
print(u.bytes_le, base64.b64encode(u.bytes_le).decode())
print(u.bytes_le.hex("-").upper())
PY
	python3 uuid_bytes.py >printed.txt
	node -e 'console.log(Buffer.from(process.env.U.replace(/-/g, ""), "hex"))' >>printed.txt
	assert_equal "$(cat printed.txt)" "b'\\x9b.l\\x1aO=N\\x8b\\xa7\\xc2]\\x1e\\x0f\\x9a;d'
[155, 46, 108, 26, 79, 61, 78, 139, 167, 194, 93, 30, 15, 154, 59, 100]
my5sGk89Tounwl0eD5o7ZA== my5sGk89Tounwl0eD5o7ZA
b'\\x1al.\\x9b=O\\x8bN\\xa7\\xc2]\\x1e\\x0f\\x9a;d' Gmwumz1Pi06nwl0eD5o7ZA==
1A-6C-2E-9B-3D-4F-8B-4E-A7-C2-5D-1E-0F-9A-3B-64
<Buffer 9b 2e 6c 1a 4f 3d 4e 8b a7 c2 5d 1e 0f 9a 3b 64>"
	run --separate-stderr redact -e U <printed.txt
	assert_success
	assert_output "b'****************'
[*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *]
***REDACTED***== ***REDACTED***
b'****************' ***REDACTED***==
**-**-**-**-**-**-**-**-**-**-**-**-**-**-**-**
<Buffer ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **>"
	refute_secret my5sGk89
	refute_secret Gmwumz1P
	refute_secret '155, 46'
	refute_secret '9b 2e 6c'
	refute_secret '1A-6C-2E'
}

@test "a token of letters, digits, - and _ is not read as base64 of a key; a long number is not read as hex" {
	# sk_live_... is valid URL-safe base64 (24 bytes): a program that
	# decoded it would print bytes no one uses, so they are not a part
	export T=sk_live_4eC39HqLyjWDarjtT1zdp7dc D=12345678901234567890123456789012
	run --separate-stderr bash -c 'python3 -c "import base64, os
print(base64.urlsafe_b64decode(os.environ[\"T\"]).hex())
print(bytes.fromhex(os.environ[\"D\"]).hex(\" \"))" | redact -e T,D'
	assert_success
	assert_output 'b24fe58af7bfe1e0b7f47a8bca35836ab8ed4f5cdda7b75c
12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12'
}

@test "a libpq keyword string's password is a part: printed alone by a program that parsed it, short or quoted, it is masked" {
	export D="host=db.example.com port=5432 user=app password=s3cr3tpw dbname=app" \
		Q="password='two w0rds' host=db"
	run --separate-stderr bash -c 'python3 -c "import os, shlex
for n in (\"D\", \"Q\"):
    cfg = dict(kv.split(\"=\", 1) for kv in shlex.split(os.environ[n]))
    print(n, \"password:\", cfg[\"password\"], \"user:\", cfg.get(\"user\"))" | redact -e D,Q'
	assert_success
	assert_output "D password: ***REDACTED*** user: app
Q password: ***REDACTED*** user: None"
	refute_secret s3cr3tpw
	refute_secret 'two w0rds'
}

@test "openssl enc -P prints a hex key in upper case, and a dump of a base64 key's bytes shows them: both masked" {
	export K=51c4e8a0f2937d6b0e1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071 \
		B=QwNDrKdW2C7a6bshe7P3kq9WO89yq+K3hG/A9euuVeo=
	run --separate-stderr bash -c 'openssl enc -aes-256-cbc -K "$K" \
		-iv 00000000000000000000000000000000 -P -nosalt | redact -e K'
	assert_success
	assert_output 'key=***REDACTED***
iv =00000000000000000000000000000000'
	refute_secret 51C4E8A0F2937D6B0E1A
	refute_secret 1B2C3D4E5F6071
	run --separate-stderr bash -c 'printf "%s\n" "$B" | openssl base64 -d | od -An -tx1 | redact -e B'
	assert_success
	assert_output ' ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **
 ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **'
}

@test "a JSON Web Key's private members (k, d, p, q, ...) are a key's bytes: printed decoded, they are masked" {
	# unpadded URL-safe base64, which alone reads as a token: "kty"
	# says the object is a key (its public x is masked too, as a
	# leaf shaped like a secret)
	export J='{"kty":"oct","alg":"HS256","k":"GawgguFyGrWKav7AX4VKUg0fa3pO7GZ5VJb8HGxMsSw"}' \
		E='{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cLNtgHg9xx6VRHeAgJUfYw"}'
	run --separate-stderr bash -c 'python3 -c "import base64, json, os
for n in (\"J\", \"E\"):
    jwk = json.loads(os.environ[n])
    m = jwk.get(\"k\") or jwk[\"d\"]
    b = base64.urlsafe_b64decode(m + \"=\" * (-len(m) % 4))
    print(n, b, b.hex(\":\"))
    print(jwk[\"kty\"], jwk.get(\"x\", \"-\"))" | redact -e J,E'
	assert_success
	assert_output "J b'***REDACTED***' ***REDACTED***
oct -
E b'***REDACTED***' ***REDACTED***
EC ***REDACTED***"
	refute_secret '19:ac:20:82'
	refute_secret '8e:9b:10:9e'
}

@test "docker compose config and make -p write a \$ of a value as \$\$: passwords whose \$ cut them into runs under 12 bytes, masked whole in the environment and a URL" {
	# a password's "$" doubled was no form: between two of them each
	# run fell under a piece's 12 bytes, and the password showed
	export PW1='Zq9$w!Lk7@mB$2xvRt#Q' PW2="r+iG\$58@WAm'dX3:a\`5" PW3='$Tr0ub4dor&3$horse$'
	cat >docker-compose.yml <<'YML'
version: "3.8"
services:
  api:
    image: alpine
    environment:
      DB_PASSWORD: ${PW1}
      DATABASE_URL: postgres://app:${PW1}@db:5432/prod
      OTHER: ${PW2}
      LAST: ${PW3}
YML
	docker-compose config >plain 2>&1
	mask_plain PW1,PW2,PW3 'Zq9$$w!Lk7@mB$$2xvRt#Q'
	assert_line '      DATABASE_URL: postgres://app:***REDACTED***@db:5432/prod'
	assert_line '      DB_PASSWORD: ***REDACTED***'
	assert_line '      LAST: ***REDACTED***'
	assert_line '      OTHER: ***REDACTED***'
	refute_output --partial 'Zq9'
	refute_output --partial 'horse'
	refute_output --partial 'WAm'
	# make -p's database writes a simply expanded variable's "$" so
	printf 'DB_PASSWORD := $(shell printenv PW1)\nall:\n\t@true\n' >Makefile
	make -p -q >plain 2>&1 || :
	grep -qF 'DB_PASSWORD := Zq9$$w!Lk7@mB$$2xvRt#Q' plain || fail "make: $(grep -a DB_ plain)"
	run --separate-stderr redact -e PW1 <plain
	assert_success
	[[ -z $stderr ]]
	assert_line 'DB_PASSWORD := ***REDACTED***'
	refute_output --partial 'Zq9'
}

@test "devalue (SvelteKit's and Nuxt's page data: __data.json, the page's script) writes a value's < as \\u003C and leaves > as it is: passwords holding both masked whole in stringify() and uneval()" {
	# only < escaped was no JSON flavour: the value showed whole (12 in
	# 1,000 random 20-character passwords, 70 in 200 of those holding
	# both)
	local dir="$FIXTURES/redact/devalue"
	if [[ ! -f $dir/node_modules/devalue/package.json ]] &&
		! timeout 300 npm ci --prefix "$dir" --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1; then
		skip "npm ci failed (registry unreachable?): $(tail -1 npm.log)"
	fi
	export A='AE~b}"fe>hj}:d<glEbm' B='<k7Zq9wLm2vX>!8pTq' C='x>y<z"r+iGp58@WAm\`5'
	FORMS_NAMES=A,B,C node "$dir/print.mjs" >plain
	mask_plain A,B,C 'fe>hj}:d\u003CglEbm'
	assert_output '[{"data":1},{"A":2,"B":3,"C":4},"***REDACTED***","***REDACTED***","***REDACTED***"]
{data:{A:"***REDACTED***",B:"***REDACTED***",C:"***REDACTED***"}}'
}

@test "GitHub Actions' workflow commands (@actions/core: ::add-mask::, ::debug::, ::set-output) write a value's % as %25 and leave the rest: passwords holding % masked whole" {
	# "%" alone encoded was no percent set: a password with a "%" and a
	# byte every set encodes showed whole (9 random 20-character
	# passwords in 200)
	local dir="$FIXTURES/redact/actions"
	if [[ ! -f $dir/node_modules/@actions/core/package.json ]] &&
		! timeout 300 npm ci --prefix "$dir" --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1; then
		skip "npm ci failed (registry unreachable?): $(tail -1 npm.log)"
	fi
	export A='o]9ntX{?zv%G1&K@:*B}' B='%Tr0ub"4dor<3>horse%'
	env -u GITHUB_OUTPUT FORMS_NAMES=A,B node "$dir/print.js" >plain
	mask_plain A,B '::add-mask::o]9ntX{?zv%25G1&K@:*B}'
	assert_output '::add-mask::***REDACTED***
::debug::token: ***REDACTED***

::set-output name=A::***REDACTED***
::add-mask::***REDACTED***
::debug::token: ***REDACTED***

::set-output name=B::***REDACTED***'
}

@test "an escript's output (OTP 25 writes standard_io in latin1 with -noshell): a character past U+00FF as \\x{52A1}, the others as Latin-1 bytes, masked" {
	# a password of CJK characters showed some 40 times in 100
	export P1='管钥钥服口库员理钥安7bSB8i' P2='XGSwEUpr€EUlvW€xL89y' P3='Grüße€Passwort-2024!x'
	FORMS_NAMES=P1,P2,P3 escript "$FIXTURES/redact/erlang_latin1.escript" >plain
	mask_plain P1,P2,P3 'db password: \x{7BA1}\x{94A5}'
	assert_output "db password: ***REDACTED***
{password,'***REDACTED***'}
db password: ***REDACTED***
{password,'***REDACTED***'}
db password: ***REDACTED***
{password,'***REDACTED***'}"
}

@test "pandas' to_json of a column of JSON text: JSON inside JSON that writes / as \\/ (ujson), masked" {
	# JSON inside JSON was masked with / as it is: a password with a /
	# and another escaped character showed whole (3% of random
	# 20-character passwords, 5% with letters past ASCII)
	export P1="d?2P_!1f/@.\\<'o<qQLp" P2='kÖ/pä§ssw0rd-Grüße/42'
	/usr/bin/python3 -c '
import json, os
import pandas as pd
rows = [{"id": i, "name": "db", "config": json.dumps({"user": "app", "password": os.environ[n]})}
        for i, n in enumerate(("P1", "P2"))]
print(pd.DataFrame(rows).to_json(orient="records", lines=True))' >plain
	mask_plain P1,P2 '\"d?2P_!1f\/@.\\\\<'
	assert_output '{"id":0,"name":"db","config":"{\"user\": \"app\", \"password\": \"***REDACTED***\"}"}
{"id":1,"name":"db","config":"{\"user\": \"app\", \"password\": \"***REDACTED***\"}"}'
}

@test "requests' debug log of a URL holding a value unencoded: the part before its # (the fragment, never sent), percent-encoded and followed by ' HTTP/1.1', masked" {
	# an encoded piece was masked only before a cut mark: 3% of random
	# 20-character passwords showed 12 characters or more there
	export T1='MeXh~HOqHWo]Mm2F#*AQ' T2='p[4]Qs^x|7Lm<z9#tail'
	FORMS_NAMES=T1,T2 /usr/bin/python3 "$FIXTURES/redact/requests_fragment.py" >plain 2>&1
	mask_plain T1,T2 '"GET /x?token=MeXh~HOqHWo%5DMm2F HTTP/1.1" 500'
	run grep -o '"GET .*' <<<"$output"
	assert_output '"GET /x?token=***REDACTED*** HTTP/1.1" 500 0
"GET /x?token=***REDACTED*** HTTP/1.1" 500 0'
}

@test "template engines and HTML libraries (Handlebars, nunjucks, validator, cheerio, xml2js, doT, art-template, he, jsrender, twig.js) and qs' RFC1738 format each escape a value their own way: masked in every one" {
	# their references were in no style of the catalogue: a password
	# whose escapes cut it into runs under 12 showed whole (13 to 90
	# random passwords with symbols in 200, by library)
	local dir="$FIXTURES/redact/templates"
	if [[ ! -f $dir/node_modules/cheerio/package.json || ! -f $dir/node_modules/jsrender/package.json ]] &&
		! timeout 300 npm ci --prefix "$dir" --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1; then
		skip "npm ci failed (registry unreachable?): $(tail -1 npm.log)"
	fi
	export A=$'q\'W=8/x\\L"z<0>p&R$5`T!' B='Fk+Pw0=rd`Ex+mQ!42zz' C=$'Gr\u00e4f/in=7<K\'m>\u20acQ' \
		D='a(b)c d!e*f(g)h~i-j_k'
	FORMS_NAMES=A,B,C,D node "$dir/print.js" >plain
	grep -qF 'qs: password=a(b)c+d%21e%2Af(g)h~i-j_k' plain || fail "qs: $(cat plain)"
	mask_plain A,B,C,D 'handlebars: <p>Your password: q&#x27;W&#x3D;8/x\L&quot;z&lt;0&gt;p&amp;R$5&#x60;T!</p>'
	grep -qF 'jsrender: <p>Your password: Fk+Pw0&#61;rd&#96;Ex+mQ!42zz</p>' plain || fail "jsrender: $(cat plain)"
	grep -qF 'xml2js: <config password="Gräf/in=7&lt;K'"'"'m>€Q"/>' plain || fail "xml2js: $(cat plain)"
	local library expected=
	for library in handlebars nunjucks 'nunjucks dump' validator 'cheerio html' 'cheerio xml' xml2js doT art-template 'he decimal' jsrender twig.js qs; do
		case $library in
		qs) expected+="$library: password=***REDACTED***" ;;
		twig.js) expected+="$library: <script>var pw = \"***REDACTED***\";</script><input value=***REDACTED***>" ;;
		'nunjucks dump') expected+="$library: <pre>{&quot;db&quot;:{&quot;password&quot;:&quot;***REDACTED***&quot;}}</pre>" ;;
		'cheerio html') expected+="$library: <form><input name=\"password\" value=\"***REDACTED***\"></form>" ;;
		'cheerio xml') expected+="$library: <config><db password=\"***REDACTED***\"/></config>" ;;
		xml2js) expected+="$library: <config password=\"***REDACTED***\"/>" ;;
		'he decimal') expected+="$library: ***REDACTED***" ;;
		*) expected+="$library: <p>Your password: ***REDACTED***</p>" ;;
		esac
		expected+=$'\n'
	done
	assert_output "$expected$expected$expected${expected%$'\n'}"
}

@test "PHP's Twig escapes a value for a script (|e('js'): \\u0027, \\/) and for an attribute (|e('html_attr'): &#x27;, &#x00E4;): masked" {
	# each leaves letters, digits and a few marks as they are and writes
	# every other character as a reference or an escape: a password with
	# symbols showed whole (200 random passwords in 200)
	export A=$'q\'W=8/x\\L"z<0>p&R$5`T!' B=$'Gr\u00e4f/in=7<K\'m>\u20acQ\U0001F4A1'
	FORMS_NAMES=A,B php -d include_path=/usr/share/php -r '
require_once "Twig/autoload.php";
$twig = new \Twig\Environment(new \Twig\Loader\ArrayLoader([
    "page" => "<script>var pw = \"{{ pw|e(\"js\") }}\";</script>\n<input value={{ pw|e(\"html_attr\") }}>\n",
]));
foreach (explode(",", getenv("FORMS_NAMES")) as $name)
    echo $twig->render("page", ["pw" => getenv($name)]);
' >plain
	mask_plain A,B '<input value=Gr&#x00E4;f&#x2F;in&#x3D;7&lt;K&#x27;m&gt;&#x20AC;Q&#x1F4A1;>'
	grep -qF '<script>var pw = "q\u0027W\u003D8\/x\\L\u0022z' plain || fail "twig: $(cat plain)"
	assert_output '<script>var pw = "***REDACTED***";</script>
<input value=***REDACTED***>
<script>var pw = "***REDACTED***";</script>
<input value=***REDACTED***>'
}

@test "configparser's ini file writes a value's % twice (its interpolation reads %% as %): masked" {
	# "%" doubled was no form: a password whose "%" cut it into runs
	# under 12 showed whole (9 random passwords with a "%" in 100)
	export A='Tr0ub4dor%&3xample+Q' B='x%Kq9.Lm2%vRt-8!pZ%0w'
	FORMS_NAMES=A,B /usr/bin/python3 - >plain <<'PY'
import configparser
import os
import sys
config = configparser.ConfigParser()
for name in os.environ["FORMS_NAMES"].split(","):
    config[name] = {"password": os.environ[name].replace("%", "%%")}
config.write(sys.stdout)
PY
	mask_plain A,B 'password = x%%Kq9.Lm2%%vRt-8!pZ%%0w'
	assert_output '[A]
password = ***REDACTED***

[B]
password = ***REDACTED***'
}

@test "ActiveSupport's JSON of a rendered fragment (render json: with html_escape inside) writes the references' & as \\u0026: masked" {
	# HTML inside JSON was no form: a password holding & < > " or '
	# whose references cut it into runs under 12 showed whole (82 random
	# passwords with symbols in 200)
	export A=$'q\'W=8/x\\L"z<0>p&R$5`T!' B='Kd2<mQ9>vX4&Zr7"Lp0'
	FORMS_NAMES=A,B ruby -e '
require "active_support"
require "active_support/core_ext/object/json"
require "erb"
ENV["FORMS_NAMES"].split(",").each do |name|
  puts({html: "<td>#{ERB::Util.html_escape(ENV[name])}</td>"}.to_json)
end' >plain
	mask_plain A,B 'Kd2\u0026lt;mQ9\u0026gt;vX4\u0026amp;Zr7\u0026quot;Lp0'
	assert_output '{"html":"\u003ctd\u003e***REDACTED***\u003c/td\u003e"}
{"html":"\u003ctd\u003e***REDACTED***\u003c/td\u003e"}'
}

@test "PHP's http_build_query (~ and * encoded both) and json_encode with the JSON_HEX_ flags and one JSON_UNESCAPED_ flag: masked" {
	# no percent set encoded both ~ and *, and the JSON_HEX_ flags were
	# tried with both JSON_UNESCAPED_ flags or none: a password holding
	# both ~ and * showed whole (141 in 200), and one holding " or < with
	# / and letters past ASCII (3 random passwords in 200)
	export A='Ab*c~De*Fg~Hi*Jk~Lm*No' B='Fäke"Pass/wörd<123>xyz'
	FORMS_NAMES=A,B php -r '
$hex = JSON_HEX_TAG | JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT;
foreach (explode(",", getenv("FORMS_NAMES")) as $name) {
    $v = ["password" => getenv($name)];
    echo http_build_query($v), "\n";
    echo json_encode($v, $hex | JSON_UNESCAPED_UNICODE), "\n";
    echo json_encode($v, $hex | JSON_UNESCAPED_SLASHES), "\n";
}' >plain
	mask_plain A,B 'password=Ab%2Ac%7EDe%2AFg%7EHi%2AJk%7ELm%2ANo'
	grep -qF '{"password":"Fäke\u0022Pass\/wörd\u003C123\u003Exyz"}' plain || fail "json_encode: $(cat plain)"
	assert_output 'password=***REDACTED***
{"password":"***REDACTED***"}
{"password":"***REDACTED***"}
password=***REDACTED***
{"password":"***REDACTED***"}
{"password":"***REDACTED***"}'
}

@test "curl's request line of a value put in a URL's path as it is (curl -v: the bytes past ASCII alone encoded, in lower case): masked" {
	# no percent set left every ASCII byte as it is: a password past
	# ASCII holding one of " ` { } \ | < > ^ showed whole (16 random
	# passwords past ASCII in 150)
	export P='2näH<ßB`KqpWHDcz€F6Ad' Q='x"Kq9\Lm2ä{vRt}|8pZ0w'
	local name i
	for name in P Q; do
		rm -f port
		# one request answered (501), or none in 10 seconds
		/usr/bin/python3 -c 'import http.server, socketserver
s = socketserver.TCPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
s.timeout = 10
print(s.server_address[1], flush=True)
s.handle_request()' >port 2>/dev/null &
		i=0
		while [[ ! -s port ]] && ((i++ < 100)); do sleep 0.05; done
		curl -gsv -o /dev/null "http://127.0.0.1:$(cat port)/api/tok/${!name}/items" 2>&1 | tr -d '\r' | grep '^> GET' || :
		wait
	done >plain
	mask_plain P,Q '> GET /api/tok/2n%c3%a4H<%c3%9fB`KqpWHDcz%e2%82%acF6Ad/items HTTP/1.1'
	assert_output '> GET /api/tok/***REDACTED***/items HTTP/1.1
> GET /api/tok/***REDACTED***/items HTTP/1.1'
}

@test "Rack's session cookie (base64 of the session with + / = percent-encoded): the value's base64 masked across %2B and %2F" {
	# base64 percent-encoded was no form: where a %2B or %2F fell inside
	# the value's base64, no run was decoded and the value showed (4
	# random passwords with symbols in 100)
	export A='I7S?1L1+0e0tza9`/3%_' B=">9hTCzp<pvEJqa'!=ZgI"
	FORMS_NAMES=A,B ruby -e '
require "rack"
require "rack/session/cookie"
require "rack/mock"
ENV["FORMS_NAMES"].split(",").each do |name|
  app = ->(env) { env["rack.session"]["access_token"] = ENV[name]; [200, {}, ["ok"]] }
  r = Rack::MockRequest.new(Rack::Session::Cookie.new(app, secret: "x" * 64)).get("/")
  puts "set-cookie: #{r.headers["set-cookie"].split(";").first}"
end' >plain
	grep -q '^set-cookie: rack.session=.*%2[BF]' plain || fail "rack: $(cat plain)"
	run --separate-stderr redact -e A,B <plain
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(grep -c '^set-cookie: rack.session=.*\*\*\*REDACTED\*\*\*' <<<"$output")" 2
	# and no 12 bytes of either value in what the cookie's base64 decodes to
	run python3 -c 'import base64, os, re, sys, urllib.parse
for line in sys.stdin:
    text = urllib.parse.unquote(line.split("=", 1)[1].split("--")[0])
    data = b"".join(base64.b64decode(run + "=" * (-len(run) % 4)) for run in re.findall(r"[A-Za-z0-9+/]{4,}", text))
    for name in ("A", "B"):
        v = os.environ[name].encode()
        if any(v[i:i + 12] in data for i in range(len(v) - 11)):
            print("shown:", name)' <<<"$output"
	assert_output ''
}

@test "mocha's xunit reporter writes an assertion's message (node's assert, chai) as references in upper-case hex: the value's inspect inside masked" {
	# he.encode of a literal was no form: a password whose ' " < > & or
	# letters past ASCII cut the literal's references into runs under 12
	# showed whole (25 random passwords in 100)
	local dir="$FIXTURES/redact/mocha"
	if [[ ! -f $dir/node_modules/mocha/package.json || ! -f $dir/node_modules/chai/package.json ]] &&
		! timeout 300 npm ci --prefix "$dir" --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1; then
		skip "npm ci failed (registry unreachable?): $(tail -1 npm.log)"
	fi
	export A=$'ab\'c"d<e>f&g`h\\i\u00e4j\u20ack' B='p\Q7<r.S9#t~U2v>w#X4'
	FORMS_NAMES=A,B "$dir/node_modules/.bin/mocha" --reporter xunit "$dir/config.test.js" >plain || true
	mask_plain A,B "+ &#x27;p\\\\Q7&#x3C;r.S9#t~U2v&#x3E;w#X4&#x27;"
	grep -qF 'expected &#x27;ab\&#x27;c&#x22;d&#x3C;e&#x3E;f&#x26;g&#x60;h\i&#xE4;j&#x20AC;k&#x27;' plain ||
		fail "chai's message: $(cat plain)"
	run grep -oE "(^\+ |expected )&#x27;[^ ]*&#x27;|^ +-.*" <<<"$output"
	assert_output "+ &#x27;***REDACTED***&#x27;
      -***REDACTED***
+ &#x27;***REDACTED***&#x27;
expected &#x27;***REDACTED***&#x27;
      -***REDACTED***
expected &#x27;***REDACTED***&#x27;
+ &#x27;***REDACTED***&#x27;
      -***REDACTED***
+ &#x27;***REDACTED***&#x27;
expected &#x27;***REDACTED***&#x27;
      -***REDACTED***
expected &#x27;***REDACTED***&#x27;"
}

@test "structlog's LogfmtRenderer writes a value's \" backslashed and its backslash as it is: masked" {
	# JSON's form was the nearest: a password holding " and \ whose
	# backslashes cut it into runs under 12 showed whole (4 random
	# passwords with symbols in 400)
	export A='q"W8\n4x"Lz=0pR\5sT!' B='Zr\7"Kd2 mQ9\"vX4'
	FORMS_NAMES=A,B /usr/bin/python3 - >plain <<'PY'
import os
import structlog
structlog.configure(processors=[structlog.processors.LogfmtRenderer()])
log = structlog.get_logger()
for name in os.environ["FORMS_NAMES"].split(","):
    log.info("connect", password=os.environ[name], user="app")
PY
	mask_plain A,B 'password="q\"W8\n4x\"Lz=0pR\5sT!" user=app'
	assert_output 'password="***REDACTED***" user=app event=connect
password="***REDACTED***" user=app event=connect'
}

@test "node's test runner's TAP (--test-reporter=tap) writes a test point's description with # and \\ backslashed: masked" {
	# re.escape's form was the nearest: a password whose # and a - or .
	# (which re.escape escapes too) cut it into runs under 12 showed
	export W1='x#Kq9.Lm2#vRt-8!pZ0w' W2='p\Q7-r.S9#t~U2v!w#X4'
	cat >tap.test.mjs <<'JS'
import test from "node:test";
for (const name of process.env.FORMS_NAMES.split(","))
	test(`connects with password ${process.env[name]}`, () => {});
JS
	FORMS_NAMES=W1,W2 node --test --test-reporter=tap tap.test.mjs >plain 2>&1
	mask_plain W1,W2 'ok 1 - connects with password x\#Kq9.Lm2\#vRt-8!pZ0w'
	run grep -E '^(# Subtest|ok)' <<<"$output"
	assert_output '# Subtest: connects with password ***REDACTED***
ok 1 - connects with password ***REDACTED***
# Subtest: connects with password ***REDACTED***
ok 2 - connects with password ***REDACTED***'
}

