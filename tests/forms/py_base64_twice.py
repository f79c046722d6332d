#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: base64 of a value's base64 (a secret that was base64
# already, put into a Kubernetes secret's data).
import base64

from each_value import each_value

each_value("py_base64_twice", lambda v: base64.b64encode(
    base64.b64encode(v.encode("utf-8", "surrogateescape"))).decode())
