#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# The conformance suite's driver: hostile values, their secret parts and
# every form of each part, computed here with Python's own encoders and
# independently of redact's code; then each form program is run once
# plainly (to prove it prints a form we model) and once through
# `secenv run` (to prove none of them gets out).
#
# The program's plain output, captured once, is also masked by `redact -b`
# (the project's sealed blob) and shown by `secenv read`: the three ways
# must let no form through and mask alike.
#
# The forms depend on the values alone, so setup computes them once for
# the file's tests (DIR/forms.pickle, indexed by their first bytes) and
# each check only reads them: it looks each position of the output up
# once instead of searching the output for each of some 130,000 forms.
#
#   driver.py setup DIR PROJECT       make the values, store them, save DIR/values.json,
#                                     their forms DIR/forms.pickle and the project's
#                                     blob DIR/project.blob
#   driver.py check DIR PROJECT CMD   run one program every way; exit 1 on a leak
#   driver.py serve DIR PROJECT PID   check each command a test asks for through
#                                     DIR's FIFOs (requests, answers), the values
#                                     and forms read once, until PID ends
#
# The values are random each run (secrets.choice, fresh RSA keys), so a
# failure may depend on them. To replay a set: SECENV_FORMS_VALUES=FILE
# makes setup take the values from FILE (a values.json an earlier setup
# saved) instead; SECENV_FORMS_FAILED=DIR makes a failing check copy its
# values.json into DIR (values-PID.json) and name the copy.
import json
import os
import re
import sys

import concurrent.futures
import gc
import pickle
import shlex
import shutil
import subprocess

# The oracle's encoders, for setup only: a check (one per test) reads the
# forms setup saved and starts quicker without them.
if sys.argv[1:2] == ["setup"]:
    import base64
    import email.header
    import email.message
    import email.quoprimime
    import html
    import html.entities
    import http.cookies
    import quopri
    import secrets
    import string
    import unicodedata
    import urllib.parse
    import uuid
    import xml.sax.saxutils

    import markupsafe
    import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_FORM = 6  # redact's default minimum length
PIECE = 12        # redact masks any 12 bytes of a part
PIECE_PART = 16   # of 16 bytes or more
CUT_TAIL_MARK = b"..."  # and its last 9 bytes after "..."
# a URL's start, as redact reads it: a scheme (a letter first), or the
# names of one joined by ":" (jdbc:mysql://), then "://"
URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?::[A-Za-z][A-Za-z0-9+.-]*)*://")
KEPT_PREFIXES = ("sk_test_",)


def random_text(alphabet, n):
    return "".join(secrets.choice(alphabet) for _ in range(n))


def pem_key(bits):
    return subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}"],
        check=True, capture_output=True, text=True).stdout.strip() + "\n"


def make_values():
    alnum = string.ascii_letters + string.digits
    cyrillic = "".join(map(chr, range(0x430, 0x450)))
    pem = pem_key(1024)
    sa_key = pem_key(512)
    key_id = secrets.token_hex(20)
    file_key_id = secrets.token_hex(20)
    sa = {
        "type": "service_account",
        "project_id": "forms-test-project",
        "private_key_id": key_id,
        "private_key": sa_key,
        "client_email": "forms@forms-test-project.iam.gserviceaccount.com",
        "client_id": "1" + random_text(string.digits, 20),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    client_secret = "GOCSPX-" + random_text(alnum, 28)
    refresh = "1//0g" + random_text(alnum + "-_", 60)
    oauth = {"type": "authorized_user", "client_id": "764086051850.apps.googleusercontent.com",
             "client_secret": client_secret, "refresh_token": refresh}
    oauth_text = json.dumps(oauth, separators=(",", ":"))
    db_password = "p@ss/w0rd!" + random_text(alnum, 8)
    jdbc_password = "Jdbc-Secr3t-" + random_text(alnum, 8)
    quoted_inner = "wrapped-secret-" + random_text(alnum, 12)
    pem = pem.rstrip("\n")  # `secenv set` keeps no final newline
    # an authenticator's seed (a TOTP secret) kept as its setup key is
    # shown to be typed: small letters in groups of four
    totp = base64.b32encode(secrets.token_bytes(20)).decode()
    values = {
        "V_TOTP": " ".join(totp[i:i + 4] for i in range(0, len(totp), 4)).lower(),
        "V_QUOTES": "a'b\"c\\d%e&f<g>h#$i~j k!l#{m}=n:o`p#@q+r=~s:~t" + random_text(alnum, 6),
        "V_UNICODE": "s\u00e9cr\u00e9t-\u00fc\u00f1\u00ee\u20ac\U0001F600-" + random_text(alnum, 8),
        "V_MULTI": "first-line-" + random_text(alnum, 10) + "\r\nsecond-line-" +
                   random_text(alnum, 10) + "\rthird-line-" + random_text(alnum, 10) +
                   "\nlast-line-" + random_text(alnum, 6),
        "V_PEM": pem,
        "V_SA": json.dumps(sa, separators=(",", ":")),
        # the key file as downloaded, pasted with its line breaks
        "V_SA_FILE": json.dumps(dict(sa, private_key_id=file_key_id), indent=2),
        "V_B64": base64.b64encode(oauth_text.encode()).decode(),
        "V_STRIPE": "sk_test_" + random_text(alnum, 24),
        # an API key of a UUID's shape (Heroku's, Consul's SecretID),
        # copied from a tool that writes upper case (.NET's "D" format
        # upper-cased, the Windows registry)
        "V_UUID": str(uuid.uuid4()).upper(),
        "V_DBURL": "postgresql://app:" + urllib.parse.quote(db_password, safe="") +
                   "@db.example.com:5432/app?sslmode=require",
        "V_JDBC": "jdbc:sqlserver://db.example.com:1433;databaseName=app;user=sa;password=" +
                  jdbc_password + ";encrypt=true",
        "V_QUOTED": '"' + quoted_inner + '"',
        # a passphrase in words past ASCII: e-mail headers write it in B
        "V_WORDS": "\u0441\u0435\u043a\u0440\u0435\u0442\u043d\u0430\u044f "
                   "\u0444\u0440\u0430\u0437\u0430 " + random_text(cyrillic, 24) +
                   " \u79d8\u5bc6\u306e\u9375 " + random_text(alnum, 8),
        # a passphrase long enough to fold, with what literals escape
        "V_PROSE": "correct horse\u00a0battery staple it's \"quoted\" back\\slash " +
                   "\u00e9t\u00e9\u200bzero-width\u0085next " + random_text(alnum, 8) +
                   " and a\ttab and\x01control words that fold over the width " +
                   random_text(alnum, 8),
    }
    encoded_password = urllib.parse.quote(db_password, safe="")
    parts = {
        # and run together, in capitals and in small letters, as the
        # programs that read it print it
        "V_TOTP": [values["V_TOTP"], totp, totp.lower()],
        "V_QUOTES": [values["V_QUOTES"]],
        "V_UNICODE": [values["V_UNICODE"]],
        "V_MULTI": [values["V_MULTI"]],
        "V_PEM": [pem],
        "V_SA": [values["V_SA"], sa_key, key_id],
        "V_SA_FILE": [values["V_SA_FILE"], sa_key, file_key_id],
        "V_B64": [values["V_B64"], oauth_text, client_secret, refresh],
        "V_STRIPE": [values["V_STRIPE"]],
        "V_UUID": [values["V_UUID"]],
        "V_DBURL": [encoded_password, db_password],
        "V_JDBC": [values["V_JDBC"], jdbc_password],
        "V_QUOTED": [values["V_QUOTED"], quoted_inner],
        "V_WORDS": [values["V_WORDS"]],
        "V_PROSE": [values["V_PROSE"]],
    }
    visible = ["service_account", sa["client_email"], "oauth2.googleapis.com/token"]
    return values, parts, visible


# ---- the forms, each with Python's own encoder where it has one ----

def base64_inner(b, alphabet_url):
    out = set()
    for align in range(3):
        enc = base64.b64encode(b"\0" * align + b)
        if alphabet_url:
            enc = enc.replace(b"+", b"-").replace(b"/", b"_")
        out.add(enc[(8 * align + 5) // 6:(8 * align + 8 * len(b)) // 6])
    return out


def literal(s, quote, high=None, digits="x"):
    out = []
    for ch in s:
        c = ord(ch)
        if ch == "\\" or ch == quote:
            out.append("\\" + ch)
        elif ch in "\t\n\r":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}[ch])
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\x{c:02x}")
        else:
            out.append(ch)
    return "".join(out)


def yaml_double(s, allow_unicode):
    named = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v",
             "\f": "f", "\r": "r", "\x1b": "e", '"': '"', "\\": "\\"}
    out = []
    for ch in s:
        c = ord(ch)
        if ch in named:
            out.append("\\" + named[ch])
        elif 0x20 <= c < 0x7F or (allow_unicode and c >= 0xA0):
            out.append(ch)
        elif c < 0x100:
            out.append(f"\\x{c:02X}")
        elif c < 0x10000:
            out.append(f"\\u{c:04X}")
        else:
            out.append(f"\\U{c:08X}")
    return "".join(out)


def py_repr(s, quote):
    """Python's repr() of s as its pieces print it: quote "'" escapes the
    apostrophe; None escapes neither quote (a piece with "'" and no '"')."""
    return "".join("\\'" if ch == "'" and quote else repr(ch)[1:-1] for ch in s)


