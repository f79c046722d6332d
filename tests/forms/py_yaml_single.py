#!/usr/bin/python3
# SPDX-License-Identifier: ISC
# Conformance form: PyYAML's single-quoted style.
import yaml
from each_value import each_value

each_value("py_yaml_single", lambda v: yaml.dump({'key': v}, default_style="'"))
