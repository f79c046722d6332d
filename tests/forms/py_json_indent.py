#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: json.dumps(indent=2) of a parsed credential, as a
# program shows the configuration it loaded (leaves re-escaped on lines
# of their own).
import json
from each_value import each_value
from parsed import parsed

each_value("py_json_indent",
           lambda v: json.dumps({"config": {"credentials": parsed(v)}}, indent=2))
