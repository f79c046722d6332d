#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: the value written to stderr.
import sys
from each_value import each_value

each_value("py_stderr", lambda v: v, sys.stderr)
