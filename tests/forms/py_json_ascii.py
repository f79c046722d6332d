#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: json.dumps, ensure_ascii on (the default).
import json
from each_value import each_value

each_value("py_json_ascii", lambda v: json.dumps({'key': v}))
