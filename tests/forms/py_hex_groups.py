#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: bytes.hex() and memoryview.hex() in groups of 2, 4,
# 3 (from the left) and 5 bytes, each on a line of its own.
from each_value import each_value


def groups(v):
    b = v.encode()
    return b"\n".join(s.encode() for s in (
        b.hex(" ", 2), b.hex(":", 4), b.hex("-", -3), memoryview(b).hex(" ", 5)))


each_value("py_hex_groups", groups)
