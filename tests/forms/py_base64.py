#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: base64, standard and URL-safe.
import base64
from each_value import each_value

each_value("py_base64", lambda v: base64.b64encode(v.encode()).decode() + ' ' + base64.urlsafe_b64encode(v.encode()).decode())
