#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value's repr() escaped for HTML, as a debug page
# shows a local variable or an exception's message: html.escape (Django's
# escape writes the same) and MarkupSafe's escape (Werkzeug's and
# Flask's debugger, Jinja2), of the str and of its UTF-8 bytes.
import html

import markupsafe
from each_value import each_value


def show(v):
    b = v.encode("utf-8", "surrogateescape")
    return " ".join([html.escape(repr(v)), str(markupsafe.escape(repr(v))),
                     html.escape(repr(b)), str(markupsafe.escape(repr(b)))])


each_value("py_repr_in_page", show)
