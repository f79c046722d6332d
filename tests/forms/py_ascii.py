#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: ascii() of a str: \\xfc, \\u20ac, \\U0001f600.
from each_value import each_value

each_value("py_ascii", lambda v: ascii(v))
