#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: str() of a value's bytes put in a string literal, a
# common slip (str(b) where b.decode() was meant): json.dumps of a dict
# that holds it, and its repr() as print() of the dict and logging's %r
# show it (the bytes literal's backslashes doubled).
import json

from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return json.dumps({"key": str(b)}) + " " + repr({"key": str(b)})


each_value("py_str_of_bytes", show)
