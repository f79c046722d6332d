# SPDX-License-Identifier: ISC
# What a program makes of a value before printing it: a JSON credential
# parsed, a base64 one decoded and parsed; anything else as it is.
import base64
import json


def parsed(value):
    text = value.strip()
    for attempt in (lambda: json.loads(text),
                    lambda: json.loads(base64.b64decode(text, validate=True))):
        try:
            doc = attempt()
        except ValueError:
            continue
        if isinstance(doc, (dict, list)):
            return doc
    return value
