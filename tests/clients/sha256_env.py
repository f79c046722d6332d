# SPDX-License-Identifier: ISC
"""Print the SHA-256 of one environment variable's bytes (or "unset")."""
import hashlib
import os
import sys

value = os.environb.get(sys.argv[1].encode())
print("unset" if value is None else hashlib.sha256(value).hexdigest())
