#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: plistlib's XML of the value's bytes: <data> holds
# their base64 wrapped at 68 characters, each line indented by a tab
# (deeper in a nested dict), a width and a layout of its own.
import plistlib
from each_value import each_value

each_value("py_plistlib", lambda v: plistlib.dumps(
    {"token": v.encode("utf-8", "surrogateescape"),
     "nested": {"key": v.encode("utf-8", "surrogateescape")}}).decode())
