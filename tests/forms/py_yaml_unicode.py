#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML's dump with allow_unicode.
import yaml
from each_value import each_value

each_value("py_yaml_unicode", lambda v: yaml.dump({'key': v}, allow_unicode=True))
