#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a private key's numbers as openssl prints them
# (pkey -text: colon-separated hex lines) and its DER file in xxd, for
# each PEM block in a value (a key as stored, or a JSON key file's
# private_key with its line breaks escaped).
import os
import re
import subprocess
import sys

print("FORMS-MARKER openssl_text", flush=True)
for name in os.environ["FORMS_NAMES"].split(","):
    text = os.environ[name].replace("\\n", "\n")
    for block in re.findall(r"-----BEGIN [^-]+-----.*?-----END [^-]+-----", text, re.S):
        # the key goes to openssl on its standard input: no file holds it
        key = (block + "\n").encode()
        shown = subprocess.run(["openssl", "pkey", "-text", "-noout"], input=key,
                               capture_output=True, check=True).stdout
        der = subprocess.run(["openssl", "pkey", "-outform", "DER"], input=key,
                             capture_output=True, check=True).stdout
        dump = subprocess.run(["xxd"], input=der, capture_output=True, check=True).stdout
        sys.stdout.buffer.write(name.encode() + b":\n" + shown + dump)
        sys.stdout.flush()