def py_bytes_repr(s, quote):
    """Python's repr() of s's UTF-8 bytes, byte by byte as py_repr."""
    return "".join("\\'" if c == 0x27 and quote else repr(bytes([c]))[2:-1]
                   for c in s.encode("utf-8", "surrogateescape"))


def py_raw_unicode_repr(s, quote):
    """Python's repr() of s encoded with raw_unicode_escape (U+0080 to
    U+00FF one byte each, the rest \\uXXXX), byte by byte as py_repr."""
    return "".join("\\'" if c == 0x27 and quote else repr(bytes([c]))[2:-1]
                   for c in s.encode("raw_unicode_escape"))


def node_literal(s, quote):
    """util.inspect's string escapes (lib/internal/util/inspect.js's meta
    table: \\b \\t \\n \\f \\r by name, other C0 controls and U+007F to
    U+009F as \\xHH in upper case)."""
    named = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for ch in s:
        c = ord(ch)
        if ch == "\\" or ch == quote:
            out.append("\\" + ch)
        elif ch in named:
            out.append(named[ch])
        elif c < 0x20 or 0x7F <= c <= 0x9F:
            out.append(f"\\x{c:02X}")
        else:
            out.append(ch)
    return "".join(out)


def loupe(s):
    """chai's quoting of a string (loupe's lib/string.js): "'" and the code
    units of its stringEscapeChars escaped (\\b \\t \\n \\f \\r by name,
    the others as \\u00ad in lower case), a backslash as it is."""
    named = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
             "'": "\\'"}
    out = []
    for ch in s:
        c = ord(ch)
        if ch in named:
            out.append(named[ch])
        elif (c < 0x20 or 0x7F <= c <= 0x9F or c == 0xAD or 0x600 <= c <= 0x604
              or c in (0x70F, 0x17B4, 0x17B5, 0xFEFF) or 0x200C <= c <= 0x200F
              or 0x2028 <= c <= 0x202F or 0x2060 <= c <= 0x206F or 0xFFF0 <= c <= 0xFFFF):
            out.append(f"\\u{c:04x}")
        else:
            out.append(ch)
    return "".join(out)


def yaml_double_quoted(s, allow_unicode):
    """PyYAML's own double-quoted scalar, unfolded."""
    text = yaml.dump(s, default_style='"', width=10**9, allow_unicode=allow_unicode)
    return text.rstrip("\n")[1:-1]


def header_b_pieces(part):
    """The "B" encoded words of an e-mail header, for a part that
    email.header or email.policy writes (partly) in B: each word encodes
    its own stretch of the part afresh, so each PIECE bytes of the part
    show as base64 at one of the three alignments."""
    b = part.encode("utf-8", "surrogateescape")
    stripped = part.strip(" \t\r\n")
    if (len(b) < PIECE_PART or stripped[:1] in "{[" or
            URL_START.match(stripped)):
        return set()
    message = email.message.EmailMessage()
    message["Subject"] = " ".join(part.splitlines())  # a header has no line breaks
    if (not email.header.Header(part, "utf-8").encode().startswith("=?utf-8?b?") and
            "?b?" not in message.as_string()):
        return set()
    width = PIECE * 4 // 3
    return {inner[i:i + width] for inner in base64_inner(b, False)
            for i in range(len(inner) - width + 1)}


def base64_windows(part):
    """Any 16 characters in a row of the standard base64 of a part that
    gives pieces, after its kept type prefix, at each alignment (12 bytes
    of it): a dump cuts an Authorization: Basic header over its lines
    (curl --trace, 16 a line, as text and as hex bytes joined by blanks;
    --trace-ascii, 64 a line)."""
    for prefix in KEPT_PREFIXES:
        if part.startswith(prefix):
            part = part[len(prefix):]
    b = part.encode("utf-8", "surrogateescape")
    if len(b) < PIECE_PART or not gives_pieces(part):
        return set()
    width = PIECE * 4 // 3
    windows = {inner[i:i + width] for inner in base64_inner(b, False)
               for i in range(len(inner) - width + 1)}
    return windows | {w.hex(" ").encode() for w in windows}


def literal_forms(part):
    """The string literals a value is printed in that programs fold over
    lines or cut (pprint, PyYAML, util.inspect, textwrap)."""
    s = part
    forms = {s, py_repr(s, "'"), py_repr(s, None), ascii(s)[1:-1],
             py_bytes_repr(s, "'"), py_bytes_repr(s, None),
             py_raw_unicode_repr(s, "'"), py_raw_unicode_repr(s, None),
             node_literal(s, "'"), node_literal(s, '"'), node_literal(s, "`"),
             yaml_double_quoted(s, False), yaml_double_quoted(s, True),
             s.replace("'", "''"), s.replace('"', '""'),
             email.quoprimime.header_encode(s.encode("utf-8", "surrogateescape"),
                                            "utf-8")[len("=?utf-8?q?"):-2]}
    return {f.encode("utf-8", "surrogateescape") for f in forms}




def url_forms(part, urls):
    """What a WHATWG URL (Node's) encodes of a part in its fragment,
    query or path: each text whole, and for a part that gives pieces
    any PIECE bytes of its fragment and query texts (its PEM armour
    lines left out) after its kept type prefix (a value with "#" put in
    a query goes on in the fragment; the parser drops a tab or a line
    break), but those holding a quote character."""
    whole, unarmoured = urls
    out = {u.encode("utf-8", "surrogateescape") for u in whole}
    b = part.encode("utf-8", "surrogateescape")
    if len(b) < PIECE_PART or not gives_pieces(part):
        return {f for f in out if len(f) >= MIN_FORM}
    # the path is masked whole: its pieces are the query's and the fragment's
    for form in {u.encode("utf-8", "surrogateescape") for u in unarmoured[:3]}:
        for prefix in KEPT_PREFIXES:
            if form.startswith(prefix.encode()):
                form = form[len(prefix):]
        out |= {form[i:i + PIECE] for i in range(len(form) - PIECE + 1)
                if not any(q in form[i:i + PIECE] for q in b"'\"`")}
    return {f for f in out if len(f) >= MIN_FORM}


def windows_of(part):
    """Every PIECE bytes of each line of each literal form of a part long
    enough, after its kept type prefix; PEM armour lines and JSON text
    (whose leaves are parts) give none."""
    out = set()
    stripped = part.strip(" \t\r\n")
    if len(stripped.encode()) < PIECE_PART or stripped[:1] in "{[":
        return out
    for prefix in KEPT_PREFIXES:
        if part.startswith(prefix):
            part = part[len(prefix):]
    if URL_START.match(stripped):
        return out  # a URL's pieces are its password's
    raw = part.encode("utf-8", "surrogateescape")
    for form in literal_forms(part):
        for line in form.replace(b"\r", b"\n").split(b"\n"):
            line = line.strip(b" \t")
            if line.startswith(b"-----") or len(line) < PIECE_PART:
                continue
            windows = {line[i:i + PIECE] for i in range(len(line) - PIECE + 1)}
            if form != raw:
                # a literal's pieces hold no quote: it may be its delimiter
                windows = {w for w in windows if not any(q in w for q in b"'\"`")}
            out |= windows
            # the end of each stretch between quotes after "..." (of the
            # two ends reprlib and pytest keep), as long as makes a
            # window with the dots
            stretches = [line] if form == raw else re.split(rb"['\"`]", line)
            out |= {CUT_TAIL_MARK + st[-(PIECE - len(CUT_TAIL_MARK)):]
                    for st in stretches if len(st) >= PIECE}
    return out


def backslashed(b, quoted):
    """b with a backslash before each byte quoted(c) says: the functions
    that quote a text for a regular expression, and addslashes()."""
    return b"".join(b"\\" + bytes([c]) if quoted(c) else bytes([c]) for c in b)


def regex_forms(s):
    """A part quoted for a regular expression (Python's re.escape, Perl's
    quotemeta of bytes, PHP's preg_quote with and without "/", the
    escapeRegExp of MDN and lodash, and a RegExp's source, which escapes
    "/"; Ruby's Regexp.escape, and a Regexp's inspect, which escapes "/";
    PHP's quotemeta),
    each also in a string literal (backslashes doubled, no quote or
    one quote escaped: repr() of re.compile(), JSON); and PHP's
    addslashes()."""
    b = s.encode("utf-8", "surrogateescape")
    word = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
    quoted = [re.escape(s).encode("utf-8", "surrogateescape"),
              backslashed(b, lambda c: c not in word),
              backslashed(b, lambda c: c in b".\\+*?[^]$(){}=!<>|:-#"),
              backslashed(b, lambda c: c in b".\\+*?[^]$(){}=!<>|:-#/"),
              backslashed(b, lambda c: c in b".*+?^${}()|[]\\"),
              backslashed(b, lambda c: c in b".*+?^${}()|[]\\/"),
              ruby_regexp_escape(s, False).encode("utf-8", "surrogateescape"),
              ruby_regexp_escape(s, True).encode("utf-8", "surrogateescape"),
              backslashed(b, lambda c: c in b".\\+*?[^]$()")]
    out = {backslashed(b, lambda c: c in b"'\"\\")}
    for q in quoted:
        out.add(q)
        for quote in (b"", b"'", b'"'):
            out.add(backslashed(q, lambda c: c == 0x5c or (quote != b"" and c == quote[0])))
    return out


