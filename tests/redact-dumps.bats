#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# redact's dump views: a value cut over the lines of xxd, hexdump -C, od,
# curl --trace(-ascii) and gdb's x command is masked in the hex and the
# character columns, piece by piece, through redact -b and `secenv run`.
# shellcheck disable=SC2016,SC2154,SC2030,SC2031 # scripts expand their own variables; bats sets output and stderr, in each test's shell, where masked_by_run reads them

bats_require_minimum_version 1.5.0

setup() {
	load helpers/common
	secenv_test_env
	secenv_user_env
	cd "$BATS_TEST_TMPDIR" || return
	# 56 bytes after the kept prefix: the secret part, cut over lines
	KEY=sk_test_Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8Mm0Lk9Jh7Gf5Dd3Ss1Aa2QwErTyU
	PART=${KEY#sk_test_}
	DB='postgresql://app:Sup3rS3cretPassw0rdXYZ@db.example.com/mydb'
	DBPART=Sup3rS3cretPassw0rdXYZ
	UTF='pässwörd-Zq8vW3nR5tY1uI7oP2aS-üñí'
	D="$FIXTURES/redact-dumps"
	export KEY PART DB DBPART UTF D
}

# store_key: KEY stored as STRIPE_SECRET_KEY of p1, and p1's sealed blob.
store_key() {
	secenv init >/dev/null 2>&1
	secenv_put p1 STRIPE_SECRET_KEY "$KEY"
	vaultfetch fetch p1 >p1.blob
}

# app_env: PW, a password, and app.env, a .env file that holds it after
# DB_PASSWORD= (4 of its 20 bytes end the first line of a dump of 16)
app_env() {
	PW=Zq8vW3nR5tY1uI7oP2aS
	export PW
	printf 'DB_PASSWORD=%s\nDEBUG=1\n' "$PW" >app.env
}

# wait_lines N: until the file out holds N lines (a bounded wait, not a
# measure of time)
wait_lines() {
	local tries=0
	until [[ $(wc -l <out) -eq $1 ]]; do
		sleep 0.05
		tries=$((tries + 1))
		((tries < 600)) || fail "never got $1 lines: $(cat out)"
	done
}

# redact_in_parts FILE NAMES MARK...: FILE through `redact -e NAMES`,
# written in parts cut right after each MARK (where it first is), each
# part once redact has read the one before (parts.py); run's output.
redact_in_parts() {
	local file=$1 names=$2 at
	shift 2
	at=$(python3 -c 'import sys
t = open(sys.argv[1], encoding="utf-8").read()
print(*sorted(len(t[:t.index(m) + len(m)].encode()) for m in sys.argv[2:]))' "$file" "$@")
	run --separate-stderr bash -c 'python3 "$SECENV_SRC/tests/helpers/parts.py" "$(cat "$0")"$'"'\\n'"' $2 | redact -e "$1"' \
		"$file" "$names" "$at"
}

# split_dumps FILE: FILE's dumps, one file each (dump.1, dump.2, ...),
# from one marker line "== ..." to the next.
split_dumps() {
	awk '/^== /{n++} {print > ("dump." n)}' "$1"
}

@test "xxd, hexdump -C and od dumps of a value are masked in both columns, through redact -b" {
	store_key
	STRIPE_SECRET_KEY=$KEY bash "$D/dumps.sh" STRIPE_SECRET_KEY >plain.out 2>&1
	run --separate-stderr bash -c \
		'STRIPE_SECRET_KEY=$KEY bash "$D/dumps.sh" STRIPE_SECRET_KEY 2>&1 |
			redact -b p1.blob --stats stats.json'
	assert_success
	printf '%s\n' "$output" >masked.out
	run python3 "$D/pieces.py" absent PART masked.out
	assert_success
	run cat masked.out
	refute_secret "$KEY"
	# every program ran: its marker and its first line, which holds
	# only two bytes of the secret part, masked with the rest of it
	split_dumps plain.out
	for n in 1 2 3 4 5 6 7 8; do
		first=$(sed -n 2p "dump.$n")
		# (od -An has no offsets: its hex-with-spaces form may be masked
		# across lines by the main masker, the kept prefix with it)
		assert_line --partial "${first:0:18}"
	done
	assert_line --index 0 '== xxd'
	assert_line '00000000: 6865 6c6c 6f20 736b 5f74 6573 745f ****  hello sk_test_**'
	assert_line '00000000  68 65 6c 6c 6f 20 73 6b  5f 74 65 73 74 5f ** **  |hello sk_test_**|'
	assert_line '0000000   h   e   l   l   o       s   k   _   t   e   s   t   _   *   *'
	assert_line '00000008: 5f 74 65 73 74 5f ** **  _test_**'
	# the layout stays: same lines, same widths, stars where bytes were
	run python3 "$D/pieces.py" layout plain.out masked.out
	assert_success
	# 16 bytes a line: 5 lines of each of 8 dumps (the first with 2
	# bytes of the secret part); 8 of xxd -c8
	assert_output '48 lines masked'
	# one mask a dump: its lines are held until the value's end
	run jq -c .masks stats.json
	assert_output '{"STRIPE_SECRET_KEY":9}'
}

@test "gdb's x command over a value's bytes (x/xb, xh, xw, xg, db, ub, ob, tb, cb, and from an odd address): every unit of the value after its prefix masked in place, other memory byte for byte" {
	# the program's data read from the file: gdb runs nothing
	python3 "$D/gdb_x.py" source KEY >prog.c
	cc -g -O0 -o prog prog.c
	args=()
	for x in 80xb 40xh 20xw 10xg 80db 80ub 80ob 80tb 80cb; do
		args+=(-ex "x/$x &buf")
	done
	# the first line holds 4 bytes of the value after its prefix
	args+=(-ex 'x/76xb (char *)&buf + 4' -ex 'x/32xb &head')
	gdb -q -batch -nx "${args[@]}" ./prog >plain 2>&1
	[[ $(grep -c '^0x[0-9a-f]* <buf' plain) -eq 85 ]] || fail "gdb: $(head -3 plain)"
	run --separate-stderr redact -e KEY <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$KEY"
	printf '%s\n' "$output" >masked
	run python3 "$D/gdb_x.py" check KEY plain masked 8
	assert_success
	assert_output '441 units masked'
	run grep -F '<buf+4>:' masked
	assert_output --regexp '^0x[0-9a-f]+ <buf\+4>:'$'\t0x65\t0x73\t0x74\t0x5f\t0x\\*\\*\t0x\\*\\*\t0x\\*\\*\t0x\\*\\*$'
}

@test "lldb's memory read (bare hex and its text, 8 a line with a short last, -f u -s 1) and x/xb, x/xw over a value's bytes: every byte after the prefix masked in place, other memory byte for byte" {
	printf '%s\n' 'static const char head[] = "not a secret at all, just memory";' \
		"const char buf[] = \"$KEY\";" \
		'int main(void) { return head[0] + buf[0]; }' >prog.c
	cc -g -O0 -o prog prog.c
	printf '%s\n' 'b main' run 'memory read -c 48 &buf' 'x/24xb &buf' 'x/8xw &buf' \
		'memory read -f u -s 1 -c 12 &buf' 'memory read -c 32 &head' \
		'memory read -c 20 -l 8 &buf' >cmds
	lldb -b -s cmds ./prog >plain 2>/dev/null || :
	[[ $(grep -c '^0x[0-9a-f]*: ' plain) -eq 25 ]] || fail "lldb: $(head -3 plain)"
	run --separate-stderr redact -e KEY <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$KEY"
	local a='0x[0-9a-f]+: '
	assert_line --regexp "^${a}73 6b 5f 74 65 73 74 5f( \\*\\*){8}  sk_test_\\*{8}\$"
	assert_line --regexp "^${a}(\\*\\* ){15}\\*\\*  \\*{16}\$"
	assert_line --regexp "^${a}0x73 0x6b 0x5f 0x74 0x65 0x73 0x74 0x5f\$"
	assert_line --regexp "^${a}0x\\*\\* (0x\\*\\* ){6}0x\\*\\*\$"
	assert_line --regexp "^${a}0x745f6b73 0x5f747365 0x\\*{8} 0x\\*{8}\$"
	assert_line --regexp "^${a}0x\\*{8} 0x\\*{8} 0x\\*{8} 0x\\*{8}\$"
	# one number a line: the prefix's 8 shown, the 4 after starred
	[[ $(grep -cE "^${a}(115|107|95|116|101)\$" <<<"$output") -eq 8 ]]
	[[ $(grep -cE "^${a} +\\*\$" <<<"$output") -eq 4 ]]
	assert_line --regexp "^${a}6e 6f 74 20 61 20 73 65 63 72 65 74 20 61 74 20  not a secret at \$"
	assert_line --regexp "^${a}61 6c 6c 2c 20 6a 75 73 74 20 6d 65 6d 6f 72 79  all, just memory\$"
	# 8 a line, the last short: its text aligned under the others'
	assert_line --regexp "^${a}73 6b 5f 74 65 73 74 5f  sk_test_\$"
	assert_line --regexp "^${a}(\\*\\* ){3}\\*\\* {14}\\*{4}\$"
	# the build before showed every byte of it in hex
	refute_output --partial '5a 71 38 76'
}

@test "gdb's print of a value's bytes (p/x, p/d, p/u, p/c of the array, its zeros as <repeats>): every item after the prefix masked, another array's items byte for byte" {
	python3 "$D/gdb_x.py" source KEY >prog.c
	cc -g -O0 -o prog prog.c
	gdb -q -batch -nx -ex 'p/x buf' -ex 'p/d buf' -ex 'p/u buf' -ex 'p/c buf' \
		-ex 'p/x head' -ex 'p/d head' -ex 'p/c head' ./prog >plain 2>&1
	[[ $(grep -c '^\$[0-9] = {' plain) -eq 7 ]] || fail "gdb: $(head -3 plain)"
	grep -q '0x0 <repeats 16 times>}$' plain || fail "gdb: no repeats"
	run --separate-stderr redact -e KEY <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$KEY"
	printf '%s\n' "$output" >masked
	run python3 "$D/gdb_x.py" check-print KEY plain masked 8
	assert_success
	assert_output '224 items masked'
}

@test "gdb's and lldb's print of a std::vector<char> and <unsigned char> (info locals, bt full, p, p/x; lldb's [0] = 'r' a line, -f d, -f x): a password's, its first 14 bytes' and a key's items masked after any text" {
	# gdb's p/c items ("114 'r'") were read only right after "$1 = {":
	# after "secret = std::vector of length 21, capacity 21 = " every
	# item showed, and lldb's "[0] = 114" one a line too
	export PW='r+iGp"58@WAm!dX3:a\`5' K='1+08exd9cKezF0Itm7Gy7OPEUTmkRJvRW2OS7ZlVzp8='
	KEY_HEX=$(printf %s "$K" | base64 -d | xxd -p -c 64)
	export KEY_HEX
	g++ -g -O0 -o v "$D/vectors.cpp"
	gdb -q -batch -nx -ex 'break use' -ex run -ex 'bt full' -ex up \
		-ex 'info locals' -ex 'p secret' -ex 'p/x key' ./v >plain 2>&1
	[[ $(grep -c "= std::vector of length 21, capacity 21 = {114 'r', 43 '+'," plain) -eq 3 ]] ||
		fail "gdb: $(head -5 plain)"
	run --separate-stderr redact -e PW,K <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$PW"
	refute_output --partial "'G'"
	refute_output --partial "'\\327'"
	local stars21 stars14 stars32
	stars21=$(printf '*, %.0s' {1..20})'*'
	stars14=$(printf '*, %.0s' {1..13})'*'
	stars32=$(printf '*, %.0s' {1..31})'*'
	assert_line "        secret = std::vector of length 21, capacity 21 = {$stars21}"
	assert_line "        head = std::vector of length 14, capacity 14 = {$stars14}"
	assert_line "        key = std::vector of length 32, capacity 32 = {$stars32}"
	assert_line "        signed_key = std::vector of length 32, capacity 32 = {$stars32}"
	assert_line "secret = std::vector of length 21, capacity 21 = {$stars21}"
	assert_line "head = std::vector of length 14, capacity 14 = {$stars14}"
	assert_line "\$1 = std::vector of length 21, capacity 21 = {$stars21}"
	assert_line '$2 = std::vector of length 32, capacity 32 = {***REDACTED***}'
	# lldb's formatters for libstdc++ are Python: Debian's lldb finds
	# its module only so
	PYTHONPATH=/usr/lib/llvm-14/lib/python$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')/dist-packages \
		lldb -b -o 'b use' -o run -o up -o 'frame variable' \
		-o 'frame variable -f d secret' -o 'frame variable -f x key' ./v >plain 2>/dev/null || :
	[[ $(grep -cE "^  \[[0-9]+\] = " plain) -eq 152 ]] || fail "lldb: $(grep -v Traceback plain | head -5)"
	run --separate-stderr redact -e PW,K <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$PW"
	# every item masked but the password's last three: its backslash,
	# which lldb leaves as it is ('\'), ends the run
	[[ $(grep -cE "^  \[[0-9]+\] = ('\*'|\*|0x\*\*)\$" <<<"$output") -eq 149 ]]
	assert_line "  [18] = '\\'"
	assert_line "  [20] = '5'"
	refute_line --regexp '\] = ([0-9]+|0x[0-9a-f]+)$'
}

@test "gdb's print of 20 random keys' bytes in a UTF-8 locale (a character iswprint() takes as it is, every other byte in octal, a character cut at the end as <incomplete sequence>): each string masked whole, no 12 bytes of a key shown" {
	# in a UTF-8 locale gdb writes "\320ߔy": the octal-only form
	# LANG=C gives was the only one known, and one character as it is
	# showed the whole key (two keys in three)
	random_keys 20
	python3 "$D/gdb_keys.py" source "$KEY_NAMES" >k.c
	cc -g -O0 -o k k.c
	local args=() i
	for i in {0..19}; do args+=(-ex "p keys[$i]"); done
	LANG=C.UTF-8 LC_ALL= gdb -q -batch -nx "${args[@]}" ./k >plain 2>&1
	[[ $(grep -c '^\$[0-9]* = "' plain) -eq 20 ]] || fail "gdb: $(head -3 plain)"
	run --separate-stderr redact -e "$KEY_NAMES" <plain
	assert_success
	[[ -z $stderr ]]
	printf '%s\n' "$output" >masked
	# each string the mask alone (but a first blank or "|", read as
	# an indent or a table's border, as in any text): a character the
	# key's end cuts short is gdb's <incomplete sequence \ooo> after it
	[[ $(grep -cE '^\$[0-9]+ = "[ |]?\*\*\*REDACTED\*\*\*"(, <incomplete sequence (\\[0-7]{3})+>)?$' masked) -eq 20 ]] ||
		fail "$(grep -v REDACTED masked | head -3)"
	run python3 "$D/gdb_keys.py" check "$KEY_NAMES" plain masked
	assert_success
	# the locale's form: characters as they are in most strings
	[[ ${output%% *} -ge 5 ]] || fail "$output"
}

@test "a list line of gdb's print cut between two reads anywhere in its <repeats> is masked as it is whole" {
	# as the test above: a file is read 16 KiB first, then 256 KiB at
	# a time; line k is cut k bytes into " <repeats 16 times>}"
	PYTHONPATH=$D python3 -c 'import os
from cuts import cut, pad_to
key = os.environ["KEY"].encode()
items = ", ".join("0x%x" % b for b in key) + ", 0x0 <repeats 16 times>}"
out, reads = open("plain", "w"), 0
tail = len(" <repeats 16 times>}")
for lead in ("$1 = {", "{"):
    for k in range(tail + 1):
        line = lead + items + "\n"
        pad_to(out, len(line) - 1 - tail + k, cut(reads))
        out.write(line)
        reads += 1
open("line1", "w").write("$1 = {" + items + "\n")
open("line2", "w").write("{" + items + "\n")' || fail "no input"
	# (its 11 MB of output to a file: held in $output, split into lines
	# and written out again for each grep, it cost most of the test)
	redact -e KEY <plain >out 2>err || fail "redact exited $?"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	! grep -qF -- "$KEY" out || fail "secret value found in stdout"
	redact -e KEY <line1 >want1
	redact -e KEY <line2 >want2
	grep -q '0x\*\*, 0x0 <repeats 16 times>}$' want1 || fail "line1 not masked"
	# every cut line as the line alone gives it
	[[ $(grep -c '^\$1 = {' out) -eq 21 && $(grep -c '^{' out) -eq 21 ]]
	diff <(grep '^\$1 = {' out | sort -u) want1
	diff <(grep '^{' out | sort -u) want2
}

@test "openssl asn1parse of private keys (RSA, EC, Ed25519): the inner key's hex, -strparse's integers and -dump's BIO_dump lines masked in place, other lines and another key's byte for byte" {
	local k opt off
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa.pem 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
	openssl genpkey -algorithm ed25519 -out ed.pem
	openssl genpkey -algorithm ed25519 -out other.pem
	RSA_KEY=$(cat rsa.pem) EC_KEY=$(cat ec.pem) ED_KEY=$(cat ed.pem)
	export RSA_KEY EC_KEY ED_KEY
	for k in rsa ec ed; do
		off=$(openssl asn1parse -in $k.pem | awk -F: '/OCTET STRING/ { print $1 + 0; exit }')
		for opt in "" -i -dump "-i -dump" "-strparse $off"; do
			# shellcheck disable=SC2086 # the options are words
			openssl asn1parse -in $k.pem $opt >plain
			grep -qE 'HEX DUMP|INTEGER +:[0-9A-F]{24}| - [0-9a-f]{2} ' plain ||
				fail "$k $opt: no hex: $(head -c 300 plain)"
			run --separate-stderr redact -e RSA_KEY,EC_KEY,ED_KEY <plain
			assert_success
			[[ -z $stderr ]]
			printf '%s\n' "$output" >masked
			run python3 "$D/openssl_asn1.py" check $k.pem plain masked
			assert_success
			[[ $output =~ ^[1-9][0-9]*\ lines\ masked$ ]] || fail "$k $opt: $output"
		done
	done
	# the RSA key's inner key (asn1parse's OCTET STRING) whole, its
	# private exponent (-strparse: the fourth INTEGER) whole
	openssl asn1parse -in rsa.pem | redact -e RSA_KEY >masked
	run grep -E '^ +[0-9]+:d=1 +hl=[0-9]+ l= *[0-9]+ prim: OCTET STRING +\[HEX DUMP\]:\*+$' masked
	assert_success
	openssl asn1parse -in rsa.pem -strparse "$(openssl asn1parse -in rsa.pem |
		awk -F: '/OCTET STRING/ { print $1 + 0; exit }')" | redact -e RSA_KEY >masked
	run awk '/prim: INTEGER/ { n++; if (n == 4) print }' masked
	[[ $output =~ INTEGER\ +:\*{200,}$ ]] || fail "private exponent: $output"
	# printed by a command of secenv run (the guard refuses a .pem file:
	# the same key under another name): its stdout masked alike
	secenv init >/dev/null 2>&1
	secenv_put p1 EC_KEY "$EC_KEY"
	cp ec.pem ec.txt
	openssl asn1parse -in ec.txt -dump >plain
	run --separate-stderr secenv run -p p1 -- openssl asn1parse -in ec.txt -dump
	assert_success
	[[ -z $stderr ]]
	printf '%s\n' "$output" >masked
	run python3 "$D/openssl_asn1.py" check ec.pem plain masked
	assert_success
	assert_output '7 lines masked'
	# a key's CR and LF bytes at a dump line's edges (no pattern holds
	# them): masked with the bytes around them
	python3 -c 'import base64, os
der = bytearray(b if b not in (10, 13) else 65 for b in os.urandom(64))
der[16], der[31] = 10, 13
print("-----BEGIN PRIVATE KEY-----")
print(base64.b64encode(bytes(der)).decode())
print("-----END PRIVATE KEY-----")' >crafted.pem
	CRAFTED=$(cat crafted.pem)
	export CRAFTED
	sed -n 2p crafted.pem | base64 -d | xxd >plain
	[[ $(sed -n 2p plain) =~ ^00000010:\ 0a.*0d\ \ \..*\.$ ]] || fail "xxd: $(sed -n 2p plain)"
	run --separate-stderr redact -e CRAFTED <plain
	assert_success
	assert_output "$(printf '%08x: **** **** **** **** **** **** **** ****  ****************\n' 0 16 32 48)"
	# another key's lines pass byte for byte
	openssl asn1parse -in other.pem -dump >plain
	run --separate-stderr redact -e RSA_KEY,EC_KEY,ED_KEY <plain
	assert_success
	assert_output "$(cat plain)"
}

@test "a value's bytes as 0xHH from a line's start, a blank apart (a C loop's printf(\"0x%02x \"), print(*map(hex, b))) or a comma: masked in place" {
	stars() { printf "%${2}s" '' | sed "s/ /$1/g"; }
	cat >hex.c <<-'EOF'
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		int main(void)
		{
			const char *s = getenv("KEY");
			for (size_t i = 0; i < strlen(s); i++)
				printf("0x%02x ", (unsigned char)s[i]);
			printf("\n");
			return 0;
		}
	EOF
	cc -o hex hex.c
	{
		./hex
		python3 -c 'import os; b = os.environb[b"KEY"]
print(*map(hex, b)); print(*map(hex, b), sep=", "); print(",".join(map(hex, b)))'
	} >plain
	run --separate-stderr redact -e KEY <plain
	assert_success
	local head="0x73 0x6b 0x5f 0x74 0x65 0x73 0x74 0x5f"
	assert_output "$head $(stars '0x** ' 56)
$head$(stars ' 0x**' 56)
${head// /, }$(stars ', 0x**' 56)
${head// /,}$(stars ',0x**' 56)"
	refute_secret "$PART"
}

@test "od -x and hexdump's words (bytes swapped), od -t u1 and d1 and xxd -i's C array are masked in place" {
	for dump in "od -x" "hexdump" "od -tu1" "od -An -td1" "xxd -i"; do
		# shellcheck disable=SC2086 # the dump's options are words
		printf 'hello %s end\n' "$KEY" | $dump >"plain.${dump// /}"
		# shellcheck disable=SC2086
		printf 'hello %s end\n' "$KEY" | $dump | redact -e KEY >"masked.${dump// /}"
	done
	run cat masked.od-x
	# the first line holds 2 bytes of the secret part: held until the
	# value's end, and masked
	assert_line --index 0 '0000000 6568 6c6c 206f 6b73 745f 7365 5f74 ****'
	assert_line --index 1 '0000020 **** **** **** **** **** **** **** ****'
	assert_line --index 4 '0000100 **** **** **** 6520 646e 000a'
	run cat masked.hexdump
	assert_line --index 1 '0000010 **** **** **** **** **** **** **** ****'
	assert_line --index 4 '0000040 **** **** **** 6520 646e 000a          '
	# decimal fields: one star, whatever the digits were
	run cat masked.od-tu1
	assert_line --index 0 '0000000 104 101 108 108 111  32 115 107  95 116 101 115 116  95   *   *'
	assert_line --index 1 '0000020   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *'
	assert_line --index 4 '0000100   *   *   *   *   *   *  32 101 110 100  10'
	run cat masked.od-An-td1
	assert_line --index 1 '    *    *    *    *    *    *    *    *    *    *    *    *    *    *    *    *'
	assert_line --index 4 '    *    *    *    *    *    *   32  101  110  100   10'
	# a list: the part's first bytes on the row before are masked too
	run cat masked.xxd-i
	assert_line --index 0 '  0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x73, 0x6b, 0x5f, 0x74, 0x65, 0x73,'
	assert_line --index 1 '  0x74, 0x5f, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**,'
	assert_line --index 5 '  0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x20, 0x65,'
	for f in od-x hexdump od-tu1 od-An-td1 xxd-i; do
		run python3 "$D/pieces.py" layout "plain.$f" "masked.$f"
		assert_success
	done
}

@test "util.inspect's rows of a value's bytes in colour, nested deep: masked but for the kept prefix" {
	# shellcheck disable=SC2016 # node reads its own environment
	node -e 'const util = require("util");
		let deep = new Uint8Array(Buffer.from(process.env.KEY));
		for (let i = 0; i < 12; i++) deep = { k: deep };
		console.log(util.inspect(deep, { colors: true, depth: null }));' >plain
	grep -q $'\e\\[33m115\e\\[39m' plain || fail "node printed no colour codes"
	redact -e KEY <plain >masked
	# the rows, stripped of their colours: sk_test_ stays, no byte after,
	# each masked number one star (the first row's are too: the rows are
	# held while a value's match may reach back into them)
	run sed -E 's/\x1b\[[0-9;]*m//g; s/^ +//' masked
	assert_line --index 12 'k: Uint8Array(64) ['
	assert_line --index 13 '115, 107,  95, 116, 101, 115, 116,  95, *, *, *,'
	assert_line --index 14 '*, *, *, *, *, *, *, *, *, *, *,'
	assert_line --index 18 '*, *, *, *, *, *, *, *, *'
	assert_line --index 19 ']'
}

# masked_by_run COMMAND: COMMAND's dumps printed through secenv run,
# its stdout kept in out and its stderr in err, no piece of the part in
# either; $output is then out's (run's, in the calling test's shell).
masked_by_run() {
	run --separate-stderr secenv run -p p1 -- "$1"
	assert_success
	printf '%s\n' "$output" >out
	printf '%s\n' "$stderr" >err
	run python3 "$D/pieces.py" absent PART out err
	assert_success
	run cat out
	refute_secret "$KEY"
}

@test "the same dumps printed by a command of secenv run, on stdout and stderr" {
	store_key
	masked_by_run "bash $D/dumps.sh STRIPE_SECRET_KEY"
	assert_line --index 0 '== xxd'
	assert_line '== od -Ax -tx1z'
	assert_line '000000 68 65 6c 6c 6f 20 73 6b 5f 74 65 73 74 5f ** **  >hello sk_test_**<'
	assert_line '000010 ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **  >****************<'
	assert_line '   h   e   l   l   o       s   k   _   t   e   s   t   _   *   *'
	assert_line '0000020   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *'
	assert_line '00000040: **** **** **** 2065 6e64 0a              ****** end.'
	run cat err
	assert_line --index 0 '== xxd to stderr'
	assert_line --index 1 '00000000: 6865 6c6c 6f20 736b 5f74 6573 745f ****  hello sk_test_**'
	assert_line --index 2 '00000010: **** **** **** **** **** **** **** ****  ****************'
}

@test "wider words and bits: od -X, -t x8, hexdump -x, xxd -e (a value past ASCII too, whose text column shows dots both ways) and xxd -b, masked in place" {
	W='секретная фраза рнщзйуквгбхамтлжичсоаецфпд 秘密の鍵 Ab3dE6gH'
	export W
	for dump in 'od -X' 'od -An -t x8' 'hexdump -x' 'xxd -e' 'xxd -b -c 12'; do
		run --separate-stderr bash -c "printf %s \"\$PART\" | $dump | redact -e PART"
		assert_success
		[ -z "$stderr" ]
		# no hex word (nor 8 bits) of the value after the offset column
		run bash -c 'sed "s/^[0-9a-f]*:\{0,1\} *//" <<<"$1" | grep -E "[0-9a-f]{4}" || true' _ "$output"
		assert_output ''
	done
	for dump in 'xxd -e' 'xxd -g 4'; do
		run --separate-stderr bash -c "printf %s \"\$W\" | $dump | redact -e W"
		assert_success
		run bash -c 'sed "s/^[0-9a-f]*: *//" <<<"$1" | grep -E "[0-9a-f]{4}" || true' _ "$output"
		assert_output ''
	done
	# bytes.hex(' ', 4) starts with a group of 8 digits, as od -X's
	# offset looks: still read as hex groups, the kept prefix shown
	run --separate-stderr bash -c 'python3 -c "import os; print(os.environ[\"KEY\"].encode().hex(\" \", -4))" | redact -e KEY'
	assert_success
	assert_output --regexp '^736b5f74 6573745f (\*{8} )+\*+$'
}

@test "curl --trace-ascii and --trace of a header carrying the value, served on 127.0.0.1 (secenv run)" {
	store_key
	run --separate-stderr secenv run -p p1 -- "bash $D/traces.sh STRIPE_SECRET_KEY $BATS_TEST_TMPDIR"
	assert_success
	printf '%s\n' "$output" >out
	printf '%s\n' "$stderr" >err
	run python3 "$D/pieces.py" absent PART out err
	assert_success
	run cat out
	refute_secret "$KEY"
	assert_line '== curl --trace-ascii'
	assert_line '== curl --trace'
	assert_line 'served'
	# 11 bytes of header name, the prefix, 45 of the 56 bytes on the first
	# line, 11 on the next after curl's 64 characters
	assert_line '0000: X-Api-Key: sk_test_*********************************************'
	assert_line '0040: ***********'
	assert_line '0000: 58 2d 41 70 69 2d 4b 65 79 3a 20 73 6b 5f 74 65 X-Api-Key: sk_te'
	assert_line '0010: 73 74 5f ** ** ** ** ** ** ** ** ** ** ** ** ** st_*************'
	assert_line '0040: ** ** ** ** ** ** ** ** ** ** ** 0d 0a          ***********..'
}

@test "curl traces through redact -b: masked the same way" {
	store_key
	run --separate-stderr bash -c \
		'STRIPE_SECRET_KEY=$KEY bash "$D/traces.sh" STRIPE_SECRET_KEY . | redact -b p1.blob'
	assert_success
	printf '%s\n' "$output" >out
	run python3 "$D/pieces.py" absent PART out
	assert_success
	run cat out
	refute_secret "$KEY"
	assert_line '0000: X-Api-Key: sk_test_*********************************************'
	assert_line '0030: ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** ****************'
}

@test "a value that begins late on a dump line (xxd, hexdump -C and od -c of a .env file, curl --trace of a request header): its first bytes there masked once its end shows" {
	app_env
	# 4 of its 20 bytes end the first line: held until the next line
	# ends the value, then masked with it
	run --separate-stderr bash -c 'xxd app.env | redact -e PW'
	assert_success
	[ -z "$stderr" ]
	assert_output "00000000: 4442 5f50 4153 5357 4f52 443d **** ****  DB_PASSWORD=****
00000010: **** **** **** **** **** **** **** ****  ****************
00000020: 0a44 4542 5547 3d31 0a                   .DEBUG=1."
	run --separate-stderr bash -c 'hexdump -C app.env | redact -e PW'
	assert_success
	assert_line --index 0 '00000000  44 42 5f 50 41 53 53 57  4f 52 44 3d ** ** ** **  |DB_PASSWORD=****|'
	assert_line --index 2 '00000020  0a 44 45 42 55 47 3d 31  0a                       |.DEBUG=1.|'
	run --separate-stderr bash -c 'od -c app.env | redact -e PW'
	assert_success
	assert_line --index 0 '0000000   D   B   _   P   A   S   S   W   O   R   D   =   *   *   *   *'
	# curl --trace of a request and its answer: where the request
	# header's value begins on a line depends on the Host line's port;
	# its hex and characters show nowhere, not even two bytes at a
	# line's end
	python3 "$D/header_server.py" port PW 1 &
	until [ -s port ]; do sleep 0.05; done
	curl -sS --trace - -H "Authorization: Bearer $PW" "http://127.0.0.1:$(cat port)/" >plain
	wait
	grep -q '^0000: 47 45 54 20 2f 20 ' plain || fail "no trace: $(head -c 300 plain)"
	run --separate-stderr redact -e PW <plain
	assert_success
	[ -z "$stderr" ]
	refute_output --partial '5a 71'
	refute_output --regexp 'Zq$'
	refute_secret "$PW"
	# the value's 20 bytes masked in the hex column (the 48 characters
	# after "0000: ") of the request, and of the answer, whose header
	# X-Api-Key (the server's) leaves 5 of them on its first line
	assert_line '0000: 58 2d 41 70 69 2d 4b 65 79 3a 20 ** ** ** ** ** X-Api-Key: *****'
	[[ $(cut -c7-54 <<<"$output" | grep -o '\*\*' | wc -l) -eq 40 ]] || fail "$output"
}

@test "a held dump line is written when the writer idles, the value's bytes it ends with masked" {
	app_env
	xxd app.env >dump
	mkfifo in
	redact -e PW <in >out &
	pid=$!
	exec 7>in
	# the line that ends with the value's first 4 bytes, alone: held
	# for the next, written once the writer idles (50 ms), those 4
	# bytes masked (what comes after the pause cannot mask them any
	# more; before, they showed)
	head -1 dump >&7
	wait_lines 1
	tail -n +2 dump >&7
	exec 7>&-
	wait "$pid"
	run cat out
	assert_line --index 0 '00000000: 4442 5f50 4153 5357 4f52 443d **** ****  DB_PASSWORD=****'
	assert_line --index 1 '00000010: **** **** **** **** **** **** **** ****  ****************'
}

@test "held list lines are written when the program idles: a value's first 2 bytes one number a line, then nothing" {
	mkfifo in
	redact -e KEY <in >out &
	pid=$!
	exec 7>in
	printf '104\n101\n32\n115\n107\n' >&7
	# the writer idles with the pipe open: every line comes, the
	# last two (under 4 bytes of the value) as they are
	wait_lines 5
	exec 7>&-
	wait "$pid"
	run cat out
	assert_output "104
101
32
115
107"
}

@test "plistlib's <data> (base64 indented by a tab, 68 a line) with a value that begins late on a line: its first characters masked there" {
	T=Zq8vW3nR5tY1uI7oP2aSx4Cv6Bn8
	export T
	# 48 bytes before it: 4 characters of its base64 end the first
	# line; 45: 8 of them
	for pre in 48 45; do
		python3 -c 'import os, plistlib, sys
sys.stdout.write(plistlib.dumps({"blob": b"a" * int(sys.argv[1]) + os.environ["T"].encode() + b" end"}).decode())' "$pre" >"plist.$pre"
	done
	run --separate-stderr bash -c 'redact -e T <plist.48 | grep -A2 "<data>"'
	assert_success
	[ -z "$stderr" ]
	assert_output "$(printf '\t<data>\n\tYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh****\n\t*********************************CBlbmQ=')"
	run --separate-stderr bash -c 'redact -e T <plist.45 | grep -A2 "<data>"'
	assert_success
	assert_output "$(printf '\t<data>\n\tYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh********\n\t*****************************CBlbmQ=')"
}

@test "dumps of data without a value pass byte for byte" {
	# every byte twice, then a kept prefix and lines with offset columns
	all=$(printf '\\%03o' $(seq 0 255))
	printf '%b' "$all$all" 'sk_test_ but no key\n0000: 41\n' >data
	[[ $(wc -c <data) -eq 541 ]]
	for dump in "xxd" "xxd -g4 -c32" "hexdump -C" "od -c" "od -An -tx1" "od -b" "od -Ax -tx1z" \
		"od -x" "hexdump" "od -An -tu1" "od -td1" "xxd -i" "python3 $D/byte_lists.py" \
		"od -d" "od -An -s" "od -Ax -o" "od -t o1" "od -t u4" "od -Ad -t d4" "od -t x4" \
		"od -t u8" "od -t d8" "od -t o8" "od -a" "hexdump -d" "hexdump -o" "hexdump -b" "hexdump -c"; do
		# shellcheck disable=SC2086 # the dump's options are words
		$dump data >"want"
		# shellcheck disable=SC2086
		$dump data | redact -e KEY,DB >got
		cmp want got || fail "$dump: changed"
	done
	PUBLIC=not-a-secret-but-a-long-header-value-that-curl-cuts-over-two-lines \
		bash "$D/traces.sh" PUBLIC . >trace
	grep -q '^0040: ' trace || fail "curl printed no second line"
	redact -e KEY <trace >got
	cmp trace got
}

@test "a list of a value's characters, its hex in groups and its dotted decimals: masked in place, other such lines untouched" {
	stars() { printf "%${2}s" '' | sed "s/ /$1/g"; }
	run --separate-stderr bash -c 'python3 -c "import os, sys; s = os.environ[\"KEY\"]; b = s.encode()
print(list(s)); print(b.hex(\" \", 2)); print(b.hex(\":\", -3))" | redact -e KEY'
	assert_success
	assert_line --index 0 "['s', 'k', '_', 't', 'e', 's', 't', '_', $(stars "'*', " 56 | sed 's/, $//')]"
	assert_line --index 1 "736b 5f74 6573 745f $(stars '**** ' 28 | sed 's/ $//')"
	assert_line --index 2 "736b5f:746573:745f**:$(stars '******:' 18)**"
	run --separate-stderr bash -c 'perl -e "printf(\"%vd\n\", \$ENV{KEY})" | redact -e KEY'
	assert_success
	assert_output "115.107.95.116.101.115.116.95$(stars '.*' 56)"
	refute_secret "$PART"
	# Perl's %vx and %v02x: hex, each item masked as two stars; where
	# no byte's hex has a letter ("31.32.33", as %vd may print 2 digits
	# a byte too) read both ways, each masked item one star
	DIGITS=12345678901234567890
	export DIGITS
	run --separate-stderr bash -c 'perl -e "printf(\"%vx\n%v02x\n%vx\n%vd\n\", \$ENV{KEY}, \$ENV{KEY}, \$ENV{DIGITS}, \$ENV{DIGITS})" | redact -e KEY,DIGITS'
	assert_success
	assert_output "73.6b.5f.74.65.73.74.5f$(stars '.**' 56)
73.6b.5f.74.65.73.74.5f$(stars '.**' 56)
*$(stars '.*' 19)
*$(stars '.*' 19)"
	[[ -z $stderr ]]
	# Node's rows of a value past ASCII, six characters a row
	run --separate-stderr bash -c 'node -e "console.log([...process.env.UTF])" | redact -e UTF'
	assert_success
	assert_line --index 1 "  '*', '*', '*', '*', '*', '*',"
	refute_output --partial "'ä'"
	# code, hex of other bytes, addresses and versions pass byte for byte
	cat >data <<-'EOF'
		  ['s', 'k', '_', 'l', 'i', 'v', 'e']
		[ 'a', 'b', 'c', '\n', "'" ]
		736b 5f74 6573 745f 6c69 7665
		de:ad:be:ef:ca:fe
		115.107.95.116
		73.6b.5f.74.65.73.74
		31.32.33.34.35.36.37.38.39.30.31.32.33
		192.168.1.10 3.12.1
	EOF
	redact -e KEY,UTF <data >got
	cmp data got
}

@test "a list of a value's code points (Python's ord(), JavaScript's charCodeAt with a UTF-16 pair, util.inspect's rows), and of a value below U+0100 (Latin-1, iconv's too): masked in place; other numbers past 255 untouched" {
	export CP=$'p@ss/w0rd=\u00dc+\u00f1&"<x>~end\u20acq\U0001F600z'
	cat >codes.py <<'PY'
import os
s = os.environ["CP"]
print([ord(c) for c in s])
PY
	python3 codes.py >printed.txt
	node -e 'const s = process.env.CP
console.log(JSON.stringify([...Array(s.length).keys()].map(i => s.charCodeAt(i))))' >>printed.txt
	assert_equal "$(cat printed.txt)" "[112, 64, 115, 115, 47, 119, 48, 114, 100, 61, 220, 43, 241, 38, 34, 60, 120, 62, 126, 101, 110, 100, 8364, 113, 128512, 122]
[112,64,115,115,47,119,48,114,100,61,220,43,241,38,34,60,120,62,126,101,110,100,8364,113,55357,56832,122]"
	run --separate-stderr redact -e CP <printed.txt
	assert_success
	assert_output "[*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *]
[*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*]"
	refute_secret 8364
	refute_secret 128512
	# a value whose characters all lie below 256: its code points read
	# as Latin-1 bytes, which are a pattern of it (so is iconv's output)
	export LAT='pässwörd-ßécret=Ünïcode+x'
	python3 -c 'import os; print([ord(c) for c in os.environ["LAT"]])' >latin.txt
	node -e 'console.log([...process.env.LAT].map(c => c.codePointAt(0)))' >>latin.txt
	printf '%s\n' "$LAT" | iconv -f UTF-8 -t LATIN1 >>latin.txt
	run --separate-stderr redact -e LAT <latin.txt
	assert_success
	assert_output "[*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *]
[
  *, *, *, *, *, *,
  *, *, *, *, *, *,
  *, *, *, *, *, *,
  *, *, *, *, *, *,
  *
]
***REDACTED***"
	refute_secret 228
	# numbers past 255 that are no value's code points pass as they are
	cat >data <<-'EOF'
		[1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000]
		[112, 64, 115, 115, 47, 119, 48, 114, 100, 61, 1220, 43, 241]
		[55357, 56832, 55357]
	EOF
	redact -e CP <data >got
	cmp data got
}

@test "Node's list of a value's characters holding a backspace and a form feed ('\\b', '\\f'): masked" {
	# util.inspect names \b and \f where Python writes \x08 and \x0c: a
	# row holding one read as no list, and showed its neighbours
	V=$(printf 'Zq8vW3nR\b5tY1uI7o\fP2aSx4Cv6Bn8')
	export V
	run node -e 'console.log([...process.env.V])'
	assert_line --partial "'\\b'"
	assert_line --partial "'\\f'"
	run --separate-stderr bash -c 'node -e "console.log([...process.env.V])" | redact -e V'
	assert_success
	assert_line --index 0 '['
	assert_line --index 1 "  '*', '*', '*', '*', '*', '*',"
	refute_output --regexp "'([A-Za-z0-9]|\\\\[bf])'"
	[ -z "$stderr" ]
	run --separate-stderr bash -c 'python3 -c "import os; print(list(os.environ[\"V\"]))" | redact -e V'
	assert_success
	refute_output --regexp "'([A-Za-z0-9]|\\\\x0[8c])'"
	[ -z "$stderr" ]
}

@test "a dump line amid ordinary lines: each masked its own way, the others untouched" {
	printf 'hello %s end\n' "$KEY" >data
	run --separate-stderr bash -c \
		'{ echo "log: start"; xxd data; echo "log: key=$KEY"; od -c data; echo "log: end"; } | redact -e KEY'
	assert_success
	assert_line --index 0 'log: start'
	assert_line --index 1 '00000000: 6865 6c6c 6f20 736b 5f74 6573 745f ****  hello sk_test_**'
	assert_line --index 2 '00000010: **** **** **** **** **** **** **** ****  ****************'
	assert_line --index 6 'log: key=sk_test_***REDACTED***'
	assert_line --index 7 '0000000   h   e   l   l   o       s   k   _   t   e   s   t   _   *   *'
	assert_line --index 8 '0000020   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *'
	assert_line --index 12 '0000113'
	assert_line --index 13 'log: end'
	refute_secret "$KEY"
}

@test "a value at a line's start, at its end and in its middle; a URL's password; non-ASCII" {
	# at 16 (a line's start), 120 (ending a line at 176) and 210 (inside
	# a line), then the URL and the UTF-8 value
	dots=$(printf '%400s' '' | tr ' ' .)
	printf '%s\n' "${dots:0:16}$PART${dots:72:48}$PART${dots:176:34}$PART${dots:266}" \
		"$DB" "$UTF" >data
	for dump in "xxd" "hexdump -C" "od -c" "od -An -tx1"; do
		# shellcheck disable=SC2086 # the dump's options are words
		$dump data >"plain.${dump%% *}"
		# shellcheck disable=SC2086
		$dump data | redact -e PART,DB,UTF >"masked.${dump%% *}"
	done
	run python3 "$D/pieces.py" absent PART,DBPART,UTF masked.*
	assert_success
	run python3 "$D/pieces.py" layout plain.xxd masked.xxd
	assert_success
	run cat masked.hexdump
	# at a line's start: masked from the first byte
	assert_line '00000010  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|'
	# ending a line: its first 8 bytes (under 12) on a line of their
	# own, held until the value's end and masked
	assert_line '00000070  2e 2e 2e 2e 2e 2e 2e 2e  ** ** ** ** ** ** ** **  |........********|'
	assert_line '000000a0  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|'
	assert_line '000000b0  2e 2e 2e 2e 2e 2e 2e 2e  2e 2e 2e 2e 2e 2e 2e 2e  |................|'
	# in a line's middle
	assert_line '000000d0  2e 2e ** ** ** ** ** **  ** ** ** ** ** ** ** **  |..**************|'
	assert_line '00000100  ** ** ** ** ** ** ** **  ** ** 2e 2e 2e 2e 2e 2e  |**********......|'
	# the host stays, the password goes
	assert_line '000001a0  70 3a ** ** ** ** ** **  ** ** ** ** ** ** ** **  |p:**************|'
	assert_line '000001b0  ** ** ** ** ** ** ** **  40 64 62 2e 65 78 61 6d  |********@db.exam|'
}

@test "a complete dump line reaches the reader at once; a partial line waits only while it looks like one, or until the writer idles" {
	mkfifo in
	redact -e KEY <in >out &
	pid=$!
	exec 7>in
	printf 'hello %s end\n' "$KEY" | xxd >&7
	# the writer idles with the pipe open: every line is out already
	# wait_tail TEXT: until out ends with TEXT
	wait_tail() {
		local tries=0
		until [[ $(tail -c ${#1} out) == "$1" ]]; do
			sleep 0.05
			tries=$((tries + 1))
			((tries < 600)) || fail "never got '$1'"
		done
	}
	wait_lines 5
	run tail -1 out
	assert_output '00000040: **** **** **** 2065 6e64 0a              ****** end.'
	# a prompt is no dump line: it shows without its newline
	printf 'Password: ' >&7
	wait_tail 'Password: '
	# an indented word may begin a line of base64: held while the
	# writer writes, written once it idles
	printf '\n  Continue' >&7
	wait_tail '  Continue'
	# an offset column is held until the line proves to be no dump line
	printf '\n00000010' >&7
	printf 'g' >&7
	wait_tail '00000010g'
	exec 7>&-
	wait "$pid"
	run cat out
	refute_secret "$PART"
}

@test "secenv read of a file holding an xxd dump of the value" {
	store_key
	printf 'hello %s end\n' "$KEY" | xxd >dump.txt
	run --separate-stderr secenv read -p p1 dump.txt
	assert_success
	printf '%s\n' "$output" >out
	run python3 "$D/pieces.py" absent PART out
	assert_success
	run cat out
	assert_line --index 0 '00000000: 6865 6c6c 6f20 736b 5f74 6573 745f ****  hello sk_test_**'
	assert_line --index 1 '00000010: **** **** **** **** **** **** **** ****  ****************'
	assert_line --index 4 '00000040: **** **** **** 2065 6e64 0a              ****** end.'
	refute_secret "$KEY"
}

@test "a value's bytes one number a line (json.dumps indent 2 and 4, nested; util.inspect compact false): every number masked but the kept prefix, other lines byte for byte" {
	python3 -c 'import json, os; b = list(os.environ["KEY"].encode())
print("before"); print(json.dumps(b, indent=2)); print(json.dumps(list(range(40)), indent=2))
print(json.dumps({"a": {"b": b}}, indent=4)); print(json.dumps(b, indent=4))
print("after")' >plain
	# shellcheck disable=SC2016 # node reads its own environment
	node -e 'const util = require("util");
		console.log(util.inspect({ k: [...Buffer.from(process.env.KEY)] },
			{ compact: false, maxArrayLength: null }));' >>plain
	# what must come out: each of the value's numbers after sk_test_ (the
	# 9th to the 64th of each list of 64) one star, in place
	python3 -c 'import os, re
key, run, out = list(os.environ["KEY"].encode()), [], []
for line in open("plain").read().splitlines() + [""]:
    m = re.fullmatch(r"( *)(\d+)(,?)", line)
    if m:
        run.append(m)
        continue
    value = [int(r[2]) for r in run] == key
    out += [r[1] + "*" + r[3] if value and k >= 8 else r[0] for k, r in enumerate(run)]
    out.append(line)
    run = []
print("\n".join(out[:-1]))' >want
	grep -c '^ *\*,\?$' want | grep -qx $((4 * 56)) || fail "want: not 4 lists masked"
	run --separate-stderr redact -e KEY <plain
	assert_success
	[[ -z $stderr ]]
	# the list of no value (0 to 39) and the text around: byte for byte
	diff want <(printf '%s\n' "$output")
	[[ $output != *"$PART"* ]]
}

@test "indented base64 blocks of a value at every offset and narrow widths: each line that holds the value's base64 alone is starred, whether or not the lines before it were searched" {
	# the value's base64 begins at every column of a line (its last 3
	# too, where no 4-byte window of the line before holds it), after
	# lines of base64 that hold no pattern's start
	python3 -c 'import base64, os
key = os.environ["KEY"].encode()
for width in (13, 16, 19, 23):
    for n in range(24):
        pre = b"\x00" * 60 + bytes(range(1, n + 1))
        text = base64.b64encode(pre + key).decode()
        print("<data>")
        for i in range(0, len(text), width):
            print("\t" + text[i:i + width])
        print("</data>")' >plain
	run --separate-stderr redact -e KEY <plain
	assert_success
	[[ -z $stderr ]]
	refute_secret "$KEY"
	# every line of characters that depend on the value alone (after
	# its first 8 bytes: the kept prefix sk_test_) is gone from the output
	printf '%s\n' "$output" >out
	python3 -c 'import base64, os
key, out, shown = os.environ["KEY"].encode(), open("out").read(), 0
lines = 0
for width in (13, 16, 19, 23):
    for n in range(24):
        pre = b"\x00" * 60 + bytes(range(1, n + 1))
        text = base64.b64encode(pre + key).decode()
        lo = ((len(pre) + 8) * 8 + 5) // 6 + 1
        hi = (len(pre) + len(key)) * 8 // 6
        for i in range(0, len(text), width):
            if lo <= i and i + width <= hi:
                lines += 1
                shown += text[i:i + width] in out
assert lines > 300, lines
assert shown == 0, shown' || fail "a line of the value's base64 shows"
}

@test "an indented base64 line cut between two reads at any column is masked as it is whole, and the lines after it too" {
	# A file is read 16 KiB first, then 256 KiB at a time: block k's
	# line of the value's base64 straddles read k's end at its column k
	# (in the tab too). Each block, alone in a file, is read whole.
	PYTHONPATH=$D python3 -c 'import base64, os
from cuts import cut, pad_to
key = os.environ["KEY"].encode()
text = base64.b64encode(b"\x00" * 30 + key).decode()
width, out = 19, open("plain", "w")
for k in range(width + 1):
    lines = ["<data>"] + ["\t" + text[i:i + width] for i in range(0, len(text), width)] + ["</data>"]
    block = "".join(l + "\n" for l in lines)
    # the 4th line of the block (the value from its first bytes) is cut
    # k bytes into it
    pad_to(out, len("".join(l + "\n" for l in lines[:3])) + k, cut(k))
    out.write(block)
    open("block%d" % k, "w").write(block)' || fail "no input"
	# (its 5 MB of output to a file, not through $output)
	redact -e KEY <plain >out 2>err || fail "redact exited $?"
	[[ ! -s err ]] || fail "stderr: $(cat err)"
	! grep -qF -- "$KEY" out || fail "secret value found in stdout"
	# what each block gives alone, in place: the lines of # pass
	for k in {0..19}; do
		redact -e KEY <"block$k" >"want$k" || fail "block $k"
		grep -qx '	\*\**' "want$k" || fail "block $k: no starred line"
	done
	python3 -c 'import sys
plain, out = open("plain").read(), []
for line in plain.splitlines(keepends=True):
    if line.startswith("#"):
        out.append(line)
    elif line == "<data>\n":
        out.append(open("want%d" % sum(l == "<data>" for l in "".join(out).splitlines())).read())
open("want", "w").write("".join(out))'
	diff want out
}

# star_fields OFFSET WIDTH COUNT: a line of COUNT masked fields of WIDTH
# columns (blanks, then one star) after OFFSET.
star_fields() {
	local line=$1 field
	field=$(printf "%$(($2 - 1))s*" '')
	for ((k = 0; k < $3; k++)); do line+=$field; done
	printf '%s\n' "$line"
}

@test "od's and hexdump's numbers (od -d, -t u2, d2, -o, o2, o1, u4, d4, x4, u8, -s; hexdump -d, -o, -b, -c): masked in place, through redact -b" {
	store_key
	STRIPE_SECRET_KEY=$KEY "$D/numbers.sh" STRIPE_SECRET_KEY >plain.out 2>plain.err
	run --separate-stderr bash -c \
		'STRIPE_SECRET_KEY=$KEY "$D/numbers.sh" STRIPE_SECRET_KEY 2>err |
			redact -b p1.blob --stats stats.json'
	assert_success
	printf '%s\n' "$output" >masked.out
	redact -b p1.blob <err >masked.err
	[[ -z $stderr ]]
	run python3 "$D/pieces.py" absent PART masked.out masked.err
	assert_success
	# the checker finds the pieces in what the programs printed
	run python3 "$D/pieces.py" absent PART plain.out plain.err
	assert_failure
	run cat masked.out masked.err
	refute_secret "$KEY"
	# the first line holds two bytes of the secret part, masked once
	# the value's end shows on a later line (a unit that holds one is
	# masked whole); the second is all the part's, each field one star
	# at the field's end
	assert_line '0000000 25960 27756  8303 27507 29791 29541 24436     *'
	assert_line "$(star_fields 0000020 6 8)"
	assert_line "$(star_fields 0000020 7 8)"
	assert_line '0000000 062550 066154 020157 065563 072137 071545 057564      *'
	assert_line "$(star_fields 0000020 4 16)"
	assert_line '0000000 1819043176 1802707055 1936028767          *'
	assert_line '0000000 6c6c6568 6b73206f 7365745f ****5f74'
	assert_line '0000000  7742567847312516456                    *'
	assert_line "$(star_fields 0000020 11 4)"
	assert_line "$(star_fields 0000020 12 4)"
	assert_line '0000020 ******** ******** ******** ********'
	assert_line "$(star_fields 0000020 21 2)"
	assert_line '0000000   25960   27756   08303   27507   29791   29541   24436       *'
	assert_line "$(star_fields 0000010 8 8)"
	assert_line "$(star_fields 0000010 4 16)"
	# the last line: the value's last bytes masked, " end\n" shown
	assert_line '0000100     *     *     * 25888 25710    10'
	assert_line '0000100      *      *      * 062440 062156 000012'
	assert_line '0000100   *   *   *   *   *   * 040 145 156 144 012'
	assert_line '0000100          *          *     681070'
	assert_line '0000040       *       *       *   25888   25710   00010                '
	assert_line '0000040   *   *   *   *   *   *       e   n   d  \n                    '
	# same lines, same widths, stars and blanks where digits were
	run python3 "$D/pieces.py" layout plain.out masked.out
	assert_success
	# 14 dumps of 16 bytes a line: the first, 3 lines of the part's
	# alone and the last, which ends it, each
	assert_output '70 lines masked'
	run python3 "$D/pieces.py" layout plain.err masked.err
	assert_output '5 lines masked'
	# one mask a dump: its lines are held until the value's end
	run jq -c .masks stats.json
	assert_output '{"STRIPE_SECRET_KEY":14}'
}

@test "od's and hexdump's numbers printed by a command of secenv run, on stdout and stderr" {
	store_key
	masked_by_run "$D/numbers.sh STRIPE_SECRET_KEY"
	assert_line --index 0 '== od -d'
	assert_line '== hexdump -c'
	assert_line "$(star_fields 0000020 6 8)"
	assert_line '0000100          *          *     681070'
	assert_line '0000040       *       *       *   25888   25710   00010                '
	run cat err
	refute_secret "$KEY"
	assert_line --index 0 '== od -s to stderr'
	assert_line --index 1 '0000000  25960  27756   8303  27507  29791  29541  24436      *'
	assert_line --index 2 "$(star_fields 0000020 7 8)"
	assert_line --index 5 '0000100      *      *      *  25888  25710     10'
}

@test "numbers in every offset radix and width, after '*', at an odd offset, over short lines and with CR LF ends: masked in place" {
	# the value after 67 NULs (od and hexdump abridge the repeated
	# lines with "*"), 40 NULs, "x" and the value again: each at an odd
	# and an even offset, a unit of 2 astride its first byte once
	{
		head -c 67 /dev/zero
		printf '%s' "$KEY"
		head -c 40 /dev/zero
		printf 'x%s\n' "$KEY"
	} >data
	local dumps=("od -d" "od -Ax -t d2" "od -Ad -o" "od -An -t u2" "od -w4 -d"
		"od -w12 -t o2" "od -w8 -t d4" "od -Ao -t u4" "od -t u8" "od -v -t o1"
		"hexdump -d" "hexdump -o" "hexdump -b" "hexdump -c")
	n=0
	for dump in "${dumps[@]}"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # the dump's options are words
		$dump data >"plain.$n"
		sed 's/$/\r/' "plain.$n" >"plain.$n.crlf"
		for f in "plain.$n" "plain.$n.crlf"; do
			redact -e KEY <"$f" >"${f/plain/masked}" 2>"${f/plain/err}"
			[[ ! -s ${f/plain/err} ]] || fail "$dump: redact wrote to stderr"
			pieces absent PART "${f/plain/masked}"
			pieces layout "$f" "${f/plain/masked}"
		done
		[[ $dump == "od -w4 -d" ]] || pieces absent PART "plain.$n"
	done
	# every dump's checks in one start of python, asserted in turn
	pieces_run
	n=0
	for dump in "${dumps[@]}"; do
		n=$((n + 1))
		for f in "plain.$n" "plain.$n.crlf"; do
			pieces_next
			assert_success
			# the same lines, "*" markers and all, stars where the
			# value's numbers were
			pieces_next
			assert_success
			refute_output '0 lines masked'
		done
		# the checker finds the pieces in what the program printed
		# (but at 4 bytes a line, where no line holds 12)
		if [[ $dump != "od -w4 -d" ]]; then
			pieces_next
			assert_failure
		fi
	done
	run cat masked.2
	assert_line --index 1 '*'
	assert_line --index 2 '000040      0  29440  24427  25972  29811      *      *      *'
	assert_line --index 3 "$(star_fields 000050 7 8)"
	assert_line --index 9 '0000b0  29541  24436      *      *      *      *      *      *'
	assert_line --index 12 '0000e0      *      *      *      *      *      *     10'
	run cat masked.5
	assert_line --index 7 '0000124     *     *'
	assert_line --index 18 '0000200     *     *'
	assert_line --index 19 '0000204     0     0'
	run cat masked.12.crlf
	assert_line --index 3 "$(star_fields 0000050 8 8)"$'\r'
	assert_line --index 12 '00000e0       *       *       *       *       *       *  000012        '$'\r'
}

@test "tables of numbers, dates, addresses and log lines with decimal columns pass byte for byte, dumps of a value's near misses too" {
	store_key
	{
		# right-aligned columns as wide as od -d's, od -s's and
		# hexdump -d's fields, with an offset-like column or none
		mapfile -t n < <(seq 1000 1111 40000)
		printf '%6d%6d%6d%6d%6d%6d%6d%6d\n' "${n[@]}"
		mapfile -t n < <(seq 100 2 140)
		printf '%07o%7d%7d%7d%7d\n' "${n[@]}"
		mapfile -t n < <(seq 16 3 60)
		printf '%07x%8d%8d%8d\n' "${n[@]}"
		mapfile -t n < <(seq 1234567890 98765432 2000000000)
		printf '%12d%12d\n' "${n[@]}"
		date -u -d @1780000000 '+%Y-%m-%d %H:%M:%S %s'
		date -u -d @1780000000 '+%d %m %Y %H %M %S'
		printf '%s\n' '192.168.1.10 10.0.0.1 172.16.254.3' '  10.0.0.1  255.255.255.0'
		printf '2026-12-05T02:00:%02dZ %3d GET /api/v1/items %6d %5d\n' 1 200 123456 42 2 404 7 31337
		printf '%7d %5d %5d %s\n' 1 0 65535 init 2017 12 345 sshd
		printf '  %5d  %5d  %5d\n' 120 345 6789 25960 27756 8303
		seq 100000 100040 | paste -d' ' - - - - - - - -
	} >table
	[[ $(wc -l <table) -eq 34 ]] || fail "the table is not as planned"
	run --separate-stderr redact -b p1.blob <table
	assert_success
	[[ -z $stderr ]]
	diff table <(printf '%s\n' "$output")
	# a value's first 11 bytes after its prefix (a piece under 12) and
	# the value with one byte changed every 10, in od's and hexdump's
	# numbers: nothing to mask, byte for byte
	near=sk_test_${PART:0:11}
	for ((k = 0; k < ${#PART}; k += 10)); do
		near+=${PART:k:9}.
	done
	printf 'hello %s %s end\n' "sk_test_${PART:0:11}" "$near" >near
	for dump in "od -d" "od -t d2" "od -o" "od -t o1" "od -t u4" "od -t d4" \
		"od -t u8" "hexdump -d" "hexdump -o" "hexdump -b" "hexdump -c"; do
		# shellcheck disable=SC2086 # the dump's options are words
		$dump near >want
		# shellcheck disable=SC2086
		$dump near | redact -b p1.blob >got 2>err
		cmp want got || fail "$dump: changed"
		[[ ! -s err ]] || fail "$dump: redact wrote to stderr"
	done
}

# pieces CHECK ARG...: queue a check of pieces.py (absent PART FILE...,
# layout ORIGINAL MASKED) for pieces_run.
pieces() {
	local IFS=$'\t'
	PIECES+=("$*")
}

# pieces_run: the queued checks in one start of python (pieces.py batch;
# a start per check was most of these tests' CPU), their results read in
# the same order by pieces_next.
pieces_run() {
	printf '%s\n' "${PIECES[@]}" >pieces.checks
	PIECES=()
	python3 "$D/pieces.py" batch <pieces.checks >pieces.results ||
		fail "pieces.py batch failed"
	exec {PIECES_RESULTS}<pieces.results
}

# pieces_next: status, output and lines of the next queued check, as
# `run python3 pieces.py CHECK ARG...` sets them.
pieces_next() {
	local result
	IFS= read -r -d '' -u "$PIECES_RESULTS" result ||
		fail "pieces.py batch: a check's result is missing"
	secenv_as_run "${result%%$'\t'*}" "${result#*$'\t'}"
}

# dump_masked NAME PART [unchecked]: plain (a dump of a text holding
# NAME's value) through redact -e NAME into masked, nothing on stderr: no
# piece of PART in masked, the same lines with at least one masked; and,
# unless unchecked, the checker finds the pieces in plain.
dump_masked() {
	run --separate-stderr bash -c "redact -e $1 <plain"
	assert_success
	[[ -z $stderr ]] || fail "redact wrote to stderr"
	printf '%s\n' "$output" >masked
	pieces absent "$2" masked
	[[ -n ${3-} ]] || pieces absent "$2" plain
	pieces layout plain masked
	pieces_run
	pieces_next
	assert_success
	if [[ -z ${3-} ]]; then
		pieces_next
		assert_failure
	fi
	pieces_next
	assert_success
	refute_output '0 lines masked'
}

@test "od -a's named characters (sp, nl, ht, nul, del) between a value's: masked in place, at any offset radix" {
	# blanks and a tab inside the value: od -a names them, and a line
	# holding a name read as no dump line before
	V=$'Zq8v W3nR5tY1uI7o\tP2aS x4Cv6Bn8 Mm0Lk9Jh7Gf5Dd3Ss1Aa2QwErTyU'
	export V
	for dump in "od -a" "od -Ax -a" "od -An -a" "od -w8 -a"; do
		# shellcheck disable=SC2086 # the dump's options are words
		printf 'hello %s\0end\177\n' "$V" | $dump >plain
		# (no line of 8 holds 12: the checker finds no piece in plain)
		if [[ $dump == "od -w8 -a" ]]; then
			dump_masked V V unchecked
		else
			dump_masked V V
		fi
	done
	# 8 bytes a line: the value's first 10, on two lines (under 12),
	# held until its end and masked
	run cat masked
	assert_line --index 0 '0000000   h   e   l   l   o  sp   *   *'
	assert_line --index 1 '0000010   *   *   *   *   *   *   *   *'
	assert_line --index 2 '0000020   *   *   *   *   *   *   *   *'
	assert_line --index 8 '0000100   *   * nul   e   n   d del  nl'
	printf 'hello %s end\n' "$V" | od -a >plain
	run --separate-stderr bash -c "redact -e V <plain"
	assert_line --index 1 '0000020   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *'
	assert_line --index 4 '0000100   *   *  sp   e   n   d  nl'
}

@test "a value past ASCII in od's signed units (-s, -i, -l, -t d1): negative numbers read, masked in place" {
	for dump in "od -s" "od -i" "od -l" "od -t d1"; do
		# shellcheck disable=SC2086 # the dump's options are words
		printf 'hello\377\376\375 %s end\n' "$UTF" | $dump >plain
		grep -q -- ' -[0-9]' plain || fail "$dump printed no negative number"
		dump_masked UTF UTF
	done
	printf 'hello\377\376\375 %s end\n' "$UTF" | od -s >plain
	run --separate-stderr bash -c "redact -e UTF <plain"
	# the unit astride the value's first byte masked whole
	assert_line --index 0 '0000000  25960  27756   -145   -514      *      *      *      *'
	assert_line --index 1 "$(star_fields 0000020 7 8)"
	assert_line --index 3 '0000060  28261   2660'
}

@test "od with two types, the second's line under the first's offset (od -bc, -cb, -xc, -cx, -oc, -c -o, -Ax -bc, -An -bc): both lines masked" {
	for dump in "od -bc" "od -cb" "od -xc" "od -cx" "od -oc" "od -c -o" "od -Ax -bc" "od -An -bc"; do
		# shellcheck disable=SC2086 # the dump's options are words
		printf 'hello %s end\n' "$KEY" | $dump >plain
		dump_masked KEY PART
	done
	printf 'hello %s end\n' "$KEY" | od -bc >plain
	run --separate-stderr bash -c "redact -e KEY <plain"
	printf '%s\n' "$output" >masked
	# the first line, which ends with the part's first 2 bytes, is held
	# with the second type's line under it until the part's end: both
	# masked as the first type's bytes are
	assert_line --index 0 '0000000 150 145 154 154 157 040 163 153 137 164 145 163 164 137   *   *'
	assert_line --index 1 '          h   e   l   l   o       s   k   _   t   e   s   t   _   *   *'
	assert_line --index 2 "$(star_fields 0000020 4 16)"
	assert_line --index 3 "$(star_fields '       ' 4 16)"
	assert_line --index 8 '0000100   *   *   *   *   *   * 040 145 156 144 012'
	assert_line --index 9 '          *   *   *   *   *   *       e   n   d  \n'
	# both lines of each of the 5 blocks that hold the part's bytes
	run python3 "$D/pieces.py" layout plain masked
	assert_output '10 lines masked'
	printf 'hello %s end\n' "$KEY" | od -xc >plain
	run --separate-stderr bash -c "redact -e KEY <plain"
	assert_line --index 2 '0000020    ****    ****    ****    ****    ****    ****    ****    ****'
	assert_line --index 3 "$(star_fields '       ' 4 16)"
}

@test "od -t x1 with -c (its hex widened to -c's 4 columns, with z's text too), od -c -t x1 and od -t d1 -c (-c's characters widened to 5): masked in both types" {
	app_env
	run --separate-stderr bash -c 'od -t x1 -c app.env | redact -e PW'
	assert_success
	[ -z "$stderr" ]
	assert_output "0000000  44  42  5f  50  41  53  53  57  4f  52  44  3d  **  **  **  **
          D   B   _   P   A   S   S   W   O   R   D   =   *   *   *   *
0000020  **  **  **  **  **  **  **  **  **  **  **  **  **  **  **  **
          *   *   *   *   *   *   *   *   *   *   *   *   *   *   *   *
0000040  0a  44  45  42  55  47  3d  31  0a
         \\n   D   E   B   U   G   =   1  \\n
0000051"
	run --separate-stderr bash -c 'od -A x -t x1z -c app.env | redact -e PW'
	assert_success
	assert_line --index 0 '000000  44  42  5f  50  41  53  53  57  4f  52  44  3d  **  **  **  **  >DB_PASSWORD=****<'
	assert_line --index 2 '000010  **  **  **  **  **  **  **  **  **  **  **  **  **  **  **  **  >****************<'
	run --separate-stderr bash -c 'od -c -t x1 app.env | redact -e PW'
	assert_success
	assert_line --index 1 '         44  42  5f  50  41  53  53  57  4f  52  44  3d  **  **  **  **'
	assert_line --index 3 '         **  **  **  **  **  **  **  **  **  **  **  **  **  **  **  **'
	refute_output --partial '5a'
	# od -t u1 (decimal, as wide) reads as before
	run --separate-stderr bash -c 'od -t u1 app.env | redact -e PW'
	assert_line --index 0 '0000000  68  66  95  80  65  83  83  87  79  82  68  61   *   *   *   *'
	# od -t d1 -c: -c's characters widened to d1's 5 columns
	run --separate-stderr bash -c 'od -t d1 -c app.env | redact -e PW'
	assert_success
	assert_line --index 0 '0000000   68   66   95   80   65   83   83   87   79   82   68   61    *    *    *    *'
	assert_line --index 1 '           D    B    _    P    A    S    S    W    O    R    D    =    *    *    *    *'
	assert_line --index 3 '           *    *    *    *    *    *    *    *    *    *    *    *    *    *    *    *'
}

# refute_run_pieces NAME: no 12-byte piece of the secret part of the
# value in variable NAME (after its kept prefix) in $output or $stderr:
# as text, as Node's hex pairs or as the body of Python's repr() of
# bytes, raw or in UTF-16 or UTF-32 (either order).
refute_run_pieces() {
	refute_secret "${!1}"
	run_pieces=$(
		printf '%s\n%s' "$output" "${stderr:-}" | python3 -c '
import os, sys
value = os.environ[sys.argv[1]]
part = value[len("sk_test_"):] if value.startswith("sk_test_") else value
text = sys.stdin.read()
for i in range(len(part) - 11):
    piece = part[i:i + 12]
    for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        b = piece.encode(enc)
        for form in (b.hex(" "), repr(b)[2:-1], piece):
            if form in text:
                print(enc, i)
' "$1"
	)
	[ -z "$run_pieces" ] || fail "pieces of $1 shown: $run_pieces"
}

# pair_stars N: N masked hex pairs, one blank apart.
pair_stars() {
	printf '** %.0s' $(seq "$1") | sed 's/ $//'
}

@test "a value's bytes as a JSON object keyed by index (JSON.stringify of a Uint8Array, pino's logs; PHP's json_encode of unpack('C*')): every byte starred" {
	# a typed array has no toJSON, and unpack() counts from 1: the
	# object ({"0":215,...}) was read as no list, and every byte showed
	K=yOM4+DYsECp9gJMP+7Wo02G+zTTv5sItme1WeFolED0=
	export K
	run --separate-stderr bash -c 'node -e "
const k = new Uint8Array(Buffer.from(process.env.K, \"base64\"));
console.log(JSON.stringify(k));
console.log(JSON.stringify({ level: 30, cfg: { secretKey: k, kid: \"k1\" }, msg: \"config\" }));
console.log(JSON.stringify(new TextEncoder().encode(process.env.KEY.slice(0, 24))));
console.log(JSON.stringify(new Uint8Array([1, 2, 3, 4, 5, 6])));
" | redact -e K,KEY'
	assert_success
	assert_equal "$stderr" ''
	local stars="" i
	for i in $(seq 0 31); do stars+="\"$i\":*,"; done
	assert_line --index 0 "{${stars%,}}"
	assert_line --index 1 "{\"level\":30,\"cfg\":{\"secretKey\":{${stars%,}},\"kid\":\"k1\"},\"msg\":\"config\"}"
	# the kept prefix's bytes show, as in a list
	assert_line --index 2 '{"0":115,"1":107,"2":95,"3":116,"4":101,"5":115,"6":116,"7":95,"8":*,"9":*,"10":*,"11":*,"12":*,"13":*,"14":*,"15":*,"16":*,"17":*,"18":*,"19":*,"20":*,"21":*,"22":*,"23":*}'
	assert_line --index 3 '{"0":1,"1":2,"2":3,"3":4,"4":5,"5":6}'
	run --separate-stderr bash -c 'php -r "echo json_encode(unpack(\"C*\", base64_decode(getenv(\"K\")))), \"\n\";" | redact -e K'
	assert_success
	stars=""
	for i in $(seq 1 32); do stars+="\"$i\":*,"; done
	assert_output "{${stars%,}}"
}

@test "Node's <Buffer ..> of a slice from a value's middle, bare, in an object and in a Map: every byte starred, the layout kept" {
	run --separate-stderr bash -c 'node -e "
		const key = Buffer.from(process.env.KEY);
		console.log(key.subarray(12, 40));
		console.log({ id: 7, key: key.subarray(20, 44), tags: [\"a\"] });
		console.log(new Map([[\"k\", key.subarray(30, 60)]]));
	" | redact -e KEY'
	assert_success
	assert_output "<Buffer $(pair_stars 28)>
{
  id: 7,
  key: <Buffer $(pair_stars 24)>,
  tags: [ 'a' ]
}
Map(1) {
  'k' => <Buffer $(pair_stars 30)>
}"
	assert_equal "$stderr" ''
	refute_run_pieces KEY
}

@test "Node's utf16le Buffer of a value (cut at 50 bytes, '... 78 more bytes>') and a slice of it from an odd byte: masked; the value's own <Buffer ..> still the masker's one mask" {
	run --separate-stderr bash -c 'node -e "
		const wide = Buffer.from(process.env.KEY, \"utf16le\");
		console.log(wide);
		console.log(wide.subarray(21, 61));
		console.log(Buffer.from(process.env.KEY));
	" | redact -e KEY'
	assert_success
	assert_output "<Buffer $(pair_stars 50) ... 78 more bytes>
<Buffer $(pair_stars 40)>
<Buffer ***REDACTED*** 14 more bytes>"
	assert_equal "$stderr" ''
	refute_run_pieces KEY
}

@test "util.inspect's [Uint8Contents] of an ArrayBuffer holding a slice of a value among other bytes, and a value cut at its 100 bytes: the value's bytes starred, the others and its kept prefix shown" {
	run --separate-stderr bash -c 'node -e "
		const key = Buffer.from(process.env.KEY);
		console.log(new Uint8Array([1, 2, 3, ...key.subarray(10, 40), 9, 9]).buffer);
		console.log(new Uint8Array([...Array(80).fill(7), ...key]).buffer);
		console.log(Buffer.concat([Buffer.alloc(30), key]));
	" | redact -e KEY'
	assert_success
	sevens=$(printf '07 %.0s' $(seq 80))
	zeros=$(printf '00 %.0s' $(seq 30))
	assert_output "ArrayBuffer {
  [Uint8Contents]: <01 02 03 $(pair_stars 30) 09 09>,
  byteLength: 35
}
ArrayBuffer {
  [Uint8Contents]: <${sevens}73 6b 5f 74 65 73 74 5f $(pair_stars 12) ... 44 more bytes>,
  byteLength: 144
}
<Buffer ${zeros}73 6b 5f 74 65 73 74 5f $(pair_stars 12) ... 44 more bytes>"
	refute_run_pieces KEY
}

@test "Python's bytes literals: encode('utf-16') with its BOM, UTF-16 and UTF-32 slices in a list and a tuple, a slice in a dict: each masked byte one star" {
	run --separate-stderr bash -c 'python3 -c "
import os
key = os.environ[\"KEY\"]
print(key.encode(\"utf-16\"))
print([key.encode(\"utf-16-le\")[17:61], 1])
print((key.encode(\"utf-32\")[40:120], key.encode(\"utf-32-be\")[101:]))
print({\"id\": 7, \"key\": key.encode()[12:40], \"note\": b\"it'"'"'s\"})
" | redact -e KEY'
	assert_success
	assert_output "b'\\xff\\xfe$(printf '*%.0s' $(seq 128))'
[b'$(printf '*%.0s' $(seq 44))', 1]
(b'$(printf '*%.0s' $(seq 80))', b'$(printf '*%.0s' $(seq 155))')
{'id': 7, 'key': b'***REDACTED***', 'note': b\"it's\"}"
	assert_equal "$stderr" ''
	refute_run_pieces KEY
}

@test "pprint folds a value's UTF-16 into literals a line: read as one run, every line's bytes masked, the last line's 11 characters too" {
	run --separate-stderr bash -c 'python3 -c "
import os, pprint
pprint.pprint({\"k\": os.environ[\"KEY\"].encode(\"utf-16\")})
" | redact -e KEY'
	assert_success
	assert_line --index 0 "{'k': b'\\xff\\xfe$(printf '*%.0s' $(seq 22))'"
	for i in 1 2 3; do
		assert_line --index "$i" "      b'$(printf '*%.0s' $(seq 28))'"
	done
	assert_line --index 4 "      b'$(printf '*%.0s' $(seq 22))'}"
	refute_run_pieces KEY
}

@test "pprint of os.environb at 44 columns: a value's last characters alone on the last literal are masked with the lines before" {
	# a 40-character token's last 8 and a 164-character key's last 4
	# stand alone on the last line of their literals (both showed)
	export GH=ghp_R8nVq2LmX4tZ7wKpY1sD9fH3jB6cN0aE5uQ0
	export K=sk-proj-K8njjmSEONaOqK5UewKsNcz7IzzEoEkdx85vx7nxDujLlvjKHIn20wZl6d9CzBdWP72cQahJb5WYUL3TGJKDKZrfablejazprjxCc32LUooWPTm9qMmayZnKAoiSL5Hiyquwfrc7EISdd9Stgt1e4VWyDq1e
	run --separate-stderr bash -c 'python3 -c "
import os, pprint
pprint.pprint({k: v for k, v in os.environb.items() if k in (b\"GH\", b\"K\")}, width=44)
" | redact -e GH,K'
	assert_success
	[ -z "$stderr" ]
	assert_output "{b'GH': b'ghp_***REDACTED***'
        b'********',
 b'K': b'sk-proj-***REDACTED***'
       b'***REDACTED***'
       b'***REDACTED***'
       b'***REDACTED***'
       b'***REDACTED***'
       b'****'}"
	# the last piece exactly 12 characters: the masker's own piece
	# pattern masks it (the views leave it the whole piece, found on
	# the run's second line)
	run --separate-stderr bash -c 'python3 -c "
import os, pprint
pprint.pprint({\"token\": os.environ[\"GH\"].encode()}, width=44)
" | redact -e GH'
	assert_success
	assert_output "{'token': b'ghp_***REDACTED***'
          b'***REDACTED***'}"
	# one literal a line that is no piece of the one before (two
	# print() calls, no indent) is read alone, as before
	run --separate-stderr bash -c 'python3 -c "
import os
print(os.environb[b\"GH\"][:20]); print(b\"plain\")
" | redact -e GH'
	assert_success
	assert_output "b'ghp_***REDACTED***'
b'plain'"
}

@test "a bytes literal that ends its line, held for a piece of it on the next, comes out before the list and od lines after it" {
	# print() of bytes, then of a number, a list, an indented number:
	# each line after the literal reads as a list's or od's; the
	# literal, held for pprint's next piece, came out after them
	# ("b42", then "'sk_test_***REDACTED***'")
	run --separate-stderr bash -c 'python3 -c "
import os
print(os.environb[b\"KEY\"][:20]); print(42); print([1, 2])
print(b\"plain\"); print(\" \", 7); print(list(os.environb[b\"KEY\"][8:]))
print(b\"end\")
" | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "b'sk_test_***REDACTED***'
42
[1, 2]
b'plain'
  7
[$(printf '*, %.0s' $(seq 55))*]
b'end'"
	refute_run_pieces KEY
}

@test "base64 text and a bytes literal cut by a writer's pause, and a literal the input ends in, are masked as when written whole" {
	B64=$(printf %s "$KEY" | base64 -w0)
	export B64
	# the base64 of a key, written in two with 0.3 s between: the views
	# starred its first 30 characters, which left the other 50 to no
	# one (its own pattern cut by the stars)
	run --separate-stderr bash -c 'printf "auth: %s\n" "$B64" | redact -e KEY'
	assert_success
	assert_output 'auth: ***REDACTED***'
	run --separate-stderr bash -c '{ printf "auth: %s" "${B64:0:30}"; sleep 0.3; printf "%s\n" "${B64:30}"; } | redact -e KEY'
	assert_success
	assert_output 'auth: ***REDACTED***'
	refute_output --partial "${B64:40:16}"
	# its UTF-16 printed by Python, the literal written in two: shown
	# whole (its rest passed as text)
	cat >cut.py <<'PY'
import os, sys, time
t = repr(os.environ["KEY"].encode("utf-16"))
sys.stdout.write(t[:70]); sys.stdout.flush(); time.sleep(0.3); print(t[70:])
PY
	run --separate-stderr bash -c 'python3 cut.py | redact -e KEY'
	assert_success
	assert_output "b'\\xff\\xfe$(printf '*%.0s' $(seq 128))'"
	refute_run_pieces KEY
	# the literal cut short by the input's end (a program killed while
	# it printed): its bytes so far, whose 26 characters showed
	run --separate-stderr bash -c 'python3 -c "
import os
print(repr(os.environ[\"KEY\"].encode(\"utf-16\"))[:150], end=\"\")
" | redact -e KEY'
	assert_success
	assert_output "b'\\xff\\xfe$(printf '*%.0s' $(seq 56))"
	refute_run_pieces KEY
	# and pprint's pieces cut inside the third: its 8 characters
	# (2aSx4Cv6) showed after the two pieces masked
	run --separate-stderr bash -c 'python3 -c "
import os, pprint
pprint.pprint({\"k\": os.environ[\"KEY\"].encode(\"utf-16\")})
" 2>/dev/null | head -c 200 | redact -e KEY'
	assert_success
	assert_output "{'k': b'\\xff\\xfe$(printf '*%.0s' $(seq 22))'
      b'$(printf '*%.0s' $(seq 28))'
      b'$(printf '*%.0s' $(seq 15))\\x0"
}

@test "a list of a key's bytes cut by the input's end inside a number is masked up to the cut; the cut digits show" {
	# Python's list and Node's Uint8Array, cut inside 110 (n): the 11
	# read as a byte ended the list's match, and the key's bytes
	# before it showed (6 of them in Python's, 2 on Node's last row)
	run --separate-stderr bash -c 'python3 -c "import os; print(list(os.environ[\"KEY\"].encode()))" | head -c 67 | redact -e KEY'
	assert_success
	assert_output '[115, 107, 95, 116, 101, 115, 116, 95, *, *, *, *, *, *, 11'
	run --separate-stderr bash -c 'node -e "console.log(new Uint8Array(Buffer.from(process.env.KEY)))" | head -c 93 | redact -e KEY'
	assert_success
	assert_output 'Uint8Array(64) [
  115, 107,  95, 116, 101, 115, 116,  95, *, *, *, *,
   *, *, 11'
	# a number that no digit could lengthen is read as it is: 87 (W)
	run --separate-stderr bash -c 'python3 -c "import os; print(list(os.environ[\"KEY\"].encode()))" | head -c 59 | redact -e KEY'
	assert_success
	assert_output '[115, 107, 95, 116, 101, 115, 116, 95, *, *, *, *, *'
}

@test "0xHH items after text on a line (Go's %#v of a []byte and % #x, hex() in a list after a name): each masked byte's digits starred, the text around byte for byte" {
	# the views read such a list only on a line of its own: after
	# "Bytes:[]uint8{" or "KEY: " the key's bytes showed whole
	stars() { # stars SEP: 56 starred items, SEP apart
		local out='' i
		for i in $(seq 56); do out+="0x**$1"; done
		printf %s "${out%"$1"}"
	}
	kept='0x73, 0x6b, 0x5f, 0x74, 0x65, 0x73, 0x74, 0x5f'
	run --separate-stderr bash -c 'cd "$SECENV_SRC/tests/forms" && FORMS_NAMES=KEY go run go_bytes.go | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "FORMS-MARKER go_bytes
main.key{Name:\"KEY\", Bytes:[]uint8{$kept, $(stars ', ')}, Size:64}
map[string][]uint8{\"KEY\":[]uint8{$kept, $(stars ', ')}}
KEY: ${kept//,/} $(stars ' ') (64 bytes)"
	refute_output --partial '0x5a, 0x71'
	run --separate-stderr bash -c 'python3 -c "
import os
k = os.environ[\"KEY\"].encode()
print(\"key:\", [hex(b) for b in k[8:]], \"and\", *map(hex, k[8:]))
" | redact -e KEY'
	assert_success
	assert_output "key: [$(printf "'0x**', %.0s" $(seq 56) | sed 's/, $//')] and $(stars ' ')"
	# fewer than 4 items, an address, a word's 0x and another value's
	# bytes pass as they are
	run --separate-stderr bash -c 'printf "%s\n" "flags=0x0, 0x1, 0x5a, mode 0x7ffe4a2c, ab0x5a, 0x5a, 0x71, 0x38, 0x76" \
		"x: 0x5a, 0x71, 0x38, 0x76, 0x57, 0x33, 0x6e, 0x52, 0x35, 0x74, 0x59" | redact -e KEY'
	assert_success
	assert_output "flags=0x0, 0x1, 0x5a, mode 0x7ffe4a2c, ab0x5a, 0x5a, 0x71, 0x38, 0x76
x: 0x5a, 0x71, 0x38, 0x76, 0x57, 0x33, 0x6e, 0x52, 0x35, 0x74, 0x59"
}

@test "bare hex bytes joined by a comma on a line of their own (Rust's {:x?}, Node's join(\", \"), bytes.hex(\",\")): every masked byte one star; decimal and word lists pass" {
	# read as no list before: a line of them showed the key whole
	stars() { # stars N SEP
		local out='' i
		for i in $(seq "$1"); do out+="*$2"; done
		printf %s "${out%"$2"}"
	}
	cat >hex.rs <<'RS'
fn main() {
    let k = std::env::var("KEY").unwrap();
    println!("{:x?}", k.as_bytes());
    println!("{:02x?}", &k.as_bytes()[8..]);
}
RS
	# not make's jobserver, whose descriptors the test does not inherit
	env -u MAKEFLAGS -u MFLAGS /usr/bin/rustc -o hex hex.rs
	run --separate-stderr bash -c './hex | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "[73, 6b, 5f, 74, 65, 73, 74, 5f, $(stars 56 ', ')]
[$(stars 56 ', ')]"
	run --separate-stderr bash -c 'node -e "
const k = Buffer.from(process.env.KEY);
console.log([...k].map(b => b.toString(16)).join(\", \"));
" | redact -e KEY; python3 -c "import os; print(os.environ[\"KEY\"].encode().hex(\",\"))" | redact -e KEY'
	assert_success
	assert_output "73, 6b, 5f, 74, 65, 73, 74, 5f, $(stars 56 ', ')
73,6b,5f,74,65,73,74,5f,$(stars 56 ,)"
	# hex words, a CSV row of numbers and other text's hex pass
	run --separate-stderr bash -c 'printf "%s\n" "a, b, c, d, e, f" "10,20,30,255" "48,65,6c,6c,6f,2c,20,77,6f,72,6c,64" | redact -e KEY'
	assert_success
	assert_output 'a, b, c, d, e, f
10,20,30,255
48,65,6c,6c,6f,2c,20,77,6f,72,6c,64'
}

@test "bare hex bytes joined by \", \" written in two parts, the first ending after a separator before any item with a letter: the line is held and masked whole" {
	# the first part was no bare hex head (its next item had not come),
	# so it passed, and the rest of its line with it: the key showed
	# whole. Found by make fuzz-redact-views.
	export K2=TtT1zdpQq8wVb2XyZWDarjtTmK
	local hex
	hex=$(printf %s "$K2" | xxd -p -c 100 | sed 's/../&, /g; s/, $//')
	[[ ${hex:0:12} == "54, 74, 54, " ]]
	run --separate-stderr bash -c 'python3 "$SECENV_SRC/tests/helpers/parts.py" "$0"$'"'\\n'"' 12 | redact -e K2' "$hex"
	assert_success
	assert_equal "$stderr" ''
	assert_output "$(printf '*, %.0s' {1..25})*"
}

@test "a value's characters one blank apart after a blank, written in three parts, the first a blank and one character: the line is held and masked whole" {
	# a partial line read as no spaced line's start when it began with
	# a blank (a whole one may), so it passed, and the rest of its line
	# with it: the key showed whole. Found by make fuzz-redact-views.
	export K2=TtT1zdpQq8wVb2XyZWDarjtTmK
	local line
	line=" $(printf %s "$K2" | sed 's/./& /g; s/ $//')"
	run --separate-stderr bash -c 'python3 "$SECENV_SRC/tests/helpers/parts.py" "$0"$'"'\\n'"' 2 22 | redact -e K2' "$line"
	assert_success
	assert_equal "$stderr" ''
	assert_output " $(printf '* %.0s' {1..25})*"
}

@test "a value's characters one blank apart in brackets (Go's %c), written up to its \"]\" and then its line break: the line is held and masked" {
	# a partial line that its "]" closed read as no spaced line's start,
	# so it passed whole: the key showed. Found by make
	# fuzz-redact-views.
	export K2=TtT1zdpQq8wVb2XyZWDarjtTmK
	local line
	line="[$(printf %s "$K2" | sed 's/./& /g; s/ $//')]"
	run --separate-stderr bash -c 'python3 "$SECENV_SRC/tests/helpers/parts.py" "$0"$'"'\\n'"' ${#0} | redact -e K2' "$line"
	assert_success
	assert_equal "$stderr" ''
	assert_output "[$(printf '* %.0s' {1..25})*]"
}

@test "0xHH items after text cut by the input's end are masked up to the cut; cut by a writer's pause they are held and masked whole" {
	# Go's %#v cut after 15 of the key's bytes: the 7 past the prefix
	# showed, and the cut 0x5 of 0x57
	run --separate-stderr bash -c 'cd "$SECENV_SRC/tests/forms" && FORMS_NAMES=KEY go run go_bytes.go | head -c 150 | redact -e KEY'
	assert_success
	assert_output "FORMS-MARKER go_bytes
main.key{Name:\"KEY\", Bytes:[]uint8{0x73, 0x6b, 0x5f, 0x74, 0x65, 0x73, 0x74, 0x5f, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x**, 0x5"
	HEX=$(python3 -c 'import os; print(", ".join(map(hex, os.environ["KEY"].encode())))')
	export HEX
	run --separate-stderr bash -c '{ printf "key: %s" "${HEX:0:100}"; sleep 0.3; printf "%s\n" "${HEX:100}"; } | redact -e KEY'
	assert_success
	assert_output "key: 0x73, 0x6b, 0x5f, 0x74, 0x65, 0x73, 0x74, 0x5f, $(printf '0x**, %.0s' $(seq 56) | sed 's/, $//')"
}

@test "tcpdump -X, -x and -XX of a request that sends the key (read from a pcap file): masked in the hex and the text column" {
	# tcpdump's lines ("\t0x0050:  5f74 6573 ...  _test_...") were read
	# as no dump: the text column was masked as the value's lines, and
	# the hex showed the key whole
	python3 "$D/pcap.py" k.pcap "GET / HTTP/1.1"$'\r\n'"Authorization: Bearer $KEY"$'\r\n\r\n' \
		"token=$KEY&next=1"
	run --separate-stderr bash -c 'tcpdump -nr k.pcap -t -X 2>/dev/null | redact -e KEY'
	assert_success
	assert_line --index 5 $'\t0x0040:  6174 696f 6e3a 2042 6561 7265 7220 736b  ation:.Bearer.sk'
	assert_line --index 6 $'\t0x0050:  5f74 6573 745f **** **** **** **** ****  _test_**********'
	assert_line --index 7 $'\t0x0060:  **** **** **** **** **** **** **** ****  ****************'
	assert_line --index 9 $'\t0x0080:  **** **** **** **** **** **** **** 0d0a  **************..'
	assert_line --index 10 $'\t0x0090:  0d0a                                     ..'
	assert_line --index 14 $'\t0x0020:  5018 0200 8f7e 0000 746f 6b65 6e3d 736b  P....~..token=sk'
	assert_line --index 18 $'\t0x0060:  **** **** **** **** **** **** **** 266e  **************&n'
	assert_line --index 19 $'\t0x0070:  6578 743d 31                             ext=1'
	printf '%s\n' "$output" >x.out
	tcpdump -nr k.pcap -t -x 2>/dev/null | redact -e KEY >x-hex.out
	tcpdump -nr k.pcap -t -XX 2>/dev/null | redact -e KEY >xx.out
	# no 12 bytes of the key's part in any packet's hex, its groups
	# joined across lines, nor in a text column
	run python3 -c '
import os, re, sys
part = os.environ["PART"].encode()
for name in sys.argv[1:]:
    text = open(name).read()
    for packet in re.split(r"\n(?!\t)", text):
        hexes = "".join(re.findall(r"^\t0x[0-9a-f]+:  (.{0,39})", packet, re.M)).replace(" ", "")
        cols = "".join(re.findall(r"^\t0x[0-9a-f]+:  .{40}  (.*)$", packet, re.M))
        for i in range(len(part) - 11):
            if part[i:i + 12].hex() in hexes or part[i:i + 12].decode() in cols:
                print(name, i)
' x.out x-hex.out xx.out
	assert_success
	assert_output ''
	run grep -c '\*\*\*\*' x-hex.out
	assert_output 8
}

@test "socat -x -v, ldapwhoami -d 2 (ber_dump) and snmpget -d of a request that sends the key: masked in the hex and the text column" {
	# these dumps' lines (" 65 61 72 ...  earer sk", "  0020:  3d 63
	# ...   =com.@sk", "0016: 71 38 76 57  33 6E ...    q8vW3n") were
	# read as no dump: the hex showed the key whole, the text column up
	# to 11 characters of it
	run --separate-stderr bash -c 'printf "GET / HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n" "$KEY" |
		socat -x -v - SYSTEM:"cat >/dev/null" 2>&1 | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 0 --regexp '^> [0-9/]+ [0-9:.]+  length=106 from=0 to=105$'
	assert_line --index 3 ' 65 61 72 65 72 20 73 6b 5f 74 65 73 74 5f ** **  earer sk_test_**'
	assert_line --index 4 " ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **  ****************"
	assert_line --index 7 ' ** ** ** ** ** ** 0d 0a                          ******..'
	refute_output --partial '5a 71 38 76'
	# an LDAP server that reads the bind and closes: ldapwhoami dumps
	# the request it sends (the password in the clear, a simple bind);
	# the listener names its port once it listens
	python3 -c 'import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(10)
c, _ = s.accept()
c.recv(4096)
c.close()' port 3>&- &
	for _ in $(seq 200); do
		[[ -s port ]] && break
		sleep 0.05
	done
	port=$(cat port)
	run --separate-stderr bash -c 'ldapwhoami -x -D cn=app,dc=example,dc=com -w "$KEY" -H "ldap://127.0.0.1:$0" -d 2 -o nettimeout=5 2>&1 | redact -e KEY' "$port"
	assert_equal "$stderr" ''
	assert_line '  0020:  3d 63 6f 6d 80 40 73 6b  5f 74 65 73 74 5f ** **   =com.@sk_test_**  '
	assert_line '  0030:  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **   ****************  '
	assert_line '  0060:  ** ** ** ** ** **                                  ******            '
	refute_output --partial '5a 71 38 76'
	# net-snmp: its community string, sent over UDP to no agent
	run --separate-stderr bash -c 'snmpget -v2c -c "$KEY" -d -r 0 -t 0.2 127.0.0.1:9 1.3.6.1.2.1.1.1.0 2>&1 | redact -e KEY'
	assert_equal "$stderr" ''
	assert_line '0000: 30 63 02 01  01 04 40 73  6B 5F 74 65  73 74 5F **    0c....@sk_test_*'
	assert_line '0016: ** ** ** **  ** ** ** **  ** ** ** **  ** ** ** **    ****************'
	assert_line --regexp '^0064: (\*\* ){4} (\*\* ){3}A0  1C 02 04 [0-9A-F]{2}  [0-9A-F ]{11}    \*{7}\.'
	refute_output --partial '5A 71 38 76'
}

@test "strace -e write=1 of a request that sends the key and of a key's bytes: its dump masked in the hex and the text column" {
	# strace's dump lines (" | 00010  61 74 ...  ation: Bearer sk |")
	# were read as no dump: the hex showed the key whole
	run --separate-stderr bash -c 'strace -e trace=write -e write=1 printf "GET /x\r\nAuthorization: Bearer %s\r\n" "$KEY" 2>&1 >/dev/null | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_line ' | 00010  61 74 69 6f 6e 3a 20 42  65 61 72 65 72 20 73 6b  ation: Bearer sk |'
	assert_line ' | 00020  5f 74 65 73 74 5f ** **  ** ** ** ** ** ** ** **  _test_********** |'
	assert_line ' | 00030  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  **************** |'
	assert_line ' | 00050  ** ** ** ** ** ** ** **  ** ** ** ** ** ** 0d 0a  **************.. |'
	refute_output --partial '5a 71 38 76'
	# a 32-byte key kept in base64, written as bytes
	export K=q3Jx8fKZ0m7bN+2vYt/RcLw9pE4hUaGd1sXkTz6oWiM=
	run --separate-stderr bash -c 'strace -e trace=write -e write=1 python3 -c "import base64, os, sys; sys.stdout.buffer.write(b\"token: \" + base64.b64decode(os.environ[\"K\"]) + b\"\n\")" 2>&1 >/dev/null | redact -e K'
	assert_success
	assert_line ' | 00000  74 6f 6b 65 6e 3a 20 **  ** ** ** ** ** ** ** **  token: ********* |'
	assert_line ' | 00010  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  **************** |'
	assert_line ' | 00020  ** ** ** ** ** ** ** 0a                           *******.         |'
	# a read that ends inside a line's first byte pair (" | 00030  5"):
	# that partial line was let go as no dump's, and the line showed
	# the key whole. Found by make fuzz-redact-views.
	strace -e trace=write -e write=1 printf "GET /x\r\nAuthorization: Bearer %s\r\n" "$KEY" 2>dump.txt >/dev/null
	local cut
	cut=$(python3 -c 'print(open("dump.txt").read().index(" | 00030") + 11)')
	run --separate-stderr bash -c '{ head -c "$0" dump.txt; sleep 0.02; tail -c "+$(($0 + 1))" dump.txt; } | redact -e KEY' "$cut"
	assert_success
	assert_line ' | 00030  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  **************** |'
	refute_output --partial '5a 71 38 76'
}

@test "tshark -x of requests that send the key and Basic credentials holding it (read from a pcap file): masked in the hex and the text column" {
	# tshark -x's lines ("0060  65 73 74 5f 5a 71 ...   est_Zq8v")
	# were read as no dump: the hex showed the key whole, and that of
	# the credentials' base64
	python3 "$D/pcap.py" k.pcap "GET / HTTP/1.1"$'\r\n'"Authorization: Bearer $KEY"$'\r\n\r\n' \
		"GET /b HTTP/1.1"$'\r\n'"Authorization: Basic $(printf 'alice:%s' "$KEY" | base64 -w0)"$'\r\n\r\n'
	# (tshark warns on stderr when run as root)
	tshark -r k.pcap -x >plain.out 2>/dev/null
	# the lines of the credentials' base64, unmasked, are there to mask
	run grep -c '^00[6-9ab]0  ' plain.out
	assert_output 10
	run --separate-stderr redact -e KEY <plain.out
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 5 '0050  69 6f 6e 3a 20 42 65 61 72 65 72 20 73 6b 5f 74   ion: Bearer sk_t'
	assert_line --index 6 '0060  65 73 74 5f ** ** ** ** ** ** ** ** ** ** ** **   est_************'
	assert_line --index 7 '0070  ** ** ** ** ** ** ** ** ** ** ** ** ** ** ** **   ****************'
	assert_line --index 9 '0090  ** ** ** ** ** ** ** ** ** ** ** ** 0d 0a 0d 0a   ************....'
	assert_line --index 15 '0050  74 69 6f 6e 3a 20 42 61 73 69 63 20 59 57 78 70   tion: Basic YWxp'
	assert_line --index 16 '0060  59 32 55 36 ** ** ** ** ** ** ** ** ** ** ** **   Y2U6************'
	assert_line --index 21 '00b0  ** ** ** ** ** ** ** ** ** ** ** ** 0d 0a 0d 0a   ************....'
	refute_output --partial '5a 71 38 76'
}

@test "tshark's follow dump in hex (-z follow,tcp,hex) of a request and its answer that send the key: masked in the hex and the text column, cut in halves by a blank" {
	# its text column's blank after 8 characters ("earer sk _test_Zq")
	# made no dump of the lines, and cut every 12 bytes of the key in
	# the column: nothing was masked; the answer's lines are tab-indented
	python3 "$D/pcap.py" k.pcap "GET / HTTP/1.1"$'\r\n'"Authorization: Bearer $KEY"$'\r\n\r\n' \
		"<< HTTP/1.1 200 OK"$'\r\n\r\n'"{\"token\": \"$KEY\"}"
	# (tshark warns on stderr when run as root)
	tshark -r k.pcap -q -z follow,tcp,hex,0 >plain.out 2>/dev/null
	run grep -c '5a 71' plain.out
	assert_output 2
	run --separate-stderr redact -e KEY <plain.out
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 6 '00000010  41 75 74 68 6f 72 69 7a  61 74 69 6f 6e 3a 20 42  Authoriz ation: B'
	assert_line --index 7 '00000020  65 61 72 65 72 20 73 6b  5f 74 65 73 74 5f ** **  earer sk _test_**'
	assert_line --index 8 '00000030  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  ******** ********'
	assert_line --index 11 '00000060  ** ** ** ** ** ** 0d 0a  0d 0a                    ******.. ..'
	assert_line --index 13 $'\t00000010  0a 0d 0a 7b 22 74 6f 6b  65 6e 22 3a 20 22 73 6b  ...{"tok en": "sk'
	assert_line --index 14 $'\t00000020  5f 74 65 73 74 5f ** **  ** ** ** ** ** ** ** **  _test_** ********'
	assert_line --index 17 $'\t00000050  ** ** ** ** ** ** ** **  ** ** ** ** ** ** 22 7d  ******** ******"}'
	refute_output --partial '5a 71'
	refute_output --partial 'Zq8v'
}

@test "text-only traffic dumps (tcpdump -A, tshark's follow dump in ASCII) of a password past ASCII, each such byte a dot: masked" {
	# with no hex beside them, the dots cut the value into runs under
	# 12 bytes: it showed but for the letters past ASCII
	PW='Grüße-aus-München-2024!'
	export PW
	python3 "$D/pcap.py" p.pcap "POST /login HTTP/1.1"$'\r\n'"Content-Type: application/json"$'\r\n\r\n'"{\"user\": \"deploy\", \"password\": \"$PW\"}"
	tcpdump -nr p.pcap -t -A 2>/dev/null >a.out
	tshark -r p.pcap -q -z follow,tcp,ascii,0 2>/dev/null >>a.out
	run grep -c 'Gr....e-aus-M..nchen-2024!' a.out
	assert_output 2
	run --separate-stderr redact -e PW <a.out
	assert_success
	assert_equal "$stderr" ''
	run grep -c '^{"user": "deploy", "password": "\*\*\*REDACTED\*\*\*"}$' <<<"$output"
	assert_output 2
	refute_output --partial 'nchen-2024'
	# a value with fewer than 8 bytes of ASCII has no such form: its
	# dots and a word would mask what binary data makes of them
	run --separate-stderr bash -c 'printf "%s\n" "..........2024x" "x....2024" | P="ключ-пароль-2024x" redact -e P'
	assert_success
	assert_output '..........2024x
x....2024'
}

@test "Java's HexDumpEncoder (javax.net.debug's record dumps) of a request that sends the key: masked in the hex and the text column (skipped without a JDK)" {
	# its lines ("0010: 58 2D 41 70 69 2D 4B 65   79 3A 20 73 ...") were
	# read as no dump: the hex showed the key whole
	command -v javac >/dev/null || skip "no JDK on this machine"
	local jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" exports=--add-exports=java.base/sun.security.util=ALL-UNNAMED
	# shellcheck disable=SC2086 # the JVM's options are words
	javac ${jvm//-XX/-J-XX} -nowarn -XDsuppressNotes "$exports" -d . "$D/HexDump.java" 2>/dev/null
	# shellcheck disable=SC2086
	run --separate-stderr bash -c "java $jvm $exports -cp . HexDump | redact -e KEY"
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 1 '0010: 58 2D 41 70 69 2D 4B 65   79 3A 20 73 6B 5F 74 65  X-Api-Key: sk_te'
	assert_line --index 2 '0020: 73 74 5F ** ** ** ** **   ** ** ** ** ** ** ** **  st_*************'
	assert_line --index 3 '0030: ** ** ** ** ** ** ** **   ** ** ** ** ** ** ** **  ****************'
	assert_line --index 5 '0050: ** ** ** ** ** ** ** **   ** ** ** 0D 0A 0D 0A     ***********....'
	assert_line --index 7 '  0010: 58 2D 41 70 69 2D 4B 65   79 3A 20 73 6B 5F 74 65  X-Api-Key: sk_te'
	assert_line --index 8 '  0020: 73 74 5F ** ** ** ** **   ** ** ** ** ** ** ** **  st_*************'
	refute_output --partial '5A 71 38 76'
}

@test "Go's spew.Dump of a key's bytes (an indented hexdump -C) and testify's diff of them (a tab-indented diff line): masked in both columns" {
	# indented, the lines were read as no dump: the hex showed the key
	# whole, the first line's text 8 characters of it
	cp "$D"/go/spew_key.go "$D"/go/key_test.go .
	run --separate-stderr bash -c 'GO111MODULE=off GOPATH=/usr/share/gocode go run spew_key.go | redact -e KEY'
	assert_success
	assert_output '(main.key) {
 Name: (string) (len=3) "KEY",
 Bytes: ([]uint8) (len=64 cap=64) {
  00000000  73 6b 5f 74 65 73 74 5f  ** ** ** ** ** ** ** **  |sk_test_********|
  00000010  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|
  00000020  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|
  00000030  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|
 }
}'
	run --separate-stderr bash -c 'GO111MODULE=off GOPATH=/usr/share/gocode go test key_test.go 2>&1 | redact -e KEY'
	assert_success
	assert_line --index 0 --regexp '^--- FAIL: TestKey \('
	lead=$'        \t            \t'
	assert_line "$lead- 00000000  73 6b 5f 74 65 73 74 5f  6f 74 68 65 72           |sk_test_other|"
	assert_line "$lead+ 00000000  73 6b 5f 74 65 73 74 5f  ** ** ** ** ** ** ** **  |sk_test_********|"
	assert_line "$lead+ 00000030  ** ** ** ** ** ** ** **  ** ** ** ** ** ** ** **  |****************|"
	assert_line --partial "actual  : []byte{0x73, 0x6b, 0x5f, 0x74, 0x65, 0x73, 0x74, 0x5f, 0x**, 0x**,"
	refute_run_pieces KEY
	refute_output --partial '5a 71 38 76'
}

@test "BIO_dump lines indented by 15 to 64 blanks are read, and a longer indent is no dump: redact no longer dies on them" {
	# the offset column was copied into an 18-byte buffer whatever its
	# indent: 60 blanks killed redact (SIGSEGV) and secenv run with it
	bio() { # bio INDENT: KEY's bytes as BIO_dump prints them
		python3 -c '
import os, sys
k, ind = os.environ["KEY"].encode(), int(sys.argv[1])
for off in range(0, len(k), 16):
    c = k[off:off + 16]
    hx = " ".join("%02x" % b for b in c)
    print(" " * ind + "%04x - %s   %s" % (off, hx[:23] + "-" + hx[24:], c.decode()))
' "$1"
	}
	bio 60 >b60
	bio 300 >b300
	run --separate-stderr redact -e KEY <b60
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 0 "$(printf '%60s' '')0000 - 73 6b 5f 74 65 73 74 5f-** ** ** ** ** ** ** **   sk_test_********"
	assert_line --index 3 "$(printf '%60s' '')0030 - ** ** ** ** ** ** ** **-** ** ** ** ** ** ** **   ****************"
	run --separate-stderr redact -e KEY <b300
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 1 "$(printf '%300s' '')0010 - 35 74 59 31 75 49 37 6f-50 32 61 53 78 34 43 76   ***REDACTED***"
}

@test "hexyl's dump of a .env (its colours, Unicode and ASCII borders, none): every byte of the key past its prefix starred in both columns" {
	# read as no dump before: the hex showed the key whole, the text
	# column in pieces of 8
	printf 'API_KEY=%s\n' "$KEY" >app.env
	run --separate-stderr bash -c 'hexyl --border ascii --color=never app.env | redact -e KEY'
	assert_success
	assert_output '+--------+-------------------------+-------------------------+--------+--------+
|00000000| 41 50 49 5f 4b 45 59 3d | 73 6b 5f 74 65 73 74 5f |API_KEY=|sk_test_|
|00000010| ** ** ** ** ** ** ** ** | ** ** ** ** ** ** ** ** |********|********|
|00000020| ** ** ** ** ** ** ** ** | ** ** ** ** ** ** ** ** |********|********|
|00000030| ** ** ** ** ** ** ** ** | ** ** ** ** ** ** ** ** |********|********|
|00000040| ** ** ** ** ** ** ** ** | 0a                      |********|_       |
+--------+-------------------------+-------------------------+--------+--------+'
	# hexyl colours every field even into a pipe; the masker masks the
	# prefix's hex before the border itself (a value wrapped in a
	# table's cell may go on there)
	run --separate-stderr bash -c 'hexyl app.env | redact -e KEY | sed "s/\x1b\[[0-9;]*m//g"'
	assert_success
	assert_line --index 1 '│00000000│ 41 50 49 5f 4b 45 59 3d ┊ ***REDACTED***│API_KEY=┊sk_test_│'
	assert_line --index 2 '│00000010│ ** ** ** ** ** ** ** ** ┊ ** ** ** ** ** ** ** ** │********┊********│'
	assert_line --index 5 '│00000040│ ** ** ** ** ** ** ** ** ┊ 0a                      │********┊_       │'
	refute_run_pieces KEY
	refute_output --partial '5a 71 38 76'
	refute_output --partial 'Zq8vW3nR'
	# --border none: a blank for each border (read as no dump before),
	# coloured or not
	local c
	for c in always never; do
		run --separate-stderr bash -c 'hexyl --border none --color=$0 app.env | redact -e KEY | sed "s/\x1b\[[0-9;]*m//g"' "$c"
		assert_success
		assert_output ' 00000000  41 50 49 5f 4b 45 59 3d   73 6b 5f 74 65 73 74 5f  API_KEY= sk_test_ 
 00000010  ** ** ** ** ** ** ** **   ** ** ** ** ** ** ** **  ******** ******** 
 00000020  ** ** ** ** ** ** ** **   ** ** ** ** ** ** ** **  ******** ******** 
 00000030  ** ** ** ** ** ** ** **   ** ** ** ** ** ** ** **  ******** ******** 
 00000040  ** ** ** ** ** ** ** **   0a                       ******** _        '
	done
}

@test "held dump lines the writer pauses after are written with the partial match they end in masked" {
	# xxd -e of 15 bytes and the key: its first 9 bytes past the prefix
	# end the second line, held for the next; a pause there wrote it
	# as it was marked, the 9 bytes in both columns
	printf 'AAAAAAAAAAAAAAA%s\n' "$KEY" >k.bin
	xxd -e k.bin >k.xxd
	redact -e KEY <k.xxd >whole.out
	run --separate-stderr bash -c '{ head -n 2 k.xxd; sleep 0.3; tail -n +3 k.xxd; } | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "$(cat whole.out)"
	assert_line --index 1 "00000010: 65745f6b **5f7473 ******** ********  k_test_*********"
	echo "$output" >paused.out
	run python3 "$D/pieces.py" absent PART paused.out
	assert_success
}

@test "a key printed 300 times in 25 forms by Python, written in pieces of 1 to 64 bytes with pauses: none of it shows" {
	# paused.py: raw, repr(), pprint, JSON, base64 and hex of all
	# kinds after random text, and a pause of 60 ms after about one
	# write in 30 (redact waits 50 ms for a line's or a run's rest);
	# the check looks for 12 characters of the key, 24 of its hex and
	# 20 of its base64 (the build before showed the base64 of a key
	# cut by a pause in this seed, and in seeds 2 to 6)
	export KEY=sk_live_51HqLyjWDarjtT1zdp7dcXyzAbCdEfGhIjKlMnOpQrStUv
	python3 "$D/paused.py" write 1 | redact -e KEY >masked.out
	run python3 "$D/paused.py" check masked.out
	assert_success
	assert_output ''
	# and the check sees the key when nothing masks it
	python3 "$D/paused.py" write 1 >plain.out
	run python3 "$D/paused.py" check plain.out
	assert_failure 1
	assert_line 'characters 51HqLyjWDarj'
}

@test "runs that show under 12 bytes of a value, another value's bytes and malformed runs pass byte for byte; 12 bytes of the value are masked" {
	cat >runs.sh <<'SCRIPT'
node -e '
const key = Buffer.from(process.env.KEY), other = Buffer.from(process.env.OTHER);
console.log(key.subarray(8, 19), key.subarray(8, 20));
console.log(other.subarray(8, 40), Buffer.from(process.env.OTHER, "utf16le").subarray(16, 56));
'
python3 -c '
import os
key, other = os.environ["KEY"].encode(), os.environ["OTHER"].encode()
print("slices:", key[8:19], key[30:41], key.decode().encode("utf-16-le")[16:38])
print("other:", other[8:40], other.decode().encode("utf-16-le")[16:56])
'
printf '%s\n' "x b'\\q' b'\\x4' b'\\xAB' b'caf\xc3\xa9' Bob's <Buffer 7 3> <Buffer 5A 71> <Buffer > b'ok'" \
	"rb'\\x00\\x01' ['a', 'b', 'c'] unterminated: b'\\x00\\x01 <Buffer 00 01 02"
SCRIPT
	OTHER=sk_test_Xy7uV2mQ4rT6wE8iO0pA1sD3fG5hJ7kL9zX2cV4bN6mQ8wE0rT
	export OTHER
	bash runs.sh >plain
	run --separate-stderr bash -c 'redact -e KEY <plain'
	assert_success
	assert_equal "$stderr" ''
	# the 12-byte Buffer is the line's only change
	assert_line --index 0 "<Buffer 5a 71 38 76 57 33 6e 52 35 74 59> <Buffer $(pair_stars 12)>"
	printf '%s\n' "$output" | tail -n +2 >masked
	run diff <(tail -n +2 plain) masked
	assert_success
	run cat plain
	assert_line --index 2 "slices: b'Zq8vW3nR5tY' b'Cv6Bn8Mm0Lk' b'Z\\x00q\\x008\\x00v\\x00W\\x003\\x00n\\x00R\\x005\\x00t\\x00Y\\x00'"
}

@test "Java's Arrays.toString of a char[] (bare characters one ', ' apart): every character after the prefix masked, whole or cut between reads" {
	list() { # list TEXT: TEXT's characters as Java prints a char[]
		local out='[' i
		for ((i = 0; i < ${#1}; i++)); do
			out+="${1:i:1}, "
		done
		printf '%s]\n' "${out%, }"
	}
	local stars want
	stars=$(list "$PART")
	stars=${stars//[^,\[\] ]/*}
	want="[s, k, _, t, e, s, t, _, ${stars#[}"
	list "$KEY" >key.txt
	list "$UTF" >utf.txt
	# a comma and a blank among the characters
	export ODD='Zq8v, W3nR 5tY1uI7oP2aS'
	list "$ODD" >odd.txt
	run --separate-stderr redact -e KEY,UTF,ODD <key.txt
	assert_success
	assert_output "$want"
	run --separate-stderr redact -e KEY,UTF,ODD <utf.txt
	assert_output "$(list "$UTF" | sed 's/[^][, ]/*/g; s/\*\*/*/g')"
	refute_output --partial 'ä, s'
	run --separate-stderr redact -e KEY,UTF,ODD <odd.txt
	# 23 characters, 23 stars
	assert_output '[*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *]'
	# cut after "[s, k, _, t" and inside an item's ", ": masked the same
	run --separate-stderr bash -c '{ head -c 10 key.txt; sleep 0.2; tail -c +11 key.txt | head -c 31; sleep 0.2; tail -c +42 key.txt; } | redact -e KEY'
	assert_success
	assert_output "$want"
	refute_secret "${PART:0:4}"
}

@test "sqlite3 -json of a BLOB column holding a key's bytes (JSON's escapes, the bytes past ASCII as they are): masked" {
	# the key's bytes were masked raw and as X'hex' (.dump, .mode quote)
	# but not so: 62 random keys of 32 bytes in 100 showed whole
	export K1=MBrFWrqCjrgwGDJ7LGitRB2JJvNPmyg76NX5APrv8cw= K2=rxq2Kyxxs2Ru4aEqkBpQ0QiXtsrwOKqXZJnzHXAeNY8=
	sqlite3 keys.db "create table keys(id integer, name text, material blob);
		insert into keys values(1, 'signing', X'$(base64 -d <<<"$K1" | xxd -p -c 64)');
		insert into keys values(2, 'session', X'$(base64 -d <<<"$K2" | xxd -p -c 64)')"
	sqlite3 -json keys.db 'select * from keys' >plain
	mask_plain K1,K2 '\u'
	assert_output '[{"id":1,"name":"signing","material":"***REDACTED***"},
{"id":2,"name":"session","material":"***REDACTED***"}]'
}

@test "Elixir's inspect of a key's bytes as a string (binaries: :as_strings: \\xB0, a character as it is, \\x1E, \\d) and ExUnit's coloured diff of two keys: masked" {
	# Ruby's form of them was the nearest (\u0014 for a control, no \d):
	# 69% to 79% of random 32-byte keys showed whole. The three keys hold
	# characters as they are (K1), a control as \x1E (K2), DEL as \d (K3).
	export K1=sEblu1fclSAxKXAoi8EpL5FozTbRy613GYTgaNCL+A4= \
		K2=8Sbueyx9w8I/HtAv9N2PdcVFr+PKdLwKozz9SfacF0I= \
		K3=9djwtrMgUQ3ozhiQBts4DRWlxApJGeJCJX3mjR9/apw=
	FORMS_NAMES=K1,K2,K3 elixir "$FIXTURES/redact/elixir_key.exs" >plain || true
	grep -qF '\xF5\xD8\xF0\xB6\xB3 Q\r' plain || fail "elixir: $(cat plain)"
	mask_plain K1,K2,K3 '\x1F\dj\x9C"'
	assert_line --index 0 '"***REDACTED***"'
	assert_line --index 1 '"***REDACTED***"'
	assert_line --index 2 '"***REDACTED***"'
	assert_line --index 3 'loaded: {:ok, "***REDACTED***"}'
	# the diff marks its characters with colours, inside the escapes too
	run grep -E 'left:|right:' <<<"$(sed 's/\x1b\[[0-9;]*m//g' <<<"$output")"
	assert_output '     left:  "***REDACTED***"
     right: "***REDACTED***"'
}

@test "Commons Lang's char[] ({p,\",a,...}: reflectionToString, ArrayUtils.toString) and Elixir's IO.inspect of a binary folded over lines (<<200, 227, ...>>): every item starred (Java's skipped without a JDK)" {
	# a password kept in a char[], as Java's practice has it, showed
	# whole in a reflectionToString(); Elixir's last line of a key's
	# bytes, which ">>" ends, showed 15 of its 32
	export PW='p"a\ss'"'"'wörd,ü€-Xy9Z!q' K=yOM4+DYsECp9gJMP+7Wo02G+zTTv5sItme1WeFolED0=
	run --separate-stderr bash -c 'elixir -e "key = Base.decode64!(System.get_env(\"K\")); IO.inspect(key); IO.inspect({:ok, key}, label: \"loaded\")" | redact -e K'
	assert_success
	assert_equal "$stderr" ''
	assert_output '<<***REDACTED***
  *, *, *, *, *, *, *, *, *, *, *, *, *, *, *>>
loaded: {:ok,
 <<***REDACTED***
   *, *, *, *, *, *, *, *, *, *, *, *, *, *, *>>}'
	command -v javac >/dev/null || skip "no JDK on this machine"
	cat >Creds.java <<'JAVA'
import org.apache.commons.lang3.ArrayUtils;
import org.apache.commons.lang3.builder.ToStringBuilder;

public class Creds {
  char[] password = System.getenv("PW").toCharArray();
  String user = "app";

  @Override
  public String toString() {
    return ToStringBuilder.reflectionToString(this);
  }

  public static void main(String[] a) {
    Creds c = new Creds();
    System.out.println("loaded " + c);
    System.out.println(ArrayUtils.toString(c.password));
  }
}
JAVA
	local jvm="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" cp=/usr/share/java/commons-lang3.jar
	# shellcheck disable=SC2086 # the JVM's options are words
	javac ${jvm//-XX/-J-XX} -nowarn -cp "$cp" -d . Creds.java
	# shellcheck disable=SC2086
	run --separate-stderr bash -c "java $jvm -cp '$cp:.' Creds | redact -e PW"
	assert_success
	assert_equal "$stderr" ''
	local stars='*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*,*'
	assert_line --index 0 --regexp "^loaded Creds@[0-9a-f]+\[password=\{${stars//\*/\\*}\},user=app\]\$"
	assert_line --index 1 "{$stars}"
}

@test "R's print of vectors of a value's bytes, code points and characters (each row after the first led by its index, [26]): every item past the prefix starred; other vectors pass" {
	# a row that R's index leads was read as no list: a token's and a
	# key's bytes showed past the first row, its code points and
	# characters whole
	export T=ghp_R8kTq2ZxWm4Lp9Vb7Nc3Hd6Jf1Gs5Ya0UeXo K=yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3
	cat >vectors.R <<'R'
tok <- Sys.getenv("T")
key <- as.raw(200:247)
print(charToRaw(tok))
print(utf8ToInt(tok))
print(strsplit(tok, "")[[1]])
print(key)
print(as.integer(key))
print(c(1L, 22L, 333L))
print(c("a", "b"))
R
	Rscript vectors.R >vectors.out
	run --separate-stderr redact -e T,K <vectors.out
	assert_success
	assert_equal "$stderr" ''
	local want
	want=' [1] 67 68 70 5f * * * * * * * * * * * * * * * * * * * * *
[26] * * * * * * * * * * * * * * *
 [1] 103 104 112  95 * * * * * * * * * * * * * * *
[20]  * * * * * * * * * * * * * * * * * * *
[39]  * *
 [1] "g" "h" "p" "_" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*"
[20] "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*" "*"
[39] "*" "*"
 [1] * * * * * * * * * * * * * * * * * * * * * * * * *
[26] * * * * * * * * * * * * * * * * * * * * * * *
 [1] * * * * * * * * * * * * * * * * * * *
[20] * * * * * * * * * * * * * * * * * * *
[39] * * * * * * * * * *
[1]   1  22 333
[1] "a" "b"'
	assert_output "$want"
	# written in two parts, cut inside a row of characters, of numbers
	# and of bytes: the same (a row of characters cut so was read as no
	# list, and showed whole)
	local mark cut
	for mark in '"R" "8"' ' 50  90' 'cc cd'; do
		cut=$(python3 -c 'import sys; print(open("vectors.out").read().index(sys.argv[1]) + 3)' "$mark")
		run --separate-stderr bash -c '{ head -c "$0" vectors.out; sleep 0.2; tail -c "+$(($0 + 1))" vectors.out; } | redact -e T,K' "$cut"
		assert_success
		assert_output "$want"
	done
}

@test "a list of a value's characters after a text on its line (Python's list and tuple, JSON's, Go's %q of a []rune, Java's char[] in a toString, Rust's {:x?} of its bytes): every character starred, whole or written in parts; other lists pass" {
	export PW=Zq8vW3nR5tY1uI7oP2aS Q='it'\''s\a"Secret!9x7Qz'
	python3 -c '
import json, os
pw, q = os.environ["PW"], os.environ["Q"]
print("pw=" + str(list(pw)))
print("t", tuple(pw))
print(json.dumps({"pw": list(pw)}), json.dumps({"pw": list(pw)}, separators=(",", ":")))
print("runes [" + " ".join("%r" % c for c in pw) + "]")
print("Login(user=app, password=[" + ", ".join(pw) + "])")
print("key bytes: [" + ", ".join("%x" % b for b in pw.encode()) + "]")
print("q:", list(q))
print("cols [\x27a\x27, \x27b\x27, \x27c\x27, \x27d\x27] x[\x27key\x27] [1, 2, 3, 4] (\x22x\x22, \x22y\x22) [ab, cd]")' >lists.txt
	# ITEM: 20 items, each ITEM, ", " apart
	items() { local i out=; for ((i = 0; i < 20; i++)); do out+="$1${2-, }"; done; printf %s "${out%"${2-, }"}"; }
	run --separate-stderr redact -e PW,Q <lists.txt
	assert_success
	assert_output "pw=[$(items "'*'")]
t ($(items "'*'"))
{\"pw\": [$(items '"*"')]} {\"pw\":[$(items '"*"' ,)]}
runes [$(items "'*'" ' ')]
Login(user=app, password=[$(items '*')])
key bytes: [$(items '**')]
q: ['*', '*', \"*\", '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*']
cols ['a', 'b', 'c', 'd'] x['key'] [1, 2, 3, 4] (\"x\", \"y\") [ab, cd]"
	[ -z "$stderr" ]
	# written in parts with pauses: after its first item, inside an item,
	# and inside the JSON line (a lone "[" a pause leaves at the end
	# passes, as a lone 0x does)
	run --separate-stderr bash -c '{ head -c 7 lists.txt; sleep 0.2; head -c 19 lists.txt | tail -c +8; sleep 0.2; tail -c +20 lists.txt | head -c 300; sleep 0.2; tail -c +320 lists.txt; } | redact -e PW,Q'
	assert_success
	assert_output "$(redact -e PW,Q <lists.txt)"
	refute_output --partial "'Z', 'q'"
	# the quoted value's backslash, its escape cut between its two "\\"
	grep '^q: ' lists.txt >q.txt
	local cut
	cut=$(python3 -c 'print(open("q.txt").read().index("\\\\") + 1)')
	run --separate-stderr bash -c '{ head -c "$0" q.txt; sleep 0.2; tail -c "+$(($0 + 1))" q.txt; } | redact -e PW,Q' "$cut"
	assert_success
	assert_output "q: ['*', '*', \"*\", '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*', '*']"
}

@test "Go's %v of a value's characters after a label ([s k _ ...], a blank item three blanks, a tab and Cyrillic as they are): every character starred, the label and brackets byte for byte; other bracketed words pass" {
	export V=$'Zq8vW3nR 5tY\t1uI7oPсекрет'
	cat >chars.go <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Println("parts:", strings.Split(os.Getenv("V"), ""))
	fmt.Printf("cfg=%v [a link] [x] [I 2024] [s k]\n", strings.Split("[ab]", ""))
}
GO
	run --separate-stderr bash -c 'go run chars.go | redact -e V'
	assert_success
	[ -z "$stderr" ]
	assert_output "parts: [$(printf '* %.0s' {1..24})*]
cfg=[[ a b ]] [a link] [x] [I 2024] [s k]"
}

@test "a value's characters one blank apart (Python's print(*key), Perl's \"@chars\", sed 's/./& /g', fold | paste, Go's %c of a []rune): every character after the prefix starred, whole or cut between reads" {
	spaced() { # spaced TEXT: TEXT's characters one blank apart
		python3 -c 'import sys; print(*sys.argv[1])' "$1"
	}
	local want
	want=$(spaced "$KEY")
	want="s k _ t e s t _ $(spaced "$PART" | sed 's/[^ ]/*/g')"
	spaced "$KEY" >key.txt
	run --separate-stderr bash -c '{
		python3 -c "import os; print(*os.environ[\"KEY\"])"
		perl -e "my @c = split //, \$ENV{KEY}; print \"@c\n\""
		printf "%s\n" "$KEY" | sed "s/./& /g"
		printf "%s" "$KEY" | fold -w1 | paste -sd" "
	} | redact -e KEY'
	assert_success
	[ -z "$stderr" ]
	assert_output "$want
$want
$want 
$want"
	# Go's %c of a []rune, in brackets
	cat >runes.go <<'GO'
package main

import (
	"fmt"
	"os"
)

func main() { fmt.Printf("%c\n", []rune(os.Getenv("KEY"))) }
GO
	run --separate-stderr bash -c 'go run runes.go | redact -e KEY'
	assert_success
	assert_output "[$want]"
	# past ASCII: each character one star, a blank among them
	export SP="$UTF b"
	run --separate-stderr bash -c 'python3 -c "import os; print(*os.environ[\"SP\"])" | redact -e SP'
	assert_success
	assert_output "$(python3 -c 'import sys; print(*"*" * len(sys.argv[1]))' "$UTF b")"
	refute_output --partial 'ä'
	# read in two (redact's first read of a file takes 16 KiB), cut
	# before an item, after one, and inside a character past ASCII (3
	# bytes into the second line, inside its "ä"): masked the same; a
	# line of other characters one blank apart passes
	local cut
	for cut in 20 23 131; do
		python3 -c '
import os, sys
cut = int(sys.argv[1])
lines = [" ".join(os.environ[n]) + "\n" for n in ("KEY", "SP")]
fill = 16384 - cut
with open("cut.txt", "w", encoding="utf-8") as f:
    f.write("filler line\n" * (fill // 12 - 1) + "x" * (fill % 12 + 11) + "\n")
    f.write(lines[0] + lines[1] + "a b c d e f g h\n\u2502 \u2502 \u2502 \u2502\n")' "$cut"
		run --separate-stderr bash -c 'redact -e KEY,SP <cut.txt | tail -n 4'
		assert_success
		assert_output "$want
$(python3 -c 'import sys; print(*"*" * len(sys.argv[1]))' "$SP")
a b c d e f g h
│ │ │ │"
	done
	refute_secret "${PART:0:1} ${PART:1:1} ${PART:2:1} ${PART:3:1}"
}

@test "hex text of a value's part (InnoDB's field cut at 30 bytes, a slice), of its UTF-16 (Node's utf16le) and of its Latin-1 bytes: each byte '**' (InnoDB's past the key's prefix), whole, written in parts or cut by the input's end; hashes and short hex pass" {
	export K=sk_live_51HqLyjWDarjtT1zdp7dcXAbCdEfGhIjKlMn PW='pässwörd-Ünïcode-2024'
	python3 -c '
import os, hashlib
k, pw = os.environ["K"], os.environ["PW"]
b = k.encode()
print("0: len 30; hex %s; asc %s;; 1: len 6; hex 000000000203; asc       ;;" % (b[:30].hex(), b[:30].decode()))
print("latin-1:", pw.encode("latin-1").hex())
print("sha256=" + hashlib.sha256(b).hexdigest(), "sha1 " + hashlib.sha1(b).hexdigest())
print("slice " + b[20:].hex().upper() + ".")' >ht.txt
	node -e 'console.log(Buffer.from(process.env.K, "utf16le").toString("hex"))' >>ht.txt
	local sums
	sums=$(sed -n 3p ht.txt)
	stars() { printf '%*s' "$1" '' | tr ' ' '*'; }
	local want
	want="0: len 30; hex 736b5f6c6976655f$(stars 44); asc sk_live_***REDACTED***;; 1: len 6; hex 000000000203; asc       ;;
latin-1: $(stars 42)
$sums
slice $(stars 48).
$(stars 176)"
	run --separate-stderr redact -e K,PW <ht.txt
	assert_success
	[ -z "$stderr" ]
	assert_output "$want"
	# the build before showed them all
	refute_output --partial 6a574461726a
	refute_output --partial 4c0079006a00
	# written in parts: inside InnoDB's hex, the UTF-16's and after
	# the slice's 12th digit
	redact_in_parts ht.txt K,PW 'hex 736b5f6c6976655f3531487' 'slice 7454317A6470' '73006b005f006c00690076'
	assert_success
	assert_output "$want"
	# cut by the input's end: what came of the UTF-16, from 12 bytes on
	run --separate-stderr bash -c 'tail -n 1 ht.txt | head -c 100 | redact -e K,PW'
	assert_success
	assert_output "$(stars 100)"
}

@test "numpy's arrays of a key's bytes and a password's characters (print() padded and wrapped, repr(), a matrix's rows): every item past the prefix starred, whole or written in parts; other arrays pass" {
	export K=sk_live_51HqLyjWDarjtT1zdp7dcXAbCdEfGhIjKlMn PW="Zq8vW3nR'5tY1uäI7oP"
	python3 -c '
import os, numpy as np
k, pw = os.environ["K"], os.environ["PW"]
b = np.frombuffer(k.encode(), np.uint8)
print(b)
print(repr(b))
print(b.reshape(2, -1))
print(repr(b.reshape(4, -1)))
print(np.frombuffer(pw.encode(), np.int8))
print(np.array(list(pw)))
print(repr(np.array(list(pw))))
print(np.array([1, 2, 3, 4]), np.array(["a", "b"]))
print(np.arange(30, 60))' >np.txt
	# N stars, SEP apart
	stars() { local i out=; for ((i = 0; i < $1; i++)); do out+="*${2- }"; done; printf %s "${out%"${2- }"}"; }
	local want
	want="[115 107  95 108 105 118 101  95 $(stars 10)
 $(stars 18)
  $(stars 8)]
array([115, 107,  95, 108, 105, 118, 101,  95, $(stars 5 ', '),
       $(stars 13 ', '),
        $(stars 13 ', '),
       $(stars 5 ', ')], dtype=uint8)
[[115 107  95 108 105 118 101  95 $(stars 10)
  $(stars 4)]
 [$(stars 18)
   $(stars 4)]]
array([[115, 107,  95, 108, 105, 118, 101,  95, $(stars 3 ', ')],
       [$(stars 11 ', ')],
       [$(stars 11 ', ')],
       [$(stars 11 ', ')]],
      dtype=uint8)
[$(stars 18)
 $(stars 2)]
['*' '*' '*' '*' '*' '*' '*' '*' \"*\" '*' '*' '*' '*' '*' '*' '*' '*' '*'
 '*']
array(['*', '*', '*', '*', '*', '*', '*', '*', \"*\", '*', '*', '*', '*',
       '*', '*', '*', '*', '*', '*'], dtype='<U1')
[1 2 3 4] ['a' 'b']
[30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53
 54 55 56 57 58 59]"
	run --separate-stderr redact -e K,PW <np.txt
	assert_success
	[ -z "$stderr" ]
	assert_output "$want"
	# written in parts: inside the first row's items, inside repr()'s
	# type ("dtype=ui"), inside a quoted character and right after a
	# row's "["
	redact_in_parts np.txt K,PW '[115 10' 'dtype=ui' "array(['Z', 'q', '8" ' [ 49 1'
	assert_success
	assert_output "$want"
}

@test "a key's bytes after a diff's mark or an index (Node's test runner on a Buffer, PHP's print_r, PyYAML's block list, minitest's diff of an Array): every byte past the prefix starred" {
	# each line read as no list before: the key's bytes showed whole
	local n=$((${#KEY} - 8)) i prefix=(115 107 95 116 101 115 116 95)
	# lines FMT: the expected lines, FMT (printf, with the index and
	# then the item) for each byte, the prefix's bytes as they are
	lines() {
		for i in "${!prefix[@]}"; do printf -- "$1\n" "$i" "${prefix[i]}"; done
		for ((i = 8; i < 8 + n; i++)); do printf -- "$1\n" "$i" '*'; done
	}
	cat >buf.test.js <<'JS'
const test = require('node:test');
const assert = require('node:assert');
test('key', () => {
	assert.deepStrictEqual(Buffer.from(process.env.KEY), Buffer.from('x'));
});
JS
	run --separate-stderr bash -c 'node --test buf.test.js | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	# the diff (+ actual, - expected), whose first lines node shows
	# (48 of the key's 63), and the YAML of the actual Buffer, an index
	# a byte
	local shown report=$output
	shown=$(grep -cE '^    \+   [0-9*]' <<<"$report")
	((shown >= 20)) || fail "the diff shows $shown of the key's bytes"
	run grep -E '^    \+   [0-9*]' <<<"$output"
	assert_output "$(lines '    +   %.0s%s,' | head -n "$shown")"
	run grep -E '^    [0-9]+: ' <<<"$(sed -n '/^  actual:/,/^  [a-z]/p' <<<"$report")"
	assert_output "$(lines '    %s: %s')"
	cat >r.php <<'PHP'
<?php
print_r(unpack("C*", getenv("KEY")));
PHP
	run --separate-stderr bash -c 'php r.php | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "Array
(
$(lines '    [%s] => %s' | awk '{ sub(/\[[0-9]+\]/, "[" NR "]") } 1')
)"
	printf '%s\n' 'import os, yaml' 'print(yaml.safe_dump({"key": list(os.environ["KEY"].encode())}), end="")' >y.py
	run --separate-stderr bash -c 'python3 y.py | redact -e KEY'
	assert_success
	assert_equal "$stderr" ''
	assert_output "key:
$(lines '- %.0s%s')"
	# minitest's diff: "+" right before the Array
	cat >k_test.rb <<'RB'
require "minitest/autorun"
class KeyTest < Minitest::Test
  def test_bytes; assert_equal [1], ENV["KEY"].bytes; end
  def test_chars; assert_equal ["x"], ENV["KEY"].chars; end
end
RB
	run --separate-stderr bash -c 'ruby k_test.rb --seed 1 | redact -e KEY'
	assert_success
	run grep -F '+[' <<<"$output"
	assert_output "+[115, 107, 95, 116, 101, 115, 116, 95, $(lines '%.0s%s' | tail -n +9 | paste -sd, | sed 's/,/, /g')]
+[\"s\", \"k\", \"_\", \"t\", \"e\", \"s\", \"t\", \"_\", $(lines '%.0s\"%s\"' | tail -n +9 | paste -sd, | sed 's/,/, /g')]"
	# a list of other numbers, signed bytes without a blank, passes
	run --separate-stderr bash -c 'printf "%s\n" "- 1" "+ 2," "3: 4" "-115" "-107" "+[1, 2]" | redact -e KEY'
	assert_success
	assert_output $'- 1\n+ 2,\n3: 4\n-115\n-107\n+[1, 2]'
}

@test "a key whose bytes hold ESC (27) twice, one with a final byte after it: its list, bytes literal, hex, xxd and Node's forms masked whole, the bytes around each ESC too" {
	# 32 bytes, base64 as stored; an ESC at 5 before 'A' (an escape
	# sequence of two bytes, which the stream reads as a colour code),
	# another at 20 before a byte past ASCII (an ESC alone). The build
	# before showed its first 6 bytes and its last 12 in the list, the
	# hex and the dump.
	export KEY=nT9h4qcbQcTpEH9asojQfjH0psUbw14LkqptF/DS5Uw=
	cat >esckey.sh <<'SCRIPT'
python3 -c '
import base64, os, sys
k = base64.b64decode(os.environ["KEY"])
print(list(k))
print(k)
print(k.hex(" "))
sys.stdout.flush()
'
python3 -c 'import base64, os, sys; sys.stdout.buffer.write(base64.b64decode(os.environ["KEY"]))' | xxd
node -e 'const k = Buffer.from(process.env.KEY, "base64"); console.log(k); console.log([...k].join(", "))'
SCRIPT
	bash esckey.sh >plain
	run cat plain
	assert_line --index 0 '[157, 63, 97, 226, 167, 27, 65, 196, 233, 16, 127, 90, 178, 136, 208, 126, 49, 244, 166, 197, 27, 195, 94, 11, 146, 170, 109, 23, 240, 210, 229, 76]'
	run --separate-stderr redact -e KEY <plain
	assert_success
	assert_equal "$stderr" ''
	local list
	list=$(printf '*, %.0s' $(seq 31))
	assert_output "[$list*]
b'***REDACTED***'
$(pair_stars 32)
00000000: **** **** **** **** **** **** **** ****  ****************
00000010: **** **** **** **** **** **** **** ****  ****************
<Buffer ***REDACTED***>
***REDACTED***"
}
