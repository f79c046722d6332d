#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: what a program prints of a structured value once it
# has parsed it: the fields of a JSON credential (and each line of its
# PEM key), the decoding of a base64 credential, a URL's password and
# credential parameters, a value without its quotes.
import base64
import json
import os
import urllib.parse

print("FORMS-MARKER py_structured", flush=True)


def show(name, value):
    text = value.strip()
    if text[:1] in "{[":
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            for key, field in doc.items():
                print(f"{name}.{key} = {field}")
                if isinstance(field, str) and "\n" in field:
                    for line in field.splitlines():
                        print(f"{name}.{key} line: {line}")
            return
    try:
        decoded = base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode()
    except ValueError:
        decoded = None
    if decoded and len(text) >= 16:
        print(f"{name} decoded: {decoded}")
        show(name + ".decoded", decoded)
    url = urllib.parse.urlsplit(text)
    if url.password:
        print(f"{name} password: {url.password}")
        print(f"{name} password, decoded: {urllib.parse.unquote(url.password)}")
    for part in text.replace(";", "&").replace("?", "&").split("&"):
        key, _, field = part.partition("=")
        if key.lower() in ("password", "secret", "token", "key") and field:
            print(f"{name} parameter {key}: {field}")
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        print(f"{name} unquoted: {text[1:-1]}")


for name in os.environ["FORMS_NAMES"].split(","):
    show(name, os.environ[name])
