#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: csv.writer: "" doubling.
import csv, io
from each_value import each_value

each_value("py_csv", lambda v: (lambda b: (csv.writer(b).writerow(['id', v]), b.getvalue())[1])(io.StringIO()))
