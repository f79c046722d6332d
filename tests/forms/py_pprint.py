#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: pprint of a dict holding the value.
import pprint
from each_value import each_value

each_value("py_pprint", lambda v: pprint.pformat({'key': v}))
