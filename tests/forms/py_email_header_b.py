#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: an e-mail header's RFC 2047 "B" encoded words
# (=?utf-8?b?...?=), which email.header picks for a value mostly past
# ASCII and email.policy for each word where B is shorter: a long value
# is cut into words, each encoding its own stretch afresh.
import email.header
import email.message
from each_value import each_value


def header(v):
    message = email.message.EmailMessage()
    message["Subject"] = " ".join(v.splitlines())  # a header has no line breaks
    return (email.header.Header(v, "utf-8", header_name="Subject").encode() + "\n" +
            message.as_string())


each_value("py_email_header_b", header)
