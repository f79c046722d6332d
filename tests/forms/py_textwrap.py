#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: textwrap.fill folding a long value over lines.
import textwrap
from each_value import each_value

each_value("py_textwrap", lambda v: textwrap.fill(v, 40))
