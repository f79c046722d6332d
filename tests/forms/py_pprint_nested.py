#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: pprint folding a long str inside nested containers
# into quoted pieces ('...'\n    '...'), each piece repr()'d on its own,
# and the value's bytes folded the same way (b'...'\n    b'...').
import pprint
from each_value import each_value

each_value("py_pprint_nested",
           lambda v: pprint.pformat({"settings": {"api": {"key": v, "retries": 3}}}, width=60) +
           "\n" + pprint.pformat({"raw": v.encode()}, width=40))
