#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's UTF-8 read as Latin-1 text (requests'
# r.text for a text/* answer with no charset, open(encoding='latin-1'))
# and then repr()'d ('Ã\x9f') and json.dumps'd ("\u00c3\u009f").
import json
import os

from each_value import each_value


def show(v):
    text = os.fsencode(v).decode("latin-1")
    return repr(text) + " " + json.dumps({"v": text})


each_value("py_latin1_text", show)
