#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: an e-mail header's RFC 2047 encoded words
# (=?utf-8?q?...?=, folded over lines), as email.header writes them.
import email.header
from each_value import each_value

each_value("py_email_header", lambda v: email.header.Header(v, "utf-8").encode())
