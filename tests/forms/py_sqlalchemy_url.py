#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: SQLAlchemy's URL with the value as its password, as
# str() and render_as_string(hide_password=False) write it (":", "@"
# and "/" encoded, the rest as it is).
from sqlalchemy.engine import URL
from each_value import each_value


def show(v):
    url = URL.create("postgresql", username="app", password=v, host="db.example.com",
                     database="app")
    return str(url) + " " + url.render_as_string(hide_password=False)


each_value("py_sqlalchemy_url", show)
