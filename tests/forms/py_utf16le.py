#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the value in UTF-16LE.
from each_value import each_value

each_value("py_utf16le", lambda v: v.encode('utf-16-le'))
