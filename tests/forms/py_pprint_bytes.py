#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: pprint of the list of a value's bytes, narrow: one
# number a line ([115,\n 107,\n ...]), and compact (as many as fit).
import pprint
from each_value import each_value

each_value("py_pprint_bytes",
           lambda v: pprint.pformat(list(v.encode("utf-8", "surrogateescape")), width=20) +
           "\n" + pprint.pformat(list(v.encode("utf-8", "surrogateescape")), width=40,
                                 compact=True))