RUBY_NAMED = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e"}


def ruby_literal(s, how):
    """Ruby's String#inspect of a UTF-8 string (how "inspect"), its #dump
    ("dump"), and either of a binary string ("bytes": an ENV value under
    the C locale, String#b): " and \\ backslashed, # too before {, $ or @;
    controls by name or in hex (\\u0001 in a UTF-8 string's inspect); past
    ASCII as it is but C1 controls (U+0085 aside), U+2028 and U+2029,
    as \\u00FC (\\u{1F600}), or each byte as \\xC3."""
    units = (list(s.encode("utf-8", "surrogateescape")) if how == "bytes"
             else [ord(ch) for ch in s])
    out = []
    for i, c in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        if c in (0x22, 0x5C) or (c == 0x23 and nxt in (0x7B, 0x24, 0x40)):
            out.append("\\" + chr(c))
        elif c in RUBY_NAMED:
            out.append("\\" + RUBY_NAMED[c])
        elif c < 0x20 or c == 0x7F:
            out.append(("\\u%04X" if how == "inspect" else "\\x%02X") % c)
        elif c < 0x80:
            out.append(chr(c))
        elif how == "bytes":
            out.append("\\x%02X" % c)
        elif how == "dump":
            out.append("\\u%04X" % c if c < 0x10000 else "\\u{%X}" % c)
        elif (c < 0xA0 and c != 0x85) or c in (0x2028, 0x2029):
            out.append("\\u%04X" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def go_quote(s, ascii_only):
    """Go's strconv.Quote (%q) and, ascii_only, QuoteToASCII (%+q): " and
    \\ backslashed, \\a \\b \\f \\n \\r \\t \\v by name, other controls as
    \\x01; past ASCII as it is where unicode.IsPrint (letters, marks,
    numbers, punctuation, symbols), else \\u00a0 or \\U0001f600."""
    named = {7: "a", 8: "b", 12: "f", 10: "n", 13: "r", 9: "t", 11: "v"}
    out = []
    for ch in s:
        c = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif c in named:
            out.append("\\" + named[c])
        elif c < 0x20 or c == 0x7F:
            out.append("\\x%02x" % c)
        elif c < 0x80 or (not ascii_only and go_prints(ch)):
            out.append(ch)
        else:
            out.append("\\u%04x" % c if c < 0x10000 else "\\U%08x" % c)
    return "".join(out)


def go_prints(ch):
    """unicode.IsPrint as the forms model it: ASCII, letters, marks,
    numbers, punctuation, symbols."""
    return ord(ch) < 0x80 or unicodedata.category(ch)[0] in "LMNPS"


def go_js_escape(s):
    """Go's template.JSEscapeString ({{js}}): \\ ' " backslashed; < > & =
    and controls as \\u003C (upper case); past ASCII as it is where
    unicode.IsPrint, else \\u00A0 (the rune in %04X)."""
    def one(ch):
        if ch in "\\'\"":
            return "\\" + ch
        if ch in "<>&=" or ord(ch) < 0x20 or not go_prints(ch):
            return "\\u%04X" % ord(ch)
        return ch
    return "".join(map(one, s))


def gson(s):
    """Gson's toJson of a string, HTML-safe (its default): " and \\
    backslashed, \\b \\t \\n \\f \\r by name, other controls and < > & = '
    and U+2028, U+2029 as \\u003c (lower case), the rest as it is."""
    named = {8: "b", 9: "t", 10: "n", 12: "f", 13: "r"}

    def one(ch):
        if ch in '"\\':
            return "\\" + ch
        if ord(ch) in named:
            return "\\" + named[ord(ch)]
        if ord(ch) < 0x20 or ch in "<>&='" or ord(ch) in (0x2028, 0x2029):
            return "\\u%04x" % ord(ch)
        return ch
    return "".join(map(one, s))


def go_js_string(s, regexp):
    """Go's html/template in a script's string ('{{.}}', jsStrEscaper)
    and, regexp, in its regular expression literal (/{{.}}/,
    jsRegexpEscaper: $ ( ) * - . ? [ ] ^ { | } backslashed too, ` left):
    \\ backslashed, / as \\/, \\t \\n \\f \\r by name, other controls,
    " ' ` & + < > and U+2028, U+2029 as \\u0022 (lower case), the rest as
    it is."""
    named = {9: "t", 10: "n", 12: "f", 13: "r"}

    def one(ch):
        if ch in "\\/" or (regexp and ch in "$()*-.?[]^{|}"):
            return "\\" + ch
        if ord(ch) in named:
            return "\\" + named[ord(ch)]
        if (ord(ch) < 0x20 or ch in "\"'&+<>" or (ch == "`" and not regexp)
                or ord(ch) in (0x2028, 0x2029)):
            return "\\u%04x" % ord(ch)
        return ch
    return "".join(map(one, s))


def go_unquoted_attribute(s):
    """Go's html/template in an unquoted attribute (<input value={{.}}>,
    htmlNospaceEscaper): & < > as &amp; &lt; &gt;, " ' + = ` a blank and
    \\t \\n \\v \\f \\r as &#34; &#39; &#43; &#61; &#96; &#32; &#9;...
    (its &#xfdd0; for the noncharacters is no form: no value holds one)."""
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(named.get(ch) or ("&#%d;" % ord(ch) if ch in "\"'+=` \t\n\v\f\r" else ch)
                   for ch in s)


def django_escapejs(s):
    """Django's escapejs filter: \\ ' " < > & = - ; ` every control and
    U+2028, U+2029 as \\u005C (upper case), the rest as it is."""
    return "".join("\\u%04X" % ord(ch)
                   if ch in "\\'\"<>&=-;`" or ord(ch) < 0x20 or ord(ch) in (0x2028, 0x2029)
                   else ch for ch in s)


def serialize_javascript(s):
    """serialize-javascript's string: JSON.stringify's (json.dumps' without
    ensure_ascii), then < > / as \\u003C \\u003E \\u002F and U+2028,
    U+2029 as \\u2028."""
    text = json.dumps(s, ensure_ascii=False)[1:-1]
    for ch in "<>/\u2028\u2029":
        text = text.replace(ch, "\\u%04X" % ord(ch))
    return text


def rust_escape(s, how):
    """Rust's {:?} of a str (how "debug"), str::escape_debug ("escape",
    ' escaped too) and escape_default ("default"): \\ and " backslashed,
    \\0 (not by escape_default) \\t \\r \\n by name; other controls and
    what is not printable (str.isprintable()'s test) as \\u{a0};
    escape_default: all but printable ASCII, and ' too."""
    out = []
    for ch in s:
        c = ord(ch)
        if ch in '\\"' or (ch == "'" and how != "debug"):
            out.append("\\" + ch)
        elif ch == "\0" and how != "default":
            out.append("\\0")
        elif ch in "\t\r\n":
            out.append({"\t": "\\t", "\r": "\\r", "\n": "\\n"}[ch])
        elif (0x20 <= c < 0x7F) if how == "default" else ch.isprintable():
            out.append(ch)
        else:
            out.append("\\u{%x}" % c)
    return "".join(out)


def perl_quotemeta_chars(parts):
    """Perl's quotemeta of each part's characters (a character string,
    decoded), by the installed perl itself: which characters past ASCII
    it quotes is its Unicode tables'. A dict, part to its quoting."""
    script = ('binmode STDIN, ":utf8"; binmode STDOUT, ":utf8"; local $/ = "\\0"; '
              'while (my $s = <STDIN>) { chomp $s; print quotemeta($s), "\\0" }')
    data = "".join(p + "\0" for p in parts).encode("utf-8", "surrogateescape")
    out = subprocess.run(["perl", "-e", script], input=data, check=True,
                         stdout=subprocess.PIPE).stdout
    return dict(zip(parts, out.decode("utf-8", "surrogateescape").split("\0")))


def coreutils_quoting(texts):
    """coreutils' shell-escape quoting of each text (cat's and ls's
    messages, printf %q), by the installed /usr/bin/printf itself under
    the C locale and in UTF-8: what stands between its first quote and
    its last, where it splices $'..' escapes in ('p'$'\\303\\244''ssw').
    A dict, text to a set of its quotings."""
    out = {t: set() for t in texts}
    if not texts:
        return out
    args = [t.encode("utf-8", "surrogateescape") for t in texts]
    for locale in ("C", "C.UTF-8"):
        lines = subprocess.run(["/usr/bin/printf", "%q\\n"] + args, check=True,
                               stdout=subprocess.PIPE,
                               env=dict(os.environ, LC_ALL=locale)).stdout.split(b"\n")
        for text, q in zip(texts, lines):
            if b"$'" in q:
                out[text].add(q[1:-1])
    return out


def ruby_shellescape(s, chars):
    """Ruby's Shellwords.escape: a backslash before each character (of a
    UTF-8 string) or byte (of a binary one) but A-Z a-z 0-9 _-.,:+/@, a
    line break quoted as '\\n'."""
    units = ([ch.encode("utf-8", "surrogateescape") for ch in s] if chars
             else [bytes([c]) for c in s.encode("utf-8", "surrogateescape")])
    plain = (string.ascii_letters + string.digits + "_-.,:+/@").encode()
    return b"".join(b"'\n'" if u == b"\n" else u if u[0] in plain and len(u) == 1
                    else b"\\" + u for u in units)


def ruby_regexp_escape(s, slash):
    """Ruby's Regexp.escape (\\t \\n \\r \\f \\v by name); slash: as a
    Regexp's inspect shows it, / escaped."""
    special = "[]{}()|-*.\\?+^$# \t\n\r\f\v" + ("/" if slash else "")
    named = {"\t": "t", "\n": "n", "\r": "r", "\f": "f", "\v": "v"}
    return "".join("\\" + named.get(ch, ch) if ch in special else ch for ch in s)


def octal(b, escaped, named, minimal, high_octal):
    names = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e"}
    out = bytearray()
    for i, c in enumerate(b):
        nxt = b[i + 1] if i + 1 < len(b) else 0
        if c == 0x5C or chr(c) in escaped:
            out += b"\\" + bytes([c])
        elif c in names and names[c] in named:
            out += b"\\" + names[c].encode()
        elif c < 0x20 or c == 0x7F or (c >= 0x80 and high_octal):
            width = 1 if minimal and not (0x30 <= nxt <= 0x39) else 3
            out += b"\\" + format(c, "o").zfill(width).encode()
        else:
            out.append(c)
    return bytes(out)


def cat_v(b, tabs=False):
    """cat -v: ^X for a control but tab and LF, ^? for DEL, M- before a
    byte past ASCII, then its low seven bits the same way; tabs (cat -A,
    -T): a tab as ^I too."""
    out = bytearray()
    for c in b:
        high = c >= 0x80
        if high:
            out += b"M-"
            c &= 0x7F
        if c == 0x7F:
            out += b"^?"
        elif c < 0x20 and (high or (c != 10 and (c != 9 or tabs))):
            out += b"^" + bytes([c + 0x40])
        else:
            out.append(c)
    return bytes(out)


def perl_chars(s):
    names = {7: "a", 8: "b", 9: "t", 10: "n", 12: "f", 13: "r", 27: "e"}
    out = []
    for i, ch in enumerate(s):
        c, nxt = ord(ch), s[i + 1] if i + 1 < len(s) else ""
        if ch in '\\"$@':
            out.append("\\" + ch)
        elif c in names:
            out.append("\\" + names[c])
        elif c < 0x20 or c == 0x7F:
            out.append("\\" + format(c, "o").zfill(3 if nxt.isdigit() else 1))
        elif c >= 0x80:
            out.append("\\x{%x}" % c)
        else:
            out.append(ch)
    return "".join(out)


def perl_carp(units):
    """Carp's format_arg of a string (confess's and cluck's stack trace):
    " \\ $ @ backslashed, all but printable ASCII as \\x{9}, \\x{c3}; of
    bytes or of characters (units: a bytes or a str)."""
    out = []
    for c in (units if isinstance(units, bytes) else map(ord, units)):
        if chr(c) in '"\\$@':
            out.append("\\" + chr(c))
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x{%x}" % c)
    return "".join(out)


def properties(s, ascii_only):
    out = []
    for i, ch in enumerate(s):
        c = ord(ch)
        if ch in "\\:=!#" or (ch == " " and i == 0):
            out.append("\\" + ch)
        elif ch in "\t\n\r\f":
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}[ch])
        elif ascii_only and (c < 0x20 or c > 0x7E):
            units = ch.encode("utf-16-be")
            out.extend("\\u%04X" % int.from_bytes(units[k:k + 2], "big")
                       for k in range(0, len(units), 2))
        else:
            out.append(ch)
    return "".join(out)


