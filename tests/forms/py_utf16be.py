#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the value in UTF-16BE.
from each_value import each_value

each_value("py_utf16be", lambda v: v.encode('utf-16-be'))
