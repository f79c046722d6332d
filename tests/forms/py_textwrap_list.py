#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the list textwrap.wrap() cuts a value into, printed
# (each line a quoted piece: ['...', '...']).
import textwrap
from each_value import each_value

each_value("py_textwrap_list", lambda v: str(textwrap.wrap(v, 30)))
