#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: SQLite's quote(): '' doubling.
import sqlite3
from each_value import each_value

each_value("py_sqlite_quote", lambda v: sqlite3.connect(':memory:').execute('select quote(?)', (v,)).fetchone()[0])
