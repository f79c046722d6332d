#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: shlex.quote.
import shlex
from each_value import each_value

each_value("py_shlex", lambda v: shlex.quote(v))
