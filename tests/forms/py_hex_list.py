#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes mapped to hex strings and printed as
# a list on a line of its own: [hex(b) for b in v] ('0x73', no padding),
# pprint of it (one a line) and json.dumps of f"{b:02x}" ("73").
import json
import pprint

from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return "\n".join([
        str([hex(c) for c in b]),
        pprint.pformat([hex(c) for c in b]),
        json.dumps([f"{c:02x}" for c in b]),
    ]).encode()


each_value("py_hex_list", show)
