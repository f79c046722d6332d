#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a cookie set by http.cookies (SimpleCookie, as
# Django's set_cookie writes it): " and \ backslashed, , ; controls and
# code points to U+00FF as \ooo, in double quotes.
import http.cookies

from each_value import each_value


def show(v):
    cookie = http.cookies.SimpleCookie()
    cookie["session"] = v
    return cookie.output()


each_value("py_cookie", show)
