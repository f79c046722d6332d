#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a Jinja2 template with autoescape.
import jinja2
from each_value import each_value

each_value("py_jinja2", lambda v: jinja2.Environment(autoescape=True).from_string('<a title="{{ v }}">{{ v }}</a>').render(v=v))
