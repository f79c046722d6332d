#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: repr() of a str.
from each_value import each_value

each_value("py_repr_str", lambda v: repr(v))
