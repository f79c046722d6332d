#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the unicode_escape codec, printed decoded (a "safe"
# print of a str: \xe9, \u20ac, \\ and \n; quotes as they are).
from each_value import each_value

each_value("py_unicode_escape", lambda v: v.encode("unicode_escape").decode("ascii"))
