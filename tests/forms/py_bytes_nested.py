#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes one number a line, indented by the
# nesting: json.dumps(indent=2) three levels down (8 columns), indent=4
# two levels down (12), and pprint of a dict (after the key's column).
import json
import pprint
from each_value import each_value


def show(v):
    b = list(v.encode("utf-8", "surrogateescape"))
    return "\n".join([
        json.dumps({"config": {"secrets": {"key": b}}}, indent=2),
        json.dumps({"config": {"key": b}}, indent=4),
        pprint.pformat({"api_key_bytes": b}, width=30),
    ])


each_value("py_bytes_nested", show)
