#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a JSON document in a literal that doubles its quote:
# PyYAML's dump of a ConfigMap-like mapping holding it ('' doubled),
# sqlite3's iterdump of a table holding it (SQL's '' doubled) and
# csv.writer of a row holding it ("" doubled).
import csv
import io
import json
import sqlite3

import yaml
from each_value import each_value


def show(v):
    doc = json.dumps({"password": v}, ensure_ascii=False)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE settings (body TEXT)")
    db.execute("INSERT INTO settings VALUES (?)", (doc,))
    row = io.StringIO()
    csv.writer(row).writerow(["settings", json.dumps({"password": v})])
    return " ".join([yaml.dump({"config.json": doc}, width=10**9, allow_unicode=True).strip(),
                     [line for line in db.iterdump() if line.startswith("INSERT")][0],
                     row.getvalue().strip()])


each_value("py_json_in_dump", show)
