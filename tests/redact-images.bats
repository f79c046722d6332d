#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Masker images: what a load of a blob built is kept sealed in the runtime
# directory and read back by the next load of the same values; it never
# holds a value in clear, masks exactly as a build does, and is rebuilt
# when it is tampered with, stale, or for other values.

load helpers/common
bats_require_minimum_version 1.5.0

S='sk_test_4eC39HqLyjWDarjtT1zdp7dc'
DB='postgresql://user:s3cr3tP4ssw0rd@db.example.com/mydb'
PEM_BODY='MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'

# What each test starts from, made once: a test directory (home, runtime
# directory, p1.blob, input.txt) that setup copies into the test's own.
setup_file() {
	local start=$BATS_FILE_TMPDIR/start
	mkdir "$start"
	(
		BATS_TEST_TMPDIR=$start secenv_test_env
		cd "$start"
		start_files
	)
}

setup() {
	secenv_test_env
	cd "$BATS_TEST_TMPDIR"
	IMAGES="$XDG_RUNTIME_DIR/secenv-$(id -u)/images"
	cp -a "$BATS_FILE_TMPDIR/start/." "$BATS_TEST_TMPDIR/"
}

# start_files: p1's values stored, its blob fetched, and the input text
start_files() {
	vaultfetch init >/dev/null
	printf %s "$S" | vaultfetch put p1 STRIPE_SECRET_KEY
	printf %s "$DB" | vaultfetch put p1 DATABASE_URL
	printf %s "$PEM_BODY" | vaultfetch put p1 PEM_LINE
	printf %s 'abc' | vaultfetch put p1 SHORT_ONE
	vaultfetch fetch p1 >p1.blob
	# every form the masker knows, and text around them
	python3 - "$S" "$DB" "$PEM_BODY" >input.txt <<-'EOF'
		import base64, binascii, json, sys, urllib.parse
		for v in sys.argv[1:]:
		    b = v.encode()
		    print("raw", v)
		    print("b64", base64.b64encode(b).decode())
		    print("hex", binascii.hexlify(b).decode())
		    print("json", json.dumps({"k": v}))
		    print("url", urllib.parse.quote(v, safe=""))
		    print("bytes", repr(b))
		    print("piece", v[3:17])
		print("plain text stays", "byte for byte")
	EOF
	xxd p1.blob >/dev/null # xxd is there
	printf %s "$S" | xxd >>input.txt
}

# images: the names of the image files, one a line
images() {
	ls -1 "$IMAGES" 2>/dev/null || :
}

# masked FILE: input.txt through redact -b p1.blob, stdout to FILE,
# stderr to FILE.err
masked() {
	redact -b p1.blob --stats "$1.stats" <input.txt >"$1" 2>"$1.err"
}

@test "the first load writes one image, 0600, named by 64 hex digits" {
	[ -z "$(images)" ]
	masked out1
	run images
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} =~ ^[0-9a-f]{64}$ ]]
	run stat -c '%a %s' "$IMAGES/${lines[0]}"
	[[ $output == "600 "* ]]
	[ "${output#600 }" -gt 1000 ]
}

@test "the next load reads the image (not rebuilt) and masks byte for byte as a build" {
	masked out1
	local image inode
	image=$(images)
	inode=$(stat -c %i "$IMAGES/$image")
	masked out2
	SECENV_MASK_IMAGES=0 masked out0
	# read, not replaced: the same file
	[ "$(images)" = "$image" ]
	[ "$(stat -c %i "$IMAGES/$image")" = "$inode" ]
	cmp out0 out1
	cmp out0 out2
	cmp out0.err out2.err
	cmp out0.stats out2.stats
	run cat out2
	refute_secret "$S"
	refute_secret "s3cr3tP4ssw0rd"
	refute_secret "$PEM_BODY"
	assert_line 'plain text stays byte for byte'
	assert_line 'raw sk_test_***REDACTED***'
}

