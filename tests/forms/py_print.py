#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: print() of the value.
from each_value import each_value

each_value("py_print", lambda v: v)
