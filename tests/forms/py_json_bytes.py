#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: json.dumps of a value's bytes with indent=2, one
# number a line, at the top (indented 2) and one level down (4).
import json
from each_value import each_value

each_value("py_json_bytes",
           lambda v: json.dumps(list(v.encode("utf-8", "surrogateescape")), indent=2) + "\n" +
           json.dumps({"bytes": list(v.encode("utf-8", "surrogateescape"))}, indent=2))
