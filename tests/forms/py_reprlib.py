#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: reprlib's repr() cutting a long value to its first
# and last bytes around "..." (as in tracebacks and debuggers that keep
# lines short), at its default width and a wider one.
import reprlib
from each_value import each_value

wide = reprlib.Repr()
wide.maxstring = 60
each_value("py_reprlib", lambda v: reprlib.repr(v) + " " + wide.repr(v) + " " +
           reprlib.repr(v.encode("utf-8", "surrogateescape")))
