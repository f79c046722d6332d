#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: hex text of a value's other bytes and of a part of
# it: its UTF-16 (s.encode("utf-16-le").hex(), as Windows code dumps a
# wide string; big-endian in capitals), its Latin-1 bytes where it has
# them, and bytes.hex() of its first 30 bytes and of its bytes from the
# 9th (a field cut as InnoDB's status cuts one, "hex ...; asc").
from each_value import each_value


def hex_text(value):
    data = value.encode("utf-8", "surrogateescape")
    shown = ["utf-16: " + value.encode("utf-16-le", "surrogatepass").hex(),
             value.encode("utf-16-be", "surrogatepass").hex().upper(),
             "len 30; hex %s; asc" % data[:30].hex(),
             "tail: " + data[8:].hex()]
    try:
        if not value.isascii():
            shown.append("latin-1: " + value.encode("latin-1").hex())
    except UnicodeEncodeError:
        pass
    return "\n".join(shown).encode()


each_value("py_hex_text", hex_text)
