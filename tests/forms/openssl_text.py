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
import tempfile

print("FORMS-MARKER openssl_text", flush=True)
for name in os.environ["FORMS_NAMES"].split(","):
    text = os.environ[name].replace("\\n", "\n")
    for block in re.findall(r"-----BEGIN [^-]+-----.*?-----END [^-]+-----", text, re.S):
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as key:
            key.write(block + "\n")
            key.flush()
            shown = subprocess.run(["openssl", "pkey", "-in", key.name, "-text", "-noout"],
                                   capture_output=True, check=True).stdout
            der = subprocess.run(["openssl", "pkey", "-in", key.name, "-outform", "DER"],
                                 capture_output=True, check=True).stdout
            dump = subprocess.run(["xxd"], input=der, capture_output=True, check=True).stdout
        sys.stdout.buffer.write(name.encode() + b":\n" + shown + dump)
        sys.stdout.flush()
