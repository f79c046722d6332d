#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes joined after a text, as Go's %v of a
# []byte prints them ([115 107 95]) and as .NET's BitConverter.ToString
# does (73-6B-5F): " ".join(map(str, b)) and b.hex("-").upper().
from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return "[" + " ".join(map(str, b)) + "] " + b.hex("-").upper()


each_value("py_joined_bytes", show)
