#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: html.escape: &quot; &#x27;.
import html
from each_value import each_value

each_value("py_html_escape", lambda v: html.escape(v))
