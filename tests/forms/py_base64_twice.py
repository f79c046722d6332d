#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: base64 of a value's base64 (a secret that was base64
# already, put into a Kubernetes secret's data), and of its hex.
import base64

from each_value import each_value

def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return (base64.b64encode(base64.b64encode(b)).decode() + " " +
            base64.b64encode(b.hex().encode()).decode())


each_value("py_base64_twice", show)
