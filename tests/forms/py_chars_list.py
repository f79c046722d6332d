#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: list(s), the list of a value's characters, on a line
# of its own (['s', 'k', '\n', "'", ...]).
from each_value import each_value

each_value("py_chars_list", lambda v: str(list(v)).encode())
