#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: a JWT that carries the value in a claim (PyJWT,
# HS256): its payload is URL-safe base64 of JSON that escapes the value
# (\u00e9, \", \\).
import jwt

from each_value import each_value

each_value("py_jwt", lambda v: jwt.encode({"sub": "svc", "api_key": v}, "forms-test-signing-key",
                                          algorithm="HS256"))
