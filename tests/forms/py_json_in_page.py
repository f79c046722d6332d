#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a settings document as JSON written into a page by
# Jinja2 (an attribute and its text, autoescaped), by html.escape, and
# into a URL's query by urlencode (a GraphQL GET's variables).
import html
import json
import urllib.parse

import jinja2
from each_value import each_value

page = jinja2.Environment(autoescape=True).from_string(
    '<div data-settings="{{ s }}">{{ t }}</div>')


def show(v):
    settings = json.dumps({"apiKey": v})
    unicode = json.dumps({"apiKey": v}, ensure_ascii=False)
    return " ".join([page.render(s=settings, t=unicode),
                     html.escape(unicode),
                     "/graphql?" + urllib.parse.urlencode({"variables": settings}),
                     "/graphql?" + urllib.parse.urlencode({"variables": unicode})])


each_value("py_json_in_page", show)
