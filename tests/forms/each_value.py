# SPDX-License-Identifier: ISC
# The loop every Python form program shares: its marker line, then one
# line per value (FORMS_NAMES lists the variables) as the form prints it.
import os
import sys


def each_value(marker, show, stream=None):
    out = stream or sys.stdout
    print("FORMS-MARKER " + marker, file=out, flush=True)
    for name in os.environ["FORMS_NAMES"].split(","):
        value = os.environ[name]
        text = show(value)
        if isinstance(text, bytes):
            out.flush()
            out.buffer.write(text + b"\n")
            out.buffer.flush()
        else:
            print(name + ": " + text, file=out, flush=True)