@test "a value too short to mask is noted again on a load from the image" {
	masked out1
	masked out2
	run cat out2.err
	assert_output 'redact: SHORT_ONE: value shorter than 6 bytes is not masked'
	cmp out1.err out2.err
	run jq -c .unmasked out2.stats
	assert_output '["SHORT_ONE"]'
}

@test "an image holds no value, no form of one, no piece of one in clear" {
	masked out1
	local f="$IMAGES/$(images)" v
	for v in "$S" "${S#sk_test_}" "s3cr3tP4ssw0rd" "$PEM_BODY" \
		"$(printf %s "$S" | base64)" "$(printf %s "$S" | xxd -p | tr -d '\n')" \
		"${S:10:12}" "${PEM_BODY:20:12}" "STRIPE_SECRET_KEY"; do
		run grep -c -F -a -- "$v" "$f"
		assert_output 0
	done
}

# aead IMAGE: the AEAD byte of an image's head (after its 21-byte magic):
# 1 XChaCha20-Poly1305, 2 AES-256-GCM
aead() {
	od -An -tu1 -j21 -N1 "$IMAGES/$1" | tr -d ' '
}

@test "an image records its AEAD; one sealed under the other is rebuilt, not read" {
	masked out1
	local first
	first=$(images)
	[ "$(head -c 21 "$IMAGES/$first")" = "secenv-mask-image 13" ]
	# AES-256-GCM where the CPU has it, as libsodium tells
	if grep -qw aes /proc/cpuinfo && grep -qw pclmulqdq /proc/cpuinfo; then
		[ "$(aead "$first")" = 2 ]
	else
		[ "$(aead "$first")" = 1 ]
	fi
	SECENV_MASK_IMAGES=xchacha20poly1305 masked out2
	cmp out1 out2
	cmp out1.err out2.err
	run images
	if [ "$(aead "$first")" = 2 ]; then
		# a second image, of its own name, sealed with XChaCha20-Poly1305
		[ "${#lines[@]}" -eq 2 ]
		local other=${lines[0]}
		[ "$other" != "$first" ] || other=${lines[1]}
		[ "$(aead "$other")" = 1 ]
	else
		[ "${#lines[@]}" -eq 1 ]
	fi
	# each is read back under its own AEAD: nothing more is written
	local before
	before=$(ls -li "$IMAGES")
	masked out3
	SECENV_MASK_IMAGES=xchacha20poly1305 masked out4
	[ "$(ls -li "$IMAGES")" = "$before" ]
	cmp out1 out3
	cmp out1 out4
	run cat out4
	refute_secret "$S"
}

@test "SECENV_MASK_IMAGES=0: nothing is written" {
	SECENV_MASK_IMAGES=0 masked out1
	[ -z "$(images)" ]
}

@test "a tampered image is not used: rebuilt and replaced, silently" {
	masked out1
	local image f inode
	image=$(images)
	f="$IMAGES/$image"
	inode=$(stat -c %i "$f")
	# one byte of the sealed content flipped
	flip_byte "$f" 5000
	masked out2
	cmp out1 out2
	cmp out1.err out2.err
	[ "$(images)" = "$image" ]
	[ "$(stat -c %i "$f")" != "$inode" ]
	# and the new one is read as it should be
	inode=$(stat -c %i "$f")
	masked out3
	[ "$(stat -c %i "$f")" = "$inode" ]
	cmp out1 out3
}

@test "another set's image under this set's name is not used" {
	printf %s 'pk_live_0therValueNotLoadedHere99' | vaultfetch put p2 OTHER
	vaultfetch fetch p2 >p2.blob
	printf 'pk_live_0therValueNotLoadedHere99\n' | redact -b p2.blob >/dev/null
	local other
	other=$(images)
	masked out1
	local mine
	mine=$(images | grep -v -x "$other")
	cp "$IMAGES/$other" "$IMAGES/$mine"
	masked out2
	cmp out1 out2
	run cat out2
	refute_secret "$S"
	cmp -s "$IMAGES/$other" "$IMAGES/$mine" && fail "the other set's image stayed"
	:
}