def printf_q(s):
    """bash's printf %q in a UTF-8 locale for a value without controls:
    # is quoted first, ~ where a tilde expands (first, after = or :)."""
    plain = string.ascii_letters + string.digits + "%+-./:=@_"
    return "".join(ch if ch in plain or ord(ch) >= 0x80 or
                   (ch == "#" and i > 0) or (ch == "~" and i > 0 and s[i - 1] not in "=:")
                   else "\\" + ch for i, ch in enumerate(s))


def form_urlencoded(s):
    out = []
    for byte in s.encode():
        ch = chr(byte)
        if ch.isascii() and (ch.isalnum() or ch in "*-._"):
            out.append(ch)
        elif ch == " ":
            out.append("+")
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def xml_references(s, fmt):
    return "".join(ch if ch.isascii() and ch.isalnum() else fmt % ord(ch) for ch in s)


def named_references(chars, php):
    """HTML 4.01's named references where a character has one: PHP's
    htmlentities() (' as &#039;, the rest as it is), or Perl's
    HTML::Entities encode_entities() (' as &#39;, controls but tab and
    line breaks, DEL and the rest past ASCII as &#N; below 256, &#xH;
    from there); chars: a str, or a value's bytes read as Latin-1."""
    names = html.entities.codepoint2name
    out = []
    for ch in chars:
        c = ord(ch)
        if ch == "'":
            out.append("&#039;" if php else "&#39;")
        elif c in names:
            out.append("&%s;" % names[c])
        elif not php and ((c < 0x20 and ch not in "\t\n\r") or c >= 0x7f):
            out.append("&#%d;" % c if c < 256 else "&#x%X;" % c)
        else:
            out.append(ch)
    return "".join(out)


def hex_references(s, unsafe):
    """Perl's HTML::Entities::encode_entities_numeric (unsafe '"&\'<>'),
    he.encode (the backtick too): those, controls but tab and line
    breaks, DEL and past ASCII as &#xHH; in upper case."""
    return "".join("&#x%X;" % ord(ch)
                   if ch in unsafe or ord(ch) >= 0x7f or (ord(ch) < 0x20 and ch not in "\t\n\r")
                   else ch for ch in s)


def php_json_hex(s, unescaped):
    """PHP's json_encode with JSON_HEX_QUOT, _APOS, _TAG and _AMP (Laravel's
    @json): those five as \\u00XX in upper case; past ASCII as \\uXXXX in
    lower case and / as \\/, or neither (JSON_UNESCAPED_UNICODE and
    _SLASHES)."""
    text = json.dumps(s, ensure_ascii=not unescaped)[1:-1].replace('\\"', '"')
    for ch in "\"'<>&":
        text = text.replace(ch, "\\u%04X" % ord(ch))
    return text if unescaped else text.replace("/", "\\/")


def java_uri_userinfo(b, high_raw):
    """java.net.URI's constructors quoting a userinfo (RFC 2396's marks and
    ;:&=+$, left): bytes past ASCII as they are in toString(), encoded in
    toASCIIString()."""
    safe = b"-._~!*'();:&=+$,"
    return b"".join(bytes([c]) if (c < 0x80 and (chr(c).isalnum() or c in safe)) or
                    (high_raw and c >= 0x80) else b"%%%02X" % c for c in b)


def gives_pieces(part):
    """Whether redact masks pieces of a part: not JSON text (its leaves
    are parts) and not a URL (its password is)."""
    stripped = part.strip(" \t\r\n")
    return not (stripped[:1] in "{[" or URL_START.match(stripped))


