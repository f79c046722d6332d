#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: logging of a dict (repr inside a log line).
import logging, sys; logging.basicConfig(stream=sys.stdout, format='%(levelname)s %(message)s')
from each_value import each_value

each_value("py_logging", lambda v: (logging.warning('config %s', {'key': v}), 'logged')[1])
