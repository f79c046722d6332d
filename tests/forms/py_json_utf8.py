#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: json.dumps with ensure_ascii=False.
import json
from each_value import each_value

each_value("py_json_utf8", lambda v: json.dumps({'key': v}, ensure_ascii=False))
