#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML's dump of a parsed credential nested in a
# configuration (a PEM key as a double-quoted scalar folded with "\" at
# the width, its lines indented).
import yaml
from each_value import each_value
from parsed import parsed

each_value("py_yaml_parsed",
           lambda v: "\n" + yaml.dump({"config": {"credentials": parsed(v)}}, width=60))
