#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a JSON string inside a JSON string.
import json
from each_value import each_value

each_value("py_json_twice", lambda v: json.dumps({'body': json.dumps({'key': v})}))
