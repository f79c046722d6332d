#!/bin/sh
# SPDX-License-Identifier: ISC
# The Python client's suite (tests/clients/test_python_client.py), as TAP.
exec python3 "$(dirname "$0")/clients/test_python_client.py"
