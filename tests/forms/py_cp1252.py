#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's UTF-8 read as Windows-1252 and printed as
# UTF-8 (mojibake: "Ü" as "Ãœ"), as decode('cp1252') of its bytes, a
# MySQL latin1 connection or Java's Cp1252 show it; a value holding a
# byte Windows-1252 has no character for prints nothing.
import os

from each_value import each_value


def show(v):
    try:
        return os.fsencode(v).decode("cp1252")
    except UnicodeDecodeError:
        return "(not Windows-1252)"


each_value("py_cp1252", show)
