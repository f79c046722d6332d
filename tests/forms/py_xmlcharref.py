#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: html.escape with non-ASCII as &#NNN;.
import html
from each_value import each_value

each_value("py_xmlcharref", lambda v: html.escape(v).encode('ascii', 'xmlcharrefreplace').decode())
