#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: urllib.parse.quote with nothing safe.
import urllib.parse
from each_value import each_value

each_value("py_quote", lambda v: urllib.parse.quote(v, safe=''))
