# SPDX-License-Identifier: ISC
# Conformance form: each private key in a value (a PEM block as it is or
# in a JSON text, its line breaks escaped) written again in the formats
# Python's cryptography writes, PKCS#1 ("BEGIN RSA PRIVATE KEY", as
# openssl rsa -traditional) and OpenSSH, and its numbers in unpadded
# URL-safe base64, as a JWK holds them.
import base64
import os
import re

from cryptography.hazmat.primitives import serialization as s

print("FORMS-MARKER py_pem_convert")
for name in os.environ["FORMS_NAMES"].split(","):
    text = os.environ[name].replace("\\n", "\n")
    for block in re.findall(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----", text, re.S):
        key = s.load_pem_private_key(block.encode(), None)
        for form in (s.PrivateFormat.TraditionalOpenSSL, s.PrivateFormat.OpenSSH):
            print(key.private_bytes(s.Encoding.PEM, form, s.NoEncryption()).decode(), end="")
        numbers = key.private_numbers()
        for member, n in (("d", numbers.d), ("p", numbers.p), ("q", numbers.q),
                          ("dp", numbers.dmp1), ("dq", numbers.dmq1), ("qi", numbers.iqmp)):
            b = n.to_bytes((n.bit_length() + 7) // 8, "big")
            print('"%s": "%s",' % (member, base64.urlsafe_b64encode(b).rstrip(b"=").decode()))
