#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: quoted-printable (quopri), soft line breaks.
import quopri
from each_value import each_value

each_value("py_quopri", lambda v: quopri.encodestring(v.encode()))
