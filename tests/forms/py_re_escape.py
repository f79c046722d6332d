#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: re.escape, as a program prints the pattern it built
# from a secret to find or scrub it: the quoted text, repr() of the
# compiled pattern and the pattern in JSON.
import json
import re

from each_value import each_value


def show(v):
    quoted = re.escape(v)
    return quoted + " " + repr(re.compile(quoted)) + " " + json.dumps({"pattern": quoted})


each_value("py_re_escape", show)