@test "other options make another image; each load reads its own" {
	masked out1
	redact -b p1.blob --no-encodings <input.txt >noenc1
	run images
	[ "${#lines[@]}" -eq 2 ]
	redact -b p1.blob --no-encodings <input.txt >noenc2
	SECENV_MASK_IMAGES=0 redact -b p1.blob --no-encodings <input.txt >noenc0
	cmp noenc0 noenc2
	cmp noenc1 noenc2
	# without encodings the base64 form shows: not the full image read
	grep -q -F "$(printf %s "$S" | base64)" noenc2
	run images
	[ "${#lines[@]}" -eq 2 ]
}

@test "an image older than a day is rebuilt; the oldest beyond 8 are removed" {
	masked out1
	local image f i
	image=$(images)
	f="$IMAGES/$image"
	touch -d '25 hours ago' "$f"
	for i in 1 2 3 4 5 6 7 8 9; do
		printf x >"$IMAGES/$(printf '%064d' "$i")"
		touch -d "$i minutes ago" "$IMAGES/$(printf '%064d' "$i")"
	done
	masked out2
	cmp out1 out2
	# rebuilt (new, recent), kept with the 7 newest of the others
	[ "$(stat -c %Y "$f")" -gt "$(($(date +%s) - 600))" ]
	run images
	[ "${#lines[@]}" -eq 8 ]
	assert_line "$image"
	refute_line "$(printf '%064d' 8)"
	refute_line "$(printf '%064d' 9)"
	assert_line "$(printf '%064d' 7)"
}

@test "a change of the project's values removes every image" {
	masked out1
	[ -n "$(images)" ]
	printf %s 'sk_test_aNewValueOfTwentyFourCh' | vaultfetch put p1 STRIPE_SECRET_KEY
	[ -z "$(images)" ]
	masked out1
	[ -n "$(images)" ]
	vaultfetch revoke p1
	[ -z "$(images)" ]
}

@test "secenv run: the second run reads the image and masks the same" {
	secenv_put pr STRIPE_SECRET_KEY "$S"
	cat >show.py <<-'EOF'
		import base64, os
		v = os.environ["STRIPE_SECRET_KEY"]
		print("raw", v)
		print("b64", base64.b64encode(v.encode()).decode())
		print("piece", v[9:23])
	EOF
	SECENV_MASK_IMAGES=0 secenv run -p pr -- python3 show.py >built
	[ -z "$(images)" ]
	run --separate-stderr secenv run -p pr -- python3 show.py
	assert_success
	assert_output "$(cat built)"
	assert_line --index 0 'raw sk_test_***REDACTED***'
	local image inode
	image=$(images)
	[ -n "$image" ]
	inode=$(stat -c %i "$IMAGES/$image")
	run --separate-stderr secenv run -p pr -- python3 show.py
	assert_success
	assert_output "$(cat built)"
	refute_secret "$S"
	refute_secret "${S:9:14}"
	refute_secret "$(printf %s "$S" | base64 | cut -c1-40)"
	[ "$(stat -c %i "$IMAGES/$image")" = "$inode" ]
}

@test "a runtime directory that is not private: no image, the load builds and masks as before" {
	mkdir -p "$XDG_RUNTIME_DIR/secenv-$(id -u)"
	chmod 0777 "$XDG_RUNTIME_DIR/secenv-$(id -u)"
	SECENV_MASK_IMAGES=0 masked out0
	masked out1
	cmp out0 out1
	cmp out0.err out1.err
	[ ! -e "$IMAGES" ]
}

@test "an image keeps that a value holds a character past U+00FF: its code points are masked on a load from the image as on a build" {
	printf %s $'p@ss/w0rd=\u00dc+\u00f1&"<x>~end\u20acq\U0001F600z' |
		vaultfetch put p2 WIDE
	vaultfetch fetch p2 >p2.blob
	python3 -c 'import sys; print([ord(c) for c in sys.argv[1]])' \
		$'p@ss/w0rd=\u00dc+\u00f1&"<x>~end\u20acq\U0001F600z' >codes.txt
	local stars='[*, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *, *]'
	run --separate-stderr redact -b p2.blob <codes.txt
	assert_success
	assert_output "$stars"
	[ -n "$(images)" ]
	run --separate-stderr redact -b p2.blob <codes.txt
	assert_success
	assert_output "$stars"
}

