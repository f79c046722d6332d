#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a value percent-encoded twice. A DSN whose password
# quote() encoded, carried in another URL's query (quote of the DSN,
# urlencode of a dict that holds it), and quote() called twice.
import urllib.parse
from each_value import each_value


def show(v):
    dsn = "postgresql://app:" + urllib.parse.quote(v, safe="") + "@db.example.com/app"
    return " ".join([
        "https://ops.example.com/check?target=" + urllib.parse.quote(dsn, safe=""),
        urllib.parse.urlencode({"db": dsn}),
        urllib.parse.quote(urllib.parse.quote(v)),
    ])


each_value("py_quote_twice", show)
