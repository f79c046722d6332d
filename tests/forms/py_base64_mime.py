#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: base64 wrapped at 76 (MIME).
import base64
from each_value import each_value

each_value("py_base64_mime", lambda v: base64.encodebytes(v.encode()).decode())
