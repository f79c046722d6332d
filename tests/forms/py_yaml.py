#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML's dump (quoted scalars, non-ASCII escaped).
import yaml
from each_value import each_value

each_value("py_yaml", lambda v: yaml.dump({'key': v}))
