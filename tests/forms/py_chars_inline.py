#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a list of a value's characters after a text on its
# line: print(name, list(v)) ('s', 'k', ...), a tuple of them, and a
# dict holding them as repr() and json.dumps print it (["s", "k"],
# \u00e9), and compact JSON (["s","k"], é as it is).
import json

from each_value import each_value


def show(v):
    chars = list(v)
    return "%s %s %s %s" % (
        chars, tuple(chars), {"pw": chars},
        json.dumps({"pw": chars}) + " " +
        json.dumps({"pw": chars}, separators=(",", ":"), ensure_ascii=False))


each_value("py_chars_inline", show)
