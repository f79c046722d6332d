#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: logging of a settings dict holding a parsed
# credential (a service-account dict: its private_key repr()'d with \n).
import logging
import sys
from each_value import each_value
from parsed import parsed

logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(name)s %(message)s")
log = logging.getLogger("app.settings")
each_value("py_logging_parsed",
           lambda v: (log.warning("loaded %s", {"credentials": parsed(v), "retries": 3}),
                      "logged")[1])
