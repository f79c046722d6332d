#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a UUID parsed by Python's uuid module and printed
# again: str() (lower case), .hex, .hex upper-cased, .urn and .int.
import uuid

from each_value import each_value


def show(v):
    try:
        u = uuid.UUID(v)
    except ValueError:
        return "not a UUID"
    return " ".join([str(u), u.hex, u.hex.upper(), u.urn, str(u.int)])


each_value("py_uuid", show)
