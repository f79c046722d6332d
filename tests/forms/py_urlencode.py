#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: urllib.parse.urlencode: + for space.
import urllib.parse
from each_value import each_value

each_value("py_urlencode", lambda v: urllib.parse.urlencode({'key': v}))
