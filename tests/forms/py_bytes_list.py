#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the list of a value's bytes.
from each_value import each_value

each_value("py_bytes_list", lambda v: str(list(v.encode())))
