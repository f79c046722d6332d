#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes as bare hex joined on a line of its
# own: bytes.hex(","), ", ".join of "%x" (as Node's join(", ") of
# toString(16) prints them) and the same in brackets (Rust's {:x?} of a
# byte slice: [73, 6b, 5]).
from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    items = ", ".join("%x" % c for c in b)
    return "\n".join([b.hex(","), items, "[" + items + "]"]).encode()


each_value("py_hex_joined", show)