def forms_of(part, pieces=True):
    """Every form of a part; pieces: whether the B words' pieces count
    (not for a line of JSON text or of a URL)."""
    b = part.encode("utf-8", "surrogateescape")
    s = part
    f = {b}
    f |= base64_inner(b, False) | base64_inner(b, True)
    f |= {b.hex().encode(), b.hex().upper().encode(), b.hex(" ").encode(),
          b.hex(":").encode(), b.hex(" ").upper().encode(), b.hex(":").upper().encode()}
    f |= {",".join(map(str, b)).encode(), ", ".join(map(str, b)).encode(),
          " ".join(map(str, b)).encode(), b.hex("-").upper().encode()}
    # Java's signed bytes (Arrays.toString), Node's Int8Array
    f.add(", ".join(str(c - 256 if c > 127 else c) for c in b).encode())
    # Gson's byte[]: signed, joined by ","
    f.add(",".join(str(c - 256 if c > 127 else c) for c in b).encode())
    # pprint of the list of bytes, narrow: one number a line (any 4 in a
    # row), or compact (any 6 in a row)
    f |= {",\n ".join(map(str, b[i:i + 4])).encode() for i in range(len(b) - 3)}
    # json.dumps(indent=2) and util.inspect with compact false: one
    # number a line, indented 2 or 4 (the first three may show)
    for indent in (2, 4):
        f |= {(",\n" + " " * indent).join(map(str, b[i:i + 4])).encode()
              for i in range(len(b) - 3)}
    f |= {", ".join(map(str, b[i:i + 6])).encode() for i in range(len(b) - 5)}
    # base32 of the value on its own: the characters of its bits alone
    f.add(base64.b32encode(b)[:len(b) * 8 // 5])
    texts = {
        urllib.parse.quote(s, safe=""), urllib.parse.quote(s), urllib.parse.quote_plus(s, safe=""),
        urllib.parse.quote(s, safe="-_.!~*'()"), urllib.parse.quote(s, safe="!#$&'()*+,/:;=?@"),
        urllib.parse.quote(s, safe="!$%&'()*+,"), form_urlencoded(s),
        # Node's legacy url.format of a userinfo: encodeURIComponent, ":" kept
        urllib.parse.quote(s, safe="-_.!~*'():"),
        literal(s, "'"), literal(s, '"'), literal(s, "`"), loupe(s),
        ascii(s)[1:-1], repr(b)[2:-1],
        json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1],
        json.dumps(json.dumps(s))[3:-3], json.dumps(json.dumps(s, ensure_ascii=False),
                                                    ensure_ascii=False)[3:-3],
        yaml_double(s, False), yaml_double(s, True), s.replace("'", "''"), s.replace('"', '""'),
        html.escape(s), html.escape(s, quote=False), str(markupsafe.escape(s)),
        # Go's html/template, in text and attributes: a "+" too;
        # mustache.js: "/", "`" and "=" too; Underscore's escape: "`"
        html.escape(s, quote=False).replace('"', "&#34;").replace("'", "&#39;").replace(
            "+", "&#43;"),
        html.escape(s, quote=False).replace('"', "&quot;").replace("'", "&#39;").replace(
            "/", "&#x2F;").replace("`", "&#x60;").replace("=", "&#x3D;"),
        html.escape(s).replace("`", "&#x60;"),
        # Rack 2's escape_html: "/" too
        html.escape(s).replace("/", "&#x2F;"),
        html.escape(s).encode("ascii", "xmlcharrefreplace").decode(),
        str(markupsafe.escape(s)).encode("ascii", "xmlcharrefreplace").decode(),
        xml.sax.saxutils.escape(s, {'"': "&quot;", "\n": "&#10;"}),
        xml.sax.saxutils.escape(s, {'"': "&quot;", "\n": "&#10;"}).encode(
            "ascii", "xmlcharrefreplace").decode(),
        xml_references(s, "&#%d;"), xml_references(s, "&#x%x;"),
        hex_references(s, "\"&'<>"), hex_references(s, "\"&'<>`"),
        php_json_hex(s, False), php_json_hex(s, True),
        *((named_references(s, True), named_references(s, False),
           named_references(b.decode("latin-1"), False)) if not s.isascii() else ()),
        shlex.quote(s).strip("'"), s.replace("'", "'\\''"),
        # SQLAlchemy's URL: ":", "@" and "/" alone encoded
        re.sub(r"[:@/]", lambda m: "%%%X" % ord(m.group(0)), s),
        # valgrind's "Command:" line: a blank, \\, < and > backslashed
        "".join("\\" + ch if ch in " \\<>" else ch for ch in s),
        # git's sq_quote_buf (GIT_TRACE's argv, rev-parse --sq-quote)
        s.replace("'", "'\\''").replace("!", "'\\!'"),
        "".join("\\" + ch if ch in '\\"$`' else ch for ch in s),
        s.replace("\\", "\\\\").replace("'", "\\'"), printf_q(s),
        perl_chars(s), perl_carp(b), perl_carp(s), properties(s, True), properties(s, False),
        ruby_literal(s, "inspect"), ruby_literal(s, "dump"), ruby_literal(s, "bytes"),
        go_quote(s, False), go_quote(s, True), go_js_escape(s), gson(s),
        # Go's html/template in a script's string, its regular
        # expression and an unquoted attribute; Django's escapejs;
        # serialize-javascript (webpack's, Next's, Nuxt's page state)
        go_js_string(s, False), go_js_string(s, True), go_unquoted_attribute(s),
        django_escapejs(s), serialize_javascript(s),
        rust_escape(s, "debug"), rust_escape(s, "escape"), rust_escape(s, "default"),
        # yarl's query value (a blank as +) and path; axios's params;
        # encodeURIComponent's text in a URL's query (' again)
        urllib.parse.quote(s, safe="-._~!$'()*,?/:@").replace("%20", "+"),
        urllib.parse.quote(s, safe="-._~!$'()*,;=&@:"),
        urllib.parse.quote(s, safe="-_.!~*'():$,[]").replace("%20", "+"),
        urllib.parse.quote(s, safe="-_.!~*()"),
        # Go's net/url: PathEscape, a URL's path, userinfo and fragment
        urllib.parse.quote(s, safe="$&+:=@"), urllib.parse.quote(s, safe="$&+,/:;=@"),
        urllib.parse.quote(s, safe="$&+,;="), urllib.parse.quote(s, safe="$&+,/:;=?@!()*"),
    }
    # JSON text inside HTML (Jinja2's, Django's or ERB's escaping of a
    # JSON string, jq's @html), inside a URL (quote, urlencode,
    # encodeURIComponent or URLSearchParams of it) and inside a string
    # literal (its backslashes doubled, a quote escaped or none: repr()
    # of a JSON body; or a quote doubled: SQL, YAML, CSV), where JSON
    # changed it
    for j in {json.dumps(s)[1:-1], json.dumps(s, ensure_ascii=False)[1:-1]} - {s}:
        texts |= {html.escape(j), html.escape(j, quote=False), str(markupsafe.escape(j)),
                  urllib.parse.quote(j, safe=""), urllib.parse.quote_plus(j, safe=""),
                  urllib.parse.quote(j, safe="-_.!~*'()"), form_urlencoded(j),
                  literal(j, None), literal(j, "'"), literal(j, '"'),
                  j.replace("'", "''"), j.replace('"', '""')}
    # Go's encoding/json (< > & as \\u003c) inside a string literal: an
    # error's %q of a body, JSON inside JSON, repr()
    if any(ch in s for ch in "<>&"):
        j = json.dumps(s, ensure_ascii=False)[1:-1].replace("<", "\\u003c").replace(
            ">", "\\u003e").replace("&", "\\u0026")
        texts |= {literal(j, None), literal(j, "'"), literal(j, '"')}
    # percent-encoded, then encoded again: a URL that holds the value
    # (a DSN's password, quote()d or put by a URL library) carried in
    # another URL's query or a form, or an encoder called twice
    firsts = {urllib.parse.quote(s, safe=""), urllib.parse.quote_plus(s, safe=""),
              urllib.parse.quote(s), urllib.parse.quote(s, safe="-_.!~*'()"),
              urllib.parse.quote(s, safe="!$%&'()*+,"), form_urlencoded(s),
              urllib.parse.quote(s, safe="$&+,;="), java_uri_userinfo(b, False).decode()}
    for first in firsts:
        texts |= {urllib.parse.quote(first, safe=""), urllib.parse.quote(first),
                  urllib.parse.quote(first, safe="-_.!~*'()"), form_urlencoded(first)}
    # a repr() of the str and of its bytes escaped for HTML (a debug
    # page's locals: Django, Werkzeug)
    for lit in {repr(s)[1:-1], repr(b)[2:-1]} - {s}:
        texts |= {html.escape(lit), str(markupsafe.escape(lit))}
    # str() of its bytes in a string literal: JSON's, repr()'s
    if "\\" in repr(b)[2:-1]:
        texts |= {json.dumps(repr(b)[2:-1])[1:-1], repr(repr(b)[2:-1])[1:-1]}
    f |= {t.encode("utf-8", "surrogateescape") for t in texts}
    f |= {octal(b, "'", "abtnvfre", False, True), octal(b, "'", "abtnvfre", False, False),
          octal(b, '"', "tnvfr", True, True), octal(b, '"$@', "abtnfre", True, True),
          octal(b, "", "abfnrtv", False, True),  # sed -n l
          octal(b, "\"'", "tnr", False, True)}  # protobuf's text format
    f |= {s.encode("utf-16-le"), s.encode("utf-16-be"), quopri.encodestring(b)}
    f |= literal_forms(s) | (header_b_pieces(s) if pieces else set())
    f |= regex_forms(s)
    f |= {ruby_shellescape(s, True), ruby_shellescape(s, False)}
    # the unicode_escape codec; a cookie's value as http.cookies quotes
    # it; Node's toString("ascii"), each byte's high bit unset
    f.add(s.encode("unicode_escape"))
    if http.cookies._quote(s) != s:
        f.add(http.cookies._quote(s)[1:-1].encode("utf-8", "surrogateescape"))
    if not s.isascii():
        f.add(bytes(c & 0x7f for c in b))
    # strace -x (a string with a byte past printable ASCII) and -xx
    f.add("".join("\\x%02x" % c for c in b).encode())
    f |= {java_uri_userinfo(b, False), java_uri_userinfo(b, True)}
    f.add(b.decode("latin1").encode())  # mojibake: UTF-8 read as Latin-1
    if not s.isascii():
        # and escaped: JSON's \u00c3 (Perl's ascii JSON of bytes), repr()
        # ('Ã\x9f'), libyaml's double quotes (YAML::XS of bytes: Ã\x9F)
        moji = b.decode("latin1")
        f |= {json.dumps(moji)[1:-1].encode(), repr(moji)[1:-1].encode(),
              yaml_double(moji, True).encode()}
    try:  # and as Windows-1252 (a byte it has no character for: none)
        f.add(b.decode("cp1252").encode())
    except UnicodeDecodeError:
        pass
    f |= {cat_v(b), cat_v(b, True)}
    # base64 wrapped at 76 (MIME, PyYAML's !!binary), 68 (plistlib) and
    # 64 (PEM): each line of the characters that depend on the value alone
    whole = base64.b64encode(b)[:len(b) * 8 // 6]
    for width in (76, 68, 64):
        if len(whole) > width:
            f |= {whole[i:i + width] for i in range(0, len(whole), width)
                  if len(whole[i:i + width]) >= PIECE}
    if len(b) > 50:  # util.inspect shows a Buffer's first 50 bytes
        f.add(b[:50].hex(" ").encode() + b" ...")
    if len(b) > 100:  # and an ArrayBuffer's first 100
        f.add(b[:100].hex(" ").encode() + b" ...")
    return {x for x in f if len(x) >= MIN_FORM}


def list_forms(part, others):
    """Lists of byte values, for each line of a part after its kept type
    prefix: one number a line indented deeper than 4 (json.dumps and
    util.inspect nested, pprint after a dict's key), any 5 in a row, and
    xxd -i's "0x73, 0x6b", "0x73 0x6b" (Go's % #x) and lists of hex
    strings ('73', '0x73', "73"),
    any 4 in a row (the first bytes may show, the
    first on a key's line and three more); od -x and hexdump's 16-bit
    words (each byte pair swapped, at both alignments, and hexdump -x's
    wider columns), od -X and xxd -e's 4-byte and od -t x8's 8-byte words,
    bits (xxd -b) and od -t u1 and
    -t d1's decimal fields of any 12 bytes of a line of a part that gives
    pieces. A window another value also
    holds (a host name) is that value's text too: not counted."""
    out = set()
    for prefix in KEPT_PREFIXES:
        if part.startswith(prefix):
            part = part[len(prefix):]
    for line in lines_of(part):
        windows = [(n, line[i:i + n]) for n in (4, 5, 12, 16) for i in range(len(line) - n + 1)]
        for n, w in windows:
            if w in others:
                continue
            if n == 4:
                out.add(", ".join("0x%02x" % c for c in w).encode())
                out.add(" ".join("0x%02x" % c for c in w).encode())
                # hex strings: Node's b.toString(16), Python's hex(b)
                # (neither pads), and JSON of "%02x"
                out |= {", ".join(f % c for c in w).encode()
                        for f in ("'%x'", "'0x%x'", "'0x%02x'")}
                out.add(",".join('"%02x"' % c for c in w).encode())
            elif n == 5:
                out |= {(",\n" + " " * indent).join(map(str, w)).encode()
                        for indent in (8, 12, 19)}
            elif n == 16:
                if len(line) >= PIECE_PART and gives_pieces(part):
                    # od -t x8: two 8-byte words, little-endian
                    out.add(" ".join("%016x" % int.from_bytes(w[k:k + 8], "little")
                                     for k in (0, 8)).encode())
            elif len(line) >= PIECE_PART and gives_pieces(part):
                out.add(" ".join("%02x%02x" % (w[k + 1], w[k])
                                 for k in range(0, PIECE, 2)).encode())
                # hexdump -x's words; od -X and xxd -e's 4-byte words;
                # bits (xxd -b, " ".join(f"{b:08b}"))
                out.add("    ".join("%02x%02x" % (w[k + 1], w[k])
                                    for k in range(0, PIECE, 2)).encode())
                out.add(" ".join("%08x" % int.from_bytes(w[k:k + 4], "little")
                                 for k in range(0, PIECE, 4)).encode())
                out.add(" ".join("%08d" % int(bin(c)[2:]) for c in w).encode())
                out.add("".join("%4d" % c for c in w).lstrip().encode())
                out.add("".join("%4d" % (c - 256 if c > 127 else c)
                                for c in w).lstrip().encode())
    return out


def java_chars(value):
    """Whether Java's Arrays.toString of a value's char[] is one list on
    one line, each character one char: no control, none past the BMP
    (Java splits such a one in two)."""
    return all(" " <= ch < "\U00010000" and ch != "\x7f" and not "\ud800" <= ch <= "\udfff"
               for ch in value)


def char_list_forms(part, others, java=False):
    """Lists of characters for each line of a part after its kept type
    prefix: any 4 characters in a row, each quoted as repr(), util.inspect
    ("'" in double quotes), Rust's Debug of a char ('\\'', '"', '\\u{a0}')
    and Go's %q of a rune ('\\'', '\\a') quote it, joined by ", " (and
    Go's by a blank), bare one blank apart (Go's %v of a []string), or
    as JSON strings joined by ", " (json.dumps,
    \\u00e9 and a UTF-16 pair past the BMP) and "," (JSON.stringify as
    it is; Gson's \\u003d, where java). A window another value also holds
    is that value's text too: not counted."""
    def node_char(ch):
        return '"\'"' if ch == "'" else "'" + node_literal(ch, "'") + "'"

    def rust_char(ch):
        return "'" + ('"' if ch == '"' else rust_escape(ch, "escape")) + "'"

    def go_rune(ch):
        return "'" + ("\\'" if ch == "'" else '"' if ch == '"'
                      else go_quote(ch, False)) + "'"

    def json_item(ch, ascii_only):
        return json.dumps(ch, ensure_ascii=ascii_only)
    out = set()
    for prefix in KEPT_PREFIXES:
        if part.startswith(prefix):
            part = part[len(prefix):]
    for line in lines_of(part):
        chars = line.decode("utf-8", "surrogateescape")
        for i in range(len(chars) - 3):
            w = chars[i:i + 4]
            if w.encode("utf-8", "surrogateescape") in others:
                continue
            out.add(", ".join(map(repr, w)).encode("utf-8", "surrogateescape"))
            out.add(", ".join(map(node_char, w)).encode("utf-8", "surrogateescape"))
            out.add(", ".join(map(rust_char, w)).encode("utf-8", "surrogateescape"))
            out.add(" ".join(map(go_rune, w)).encode("utf-8", "surrogateescape"))
            # bare, one blank apart (Go's %v of a []string, print(*s))
            out.add(" ".join(w).encode("utf-8", "surrogateescape"))
            out.add(", ".join(json_item(ch, True) for ch in w).encode())
            out.add(",".join(json_item(ch, False) for ch in w)
                    .encode("utf-8", "surrogateescape"))
            # Java's Arrays.toString of a char[], bare, and Gson's JSON
            # of one (java_chars: a character past the BMP is two chars,
            # each written as "?")
            if java:
                out.add(", ".join(w).encode("utf-8"))
                out.add(",".join('"' + gson(ch) + '"' for ch in w).encode("utf-8"))
    return out


def joined_forms(part):
    """A part's bytes joined on a line of their own (redact reads such a
    line as the bytes it shows): hex in groups of 2 to 5 bytes, from the
    right and from the left, with a blank, a colon or a dash between
    (bytes.hex(sep, n)), bare hex bytes joined by "," or ", " (where the
    part's hex has a letter), and decimal joined by dots (Perl's %vd); for the
    part, each line of it, and each 12 bytes of a part that gives pieces
    at every phase of the groups."""
    out = set()
    b = part.encode("utf-8", "surrogateescape")
    for prefix in KEPT_PREFIXES:
        if part.startswith(prefix):
            b = b[len(prefix):]
    wholes = {b} | lines_of(part)
    windows = set()
    if len(b) >= PIECE_PART and gives_pieces(part):
        for line in lines_of(part):
            windows |= {line[i:i + PIECE] for i in range(len(line) - PIECE + 1)}
    for w in wholes | windows:
        out.add(".".join(map(str, w)).encode())
        # bare hex joined by "," (bytes.hex(",")) and ", " (Node's
        # join(", ") of toString(16), Rust's {:x?}), read as such where
        # a hex letter tells them from decimal
        if any(c in "abcdef" for c in b.hex()):
            out.add(w.hex(",").encode())
            out.add(", ".join("%x" % c for c in w).encode())
    for n in (2, 3, 4, 5):
        for sep in (" ", ":", "-"):
            out |= {w.hex(sep, n).encode() for w in wholes}
            out |= {w.hex(sep, -n).encode() for w in wholes}
            for w in windows:
                for phase in range(n):
                    cut = [w[:n - phase]] + [w[k:k + n] for k in range(n - phase, len(w), n)]
                    out.add(sep.join(g.hex() for g in cut if g).encode())
    return {f for f in out if len(f) >= MIN_FORM}


def lines_of(part):
    out = set()
    for line in part.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip(" \t")
        if len(line) >= MIN_FORM and not line.startswith("-----"):
            out.add(line.encode())
    return out


NODE_FORMS = r"""
const util = require('util');
const parts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
// the array at the top level, nested ever deeper (util.inspect indents
// each level by 2), and with narrower breakLengths
function shapes(array) {
  const out = [util.inspect(array)];
  let deep = array;
  for (let level = 0; level < 30; level++) {
    deep = { k: deep };
    out.push(util.inspect(deep, { depth: null }));
  }
  for (const breakLength of [30, 40, 50, 60, 70])
    out.push(util.inspect(array, { breakLength }));
  return out.join('\n');
}
// what a WHATWG URL built around a text encodes of it: its fragment,
// query (special scheme and not) and path (special scheme and not)
function urlForms(s) {
  const forms = [];
  for (const [base, set] of [['https://h/', (u) => { u.hash = s; return u.hash; }],
                             ['https://h/', (u) => { u.search = s; return u.search; }],
                             ['x://h/', (u) => { u.search = s; return u.search; }],
                             ['https://h/', (u) => { u.pathname = '/' + s; return u.pathname; }],
                             ['x://h/', (u) => { u.pathname = '/' + s; return u.pathname; }]])
    forms.push(set(new URL(base)).slice(1));
  return forms;
}
console.log(JSON.stringify(parts.map((p) => {
  const b = Buffer.from(p, 'base64');
  return [(shapes(new Uint8Array(b)) + '\n' + shapes(new Int8Array(b))).split('\n'),
          escape(b.toString()), urlForms(b.toString()),
          // without PEM armour lines (the parser drops the line breaks)
          urlForms(b.toString().split(/\r\n|\r|\n/)
                   .filter((line) => !line.trim().startsWith('-----')).join('\n'))];
})));
"""


def node_forms(parts):
    """Per part, the forms Node itself computes: the rows util.inspect
    groups its bytes into (a Uint8Array or Int8Array in columns; those of PIECE
    bytes or more), at any depth and breakLength, and the global
    escape(); and apart, the texts a WHATWG URL's fragment, query and
    path make of it (url_forms)."""
    encoded = [base64.b64encode(p.encode("utf-8", "surrogateescape")).decode() for p in parts]
    r = subprocess.run(["node", "-e", NODE_FORMS], input=json.dumps(encoded).encode(),
                       capture_output=True, check=True)
    out = []
    for lines, escaped, urls, unarmoured in json.loads(r.stdout):
        rows = {line.strip().rstrip(",") for line in lines
                if re.fullmatch(r" *-?\d+(, +-?\d+)*,?", line)}
        # a short last row too, once it is a form's length
        out.append(({row.encode() for row in rows if len(row) >= MIN_FORM} |
                    {escaped.encode()}, (urls, unarmoured)))
    return out


LIST_FORM = re.compile(rb"[0-9,\s]+|0x[0-9a-f]{2}(, 0x[0-9a-f]{2})*")


def shared_list(form, others):
    """Whether form is a list of byte values (decimal or 0xHH) that a
    kept type prefix, another value or the value's own public text also
    holds: that text's, not a secret part's (sk_test_ stays; a host name
    two URLs share; a password's last row of two numbers, "111, 100",
    that its URL's "sslmode" shows)."""
    if not LIST_FORM.fullmatch(form):
        return False
    numbers = [int(n, 16) if n.startswith(b"0x") else int(n)
               for n in re.findall(rb"0x[0-9a-f]{2}|[0-9]+", form)]
    if any(n > 255 for n in numbers):
        return False
    held = bytes(numbers)
    if held in others or any(held in p.encode() for p in KEPT_PREFIXES):
        return True
    # decimal numbers that read as hex items too: a value's short last
    # row ("65, 78", "AN") is also the bare hex that a program prints of
    # a host name's or a kept prefix's bytes ("ex" of db.example.com,
    # "es" of sk_test_), which stay shown
    digits = re.findall(rb"[0-9]+", form)
    if form.startswith(b"0x") or any(len(n) > 2 for n in digits):
        return False
    held = bytes(int(n, 16) for n in digits)
    return held in others or any(held in p.encode() for p in KEPT_PREFIXES)


def der_forms(part):
    """The DER of each PEM block in a part (its base64 body decoded, line
    breaks as they are or escaped): any 12 bytes of it in openssl -text's
    colon-separated hex and in xxd's groups of 2 bytes (at even offsets,
    as the dump's rows start); and any 12 bytes of it in the base64 of
    another format of the key (PKCS#1, OpenSSH, a JWK's numbers), at the
    alignments its PEM body does not have, in either alphabet."""
    out = set()
    text = part.replace("\\n", "\n")
    width = PIECE * 4 // 3
    for body in re.findall(r"-----BEGIN [^-]+-----(.*?)-----END ", text, re.S):
        der = base64.b64decode("".join(body.split()))
        for i in range(len(der) - PIECE + 1):
            w = der[i:i + PIECE]
            out.add(":".join("%02x" % c for c in w).encode())
            if i % 2 == 0:
                out.add(" ".join(w[k:k + 2].hex() for k in range(0, PIECE, 2)).encode())
        for url in (False, True):
            for inner in base64_inner(der, url):
                out |= {inner[i:i + width] for i in range(len(inner) - width + 1)}
    return out


UUID = re.compile(r"[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}")


def uuid_forms(part):
    """A UUID part as the programs that parse it print it again (Python's
    uuid, Java's UUID, PostgreSQL's uuid type): its text in the other
    case, its 32 digits in either case, its number in decimal (redact
    masks these whole; its own case has every form of a part)."""
    if not UUID.fullmatch(part):
        return set()
    u = uuid.UUID(part)
    return {t.encode() for t in (str(u), str(u).upper(), u.hex, u.hex.upper(), str(u.int))}


def decoded_base64_forms(part):
    """Forms in base64 text that redact decodes (views.c, parse_b64_run):
    the characters that depend on the form alone, at each alignment,
    in either alphabet, of the base64 of a part's UTF-16LE, of its JSON
    escaping with \\u escapes (a JWT's claims), of its own base64 and of
    its hex."""
    b = part.encode("utf-8", "surrogateescape")
    out = set()
    for form in (part.encode("utf-16-le", "surrogatepass"),
                 json.dumps(part)[1:-1].encode(),
                 base64.b64encode(b), b.hex().encode()):
        for url in (False, True):
            out |= {inner for inner in base64_inner(form, url) if len(inner) >= PIECE}
    return out


def hex_text_forms(part):
    """Hex text that redact decodes (views.c, parse_hex_text_run): a
    part's UTF-16 in either order and its Latin-1 bytes in hex, each
    case, and the hex of any PIECE bytes of a line of a part that gives
    pieces, after its kept type prefix (a field cut at its 30 bytes)."""
    out = set()
    forms = [part.encode("utf-16-le", "surrogatepass"),
             part.encode("utf-16-be", "surrogatepass")]
    try:
        if not part.isascii():
            forms.append(part.encode("latin-1"))
    except UnicodeEncodeError:
        pass
    for form in forms:
        out |= {form.hex().encode(), form.hex().upper().encode()}
    if gives_pieces(part):
        for prefix in KEPT_PREFIXES:
            if part.startswith(prefix):
                part = part[len(prefix):]
        for line in lines_of(part):
            out |= {line[i:i + PIECE].hex().encode()
                    for i in range(len(line) - PIECE + 1)}
    return out


def public_text(value, items):
    """What a value shows around its secret parts (a URL's scheme, user,
    host and query around its password), each part cut out: empty when
    the value is a part itself."""
    for part in sorted(items, key=len, reverse=True):
        value = value.replace(part, "\0")
    return value


def part_lines(part):
    """The lines of a multi-line part that are parts of their own."""
    out = []
    for line in part.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip(" \t")
        if len(line.encode()) >= MIN_FORM and not line.startswith("-----"):
            out.append(line)
    return out


def all_forms(parts, values):
    out = {}
    every = [part for items in parts.values() for part in items]
    rows = dict(zip(every, node_forms(every)))
    perl = perl_quotemeta_chars(sorted({t for part in every for t in [part] + part_lines(part)
                                        if not t.isascii()}))
    spliced = coreutils_quoting(sorted({t for part in every for t in [part] + part_lines(part)
                                        if not t.isascii() or
                                        any(ch < " " or ch == "\x7f" for ch in t)}))
    for name, items in parts.items():
        forms = set()
        others = b"\0".join(p.encode("utf-8", "surrogateescape")
                            for other, its in parts.items() if other != name
                            for p in its + [values[other]])
        # the value's own public text is not its parts' either: a URL
        # shows its scheme, host and query in the clear, and util.inspect
        # prints a part's short last row ("111, 100", 2 bytes) as a row
        # of its own
        others += b"\0" + public_text(values[name], items).encode("utf-8", "surrogateescape")
        for part in items:
            forms |= (forms_of(part) | lines_of(part) | windows_of(part) | rows[part][0] |
                      url_forms(part, rows[part][1]) |
                      list_forms(part, others) |
                      char_list_forms(part, others, java_chars(values[name])) |
                      joined_forms(part) | der_forms(part) | base64_windows(part) |
                      uuid_forms(part) | decoded_base64_forms(part) |
                      hex_text_forms(part))
            # a multi-line part's lines, each a part with all its forms
            # (util.inspect and pprint print one quoted line after
            # another; a program encodes a PEM key's lines one by one)
            for line in part_lines(part):
                forms |= forms_of(line, gives_pieces(part))
            # coreutils' quoting with $'..' spliced in
            for text in [part] + part_lines(part):
                forms |= spliced.get(text, set())
            # Perl's quotemeta of characters, alone and in a literal
            for text in [part] + part_lines(part):
                if text in perl:
                    q = perl[text].encode("utf-8", "surrogateescape")
                    forms.add(q)
                    for quote in (b"", b"'", b'"'):
                        forms.add(backslashed(q, lambda c: c == 0x5c or
                                              (quote != b"" and c == quote[0])))
        out[name] = {f for f in forms if not shared_list(f, others)}
    return out


# ---- running the programs ----

def setup(directory, project):
    replay = os.environ.get("SECENV_FORMS_VALUES")
    if replay:
        with open(replay) as f:
            data = json.load(f)
        values, parts, visible = data["values"], data["parts"], data["visible"]
    else:
        values, parts, visible = make_values()
    env = dict(os.environ)
    # stored as `secenv set` stores them (its vaultfetch put, without
    # the script's audit records around it: a third of setup's CPU)
    for name, value in values.items():
        subprocess.run(["vaultfetch", "put", project, name], input=value.encode(),
                       check=True, env=env)
    with open(os.path.join(directory, "values.json"), "w") as out:
        json.dump({"values": values, "parts": parts, "visible": visible}, out)
    save_forms(os.path.join(directory, "forms.pickle"), all_forms(parts, values))
    with open(os.path.join(directory, "project.blob"), "wb") as out:
        subprocess.run(["vaultfetch", "fetch", project], stdout=out, check=True, env=env)


def save_forms(path, forms):
    """The forms of every value as one index, written by setup and read by
    the checks of the same run: {"key": KEY, "starts": {the first KEY
    bytes of a form: (the lengths of the forms starting so, ...)},
    "owners": {form: (the names of the values it is a form of, ...)}},
    KEY the shortest form's length (MIN_FORM at most)."""
    key = min([MIN_FORM] + [len(form) for items in forms.values() for form in items])
    owners, starts, tuples = {}, {}, {}
    for name, items in forms.items():
        for form in items:
            names = owners.get(form, ()) + (name,)
            owners[form] = tuples.setdefault(names, names)  # pickled once each
            starts.setdefault(form[:key], set()).add(len(form))
    starts = {start: tuple(sorted(lengths)) for start, lengths in starts.items()}
    with open(path, "wb") as out:
        pickle.dump({"key": key, "starts": starts, "owners": owners}, out,
                    protocol=pickle.HIGHEST_PROTOCOL)


def load_forms(path):
    # a hundred thousand objects, none of them cyclic: the collector's
    # passes while they are made would cost more than making them
    gc.disable()
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    finally:
        gc.enable()


def forms_in(text, forms):
    """{value name: {form, ...}}: the forms of each value that text holds
    (each form for which `form in text`), each position of text looked up
    by its first KEY bytes, then for each length of form starting so."""
    key, starts, owners = forms["key"], forms["starts"], forms["owners"]
    found = {}
    for i in range(len(text) - key + 1):
        for length in starts.get(text[i:i + key], ()):
            form = text[i:i + length]
            for name in owners.get(form, ()):
                found.setdefault(name, set()).add(form)
    return found


def run(argv, env):
    """The program's run from tests/forms: ARGV as the shell would split a
    test's command (its words, no shell syntax), started without one."""
    return subprocess.run(argv, capture_output=True, env=env, cwd=HERE, timeout=120)


WORKERS = []


def workers():
    """The threads that wait for a check's programs run side by side (each
    run is a process of its own and reads only what it is given: the
    check's wall time is a third of theirs one after another)."""
    if not WORKERS:
        WORKERS.append(concurrent.futures.ThreadPoolExecutor(max_workers=4))
    return WORKERS[0]


def results(jobs):
    """{key: the finished job's value} once every job of jobs is done."""
    concurrent.futures.wait(jobs.values())
    return {key: job.result() for key, job in jobs.items()}


def masked_ways(directory, project, command, env, plain, masked):
    """(way, stdout, stderr, exit status) of the program's output masked
    by `secenv run` (masked: its run, started beside the plain one), and
    of its captured output by `redact -b` and by `secenv read`, each
    stream on its own (the four at once). A stream the program left empty
    is masked by neither: no form comes of nothing, and what a masker says
    of the values as it starts is in the other stream's masking (the
    marker line is in one of them, or the check fails)."""
    masked = masked.result()
    yield "secenv run", masked.stdout, masked.stderr, masked.returncode
    blob = os.path.join(directory, "project.blob")
    printed = [stream for stream in ("stdout", "stderr") if getattr(plain, stream)]
    paths, jobs = {}, {}
    try:
        for stream in printed:
            paths[stream] = os.path.join(directory, f"captured-{stream}.txt")
            with open(paths[stream], "wb") as f:
                f.write(getattr(plain, stream))
        for stream in printed:
            jobs["redact -b", stream] = workers().submit(
                subprocess.run, ["redact", "-b", blob], input=getattr(plain, stream),
                capture_output=True, env=env, timeout=120)
            jobs["secenv read", stream] = workers().submit(
                subprocess.run, ["secenv", "read", "-p", project, paths[stream]],
                capture_output=True, env=env, timeout=120)
        done = results(jobs)
    finally:
        for path in paths.values():
            os.unlink(path)
    for way in ("redact -b", "secenv read"):
        out, codes, said = {"stdout": b"", "stderr": b""}, set(), b""
        for stream in printed:
            r = done[way, stream]
            # what the masker wrote for the stream; anything it said
            # (a note on a value's short lines) goes with stderr
            out[stream] = r.stdout
            said += r.stderr
            codes.add(r.returncode)
        yield way, out["stdout"], out["stderr"] + said, max(codes, key=abs, default=0)


ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def mask_counts(text):
    return [line.count(b"***REDACTED***") for line in text.split(b"\n")]


def first_difference(a, b):
    a, b = a.split(b"\n"), b.split(b"\n")
    return next((i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)) + 1)


def read_setup(directory):
    """(values.json's data, the forms' index) as setup saved them."""
    with open(os.path.join(directory, "values.json")) as f:
        data = json.load(f)
    return data, load_forms(os.path.join(directory, "forms.pickle"))


def check(directory, project, command, saved=None):
    data, forms = saved or read_setup(directory)
    values = data["values"]
    env = dict(os.environ, FORMS_NAMES=",".join(values))
    # the program runs plainly and through secenv run at once
    masked = workers().submit(run, ["secenv", "run", "-p", project, "--", command], env)
    plain = run(shlex.split(command), dict(env, **values))
    if plain.returncode != 0:
        concurrent.futures.wait([masked])
        print(f"# the program failed on its own: {plain.stderr[-400:]!r}")
        return 1
    printed = plain.stdout + plain.stderr
    printed += ANSI.sub(b"", printed)
    in_printed = forms_in(printed, forms)
    cases = [name for name in values if name in in_printed]
    failures = []
    marker = b"FORMS-MARKER "
    shown = {}
    for way, stdout, stderr, status in masked_ways(directory, project, command, env, plain,
                                                   masked):
        shown[way] = stdout
        if os.environ.get("FORMS_KEEP"):
            with open(os.path.join(os.environ["FORMS_KEEP"], way.replace(" ", "")), "wb") as f:
                f.write(stdout)
        if marker not in stdout + stderr:
            failures.append(f"{way}: marker line missing")
        # a form with colour codes between its characters leaks too
        streams = []
        for stream, text in (("stdout", stdout), ("stderr", stderr)):
            found = forms_in(text, forms)
            plain_text = ANSI.sub(b"", text)
            if plain_text != text:
                for name, items in forms_in(plain_text, forms).items():
                    found.setdefault(name, set()).update(items)
            streams.append((stream, found))
        for name in values:
            for stream, found in streams:
                leaked = found.get(name, ())
                if leaked:
                    # name the value and how long the form is, never the form
                    failures.append(f"{way}: {name}: {len(leaked)} form(s) in {stream}, "
                                    f"lengths {sorted(len(x) for x in leaked)[:5]}")
        if "py_structured" in command:
            for public in data["visible"]:
                if public.encode() not in stdout:
                    failures.append(f"{way}: a public field was masked: {public}")
        if status != 0:
            failures.append(f"{way} exited {status}")
    # the same masks every way: secenv read shows the captured stdout as
    # redact -b masks it, byte for byte; the program's second run (under
    # secenv run) gets the same masks on each line (its output may differ
    # elsewhere: curl's port, a date in Properties.store's comment)
    if shown["secenv read"] != shown["redact -b"]:
        failures.append("secenv read showed stdout unlike redact -b, from line "
                        f"{first_difference(shown['secenv read'], shown['redact -b'])}")
    if mask_counts(shown["secenv run"]) != mask_counts(shown["redact -b"]):
        failures.append("secenv run masked stdout unlike redact -b, from line "
                        f"{first_difference(shown['secenv run'], shown['redact -b'])}")
    print(f"# cases: {len(cases)} ({','.join(cases)})")
    with open(os.path.join(directory, "cases"), "a") as out:
        out.write(f"{len(cases)}\n")
    if not cases:
        failures.append("the program printed no modelled form of any value")
    for failure in failures:
        print("# " + failure)
    keep = os.environ.get("SECENV_FORMS_FAILED")
    if failures and keep:
        kept = os.path.join(keep, f"values-{os.getpid()}.json")
        shutil.copyfile(os.path.join(directory, "values.json"), kept)
        print(f"# values kept: SECENV_FORMS_VALUES={kept} replays them")
    return 1 if failures else 0


def serve(directory, project, watched):
    """Check each command a test asks for (fifo_serve.py: the command is
    the request, the answer what check printed), one after another, with
    setup's values and forms read once (a check started on its own spends
    a third of its CPU reading forms.pickle), until process WATCHED ends."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "helpers"))
    import fifo_serve
    saved = read_setup(directory)
    return fifo_serve.serve(
        directory, watched,
        lambda command: check(directory, project, command, saved))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "check":
        return check(sys.argv[2], sys.argv[3], sys.argv[4])
    if len(sys.argv) == 5 and sys.argv[1] == "serve":
        return serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    print("usage: driver.py setup DIR PROJECT | check DIR PROJECT COMMAND |\n"
          "       serve DIR PROJECT PID", file=sys.stderr)
    return 100


if __name__ == "__main__":
    sys.exit(main())
