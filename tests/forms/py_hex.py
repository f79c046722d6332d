#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: bytes.hex() plain, with a space and with a colon.
from each_value import each_value

each_value("py_hex", lambda v: v.encode().hex() + ' ' + v.encode().hex(' ') + ' ' + v.encode().hex(':').upper())
