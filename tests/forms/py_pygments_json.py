#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a parsed credential as JSON with indent=2, coloured
# by Pygments for a terminal (escape sequences around each token).
import json
import pygments
import pygments.formatters
import pygments.lexers
from each_value import each_value
from parsed import parsed

each_value("py_pygments_json",
           lambda v: "\n" + pygments.highlight(
               json.dumps({"credentials": parsed(v)}, indent=2, ensure_ascii=False),
               pygments.lexers.JsonLexer(), pygments.formatters.Terminal256Formatter()))
