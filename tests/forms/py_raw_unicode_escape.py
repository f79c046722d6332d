#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: repr() of a str encoded with raw_unicode_escape
# (b's\xe9cr\\u20ac...').
from each_value import each_value

each_value("py_raw_unicode_escape", lambda v: repr(v.encode("raw_unicode_escape")))
