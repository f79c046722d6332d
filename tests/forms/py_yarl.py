#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: yarl's URLs (aiohttp's requests, its
# ClientResponseError's url=URL('...')): a query's value quoted with
# / ? : @ ! $ ' ( ) * , left ("+" and "=" encoded, a blank as +), and a
# path that held the value percent-encoded already (yarl decodes it again
# but for "/" and "+").
import urllib.parse

import yarl
from each_value import each_value


def show(v):
    query = yarl.URL("https://api.example.com/v1/items").with_query({"api_key": v})
    path = yarl.URL("https://api.example.com/keys/" + urllib.parse.quote(v, safe=""))
    return "url=URL(%r) %s" % (str(query), path)


each_value("py_yarl", show)