@test "a large image, sealed in chunks and opened by two threads, is read back; a flipped byte, chunks swapped or a tag cut off: rebuilt" {
	# 200 values: an image of some 1.9 MB, 8 chunks of 256 KiB
	python3 -c 'import secrets
for i in range(1, 201): print("SECRET_%03d=bench-value-%03d-%s" % (i, i, secrets.token_hex(16)))' >p2.env
	vaultfetch import p2 p2.env >/dev/null
	vaultfetch fetch p2 >p2.blob
	{
		head -c 4000 input.txt
		sed -n '1p;100p;200p' p2.env | cut -d= -f2- | python3 -c 'import base64, sys
for v in sys.stdin.read().split(): print("raw", v, "b64", base64.b64encode(v.encode()).decode())'
	} >input2.txt
	SECENV_MASK_IMAGES=0 redact -b p2.blob <input2.txt >out0 2>out0.err
	redact -b p2.blob <input2.txt >out1 2>out1.err
	local image f inode size
	image=$(images)
	f="$IMAGES/$image"
	size=$(stat -c %s "$f")
	# the head (102 bytes), the content, a tag of 16 bytes for each
	# chunk after the first
	[ "$size" -gt $((1024 * 1024)) ]
	python3 - "$f" <<-'PY'
		import sys
		data = open(sys.argv[1], "rb").read()
		n = int.from_bytes(data[94:102], "little")
		chunks = (n + 262143) // 262144
		assert chunks >= 4, chunks
		assert len(data) == 102 + n + 16 * (chunks - 1), (len(data), n)
	PY
	inode=$(stat -c %i "$f")
	redact -b p2.blob <input2.txt >out2 2>out2.err
	[ "$(stat -c %i "$f")" = "$inode" ]
	cmp out0 out1
	cmp out0 out2
	cmp out0.err out2.err
	grep -q 'raw \*\*\*REDACTED\*\*\* b64 \*\*\*REDACTED\*\*\*' out2
	# each is refused and the image rebuilt: a byte of the last chunk,
	# the first and second chunks swapped with their tags, the last
	# chunk's tag cut off (unit/redact_image_file tries each change
	# there is and each that a wrong seal would let through)
	local kind
	for kind in last-chunk swap cut; do
		cp "$f" "$BATS_TEST_TMPDIR/kept"
		python3 - "$f" "$kind" <<-'PY'
			import sys
			path, kind = sys.argv[1], sys.argv[2]
			data = bytearray(open(path, "rb").read())
			n = int.from_bytes(data[94:102], "little")
			C, H = 262144, 102
			chunks = (n + C - 1) // C
			tags = H + n
			if kind == "last-chunk":
			    data[H + n - 10] ^= 1
			elif kind == "swap":
			    first, second = data[H:H + C], data[H + C:H + 2 * C]
			    data[H:H + 2 * C] = second + first
			    tag0, tag1 = data[78:94], data[tags:tags + 16]
			    data[78:94], data[tags:tags + 16] = tag1, tag0
			elif kind == "cut":
			    del data[-16:]
			open(path, "wb").write(bytes(data))
		PY
		inode=$(stat -c %i "$f")
		redact -b p2.blob <input2.txt >out3 2>out3.err
		[ "$(stat -c %i "$f")" != "$inode" ] || fail "$kind: the image was read"
		cmp out0 out3
		cmp out0.err out3.err
		# the rebuilt one is read again
		inode=$(stat -c %i "$f")
		redact -b p2.blob <input2.txt >out4 2>/dev/null
		[ "$(stat -c %i "$f")" = "$inode" ]
		cmp out0 out4
	done
}
