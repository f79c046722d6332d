#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes mapped to hex() after a text on the
# same line: print(name, [hex(b) for b in v]) ('0x73', '0x5' for 5),
# and " ".join(map(hex, b)) between words.
from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return (str([hex(c) for c in b]) + " and " + " ".join(map(hex, b)) +
            " (%d bytes)" % len(b))


each_value("py_hex_inline", show)
