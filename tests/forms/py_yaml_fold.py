#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML folding a long scalar at its width, plain and
# double-quoted, with and without allow_unicode (a fold there is "\" then
# the line's indentation).
import yaml
from each_value import each_value

each_value("py_yaml_fold",
           lambda v: yaml.dump({"key": v}, width=40) +
           yaml.dump({"key": v}, width=40, default_style='"') +
           yaml.dump({"key": v}, width=40, default_style='"', allow_unicode=True))
