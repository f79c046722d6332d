#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: repr() of bytes: b'\\xc3\\xbc'.
from each_value import each_value

each_value("py_repr_bytes", lambda v: repr(v.encode()))
